/*
 * pt_reportdb.c -- reading one laboratory's record out of the database
 * into a pt_report and handing it to reports/ (lims_plugin.write_report).
 *
 * reports/ knows nothing of SQLite; this file (with pt_reportdb_audit.c
 * for the audit sheets) is the only bridge.  The rounds, evaluations and
 * the laboratory's own results are read first; every participant's
 * results are read round by round while the workbook is written (the
 * pt_report_source below), so that memory does not grow with the record.
 * Everything is read in one read transaction: a consistent picture.
 * Every row read is fed into the SHA-256 of the data (pt_reportdb.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pt_core.h"
#include "pt_csv.h"
#include "pt_progress.h"
#include "pt_report.h"
#include "pt_reportdb.h"
#include "pt_stats.h"
#include "pt_store.h"

typedef pt_pool pool;
typedef pt_build build;

const char *pt_reportdb_keep(pt_pool *p, const char *s)
{
    char *d;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        char **q = realloc(p->s, cap * sizeof *q);
        if (!q) {
            p->failed = 1;
            return "";
        }
        p->s = q;
        p->cap = cap;
    }
    d = strdup(s ? s : "");
    if (!d) {
        p->failed = 1;
        return "";
    }
    return p->s[p->n++] = d;
}

static void pool_free(pool *p)
{
    size_t i;
    for (i = 0; i < p->n; i++)
        free(p->s[i]);
    free(p->s);
}

void *pt_reportdb_push(void *arr, size_t *n, size_t *cap, size_t size)
{
    char *p = *(char **)arr;
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        p = realloc(p, c * size);
        if (!p)
            return NULL;
        *(char **)arr = p;
        *cap = c;
    }
    memset(p + *n * size, 0, size);
    return p + (*n)++ * size;
}

static void put_be(unsigned char *out, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        out[i] = (unsigned char)(v & 0xff);
}

void pt_reportdb_hash_text(pt_build *b, const char *s)
{
    unsigned char head[5];
    size_t len = s ? strlen(s) : 0;

    head[0] = 't';
    put_be(head + 1, (uint64_t)len, 4);
    pt_sha256_update(&b->sha, head, sizeof head);
    pt_sha256_update(&b->sha, s ? s : "", len);
}

void pt_reportdb_hash_double(pt_build *b, double v)
{
    unsigned char buf[9];
    uint64_t bits;

    memcpy(&bits, &v, sizeof bits);
    buf[0] = 'f';
    put_be(buf + 1, bits, 8);
    pt_sha256_update(&b->sha, buf, sizeof buf);
}

/* The row is gathered in buf and fed in one piece when it fits. */
void pt_reportdb_hash_row(pt_build *b, sqlite3_stmt *st)
{
    unsigned char buf[512];
    size_t o = 0;
    int n = sqlite3_column_count(st);

    for (int i = 0; i < n; i++) {
        uint64_t bits;
        double d;

        if (o + 9 > sizeof buf) {
            pt_sha256_update(&b->sha, buf, o);
            o = 0;
        }
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER:
            buf[o++] = 'i';
            put_be(buf + o, (uint64_t)sqlite3_column_int64(st, i), 8);
            o += 8;
            break;
        case SQLITE_FLOAT:
            d = sqlite3_column_double(st, i);
            memcpy(&bits, &d, sizeof bits);
            buf[o++] = 'f';
            put_be(buf + o, bits, 8);
            o += 8;
            break;
        case SQLITE_NULL:
            buf[o++] = 'n';
            break;
        default: {
            const unsigned char *t = sqlite3_column_text(st, i);
            size_t tl = (size_t)sqlite3_column_bytes(st, i);

            buf[o++] = 't';
            put_be(buf + o, (uint64_t)tl, 4);
            o += 4;
            if (!t || tl == 0)
                break;
            if (o + tl <= sizeof buf) {
                memcpy(buf + o, t, tl);
                o += tl;
            } else {
                pt_sha256_update(&b->sha, buf, o);
                pt_sha256_update(&b->sha, t, tl);
                o = 0;
            }
        }
        }
    }
    if (o + 1 > sizeof buf) {
        pt_sha256_update(&b->sha, buf, o);
        o = 0;
    }
    buf[o++] = '\n';
    pt_sha256_update(&b->sha, buf, o);
}

static const char rounds_sql[] =
    "SELECT ro.id, ro.code, sc.code, ro.title, ro.type, ro.provider, "
    "ro.provider_accreditation, ro.opened, ro.closed, ro.status, "
    "(SELECT count(DISTINCT lab_id) FROM result r WHERE round_id = ro.id "
    "AND " PT_COUNTS("result", "r.id") "), "
    "rl.code, rl.name, rl.name_zh, rl.accreditation, ro.report_no, "
    "ro.report_date "
    "FROM round ro JOIN scheme sc ON sc.id = ro.scheme_id "
    "LEFT JOIN laboratory rl ON rl.id = ro.reference_lab_id "
    "WHERE EXISTS (SELECT 1 FROM result r WHERE r.round_id = ro.id "
    "AND r.lab_id = ?1 AND " PT_COUNTS("result", "r.id") ") AND "
    PT_COUNTS("round", "ro.id") " AND (?2 IS NULL OR ro.opened >= ?2) "
    "AND (?3 IS NULL OR ro.opened <= ?3) ORDER BY ro.opened, ro.code";

