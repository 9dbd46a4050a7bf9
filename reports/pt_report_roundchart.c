/*
 * pt_report_roundchart.c -- the ISO 13528 clause 10 graphics of a round's
 * sheet (see pt_report_roundchart.h).
 *
 * Layout below the results, each measurand x item on a page of its own: a
 * title row, a heading row and the data (columns A-G: the participants
 * sorted by score, and the histogram's bins), the charts to the right of
 * the data, one above the other, and the values the charts need beyond
 * the sheet's table (columns T on, hidden).
 *
 * Sorted scores: a scatter chart whose points are drawn as bars (an error
 * bar of 100 % down to zero), one series per class so that the colours
 * follow the verdicts and the legend says which is which, the own bar in
 * orange and labelled with its code, the limit lines (±2 and ±3; ±1 for
 * En) and a fixed symmetric axis.  Histogram: only with HIST_MIN results
 * or more, on bins of a round width.  Result ± U: for rounds scored by En
 * or ζ with at most UPLOT_MAX participants, each result with its U around
 * the assigned value and its band x_pt ± U(x_pt), U(x_pt) = 2 u(x_pt).
 */
#include "pt_report_roundchart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_label.h"
#include "pt_report_roundplot.h"
#include "pt_stats.h"

#define OWN_BAR 0xC55A11
#define HIST_MIN 10  /* results a histogram needs */
#define UPLOT_MAX 20 /* participants a result ± U plot shows */
#define TABLE_COLS 18 /* the round sheet's table: columns A-R */

enum { S_CODE, S_SCORE, S_VERDICT, S_GAP, H_FROM, H_TO, H_COUNT, N_COLS };

/* hidden columns beyond the sheet's table */
enum {
    X_RANK = TABLE_COLS + 1,
    Y_SAT,
    Y_QUEST,
    Y_UNSAT,
    Y_OWN,
    L_X,
    L_LO1,
    L_HI1,
    L_LO2,
    L_HI2,
    U_X,
    U_Y,
    B_XPT,
    B_LO,
    B_HI,
    X_LAST = B_HI
};

#define CHART_COL PT_CHART_COL
_Static_assert(H_COUNT + 2 <= PT_CHART_COL,
               "the charts start right of the data");
_Static_assert(X_LAST < PT_PLOT_FIRST_COL, "the plots' columns come after");

static const pt_report_column columns[N_COLS] = {
    {"參加者", "Participant", PT_KIND_CENTER, 10, 12},
    {"分數", "Score", PT_KIND_SCORE, 8, 9},
    {"判定", "Verdict", PT_KIND_CENTER, 10, 14},
    {"", "", PT_KIND_TEXT, 2, 2},
    {"組下限", "Bin from", PT_KIND_VALUE, 9, 11},
    {"組上限", "Bin to", PT_KIND_VALUE, 9, 11},
    {"結果數", "Results", PT_KIND_COUNT, 8, 9},
};

int pt_report_histogram_bins(const double *v, size_t n, double sigma,
                             double res, double *lo, double *width)
{
    double min = INFINITY, max = -INFINITY, want;
    int k = (int)ceil(sqrt((double)n));

    if (k < 3)
        k = 3;
    if (k > 20)
        k = 20;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < min)
            min = v[i];
        if (v[i] > max)
            max = v[i];
    }
    if (n == 0) {
        min = 0;
        max = 1;
    }
    if (max > min) {
        /* bin edges on round numbers: a width of 1, 2, 2.5 or 5 times a
         * power of ten, at least half of sigma and a twentieth of the
         * range, a whole number of the data's resolution, the first edge
         * a multiple of it */
        want = isfinite(sigma) && sigma > 0 ? sigma / 2 : (max - min) / k;
        if (want < (max - min) / 20)
            want = (max - min) / 20;
        *width = pt_report_round_width(want);
        if (res > 0) {
            double m = *width / res;
            if (m < 1)
                *width = res;
            else if (fabs(m - floor(m + 0.5)) > 1e-9)
                *width = pt_report_round_width(*width * 1.5);
        }
        *lo = floor(min / *width + 1e-9) * *width;
        k = (int)floor((max - *lo) / *width + 1e-9) + 1;
        if (k > 20)
            k = 20;
    } else {
        double w = res > 0 ? res : fabs(min) > 0 ? fabs(min) * 0.01 : 1;
        *lo = min - w * k / 2.0;
        *width = w;
    }
    return k;
}

