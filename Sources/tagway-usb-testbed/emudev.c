/* Emulated USB device lifecycle: read the .umockdev description, plug, unplug, queue reports. */
#include "emudev.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifdef TAGWAY_TESTBED_AVAILABLE
#include <glib/gstdio.h>

static void (*state_observer)(void);

void emu_set_observer(void (*observer)(void)) { state_observer = observer; }

static gboolean observer_idle(gpointer unused)
{
    (void)unused;
    if (state_observer) state_observer();
    return G_SOURCE_REMOVE;
}

/* Always deferred to the main loop: callers may be inside a step or on the ioctl thread. */
void emu_notify_observer(void)
{
    g_idle_add(observer_idle, NULL);
}

/* umockdev escapes attribute values like C strings; they end in a newline. */
static char *attribute_value(const char *raw)
{
    char *value = g_strcompress(raw);
    gsize length = strlen(value);
    if (length > 0 && value[length - 1] == '\n') value[length - 1] = '\0';
    return value;
}

static GBytes *hex_bytes(const char *hex)
{
    gsize length = strlen(hex) / 2;
    guint8 *bytes = g_malloc(length ? length : 1);
    for (gsize i = 0; i < length; i++)
        bytes[i] = (guint8)(g_ascii_xdigit_value(hex[2 * i]) << 4 | g_ascii_xdigit_value(hex[2 * i + 1]));
    return g_bytes_new_take(bytes, length);
}

/* Device descriptor: string indices; configuration: the first interrupt IN endpoint, if any. */
static gboolean read_descriptors(EmuDevice *dev, GError **error)
{
    gsize length = 0;
    const guint8 *d = dev->descriptors ? g_bytes_get_data(dev->descriptors, &length) : NULL;
    if (!d || length < 18 || d[1] != 1) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: no device descriptor in H: descriptors", dev->file);
        return FALSE;
    }
    dev->string_index[0] = d[14];
    dev->string_index[1] = d[15];
    dev->string_index[2] = d[16];
    for (gsize offset = 18; offset + 1 < length && d[offset] > 0; offset += d[offset]) {
        if (d[offset + 1] == 5 && offset + 6 < length && (d[offset + 2] & 0x80) && (d[offset + 3] & 0x03) == 3) {
            dev->in_endpoint = d[offset + 2];
            return TRUE;
        }
    }
    dev->in_endpoint = 0;   /* not a HID device (a USB-serial bridge): it sends no reports */
    return TRUE;
}

EmuDevice *emu_device_load(const char *name, const char *file, guint park_ms, GError **error)
{
    gchar *contents = NULL;
    if (!g_file_get_contents(file, &contents, NULL, error)) return NULL;
    EmuDevice *dev = g_new0(EmuDevice, 1);
    dev->name = g_strdup(name);
    dev->file = g_strdup(file);
    dev->park_ms = park_ms;
    dev->syspaths = g_ptr_array_new_with_free_func(g_free);
    dev->connections = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_mutex_init(&dev->lock);
    g_queue_init(&dev->reports);
    gboolean first_device = TRUE;
    gchar **lines = g_strsplit(contents, "\n", -1);
    for (gchar **line = lines; *line; line++) {
        const char *l = *line;
        if (l[0] == '\0') {
            if (dev->syspaths->len > 0) first_device = FALSE;
        } else if (g_str_has_prefix(l, "P: ")) {
            g_ptr_array_add(dev->syspaths, g_strconcat("/sys", l + 3, NULL));
        } else if (g_str_has_prefix(l, "N: ")) {
            if (!dev->devnode) dev->devnode = g_strconcat("/dev/", l + 3, NULL);
            else if (!g_str_has_prefix(l + 3, "bus/usb/")) dev->has_pty_node = TRUE;
        } else if (g_str_has_prefix(l, "H: descriptors=") && first_device) {
            dev->descriptors = hex_bytes(l + strlen("H: descriptors="));
        } else if (g_str_has_prefix(l, "H: report_descriptor=") && !dev->report_descriptor) {
            dev->report_descriptor = hex_bytes(l + strlen("H: report_descriptor="));
        } else if (first_device && g_str_has_prefix(l, "A: ")) {
            static const char *names[] = { "manufacturer=", "product=", "serial=" };
            for (int i = 0; i < 3; i++)
                if (g_str_has_prefix(l + 3, names[i])) dev->strings[i] = attribute_value(l + 3 + strlen(names[i]));
        }
    }
    g_strfreev(lines);
    g_free(contents);
    if (!dev->devnode || dev->syspaths->len == 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: needs a P: and an N: line", file);
        return NULL;
    }
    if (!read_descriptors(dev, error)) return NULL;
    return dev;
}

gboolean emu_device_attach(EmuDevice *dev, UMockdevTestbed *tb, GError **error)
{
    UMockdevIoctlBase *handler = umockdev_ioctl_base_new();
    usbfs_connect_signals(dev, handler);
    return umockdev_testbed_attach_ioctl(tb, dev->devnode, handler, error);
}

