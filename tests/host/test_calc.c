/*
 * test_calc.c -- the calculators of the ptlims command (stats, score,
 * homogeneity, precision) as a script sees them: every JSON key, the
 * values of the ISO 13528 worked examples, standard input, no plug-ins
 * needed, and the error paths (file:line:column, exit 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostutil.h"

#include <math.h>


static void has_keys(const char *const *keys, size_t n)
{
    size_t i;
    char k[64];

    for (i = 0; i < n; i++) {
        snprintf(k, sizeof k, "\"%s\": ", keys[i]);
        if (!strstr(out, k))
            fail_msg("key %s missing in:\n%s", keys[i], out);
    }
}

/* The value after "key": in out, as a double. */
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

/* ISO 13528:2022 E.3, atrazine (as transcribed in kanunimurat/pt13528). */
static const char e3[] =
    "0.040\n0.055\n0.178\n0.202\n0.206\n0.227\n0.228\n0.230\n0.230\n0.235\n"
    "0.236\n0.237\n0.243\n0.244\n0.245\n0.2555\n0.260\n0.264\n0.267\n0.270\n"
    "0.273\n0.274\n0.274\n0.278\n0.2811\n0.287\n0.287\n0.288\n0.289\n0.295\n"
    "0.296\n0.311\n0.331\n0.4246\n";

static void stats_prints_every_key_with_iso_e3_values(void **state)
{
    static const char *const keys[] = {
        "n",      "mean",   "sd",    "median",         "made",
        "niqr",   "alga_x", "alga_s", "alga_iterations", "alga_u",
        "qn",     "qmethod_s", "hampel_x", "qhampel_u"};

    (void)state;
    write_file("e3.txt", e3);
    /* no plug-in directory at all: the calculators do not need one */
    expect(run_stdout("%s --plugin-dir %s/none stats --json %s/e3.txt", exe, tmp,
               tmp),
           0, "\"n\": 34");
    has_keys(keys, sizeof keys / sizeof keys[0]);
    assert_true(fabs(num("median") - 0.2620) < 0.00005);
    assert_true(fabs(num("niqr") - 0.0402) < 0.00005);
    assert_true(fabs(num("made") - 0.0386) < 0.00005);
    assert_true(fabs(num("alga_x") - 0.2570) < 0.00005);
    assert_true(fabs(num("alga_s") - 0.0395) < 0.00005);
    assert_true(fabs(num("alga_u") - 0.0085) < 0.00005);
    assert_true(fabs(num("hampel_x") - 0.2600) < 0.00005);
    assert_true(fabs(num("qmethod_s") - 0.0426) < 0.00005);
    assert_true(fabs(num("qhampel_u") - 0.0091) < 0.00005);
    assert_true(fabs(num("mean") - 0.2512) < 0.00005);
    /* the shortest text that reads back to the same double */
    assert_non_null(strstr(out, "\"median\": 0.262,"));
    /* text output for people */
    expect(run_stdout("%s stats %s/e3.txt", exe, tmp), 0, "Algorithm A");
    assert_non_null(strstr(out, "Q/Hampel"));
}

static void stats_reads_a_value_column_and_stdin(void **state)
{
    (void)state;
    expect(run_stdout("printf 'lab,value\\nA,1\\nB,2\\nC,3\\nD,10\\n' | %s stats "
               "--json -",
               exe),
           0, "\"n\": 4");
    assert_true(num("median") == 2.5);
    expect(run_stdout("printf '1\\n2\\n3\\n4\\n5\\n' | %s stats --stop sig3 --json -",
               exe),
           0, "\"alga_iterations\": ");
    /* too few for Algorithm A: null and a warning, still exit 0 */
    expect(run_stdout("printf '1\\n2\\n' | %s stats --json - 2>&1", exe), 0,
           "\"alga_x\": null");
    assert_non_null(strstr(out, "Algorithm A: too few values"));
    /* two results: a consensus z could never flag anything */
    assert_non_null(strstr(out, "2 results: too few results for a "
                                "consensus z"));
}

