/*
 * test_kernel_density.c -- the normal-kernel density on a grid and the
 * bandwidth rule of a kernel density plot (stats/kernel.c).
 *
 * Oracle: tests/stats/kde_oracle.py, written from the definitions with
 * Python's math only (each density a correctly rounded math.fsum), run on
 * the ISO 13528:2022 E.6 data and on results with a large common offset.
 * Properties: the density integrates to 1, is symmetric about a single
 * result and peaks there at 1/(h sqrt(2 pi)).  Refusals by status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_util.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ISO 13528:2022 E.6 (coliforms, log10 CFU/ml), sigma_pt 0.25 */
static const double e6[] = {
    3.80, 3.90, 3.07, 3.64, 4.06, 3.40, 3.59, 3.39, 3.47, 3.47, 3.77, 3.53,
    2.83, 2.75, 2.06, 3.75, 3.73, 3.82, 3.86, 3.88, 3.97, 3.96, 3.80, 3.88,
    3.25, 3.45, 3.64, 2.86, 3.17, 3.19, 3.17, 4.22, 3.82, 3.82, 3.95};

/* Asks the oracle `request` (one line) and reads up to `max` numbers of
 * its answer into out; returns how many, or -1 for "error". */
static int oracle(const char *request, double *out, int max)
{
    char path[] = "/tmp/kde-oracle-XXXXXX", cmd[128], *line = NULL, *p,
         *end;
    size_t cap = 0;
    int fd = mkstemp(path), got = 0;
    FILE *f, *pipe;

    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(request, f);
    fputc('\n', f);
    assert_int_equal(fclose(f), 0);
    snprintf(cmd, sizeof cmd, "python3 tests/stats/kde_oracle.py %s", path);
    pipe = popen(cmd, "r");
    assert_non_null(pipe);
    assert_true(getline(&line, &cap, pipe) > 0);
    assert_int_equal(pclose(pipe), 0);
    unlink(path);
    if (strncmp(line, "error", 5) == 0) {
        free(line);
        return -1;
    }
    for (p = line; got < max; p = end) {
        double v = strtod(p, &end);
        if (end == p)
            break;
        out[got++] = v;
    }
    free(line);
    return got;
}

/* "density H T1,...,Tm V1 ... Vn" into buf. */
static void density_request(char *buf, size_t size, double h,
                            const double *t, size_t m, const double *x,
                            size_t n)
{
    size_t used = (size_t)snprintf(buf, size, "density %.17g ", h);

    for (size_t j = 0; j < m; j++)
        used += (size_t)snprintf(buf + used, size - used, "%s%.17g",
                                 j ? "," : "", t[j]);
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(buf + used, size - used, " %.17g", x[i]);
    assert_true(used < size);
}

static void density_agrees_with_the_oracle_on_annex_e6(void **state)
{
    double t[41], f[41], want[41], h = 0.75 * 0.25;
    char req[4096];

    (void)state;
    for (size_t j = 0; j < N_OF(t); j++)
        t[j] = 1.5 + 0.075 * (double)j; /* 1.5 .. 4.5 */
    assert_status(pt_stats_kernel_density(e6, N_OF(e6), h, t, N_OF(t), f),
                  PT_STATS_OK);
    density_request(req, sizeof req, h, t, N_OF(t), e6, N_OF(e6));
    assert_int_equal(oracle(req, want, 41), 41);
    for (size_t j = 0; j < N_OF(t); j++)
        assert_close(f[j], want[j], 1e-13 * want[j] + 1e-300);
    /* the highest point of the grid is next to the E.6 mode, 3.79 */
    {
        size_t best = 0;
        for (size_t j = 1; j < N_OF(t); j++)
            best = f[j] > f[best] ? j : best;
        assert_close(t[best], 3.79, 0.075);
    }
}

static void density_keeps_its_digits_at_a_large_offset(void **state)
{
    double x[N_OF(e6)], t[5], f[5], want[5], h = 0.1875;
    char req[4096];

    (void)state;
    for (size_t i = 0; i < N_OF(e6); i++)
        x[i] = 1e6 + e6[i];
    for (size_t j = 0; j < N_OF(t); j++)
        t[j] = 1e6 + 3.0 + 0.25 * (double)j;
    assert_status(pt_stats_kernel_density(x, N_OF(x), h, t, N_OF(t), f),
                  PT_STATS_OK);
    density_request(req, sizeof req, h, t, N_OF(t), x, N_OF(x));
    assert_int_equal(oracle(req, want, 5), 5);
    for (size_t j = 0; j < N_OF(t); j++)
        assert_close(f[j], want[j], 1e-9 * want[j]);
}

