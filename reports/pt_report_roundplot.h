/*
 * pt_report_roundplot.h -- the distribution graphics of a round's sheet
 * beside the sorted scores (pt_report_roundchart.c): the kernel density of
 * the results (ISO 13528:2022 10.3) and the Youden plot of paired items
 * (10.5).  Each is prepared from the round's rows, writes the cells its
 * chart is drawn from row by row (the sheet is streamed: rows in order),
 * then inserts the chart.  The cells are in hidden columns from
 * PT_PLOT_FIRST_COL on, outside the print area.
 */
#ifndef PT_REPORT_ROUNDPLOT_H
#define PT_REPORT_ROUNDPLOT_H

#include <stddef.h>

#include "pt_report_sheet.h"

/* The first hidden column the plots below use, and the last. */
#define PT_PLOT_FIRST_COL 40
#define PT_KDE_POINTS 121 /* grid points of a density curve */
#define PT_PLOT_LAST_COL (PT_PLOT_FIRST_COL + 19 + PT_KDE_POINTS)

/* A kernel density plot needs this many results. */
#define PT_KDE_MIN 5

/* A Youden plot needs this many participants with results on both items. */
#define PT_YOUDEN_MIN 5

/* The column the charts start in (beside the chart data), and how far
 * below the top of their first row they start, in pixels: a chart whose
 * border lay on a page break would print a line on the page above. */
#define PT_CHART_COL 8
#define PT_CHART_Y_OFFSET 4

/* Rows of 15 pt (20 px) a chart of y_scale default heights (288 px)
 * takes on the sheet, with one row of space below it. */
lxw_row_t pt_report_chart_rows(double y_scale);

/* A scatter series of the sheet's cells: x from rows xr..xr2 of columns
 * xc..xc2, y likewise (a column or a row of cells each). */
lxw_chart_series *pt_report_chart_xy(pt_report_sheet *sh, lxw_chart *ch,
                                     lxw_row_t xr, lxw_col_t xc,
                                     lxw_row_t xr2, lxw_col_t xc2,
                                     lxw_row_t yr, lxw_col_t yc,
                                     lxw_row_t yr2, lxw_col_t yc2,
                                     const char *name);

/* Gives ch its title (bold, 10 pt) and inserts it at row `at`, column col,
 * scaled; it moves with its cells but keeps its size. */
void pt_report_chart_place(pt_report_sheet *sh, lxw_chart *ch, lxw_row_t at,
                           lxw_col_t col, double x_scale, double y_scale,
                           const char *title);

/* 1, 2, 2.5 or 5 times a power of ten, at least w. */
double pt_report_round_width(double w);

/* The kernel density of one measurand x item. */
typedef struct pt_report_kde {
    int drawn;        /* 0: no plot (see why) */
    const char *why;  /* the reason in the report's language, when !drawn */
    double h;         /* bandwidth */
    int robust;       /* 1: Silverman's rule, 0: 0.75 sigma_pt */
    double grid[PT_KDE_POINTS], f[PT_KDE_POINTS], fmax;
    double x_pt, band_lo, band_hi; /* NAN when not known */
    int band_sigma;   /* 1: x_pt ± 2 σ_pt, 0: x_pt ± U(x_pt) */
    double own;       /* the own result, NAN when none */
    const char *own_code; /* its participant code */
    const double *vals; /* the results (the caller's, kept for the rug) */
    size_t n;
} pt_report_kde;

/* Prepares the density of the n results vals (finite) of group g; own is
 * the workbook laboratory's result or NAN, own_code its code.  work[n].
 * Returns k->drawn. */
int pt_report_kde_prepare(pt_report_kde *k, const pt_report_ctx *c,
                          const pt_report_group *g, const double *vals,
                          size_t n, double own, const char *own_code,
                          double *work);

/* Rows the density's cells need from the data row on. */
size_t pt_report_kde_rows(const pt_report_kde *k);

/* Writes row data + i of the density's cells. */
void pt_report_kde_put_row(pt_report_sheet *sh, const pt_report_kde *k,
                           lxw_row_t data, size_t i);

/* Inserts the density chart at row `at` (its cells from row data on). */
void pt_report_kde_chart(pt_report_sheet *sh, const pt_report_kde *k,
                         const pt_report_group *g, lxw_row_t at,
                         lxw_row_t data, const char *title);

/* The rule stated under the chart's data, in the report's language. */
void pt_report_kde_note(const pt_report_ctx *c, const pt_report_kde *k,
                        const pt_report_group *g, char *buf, size_t n);

/* A Youden plot of two items of one measurand. */
typedef struct pt_report_youden {
    int drawn;
    size_t n;          /* participants with both results */
    double *x, *y;     /* n pairs, the own one excluded (malloc'd) */
    size_t n_other;
    double own_x, own_y; /* NAN when the laboratory has no pair */
    const char *own_code;
    double x_pt1, x_pt2, sigma1, sigma2;
    double lo1, lo2, span, step; /* both axes span `span` */
} pt_report_youden;

/* The group paired with group gi as its first item, or (size_t)-1: the
 * items of one measurand pair up two by two in the order of the round's
 * groups, and gi is the second of its pair. */
size_t pt_report_youden_partner(const pt_report_round *rd, size_t gi);

/* Prepares the Youden plot of groups ga (x) and gb (y) from the round's n
 * rows.  Returns y->drawn (n >= PT_YOUDEN_MIN and both x_pt known);
 * -1 when out of memory (recorded in c). */
int pt_report_youden_prepare(pt_report_youden *y, pt_report_ctx *c,
                             const pt_report_round *rd, size_t ga, size_t gb,
                             const pt_report_row *rows, size_t n);

/* Rows its cells need from the data row on. */
size_t pt_report_youden_rows(const pt_report_youden *y);

/* Writes row data + i of its cells. */
void pt_report_youden_put_row(pt_report_sheet *sh, const pt_report_youden *y,
                              lxw_row_t data, size_t i);

/* Inserts the chart at row `at`; returns the rows it takes. */
lxw_row_t pt_report_youden_chart(pt_report_sheet *sh,
                                 const pt_report_youden *y,
                                 const pt_report_round *rd, size_t ga,
                                 size_t gb, lxw_row_t at, lxw_row_t data);

/* Rows the Youden chart takes on the sheet. */
lxw_row_t pt_report_youden_chart_rows(void);

/* The kernel density chart's height, in default chart heights. */
#define PT_KDE_SCALE 1.2

void pt_report_youden_free(pt_report_youden *y);

#endif /* PT_REPORT_ROUNDPLOT_H */
