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

static void to_hex(const unsigned char *d, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    int i;

    for (i = 0; i < PT_SHA256_SIZE; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * PT_SHA256_SIZE] = 0;
}

lims_status pt_part_read(pt_part_reader *r, pt_part part, long long round_id,
                         pt_part_state *st, char *err, size_t errlen)
{
    sqlite3_stmt *q = r->q[part];
    pt_sha256 all, row;
    unsigned char d[PT_SHA256_SIZE];
    int i, ncol = sqlite3_column_count(q), step;

    pt_sha256_init(&all);
    pt_sha256_update(&all, "ptlims seal 1", 14);
    pt_sha256_update(&all, part_name[part], strlen(part_name[part]) + 1);
    for (i = 0; i < ncol; i++) {
        const char *c = sqlite3_column_name(q, i);
        pt_sha256_update(&all, c, strlen(c) + 1);
    }
    st->rows = 0;
    sqlite3_reset(q);
    if (part != PT_PART_LABORATORY)
        sqlite3_bind_int64(q, 1, round_id);
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        size_t need = (size_t)(st->rows + 1) * PT_SEAL_ROW_BYTES;
        unsigned char *e;

        if (need > st->cap) {
            size_t c = st->cap ? 2 * st->cap : 64 * PT_SEAL_ROW_BYTES;
            unsigned char *p = realloc(st->row_hashes, c);
            if (!p) {
                sqlite3_reset(q);
                return no_memory(err, errlen);
            }
            st->row_hashes = p;
            st->cap = c;
        }
        pt_sha256_init(&row);
        for (i = 0; i < ncol; i++)
            hash_column(&row, q, i);
        pt_sha256_final(&row, d);
        pt_sha256_update(&all, d, sizeof d);
        e = st->row_hashes + (size_t)st->rows * PT_SEAL_ROW_BYTES;
        put64(e, (uint64_t)sqlite3_column_int64(q, 0));
        memcpy(e + 8, d, 8);
        st->rows++;
    }
    sqlite3_reset(q);
    if (step != SQLITE_DONE)
        return db_fail(r->db, part_name[part], err, errlen);
    pt_sha256_final(&all, d);
    to_hex(d, st->digest);
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
    to_hex(d, hex);
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
    for (i = 0; i < PT_PART_COUNT; i++)
        free(s->touched[i]);
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

lims_status pt_seals_commit(pt_seals *s, const char *action,
                            const char *detail, char *err, size_t errlen)
{
    sqlite3 *db = s->reader.db;
    sqlite3_stmt *ins = NULL;
    pt_part_state st = {0};
    pt_seal_chain chain;
    char hex[PT_SHA256_HEX_SIZE];
    long long audit_id = 0;
    lims_status rc = LIMS_OK;
    size_t i, k, n;
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
    pt_seal_chain_init(&chain);
    for (p = 0; p < PT_PART_COUNT && !rc; p++) {
        long long *t = s->touched[p];

        n = s->n[p];
        if (n > 1)
            qsort(t, n, sizeof *t, cmp_id);
        for (i = 0; i < n && !rc; i = k) {
            for (k = i + 1; k < n && t[k] == t[i]; k++)
                ;
            if ((rc = pt_part_read(&s->reader, (pt_part)p, t[i], &st, err,
                                   errlen)))
                break;
            pt_seal_chain_add(&chain, part_name[p], t[i], st.rows,
                              st.digest);
            sqlite3_reset(ins);
            sqlite3_bind_int64(ins, 1, audit_id);
            sqlite3_bind_text(ins, 2, part_name[p], -1, SQLITE_STATIC);
            if (t[i])
                sqlite3_bind_int64(ins, 3, t[i]);
            else
                sqlite3_bind_null(ins, 3);
            sqlite3_bind_int64(ins, 4, st.rows);
            sqlite3_bind_text(ins, 5, st.digest, -1, SQLITE_STATIC);
            sqlite3_bind_blob(ins, 6,
                              st.row_hashes ? (const void *)st.row_hashes : "",
                              (int)((size_t)st.rows * PT_SEAL_ROW_BYTES),
                              SQLITE_STATIC);
            if (sqlite3_step(ins) != SQLITE_DONE)
                rc = db_fail(db, "seal", err, errlen);
        }
        s->n[p] = 0;
    }
    sqlite3_finalize(ins);
    free(st.row_hashes);
    s->all = 0;
    if (!rc) {
        pt_seal_chain_hex(&chain, hex);
        rc = write_entry(db, audit_id, action, detail, hex, err, errlen);
    }
    return rc;
}
