/*
 * minimal_host.c -- the smallest LIMS host: a guide for LIMS vendors.
 *
 * Loads the ptlims engine and one scheme plug-in through the ABI
 * (include/lims_plugin.h is all it needs), records a bilateral round with
 * three results through structured calls -- no file is written -- and
 * evaluates it, then prints the scores.  Build against an installed ptlims:
 *
 *   cc minimal_host.c $(pkg-config --cflags ptlims) -ldl -o minimal_host
 *   ./minimal_host $(pkg-config --variable=engine ptlims) \
 *       $(pkg-config --variable=plugindir ptlims)/fuel-sulfur.so /tmp/lims.db
 */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lims_plugin.h"

/* The host's logging: warnings the user should see. */
static void on_log(void *host, lims_log_level level, const char *msg)
{
    (void)host;
    fprintf(stderr, "%s: %s\n", level >= LIMS_LOG_WARN ? "warning" : "info",
            msg);
}

/* Called once per stored score; pointers are valid during the call only. */
static int on_score(void *ctx, const lims_score_row *r)
{
    (void)ctx;
    printf("%-6s %-8s %s %-6s En = %+.2f  %s\n", r->round, r->lab,
           r->value_text, r->unit, isnan(r->En) ? 0.0 : r->En, r->verdict);
    return 0; /* non-zero would stop the listing */
}

/* dlopen `path` and call its entry symbol `name`; NULL when it has none. */
static const void *load(const char *path, const char *name, void **so)
{
    const void *(*entry)(void);

    *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!*so) {
        fprintf(stderr, "%s\n", dlerror());
        return NULL;
    }
    *(void **)&entry = dlsym(*so, name);
    return entry ? entry() : NULL;
}

int main(int argc, char **argv)
{
    static const char *const labs[][3] = {{"REF", "Reference", "reference"},
                                          {"BR1", "Branch 1", "branch"},
                                          {"BR2", "Branch 2", "branch"}};
    static const char *const results[][3] = {
        {"REF", "9.0", "0.4"}, {"BR1", "9.3", "0.6"}, {"BR2", "11.2", "0.7"}};
    char err[1024];
    const lims_engine *e;
    const lims_plugin *p;
    lims_services svc;
    lims_instance *inst = NULL;
    lims_laboratory lab;
    lims_round round;
    lims_result res;
    lims_eval_summary es;
    void *engine_so = NULL, *scheme_so = NULL;
    size_t i;
    int rc = 1;

    if (argc != 4) {
        fprintf(stderr, "usage: %s ENGINE.so PLUGIN.so DATABASE\n", argv[0]);
        return 1;
    }
    /* 1. Load the engine and a scheme, and refuse another major version or
     *    a table too small for what this host uses (tables only grow at
     *    the end). */
    e = load(argv[1], LIMS_ENGINE_ENTRY_V1, &engine_so);
    if (!e || LIMS_ABI_MAJOR(e->abi) != LIMS_ABI_MAJOR_VERSION ||
        !LIMS_HAS_MEMBER(e, lims_engine, transaction)) {
        fprintf(stderr, "%s: not a ptlims engine of ABI %d.x\n", argv[1],
                LIMS_ABI_MAJOR_VERSION);
        goto out;
    }
    p = load(argv[2], LIMS_PLUGIN_ENTRY_V1, &scheme_so);
    if (!p || LIMS_ABI_MAJOR(p->abi) != LIMS_ABI_MAJOR_VERSION ||
        !LIMS_HAS_MEMBER(p, lims_plugin, limit_key)) {
        fprintf(stderr, "%s: not a ptlims plug-in of ABI %d.x\n", argv[2],
                LIMS_ABI_MAJOR_VERSION);
        goto out;
    }
    printf("loaded %s %s (ABI %u.%u)\n", p->id, p->version,
           (unsigned)LIMS_ABI_MAJOR(p->abi), (unsigned)LIMS_ABI_MINOR(p->abi));

    /* 2. The services this host offers; callbacks left NULL are absent.
     *    Open the database (created and migrated) and give it the scheme. */
    memset(&svc, 0, sizeof svc);
    svc.size = sizeof svc;
    svc.abi = LIMS_ABI_VERSION;
    svc.db_path = argv[3];
    svc.log = on_log;
    if (e->open(&svc, &inst, err, sizeof err) != LIMS_OK ||
        e->scheme_add(inst, p, err, sizeof err) != LIMS_OK) {
        fprintf(stderr, "open: %s\n", err);
        goto out;
    }

    /* 3. Record two branches and the reference laboratory, a bilateral
     *    round of sulfur in diesel and their three results, in one
     *    transaction: a refused call and nothing is kept. */
    if (e->transaction(inst, LIMS_TX_BEGIN, err, sizeof err) != LIMS_OK)
        goto fail;
    for (i = 0; i < 3; i++) {
        memset(&lab, 0, sizeof lab);
        lab.size = sizeof lab; /* tell the engine how much we filled in */
        lab.code = labs[i][0];
        lab.name = labs[i][1];
        lab.role = labs[i][2];
        if (e->laboratory_add(inst, &lab, err, sizeof err) != LIMS_OK)
            goto fail;
    }
    memset(&round, 0, sizeof round);
    round.size = sizeof round;
    round.code = "R1";
    round.scheme = "fuel-sulfur";
    round.measurand = "sulfur";
    round.type = "bilateral";
    round.opened = "2025-06-02";
    round.reference_lab = "REF";
    round.matrix = "diesel";
    if (e->round_add(inst, &round, err, sizeof err) != LIMS_OK)
        goto fail;
    for (i = 0; i < 3; i++) {
        memset(&res, 0, sizeof res);
        res.size = sizeof res;
        res.round = "R1";
        res.lab = results[i][0];
        res.measurand = "sulfur";
        res.value = results[i][1]; /* the text as reported */
        res.unit = "mg/kg";
        res.U = results[i][2];
        res.method = "ASTM D5453-19a";
        if (e->result_add(inst, &res, err, sizeof err) != LIMS_OK)
            goto fail; /* err names the field: "result_add: U: …" */
    }
    if (e->transaction(inst, LIMS_TX_COMMIT, err, sizeof err) != LIMS_OK)
        goto fail;

    /* 4. Evaluate the round (stored in one transaction) and list it. */
    memset(&es, 0, sizeof es);
    es.size = sizeof es;
    if (e->evaluate_round(inst, "R1", &es, err, sizeof err) != LIMS_OK ||
        e->scores(inst, NULL, on_score, NULL, err, sizeof err) != LIMS_OK) {
        fprintf(stderr, "evaluate: %s\n", err);
        goto out;
    }
    printf("%lu scores, %lu signals\n", es.scores, es.signals);
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "record: %s\n", err);
    e->transaction(inst, LIMS_TX_ROLLBACK, err, sizeof err);
out:
    /* 5. Whatever the engine allocated, it frees. */
    if (inst)
        e->close(inst);
    if (scheme_so)
        dlclose(scheme_so);
    if (engine_so)
        dlclose(engine_so);
    return rc;
}
