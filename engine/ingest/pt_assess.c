/*
 * pt_assess.c -- scope, repeatability and conformity checks of a recorded
 * result (see pt_assess.h).
 *
 * The limit comes from the limit_spec table through the scheme's
 * limit_key(): the scheme knows which category a result falls in, the data
 * knows the value, its edition and its source.  Per-kW limits take the
 * greater of the fixed value and the per-kW value, capped; a power-input
 * tolerance in % of the rated power becomes an absolute power.
 *
 * A judgement (warnings and the conformity row) is first worked out in a
 * pt_judgement, then stored: by import for a new result, and by
 * pt_assess_rejudge for a result recorded under older method and limit
 * data, which keeps the judgement it replaces.
 */
#include "pt_assess.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_check.h"
#include "pt_csv.h"
#include "pt_method.h"
#include "pt_stats.h"
#include "pt_store.h"

#define PT_JUDGEMENT_WARNINGS 4

/* What is found about one result. */
typedef struct pt_judgement {
    char warnings[PT_JUDGEMENT_WARNINGS][512];
    int n_warnings;
    long long limit_id; /* 0: none */
    double A, thr;      /* the limit and the threshold, NAN when none */
    const char *verdict;
    const char *qualifier; /* NULL, or "method out of scope" */
    int near;
    char rule[768];
    char method_note[512]; /* "" when the result's own edition was used */
} pt_judgement;

struct pt_assess {
    sqlite3 *db;
    sqlite3_stmt *limit_q;
    sqlite3_stmt *warn_ins;
    sqlite3_stmt *conf_ins;
    pt_method_cache methods;
    /* limit_q is left on the answer for this key (results of a round
     * share it); lim_found: it has a row */
    const lims_plugin *lim_scheme;
    char lim_measurand[64], lim_category[96], lim_date[32];
    int lim_found;
};

