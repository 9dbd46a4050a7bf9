/*
 * test_calc_assign.c -- `ptlims sigma-pt`, `ptlims assigned` and
 * `ptlims homogeneity` of items measured once, as a script sees them.
 *
 * Two kinds of reference, never ptlims itself:
 *  1. the ISO 13528:2022 Annex E examples that show a routine, as
 *     transcribed publicly in kanunimurat/pt13528 (tests/annex_e_data.py
 *     and tests/printed_values.py there): E.5 (Table E.8, the PT items
 *     against a CRM), E.7 (a consensus value checked against a reference
 *     value), E.8 (Table E.9, sigma_pt from earlier rounds), E.9 (Horwitz)
 *     and E.10 (sigma_pt from a precision experiment), each to half a unit
 *     of its last printed digit;
 *  2. tests/host/calc_oracle.py, an exact computation (Python fractions,
 *     50-digit square roots) of the same formulae on the same decimal
 *     text, for every number the command prints, to 4 units in the last
 *     place.
 * And invariance where it applies: masses in g or in mg give the same
 * formulation, a CRM comparison given as pairs (pt, crm) at an offset of
 * 1000 gives what its differences give, and items measured once give the
 * same s_s when shifted by 1000.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostutil.h"

static void write_file(const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", tmp, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The number after "key": in out. */
static double num(const char *key)
{
    char k[64];
    const char *p;

    snprintf(k, sizeof k, "\"%s\": ", key);
    p = strstr(out, k);
    if (p == NULL)
        fail_msg("no %s in %s", key, out);
    return strtod(p + strlen(k), NULL);
}

/* The oracle's answers to one request (calc_oracle.py), into v[n]. */
static void oracle(double *v, size_t n, const char *fmt, ...)
{
    char cmd[1024], *p, *e;
    va_list ap;
    size_t i;
    int len;

    len = snprintf(cmd, sizeof cmd, "python3 tests/host/calc_oracle.py ");
    va_start(ap, fmt);
    vsnprintf(cmd + len, sizeof cmd - (size_t)len, fmt, ap);
    va_end(ap);
    if (run_stdout("%s", cmd) != 0)
        fail_msg("the oracle failed: %s\n%s", cmd, out);
    p = out;
    for (i = 0; i < n; i++) {
        v[i] = strtod(p, &e);
        if (e == p)
            fail_msg("the oracle gave %lu numbers for %s: %s",
                     (unsigned long)i, cmd, out);
        p = e;
    }
}

/* got within 4 ulps of want. */
static void ulps(const char *what, double got, double want)
{
    if (!(fabs(got - want) <= 4.0 * DBL_EPSILON * fabs(want)))
        fail_msg("%s: %.17g, exact %.17g", what, got, want);
}

/* got within tol of want. */
static void near(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: %.17g, exact %.17g +- %.3g", what, got, want, tol);
}

/* got rounds to printed at `decimals` decimals (half a unit). */
static void printed(const char *what, double got, double want, int decimals)
{
    double half = 0.5 * pow(10.0, -decimals);

    if (!(fabs(got - want) <= half * (1.0 + 1e-9)))
        fail_msg("%s: %.10g, printed %.*f", what, got, decimals, want);
}

/* ISO 13528:2022 E.9 (Horwitz at 1.195 and 2.565 mg/kg: 0.186 and
 * 0.356 mg/kg) and E.10 (sigma_R 23.2, sigma_r 14.3, m = 2: 20.9). */
