/*
 * test_sorted.c -- the estimators on data sorted once (the *_sorted forms
 * of stats/robust.c, qn.c, qmethod.c and hampel.c; Algorithm A from a
 * known median and MADe), the selection among pairwise differences
 * underneath Qn and the Q method (stats/pairsel.c) along each of its
 * paths, and the sort itself.
 *
 * Evidence: the sorted forms return bit for bit what the general forms
 * return on the same values unsorted, up to the sign of a zero (random
 * sets with ties, outliers, a 1e6 offset, all values equal); the
 * selection returns, for every rank k, the k-th of all pairwise
 * differences formed and sorted here, whether it runs on sampling rounds,
 * on the deterministic steps alone, or on both; the sort agrees with qsort
 * on orders that defeat naive quicksorts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pairsel.h"
#include "test_util.h"

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

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

/* Fill x[n] with one of the test patterns. */
static void fill(double *x, size_t n, int kind)
{
    size_t i;

    for (i = 0; i < n; i++) {
        double e = uniform() - 0.5;
        switch (kind) {
        case 0: /* plain */
            x[i] = e;
            break;
        case 1: /* rounded to 0.1: many ties */
            x[i] = round(e * 10.0) / 10.0;
            break;
        case 2: /* gross outliers */
            x[i] = i % 7 == 0 ? 1e3 * (uniform() + 1.0) : e;
            break;
        case 3: /* a large offset, rounded to 1e-4 as reported */
            x[i] = 1e6 + round(e * 1e4) / 1e4;
            break;
        default: /* all equal */
            x[i] = 42.0;
            break;
        }
    }
}

/* Same double, or both NaN.  Of tied -0 and +0 either may be the order
 * statistic (they compare equal, and a sort and a selection may place
 * them differently), so zeros are compared as numbers. */
static void check_same(double a, double b, const char *what, size_t n,
                       int kind, const char *file, int line)
{
    if (memcmp(&a, &b, sizeof a) != 0 && !(isnan(a) && isnan(b)) &&
        !(a == 0.0 && b == 0.0)) {
        print_error("%s: n = %lu, pattern %d: %.17g (sorted) != %.17g\n",
                    what, (unsigned long)n, kind, a, b);
        _fail(file, line);
    }
}

#define assert_same(a, b, what, n, kind)                                       \
    check_same((a), (b), (what), (n), (kind), __FILE__, __LINE__)

static void sorted_forms_equal_the_general_ones_bit_for_bit(void **state)
{
    static const size_t sizes[] = {1, 2, 3, 4, 5, 10, 17, 64, 101, 1000, 4099};
    size_t s, n, i;
    int kind;

    (void)state;
    for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        n = sizes[s];
        for (kind = 0; kind < 5; kind++) {
            double *x = malloc(n * sizeof *x), *z = malloc(n * sizeof *z);
            double *w = malloc(PT_STATS_QMETHOD_WORK(n) * sizeof *w);
            size_t *iw = malloc(PT_STATS_QMETHOD_IWORK(n, n) * sizeof *iw);
            size_t *ones = malloc(n * sizeof *ones);
            double a, b;
            pt_qhampel_result qa, qb;
            pt_qmethod_result ma, mb;
            pt_stats_status sa, sb;

            assert_true(x && z && w && iw && ones);
            fill(x, n, kind);
            for (i = 0; i < n; i++)
                ones[i] = 1;
            assert_status(pt_stats_sort(x, n, z), PT_STATS_OK);

            assert_status(pt_stats_median_sorted(z, n, &a), PT_STATS_OK);
            assert_status(pt_stats_median(x, n, w, &b), PT_STATS_OK);
            assert_same(a, b, "median", n, kind);
            assert_status(pt_stats_made_sorted(z, n, &a), PT_STATS_OK);
            assert_status(pt_stats_made(x, n, w, &b), PT_STATS_OK);
            assert_same(a, b, "MADe", n, kind);
            sa = pt_stats_niqr_sorted(z, n, &a);
            assert_status(pt_stats_niqr(x, n, w, &b), sa);
            if (sa == PT_STATS_OK)
                assert_same(a, b, "nIQR", n, kind);
            if (n >= 3 && pt_stats_made_sorted(z, n, &b) == PT_STATS_OK) {
                pt_alga_result ra, rb;
                double med;
                assert_status(pt_stats_median_sorted(z, n, &med),
                              PT_STATS_OK);
                sa = pt_stats_alga_from(x, n, NULL, med, b, &ra);
                assert_status(pt_stats_alga(x, n, NULL, w, &rb), sa);
                if (sa == PT_STATS_OK) {
                    assert_same(ra.x, rb.x, "Algorithm A x*", n, kind);
                    assert_same(ra.s, rb.s, "Algorithm A s*", n, kind);
                    assert_int_equal(ra.iterations, rb.iterations);
                    assert_int_equal(ra.sd_start, rb.sd_start);
                }
            }
            sa = pt_stats_qn_sorted(z, n, w, iw, &a);
            assert_status(pt_stats_qn(x, n, w, iw, &b), sa);
            if (sa == PT_STATS_OK)
                assert_same(a, b, "Qn", n, kind);
            sa = pt_stats_qmethod_sorted(z, n, w, iw, &ma);
            sb = pt_stats_qmethod(x, ones, n, w, iw, &mb);
            assert_status(sb, sa);
            if (sa == PT_STATS_OK) {
                assert_same(ma.s, mb.s, "Q method s*", n, kind);
                assert_same(ma.h0, mb.h0, "Q method H1(0)", n, kind);
                assert_same(ma.u_x, mb.u_x, "Q method u", n, kind);
            }
            sa = pt_stats_qhampel_sorted(z, n, w, iw, &qa);
            sb = pt_stats_qhampel(x, ones, n, w, iw, &qb);
            assert_status(sb, sa);
            if (sa == PT_STATS_OK) {
                assert_same(qa.x, qb.x, "Hampel x*", n, kind);
                assert_same(qa.s, qb.s, "Q/Hampel s*", n, kind);
            }
            free(x);
            free(z);
            free(w);
            free(iw);
            free(ones);
        }
    }
}