static void stats_errors_name_the_place(void **state)
{
    (void)state;
    write_file("comma.txt", "1.5\n2,5\n");
    expect(run_stdout("%s stats %s/comma.txt 2>&1", exe, tmp), 1,
           "comma.txt:2:3: more than one field");
    write_file("word.csv", "value\n1.5\nabc\n");
    expect(run_stdout("%s stats %s/word.csv 2>&1", exe, tmp), 1,
           "word.csv:3:1: \"abc\" is not a number");
    write_file("nan.txt", "1\nnan\n");
    expect(run_stdout("%s stats %s/nan.txt 2>&1", exe, tmp), 1, "nan.txt:2:1:");
    write_file("empty.csv", "value\n");
    expect(run_stdout("%s stats %s/empty.csv 2>&1", exe, tmp), 1, "no values");
    write_file("hdr.csv", "lab,result\nA,1\n");
    expect(run_stdout("%s stats %s/hdr.csv 2>&1", exe, tmp), 1,
           "hdr.csv:1:1: expected one value per line");
    expect(run_stdout("%s stats %s/missing.csv 2>&1", exe, tmp), 1, "missing.csv");
    expect(run_stdout("%s stats --stop fast %s/e3.txt 2>&1", exe, tmp), 1,
           "--stop must be fixed or sig3");
    expect(run_stdout("%s stats 2>&1", exe), 1, "usage: ptlims stats");
    expect(run_stdout("%s stats --colour x 2>&1", exe), 1, "unknown option");
    expect(run_stdout("%s stats --help", exe), 0, "JSON keys");
}

/* Issue 14: results at an offset of 1e6 reported to 0.01.  The text shows
 * their resolution (never 1e+06), Algorithm A converges, and the Q
 * method's s* does not move with the offset. */
static void stats_shows_the_data_at_their_resolution(void **state)
{
    double s_near, q_near;

    (void)state;
    write_file("far.txt", "1000000.1\n1000000.11\n1000000.12\n1000000.12\n"
                          "1000000.13\n1000000.14\n1000000.15\n1000000.19\n");
    write_file("near.txt", "0.1\n0.11\n0.12\n0.12\n0.13\n0.14\n0.15\n0.19\n");
    expect(run_stdout("%s stats %s/far.txt 2>&1", exe, tmp), 0,
           "median            1000000.125");
    assert_null(strstr(out, "e+06"));
    assert_non_null(strstr(out, "Algorithm A       x* 1000000.1296"));
    expect(run_stdout("%s stats --json %s/near.txt", exe, tmp), 0, "alga_s");
    s_near = num("alga_s");
    q_near = num("qmethod_s");
    expect(run_stdout("%s stats --json %s/far.txt", exe, tmp), 0, "alga_s");
    assert_true(fabs(num("alga_s") - s_near) <= 1e-15);
    assert_true(num("qmethod_s") == q_near);
    assert_non_null(strstr(out, "\"median\": 1000000.125,"));
}

/* 5,5,5,5,5,5,9: the warning says what is true. */
static void stats_says_why_made_is_zero(void **state)
{
    (void)state;
    expect(run_stdout("printf '5\\n5\\n5\\n5\\n5\\n5\\n9\\n' | %s stats - 2>&1",
               exe),
           0, "6 of the 7 values are equal (5), more than half: MADe is 0");
    assert_non_null(strstr(out, "Algorithm A started from the sample SD"));
    assert_null(strstr(out, "all equal"));
    expect(run_stdout("printf '5\\n5\\n5\\n' | %s stats - 2>&1", exe), 0,
           "all 3 values are equal (5)");
}

/* --estimators computes and prints only what is asked. */
static void stats_computes_only_the_estimators_asked(void **state)
{
    (void)state;
    write_file("e3.txt", e3);
    expect(run_stdout("%s stats --estimators median,niqr --json %s/e3.txt",
               exe, tmp),
           0, "\"median\": 0.262");
    assert_non_null(strstr(out, "\"niqr\": "));
    assert_null(strstr(out, "alga"));
    assert_null(strstr(out, "qn"));
    assert_null(strstr(out, "\"mean\""));
    expect(run_stdout("%s stats --estimators alga %s/e3.txt", exe, tmp), 0,
           "Algorithm A");
    assert_null(strstr(out, "median"));
    expect(run_stdout("%s stats --estimators median,bogus %s/e3.txt 2>&1",
               exe, tmp),
           1, "unknown estimator \"bogus\"");
}

