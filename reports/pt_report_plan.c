/*
 * pt_report_plan.c -- the "PT plan" sheet: the laboratory's participation
 * plan by sub-discipline (technique x property x product) with its risk
 * level and required frequency, and year by year what was actually done,
 * with the gaps flagged (ISO/IEC 17025 7.7.2, TAF-CNLA-R05).
 *
 * One row per plan row and year, so that the assessor can filter by
 * sub-discipline.  The requirement is read per cycle: with N >= 1 rounds a
 * year the cycle is the year and ceil(N) rounds are due in it; with fewer
 * (0.5, 0.25) the cycle is ceil(1/N) years from the plan's first year and
 * one round is due in it, so "once in four years" is met by a round in any
 * of the four.  A cycle past its end without its rounds is a gap.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_date.h"
#include "pt_report_label.h"

enum {
    P_TECHNIQUE,
    P_PROPERTY,
    P_PRODUCT,
    P_COUNTS,
    P_RISK,
    P_PER_YEAR,
    P_YEAR,
    P_ROC,
    P_CYCLE,
    P_REQUIRED,
    P_ACTUAL,
    P_CUMULATIVE,
    P_ROUNDS,
    P_STATUS,
    N_COLS
};

static const pt_report_column columns[N_COLS] = {
    {"技術", "Technique", PT_KIND_WRAP, 14, 28},
    {"性質", "Property", PT_KIND_WRAP, 12, 26},
    {"產品", "Product", PT_KIND_WRAP, 12, 22},
    {"計入之結果", "Counts results of", PT_KIND_WRAP, 14, 26},
    {"風險", "Risk", PT_KIND_CENTER, 7, 9},
    {"每年次數", "Rounds a year", PT_KIND_FACTOR, 8, 10},
    {"年", "Year", PT_KIND_COUNT, 7, 8},
    {"民國年", "ROC year", PT_KIND_ROC, 10, 11},
    {"週期", "Cycle", PT_KIND_CENTER, 10, 11},
    {"週期應參加", "Required in the cycle", PT_KIND_COUNT, 9, 11},
    {"當年實際", "Taken that year", PT_KIND_COUNT, 9, 11},
    {"週期內實際", "Taken in the cycle so far", PT_KIND_COUNT, 10, 12},
    {"計入之輪次", "Rounds counted", PT_KIND_WRAP, 14, 28},
    {"狀態", "Status", PT_KIND_CENTER, 12, 16},
};

/* Plan row and year of table row i. */
typedef struct plan_rows {
    size_t n;
    int current_year;
} plan_rows;

static int locate(const pt_report *r, size_t i, size_t *plan, int *year)
{
    for (size_t p = 0; p < r->n_plans; p++) {
        size_t years =
            (size_t)(r->plans[p].year_to - r->plans[p].year_from + 1);
        if (i < years) {
            *plan = p;
            *year = r->plans[p].year_from + (int)i;
            return 0;
        }
        i -= years;
    }
    return -1;
}

static const char *risk_word(pt_report_lang lang, const char *risk)
{
    if (risk && strcmp(risk, "high") == 0)
        return pt_report_label_pick(lang, "高", "High");
    if (risk && strcmp(risk, "medium") == 0)
        return pt_report_label_pick(lang, "中", "Medium");
    if (risk && strcmp(risk, "low") == 0)
        return pt_report_label_pick(lang, "低", "Low");
    return risk;
}

pt_report_verdict pt_report_plan_status(const pt_report_plan *p, int year,
                                        int current_year,
                                        pt_report_plan_cycle *out)
{
    /* The engine keeps per_year from 0.1 to 52; a value outside (a record
     * written by other means) is read at the nearer bound, so that no
     * cast below leaves the range of its type. */
    double per_year = !(p->per_year >= 0.1) ? 0.1
                      : p->per_year > 52    ? 52
                                            : p->per_year;
    int len = per_year >= 1 ? 1 : (int)ceil(1 / per_year - 1e-9);

    memset(out, 0, sizeof *out);
    out->from = p->year_from + (year - p->year_from) / len * len;
    out->to = out->from + len - 1;
    out->required = per_year >= 1 ? (unsigned)ceil(per_year - 1e-9) : 1;
    for (int y = out->from; y <= out->to && y <= p->year_to; y++) {
        out->total += p->actual[y - p->year_from];
        if (y <= year)
            out->taken += p->actual[y - p->year_from];
    }
    if (out->total >= out->required)
        return PT_VERDICT_SATISFACTORY; /* met */
    if (out->to < current_year)
        return PT_VERDICT_UNSATISFACTORY; /* gap */
    if (out->from <= current_year)
        return PT_VERDICT_QUESTIONABLE; /* due by the end of the cycle */
    return PT_VERDICT_NONE;             /* planned */
}

void pt_report_plan_status_text(pt_report_lang lang, pt_report_verdict v,
                                const pt_report_plan_cycle *cy, char *buf,
                                size_t n)
{
    switch (v) {
    case PT_VERDICT_SATISFACTORY:
        snprintf(buf, n, "%s", pt_report_label_pick(lang, "已達成", "Met"));
        break;
    case PT_VERDICT_UNSATISFACTORY:
        snprintf(buf, n, "%s", pt_report_label_pick(lang, "缺口", "Gap"));
        break;
    case PT_VERDICT_QUESTIONABLE:
        snprintf(buf, n, lang == PT_REPORT_ZH_TW ? "應於 %d 年完成"
                                                 : "Due in %d",
                 cy->to);
        break;
    default:
        snprintf(buf, n, "%s", pt_report_label_pick(lang, "未來", "Planned"));
    }
}

