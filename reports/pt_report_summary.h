/*
 * pt_report_summary.h -- the first sheet of the audit workbook: who the
 * laboratory is, the period covered, and every one of its own results with
 * the assigned value, the scores and the verdict, one row each.
 */
#ifndef PT_REPORT_SUMMARY_H
#define PT_REPORT_SUMMARY_H

#include "pt_report_sheet.h"
#include "pt_report_sheetname.h"

/* Adds the summary sheet `name`; round_sheets[i] is the sheet name of round
 * i, for the links from each row to its round.  Failures are recorded in c. */
void pt_report_summary_write(
    pt_report_ctx *c, const char *name,
    const char (*round_sheets)[PT_REPORT_SHEETNAME_SIZE]);

#endif /* PT_REPORT_SUMMARY_H */
