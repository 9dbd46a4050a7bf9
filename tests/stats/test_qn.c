/*
 * test_qn.c -- the Qn scale estimator (stats/qn.c) and the selection among
 * pairwise differences under it (stats/pairsel.c).
 *
 * Evidence: Table C.2 of ISO 13528:2022 (b_p), the definition checked by
 * brute force (all pairs formed and sorted, in this file only) on random
 * sets with ties and with a large offset, and the refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

static uint64_t rng_state = 88172645463325252ULL;

static double uniform(void) /* xorshift64, in [0, 1) */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Qn by its definition: every pair formed and sorted. */
static double qn_brute(const double *x, size_t n)
{
    size_t np = n * (n - 1) / 2, i, j, k = 0, h = n / 2 + 1;
    double *d = malloc(np * sizeof *d), v;

    assert_non_null(d);
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            d[k++] = fabs(x[i] - x[j]);
    qsort(d, np, sizeof *d, cmp);
    v = 2.2191 * pt_stats_qn_bp(n) * d[h * (h - 1) / 2 - 1];
    free(d);
    return v;
}

static double qn_fast(const double *x, size_t n)
{
    double *w = malloc(PT_STATS_QN_WORK(n) * sizeof *w), q = NAN;
    size_t *iw = malloc(PT_STATS_QN_IWORK(n) * sizeof *iw);

    assert_non_null(w);
    assert_non_null(iw);
    assert_status(pt_stats_qn(x, n, w, iw, &q), PT_STATS_OK);
    free(w);
    free(iw);
    return q;
}

/* ISO 13528:2022 Table C.2 as transcribed in kanunimurat/pt13528
 * (src/pt13528/robust.py); the same values as robustbase's Qn table
 * rounded to four places. */
static void bp_follows_table_c2_and_the_fit_above(void **state)
{
    static const double table[] = {0.3994, 0.9937, 0.5132, 0.8440,
                                   0.6122, 0.8588, 0.6699, 0.8734,
                                   0.7201, 0.8891, 0.7574};
    size_t p;

    (void)state;
    for (p = 2; p <= 12; p++)
        assert_true(pt_stats_qn_bp(p) == table[p - 2]);
    /* p = 13 (odd) and 14 (even) from the rational fits */
    assert_close(pt_stats_qn_bp(13),
                 1.0 / (1.0 + (1.6019 + (-2.128 - 5.172 / 13) / 13) / 13),
                 1e-15);
    assert_close(pt_stats_qn_bp(14),
                 1.0 / (1.0 + (3.6756 + (1.965 + (6.987 - 77.0 / 14) / 14) /
                                            14) /
                                  14),
                 1e-15);
    /* the fits continue the table smoothly: b_13 near b_11, b_14 near b_12 */
    assert_close(pt_stats_qn_bp(13), 0.9, 0.02);
    assert_close(pt_stats_qn_bp(14), 0.78, 0.02);
    assert_true(pt_stats_qn_bp(1000001) < 1.0);
    assert_true(isnan(pt_stats_qn_bp(1)));
}

/* Hand example: 1, 2, 4, 8 gives differences 1 2 3 4 6 7; h = 3, k = 3,
 * d_(3) = 3, b_4 = 0.5132. */
static void qn_of_four_values_by_hand(void **state)
{
    const double x[] = {8, 1, 4, 2};

    (void)state;
    assert_close(qn_fast(x, 4), 2.2191 * 0.5132 * 3.0, 1e-15);
}

