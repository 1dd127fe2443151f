/* Connections to an emulated device node: created when the program opens it, dropped (with
 * their URBs) when it closes it; failed and woken at unplug. */
#include "usbfs.h"

#include <errno.h>
#include <linux/usbdevice_fs.h>

#ifdef TAGWAY_TESTBED_AVAILABLE

static gboolean release_client(gpointer client)
{
    g_object_unref(client);
    return G_SOURCE_REMOVE;
}

static void client_notify_connected(GObject *object, GParamSpec *spec, gpointer data)
{
    (void)spec;
    EmuDevice *dev = data;
    UMockdevIoctlClient *client = UMOCKDEV_IOCTL_CLIENT(object);
    if (umockdev_ioctl_client_get_connected(client)) return;
    g_mutex_lock(&dev->lock);
    Connection *c = g_hash_table_lookup(dev->connections, client);
    if (c) {
        g_hash_table_remove(dev->connections, client);
        usbfs_unpark(c);
        g_queue_clear_full(&c->flying, g_object_unref);   /* closing the fd discards its URBs */
        g_queue_clear_full(&c->done, g_object_unref);
        g_free(c);
    }
    g_mutex_unlock(&dev->lock);
    if (c) g_idle_add(release_client, client);   /* not inside the client's own signal */
    emu_notify_observer();
}

static void client_connected(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data)
{
    (void)handler;
    EmuDevice *dev = data;
    Connection *c = g_new0(Connection, 1);
    c->dev = dev;
    c->client = g_object_ref(client);
    g_queue_init(&c->flying);
    g_queue_init(&c->done);
    g_mutex_lock(&dev->lock);
    if (!dev->worker) dev->worker = g_main_context_ref_thread_default();
    c->generation = dev->generation;
    g_hash_table_insert(dev->connections, client, c);
    g_mutex_unlock(&dev->lock);
    g_signal_connect(client, "notify::connected", G_CALLBACK(client_notify_connected), dev);
}

void usbfs_connect_signals(EmuDevice *dev, UMockdevIoctlBase *handler)
{
    g_signal_connect(handler, "handle-ioctl", G_CALLBACK(usbfs_handle_ioctl), dev);
    g_signal_connect(handler, "client-connected", G_CALLBACK(client_connected), dev);
}

void usbfs_fail_in_flight(EmuDevice *dev)
{
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, dev->connections);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        Connection *c = value;
        UMockdevIoctlData *urb_data;
        while ((urb_data = g_queue_pop_head(&c->flying))) {
            usbfs_finish_urb(urb_data, -ESHUTDOWN);
            g_queue_push_tail(&c->done, urb_data);
        }
    }
}

static gboolean wake_parked(gpointer data)
{
    EmuDevice *dev = data;
    GHashTableIter iter;
    gpointer key, value;
    g_mutex_lock(&dev->lock);
    g_hash_table_iter_init(&iter, dev->connections);
    while (g_hash_table_iter_next(&iter, &key, &value)) usbfs_answer_parked(value, FALSE);
    g_mutex_unlock(&dev->lock);
    emu_notify_observer();
    return G_SOURCE_REMOVE;
}

void usbfs_wake_parked(EmuDevice *dev)
{
    g_mutex_lock(&dev->lock);
    GMainContext *worker = dev->worker;
    g_mutex_unlock(&dev->lock);
    if (worker) g_main_context_invoke(worker, wake_parked, dev);
}

gboolean emu_device_is_reading(EmuDevice *dev)
{
    gboolean reading = FALSE;
    GHashTableIter iter;
    gpointer key, value;
    g_mutex_lock(&dev->lock);
    g_hash_table_iter_init(&iter, dev->connections);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        Connection *c = value;
        if (usbfs_alive(c) && !g_queue_is_empty(&c->flying)) reading = TRUE;
    }
    g_mutex_unlock(&dev->lock);
    return reading;
}

#endif /* TAGWAY_TESTBED_AVAILABLE */
