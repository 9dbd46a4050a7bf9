/*
 * test_round_charts.c -- the ISO 13528 clause 10 charts of the round
 * sheets (reports/pt_report_roundchart.c, pt_report_roundplot.c), read
 * back from the written workbook by tests/reports/check_charts.py: a
 * kernel density chart for every measurand x item with 5 results or more,
 * whose curve equals the density recomputed by a Python oracle (math
 * only) with the bandwidth rule stated on the sheet; a histogram only
 * from 10 results on, with whole-number count ticks and round bin edges;
 * a Youden plot on one scale for the round with paired items and none
 * for the others; titles naming measurand and item; no page break inside
 * a chart.
 *
 * The sample (sample_report.h) has a 5-laboratory ILC scored by En (three
 * measurands, no σ_pt: Silverman's rule), a bilateral with two items of
 * one measurand (paired, but only 2 participants: no Youden plot) and a
 * 12-laboratory PT, to which this test adds a second item of the same
 * measurand (a paired PT: a Youden plot).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pt_report.h"
#include "sample_report.h"
#include "zipread.h"
#include "wb_files.h"

typedef struct fixture {
    wb_files w;
    sample s;
    pt_report_group pt2[2];
} fixture;

/* The PT round with a second item PT-7B of the same measurand: each
 * laboratory's result on it is its first result + 1.6 mg/kg and a part of
 * its deviation again (a systematic error shows on both items). */
static void add_second_item(fixture *f)
{
    static const char *const labs[12] = {"P01", "P02", "P03", "P04",
                                         "P05", "P06", "P07", "P08",
                                         "P09", "P10", "P11", "P12"};
    sample *s = &f->s;
    size_t first = s->r.n_rows - 12;

    f->pt2[0] = s->pt[0];
    f->pt2[1] = s->pt[0];
    f->pt2[1].item = "PT-7B";
    f->pt2[1].x_pt = 11.80;
    s->rounds[2].groups = f->pt2;
    s->rounds[2].n_groups = 2;
    for (size_t l = 0; l < 12; l++) {
        double x = s->rows[first + l].value;
        double y = 11.80 + 0.8 * (x - 10.12) + (l % 2 ? 0.1 : -0.1);
        sample_add_z(s, 2, 1, &f->pt2[1], labs[l], l == 6,
                     floor(y * 10 + 0.5) / 10, "ASTM D5453");
    }
}

static int setup_lang(void **state, pt_report_lang lang)
{
    fixture *f = calloc(1, sizeof *f);

    if (!f)
        return -1;
    if (wb_files_make(&f->w, "ptcharts-test") != 0) {
        free(f);
        return -1;
    }
    sample_init(&f->s, lang);
    add_second_item(f);
    *state = f;
    return 0;
}

static int setup(void **state) { return setup_lang(state, PT_REPORT_EN); }

static int setup_zh(void **state)
{
    return setup_lang(state, PT_REPORT_ZH_TW);
}

static int teardown(void **state)
{
    fixture *f = *state;

    wb_files_remove(&f->w);
    free(f);
    return 0;
}

/* Runs check_charts.py on the written workbook with `args`; fails with
 * its report unless it says ok. */
static void check_charts(const fixture *f, const char *args)
{
    char cmd[1024], all[8192];
    size_t used = 0, got;
    FILE *p;
    int rc;

    snprintf(cmd, sizeof cmd,
             "python3 tests/reports/check_charts.py %s %s 2>&1", f->w.path,
             args);
    p = popen(cmd, "r");
    assert_non_null(p);
    while (used + 1 < sizeof all &&
           (got = fread(all + used, 1, sizeof all - 1 - used, p)) > 0)
        used += got;
    all[used] = '\0';
    rc = pclose(p);
    if (rc != 0 || strncmp(all, "ok", 2) != 0)
        fail_msg("check_charts.py %s:\n%s", args, all);
}

