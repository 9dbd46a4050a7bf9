/*
 * pt_report_capa.c -- the "Corrective actions" sheet: every questionable
 * or unsatisfactory result of the laboratory with the actions taken on it
 * (trigger, root cause, impact on results already issued, action, owner,
 * due, closed, verified by, CAR number, the effectiveness check with its
 * date and outcome), the actions recorded on other results, and every gap
 * of the participation plan with its actions (ISO/IEC 17025 7.7.3, 7.10,
 * 8.7).
 *
 * A signal without an action gets a row of its own, marked "no action
 * recorded": the register shows what is missing, not only what exists.
 * Status colours: closed and verified green, open amber, overdue (past its
 * due date at the workbook's date) and missing red.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_date.h"
#include "pt_report_label.h"

enum {
    A_ID,
    A_CAR,
    A_ROUND,
    A_MEASURAND,
    A_ITEM,
    A_VERDICT,
    A_TRIGGER,
    A_CAUSE,
    A_IMPACT,
    A_ACTION,
    A_OWNER,
    A_OPENED,
    A_DUE,
    A_CLOSED,
    A_VERIFIED,
    A_CHECK,
    A_CHECKED_ON,
    A_OUTCOME,
    A_STATUS,
    N_COLS
};

static const pt_report_column columns[N_COLS] = {
    {"編號", "No.", PT_KIND_COUNT, 6, 7},
    {"矯正措施單號", "CAR No.", PT_KIND_CENTER, 9, 14},
    {"輪次", "Round", PT_KIND_TEXT, 12, 16},
    {"量測項目／次領域", "Measurand / sub-discipline", PT_KIND_WRAP, 12,
     22},
    {"試樣", "Item", PT_KIND_CENTER, 7, 10},
    {"判定", "Verdict", PT_KIND_CENTER, 10, 14},
    {"觸發", "Trigger", PT_KIND_WRAP, 18, 28},
    {"根本原因", "Root cause", PT_KIND_WRAP, 20, 32},
    {"對已發出結果之影響", "Impact on results issued", PT_KIND_WRAP, 18,
     30},
    {"措施", "Action", PT_KIND_WRAP, 20, 32},
    {"負責人", "Owner", PT_KIND_WRAP, 9, 14},
    {"開立日期", "Opened", PT_KIND_DATE, 11, 11},
    {"期限", "Due", PT_KIND_DATE, 11, 11},
    {"結案日期", "Closed", PT_KIND_DATE, 11, 11},
    {"查證者", "Verified by", PT_KIND_WRAP, 9, 14},
    {"有效性查核", "Effectiveness check", PT_KIND_WRAP, 18, 30},
    {"查核日期", "Checked on", PT_KIND_DATE, 11, 11},
    {"查核結果", "Outcome", PT_KIND_CENTER, 10, 14},
    {"狀態", "Status", PT_KIND_CENTER, 11, 16},
};

/* One table row: result rows[row] with action capas[capa], or none; or,
 * with row PT_REPORT_NO_ROW, a gap of plan row `plan` in the cycle
 * starting `year` with action capas[capa], or none. */
typedef struct entry {
    size_t row;
    long capa; /* -1: no action recorded */
    size_t plan;
    int year;
} entry;

typedef struct entries {
    entry *e;
    size_t n;
} entries;

static int is_signal(const pt_report_row *x)
{
    return x->verdict == PT_VERDICT_QUESTIONABLE ||
           x->verdict == PT_VERDICT_UNSATISFACTORY;
}

/* Cycles of plan row p that ended short before current_year, one call
 * per cycle: the first year of the k-th such cycle in *from and its last
 * in *to; -1 when there is no k-th. */
static int gap_cycle(const pt_report_plan *p, int current_year, size_t k,
                     int *from, int *to)
{
    int last = -1;

    for (int y = p->year_from; y <= p->year_to; y++) {
        pt_report_plan_cycle cy;
        if (pt_report_plan_status(p, y, current_year, &cy) !=
                PT_VERDICT_UNSATISFACTORY ||
            cy.from == last)
            continue;
        last = cy.from;
        if (k-- == 0) {
            *from = cy.from;
            *to = cy.to;
            return 0;
        }
    }
    return -1;
}

/* The rows of the register, in the order of the results, then the plan
 * gaps with their actions (or none). */