/* Column 12 counts the group's results (the rows rows_sql gives); 13 is
 * the product. */
static const char groups_sql[] =
    "SELECT e.id, e.measurand, e.item, rm.unit, e.assigned, "
    "e.sigma_pt_basis, e.reason, e.x_pt, e.u_x_pt, e.sigma_pt, e.n, "
    "e.iterations, (SELECT count(*) FROM score s "
    "WHERE s.evaluation_id = e.id), o.x_pt, o.u_x_pt, o.sigma_pt, "
    "rm.matrix FROM evaluation e JOIN round_measurand rm "
    "ON rm.round_id = e.round_id AND rm.measurand = e.measurand "
    "LEFT JOIN round_official o ON o.id = (SELECT id FROM round_official "
    "WHERE round_id = e.round_id AND measurand = e.measurand AND item IN "
    "(e.item, '') ORDER BY item DESC LIMIT 1) "
    "WHERE e.round_id = ?1 ORDER BY e.measurand, e.item";

/* One group's results; the last %s is empty for every participant, or
 * the condition that keeps the laboratory's own (?2; "+" so that the
 * group's index is used, not the laboratory's). */
static const char rows_sql[] =
    "SELECT l.id, l.code, r.value_text, r.unit_text, r.value, r.U, r.k, "
    "r.method, s.D, s.D_pct, s.z, s.z_prime, s.zeta, s.En, "
    "s.primary_score, s.verdict, r.id, r.instrument, r.tested_on, "
    "l.role, r.analyst, r.remarks, r.version, r.reason, r.official_score, "
    "r.official_kind, (SELECT value FROM result_condition WHERE result_id = "
    "r.id AND name = 'replicates')%s "
    "FROM score s JOIN result r ON r.id = s.result_id "
    "JOIN laboratory l ON l.id = r.lab_id%s "
    "WHERE s.evaluation_id = ?1%s ORDER BY l.code";
static const char rows_own[] = " AND +r.lab_id = ?2";

/* With the conformity table (schema 002): the limit in force (columns
 * LIMIT_COL on). */
#define LIMIT_COL 27
static const char rows_limit_cols[] =
    ", cf.limit_value, rm.unit, ls.category, ls.standard, cf.near_limit, "
    "cf.verdict, cf.qualifier, cf.method_note";
static const char rows_limit_join[] =
    " LEFT JOIN conformity cf ON cf.result_id = r.id "
    "LEFT JOIN limit_spec ls ON ls.id = cf.limit_id "
    "LEFT JOIN round_measurand rm ON rm.round_id = r.round_id "
    "AND rm.measurand = r.measurand";

static pt_report_verdict verdict(const char *v)
{
    switch (pt_stats_class_parse(v)) {
    case PT_CLASS_SATISFACTORY:
        return PT_VERDICT_SATISFACTORY;
    case PT_CLASS_QUESTIONABLE:
        return PT_VERDICT_QUESTIONABLE;
    case PT_CLASS_UNSATISFACTORY:
        return PT_VERDICT_UNSATISFACTORY;
    }
    return PT_VERDICT_NONE;
}

const char *pt_reportdb_measurand_name(pt_build *b, const char *scheme,
                                       const char *id)
{
    const lims_plugin *p = pt_core_scheme(b->inst, scheme);
    const lims_measurand *m = p ? pt_core_measurand(p, id) : NULL;
    if (!m)
        return id;
    return b->rep.lang == PT_REPORT_EN ? m->name_en : m->name_zh;
}

const char *pt_reportdb_scheme_name(pt_build *b, const char *scheme)
{
    const lims_plugin *p = pt_core_scheme(b->inst, scheme);
    const char *name;

    if (!p)
        return scheme;
    name = b->rep.lang == PT_REPORT_EN ? p->name_en : p->name_zh;
    return name && *name ? name : scheme;
}

/* ---- the strings of one round's results ---- */

#define ARENA_BLOCK 65536

static void arena_reset(pt_arena *a)
{
    for (size_t i = 0; i < a->n_big; i++)
        free(a->big[i]);
    a->n_big = 0;
    a->at = 0;
    a->used = 0;
    a->failed = 0;
}

static void arena_free(pt_arena *a)
{
    arena_reset(a);
    for (size_t i = 0; i < a->n_blocks; i++)
        free(a->blocks[i]);
    free(a->blocks);
    free(a->big);
}

