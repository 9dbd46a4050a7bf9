/*
 * test_csv.c -- the RFC 4180 reader and the strict number and date rules,
 * tested directly on buffers.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Significant digits of a number's text ("0.00120" has 2: "12"). */
static size_t significant(const char *t)
{
    size_t n = 0, zeros = 0;
    int started = 0;

    for (; *t && *t != 'e' && *t != 'E'; t++) {
        if (*t < '0' || *t > '9')
            continue;
        if (*t == '0' && !started)
            continue;
        started = 1;
        if (*t == '0') {
            zeros++;
        } else {
            n += zeros + 1;
            zeros = 0;
        }
    }
    return n ? n : 1;
}

/* Numbers are written as the shortest text that reads back: no fewer
 * significant digits read back (checked with %.*e, an independent
 * formatter), no exponent from 1e-5 to 1e15, and the rounded forms
 * drop their trailing zeros. */
static void numbers_are_written_as_the_shortest_text(void **state)
{
    static const struct {
        double v;
        int sig;
        const char *want;
    } cases[] = {
        {13.2, 0, "13.2"},          {0.1 + 0.2, 0, "0.30000000000000004"},
        {1234567, 0, "1234567"},    {1e15, 0, "1e+15"},
        {1e-5, 0, "0.00001"},       {1.5e-6, 0, "1.5e-06"},
        {-0.0, 0, "0"},             {-4483.5, 0, "-4483.5"},
        {9.96, 2, "10"},            {1234567, 4, "1235000"},
        {0.3, 6, "0.3"},            {8.269, 3, "8.27"},
        {1e300, 0, "1e+300"},       {5e-324, 0, "5e-324"},
    };
    char buf[40], e[40];
    size_t i;
    unsigned seed = 12345;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(pt_csv_number_text(cases[i].v, cases[i].sig, buf,
                                               sizeof buf),
                            cases[i].want);
    assert_string_equal(pt_csv_number_text(NAN, 0, buf, sizeof buf), "");
    for (i = 0; i < 20000; i++) {
        double v;
        size_t sig;
        seed = seed * 1103515245u + 12345u;
        v = (double)(seed >> 8) / (1 << 24) * pow(10, (int)(seed % 31) - 12);
        if (i & 1)
            v = (double)(seed % 100000) / 1000; /* three decimals */
        if (v == 0)
            continue;
        pt_csv_number_text(v, 0, buf, sizeof buf);
        if (strtod(buf, NULL) != v)
            fail_msg("%.17g written %s", v, buf);
        sig = significant(buf);
        if (sig > 1) {
            snprintf(e, sizeof e, "%.*e", (int)sig - 2, v);
            if (strtod(e, NULL) == v)
                fail_msg("%.17g written %s, but %s reads back too", v, buf,
                         e);
        }
        if (fabs(v) >= 1e-5 && fabs(v) < 1e15 && strpbrk(buf, "eE"))
            fail_msg("%.17g written %s", v, buf);
    }
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
        cmocka_unit_test(numbers_are_written_as_the_shortest_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
