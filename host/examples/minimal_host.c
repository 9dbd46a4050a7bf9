/*
 * minimal_host.c -- the smallest LIMS host: a guide for LIMS vendors.
 *
 * Loads one ptlims scheme plug-in through the ABI (include/lims_plugin.h is
 * all it needs), records three results of a bilateral round and evaluates
 * it, then prints the scores.  Build against an installed ptlims:
 *
 *   cc minimal_host.c $(pkg-config --cflags ptlims) -ldl -o minimal_host
 *   ./minimal_host $(pkg-config --variable=plugindir ptlims)/fuel-sulfur.so \
 *       /tmp/lims.db
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

/* A real LIMS hands over its records; here they are written as the CSV
 * files import_csv reads (README "CSV files"). */
static int write_csv(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

int main(int argc, char **argv)
{
    char err[1024], labs[4096], round[4096], results[4096];
    const char *const files[] = {labs, round, results};
    const lims_plugin *p;
    lims_plugin_entry_v1_fn entry;
    lims_services svc;
    lims_instance *inst;
    lims_import_summary is;
    lims_eval_summary es;
    void *so;
    size_t i;
    int rc = 1;

    if (argc != 3) {
        fprintf(stderr, "usage: %s PLUGIN.so DATABASE\n", argv[0]);
        return 1;
    }
    /* 1. Load the shared object and find the one exported symbol. */
    so = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    entry = (lims_plugin_entry_v1_fn)dlsym(so, LIMS_PLUGIN_ENTRY_V1);
    p = entry ? entry() : NULL;
    /* 2. Refuse another major version, and a descriptor too small for
     *    what this host uses (structures only grow at the end). */
    if (!p || LIMS_ABI_MAJOR(p->abi) != LIMS_ABI_MAJOR_VERSION ||
        !LIMS_HAS_MEMBER(p, lims_plugin, scores)) {
        fprintf(stderr, "%s: not a ptlims plug-in of ABI %d.x\n", argv[1],
                LIMS_ABI_MAJOR_VERSION);
        dlclose(so);
        return 1;
    }
    printf("loaded %s %s (ABI %u.%u)\n", p->id, p->version,
           (unsigned)LIMS_ABI_MAJOR(p->abi), (unsigned)LIMS_ABI_MINOR(p->abi));

    /* 3. The services this host offers; callbacks left NULL are absent. */
    memset(&svc, 0, sizeof svc);
    svc.size = sizeof svc;
    svc.abi = LIMS_ABI_VERSION;
    svc.db_path = argv[2]; /* created and migrated by open() */
    svc.log = on_log;
    if (p->open(&svc, &inst, err, sizeof err) != LIMS_OK) {
        fprintf(stderr, "open: %s\n", err);
        dlclose(so);
        return 1;
    }

    /* 4. Record three results: two branches and the reference laboratory
     *    in a bilateral round of sulfur in diesel.  Each file is one
     *    transaction: a bad row and nothing of it is written. */
    snprintf(labs, sizeof labs, "%s.labs.csv", argv[2]);
    snprintf(round, sizeof round, "%s.round.csv", argv[2]);
    snprintf(results, sizeof results, "%s.results.csv", argv[2]);
    if (write_csv(labs, "lab,name,role\nREF,Reference,reference\n"
                        "BR1,Branch 1,branch\nBR2,Branch 2,branch\n") ||
        write_csv(round, "round,scheme,measurand,type,opened,reference_lab\n"
                         "R1,fuel-sulfur,sulfur,bilateral,2025-06-02,REF\n") ||
        write_csv(results, "round,lab,measurand,value,unit,U,method\n"
                           "R1,REF,sulfur,9.0,mg/kg,0.4,ASTM D5453-19a\n"
                           "R1,BR1,sulfur,9.3,mg/kg,0.6,ASTM D5453-19a\n"
                           "R1,BR2,sulfur,11.2,mg/kg,0.7,ASTM D5453-19a\n")) {
        fprintf(stderr, "cannot write the CSV files next to %s\n", argv[2]);
        goto out;
    }
    for (i = 0; i < 3; i++) {
        memset(&is, 0, sizeof is);
        is.size = sizeof is; /* tell the plug-in how much we can take */
        if (p->import_csv(inst, files[i], &is, err, sizeof err) != LIMS_OK) {
            fprintf(stderr, "import: %s\n", err); /* names file:line:col */
            goto out;
        }
    }

    /* 5. Evaluate the round (stored in one transaction) and list it. */
    memset(&es, 0, sizeof es);
    es.size = sizeof es;
    if (p->evaluate_round(inst, "R1", &es, err, sizeof err) != LIMS_OK ||
        p->scores(inst, NULL, on_score, NULL, err, sizeof err) != LIMS_OK) {
        fprintf(stderr, "evaluate: %s\n", err);
        goto out;
    }
    printf("%lu scores, %lu signals\n", es.scores, es.signals);
    rc = 0;
out:
    /* 6. Whatever the plug-in allocated, it frees. */
    p->close(inst);
    dlclose(so);
    return rc;
}
