/* What an emulated scanner sends: boot-keyboard reports typing text on a keyboard layout, or
 * HID POS scanned-data reports. */
#ifndef TAGWAY_TESTBED_TYPING_H
#define TAGWAY_TESTBED_TYPING_H

#include "emudev.h"

#ifdef TAGWAY_TESTBED_AVAILABLE

/* Appends press/release report pairs (GBytes*, 8 bytes) that type `text` (UTF-8) on `layout`
 * ("us", "uk", "de", "fr") as a scanner set to that keyboard country does. "\n" is Enter, "\t"
 * is Tab, GS (0x1D) is Alt+keypad 0 2 9. FALSE when a character has no key on the layout. */
gboolean typing_reports(const char *layout, const char *text, GPtrArray *reports, GError **error);

/* Appends 64-byte Honeywell-layout scanned-data reports (report id 2, byte count, 3-byte AIM
 * id, 56 data bytes, 2 vendor bytes, flags with bit 0 = continued) carrying `text`. */
void pos_reports(const char *aim, const char *text, GPtrArray *reports);

#endif /* TAGWAY_TESTBED_AVAILABLE */
#endif