/* Values that underflow, subnormal scales and -0 (read as 0). */
static void calculators_refuse_what_a_double_cannot_hold(void **state)
{
    (void)state;
    write_file("under.csv", "lab,value\nA,1.0\nB,1e-400\n");
    expect(run_stdout("%s score --xpt 1 --u-xpt 0.1 --sigma-pt 0.5 --json "
               "%s/under.csv 2>&1",
               exe, tmp),
           1, "under.csv:3:3: value \"1e-400\" is too small for a double");
    assert_null(strstr(out, "[")); /* nothing on stdout */
    expect(run_stdout("%s score --xpt 1 --u-xpt 0.1 --sigma-pt 1e-310 "
               "%s/under.csv 2>&1",
               exe, tmp),
           1, "--sigma-pt: value \"1e-310\" is below the smallest normal");
    write_file("negzero.csv", "lab,value\nA,-0\nB,0.5\n");
    expect(run_stdout("%s score --xpt 0 --u-xpt 0.1 --sigma-pt 0.5 --json "
               "%s/negzero.csv",
               exe, tmp),
           0, "\"lab\": \"A\", \"D\": 0,");
    write_file("hom.csv", "item,replicate,value\n1,1,1.0\n1,2,2.2e-310\n");
    expect(run_stdout("%s homogeneity --sigma-pt 1 %s/hom.csv 2>&1", exe,
               tmp),
           1, "hom.csv:3:");
}

/* A failure after some rows were scored prints nothing on stdout. */
static void a_failing_calculator_leaves_stdout_empty(void **state)
{
    (void)state;
    write_file("late.csv", "lab,value\nA,1.0\nB,1.1\nC,x\n");
    expect(run_stdout("%s score --xpt 1 --u-xpt 0.1 --sigma-pt 0.5 --json "
               "%s/late.csv 2>/dev/null",
               exe, tmp),
           1, "");
    assert_string_equal(out, "");
    expect(run_stdout("%s score --xpt 1 --u-xpt 0.1 --sigma-pt 0.5 "
               "%s/late.csv 2>/dev/null",
               exe, tmp),
           1, "");
    assert_string_equal(out, "");
}

/* Each score's class, and the En boundary as an option. */
static void score_gives_each_class_and_the_en_boundary(void **state)
{
    static const char *const keys[] = {"z_class",    "z_prime_class",
                                       "zeta_class", "En_class",
                                       "class",      "scored_by"};

    (void)state;
    /* B: En = 0.5 / sqrt(0.3^2 + 0.4^2) = 1 and zeta = 0.5 /
     * sqrt(0.15^2 + 0.2^2) = 2, both exactly on their boundary */
    write_file("en.csv", "lab,value,U\nA,1.0,0.2\nB,1.5,0.3\n");
    expect(run_stdout("%s score --xpt 1 --u-xpt 0.2 --sigma-pt 0.5 --json "
                      "%s/en.csv",
                      exe, tmp),
           0, "\"En\": 1,");
    has_keys(keys, sizeof keys / sizeof keys[0]);
    assert_non_null(strstr(out, "\"En\": 1, \"class\": \"satisfactory\", "
                                "\"scored_by\": \"z_prime\", \"z_class\": "
                                "\"satisfactory\", \"z_prime_class\": "
                                "\"satisfactory\", \"zeta_class\": "
                                "\"satisfactory\", \"En_class\": "
                                "\"unsatisfactory\", \"PA\": null, "
                                "\"R_limit\": null, \"R_agree\": null, "
                                "\"u_flags\": null}]"));
    expect(run_stdout("%s score --xpt 1 --u-xpt 0.2 --sigma-pt 0.5 "
               "--en-boundary le1 --json %s/en.csv",
               exe, tmp),
           0, "\"En_class\": \"satisfactory\", \"PA\": null, "
              "\"R_limit\": null, \"R_agree\": null, \"u_flags\": null}]");
    expect(run_stdout("%s score --xpt 1 --u-xpt 0.2 --sigma-pt 0.5 "
                      "--en-boundary lt1 %s/en.csv 2>&1",
                      exe, tmp),
           1, "--en-boundary must be iso or le1");
}

/* PA with --delta-e and the 9.8 flags with --s-star (ISO 13528:2022
 * E.4's L04: PA -156.6 with delta_E = 3 sigma_pt). */
