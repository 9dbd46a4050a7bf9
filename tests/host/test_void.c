/*
 * test_void.c -- an item recorded by mistake voided, never deleted: it
 * stays in the record with who, when and why, counts nowhere (the
 * evaluation, scores, compare, the workbook, status), and the void is in
 * the audit chain; a corrective action and a plan row amended with the
 * old and new text in the log.  The evaluation without a voided result
 * is checked against a record that never had it (invariance), not
 * against numbers ptlims printed before.
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

/* The demo's record from the fixtures in dir, in tmp/<name>. */
static void demo_db(const char *name, const char *dir)
{
    expect(run(PTLIMS " demo --fixtures %s --lab TC-BR --out %s/%s.xlsx",
               exe, build, tmp, name, dir, tmp, name),
           0, "scores of TC-BR");
}

/* The evaluation of round S-2025-PT1 and TC-BR's score there, as text,
 * into buf. */
static void pt1_evaluation(const char *db, char *buf, size_t len)
{
    size_t used;

    expect(run("sqlite3 %s/%s \"SELECT e.n, e.x_pt, e.u_x_pt, e.sigma_pt "
               "FROM evaluation e JOIN round r ON r.id = e.round_id WHERE "
               "r.code = 'S-2025-PT1'\"",
               tmp, db),
           0, "|");
    used = (size_t)snprintf(buf, len, "%.1000s", out);
    expect(run(PTLIMS " results --round S-2025-PT1 --lab TC-BR --json", exe,
               build, tmp, db),
           0, "\"score\": ");
    snprintf(buf + used, len - used, "%.2000s", strstr(out, "\"score\": "));
}

static void a_voided_result_counts_nowhere(void **state)
{
    static char voided[4096], never[4096], before[4096];
    char fx[300];

    (void)state;
    demo_db("void.db", "fixtures");
    pt1_evaluation("void.db", before, sizeof before);
    /* the same record without L08's result, imported that way */
    expect(run("rm -rf %s/fx && cp -r fixtures %s/fx && sed -i "
               "'/^S-2025-PT1,L08,/d' %s/fx/results-s-2025-pt.csv && grep "
               "-c L08 %s/fx/results-s-2025-pt.csv",
               tmp, tmp, tmp, tmp),
           1, "0");
    snprintf(fx, sizeof fx, "%s/fx", tmp);
    demo_db("never.db", fx);
    pt1_evaluation("never.db", never, sizeof never);
    assert_string_not_equal(before, never);

    expect(run(PTLIMS " void result S-2025-PT1/L08/sulfur/PT-25-2 --reason "
                      "'sample mix-up' --by QM",
               exe, build, tmp, "void.db"),
           0, "result S-2025-PT1/L08/sulfur/PT-25-2 voided");
    /* stale until evaluated again, and said so */
    expect(run(PTLIMS " close S-2025-PT1", exe, build, tmp, "void.db"), 1,
           "result of L08, sulfur, item PT-25-2 was voided after the "
           "evaluation");
    expect(run(PTLIMS " status", exe, build, tmp, "void.db"), 0,
           "stale evaluation");
    expect(run(PTLIMS " evaluate S-2025-PT1", exe, build, tmp, "void.db"), 0,
           "33 scores");
    pt1_evaluation("void.db", voided, sizeof voided);
    assert_string_equal(voided, never);
    /* no score, no signal; listed with who, when and why */
    expect(run(PTLIMS " scores --lab L08", exe, build, tmp, "void.db"), 0,
           NULL);
    assert_null(strstr(out, "S-2025-PT1"));
    expect(run(PTLIMS " status", exe, build, tmp, "void.db"), 0, NULL);
    assert_null(strstr(out, "L08"));
    expect(run(PTLIMS " results --lab L08 --json", exe, build, tmp,
               "void.db"),
           0, "\"class\": null");
    assert_non_null(strstr(out, " by QM: sample mix-up\"}"));
    assert_non_null(strstr(out, "\"voided\": \"voided 20"));
    expect(run(PTLIMS " history --lab L08", exe, build, tmp, "void.db"), 0,
           "void    result of lab L08 in round S-2025-PT1 sulfur item "
           "PT-25-2 voided: sample mix-up (by QM)");
    /* nothing was deleted */
    expect(run("sqlite3 %s/void.db \"SELECT count(*) FROM result x JOIN "
               "laboratory l ON l.id = x.lab_id WHERE l.code = 'L08'\"",
               tmp),
           0, "1");
    expect(run(PTLIMS " close S-2025-PT1 && " PTLIMS " verify", exe, build,
               tmp, "void.db", exe, build, tmp, "void.db"),
           0, "audit log intact");
}