static void sorted_forms_refuse_bad_input(void **state)
{
    double x[3] = {1.0, 3.0, 2.0}, z[3], w[6], v;
    size_t iw[6];
    pt_qmethod_result m;
    pt_qhampel_result q;

    (void)state;
    assert_status(pt_stats_sort(x, 0, z), PT_STATS_EMPTY);
    assert_status(pt_stats_sort(NULL, 3, z), PT_STATS_BAD_ARG);
    /* unsorted input to the forms that read every value */
    assert_status(pt_stats_qn_sorted(x, 3, w, iw, &v), PT_STATS_BAD_ARG);
    assert_status(pt_stats_qmethod_sorted(x, 3, w, iw, &m),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_qhampel_sorted(x, 3, w, iw, &q),
                  PT_STATS_BAD_ARG);
    assert_status(pt_stats_qn_sorted(x, 1, w, iw, &v), PT_STATS_TOO_FEW);
    assert_status(pt_stats_niqr_sorted(x, 1, &v), PT_STATS_TOO_FEW);
    assert_status(pt_stats_median_sorted(x, 0, &v), PT_STATS_EMPTY);
    assert_status(pt_stats_made_sorted(NULL, 3, &v), PT_STATS_BAD_ARG);
    {
        pt_alga_result r;
        assert_status(pt_stats_alga_from(x, 3, NULL, NAN, 1.0, &r),
                      PT_STATS_BAD_ARG);
        assert_status(pt_stats_alga_from(x, 3, NULL, 2.0, -1.0, &r),
                      PT_STATS_BAD_ARG);
        assert_status(pt_stats_alga_from(x, 2, NULL, 2.0, 1.0, &r),
                      PT_STATS_TOO_FEW);
        assert_status(pt_stats_alga_from(x, 3, NULL, 2.0, 1.0, NULL),
                      PT_STATS_BAD_ARG);
        x[1] = NAN;
        assert_status(pt_stats_alga_from(x, 3, NULL, 2.0, 1.0, &r),
                      PT_STATS_NONFINITE);
        x[1] = 3.0;
    }
    /* sorting in place works and refuses NaN */
    assert_status(pt_stats_sort(x, 3, x), PT_STATS_OK);
    assert_true(x[0] == 1.0 && x[1] == 2.0 && x[2] == 3.0);
    x[1] = NAN;
    assert_status(pt_stats_sort(x, 3, z), PT_STATS_NONFINITE);
    assert_status(pt_stats_sort(x, 3, x), PT_STATS_NONFINITE);
    x[1] = 2.0;
    x[2] = INFINITY;
    assert_status(pt_stats_qn_sorted(x, 3, w, iw, &v), PT_STATS_NONFINITE);
}

struct counted {
    const double *z;
    size_t n;
    int calls;
    double scale; /* f = scale * count: a non-integer f when not 1 */
};

static double count_upto(double d, void *ctx)
{
    struct counted *c = ctx;

    c->calls++;
    return c->scale * pt_pairsel_count(c->z, c->n, d, 0);
}

/* Every stride-th rank k of n differences, by each path of the
 * selection. */
