/*
 * pt_csv.c -- RFC 4180 reading with positions, and strict numbers.
 *
 * Laboratory results arrive as CSV exported from spreadsheets and other
 * LIMS.  Every message about a bad field must name file:line:column, so the
 * reader tracks the position of each field while it unquotes it.  The file
 * is validated as UTF-8 once, up front, so later code can trust its text.
 */
#include "pt_csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct pt_csv {
    char *name;
    char *data; /* the file, NUL-terminated */
    size_t len;
    size_t pos;
    unsigned long line, col; /* position of data[pos] */
    char *buf;               /* unquoted text of the current record */
    size_t buf_len, buf_cap;
    pt_csv_field *fields;
    size_t n_fields, cap_fields;
};

/* Length of the UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len, i;
    unsigned long cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}

/* Check the whole buffer: UTF-8 and no NUL.  Returns 0 or -1 with err. */
static int validate(const pt_csv *c, char *err, size_t errlen)
{
    const unsigned char *s = (const unsigned char *)c->data;
    unsigned long line = 1, col = 1;
    size_t i = 0, l;

    while (i < c->len) {
        if (s[i] == 0) {
            snprintf(err, errlen, "%s:%lu:%lu: NUL byte in a text file",
                     c->name, line, col);
            return -1;
        }
        l = utf8_len(s + i, c->len - i);
        if (l == 0) {
            snprintf(err, errlen,
                     "%s:%lu:%lu: invalid UTF-8 byte 0x%02x (save the file "
                     "as UTF-8)",
                     c->name, line, col, s[i]);
            return -1;
        }
        if (s[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += l;
    }
    return 0;
}

static pt_csv_status init(pt_csv *c, const char *name, char *err,
                          size_t errlen)
{
    c->name = strdup(name);
    if (!c->name) {
        snprintf(err, errlen, "out of memory");
        return PT_CSV_NOMEM;
    }
    c->line = 1;
    c->col = 1;
    if (c->len >= 3 && memcmp(c->data, "\xef\xbb\xbf", 3) == 0)
        c->pos = 3; /* byte-order mark, as Excel writes it */
    if (validate(c, err, errlen) != 0)
        return PT_CSV_ERROR;
    return PT_CSV_OK;
}

/* A reader of data[0 .. len) (data[len] is 0), which it takes over:
 * freed with the reader, or here when opening fails. */
static pt_csv_status open_owned(const char *name, char *data, size_t len,
                                pt_csv **out, char *err, size_t errlen)
{
    pt_csv *c = calloc(1, sizeof *c);
    pt_csv_status st;

    if (!c) {
        free(data);
        snprintf(err, errlen, "out of memory");
        return PT_CSV_NOMEM;
    }
    c->data = data;
    c->len = len;
    st = init(c, name, err, errlen);
    if (st != PT_CSV_OK) {
        pt_csv_free(c);
        return st;
    }
    *out = c;
    return PT_CSV_OK;
}

pt_csv_status pt_csv_open_buffer(const char *name, const char *data,
                                 size_t len, pt_csv **out, char *err,
                                 size_t errlen)
{
    char *copy = malloc(len + 1);

    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return PT_CSV_NOMEM;
    }
    memcpy(copy, data, len);
    copy[len] = 0;
    return open_owned(name, copy, len, out, err, errlen);
}

pt_csv_status pt_csv_open(const char *path, pt_csv **out, char *err,
                          size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL, *p;
    size_t len = 0, cap, got;
    struct stat st;

    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return PT_CSV_IO;
    }
    /* the file's size, a byte to see its end and one for the NUL; a pipe
     * or a file that grows makes the buffer grow */
    cap = fstat(fileno(f), &st) == 0 && st.st_size > 0
              ? (size_t)st.st_size + 2
              : 1 << 16;
    for (;;) {
        if (cap - len < 2 || !data) {
            cap = data ? 2 * cap : cap;
            p = realloc(data, cap);
            if (!p) {
                free(data);
                fclose(f);
                snprintf(err, errlen, "%s: out of memory", path);
                return PT_CSV_NOMEM;
            }
            data = p;
        }
        got = fread(data + len, 1, cap - len - 1, f);
        if (got == 0)
            break;
        len += got;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        free(data);
        fclose(f);
        return PT_CSV_IO;
    }
    fclose(f);
    data[len] = 0;
    return open_owned(path, data, len, out, err, errlen);
}

void pt_csv_free(pt_csv *c)
{
    if (!c)
        return;
    free(c->name);
    free(c->data);
    free(c->buf);
    free(c->fields);
    free(c);
}

const char *pt_csv_name(const pt_csv *c)
{
    return c->name;
}

