/*
 * test_tamper.c -- tamper evidence, closed rounds and corrections, through
 * the real ptlims command.
 *
 * A change made outside ptlims -- a result edited, removed or added with
 * the sqlite3 C API, an audit entry deleted or rewritten, an entry written
 * with a forged hash, a seal added -- is named by `ptlims verify` (round,
 * row id or entry id).  A closed round refuses new results, evaluations,
 * corrections and any change of its rows; a correction is version n+1 with
 * its reason and its conditions, and the evaluation uses it.
 */
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "itest.h"
#include "pt_sqlfn.h"
#include "pt_sha256.h"

static char prepared[512];

#define PT "%s --db %s"

static int setup(void **state)
{
    (void)state;
    snprintf(prepared, sizeof prepared, "%s/prepared.db", it_tmp());
    it_expect(it_run(PT " import fixtures/laboratories.csv fixtures/rounds.csv "
                     "fixtures/results-s-2025-bilateral.csv "
                     "fixtures/results-s-2025-pt.csv",
                  it_ptlims(), prepared),
           0, NULL);
    it_expect(it_run(PT " evaluate S-2025-BIL1", it_ptlims(), prepared), 0,
           NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    it_cleanup();
    return 0;
}

/* A fresh copy of the prepared database named `name`. */
static const char *copy_of(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", it_tmp(), name);
    it_copy(prepared, path);
    return path;
}

/* Run SQL on a plain connection (no ptlims functions); SQLite's status. */
static int raw_exec(const char *db, const char *sql, char *msg, size_t len)
{
    sqlite3 *c;
    char *e = NULL;
    int rc;

    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    rc = sqlite3_exec(c, sql, NULL, NULL, &e);
    if (msg)
        snprintf(msg, len, "%s", e ? e : "");
    sqlite3_free(e);
    sqlite3_close(c);
    return rc;
}

static long long tc_br_pt_result(const char *db)
{
    return it_query_int(db, "SELECT r.id FROM result r JOIN laboratory l ON "
                            "l.id = r.lab_id JOIN round o ON o.id = "
                            "r.round_id WHERE o.code = 'S-2025-PT1' AND "
                            "l.code = 'TC-BR' AND r.version = 1");
}

static void an_untouched_record_verifies(void **state)
{
    (void)state;
    it_expect(it_run(PT " verify", it_ptlims(), prepared), 0,
           "audit log intact");
    it_expect(it_run(PT " verify --json", it_ptlims(), prepared), 0,
           "\"intact\": true");
}

static void a_result_changed_outside_ptlims_is_named(void **state)
{
    const char *db = copy_of("plain.db");
    long long id = tc_br_pt_result(db);
    char sql[256], want[256];

    (void)state;
    snprintf(sql, sizeof sql,
             "UPDATE result SET value_text = '8.6', value = 8.6 WHERE id = "
             "%lld",
             id);
    assert_int_equal(raw_exec(db, sql, NULL, 0), SQLITE_OK);
    snprintf(want, sizeof want,
             "round S-2025-PT1: result row %lld was changed outside ptlims "
             "after audit log entry ",
             id);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1, want);
}

