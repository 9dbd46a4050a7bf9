/*
 * pt_method.c -- looking up a method's edition, scope and precision
 * equations (see pt_method.h for the rules).
 *
 * Kept in one place because import (scope warnings), evaluation (σ_pt from
 * R), the duplicate check against r, conformity (ISO 4259-2) and the
 * branch-versus-reference comparison all need the same equations with the
 * same edition, product and boundary rules.
 */
#include "pt_method.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pt_check.h"
#include "pt_store.h"

double pt_method_unit_scale(const lims_plugin *p, const char *measurand,
                            const char *unit)
{
    const lims_unit *u = unit ? pt_check_unit(p, measurand, unit) : NULL;
    return u ? pow(10.0, u->pow10) : NAN;
}

static const char find_sql[] =
    "SELECT id, code, unit FROM method "
    "WHERE scheme = ?1 AND substr(?2, 1, length(code)) = code "
    "ORDER BY length(code) DESC LIMIT 1";

/* newest first: the order in which "newest" and "covering" are read */
static const char edition_sql[] =
    "SELECT id, edition, issued, scope_min, scope_max, scope_unit, status "
    "FROM method_edition WHERE method_id = ?1 "
    "ORDER BY coalesce(issued, 0) DESC, id DESC";

/* rows that give r or R at X for the product: the result's edition
 * first (its product row, then its general row), then the other editions
 * newest first */
static const char precision_sql[] =
    "SELECT p.repeat_a, p.repeat_b, p.repeat_c, p.reprod_a, p.reprod_b, "
    "p.reprod_c, e.edition, p.product "
    "FROM method_precision p JOIN method_edition e ON e.id = p.edition_id "
    "WHERE e.method_id = ?1 AND (p.product IS NULL OR p.product = ?3) "
    "AND (p.repeat_a IS NOT NULL OR p.reprod_a IS NOT NULL) "
    "AND (p.x_from IS NULL OR ?4 >= p.x_from) "
    "AND (p.x_to IS NULL OR ?4 < p.x_to) "
    "ORDER BY e.id = ?2 DESC, coalesce(e.issued, 0) DESC, e.id DESC, "
    "p.product IS NULL, p.id";

/* The edition the method text names after the code: *len 0 when none. */
static const char *named_edition(const char *text, size_t code_len,
                                 size_t *len)
{
    const char *s = text + code_len;

    *len = 0;
    if (*s != '-' && *s != ':')
        return s;
    s++;
    while (s[*len] && !isspace((unsigned char)s[*len]))
        (*len)++;
    return s;
}

/* The year an edition names: "21" 2021, "98" 1998, "2019" 2019, "19a"
 * 2019; 0 when it names none. */
static int edition_year(const char *s, size_t len)
{
    size_t digits = 0;
    int y = 0;

    while (digits < len && digits < 4 && isdigit((unsigned char)s[digits]))
        y = y * 10 + (s[digits++] - '0');
    if (digits == 4)
        return y;
    if (digits == 2)
        return y >= 50 ? 1900 + y : 2000 + y;
    return 0;
}

/* Fills m's edition from the edition rows of m->id (q: edition_sql). */
static void edition_with(sqlite3_stmt *q, const lims_plugin *p,
                         const char *measurand, const char *text,
                         pt_method *m)
{
    size_t len;
    const char *named = named_edition(text, strlen(m->code), &len);
    int year = len ? edition_year(named, len) : 0;
    /* rows come newest first: the first row is the newest, the first
     * issued by `year` the covering one; a named one ends the search */
    int have_newest = 0, have_covering = 0;

    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, m->id);
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *ed = pt_store_text(q, 1);
        int issued = sqlite3_column_int(q, 2);
        pt_edition_match how;

        if (len && strlen(ed) == len && strncmp(ed, named, len) == 0)
            how = PT_EDITION_NAMED;
        else if (!have_covering && year && issued <= year)
            how = PT_EDITION_COVERING;
        else if (!have_newest && !have_covering)
            how = PT_EDITION_NEWEST;
        else
            continue;
        have_newest = 1;
        have_covering |= how == PT_EDITION_COVERING;
        m->match = how;
        m->edition_id = sqlite3_column_int64(q, 0);
        m->issued = issued;
        snprintf(m->edition, sizeof m->edition, "%s", ed);
        snprintf(m->status, sizeof m->status, "%s", pt_store_text(q, 6));
        snprintf(m->scope_unit, sizeof m->scope_unit, "%s",
                 pt_store_text(q, 5));
        m->scope_lo = pt_store_num(q, 3);
        m->scope_hi = pt_store_num(q, 4);
        if (how == PT_EDITION_NAMED)
            break;
    }
    sqlite3_reset(q);
    if (m->edition_id) {
        double s = pt_method_unit_scale(p, measurand, m->scope_unit);
        m->scope_min = m->scope_lo * s;
        m->scope_max = m->scope_hi * s;
    }
}

