/*
 * pt_core.h -- the engine instance behind the ABI and the engine's
 * functions, one per lims_engine member (engine/abi/pt_engine.c builds the
 * table).
 *
 * A scheme supplies only its knowledge (measurands, units, checks, limit
 * keys, evaluation policy) in its lims_plugin descriptor; the host gives
 * the instance every scheme it loaded (scheme_add), and each row is checked
 * and evaluated by the scheme its round names.
 */
#ifndef PT_CORE_H
#define PT_CORE_H

#include <locale.h>
#include <sqlite3.h>

#include "lims_plugin.h"

struct lims_instance {
    lims_services svc; /* the host's table, zero-extended to our size */
    const lims_plugin **schemes; /* given by scheme_add */
    size_t n_schemes, cap_schemes;
    sqlite3 *db;
    locale_t c_locale; /* "C" numbers for the calling thread */
};

/* The engine's functions (see lims_engine in lims_plugin.h). */
lims_status pt_core_open(const lims_services *svc, lims_instance **out,
                         char *err, size_t errlen);
void pt_core_close(lims_instance *inst);
lims_status pt_core_scheme_add(lims_instance *inst, const lims_plugin *p,
                               char *err, size_t errlen);
lims_status pt_core_laboratory_add(lims_instance *inst,
                                   const lims_laboratory *l, char *err,
                                   size_t errlen);
lims_status pt_core_round_add(lims_instance *inst, const lims_round *r,
                              char *err, size_t errlen);
lims_status pt_core_result_add(lims_instance *inst, const lims_result *r,
                               char *err, size_t errlen);
lims_status pt_core_import_csv(lims_instance *inst, const char *path,
                               lims_import_summary *out, char *err,
                               size_t errlen);
lims_status pt_core_evaluate_round(lims_instance *inst, const char *round,
                                   lims_eval_summary *out, char *err,
                                   size_t errlen);
lims_status pt_core_scores(lims_instance *inst, const char *lab,
                           lims_score_cb cb, void *ctx, char *err,
                           size_t errlen);
lims_status pt_core_write_report(lims_instance *inst,
                                 const lims_report_request *req, char *err,
                                 size_t errlen);
lims_status pt_core_compare(lims_instance *inst, const char *lab,
                            const char *ref, const char *measurand,
                            unsigned window, lims_compare_cb cb, void *ctx,
                            char *err, size_t errlen);

/* The trend of one compare series (pt_compare.c), shared by `compare`
 * and the workbook's Branch vs reference sheet so the two cannot
 * disagree.  pt_compare_trend_add: 1 when row starts a new series (the
 * trend was restarted; rows of a series are consecutive), then row's
 * en_mean, signals (of the last `window` rows, window <= 64, whose
 * `signal` was non-zero) and same_sign_run are set. */
typedef struct pt_compare_trend {
    char *series; /* measurand, matrix and technique of the last row */
    double en_sum;
    unsigned en_n;
    unsigned char hist[64];
    unsigned hist_n;
    int run;
    int nomem;
} pt_compare_trend;
int pt_compare_trend_add(pt_compare_trend *t, lims_compare_row *row,
                         unsigned window, int signal);
void pt_compare_trend_free(pt_compare_trend *t);

/* The participation plan and the corrective-action register
 * (pt_plan.c, pt_capa.c; see lims_plugin.h). */
lims_status pt_core_plan_add(lims_instance *inst, const lims_plan_entry *e,
                             long long *id, char *err, size_t errlen);
lims_status pt_core_plans(lims_instance *inst, const char *lab,
                          lims_plan_cb cb, void *ctx, char *err,
                          size_t errlen);
lims_status pt_core_capa_add(lims_instance *inst, const lims_capa_entry *e,
                             long long *id, char *err, size_t errlen);
lims_status pt_core_capa_close(lims_instance *inst, long long id,
                               const char *closed, const char *verified_by,
                               char *err, size_t errlen);
lims_status pt_core_capas(lims_instance *inst, const char *lab,
                          lims_capa_cb cb, void *ctx, char *err,
                          size_t errlen);

/* The record's life: reopen a round, amend a round or a laboratory
 * (pt_amend.c; see lims_plugin.h). */
lims_status pt_core_reopen_round(lims_instance *inst, const char *round,
                                 const char *reason, const char *by,
                                 char *err, size_t errlen);
lims_status pt_core_amend(lims_instance *inst, const lims_amendment *a,
                          char *err, size_t errlen);

/* Looking at the record (pt_look.c; see lims_plugin.h). */
lims_status pt_core_look(lims_instance *inst, const lims_look_request *r,
                         lims_look_cb cb, void *ctx, char *err,
                         size_t errlen);

/* lims_plugin.transaction */
lims_status pt_core_transaction(lims_instance *inst, lims_tx op, char *err,
                                size_t errlen);

/* The scheme `id` given to the instance, or NULL. */
const lims_plugin *pt_core_scheme(const lims_instance *inst, const char *id);

/* The measurand `id` of plug-in `p`, or NULL. */
const lims_measurand *pt_core_measurand(const lims_plugin *p, const char *id);

/* Log a message through the host (nothing when it has no log). */
void pt_core_log(const lims_instance *inst, lims_log_level level,
                 const char *msg);

/* Non-zero when the host asks to stop. */
int pt_core_cancelled(const lims_instance *inst);

/* Multi-site consolidation (pt_sync.c; see lims_plugin.h). */
lims_status pt_core_sync_export(lims_instance *inst,
                                const lims_sync_request *req,
                                lims_sync_summary *out, char *err,
                                size_t errlen);
lims_status pt_core_sync_apply(lims_instance *inst,
                               const lims_sync_request *req,
                               lims_sync_conflict_cb cb, void *ctx,
                               lims_sync_summary *out, char *err,
                               size_t errlen);

/* Integrity: verify, close a round, correct a result (pt_integrity.c;
 * see lims_plugin.h). */
lims_status pt_core_verify(lims_instance *inst, lims_verify_summary *out,
                           char *err, size_t errlen);
lims_status pt_core_close_round(lims_instance *inst, const char *round,
                                char *err, size_t errlen);
lims_status pt_core_correct_result(lims_instance *inst,
                                   const lims_correction *c,
                                   unsigned *version, char *err,
                                   size_t errlen);

/* Version string of the statistics engine, stored with evaluations. */
#define PT_CORE_ENGINE "ptlims " PTLIMS_VERSION " ISO 13528:2022"

#endif /* PT_CORE_H */
