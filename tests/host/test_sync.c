/*
 * test_sync.c -- multi-site consolidation as headquarters sees it: three
 * branch databases, each with its own integer ids, exported with `ptlims
 * sync export` and merged with `ptlims sync apply` into one; every row of
 * the merged database and every conflict is checked, a conflict never
 * overwrites, re-applying changes nothing, --since filters rounds and
 * --all-or-nothing leaves the database untouched.
 *
 * The branches share the reference laboratory REF and the PT round
 * S-PT-1; Hualien (HL) has REF under another name, S-PT-1 under another
 * title, a different result for Taichung's laboratory and a result for a
 * round headquarters has closed.
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


static void has(const char *words)
{
    if (!strstr(out, words))
        fail_msg("output:\n%s\nwanted: %s", out, words);
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

/* ptlims on database tmp/<db>. */
#define PT "%s --plugin-dir %s/plugins --db %s/%s"

static void branch(const char *site, const char *labs, const char *rounds,
                   const char *results)
{
    char name[64];

    snprintf(name, sizeof name, "%s-labs.csv", site);
    write_file(name, labs);
    snprintf(name, sizeof name, "%s-rounds.csv", site);
    write_file(name, rounds);
    snprintf(name, sizeof name, "%s-results.csv", site);
    write_file(name, results);
    expect(run(PT ".db import %s/%s-labs.csv %s/%s-rounds.csv "
                  "%s/%s-results.csv",
               exe, build, tmp, site, tmp, site, tmp, site, tmp, site),
           0, "results");
}

#define LABS "lab,name,role\n"
#define ROUNDS "round,scheme,measurand,type,title,opened,reference_lab\n"
#define RESULTS "round,lab,measurand,value,unit,U,method\n"
#define TC_BR "TC-BR,Taichung Branch,branch\n"
#define KH_BR "KH-BR,Kaohsiung Branch,branch\n"
#define HL_BR "HL-BR,Hualien Branch,branch\n"
#define REF "REF,Oil Company Fuel Laboratory,reference\n"
#define PT1 "S-PT-1,fuel-sulfur,sulfur,pt,Sulfur in diesel 2025,2025-05-01,\n"
#define KH1 "S-KH-1,fuel-sulfur,sulfur,bilateral,KH vs REF,2025-04-01,REF\n"
#define TC1 "S-TC-1,fuel-sulfur,sulfur,bilateral,TC vs REF,2025-03-01,REF\n"

static int setup(void **state)
{
    (void)state;
    /* different import orders: different integer ids at every branch */
    branch("TC", LABS TC_BR REF, ROUNDS TC1 PT1,
           RESULTS "S-TC-1,TC-BR,sulfur,9.1,mg/kg,0.6,ASTM D5453-19a\n"
                   "S-TC-1,REF,sulfur,9.0,mg/kg,0.4,ASTM D5453-19a\n"
                   "S-PT-1,TC-BR,sulfur,8.8,mg/kg,0.6,ASTM D5453-19a\n");
    branch("KH", LABS KH_BR REF, ROUNDS PT1 KH1,
           RESULTS "S-KH-1,REF,sulfur,10.0,mg/kg,0.4,ASTM D5453-19a\n"
                   "S-KH-1,KH-BR,sulfur,10.2,mg/kg,0.7,ASTM D5453-19a\n"
                   "S-PT-1,KH-BR,sulfur,9.4,mg/kg,0.7,ASTM D5453-19a\n");
    branch("HL", LABS HL_BR TC_BR KH_BR "REF,CPC Fuel Laboratory,reference\n",
           ROUNDS KH1
           "S-PT-1,fuel-sulfur,sulfur,pt,Sulfur in diesel,2025-05-01,\n",
           RESULTS "S-PT-1,HL-BR,sulfur,9.0,mg/kg,0.5,ASTM D5453-19a\n"
                   "S-PT-1,TC-BR,sulfur,8.9,mg/kg,0.6,ASTM D5453-19a\n"
                   "S-KH-1,HL-BR,sulfur,10.4,mg/kg,0.5,ASTM D5453-19a\n");
    expect(run(PT ".db sync export --site Taichung --out %s/TC.changeset", exe,
               build, tmp, "TC", tmp),
           0, "10 records of site Taichung");
    expect(run(PT ".db sync export --out %s/KH.changeset --json", exe, build,
               tmp, "KH", tmp),
           0, "\"site\": \"KH.db\"");
    has("\"records\": 10}");
    expect(run(PT ".db sync export --site Hualien --out %s/HL.changeset", exe,
               build, tmp, "HL", tmp),
           0, "12 records");
    return 0;
}

