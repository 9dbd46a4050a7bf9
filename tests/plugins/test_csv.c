/*
 * test_csv.c -- the RFC 4180 reader and the strict number and date rules,
 * tested directly on buffers.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "pt_csv.h"

static pt_csv *open_text(const char *text)
{
    pt_csv *c = NULL;
    char err[256];
    if (pt_csv_open_buffer("t.csv", text, strlen(text), &c, err,
                           sizeof err) != PT_CSV_OK)
        fail_msg("%s", err);
    return c;
}

static void quoted_fields_keep_commas_quotes_and_line_breaks(void **state)
{
    pt_csv *c = open_text("a,\"b, \"\"c\"\"\nd\",e\n");
    const pt_csv_field *f;
    size_t n;
    char err[256];

    (void)state;
    assert_int_equal(pt_csv_next(c, &f, &n, err, sizeof err), PT_CSV_OK);
    assert_int_equal(n, 3);
    assert_string_equal(f[1].text, "b, \"c\"\nd");
    assert_int_equal(f[2].line, 2);
    assert_int_equal(f[2].col, 4);
    assert_int_equal(pt_csv_next(c, &f, &n, err, sizeof err), PT_CSV_END);
    pt_csv_free(c);
}

static void bom_crlf_and_blank_lines_are_accepted(void **state)
{
    pt_csv *c = open_text("\xef\xbb\xbfx,y\r\n\r\n1,2\r\n");
    const pt_csv_field *f;
    size_t n;
    char err[256];

    (void)state;
    assert_int_equal(pt_csv_next(c, &f, &n, err, sizeof err), PT_CSV_OK);
    assert_string_equal(f[0].text, "x");
    assert_string_equal(f[1].text, "y");
    assert_int_equal(pt_csv_next(c, &f, &n, err, sizeof err), PT_CSV_OK);
    assert_int_equal(f[0].line, 3);
    assert_string_equal(f[1].text, "2");
    assert_int_equal(pt_csv_next(c, &f, &n, err, sizeof err), PT_CSV_END);
    pt_csv_free(c);
}

static void columns_count_characters_not_bytes(void **state)
{
    pt_csv *c = open_text("分局,µA,x\n");
    const pt_csv_field *f;
    size_t n;
    char err[256];

    (void)state;
    assert_int_equal(pt_csv_next(c, &f, &n, err, sizeof err), PT_CSV_OK);
    assert_int_equal(f[1].col, 4);
    assert_int_equal(f[2].col, 7);
    pt_csv_free(c);
}

static void overlong_utf8_and_nul_are_refused(void **state)
{
    pt_csv *c = NULL;
    char err[256];

    (void)state;
    assert_int_equal(pt_csv_open_buffer("t.csv", "a,\xc0\xaf\n", 5, &c, err,
                                        sizeof err),
                     PT_CSV_ERROR);
    assert_non_null(strstr(err, "t.csv:1:3: invalid UTF-8"));
    assert_int_equal(pt_csv_open_buffer("t.csv", "a,\0\n", 4, &c, err,
                                        sizeof err),
                     PT_CSV_ERROR);
    assert_non_null(strstr(err, "t.csv:1:3: NUL byte"));
}

static void numbers_are_plain_decimals_only(void **state)
{
    static const char *const good[] = {"1", "-0.5", "+2.", ".25", "1e-3",
                                       "4.6E+2"};
    static const double want[] = {1, -0.5, 2, 0.25, 1e-3, 460};
    static const char *const bad[] = {"", " 1", "1 ", "1,5", "0x1A", "nan",
                                      "Inf", "1e", "e5", ".", "1e999", "--1"};
    char why[128];
    double v;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(pt_csv_number(good[i], &v, why, sizeof why), 0);
        assert_true(v == want[i]);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (pt_csv_number(bad[i], &v, why, sizeof why) == 0)
            fail_msg("\"%s\" was accepted as %g", bad[i], v);
}

static void dates_must_exist(void **state)
{
    (void)state;
    assert_true(pt_csv_is_date("2024-02-29"));
    assert_false(pt_csv_is_date("2025-02-29"));
    assert_false(pt_csv_is_date("2025-13-01"));
    assert_false(pt_csv_is_date("2025-1-01"));
    assert_false(pt_csv_is_date("114/03/01"));
    assert_true(pt_csv_is_date("2000-02-29"));
    assert_false(pt_csv_is_date("1900-02-29"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quoted_fields_keep_commas_quotes_and_line_breaks),
        cmocka_unit_test(bom_crlf_and_blank_lines_are_accepted),
        cmocka_unit_test(columns_count_characters_not_bytes),
        cmocka_unit_test(overlong_utf8_and_nul_are_refused),
        cmocka_unit_test(numbers_are_plain_decimals_only),
        cmocka_unit_test(dates_must_exist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
