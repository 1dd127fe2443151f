/* The usbfs ioctls libusb issues on an emulated device node, answered like the Linux kernel:
 * URB submit/reap/discard, interface claim, kernel-driver detach and re-attach, unplug.
 *
 * libusb polls the node, which umockdev backs with a regular file that is always "ready", so
 * libusb asks to reap again at once whenever nothing is ready. An empty REAP is therefore held
 * back ("parked") for park_ms, or until a report is queued or the device is unplugged, before
 * EAGAIN is answered; otherwise the emulation, not the program under test, would burn the CPU.
 * All connection state changes happen on umockdev's worker thread. */
#include "usbfs.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>

#ifdef TAGWAY_TESTBED_AVAILABLE

gboolean usbfs_alive(Connection *c) { return c->dev->plugged && c->generation == c->dev->generation; }

void usbfs_finish_urb(UMockdevIoctlData *urb_data, int status)
{
    struct usbdevfs_urb *urb = (void *)urb_data->data;
    urb->status = status;
    urb->actual_length = 0;
}

/* Completes a REAP with the next finished URB, filling an IN URB from the report queue when
 * needed. Lock held. */
static gboolean try_reap(Connection *c, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    EmuDevice *dev = c->dev;
    UMockdevIoctlData *urb_data = g_queue_pop_head(&c->done);
    if (!urb_data && usbfs_alive(c) && !g_queue_is_empty(&c->flying) && !g_queue_is_empty(&dev->reports)) {
        GBytes *report = g_queue_pop_head(&dev->reports);
        urb_data = g_queue_pop_head(&c->flying);
        struct usbdevfs_urb *urb = (void *)urb_data->data;
        gsize length = 0;
        const guint8 *bytes = g_bytes_get_data(report, &length);
        if (length > (gsize)urb->buffer_length) length = (gsize)urb->buffer_length;
        memcpy(urb->buffer, bytes, length);
        urb->actual_length = (int)length;
        urb->status = 0;
        dev->n_reports++;
        g_bytes_unref(report);
    }
    if (!urb_data) return FALSE;
    UMockdevIoctlData *slot = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
    umockdev_ioctl_data_set_ptr(slot, 0, urb_data);
    umockdev_ioctl_client_complete(client, 0, 0);
    g_object_unref(slot);
    g_object_unref(urb_data);
    dev->n_reaps++;
    return TRUE;
}

void usbfs_unpark(Connection *c)
{
    if (c->park_timer) {
        g_source_destroy(c->park_timer);
        g_source_unref(c->park_timer);
        c->park_timer = NULL;
    }
    g_clear_object(&c->parked);
}

/* Answers a parked REAP: with an URB if one is ready, else EAGAIN (or ENODEV once unplugged)
 * when `give_up`. Lock held. */
void usbfs_answer_parked(Connection *c, gboolean give_up)
{
    if (!c->parked) return;
    if (try_reap(c, c->client, c->parked)) {
        usbfs_unpark(c);
    } else if (give_up || !usbfs_alive(c)) {
        c->dev->n_eagain++;
        umockdev_ioctl_client_complete(c->client, -1, usbfs_alive(c) ? EAGAIN : ENODEV);
        usbfs_unpark(c);
    }
}

static gboolean park_expired(gpointer data)
{
    Connection *c = data;
    g_mutex_lock(&c->dev->lock);
    if (c->park_timer) {
        g_source_unref(c->park_timer);
        c->park_timer = NULL;
    }
    usbfs_answer_parked(c, TRUE);
    g_mutex_unlock(&c->dev->lock);
    return G_SOURCE_REMOVE;
}

static void reap(Connection *c, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    EmuDevice *dev = c->dev;
    if (try_reap(c, client, arg)) return;
    if (usbfs_alive(c) && dev->park_ms > 0 && !c->parked) {
        c->parked = g_object_ref(arg);
        c->park_timer = g_timeout_source_new(dev->park_ms);
        g_source_set_callback(c->park_timer, park_expired, c, NULL);
        g_source_attach(c->park_timer, g_main_context_get_thread_default());
        return;
    }
    dev->n_eagain++;
    umockdev_ioctl_client_complete(client, -1, usbfs_alive(c) ? EAGAIN : ENODEV);
}

static void submit(Connection *c, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    EmuDevice *dev = c->dev;
    UMockdevIoctlData *urb_data = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
    struct usbdevfs_urb *urb = (void *)urb_data->data;
    UMockdevIoctlData *buffer = urb->buffer_length > 0
        ? umockdev_ioctl_data_resolve(urb_data, offsetof(struct usbdevfs_urb, buffer), (gsize)urb->buffer_length, NULL)
        : NULL;
    dev->n_submits++;
    if (urb->type == USBDEVFS_URB_TYPE_CONTROL && urb->buffer_length >= 8) {
        guint8 *setup = urb->buffer;   /* now the local copy */
        int length = control_request(dev, setup, setup + 8, urb->buffer_length - 8);
        urb->status = length < 0 ? -EPIPE : 0;
        urb->actual_length = length < 0 ? 0 : length;
        g_queue_push_tail(&c->done, urb_data);
        umockdev_ioctl_client_complete(client, 0, 0);
    } else if (urb->type == USBDEVFS_URB_TYPE_INTERRUPT && urb->endpoint == dev->in_endpoint) {
        g_queue_push_tail(&c->flying, urb_data);
        umockdev_ioctl_client_complete(client, 0, 0);
    } else {
        g_printerr("[testbed] %s: unexpected URB type %u endpoint 0x%02x\n", dev->name, urb->type, urb->endpoint);
        umockdev_ioctl_client_complete(client, -1, EINVAL);
        g_object_unref(urb_data);
    }
    if (buffer) g_object_unref(buffer);   /* the URB keeps its buffer alive */
}

