/*
 * test_large_record.c -- pins down how the workbook copes with a record too
 * large for memory or for one sheet: the participants' results asked for
 * round by round from a pt_report_source give the same workbook as the
 * same results in memory; a source that fails or miscounts fails the
 * write and leaves no file; the source's digest is asked for once every
 * round has been read and is shown on the Index; beyond max_round_sheets
 * the most recent rounds and those with a signal get a sheet and the
 * Rounds sheet says why the others have none, linking them to All
 * results; All results continues on further sheets when one cannot hold
 * every result, each saying which results it holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pt_report.h"
#include "sample_report.h"
#include "wb_files.h"
#include "zipread.h"

#define ROUNDS_XML "xl/worksheets/sheet5.xml"
#define ALL_XML "xl/worksheets/sheet13.xml"
#define DIGEST "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

/* A source over the sample's rows (already in round and group order):
 * round i's rows are rows[first[i]] .. rows[first[i + 1] - 1]. */
typedef struct fake_source {
    const sample *s;
    size_t first[4];
    size_t asked[16]; /* rounds in the order asked for */
    size_t n_asked;
    int digest_asked_after; /* rounds asked for before the digest */
    int fail_round;         /* this round fails; -1: none */
} fake_source;

typedef struct fixture {
    wb_files w;
    sample s;
    fake_source fs;
    pt_report_source src;
    pt_report_row own[8]; /* the laboratory's own rows */
} fixture;

static pt_report_status fake_rows(void *ctx, size_t round,
                                  const pt_report_row **rows, size_t *n,
                                  char *err, size_t errlen)
{
    fake_source *fs = ctx;

    if (fs->n_asked < sizeof fs->asked / sizeof fs->asked[0])
        fs->asked[fs->n_asked++] = round;
    if ((int)round == fs->fail_round) {
        snprintf(err, errlen, "round %zu: disk I/O error", round);
        return PT_REPORT_ERR_SOURCE;
    }
    *rows = &fs->s->rows[fs->first[round]];
    *n = fs->first[round + 1] - fs->first[round];
    return PT_REPORT_OK;
}

static const char *fake_digest(void *ctx)
{
    fake_source *fs = ctx;

    fs->digest_asked_after = (int)fs->n_asked;
    return DIGEST;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    if (!f)
        return -1;
    if (wb_files_make(&f->w, "ptreport-large") != 0) {
        free(f);
        return -1;
    }
    sample_init(&f->s, PT_REPORT_ZH_TW);
    f->fs.s = &f->s;
    f->fs.fail_round = -1;
    f->fs.digest_asked_after = -1;
    for (size_t i = 0, r = 0; i <= f->s.r.n_rows; i++)
        while (r < 3 && (i == f->s.r.n_rows || f->s.rows[i].round >= r))
            f->fs.first[r++] = i;
    f->fs.first[3] = f->s.r.n_rows;
    f->src.round_rows = fake_rows;
    f->src.digest = fake_digest;
    f->src.ctx = &f->fs;
    f->src.n_rows = f->s.r.n_rows;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    wb_files_remove(&f->w);
    free(f);
    return 0;
}

/* The report as a plug-in gives it: own rows in memory, every
 * participant's from the source. */
static void use_source(fixture *f)
{
    size_t n = 0;

    for (size_t i = 0; i < f->s.r.n_rows; i++)
        if (f->s.rows[i].own)
            f->own[n++] = f->s.rows[i];
    f->s.r.rows = f->own;
    f->s.r.n_rows = n;
    f->s.r.source = &f->src;
}

static char *part(const fixture *f, const char *name)
{
    return wb_files_part(&f->w, name);
}

static void test_a_source_gives_the_same_workbook_as_rows_in_memory(
    void **state)
{
    fixture *f = *state;
    unsigned char *a, *b;
    size_t na, nb;

    f->s.r.data_sha256 = DIGEST;
    wb_files_write(&f->w, &f->s.r);
    a = zr_slurp(f->w.path, &na);
    use_source(f);
    f->s.r.data_sha256 = NULL;
    wb_files_write(&f->w, &f->s.r);
    b = zr_slurp(f->w.path, &nb);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
}

static void test_rounds_are_read_in_order_then_the_digest_is_asked(
    void **state)
{
    fixture *f = *state;
    char *xml;

    use_source(f);
    wb_files_write(&f->w, &f->s.r);
    /* All results: 0, 1, 2; then the three round sheets */
    assert_int_equal(f->fs.n_asked, 6);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(f->fs.asked[i], i);
        assert_int_equal(f->fs.asked[3 + i], i);
    }
    assert_int_equal(f->fs.digest_asked_after, 6);
    xml = part(f, "docProps/custom.xml");
    assert_non_null(strstr(xml, DIGEST));
    free(xml);
}

static void test_a_failing_source_fails_the_write_and_leaves_no_file(
    void **state)
{
    fixture *f = *state;

    use_source(f);
    f->fs.fail_round = 1;
    assert_int_equal(
        pt_report_write(&f->s.r, f->w.path, f->w.err, sizeof f->w.err),
        PT_REPORT_ERR_SOURCE);
    assert_string_equal(f->w.err, "round 1: disk I/O error");
    assert_int_equal(access(f->w.path, F_OK), -1);
}

