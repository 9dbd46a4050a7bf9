/*
 * pt_report_cover.c -- the cover sheet, the workbook's first page.
 *
 * What an assessor signs off before reading on: whose record it is and
 * for which period, the document's number and revision, a statement that
 * every round of the period was analysed (with the counts behind it),
 * who prepared, reviewed and approved it and when, and the two digests
 * that tie the paper to the database: the SHA-256 of the data the
 * workbook was made from and the head of the hash-chained audit log.
 * The Index, with the clause -> evidence map, follows it.  One A4 page,
 * landscape like every sheet.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_date.h"
#include "pt_report_label.h"

enum { K_LABEL, K_NAME, K_DATE, K_SIGN, N_COLS };

/* Fixed widths: the sheet is one A4 page. */
static const pt_report_column columns[N_COLS] = {
    {"", "", PT_KIND_WRAP, 24, 24},
    {"", "", PT_KIND_WRAP, 30, 30},
    {"", "", PT_KIND_WRAP, 22, 22},
    {"", "", PT_KIND_WRAP, 26, 26},
};

static void put_info(pt_report_sheet *sh, lxw_row_t row, const char *zh,
                     const char *en, const char *value)
{
    static const lxw_col_t span[4] = {K_LABEL, K_LABEL, K_NAME, K_SIGN};

    pt_report_set_height(sh, row,
                         pt_report_put_info(sh, row, span, zh, en, value));
}

/* A date given as ISO text in the report's date style; "" when none. */
static void date_text(const pt_report_ctx *c, const char *iso, char *buf,
                      size_t n)
{
    pt_report_date d;

    buf[0] = '\0';
    if (iso && pt_report_date_parse(iso, 0, &d) == 0)
        pt_report_date_text(&d, c->lang, c->r->roc_dates, NULL, buf, n);
}

/* What was analysed: rounds with an evaluation, groups, results scored. */
typedef struct analysed {
    size_t rounds, groups, own, own_scored;
    const char *first_missing; /* a round not analysed, or NULL */
    size_t missing;
} analysed;

static void count(const pt_report_ctx *c, analysed *a)
{
    const pt_report *r = c->r;

    memset(a, 0, sizeof *a);
    for (size_t i = 0; i < r->n_rounds; i++) {
        size_t e = 0;
        for (size_t g = 0; g < r->rounds[i].n_groups; g++)
            e += isfinite(r->rounds[i].groups[g].x_pt) != 0;
        a->groups += e;
        if (e)
            a->rounds++;
        else if (a->missing++ == 0)
            a->first_missing = r->rounds[i].code;
    }
    for (size_t i = 0; i < r->n_rows; i++) {
        if (!r->rows[i].own)
            continue;
        a->own++;
        a->own_scored += r->rows[i].verdict != PT_VERDICT_NONE ||
                         r->rows[i].is_reference;
    }
}

static void statement(const pt_report_ctx *c, const analysed *a, char *buf,
                      size_t n)
{
    size_t total = c->r->n_rounds;

    if (c->lang == PT_REPORT_ZH_TW) {
        if (a->missing == 0)
            snprintf(buf, n,
                     "本期間 %zu 個輪次均已分析：%zu 組（量測項目 × 試樣）已定"
                     "指定值並評分，共 %zu 筆參加者結果；本室結果 %zu 筆，其中"
                     " %zu 筆已評分或為指定值。",
                     total, a->groups, c->n_results, a->own, a->own_scored);
        else
            snprintf(buf, n,
                     "本期間 %zu 個輪次中 %zu 個已分析（%zu 組，共 %zu 筆參加"
                     "者結果）；%zu 個尚未分析（如 %s），其結果未評分。本室結"
                     "果 %zu 筆，其中 %zu 筆已評分或為指定值。",
                     total, a->rounds, a->groups, c->n_results, a->missing,
                     a->first_missing, a->own, a->own_scored);
    } else {
        if (a->missing == 0)
            snprintf(buf, n,
                     "Each of the %zu %s of the period was analysed: %zu "
                     "measurand × item %s given an assigned value and "
                     "scored, %zu participants' results in all; %zu of the "
                     "laboratory's own results, %zu of them scored or the "
                     "assigned value.",
                     total, total == 1 ? "round" : "rounds", a->groups,
                     a->groups == 1 ? "group" : "groups", c->n_results,
                     a->own, a->own_scored);
        else
            snprintf(buf, n,
                     "%zu of the %zu rounds of the period were analysed (%zu "
                     "groups, %zu participants' results); %zu not yet (e.g. "
                     "%s), whose results are not scored.  %zu of the "
                     "laboratory's own results, %zu of them scored or the "
                     "assigned value.",
                     a->rounds, total, a->groups, c->n_results, a->missing,
                     a->first_missing, a->own, a->own_scored);
    }
}