static void density_integrates_to_one(void **state)
{
    static double t[4001], f[4001];
    double sum = 0, h = 0.1875;

    (void)state;
    for (size_t j = 0; j < N_OF(t); j++)
        t[j] = 0.0 + 0.0015 * (double)j; /* 0 .. 6, far beyond 40 h */
    assert_status(pt_stats_kernel_density(e6, N_OF(e6), h, t, N_OF(t), f),
                  PT_STATS_OK);
    for (size_t j = 1; j < N_OF(t); j++)
        sum += 0.5 * (f[j] + f[j - 1]) * 0.0015;
    assert_close(sum, 1.0, 1e-6);
}

static void one_result_gives_a_normal_curve_around_it(void **state)
{
    const double x[1] = {8.2}, t[3] = {7.7, 8.2, 8.7};
    double f[3];

    (void)state;
    assert_status(pt_stats_kernel_density(x, 1, 0.5, t, 3, f), PT_STATS_OK);
    assert_close(f[1], 1.0 / (0.5 * sqrt(2 * M_PI)), 1e-15);
    assert_close(f[0], f[2], 1e-15);
    assert_close(f[0] / f[1], exp(-0.5), 1e-12);
}

static void bandwidth_is_three_quarters_of_sigma_pt_when_known(void **state)
{
    double w[N_OF(e6)], h;
    int robust = -1;

    (void)state;
    assert_status(pt_stats_kernel_bandwidth(e6, N_OF(e6), 0.25, w, &h,
                                            &robust),
                  PT_STATS_OK);
    assert_close(h, 0.1875, 0);
    assert_int_equal(robust, 0);
}

static void bandwidth_without_sigma_pt_is_silvermans_robust_rule(void **state)
{
    const double two[2] = {4483, 4520}, five[5] = {1, 2, 3, 4, 5};
    double w[N_OF(e6)], h, want;
    int robust = 0;
    char req[1024];

    (void)state;
    assert_status(pt_stats_kernel_bandwidth(e6, N_OF(e6), NAN, w, &h,
                                            &robust),
                  PT_STATS_OK);
    assert_int_equal(robust, 1);
    snprintf(req, sizeof req, "bandwidth nan");
    for (size_t i = 0; i < N_OF(e6); i++)
        snprintf(req + strlen(req), sizeof req - strlen(req), " %.17g",
                 e6[i]);
    assert_int_equal(oracle(req, &want, 1), 1);
    assert_close(h, want, 1e-14 * want);
    /* 1..5 by hand: SD sqrt(2.5) = 1.581, nIQR 0.7413 (4 - 2) = 1.4826;
     * h = 0.9 * 1.4826 * 5^-0.2 */
    assert_status(pt_stats_kernel_bandwidth(five, 5, 0, w, &h, &robust),
                  PT_STATS_OK);
    assert_close(h, 0.9 * 1.4826 * pow(5, -0.2), 1e-12);
    /* two results (a bilateral): nIQR 0.7413 * 37 / 2 < SD 37 / sqrt 2 */
    assert_status(pt_stats_kernel_bandwidth(two, 2, NAN, w, &h, &robust),
                  PT_STATS_OK);
    assert_close(h, 0.9 * 0.7413 * 18.5 * pow(2, -0.2), 1e-9);
}

static void bad_input_is_refused_by_status(void **state)
{
    const double same[3] = {5, 5, 5}, one[1] = {5}, bad[2] = {1, NAN},
                 t[1] = {5};
    double w[3], h, f[1];
    int robust;

    (void)state;
    assert_status(pt_stats_kernel_bandwidth(same, 3, NAN, w, &h, &robust),
                  PT_STATS_ZERO_SCALE);
    assert_status(pt_stats_kernel_bandwidth(one, 1, NAN, w, &h, &robust),
                  PT_STATS_TOO_FEW);
    assert_status(pt_stats_kernel_bandwidth(one, 0, NAN, w, &h, &robust),
                  PT_STATS_EMPTY);
    assert_status(pt_stats_kernel_density(same, 3, 0, t, 1, f),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_kernel_density(same, 0, 1, t, 1, f),
                  PT_STATS_EMPTY);
    assert_status(pt_stats_kernel_density(bad, 2, 1, t, 1, f),
                  PT_STATS_NONFINITE);
    assert_status(pt_stats_kernel_density(same, 3, 1, NULL, 1, f),
                  PT_STATS_BAD_ARG);
    /* no points asked: nothing to do */
    assert_status(pt_stats_kernel_density(same, 3, 1, t, 0, f), PT_STATS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(density_agrees_with_the_oracle_on_annex_e6),
        cmocka_unit_test(density_keeps_its_digits_at_a_large_offset),
        cmocka_unit_test(density_integrates_to_one),
        cmocka_unit_test(one_result_gives_a_normal_curve_around_it),
        cmocka_unit_test(bandwidth_is_three_quarters_of_sigma_pt_when_known),
        cmocka_unit_test(bandwidth_without_sigma_pt_is_silvermans_robust_rule),
        cmocka_unit_test(bad_input_is_refused_by_status),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
