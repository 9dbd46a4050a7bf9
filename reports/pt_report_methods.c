/*
 * pt_report_methods.c -- the "Method parameters" sheet: the test methods,
 * one row per edition, with scope and precision equations (r and R, per
 * product), and the limits in force, each with its standard, edition,
 * clause, dates, status and source (ISO/IEC 17025 7.2).  These are data in the laboratory's
 * database; a row marked unverified or missing was not found in a primary
 * text and is shown amber so that the assessor sees it.
 */
#include <stdio.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_label.h"

enum {
    D_CODE,
    D_SCHEME,
    D_PRINCIPLE,
    D_EDITION,
    D_UNIT,
    D_MIN,
    D_MAX,
    D_R_SMALL,
    D_R_BIG,
    D_STATUS,
    D_SOURCE,
    D_COLS
};

static const pt_report_column method_cols[D_COLS] = {
    {"方法", "Method", PT_KIND_WRAP, 14, 18},
    {"計畫", "Scheme", PT_KIND_WRAP, 10, 14},
    {"原理", "Principle", PT_KIND_WRAP, 12, 18},
    {"版次", "Edition", PT_KIND_WRAP, 10, 16},
    {"單位", "Unit", PT_KIND_CENTER, 7, 9},
    {"範圍下限", "Scope from", PT_KIND_VALUE, 9, 11},
    {"範圍上限", "Scope to", PT_KIND_VALUE, 9, 11},
    {"重複性 r", "Repeatability r", PT_KIND_WRAP, 20, 30},
    {"再現性 R", "Reproducibility R", PT_KIND_WRAP, 20, 30},
    {"狀態", "Status", PT_KIND_CENTER, 10, 12},
    {"來源", "Source", PT_KIND_WRAP, 24, 40},
};

enum {
    L_SCHEME,
    L_MEASURAND,
    L_CATEGORY,
    L_KIND,
    L_VALUE,
    L_STANDARD,
    L_EDITION,
    L_CLAUSE,
    L_FROM,
    L_TO,
    L_STATUS,
    L_SOURCE,
    L_COLS
};

static const pt_report_column limit_cols[L_COLS] = {
    {"計畫", "Scheme", PT_KIND_WRAP, 14, 18},
    {"量測項目", "Measurand", PT_KIND_WRAP, 10, 14},
    {"類別", "Category", PT_KIND_WRAP, 12, 18},
    {"種類", "Kind", PT_KIND_CENTER, 8, 10},
    {"限值", "Limit", PT_KIND_WRAP, 10, 16},
    {"標準", "Standard", PT_KIND_WRAP, 10, 16},
    {"版次", "Edition", PT_KIND_WRAP, 8, 11},
    {"條文", "Clause", PT_KIND_WRAP, 8, 14},
    {"生效日", "Effective from", PT_KIND_DATE, 11, 11},
    {"失效日", "Effective to", PT_KIND_DATE, 11, 11},
    {"狀態", "Status", PT_KIND_CENTER, 10, 12},
    {"來源", "Source", PT_KIND_WRAP, 24, 40},
};

static const char *status_word(pt_report_lang lang, const char *s,
                               const char *source, pt_report_verdict *colour)
{
    *colour = PT_VERDICT_QUESTIONABLE;
    /* a row marked published whose source still says part of it is
     * unverified is not shown as plainly published */
    if (s && strcmp(s, "published") == 0 && source &&
        strstr(source, "[unverified]"))
        return pt_report_label_pick(lang, "已公告，部分未查證（見來源）",
                                    "Published, partly unverified (see the "
                                    "source)");
    if (s && strcmp(s, "published") == 0) {
        *colour = PT_VERDICT_SATISFACTORY;
        return pt_report_label_pick(lang, "已公告", "Published");
    }
    if (s && strcmp(s, "unverified") == 0)
        return pt_report_label_pick(lang, "未查證", "Unverified");
    if (s && strcmp(s, "missing") == 0)
        return pt_report_label_pick(lang, "待輸入", "Missing");
    return s;
}

static int max_lines(int a, int b) { return a > b ? a : b; }

static int put_method(pt_report_sheet *sh, lxw_row_t row, size_t i,
                      void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const pt_report_method *m = &c->r->methods[i];
    lxw_format *const *f = c->st.cell[0];
    pt_report_verdict colour;
    const char *status = status_word(c->lang, m->status, m->source, &colour);
    const char *texts[6] = {m->code,
                            m->scheme_name ? m->scheme_name : m->scheme,
                            m->principle,
                            pt_report_label_edition(c->lang, m->edition),
                            m->repeatability, m->reproducibility};
    static const lxw_col_t cols[6] = {D_CODE,    D_SCHEME,  D_PRINCIPLE,
                                      D_EDITION, D_R_SMALL, D_R_BIG};
    int lines = 1;

    (void)arg;
    for (int k = 0; k < 6; k++)
        lines = max_lines(lines, pt_report_put_wrapped(sh, row, cols[k],
                                                       texts[k],
                                                       f[PT_KIND_WRAP]));
    pt_report_put_text(sh, row, D_UNIT, m->unit, f[PT_KIND_CENTER]);
    pt_report_put_number(sh, row, D_MIN, m->scope_min, f[PT_KIND_VALUE]);
    pt_report_put_number(sh, row, D_MAX, m->scope_max, f[PT_KIND_VALUE]);
    pt_report_put_text(sh, row, D_STATUS, status, c->st.verdict[colour]);
    return max_lines(lines, pt_report_put_wrapped(sh, row, D_SOURCE,
                                                  m->source, f[PT_KIND_WRAP]));
}

