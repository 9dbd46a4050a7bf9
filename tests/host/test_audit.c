/*
 * test_audit.c -- `ptlims plan` and `ptlims capa` as a quality manager and
 * a LIMS script see them (help, exit status, messages naming the input,
 * JSON), and the audit workbook they feed, read back by a real reader
 * (openpyxl, tests/reports/check_workbook.py): sheets, numbers, charts,
 * and no other laboratory's name anywhere in the file; the round charts
 * (tests/reports/check_charts.py).
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

static const char *python = "python3";

/* The demo database every test below starts from (made once). */
static int make_demo(void **state)
{
    (void)state;
    if (run(PTLIMS " demo --fixtures fixtures --lab TC-BR --out %s/demo.xlsx",
            exe, build, tmp, "demo.db", tmp) != 0) {
        fprintf(stderr, "demo failed:\n%s\n", out);
        return -1;
    }
    return 0;
}

static void plan_and_capa_have_help(void **state)
{
    (void)state;
    expect(run(PTLIMS " plan --help", exe, build, tmp, "h.db"), 0,
           "usage: ptlims [--db PATH] plan add");
    expect(run(PTLIMS " capa --help", exe, build, tmp, "h.db"), 0,
           "capa close ID --closed");
    expect(run(PTLIMS " plan", exe, build, tmp, "h.db"), 1, "usage:");
    expect(run(PTLIMS " plan frob", exe, build, tmp, "demo.db"), 1,
           "unknown subcommand \"frob\"");
}

static void demo_records_the_plan_and_the_actions(void **state)
{
    (void)state;
    expect(run(PTLIMS " plan list --lab TC-BR", exe, build, tmp, "demo.db"),
           0, "UV fluorescence");
    expect(run(PTLIMS " capa list --json", exe, build, tmp, "demo.db"), 0,
           "\"verified_by\": \"C.Y.W. (quality manager)\"");
    assert_true(out[0] == '[');
    assert_non_null(strstr(out, "\"closed\": null"));
    assert_non_null(strstr(out, "\"trigger\": \"DH-2025-ILC1 "
                                "leakage_current_humid DH-01: En = +1.19, "
                                "unsatisfactory\""));
}

static void plan_add_checks_its_input_by_name(void **state)
{
    (void)state;
    expect(run(PTLIMS " plan add --lab TC-BR --scheme fuel-sulfur "
                      "--technique WDXRF --property sulfur --product "
                      "'marine fuel' --risk extreme --per-year 1 --from 2025 "
                      "--to 2026",
               exe, build, tmp, "demo.db"),
           1, "risk \"extreme\" is not low, medium or high");
    expect(run(PTLIMS " plan add --lab NOBODY --scheme fuel-sulfur "
                      "--technique WDXRF --property sulfur --product x "
                      "--risk low --per-year 1 --from 2025 --to 2026",
               exe, build, tmp, "demo.db"),
           1, "unknown laboratory \"NOBODY\"");
    expect(run(PTLIMS " plan add --lab TC-BR --scheme fuel-sulfur "
                      "--technique WDXRF --property sulfur --product x "
                      "--risk low --per-year 1,5 --from 2025 --to 2026",
               exe, build, tmp, "demo.db"),
           1, "--per-year \"1,5\" is not a number");
    expect(run(PTLIMS " plan add --lab TC-BR --scheme fuel-sulfur "
                      "--technique WDXRF --property sulfur --product x "
                      "--risk low --per-year 1 --from 2026 --to 2025",
               exe, build, tmp, "demo.db"),
           1, "years 2026 to 2025");
    expect(run(PTLIMS " plan add --lab TC-BR --scheme nonsense "
                      "--technique WDXRF --property sulfur --product x "
                      "--risk low --per-year 1 --from 2025 --to 2026",
               exe, build, tmp, "demo.db"),
           1, "no loaded scheme \"nonsense\"");
    expect(run(PTLIMS " plan add --lab TC-BR --scheme fuel-sulfur "
                      "--technique WDXRF --property sulfur --product "
                      "'marine fuel' --risk low --per-year 0.25 --from 2025 "
                      "--to 2028",
               exe, build, tmp, "demo.db"),
           0, "plan row");
    expect(run(PTLIMS " plan add --lab TC-BR --scheme fuel-sulfur "
                      "--technique WDXRF --property sulfur --product "
                      "'marine fuel' --risk low --per-year 0.25 --from 2025 "
                      "--to 2028",
               exe, build, tmp, "demo.db"),
           1, "already has a plan row");
    expect(run(PTLIMS " plan list --json", exe, build, tmp, "demo.db"), 0,
           "\"per_year\": 0.25");
}

