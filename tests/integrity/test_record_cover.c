/*
 * test_record_cover.c -- verify covers everything the workbook is made
 * from (issue 17, class 7), and the paths around the record: exit statuses
 * for a file that is no database (class 9), report --out (class 8),
 * rollback detection with --expect-head, and sync of records changed
 * outside ptlims (class 6).
 *
 * A prepared database holds every fixture: laboratories, rounds, results
 * with conditions, evaluations, the plan and corrective actions.  Each
 * test changes a copy with a plain sqlite3 connection, as someone with the
 * sqlite3 shell would, and runs the real ptlims.
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"

static char prepared[512];

#define PT "%s --db %s"

static int setup(void **state)
{
    (void)state;
    snprintf(prepared, sizeof prepared, "%s/prepared.db", it_tmp());
    it_expect(it_run(PT " import fixtures/laboratories.csv fixtures/rounds.csv "
                        "fixtures/results-s-2025-bilateral.csv "
                        "fixtures/results-s-2025-pt.csv "
                        "fixtures/results-dh-2025-1.csv",
                     it_ptlims(), prepared),
              0, NULL);
    it_expect(it_run(PT " evaluate --all", it_ptlims(), prepared), 0, NULL);
    it_expect(it_run(PT " plan import fixtures/plan.csv", it_ptlims(),
                     prepared),
              0, NULL);
    it_expect(it_run(PT " capa import fixtures/capa.csv", it_ptlims(),
                     prepared),
              0, NULL);
    it_expect(it_run(PT " verify", it_ptlims(), prepared), 0,
              "audit log intact");
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

/* Run sql on db through a plain connection (no ptlims functions). */
static void raw_exec(const char *db, const char *sql)
{
    sqlite3 *c;
    char *e = NULL;

    assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
    if (sqlite3_exec(c, sql, NULL, NULL, &e) != SQLITE_OK)
        fail_msg("%s: %s", sql, e ? e : "?");
    sqlite3_free(e);
    sqlite3_close(c);
}

/* A change made with sqlite3 to `sql`'s table makes verify exit 1 and
 * name `words`. */
static void change_is_named(const char *name, const char *sql,
                            const char *words)
{
    const char *db = copy_of(name);

    raw_exec(db, sql);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1, words);
}

static void changes_to_every_table_are_named(void **state)
{
    (void)state;
    change_is_named("capa.db",
                    "UPDATE corrective_action SET closed = '2025-06-11' "
                    "WHERE closed IS NULL",
                    "table corrective_action was changed outside ptlims");
    change_is_named("plan.db", "UPDATE pt_plan SET per_year = 4 WHERE id = 1",
                    "table pt_plan was changed outside ptlims");
    change_is_named("plan-del.db", "DELETE FROM pt_plan WHERE id = 2",
                    "table pt_plan was changed outside ptlims: 4 rows, 5 "
                    "recorded");
    change_is_named("limits.db",
                    "UPDATE limit_spec SET value = value * 10",
                    "table limit_spec was changed outside ptlims");
    change_is_named("precision.db",
                    "UPDATE method_precision SET reprod_a = reprod_a / 2",
                    "table method_precision was changed outside ptlims");
    change_is_named("condition.db",
                    "UPDATE result_condition SET value = '1.00' WHERE "
                    "rowid = (SELECT min(rowid) FROM result_condition)",
                    "table result_condition was changed outside ptlims");
    change_is_named("conformity.db",
                    "UPDATE conformity SET verdict = 'conforms'",
                    "table conformity was changed outside ptlims");
    change_is_named("warning.db",
                    "INSERT INTO result_warning (result_id, message) "
                    "SELECT min(id), 'none' FROM result",
                    "table result_warning was changed outside ptlims");
    change_is_named("scheme.db", "UPDATE scheme SET name_en = 'x'",
                    "table scheme was changed outside ptlims");
    change_is_named("new-table.db", "CREATE TABLE extra (x)",
                    "table extra was created outside ptlims");
}

