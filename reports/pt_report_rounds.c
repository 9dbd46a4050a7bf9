/*
 * pt_report_rounds.c -- the "Rounds" sheet: every round the laboratory
 * took part in during the period, one row each, with the provider and its
 * ISO/IEC 17043 accreditation, the kind of comparison, items, measurands,
 * the laboratory's methods, the dates (with the 民國 year), the number
 * of participants, and whether the round has a sheet of its own and why
 * (pt_report.h states the rule); the round code links to that sheet, or
 * to the round's first result on All results.
 */
#include <stdio.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_date.h"
#include "pt_report_label.h"
#include "pt_report_round.h"

enum {
    O_ROUND,
    O_TYPE,
    O_SCHEME,
    O_TITLE,
    O_PROVIDER,
    O_PROVIDER_ACC,
    O_OPENED,
    O_ROC,
    O_CLOSED,
    O_STATUS,
    O_PARTICIPANTS,
    O_ITEMS,
    O_MEASURANDS,
    O_METHODS,
    O_SHEET,
    N_COLS
};

static const pt_report_column columns[N_COLS] = {
    {"輪次", "Round", PT_KIND_TEXT, 12, 18},
    {"類型", "Type", PT_KIND_WRAP, 10, 14},
    {"計畫", "Scheme", PT_KIND_WRAP, 10, 14},
    {"名稱", "Title", PT_KIND_WRAP, 20, 36},
    {"主辦單位", "Provider", PT_KIND_WRAP, 14, 24},
    {"主辦單位認證 (ISO/IEC 17043)", "Provider accreditation (ISO/IEC "
     "17043)", PT_KIND_WRAP, 14, 18},
    {"開始日期", "Opened", PT_KIND_DATE, 11, 11},
    {"民國年", "ROC year", PT_KIND_ROC, 10, 11},
    {"主辦單位截止日", "Provider's deadline", PT_KIND_DATE, 11, 11},
    {"紀錄狀態", "Record", PT_KIND_WRAP, 10, 16},
    {"參加者數", "Participants", PT_KIND_COUNT, 9, 12},
    {"試樣", "Items", PT_KIND_WRAP, 8, 16},
    {"量測項目", "Measurands", PT_KIND_WRAP, 14, 28},
    {"本室方法", "Our methods", PT_KIND_WRAP, 14, 24},
    {"輪次工作表", "Round sheet", PT_KIND_WRAP, 14, 30},
};

/* Whether round i has a sheet and why, in words. */
static const char *sheet_text(const pt_report_ctx *c, size_t i)
{
    switch (c->why ? c->why[i] : PT_ROUND_NO_SHEET) {
    case PT_ROUND_SHEET_EVERY:
        return pt_report_label_pick(c->lang, "有", "Yes");
    case PT_ROUND_SHEET_RECENT:
    case PT_ROUND_SHEET_FILL:
        return pt_report_label_pick(c->lang, "有：最近之輪次",
                                    "Yes: a recent round");
    case PT_ROUND_SHEET_SIGNAL:
        return pt_report_label_pick(c->lang, "有：本室結果可疑或不滿意",
                                    "Yes: a questionable or unsatisfactory "
                                    "own result");
    case PT_ROUND_NO_SHEET_SIGNAL:
        return pt_report_label_pick(c->lang,
                                    "無（可疑或不滿意，但已達工作表上限）："
                                    "結果見全部結果",
                                    "No (a signal, beyond the limit of round "
                                    "sheets): results on All results");
    default:
        return pt_report_label_pick(c->lang, "無：結果見全部結果",
                                    "No: results on All results");
    }
}

