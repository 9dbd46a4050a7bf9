/*
 * test_scores.c -- z, z', zeta, En and their classification
 * (stats/scores.c), and the status texts (stats/status.c).
 *
 * Formulas (ISO 13528:2022 clause 9, as summarised in shared/DOMAIN.md):
 *   z  = (x - x_pt) / sigma_pt
 *   z' = (x - x_pt) / sqrt(sigma_pt^2 + u(x_pt)^2)
 *   zeta = (x - x_pt) / sqrt(u(x)^2 + u(x_pt)^2)
 *   En = (x - x_pt) / sqrt(U(x)^2 + U(x_pt)^2)
 * The hand values below use 3-4-5 triangles so that the denominators are
 * exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

static void z_is_difference_over_sigma_pt(void **state)
{
    double z;

    (void)state;
    assert_status(pt_stats_z(10.5, 10.0, 0.25, &z), PT_STATS_OK);
    assert_true(z == 2.0);
    assert_status(pt_stats_z(9.25, 10.0, 0.25, &z), PT_STATS_OK);
    assert_true(z == -3.0);
}

/* sigma_pt = 0.4 and u(x_pt) = 0.3 combine to 0.5: x - x_pt = 1.5 gives
 * z' = 3 where z would be 3.75.  With u(x_pt) = 0, z' = z. */
static void z_prime_divides_by_root_sum_of_squares(void **state)
{
    double zp, z;

    (void)state;
    assert_status(pt_stats_z_prime(11.5, 10.0, 0.3, 0.4, &zp), PT_STATS_OK);
    assert_close(zp, 3.0, 1e-15);
    assert_status(pt_stats_z(11.5, 10.0, 0.4, &z), PT_STATS_OK);
    assert_close(z, 3.75, 1e-15);
    assert_status(pt_stats_z_prime(11.5, 10.0, 0.0, 0.4, &zp), PT_STATS_OK);
    assert_true(zp == z);
    /* argument order: u(x_pt) before sigma_pt */
    assert_status(pt_stats_z_prime(10.0, 11.2, 0.5, 1.2, &zp), PT_STATS_OK);
    assert_close(zp, -1.2 / 1.3, 1e-15);
}

/* u(x) = 0.3 and u(x_pt) = 0.4 combine to 0.5. */
static void zeta_combines_standard_uncertainties(void **state)
{
    double zeta;

    (void)state;
    assert_status(pt_stats_zeta(10.0, 0.3, 9.0, 0.4, &zeta), PT_STATS_OK);
    assert_close(zeta, 2.0, 1e-15);
    assert_status(pt_stats_zeta(9.0, 0.3, 10.0, 0.0, &zeta), PT_STATS_OK);
    assert_close(zeta, -1.0 / 0.3, 1e-14);
}

/* U(x) = 0.6 and U(x_pt) = 0.8 combine to 1.0. */
static void en_combines_expanded_uncertainties(void **state)
{
    double en;

    (void)state;
    assert_status(pt_stats_en(10.5, 0.6, 10.0, 0.8, &en), PT_STATS_OK);
    assert_close(en, 0.5, 1e-15);
    assert_status(pt_stats_en(11.0, 0.6, 10.0, 0.8, &en), PT_STATS_OK);
    assert_close(en, 1.0, 1e-15);
}

/* sigma_pt, u(x) and U(x) must be positive and finite; u(x_pt) and
 * U(x_pt) may be 0 (an assigned value of negligible uncertainty) but not
 * negative or non-finite. */
static void scores_refuse_nonpositive_or_nonfinite_scales(void **state)
{
    const double bad[] = {0.0, -0.1, NAN, INFINITY};
    double out = 42.0;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_status(pt_stats_z(1, 0, bad[i], &out), PT_STATS_BAD_ARG);
        assert_status(pt_stats_z_prime(1, 0, 0.1, bad[i], &out),
                      PT_STATS_BAD_ARG);
        assert_status(pt_stats_zeta(1, bad[i], 0, 0.1, &out), PT_STATS_BAD_ARG);
        assert_status(pt_stats_en(1, bad[i], 0, 0.1, &out), PT_STATS_BAD_ARG);
        if (bad[i] != 0.0) {
            assert_status(pt_stats_z_prime(1, 0, bad[i], 0.1, &out),
                          PT_STATS_BAD_ARG);
            assert_status(pt_stats_zeta(1, 0.1, 0, bad[i], &out),
                          PT_STATS_BAD_ARG);
            assert_status(pt_stats_en(1, 0.1, 0, bad[i], &out),
                          PT_STATS_BAD_ARG);
        }
    }
    assert_status(pt_stats_z(1, 0, 1, NULL), PT_STATS_BAD_ARG);
    assert_status(pt_stats_z_prime(1, 0, 0, 1, NULL), PT_STATS_BAD_ARG);
    assert_status(pt_stats_zeta(1, 1, 0, 0, NULL), PT_STATS_BAD_ARG);
    assert_status(pt_stats_en(1, 1, 0, 0, NULL), PT_STATS_BAD_ARG);
    assert_true(out == 42.0);
}

