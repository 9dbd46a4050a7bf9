/*
 * pt_state.c -- the state of the tables no seal covers and of the
 * schema's definitions (see pt_state.h).
 *
 * The state entry's row_data is text, one line per table or definition,
 * fields separated by tabs, sorted as sqlite_schema lists them by name:
 *
 *   table	NAME	ROWS	MAX_ROWID	SUM (64 hex digits)
 *   def	TYPE	NAME	SHA-256 of the SQL text (64 hex digits, or -)
 *
 * The hook's memory hangs off the connection as the user data of the SQL
 * function ptlims_state_version(), whose destructor frees it when the
 * connection closes; sqlite3_update_hook returns it to whoever asks.
 */
#include "pt_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_sha256.h"
#include "pt_store.h"

/* Tables that seals, the chain or the packs already cover. */
static const char *const covered[] = {
    "laboratory", "round", "round_measurand", "result", "evaluation",
    "audit_log",  "seal",  "result_pack"};

typedef struct touched {
    char *name;
    int rewritten;        /* a row was updated or deleted */
    long long min_insert; /* the smallest rowid inserted */
} touched;

typedef struct hook {
    touched *t;
    size_t n, cap;
    int all;   /* read everything again, definitions included */
    int nomem; /* the hook could not note a table: the write fails */
} hook;

static int is_covered(const char *name)
{
    size_t i;

    if (strncmp(name, "sqlite_", 7) == 0)
        return 1;
    for (i = 0; i < sizeof covered / sizeof covered[0]; i++)
        if (strcmp(name, covered[i]) == 0)
            return 1;
    return 0;
}

static void on_update(void *arg, int op, const char *dbname,
                      const char *table, sqlite3_int64 rowid)
{
    hook *h = arg;
    size_t i;

    if (strcmp(dbname, "main") != 0 || is_covered(table))
        return;
    for (i = 0; i < h->n; i++)
        if (strcmp(h->t[i].name, table) == 0)
            break;
    if (i == h->n) {
        if (h->n == h->cap) {
            size_t cap = h->cap ? 2 * h->cap : 16;
            touched *p = realloc(h->t, cap * sizeof *p);
            if (!p) {
                h->nomem = 1;
                return;
            }
            h->t = p;
            h->cap = cap;
        }
        if (!(h->t[i].name = strdup(table))) {
            h->nomem = 1;
            return;
        }
        h->t[i].rewritten = 0;
        h->t[i].min_insert = rowid;
        h->n++;
    }
    if (op != SQLITE_INSERT)
        h->t[i].rewritten = 1;
    else if (rowid < h->t[i].min_insert)
        h->t[i].min_insert = rowid;
}

static void forget(hook *h)
{
    size_t i;

    for (i = 0; i < h->n; i++)
        free(h->t[i].name);
    free(h->t); /* nothing outlives the transaction */
    h->t = NULL;
    h->cap = 0;
    h->n = 0;
    h->all = 0;
    h->nomem = 0;
}

static void hook_free(void *p)
{
    hook *h = p;

    if (!h)
        return;
    forget(h);
    free(h);
}

static void state_version(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    (void)argc;
    (void)v;
    sqlite3_result_int(ctx, 1);
}

