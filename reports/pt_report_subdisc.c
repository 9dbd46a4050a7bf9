/*
 * pt_report_subdisc.c -- the "Sub-discipline summary" sheet: one printed
 * A4 page per row of the participation plan (technique × property ×
 * product), what an assessor asks about a sub-discipline on one sheet of
 * paper.
 *
 * Each page: what counts for the sub-discipline and its risk; the plan
 * year by year (cycle, rounds required and taken, met / due / gap); the
 * rounds the laboratory took for it by kind, PT, ILC and bilateral, and
 * a line in red when a high-risk sub-discipline was met by the
 * laboratory's own bilateral comparisons alone (no provider's PT or ILC);
 * the last and the worst score; the trend rules at the last round (the
 * rules of stats/, as on the Trend sheet); and the open corrective
 * actions, those on its results and those on its plan gaps.  A page
 * break before each block keeps one sub-discipline to a page.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_date.h"
#include "pt_report_label.h"

#define RUN_LENGTH 4 /* as on the Trend sheet */

enum { S_A, S_B, S_C, S_D, S_E, S_F, N_COLS };

#define LABEL_WIDTH 36 /* a bilingual key on one line */

static const pt_report_column columns[N_COLS] = {
    {"", "", PT_KIND_WRAP, LABEL_WIDTH, LABEL_WIDTH},
    {"", "", PT_KIND_WRAP, 14, 14}, {"", "", PT_KIND_WRAP, 14, 14},
    {"", "", PT_KIND_WRAP, 14, 14}, {"", "", PT_KIND_WRAP, 16, 16},
    {"", "", PT_KIND_WRAP, 44, 44},
};

/* A key and its value across the rest of the row. */
static void put_line(pt_report_sheet *sh, lxw_row_t row, const char *zh,
                     const char *en, const char *value, lxw_format *f)
{
    char label[160];
    int lines;

    pt_report_label_bilingual(sh->ctx->lang, zh, en, " ", label,
                              sizeof label);
    pt_report_put_text(sh, row, S_A, label, sh->ctx->st.info_label);
    pt_report_put_merged(sh, row, S_B, S_F, value, f);
    lines = pt_report_text_lines(value, pt_report_span_width(sh, S_B, S_F));
    lines = lines > pt_report_text_lines(label, LABEL_WIDTH)
                ? lines
                : pt_report_text_lines(label, LABEL_WIDTH);
    pt_report_set_height(sh, row, lines);
}

/* The plan year by year; returns the first row after the table. */
static lxw_row_t put_years(pt_report_sheet *sh, lxw_row_t row,
                           const pt_report_plan *p, int current_year)
{
    static const char *const heads[N_COLS][2] = {
        {"年度", "Year"},          {"週期", "Cycle"},
        {"週期應參加", "Required in the cycle"},
        {"當年參加", "Taken in the year"},
        {"狀態", "Status"},        {"計入之輪次", "Rounds counted"}};
    const pt_report_ctx *c = sh->ctx;
    lxw_format *const *f = c->st.cell[0];
    int lines = 1;

    for (lxw_col_t k = 0; k < N_COLS; k++) {
        int l = pt_report_put_heading(sh, row, k, k, heads[k][0],
                                      heads[k][1]);
        lines = l > lines ? l : lines;
    }
    pt_report_set_height(sh, row++, lines);
    for (int y = p->year_from; y <= p->year_to; y++, row++) {
        pt_report_plan_cycle cy;
        pt_report_verdict v = pt_report_plan_status(p, y, current_year, &cy);
        char cycle[32], status[64];
        const char *rounds = p->rounds ? p->rounds[y - p->year_from] : NULL;

        if (cy.from == cy.to)
            snprintf(cycle, sizeof cycle, "%d", cy.from);
        else
            snprintf(cycle, sizeof cycle, "%d–%d", cy.from, cy.to);
        pt_report_plan_status_text(c->lang, v, &cy, status, sizeof status);
        pt_report_put_number(sh, row, S_A, y, f[PT_KIND_COUNT]);
        pt_report_put_text(sh, row, S_B, cycle, f[PT_KIND_CENTER]);
        pt_report_put_number(sh, row, S_C, cy.required, f[PT_KIND_COUNT]);
        pt_report_put_number(sh, row, S_D, p->actual[y - p->year_from],
                             f[PT_KIND_COUNT]);
        pt_report_put_text(sh, row, S_E, status, c->st.verdict[v]);
        pt_report_set_height(sh, row,
                             pt_report_put_wrapped(sh, row, S_F, rounds,
                                                   f[PT_KIND_WRAP]));
    }
    return row;
}