/* The merged database by natural keys, one table after the other. */
static void dump(const char *db)
{
    expect(run("sqlite3 -batch %s/%s "
               "\"SELECT code, name, role FROM laboratory ORDER BY code;"
               " SELECT r.code, r.title, r.status, coalesce(l.code, '-') "
               " FROM round r LEFT JOIN laboratory l "
               " ON l.id = r.reference_lab_id ORDER BY r.code;"
               " SELECT r.code, l.code, x.measurand, x.item, x.version,"
               " x.value_text, x.value FROM result x JOIN round r ON"
               " r.id = x.round_id JOIN laboratory l ON l.id = x.lab_id"
               " ORDER BY r.code, l.code;\"",
               tmp, db),
           0, NULL);
}

static void three_branches_merge_into_headquarters(void **state)
{
    (void)state;
    expect(run(PT " init", exe, build, tmp, "hq.db"), 0, "ready");
    expect(run(PT " sync apply %s/TC.changeset", exe, build, tmp, "hq.db", tmp),
           0, "from Taichung");
    has("10 records: 10 added, 0 already here, 0 conflicts");
    expect(run(PT " sync apply %s/KH.changeset", exe, build, tmp, "hq.db", tmp),
           0, "10 records: 6 added, 4 already here, 0 conflicts");
    /* headquarters evaluates and closes the Kaohsiung round before
     * Hualien reports */
    expect(run(PT " evaluate S-KH-1 && " PT " close S-KH-1", exe, build, tmp,
               "hq.db", exe, build, tmp, "hq.db"),
           0, "round S-KH-1 is closed");
    expect(run(PT " sync apply %s/HL.changeset --json", exe, build, tmp,
               "hq.db", tmp),
           0, "\"site\": \"Hualien\"");
    /* HL: 4 labs, a scheme, 2 rounds, 2 round measurands, 3 results */
    has("\"records\": 12, \"added\": 2, \"present\": 5, "
        "\"conflicting_records\": 5");
    has("{\"table\": \"laboratory\", \"key\": \"REF\", \"column\": \"name\", "
        "\"here\": \"Oil Company Fuel Laboratory\", \"theirs\": \"CPC Fuel "
        "Laboratory\", \"reason\": \"differs\"}");
    has("{\"table\": \"round\", \"key\": \"S-PT-1\", \"column\": \"title\", "
        "\"here\": \"Sulfur in diesel 2025\", \"theirs\": \"Sulfur in "
        "diesel\", \"reason\": \"differs\"}");
    /* closed here, open at the branch */
    has("{\"table\": \"round\", \"key\": \"S-KH-1\", \"column\": \"status\", "
        "\"here\": \"closed\", \"theirs\": \"open\", \"reason\": \"differs\"}");
    has("{\"table\": \"result\", \"key\": \"S-PT-1/TC-BR/sulfur/1/1\", "
        "\"column\": \"value_text\", \"here\": \"8.8\", \"theirs\": \"8.9\", "
        "\"reason\": \"differs\"}");
    has("{\"table\": \"result\", \"key\": \"S-PT-1/TC-BR/sulfur/1/1\", "
        "\"column\": \"value\", \"here\": \"8.8\", \"theirs\": \"8.9\", "
        "\"reason\": \"differs\"}");
    has("{\"table\": \"result\", \"key\": \"S-KH-1/HL-BR/sulfur/1/1\", "
        "\"column\": null, \"here\": null, \"theirs\": null, \"reason\": "
        "\"round S-KH-1 is closed: its results cannot change\"}");
    dump("hq.db");
    assert_string_equal(out, "HL-BR|Hualien Branch|branch\n"
                             "KH-BR|Kaohsiung Branch|branch\n"
                             "REF|Oil Company Fuel Laboratory|reference\n"
                             "TC-BR|Taichung Branch|branch\n"
                             "S-KH-1|KH vs REF|closed|REF\n"
                             "S-PT-1|Sulfur in diesel 2025|open|-\n"
                             "S-TC-1|TC vs REF|open|REF\n"
                             "S-KH-1|KH-BR|sulfur|1|1|10.2|10.2\n"
                             "S-KH-1|REF|sulfur|1|1|10.0|10.0\n"
                             "S-PT-1|HL-BR|sulfur|1|1|9.0|9.0\n"
                             "S-PT-1|KH-BR|sulfur|1|1|9.4|9.4\n"
                             "S-PT-1|TC-BR|sulfur|1|1|8.8|8.8\n"
                             "S-TC-1|REF|sulfur|1|1|9.0|9.0\n"
                             "S-TC-1|TC-BR|sulfur|1|1|9.1|9.1\n");
    /* every conflict is in the audit log, and so is every apply */
    expect(run("sqlite3 %s/hq.db \"SELECT action, count(*) FROM audit_log "
               "WHERE action LIKE 'sync%%' GROUP BY action\"",
               tmp),
           0, "sync apply|3\nsync conflict|6\n");
    /* the merged records evaluate like any others */
    expect(run(PT " evaluate S-TC-1", exe, build, tmp, "hq.db"), 0,
           "S-TC-1: 1 groups, 2 scores");
}

