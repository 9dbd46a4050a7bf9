/*
 * pt_evaluate.c -- turning a round's results into assigned values and
 * scores (ISO 13528 clauses 7 to 9).
 *
 * For each measurand and item of a round it decides how x_pt is set
 * (reference laboratory, Algorithm A consensus, or a fixed value), where
 * σ_pt comes from, which score carries the verdict, and writes down why.
 * Small groups are never scored against a consensus σ: with n results the
 * largest possible |z| is (n - 1)/sqrt(n), so such a z could never signal.
 * Re-evaluating replaces the round's earlier evaluations in one
 * transaction.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_core.h"
#include "pt_intern.h"
#include "pt_lifecycle.h"
#include "pt_method.h"
#include "pt_pack.h"
#include "pt_seal.h"
#include "pt_stats.h"
#include "pt_store.h"
#include "pt_suggest.h"

typedef struct res {
    long long id, lab;
    double x, U, k;
} res;

typedef struct group {
    sqlite3 *db;            /* for the laboratory codes of messages */
    const char *round;
    const char *measurand;
    const char *item;
    long long ref_lab;      /* the round's reference laboratory, 0: none */
    const char *assigned;   /* as set for the round, "" to choose */
    double x_pt, u_x_pt;    /* when fixed */
    double sigma_pt;        /* NAN when not set */
    const char *sigma_basis;
    const char *estimator;  /* "", "algorithm-a", "q-hampel" */
    const char *sigma_method; /* σ_pt = R(x_pt)/2.77 of this method */
    const char *matrix;     /* the round's product, "" when none */
    const char *override;   /* reason for overriding the scheme's choice */
    const lims_plugin *scheme;
    pt_method_cache *methods;
    res *r;
    size_t n;
    long long upto; /* the highest result id of the group, any version */
} group;

/* How a group's x_pt and sigma_pt are assigned, and why. */
typedef struct assignment {
    char assigned[16];
    double x_pt, u_x_pt, U_x_pt, sigma_pt;
    char sigma_basis[512];
    int iterations;
    long long ref_result; /* result id that is the assigned value */
    char reason[512];
    char choice[384];
} assignment;

static lims_status refuse(const group *g, char *err, size_t errlen,
                          const char *why)
{
    snprintf(err, errlen, "round %s, %s, item %s: %s", g->round, g->measurand,
             g->item, why);
    return LIMS_ERR_INPUT;
}

static lims_status assign_reference(const group *g, const lims_policy *pol,
                                  assignment *p, char *err, size_t errlen)
{
    const res *ref = NULL;
    size_t i;

    for (i = 0; i < g->n; i++)
        if (g->r[i].lab == g->ref_lab)
            ref = &g->r[i];
    if (!ref)
        return refuse(g, err, errlen,
                      "the reference laboratory has no result, so it cannot "
                      "give the assigned value");
    if (isnan(ref->U) && isnan(g->sigma_pt) && !*g->sigma_method)
        return refuse(g, err, errlen,
                      "the reference laboratory's result has no U: En and "
                      "zeta need it (or set sigma_pt to score by z)");
    if (!isnan(ref->U) && isnan(g->sigma_pt) && !*g->sigma_method) {
        for (i = 0; i < g->n; i++) {
            if (&g->r[i] != ref && isnan(g->r[i].U)) {
                char why[192], code[64] = "?";
                sqlite3_stmt *q;
                if (pt_store_prepare(g->db,
                                     "SELECT code FROM laboratory WHERE "
                                     "id = ?1",
                                     &q, why, sizeof why) == LIMS_OK) {
                    sqlite3_bind_int64(q, 1, g->r[i].lab);
                    if (sqlite3_step(q) == SQLITE_ROW)
                        snprintf(code, sizeof code, "%s",
                                 pt_store_text(q, 0));
                    sqlite3_finalize(q);
                }
                snprintf(why, sizeof why,
                         "laboratory %s reported no U: En needs it (or set "
                         "sigma_pt to score by z)",
                         code);
                return refuse(g, err, errlen, why);
            }
        }
    }
    snprintf(p->assigned, sizeof p->assigned, "reference");
    p->x_pt = ref->x;
    p->U_x_pt = ref->U;
    p->u_x_pt = ref->U / ref->k;
    p->ref_result = ref->id;
    snprintf(p->reason, sizeof p->reason,
             "%zu results%s: the reference laboratory's result is the "
             "assigned value with its uncertainty; scored by %s "
             "(ISO 13528 7.5, 9.6, 9.7)",
             g->n,
             g->n < pol->min_consensus ? ", too few for a consensus" : "",
             isnan(ref->U) ? "z" : "En");
    return LIMS_OK;
}

