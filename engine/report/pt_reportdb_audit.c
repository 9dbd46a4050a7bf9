/*
 * pt_reportdb_audit.c -- reading what the audit sheets need besides the
 * rounds and results: the participation plan with the rounds actually
 * taken per year, the corrective actions on the laboratory's results, the
 * branch-versus-reference history (lims_plugin.compare, once per
 * reference laboratory), and the methods and limits of the schemes the
 * laboratory took part in.  Part of the bridge to reports/ (pt_reportdb.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_core.h"
#include "pt_method.h"
#include "pt_report_label.h"
#include "pt_reportdb.h"
#include "pt_store.h"

static int given(const char *s) { return s && *s; }

/* Keeps a block of memory until the report is freed; NULL on failure. */
static void *hold(pt_build *b, size_t size)
{
    void **slot, *p = calloc(1, size ? size : 1);

    if (!p)
        return NULL;
    slot = pt_reportdb_push(&b->blocks, &b->n_blocks, &b->cap_blocks,
                            sizeof *slot);
    if (!slot) {
        free(p);
        return NULL;
    }
    *slot = p;
    return p;
}

/* Is the round's scheme one the report covers? */
static int scheme_in_report(const pt_build *b, const char *scheme)
{
    for (size_t i = 0; i < b->n_rounds; i++)
        if (strcmp(b->rounds[i].scheme, scheme) == 0)
            return 1;
    return 0;
}

/* ---- plan ---- */

static const char plan_sql[] =
    "SELECT id, technique, property, product, scheme, measurand, method, "
    "risk, per_year, year_from, year_to, note FROM pt_plan WHERE lab_id = ?1 "
    "AND " PT_COUNTS("plan", "pt_plan.id") " ORDER BY technique, property, product, year_from, id";

/* Rounds opened in a year in which the laboratory reported a result that
 * counts for the plan row (scheme, measurand prefix, method prefix). */
static const char taken_sql[] =
    "SELECT ro.code, CAST(substr(ro.opened, 1, 4) AS INTEGER) FROM round ro "
    "JOIN scheme sc ON sc.id = ro.scheme_id WHERE sc.code = ?1 "
    "AND CAST(substr(ro.opened, 1, 4) AS INTEGER) BETWEEN ?4 AND ?5 "
    "AND EXISTS (SELECT 1 FROM result r WHERE r.round_id = ro.id "
    "AND r.lab_id = ?6 AND (?2 IS NULL OR substr(r.measurand, 1, "
    "length(?2)) = ?2) AND (?3 IS NULL OR substr(coalesce(r.method, ''), 1, "
    "length(?3)) = ?3) AND " PT_COUNTS("result", "r.id") ") AND "
    PT_COUNTS("round", "ro.id") " ORDER BY ro.opened, ro.code";