static void sigma_pt_reproduces_annex_e9_and_e10(void **state)
{
    (void)state;
    expect(run_stdout("%s sigma-pt horwitz 1.195 --unit mg/kg --json", exe),
           0, "\"sigma_pt_basis\": \"horwitz\"");
    printed("E.9 sigma_pt at 1.195 mg/kg", num("sigma_pt"), 0.186, 3);
    ulps("mass fraction", num("mass_fraction"), 1.195e-6);
    expect(run_stdout("%s sigma-pt horwitz 2.565 --unit mg/kg --json", exe),
           0, "\"unit\": \"mg/kg\"");
    printed("E.9 sigma_pt at 2.565 mg/kg", num("sigma_pt"), 0.356, 3);
    /* the same concentration as a fraction gives the same sigma_pt */
    expect(run_stdout("%s sigma-pt horwitz 2.565e-6 --json", exe), 0,
           "\"unit\": \"fraction\"");
    printed("E.9 as a fraction", num("sigma_pt") * 1e6, 0.356, 3);
    expect(run_stdout("%s sigma-pt horwitz 2.565 --unit mg/kg", exe), 0,
           "sigma_pt 0.356");

    expect(run_stdout("%s sigma-pt precision --sigma-R 23.2 --sigma-r 14.3 "
                      "--m 2 --json",
                      exe),
           0, "\"sigma_pt_basis\": \"precision\"");
    printed("E.10 sigma_pt", num("sigma_pt"), 20.9, 1);
    ulps("E.10 exact", num("sigma_pt"),
         sqrt(23.2 * 23.2 - 14.3 * 14.3 * 0.5));
    /* from the limits: R = 2.77 sigma_R, so R = 2.77 gives sigma_R 1 */
    expect(run_stdout("%s sigma-pt limits --R 2.77 --json", exe), 0,
           "\"sigma_pt_basis\": \"limits\"");
    assert_true(num("sigma_pt") == 1.0);
    expect(run_stdout("%s sigma-pt limits --R 64.264 --r 39.611 --m 2 "
                      "--json",
                      exe),
           0, "\"sigma_R\": 23.2");
    printed("E.10 from the limits", num("sigma_pt"), 20.9, 1);
}

/* E.8, Table E.9: toxaphene, the robust SDs of 20 earlier rounds against
 * their assigned values; the line and every round's data are shown. */
static void sigma_pt_from_earlier_rounds_is_the_least_squares_line(
    void **state)
{
    static const char *const av[] = {
        "3.96", "4.56", "5.99", "6.08", "6.20", "6.72", "8.10",
        "8.73", "9.57", "12.1", "12.5", "13.1", "15.6", "15.9",
        "16.3", "16.3", "17.0", "17.4", "17.4", "19.0"};
    static const char *const sd[] = {
        "0.639", "0.638", "0.995", "1.48", "0.97", "1.43", "2.23",
        "1.80",  "1.45",  "1.44",  "2.25", "2.41", "3.57", "2.44",
        "3.60",  "3.09",  "2.63",  "2.85", "3.36", "3.20"};
    char text[2048], path[512];
    double want[4];
    size_t i, len = 0;

    (void)state;
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "round,level,sd\n");
    for (i = 0; i < 20; i++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "T-%02lu,%s,%s\n", (unsigned long)i + 1,
                                av[i], sd[i]);
    write_file("e8.csv", text);
    snprintf(path, sizeof path, "%s/e8.csv", tmp);
    oracle(want, 4, "rounds %s 10", path);
    expect(run_stdout("%s sigma-pt rounds %s --level 10 --json", exe, path),
           0, "\"round\": \"T-20\"");
    /* least squares in doubles (GSL) against exact fractions: 1e-12 of
     * the SDs' size (about 2) for the intercept, which is a difference of
     * two such numbers, and 1e-12 relative for the rest */
    near("intercept", num("intercept"), want[0], 2e-12);
    near("slope", num("slope"), want[1], 1e-12 * want[1]);
    near("r_squared", num("r_squared"), want[2], 1e-12);
    near("sigma_pt at 10", num("sigma_pt"), want[3], 1e-12 * want[3]);
    /* E.8 prints r^2 = 0.82; the data give 0.8264 (the transcription
     * lists that last digit as inconsistent with the table) */
    printed("E.8 r^2", num("r_squared"), 0.83, 2);
    assert_int_equal((int)num("p"), 20);
    assert_non_null(strstr(out, "\"level\": 3.96, \"sd\": 0.639, "
                                "\"fitted\": "));
    expect(run_stdout("%s sigma-pt rounds %s", exe, path), 0, "T-07");
    assert_non_null(strstr(out, "residual"));
    assert_non_null(strstr(out, "r^2 0.8264"));
    /* without --level there is no sigma_pt */
    expect(run_stdout("%s sigma-pt rounds %s --json", exe, path), 0,
           "\"sigma_pt\": null");
}

