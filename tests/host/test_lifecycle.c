/*
 * test_lifecycle.c -- the record's life as a user meets it: mistakes in
 * use named loudly (no database created by a command that reads, the
 * missing option named, the nearest code suggested), nothing stale (a
 * round is closed only on a fresh evaluation, a superseded value is said
 * so), and a kept record put right (reopen, amend) with its reason in the
 * audit chain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostutil.h"

/* The demo's record in tmp/<name>. */
static void demo_db(const char *name)
{
    expect(run(PTLIMS " demo --fixtures fixtures --lab TC-BR --out "
                      "%s/%s.xlsx",
               exe, build, tmp, name, tmp, name),
           0, "scores of TC-BR");
}

static void ptlims_db_names_the_database_beside_db(void **state)
{
    (void)state;
    expect(run("PTLIMS_DB=%s/env.db %s --plugin-dir %s/plugins init", tmp,
               exe, build),
           0, "env.db is ready");
    expect(run("test -e %s/env.db && echo there", tmp), 0, "there");
    /* --db wins over $PTLIMS_DB */
    expect(run("PTLIMS_DB=%s/env.db %s --plugin-dir %s/plugins --db "
               "%s/other.db scores",
               tmp, exe, build, tmp),
           1, "no database at");
    assert_non_null(strstr(out, "other.db"));
}

static void a_command_that_reads_never_creates_a_database(void **state)
{
    static const char *const cmds[] = {
        "scores", "verify", "compare --lab A --ref B", "close R1",
        "evaluate --all", "report --lab A --out x.xlsx", "plan list",
        "capa list", "sync export --out x.cs", "rounds", "show R1",
        "results", "history", "warnings", "status", "reopen R1 --reason x",
        "amend lab A --name B --reason x", "amend capa 1 --due x --reason y",
        "void round R1 --reason x", "export --out x"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        expect(run(PTLIMS " %s", exe, build, tmp, "none.db", cmds[i]), 1,
               "(ptlims init creates one)");
        assert_non_null(strstr(out, "no database at"));
        expect(run("test -e %s/none.db || echo absent", tmp), 0, "absent");
    }
}