/* A copy of s valid until the next arena_reset() ("" on allocation
 * failure, noted). */
static const char *arena_keep(pt_arena *a, const char *s)
{
    size_t len = strlen(s) + 1;
    char *d;

    if (len > ARENA_BLOCK / 4) {
        char **slot =
            pt_reportdb_push(&a->big, &a->n_big, &a->cap_big, sizeof *slot);
        if (!slot || !(d = malloc(len))) {
            if (slot)
                a->n_big--;
            a->failed = 1;
            return "";
        }
        *slot = d;
    } else {
        if (a->n_blocks == 0 || a->used + len > ARENA_BLOCK) {
            if (a->n_blocks > 0)
                a->at++;
            if (a->at == a->n_blocks) {
                char **slot =
                    pt_reportdb_push(&a->blocks, &a->n_blocks, &a->cap_blocks,
                         sizeof *slot);
                if (!slot || !(*slot = malloc(ARENA_BLOCK))) {
                    if (slot)
                        a->n_blocks--;
                    a->at = a->n_blocks ? a->n_blocks - 1 : 0;
                    a->failed = 1;
                    return "";
                }
            }
            a->used = 0;
        }
        d = a->blocks[a->at] + a->used;
        a->used += len;
    }
    memcpy(d, s, len);
    return d;
}

/* The code a participant of round `rd` is shown by.  Only the provider's
 * participant codes are shown: the own laboratory's code, the round's
 * reference laboratory's (its result is the assigned value), and the
 * codes of external participants (recorded as the provider published
 * them).  Any other laboratory of the database (a branch, or a reference
 * laboratory taking part as an ordinary participant) is shown as
 * "withheld N", N numbering such laboratories within the round in the
 * order of their codes, so that nothing of its identity is written. */
static const char *shown_code(build *b, sqlite3_stmt *rq,
                              const pt_report_round *rd, char *buf,
                              size_t n)
{
    long long id = sqlite3_column_int64(rq, 0);
    const char *code = pt_store_text(rq, 1);
    size_t k;

    if (id == b->lab_id || strcmp(pt_store_text(rq, 19), "external") == 0 ||
        (rd->reference_lab && strcmp(rd->reference_lab, code) == 0))
        return code;
    for (k = 0; k < b->n_withheld && b->withheld[k] != id; k++)
        ;
    if (k == b->n_withheld) {
        long long *slot = pt_reportdb_push(&b->withheld, &b->n_withheld,
                               &b->cap_withheld, sizeof *slot);
        if (!slot)
            b->pool.failed = 1;
        else
            *slot = id;
    }
    snprintf(buf, n, b->rep.lang == PT_REPORT_ZH_TW ? "不具名 %zu"
                                                    : "withheld %zu",
             k + 1);
    return buf;
}

/* Whether the official text is the recomputed value rounded to the
 * official's decimals (pt_stats_agrees_rounded). */
static int official_agrees(double recomputed, const char *official)
{
    int d = pt_stats_text_decimals(official);
    char why[160];
    double v;

    if (d < 0 || pt_csv_number(official, &v, why, sizeof why) != 0)
        return -1;
    return pt_stats_agrees_rounded(recomputed, v, d);
}

/* Fills w from the current row of rq (rows_sql) for group g of round
 * `round`; strings are copied into the arena when given, else into the
 * pool. */