static lims_status add_plan(pt_build *b, sqlite3_stmt *q, sqlite3_stmt *tq)
{
    pt_report_plan *p;
    long long *pid;
    unsigned *actual;
    const char **rounds;
    char *text;
    size_t years;
    int y0 = sqlite3_column_int(q, 9), y1 = sqlite3_column_int(q, 10);

    if (y1 < y0 || y1 - y0 > 100)
        return LIMS_OK; /* refused by plan_add; skip if edited by hand */
    years = (size_t)(y1 - y0 + 1);
    p = pt_reportdb_push(&b->plans, &b->n_plans, &b->cap_plans, sizeof *p);
    pid = pt_reportdb_push(&b->plan_ids, &b->n_plan_ids, &b->cap_plan_ids,
                           sizeof *pid);
    if (!pid)
        return LIMS_ERR_NOMEM;
    *pid = sqlite3_column_int64(q, 0);
    actual = hold(b, years * sizeof *actual);
    rounds = hold(b, years * sizeof *rounds);
    text = hold(b, years * 1024);
    if (!p || !actual || !rounds || !text)
        return LIMS_ERR_NOMEM;
    p->technique = pt_reportdb_keep(&b->pool, pt_store_text(q, 1));
    p->property = pt_reportdb_keep(&b->pool, pt_store_text(q, 2));
    p->product = pt_reportdb_keep(&b->pool, pt_store_text(q, 3));
    p->scheme = pt_reportdb_keep(&b->pool, pt_store_text(q, 4));
    p->measurand = pt_reportdb_keep(&b->pool, pt_store_text(q, 5));
    p->scheme_name =
        pt_reportdb_keep(&b->pool, pt_reportdb_scheme_name(b, p->scheme));
    /* a measurand prefix that is no measurand of its own keeps its id */
    p->measurand_name = pt_reportdb_keep(
        &b->pool, pt_report_label_limit_key(
                      b->rep.lang,
                      pt_reportdb_measurand_name(b, p->scheme, p->measurand)));
    p->method = pt_reportdb_keep(&b->pool, pt_store_text(q, 6));
    p->risk = pt_reportdb_keep(&b->pool, pt_store_text(q, 7));
    p->per_year = sqlite3_column_double(q, 8);
    p->year_from = y0;
    p->year_to = y1;
    p->note = pt_reportdb_keep(&b->pool, pt_store_text(q, 11));
    p->actual = actual;
    p->rounds = rounds;
    for (size_t i = 0; i < years; i++)
        rounds[i] = text + i * 1024;

    sqlite3_reset(tq);
    sqlite3_bind_text(tq, 1, p->scheme, -1, SQLITE_STATIC);
    pt_store_bind_text(tq, 2, p->measurand);
    pt_store_bind_text(tq, 3, p->method);
    sqlite3_bind_int(tq, 4, y0);
    sqlite3_bind_int(tq, 5, y1);
    sqlite3_bind_int64(tq, 6, b->lab_id);
    while (sqlite3_step(tq) == SQLITE_ROW) {
        int y = sqlite3_column_int(tq, 1);
        char *t;
        size_t len;

        if (y < y0 || y > y1)
            continue;
        pt_reportdb_hash_row(b, tq);
        actual[y - y0]++;
        t = text + (size_t)(y - y0) * 1024;
        len = strlen(t);
        if (len + 2 + strlen(pt_store_text(tq, 0)) < 1024)
            snprintf(t + len, 1024 - len, "%s%s", len ? ", " : "",
                     pt_store_text(tq, 0));
    }
    return LIMS_OK;
}

static lims_status read_plan(pt_build *b, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL, *tq = NULL;
    lims_status rc;

    if ((rc = pt_store_prepare(b->db, plan_sql, &q, err, errlen)) ||
        (rc = pt_store_prepare(b->db, taken_sql, &tq, err, errlen)))
        goto done;
    sqlite3_bind_int64(q, 1, b->lab_id);
    while (!rc && sqlite3_step(q) == SQLITE_ROW) {
        pt_reportdb_hash_row(b, q);
        rc = add_plan(b, q, tq);
    }
done:
    sqlite3_finalize(q);
    sqlite3_finalize(tq);
    return rc;
}

/* ---- corrective actions ---- */

/* Actions on the laboratory's results and on its plan's gaps. */
static const char capa_sql[] =
    "SELECT ca.id, ca.result_id, ca.trigger, ca.root_cause, ca.action, "
    "ca.owner, ca.opened, ca.due, ca.closed, ca.verified_by, ca.car_no, "
    "ca.impact, ca.effectiveness, ca.effective_on, ca.effective, "
    "ca.plan_id, ca.plan_year "
    "FROM corrective_action ca LEFT JOIN result r ON r.id = ca.result_id "
    "LEFT JOIN pt_plan p ON p.id = ca.plan_id "
    "WHERE coalesce(r.lab_id, p.lab_id) = ?1 AND " PT_COUNTS("capa", "ca.id")
    " AND (r.id IS NULL OR " PT_COUNTS("result", "r.id") ") AND (p.id IS "
    "NULL OR " PT_COUNTS("plan", "p.id") ") ORDER BY ca.opened, ca.id";

/* A text or ISO date column, or NULL when empty (the report checks
 * dates). */
static const char *date_or_null(pt_build *b, sqlite3_stmt *q, int i)
{
    const char *s = pt_store_text(q, i);
    return *s ? pt_reportdb_keep(&b->pool, s) : NULL;
}

