/*
 * pt_report_summary.h -- the first sheet of the audit workbook: who the
 * laboratory is, the period covered, and every one of its own results with
 * the assigned value, the scores and the verdict, one row each.
 */
#ifndef PT_REPORT_SUMMARY_H
#define PT_REPORT_SUMMARY_H

#include "pt_report_sheet.h"

/* Adds the summary sheet; each row's round code links to the round's sheet
 * (or its results on All results).  Failures are recorded in c. */
void pt_report_summary_write(pt_report_ctx *c);

#endif /* PT_REPORT_SUMMARY_H */
