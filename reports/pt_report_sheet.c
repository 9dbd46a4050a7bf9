/*
 * pt_report_sheet.c -- safe cell writing, page setup and column fitting for
 * the worksheets of the audit workbook (see pt_report_sheet.h).
 */
#include "pt_report_sheet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report_date.h"
#include "pt_report_label.h"

#define LINE_HEIGHT 15.75 /* points per line of 11 pt text, CJK included */

void pt_report_fail(pt_report_ctx *c, pt_report_status st, const char *fmt, ...)
{
    va_list ap;

    if (c->status != PT_REPORT_OK)
        return;
    c->status = st;
    if (c->err && c->errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
}

/* Records a libxlsxwriter failure at a cell.  Text too long for a cell is
 * the caller's data, not a write failure. */
static void check(pt_report_sheet *sh, lxw_error e, lxw_row_t row,
                  lxw_col_t col)
{
    pt_report_status st = PT_REPORT_ERR_WRITE;
    char cell[32];

    if (e == LXW_NO_ERROR)
        return;
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
        st = PT_REPORT_ERR_NOMEM;
    else if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
        st = PT_REPORT_ERR_ARG;
    lxw_rowcol_to_cell(cell, row, col);
    pt_report_fail(sh->ctx, st, "sheet '%s' cell %s: %s", sh->name, cell,
                   lxw_strerror(e));
}

void pt_report_sheet_check(pt_report_sheet *sh, lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR)
        pt_report_fail(sh->ctx,
                       e == LXW_ERROR_MEMORY_MALLOC_FAILED
                           ? PT_REPORT_ERR_NOMEM
                           : PT_REPORT_ERR_WRITE,
                       "sheet '%s': %s: %s", sh->name, what, lxw_strerror(e));
}

/* Length of the valid UTF-8 sequence at s, 0 if invalid. */
static size_t utf8_len(const unsigned char *s, unsigned long *cp)
{
    size_t len;
    unsigned long c;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, c = s[0] & 0x1Fu;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, c = s[0] & 0x0Fu;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, c = s[0] & 0x07u;
    else
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && c < 0x800) ||
        (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Returns s if it is valid UTF-8; otherwise a malloc'd copy (also stored in
 * *owned, for the caller to free) with each bad byte replaced by U+FFFD. */
static const char *repaired(const char *s, char **owned)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned long cp;
    size_t n, o = 0, len;
    char *out;

    *owned = NULL;
    for (; *p; p += len)
        if ((len = utf8_len(p, &cp)) == 0)
            break;
    if (*p == '\0')
        return s;
    n = strlen(s);
    out = malloc(3 * n + 1);
    if (!out)
        return NULL;
    for (p = (const unsigned char *)s; *p; p += len) {
        len = utf8_len(p, &cp);
        if (len == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            len = 1;
        } else {
            memcpy(out + o, p, len);
            o += len;
        }
    }
    out[o] = '\0';
    *owned = out;
    return out;
}

/* Width of a character in units of the default font's digit width, as a
 * spreadsheet measures columns.  Proportional Latin text is narrower than
 * digits; East Asian wide characters (CJK, kana, hangul, full-width forms)
 * take about two units.  An estimate, erring wide, for column widths and
 * row heights. */
static double char_width(unsigned long cp)
{
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    if (cp < 0x80 && strchr(" .,;:()[]'|!ilIjtf-/", (int)cp))
        return 0.6;
    if (cp >= 'a' && cp <= 'z')
        return 0.9;
    return 1;
}

double pt_report_text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    double line = 0, widest = 0;
    unsigned long cp;
    size_t len;

    for (; *p; p += len) {
        len = utf8_len(p, &cp);
        if (len == 0) {
            len = 1;
            cp = 0xFFFD;
        }
        if (cp == '\n') {
            widest = line > widest ? line : widest;
            line = 0;
        } else {
            line += char_width(cp);
        }
    }
    return line > widest ? line : widest;
}