static lims_status read_capas(pt_build *b, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL;
    lims_status rc = pt_store_prepare(b->db, capa_sql, &q, err, errlen);

    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, b->lab_id);
    while (sqlite3_step(q) == SQLITE_ROW) {
        long long result = sqlite3_column_int64(q, 1);
        long long plan_id = sqlite3_column_int64(q, 15);
        size_t row = b->n_rows, plan = b->n_plans;
        pt_report_capa *a;

        if (plan_id) {
            for (size_t i = 0; i < b->n_plan_ids; i++)
                if (b->plan_ids[i] == plan_id)
                    plan = i;
            if (plan == b->n_plans)
                continue; /* a plan row the workbook does not show */
            row = PT_REPORT_NO_ROW;
        } else {
            for (size_t i = 0; i < b->n_rows; i++)
                if (b->row_result[i] == result && b->rows[i].own) {
                    row = i;
                    break;
                }
            if (row == b->n_rows)
                continue; /* a result outside the period */
        }
        pt_reportdb_hash_row(b, q);
        a = pt_reportdb_push(&b->capas, &b->n_capas, &b->cap_capas, sizeof *a);
        if (!a) {
            rc = LIMS_ERR_NOMEM;
            break;
        }
        a->row = row;
        a->id = sqlite3_column_int64(q, 0);
        a->trigger = pt_reportdb_keep(&b->pool, pt_store_text(q, 2));
        a->root_cause = pt_reportdb_keep(&b->pool, pt_store_text(q, 3));
        a->action = pt_reportdb_keep(&b->pool, pt_store_text(q, 4));
        a->owner = pt_reportdb_keep(&b->pool, pt_store_text(q, 5));
        a->opened = date_or_null(b, q, 6);
        a->due = date_or_null(b, q, 7);
        a->closed = date_or_null(b, q, 8);
        a->verified_by = date_or_null(b, q, 9);
        a->car_no = date_or_null(b, q, 10);
        a->impact = date_or_null(b, q, 11);
        a->effectiveness = date_or_null(b, q, 12);
        a->effective_on = date_or_null(b, q, 13);
        a->effective = date_or_null(b, q, 14);
        a->plan = plan;
        a->plan_year = sqlite3_column_int(q, 16);
    }
    sqlite3_finalize(q);
    return rc;
}

/* ---- branch versus reference ---- */

static const char refs_sql[] =
    "SELECT DISTINCT l.code FROM round ro JOIN laboratory l "
    "ON l.id = ro.reference_lab_id WHERE ro.reference_lab_id <> ?1 "
    "AND EXISTS (SELECT 1 FROM result r WHERE r.round_id = ro.id "
    "AND r.lab_id = ?1 AND " PT_COUNTS("result", "r.id") ") AND "
    PT_COUNTS("round", "ro.id") " AND (?2 IS NULL OR ro.opened >= ?2) "
    "AND (?3 IS NULL OR ro.opened <= ?3) ORDER BY l.code";

typedef struct compare_ctx {
    pt_build *b;
    const char *ref;
    int nomem;
    /* the trend over the rows kept, per series (measurand x matrix x
     * technique, as lims_plugin.compare gives them: series by series,
     * oldest first), computed as compare computes it */
    pt_compare_trend trend;
} compare_ctx;

/* The report's round with code `code`, or NULL. */
static const pt_report_round *report_round(const pt_build *b,
                                           const char *code)
{
    for (size_t i = 0; i < b->n_rounds; i++)
        if (strcmp(b->rounds[i].code, code) == 0)
            return &b->rounds[i];
    return NULL;
}

/* What decided the verdict of a compare row: the criteria that failed
 * for a disagreement, else the criteria that were applied. */
static const char *compare_basis(const lims_compare_row *row)
{
    int has_en = !isnan(row->En), has_r = !isnan(row->limit);
    int r_fails = has_r && fabs(row->diff) > row->limit;
    int en_fails = strcmp(row->verdict, "disagree") == 0 && has_en &&
                   (!r_fails || fabs(row->En) >= 1);

    if (strcmp(row->verdict, "disagree") == 0)
        return en_fails && r_fails ? "En, R" : r_fails ? "R" : "En";
    return has_en && has_r ? "En, R" : has_en ? "En" : has_r ? "R" : NULL;
}

