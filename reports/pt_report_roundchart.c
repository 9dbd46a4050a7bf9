/*
 * pt_report_roundchart.c -- sorted score bars and the histogram of results
 * on a round's sheet (see pt_report_roundchart.h).
 *
 * Layout below the results: a section row, then per measurand x item a
 * title row, a heading row and the data: columns A-C the participants
 * sorted by score (code, score, verdict), columns E-G the histogram bins
 * (from, to, count).  The two charts sit to the right of the data; a block
 * is at least as tall as its charts so that they never overlap.
 */
#include "pt_report_roundchart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_label.h"

#define OWN_BAR 0xC55A11
#define BAR 0x5B9BD5
#define CHART_ROWS 18

enum { S_CODE, S_SCORE, S_VERDICT, S_GAP, H_FROM, H_TO, H_COUNT, N_COLS };

static const pt_report_column columns[N_COLS] = {
    {"參加者", "Participant", PT_KIND_CENTER, 10, 12},
    {"分數", "Score", PT_KIND_SCORE, 8, 9},
    {"判定", "Verdict", PT_KIND_CENTER, 10, 14},
    {"", "", PT_KIND_TEXT, 2, 2},
    {"組下限", "Bin from", PT_KIND_VALUE, 9, 11},
    {"組上限", "Bin to", PT_KIND_VALUE, 9, 11},
    {"結果數", "Results", PT_KIND_COUNT, 8, 9},
};

int pt_report_histogram_bins(const double *v, size_t n, double *lo,
                             double *width)
{
    double min = INFINITY, max = -INFINITY;
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
        *lo = min;
        *width = (max - min) / k;
    } else {
        double w = fabs(min) > 0 ? fabs(min) * 0.01 : 1;
        *lo = min - w * k / 2.0;
        *width = w;
    }
    return k;
}

#define MANY_BARS 60

/* Height of the bar chart in default chart heights: room for 14 labelled
 * bars each, at most 4 (a sorted profile beyond MANY_BARS). */
