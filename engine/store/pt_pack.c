/*
 * pt_pack.c -- packing each group's results for evaluation (pt_pack.h).
 *
 * A pack is written in one of two ways.  Rows an import inserts are
 * collected in memory and merged into the group's stored pack when the
 * import ends, so older rows are not read again.  A round that changed in
 * a way not known row by row (a correction, a change applied from another
 * database, a migration) is packed again from its result rows, read in
 * pack order.  pt_packs_check reads every group in pack order the same
 * way and compares the pack that gives with the stored one.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_intern.h"
#include "pt_pack.h"
#include "pt_store.h"

struct pt_pack_group {
    long long round_id;
    char *measurand, *item;
    pt_pack_record *r;
    size_t n, cap;
};

/* ---- records ------------------------------------------------------------ */

static void put_le(unsigned char *out, uint64_t v, int bytes)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(out, &v, (size_t)bytes);
#else
    for (int i = 0; i < bytes; i++)
        out[i] = (unsigned char)(v >> (8 * i));
#endif
}

static uint64_t get_le(const unsigned char *in, int bytes)
{
    uint64_t v = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&v, in, (size_t)bytes);
#else
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)in[i] << (8 * i);
#endif
    return v;
}

static uint64_t bits_of(double d)
{
    uint64_t u;

    memcpy(&u, &d, sizeof u);
    return u;
}

static double double_of(uint64_t u)
{
    double d;

    memcpy(&d, &u, sizeof d);
    return d;
}

void pt_pack_encode(const pt_pack_record *r, unsigned char *out)
{
    put_le(out, (uint64_t)r->id, 8);
    put_le(out + 8, (uint64_t)r->lab, 8);
    put_le(out + 16, (uint32_t)r->version, 4);
    put_le(out + 20, bits_of(r->value), 8);
    put_le(out + 28, bits_of(isnan(r->U) ? NAN : r->U), 8);
    put_le(out + 36, bits_of(isnan(r->k) ? NAN : r->k), 8);
}

void pt_pack_decode(const unsigned char *in, pt_pack_record *r)
{
    r->id = (long long)get_le(in, 8);
    r->lab = (long long)get_le(in + 8, 8);
    r->version = (int)(int32_t)(uint32_t)get_le(in + 16, 4);
    r->value = double_of(get_le(in + 20, 8));
    r->U = double_of(get_le(in + 28, 8));
    r->k = double_of(get_le(in + 36, 8));
}

int pt_pack_before(const pt_pack_record *a, const pt_pack_record *b)
{
    if (a->lab != b->lab)
        return a->lab < b->lab;
    return a->version > b->version;
}

static int cmp_records(const void *pa, const void *pb)
{
    const pt_pack_record *a = pa, *b = pb;

    return pt_pack_before(a, b) ? -1 : pt_pack_before(b, a) ? 1 : 0;
}

static lims_status no_memory(char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory");
    return LIMS_ERR_NOMEM;
}

/* ---- reading groups in pack order ---------------------------------------
 *
 * The result rows are read in storage order (an ORDER BY on the table
 * would read it through an index, row by row, several times slower) and
 * put in pack order in memory. */

/* What each_group calls with every group's pack. */
typedef lims_status (*group_fn)(void *ctx, long long round_id,
                                const char *measurand, const char *item,
                                const unsigned char *data, size_t n,
                                char *err, size_t errlen);

/* One result row as a pack needs it. */
typedef struct prow {
    long long round_id;
    unsigned m, it;           /* interned measurand and item */
    unsigned m_rank, it_rank; /* their alphabetical ranks */
    pt_pack_record r;
} prow;

static int cmp_prow(const void *pa, const void *pb)
{
    const prow *a = pa, *b = pb;

    if (a->round_id != b->round_id)
        return a->round_id < b->round_id ? -1 : 1;
    if (a->m_rank != b->m_rank)
        return a->m_rank < b->m_rank ? -1 : 1;
    if (a->it_rank != b->it_rank)
        return a->it_rank < b->it_rank ? -1 : 1;
    return cmp_records(&a->r, &b->r);
}

