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
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_date.h"
#include "pt_report_label.h"
#include "pt_stats.h"

#define RED 0xC00000
#define AMBER 0xED7D31
#define BLUE 0x1F4E78

enum {
    T_ROUND,
    T_MEASURAND,
    T_OPENED,
    T_ROC,
    T_ITEM,
    T_SCORE,
    T_VALUE,
    T_ZS,   /* z, z', zeta on the z scale (the chart's first series) */
    T_EN2,  /* 2 En (the chart's second series) */
    T_RUN,
    T_RSZ,
    T_RULES,
    T_VERDICT,
    T_LOW1, /* helper columns of the limit lines, hidden */
    T_HIGH1,
    T_LOW2,
    T_HIGH2,
    T_COLS
};

#define T_SHOWN T_LOW1 /* columns shown and printed */

static const pt_report_column trend_cols[T_COLS] = {
    {"輪次", "Round", PT_KIND_TEXT, 12, 16},
    {"量測項目", "Measurand", PT_KIND_WRAP, 12, 20},
    {"開始日期", "Opened", PT_KIND_DATE, 11, 11},
    {"民國年", "ROC year", PT_KIND_ROC, 10, 11},
    {"試樣", "Item", PT_KIND_CENTER, 8, 12},
    {"分數", "Score", PT_KIND_CENTER, 7, 8},
    {"值", "Value", PT_KIND_SCORE, 7, 9},
    {"z、z′、ζ", "z, z′, ζ", PT_KIND_SCORE, 8, 9},
    {"2·En", "2·En", PT_KIND_SCORE, 7, 9},
    {"同號連續", "Same-sign run", PT_KIND_COUNT, 8, 10},
    {"RSZ（近 4 次）", "RSZ (last 4)", PT_KIND_SCORE, 9, 11},
    {"趨勢規則", "Trend rules", PT_KIND_WRAP, 14, 22},
    {"判定", "Verdict", PT_KIND_CENTER, 10, 14},
    {"−2", "−2", PT_KIND_SCORE, 5, 6},
    {"+2", "+2", PT_KIND_SCORE, 5, 6},
    {"−3", "−3", PT_KIND_SCORE, 5, 6},
    {"+3", "+3", PT_KIND_SCORE, 5, 6},
};

#define CHART_COL (T_SHOWN + 1)
#define CHART_ROWS 18 /* rows a chart covers */
#define RUN_LENGTH 4  /* a same-sign run of this length is a signal */

/* Length of a product's name before its qualifiers: "fuel oil" of
 * "fuel oil (燃料油)" and of "fuel oil, low sulfur". */
static size_t product_stem(const char *s)
{
    size_t n = strcspn(s, "(,");

    while (n > 0 && s[n - 1] == ' ')
        n--;
    return n;
}

/* A plan row's product and a group's matrix name one product, or one of
 * them is not recorded. */
static int same_product(const char *product, const char *matrix)
{
    size_t a, b;

    if (!product || !*product || !matrix || !*matrix)
        return 1;
    a = product_stem(product);
    b = product_stem(matrix);
    return a == b && strncmp(product, matrix, a) == 0;
}

long pt_report_subdiscipline(const pt_report *r, const pt_report_row *x)
{
    const pt_report_round *rd = &r->rounds[x->round];
    const char *m = rd->groups[x->group].measurand;
    const char *matrix = rd->groups[x->group].matrix;

    for (size_t p = 0; p < r->n_plans; p++) {
        const pt_report_plan *pl = &r->plans[p];
        if (pl->scheme && strcmp(pl->scheme, rd->scheme) != 0)
            continue;
        if (pl->measurand && *pl->measurand &&
            strncmp(m, pl->measurand, strlen(pl->measurand)) != 0)
            continue;
        if (pl->method && *pl->method &&
            (!x->method ||
             strncmp(x->method, pl->method, strlen(pl->method)) != 0))
            continue;
        if (!same_product(pl->product, matrix))
            continue;
        return (long)p;
    }
    return -1;
}

/* The z-scale value of own row x's primary score, NAN when not scored. */
static double z_scale(const pt_report_row *x)
{
    return pt_stats_trend_scale(x->primary, pt_report_primary_value(x));
}

