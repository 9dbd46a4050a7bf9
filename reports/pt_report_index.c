/*
 * pt_report_index.c -- the first sheet of the audit workbook: who the
 * laboratory is, the period, when and by what the workbook was made, the
 * SHA-256 of the data it was made from, and the ISO/IEC 17025 clause ->
 * evidence map with a link to each sheet (the self-check TAF-CNLA-B23 asks
 * a laboratory to fill in names the evidence for each clause).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_date.h"
#include "pt_report_label.h"

enum { I_CLAUSE, I_REQUIREMENT, I_SHEET, I_EVIDENCE, I_STATUS, N_COLS };

static const pt_report_column columns[N_COLS] = {
    {"條款", "Clause", PT_KIND_CENTER, 16, 16},
    {"要求", "Requirement", PT_KIND_WRAP, 30, 40},
    {"證據工作表", "Evidence sheet", PT_KIND_TEXT, 24, 30},
    {"內容", "What it shows", PT_KIND_WRAP, 36, 50},
    {"狀態", "Status", PT_KIND_WRAP, 22, 30},
};

typedef struct clause {
    const char *clause;
    const char *req_zh, *req_en;
    int sheet; /* PT_SHEET_* */
    const char *ev_zh, *ev_en;
} clause;

static const clause clauses[] = {
    {"7.7.1", "確保結果之有效性：參加能力試驗及比對之部分（其他監控方式"
     "不在本活頁簿）", "Ensuring the validity of results: the part by "
     "participation in PT and comparisons (other monitoring is not in this "
     "workbook)", PT_SHEET_RESULTS,
     "本室每一結果之指定值、分數、判定及適用限值",
     "Every own result with its assigned value, scores, verdict and the "
     "limit in force"},
    {"7.7.1", "監控數據之趨勢（能力試驗及比對結果）", "Trends of the "
     "monitoring data (PT and comparison results)",
     PT_SHEET_TREND,
     "各次領域之控制圖：z 與 En 依日期，±2/±3 界限及趨勢規則（3 次中 2 次、"
     "同號連續、RSZ）",
     "A control chart per sub-discipline: z and En by date with the ±2/±3 "
     "limits and trend rules (2 of 3, same-sign run, RSZ)"},
    {"7.7.2", "參加能力試驗之規劃（TAF-CNLA-R05，依風險）",
     "Participation planned (TAF-CNLA-R05, risk-based)", PT_SHEET_PLAN,
     "依次領域（技術 × 性質 × 產品）之計畫與實際，缺口標示",
     "Plan by sub-discipline (technique × property × product), plan vs "
     "actual, gaps flagged"},
    {"7.7.2 a) b)", "參加能力試驗及實驗室間比對",
     "Participation in PT and interlaboratory comparisons", PT_SHEET_ROUNDS,
     "各輪次：主辦單位及其 ISO/IEC 17043 認證、類型、試樣、方法、日期",
     "Each round: provider and its ISO/IEC 17043 accreditation, type, "
     "items, methods, dates"},
    {"7.7.2", "與參考實驗室之比對", "Comparison with the reference "
     "laboratory", PT_SHEET_COMPARE, "分局與參考實驗室之差異、En 及趨勢",
     "Branch against reference: differences, En and the trend"},
    {"7.7.3", "分析監控數據；超出準則時採取措施",
     "Data analysed; action when outside the criteria", PT_SHEET_CAPA,
     "每一可疑或不滿意結果之原因、措施、負責人、期限、結案及查證",
     "Each questionable or unsatisfactory result: cause, action, owner, "
     "due, closure and verification"},
    {"7.10, 8.7", "不符合工作及矯正措施", "Nonconforming work and "
     "corrective action", PT_SHEET_CAPA, "矯正措施登錄（未結案及逾期者標示）",
     "Corrective-action register (open and overdue highlighted)"},
    {"7.6", "量測不確定度之評估", "Evaluation of measurement uncertainty",
     PT_SHEET_MU, "各方法及水準之擴充不確定度 U、k 及相對值",
     "Expanded uncertainty U, k and relative U per method and level"},
    {"6.4, 6.5", "設備及計量追溯性（佐證）", "Equipment and metrological "
     "traceability (supporting)", PT_SHEET_EQUIPMENT,
     "所用儀器於能力試驗之表現，及指定值之來源與認證；儀器之校正紀錄不在本活"
     "頁簿",
     "Instruments' results in PT, and where each assigned value came from "
     "with its accreditation; calibration records are not in this "
     "workbook"},
    {"7.2", "方法之選用與查證（佐證）", "Selection and verification of "
     "methods (supporting)", PT_SHEET_METHODS,
     "評分所用方法之版次、範圍、精密度 r/R 及限值與其來源；方法查證紀錄不在"
     "本活頁簿",
     "The methods' edition, scope, r/R and limits used in scoring, with "
     "their sources; method verification records are not in this "
     "workbook"},
    {"7.5", "技術紀錄", "Technical records", PT_SHEET_ALL,
     "全部參加者結果（以代碼），附指定值及分數；輪次工作表另有圖表（何輪次"
     "有工作表見輪次工作表）",
     "Every participant's result (by code) with the assigned value and "
     "scores; round sheets add charts (the Rounds sheet says which rounds "
     "have one)"},
};