static int collect(const pt_report_ctx *c, entries *out)
{
    const pt_report *r = c->r;
    size_t cap = r->n_capas, n = 0;
    pt_report_date d;
    int current_year =
        pt_report_date_parse(r->generated_at, 1, &d) == 0 ? d.year : 9999;

    for (size_t i = 0; i < r->n_rows; i++)
        cap += r->rows[i].own && is_signal(&r->rows[i]);
    for (size_t p = 0; p < r->n_plans; p++)
        cap += (size_t)(r->plans[p].year_to - r->plans[p].year_from + 1);
    out->e = malloc((cap ? cap : 1) * sizeof *out->e);
    if (!out->e)
        return -1;
    for (size_t i = 0; i < r->n_rows; i++) {
        int any = 0;

        if (!r->rows[i].own)
            continue;
        for (size_t a = 0; a < r->n_capas && n < cap; a++)
            if (r->capas[a].row == i) {
                out->e[n].row = i;
                out->e[n++].capa = (long)a;
                any = 1;
            }
        if (!any && is_signal(&r->rows[i]) && n < cap) {
            out->e[n].row = i;
            out->e[n++].capa = -1;
        }
    }
    for (size_t p = 0; p < r->n_plans; p++) {
        int from, to;

        for (size_t k = 0;
             gap_cycle(&r->plans[p], current_year, k, &from, &to) == 0;
             k++) {
            int any = 0;
            for (size_t a = 0; a < r->n_capas && n < cap; a++)
                if (r->capas[a].row == PT_REPORT_NO_ROW &&
                    r->capas[a].plan == p &&
                    r->capas[a].plan_year >= from &&
                    r->capas[a].plan_year <= to) {
                    out->e[n] = (entry){PT_REPORT_NO_ROW, (long)a, p, from};
                    n++;
                    any = 1;
                }
            if (!any && n < cap)
                out->e[n++] = (entry){PT_REPORT_NO_ROW, -1, p, from};
        }
        /* actions on a year that is no gap (recorded ahead of one) */
        for (size_t a = 0; a < r->n_capas && n < cap; a++) {
            const pt_report_capa *x = &r->capas[a];
            int counted = 0;
            if (x->row != PT_REPORT_NO_ROW || x->plan != p)
                continue;
            for (size_t k = 0;
                 gap_cycle(&r->plans[p], current_year, k, &from, &to) == 0;
                 k++)
                counted |= x->plan_year >= from && x->plan_year <= to;
            if (!counted)
                out->e[n++] = (entry){PT_REPORT_NO_ROW, (long)a, p,
                                      x->plan_year};
        }
    }
    out->n = n;
    return 0;
}

/* The trigger as ptlims words it by default ("<round> <measurand id>
 * <item>: En = +1.19, unsatisfactory") with the measurand's name and the
 * verdict in the report's language; a trigger written by hand is shown as
 * recorded. */
static void trigger_text(const pt_report_ctx *c, const pt_report_row *x,
                         const pt_report_group *g, const char *t, char *buf,
                         size_t n)
{
    const pt_report_round *rd = &c->r->rounds[x->round];
    char head[512], score[16], value[32], verdict[32];
    size_t len;
    int used = 0;
    static const char *const words[] = {"satisfactory", "questionable",
                                        "unsatisfactory"};

    snprintf(buf, n, "%s", t ? t : "");
    if (!t)
        return;
    snprintf(head, sizeof head, "%s %s %s: ", rd->code, g->measurand,
             g->item ? g->item : "");
    len = strlen(head);
    if (strncmp(t, head, len) != 0 ||
        sscanf(t + len, "%15s = %31[^,], %31s%n", score, value, verdict,
               &used) != 3 ||
        t[len + (size_t)used])
        return;
    for (int v = 0; v < 3; v++)
        if (strcmp(verdict, words[v]) == 0) {
            snprintf(buf, n, "%s %s %s%s%s = %s%s%s", rd->code,
                     g->measurand_name && *g->measurand_name
                         ? g->measurand_name
                         : g->measurand,
                     g->item ? g->item : "",
                     c->lang == PT_REPORT_ZH_TW ? "：" : ": ",
                     pt_report_label_score(score), value,
                     c->lang == PT_REPORT_ZH_TW ? "，" : ", ",
                     pt_report_label_verdict(c->lang,
                                             (pt_report_verdict)(v + 1)));
            return;
        }
}

/* "plan gap: 1 required in the cycle, 0 taken" for the cycle of plan row
 * `plan` that holds `year`. */
static void gap_text(const pt_report_ctx *c, size_t plan, int year,
                     char *buf, size_t n)
{
    pt_report_plan_cycle cy;

    pt_report_plan_status(&c->r->plans[plan], year, 9999, &cy);
    if (c->lang == PT_REPORT_ZH_TW)
        snprintf(buf, n, "參加計畫缺口：週期應參加 %u 次，參加 %u 次",
                 cy.required, cy.total);
    else
        snprintf(buf, n, "plan gap: %u required in the cycle, %u taken",
                 cy.required, cy.total);
}