static void rows_removed_and_added_outside_ptlims_are_named(void **state)
{
    const char *db = copy_of("edited.db");
    long long id = tc_br_pt_result(db), added;
    char sql[1024], want[256];

    (void)state;
    snprintf(sql, sizeof sql,
             "DELETE FROM result_warning WHERE result_id = %lld; "
             "DELETE FROM conformity WHERE result_id = %lld; "
             "DELETE FROM result_condition WHERE result_id = %lld; "
             "DELETE FROM result WHERE id = %lld; "
             "INSERT INTO result (round_id, lab_id, measurand, item, "
             "value_text, unit_text, value) SELECT round_id, lab_id, "
             "measurand, 'X-1', '1', unit_text, 1 FROM result "
             "WHERE round_id = (SELECT id FROM round WHERE code = "
             "'S-2025-BIL1') LIMIT 1",
             id, id, id, id);
    assert_int_equal(raw_exec(db, sql, NULL, 0), SQLITE_OK);
    added = it_query_int(db, "SELECT max(id) FROM result");
    snprintf(want, sizeof want,
             "round S-2025-PT1: result row %lld was removed outside ptlims",
             id);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1, want);
    snprintf(want, sizeof want,
             "round S-2025-BIL1: result row %lld was added outside ptlims",
             added);
    assert_non_null(strstr(it_out, want));
    /* evaluation reads the packs: both groups are named there too */
    assert_non_null(strstr(it_out, "round S-2025-PT1, sulfur, item PT-25-2: "
                                   "the packed results evaluation reads "
                                   "(result_pack) differ from the result "
                                   "rows"));
    assert_non_null(strstr(it_out, "round S-2025-BIL1, sulfur, item X-1: "
                                   "the packed results evaluation reads "
                                   "(result_pack) are missing"));
    /* the rows of the result's conformity, gone with it, too */
    assert_non_null(strstr(it_out, "table conformity was changed outside "
                                   "ptlims"));
    assert_non_null(strstr(it_out, "(and 4 more problems)"));
}

static void a_change_before_a_later_import_is_still_named(void **state)
{
    const char *db = copy_of("later.db");
    long long id = tc_br_pt_result(db);
    char sql[256], want[256], csv[600];
    FILE *f;

    (void)state;
    snprintf(sql, sizeof sql,
             "UPDATE result SET value_text = '8.6', value = 8.6 WHERE id = "
             "%lld",
             id);
    assert_int_equal(raw_exec(db, sql, NULL, 0), SQLITE_OK);
    /* ptlims adds a result to the same round: its seal extends the last
     * one, so the change made before it is not sealed over */
    snprintf(csv, sizeof csv, "%s/later.csv", it_tmp());
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("round,lab,measurand,item,value,unit\n"
          "S-2025-PT1,TC-BR,sulfur,PT-25-9,10.0,mg/kg\n",
          f);
    fclose(f);
    it_expect(it_run(PT " import %s", it_ptlims(), db, csv), 0, NULL);
    snprintf(want, sizeof want,
             "round S-2025-PT1: result row %lld was changed outside ptlims "
             "after audit log entry ",
             id);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1, want);
}

static void what_an_operation_replaces_stays_in_the_log(void **state)
{
    const char *db = copy_of("replaced.db");
    char csv[600];
    FILE *f;

    (void)state;
    /* evaluating again replaces the round's evaluation rows */
    it_expect(it_run(PT " evaluate S-2025-BIL1", it_ptlims(), db), 0, NULL);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM audit_log a JOIN evaluation "
                         "e ON e.round_id = (SELECT id FROM round WHERE "
                         "code = 'S-2025-BIL1') WHERE a.action = 'replace' "
                         "AND a.tbl = 'evaluation' AND a.row_data LIKE "
                         "'%\"item\":' || quote(e.item) || ',%' AND "
                         "a.row_data LIKE '%\"x_pt\":' || quote(e.x_pt) || "
                         "',%'"),
        2);
    /* a laboratories file that renames a laboratory */
    snprintf(csv, sizeof csv, "%s/renamed.csv", it_tmp());
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("lab,name,role\nKH-BR,Kaohsiung branch (renamed),branch\n", f);
    fclose(f);
    it_expect(it_run(PT " import %s", it_ptlims(), db, csv), 0, NULL);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM audit_log WHERE action = "
                         "'replace' AND tbl = 'laboratory' AND row_data "
                         "LIKE '%\"code\":''KH-BR''%' AND row_data NOT LIKE "
                         "'%renamed%'"),
        1);
    /* importing it again changes nothing and logs nothing more */
    it_expect(it_run(PT " import %s", it_ptlims(), db, csv), 0, NULL);
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM audit_log "
                                      "WHERE action = 'replace' AND tbl = "
                                      "'laboratory'"),
                     1);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "intact");
}

static void fake_sha256(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_text(ctx, "0000000000000000000000000000000000000000000000"
                             "000000000000000000",
                        64, SQLITE_STATIC);
}