static int put_limit(pt_report_sheet *sh, lxw_row_t row, size_t i, void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const pt_report_limit *l = &c->r->limits[i];
    lxw_format *const *f = c->st.cell[0];
    pt_report_verdict colour;
    const char *status = status_word(c->lang, l->status, l->source, &colour);
    const char *texts[7] = {l->scheme_name ? l->scheme_name : l->scheme,
                            l->measurand_name ? l->measurand_name
                                              : l->measurand,
                            l->category,
                            l->value_text, l->standard, l->edition,
                            l->clause};
    static const lxw_col_t cols[7] = {L_SCHEME, L_MEASURAND, L_CATEGORY,
                                      L_VALUE,  L_STANDARD,  L_EDITION,
                                      L_CLAUSE};
    int lines = 1;

    (void)arg;
    for (int k = 0; k < 7; k++)
        lines = max_lines(lines, pt_report_put_wrapped(sh, row, cols[k],
                                                       texts[k],
                                                       f[PT_KIND_WRAP]));
    pt_report_put_text(sh, row, L_KIND,
                       l->kind && strcmp(l->kind, "min") == 0
                           ? pt_report_label_pick(c->lang, "下限", "Minimum")
                           : pt_report_label_pick(c->lang, "上限", "Maximum"),
                       f[PT_KIND_CENTER]);
    pt_report_put_date(sh, row, L_FROM, l->effective_from, f[PT_KIND_DATE]);
    pt_report_put_date(sh, row, L_TO, l->effective_to, f[PT_KIND_DATE]);
    pt_report_put_text(sh, row, L_STATUS, status, c->st.verdict[colour]);
    return max_lines(lines, pt_report_put_wrapped(sh, row, L_SOURCE,
                                                  l->source, f[PT_KIND_WRAP]));
}

void pt_report_methods_write(pt_report_ctx *c)
{
    pt_report_sheet sh;
    pt_report_table t1, t2;
    lxw_row_t row;

    if (c->status != PT_REPORT_OK ||
        pt_report_sheet_add(c, &sh, c->names[PT_SHEET_METHODS]) != 0)
        return;
    memset(&t1, 0, sizeof t1);
    t1.cols = method_cols;
    t1.n_cols = D_COLS;
    t1.n_rows = c->r->n_methods;
    t1.put = put_method;
    t1.empty_zh = "資料庫中無方法資料。";
    t1.empty_en = "No methods in the database.";
    t1.defined_name = "PT_Methods";
    memset(&t2, 0, sizeof t2);
    t2.cols = limit_cols;
    t2.n_cols = L_COLS;
    t2.n_rows = c->r->n_limits;
    t2.put = put_limit;
    t2.empty_zh = "資料庫中無限值資料。";
    t2.empty_en = "No limits in the database.";
    t2.defined_name = "PT_Limits";
    pt_report_tables_fit(&sh, (const pt_report_table *const[]){&t1, &t2}, 2);
    pt_report_put_title(
        &sh, D_COLS - 1, "方法參數及限值", "Method parameters and limits",
        pt_report_label_pick(
            c->lang,
            "每一版次一列；精密度方程式 r、R 以方法單位之 X（兩結果之平均）表示，"
            "依產品列出，無產品列者用「一般」列；結果所載版次無方程式時，採用有"
            "方程式之最新版次，並於該結果及輪次工作表註明。狀態「未查證」或「待"
            "輸入」者未於原始文件查得，以黃色標示（ISO/IEC 17025 7.2）。",
            "One row per edition.  Precision equations r and R in X (the "
            "mean of two results) in the method's unit, by product; a "
            "product without a row of its own takes the general row.  When "
            "a result's edition gives no equation, the newest edition that "
            "does is used, and the result and its round sheet say so.  Rows "
            "marked unverified or missing were not found in a primary text "
            "and are shown amber (ISO/IEC 17025 7.2)."));
    row = pt_report_table_write(&sh, 3, &t1, 1) + 1;
    pt_report_put_section(&sh, row, D_COLS - 1, "適用限值", "Limits in force");
    pt_report_table_write(&sh, row + 1, &t2, 0);
}
