/*
 * pt_report_summary.c -- writes the Results sheet, once the summary (see
 * pt_report_summary.h).
 *
 * Only the workbook laboratory's own results are listed here: the summary is
 * its record of performance under ISO/IEC 17025 7.7.2.  Every participant's
 * result, by code, is on All results (and on the round's sheet when the
 * round has one).
 *
 * Layout: a title block (rows 0-4, including a colour legend of the
 * verdicts), a blank row, the table's heading row, then one row per result.
 * The data are written first so that column widths can follow them; the
 * title block, whose merged cells do not count towards widths, comes last.
 */
#include "pt_report_summary.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_date.h"
#include "pt_report_label.h"
#include "pt_report_round.h"

enum {
    C_ROUND,
    C_OPENED,
    C_ROC,
    C_SCHEME,
    C_MEASURAND,
    C_ITEM,
    C_CODE,
    C_METHOD,
    C_REPORTED,
    C_REPORTED_UNIT,
    C_VALUE,
    C_UNIT,
    C_U,
    C_K,
    C_XPT,
    C_UXPT,
    C_SIGMA,
    C_ASSIGNED,
    C_D,
    C_DPCT,
    C_Z,
    C_ZPRIME,
    C_ZETA,
    C_EN,
    C_PRIMARY,
    C_VERDICT,
    C_OFFICIAL,
    C_RECONCILED,
    C_BASIS,
    C_LIMIT,
    C_ANALYST,
    C_TESTED,
    C_DEADLINE,
    C_INSTRUMENT,
    C_REPLICATES,
    C_VERSION,
    C_REMARKS,
    N_COLS
};

static const pt_report_column columns[N_COLS] = {
    {"輪次", "Round", PT_KIND_TEXT, 10, 18},
    {"開始日期", "Opened", PT_KIND_DATE, 11, 11},
    {"民國年", "ROC year", PT_KIND_ROC, 10, 11},
    {"計畫", "Scheme", PT_KIND_WRAP, 9, 14},
    {"量測項目", "Measurand", PT_KIND_WRAP, 11, 20},
    {"試樣", "Item", PT_KIND_CENTER, 7, 14},
    {"本室代碼", "Our code", PT_KIND_CENTER, 9, 12},
    {"方法", "Method", PT_KIND_WRAP, 10, 18},
    {"報告值", "As reported", PT_KIND_TEXT, 9, 14},
    {"報告單位", "Reported unit", PT_KIND_CENTER, 9, 9},
    {"結果 x", "Result x", PT_KIND_VALUE, 9, 12},
    {"單位", "Unit", PT_KIND_CENTER, 7, 10},
    {"不確定度 U", "Expanded U", PT_KIND_VALUE, 10, 12},
    {"k", "k", PT_KIND_FACTOR, 5, 6},
    {"指定值 x_pt", "Assigned value", PT_KIND_VALUE, 10, 12},
    {"u(x_pt)", "u(x_pt)", PT_KIND_VALUE, 9, 11},
    {"σ_pt", "σ_pt", PT_KIND_VALUE, 9, 11},
    {"指定值來源", "Assigned from", PT_KIND_WRAP, 10, 12},
    {"差異 D", "Difference D", PT_KIND_VALUE, 9, 11},
    {"差異 D%", "Difference D%", PT_KIND_PERCENT, 9, 11},
    {"z", "z", PT_KIND_SCORE, 7, 8},
    {"z′", "z′", PT_KIND_SCORE, 7, 8},
    {"ζ", "ζ", PT_KIND_SCORE, 7, 8},
    {"En", "En", PT_KIND_SCORE, 7, 8},
    {"主要分數", "Primary score", PT_KIND_CENTER, 9, 10},
    {"判定", "Verdict", PT_KIND_CENTER, 10, 15},
    {"主辦單位報告之分數", "Provider's official score", PT_KIND_CENTER, 10,
     12},
    {"報告分數與重算比對", "Official vs recomputed", PT_KIND_WRAP, 14, 24},
    {"σ_pt 依據", "Basis of σ_pt", PT_KIND_WRAP, 12, 24},
    {"適用限值", "Limit in force", PT_KIND_WRAP, 12, 28},
    {"分析人員", "Analyst", PT_KIND_CENTER, 8, 12},
    {"測試日期", "Tested on", PT_KIND_DATE, 11, 11},
    {"距截止日（天）", "Days before the deadline", PT_KIND_COUNT, 9, 12},
    {"儀器", "Instrument", PT_KIND_WRAP, 12, 20},
    {"重複測定值", "Replicates", PT_KIND_WRAP, 10, 16},
    {"版次（更正理由）", "Version (reason for the correction)",
     PT_KIND_WRAP, 10, 22},
    {"備註", "Remarks", PT_KIND_WRAP, 14, 30},
};

