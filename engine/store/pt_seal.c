/*
 * pt_seal.c -- sealing the record part by part, once per operation (see
 * pt_seal.h for the canonical form).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_seal.h"
#include "pt_store.h"

static const char *const part_name[PT_PART_COUNT] = {
    "laboratory", "round", "round_measurand", "result", "evaluation"};

/* Every column of the part's rows in id order; ?1 is the round id. */
static const char *const part_sql[PT_PART_COUNT] = {
    "SELECT * FROM laboratory ORDER BY id",
    "SELECT * FROM round WHERE id = ?1",
    "SELECT * FROM round_measurand WHERE round_id = ?1 ORDER BY id",
    "SELECT * FROM result WHERE round_id = ?1 ORDER BY id",
    "SELECT * FROM evaluation WHERE round_id = ?1 ORDER BY id"};

const char *pt_part_name(pt_part part)
{
    return part < PT_PART_COUNT ? part_name[part] : "?";
}

static lims_status db_fail(sqlite3 *db, const char *what, char *err,
                           size_t errlen)
{
    snprintf(err, errlen, "seal %s: %s", what, sqlite3_errmsg(db));
    return LIMS_ERR_DB;
}

static lims_status no_memory(char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory");
    return LIMS_ERR_NOMEM;
}

lims_status pt_part_reader_init(pt_part_reader *r, sqlite3 *db, char *err,
                                size_t errlen)
{
    lims_status rc = LIMS_OK;
    int i;

    memset(r, 0, sizeof *r);
    r->db = db;
    for (i = 0; i < PT_PART_COUNT && !rc; i++)
        rc = pt_store_prepare(db, part_sql[i], &r->q[i], err, errlen);
    if (rc)
        pt_part_reader_release(r);
    return rc;
}

void pt_part_reader_release(pt_part_reader *r)
{
    int i;

    for (i = 0; i < PT_PART_COUNT; i++) {
        sqlite3_finalize(r->q[i]);
        r->q[i] = NULL;
    }
}