#define MANY_BARS 60

/* Height of the score chart in default chart heights: room for 14 bars
 * each, at most 3. */
static double bar_scale(size_t n)
{
    double s = n > 14 ? n / 14.0 : 1.0;
    return s > 3 ? 3 : s;
}

typedef struct scored {
    double score;
    const pt_report_row *x;
} scored;

static int cmp_scored(const void *a, const void *b)
{
    const scored *p = a, *q = b;

    if (p->score != q->score)
        return p->score < q->score ? -1 : 1;
    return strcmp(p->x->lab ? p->x->lab : "", q->x->lab ? q->x->lab : "");
}

/* A scatter series from hidden columns xc, yc, rows first..last. */
static lxw_chart_series *scatter_series(pt_report_sheet *sh, lxw_chart *ch,
                                        lxw_row_t first, lxw_row_t last,
                                        lxw_col_t xc, lxw_col_t yc,
                                        const char *name)
{
    lxw_chart_series *s = chart_add_series(ch, NULL, NULL);

    if (!s)
        return NULL;
    chart_series_set_categories(s, sh->name, first, xc, last, xc);
    chart_series_set_values(s, sh->name, first, yc, last, yc);
    chart_series_set_name(s, name);
    return s;
}

/* A horizontal limit line from the two rows of columns L_X and yc. */
static void limit_line(pt_report_sheet *sh, lxw_chart *ch, lxw_row_t data,
                       lxw_col_t yc, const char *name, lxw_color_t colour)
{
    lxw_chart_series *s =
        scatter_series(sh, ch, data, data + 1, L_X, yc, name);
    lxw_chart_line line;

    if (!s)
        return;
    memset(&line, 0, sizeof line);
    line.color = colour;
    line.width = 1.25f;
    line.dash_type = LXW_CHART_LINE_DASH_DASH;
    chart_series_set_line(s, &line);
    chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
}

