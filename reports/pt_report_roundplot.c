/*
 * pt_report_roundplot.c -- the kernel density and Youden plots of a
 * round's sheet (see pt_report_roundplot.h).
 *
 * Kernel density (ISO 13528:2022 10.3): the normal-kernel density of the
 * results on PT_KDE_POINTS points (stats/kernel.c), from 3 h below the
 * lowest to 3 h above the highest of the results and marks; bandwidth
 * h = 0.75 σ_pt (E.6) when σ_pt is known, else Silverman's robust rule
 * 0.9 min(SD, nIQR) n^(-1/5); drawn from PT_KDE_MIN results on (with
 * fewer, the curve shows no more than the results themselves: the result
 * ± U plot of a bilateral or small ILC stands in).  Marked: x_pt,
 * x_pt ± 2 σ_pt (x_pt ± U(x_pt) when there is no σ_pt), the laboratory's
 * own result, and each result as a point on the axis.  The curve's cells
 * are two rows across hidden columns (x, then the density), so that they
 * need no more rows than the other data of the block.
 *
 * Youden plot (10.5): the items of one measurand pair up two by two in
 * the order of the round's groups; for each pair, each participant with a
 * result on both items is a point (first item across, second up), the own
 * point in orange and labelled, x_pt of each item as a line, the line of
 * slope 1 through (x_pt1, x_pt2) (points along it share a systematic
 * error) and the ±2 σ_pt box where both σ_pt are known.  Both axes span
 * the same width on the same tick step, and the chart is square, so that
 * one unit is as long across as up.  Drawn from PT_YOUDEN_MIN
 * participants on, when both items have an assigned value.
 */
#include "pt_report_roundplot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report_label.h"
#include "pt_stats.h"

#define OWN_COLOUR 0xC55A11
#define XPT_COLOUR 0x375623
#define BAND_COLOUR 0xED7D31
#define DOT_COLOUR 0x1F4E78

/* hidden columns from PT_PLOT_FIRST_COL */
enum {
    KV_XPT = PT_PLOT_FIRST_COL, /* x of the vertical marks (2 rows) */
    KV_LO,
    KV_HI,
    KV_OWN,
    KV_Y,   /* their y: 0 and the top */
    K_RUG_X, /* the results */
    K_RUG_Y, /* 0 */
    YP_X,    /* Youden: the other participants */
    YP_Y,
    YO_X, /* the own point */
    YO_Y,
    YV_X, /* x_pt of the first item, up */
    YV_Y,
    YH_X, /* x_pt of the second item, across */
    YH_Y,
    YD_X, /* slope 1 through both x_pt */
    YD_Y,
    YB_X, /* the ±2 σ_pt box, 5 corners */
    YB_Y,
    K_GRID /* PT_KDE_POINTS columns: x in the first row, f in the next */
};
_Static_assert(K_GRID + PT_KDE_POINTS - 1 <= PT_PLOT_LAST_COL,
               "the grid ends within the hidden columns");

