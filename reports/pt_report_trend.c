/*
 * pt_report_trend.c -- the "Trend" and "Branch vs reference" sheets: how
 * the laboratory's scores move from round to round (ISO/IEC 17025 7.7.1
 * asks for trends to be detectable), and the history of its comparisons
 * with the reference laboratory.
 *
 * Trend: one block per measurand and kind of score (En apart from z, z′
 * and ζ, because their limits differ): a table of the scores with the
 * limit lines as data (±2 warning and ±3 action; ±1 for En), and beside it
 * a line chart drawn from that table, so that what the chart shows can be
 * read and checked.  Branch vs reference: the compare rows, then one chart
 * of En per reference laboratory and measurand.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_date.h"
#include "pt_report_label.h"

#define RED 0xC00000
#define AMBER 0xED7D31
#define BLUE 0x1F4E78

enum {
    T_ROUND,
    T_OPENED,
    T_ROC,
    T_ITEM,
    T_SCORE,
    T_VALUE,
    T_LOW1,
    T_HIGH1,
    T_LOW2,
    T_HIGH2,
    T_VERDICT,
    T_COLS
};

static const pt_report_column trend_cols[T_COLS] = {
    {"輪次", "Round", PT_KIND_TEXT, 12, 16},
    {"開始日期", "Opened", PT_KIND_DATE, 11, 11},
    {"民國年", "ROC year", PT_KIND_ROC, 10, 11},
    {"試樣", "Item", PT_KIND_CENTER, 8, 12},
    {"分數", "Score", PT_KIND_CENTER, 7, 8},
    {"值", "Value", PT_KIND_SCORE, 7, 9},
    {"下警戒", "Lower warning", PT_KIND_SCORE, 8, 9},
    {"上警戒", "Upper warning", PT_KIND_SCORE, 8, 9},
    {"下行動", "Lower action", PT_KIND_SCORE, 8, 9},
    {"上行動", "Upper action", PT_KIND_SCORE, 8, 9},
    {"判定", "Verdict", PT_KIND_CENTER, 10, 14},
};

#define CHART_COL (T_COLS + 1)
#define CHART_ROWS 16 /* rows a chart covers */

/* Own, scored row i of the kind (is_en) and measurand of row `key`? */
static int in_series(const pt_report *r, size_t i, size_t key)
{
    const pt_report_row *x = &r->rows[i], *k = &r->rows[key];

    return x->own && isfinite(pt_report_primary_value(x)) &&
           pt_report_primary_is_en(x) == pt_report_primary_is_en(k) &&
           strcmp(r->rounds[x->round].groups[x->group].measurand,
                  r->rounds[k->round].groups[k->group].measurand) == 0;
}

static void put_score_row(pt_report_sheet *sh, lxw_row_t row,
                          const pt_report_row *x)
{
    const pt_report_ctx *c = sh->ctx;
    const pt_report_round *rd = &c->r->rounds[x->round];
    lxw_format *const *f = c->st.cell[0];
    int en = pt_report_primary_is_en(x);
    pt_report_date d;

    pt_report_put_text(sh, row, T_ROUND, rd->code, f[PT_KIND_TEXT]);
    pt_report_put_date(sh, row, T_OPENED, rd->opened, f[PT_KIND_DATE]);
    pt_report_put_number(sh, row, T_ROC,
                         rd->opened && pt_report_date_parse(rd->opened, 0,
                                                            &d) == 0
                             ? pt_report_date_roc_year(d.year)
                             : NAN,
                         f[PT_KIND_ROC]);
    pt_report_put_text(sh, row, T_ITEM, rd->groups[x->group].item,
                       f[PT_KIND_CENTER]);
    pt_report_put_text(sh, row, T_SCORE, pt_report_label_score(x->primary),
                       f[PT_KIND_CENTER]);
    pt_report_put_number(sh, row, T_VALUE, pt_report_primary_value(x),
                         f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, T_LOW1, en ? -1 : -2, f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, T_HIGH1, en ? 1 : 2, f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, T_LOW2, en ? NAN : -3, f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, T_HIGH2, en ? NAN : 3, f[PT_KIND_SCORE]);
    pt_report_put_text(sh, row, T_VERDICT,
                       pt_report_label_verdict(c->lang, x->verdict),
                       c->st.verdict[x->verdict]);
}