typedef struct counts {
    size_t own, signals, with_u, open_capa, missing_capa, measurands,
        disagree, instruments, no_instrument, gaps;
} counts;

/* "1 result" or "2 results": English nouns by count. */
static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* Counts shown in the status column. */
static void count(const pt_report *r, int year, counts *k)
{
    memset(k, 0, sizeof *k);
    for (size_t i = 0; i < r->n_rows; i++) {
        const pt_report_row *x = &r->rows[i];
        int has_capa = 0;

        if (!x->own)
            continue;
        k->own++;
        if (isfinite(x->U) && x->U > 0)
            k->with_u++;
        if (x->verdict != PT_VERDICT_QUESTIONABLE &&
            x->verdict != PT_VERDICT_UNSATISFACTORY)
            continue;
        k->signals++;
        for (size_t a = 0; a < r->n_capas; a++)
            if (r->capas[a].row == i)
                has_capa = 1;
        k->missing_capa += !has_capa;
    }
    for (size_t a = 0; a < r->n_capas; a++)
        k->open_capa += !r->capas[a].closed || !*r->capas[a].closed;
    for (size_t a = 0; a < r->n_compares; a++)
        k->disagree += r->compares[a].verdict &&
                       strcmp(r->compares[a].verdict, "disagree") == 0;
    /* distinct measurands and instruments of the own results */
    for (size_t i = 0; i < r->n_rows; i++) {
        const pt_report_row *x = &r->rows[i];
        const char *m = r->rounds[x->round].groups[x->group].measurand;
        int seen_m = 0, seen_i = 0;

        if (!x->own)
            continue;
        for (size_t j = 0; j < i && (!seen_m || !seen_i); j++) {
            const pt_report_row *y = &r->rows[j];
            if (!y->own)
                continue;
            seen_m |= strcmp(m, r->rounds[y->round].groups[y->group]
                                    .measurand) == 0;
            seen_i |= strcmp(x->instrument ? x->instrument : "",
                             y->instrument ? y->instrument : "") == 0;
        }
        k->measurands += !seen_m;
        k->instruments += !seen_i && x->instrument && *x->instrument;
        k->no_instrument += !x->instrument || !*x->instrument;
    }
    /* plan years that close a cycle short of rounds */
    for (size_t p = 0; p < r->n_plans; p++) {
        const pt_report_plan *pl = &r->plans[p];
        pt_report_plan_cycle cy;

        for (int y = pl->year_from; y <= pl->year_to; y++)
            k->gaps += pt_report_plan_status(pl, y, year, &cy) ==
                           PT_VERDICT_UNSATISFACTORY &&
                       y == cy.to;
    }
}