static void score_gives_pa_and_uncertainty_flags(void **state)
{
    (void)state;
    write_file("pa.csv", "lab,value,U,k\nL04,0.013,0.003,2\nL21,0.04,0.03,2\n"
                         "L99,0.044,,\n");
    expect(run_stdout("%s score --xpt 0.044 --u-xpt 0.0041 --sigma-pt 0.0066 "
               "--delta-e 0.0198 --s-star 0.0066 --json %s/pa.csv",
               exe, tmp),
           0, "\"PA\": ");
    assert_true(fabs(num("PA") - -156.6) < 0.05);
    /* L04: u = 0.0015 < u(x_pt) 0.0041; L21: u = 0.015 > 1.5 x 0.0066 */
    assert_non_null(strstr(out, "\"u_flags\": [\"below_u_xpt\"]}"));
    assert_non_null(strstr(out, "\"u_flags\": [\"above_1_5_s\"]}"));
    assert_non_null(strstr(out, "\"u_flags\": null}]"));
    expect(run_stdout("%s score --xpt 0.044 --u-xpt 0.0041 --sigma-pt 0.0066 "
               "--delta-e 0 %s/pa.csv 2>&1",
               exe, tmp),
           1, "--delta-e must be positive");
}

/* The kernel density mode (ISO 13528:2022 E.6, coliforms, as transcribed
 * in kanunimurat/pt13528: 3.79 with h = 0.75 x 0.25) and Algorithm A with
 * its scale held at MADe. */
static void stats_gives_the_kernel_mode_and_fixed_scale_algorithm_a(
    void **state)
{
    double u;

    (void)state;
    write_file("e6.txt", "3.80\n3.90\n3.07\n3.64\n4.06\n3.40\n3.59\n3.39\n"
                         "3.47\n3.47\n3.77\n3.53\n2.83\n2.75\n2.06\n3.75\n"
                         "3.73\n3.82\n3.86\n3.88\n3.97\n3.96\n3.80\n3.88\n"
                         "3.25\n3.45\n3.64\n2.86\n3.17\n3.19\n3.17\n4.22\n"
                         "3.82\n3.82\n3.95\n");
    expect(run_stdout("%s stats --estimators mode,alga_fixed,made "
               "--sigma-pt 0.25 --bootstrap 200 --json %s/e6.txt",
               exe, tmp),
           0, "\"mode\": ");
    assert_true(fabs(num("mode") - 3.79) < 0.005);
    assert_true(num("mode_bandwidth") == 0.1875);
    u = num("mode_u");
    assert_true(u > 0.0 && u < 0.3);
    assert_true(num("alga_fixed_s") == num("made"));
    /* the same seed, the same u */
    expect(run_stdout("%s stats --estimators mode --sigma-pt 0.25 "
               "--bootstrap 200 --json %s/e6.txt",
               exe, tmp),
           0, "\"mode_u\": ");
    assert_true(num("mode_u") == u);
    expect(run_stdout("%s stats --estimators mode %s/e6.txt 2>&1", exe, tmp),
           1, "the mode needs a positive --bandwidth");
}

/* ISO 13528:2022 E.4 (mercury in feed), three participants. */
static void score_prints_every_key_and_iso_e4_values(void **state)
{
    static const char *const keys[] = {"lab",     "D",    "D_pct", "z",
                                       "z_prime", "zeta", "En",    "class"};

    (void)state;
    write_file("e4.csv", "lab,value,U,k\nL04,0.013,0.003,2\n"
                         "L23,0.0135,0.00108,1.732\nL01,0.053,0.007,\n"
                         "L99,0.044,,\n");
    expect(
        run_stdout("%s --plugin-dir %s/none score --xpt 0.044 --u-xpt 0.0041 "
                   "--sigma-pt 0.0066 --json %s/e4.csv",
                   exe, tmp, tmp),
        0, "\"lab\": \"L04\"");
    has_keys(keys, sizeof keys / sizeof keys[0]);
    assert_true(out[0] == '[');
    assert_true(fabs(num("z") - -4.70) < 0.005);
    assert_true(fabs(num("z_prime") - -3.99) < 0.005);
    assert_true(fabs(num("zeta") - -7.10) < 0.005);
    assert_true(fabs(num("En") - -3.55) < 0.005);
    assert_true(fabs(num("D_pct") - -70.5) < 0.05);
    /* u(x_pt) >= 0.3 sigma_pt: classes follow z', and the output says so */
    assert_non_null(strstr(out, "\"scored_by\": \"z_prime\""));
    assert_non_null(strstr(out, "\"class\": \"unsatisfactory\""));
    /* L23: zeta with U/k = 0.00108/1.732 */
    assert_non_null(strstr(out, "\"zeta\": -7.35"));
    /* no U: zeta and En are null */
    assert_non_null(strstr(out, "\"lab\": \"L99\", \"D\": 0, \"D_pct\": 0, "
                                "\"z\": 0, \"z_prime\": 0, \"zeta\": null, "
                                "\"En\": null"));
    expect(run_stdout("%s score --xpt 0.044 --u-xpt 0.001 --sigma-pt 0.0066 "
                      "%s/e4.csv",
                      exe, tmp),
           0, "L01");
    assert_null(strstr(out, "follow z'"));
}