static void fill_row(build *b, sqlite3_stmt *rq, pt_report_row *w,
                     size_t round, size_t group, const pt_report_group *g,
                     pt_arena *a)
{
#define COPY(s) (a ? arena_keep(a, (s)) : pt_reportdb_keep(&b->pool, (s)))
    const pt_report_round *rd = &b->rounds[round];
    char code[64];

    w->round = round;
    w->group = group;
    w->own = sqlite3_column_int64(rq, 0) == b->lab_id;
    w->lab = COPY(shown_code(b, rq, rd, code, sizeof code));
    w->is_reference = rd->reference_lab && g->assigned &&
                      strcmp(g->assigned, "reference") == 0 &&
                      strcmp(rd->reference_lab, pt_store_text(rq, 1)) == 0;
    w->value_text = COPY(pt_store_text(rq, 2));
    w->unit_text = COPY(pt_store_text(rq, 3));
    w->value = pt_store_num(rq, 4);
    w->U = pt_store_num(rq, 5);
    w->k = pt_store_num(rq, 6);
    w->method = COPY(pt_store_text(rq, 7));
    w->D = pt_store_num(rq, 8);
    w->D_pct = pt_store_num(rq, 9);
    w->z = pt_store_num(rq, 10);
    w->z_prime = pt_store_num(rq, 11);
    w->zeta = pt_store_num(rq, 12);
    w->En = pt_store_num(rq, 13);
    w->primary = *pt_store_text(rq, 14) ? COPY(pt_store_text(rq, 14)) : NULL;
    w->verdict = verdict(pt_store_text(rq, 15));
    w->instrument = COPY(pt_store_text(rq, 17));
    w->tested_on = *pt_store_text(rq, 18) ? COPY(pt_store_text(rq, 18)) : NULL;
    if (w->own) {
        w->analyst = *pt_store_text(rq, 20) ? COPY(pt_store_text(rq, 20))
                                             : NULL;
        w->remarks = *pt_store_text(rq, 21) ? COPY(pt_store_text(rq, 21))
                                             : NULL;
        w->version = sqlite3_column_int(rq, 22);
        w->version_reason =
            *pt_store_text(rq, 23) ? COPY(pt_store_text(rq, 23)) : NULL;
    }
    w->official_recomputed = NAN;
    w->official_agrees = -1;
    if (*pt_store_text(rq, 24) && *pt_store_text(rq, 25)) {
        const char *kind = pt_store_text(rq, 25);
        w->official_score = COPY(pt_store_text(rq, 24));
        w->official_kind = COPY(kind);
        w->official_recomputed = strcmp(kind, "z") == 0      ? w->z
                                 : strcmp(kind, "z'") == 0   ? w->z_prime
                                 : strcmp(kind, "zeta") == 0 ? w->zeta
                                                             : w->En;
        w->official_agrees = official_agrees(w->official_recomputed,
                                             w->official_score);
    }
    if (w->own && *pt_store_text(rq, 26))
        w->replicates = COPY(pt_store_text(rq, 26));
    w->limit = NAN;
    w->limit_text = NULL;
    if (sqlite3_column_count(rq) > LIMIT_COL &&
        sqlite3_column_type(rq, LIMIT_COL) != SQLITE_NULL) {
        char text[1024];
        int zh = b->rep.lang == PT_REPORT_ZH_TW;
        int fails = strcmp(pt_store_text(rq, LIMIT_COL + 5),
                           "does not conform") == 0;
        size_t len;

        w->limit = pt_store_num(rq, LIMIT_COL);
        snprintf(text, sizeof text, "%.6g %s — %s (%s)%s", w->limit,
                 pt_store_text(rq, LIMIT_COL + 1),
                 pt_store_text(rq, LIMIT_COL + 2),
                 pt_store_text(rq, LIMIT_COL + 3),
                 fails ? (zh ? "；不符合" : "; does not conform")
                 : sqlite3_column_int(rq, LIMIT_COL + 4)
                     ? (zh ? "；接近限值" : "; near the limit")
                     : "");
        /* schema 008: a result outside its method's scope, and the
         * edition whose data judged it when not its own */
        len = strlen(text);
        if (*pt_store_text(rq, LIMIT_COL + 6))
            snprintf(text + len, sizeof text - len, "%s",
                     zh ? "；方法適用範圍外，符合性僅供參考"
                        : "; method out of scope: conformity qualified");
        len = strlen(text);
        if (*pt_store_text(rq, LIMIT_COL + 7))
            snprintf(text + len, sizeof text - len, "%s%s", zh ? "；" : "; ",
                     pt_store_text(rq, LIMIT_COL + 7));
        w->limit_text = COPY(text);
    }
#undef COPY
}

/* The laboratory's own results of one group (rows_sql with rows_own). */
static lims_status add_own(build *b, sqlite3_stmt *oq, long long eval_id,
                           size_t round, size_t group,
                           const pt_report_group *g)
{
    pt_report_row *w;

    sqlite3_reset(oq);
    sqlite3_bind_int64(oq, 1, eval_id);
    sqlite3_bind_int64(oq, 2, b->lab_id);
    while (sqlite3_step(oq) == SQLITE_ROW) {
        w = pt_reportdb_push(&b->rows, &b->n_rows, &b->cap_rows, sizeof *w);
        if (!w)
            return LIMS_ERR_NOMEM;
        fill_row(b, oq, w, round, group, g, NULL);
        if (b->cap_row_result < b->cap_rows) {
            long long *ids =
                realloc(b->row_result, b->cap_rows * sizeof *ids);
            if (!ids)
                return LIMS_ERR_NOMEM;
            b->row_result = ids;
            b->cap_row_result = b->cap_rows;
        }
        b->row_result[b->n_rows - 1] = sqlite3_column_int64(oq, 16);
    }
    return LIMS_OK;
}