/* The measurand's display name from a round of the report, else the id. */
static const char *compare_name(const pt_build *b, const char *id)
{
    for (size_t i = 0; i < b->n_rounds; i++)
        for (size_t g = 0; g < b->rounds[i].n_groups; g++)
            if (strcmp(b->rounds[i].groups[g].measurand, id) == 0)
                return b->rounds[i].groups[g].measurand_name;
    return id;
}

static int on_compare(void *arg, const lims_compare_row *row)
{
    compare_ctx *cc = arg;
    pt_build *b = cc->b;
    const lims_report_request *req = b->req;
    pt_report_compare *x;

    const pt_report_round *rd = report_round(b, row->round);

    /* only the period's rounds in which `ref` gave the assigned value: a
     * reference laboratory taking part in a PT round as an ordinary
     * participant is no reference there */
    if ((given(req->from) && strcmp(row->opened, req->from) < 0) ||
        (given(req->to) && strcmp(row->opened, req->to) > 0) || !rd ||
        !rd->reference_lab || strcmp(rd->reference_lab, cc->ref) != 0)
        return 0;
    x = pt_reportdb_push(&b->compares, &b->n_compares, &b->cap_compares,
                         sizeof *x);
    if (!x) {
        cc->nomem = 1;
        return 1;
    }
    x->ref_lab = pt_reportdb_keep(&b->pool, cc->ref);
    x->round = pt_reportdb_keep(&b->pool, row->round);
    x->opened = pt_reportdb_keep(&b->pool, row->opened);
    x->measurand = pt_reportdb_keep(&b->pool, row->measurand);
    x->measurand_name =
        pt_reportdb_keep(&b->pool, compare_name(b, row->measurand));
    x->item = pt_reportdb_keep(&b->pool, row->item);
    x->unit = pt_reportdb_keep(&b->pool, row->unit);
    x->method = pt_reportdb_keep(&b->pool, row->method);
    x->lab_value = row->lab_value;
    x->lab_U = row->lab_U;
    x->ref_value = row->ref_value;
    x->ref_U = row->ref_U;
    x->diff = row->diff;
    x->limit = row->limit;
    x->En = row->En;
    x->verdict = pt_reportdb_keep(&b->pool, row->verdict);
    x->basis = compare_basis(row);
    /* the trend from the rows kept alone, with compare's own trend over
     * the same series (mean En, disagreements in the last 4, the signed
     * run of same-sign differences) */
    {
        lims_compare_row kept = *row;
        pt_compare_trend_add(&cc->trend, &kept, 4,
                             strcmp(row->verdict, "disagree") == 0);
        if (cc->trend.nomem) {
            cc->nomem = 1;
            return 1;
        }
        x->en_mean = kept.en_mean;
        x->signals = kept.signals;
        x->same_sign_run = kept.same_sign_run;
    }
    x->matrix = pt_reportdb_keep(&b->pool, row->matrix);
    x->technique = pt_reportdb_keep(&b->pool, row->technique);
    /* derived from rows already in the digest; the verdict adds the
     * method precision data */
    pt_sha256_update(&b->sha, "c", 1);
    pt_reportdb_hash_text(b, cc->ref);
    pt_reportdb_hash_text(b, row->round);
    pt_reportdb_hash_text(b, row->item);
    pt_reportdb_hash_double(b, row->limit);
    pt_reportdb_hash_text(b, row->verdict);
    pt_sha256_update(&b->sha, "\n", 1);
    return 0;
}

static lims_status read_compares(pt_build *b, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL;
    const char **refs = NULL, **slot;
    size_t n = 0, cap = 0;
    lims_status rc = pt_store_prepare(b->db, refs_sql, &q, err, errlen);

    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, b->lab_id);
    pt_store_bind_text(q, 2, b->req->from);
    pt_store_bind_text(q, 3, b->req->to);
    while (!rc && sqlite3_step(q) == SQLITE_ROW) {
        slot = pt_reportdb_push(&refs, &n, &cap, sizeof *refs);
        if (!slot)
            rc = LIMS_ERR_NOMEM;
        else
            *slot = pt_reportdb_keep(&b->pool, pt_store_text(q, 0));
    }
    sqlite3_finalize(q);
    for (size_t i = 0; i < n && !rc; i++) {
        compare_ctx cc;

        memset(&cc, 0, sizeof cc);
        cc.b = b;
        cc.ref = refs[i];

        rc = pt_core_compare(b->inst, b->req->lab, refs[i], NULL, 0,
                             on_compare, &cc, err, errlen);
        pt_compare_trend_free(&cc.trend);
        if (!rc && cc.nomem)
            rc = LIMS_ERR_NOMEM;
    }
    free(refs);
    return rc;
}