gboolean emu_device_plug(EmuDevice *dev, UMockdevTestbed *tb, GError **error)
{
    if (dev->was_plugged && dev->has_pty_node) {
        /* umockdev 0.17 keeps the pty of a removed tty and aborts when the node comes back. */
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: a device with a tty cannot be plugged twice", dev->name);
        return FALSE;
    }
    dev->was_plugged = TRUE;
    g_mutex_lock(&dev->lock);
    dev->plugged = TRUE;
    for (int i = 0; i < EMU_MAX_INTERFACES; i++) {
        dev->driver_bound[i] = TRUE;
        dev->claimed[i] = FALSE;
    }
    g_mutex_unlock(&dev->lock);
    /* The testbed runs with the preload library, so this sends the "add" uevents itself. */
    gboolean ok = umockdev_testbed_add_from_file(tb, dev->file, error);
    g_printerr("[testbed] plugged %s (%s)\n", dev->name, dev->devnode);
    emu_notify_observer();
    return ok;
}

/* umockdev 0.17 leaves /sys/bus/<subsystem>/devices/<name> behind when it removes a device,
 * and then refuses to add it again; drop the dangling links so a replug works. */
static void remove_stale_bus_links(EmuDevice *dev, UMockdevTestbed *tb)
{
    gchar *sys = umockdev_testbed_get_sys_dir(tb);
    gchar *bus = g_build_filename(sys, "bus", NULL);
    GDir *buses = g_dir_open(bus, 0, NULL);
    for (const char *subsystem; buses && (subsystem = g_dir_read_name(buses));) {
        for (guint i = 0; i < dev->syspaths->len; i++) {
            gchar *name = g_path_get_basename(g_ptr_array_index(dev->syspaths, i));
            gchar *link = g_build_filename(bus, subsystem, "devices", name, NULL);
            if (g_file_test(link, G_FILE_TEST_IS_SYMLINK) && !g_file_test(link, G_FILE_TEST_EXISTS)) g_unlink(link);
            g_free(link);
            g_free(name);
        }
    }
    if (buses) g_dir_close(buses);
    g_free(bus);
    g_free(sys);
}

void emu_device_unplug(EmuDevice *dev, UMockdevTestbed *tb)
{
    g_mutex_lock(&dev->lock);
    dev->plugged = FALSE;
    dev->generation++;
    usbfs_fail_in_flight(dev);
    g_queue_clear_full(&dev->reports, (GDestroyNotify)g_bytes_unref);
    g_mutex_unlock(&dev->lock);
    usbfs_wake_parked(dev);
    /* "remove" for the children first, as the kernel sends them. umockdev sends these itself
     * only from 0.18.4 on (Debian 12 has 0.17); a newer one repeats them, which listeners ignore. */
    for (guint i = dev->syspaths->len; i-- > 0;)
        umockdev_testbed_uevent(tb, g_ptr_array_index(dev->syspaths, i), "remove");
    /* 0.17 also removes only the given device's /sys/class link: remove children one by one. */
    for (guint i = dev->syspaths->len; i-- > 0;)
        umockdev_testbed_remove_device(tb, g_ptr_array_index(dev->syspaths, i));
    remove_stale_bus_links(dev, tb);
    g_printerr("[testbed] unplugged %s\n", dev->name);
    emu_notify_observer();
}

void emu_device_queue_report(EmuDevice *dev, const guint8 *data, gsize length)
{
    g_mutex_lock(&dev->lock);
    g_queue_push_tail(&dev->reports, g_bytes_new(data, length));
    g_mutex_unlock(&dev->lock);
    usbfs_wake_parked(dev);
}

gboolean emu_device_is_drained(EmuDevice *dev)
{
    g_mutex_lock(&dev->lock);
    gboolean drained = g_queue_is_empty(&dev->reports);
    g_mutex_unlock(&dev->lock);
    return drained;
}

void emu_device_print_summary(EmuDevice *dev)
{
    g_mutex_lock(&dev->lock);
    gboolean bound = dev->driver_bound[0];
    printf("{\"testbed\":\"device\",\"name\":\"%s\",\"plugged\":%s,\"driverBound\":%s,\"submits\":%u,"
           "\"reportsDelivered\":%u,\"reaps\":%u,\"eagain\":%u,\"detaches\":%u,\"attaches\":%u,\"claims\":%u,"
           "\"releases\":%u,\"undelivered\":%u}\n",
           dev->name, dev->plugged ? "true" : "false", bound ? "true" : "false", dev->n_submits, dev->n_reports,
           dev->n_reaps, dev->n_eagain, dev->n_detach, dev->n_attach, dev->n_claim, dev->n_release,
           g_queue_get_length(&dev->reports));
    fflush(stdout);
    g_mutex_unlock(&dev->lock);
}

#endif /* TAGWAY_TESTBED_AVAILABLE */