#define TITLE_ROWS 5                /* title, 3 info rows, legend */
#define HEADER_ROW (TITLE_ROWS + 1) /* after a blank row */

/* The format of a cell of column `col` (see columns[].kind). */
#define FMT(col) (c->st.cell[0][columns[col].kind])

/* One result; returns the number of lines its tallest cell needs. */
static int put_row(pt_report_sheet *sh, lxw_row_t row, const pt_report_row *x,
                   const pt_report_round *rd)
{
    const pt_report_ctx *c = sh->ctx;
    const pt_report_group *g = &rd->groups[x->group];
    const char *measurand = g->measurand_name && *g->measurand_name
                                ? g->measurand_name
                                : g->measurand;
    pt_report_date d;
    int roc = 0, lines = 1, l[11];

    if (rd->opened && pt_report_date_parse(rd->opened, 0, &d) == 0)
        roc = pt_report_date_roc_year(d.year);
    pt_report_put_round_link(sh, row, C_ROUND, x->round);
    pt_report_put_date(sh, row, C_OPENED, rd->opened, FMT(C_OPENED));
    pt_report_put_number(sh, row, C_ROC, roc > 0 ? roc : NAN, FMT(C_ROC));
    l[0] = pt_report_put_wrapped(sh, row, C_SCHEME,
                                 rd->scheme_name ? rd->scheme_name
                                                 : rd->scheme,
                                 FMT(C_SCHEME));
    l[1] = pt_report_put_wrapped(sh, row, C_MEASURAND, measurand,
                                 FMT(C_MEASURAND));
    pt_report_put_text(sh, row, C_ITEM, g->item, FMT(C_ITEM));
    pt_report_put_text(sh, row, C_CODE, x->lab, FMT(C_CODE));
    l[2] = pt_report_put_wrapped(sh, row, C_METHOD, x->method, FMT(C_METHOD));
    pt_report_put_text(sh, row, C_REPORTED, x->value_text, FMT(C_REPORTED));
    pt_report_put_text(sh, row, C_REPORTED_UNIT, x->unit_text,
                       FMT(C_REPORTED_UNIT));
    pt_report_put_as_value(sh, row, C_VALUE, x->value, x, 1);
    pt_report_put_text(sh, row, C_UNIT, g->unit, FMT(C_UNIT));
    pt_report_put_sig(sh, row, C_U, x->U, 2, 1);
    pt_report_put_number(sh, row, C_K, x->k, FMT(C_K));
    pt_report_put_xpt(sh, row, C_XPT, g, 1);
    pt_report_put_sig(sh, row, C_UXPT, g->u_x_pt, 2, 1);
    pt_report_put_sig(sh, row, C_SIGMA, g->sigma_pt, 3, 1);
    l[3] = pt_report_put_wrapped(sh, row, C_ASSIGNED,
                                 pt_report_label_assigned(c->lang, g->assigned),
                                 FMT(C_ASSIGNED));
    pt_report_put_scores(sh, row, C_D, columns, x);
    l[9] = 1;
    if (x->official_score) {
        char off[128], rec[256];
        snprintf(off, sizeof off, "%s = %s",
                 pt_report_label_score(x->official_kind), x->official_score);
        pt_report_put_text(sh, row, C_OFFICIAL, off, FMT(C_OFFICIAL));
        pt_report_official_text(c->lang, x->official_score,
                                x->official_recomputed, x->official_agrees,
                                rec, sizeof rec);
        l[9] = pt_report_put_wrapped(
            sh, row, C_RECONCILED, rec,
            pt_report_official_format(c, x->official_agrees));
    }
    l[10] = pt_report_put_wrapped(sh, row, C_REPLICATES, x->replicates,
                                  FMT(C_REPLICATES));
    l[4] = pt_report_put_wrapped(sh, row, C_BASIS, g->sigma_basis,
                                 FMT(C_BASIS));
    l[5] = pt_report_put_wrapped(sh, row, C_LIMIT, x->limit_text,
                                 FMT(C_LIMIT));
    /* the evidence behind the result: who, when against the provider's
     * deadline, with what, which version and why */
    pt_report_put_text(sh, row, C_ANALYST, x->analyst, FMT(C_ANALYST));
    pt_report_put_date(sh, row, C_TESTED, x->tested_on, FMT(C_TESTED));
    {
        long t = pt_report_audit_day(x->tested_on);
        long dl = pt_report_audit_day(rd->closed);
        pt_report_put_number(sh, row, C_DEADLINE,
                             t >= 0 && dl >= 0 ? (double)(dl - t) : NAN,
                             t >= 0 && dl >= 0 && dl < t
                                 ? c->st.verdict[PT_VERDICT_UNSATISFACTORY]
                                 : FMT(C_DEADLINE));
    }
    l[6] = pt_report_put_wrapped(sh, row, C_INSTRUMENT, x->instrument,
                                 FMT(C_INSTRUMENT));
    {
        char version[512];
        if (x->version > 1)
            snprintf(version, sizeof version, "%d%s%s%s", x->version,
                     x->version_reason ? "（" : "",
                     x->version_reason ? x->version_reason : "",
                     x->version_reason ? "）" : "");
        else
            snprintf(version, sizeof version, "%d", x->version > 0
                                                        ? x->version
                                                        : 1);
        l[7] = pt_report_put_wrapped(sh, row, C_VERSION, version,
                                     FMT(C_VERSION));
    }
    l[8] = pt_report_put_wrapped(sh, row, C_REMARKS, x->remarks,
                                 FMT(C_REMARKS));
    for (int i = 0; i < 11; i++)
        lines = l[i] > lines ? l[i] : lines;
    return lines;
}