static void an_entry_with_a_forged_hash_is_named(void **state)
{
    const char *db = copy_of("forged.db");
    long long entry;
    char want[128];
    sqlite3 *c;

    (void)state;
    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    /* the chain trigger's function (schema 009), forged */
    sqlite3_create_function_v2(c, "ptlims_chain", 2, SQLITE_UTF8, NULL,
                               fake_sha256, NULL, NULL, NULL);
    assert_int_equal(sqlite3_exec(c,
                                  "INSERT INTO audit_log (at, action, "
                                  "detail) VALUES ('2026-01-01T00:00:00Z', "
                                  "'import', 'nothing to see')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(c);
    entry = it_query_int(db, "SELECT max(id) FROM audit_log");
    snprintf(want, sizeof want, "audit log entry %lld (", entry);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1, want);
    assert_non_null(strstr(it_out, "does not match its hash"));
}

static void a_seal_added_outside_ptlims_is_named(void **state)
{
    const char *db = copy_of("reseal.db");
    long long entry;
    char want[128];

    (void)state;
    assert_int_equal(
        raw_exec(db,
                 "INSERT INTO seal (audit_id, part, round_id, rows, digest, "
                 "row_hashes) SELECT audit_id, part, round_id, rows, digest, "
                 "row_hashes FROM seal WHERE part = 'result' "
                 "ORDER BY id DESC LIMIT 1",
                 NULL, 0),
        SQLITE_OK);
    entry = it_query_int(db, "SELECT audit_id FROM seal ORDER BY id DESC "
                             "LIMIT 1");
    snprintf(want, sizeof want, "the seals of audit log entry %lld were ",
             entry);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1, want);
}

static void a_deleted_audit_entry_is_named(void **state)
{
    const char *db = copy_of("deleted.db");
    long long gone = it_query_int(db, "SELECT max(id) - 1 FROM audit_log");
    char sql[256], want[160];

    (void)state;
    snprintf(sql, sizeof sql,
             "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE "
             "id = %lld",
             gone);
    assert_int_equal(raw_exec(db, sql, NULL, 0), SQLITE_OK);
    snprintf(want, sizeof want,
             "audit log entry %lld is missing (removed): the chain breaks at "
             "entry %lld",
             gone, gone + 1);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1, want);
    assert_non_null(strstr(it_out, "trigger audit_log_no_delete is missing"));
}

static void a_rewritten_audit_entry_is_named(void **state)
{
    const char *db = copy_of("rewritten.db");

    (void)state;
    assert_int_equal(raw_exec(db,
                              "DROP TRIGGER audit_log_no_update; UPDATE "
                              "audit_log SET detail = 'nothing happened' "
                              "WHERE id = 3",
                              NULL, 0),
                     SQLITE_OK);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1, "audit log entry 3 (");
    assert_non_null(strstr(it_out, "does not match its hash"));
}

static void the_audit_log_refuses_updates_and_deletes(void **state)
{
    const char *db = copy_of("append.db");
    char msg[256];

    (void)state;
    assert_int_not_equal(raw_exec(db, "UPDATE audit_log SET detail = 'x' "
                                      "WHERE id = 3",
                                  msg, sizeof msg),
                         SQLITE_OK);
    assert_non_null(strstr(msg, "append-only"));
    assert_int_not_equal(raw_exec(db, "DELETE FROM audit_log WHERE id = 3",
                                  msg, sizeof msg),
                         SQLITE_OK);
    assert_non_null(strstr(msg, "append-only"));
}

/* Run SQL on a connection that has ptlims's sha256, as a ptlims code path
 * would: only the closed-round triggers can stop it. */