static void applying_again_changes_nothing(void **state)
{
    char before[sizeof out];

    (void)state;
    dump("hq.db");
    snprintf(before, sizeof before, "%s", out);
    expect(run(PT " sync apply %s/TC.changeset", exe, build, tmp, "hq.db", tmp),
           0, "10 records: 0 added, 10 already here, 0 conflicts");
    dump("hq.db");
    assert_string_equal(out, before);
}

static void all_or_nothing_applies_nothing_on_conflict(void **state)
{
    char before[sizeof out];

    (void)state;
    expect(run("cp %s/TC.db %s/aon.db", tmp, tmp), 0, NULL);
    dump("aon.db");
    snprintf(before, sizeof before, "%s", out);
    expect(run(PT " sync apply %s/HL.changeset --all-or-nothing", exe, build,
               tmp, "aon.db", tmp),
           1, "conflicts with this database; nothing applied");
    dump("aon.db");
    assert_string_equal(out, before);
}

static void since_keeps_the_later_rounds(void **state)
{
    (void)state;
    expect(run(PT ".db sync export --since 2025-04-15 --out %s/TC2.changeset"
                  " --json",
               exe, build, tmp, "TC", tmp),
           0, "\"since\": \"2025-04-15\"");
    /* 2 laboratories, 1 scheme, S-PT-1 with its measurand and result */
    has("\"records\": 6}");
    expect(run(PT " sync apply %s/TC2.changeset", exe, build, tmp, "since.db",
               tmp),
           0, "6 records: 6 added");
    expect(run("sqlite3 %s/since.db \"SELECT code FROM round\"", tmp), 0, NULL);
    assert_string_equal(out, "S-PT-1\n");
    expect(run(PT ".db sync export --since 2025-13-01 --out %s/x.changeset",
               exe, build, tmp, "TC", tmp),
           1, "is not a date");
}

/* Every record of database tmp/<db> by natural key, conditions too. */
static void dump_all(const char *db)
{
    expect(run("sqlite3 -batch %s/%s "
               "\"SELECT code, name, role FROM laboratory ORDER BY code;"
               " SELECT r.code, s.code, r.type, r.opened, r.status, "
               " coalesce(l.code, '-') FROM round r JOIN scheme s ON"
               " s.id = r.scheme_id LEFT JOIN laboratory l"
               " ON l.id = r.reference_lab_id ORDER BY r.code;"
               " SELECT r.code, m.measurand, m.unit FROM round_measurand m"
               " JOIN round r ON r.id = m.round_id ORDER BY 1, 2;"
               " SELECT r.code, l.code, x.measurand, x.item, x.version,"
               " x.value_text, x.unit_text, x.value, x.U, x.method"
               " FROM result x JOIN round r ON r.id = x.round_id"
               " JOIN laboratory l ON l.id = x.lab_id ORDER BY 1, 2, 3;"
               " SELECT r.code, l.code, x.measurand, c.name, c.value"
               " FROM result_condition c JOIN result x ON x.id = c.result_id"
               " JOIN round r ON r.id = x.round_id JOIN laboratory l"
               " ON l.id = x.lab_id ORDER BY 1, 2, 3, 4;\"",
               tmp, db),
           0, NULL);
}