static void score_errors_name_the_place(void **state)
{
    (void)state;
    write_file("badu.csv", "lab,value,U\nA,1.0,0.1\nB,1.1,-0.2\n");
    expect(run_stdout("%s score --xpt 1 --u-xpt 0.01 --sigma-pt 0.1 %s/badu.csv "
               "2>&1",
               exe, tmp),
           1, "badu.csv:3:7: U must be positive");
    write_file("nolab.csv", "value\n1\n");
    expect(run_stdout("%s score --xpt 1 --u-xpt 0.01 --sigma-pt 0.1 %s/nolab.csv "
               "2>&1",
               exe, tmp),
           1, "nolab.csv:1:1: the header needs the columns lab and value");
    expect(run_stdout("%s score --xpt 1 --u-xpt 0.01 %s/nolab.csv 2>&1", exe, tmp),
           1, "usage: ptlims score");
    expect(run_stdout("%s score --xpt x --u-xpt 0.01 --sigma-pt 1 %s/nolab.csv "
               "2>&1",
               exe, tmp),
           1, "--xpt: \"x\" is not a number");
    expect(run_stdout("%s score --xpt 1 --u-xpt 0.01 --sigma-pt 0 %s/nolab.csv "
               "2>&1",
               exe, tmp),
           1, "--sigma-pt must be positive");
}

/* ISO 13528:2022 E.2, arsenic in chocolate, 10 items in duplicate. */
static void homogeneity_prints_every_key_with_iso_e2_values(void **state)
{
    static const char *const keys[] = {
        "g",  "m",  "mean", "s_x", "s_w", "s_s", "criterion", "F1",
        "F2", "expanded_criterion", "anova_F", "passed", "passed_expanded"};

    (void)state;
    write_file("e2.csv",
               "item,replicate,value\n1,1,0.185\n1,2,0.194\n2,1,0.187\n"
               "2,2,0.189\n3,1,0.182\n3,2,0.186\n4,1,0.188\n4,2,0.196\n"
               "5,1,0.191\n5,2,0.181\n6,1,0.188\n6,2,0.180\n7,1,0.187\n"
               "7,2,0.196\n8,1,0.177\n8,2,0.186\n9,1,0.179\n9,2,0.187\n"
               "10,1,0.188\n10,2,0.196\n");
    expect(run_stdout("%s --plugin-dir %s/none homogeneity --sigma-pt 0.02807 "
               "--json %s/e2.csv",
               exe, tmp, tmp),
           0, "\"g\": 10, \"m\": 2");
    has_keys(keys, sizeof keys / sizeof keys[0]);
    assert_true(fabs(num("mean") - 0.18715) < 0.000005);
    assert_true(fabs(num("s_x") - 0.00398) < 0.000005);
    assert_true(fabs(num("s_w") - 0.00556) < 0.000005);
    assert_true(fabs(num("s_s") - 0.00060) < 0.000005);
    assert_true(fabs(num("criterion") - 0.00842) < 0.000005);
    assert_true(fabs(num("F1") - 1.88) < 0.005);
    assert_true(fabs(num("F2") - 1.01) < 0.005);
    assert_non_null(strstr(out, "\"passed\": true"));
    assert_non_null(strstr(out, "\"passed_expanded\": true"));
    expect(run_stdout("cat %s/e2.csv | %s homogeneity --sigma-pt 0.001 -", tmp,
               exe),
           0, "FAILED");
}