/* ---- methods and limits ---- */

static const char methods_sql[] =
    "SELECT e.id, m.code, m.scheme, m.principle, e.edition, e.scope_unit, "
    "e.scope_min, e.scope_max, e.status, e.source, m.unit "
    "FROM method_edition e JOIN method m ON m.id = e.method_id "
    "ORDER BY m.scheme, m.code, coalesce(e.issued, 0), e.id";

static const char precision_sql[] =
    "SELECT x_from, x_to, repeat_a, repeat_b, repeat_c, reprod_a, "
    "reprod_b, reprod_c, product, status, source FROM method_precision "
    "WHERE edition_id = ?1 "
    "ORDER BY product IS NOT NULL, product, x_from IS NOT NULL, x_from, id";

/* "0.1788·X^0.75" from a, b, c of a (X + b)^c. */
static void equation(char *buf, size_t n, const char *sym, double a, double b,
                     double c)
{
    char base[64];

    if (b == 0)
        snprintf(base, sizeof base, "X");
    else
        snprintf(base, sizeof base, "(X %s %.6g)", b < 0 ? "−" : "+",
                 fabs(b));
    if (c == 1)
        snprintf(buf, n, "%s = %.6g·%s", sym, a, base);
    else
        snprintf(buf, n, "%s = %.6g·%s^%.6g", sym, a, base, c);
}

/* Appends to buf, after a line break when it is not empty. */
static void append_line(char *buf, size_t n, const char *line)
{
    size_t len = strlen(buf);

    snprintf(buf + len, n - len, "%s%s", len ? "\n" : "", line);
}

/* Appends one precision row's equations (with its product, range and a
 * status other than published) to r and R, and its source to src. */
static void append_precision(sqlite3_stmt *pq, int zh, char *r, char *R,
                             size_t n, char *src, size_t src_n)
{
    char eq[128], range[96] = "", line[320];
    const char *product = pt_store_text_or_null(pq, 8);
    const char *status = pt_store_text(pq, 9);
    int has_from = sqlite3_column_type(pq, 0) != SQLITE_NULL;
    int has_to = sqlite3_column_type(pq, 1) != SQLITE_NULL;

    if (has_from && has_to)
        snprintf(range, sizeof range, " (%.6g ≤ X < %.6g)",
                 sqlite3_column_double(pq, 0), sqlite3_column_double(pq, 1));
    else if (has_from)
        snprintf(range, sizeof range, " (X ≥ %.6g)",
                 sqlite3_column_double(pq, 0));
    else if (has_to)
        snprintf(range, sizeof range, " (X < %.6g)",
                 sqlite3_column_double(pq, 1));
    for (int k = 0; k < 2; k++) {
        if (sqlite3_column_type(pq, 2 + 3 * k) == SQLITE_NULL) {
            snprintf(eq, sizeof eq, "%s", zh ? "未提供" : "not given");
        } else {
            equation(eq, sizeof eq, k ? "R" : "r",
                     sqlite3_column_double(pq, 2 + 3 * k),
                     sqlite3_column_double(pq, 3 + 3 * k),
                     sqlite3_column_double(pq, 4 + 3 * k));
        }
        snprintf(line, sizeof line, "%s: %s%s%s%s%s",
                 product ? product : (zh ? "一般" : "general"), eq, range,
                 strcmp(status, "published") ? " [" : "",
                 strcmp(status, "published") ? status : "",
                 strcmp(status, "published") ? "]" : "");
        append_line(k ? R : r, n, line);
    }
    append_line(src, src_n, pt_store_text(pq, 10));
}

