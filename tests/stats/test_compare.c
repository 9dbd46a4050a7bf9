/*
 * test_compare.c -- comparisons against a method's precision
 * (stats/compare.c) and the small-group guard (stats/small_group.c).
 * Values by hand from the rules quoted in pt_stats.h; the small-group
 * maxima 0.71, 1.15 and 1.79 for n = 2, 3, 5 are those of DOMAIN.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

static void two_labs_agree_within_R(void **state)
{
    double d;
    int ok = -1;

    (void)state;
    assert_status(pt_stats_compare_two(10.0, 12.5, 2.5, &d, &ok),
                  PT_STATS_OK);
    assert_true(d == 2.5);
    assert_int_equal(ok, 1); /* the boundary agrees */
    assert_status(pt_stats_compare_two(10.0, 12.6, 2.5, &d, &ok),
                  PT_STATS_OK);
    assert_int_equal(ok, 0);
    assert_status(pt_stats_compare_two(1, 2, 0, &d, &ok), PT_STATS_BAD_ARG);
    assert_status(pt_stats_compare_two(NAN, 2, 1, &d, &ok),
                  PT_STATS_NONFINITE);
}

static void result_against_reference_uses_the_callers_factor(void **state)
{
    double lim;
    int ok;

    (void)state;
    assert_status(pt_stats_compare_ref(10.0, 11.0, 2.0, 1.0 / sqrt(2.0),
                                       &lim, &ok),
                  PT_STATS_OK);
    assert_close(lim, sqrt(2.0), 1e-15);
    assert_int_equal(ok, 1);
    assert_status(pt_stats_compare_ref(10.0, 11.5, 2.0, 1.0 / sqrt(2.0),
                                       &lim, &ok),
                  PT_STATS_OK);
    assert_int_equal(ok, 0);
    assert_status(pt_stats_compare_ref(1, 1, 1, 0, &lim, &ok),
                  PT_STATS_BAD_ARG);
}

/* Diesel limit 10 mg/kg, D5453 R at 10 mg/kg about 3.26: a result fails
 * only above 10 + 0.59 x 3.26 = 11.92. */
static void conformity_fails_only_beyond_a_plus_0_59_r(void **state)
{
    double lim;
    int fails;

    (void)state;
    assert_status(pt_stats_conformity(11.5, 10.0, 3.26, 1, &lim, &fails),
                  PT_STATS_OK);
    assert_close(lim, 10.0 + 0.59 * 3.26, 1e-14);
    assert_int_equal(fails, 0);
    assert_status(pt_stats_conformity(12.0, 10.0, 3.26, 1, &lim, &fails),
                  PT_STATS_OK);
    assert_int_equal(fails, 1);
    /* a lower limit mirrors it */
    assert_status(pt_stats_conformity(8.5, 10.0, 3.26, 0, &lim, &fails),
                  PT_STATS_OK);
    assert_close(lim, 10.0 - 0.59 * 3.26, 1e-14);
    assert_int_equal(fails, 0);
    assert_status(pt_stats_conformity(8.0, 10.0, 3.26, 0, &lim, &fails),
                  PT_STATS_OK);
    assert_int_equal(fails, 1);
    assert_status(pt_stats_conformity(8.0, 10.0, -1, 0, &lim, &fails),
                  PT_STATS_BAD_ARG);
}

/* On the boundaries as reported (exact in decimals, by hand): 10.3 and
 * 10.0 are exactly R = 0.3 apart and agree, where binary makes the
 * difference 0.3000000000000007; 5.3127 is exactly A + 0.59 R for A = 5.0
 * and R = 0.53 and does not fail, where binary puts the limit at
 * 5.3126999999999995; one unit of the last decimal further they disagree
 * and fail.  The same at an offset of 1e6. */
