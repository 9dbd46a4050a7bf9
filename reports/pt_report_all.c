/*
 * pt_report_all.c -- writes the All results sheets (see pt_report_all.h).
 *
 * Layout of each sheet: the title (row 0), a note saying what the sheet
 * holds and, when the results take more than one sheet, which of them
 * (row 1), a blank row, the heading (row 3), then one row per result.
 * Column widths come from the headings and each column's bounds, not from
 * the data: the rows are written in one pass as they are read.  Text does
 * not wrap, so that every row keeps the default height.
 */
#include "pt_report_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_label.h"
#include "pt_report_round.h"

enum {
    A_ROUND,
    A_MEASURAND,
    A_ITEM,
    A_LAB,
    A_METHOD,
    A_REPORTED,
    A_REPORTED_UNIT,
    A_VALUE,
    A_UNIT,
    A_U,
    A_K,
    A_XPT,
    A_UXPT,
    A_SIGMA,
    A_D,
    A_DPCT,
    A_Z,
    A_ZPRIME,
    A_ZETA,
    A_EN,
    A_PRIMARY,
    A_VERDICT,
    N_COLS
};
_Static_assert(A_VERDICT == A_D + 7 && A_DPCT == A_D + 1 &&
                   A_EN == A_D + 5,
               "pt_report_put_scores writes D .. verdict side by side");

static const pt_report_column columns[N_COLS] = {
    {"輪次", "Round", PT_KIND_TEXT, 10, 18},
    {"量測項目", "Measurand", PT_KIND_TEXT, 12, 24},
    {"試樣", "Item", PT_KIND_CENTER, 8, 14},
    {"參加者", "Participant", PT_KIND_TEXT, 12, 32},
    {"方法", "Method", PT_KIND_TEXT, 16, 20},
    {"報告值", "As reported", PT_KIND_TEXT, 11, 14},
    {"報告單位", "Reported unit", PT_KIND_CENTER, 9, 10},
    {"結果 x", "Result x", PT_KIND_VALUE, 10, 12},
    {"單位", "Unit", PT_KIND_CENTER, 8, 10},
    {"不確定度 U", "Expanded U", PT_KIND_VALUE, 10, 12},
    {"k", "k", PT_KIND_FACTOR, 6, 6},
    {"指定值 x_pt", "Assigned value", PT_KIND_VALUE, 10, 12},
    {"u(x_pt)", "u(x_pt)", PT_KIND_VALUE, 9, 11},
    {"σ_pt", "σ_pt", PT_KIND_VALUE, 9, 11},
    {"差異 D", "Difference D", PT_KIND_VALUE, 9, 11},
    {"差異 D%", "Difference D%", PT_KIND_PERCENT, 9, 11},
    {"z", "z", PT_KIND_SCORE, 7, 8},
    {"z′", "z′", PT_KIND_SCORE, 7, 8},
    {"ζ", "ζ", PT_KIND_SCORE, 7, 8},
    {"En", "En", PT_KIND_SCORE, 7, 8},
    {"主要分數", "Primary score", PT_KIND_CENTER, 9, 10},
    {"判定", "Verdict", PT_KIND_CENTER, 10, 15},
};

#define HEAD_ROW 3
#define FIRST_ROW (HEAD_ROW + 1)

void pt_report_all_plan(pt_report_ctx *c)
{
    const pt_report *r = c->r;
    size_t fit = (size_t)LXW_ROW_MAX - FIRST_ROW;

    c->n_results = r->source ? r->source->n_rows : r->n_rows;
    c->sheet_rows =
        r->max_sheet_rows && r->max_sheet_rows < fit ? r->max_sheet_rows : fit;
    c->n_all_sheets = c->n_results == 0
                          ? 1
                          : (c->n_results + c->sheet_rows - 1) / c->sheet_rows;
}

void pt_report_all_name(pt_report_lang lang, size_t k,
                        char out[PT_REPORT_SHEETNAME_SIZE])
{
    const char *base = pt_report_audit_sheet_name(lang, PT_SHEET_ALL);

    if (k == 0)
        snprintf(out, PT_REPORT_SHEETNAME_SIZE, "%s", base);
    else
        snprintf(out, PT_REPORT_SHEETNAME_SIZE, "%s (%zu)", base, k + 1);
}