static void homogeneity_errors_name_the_place(void **state)
{
    (void)state;
    write_file("unbal.csv", "item,replicate,value\nA,1,1\nA,2,2\nB,1,1\n"
                            "B,2,2\nB,3,3\n");
    expect(run_stdout("%s homogeneity --sigma-pt 1 %s/unbal.csv 2>&1", exe, tmp),
           1, "unbal.csv:4:1: item \"B\" has 3 replicates");
    write_file("badv.csv", "item,replicate,value\nA,1,1\nA,2,x\n");
    expect(run_stdout("%s homogeneity --sigma-pt 1 %s/badv.csv 2>&1", exe, tmp), 1,
           "badv.csv:3:5: \"x\" is not a number");
    write_file("one.csv", "item,replicate,value\nA,1,1\nA,2,2\n");
    expect(run_stdout("%s homogeneity --sigma-pt 1 %s/one.csv 2>&1", exe, tmp), 1,
           "too few");
    write_file("cols.csv", "item,value\nA,1\n");
    expect(run_stdout("%s homogeneity --sigma-pt 1 %s/cols.csv 2>&1", exe, tmp), 1,
           "cols.csv:1:1: the header needs the columns item, replicate");
    expect(run_stdout("%s homogeneity %s/cols.csv 2>&1", exe, tmp), 1,
           "usage: ptlims homogeneity");
}

/* ISO 13528:2022 E.2 (arsenic in chocolate, as transcribed in
 * kanunimurat/pt13528): the stability check's mean 0.19375 against the
 * homogeneity mean 0.18715, difference 0.00660 <= 0.3 sigma_pt = 0.00842
 * with sigma_pt = 0.15 x 0.18715. */
static void homogeneity_checks_stability_as_iso_13528_e2(void **state)
{
    static const double h[] = {0.185, 0.194, 0.187, 0.189, 0.182, 0.186,
                               0.188, 0.196, 0.191, 0.181, 0.188, 0.180,
                               0.187, 0.196, 0.177, 0.186, 0.179, 0.187,
                               0.188, 0.196};
    char text[1024];
    size_t i, k;

    (void)state;
    k = (size_t)snprintf(text, sizeof text, "item,replicate,value\n");
    for (i = 0; i < sizeof h / sizeof h[0]; i++)
        k += (size_t)snprintf(text + k, sizeof text - k, "%lu,%lu,%.3f\n",
                              (unsigned long)(i / 2 + 1),
                              (unsigned long)(i % 2 + 1), h[i]);
    write_file("e2h.csv", text);
    write_file("e2s.csv", "item,replicate,value\n1,1,0.191\n1,2,0.198\n"
                          "2,1,0.190\n2,2,0.196\n");
    expect(run_stdout("%s homogeneity --sigma-pt 0.0280725 --stability "
               "%s/e2s.csv --json %s/e2h.csv",
               exe, tmp, tmp),
           0, "\"stability\": {\"mean1\": ");
    assert_true(fabs(num("mean") - 0.18715) < 0.000005);
    assert_true(fabs(num("mean2") - 0.19375) < 0.000005);
    assert_true(fabs(num("diff") - 0.00660) < 0.000005);
    assert_true(fabs(num("criterion") - 0.00842) < 0.000005);
    assert_non_null(strstr(out, "\"passed\": true, \"passed_expanded\": "
                                "true, \"t_significant\": "));
    expect(run_stdout("%s homogeneity --sigma-pt 0.0280725 --stability "
               "%s/nothere.csv %s/e2h.csv 2>&1",
               exe, tmp, tmp),
           1, "nothere.csv");
}

static void precision_prints_every_key(void **state)
{
    static const char *const keys[] = {
        "p",              "s_r",            "s_L",           "s_R",
        "r",              "R",              "cochran_C",     "cochran_crit_5",
        "cochran_crit_1", "grubbs_max",     "grubbs_min",    "grubbs_crit_5",
        "grubbs_crit_1",  "h_crit_5",       "h_crit_1",      "k_crit_5",
        "k_crit_1",       "labs",           "lab",           "mean",
        "sd",             "h",              "k"};

    (void)state;
    /* cells (10, 12) (11, 11) (13, 15) (9, 9): s_r = 1, s_L^2 = 3.75
     * (tests/stats/test_precision.c) */
    write_file("prec.csv", "lab,replicate,value\nA,1,10\nA,2,12\nB,1,11\n"
                           "B,2,11\nC,1,13\nC,2,15\nD,1,9\nD,2,9\n");
    expect(run_stdout("%s --plugin-dir %s/none precision --json %s/prec.csv", exe,
               tmp, tmp),
           0, "\"p\": 4");
    has_keys(keys, sizeof keys / sizeof keys[0]);
    assert_true(num("s_r") == 1.0);
    assert_true(fabs(num("s_L") - sqrt(3.75)) < 1e-15);
    assert_true(fabs(num("r") - 2.8) < 1e-15);
    assert_non_null(strstr(out, "\"labs\": [{\"lab\": \"A\", \"mean\": 11"));
    expect(run_stdout("%s precision %s/prec.csv", exe, tmp), 0, "s_r 1");
}