static void qn_equals_the_definition_on_random_sets(void **state)
{
    size_t sizes[] = {2, 3, 5, 10, 17, 64, 101, 250};
    size_t s, i, rep;

    (void)state;
    for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (rep = 0; rep < 5; rep++) {
            size_t n = sizes[s];
            double x[250];
            for (i = 0; i < n; i++) {
                x[i] = uniform() - 0.5;
                if (rep == 1) /* many ties: results rounded to 0.1 */
                    x[i] = round(x[i] * 10.0) / 10.0;
                if (rep == 2 && i % 7 == 0) /* gross outliers */
                    x[i] = 1e3 * (uniform() + 1.0);
                if (rep == 3) /* large offset, small spread */
                    x[i] = 1e6 + x[i] * 1e-3;
            }
            if (rep == 4) /* already sorted */
                qsort(x, n, sizeof x[0], cmp);
            if (rep == 1) {
                /* reported to 0.1: the differences as reported, which
                 * are exact in tenths (stats/decimals.c) */
                double k[250], q;
                for (i = 0; i < n; i++)
                    k[i] = round(x[i] * 10.0);
                q = qn_brute(k, n) / 10.0;
                assert_close(qn_fast(x, n), q, 1e-15 * q);
            } else {
                assert_true(qn_fast(x, n) == qn_brute(x, n));
            }
        }
    }
}

/* More than a quarter of the pairs tied: Qn is 0, as MADe is. */
static void qn_is_zero_when_most_values_are_equal(void **state)
{
    const double x[] = {5, 5, 5, 5, 5, 5, 1, 9};

    (void)state;
    assert_true(qn_fast(x, 8) == 0.0);
}

/* 200 000 values: checked against the definition through the count of
 * differences below and at the result (the brute force would need 2e10
 * pairs). */
static void qn_of_a_large_set_is_the_kth_difference(void **state)
{
    size_t n = 200000, i, h = n / 2 + 1;
    double *x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w);
    double q, d, k = (double)h * (double)(h - 1) / 2.0, below = 0, atmost = 0;
    size_t lo = 0;

    (void)state;
    assert_non_null(x);
    assert_non_null(w);
    for (i = 0; i < n; i++)
        x[i] = 1e6 + (uniform() + uniform() + uniform() - 1.5);
    q = qn_fast(x, n);
    d = q / (2.2191 * pt_stats_qn_bp(n));
    memcpy(w, x, n * sizeof *w);
    qsort(w, n, sizeof *w, cmp);
    /* count pairs with difference < d and <= d by two pointers */
    for (i = 1; i < n; i++) {
        while (lo < i && w[i] - w[lo] >= d)
            lo++;
        below += (double)(i - lo);
    }
    lo = 0;
    for (i = 1; i < n; i++) {
        while (lo < i && w[i] - w[lo] > d)
            lo++;
        atmost += (double)(i - lo);
    }
    assert_true(below < k && atmost >= k);
    free(x);
    free(w);
}

static void qn_refuses_bad_input(void **state)
{
    double x[] = {1, 2, 3}, w[9], q = 42.0;
    size_t iw[6];

    (void)state;
    assert_status(pt_stats_qn(x, 0, w, iw, &q), PT_STATS_EMPTY);
    assert_status(pt_stats_qn(x, 1, w, iw, &q), PT_STATS_TOO_FEW);
    assert_status(pt_stats_qn(NULL, 3, w, iw, &q), PT_STATS_BAD_ARG);
    assert_status(pt_stats_qn(x, 3, NULL, iw, &q), PT_STATS_BAD_ARG);
    assert_status(pt_stats_qn(x, 3, w, NULL, &q), PT_STATS_BAD_ARG);
    assert_status(pt_stats_qn(x, 3, x, iw, &q), PT_STATS_BAD_ARG);
    assert_status(pt_stats_qn(x, 3, w, iw, NULL), PT_STATS_BAD_ARG);
    x[1] = NAN;
    assert_status(pt_stats_qn(x, 3, w, iw, &q), PT_STATS_NONFINITE);
    x[1] = INFINITY;
    assert_status(pt_stats_qn(x, 3, w, iw, &q), PT_STATS_NONFINITE);
    x[0] = -1.5e308;
    x[1] = 1.5e308;
    assert_status(pt_stats_qn(x, 3, w, iw, &q), PT_STATS_NONFINITE);
    assert_true(q == 42.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bp_follows_table_c2_and_the_fit_above),
        cmocka_unit_test(qn_of_four_values_by_hand),
        cmocka_unit_test(qn_equals_the_definition_on_random_sets),
        cmocka_unit_test(qn_is_zero_when_most_values_are_equal),
        cmocka_unit_test(qn_of_a_large_set_is_the_kth_difference),
        cmocka_unit_test(qn_refuses_bad_input),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