lims_status pt_state_attach(sqlite3 *db, char *err, size_t errlen)
{
    hook *h = calloc(1, sizeof *h);

    if (!h) {
        snprintf(err, errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    /* on failure SQLite calls the destructor itself */
    if (sqlite3_create_function_v2(db, "ptlims_state_version", 0,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, h,
                                   state_version, NULL, NULL,
                                   hook_free) != SQLITE_OK) {
        snprintf(err, errlen, "registering the state hook: %s",
                 sqlite3_errmsg(db));
        return LIMS_ERR_DB;
    }
    sqlite3_update_hook(db, on_update, h);
    return LIMS_OK;
}

/* The connection's hook, or NULL. */
static hook *hook_of(sqlite3 *db)
{
    void *p = sqlite3_update_hook(db, NULL, NULL);

    sqlite3_update_hook(db, p ? on_update : NULL, p);
    return p;
}

void pt_state_all(sqlite3 *db)
{
    hook *h = hook_of(db);

    if (h)
        h->all = 1;
}

void pt_state_forget(sqlite3 *db)
{
    hook *h = hook_of(db);

    if (h) {
        int all = h->all;
        forget(h);
        h->all = all; /* a migration rolled back is done again */
    }
}

/* ---- one table's state ---- */

typedef struct tstate {
    long long rows, max_rowid;
    unsigned char sum[PT_SHA256_SIZE];
} tstate;

static void put_be64(pt_sha256 *s, unsigned long long v)
{
    unsigned char b[8];
    int i;

    for (i = 7; i >= 0; i--, v >>= 8)
        b[i] = (unsigned char)(v & 0xff);
    pt_sha256_update(s, b, 8);
}

static void hash_value(pt_sha256 *s, sqlite3_stmt *q, int i)
{
    union {
        double d;
        unsigned long long u;
    } f;
    int n;

    switch (sqlite3_column_type(q, i)) {
    case SQLITE_INTEGER:
        pt_sha256_update(s, "i", 1);
        put_be64(s, (unsigned long long)sqlite3_column_int64(q, i));
        break;
    case SQLITE_FLOAT:
        f.d = sqlite3_column_double(q, i);
        if (f.d == 0)
            f.d = 0; /* minus zero reads back as zero */
        pt_sha256_update(s, "f", 1);
        put_be64(s, f.u);
        break;
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
        const void *v = sqlite3_column_type(q, i) == SQLITE_TEXT
                            ? (const void *)sqlite3_column_text(q, i)
                            : sqlite3_column_blob(q, i);
        n = sqlite3_column_bytes(q, i);
        pt_sha256_update(s, sqlite3_column_type(q, i) == SQLITE_TEXT ? "t"
                                                                     : "b",
                         1);
        put_be64(s, (unsigned long long)n);
        if (n > 0)
            pt_sha256_update(s, v, (size_t)n);
        break;
    }
    default:
        pt_sha256_update(s, "n", 1);
    }
}

/* sum += d, modulo 2^256, big-endian. */
static void add256(unsigned char *sum, const unsigned char *d)
{
    unsigned carry = 0;
    int i;

    for (i = PT_SHA256_SIZE - 1; i >= 0; i--) {
        carry += (unsigned)sum[i] + d[i];
        sum[i] = (unsigned char)(carry & 0xff);
        carry >>= 8;
    }
}

/* Add the rows of table `name` with a rowid above `after` to *ts (every
 * row of a table without rowid when after < 0 is not usable). */
static lims_status read_rows(sqlite3 *db, const char *name, long long after,
                             int rowid, tstate *ts, char *err, size_t errlen)
{
    char *sql = rowid ? sqlite3_mprintf("SELECT rowid, * FROM \"%w\" WHERE "
                                        "rowid > %lld",
                                        name, after)
                      : sqlite3_mprintf("SELECT * FROM \"%w\"", name);
    sqlite3_stmt *q = NULL;
    unsigned char d[PT_SHA256_SIZE];
    pt_sha256 s;
    int i, n, st;

    if (!sql) {
        snprintf(err, errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    st = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
    sqlite3_free(sql);
    if (st != SQLITE_OK) {
        snprintf(err, errlen, "reading table %s: %s", name,
                 sqlite3_errmsg(db));
        return LIMS_ERR_DB;
    }
    n = sqlite3_column_count(q);
    while ((st = sqlite3_step(q)) == SQLITE_ROW) {
        pt_sha256_init(&s);
        pt_sha256_update(&s, name, strlen(name) + 1);
        for (i = 0; i < n; i++)
            hash_value(&s, q, i);
        pt_sha256_final(&s, d);
        add256(ts->sum, d);
        ts->rows++;
        if (rowid && sqlite3_column_int64(q, 0) > ts->max_rowid)
            ts->max_rowid = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    if (st != SQLITE_DONE) {
        snprintf(err, errlen, "reading table %s: %s", name,
                 sqlite3_errmsg(db));
        return LIMS_ERR_DB;
    }
    return LIMS_OK;
}

/* Non-zero when the table has rowids (not WITHOUT ROWID). */
static int has_rowid(sqlite3 *db, const char *name)
{
    char *sql = sqlite3_mprintf("SELECT rowid FROM \"%w\" LIMIT 0", name);
    sqlite3_stmt *q = NULL;
    int ok;

    if (!sql)
        return 1;
    ok = sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK;
    sqlite3_finalize(q);
    sqlite3_free(sql);
    return ok;
}

/* ---- the state text ---- */

typedef struct text {
    char *s;
    size_t len, cap;
    int nomem;
} text;

static void text_addn(text *t, const char *s, size_t n)
{
    if (t->nomem)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 4096;
        char *p;
        while (cap < t->len + n + 1)
            cap *= 2;
        if (!(p = realloc(t->s, cap))) {
            t->nomem = 1;
            return;
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = 0;
}

static void text_add(text *t, const char *s)
{
    text_addn(t, s, strlen(s));
}

static int from_hex(const char *hex, unsigned char *d)
{
    int i, hi, lo;

    for (i = 0; i < PT_SHA256_SIZE; i++) {
        hi = hex[2 * i];
        lo = hex[2 * i + 1];
        hi = hi >= 'a' ? hi - 'a' + 10 : hi - '0';
        lo = lo >= 'a' ? lo - 'a' + 10 : lo - '0';
        if (hi < 0 || hi > 15 || lo < 0 || lo > 15)
            return -1;
        d[i] = (unsigned char)(hi << 4 | lo);
    }
    return hex[64] == 0 || hex[64] == '\t' || hex[64] == '\n' ? 0 : -1;
}

/* The line of table `name` in a state text, or NULL. */
static const char *find_line(const char *state, const char *kind,
                             const char *name)
{
    size_t kl = strlen(kind), nl = strlen(name);
    const char *p = state;

    while (p && *p) {
        if (strncmp(p, kind, kl) == 0 && p[kl] == '\t' &&
            strncmp(p + kl + 1, name, nl) == 0 && p[kl + 1 + nl] == '\t')
            return p + kl + 1 + nl + 1;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return NULL;
}

/* The recorded state of table `name`: 0, or -1 when it has none. */
static int recorded_table(const char *state, const char *name, tstate *ts)
{
    const char *p = find_line(state, "table", name);
    char *end;

    memset(ts, 0, sizeof *ts);
    if (!p)
        return -1;
    ts->rows = strtoll(p, &end, 10);
    if (*end != '\t')
        return -1;
    ts->max_rowid = strtoll(end + 1, &end, 10);
    if (*end != '\t')
        return -1;
    return from_hex(end + 1, ts->sum);
}

static void table_line(text *t, const char *name, const tstate *ts)
{
    char line[256], hex[PT_SHA256_HEX_SIZE];

    pt_sha256_digest_hex(ts->sum, hex);
    text_add(t, "table\t");
    text_add(t, name);
    snprintf(line, sizeof line, "\t%lld\t%lld\t%s\n", ts->rows, ts->max_rowid,
             hex);
    text_add(t, line);
}

/* The last state entry's text (caller frees), NULL when there is none. */
static lims_status last_state(sqlite3 *db, char **out, long long *id,
                              char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        db,
        "SELECT id, row_data FROM audit_log WHERE tbl = 'state' AND "
        "row_id = 0 ORDER BY id DESC LIMIT 1",
        &q, err, errlen);

    *out = NULL;
    if (rc)
        return rc;
    if (sqlite3_step(q) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(q, 1);
        if (id)
            *id = sqlite3_column_int64(q, 0);
        if (!(*out = strdup(s ? s : ""))) {
            sqlite3_finalize(q);
            snprintf(err, errlen, "out of memory");
            return LIMS_ERR_NOMEM;
        }
    }
    sqlite3_finalize(q);
    return LIMS_OK;
}

/* Append the definitions of sqlite_schema as they are now. */
static lims_status defs_now(sqlite3 *db, text *t, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    char hex[PT_SHA256_HEX_SIZE];
    lims_status rc = pt_store_prepare(
        db,
        "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE "
        "'sqlite\\_%' ESCAPE '\\' ORDER BY name, type",
        &q, err, errlen);
    int st;

    if (rc)
        return rc;
    while ((st = sqlite3_step(q)) == SQLITE_ROW) {
        const char *sql = (const char *)sqlite3_column_text(q, 2);
        if (sql)
            pt_sha256_hex(sql, (size_t)sqlite3_column_bytes(q, 2), hex);
        else
            snprintf(hex, sizeof hex, "-");
        text_add(t, "def\t");
        text_add(t, pt_store_text(q, 0));
        text_add(t, "\t");
        text_add(t, pt_store_text(q, 1));
        text_add(t, "\t");
        text_add(t, hex);
        text_add(t, "\n");
    }
    sqlite3_finalize(q);
    if (st != SQLITE_DONE) {
        snprintf(err, errlen, "reading the schema: %s", sqlite3_errmsg(db));
        return LIMS_ERR_DB;
    }
    return LIMS_OK;
}

/* The definition lines of a state text, as they were. */
static void defs_then(const char *state, text *t)
{
    const char *p = state, *e;

    while (p && *p) {
        e = strchr(p, '\n');
        if (!e)
            break;
        if (strncmp(p, "def\t", 4) == 0)
            text_addn(t, p, (size_t)(e - p) + 1);
        p = e + 1;
    }
}

/* The state of every table not covered otherwise, into t.  With h: only
 * what h says changed is read (appended rows alone when it can), the rest
 * is copied from `then`; without: every table is read whole. */
static lims_status tables_now(sqlite3 *db, const hook *h, const char *then,
                              text *t, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        db,
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
        &q, err, errlen);
    tstate ts;
    size_t i;
    int st;

    if (rc)
        return rc;
    while (!rc && (st = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = pt_store_text(q, 0);
        const touched *tc = NULL;
        int rowid;

        if (is_covered(name))
            continue;
        rowid = has_rowid(db, name);
        if (h && !h->all && then && recorded_table(then, name, &ts) == 0) {
            for (i = 0; i < h->n; i++)
                if (strcmp(h->t[i].name, name) == 0)
                    tc = &h->t[i];
            if (!tc && rowid) {
                table_line(t, name, &ts);
                continue;
            }
            if (tc && rowid && !tc->rewritten &&
                tc->min_insert > ts.max_rowid) {
                rc = read_rows(db, name, ts.max_rowid, 1, &ts, err, errlen);
                if (!rc)
                    table_line(t, name, &ts);
                continue;
            }
        }
        memset(&ts, 0, sizeof ts);
        rc = read_rows(db, name, -1, rowid, &ts, err, errlen);
        if (!rc)
            table_line(t, name, &ts);
    }
    sqlite3_finalize(q);
    if (!rc && st != SQLITE_DONE) {
        snprintf(err, errlen, "reading the schema: %s", sqlite3_errmsg(db));
        return LIMS_ERR_DB;
    }
    return rc;
}

static int without_rowid_table(sqlite3 *db)
{
    sqlite3_stmt *q = NULL;
    int found = 0, st;

    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_schema WHERE type = "
                           "'table'",
                           -1, &q, NULL) != SQLITE_OK)
        return 1;
    while (!found && (st = sqlite3_step(q)) == SQLITE_ROW)
        found = !is_covered(pt_store_text(q, 0)) &&
                !has_rowid(db, pt_store_text(q, 0));
    sqlite3_finalize(q);
    return found;
}

lims_status pt_state_record(sqlite3 *db, char *err, size_t errlen)
{
    hook *h = hook_of(db);
    char *then = NULL;
    text t = {NULL, 0, 0, 0};
    sqlite3_stmt *q = NULL;
    lims_status rc;

    if (h && h->nomem) {
        snprintf(err, errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    /* tables without rowid tell the hook nothing: read when they exist */
    if (!h || (!h->all && h->n == 0 && !without_rowid_table(db)))
        return LIMS_OK;
    rc = last_state(db, &then, NULL, err, errlen);
    if (!rc)
        rc = tables_now(db, h, then, &t, err, errlen);
    if (!rc) {
        if (h->all || !then)
            rc = defs_now(db, &t, err, errlen);
        else
            defs_then(then, &t);
    }
    if (!rc && t.nomem) {
        snprintf(err, errlen, "out of memory");
        rc = LIMS_ERR_NOMEM;
    }
    if (!rc && (!then || strcmp(then, t.s ? t.s : "") != 0)) {
        rc = pt_store_prepare(
            db,
            "INSERT INTO audit_log (at, action, detail, tbl, row_id, "
            "row_data) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
            "'state', 'tables and definitions', 'state', 0, ?1)",
            &q, err, errlen);
        if (!rc) {
            sqlite3_bind_text(q, 1, t.s ? t.s : "", -1, SQLITE_STATIC);
            if (sqlite3_step(q) != SQLITE_DONE) {
                snprintf(err, errlen, "recording the state: %s",
                         sqlite3_errmsg(db));
                rc = LIMS_ERR_DB;
            }
            sqlite3_finalize(q);
        }
    }
    if (!rc)
        forget(h);
    free(then);
    free(t.s);
    return rc;
}

/* ---- verify ---- */

/* Report what differs between the recorded lines of `kind` and now's. */
static void compare(const char *then, const char *now, const char *kind,
                    pt_state_problem_fn problem, void *ctx, long long entry)
{
    const char *p;
    char msg[512], name[256], type[32];
    size_t kl = strlen(kind);

    /* every line of now: missing from then, or different */
    for (p = now; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        const char *f = p + kl + 1, *e, *old;
        size_t n;

        if (strncmp(p, kind, kl) != 0 || p[kl] != '\t')
            continue;
        if (*kind == 'd') { /* def TYPE NAME HASH */
            e = strchr(f, '\t');
            n = (size_t)(e - f) < sizeof type ? (size_t)(e - f)
                                              : sizeof type - 1;
            memcpy(type, f, n);
            type[n] = 0;
            f = e + 1;
        }
        e = strchr(f, '\t');
        n = (size_t)(e - f) < sizeof name ? (size_t)(e - f) : sizeof name - 1;
        memcpy(name, f, n);
        name[n] = 0;
        if (*kind == 'd') {
            /* find "def\tTYPE\tNAME\t" in then */
            const char *q = then;
            old = NULL;
            while (q && *q && !old) {
                if (strncmp(q, p, (size_t)(e - p) + 1) == 0)
                    old = q + (e - p) + 1;
                q = strchr(q, '\n');
                if (q)
                    q++;
            }
        } else {
            old = find_line(then, kind, name);
        }
        if (!old) {
            if (*kind == 'd')
                snprintf(msg, sizeof msg,
                         "%s %s was created outside ptlims (the state "
                         "recorded at audit log entry %lld has no such "
                         "definition)",
                         type, name, entry);
            else
                snprintf(msg, sizeof msg,
                         "table %s was created outside ptlims (the state "
                         "recorded at audit log entry %lld has no such "
                         "table)",
                         name, entry);
            problem(ctx, msg);
            continue;
        }
        if (strncmp(old, e + 1, strcspn(e + 1, "\n")) != 0 ||
            strcspn(old, "\n") != strcspn(e + 1, "\n")) {
            if (*kind == 'd') {
                snprintf(msg, sizeof msg,
                         "the definition of %s %s was changed outside "
                         "ptlims (it differs from the one recorded at audit "
                         "log entry %lld)",
                         type, name, entry);
            } else {
                long long was = strtoll(old, NULL, 10);
                long long is = strtoll(e + 1, NULL, 10);
                snprintf(msg, sizeof msg,
                         "table %s was changed outside ptlims: %lld rows, "
                         "%lld recorded at audit log entry %lld, and its "
                         "rows differ",
                         name, is, was, entry);
            }
            problem(ctx, msg);
        }
    }
    /* every line of then missing from now */
    for (p = then; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        const char *f = p + kl + 1, *e, *q, *found = NULL;
        size_t n;

        if (strncmp(p, kind, kl) != 0 || p[kl] != '\t')
            continue;
        e = strchr(f, '\t');
        if (!e)
            continue;
        if (*kind == 'd') {
            e = strchr(e + 1, '\t');
            if (!e)
                continue;
        }
        for (q = now; q && *q && !found;) {
            if (strncmp(q, p, (size_t)(e - p) + 1) == 0)
                found = q;
            q = strchr(q, '\n');
            if (q)
                q++;
        }
        if (found)
            continue;
        n = (size_t)(e - f) < sizeof name ? (size_t)(e - f) : sizeof name - 1;
        memcpy(name, f, n);
        name[n] = 0;
        for (q = name; *q; q++)
            if (*q == '\t')
                name[q - name] = ' ';
        snprintf(msg, sizeof msg,
                 "%s %s was dropped outside ptlims (recorded at audit log "
                 "entry %lld)",
                 *kind == 'd' ? "definition" : "table", name, entry);
        problem(ctx, msg);
    }
}

lims_status pt_state_check(sqlite3 *db, pt_state_problem_fn problem,
                           void *ctx, char *err, size_t errlen)
{
    char *then = NULL;
    text t = {NULL, 0, 0, 0};
    long long entry = 0;
    lims_status rc = last_state(db, &then, &entry, err, errlen);

    if (rc)
        return rc;
    if (!then) {
        problem(ctx, "the audit log records no state of the tables: it was "
                     "written by another program");
        return LIMS_OK;
    }
    rc = tables_now(db, NULL, NULL, &t, err, errlen);
    if (!rc)
        rc = defs_now(db, &t, err, errlen);
    if (!rc && t.nomem) {
        snprintf(err, errlen, "out of memory");
        rc = LIMS_ERR_NOMEM;
    }
    if (!rc) {
        compare(then, t.s, "table", problem, ctx, entry);
        compare(then, t.s, "def", problem, ctx, entry);
    }
    free(then);
    free(t.s);
    return rc;
}
