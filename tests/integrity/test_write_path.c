/*
 * test_write_path.c -- every write of a result goes through one path
 * (engine/ingest/pt_write.c): an imported row, a correction and a record
 * applied from another site are checked the same way and leave the same
 * things behind (conformity, pack, seal).
 */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "itest.h"

#define PT "%s --db %s"

static char prepared[600];

static int setup(void **state)
{
    (void)state;
    snprintf(prepared, sizeof prepared, "%s/prepared.db", it_tmp());
    it_expect(it_run(PT " import fixtures/laboratories.csv fixtures/rounds.csv "
                        "fixtures/results-s-2025-bilateral.csv",
                     it_ptlims(), prepared),
              0, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    it_cleanup();
    return 0;
}

static const char *copy_of(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", it_tmp(), name);
    it_copy(prepared, path);
    return path;
}

#define FO1                                                                    \
    "FROM result r JOIN round o ON o.id = r.round_id JOIN laboratory l ON "    \
    "l.id = r.lab_id WHERE o.code = 'S-2025-BIL1' AND l.code = 'TC-BR' AND "   \
    "r.item = 'FO-1'"

/* Every result has its conformity row, and verify finds every pack and
 * seal in place. */
static void expect_invariants(const char *db)
{
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM result r WHERE "
                                      "NOT EXISTS (SELECT 1 FROM conformity "
                                      "c WHERE c.result_id = r.id)"),
                     0);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "intact");
}

/* The corrected FO-1 keeps its verdict against the fuel-oil limit: before
 * the one write path, a correction lost it ("not assessed", no limit). */
static void a_corrected_result_keeps_its_conformity(void **state)
{
    const char *db = copy_of("corrected.db");

    (void)state;
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM conformity c "
                                      "JOIN result r ON r.id = c.result_id "
                                      "WHERE c.verdict = 'conforms' AND "
                                      "c.limit_value = 5000 AND r.id IN "
                                      "(SELECT r.id " FO1 ")"),
                     1);
    it_expect(it_run(PT " correct --round S-2025-BIL1 --lab TC-BR --measurand "
                        "sulfur --item FO-1 --value 0.461 --unit \"%% m/m\" "
                        "--U 0.012 --reason \"transcription\"",
                     it_ptlims(), db),
              0, "version 2 recorded");
    it_expect(it_run(PT " evaluate S-2025-BIL1", it_ptlims(), db), 0, NULL);
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM conformity c "
                                      "JOIN result r ON r.id = c.result_id "
                                      "WHERE c.verdict = 'conforms' AND "
                                      "c.limit_value = 5000 AND r.id IN "
                                      "(SELECT r.id " FO1
                                      " AND r.version = 2)"),
                     1);
    expect_invariants(db);
}

/* A correction keeps what it is not told to change: U and k (in the same
 * unit), method, instrument, analyst, test date and conditions. */
static void a_correction_keeps_the_fields_it_does_not_change(void **state)
{
    const char *db = copy_of("kept.db");

    (void)state;
    it_expect(it_run(PT " correct --round S-2025-BIL1 --lab TC-BR --measurand "
                        "sulfur --item FO-1 --value 4490 --unit mg/kg "
                        "--reason \"recalculated\"",
                     it_ptlims(), db),
              0, "version 2 recorded");
    assert_int_equal(
        it_query_int(db,
                     "SELECT count(*) FROM result a, result b WHERE a.id IN "
                     "(SELECT r.id " FO1 " AND r.version = 1) AND b.id IN "
                     "(SELECT r.id " FO1 " AND r.version = 2) AND "
                     "a.U_text IS b.U_text AND a.U IS b.U AND a.k IS b.k "
                     "AND a.method IS b.method AND a.instrument IS "
                     "b.instrument AND a.analyst IS b.analyst AND "
                     "a.tested_on IS b.tested_on AND b.value_text = '4490' "
                     "AND b.U_text = '150'"),
        1);
    expect_invariants(db);
}

/* A changeset of format 1 holding one result (and the origin record),
 * written with SQLite's session extension as a branch's ptlims would. */
static void write_changeset(const char *path, const char *value_text,
                            const char *unit, double value)
{
    sqlite3 *w;
    sqlite3_session *s;
    sqlite3_stmt *st;
    void *blob;
    int n;
    FILE *f;

    assert_int_equal(sqlite3_open(":memory:", &w), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(w,
                     "CREATE TABLE sync_origin (format INTEGER PRIMARY KEY, "
                     "site TEXT NOT NULL, exported_at TEXT NOT NULL, since "
                     "TEXT, schema_version INTEGER);"
                     "CREATE TABLE sync_result (round TEXT, lab TEXT, "
                     "measurand TEXT, item TEXT, version INTEGER, value_text, "
                     "unit_text, value, U_text, U, k, method, instrument, "
                     "analyst, tested_on, remarks, reason, source, PRIMARY "
                     "KEY (round, lab, measurand, item, version));",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3session_create(w, "main", &s), SQLITE_OK);
    assert_int_equal(sqlite3session_attach(s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(w,
                                  "INSERT INTO sync_origin VALUES (1, "
                                  "'Edited', '2026-01-01T00:00:00Z', NULL, "
                                  "7)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(w,
                           "INSERT INTO sync_result VALUES ('S-2025-BIL1', "
                           "'TC-BR', 'sulfur', 'FO-9', 1, ?1, ?2, ?3, NULL, "
                           "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                           "'edited.csv:2')",
                           -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, value_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 3, value);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3session_changeset(s, &n, &blob), SQLITE_OK);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(blob, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    sqlite3_free(blob);
    sqlite3session_delete(s);
    sqlite3_close(w);
}

/* A record no import would take is refused with the whole changeset; a
 * good one of the same shape is taken and written like an imported row. */
static void a_changeset_with_an_unchecked_row_is_refused_whole(void **state)
{
    static const struct {
        const char *text, *unit;
        double value;
        const char *words;
    } bad[] = {
        {"NaN", "furlongs", -1e300, "value"},
        {"9.8", "furlongs", 9.8, "unit \"furlongs\""},
        {"9.8", "mg/kg", 9.9, "does not match its text"},
    };
    const char *db = copy_of("hq.db");
    char cs[700], *before, *after;
    size_t i;

    (void)state;
    snprintf(cs, sizeof cs, "%s/edited.changeset", it_tmp());
    before = it_dump(db);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_changeset(cs, bad[i].text, bad[i].unit, bad[i].value);
        it_expect(it_run(PT " sync apply %s", it_ptlims(), db, cs), 1,
                  bad[i].words);
        assert_non_null(strstr(it_out, "nothing applied"));
        after = it_dump(db);
        assert_string_equal(before, after);
        free(after);
    }
    free(before);
    write_changeset(cs, "9.8", "mg/kg", 9.8);
    it_expect(it_run(PT " sync apply %s", it_ptlims(), db, cs), 0,
              "1 added");
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM conformity c "
                                      "JOIN result r ON r.id = c.result_id "
                                      "WHERE r.item = 'FO-9'"),
                     1);
    expect_invariants(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_corrected_result_keeps_its_conformity),
        cmocka_unit_test(a_correction_keeps_the_fields_it_does_not_change),
        cmocka_unit_test(a_changeset_with_an_unchecked_row_is_refused_whole),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