static void a_voided_own_result_leaves_compare_and_the_workbook(void **state)
{
    (void)state;
    demo_db("own.db", "fixtures");
    expect(run(PTLIMS " compare --lab TC-BR --ref OIL-REF", exe, build, tmp,
               "own.db"),
           0, "S-2024-Q3");
    expect(run(ZIPCOUNT "%s/own.db.xlsx S-2024-Q3", tmp), 0, "count=");
    assert_null(strstr(out, "count=0\n"));
    expect(run(PTLIMS " void result S-2024-Q3/TC-BR/sulfur/D-243 --reason "
                      "'not our sample' --json",
               exe, build, tmp, "own.db"),
           0, "{\"void\": \"result\", \"codes\": "
              "[\"S-2024-Q3/TC-BR/sulfur/D-243\"], \"reason\": \"not our "
              "sample\", \"by\": ");
    expect(run(PTLIMS " evaluate --all", exe, build, tmp, "own.db"), 0,
           NULL);
    expect(run(PTLIMS " compare --lab TC-BR --ref OIL-REF", exe, build, tmp,
               "own.db"),
           0, "S-2024-Q2");
    assert_null(strstr(out, "S-2024-Q3"));
    expect(run(PTLIMS " status", exe, build, tmp, "own.db"), 0, NULL);
    assert_null(strstr(out, "S-2024-Q3"));
    expect(run(PTLIMS " report --lab TC-BR --out %s/own2.xlsx && " ZIPCOUNT
                      "%s/own2.xlsx S-2024-Q3",
               exe, build, tmp, "own.db", tmp, tmp),
           0, "count=0\n");
}