static int trusted_exec(const char *db, const char *sql, char *msg,
                        size_t len)
{
    sqlite3 *c;
    char *e = NULL;
    int rc;

    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    assert_int_equal(pt_sqlfn_register(c), SQLITE_OK);
    sqlite3_exec(c, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    assert_int_equal(
        sqlite3_create_function_v2(c, "sha256", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                   fake_sha256, NULL, NULL, NULL),
        SQLITE_OK);
    rc = sqlite3_exec(c, sql, NULL, NULL, &e);
    snprintf(msg, len, "%s", e ? e : "");
    sqlite3_free(e);
    sqlite3_close(c);
    return rc;
}

static void a_closed_round_cannot_change(void **state)
{
    const char *db = copy_of("closed.db");
    static const char *const changes[] = {
        "UPDATE result SET value = 1 WHERE round_id = (SELECT id FROM round "
        "WHERE code = 'S-2025-BIL1')",
        "DELETE FROM result WHERE round_id = (SELECT id FROM round WHERE "
        "code = 'S-2025-BIL1')",
        "DELETE FROM evaluation",
        "UPDATE evaluation SET x_pt = 1",
        "UPDATE round_measurand SET sigma_pt = 1 WHERE round_id = (SELECT id "
        "FROM round WHERE code = 'S-2025-BIL1')",
        "UPDATE round SET status = 'open' WHERE code = 'S-2025-BIL1'",
        "DELETE FROM round WHERE code = 'S-2025-BIL1'",
    };
    char msg[256], csv[600];
    long long before;
    size_t i;
    FILE *f;

    (void)state;
    it_expect(it_run(PT " close S-2025-BIL1", it_ptlims(), db), 0,
           "round S-2025-BIL1 is closed");
    it_expect(it_run(PT " close S-2025-BIL1", it_ptlims(), db), 1,
           "already closed");
    it_expect(it_run(PT " close NO-SUCH", it_ptlims(), db), 1,
           "unknown round \"NO-SUCH\"");
    it_expect(it_run(PT " evaluate S-2025-BIL1", it_ptlims(), db), 1,
           "is closed");
    it_expect(it_run(PT " correct --round S-2025-BIL1 --lab TC-BR --measurand "
                     "sulfur --item FO-1 --value 4400 --unit mg/kg "
                     "--reason typo",
                  it_ptlims(), db),
           1, "round S-2025-BIL1 is closed");
    snprintf(csv, sizeof csv, "%s/late.csv", it_tmp());
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("round,lab,measurand,item,value,unit\n"
          "S-2025-BIL1,KH-BR,sulfur,FO-1,4470,mg/kg\n",
          f);
    fclose(f);
    it_expect(it_run(PT " import %s", it_ptlims(), db, csv), 1,
           "late.csv:2:1: round S-2025-BIL1 is closed");
    before = it_query_int(db, "SELECT count(*) FROM audit_log");
    for (i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        if (trusted_exec(db, changes[i], msg, sizeof msg) == SQLITE_OK)
            fail_msg("allowed on a closed round: %s", changes[i]);
        if (!strstr(msg, "round is closed"))
            fail_msg("%s: %s", changes[i], msg);
    }
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM audit_log"),
                     before);
    /* scores are computed from the evaluation: there is nothing to edit */
    assert_int_not_equal(trusted_exec(db, "UPDATE score SET z = 0", msg,
                                      sizeof msg),
                         SQLITE_OK);
    assert_non_null(strstr(msg, "view"));
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "intact");
}

