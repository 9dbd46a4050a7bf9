/*
 * pt_report_audit.h -- the audit sheets of the workbook (Cover, Index, PT plan,
 * Rounds, Trend, Branch vs reference, Corrective actions, Measurement
 * uncertainty, Equipment and traceability, Method parameters) and what
 * they share: the fixed sheet names, links between sheets, a simple table
 * writer that keeps the house rules (fitted columns, heading row repeated
 * on every printed page, frozen panes, autofilter, a defined name) and the
 * score limits drawn on the charts.
 *
 * Every sheet writes its rows top to bottom, so that the workbook can be
 * written in libxlsxwriter's constant-memory mode.
 */
#ifndef PT_REPORT_AUDIT_H
#define PT_REPORT_AUDIT_H

#include <stddef.h>

#include "pt_report_sheet.h"
#include "pt_stats.h"

/* The fixed sheets, in workbook order; the round sheets follow. */
enum {
    PT_SHEET_COVER,
    PT_SHEET_INDEX,
    PT_SHEET_PLAN,
    PT_SHEET_SUBDISC,
    PT_SHEET_ROUNDS,
    PT_SHEET_RESULTS,
    PT_SHEET_TREND,
    PT_SHEET_COMPARE,
    PT_SHEET_CAPA,
    PT_SHEET_MU,
    PT_SHEET_EQUIPMENT,
    PT_SHEET_METHODS,
    PT_SHEET_ALL, /* All results, pt_report_all.h */
    PT_SHEET_FIXED
};

/* The name of fixed sheet `which` in the report's language (static). */
const char *pt_report_audit_sheet_name(pt_report_lang lang, int which);

/* Days since 1970-01-01 of an ISO date (time ignored); -1 if malformed. */
long pt_report_audit_day(const char *iso);

/* A link to cell A1 of sheet `target` showing `text` (plain text when the
 * sheet has no more room for links). */
void pt_report_put_link(pt_report_sheet *sh, lxw_row_t row, lxw_col_t col,
                        const char *text, const char *target);

/* A link showing the code of round i: to its sheet, or, when it has none,
 * to its first result on All results (plain text when the round has no
 * results there either). */
void pt_report_put_round_link(pt_report_sheet *sh, lxw_row_t row,
                              lxw_col_t col, size_t i);

/* The sheet's title across columns 0..last and, below it, a wrapped note
 * (rows 0 and 1). */
void pt_report_put_title(pt_report_sheet *sh, lxw_col_t last, const char *zh,
                         const char *en, const char *note);

/* A section heading across columns 0..last. */
void pt_report_put_section(pt_report_sheet *sh, lxw_row_t row, lxw_col_t last,
                           const char *zh, const char *en);

/* Defines the workbook name `name` for rows first..last, columns
 * 0..ncols-1 of the sheet ('Sheet'!$A$5:$H$20). */
void pt_report_define_range(pt_report_sheet *sh, const char *name,
                            lxw_row_t first, lxw_row_t last, lxw_col_t ncols);

/* A table: columns, a row writer and what to say when it is empty. */
typedef struct pt_report_table {
    const pt_report_column *cols;
    size_t n_cols;
    size_t n_rows;
    /* Writes (or measures) data row i at sheet row `row`; returns the lines
     * its tallest cell needs. */
    int (*put)(pt_report_sheet *sh, lxw_row_t row, size_t i, void *arg);
    void *arg;
    const char *empty_zh, *empty_en;
    const char *defined_name; /* workbook name of the data range, or NULL */
} pt_report_table;

/* Measures the table's data (sh->measuring must be set). */
void pt_report_table_measure(pt_report_sheet *sh, const pt_report_table *t);

/* Sets column widths for the table (after measuring); `widen_only` keeps
 * any wider width set before (a second table on the same columns). */
void pt_report_table_fit(pt_report_sheet *sh, const pt_report_table *t,
                         int widen_only);

/* Measures the n tables of a sheet and sets its column widths to fit them
 * all (the first sets them, the others only widen). */
void pt_report_tables_fit(pt_report_sheet *sh,
                          const pt_report_table *const t[], size_t n);

/* Writes the heading at `row` and the rows below it; with `primary`, the
 * heading is repeated on each printed page, panes are frozen below it and
 * it gets the sheet's autofilter.  Returns the first row after the table
 * (after the note when it is empty). */
lxw_row_t pt_report_table_write(pt_report_sheet *sh, lxw_row_t row,
                                const pt_report_table *t, int primary);

/* The score's value by pt_report_row.primary ("z", "z'", "zeta", "En");
 * NAN when not scored. */
double pt_report_primary_value(const pt_report_row *x);

/* Non-zero when the primary score is En (limits ±1, else ±2/±3). */
int pt_report_primary_is_en(const pt_report_row *x);

/* Appends s to the "; "-separated list in buf[n] unless it is already
 * one of its items; a list that is full is left as it is. */
void pt_report_join_distinct(char *buf, size_t n, const char *s);

/* Where year `year` of plan row p stands: its cycle (the year, or
 * ceil(1/per_year) years from year_from when per_year < 1), the rounds
 * required in the cycle and those taken in it.  Returns SATISFACTORY
 * (met), QUESTIONABLE (due by the end of a cycle that has begun),
 * UNSATISFACTORY (gap: the cycle ended before current_year short of
 * rounds) or NONE (planned). */
typedef struct pt_report_plan_cycle {
    int from, to;
    unsigned required;
    unsigned taken; /* in the cycle up to `year` */
    unsigned total; /* in the whole cycle (decides the status) */
} pt_report_plan_cycle;

pt_report_verdict pt_report_plan_status(const pt_report_plan *p, int year,
                                        int current_year,
                                        pt_report_plan_cycle *out /* OUT */);

/* The plan row (sub-discipline) own row x counts for, as the plan counts
 * rounds (scheme, measurand prefix, method prefix); -1 when none. */
long pt_report_subdiscipline(const pt_report *r, const pt_report_row *x);

/* The trend rules that fire at a point, in words ("" when none). */
void pt_report_rules_text(pt_report_lang lang, const pt_trend_point *p,
                          char *buf /* OUT */, size_t n);

/* The plan status v of a year (pt_report_plan_status, its cycle cy) in
 * words: "Met", "Gap", "Due in 2026", "Planned". */
void pt_report_plan_status_text(pt_report_lang lang, pt_report_verdict v,
                                const pt_report_plan_cycle *cy,
                                char *buf /* OUT */, size_t n);

/* The trigger of action a in the report's language: ptlims's own words
 * ("z = +2.31, questionable", "plan gap: …") translated, a trigger
 * written by hand as recorded.  Always NUL-terminates buf. */
void pt_report_capa_trigger(const pt_report_ctx *c, const pt_report_capa *a,
                            char *buf /* OUT */, size_t n);

/* The fixed audit sheets, in the order of the enum above. */
void pt_report_cover_write(pt_report_ctx *c);
void pt_report_index_write(pt_report_ctx *c);
void pt_report_plan_write(pt_report_ctx *c);
void pt_report_subdisc_write(pt_report_ctx *c);
void pt_report_rounds_write(pt_report_ctx *c);
void pt_report_trend_write(pt_report_ctx *c);
void pt_report_compare_write(pt_report_ctx *c);
void pt_report_capa_write(pt_report_ctx *c);
void pt_report_mu_write(pt_report_ctx *c);
void pt_report_equipment_write(pt_report_ctx *c);
void pt_report_methods_write(pt_report_ctx *c);

#endif /* PT_REPORT_AUDIT_H */