/* E.5, Table E.8: 20 differences PT item - CRM, x_CRM 21.62 with u 0.26:
 * x_pt 23.35, u(x_pt) 0.35, u_d 0.24. */
static void assigned_from_a_crm_comparison_reproduces_annex_e5(void **state)
{
    static const char *const d[] = {
        "2.00", "1.05", "0.50", "1.10", "1.75", "2.70", "-0.60",
        "-0.35", "2.50", "0.95", "3.10", "1.50", "2.00", "1.05",
        "2.30", "2.05", "2.80", "3.00", "2.15", "3.00"};
    char text[2048], pairs[2048], path[512];
    double want[3], x, u, ud;
    size_t i, len = 0, plen = 0;

    (void)state;
    len += (size_t)snprintf(text + len, sizeof text - len, "item,d\n");
    plen += (size_t)snprintf(pairs + plen, sizeof pairs - plen,
                             "item,pt,crm\n");
    for (i = 0; i < 20; i++) {
        char *end;
        double v = strtod(d[i], &end);
        len += (size_t)snprintf(text + len, sizeof text - len, "P%lu,%s\n",
                                (unsigned long)i + 1, d[i]);
        /* the same differences as results at an offset of 1000 */
        plen += (size_t)snprintf(pairs + plen, sizeof pairs - plen,
                                 "P%lu,%.2f,1000.%02lu\n",
                                 (unsigned long)i + 1,
                                 1000.0 + (double)i / 100.0 + v,
                                 (unsigned long)i);
    }
    write_file("e5.csv", text);
    write_file("e5pairs.csv", pairs);
    snprintf(path, sizeof path, "%s/e5.csv", tmp);
    oracle(want, 3, "crm %s 21.62 0.26", path);
    expect(run_stdout("%s assigned crm-compare %s --value 21.62 --U 0.26 "
                      "--k 1 --json",
                      exe, path),
           0, "\"p\": 20");
    x = num("x_pt");
    u = num("u_x_pt");
    ud = num("u_d");
    printed("E.5 x_pt", x, 23.35, 2);
    printed("E.5 u(x_pt)", u, 0.35, 2);
    printed("E.5 u_d", ud, 0.24, 2);
    ulps("x_pt", x, want[0]);
    ulps("u(x_pt)", u, want[1]);
    ulps("u_d", ud, want[2]);
    assert_non_null(strstr(out, "\"item\": \"P7\", \"pt\": -0.6"));
    expect(run_stdout("%s assigned crm-compare %s/e5pairs.csv --value 21.62 "
                      "--U 0.26 --k 1 --json",
                      exe, tmp),
           0, "\"crm\": 1000");
    /* the differences are taken in the data's decimals: exactly equal */
    assert_true(num("x_pt") == x);
    assert_true(num("u_x_pt") == u);
    expect(run_stdout("%s assigned crm-compare %s --value 21.62 --U 0.26 "
                      "--k 1",
                      exe, path),
           0, "x_pt 23.3475");
}

/* E.7: the Algorithm A value of E.4, x* 0.03161 with u(x*) 0.0045,
 * against the reference value 0.044 with U 0.0082 (k 2): x_diff 0.012,
 * u_diff 0.0061. */
static void consensus_check_reproduces_annex_e7(void **state)
{
    (void)state;
    expect(run_stdout("%s assigned check --x 0.03161 --u-x 0.0045 --value "
                      "0.044 --U 0.0082 --json",
                      exe),
           0, "\"significant\": true");
    printed("E.7 x_diff", num("diff"), 0.012, 3);
    printed("E.7 u_diff", num("u_diff"), 0.0061, 4);
    assert_true(num("diff") == 0.01239); /* 0.044 - 0.03161 as reported */
    ulps("u_diff", num("u_diff"), hypot(0.0045, 0.0041));
    expect(run_stdout("%s assigned check --x 10.0 --u-x 0.3 --value 10.5 "
                      "--U 0.8",
                      exe),
           0, "not significant");
}