double pt_report_round_width(double w)
{
    double p = pow(10, floor(log10(w))), m = w / p;

    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

lxw_row_t pt_report_chart_rows(double y_scale)
{
    return (lxw_row_t)ceil(288 * y_scale / 20 - 1e-9) + 1;
}

lxw_chart_series *pt_report_chart_xy(pt_report_sheet *sh, lxw_chart *ch,
                                     lxw_row_t xr, lxw_col_t xc,
                                     lxw_row_t xr2, lxw_col_t xc2,
                                     lxw_row_t yr, lxw_col_t yc,
                                     lxw_row_t yr2, lxw_col_t yc2,
                                     const char *name)
{
    lxw_chart_series *s = chart_add_series(ch, NULL, NULL);

    if (!s)
        return NULL;
    chart_series_set_categories(s, sh->name, xr, xc, xr2, xc2);
    chart_series_set_values(s, sh->name, yr, yc, yr2, yc2);
    chart_series_set_name(s, name);
    return s;
}

void pt_report_chart_place(pt_report_sheet *sh, lxw_chart *ch, lxw_row_t at,
                           lxw_col_t col, double x_scale, double y_scale,
                           const char *title)
{
    lxw_chart_font font;
    lxw_chart_options opt;

    chart_title_set_name(ch, title);
    memset(&font, 0, sizeof font);
    font.size = 10;
    font.bold = LXW_TRUE;
    chart_title_set_name_font(ch, &font);
    chart_show_hidden_data(ch);
    memset(&opt, 0, sizeof opt);
    opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;
    opt.y_offset = PT_CHART_Y_OFFSET;
    opt.x_scale = x_scale;
    opt.y_scale = y_scale;
    pt_report_sheet_check(
        sh, worksheet_insert_chart_opt(sh->ws, at, col, ch, &opt), "chart");
}

/* A line through the cells of columns xc and yc, rows data..data+n-1. */
static lxw_chart_series *line(pt_report_sheet *sh, lxw_chart *ch,
                              lxw_row_t data, size_t n, lxw_col_t xc,
                              lxw_col_t yc, const char *name,
                              lxw_color_t colour, float width, int dash)
{
    lxw_chart_series *s =
        pt_report_chart_xy(sh, ch, data, xc, data + (lxw_row_t)n - 1, xc,
                           data, yc, data + (lxw_row_t)n - 1, yc, name);
    lxw_chart_line l;

    if (!s)
        return NULL;
    memset(&l, 0, sizeof l);
    l.color = colour;
    l.width = width;
    l.dash_type = (uint8_t)(dash ? LXW_CHART_LINE_DASH_DASH : 0);
    chart_series_set_line(s, &l);
    chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
    return s;
}

/* Points without a line, from columns xc and yc, rows data..data+n-1. */
static lxw_chart_series *points(pt_report_sheet *sh, lxw_chart *ch,
                                lxw_row_t data, size_t n, lxw_col_t xc,
                                lxw_col_t yc, const char *name,
                                lxw_color_t colour, uint8_t marker,
                                uint8_t size)
{
    lxw_chart_series *s =
        pt_report_chart_xy(sh, ch, data, xc, data + (lxw_row_t)n - 1, xc,
                           data, yc, data + (lxw_row_t)n - 1, yc, name);
    lxw_chart_line none, edge;
    lxw_chart_fill fill;

    if (!s)
        return NULL;
    memset(&none, 0, sizeof none);
    none.none = LXW_TRUE;
    chart_series_set_line(s, &none);
    chart_series_set_marker_type(s, marker);
    chart_series_set_marker_size(s, size);
    memset(&fill, 0, sizeof fill);
    fill.color = colour;
    chart_series_set_marker_fill(s, &fill);
    memset(&edge, 0, sizeof edge);
    edge.color = colour;
    chart_series_set_marker_line(s, &edge);
    return s;
}

/* Round ticks for [lo, hi]: about `ticks` steps of a round width. */
static void round_axis(lxw_chart_axis *axis, double lo, double hi, int ticks)
{
    double step;

    if (!(isfinite(lo) && isfinite(hi) && hi > lo))
        return;
    step = pt_report_round_width((hi - lo) / ticks);
    chart_axis_set_min(axis, floor(lo / step) * step);
    chart_axis_set_max(axis, ceil(hi / step) * step);
    chart_axis_set_major_unit(axis, step);
}

/* ---- kernel density ---- */

int pt_report_kde_prepare(pt_report_kde *k, const pt_report_ctx *c,
                          const pt_report_group *g, const double *vals,
                          size_t n, double own, const char *own_code,
                          double *work)
{
    double lo = INFINITY, hi = -INFINITY;
    pt_stats_status st;

    memset(k, 0, sizeof *k);
    k->x_pt = k->band_lo = k->band_hi = NAN;
    k->own = own;
    k->own_code = own_code ? own_code : "";
    k->vals = vals;
    k->n = n;
    if (n < PT_KDE_MIN)
        return 0; /* k->why NULL: too few, see pt_report_kde_note */
    st = pt_stats_kernel_bandwidth(vals, n, g->sigma_pt, work, &k->h,
                                   &k->robust);
    if (st != PT_STATS_OK) {
        k->why = st == PT_STATS_ZERO_SCALE
                     ? pt_report_label_pick(c->lang, "結果全部相同",
                                            "all results are equal")
                     : pt_report_label_pick(c->lang, "無法決定頻寬",
                                            "no bandwidth");
        return 0;
    }
    if (isfinite(g->x_pt)) {
        k->x_pt = g->x_pt;
        if (isfinite(g->sigma_pt) && g->sigma_pt > 0) {
            k->band_sigma = 1;
            k->band_lo = g->x_pt - 2 * g->sigma_pt;
            k->band_hi = g->x_pt + 2 * g->sigma_pt;
        } else if (isfinite(g->u_x_pt) && g->u_x_pt > 0) {
            k->band_lo = g->x_pt - 2 * g->u_x_pt;
            k->band_hi = g->x_pt + 2 * g->u_x_pt;
        }
    }
    for (size_t i = 0; i < n; i++) {
        lo = vals[i] < lo ? vals[i] : lo;
        hi = vals[i] > hi ? vals[i] : hi;
    }
    if (isfinite(k->band_lo)) {
        lo = k->band_lo < lo ? k->band_lo : lo;
        hi = k->band_hi > hi ? k->band_hi : hi;
    }
    lo -= 3 * k->h;
    hi += 3 * k->h;
    for (size_t j = 0; j < PT_KDE_POINTS; j++)
        k->grid[j] = lo + (hi - lo) * (double)j / (PT_KDE_POINTS - 1);
    if (pt_stats_kernel_density(vals, n, k->h, k->grid, PT_KDE_POINTS,
                                k->f) != PT_STATS_OK) {
        k->why = pt_report_label_pick(c->lang, "無法計算", "not computable");
        return 0;
    }
    for (size_t j = 0; j < PT_KDE_POINTS; j++)
        k->fmax = k->f[j] > k->fmax ? k->f[j] : k->fmax;
    k->drawn = 1;
    return 1;
}

size_t pt_report_kde_rows(const pt_report_kde *k)
{
    return !k->drawn ? 0 : k->n > 2 ? k->n : 2;
}

void pt_report_kde_put_row(pt_report_sheet *sh, const pt_report_kde *k,
                           lxw_row_t data, size_t i)
{
    lxw_row_t r = data + (lxw_row_t)i;

    if (!k->drawn)
        return;
    if (i < 2) {
        double top = 1.05 * k->fmax;
        for (size_t j = 0; j < PT_KDE_POINTS; j++)
            pt_report_put_number(sh, r, (lxw_col_t)(K_GRID + j),
                                 i == 0 ? k->grid[j] : k->f[j], NULL);
        pt_report_put_number(sh, r, KV_XPT, k->x_pt, NULL);
        pt_report_put_number(sh, r, KV_LO, k->band_lo, NULL);
        pt_report_put_number(sh, r, KV_HI, k->band_hi, NULL);
        pt_report_put_number(sh, r, KV_OWN, k->own, NULL);
        pt_report_put_number(sh, r, KV_Y, i ? top : 0, NULL);
    }
    if (i < k->n) {
        pt_report_put_number(sh, r, K_RUG_X, k->vals[i], NULL);
        pt_report_put_number(sh, r, K_RUG_Y, 0, NULL);
    }
}

void pt_report_kde_note(const pt_report_ctx *c, const pt_report_kde *k,
                        const pt_report_group *g, char *buf, size_t n)
{
    const char *unit = g->unit ? g->unit : "";

    if (!k->drawn && !k->why)
        snprintf(buf, n,
                 c->lang == PT_REPORT_ZH_TW
                     ? "未繪核密度圖：%zu 筆結果（至少需 %d 筆）。"
                     : "No kernel density: %zu results (it needs %d or "
                       "more).",
                 k->n, PT_KDE_MIN);
    else if (!k->drawn)
        snprintf(buf, n,
                 c->lang == PT_REPORT_ZH_TW ? "未繪核密度圖：%s。"
                                            : "No kernel density: %s.",
                 k->why);
    else if (k->robust)
        snprintf(buf, n,
                 c->lang == PT_REPORT_ZH_TW
                     ? "核密度：常態核，頻寬 h = 0.9 min(SD, nIQR) n^(-1/5) "
                       "= %.3g %s（Silverman 穩健規則；本輪無 σ_pt），n = "
                       "%zu（ISO 13528 10.3）。"
                     : "Kernel density: normal kernel, bandwidth h = 0.9 "
                       "min(SD, nIQR) n^(-1/5) = %.3g %s (Silverman's robust "
                       "rule; no σ_pt in this round), n = %zu (ISO 13528 "
                       "10.3).",
                 k->h, unit, k->n);
    else
        snprintf(buf, n,
                 c->lang == PT_REPORT_ZH_TW
                     ? "核密度：常態核，頻寬 h = 0.75 σ_pt = %.3g %s（ISO "
                       "13528 10.3、E.6），n = %zu。"
                     : "Kernel density: normal kernel, bandwidth h = 0.75 "
                       "σ_pt = %.3g %s (ISO 13528 10.3, E.6), n = %zu.",
                 k->h, unit, k->n);
}

void pt_report_kde_chart(pt_report_sheet *sh, const pt_report_kde *k,
                         const pt_report_group *g, lxw_row_t at,
                         lxw_row_t data, const char *title)
{
    pt_report_ctx *c = sh->ctx;
    lxw_chart *ch = workbook_add_chart(c->wb, LXW_CHART_SCATTER_STRAIGHT);
    lxw_chart_series *s;
    char name[160];
    int16_t del[3] = {-1, -1, -1}, n_series = 0;
    const char *unit = g->unit ? g->unit : "";

    if (!ch) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory (chart)");
        return;
    }
    snprintf(name, sizeof name,
             c->lang == PT_REPORT_ZH_TW ? "核密度（h = %.3g %s）"
                                        : "Kernel density (h = %.3g %s)",
             k->h, unit);
    s = pt_report_chart_xy(sh, ch, data, K_GRID, data,
                           K_GRID + PT_KDE_POINTS - 1, data + 1, K_GRID,
                           data + 1, K_GRID + PT_KDE_POINTS - 1, name);
    if (s) {
        lxw_chart_line l;
        memset(&l, 0, sizeof l);
        l.color = 0x2E75B6;
        l.width = 2.0f;
        chart_series_set_line(s, &l);
        chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
    }
    n_series++;
    if (isfinite(k->x_pt)) {
        line(sh, ch, data, 2, KV_XPT, KV_Y, "x_pt", XPT_COLOUR, 2.0f, 0);
        n_series++;
    }
    if (isfinite(k->band_lo)) {
        line(sh, ch, data, 2, KV_LO, KV_Y,
             k->band_sigma ? "x_pt ± 2σ_pt" : "x_pt ± U(x_pt)",
             k->band_sigma ? BAND_COLOUR : 0x70AD47, 1.25f, 1);
        line(sh, ch, data, 2, KV_HI, KV_Y, "+", k->band_sigma
                                                    ? BAND_COLOUR
                                                    : 0x70AD47,
             1.25f, 1);
        del[0] = (int16_t)(n_series + 1);
        n_series += 2;
    }
    if (isfinite(k->own)) {
        snprintf(name, sizeof name, "%s%s", k->own_code,
                 pt_report_label_pick(c->lang, "（本室）", " (own)"));
        line(sh, ch, data, 2, KV_OWN, KV_Y, name, OWN_COLOUR, 2.25f, 0);
        n_series++;
    }
    points(sh, ch, data, k->n, K_RUG_X, K_RUG_Y,
           pt_report_label_pick(c->lang, "各結果", "Results"), DOT_COLOUR,
           LXW_CHART_MARKER_DIAMOND, 5);
    if (del[0] >= 0)
        chart_legend_delete_series(ch, del);
    round_axis(ch->x_axis, k->grid[0], k->grid[PT_KDE_POINTS - 1], 8);
    chart_axis_set_min(ch->y_axis, 0);
    chart_axis_set_name(ch->x_axis, unit);
    chart_axis_set_name(ch->y_axis,
                        pt_report_label_pick(c->lang, "機率密度",
                                             "Probability density"));
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    pt_report_chart_place(sh, ch, at, PT_CHART_COL, 1.45, PT_KDE_SCALE,
                          title);
}