lims_status pt_assess_new(sqlite3 *db, pt_assess **out, char *err,
                          size_t errlen)
{
    pt_assess *a = calloc(1, sizeof *a);
    lims_status rc;

    *out = NULL;
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    a->db = db;
    if ((rc = pt_store_prepare(
             db,
             "SELECT id, value, unit, alt_value, alt_unit, alt_rule, cap, "
             "standard, status, edition, effective_from FROM limit_spec "
             "WHERE scheme = ?1 AND measurand = ?2 AND category = ?3 AND "
             "(effective_from IS NULL OR effective_from <= ?4) AND "
             "(effective_to IS NULL OR ?4 < effective_to) "
             "ORDER BY effective_from DESC, id DESC LIMIT 1",
             &a->limit_q, err, errlen)) ||
        (rc = pt_store_prepare(db,
                               "INSERT INTO result_warning (result_id, "
                               "message) VALUES (?1, ?2)",
                               &a->warn_ins, err, errlen)) ||
        (rc = pt_store_prepare(db,
                               "INSERT INTO conformity (result_id, "
                               "limit_id, limit_value, threshold, verdict, "
                               "near_limit, rule, qualifier, method_note) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                               &a->conf_ins, err, errlen)) ||
        (rc = pt_method_cache_init(&a->methods, db, err, errlen))) {
        pt_assess_free(a);
        return rc;
    }
    *out = a;
    return LIMS_OK;
}

void pt_assess_free(pt_assess *a)
{
    if (!a)
        return;
    sqlite3_finalize(a->limit_q);
    sqlite3_finalize(a->warn_ins);
    sqlite3_finalize(a->conf_ins);
    pt_method_cache_release(&a->methods);
    free(a);
}

static void add_warning(pt_judgement *j, const char *msg)
{
    if (j->n_warnings < PT_JUDGEMENT_WARNINGS && *msg)
        snprintf(j->warnings[j->n_warnings++], sizeof j->warnings[0], "%s",
                 msg);
}

static const char *condition(const pt_assess_in *in, const char *name)
{
    size_t i;
    for (i = 0; i < in->n_conditions; i++)
        if (strcmp(in->conditions[i].name, name) == 0)
            return in->conditions[i].value;
    return NULL;
}

/* "; the result names no edition in the method table, ..." for m. */
static const char *edition_note(const pt_method *m)
{
    switch (m->match) {
    case PT_EDITION_COVERING:
        return "; the result's edition is not in the method table: the "
               "edition in force in its year is used";
    case PT_EDITION_NEWEST:
        return "; the result names no edition in the method table: the "
               "newest is used";
    default:
        return "";
    }
}

/* Out of m's scope: a warning naming the scope and its edition. */
static int out_of_scope(const pt_assess_in *in, const pt_method *m,
                        pt_judgement *j)
{
    char name[160], lo[48] = "", hi[48] = "", msg[512];

    if (!m->edition_id || !((!isnan(m->scope_min) && in->value < m->scope_min) ||
                            (!isnan(m->scope_max) && in->value > m->scope_max)))
        return 0;
    if (!isnan(m->scope_lo))
        snprintf(lo, sizeof lo, "%.6g %s", m->scope_lo, m->scope_unit);
    if (!isnan(m->scope_hi))
        snprintf(hi, sizeof hi, "%.6g %s", m->scope_hi, m->scope_unit);
    snprintf(msg, sizeof msg,
             "%s %.6g is outside the scope of %s (%s to %s, edition %s, "
             "%s)%s",
             in->measurand, in->value, pt_method_name(m, name, sizeof name),
             *lo ? lo : "open", *hi ? hi : "open", m->edition, m->status,
             edition_note(m));
    add_warning(j, msg);
    return 1;
}

/* Replicates "a;b" (reported unit) against r at their mean. */
static void replicates(pt_assess *a, const pt_assess_in *in,
                       const pt_method *m, pt_judgement *j)
{
    const char *text = condition(in, "replicates");
    char buf[256], msg[512], *tok, *save = NULL, why[128], name[160];
    char note[320];
    double v, lo = INFINITY, hi = -INFINITY, sum = 0;
    int n = 0, pow10 = (int)lround(log10(in->scale));
    pt_precision pr;

    if (!text || !*text)
        return;
    snprintf(buf, sizeof buf, "%s", text);
    for (tok = strtok_r(buf, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        if (pt_csv_number(tok, &v, why, sizeof why) != 0 ||
            pt_check_scale_text(tok, pow10, &v) != 0) {
            snprintf(msg, sizeof msg, "replicates: %s", why);
            add_warning(j, msg);
            return;
        }
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        sum += v;
        n++;
    }
    if (n != 2)
        return; /* r is the limit for two results */
    pt_method_cache_precision(&a->methods, m, in->matrix, sum / n, &pr);
    if (!isnan(pr.r) && hi - lo > pr.r) {
        pt_method_precision_note(m, in->matrix, &pr, 'r', note, sizeof note);
        snprintf(msg, sizeof msg,
                 "replicates differ by %.4g, more than the repeatability "
                 "r = %.4g of %s at %.4g%s%s",
                 hi - lo, pr.r, pt_method_name(m, name, sizeof name),
                 sum / n, *note ? "; " : "", note);
        add_warning(j, msg);
    }
}

/* The limit in force for this result, canonical unit; NAN when none. */
static double limit_value(const pt_assess_in *in, const lims_limit_key *k,
                          sqlite3_stmt *q)
{
    double value = pt_store_num(q, 1), alt = pt_store_num(q, 3);
    double cap = pt_store_num(q, 6), scale;
    const char *unit = pt_store_text(q, 2), *alt_unit = pt_store_text(q, 4);
    int greater = strcmp(pt_store_text(q, 5), "greater") == 0;

    if (strcmp(unit, "%") == 0) {
        /* a tolerance on the rated power, as an absolute power */
        if (isnan(k->rated_power))
            return NAN;
        value = k->rated_power * value / 100;
        if (!isnan(alt) && strcmp(alt_unit, "W") == 0)
            value = greater ? fmax(value, alt) : fmin(value, alt);
        return k->rated_power + value;
    }
    scale = pt_method_unit_scale(in->scheme, in->measurand, unit);
    if (!isnan(value))
        value *= scale;
    if (!isnan(alt) && strstr(alt_unit, "/kW")) {
        if (isnan(k->rated_power))
            return isnan(value) ? NAN : value;
        alt *= k->rated_power / 1000 * scale;
        value = isnan(value) ? alt
                : greater    ? fmax(value, alt)
                             : fmin(value, alt);
    }
    if (!isnan(cap) && value > cap * scale)
        value = cap * scale;
    return value;
}

/* Non-zero when limit_q is on the limit in force for key k on in->date;
 * the query runs only when the key differs from the last one. */
static int limit_row(pt_assess *a, const pt_assess_in *in,
                     const lims_limit_key *k)
{
    if (a->lim_scheme == in->scheme &&
        strcmp(a->lim_measurand, k->measurand) == 0 &&
        strcmp(a->lim_category, k->category) == 0 &&
        strcmp(a->lim_date, in->date) == 0)
        return a->lim_found;
    sqlite3_reset(a->limit_q);
    sqlite3_bind_text(a->limit_q, 1, in->scheme->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(a->limit_q, 2, k->measurand, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(a->limit_q, 3, k->category, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(a->limit_q, 4, in->date, -1, SQLITE_TRANSIENT);
    a->lim_found = sqlite3_step(a->limit_q) == SQLITE_ROW;
    a->lim_scheme = NULL;
    if (strlen(in->date) < sizeof a->lim_date &&
        strlen(k->measurand) < sizeof a->lim_measurand &&
        strlen(k->category) < sizeof a->lim_category) {
        a->lim_scheme = in->scheme;
        snprintf(a->lim_measurand, sizeof a->lim_measurand, "%s",
                 k->measurand);
        snprintf(a->lim_category, sizeof a->lim_category, "%s", k->category);
        snprintf(a->lim_date, sizeof a->lim_date, "%s", in->date);
    }
    return a->lim_found;
}

/* Into buf: which edition's data judged the result when the result names
 * none in the method table; "" when it names its own. */
static void edition_used(const pt_assess_in *in, const pt_method *m,
                         char *buf, size_t n)
{
    char name[160];

    buf[0] = '\0';
    if (!m->edition_id || m->match == PT_EDITION_NAMED)
        return;
    pt_method_name(m, name, sizeof name);
    if (m->match == PT_EDITION_COVERING && m->issued)
        snprintf(buf, n,
                 "\"%s\" names an edition not in the method table: %s, in "
                 "force in its year, used",
                 in->method, name);
    else if (m->match == PT_EDITION_COVERING)
        snprintf(buf, n,
                 "\"%s\" names an edition not in the method table: the data "
                 "of %s, an edition without a year, used",
                 in->method, name);
    else
        snprintf(buf, n,
                 "\"%s\" names no edition in the method table: the newest, "
                 "%s, used",
                 in->method, name);
}

/* The conformity of the result with the limit in force on its date. */
static void conformity(pt_assess *a, const pt_assess_in *in,
                       const pt_method *m, int outside, pt_judgement *j)
{
    lims_limit_key k;
    char why[256] = "", name[160], note[320], in_force[160];
    const char *prefix = outside ? "method out of scope: " : "";
    pt_precision pr;
    int fails = 0;
    size_t len;

    j->verdict = "not assessed";
    j->qualifier = NULL;
    edition_used(in, m, j->method_note, sizeof j->method_note);
    j->A = j->thr = NAN;
    j->limit_id = 0;
    j->near = 0;
    memset(&k, 0, sizeof k);
    k.size = sizeof k;
    if (!in->scheme->limit_key) {
        snprintf(j->rule, sizeof j->rule, "the scheme defines no limits");
        return;
    }
    if (in->scheme->limit_key(in->measurand, in->matrix, in->conditions,
                              in->n_conditions, &k, why,
                              sizeof why) != LIMS_OK) {
        snprintf(j->rule, sizeof j->rule, "%s", why);
        return;
    }
    if (!limit_row(a, in, &k)) {
        snprintf(j->rule, sizeof j->rule, "no %s limit for %s in force on %s",
                 k.measurand, k.category, in->date);
        return;
    }
    if (isnan(j->A = limit_value(in, &k, a->limit_q))) {
        snprintf(j->rule, sizeof j->rule,
                 "the %s limit for %s needs rated_power", k.measurand,
                 k.category);
        return;
    }
    j->limit_id = sqlite3_column_int64(a->limit_q, 0);
    /* "CNS 1472, edition 103, in force from 2011-07-01, published" */
    snprintf(in_force, sizeof in_force, "%s", pt_store_text(a->limit_q, 7));
    len = strlen(in_force);
    if (*pt_store_text(a->limit_q, 9))
        snprintf(in_force + len, sizeof in_force - len, ", edition %s",
                 pt_store_text(a->limit_q, 9));
    len = strlen(in_force);
    if (*pt_store_text(a->limit_q, 10))
        snprintf(in_force + len, sizeof in_force - len, ", in force from %s",
                 pt_store_text(a->limit_q, 10));
    len = strlen(in_force);
    snprintf(in_force + len, sizeof in_force - len, ", %s",
             pt_store_text(a->limit_q, 8));
    pt_method_cache_precision(&a->methods, m, in->matrix, j->A, &pr);
    if (!isnan(pr.R) &&
        pt_stats_conformity(in->value, j->A, pr.R, 1, &j->thr, &fails) ==
            PT_STATS_OK) {
        j->near = fabs(in->value - j->A) <= pr.R;
        pt_method_precision_note(m, in->matrix, &pr, 'R', note, sizeof note);
        snprintf(j->rule, sizeof j->rule,
                 "%sISO 4259-2: fails only above A + 0.59 R = %.6g + 0.59 x "
                 "%.4g = %.6g (%s%s); %s, %s",
                 prefix, j->A, pr.R, j->thr, *note ? "" : "R of ",
                 *note ? note : pt_method_name(m, name, sizeof name),
                 k.category, in_force);
        if (*note && strcmp(pr.R_edition, m->edition) != 0) {
            add_warning(j, note);
            len = strlen(j->method_note);
            snprintf(j->method_note + len, sizeof j->method_note - len,
                     "%s%s", len ? "; " : "", note);
        }
    } else {
        j->thr = j->A;
        fails = in->value > j->thr;
        j->near = !isnan(in->U) && fabs(in->value - j->A) <= in->U;
        snprintf(j->rule, sizeof j->rule, "%slimit %.6g for %s (%s)%s",
                 prefix, j->A, k.category, in_force,
                 j->near ? "; the uncertainty interval reaches the limit"
                         : "");
    }
    j->verdict = fails ? "does not conform" : "conforms";
    if (outside)
        j->qualifier = "method out of scope";
}

/* Works out the judgement of `in` (nothing stored). */
static void judge(pt_assess *a, const pt_assess_in *in, pt_judgement *j)
{
    pt_method m;
    int outside;

    j->n_warnings = 0;
    pt_method_cache_find(&a->methods, in->scheme, in->measurand, in->method,
                         &m);
    outside = out_of_scope(in, &m, j);
    replicates(a, in, &m, j);
    conformity(a, in, &m, outside, j);
}

static lims_status store_warning(pt_assess *a, long long result_id,
                                 const char *msg, char *err, size_t errlen)
{
    sqlite3_reset(a->warn_ins);
    sqlite3_bind_int64(a->warn_ins, 1, result_id);
    sqlite3_bind_text(a->warn_ins, 2, msg, -1, SQLITE_STATIC);
    if (sqlite3_step(a->warn_ins) != SQLITE_DONE) {
        snprintf(err, errlen, "result warning: %s", sqlite3_errmsg(a->db));
        return LIMS_ERR_DB;
    }
    return LIMS_OK;
}

/* Binds the conformity columns of j to `st` from column `first`: limit_id,
 * limit_value, threshold, verdict, near_limit, rule, qualifier,
 * method_note. */
static void bind_judgement(sqlite3_stmt *st, int first,
                           const pt_judgement *j)
{
    if (j->limit_id)
        sqlite3_bind_int64(st, first, j->limit_id);
    else
        sqlite3_bind_null(st, first);
    pt_store_bind_num(st, first + 1, j->A);
    pt_store_bind_num(st, first + 2, j->thr);
    sqlite3_bind_text(st, first + 3, j->verdict, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, first + 4, j->near);
    sqlite3_bind_text(st, first + 5, j->rule, -1, SQLITE_STATIC);
    if (j->qualifier)
        sqlite3_bind_text(st, first + 6, j->qualifier, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, first + 6);
    pt_store_bind_text_static(st, first + 7, j->method_note);
}

lims_status pt_assess_result(pt_assess *a, const pt_assess_in *in,
                             void (*warn)(void *ctx, const char *msg),
                             void *ctx, char *err, size_t errlen)
{
    pt_judgement j;
    lims_status rc;

    judge(a, in, &j);
    for (int i = 0; i < j.n_warnings; i++) {
        if ((rc = store_warning(a, in->result_id, j.warnings[i], err,
                                errlen)))
            return rc;
        if (warn)
            warn(ctx, j.warnings[i]);
    }
    sqlite3_reset(a->conf_ins);
    sqlite3_bind_int64(a->conf_ins, 1, in->result_id);
    bind_judgement(a->conf_ins, 2, &j);
    if (sqlite3_step(a->conf_ins) != SQLITE_DONE) {
        snprintf(err, errlen, "conformity: %s", sqlite3_errmsg(a->db));
        return LIMS_ERR_DB;
    }
    return LIMS_OK;
}

/* ---- judging again under new data ---- */

/* the waiting results of one scheme */
static const char pending_ids_sql[] =
    "SELECT p.result_id FROM conformity_pending p "
    "JOIN result r ON r.id = p.result_id JOIN round ro ON ro.id = r.round_id "
    "JOIN scheme s ON s.id = ro.scheme_id WHERE s.code = ?1 "
    "ORDER BY p.result_id";

/* a pending result with what judging it needs and its judgement now */
static const char pending_sql[] =
    "SELECT s.code, r.measurand, r.value, r.U, r.unit_text, r.method, "
    "coalesce(nullif(r.tested_on, ''), ro.opened), coalesce((SELECT "
    "i.matrix FROM round_item i WHERE i.round_id = r.round_id AND "
    "i.measurand = r.measurand AND i.item = r.item), rm.matrix, ''), "
    "ro.code, l.code, r.item, c.result_id IS NOT NULL, c.limit_id, "
    "c.limit_value, c.threshold, c.verdict, c.qualifier, c.near_limit, "
    "c.rule, c.method_note "
    "FROM result r JOIN round ro ON ro.id = r.round_id "
    "JOIN scheme s ON s.id = ro.scheme_id "
    "JOIN laboratory l ON l.id = r.lab_id "
    "LEFT JOIN round_measurand rm ON rm.round_id = r.round_id "
    "AND rm.measurand = r.measurand "
    "LEFT JOIN conformity c ON c.result_id = r.id WHERE r.id = ?1";

static const char conditions_sql[] =
    "SELECT name, value FROM result_condition WHERE result_id = ?1 "
    "ORDER BY name";

static const char warned_sql[] =
    "SELECT 1 FROM result_warning WHERE result_id = ?1 AND message = ?2";

static const char history_sql[] =
    "INSERT INTO conformity_history (result_id, limit_id, limit_value, "
    "threshold, verdict, qualifier, method_note, near_limit, rule, "
    "audit_id) SELECT result_id, limit_id, limit_value, threshold, "
    "verdict, qualifier, method_note, near_limit, rule, ?2 FROM conformity "
    "WHERE result_id = ?1";

static const char update_sql[] =
    "UPDATE conformity SET limit_id = ?2, limit_value = ?3, threshold = ?4, "
    "verdict = ?5, near_limit = ?6, rule = ?7, qualifier = ?8, "
    "method_note = ?9 "
    "WHERE result_id = ?1";

static const char done_sql[] =
    "DELETE FROM conformity_pending WHERE result_id = ?1";

typedef struct rejudge {
    pt_assess *a;
    sqlite3_stmt *pending_q, *cond_q, *warned_q, *history_ins, *update,
        *done_del;
    char detail[4096];
    size_t len;
} rejudge;

static void say(rejudge *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(rejudge *r, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (r->len >= sizeof r->detail - 1)
        return;
    va_start(ap, fmt);
    n = vsnprintf(r->detail + r->len, sizeof r->detail - r->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        r->len += (size_t)n;
    if (r->len > sizeof r->detail - 1)
        r->len = sizeof r->detail - 1;
}

/* Same nullable real (column i of q, NAN for NULL). */
static int same_num(sqlite3_stmt *q, int i, double v)
{
    double s = pt_store_num(q, i);
    return (isnan(s) && isnan(v)) || s == v;
}

static const char *verdict_text(const char *verdict, const char *qualifier,
                                char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s%s", verdict, qualifier ? " (" : "",
             qualifier ? qualifier : "", qualifier ? ")" : "");
    return buf;
}

/* Compares the stored judgement (columns 12..19 of pending_q) with j and
 * writes what changed into r->detail; non-zero when something did. */
static int changes(rejudge *r, const pt_judgement *j)
{
    sqlite3_stmt *q = r->pending_q;
    char was[96], now[96];
    int changed = 0;

    if (strcmp(pt_store_text(q, 15), j->verdict) != 0 ||
        strcmp(pt_store_text(q, 16), j->qualifier ? j->qualifier : "")) {
        say(r, "; verdict %s -> %s",
            verdict_text(pt_store_text(q, 15), pt_store_text_or_null(q, 16),
                         was, sizeof was),
            verdict_text(j->verdict, j->qualifier, now, sizeof now));
        changed = 1;
    }
    if (sqlite3_column_int64(q, 12) != j->limit_id ||
        !same_num(q, 13, j->A)) {
        say(r, "; limit %.6g -> %.6g", pt_store_num(q, 13), j->A);
        changed = 1;
    }
    if (!same_num(q, 14, j->thr)) {
        say(r, "; threshold %.6g -> %.6g", pt_store_num(q, 14), j->thr);
        changed = 1;
    }
    if (sqlite3_column_int(q, 17) != j->near) {
        say(r, "; near the limit %s -> %s",
            sqlite3_column_int(q, 17) ? "yes" : "no", j->near ? "yes" : "no");
        changed = 1;
    }
    if (strcmp(pt_store_text(q, 18), j->rule) != 0) {
        say(r, "; rule \"%s\" -> \"%s\"", pt_store_text(q, 18), j->rule);
        changed = 1;
    }
    if (strcmp(pt_store_text(q, 19), j->method_note) != 0) {
        say(r, "; method note \"%s\" -> \"%s\"", pt_store_text(q, 19),
            j->method_note);
        changed = 1;
    }
    return changed;
}

/* Conditions of result `id` as name/value pairs in one allocation: *out
 * (free it) and *n.  LIMS_OK or LIMS_ERR_NOMEM. */
static lims_status read_conditions(rejudge *r, long long id,
                                   lims_condition_value **out, size_t *n)
{
    size_t count = 0, bytes = 0, at;
    lims_condition_value *cv;
    char *text;

    *out = NULL;
    *n = 0;
    sqlite3_reset(r->cond_q);
    sqlite3_bind_int64(r->cond_q, 1, id);
    while (sqlite3_step(r->cond_q) == SQLITE_ROW) {
        count++;
        bytes += strlen(pt_store_text(r->cond_q, 0)) +
                 strlen(pt_store_text(r->cond_q, 1)) + 2;
    }
    if (!count)
        return LIMS_OK;
    cv = malloc(count * sizeof *cv + bytes);
    if (!cv)
        return LIMS_ERR_NOMEM;
    text = (char *)(cv + count);
    sqlite3_reset(r->cond_q);
    at = 0;
    while (*n < count && sqlite3_step(r->cond_q) == SQLITE_ROW) {
        for (int k = 0; k < 2; k++) {
            const char *s = pt_store_text(r->cond_q, k);
            size_t len = strlen(s) + 1;

            if (at + len > bytes)
                break;
            memcpy(text + at, s, len);
            if (k)
                cv[*n].value = text + at;
            else
                cv[*n].name = text + at;
            at += len;
        }
        (*n)++;
    }
    sqlite3_reset(r->cond_q);
    *out = cv;
    return LIMS_OK;
}

/* Judges result `id` of `scheme` again; *changed when its judgement
 * changed (then it is logged and the former one kept). */
static lims_status rejudge_one(rejudge *r, long long id,
                               const lims_plugin *scheme, int *changed,
                               char *err, size_t errlen)
{
    sqlite3_stmt *q = r->pending_q;
    lims_condition_value *cv = NULL;
    pt_assess_in in;
    pt_judgement j;
    int added[PT_JUDGEMENT_WARNINGS] = {0}, any;
    long long audit_id;
    lims_status rc = LIMS_OK;

    *changed = 0;
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, id);
    /* removed outside ptlims (verify names it), or never judged (a
     * correction): nothing to judge again */
    if (sqlite3_step(q) != SQLITE_ROW || !sqlite3_column_int(q, 11))
        goto done;
    memset(&in, 0, sizeof in);
    in.scheme = scheme;
    if ((rc = read_conditions(r, id, &cv, &in.n_conditions))) {
        snprintf(err, errlen, "judging again: out of memory");
        goto keep;
    }
    in.conditions = cv;
    in.result_id = id;
    in.measurand = pt_store_text(q, 1);
    in.value = sqlite3_column_double(q, 2);
    in.U = pt_store_num(q, 3);
    in.scale = pt_method_unit_scale(in.scheme, in.measurand,
                                    pt_store_text(q, 4));
    in.method = pt_store_text(q, 5);
    in.date = pt_store_text(q, 6);
    in.matrix = pt_store_text(q, 7);
    judge(r->a, &in, &j);
    r->len = 0;
    say(r, "result %lld (round %s, laboratory %s, %s, item %s) judged "
           "again under the method and limit data now recorded",
        id, pt_store_text(q, 8), pt_store_text(q, 9), in.measurand,
        pt_store_text(q, 10));
    any = changes(r, &j);
    for (int i = 0; i < j.n_warnings; i++) {
        sqlite3_reset(r->warned_q);
        sqlite3_bind_int64(r->warned_q, 1, id);
        sqlite3_bind_text(r->warned_q, 2, j.warnings[i], -1, SQLITE_STATIC);
        if (sqlite3_step(r->warned_q) != SQLITE_ROW) {
            added[i] = any = 1;
            say(r, "; warning \"%s\"", j.warnings[i]);
        }
        sqlite3_reset(r->warned_q);
    }
    if (!any)
        goto done;
    *changed = 1;
    if ((rc = pt_store_audit(r->a->db, "rejudge", r->detail, err, errlen)))
        goto keep;
    audit_id = sqlite3_last_insert_rowid(r->a->db);
    sqlite3_reset(r->history_ins);
    sqlite3_bind_int64(r->history_ins, 1, id);
    sqlite3_bind_int64(r->history_ins, 2, audit_id);
    sqlite3_reset(r->update);
    sqlite3_bind_int64(r->update, 1, id);
    bind_judgement(r->update, 2, &j);
    if (sqlite3_step(r->history_ins) != SQLITE_DONE ||
        sqlite3_step(r->update) != SQLITE_DONE) {
        snprintf(err, errlen, "judging again: %s", sqlite3_errmsg(r->a->db));
        rc = LIMS_ERR_DB;
        goto keep;
    }
    for (int i = 0; i < j.n_warnings && !rc; i++)
        if (added[i])
            rc = store_warning(r->a, id, j.warnings[i], err, errlen);
    if (rc)
        goto keep;
done:
    sqlite3_reset(r->done_del);
    sqlite3_bind_int64(r->done_del, 1, id);
    if (sqlite3_step(r->done_del) != SQLITE_DONE) {
        snprintf(err, errlen, "judging again: %s", sqlite3_errmsg(r->a->db));
        rc = LIMS_ERR_DB;
    }
keep:
    sqlite3_reset(q);
    sqlite3_reset(r->history_ins);
    sqlite3_reset(r->update);
    sqlite3_reset(r->done_del);
    free(cv);
    return rc;
}

/* The ids of `scheme` waiting in conformity_pending: *ids (free it) and
 * *n. */
static lims_status pending_ids(sqlite3 *db, const lims_plugin *scheme,
                               long long **ids, size_t *n, char *err,
                               size_t errlen)
{
    sqlite3_stmt *q;
    size_t cap = 0;
    lims_status rc = pt_store_prepare(db, pending_ids_sql, &q, err, errlen);

    *ids = NULL;
    *n = 0;
    if (!rc)
        sqlite3_bind_text(q, 1, scheme->id, -1, SQLITE_STATIC);
    while (!rc && sqlite3_step(q) == SQLITE_ROW) {
        if (*n == cap) {
            long long *p;

            cap = cap ? 2 * cap : 256;
            if (!(p = realloc(*ids, cap * sizeof *p))) {
                snprintf(err, errlen, "judging again: out of memory");
                rc = LIMS_ERR_NOMEM;
                break;
            }
            *ids = p;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    return rc;
}

lims_status pt_assess_rejudge(sqlite3 *db, const lims_plugin *scheme,
                              long long *changed, char *err, size_t errlen)
{
    rejudge r;
    long long *ids = NULL, n_changed = 0;
    size_t n = 0, i;
    lims_status rc;
    char summary[256];

    if (changed)
        *changed = 0;
    memset(&r, 0, sizeof r);
    if ((rc = pending_ids(db, scheme, &ids, &n, err, errlen)) || n == 0) {
        free(ids);
        return rc;
    }
    if ((rc = pt_store_begin(db, err, errlen))) {
        free(ids);
        return rc;
    }
    if ((rc = pt_assess_new(db, &r.a, err, errlen)))
        goto end;
    if ((rc = pt_store_prepare(db, pending_sql, &r.pending_q, err,
                               errlen)) ||
        (rc = pt_store_prepare(db, conditions_sql, &r.cond_q, err,
                               errlen)) ||
        (rc = pt_store_prepare(db, warned_sql, &r.warned_q, err, errlen)) ||
        (rc = pt_store_prepare(db, history_sql, &r.history_ins, err,
                               errlen)) ||
        (rc = pt_store_prepare(db, update_sql, &r.update, err, errlen)) ||
        (rc = pt_store_prepare(db, done_sql, &r.done_del, err, errlen)))
        goto end;
    for (i = 0; i < n && !rc; i++) {
        int c = 0;

        rc = rejudge_one(&r, ids[i], scheme, &c, err, errlen);
        n_changed += c;
    }
    if (!rc) {
        snprintf(summary, sizeof summary,
                 "%zu results of scheme %s judged again under the method "
                 "and limit data now recorded, %lld changed",
                 n, scheme->id, n_changed);
        rc = pt_store_audit(db, "rejudge", summary, err, errlen);
    }
end:
    sqlite3_finalize(r.pending_q);
    sqlite3_finalize(r.cond_q);
    sqlite3_finalize(r.warned_q);
    sqlite3_finalize(r.history_ins);
    sqlite3_finalize(r.update);
    sqlite3_finalize(r.done_del);
    pt_assess_free(r.a);
    free(ids);
    if (changed && !rc)
        *changed = n_changed;
    return pt_store_end(db, rc, err, errlen);
}