/* A series of `chart` from column `col`, rows first..last of the sheet,
 * categories from column `cat`. */
static lxw_chart_series *add_series(lxw_chart *chart, const char *sheet,
                                    lxw_row_t first, lxw_row_t last,
                                    lxw_col_t cat, lxw_col_t col,
                                    const char *name, lxw_color_t color,
                                    int dashed)
{
    lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
    lxw_chart_line line;

    if (!s)
        return NULL;
    chart_series_set_categories(s, sheet, first, cat, last, cat);
    chart_series_set_values(s, sheet, first, col, last, col);
    chart_series_set_name(s, name);
    memset(&line, 0, sizeof line);
    line.color = color;
    line.width = dashed ? 1.25f : 2.25f;
    line.dash_type = dashed ? LXW_CHART_LINE_DASH_DASH : 0;
    chart_series_set_line(s, &line);
    /* A limit is drawn as a line and a small diamond at each round (a
     * dash marker would be valid OOXML only as "dash", which
     * libxlsxwriter 1.1.4 does not write), so that it
     * shows even when there is only one round. */
    chart_series_set_marker_type(s, dashed ? LXW_CHART_MARKER_DIAMOND
                                           : LXW_CHART_MARKER_CIRCLE);
    if (dashed) {
        lxw_chart_line mline;
        lxw_chart_fill mfill;

        memset(&mline, 0, sizeof mline);
        memset(&mfill, 0, sizeof mfill);
        mline.color = color;
        mfill.color = color;
        chart_series_set_marker_line(s, &mline);
        chart_series_set_marker_fill(s, &mfill);
        chart_series_set_marker_size(s, 4);
    }
    return s;
}

/* A line chart of the score column with its limit lines, placed at
 * (row, col) of the sheet. */
static void insert_score_chart(pt_report_sheet *sh, lxw_row_t first,
                               lxw_row_t last, lxw_col_t cat,
                               lxw_col_t score, lxw_col_t low1, int two_pairs,
                               int en, double extent, const char *title,
                               lxw_row_t at, lxw_col_t at_col)
{
    /* the limits and every score in view: ±2 (En) or ±4, wider when a
     * score lies beyond */
    double axis = en ? 2 : 4;
    pt_report_ctx *c = sh->ctx;
    lxw_chart *chart = workbook_add_chart(c->wb, LXW_CHART_LINE);
    const char *warn = en ? "±1" : pt_report_label_pick(c->lang, "±2 警戒",
                                                        "±2 warning");
    lxw_chart_options opt;

    if (!chart) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory (chart)");
        return;
    }
    add_series(chart, sh->name, first, last, cat, score,
               en ? "En" : pt_report_label_pick(c->lang, "分數", "Score"),
               BLUE, 0);
    add_series(chart, sh->name, first, last, cat, low1, warn,
               en ? RED : AMBER, 1);
    add_series(chart, sh->name, first, last, cat, low1 + 1, warn,
               en ? RED : AMBER, 1);
    if (two_pairs) {
        const char *act =
            pt_report_label_pick(c->lang, "±3 行動", "±3 action");
        add_series(chart, sh->name, first, last, cat, low1 + 2, act, RED, 1);
        add_series(chart, sh->name, first, last, cat, low1 + 3, act, RED, 1);
    }
    {
        /* each limit once in the legend */
        int16_t twice[] = {2, two_pairs ? 4 : -1, -1};
        chart_legend_delete_series(chart, twice);
    }
    chart_title_set_name(chart, title);
    chart_axis_set_name(chart->y_axis, en ? "En" : "z, z′, ζ");
    if (isfinite(extent) && extent >= axis)
        axis = ceil(extent) + 1;
    chart_axis_set_min(chart->y_axis, -axis);
    chart_axis_set_max(chart->y_axis, axis);
    chart_axis_set_major_unit(chart->y_axis, 1);
    chart_axis_set_label_position(chart->x_axis, LXW_CHART_AXIS_LABEL_POSITION_LOW);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    memset(&opt, 0, sizeof opt);
    opt.x_scale = 1.1;
    opt.y_scale = 1.0;
    opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
    pt_report_sheet_check(
        sh, worksheet_insert_chart_opt(sh->ws, at, at_col, chart, &opt),
        "chart");
}