static void charts_follow_the_rules_and_the_oracle(void **state)
{
    fixture *f = *state;

    wb_files_write(&f->w, &f->s.r);
    /* kernel density: 3 ILC measurands (5 results) + 2 PT items; none for
     * the bilateral's 2 results; histograms for the PT items only */
    check_charts(f, "--kde 5 --histograms 2 --youden 1 "
                    "--youden-round PT/2025:07 --no-youden-round S-2025-03 "
                    "--no-youden-round DH-2025-01");
}

static void the_rules_are_stated_on_the_sheets(void **state)
{
    fixture *f = *state;
    char *text;

    wb_files_write(&f->w, &f->s.r);
    text = wb_files_strings(&f->w);
    assert_non_null(text);
    if (f->s.r.lang == PT_REPORT_EN) {
        assert_non_null(strstr(text, "bandwidth h = 0.75 σ_pt = 0.338 mg/kg"));
        assert_non_null(strstr(text, "h = 0.9 min(SD, nIQR) n^(-1/5)"));
        assert_non_null(strstr(text, "No histogram: 5 results (it needs 10 "
                                     "or more)."));
        assert_non_null(strstr(text, "No kernel density: 2 results (it "
                                     "needs 5 or more)."));
        assert_non_null(strstr(text, "No Youden plot (S-01 / S-02): 2 "
                                     "participants with results on both "
                                     "items"));
    } else {
        assert_non_null(strstr(text, "頻寬 h = 0.75 σ_pt = 0.338 mg/kg"));
        assert_non_null(strstr(text, "未繪直方圖：5 筆結果（至少需 10 筆）。"));
        assert_non_null(strstr(text, "未繪 Youden 圖（S-01 / S-02）"));
    }
    free(text);
}

/* The check can fail: a density curve one part in 10^9 off is found. */
static void the_check_finds_a_wrong_density(void **state)
{
    fixture *f = *state;
    char cmd[1024];

    wb_files_write(&f->w, &f->s.r);
    snprintf(cmd, sizeof cmd,
             "python3 - %s <<'EOF'\n"
             "import re, sys, zipfile, shutil\n"
             "src = sys.argv[1]; dst = src + '.bad.xlsx'\n"
             "zi = zipfile.ZipFile(src)\n"
             "zo = zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED)\n"
             "done = False\n"
             "for n in zi.namelist():\n"
             "    d = zi.read(n)\n"
             "    if not done and n.startswith('xl/worksheets/sheet') and "
             "b'<c r=\"BH' in d:\n"
             "        d, k = re.subn(rb'(<c r=\"BH\\d+\"[^>]*><v>)([0-9.e-]+)',"
             " lambda m: m.group(1) + repr(float(m.group(2)) * (1 + 1e-9))"
             ".encode(), d, count=4)\n"
             "        done = k > 0\n"
             "    zo.writestr(n, d)\n"
             "zo.close()\n"
             "sys.exit(0 if done else 3)\n"
             "EOF",
             f->w.path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "python3 tests/reports/check_charts.py %s.bad.xlsx "
             ">/dev/null 2>&1",
             f->w.path);
    assert_int_not_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s.bad.xlsx", f->w.path);
    remove(cmd);
}

/* Without a second item no Youden plot, and the expected count fails. */
static void unpaired_rounds_have_no_youden_plot(void **state)
{
    fixture *f = *state;

    f->s.rounds[2].n_groups = 1;
    f->s.r.n_rows -= 12;
    wb_files_write(&f->w, &f->s.r);
    check_charts(f, "--youden 0 --kde 4 --histograms 1 "
                    "--no-youden-round PT/2025:07");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            charts_follow_the_rules_and_the_oracle, setup, teardown),
        cmocka_unit_test_setup_teardown(
            charts_follow_the_rules_and_the_oracle, setup_zh, teardown),
        cmocka_unit_test_setup_teardown(the_rules_are_stated_on_the_sheets,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(the_rules_are_stated_on_the_sheets,
                                        setup_zh, teardown),
        cmocka_unit_test_setup_teardown(the_check_finds_a_wrong_density,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(unpaired_rounds_have_no_youden_plot,
                                        setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
