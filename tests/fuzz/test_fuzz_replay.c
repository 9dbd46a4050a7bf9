/*
 * test_fuzz_replay.c -- replays the fuzz corpus under the ordinary build
 * (gcc, make test; ASan under make asan, valgrind under make valgrind), so
 * every input a fuzzer found interesting, and every crash it once found,
 * stays a regression test without libFuzzer.
 *
 * tests/fuzz/corpus/<target>/ holds the inputs; the import target also
 * replays fixtures/bad/ and the fixtures themselves, the record target
 * (plan and corrective-action files) tests/integrity/corpus2/.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz_targets.h"

/* Run every regular file of `dir` through `fn`; returns how many. */
static size_t replay_dir(const char *dir, int (*fn)(const uint8_t *, size_t))
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1024];
    size_t n = 0, len;
    uint8_t *buf;
    FILE *f;
    long sz;

    if (!d)
        fail_msg("cannot open %s (run from the repository top)", dir);
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        f = fopen(path, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        sz = ftell(f);
        fseek(f, 0, SEEK_SET);
        buf = malloc(sz > 0 ? (size_t)sz : 1);
        assert_non_null(buf);
        len = fread(buf, 1, (size_t)(sz > 0 ? sz : 0), f);
        fclose(f);
        fn(buf, len);
        free(buf);
        n++;
    }
    closedir(d);
    return n;
}

static void csv_corpus_replays_without_a_fault(void **state)
{
    (void)state;
    assert_true(replay_dir("tests/fuzz/corpus/csv", pt_fuzz_csv) > 0);
    assert_true(replay_dir("fixtures/bad", pt_fuzz_csv) >= 40);
}

static void import_corpus_replays_without_a_fault(void **state)
{
    (void)state;
    assert_true(replay_dir("tests/fuzz/corpus/import", pt_fuzz_import) > 0);
    assert_true(replay_dir("fixtures/bad", pt_fuzz_import) >= 40);
    pt_fuzz_import_cleanup();
}

static void record_corpus_replays_without_a_fault(void **state)
{
    (void)state;
    assert_true(replay_dir("tests/fuzz/corpus/record", pt_fuzz_record) > 0);
    assert_true(replay_dir("tests/integrity/corpus2", pt_fuzz_record) >=
                150);
    pt_fuzz_record_cleanup();
}

static void sync_corpus_replays_without_a_fault(void **state)
{
    (void)state;
    assert_true(replay_dir("tests/fuzz/corpus/sync", pt_fuzz_sync) > 0);
    pt_fuzz_sync_cleanup();
}

static void calc_corpus_replays_without_a_fault(void **state)
{
    (void)state;
    assert_true(replay_dir("tests/fuzz/corpus/calc", pt_fuzz_calc) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_corpus_replays_without_a_fault),
        cmocka_unit_test(import_corpus_replays_without_a_fault),
        cmocka_unit_test(record_corpus_replays_without_a_fault),
        cmocka_unit_test(sync_corpus_replays_without_a_fault),
        cmocka_unit_test(calc_corpus_replays_without_a_fault),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