static void definitions_changed_outside_ptlims_are_named(void **state)
{
    (void)state;
    change_is_named("view.db",
                    "DROP VIEW score; CREATE VIEW score AS SELECT * FROM "
                    "score_kind",
                    "the definition of view score was changed outside "
                    "ptlims");
    change_is_named("trigger.db",
                    "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET "
                    "sql = replace(sql, 'RAISE(ABORT, ''the audit log is "
                    "append-only'')', '1') WHERE name = "
                    "'audit_log_no_delete'",
                    "the definition of trigger audit_log_no_delete was "
                    "changed outside ptlims");
    change_is_named("index.db", "CREATE INDEX extra_idx ON result (value)",
                    "index extra_idx was created outside ptlims");
}

/* The change stays named after ptlims writes again: the state of an
 * appended table is extended, not read again. */
static void a_change_before_a_later_write_stays_named(void **state)
{
    const char *db = copy_of("later.db");
    FILE *f;
    char csv[600];

    (void)state;
    raw_exec(db, "UPDATE pt_plan SET per_year = 4 WHERE id = 1; "
                 "DROP VIEW score; CREATE VIEW score AS SELECT * FROM "
                 "score_kind");
    snprintf(csv, sizeof csv, "%s/later-plan.csv", it_tmp());
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("lab,scheme,technique,property,product,risk,per_year,from,to\n"
          "TC-BR,fuel-sulfur,XRF,sulfur,kerosene,low,1,2025,2026\n",
          f);
    fclose(f);
    it_expect(it_run(PT " import %s", it_ptlims(), db, csv), 0, NULL);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1,
              "table pt_plan was changed outside ptlims: 6 rows, 6 "
              "recorded");
    assert_non_null(strstr(it_out, "view score was changed"));
}

static void a_damaged_page_is_named(void **state)
{
    const char *db = copy_of("damaged.db");
    long long page, size;
    FILE *f;
    char junk[64];

    (void)state;
    page = it_query_int(db, "PRAGMA page_size");
    size = it_query_int(db, "SELECT rootpage FROM sqlite_schema WHERE name "
                            "= 'audit_log_row'");
    assert_true(size > 1);
    /* overwrite the header of an index's root page */
    f = fopen(db, "r+b");
    assert_non_null(f);
    memset(junk, 0x5a, sizeof junk);
    assert_int_equal(fseek(f, (long)((size - 1) * page), SEEK_SET), 0);
    assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
    fclose(f);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1,
              "the database file is damaged");
}

static void verify_of_a_missing_path_creates_nothing(void **state)
{
    char db[600];
    struct stat st;

    (void)state;
    snprintf(db, sizeof db, "%s/no-such.db", it_tmp());
    it_expect(it_run(PT " verify", it_ptlims(), db), 1,
              "no database at");
    assert_true(stat(db, &st) != 0);
}

static void expect_head_finds_a_rollback(void **state)
{
    const char *db = copy_of("head.db");
    char old[600], head[65], *p;

    (void)state;
    snprintf(old, sizeof old, "%s/head-old.db", it_tmp());
    it_copy(db, old);
    it_expect(it_run(PT " close S-2025-BIL1", it_ptlims(), db), 0, NULL);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "head ");
    p = strstr(it_out, "head ");
    assert_non_null(p);
    memcpy(head, p + 5, 64);
    head[64] = 0;
    it_expect(it_run(PT " verify --expect-head %s", it_ptlims(), db, head), 0,
              "audit log intact");
    /* the older copy put back in its place */
    it_expect(it_run(PT " verify --expect-head %s", it_ptlims(), old, head),
              1, "no entry with the expected head");
    it_expect(it_run(PT " verify --expect-head xyz", it_ptlims(), db), 1,
              "is not 64 lower-case hex digits");
}

static void files_that_are_no_database_are_user_errors(void **state)
{
    char db[600];
    FILE *f;
    const char *lowered = copy_of("lowered.db");

    (void)state;
    snprintf(db, sizeof db, "%s/text.db", it_tmp());
    f = fopen(db, "w");
    assert_non_null(f);
    fputs("this is not a database, it is a note about one\n", f);
    fclose(f);
    it_expect(it_run(PT " verify", it_ptlims(), db), 1,
              "text.db: not a ptlims database");
    it_expect(it_run(PT " import fixtures/laboratories.csv", it_ptlims(), db),
              1, "text.db: not a ptlims database");
    raw_exec(lowered, "PRAGMA user_version = 3");
    it_expect(it_run(PT " verify", it_ptlims(), lowered), 1,
              "lowered.db: the database says schema version 3 but its "
              "tables do not match it");
}