/* pt_method_find on the prepared statements (reset here). */
static void find_with(sqlite3_stmt *q, sqlite3_stmt *eq,
                      const lims_plugin *p, const char *measurand,
                      const char *text, pt_method *m)
{
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, p->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, text, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
        m->id = sqlite3_column_int64(q, 0);
        snprintf(m->code, sizeof m->code, "%s", pt_store_text(q, 1));
        m->scale = pt_method_unit_scale(p, measurand, pt_store_text(q, 2));
    }
    sqlite3_reset(q);
    if (m->id)
        edition_with(eq, p, measurand, text, m);
}

/* pt_method_precision on the prepared precision_sql `q` at method-unit
 * level X. */
static void precision_with(sqlite3_stmt *q, const pt_method *m,
                           const char *product, double X, pt_precision *pr)
{
    int have_r = 0, have_R = 0;

    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, m->id);
    sqlite3_bind_int64(q, 2, m->edition_id);
    if (product && *product)
        sqlite3_bind_text(q, 3, product, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, 3);
    sqlite3_bind_double(q, 4, X);
    while ((!have_r || !have_R) && sqlite3_step(q) == SQLITE_ROW) {
        for (int k = 0; k < 2; k++) {
            int *have = k ? &have_R : &have_r;

            if (*have || sqlite3_column_type(q, 3 * k) == SQLITE_NULL)
                continue;
            *have = 1;
            *(k ? &pr->R : &pr->r) =
                sqlite3_column_double(q, 3 * k) *
                pow(X + sqlite3_column_double(q, 3 * k + 1),
                    sqlite3_column_double(q, 3 * k + 2)) *
                m->scale;
            snprintf(k ? pr->R_edition : pr->r_edition, sizeof pr->r_edition,
                     "%s", pt_store_text(q, 6));
            snprintf(k ? pr->R_product : pr->r_product, sizeof pr->r_product,
                     "%s", pt_store_text(q, 7));
        }
    }
    sqlite3_reset(q);
}

static void method_clear(pt_method *m)
{
    memset(m, 0, sizeof *m);
    m->scope_min = m->scope_max = m->scope_lo = m->scope_hi = m->scale = NAN;
}

static void precision_clear(pt_precision *pr)
{
    memset(pr, 0, sizeof *pr);
    pr->r = pr->R = NAN;
}

lims_status pt_method_find(sqlite3 *db, const lims_plugin *p,
                           const char *measurand, const char *text,
                           pt_method *m, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL, *eq = NULL;
    lims_status rc;

    method_clear(m);
    if (!text || !*text)
        return LIMS_OK;
    if (!(rc = pt_store_prepare(db, find_sql, &q, err, errlen)) &&
        !(rc = pt_store_prepare(db, edition_sql, &eq, err, errlen)))
        find_with(q, eq, p, measurand, text, m);
    sqlite3_finalize(q);
    sqlite3_finalize(eq);
    return rc;
}

lims_status pt_method_precision(sqlite3 *db, const pt_method *m,
                                const char *product, double x,
                                pt_precision *pr, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc;

    precision_clear(pr);
    if (!m->id || isnan(m->scale) || isnan(x))
        return LIMS_OK;
    if ((rc = pt_store_prepare(db, precision_sql, &q, err, errlen)))
        return rc;
    precision_with(q, m, product, x / m->scale, pr);
    sqlite3_finalize(q);
    return LIMS_OK;
}

/* "ASTM D4294-21", "ASTM D4294 (older edition)", "ISO 8754". */
static char *edition_label(const char *code, const char *edition, char *buf,
                           size_t n)
{
    if (!*edition || strcmp(edition, "not stated") == 0)
        snprintf(buf, n, "%s", code);
    else if (isdigit((unsigned char)edition[0]))
        snprintf(buf, n, "%s%s%s", code, strncmp(code, "ISO", 3) ? "-" : ":",
                 edition);
    else
        snprintf(buf, n, "%s (%s)", code, edition);
    return buf;
}