/* Own, scored row i in the same sub-discipline as row `key` (the same
 * plan row; without one, the same scheme and measurand)? */
static int in_series(const pt_report *r, size_t i, size_t key)
{
    const pt_report_row *x = &r->rows[i], *k = &r->rows[key];
    long a, b;

    if (!x->own || !isfinite(z_scale(x)))
        return 0;
    a = pt_report_subdiscipline(r, x);
    b = pt_report_subdiscipline(r, k);
    if (a != b)
        return 0;
    return a >= 0 ||
           (strcmp(r->rounds[x->round].scheme, r->rounds[k->round].scheme) ==
                0 &&
            strcmp(r->rounds[x->round].groups[x->group].measurand,
                   r->rounds[k->round].groups[k->group].measurand) == 0);
}

void pt_report_rules_text(pt_report_lang lang, const pt_trend_point *p,
                          char *buf, size_t n)
{
    int zh = lang == PT_REPORT_ZH_TW;
    size_t len;

    buf[0] = '\0';
    if (p->rules & PT_TREND_TWO_OF_THREE)
        snprintf(buf, n, "%s", zh ? "近 3 次中 2 次 |分數| > 2"
                                  : "2 of the last 3 beyond ±2");
    len = strlen(buf);
    if (p->rules & PT_TREND_RUN)
        snprintf(buf + len, n - len, zh ? "%s同號連續 %d 次" : "%sa run of "
                 "%d of one sign", len ? (zh ? "；" : "; ") : "",
                 p->run < 0 ? -p->run : p->run);
    len = strlen(buf);
    if (p->rules & PT_TREND_RSZ)
        snprintf(buf + len, n - len, "%s|RSZ| > 2",
                 len ? (zh ? "；" : "; ") : "");
}

static void put_score_row(pt_report_sheet *sh, lxw_row_t row,
                          const pt_report_row *x, const pt_trend_point *p)
{
    const pt_report_group *g = &sh->ctx->r->rounds[x->round].groups[x->group];
    int lines, l;
    const pt_report_ctx *c = sh->ctx;
    const pt_report_round *rd = &c->r->rounds[x->round];
    lxw_format *const *f = c->st.cell[0];
    int en = pt_report_primary_is_en(x);
    pt_report_date d;
    char rules[160];

    pt_report_put_text(sh, row, T_ROUND, rd->code, f[PT_KIND_TEXT]);
    lines = pt_report_put_wrapped(sh, row, T_MEASURAND,
                                  g->measurand_name && *g->measurand_name
                                      ? g->measurand_name
                                      : g->measurand,
                                  f[PT_KIND_WRAP]);
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
                         c->st.score[0][x->verdict]);
    pt_report_put_number(sh, row, T_ZS, en ? NAN : z_scale(x),
                         f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, T_EN2, en ? z_scale(x) : NAN,
                         f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, T_RUN, p->run, f[PT_KIND_COUNT]);
    pt_report_put_number(sh, row, T_RSZ, p->rsz, f[PT_KIND_SCORE]);
    pt_report_rules_text(c->lang, p, rules, sizeof rules);
    l = pt_report_put_wrapped(sh, row, T_RULES, rules,
                              p->rules ? c->st.rule_signal : f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    if (!sh->measuring)
        pt_report_set_height(sh, row, lines);
    pt_report_put_text(sh, row, T_VERDICT,
                       pt_report_label_verdict(c->lang, x->verdict),
                       c->st.verdict[x->verdict]);
    pt_report_put_number(sh, row, T_LOW1, -2, f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, T_HIGH1, 2, f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, T_LOW2, -3, f[PT_KIND_SCORE]);
    pt_report_put_number(sh, row, T_HIGH2, 3, f[PT_KIND_SCORE]);
}

/* A series of `chart` from column `col`, rows first..last of the sheet,
 * categories (or, on a scatter chart, x values) from column `cat`. */
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

/* A line chart of En by round with the ±1 action lines (columns `low`
 * and low + 1), placed at (at, at_col) of the sheet. */
