/*
 * pt_assess.h -- what is checked about a result once it is recorded: is
 * the value inside its method's scope, do its replicates agree within the
 * method's repeatability r, and does it conform to the limit in force on
 * its test date (ISO 4259-2 where the method has a reproducibility R).
 * Warnings are stored with the result; conformity in the conformity
 * table.  A result outside its method's scope is warned with the scope
 * and its edition, and its conformity is qualified "method out of scope"
 * rather than stated plainly.
 */
#ifndef PT_ASSESS_H
#define PT_ASSESS_H

#include <sqlite3.h>

#include "lims_plugin.h"

typedef struct pt_assess pt_assess;

/* Statements are prepared once per operation: LIMS_OK and *out, or the
 * status and err. */
lims_status pt_assess_new(sqlite3 *db, pt_assess **out /* OUT */, char *err,
                          size_t errlen);
void pt_assess_free(pt_assess *a);

typedef struct pt_assess_in {
    const lims_plugin *scheme;
    long long result_id;
    const char *measurand;
    const char *matrix; /* the round's product, or NULL */
    const lims_condition_value *conditions;
    size_t n_conditions;
    double value, U;    /* canonical unit */
    double scale;       /* canonical = reported * scale */
    const char *method; /* as reported */
    const char *date;   /* when tested (limits in force then) */
} pt_assess_in;

/* Check and store.  Each warning is also passed to warn(ctx, message) so
 * the caller can show it.  Returns LIMS_OK or a database error. */
lims_status pt_assess_result(pt_assess *a, const pt_assess_in *in,
                             void (*warn)(void *ctx, const char *msg),
                             void *ctx, char *err, size_t errlen);

/* Judges again, under the method and limit data now in the database,
 * every result of `scheme` waiting in conformity_pending (schema 008
 * queues the results recorded before it; a laboratory that changes its
 * method or limit data queues the results to judge again the same way);
 * the results of other schemes keep waiting for theirs.  A result whose
 * judgement changes gets an audit entry ("rejudge") saying what changed,
 * its former conformity row is kept in conformity_history with that
 * entry's id, and new warnings are added.  One transaction (a savepoint
 * inside the caller's).  *changed (may be NULL): results whose judgement
 * changed.  LIMS_OK or a status. */
lims_status pt_assess_rejudge(sqlite3 *db, const lims_plugin *scheme,
                              long long *changed /* OUT */, char *err,
                              size_t errlen);

#endif /* PT_ASSESS_H */