/* A CRM and a reference laboratory: u(x_pt) = sqrt((U/k)^2 + u_hom^2 +
 * u_stab^2); a formulation by the GUM's propagation; both against the
 * exact computation, and a formulation with masses in mg equal to the
 * one in g. */
static void assigned_values_agree_with_exact_arithmetic(void **state)
{
    double want[3], x, uc, u;

    (void)state;
    oracle(want, 2, "known 8.42 0.31 2 0.05 0.02");
    expect(run_stdout("%s assigned crm --value 8.42 --U 0.31 --u-hom 0.05 "
                      "--u-stab 0.02 --json",
                      exe),
           0, "\"assigned\": \"crm\"");
    assert_true(num("x_pt") == 8.42);
    ulps("crm u(x_pt)", num("u_x_pt"), want[1]);
    ulps("crm U(x_pt)", num("U_x_pt"), 2.0 * want[1]);
    oracle(want, 2, "known 1503.7 4.1 1.96 0 0");
    expect(run_stdout("%s assigned reference --value 1503.7 --U 4.1 --k 1.96 "
                      "--json",
                      exe),
           0, "\"assigned\": \"reference\"");
    ulps("reference u(x_pt)", num("u_x_pt"), want[1]);
    expect(run_stdout("%s assigned reference --value 1503.7 --U 4.1", exe), 0,
           "7.5");

    oracle(want, 3,
           "formulation 0.998 0.001 0.02512 0.00002 1000.3 0.05 1.2 0.3 "
           "1e6 0.2 0.1");
    expect(run_stdout("%s assigned formulation --purity 0.998 --u-purity "
                      "0.001 --mass 0.02512 --u-mass 0.00002 --total 1000.3 "
                      "--u-total 0.05 --blank 1.2 --u-blank 0.3 --factor 1e6 "
                      "--u-hom 0.2 --u-stab 0.1 --json",
                      exe),
           0, "\"assigned\": \"formulation\"");
    x = num("x_pt");
    uc = num("u_char");
    u = num("u_x_pt");
    ulps("formulation x_pt", x, want[0]);
    ulps("formulation u_char", uc, want[1]);
    ulps("formulation u(x_pt)", u, want[2]);
    /* the masses in mg: the same x_pt and u */
    expect(run_stdout("%s assigned formulation --purity 0.998 --u-purity "
                      "0.001 --mass 25.12 --u-mass 0.02 --total 1000300 "
                      "--u-total 50 --blank 1.2 --u-blank 0.3 --factor 1e6 "
                      "--u-hom 0.2 --u-stab 0.1 --json",
                      exe),
           0, "\"mass\": 25.12");
    ulps("formulation in mg, x_pt", num("x_pt"), x);
    ulps("formulation in mg, u(x_pt)", num("u_x_pt"), u);
}

/* Items measured once (ISO 13528:2022 B.1.2, as transcribed publicly in
 * kanunimurat/pt13528 src/pt13528/homogeneity.py: one result per item,
 * whose SD includes the repeatability): with the method's repeatability
 * s_r known, s_s = sqrt(s_x^2 - s_r^2).  The first replicates of E.2
 * (arsenic in chocolate, sigma_pt 0.02807); refused without --s-r. */