/* The name of sheet k of All results (see pt_report_sheet.h's names). */
static const char *sheet_name(const pt_report_ctx *c, size_t k)
{
    return c->names[k == 0 ? PT_SHEET_ALL : PT_SHEET_FIXED + k - 1];
}

#define FMT(own, col) (c->st.cell[own][columns[col].kind])

static void put_row(pt_report_sheet *sh, lxw_row_t row, const pt_report_row *x,
                    const pt_report_round *rd)
{
    const pt_report_ctx *c = sh->ctx;
    const pt_report_group *g = &rd->groups[x->group];
    int own = x->own ? 1 : 0;
    char who[512];

    if (own)
        pt_report_participant_text(c, x, who, sizeof who);
    pt_report_put_text(sh, row, A_ROUND, rd->code, FMT(own, A_ROUND));
    pt_report_put_text(sh, row, A_MEASURAND,
                       g->measurand_name && *g->measurand_name
                           ? g->measurand_name
                           : g->measurand,
                       FMT(own, A_MEASURAND));
    pt_report_put_text(sh, row, A_ITEM, g->item, FMT(own, A_ITEM));
    pt_report_put_text(sh, row, A_LAB, own ? who : x->lab, FMT(own, A_LAB));
    pt_report_put_text(sh, row, A_METHOD, x->method, FMT(own, A_METHOD));
    pt_report_put_text(sh, row, A_REPORTED, x->value_text,
                       FMT(own, A_REPORTED));
    pt_report_put_text(sh, row, A_REPORTED_UNIT, x->unit_text,
                       FMT(own, A_REPORTED_UNIT));
    pt_report_put_as_value(sh, row, A_VALUE, x->value, x, own);
    pt_report_put_text(sh, row, A_UNIT, g->unit, FMT(own, A_UNIT));
    pt_report_put_sig(sh, row, A_U, x->U, 2, own);
    pt_report_put_number(sh, row, A_K, x->k, FMT(own, A_K));
    pt_report_put_xpt(sh, row, A_XPT, g, own);
    pt_report_put_sig(sh, row, A_UXPT, g->u_x_pt, 2, own);
    pt_report_put_sig(sh, row, A_SIGMA, g->sigma_pt, 3, own);
    pt_report_put_scores(sh, row, A_D, columns, x);
}

/* What sheet k holds, for its note. */
static void note_text(const pt_report_ctx *c, size_t k, char *buf, size_t n)
{
    int zh = c->lang == PT_REPORT_ZH_TW;
    size_t first = k * c->sheet_rows + 1,
           last = first - 1 + c->sheet_rows < c->n_results
                      ? first - 1 + c->sheet_rows
                      : c->n_results;
    size_t len;

    snprintf(buf, n, "%s",
             zh ? "每一輪次全部參加者之結果，以代碼表示（本實驗室之列標示），"
                  "附指定值 x_pt、u(x_pt)、σ_pt 及分數。有獨立工作表之輪次"
                  "另有圖表；其他輪次以本表為紀錄（見輪次工作表）。"
                : "Every participant's result of every round, by code (the "
                  "laboratory's own rows highlighted), with the assigned "
                  "value x_pt, u(x_pt), σ_pt and the scores.  Rounds with a "
                  "sheet of their own also have charts there; for the other "
                  "rounds this is the record (see the Rounds sheet).");
    if (c->n_all_sheets < 2)
        return;
    len = strlen(buf);
    if (zh)
        snprintf(buf + len, n - len,
                 "\n結果共 %zu 筆，超過一張工作表之容量（Excel 每張至多 "
                 "1,048,576 列），分 %zu 張：本張為第 %zu 張，第 %zu 至 %zu "
                 "筆%s%s%s。",
                 c->n_results, c->n_all_sheets, k + 1, first, last,
                 k + 1 < c->n_all_sheets ? "；其後接續於「" : "",
                 k + 1 < c->n_all_sheets ? sheet_name(c, k + 1) : "",
                 k + 1 < c->n_all_sheets ? "」" : "");
    else
        snprintf(buf + len, n - len,
                 "\nThe %zu results do not fit on one sheet (Excel holds "
                 "1,048,576 rows a sheet) and take %zu sheets: this is sheet "
                 "%zu, results %zu to %zu%s%s%s.",
                 c->n_results, c->n_all_sheets, k + 1, first, last,
                 k + 1 < c->n_all_sheets ? "; they continue on '" : "",
                 k + 1 < c->n_all_sheets ? sheet_name(c, k + 1) : "",
                 k + 1 < c->n_all_sheets ? "'" : "");
}