/* "2024-01-01（民國113年） – 2025-12-31（民國114年）"; either end may be
 * missing. */
static void period_text(const pt_report *r, pt_report_lang lang, char *buf,
                        size_t n)
{
    char from[64] = "", to[64] = "";
    pt_report_date d;

    if (pt_report_date_parse(r->period_from, 0, &d) == 0)
        pt_report_date_text(&d, lang, r->roc_dates, NULL, from, sizeof from);
    if (pt_report_date_parse(r->period_to, 0, &d) == 0)
        pt_report_date_text(&d, lang, r->roc_dates, NULL, to, sizeof to);
    if (!*from && !*to)
        snprintf(buf, n, "%s", pt_report_label_pick(lang, "全部", "All"));
    else
        snprintf(buf, n, "%s – %s", from, to);
}

/* Two key/value pairs side by side in one row. */
static void put_info_row(pt_report_sheet *sh, lxw_row_t row, const char *zh1,
                         const char *en1, const char *v1, const char *zh2,
                         const char *en2, const char *v2)
{
    static const lxw_col_t left[4] = {C_ROUND, C_OPENED, C_ROC, C_ITEM};
    static const lxw_col_t right[4] = {C_CODE, C_METHOD, C_REPORTED, C_SIGMA};
    int l1 = pt_report_put_info(sh, row, left, zh1, en1, v1);
    int l2 = pt_report_put_info(sh, row, right, zh2, en2, v2);

    pt_report_set_height(sh, row, l1 > l2 ? l1 : l2);
}

/* The colour legend of the verdicts and the scoring criteria. */
static void put_legend(pt_report_sheet *sh, lxw_row_t row)
{
    const pt_report_ctx *c = sh->ctx;
    static const lxw_col_t spans[4][2] = {{C_ROC, C_SCHEME},
                                          {C_MEASURAND, C_ITEM},
                                          {C_CODE, C_METHOD},
                                          {C_REPORTED, C_REPORTED_UNIT}};
    static const pt_report_verdict order[4] = {
        PT_VERDICT_SATISFACTORY, PT_VERDICT_QUESTIONABLE,
        PT_VERDICT_UNSATISFACTORY, PT_VERDICT_NONE};
    const char *criteria = c->r->criteria;
    char label[64];
    int lines;

    pt_report_label_bilingual(c->lang, "判定", "Verdict", " ", label,
                              sizeof label);
    pt_report_put_merged(sh, row, C_ROUND, C_OPENED, label, c->st.info_label);
    for (int i = 0; i < 4; i++)
        pt_report_put_merged(sh, row, spans[i][0], spans[i][1],
                             pt_report_label_verdict(c->lang, order[i]),
                             c->st.verdict[order[i]]);
    if (!criteria || !*criteria)
        criteria = pt_report_label_pick(
            c->lang,
            "z、z′、ζ：|分數| ≤ 2 滿意，2 < |分數| < 3 可疑，|分數| ≥ 3 "
            "不滿意（ISO 13528:2022）；En 之判定界限依各計畫設定。",
            "z, z′, ζ: |score| ≤ 2 satisfactory, 2 < |score| < 3 "
            "questionable, |score| ≥ 3 unsatisfactory (ISO 13528:2022); the "
            "En limit is set per scheme.");
    pt_report_put_merged(sh, row, C_VALUE, C_VERDICT, criteria, c->st.note);
    lines = pt_report_text_lines(criteria,
                                 pt_report_span_width(sh, C_VALUE, C_VERDICT));
    pt_report_set_height(sh, row, lines);
}