/* ---- Youden plot ---- */

size_t pt_report_youden_partner(const pt_report_round *rd, size_t gi)
{
    size_t before = 0, last = (size_t)-1;
    const char *m = rd->groups[gi].measurand ? rd->groups[gi].measurand : "";

    for (size_t j = 0; j < gi; j++)
        if (strcmp(rd->groups[j].measurand ? rd->groups[j].measurand : "",
                   m) == 0) {
            before++;
            last = j;
        }
    return before % 2 == 1 ? last : (size_t)-1;
}

typedef struct coded {
    const char *lab;
    double value;
} coded;

static int cmp_coded(const void *a, const void *b)
{
    const coded *p = a, *q = b;

    return strcmp(p->lab, q->lab);
}

int pt_report_youden_prepare(pt_report_youden *y, pt_report_ctx *c,
                             const pt_report_round *rd, size_t ga, size_t gb,
                             const pt_report_row *rows, size_t n)
{
    const pt_report_group *a = &rd->groups[ga], *b = &rd->groups[gb];
    coded *second;
    size_t nb = 0;
    double s = 0;

    memset(y, 0, sizeof *y);
    y->own_x = y->own_y = NAN;
    y->x_pt1 = a->x_pt;
    y->x_pt2 = b->x_pt;
    y->sigma1 = a->sigma_pt;
    y->sigma2 = b->sigma_pt;
    second = malloc((n ? n : 1) * sizeof *second);
    y->x = malloc((n ? n : 1) * sizeof *y->x);
    y->y = malloc((n ? n : 1) * sizeof *y->y);
    if (!second || !y->x || !y->y) {
        free(second);
        pt_report_youden_free(y);
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (rows[i].group == gb && isfinite(rows[i].value) && rows[i].lab)
            second[nb++] = (coded){rows[i].lab, rows[i].value};
    qsort(second, nb, sizeof *second, cmp_coded);
    for (size_t i = 0; i < n; i++) {
        const pt_report_row *x = &rows[i];
        coded key, *hit;

        if (x->group != ga || !isfinite(x->value) || !x->lab)
            continue;
        key.lab = x->lab;
        hit = bsearch(&key, second, nb, sizeof *second, cmp_coded);
        if (!hit)
            continue;
        y->n++;
        if (x->own) {
            y->own_x = x->value;
            y->own_y = hit->value;
            y->own_code = x->lab;
        } else {
            y->x[y->n_other] = x->value;
            y->y[y->n_other++] = hit->value;
        }
    }
    free(second);
    if (y->n < PT_YOUDEN_MIN || !isfinite(y->x_pt1) || !isfinite(y->x_pt2))
        return 0;
    /* both axes span 2 S around their x_pt, S the largest distance of a
     * point or of the ±2 σ_pt box from it, and a tenth more */
    for (size_t i = 0; i < y->n_other; i++) {
        s = fabs(y->x[i] - y->x_pt1) > s ? fabs(y->x[i] - y->x_pt1) : s;
        s = fabs(y->y[i] - y->x_pt2) > s ? fabs(y->y[i] - y->x_pt2) : s;
    }
    if (isfinite(y->own_x)) {
        s = fabs(y->own_x - y->x_pt1) > s ? fabs(y->own_x - y->x_pt1) : s;
        s = fabs(y->own_y - y->x_pt2) > s ? fabs(y->own_y - y->x_pt2) : s;
    }
    if (isfinite(y->sigma1) && isfinite(y->sigma2)) {
        s = 2.5 * y->sigma1 > s ? 2.5 * y->sigma1 : s;
        s = 2.5 * y->sigma2 > s ? 2.5 * y->sigma2 : s;
    }
    if (!(s > 0))
        s = fabs(y->x_pt1) > 0 ? 0.01 * fabs(y->x_pt1) : 1;
    s *= 1.1;
    y->step = pt_report_round_width(2 * s / 8);
    {
        double lo1 = floor((y->x_pt1 - s) / y->step) * y->step,
               lo2 = floor((y->x_pt2 - s) / y->step) * y->step;
        double k1 = ceil((y->x_pt1 + s - lo1) / y->step),
               k2 = ceil((y->x_pt2 + s - lo2) / y->step);
        y->lo1 = lo1;
        y->lo2 = lo2;
        y->span = (k1 > k2 ? k1 : k2) * y->step;
    }
    y->drawn = 1;
    return 1;
}

size_t pt_report_youden_rows(const pt_report_youden *y)
{
    return !y->drawn ? 0 : y->n_other > 5 ? y->n_other : 5;
}

void pt_report_youden_put_row(pt_report_sheet *sh, const pt_report_youden *y,
                              lxw_row_t data, size_t i)
{
    lxw_row_t r = data + (lxw_row_t)i;

    if (!y->drawn)
        return;
    if (i < y->n_other) {
        pt_report_put_number(sh, r, YP_X, y->x[i], NULL);
        pt_report_put_number(sh, r, YP_Y, y->y[i], NULL);
    }
    if (i == 0) {
        pt_report_put_number(sh, r, YO_X, y->own_x, NULL);
        pt_report_put_number(sh, r, YO_Y, y->own_y, NULL);
    }
    if (i < 2) {
        double down = fmin(y->x_pt1 - y->lo1, y->x_pt2 - y->lo2),
               up = fmin(y->lo1 + y->span - y->x_pt1,
                         y->lo2 + y->span - y->x_pt2),
               d = i ? up : -down;
        pt_report_put_number(sh, r, YV_X, y->x_pt1, NULL);
        pt_report_put_number(sh, r, YV_Y, y->lo2 + (i ? y->span : 0), NULL);
        pt_report_put_number(sh, r, YH_X, y->lo1 + (i ? y->span : 0), NULL);
        pt_report_put_number(sh, r, YH_Y, y->x_pt2, NULL);
        pt_report_put_number(sh, r, YD_X, y->x_pt1 + d, NULL);
        pt_report_put_number(sh, r, YD_Y, y->x_pt2 + d, NULL);
    }
    if (i < 5 && isfinite(y->sigma1) && isfinite(y->sigma2)) {
        /* corners: lower left, lower right, upper right, upper left, and
         * back */
        static const int sx[5] = {-1, 1, 1, -1, -1}, sy[5] = {-1, -1, 1, 1,
                                                               -1};
        pt_report_put_number(sh, r, YB_X, y->x_pt1 + sx[i] * 2 * y->sigma1,
                             NULL);
        pt_report_put_number(sh, r, YB_Y, y->x_pt2 + sy[i] * 2 * y->sigma2,
                             NULL);
    }
}

#define YOUDEN_X_SCALE 1.0
#define YOUDEN_Y_SCALE 2.1

lxw_row_t pt_report_youden_chart_rows(void)
{
    return pt_report_chart_rows(YOUDEN_Y_SCALE);
}

lxw_row_t pt_report_youden_chart(pt_report_sheet *sh,
                                 const pt_report_youden *y,
                                 const pt_report_round *rd, size_t ga,
                                 size_t gb, lxw_row_t at, lxw_row_t data)
{
    pt_report_ctx *c = sh->ctx;
    const pt_report_group *a = &rd->groups[ga], *b = &rd->groups[gb];
    lxw_chart *ch = workbook_add_chart(c->wb, LXW_CHART_SCATTER);
    const char *m = a->measurand_name && *a->measurand_name
                        ? a->measurand_name
                        : a->measurand;
    const char *unit = a->unit ? a->unit : "";
    char title[512], name[160], axis[160];
    int16_t del[2] = {-1, -1}, n_series = 0;
    lxw_chart_series *s;

    if (!ch) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory (chart)");
        return 0;
    }
    if (y->n_other > 0) {
        points(sh, ch, data, y->n_other, YP_X, YP_Y,
               pt_report_label_pick(c->lang, "其他參加者",
                                    "Other participants"),
               DOT_COLOUR, LXW_CHART_MARKER_CIRCLE, 6);
        n_series++;
    }
    if (isfinite(y->own_x)) {
        lxw_chart_data_label one = {0}, *labels[2] = {&one, NULL};
        snprintf(name, sizeof name, "%s%s", y->own_code,
                 pt_report_label_pick(c->lang, "（本室）", " (own)"));
        s = points(sh, ch, data, 1, YO_X, YO_Y, name, OWN_COLOUR,
                   LXW_CHART_MARKER_DIAMOND, 10);
        if (s) {
            one.value = name;
            chart_series_set_labels(s);
            chart_series_set_labels_position(s,
                                             LXW_CHART_LABEL_POSITION_RIGHT);
            pt_report_sheet_check(sh, chart_series_set_labels_custom(s,
                                                                     labels),
                                  "chart labels");
        }
        n_series++;
    }
    line(sh, ch, data, 2, YV_X, YV_Y, "x_pt", XPT_COLOUR, 1.5f, 0);
    line(sh, ch, data, 2, YH_X, YH_Y, "x_pt", XPT_COLOUR, 1.5f, 0);
    del[0] = (int16_t)(n_series + 1);
    n_series += 2;
    line(sh, ch, data, 2, YD_X, YD_Y,
         pt_report_label_pick(c->lang, "斜率 1（系統誤差）",
                              "Slope 1 (systematic error)"),
         0x7F7F7F, 1.0f, 1);
    if (isfinite(y->sigma1) && isfinite(y->sigma2))
        line(sh, ch, data, 5, YB_X, YB_Y,
             pt_report_label_pick(c->lang, "±2σ_pt（|z| = 2）",
                                  "±2σ_pt (|z| = 2)"),
             BAND_COLOUR, 1.25f, 1);
    chart_legend_delete_series(ch, del);
    chart_axis_set_min(ch->x_axis, y->lo1);
    chart_axis_set_max(ch->x_axis, y->lo1 + y->span);
    chart_axis_set_major_unit(ch->x_axis, y->step);
    chart_axis_set_min(ch->y_axis, y->lo2);
    chart_axis_set_max(ch->y_axis, y->lo2 + y->span);
    chart_axis_set_major_unit(ch->y_axis, y->step);
    snprintf(axis, sizeof axis, "%s (%s)", a->item ? a->item : "", unit);
    chart_axis_set_name(ch->x_axis, axis);
    snprintf(axis, sizeof axis, "%s (%s)", b->item ? b->item : "",
             b->unit ? b->unit : "");
    chart_axis_set_name(ch->y_axis, axis);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    snprintf(title, sizeof title, "%s %s %s / %s — %s", rd->code, m,
             a->item ? a->item : "", b->item ? b->item : "",
             pt_report_label_pick(c->lang, "Youden 圖", "Youden plot"));
    pt_report_chart_place(sh, ch, at, PT_CHART_COL, YOUDEN_X_SCALE,
                          YOUDEN_Y_SCALE, title);
    return pt_report_youden_chart_rows();
}

void pt_report_youden_free(pt_report_youden *y)
{
    free(y->x);
    free(y->y);
    y->x = y->y = NULL;
}
