/* Per-connection usbfs state shared by the ioctl handler (usbfs.c) and the connection
 * lifecycle (connection.c). One connection is one open file descriptor of the device node. */
#ifndef TAGWAY_TESTBED_USBFS_H
#define TAGWAY_TESTBED_USBFS_H

#include "emudev.h"

#ifdef TAGWAY_TESTBED_AVAILABLE

typedef struct {
    EmuDevice *dev;
    UMockdevIoctlClient *client;
    guint generation;
    GQueue flying;                /* UMockdevIoctlData* of interrupt IN URBs waiting for a report */
    GQueue done;                  /* UMockdevIoctlData* of completed URBs waiting to be reaped */
    UMockdevIoctlData *parked;    /* the argument of a REAP held back */
    GSource *park_timer;
} Connection;

/* The connection belongs to the plugged device (not to one unplugged since it was opened). */
gboolean usbfs_alive(Connection *c);
void usbfs_finish_urb(UMockdevIoctlData *urb_data, int status);
void usbfs_unpark(Connection *c);
/* Answers a parked REAP if an URB is ready, or with EAGAIN/ENODEV when give_up. Lock held. */
void usbfs_answer_parked(Connection *c, gboolean give_up);
gboolean usbfs_handle_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data);

#endif /* TAGWAY_TESTBED_AVAILABLE */
#endif