static void report_out_follows_no_link_and_replaces_no_device(void **state)
{
    const char *db = copy_of("report.db");
    char victim[600], link[700], out[600], dir[600];
    char *text;

    (void)state;
    snprintf(victim, sizeof victim, "%s/victim.txt", it_tmp());
    snprintf(out, sizeof out, "%s/wb.xlsx", it_tmp());
    snprintf(link, sizeof link, "%s.tmp", out);
    text = NULL;
    {
        FILE *f = fopen(victim, "w");
        assert_non_null(f);
        fputs("keep me\n", f);
        fclose(f);
    }
    assert_int_equal(symlink(victim, link), 0);
    it_expect(it_run(PT " report --lab TC-BR --out %s", it_ptlims(), db, out),
              1, "wb.xlsx.tmp: exists and is not a regular file");
    text = it_slurp(victim);
    assert_string_equal(text, "keep me\n");
    free(text);
    unlink(link);
    /* a device node or a folder named as the target is not replaced */
    it_expect(it_run(PT " report --lab TC-BR --out /dev/null", it_ptlims(),
                     db),
              1, "/dev/null: exists and is not a regular file");
    snprintf(dir, sizeof dir, "%s/a-folder.xlsx", it_tmp());
    assert_int_equal(mkdir(dir, 0755), 0);
    it_expect(it_run(PT " report --lab TC-BR --out %s", it_ptlims(), db, dir),
              1, "a-folder.xlsx: exists and is not a regular file");
    /* and a plain file is written, naming the chain's head */
    it_expect(it_run(PT " report --lab TC-BR --out %s", it_ptlims(), db, out),
              0, NULL);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "head ");
    {
        char head[65], *p = strstr(it_out, "head ");
        memcpy(head, p + 5, 64);
        head[64] = 0;
        it_expect(it_run("python3 -c 'import sys, zipfile; z = "
                         "zipfile.ZipFile(sys.argv[1]); print(sum(sys.argv[2] "
                         "in z.read(n).decode(\"utf-8\", \"replace\") for n "
                         "in z.namelist()))' %s %s",
                         out, head),
                      0, "1");
    }
}

static void sync_export_of_a_changed_database_is_refused(void **state)
{
    const char *db = copy_of("branch.db");
    char cs[600];
    struct stat st;

    (void)state;
    snprintf(cs, sizeof cs, "%s/branch.changeset", it_tmp());
    raw_exec(db, "UPDATE result SET value_text = 'NaN' WHERE id = (SELECT "
                 "min(id) FROM result)");
    it_expect(it_run(PT " sync export --site B --out %s", it_ptlims(), db,
                     cs),
              1, "fails verify");
    assert_true(stat(cs, &st) != 0);
}

/* A changeset made without ptlims: the natural-key tables of pt_sync.c,
 * format 1, holding one result row with the given texts and value. */