static void test_a_source_that_miscounts_is_refused(void **state)
{
    fixture *f = *state;

    use_source(f);
    f->src.n_rows--;
    assert_int_equal(
        pt_report_write(&f->s.r, f->w.path, f->w.err, sizeof f->w.err),
        PT_REPORT_ERR_ARG);
    assert_non_null(strstr(f->w.err, "more rows than n_rows"));
    f->src.n_rows += 2;
    assert_int_equal(
        pt_report_write(&f->s.r, f->w.path, f->w.err, sizeof f->w.err),
        PT_REPORT_ERR_ARG);
    assert_non_null(strstr(f->w.err, "but the rounds gave"));
    assert_int_equal(access(f->w.path, F_OK), -1);
}

/* Two sheets for three rounds: the most recent (S-2025-03, which also has
 * the unsatisfactory own result) and the next most recent (PT/2025:07);
 * DH-2025-01 links to its first row on All results. */
static void test_beyond_the_limit_recent_and_signal_rounds_get_sheets(
    void **state)
{
    fixture *f = *state;
    char *wb, *rounds, *sst;

    use_source(f);
    f->s.r.max_round_sheets = 2;
    wb_files_write(&f->w, &f->s.r);
    wb = part(f, "xl/workbook.xml");
    assert_non_null(strstr(wb, "<sheet name=\"S-2025-03\""));
    assert_non_null(strstr(wb, "<sheet name=\"PT_2025_07\""));
    assert_null(strstr(wb, "<sheet name=\"DH-2025-01\""));
    free(wb);
    rounds = part(f, ROUNDS_XML);
    assert_non_null(
        strstr(rounds, "location=\"'全部結果 All results'!A5\""));
    assert_non_null(strstr(rounds, "location=\"'S-2025-03'!A1\""));
    free(rounds);
    sst = wb_files_strings(&f->w);
    assert_non_null(strstr(sst, "無：結果見全部結果"));
    assert_non_null(strstr(sst, "有：最近之輪次"));
    assert_non_null(strstr(sst, "3 個輪次，至多 2 個輪次工作表"));
    free(sst);
    /* the sheets not written are not asked for */
    assert_int_equal(f->fs.n_asked, 5);
}

/* Two sheets, the signal round now the oldest: the most recent round
 * (PT/2025:07) and the signal round get them, not the more recent
 * DH-2025-01. */
static void test_a_signal_round_gets_a_sheet_before_other_recent_ones(
    void **state)
{
    fixture *f = *state;
    char *wb;

    sample_init(&f->s, PT_REPORT_EN);
    f->s.rounds[1].opened = "2025-01-02"; /* the signal round, now oldest */
    use_source(f);
    f->s.r.max_round_sheets = 2;
    wb_files_write(&f->w, &f->s.r);
    wb = part(f, "xl/workbook.xml");
    assert_non_null(strstr(wb, "<sheet name=\"PT_2025_07\""));
    assert_non_null(strstr(wb, "<sheet name=\"S-2025-03\""));
    assert_null(strstr(wb, "<sheet name=\"DH-2025-01\""));
    free(wb);
    wb = wb_files_strings(&f->w);
    assert_non_null(
        strstr(wb, "Yes: a questionable or unsatisfactory own result"));
    free(wb);
}

/* 31 results, 10 a sheet: four sheets, each saying which results it holds;
 * the PT round (results 20 to 31) begins on the second at its 10th row. */
static void test_all_results_continue_on_further_sheets(void **state)
{
    fixture *f = *state;
    char *wb, *xml, *rounds;

    use_source(f);
    f->s.r.max_sheet_rows = 10;
    f->s.r.max_round_sheets = 1;
    wb_files_write(&f->w, &f->s.r);
    wb = part(f, "xl/workbook.xml");
    assert_non_null(strstr(wb, "<sheet name=\"全部結果 All results\""));
    assert_non_null(strstr(wb, "<sheet name=\"全部結果 All results (2)\""));
    assert_non_null(strstr(wb, "<sheet name=\"全部結果 All results (4)\""));
    assert_null(strstr(wb, "<sheet name=\"全部結果 All results (5)\""));
    assert_non_null(strstr(wb, "<definedName name=\"PT_All_Results_4\">"));
    free(wb);
    xml = part(f, ALL_XML);
    assert_non_null(strstr(xml, "<row r=\"14\""));
    assert_null(strstr(xml, "<row r=\"15\""));
    assert_non_null(strstr(xml, "<autoFilter ref=\"A4:V14\"/>"));
    free(xml);
    xml = wb_files_strings(&f->w);
    assert_non_null(strstr(xml, "本張為第 2 張，第 11 至 20 筆；其後接續於"
                                "「全部結果 All results (3)」"));
    assert_non_null(strstr(xml, "本張為第 4 張，第 31 至 31 筆。"));
    free(xml);
    rounds = part(f, ROUNDS_XML);
    assert_non_null(
        strstr(rounds, "location=\"'全部結果 All results (2)'!A14\""));
    free(rounds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_a_source_gives_the_same_workbook_as_rows_in_memory),
        T(test_rounds_are_read_in_order_then_the_digest_is_asked),
        T(test_a_failing_source_fails_the_write_and_leaves_no_file),
        T(test_a_source_that_miscounts_is_refused),
        T(test_beyond_the_limit_recent_and_signal_rounds_get_sheets),
        T(test_a_signal_round_gets_a_sheet_before_other_recent_ones),
        T(test_all_results_continue_on_further_sheets),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
