/* Keyboard layouts as keyboard-country settings of scanners type them. Written from the
 * layouts' key charts, independently of the gateway's Swift keymaps, so the tests compare two
 * readings of the charts rather than one table with itself. */
#include "typing.h"

#include <string.h>

#ifdef TAGWAY_TESTBED_AVAILABLE

#define SHIFT 0x02
#define ALT 0x04
#define ALTGR 0x40

typedef struct {
    guint8 usage;
    const char *plain, *shift, *altgr;
    guint8 dead;          /* bit 0: plain level is a dead key, bit 1: shift level is */
} Key;

typedef struct {
    const char *name;
    const char *letters;  /* what usages 0x04-0x1D type, lower case */
    const Key *keys;
} Layout;

static const Key us_keys[] = {
    {0x1E, "1", "!"}, {0x1F, "2", "@"}, {0x20, "3", "#"}, {0x21, "4", "$"}, {0x22, "5", "%"},
    {0x23, "6", "^"}, {0x24, "7", "&"}, {0x25, "8", "*"}, {0x26, "9", "("}, {0x27, "0", ")"},
    {0x2D, "-", "_"}, {0x2E, "=", "+"}, {0x2F, "[", "{"}, {0x30, "]", "}"}, {0x31, "\\", "|"},
    {0x33, ";", ":"}, {0x34, "'", "\""}, {0x35, "`", "~"}, {0x36, ",", "<"}, {0x37, ".", ">"},
    {0x38, "/", "?"}, {0},
};

static const Key uk_keys[] = {
    {0x1E, "1", "!"}, {0x1F, "2", "\""}, {0x20, "3", "£"}, {0x21, "4", "$", "€"}, {0x22, "5", "%"},
    {0x23, "6", "^"}, {0x24, "7", "&"}, {0x25, "8", "*"}, {0x26, "9", "("}, {0x27, "0", ")"},
    {0x2D, "-", "_"}, {0x2E, "=", "+"}, {0x2F, "[", "{"}, {0x30, "]", "}"}, {0x32, "#", "~"},
    {0x33, ";", ":"}, {0x34, "'", "@"}, {0x35, "`", "¬"}, {0x36, ",", "<"}, {0x37, ".", ">"},
    {0x38, "/", "?"}, {0x64, "\\", "|"}, {0},
};

static const Key de_keys[] = {
    {0x1E, "1", "!"}, {0x1F, "2", "\"", "²"}, {0x20, "3", "§", "³"}, {0x21, "4", "$"}, {0x22, "5", "%"},
    {0x23, "6", "&"}, {0x24, "7", "/", "{"}, {0x25, "8", "(", "["}, {0x26, "9", ")", "]"}, {0x27, "0", "=", "}"},
    {0x2D, "ß", "?", "\\"}, {0x2E, "´", "`", NULL, 3}, {0x2F, "ü", "Ü"}, {0x30, "+", "*", "~"},
    {0x32, "#", "'"}, {0x33, "ö", "Ö"}, {0x34, "ä", "Ä"}, {0x35, "^", "°", NULL, 1}, {0x36, ",", ";"},
    {0x37, ".", ":"}, {0x38, "-", "_"}, {0x64, "<", ">", "|"}, {0x14, NULL, NULL, "@"}, {0x08, NULL, NULL, "€"},
    {0x10, NULL, NULL, "µ"}, {0},
};

static const Key fr_keys[] = {
    {0x10, ",", "?"}, {0x33, "m", "M"}, {0x08, NULL, NULL, "€"},
    {0x1E, "&", "1"}, {0x1F, "é", "2", "~"}, {0x20, "\"", "3", "#"}, {0x21, "'", "4", "{"},
    {0x22, "(", "5", "["}, {0x23, "-", "6", "|"}, {0x24, "è", "7", "`"}, {0x25, "_", "8", "\\"},
    {0x26, "ç", "9", "^"}, {0x27, "à", "0", "@"}, {0x2D, ")", "°", "]"}, {0x2E, "=", "+", "}"},
    {0x2F, "^", "¨", NULL, 3}, {0x30, "$", "£", "¤"}, {0x31, "*", "µ"}, {0x34, "ù", "%"}, {0x35, "²", NULL},
    {0x36, ";", "."}, {0x37, ":", "/"}, {0x38, "!", "§"}, {0x64, "<", ">"}, {0},
};

