/*
 * pt_sync.c -- multi-site consolidation: a branch exports its records as
 * an SQLite changeset, headquarters applies it, and nothing is ever
 * overwritten silently.
 *
 * Integer primary keys mean nothing across sites (laboratory 1 is TC-BR at
 * one branch and KH-BR at another), so a changeset is never taken of the
 * ptlims tables themselves.  Both sides build, in a private in-memory
 * database, the same "natural-key" tables (sync_laboratory keyed by lab
 * code, sync_result by round x lab x measurand x item x version, …):
 *
 *   export  fill them from the branch database with a session attached;
 *           the session's changeset (INSERTs, by natural key) is the file.
 *   apply   fill them from the headquarters database, apply the changeset
 *           with sqlite3changeset_apply_v2 and a conflict handler: an
 *           incoming record whose key exists and whose columns are equal
 *           is "present", one that differs is a conflict (reported column
 *           by column, headquarters keeps its own).  A second session
 *           records what the apply really added; those records are then
 *           inserted into the headquarters tables through the instance's
 *           own connection (so the database's SQL functions and triggers
 *           apply), ids looked up by code, one savepoint each: a record
 *           refused there (a result for a round closed at headquarters) is
 *           a conflict too.
 *
 * The work connection only reads the database file.  All of apply is one
 * transaction of the instance, begun before the snapshot is read; with
 * all_or_nothing any conflict rolls it back.  Conflicts and the summary go
 * to the audit log.
 *
 * Needs a libsqlite3 built with SQLITE_ENABLE_SESSION and
 * SQLITE_ENABLE_PREUPDATE_HOOK, as Debian's is.
 */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pt_core.h"
#include "pt_csv.h"
#include "pt_lifecycle.h"
#include "pt_schema.h"
#include "pt_pack.h"
#include "pt_seal.h"
#include "pt_store.h"
#include "pt_sync_check.h"
#include "pt_write.h"

/* Format 2 adds sync_void and sync_amendment; a format 1 file (without
 * them) is still read. */
#define SYNC_FORMAT 2

/* The natural-key tables, format 1.  Column order is the changeset's. */
static const char sync_schema[] =
    "CREATE TABLE sync_origin (format INTEGER PRIMARY KEY, site TEXT NOT "
    " NULL, exported_at TEXT NOT NULL, since TEXT, schema_version INTEGER);"
    "CREATE TABLE sync_laboratory (code TEXT PRIMARY KEY, name, name_zh, "
    " role, accreditation);"
    "CREATE TABLE sync_scheme (code TEXT PRIMARY KEY, name_en, name_zh);"
    "CREATE TABLE sync_round (code TEXT PRIMARY KEY, scheme, type, title, "
    " provider, provider_accreditation, opened, closed, reference_lab, "
    " status);"
    "CREATE TABLE sync_round_measurand (round TEXT, measurand TEXT, unit, "
    " assigned, x_pt, u_x_pt, sigma_pt, sigma_pt_basis, matrix, estimator, "
    " sigma_pt_method, override_reason, PRIMARY KEY (round, measurand));"
    "CREATE TABLE sync_round_item (round TEXT, measurand TEXT, item TEXT, "
    " matrix, PRIMARY KEY (round, measurand, item));"
    "CREATE TABLE sync_result (round TEXT, lab TEXT, measurand TEXT, "
    " item TEXT, version INTEGER, value_text, unit_text, value, U_text, U, "
    " k, method, instrument, analyst, tested_on, remarks, reason, source, "
    " PRIMARY KEY (round, lab, measurand, item, version));"
    "CREATE TABLE sync_result_condition (round TEXT, lab TEXT, "
    " measurand TEXT, item TEXT, version INTEGER, name TEXT, value, "
    " PRIMARY KEY (round, lab, measurand, item, version, name));"
    "CREATE TABLE sync_void (kind TEXT, code TEXT, at, voided_by, reason, "
    " PRIMARY KEY (kind, code));"
    "CREATE TABLE sync_amendment (at TEXT, action TEXT, detail TEXT, "
    " PRIMARY KEY (at, action, detail));"
    "CREATE TABLE sync_closing (code TEXT PRIMARY KEY);";

#define SINCE " WHERE ?1 IS NULL OR r.opened >= ?1"

/* Each table in dependency order: how to fill it from a ptlims database
 * attached as `db` to the work connection (?1, where used: the since date
 * or NULL), and how to add one of its records to a ptlims database through
 * the instance's own connection (?n: the n-th column; columns past the
 * last parameter are not stored there; NULL: results and their
 * conditions, which go through the one write path, pt_writer_result). */
static const struct sync_table {
    const char *name;
    const char *fill;
    const char *add;
} tables[] = {
    {"sync_laboratory",
     "INSERT INTO sync_laboratory SELECT code, name, name_zh, role, "
     "accreditation FROM db.laboratory",
     "INSERT INTO laboratory (code, name, name_zh, role, accreditation) "
     "VALUES (?1, ?2, ?3, ?4, ?5)"},
    {"sync_scheme",
     "INSERT INTO sync_scheme SELECT code, name_en, name_zh FROM db.scheme",
     "INSERT INTO scheme (code, name_en, name_zh) VALUES (?1, ?2, ?3)"},
    {"sync_round",
     "INSERT INTO sync_round SELECT r.code, s.code, r.type, r.title, "
     "r.provider, r.provider_accreditation, r.opened, r.closed, l.code, "
     "r.status FROM db.round r JOIN db.scheme s ON s.id = r.scheme_id "
     "LEFT JOIN db.laboratory l ON l.id = r.reference_lab_id" SINCE,
     /* added open: its results follow, then it is closed */
     "INSERT INTO round (code, scheme_id, type, title, provider, "
     "provider_accreditation, opened, closed, reference_lab_id, status) "
     "VALUES (?1, (SELECT id FROM scheme WHERE code = ?2), ?3, ?4, ?5, "
     "?6, ?7, ?8, (SELECT id FROM laboratory WHERE code = ?9), "
     "'open')"},
    {"sync_round_measurand",
     "INSERT INTO sync_round_measurand SELECT r.code, m.measurand, m.unit, "
     "m.assigned, m.x_pt, m.u_x_pt, m.sigma_pt, m.sigma_pt_basis, m.matrix, "
     "m.estimator, m.sigma_pt_method, m.override_reason FROM "
     "db.round_measurand m JOIN db.round r ON r.id = m.round_id" SINCE,
     "INSERT INTO round_measurand (round_id, measurand, unit, assigned, "
     "x_pt, u_x_pt, sigma_pt, sigma_pt_basis, matrix, estimator, "
     "sigma_pt_method, override_reason) VALUES ((SELECT id FROM round "
     "WHERE code = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"},
    {"sync_round_item",
     "INSERT INTO sync_round_item SELECT r.code, i.measurand, i.item, "
     "i.matrix FROM db.round_item i JOIN db.round r ON r.id = i.round_id"
     SINCE,
     "INSERT INTO round_item (round_id, measurand, item, matrix) VALUES "
     "((SELECT id FROM round WHERE code = ?1), ?2, ?3, ?4)"},
    {"sync_result",
     "INSERT INTO sync_result SELECT r.code, l.code, x.measurand, x.item, "
     "x.version, x.value_text, x.unit_text, x.value, x.U_text, x.U, x.k, "
     "x.method, x.instrument, x.analyst, x.tested_on, x.remarks, x.reason, "
     "x.source FROM db.result x JOIN db.round r ON r.id = x.round_id "
     "JOIN db.laboratory l ON l.id = x.lab_id" SINCE,
     /* written by the one write path (write_results) */
     NULL},
    {"sync_result_condition",
     "INSERT INTO sync_result_condition SELECT r.code, l.code, x.measurand, "
     "x.item, x.version, c.name, c.value FROM db.result_condition c "
     "JOIN db.result x ON x.id = c.result_id JOIN db.round r ON "
     "r.id = x.round_id JOIN db.laboratory l ON l.id = x.lab_id" SINCE,
     /* written with their result (write_results) */
     NULL},
    /* each item voided, with who, when and why; a result by its key
     * without version (voided with every version); applied through
     * pt_void_in_tx (apply_voids) */
    {"sync_void",
     "INSERT INTO sync_void SELECT 'round', r.code, v.at, v.voided_by, "
     "v.reason FROM db.voided v JOIN db.round r ON r.id = v.row_id WHERE "
     "v.kind = 'round' AND (?1 IS NULL OR r.opened >= ?1) "
     "UNION ALL SELECT 'result', r.code || '/' || l.code || '/' || "
     "x.measurand || '/' || x.item, min(v.at), v.voided_by, v.reason FROM "
     "db.voided v JOIN db.result x ON x.id = v.row_id JOIN db.round r ON "
     "r.id = x.round_id JOIN db.laboratory l ON l.id = x.lab_id WHERE "
     "v.kind = 'result' AND (?1 IS NULL OR r.opened >= ?1) GROUP BY r.code, "
     "l.code, x.measurand, x.item "
     "UNION ALL SELECT 'laboratory', l.code, v.at, v.voided_by, v.reason "
     "FROM db.voided v JOIN db.laboratory l ON l.id = v.row_id WHERE "
     "v.kind = 'laboratory'",
     NULL},
    /* the audit entries of every amendment of a round or a laboratory and
     * every reopening (who, when and why, in the record's own words);
     * the values are those of the rows above (apply_amendments) */
    {"sync_amendment",
     "INSERT INTO sync_amendment SELECT DISTINCT a.at, a.action, a.detail "
     "FROM db.audit_log a WHERE (a.action = 'amend' AND a.detail LIKE "
     "'laboratory %') OR ((a.action = 'amend' OR a.action = 'reopen') AND "
     "EXISTS (SELECT 1 FROM db.round r WHERE substr(a.detail, 1, "
     "length(r.code) + 7) IN ('round ' || r.code || ':', 'round ' || "
     "r.code || ' ') AND (?1 IS NULL OR r.opened >= ?1)))",
     NULL},
};
#define N_TABLES (sizeof tables / sizeof tables[0])

