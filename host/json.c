/*
 * json.c -- JSON strings and numbers for --json output, and the same
 * numbers as text for tables (json.h).
 */
#include "json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pt_csv.h"

void json_str(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (!s || !*s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void json_num(FILE *f, double v)
{
    char buf[40];

    if (!isfinite(v))
        fputs("null", f);
    else
        fputs(pt_csv_number_text(v, 0, buf, sizeof buf), f);
}

const char *num_g(double v, int sig)
{
    static char ring[16][40];
    static unsigned next;
    char *buf = ring[next++ % 16];

    if (isnan(v))
        return "n/a";
    if (isinf(v))
        return v > 0 ? "inf" : "-inf";
    return pt_csv_number_text(v, sig < 1 ? 1 : sig, buf, sizeof ring[0]);
}

const char *num_places(double v, int places)
{
    static char ring[8][48];
    static unsigned next;
    char *buf = ring[next++ % 8];

    if (isnan(v))
        return "-";
    if (places < 0 || !isfinite(v) || fabs(v) >= 1e15)
        return num_g(v, 6);
    snprintf(buf, sizeof ring[0], "%.*f", places > 15 ? 15 : places, v);
    return buf;
}
