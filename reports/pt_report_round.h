/*
 * pt_report_round.h -- round sheets of the audit workbook: what the round
 * was, how each assigned value and σ_pt were set and why that scoring was
 * used, and every participant's result (by code) with its scores, the
 * workbook laboratory's own rows highlighted.  This is the ISO/IEC 17043
 * picture of the round that an assessor checks the laboratory's verdicts
 * against.
 *
 * Also here: which rounds get a sheet (pt_report.h states the rule) and
 * where a round's rows come from (the caller's pt_report_source, or
 * pt_report.rows when the record is in memory).
 */
#ifndef PT_REPORT_ROUND_H
#define PT_REPORT_ROUND_H

#include <stddef.h>

#include "pt_report_sheet.h"

/* Why a round has a sheet of its own, or why not. */
typedef enum pt_report_round_why {
    PT_ROUND_NO_SHEET = 0,    /* its results are on All results only */
    PT_ROUND_NO_SHEET_SIGNAL, /* a signal, but the sheets ran out */
    PT_ROUND_SHEET_EVERY,     /* every round has a sheet */
    PT_ROUND_SHEET_RECENT,    /* among the most recent rounds */
    PT_ROUND_SHEET_SIGNAL,    /* a questionable or unsatisfactory own result */
    PT_ROUND_SHEET_FILL       /* recent, filling the sheets left */
} pt_report_round_why;

/* Fills c->order and c->round_start so that each round's rows of r->rows
 * can be visited in order without scanning all rows.  Returns 0, or -1
 * with the failure recorded in c.  Free with pt_report_round_index_free()
 * (which also frees what pt_report_round_select() and
 * pt_report_round_rows() allocate). */
int pt_report_round_index(pt_report_ctx *c);
void pt_report_round_index_free(pt_report_ctx *c);

/* Decides which rounds get a sheet (c->why, c->n_round_sheets ...).
 * Returns 0, or -1 with the failure recorded in c. */
int pt_report_round_select(pt_report_ctx *c);

/* Non-zero when round i has a sheet of its own. */
int pt_report_round_has_sheet(const pt_report_ctx *c, size_t i);

/* The rows of round i, every participant's, in the order to show: from
 * r->source, or from r->rows (needs the index).  *rows stays valid until
 * the next call.  Returns 0, or -1 with the failure recorded in c. */
int pt_report_round_rows(pt_report_ctx *c, size_t i,
                         const pt_report_row **rows /* OUT */,
                         size_t *n /* OUT */);

/* "C07（臺中分局電氣及化學實驗室）" for the workbook's laboratory, the code
 * alone for everyone else. */
void pt_report_participant_text(const pt_report_ctx *c, const pt_report_row *x,
                                char *buf /* OUT */, size_t n);

/* The score cells of result x in the eight columns from `first` on: D,
 * D %, z, z', zeta, En, the score that carries the verdict and the
 * verdict; cols describes the sheet's columns (their formats for the
 * workbook's laboratory's rows and for the others). */
void pt_report_put_scores(pt_report_sheet *sh, lxw_row_t row,
                          lxw_col_t first, const pt_report_column *cols,
                          const pt_report_row *x);

/* Adds the sheet `name` for round r->rounds[i] with its n rows.  Failures
 * are recorded in c. */
/* An official value or score against ptlims's: "agrees (8.269 → 8.27)"
 * or "differs beyond rounding: recomputed 2.308 → 2.31", the recomputed
 * value rounded to the official's decimals (pt_stats_agrees_rounded
 * decides; `agrees` is its answer).  Always NUL-terminates buf. */
void pt_report_official_text(pt_report_lang lang, const char *official,
                             double recomputed, int agrees,
                             char *buf /* OUT */, size_t n);

/* The style of that text: the satisfactory colour when it agrees, the
 * unsatisfactory one when it differs, plain when not compared. */
lxw_format *pt_report_official_format(const pt_report_ctx *c, int agrees);

void pt_report_round_write(pt_report_ctx *c, size_t i, const char *name,
                           const pt_report_row *rows, size_t n);

#endif /* PT_REPORT_ROUND_H */