/* The sorted scores as bars with the limit lines (see the file's note). */
static void score_chart(pt_report_sheet *sh, lxw_row_t at, lxw_row_t data,
                        const scored *sc, size_t n, size_t own, int en,
                        const char *title)
{
    pt_report_ctx *c = sh->ctx;
    lxw_chart *ch = workbook_add_chart(c->wb, LXW_CHART_SCATTER_STRAIGHT);
    static const lxw_color_t colour[4] = {0, 0x5B9BD5, 0xFFC000, 0xC00000};
    const char *names[4] = {
        NULL, pt_report_label_verdict(c->lang, PT_VERDICT_SATISFACTORY),
        pt_report_label_verdict(c->lang, PT_VERDICT_QUESTIONABLE),
        pt_report_label_verdict(c->lang, PT_VERDICT_UNSATISFACTORY)};
    double extent = en ? 1 : 3, axis;
    float width = n > 0 ? (float)(240.0 / (double)n) : 8;
    char own_name[96];
    lxw_chart_font font;
    lxw_chart_options opt;

    if (!ch) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory (chart)");
        return;
    }
    if (width > 10)
        width = 10;
    if (width < 1)
        width = 1;
    for (size_t i = 0; i < n; i++)
        extent = fabs(sc[i].score) > extent ? fabs(sc[i].score) : extent;
    axis = ceil(extent) + 1;
    for (int k = 0; k < 5; k++) {
        lxw_chart_series *s;
        lxw_chart_line bar, none;
        lxw_color_t col = k == 4 ? OWN_BAR : colour[k];

        if (k == 0)
            continue;
        if (k == 4) {
            if (own == (size_t)-1)
                continue;
            snprintf(own_name, sizeof own_name, "%s%s",
                     sc[own].x->lab ? sc[own].x->lab : "",
                     pt_report_label_pick(c->lang, "（本室）", " (own)"));
        }
        s = scatter_series(sh, ch, data, data + (lxw_row_t)n - 1, X_RANK,
                           (lxw_col_t)(Y_SAT + k - 1),
                           k == 4 ? own_name : names[k]);
        if (!s)
            continue;
        memset(&none, 0, sizeof none);
        none.none = LXW_TRUE;
        chart_series_set_line(s, &none);
        chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
        /* the bar: an error bar from the point down (or up) to zero */
        chart_series_set_error_bars(s->y_error_bars,
                                    LXW_CHART_ERROR_BAR_TYPE_PERCENTAGE, 100);
        chart_series_set_error_bars_direction(s->y_error_bars,
                                              LXW_CHART_ERROR_BAR_DIR_MINUS);
        chart_series_set_error_bars_endcap(s->y_error_bars,
                                           LXW_CHART_ERROR_BAR_NO_CAP);
        memset(&bar, 0, sizeof bar);
        bar.color = col;
        bar.width = width;
        chart_series_set_error_bars_line(s->y_error_bars, &bar);
        if (k == 4) {
            lxw_chart_data_label **labels =
                calloc(n + 1, sizeof *labels);
            lxw_chart_data_label *each = calloc(n, sizeof *each);
            if (!labels || !each) {
                free(labels);
                free(each);
                pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
                return;
            }
            for (size_t i = 0; i < n; i++) {
                each[i].hide = i != own;
                each[i].value = i == own ? own_name : NULL;
                labels[i] = &each[i];
            }
            chart_series_set_labels(s);
            chart_series_set_labels_position(
                s, sc[own].score >= 0 ? LXW_CHART_LABEL_POSITION_ABOVE
                                      : LXW_CHART_LABEL_POSITION_BELOW);
            pt_report_sheet_check(sh, chart_series_set_labels_custom(s,
                                                                     labels),
                                  "chart labels");
            free(labels);
            free(each);
        }
    }
    if (en) {
        limit_line(sh, ch, data, L_LO1,
                   pt_report_label_pick(c->lang, "±1（行動）", "±1 (action)"),
                   0xC00000);
        limit_line(sh, ch, data, L_HI1, "+1", 0xC00000);
    } else {
        limit_line(sh, ch, data, L_LO1,
                   pt_report_label_pick(c->lang, "±2（警戒）", "±2 (warning)"),
                   0xED7D31);
        limit_line(sh, ch, data, L_HI1, "+2", 0xED7D31);
        limit_line(sh, ch, data, L_LO2,
                   pt_report_label_pick(c->lang, "±3（行動）", "±3 (action)"),
                   0xC00000);
        limit_line(sh, ch, data, L_HI2, "+3", 0xC00000);
    }
    {
        /* each limit once in the legend: the series after the bars */
        int16_t del[3] = {-1, -1, -1};
        int16_t bars = (int16_t)(3 + (own != (size_t)-1));
        del[0] = (int16_t)(bars + 1);
        if (!en)
            del[1] = (int16_t)(bars + 3);
        chart_legend_delete_series(ch, del);
    }
    chart_title_set_name(ch, title);
    memset(&font, 0, sizeof font);
    font.size = 10;
    font.bold = LXW_TRUE;
    chart_title_set_name_font(ch, &font);
    chart_axis_set_min(ch->y_axis, -axis);
    chart_axis_set_max(ch->y_axis, axis);
    chart_axis_set_major_unit(ch->y_axis, 1);
    chart_axis_set_min(ch->x_axis, 0);
    chart_axis_set_max(ch->x_axis, (double)n + 1);
    chart_axis_set_major_unit(ch->x_axis, n > 20 ? 5 : 1);
    chart_axis_set_name(ch->x_axis,
                        pt_report_label_pick(c->lang, "名次（參加者見左表）",
                                             "Rank (participants in the "
                                             "table at left)"));
    chart_axis_set_name(ch->y_axis, pt_report_label_score(
                                        sc[0].x->primary ? sc[0].x->primary
                                                         : "z"));
    chart_axis_set_label_position(ch->x_axis,
                                  LXW_CHART_AXIS_LABEL_POSITION_LOW);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_show_hidden_data(ch);
    memset(&opt, 0, sizeof opt);
    opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
    opt.y_offset = PT_CHART_Y_OFFSET;
    opt.x_scale = 1.45;
    opt.y_scale = bar_scale(n);
    pt_report_sheet_check(
        sh, worksheet_insert_chart_opt(sh->ws, at, CHART_COL, ch, &opt),
        "chart");
}