/* The result rows of round_id (0: every round) into *out (OUT, the
 * caller frees it), in pack order; their texts interned in str. */
static lims_status load_rows(sqlite3 *db, long long round_id, pt_intern *str,
                             prow **out, size_t *n_out, char *err,
                             size_t errlen)
{
    sqlite3_stmt *q;
    prow *rows = NULL;
    size_t n = 0, cap = 0, i, *rank = NULL;
    long m = -1, it = -1;
    lims_status rc = pt_store_prepare(
        db,
        round_id ? "SELECT round_id, measurand, item, id, lab_id, version, "
                   "value, U, k FROM result x WHERE round_id = ?1 AND "
                   "NOT EXISTS (SELECT 1 FROM voided v WHERE v.kind = "
                   "'result' AND v.row_id = x.id)"
                 : "SELECT round_id, measurand, item, id, lab_id, version, "
                   "value, U, k FROM result x WHERE NOT EXISTS (SELECT 1 "
                   "FROM voided v WHERE v.kind = 'result' AND v.row_id = "
                   "x.id)",
        &q, err, errlen);
    int st = SQLITE_DONE;

    if (rc)
        return rc;
    if (round_id)
        sqlite3_bind_int64(q, 1, round_id);
    while (!rc && (st = sqlite3_step(q)) == SQLITE_ROW) {
        const char *qm = pt_store_text(q, 1), *qi = pt_store_text(q, 2);
        prow *x;

        if (n == cap) {
            size_t c = cap ? 2 * cap : 1024;
            if (!(x = realloc(rows, c * sizeof *x))) {
                rc = no_memory(err, errlen);
                break;
            }
            rows = x;
            cap = c;
        }
        /* rows of one group usually follow each other */
        if (m < 0 || strcmp(str->s[m], qm) != 0)
            m = pt_intern_index(str, qm);
        if (it < 0 || strcmp(str->s[it], qi) != 0)
            it = pt_intern_index(str, qi);
        if (m < 0 || it < 0) {
            rc = no_memory(err, errlen);
            break;
        }
        x = &rows[n++];
        x->round_id = sqlite3_column_int64(q, 0);
        x->m = (unsigned)m;
        x->it = (unsigned)it;
        x->r.id = sqlite3_column_int64(q, 3);
        x->r.lab = sqlite3_column_int64(q, 4);
        x->r.version = sqlite3_column_int(q, 5);
        x->r.value = sqlite3_column_double(q, 6);
        x->r.U = pt_store_num(q, 7);
        x->r.k = pt_store_num(q, 8);
    }
    if (!rc && st != SQLITE_DONE) {
        snprintf(err, errlen, "reading the results: %s", sqlite3_errmsg(db));
        rc = LIMS_ERR_DB;
    }
    sqlite3_finalize(q);
    if (!rc && str->n && !(rank = malloc(str->n * sizeof *rank)))
        rc = no_memory(err, errlen);
    if (!rc && pt_intern_rank(str, rank) != 0)
        rc = no_memory(err, errlen);
    if (rc) {
        free(rows);
        free(rank);
        return rc;
    }
    for (i = 0; i < n; i++) {
        rows[i].m_rank = (unsigned)rank[rows[i].m];
        rows[i].it_rank = (unsigned)rank[rows[i].it];
    }
    free(rank);
    if (n > 1)
        qsort(rows, n, sizeof *rows, cmp_prow);
    *out = rows;
    *n_out = n;
    return LIMS_OK;
}

/* Call fn with the pack of every group of round_id's result rows (0:
 * every round's), in pack order. */
