/*
 * pt_report_audit.c -- what the audit sheets share (see pt_report_audit.h):
 * sheet names, links, titles and the table writer.
 */
#include "pt_report_audit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pt_report_date.h"
#include "pt_report_label.h"
#include "pt_report_round.h"

static const struct {
    const char *zh, *en;
} sheet_names[PT_SHEET_FIXED] = {
    {"封面 Cover", "Cover"},
    {"索引 Index", "Index"},
    {"能力試驗計畫 PT plan", "PT plan"},
    {"次領域摘要 Sub-disciplines", "Sub-discipline summary"},
    {"輪次 Rounds", "Rounds"},
    {"結果 Results", "Results"},
    {"趨勢 Trend", "Trend"},
    {"分局對參考 Branch vs ref", "Branch vs reference"},
    {"矯正措施 Corrective actions", "Corrective actions"},
    {"量測不確定度 Uncertainty", "Measurement uncertainty"},
    {"設備與追溯 Equipment", "Equipment and traceability"},
    {"方法參數 Methods", "Method parameters"},
    {"全部結果 All results", "All results"},
};

const char *pt_report_audit_sheet_name(pt_report_lang lang, int which)
{
    if (which < 0 || which >= PT_SHEET_FIXED)
        return "";
    return pt_report_label_pick(lang, sheet_names[which].zh,
                                sheet_names[which].en);
}

long pt_report_audit_day(const char *iso)
{
    pt_report_date d;

    if (!iso || pt_report_date_parse(iso, 1, &d) != 0)
        return -1;
    d.hour = d.min = d.sec = 0;
    return (long)(pt_report_date_unix(&d) / 86400);
}

/* A link to `cell` of sheet `target` showing `text`. */
static void put_link_at(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                        const char *text, const char *target, const char *cell)
{
    char url[2 * PT_REPORT_SHEETNAME_SIZE + 48];
    size_t o;
    lxw_format *f = sh->ctx->st.link;

    if (sh->measuring || !target || !*target) {
        pt_report_put_text(sh, row, col, text,
                           sh->measuring ? NULL : sh->ctx->st.cell[0][0]);
        return;
    }
    o = (size_t)snprintf(url, sizeof url, "internal:'");
    for (const char *p = target; *p && o + 24 < sizeof url; p++) {
        if (*p == '\'')
            url[o++] = '\'';
        url[o++] = *p;
    }
    snprintf(url + o, sizeof url - o, "'!%s", cell);
    if (worksheet_write_url(sh->ws, row, col, url, f) != LXW_NO_ERROR)
        f = sh->ctx->st.cell[0][0]; /* out of links: plain text is fine */
    pt_report_put_text(sh, row, col, text, f);
}

void pt_report_put_link(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                        const char *text, const char *target)
{
    put_link_at(sh, row, col, text, target, "A1");
}

void pt_report_put_round_link(pt_report_sheet *sh, lxw_row_t row,
                              lxw_col_t col, size_t i)
{
    const pt_report_ctx *c = sh->ctx;
    const char *code = c->r->rounds[i].code;
    size_t k;
    char cell[16];

    if (c->why && c->why[i] >= PT_ROUND_SHEET_EVERY) {
        put_link_at(sh, row, col, code, c->names[c->round_base + i], "A1");
        return;
    }
    if (!c->all_row || c->all_row[i] == 0) {
        put_link_at(sh, row, col, code, NULL, NULL);
        return;
    }
    k = c->all_sheet[i];
    lxw_rowcol_to_cell(cell, c->all_row[i], 0);
    put_link_at(sh, row, col, code,
                c->names[k == 0 ? PT_SHEET_ALL : PT_SHEET_FIXED + k - 1],
                cell);
}

void pt_report_put_title(pt_report_sheet *sh, lxw_col_t last, const char *zh,
                         const char *en, const char *note)
{
    char text[512];
    int lines;

    pt_report_label_bilingual(sh->ctx->lang, zh, en, "　", text, sizeof text);
    pt_report_put_merged(sh, 0, 0, last, text, sh->ctx->st.title);
    pt_report_sheet_check(sh, worksheet_set_row(sh->ws, 0, 30, NULL),
                          "title row height");
    if (!note || !*note)
        return;
    pt_report_put_merged(sh, 1, 0, last, note, sh->ctx->st.note);
    lines = pt_report_text_lines(note, pt_report_span_width(sh, 0, last) * 1.1);
    pt_report_sheet_check(
        sh, worksheet_set_row(sh->ws, 1, 13.0 * lines + 4, NULL),
        "note row height");
}

void pt_report_put_section(pt_report_sheet *sh, lxw_row_t row, lxw_col_t last,
                           const char *zh, const char *en)
{
    char text[256];

    pt_report_label_bilingual(sh->ctx->lang, zh, en, "　", text, sizeof text);
    pt_report_put_merged(sh, row, 0, last, text, sh->ctx->st.section);
    pt_report_sheet_check(sh, worksheet_set_row(sh->ws, row, 24, NULL),
                          "section row height");
}

void pt_report_table_measure(pt_report_sheet *sh, const pt_report_table *t)
{
    for (size_t i = 0; i < t->n_rows && sh->ctx->status == PT_REPORT_OK; i++)
        t->put(sh, 0, i, t->arg);
}