/* Writes (or measures) every block; returns the number of blocks. */
static size_t put_blocks(pt_report_sheet *sh, char *seen)
{
    pt_report_ctx *c = sh->ctx;
    const pt_report *r = c->r;
    lxw_row_t row = 3;
    size_t blocks = 0;

    memset(seen, 0, r->n_rows ? r->n_rows : 1);
    for (size_t k = 0; k < r->n_rows && c->status == PT_REPORT_OK; k++) {
        const pt_report_row *key = &r->rows[k];
        const pt_report_group *g = &r->rounds[key->round].groups[key->group];
        lxw_row_t head, first, end;
        char title[256];
        int en = pt_report_primary_is_en(key);
        double extent = 0;

        if (seen[k] || !in_series(r, k, k))
            continue;
        blocks++;
        snprintf(title, sizeof title, "%s — %s",
                 g->measurand_name && *g->measurand_name ? g->measurand_name
                                                         : g->measurand,
                 en ? "En" : "z, z′, ζ");
        if (!sh->measuring) {
            pt_report_put_merged(sh, row, 0, T_COLS - 1, title,
                                 c->st.section);
            pt_report_sheet_check(sh, worksheet_set_row(sh->ws, row, 24, NULL),
                                  "section row height");
        }
        head = row + 1;
        if (!sh->measuring)
            pt_report_put_headers(sh, head, 0, trend_cols, T_COLS);
        first = end = head + 1;
        for (size_t i = k; i < r->n_rows; i++)
            if (!seen[i] && in_series(r, i, k)) {
                double v = fabs(pt_report_primary_value(&r->rows[i]));
                seen[i] = 1;
                extent = v > extent ? v : extent;
                put_score_row(sh, end++, &r->rows[i]);
            }
        if (!sh->measuring)
            insert_score_chart(sh, first, end - 1, T_ROUND, T_VALUE, T_LOW1,
                               !en, en, extent, title, row, CHART_COL);
        row = end > row + CHART_ROWS ? end + 1 : row + CHART_ROWS + 1;
    }
    if (!sh->measuring && blocks == 0)
        pt_report_put_merged(
            sh, row, 0, T_COLS - 1,
            pt_report_label_pick(c->lang, "本期間無本室之分數。",
                                 "No scores of the laboratory in the "
                                 "period."),
            c->st.note);
    return blocks;
}

void pt_report_trend_write(pt_report_ctx *c)
{
    pt_report_sheet sh;
    char *seen;

    if (c->status != PT_REPORT_OK ||
        pt_report_sheet_add(c, &sh, c->names[PT_SHEET_TREND]) != 0)
        return;
    seen = malloc(c->r->n_rows ? c->r->n_rows : 1);
    if (!seen) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return;
    }
    sh.measuring = 1;
    put_blocks(&sh, seen);
    pt_report_sheet_fit_columns(&sh, 0, trend_cols, T_COLS);
    sh.measuring = 0;
    pt_report_put_title(
        &sh, T_COLS - 1, "分數趨勢", "Score trends",
        pt_report_label_pick(
            c->lang,
            "各量測項目之主要分數依輪次排列；z、z′、ζ 以 ±2（警戒）及 ±3"
            "（行動）為界，En 以 ±1 為界。圖表取自左側表格。",
            "The primary score of each own result by round, per measurand: "
            "z, z′ and ζ with ±2 (warning) and ±3 (action) lines, En with "
            "±1.  Each chart is drawn from the table beside it."));
    put_blocks(&sh, seen);
    free(seen);
    pt_report_sheet_check(&sh, worksheet_repeat_rows(sh.ws, 0, 0),
                          "rows repeated on each page");
}

/* ---- Branch vs reference ---- */