static lims_status read_methods(pt_build *b, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL, *pq = NULL;
    lims_status rc;
    int zh = b->rep.lang == PT_REPORT_ZH_TW;

    if ((rc = pt_store_prepare(b->db, methods_sql, &q, err, errlen)) ||
        (rc = pt_store_prepare(b->db, precision_sql, &pq, err, errlen)))
        goto done;
    while (!rc && sqlite3_step(q) == SQLITE_ROW) {
        pt_report_method *m;
        char r[1024] = "", R[1024] = "", src[2048] = "", unit[64] = "";

        if (!scheme_in_report(b, pt_store_text(q, 2)))
            continue;
        pt_reportdb_hash_row(b, q);
        m = pt_reportdb_push(&b->methods, &b->n_methods, &b->cap_methods,
                             sizeof *m);
        if (!m) {
            rc = LIMS_ERR_NOMEM;
            break;
        }
        m->code = pt_reportdb_keep(&b->pool, pt_store_text(q, 1));
        m->scheme = pt_reportdb_keep(&b->pool, pt_store_text(q, 2));
        m->scheme_name =
            pt_reportdb_keep(&b->pool, pt_reportdb_scheme_name(b, m->scheme));
        m->principle = pt_reportdb_keep(&b->pool, pt_store_text(q, 3));
        m->edition = pt_reportdb_keep(&b->pool, pt_store_text(q, 4));
        m->unit = pt_reportdb_keep(&b->pool, pt_store_text(q, 5));
        m->scope_min = pt_store_num(q, 6);
        m->scope_max = pt_store_num(q, 7);
        m->status = pt_reportdb_keep(&b->pool, pt_store_text(q, 8));
        append_line(src, sizeof src, pt_store_text(q, 9));
        sqlite3_reset(pq);
        sqlite3_bind_int64(pq, 1, sqlite3_column_int64(q, 0));
        while (sqlite3_step(pq) == SQLITE_ROW) {
            pt_reportdb_hash_row(b, pq);
            append_precision(pq, zh, r, R, sizeof r, src, sizeof src);
        }
        /* the equations are in the method's unit */
        if (*r && strcmp(pt_store_text(q, 10), pt_store_text(q, 5)) != 0) {
            snprintf(unit, sizeof unit, zh ? "（X 以 %s 計）" : "(X in %s)",
                     pt_store_text(q, 10));
            append_line(r, sizeof r, unit);
            append_line(R, sizeof R, unit);
        }
        m->repeatability = pt_reportdb_keep(&b->pool, r);
        m->reproducibility = pt_reportdb_keep(&b->pool, R);
        m->source = pt_reportdb_keep(&b->pool, src);
    }
done:
    sqlite3_finalize(q);
    sqlite3_finalize(pq);
    return rc;
}

static const char limits_sql[] =
    "SELECT scheme, measurand, category, kind, value, unit, alt_value, "
    "alt_unit, alt_rule, cap, standard, edition, clause, effective_from, "
    "effective_to, status, source FROM limit_spec "
    "ORDER BY scheme, measurand, id";

/* "0.75 mA or 0.75 mA/kW, whichever is greater, at most 5 mA". */
static void limit_text(sqlite3_stmt *q, int zh, char *buf, size_t n)
{
    size_t len;

    buf[0] = '\0';
    if (sqlite3_column_type(q, 4) != SQLITE_NULL)
        snprintf(buf, n, "%.6g %s", sqlite3_column_double(q, 4),
                 pt_store_text(q, 5));
    len = strlen(buf);
    if (sqlite3_column_type(q, 6) != SQLITE_NULL) {
        int greater = strcmp(pt_store_text(q, 8), "lesser") != 0;
        snprintf(buf + len, n - len, "%s%.6g %s%s",
                 len ? (zh ? " 或 " : " or ") : "",
                 sqlite3_column_double(q, 6), pt_store_text(q, 7),
                 len ? (zh ? (greater ? "，取較大者" : "，取較小者")
                           : (greater ? ", whichever is greater"
                                      : ", whichever is less"))
                     : "");
        len = strlen(buf);
    }
    if (sqlite3_column_type(q, 9) != SQLITE_NULL)
        snprintf(buf + len, n - len, zh ? "，上限 %.6g %s"
                                        : ", at most %.6g %s",
                 sqlite3_column_double(q, 9), pt_store_text(q, 5));
}