static lims_status each_group(sqlite3 *db, long long round_id, group_fn fn,
                              void *ctx, char *err, size_t errlen)
{
    pt_intern str = {0};
    prow *rows = NULL;
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0, i = 0, j, k;
    lims_status rc = load_rows(db, round_id, &str, &rows, &n, err, errlen);

    while (!rc && i < n) {
        for (j = i + 1; j < n && rows[j].round_id == rows[i].round_id &&
                        rows[j].m == rows[i].m && rows[j].it == rows[i].it;
             j++)
            ;
        if ((j - i) * PT_PACK_RECORD_BYTES > cap) {
            unsigned char *p;
            cap = (j - i) * PT_PACK_RECORD_BYTES;
            if (!(p = realloc(buf, cap))) {
                rc = no_memory(err, errlen);
                break;
            }
            buf = p;
        }
        for (k = i; k < j; k++)
            pt_pack_encode(&rows[k].r, buf + (k - i) * PT_PACK_RECORD_BYTES);
        rc = fn(ctx, rows[i].round_id, str.s[rows[i].m], str.s[rows[i].it],
                buf, j - i, err, errlen);
        i = j;
    }
    free(buf);
    free(rows);
    pt_intern_free(&str);
    return rc;
}

/* ---- writing ------------------------------------------------------------ */

void pt_packs_init(pt_packs *p, sqlite3 *db)
{
    memset(p, 0, sizeof *p);
    p->db = db;
}

void pt_packs_release(pt_packs *p)
{
    size_t i;

    for (i = 0; i < p->n; i++) {
        free(p->g[i].measurand);
        free(p->g[i].item);
        free(p->g[i].r);
    }
    free(p->g);
    free(p->slot);
    free(p->touched);
    memset(p, 0, sizeof *p);
}

static size_t group_hash(long long round_id, const char *m, const char *it)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)round_id;

    h *= 1099511628211ull;
    while (*m)
        h = (h ^ (unsigned char)*m++) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    while (*it)
        h = (h ^ (unsigned char)*it++) * 1099511628211ull;
    return (size_t)(h ^ (h >> 29));
}

static int same_group(const pt_pack_group *g, long long round_id,
                      const char *m, const char *it)
{
    return g->round_id == round_id && strcmp(g->measurand, m) == 0 &&
           strcmp(g->item, it) == 0;
}

static int grow_slots(pt_packs *p)
{
    size_t n = p->nslot ? 2 * p->nslot : 64, i, h;
    size_t *slot = calloc(n, sizeof *slot);

    if (!slot)
        return -1;
    for (i = 0; i < p->n; i++) {
        const pt_pack_group *g = &p->g[i];
        for (h = group_hash(g->round_id, g->measurand, g->item) & (n - 1);
             slot[h]; h = (h + 1) & (n - 1))
            ;
        slot[h] = i + 1;
    }
    free(p->slot);
    p->slot = slot;
    p->nslot = n;
    return 0;
}

/* The group (round_id, m, it), added when new; NULL when out of memory. */
static pt_pack_group *find_group(pt_packs *p, long long round_id,
                                 const char *m, const char *it)
{
    pt_pack_group *g;
    size_t h, k;

    if (p->last && same_group(&p->g[p->last - 1], round_id, m, it))
        return &p->g[p->last - 1];
    if (2 * (p->n + 1) > p->nslot && grow_slots(p) != 0)
        return NULL;
    for (h = group_hash(round_id, m, it) & (p->nslot - 1);
         (k = p->slot[h]) != 0; h = (h + 1) & (p->nslot - 1))
        if (same_group(&p->g[k - 1], round_id, m, it)) {
            p->last = k;
            return &p->g[k - 1];
        }
    if (p->n == p->cap) {
        size_t c = p->cap ? 2 * p->cap : 16;
        g = realloc(p->g, c * sizeof *g);
        if (!g)
            return NULL;
        p->g = g;
        p->cap = c;
    }
    g = &p->g[p->n];
    memset(g, 0, sizeof *g);
    g->round_id = round_id;
    g->measurand = strdup(m);
    g->item = strdup(it);
    if (!g->measurand || !g->item) {
        free(g->measurand);
        free(g->item);
        return NULL;
    }
    p->slot[h] = ++p->n;
    p->last = p->n;
    return g;
}