static void insert_en_chart(pt_report_sheet *sh, lxw_row_t first,
                            lxw_row_t last, lxw_col_t cat, lxw_col_t score,
                            lxw_col_t low, double extent, const char *title,
                            lxw_row_t at, lxw_col_t at_col)
{
    /* a fixed symmetric axis, ±2, wider when an En lies beyond */
    double axis = 2;
    pt_report_ctx *c = sh->ctx;
    lxw_chart *chart = workbook_add_chart(c->wb, LXW_CHART_LINE);
    const char *act = pt_report_label_pick(c->lang, "±1 行動", "±1 action");
    lxw_chart_options opt;

    if (!chart) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory (chart)");
        return;
    }
    add_series(chart, sh->name, first, last, cat, score, "En", BLUE, 0);
    add_series(chart, sh->name, first, last, cat, low, act, RED, 1);
    add_series(chart, sh->name, first, last, cat, low + 1, act, RED, 1);
    {
        int16_t twice[] = {2, -1};
        chart_legend_delete_series(chart, twice);
    }
    chart_title_set_name(chart, title);
    chart_axis_set_name(chart->y_axis, "En");
    if (isfinite(extent) && extent >= axis)
        axis = ceil(extent) + 1;
    chart_axis_set_min(chart->y_axis, -axis);
    chart_axis_set_max(chart->y_axis, axis);
    chart_axis_set_major_unit(chart->y_axis, 1);
    chart_axis_set_label_position(chart->x_axis,
                                  LXW_CHART_AXIS_LABEL_POSITION_LOW);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    chart_show_hidden_data(chart);
    memset(&opt, 0, sizeof opt);
    opt.x_scale = 1.1;
    opt.y_scale = 1.0;
    opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
    pt_report_sheet_check(
        sh, worksheet_insert_chart_opt(sh->ws, at, at_col, chart, &opt),
        "chart");
}

/* A control chart of one sub-discipline on a date axis: z, z′, ζ and 2 En
 * with the ±2 and ±3 lines, placed at (at, at_col). */
static void insert_control_chart(pt_report_sheet *sh, lxw_row_t first,
                                 lxw_row_t last, double extent,
                                 double day_from, double day_to,
                                 const char *title, lxw_row_t at,
                                 lxw_col_t at_col)
{
    lxw_chart_font title_font;
    double axis = 4;
    pt_report_ctx *c = sh->ctx;
    lxw_chart *chart =
        workbook_add_chart(c->wb, LXW_CHART_SCATTER_STRAIGHT_WITH_MARKERS);
    const char *warn = pt_report_label_pick(c->lang, "±2（z 警戒；En ±1 行動）",
                                            "±2 (z warning; En ±1 action)");
    const char *act = pt_report_label_pick(c->lang, "±3（z 行動）",
                                           "±3 (z action)");
    lxw_chart_series *s;
    lxw_chart_options opt;

    if (!chart) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory (chart)");
        return;
    }
    for (int k = 0; k < 2; k++) {
        lxw_chart_line none, mline;
        lxw_chart_fill mfill;
        lxw_color_t colour = k ? 0x7030A0 : BLUE;

        s = add_series(chart, sh->name, first, last, T_OPENED,
                       k ? T_EN2 : T_ZS, k ? "2·En" : "z, z′, ζ", colour, 0);
        if (!s)
            continue;
        memset(&none, 0, sizeof none);
        memset(&mline, 0, sizeof mline);
        memset(&mfill, 0, sizeof mfill);
        none.none = LXW_TRUE;
        mline.color = colour;
        mfill.color = colour;
        chart_series_set_line(s, &none);
        chart_series_set_marker_type(s, k ? LXW_CHART_MARKER_SQUARE
                                          : LXW_CHART_MARKER_CIRCLE);
        chart_series_set_marker_size(s, 7);
        chart_series_set_marker_line(s, &mline);
        chart_series_set_marker_fill(s, &mfill);
    }
    add_series(chart, sh->name, first, last, T_OPENED, T_LOW1, warn, AMBER,
               1);
    add_series(chart, sh->name, first, last, T_OPENED, T_HIGH1, warn, AMBER,
               1);
    add_series(chart, sh->name, first, last, T_OPENED, T_LOW2, act, RED, 1);
    add_series(chart, sh->name, first, last, T_OPENED, T_HIGH2, act, RED, 1);
    {
        int16_t twice[] = {3, 5, -1};
        chart_legend_delete_series(chart, twice);
    }
    chart_title_set_name(chart, title);
    memset(&title_font, 0, sizeof title_font);
    title_font.size = 10;
    title_font.bold = LXW_TRUE;
    chart_title_set_name_font(chart, &title_font);
    chart_axis_set_name(chart->y_axis, pt_report_label_pick(
                                           c->lang, "z、z′、ζ；2·En",
                                           "z, z′, ζ; 2·En"));
    /* a month and a half either side, so that one date is not stretched
     * over decades */
    if (isfinite(day_from) && isfinite(day_to)) {
        chart_axis_set_min(chart->x_axis, day_from - 45);
        chart_axis_set_max(chart->x_axis, day_to + 45);
    }
    if (isfinite(extent) && extent >= axis)
        axis = ceil(extent) + 1;
    chart_axis_set_min(chart->y_axis, -axis);
    chart_axis_set_max(chart->y_axis, axis);
    chart_axis_set_major_unit(chart->y_axis, 1);
    chart_axis_set_num_format(chart->x_axis, "yyyy-mm");
    chart_axis_set_label_position(chart->x_axis,
                                  LXW_CHART_AXIS_LABEL_POSITION_LOW);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    chart_show_hidden_data(chart);
    memset(&opt, 0, sizeof opt);
    opt.x_scale = 1.3;
    opt.y_scale = 1.2;
    opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
    pt_report_sheet_check(
        sh, worksheet_insert_chart_opt(sh->ws, at, at_col, chart, &opt),
        "chart");
}