static void status_text(const pt_report_ctx *c, const counts *k, int sheet,
                        char *buf, size_t n)
{
    const pt_report *r = c->r;
    int zh = c->lang == PT_REPORT_ZH_TW;

    switch (sheet) {
    case PT_SHEET_RESULTS:
        if (zh)
            snprintf(buf, n, "%zu 筆結果，%zu 筆信號", k->own, k->signals);
        else
            snprintf(buf, n, "%zu %s, %zu %s", k->own,
                     plural(k->own, "result", "results"), k->signals,
                     plural(k->signals, "signal", "signals"));
        break;
    case PT_SHEET_PLAN:
        if (zh)
            snprintf(buf, n, "%zu 個次領域，%zu 個週期未達成", r->n_plans,
                     k->gaps);
        else
            snprintf(buf, n, "%zu %s, %zu %s short of rounds", r->n_plans,
                     plural(r->n_plans, "sub-discipline", "sub-disciplines"),
                     k->gaps, plural(k->gaps, "cycle", "cycles"));
        break;
    case PT_SHEET_TREND:
        if (zh)
            snprintf(buf, n, "%zu 個量測項目", k->measurands);
        else
            snprintf(buf, n, "%zu %s", k->measurands,
                     plural(k->measurands, "measurand", "measurands"));
        break;
    case PT_SHEET_EQUIPMENT:
        if (zh)
            snprintf(buf, n, "%zu 台儀器；%zu 筆結果未記錄儀器",
                     k->instruments, k->no_instrument);
        else
            snprintf(buf, n, "%zu %s; %zu %s without the instrument recorded",
                     k->instruments,
                     plural(k->instruments, "instrument", "instruments"),
                     k->no_instrument,
                     plural(k->no_instrument, "result", "results"));
        break;
    case PT_SHEET_ROUNDS:
        if (zh)
            snprintf(buf, n, "%zu 個輪次", r->n_rounds);
        else
            snprintf(buf, n, "%zu %s", r->n_rounds,
                     plural(r->n_rounds, "round", "rounds"));
        break;
    case PT_SHEET_ALL:
        if (zh && c->n_round_sheets == r->n_rounds)
            snprintf(buf, n, "%zu 筆結果，%zu 個輪次，每一輪次有工作表",
                     c->n_results, r->n_rounds);
        else if (zh)
            snprintf(buf, n, "%zu 筆結果，%zu 個輪次，其中 %zu 個有工作表",
                     c->n_results, r->n_rounds, c->n_round_sheets);
        else if (c->n_round_sheets == r->n_rounds)
            snprintf(buf, n, "%zu %s in %zu %s, a sheet for every round",
                     c->n_results, plural(c->n_results, "result", "results"),
                     r->n_rounds, plural(r->n_rounds, "round", "rounds"));
        else
            snprintf(buf, n, "%zu %s in %zu %s; %zu %s a sheet",
                     c->n_results, plural(c->n_results, "result", "results"),
                     r->n_rounds, plural(r->n_rounds, "round", "rounds"),
                     c->n_round_sheets,
                     plural(c->n_round_sheets, "round has", "rounds have"));
        break;
    case PT_SHEET_COMPARE:
        if (zh)
            snprintf(buf, n, "%zu 筆比對，%zu 筆不一致", r->n_compares,
                     k->disagree);
        else
            snprintf(buf, n, "%zu %s, %zu %s", r->n_compares,
                     plural(r->n_compares, "comparison", "comparisons"),
                     k->disagree,
                     plural(k->disagree, "disagreement", "disagreements"));
        break;
    case PT_SHEET_CAPA:
        if (zh)
            snprintf(buf, n, "%zu 件措施，%zu 件未結案，%zu 筆信號無措施",
                     r->n_capas, k->open_capa, k->missing_capa);
        else
            snprintf(buf, n, "%zu %s, %zu open, %zu %s without an action",
                     r->n_capas, plural(r->n_capas, "action", "actions"),
                     k->open_capa, k->missing_capa,
                     plural(k->missing_capa, "signal", "signals"));
        break;
    case PT_SHEET_MU:
        if (zh)
            snprintf(buf, n, "%zu / %zu 筆結果附 U", k->with_u, k->own);
        else
            snprintf(buf, n, "%zu of %zu %s with U", k->with_u, k->own,
                     plural(k->own, "result", "results"));
        break;
    case PT_SHEET_METHODS:
        if (zh)
            snprintf(buf, n, "%zu 個方法，%zu 項限值", r->n_methods,
                     r->n_limits);
        else
            snprintf(buf, n, "%zu %s, %zu %s", r->n_methods,
                     plural(r->n_methods, "method", "methods"), r->n_limits,
                     plural(r->n_limits, "limit", "limits"));
        break;
    default:
        snprintf(buf, n, "%s", "");
    }
}