/* The histogram of the results on bins from column H_FROM. */
static void histogram_chart(pt_report_sheet *sh, lxw_row_t at,
                            lxw_row_t data, int k, int max_count,
                            const char *title)
{
    pt_report_ctx *c = sh->ctx;
    lxw_chart *hist = workbook_add_chart(c->wb, LXW_CHART_COLUMN);
    lxw_chart_fill fill = {0x5B9BD5, 0, 0};
    lxw_chart_series *s;
    lxw_chart_font font;
    lxw_chart_options opt;

    if (!hist) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory (chart)");
        return;
    }
    s = chart_add_series(hist, NULL, NULL);
    chart_series_set_categories(s, sh->name, data, H_FROM,
                                data + (lxw_row_t)k - 1, H_FROM);
    chart_series_set_values(s, sh->name, data, H_COUNT,
                            data + (lxw_row_t)k - 1, H_COUNT);
    chart_series_set_name(s, pt_report_label_pick(c->lang, "結果數",
                                                  "Results"));
    chart_series_set_fill(s, &fill);
    chart_set_series_gap(hist, 5);
    chart_legend_set_position(hist, LXW_CHART_LEGEND_NONE);
    chart_axis_set_num_format(hist->x_axis, "General");
    chart_axis_set_name(hist->x_axis, pt_report_label_pick(
                                          c->lang, "組下限", "Bin from"));
    chart_axis_set_name(hist->y_axis, pt_report_label_pick(
                                          c->lang, "結果數", "Results"));
    chart_axis_set_min(hist->y_axis, 0);
    if (max_count <= 10)
        chart_axis_set_major_unit(hist->y_axis, 1);
    chart_axis_set_num_format(hist->y_axis, "0");
    chart_title_set_name(hist, title);
    memset(&font, 0, sizeof font);
    font.size = 10;
    font.bold = LXW_TRUE;
    chart_title_set_name_font(hist, &font);
    memset(&opt, 0, sizeof opt);
    opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
    opt.y_offset = PT_CHART_Y_OFFSET;
    opt.x_scale = 1.45;
    pt_report_sheet_check(
        sh, worksheet_insert_chart_opt(sh->ws, at, CHART_COL, hist, &opt),
        "chart");
}

/* Each result with its U around x_pt ± U(x_pt): one series a
 * participant (its U as a fixed error bar), labelled with its code. */
static void result_u_chart(pt_report_sheet *sh, lxw_row_t at,
                           lxw_row_t data, const pt_report_group *g,
                           const pt_report_row *const *px, size_t n,
                           const char *title)
{
    pt_report_ctx *c = sh->ctx;
    lxw_chart *ch = workbook_add_chart(c->wb, LXW_CHART_SCATTER);
    lxw_chart_font font;
    lxw_chart_options opt;
    double lo = INFINITY, hi = -INFINITY, pad;

    if (!ch) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory (chart)");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const pt_report_row *x = px[i];
        lxw_chart_series *s = scatter_series(
            sh, ch, data + (lxw_row_t)i, data + (lxw_row_t)i, U_X, U_Y,
            x->lab ? x->lab : "");
        lxw_chart_line bar;
        lxw_chart_fill fill;
        lxw_chart_data_label one = {0}, *labels[2] = {&one, NULL};
        lxw_color_t col = x->own ? OWN_BAR : 0x1F4E78;
        double U = isfinite(x->U) ? x->U : 0;

        if (!s)
            continue;
        lo = x->value - U < lo ? x->value - U : lo;
        hi = x->value + U > hi ? x->value + U : hi;
        chart_series_set_marker_type(s, LXW_CHART_MARKER_CIRCLE);
        chart_series_set_marker_size(s, 7);
        memset(&fill, 0, sizeof fill);
        fill.color = col;
        chart_series_set_marker_fill(s, &fill);
        memset(&bar, 0, sizeof bar);
        bar.color = col;
        bar.width = 1.5f;
        chart_series_set_marker_line(s, &bar);
        if (U > 0) {
            chart_series_set_error_bars(s->y_error_bars,
                                        LXW_CHART_ERROR_BAR_TYPE_FIXED, U);
            chart_series_set_error_bars_line(s->y_error_bars, &bar);
        }
        one.value = (char *)(x->lab ? x->lab : "");
        chart_series_set_labels(s);
        chart_series_set_labels_position(s, LXW_CHART_LABEL_POSITION_RIGHT);
        pt_report_sheet_check(sh, chart_series_set_labels_custom(s, labels),
                              "chart labels");
    }
    for (int k = 0; k < 3; k++) {
        lxw_chart_series *s = scatter_series(
            sh, ch, data, data + 1, L_X, (lxw_col_t)(B_XPT + k),
            k == 0 ? "x_pt"
                   : k == 1 ? pt_report_label_pick(c->lang,
                                                   "x_pt ± U(x_pt)",
                                                   "x_pt ± U(x_pt)")
                            : "+U(x_pt)");
        lxw_chart_line line;

        if (!s)
            continue;
        memset(&line, 0, sizeof line);
        line.color = k == 0 ? 0x375623 : 0x70AD47;
        line.width = k == 0 ? 2.0f : 1.25f;
        line.dash_type = k == 0 ? 0 : LXW_CHART_LINE_DASH_DASH;
        chart_series_set_line(s, &line);
        chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
    }
    {
        int16_t del[] = {(int16_t)(n + 2), -1};
        chart_legend_delete_series(ch, del);
    }
    {
        double U = 2 * g->u_x_pt;
        lo = g->x_pt - U < lo ? g->x_pt - U : lo;
        hi = g->x_pt + U > hi ? g->x_pt + U : hi;
    }
    pad = (hi - lo) / 6;
    if (isfinite(lo) && isfinite(hi) && pad > 0) {
        /* round ticks: about six of a round step */
        double step = pt_report_round_width(pad);
        chart_axis_set_min(ch->y_axis, floor(lo / step) * step);
        chart_axis_set_max(ch->y_axis, ceil(hi / step) * step);
        chart_axis_set_major_unit(ch->y_axis, step);
    }
    chart_axis_set_min(ch->x_axis, 0);
    chart_axis_set_max(ch->x_axis, (double)n + 1);
    chart_axis_set_major_unit(ch->x_axis, 1);
    chart_axis_set_label_position(ch->x_axis,
                                  LXW_CHART_AXIS_LABEL_POSITION_NONE);
    chart_axis_set_name(ch->y_axis, g->unit ? g->unit : "");
    chart_title_set_name(ch, title);
    memset(&font, 0, sizeof font);
    font.size = 10;
    font.bold = LXW_TRUE;
    chart_title_set_name_font(ch, &font);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_show_hidden_data(ch);
    memset(&opt, 0, sizeof opt);
    opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
    opt.y_offset = PT_CHART_Y_OFFSET;
    opt.x_scale = 1.45;
    pt_report_sheet_check(
        sh, worksheet_insert_chart_opt(sh->ws, at, CHART_COL, ch, &opt),
        "chart");
}