static const Layout layouts[] = {
    {"us", "abcdefghijklmnopqrstuvwxyz", us_keys},
    {"uk", "abcdefghijklmnopqrstuvwxyz", uk_keys},
    {"de", "abcdefghijklmnopqrstuvwxzy", de_keys},
    {"fr", "qbcdefghijkl,noparstuvzxyw", fr_keys},
};

static void press(GPtrArray *reports, guint8 modifiers, guint8 usage)
{
    guint8 down[8] = { modifiers, 0, usage, 0, 0, 0, 0, 0 };
    g_ptr_array_add(reports, g_bytes_new(down, 8));
}

static void release(GPtrArray *reports, guint8 modifiers)
{
    guint8 up[8] = { modifiers, 0, 0, 0, 0, 0, 0, 0 };
    g_ptr_array_add(reports, g_bytes_new(up, 8));
}

static void stroke(GPtrArray *reports, guint8 modifiers, guint8 usage)
{
    press(reports, modifiers, usage);
    release(reports, 0);
}

/* Alt held, the decimal code on the keypad, Alt released. */
static void alt_code(GPtrArray *reports, int code)
{
    static const guint8 keypad[] = { 0x62, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60, 0x61 };
    int digits[3] = { code / 100 % 10, code / 10 % 10, code % 10 };
    release(reports, ALT);
    for (int i = 0; i < 3; i++) {      /* three digits with a leading 0, as scanners send them */
        press(reports, ALT, keypad[digits[i]]);
        release(reports, ALT);
    }
    release(reports, 0);
}

static gboolean type_character(const Layout *layout, const char *c, GPtrArray *reports)
{
    const guint8 modifiers[] = { 0, SHIFT, ALTGR };
    for (const Key *key = layout->keys; key->usage; key++) {
        const char *levels[] = { key->plain, key->shift, key->altgr };
        for (int level = 0; level < 3; level++) {
            if (levels[level] && !(key->dead & (1 << level)) && strcmp(levels[level], c) == 0) {
                stroke(reports, modifiers[level], key->usage);
                return TRUE;
            }
        }
    }
    for (int i = 0; i < 26; i++) {
        char lower[2] = { layout->letters[i], 0 };
        char upper[2] = { g_ascii_toupper(layout->letters[i]), 0 };
        if (g_ascii_isalpha(lower[0]) && strcmp(c, lower) == 0) { stroke(reports, 0, (guint8)(0x04 + i)); return TRUE; }
        if (g_ascii_isalpha(lower[0]) && strcmp(c, upper) == 0) { stroke(reports, SHIFT, (guint8)(0x04 + i)); return TRUE; }
    }
    for (const Key *key = layout->keys; key->usage; key++) {   /* an accent alone: dead key, Space */
        const char *levels[] = { key->plain, key->shift };
        for (int level = 0; level < 2; level++) {
            if (levels[level] && (key->dead & (1 << level)) && strcmp(levels[level], c) == 0) {
                stroke(reports, modifiers[level], key->usage);
                stroke(reports, 0, 0x2C);
                return TRUE;
            }
        }
    }
    return FALSE;
}

gboolean typing_reports(const char *name, const char *text, GPtrArray *reports, GError **error)
{
    const Layout *layout = NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(layouts); i++)
        if (strcmp(layouts[i].name, name) == 0) layout = &layouts[i];
    if (!layout) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "unknown layout %s", name);
        return FALSE;
    }
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        char c[8] = { 0 };
        memcpy(c, p, (gsize)(g_utf8_next_char(p) - p));
        if (*p == '\n') stroke(reports, 0, 0x28);
        else if (*p == '\t') stroke(reports, 0, 0x2B);
        else if (*p == ' ') stroke(reports, 0, 0x2C);
        else if (*p == 0x1D) alt_code(reports, 29);
        else if (!type_character(layout, c, reports)) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "'%s' has no key on layout %s", c, name);
            return FALSE;
        }
    }
    return TRUE;
}

void pos_reports(const char *aim, const char *text, GPtrArray *reports)
{
    gsize length = strlen(text), start = 0;
    do {
        guint8 report[64] = { 0x02 };
        gsize chunk = MIN(length - start, (gsize)56);
        report[1] = (guint8)chunk;
        memcpy(report + 2, aim, MIN(strlen(aim), (gsize)3));
        memcpy(report + 5, text + start, chunk);
        start += chunk;
        report[63] = start < length ? 0x01 : 0x00;
        g_ptr_array_add(reports, g_bytes_new(report, sizeof report));
    } while (start < length);
}

#endif /* TAGWAY_TESTBED_AVAILABLE */
