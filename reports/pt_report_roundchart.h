/*
 * pt_report_roundchart.h -- the graphics of a round's sheet (ISO/IEC 17043
 * reports show them): per measurand and item, every participant's primary
 * score sorted, as a bar chart with the workbook laboratory's bar
 * highlighted, and a histogram of the results.  The data the charts are
 * drawn from are written as tables below the results, participants by
 * code only.
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

/* Bins of a histogram of n values: k equal bins from lo to hi (the last one
 * closed); k is ceil(sqrt(n)) bounded to 3..20.  When all values are equal
 * the bins are centred on the value.  Returns k. */
int pt_report_histogram_bins(const double *v, size_t n, double *lo /* OUT */,
                             double *width /* OUT */);

#endif /* PT_REPORT_ROUNDCHART_H */
