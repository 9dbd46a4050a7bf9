/*
 * test_migrate.c -- a database written by the schema-004 ptlims (stored
 * score rows, per-row audit log) opened by this one.
 *
 * fixtures/db/schema-004.sql is the dump of such a database (see
 * fixtures/README.md): a bilateral round scored by En and closed, a PT
 * round scored by z, a correction made after the evaluation.  After
 * migration the view `score` must give every stored score and verdict
 * again, the correction stays unscored until the round is evaluated
 * again, the whole record verifies, and a change made afterwards outside
 * ptlims is named.  Schema 008 judges every result again under the
 * current method data and keeps what it replaces.
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
#include "pt_schema.h"

#define PT "%s --db %s"

/* The schema-004 database, with its stored scores kept aside. */
static const char *old_database(const char *name)
{
    static char db[600];
    char *sql = it_slurp("fixtures/db/schema-004.sql");
    sqlite3 *c;

    snprintf(db, sizeof db, "%s/%s", it_tmp(), name);
    remove(db);
    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c,
                                  "CREATE TABLE stored AS SELECT * FROM "
                                  "score",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(c);
    free(sql);
    return db;
}

/* ulp-level agreement of two nullable reals, in SQL */
#define SAME(c)                                                              \
    "(s." c " IS NULL AND b." c " IS NULL OR abs(s." c " - b." c             \
    ") <= 1e-13 * abs(b." c "))"

static void stored_scores_come_back_from_the_view(void **state)
{
    const char *db = old_database("scores.db");

    (void)state;
    assert_int_equal(it_query_int(db, "PRAGMA user_version"), 4);
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM stored"), 38);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "audit log intact");
    assert_int_equal(it_query_int(db, "PRAGMA user_version"),
                     pt_schema_version);
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM score"), 38);
    /* every group's results packed, every version of them */
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM (SELECT DISTINCT "
                                      "round_id, measurand, item FROM "
                                      "result)"),
                     it_query_int(db, "SELECT count(*) FROM result_pack"));
    assert_int_equal(it_query_int(db, "SELECT sum(n) FROM result_pack"),
                     it_query_int(db, "SELECT count(*) FROM result"));
    assert_int_equal(
        it_query_int(db,
                     "SELECT count(*) FROM stored b LEFT JOIN score s ON "
                     "s.result_id = b.result_id AND s.evaluation_id = "
                     "b.evaluation_id WHERE s.result_id IS NULL OR NOT (" SAME(
                         "D") " AND " SAME("D_pct") " AND " SAME("z") " AND " SAME("z_prime") " AND " SAME("zeta") " AND " SAME("En") ") OR s.primary_score IS NOT b.primary_score OR "
                     "s.verdict IS NOT b.verdict"),
        0);
    /* verdicts by En (bilateral) and by z (PT), and unscored references */
    assert_int_equal(it_query_int(db, "SELECT count(DISTINCT primary_score) "
                                      "FROM score WHERE primary_score IN "
                                      "('En', 'z')"),
                     2);
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM score WHERE "
                                      "verdict = 'not scored'"),
                     2);
    /* the correction (version 2) waits for the next evaluation */
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM score s JOIN "
                                      "result r ON r.id = s.result_id "
                                      "WHERE r.version = 2"),
                     0);
    it_expect(it_run(PT " evaluate S-2025-PT1", it_ptlims(), db), 0, NULL);
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM score s JOIN "
                                      "result r ON r.id = s.result_id "
                                      "WHERE r.version = 2"),
                     1);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "audit log intact");
}

static void the_migrated_record_is_sealed(void **state)
{
    const char *db = old_database("sealed.db");
    char msg[256];
    sqlite3 *c;
    char *e = NULL;

    (void)state;
    it_expect(it_run(PT " init", it_ptlims(), db), 0, NULL);
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM audit_log "
                                      "WHERE action = 'seal' AND detail "
                                      "LIKE 'baseline%'"),
                     1);
    /* the closed round stayed closed through the migration */
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM round WHERE "
                                      "code = 'S-2025-BIL1' AND status = "
                                      "'closed'"),
                     1);
    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c,
                                  "UPDATE evaluation SET x_pt = x_pt + 1 "
                                  "WHERE round_id = (SELECT id FROM round "
                                  "WHERE code = 'S-2025-PT1')",
                                  NULL, NULL, &e),
                     SQLITE_OK);
    sqlite3_free(e);
    sqlite3_close(c);
    snprintf(msg, sizeof msg, "round S-2025-PT1: evaluation row ");
    it_expect(it_run(PT " verify", it_ptlims(), db), 1, msg);
    assert_non_null(strstr(it_out, "was changed outside ptlims"));
}

/* Schema 007 rebuilds the conformity table and schema 008 judges every
 * result again: each row comes through either as it was or, when the new
 * method data change it, kept in conformity_history; the check still
 * refuses a verdict it does not know. */