void pt_report_capa_trigger(const pt_report_ctx *c, const pt_report_capa *a,
                            char *buf, size_t n)
{
    if (a->row != PT_REPORT_NO_ROW) {
        const pt_report_row *x = &c->r->rows[a->row];
        trigger_text(c, x, &c->r->rounds[x->round].groups[x->group],
                     a->trigger, buf, n);
    } else if (a->trigger && *a->trigger &&
               strncmp(a->trigger, "plan gap: ", 10) != 0) {
        /* written by hand: as recorded */
        snprintf(buf, n, "%s", a->trigger);
    } else {
        gap_text(c, a->plan, a->plan_year, buf, n);
    }
}

static const char *outcome_word(pt_report_lang lang, const char *o)
{
    if (o && strcmp(o, "effective") == 0)
        return pt_report_label_pick(lang, "有效", "Effective");
    if (o && strcmp(o, "not effective") == 0)
        return pt_report_label_pick(lang, "無效", "Not effective");
    return o;
}

static int put_entry(pt_report_sheet *sh, lxw_row_t row, size_t i, void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const entries *es = arg;
    const entry *en = &es->e[i];
    const pt_report_row *x =
        en->row != PT_REPORT_NO_ROW ? &c->r->rows[en->row] : NULL;
    const pt_report_capa *a = en->capa >= 0 ? &c->r->capas[en->capa] : NULL;
    lxw_format *const *f = c->st.cell[0];
    pt_report_verdict colour;
    const char *status;
    const char *texts[7];
    char trigger[512], what[512];
    static const lxw_col_t cols[7] = {A_TRIGGER, A_CAUSE,    A_IMPACT,
                                      A_ACTION,  A_OWNER,    A_VERIFIED,
                                      A_CHECK};
    int lines, l;

    if (!a) {
        colour = PT_VERDICT_UNSATISFACTORY;
        status = pt_report_label_pick(c->lang, "未登錄措施",
                                      "No action recorded");
    } else if (a->closed && *a->closed) {
        int verified = a->verified_by && *a->verified_by;
        colour = verified ? PT_VERDICT_SATISFACTORY : PT_VERDICT_QUESTIONABLE;
        status = verified ? pt_report_label_pick(c->lang, "已結案並查證",
                                                 "Closed, verified")
                          : pt_report_label_pick(c->lang, "已結案未查證",
                                                 "Closed, not verified");
        if (a->effective && strcmp(a->effective, "not effective") == 0) {
            colour = PT_VERDICT_UNSATISFACTORY;
            status = pt_report_label_pick(c->lang, "已結案，查核無效",
                                          "Closed, not effective");
        }
    } else if (a->due && pt_report_audit_day(a->due) >= 0 &&
               pt_report_audit_day(a->due) < c->today) {
        colour = PT_VERDICT_UNSATISFACTORY;
        status = pt_report_label_pick(c->lang, "逾期", "Overdue");
    } else {
        colour = PT_VERDICT_QUESTIONABLE;
        status = pt_report_label_pick(c->lang, "進行中", "Open");
    }
    if (x) {
        const pt_report_round *rd = &c->r->rounds[x->round];
        const pt_report_group *g = &rd->groups[x->group];
        trigger_text(c, x, g, a ? a->trigger : NULL, trigger,
                     sizeof trigger);
        snprintf(what, sizeof what, "%s",
                 g->measurand_name && *g->measurand_name ? g->measurand_name
                                                         : g->measurand);
    } else {
        const pt_report_plan *p = &c->r->plans[en->plan];
        pt_report_plan_cycle cy;
        pt_report_plan_status(p, en->year, 9999, &cy);
        snprintf(what, sizeof what, "%s / %s / %s", p->technique,
                 p->property, p->product);
        if (cy.from == cy.to)
            snprintf(what + strlen(what), sizeof what - strlen(what),
                     "%s%d", c->lang == PT_REPORT_ZH_TW ? "，" : ", ",
                     cy.from);
        else
            snprintf(what + strlen(what), sizeof what - strlen(what),
                     "%s%d–%d", c->lang == PT_REPORT_ZH_TW ? "，" : ", ",
                     cy.from, cy.to);
        gap_text(c, en->plan, en->year, trigger, sizeof trigger);
        if (a)
            pt_report_capa_trigger(c, a, trigger, sizeof trigger);
    }
    texts[0] = a || !x ? trigger : NULL;
    texts[1] = a ? a->root_cause : NULL;
    texts[2] = a ? a->impact : NULL;
    texts[3] = a ? a->action : NULL;
    texts[4] = a ? a->owner : NULL;
    texts[5] = a ? a->verified_by : NULL;
    texts[6] = a ? a->effectiveness : NULL;

    if (a)
        pt_report_put_number(sh, row, A_ID, (double)a->id, f[PT_KIND_COUNT]);
    else
        pt_report_put_text(sh, row, A_ID, "—", f[PT_KIND_CENTER]);
    pt_report_put_text(sh, row, A_CAR, a ? a->car_no : NULL,
                       f[PT_KIND_CENTER]);
    if (x)
        pt_report_put_round_link(sh, row, A_ROUND, x->round);
    else
        pt_report_put_link(sh, row, A_ROUND,
                           pt_report_label_pick(c->lang, "參加計畫",
                                                "PT plan"),
                           c->names[PT_SHEET_PLAN]);
    lines = pt_report_put_wrapped(sh, row, A_MEASURAND, what,
                                  f[PT_KIND_WRAP]);
    if (x) {
        pt_report_put_text(sh, row, A_ITEM,
                           c->r->rounds[x->round].groups[x->group].item,
                           f[PT_KIND_CENTER]);
        pt_report_put_text(sh, row, A_VERDICT,
                           pt_report_label_verdict(c->lang, x->verdict),
                           c->st.verdict[x->verdict]);
    } else {
        pt_report_put_text(sh, row, A_ITEM, NULL, f[PT_KIND_CENTER]);
        pt_report_put_text(sh, row, A_VERDICT,
                           pt_report_label_pick(c->lang, "缺口", "Gap"),
                           c->st.verdict[PT_VERDICT_UNSATISFACTORY]);
    }
    for (int k = 0; k < 7; k++) {
        l = pt_report_put_wrapped(sh, row, cols[k], texts[k], f[PT_KIND_WRAP]);
        lines = l > lines ? l : lines;
    }
    pt_report_put_date(sh, row, A_OPENED, a ? a->opened : NULL,
                       f[PT_KIND_DATE]);
    pt_report_put_date(sh, row, A_DUE, a ? a->due : NULL, f[PT_KIND_DATE]);
    pt_report_put_date(sh, row, A_CLOSED, a ? a->closed : NULL,
                       f[PT_KIND_DATE]);
    pt_report_put_date(sh, row, A_CHECKED_ON, a ? a->effective_on : NULL,
                       f[PT_KIND_DATE]);
    pt_report_put_text(
        sh, row, A_OUTCOME, a ? outcome_word(c->lang, a->effective) : NULL,
        a && a->effective
            ? c->st.verdict[strcmp(a->effective, "effective") == 0
                                ? PT_VERDICT_SATISFACTORY
                                : PT_VERDICT_UNSATISFACTORY]
            : f[PT_KIND_CENTER]);
    pt_report_put_text(sh, row, A_STATUS, status, c->st.verdict[colour]);
    return lines;
}