int pt_report_text_lines(const char *s, double width)
{
    const char *p = s ? s : "";
    int lines = 0;

    if (width < 1)
        width = 1;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char buf[1024];
        double w;

        if (n >= sizeof buf)
            n = sizeof buf - 1;
        memcpy(buf, p, n);
        buf[n] = '\0';
        w = pt_report_text_width(buf);
        lines += w <= width ? 1 : (int)ceil(w / width);
        if (!nl)
            break;
        p = nl + 1;
    }
    return lines;
}

static void measure(pt_report_sheet *sh, lxw_col_t col, double w)
{
    if (col < PT_REPORT_MAX_COLS && w > sh->width[col])
        sh->width[col] = w;
}

/* Writes the string s (valid, non-empty) at a cell or across a range. */
static void write_string(pt_report_sheet *sh, lxw_row_t row, lxw_col_t first,
                         lxw_col_t last, const char *s, lxw_format *f)
{
    char *owned;
    const char *text = repaired(s, &owned);

    if (!text) {
        pt_report_fail(sh->ctx, PT_REPORT_ERR_NOMEM, "out of memory");
        return;
    }
    if (first == last) {
        check(sh, worksheet_write_string(sh->ws, row, first, text, f), row,
              first);
    } else {
        check(sh, worksheet_merge_range(sh->ws, row, first, row, last, text, f),
              row, first);
    }
    free(owned);
}

void pt_report_put_text(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                        const char *s, lxw_format *f)
{
    if (sh->measuring)
        measure(sh, col, pt_report_text_width(s));
    else if (s && *s)
        write_string(sh, row, col, col, s, f);
    else if (f)
        check(sh, worksheet_write_blank(sh->ws, row, col, f), row, col);
}

int pt_report_put_wrapped(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                          const char *s, lxw_format *f)
{
    pt_report_put_text(sh, row, col, s, f);
    if (sh->measuring || col >= PT_REPORT_MAX_COLS)
        return 1;
    return pt_report_text_lines(s, sh->set_width[col] - 1);
}

void pt_report_put_merged(pt_report_sheet *sh, lxw_row_t row, lxw_col_t first,
                          lxw_col_t last, const char *s, lxw_format *f)
{
    if (sh->measuring)
        return; /* merged text wraps or overflows: it sets no width */
    if (first == last)
        pt_report_put_text(sh, row, first, s, f);
    else if (s && *s)
        write_string(sh, row, first, last, s, f);
    else
        check(sh, worksheet_merge_range(sh->ws, row, first, row, last, "", f),
              row, first);
}

void pt_report_put_number(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                          double v, lxw_format *f)
{
    char buf[64];

    if (!isfinite(v)) {
        if (f && !sh->measuring)
            check(sh, worksheet_write_blank(sh->ws, row, col, f), row, col);
        return;
    }
    if (sh->measuring)
        measure(sh, col, (double)snprintf(buf, sizeof buf, "%.6g", v));
    else
        check(sh, worksheet_write_number(sh->ws, row, col, v, f), row, col);
}

void pt_report_put_fixed(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                         double v, int decimals, int own)
{
    const pt_report_styles *st = &sh->ctx->st;
    int d = decimals < 0                     ? 0
            : decimals >= PT_REPORT_DECIMALS ? PT_REPORT_DECIMALS - 1
                                             : decimals;

    if (sh->measuring && isfinite(v)) {
        char buf[64];
        measure(sh, col, (double)snprintf(buf, sizeof buf, "%.*f", d, v));
        return;
    }
    pt_report_put_number(sh, row, col, v, st->fixed[own ? 1 : 0][d]);
}

int pt_report_value_decimals(const pt_report_row *x)
{
    int d = pt_report_text_decimals(x->value_text);
    double reported;

    if (d < 0)
        return -1;
    reported = strtod(x->value_text, NULL);
    /* a result reported in another unit ("0.452" % m/m as 4520 mg/kg):
     * the decimals move with the unit's power of ten */
    if (isfinite(x->value) && x->value != 0 && reported != 0) {
        double shift = round(log10(fabs(x->value / reported)));
        if (isfinite(shift))
            d -= (int)shift;
    }
    return d < 0 ? 0 : d;
}

void pt_report_put_sig(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                       double v, int sig, int own)
{
    pt_report_put_fixed(sh, row, col, v, pt_report_sig_decimals(v, sig), own);
}