static lxw_row_t put_signoff(pt_report_sheet *sh, lxw_row_t row)
{
    const pt_report_ctx *c = sh->ctx;
    const pt_report *r = c->r;
    static const char *const heads[N_COLS][2] = {
        {"職責", "Role"},
        {"姓名", "Name"},
        {"日期", "Date"},
        {"簽名", "Signature"}};
    static const char *const role[3][2] = {
        {"製作", "Prepared by"},
        {"審查", "Reviewed by"},
        {"核准", "Approved by"}};
    const char *who[3] = {r->prepared_by, r->reviewed_by, r->approved_by};
    const char *when[3] = {r->prepared_on, r->reviewed_on, r->approved_on};
    lxw_format *const *f = c->st.cell[0];
    int lines = 1;

    pt_report_put_section(sh, row++, N_COLS - 1, "核簽", "Sign-off");
    for (lxw_col_t k = 0; k < N_COLS; k++) {
        int l = pt_report_put_heading(sh, row, k, k, heads[k][0],
                                      heads[k][1]);
        lines = l > lines ? l : lines;
    }
    pt_report_set_height(sh, row++, lines);
    for (int w = 0; w < 3; w++, row++) {
        char label[96], day[64];

        pt_report_label_bilingual(c->lang, role[w][0], role[w][1], " ",
                                  label, sizeof label);
        date_text(c, when[w], day, sizeof day);
        pt_report_put_text(sh, row, K_LABEL, label, c->st.info_label);
        pt_report_put_text(sh, row, K_NAME,
                           who[w] && *who[w] ? who[w] : NULL,
                           f[PT_KIND_WRAP]);
        pt_report_put_text(sh, row, K_DATE, *day ? day : NULL,
                           f[PT_KIND_WRAP]);
        pt_report_put_text(sh, row, K_SIGN, NULL, f[PT_KIND_WRAP]);
        pt_report_set_height(sh, row, 2);
    }
    return row;
}