void pt_report_table_fit(pt_report_sheet *sh, const pt_report_table *t,
                         int widen_only)
{
    double before[PT_REPORT_MAX_COLS];

    memcpy(before, sh->set_width, sizeof before);
    pt_report_sheet_fit_columns(sh, 0, t->cols, t->n_cols);
    if (!widen_only)
        return;
    for (size_t i = 0; i < t->n_cols && i < PT_REPORT_MAX_COLS; i++)
        if (before[i] > sh->set_width[i]) {
            sh->set_width[i] = before[i];
            pt_report_sheet_check(sh,
                                  worksheet_set_column(sh->ws, (lxw_col_t)i,
                                                       (lxw_col_t)i, before[i],
                                                       NULL),
                                  "column width");
        }
}

void pt_report_tables_fit(pt_report_sheet *sh,
                          const pt_report_table *const t[], size_t n)
{
    size_t i;

    sh->measuring = 1;
    for (i = 0; i < n; i++) {
        if (i)
            memset(sh->width, 0, sizeof sh->width);
        pt_report_table_measure(sh, t[i]);
        pt_report_table_fit(sh, t[i], i > 0);
    }
    sh->measuring = 0;
}

void pt_report_define_range(pt_report_sheet *sh, const char *name,
                         lxw_row_t first, lxw_row_t last, lxw_col_t ncols)
{
    char ref[2 * PT_REPORT_SHEETNAME_SIZE + 64], a[16], b[16];
    size_t o;

    o = (size_t)snprintf(ref, sizeof ref, "='");
    for (const char *p = sh->name; *p && o + 40 < sizeof ref; p++) {
        if (*p == '\'')
            ref[o++] = '\'';
        ref[o++] = *p;
    }
    lxw_rowcol_to_cell_abs(a, first, 0, 1, 1);
    lxw_rowcol_to_cell_abs(b, last, (lxw_col_t)(ncols - 1), 1, 1);
    snprintf(ref + o, sizeof ref - o, "'!%s:%s", a, b);
    pt_report_sheet_check(sh, workbook_define_name(sh->ctx->wb, name, ref),
                          "defined name");
}

lxw_row_t pt_report_table_write(pt_report_sheet *sh, lxw_row_t row,
                                const pt_report_table *t, int primary)
{
    const pt_report_ctx *c = sh->ctx;
    lxw_row_t head = row, last;
    lxw_col_t lastcol = (lxw_col_t)(t->n_cols - 1);

    pt_report_put_headers(sh, head, 0, t->cols, t->n_cols);
    /* before the rows: in constant_memory mode a range that ends above
     * the last row written is refused */
    if (primary)
        pt_report_sheet_check(sh,
                              worksheet_autofilter(sh->ws, head, 0,
                                                   head + (lxw_row_t)t->n_rows,
                                                   lastcol),
                              "autofilter");
    for (size_t i = 0; i < t->n_rows && c->status == PT_REPORT_OK; i++) {
        int lines = t->put(sh, head + 1 + (lxw_row_t)i, i, t->arg);

        if (lines > 1)
            pt_report_set_height(sh, head + 1 + (lxw_row_t)i, lines);
    }
    last = head + (lxw_row_t)t->n_rows;
    if (t->n_rows == 0) {
        pt_report_put_merged(sh, head + 1, 0, lastcol,
                             pt_report_label_pick(c->lang, t->empty_zh,
                                                  t->empty_en),
                             c->st.note);
        last = head + 1;
    }
    if (t->defined_name)
        pt_report_define_range(sh, t->defined_name, head, last, (lxw_col_t)t->n_cols);
    if (primary) {
        pt_report_sheet_check(sh, worksheet_repeat_rows(sh->ws, head, head),
                              "rows repeated on each page");
        if (head < 8) /* a taller block above would fill the screen */
            worksheet_freeze_panes(sh->ws, head + 1, 0);
    }
    return last + 1;
}

double pt_report_primary_value(const pt_report_row *x)
{
    const char *p = x->primary;

    if (!p)
        return NAN;
    if (strcmp(p, "z") == 0)
        return x->z;
    if (strcmp(p, "z'") == 0)
        return x->z_prime;
    if (strcmp(p, "zeta") == 0)
        return x->zeta;
    if (strcmp(p, "En") == 0)
        return x->En;
    return NAN;
}

int pt_report_primary_is_en(const pt_report_row *x)
{
    return x->primary && strcmp(x->primary, "En") == 0;
}

void pt_report_join_distinct(char *buf, size_t n, const char *s)
{
    size_t len = strlen(buf), sl;
    const char *p;

    if (!s || !*s)
        return;
    sl = strlen(s);
    for (p = buf; (p = strstr(p, s)) != NULL; p++)
        if ((p == buf || (p >= buf + 2 && p[-2] == ';' && p[-1] == ' ')) &&
            (p[sl] == '\0' || p[sl] == ';'))
            return;
    if (len + (len ? 2 : 0) + sl + 1 > n)
        return; /* full: the cell shows what fits */
    snprintf(buf + len, n - len, "%s%s", len ? "; " : "", s);
}