static int put_row(pt_report_sheet *sh, lxw_row_t row, size_t i, void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const plan_rows *pr = arg;
    lxw_format *const *f = c->st.cell[0];
    const pt_report_plan *p;
    size_t plan;
    int year, lines = 1, l;
    char counts[256], cycle[32], due[48];
    const char *status;
    pt_report_plan_cycle cy;
    pt_report_verdict v;

    if (locate(c->r, i, &plan, &year) != 0)
        return 1;
    p = &c->r->plans[plan];
    v = pt_report_plan_status(p, year, pr->current_year, &cy);
    pt_report_plan_status_text(c->lang, v, &cy, due, sizeof due);
    status = due;
    if (cy.from == cy.to)
        snprintf(cycle, sizeof cycle, "%d", cy.from);
    else
        snprintf(cycle, sizeof cycle, "%d–%d", cy.from, cy.to);
    snprintf(counts, sizeof counts, "%s%s%s%s%s",
             p->scheme_name  ? p->scheme_name
             : p->scheme     ? p->scheme
                             : "",
             p->measurand && *p->measurand ? " / " : "",
             p->measurand_name ? p->measurand_name
             : p->measurand    ? p->measurand
                               : "",
             p->method && *p->method ? " / " : "",
             p->method ? p->method : "");

    lines = pt_report_put_wrapped(sh, row, P_TECHNIQUE, p->technique,
                                  f[PT_KIND_WRAP]);
    l = pt_report_put_wrapped(sh, row, P_PROPERTY, p->property,
                              f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    l = pt_report_put_wrapped(sh, row, P_PRODUCT, p->product,
                              f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    l = pt_report_put_wrapped(sh, row, P_COUNTS, counts, f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    pt_report_put_text(sh, row, P_RISK, risk_word(c->lang, p->risk),
                       f[PT_KIND_CENTER]);
    pt_report_put_number(sh, row, P_PER_YEAR, p->per_year, f[PT_KIND_FACTOR]);
    pt_report_put_number(sh, row, P_YEAR, year, f[PT_KIND_COUNT]);
    pt_report_put_number(sh, row, P_ROC, pt_report_date_roc_year(year),
                         f[PT_KIND_ROC]);
    pt_report_put_text(sh, row, P_CYCLE, cycle, f[PT_KIND_CENTER]);
    pt_report_put_number(sh, row, P_REQUIRED, cy.required, f[PT_KIND_COUNT]);
    pt_report_put_number(sh, row, P_ACTUAL, p->actual[year - p->year_from],
                         f[PT_KIND_COUNT]);
    pt_report_put_number(sh, row, P_CUMULATIVE, cy.taken, f[PT_KIND_COUNT]);
    l = pt_report_put_wrapped(sh, row, P_ROUNDS,
                              p->rounds ? p->rounds[year - p->year_from] : NULL,
                              f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    pt_report_put_text(sh, row, P_STATUS, status, c->st.verdict[v]);
    return lines;
}

void pt_report_plan_write(pt_report_ctx *c)
{
    const pt_report *r = c->r;
    pt_report_sheet sh;
    pt_report_table t;
    plan_rows pr;
    pt_report_date d;

    if (c->status != PT_REPORT_OK ||
        pt_report_sheet_add(c, &sh, c->names[PT_SHEET_PLAN]) != 0)
        return;
    memset(&pr, 0, sizeof pr);
    for (size_t p = 0; p < r->n_plans; p++)
        pr.n += (size_t)(r->plans[p].year_to - r->plans[p].year_from + 1);
    pr.current_year =
        pt_report_date_parse(r->generated_at, 1, &d) == 0 ? d.year : 9999;
    memset(&t, 0, sizeof t);
    t.cols = columns;
    t.n_cols = N_COLS;
    t.n_rows = pr.n;
    t.put = put_row;
    t.arg = &pr;
    t.empty_zh = "尚未登錄參加計畫（ptlims plan add）。";
    t.empty_en = "No participation plan recorded (ptlims plan add).";
    t.defined_name = "PT_Plan";
    pt_report_tables_fit(&sh, (const pt_report_table *const[]){&t}, 1);
    pt_report_put_title(
        &sh, N_COLS - 1, "能力試驗參加計畫及計畫與實際",
        "PT participation plan and plan vs actual",
        pt_report_label_pick(
            c->lang,
            "依次領域（技術 × 性質 × 產品）及風險訂定之參加頻率（TAF-CNLA-R05、"
            "G29）。每年 N ≥ 1 次者，每年為一週期、應參加 ⌈N⌉ 次；少於每年一次"
            "者（0.5、0.25），自計畫首年起每 ⌈1/N⌉ 年為一週期、應參加一次。本"
            "室於該年開始之輪次中報告符合「計入之結果」之結果者，計為一次；週期"
            "結束仍未達成者為缺口。",
            "Participation frequency by sub-discipline (technique × property "
            "× product) and risk (TAF-CNLA-R05, G29).  With N ≥ 1 rounds a "
            "year the cycle is the year and ⌈N⌉ rounds are due in it; with "
            "fewer (0.5, 0.25) the cycle is ⌈1/N⌉ years from the plan's "
            "first year and one round is due in it.  A round opened in the "
            "year counts when the laboratory reported a result matching "
            "\"Counts results of\" (scheme / measurand / method); a cycle "
            "that ended short is a gap."));
    pt_report_table_write(&sh, 3, &t, 1);
}