static int buf_put(pt_csv *c, const char *s, size_t n)
{
    if (c->buf_len + n + 1 > c->buf_cap) {
        size_t cap = c->buf_cap ? c->buf_cap : 256;
        char *p;
        while (cap < c->buf_len + n + 1)
            cap *= 2;
        p = realloc(c->buf, cap);
        if (!p)
            return -1;
        c->buf = p;
        c->buf_cap = cap;
    }
    memcpy(c->buf + c->buf_len, s, n);
    c->buf_len += n;
    return 0;
}

static int field_start(pt_csv *c)
{
    if (c->n_fields == c->cap_fields) {
        size_t cap = c->cap_fields ? c->cap_fields * 2 : 16;
        pt_csv_field *p = realloc(c->fields, cap * sizeof *p);
        if (!p)
            return -1;
        c->fields = p;
        c->cap_fields = cap;
    }
    c->fields[c->n_fields].text = NULL;
    c->fields[c->n_fields].len = c->buf_len; /* start offset until done */
    c->fields[c->n_fields].line = c->line;
    c->fields[c->n_fields].col = c->col;
    c->n_fields++;
    return 0;
}

/* Advance over one character (a whole UTF-8 sequence). */
static void step(pt_csv *c)
{
    unsigned char ch = (unsigned char)c->data[c->pos];
    size_t l = utf8_len((const unsigned char *)c->data + c->pos,
                        c->len - c->pos);
    c->pos += l ? l : 1;
    if (ch == '\n') {
        c->line++;
        c->col = 1;
    } else {
        c->col++;
    }
}

static int at_eol(const pt_csv *c)
{
    return c->pos >= c->len || c->data[c->pos] == '\n' ||
           (c->data[c->pos] == '\r' &&
            (c->pos + 1 >= c->len || c->data[c->pos + 1] == '\n'));
}

static void skip_eol(pt_csv *c)
{
    if (c->pos < c->len && c->data[c->pos] == '\r')
        c->pos++, c->col++;
    if (c->pos < c->len && c->data[c->pos] == '\n')
        step(c);
}

pt_csv_status pt_csv_next(pt_csv *c, const pt_csv_field **fields, size_t *n,
                          char *err, size_t errlen)
{
    size_t i, start;

    /* blank lines are not records */
    while (c->pos < c->len && at_eol(c))
        skip_eol(c);
    if (c->pos >= c->len)
        return PT_CSV_END;

    c->buf_len = 0;
    c->n_fields = 0;
    for (;;) {
        if (field_start(c) != 0)
            goto nomem;
        if (c->pos < c->len && c->data[c->pos] == '"') {
            unsigned long ql = c->line, qc = c->col;
            step(c);
            for (;;) {
                if (c->pos >= c->len) {
                    snprintf(err, errlen,
                             "%s:%lu:%lu: quoted field is never closed",
                             c->name, ql, qc);
                    return PT_CSV_ERROR;
                }
                if (c->data[c->pos] == '"') {
                    if (c->pos + 1 < c->len && c->data[c->pos + 1] == '"') {
                        if (buf_put(c, "\"", 1) != 0)
                            goto nomem;
                        step(c);
                        step(c);
                        continue;
                    }
                    step(c);
                    break;
                }
                start = c->pos;
                step(c);
                if (buf_put(c, c->data + start, c->pos - start) != 0)
                    goto nomem;
            }
            if (!at_eol(c) && c->data[c->pos] != ',') {
                snprintf(err, errlen,
                         "%s:%lu:%lu: text after the closing quote (a quote "
                         "inside a field is written \"\")",
                         c->name, c->line, c->col);
                return PT_CSV_ERROR;
            }
        } else {
            while (!at_eol(c) && c->data[c->pos] != ',') {
                if (c->data[c->pos] == '\r') {
                    snprintf(err, errlen,
                             "%s:%lu:%lu: carriage return without a line "
                             "feed (save the file with LF or CRLF line "
                             "ends)",
                             c->name, c->line, c->col);
                    return PT_CSV_ERROR;
                }
                if (c->data[c->pos] == '"') {
                    snprintf(err, errlen,
                             "%s:%lu:%lu: quote inside an unquoted field "
                             "(quote the whole field and write \"\")",
                             c->name, c->line, c->col);
                    return PT_CSV_ERROR;
                }
                start = c->pos;
                step(c);
                if (buf_put(c, c->data + start, c->pos - start) != 0)
                    goto nomem;
            }
        }
        if (buf_put(c, "", 1) != 0)
            goto nomem;
        if (at_eol(c)) {
            skip_eol(c);
            break;
        }
        step(c); /* the comma */
    }
    /* offsets become pointers now that buf no longer moves */
    for (i = 0; i < c->n_fields; i++) {
        start = c->fields[i].len;
        c->fields[i].text = c->buf + start;
        c->fields[i].len = strlen(c->buf + start);
    }
    *fields = c->fields;
    *n = c->n_fields;
    return PT_CSV_OK;
nomem:
    snprintf(err, errlen, "%s:%lu:%lu: out of memory", c->name, c->line,
             c->col);
    return PT_CSV_NOMEM;
}