/* The title of the sub-discipline of own row x. */
static void block_title(const pt_report *r, const pt_report_row *x,
                        char *buf, size_t n)
{
    long p = pt_report_subdiscipline(r, x);
    const pt_report_group *g = &r->rounds[x->round].groups[x->group];
    const char *m = g->measurand_name && *g->measurand_name
                        ? g->measurand_name
                        : g->measurand;

    if (p >= 0)
        snprintf(buf, n, "%s · %s · %s", r->plans[p].technique,
                 r->plans[p].property, r->plans[p].product);
    else
        snprintf(buf, n, "%s — %s", r->rounds[x->round].scheme, m);
}

/* One line on the sub-discipline of the block's n rows idx[] (z-scale
 * scores s[], rule state pts[]): rounds by kind (a plan row of high risk
 * met by the laboratory's bilateral comparisons alone says so), the last
 * and the worst score, the rules firing at the last round, and the
 * corrective actions still open. */
static void block_summary(const pt_report_ctx *c, const size_t *idx,
                          const double *s, const pt_trend_point *pts,
                          size_t n, char *buf, size_t len)
{
    const pt_report *r = c->r;
    size_t kinds[3] = {0, 0, 0}, worst = 0, open = 0;
    int zh = c->lang == PT_REPORT_ZH_TW;
    long p = pt_report_subdiscipline(r, &r->rows[idx[0]]);
    char rules[160], last[96], bad[96];
    const pt_report_row *xl = &r->rows[idx[n - 1]], *xw;

    for (size_t i = 0; i < n; i++) {
        const char *type = r->rounds[r->rows[idx[i]].round].type;
        int dup = 0;

        for (size_t j = 0; j < i && !dup; j++)
            dup = r->rows[idx[j]].round == r->rows[idx[i]].round;
        if (!dup && type)
            kinds[strcmp(type, "pt") == 0    ? 0
                  : strcmp(type, "ilc") == 0 ? 1
                                             : 2]++;
        if (fabs(s[i]) > fabs(s[worst]))
            worst = i;
        for (size_t a = 0; a < r->n_capas; a++)
            open += r->capas[a].row == idx[i] &&
                    (!r->capas[a].closed || !*r->capas[a].closed);
    }
    xw = &r->rows[idx[worst]];
    snprintf(last, sizeof last, "%s %s = %+.2f", r->rounds[xl->round].code,
             pt_report_label_score(xl->primary), pt_report_primary_value(xl));
    snprintf(bad, sizeof bad, "%s %s = %+.2f", r->rounds[xw->round].code,
             pt_report_label_score(xw->primary), pt_report_primary_value(xw));
    pt_report_rules_text(c->lang, &pts[n - 1], rules, sizeof rules);
    snprintf(buf, len,
             zh ? "能力試驗 %zu、實驗室間比對 %zu、雙邊比對 %zu 個輪次；最近："
                  "%s；最差：%s；最近一輪之趨勢規則：%s；未結案措施 %zu 件%s"
                : "%zu PT, %zu ILC, %zu bilateral rounds; last: %s; worst: "
                  "%s; trend rules at the last round: %s; open actions: "
                  "%zu%s",
             kinds[0], kinds[1], kinds[2], last, bad,
             *rules ? rules : (zh ? "無" : "none"), open,
             p >= 0 && r->plans[p].risk &&
                     strcmp(r->plans[p].risk, "high") == 0 &&
                     kinds[0] + kinds[1] == 0
                 ? (zh ? "。高風險次領域僅以本室之雙邊比對達成計畫，未參加能力"
                         "試驗或實驗室間比對。"
                       : ".  A high-risk sub-discipline met by the "
                         "laboratory's own bilateral comparisons alone: no "
                         "PT or ILC.")
                 : "");
}