static int put_round(pt_report_sheet *sh, lxw_row_t row, size_t i, void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const pt_report *r = c->r;
    const pt_report_round *rd = &r->rounds[i];
    lxw_format *const *f = c->st.cell[0];
    char items[512] = "", measurands[1024] = "", methods[512] = "",
         state[128];
    pt_report_date d;
    int lines = 1, l;
    const char *texts[7];
    static const lxw_col_t cols[7] = {O_TYPE,       O_TITLE,   O_PROVIDER,
                                      O_ITEMS,      O_MEASURANDS,
                                      O_METHODS,    O_SHEET};

    (void)arg;
    for (size_t g = 0; g < rd->n_groups; g++) {
        const pt_report_group *gr = &rd->groups[g];
        pt_report_join_distinct(items, sizeof items, gr->item);
        pt_report_join_distinct(measurands, sizeof measurands,
                                gr->measurand_name && *gr->measurand_name
                                    ? gr->measurand_name
                                    : gr->measurand);
    }
    /* the round's rows only (pt_report_round_index; without it the
     * workbook has failed already) */
    for (size_t k = c->order ? c->round_start[i] : 0;
         c->order && k < c->round_start[i + 1]; k++)
        if (r->rows[c->order[k]].own)
            pt_report_join_distinct(methods, sizeof methods,
                                    r->rows[c->order[k]].method);
    texts[0] = pt_report_label_round_type(c->lang, rd->type);
    texts[1] = rd->title;
    texts[2] = rd->provider;
    texts[3] = items;
    texts[4] = measurands;
    texts[5] = methods;
    texts[6] = sheet_text(c, i);

    pt_report_put_round_link(sh, row, O_ROUND, i);
    pt_report_put_text(sh, row, O_SCHEME,
                       rd->scheme_name ? rd->scheme_name : rd->scheme,
                       f[PT_KIND_WRAP]);
    pt_report_put_text(sh, row, O_PROVIDER_ACC, rd->provider_accreditation,
                       f[PT_KIND_WRAP]);
    pt_report_put_date(sh, row, O_OPENED, rd->opened, f[PT_KIND_DATE]);
    if (rd->opened && pt_report_date_parse(rd->opened, 0, &d) == 0)
        pt_report_put_number(sh, row, O_ROC, pt_report_date_roc_year(d.year),
                             f[PT_KIND_ROC]);
    else
        pt_report_put_text(sh, row, O_ROC, NULL, f[PT_KIND_ROC]);
    pt_report_put_date(sh, row, O_CLOSED, rd->closed, f[PT_KIND_DATE]);
    pt_report_label_round_state(c->lang, rd, state, sizeof state);
    l = pt_report_put_wrapped(sh, row, O_STATUS, state, f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    pt_report_put_number(sh, row, O_PARTICIPANTS, (double)rd->participants,
                         f[PT_KIND_COUNT]);
    for (int k = 0; k < 7; k++) {
        l = pt_report_put_wrapped(sh, row, cols[k], texts[k], f[PT_KIND_WRAP]);
        lines = l > lines ? l : lines;
    }
    return lines;
}

/* The sheet's note: what the links lead to, and the rule for round sheets
 * when not every round has one. */
static void note_text(const pt_report_ctx *c, char *buf, size_t n)
{
    const pt_report *r = c->r;
    size_t len;

    snprintf(buf, n, "%s",
             pt_report_label_pick(
                 c->lang,
                 "ISO/IEC 17025 7.7.2 a) 能力試驗、b) 實驗室間比對；輪次代碼"
                 "連結至該輪次之工作表，無工作表者連結至其於全部結果之第一筆。"
                 "截止日為主辦單位之結果繳交期限；紀錄狀態：「已鎖定」者於本系統"
                 "已結案、不得再修改（更正另立版本），「已評估」者已計算指定值及"
                 "分數。",
                 "ISO/IEC 17025 7.7.2 a) proficiency testing, b) "
                 "interlaboratory comparisons; each round code links to the "
                 "round's sheet, or, for a round without one, to its first "
                 "result on All results.  The deadline is the provider's; "
                 "a record \"locked\" is closed in ptlims and can no longer "
                 "change (a correction is a new version), \"evaluated\" has "
                 "its assigned values and scores computed."));
    if (c->n_round_sheets == r->n_rounds)
        return;
    len = strlen(buf);
    if (c->lang == PT_REPORT_ZH_TW)
        snprintf(buf + len, n - len,
                 "\n%zu 個輪次，至多 %zu 個輪次工作表：最近 %zu 個輪次，"
                 "其次為本室結果可疑或不滿意之輪次（共 %zu 個，由近而遠），"
                 "再由其餘最近之輪次補足。每一結果均在全部結果工作表。",
                 r->n_rounds, c->n_round_sheets, c->n_recent,
                 c->n_signal_rounds);
    else
        snprintf(buf + len, n - len,
                 "\n%zu rounds, %zu round sheets at most: the %zu most "
                 "recent rounds, then the rounds with a questionable or "
                 "unsatisfactory own result (%zu rounds), most recent "
                 "first, then the most recent of the others.  Every result "
                 "is on All results.",
                 r->n_rounds, c->n_round_sheets, c->n_recent,
                 c->n_signal_rounds);
}

void pt_report_rounds_write(pt_report_ctx *c)
{
    pt_report_sheet sh;
    pt_report_table t;
    char note[1024];

    if (c->status != PT_REPORT_OK ||
        pt_report_sheet_add(c, &sh, c->names[PT_SHEET_ROUNDS]) != 0)
        return;
    memset(&t, 0, sizeof t);
    t.cols = columns;
    t.n_cols = N_COLS;
    t.n_rows = c->r->n_rounds;
    t.put = put_round;
    t.empty_zh = "本期間無參加之輪次。";
    t.empty_en = "No rounds in the period.";
    t.defined_name = "PT_Rounds";
    sh.measuring = 1;
    pt_report_table_measure(&sh, &t);
    pt_report_table_fit(&sh, &t, 0);
    sh.measuring = 0;
    note_text(c, note, sizeof note);
    pt_report_put_title(&sh, N_COLS - 1, "參加之輪次", "Rounds taken part in",
                        note);
    pt_report_table_write(&sh, 3, &t, 1);
}
