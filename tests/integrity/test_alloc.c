/*
 * test_alloc.c -- allocation failure: the CSV reader, a whole import and
 * the statistics under an allocator that fails at the N-th call, for
 * every N until a run no longer allocates that many times.  Each run must
 * either succeed or return an out-of-memory status with a message, leave
 * the database unchanged, and leak nothing: the wrappers below count live
 * blocks (ASan and valgrind check the same under make asan / valgrind).
 *
 * Linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * --wrap=strdup,--wrap=free, so the calls made by our own objects (the
 * core library, the statistics, both scheme plug-ins linked in with
 * renamed entry points) go through the counters; SQLite's, GSL's and libc's
 * internal allocations do not.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"
#include "pt_core.h"
#include "pt_csv.h"
#include "pt_stats.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
void __wrap_free(void *p);

static long calls;   /* allocation calls so far */
static long fail_at; /* 0: never fail; else fail the fail_at-th call */
static long live;    /* blocks allocated and not freed */

static int fail_now(void)
{
    return ++calls == fail_at;
}

void *__wrap_malloc(size_t n)
{
    void *p = fail_now() ? NULL : __real_malloc(n);
    live += p != NULL;
    return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
    void *p = fail_now() ? NULL : __real_calloc(n, size);
    live += p != NULL;
    return p;
}

void *__wrap_realloc(void *old, size_t n)
{
    void *p = fail_now() ? NULL : __real_realloc(old, n);
    live += p != NULL && old == NULL;
    return p;
}

char *__wrap_strdup(const char *s)
{
    char *p = fail_now() ? NULL : __real_strdup(s);
    live += p != NULL;
    return p;
}

void __wrap_free(void *p)
{
    live -= p != NULL;
    __real_free(p);
}

static const char sample[] =
    "\xef\xbb\xbfround,lab,measurand,item,value,unit,U,k,remarks\r\n"
    "S-2025-BIL2,TC-BR,sulfur,D-9,9.8,mg/kg,1.2,2,\"multi\nline, \"\"quoted\"\" "
    "remark that is long enough to make the field buffer grow past its "
    "first size of 256 bytes: 0123456789012345678901234567890123456789012345"
    "6789012345678901234567890123456789012345678901234567890123456789012345"
    "678901234567890123456789\"\r\n"
    "S-2025-BIL2,OIL-REF,sulfur,D-9,9.1,mg/kg,,,\r\n"
    ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\n";

/* Read every record and number; PT_CSV_OK when all went through. */
static pt_csv_status read_all(char *err, size_t errlen)
{
    pt_csv *csv;
    const pt_csv_field *f;
    size_t n, i;
    double v;
    char why[128];
    pt_csv_status st = pt_csv_open_buffer("alloc.csv", sample,
                                          sizeof sample - 1, &csv, err,
                                          errlen);
    if (st != PT_CSV_OK)
        return st;
    while ((st = pt_csv_next(csv, &f, &n, err, errlen)) == PT_CSV_OK)
        for (i = 0; i < n; i++)
            (void)pt_csv_number(f[i].text, &v, why, sizeof why);
    pt_csv_free(csv);
    return st == PT_CSV_END ? PT_CSV_OK : st;
}

static void csv_reader_fails_cleanly_at_every_allocation(void **state)
{
    char err[256];
    long n, total;
    pt_csv_status st;

    (void)state;
    calls = 0, fail_at = 0, live = 0;
    assert_int_equal(read_all(err, sizeof err), PT_CSV_OK);
    total = calls;
    assert_int_equal(live, 0);
    assert_true(total >= 4);
    for (n = 1; n <= total + 1; n++) {
        calls = 0, fail_at = n, live = 0;
        err[0] = 0;
        st = read_all(err, sizeof err);
        if (n <= total) {
            assert_int_equal(st, PT_CSV_NOMEM);
            assert_non_null(strstr(err, "out of memory"));
        } else {
            assert_int_equal(st, PT_CSV_OK);
        }
        if (live != 0)
            fail_msg("failing allocation %ld of %ld: %ld blocks leaked", n,
                     total, live);
    }
    fail_at = 0;
}

static void csv_file_reader_fails_cleanly_at_every_allocation(void **state)
{
    char err[256], path[600];
    pt_csv *csv;
    FILE *f;
    long n, total;
    pt_csv_status st;

    (void)state;
    snprintf(path, sizeof path, "%s/alloc.csv", it_tmp());
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(sample, f);
    fclose(f);
    calls = 0, fail_at = 0, live = 0;
    assert_int_equal(pt_csv_open(path, &csv, err, sizeof err), PT_CSV_OK);
    pt_csv_free(csv);
    total = calls;
    for (n = 1; n <= total; n++) {
        calls = 0, fail_at = n, live = 0;
        st = pt_csv_open(path, &csv, err, sizeof err);
        assert_int_equal(st, PT_CSV_NOMEM);
        assert_non_null(strstr(err, "out of memory"));
        assert_int_equal(live, 0);
    }
    fail_at = 0;
}

const lims_plugin *pt_fuzz_entry_dehumidifier(void);
const lims_plugin *pt_fuzz_entry_fuel_sulfur(void);

/* Open an engine instance and give it both schemes. */
static lims_status open_engine(const lims_services *s, lims_instance **out,
                               char *err, size_t errlen)
{
    const lims_engine *e = lims_engine_entry_v1();
    lims_status rc = e->open(s, out, err, errlen);

    if (rc == LIMS_OK &&
        ((rc = e->scheme_add(*out, pt_fuzz_entry_dehumidifier(), err,
                             errlen)) ||
         (rc = e->scheme_add(*out, pt_fuzz_entry_fuel_sulfur(), err,
                             errlen)))) {
        e->close(*out);
        *out = NULL;
    }
    return rc;
}

