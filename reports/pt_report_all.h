/*
 * pt_report_all.h -- the "All results" sheet: every participant's result of
 * every round, by code, one row each, with the group's x_pt, u(x_pt) and
 * σ_pt and the scores; the workbook laboratory's rows highlighted.  The
 * technical record behind the round sheets (ISO/IEC 17025 7.5), and the
 * only place of the participants' results of a round without a sheet.
 *
 * The rows are written as they come, round by round
 * (pt_report_round_rows()), with no pass over them before: a million
 * results never need to be in memory.  A sheet holds at most
 * c->sheet_rows results (what Excel allows, or pt_report.max_sheet_rows);
 * the rest continue on "All results (2)", "(3)" ..., each sheet saying
 * which results it holds and where they go on.
 */
#ifndef PT_REPORT_ALL_H
#define PT_REPORT_ALL_H

#include <stddef.h>

#include "pt_report_sheet.h"

/* Sets c->n_results, c->sheet_rows and c->n_all_sheets from the report. */
void pt_report_all_plan(pt_report_ctx *c);

/* The name of sheet k (0, 1, ...) of All results in the report's language:
 * the fixed name for 0, "… (2)" for 1 and so on. */
void pt_report_all_name(pt_report_lang lang, size_t k,
                        char out[PT_REPORT_SHEETNAME_SIZE] /* OUT */);

/* Writes All results and records where each round's first result is
 * (c->all_sheet, c->all_row); tells r->progress as it goes.  Failures are
 * recorded in c. */
void pt_report_all_write(pt_report_ctx *c);

#endif /* PT_REPORT_ALL_H */