static void a_missing_option_is_named(void **state)
{
    static const char *const cmds[] = {"reopen", "amend", "rounds", "show",
                                       "results", "history", "warnings",
                                       "status", "void", "export"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        expect(run(PTLIMS " %s --help", exe, build, tmp, "m.db", cmds[i]), 0,
               "usage: ptlims");
    expect(run(PTLIMS " report --lab TC-BR", exe, build, tmp, "m.db"), 1,
           "ptlims report: missing --out");
    assert_null(strstr(out, "usage:"));
    expect(run(PTLIMS " correct --round R --lab L --measurand sulfur "
                      "--value 1 --unit mg/kg",
               exe, build, tmp, "m.db"),
           1, "missing --reason");
    expect(run(PTLIMS " compare --ref OIL-REF", exe, build, tmp, "m.db"), 1,
           "missing --lab");
    expect(run(PTLIMS " capa add --round R --lab L --measurand M", exe,
               build, tmp, "m.db"),
           1, "missing --root-cause, --action, --owner and --due");
    expect(run(PTLIMS " evaluate", exe, build, tmp, "m.db"), 1,
           "missing ROUND or --all");
    expect(run(PTLIMS " close", exe, build, tmp, "m.db"), 1,
           "missing ROUND");
    expect(run(PTLIMS " show", exe, build, tmp, "m.db"), 1,
           "ptlims show: missing ROUND");
    expect(run(PTLIMS " reopen R1", exe, build, tmp, "m.db"), 1,
           "ptlims reopen: missing --reason");
}

static void an_unknown_code_suggests_the_nearest(void **state)
{
    (void)state;
    demo_db("codes.db");
    /* the wrong case: a mistake, not a laboratory without scores */
    expect(run(PTLIMS " scores --lab tc-br", exe, build, tmp, "codes.db"), 1,
           "unknown laboratory \"tc-br\" (did you mean \"TC-BR\"?)");
    expect(run(PTLIMS " compare --lab TC-BR --ref OIL-RF", exe, build, tmp,
               "codes.db"),
           1, "did you mean \"OIL-REF\"?");
    expect(run(PTLIMS " evaluate S-2025-PT", exe, build, tmp, "codes.db"), 1,
           "unknown round \"S-2025-PT\" (did you mean \"S-2025-PT1\"?)");
    expect(run(PTLIMS " close s-2025-pt1", exe, build, tmp, "codes.db"), 1,
           "did you mean \"S-2025-PT1\"?");
    /* nothing near: no guess */
    expect(run(PTLIMS " scores --lab QQQQQQQQ", exe, build, tmp,
               "codes.db"),
           1, "unknown laboratory \"QQQQQQQQ\"");
    assert_null(strstr(out, "did you mean"));
    expect(run("printf 'round,lab,measurand,item,value,unit\\n"
               "S-2025-PT1,tc-br,sulfur,PT-25-2,9.0,mg/kg\\n' > %s/lab.csv "
               "&& " PTLIMS " import %s/lab.csv",
               tmp, exe, build, tmp, "codes.db", tmp),
           1, "lab.csv:2:12: unknown laboratory \"tc-br\" (did you mean "
              "\"TC-BR\"?)");
}

static void an_unknown_measurand_lists_the_schemes_measurands(void **state)
{
    (void)state;
    expect(run("printf 'round,lab,measurand,item,value,unit\\n"
               "S-2025-PT1,KH-BR,sulphur,PT-25-2,9.0,mg/kg\\n' > %s/m.csv "
               "&& " PTLIMS " import %s/m.csv",
               tmp, exe, build, tmp, "codes.db", tmp),
           1, "measurand \"sulphur\"");
    assert_non_null(strstr(out, "(its measurands: sulfur"));
}

static void every_round_closes_after_a_fresh_evaluation(void **state)
{
    static const char *const rounds[] = {"DH-2024-ILC1", "S-2025-BIL1",
                                         "S-2025-PT1", "S-2023-Q1"};
    size_t i;

    (void)state;
    demo_db("fresh.db");
    for (i = 0; i < sizeof rounds / sizeof rounds[0]; i++)
        expect(run(PTLIMS " close %s", exe, build, tmp, "fresh.db",
                   rounds[i]),
               0, "is closed");
    expect(run(PTLIMS " verify", exe, build, tmp, "fresh.db"), 0,
           "audit log intact");
}

static void close_refuses_a_stale_round_and_names_what_changed(void **state)
{
    (void)state;
    demo_db("stale.db");
    expect(run(PTLIMS " correct --round S-2025-BIL1 --lab TC-BR --measurand "
                      "sulfur --item FO-1 --value 4400 --unit mg/kg "
                      "--reason 'transcription error'",
               exe, build, tmp, "stale.db"),
           0, "version 2 recorded");
    expect(run(PTLIMS " close S-2025-BIL1", exe, build, tmp, "stale.db"), 1,
           "the evaluation of round S-2025-BIL1 is stale: result of TC-BR, "
           "sulfur, item FO-1, version 2 was recorded after the evaluation");
    expect(run(PTLIMS " scores --lab TC-BR --json", exe, build, tmp,
               "stale.db"),
           0, "\"superseded\": false");
    /* evaluated again, it closes */
    expect(run(PTLIMS " evaluate S-2025-BIL1 && " PTLIMS
                      " close S-2025-BIL1",
               exe, build, tmp, "stale.db", exe, build, tmp, "stale.db"),
           0, "round S-2025-BIL1 is closed");
    /* results never evaluated */
    expect(run("printf 'round,scheme,measurand,type,opened,reference_lab,"
               "assigned\nS-NEW,fuel-sulfur,sulfur,bilateral,2025-10-01,"
               "OIL-REF,reference\n' > %s/r.csv && printf 'round,lab,"
               "measurand,item,value,unit,U,k\nS-NEW,TC-BR,sulfur,1,9.5,"
               "mg/kg,1.1,2\nS-NEW,OIL-REF,sulfur,1,9.1,mg/kg,0.9,2\n' > "
               "%s/x.csv && " PTLIMS " import %s/r.csv %s/x.csv && " PTLIMS
               " close S-NEW",
               tmp, tmp, exe, build, tmp, "stale.db", tmp, tmp, exe, build,
               tmp, "stale.db"),
           1, "sulfur, item 1 has results but no evaluation");
    expect(run(PTLIMS " verify", exe, build, tmp, "stale.db"), 0,
           "audit log intact");
}

static void scores_say_when_a_value_is_superseded(void **state)
{
    (void)state;
    demo_db("sup.db");
    expect(run(PTLIMS " correct --round S-2025-BIL1 --lab TC-BR --measurand "
                      "sulfur --item FO-1 --value 4400 --unit mg/kg "
                      "--reason 'transcription error'",
               exe, build, tmp, "sup.db"),
           0, "version 2 recorded");
    expect(run(PTLIMS " scores --lab TC-BR", exe, build, tmp, "sup.db"), 0,
           "superseded: version 2 is 4400 mg/kg; the score above is of "
           "version 1 until the round is evaluated again");
    expect(run(PTLIMS " scores --lab TC-BR --json", exe, build, tmp,
               "sup.db"),
           0, "\"version\": 1, \"superseded\": true, "
              "\"latest_value_text\": \"4400\"");
    expect(run(PTLIMS " evaluate S-2025-BIL1 && " PTLIMS " scores --lab "
                      "TC-BR",
               exe, build, tmp, "sup.db", exe, build, tmp, "sup.db"),
           0, "FO-1             4400         4520 mg/kg");
    assert_null(strstr(out, "superseded"));
}

static void headquarters_evaluates_a_round_a_branch_closed(void **state)
{
    (void)state;
    demo_db("branch.db");
    expect(run(PTLIMS " close S-2025-BIL1 && " PTLIMS " sync export --out "
                      "%s/cs.bin",
               exe, build, tmp, "branch.db", exe, build, tmp, "branch.db",
               tmp),
           0, "wrote");
    expect(run(PTLIMS " init && " PTLIMS " sync apply %s/cs.bin && " PTLIMS
                      " evaluate --all",
               exe, build, tmp, "hq.db", exe, build, tmp, "hq.db", tmp, exe,
               build, tmp, "hq.db"),
           0, "106 scores");
    expect(run(PTLIMS " scores --lab TC-BR", exe, build, tmp, "hq.db"), 0,
           "S-2025-BIL1    TC-BR    sulfur                 FO-1             "
           "4483         4520 mg/kg");
    /* it stays closed, and its evaluation can no longer change */
    expect(run(PTLIMS " evaluate S-2025-BIL1", exe, build, tmp, "hq.db"), 1,
           "round S-2025-BIL1 is closed");
    expect(run(PTLIMS " verify", exe, build, tmp, "hq.db"), 0,
           "audit log intact");
}

static void a_closed_round_is_reopened_amended_and_closed_again(void **state)
{
    (void)state;
    demo_db("amend.db");
    expect(run(PTLIMS " close S-2025-PT1", exe, build, tmp, "amend.db"), 0,
           "is closed");
    expect(run(PTLIMS " amend round S-2025-PT1 --sigma-pt 0.9 --reason x",
               exe, build, tmp, "amend.db"),
           1, "round S-2025-PT1 is closed (ptlims reopen S-2025-PT1");
    expect(run(PTLIMS " reopen S-2025-PT1", exe, build, tmp, "amend.db"), 1,
           "missing --reason");
    expect(run(PTLIMS " reopen S-2025-PT1 --reason 'sigma_pt of the "
                      "provider report' --by QM",
               exe, build, tmp, "amend.db"),
           0, "round S-2025-PT1 is open again");
    expect(run(PTLIMS " reopen S-2025-PT1 --reason again", exe, build, tmp,
               "amend.db"),
           1, "round S-2025-PT1 is open");
    expect(run(PTLIMS " amend round S-2025-PT1 --sigma-pt 0.9 "
                      "--sigma-pt-basis 'fitness for purpose' --reason "
                      "'provider report' --by QM --json",
               exe, build, tmp, "amend.db"),
           0, "{\"amended\": \"round\", \"code\": \"S-2025-PT1\", "
              "\"changes\": {\"sigma_pt\": \"0.9\", \"sigma_pt_basis\": "
              "\"fitness for purpose\"}}");
    expect(run(PTLIMS " close S-2025-PT1", exe, build, tmp, "amend.db"), 1,
           "stale: the measurand settings were changed after the evaluation");
    assert_non_null(strstr(out, "sigma_pt=0.9"));
    expect(run(PTLIMS " evaluate S-2025-PT1 && " PTLIMS " close S-2025-PT1",
               exe, build, tmp, "amend.db", exe, build, tmp, "amend.db"),
           0, "round S-2025-PT1 is closed");
    /* the new sigma_pt is the one scored (the shortest text of 0.9) */
    expect(
        run(PTLIMS " scores --lab TC-BR --json", exe, build, tmp, "amend.db"),
        0, "\"sigma_pt\": 0.9,");
    expect(run("sqlite3 %s/amend.db \"SELECT action || ': ' || detail FROM "
               "audit_log WHERE action IN ('reopen', 'amend') ORDER BY "
               "id\"",
               tmp),
           0, "reopen: round S-2025-PT1 reopened: sigma_pt of the provider "
              "report (by QM)\namend: round S-2025-PT1: sigma_pt=0.9, "
              "sigma_pt_basis=fitness for purpose: provider report (by QM)");
    expect(run(PTLIMS " verify", exe, build, tmp, "amend.db"), 0,
           "audit log intact");
}

static void an_amendment_keeps_the_rules_of_a_rounds_file(void **state)
{
    static const char *const bad[][2] = {
        {"--assigned fixed", "assigned is fixed: x_pt and u_x_pt are both "
                             "needed"},
        {"--sigma-pt -1", "sulfur: sigma_pt must be positive"},
        {"--sigma-pt abc", "sigma_pt \"abc\" is not a number"},
        {"--opened 2025/01/01", "opened \"2025/01/01\" is not a date"},
        {"--closed 2020-01-01", "closed is before opened"},
        {"--reference-lab oil-ref", "unknown laboratory \"oil-ref\" (did "
                                    "you mean \"OIL-REF\"?)"},
    };
    static char before[sizeof out];
    size_t i;

    (void)state;
    expect(run("sqlite3 %s/amend.db 'SELECT count(*) FROM audit_log'", tmp),
           0, NULL);
    snprintf(before, sizeof before, "%s", out);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect(run(PTLIMS " amend round S-2025-BIL1 %s --reason x", exe,
                   build, tmp, "amend.db", bad[i][0]),
               1, bad[i][1]);
    expect(run(PTLIMS " amend round DH-2025-ILC1 --matrix x --reason y", exe,
               build, tmp, "amend.db"),
           1, "round DH-2025-ILC1 has 3 measurands: say which with "
              "--measurand (leakage_current_humid, leakage_current_op, "
              "power_input)");
    expect(run(PTLIMS " amend lab TC-BR --name '' --reason x", exe, build,
               tmp, "amend.db"),
           1, "name cannot be empty");
    expect(run(PTLIMS " amend round S-2025-BIL1 --title x", exe, build, tmp,
               "amend.db"),
           1, "missing --reason");
    expect(run(PTLIMS " amend round S-2025-BIL1 --reason x", exe, build, tmp,
               "amend.db"),
           1, "nothing to change");
    /* nothing of all that was written */
    expect(run("sqlite3 %s/amend.db 'SELECT count(*) FROM audit_log'", tmp),
           0, before);
}

static void a_laboratory_and_a_reference_laboratory_are_amended(void **state)
{
    (void)state;
    expect(run(PTLIMS " amend lab TC-BR --accreditation 'TAF 9999' --name "
                      "'Taichung Branch' --reason 'renewed'",
               exe, build, tmp, "amend.db"),
           0, "laboratory TC-BR amended: accreditation TAF 9999, name "
              "Taichung Branch");
    expect(run("sqlite3 %s/amend.db \"SELECT name || '|' || accreditation "
               "FROM laboratory WHERE code = 'TC-BR'\"",
               tmp),
           0, "Taichung Branch|TAF 9999");
    expect(run(PTLIMS " amend round S-2025-BIL1 --reference-lab KH-BR "
                      "--reason 'wrong reference'",
               exe, build, tmp, "amend.db"),
           0, "reference_lab KH-BR");
    expect(run(PTLIMS " close S-2025-BIL1", exe, build, tmp, "amend.db"), 1,
           "sulfur, item FO-1 was evaluated against OIL-REF, the round now "
           "names KH-BR as its reference laboratory");
    expect(run(PTLIMS " amend round S-2025-BIL1 --reference-lab OIL-REF "
                      "--reason 'back' && " PTLIMS " close S-2025-BIL1",
               exe, build, tmp, "amend.db", exe, build, tmp, "amend.db"),
           0, "round S-2025-BIL1 is closed");
    expect(run(PTLIMS " verify", exe, build, tmp, "amend.db"), 0,
           "audit log intact");
}

static void the_record_can_be_looked_at_without_sql(void **state)
{
    (void)state;
    demo_db("look.db");
    expect(run(PTLIMS " rounds --scheme fuel-sulfur --from 2025-01-01 --to "
                      "2025-12-31 --json",
               exe, build, tmp, "look.db"),
           0, "\"round\": \"S-2025-Q1\", \"scheme\": \"fuel-sulfur\"");
    assert_null(strstr(out, "DH-2025-ILC1"));
    assert_null(strstr(out, "S-2024-Q4"));
    assert_non_null(strstr(out, "\"reference_lab\": null"));
    expect(run(PTLIMS " rounds --status closed", exe, build, tmp, "look.db"),
           0, "no rounds");
    expect(run(PTLIMS " rounds --status shut", exe, build, tmp, "look.db"),
           1, "status \"shut\" is not open or closed");
    expect(run(PTLIMS " correct --round S-2025-BIL1 --lab TC-BR --measurand "
                      "sulfur --item FO-1 --value 4400 --unit mg/kg "
                      "--reason 'transcription error'",
               exe, build, tmp, "look.db"),
           0, NULL);
    /* every version, the replaced one marked */
    expect(run(PTLIMS " results --round S-2025-BIL1 --lab TC-BR --json", exe,
               build, tmp, "look.db"),
           0, "\"version\": 1, \"value_text\": \"4483\"");
    assert_non_null(strstr(out, "\"version\": 2, \"value_text\": "
                                "\"4400\", \"unit_text\": \"mg/kg\", "
                                "\"value\": 4400, \"unit\": \"mg/kg\""));
    assert_non_null(strstr(out, "\"reason\": \"transcription error\", "
                                "\"superseded\": false"));
    assert_non_null(strstr(out, "\"reason\": null, \"superseded\": true"));
    expect(run(PTLIMS " show S-2025-BIL1", exe, build, tmp, "look.db"), 0,
           "settings");
    assert_non_null(strstr(out, "fuel oil, low sulfur"));
    assert_non_null(strstr(out, "too few for a consensus"));
    assert_non_null(strstr(out, "correct   S-2025-BIL1 TC-BR sulfur item "
                                "FO-1: version 1 -> 2"));
    expect(run(PTLIMS " show S-2025-BIL1 --json", exe, build, tmp,
               "look.db"),
           0, "{\"round\": [");
    assert_non_null(strstr(out, "\"evaluations\": ["));
    assert_non_null(strstr(out, "\"history\": ["));
    expect(run(PTLIMS " history --lab TC-BR", exe, build, tmp, "look.db"), 0,
           "capa add");
    assert_null(strstr(out, "L08"));
    expect(run(PTLIMS " status", exe, build, tmp, "look.db"), 0,
           "stale evaluation       S-2025-BIL1  -      result of TC-BR, "
           "sulfur, item FO-1, version 2 was recorded after the evaluation");
    assert_non_null(strstr(out, "signal without action  S-2025-PT1   L08"));
    /* TC-BR's signal in S-2025-PT1 has its corrective action */
    assert_null(strstr(out, "S-2025-PT1   TC-BR  sulfur, item PT-25-2: "
                            "unsatisfactory"));
    expect(run(PTLIMS " show S-2025-PX1", exe, build, tmp, "look.db"), 1,
           "did you mean \"S-2025-PT1\"?");
    expect(run(PTLIMS " warnings --lab TC-BR", exe, build, tmp, "look.db"),
           0, NULL);
}

static void evaluate_all_names_each_round_it_cannot_evaluate(void **state)
{
    (void)state;
    demo_db("all.db");
    /* a reference round whose reference laboratory has not reported */
    expect(run("printf 'round,scheme,measurand,type,opened,reference_lab,"
               "assigned\nS-X,fuel-sulfur,sulfur,bilateral,2025-10-01,"
               "OIL-REF,reference\n' > %s/rx.csv && printf 'round,lab,"
               "measurand,item,value,unit,U,k\nS-X,TC-BR,sulfur,1,9.5,mg/kg,"
               "1.1,2\n' > %s/xx.csv && " PTLIMS " import %s/rx.csv "
               "%s/xx.csv",
               tmp, tmp, exe, build, tmp, "all.db", tmp, tmp),
           0, NULL);
    expect(run(PTLIMS " correct --round S-2025-BIL1 --lab TC-BR --measurand "
                      "sulfur --item FO-1 --value 4400 --unit mg/kg "
                      "--reason 'transcription error'",
               exe, build, tmp, "all.db"),
           0, NULL);
    expect(run(PTLIMS " evaluate --all", exe, build, tmp, "all.db"), 1,
           "ptlims evaluate: S-X: round S-X, sulfur, item 1: the reference "
           "laboratory has no result");
    assert_non_null(strstr(out, "1 of 18 rounds could not be evaluated"));
    /* the others were evaluated: the correction is scored */
    assert_non_null(strstr(out, "S-2025-BIL2: 1 groups, 2 scores"));
    expect(run(PTLIMS " close S-2025-BIL1", exe, build, tmp, "all.db"), 0,
           "is closed");
    expect(run(PTLIMS " evaluate --all --json", exe, build, tmp, "all.db"),
           1, "[{\"round\": \"S-2023-Q1\", \"groups\": 1");
    expect(run(PTLIMS " verify", exe, build, tmp, "all.db"), 0,
           "audit log intact");
}

static void a_dry_run_checks_every_file_and_writes_nothing(void **state)
{
    static char before[sizeof out];

    (void)state;
    expect(run("sqlite3 %s/all.db 'SELECT count(*) FROM audit_log; SELECT "
               "count(*) FROM result'",
               tmp),
           0, NULL);
    snprintf(before, sizeof before, "%s", out);
    expect(run("printf 'round,lab,measurand,item,value,unit,U,k\nS-X,"
               "OIL-REF,sulfur,1,9.1,mg/kg,0.9,2\n' > %s/ok.csv && " PTLIMS
               " import --dry-run %s/ok.csv fixtures/bad/value-nan.csv "
               "%s/xx.csv",
               tmp, exe, build, tmp, "all.db", tmp, tmp),
           1, "ok.csv: 1 rows: would add 0 laboratories, 0 rounds, 1 "
              "results");
    assert_non_null(strstr(out, "value-nan.csv:3:30: value: \"NaN\""));
    /* a file recorded already is said so, and is no refusal */
    assert_non_null(strstr(out, "xx.csv: already recorded (1 rows)"));
    assert_non_null(strstr(out, "dry run: nothing was written"));
    expect(run("sqlite3 %s/all.db 'SELECT count(*) FROM audit_log; SELECT "
               "count(*) FROM result'",
               tmp),
           0, before);
    expect(run(PTLIMS " import --dry-run --json %s/ok.csv", exe, build, tmp,
               "all.db", tmp),
           0, "\"dry_run\": true, \"rows\": 1");
    expect(run(PTLIMS " import --dry-run %s/ok.csv", exe, build, tmp,
               "nodb.db", tmp),
           1, "no database at");
    expect(run("test -e %s/nodb.db || echo absent", tmp), 0, "absent");
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ptlims_db_names_the_database_beside_db),
        cmocka_unit_test(a_command_that_reads_never_creates_a_database),
        cmocka_unit_test(a_missing_option_is_named),
        cmocka_unit_test(an_unknown_code_suggests_the_nearest),
        cmocka_unit_test(an_unknown_measurand_lists_the_schemes_measurands),
        cmocka_unit_test(every_round_closes_after_a_fresh_evaluation),
        cmocka_unit_test(close_refuses_a_stale_round_and_names_what_changed),
        cmocka_unit_test(scores_say_when_a_value_is_superseded),
        cmocka_unit_test(headquarters_evaluates_a_round_a_branch_closed),
        cmocka_unit_test(a_closed_round_is_reopened_amended_and_closed_again),
        cmocka_unit_test(an_amendment_keeps_the_rules_of_a_rounds_file),
        cmocka_unit_test(a_laboratory_and_a_reference_laboratory_are_amended),
        cmocka_unit_test(the_record_can_be_looked_at_without_sql),
        cmocka_unit_test(evaluate_all_names_each_round_it_cannot_evaluate),
        cmocka_unit_test(a_dry_run_checks_every_file_and_writes_nothing),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(exe, sizeof exe, "%s %s/ptlims",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build);
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-life-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    run("rm -rf %s", tmp);
    return failed;
}
