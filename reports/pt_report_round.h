/*
 * pt_report_round.h -- one sheet per round of the audit workbook: what the
 * round was, how each assigned value and σ_pt were set and why that scoring
 * was used, and every participant's result (by code) with its scores, the
 * workbook laboratory's own rows highlighted.  This is the ISO/IEC 17043
 * picture of the round that an assessor checks the laboratory's verdicts
 * against.
 */
#ifndef PT_REPORT_ROUND_H
#define PT_REPORT_ROUND_H

#include <stddef.h>

#include "pt_report_sheet.h"

/* Fills c->order and c->round_start so that each round's rows can be
 * visited in order without scanning all rows.  Returns 0, or -1 with the
 * failure recorded in c.  Free with pt_report_round_index_free(). */
int pt_report_round_index(pt_report_ctx *c);
void pt_report_round_index_free(pt_report_ctx *c);

/* Adds the sheet `name` for round r->rounds[i] (needs the index).  Failures are
 * recorded in c. */
void pt_report_round_write(pt_report_ctx *c, size_t i, const char *name);

#endif /* PT_REPORT_ROUND_H */
