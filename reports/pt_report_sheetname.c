/*
 * pt_report_sheetname.c -- turns round codes into worksheet names that Excel
 * and LibreOffice accept (see pt_report_sheetname.h for the rules).
 */
#include "pt_report_sheetname.h"

#include <stdio.h>
#include <string.h>

#define MAX_UNITS 31 /* Excel's limit, counted in UTF-16 code units */

/* Length in bytes of the valid UTF-8 sequence at s, and its code point in
 * *cp; 0 when the bytes at s are not valid UTF-8. */
static size_t utf8_char(const unsigned char *s, unsigned long *cp)
{
    unsigned long c;
    size_t len;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        c = s[0] & 0x1F;
        len = 2;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        c = s[0] & 0x0F;
        len = 3;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        c = s[0] & 0x07;
        len = 4;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && c < 0x800) ||
        (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Characters Excel refuses in a sheet name (controls would also make the
 * workbook XML invalid). */
static int is_refused(unsigned long cp)
{
    return cp < 0x20 || cp == 0x7F ||
           (cp < 0x80 && strchr("[]:*?/\\", (int)cp) != NULL);
}

/* Copies `in` into out as a valid name of at most max_units UTF-16 units. */
static void sanitise(const char *in, size_t max_units,
                     char out[PT_REPORT_SHEETNAME_SIZE])
{
    const unsigned char *s = (const unsigned char *)(in ? in : "");
    size_t o = 0, units = 0;

    while (*s) {
        unsigned long cp;
        size_t len = utf8_char(s, &cp);
        size_t u;

        if (len == 0 || is_refused(cp)) {
            len = len ? len : 1;
            u = 1;
            if (units + u > max_units)
                break;
            out[o++] = '_';
        } else {
            u = cp > 0xFFFF ? 2 : 1;
            if (units + u > max_units)
                break;
            memcpy(out + o, s, len);
            o += len;
        }
        units += u;
        s += len;
    }
    out[o] = '\0';
    /* Excel refuses an apostrophe at either end of a name. */
    if (o > 0 && out[0] == '\'')
        out[0] = '_';
    if (o > 0 && out[o - 1] == '\'')
        out[o - 1] = '_';
}

/* Case-insensitive equality for ASCII letters, bytewise otherwise. */
static int same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb)
            return 0;
    }
    return *a == *b;
}

static int is_taken(const char *name,
                    const char (*taken)[PT_REPORT_SHEETNAME_SIZE],
                    size_t n_taken)
{
    if (same_name(name, "History"))
        return 1;
    for (size_t i = 0; i < n_taken; i++)
        if (same_name(name, taken[i]))
            return 1;
    return 0;
}

int pt_report_sheetname_make(const char *want, const char *fallback,
                             const char (*taken)[PT_REPORT_SHEETNAME_SIZE],
                             size_t n_taken, char out[PT_REPORT_SHEETNAME_SIZE])
{
    char base[PT_REPORT_SHEETNAME_SIZE];

    sanitise(want, MAX_UNITS, base);
    if (base[0] == '\0')
        sanitise(fallback, MAX_UNITS, base);
    if (!is_taken(base, taken, n_taken)) {
        memcpy(out, base, sizeof base);
        return 0;
    }
    for (unsigned k = 2; k < 100000; k++) {
        char suffix[16];
        int slen = snprintf(suffix, sizeof suffix, " (%u)", k);
        char cut[PT_REPORT_SHEETNAME_SIZE];
        size_t clen;

        sanitise(base, MAX_UNITS - (size_t)slen, cut);
        clen = strlen(cut);
        memcpy(out, cut, clen);
        memcpy(out + clen, suffix, (size_t)slen + 1);
        if (!is_taken(out, taken, n_taken))
            return 0;
    }
    return -1;
}
