/*
 * pt_report_capa.c -- the "Corrective actions" sheet: every questionable
 * or unsatisfactory result of the laboratory with the actions taken on it
 * (trigger, root cause, action, owner, due, closed, verified by), and the
 * actions recorded on other results (ISO/IEC 17025 7.7.3, 7.10, 8.7).
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
#include "pt_report_label.h"

enum {
    A_ID,
    A_ROUND,
    A_MEASURAND,
    A_ITEM,
    A_VERDICT,
    A_TRIGGER,
    A_CAUSE,
    A_ACTION,
    A_OWNER,
    A_OPENED,
    A_DUE,
    A_CLOSED,
    A_VERIFIED,
    A_STATUS,
    N_COLS
};

static const pt_report_column columns[N_COLS] = {
    {"編號", "No.", PT_KIND_COUNT, 6, 7},
    {"輪次", "Round", PT_KIND_TEXT, 12, 16},
    {"量測項目", "Measurand", PT_KIND_WRAP, 12, 18},
    {"試樣", "Item", PT_KIND_CENTER, 7, 10},
    {"判定", "Verdict", PT_KIND_CENTER, 10, 14},
    {"觸發", "Trigger", PT_KIND_WRAP, 18, 28},
    {"根本原因", "Root cause", PT_KIND_WRAP, 20, 32},
    {"措施", "Action", PT_KIND_WRAP, 20, 32},
    {"負責人", "Owner", PT_KIND_WRAP, 9, 14},
    {"開立日期", "Opened", PT_KIND_DATE, 11, 11},
    {"期限", "Due", PT_KIND_DATE, 11, 11},
    {"結案日期", "Closed", PT_KIND_DATE, 11, 11},
    {"查證者", "Verified by", PT_KIND_WRAP, 9, 14},
    {"狀態", "Status", PT_KIND_CENTER, 11, 16},
};

/* One table row: result rows[row] with action capas[capa], or none. */
typedef struct entry {
    size_t row;
    long capa; /* -1: no action recorded */
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

/* The rows of the register, in the order of the results. */
static int collect(const pt_report *r, entries *out)
{
    size_t cap = r->n_capas, n = 0;

    for (size_t i = 0; i < r->n_rows; i++)
        cap += r->rows[i].own && is_signal(&r->rows[i]);
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

static int put_entry(pt_report_sheet *sh, lxw_row_t row, size_t i, void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const entries *es = arg;
    const pt_report_row *x = &c->r->rows[es->e[i].row];
    const pt_report_round *rd = &c->r->rounds[x->round];
    const pt_report_group *g = &rd->groups[x->group];
    const pt_report_capa *a =
        es->e[i].capa >= 0 ? &c->r->capas[es->e[i].capa] : NULL;
    lxw_format *const *f = c->st.cell[0];
    pt_report_verdict colour;
    const char *status;
    const char *texts[5];
    char trigger[512];
    static const lxw_col_t cols[5] = {A_TRIGGER, A_CAUSE, A_ACTION, A_OWNER,
                                      A_VERIFIED};
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
    } else if (a->due && pt_report_audit_day(a->due) >= 0 &&
               pt_report_audit_day(a->due) < c->today) {
        colour = PT_VERDICT_UNSATISFACTORY;
        status = pt_report_label_pick(c->lang, "逾期", "Overdue");
    } else {
        colour = PT_VERDICT_QUESTIONABLE;
        status = pt_report_label_pick(c->lang, "進行中", "Open");
    }
    trigger_text(c, x, g, a ? a->trigger : NULL, trigger, sizeof trigger);
    texts[0] = a ? trigger : NULL;
    texts[1] = a ? a->root_cause : NULL;
    texts[2] = a ? a->action : NULL;
    texts[3] = a ? a->owner : NULL;
    texts[4] = a ? a->verified_by : NULL;

    if (a)
        pt_report_put_number(sh, row, A_ID, (double)a->id, f[PT_KIND_COUNT]);
    else
        pt_report_put_text(sh, row, A_ID, "—", f[PT_KIND_CENTER]);
    pt_report_put_round_link(sh, row, A_ROUND, x->round);
    lines = pt_report_put_wrapped(sh, row, A_MEASURAND,
                                  g->measurand_name && *g->measurand_name
                                      ? g->measurand_name
                                      : g->measurand,
                                  f[PT_KIND_WRAP]);
    pt_report_put_text(sh, row, A_ITEM, g->item, f[PT_KIND_CENTER]);
    pt_report_put_text(sh, row, A_VERDICT,
                       pt_report_label_verdict(c->lang, x->verdict),
                       c->st.verdict[x->verdict]);
    for (int k = 0; k < 5; k++) {
        l = pt_report_put_wrapped(sh, row, cols[k], texts[k], f[PT_KIND_WRAP]);
        lines = l > lines ? l : lines;
    }
    pt_report_put_date(sh, row, A_OPENED, a ? a->opened : NULL,
                       f[PT_KIND_DATE]);
    pt_report_put_date(sh, row, A_DUE, a ? a->due : NULL, f[PT_KIND_DATE]);
    pt_report_put_date(sh, row, A_CLOSED, a ? a->closed : NULL,
                       f[PT_KIND_DATE]);
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
    if (collect(c->r, &es) != 0) {
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
    pt_report_put_title(
        &sh, N_COLS - 1, "矯正措施登錄", "Corrective-action register",
        pt_report_label_pick(
            c->lang,
            "每一可疑或不滿意之結果及其措施（ISO/IEC 17025 7.7.3、7.10、8.7）。"
            "綠：已結案並查證；黃：進行中；紅：逾期或未登錄措施（依本活頁簿"
            "產出日）。",
            "Every questionable or unsatisfactory result with its actions "
            "(ISO/IEC 17025 7.7.3, 7.10, 8.7).  Green: closed and verified; "
            "amber: open; red: overdue or no action recorded (at the "
            "workbook's date)."));
    pt_report_table_write(&sh, 3, &t, 1);
    free(es.e);
}