static void put64(unsigned char *p, uint64_t v)
{
    int i;

    for (i = 7; i >= 0; i--) {
        p[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

long long pt_seal_entry_id(const unsigned char *entry)
{
    unsigned long long v = 0;
    int i;

    for (i = 0; i < 8; i++)
        v = v << 8 | entry[i];
    return (long long)v;
}

/* The canonical bytes of one column into the row's hash. */
static void hash_column(pt_sha256 *s, sqlite3_stmt *q, int i)
{
    unsigned char b[9];
    uint64_t bits;
    double d;
    int n;

    switch (sqlite3_column_type(q, i)) {
    case SQLITE_INTEGER:
        b[0] = 'i';
        put64(b + 1, (uint64_t)sqlite3_column_int64(q, i));
        pt_sha256_update(s, b, 9);
        return;
    case SQLITE_FLOAT:
        d = sqlite3_column_double(q, i);
        memcpy(&bits, &d, sizeof bits);
        b[0] = 'f';
        put64(b + 1, bits);
        pt_sha256_update(s, b, 9);
        return;
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
        int text = sqlite3_column_type(q, i) == SQLITE_TEXT;
        const void *v = text ? (const void *)sqlite3_column_text(q, i)
                             : sqlite3_column_blob(q, i);
        n = sqlite3_column_bytes(q, i);
        b[0] = text ? 't' : 'b';
        b[1] = (unsigned char)((unsigned)n >> 24);
        b[2] = (unsigned char)((unsigned)n >> 16);
        b[3] = (unsigned char)((unsigned)n >> 8);
        b[4] = (unsigned char)n;
        pt_sha256_update(s, b, 5);
        if (n > 0)
            pt_sha256_update(s, v, (size_t)n);
        return;
    }
    default:
        pt_sha256_update(s, "n", 1);
    }
}

/* The start of a part's digest: the format, the part and its columns. */
static void part_header(pt_part_reader *r, pt_part part, pt_sha256 *all)
{
    sqlite3_stmt *q = r->q[part];
    int i, ncol = sqlite3_column_count(q);

    pt_sha256_init(all);
    pt_sha256_update(all, "ptlims seal 1", 14);
    pt_sha256_update(all, part_name[part], strlen(part_name[part]) + 1);
    for (i = 0; i < ncol; i++) {
        const char *c = sqlite3_column_name(q, i);
        pt_sha256_update(all, c, strlen(c) + 1);
    }
}

/* The hash of the row q is on, every column in order. */
static void row_hash(sqlite3_stmt *q, unsigned char d[PT_SHA256_SIZE])
{
    pt_sha256 row;
    int i, ncol = sqlite3_column_count(q);

    pt_sha256_init(&row);
    for (i = 0; i < ncol; i++)
        hash_column(&row, q, i);
    pt_sha256_final(&row, d);
}

/* Room for one more (id, hash) entry in st. */
static lims_status grow(pt_part_state *st, long long more, char *err,
                        size_t errlen)
{
    size_t need = (size_t)(st->rows + more) * PT_SEAL_ROW_BYTES;

    if (need > st->cap) {
        size_t c = st->cap ? 2 * st->cap : 64 * PT_SEAL_ROW_BYTES;
        unsigned char *p;
        while (c < need)
            c *= 2;
        if (!(p = realloc(st->row_hashes, c)))
            return no_memory(err, errlen);
        st->row_hashes = p;
        st->cap = c;
    }
    return LIMS_OK;
}

static void finish(pt_sha256 *all, pt_part_state *st)
{
    unsigned char d[PT_SHA256_SIZE];

    pt_sha256_final(all, d);
    pt_sha256_digest_hex(d, st->digest);
}

lims_status pt_part_read(pt_part_reader *r, pt_part part, long long round_id,
                         pt_part_state *st, char *err, size_t errlen)
{
    sqlite3_stmt *q = r->q[part];
    pt_sha256 all;
    int step;

    part_header(r, part, &all);
    st->rows = 0;
    sqlite3_reset(q);
    if (part != PT_PART_LABORATORY)
        sqlite3_bind_int64(q, 1, round_id);
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        unsigned char *e;

        if (grow(st, 1, err, errlen)) {
            sqlite3_reset(q);
            return LIMS_ERR_NOMEM;
        }
        e = st->row_hashes + (size_t)st->rows * PT_SEAL_ROW_BYTES;
        put64(e, (uint64_t)sqlite3_column_int64(q, 0));
        row_hash(q, e + 8);
        pt_sha256_update(&all, e + 8, PT_SHA256_SIZE);
        st->rows++;
    }
    sqlite3_reset(q);
    if (step != SQLITE_DONE)
        return db_fail(r->db, part_name[part], err, errlen);
    finish(&all, st);
    return LIMS_OK;
}

void pt_seal_chain_init(pt_seal_chain *c)
{
    pt_sha256_init(&c->sha);
}

void pt_seal_chain_add(pt_seal_chain *c, const char *part, long long round_id,
                       long long rows, const char *digest)
{
    char line[256];
    int n;

    if (round_id)
        n = snprintf(line, sizeof line, "%s|%lld|%lld|%s\n", part, round_id,
                     rows, digest);
    else
        n = snprintf(line, sizeof line, "%s|-|%lld|%s\n", part, rows,
                     digest);
    pt_sha256_update(&c->sha, line, (size_t)n);
}

void pt_seal_chain_hex(pt_seal_chain *c, char hex[PT_SHA256_HEX_SIZE])
{
    unsigned char d[PT_SHA256_SIZE];

    pt_sha256_final(&c->sha, d);
    pt_sha256_digest_hex(d, hex);
}

lims_status pt_seals_init(pt_seals *s, sqlite3 *db, char *err, size_t errlen)
{
    lims_status rc;

    memset(s, 0, sizeof *s);
    rc = pt_part_reader_init(&s->reader, db, err, errlen);
    return rc;
}

void pt_seals_release(pt_seals *s)
{
    int i;

    pt_part_reader_release(&s->reader);
    for (i = 0; i < PT_PART_COUNT; i++) {
        free(s->touched[i]);
        free(s->appended[i]);
    }
    memset(s, 0, sizeof *s);
}

lims_status pt_seals_touch(pt_seals *s, pt_part part, long long round_id,
                           char *err, size_t errlen)
{
    size_t n = s->n[part];

    if (n > 0 && s->touched[part][n - 1] == round_id)
        return LIMS_OK; /* rows of one round usually come together */
    if (n == s->cap[part]) {
        size_t c = n ? 2 * n : 16;
        long long *p = realloc(s->touched[part], c * sizeof *p);
        if (!p)
            return no_memory(err, errlen);
        s->touched[part] = p;
        s->cap[part] = c;
    }
    s->touched[part][s->n[part]++] = round_id;
    return LIMS_OK;
}

/* The column of q that holds a row's round id: round_id, or the id itself
 * for the round table; -1 for the laboratory table. */
static int round_column(pt_part part, sqlite3_stmt *q)
{
    int i, n = sqlite3_column_count(q);

    if (part == PT_PART_ROUND)
        return 0;
    for (i = 0; i < n; i++)
        if (strcmp(sqlite3_column_name(q, i), "round_id") == 0)
            return i;
    return -1;
}

lims_status pt_seals_append_from(pt_seals *s, pt_part part,
                                 long long first_id, char *err,
                                 size_t errlen)
{
    char sql[96];
    sqlite3_stmt *q;
    lims_status rc;
    int col, step;

    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE id >= ?1 ORDER BY id",
             part_name[part]);
    if ((rc = pt_store_prepare(s->reader.db, sql, &q, err, errlen)))
        return rc;
    sqlite3_bind_int64(q, 1, first_id);
    col = round_column(part, q);
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        pt_seal_row *r;

        if (s->n_app[part] == s->cap_app[part]) {
            size_t c = s->cap_app[part] ? 2 * s->cap_app[part] : 256;
            if (!(r = realloc(s->appended[part], c * sizeof *r))) {
                sqlite3_finalize(q);
                return no_memory(err, errlen);
            }
            s->appended[part] = r;
            s->cap_app[part] = c;
        }
        r = &s->appended[part][s->n_app[part]++];
        r->round_id = col < 0 ? 0 : sqlite3_column_int64(q, col);
        r->id = sqlite3_column_int64(q, 0);
        row_hash(q, r->hash);
    }
    if (step != SQLITE_DONE)
        rc = db_fail(s->reader.db, part_name[part], err, errlen);
    sqlite3_finalize(q);
    return rc;
}