static void voiding_refuses_what_it_cannot_do(void **state)
{
    static const char *const bad[][3] = {
        {"void result S-2025-PT1/L08/sulfur/PT-25-2", "1",
         "missing --reason"},
        {"void round --reason x", "1", "missing CODE"},
        {"void thing X --reason x", "1", "say what to void: round, result"},
        {"void round S-2025-PT --reason x", "1",
         "unknown round \"S-2025-PT\" (did you mean \"S-2025-PT1\"?)"},
        {"void lab tc-br --reason x", "1",
         "unknown laboratory \"tc-br\" (did you mean \"TC-BR\"?)"},
        {"void result S-2025-PT1/L8/sulfur/PT-25-2 --reason x", "1",
         "unknown result \"S-2025-PT1/L8/sulfur/PT-25-2\" (did you mean "
         "\"S-2025-PT1/L08/sulfur/PT-25-2\"?)"},
        {"void result S-2025-PX/L08/sulfur --reason x", "1",
         "unknown round \"S-2025-PX\" (did you mean"},
        {"void capa 99 --reason x", "1", "no corrective action 99"},
        {"void plan x1 --reason x", "1", "plan \"x1\" is not an id"},
        {"void lab L01 --reason x", "1",
         "laboratory L01 still counts: 1 result"},
        {"void lab OIL-REF --reason x", "1", "naming it as the reference"},
    };
    static char before[sizeof out];
    size_t i;

    (void)state;
    demo_db("bad.db", "fixtures");
    expect(run("sqlite3 %s/bad.db 'SELECT count(*) FROM audit_log'", tmp),
           0, NULL);
    snprintf(before, sizeof before, "%s", out);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect(run(PTLIMS " %s", exe, build, tmp, "bad.db", bad[i][0]),
               atoi(bad[i][1]), bad[i][2]);
    /* one bad code in a list: none of them voided */
    expect(run(PTLIMS " void result S-2025-PT1/L01/sulfur/PT-25-2 "
                      "S-2025-PT1/L99/sulfur --reason x",
               exe, build, tmp, "bad.db"),
           1, "unknown result \"S-2025-PT1/L99/sulfur\"");
    expect(run("sqlite3 %s/bad.db 'SELECT count(*) FROM audit_log'", tmp),
           0, before);
    expect(run("sqlite3 %s/bad.db 'SELECT count(*) FROM voided'", tmp), 0,
           "0");

    /* voiding twice names the first void */
    expect(run(PTLIMS " void round S-2025-BIL2 --reason 'entered twice' "
                      "--by QM",
               exe, build, tmp, "bad.db"),
           0, "round S-2025-BIL2 voided");
    expect(run(PTLIMS " void round S-2025-BIL2 --reason again", exe, build,
               tmp, "bad.db"),
           1, "round S-2025-BIL2 was voided on 20");
    assert_non_null(strstr(out, "by QM: entered twice"));
    /* a voided round is neither evaluated nor closed */
    expect(run(PTLIMS " evaluate S-2025-BIL2", exe, build, tmp, "bad.db"), 1,
           "round S-2025-BIL2 is voided: it is not evaluated");
    expect(run(PTLIMS " close S-2025-BIL2", exe, build, tmp, "bad.db"), 1,
           "round S-2025-BIL2 is voided");
    /* its results count nowhere, and say why */
    expect(run(PTLIMS " results --round S-2025-BIL2 --json", exe, build, tmp,
               "bad.db"),
           0, "\"voided\": \"round voided 20");
    expect(run(PTLIMS " evaluate --all", exe, build, tmp, "bad.db"), 0,
           NULL);
    expect(run(PTLIMS " rounds --json", exe, build, tmp, "bad.db"), 0,
           "by QM: entered twice\", \"stale\"");
    /* a voided result takes no new version */
    expect(run(PTLIMS " void result S-2025-PT1/L01/sulfur/PT-25-2 --reason "
                      "x && " PTLIMS " correct --round S-2025-PT1 --lab L01 "
                      "--measurand sulfur --item PT-25-2 --value 9 --unit "
                      "mg/kg --reason y",
               exe, build, tmp, "bad.db", exe, build, tmp, "bad.db"),
           1, "L01's result for round S-2025-PT1, sulfur, item PT-25-2 is "
              "voided: it takes no new version");
    /* a laboratory no longer counted is voided */
    expect(run(PTLIMS " void lab L01 --reason 'not a participant'", exe,
               build, tmp, "bad.db"),
           0, "laboratory L01 voided");
    /* a closed round is reopened first */
    expect(run(PTLIMS " evaluate S-2025-Q3 && " PTLIMS " close S-2025-Q3 && "
               PTLIMS " void result S-2025-Q3/TC-BR/sulfur/D-253 --reason x",
               exe, build, tmp, "bad.db", exe, build, tmp, "bad.db", exe,
               build, tmp, "bad.db"),
           1, "round S-2025-Q3 is closed (ptlims reopen S-2025-Q3");
    expect(run(PTLIMS " verify", exe, build, tmp, "bad.db"), 0,
           "audit log intact");
}

static void a_void_changed_outside_ptlims_is_found(void **state)
{
    (void)state;
    demo_db("tamper.db", "fixtures");
    expect(run(PTLIMS " void capa 2 --reason 'duplicate of 1'", exe, build,
               tmp, "tamper.db"),
           0, "capa 2 voided");
    assert_int_not_equal(
        run("sqlite3 %s/tamper.db \"UPDATE voided SET reason = 'x'\"", tmp),
        0);
    assert_non_null(strstr(out, "a void is append-only"));
    assert_int_not_equal(run("sqlite3 %s/tamper.db \"DELETE FROM voided\"",
                             tmp),
                         0);
    assert_non_null(strstr(out, "a void is append-only"));
    expect(run("sqlite3 %s/tamper.db \"DROP TRIGGER voided_no_delete; "
               "CREATE TRIGGER voided_no_delete BEFORE DELETE ON voided "
               "BEGIN SELECT 1; END; DELETE FROM voided;\"",
               tmp),
           0, NULL);
    expect(run(PTLIMS " verify", exe, build, tmp, "tamper.db"), 1,
           "voided");
}