/* Writes (or measures) every block; returns the number of blocks. */
static size_t put_blocks(pt_report_sheet *sh, char *seen, double *s,
                         pt_trend_point *pts, size_t *idx, lxw_row_t *breaks)
{
    pt_report_ctx *c = sh->ctx;
    const pt_report *r = c->r;
    lxw_row_t row = 3;
    size_t blocks = 0, n_breaks = 0;

    memset(seen, 0, r->n_rows ? r->n_rows : 1);
    for (size_t k = 0; k < r->n_rows && c->status == PT_REPORT_OK; k++) {
        lxw_row_t head, first, end;
        char title[512];
        double extent = 0, day_from = NAN, day_to = NAN;
        size_t n = 0;

        if (seen[k] || !in_series(r, k, k))
            continue;
        /* two blocks a printed page: a chart is never cut */
        if (blocks > 0 && blocks % 2 == 0 && breaks)
            breaks[n_breaks++] = row;
        blocks++;
        block_title(r, &r->rows[k], title, sizeof title);
        for (size_t i = k; i < r->n_rows; i++)
            if (!seen[i] && in_series(r, i, k)) {
                seen[i] = 1;
                idx[n] = i;
                s[n++] = z_scale(&r->rows[i]);
            }
        if (pt_stats_trend_rules(s, n, RUN_LENGTH, pts) != PT_STATS_OK) {
            pt_report_fail(c, PT_REPORT_ERR_ARG, "trend of %s: a score is "
                           "not finite", title);
            return blocks;
        }
        if (!sh->measuring) {
            char summary[1024];

            pt_report_put_merged(sh, row, 0, T_SHOWN - 1, title,
                                 c->st.section);
            pt_report_sheet_check(sh, worksheet_set_row(sh->ws, row, 24, NULL),
                                  "section row height");
            block_summary(c, idx, s, pts, n, summary, sizeof summary);
            pt_report_put_merged(sh, row + 1, 0, T_SHOWN - 1, summary,
                                 c->st.note);
            pt_report_set_height(sh, row + 1,
                                 pt_report_text_lines(
                                     summary,
                                     pt_report_span_width(sh, 0,
                                                          T_SHOWN - 1) -
                                         1));
        }
        head = row + 2;
        if (!sh->measuring)
            pt_report_put_headers(sh, head, 0, trend_cols, T_COLS);
        first = end = head + 1;
        for (size_t i = 0; i < n; i++) {
            long day = pt_report_audit_day(r->rounds[r->rows[idx[i]].round]
                                               .opened);
            /* Excel's serial day: 1970-01-01 is 25569 */
            if (day >= 0) {
                day_from = isnan(day_from) || day + 25569.0 < day_from
                               ? day + 25569.0
                               : day_from;
                day_to = isnan(day_to) || day + 25569.0 > day_to
                             ? day + 25569.0
                             : day_to;
            }
            extent = fabs(s[i]) > extent ? fabs(s[i]) : extent;
            put_score_row(sh, end++, &r->rows[idx[i]], &pts[i]);
        }
        if (!sh->measuring)
            insert_control_chart(sh, first, end - 1, extent, day_from,
                                 day_to, title, row, CHART_COL);
        row = end > row + CHART_ROWS ? end + 1 : row + CHART_ROWS + 1;
    }
    if (!sh->measuring && blocks == 0)
        pt_report_put_merged(
            sh, row, 0, T_SHOWN - 1,
            pt_report_label_pick(c->lang, "本期間無本室之分數。",
                                 "No scores of the laboratory in the "
                                 "period."),
            c->st.note);
    return blocks;
}