static double bar_scale(size_t n)
{
    double s = n > 14 ? n / 14.0 : 1.0;
    return s > 4 ? 4 : s;
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

/* One group's block from `row`; returns the first row after it. */
static lxw_row_t put_group(pt_report_sheet *sh, lxw_row_t row, size_t ri,
                           size_t gi, const pt_report_row *res, size_t n_res,
                           scored *sc, double *vals)
{
    pt_report_ctx *c = sh->ctx;
    const pt_report_round *rd = &c->r->rounds[ri];
    const pt_report_group *g = &rd->groups[gi];
    lxw_format *const *f = c->st.cell[0];
    size_t n = 0, nv = 0, own = (size_t)-1;
    double lo, w;
    int k, bins[20] = {0};
    char title[256];
    lxw_row_t data, rows;
    lxw_chart *bar, *hist;
    lxw_chart_series *s;
    lxw_chart_options opt;

    for (size_t j = 0; j < n_res; j++) {
        const pt_report_row *x = &res[j];
        double v = pt_report_primary_value(x);

        if (x->group != gi)
            continue;
        if (isfinite(x->value))
            vals[nv++] = x->value;
        if (isfinite(v)) {
            sc[n].score = v;
            sc[n++].x = x;
        }
    }
    if (n == 0 && nv == 0)
        return row;
    qsort(sc, n, sizeof *sc, cmp_scored);
    k = pt_report_histogram_bins(vals, nv, &lo, &w);
    for (size_t i = 0; i < nv; i++) {
        int b = (int)floor((vals[i] - lo) / w);
        bins[b < 0 ? 0 : b >= k ? k - 1 : b]++;
    }
    snprintf(title, sizeof title, "%s %s",
             g->measurand_name && *g->measurand_name ? g->measurand_name
                                                     : g->measurand,
             g->item ? g->item : "");
    pt_report_put_merged(sh, row, 0, N_COLS - 1, title, c->st.section);
    pt_report_put_headers(sh, row + 1, 0, columns, N_COLS);
    data = row + 2;
    rows = (lxw_row_t)(n > (size_t)k ? n : (size_t)k);
    for (lxw_row_t i = 0; i < rows; i++) {
        if (i < n) {
            const pt_report_row *x = sc[i].x;
            pt_report_put_text(sh, data + i, S_CODE, x->lab,
                               c->st.cell[x->own ? 1 : 0][PT_KIND_CENTER]);
            pt_report_put_number(sh, data + i, S_SCORE, sc[i].score,
                                 c->st.cell[x->own ? 1 : 0][PT_KIND_SCORE]);
            pt_report_put_text(sh, data + i, S_VERDICT,
                               pt_report_label_verdict(c->lang, x->verdict),
                               c->st.verdict[x->verdict]);
            if (x->own)
                own = i;
        }
        if (i < (lxw_row_t)k) {
            pt_report_put_number(sh, data + i, H_FROM, lo + i * w,
                                 f[PT_KIND_VALUE]);
            pt_report_put_number(sh, data + i, H_TO, lo + (i + 1) * w,
                                 f[PT_KIND_VALUE]);
            pt_report_put_number(sh, data + i, H_COUNT, bins[i],
                                 f[PT_KIND_COUNT]);
        }
    }

    memset(&opt, 0, sizeof opt);
    opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
    if (n > 0) {
        lxw_chart_fill own_fill = {OWN_BAR, 0, 0}, fill = {BAR, 0, 0};
        lxw_chart_point *pts, **list;

        bar = workbook_add_chart(c->wb, LXW_CHART_BAR);
        pts = calloc(n, sizeof *pts);
        list = calloc(n + 1, sizeof *list);
        if (!bar || !pts || !list) {
            free(pts);
            free(list);
            pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory (chart)");
            return row;
        }
        s = chart_add_series(bar, NULL, NULL);
        chart_series_set_categories(s, sh->name, data, S_CODE,
                                    data + (lxw_row_t)n - 1, S_CODE);
        chart_series_set_values(s, sh->name, data, S_SCORE,
                                data + (lxw_row_t)n - 1, S_SCORE);
        chart_series_set_name(s, pt_report_label_pick(c->lang, "分數",
                                                      "Score"));
        for (size_t i = 0; i < n; i++) {
            pts[i].fill = i == own ? &own_fill : &fill;
            list[i] = &pts[i];
        }
        pt_report_sheet_check(sh, chart_series_set_points(s, list),
                              "chart points");
        free(pts);
        free(list);
        /* up to MANY_BARS participants each bar is labelled with its code;
         * beyond, the bars make a sorted profile without labels */
        chart_set_series_gap(bar, n > MANY_BARS ? 0 : 40);
        if (n > MANY_BARS)
            chart_axis_set_label_position(bar->x_axis,
                                          LXW_CHART_AXIS_LABEL_POSITION_NONE);
        chart_legend_set_position(bar, LXW_CHART_LEGEND_NONE);
        chart_title_set_name(
            bar, pt_report_label_pick(c->lang, "分數（由小到大）",
                                      "Scores, sorted"));
        chart_axis_set_name(bar->y_axis, pt_report_label_pick(
                                             c->lang, "主要分數",
                                             "Primary score"));
        if (n <= MANY_BARS)
            chart_axis_set_label_position(bar->x_axis,
                                          LXW_CHART_AXIS_LABEL_POSITION_LOW);
        opt.x_scale = 1.0;
        opt.y_scale = bar_scale(n);
        pt_report_sheet_check(
            sh, worksheet_insert_chart_opt(sh->ws, row, N_COLS + 1, bar, &opt),
            "chart");
    }
    if (nv > 0) {
        lxw_chart_fill fill = {BAR, 0, 0};

        hist = workbook_add_chart(c->wb, LXW_CHART_COLUMN);
        if (!hist) {
            pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory (chart)");
            return row;
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
        chart_axis_set_num_format(hist->x_axis, "0.0##");
        chart_axis_set_name(hist->x_axis, pt_report_label_pick(
                                              c->lang, "組下限", "Bin from"));
        chart_axis_set_name(hist->y_axis,
                            pt_report_label_pick(c->lang, "結果數",
                                                 "Results"));
        chart_title_set_name(hist, pt_report_label_pick(c->lang, "結果分布",
                                                        "Histogram of "
                                                        "results"));
        opt.x_scale = 1.0;
        opt.y_scale = 1.0;
        pt_report_sheet_check(sh,
                              worksheet_insert_chart_opt(sh->ws, row,
                                                         N_COLS + 9, hist,
                                                         &opt),
                              "chart");
    }
    {
        lxw_row_t tall = (lxw_row_t)(CHART_ROWS * bar_scale(n)) + 1;
        lxw_row_t after = data + rows + 1;
        return after > row + tall ? after : row + tall + 1;
    }
}

void pt_report_round_charts(pt_report_sheet *sh, size_t ri, lxw_row_t row,
                            const pt_report_row *rows, size_t n)
{
    pt_report_ctx *c = sh->ctx;
    const pt_report_round *rd = &c->r->rounds[ri];
    scored *sc;
    double *vals;
    lxw_row_t *breaks; /* ends with 0 */
    size_t n_breaks = 0;
    char text[256];

    if (n == 0 || rd->n_groups == 0)
        return;
    sc = malloc(n * sizeof *sc);
    vals = malloc(n * sizeof *vals);
    if (!sc || !vals) {
        free(sc);
        free(vals);
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return;
    }
    pt_report_label_bilingual(c->lang, "圖表及其資料", "Charts and their data",
                              "　", text, sizeof text);
    breaks = calloc(rd->n_groups + 2, sizeof *breaks);
    if (!breaks) {
        free(sc);
        free(vals);
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return;
    }
    /* the charts on pages of their own: a break before the section and
     * before every further measurand x item */
    breaks[n_breaks++] = row;
    pt_report_put_merged(sh, row, 0, N_COLS - 1, text, c->st.section);
    row += 2;
    for (size_t g = 0; g < rd->n_groups && c->status == PT_REPORT_OK; g++) {
        lxw_row_t next = put_group(sh, row, ri, g, rows, n, sc, vals);
        if (next != row && g + 1 < rd->n_groups)
            breaks[n_breaks++] = next;
        row = next;
    }
    if (c->status == PT_REPORT_OK)
        pt_report_sheet_check(sh, worksheet_set_h_pagebreaks(sh->ws, breaks),
                              "page breaks");
    free(breaks);
    free(sc);
    free(vals);
}