static void conditions_and_a_closed_round_arrive_intact(void **state)
{
    char before[sizeof out];

    (void)state;
    branch("DH",
           LABS "HQ-EL,Headquarters Electrical Laboratory,reference\n"
                "DH-BR,Taichung Electrical,branch\n",
           ROUNDS "DH-1,dehumidifier,power_input,bilateral,Power input,"
                  "2025-03-03,HQ-EL\n",
           "round,lab,measurand,value,unit,U,method,rated_voltage,"
           "rated_power,appliance_class\n"
           "DH-1,HQ-EL,power_input,281.4,W,3.6,CNS 60335-1 cl. 10,110,270,"
           "I\n"
           "DH-1,DH-BR,power_input,0.283,kW,0.004,CNS 60335-1 cl. 10,110,"
           "270,I\n");
    expect(run(PT ".db evaluate DH-1 && " PT ".db close DH-1", exe, build,
               tmp, "DH", exe, build, tmp, "DH"),
           0, "round DH-1 is closed");
    expect(run(PT ".db sync export --out %s/DH.changeset", exe, build, tmp,
               "DH", tmp),
           0, "13 records");
    dump_all("DH.db");
    assert_non_null(strstr(out, "DH-1|dehumidifier|bilateral|2025-03-03|"
                                "closed|HQ-EL\n"));
    assert_non_null(strstr(out, "DH-1|DH-BR|power_input|appliance_class|I"));
    snprintf(before, sizeof before, "%s", out);
    expect(
        run(PT " sync apply %s/DH.changeset", exe, build, tmp, "dh-hq.db", tmp),
        0, "13 records: 13 added, 0 already here, 0 conflicts");
    /* the same records, the round closed after its results went in */
    dump_all("dh-hq.db");
    assert_string_equal(out, before);
}

/* The scores of database tmp/<db>, as `ptlims scores` prints them. */
static void scores_of(const char *db, char *buf, size_t len)
{
    expect(run(PT " scores", exe, build, tmp, db), 0, NULL);
    snprintf(buf, len, "%s", out);
}

/* A branch closes round V-1 and headquarters takes it; the branch then
 * reopens it, voids laboratory D's result (12.0, far from the others)
 * and amends sigma_pt from 0.5 to 0.6, evaluates and closes it again.
 * After the next sync and `evaluate --all`, headquarters prints the
 * branch's scores: x_pt is then the mean of the four results left,
 * (9.0 + 9.4 + 8.8 + 9.1) / 4 = 9.075 (Algorithm A moves no value that
 * lies within 1.5 s* of it), and B's z is (9.4 - 9.075) / 0.6 = +0.54. */