/* The robust keys of precision: the Q method over every replicate
 * against the exact oracle (tests/stats/oracle.py), Algorithm S only for
 * equal replicate counts. */
static void precision_gives_the_robust_estimates(void **state)
{
    double want;

    (void)state;
    write_file("prec.csv", "lab,replicate,value\nA,1,10\nA,2,12\nB,1,11\n"
                           "B,2,11\nC,1,13\nC,2,15\nD,1,9\nD,2,9\n");
    write_file("oracle.txt", "qgroups 2,2,2,2 10 12 11 11 13 15 9 9\n");
    expect(run_stdout("python3 tests/stats/oracle.py %s/oracle.txt", tmp), 0,
           "");
    want = strtod(out, NULL);
    assert_true(want > 0.0);
    expect(run_stdout("%s precision --json %s/prec.csv", exe, tmp), 0,
           "\"qmethod_s\": ");
    assert_true(fabs(num("qmethod_s") - want) <= 1e-12 * want);
    assert_true(num("algs_w") > 0.0);
    assert_true(num("qhampel_x") > 9.0 && num("qhampel_x") < 15.0);
    write_file("uneq.csv", "lab,replicate,value\nA,1,10\nA,2,12\nB,1,11\n"
                           "B,2,11\nB,3,12\nC,1,13\nC,2,15\n");
    expect(run_stdout("%s precision --json %s/uneq.csv", exe, tmp), 0,
           "\"algs_w\": null");
}

static void precision_errors_name_the_place(void **state)
{
    (void)state;
    write_file("single.csv", "lab,replicate,value\nA,1,1\nA,2,2\nB,1,1\n"
                             "C,1,1\nC,2,3\n");
    expect(run_stdout("%s precision %s/single.csv 2>&1", exe, tmp), 1,
           "single.csv:4:1: laboratory \"B\" has 1 result");
    write_file("two.csv", "lab,replicate,value\nA,1,1\nA,2,2\nB,1,1\n"
                          "B,2,3\n");
    expect(run_stdout("%s precision %s/two.csv 2>&1", exe, tmp), 1,
           "2 laboratories (at least 3");
    write_file("quote.csv", "lab,replicate,value\nA,1,\"1\nA,2,2\n");
    expect(run_stdout("%s precision %s/quote.csv 2>&1", exe, tmp), 1, "quote.csv:");
}

/* The small-group guard (stats/small_group.c) in the JSON: with n
 * results no consensus |z| exceeds (n - 1)/sqrt(n), 4/sqrt(5) =
 * 1.7888543819998317 for 5, below the warning signal 2; 34 results are
 * no small group. */
static void stats_says_when_a_consensus_z_cannot_signal(void **state)
{
    (void)state;
    write_file("five.txt", "8.1\n8.4\n8.2\n9.9\n8.3\n");
    expect(run_stdout("%s stats --estimators median --json %s/five.txt "
                      "2>/dev/null",
                      exe, tmp),
           0, "\"small_group\": true");
    assert_true(fabs(num("max_consensus_z") - 4.0 / sqrt(5.0)) <= 1e-15);
    expect(run_stderr("%s stats --json %s/five.txt", exe, tmp), 0,
           "too few results for a consensus z");
    write_file("e3.txt", e3);
    expect(run_stdout("%s stats --estimators median --json %s/e3.txt", exe,
                      tmp),
           0, "\"small_group\": false");
    assert_true(fabs(num("max_consensus_z") - 33.0 / sqrt(34.0)) <= 1e-14);
}

/* ptlims score takes x - x_pt in the data's decimals (stats/decimals.c):
 * a z of exactly 2 or 3 as reported is 2 or 3 (binary: 2.0000000000000284
 * and 2.9999999999999716), D is 0.2, and u(x_pt) = 0.051 is exactly 0.3
 * sigma_pt = 0.17 (binary: 0.051 < 0.051000000000000004), so z' is due. */
