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
           0, "corrective action 4 recorded");
    expect(run(PTLIMS " capa close 4 --closed 2025-12-31 --verified-by Q",
               exe, build, tmp, "demo.db"),
           1, "before the opening date 2026-01-02");
    expect(run(PTLIMS " capa close 4 --closed 2026-01-20 --verified-by Q",
               exe, build, tmp, "demo.db"),
           0, "closed on 2026-01-20");
    expect(run(PTLIMS " capa close 4 --closed 2026-01-21 --verified-by Q",
               exe, build, tmp, "demo.db"),
           1, "was closed on 2026-01-20");
    expect(run(PTLIMS " capa close 99 --closed 2026-01-21 --verified-by Q",
               exe, build, tmp, "demo.db"),
           1, "no corrective action 99");
    expect(run(PTLIMS " capa close x3 --closed 2026-01-21 --verified-by Q",
               exe, build, tmp, "demo.db"),
           1, "is not a whole number");
}

/* An action on a plan gap, with its CAR number, impact and effectiveness
 * check; `status` names the gaps that have no action until one is
 * recorded; each option refused by name. */
static void plan_gaps_get_actions_and_checks(void **state)
{
    long long plan = 0, id = 0;
    char *p;

    (void)state;
    expect(run("cp %s/demo.db %s/gap.db", tmp, tmp), 0, NULL);
    expect(run(PTLIMS " plan add --lab TC-BR --scheme fuel-sulfur "
                      "--measurand sulfur --method \"ISO 8754\" --technique "
                      "EDXRF --property \"sulfur content\" --product "
                      "\"marine fuel\" --risk low --per-year 1 --from 2023 "
                      "--to 2024",
               exe, build, tmp, "gap.db"),
           0, "plan row ");
    assert_int_equal(sscanf(strstr(out, "plan row ") + 9, "%lld", &plan), 1);
    expect(run(PTLIMS " status", exe, build, tmp, "gap.db"), 0,
           "plan gap without action");
    assert_non_null(strstr(out, "marine fuel), 2023: 0 of 1 rounds"));
    assert_non_null(strstr(out, "marine fuel), 2024: 0 of 1 rounds"));
    expect(run(PTLIMS " capa add --plan %lld --year 2023 --root-cause r "
                      "--action a --owner o --due 2027-01-01 --effective "
                      "maybe",
               exe, build, tmp, "gap.db", plan),
           1, "effective \"maybe\" is not \"effective\" or \"not "
              "effective\"");
    expect(run(PTLIMS " capa add --plan %lld --year 2023 --root-cause r "
                      "--action a --owner o --due 2027-01-01 "
                      "--effectiveness x",
               exe, build, tmp, "gap.db", plan),
           1, "effectiveness is given without effective_on");
    expect(run(PTLIMS " capa add --plan %lld --year 2030 --root-cause r "
                      "--action a --owner o --due 2027-01-01",
               exe, build, tmp, "gap.db", plan),
           1, "year 2030 is outside plan row");
    expect(run(PTLIMS " capa add --plan %lld --year 2023 --round S-2025-PT1 "
                      "--root-cause r --action a --owner o --due 2027-01-01",
               exe, build, tmp, "gap.db", plan),
           1, "names no round, measurand or item");
    expect(run(PTLIMS " capa add --plan %lld --year 2023 --root-cause r "
                      "--action a --owner o --due 2027-01-01 --opened "
                      "2026-02-01 --car-no CAR-26-7 --impact none "
                      "--effectiveness \"enrolled for 2027\" "
                      "--effective-on 2026-01-15 --effective effective",
               exe, build, tmp, "gap.db", plan),
           1, "effective_on 2026-01-15 is before the opening date");
    expect(run(PTLIMS " capa add --plan %lld --year 2023 --root-cause r "
                      "--action a --owner o --due 2027-01-01 --opened "
                      "2026-02-01 --car-no CAR-26-7 --impact none "
                      "--effectiveness \"enrolled for 2027\" "
                      "--effective-on 2026-03-01 --effective effective",
               exe, build, tmp, "gap.db", plan),
           0, "recorded for plan row");
    assert_int_equal(sscanf(out, "corrective action %lld", &id), 1);
    /* amend capa takes the new columns by the same rules */
    expect(run(PTLIMS " amend capa %lld --effective maybe --reason r",
               exe, build, tmp, "gap.db", id),
           1, "effective \"maybe\" is not");
    expect(run(PTLIMS " amend capa %lld --effective-on \"\" --reason r",
               exe, build, tmp, "gap.db", id),
           1, "given together or not at all");
    expect(run(PTLIMS " amend capa %lld --effective \"not effective\" "
                      "--reason \"enrolment cancelled\"",
               exe, build, tmp, "gap.db", id),
           0, "effective not effective");
    expect(run(PTLIMS " status", exe, build, tmp, "gap.db"), 0, NULL);
    assert_null(strstr(out, "marine fuel), 2023: 0 of 1 rounds"));
    assert_non_null(strstr(out, "marine fuel), 2024: 0 of 1 rounds"));
    expect(run(PTLIMS " capa list --json", exe, build, tmp, "gap.db"), 0,
           "\"car_no\": \"CAR-26-7\"");
    p = strstr(out, "\"car_no\": \"CAR-26-7\"");
    assert_non_null(strstr(p, "\"effective\": \"not effective\""));
    assert_non_null(strstr(p, "\"plan_year\": 2023"));
    /* a file: the bad cell named */
    expect(run("printf 'lab,root_cause,action,owner,due,plan,plan_year,"
               "effective\\nTC-BR,r,a,o,2027-01-01,%lld,2024,yes\\n' > "
               "%s/g.csv && " PTLIMS " capa import %s/g.csv",
               plan, tmp, exe, build, tmp, "gap.db", tmp),
           1, "g.csv:2:");
    assert_non_null(strstr(out, "effective \"yes\" is not"));
    expect(run("printf 'lab,root_cause,action,owner,due,plan,plan_year\\n"
               "TC-BR,r,a,o,2027-01-01,%lld,\\n' > %s/g2.csv && " PTLIMS
               " capa import %s/g2.csv",
               plan, tmp, exe, build, tmp, "gap.db", tmp),
           1, "g2.csv:2:26: plan_year is empty");
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
                   "S-2025-PT1 --expect-round DH-2025-ILC1 "
                   "--expect-official",
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

/* The report's options reach the cover sheet: the time zone and 民國
 * dates of "generated at", the document number, the names that sign and
 * the dates they signed; a zone ptlims does not know, or a sign-off date
 * that is no date, is refused by name and nothing is written. */
static void report_options_reach_the_cover(void **state)
{
    (void)state;
    expect(run(PTLIMS " report --lab TC-BR --date 2025-12-31T20:00:00 "
                      "--roc-dates full --doc-no QP-77-01 --revision 3 "
                      "--reviewed-on 2025-12-30 "
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
    assert_non_null(strstr(out, "114年12月30日"));
    expect(run(PTLIMS " report --lab TC-BR --approved-on 2025-02-30 --out "
                      "%s/on.xlsx 2>&1; ls %s/on.xlsx",
               exe, build, tmp, "demo.db", tmp, tmp),
           2, "--approved-on \"2025-02-30\" is not a date");
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

/* The provider's report: recorded from the rounds and results files,
 * shown by `show` beside the recomputed values, and refused at its cell
 * when it is not a number or names no score. */
static void provider_report_is_recorded_and_checked(void **state)
{
    (void)state;
    expect(run(PTLIMS " show S-2025-PT1", exe, build, tmp, "demo.db"), 0,
           "IPPT-25-2-R");
    assert_non_null(strstr(out, "2025-11-20"));
    assert_non_null(strstr(out, "8.27"));
    assert_non_null(strstr(out, "2.24"));
    assert_non_null(strstr(out, "2.3079207920792078"));
    expect(run("printf 'round,lab,measurand,item,value,unit,official_score,"
               "official_kind\\nS-2025-BIL2,L01,sulfur,D-1,9.1,mg/kg,0.5,Z\\n'"
               " > %s/off.csv && " PTLIMS " import %s/off.csv",
               tmp, exe, build, tmp, "demo.db", tmp),
           1, "off.csv:2:42: official_kind \"Z\" is not z, z', zeta or En");
    expect(run("printf 'round,lab,measurand,item,value,unit,official_score\\n"
               "S-2025-BIL2,L01,sulfur,D-1,9.1,mg/kg,0.5\\n' > %s/off2.csv && "
               PTLIMS " import %s/off2.csv",
               tmp, exe, build, tmp, "demo.db", tmp),
           1, "official_score is given without official_kind");
    expect(run("printf 'round,scheme,measurand,opened,official_x_pt\\n"
               "S-2026-X,fuel-sulfur,sulfur,2026-01-05,8,3\\n' > %s/r.csv "
               "&& " PTLIMS " import %s/r.csv",
               tmp, exe, build, tmp, "demo.db", tmp),
           1, "r.csv:2:1: row has 6 fields");
    expect(run("printf 'round,scheme,measurand,opened,official_x_pt\\n"
               "S-2026-X,fuel-sulfur,sulfur,2026-01-05,8;3\\n' > %s/r.csv "
               "&& " PTLIMS " import %s/r.csv",
               tmp, exe, build, tmp, "demo.db", tmp),
           1, "r.csv:2:40: official_x_pt: \"8;3\" is not a number");
    expect(run(PTLIMS " show S-2026-X", exe, build, tmp, "demo.db"), 1,
           NULL);
    /* the report comes after the round: its row with the report adds
     * it, once; a changed value is refused at its cell */
    expect(run(PTLIMS " import fixtures/laboratories.csv && printf "
               "'round,scheme,measurand,type,opened\\nS-9,fuel-sulfur,"
               "sulfur,pt,2025-03-01\\n' > %s/r9.csv && " PTLIMS
               " import %s/r9.csv",
               exe, build, tmp, "late.db", tmp, exe, build, tmp, "late.db",
               tmp),
           0, NULL);
    expect(run("printf 'round,scheme,measurand,type,opened,report_no,"
               "report_date,official_x_pt\\nS-9,fuel-sulfur,sulfur,pt,"
               "2025-03-01,R-9,2025-05-02,8.40\\n' > %s/r9b.csv && " PTLIMS
               " import %s/r9b.csv && " PTLIMS " import %s/r9b.csv",
               tmp, exe, build, tmp, "late.db", tmp, exe, build, tmp,
               "late.db", tmp),
           0, "already recorded (1 rows)");
    expect(run("sqlite3 %s/late.db \"SELECT r.report_no, r.report_date, "
               "o.x_pt FROM round r JOIN round_official o ON o.round_id = "
               "r.id\"",
               tmp),
           0, "R-9|2025-05-02|8.40");
    expect(run("sed 's/,8.40/,8.41/' %s/r9b.csv > %s/r9c.csv && " PTLIMS
               " import %s/r9c.csv",
               tmp, tmp, exe, build, tmp, "late.db", tmp),
           1, "r9c.csv:2:53: round S-9, sulfur is recorded with "
              "official_x_pt \"8.40\"; this file gives \"8.41\"");
    /* a closed round's report is kept as it was */
    expect(run("cp %s/demo.db %s/closed.db && " PTLIMS " close S-2025-PT1",
               tmp, tmp, exe, build, tmp, "closed.db"),
           0, NULL);
    expect(run("printf 'round,scheme,measurand,opened,type,title,provider,"
               "provider_accreditation,closed,official_item,official_x_pt\\n"
               "S-2025-PT1,fuel-sulfur,sulfur,2025-08-04,pt,\"Sulfur in "
               "ultra-low-sulfur diesel, PT round 2025-2 / "
               "超低硫柴油含硫量能力試驗\",Island Petroleum PT Services,"
               "TAF PT 9012,2025-10-31,PT-25-2,8.3\\n' > %s/c.csv && "
               PTLIMS " import %s/c.csv",
               tmp, exe, build, tmp, "closed.db", tmp),
           1, "round S-2025-PT1 is closed (ptlims reopen)");
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
        cmocka_unit_test(plan_gaps_get_actions_and_checks),
        cmocka_unit_test(capa_import_names_the_bad_line),
        cmocka_unit_test(workbook_reads_back_and_names_no_other_laboratory),
        cmocka_unit_test(data_digest_changes_with_the_data_only),
        cmocka_unit_test(report_options_reach_the_cover),
        cmocka_unit_test(provider_report_is_recorded_and_checked),
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