static void actions_and_plan_rows_are_amended_and_voided(void **state)
{
    static const char *const bad[][2] = {
        {"amend capa 1 --due 2025-13-01 --reason x",
         "due \"2025-13-01\" is not a date"},
        {"amend capa 1 --colour red --reason x",
         "a corrective action has no field \"colour\" (its fields: trigger, "
         "root_cause"},
        {"amend capa 2 --closed 2026-01-10 --reason x",
         "closed and verified_by are given together"},
        {"amend capa 1 --owner '' --reason x", "owner cannot be empty"},
        {"amend capa 9 --owner A --reason x", "no corrective action 9"},
        {"amend capa 1 --owner A", "missing --reason"},
        {"amend plan 1 --risk extreme --reason x",
         "risk \"extreme\" is not low, medium or high"},
        {"amend plan 1 --to 2020 --reason x", "to is before from"},
        {"amend plan 1 --per-year 100 --reason x", "is outside 0.1 to 52"},
        {"amend plan 1 --lab tc-br --reason x",
         "unknown laboratory \"tc-br\" (did you mean \"TC-BR\"?)"},
        {"amend plan 1 --product 'fuel oil (燃料油)' --technique 'EDXRF "
         "(能量分散X射線螢光法)' --risk medium --reason x",
         "is recorded already"},
        {"amend result R --reason x --value 1", "say what to amend"},
    };
    static char before[sizeof out];
    size_t i;

    (void)state;
    demo_db("entry.db", "fixtures");
    expect(run("sqlite3 %s/entry.db 'SELECT count(*) FROM audit_log'", tmp),
           0, NULL);
    snprintf(before, sizeof before, "%s", out);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect(run(PTLIMS " %s", exe, build, tmp, "entry.db", bad[i][0]), 1,
               bad[i][1]);
    expect(run("sqlite3 %s/entry.db 'SELECT count(*) FROM audit_log'", tmp),
           0, before);

    expect(run(PTLIMS " amend capa 2 --due 2026-03-31 --owner 'C.Y.W.' "
                      "--reason 'new calibration supplier' --by QM --json",
               exe, build, tmp, "entry.db"),
           0, "{\"amended\": \"capa\", \"code\": \"2\", \"changes\": "
              "{\"due\": \"2026-03-31\", \"owner\": \"C.Y.W.\"}}");
    expect(run(PTLIMS " capa list", exe, build, tmp, "entry.db"), 0,
           "C.Y.W.     2026-03-31");
    expect(run("sqlite3 %s/entry.db \"SELECT detail FROM audit_log WHERE "
               "action = 'amend'\"",
               tmp),
           0, "corrective action 2: due 2026-01-31 -> 2026-03-31, owner "
              "Y.S.L. -> C.Y.W.: new calibration supplier (by QM)");
    expect(run(PTLIMS " amend plan 3 --per-year 1 --note '' --reason "
                      "'risk review'",
               exe, build, tmp, "entry.db"),
           0, "plan row 3 amended: per_year 1, note (cleared)");
    expect(run(PTLIMS " plan list", exe, build, tmp, "entry.db"), 0,
           "low    1        2024-2027");
    /* voided: off the lists; not amended any more */
    expect(run(PTLIMS " void plan 3 --reason 'no gasoline in scope'", exe,
               build, tmp, "entry.db"),
           0, "plan 3 voided");
    expect(run(PTLIMS " plan list", exe, build, tmp, "entry.db"), 0, NULL);
    assert_null(strstr(out, "WDXRF"));
    expect(run(PTLIMS " amend plan 3 --risk high --reason x", exe, build,
               tmp, "entry.db"),
           1, "plan row 3 is voided");
    /* sheet 3 is the PT plan (after the cover and the Index) */
    expect(run(PTLIMS " report --lab TC-BR --out %s/entry2.xlsx && " ZIPCOUNT
                      "%s/entry2.xlsx WDXRF xl/worksheets/sheet3.xml",
               exe, build, tmp, "entry.db", tmp, tmp),
           0, "count=0\n");
    expect(run(PTLIMS " verify", exe, build, tmp, "entry.db"), 0,
           "audit log intact");
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_voided_result_counts_nowhere),
        cmocka_unit_test(a_voided_own_result_leaves_compare_and_the_workbook),
        cmocka_unit_test(voiding_refuses_what_it_cannot_do),
        cmocka_unit_test(a_void_changed_outside_ptlims_is_found),
        cmocka_unit_test(actions_and_plan_rows_are_amended_and_voided),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(exe, sizeof exe, "%s %s/ptlims",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build);
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-void-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    run("rm -rf %s", tmp);
    return failed;
}
