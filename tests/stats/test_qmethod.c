/*
 * test_qmethod.c -- the Q method (stats/qmethod.c), Hampel's estimator and
 * Q/Hampel (stats/hampel.c).
 *
 * Evidence:
 *  1. ISO 13528:2022 E.3 (atrazine in drinking water, 34 results; data
 *     and printed Table E.5 values as transcribed in kanunimurat/pt13528,
 *     tests/annex_e_data.py and tests/printed_values.py): Q/Hampel
 *     x* = 0.2600, s* = 0.0426, u(x*) = 0.0091.
 *  2. The Q method by its definition, written here independently: every
 *     between-laboratory pair formed with its weight 1/(n_i n_j), sorted,
 *     H1 at each distinct difference, G1 interpolated.  Compared on random
 *     designs with replicates, unequal replicates and ties.
 *  3. Hampel's estimate solves sum psi = 0 and is the solution nearest the
 *     median, checked against a dense scan of sum psi.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <gsl/gsl_cdf.h>

#include "test_util.h"

static const double e3[] = {
    0.040, 0.055, 0.178, 0.202, 0.206, 0.227,  0.228, 0.230,  0.230,
    0.235, 0.236, 0.237, 0.243, 0.244, 0.245,  0.2555, 0.260, 0.264,
    0.267, 0.270, 0.273, 0.274, 0.274, 0.278,  0.2811, 0.287, 0.287,
    0.288, 0.289, 0.295, 0.296, 0.311, 0.331,  0.4246};

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static double uniform(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

struct wpair {
    double d, w;
};

static int cmp_pair(const void *a, const void *b)
{
    double x = ((const struct wpair *)a)->d, y = ((const struct wpair *)b)->d;

    return (x > y) - (x < y);
}

/* The Q method by its definition (ISO 13528 C.5.2.2). */
static double qmethod_brute(const double *y, const size_t *cnt, size_t p)
{
    size_t n = 0, np = 0, i, j, k, l, a, b, *start;
    struct wpair *pr;
    double total = 0.0, h0 = 0.0, q, prev_x = 0.0, prev_g = 0.0, cum = 0.0;
    double prev_h = 0.0, num = NAN;

    for (i = 0; i < p; i++)
        n += cnt[i];
    pr = malloc(n * n * sizeof *pr);
    start = malloc((p + 1) * sizeof *start);
    assert_non_null(pr);
    assert_non_null(start);
    start[0] = 0;
    for (i = 0; i < p; i++)
        start[i + 1] = start[i] + cnt[i];
    for (i = 0; i < p; i++)
        for (j = i + 1; j < p; j++)
            for (a = start[i]; a < start[i + 1]; a++)
                for (b = start[j]; b < start[j + 1]; b++) {
                    pr[np].d = fabs(y[a] - y[b]);
                    pr[np].w = 1.0 / ((double)cnt[i] * (double)cnt[j]);
                    total += pr[np].w;
                    np++;
                }
    qsort(pr, np, sizeof *pr, cmp_pair);
    for (k = 0; k < np && pr[k].d == 0.0; k++)
        h0 += pr[k].w / total;
    q = 0.25 + 0.75 * h0;
    /* walk the distinct differences x_i > 0 with G1 at each */
    cum = h0;
    prev_h = h0;
    prev_x = 0.0;
    prev_g = 0.0;
    for (l = k; l < np;) {
        double x = pr[l].d, h, g;
        while (l < np && pr[l].d == x)
            cum += pr[l++].w / total;
        h = cum;
        g = 0.5 * (h + prev_h);
        if (g >= q) {
            num = prev_x + (q - prev_g) * (x - prev_x) / (g - prev_g);
            break;
        }
        prev_x = x;
        prev_g = g;
        prev_h = h;
    }
    free(pr);
    free(start);
    return num / (sqrt(2.0) * gsl_cdf_ugaussian_Pinv(0.625 + 0.375 * h0));
}

static pt_stats_status qmethod_fast(const double *y, const size_t *cnt,
                                    size_t p, pt_qmethod_result *r)
{
    size_t n = 0, i;
    double *w;
    size_t *iw;
    pt_stats_status st;

    for (i = 0; i < p; i++)
        n += cnt[i];
    w = malloc(PT_STATS_QMETHOD_WORK(n) * sizeof *w);
    iw = malloc(PT_STATS_QMETHOD_IWORK(n, p) * sizeof *iw);
    assert_non_null(w);
    assert_non_null(iw);
    st = pt_stats_qmethod(y, cnt, p, w, iw, r);
    free(w);
    free(iw);
    return st;
}