enum {
    B_REF,
    B_MEASURAND,
    B_ROUND,
    B_OPENED,
    B_ITEM,
    B_METHOD,
    B_UNIT,
    B_LAB,
    B_LAB_U,
    B_REFV,
    B_REF_U,
    B_DIFF,
    B_LIMIT,
    B_EN,
    B_VERDICT,
    B_EN_MEAN,
    B_SIGNALS,
    B_RUN,
    B_LOW,
    B_HIGH,
    B_COLS
};

static const pt_report_column compare_cols[B_COLS] = {
    {"參考實驗室", "Reference lab", PT_KIND_CENTER, 10, 12},
    {"量測項目", "Measurand", PT_KIND_WRAP, 12, 20},
    {"輪次", "Round", PT_KIND_TEXT, 12, 16},
    {"開始日期", "Opened", PT_KIND_DATE, 11, 11},
    {"試樣", "Item", PT_KIND_CENTER, 7, 10},
    {"方法", "Method", PT_KIND_WRAP, 12, 18},
    {"單位", "Unit", PT_KIND_CENTER, 7, 9},
    {"本室值", "Our value", PT_KIND_VALUE, 9, 11},
    {"本室 U", "Our U", PT_KIND_VALUE, 8, 10},
    {"參考值", "Reference value", PT_KIND_VALUE, 9, 11},
    {"參考 U", "Reference U", PT_KIND_VALUE, 8, 10},
    {"差異", "Difference", PT_KIND_VALUE, 9, 11},
    {"再現性 R", "Reproducibility R", PT_KIND_VALUE, 10, 13},
    {"En", "En", PT_KIND_SCORE, 7, 8},
    {"判定", "Verdict", PT_KIND_CENTER, 10, 13},
    {"En 平均", "Mean En", PT_KIND_SCORE, 8, 9},
    {"近期信號", "Recent signals", PT_KIND_COUNT, 8, 10},
    {"同號連續", "Same-sign run", PT_KIND_COUNT, 8, 10},
    {"En 下限", "En −1", PT_KIND_SCORE, 7, 8},
    {"En 上限", "En +1", PT_KIND_SCORE, 7, 8},
};

static const char *agree_word(pt_report_lang lang, const char *v,
                              pt_report_verdict *colour)
{
    if (v && strcmp(v, "agree") == 0) {
        *colour = PT_VERDICT_SATISFACTORY;
        return pt_report_label_pick(lang, "一致", "Agree");
    }
    if (v && strcmp(v, "disagree") == 0) {
        *colour = PT_VERDICT_UNSATISFACTORY;
        return pt_report_label_pick(lang, "不一致", "Disagree");
    }
    *colour = PT_VERDICT_NONE;
    return pt_report_label_pick(lang, "未評估", "Not assessed");
}

