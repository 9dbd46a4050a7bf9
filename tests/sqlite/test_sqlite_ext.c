/*
 * test_sqlite_ext.c -- the ptlims_sqlite extension as an SQLite user sees
 * it: loaded with .load into the real sqlite3 shell, its aggregates and
 * scores agree with the statistics library called directly, NULLs are
 * skipped, a text that is not a number stops the statement with a message
 * naming the function, and only SQLite's entry points are exported.
 *
 * The shell is started with $PTLIMS_WRAP in front (valgrind under `make
 * valgrind`); when the extension was built with AddressSanitizer the
 * sanitizer runtimes are preloaded, since the shell itself is not built
 * with it.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "pt_stats.h"

static char build[256];
static char tmp[256];
static char shell[1024]; /* [preload] $PTLIMS_WRAP sqlite3 -batch */
static char out[1 << 16];

/* Run the shell command; stdout+stderr in `out`; the exit status. */
static int run(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    FILE *p;
    size_t n;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    strncat(cmd, " 2>&1", sizeof cmd - strlen(cmd) - 1);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Run `sql` in a fresh in-memory database with the extension loaded; the
 * exit status of the shell.  NULL prints as "NULL". */
static int sql(const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/script.sql", tmp);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, ".bail on\n.load %s/ptlims_sqlite\n.nullvalue NULL\n%s\n", build,
            text);
    fclose(f);
    return run("%s :memory: < %s", shell, path);
}

