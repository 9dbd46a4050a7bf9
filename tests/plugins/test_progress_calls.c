/*
 * test_progress_calls.c -- what a plug-in tells lims_services.progress:
 * an import reports bytes of its file from 0 to the file's size, a
 * workbook the rows written up to all of them, never going back; a host
 * without the callback (an older, smaller services table) is not called.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testutil.h"

typedef struct calls {
    char stage[16];
    unsigned long long first, last, total;
    unsigned n;
    int backwards; /* done went down, or total changed */
} calls;

static calls seen[2]; /* import, report */

static void progress(void *host, const char *stage, unsigned long long done,
                     unsigned long long total)
{
    calls *c = &seen[strcmp(stage, "report") == 0];

    (void)host;
    if (c->n == 0) {
        snprintf(c->stage, sizeof c->stage, "%s", stage);
        c->first = done;
        c->total = total;
    } else if (done < c->last || total != c->total) {
        c->backwards = 1;
    }
    c->last = done;
    c->n++;
}

static lims_instance *open_with(const lims_plugin *p, const char *db,
                                size_t size)
{
    static lims_services svc;
    static char path[512];
    lims_instance *inst = NULL;
    char err[512] = "";
    (void)p; /* the engine checks every scheme */

    snprintf(path, sizeof path, "%s/%s", tu_dir(), db);
    remove(path);
    memset(&svc, 0, sizeof svc);
    svc.size = size;
    svc.abi = LIMS_ABI_VERSION;
    svc.db_path = path;
    svc.progress = progress;
    if (tu_engine()->open(&svc, &inst, err, sizeof err) != LIMS_OK)
        fail_msg("open: %s", err);
    tu_add_schemes(inst);
    return inst;
}

/* 3 rounds of 15 laboratories; returns the results file's path. */
static const char *record(const lims_plugin *p, lims_instance *inst)
{
    static char results[512];
    char text[16384], err[512];
    size_t n = 0;
    int r, l;
    (void)p; /* the engine checks every scheme */

    n += (size_t)snprintf(text + n, sizeof text - n, "lab,name,role\n");
    for (l = 1; l <= 15; l++)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "L%02d,Laboratory %d,external\n", l, l);
    if (tu_engine()->import_csv(inst, tu_file("labs.csv", text), NULL, err,
                      sizeof err) != LIMS_OK)
        fail_msg("labs: %s", err);
    if (tu_engine()->import_csv(inst,
                      tu_file("rounds.csv",
                              "round,scheme,measurand,opened,sigma_pt\n"
                              "R1,fuel-sulfur,sulfur,2025-01-10,0.8\n"
                              "R2,fuel-sulfur,sulfur,2025-02-10,0.8\n"
                              "R3,fuel-sulfur,sulfur,2025-03-10,0.8\n"),
                      NULL, err, sizeof err) != LIMS_OK)
        fail_msg("rounds: %s", err);
    n = (size_t)snprintf(text, sizeof text, "round,lab,measurand,value,unit\n");
    for (r = 1; r <= 3; r++)
        for (l = 1; l <= 15; l++)
            n += (size_t)snprintf(text + n, sizeof text - n,
                                  "R%d,L%02d,sulfur,%.1f,mg/kg\n", r, l,
                                  8.0 + 0.1 * ((l * 7 + r) % 11));
    snprintf(results, sizeof results, "%s", tu_file("results.csv", text));
    return results;
}

static void import_and_report_go_from_zero_to_all(void **state)
{
    const lims_plugin *p = tu_plugin("fuel-sulfur");
    lims_instance *inst = open_with(p, "progress.db", sizeof(lims_services));
    lims_report_request req;
    const char *results;
    struct stat st;
    char err[512], out[600];

    (void)state;
    results = record(p, inst);
    memset(seen, 0, sizeof seen);
    if (tu_engine()->import_csv(inst, results, NULL, err, sizeof err) != LIMS_OK)
        fail_msg("results: %s", err);
    assert_int_equal(stat(results, &st), 0);
    assert_string_equal(seen[0].stage, "import");
    assert_true(seen[0].n >= 2);
    assert_true(seen[0].first == 0);
    assert_true(seen[0].last == (unsigned long long)st.st_size);
    assert_true(seen[0].total == (unsigned long long)st.st_size);
    assert_false(seen[0].backwards);

    if (tu_engine()->evaluate_round(inst, NULL, NULL, err, sizeof err) != LIMS_OK)
        fail_msg("evaluate: %s", err);
    snprintf(out, sizeof out, "%s/progress.xlsx", tu_dir());
    memset(&req, 0, sizeof req);
    req.size = sizeof req;
    req.out_path = out;
    req.lab = "L01";
    req.generated_at = "2026-01-01T00:00:00";
    if (tu_engine()->write_report(inst, &req, err, sizeof err) != LIMS_OK)
        fail_msg("report: %s", err);
    assert_string_equal(seen[1].stage, "report");
    assert_true(seen[1].n >= 2);
    assert_true(seen[1].first == 0);
    assert_true(seen[1].last == 45 && seen[1].total == 45);
    assert_false(seen[1].backwards);
    tu_engine()->close(inst);
}

static void a_host_without_the_member_is_not_called(void **state)
{
    const lims_plugin *p = tu_plugin("fuel-sulfur");
    lims_instance *inst =
        open_with(p, "old-host.db", offsetof(lims_services, progress));
    const char *results;
    char err[512];

    (void)state;
    results = record(p, inst);
    memset(seen, 0, sizeof seen);
    if (tu_engine()->import_csv(inst, results, NULL, err, sizeof err) != LIMS_OK)
        fail_msg("results: %s", err);
    assert_int_equal(seen[0].n, 0);
    tu_engine()->close(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import_and_report_go_from_zero_to_all),
        cmocka_unit_test(a_host_without_the_member_is_not_called),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