static void qhampel_reproduces_iso_13528_e3(void **state)
{
    size_t cnt[34], i;
    double w[PT_STATS_QMETHOD_WORK(34)];
    size_t iw[PT_STATS_QMETHOD_IWORK(34, 34)];
    pt_qhampel_result r;

    (void)state;
    for (i = 0; i < 34; i++)
        cnt[i] = 1;
    assert_status(pt_stats_qhampel(e3, cnt, 34, w, iw, &r), PT_STATS_OK);
    assert_close(r.x, 0.2600, 0.00005);
    assert_close(r.s, 0.0426, 0.00005);
    assert_close(r.u_x, 0.0091, 0.00005);
    assert_close(r.s, qmethod_brute(e3, cnt, 34), 1e-15);
}

static void qmethod_equals_the_definition_on_random_designs(void **state)
{
    size_t rep;

    (void)state;
    for (rep = 0; rep < 60; rep++) {
        size_t p = 2 + (size_t)(uniform() * 20), cnt[22], n = 0, i;
        double y[22 * 5];
        pt_qmethod_result r;
        int kind = (int)(rep % 4);

        for (i = 0; i < p; i++) {
            /* 0: one result each, 1: 3 each, 2 and 3: 1 to 5 each */
            cnt[i] = kind == 0 ? 1 : kind == 1 ? 3 : 1 + (size_t)(uniform() * 5);
            n += cnt[i];
        }
        for (i = 0; i < n; i++) {
            y[i] = 10.0 + uniform();
            if (kind == 3) /* heavy ties: results to one decimal */
                y[i] = round(y[i] * 10.0) / 10.0;
            if (i % 9 == 4)
                y[i] += 20.0 * uniform();
        }
        if (qmethod_fast(y, cnt, p, &r) == PT_STATS_ZERO_SCALE)
            continue;
        assert_close(r.s, qmethod_brute(y, cnt, p),
                     1e-12 * qmethod_brute(y, cnt, p));
    }
}

static void qmethod_keeps_digits_under_a_large_offset(void **state)
{
    /* multiples of 1/64, so that 1e6 + base is exact and the tie
     * structure of the differences is the same (G1 depends on which
     * differences are equal) */
    const double base[] = {7 / 64.0,  33 / 64.0, 15 / 64.0, 60 / 64.0,
                           22 / 64.0, 17 / 64.0, 49 / 64.0, 12 / 64.0};
    double y[8];
    size_t cnt[4] = {2, 2, 2, 2}, i;
    pt_qmethod_result a, b;

    (void)state;
    for (i = 0; i < 8; i++)
        y[i] = 1e6 + base[i];
    assert_status(qmethod_fast(base, cnt, 4, &a), PT_STATS_OK);
    assert_status(qmethod_fast(y, cnt, 4, &b), PT_STATS_OK);
    assert_close(b.s, a.s, 1e-12 * a.s);
}

static void qmethod_refuses_bad_input(void **state)
{
    double y[4] = {1, 2, 3, 4}, w[40];
    size_t cnt[2] = {2, 2}, zero[2] = {2, 0}, iw[40];
    const double same[4] = {5, 5, 5, 5};
    pt_qmethod_result r = {42.0, 42.0, 42.0};

    (void)state;
    assert_status(pt_stats_qmethod(y, cnt, 0, w, iw, &r), PT_STATS_EMPTY);
    assert_status(pt_stats_qmethod(y, cnt, 1, w, iw, &r), PT_STATS_TOO_FEW);
    assert_status(pt_stats_qmethod(y, zero, 2, w, iw, &r), PT_STATS_BAD_ARG);
    assert_status(pt_stats_qmethod(NULL, cnt, 2, w, iw, &r),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_qmethod(y, cnt, 2, y, iw, &r), PT_STATS_BAD_ARG);
    assert_status(pt_stats_qmethod(same, cnt, 2, w, iw, &r),
                  PT_STATS_ZERO_SCALE);
    y[2] = NAN;
    assert_status(pt_stats_qmethod(y, cnt, 2, w, iw, &r), PT_STATS_NONFINITE);
    assert_true(r.s == 42.0);
}

/* sum psi((x_i - t)/s), ISO's psi with knots 1.5, 3, 4.5. */
static double psi_sum(const double *x, size_t n, double s, double t)
{
    double sum = 0.0;
    size_t i;

    for (i = 0; i < n; i++) {
        double u = (x[i] - t) / s, a = fabs(u), v;
        if (a <= 1.5)
            v = a;
        else if (a <= 3.0)
            v = 1.5;
        else if (a <= 4.5)
            v = 4.5 - a;
        else
            v = 0.0;
        sum += u < 0 ? -v : v;
    }
    return sum;
}