static void discard(Connection *c, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    gulong address = *(gulong *)arg->data;
    for (GList *l = c->flying.head; l; l = l->next) {
        UMockdevIoctlData *urb_data = l->data;
        if (urb_data->client_addr != address) continue;
        g_queue_delete_link(&c->flying, l);
        usbfs_finish_urb(urb_data, -ENOENT);
        g_queue_push_tail(&c->done, urb_data);
        umockdev_ioctl_client_complete(client, 0, 0);
        return;
    }
    umockdev_ioctl_client_complete(client, -1, EINVAL);
}

/* Interface number from an ioctl argument of `size` bytes whose first field is it. */
static guint interface_of(UMockdevIoctlData *arg, gsize size, UMockdevIoctlData **resolved)
{
    *resolved = umockdev_ioctl_data_resolve(arg, 0, size, NULL);
    guint number = *(guint32 *)(*resolved)->data;
    return number < EMU_MAX_INTERFACES ? number : EMU_MAX_INTERFACES - 1;
}

static void driver_ioctl(EmuDevice *dev, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ioctl), NULL);
    struct usbdevfs_ioctl *command = (void *)d->data;
    guint iface = (guint)command->ifno < EMU_MAX_INTERFACES ? (guint)command->ifno : 0;
    if ((gulong)command->ioctl_code == USBDEVFS_DISCONNECT) {
        gboolean was = dev->driver_bound[iface];
        dev->driver_bound[iface] = FALSE;
        if (was) dev->n_detach++;
        umockdev_ioctl_client_complete(client, was ? 0 : -1, was ? 0 : ENODATA);
    } else if ((gulong)command->ioctl_code == USBDEVFS_CONNECT) {
        gboolean busy = dev->claimed[iface];
        if (!busy && !dev->driver_bound[iface]) {
            dev->driver_bound[iface] = TRUE;
            dev->n_attach++;
        }
        /* The kernel answers 1 when a driver is bound afterwards; libusb reads 0 as "none". */
        umockdev_ioctl_client_complete(client, busy ? -1 : 1, busy ? EBUSY : 0);
    } else {
        umockdev_ioctl_client_complete(client, -1, ENOTTY);
    }
    g_object_unref(d);
}

static void device_ioctl(EmuDevice *dev, gulong request, UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    UMockdevIoctlData *d = NULL;
    guint iface;
    switch (request) {
    case USBDEVFS_GET_CAPABILITIES:
        d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
        *(guint32 *)d->data = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION |
                              USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    case USBDEVFS_CLAIMINTERFACE:
        iface = interface_of(arg, sizeof(guint32), &d);
        if (dev->driver_bound[iface]) {
            umockdev_ioctl_client_complete(client, -1, EBUSY);   /* usbhid still has it */
        } else {
            dev->claimed[iface] = TRUE;
            dev->n_claim++;
            umockdev_ioctl_client_complete(client, 0, 0);
        }
        break;
    case USBDEVFS_RELEASEINTERFACE:
        iface = interface_of(arg, sizeof(guint32), &d);
        dev->claimed[iface] = FALSE;
        dev->n_release++;
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    case USBDEVFS_GETDRIVER: {
        iface = interface_of(arg, sizeof(struct usbdevfs_getdriver), &d);
        struct usbdevfs_getdriver *getdriver = (void *)d->data;
        if (dev->driver_bound[iface]) {
            g_strlcpy(getdriver->driver, "usbhid", sizeof getdriver->driver);
            umockdev_ioctl_client_complete(client, 0, 0);
        } else {
            umockdev_ioctl_client_complete(client, -1, ENODATA);
        }
        break;
    }
    case USBDEVFS_DISCONNECT_CLAIM:
        iface = interface_of(arg, sizeof(struct usbdevfs_disconnect_claim), &d);
        if (dev->driver_bound[iface]) dev->n_detach++;
        dev->driver_bound[iface] = FALSE;
        dev->claimed[iface] = TRUE;
        dev->n_claim++;
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    case USBDEVFS_IOCTL:
        driver_ioctl(dev, client, arg);
        break;
    case USBDEVFS_SETINTERFACE: case USBDEVFS_SETCONFIGURATION: case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESET: case USBDEVFS_RESETEP:
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    default:
        umockdev_ioctl_client_complete(client, -1, ENOTTY);
    }
    if (d) g_object_unref(d);
}

gboolean usbfs_handle_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data)
{
    (void)handler;
    EmuDevice *dev = data;
    gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    g_mutex_lock(&dev->lock);
    Connection *c = g_hash_table_lookup(dev->connections, client);
    if (!c) {
        umockdev_ioctl_client_complete(client, -1, ENODEV);
    } else if (request == USBDEVFS_REAPURB || request == USBDEVFS_REAPURBNDELAY) {
        reap(c, client, arg);
    } else if (request == USBDEVFS_SUBMITURB && usbfs_alive(c)) {
        submit(c, client, arg);
    } else if (request == USBDEVFS_DISCARDURB) {
        discard(c, client, arg);
    } else if (!usbfs_alive(c)) {
        umockdev_ioctl_client_complete(client, -1, ENODEV);
    } else {
        device_ioctl(dev, request, client, arg);
    }
    g_mutex_unlock(&dev->lock);
    emu_notify_observer();
    return TRUE;
}

#endif /* TAGWAY_TESTBED_AVAILABLE */