static void forge_changeset(const char *path, const char *value_text,
                            double value, const char *unit)
{
    sqlite3 *w;
    sqlite3_session *s;
    sqlite3_stmt *q;
    void *blob = NULL;
    int n = 0;
    FILE *f;

    assert_int_equal(sqlite3_open(":memory:", &w), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(w,
                     "CREATE TABLE sync_origin (format INTEGER PRIMARY KEY, "
                     "site TEXT NOT NULL, exported_at TEXT NOT NULL, since "
                     "TEXT, schema_version INTEGER);"
                     "CREATE TABLE sync_result (round TEXT, lab TEXT, "
                     "measurand TEXT, item TEXT, version INTEGER, "
                     "value_text, unit_text, value, U_text, U, k, method, "
                     "instrument, analyst, tested_on, remarks, reason, "
                     "source, PRIMARY KEY (round, lab, measurand, item, "
                     "version));",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3session_create(w, "main", &s), SQLITE_OK);
    assert_int_equal(sqlite3session_attach(s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(w,
                                  "INSERT INTO sync_origin VALUES (1, 'B', "
                                  "'2025-09-01T00:00:00Z', NULL, 8)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(w,
                           "INSERT INTO sync_result VALUES ('S-2025-BIL2', "
                           "'KH-BR', 'sulfur', 'D-9', 1, ?1, ?2, ?3, NULL, "
                           "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                           "'forged')",
                           -1, &q, NULL),
        SQLITE_OK);
    sqlite3_bind_text(q, 1, value_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, unit, -1, SQLITE_STATIC);
    sqlite3_bind_double(q, 3, value);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    assert_int_equal(sqlite3session_changeset(s, &n, &blob), SQLITE_OK);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(blob, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    sqlite3_free(blob);
    sqlite3session_delete(s);
    sqlite3_close(w);
}

static void sync_apply_checks_each_record_like_an_import(void **state)
{
    const char *db = copy_of("hq.db");
    char cs[600], *before, *after;

    (void)state;
    snprintf(cs, sizeof cs, "%s/forged.changeset", it_tmp());
    before = it_dump(db);
    forge_changeset(cs, "NaN", -1e300, "mg/kg");
    it_expect(it_run(PT " sync apply %s", it_ptlims(), db, cs), 1,
              "S-2025-BIL2/KH-BR/sulfur/D-9/1");
    assert_non_null(strstr(it_out, "\"NaN\" is not a number"));
    forge_changeset(cs, "9.8", 9.8, "furlongs");
    it_expect(it_run(PT " sync apply %s", it_ptlims(), db, cs), 1,
              "furlongs");
    forge_changeset(cs, "9.8", -1e300, "mg/kg");
    it_expect(it_run(PT " sync apply %s", it_ptlims(), db, cs), 1,
              "does not match its text \"9.8 mg/kg\"");
    after = it_dump(db);
    assert_string_equal(before, after);
    free(after);
    /* the same record with a value that matches its text is taken */
    forge_changeset(cs, "9.8", 9.8, "mg/kg");
    it_expect(it_run(PT " sync apply %s", it_ptlims(), db, cs), 0, NULL);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "audit log intact");
    free(before);
}

/* A changeset of format 2 made without ptlims, holding the records `sql`
 * inserts into the natural-key tables of pt_sync.c it names. */
static void forge_records(const char *path, const char *sql)
{
    sqlite3 *w;
    sqlite3_session *s;
    void *blob = NULL;
    int n = 0;
    FILE *f;
    char *e = NULL;

    assert_int_equal(sqlite3_open(":memory:", &w), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(w,
                     "CREATE TABLE sync_origin (format INTEGER PRIMARY KEY, "
                     "site TEXT NOT NULL, exported_at TEXT NOT NULL, since "
                     "TEXT, schema_version INTEGER);"
                     "CREATE TABLE sync_round_measurand (round TEXT, "
                     "measurand TEXT, unit, assigned, x_pt, u_x_pt, "
                     "sigma_pt, sigma_pt_basis, matrix, estimator, "
                     "sigma_pt_method, override_reason, PRIMARY KEY (round, "
                     "measurand));"
                     "CREATE TABLE sync_void (kind TEXT, code TEXT, at, "
                     "voided_by, reason, PRIMARY KEY (kind, code));"
                     "CREATE TABLE sync_amendment (at TEXT, action TEXT, "
                     "detail TEXT, PRIMARY KEY (at, action, detail));",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3session_create(w, "main", &s), SQLITE_OK);
    assert_int_equal(sqlite3session_attach(s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(w,
                                  "INSERT INTO sync_origin VALUES (2, 'B', "
                                  "'2025-09-01T00:00:00Z', NULL, 12)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    if (sqlite3_exec(w, sql, NULL, NULL, &e) != SQLITE_OK)
        fail_msg("%s: %s", sql, e ? e : "?");
    assert_int_equal(sqlite3session_changeset(s, &n, &blob), SQLITE_OK);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(blob, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    sqlite3_free(blob);
    sqlite3session_delete(s);
    sqlite3_close(w);
}

/* Voids and amendments a changeset brings are checked as `ptlims void`
 * and `ptlims amend` check them: one that no command would take, or one
 * of an item this database lacks, refuses the file whole. */
static void sync_apply_checks_voids_and_amendments(void **state)
{
    static const struct {
        const char *sql, *says;
    } bad[] = {
        {"INSERT INTO sync_void VALUES ('result', 'S-2025-BIL2/KH-BR/sulfur', "
         "'2025-09-01T00:00:00Z', 'ann', 'mixed up')",
         "is not ROUND/LAB/MEASURAND/ITEM"},
        {"INSERT INTO sync_void VALUES ('result', "
         "'S-2025-BIL2/KH-BR/sulfur/NO-SUCH', '2025-09-01T00:00:00Z', "
         "'ann', 'mixed up')",
         "the void of result S-2025-BIL2/KH-BR/sulfur/NO-SUCH"},
        {"INSERT INTO sync_void VALUES ('round', 'S-1999-NONE', "
         "'2025-09-01T00:00:00Z', NULL, 'mixed up')",
         "the void of round S-1999-NONE"},
        {"INSERT INTO sync_void VALUES ('round', 'S-2025-BIL2', "
         "'2025-09-01T00:00:00Z', NULL, '')",
         "reason is empty"},
        {"INSERT INTO sync_void VALUES ('batch', 'S-2025-BIL2', "
         "'2025-09-01T00:00:00Z', NULL, 'x')",
         "is not round, result or laboratory"},
        {"INSERT INTO sync_void VALUES ('round', 'S-2025-BIL2', 'yesterday', "
         "NULL, 'x')",
         "at is not a time"},
        {"INSERT INTO sync_amendment VALUES ('2025-09-01T00:00:00Z', "
         "'amend', 'round S-1999-NONE: title=x: wrong title')",
         "the amendment of round S-1999-NONE"},
        {"INSERT INTO sync_amendment VALUES ('2025-09-01T00:00:00Z', "
         "'drop', 'round S-2025-BIL2: title=x: y')",
         "action is not amend or reopen"},
        {"INSERT INTO sync_amendment VALUES ('2025-09-01T00:00:00Z', "
         "'amend', 'round S-2025-BIL2: title=x' || char(27) || ': y')",
         "escape character"},
        /* a sigma_pt `ptlims amend` refuses */
        {"INSERT INTO sync_round_measurand SELECT 'S-2025-BIL2', 'sulfur', "
         "NULL, NULL, NULL, NULL, -1, NULL, NULL, NULL, NULL, NULL; "
         "INSERT INTO sync_amendment VALUES ('2025-09-01T00:00:00Z', "
         "'amend', 'round S-2025-BIL2 sulfur: sigma_pt=-1: wrong')",
         "sigma_pt must be positive"},
    };
    const char *db = copy_of("voids.db");
    char cs[600], *before, *after;
    long long n;
    size_t i;

    (void)state;
    snprintf(cs, sizeof cs, "%s/voids.changeset", it_tmp());
    before = it_dump(db);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        forge_records(cs, bad[i].sql);
        it_expect(it_run(PT " sync apply %s", it_ptlims(), db, cs), 1,
                  bad[i].says);
        if (!strstr(it_out, "nothing applied") &&
            !strstr(it_out, "not a ptlims"))
            fail_msg("case %zu: %s", i, it_out);
        after = it_dump(db);
        assert_string_equal(before, after);
        free(after);
    }
    free(before);
    /* a good void goes in once, with who, when and why */
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM voided"), 0);
    forge_records(cs, "INSERT INTO sync_void VALUES ('result', "
                      "'S-2025-BIL1/TC-BR/sulfur/FO-1', "
                      "'2025-08-01T10:00:00Z', 'ann', 'mixed up')");
    it_expect(it_run(PT " sync apply %s", it_ptlims(), db, cs), 0,
              "1 added");
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM voided WHERE "
                                      "voided_by = 'ann' AND reason = "
                                      "'mixed up' AND at = "
                                      "'2025-08-01T10:00:00Z'"),
                     it_query_int(db, "SELECT count(*) FROM voided"));
    assert_true(it_query_int(db, "SELECT count(*) FROM voided") >= 1);
    /* again: nothing added (the apply's own audit entry apart) */
    n = it_query_int(db, "SELECT count(*) FROM voided") * 1000 +
        it_query_int(db, "SELECT count(*) FROM audit_log WHERE action <> "
                         "'sync apply'");
    it_expect(it_run(PT " sync apply %s", it_ptlims(), db, cs), 0,
              "0 added, 1 already here");
    assert_int_equal(
        it_query_int(db, "SELECT count(*) FROM voided") * 1000 +
            it_query_int(db, "SELECT count(*) FROM audit_log WHERE action "
                             "<> 'sync apply'"),
        n);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "audit log intact");
}

static void sync_apply_onto_a_changed_database_is_refused(void **state)
{
    const char *db = copy_of("hq-changed.db");
    char cs[600];

    (void)state;
    snprintf(cs, sizeof cs, "%s/ok.changeset", it_tmp());
    forge_changeset(cs, "9.8", 9.8, "mg/kg");
    raw_exec(db, "UPDATE pt_plan SET risk = 'low'");
    it_expect(it_run(PT " sync apply %s", it_ptlims(), db, cs), 1,
              "fails verify");
}

/* "-0" is zero: stored so that verify finds nothing to report. */
static void minus_zero_is_stored_as_zero_and_verifies(void **state)
{
    const char *db = copy_of("zero.db");
    char csv[600];
    FILE *f;

    (void)state;
    snprintf(csv, sizeof csv, "%s/zero.csv", it_tmp());
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs("round,lab,measurand,item,value,unit\n"
          "S-2025-BIL2,TC-BR,sulfur,Z-1,-0,mg/kg\n"
          "S-2025-BIL2,OIL-REF,sulfur,Z-1,-0.000,% m/m\n",
          f);
    fclose(f);
    it_expect(it_run(PT " import %s", it_ptlims(), db, csv), 0, NULL);
    assert_int_equal(it_query_int(db, "SELECT count(*) FROM result WHERE "
                                      "item = 'Z-1' AND value = 0"),
                     2);
    it_expect(it_run(PT " verify", it_ptlims(), db), 0, "audit log intact");
}

/* plan add and capa add/close by hand keep the rules of the files. */
static void text_given_by_hand_keeps_the_import_rules(void **state)
{
    const char *db = copy_of("by-hand.db");

    (void)state;
    it_expect(it_run(PT " plan add --lab TC-BR --scheme fuel-sulfur "
                        "--technique \"$(printf 'X\\033[31mRF')\" "
                        "--property S --product k --risk low --per-year 1 "
                        "--from 2025 --to 2026",
                     it_ptlims(), db),
              1, "plan: technique holds an escape character at character 2");
    it_expect(it_run(PT " plan add --lab TC-BR --scheme fuel-sulfur "
                        "--technique XRF --property S --product k --risk low "
                        "--per-year 4294967296 --from 2025 --to 2026",
                     it_ptlims(), db),
              1, "plan: rounds a year must be a number from 0.1 to 52");
    it_expect(it_run(PT " capa add --round S-2025-BIL1 --lab TC-BR "
                        "--measurand sulfur --root-cause x --action y "
                        "--owner \"$(printf 'A\\nB')\" --due 2026-01-01",
                     it_ptlims(), db),
              1, "capa: owner holds a line break at character 2");
}

/* A key file of `lines` (keys of 64 hex digits), readable by its owner
 * only; its path. */
static const char *key_file(const char *name, const char *lines)
{
    static char path[600];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", it_tmp(), name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(lines, f);
    fclose(f);
    assert_int_equal(chmod(path, 0600), 0);
    return path;
}

#define KEY1 "8f1e0c6a2b7d4e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef"
#define KEY2 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static void a_keyed_chain_cannot_be_recomputed_without_the_key(
    void **state)
{
    const char *db = copy_of("keyed.db");
    char k1[600], k12[600], wrong[600];

    (void)state;
    snprintf(k1, sizeof k1, "%s", key_file("k1", "# chain key\n" KEY1 "\n"));
    snprintf(k12, sizeof k12, "%s",
             key_file("k12", KEY1 "\n\n# rotated 2026\n" KEY2 "\n"));
    snprintf(wrong, sizeof wrong, "%s", key_file("wrong", KEY2 "\n"));
    it_expect(it_run("%s --chain-key %s --db %s close S-2025-BIL1",
                     it_ptlims(), k1, db),
              0, NULL);
    it_expect(it_run("%s --chain-key %s --db %s verify", it_ptlims(), k1,
                     db),
              0, "audit log intact");
    /* without the key, or with another, the keyed entries do not verify */
    it_expect(it_run(PT " verify", it_ptlims(), db), 1,
              "does not match its hash");
    it_expect(it_run("%s --chain-key %s --db %s verify", it_ptlims(), wrong,
                     db),
              1, "does not match its hash");
    /* rotation: the new key writes, the old one still verifies */
    it_expect(it_run("%s --chain-key %s --db %s evaluate S-2025-BIL2",
                     it_ptlims(), k12, db),
              1, NULL);
    it_expect(it_run("%s --chain-key %s --db %s plan add --lab TC-BR "
                     "--scheme fuel-sulfur --technique XRF --property S "
                     "--product kerosene --risk low --per-year 1 --from 2025 "
                     "--to 2026",
                     it_ptlims(), k12, db),
              0, NULL);
    it_expect(it_run("%s --chain-key %s --db %s verify", it_ptlims(), k12,
                     db),
              0, "audit log intact");
    it_expect(it_run("%s --chain-key %s --db %s verify", it_ptlims(), k1,
                     db),
              1, "does not match its hash");
    /* a key file others may read is refused */
    assert_int_equal(chmod(k12, 0644), 0);
    it_expect(it_run("%s --chain-key %s --db %s verify", it_ptlims(), k12,
                     db),
              1, "readable by its owner only");
    key_file("bad", "not a key\n");
    it_expect(it_run("%s --chain-key %s/bad --db %s verify", it_ptlims(),
                     it_tmp(), db),
              1, "bad:1:1: a key is 64 hex digits");
}

/* Someone recomputes the whole chain with plain SHA-256 after a change:
 * with the key configured, verify finds that the keyed entries are gone. */
static void a_chain_recomputed_without_the_key_is_named(void **state)
{
    const char *db = copy_of("recomputed.db");
    char k1[600];

    (void)state;
    snprintf(k1, sizeof k1, "%s", key_file("k1b", KEY1 "\n"));
    it_expect(it_run("%s --chain-key %s --db %s close S-2025-BIL1",
                     it_ptlims(), k1, db),
              0, NULL);
    /* the same operation later written without the key */
    it_expect(it_run(PT " close S-2025-PT1", it_ptlims(), db), 0, NULL);
    it_expect(it_run("%s --chain-key %s --db %s verify", it_ptlims(), k1,
                     db),
              1, "is not keyed although entry");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(changes_to_every_table_are_named),
        cmocka_unit_test(definitions_changed_outside_ptlims_are_named),
        cmocka_unit_test(a_change_before_a_later_write_stays_named),
        cmocka_unit_test(a_damaged_page_is_named),
        cmocka_unit_test(verify_of_a_missing_path_creates_nothing),
        cmocka_unit_test(expect_head_finds_a_rollback),
        cmocka_unit_test(files_that_are_no_database_are_user_errors),
        cmocka_unit_test(report_out_follows_no_link_and_replaces_no_device),
        cmocka_unit_test(sync_export_of_a_changed_database_is_refused),
        cmocka_unit_test(sync_apply_checks_each_record_like_an_import),
        cmocka_unit_test(sync_apply_checks_voids_and_amendments),
        cmocka_unit_test(sync_apply_onto_a_changed_database_is_refused),
        cmocka_unit_test(minus_zero_is_stored_as_zero_and_verifies),
        cmocka_unit_test(text_given_by_hand_keeps_the_import_rules),
        cmocka_unit_test(a_keyed_chain_cannot_be_recomputed_without_the_key),
        cmocka_unit_test(a_chain_recomputed_without_the_key_is_named),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
