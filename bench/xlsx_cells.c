/*
 * xlsx_cells.c -- reading a workbook's cells back from its XML (see
 * xlsx_cells.h).  The parts are streamed through `unzip -p`: a worksheet of
 * a million rows is a gigabyte of XML on one line.  Only what the writer
 * of the workbook produces is understood: cells with a number, a shared or
 * inline string, or none.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_cells.h"

#define CHUNK (1 << 20)

typedef struct stream {
    FILE *p;
    char buf[2 * CHUNK];
    size_t pos, len;
    int eof;
} stream;

typedef struct buf_text {
    char *s;
    size_t n, cap;
} buf_text;

static int put(buf_text *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        size_t c = t->cap ? 2 * t->cap : 256;
        char *p;
        while (c < t->n + n + 1)
            c *= 2;
        if (!(p = realloc(t->s, c)))
            return -1;
        t->s = p;
        t->cap = c;
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = 0;
    return 0;
}

/* Read more of the stream, keeping buf[pos .. len); 0 at its end. */
static int more(stream *s)
{
    size_t got;

    if (s->eof)
        return 0;
    memmove(s->buf, s->buf + s->pos, s->len - s->pos);
    s->len -= s->pos;
    s->pos = 0;
    if (s->len == sizeof s->buf)
        return 0; /* no element is that long */
    got = fread(s->buf + s->len, 1, sizeof s->buf - s->len, s->p);
    s->len += got;
    s->eof = got == 0;
    return got > 0;
}

/* Move past the next pat; the bytes before it appended to out (when not
 * NULL).  0 when the stream ends first. */
static int upto(stream *s, const char *pat, buf_text *out)
{
    size_t n = strlen(pat);

    for (;;) {
        char *at = memmem(s->buf + s->pos, s->len - s->pos, pat, n);
        size_t keep;

        if (at) {
            if (out && put(out, s->buf + s->pos, (size_t)(at - s->buf) -
                                                     s->pos))
                return 0;
            s->pos = (size_t)(at - s->buf) + n;
            return 1;
        }
        /* all but a possible start of pat is before it */
        keep = s->len - s->pos < n - 1 ? s->len - s->pos : n - 1;
        if (out && put(out, s->buf + s->pos, s->len - s->pos - keep))
            return 0;
        s->pos = s->len - keep;
        if (!more(s))
            return 0;
    }
}

