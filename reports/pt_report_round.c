/*
 * pt_report_round.c -- writes the sheet of one round (see pt_report_round.h).
 *
 * Layout, top to bottom: the round's title, an information block (type,
 * scheme, provider and its accreditation, dates with the 民國 year, status,
 * participants), the evaluation table (one row per measurand x item: x_pt,
 * u(x_pt), σ_pt, n, Algorithm A iterations, where the assigned value came
 * from, the basis of σ_pt and the reason for the scoring), then the results
 * table (one row per participant's result, grouped like the evaluation
 * table).  Both tables share the sheet's columns; the long texts of the
 * evaluation table span several narrow score columns.
 */
#include "pt_report_round.h"

#include <stdio.h>
#include <string.h>

#include "pt_report_date.h"
#include "pt_report_label.h"

enum {
    R_MEASURAND, R_ITEM, R_LAB, R_METHOD, R_REPORTED, R_REPORTED_UNIT,
    R_VALUE, R_UNIT, R_U, R_K, R_D, R_DPCT, R_Z, R_ZPRIME, R_ZETA, R_EN,
    R_PRIMARY, R_VERDICT, N_COLS
};

static const pt_report_column results[N_COLS] = {
    {"量測項目", "Measurand", PT_KIND_TEXT, 12, 28},
    {"試樣", "Item", PT_KIND_CENTER, 8, 14},
    {"參加者", "Participant", PT_KIND_TEXT, 12, 36},
    {"方法", "Method", PT_KIND_TEXT, 12, 26},
    {"報告值", "As reported", PT_KIND_TEXT, 10, 14},
    {"報告單位", "Reported unit", PT_KIND_CENTER, 9, 10},
    {"結果 x", "Result x", PT_KIND_VALUE, 10, 12},
    {"單位", "Unit", PT_KIND_CENTER, 8, 10},
    {"不確定度 U", "Expanded U", PT_KIND_VALUE, 10, 12},
    {"涵蓋因子 k", "Coverage k", PT_KIND_FACTOR, 9, 10},
    {"差異 D", "Difference D", PT_KIND_VALUE, 9, 11},
    {"差異 D%", "Difference D%", PT_KIND_PERCENT, 9, 11},
    {"z", "z", PT_KIND_SCORE, 7, 8},
    {"z′", "z′", PT_KIND_SCORE, 7, 8},
    {"ζ", "ζ", PT_KIND_SCORE, 7, 8},
    {"En", "En", PT_KIND_SCORE, 7, 8},
    {"主要分數", "Primary score", PT_KIND_CENTER, 9, 10},
    {"判定", "Verdict", PT_KIND_CENTER, 10, 15},
};

/* The evaluation table's columns, on the same sheet columns as above; its
 * long texts span several columns. */
enum {
    G_MEASURAND = R_MEASURAND, G_ITEM = R_ITEM, G_UNIT = R_LAB,
    G_XPT = R_METHOD, G_UXPT = R_REPORTED, G_SIGMA = R_REPORTED_UNIT,
    G_N = R_VALUE, G_ITER = R_UNIT, G_ASSIGNED_FIRST = R_U,
    G_ASSIGNED_LAST = R_K, G_BASIS_FIRST = R_D, G_BASIS_LAST = R_ZPRIME,
    G_REASON_FIRST = R_ZETA, G_REASON_LAST = R_VERDICT
};

static const struct group_heading {
    const char *zh, *en;
    lxw_col_t first, last;
} group_headings[] = {
    {"量測項目", "Measurand", G_MEASURAND, G_MEASURAND},
    {"試樣", "Item", G_ITEM, G_ITEM},
    {"單位", "Unit", G_UNIT, G_UNIT},
    {"指定值 x_pt", "Assigned value x_pt", G_XPT, G_XPT},
    {"標準不確定度 u(x_pt)", "Standard uncertainty u(x_pt)", G_UXPT, G_UXPT},
    {"能力評估標準差 σ_pt", "SD for proficiency assessment σ_pt", G_SIGMA,
     G_SIGMA},
    {"結果數 n", "Results n", G_N, G_N},
    {"迭代次數", "Algorithm A iterations", G_ITER, G_ITER},
    {"指定值來源", "Assigned value from", G_ASSIGNED_FIRST, G_ASSIGNED_LAST},
    {"σ_pt 依據", "Basis of σ_pt", G_BASIS_FIRST, G_BASIS_LAST},
    {"評分方式之理由", "Why this scoring", G_REASON_FIRST, G_REASON_LAST},
};