static void comparisons_are_exact_on_the_boundaries_as_reported(void **state)
{
    static const double off[] = {0.0, 1e6};
    double d, lim;
    int agree, fails;
    size_t i;

    (void)state;
    assert_true(10.3 - 10.0 > 0.3);         /* what binary does */
    assert_true(5.3127 > 5.0 + 0.59 * 0.53); /* what binary does */
    for (i = 0; i < 2; i++) {
        assert_status(pt_stats_compare_two(10.3 + off[i], 10.0 + off[i], 0.3,
                                           &d, &agree),
                      PT_STATS_OK);
        assert_true(agree);
        assert_true(d == 0.3);
        assert_status(pt_stats_compare_two(10.4 + off[i], 10.0 + off[i], 0.3,
                                           &d, &agree),
                      PT_STATS_OK);
        assert_false(agree);
        assert_status(pt_stats_conformity(5.3127 + off[i], 5.0 + off[i], 0.53,
                                          1, &lim, &fails),
                      PT_STATS_OK);
        assert_false(fails);
        assert_status(pt_stats_conformity(5.3128 + off[i], 5.0 + off[i], 0.53,
                                          1, &lim, &fails),
                      PT_STATS_OK);
        assert_true(fails);
        /* the lower limit, A - 0.59 R */
        assert_status(pt_stats_conformity(4.6873 + off[i], 5.0 + off[i], 0.53,
                                          0, &lim, &fails),
                      PT_STATS_OK);
        assert_false(fails);
        assert_status(pt_stats_conformity(4.6872 + off[i], 5.0 + off[i], 0.53,
                                          0, &lim, &fails),
                      PT_STATS_OK);
        assert_true(fails);
    }
}

static void en_of_branch_against_reference(void **state)
{
    double en;
    pt_stats_class c;

    (void)state;
    assert_status(pt_stats_compare_en(11.0, 0.6, 10.0, 0.8, 1, &en, &c),
                  PT_STATS_OK);
    assert_close(en, 1.0, 1e-15);
    assert_int_equal(c, PT_CLASS_SATISFACTORY); /* "|En| <= 1" */
    assert_status(pt_stats_compare_en(11.0, 0.6, 10.0, 0.8, 0, &en, &c),
                  PT_STATS_OK);
    assert_int_equal(c, PT_CLASS_UNSATISFACTORY); /* ISO: |En| >= 1 */
    assert_status(pt_stats_compare_en(11.0, 0.0, 10.0, 0.8, 0, &en, &c),
                  PT_STATS_BAD_ARG);
}

static void small_groups_cannot_reach_a_consensus_z_of_2(void **state)
{
    double m;
    unsigned alt = 99;

    (void)state;
    assert_status(pt_stats_consensus_z_check(2, 2.0, &m, &alt),
                  PT_STATS_TOO_FEW);
    assert_close(m, 0.71, 0.005);
    assert_int_equal(alt, PT_ALT_EN_ZETA_REFERENCE | PT_ALT_SIGMA_FROM_METHOD);
    assert_status(pt_stats_consensus_z_check(3, 2.0, &m, &alt),
                  PT_STATS_TOO_FEW);
    assert_close(m, 1.15, 0.005);
    assert_status(pt_stats_consensus_z_check(5, 2.0, &m, &alt),
                  PT_STATS_TOO_FEW);
    assert_close(m, 1.79, 0.005);
    /* (n - 1)/sqrt(n) >= 2 from n = 6 (2.04); >= 3 from n = 11 (3.02) */
    assert_status(pt_stats_consensus_z_check(6, 2.0, &m, &alt), PT_STATS_OK);
    assert_int_equal(alt, 0);
    assert_status(pt_stats_consensus_z_check(10, 3.0, &m, &alt),
                  PT_STATS_TOO_FEW);
    assert_status(pt_stats_consensus_z_check(11, 3.0, &m, &alt),
                  PT_STATS_OK);
    assert_status(pt_stats_consensus_z_check(0, 2.0, &m, &alt),
                  PT_STATS_EMPTY);
    assert_status(pt_stats_consensus_z_check(5, 0.0, &m, &alt),
                  PT_STATS_BAD_ARG);
    assert_non_null(strstr(pt_stats_small_group_advice(), "reference"));
}

/* The bound is attained: n - 1 equal results and one apart. */
static void the_small_group_bound_is_attained(void **state)
{
    const double x[] = {10, 10, 10, 10, 11};
    double mean, sd, m;
    unsigned alt;

    (void)state;
    assert_status(pt_stats_mean_sd(x, 5, &mean, &sd), PT_STATS_OK);
    assert_status(pt_stats_consensus_z_check(5, 2.0, &m, &alt),
                  PT_STATS_TOO_FEW);
    assert_close((11 - mean) / sd, m, 1e-14);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_labs_agree_within_R),
        cmocka_unit_test(result_against_reference_uses_the_callers_factor),
        cmocka_unit_test(conformity_fails_only_beyond_a_plus_0_59_r),
        cmocka_unit_test(comparisons_are_exact_on_the_boundaries_as_reported),
        cmocka_unit_test(en_of_branch_against_reference),
        cmocka_unit_test(small_groups_cannot_reach_a_consensus_z_of_2),
        cmocka_unit_test(the_small_group_bound_is_attained),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
