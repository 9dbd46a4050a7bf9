/*
 * test_robust.c -- median, type-7 quantiles, MADe and nIQR (stats/robust.c):
 * hand-computed values, the ISO 13528:2015 E.3 start values, argument
 * checks, and selection checked against sorting on orders chosen to hurt a
 * quickselect.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ISO 13528:2015 Annex E.3, the Algorithm A example: 12 results (from
 * participants 1, 2, 6, 8, 9, 12, 13, 14, 19, 20, 22, 25 in that order), as
 * transcribed in S. Subramanian, "The Algorithm A in Detail" (slides, 2025,
 * citing ISO 13528:2015 Annexure E3). */
static const double iso_e3[] = {1.69, 0.74, 2.05, 1.14, 2.19, 1.39,
                                1.52, 1.50, 1.58, 0.80, 1.21, 1.63};

static void median_of_odd_n_is_the_middle_order_statistic(void **state)
{
    const double x[] = {5, 1, 4, 2, 3};
    const double one[] = {-7.25};
    double w[5], m;

    (void)state;
    assert_status(pt_stats_median(x, 5, w, &m), PT_STATS_OK);
    assert_true(m == 3.0);
    assert_status(pt_stats_median(one, 1, w, &m), PT_STATS_OK);
    assert_true(m == -7.25);
}

static void median_of_even_n_averages_the_two_middle_values(void **state)
{
    const double x[] = {4, 1, 3, 2};
    const double two[] = {1, 2};
    const double big[] = {-1.5e308, 1.5e308, 1.0e308, -1.0e308};
    double w[4], m;

    (void)state;
    assert_status(pt_stats_median(x, 4, w, &m), PT_STATS_OK);
    assert_true(m == 2.5);
    assert_status(pt_stats_median(two, 2, w, &m), PT_STATS_OK);
    assert_true(m == 1.5);
    /* (a + b) / 2 would overflow here */
    assert_status(pt_stats_median(big, 4, w, &m), PT_STATS_OK);
    assert_true(m == 0.0);
}

static void median_keeps_digits_of_large_offset_data(void **state)
{
    double x[4], w[4], m;
    const double off = 1e6, step = 1.0 / 1024.0; /* exact in binary */

    (void)state;
    x[0] = off + 3 * step;
    x[1] = off + 1 * step;
    x[2] = off + 4 * step;
    x[3] = off + 2 * step;
    assert_status(pt_stats_median(x, 4, w, &m), PT_STATS_OK);
    assert_true(m == off + 2.5 * step);
}

/* R type 7 / Excel QUARTILE.INC (Hyndman and Fan 1996, definition 7):
 * with sorted x(1..n), h = (n - 1) p, j = floor(h), g = h - j,
 * Q(p) = x(j+1) + g (x(j+2) - x(j+1)).  For the sorted set
 * 2 4 4 5 7 9 10 12 (n = 8):
 *   p = 0.10: h = 0.70 -> 2 + 0.70 (4 - 2)   = 3.4
 *   p = 0.25: h = 1.75 -> 4 + 0.75 (4 - 4)   = 4
 *   p = 0.50: h = 3.50 -> 5 + 0.50 (7 - 5)   = 6
 *   p = 0.75: h = 5.25 -> 9 + 0.25 (10 - 9)  = 9.25
 *   p = 0.90: h = 6.30 -> 10 + 0.30 (12 - 10) = 10.6 */
static void quantile_type7_matches_hand_computed_values(void **state)
{
    const double x[] = {9, 4, 12, 2, 7, 10, 5, 4}; /* shuffled */
    const double p[] = {0.0, 0.10, 0.25, 0.50, 0.75, 0.90, 1.0};
    const double want[] = {2.0, 3.4, 4.0, 6.0, 9.25, 10.6, 12.0};
    double w[8], q;
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(p); i++) {
        assert_status(pt_stats_quantile(x, 8, p[i], w, &q), PT_STATS_OK);
        assert_close(q, want[i], 1e-14);
    }
}

/* Published spreadsheet examples of the same rule:
 *  - Microsoft's QUARTILE.INC help page: data 1 2 4 7 8 9 10 12,
 *    QUARTILE.INC(A2:A9,1) = 3.5 (h = 1.75 -> 2 + 0.75 (4 - 2)).  The
 *    zh-CN and th-TH versions of that page list the last value as "1.2",
 *    which would give 1.8: a transcription slip, the printed 3.5 needs 12.
 *  - MESCIUS (SpreadJS / Document Solutions formula reference):
 *    QUARTILE.INC({11,21,42,27,18,29,32,52},1) = 20.25
 *    (sorted 11 18 21 27 ...: 18 + 0.75 (21 - 18)). */