static void a_correction_is_a_new_version_with_its_reason(void **state)
{
    const char *db = copy_of("corrected.db");
    long long v3;

    (void)state;
    it_expect(it_run(PT " correct --round S-2025-PT1 --lab TC-BR --measurand "
                     "sulfur --item PT-25-2 --value 10.6 --unit mg/kg",
                  it_ptlims(), db),
           1, "--reason");
    it_expect(it_run(PT " correct --round S-2025-PT1 --lab TC-BR --measurand "
                     "sulfur --item PT-25-2 --value 1,06 --unit mg/kg "
                     "--reason x",
                  it_ptlims(), db),
           1, "decimal comma");
    it_expect(it_run(PT " correct --round S-2025-PT1 --lab TC-BR --measurand "
                     "sulfur --item PT-25-2 --value 10.2 --unit mg/kg "
                     "--U 1.2 --reason \"transcription error in the "
                     "report\"",
                  it_ptlims(), db),
           0, "version 2 recorded");
    /* a U is in its result's unit: kept while the unit stays, asked for
     * when it changes */
    it_expect(it_run(PT " correct --round S-2025-PT1 --lab TC-BR --measurand "
                     "sulfur --item PT-25-2 --value 0.00098 --unit \"%% m/m\" "
                     "--reason \"unit was wrong in version 2\"",
                  it_ptlims(), db),
           1, "give --U in % m/m");
    it_expect(it_run(PT " correct --round S-2025-PT1 --lab TC-BR --measurand "
                     "sulfur --item PT-25-2 --value 0.00098 --unit \"%% m/m\" "
                     "--U 0.00012 --reason \"unit was wrong in version 2\"",
                  it_ptlims(), db),
           0, "version 3 recorded");
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM result r JOIN laboratory l "
                         "ON l.id = r.lab_id WHERE l.code = 'TC-BR' AND "
                         "r.item = 'PT-25-2'"),
        3);
    v3 = it_query_int(db, "SELECT id FROM result WHERE version = 3 AND "
                          "reason = 'unit was wrong in version 2' AND "
                          "value_text = '0.00098' AND unit_text = '% m/m' "
                          "AND abs(value - 9.8) < 1e-12");
    it_expect(it_run(PT " evaluate S-2025-PT1", it_ptlims(), db), 0, NULL);
    /* the evaluation scores the latest version only */
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM score s JOIN result r ON "
                         "r.id = s.result_id JOIN laboratory l ON l.id = "
                         "r.lab_id WHERE l.code = 'TC-BR' AND r.item = "
                         "'PT-25-2'"),
        1);
    {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM score WHERE result_id = %lld", v3);
        assert_int_equal(it_query_int(db, sql), 1);
    }
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM audit_log WHERE action = "
                         "'correct' AND detail LIKE '%version 2 -> 3%'"),
        1);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "intact");
}

/* A later import merges its results into the groups' packs; a pack
 * changed outside ptlims is named by verify and refused by evaluate. */
static void packs_follow_imports_and_refuse_changes(void **state)
{
    const char *db = copy_of("packed.db");
    char csv[600], msg[256];
    FILE *f;

    (void)state;
    snprintf(csv, sizeof csv, "%s/more.csv", it_tmp());
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("round,lab,measurand,item,value,unit\n"
          "S-2025-PT1,L27,sulfur,PT-25-2,8.4,mg/kg\n"
          "S-2025-PT1,KH-BR,sulfur,PT-25-2,8.2,mg/kg\n",
          f);
    fclose(f);
    it_expect(it_run(PT " import %s", it_ptlims(), db, csv), 0, NULL);
    assert_int_equal(it_query_int(db, "SELECT n FROM result_pack WHERE "
                                      "item = 'PT-25-2'"),
                     36);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "intact");
    it_expect(it_run(PT " evaluate S-2025-PT1", it_ptlims(), db), 0, NULL);
    assert_int_equal(it_query_int(db, "SELECT n FROM evaluation WHERE "
                                      "item = 'PT-25-2'"),
                     36);
    assert_int_equal(raw_exec(db,
                              "UPDATE result_pack SET data = "
                              "zeroblob(length(data)) WHERE item = "
                              "'PT-25-2'",
                              msg, sizeof msg),
                     SQLITE_OK);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1,
              "round S-2025-PT1, sulfur, item PT-25-2: the packed results "
              "evaluation reads (result_pack) differ from the result rows");
    it_expect(it_run(PT " evaluate S-2025-PT1", it_ptlims(), db), 1,
              "round S-2025-PT1, sulfur, item PT-25-2: its packed results "
              "(result_pack) are damaged");
}

/* Evaluating many rounds at once seals them in one sweep of the table
 * (pt_seal.c): the seals must be those a round-by-round read gives, which
 * is what verify computes. */