static lims_status fail_db(sqlite3 *db, const char *what, char *err,
                           size_t errlen)
{
    snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
    return LIMS_ERR_DB;
}

static lims_status exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return fail_db(db, "sync", err, errlen);
    return LIMS_OK;
}

/* A private in-memory connection holding the natural-key tables, with the
 * database at `path` attached as `db`.  Foreign keys on, as for every
 * ptlims connection. */
static lims_status open_work(const char *path, sqlite3 **out, char *err,
                             size_t errlen)
{
    sqlite3 *w = NULL;
    sqlite3_stmt *st;
    lims_status rc;

    if (sqlite3_open_v2(":memory:", &w,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK) {
        sqlite3_close(w);
        snprintf(err, errlen, "sync: out of memory");
        return LIMS_ERR_NOMEM;
    }
    sqlite3_busy_timeout(w, 10000);
    rc = exec(w, "PRAGMA foreign_keys = ON", err, errlen);
    if (rc == LIMS_OK)
        rc = exec(w, sync_schema, err, errlen);
    if (rc == LIMS_OK && (rc = pt_store_prepare(w, "ATTACH ?1 AS db", &st, err,
                                                errlen)) == LIMS_OK) {
        sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = fail_db(w, path, err, errlen);
        sqlite3_finalize(st);
    }
    if (rc != LIMS_OK) {
        sqlite3_close(w);
        return rc;
    }
    *out = w;
    return LIMS_OK;
}

/* Fill the natural-key tables from `db`. */
static lims_status fill(sqlite3 *w, const char *since, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    lims_status rc;
    size_t i;

    for (i = 0; i < N_TABLES; i++) {
        if ((rc = pt_store_prepare(w, tables[i].fill, &st, err, errlen)))
            return rc;
        if (sqlite3_bind_parameter_count(st) > 0)
            pt_store_bind_text(st, 1, since);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = fail_db(w, "sync: reading the database", err, errlen);
        sqlite3_finalize(st);
        if (rc != LIMS_OK)
            return rc;
    }
    return LIMS_OK;
}

/* A session on the work database's natural-key tables, attached in
 * dependency order so that its changeset lists them in that order. */
static lims_status new_session(sqlite3 *w, sqlite3_session **out, char *err,
                               size_t errlen)
{
    sqlite3_session *s;
    size_t i;

    if (sqlite3session_create(w, "main", &s) != SQLITE_OK) {
        snprintf(err, errlen, "sync: cannot create a session");
        return LIMS_ERR_NOMEM;
    }
    if (sqlite3session_attach(s, "sync_origin") != SQLITE_OK)
        goto fail;
    for (i = 0; i < N_TABLES; i++)
        if (sqlite3session_attach(s, tables[i].name) != SQLITE_OK)
            goto fail;
    *out = s;
    return LIMS_OK;
fail:
    if (s)
        sqlite3session_delete(s);
    snprintf(err, errlen, "sync: cannot attach the session");
    return LIMS_ERR_NOMEM;
}

static unsigned long count_changes(int n, void *blob)
{
    sqlite3_changeset_iter *it;
    unsigned long k = 0;
    const char *tab;
    int ncol, op, ind;

    if (sqlite3changeset_start(&it, n, blob) != SQLITE_OK)
        return 0;
    while (sqlite3changeset_next(it) == SQLITE_ROW)
        if (sqlite3changeset_op(it, &tab, &ncol, &op, &ind) == SQLITE_OK &&
            strcmp(tab, "sync_origin") != 0)
            k++;
    sqlite3changeset_finalize(it);
    return k;
}

/* The file name without its directory: the default site name. */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void utc_now(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static lims_status write_file(const char *path, const void *data, int n,
                              char *err, size_t errlen)
{
    char tmp[4096];
    FILE *f;
    int ok;

    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: path too long", path);
        return LIMS_ERR_INPUT;
    }
    f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot write", path);
        return LIMS_ERR_IO;
    }
    ok = (n == 0 || fwrite(data, 1, (size_t)n, f) == (size_t)n);
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        snprintf(err, errlen, "%s: cannot write", path);
        return LIMS_ERR_IO;
    }
    return LIMS_OK;
}

static int valid_date(const char *s)
{
    int y, m, d;
    char end;
    return s && strlen(s) == 10 &&
           sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3 && m >= 1 &&
           m <= 12 && d >= 1 && d <= 31;
}

/* Check the request: LIMS_OK, or a status and a message.  A request
 * structure must reach the members this version reads. */
static lims_status check_request(const char *what, const lims_sync_request *req,
                                 char *err, size_t errlen)
{
    if (!req->path || !*req->path) {
        snprintf(err, errlen, "%s: a changeset file is required", what);
        return LIMS_ERR_INPUT;
    }
    return LIMS_OK;
}


/* The database must verify before a changeset is taken of it or applied
 * to it: a record changed outside ptlims is not passed on. */
static lims_status verified(const char *what, lims_instance *inst, char *err,
                            size_t errlen)
{
    lims_verify_summary v;
    char why[1024];
    lims_status rc;

    memset(&v, 0, sizeof v);
    v.size = sizeof v;
    rc = pt_core_verify(inst, &v, why, sizeof why);
    if (rc == LIMS_ERR_STATE) {
        snprintf(err, errlen, "%s: %s fails verify: %s", what,
                 inst->svc.db_path, why);
        return LIMS_ERR_STATE;
    }
    if (rc)
        snprintf(err, errlen, "%s: %s", what, why);
    return rc;
}