lims_status pt_packs_add(pt_packs *p, long long round_id,
                         const char *measurand, const char *item,
                         const pt_pack_record *r, char *err, size_t errlen)
{
    pt_pack_group *g = find_group(p, round_id, measurand, item);

    if (!g)
        return no_memory(err, errlen);
    if (g->n == g->cap) {
        size_t c = g->cap ? 2 * g->cap : 16;
        pt_pack_record *x = realloc(g->r, c * sizeof *x);
        if (!x)
            return no_memory(err, errlen);
        g->r = x;
        g->cap = c;
    }
    g->r[g->n++] = *r;
    return LIMS_OK;
}

lims_status pt_packs_touch(pt_packs *p, long long round_id, char *err,
                           size_t errlen)
{
    if (p->n_touched == p->cap_touched) {
        size_t c = p->cap_touched ? 2 * p->cap_touched : 8;
        long long *t = realloc(p->touched, c * sizeof *t);
        if (!t)
            return no_memory(err, errlen);
        p->touched = t;
        p->cap_touched = c;
    }
    p->touched[p->n_touched++] = round_id;
    return LIMS_OK;
}

void pt_packs_touch_all(pt_packs *p) { p->all = 1; }

static const char write_sql[] =
    "INSERT INTO result_pack (round_id, measurand, item, n, data) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (round_id, measurand, item) "
    "DO UPDATE SET n = excluded.n, data = excluded.data";

