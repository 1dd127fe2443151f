// libumockdev for the USB testbed (tests only). The testbed also links libumockdev-preload so
// that umockdev_testbed_uevent() reaches the netlink sockets of the program under test.
#ifndef TAGWAY_CUMOCKDEV_SHIM_H
#define TAGWAY_CUMOCKDEV_SHIM_H
#include <umockdev.h>
#endif
