/*
 * pt_engine.c -- the ABI boundary: the engine's table, its one exported
 * symbol, and what every entry point does before and after the engine's
 * own work, in one place:
 *
 *   - size negotiation: a caller's size-first input is copied into a
 *     zeroed structure of the engine's size, so that members the caller's
 *     version does not have read as NULL or 0; an output is filled in a
 *     structure of the engine's size and copied back as far as the
 *     caller's size reaches, the caller's size kept;
 *   - the "C" locale of the calling thread (uselocale) for the call, so
 *     that numbers are read and written the same under any process locale;
 *   - the error buffer: a call may pass NULL or errlen 0;
 *   - status: the engine works in lims_status throughout; a status outside
 *     the enumeration never leaves the engine.
 *
 * Below this file the engine sees full structures, a "C" locale and a
 * writable error buffer, and never a size member.
 */
#include <stdio.h>
#include <string.h>

#include "pt_check.h"
#include "pt_core.h"
#include "pt_method.h"

/* The caller's error buffer, or none. */
#define ERRBUF(err, errlen) ((err) ? (errlen) : 0)

/* A size-first input of `given` bytes at `src` into `dst` of `full`
 * bytes, the rest zero.  0 when there is no input. */
static int copy_in(void *dst, size_t full, const void *src)
{
    size_t given;

    memset(dst, 0, full);
    if (!src)
        return 0;
    memcpy(&given, src, sizeof given);
    if (given < sizeof given)
        return 0;
    memcpy(dst, src, given < full ? given : full);
    memcpy(dst, &full, sizeof full);
    return 1;
}

/* An output of `full` bytes at `src` into the caller's `dst` (may be
 * NULL), as far as the caller's size reaches; the caller's size stays. */
static void copy_out(void *dst, const void *src, size_t full)
{
    size_t given;

    if (!dst)
        return;
    memcpy(&given, dst, sizeof given);
    if (given <= sizeof given)
        return;
    memcpy(dst, src, given < full ? given : full);
    memcpy(dst, &given, sizeof given);
}

/* A status of the enumeration (lims_plugin.h). */
static lims_status known(lims_status rc)
{
    return (unsigned)rc <= LIMS_ERR_INTERNAL ? rc : LIMS_ERR_INTERNAL;
}

/* One call on an instance: the locale switched for its duration. */
typedef struct call {
    locale_t old;
    char *err;
    size_t errlen;
} call;

static lims_status enter(call *c, lims_instance *inst, char *err,
                         size_t errlen, const char *what)
{
    c->err = err;
    c->errlen = ERRBUF(err, errlen);
    if (!inst) {
        snprintf(c->err, c->errlen, "%s: no instance", what);
        return LIMS_ERR_INPUT;
    }
    c->old = uselocale(inst->c_locale);
    return LIMS_OK;
}

static lims_status leave(call *c, lims_status rc)
{
    uselocale(c->old);
    return known(rc);
}

/* ---- the instance ---------------------------------------------------- */

static lims_status engine_open(const lims_services *svc, lims_instance **out,
                               char *err, size_t errlen)
{
    lims_services full;

    errlen = ERRBUF(err, errlen);
    if (!out) {
        snprintf(err, errlen, "open: out is required");
        return LIMS_ERR_INPUT;
    }
    *out = NULL;
    if (!copy_in(&full, sizeof full, svc)) {
        snprintf(err, errlen, "open: no services table");
        return LIMS_ERR_INPUT;
    }
    if (svc->size < offsetof(lims_services, db_path) + sizeof(char *) ||
        LIMS_ABI_MAJOR(svc->abi) != LIMS_ABI_MAJOR_VERSION) {
        snprintf(err, errlen,
                 "open: host services table is of ABI %u.%u, the engine "
                 "needs %u.x",
                 (unsigned)LIMS_ABI_MAJOR(svc->abi),
                 (unsigned)LIMS_ABI_MINOR(svc->abi),
                 (unsigned)LIMS_ABI_MAJOR_VERSION);
        return LIMS_ERR_ABI;
    }
    return known(pt_core_open(&full, out, err, errlen));
}