/* How much of a text to quote in a message: all of it up to 40 bytes,
 * else the first 37 or fewer (whole UTF-8 characters) and "...", so the
 * reason after it is never cut off.  For printf's "%.*s%s". */
static int shown_len(const char *s)
{
    size_t n = strlen(s);
    if (n <= 40)
        return (int)n;
    n = 37;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    return (int)n;
}

#define SHOWN(s) shown_len(s), (s), (strlen(s) > 40 ? "..." : "")

const char *pt_csv_clip(const char *s, char *buf)
{
    int n = shown_len(s);

    if ((size_t)n == strlen(s))
        return s;
    memcpy(buf, s, (size_t)n);
    memcpy(buf + n, "...", 4);
    return buf;
}

int pt_csv_number(const char *s, double *out, char *why, size_t whylen)
{
    const char *p = s;
    int digits = 0;
    char *end;
    double v;

    if (*p == 0) {
        snprintf(why, whylen, "empty where a number is needed");
        return -1;
    }
    if (*p == '+' || *p == '-')
        p++;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == ',') {
        snprintf(why, whylen,
                 "\"%.*s%s\" is not a number (decimal comma? write 1.25)",
                 SHOWN(s));
        return -1;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits++;
    }
    if (digits && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        if (*q == '+' || *q == '-')
            q++;
        if (*q >= '0' && *q <= '9') {
            while (*q >= '0' && *q <= '9')
                q++;
            p = q;
        }
    }
    if (!digits || *p != 0) {
        snprintf(why, whylen, "\"%.*s%s\" is not a number", SHOWN(s));
        return -1;
    }
    errno = 0;
    v = strtod(s, &end);
    if (*end != 0) {
        /* only when the thread's numeric locale is not "C" */
        snprintf(why, whylen, "\"%.*s%s\" is not a number in the C locale",
                 SHOWN(s));
        return -1;
    }
    if (errno == ERANGE && isinf(v)) {
        snprintf(why, whylen, "\"%.*s%s\" is too large", SHOWN(s));
        return -1;
    }
    *out = v == 0 ? 0.0 : v; /* minus zero is zero */
    return 0;
}

int pt_csv_number_normal(const char *s, double *out, char *why,
                         size_t whylen)
{
    const char *t;

    if (pt_csv_number(s, out, why, whylen) != 0)
        return -1;
    for (t = s; *out == 0 && *t && *t != 'e' && *t != 'E'; t++)
        if (*t >= '1' && *t <= '9') {
            snprintf(why, whylen,
                     "\"%.*s%s\" is too small for a double (it would be "
                     "read as 0); write 0 if it is zero",
                     SHOWN(s));
            return -1;
        }
    if (*out != 0 && !isnormal(*out)) {
        snprintf(why, whylen,
                 "\"%.*s%s\" is too small to be kept with its digits "
                 "(below 2.2e-308)",
                 SHOWN(s));
        return -1;
    }
    return 0;
}

/* The code point of the UTF-8 sequence at s (valid UTF-8); *len its
 * length in bytes. */
static unsigned long code_point(const unsigned char *s, size_t *len)
{
    unsigned long cp;
    size_t l, i;

    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    l = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
    cp = s[0] & (0x7f >> l);
    for (i = 1; i < l && s[i]; i++)
        cp = (cp << 6) | (s[i] & 0x3f);
    *len = i;
    return cp;
}

static int is_control(unsigned long cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
           cp == 0x2029;
}

static int is_bidi(unsigned long cp)
{
    return cp == 0x200e || cp == 0x200f || cp == 0x061c ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static const char *char_name(unsigned long cp, char *buf, size_t len)
{
    if (cp == '\n')
        return "a line break";
    if (cp == '\t')
        return "a tab";
    if (cp == '\r')
        return "a carriage return";
    if (cp == 0x1b)
        return "an escape character";
    if (is_bidi(cp))
        snprintf(buf, len, "bidirectional formatting U+%04lX", cp);
    else
        snprintf(buf, len, "control character U+%04lX", cp);
    return buf;
}

int pt_csv_code(const char *text, char *why, size_t whylen)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0, l;
    unsigned long cp;
    char name[64];

    if (!*s) {
        snprintf(why, whylen, "is empty");
        return -1;
    }
    if (*s == ' ' || s[strlen(text) - 1] == ' ') {
        snprintf(why, whylen, "begins or ends with a blank");
        return -1;
    }
    while (*s) {
        cp = code_point(s, &l);
        if (is_control(cp) || is_bidi(cp)) {
            snprintf(why, whylen, "holds %s at character %zu",
                     char_name(cp, name, sizeof name), n + 1);
            return -1;
        }
        s += l;
        if (++n > PT_CSV_CODE_MAX) {
            snprintf(why, whylen, "is longer than %d characters",
                     PT_CSV_CODE_MAX);
            return -1;
        }
    }
    return 0;
}