/* Adds sheet k with its title, note, heading and the settings that must
 * come before the rows. */
static int start_sheet(pt_report_ctx *c, pt_report_sheet *sh, size_t k)
{
    size_t rows = c->n_results - k * c->sheet_rows;
    lxw_row_t last;
    char note[1024], name[32];

    if (rows > c->sheet_rows)
        rows = c->sheet_rows;
    if (pt_report_sheet_add(c, sh, sheet_name(c, k)) != 0)
        return -1;
    pt_report_sheet_fit_columns(sh, 0, columns, N_COLS);
    note_text(c, k, note, sizeof note);
    pt_report_put_title(sh, N_COLS - 1, "全部參加者結果",
                        "All participants' results", note);
    pt_report_put_headers(sh, HEAD_ROW, 0, columns, N_COLS);
    last = HEAD_ROW + (lxw_row_t)(rows ? rows : 1);
    /* before the rows: in constant_memory mode a range that ends above
     * the last row written is refused */
    pt_report_sheet_check(
        sh, worksheet_autofilter(sh->ws, HEAD_ROW, 0, last, N_COLS - 1),
        "autofilter");
    if (k == 0)
        snprintf(name, sizeof name, "PT_All_Results");
    else
        snprintf(name, sizeof name, "PT_All_Results_%zu", k + 1);
    pt_report_define_range(sh, name, HEAD_ROW, last, N_COLS);
    worksheet_freeze_panes(sh->ws, FIRST_ROW, A_LAB + 1);
    /* two pages across (one would print at about 5 pt), the round code
     * repeated on the second */
    worksheet_fit_to_pages(sh->ws, 2, 0);
    pt_report_sheet_check(sh, worksheet_repeat_columns(sh->ws, 0, 0),
                          "columns repeated on each page");
    pt_report_sheet_check(sh, worksheet_repeat_rows(sh->ws, HEAD_ROW, HEAD_ROW),
                          "rows repeated on each page");
    if (rows == 0)
        pt_report_put_merged(
            sh, FIRST_ROW, 0, A_VERDICT,
            pt_report_label_pick(c->lang, "本期間無結果。",
                                 "No results in the period."),
            c->st.note);
    return c->status == PT_REPORT_OK ? 0 : -1;
}

void pt_report_all_write(pt_report_ctx *c)
{
    const pt_report *r = c->r;
    pt_report_sheet sh;
    size_t done = 0, k = 0, on_sheet = 0;

    c->all_sheet = calloc(r->n_rounds ? r->n_rounds : 1, sizeof *c->all_sheet);
    c->all_row = calloc(r->n_rounds ? r->n_rounds : 1, sizeof *c->all_row);
    if (!c->all_sheet || !c->all_row) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return;
    }
    if (start_sheet(c, &sh, 0) != 0)
        return;
    for (size_t i = 0; i < r->n_rounds && c->status == PT_REPORT_OK; i++) {
        const pt_report_round *rd = &r->rounds[i];
        const pt_report_row *rows;
        size_t n;

        if (pt_report_round_rows(c, i, &rows, &n) != 0)
            return;
        if (n > c->n_results - done) {
            pt_report_fail(c, PT_REPORT_ERR_ARG,
                           "source: more rows than n_rows (%zu) by round %s",
                           c->n_results, rd->code);
            return;
        }
        for (size_t j = 0; j < n && c->status == PT_REPORT_OK; j++) {
            if (on_sheet == c->sheet_rows) {
                if (start_sheet(c, &sh, ++k) != 0)
                    return;
                on_sheet = 0;
            }
            if (j == 0) {
                c->all_sheet[i] = k;
                c->all_row[i] = FIRST_ROW + (lxw_row_t)on_sheet;
            }
            put_row(&sh, FIRST_ROW + (lxw_row_t)on_sheet, &rows[j], rd);
            on_sheet++;
        }
        done += n;
        if (r->progress)
            r->progress(r->progress_ctx, done, c->n_results);
    }
    if (c->status == PT_REPORT_OK && done != c->n_results)
        pt_report_fail(c, PT_REPORT_ERR_ARG,
                       "source: n_rows is %zu but the rounds gave %zu",
                       c->n_results, done);
}