/* Where the charts of a sheet go on its printed pages: a page holds
 * `page` rows of default height; a chart that would run past the end of
 * the current page starts a new one, so that no chart is split. */
typedef struct pager {
    lxw_row_t *breaks; /* ends with 0 */
    size_t n, cap;
    lxw_row_t top; /* first row of the current page */
    double page;
} pager;

static void page_break(pager *p, lxw_row_t at)
{
    /* libxlsxwriter takes up to 1023 breaks a sheet */
    if (p->n + 1 < p->cap && p->n < 1022 && at > 0) {
        p->breaks[p->n++] = at;
        p->breaks[p->n] = 0;
    }
    p->top = at;
}

/* The row a chart of `rows` rows goes to, at `at` or on the next page. */
static lxw_row_t page_fit(pager *p, lxw_row_t at, lxw_row_t rows)
{
    if (at > p->top && (double)(at + rows - p->top) > p->page)
        page_break(p, at);
    return at;
}

/* Rows of default height (20 px) one printed page holds.  The round
 * sheet prints one page wide on A4 landscape with margins of 0.4 in left
 * and right, 0.6 in top and bottom (pt_report_sheet.c): its scale is the
 * printable width, 1046 px at 96 px an inch, over the sheet's width (the
 * table's columns, or the charts' right edge when further); the printable
 * height is 678 px.  A tenth is kept in hand for rounding. */
static double page_rows(const pt_report_sheet *sh)
{
    double cols = 0, chart = 0, used, scale;

    for (lxw_col_t k = 0; k < TABLE_COLS; k++) {
        double px = floor(pt_report_span_width(sh, k, k) * 7 + 5);
        cols += px;
        if (k < PT_CHART_COL)
            chart += px;
    }
    chart += 480 * 1.45;
    used = cols > chart ? cols : chart;
    scale = used > 1046 ? 1046 / used : 1;
    return 0.9 * 678 / (20 * scale);
}

/* The data's decimal resolution, 10^-d, or 0 when none is found. */
static double resolution(const double *v, size_t n)
{
    int d;

    if (n == 0 || pt_stats_decimals(v, n, &d) != PT_STATS_OK || d < 0)
        return 0;
    return 1 / pt_stats_pow10(d);
}