lims_status pt_core_sync_export(lims_instance *inst,
                                const lims_sync_request *req,
                                lims_sync_summary *out, char *err,
                                size_t errlen)
{
    sqlite3 *w = NULL;
    sqlite3_session *s = NULL;
    sqlite3_stmt *st;
    void *blob = NULL;
    int n = 0;
    char now[24];
    const char *site;
    lims_status rc;

    if ((rc = check_request("sync export", req, err, errlen)))
        return rc;
    if (req->since && !valid_date(req->since)) {
        snprintf(err, errlen,
                 "sync export: --since \"%s\" is not a date YYYY-MM-DD",
                 req->since);
        return LIMS_ERR_INPUT;
    }
    site = req->site && *req->site ? req->site : base_name(inst->svc.db_path);
    if ((rc = verified("sync export", inst, err, errlen)))
        return rc;
    if ((rc = open_work(inst->svc.db_path, &w, err, errlen)))
        return rc;
    if ((rc = new_session(w, &s, err, errlen)))
        goto done;
    /* one read transaction: a consistent picture of the branch */
    if ((rc = exec(w, "BEGIN", err, errlen)))
        goto done;
    utc_now(now, sizeof now);
    if ((rc = pt_store_prepare(w,
                               "INSERT INTO sync_origin VALUES (?1, ?2, ?3, "
                               "?4, ?5)",
                               &st, err, errlen)))
        goto done;
    sqlite3_bind_int(st, 1, SYNC_FORMAT);
    sqlite3_bind_text(st, 2, site, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
    pt_store_bind_text(st, 4, req->since);
    sqlite3_bind_int(st, 5, pt_schema_version);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = fail_db(w, "sync export", err, errlen);
    sqlite3_finalize(st);
    if (rc == LIMS_OK)
        rc = fill(w, req->since, err, errlen);
    if (rc == LIMS_OK && sqlite3session_changeset(s, &n, &blob) != SQLITE_OK)
        rc = fail_db(w, "sync export: changeset", err, errlen);
    if (rc == LIMS_OK)
        rc = write_file(req->path, blob, n, err, errlen);
    if (rc == LIMS_OK) {
        lims_sync_summary sum;
        memset(&sum, 0, sizeof sum);
        snprintf(sum.site, sizeof sum.site, "%s", site);
        snprintf(sum.exported_at, sizeof sum.exported_at, "%s", now);
        sum.changes = count_changes(n, blob);
        *out = sum;
    }
done:
    sqlite3_free(blob);
    if (s)
        sqlite3session_delete(s);
    sqlite3_close(w);
    return rc;
}

/* ---- apply ------------------------------------------------------------ */

typedef struct applier {
    lims_instance *inst;
    sqlite3 *w;  /* work connection: natural-key tables, database as db */
    sqlite3 *hq; /* the instance's connection: every write goes here, so
                    the database's functions and triggers apply */
    lims_sync_conflict_cb cb;
    void *ctx;
    char site[64];
    unsigned long present, conflicts, added;
    lims_status rc; /* a failure inside a callback */
    char *err;
    size_t errlen;
    pt_writer *writer; /* results: the one write path */
    pt_seals *seals;
} applier;

/* A value as text for a report: a new string (sqlite3_free), or NULL for
 * SQL NULL.  Called under the instance's "C" locale. */
static char *value_text(sqlite3_value *v)
{
    if (!v || sqlite3_value_type(v) == SQLITE_NULL)
        return NULL;
    if (sqlite3_value_type(v) == SQLITE_FLOAT) {
        /* the shortest text that gives the double back */
        char buf[40];
        return sqlite3_mprintf(
            "%s", pt_csv_number_text(sqlite3_value_double(v), 0, buf,
                                     sizeof buf));
    }
    return sqlite3_mprintf("%s", (const char *)sqlite3_value_text(v));
}

static int same_value(sqlite3_value *a, sqlite3_value *b)
{
    int ta = a ? sqlite3_value_type(a) : SQLITE_NULL;
    int tb = b ? sqlite3_value_type(b) : SQLITE_NULL;

    if (ta == SQLITE_NULL || tb == SQLITE_NULL)
        return ta == tb;
    if ((ta == SQLITE_INTEGER || ta == SQLITE_FLOAT) &&
        (tb == SQLITE_INTEGER || tb == SQLITE_FLOAT))
        return sqlite3_value_double(a) == sqlite3_value_double(b);
    if (ta != tb || sqlite3_value_bytes(a) != sqlite3_value_bytes(b))
        return 0;
    return memcmp(sqlite3_value_blob(a), sqlite3_value_blob(b),
                  (size_t)sqlite3_value_bytes(a)) == 0;
}

/* The natural key of the current change, parts joined by '/'
 * (sqlite3_free). */
static char *change_key(sqlite3_changeset_iter *it, int use_old)
{
    unsigned char *pk;
    int ncol, i;
    char *key = NULL, *part, *next;
    sqlite3_value *v;

    if (sqlite3changeset_pk(it, &pk, &ncol) != SQLITE_OK)
        return NULL;
    for (i = 0; i < ncol; i++) {
        if (!pk[i])
            continue;
        v = NULL;
        if (use_old)
            sqlite3changeset_old(it, i, &v);
        else
            sqlite3changeset_new(it, i, &v);
        part = value_text(v);
        next = key ? sqlite3_mprintf("%s/%s", key, part ? part : "")
                   : sqlite3_mprintf("%s", part ? part : "");
        sqlite3_free(part);
        sqlite3_free(key);
        key = next;
    }
    return key;
}

/* The column names of a natural-key table, by index, into names[]. */
static int column_names(sqlite3 *w, const char *table, char names[][32],
                        int max)
{
    sqlite3_stmt *st;
    char *sql = sqlite3_mprintf("PRAGMA main.table_info(%Q)", table);
    int n = 0;

    if (!sql || sqlite3_prepare_v2(w, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_free(sql);
        return 0;
    }
    sqlite3_free(sql);
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        snprintf(names[n++], sizeof names[0], "%s",
                 (const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    return n;
}

/* Report one conflict to the host and the audit log. */
static void report(applier *a, const char *table, const char *key,
                   const char *column, const char *here, const char *theirs,
                   const char *reason)
{
    lims_sync_conflict c;
    char detail[1024];
    char err[256];

    memset(&c, 0, sizeof c);
    c.size = sizeof c;
    c.table = strncmp(table, "sync_", 5) == 0 ? table + 5 : table;
    c.key = key ? key : "";
    c.column = column;
    c.here = here;
    c.theirs = theirs;
    c.reason = reason;
    if (a->cb)
        a->cb(a->ctx, &c);
    if (column)
        snprintf(detail, sizeof detail,
                 "from %s: %s %s: %s here \"%s\", theirs \"%s\" (%s); kept "
                 "ours",
                 a->site, c.table, c.key, column, here ? here : "NULL",
                 theirs ? theirs : "NULL", reason);
    else
        snprintf(detail, sizeof detail, "from %s: %s %s not added: %s", a->site,
                 c.table, c.key, reason);
    if (pt_store_audit(a->hq, "sync conflict", detail, err, sizeof err) !=
            LIMS_OK &&
        a->rc == LIMS_OK) {
        a->rc = LIMS_ERR_DB;
        snprintf(a->err, a->errlen, "%s", err);
    }
}

/* The item a round, measurand or laboratory record is about: what
 * ("round" or "laboratory"), code, measurand (NULL but for a measurand);
 * 0, or -1 for a record of another table. */
static int item_of(const char *tab, sqlite3_changeset_iter *it,
                   const char **what, sqlite3_value **code,
                   sqlite3_value **measurand)
{
    *code = *measurand = NULL;
    if (strcmp(tab, "sync_laboratory") == 0)
        *what = "laboratory";
    else if (strcmp(tab, "sync_round") == 0 ||
             strcmp(tab, "sync_round_measurand") == 0)
        *what = "round";
    else
        return -1;
    sqlite3changeset_new(it, 0, code);
    if (strcmp(tab, "sync_round_measurand") == 0)
        sqlite3changeset_new(it, 1, measurand);
    return *code ? 0 : -1;
}

/* Whether the changeset amends column `col` of the record: an amendment
 * of its item names that field, or (a round's status) the round was
 * reopened there. */
static int amended(applier *a, const char *tab, sqlite3_changeset_iter *it,
                   const char *col)
{
    sqlite3_stmt *q;
    sqlite3_value *code, *m;
    const char *what;
    int found = 0;

    if (item_of(tab, it, &what, &code, &m) ||
        sqlite3_prepare_v2(
            a->w,
            "SELECT 1 FROM incoming_amendment WHERE what = ?1 AND code = ?2 "
            "AND (?3 IS NULL OR measurand IS NULL OR measurand = ?3) AND "
            "((?4 = 'status' AND action = 'reopen') OR (action = 'amend' AND "
            "(instr(detail, ': ' || ?4 || '=') OR instr(detail, ', ' || ?4 || "
            "'='))))",
            -1, &q, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(q, 1, what, -1, SQLITE_STATIC);
    sqlite3_bind_value(q, 2, code);
    if (m)
        sqlite3_bind_value(q, 3, m);
    sqlite3_bind_text(q, 4, col, -1, SQLITE_STATIC);
    found = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return found;
}

/* Keep the branch's value of column col of the record for
 * apply_amendments; 0, or -1 on a database error. */
static int keep_theirs(applier *a, const char *tab, sqlite3_changeset_iter *it,
                       const char *col, const char *as)
{
    sqlite3_stmt *q;
    sqlite3_value *code, *m, *v = NULL;
    const char *what;
    char names[32][32];
    int nn = column_names(a->w, tab, names, 32), i, ok;

    if (item_of(tab, it, &what, &code, &m))
        return 0;
    for (i = 0; i < nn && strcmp(names[i], col) != 0; i++)
        ;
    if (i == nn || sqlite3changeset_new(it, i, &v) != SQLITE_OK)
        return -1;
    if (sqlite3_prepare_v2(a->w,
                           "INSERT INTO theirs_value VALUES (?1, ?2, ?3, ?4, "
                           "?5)",
                           -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(q, 1, what, -1, SQLITE_STATIC);
    sqlite3_bind_value(q, 2, code);
    if (m)
        sqlite3_bind_value(q, 3, m);
    sqlite3_bind_text(q, 4, as, -1, SQLITE_STATIC);
    if (v)
        sqlite3_bind_value(q, 5, v);
    ok = sqlite3_step(q) == SQLITE_DONE;
    sqlite3_finalize(q);
    return ok ? 0 : -1;
}

/* Conflict handler of sqlite3changeset_apply_v2: never replace. */
static int on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
    applier *a = ctx;
    const char *tab;
    int ncol, op, ind, i, differs = 0;
    char names[32][32];
    char *key;

    if (sqlite3changeset_op(it, &tab, &ncol, &op, &ind) != SQLITE_OK)
        return SQLITE_CHANGESET_ABORT;
    key = change_key(it, op == SQLITE_DELETE);
    if (kind == SQLITE_CHANGESET_CONFLICT && op == SQLITE_INSERT &&
        (strcmp(tab, "sync_void") == 0 ||
         strcmp(tab, "sync_amendment") == 0)) {
        /* voided or amended here already: not an error */
        a->present++;
    } else if (kind == SQLITE_CHANGESET_CONFLICT && op == SQLITE_INSERT) {
        int nn = column_names(a->w, tab, names, 32);
        if (strcmp(tab, "sync_round") == 0 &&
            keep_theirs(a, tab, it, "status", "their_status") &&
            a->rc == LIMS_OK)
            a->rc = LIMS_ERR_DB;
        for (i = 0; i < ncol; i++) {
            sqlite3_value *here = NULL, *theirs = NULL;
            char *h, *t;
            sqlite3changeset_conflict(it, i, &here);
            sqlite3changeset_new(it, i, &theirs);
            /* where a result was imported from is provenance, not data */
            if (same_value(here, theirs) ||
                (i < nn && strcmp(names[i], "source") == 0))
                continue;
            /* a column the branch amended: amended here (apply_amendments) */
            if (i < nn && amended(a, tab, it, names[i])) {
                if (keep_theirs(a, tab, it, names[i], names[i]) &&
                    a->rc == LIMS_OK) {
                    a->rc = LIMS_ERR_DB;
                    snprintf(a->err, a->errlen, "sync apply: %s",
                             sqlite3_errmsg(a->w));
                }
                continue;
            }
            differs = 1;
            h = value_text(here);
            t = value_text(theirs);
            report(a, tab, key, i < nn ? names[i] : "?", h, t, "differs");
            sqlite3_free(h);
            sqlite3_free(t);
        }
        if (differs)
            a->conflicts++;
        else
            a->present++;
    } else {
        a->conflicts++;
        report(a, tab, key, NULL, NULL, NULL,
               op != SQLITE_INSERT
                   ? "only additions are merged: the record here is kept"
               : kind == SQLITE_CHANGESET_CONSTRAINT ? "breaks a constraint"
                                                     : "cannot be added");
    }
    sqlite3_free(key);
    return SQLITE_CHANGESET_OMIT;
}

/* Read the origin record from the changeset: its format must be ours. */
static lims_status read_origin(const char *path, int n, void *blob,
                               lims_sync_summary *sum, char *err, size_t errlen)
{
    sqlite3_changeset_iter *it;
    const char *tab;
    int ncol, op, ind, format = 0;
    sqlite3_value *v;
    char why[128];

    if (n < 0 || pt_sync_check_changeset(blob, (size_t)n, why, sizeof why)) {
        snprintf(err, errlen, "%s: not a ptlims changeset (%s)", path,
                 n < 0 ? "too large" : why);
        return LIMS_ERR_INPUT;
    }
    if (sqlite3changeset_start(&it, n, blob) != SQLITE_OK)
        goto bad;
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        if (sqlite3changeset_op(it, &tab, &ncol, &op, &ind) != SQLITE_OK ||
            strcmp(tab, "sync_origin") != 0 || op != SQLITE_INSERT || ncol != 5)
            continue;
        if (sqlite3changeset_new(it, 0, &v) == SQLITE_OK && v)
            format = sqlite3_value_int(v);
        if (sqlite3changeset_new(it, 1, &v) == SQLITE_OK && v)
            snprintf(sum->site, sizeof sum->site, "%s",
                     (const char *)sqlite3_value_text(v));
        if (sqlite3changeset_new(it, 2, &v) == SQLITE_OK && v)
            snprintf(sum->exported_at, sizeof sum->exported_at, "%s",
                     (const char *)sqlite3_value_text(v));
    }
    if (sqlite3changeset_finalize(it) != SQLITE_OK)
        goto bad;
    if (format == SYNC_FORMAT || format == 1)
        return LIMS_OK;
    if (format) {
        snprintf(err, errlen,
                 "%s: ptlims changeset format %d, this ptlims reads %d", path,
                 format, SYNC_FORMAT);
        return LIMS_ERR_INPUT;
    }
bad:
    snprintf(err, errlen, "%s: not a ptlims changeset", path);
    return LIMS_ERR_INPUT;
}

static lims_status read_file(const char *path, void **out, int *n, char *err,
                             size_t errlen)
{
    FILE *f = fopen(path, "rb");
    long len;
    void *buf;

    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return LIMS_ERR_IO;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
        len > 0x7fffffffL || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        snprintf(err, errlen, "%s: cannot read", path);
        return LIMS_ERR_IO;
    }
    buf = sqlite3_malloc64(len ? (sqlite3_uint64)len : 1);
    if (!buf) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return LIMS_ERR_NOMEM;
    }
    if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
        sqlite3_free(buf);
        fclose(f);
        snprintf(err, errlen, "%s: cannot read", path);
        return LIMS_ERR_IO;
    }
    fclose(f);
    *out = buf;
    *n = (int)len;
    return LIMS_OK;
}

static const struct sync_table *table_of(const char *name)
{
    size_t i;
    for (i = 0; i < N_TABLES; i++)
        if (strcmp(tables[i].name, name) == 0)
            return &tables[i];
    return NULL;
}

/* Add one record the apply added to the work tables to the database, in
 * a savepoint: refused there, it is a conflict. */
static lims_status add_record(applier *a, const struct sync_table *t,
                              sqlite3_changeset_iter *it, int ncol)
{
    sqlite3_stmt *st;
    sqlite3_value *v;
    lims_status rc;
    int i, ok;
    char bad[512];

    /* checked as an import checks it: a bad record refuses the file */
    if (pt_sync_check_record(a->inst, t->name, it, bad, sizeof bad)) {
        char *key = change_key(it, 0);
        char shown[600];
        snprintf(a->err, a->errlen,
                 "sync apply: record %s %s: %s; nothing applied", t->name,
                 key ? key : "?", pt_csv_escape(bad, shown, sizeof shown));
        sqlite3_free(key);
        return LIMS_ERR_INPUT;
    }
    if ((rc = exec(a->hq, "SAVEPOINT sync_record", a->err, a->errlen)))
        return rc;
    if ((rc = pt_store_prepare(a->hq, t->add, &st, a->err, a->errlen)))
        return rc;
    for (i = 0; i < ncol; i++) {
        v = NULL;
        sqlite3changeset_new(it, i, &v);
        if (i < sqlite3_bind_parameter_count(st))
            sqlite3_bind_value(st, i + 1, v);
    }
    ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    if (ok && strcmp(t->name, "sync_round") == 0 &&
        sqlite3changeset_new(it, 9, &v) == SQLITE_OK && v &&
        sqlite3_value_type(v) == SQLITE_TEXT &&
        strcmp((const char *)sqlite3_value_text(v), "closed") == 0) {
        if (sqlite3changeset_new(it, 0, &v) != SQLITE_OK ||
            pt_store_prepare(a->w, "INSERT INTO sync_closing VALUES (?1)", &st,
                             a->err, a->errlen) != LIMS_OK)
            return LIMS_ERR_DB;
        sqlite3_bind_value(st, 1, v);
        ok = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
    }
    if (ok) {
        a->added++;
        return exec(a->hq, "RELEASE sync_record", a->err, a->errlen);
    }
    {
        char *key = change_key(it, 0);
        char *why = sqlite3_mprintf("%s", sqlite3_errmsg(a->hq));
        exec(a->hq, "ROLLBACK TO sync_record", a->err, a->errlen);
        exec(a->hq, "RELEASE sync_record", a->err, a->errlen);
        a->conflicts++;
        report(a, t->name, key, NULL, NULL, NULL,
               strstr(why ? why : "", "NOT NULL constraint failed")
                   ? "what it refers to is not here"
               : why ? why
                     : "refused");
        sqlite3_free(key);
        sqlite3_free(why);
    }
    return a->rc;
}

/* Results and conditions the apply added to the work tables wait, by
 * their keys, until every record is in: results are then written in
 * version order through the one write path. */
static const char deferred_sql[] =
    "CREATE TEMP TABLE added_result (round, lab, measurand, item, version);"
    "CREATE TEMP TABLE added_condition (round, lab, measurand, item, "
    " version, name);"
    "CREATE TEMP TABLE added_void (kind, code);"
    "CREATE TEMP TABLE incoming_amendment (at, action, detail, what, code, "
    " measurand);"
    "CREATE TEMP TABLE theirs_value (what, code, measurand, col, value);"
    "CREATE TEMP TABLE reopened (code PRIMARY KEY);";

static lims_status defer(applier *a, const struct sync_table *t,
                         sqlite3_changeset_iter *it)
{
    int cond = strcmp(t->name, "sync_result_condition") == 0;
    sqlite3_stmt *st;
    sqlite3_value *v;
    lims_status rc;
    int i, n = cond ? 6 : 5;

    if ((rc = pt_store_prepare(a->w,
                               cond ? "INSERT INTO added_condition VALUES "
                                      "(?1, ?2, ?3, ?4, ?5, ?6)"
                                    : "INSERT INTO added_result VALUES "
                                      "(?1, ?2, ?3, ?4, ?5)",
                               &st, a->err, a->errlen)))
        return rc;
    for (i = 0; i < n; i++) {
        v = NULL;
        /* a condition's name is its 6th column, after 5 key columns */
        sqlite3changeset_new(it, i, &v);
        sqlite3_bind_value(st, i + 1, v);
    }
    rc = sqlite3_step(st) == SQLITE_DONE
             ? LIMS_OK
             : fail_db(a->w, "sync apply", a->err, a->errlen);
    sqlite3_finalize(st);
    return rc;
}

static void sync_warning(void *ctx, const char *msg)
{
    applier *a = ctx;
    char line[640];
    snprintf(line, sizeof line, "sync apply: from %s: %s", a->site, msg);
    pt_core_log(a->inst, LIMS_LOG_WARN, line);
}

/* A column of the current row of q as text for the write path ("" for
 * NULL; a number as the shortest text that reads back the same). */
static char *column_text(sqlite3_stmt *q, int i)
{
    char *t = value_text(sqlite3_column_value(q, i));
    return t ? t : sqlite3_mprintf("%s", "");
}

/* Write one deferred result (the current row of q, a sync_result row)
 * with its conditions, in a savepoint: refused, it is a conflict. */
static lims_status write_result(applier *a, sqlite3_stmt *q,
                                sqlite3_stmt *cq)
{
    lims_condition_value cv[64];
    char *text[18], *names[64], *values[64], why[512], *key;
    pt_result_fields r;
    pt_refusal where;
    lims_status rc;
    size_t ncv = 0, i;

    for (i = 0; i < 18; i++)
        text[i] = column_text(q, (int)i);
    sqlite3_reset(cq);
    for (i = 0; i < 5; i++)
        sqlite3_bind_value(cq, (int)i + 1, sqlite3_column_value(q, (int)i));
    while (sqlite3_step(cq) == SQLITE_ROW && ncv < 64) {
        names[ncv] = column_text(cq, 0);
        values[ncv] = column_text(cq, 1);
        cv[ncv].name = names[ncv];
        cv[ncv].value = values[ncv];
        ncv++;
    }
    memset(&r, 0, sizeof r);
    r.round = text[0];
    r.lab = text[1];
    r.measurand = text[2];
    r.item = text[3];
    r.version = (unsigned)sqlite3_column_int(q, 4);
    r.value = text[5];
    r.unit = text[6];
    r.expect_value = sqlite3_column_type(q, 7) == SQLITE_NULL
                         ? NAN
                         : sqlite3_column_double(q, 7);
    r.U = text[8];
    r.k = *text[8] ? text[10] : NULL;
    r.method = text[11];
    r.instrument = text[12];
    r.analyst = text[13];
    r.tested_on = text[14];
    r.remarks = text[15];
    r.reason = text[16];
    r.source = text[17];
    r.conditions = cv;
    r.n_conditions = ncv;
    rc = exec(a->hq, "SAVEPOINT sync_record", a->err, a->errlen);
    if (!rc) {
        rc = pt_writer_result(a->writer, &r, &where, NULL, why, sizeof why);
        if (rc == LIMS_ERR_INPUT) {
            /* a record no check would pass: the changeset is refused */
            snprintf(a->err, a->errlen,
                     "sync apply: from %s: result %s/%s/%s/%s/%u: %s%s%s; "
                     "nothing applied",
                     a->site, r.round, r.lab, r.measurand, r.item, r.version,
                     pt_field_name(where.field),
                     where.field == PT_FIELD_NONE ? "" : ": ", why);
        } else if (rc == LIMS_ERR_STATE) {
            exec(a->hq, "ROLLBACK TO sync_record", a->err, a->errlen);
            key = sqlite3_mprintf("%s/%s/%s/%s/%u", r.round, r.lab,
                                  r.measurand, r.item, r.version);
            a->conflicts++;
            report(a, "sync_result", key, NULL, NULL, NULL, why);
            sqlite3_free(key);
            rc = a->rc;
        } else if (rc) {
            snprintf(a->err, a->errlen, "sync apply: %s", why);
        } else {
            a->added++;
        }
        if (rc == LIMS_OK)
            rc = exec(a->hq, "RELEASE sync_record", a->err, a->errlen);
    }
    for (i = 0; i < 18; i++)
        sqlite3_free(text[i]);
    for (i = 0; i < ncv; i++) {
        sqlite3_free(names[i]);
        sqlite3_free(values[i]);
    }
    return rc;
}

/* Every deferred result, oldest version first, through the one write
 * path; then their packs and seals. */
static lims_status write_results(applier *a)
{
    sqlite3_stmt *q = NULL, *cq = NULL;
    lims_status rc;

    if ((rc = pt_store_prepare(
             a->w,
             "SELECT s.* FROM sync_result s JOIN added_result k ON "
             "k.round = s.round AND k.lab = s.lab AND k.measurand = "
             "s.measurand AND k.item = s.item AND k.version = s.version "
             "ORDER BY s.round, s.lab, s.measurand, s.item, s.version",
             &q, a->err, a->errlen)) ||
        (rc = pt_store_prepare(
             a->w,
             "SELECT name, value FROM sync_result_condition WHERE round = ?1 "
             "AND lab = ?2 AND measurand = ?3 AND item = ?4 AND version = ?5 "
             "ORDER BY name",
             &cq, a->err, a->errlen)))
        goto done;
    while (rc == LIMS_OK && sqlite3_step(q) == SQLITE_ROW)
        rc = write_result(a, q, cq);
    if (rc == LIMS_OK)
        rc = pt_writer_finish(a->writer, a->seals, a->err, a->errlen);
done:
    sqlite3_finalize(q);
    sqlite3_finalize(cq);
    return rc;
}

/* A deferred condition was written with its result, or its result was
 * not added here: then it is a conflict too. */
static lims_status check_conditions(applier *a)
{
    sqlite3_stmt *q = NULL, *h = NULL;
    lims_status rc;
    int i, found;

    if ((rc = pt_store_prepare(a->w, "SELECT * FROM added_condition", &q,
                               a->err, a->errlen)) ||
        (rc = pt_store_prepare(
             a->hq,
             "SELECT 1 FROM result_condition c JOIN result x ON x.id = "
             "c.result_id JOIN round r ON r.id = x.round_id JOIN laboratory "
             "l ON l.id = x.lab_id WHERE r.code = ?1 AND l.code = ?2 AND "
             "x.measurand = ?3 AND x.item = ?4 AND x.version = ?5 AND "
             "c.name = ?6",
             &h, a->err, a->errlen)))
        goto done;
    while (rc == LIMS_OK && sqlite3_step(q) == SQLITE_ROW) {
        sqlite3_reset(h);
        for (i = 0; i < 6; i++)
            sqlite3_bind_value(h, i + 1, sqlite3_column_value(q, i));
        found = sqlite3_step(h) == SQLITE_ROW;
        if (found) {
            a->added++;
        } else {
            char *key = sqlite3_mprintf(
                "%s/%s/%s/%s/%s/%s", sqlite3_column_text(q, 0),
                sqlite3_column_text(q, 1), sqlite3_column_text(q, 2),
                sqlite3_column_text(q, 3), sqlite3_column_text(q, 4),
                sqlite3_column_text(q, 5));
            a->conflicts++;
            report(a, "sync_result_condition", key, NULL, NULL, NULL,
                   "its result is not added here");
            sqlite3_free(key);
            rc = a->rc;
        }
    }
done:
    sqlite3_finalize(q);
    sqlite3_finalize(h);
    return rc;
}

/* Close the rounds that arrived closed, now that their results are in. */
static lims_status close_rounds(applier *a)
{
    sqlite3_stmt *q, *u;
    lims_status rc;

    if ((rc = pt_store_prepare(a->w, "SELECT code FROM sync_closing", &q,
                               a->err, a->errlen)))
        return rc;
    if ((rc = pt_store_prepare(a->hq,
                               "UPDATE round SET status = 'closed' WHERE "
                               "code = ?1",
                               &u, a->err, a->errlen))) {
        sqlite3_finalize(q);
        return rc;
    }
    while (rc == LIMS_OK && sqlite3_step(q) == SQLITE_ROW) {
        sqlite3_bind_value(u, 1, sqlite3_column_value(q, 0));
        if (sqlite3_step(u) != SQLITE_DONE)
            rc = fail_db(a->hq, "sync apply: closing a round", a->err,
                         a->errlen);
        sqlite3_reset(u);
    }
    sqlite3_finalize(u);
    sqlite3_finalize(q);
    return rc;
}

/* A void the apply added to the work tables waits, by its key, until
 * every result is in (apply_voids). */
static lims_status defer_void(applier *a, sqlite3_changeset_iter *it)
{
    sqlite3_stmt *st;
    sqlite3_value *v;
    char bad[512];
    lims_status rc;
    int i;

    if (pt_sync_check_record(a->inst, "sync_void", it, bad, sizeof bad)) {
        char *key = change_key(it, 0);
        char shown[600];
        snprintf(a->err, a->errlen,
                 "sync apply: record sync_void %s: %s; nothing applied",
                 key ? key : "?", pt_csv_escape(bad, shown, sizeof shown));
        sqlite3_free(key);
        return LIMS_ERR_INPUT;
    }
    if ((rc = pt_store_prepare(a->w, "INSERT INTO added_void VALUES (?1, ?2)",
                               &st, a->err, a->errlen)))
        return rc;
    for (i = 0; i < 2; i++) {
        v = NULL;
        sqlite3changeset_new(it, i, &v);
        sqlite3_bind_value(st, i + 1, v);
    }
    rc = sqlite3_step(st) == SQLITE_DONE
             ? LIMS_OK
             : fail_db(a->w, "sync apply", a->err, a->errlen);
    sqlite3_finalize(st);
    return rc;
}

/* Read the amendments the changeset carries into incoming_amendment,
 * each checked (a record no check passes refuses the file), before the
 * apply compares the records they changed. */
static lims_status read_amendments(applier *a, int n, void *blob)
{
    sqlite3_changeset_iter *it;
    sqlite3_stmt *st = NULL;
    sqlite3_value *v[3];
    const char *tab, *w, *c, *m;
    size_t wl, cl, ml;
    int ncol, op, ind, i;
    char bad[512], shown[600];
    lims_status rc;

    if ((rc = pt_store_prepare(a->w,
                               "INSERT INTO incoming_amendment VALUES (?1, "
                               "?2, ?3, ?4, ?5, ?6)",
                               &st, a->err, a->errlen)))
        return rc;
    if (sqlite3changeset_start(&it, n, blob) != SQLITE_OK) {
        sqlite3_finalize(st);
        return fail_db(a->w, "sync apply", a->err, a->errlen);
    }
    while (rc == LIMS_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
        if (sqlite3changeset_op(it, &tab, &ncol, &op, &ind) != SQLITE_OK ||
            strcmp(tab, "sync_amendment") != 0 || ncol != 3)
            continue;
        if (pt_sync_check_record(a->inst, tab, it, bad, sizeof bad)) {
            char *key = change_key(it, 0);
            snprintf(a->err, a->errlen,
                     "sync apply: record sync_amendment %s: %s; nothing "
                     "applied",
                     key ? key : "?", pt_csv_escape(bad, shown, sizeof shown));
            sqlite3_free(key);
            rc = LIMS_ERR_INPUT;
            break;
        }
        for (i = 0; i < 3; i++) {
            v[i] = NULL;
            sqlite3changeset_new(it, i, &v[i]);
        }
        pt_sync_amendment_item((const char *)sqlite3_value_text(v[1]),
                               (const char *)sqlite3_value_text(v[2]), &w,
                               &wl, &c, &cl, &m, &ml);
        sqlite3_reset(st);
        for (i = 0; i < 3; i++)
            sqlite3_bind_value(st, i + 1, v[i]);
        sqlite3_bind_text(st, 4, w, (int)wl, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, c, (int)cl, SQLITE_TRANSIENT);
        if (m)
            sqlite3_bind_text(st, 6, m, (int)ml, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, 6);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = fail_db(a->w, "sync apply", a->err, a->errlen);
    }
    sqlite3changeset_finalize(it);
    sqlite3_finalize(st);
    return rc;
}

/* Round `code` open here for a change the branch made to it: a closed
 * round is reopened, audited, and remembered to be closed again when the
 * branch has it closed (close_again). */
static lims_status ensure_open(applier *a, const char *code, const char *why)
{
    sqlite3_stmt *q;
    int closed = 0;
    char *reason;
    lims_status rc;

    if ((rc = pt_store_prepare(a->hq, "SELECT status FROM round WHERE code "
                                      "= ?1",
                               &q, a->err, a->errlen)))
        return rc;
    sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW)
        closed = strcmp(pt_store_text(q, 0), "closed") == 0;
    sqlite3_finalize(q);
    if (!closed)
        return LIMS_OK;
    if (!(reason = sqlite3_mprintf("sync apply: from %s: %s", a->site, why)))
        return LIMS_ERR_NOMEM;
    rc = pt_reopen_in_tx(a->inst, code, reason, NULL, a->err, a->errlen);
    sqlite3_free(reason);
    if (!rc && (rc = pt_store_prepare(a->w,
                                      "INSERT OR IGNORE INTO reopened VALUES "
                                      "(?1)",
                                      &q, a->err, a->errlen)) == LIMS_OK) {
        sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            rc = fail_db(a->w, "sync apply", a->err, a->errlen);
        sqlite3_finalize(q);
    }
    return rc;
}

/* An item a void or an amendment names that this database does not have
 * refuses the changeset. */
static lims_status refuse_missing(applier *a)
{
    sqlite3_stmt *q;
    lims_status rc;

    if ((rc = pt_store_prepare(
             a->w,
             "SELECT what, code, at FROM incoming_amendment i WHERE NOT "
             "EXISTS (SELECT 1 FROM db.round r WHERE i.what = 'round' AND "
             "r.code = i.code) AND NOT EXISTS (SELECT 1 FROM db.laboratory l "
             "WHERE i.what = 'laboratory' AND l.code = i.code) ORDER BY at",
             &q, a->err, a->errlen)))
        return rc;
    if (sqlite3_step(q) == SQLITE_ROW) {
        snprintf(a->err, a->errlen,
                 "sync apply: from %s: the amendment of %s %s (at %s) names "
                 "a %s this database does not have; nothing applied",
                 a->site, pt_store_text(q, 0), pt_store_text(q, 1),
                 pt_store_text(q, 2), pt_store_text(q, 0));
        rc = LIMS_ERR_INPUT;
    }
    sqlite3_finalize(q);
    return rc;
}

/* Amend here, through the code `ptlims amend` uses (pt_amend_in_tx),
 * every round, measurand or laboratory whose amended columns differ from
 * the branch's, to the branch's values, citing the branch's last
 * amendment of it (its words: what, who and why) and when; a round
 * closed here is reopened first.  A round the branch reopened and left
 * open is reopened here. */
static lims_status apply_amendments(applier *a)
{
    sqlite3_stmt *items = NULL, *vals = NULL, *why = NULL;
    lims_status rc;

    if ((rc = refuse_missing(a)) ||
        (rc = pt_store_prepare(
             a->w,
             "SELECT DISTINCT what, code, measurand FROM theirs_value WHERE "
             "col NOT IN ('status', 'their_status') ORDER BY what = 'round', "
             "code, measurand",
             &items, a->err, a->errlen)) ||
        (rc = pt_store_prepare(
             a->w,
             "SELECT col, value FROM theirs_value WHERE what = ?1 AND code = "
             "?2 AND measurand IS ?3 AND col NOT IN ('status', "
             "'their_status')",
             &vals, a->err, a->errlen)) ||
        (rc = pt_store_prepare(
             a->w,
             "SELECT at, detail FROM incoming_amendment WHERE what = ?1 AND "
             "code = ?2 AND action = ?3 ORDER BY at DESC LIMIT 1",
             &why, a->err, a->errlen)))
        goto done;
    while (rc == LIMS_OK && sqlite3_step(items) == SQLITE_ROW) {
        const char *what = pt_store_text(items, 0);
        const char *code = pt_store_text(items, 1);
        const char *fields[32];
        char *values[32], *reason = NULL, msg[1024];
        lims_amendment am;
        size_t nf = 0, i;

        sqlite3_reset(vals);
        for (i = 0; i < 3; i++)
            sqlite3_bind_value(vals, (int)i + 1,
                               sqlite3_column_value(items, (int)i));
        while (nf < 32 && sqlite3_step(vals) == SQLITE_ROW) {
            fields[nf] = sqlite3_mprintf("%s", pt_store_text(vals, 0));
            values[nf] = value_text(sqlite3_column_value(vals, 1));
            if (!values[nf])
                values[nf] = sqlite3_mprintf("%s", "");
            nf++;
            if (!fields[nf - 1] || !values[nf - 1])
                rc = LIMS_ERR_NOMEM;
        }
        sqlite3_reset(why);
        sqlite3_bind_text(why, 1, what, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(why, 2, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(why, 3, "amend", -1, SQLITE_STATIC);
        if (sqlite3_step(why) == SQLITE_ROW)
            reason = sqlite3_mprintf("amended at %s on %s: %s", a->site,
                                     pt_store_text(why, 0),
                                     pt_store_text(why, 1));
        if (rc == LIMS_ERR_NOMEM)
            snprintf(a->err, a->errlen, "sync apply: out of memory");
        else if (strcmp(what, "round") == 0)
            rc = ensure_open(a, code, "an amendment arrived");
        if (!rc) {
            memset(&am, 0, sizeof am);
            am.size = sizeof am;
            am.what = strcmp(what, "round") == 0 ? "round" : "laboratory";
            am.code = code;
            am.measurand = sqlite3_column_type(items, 2) == SQLITE_NULL
                               ? NULL
                               : pt_store_text(items, 2);
            am.fields = fields;
            am.values = (const char *const *)values;
            am.n_fields = nf;
            am.reason = reason ? reason : "amended at the branch";
            rc = pt_amend_in_tx(a->inst, &am, msg, sizeof msg);
            if (rc == LIMS_ERR_INPUT) {
                snprintf(a->err, a->errlen, "sync apply: from %s: %s; "
                                            "nothing applied",
                         a->site, msg);
            } else if (rc == LIMS_ERR_STATE) {
                a->conflicts++;
                report(a, what, code, NULL, NULL, NULL, msg);
                rc = a->rc;
            } else if (rc) {
                snprintf(a->err, a->errlen, "sync apply: %s", msg);
            } else {
                a->added++;
            }
        }
        for (i = 0; i < nf; i++) {
            sqlite3_free((char *)fields[i]);
            sqlite3_free(values[i]);
        }
        sqlite3_free(reason);
    }
    sqlite3_finalize(items);
    items = NULL;
    /* a round reopened there and still open: reopened here too */
    if (rc == LIMS_OK &&
        (rc = pt_store_prepare(
             a->w,
             "SELECT t.code, (SELECT detail FROM incoming_amendment i WHERE "
             "i.what = 'round' AND i.code = t.code AND i.action = 'reopen' "
             "ORDER BY at DESC LIMIT 1) FROM theirs_value t WHERE t.col = "
             "'status' AND t.value = 'open'",
             &items, a->err, a->errlen)) == LIMS_OK)
        while (rc == LIMS_OK && sqlite3_step(items) == SQLITE_ROW) {
            char *text = sqlite3_mprintf("reopened there (%s)",
                                         pt_store_text(items, 1));
            rc = text ? ensure_open(a, pt_store_text(items, 0), text)
                      : LIMS_ERR_NOMEM;
            sqlite3_free(text);
        }
done:
    sqlite3_finalize(items);
    sqlite3_finalize(vals);
    sqlite3_finalize(why);
    return rc;
}

/* Void here, through the code `ptlims void` uses (pt_void_in_tx), every
 * item the branch voided that is not voided here, with the branch's who,
 * when and why; a round closed here is reopened first.  An item this
 * database does not have refuses the changeset. */
static lims_status apply_voids(applier *a)
{
    static const char *const field[] = {"void"};
    static const char *const value[] = {""};
    sqlite3_stmt *q;
    lims_amendment am;
    char msg[1024];
    lims_status rc;

    if ((rc = pt_store_prepare(
             a->w,
             "SELECT s.kind, s.code, s.at, s.voided_by, s.reason FROM "
             "sync_void s JOIN added_void k ON k.kind = s.kind AND k.code = "
             "s.code ORDER BY s.at, s.kind, s.code",
             &q, a->err, a->errlen)))
        return rc;
    while (rc == LIMS_OK && sqlite3_step(q) == SQLITE_ROW) {
        const char *kind = pt_store_text(q, 0), *code = pt_store_text(q, 1);
        const char *slash = strchr(code, '/');

        if (strcmp(kind, "laboratory") != 0) {
            char *round = sqlite3_mprintf(
                "%.*s", slash ? (int)(slash - code) : (int)strlen(code), code);
            rc = round ? ensure_open(a, round, "a void arrived")
                       : LIMS_ERR_NOMEM;
            sqlite3_free(round);
            if (rc)
                break;
        }
        memset(&am, 0, sizeof am);
        am.size = sizeof am;
        am.what = kind;
        am.code = code;
        am.fields = field;
        am.values = value;
        am.n_fields = 1;
        am.reason = pt_store_text(q, 4);
        am.by = sqlite3_column_type(q, 3) == SQLITE_NULL ? NULL
                                                         : pt_store_text(q, 3);
        rc = pt_void_in_tx(a->inst, &am, pt_store_text(q, 2), msg, sizeof msg);
        if (rc == LIMS_ERR_INPUT) {
            snprintf(a->err, a->errlen,
                     "sync apply: from %s: the void of %s %s: %s; nothing "
                     "applied",
                     a->site, kind, code, msg);
        } else if (rc == LIMS_ERR_STATE) {
            a->conflicts++;
            report(a, strcmp(kind, "laboratory") == 0 ? "laboratory" : kind,
                   code, NULL, NULL, NULL, msg);
            rc = a->rc;
        } else if (rc) {
            snprintf(a->err, a->errlen, "sync apply: %s", msg);
        } else {
            a->added++;
        }
    }
    sqlite3_finalize(q);
    return rc;
}

/* A round reopened here for the branch's change is closed again when the
 * branch has it closed; its evaluation is then stale, and `evaluate`
 * evaluates it and closes it again (pt_evaluate.c). */
static lims_status close_again(applier *a)
{
    sqlite3_stmt *q, *u;
    lims_status rc;

    if ((rc = pt_store_prepare(
             a->w,
             "SELECT r.code FROM reopened r JOIN theirs_value t ON t.code = "
             "r.code AND t.what = 'round' AND t.col = 'their_status' AND "
             "t.value = 'closed'",
             &q, a->err, a->errlen)))
        return rc;
    if ((rc = pt_store_prepare(a->hq,
                               "SELECT id FROM round WHERE code = ?1", &u,
                               a->err, a->errlen))) {
        sqlite3_finalize(q);
        return rc;
    }
    while (rc == LIMS_OK && sqlite3_step(q) == SQLITE_ROW) {
        pt_seals seals;
        char detail[512];
        long long id;

        sqlite3_reset(u);
        sqlite3_bind_value(u, 1, sqlite3_column_value(q, 0));
        if (sqlite3_step(u) != SQLITE_ROW)
            continue;
        id = sqlite3_column_int64(u, 0);
        if ((rc = pt_round_set_status(a->hq, id, "closed", a->err,
                                      a->errlen)) ||
            (rc = pt_seals_init(&seals, a->hq, a->err, a->errlen)))
            break;
        rc = pt_seals_touch(&seals, PT_PART_ROUND, id, a->err, a->errlen);
        snprintf(detail, sizeof detail,
                 "from %s: round %s closed again as it is there (ptlims "
                 "evaluate evaluates it again and closes it)",
                 a->site, pt_store_text(q, 0));
        if (!rc)
            rc = pt_seals_commit(&seals, "sync apply", detail, a->err,
                                 a->errlen);
        pt_seals_release(&seals);
    }
    sqlite3_finalize(u);
    sqlite3_finalize(q);
    return rc;
}

/* Add every record of the changeset `n`/`blob` (what the apply added to
 * the work tables) to the database. */
static lims_status add_all(applier *a, int n, void *blob)
{
    sqlite3_changeset_iter *it;
    const struct sync_table *t;
    const char *tab;
    int ncol, op, ind;
    lims_status rc = LIMS_OK;

    if (sqlite3changeset_start(&it, n, blob) != SQLITE_OK)
        return fail_db(a->w, "sync apply", a->err, a->errlen);
    while (rc == LIMS_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
        if (sqlite3changeset_op(it, &tab, &ncol, &op, &ind) != SQLITE_OK)
            break;
        t = table_of(tab);
        if (!t || op != SQLITE_INSERT)
            continue; /* the origin record; clean updates cannot occur */
        if (pt_core_cancelled(a->inst)) {
            snprintf(a->err, a->errlen, "sync apply: cancelled");
            rc = LIMS_ERR_CANCELLED;
            break;
        }
        if (strcmp(tab, "sync_amendment") == 0)
            continue; /* read before the apply (read_amendments) */
        rc = t->add                          ? add_record(a, t, it, ncol)
             : strcmp(tab, "sync_void") == 0 ? defer_void(a, it)
                                             : defer(a, t, it);
    }
    sqlite3changeset_finalize(it);
    if (rc == LIMS_OK)
        rc = write_results(a);
    if (rc == LIMS_OK)
        rc = check_conditions(a);
    if (rc == LIMS_OK)
        rc = close_rounds(a);
    return rc;
}

lims_status pt_core_sync_apply(lims_instance *inst,
                               const lims_sync_request *req,
                               lims_sync_conflict_cb cb, void *ctx,
                               lims_sync_summary *out, char *err, size_t errlen)
{
    applier a;
    lims_sync_summary sum;
    sqlite3_session *s = NULL;
    void *blob = NULL, *added = NULL;
    int n = 0, nadded = 0;
    char detail[512];
    pt_seals seals;
    lims_status rc;

    if ((rc = check_request("sync apply", req, err, errlen)))
        return rc;
    memset(&sum, 0, sizeof sum);
    memset(&a, 0, sizeof a);
    a.inst = inst;
    a.hq = inst->db;
    a.cb = cb;
    a.ctx = ctx;
    a.err = err;
    a.errlen = errlen;
    if ((rc = read_file(req->path, &blob, &n, err, errlen))) {
        return rc;
    }
    if ((rc = read_origin(req->path, n, blob, &sum, err, errlen)))
        goto done;
    snprintf(a.site, sizeof a.site, "%s", sum.site);
    sum.changes = count_changes(n, blob);
    if ((rc = verified("sync apply", inst, err, errlen)))
        goto done;
    /* the write lock first: nothing changes between the snapshot the
     * conflicts are found on and the writes */
    if ((rc = pt_store_begin(a.hq, err, errlen)))
        goto done;
    if ((rc = open_work(inst->svc.db_path, &a.w, err, errlen)))
        goto done;
    if ((rc = exec(a.w, "BEGIN", err, errlen)))
        goto done;
    if ((rc = fill(a.w, NULL, err, errlen)))
        goto done;
    if ((rc = exec(a.w, deferred_sql, err, errlen)) ||
        (rc = pt_seals_init(&seals, a.hq, err, errlen)))
        goto done;
    a.seals = &seals;
    if (!(a.writer = pt_writer_new(inst, sync_warning, &a, &rc, err, errlen)))
        goto done;
    if ((rc = read_amendments(&a, n, blob)))
        goto done;
    if ((rc = new_session(a.w, &s, err, errlen)))
        goto done;
    if (sqlite3changeset_apply_v2(a.w, n, blob, NULL, on_conflict, &a, NULL,
                                  NULL, 0) != SQLITE_OK) {
        rc = a.rc != LIMS_OK ? a.rc : fail_db(a.w, "sync apply", err, errlen);
        goto done;
    }
    if ((rc = a.rc))
        goto done;
    if (sqlite3session_changeset(s, &nadded, &added) != SQLITE_OK) {
        rc = fail_db(a.w, "sync apply: changeset", err, errlen);
        goto done;
    }
    sqlite3session_delete(s);
    s = NULL;
    if ((rc = add_all(&a, nadded, added)))
        goto done;
    if (a.conflicts && req->all_or_nothing) {
        snprintf(err, errlen,
                 "%s: %lu conflicts with this database; nothing applied",
                 req->path, a.conflicts);
        rc = LIMS_ERR_STATE;
        goto done;
    }
    snprintf(detail, sizeof detail,
             "%s from %s (exported %s): %lu records, %lu added, %lu "
             "present, %lu conflicts",
             base_name(req->path), sum.site, sum.exported_at, sum.changes,
             a.added, a.present, a.conflicts);
    pt_seals_touch_all(&seals);
    if ((rc = pt_seals_commit(&seals, "sync apply", detail, err, errlen)))
        goto done;
    /* after the records' seals, so that each change has its own audit
     * entry newer than the evaluation it makes stale */
    if ((rc = apply_amendments(&a)) || (rc = apply_voids(&a)) ||
        (rc = close_again(&a)))
        goto done;
    if (a.conflicts && req->all_or_nothing) {
        snprintf(err, errlen,
                 "%s: %lu conflicts with this database; nothing applied",
                 req->path, a.conflicts);
        rc = LIMS_ERR_STATE;
        goto done;
    }
    rc = pt_store_commit(a.hq, err, errlen);
done:
    pt_writer_free(a.writer);
    if (a.seals)
        pt_seals_release(a.seals);
    if (rc != LIMS_OK)
        pt_store_rollback(a.hq);
    if (s)
        sqlite3session_delete(s);
    sqlite3_free(added);
    sqlite3_free(blob);
    sqlite3_close(a.w);
    if (rc == LIMS_OK) {
        sum.added = a.added;
        sum.present = a.present;
        sum.conflicts = a.conflicts;
        *out = sum;
    }
    return rc;
}