static void many_rounds_sealed_in_one_sweep_verify(void **state)
{
    const char *db = copy_of("many.db");
    char rounds[600], results[600];
    FILE *r, *x;
    int i, k;

    (void)state;
    snprintf(rounds, sizeof rounds, "%s/many-rounds.csv", it_tmp());
    snprintf(results, sizeof results, "%s/many-results.csv", it_tmp());
    r = fopen(rounds, "w");
    x = fopen(results, "w");
    assert_non_null(r);
    assert_non_null(x);
    fputs("round,scheme,measurand,type,matrix,title,provider,opened,"
          "reference_lab,sigma_pt\n",
          r);
    fputs("round,lab,measurand,item,value,unit\n", x);
    for (i = 0; i < 80; i++) {
        fprintf(r, "M-%03d,fuel-sulfur,sulfur,pt,diesel,Round %d,P,"
                   "2024-01-%02d,OIL-REF,0.8\n",
                i, i, i % 28 + 1);
        for (k = 1; k <= 12; k++)
            fprintf(x, "M-%03d,L%02d,sulfur,1,%d.%d,mg/kg\n", i, k,
                    8 + k % 3, (i + k) % 10);
    }
    fclose(r);
    fclose(x);
    it_expect(it_run(PT " import %s %s", it_ptlims(), db, rounds, results), 0,
              NULL);
    it_expect(it_run(PT " evaluate --all", it_ptlims(), db), 0, NULL);
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM evaluation e "
                                      "JOIN round r ON r.id = e.round_id "
                                      "WHERE r.code LIKE 'M-%'"),
                     80);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "intact");
    /* again: the earlier evaluations are replaced and logged */
    it_expect(it_run(PT " evaluate --all", it_ptlims(), db), 0, NULL);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "intact");
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM audit_log WHERE "
                                      "action = 'replace' AND tbl = "
                                      "'evaluation' AND detail LIKE "
                                      "'% of round M-%'"),
                     80);
}

static void a_database_from_before_the_chain_gets_a_baseline(void **state)
{
    static const char *const before[] = {"schemas/001_init.sql",
                                         "schemas/002_methods_limits.sql",
                                         "schemas/003_plan_capa.sql"};
    char db[600];
    sqlite3 *c;
    size_t i;

    (void)state;
    snprintf(db, sizeof db, "%s/old.db", it_tmp());
    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    for (i = 0; i < sizeof before / sizeof before[0]; i++) {
        char *sql = it_slurp(before[i]);
        assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
        free(sql);
    }
    assert_int_equal(
        sqlite3_exec(c,
                     "PRAGMA user_version = 3;"
                     "INSERT INTO audit_log (at, action, detail) VALUES "
                     "('2025-01-01T00:00:00Z', 'migrate', 'schema 0 -> 3');"
                     "INSERT INTO laboratory (code, name, role) VALUES "
                     "('OLD-1', 'An old laboratory', 'external');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(c);
    it_expect(it_run(PT " init", it_ptlims(), db), 0, "ready");
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM audit_log WHERE action = "
                         "'baseline' AND tbl = 'laboratory'"),
        1);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM audit_log WHERE hash IS "
                         "NULL"),
        0);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "intact");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_untouched_record_verifies),
        cmocka_unit_test(a_result_changed_outside_ptlims_is_named),
        cmocka_unit_test(rows_removed_and_added_outside_ptlims_are_named),
        cmocka_unit_test(a_change_before_a_later_import_is_still_named),
        cmocka_unit_test(what_an_operation_replaces_stays_in_the_log),
        cmocka_unit_test(an_entry_with_a_forged_hash_is_named),
        cmocka_unit_test(a_seal_added_outside_ptlims_is_named),
        cmocka_unit_test(a_deleted_audit_entry_is_named),
        cmocka_unit_test(a_rewritten_audit_entry_is_named),
        cmocka_unit_test(the_audit_log_refuses_updates_and_deletes),
        cmocka_unit_test(a_closed_round_cannot_change),
        cmocka_unit_test(a_correction_is_a_new_version_with_its_reason),
        cmocka_unit_test(packs_follow_imports_and_refuse_changes),
        cmocka_unit_test(many_rounds_sealed_in_one_sweep_verify),
        cmocka_unit_test(a_database_from_before_the_chain_gets_a_baseline),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
