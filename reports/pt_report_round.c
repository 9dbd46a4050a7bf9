/*
 * pt_report_round.c -- writes the sheet of one round (see pt_report_round.h).
 *
 * Layout, top to bottom: the round's title, an information block (type,
 * scheme, provider and its accreditation, dates with the 民國 year, status,
 * participants), the evaluation table (one row per measurand x item: x_pt,
 * u(x_pt), σ_pt, n, Algorithm A iterations, where the assigned value came
 * from, the basis of σ_pt and the reason for the scoring), then the results
 * table (one row per participant's result, grouped like the evaluation
 * table), then the charts with their data (pt_report_roundchart.c).
 * Both tables share the sheet's columns; the long texts of the evaluation
 * table span several narrow score columns.
 */
#include "pt_report_round.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report_date.h"
#include "pt_report_label.h"
#include "pt_stats.h"
#include "pt_report_roundchart.h"

enum {
    R_MEASURAND,
    R_ITEM,
    R_LAB,
    R_METHOD,
    R_REPORTED,
    R_REPORTED_UNIT,
    R_VALUE,
    R_UNIT,
    R_U,
    R_K,
    R_D,
    R_DPCT,
    R_Z,
    R_ZPRIME,
    R_ZETA,
    R_EN,
    R_PRIMARY,
    R_VERDICT,
    N_COLS
};
_Static_assert(R_VERDICT == R_D + 7 && R_DPCT == R_D + 1 &&
                   R_EN == R_D + 5,
               "pt_report_put_scores writes D .. verdict side by side");

static const pt_report_column results[N_COLS] = {
    {"量測項目", "Measurand", PT_KIND_WRAP, 12, 20},
    {"試樣", "Item", PT_KIND_CENTER, 8, 14},
    {"參加者", "Participant", PT_KIND_WRAP, 12, 32},
    {"方法", "Method", PT_KIND_WRAP, 12, 20},
    {"報告值", "As reported", PT_KIND_TEXT, 11, 14},
    {"報告單位", "Reported unit", PT_KIND_CENTER, 9, 10},
    {"結果 x", "Result x", PT_KIND_VALUE, 10, 12},
    {"單位", "Unit", PT_KIND_CENTER, 10, 10},
    {"不確定度 U", "Expanded U", PT_KIND_VALUE, 10, 12},
    {"k", "k", PT_KIND_FACTOR, 6, 6},
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
    G_MEASURAND = R_MEASURAND,
    G_ITEM = R_ITEM,
    G_XPT = R_LAB,
    G_UXPT = R_METHOD,
    G_SIGMA = R_REPORTED,
    G_UNIT = R_REPORTED_UNIT,
    G_N = R_VALUE,
    G_ITER = R_UNIT,
    G_ASSIGNED_FIRST = R_U,
    G_ASSIGNED_LAST = R_K,
    G_BASIS_FIRST = R_D,
    G_BASIS_LAST = R_ZPRIME,
    G_REASON_FIRST = R_ZETA,
    G_REASON_LAST = R_VERDICT
};

static const struct group_heading {
    const char *zh, *en;
    lxw_col_t first, last;
} group_headings[] = {
    {"量測項目", "Measurand", G_MEASURAND, G_MEASURAND},
    {"試樣", "Item", G_ITEM, G_ITEM},
    {"指定值 x_pt", "Assigned value x_pt", G_XPT, G_XPT},
    {"標準不確定度 u(x_pt)", "Standard uncertainty u(x_pt)", G_UXPT, G_UXPT},
    {"σ_pt", "σ_pt", G_SIGMA, G_SIGMA},
    {"單位", "Unit", G_UNIT, G_UNIT},
    {"結果數 n", "Results n", G_N, G_N},
    {"迭代次數", "Iterations", G_ITER, G_ITER},
    {"指定值來源", "Assigned value from", G_ASSIGNED_FIRST, G_ASSIGNED_LAST},
    {"σ_pt 依據", "Basis of σ_pt", G_BASIS_FIRST, G_BASIS_LAST},
    {"評分方式之理由", "Why this scoring", G_REASON_FIRST, G_REASON_LAST},
};

#define MAX_FROZEN 20 /* rows kept on screen at most, see freeze() */

