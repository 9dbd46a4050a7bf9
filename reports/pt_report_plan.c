/*
 * pt_report_plan.c -- the "PT plan" sheet: the laboratory's participation
 * plan by sub-discipline (technique x property x product) with its risk
 * level and required frequency, and year by year what was actually done,
 * with the gaps flagged (ISO/IEC 17025 7.7.2, TAF-CNLA-R05).
 *
 * One row per plan row and year, so that the assessor can filter by
 * sub-discipline.  The requirement is cumulative: by the end of year y of
 * a row running from year_from, ceil(per_year * (y - year_from + 1))
 * rounds must have been taken, which reads "once in four years" (0.25)
 * and "twice a year" (2) the same way.
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
    P_REQUIRED,
    P_ACTUAL,
    P_CUMULATIVE,
    P_ROUNDS,
    P_STATUS,
    N_COLS
};

static const pt_report_column columns[N_COLS] = {
    {"技術", "Technique", PT_KIND_WRAP, 12, 20},
    {"性質", "Property", PT_KIND_WRAP, 10, 18},
    {"產品", "Product", PT_KIND_WRAP, 10, 16},
    {"計入之結果", "Counts results of", PT_KIND_WRAP, 14, 26},
    {"風險", "Risk", PT_KIND_CENTER, 7, 9},
    {"每年次數", "Rounds a year", PT_KIND_FACTOR, 8, 10},
    {"年", "Year", PT_KIND_COUNT, 7, 8},
    {"民國年", "ROC year", PT_KIND_ROC, 10, 11},
    {"累計應參加", "Required to date", PT_KIND_COUNT, 9, 11},
    {"當年實際", "Taken that year", PT_KIND_COUNT, 9, 11},
    {"累計實際", "Taken to date", PT_KIND_COUNT, 9, 11},
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

static int put_row(pt_report_sheet *sh, lxw_row_t row, size_t i, void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const plan_rows *pr = arg;
    lxw_format *const *f = c->st.cell[0];
    const pt_report_plan *p;
    size_t plan;
    int year, lines = 1, l;
    unsigned taken = 0, cum = 0;
    double required;
    char counts[256], status[64];
    pt_report_verdict v;

    if (locate(c->r, i, &plan, &year) != 0)
        return 1;
    p = &c->r->plans[plan];
    for (int y = p->year_from; y <= year; y++)
        cum += p->actual[y - p->year_from];
    taken = p->actual[year - p->year_from];
    required = ceil(p->per_year * (year - p->year_from + 1) - 1e-9);
    if (cum >= required) {
        v = PT_VERDICT_SATISFACTORY;
        snprintf(status, sizeof status, "%s",
                 pt_report_label_pick(c->lang, "已達成", "Met"));
    } else if (year > pr->current_year) {
        v = PT_VERDICT_NONE;
        snprintf(status, sizeof status, "%s",
                 pt_report_label_pick(c->lang, "未來", "Planned"));
    } else if (year == pr->current_year) {
        v = PT_VERDICT_QUESTIONABLE;
        snprintf(status, sizeof status, "%s",
                 pt_report_label_pick(c->lang, "本年應完成", "Due this year"));
    } else {
        v = PT_VERDICT_UNSATISFACTORY;
        snprintf(status, sizeof status, "%s",
                 pt_report_label_pick(c->lang, "缺口", "Gap"));
    }
    snprintf(counts, sizeof counts, "%s%s%s%s%s", p->scheme ? p->scheme : "",
             p->measurand && *p->measurand ? " / " : "",
             p->measurand ? p->measurand : "",
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
    pt_report_put_number(sh, row, P_REQUIRED, required, f[PT_KIND_COUNT]);
    pt_report_put_number(sh, row, P_ACTUAL, taken, f[PT_KIND_COUNT]);
    pt_report_put_number(sh, row, P_CUMULATIVE, cum, f[PT_KIND_COUNT]);
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
    sh.measuring = 1;
    pt_report_table_measure(&sh, &t);
    pt_report_table_fit(&sh, &t, 0);
    sh.measuring = 0;
    pt_report_put_title(
        &sh, N_COLS - 1, "能力試驗參加計畫及計畫與實際",
        "PT participation plan and plan vs actual",
        pt_report_label_pick(
            c->lang,
            "依次領域（技術 × 性質 × 產品）及風險訂定之參加頻率（TAF-CNLA-R05、"
            "G29）。應參加次數為累計：自計畫首年起至該年底應完成 ⌈每年次數 × "
            "年數⌉ 次；本室於該年開始之輪次中報告符合「計入之結果」之結果者，"
            "計為一次。",
            "Participation frequency by sub-discipline (technique × property "
            "× product) and risk (TAF-CNLA-R05, G29).  The requirement is "
            "cumulative: by the end of a year, ⌈rounds a year × years since "
            "the first year of the row⌉ rounds.  A round opened in the year "
            "counts when the laboratory reported a result matching \"Counts "
            "results of\" (scheme / measurand / method)."));
    pt_report_table_write(&sh, 3, &t, 1);
}