static void homogeneity_of_items_measured_once_uses_a_known_s_r(void **state)
{
    static const char *const v[] = {"0.185", "0.187", "0.182", "0.188",
                                    "0.191", "0.188", "0.187", "0.177",
                                    "0.179", "0.188"};
    char text[1024], shifted[1024], path[512];
    double want[2], s_s;
    size_t i, len = 0, slen = 0;

    (void)state;
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "item,replicate,value\n");
    slen += (size_t)snprintf(shifted + slen, sizeof shifted - slen,
                             "item,replicate,value\n");
    for (i = 0; i < 10; i++) {
        len += (size_t)snprintf(text + len, sizeof text - len, "%lu,1,%s\n",
                                (unsigned long)i + 1, v[i]);
        slen += (size_t)snprintf(shifted + slen, sizeof shifted - slen,
                                 "%lu,1,1000%s\n", (unsigned long)i + 1,
                                 v[i] + 1);
    }
    write_file("once.csv", text);
    write_file("once1000.csv", shifted);
    snprintf(path, sizeof path, "%s/once.csv", tmp);

    expect(run_stderr("%s homogeneity --sigma-pt 0.02807 %s", exe, path), 1,
           "measured once (m = 1): give --s-r");
    assert_non_null(strstr(out, "B.1.2"));

    oracle(want, 2, "single %s 0.00356", path);
    expect(run_stdout("%s homogeneity --sigma-pt 0.02807 --s-r 0.00356 "
                      "--json %s",
                      exe, path),
           0, "\"m\": 1");
    ulps("s_x", num("s_x"), want[0]);
    s_s = num("s_s");
    ulps("s_s", s_s, want[1]);
    assert_true(num("s_w") == 0.00356);
    assert_non_null(strstr(out, "\"passed\": true"));
    assert_non_null(strstr(out, "\"passed_expanded\": null"));
    assert_non_null(strstr(out, "\"anova_F\": null"));
    ulps("sigma'_pt", num("sigma_pt_prime"), hypot(0.02807, s_s));

    /* shifted by 1000: the same s_s to 1e-9 of the resolution */
    expect(run_stdout("%s homogeneity --sigma-pt 0.02807 --s-r 0.00356 "
                      "--json %s/once1000.csv",
                      exe, tmp),
           0, "\"m\": 1");
    if (!(fabs(num("s_s") - s_s) <= 1e-12))
        fail_msg("s_s at an offset of 1000: %.17g, at 0: %.17g", num("s_s"),
                 s_s);

    /* s_r above s_x: s_s is 0; s_r 0: s_s is s_x, an upper bound */
    expect(run_stdout("%s homogeneity --sigma-pt 0.02807 --s-r 0.00556 "
                      "--json %s",
                      exe, path),
           0, "\"s_s\": 0,");
    oracle(want, 2, "single %s 0", path);
    expect(run_stdout("%s homogeneity --sigma-pt 0.02807 --s-r 0 --json %s",
                      exe, path),
           0, "\"m\": 1");
    ulps("s_s with s_r 0", num("s_s"), want[0]);
    expect(run_stdout("%s homogeneity --sigma-pt 0.02807 --s-r 0.00356 %s",
                      exe, path),
           0, "one measurement per item");

    /* --s-r with replicates is refused: s_w comes from them */
    write_file("two.csv", "item,replicate,value\n1,1,0.185\n1,2,0.194\n"
                          "2,1,0.187\n2,2,0.189\n");
    expect(run_stderr("%s homogeneity --sigma-pt 0.02807 --s-r 0.003 "
                      "%s/two.csv",
                      exe, tmp),
           1, "--s-r is for items measured once");
    expect(run_stderr("%s homogeneity --sigma-pt 0.02807 --s-r -1 %s", exe,
                      path),
           1, "--s-r must not be negative");
}