static void import_fails_cleanly_at_every_allocation(void **state)
{
    lims_services svc;
    lims_instance *inst = NULL;
    char err[1024], db[600], csv[600], *before, *after;
    long n, total;
    lims_status rc;
    FILE *f;

    (void)state;
    snprintf(db, sizeof db, "%s/alloc.db", it_tmp());
    snprintf(csv, sizeof csv, "%s/alloc-results.csv", it_tmp());
    f = fopen(csv, "wb");
    assert_non_null(f);
    fputs("round,lab,measurand,item,value,unit,U,remarks\n"
          "S-2025-BIL2,TC-BR,sulfur,D-9,9.8,mg/kg,1.2,first\n"
          "S-2025-BIL2,OIL-REF,sulfur,D-9,0.00091,% m/m,0.0001,second\n",
          f);
    fclose(f);
    memset(&svc, 0, sizeof svc);
    svc.size = sizeof svc;
    svc.abi = LIMS_ABI_VERSION;
    svc.db_path = db;
    assert_int_equal(open_engine(&svc, &inst, err, sizeof err), LIMS_OK);
    assert_int_equal(lims_engine_entry_v1()->import_csv(inst, "fixtures/laboratories.csv", NULL,
                                   err, sizeof err),
                     LIMS_OK);
    assert_int_equal(
        lims_engine_entry_v1()->import_csv(inst, "fixtures/rounds.csv", NULL, err, sizeof err),
        LIMS_OK);
    lims_engine_entry_v1()->close(inst); /* checkpoints the WAL into the file */
    before = it_dump(db);

    /* count the allocations of a successful import, on a copy so the
     * real database stays as it was */
    {
        char copy[700];
        lims_instance *ci = NULL;
        lims_services cs = svc;
        snprintf(copy, sizeof copy, "%s/alloc-copy.db", it_tmp());
        it_copy(db, copy);
        cs.db_path = copy;
        assert_int_equal(open_engine(&cs, &ci, err, sizeof err), LIMS_OK);
        calls = 0, fail_at = 0;
        if (lims_engine_entry_v1()->import_csv(ci, csv, NULL, err, sizeof err) != LIMS_OK)
            fail_msg("import: %s", err);
        total = calls;
        lims_engine_entry_v1()->close(ci);
    }
    assert_int_equal(open_engine(&svc, &inst, err, sizeof err), LIMS_OK);
    assert_true(total >= 4);
    for (n = 1; n <= total; n++) {
        long live_before = live;
        calls = 0, fail_at = n;
        err[0] = 0;
        rc = lims_engine_entry_v1()->import_csv(inst, csv, NULL, err, sizeof err);
        fail_at = 0;
        if (rc == LIMS_OK)
            fail_msg("import succeeded although allocation %ld of %ld "
                     "failed",
                     n, total);
        if (rc != LIMS_ERR_NOMEM || !strstr(err, "out of memory"))
            fail_msg("failing allocation %ld of %ld: status %d: %s", n,
                     total, rc, err);
        assert_true(sqlite3_get_autocommit(inst->db));
        if (live != live_before)
            fail_msg("failing allocation %ld of %ld: %ld blocks leaked", n,
                     total, live - live_before);
    }
    lims_engine_entry_v1()->close(inst);
    after = it_dump(db);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void statistics_allocate_nothing(void **state)
{
    static const double x[] = {10.6, 8.1,  8.69, 8.1,  9.2, 9.9, 7.8,
                               8.4,  9.05, 12.4, 8.75, 9.3, 8.0, 25.0};
    static const size_t counts[] = {2, 2, 2, 2, 2, 2, 2};
    enum { N = sizeof x / sizeof x[0], P = 7 };
    double work[5 * N + 8], v;
    size_t iwork[6 * N + P + 1];
    pt_alga_result a;
    pt_qmethod_result q;
    pt_qhampel_result qh;
    pt_homog_result h;
    pt_prec_lab labs[P];
    pt_prec_result pr;

    (void)state;
    calls = 0, fail_at = 1, live = 0; /* any allocation would fail */
    assert_int_equal(pt_stats_median(x, N, work, &v), PT_STATS_OK);
    assert_int_equal(pt_stats_niqr(x, N, work, &v), PT_STATS_OK);
    assert_int_equal(pt_stats_made(x, N, work, &v), PT_STATS_OK);
    assert_int_equal(pt_stats_alga(x, N, NULL, work, &a), PT_STATS_OK);
    assert_int_equal(pt_stats_qn(x, N, work, iwork, &v), PT_STATS_OK);
    assert_int_equal(pt_stats_hampel(x, N, 1.0, work, &v), PT_STATS_OK);
    assert_int_equal(pt_stats_qmethod(x, counts, P, work, iwork, &q),
                     PT_STATS_OK);
    assert_int_equal(pt_stats_qhampel(x, counts, P, work, iwork, &qh),
                     PT_STATS_OK);
    assert_int_equal(pt_stats_homogeneity(x, P, 2, 1.0, &h), PT_STATS_OK);
    assert_int_equal(pt_stats_precision(x, counts, P, work, labs, &pr),
                     PT_STATS_OK);
    fail_at = 0;
    assert_int_equal(calls, 0);
    assert_int_equal(live, 0);
}

static int teardown(void **state)
{
    (void)state;
    it_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_reader_fails_cleanly_at_every_allocation),
        cmocka_unit_test(csv_file_reader_fails_cleanly_at_every_allocation),
        cmocka_unit_test(import_fails_cleanly_at_every_allocation),
        cmocka_unit_test(statistics_allocate_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
