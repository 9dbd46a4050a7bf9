/*
 * test_progress.c -- the progress bar of long imports and workbooks
 * (host/progress.c, lims_services.progress): drawn only on a terminal,
 * never into a pipe or a file, and only once a stage has taken a while.
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

#include "../../host/progress.h"


/* A fuel-sulfur record of 10 rounds of 20 laboratories. */
static void write_data(void)
{
    char path[512];
    FILE *f;
    int r, l;

    snprintf(path, sizeof path, "%s/labs.csv", tmp);
    assert_non_null(f = fopen(path, "w"));
    fprintf(f, "lab,name,role\n");
    for (l = 1; l <= 20; l++)
        fprintf(f, "L%02d,Laboratory %d,%s\n", l, l,
                l == 1 ? "reference" : "external");
    fclose(f);
    snprintf(path, sizeof path, "%s/rounds.csv", tmp);
    assert_non_null(f = fopen(path, "w"));
    fprintf(f, "round,scheme,measurand,matrix,opened,reference_lab,"
               "sigma_pt\n");
    for (r = 1; r <= 10; r++)
        fprintf(f, "R%02d,fuel-sulfur,sulfur,diesel,2024-%02d-%02d,L01,"
                   "0.8\n",
                r, (r - 1) / 28 + 1, (r - 1) % 28 + 1);
    fclose(f);
    snprintf(path, sizeof path, "%s/results.csv", tmp);
    assert_non_null(f = fopen(path, "w"));
    fprintf(f, "round,lab,measurand,value,unit,U,method\n");
    for (r = 1; r <= 10; r++)
        for (l = 1; l <= 20; l++)
            fprintf(f, "R%02d,L%02d,sulfur,%.1f,mg/kg,1.0,ASTM D5453\n", r,
                    l, 8.0 + 0.1 * ((l * 7 + r) % 13));
    fclose(f);
}

#define PTLIMS_P "%s --plugin-dir %s/plugins --db %s/p.db"

static void nothing_is_drawn_when_stderr_is_not_a_terminal(void **state)
{
    int st;

    (void)state;
    write_data();
    st = run_stderr(PTLIMS_P " import %s/labs.csv %s/rounds.csv %s/results.csv",
                    exe, build, tmp, tmp, tmp, tmp);
    if (st != 0 || out[0])
        fail_msg("import: exit %d, stderr:\n%s", st, out);
    st = run_stderr(PTLIMS_P " evaluate --all", exe, build, tmp);
    if (st != 0 || out[0])
        fail_msg("evaluate: exit %d, stderr:\n%s", st, out);
    st = run_stderr(PTLIMS_P " report --lab L01 --out %s/p.xlsx", exe, build,
                    tmp, tmp);
    if (st != 0 || out[0])
        fail_msg("report: exit %d, stderr:\n%s", st, out);
}

/* Draws into a memory stream; returns what was drawn. */
static const char *draw(double delay, const char *stage,
                        unsigned long long done, unsigned long long total)
{
    static char *buf;
    static size_t len;
    FILE *f;

    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_non_null(f);
    host_progress_draw(f, delay, stage, done, total);
    fclose(f);
    return buf;
}

static void bar_shows_the_share_done_and_ends_its_line(void **state)
{
    (void)state;
    assert_string_equal(draw(0, "import", 0, 200), "\rimport   [...."
                        "....................................]   0 %");
    assert_string_equal(draw(0, "import", 50, 200), "\rimport   [######"
                        "####..............................]  25 %");
    assert_string_equal(draw(0, "import", 200, 200), "\rimport   [######"
                        "##################################] 100 %\n");
}

static void quick_stages_show_no_bar(void **state)
{
    (void)state;
    assert_string_equal(draw(60, "report", 0, 1000), "");
    assert_string_equal(draw(60, "report", 500, 1000), "");
    assert_string_equal(draw(60, "report", 1000, 1000), "");
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nothing_is_drawn_when_stderr_is_not_a_terminal),
        cmocka_unit_test(bar_shows_the_share_done_and_ends_its_line),
        cmocka_unit_test(quick_stages_show_no_bar),
    };
    char cmd[512];
    int failed;

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(exe, sizeof exe, "%s %s/ptlims",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build);
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-progress-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    if (system(cmd) != 0)
        failed++;
    return failed;
}