#define MAX_FROZEN 20 /* rows kept on screen at most, see freeze() */

static const char *or_dash(const char *s)
{
    return s && *s ? s : "—";
}

/* A date of the round for the information block, with its 民國 year. */
static void date_text(pt_report_lang lang, const char *iso, char *buf,
                      size_t n)
{
    pt_report_date d;

    if (iso && pt_report_date_parse(iso, 0, &d) == 0)
        pt_report_date_text(&d, lang, buf, n);
    else
        snprintf(buf, n, "%s", or_dash(iso));
}

static void put_info_row(pt_report_sheet *sh, lxw_row_t row, const char *zh1,
                         const char *en1, const char *v1, const char *zh2,
                         const char *en2, const char *v2)
{
    static const lxw_col_t left[4] = {R_MEASURAND, R_ITEM, R_LAB, R_UNIT};
    static const lxw_col_t right[4] = {R_U, R_D, R_DPCT, R_VERDICT};
    int l1 = pt_report_put_info(sh, row, left, zh1, en1, v1);
    int l2 = pt_report_put_info(sh, row, right, zh2, en2, v2);

    pt_report_set_height(sh, row, l1 > l2 ? l1 : l2);
}

static void put_info(pt_report_sheet *sh, const pt_report_round *rd)
{
    pt_report_lang lang = sh->ctx->lang;
    char title[512], opened[64], closed[64], count[32];

    if (rd->title && *rd->title)
        snprintf(title, sizeof title, "%s%s%s", rd->code,
                 lang == PT_REPORT_ZH_TW ? "　" : " — ", rd->title);
    else
        snprintf(title, sizeof title, "%s", rd->code);
    pt_report_put_merged(sh, 0, 0, N_COLS - 1, title, sh->ctx->st.title);
    pt_report_sheet_check(sh, worksheet_set_row(sh->ws, 0, 30, NULL),
                          "title row height");

    date_text(lang, rd->opened, opened, sizeof opened);
    date_text(lang, rd->closed, closed, sizeof closed);
    snprintf(count, sizeof count, "%zu", rd->participants);
    put_info_row(sh, 1, "類型", "Type",
                 or_dash(pt_report_label_round_type(lang, rd->type)), "計畫",
                 "Scheme", or_dash(rd->scheme));
    put_info_row(sh, 2, "主辦單位", "Provider", or_dash(rd->provider),
                 "主辦單位認證", "Provider accreditation",
                 or_dash(rd->provider_accreditation));
    put_info_row(sh, 3, "開始日期", "Opened", opened, "結案日期", "Closed",
                 closed);
    put_info_row(sh, 4, "狀態", "Status",
                 or_dash(pt_report_label_status(lang, rd->status)),
                 "參加者數", "Participants", count);
}

static void put_section(pt_report_sheet *sh, lxw_row_t row, const char *zh,
                        const char *en)
{
    char text[256];

    pt_report_label_bilingual(sh->ctx->lang, zh, en, "　", text, sizeof text);
    pt_report_put_merged(sh, row, 0, N_COLS - 1, text, sh->ctx->st.section);
    pt_report_sheet_check(sh, worksheet_set_row(sh->ws, row, 24, NULL),
                          "section row height");
}

static const char *measurand_text(const pt_report_group *g)
{
    return g->measurand_name && *g->measurand_name ? g->measurand_name
                                                   : g->measurand;
}

/* The evaluation table's rows from `row` on, one per group (or a note when
 * the round has none).  Returns the first row after them. */