static void voids_and_amendments_reach_headquarters(void **state)
{
    char branch_scores[sizeof out], hq_scores[sizeof out], before[sizeof out];

    (void)state;
    branch("VB", LABS REF "A,Lab A,branch\nB,Lab B,branch\nC,Lab C,branch\n"
                          "D,Lab D,branch\n",
           "round,scheme,measurand,type,title,opened,reference_lab,assigned,"
           "sigma_pt\nV-1,fuel-sulfur,sulfur,pt,Sulfur,2025-05-01,,"
           "consensus,0.5\n",
           RESULTS "V-1,A,sulfur,9.0,mg/kg,0.5,ASTM D5453-19a\n"
                   "V-1,B,sulfur,9.4,mg/kg,0.5,ASTM D5453-19a\n"
                   "V-1,C,sulfur,8.8,mg/kg,0.5,ASTM D5453-19a\n"
                   "V-1,D,sulfur,12.0,mg/kg,0.5,ASTM D5453-19a\n"
                   "V-1,REF,sulfur,9.1,mg/kg,0.5,ASTM D5453-19a\n");
    expect(run(PT ".db evaluate V-1 && " PT ".db close V-1", exe, build, tmp,
               "VB", exe, build, tmp, "VB"),
           0, "round V-1 is closed");
    expect(run(PT ".db sync export --site vb --out %s/VB1.changeset", exe,
               build, tmp, "VB", tmp),
           0, NULL);
    expect(run(PT " sync apply %s/VB1.changeset && " PT " evaluate --all", exe,
               build, tmp, "vhq.db", tmp, exe, build, tmp, "vhq.db"),
           0, "5 scores");
    scores_of("vhq.db", hq_scores, sizeof hq_scores);
    assert_non_null(strstr(hq_scores, "V-1            D  "));

    expect(run(PT ".db reopen V-1 --reason 'D mixed up its samples'", exe,
               build, tmp, "VB"),
           0, NULL);
    expect(run(PT ".db void result V-1/D/sulfur --reason 'samples mixed up' "
                  "--by ann",
               exe, build, tmp, "VB"),
           0, "voided");
    expect(run(PT ".db amend round V-1 --sigma-pt 0.6 --reason 'the "
                  "scheme says 0.6' --by bob",
               exe, build, tmp, "VB"),
           0, "amended");
    expect(run(PT ".db evaluate V-1 && " PT ".db close V-1", exe, build, tmp,
               "VB", exe, build, tmp, "VB"),
           0, "round V-1 is closed");
    expect(run(PT ".db scores --json", exe, build, tmp, "VB"), 0,
           "\"x_pt\": 9.075,");
    scores_of("VB.db", branch_scores, sizeof branch_scores);
    assert_non_null(strstr(branch_scores, "z = +0.54"));
    assert_null(strstr(branch_scores, "V-1            D  "));

    expect(run(PT ".db sync export --site vb --out %s/VB2.changeset", exe,
               build, tmp, "VB", tmp),
           0, NULL);
    expect(run(PT " sync apply %s/VB2.changeset", exe, build, tmp, "vhq.db",
               tmp),
           0, "0 conflicts");
    expect(run(PT " evaluate --all", exe, build, tmp, "vhq.db"), 0,
           "4 scores");
    scores_of("vhq.db", hq_scores, sizeof hq_scores);
    assert_string_equal(hq_scores, branch_scores);

    /* who, when and why, in headquarters' own record and audit log */
    expect(run("sqlite3 %s/vhq.db \"SELECT v.voided_by, v.reason, v.at = "
               "(SELECT at FROM voided WHERE kind = 'result') FROM voided v "
               "JOIN result x ON x.id = v.row_id JOIN laboratory l ON l.id = "
               "x.lab_id WHERE l.code = 'D'; SELECT sigma_pt FROM "
               "round_measurand; SELECT status FROM round;\"",
               tmp),
           0, "ann|samples mixed up|1\n0.6\nclosed\n");
    expect(run("sqlite3 %s/VB.db \"SELECT at FROM voided\" > %s/at-b && "
               "sqlite3 %s/vhq.db \"SELECT at FROM voided\" | cmp - %s/at-b",
               tmp, tmp, tmp, tmp),
           0, NULL);
    expect(run(PT " history V-1", exe, build, tmp, "vhq.db"), 0,
           "amended at vb on");
    has("the scheme says 0.6 (by bob)");
    has("samples mixed up (by ann)");
    expect(run(PT " verify", exe, build, tmp, "vhq.db"), 0,
           "audit log intact");

    /* the same file again adds nothing; a void already here is no error */
    dump_all("vhq.db");
    snprintf(before, sizeof before, "%s", out);
    expect(run(PT " sync apply %s/VB2.changeset", exe, build, tmp, "vhq.db",
               tmp),
           0, ": 0 added");
    has("0 conflicts");
    expect(run(PT " sync apply %s/VB1.changeset", exe, build, tmp, "vhq.db",
               tmp),
           0, NULL);
    dump_all("vhq.db");
    assert_string_equal(out, before);
    scores_of("vhq.db", hq_scores, sizeof hq_scores);
    assert_string_equal(hq_scores, branch_scores);
    expect(run(PT " verify", exe, build, tmp, "vhq.db"), 0,
           "audit log intact");

    /* a laboratory renamed, and the round reopened and left open there */
    expect(run(PT ".db amend lab A --name 'Laboratory A' --reason 'its new "
                  "name' && " PT ".db reopen V-1 --reason 'one more look'",
               exe, build, tmp, "VB", exe, build, tmp, "VB"),
           0, NULL);
    expect(run(PT ".db sync export --site vb --out %s/VB3.changeset", exe,
               build, tmp, "VB", tmp),
           0, NULL);
    expect(run(PT " sync apply %s/VB3.changeset", exe, build, tmp, "vhq.db",
               tmp),
           0, "0 conflicts");
    expect(run("sqlite3 %s/vhq.db \"SELECT name FROM laboratory WHERE code "
               "= 'A'; SELECT status FROM round\"",
               tmp),
           0, "Laboratory A\nopen\n");
    expect(run(PT " history V-1", exe, build, tmp, "vhq.db"), 0,
           "one more look");
    expect(run(PT " verify", exe, build, tmp, "vhq.db"), 0,
           "audit log intact");
}

