// libusb-1.0 for Swift. pkg-config's cflags put /usr/include/libusb-1.0 on the include path;
// the prefixed form also works when only /usr/include is searched.
#ifndef TAGWAY_CLIBUSB_SHIM_H
#define TAGWAY_CLIBUSB_SHIM_H
#if __has_include(<libusb.h>)
#include <libusb.h>
#else
#include <libusb-1.0/libusb.h>
#endif
#endif