static void capa_add_and_close_follow_the_rules(void **state)
{
    (void)state;
    expect(run(PTLIMS " capa add --round S-2025-PT1 --lab TC-BR --measurand "
                      "sulfur --root-cause x --action y --owner z --due "
                      "2025-02-30",
               exe, build, tmp, "demo.db"),
           1, "due date \"2025-02-30\" is not YYYY-MM-DD");
    expect(run(PTLIMS " capa add --round S-2025-PT9 --lab TC-BR --measurand "
                      "sulfur --root-cause x --action y --owner z --due "
                      "2026-02-01",
               exe, build, tmp, "demo.db"),
           1, "no scored result of TC-BR for sulfur in round S-2025-PT9");
    expect(run(PTLIMS " capa add --round S-2025-PT1 --lab TC-BR --measurand "
                      "sulfur --root-cause x --action y --due 2026-02-01",
               exe, build, tmp, "demo.db"),
           1, "missing --owner (see ptlims capa add --help)");
    expect(run(PTLIMS " capa add --round S-2025-PT1 --lab TC-BR --measurand "
                      "sulfur --root-cause '=cause' --action '+act' --owner "
                      "'@me' --opened 2026-01-02 --due 2026-02-01",
               exe, build, tmp, "demo.db"),
           0, "corrective action 3 recorded");
    expect(run(PTLIMS " capa close 3 --closed 2025-12-31 --verified-by Q",
               exe, build, tmp, "demo.db"),
           1, "before the opening date 2026-01-02");
    expect(run(PTLIMS " capa close 3 --closed 2026-01-20 --verified-by Q",
               exe, build, tmp, "demo.db"),
           0, "closed on 2026-01-20");
    expect(run(PTLIMS " capa close 3 --closed 2026-01-21 --verified-by Q",
               exe, build, tmp, "demo.db"),
           1, "was closed on 2026-01-20");
    expect(run(PTLIMS " capa close 99 --closed 2026-01-21 --verified-by Q",
               exe, build, tmp, "demo.db"),
           1, "no corrective action 99");
    expect(run(PTLIMS " capa close x3 --closed 2026-01-21 --verified-by Q",
               exe, build, tmp, "demo.db"),
           1, "is not a whole number");
}

static void capa_import_names_the_bad_line(void **state)
{
    (void)state;
    expect(run("printf 'round,lab,measurand,root_cause,action,owner,due\\n"
               "S-2025-PT1,TC-BR,sulfur,a,b,c,2026-03-01\\n"
               "S-2025-PT1,TC-BR,sulfur,a,b,c,soon\\n' > %s/c.csv && " PTLIMS
               " capa import %s/c.csv",
               tmp, exe, build, tmp, "demo.db", tmp),
           1, "c.csv:3:31: due \"soon\" is not a date");
    /* one transaction: the good first row was not recorded either */
    expect(run(PTLIMS " capa list --json", exe, build, tmp, "demo.db"), 0,
           "[");
    assert_null(strstr(out, "\"owner\": \"c\""));
    expect(run("printf 'round,lab,root_cause,colour\\n' > %s/d.csv && "
               PTLIMS " capa import %s/d.csv",
               tmp, exe, build, tmp, "demo.db", tmp),
           1, "d.csv:1:22: unknown column \"colour\"");
    expect(run("printf 'round,lab,colour\\n' > %s/e.csv && " PTLIMS
               " capa import %s/e.csv",
               tmp, exe, build, tmp, "demo.db", tmp),
           1, "e.csv:1:1: not a corrective-action file");
}

/* The real reader: sheets, numbers, charts, and no other laboratory's name
 * (tests/reports/check_workbook.py). */
static void workbook_reads_back_and_names_no_other_laboratory(void **state)
{
    static const char *const langs[] = {"zh-TW", "en"};

    (void)state;
    for (size_t i = 0; i < 2; i++) {
        expect(run(PTLIMS " report --lab TC-BR --lang %s --date "
                          "2026-02-01T00:00:00 --out %s/wb-%zu.xlsx",
                   exe, build, tmp, "demo.db", langs[i], tmp, i),
               0, "wrote");
        expect(run("%s tests/reports/check_workbook.py %s/wb-%zu.xlsx --labs "
                   "fixtures/laboratories.csv --lab TC-BR --rounds "
                   "fixtures/rounds.csv --rounds fixtures/rounds-history.csv "
                   "--db %s/demo.db --expect-round "
                   "S-2025-PT1 --expect-round DH-2025-ILC1",
                   python, tmp, i, tmp),
               0, "ok");
        /* the round charts: a kernel density per measurand x item of 5
         * results or more (S-2025-PT1, both items of S-2025-PT2), its
         * curve against the Python oracle; histograms from 10 results on;
         * a Youden plot for the paired gasoline PT only (S-2025-BIL1 has
         * two items too, but 2 participants) */
        expect(run("%s tests/reports/check_charts.py %s/wb-%zu.xlsx --kde 3 "
                   "--histograms 3 --youden 1 --youden-round S-2025-PT2 "
                   "--no-youden-round S-2025-BIL1 --no-youden-round "
                   "S-2025-PT1",
                   python, tmp, i),
               0, "ok");
        /* the workbook's own SHA-256 beside it, as sha256sum checks it */
        expect(run("cd %s && sha256sum -c wb-%zu.xlsx.sha256", tmp, i), 0,
               ": OK");
    }
    /* the other branch's workbook must not name the Taichung branch */
    expect(run(PTLIMS " report --lab KH-BR --out %s/kh.xlsx", exe, build, tmp,
               "demo.db", tmp),
           0, "wrote");
    expect(run("%s tests/reports/check_workbook.py %s/kh.xlsx --labs "
               "fixtures/laboratories.csv --lab KH-BR --rounds "
               "fixtures/rounds.csv --rounds fixtures/rounds-history.csv",
               python, tmp),
           0, "ok");
}

