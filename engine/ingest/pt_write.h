/*
 * pt_write.h -- the one path by which a result enters the record.
 *
 * Every write of a result -- a row of an imported file, a structured call
 * of a LIMS, a correction, a record applied from another site -- goes
 * through pt_writer_result, which checks it through its scheme (unit
 * table, range, the scheme's own checks, conditions), inserts it and its
 * conditions, assesses it (method scope, replicates, conformity with the
 * limit in force) and records it for its group's pack.  pt_writer_finish
 * writes the packs and hands the new rows to the operation's seals; the
 * operation then commits its seals with its audit entry.
 *
 * The invariants of the record and the function that keeps each:
 *   - every result has a pack entry:        pt_writer_result, pt_packs_commit
 *   - every result has a conformity row:    pt_writer_result (pt_assess)
 *   - every result is under a seal:         pt_writer_finish, pt_seals_commit
 *   - every write is in the audit chain:    pt_seals_commit
 *   - no result of a closed round changes:  pt_writer_result and the
 *                                           triggers of schema 004
 *   - a value is its text converted once:   pt_check_result
 */
#ifndef PT_WRITE_H
#define PT_WRITE_H

#include <stddef.h>

#include "lims_plugin.h"
#include "pt_seal.h"

/* The fields of a result as reported.  Texts; NULL or "" where not
 * given.  Strings are the caller's and need to live only during the
 * call. */
typedef struct pt_result_fields {
    const char *round, *lab, *measurand;
    const char *item; /* NULL: "1" */
    const char *value, *unit, *U, *k;
    const char *method, *instrument, *analyst, *tested_on, *remarks;
    const lims_condition_value *conditions;
    size_t n_conditions;
    unsigned version;   /* 0 or 1: a new result; n: version n of it */
    const char *reason; /* why version n > 1 was recorded (required) */
    const char *source; /* where it came from: "file.csv:12", … */
    /* a value already converted elsewhere (a record from another site):
     * refused unless the text gives exactly this number; NAN: none */
    double expect_value;
    /* the score the provider reported for this result, as text, and which
     * score it is ("z", "z'", "zeta" or "En"); NULL or "": not reported */
    const char *official_score, *official_kind;
} pt_result_fields;

/* The field a refusal is about, so that the caller can name its place. */
typedef enum pt_field {
    PT_FIELD_NONE, PT_FIELD_ROUND, PT_FIELD_LAB, PT_FIELD_MEASURAND,
    PT_FIELD_ITEM, PT_FIELD_VALUE, PT_FIELD_UNIT, PT_FIELD_U, PT_FIELD_K,
    PT_FIELD_METHOD, PT_FIELD_INSTRUMENT, PT_FIELD_ANALYST,
    PT_FIELD_TESTED_ON, PT_FIELD_REMARKS, PT_FIELD_CONDITION,
    PT_FIELD_VERSION, PT_FIELD_REASON, PT_FIELD_OFFICIAL_SCORE,
    PT_FIELD_OFFICIAL_KIND
} pt_field;

/* Where a refusal is: the field, and for PT_FIELD_CONDITION the index of
 * the condition. */
typedef struct pt_refusal {
    pt_field field;
    size_t condition;
} pt_refusal;

typedef struct pt_writer pt_writer;

/* A writer for one operation, inside the caller's transaction; warnings
 * about results (scope, replicates) go to warn(ctx, msg).  NULL on failure
 * (err; *rc the status). */
pt_writer *pt_writer_new(lims_instance *inst,
                         void (*warn)(void *ctx, const char *msg), void *ctx,
                         lims_status *rc, char *err, size_t errlen);

/* Check, insert and assess one result.  LIMS_ERR_INPUT or LIMS_ERR_STATE
 * with a message that names no place and *where set; *id (may be NULL)
 * gets the new row's id. */
lims_status pt_writer_result(pt_writer *w, const pt_result_fields *r,
                             pt_refusal *where, long long *id, char *err,
                             size_t errlen);

/* The number of results written so far. */
unsigned long pt_writer_count(const pt_writer *w);

/* Write the packs of the groups written to and mark the new rows for the
 * operation's seals. */
lims_status pt_writer_finish(pt_writer *w, pt_seals *seals, char *err,
                             size_t errlen);

void pt_writer_free(pt_writer *w);

/* The name of a field, as a column of a results file ("U", "tested_on"). */
const char *pt_field_name(pt_field f);

#endif /* PT_WRITE_H */