static void scores_refuse_nonfinite_results_and_values(void **state)
{
    double out = 42.0;

    (void)state;
    assert_status(pt_stats_z(NAN, 0, 1, &out), PT_STATS_NONFINITE);
    assert_status(pt_stats_z(1, INFINITY, 1, &out), PT_STATS_NONFINITE);
    assert_status(pt_stats_z(1e308, -1e308, 1, &out), PT_STATS_NONFINITE);
    assert_status(pt_stats_en(1, 1e-300, 0, 0, &out), PT_STATS_OK);
    assert_close(out, 1e300, 1e285);
    out = 42.0;
    assert_status(pt_stats_en(1, 1e-320, 0, 0, &out), PT_STATS_NONFINITE);
    assert_true(out == 42.0);
}

/* The denominators go through hypot(): 3e200 and 4e200 combine to 5e200
 * although their squares overflow. */
static void scores_combine_huge_uncertainties_without_overflow(void **state)
{
    double zeta;

    (void)state;
    assert_status(pt_stats_zeta(1e201, 3e200, -4e201, 4e200, &zeta),
                  PT_STATS_OK);
    assert_close(zeta, 10.0, 1e-14);
}

static void classify_z_boundaries_follow_iso(void **state)
{
    (void)state;
    assert_int_equal(pt_stats_classify_z(0.0), PT_CLASS_SATISFACTORY);
    assert_int_equal(pt_stats_classify_z(2.0), PT_CLASS_SATISFACTORY);
    assert_int_equal(pt_stats_classify_z(-2.0), PT_CLASS_SATISFACTORY);
    assert_int_equal(pt_stats_classify_z(nextafter(2.0, 3.0)),
                     PT_CLASS_QUESTIONABLE);
    assert_int_equal(pt_stats_classify_z(-2.5), PT_CLASS_QUESTIONABLE);
    assert_int_equal(pt_stats_classify_z(nextafter(3.0, 0.0)),
                     PT_CLASS_QUESTIONABLE);
    assert_int_equal(pt_stats_classify_z(3.0), PT_CLASS_UNSATISFACTORY);
    assert_int_equal(pt_stats_classify_z(-3.0), PT_CLASS_UNSATISFACTORY);
    assert_int_equal(pt_stats_classify_z(-INFINITY), PT_CLASS_UNSATISFACTORY);
}

/* ISO signals at |En| >= 1; "|En| <= 1 satisfactory" is a setting. */
static void classify_en_boundary_at_one_is_a_setting(void **state)
{
    int le;

    (void)state;
    for (le = 0; le <= 1; le++) {
        assert_int_equal(pt_stats_classify_en(0.0, le), PT_CLASS_SATISFACTORY);
        assert_int_equal(pt_stats_classify_en(nextafter(1.0, 0.0), le),
                         PT_CLASS_SATISFACTORY);
        assert_int_equal(pt_stats_classify_en(-0.99, le),
                         PT_CLASS_SATISFACTORY);
        assert_int_equal(pt_stats_classify_en(nextafter(1.0, 2.0), le),
                         PT_CLASS_UNSATISFACTORY);
        assert_int_equal(pt_stats_classify_en(-1.5, le),
                         PT_CLASS_UNSATISFACTORY);
    }
    assert_int_equal(pt_stats_classify_en(1.0, 0), PT_CLASS_UNSATISFACTORY);
    assert_int_equal(pt_stats_classify_en(-1.0, 0), PT_CLASS_UNSATISFACTORY);
    assert_int_equal(pt_stats_classify_en(1.0, 1), PT_CLASS_SATISFACTORY);
    assert_int_equal(pt_stats_classify_en(-1.0, 1), PT_CLASS_SATISFACTORY);
}

/* A NaN score must never read as satisfactory. */
static void classification_of_nan_is_unsatisfactory(void **state)
{
    (void)state;
    assert_int_equal(pt_stats_classify_z(NAN), PT_CLASS_UNSATISFACTORY);
    assert_int_equal(pt_stats_classify_en(NAN, 0), PT_CLASS_UNSATISFACTORY);
    assert_int_equal(pt_stats_classify_en(NAN, 1), PT_CLASS_UNSATISFACTORY);
}

static void strerror_names_every_status(void **state)
{
    const pt_stats_status all[] = {PT_STATS_OK,        PT_STATS_EMPTY,
                                   PT_STATS_TOO_FEW,   PT_STATS_NONFINITE,
                                   PT_STATS_BAD_ARG,   PT_STATS_NO_CONVERGE,
                                   PT_STATS_ZERO_SCALE};
    const size_t n = sizeof all / sizeof all[0];
    size_t i, j;

    (void)state;
    for (i = 0; i < n; i++) {
        const char *s = pt_stats_strerror(all[i]);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
        assert_string_not_equal(s, "unknown status");
        for (j = 0; j < i; j++)
            assert_string_not_equal(s, pt_stats_strerror(all[j]));
    }
    assert_string_equal(pt_stats_strerror((pt_stats_status)99),
                        "unknown status");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(z_is_difference_over_sigma_pt),
        cmocka_unit_test(z_prime_divides_by_root_sum_of_squares),
        cmocka_unit_test(zeta_combines_standard_uncertainties),
        cmocka_unit_test(en_combines_expanded_uncertainties),
        cmocka_unit_test(scores_refuse_nonpositive_or_nonfinite_scales),
        cmocka_unit_test(scores_refuse_nonfinite_results_and_values),
        cmocka_unit_test(scores_combine_huge_uncertainties_without_overflow),
        cmocka_unit_test(classify_z_boundaries_follow_iso),
        cmocka_unit_test(classify_en_boundary_at_one_is_a_setting),
        cmocka_unit_test(classification_of_nan_is_unsatisfactory),
        cmocka_unit_test(strerror_names_every_status),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
