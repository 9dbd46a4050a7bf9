/*
 * pt_core.h -- what every scheme plug-in shares: the instance behind the
 * ABI, CSV import, round evaluation, score listing and the workbook.
 *
 * A scheme plug-in supplies only its knowledge (measurands, units, range
 * checks, evaluation policy) in its lims_plugin descriptor; the generic
 * work lives here and is linked privately into each plug-in.  Rows of
 * another scheme are checked by that scheme's plug-in, found through the
 * host's find_scheme service.
 */
#ifndef PT_CORE_H
#define PT_CORE_H

#include <locale.h>
#include <sqlite3.h>

#include "lims_plugin.h"

struct lims_instance {
    const lims_plugin *self;
    lims_services svc; /* the host's table, zero-extended to our size */
    sqlite3 *db;
    locale_t c_locale; /* "C" numbers for the calling thread */
};

/* The ABI functions, shared by every plug-in (see lims_plugin.h). */
lims_status pt_core_open(const lims_plugin *self, const lims_services *svc,
                         lims_instance **out, char *err, size_t errlen);
void pt_core_close(lims_instance *inst);
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

/* The evaluation rules for schemes whose rounds are usually small:
 * consensus from 12 results, σ_pt from the round from 11 (where |z| >= 3
 * becomes reachable), "|En| <= 1 satisfactory". */
void pt_core_policy(lims_policy *out);

/* lims_plugin.transaction */
lims_status pt_core_transaction(lims_instance *inst, lims_tx op, char *err,
                                size_t errlen);

/* The plug-in for scheme `id`: this one, or one the host has loaded with
 * the same ABI major version; NULL when none. */
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

/*
 * Define the plug-in's open() and the descriptor's generic members.  Use
 * in a plug-in source after the descriptor is declared:
 *   PT_CORE_DEFINE_OPEN(plugin_open, descriptor)
 */
#define PT_CORE_DEFINE_OPEN(fn, desc)                                         \
    static lims_status fn(const lims_services *svc, lims_instance **out,      \
                          char *err, size_t errlen)                           \
    {                                                                         \
        return pt_core_open(&(desc), svc, out, err, errlen);                  \
    }

#define PT_CORE_GENERIC_MEMBERS(open_fn)                                      \
    .size = sizeof(lims_plugin), .abi = LIMS_ABI_VERSION,                     \
    .version = PTLIMS_VERSION,                                                \
    .open = open_fn, .close = pt_core_close,                                  \
    .import_csv = pt_core_import_csv,                                         \
    .evaluate_round = pt_core_evaluate_round, .scores = pt_core_scores,       \
    .write_report = pt_core_write_report, .compare = pt_core_compare,     \
    .plan_add = pt_core_plan_add, .plans = pt_core_plans,                     \
    .capa_add = pt_core_capa_add, .capa_close = pt_core_capa_close,           \
    .capas = pt_core_capas, .sync_export = pt_core_sync_export,              \
    .sync_apply = pt_core_sync_apply, .verify = pt_core_verify,             \
    .close_round = pt_core_close_round,                                       \
    .correct_result = pt_core_correct_result,                                 \
    .transaction = pt_core_transaction

/* Define the plug-in's one exported symbol, returning `desc`. */
#define PT_CORE_DEFINE_ENTRY(desc)                                            \
    LIMS_PLUGIN_EXPORT const lims_plugin *lims_plugin_entry_v1(void)          \
    {                                                                         \
        return &(desc);                                                       \
    }

#endif /* PT_CORE_H */