static void quantile_reproduces_published_quartile_inc_examples(void **state)
{
    const double ms[] = {1, 2, 4, 7, 8, 9, 10, 12};
    const double mescius[] = {11, 21, 42, 27, 18, 29, 32, 52};
    double w[8], q;

    (void)state;
    assert_status(pt_stats_quantile(ms, 8, 0.25, w, &q), PT_STATS_OK);
    assert_close(q, 3.5, 1e-15);
    assert_status(pt_stats_quantile(mescius, 8, 0.25, w, &q), PT_STATS_OK);
    assert_close(q, 20.25, 1e-14);
}

/* The ISO E.3 data, sorted: 0.74 0.80 1.14 1.21 1.39 1.50 1.52 1.58 1.63
 * 1.69 2.05 2.19.  Q1: h = 11/4 = 2.75 -> 1.14 + 0.75 (1.21 - 1.14) =
 * 1.1925; Q3: h = 8.25 -> 1.63 + 0.25 (1.69 - 1.63) = 1.645; nIQR =
 * 0.7413 (1.645 - 1.1925) = 0.33543825. */
static void quartiles_and_niqr_of_iso_e3_data_match_hand_values(void **state)
{
    double w[12], q1, q3, niqr;

    (void)state;
    assert_status(pt_stats_quantile(iso_e3, 12, 0.25, w, &q1), PT_STATS_OK);
    assert_status(pt_stats_quantile(iso_e3, 12, 0.75, w, &q3), PT_STATS_OK);
    assert_status(pt_stats_niqr(iso_e3, 12, w, &niqr), PT_STATS_OK);
    assert_close(q1, 1.1925, 1e-14);
    assert_close(q3, 1.645, 1e-14);
    assert_close(niqr, 0.33543825, 1e-14);
}

/* The slides print the start of Algorithm A for E.3 as x* = 1.510 (the
 * median) and s* = 0.3559 (1.483 x 0.240, the median absolute deviation
 * being (0.18 + 0.30) / 2).  Half a unit in the last printed digit. */
static void median_and_made_reproduce_iso_e3_start_values(void **state)
{
    double w[12], m, s;

    (void)state;
    assert_status(pt_stats_median(iso_e3, 12, w, &m), PT_STATS_OK);
    assert_status(pt_stats_made(iso_e3, 12, w, &s), PT_STATS_OK);
    assert_close(m, 1.510, 0.0005);
    assert_close(s, 0.3559, 0.00005);
    assert_close(s, 1.483 * 0.24, 1e-14);
}

/* median |x - 3| of 1..5 is 1, so MADe is the constant itself: ISO's
 * 1.483, not the 1.4826 of GSL and R. */
static void made_uses_iso_constant_1_483(void **state)
{
    const double x[] = {4, 1, 5, 3, 2};
    double w[5], s;

    (void)state;
    assert_status(pt_stats_made(x, 5, w, &s), PT_STATS_OK);
    assert_true(s == 1.483);
}

/* n = 2: Q1 = 1 + 0.25 (3 - 1) = 1.5, Q3 = 2.5, so nIQR = 0.7413. */
static void niqr_needs_two_values_and_uses_iso_constant(void **state)
{
    const double x[] = {3, 1};
    double w[2], s = -1.0;

    (void)state;
    assert_status(pt_stats_niqr(x, 1, w, &s), PT_STATS_TOO_FEW);
    assert_true(s == -1.0);
    assert_status(pt_stats_niqr(x, 2, w, &s), PT_STATS_OK);
    assert_close(s, 0.7413, 1e-15);
}

/* Interpolating between -1.5e308 and 1.5e308 must not form their
 * difference; a MADe or nIQR beyond the double range is refused. */
static void
quantile_and_niqr_survive_the_edges_of_the_double_range(void **state)
{
    const double two[] = {1.5e308, -1.5e308};
    const double five[] = {-1.7e308, 1.7e308, 0.0, -1.7e308, 1.7e308};
    double w[5], q, out = 42.0;

    (void)state;
    assert_status(pt_stats_quantile(two, 2, 0.5, w, &q), PT_STATS_OK);
    assert_true(q == 0.0);
    assert_status(pt_stats_quantile(two, 2, 0.25, w, &q), PT_STATS_OK);
    assert_close(q, -0.75e308, 1e293);
    assert_status(pt_stats_made(five, 5, w, &out), PT_STATS_NONFINITE);
    assert_status(pt_stats_niqr(five, 5, w, &out), PT_STATS_NONFINITE);
    assert_true(out == 42.0);
}