void pt_seals_touch_all(pt_seals *s)
{
    s->all = 1;
}

static int cmp_id(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

/* Every round that has, or had when last sealed, rows of any part. */
static lims_status every_round(pt_seals *s, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        s->reader.db,
        "SELECT id FROM round UNION SELECT round_id FROM seal "
        "WHERE round_id IS NOT NULL",
        &q, err, errlen);
    int i, step;

    if (rc)
        return rc;
    for (i = 0; i < PT_PART_COUNT; i++)
        s->n[i] = 0;
    rc = pt_seals_touch(s, PT_PART_LABORATORY, 0, err, errlen);
    while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW)
        for (i = PT_PART_ROUND; i < PT_PART_COUNT && !rc; i++)
            rc = pt_seals_touch(s, (pt_part)i, sqlite3_column_int64(q, 0),
                                err, errlen);
    if (!rc && step != SQLITE_DONE)
        rc = db_fail(s->reader.db, "rounds", err, errlen);
    sqlite3_finalize(q);
    return rc;
}

/* The id the next audit entry will get, inside the write transaction. */
static lims_status next_audit_id(sqlite3 *db, long long *id, char *err,
                                 size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        db, "SELECT coalesce(max(id), 0) + 1 FROM audit_log", &q, err,
        errlen);

    if (rc)
        return rc;
    if (sqlite3_step(q) == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    else
        rc = db_fail(db, "audit log", err, errlen);
    sqlite3_finalize(q);
    return rc;
}

static lims_status write_entry(sqlite3 *db, long long id, const char *action,
                               const char *detail, const char *chain,
                               char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        db,
        "INSERT INTO audit_log (id, at, action, detail, tbl, row_data) "
        "VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2, ?3, "
        "'seal', ?4)",
        &q, err, errlen);

    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_text(q, 2, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, detail, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, chain, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = db_fail(db, "audit log", err, errlen);
    sqlite3_finalize(q);
    return rc;
}