char *pt_method_precision_note(const pt_method *m, const char *product,
                               const pt_precision *pr, char which,
                               char *buf, size_t n)
{
    const char *ed = which == 'r' ? pr->r_edition : pr->R_edition;
    const char *prod = which == 'r' ? pr->r_product : pr->R_product;
    double v = which == 'r' ? pr->r : pr->R;
    char used[128], own[128];

    buf[0] = '\0';
    if (isnan(v))
        return buf;
    if (strcmp(ed, m->edition) != 0)
        snprintf(buf, n,
                 "%c of %s, %s row: %s gives no %c equation, so the newest "
                 "edition that does is used",
                 which, edition_label(m->code, ed, used, sizeof used),
                 *prod ? prod : "general",
                 edition_label(m->code, m->edition, own, sizeof own), which);
    else if (product && *product && !*prod)
        snprintf(buf, n, "%c of %s, general row (no %s row gives %c)", which,
                 edition_label(m->code, ed, used, sizeof used), product,
                 which);
    return buf;
}

char *pt_method_name(const pt_method *m, char *buf, size_t n)
{
    return edition_label(m->code, m->edition_id ? m->edition : "", buf, n);
}

lims_status pt_method_cache_init(pt_method_cache *c, sqlite3 *db,
                                char *err, size_t errlen)
{
    lims_status rc;

    memset(c, 0, sizeof *c);
    if ((rc = pt_store_prepare(db, find_sql, &c->find_q, err, errlen)) ||
        (rc = pt_store_prepare(db, edition_sql, &c->edition_q, err,
                               errlen)) ||
        (rc = pt_store_prepare(db, precision_sql, &c->precision_q, err,
                               errlen)))
        pt_method_cache_release(c);
    return rc;
}

void pt_method_cache_release(pt_method_cache *c)
{
    sqlite3_finalize(c->find_q);
    sqlite3_finalize(c->edition_q);
    sqlite3_finalize(c->precision_q);
    c->find_q = c->edition_q = c->precision_q = NULL;
}

void pt_method_cache_find(pt_method_cache *c, const lims_plugin *p,
                          const char *measurand, const char *text,
                          pt_method *m)
{
    unsigned i;
    size_t lm, lt;

    method_clear(m);
    if (!text || !*text)
        return;
    for (i = 0; i < c->n_found; i++)
        if (c->found[i].p == p && strcmp(c->found[i].text, text) == 0 &&
            strcmp(c->found[i].measurand, measurand) == 0) {
            *m = c->found[i].m;
            return;
        }
    find_with(c->find_q, c->edition_q, p, measurand, text, m);
    lm = strlen(measurand);
    lt = strlen(text);
    if (lm >= sizeof c->found[0].measurand || lt >= sizeof c->found[0].text)
        return; /* too long to keep: looked up every time */
    i = c->n_found < PT_METHOD_CACHE_FOUND ? c->n_found++
                                          : c->next++ % PT_METHOD_CACHE_FOUND;
    c->found[i].p = p;
    memcpy(c->found[i].measurand, measurand, lm + 1);
    memcpy(c->found[i].text, text, lt + 1);
    c->found[i].m = *m;
}

void pt_method_cache_precision(pt_method_cache *c, const pt_method *m,
                               const char *product, double x,
                               pt_precision *pr)
{
    double X;
    const char *prod = product ? product : "";
    size_t lp = strlen(prod);

    precision_clear(pr);
    if (!m->id || isnan(m->scale) || isnan(x))
        return;
    X = x / m->scale;
    if (lp >= sizeof c->prec_product) { /* too long to keep */
        precision_with(c->precision_q, m, prod, X, pr);
        return;
    }
    if (c->prec_id != m->id || c->prec_edition != m->edition_id ||
        !(c->prec_X == X) || strcmp(c->prec_product, prod) != 0) {
        precision_clear(&c->prec);
        precision_with(c->precision_q, m, prod, X, &c->prec);
        c->prec_id = m->id;
        c->prec_edition = m->edition_id;
        c->prec_X = X;
        memcpy(c->prec_product, prod, lp + 1);
    }
    *pr = c->prec;
}

/* ---- the data as a list ---- */

static const char list_editions_sql[] =
    "SELECT e.id, m.code, m.scheme, m.principle, m.unit, e.edition, "
    "e.issued, e.scope_min, e.scope_max, e.scope_unit, e.status, e.source "
    "FROM method_edition e JOIN method m ON m.id = e.method_id "
    "WHERE ?1 IS NULL OR m.scheme = ?1 "
    "ORDER BY m.scheme, m.code, coalesce(e.issued, 0), e.id";

static const char list_precision_sql[] =
    "SELECT product, x_from, x_to, repeat_a, repeat_b, repeat_c, reprod_a, "
    "reprod_b, reprod_c, status, source FROM method_precision "
    "WHERE edition_id = ?1 ORDER BY product IS NOT NULL, product, "
    "x_from IS NOT NULL, x_from, id";

static const char list_limits_sql[] =
    "SELECT scheme, measurand, category, kind, value, unit, alt_value, "
    "alt_unit, alt_rule, cap, standard, edition, clause, effective_from, "
    "effective_to, status, source FROM limit_spec "
    "WHERE ?1 IS NULL OR scheme = ?1 "
    "ORDER BY scheme, measurand, category, effective_from, id";

