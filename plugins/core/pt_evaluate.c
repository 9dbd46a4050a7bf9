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
#include "pt_method.h"
#include "pt_seal.h"
#include "pt_stats.h"
#include "pt_store.h"

typedef struct res {
    long long id, lab;
    double x, U, k;
    char lab_code[32];
} res;

typedef struct group {
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
    const char *override;   /* reason for overriding the scheme's choice */
    const lims_plugin *scheme;
    pt_method_cache *methods;
    res *r;
    size_t n;
    long long upto; /* the highest result id of the group, any version */
} group;

typedef struct plan {
    char assigned[16];
    double x_pt, u_x_pt, U_x_pt, sigma_pt;
    char sigma_basis[160];
    int iterations;
    long long ref_result; /* result id that is the assigned value */
    char reason[512];
    char choice[384];
} plan;

static lims_status refuse(const group *g, char *err, size_t errlen,
                          const char *why)
{
    snprintf(err, errlen, "round %s, %s, item %s: %s", g->round, g->measurand,
             g->item, why);
    return LIMS_ERR_INPUT;
}

static lims_status plan_reference(const group *g, const lims_policy *pol,
                                  plan *p, char *err, size_t errlen)
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
                char why[192];
                snprintf(why, sizeof why,
                         "laboratory %s reported no U: En needs it (or set "
                         "sigma_pt to score by z)",
                         g->r[i].lab_code);
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
static lims_status robust(const group *g, plan *p, double *s, char *name,
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

static lims_status plan_consensus(const group *g, const lims_policy *pol,
                                  plan *p, char *err, size_t errlen)
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
        if (g->n < pol->min_sigma_from_round) {
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

/* σ_pt = R(x_pt)/2.77 of the round's method (ISO 13528 8.4, σ_R = R/2.77) */
static lims_status sigma_from_method(const group *g, plan *p, char *err,
                                     size_t errlen)
{
    pt_method m;
    double r, R;
    char why[256];

    if (!*g->sigma_method)
        return LIMS_OK;
    pt_method_cache_find(g->methods, g->scheme, g->measurand,
                         g->sigma_method, &m);
    pt_method_cache_precision(g->methods, &m, p->x_pt, &r, &R);
    if (isnan(R)) {
        snprintf(why, sizeof why, "%s has no reproducibility at x_pt = %g",
                 g->sigma_method, p->x_pt);
        return refuse(g, err, errlen, why);
    }
    p->sigma_pt = R / 2.77;
    snprintf(p->sigma_basis, sizeof p->sigma_basis,
             "R/2.77 of %s at x_pt: R = %.4g", m.code, R);
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
static lims_status make_plan(const group *g, const lims_policy *pol, plan *p,
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
        rc = plan_reference(g, pol, p, err, errlen);
    else if (strcmp(a, "consensus") == 0) {
        rc = plan_consensus(g, pol, p, err, errlen);
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

typedef struct scored {
    double D, D_pct, z, z_prime, zeta, En;
    const char *primary;
    const char *verdict;
} scored;

static const char *verdict_name(pt_stats_class c)
{
    return c == PT_CLASS_SATISFACTORY    ? "satisfactory"
           : c == PT_CLASS_QUESTIONABLE ? "questionable"
                                         : "unsatisfactory";
}

static void score_one(const res *r, const plan *p, const lims_policy *pol,
                      scored *s)
{
    double v, u_x = r->U / r->k;

    s->D = r->x - p->x_pt;
    s->D_pct = p->x_pt != 0 ? 100 * s->D / p->x_pt : NAN;
    s->z = s->z_prime = s->zeta = s->En = NAN;
    if (pt_stats_z(r->x, p->x_pt, p->sigma_pt, &v) == PT_STATS_OK)
        s->z = v;
    if (pt_stats_z_prime(r->x, p->x_pt, p->u_x_pt, p->sigma_pt, &v) ==
        PT_STATS_OK)
        s->z_prime = v;
    if (pt_stats_zeta(r->x, u_x, p->x_pt, p->u_x_pt, &v) == PT_STATS_OK)
        s->zeta = v;
    if (pt_stats_en(r->x, r->U, p->x_pt, p->U_x_pt, &v) == PT_STATS_OK)
        s->En = v;
    s->primary = NULL;
    s->verdict = "not scored";
    if (r->id == p->ref_result)
        return; /* it is the assigned value */
    if (strcmp(p->assigned, "reference") == 0 && !isnan(s->En)) {
        s->primary = "En";
        s->verdict = verdict_name(
            pt_stats_classify_en(s->En, pol->en_le_one_satisfactory));
        return;
    }
    if (!isnan(s->z)) {
        /* ISO 13528 9.2.1: z' when u(x_pt) >= 0.3 σ_pt */
        int prime = p->u_x_pt >= 0.3 * p->sigma_pt && !isnan(s->z_prime);
        s->primary = prime ? "z'" : "z";
        s->verdict =
            verdict_name(pt_stats_classify_z(prime ? s->z_prime : s->z));
    } else if (!isnan(s->zeta)) {
        s->primary = "zeta";
        s->verdict = verdict_name(pt_stats_classify_z(s->zeta));
    }
}

/* The statements of one evaluate_round call, prepared once for all its
 * rounds and groups. */
typedef struct stmts {
    sqlite3_stmt *round_q, *del, *gq, *ev;
    pt_method_cache methods;
    pt_seals seals;
} stmts;

/* The rows of one group from the round's query q, which is on the
 * group's first row: the latest version of each laboratory's result (rows
 * come by laboratory, latest version first).  Leaves q on the next
 * group's first row; *step is sqlite3_step's last answer. */
static lims_status load_group(sqlite3_stmt *q, group *g, size_t *cap,
                              int *step, char *err, size_t errlen)
{
    long long lab, last = 0;
    res *p;

    g->n = 0;
    g->upto = 0;
    do {
        if (strcmp(pt_store_text(q, 0), g->measurand) != 0 ||
            strcmp(pt_store_text(q, 1), g->item) != 0)
            break;
        lab = sqlite3_column_int64(q, 11);
        if (sqlite3_column_int64(q, 10) > g->upto)
            g->upto = sqlite3_column_int64(q, 10);
        if (g->n > 0 && lab == last)
            continue; /* an older version */
        last = lab;
        if (g->n == *cap) {
            size_t c = *cap ? 2 * *cap : 64;
            p = realloc(g->r, c * sizeof *p);
            if (!p) {
                snprintf(err, errlen, "out of memory");
                return LIMS_ERR_NOMEM;
            }
            g->r = p;
            *cap = c;
        }
        g->r[g->n].id = sqlite3_column_int64(q, 10);
        g->r[g->n].lab = lab;
        g->r[g->n].x = sqlite3_column_double(q, 12);
        g->r[g->n].U = pt_store_num(q, 13);
        g->r[g->n].k = pt_store_num(q, 14);
        snprintf(g->r[g->n].lab_code, sizeof g->r[0].lab_code, "%s",
                 pt_store_text(q, 15));
        g->n++;
    } while ((*step = sqlite3_step(q)) == SQLITE_ROW);
    return LIMS_OK;
}

/* The group's texts are copies: the round's query moves on. */
enum { T_MEASURAND, T_ITEM, T_ASSIGNED, T_BASIS, T_ESTIMATOR, T_METHOD,
       T_OVERRIDE, T_COUNT };

static lims_status hold(char **own, sqlite3_stmt *q, char *err,
                        size_t errlen)
{
    static const int col[T_COUNT] = {0, 1, 2, 6, 7, 8, 9};
    int i;

    for (i = 0; i < T_COUNT; i++) {
        free(own[i]);
        if (!(own[i] = strdup(pt_store_text(q, col[i])))) {
            snprintf(err, errlen, "out of memory");
            return LIMS_ERR_NOMEM;
        }
    }
    return LIMS_OK;
}

/* Evaluate one group and store its evaluation; its scores are the view
 * `score` (schema 005), counted here for the summary. */
static lims_status store_group(sqlite3 *db, const stmts *q,
                               long long round_id, const group *g,
                               const lims_policy *pol,
                               lims_eval_summary *sum, char *err,
                               size_t errlen)
{
    sqlite3_stmt *ev = q->ev;
    plan p;
    scored s;
    lims_status rc;
    size_t i;

    if ((rc = make_plan(g, pol, &p, err, errlen)))
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
        if (strcmp(s.verdict, "questionable") == 0 ||
            strcmp(s.verdict, "unsatisfactory") == 0)
            sum->signals++;
    }
    return LIMS_OK;
}

/* Every result of a round with its measurand's settings, group by group
 * (measurand, item), by laboratory, the latest version first. */
static const char groups_sql[] =
    "SELECT r.measurand, r.item, rm.assigned, rm.x_pt, rm.u_x_pt, "
    "rm.sigma_pt, coalesce(rm.sigma_pt_basis, ''), "
    "coalesce(rm.estimator, ''), coalesce(rm.sigma_pt_method, ''), "
    "coalesce(rm.override_reason, ''), r.id, r.lab_id, r.value, r.U, r.k, "
    "(SELECT code FROM laboratory WHERE id = r.lab_id) "
    "FROM result r JOIN round_measurand rm "
    "ON rm.round_id = r.round_id AND rm.measurand = r.measurand "
    "WHERE r.round_id = ?1 "
    "ORDER BY r.measurand, r.item, r.lab_id, r.version DESC";

static const char round_sql[] =
    "SELECT r.id, s.code, r.status, coalesce(r.reference_lab_id, 0) "
    "FROM round r JOIN scheme s ON s.id = r.scheme_id WHERE r.code = ?1";

static const char evaluation_sql[] =
    "INSERT INTO evaluation (round_id, measurand, item, n, assigned, x_pt, "
    "u_x_pt, sigma_pt, sigma_pt_basis, iterations, reason, engine, choice, "
    "x_pt_U, ref_result_id, result_upto, en_le_one) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16, ?17)";

static lims_status prepare_all(sqlite3 *db, stmts *q, char *err,
                               size_t errlen)
{
    lims_status rc;

    memset(q, 0, sizeof *q);
    if ((rc = pt_store_prepare(db, round_sql, &q->round_q, err, errlen)) ||
        (rc = pt_store_prepare(db,
                               "DELETE FROM evaluation WHERE round_id = ?1",
                               &q->del, err, errlen)) ||
        (rc = pt_store_prepare(db, groups_sql, &q->gq, err, errlen)) ||
        (rc = pt_store_prepare(db, evaluation_sql, &q->ev, err, errlen)) ||
        (rc = pt_seals_init(&q->seals, db, err, errlen)))
        return rc;
    return pt_method_cache_init(&q->methods, db, err, errlen);
}

static void finalize_all(stmts *q)
{
    sqlite3_finalize(q->round_q);
    sqlite3_finalize(q->del);
    sqlite3_finalize(q->gq);
    sqlite3_finalize(q->ev);
    pt_seals_release(&q->seals);
    pt_method_cache_release(&q->methods);
}

static lims_status evaluate(lims_instance *inst, stmts *s,
                            const char *code, lims_eval_summary *sum,
                            char *err, size_t errlen)
{
    sqlite3 *db = inst->db;
    sqlite3_stmt *q = s->round_q, *gq = s->gq;
    char *own[T_COUNT] = {0};
    size_t cap = 0;
    int step, i;
    const lims_plugin *plug;
    lims_policy pol = {sizeof pol, 12, 11, 1};
    long long round_id, ref_lab;
    group g;
    lims_status rc = LIMS_OK;

    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        snprintf(err, errlen, "unknown round \"%s\"", code);
        sqlite3_reset(q);
        return LIMS_ERR_INPUT;
    }
    round_id = sqlite3_column_int64(q, 0);
    ref_lab = sqlite3_column_int64(q, 3);
    plug = pt_core_scheme(inst, pt_store_text(q, 1));
    if (!plug || strcmp(pt_store_text(q, 2), "closed") == 0) {
        snprintf(err, errlen,
                 plug ? "round %s is closed: its evaluation cannot change"
                      : "round %s: no plug-in is loaded for its scheme",
                 code);
        sqlite3_reset(q);
        return plug ? LIMS_ERR_STATE : LIMS_ERR_INPUT;
    }
    sqlite3_reset(q);
    plug->policy(&pol);

    sqlite3_reset(s->del);
    sqlite3_bind_int64(s->del, 1, round_id);
    if (sqlite3_step(s->del) != SQLITE_DONE) {
        snprintf(err, errlen, "evaluation: %s", sqlite3_errmsg(db));
        sqlite3_reset(s->del);
        return LIMS_ERR_DB;
    }
    sqlite3_reset(s->del);

    sqlite3_reset(gq);
    sqlite3_bind_int64(gq, 1, round_id);
    memset(&g, 0, sizeof g);
    g.round = code;
    g.ref_lab = ref_lab;
    g.scheme = plug;
    g.methods = &s->methods;
    step = sqlite3_step(gq);
    while (rc == LIMS_OK && step == SQLITE_ROW) {
        if ((rc = hold(own, gq, err, errlen)))
            break;
        g.measurand = own[T_MEASURAND];
        g.item = own[T_ITEM];
        g.assigned = own[T_ASSIGNED];
        g.x_pt = pt_store_num(gq, 3);
        g.u_x_pt = pt_store_num(gq, 4);
        g.sigma_pt = pt_store_num(gq, 5);
        g.sigma_basis = own[T_BASIS];
        g.estimator = own[T_ESTIMATOR];
        g.sigma_method = own[T_METHOD];
        g.override = own[T_OVERRIDE];
        rc = load_group(gq, &g, &cap, &step, err, errlen);
        if (!rc)
            rc = store_group(db, s, round_id, &g, &pol, sum, err, errlen);
    }
    sqlite3_reset(gq);
    free(g.r);
    for (i = 0; i < T_COUNT; i++)
        free(own[i]);
    if (!rc && sum->groups == 0) {
        snprintf(err, errlen, "round %s has no results to evaluate", code);
        rc = LIMS_ERR_INPUT;
    }
    if (!rc)
        rc = pt_seals_touch(&s->seals, PT_PART_EVALUATION, round_id, err,
                            errlen);
    return rc;
}

/* Every open round that has results, oldest first. */
static lims_status evaluate_open(lims_instance *inst, stmts *s,
                                 lims_eval_summary *sum, unsigned long *rounds,
                                 char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        inst->db,
        "SELECT code FROM round r WHERE status = 'open' AND EXISTS "
        "(SELECT 1 FROM result WHERE round_id = r.id) ORDER BY opened, code",
        &q, err, errlen);

    while (!rc && sqlite3_step(q) == SQLITE_ROW) {
        if (pt_core_cancelled(inst)) {
            snprintf(err, errlen, "evaluation cancelled");
            rc = LIMS_ERR_CANCELLED;
        } else {
            rc = evaluate(inst, s, pt_store_text(q, 0), sum, err, errlen);
            ++*rounds;
        }
    }
    sqlite3_finalize(q);
    return rc;
}

lims_status pt_core_evaluate_round(lims_instance *inst, const char *round,
                                   lims_eval_summary *out, char *err,
                                   size_t errlen)
{
    lims_eval_summary sum = {sizeof sum, 0, 0, 0};
    locale_t old = uselocale(inst->c_locale);
    lims_status rc = pt_store_begin(inst->db, err, errlen);
    unsigned long rounds = 0;
    char detail[256];
    stmts s;

    if (!rc) {
        rc = prepare_all(inst->db, &s, err, errlen);
        if (!rc)
            rc = round ? evaluate(inst, &s, round, &sum, err, errlen)
                       : evaluate_open(inst, &s, &sum, &rounds, err, errlen);
        if (!rc && (round || rounds)) {
            if (round)
                snprintf(detail, sizeof detail,
                         "round %s: %lu groups, %lu scores", round,
                         sum.groups, sum.scores);
            else
                snprintf(detail, sizeof detail,
                         "%lu open rounds: %lu groups, %lu scores", rounds,
                         sum.groups, sum.scores);
            rc = pt_seals_commit(&s.seals, "evaluate", detail, err, errlen);
        }
        finalize_all(&s);
        rc = pt_store_end(inst->db, rc, err, errlen);
    }
    if (!rc && out)
        memcpy(out, &sum, out->size < sizeof sum ? out->size : sizeof sum);
    uselocale(old);
    return rc;
}