static const char *or_dash(const char *s) { return s && *s ? s : "—"; }

/* A date of the round for the information block, with its 民國 year. */
static void date_text(pt_report_lang lang, int style, const char *iso,
                      char *buf, size_t n)
{
    pt_report_date d;

    if (iso && pt_report_date_parse(iso, 0, &d) == 0)
        pt_report_date_text(&d, lang, style, NULL, buf, n);
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
    char title[512], opened[64], closed[64], count[32], state[128],
        ref[512], report[320];

    if (rd->title && *rd->title)
        snprintf(title, sizeof title, "%s%s%s", rd->code,
                 lang == PT_REPORT_ZH_TW ? "　" : " — ", rd->title);
    else
        snprintf(title, sizeof title, "%s", rd->code);
    pt_report_put_merged(sh, 0, 0, N_COLS - 1, title, sh->ctx->st.title);
    pt_report_sheet_check(sh, worksheet_set_row(sh->ws, 0, 30, NULL),
                          "title row height");

    date_text(lang, sh->ctx->r->roc_dates, rd->opened, opened, sizeof opened);
    date_text(lang, sh->ctx->r->roc_dates, rd->closed, closed, sizeof closed);
    snprintf(count, sizeof count, "%zu", rd->participants);
    put_info_row(sh, 1, "類型", "Type",
                 or_dash(pt_report_label_round_type(lang, rd->type)), "計畫",
                 "Scheme",
                 or_dash(rd->scheme_name ? rd->scheme_name : rd->scheme));
    put_info_row(sh, 2, "主辦單位", "Provider", or_dash(rd->provider),
                 "主辦單位認證", "Provider accreditation",
                 or_dash(rd->provider_accreditation));
    put_info_row(sh, 3, "開始日期", "Opened", opened, "主辦單位截止日",
                 "Provider's deadline", closed);
    pt_report_label_round_state(lang, rd, state, sizeof state);
    put_info_row(sh, 4, "紀錄狀態", "Record", state, "參加者數",
                 "Participants", count);
    /* the count as a number, over the text of the merged cell */
    pt_report_put_number(sh, 4, R_DPCT, (double)rd->participants,
                         sh->ctx->st.info_value);
    report[0] = '\0';
    if (rd->report_no || rd->report_date) {
        char day[64] = "";
        if (rd->report_date)
            date_text(lang, sh->ctx->r->roc_dates, rd->report_date, day,
                      sizeof day);
        snprintf(report, sizeof report, "%s%s%s",
                 rd->report_no ? rd->report_no : "",
                 rd->report_no && *day ? (lang == PT_REPORT_ZH_TW ? "，" : ", ")
                                       : "",
                 day);
    }
    ref[0] = '\0';
    if (rd->reference_lab && *rd->reference_lab) {
        snprintf(ref, sizeof ref, "%s (%s)%s%s",
                 rd->reference_name && *rd->reference_name
                     ? rd->reference_name
                     : rd->reference_lab,
                 rd->reference_lab,
                 rd->reference_accreditation &&
                         *rd->reference_accreditation
                     ? ", "
                     : "",
                 rd->reference_accreditation ? rd->reference_accreditation
                                             : "");
    }
    if (*ref || *report)
        put_info_row(sh, 5, *ref ? "參考實驗室（指定值）" : "",
                     *ref ? "Reference laboratory (x_pt)" : "", ref,
                     *report ? "主辦單位報告" : "",
                     *report ? "Provider's report" : "", report);
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

/* The format of score `k` (0 D, 1 D%, 2 z, 3 z', 4 zeta, 5 En) of x:
 * z, z', zeta and En coloured by their class (pt_stats), so that a
 * secondary score beyond its limit shows as well as the primary. */
static lxw_format *score_format(const pt_report_ctx *c, int own, int k,
                                double v, lxw_format *plain)
{
    if (k < 2 || !isfinite(v))
        return plain;
    return c->st.score[own][k == 5 ? (int)pt_stats_classify_en(v, 1)
                                   : (int)pt_stats_classify_z(v)];
}

void pt_report_put_scores(pt_report_sheet *sh, lxw_row_t row,
                          lxw_col_t first, const pt_report_column *cols,
                          const pt_report_row *x)
{
    const pt_report_ctx *c = sh->ctx;
    const double v[6] = {x->D, x->D_pct, x->z, x->z_prime, x->zeta, x->En};
    int own = x->own ? 1 : 0, k;

    for (k = 0; k < 6; k++) {
        lxw_format *plain = c->st.cell[own][cols[first + k].kind];
        if (x->is_reference)
            pt_report_put_number(sh, row, (lxw_col_t)(first + k), NAN,
                                 plain);
        else if (k == 0)
            pt_report_put_as_value(sh, row, (lxw_col_t)first, v[0], x, own);
        else
            pt_report_put_number(sh, row, (lxw_col_t)(first + k), v[k],
                                 score_format(c, own, k, v[k], plain));
    }
    pt_report_put_text(sh, row, (lxw_col_t)(first + 6),
                       x->is_reference ? NULL
                                       : pt_report_label_score(x->primary),
                       c->st.cell[own][cols[first + 6].kind]);
    pt_report_put_text(sh, row, (lxw_col_t)(first + 7),
                       x->is_reference
                           ? pt_report_label_pick(c->lang, "參考值（x_pt）",
                                                  "reference (x_pt)")
                           : pt_report_label_verdict(c->lang, x->verdict),
                       c->st.verdict[x->is_reference ? PT_VERDICT_NONE
                                                     : x->verdict]);
}

/* The format of a results cell of column `col` for a row of the workbook's
 * laboratory (own = 1) or another (own = 0). */
#define FMT(own, col) (c->st.cell[own][results[col].kind])

/* The evaluation table from `row` on: its heading, then one row per group
 * (or a note when the round has none).  Returns the first row after it. */
static lxw_row_t put_groups(pt_report_sheet *sh, lxw_row_t row,
                            const pt_report_round *rd)
{
    const pt_report_ctx *c = sh->ctx;
    lxw_format *const *f = c->st.cell[0];
    int lines = 1;

    if (!sh->measuring) {
        for (size_t i = 0; i < sizeof group_headings / sizeof group_headings[0];
             i++) {
            const struct group_heading *h = &group_headings[i];
            int l =
                pt_report_put_heading(sh, row, h->first, h->last, h->zh, h->en);
            lines = l > lines ? l : lines;
        }
        pt_report_set_height(sh, row, lines);
    }
    row++;
    if (rd->n_groups == 0) {
        pt_report_put_merged(sh, row, 0, N_COLS - 1,
                             pt_report_label_pick(c->lang, "本輪次尚無評估。",
                                                  "Not evaluated yet."),
                             c->st.note);
        return row + 1;
    }
    for (size_t i = 0; i < rd->n_groups; i++, row++) {
        const pt_report_group *g = &rd->groups[i];
        char reason[1024];
        const char *texts[3] = {pt_report_label_assigned(c->lang, g->assigned),
                                g->sigma_basis, reason};
        static const lxw_col_t spans[3][2] = {
            {G_ASSIGNED_FIRST, G_ASSIGNED_LAST},
            {G_BASIS_FIRST, G_BASIS_LAST},
            {G_REASON_FIRST, G_REASON_LAST}};

        pt_report_label_reason(c->lang, g->reason, reason, sizeof reason);
        lines = pt_report_put_wrapped(sh, row, G_MEASURAND, measurand_text(g),
                                      f[PT_KIND_WRAP]);
        pt_report_put_text(sh, row, G_ITEM, g->item, f[PT_KIND_CENTER]);
        pt_report_put_xpt(sh, row, G_XPT, g, 0);
        pt_report_put_sig(sh, row, G_UXPT, g->u_x_pt, 2, 0);
        pt_report_put_sig(sh, row, G_SIGMA, g->sigma_pt, 3, 0);
        pt_report_put_text(sh, row, G_UNIT, g->unit, f[PT_KIND_CENTER]);
        pt_report_put_number(sh, row, G_N, (double)g->n, f[PT_KIND_COUNT]);
        if (g->iterations > 0)
            pt_report_put_number(sh, row, G_ITER, g->iterations,
                                 f[PT_KIND_COUNT]);
        else
            pt_report_put_text(sh, row, G_ITER, "—", f[PT_KIND_CENTER]);
        /* The long texts span several columns and wrap there; they do not
         * widen the score columns they share. */
        for (int t = 0; t < 3; t++) {
            int l;

            pt_report_put_merged(sh, row, spans[t][0], spans[t][1], texts[t],
                                 f[PT_KIND_WRAP]);
            l = pt_report_text_lines(
                texts[t],
                pt_report_span_width(sh, spans[t][0], spans[t][1]) - 1);
            lines = l > lines ? l : lines;
        }
        if (!sh->measuring)
            pt_report_set_height(sh, row, lines);
    }
    return row;
}

void pt_report_participant_text(const pt_report_ctx *c, const pt_report_row *x,
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

/* One participant's result; returns the lines its tallest cell needs. */
static int put_result(pt_report_sheet *sh, lxw_row_t row,
                      const pt_report_row *x, const pt_report_group *g)
{
    const pt_report_ctx *c = sh->ctx;
    int own = x->own ? 1 : 0, lines, l;
    char who[512];

    pt_report_participant_text(c, x, who, sizeof who);
    lines = pt_report_put_wrapped(sh, row, R_MEASURAND, measurand_text(g),
                                  FMT(own, R_MEASURAND));
    pt_report_put_text(sh, row, R_ITEM, g->item, FMT(own, R_ITEM));
    l = pt_report_put_wrapped(sh, row, R_LAB, who, FMT(own, R_LAB));
    lines = l > lines ? l : lines;
    l = pt_report_put_wrapped(sh, row, R_METHOD, x->method, FMT(own, R_METHOD));
    lines = l > lines ? l : lines;
    pt_report_put_text(sh, row, R_REPORTED, x->value_text,
                       FMT(own, R_REPORTED));
    pt_report_put_text(sh, row, R_REPORTED_UNIT, x->unit_text,
                       FMT(own, R_REPORTED_UNIT));
    pt_report_put_as_value(sh, row, R_VALUE, x->value, x, own);
    pt_report_put_text(sh, row, R_UNIT, g->unit, FMT(own, R_UNIT));
    pt_report_put_sig(sh, row, R_U, x->U, 2, own);
    pt_report_put_number(sh, row, R_K, x->k, FMT(own, R_K));
    pt_report_put_scores(sh, row, R_D, results, x);
    return lines;
}

/* The n results of a round from `row` on, in the order given (group by
 * group in the order of the evaluation table). */
static void put_results(pt_report_sheet *sh, lxw_row_t row,
                        const pt_report_round *rd, const pt_report_row *rows,
                        size_t n)
{
    const pt_report_ctx *c = sh->ctx;

    for (size_t k = 0; k < n && c->status == PT_REPORT_OK; k++) {
        lxw_row_t at = row + (lxw_row_t)k;
        int lines = put_result(sh, at, &rows[k], &rd->groups[rows[k].group]);

        if (!sh->measuring && lines > 1)
            pt_report_set_height(sh, at, lines);
    }
}

int pt_report_round_index(pt_report_ctx *c)
{
    const pt_report *r = c->r;
    size_t n_groups = 1, *by_group, *count;

    for (size_t i = 0; i < r->n_rounds; i++)
        if (r->rounds[i].n_groups > n_groups)
            n_groups = r->rounds[i].n_groups;
    c->order = malloc((r->n_rows ? r->n_rows : 1) * sizeof *c->order);
    c->round_start = calloc(r->n_rounds + 1, sizeof *c->round_start);
    by_group = malloc((r->n_rows ? r->n_rows : 1) * sizeof *by_group);
    count = calloc((n_groups > r->n_rounds ? n_groups : r->n_rounds) + 1,
                   sizeof *count);
    if (!c->order || !c->round_start || !by_group || !count) {
        free(by_group);
        free(count);
        pt_report_round_index_free(c);
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return -1;
    }
    /* Two stable counting sorts: by group, then by round. */
    for (size_t i = 0; i < r->n_rows; i++)
        count[r->rows[i].group + 1]++;
    for (size_t g = 0; g < n_groups; g++)
        count[g + 1] += count[g];
    for (size_t i = 0; i < r->n_rows; i++)
        by_group[count[r->rows[i].group]++] = i;
    for (size_t i = 0; i < r->n_rows; i++)
        c->round_start[r->rows[i].round + 1]++;
    for (size_t i = 0; i < r->n_rounds; i++)
        c->round_start[i + 1] += c->round_start[i];
    memcpy(count, c->round_start, r->n_rounds * sizeof *count);
    for (size_t k = 0; k < r->n_rows; k++)
        c->order[count[r->rows[by_group[k]].round]++] = by_group[k];
    free(by_group);
    free(count);
    return 0;
}

void pt_report_round_index_free(pt_report_ctx *c)
{
    free(c->order);
    free(c->round_start);
    free(c->buf);
    free(c->why);
    free(c->all_sheet);
    free(c->all_row);
    c->order = NULL;
    c->round_start = NULL;
    c->buf = NULL;
    c->why = NULL;
    c->all_sheet = NULL;
    c->all_row = NULL;
}

int pt_report_round_rows(pt_report_ctx *c, size_t i,
                         const pt_report_row **rows, size_t *n)
{
    const pt_report *r = c->r;
    size_t first, end;

    *rows = NULL;
    *n = 0;
    if (r->source) {
        pt_report_status st =
            r->source->round_rows(r->source->ctx, i, rows, n, c->err,
                                  c->errlen);
        if (st != PT_REPORT_OK) {
            if (c->status == PT_REPORT_OK)
                c->status = st;
            return -1;
        }
        for (size_t k = 0; k < *n; k++)
            if ((*rows)[k].round != i ||
                (*rows)[k].group >= r->rounds[i].n_groups ||
                (*rows)[k].verdict < PT_VERDICT_NONE ||
                (*rows)[k].verdict > PT_VERDICT_UNSATISFACTORY) {
                pt_report_fail(c, PT_REPORT_ERR_ARG,
                               "source: round %s, row %zu: round, group or "
                               "verdict out of range",
                               r->rounds[i].code, k);
                return -1;
            }
        return 0;
    }
    /* In memory: a copy of the round's rows, in order. */
    first = c->round_start[i];
    end = c->round_start[i + 1];
    if (!c->buf) {
        size_t most = 1;
        for (size_t k = 0; k < r->n_rounds; k++)
            if (c->round_start[k + 1] - c->round_start[k] > most)
                most = c->round_start[k + 1] - c->round_start[k];
        c->buf = malloc(most * sizeof *c->buf);
        if (!c->buf) {
            pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
            return -1;
        }
    }
    for (size_t k = first; k < end; k++)
        c->buf[k - first] = r->rows[c->order[k]];
    *rows = c->buf;
    *n = end - first;
    return 0;
}

/* Keeps the results heading on screen while scrolling, and the measurand,
 * item and participant columns while scrolling sideways.  When the round's
 * description above the results is too tall to stay frozen on a laptop
 * screen, only the columns are frozen. */
static void freeze(pt_report_sheet *sh, lxw_row_t first_data_row)
{
    worksheet_freeze_panes(
        sh->ws, first_data_row <= MAX_FROZEN ? first_data_row : 0, R_LAB + 1);
}

/* Robust statistics of a group's results, as a PT report shows them
 * (ISO 13528 C.2, C.3.1 and 9.2.1 via stats/): returns the lines its
 * tallest cell needs. */
static int put_stats_row(pt_report_sheet *sh, lxw_row_t row,
                         const pt_report_group *g, const pt_report_row *rows,
                         size_t n, size_t gi, double *v, double *work)
{
    const pt_report_ctx *c = sh->ctx;
    lxw_format *const *f = c->st.cell[0];
    size_t m = 0;
    double med = NAN, made = NAN, niqr = NAN, z = NAN;
    pt_alga_result a;
    int used_z_prime = 0, lines;
    const char *test = NULL;

    for (size_t k = 0; k < n; k++)
        if (rows[k].group == gi && isfinite(rows[k].value))
            v[m++] = rows[k].value;
    a.x = a.s = NAN;
    if (m >= 1)
        pt_stats_median(v, m, work, &med);
    if (m >= 2) {
        pt_stats_made(v, m, work, &made);
        pt_stats_niqr(v, m, work, &niqr);
    }
    if (m < 3 || pt_stats_alga(v, m, NULL, work, &a) != PT_STATS_OK)
        a.x = a.s = NAN;
    if (isfinite(g->x_pt) && isfinite(g->u_x_pt) && isfinite(g->sigma_pt) &&
        g->sigma_pt > 0 &&
        pt_stats_z_auto(g->x_pt, g->x_pt, g->u_x_pt, g->sigma_pt, &z,
                        &used_z_prime) == PT_STATS_OK)
        test = used_z_prime
                   ? pt_report_label_pick(c->lang,
                                          "u(x_pt) ≥ 0.3 σ_pt：以 z′ 評分",
                                          "u(x_pt) ≥ 0.3 σ_pt: z′ used")
                   : pt_report_label_pick(c->lang,
                                          "u(x_pt) < 0.3 σ_pt：以 z 評分",
                                          "u(x_pt) < 0.3 σ_pt: z used");
    lines = pt_report_put_wrapped(sh, row, 0, measurand_text(g),
                                  f[PT_KIND_WRAP]);
    pt_report_put_text(sh, row, 1, g->item, f[PT_KIND_CENTER]);
    pt_report_put_number(sh, row, 2, (double)m, f[PT_KIND_COUNT]);
    pt_report_put_sig(sh, row, 3, med, 4, 0);
    pt_report_put_sig(sh, row, 4, made, 2, 0);
    pt_report_put_sig(sh, row, 5, niqr, 2, 0);
    pt_report_put_sig(sh, row, 6, a.x, 4, 0);
    pt_report_put_sig(sh, row, 7, a.s, 2, 0);
    pt_report_put_number(sh, row, 8,
                         isfinite(a.s) && g->sigma_pt > 0 ? a.s / g->sigma_pt
                                                          : NAN,
                         f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, 9,
                         g->sigma_pt > 0 ? g->u_x_pt / g->sigma_pt : NAN,
                         f[PT_KIND_SCORE]);
    if (test)
        pt_report_put_merged(sh, row, 10, N_COLS - 1, test, f[PT_KIND_WRAP]);
    return lines;
}

/* The round statistics table from `row`; returns the first row after. */
static lxw_row_t put_stats(pt_report_sheet *sh, lxw_row_t row,
                           const pt_report_round *rd,
                           const pt_report_row *rows, size_t n)
{
    static const char *const heads[11][2] = {
        {"量測項目", "Measurand"},
        {"試樣", "Item"},
        {"結果數（未剔除）", "n (none removed)"},
        {"中位數", "Median"},
        {"MADe（標準化中位數絕對偏差）", "MADe"},
        {"nIQR（標準化四分位距）", "nIQR"},
        {"x*（演算法 A）", "x* (Algorithm A)"},
        {"s*（演算法 A）", "s* (Algorithm A)"},
        {"s*/σ_pt", "s*/σ_pt"},
        {"u(x_pt)/σ_pt", "u(x_pt)/σ_pt"},
        {"u(x_pt) 與 0.3 σ_pt（ISO 13528 9.2.1）",
         "u(x_pt) against 0.3 σ_pt (ISO 13528 9.2.1)"},
    };
    double *v, *work;
    int lines = 1;

    if (rd->n_groups == 0 || n == 0)
        return row;
    v = malloc(2 * n * sizeof *v);
    if (!v) {
        pt_report_fail(sh->ctx, PT_REPORT_ERR_NOMEM, "out of memory");
        return row;
    }
    work = v + n;
    put_section(sh, row++, "輪次統計量", "Round statistics");
    for (lxw_col_t k = 0; k < 11; k++) {
        int l = pt_report_put_heading(sh, row, k, k < 10 ? k : N_COLS - 1,
                                      heads[k][0], heads[k][1]);
        lines = l > lines ? l : lines;
    }
    pt_report_set_height(sh, row++, lines);
    for (size_t gi = 0; gi < rd->n_groups; gi++, row++)
        pt_report_set_height(sh, row,
                             put_stats_row(sh, row, &rd->groups[gi], rows, n,
                                           gi, v, work));
    free(v);
    return row + 1;
}

void pt_report_official_text(pt_report_lang lang, const char *official,
                             double recomputed, int agrees, char *buf,
                             size_t n)
{
    int d = pt_stats_text_decimals(official ? official : "");
    char shown[64];

    if (d < 0 || !isfinite(recomputed)) {
        snprintf(buf, n, "%s",
                 pt_report_label_pick(lang, "無法比對（ptlims 未算出此值）",
                                      "not compared (ptlims has no such "
                                      "value)"));
        return;
    }
    snprintf(shown, sizeof shown, "%.*g → %.*f",
             fabs(recomputed) >= 1e-4 && fabs(recomputed) < 1e6 ? 4 : 6,
             recomputed, d, recomputed);
    if (agrees == 1)
        snprintf(buf, n, "%s%s%s",
                 pt_report_label_pick(lang, "一致（", "agrees ("), shown,
                 pt_report_label_pick(lang, "）", ")"));
    else
        snprintf(buf, n, "%s%s",
                 pt_report_label_pick(lang, "超出捨入差異：重算 ",
                                      "differs beyond rounding: "
                                      "recomputed "),
                 shown);
}

lxw_format *pt_report_official_format(const pt_report_ctx *c, int agrees)
{
    return c->st.verdict_wrap[agrees == 1   ? PT_VERDICT_SATISFACTORY
                              : agrees == 0 ? PT_VERDICT_UNSATISFACTORY
                                            : PT_VERDICT_NONE];
}

/* One line of the reconciliation: what, official as reported, ptlims's
 * value and the verdict.  Returns the lines its tallest cell needs. */
static int put_official_row(pt_report_sheet *sh, lxw_row_t row,
                            const pt_report_group *g, const char *what,
                            const char *official, double recomputed,
                            int agrees)
{
    const pt_report_ctx *c = sh->ctx;
    lxw_format *const *f = c->st.cell[0];
    char verdict[256];
    int lines, l;

    pt_report_official_text(c->lang, official, recomputed, agrees, verdict,
                            sizeof verdict);
    lines = pt_report_put_wrapped(sh, row, R_MEASURAND, measurand_text(g),
                                  f[PT_KIND_WRAP]);
    pt_report_put_text(sh, row, R_ITEM, g->item, f[PT_KIND_CENTER]);
    l = pt_report_put_wrapped(sh, row, R_LAB, what, f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    pt_report_put_text(sh, row, R_METHOD, official, f[PT_KIND_TEXT]);
    pt_report_put_merged(sh, row, R_REPORTED, R_VERDICT, verdict,
                         pt_report_official_format(c, agrees));
    return lines;
}

/* The provider's report against the recomputation: per group x_pt,
 * u(x_pt) and sigma_pt, then per result the score the provider reported,
 * with the rule stated.  Nothing when the round has none recorded.
 * Returns the first row after it. */
static lxw_row_t put_official(pt_report_sheet *sh, lxw_row_t row,
                              const pt_report_round *rd,
                              const pt_report_row *rows, size_t n)
{
    static const char *const heads[5][2] = {
        {"量測項目", "Measurand"},
        {"試樣", "Item"},
        {"項目", "Quantity"},
        {"主辦單位報告值", "Provider's report"},
        {"與 ptlims 重算值比對", "Against ptlims's recomputation"}};
    const pt_report_ctx *c = sh->ctx;
    char what[640];
    size_t k, any = 0;
    int lines = 1;

    for (k = 0; k < rd->n_groups; k++)
        any += rd->groups[k].official_x_pt || rd->groups[k].official_u_x_pt ||
               rd->groups[k].official_sigma_pt;
    for (k = 0; k < n; k++)
        any += rows[k].official_score != NULL;
    if (!any)
        return row;
    put_section(sh, row++, "主辦單位報告與重算值之比對",
                "The provider's report against the recomputation");
    pt_report_put_merged(
        sh, row, 0, N_COLS - 1,
        pt_report_label_pick(
            c->lang,
            "判定規則：主辦單位報告值以其報告之小數位數為解析度；ptlims 重算值"
            "四捨五入至相同位數後相同者（|重算值 − 報告值| ≤ 末位之半個單位）"
            "為一致，否則標示「超出捨入差異」，須查明原因。",
            "Rule: the provider's value is read at the decimals it reports; "
            "it agrees when it is ptlims's recomputed value rounded to those "
            "decimals (|recomputed − official| ≤ half a unit in its last "
            "decimal), otherwise it is flagged \"differs beyond rounding\" "
            "and the difference needs an explanation."),
        c->st.note);
    pt_report_set_height(sh, row++, 2);
    for (k = 0; k < 5; k++) {
        lxw_col_t first = (lxw_col_t)(k < 4 ? k : R_REPORTED);
        int l = pt_report_put_heading(sh, row, first,
                                      k < 4 ? first : N_COLS - 1,
                                      heads[k][0], heads[k][1]);
        lines = l > lines ? l : lines;
    }
    pt_report_set_height(sh, row++, lines);
    for (k = 0; k < rd->n_groups; k++) {
        const pt_report_group *g = &rd->groups[k];
        const char *off[3] = {g->official_x_pt, g->official_u_x_pt,
                              g->official_sigma_pt};
        const double v[3] = {g->x_pt, g->u_x_pt, g->sigma_pt};
        const int agrees[3] = {g->x_pt_agrees, g->u_x_pt_agrees,
                               g->sigma_pt_agrees};
        static const char *const names[3][2] = {
            {"指定值 x_pt", "Assigned value x_pt"},
            {"標準不確定度 u(x_pt)", "Standard uncertainty u(x_pt)"},
            {"σ_pt", "σ_pt"}};

        for (int q = 0; q < 3; q++) {
            if (!off[q])
                continue;
            pt_report_set_height(
                sh, row,
                put_official_row(sh, row, g,
                                 pt_report_label_pick(c->lang, names[q][0],
                                                      names[q][1]),
                                 off[q], v[q], agrees[q]));
            row++;
        }
    }
    for (k = 0; k < n; k++) {
        const pt_report_row *x = &rows[k];
        char who[512];

        if (!x->official_score)
            continue;
        pt_report_participant_text(c, x, who, sizeof who);
        snprintf(what, sizeof what, "%s%s%s", who,
                 pt_report_label_pick(c->lang, "：", ": "),
                 pt_report_label_score(x->official_kind));
        pt_report_set_height(
            sh, row,
            put_official_row(sh, row, &rd->groups[x->group], what,
                             x->official_score, x->official_recomputed,
                             x->official_agrees));
        row++;
    }
    return row + 1;
}

void pt_report_round_write(pt_report_ctx *c, size_t i, const char *name,
                           const pt_report_row *rows, size_t n)
{
    const pt_report_round *rd = &c->r->rounds[i];
    pt_report_sheet sh;
    /* title (0), information (1-4), blank (5), section (6), then the
     * evaluation table, a blank row, a section row and the results */
    const lxw_row_t groups_heading = 7;
    lxw_row_t results_section, results_heading, last;

    if (pt_report_sheet_add(c, &sh, name) != 0)
        return;
    sh.measuring = 1;
    put_groups(&sh, groups_heading, rd);
    put_results(&sh, 0, rd, rows, n);
    pt_report_sheet_fit_columns(&sh, 0, results, N_COLS);
    sh.measuring = 0;

    put_info(&sh, rd);
    put_section(&sh, groups_heading - 1, "指定值與評分依據",
                "Assigned values and basis of scoring");
    results_section = put_groups(&sh, groups_heading, rd) + 1;
    results_section = put_stats(&sh, results_section, rd, rows, n);
    results_section = put_official(&sh, results_section, rd, rows, n);
    put_section(&sh, results_section, "參加者結果", "Participants' results");
    results_heading = results_section + 1;
    pt_report_put_headers(&sh, results_heading, 0, results, N_COLS);
    last = results_heading + (lxw_row_t)n;
    /* before the rows: in constant_memory mode a range that ends above
     * the last row written is refused */
    pt_report_sheet_check(
        &sh, worksheet_autofilter(sh.ws, results_heading, 0, last, N_COLS - 1),
        "autofilter");
    put_results(&sh, results_heading + 1, rd, rows, n);
    if (n == 0)
        pt_report_put_merged(&sh, results_heading + 1, 0, N_COLS - 1,
                             pt_report_label_pick(c->lang, "本輪次尚無結果。",
                                                  "No results recorded."),
                             c->st.note);
    /* no print titles: they would be printed over the chart pages too;
     * the charts start on a page of their own (pt_report_round_charts) */
    freeze(&sh, results_heading + 1);
    pt_report_round_charts(&sh, i, last + 3, rows, n);
}