void pt_report_cover_write(pt_report_ctx *c)
{
    const pt_report *r = c->r;
    pt_report_sheet sh;
    analysed a;
    char lab[512], period[160], from[64], to[64], when[128], doc[256],
        text[1024], head[160];
    lxw_row_t row;

    if (pt_report_sheet_add(c, &sh, c->names[PT_SHEET_COVER]) != 0)
        return;
    sh.measuring = 1;
    pt_report_sheet_fit_columns(&sh, 0, columns, N_COLS);
    sh.measuring = 0;

    /* the title in the report's language on its own line (both would
     * not fit one portrait page), the other language beneath */
    pt_report_put_merged(&sh, 0, 0, N_COLS - 1,
                         pt_report_label_pick(c->lang,
                                              "能力試驗及實驗室間比對紀錄",
                                              "Proficiency testing and "
                                              "interlaboratory comparison "
                                              "record"),
                         c->st.title);
    pt_report_sheet_check(&sh, worksheet_set_row(sh.ws, 0, 30, NULL),
                          "title row height");
    pt_report_put_merged(
        &sh, 1, 0, N_COLS - 1,
        pt_report_label_pick(
            c->lang,
            "Proficiency testing and interlaboratory comparison record　"
            "ISO/IEC 17025:2017 7.7 之證據檔。本封面記載本檔之範圍、分析聲明、"
            "核簽及與資料庫之連結；條款與證據對照見下一頁「索引」。",
            "The ISO/IEC 17025:2017 clause 7.7 evidence file.  This cover "
            "states what the file covers, that its rounds were analysed, "
            "who signed it off, and how it is tied to the database; the "
            "clause → evidence map is on the next sheet, the Index."),
        c->st.note);
    pt_report_sheet_check(&sh, worksheet_set_row(sh.ws, 1, 30, NULL),
                          "note row height");

    if (r->lab_name && *r->lab_name && r->lab_code && *r->lab_code)
        snprintf(lab, sizeof lab, "%s (%s)", r->lab_name, r->lab_code);
    else
        snprintf(lab, sizeof lab, "%s",
                 r->lab_code ? r->lab_code : r->lab_name ? r->lab_name : "");
    date_text(c, r->period_from, from, sizeof from);
    date_text(c, r->period_to, to, sizeof to);
    if (!*from && !*to)
        snprintf(period, sizeof period, "%s",
                 pt_report_label_pick(c->lang, "全部", "All"));
    else
        snprintf(period, sizeof period, "%s – %s", from, to);
    pt_report_date_generated(r, c->lang, when, sizeof when);
    snprintf(doc, sizeof doc, "%s%s%s",
             r->document_no && *r->document_no ? r->document_no : "—",
             r->revision && *r->revision
                 ? pt_report_label_pick(c->lang, "，版次 ", ", revision ")
                 : "",
             r->revision ? r->revision : "");

    row = 3;
    put_info(&sh, row++, "實驗室", "Laboratory", lab);
    put_info(&sh, row++, "認證編號", "Accreditation No.",
             r->lab_accreditation && *r->lab_accreditation
                 ? r->lab_accreditation
                 : "—");
    put_info(&sh, row++, "期間", "Period", period);
    put_info(&sh, row++, "文件編號", "Document No.", doc);
    put_info(&sh, row++, "產出時間", "Generated at", when);
    put_info(&sh, row++, "軟體版本", "Software", r->software);
    row++;

    pt_report_put_section(&sh, row++, N_COLS - 1, "分析聲明",
                          "Statement of analysis");
    count(c, &a);
    statement(c, &a, text, sizeof text);
    pt_report_put_merged(&sh, row, 0, N_COLS - 1, text,
                         c->st.cell[0][PT_KIND_WRAP]);
    pt_report_set_height(
        &sh, row,
        pt_report_text_lines(text, pt_report_span_width(&sh, 0, N_COLS - 1)));
    row++;
    {
        char n[4][32];
        snprintf(n[0], sizeof n[0], "%zu", r->n_rounds);
        snprintf(n[1], sizeof n[1], "%zu", a.rounds);
        snprintf(n[2], sizeof n[2], "%zu", c->n_results);
        snprintf(n[3], sizeof n[3], "%zu", a.own);
        put_info(&sh, row++, "輪次數", "Rounds", n[0]);
        put_info(&sh, row++, "已分析輪次數", "Rounds analysed", n[1]);
        put_info(&sh, row++, "參加者結果數", "Participants' results", n[2]);
        put_info(&sh, row++, "本室結果數", "Own results", n[3]);
    }
    row++;
    row = put_signoff(&sh, row) + 1;

    pt_report_put_section(&sh, row++, N_COLS - 1, "與資料庫之連結",
                          "Tie to the database");
    put_info(&sh, row++, "資料 SHA-256", "Data SHA-256",
             c->digest && *c->digest ? c->digest : "—");
    if (r->audit_head && *r->audit_head)
        snprintf(head, sizeof head, "#%lld  %s", r->audit_entries,
                 r->audit_head);
    else
        snprintf(head, sizeof head, "—");
    put_info(&sh, row++, "稽核紀錄鏈末筆", "Audit log head", head);
    put_info(&sh, row++, "檔案雜湊", "File hash",
             pt_report_label_pick(
                 c->lang,
                 "本檔之 SHA-256 另存於同目錄之「檔名.xlsx.sha256」。",
                 "The SHA-256 of this file is written beside it as "
                 "FILE.xlsx.sha256."));
    row++;
    pt_report_put_link(&sh, row, 0,
                       pt_report_label_pick(c->lang, "→ 索引（條款與證據）",
                                            "→ Index (clause → evidence)"),
                       c->names[PT_SHEET_INDEX]);
    worksheet_fit_to_pages(sh.ws, 1, 1); /* the cover is one page */
    worksheet_activate(sh.ws);
}