static int cmp_app(const void *a, const void *b)
{
    const pt_seal_row *x = a, *y = b;

    if (x->round_id != y->round_id)
        return x->round_id < y->round_id ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static int touched(const pt_seals *s, int p, long long round_id)
{
    const long long *t = s->touched[p];

    return s->n[p] > 0 &&
           bsearch(&round_id, t, s->n[p], sizeof *t, cmp_id) != NULL;
}

/* The part of round_id as its last seal and the rows app[0..n) appended
 * since: *ok = 0 when that is not possible (no usable last seal for rows
 * already there, or an appended row not after the sealed ones), and the
 * part must be read again. */
static lims_status extend(pt_seals *s, sqlite3_stmt *last, pt_part part,
                          long long round_id, const pt_seal_row *app,
                          size_t n, pt_part_state *st, int *ok, char *err,
                          size_t errlen)
{
    pt_sha256 all;
    long long i, prior = 0;
    const unsigned char *blob = NULL;

    *ok = 0;
    sqlite3_reset(last);
    sqlite3_bind_text(last, 1, part_name[part], -1, SQLITE_STATIC);
    sqlite3_bind_int64(last, 2, round_id);
    if (sqlite3_step(last) == SQLITE_ROW) {
        prior = sqlite3_column_int64(last, 0);
        blob = sqlite3_column_blob(last, 1);
        if (sqlite3_column_bytes(last, 1) != prior * PT_SEAL_ROW_BYTES ||
            (prior > 0 &&
             pt_seal_entry_id(blob + (prior - 1) * PT_SEAL_ROW_BYTES) >= app[0].id)) {
            sqlite3_reset(last);
            return LIMS_OK;
        }
    }
    st->rows = 0;
    if (grow(st, prior + (long long)n, err, errlen)) {
        sqlite3_reset(last);
        return LIMS_ERR_NOMEM;
    }
    if (prior)
        memcpy(st->row_hashes, blob, (size_t)prior * PT_SEAL_ROW_BYTES);
    sqlite3_reset(last);
    for (i = 0; i < (long long)n; i++) {
        unsigned char *e =
            st->row_hashes + (size_t)(prior + i) * PT_SEAL_ROW_BYTES;
        put64(e, (uint64_t)app[i].id);
        memcpy(e + 8, app[i].hash, PT_SHA256_SIZE);
    }
    st->rows = prior + (long long)n;
    part_header(&s->reader, part, &all);
    for (i = 0; i < st->rows; i++)
        pt_sha256_update(&all, st->row_hashes + i * PT_SEAL_ROW_BYTES + 8,
                         PT_SHA256_SIZE);
    finish(&all, st);
    *ok = 1;
    return LIMS_OK;
}

/* Write one seal row and add it to the entry's chain. */
static lims_status put_seal(sqlite3 *db, sqlite3_stmt *ins, long long audit_id,
                            pt_part part, long long round_id,
                            const pt_part_state *st, pt_seal_chain *chain,
                            char *err, size_t errlen)
{
    pt_seal_chain_add(chain, part_name[part], round_id, st->rows,
                      st->digest);
    sqlite3_reset(ins);
    sqlite3_bind_int64(ins, 1, audit_id);
    sqlite3_bind_text(ins, 2, part_name[part], -1, SQLITE_STATIC);
    if (round_id)
        sqlite3_bind_int64(ins, 3, round_id);
    else
        sqlite3_bind_null(ins, 3);
    sqlite3_bind_int64(ins, 4, st->rows);
    sqlite3_bind_text(ins, 5, st->digest, -1, SQLITE_STATIC);
    sqlite3_bind_blob(ins, 6,
                      st->row_hashes ? (const void *)st->row_hashes : "",
                      (int)((size_t)st->rows * PT_SEAL_ROW_BYTES),
                      SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE)
        return db_fail(db, "seal", err, errlen);
    return LIMS_OK;
}

/* Reading many rounds of a part in one pass: every row of the table in
 * round order, each touched round's rows hashed as the pass reaches them
 * (cheaper than a query per round once the rounds are many). */
typedef struct sweep {
    sqlite3_stmt *q;  /* every row of the table in round order, then id */
    int round_col;    /* the column with the round id */
    int have;         /* q is on a row not yet used */
} sweep;

static lims_status sweep_open(pt_seals *s, pt_part part, sweep *w,
                              char *err, size_t errlen)
{
    char sql[128];
    lims_status rc;

    memset(w, 0, sizeof *w);
    /* a round's own row is the round part: its round id is its id */
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY %s",
             part_name[part],
             part == PT_PART_ROUND ? "id" : "round_id, id");
    if ((rc = pt_store_prepare(s->reader.db, sql, &w->q, err, errlen)))
        return rc;
    w->round_col = round_column(part, w->q);
    return LIMS_OK;
}

/* Part of round_id into st, the sweep moving on past its rows. */
static lims_status sweep_read(pt_seals *s, sweep *w, pt_part part,
                              long long round_id, pt_part_state *st,
                              char *err, size_t errlen)
{
    pt_sha256 all;
    int step;

    part_header(&s->reader, part, &all);
    st->rows = 0;
    for (;;) {
        unsigned char *e;
        long long r;

        if (!w->have) {
            if ((step = sqlite3_step(w->q)) == SQLITE_DONE)
                break;
            if (step != SQLITE_ROW)
                return db_fail(s->reader.db, part_name[part], err, errlen);
            w->have = 1;
        }
        r = sqlite3_column_int64(w->q, w->round_col);
        if (r > round_id)
            break;
        w->have = 0;
        if (r < round_id)
            continue;
        if (grow(st, 1, err, errlen))
            return LIMS_ERR_NOMEM;
        e = st->row_hashes + (size_t)st->rows * PT_SEAL_ROW_BYTES;
        put64(e, (uint64_t)sqlite3_column_int64(w->q, 0));
        row_hash(w->q, e + 8);
        pt_sha256_update(&all, e + 8, PT_SHA256_SIZE);
        st->rows++;
    }
    finish(&all, st);
    return LIMS_OK;
}