int pt_csv_text(const char *text, size_t max, int one_line, char *why,
                size_t whylen)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0, l;
    unsigned long cp;
    char name[64];

    while (*s) {
        cp = code_point(s, &l);
        if ((is_control(cp) && (one_line || (cp != '\t' && cp != '\n' &&
                                             cp != '\r'))) ||
            (one_line && is_bidi(cp))) {
            snprintf(why, whylen, "holds %s at character %zu",
                     char_name(cp, name, sizeof name), n + 1);
            return -1;
        }
        if (cp == 0xfffe || cp == 0xffff) {
            snprintf(why, whylen,
                     "holds U+%04lX, which is not a character, at "
                     "character %zu",
                     cp, n + 1);
            return -1;
        }
        s += l;
        if (++n > max) {
            snprintf(why, whylen, "is longer than %zu characters", max);
            return -1;
        }
    }
    return 0;
}

char *pt_csv_escape(const char *text, char *out, size_t outlen)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t o = 0, l, need;
    unsigned long cp;
    char esc[16];

    if (outlen == 0)
        return out;
    while (*s) {
        cp = code_point(s, &l);
        if (cp < 0x80 && is_control(cp)) {
            snprintf(esc, sizeof esc, "\\x%02lx", cp);
            need = strlen(esc);
        } else if (is_control(cp) || is_bidi(cp) || cp == 0xfffe ||
                   cp == 0xffff) {
            snprintf(esc, sizeof esc, "\\u%04lX", cp);
            need = strlen(esc);
        } else {
            memcpy(esc, s, l);
            need = l;
        }
        if (o + need >= outlen)
            break;
        memcpy(out + o, esc, need);
        o += need;
        s += l;
    }
    out[o] = 0;
    return out;
}

/* v with `sig` significant digits: fixed notation from 1e-5 to 1e15,
 * else %e.  The decimal exponent is read from %e's own rounding, so 9.96
 * at 2 digits is "10", not "9.96". */
static void sig_text(char *buf, size_t len, double v, int sig)
{
    char e[40];
    const char *x;
    int exp10, places;

    snprintf(e, sizeof e, "%.*e", sig - 1, v);
    x = strchr(e, 'e');
    exp10 = x ? atoi(x + 1) : 0;
    if (exp10 < -5 || exp10 >= 15) {
        snprintf(buf, len, "%.*g", sig, v);
        return;
    }
    places = sig - 1 - exp10;
    if (places >= 0) {
        snprintf(buf, len, "%.*f", places, v);
        return;
    }
    /* rounded above the units: %e's digits, then zeros (1.235e+06 at 4
     * digits is 1235000) */
    {
        size_t o = 0;
        const char *d;

        for (d = e; d < x && o + 1 < len; d++)
            if (*d != '.')
                buf[o++] = *d;
        for (; places < 0 && o + 1 < len; places++)
            buf[o++] = '0';
        buf[o] = '\0';
    }
}

char *pt_csv_number_text(double v, int sig, char *buf, size_t len)
{
    char *end;

    if (!len)
        return buf;
    if (!isfinite(v)) {
        buf[0] = '\0';
        return buf;
    }
    if (v == 0.0) {
        snprintf(buf, len, "0");
        return buf;
    }
    if (sig <= 0) {
        for (sig = 1; sig < 17; sig++) {
            sig_text(buf, len, v, sig);
            if (strtod(buf, NULL) == v)
                return buf;
        }
        sig_text(buf, len, v, 17);
        return buf;
    }
    sig_text(buf, len, v, sig > 17 ? 17 : sig);
    if (strchr(buf, '.') && !strpbrk(buf, "eE")) {
        end = buf + strlen(buf);
        while (end[-1] == '0')
            *--end = '\0';
        if (end[-1] == '.')
            end[-1] = '\0';
    }
    return buf;
}

int pt_csv_is_date(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30,
                                31, 31, 30, 31, 30, 31};
    int y, m, d, i;

    for (i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return 0;
        } else if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    if (s[10] != 0)
        return 0;
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

void pt_csv_offset(const pt_csv *csv, size_t *done, size_t *size)
{
    *done = csv->pos;
    *size = csv->len;
}

lims_status pt_csv_lims_status(pt_csv_status st)
{
    switch (st) {
    case PT_CSV_OK:
    case PT_CSV_END:
        return LIMS_OK;
    case PT_CSV_NOMEM:
        return LIMS_ERR_NOMEM;
    case PT_CSV_IO:
        return LIMS_ERR_IO;
    case PT_CSV_ERROR:
        break;
    }
    return LIMS_ERR_INPUT;
}