/* The n-th line of `out` (0 based) as a number. */
static double line_num(int n)
{
    const char *p = out;
    char *end;
    double v;

    while (n-- > 0) {
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    v = strtod(p, &end);
    if (end == p)
        fail_msg("line is not a number: %s", p);
    return v;
}

static void assert_close(double got, double want)
{
    double tol = 1e-13 * (fabs(want) > 1 ? fabs(want) : 1);
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g", got, want);
}

/* Sulfur in diesel, mg/kg: one laboratory far out. */
static const double sulfur[] = {8.2, 8.9, 9.4, 7.6,  8.8, 9.1, 8.5,
                                9.9, 8.0, 8.7, 14.6, 8.4, 9.0};
#define N_SULFUR (sizeof sulfur / sizeof sulfur[0])

static void load_sulfur(char *buf, size_t len, const char *query)
{
    size_t i, k;

    k = (size_t)snprintf(buf, len,
                         "CREATE TABLE r (lab TEXT, x REAL);\n"
                         "INSERT INTO r VALUES ('none', NULL)");
    for (i = 0; i < N_SULFUR; i++)
        k += (size_t)snprintf(buf + k, len - k, ", ('L%zu', %.17g)", i,
                              sulfur[i]);
    snprintf(buf + k, len - k, ";\n%s", query);
}

static void aggregates_agree_with_the_stats_library(void **state)
{
    char script[4096];
    double work[N_SULFUR], want;
    pt_alga_result a;

    (void)state;
    load_sulfur(script, sizeof script,
                "SELECT printf('%.17g', pt_median(x)) FROM r;\n"
                "SELECT printf('%.17g', pt_made(x)) FROM r;\n"
                "SELECT printf('%.17g', pt_niqr(x)) FROM r;\n"
                "SELECT printf('%.17g', pt_alga_x(x)) FROM r;\n"
                "SELECT printf('%.17g', pt_alga_s(x)) FROM r;\n"
                "SELECT printf('%.17g', pt_alga_u(x)) FROM r;");
    if (sql(script) != 0)
        fail_msg("sqlite3 failed:\n%s", out);
    assert_int_equal(pt_stats_median(sulfur, N_SULFUR, work, &want),
                     PT_STATS_OK);
    assert_close(line_num(0), want);
    assert_int_equal(pt_stats_made(sulfur, N_SULFUR, work, &want), PT_STATS_OK);
    assert_close(line_num(1), want);
    assert_int_equal(pt_stats_niqr(sulfur, N_SULFUR, work, &want), PT_STATS_OK);
    assert_close(line_num(2), want);
    assert_int_equal(pt_stats_alga(sulfur, N_SULFUR, NULL, work, &a),
                     PT_STATS_OK);
    assert_close(line_num(3), a.x);
    assert_close(line_num(4), a.s);
    assert_close(line_num(5), a.u_x);
}

/* The routines beyond the basic ones: each aggregate and scalar against
 * the library called directly on the same values. */
static void every_routine_agrees_with_the_stats_library(void **state)
{
    char script[4096];
    double work[PT_STATS_QMETHOD_WORK(N_SULFUR)], want;
    size_t iwork[PT_STATS_QMETHOD_IWORK(N_SULFUR, N_SULFUR)];
    size_t ones[N_SULFUR], i;
    pt_alga_options o;
    pt_alga_result a;
    pt_qhampel_result qh;
    pt_algs_result as;
    unsigned flags;

    (void)state;
    load_sulfur(script, sizeof script,
                "SELECT printf('%.17g', pt_qn(x)) FROM r;\n"
                "SELECT printf('%.17g', pt_qmethod_s(x)) FROM r;\n"
                "SELECT printf('%.17g', pt_hampel_x(x)) FROM r;\n"
                "SELECT printf('%.17g', pt_qhampel_u(x)) FROM r;\n"
                "SELECT printf('%.17g', pt_alga_fixed_x(x)) FROM r;\n"
                "SELECT printf('%.17g', pt_kernel_mode(x, 0.3)) FROM r;\n"
                "SELECT printf('%.17g', pt_algs(x, 3)) FROM r;\n"
                "SELECT printf('%.17g', pt_horwitz(1.195e-6));\n"
                "SELECT printf('%.17g', pt_sigma_pt_precision(23.2, 14.3, "
                "2));\n"
                "SELECT printf('%.17g', pt_sigma_from_limit(3.3));\n"
                "SELECT printf('%.17g', pt_pa(9.4, 8.9, 1.2));\n"
                "SELECT printf('%.17g', pt_d_pct(9.4, 8.9));\n"
                "SELECT pt_unc_flags(0.05, 0.1, 0.2), pt_unc_flags(0.5, 0.1, "
                "0.2), pt_d(NULL, 1);\n"
                "SELECT printf('%.17g', pt_assigned_u(0.6, 2, 0.4, 0));");
    if (sql(script) != 0)
        fail_msg("sqlite3 failed:\n%s", out);
    for (i = 0; i < N_SULFUR; i++)
        ones[i] = 1;
    assert_int_equal(pt_stats_qn(sulfur, N_SULFUR, work, iwork, &want),
                     PT_STATS_OK);
    assert_close(line_num(0), want);
    assert_int_equal(pt_stats_qhampel(sulfur, ones, N_SULFUR, work, iwork,
                                      &qh),
                     PT_STATS_OK);
    assert_close(line_num(1), qh.s);
    assert_close(line_num(2), qh.x);
    assert_close(line_num(3), qh.u_x);
    pt_stats_alga_defaults(&o);
    o.fixed_scale = 1;
    assert_int_equal(pt_stats_alga(sulfur, N_SULFUR, &o, work, &a),
                     PT_STATS_OK);
    assert_close(line_num(4), a.x);
    assert_int_equal(pt_stats_kernel_mode(sulfur, N_SULFUR, 0.3, work, &want),
                     PT_STATS_OK);
    assert_close(line_num(5), want);
    assert_int_equal(pt_stats_algs(sulfur, N_SULFUR, 3, PT_ALGA_STOP_FIXED,
                                   work, &as),
                     PT_STATS_OK);
    assert_close(line_num(6), as.w);
    /* ISO 13528:2022 E.9 and E.10 (as transcribed in kanunimurat/pt13528):
     * 0.186 mg/kg at 1.195 mg/kg, and 20.9 */
    assert_true(fabs(line_num(7) * 1e6 - 0.186) < 0.0005);
    assert_true(fabs(line_num(8) - 20.9) < 0.05);
    assert_close(line_num(9), 3.3 / 2.77);
    assert_int_equal(pt_stats_pa(9.4, 8.9, 1.2, &want), PT_STATS_OK);
    assert_close(line_num(10), want);
    assert_int_equal(pt_stats_d_pct(9.4, 8.9, &want), PT_STATS_OK);
    assert_close(line_num(11), want);
    assert_int_equal(pt_stats_uncertainty_flags(0.05, 0.1, 0.2, &flags),
                     PT_STATS_OK);
    assert_int_equal(flags, PT_UNC_BELOW_U_XPT);
    assert_non_null(strstr(out, "\n1|2|NULL\n"));
    /* a CRM with U 0.6 (k 2) and s_s 0.4: sqrt(0.3^2 + 0.4^2) */
    assert_close(line_num(13), 0.5);
}

/* pt_qmethod_s(x, lab): replicates grouped by laboratory, in any row
 * order, as pt_stats_qmethod with the counts per laboratory. */
static void qmethod_groups_replicates_by_laboratory(void **state)
{
    static const double y[] = {8.2, 8.4, 8.9, 9.1, 9.0, 9.4, 8.8, 7.6, 7.9};
    static const size_t counts[] = {2, 2, 3, 2};
    double work[PT_STATS_QMETHOD_WORK(9)];
    size_t iwork[PT_STATS_QMETHOD_IWORK(9, 4)];
    pt_qmethod_result q;

    (void)state;
    if (sql("CREATE TABLE r (lab, x);\n"
            "INSERT INTO r VALUES ('L3', 9.0), ('L1', 8.2), ('L4', 7.6),\n"
            "  ('L2', 8.9), ('L3', 9.4), ('L1', 8.4), ('L4', 7.9),\n"
            "  ('L2', 9.1), ('L3', 8.8), (NULL, 5), ('L1', NULL);\n"
            "SELECT printf('%.17g', pt_qmethod_s(x, lab)) FROM r;\n"
            "SELECT pt_algs(x, lab) FROM r;") == 0)
        fail_msg("a text nu should stop the statement:\n%s", out);
    assert_int_equal(pt_stats_qmethod(y, counts, 4, work, iwork, &q),
                     PT_STATS_OK);
    assert_close(line_num(0), q.s);
    assert_non_null(strstr(out, "pt_algs: argument 2 is not a number"));
}

static void aggregates_work_per_group_and_take_numeric_text(void **state)
{
    (void)state;
    if (sql("CREATE TABLE r (g, x);\n"
            "INSERT INTO r VALUES (1, 1), (1, 2), (1, '3.5'), (1, NULL),\n"
            "  (2, 10), (2, 20), (3, NULL);\n"
            "SELECT g, pt_median(x), pt_alga_x(x) FROM r GROUP BY g;\n"
            "SELECT pt_median(x) FROM r WHERE g = 99;") != 0)
        fail_msg("sqlite3 failed:\n%s", out);
    /* group 2 is too small for Algorithm A, group 3 and the empty set
     * have no values: NULL, not an error */
    assert_string_equal(out, "1|2.0|2.16666666666667\n2|15.0|NULL\n"
                             "3|NULL|NULL\nNULL\n");
}

static void all_equal_values_give_null_for_algorithm_a(void **state)
{
    (void)state;
    if (sql("SELECT pt_alga_x(x), pt_made(x) FROM (SELECT 5.0 x UNION ALL "
            "SELECT 5.0 UNION ALL SELECT 5.0 UNION ALL SELECT 5.0);") != 0)
        fail_msg("sqlite3 failed:\n%s", out);
    assert_string_equal(out, "NULL|0.0\n");
}

static void scores_agree_with_the_stats_library(void **state)
{
    double want;

    (void)state;
    if (sql("SELECT printf('%.17g', pt_z(10.3, 9.1, 0.52));\n"
            "SELECT printf('%.17g', pt_zprime(10.3, 9.1, 0.2, 0.52));\n"
            "SELECT printf('%.17g', pt_zeta(10.3, 0.4, 9.1, 0.2));\n"
            "SELECT printf('%.17g', pt_en(10.3, 0.8, 9.1, 0.4));\n"
            "SELECT printf('%.17g', pt_en(10, 1, 9, 0));") != 0)
        fail_msg("sqlite3 failed:\n%s", out);
    assert_int_equal(pt_stats_z(10.3, 9.1, 0.52, &want), PT_STATS_OK);
    assert_close(line_num(0), want);
    assert_int_equal(pt_stats_z_prime(10.3, 9.1, 0.2, 0.52, &want),
                     PT_STATS_OK);
    assert_close(line_num(1), want);
    assert_int_equal(pt_stats_zeta(10.3, 0.4, 9.1, 0.2, &want), PT_STATS_OK);
    assert_close(line_num(2), want);
    assert_int_equal(pt_stats_en(10.3, 0.8, 9.1, 0.4, &want), PT_STATS_OK);
    assert_close(line_num(3), want);
    assert_close(line_num(4), 1.0);
}

/* The scores in the data's decimal resolution, as in stats/ (and the
 * same values tests/stats/test_properties.c checks against fractions):
 * (100.2 - 100.0)/0.1 is 2, satisfactory, where binary gives
 * 2.0000000000000284; (100.3 - 100.0)/0.1 is 3; 63.9 - 63.8 is 0.1. */
static void scores_are_exact_in_the_data_decimals(void **state)
{
    (void)state;
    if (sql("SELECT printf('%.17g', pt_z(100.2, 100.0, 0.1)),\n"
            "  pt_class(pt_z(100.2, 100.0, 0.1));\n"
            "SELECT printf('%.17g', pt_z(100.3, 100.0, 0.1)),\n"
            "  pt_class(pt_z(100.3, 100.0, 0.1));\n"
            "SELECT printf('%.17g', pt_d(63.9, 63.8));\n"
            "SELECT pt_class_en(pt_en(10.5, 0.3, 10.0, 0.4), 0);") != 0)
        fail_msg("sqlite3 failed:\n%s", out);
    assert_string_equal(out, "2|satisfactory\n3|unsatisfactory\n"
                             "0.1\nunsatisfactory\n");
}

/* sigma_pt from R and r, a formulation and the consensus check, against
 * the library (and E.7's numbers: significant). */
static void assigned_and_sigma_pt_routines_agree_with_the_library(
    void **state)
{
    pt_formulation f = {1.2, 0.3, 0.998, 0.001, 0.02512, 0.00002,
                        1000.3, 0.05, 1e6};
    double want, x, u;

    (void)state;
    if (sql("SELECT printf('%.17g', pt_sigma_pt_limits(64.264, 39.611, 2));"
            "\nSELECT pt_consensus_check(0.03161, 0.0045, 0.044, 0.0041),\n"
            "  pt_consensus_check(10.0, 0.3, 10.5, 0.4);\n"
            "SELECT printf('%.17g', pt_formulation_x(0.998, 0.02512, 1000.3, "
            "1.2, 1e6));\n"
            "SELECT printf('%.17g', pt_formulation_u(0.998, 0.001, 0.02512, "
            "0.00002, 1000.3, 0.05, 0.3, 1e6));") != 0)
        fail_msg("sqlite3 failed:\n%s", out);
    assert_int_equal(pt_stats_sigma_pt_from_limits(64.264, 39.611, 2, &want),
                     PT_STATS_OK);
    assert_close(line_num(0), want);
    assert_non_null(strstr(out, "\n1|0\n"));
    assert_int_equal(pt_stats_assigned_formulation(&f, &x, &u), PT_STATS_OK);
    assert_close(line_num(2), x);
    assert_close(line_num(3), u);
}

static void classes_follow_iso_13528_and_the_en_convention(void **state)
{
    (void)state;
    if (sql("SELECT pt_class(2.0), pt_class(-2.01), pt_class(2.99),\n"
            "  pt_class(3.0), pt_class(-7), pt_class(NULL);\n"
            "SELECT pt_class_en(0.99), pt_class_en(1.0), pt_class_en(1.0, 0),"
            "\n  pt_class_en(-1.01), pt_class_en(NULL);") != 0)
        fail_msg("sqlite3 failed:\n%s", out);
    assert_string_equal(out, "satisfactory|questionable|questionable|"
                             "unsatisfactory|unsatisfactory|NULL\n"
                             "satisfactory|satisfactory|unsatisfactory|"
                             "unsatisfactory|NULL\n");
}

static void null_argument_gives_null_score(void **state)
{
    (void)state;
    if (sql("SELECT pt_z(NULL, 1, 1), pt_zeta(1, NULL, 1, 1), "
            "pt_en(1, 1, 1, NULL);") != 0)
        fail_msg("sqlite3 failed:\n%s", out);
    assert_string_equal(out, "NULL|NULL|NULL\n");
}

static void non_numeric_value_stops_the_statement(void **state)
{
    (void)state;
    assert_int_not_equal(sql("CREATE TABLE r (x);\n"
                             "INSERT INTO r VALUES (1), ('1,2'), (3);\n"
                             "SELECT pt_median(x) FROM r;"),
                         0);
    assert_non_null(strstr(out, "pt_median: argument 1 is not a number: "
                                "'1,2'"));
    assert_int_not_equal(sql("SELECT pt_z(1, 'abc', 1);"), 0);
    assert_non_null(strstr(out, "pt_z: argument 2 is not a number"));
}

static void bad_sigma_or_uncertainty_is_an_error(void **state)
{
    (void)state;
    assert_int_not_equal(sql("SELECT pt_z(1, 2, 0);"), 0);
    assert_non_null(strstr(out, "pt_z: "));
    assert_int_not_equal(sql("SELECT pt_en(1, -1, 2, 0);"), 0);
    assert_non_null(strstr(out, "pt_en: "));
}

static void only_the_sqlite_entry_points_are_exported(void **state)
{
    (void)state;
    assert_int_equal(run("nm -D --defined-only %s/ptlims_sqlite.so | "
                         "awk '$2 ~ /[TDBW]/ {print $3}' | sort",
                         build),
                     0);
    assert_string_equal(out,
                        "sqlite3_extension_init\nsqlite3_ptlimssqlite_init\n");
}

/* The sqlite3 shell reads a ptlims record's score view once the extension
 * is loaded: the view calls the record's score functions, and the verdicts
 * are the ones `ptlims scores` lists. */
static void the_shell_reads_the_record_score_view(void **state)
{
    static char want[1 << 16];
    char db[600], script[600];
    FILE *f;

    (void)state;
    snprintf(db, sizeof db, "%s/record.db", tmp);
    assert_int_equal(run("%s/ptlims --plugin-dir %s/plugins --db %s import "
                         "fixtures/laboratories.csv fixtures/rounds.csv "
                         "fixtures/results-s-2025-pt.csv >/dev/null && "
                         "%s/ptlims --plugin-dir %s/plugins --db %s "
                         "evaluate S-2025-PT1 >/dev/null",
                         build, build, db, build, build, db),
                     0);
    assert_int_equal(run("%s/ptlims --plugin-dir %s/plugins --db %s scores "
                         "--json | grep -o '\"class\": \"[a-z ]*\"' | "
                         "sort | uniq -c",
                         build, build, db),
                     0);
    snprintf(want, sizeof want, "%s", out);
    assert_non_null(strstr(want, "satisfactory"));
    snprintf(script, sizeof script, "%s/view.sql", tmp);
    f = fopen(script, "w");
    assert_non_null(f);
    fprintf(f, ".load %s/ptlims_sqlite\n"
               "SELECT '\"class\": \"' || verdict || '\"' FROM score;\n",
            build);
    fclose(f);
    assert_int_equal(run("%s -bail %s < %s | sort | uniq -c", shell, db,
                         script),
                     0);
    assert_string_equal(out, want);
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    const char *wrap = getenv("PTLIMS_WRAP");
    char preload[1024] = "";
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aggregates_agree_with_the_stats_library),
        cmocka_unit_test(every_routine_agrees_with_the_stats_library),
        cmocka_unit_test(qmethod_groups_replicates_by_laboratory),
        cmocka_unit_test(aggregates_work_per_group_and_take_numeric_text),
        cmocka_unit_test(all_equal_values_give_null_for_algorithm_a),
        cmocka_unit_test(scores_agree_with_the_stats_library),
        cmocka_unit_test(classes_follow_iso_13528_and_the_en_convention),
        cmocka_unit_test(scores_are_exact_in_the_data_decimals),
        cmocka_unit_test(
            assigned_and_sigma_pt_routines_agree_with_the_library),
        cmocka_unit_test(null_argument_gives_null_score),
        cmocka_unit_test(non_numeric_value_stops_the_statement),
        cmocka_unit_test(bad_sigma_or_uncertainty_is_an_error),
        cmocka_unit_test(only_the_sqlite_entry_points_are_exported),
        cmocka_unit_test(the_shell_reads_the_record_score_view),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-sqlext-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    if (run("nm -D %s/ptlims_sqlite.so | grep -q __asan_init", build) == 0 &&
        run("echo $(cc -print-file-name=libasan.so) "
            "$(cc -print-file-name=libubsan.so)") == 0) {
        out[strcspn(out, "\n")] = 0;
        snprintf(preload, sizeof preload,
                 "ASAN_OPTIONS=detect_leaks=0 LD_PRELOAD='%.900s'", out);
    }
    snprintf(shell, sizeof shell, "%s %s sqlite3 -batch", preload,
             wrap ? wrap : "");
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    run("rm -rf %s", tmp);
    return failed;
}
