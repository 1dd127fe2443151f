/* An emulated USB device for the testbed: its descriptors (from a .umockdev file), the reports
 * it will send, and the usbfs state the program under test sees through libusb. */
#ifndef TAGWAY_TESTBED_EMUDEV_H
#define TAGWAY_TESTBED_EMUDEV_H

/* Without libumockdev-dev the testbed builds without its emulation (see main.c), so `swift build`
 * needs only libusb and libudev; the USB emulation tests then report umockdev as missing. */
#if __has_include(<umockdev.h>)
#define TAGWAY_TESTBED_AVAILABLE 1
#include <umockdev.h>
#include <glib.h>

#define EMU_MAX_INTERFACES 32

typedef struct EmuDevice EmuDevice;

struct EmuDevice {
    char *name;
    char *file;                  /* .umockdev description, re-added on every plug */
    char *devnode;               /* /dev/bus/usb/BBB/DDD */
    GPtrArray *syspaths;         /* /sys/... of every device in the file, parents first */
    GBytes *descriptors;         /* device + configuration descriptors (sysfs "descriptors") */
    GBytes *report_descriptor;   /* HID report descriptor of the hid child; NULL if none */
    char *strings[3];            /* manufacturer, product, serial (sysfs attributes) */
    guint8 string_index[3];      /* their string descriptor indices from the device descriptor */
    guint8 in_endpoint;          /* first interrupt IN endpoint */
    gboolean has_pty_node;       /* a tty child: umockdev backs it with a pty */
    gboolean was_plugged;

    GMutex lock;                 /* guards everything below: ioctls run on umockdev's worker thread */
    gboolean plugged;
    guint generation;            /* bumped at unplug: connections of older generations are dead */
    GQueue reports;              /* GBytes* waiting for an interrupt IN URB */
    GHashTable *connections;     /* UMockdevIoctlClient* -> Connection* (one per open fd) */
    gboolean driver_bound[EMU_MAX_INTERFACES];   /* "usbhid" bound to the interface */
    gboolean claimed[EMU_MAX_INTERFACES];
    GMainContext *worker;        /* umockdev's ioctl thread */
    guint park_ms;               /* hold an empty REAP this long before EAGAIN */
    guint n_submits, n_reports, n_reaps, n_eagain, n_detach, n_attach, n_claim, n_release;
};

/* Loads the description; the device is not plugged yet. */
EmuDevice *emu_device_load(const char *name, const char *file, guint park_ms, GError **error);
/* Registers the usbfs handler for the device node (once, before the first plug). */
gboolean emu_device_attach(EmuDevice *dev, UMockdevTestbed *tb, GError **error);
/* Adds the sysfs devices and node ("add" uevents reach the program under test). */
gboolean emu_device_plug(EmuDevice *dev, UMockdevTestbed *tb, GError **error);
/* In-flight URBs end with -ESHUTDOWN, later calls fail with ENODEV, undelivered reports are
 * lost, "remove" uevents are sent and the sysfs devices and node disappear. */
void emu_device_unplug(EmuDevice *dev, UMockdevTestbed *tb);
void emu_device_queue_report(EmuDevice *dev, const guint8 *data, gsize length);
/* True when a current connection has an interrupt IN URB waiting: the client is reading. */
gboolean emu_device_is_reading(EmuDevice *dev);
/* True when every queued report was delivered. */
gboolean emu_device_is_drained(EmuDevice *dev);
void emu_device_print_summary(EmuDevice *dev);

/* Called (in the default main context) whenever device state changes, so waits re-check. */
void emu_set_observer(void (*observer)(void));
void emu_notify_observer(void);

/* usbfs.c */
void usbfs_connect_signals(EmuDevice *dev, UMockdevIoctlBase *handler);
void usbfs_fail_in_flight(EmuDevice *dev);   /* lock held */
void usbfs_wake_parked(EmuDevice *dev);      /* any thread, lock not held */

/* control.c: answers a control request; returns the data length, or -1 to stall. */
int control_request(EmuDevice *dev, const guint8 *setup, guint8 *data, int capacity);

#endif /* __has_include(<umockdev.h>) */
#endif