/* The report's options reach the Index: the time zone and 民國 dates of
 * "generated at", the document number, the names that sign; a zone ptlims
 * does not know is refused by name and nothing is written. */
static void report_options_reach_the_index(void **state)
{
    (void)state;
    expect(run(PTLIMS " report --lab TC-BR --date 2025-12-31T20:00:00 "
                      "--roc-dates full --doc-no QP-77-01 --revision 3 "
                      "--prepared-by Y.S.L. --approved-by C.Y.W. "
                      "--out %s/opt.xlsx",
               exe, build, tmp, "demo.db", tmp),
           0, "wrote");
    expect(run("%s -c \"import openpyxl\n"
               "ws=openpyxl.load_workbook('%s/opt.xlsx').worksheets[0]\n"
               "print('|'.join(str(v) for r in ws.iter_rows(values_only=True)"
               " for v in r if v))\"",
               python, tmp),
           0, "115年1月1日 04:00:00 Asia/Taipei (UTC+08:00)");
    assert_non_null(strstr(out, "QP-77-01，版次 3"));
    assert_non_null(strstr(out, "Y.S.L."));
    assert_non_null(strstr(out, "C.Y.W."));
    expect(run(PTLIMS " report --lab TC-BR --tz Mars/Olympus --out "
                      "%s/tz.xlsx 2>&1; ls %s/tz.xlsx",
               exe, build, tmp, "demo.db", tmp, tmp),
           2, "Mars/Olympus");
}

/* The digest on the Index sheet follows the data, not the clock or the
 * language. */
static void data_digest_changes_with_the_data_only(void **state)
{
    char a[80], b[80], c[80];

    (void)state;
    expect(run("%s -c \"import openpyxl,re,sys\n"
               "for f in sys.argv[1:]:\n"
               "  ws=openpyxl.load_workbook(f).worksheets[0]\n"
               "  print([v for r in ws.iter_rows(values_only=True) for v in r "
               "if isinstance(v,str) and re.fullmatch('[0-9a-f]{64}',v)][0])\""
               " %s/wb-0.xlsx %s/wb-1.xlsx",
               python, tmp, tmp),
           0, NULL);
    assert_int_equal(sscanf(out, "%79s %79s", a, b), 2);
    assert_string_equal(a, b); /* zh-TW and en: same data */
    expect(run(PTLIMS " capa add --round DH-2025-ILC1 --lab TC-BR "
                      "--measurand leakage_current_humid --root-cause r "
                      "--action a --owner o --due 2027-01-01",
               exe, build, tmp, "demo.db"),
           0, "recorded");
    expect(run(PTLIMS " report --lab TC-BR --date 2026-02-01T00:00:00 --out "
                      "%s/wb-2.xlsx && %s -c \"import openpyxl,re\n"
                      "ws=openpyxl.load_workbook('%s/wb-2.xlsx').worksheets[0]"
                      "\nprint([v for r in ws.iter_rows(values_only=True) for "
                      "v in r if isinstance(v,str) and "
                      "re.fullmatch('[0-9a-f]{64}',v)][0])\"",
               exe, build, tmp, "demo.db", tmp, python, tmp),
           0, NULL);
    assert_int_equal(sscanf(strrchr(out, ':') ? strrchr(out, ':') + 1 : out,
                            "%*s %79s", c),
                     1);
    assert_string_not_equal(a, c);
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_and_capa_have_help),
        cmocka_unit_test(demo_records_the_plan_and_the_actions),
        cmocka_unit_test(plan_add_checks_its_input_by_name),
        cmocka_unit_test(capa_add_and_close_follow_the_rules),
        cmocka_unit_test(capa_import_names_the_bad_line),
        cmocka_unit_test(workbook_reads_back_and_names_no_other_laboratory),
        cmocka_unit_test(data_digest_changes_with_the_data_only),
        cmocka_unit_test(report_options_reach_the_index),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(exe, sizeof exe, "%s %s/ptlims",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build);
    /* Debian's python3 has python3-openpyxl; prefer it to one earlier on
     * the PATH (a pyenv, a virtualenv) that may not. */
    if (access("/usr/bin/python3", X_OK) == 0)
        python = "/usr/bin/python3";
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-audit-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, make_demo, NULL);
    run("rm -rf %s", tmp);
    return failed;
}