static void score_is_exact_on_the_class_boundaries(void **state)
{
    (void)state;
    write_file("edge.csv", "lab,value\nA,100.2\nB,100.3\n");
    expect(run_stdout("%s score --xpt 100.0 --u-xpt 0.01 --sigma-pt 0.1 "
                      "--json %s/edge.csv",
                      exe, tmp),
           0, "{\"lab\": \"A\", \"D\": 0.2, \"D_pct\": 0.2, \"z\": 2, ");
    assert_non_null(strstr(out, "\"class\": \"satisfactory\""));
    assert_non_null(strstr(out, "{\"lab\": \"B\", \"D\": 0.3, "
                                "\"D_pct\": 0.3, \"z\": 3, "));
    assert_non_null(strstr(out, "\"class\": \"unsatisfactory\""));
    expect(run_stdout("%s score --xpt 100.0 --u-xpt 0.051 --sigma-pt 0.17 "
                      "--json %s/edge.csv",
                      exe, tmp),
           0, "\"scored_by\": \"z_prime\"");
    /* --R: 100.2 is exactly R = 0.2 from 100.0 and agrees, 100.3 not */
    expect(run_stdout("%s score --xpt 100.0 --u-xpt 0.01 --sigma-pt 0.1 "
                      "--R 0.2 --json %s/edge.csv",
                      exe, tmp),
           0, "\"R_limit\": 0.2, \"R_agree\": true");
    assert_non_null(strstr(out, "\"R_limit\": 0.2, \"R_agree\": false"));
    expect(run_stdout("%s score --xpt 100.0 --u-xpt 0.01 --sigma-pt 0.1 "
                      "--R 0.2 %s/edge.csv",
                      exe, tmp),
           0, "|D| above 0.2");
    expect(run_stderr("%s score --xpt 100.0 --u-xpt 0.01 --sigma-pt 0.1 "
                      "--R 0.2 --R-factor 0 %s/edge.csv",
                      exe, tmp),
           1, "--R-factor must be positive");
}

static void calculators_have_help_and_are_listed(void **state)
{
    static const char *const cmds[] = {"stats", "score", "homogeneity",
                                       "precision"};
    size_t i;

    (void)state;
    for (i = 0; i < 4; i++)
        expect(run_stdout("%s %s --help", exe, cmds[i]), 0, "usage: ptlims");
    expect(run_stdout("%s --help", exe), 0, "homogeneity");
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stats_prints_every_key_with_iso_e3_values),
        cmocka_unit_test(stats_reads_a_value_column_and_stdin),
        cmocka_unit_test(stats_errors_name_the_place),
        cmocka_unit_test(stats_shows_the_data_at_their_resolution),
        cmocka_unit_test(stats_says_why_made_is_zero),
        cmocka_unit_test(stats_computes_only_the_estimators_asked),
        cmocka_unit_test(calculators_refuse_what_a_double_cannot_hold),
        cmocka_unit_test(a_failing_calculator_leaves_stdout_empty),
        cmocka_unit_test(score_gives_each_class_and_the_en_boundary),
        cmocka_unit_test(score_prints_every_key_and_iso_e4_values),
        cmocka_unit_test(score_errors_name_the_place),
        cmocka_unit_test(homogeneity_prints_every_key_with_iso_e2_values),
        cmocka_unit_test(homogeneity_errors_name_the_place),
        cmocka_unit_test(precision_prints_every_key),
        cmocka_unit_test(homogeneity_checks_stability_as_iso_13528_e2),
        cmocka_unit_test(precision_gives_the_robust_estimates),
        cmocka_unit_test(precision_errors_name_the_place),
        cmocka_unit_test(score_gives_pa_and_uncertainty_flags),
        cmocka_unit_test(
            stats_gives_the_kernel_mode_and_fixed_scale_algorithm_a),
        cmocka_unit_test(score_is_exact_on_the_class_boundaries),
        cmocka_unit_test(stats_says_when_a_consensus_z_cannot_signal),
        cmocka_unit_test(calculators_have_help_and_are_listed),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(exe, sizeof exe, "%s %s/ptlims",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build);
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-calc-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    run_stdout("rm -rf %s", tmp);
    return failed;
}