/* group_fn of pt_packs_commit: store the pack (ctx: the write statement). */
static lims_status write_pack(void *ctx, long long round_id,
                              const char *measurand, const char *item,
                              const unsigned char *data, size_t n, char *err,
                              size_t errlen)
{
    sqlite3_stmt *w = ctx;

    sqlite3_reset(w);
    sqlite3_bind_int64(w, 1, round_id);
    sqlite3_bind_text(w, 2, measurand, -1, SQLITE_STATIC);
    sqlite3_bind_text(w, 3, item, -1, SQLITE_STATIC);
    sqlite3_bind_int64(w, 4, (long long)n);
    sqlite3_bind_blob(w, 5, data, (int)(n * PT_PACK_RECORD_BYTES),
                      SQLITE_STATIC);
    if (sqlite3_step(w) != SQLITE_DONE) {
        snprintf(err, errlen, "result pack: %s",
                 sqlite3_errmsg(sqlite3_db_handle(w)));
        sqlite3_reset(w);
        return LIMS_ERR_DB;
    }
    sqlite3_reset(w);
    return LIMS_OK;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

static int is_touched(const pt_packs *p, long long round_id)
{
    return p->all ||
           (p->n_touched > 0 && bsearch(&round_id, p->touched, p->n_touched,
                                        sizeof *p->touched, cmp_ll) != NULL);
}

/* Pack rounds again from their rows: all (p->all) or those touched. */
static lims_status repack(pt_packs *p, sqlite3_stmt *w, char *err,
                          size_t errlen)
{
    sqlite3_stmt *del;
    lims_status rc;
    size_t i;

    if ((rc = pt_store_prepare(p->db,
                               p->all ? "DELETE FROM result_pack"
                                      : "DELETE FROM result_pack WHERE "
                                        "round_id = ?1",
                               &del, err, errlen)))
        return rc;
    for (i = 0; !rc && i < (p->all ? 1 : p->n_touched); i++) {
        long long round_id = p->all ? 0 : p->touched[i];
        if (round_id)
            sqlite3_bind_int64(del, 1, round_id);
        if (sqlite3_step(del) != SQLITE_DONE) {
            snprintf(err, errlen, "result pack: %s", sqlite3_errmsg(p->db));
            rc = LIMS_ERR_DB;
        }
        sqlite3_reset(del);
        if (!rc)
            rc = each_group(p->db, round_id, write_pack, w, err, errlen);
    }
    sqlite3_finalize(del);
    return rc;
}

/* Merge group g's added records into its stored pack.  *damaged is set
 * (OUT) when the stored pack is not a whole number of records in order,
 * which leaves the pack to be made again from the round's rows. */
static lims_status merge_group(pt_pack_group *g,
                               sqlite3_stmt *rd, sqlite3_stmt *w,
                               int *damaged, char *err, size_t errlen)
{
    const unsigned char *old = NULL;
    size_t n_old = 0, i, n;
    unsigned char *buf;
    lims_status rc;

    *damaged = 0;
    sqlite3_reset(rd);
    sqlite3_bind_int64(rd, 1, g->round_id);
    sqlite3_bind_text(rd, 2, g->measurand, -1, SQLITE_STATIC);
    sqlite3_bind_text(rd, 3, g->item, -1, SQLITE_STATIC);
    if (sqlite3_step(rd) == SQLITE_ROW) {
        size_t bytes = (size_t)sqlite3_column_bytes(rd, 1);
        old = sqlite3_column_blob(rd, 1);
        n_old = bytes / PT_PACK_RECORD_BYTES;
        if (bytes % PT_PACK_RECORD_BYTES ||
            sqlite3_column_int64(rd, 0) != (long long)n_old) {
            *damaged = 1;
            sqlite3_reset(rd);
            return LIMS_OK;
        }
    }
    n = n_old + g->n;
    if (n_old) { /* the stored records join the added ones, then sorted */
        pt_pack_record *x = realloc(g->r, n * sizeof *x);
        if (!x) {
            sqlite3_reset(rd);
            return no_memory(err, errlen);
        }
        g->r = x;
        g->cap = n;
        for (i = 0; i < n_old; i++)
            pt_pack_decode(old + i * PT_PACK_RECORD_BYTES, &g->r[g->n + i]);
    }
    sqlite3_reset(rd);
    qsort(g->r, n, sizeof *g->r, cmp_records);
    if (!(buf = malloc(n * PT_PACK_RECORD_BYTES)))
        return no_memory(err, errlen);
    for (i = 0; i < n; i++)
        pt_pack_encode(&g->r[i], buf + i * PT_PACK_RECORD_BYTES);
    rc = write_pack(w, g->round_id, g->measurand, g->item, buf, n, err,
                    errlen);
    free(buf);
    return rc;
}

lims_status pt_packs_commit(pt_packs *p, char *err, size_t errlen)
{
    sqlite3_stmt *w = NULL, *rd = NULL;
    lims_status rc;
    size_t i;
    int damaged;

    if (!p->all && p->n == 0 && p->n_touched == 0)
        return LIMS_OK;
    if ((rc = pt_store_prepare(p->db, write_sql, &w, err, errlen)) ||
        (rc = pt_store_prepare(p->db,
                               "SELECT n, data FROM result_pack WHERE "
                               "round_id = ?1 AND measurand = ?2 AND "
                               "item = ?3",
                               &rd, err, errlen)))
        goto done;
    if (p->n_touched > 1)
        qsort(p->touched, p->n_touched, sizeof *p->touched, cmp_ll);
    for (i = 0; !rc && !p->all && i < p->n; i++) {
        if (is_touched(p, p->g[i].round_id))
            continue;
        rc = merge_group(&p->g[i], rd, w, &damaged, err, errlen);
        free(p->g[i].r); /* written: no longer needed */
        p->g[i].r = NULL;
        p->g[i].n = p->g[i].cap = 0;
        if (!rc && damaged) {
            rc = pt_packs_touch(p, p->g[i].round_id, err, errlen);
            qsort(p->touched, p->n_touched, sizeof *p->touched, cmp_ll);
        }
    }
    if (!rc && (p->all || p->n_touched))
        rc = repack(p, w, err, errlen);
done:
    sqlite3_finalize(w);
    sqlite3_finalize(rd);
    return rc;
}

lims_status pt_packs_rebuild(sqlite3 *db, long long round_id, char *err,
                             size_t errlen)
{
    pt_packs p;
    lims_status rc = LIMS_OK;

    pt_packs_init(&p, db);
    if (round_id)
        rc = pt_packs_touch(&p, round_id, err, errlen);
    else
        pt_packs_touch_all(&p);
    if (!rc)
        rc = pt_packs_commit(&p, err, errlen);
    pt_packs_release(&p);
    return rc;
}

/* ---- checking ------------------------------------------------------------ */

typedef struct checker {
    sqlite3_stmt *stored; /* every pack in pack order, stepped along */
    int have;             /* stored is on a row */
    pt_pack_problem_fn problem;
    void *ctx;
    unsigned long bad;
} checker;

/* Order of the stored pack's group against (round_id, m, it). */
static int cmp_stored(sqlite3_stmt *s, long long round_id, const char *m,
                      const char *it)
{
    long long r = sqlite3_column_int64(s, 0);
    int c;

    if (r != round_id)
        return r < round_id ? -1 : 1;
    if ((c = strcmp(pt_store_text(s, 1), m)) != 0)
        return c;
    return strcmp(pt_store_text(s, 2), it);
}

static lims_status step_stored(checker *c, char *err, size_t errlen)
{
    int st = sqlite3_step(c->stored);

    c->have = st == SQLITE_ROW;
    if (st != SQLITE_ROW && st != SQLITE_DONE) {
        snprintf(err, errlen, "reading the result packs: %s",
                 sqlite3_errmsg(sqlite3_db_handle(c->stored)));
        return LIMS_ERR_DB;
    }
    return LIMS_OK;
}

static void report(checker *c, long long round_id, const char *m,
                   const char *it, const char *what)
{
    c->bad++;
    c->problem(c->ctx, round_id, m, it, what);
}

/* group_fn of pt_packs_check: the pack of one group's rows against the
 * stored one. */
static lims_status check_pack(void *ctx, long long round_id,
                              const char *measurand, const char *item,
                              const unsigned char *data, size_t n,
                              char *err, size_t errlen)
{
    checker *c = ctx;
    lims_status rc = LIMS_OK;
    int order = 0;

    while (!rc && c->have &&
           (order = cmp_stored(c->stored, round_id, measurand, item)) < 0) {
        report(c, sqlite3_column_int64(c->stored, 0),
               pt_store_text(c->stored, 1), pt_store_text(c->stored, 2),
               "have no result rows");
        rc = step_stored(c, err, errlen);
    }
    if (rc)
        return rc;
    if (!c->have || order > 0) {
        report(c, round_id, measurand, item, "are missing");
        return LIMS_OK;
    }
    if (sqlite3_column_int64(c->stored, 3) != (long long)n ||
        (size_t)sqlite3_column_bytes(c->stored, 4) !=
            n * PT_PACK_RECORD_BYTES ||
        memcmp(sqlite3_column_blob(c->stored, 4), data,
               n * PT_PACK_RECORD_BYTES) != 0)
        report(c, round_id, measurand, item, "differ from the result rows");
    return step_stored(c, err, errlen);
}

lims_status pt_packs_check(sqlite3 *db, pt_pack_problem_fn problem,
                           void *ctx, unsigned long *bad, char *err,
                           size_t errlen)
{
    checker c;
    lims_status rc;

    memset(&c, 0, sizeof c);
    c.problem = problem;
    c.ctx = ctx;
    if ((rc = pt_store_prepare(db,
                               "SELECT round_id, measurand, item, n, data "
                               "FROM result_pack ORDER BY round_id, "
                               "measurand, item",
                               &c.stored, err, errlen)) ||
        (rc = step_stored(&c, err, errlen)) ||
        (rc = each_group(db, 0, check_pack, &c, err, errlen)))
        goto done;
    while (!rc && c.have) {
        report(&c, sqlite3_column_int64(c.stored, 0),
               pt_store_text(c.stored, 1), pt_store_text(c.stored, 2),
               "have no result rows");
        rc = step_stored(&c, err, errlen);
    }
done:
    sqlite3_finalize(c.stored);
    *bad = c.bad;
    return rc;
}