void pt_report_put_as_value(pt_report_sheet *sh, lxw_row_t row,
                            lxw_col_t col, double v, const pt_report_row *x,
                            int own)
{
    int d = pt_report_value_decimals(x);

    if (d < 0)
        pt_report_put_number(sh, row, col, v,
                             sh->ctx->st.cell[own ? 1 : 0][PT_KIND_VALUE]);
    else
        pt_report_put_fixed(sh, row, col, v, d, own);
}

void pt_report_put_xpt(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                       const pt_report_group *g, int own)
{
    if (isfinite(g->u_x_pt) && g->u_x_pt > 0)
        pt_report_put_fixed(sh, row, col, g->x_pt,
                            pt_report_sig_decimals(g->u_x_pt, 2), own);
    else
        pt_report_put_number(sh, row, col, g->x_pt,
                             sh->ctx->st.cell[own ? 1 : 0][PT_KIND_VALUE]);
}

void pt_report_put_date(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                        const char *iso, lxw_format *f)
{
    pt_report_date d;
    lxw_datetime dt;

    if (!iso || !*iso || pt_report_date_parse(iso, 1, &d) != 0) {
        pt_report_put_text(sh, row, col, iso, f);
        return;
    }
    if (sh->measuring) {
        measure(sh, col, 10);
        return;
    }
    dt.year = d.year;
    dt.month = d.month;
    dt.day = d.day;
    dt.hour = d.hour;
    dt.min = d.min;
    dt.sec = d.sec;
    check(sh, worksheet_write_datetime(sh->ws, row, col, &dt, f), row, col);
}

/* Writes a heading into a cell, with the letters after "_" as a subscript
 * ("x_pt" shows as x with a subscript pt).  Text is a heading from this
 * module's callers, never report data. */
static void write_heading(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                          const char *text)
{
    const pt_report_styles *st = &sh->ctx->st;
    char buf[256];
    lxw_rich_string_tuple runs[16], *list[17];
    size_t nruns = 0, o = 0;
    const char *p = text;

    if (!strchr(text, '_') || strlen(text) >= sizeof buf) {
        check(sh, worksheet_write_string(sh->ws, row, col, text, st->header),
              row, col);
        return;
    }
    /* Split into runs in buf: plain text, then a subscript, and so on. */
    while (*p && nruns + 2 < sizeof runs / sizeof runs[0]) {
        size_t plain = strcspn(p, "_"), sub;

        if (plain > 0) {
            runs[nruns].format = st->header_run;
            runs[nruns].string = buf + o;
            memcpy(buf + o, p, plain);
            o += plain;
            buf[o++] = '\0';
            nruns++;
        }
        p += plain;
        if (*p != '_')
            break;
        p++;
        for (sub = 0; (p[sub] >= 'a' && p[sub] <= 'z') ||
                      (p[sub] >= 'A' && p[sub] <= 'Z');
             sub++)
            ;
        if (sub > 0) {
            runs[nruns].format = st->header_sub;
            runs[nruns].string = buf + o;
            memcpy(buf + o, p, sub);
            o += sub;
            buf[o++] = '\0';
            nruns++;
        }
        p += sub;
    }
    for (size_t i = 0; i < nruns; i++)
        list[i] = &runs[i];
    list[nruns] = NULL;
    check(sh, worksheet_write_rich_string(sh->ws, row, col, list, st->header),
          row, col);
}

double pt_report_span_width(const pt_report_sheet *sh, lxw_col_t first,
                            lxw_col_t last)
{
    double width = 0;

    for (lxw_col_t col = first; col <= last; col++)
        width += col < PT_REPORT_MAX_COLS && sh->set_width[col] > 0
                     ? sh->set_width[col]
                     : LXW_DEF_COL_WIDTH;
    return width;
}

