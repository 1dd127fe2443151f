/* Control requests on endpoint 0: the standard descriptors libusb and the program under test
 * ask for (device, configuration, strings, the HID report descriptor) and the HID class
 * requests a host sends a keyboard (SET_IDLE, SET_PROTOCOL, SET_REPORT for the LEDs). */
#include "emudev.h"

#include <string.h>

#ifdef TAGWAY_TESTBED_AVAILABLE

static int copy_out(guint8 *data, int capacity, int w_length, const guint8 *bytes, gsize length)
{
    int n = (int)length;
    if (n > w_length) n = w_length;
    if (n > capacity) n = capacity;
    memcpy(data, bytes, (gsize)n);
    return n;
}

/* USB string descriptor: length, type 3, UTF-16LE (the strings here are ASCII). */
static int string_descriptor(EmuDevice *dev, guint8 index, guint8 *data, int capacity, int w_length)
{
    guint8 buffer[256];
    if (index == 0) {
        const guint8 languages[] = { 4, 3, 0x09, 0x04 };   /* en-US */
        return copy_out(data, capacity, w_length, languages, sizeof languages);
    }
    for (int i = 0; i < 3; i++) {
        if (dev->string_index[i] != index || !dev->strings[i]) continue;
        gsize length = strlen(dev->strings[i]);
        if (length > 126) length = 126;
        buffer[0] = (guint8)(2 + 2 * length);
        buffer[1] = 3;
        for (gsize c = 0; c < length; c++) {
            buffer[2 + 2 * c] = (guint8)dev->strings[i][c];
            buffer[3 + 2 * c] = 0;
        }
        return copy_out(data, capacity, w_length, buffer, 2 + 2 * length);
    }
    return -1;
}

int control_request(EmuDevice *dev, const guint8 *setup, guint8 *data, int capacity)
{
    guint8 request_type = setup[0], request = setup[1];
    guint16 value = (guint16)(setup[2] | setup[3] << 8);
    int w_length = setup[6] | setup[7] << 8;
    guint8 type = value >> 8, index = value & 0xFF;
    gsize length = 0;

    if (request == 0x06 && request_type == 0x80) {                  /* GET_DESCRIPTOR, device */
        const guint8 *descriptors = g_bytes_get_data(dev->descriptors, &length);
        if (type == 1) return copy_out(data, capacity, w_length, descriptors, 18);
        if (type == 2) return copy_out(data, capacity, w_length, descriptors + 18, length - 18);
        if (type == 3) return string_descriptor(dev, index, data, capacity, w_length);
        return -1;
    }
    if (request == 0x06 && request_type == 0x81 && type == 0x22 && dev->report_descriptor) {   /* HID report */
        const guint8 *report = g_bytes_get_data(dev->report_descriptor, &length);
        return copy_out(data, capacity, w_length, report, length);
    }
    if (request_type == 0x21 && (request == 0x09 || request == 0x0A || request == 0x0B))
        return 0;                                                    /* SET_REPORT, SET_IDLE, SET_PROTOCOL */
    if (request_type == 0x00 && request == 0x09)
        return 0;                                                    /* SET_CONFIGURATION */
    return -1;                                                       /* anything else stalls */
}

#endif /* TAGWAY_TESTBED_AVAILABLE */
