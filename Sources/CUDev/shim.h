// libudev (enumeration, netlink monitor) for Swift.
#ifndef TAGWAY_CUDEV_SHIM_H
#define TAGWAY_CUDEV_SHIM_H
#include <libudev.h>
#endif