int pt_report_put_info(pt_report_sheet *sh, lxw_row_t row,
                       const lxw_col_t span[4], const char *zh, const char *en,
                       const char *value)
{
    const pt_report_styles *st = &sh->ctx->st;
    char label[256];
    int l1, l2;

    pt_report_label_bilingual(sh->ctx->lang, zh, en, " ", label, sizeof label);
    pt_report_put_merged(sh, row, span[0], span[1], label, st->info_label);
    pt_report_put_merged(sh, row, span[2], span[3], value, st->info_value);
    l1 = pt_report_text_lines(label,
                              pt_report_span_width(sh, span[0], span[1]) - 1);
    l2 = pt_report_text_lines(value,
                              pt_report_span_width(sh, span[2], span[3]) - 1);
    return l1 > l2 ? l1 : l2;
}

int pt_report_put_heading(pt_report_sheet *sh, lxw_row_t row, lxw_col_t first,
                          lxw_col_t last, const char *zh, const char *en)
{
    char text[256];

    if (strcmp(zh, en) == 0)
        snprintf(text, sizeof text, "%s", en);
    else
        pt_report_label_bilingual(sh->ctx->lang, zh, en, "\n", text,
                                  sizeof text);
    if (first != last)
        check(sh,
              worksheet_merge_range(sh->ws, row, first, row, last, "",
                                    sh->ctx->st.header),
              row, first);
    write_heading(sh, row, first, text);
    return pt_report_text_lines(text,
                                pt_report_span_width(sh, first, last) - 1);
}

void pt_report_put_headers(pt_report_sheet *sh, lxw_row_t row, lxw_col_t first,
                           const pt_report_column *cols, size_t n)
{
    int lines = 1;

    for (size_t i = 0; i < n; i++) {
        lxw_col_t col = (lxw_col_t)(first + i);
        int l =
            pt_report_put_heading(sh, row, col, col, cols[i].zh, cols[i].en);
        lines = l > lines ? l : lines;
    }
    pt_report_set_height(sh, row, lines);
}

void pt_report_set_height(pt_report_sheet *sh, lxw_row_t row, int lines)
{
    check(sh, worksheet_set_row(sh->ws, row, LINE_HEIGHT * lines + 3, NULL),
          row, 0);
}

void pt_report_sheet_fit_columns(pt_report_sheet *sh, lxw_col_t first,
                                 const pt_report_column *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lxw_col_t col = (lxw_col_t)(first + i);
        char text[256];
        double w = col < PT_REPORT_MAX_COLS ? sh->width[col] + 2 : 0;
        double h;

        /* The heading wraps, but a column should not be narrower than the
         * heading's lines when the bounds allow. */
        pt_report_label_bilingual(sh->ctx->lang, cols[i].zh, cols[i].en, "\n",
                                  text, sizeof text);
        h = pt_report_text_width(strcmp(cols[i].zh, cols[i].en) ? text
                                                                : cols[i].en) +
            1;
        if (h > w)
            w = h;
        if (w < cols[i].min_width)
            w = cols[i].min_width;
        if (w > cols[i].max_width)
            w = cols[i].max_width;
        /* ... and never so narrow that a word of the heading breaks
         * ("Questionabl/e") */
        {
            const char *p = cols[i].en;
            while (p && *p) {
                size_t len = strcspn(p, " \n");
                char word[64];
                double ww;

                snprintf(word, sizeof word, "%.*s",
                         (int)(len < sizeof word ? len : sizeof word - 1), p);
                ww = pt_report_text_width(word) + 1.5;
                if (ww > w)
                    w = ww;
                p += len;
                p += strspn(p, " \n");
            }
        }
        if (col < PT_REPORT_MAX_COLS)
            sh->set_width[col] = w;
        check(sh, worksheet_set_column(sh->ws, col, col, w, NULL), 0, col);
    }
}

/* Copies s into out[n] doubling every "&" (the header/footer escape), cut at
 * a character boundary so that at most `limit` bytes are used. */
static void escape_amp(const char *s, char *out, size_t n, size_t limit)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t o = 0, len;
    unsigned long cp;

    if (limit >= n)
        limit = n - 1;
    for (; *p; p += len) {
        len = utf8_len(p, &cp);
        if (len == 0)
            break;
        if (o + len + (cp == '&') > limit)
            break;
        if (cp == '&')
            out[o++] = '&';
        memcpy(out + o, p, len);
        o += len;
    }
    out[o] = '\0';
}