/* One group's block from `row`; returns the first row after it. */
static lxw_row_t put_group(pt_report_sheet *sh, pager *pg, lxw_row_t row,
                           size_t ri, size_t gi, const pt_report_row *res,
                           size_t n_res, scored *sc, double *vals,
                           double *work)
{
    pt_report_ctx *c = sh->ctx;
    const pt_report_round *rd = &c->r->rounds[ri];
    const pt_report_group *g = &rd->groups[gi];
    lxw_format *const *f = c->st.cell[0];
    size_t n = 0, nv = 0, own = (size_t)-1, nu = 0, partner, n_notes = 0;
    double lo = 0, w = 1, own_value = NAN;
    const char *own_code = NULL;
    int k = 0, bins[20] = {0}, max_count = 0, en = 0, uplot, youden = 0;
    char title[384], chart_title[512], notes[3][512];
    const char *m = g->measurand_name && *g->measurand_name
                        ? g->measurand_name
                        : g->measurand;
    const pt_report_row **px;
    lxw_row_t data, rows, chart_at;
    pt_report_kde kde;
    pt_report_youden yd;

    memset(&yd, 0, sizeof yd);
    px = malloc((n_res ? n_res : 1) * sizeof *px);
    if (!px) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return row;
    }
    for (size_t j = 0; j < n_res; j++) {
        const pt_report_row *x = &res[j];
        double v = pt_report_primary_value(x);

        if (x->group != gi)
            continue;
        if (isfinite(x->value)) {
            vals[nv++] = x->value;
            px[nu++] = x;
            if (x->own) {
                own_value = x->value;
                own_code = x->lab;
            }
        }
        if (isfinite(v) && !x->is_reference) {
            sc[n].score = v;
            sc[n++].x = x;
            en |= pt_report_primary_is_en(x);
        }
    }
    if (n == 0 && nv == 0) {
        free(px);
        return row;
    }
    qsort(sc, n, sizeof *sc, cmp_scored);
    uplot = isfinite(g->x_pt) && isfinite(g->u_x_pt) && nu > 0 &&
            nu <= UPLOT_MAX && (en || (n && sc[0].x->primary &&
                                       strcmp(sc[0].x->primary, "zeta") == 0));
    if (nv >= HIST_MIN) {
        k = pt_report_histogram_bins(vals, nv, g->sigma_pt,
                                     resolution(vals, nv), &lo, &w);
        for (size_t i = 0; i < nv; i++) {
            /* a value on an edge belongs to the bin above it */
            int b = (int)floor((vals[i] - lo) / w + 1e-9);
            b = b < 0 ? 0 : b >= k ? k - 1 : b;
            bins[b]++;
            max_count = bins[b] > max_count ? bins[b] : max_count;
        }
    }
    pt_report_kde_prepare(&kde, c, g, vals, nv, own_value, own_code, work);
    partner = pt_report_youden_partner(rd, gi);
    if (partner != (size_t)-1) {
        youden = pt_report_youden_prepare(&yd, c, rd, partner, gi, res,
                                          n_res);
        if (youden < 0) {
            free(px);
            return row;
        }
    }
    snprintf(title, sizeof title, "%s %s %s", rd->code, m,
             g->item ? g->item : "");
    pt_report_put_merged(sh, row, 0, N_COLS - 1, title, c->st.section);
    pt_report_put_headers(sh, row + 1, 0, columns, N_COLS);
    data = row + 2;
    rows = (lxw_row_t)(n > (size_t)k ? n : (size_t)k);
    if (rows < 2)
        rows = 2; /* the limit lines need two rows */
    if ((size_t)rows < nu)
        rows = (lxw_row_t)nu;
    if ((size_t)rows < pt_report_kde_rows(&kde))
        rows = (lxw_row_t)pt_report_kde_rows(&kde);
    if ((size_t)rows < pt_report_youden_rows(&yd))
        rows = (lxw_row_t)pt_report_youden_rows(&yd);
    for (lxw_row_t i = 0; i < rows; i++) {
        if (i < n) {
            const pt_report_row *x = sc[i].x;
            pt_report_verdict v = x->verdict;

            pt_report_put_text(sh, data + i, S_CODE, x->lab,
                               c->st.cell[x->own ? 1 : 0][PT_KIND_CENTER]);
            pt_report_put_number(sh, data + i, S_SCORE, sc[i].score,
                                 c->st.cell[x->own ? 1 : 0][PT_KIND_SCORE]);
            pt_report_put_text(sh, data + i, S_VERDICT,
                               pt_report_label_verdict(c->lang, v),
                               c->st.verdict[v]);
            pt_report_put_number(sh, data + i, X_RANK, (double)(i + 1), NULL);
            if (x->own)
                own = i;
            else if (v >= PT_VERDICT_SATISFACTORY &&
                     v <= PT_VERDICT_UNSATISFACTORY)
                pt_report_put_number(sh, data + i,
                                     (lxw_col_t)(Y_SAT + v - 1), sc[i].score,
                                     NULL);
            if (x->own)
                pt_report_put_number(sh, data + i, Y_OWN, sc[i].score, NULL);
        }
        if (i < (lxw_row_t)k) {
            pt_report_put_number(sh, data + i, H_FROM, lo + i * w,
                                 f[PT_KIND_VALUE]);
            pt_report_put_number(sh, data + i, H_TO, lo + (i + 1) * w,
                                 f[PT_KIND_VALUE]);
            pt_report_put_number(sh, data + i, H_COUNT, bins[i],
                                 f[PT_KIND_COUNT]);
        }
        if (i < 2) {
            double U = 2 * g->u_x_pt;
            pt_report_put_number(sh, data + i, L_X,
                                 i ? (double)(uplot && nu > n ? nu : n) + 0.5
                                   : 0.5,
                                 NULL);
            pt_report_put_number(sh, data + i, L_LO1, en ? -1 : -2, NULL);
            pt_report_put_number(sh, data + i, L_HI1, en ? 1 : 2, NULL);
            pt_report_put_number(sh, data + i, L_LO2, -3, NULL);
            pt_report_put_number(sh, data + i, L_HI2, 3, NULL);
            if (uplot) {
                pt_report_put_number(sh, data + i, B_XPT, g->x_pt, NULL);
                pt_report_put_number(sh, data + i, B_LO, g->x_pt - U, NULL);
                pt_report_put_number(sh, data + i, B_HI, g->x_pt + U, NULL);
            }
        }
        if (uplot && i < (lxw_row_t)nu) {
            pt_report_put_number(sh, data + i, U_X, (double)(i + 1), NULL);
            pt_report_put_number(sh, data + i, U_Y, px[i]->value, NULL);
        }
        pt_report_kde_put_row(sh, &kde, data, i);
        pt_report_youden_put_row(sh, &yd, data, i);
    }
    chart_at = row;
    if (n > 0 && !sh->measuring) {
        lxw_row_t h = pt_report_chart_rows(bar_scale(n));
        snprintf(chart_title, sizeof chart_title, "%s — %s%s", title,
                 pt_report_label_score(sc[0].x->primary
                                           ? sc[0].x->primary
                                           : "z"),
                 pt_report_label_pick(c->lang, "（由小到大）", ", sorted"));
        chart_at = page_fit(pg, chart_at, h);
        score_chart(sh, chart_at, data, sc, n, own, en, chart_title);
        chart_at += h;
    }
    if (uplot && !sh->measuring) {
        snprintf(chart_title, sizeof chart_title, "%s — %s", title,
                 pt_report_label_pick(c->lang,
                                      "結果 ± U 與 x_pt ± U(x_pt)",
                                      "result ± U and x_pt ± U(x_pt)"));
        chart_at = page_fit(pg, chart_at, pt_report_chart_rows(1));
        result_u_chart(sh, chart_at, data, g, px, nu, chart_title);
        chart_at += pt_report_chart_rows(1);
    }
    if (kde.drawn && !sh->measuring) {
        snprintf(chart_title, sizeof chart_title, "%s — %s", title,
                 pt_report_label_pick(c->lang, "結果之核密度",
                                      "kernel density of results"));
        chart_at = page_fit(pg, chart_at, pt_report_chart_rows(PT_KDE_SCALE));
        pt_report_kde_chart(sh, &kde, g, chart_at, data, chart_title);
        chart_at += pt_report_chart_rows(PT_KDE_SCALE);
    }
    if (!sh->measuring)
        pt_report_kde_note(c, &kde, g, notes[n_notes++], sizeof notes[0]);
    if (k > 0 && !sh->measuring) {
        snprintf(chart_title, sizeof chart_title, "%s — %s", title,
                 pt_report_label_pick(c->lang, "結果分布", "histogram of "
                                                         "results"));
        chart_at = page_fit(pg, chart_at, pt_report_chart_rows(1));
        histogram_chart(sh, chart_at, data, k, max_count, chart_title);
        chart_at += pt_report_chart_rows(1);
    } else if (!sh->measuring) {
        snprintf(notes[n_notes++], sizeof notes[0],
                 c->lang == PT_REPORT_ZH_TW
                     ? "未繪直方圖：%zu 筆結果（至少需 %d 筆）。"
                     : "No histogram: %zu results (it needs %d or more).",
                 nv, HIST_MIN);
    }
    if (youden > 0 && !sh->measuring) {
        lxw_row_t h = pt_report_youden_chart_rows();
        chart_at = page_fit(pg, chart_at, h);
        chart_at += pt_report_youden_chart(sh, &yd, rd, partner, gi,
                                           chart_at, data);
    } else if (partner != (size_t)-1 && !sh->measuring) {
        snprintf(notes[n_notes++], sizeof notes[0],
                 c->lang == PT_REPORT_ZH_TW
                     ? "未繪 Youden 圖（%s / %s）：%zu 位參加者兩試樣皆有結果"
                       "（至少需 %d 位，且兩試樣皆有指定值）。"
                     : "No Youden plot (%s / %s): %zu participants with "
                       "results on both items (it needs %d or more, and an "
                       "assigned value for both).",
                 rd->groups[partner].item ? rd->groups[partner].item : "",
                 g->item ? g->item : "", yd.n, PT_YOUDEN_MIN);
    }
    for (size_t j = 0; j < n_notes; j++)
        pt_report_put_merged(sh, data + rows + (lxw_row_t)j, 0, N_COLS - 1,
                             notes[j], c->st.note);
    pt_report_youden_free(&yd);
    free(px);
    {
        lxw_row_t after = data + rows + (lxw_row_t)n_notes + 1;
        return after > chart_at ? after : chart_at + 1;
    }
}