/* "S-2025-PT1 (2025-08-04) z = +2.31, questionable" */
static void score_text(const pt_report_ctx *c, const pt_report_row *x,
                       char *buf, size_t n)
{
    const pt_report_round *rd = &c->r->rounds[x->round];

    snprintf(buf, n, "%s (%s) %s = %+.2f%s%s", rd->code,
             rd->opened ? rd->opened : "", pt_report_label_score(x->primary),
             pt_report_primary_value(x),
             pt_report_label_pick(c->lang, "，", ", "),
             pt_report_label_verdict(c->lang, x->verdict));
}

/* How far a score is beyond its limit, for "worst": |En| against 1, the
 * others against 2. */
static double severity(const pt_report_row *x)
{
    double v = fabs(pt_report_primary_value(x));

    return pt_report_primary_is_en(x) ? v : v / 2;
}

/* One sub-discipline's page from `row`; returns the row after it. */
static lxw_row_t put_block(pt_report_sheet *sh, lxw_row_t row, size_t pi,
                           int current_year, double *s, pt_trend_point *pts)
{
    const pt_report_ctx *c = sh->ctx;
    const pt_report *r = c->r;
    const pt_report_plan *p = &r->plans[pi];
    lxw_format *wrap = c->st.cell[0][PT_KIND_WRAP];
    size_t kinds[3] = {0, 0, 0}, n = 0, open = 0;
    const pt_report_row *last = NULL, *worst = NULL;
    char text[2048], title[768], what[512], a[256], b[256];
    int zh = c->lang == PT_REPORT_ZH_TW;
    size_t len;

    snprintf(title, sizeof title, "%s / %s / %s", p->technique, p->property,
             p->product);
    pt_report_put_merged(sh, row, 0, N_COLS - 1, title, c->st.section);
    pt_report_sheet_check(sh, worksheet_set_row(sh->ws, row, 24, NULL),
                          "section row height");
    row++;
    snprintf(what, sizeof what, "%s%s%s%s%s",
             p->scheme_name ? p->scheme_name : p->scheme ? p->scheme : "",
             p->measurand && *p->measurand ? " / " : "",
             p->measurand_name ? p->measurand_name
             : p->measurand    ? p->measurand
                               : "",
             p->method && *p->method ? " / " : "",
             p->method ? p->method : "");
    put_line(sh, row++, "計入之結果", "Counts results of", what, wrap);
    snprintf(text, sizeof text, zh ? "%s；每年 %g 次；%d–%d 年%s%s"
                                   : "%s; %g a year; %d–%d%s%s",
             p->risk && strcmp(p->risk, "high") == 0
                 ? pt_report_label_pick(c->lang, "高風險", "High risk")
             : p->risk && strcmp(p->risk, "medium") == 0
                 ? pt_report_label_pick(c->lang, "中風險", "Medium risk")
                 : pt_report_label_pick(c->lang, "低風險", "Low risk"),
             p->per_year, p->year_from, p->year_to,
             p->note && *p->note ? (zh ? "；" : "; ") : "",
             p->note ? p->note : "");
    put_line(sh, row++, "風險及頻率", "Risk and frequency", text, wrap);
    pt_report_put_section(sh, row++, N_COLS - 1, "計畫狀態",
                          "Plan status");
    row = put_years(sh, row, p, current_year);

    /* the laboratory's scored results of this sub-discipline, in order */
    for (size_t i = 0; i < r->n_rows; i++) {
        const pt_report_row *x = &r->rows[i];
        const char *type;
        int dup = 0;

        if (!x->own || pt_report_subdiscipline(r, x) != (long)pi)
            continue;
        type = r->rounds[x->round].type;
        for (size_t j = 0; j < i && !dup; j++)
            dup = r->rows[j].own && r->rows[j].round == x->round &&
                  pt_report_subdiscipline(r, &r->rows[j]) == (long)pi;
        if (!dup && type)
            kinds[strcmp(type, "pt") == 0    ? 0
                  : strcmp(type, "ilc") == 0 ? 1
                                             : 2]++;
        for (size_t k = 0; k < r->n_capas; k++)
            open += r->capas[k].row == i &&
                    (!r->capas[k].closed || !*r->capas[k].closed);
        s[n] = pt_stats_trend_scale(x->primary, pt_report_primary_value(x));
        if (!isfinite(s[n]))
            continue;
        n++;
        last = x;
        if (!worst || severity(x) > severity(worst))
            worst = x;
    }
    for (size_t k = 0; k < r->n_capas; k++)
        open += r->capas[k].row == (size_t)-1 && r->capas[k].plan == pi &&
                (!r->capas[k].closed || !*r->capas[k].closed);

    pt_report_put_section(sh, row++, N_COLS - 1, "參加與分數",
                          "Participation and scores");
    snprintf(text, sizeof text,
             zh ? "能力試驗 %zu、實驗室間比對 %zu、雙邊比對 %zu 個輪次"
                : "%zu PT, %zu ILC, %zu bilateral rounds",
             kinds[0], kinds[1], kinds[2]);
    put_line(sh, row++, "本期間輪次", "Rounds in the period", text, wrap);
    if (p->risk && strcmp(p->risk, "high") == 0 && kinds[2] > 0 &&
        kinds[0] + kinds[1] == 0)
        put_line(sh, row++, "注意", "Note",
                 pt_report_label_pick(
                     c->lang,
                     "高風險次領域僅以本室之雙邊比對達成計畫，未參加主辦單位"
                     "之能力試驗或實驗室間比對。",
                     "A high-risk sub-discipline met by the laboratory's own "
                     "bilateral comparisons alone: no provider's PT or ILC."),
                 c->st.rule_signal);
    if (last) {
        score_text(c, last, a, sizeof a);
        score_text(c, worst, b, sizeof b);
    } else {
        snprintf(a, sizeof a, "%s", pt_report_label_pick(c->lang, "無分數",
                                                         "no score"));
        snprintf(b, sizeof b, "%s", a);
    }
    put_line(sh, row++, "最近分數", "Last score", a,
             last ? c->st.verdict_wrap[last->verdict] : wrap);
    put_line(sh, row++, "最差分數", "Worst score", b,
             worst ? c->st.verdict_wrap[worst->verdict] : wrap);
    text[0] = '\0';
    if (n > 0 && pt_stats_trend_rules(s, n, RUN_LENGTH, pts) ==
                     PT_STATS_OK)
        pt_report_rules_text(c->lang, &pts[n - 1], text, sizeof text);
    len = strlen(text);
    snprintf(text + len, sizeof text - len, "%s%s",
             len ? "" : pt_report_label_pick(c->lang, "無", "none"),
             pt_report_label_pick(
                 c->lang,
                 "（規則：近 3 次中 2 次 |分數| > 2；同號連續 4 次；近 4 次 "
                 "|RSZ| > 2；En 以 2 En 計）",
                 " (rules: 2 of the last 3 beyond ±2; a run of 4 of one "
                 "sign; |RSZ| > 2 over the last 4; En as 2 En)"));
    put_line(sh, row++, "最近一輪之趨勢規則", "Trend rules at the last round",
             text, len ? c->st.rule_signal : wrap);
    pt_report_put_section(sh, row++, N_COLS - 1, "矯正措施",
                          "Corrective actions");
    snprintf(text, sizeof text, zh ? "未結案 %zu 件" : "%zu open", open);
    put_line(sh, row++, "未結案措施", "Open actions", text,
             open ? c->st.verdict_wrap[PT_VERDICT_QUESTIONABLE] : wrap);
    for (size_t k = 0; k < r->n_capas; k++) {
        const pt_report_capa *a2 = &r->capas[k];
        int mine = a2->row != (size_t)-1
                       ? r->rows[a2->row].own &&
                             pt_report_subdiscipline(r, &r->rows[a2->row]) ==
                                 (long)pi
                       : a2->plan == pi;

        if (!mine || (a2->closed && *a2->closed))
            continue;
        pt_report_capa_trigger(c, a2, what, sizeof what);
        snprintf(text, sizeof text, "#%lld %s%s%s%s%s", a2->id,
                 a2->car_no && *a2->car_no ? a2->car_no : "",
                 a2->car_no && *a2->car_no ? " " : "", what,
                 pt_report_label_pick(c->lang, "；到期 ", "; due "),
                 a2->due ? a2->due : "");
        put_line(sh, row++, "措施", "Action", text, wrap);
    }
    return row;
}