static lims_status read_limits(pt_build *b, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL;
    lims_status rc = pt_store_prepare(b->db, limits_sql, &q, err, errlen);
    int zh = b->rep.lang == PT_REPORT_ZH_TW;

    if (rc)
        return rc;
    while (sqlite3_step(q) == SQLITE_ROW) {
        pt_report_limit *l;
        char text[256];

        if (!scheme_in_report(b, pt_store_text(q, 0)))
            continue;
        pt_reportdb_hash_row(b, q);
        l = pt_reportdb_push(&b->limits, &b->n_limits, &b->cap_limits,
                             sizeof *l);
        if (!l) {
            rc = LIMS_ERR_NOMEM;
            break;
        }
        limit_text(q, zh, text, sizeof text);
        l->scheme = pt_reportdb_keep(&b->pool, pt_store_text(q, 0));
        l->measurand = pt_reportdb_keep(&b->pool, pt_store_text(q, 1));
        l->scheme_name =
            pt_reportdb_keep(&b->pool, pt_reportdb_scheme_name(b, l->scheme));
        l->measurand_name = pt_reportdb_keep(
            &b->pool, pt_report_label_limit_key(
                          b->rep.lang, pt_reportdb_measurand_name(
                                           b, l->scheme, l->measurand)));
        l->category = pt_reportdb_keep(&b->pool, pt_store_text(q, 2));
        l->kind = pt_reportdb_keep(&b->pool, pt_store_text(q, 3));
        l->value_text = pt_reportdb_keep(&b->pool, text);
        l->standard = pt_reportdb_keep(&b->pool, pt_store_text(q, 10));
        l->edition = pt_reportdb_keep(&b->pool, pt_store_text(q, 11));
        l->clause = pt_reportdb_keep(&b->pool, pt_store_text(q, 12));
        l->effective_from = date_or_null(b, q, 13);
        l->effective_to = date_or_null(b, q, 14);
        l->status = pt_reportdb_keep(&b->pool, pt_store_text(q, 15));
        l->source = pt_reportdb_keep(&b->pool, pt_store_text(q, 16));
    }
    sqlite3_finalize(q);
    return rc;
}

/* The method (code, edition) each compare row's R was taken from, as the
 * comparison looks it up: the method the result's method text names, and
 * the edition whose equation gave R (schema 008). */
static void name_precision(pt_build *b)
{
    for (size_t i = 0; i < b->n_compares; i++) {
        pt_report_compare *x = &b->compares[i];
        const pt_report_round *rd = report_round(b, x->round);
        const lims_plugin *p = rd ? pt_core_scheme(b->inst, rd->scheme) : NULL;
        char err[256];
        pt_method m;
        pt_precision pr;

        if (!p || isnan(x->limit) || !x->method ||
            pt_method_find(b->db, p, x->measurand, x->method, &m, err,
                           sizeof err) != LIMS_OK ||
            !m.id ||
            pt_method_precision(b->db, &m, NULL,
                                (x->lab_value + x->ref_value) / 2, &pr, err,
                                sizeof err) != LIMS_OK ||
            isnan(pr.R))
            continue;
        x->precision_method = pt_reportdb_keep(&b->pool, m.code);
        x->precision_edition = pt_reportdb_keep(&b->pool, pr.R_edition);
    }
}

lims_status pt_reportdb_audit(pt_build *b, char *err, size_t errlen)
{
    lims_status rc;

    if ((rc = read_plan(b, err, errlen)) ||
        (rc = read_capas(b, err, errlen)) ||
        (rc = read_compares(b, err, errlen)) ||
        (rc = read_methods(b, err, errlen)) ||
        (rc = read_limits(b, err, errlen)))
        return rc;
    name_precision(b);
    return LIMS_OK;
}

void pt_reportdb_audit_free(pt_build *b)
{
    for (size_t i = 0; i < b->n_blocks; i++)
        free(b->blocks[i]);
    free(b->blocks);
    free(b->plans);
    free(b->plan_ids);
    free(b->capas);
    free(b->compares);
    free(b->methods);
    free(b->limits);
}
