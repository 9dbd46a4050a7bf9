/*
 * pt_report_roundchart.h -- the graphics of a round's sheet (ISO/IEC 17043
 * reports show them): per measurand and item, every participant's primary
 * score sorted, as a bar chart with the workbook laboratory's bar
 * highlighted, each result ± U around x_pt ± U(x_pt), the kernel density
 * of the results, a histogram of the results, and for paired items a
 * Youden plot (pt_report_roundplot.h).  The data the charts are drawn
 * from are written as tables below the results, participants by code
 * only.  Each chart is printed whole on one page.
 */
#ifndef PT_REPORT_ROUNDCHART_H
#define PT_REPORT_ROUNDCHART_H

#include <stddef.h>

#include "pt_report_sheet.h"

/* Writes the chart data of the round's n rows from sheet row `row` on
 * (below everything else on the sheet) and inserts the charts.  Failures
 * are recorded in sh->ctx. */
void pt_report_round_charts(pt_report_sheet *sh, size_t round, lxw_row_t row,
                            const pt_report_row *rows, size_t n);

/* Bins of a histogram of n values: k equal bins of *width from *lo (the
 * last one closed).  The width is 1, 2, 2.5 or 5 times a power of ten, at
 * least sigma / 2 (without a sigma: the range over ceil(sqrt(n)) bounded
 * to 3..20) and a twentieth of the range, and a whole number of the
 * data's resolution res (0: none); *lo is a multiple of it; k <= 20.
 * When all values are equal the bins are centred on the value.  Returns
 * k. */
int pt_report_histogram_bins(const double *v, size_t n, double sigma,
                             double res, double *lo /* OUT */,
                             double *width /* OUT */);

#endif /* PT_REPORT_ROUNDCHART_H */