void pt_report_round_charts(pt_report_sheet *sh, size_t ri, lxw_row_t row,
                            const pt_report_row *rows, size_t n)
{
    pt_report_ctx *c = sh->ctx;
    const pt_report_round *rd = &c->r->rounds[ri];
    scored *sc;
    double *vals, *work;
    pager pg;
    char text[256];

    if (n == 0 || rd->n_groups == 0)
        return;
    memset(&pg, 0, sizeof pg);
    pg.cap = 6 * rd->n_groups + 2;
    sc = malloc(n * sizeof *sc);
    vals = malloc(2 * n * sizeof *vals);
    pg.breaks = calloc(pg.cap, sizeof *pg.breaks);
    if (!sc || !vals || !pg.breaks) {
        free(sc);
        free(vals);
        free(pg.breaks);
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return;
    }
    work = vals + n;
    pt_report_label_bilingual(c->lang, "圖表及其資料", "Charts and their data",
                              "　", text, sizeof text);
    pt_report_sheet_check(
        sh,
        worksheet_set_column_opt(sh->ws, X_RANK, X_LAST, 8, NULL,
                                 &(lxw_row_col_options){.hidden = 1}),
        "hidden columns");
    pt_report_sheet_check(
        sh,
        worksheet_set_column_opt(sh->ws, PT_PLOT_FIRST_COL, PT_PLOT_LAST_COL,
                                 8, NULL,
                                 &(lxw_row_col_options){.hidden = 1}),
        "hidden columns");
    /* the charts on pages of their own: a break before the section and
     * before every further measurand x item, and before a chart that
     * would not fit on the rest of its page */
    pg.page = page_rows(sh);
    page_break(&pg, row);
    pt_report_put_merged(sh, row, 0, N_COLS - 1, text, c->st.section);
    row += 2;
    for (size_t g = 0; g < rd->n_groups && c->status == PT_REPORT_OK; g++) {
        lxw_row_t next =
            put_group(sh, &pg, row, ri, g, rows, n, sc, vals, work);
        if (next != row && g + 1 < rd->n_groups)
            page_break(&pg, next);
        row = next;
    }
    if (c->status == PT_REPORT_OK)
        pt_report_sheet_check(sh, worksheet_set_h_pagebreaks(sh->ws,
                                                             pg.breaks),
                              "page breaks");
    free(pg.breaks);
    free(sc);
    free(vals);
}