static lims_status add_round(build *b, sqlite3_stmt *rd, sqlite3_stmt *gq,
                             sqlite3_stmt *oq)
{
    pt_report_round *r;
    pt_report_group *groups = NULL, *g;
    long long *ev;
    size_t n = 0, cap = 0, round = b->n_rounds;
    pool *p = &b->pool;
    lims_status rc = LIMS_OK;

    r = pt_reportdb_push(&b->rounds, &b->n_rounds, &b->cap_rounds, sizeof *r);
    if (!r)
        return LIMS_ERR_NOMEM;
    r->code = pt_reportdb_keep(p, pt_store_text(rd, 1));
    r->scheme = pt_reportdb_keep(p, pt_store_text(rd, 2));
    r->scheme_name =
        pt_reportdb_keep(p, pt_reportdb_scheme_name(b, r->scheme));
    r->title = pt_reportdb_keep(p, pt_store_text(rd, 3));
    r->type = pt_reportdb_keep(p, pt_store_text(rd, 4));
    r->provider = pt_reportdb_keep(p, pt_store_text(rd, 5));
    r->provider_accreditation = pt_reportdb_keep(p, pt_store_text(rd, 6));
    r->opened = pt_reportdb_keep(p, pt_store_text(rd, 7));
    r->closed = pt_reportdb_keep(p, pt_store_text(rd, 8));
    r->status = pt_reportdb_keep(p, pt_store_text(rd, 9));
    r->participants = (size_t)sqlite3_column_int64(rd, 10);
    if (*pt_store_text(rd, 11)) {
        r->reference_lab = pt_reportdb_keep(p, pt_store_text(rd, 11));
        r->reference_name = pt_reportdb_keep(
            p, b->rep.lang == PT_REPORT_ZH_TW && *pt_store_text(rd, 13)
                   ? pt_store_text(rd, 13)
                   : pt_store_text(rd, 12));
        r->reference_accreditation =
            pt_reportdb_keep(p, pt_store_text(rd, 14));
    }
    if (*pt_store_text(rd, 15))
        r->report_no = pt_reportdb_keep(p, pt_store_text(rd, 15));
    if (*pt_store_text(rd, 16))
        r->report_date = pt_reportdb_keep(p, pt_store_text(rd, 16));
    pt_reportdb_hash_row(b, rd);

    sqlite3_reset(gq);
    sqlite3_bind_int64(gq, 1, sqlite3_column_int64(rd, 0));
    while (!rc && sqlite3_step(gq) == SQLITE_ROW) {
        g = pt_reportdb_push(&groups, &n, &cap, sizeof *g);
        if (!g) {
            rc = LIMS_ERR_NOMEM;
            break;
        }
        g->measurand = pt_reportdb_keep(p, pt_store_text(gq, 1));
        g->measurand_name = pt_reportdb_keep(
            p, pt_reportdb_measurand_name(b, r->scheme, g->measurand));
        g->item = pt_reportdb_keep(p, pt_store_text(gq, 2));
        g->unit = pt_reportdb_keep(p, pt_store_text(gq, 3));
        g->assigned = pt_reportdb_keep(p, pt_store_text(gq, 4));
        g->sigma_basis = pt_reportdb_keep(p, pt_store_text(gq, 5));
        g->reason = pt_reportdb_keep(p, pt_store_text(gq, 6));
        g->x_pt = pt_store_num(gq, 7);
        g->u_x_pt = pt_store_num(gq, 8);
        g->sigma_pt = pt_store_num(gq, 9);
        g->n = (size_t)sqlite3_column_int64(gq, 10);
        g->iterations = sqlite3_column_int(gq, 11);
        g->official_x_pt = *pt_store_text(gq, 13)
                               ? pt_reportdb_keep(p, pt_store_text(gq, 13))
                               : NULL;
        g->official_u_x_pt = *pt_store_text(gq, 14)
                                 ? pt_reportdb_keep(p, pt_store_text(gq, 14))
                                 : NULL;
        g->official_sigma_pt = *pt_store_text(gq, 15)
                                   ? pt_reportdb_keep(p, pt_store_text(gq, 15))
                                   : NULL;
        g->x_pt_agrees = g->official_x_pt
                             ? official_agrees(g->x_pt, g->official_x_pt)
                             : -1;
        g->u_x_pt_agrees = g->official_u_x_pt
                               ? official_agrees(g->u_x_pt, g->official_u_x_pt)
                               : -1;
        g->sigma_pt_agrees =
            g->official_sigma_pt
                ? official_agrees(g->sigma_pt, g->official_sigma_pt)
                : -1;
        b->n_results += (size_t)sqlite3_column_int64(gq, 12);
        g->matrix = pt_reportdb_keep(p, pt_store_text(gq, 16));
        pt_reportdb_hash_row(b, gq);
        ev = pt_reportdb_push(&b->evals, &b->n_evals, &b->cap_evals,
                              sizeof *ev);
        if (!ev) {
            rc = LIMS_ERR_NOMEM;
            break;
        }
        *ev = sqlite3_column_int64(gq, 0);
        rc = add_own(b, oq, *ev, round, n - 1, g);
    }
    /* the round keeps its groups; freed with the report */
    b->rounds[round].groups = groups;
    b->rounds[round].n_groups = n;
    return rc;
}

/* Non-zero when the database has table `name` (a database migrated by an
 * older version may lack one). */
