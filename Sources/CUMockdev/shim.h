// libumockdev for the USB testbed (tests only); its pkg-config flags reach the testbed's C
// sources through this target. The testbed loads libumockdev-preload itself (it re-executes
// with LD_PRELOAD), so nothing here links it.
#ifndef TAGWAY_CUMOCKDEV_SHIM_H
#define TAGWAY_CUMOCKDEV_SHIM_H
#if __has_include(<umockdev.h>)
#include <umockdev.h>
#endif
#endif