static lxw_row_t put_groups(pt_report_sheet *sh, lxw_row_t row,
                            const pt_report_round *rd)
{
    const pt_report_ctx *c = sh->ctx;
    lxw_format *const *f = c->st.cell[0];

    if (rd->n_groups == 0) {
        pt_report_put_merged(sh, row, 0, N_COLS - 1,
                             pt_report_label_pick(c->lang, "本輪次尚無評估。",
                                                  "Not evaluated yet."),
                             c->st.note);
        return row + 1;
    }
    for (size_t i = 0; i < rd->n_groups; i++, row++) {
        const pt_report_group *g = &rd->groups[i];

        pt_report_put_text(sh, row, G_MEASURAND, measurand_text(g),
                           f[PT_KIND_TEXT]);
        pt_report_put_text(sh, row, G_ITEM, g->item, f[PT_KIND_CENTER]);
        pt_report_put_text(sh, row, G_UNIT, g->unit, f[PT_KIND_CENTER]);
        pt_report_put_number(sh, row, G_XPT, g->x_pt, f[PT_KIND_VALUE]);
        pt_report_put_number(sh, row, G_UXPT, g->u_x_pt, f[PT_KIND_VALUE]);
        pt_report_put_number(sh, row, G_SIGMA, g->sigma_pt, f[PT_KIND_VALUE]);
        pt_report_put_number(sh, row, G_N, (double)g->n, f[PT_KIND_COUNT]);
        if (g->iterations > 0)
            pt_report_put_number(sh, row, G_ITER, g->iterations,
                                 f[PT_KIND_COUNT]);
        else
            pt_report_put_text(sh, row, G_ITER, "—", f[PT_KIND_CENTER]);
        /* Merged (or wrapped) cells are not measured: these long texts wrap
         * instead of widening the score columns they share. */
        pt_report_put_merged(sh, row, G_ASSIGNED_FIRST, G_ASSIGNED_LAST,
                             pt_report_label_assigned(c->lang, g->assigned),
                             f[PT_KIND_WRAP]);
        pt_report_put_merged(sh, row, G_BASIS_FIRST, G_BASIS_LAST,
                             g->sigma_basis, f[PT_KIND_WRAP]);
        pt_report_put_merged(sh, row, G_REASON_FIRST, G_REASON_LAST,
                             g->reason, f[PT_KIND_WRAP]);
    }
    return row;
}

/* The heading of the evaluation table, and the heights of its rows now that
 * the column widths are known. */
static void put_groups_layout(pt_report_sheet *sh, lxw_row_t row,
                              const pt_report_round *rd)
{
    const pt_report_ctx *c = sh->ctx;
    int lines = 1;

    for (size_t i = 0; i < sizeof group_headings / sizeof group_headings[0];
         i++) {
        const struct group_heading *h = &group_headings[i];
        int l = pt_report_put_heading(sh, row, h->first, h->last, h->zh,
                                      h->en);
        lines = l > lines ? l : lines;
    }
    pt_report_set_height(sh, row, lines);
    for (size_t i = 0; i < rd->n_groups; i++) {
        const pt_report_group *g = &rd->groups[i];
        const char *texts[3] = {
            pt_report_label_assigned(c->lang, g->assigned), g->sigma_basis,
            g->reason};
        static const lxw_col_t spans[3][2] = {
            {G_ASSIGNED_FIRST, G_ASSIGNED_LAST},
            {G_BASIS_FIRST, G_BASIS_LAST},
            {G_REASON_FIRST, G_REASON_LAST}};

        lines = 1;
        for (int t = 0; t < 3; t++) {
            int l = pt_report_text_lines(
                texts[t], pt_report_span_width(sh, spans[t][0], spans[t][1]) -
                              1);
            lines = l > lines ? l : lines;
        }
        pt_report_set_height(sh, row + 1 + (lxw_row_t)i, lines);
    }
}

/* "C07（經濟部標準檢驗局臺中分局）" for the workbook's laboratory, the code
 * alone for everyone else. */
static void participant_text(const pt_report_ctx *c, const pt_report_row *x,
                             char *buf, size_t n)
{
    const char *code = x->lab ? x->lab : "";
    const char *name = c->r->lab_name;

    if (!x->own || !name || !*name)
        snprintf(buf, n, "%s", code);
    else if (!*code)
        snprintf(buf, n, "%s", name);
    else if (c->lang == PT_REPORT_ZH_TW)
        snprintf(buf, n, "%s（%s）", code, name);
    else
        snprintf(buf, n, "%s (%s)", code, name);
}