static int put_compare(pt_report_sheet *sh, lxw_row_t row, size_t i,
                       void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const pt_report_compare *x = &c->r->compares[i];
    lxw_format *const *f = c->st.cell[0];
    pt_report_verdict colour;
    const char *word = agree_word(c->lang, x->verdict, &colour);
    int lines, l;

    (void)arg;
    pt_report_put_text(sh, row, B_REF, x->ref_lab, f[PT_KIND_CENTER]);
    lines = pt_report_put_wrapped(sh, row, B_MEASURAND,
                                  x->measurand_name && *x->measurand_name
                                      ? x->measurand_name
                                      : x->measurand,
                                  f[PT_KIND_WRAP]);
    pt_report_put_text(sh, row, B_ROUND, x->round, f[PT_KIND_TEXT]);
    pt_report_put_date(sh, row, B_OPENED, x->opened, f[PT_KIND_DATE]);
    pt_report_put_text(sh, row, B_ITEM, x->item, f[PT_KIND_CENTER]);
    l = pt_report_put_wrapped(sh, row, B_METHOD, x->method, f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    pt_report_put_text(sh, row, B_UNIT, x->unit, f[PT_KIND_CENTER]);
    pt_report_put_number(sh, row, B_LAB, x->lab_value, f[PT_KIND_VALUE]);
    pt_report_put_number(sh, row, B_LAB_U, x->lab_U, f[PT_KIND_VALUE]);
    pt_report_put_number(sh, row, B_REFV, x->ref_value, f[PT_KIND_VALUE]);
    pt_report_put_number(sh, row, B_REF_U, x->ref_U, f[PT_KIND_VALUE]);
    pt_report_put_number(sh, row, B_DIFF, x->diff, f[PT_KIND_VALUE]);
    pt_report_put_number(sh, row, B_LIMIT, x->limit, f[PT_KIND_VALUE]);
    pt_report_put_number(sh, row, B_EN, x->En, f[PT_KIND_SCORE]);
    pt_report_put_text(sh, row, B_VERDICT, word, c->st.verdict[colour]);
    pt_report_put_number(sh, row, B_EN_MEAN, x->en_mean, f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, B_SIGNALS, x->signals, f[PT_KIND_COUNT]);
    pt_report_put_number(sh, row, B_RUN, x->same_sign_run, f[PT_KIND_COUNT]);
    pt_report_put_number(sh, row, B_LOW, -1, f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, B_HIGH, 1, f[PT_KIND_SCORE]);
    return lines;
}

void pt_report_compare_write(pt_report_ctx *c)
{
    const pt_report *r = c->r;
    pt_report_sheet sh;
    pt_report_table t;
    lxw_row_t head = 3, below;
    size_t charts = 0;

    if (c->status != PT_REPORT_OK ||
        pt_report_sheet_add(c, &sh, c->names[PT_SHEET_COMPARE]) != 0)
        return;
    memset(&t, 0, sizeof t);
    t.cols = compare_cols;
    t.n_cols = B_COLS;
    t.n_rows = r->n_compares;
    t.put = put_compare;
    t.empty_zh = "本期間無與參考實驗室之比對。";
    t.empty_en = "No comparison with a reference laboratory in the period.";
    t.defined_name = "PT_Branch_vs_Reference";
    sh.measuring = 1;
    pt_report_table_measure(&sh, &t);
    pt_report_table_fit(&sh, &t, 0);
    sh.measuring = 0;
    pt_report_put_title(
        &sh, B_COLS - 1, "分局對參考實驗室", "Branch versus reference",
        pt_report_label_pick(
            c->lang,
            "本室與參考實驗室同一試樣之結果：差異、方法再現性 R（兩實驗室單一"
            "結果之 95 % 界限，ISO 4259）、En 及趨勢（En 平均、近期輪次中 "
            "|En| 超限次數、同號差異之連續次數；負值為低於參考值）。",
            "The laboratory's and the reference laboratory's results on the "
            "same items: the difference, the method's reproducibility R (the "
            "95 % limit for two single results of two laboratories, ISO "
            "4259), En, and the trend (mean En, signals in the recent "
            "rounds, the run of differences of one sign; negative: below "
            "the reference)."));
    below = pt_report_table_write(&sh, head, &t, 1) + 1;
    /* One chart per reference laboratory and measurand (contiguous rows). */
    for (size_t i = 0; i < r->n_compares && c->status == PT_REPORT_OK;) {
        size_t j = i + 1;
        char title[256];
        const pt_report_compare *x = &r->compares[i];
        double extent = isfinite(x->En) ? fabs(x->En) : 0;

        while (j < r->n_compares &&
               strcmp(r->compares[j].measurand, x->measurand) == 0 &&
               strcmp(r->compares[j].ref_lab, x->ref_lab) == 0) {
            if (isfinite(r->compares[j].En) &&
                fabs(r->compares[j].En) > extent)
                extent = fabs(r->compares[j].En);
            j++;
        }
        snprintf(title, sizeof title, "%s — %s %s",
                 x->measurand_name && *x->measurand_name ? x->measurand_name
                                                         : x->measurand,
                 pt_report_label_pick(c->lang, "對", "vs"), x->ref_lab);
        insert_score_chart(&sh, head + 1 + (lxw_row_t)i,
                           head + (lxw_row_t)j, B_ROUND, B_EN, B_LOW, 0, 1,
                           extent, title,
                           below + (lxw_row_t)(charts / 2) * (CHART_ROWS + 1),
                           (lxw_col_t)((charts % 2) * 9));
        charts++;
        i = j;
    }
}