static int has_table(sqlite3 *db, const char *name)
{
    sqlite3_stmt *q;
    int yes = 0;

    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                           "AND name = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    yes = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return yes;
}

static lims_status collect(build *b, const lims_report_request *req,
                           char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL, *gq = NULL, *oq = NULL;
    char sql[sizeof rows_sql + sizeof rows_limit_cols +
             sizeof rows_limit_join + sizeof rows_own];
    int with_limits;
    lims_status rc;

    if ((rc = pt_store_prepare(b->db,
                               "SELECT id, code, name, name_zh, "
                               "accreditation FROM laboratory "
                               "WHERE code = ?1",
                               &q, err, errlen)))
        return rc;
    sqlite3_bind_text(q, 1, req->lab, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        snprintf(err, errlen, "unknown laboratory \"%s\"", req->lab);
        sqlite3_finalize(q);
        return LIMS_ERR_INPUT;
    }
    b->lab_id = sqlite3_column_int64(q, 0);
    b->rep.lab_code = pt_reportdb_keep(&b->pool, pt_store_text(q, 1));
    b->rep.lab_name = pt_reportdb_keep(&b->pool,
                           b->rep.lang == PT_REPORT_ZH_TW &&
                                   *pt_store_text(q, 3)
                               ? pt_store_text(q, 3)
                               : pt_store_text(q, 2));
    b->rep.lab_accreditation = pt_reportdb_keep(&b->pool, pt_store_text(q, 4));
    pt_reportdb_hash_row(b, q);
    sqlite3_finalize(q);
    q = NULL;

    with_limits = has_table(b->db, "conformity");
    snprintf(sql, sizeof sql, rows_sql, with_limits ? rows_limit_cols : "",
             with_limits ? rows_limit_join : "", rows_own);
    if ((rc = pt_store_prepare(b->db, rounds_sql, &q, err, errlen)) ||
        (rc = pt_store_prepare(b->db, groups_sql, &gq, err, errlen)) ||
        (rc = pt_store_prepare(b->db, sql, &oq, err, errlen)))
        goto done;
    snprintf(sql, sizeof sql, rows_sql, with_limits ? rows_limit_cols : "",
             with_limits ? rows_limit_join : "", "");
    if ((rc = pt_store_prepare(b->db, sql, &b->rq, err, errlen)))
        goto done;
    sqlite3_bind_int64(q, 1, b->lab_id);
    pt_store_bind_text(q, 2, req->from);
    pt_store_bind_text(q, 3, req->to);
    while (!rc && sqlite3_step(q) == SQLITE_ROW) {
        size_t *first = pt_reportdb_push(&b->first_group, &b->n_first,
                                         &b->cap_first, sizeof *first);
        if (!first) {
            rc = LIMS_ERR_NOMEM;
            break;
        }
        *first = b->n_evals;
        rc = add_round(b, q, gq, oq);
    }
    if (!rc) {
        size_t *end = pt_reportdb_push(&b->first_group, &b->n_first,
                                       &b->cap_first, sizeof *end);
        if (!end)
            rc = LIMS_ERR_NOMEM;
        else
            *end = b->n_evals;
    }
    if (!rc)
        rc = pt_reportdb_audit(b, err, errlen);
    if (!rc && has_table(b->db, "audit_log")) {
        sqlite3_stmt *aq;
        /* the chain's head (schema 004); not in the data digest, which
         * covers this laboratory's data only */
        if (sqlite3_prepare_v2(b->db,
                               "SELECT id, hash FROM audit_log "
                               "ORDER BY id DESC LIMIT 1",
                               -1, &aq, NULL) == SQLITE_OK) {
            if (sqlite3_step(aq) == SQLITE_ROW &&
                sqlite3_column_type(aq, 1) != SQLITE_NULL) {
                b->rep.audit_entries = sqlite3_column_int64(aq, 0);
                b->rep.audit_head =
                    pt_reportdb_keep(&b->pool, pt_store_text(aq, 1));
            }
            sqlite3_finalize(aq);
        }
    }
    if (rc == LIMS_ERR_NOMEM || b->pool.failed) {
        snprintf(err, errlen, "report: out of memory");
        rc = LIMS_ERR_NOMEM;
    }
done:
    sqlite3_finalize(q);
    sqlite3_finalize(gq);
    sqlite3_finalize(oq);
    return rc;
}

/* ---- every participant's results, round by round ---- */

/* Reads the results of round i into b->buf (strings in the arena), and
 * into the digest when `hash`. */