static void estimators_refuse_empty_input(void **state)
{
    const double x[] = {1};
    double w[1], out = 42.0;

    (void)state;
    assert_status(pt_stats_median(x, 0, w, &out), PT_STATS_EMPTY);
    assert_status(pt_stats_quantile(x, 0, 0.5, w, &out), PT_STATS_EMPTY);
    assert_status(pt_stats_made(x, 0, w, &out), PT_STATS_EMPTY);
    assert_status(pt_stats_niqr(x, 0, w, &out), PT_STATS_EMPTY);
    assert_true(out == 42.0);
}

static void estimators_refuse_nan_and_infinity(void **state)
{
    double x[] = {1, 2, 3, 4, 5};
    double w[5], out = 42.0;
    const double bad[] = {NAN, INFINITY, -INFINITY};
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(bad); i++) {
        x[3] = bad[i];
        assert_status(pt_stats_median(x, 5, w, &out), PT_STATS_NONFINITE);
        assert_status(pt_stats_quantile(x, 5, 0.1, w, &out),
                      PT_STATS_NONFINITE);
        assert_status(pt_stats_made(x, 5, w, &out), PT_STATS_NONFINITE);
        assert_status(pt_stats_niqr(x, 5, w, &out), PT_STATS_NONFINITE);
    }
    assert_true(out == 42.0);
}

static void
estimators_refuse_null_pointers_and_work_aliasing_input(void **state)
{
    double x[] = {1, 2, 3};
    double w[3], out = 42.0;

    (void)state;
    assert_status(pt_stats_median(NULL, 3, w, &out), PT_STATS_BAD_ARG);
    assert_status(pt_stats_median(x, 3, NULL, &out), PT_STATS_BAD_ARG);
    assert_status(pt_stats_median(x, 3, w, NULL), PT_STATS_BAD_ARG);
    assert_status(pt_stats_median(x, 3, x, &out), PT_STATS_BAD_ARG);
    assert_status(pt_stats_median(NULL, 0, w, &out), PT_STATS_BAD_ARG);
    assert_status(pt_stats_quantile(x, 3, 0.5, x, &out), PT_STATS_BAD_ARG);
    assert_status(pt_stats_made(x, 3, x, &out), PT_STATS_BAD_ARG);
    assert_status(pt_stats_niqr(x, 3, x, &out), PT_STATS_BAD_ARG);
    assert_true(out == 42.0);
}

static void quantile_refuses_p_outside_zero_one(void **state)
{
    const double x[] = {1, 2, 3};
    const double bad[] = {-0.001, 1.001, NAN, INFINITY};
    double w[3], out = 42.0;
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(bad); i++)
        assert_status(pt_stats_quantile(x, 3, bad[i], w, &out),
                      PT_STATS_BAD_ARG);
    assert_true(out == 42.0);
}

static void input_is_not_modified_and_work_need_not_be_initialised(void **state)
{
    double x[] = {7, 3, 9, 1, 1, 8, 2, 6, 5, 4, 3};
    double copy[N_OF(x)], w[N_OF(x)], out;
    size_t i;

    (void)state;
    memcpy(copy, x, sizeof x);
    for (i = 0; i < N_OF(w); i++)
        w[i] = NAN; /* garbage, as an uninitialised buffer may hold */
    assert_status(pt_stats_median(x, N_OF(x), w, &out), PT_STATS_OK);
    assert_true(out == 4.0);
    for (i = 0; i < N_OF(w); i++)
        w[i] = -INFINITY;
    assert_status(pt_stats_made(x, N_OF(x), w, &out), PT_STATS_OK);
    for (i = 0; i < N_OF(w); i++)
        w[i] = NAN;
    assert_status(pt_stats_niqr(x, N_OF(x), w, &out), PT_STATS_OK);
    assert_status(pt_stats_quantile(x, N_OF(x), 0.3, w, &out), PT_STATS_OK);
    assert_memory_equal(x, copy, sizeof x);
}

/* Reference: sort a copy and apply definition 7 directly. */
static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;

    return (u > v) - (u < v);
}

static double sorted_quantile(const double *s, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t j = (size_t)floor(h);

    if (j + 1 >= n)
        return s[n - 1];
    return s[j] + (h - (double)j) * (s[j + 1] - s[j]);
}