static void engine_close(lims_instance *inst)
{
    pt_core_close(inst);
}

static lims_status engine_scheme_add(lims_instance *inst,
                                     const lims_plugin *p, char *err,
                                     size_t errlen)
{
    call c;
    lims_status rc = enter(&c, inst, err, errlen, "scheme_add");

    if (rc)
        return rc;
    if (!p || p->size < sizeof *p ||
        LIMS_ABI_MAJOR(p->abi) != LIMS_ABI_MAJOR_VERSION) {
        snprintf(c.err, c.errlen,
                 "scheme_add: the scheme is not of ABI %u.x or its "
                 "descriptor is incomplete",
                 (unsigned)LIMS_ABI_MAJOR_VERSION);
        return leave(&c, LIMS_ERR_ABI);
    }
    if (!p->id || !*p->id || !p->policy || !p->limit_key ||
        (p->n_measurands && !p->measurands) || (p->n_units && !p->units) ||
        (p->n_conditions && !p->conditions)) {
        snprintf(c.err, c.errlen,
                 "scheme_add: the descriptor of scheme %s lacks a required "
                 "member",
                 p->id ? p->id : "(no id)");
        return leave(&c, LIMS_ERR_ABI);
    }
    return leave(&c, pt_core_scheme_add(inst, p, c.err, c.errlen));
}

static lims_status engine_check_result(const lims_plugin *p,
                                       const lims_result_in *in,
                                       lims_result_out *out, char *err,
                                       size_t errlen)
{
    lims_result_in fin;
    lims_result_out fout;
    locale_t c_locale, old;
    lims_status rc;

    errlen = ERRBUF(err, errlen);
    if (!p || !copy_in(&fin, sizeof fin, in) || !out) {
        snprintf(err, errlen, "check_result: scheme, in and out are "
                              "required");
        return LIMS_ERR_INPUT;
    }
    if (!fin.measurand || !fin.unit) {
        snprintf(err, errlen, "check_result: measurand and unit are "
                              "required");
        return LIMS_ERR_INPUT;
    }
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (c_locale == (locale_t)0) {
        snprintf(err, errlen, "check_result: cannot create the C locale");
        return LIMS_ERR_NOMEM;
    }
    old = uselocale(c_locale);
    memset(&fout, 0, sizeof fout);
    fout.size = sizeof fout;
    rc = pt_check_result(p, &fin, &fout, err, errlen);
    uselocale(old);
    freelocale(c_locale);
    copy_out(out, &fout, sizeof fout);
    return known(rc);
}

/* ---- recording ----------------------------------------------------- */

/* An entry point taking one size-first input `in` of type T, calling
 * fn(inst, &full, err, errlen). */