/* Are n rounds of a part many enough to read in one sweep: at least 64
 * and a quarter of all rounds? */
static int worth_a_sweep(sqlite3 *db, size_t n)
{
    sqlite3_stmt *q;
    long long rounds = -1;

    if (n < 64 || sqlite3_prepare_v2(db, "SELECT count(*) FROM round", -1,
                                     &q, NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(q) == SQLITE_ROW)
        rounds = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return rounds >= 0 && (long long)n * 4 >= rounds;
}

/* Every round of part p: the rewritten ones read again, the others from
 * their last seal and the rows appended to them, in round order. */
static lims_status seal_part(pt_seals *s, int p, sqlite3_stmt *ins,
                             sqlite3_stmt *last, long long audit_id,
                             pt_part_state *st, pt_seal_chain *chain,
                             char *err, size_t errlen)
{
    sqlite3 *db = s->reader.db;
    long long *t = s->touched[p];
    pt_seal_row *app = s->appended[p];
    size_t n = s->n[p], na = s->n_app[p], i = 0, a = 0, k;
    lims_status rc = LIMS_OK;
    sweep w = {NULL, 0, 0};
    int ok;

    if (n > 1)
        qsort(t, n, sizeof *t, cmp_id);
    for (i = k = 0; i < n; i++) /* unique round ids */
        if (k == 0 || t[k - 1] != t[i])
            t[k++] = t[i];
    s->n[p] = n = k;
    for (i = 1; i < na && cmp_app(&app[i - 1], &app[i]) < 0; i++)
        ;
    if (i < na) /* an import of one round after another is in order */
        qsort(app, na, sizeof *app, cmp_app);
    if (p != PT_PART_LABORATORY && worth_a_sweep(db, n))
        rc = sweep_open(s, (pt_part)p, &w, err, errlen);
    i = 0;
    while (!rc && (i < n || a < na)) {
        long long round_id;
        size_t end = a;

        if (a < na && (i >= n || app[a].round_id < t[i]))
            round_id = app[a].round_id; /* appended to only */
        else
            round_id = t[i++]; /* rewritten, perhaps appended to as well */
        while (end < na && app[end].round_id == round_id)
            end++;
        ok = 0;
        if (end > a && !touched(s, p, round_id))
            rc = extend(s, last, (pt_part)p, round_id, app + a, end - a, st,
                        &ok, err, errlen);
        a = end;
        if (!rc && !ok)
            rc = w.q ? sweep_read(s, &w, (pt_part)p, round_id, st, err,
                                  errlen)
                     : pt_part_read(&s->reader, (pt_part)p, round_id, st,
                                    err, errlen);
        if (!rc)
            rc = put_seal(db, ins, audit_id, (pt_part)p, round_id, st, chain,
                          err, errlen);
    }
    sqlite3_finalize(w.q);
    s->n[p] = 0;
    s->n_app[p] = 0;
    return rc;
}

lims_status pt_seals_commit(pt_seals *s, const char *action,
                            const char *detail, char *err, size_t errlen)
{
    sqlite3 *db = s->reader.db;
    sqlite3_stmt *ins = NULL, *last = NULL;
    pt_part_state st = {0};
    pt_seal_chain chain;
    char hex[PT_SHA256_HEX_SIZE];
    long long audit_id = 0;
    lims_status rc = LIMS_OK;
    int p;

    if (s->all)
        rc = every_round(s, err, errlen);
    if (!rc)
        rc = next_audit_id(db, &audit_id, err, errlen);
    if (!rc)
        rc = pt_store_prepare(db,
                              "INSERT INTO seal (audit_id, part, round_id, "
                              "rows, digest, row_hashes) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                              &ins, err, errlen);
    if (!rc)
        rc = pt_store_prepare(db,
                              "SELECT rows, row_hashes FROM seal WHERE "
                              "part = ?1 AND round_id = ?2 "
                              "ORDER BY id DESC LIMIT 1",
                              &last, err, errlen);
    pt_seal_chain_init(&chain);
    for (p = 0; p < PT_PART_COUNT && !rc; p++)
        rc = seal_part(s, p, ins, last, audit_id, &st, &chain, err, errlen);
    sqlite3_finalize(ins);
    sqlite3_finalize(last);
    free(st.row_hashes);
    s->all = 0;
    if (!rc) {
        pt_seal_chain_hex(&chain, hex);
        rc = write_entry(db, audit_id, action, detail, hex, err, errlen);
    }
    return rc;
}