static int put_clause(pt_report_sheet *sh, lxw_row_t row, size_t i,
                      void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const clause *k = &clauses[i];
    lxw_format *const *f = c->st.cell[0];
    const counts *n = arg;
    const char *target = c->names[k->sheet];
    char status[160];
    int lines, l;

    status_text(c, n, k->sheet, status, sizeof status);
    pt_report_put_text(sh, row, I_CLAUSE, k->clause, f[PT_KIND_CENTER]);
    lines = pt_report_put_wrapped(
        sh, row, I_REQUIREMENT,
        pt_report_label_pick(c->lang, k->req_zh, k->req_en), f[PT_KIND_WRAP]);
    pt_report_put_link(sh, row, I_SHEET, target, target);
    l = pt_report_put_wrapped(
        sh, row, I_EVIDENCE,
        pt_report_label_pick(c->lang, k->ev_zh, k->ev_en), f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    l = pt_report_put_wrapped(sh, row, I_STATUS, status, f[PT_KIND_WRAP]);
    return l > lines ? l : lines;
}

static void put_info(pt_report_sheet *sh, lxw_row_t row, const char *zh,
                     const char *en, const char *value)
{
    static const lxw_col_t span[4] = {I_CLAUSE, I_CLAUSE, I_REQUIREMENT,
                                      I_EVIDENCE};

    pt_report_set_height(sh, row,
                         pt_report_put_info(sh, row, span, zh, en, value));
}

void pt_report_index_write(pt_report_ctx *c)
{
    const pt_report *r = c->r;
    pt_report_sheet sh;
    counts k;
    pt_report_table t;
    char lab[512], period[160], when[128], from[64], to[64];
    pt_report_date d;
    lxw_row_t row;

    if (pt_report_sheet_add(c, &sh, c->names[PT_SHEET_INDEX]) != 0)
        return;
    count(r,
          pt_report_date_parse(r->generated_at, 1, &d) == 0 ? d.year : 9999,
          &k);
    memset(&t, 0, sizeof t);
    t.cols = columns;
    t.n_cols = N_COLS;
    t.n_rows = sizeof clauses / sizeof clauses[0];
    t.put = put_clause;
    t.arg = &k;
    t.defined_name = "PT_Clause_Map";
    pt_report_tables_fit(&sh, (const pt_report_table *const[]){&t}, 1);

    pt_report_put_title(
        &sh, N_COLS - 1, "能力試驗及實驗室間比對稽核手冊",
        "Proficiency testing audit workbook",
        pt_report_label_pick(
            c->lang,
            "ISO/IEC 17025:2017 7.7 之證據。本活頁簿由資料庫產出，數值以數值"
            "儲存（完整精度）；下列 SHA-256 為產出所用資料之雜湊，以同一資料"
            "重新產出可得相同值。",
            "Evidence for ISO/IEC 17025:2017 clause 7.7, written from the "
            "laboratory's database.  Numbers are stored as numbers at full "
            "precision.  The SHA-256 below is the digest of the data the "
            "workbook was made from: the same data gives the same digest."));
    if (r->lab_name && *r->lab_name && r->lab_code && *r->lab_code)
        snprintf(lab, sizeof lab, "%s (%s)", r->lab_name, r->lab_code);
    else
        snprintf(lab, sizeof lab, "%s",
                 r->lab_code ? r->lab_code : r->lab_name ? r->lab_name : "");
    from[0] = to[0] = when[0] = '\0';
    if (pt_report_date_parse(r->period_from, 0, &d) == 0)
        pt_report_date_text(&d, c->lang, r->roc_dates, NULL, from,
                            sizeof from);
    if (pt_report_date_parse(r->period_to, 0, &d) == 0)
        pt_report_date_text(&d, c->lang, r->roc_dates, NULL, to, sizeof to);
    if (!*from && !*to)
        snprintf(period, sizeof period, "%s",
                 pt_report_label_pick(c->lang, "全部", "All"));
    else
        snprintf(period, sizeof period, "%s – %s", from, to);
    pt_report_date_generated(r, c->lang, when, sizeof when);
    row = 2;
    put_info(&sh, row++, "實驗室", "Laboratory", lab);
    put_info(&sh, row++, "認證編號", "Accreditation No.",
             r->lab_accreditation && *r->lab_accreditation
                 ? r->lab_accreditation
                 : "—");
    put_info(&sh, row++, "期間", "Period", period);
    put_info(&sh, row++, "產出時間", "Generated at", when);
    put_info(&sh, row++, "軟體版本", "Software", r->software);
    put_info(&sh, row++, "資料 SHA-256", "Data SHA-256",
             c->digest && *c->digest ? c->digest : "—");
    row++;
    pt_report_put_section(&sh, row++, N_COLS - 1, "ISO/IEC 17025 條款與證據",
                          "ISO/IEC 17025 clause → evidence");
    pt_report_table_write(&sh, row, &t, 1);
}