static void conformity_rows_survive_the_rebuild(void **state)
{
    const char *db = old_database("conformity.db");
    sqlite3 *c;

    (void)state;
    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c,
                                  "CREATE TABLE kept AS SELECT * FROM "
                                  "conformity",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(c);
    assert_true(it_query_int(db, "SELECT count(*) FROM kept") > 0);
    it_expect(it_run(PT " init", it_ptlims(), db), 0, NULL);
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM conformity"),
                     it_query_int(db, "SELECT count(*) FROM kept"));
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM (SELECT * FROM kept EXCEPT "
                         "SELECT result_id, limit_id, limit_value, "
                         "threshold, verdict, near_limit, rule FROM "
                         "conformity EXCEPT SELECT result_id, limit_id, "
                         "limit_value, threshold, verdict, near_limit, rule "
                         "FROM conformity_history)"),
        0);
    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c,
                                  "UPDATE conformity SET verdict = "
                                  "'conformed' WHERE result_id = (SELECT "
                                  "min(result_id) FROM conformity)",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    assert_int_equal(sqlite3_exec(c,
                                  "UPDATE conformity SET verdict = "
                                  "'does not conform' WHERE result_id = "
                                  "(SELECT min(result_id) FROM conformity)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(c);
}

/* Schema 008: every result judged under the older method data is judged
 * again once; each changed judgement has a "rejudge" audit entry naming
 * the result and saying what changed, its former row stays in the
 * append-only history, and the record still verifies. */
static void results_judged_again_keep_their_history(void **state)
{
    const char *db = old_database("rejudge.db");
    sqlite3 *c;

    (void)state;
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "audit log intact");
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM "
                                      "conformity_pending"),
                     0);
    /* the four fuel-oil results by ASTM D4294-21: its own edition gives
     * no R, so the older edition's is used, and the result says so */
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM conformity_history h JOIN "
                         "result r ON r.id = h.result_id WHERE r.method = "
                         "'ASTM D4294-21' AND h.rule LIKE '%R of ASTM "
                         "D4294)%'"),
        4);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM conformity c JOIN result r "
                         "ON r.id = c.result_id WHERE r.method = 'ASTM "
                         "D4294-21' AND c.rule LIKE '%R of ASTM D4294 "
                         "(older edition), general row: ASTM D4294-21 gives "
                         "no R equation%'"),
        4);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM result_warning w JOIN result "
                         "r ON r.id = w.result_id WHERE r.method = 'ASTM "
                         "D4294-21' AND w.message LIKE 'R of ASTM D4294 "
                         "(older edition)%'"),
        4);
    /* one audit entry per history row, naming its result */
    assert_true(it_query_int(db, "SELECT count(*) FROM conformity_history") >=
                4);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM conformity_history h LEFT "
                         "JOIN audit_log a ON a.id = h.audit_id WHERE "
                         "a.action IS NOT 'rejudge' OR a.detail NOT LIKE "
                         "'result ' || h.result_id || ' (%'"),
        0);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM audit_log WHERE action = "
                         "'rejudge' AND detail LIKE 'result %'"),
        it_query_int(db, "SELECT count(*) FROM conformity_history"));
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM audit_log WHERE action = "
                         "'rejudge' AND detail LIKE 'result 1 (%' AND "
                         "detail LIKE '%rule \"%' AND detail LIKE "
                         "'%warning \"R of ASTM D4294 (older edition)%'"),
        1);
    /* opened again: nothing more to judge, nothing logged twice */
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "audit log intact");
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM audit_log WHERE action = "
                         "'rejudge' AND detail LIKE 'result %'"),
        it_query_int(db, "SELECT count(*) FROM conformity_history"));
    /* the history cannot be rewritten */
    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(c,
                                      "UPDATE conformity_history SET "
                                      "verdict = 'conforms'",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(c, "DELETE FROM conformity_history",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(c);
}

/* A limit edition added later as data, with a date in the past: the
 * results queued in conformity_pending are judged again by it at the
 * next command and logged; verify names the rows added outside ptlims. */
static void a_limit_added_later_judges_queued_results_again(void **state)
{
    const char *db = old_database("limit.db");
    long long before, queued;
    sqlite3 *c;

    (void)state;
    it_expect(it_run(PT " init", it_ptlims(), db), 0, NULL);
    before = it_query_int(db, "SELECT count(*) FROM conformity_history");
    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(c,
                     "INSERT INTO limit_spec (scheme, measurand, category, "
                     "value, unit, standard, edition, effective_from, "
                     "status, source) VALUES ('fuel-sulfur', 'sulfur', "
                     "'diesel', 8, 'mg/kg', 'test limit', '2025', "
                     "'2025-01-01', 'unverified', 'a test edition'); "
                     "INSERT INTO conformity_pending (result_id) SELECT "
                     "c.result_id FROM conformity c JOIN limit_spec l ON "
                     "l.id = c.limit_id WHERE l.category = 'diesel'",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(c);
    queued = it_query_int(db, "SELECT count(*) FROM conformity_pending");
    assert_true(queued > 0);
    it_expect(it_run(PT " init", it_ptlims(), db), 0, NULL);
    /* a row added outside ptlims is named by verify (schema 009) */
    it_expect(it_run(PT " verify", it_ptlims(), db), 1,
              "table limit_spec was changed outside ptlims");
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM "
                                      "conformity_pending"),
                     0);
    /* every queued result tested in 2025 is now judged against 8 mg/kg,
     * its judgement against 10 mg/kg kept */
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM conformity c JOIN limit_spec "
                         "l ON l.id = c.limit_id WHERE l.category = 'diesel' "
                         "AND c.limit_value = 10"),
        0);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM conformity_history") - before,
        queued);
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM conformity_history h JOIN "
                         "audit_log a ON a.id = h.audit_id WHERE "
                         "h.limit_value = 10 AND a.action = 'rejudge' AND "
                         "a.detail LIKE '%; limit 10 -> 8;%'"),
        queued);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stored_scores_come_back_from_the_view),
        cmocka_unit_test(the_migrated_record_is_sealed),
        cmocka_unit_test(conformity_rows_survive_the_rebuild),
        cmocka_unit_test(results_judged_again_keep_their_history),
        cmocka_unit_test(a_limit_added_later_judges_queued_results_again),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    it_cleanup();
    return rc;
}