static pt_report_status read_round(build *b, size_t i, int hash, char *err,
                                   size_t errlen)
{
    sqlite3_stmt *rq = b->rq;

    arena_reset(&b->arena);
    b->n_buf = 0;
    b->n_withheld = 0;
    for (size_t g = b->first_group[i]; g < b->first_group[i + 1]; g++) {
        int step;

        sqlite3_reset(rq);
        sqlite3_bind_int64(rq, 1, b->evals[g]);
        while ((step = sqlite3_step(rq)) == SQLITE_ROW) {
            pt_report_row *w =
                pt_reportdb_push(&b->buf, &b->n_buf, &b->cap_buf, sizeof *w);
            if (!w) {
                snprintf(err, errlen, "report: out of memory");
                return PT_REPORT_ERR_NOMEM;
            }
            fill_row(b, rq, w, i, g - b->first_group[i],
                     &b->rounds[i].groups[g - b->first_group[i]], &b->arena);
            if (hash)
                pt_reportdb_hash_row(b, rq);
        }
        if (step != SQLITE_DONE) {
            snprintf(err, errlen, "report: reading the results of round "
                                  "%s: %s",
                     b->rounds[i].code, sqlite3_errmsg(b->db));
            return PT_REPORT_ERR_SOURCE;
        }
    }
    sqlite3_reset(rq);
    if (b->arena.failed) {
        snprintf(err, errlen, "report: out of memory");
        return PT_REPORT_ERR_NOMEM;
    }
    return PT_REPORT_OK;
}

/* Brings the digest up to round `upto` (exclusive): rounds asked for out
 * of order are read for the digest alone, so that it is the same whatever
 * the order. */
static pt_report_status hash_upto(build *b, size_t upto, char *err,
                                  size_t errlen)
{
    while (b->hashed < upto) {
        pt_report_status st = read_round(b, b->hashed, 1, err, errlen);
        if (st != PT_REPORT_OK)
            return st;
        b->hashed++;
    }
    return PT_REPORT_OK;
}

static pt_report_status source_round_rows(void *ctx, size_t i,
                                          const pt_report_row **rows,
                                          size_t *n, char *err,
                                          size_t errlen)
{
    build *b = ctx;
    pt_report_status st;
    int hash;

    *rows = NULL;
    *n = 0;
    if (i >= b->n_rounds) {
        snprintf(err, errlen, "report: no round %zu", i);
        return PT_REPORT_ERR_ARG;
    }
    if ((st = hash_upto(b, i, err, errlen)) != PT_REPORT_OK)
        return st;
    hash = b->hashed == i;
    if ((st = read_round(b, i, hash, err, errlen)) != PT_REPORT_OK)
        return st;
    if (hash)
        b->hashed++;
    *rows = b->buf;
    *n = b->n_buf;
    return PT_REPORT_OK;
}

static const char *source_digest(void *ctx)
{
    build *b = ctx;
    unsigned char digest[PT_SHA256_SIZE];
    char err[256];

    if (hash_upto(b, b->n_rounds, err, sizeof err) != PT_REPORT_OK)
        return NULL;
    pt_sha256_final(&b->sha, digest);
    pt_sha256_digest_hex(digest, b->sha_hex);
    return b->sha_hex;
}

/* Writes "<hex SHA-256>  <file name>\n" of the workbook at `path` to
 * "<path>.sha256" (sha256sum's format, so that `sha256sum -c` checks it),
 * through a temporary file renamed over it.  LIMS_OK, or LIMS_ERR_IO with
 * a message. */
static lims_status write_file_digest(const char *path, char *err,
                                     size_t errlen)
{
    unsigned char buf[65536], digest[PT_SHA256_SIZE];
    const char *base = strrchr(path, '/');
    size_t len = strlen(path), n;
    char *side = malloc(len + sizeof ".sha256.tmp");
    pt_sha256 sha;
    FILE *in, *out;
    int ok;

    if (!side) {
        snprintf(err, errlen, "report: out of memory");
        return LIMS_ERR_NOMEM;
    }
    in = fopen(path, "rb");
    if (!in) {
        snprintf(err, errlen, "report: %s: cannot read it back", path);
        free(side);
        return LIMS_ERR_IO;
    }
    pt_sha256_init(&sha);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        pt_sha256_update(&sha, buf, n);
    ok = !ferror(in);
    fclose(in);
    pt_sha256_final(&sha, digest);
    memcpy(side, path, len);
    memcpy(side + len, ".sha256.tmp", sizeof ".sha256.tmp");
    out = ok ? fopen(side, "w") : NULL;
    if (out) {
        for (size_t i = 0; i < PT_SHA256_SIZE; i++)
            fprintf(out, "%02x", digest[i]);
        fprintf(out, "  %s\n", base ? base + 1 : path);
        ok = fclose(out) == 0;
    } else {
        ok = 0;
    }
    if (ok) {
        char *final = strdup(side);
        if (final) {
            final[len + sizeof ".sha256" - 1] = '\0';
            ok = rename(side, final) == 0;
            free(final);
        } else {
            ok = 0;
        }
    }
    if (!ok) {
        remove(side);
        snprintf(err, errlen, "report: %s.sha256: cannot write it", path);
    }
    free(side);
    return ok ? LIMS_OK : LIMS_ERR_IO;
}