void pt_report_capa_write(pt_report_ctx *c)
{
    pt_report_sheet sh;
    pt_report_table t;
    entries es;

    if (c->status != PT_REPORT_OK ||
        pt_report_sheet_add(c, &sh, c->names[PT_SHEET_CAPA]) != 0)
        return;
    if (collect(c, &es) != 0) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return;
    }
    memset(&t, 0, sizeof t);
    t.cols = columns;
    t.n_cols = N_COLS;
    t.n_rows = es.n;
    t.put = put_entry;
    t.arg = &es;
    t.empty_zh = "本期間無可疑或不滿意之結果，亦無登錄之矯正措施。";
    t.empty_en = "No questionable or unsatisfactory results and no "
                 "corrective actions in the period.";
    t.defined_name = "PT_Corrective_Actions";
    pt_report_tables_fit(&sh, (const pt_report_table *const[]){&t}, 1);
    /* title and note within the first printed page (two pages across) */
    pt_report_put_title(
        &sh, A_IMPACT, "矯正措施登錄", "Corrective-action register",
        pt_report_label_pick(
            c->lang,
            "每一可疑或不滿意之結果及每一參加計畫缺口，及其措施（ISO/IEC "
            "17025 7.7.3、7.10、8.7）：矯正措施單號、對已發出結果之影響、有效"
            "性查核及其日期與結果。綠：已結案並查證；黃：進行中；紅：逾期、"
            "查核無效或未登錄措施（依本活頁簿產出日）。",
            "Every questionable or unsatisfactory result and every gap in "
            "the participation plan, with its actions (ISO/IEC 17025 "
            "7.7.3, 7.10, 8.7): CAR number, impact on results already "
            "issued, and the effectiveness check with its date and "
            "outcome.  Green: closed and verified; amber: open; red: "
            "overdue, not effective, or no action recorded (at the "
            "workbook's date)."));
    pt_report_table_write(&sh, 3, &t, 1);
    /* 19 columns: two pages across, the number and CAR number repeated */
    worksheet_fit_to_pages(sh.ws, 2, 0);
    pt_report_sheet_check(&sh, worksheet_repeat_columns(sh.ws, 0, 1),
                          "columns repeated on each page");
    free(es.e);
}