#define INPUT_CALL(name, T, fn, what)                                         \
    static lims_status name(lims_instance *inst, const T *in, char *err,    \
                            size_t errlen)                                    \
    {                                                                         \
        call c;                                                               \
        T full;                                                               \
        lims_status rc = enter(&c, inst, err, errlen, what);                  \
        if (rc)                                                               \
            return rc;                                                        \
        if (!copy_in(&full, sizeof full, in)) {                               \
            snprintf(c.err, c.errlen, "%s: no %s given", what, #T);           \
            return leave(&c, LIMS_ERR_INPUT);                                 \
        }                                                                     \
        return leave(&c, fn(inst, &full, c.err, c.errlen));                   \
    }

INPUT_CALL(engine_laboratory_add, lims_laboratory, pt_core_laboratory_add,
           "laboratory_add")
INPUT_CALL(engine_round_add, lims_round, pt_core_round_add, "round_add")
INPUT_CALL(engine_result_add, lims_result, pt_core_result_add, "result_add")
INPUT_CALL(engine_write_report, lims_report_request, pt_core_write_report,
           "report")

static lims_status engine_import_csv(lims_instance *inst, const char *path,
                                     lims_import_summary *out, char *err,
                                     size_t errlen)
{
    call c;
    lims_import_summary full = {sizeof full, 0, 0, 0, 0, 0};
    lims_status rc = enter(&c, inst, err, errlen, "import");

    if (rc)
        return rc;
    if (!path) {
        snprintf(c.err, c.errlen, "import: no file given");
        return leave(&c, LIMS_ERR_INPUT);
    }
    rc = pt_core_import_csv(inst, path, &full, c.err, c.errlen);
    if (!rc)
        copy_out(out, &full, sizeof full);
    return leave(&c, rc);
}

static lims_status engine_correct_result(lims_instance *inst,
                                         const lims_correction *in,
                                         unsigned *version, char *err,
                                         size_t errlen)
{
    call c;
    lims_correction full;
    lims_status rc = enter(&c, inst, err, errlen, "correct");

    if (rc)
        return rc;
    if (!copy_in(&full, sizeof full, in)) {
        snprintf(c.err, c.errlen, "correct: no correction given");
        return leave(&c, LIMS_ERR_INPUT);
    }
    return leave(&c, pt_core_correct_result(inst, &full, version, c.err,
                                            c.errlen));
}

static lims_status engine_close_round(lims_instance *inst, const char *round,
                                      char *err, size_t errlen)
{
    call c;
    lims_status rc = enter(&c, inst, err, errlen, "close");

    if (rc)
        return rc;
    return leave(&c, pt_core_close_round(inst, round, c.err, c.errlen));
}

/* ---- evaluating and reading ------------------------------------------ */

static lims_status engine_evaluate_round(lims_instance *inst,
                                         const char *round,
                                         lims_eval_summary *out, char *err,
                                         size_t errlen)
{
    call c;
    lims_eval_summary full = {sizeof full, 0, 0, 0};
    lims_status rc = enter(&c, inst, err, errlen, "evaluate");

    if (rc)
        return rc;
    rc = pt_core_evaluate_round(inst, round, &full, c.err, c.errlen);
    if (!rc)
        copy_out(out, &full, sizeof full);
    return leave(&c, rc);
}

static lims_status engine_scores(lims_instance *inst, const char *lab,
                                 lims_score_cb cb, void *ctx, char *err,
                                 size_t errlen)
{
    call c;
    lims_status rc = enter(&c, inst, err, errlen, "scores");

    if (rc)
        return rc;
    if (!cb) {
        snprintf(c.err, c.errlen, "scores: no callback given");
        return leave(&c, LIMS_ERR_INPUT);
    }
    return leave(&c, pt_core_scores(inst, lab, cb, ctx, c.err, c.errlen));
}

static lims_status engine_compare(lims_instance *inst, const char *lab,
                                  const char *ref, const char *measurand,
                                  unsigned window, lims_compare_cb cb,
                                  void *ctx, char *err, size_t errlen)
{
    call c;
    lims_status rc = enter(&c, inst, err, errlen, "compare");

    if (rc)
        return rc;
    if (!lab || !ref || !cb) {
        snprintf(c.err, c.errlen, "compare: lab, ref and a callback are "
                                  "required");
        return leave(&c, LIMS_ERR_INPUT);
    }
    return leave(&c, pt_core_compare(inst, lab, ref, measurand, window, cb,
                                     ctx, c.err, c.errlen));
}

/* ---- plan and corrective actions ------------------------------------- */

static lims_status engine_plan_add(lims_instance *inst,
                                   const lims_plan_entry *in, long long *id,
                                   char *err, size_t errlen)
{
    call c;
    lims_plan_entry full;
    lims_status rc = enter(&c, inst, err, errlen, "plan");

    if (rc)
        return rc;
    if (!copy_in(&full, sizeof full, in)) {
        snprintf(c.err, c.errlen, "plan: no entry given");
        return leave(&c, LIMS_ERR_INPUT);
    }
    return leave(&c, pt_core_plan_add(inst, &full, id, c.err, c.errlen));
}

static lims_status engine_plans(lims_instance *inst, const char *lab,
                                lims_plan_cb cb, void *ctx, char *err,
                                size_t errlen)
{
    call c;
    lims_status rc = enter(&c, inst, err, errlen, "plan");

    if (rc)
        return rc;
    if (!cb) {
        snprintf(c.err, c.errlen, "plan: no callback given");
        return leave(&c, LIMS_ERR_INPUT);
    }
    return leave(&c, pt_core_plans(inst, lab, cb, ctx, c.err, c.errlen));
}

static lims_status engine_capa_add(lims_instance *inst,
                                   const lims_capa_entry *in, long long *id,
                                   char *err, size_t errlen)
{
    call c;
    lims_capa_entry full;
    lims_status rc = enter(&c, inst, err, errlen, "capa");

    if (rc)
        return rc;
    if (!copy_in(&full, sizeof full, in)) {
        snprintf(c.err, c.errlen, "capa: no entry given");
        return leave(&c, LIMS_ERR_INPUT);
    }
    return leave(&c, pt_core_capa_add(inst, &full, id, c.err, c.errlen));
}

static lims_status engine_capa_close(lims_instance *inst, long long id,
                                     const char *closed,
                                     const char *verified_by, char *err,
                                     size_t errlen)
{
    call c;
    lims_status rc = enter(&c, inst, err, errlen, "capa");

    if (rc)
        return rc;
    return leave(&c, pt_core_capa_close(inst, id, closed, verified_by, c.err,
                                        c.errlen));
}

static lims_status engine_capas(lims_instance *inst, const char *lab,
                                lims_capa_cb cb, void *ctx, char *err,
                                size_t errlen)
{
    call c;
    lims_status rc = enter(&c, inst, err, errlen, "capa");

    if (rc)
        return rc;
    if (!cb) {
        snprintf(c.err, c.errlen, "capa: no callback given");
        return leave(&c, LIMS_ERR_INPUT);
    }
    return leave(&c, pt_core_capas(inst, lab, cb, ctx, c.err, c.errlen));
}

/* ---- sites and integrity ----------------------------------------------- */

static lims_status engine_sync_export(lims_instance *inst,
                                      const lims_sync_request *in,
                                      lims_sync_summary *out, char *err,
                                      size_t errlen)
{
    call c;
    lims_sync_request req;
    lims_sync_summary full;
    lims_status rc = enter(&c, inst, err, errlen, "sync export");

    if (rc)
        return rc;
    if (!copy_in(&req, sizeof req, in) || !req.path) {
        snprintf(c.err, c.errlen, "sync export: no file given");
        return leave(&c, LIMS_ERR_INPUT);
    }
    memset(&full, 0, sizeof full);
    full.size = sizeof full;
    rc = pt_core_sync_export(inst, &req, &full, c.err, c.errlen);
    if (!rc)
        copy_out(out, &full, sizeof full);
    return leave(&c, rc);
}

static lims_status engine_sync_apply(lims_instance *inst,
                                     const lims_sync_request *in,
                                     lims_sync_conflict_cb cb, void *ctx,
                                     lims_sync_summary *out, char *err,
                                     size_t errlen)
{
    call c;
    lims_sync_request req;
    lims_sync_summary full;
    lims_status rc = enter(&c, inst, err, errlen, "sync apply");

    if (rc)
        return rc;
    if (!copy_in(&req, sizeof req, in) || !req.path) {
        snprintf(c.err, c.errlen, "sync apply: no file given");
        return leave(&c, LIMS_ERR_INPUT);
    }
    memset(&full, 0, sizeof full);
    full.size = sizeof full;
    rc = pt_core_sync_apply(inst, &req, cb, ctx, &full, c.err, c.errlen);
    if (!rc)
        copy_out(out, &full, sizeof full);
    return leave(&c, rc);
}

static lims_status engine_verify(lims_instance *inst,
                                 lims_verify_summary *out, char *err,
                                 size_t errlen)
{
    call c;
    lims_verify_summary full;
    lims_status rc = enter(&c, inst, err, errlen, "verify");

    if (rc)
        return rc;
    memset(&full, 0, sizeof full);
    full.size = sizeof full;
    /* the one input: a head written down earlier, when the caller's
     * structure has it */
    if (out && LIMS_HAS_MEMBER(out, lims_verify_summary, expect_head))
        memcpy(full.expect_head, out->expect_head, sizeof full.expect_head);
    rc = pt_core_verify(inst, &full, c.err, c.errlen);
    /* the counts are given on a broken record too */
    copy_out(out, &full, sizeof full);
    return leave(&c, rc);
}

static lims_status engine_transaction(lims_instance *inst, lims_tx op,
                                      char *err, size_t errlen)
{
    call c;
    lims_status rc = enter(&c, inst, err, errlen, "transaction");

    if (rc)
        return rc;
    return leave(&c, pt_core_transaction(inst, op, c.err, c.errlen));
}

static lims_status engine_reopen_round(lims_instance *inst,
                                       const char *round, const char *reason,
                                       const char *by, char *err,
                                       size_t errlen)
{
    call c;
    lims_status rc = enter(&c, inst, err, errlen, "reopen");

    if (rc)
        return rc;
    return leave(&c, pt_core_reopen_round(inst, round, reason, by, c.err,
                                          c.errlen));
}

static lims_status engine_amend(lims_instance *inst,
                                const lims_amendment *in, char *err,
                                size_t errlen)
{
    call c;
    lims_amendment full;
    lims_status rc = enter(&c, inst, err, errlen, "amend");

    if (rc)
        return rc;
    if (!copy_in(&full, sizeof full, in)) {
        snprintf(c.err, c.errlen, "amend: no amendment given");
        return leave(&c, LIMS_ERR_INPUT);
    }
    return leave(&c, pt_core_amend(inst, &full, c.err, c.errlen));
}

static lims_status engine_look(lims_instance *inst,
                               const lims_look_request *in, lims_look_cb cb,
                               void *ctx, char *err, size_t errlen)
{
    call c;
    lims_look_request full;
    lims_status rc = enter(&c, inst, err, errlen, "look");

    if (rc)
        return rc;
    if (!copy_in(&full, sizeof full, in) || !cb) {
        snprintf(c.err, c.errlen, "look: no request or no callback given");
        return leave(&c, LIMS_ERR_INPUT);
    }
    return leave(&c, pt_core_look(inst, &full, cb, ctx, c.err, c.errlen));
}

static lims_status engine_methods(lims_instance *inst, const char *scheme,
                                  lims_method_edition_cb on_edition,
                                  lims_method_precision_cb on_precision,
                                  lims_limit_cb on_limit, void *ctx,
                                  char *err, size_t errlen)
{
    call c;
    lims_status rc = enter(&c, inst, err, errlen, "methods");

    if (rc)
        return rc;
    if (!on_edition || !on_precision || !on_limit) {
        snprintf(c.err, c.errlen, "methods: a callback is missing");
        return leave(&c, LIMS_ERR_INPUT);
    }
    return leave(&c, pt_method_list(inst->db, scheme, on_edition,
                                    on_precision, on_limit, ctx, c.err,
                                    c.errlen));
}

static const lims_engine engine = {
    .size = sizeof(lims_engine),
    .abi = LIMS_ABI_VERSION,
    .version = PTLIMS_VERSION,
    .open = engine_open,
    .close = engine_close,
    .scheme_add = engine_scheme_add,
    .laboratory_add = engine_laboratory_add,
    .round_add = engine_round_add,
    .result_add = engine_result_add,
    .check_result = engine_check_result,
    .import_csv = engine_import_csv,
    .evaluate_round = engine_evaluate_round,
    .scores = engine_scores,
    .write_report = engine_write_report,
    .compare = engine_compare,
    .plan_add = engine_plan_add,
    .plans = engine_plans,
    .capa_add = engine_capa_add,
    .capa_close = engine_capa_close,
    .capas = engine_capas,
    .sync_export = engine_sync_export,
    .sync_apply = engine_sync_apply,
    .verify = engine_verify,
    .close_round = engine_close_round,
    .correct_result = engine_correct_result,
    .transaction = engine_transaction,
    .reopen_round = engine_reopen_round,
    .amend = engine_amend,
    .look = engine_look,
    .methods = engine_methods,
};

LIMS_PLUGIN_EXPORT const lims_engine *lims_engine_entry_v1(void)
{
    return &engine;
}