static void report_progress(void *ctx, size_t done, size_t total)
{
    (void)total;
    pt_progress_step(ctx, done);
}

lims_status pt_core_write_report(lims_instance *inst,
                                 const lims_report_request *req, char *err,
                                 size_t errlen)
{
    build b;
    pt_progress bar;
    char now[32];
    size_t i;
    lims_status rc;
    pt_report_status st;

    if (!req->out_path || !req->lab) {
        snprintf(err, errlen, "report: out_path and lab are required");
        return LIMS_ERR_INPUT;
    }
    memset(&b, 0, sizeof b);
    b.db = inst->db;
    b.inst = inst;
    b.rep.lang = req->lang && strcmp(req->lang, "en") == 0 ? PT_REPORT_EN
                                                            : PT_REPORT_ZH_TW;
    if (req->lang && strcmp(req->lang, "en") && strcmp(req->lang, "zh-TW")) {
        snprintf(err, errlen, "report: language \"%s\" is not zh-TW or en",
                 req->lang);
        return LIMS_ERR_INPUT;
    }
    if (req->generated_at) {
        snprintf(now, sizeof now, "%s", req->generated_at);
    } else {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%S", &tm);
    }
    b.rep.generated_at = now;
    b.rep.software = PT_CORE_ENGINE;
    b.rep.period_from = req->from;
    b.rep.period_to = req->to;
    /* members an older host does not have are zero (pt_engine.c) */
    b.rep.tz = req->tz;
    b.rep.roc_dates = req->roc_dates;
    b.rep.document_no = req->document_no;
    b.rep.revision = req->revision;
    b.rep.prepared_by = req->prepared_by;
    b.rep.reviewed_by = req->reviewed_by;
    b.rep.approved_by = req->approved_by;
    b.rep.prepared_on = req->prepared_on;
    b.rep.reviewed_on = req->reviewed_on;
    b.rep.approved_on = req->approved_on;
    b.req = req;
    pt_sha256_init(&b.sha);
    {
        char head[512];
        int n = snprintf(head, sizeof head,
                         "ptlims report data v4\nlab=%s;from=%s;to=%s\n",
                         req->lab, req->from ? req->from : "",
                         req->to ? req->to : "");
        pt_sha256_update(&b.sha, head,
                         n < (int)sizeof head ? (size_t)n : sizeof head - 1);
    }

    /* one read transaction, kept while the workbook is written (the
     * results are read then): a consistent picture */
    rc = sqlite3_exec(b.db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK
             ? LIMS_OK
             : LIMS_ERR_DB;
    if (rc)
        snprintf(err, errlen, "report: %s", sqlite3_errmsg(b.db));
    else
        rc = collect(&b, req, err, errlen);
    if (!rc) {
        b.rep.rounds = b.rounds;
        b.rep.n_rounds = b.n_rounds;
        b.rep.rows = b.rows;
        b.rep.n_rows = b.n_rows;
        b.rep.plans = b.plans;
        b.rep.n_plans = b.n_plans;
        b.rep.capas = b.capas;
        b.rep.n_capas = b.n_capas;
        b.rep.compares = b.compares;
        b.rep.n_compares = b.n_compares;
        b.rep.methods = b.methods;
        b.rep.n_methods = b.n_methods;
        b.rep.limits = b.limits;
        b.rep.n_limits = b.n_limits;
        b.source.round_rows = source_round_rows;
        b.source.digest = source_digest;
        b.source.ctx = &b;
        b.source.n_rows = b.n_results;
        b.rep.source = &b.source;
        pt_progress_start(&bar, inst, "report", b.n_results);
        b.rep.progress = report_progress;
        b.rep.progress_ctx = &bar;
        st = pt_report_write(&b.rep, req->out_path, err, errlen);
        if (st == PT_REPORT_OK)
            pt_progress_end(&bar);
        if (st == PT_REPORT_OK)
            rc = write_file_digest(req->out_path, err, errlen);
        if (st != PT_REPORT_OK)
            rc = st == PT_REPORT_ERR_NOMEM    ? LIMS_ERR_NOMEM
                 : st == PT_REPORT_ERR_ARG    ? LIMS_ERR_INPUT
                 : st == PT_REPORT_ERR_SOURCE ? LIMS_ERR_DB
                                              : LIMS_ERR_IO;
    }
    sqlite3_finalize(b.rq);
    if (b.db && !sqlite3_get_autocommit(b.db))
        sqlite3_exec(b.db, "COMMIT", NULL, NULL, NULL);
    for (i = 0; i < b.n_rounds; i++)
        free((void *)b.rounds[i].groups);
    free(b.rounds);
    free(b.rows);
    free(b.row_result);
    free(b.evals);
    free(b.first_group);
    free(b.buf);
    free(b.withheld);
    arena_free(&b.arena);
    pt_reportdb_audit_free(&b);
    pool_free(&b.pool);
    return rc;
}
