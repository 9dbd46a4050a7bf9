/*
 * json.c -- JSON strings and numbers for --json output, and the same
 * numbers as text for tables (json.h).
 */
#include "json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* v with `sig` significant digits: fixed notation from 1e-5 to 1e15,
 * else %e.  The decimal exponent is read from %e's own rounding, so
 * 9.96 at 2 digits is "10", not "9.96". */
static char *sig_text(char *buf, size_t len, double v, int sig)
{
    char e[40];
    const char *x;
    int exp10, places;

    snprintf(e, sizeof e, "%.*e", sig - 1, v);
    x = strchr(e, 'e');
    exp10 = x ? atoi(x + 1) : 0;
    if (exp10 < -5 || exp10 >= 15) {
        snprintf(buf, len, "%.*g", sig, v);
        return buf;
    }
    places = sig - 1 - exp10;
    snprintf(buf, len, "%.*f", places > 0 ? places : 0, v);
    return buf;
}

char *num_text(char *buf, size_t len, double v)
{
    int sig;

    if (!isfinite(v)) {
        if (len)
            buf[0] = '\0';
        return buf;
    }
    if (v == 0.0) {
        snprintf(buf, len, "0");
        return buf;
    }
    for (sig = 1; sig < 17; sig++) {
        sig_text(buf, len, v, sig);
        if (strtod(buf, NULL) == v)
            return buf;
    }
    return sig_text(buf, len, v, 17);
}

char *num_text_sig(char *buf, size_t len, double v, int sig)
{
    if (!isfinite(v)) {
        if (len)
            buf[0] = '\0';
        return buf;
    }
    if (v == 0.0) {
        snprintf(buf, len, "0");
        return buf;
    }
    if (sig < 1)
        sig = 1;
    if (sig > 17)
        sig = 17;
    sig_text(buf, len, v, sig);
    if (strchr(buf, '.') && !strchr(buf, 'e')) {
        char *end = buf + strlen(buf);
        while (end[-1] == '0')
            *--end = '\0';
        if (end[-1] == '.')
            end[-1] = '\0';
    }
    return buf;
}

void json_num(FILE *f, double v)
{
    char buf[40];

    if (!isfinite(v))
        fputs("null", f);
    else
        fputs(num_text(buf, sizeof buf, v), f);
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
    return num_text_sig(buf, sizeof ring[0], v, sig);
}