lxw_error pt_report_page_texts(pt_report_ctx *c, lxw_worksheet *ws)
{
    const pt_report *r = c->r;
    char lab[128], acc[64], soft[64], doc[96], period[96], head[512],
        foot[512], hash[16] = "";
    pt_report_date gen, d;
    char when[64] = "", from[24] = "", to[24] = "";
    lxw_error e;

    escape_amp(r->lab_name && *r->lab_name ? r->lab_name : r->lab_code, lab,
               sizeof lab, 70);
    escape_amp(r->lab_accreditation, acc, sizeof acc, 30);
    escape_amp(r->software, soft, sizeof soft, 30);
    if (r->document_no && *r->document_no) {
        char raw[96];
        snprintf(raw, sizeof raw, "%s%s%s", r->document_no,
                 r->revision && *r->revision ? " rev. " : "",
                 r->revision ? r->revision : "");
        escape_amp(raw, doc, sizeof doc, 40);
    } else {
        doc[0] = '\0';
    }
    if (pt_report_date_parse(r->generated_at, 1, &gen) == 0)
        snprintf(when, sizeof when, "%04d-%02d-%02d", gen.year, gen.month,
                 gen.day);
    if (pt_report_date_parse(r->period_from, 0, &d) == 0)
        snprintf(from, sizeof from, "%04d-%02d-%02d", d.year, d.month, d.day);
    if (pt_report_date_parse(r->period_to, 0, &d) == 0)
        snprintf(to, sizeof to, "%04d-%02d-%02d", d.year, d.month, d.day);
    if (*from || *to)
        snprintf(period, sizeof period, "%s – %s", from, to);
    else
        snprintf(period, sizeof period, "%s",
                 c->lang == PT_REPORT_ZH_TW ? "全部期間" : "all periods");
    /* the data SHA-256 is known once every row is read: the texts are
     * set again then, with its first 12 digits */
    if (c->digest && strlen(c->digest) >= 12)
        snprintf(hash, sizeof hash, "%.12s", c->digest);
    snprintf(head, sizeof head, "&L%s%s%s&C%s&R&A", lab, *acc ? "  " : "", acc,
             period);
    snprintf(foot, sizeof foot, "&L%s%s%s&C%s&R%s%s%s", soft,
             *hash ? "  SHA-256 " : "", hash,
             c->lang == PT_REPORT_ZH_TW ? "第 &P 頁，共 &N 頁 Page &P of &N"
                                        : "Page &P of &N",
             doc, *doc ? "  " : "", when);
    e = worksheet_set_header(ws, head);
    if (e == LXW_NO_ERROR)
        e = worksheet_set_footer(ws, foot);
    return e;
}

int pt_report_sheet_add(pt_report_ctx *c, pt_report_sheet *sh, const char *name)
{

    memset(sh, 0, sizeof *sh);
    sh->ctx = c;
    sh->name = name;
    /* a sheet created earlier to hold its place in the workbook's order */
    sh->ws = workbook_get_worksheet_by_name(c->wb, name);
    if (!sh->ws)
        sh->ws = workbook_add_worksheet(c->wb, name);
    if (!sh->ws) {
        pt_report_fail(c, PT_REPORT_ERR_WRITE,
                       "cannot add a worksheet named '%s'", name);
        return -1;
    }
    worksheet_set_landscape(sh->ws);
    worksheet_set_paper(sh->ws, 9); /* A4 */
    worksheet_set_margins(sh->ws, 0.4, 0.4, 0.6, 0.6);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    worksheet_gridlines(sh->ws, LXW_HIDE_ALL_GRIDLINES);
    /* text that is a number by design (a value as reported, a clause
     * number, a code) is text: no green triangles in Excel */
    if (worksheet_ignore_errors(sh->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT,
                                "A1:XFD1048576") != LXW_NO_ERROR) {
        pt_report_fail(c, PT_REPORT_ERR_WRITE,
                       "sheet '%s': ignored errors", name);
        return -1;
    }

    if (pt_report_page_texts(c, sh->ws) != LXW_NO_ERROR) {
        pt_report_fail(c, PT_REPORT_ERR_WRITE,
                       "sheet '%s': page header or footer", name);
        return -1;
    }
    return 0;
}