static void put_title_block(pt_report_sheet *sh, size_t n_own, size_t n_rounds)
{
    const pt_report_ctx *c = sh->ctx;
    const pt_report *r = c->r;
    char lab[512], period[160], when[128], count[96];

    pt_report_put_merged(sh, 0, 0, C_SIGMA,
                         c->lang == PT_REPORT_ZH_TW
                             ? "能力試驗及實驗室間比對紀錄　Proficiency "
                               "testing and interlaboratory comparison "
                               "record"
                             : "Proficiency testing and interlaboratory "
                               "comparison record",
                         c->st.title);
    pt_report_sheet_check(sh, worksheet_set_row(sh->ws, 0, 30, NULL),
                          "title row height");

    if (r->lab_name && *r->lab_name && r->lab_code && *r->lab_code)
        snprintf(lab, sizeof lab, "%s (%s)", r->lab_name, r->lab_code);
    else if (r->lab_name && *r->lab_name)
        snprintf(lab, sizeof lab, "%s", r->lab_name);
    else
        snprintf(lab, sizeof lab, "%s", r->lab_code ? r->lab_code : "");
    put_info_row(sh, 1, "實驗室", "Laboratory", lab, "認證編號",
                 "Accreditation No.", r->lab_accreditation);

    period_text(r, c->lang, period, sizeof period);
    pt_report_date_generated(r, c->lang, when, sizeof when);
    put_info_row(sh, 2, "期間", "Period", period, "產出時間", "Generated at",
                 when);

    if (c->lang == PT_REPORT_ZH_TW)
        snprintf(count, sizeof count, "%zu 筆本室結果，%zu 個輪次", n_own,
                 n_rounds);
    else
        snprintf(count, sizeof count, "%zu own results in %zu rounds", n_own,
                 n_rounds);
    put_info_row(sh, 3, "軟體", "Software", r->software, "內容", "Contents",
                 count);
    put_legend(sh, 4);
}

/* Writes (or, when sh->measuring, measures) the rows of the laboratory's
 * own results from HEADER_ROW + 1 on; returns how many there are. */
static size_t put_rows(pt_report_sheet *sh)
{
    const pt_report *r = sh->ctx->r;
    lxw_row_t row = HEADER_ROW + 1;

    for (size_t i = 0; i < r->n_rows && sh->ctx->status == PT_REPORT_OK; i++) {
        const pt_report_row *x = &r->rows[i];
        int lines;

        if (!x->own)
            continue;
        lines = put_row(sh, row, x, &r->rounds[x->round]);
        if (!sh->measuring && lines > 1)
            pt_report_set_height(sh, row, lines);
        row++;
    }
    return row - (HEADER_ROW + 1);
}

void pt_report_summary_write(pt_report_ctx *c)
{
    pt_report_sheet sh;
    size_t n_own;
    lxw_row_t last;

    if (pt_report_sheet_add(c, &sh, c->names[PT_SHEET_RESULTS]) != 0)
        return;
    sh.measuring = 1;
    n_own = put_rows(&sh);
    pt_report_sheet_fit_columns(&sh, 0, columns, N_COLS);
    sh.measuring = 0;

    put_title_block(&sh, n_own, c->r->n_rounds);
    pt_report_put_headers(&sh, HEADER_ROW, 0, columns, N_COLS);
    last = HEADER_ROW + (lxw_row_t)n_own;
    /* before the rows: in constant_memory mode a range that ends above
     * the last row written is refused */
    pt_report_sheet_check(
        &sh, worksheet_autofilter(sh.ws, HEADER_ROW, 0, last, N_COLS - 1),
        "autofilter");
    put_rows(&sh);
    if (n_own == 0)
        pt_report_put_merged(
            &sh, HEADER_ROW + 1, 0, C_SIGMA,
            pt_report_label_pick(c->lang, "本期間無本實驗室之結果。",
                                 "No results of this laboratory in the "
                                 "period."),
            c->st.note);
    pt_report_define_range(&sh, "PT_Results", HEADER_ROW, last, N_COLS);
    worksheet_freeze_panes(sh.ws, HEADER_ROW + 1, C_OPENED);
    /* 37 columns on one A4 page would print at 4 pt: three pages
     * across, the round code repeated on each */
    worksheet_fit_to_pages(sh.ws, 3, 0);
    pt_report_sheet_check(&sh, worksheet_repeat_columns(sh.ws, 0, 0),
                          "columns repeated on each page");
    pt_report_sheet_check(&sh,
                          worksheet_repeat_rows(sh.ws, HEADER_ROW, HEADER_ROW),
                          "rows repeated on each page");
}