/* Refusals: a clear message, exit 1, nothing on standard output. */
static void sigma_pt_and_assigned_refuse_bad_input(void **state)
{
    (void)state;
    expect(run_stdout("%s sigma-pt horwitz 2 --json 2>/dev/null", exe), 1,
           NULL);
    assert_string_equal(out, "");
    expect(run_stderr("%s sigma-pt horwitz 2", exe), 1,
           "at most 1 (100 %)");
    expect(run_stderr("%s sigma-pt horwitz 5 --unit furlongs", exe), 1,
           "--unit must be");
    expect(run_stderr("%s sigma-pt precision --sigma-r 1", exe), 1,
           "missing --sigma-R");
    expect(run_stderr("%s sigma-pt precision --sigma-R 1 --sigma-r 2", exe),
           1, "sigma_r must not exceed sigma_R");
    expect(run_stderr("%s sigma-pt precision --sigma-R 1 --m 0.5", exe), 1,
           "--m must be 1 or more");
    expect(run_stderr("%s sigma-pt guess 1", exe), 1, "unknown way");
    expect(run_stderr("%s sigma-pt horwitz 1e-400", exe), 1,
           "too small for a double");

    write_file("flat.csv", "level,sd\n5,1\n5,1.2\n5,0.9\n");
    expect(run_stderr("%s sigma-pt rounds %s/flat.csv", exe, tmp), 1,
           "same level");
    write_file("two.csv", "level,sd\n5,1\n6,1.2\n");
    expect(run_stderr("%s sigma-pt rounds %s/two.csv", exe, tmp), 1,
           "3 rounds or more");
    write_file("bad.csv", "level,sd\n5,1\n6,x\n");
    expect(run_stdout("%s sigma-pt rounds --json %s/bad.csv 2>&1", exe, tmp),
           1, "bad.csv:3:3:");
    write_file("neg.csv", "level,sd\n5,1\n6,-1\n7,2\n");
    expect(run_stderr("%s sigma-pt rounds %s/neg.csv", exe, tmp), 1,
           "neg.csv:3:3: sd must not be negative");
    write_file("nohead.csv", "x,y\n5,1\n");
    expect(run_stderr("%s sigma-pt rounds %s/nohead.csv", exe, tmp), 1,
           "columns level and sd");

    expect(run_stderr("%s assigned crm --U 0.3", exe), 1, "missing --value");
    expect(run_stderr("%s assigned crm --value 1 --U -0.3", exe), 1,
           "--U must not be negative");
    expect(run_stderr("%s assigned crm --value 1 --U 0.3 --k 0", exe), 1,
           "--k must be positive");
    expect(run_stderr("%s assigned formulation --purity 1 --u-purity 0 "
                      "--mass 5 --u-mass 0 --total 4 --u-total 0",
                      exe),
           1, "--mass must not exceed --total");
    write_file("one.csv", "d\n1.5\n");
    expect(run_stdout("%s assigned crm-compare %s/one.csv --value 1 --U 0.1 "
                      "--json 2>/dev/null",
                      exe, tmp),
           1, NULL);
    assert_string_equal(out, "");
    expect(run_stderr("%s assigned crm-compare %s/one.csv --value 1 --U 0.1",
                      exe, tmp),
           1, "2 or more PT items");
    expect(run_stderr("%s assigned crm-compare %s/none.csv --value 1 --U 0.1",
                      exe, tmp),
           1, "none.csv");
    expect(run_stderr("%s assigned crm --value 1 --U 1 --bogus 2", exe), 1,
           "unknown option \"--bogus\"");
    expect(run_stderr("%s assigned", exe), 1, "usage: ptlims assigned");
}

static void sigma_pt_and_assigned_have_help_and_are_listed(void **state)
{
    (void)state;
    expect(run_stdout("%s sigma-pt --help", exe), 0,
           "usage: ptlims sigma-pt horwitz");
    expect(run_stdout("%s assigned --help", exe), 0,
           "usage: ptlims assigned crm");
    expect(run_stdout("%s assigned crm --help", exe), 0, "crm-compare");
    expect(run_stdout("%s --help", exe), 0, "sigma-pt");
    assert_non_null(strstr(out, "assigned"));
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sigma_pt_reproduces_annex_e9_and_e10),
        cmocka_unit_test(
            sigma_pt_from_earlier_rounds_is_the_least_squares_line),
        cmocka_unit_test(assigned_from_a_crm_comparison_reproduces_annex_e5),
        cmocka_unit_test(consensus_check_reproduces_annex_e7),
        cmocka_unit_test(assigned_values_agree_with_exact_arithmetic),
        cmocka_unit_test(
            homogeneity_of_items_measured_once_uses_a_known_s_r),
        cmocka_unit_test(sigma_pt_and_assigned_refuse_bad_input),
        cmocka_unit_test(sigma_pt_and_assigned_have_help_and_are_listed),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(exe, sizeof exe, "%s %s/ptlims",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build);
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-assign-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    run_stdout("rm -rf %s", tmp);
    return failed;
}