enum pattern {
    RANDOM,
    SORTED,
    REVERSED,
    ALL_EQUAL,
    FEW_DISTINCT,
    ORGAN_PIPE,
    SAWTOOTH,
    N_PATTERNS
};

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static double next_uniform(void) /* xorshift64*, in [0, 1) */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 0x2545f4914f6cdd1du) >> 11) * 0x1p-53;
}

static void fill(double *x, size_t n, enum pattern pat)
{
    size_t i;

    for (i = 0; i < n; i++) {
        switch (pat) {
        case RANDOM:
            x[i] = next_uniform();
            break;
        case SORTED:
            x[i] = (double)i;
            break;
        case REVERSED:
            x[i] = (double)(n - i);
            break;
        case ALL_EQUAL:
            x[i] = 3.5;
            break;
        case FEW_DISTINCT:
            x[i] = (double)((i * 7) % 3);
            break;
        case ORGAN_PIPE:
            x[i] = (double)(i < n / 2 ? i : n - i);
            break;
        case SAWTOOTH:
            x[i] = (double)(i % 17);
            break;
        case N_PATTERNS:
            break;
        }
    }
}

static void selection_agrees_with_sorting_on_hostile_orders(void **state)
{
    static const size_t sizes[] = {1,  2,  3,  4,   5,   7,    16,  17,
                                   18, 31, 64, 100, 257, 1000, 4099};
    static const double ps[] = {0.0, 0.01, 0.1, 0.25, 1.0 / 3.0,
                                0.5, 0.75, 0.9, 0.99, 1.0};
    static double x[4099], s[4099], w[4099];
    size_t si, pi;
    int pat;

    (void)state;
    for (pat = 0; pat < N_PATTERNS; pat++) {
        for (si = 0; si < N_OF(sizes); si++) {
            size_t n = sizes[si];
            double got;

            fill(x, n, (enum pattern)pat);
            memcpy(s, x, n * sizeof *x);
            qsort(s, n, sizeof *s, cmp_double);
            for (pi = 0; pi < N_OF(ps); pi++) {
                double want = sorted_quantile(s, n, ps[pi]);
                assert_status(pt_stats_quantile(x, n, ps[pi], w, &got),
                              PT_STATS_OK);
                assert_close(got, want, 1e-12 * (1.0 + fabs(want)));
            }
            assert_status(pt_stats_median(x, n, w, &got), PT_STATS_OK);
            assert_close(got, 0.5 * s[(n - 1) / 2] + 0.5 * s[n / 2], 0.0);
        }
    }
}

/* A million results, nearly all equal: a two-way partition would go
 * quadratic here (about 5e11 steps); the three-way partition does not. */
static void selection_is_fast_with_many_equal_values(void **state)
{
    const size_t n = 1000000;
    double *x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w);
    double m, q;
    size_t i;

    (void)state;
    assert_non_null(x);
    assert_non_null(w);
    for (i = 0; i < n; i++)
        x[i] = i % 1000 == 0 ? (double)i : 10.0;
    assert_status(pt_stats_median(x, n, w, &m), PT_STATS_OK);
    assert_true(m == 10.0);
    assert_status(pt_stats_quantile(x, n, 1.0, w, &q), PT_STATS_OK);
    assert_true(q == 999000.0);
    free(x);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(median_of_odd_n_is_the_middle_order_statistic),
        cmocka_unit_test(median_of_even_n_averages_the_two_middle_values),
        cmocka_unit_test(median_keeps_digits_of_large_offset_data),
        cmocka_unit_test(quantile_type7_matches_hand_computed_values),
        cmocka_unit_test(quantile_reproduces_published_quartile_inc_examples),
        cmocka_unit_test(quartiles_and_niqr_of_iso_e3_data_match_hand_values),
        cmocka_unit_test(median_and_made_reproduce_iso_e3_start_values),
        cmocka_unit_test(made_uses_iso_constant_1_483),
        cmocka_unit_test(niqr_needs_two_values_and_uses_iso_constant),
        cmocka_unit_test(
            quantile_and_niqr_survive_the_edges_of_the_double_range),
        cmocka_unit_test(estimators_refuse_empty_input),
        cmocka_unit_test(estimators_refuse_nan_and_infinity),
        cmocka_unit_test(
            estimators_refuse_null_pointers_and_work_aliasing_input),
        cmocka_unit_test(quantile_refuses_p_outside_zero_one),
        cmocka_unit_test(
            input_is_not_modified_and_work_need_not_be_initialised),
        cmocka_unit_test(selection_agrees_with_sorting_on_hostile_orders),
        cmocka_unit_test(selection_is_fast_with_many_equal_values),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