/* --since carries a void with its round only: a void of a result in an
 * earlier round stays at the branch, one in a round carried goes in. */
static void a_void_travels_with_its_round(void **state)
{
    (void)state;
    /* only the later round reaches headquarters ... */
    expect(run(PT ".db sync export --since 2025-04-15 --out %s/TCL.changeset",
               exe, build, tmp, "TC", tmp),
           0, NULL);
    expect(run(PT " sync apply %s/TCL.changeset", exe, build, tmp, "lack.db",
               tmp),
           0, NULL);
    /* ... and the branch voids a result of the earlier one, then amends
     * it and sends only that round's settings: headquarters lacks both */
    expect(run("cp %s/TC.db %s/TCV.db", tmp, tmp), 0, NULL);
    expect(run(PT ".db void result S-TC-1/TC-BR/sulfur --reason 'wrong "
                  "sample'",
               exe, build, tmp, "TCV"),
           0, "voided");
    expect(run(PT ".db sync export --since 2025-03-01 --out %s/TCV.changeset",
               exe, build, tmp, "TCV", tmp),
           0, NULL);
    expect(run(PT ".db sync export --since 2025-04-15 --out %s/TCV2.changeset",
               exe, build, tmp, "TCV", tmp),
           0, NULL);
    /* with its round, the void goes in */
    expect(run("cp %s/lack.db %s/lack2.db", tmp, tmp), 0, NULL);
    expect(run(PT " sync apply %s/TCV.changeset", exe, build, tmp, "lack2.db",
               tmp),
           0, NULL);
    expect(run("sqlite3 %s/lack2.db \"SELECT count(*) FROM voided\"", tmp), 0,
           "1\n");
    /* the export of the later rounds carries neither the round nor the
     * void: nothing is refused, nothing voided */
    expect(run(PT " sync apply %s/TCV2.changeset", exe, build, tmp, "lack.db",
               tmp),
           0, NULL);
    expect(run("sqlite3 %s/lack.db \"SELECT count(*) FROM voided\"", tmp), 0,
           "0\n");
}

static void a_file_that_is_not_a_changeset_is_refused(void **state)
{
    (void)state;
    write_file("junk.changeset", "round,lab\n");
    expect(
        run(PT " sync apply %s/junk.changeset", exe, build, tmp, "hq.db", tmp),
        1, "not a ptlims changeset");
    expect(
        run(PT " sync apply %s/none.changeset", exe, build, tmp, "hq.db", tmp),
        1, "cannot open");
    expect(run(PT " sync frob", exe, build, tmp, "hq.db"), 1, "unknown action");
    expect(run(PT " sync --help", exe, build, tmp, "hq.db"), 0,
           "usage: ptlims");
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(three_branches_merge_into_headquarters),
        cmocka_unit_test(applying_again_changes_nothing),
        cmocka_unit_test(all_or_nothing_applies_nothing_on_conflict),
        cmocka_unit_test(since_keeps_the_later_rounds),
        cmocka_unit_test(conditions_and_a_closed_round_arrive_intact),
        cmocka_unit_test(voids_and_amendments_reach_headquarters),
        cmocka_unit_test(a_void_travels_with_its_round),
        cmocka_unit_test(a_file_that_is_not_a_changeset_is_refused),
    };

    snprintf(build, sizeof build, "%s", b && *b ? b : "build");
    snprintf(exe, sizeof exe, "%s %s/ptlims",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "", build);
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-sync-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, setup, NULL);
    run("rm -rf %s", tmp);
    return failed;
}