void pt_report_subdisc_write(pt_report_ctx *c)
{
    const pt_report *r = c->r;
    pt_report_sheet sh;
    pt_report_date d;
    lxw_row_t row = 3, *breaks;
    double *s;
    pt_trend_point *pts;
    int current_year;

    if (c->status != PT_REPORT_OK ||
        pt_report_sheet_add(c, &sh, c->names[PT_SHEET_SUBDISC]) != 0)
        return;
    s = malloc((r->n_rows ? r->n_rows : 1) * sizeof *s);
    pts = malloc((r->n_rows ? r->n_rows : 1) * sizeof *pts);
    breaks = calloc(r->n_plans + 1, sizeof *breaks);
    if (!s || !pts || !breaks) {
        free(s);
        free(pts);
        free(breaks);
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return;
    }
    current_year =
        pt_report_date_parse(r->generated_at, 1, &d) == 0 ? d.year : 9999;
    sh.measuring = 1;
    pt_report_sheet_fit_columns(&sh, 0, columns, N_COLS);
    sh.measuring = 0;
    pt_report_put_title(
        &sh, N_COLS - 1, "次領域摘要", "Sub-discipline summary",
        pt_report_label_pick(
            c->lang,
            "參加計畫之每一次領域（技術 × 性質 × 產品）一頁：計畫狀態、能力試驗"
            "／實驗室間比對／雙邊比對輪次數、最近及最差分數、趨勢規則及未結案"
            "之矯正措施。",
            "One page per sub-discipline of the participation plan "
            "(technique × property × product): plan status, PT / ILC / "
            "bilateral rounds, the last and the worst score, the trend "
            "rules and the open corrective actions."));
    for (size_t p = 0; p < r->n_plans && c->status == PT_REPORT_OK; p++) {
        if (p > 0)
            breaks[p - 1] = row;
        row = put_block(&sh, row, p, current_year, s, pts) + 1;
    }
    if (r->n_plans == 0)
        pt_report_put_merged(
            &sh, row, 0, N_COLS - 1,
            pt_report_label_pick(c->lang,
                                 "尚未登錄參加計畫（ptlims plan add）。",
                                 "No participation plan recorded (ptlims "
                                 "plan add)."),
            c->st.note);
    else if (r->n_plans > 1)
        pt_report_sheet_check(&sh, worksheet_set_h_pagebreaks(sh.ws, breaks),
                              "page breaks");

    free(s);
    free(pts);
    free(breaks);
}