void pt_report_trend_write(pt_report_ctx *c)
{
    pt_report_sheet sh;
    size_t n = c->r->n_rows ? c->r->n_rows : 1;
    char *seen;
    double *s;
    pt_trend_point *pts;
    size_t *idx;
    lxw_row_t *breaks;

    if (c->status != PT_REPORT_OK ||
        pt_report_sheet_add(c, &sh, c->names[PT_SHEET_TREND]) != 0)
        return;
    seen = malloc(n);
    s = malloc(n * sizeof *s);
    pts = malloc(n * sizeof *pts);
    idx = malloc(n * sizeof *idx);
    breaks = calloc(n / 2 + 2, sizeof *breaks);
    if (!seen || !s || !pts || !idx || !breaks) {
        free(seen);
        free(s);
        free(pts);
        free(idx);
        free(breaks);
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return;
    }
    sh.measuring = 1;
    put_blocks(&sh, seen, s, pts, idx, NULL);
    pt_report_sheet_fit_columns(&sh, 0, trend_cols, T_COLS);
    sh.measuring = 0;
    pt_report_sheet_check(
        &sh, worksheet_set_column_opt(sh.ws, T_LOW1, T_HIGH2, 6, NULL,
                                  &(lxw_row_col_options){.hidden = 1}),
        "hidden columns");
    pt_report_put_title(
        &sh, T_SHOWN - 1, "分數趨勢（依次領域）",
        "Score trends by sub-discipline",
        pt_report_label_pick(
            c->lang,
            "每一次領域（技術 × 性質 × 產品，依能力試驗計畫；無計畫者依計畫"
            "及量測項目）之本室主要分數，依開始日期排列，能力試驗之 z 與比對之 "
            "En 同列。允收準則：|z|、|z′|、|ζ| ≤ 2 滿意，2 < |分數| < 3 可疑"
            "（警戒），≥ 3 不滿意（行動）；|En| ≤ 1 滿意，|En| > 1 不滿意"
            "（行動）。圖以 z 尺度繪製：En 乘以 2（兩方 k = 2 時 2·En = ζ），"
            "故 ±2 線即 En 之 ±1 行動界限。趨勢規則：近 3 次中 2 次超出 ±2；"
            "同號連續 4 次；近 4 次之 RSZ = Σ分數/√4 之絕對值 > 2。",
            "The laboratory's primary scores per sub-discipline (technique "
            "× property × product from the PT plan; without a plan row, per "
            "scheme and measurand) by date, the PT rounds' z beside the "
            "comparisons' En.  Acceptance: |z|, |z′|, |ζ| ≤ 2 satisfactory, "
            "2 < |score| < 3 questionable (warning), ≥ 3 unsatisfactory "
            "(action); |En| ≤ 1 satisfactory, |En| > 1 unsatisfactory "
            "(action).  The charts are on the z scale: En is doubled (2·En "
            "= ζ when both k = 2), so the ±2 line is En's ±1 action limit.  "
            "Trend rules: 2 of the last 3 beyond ±2; a run of 4 of one "
            "sign; |RSZ| > 2 over the last 4 (RSZ = Σ score / √4)."));
    put_blocks(&sh, seen, s, pts, idx, breaks);
    if (breaks[0])
        pt_report_sheet_check(&sh, worksheet_set_h_pagebreaks(sh.ws, breaks),
                              "page breaks");
    free(seen);
    free(s);
    free(pts);
    free(idx);
    free(breaks);
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
    B_R_FROM,
    B_EN,
    B_VERDICT,
    B_BASIS,
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
    {"R 之來源", "R taken from", PT_KIND_WRAP, 14, 22},
    {"En", "En", PT_KIND_SCORE, 7, 8},
    {"判定", "Verdict", PT_KIND_CENTER, 10, 13},
    {"判定依據", "Decided by", PT_KIND_CENTER, 9, 11},
    {"En 平均", "Mean En", PT_KIND_SCORE, 8, 9},
    {"近 4 次不一致", "Disagreements in the last 4", PT_KIND_COUNT, 10, 13},
    {"同號連續", "Same-sign run", PT_KIND_COUNT, 8, 10},
    {"−1", "−1", PT_KIND_SCORE, 5, 6},
    {"+1", "+1", PT_KIND_SCORE, 5, 6},
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

/* Text of a compare row's optional member, "" when not given. */
static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* Rows a and b are of one series: the same reference laboratory and
 * sub-discipline (measurand, matrix, technique), as compare runs its
 * trend. */
static int same_series(const pt_report_compare *a,
                       const pt_report_compare *b)
{
    return strcmp(a->measurand, b->measurand) == 0 &&
           strcmp(a->ref_lab, b->ref_lab) == 0 &&
           strcmp(or_empty(a->matrix), or_empty(b->matrix)) == 0 &&
           strcmp(or_empty(a->technique), or_empty(b->technique)) == 0;
}

/* "Sulfur (diesel, UV fluorescence)": the measurand with the matrix and
 * technique of its series when given, into buf (full-width brackets in
 * Chinese). */
static const char *series_name(pt_report_lang lang,
                               const pt_report_compare *x, char *buf,
                               size_t n)
{
    int zh = lang == PT_REPORT_ZH_TW;
    const char *m = x->measurand_name && *x->measurand_name
                        ? x->measurand_name
                        : x->measurand;
    const char *mx = or_empty(x->matrix), *tech = or_empty(x->technique);

    if (!*mx && !*tech)
        snprintf(buf, n, "%s", m);
    else
        snprintf(buf, n, zh ? "%s（%s%s%s）" : "%s (%s%s%s)", m, mx,
                 *mx && *tech ? (zh ? "，" : ", ") : "", tech);
    return buf;
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
    char name[512];

    lines = pt_report_put_wrapped(sh, row, B_MEASURAND,
                                  series_name(c->lang, x, name, sizeof name),
                                  f[PT_KIND_WRAP]);
    pt_report_put_text(sh, row, B_ROUND, x->round, f[PT_KIND_TEXT]);
    pt_report_put_date(sh, row, B_OPENED, x->opened, f[PT_KIND_DATE]);
    pt_report_put_text(sh, row, B_ITEM, x->item, f[PT_KIND_CENTER]);
    l = pt_report_put_wrapped(sh, row, B_METHOD, x->method, f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    pt_report_put_text(sh, row, B_UNIT, x->unit, f[PT_KIND_CENTER]);
    /* each value to the decimal place of its U at 2 significant figures,
     * the difference to the finer of the two */
    {
        int dl = pt_report_sig_decimals(x->lab_U, 2);
        int dr = pt_report_sig_decimals(x->ref_U, 2);
        pt_report_put_fixed(sh, row, B_LAB, x->lab_value, dl, 0);
        pt_report_put_sig(sh, row, B_LAB_U, x->lab_U, 2, 0);
        pt_report_put_fixed(sh, row, B_REFV, x->ref_value, dr, 0);
        pt_report_put_sig(sh, row, B_REF_U, x->ref_U, 2, 0);
        pt_report_put_fixed(sh, row, B_DIFF, x->diff, dl > dr ? dl : dr, 0);
    }
    pt_report_put_sig(sh, row, B_LIMIT, x->limit, 3, 0);
    if (x->precision_method) {
        char from[256];
        /* "ASTM D5453-19a", "ASTM D4294 (舊版)" */
        if (x->precision_edition && isdigit((unsigned char)
                                            x->precision_edition[0]))
            snprintf(from, sizeof from, "%s-%s", x->precision_method,
                     x->precision_edition);
        else
            snprintf(from, sizeof from, "%s (%s)", x->precision_method,
                     pt_report_label_edition(c->lang, x->precision_edition));
        l = pt_report_put_wrapped(sh, row, B_R_FROM, from, f[PT_KIND_WRAP]);
        lines = l > lines ? l : lines;
    }
    pt_report_put_number(sh, row, B_EN, x->En, f[PT_KIND_SCORE]);
    pt_report_put_text(sh, row, B_VERDICT, word, c->st.verdict[colour]);
    pt_report_put_text(sh, row, B_BASIS, x->basis, f[PT_KIND_CENTER]);
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
            "本室與該輪次之參考實驗室（其結果為指定值者）同一試樣之結果；"
            "參考實驗室以一般參加者身分參加之能力試驗不列入。判定：|En| > 1"
            "（行動界限）或 |差異| > R（方法再現性，兩實驗室單一結果之 95 % "
            "界限，ISO 4259）者為不一致，「判定依據」欄註明所依準則。趨勢按"
            "系列（量測項目 × 基質 × 技術）分別計算，且僅以本期間之輪次計算："
            "En 平均、近 4 次中不一致之次數、同號差異之連續次數（負值為低於"
            "參考值）。",
            "The laboratory's results against the round's reference "
            "laboratory (whose result is the assigned value) on the same "
            "items; a PT round in which that laboratory was an ordinary "
            "participant is not listed.  Verdict: disagree when |En| > 1 "
            "(the action limit) or |difference| > R (the method's "
            "reproducibility, the 95 % limit for two single results of two "
            "laboratories, ISO 4259); \"Decided by\" names the criterion.  "
            "The trend is computed per series (measurand x matrix x "
            "technique) from the period's rounds alone: mean En, "
            "disagreements in the last 4, the run of differences of one "
            "sign (negative: below the reference)."));
    below = pt_report_table_write(&sh, head, &t, 1) + 1;
    pt_report_sheet_check(
        &sh, worksheet_set_column_opt(sh.ws, B_LOW, B_HIGH, 6, NULL,
                                      &(lxw_row_col_options){.hidden = 1}),
        "hidden columns");
    /* One chart per reference laboratory and measurand (contiguous rows),
     * two a row, on pages of their own: a break before them and after
     * every second row of charts */
    {
        size_t n_charts = 0, k = 0;
        lxw_row_t *breaks;

        for (size_t i = 0; i < r->n_compares; i++)
            n_charts += i == 0 ||
                        !same_series(&r->compares[i], &r->compares[i - 1]);
        breaks = calloc(n_charts / 4 + 3, sizeof *breaks);
        if (!breaks) {
            pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
            return;
        }
        if (n_charts > 0)
            breaks[k++] = below;
        for (size_t j = 4; j < n_charts; j += 4)
            breaks[k++] = below + (lxw_row_t)(j / 2) * (CHART_ROWS + 1);
        if (k > 0)
            pt_report_sheet_check(&sh, worksheet_set_h_pagebreaks(sh.ws,
                                                                  breaks),
                                  "page breaks");
        free(breaks);
    }
    for (size_t i = 0; i < r->n_compares && c->status == PT_REPORT_OK;) {
        size_t j = i + 1;
        char title[256];
        const pt_report_compare *x = &r->compares[i];
        double extent = isfinite(x->En) ? fabs(x->En) : 0;

        while (j < r->n_compares && same_series(&r->compares[j], x)) {
            if (isfinite(r->compares[j].En) &&
                fabs(r->compares[j].En) > extent)
                extent = fabs(r->compares[j].En);
            j++;
        }
        char name[512];

        snprintf(title, sizeof title, "%s — %s %s",
                 series_name(c->lang, x, name, sizeof name),
                 pt_report_label_pick(c->lang, "對", "vs"), x->ref_lab);
        insert_en_chart(&sh, head + 1 + (lxw_row_t)i,
                        head + (lxw_row_t)j, B_ROUND, B_EN, B_LOW,
                        extent, title,
                           below + (lxw_row_t)(charts / 2) * (CHART_ROWS + 1),
                           (lxw_col_t)((charts % 2) * 9));
        charts++;
        i = j;
    }
}