static void hampel_solves_the_equation_nearest_the_median(void **state)
{
    /* two clusters and an outlier: sum psi has several zeros */
    const double x[] = {9.8,  9.9,  10.0, 10.1, 10.2, 10.05, 9.95,
                        11.4, 11.5, 11.6, 11.45, 30.0};
    size_t n = sizeof x / sizeof x[0];
    double w[12], t, med, s = 0.4, best = NAN, prev, f_prev;
    int k;

    (void)state;
    assert_status(pt_stats_median(x, n, w, &med), PT_STATS_OK);
    assert_status(pt_stats_hampel(x, n, s, w, &t), PT_STATS_OK);
    assert_close(psi_sum(x, n, s, t), 0.0, 1e-12);
    /* dense scan for sign changes between 8 and 14 */
    prev = 8.0;
    f_prev = psi_sum(x, n, s, prev);
    for (k = 1; k <= 600000; k++) {
        double tt = 8.0 + k * 1e-5, f = psi_sum(x, n, s, tt);
        if ((f < 0) != (f_prev < 0) || f == 0.0) {
            if (isnan(best) || fabs(tt - med) < fabs(best - med))
                best = tt;
        }
        prev = tt;
        f_prev = f;
    }
    assert_close(t, best, 2e-5);
}

static void hampel_of_symmetric_data_is_the_centre(void **state)
{
    const double x[] = {1, 2, 3, 4, 5, 6, 7};
    double w[7], t;

    (void)state;
    assert_status(pt_stats_hampel(x, 7, 1.0, w, &t), PT_STATS_OK);
    assert_close(t, 4.0, 1e-14);
    /* one value: its own location */
    assert_status(pt_stats_hampel(x, 1, 1.0, w, &t), PT_STATS_OK);
    assert_true(t == 1.0);
}

/* Far outliers each make an isolated knot region; they must not slow the
 * sweep down (no evaluation over all results per knot) nor pull x*. */
static void hampel_ignores_far_outliers(void **state)
{
    size_t n = 20000, i;
    double *x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w), t;

    (void)state;
    assert_non_null(x);
    assert_non_null(w);
    for (i = 0; i < n; i++)
        x[i] = i % 50 == 0 ? 1e3 * (double)i : 100.0 + (uniform() - 0.5);
    assert_status(pt_stats_hampel(x, n, 0.3, w, &t), PT_STATS_OK);
    assert_close(t, 100.0, 0.01);
    assert_close(psi_sum(x, n, 0.3, t), 0.0, 1e-9);
    free(x);
    free(w);
}

static void hampel_refuses_bad_input(void **state)
{
    double x[3] = {1, 2, 3}, w[3], t = 42.0;

    (void)state;
    assert_status(pt_stats_hampel(x, 0, 1, w, &t), PT_STATS_EMPTY);
    assert_status(pt_stats_hampel(x, 3, 0.0, w, &t), PT_STATS_BAD_ARG);
    assert_status(pt_stats_hampel(x, 3, -1.0, w, &t), PT_STATS_BAD_ARG);
    assert_status(pt_stats_hampel(x, 3, NAN, w, &t), PT_STATS_BAD_ARG);
    assert_status(pt_stats_hampel(x, 3, 1, x, &t), PT_STATS_BAD_ARG);
    assert_status(pt_stats_hampel(NULL, 3, 1, w, &t), PT_STATS_BAD_ARG);
    x[0] = INFINITY;
    assert_status(pt_stats_hampel(x, 3, 1, w, &t), PT_STATS_NONFINITE);
    assert_true(t == 42.0);
}

static void u_robust_is_1_25_s_over_sqrt_p(void **state)
{
    double u;

    (void)state;
    assert_status(pt_stats_u_robust(0.0426, 34, &u), PT_STATS_OK);
    assert_close(u, 1.25 * 0.0426 / sqrt(34.0), 1e-16);
    assert_status(pt_stats_u_robust(-1, 34, &u), PT_STATS_BAD_ARG);
    assert_status(pt_stats_u_robust(1, 0, &u), PT_STATS_EMPTY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(qhampel_reproduces_iso_13528_e3),
        cmocka_unit_test(qmethod_equals_the_definition_on_random_designs),
        cmocka_unit_test(qmethod_keeps_digits_under_a_large_offset),
        cmocka_unit_test(qmethod_refuses_bad_input),
        cmocka_unit_test(hampel_solves_the_equation_nearest_the_median),
        cmocka_unit_test(hampel_of_symmetric_data_is_the_centre),
        cmocka_unit_test(hampel_ignores_far_outliers),
        cmocka_unit_test(hampel_refuses_bad_input),
        cmocka_unit_test(u_robust_is_1_25_s_over_sqrt_p),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