/* x*, s*, u(x*) by the round's estimator into p; iterations for Alg. A */
static lims_status robust(const group *g, assignment *p, double *s, char *name,
                          size_t namelen, char *err, size_t errlen)
{
    pt_stats_status st;
    double *x, *work;
    size_t *iwork = NULL, *counts = NULL, i;
    int qh = strcmp(g->estimator, "q-hampel") == 0;
    char why[256];

    x = malloc((g->n + (qh ? PT_STATS_QMETHOD_WORK(g->n) : g->n)) *
               sizeof *x);
    if (qh) {
        iwork = malloc((PT_STATS_QMETHOD_IWORK(g->n, g->n) + g->n) *
                       sizeof *iwork);
        counts = iwork ? iwork + PT_STATS_QMETHOD_IWORK(g->n, g->n) : NULL;
    }
    if (!x || (qh && !iwork)) {
        free(x);
        free(iwork);
        snprintf(err, errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    work = x + g->n;
    for (i = 0; i < g->n; i++) {
        x[i] = g->r[i].x;
        if (counts)
            counts[i] = 1;
    }
    if (qh) {
        pt_qhampel_result q;
        st = pt_stats_qhampel(x, counts, g->n, work, iwork, &q);
        p->x_pt = q.x;
        p->u_x_pt = q.u_x;
        *s = q.s;
        snprintf(name, namelen, "Q/Hampel (ISO 13528 C.5.4)");
    } else {
        pt_alga_result a;
        st = pt_stats_alga(x, g->n, NULL, work, &a);
        p->x_pt = a.x;
        p->u_x_pt = a.u_x;
        p->iterations = a.iterations;
        *s = a.s;
        snprintf(name, namelen, "Algorithm A (ISO 13528 C.3.1, %d "
                 "iterations)", a.iterations);
    }
    free(x);
    free(iwork);
    if (st != PT_STATS_OK) {
        snprintf(why, sizeof why, "%s: %s",
                 qh ? "Q/Hampel" : "Algorithm A", pt_stats_strerror(st));
        return refuse(g, err, errlen, why);
    }
    p->U_x_pt = 2 * p->u_x_pt;
    return LIMS_OK;
}

static lims_status assign_consensus(const group *g, const lims_policy *pol,
                                  assignment *p, char *err, size_t errlen)
{
    double s;
    char why[256], name[96];
    lims_status rc;

    if (g->n < 3)
        return refuse(g, err, errlen,
                      "a consensus needs at least 3 results; name a "
                      "reference laboratory or set assigned=fixed");
    if ((rc = robust(g, p, &s, name, sizeof name, err, errlen)))
        return rc;
    snprintf(p->assigned, sizeof p->assigned, "consensus");
    if (isnan(p->sigma_pt) && !*g->sigma_method) {
        double max_z;
        unsigned alt;
        if (g->n < pol->min_sigma_from_round ||
            pt_stats_consensus_z_check(g->n, 3.0, &max_z, &alt) !=
                PT_STATS_OK) {
            snprintf(why, sizeof why,
                     "%zu results are too few to take sigma_pt from the "
                     "round (|z| >= 3 needs n >= %u, since |z| <= "
                     "(n-1)/sqrt(n)): set sigma_pt from the method's R or "
                     "fitness for purpose",
                     g->n, pol->min_sigma_from_round);
            return refuse(g, err, errlen, why);
        }
        p->sigma_pt = s;
        snprintf(p->sigma_basis, sizeof p->sigma_basis,
                 "robust SD s* of the round (%s)", name);
    }
    snprintf(p->reason, sizeof p->reason,
             "consensus of %zu results by %s; u(x_pt) = 1.25 s*/sqrt(p)%s",
             g->n, name,
             g->n < pol->min_consensus ? "; few results: read with care"
                                       : "");
    return LIMS_OK;
}

/* σ_pt = R(x_pt)/2.77 of the round's method (ISO 13528 8.4, σ_R = R/2.77),
 * R of the round's product (the general row when it has none) */
static lims_status sigma_from_method(const group *g, assignment *p, char *err,
                                     size_t errlen)
{
    pt_method m;
    pt_precision pr;
    char why[256], name[160], note[320];

    if (!*g->sigma_method)
        return LIMS_OK;
    pt_method_cache_find(g->methods, g->scheme, g->measurand,
                         g->sigma_method, &m);
    pt_method_cache_precision(g->methods, &m, g->matrix, p->x_pt, &pr);
    if (isnan(pr.R)) {
        snprintf(why, sizeof why, "%s has no reproducibility at x_pt = %g",
                 g->sigma_method, p->x_pt);
        return refuse(g, err, errlen, why);
    }
    if (pt_stats_sigma_from_limit(pr.R, &p->sigma_pt) != PT_STATS_OK) {
        snprintf(why, sizeof why, "%s gives R = %g at x_pt = %g",
                 g->sigma_method, pr.R, p->x_pt);
        return refuse(g, err, errlen, why);
    }
    pt_method_precision_note(&m, g->matrix, &pr, 'R', note, sizeof note);
    snprintf(p->sigma_basis, sizeof p->sigma_basis,
             "R/2.77 of %s at x_pt: R = %.4g%s%s",
             pt_method_name(&m, name, sizeof name), pr.R, *note ? "; " : "",
             note);
    return LIMS_OK;
}

/* What the scheme's rules choose for group g: "consensus", "reference",
 * or NULL when neither can be used. */
static const char *scheme_choice(const group *g, const lims_policy *pol)
{
    size_t i;

    if (g->n >= pol->min_consensus)
        return "consensus";
    for (i = 0; i < g->n; i++)
        if (g->ref_lab && g->r[i].lab == g->ref_lab)
            return "reference";
    return NULL;
}

/* Decide x_pt, u(x_pt), σ_pt and the reason for group g. */
static lims_status make_assignment(const group *g, const lims_policy *pol, assignment *p,
                             char *err, size_t errlen)
{
    const char *a = g->assigned, *own = scheme_choice(g, pol);
    char why[256];
    lims_status rc;

    memset(p, 0, sizeof *p);
    p->sigma_pt = g->sigma_pt;
    p->U_x_pt = NAN;
    snprintf(p->sigma_basis, sizeof p->sigma_basis, "%s", g->sigma_basis);
    if (!*a) {
        if (!own)
            return refuse(g, err, errlen,
                          "too few results for a consensus and no reference "
                          "laboratory result: set assigned=fixed with x_pt "
                          "and u_x_pt, or name a reference laboratory");
        a = own;
        snprintf(p->choice, sizeof p->choice, "chosen by the %s scheme's "
                 "rules (consensus from %u results)", g->scheme->id,
                 pol->min_consensus);
    } else if (strcmp(a, "fixed") != 0 && own && strcmp(a, own) != 0) {
        if (!*g->override) {
            snprintf(why, sizeof why,
                     "assigned=%s overrides the scheme's choice (%s for %zu "
                     "results): give override_reason in the rounds file",
                     a, own, g->n);
            return refuse(g, err, errlen, why);
        }
        snprintf(p->choice, sizeof p->choice, "overridden (%s instead of "
                 "%s): %s", a, own, g->override);
    } else {
        snprintf(p->choice, sizeof p->choice, "set by the round");
    }
    if (strcmp(a, "reference") == 0)
        rc = assign_reference(g, pol, p, err, errlen);
    else if (strcmp(a, "consensus") == 0) {
        rc = assign_consensus(g, pol, p, err, errlen);
    } else {
        snprintf(p->assigned, sizeof p->assigned, "fixed");
        p->x_pt = g->x_pt;
        p->u_x_pt = g->u_x_pt;
        p->U_x_pt = 2 * g->u_x_pt;
        snprintf(p->reason, sizeof p->reason,
                 "assigned value fixed by the round (x_pt with its standard "
                 "uncertainty, ISO 13528 7.3/7.4)");
        rc = LIMS_OK;
    }
    if (!rc)
        rc = sigma_from_method(g, p, err, errlen);
    return rc;
}

/* The score that carries a result's verdict (the view `score` of schema
 * 005 makes the same choice), for the evaluation's summary. */
typedef struct scored {
    const char *primary;
    const char *verdict;
} scored;

static void score_one(const res *r, const assignment *p, const lims_policy *pol,
                      scored *s)
{
    pt_stats_score_in in;
    pt_stats_score_kind kind;
    pt_stats_class cls;
    double v;

    s->primary = NULL;
    s->verdict = "not scored";
    if (r->id == p->ref_result)
        return; /* it is the assigned value */
    in.x = r->x;
    in.U = r->U;
    in.k = r->k;
    in.x_pt = p->x_pt;
    in.u_x_pt = p->u_x_pt;
    in.U_x_pt = p->U_x_pt;
    in.sigma_pt = p->sigma_pt;
    in.by_reference = strcmp(p->assigned, "reference") == 0;
    in.en_le_one_satisfactory = pol->en_le_one_satisfactory;
    if (pt_stats_primary_score(&in, &kind, &v, &cls) == PT_STATS_OK) {
        s->primary = pt_stats_score_kind_name(kind);
        s->verdict = pt_stats_class_name(cls);
    }
}

/* ---- reading the results: one blob per group -----------------------------
 *
 * Evaluating every open round reads the packed results (pt_pack.h, one
 * row of result_pack per round, measurand and item) in the order of
 * their groups, keeps every record, and puts the groups in the order the
 * rounds are evaluated.  A pack already orders its records by laboratory,
 * the latest version first. */

/* One group's results: records first .. first + n - 1 of the run's. */
typedef struct pack_ref {
    size_t first, n;
    long long upto;           /* the highest result id, any version */
    unsigned target;          /* index of its round among the targets */
    unsigned measurand, item; /* interned */
} pack_ref;

/* A round to evaluate, with its groups once ordered. */
typedef struct target {
    long long id, ref_lab;
    char *code;
    const lims_plugin *plug;
    size_t first, count;      /* its groups in the ordered array */
    size_t set_first, nset;   /* its measurand settings */
    int evaluated;            /* it has an evaluation to replace */
} target;

typedef struct setting setting; /* a measurand's settings for a round */

typedef struct evaluation_run {
    lims_instance *inst;
    sqlite3_stmt *old, *del, *ev;
    sqlite3_stmt *item_q; /* an item's own matrix (round_item) */
    pt_method_cache methods;
    pt_seals seals;
    pt_intern str;             /* measurands and items */
    target *t;
    size_t nt, capt;
    long *target_of;          /* round id -> target index, -1: not one */
    long long max_round;
    res *rec;                 /* every record, group after group */
    size_t nrec, caprec;
    pack_ref *packs;
    size_t npacks, cappacks;
    setting *set;             /* by target */
    size_t nset, capset;
} evaluation_run;

static lims_status no_memory(char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory");
    return LIMS_ERR_NOMEM;
}

/* Add the round on q's row (id, scheme, status, reference lab, code,
 * voided). */
static lims_status add_target(evaluation_run *e, sqlite3_stmt *q, char *err,
                              size_t errlen)
{
    const char *code = pt_store_text(q, 4);
    const lims_plugin *plug = pt_core_scheme(e->inst, pt_store_text(q, 1));
    target *t;

    if (sqlite3_column_int(q, 5)) {
        snprintf(err, errlen, "round %s is voided: it is not evaluated",
                 code);
        return LIMS_ERR_STATE;
    }
    if (!plug || strcmp(pt_store_text(q, 2), "closed") == 0) {
        snprintf(err, errlen,
                 plug ? "round %s is closed: its evaluation cannot change"
                      : "round %s: no plug-in is loaded for its scheme",
                 code);
        return plug ? LIMS_ERR_STATE : LIMS_ERR_INPUT;
    }
    if (e->nt == e->capt) {
        size_t c = e->capt ? 2 * e->capt : 16;
        t = realloc(e->t, c * sizeof *t);
        if (!t)
            return no_memory(err, errlen);
        e->t = t;
        e->capt = c;
    }
    t = &e->t[e->nt];
    memset(t, 0, sizeof *t);
    t->id = sqlite3_column_int64(q, 0);
    t->ref_lab = sqlite3_column_int64(q, 3);
    t->plug = plug;
    if (!(t->code = strdup(code)))
        return no_memory(err, errlen);
    if (t->id > e->max_round)
        e->max_round = t->id;
    e->nt++;
    return LIMS_OK;
}

static const char round_cols[] =
    "SELECT r.id, s.code, r.status, coalesce(r.reference_lab_id, 0), "
    "r.code, EXISTS (SELECT 1 FROM voided v WHERE v.kind = 'round' AND "
    "v.row_id = r.id) FROM round r JOIN scheme s ON s.id = r.scheme_id ";

/* The rounds to evaluate: the one named, or every open round that has
 * results, oldest first. */
static lims_status find_targets(evaluation_run *e, const char *round,
                                char *err, size_t errlen)
{
    char sql[512];
    sqlite3_stmt *q;
    lims_status rc;
    size_t i;
    int st;

    snprintf(sql, sizeof sql, "%s%s", round_cols,
             round ? "WHERE r.code = ?1"
                   : "WHERE r.status = 'open' AND EXISTS (SELECT 1 FROM "
                     "result_pack WHERE round_id = r.id) AND NOT EXISTS "
                     "(SELECT 1 FROM voided v WHERE v.kind = 'round' AND "
                     "v.row_id = r.id) ORDER BY "
                     "r.opened, r.code");
    if ((rc = pt_store_prepare(e->inst->db, sql, &q, err, errlen)))
        return rc;
    if (round)
        sqlite3_bind_text(q, 1, round, -1, SQLITE_STATIC);
    while (!rc && (st = sqlite3_step(q)) == SQLITE_ROW)
        rc = add_target(e, q, err, errlen);
    sqlite3_finalize(q);
    if (!rc && round && e->nt == 0) {
        pt_suggest_unknown(e->inst->db, PT_CODE_ROUND, round, NULL, err,
                           errlen);
        return LIMS_ERR_INPUT;
    }
    if (rc)
        return rc;
    e->target_of = malloc((size_t)(e->max_round + 1) * sizeof *e->target_of);
    if (!e->target_of)
        return no_memory(err, errlen);
    for (i = 0; i <= (size_t)e->max_round; i++)
        e->target_of[i] = -1;
    for (i = 0; i < e->nt; i++)
        e->target_of[e->t[i].id] = (long)i;
    return LIMS_OK;
}

static lims_status damaged_pack(evaluation_run *e, long long round_id,
                                const char *m, const char *it, char *err,
                                size_t errlen)
{
    snprintf(err, errlen,
             "round %s, %s, item %s: its packed results (result_pack) are "
             "damaged: they were changed outside ptlims; ptlims verify "
             "names what differs",
             e->t[e->target_of[round_id]].code, m, it);
    return LIMS_ERR_STATE;
}

/* Room for n more records and one more group. */
static lims_status reserve(evaluation_run *e, size_t n, char *err,
                           size_t errlen)
{
    if (e->nrec + n > e->caprec) {
        size_t c = e->caprec ? 2 * e->caprec : 1024;
        res *r;
        while (c < e->nrec + n)
            c *= 2;
        if (!(r = realloc(e->rec, c * sizeof *r)))
            return no_memory(err, errlen);
        e->rec = r;
        e->caprec = c;
    }
    if (e->npacks == e->cappacks) {
        size_t c = e->cappacks ? 2 * e->cappacks : 256;
        pack_ref *p = realloc(e->packs, c * sizeof *p);
        if (!p)
            return no_memory(err, errlen);
        e->packs = p;
        e->cappacks = c;
    }
    return LIMS_OK;
}

/* The group on q's row (round_id, measurand, item, n, data), when its
 * round is a target. */
static lims_status load_pack(evaluation_run *e, sqlite3_stmt *q, char *err,
                             size_t errlen)
{
    long long rid = sqlite3_column_int64(q, 0);
    const char *m = pt_store_text(q, 1), *it = pt_store_text(q, 2);
    long long n = sqlite3_column_int64(q, 3);
    const unsigned char *data;
    pt_pack_record r, prev;
    pack_ref *p;
    long mi, ii;
    lims_status rc;
    size_t i;

    if (rid < 0 || rid > e->max_round || e->target_of[rid] < 0)
        return LIMS_OK;
    if (n <= 0 ||
        (long long)sqlite3_column_bytes(q, 4) != n * PT_PACK_RECORD_BYTES)
        return damaged_pack(e, rid, m, it, err, errlen);
    if ((rc = reserve(e, (size_t)n, err, errlen)))
        return rc;
    if ((mi = pt_intern_index(&e->str, m)) < 0 ||
        (ii = pt_intern_index(&e->str, it)) < 0)
        return no_memory(err, errlen);
    data = sqlite3_column_blob(q, 4);
    p = &e->packs[e->npacks++];
    p->first = e->nrec;
    p->n = (size_t)n;
    p->upto = 0;
    p->target = (unsigned)e->target_of[rid];
    p->measurand = (unsigned)mi;
    p->item = (unsigned)ii;
    for (i = 0; i < (size_t)n; i++) {
        res *x = &e->rec[e->nrec++];
        pt_pack_decode(data + i * PT_PACK_RECORD_BYTES, &r);
        if (i && !pt_pack_before(&prev, &r))
            return damaged_pack(e, rid, m, it, err, errlen);
        prev = r;
        if (r.id > p->upto)
            p->upto = r.id;
        x->id = r.id;
        x->lab = r.lab;
        x->x = r.value;
        x->U = r.U;
        x->k = r.k;
    }
    return LIMS_OK;
}

/* Every group of the targets, each round's in the order of its measurands
 * and items. */
static lims_status load_packs(evaluation_run *e, const char *round,
                              char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        e->inst->db,
        round ? "SELECT round_id, measurand, item, n, data FROM result_pack "
                "WHERE round_id = ?1 ORDER BY measurand, item"
              : "SELECT round_id, measurand, item, n, data FROM result_pack "
                "ORDER BY round_id, measurand, item",
        &q, err, errlen);
    int st = SQLITE_DONE;

    if (rc)
        return rc;
    if (round)
        sqlite3_bind_int64(q, 1, e->t[0].id);
    while (!rc && (st = sqlite3_step(q)) == SQLITE_ROW) {
        if ((e->npacks & 0x3ff) == 0 && pt_core_cancelled(e->inst)) {
            snprintf(err, errlen, "evaluation cancelled");
            rc = LIMS_ERR_CANCELLED;
            break;
        }
        rc = load_pack(e, q, err, errlen);
    }
    sqlite3_finalize(q);
    if (!rc && st != SQLITE_DONE) {
        snprintf(err, errlen, "reading the results: %s",
                 sqlite3_errmsg(e->inst->db));
        rc = LIMS_ERR_DB;
    }
    return rc;
}

/* The groups by target, each target's in the order they were read (a
 * stable counting sort). */
static lims_status order_packs(evaluation_run *e, char *err, size_t errlen)
{
    pack_ref *out;
    size_t i, at = 0;

    if (e->npacks == 0)
        return LIMS_OK;
    if (!(out = malloc(e->npacks * sizeof *out)))
        return no_memory(err, errlen);
    for (i = 0; i < e->npacks; i++)
        e->t[e->packs[i].target].count++;
    for (i = 0; i < e->nt; i++) {
        e->t[i].first = at;
        at += e->t[i].count;
        e->t[i].count = 0;
    }
    for (i = 0; i < e->npacks; i++) {
        target *t = &e->t[e->packs[i].target];
        out[t->first + t->count++] = e->packs[i];
    }
    free(e->packs);
    e->packs = out;
    return LIMS_OK;
}
/* Evaluate one group and store its evaluation; its scores are the view
 * `score` (schema 005), counted here for the summary. */
static lims_status store_group(sqlite3 *db, sqlite3_stmt *ev,
                               long long round_id, const group *g,
                               const lims_policy *pol,
                               lims_eval_summary *sum, char *err,
                               size_t errlen)
{
    assignment p;
    scored s;
    lims_status rc;
    size_t i;

    if ((rc = make_assignment(g, pol, &p, err, errlen)))
        return rc;
    sqlite3_reset(ev);
    sqlite3_bind_int64(ev, 1, round_id);
    pt_store_bind_text(ev, 2, g->measurand);
    pt_store_bind_text(ev, 3, g->item);
    sqlite3_bind_int64(ev, 4, (long long)g->n);
    pt_store_bind_text(ev, 5, p.assigned);
    sqlite3_bind_double(ev, 6, p.x_pt);
    pt_store_bind_num(ev, 7, p.u_x_pt);
    pt_store_bind_num(ev, 8, p.sigma_pt);
    pt_store_bind_text(ev, 9, p.sigma_basis);
    sqlite3_bind_int(ev, 10, p.iterations);
    pt_store_bind_text(ev, 11, p.reason);
    pt_store_bind_text(ev, 12, PT_CORE_ENGINE);
    pt_store_bind_text(ev, 13, p.choice);
    pt_store_bind_num(ev, 14, p.U_x_pt);
    if (p.ref_result)
        sqlite3_bind_int64(ev, 15, p.ref_result);
    else
        sqlite3_bind_null(ev, 15);
    sqlite3_bind_int64(ev, 16, g->upto);
    sqlite3_bind_int(ev, 17, pol->en_le_one_satisfactory != 0);
    if (sqlite3_step(ev) != SQLITE_DONE) {
        snprintf(err, errlen, "evaluation: %s", sqlite3_errmsg(db));
        return LIMS_ERR_DB;
    }
    sum->groups++;

    for (i = 0; i < g->n; i++) {
        score_one(&g->r[i], &p, pol, &s);
        sum->scores++;
        if (pt_stats_class_parse(s.verdict) >= PT_CLASS_QUESTIONABLE)
            sum->signals++;
    }
    return LIMS_OK;
}

/* The measurand settings of the targets, read in one pass. */
#define settings_sql                                                         \
    "SELECT round_id, measurand, assigned, x_pt, u_x_pt, sigma_pt, "         \
    "coalesce(sigma_pt_basis, ''), coalesce(estimator, ''), "                \
    "coalesce(sigma_pt_method, ''), coalesce(override_reason, ''), "         \
    "coalesce(matrix, '') FROM round_measurand"

enum { S_MEASURAND, S_ASSIGNED, S_BASIS, S_ESTIMATOR, S_METHOD, S_OVERRIDE,
       S_MATRIX, S_COUNT };

struct setting {
    char *t[S_COUNT];
    double x_pt, u_x_pt, sigma_pt;
    unsigned target;
};

static lims_status add_setting(evaluation_run *e, sqlite3_stmt *q,
                               unsigned which, char *err, size_t errlen)
{
    static const int col[S_COUNT] = {1, 2, 6, 7, 8, 9, 10};
    setting *x;
    int k;

    if (e->nset == e->capset) {
        size_t c = e->capset ? 2 * e->capset : 64;
        x = realloc(e->set, c * sizeof *x);
        if (!x)
            return no_memory(err, errlen);
        e->set = x;
        e->capset = c;
    }
    x = &e->set[e->nset++];
    memset(x, 0, sizeof *x);
    x->target = which;
    for (k = 0; k < S_COUNT; k++)
        if (!(x->t[k] = strdup(pt_store_text(q, col[k]))))
            return no_memory(err, errlen);
    x->x_pt = pt_store_num(q, 3);
    x->u_x_pt = pt_store_num(q, 4);
    x->sigma_pt = pt_store_num(q, 5);
    return LIMS_OK;
}

/* Every target's measurand settings, by target; and which targets have an
 * evaluation to replace. */
static lims_status load_settings(evaluation_run *e, const char *round,
                                 char *err, size_t errlen)
{
    sqlite3_stmt *q;
    setting *out;
    lims_status rc;
    size_t i, at = 0;
    int step, pass;

    for (pass = 0; pass < 2; pass++) {
        if ((rc = pt_store_prepare(
                 e->inst->db,
                 pass == 0 ? (round ? settings_sql " WHERE round_id = ?1"
                                    : settings_sql)
                           : (round ? "SELECT DISTINCT round_id FROM "
                                      "evaluation WHERE round_id = ?1"
                                    : "SELECT DISTINCT round_id FROM "
                                      "evaluation"),
                 &q, err, errlen)))
            return rc;
        if (round)
            sqlite3_bind_int64(q, 1, e->t[0].id);
        while (!rc && (step = sqlite3_step(q)) == SQLITE_ROW) {
            long long rid = sqlite3_column_int64(q, 0);
            if (rid < 0 || rid > e->max_round || e->target_of[rid] < 0)
                continue;
            if (pass == 0)
                rc = add_setting(e, q, (unsigned)e->target_of[rid], err,
                                 errlen);
            else
                e->t[e->target_of[rid]].evaluated = 1;
        }
        sqlite3_finalize(q);
        if (!rc && step != SQLITE_DONE) {
            snprintf(err, errlen, "evaluation: %s",
                     sqlite3_errmsg(e->inst->db));
            rc = LIMS_ERR_DB;
        }
        if (rc)
            return rc;
    }
    /* by target, as the groups */
    if (e->nset == 0)
        return LIMS_OK;
    if (!(out = malloc(e->nset * sizeof *out)))
        return no_memory(err, errlen);
    for (i = 0; i < e->nset; i++)
        e->t[e->set[i].target].nset++;
    for (i = 0; i < e->nt; i++) {
        e->t[i].set_first = at;
        at += e->t[i].nset;
        e->t[i].nset = 0;
    }
    for (i = 0; i < e->nset; i++) {
        target *t = &e->t[e->set[i].target];
        out[t->set_first + t->nset++] = e->set[i];
    }
    free(e->set);
    e->set = out;
    e->capset = e->nset;
    return LIMS_OK;
}

/* Why target t has nothing to evaluate: no results, or results without
 * their packs (written outside ptlims). */
static lims_status no_results(evaluation_run *e, const target *t, char *err,
                              size_t errlen)
{
    sqlite3_stmt *q;
    int rows = 0;

    if (t->count == 0 &&
        pt_store_prepare(e->inst->db,
                         "SELECT 1 FROM result WHERE round_id = ?1 LIMIT 1",
                         &q, err, errlen) == LIMS_OK) {
        sqlite3_bind_int64(q, 1, t->id);
        rows = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
    }
    if (rows) {
        snprintf(err, errlen,
                 "round %s has results but no packed results (result_pack): "
                 "they were written outside ptlims; ptlims verify names "
                 "them",
                 t->code);
        return LIMS_ERR_STATE;
    }
    snprintf(err, errlen, "round %s has no results to evaluate", t->code);
    return LIMS_ERR_INPUT;
}

/* Log target t's evaluation rows as they are, then delete them. */
static lims_status replace_evaluation(evaluation_run *e, const target *t,
                                      char *err, size_t errlen)
{
    sqlite3 *db = e->inst->db;
    lims_status rc = LIMS_OK;

    sqlite3_bind_int64(e->old, 1, t->id);
    sqlite3_bind_text(e->old, 2, t->code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(e->del, 1, t->id);
    if (sqlite3_step(e->old) != SQLITE_DONE ||
        sqlite3_step(e->del) != SQLITE_DONE) {
        snprintf(err, errlen, "evaluation: %s", sqlite3_errmsg(db));
        rc = LIMS_ERR_DB;
    }
    sqlite3_reset(e->old);
    sqlite3_reset(e->del);
    return rc;
}

/* Evaluate every group of target t. */
static lims_status evaluate_target(evaluation_run *e, const target *t,
                                   res **buf, size_t *cap,
                                   lims_eval_summary *sum, char *err,
                                   size_t errlen)
{
    sqlite3 *db = e->inst->db;
    lims_policy pol = {sizeof pol, 12, 11, 1};
    const pack_ref *p = e->packs + t->first;
    unsigned long groups = sum->groups;
    lims_status rc = LIMS_OK;
    size_t i, k, m;
    group g;

    t->plug->policy(&pol);
    /* the evaluation it replaces, row by row, goes to the log first */
    if (t->evaluated && (rc = replace_evaluation(e, t, err, errlen)))
        return rc;

    memset(&g, 0, sizeof g);
    g.db = db;
    g.round = t->code;
    g.ref_lab = t->ref_lab;
    g.scheme = t->plug;
    g.methods = &e->methods;
    for (i = 0; i < t->count && !rc; i++) {
        const res *r = e->rec + p[i].first;
        const setting *set = NULL;

        for (m = 0; m < t->nset && !set; m++)
            if (strcmp(e->set[t->set_first + m].t[S_MEASURAND],
                       e->str.s[p[i].measurand]) == 0)
                set = &e->set[t->set_first + m];
        if (!set) /* results of a measurand the round lacks are not
                     evaluated */
            continue;
        if (p[i].n > *cap) {
            res *x = realloc(*buf, p[i].n * sizeof *x);
            if (!x)
                return no_memory(err, errlen);
            *buf = x;
            *cap = p[i].n;
        }
        g.r = *buf;
        g.n = 0;
        g.upto = p[i].upto;
        for (k = 0; k < p[i].n; k++)
            if (k == 0 || r[k].lab != r[k - 1].lab) /* not an older version */
                g.r[g.n++] = r[k];
        g.measurand = set->t[S_MEASURAND];
        g.item = e->str.s[p[i].item];
        g.assigned = set->t[S_ASSIGNED];
        g.x_pt = set->x_pt;
        g.u_x_pt = set->u_x_pt;
        g.sigma_pt = set->sigma_pt;
        g.sigma_basis = set->t[S_BASIS];
        g.estimator = set->t[S_ESTIMATOR];
        g.sigma_method = set->t[S_METHOD];
        g.override = set->t[S_OVERRIDE];
        /* the item's own matrix (schema 013), else the round's */
        g.matrix = set->t[S_MATRIX];
        sqlite3_bind_int64(e->item_q, 1, t->id);
        sqlite3_bind_text(e->item_q, 2, g.measurand, -1, SQLITE_STATIC);
        sqlite3_bind_text(e->item_q, 3, g.item, -1, SQLITE_STATIC);
        if (sqlite3_step(e->item_q) == SQLITE_ROW)
            g.matrix = pt_store_text(e->item_q, 0);
        rc = store_group(db, e->ev, t->id, &g, &pol, sum, err, errlen);
        sqlite3_reset(e->item_q);
    }
    if (!rc && sum->groups == groups)
        return no_results(e, t, err, errlen);
    if (!rc)
        rc = pt_seals_touch(&e->seals, PT_PART_EVALUATION, t->id, err,
                            errlen);
    return rc;
}

/* Every evaluation row of round ?1 (code ?2) into the audit log, as it
 * was, before a new evaluation replaces it. */
static const char replaced_sql[] =
    "INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data) "
    "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'replace', "
    "'evaluation ' || id || ' of round ' || ?2 || ', ' || measurand || "
    "', item ' || item || ' as it was before it was replaced', "
    "'evaluation', id, "
    "'{\"id\":' || quote(id) || ',\"round_id\":' || "
    "quote(round_id) || ',\"measurand\":' || quote(measurand) || "
    "',\"item\":' || quote(item) || ',\"n\":' || quote(n) || "
    "',\"assigned\":' || quote(assigned) || ',\"x_pt\":' || "
    "quote(x_pt) || ',\"u_x_pt\":' || quote(u_x_pt) || "
    "',\"sigma_pt\":' || quote(sigma_pt) || "
    "',\"sigma_pt_basis\":' || quote(sigma_pt_basis) || "
    "',\"iterations\":' || quote(iterations) || ',\"reason\":' || "
    "quote(reason) || ',\"engine\":' || quote(engine) || "
    "',\"choice\":' || quote(choice) || ',\"x_pt_U\":' || "
    "quote(x_pt_U) || ',\"ref_result_id\":' || "
    "quote(ref_result_id) || ',\"result_upto\":' || "
    "quote(result_upto) || ',\"en_le_one\":' || quote(en_le_one) || "
    "'}'"
    " FROM evaluation WHERE round_id = ?1 ORDER BY id";

static const char evaluation_sql[] =
    "INSERT INTO evaluation (round_id, measurand, item, n, assigned, x_pt, "
    "u_x_pt, sigma_pt, sigma_pt_basis, iterations, reason, engine, choice, "
    "x_pt_U, ref_result_id, result_upto, en_le_one) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16, ?17)";


static lims_status run_evaluation(evaluation_run *e, const char *round,
                                  lims_eval_summary *sum, char *err,
                                  size_t errlen)
{
    sqlite3 *db = e->inst->db;
    res *buf = NULL;
    size_t cap = 0, i;
    char detail[256];
    lims_status rc;

    if ((rc = pt_store_prepare(db, replaced_sql, &e->old, err, errlen)) ||
        (rc = pt_store_prepare(db,
                               "DELETE FROM evaluation WHERE round_id = ?1",
                               &e->del, err, errlen)) ||
        (rc = pt_store_prepare(db, evaluation_sql, &e->ev, err, errlen)) ||
        (rc = pt_store_prepare(db,
                               "SELECT matrix FROM round_item WHERE "
                               "round_id = ?1 AND measurand = ?2 AND item = "
                               "?3",
                               &e->item_q, err, errlen)) ||
        (rc = pt_seals_init(&e->seals, db, err, errlen)) ||
        (rc = pt_method_cache_init(&e->methods, db, err, errlen)) ||
        (rc = find_targets(e, round, err, errlen)) ||
        (rc = load_packs(e, round, err, errlen)) ||
        (rc = order_packs(e, err, errlen)) ||
        (rc = load_settings(e, round, err, errlen)))
        return rc;
    for (i = 0; i < e->nt && !rc; i++) {
        if (pt_core_cancelled(e->inst)) {
            snprintf(err, errlen, "evaluation cancelled");
            rc = LIMS_ERR_CANCELLED;
        } else {
            rc = evaluate_target(e, &e->t[i], &buf, &cap, sum, err, errlen);
        }
    }
    free(buf);
    if (rc || (!round && e->nt == 0))
        return rc;
    if (round)
        snprintf(detail, sizeof detail, "round %s: %lu groups, %lu scores",
                 round, sum->groups, sum->scores);
    else
        snprintf(detail, sizeof detail,
                 "%lu open rounds: %lu groups, %lu scores",
                 (unsigned long)e->nt, sum->groups, sum->scores);
    return pt_seals_commit(&e->seals, "evaluate", detail, err, errlen);
}

static void release_run(evaluation_run *e)
{
    size_t i;
    int k;

    sqlite3_finalize(e->old);
    sqlite3_finalize(e->del);
    sqlite3_finalize(e->ev);
    sqlite3_finalize(e->item_q);
    pt_seals_release(&e->seals);
    pt_method_cache_release(&e->methods);
    pt_intern_free(&e->str);
    for (i = 0; i < e->nt; i++)
        free(e->t[i].code);
    free(e->t);
    free(e->target_of);
    free(e->rec);
    free(e->packs);
    for (i = 0; i < e->nset; i++)
        for (k = 0; k < S_COUNT; k++)
            free(e->set[i].t[k]);
    free(e->set);
}

/* The rounds that arrived closed without a fresh evaluation (from
 * another site: changesets carry no evaluations, and a void or an
 * amendment a changeset brings makes a closed round's evaluation stale):
 * closed, not voided, with results, and stale (pt_stale.c); round NULL:
 * every such round.  Each is opened for the
 * evaluation, with an audit entry saying why; *ids (free it) and *n get
 * them, to close again. */
static lims_status open_unevaluated(lims_instance *inst, const char *round,
                                    long long **ids, size_t *n, char *err,
                                    size_t errlen)
{
    sqlite3_stmt *q;
    char detail[512];
    long long *grown;
    size_t cap = 0;
    lims_status rc = pt_store_prepare(
        inst->db,
        "SELECT r.id, r.code FROM round r WHERE (?1 IS NULL OR r.code = ?1) "
        "AND r.status = 'closed' AND EXISTS (SELECT 1 FROM result_pack p "
        "WHERE p.round_id = r.id) AND NOT EXISTS (SELECT 1 FROM voided "
        "v WHERE v.kind = 'round' AND v.row_id = r.id) ORDER BY r.id",
        &q, err, errlen);

    *ids = NULL;
    *n = 0;
    if (rc)
        return rc;
    pt_store_bind_text(q, 1, round);
    while (!rc && sqlite3_step(q) == SQLITE_ROW) {
        unsigned long stale = 0;
        if ((rc = pt_stale_round(inst->db, sqlite3_column_int64(q, 0), NULL,
                                 NULL, &stale, err, errlen)) ||
            !stale)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            if (!(grown = realloc(*ids, cap * sizeof *grown))) {
                rc = no_memory(err, errlen);
                break;
            }
            *ids = grown;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(q, 0);
        rc = pt_round_set_status(inst->db, sqlite3_column_int64(q, 0),
                                 "open", err, errlen);
        snprintf(detail, sizeof detail,
                 "round %s arrived closed without a fresh evaluation (sync "
                 "apply): evaluated and closed again",
                 pt_store_text(q, 1));
        if (!rc)
            rc = pt_store_audit(inst->db, "evaluate closed", detail, err,
                                errlen);
    }
    sqlite3_finalize(q);
    return rc;
}

lims_status pt_core_evaluate_round(lims_instance *inst, const char *round,
                                   lims_eval_summary *out, char *err,
                                   size_t errlen)
{
    lims_eval_summary sum = {sizeof sum, 0, 0, 0};
    lims_status rc = pt_store_begin(inst->db, err, errlen);
    evaluation_run e;

    long long *reclose = NULL;
    size_t n = 0, i;

    if (!rc) {
        rc = open_unevaluated(inst, round, &reclose, &n, err, errlen);
        memset(&e, 0, sizeof e);
        e.inst = inst;
        if (!rc)
            rc = run_evaluation(&e, round, &sum, err, errlen);
        release_run(&e);
        for (i = 0; i < n && !rc; i++)
            rc = pt_round_set_status(inst->db, reclose[i], "closed", err,
                                     errlen);
        free(reclose);
        rc = pt_store_end(inst->db, rc, err, errlen);
    }
    if (!rc)
        *out = sum;
    return rc;
}