static void put_result(pt_report_sheet *sh, lxw_row_t row,
                       const pt_report_row *x, const pt_report_group *g)
{
    const pt_report_ctx *c = sh->ctx;
    lxw_format *const *f = c->st.cell[x->own ? 1 : 0];
    char who[512];
    int verdict = x->verdict >= PT_VERDICT_NONE &&
                          x->verdict <= PT_VERDICT_UNSATISFACTORY
                      ? (int)x->verdict
                      : PT_VERDICT_NONE;

    participant_text(c, x, who, sizeof who);
    pt_report_put_text(sh, row, R_MEASURAND, measurand_text(g),
                       f[PT_KIND_TEXT]);
    pt_report_put_text(sh, row, R_ITEM, g->item, f[PT_KIND_CENTER]);
    pt_report_put_text(sh, row, R_LAB, who, f[PT_KIND_TEXT]);
    pt_report_put_text(sh, row, R_METHOD, x->method, f[PT_KIND_TEXT]);
    pt_report_put_text(sh, row, R_REPORTED, x->value_text, f[PT_KIND_TEXT]);
    pt_report_put_text(sh, row, R_REPORTED_UNIT, x->unit_text,
                       f[PT_KIND_CENTER]);
    pt_report_put_number(sh, row, R_VALUE, x->value, f[PT_KIND_VALUE]);
    pt_report_put_text(sh, row, R_UNIT, g->unit, f[PT_KIND_CENTER]);
    pt_report_put_number(sh, row, R_U, x->U, f[PT_KIND_VALUE]);
    pt_report_put_number(sh, row, R_K, x->k, f[PT_KIND_FACTOR]);
    pt_report_put_number(sh, row, R_D, x->D, f[PT_KIND_VALUE]);
    pt_report_put_number(sh, row, R_DPCT, x->D_pct, f[PT_KIND_PERCENT]);
    pt_report_put_number(sh, row, R_Z, x->z, f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, R_ZPRIME, x->z_prime, f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, R_ZETA, x->zeta, f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, R_EN, x->En, f[PT_KIND_SCORE]);
    pt_report_put_text(sh, row, R_PRIMARY, pt_report_label_score(x->primary),
                       f[PT_KIND_CENTER]);
    pt_report_put_text(sh, row, R_VERDICT,
                       pt_report_label_verdict(c->lang,
                                               (pt_report_verdict)verdict),
                       c->st.verdict[verdict]);
}

/* The results of round `ri` from `row` on, group by group in the order of
 * the evaluation table, each group's rows in the caller's order.  Returns
 * the number of rows written. */
static size_t put_results(pt_report_sheet *sh, lxw_row_t row, size_t ri)
{
    const pt_report *r = sh->ctx->r;
    const pt_report_round *rd = &r->rounds[ri];
    size_t n = 0;

    for (size_t g = 0; g < rd->n_groups; g++)
        for (size_t i = 0; i < r->n_rows && sh->ctx->status == PT_REPORT_OK;
             i++) {
            const pt_report_row *x = &r->rows[i];

            if (x->round == ri && x->group == g)
                put_result(sh, row + (lxw_row_t)n++, x, &rd->groups[g]);
        }
    return n;
}

/* Keeps the results heading on screen while scrolling, and the measurand,
 * item and participant columns while scrolling sideways.  When the round's
 * description above the results is too tall to stay frozen on a laptop
 * screen, only the columns are frozen. */
static void freeze(pt_report_sheet *sh, lxw_row_t first_data_row)
{
    worksheet_freeze_panes(sh->ws,
                           first_data_row <= MAX_FROZEN ? first_data_row : 0,
                           R_LAB + 1);
}

void pt_report_round_write(pt_report_ctx *c, size_t i, const char *name)
{
    const pt_report_round *rd = &c->r->rounds[i];
    pt_report_sheet sh;
    /* title (0), information (1-4), blank (5), section (6), heading (7) */
    const lxw_row_t groups_heading = 7;
    lxw_row_t results_section, results_heading, last;
    size_t n;

    if (pt_report_sheet_add(c, &sh, name) != 0)
        return;
    results_section = put_groups(&sh, groups_heading + 1, rd) + 1;
    results_heading = results_section + 1;
    n = put_results(&sh, results_heading + 1, i);
    last = n ? results_heading + (lxw_row_t)n : results_heading;
    if (n == 0)
        pt_report_put_merged(&sh, results_heading + 1, 0, N_COLS - 1,
                             pt_report_label_pick(c->lang,
                                                  "本輪次尚無結果。",
                                                  "No results recorded."),
                             c->st.note);

    pt_report_sheet_fit_columns(&sh, 0, results, N_COLS);
    put_info(&sh, rd);
    put_section(&sh, groups_heading - 1, "指定值與評分依據",
                "Assigned values and basis of scoring");
    put_groups_layout(&sh, groups_heading, rd);
    put_section(&sh, results_section, "參加者結果", "Participants' results");
    pt_report_put_headers(&sh, results_heading, 0, results, N_COLS);

    pt_report_sheet_check(&sh,
                          worksheet_autofilter(sh.ws, results_heading, 0, last,
                                               N_COLS - 1),
                          "autofilter");
    pt_report_sheet_check(&sh,
                          worksheet_repeat_rows(sh.ws, results_heading,
                                                results_heading),
                          "rows repeated on each page");
    freeze(&sh, results_heading + 1);
}