static void check_ranks(const double *x, size_t n, double scale,
                        size_t stride)
{
    size_t np = n * (n - 1) / 2, i, j, k = 0;
    double *z = malloc(n * sizeof *z), *d = malloc(np * sizeof *d);
    double *buf = malloc(2 * n * sizeof *buf);
    size_t *lo = malloc(n * sizeof *lo), *hi = malloc(n * sizeof *hi);
    static const int rounds[] = {0, 1, 2, PT_PAIRSEL_ROUNDS};
    struct counted c;
    size_t r;

    assert_true(z && d && buf && lo && hi);
    memcpy(z, x, n * sizeof *z);
    qsort(z, n, sizeof *z, cmp);
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            d[k++] = z[j] - z[i];
    qsort(d, np, sizeof *d, cmp);
    c.z = z;
    c.n = n;
    c.scale = scale;
    for (r = 0; r < sizeof rounds / sizeof rounds[0]; r++) {
        for (k = 1; k <= np; k += stride) {
            double got;
            c.calls = 0;
            got = pt_pairsel_smallest(z, n, count_upto, &c,
                                      scale * (double)k, rounds[r], lo, hi,
                                      buf);
            if (got != d[k - 1]) {
                print_error("n = %lu, rounds %d, k = %lu: %.17g, expected "
                            "%.17g\n",
                            (unsigned long)n, rounds[r], (unsigned long)k,
                            got, d[k - 1]);
                fail();
            }
        }
    }
    free(z);
    free(d);
    free(buf);
    free(lo);
    free(hi);
}

static void selection_finds_every_rank_on_every_path(void **state)
{
    static const size_t sizes[] = {2, 3, 6, 7, 20, 61, 150};
    double x[150];
    size_t s, i;
    int kind;

    (void)state;
    for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (kind = 0; kind < 5; kind++) {
            fill(x, sizes[s], kind);
            check_ranks(x, sizes[s], 1.0, sizes[s] > 100 ? 37 : 1);
        }
    }
    /* a non-integer f: interpolation is then only a guess */
    for (i = 0; i < 80; i++)
        x[i] = round(uniform() * 30.0);
    check_ranks(x, 80, 1.0 / 3.0, 1);
}

/* Qn's k on a few thousand values goes through several sampling rounds;
 * a handful of calls of f should do, and the answer is the k-th. */
static void selection_takes_few_calls_on_large_sets(void **state)
{
    size_t n = 2000, np = n * (n - 1) / 2, i, j, m = 0, h = n / 2 + 1;
    double *z = malloc(n * sizeof *z), *d = malloc(np * sizeof *d);
    double *buf = malloc(2 * n * sizeof *buf), got;
    size_t *lo = malloc(n * sizeof *lo), *hi = malloc(n * sizeof *hi);
    struct counted c;
    int kind;

    (void)state;
    assert_true(z && d && buf && lo && hi);
    for (kind = 0; kind < 4; kind++) {
        fill(z, n, kind);
        pt_sort_doubles(z, n);
        m = 0;
        for (i = 0; i < n; i++)
            for (j = i + 1; j < n; j++)
                d[m++] = z[j] - z[i];
        qsort(d, np, sizeof *d, cmp);
        c.z = z;
        c.n = n;
        c.scale = 1.0;
        c.calls = 0;
        got = pt_pairsel_smallest(z, n, count_upto, &c,
                                  (double)(h * (h - 1) / 2),
                                  PT_PAIRSEL_ROUNDS, lo, hi, buf);
        assert_true(got == d[h * (h - 1) / 2 - 1]);
        assert_in_range(c.calls, 1, 16);
    }
    free(z);
    free(d);
    free(buf);
    free(lo);
    free(hi);
}

static void sort_agrees_with_qsort_on_hard_orders(void **state)
{
    size_t n = 20000, i;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    int kind;

    (void)state;
    assert_true(a && b);
    for (kind = 0; kind < 8; kind++) {
        for (i = 0; i < n; i++) {
            switch (kind) {
            case 0: a[i] = uniform(); break;
            case 1: a[i] = (double)i; break;                 /* sorted */
            case 2: a[i] = (double)(n - i); break;           /* reversed */
            case 3: a[i] = 7.0; break;                       /* all equal */
            case 4: a[i] = (double)(i < n / 2 ? i : n - i); break; /* pipe */
            case 5: a[i] = (double)(i % 3); break;           /* few values */
            case 6: a[i] = (double)((i * 7919) % 101); break;
            default: a[i] = i % 2 ? -0.0 * (double)i : (double)(i % 5); break;
            }
        }
        memcpy(b, a, n * sizeof *a);
        pt_sort_doubles(a, n);
        qsort(b, n, sizeof *b, cmp);
        for (i = 0; i < n; i++)
            assert_true(a[i] == b[i]);
    }
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sorted_forms_equal_the_general_ones_bit_for_bit),
        cmocka_unit_test(sorted_forms_refuse_bad_input),
        cmocka_unit_test(selection_finds_every_rank_on_every_path),
        cmocka_unit_test(selection_takes_few_calls_on_large_sets),
        cmocka_unit_test(sort_agrees_with_qsort_on_hard_orders),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