/* Utf-8 of code point c at out. */
static size_t utf8(unsigned long c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xc0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xe0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3f));
        out[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3f));
    out[2] = (char)(0x80 | (c >> 6 & 0x3f));
    out[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

/* The text of every <t> element in xml, entities decoded, into out. */
static int texts(const char *xml, buf_text *out)
{
    static const char *const ent[][2] = {{"amp;", "&"},  {"lt;", "<"},
                                         {"gt;", ">"},   {"quot;", "\""},
                                         {"apos;", "'"}};
    const char *p = xml, *e;

    out->n = 0;
    if (put(out, "", 0))
        return -1;
    while ((p = strstr(p, "<t"))) {
        if (p[2] != '>' && p[2] != ' ') {
            p += 2;
            continue;
        }
        if (!(p = strchr(p, '>')))
            break;
        if (p[-1] == '/' || !(e = strstr(p, "</t>")))
            continue;
        for (p++; p < e; p++) {
            char u[4];
            size_t k, n = 1;

            u[0] = *p;
            if (*p == '&') {
                for (k = 0; k < 5; k++)
                    if (strncmp(p + 1, ent[k][0], strlen(ent[k][0])) == 0) {
                        u[0] = ent[k][1][0];
                        p += strlen(ent[k][0]);
                        break;
                    }
                if (k == 5 && p[1] == '#') {
                    char *end;
                    unsigned long c = p[2] == 'x' ? strtoul(p + 3, &end, 16)
                                                  : strtoul(p + 2, &end, 10);
                    n = utf8(c, u);
                    p = end;
                }
            }
            if (put(out, u, n))
                return -1;
        }
    }
    return 0;
}

static FILE *part(const char *xlsx, const char *name)
{
    char cmd[2048];

    snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s' 2>/dev/null", xlsx, name);
    return popen(cmd, "r");
}

/* The shared strings of xlsx into *sst (caller frees each and the array). */
static int shared_strings(const char *xlsx, char ***sst, size_t *n)
{
    stream *s = calloc(1, sizeof *s);
    buf_text si = {0}, t = {0};
    size_t cap = 0;
    int rc = 0;

    *sst = NULL;
    *n = 0;
    if (!s || !(s->p = part(xlsx, "xl/sharedStrings.xml"))) {
        free(s);
        return -1;
    }
    while (!rc && upto(s, "<si>", NULL)) {
        si.n = 0;
        if (!upto(s, "</si>", &si) || texts(si.s, &t)) {
            rc = -1;
            break;
        }
        if (*n == cap) {
            char **p = realloc(*sst, (cap = cap ? 2 * cap : 1024) * sizeof *p);
            if (!p) {
                rc = -1;
                break;
            }
            *sst = p;
        }
        if (!((*sst)[(*n)++] = strdup(t.s)))
            rc = -1;
    }
    pclose(s->p);
    free(s);
    free(si.s);
    free(t.s);
    return rc;
}

static void put_string(FILE *out, const char *s)
{
    uint32_t len = (uint32_t)strlen(s);

    fputc('s', out);
    fwrite(&len, sizeof len, 1, out);
    fwrite(s, 1, len, out);
}

int xlsx_cells_extract(const char *xlsx, FILE *out, unsigned long long *cells)
{
    char **sst;
    size_t n_sst, i;
    stream *s = calloc(1, sizeof *s);
    buf_text tag = {0}, body = {0}, t = {0};
    int rc = 0;

    *cells = 0;
    if (!s || shared_strings(xlsx, &sst, &n_sst) ||
        !(s->p = part(xlsx, "xl/worksheets/*.xml"))) {
        fprintf(stderr, "bench_pipeline: %s: cannot read its parts\n", xlsx);
        free(s);
        return -1;
    }
    while (!rc && upto(s, "<c ", NULL)) {
        const char *type, *v;

        tag.n = body.n = 0;
        if (!upto(s, ">", &tag)) {
            rc = -1;
            break;
        }
        ++*cells;
        if (tag.n && tag.s[tag.n - 1] == '/') {
            fputc('b', out);
            continue;
        }
        if (!upto(s, "</c>", &body)) {
            rc = -1;
            break;
        }
        type = strstr(tag.s, " t=\"");
        type = type ? type + 4 : "n\"";
        v = strstr(body.s, "<v>");
        if (strncmp(type, "inlineStr\"", 10) == 0) {
            if (texts(body.s, &t))
                rc = -1;
            else
                put_string(out, t.s);
        } else if (!v) {
            rc = -1;
        } else if (strncmp(type, "s\"", 2) == 0) {
            size_t k = strtoul(v + 3, NULL, 10);
            if (k >= n_sst)
                rc = -1;
            else
                put_string(out, sst[k]);
        } else {
            double d = strtod(v + 3, NULL);
            fputc('n', out);
            fwrite(&d, sizeof d, 1, out);
        }
    }
    if (rc)
        fprintf(stderr, "bench_pipeline: %s: a cell it cannot read\n", xlsx);
    pclose(s->p);
    free(s);
    for (i = 0; i < n_sst; i++)
        free(sst[i]);
    free(sst);
    free(tag.s);
    free(body.s);
    free(t.s);
    return rc || ferror(out) ? -1 : 0;
}

int xlsx_cells_next(FILE *in, double *number, char **text, size_t *cap)
{
    int kind = getc(in);
    uint32_t len;

    switch (kind) {
    case 'n':
        return fread(number, sizeof *number, 1, in) == 1 ? 'n' : 0;
    case 'b':
        return 'b';
    case 's':
        if (fread(&len, sizeof len, 1, in) != 1)
            return 0;
        if (len + 1 > *cap) {
            char *p = realloc(*text, len + 1);
            if (!p)
                return 0;
            *text = p;
            *cap = len + 1;
        }
        if (fread(*text, 1, len, in) != len)
            return 0;
        (*text)[len] = 0;
        return 's';
    default:
        return 0;
    }
}
