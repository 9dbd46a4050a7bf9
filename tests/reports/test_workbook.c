/*
 * test_workbook.c -- pins down what pt_report_write() puts in the audit
 * workbook and how it fails: the sheets, reproducible bytes, text that is
 * never a formula, empty cells for numbers that do not apply, full-precision
 * numbers with a decimal point whatever the caller's locale, and a failure
 * that keeps the previous workbook and leaves no temporary file.
 *
 * The workbook is read back with the small zip reader in zipread.h (no
 * unzip(1) needed).
 */
#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pt_report.h"
#include "sample_report.h"
#include "wb_files.h"
#include "zipread.h"

/* The Results sheet (once the summary) is the 4th; the round sheets
 * follow the 11 fixed sheets (the 10 audit sheets and All results). */
#define RESULTS_XML "xl/worksheets/sheet6.xml"
#define ROUND1_XML "xl/worksheets/sheet14.xml"
#define ROUND3_XML "xl/worksheets/sheet16.xml"

typedef struct fixture {
    wb_files w;
    sample s;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    if (!f)
        return -1;
    if (wb_files_make(&f->w, "ptreport-test") != 0) {
        free(f);
        return -1;
    }
    sample_init(&f->s, PT_REPORT_ZH_TW);
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

static void write_ok(fixture *f)
{
    wb_files_write(&f->w, &f->s.r);
}

static char *part(const fixture *f, const char *name)
{
    return wb_files_part(&f->w, name);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The text of cell `ref` (e.g. "U8") in a sheet's XML: the whole <c .../>
 * or <c ...>...</c> element, or NULL if there is no such cell. */
static char *cell(const char *xml, const char *ref, char *buf, size_t n)
{
    char key[32];
    const char *start, *end;

    snprintf(key, sizeof key, "<c r=\"%s\"", ref);
    start = strstr(xml, key);
    if (!start)
        return NULL;
    end = strchr(start, '>');
    if (end && end[-1] != '/')
        end = strstr(start, "</c>"), end = end ? end + 3 : NULL;
    if (!end || (size_t)(end - start + 1) >= n)
        return NULL;
    memcpy(buf, start, (size_t)(end - start + 1));
    buf[end - start + 1] = '\0';
    return buf;
}

static void test_workbook_lists_summary_then_one_sheet_per_round(void **state)
{
    fixture *f = *state;
    char *wb;
    const char *a, *b, *c, *d;

    write_ok(f);
    wb = part(f, "xl/workbook.xml");
    a = strstr(wb, "<sheet name=\"結果 Results\"");
    b = strstr(wb, "<sheet name=\"DH-2025-01\"");
    c = strstr(wb, "<sheet name=\"S-2025-03\"");
    /* "PT/2025:07" has characters Excel refuses in a sheet name */
    d = strstr(wb, "<sheet name=\"PT_2025_07\"");
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_non_null(d);
    assert_true(a < b && b < c && c < d);
    free(wb);
}

static void test_english_workbook_names_the_summary_in_english(void **state)
{
    fixture *f = *state;
    char *wb;

    sample_init(&f->s, PT_REPORT_EN);
    write_ok(f);
    wb = part(f, "xl/workbook.xml");
    assert_non_null(strstr(wb, "<sheet name=\"Results\""));
    free(wb);
}

static void test_same_report_gives_identical_bytes(void **state)
{
    fixture *f = *state;
    unsigned char *one, *two;
    size_t n1, n2;
    char second[160];

    write_ok(f);
    one = zr_slurp(f->w.path, &n1);
    /* zip times have a resolution of two seconds */
    sleep(2);
    snprintf(second, sizeof second, "%s/again.xlsx", f->w.dir);
    assert_int_equal(pt_report_write(&f->s.r, second, f->w.err, sizeof f->w.err),
                     PT_REPORT_OK);
    two = zr_slurp(second, &n2);
    assert_non_null(one);
    assert_non_null(two);
    assert_int_equal(n1, n2);
    assert_memory_equal(one, two, n1);
    free(one);
    free(two);
}

static void test_document_dates_come_from_generated_at(void **state)
{
    fixture *f = *state;
    char *core;

    write_ok(f);
    core = part(f, "docProps/core.xml");
    assert_non_null(strstr(core, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">"
                                 "2025-07-01T08:30:00Z</dcterms:created>"));
    assert_non_null(strstr(core,
                           "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">"
                           "2025-07-01T08:30:00Z</dcterms:modified>"));
    assert_non_null(strstr(core, "<dc:creator>ptlims</dc:creator>"));
    free(core);
}

static void test_formula_like_text_is_stored_as_a_string(void **state)
{
    fixture *f = *state;
    char *sst, *sheet;
    char name[40];

    /* The first rows are round 0, group 0: L01 ... L05, L03 own. */
    f->s.rows[2].value_text = "=1+1";
    f->s.rows[2].method = "+SUM(A1:A9)";
    f->s.rows[1].lab = "@cmd";
    f->s.rows[3].method = "-2+3";
    write_ok(f);
    sst = wb_files_strings(&f->w);
    assert_non_null(strstr(sst, "<t>=1+1</t>"));
    assert_non_null(strstr(sst, "<t>+SUM(A1:A9)</t>"));
    assert_non_null(strstr(sst, "<t>@cmd</t>"));
    assert_non_null(strstr(sst, "<t>-2+3</t>"));
    for (int i = 1; i <= 14; i++) { /* every sheet */
        snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i);
        sheet = part(f, name);
        assert_null(strstr(sheet, "<f>"));
        assert_null(strstr(sheet, "<f "));
        free(sheet);
    }
    free(sst);
}

static void test_nan_score_leaves_the_cell_without_a_value(void **state)
{
    fixture *f = *state;
    char *sheet, buf[256];

    write_ok(f);
    sheet = part(f, RESULTS_XML);
    /* Summary row 8 is the first own result: scored by En, so z (column
     * U) is NAN and En (column X) is -0.6. */
    assert_non_null(cell(sheet, "U8", buf, sizeof buf));
    assert_null(strstr(buf, "<v>"));
    assert_null(strstr(buf, "<f>"));
    assert_non_null(cell(sheet, "X8", buf, sizeof buf));
    assert_non_null(strstr(buf, "<v>-0.6"));
    free(sheet);
}

static void test_numbers_are_stored_at_full_precision(void **state)
{
    fixture *f = *state;
    const pt_report_row *p01 = &f->s.rows[f->s.r.n_rows - 12];
    char *sheet, want[64];

    write_ok(f);
    sheet = part(f, ROUND3_XML);
    /* P01: z = (9.8 - 10.12) / 0.45 is shown as -0.71 but stored with all
     * 16 significant digits (-0.7111111111111078 in binary floating point) */
    assert_string_equal(p01->lab, "P01");
    snprintf(want, sizeof want, "<v>%.16G</v>", p01->z);
    assert_true(strlen(want) > 20);
    assert_non_null(strstr(sheet, want));
    assert_non_null(strstr(sheet, "<v>10.12</v>"));
    free(sheet);
}

static void test_summary_lists_only_own_results(void **state)
{
    fixture *f = *state;
    char *sheet, buf[256];

    write_ok(f);
    sheet = part(f, RESULTS_XML);
    /* 6 own results: rows 8 to 13, then nothing */
    assert_non_null(cell(sheet, "A13", buf, sizeof buf));
    assert_null(cell(sheet, "A14", buf, sizeof buf));
    assert_non_null(strstr(sheet, "<autoFilter ref=\"A7:AK13\"/>"));
    assert_non_null(strstr(sheet, "state=\"frozen\""));
    free(sheet);
}

static void test_round_sheet_names_only_the_own_laboratory(void **state)
{
    fixture *f = *state;
    char *sst;

    write_ok(f);
    sst = wb_files_strings(&f->w);
    assert_non_null(strstr(sst, "<t>L01</t>"));
    assert_non_null(strstr(sst, "<t>L03（臺中分局電氣及化學實驗室）</t>"));
    assert_non_null(strstr(sst, "<t>P07（臺中分局電氣及化學實驗室）</t>"));
    free(sst);
}

static void test_sheets_print_on_a4_landscape_with_page_numbers(void **state)
{
    fixture *f = *state;
    char *sheet;

    write_ok(f);
    sheet = part(f, ROUND1_XML);
    assert_non_null(strstr(sheet, "paperSize=\"9\""));
    assert_non_null(strstr(sheet, "orientation=\"landscape\""));
    assert_non_null(strstr(sheet, "Page &amp;P of &amp;N"));
    free(sheet);
}

static void test_malformed_utf8_is_repaired_not_written(void **state)
{
    fixture *f = *state;
    char *sst;

    f->s.rows[2].value_text = "2.9\xff";
    write_ok(f);
    sst = wb_files_strings(&f->w);
    assert_non_null(strstr(sst, "<t>2.9\xEF\xBF\xBD</t>"));
    assert_null(strchr(sst, '\xff'));
    free(sst);
}

static void test_bad_row_index_is_refused_by_name(void **state)
{
    fixture *f = *state;

    f->s.rows[4].group = 7;
    assert_int_equal(pt_report_write(&f->s.r, f->w.path, f->w.err, sizeof f->w.err),
                     PT_REPORT_ERR_ARG);
    assert_non_null(strstr(f->w.err, "rows[4].group"));
    assert_false(file_exists(f->w.path));
}

static void test_malformed_date_is_refused_by_name(void **state)
{
    fixture *f = *state;

    f->s.rounds[1].opened = "2025/06/02";
    assert_int_equal(pt_report_write(&f->s.r, f->w.path, f->w.err, sizeof f->w.err),
                     PT_REPORT_ERR_ARG);
    assert_non_null(strstr(f->w.err, "rounds[1].opened"));
    f->s.rounds[1].opened = "2025-06-02";
    f->s.r.generated_at = "2025-02-30T00:00:00";
    assert_int_equal(pt_report_write(&f->s.r, f->w.path, f->w.err, sizeof f->w.err),
                     PT_REPORT_ERR_ARG);
    assert_non_null(strstr(f->w.err, "generated_at"));
}

static void test_missing_directory_fails_with_the_path(void **state)
{
    fixture *f = *state;
    char path[160];

    snprintf(path, sizeof path, "%s/no/such/dir/audit.xlsx", f->w.dir);
    assert_int_equal(pt_report_write(&f->s.r, path, f->w.err, sizeof f->w.err),
                     PT_REPORT_ERR_WRITE);
    assert_non_null(strstr(f->w.err, "audit.xlsx.tmp"));
    assert_non_null(strstr(f->w.err, "No such file or directory"));
}

static void test_failure_mid_write_keeps_previous_file_and_no_tmp(void **state)
{
    fixture *f = *state;
    unsigned char *before, *after;
    size_t n1, n2;
    char tmp[160];
    static char huge[40000];

    write_ok(f);
    before = zr_slurp(f->w.path, &n1);
    /* A text longer than a cell can hold fails after the file was begun. */
    memset(huge, 'x', sizeof huge - 1);
    f->s.rows[20].method = huge;
    f->s.r.software = "ptlims 9.9.9";
    assert_int_equal(pt_report_write(&f->s.r, f->w.path, f->w.err, sizeof f->w.err),
                     PT_REPORT_ERR_ARG);
    assert_true(strlen(f->w.err) > 0);
    snprintf(tmp, sizeof tmp, "%s.tmp", f->w.path);
    assert_false(file_exists(tmp));
    after = zr_slurp(f->w.path, &n2);
    assert_non_null(before);
    assert_non_null(after);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    free(before);
    free(after);
}

static void test_unwritable_tmp_keeps_previous_file(void **state)
{
    fixture *f = *state;
    unsigned char *before, *after;
    size_t n1, n2;
    char tmp[160];

    write_ok(f);
    before = zr_slurp(f->w.path, &n1);
    /* A directory where the temporary file should go cannot be opened for
     * writing, even by root (for whom chmod would not stop a write). */
    snprintf(tmp, sizeof tmp, "%s.tmp", f->w.path);
    assert_int_equal(mkdir(tmp, 0755), 0);
    f->s.r.software = "ptlims 9.9.9";
    assert_int_equal(pt_report_write(&f->s.r, f->w.path, f->w.err, sizeof f->w.err),
                     PT_REPORT_ERR_WRITE);
    assert_non_null(strstr(f->w.err, "audit.xlsx.tmp"));
    after = zr_slurp(f->w.path, &n2);
    assert_non_null(after);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    free(before);
    free(after);
}

/* The fill colour (RRGGBB) of the style of cell `ref` in `sheet`, looked up
 * through styles.xml: cellXfs[s] -> fills[fillId] -> fgColor. */
static void fill_of(const fixture *f, const char *sheet, const char *ref,
                    char rgb[7])
{
    char *xml = part(f, sheet), *styles = part(f, "xl/styles.xml");
    char buf[512];
    const char *p, *fills, *xfs;
    int s, fill;

    assert_non_null(cell(xml, ref, buf, sizeof buf));
    p = strstr(buf, " s=\"");
    assert_non_null(p);
    s = atoi(p + 4);
    xfs = strstr(styles, "<cellXfs");
    assert_non_null(xfs);
    for (p = xfs; s >= 0; s--) {
        p = strstr(p + 1, "<xf ");
        assert_non_null(p);
    }
    p = strstr(p, "fillId=\"");
    assert_non_null(p);
    fill = atoi(p + 8);
    fills = strstr(styles, "<fills");
    assert_non_null(fills);
    for (p = fills; fill >= 0; fill--) {
        p = strstr(p + 1, "<fill>");
        assert_non_null(p);
    }
    p = strstr(p, "<fgColor rgb=\"FF");
    assert_non_null(p);
    memcpy(rgb, p + 16, 6);
    rgb[6] = '\0';
    free(xml);
    free(styles);
}

static void test_verdict_cells_are_coloured_by_verdict(void **state)
{
    fixture *f = *state;
    char rgb[7];

    write_ok(f);
    /* Summary rows 8-13, verdict in column Z: row 12 is the unsatisfactory
     * S-02 result, row 13 the satisfactory PT result. */
    fill_of(f, RESULTS_XML, "Z12", rgb);
    assert_string_equal(rgb, "FFC7CE"); /* red */
    fill_of(f, RESULTS_XML, "Z13", rgb);
    assert_string_equal(rgb, "C6EFCE"); /* green */
    /* Round DH-2025-01: results from row 21 (after the round statistics
     * of its 3 groups), verdict in column R; the reference laboratory L01
     * (row 21) is not scored. */
    fill_of(f, ROUND1_XML, "R21", rgb);
    assert_string_equal(rgb, "EDEDED"); /* grey */
}

static void test_report_without_rounds_gives_a_summary_only(void **state)
{
    fixture *f = *state;
    char *wb, *sheet;

    f->s.r.n_rounds = 0;
    f->s.r.n_rows = 0;
    write_ok(f);
    wb = part(f, "xl/workbook.xml");
    assert_non_null(strstr(wb, "<sheet name=\"結果 Results\""));
    assert_null(strstr(wb, "DH-2025-01"));
    sheet = part(f, RESULTS_XML);
    assert_non_null(strstr(sheet, "<autoFilter ref=\"A7:AK7\"/>"));
    free(wb);
    free(sheet);
}

static void test_round_without_evaluation_or_results_is_written(void **state)
{
    fixture *f = *state;
    char *wb;

    /* keep only the rows of the first round, and drop its groups' rows */
    f->s.r.n_rows = 0;
    f->s.rounds[1].n_groups = 0;
    f->s.rounds[1].groups = NULL;
    write_ok(f);
    wb = part(f, "xl/workbook.xml");
    assert_non_null(strstr(wb, "<sheet name=\"S-2025-03\""));
    free(wb);
}

static void test_thread_locale_is_restored(void **state)
{
    fixture *f = *state;
    locale_t mine = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t before;

    assert_non_null(mine);
    before = uselocale(mine);
    write_ok(f);
    assert_true(uselocale((locale_t)0) == mine);
    uselocale(before);
    freelocale(mine);
}

/* Puts a locale whose decimal separator is a comma into LC_NUMERIC of the
 * process, as a careless host would.  Tries installed locales, then
 * compiles de_DE with localedef into dir.  Returns its name, or NULL. */
static const char *set_comma_locale(const char *dir)
{
    static const char *const names[] = {
        "de_DE.UTF-8", "de_DE.utf8",  "fr_FR.UTF-8", "nl_NL.UTF-8",
        "es_ES.UTF-8", "it_IT.UTF-8", "pt_BR.UTF-8", "ru_RU.UTF-8"};
    char cmd[512];
    int ok;

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (setlocale(LC_NUMERIC, names[i]) &&
            strcmp(localeconv()->decimal_point, ",") == 0)
            return names[i];
    snprintf(cmd, sizeof cmd,
             "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1",
             dir);
    if (system(cmd) != 0 && !file_exists(dir))
        return NULL;
    setenv("LOCPATH", dir, 1);
    ok = setlocale(LC_NUMERIC, "de_DE.UTF-8") &&
         strcmp(localeconv()->decimal_point, ",") == 0;
    /* The loaded locale stays; glibc's newlocale() leaks a little while
     * LOCPATH is set, which would fail the valgrind run. */
    unsetenv("LOCPATH");
    return ok ? "de_DE.UTF-8 (compiled with localedef)" : NULL;
}

static void test_numbers_use_a_point_under_a_comma_locale(void **state)
{
    fixture *f = *state;
    const char *name;
    char *sheet, probe[32];

    f->s.rows[2].value = 1.25;
    name = set_comma_locale(f->w.dir);
    if (name) {
        print_message("decimal comma locale: %s\n", name);
        snprintf(probe, sizeof probe, "%.2f", 1.25);
        assert_string_equal(probe, "1,25"); /* the trap is armed */
    }
    write_ok(f);
    if (name)
        /* the caller's locale is back after the call */
        assert_string_equal(localeconv()->decimal_point, ",");
    setlocale(LC_NUMERIC, "C");

    sheet = part(f, ROUND1_XML);
    assert_non_null(strstr(sheet, "<v>1.25</v>"));
    assert_null(strstr(sheet, "<v>1,25</v>"));
    free(sheet);
    if (!name) {
        print_message("no locale with a decimal comma could be installed or "
                      "compiled (install the 'locales' package): only the "
                      "\"C\" locale was checked\n");
        skip();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_workbook_lists_summary_then_one_sheet_per_round, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_english_workbook_names_the_summary_in_english, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_same_report_gives_identical_bytes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_document_dates_come_from_generated_at, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_formula_like_text_is_stored_as_a_string, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_nan_score_leaves_the_cell_without_a_value, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_numbers_are_stored_at_full_precision, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_lists_only_own_results,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_round_sheet_names_only_the_own_laboratory, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_sheets_print_on_a4_landscape_with_page_numbers, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_malformed_utf8_is_repaired_not_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_row_index_is_refused_by_name,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_date_is_refused_by_name,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_missing_directory_fails_with_the_path, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_failure_mid_write_keeps_previous_file_and_no_tmp, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_tmp_keeps_previous_file,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_verdict_cells_are_coloured_by_verdict, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_report_without_rounds_gives_a_summary_only, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_round_without_evaluation_or_results_is_written, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_thread_locale_is_restored, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_numbers_use_a_point_under_a_comma_locale, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