static lims_status list_editions(sqlite3 *db, const char *scheme,
                                 lims_method_edition_cb on_edition,
                                 lims_method_precision_cb on_precision,
                                 void *ctx, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL, *pq = NULL;
    lims_status rc;
    int stop = 0;

    if ((rc = pt_store_prepare(db, list_editions_sql, &q, err, errlen)) ||
        (rc = pt_store_prepare(db, list_precision_sql, &pq, err, errlen)))
        goto done;
    pt_store_bind_text(q, 1, scheme);
    while (!stop && sqlite3_step(q) == SQLITE_ROW) {
        lims_method_edition e;

        memset(&e, 0, sizeof e);
        e.size = sizeof e;
        e.code = pt_store_text(q, 1);
        e.scheme = pt_store_text(q, 2);
        e.principle = pt_store_text(q, 3);
        e.unit = pt_store_text(q, 4);
        e.edition = pt_store_text(q, 5);
        e.issued = pt_store_num(q, 6);
        e.scope_min = pt_store_num(q, 7);
        e.scope_max = pt_store_num(q, 8);
        e.scope_unit = pt_store_text(q, 9);
        e.status = pt_store_text(q, 10);
        e.source = pt_store_text(q, 11);
        if ((stop = on_edition(ctx, &e)))
            break;
        sqlite3_reset(pq);
        sqlite3_bind_int64(pq, 1, sqlite3_column_int64(q, 0));
        while (!stop && sqlite3_step(pq) == SQLITE_ROW) {
            lims_method_precision p;

            memset(&p, 0, sizeof p);
            p.size = sizeof p;
            p.product = pt_store_text_or_null(pq, 0);
            p.x_from = pt_store_num(pq, 1);
            p.x_to = pt_store_num(pq, 2);
            p.r_a = pt_store_num(pq, 3);
            p.r_b = pt_store_num(pq, 4);
            p.r_c = pt_store_num(pq, 5);
            p.R_a = pt_store_num(pq, 6);
            p.R_b = pt_store_num(pq, 7);
            p.R_c = pt_store_num(pq, 8);
            p.status = pt_store_text(pq, 9);
            p.source = pt_store_text(pq, 10);
            stop = on_precision(ctx, &p);
        }
        sqlite3_reset(pq);
    }
    if (stop) {
        snprintf(err, errlen, "methods: stopped");
        rc = LIMS_ERR_CANCELLED;
    }
done:
    sqlite3_finalize(q);
    sqlite3_finalize(pq);
    return rc;
}

static lims_status list_limits(sqlite3 *db, const char *scheme,
                               lims_limit_cb on_limit, void *ctx, char *err,
                               size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(db, list_limits_sql, &q, err, errlen);

    if (rc)
        return rc;
    pt_store_bind_text(q, 1, scheme);
    while (!rc && sqlite3_step(q) == SQLITE_ROW) {
        lims_limit_info l;

        memset(&l, 0, sizeof l);
        l.size = sizeof l;
        l.scheme = pt_store_text(q, 0);
        l.measurand = pt_store_text(q, 1);
        l.category = pt_store_text(q, 2);
        l.kind = pt_store_text(q, 3);
        l.value = pt_store_num(q, 4);
        l.unit = pt_store_text(q, 5);
        l.alt_value = pt_store_num(q, 6);
        l.alt_unit = pt_store_text_or_null(q, 7);
        l.alt_rule = pt_store_text_or_null(q, 8);
        l.cap = pt_store_num(q, 9);
        l.standard = pt_store_text(q, 10);
        l.edition = pt_store_text_or_null(q, 11);
        l.clause = pt_store_text_or_null(q, 12);
        l.effective_from = pt_store_text_or_null(q, 13);
        l.effective_to = pt_store_text_or_null(q, 14);
        l.status = pt_store_text(q, 15);
        l.source = pt_store_text(q, 16);
        if (on_limit(ctx, &l)) {
            snprintf(err, errlen, "methods: stopped");
            rc = LIMS_ERR_CANCELLED;
        }
    }
    sqlite3_finalize(q);
    return rc;
}

lims_status pt_method_list(sqlite3 *db, const char *scheme,
                           lims_method_edition_cb on_edition,
                           lims_method_precision_cb on_precision,
                           lims_limit_cb on_limit, void *ctx, char *err,
                           size_t errlen)
{
    lims_status rc = list_editions(db, scheme, on_edition, on_precision, ctx,
                                   err, errlen);

    return rc ? rc : list_limits(db, scheme, on_limit, ctx, err, errlen);
}
