/*
 * pt_write.c -- the one path by which a result enters the record (see
 * pt_write.h for the invariants it keeps).
 *
 * The statements are prepared once per operation, every laboratory found is
 * remembered by its code, and so are the round and the round's measurand of
 * the last result, so that a file of a million rows costs one insert per
 * row and little else.
 */
#include "pt_write.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pt_assess.h"
#include "pt_check.h"
#include "pt_core.h"
#include "pt_csv.h"
#include "pt_intern.h"
#include "pt_pack.h"
#include "pt_store.h"
#include "pt_suggest.h"

struct pt_writer {
    lims_instance *inst;
    void (*warn)(void *ctx, const char *msg);
    void *ctx;
    sqlite3_stmt *ins, *cond_ins, *lab_q, *round_q, *rm_q, *prev_q;
    sqlite3_stmt *item_q;  /* an item's own matrix (round_item) */
    sqlite3_stmt *items_q; /* whether a round gives any item one */
    pt_assess *assess;
    pt_packs packs;
    long long first_id; /* the first result this writer inserted */
    unsigned long count;
    /* the laboratories found so far (by code, through labs), the last
     * round and round measurand looked up */
    pt_intern labs;
    long long *lab_ids; /* by the code's index in labs */
    size_t lab_cap;
    long long lab_id;
    char *round_code;
    long long round_id;
    char *round_opened;
    const lims_plugin *scheme;
    char *rm_measurand; /* of round_id */
    char *matrix;
    int round_items; /* round_id gives some item its own matrix */
    char today[16]; /* YYYY-MM-DD, UTC: no test date after it */
};

static const char *const field_names[] = {
    [PT_FIELD_NONE] = "", [PT_FIELD_ROUND] = "round",
    [PT_FIELD_LAB] = "lab", [PT_FIELD_MEASURAND] = "measurand",
    [PT_FIELD_ITEM] = "item", [PT_FIELD_VALUE] = "value",
    [PT_FIELD_UNIT] = "unit", [PT_FIELD_U] = "U", [PT_FIELD_K] = "k",
    [PT_FIELD_METHOD] = "method", [PT_FIELD_INSTRUMENT] = "instrument",
    [PT_FIELD_ANALYST] = "analyst", [PT_FIELD_TESTED_ON] = "tested_on",
    [PT_FIELD_REMARKS] = "remarks", [PT_FIELD_CONDITION] = "condition",
    [PT_FIELD_VERSION] = "version", [PT_FIELD_REASON] = "reason",
    [PT_FIELD_OFFICIAL_SCORE] = "official_score",
    [PT_FIELD_OFFICIAL_KIND] = "official_kind",
};

const char *pt_field_name(pt_field f)
{
    return (unsigned)f < sizeof field_names / sizeof *field_names
               ? field_names[f]
               : "";
}

static const char insert_sql[] =
    "INSERT INTO result (round_id, lab_id, measurand, item, value_text, "
    "unit_text, value, U_text, U, k, method, instrument, analyst, tested_on, "
    "remarks, source, version, reason, official_score, official_kind) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16, ?17, ?18, ?19, ?20)";

pt_writer *pt_writer_new(lims_instance *inst,
                         void (*warn)(void *ctx, const char *msg), void *ctx,
                         lims_status *rc, char *err, size_t errlen)
{
    sqlite3 *db = inst->db;
    pt_writer *w = calloc(1, sizeof *w);

    if (!w) {
        snprintf(err, errlen, "out of memory");
        *rc = LIMS_ERR_NOMEM;
        return NULL;
    }
    w->inst = inst;
    {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(w->today, sizeof w->today, "%Y-%m-%d", &tm);
    }
    w->warn = warn;
    w->ctx = ctx;
    pt_packs_init(&w->packs, db);
    if ((*rc = pt_store_prepare(db, insert_sql, &w->ins, err, errlen)) ||
        (*rc = pt_store_prepare(db,
                                "INSERT INTO result_condition (result_id, "
                                "name, value) VALUES (?1, ?2, ?3)",
                                &w->cond_ins, err, errlen)) ||
        (*rc = pt_store_prepare(db,
                                "SELECT id FROM laboratory WHERE code = ?1",
                                &w->lab_q, err, errlen)) ||
        (*rc = pt_store_prepare(
             db,
             "SELECT r.id, s.code, r.status, r.opened FROM round r "
             "JOIN scheme s ON s.id = r.scheme_id WHERE r.code = ?1",
             &w->round_q, err, errlen)) ||
        (*rc = pt_store_prepare(db,
                                "SELECT coalesce(matrix, '') FROM "
                                "round_measurand WHERE round_id = ?1 AND "
                                "measurand = ?2",
                                &w->rm_q, err, errlen)) ||
        (*rc = pt_store_prepare(db,
                                "SELECT matrix FROM round_item WHERE "
                                "round_id = ?1 AND measurand = ?2 AND item "
                                "= ?3",
                                &w->item_q, err, errlen)) ||
        (*rc = pt_store_prepare(db,
                                "SELECT EXISTS (SELECT 1 FROM round_item "
                                "WHERE round_id = ?1)",
                                &w->items_q, err, errlen)) ||
        (*rc = pt_store_prepare(db,
                                "SELECT max(version), max(EXISTS (SELECT 1 "
                                "FROM voided v WHERE v.kind = 'result' AND "
                                "v.row_id = x.id)) FROM result x WHERE "
                                "round_id = ?1 AND lab_id = ?2 AND "
                                "measurand = ?3 AND item = ?4",
                                &w->prev_q, err, errlen))) {
        pt_writer_free(w);
        return NULL;
    }
    if ((*rc = pt_assess_new(db, &w->assess, err, errlen))) {
        pt_writer_free(w);
        return NULL;
    }
    return w;
}

void pt_writer_free(pt_writer *w)
{
    if (!w)
        return;
    sqlite3_finalize(w->ins);
    sqlite3_finalize(w->cond_ins);
    sqlite3_finalize(w->lab_q);
    sqlite3_finalize(w->round_q);
    sqlite3_finalize(w->rm_q);
    sqlite3_finalize(w->item_q);
    sqlite3_finalize(w->items_q);
    sqlite3_finalize(w->prev_q);
    pt_assess_free(w->assess);
    pt_packs_release(&w->packs);
    pt_intern_free(&w->labs);
    free(w->lab_ids);
    free(w->round_code);
    free(w->round_opened);
    free(w->rm_measurand);
    free(w->matrix);
    free(w);
}

unsigned long pt_writer_count(const pt_writer *w)
{
    return w->count;
}

static lims_status refuse(pt_refusal *where, pt_field f, size_t cond,
                          lims_status rc, char *err, size_t errlen,
                          const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static lims_status refuse(pt_refusal *where, pt_field f, size_t cond,
                          lims_status rc, char *err, size_t errlen,
                          const char *fmt, ...)
{
    va_list ap;

    where->field = f;
    where->condition = cond;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return rc;
}

static lims_status db_fail(pt_writer *w, const char *what, char *err,
                           size_t errlen)
{
    snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(w->inst->db));
    return LIMS_ERR_DB;
}

/* Replace the remembered text *slot by a copy of s. */
static lims_status remember(char **slot, const char *s, char *err,
                            size_t errlen)
{
    char *copy = strdup(s);

    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    free(*slot);
    *slot = copy;
    return LIMS_OK;
}

static int is_empty(const char *s)
{
    return !s || !*s;
}

/* The round of r: known, open, of a scheme given to the instance. */
static lims_status find_round(pt_writer *w, const pt_result_fields *r,
                              pt_refusal *where, char *err, size_t errlen)
{
    sqlite3_stmt *q = w->round_q;
    const lims_plugin *p = NULL;
    lims_status rc = LIMS_OK;
    int found, closed;
    char hint[512];

    if (w->round_code && strcmp(w->round_code, r->round) == 0)
        return LIMS_OK;
    free(w->round_code);
    w->round_code = NULL;
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, r->round, -1, SQLITE_STATIC);
    found = sqlite3_step(q) == SQLITE_ROW;
    closed = found && strcmp(pt_store_text(q, 2), "closed") == 0;
    if (found && !closed && !(p = pt_core_scheme(w->inst, pt_store_text(q, 1))))
        rc = refuse(where, PT_FIELD_ROUND, 0, LIMS_ERR_STATE, err, errlen,
                    "round %s is of scheme %s, for which no plug-in is "
                    "loaded",
                    r->round, pt_store_text(q, 1));
    else if (p && !(rc = remember(&w->round_opened, pt_store_text(q, 3), err,
                                  errlen)))
        w->round_id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (!found)
        return refuse(where, PT_FIELD_ROUND, 0, LIMS_ERR_INPUT, err, errlen,
                      "unknown round \"%s\"%s", r->round,
                      *pt_suggest_code(w->inst->db, PT_CODE_ROUND, r->round,
                                       hint, sizeof hint)
                          ? hint
                          : " (import it in a rounds file first)");
    if (closed)
        return refuse(where, PT_FIELD_ROUND, 0, LIMS_ERR_STATE, err, errlen,
                      "round %s is closed: its results cannot change",
                      r->round);

    if (rc || (rc = remember(&w->round_code, r->round, err, errlen)))
        return rc;
    w->scheme = p;
    free(w->rm_measurand);
    w->rm_measurand = NULL;
    sqlite3_bind_int64(w->items_q, 1, w->round_id);
    w->round_items = sqlite3_step(w->items_q) == SQLITE_ROW &&
                     sqlite3_column_int(w->items_q, 0);
    sqlite3_reset(w->items_q);
    return LIMS_OK;
}

static lims_status find_lab(pt_writer *w, const pt_result_fields *r,
                            pt_refusal *where, char *err, size_t errlen)
{
    size_t known = w->labs.n; /* indices below it have their id set */
    long i = pt_intern_index(&w->labs, r->lab);
    int found;
    char hint[512];

    if (i < 0) {
        snprintf(err, errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    if ((size_t)i < known && w->lab_ids[i] > 0) {
        w->lab_id = w->lab_ids[i];
        return LIMS_OK;
    }
    if ((size_t)i >= w->lab_cap) {
        size_t cap = w->lab_cap ? 2 * w->lab_cap : 64;
        long long *p = realloc(w->lab_ids, cap * sizeof *p);

        if (!p) {
            snprintf(err, errlen, "out of memory");
            return LIMS_ERR_NOMEM;
        }
        w->lab_ids = p;
        w->lab_cap = cap;
    }
    sqlite3_reset(w->lab_q);
    sqlite3_bind_text(w->lab_q, 1, r->lab, -1, SQLITE_STATIC);
    found = sqlite3_step(w->lab_q) == SQLITE_ROW;
    /* 0 for an unknown code: looked up again next time, in case the
     * laboratory has been recorded since */
    w->lab_ids[i] = found ? sqlite3_column_int64(w->lab_q, 0) : 0;
    w->lab_id = w->lab_ids[i];
    sqlite3_reset(w->lab_q);
    if (found)
        return LIMS_OK;
    return refuse(where, PT_FIELD_LAB, 0, LIMS_ERR_INPUT, err, errlen,
                  "unknown laboratory \"%s\"%s", r->lab,
                  *pt_suggest_code(w->inst->db, PT_CODE_LABORATORY, r->lab,
                                   hint, sizeof hint)
                      ? hint
                      : " (import it in a laboratories file first)");
}

/* The round's measurand, with its matrix. */
static lims_status find_measurand(pt_writer *w, const pt_result_fields *r,
                                  pt_refusal *where, char *err,
                                  size_t errlen)
{
    lims_status rc;
    char hint[1024];

    if (w->rm_measurand && strcmp(w->rm_measurand, r->measurand) == 0)
        return LIMS_OK;
    free(w->rm_measurand);
    w->rm_measurand = NULL;
    sqlite3_reset(w->rm_q);
    sqlite3_bind_int64(w->rm_q, 1, w->round_id);
    sqlite3_bind_text(w->rm_q, 2, r->measurand, -1, SQLITE_STATIC);
    if (sqlite3_step(w->rm_q) != SQLITE_ROW) {
        sqlite3_reset(w->rm_q);
        return refuse(where, PT_FIELD_MEASURAND, 0, LIMS_ERR_INPUT, err,
                      errlen, "round %s has no measurand \"%s\"%s",
                      r->round, r->measurand,
                      pt_suggest_measurands(w->scheme, hint, sizeof hint));
    }
    rc = remember(&w->matrix, pt_store_text(w->rm_q, 0), err, errlen);
    sqlite3_reset(w->rm_q);
    if (rc)
        return rc;
    return remember(&w->rm_measurand, r->measurand, err, errlen);
}

/* An optional number: NAN when not given. */
static lims_status number(const char *text, pt_field f, double *out,
                          pt_refusal *where, char *err, size_t errlen)
{
    char why[256];

    *out = NAN;
    if (is_empty(text))
        return LIMS_OK;
    if (pt_csv_number_normal(text, out, why, sizeof why) != 0)
        return refuse(where, f, 0, LIMS_ERR_INPUT, err, errlen, "%s: %s",
                      pt_field_name(f), why);
    return LIMS_OK;
}

/* Replicate results "a;b;...": each a number as pt_csv_number reads
 * them. */
static lims_status replicate_values(const char *text, size_t cond,
                                    pt_refusal *where, char *err,
                                    size_t errlen)
{
    const char *p = text, *e;
    char tok[64], why[160];
    double v;
    size_t l;

    for (;;) {
        e = strchr(p, ';');
        l = e ? (size_t)(e - p) : strlen(p);
        if (l >= sizeof tok)
            return refuse(where, PT_FIELD_CONDITION, cond, LIMS_ERR_INPUT,
                          err, errlen,
                          "replicates: a value of %zu characters is not a "
                          "number",
                          l);
        memcpy(tok, p, l);
        tok[l] = 0;
        if (pt_csv_number_normal(tok, &v, why, sizeof why) != 0)
            return refuse(where, PT_FIELD_CONDITION, cond, LIMS_ERR_INPUT,
                          err, errlen, "replicates: %s", why);
        if (!e)
            return LIMS_OK;
        p = e + 1;
    }
}

/* Codes and the text the workbook writes keep the rules of pt_csv.h, and
 * no test date lies in the future. */
static lims_status check_cells(const pt_writer *w, const pt_result_fields *r,
                               pt_refusal *where, char *err, size_t errlen)
{
    static const pt_field code_field[] = {PT_FIELD_ROUND, PT_FIELD_LAB,
                                          PT_FIELD_ITEM};
    static const pt_field text_field[] = {
        PT_FIELD_METHOD, PT_FIELD_INSTRUMENT, PT_FIELD_ANALYST,
        PT_FIELD_REMARKS, PT_FIELD_REASON};
    const char *codes[] = {r->round, r->lab, r->item};
    const char *texts[] = {r->method, r->instrument, r->analyst, r->remarks,
                           r->reason};
    char why[160], buf[PT_CSV_CLIP_SIZE];
    size_t i;

    for (i = 0; i < 3; i++)
        if (!is_empty(codes[i]) &&
            pt_csv_code(codes[i], why, sizeof why) != 0)
            return refuse(where, code_field[i], 0, LIMS_ERR_INPUT, err,
                          errlen, "%s \"%s\" %s",
                          pt_field_name(code_field[i]),
                          pt_csv_clip(codes[i], buf), why);
    for (i = 0; i < 5; i++)
        if (!is_empty(texts[i]) &&
            pt_csv_text(texts[i], i < 3 ? PT_CSV_SHORT_MAX : PT_CSV_LONG_MAX,
                        i < 3, why, sizeof why) != 0)
            return refuse(where, text_field[i], 0, LIMS_ERR_INPUT, err,
                          errlen, "%s %s", pt_field_name(text_field[i]),
                          why);
    if (!is_empty(r->tested_on) && pt_csv_is_date(r->tested_on) &&
        strcmp(r->tested_on, w->today) > 0)
        return refuse(where, PT_FIELD_TESTED_ON, 0, LIMS_ERR_INPUT, err,
                      errlen, "tested_on %s is in the future (today is %s, "
                      "UTC)",
                      r->tested_on, w->today);
    return LIMS_OK;
}

/* Is `text` one of the comma-separated `choices`? */
static int is_choice(const char *text, const char *choices)
{
    size_t len = strlen(text);
    const char *q = choices;

    while (q && *q) {
        const char *e = strchr(q, ',');
        size_t l = e ? (size_t)(e - q) : strlen(q);
        if (l == len && strncmp(q, text, l) == 0)
            return 1;
        q = e ? e + 1 : NULL;
    }
    return 0;
}

/* The conditions of r, checked against the scheme's declarations. */
static lims_status check_conditions(const lims_plugin *p,
                                    const pt_result_fields *r,
                                    pt_refusal *where, char *err,
                                    size_t errlen)
{
    size_t i, j;
    double v;
    char why[256];

    for (i = 0; i < r->n_conditions; i++) {
        const lims_condition_value *cv = &r->conditions[i];
        const lims_condition *c = NULL;

        if (is_empty(cv->value))
            continue;
        for (j = 0; j < p->n_conditions && !c; j++)
            if (strcmp(p->conditions[j].name, cv->name) == 0)
                c = &p->conditions[j];
        if (!c)
            return refuse(where, PT_FIELD_CONDITION, i, LIMS_ERR_INPUT, err,
                          errlen,
                          "column \"%s\" is neither a results column nor a "
                          "condition of scheme %s",
                          cv->name, p->id);
        if (pt_csv_text(cv->value, PT_CSV_SHORT_MAX, 1, why, sizeof why))
            return refuse(where, PT_FIELD_CONDITION, i, LIMS_ERR_INPUT, err,
                          errlen, "%s %s", c->name, why);
        if (strcmp(c->name, "replicates") == 0) {
            lims_status rc = replicate_values(cv->value, i, where, err,
                                              errlen);
            if (rc)
                return rc;
            continue;
        }
        if (c->kind == LIMS_CONDITION_NUMBER) {
            if (pt_csv_number(cv->value, &v, why, sizeof why) != 0)
                return refuse(where, PT_FIELD_CONDITION, i, LIMS_ERR_INPUT,
                              err, errlen, "%s: %s", c->name, why);
            if (v < c->min || v > c->max)
                return refuse(where, PT_FIELD_CONDITION, i, LIMS_ERR_INPUT,
                              err, errlen, "%s %g is outside %g to %g %s",
                              c->name, v, c->min, c->max,
                              c->unit ? c->unit : "");
        } else if (c->kind == LIMS_CONDITION_CHOICE &&
                   !is_choice(cv->value, c->choices)) {
            return refuse(where, PT_FIELD_CONDITION, i, LIMS_ERR_INPUT, err,
                          errlen, "%s \"%s\" is not one of %s", c->name,
                          cv->value, c->choices);
        }
    }
    return LIMS_OK;
}

static const pt_field check_field[] = {
    [LIMS_FIELD_NONE] = PT_FIELD_VALUE,
    [LIMS_FIELD_MEASURAND] = PT_FIELD_MEASURAND,
    [LIMS_FIELD_VALUE] = PT_FIELD_VALUE,
    [LIMS_FIELD_UNIT] = PT_FIELD_UNIT,
    [LIMS_FIELD_U] = PT_FIELD_U,
    [LIMS_FIELD_K] = PT_FIELD_K,
    [LIMS_FIELD_METHOD] = PT_FIELD_METHOD,
};

/* Every required field is given. */
static lims_status check_required(const pt_result_fields *r,
                                  pt_refusal *where, char *err, size_t errlen)
{
    static const pt_field field[] = {PT_FIELD_ROUND, PT_FIELD_LAB,
                                     PT_FIELD_MEASURAND, PT_FIELD_VALUE,
                                     PT_FIELD_UNIT};
    const char *const given[] = {r->round, r->lab, r->measurand, r->value,
                                 r->unit};
    size_t i;

    for (i = 0; i < sizeof field / sizeof field[0]; i++)
        if (is_empty(given[i]))
            return refuse(where, field[i], 0, LIMS_ERR_INPUT, err, errlen,
                          "%s is empty", pt_field_name(field[i]));
    return LIMS_OK;
}

/* The provider's score: a number, with which score it is, or neither. */
static lims_status check_official(const pt_result_fields *r,
                                  pt_refusal *where, char *err,
                                  size_t errlen)
{
    static const char *const kinds[] = {"z", "z'", "zeta", "En"};
    double v;
    size_t i;

    if (is_empty(r->official_score) && is_empty(r->official_kind))
        return LIMS_OK;
    if (is_empty(r->official_kind))
        return refuse(where, PT_FIELD_OFFICIAL_KIND, 0, LIMS_ERR_INPUT, err,
                      errlen, "official_score is given without "
                      "official_kind (z, z', zeta or En)");
    if (is_empty(r->official_score))
        return refuse(where, PT_FIELD_OFFICIAL_SCORE, 0, LIMS_ERR_INPUT, err,
                      errlen, "official_kind is given without "
                      "official_score");
    for (i = 0; i < 4 && strcmp(r->official_kind, kinds[i]) != 0; i++)
        ;
    if (i == 4)
        return refuse(where, PT_FIELD_OFFICIAL_KIND, 0, LIMS_ERR_INPUT, err,
                      errlen, "official_kind \"%.40s\" is not z, z', zeta "
                      "or En",
                      r->official_kind);
    return number(r->official_score, PT_FIELD_OFFICIAL_SCORE, &v, where,
                  err, errlen);
}

/* The date and the numbers. */
static lims_status check_numbers(const pt_result_fields *r,
                                 lims_result_in *in, pt_refusal *where,
                                 char *err, size_t errlen)
{
    lims_status rc;

    if (!is_empty(r->tested_on) && !pt_csv_is_date(r->tested_on))
        return refuse(where, PT_FIELD_TESTED_ON, 0, LIMS_ERR_INPUT, err,
                      errlen, "tested_on \"%s\" is not a date (write "
                      "YYYY-MM-DD)",
                      r->tested_on);
    if (r->version > 1 && is_empty(r->reason))
        return refuse(where, PT_FIELD_REASON, 0, LIMS_ERR_INPUT, err, errlen,
                      "a new version of a result needs a reason");
    if ((rc = number(r->value, PT_FIELD_VALUE, &in->value, where, err,
                     errlen)) ||
        (rc = number(r->U, PT_FIELD_U, &in->U, where, err, errlen)) ||
        (rc = number(r->k, PT_FIELD_K, &in->k, where, err, errlen)))
        return rc;
    if (!isnan(in->U) && !(in->U > 0))
        return refuse(where, PT_FIELD_U, 0, LIMS_ERR_INPUT, err, errlen,
                      "U must be positive");
    if (!isnan(in->k) && !(in->k >= 1))
        return refuse(where, PT_FIELD_K, 0, LIMS_ERR_INPUT, err, errlen,
                      "k must be at least 1");
    if (!isnan(in->k) && isnan(in->U))
        return refuse(where, PT_FIELD_K, 0, LIMS_ERR_INPUT, err, errlen,
                      "k is given without U");
    if (isnan(in->k) && !isnan(in->U))
        in->k = 2;
    return check_official(r, where, err, errlen);
}

/* The scheme's checks and conversion, and the conditions. */
static lims_status check_scheme(pt_writer *w, const pt_result_fields *r,
                                lims_result_in *in, lims_result_out *out,
                                pt_refusal *where, char *err, size_t errlen)
{
    char why[384];
    lims_status rc;

    in->measurand = r->measurand;
    in->unit = r->unit;
    in->method = r->method ? r->method : "";
    in->value_text = r->value;
    in->U_text = r->U ? r->U : "";
    rc = pt_check_result(w->scheme, in, out, why, sizeof why);
    if (rc == LIMS_ERR_INPUT)
        return refuse(where,
                      (unsigned)out->bad_field <
                              sizeof check_field / sizeof *check_field
                          ? check_field[out->bad_field]
                          : PT_FIELD_VALUE,
                      0, rc, err, errlen, "%s", why);
    if (rc != LIMS_OK)
        return refuse(where, PT_FIELD_NONE, 0, rc, err, errlen, "%s", why);
    if (!isnan(r->expect_value) && r->expect_value != out->value)
        return refuse(where, PT_FIELD_VALUE, 0, LIMS_ERR_INPUT, err, errlen,
                      "value %.17g does not match its text \"%s %s\" "
                      "(%.17g %s)",
                      r->expect_value, r->value, r->unit, out->value,
                      pt_core_measurand(w->scheme, r->measurand)->unit);
    return check_conditions(w->scheme, r, where, err, errlen);
}

/* Version n > 1 follows version n - 1 of the same result. */
static lims_status check_version(pt_writer *w, const pt_result_fields *r,
                                 const char *item, pt_refusal *where,
                                 char *err, size_t errlen)
{
    int latest, voided;

    sqlite3_reset(w->prev_q);
    sqlite3_bind_int64(w->prev_q, 1, w->round_id);
    sqlite3_bind_int64(w->prev_q, 2, w->lab_id);
    sqlite3_bind_text(w->prev_q, 3, r->measurand, -1, SQLITE_STATIC);
    sqlite3_bind_text(w->prev_q, 4, item, -1, SQLITE_STATIC);
    if (sqlite3_step(w->prev_q) != SQLITE_ROW)
        return db_fail(w, "result", err, errlen);
    latest = sqlite3_column_int(w->prev_q, 0);
    voided = sqlite3_column_int(w->prev_q, 1);
    sqlite3_reset(w->prev_q);
    if (voided)
        return refuse(where, PT_FIELD_VERSION, 0, LIMS_ERR_STATE, err,
                      errlen,
                      "%s's result for round %s, %s, item %s is voided: it "
                      "takes no new version",
                      r->lab, r->round, r->measurand, item);
    if ((unsigned)latest + 1 != r->version)
        return refuse(where, PT_FIELD_VERSION, 0, LIMS_ERR_INPUT, err,
                      errlen,
                      "version %u of %s's result for round %s, %s, item %s "
                      "does not follow the latest recorded (%d)",
                      r->version, r->lab, r->round, r->measurand, item,
                      latest);
    return LIMS_OK;
}

static void assess_warning(void *ctx, const char *msg)
{
    pt_writer *w = ctx;

    if (w->warn)
        w->warn(w->ctx, msg);
}

lims_status pt_writer_result(pt_writer *w, const pt_result_fields *r,
                             pt_refusal *where, long long *id, char *err,
                             size_t errlen)
{
    lims_result_in in = {sizeof in, 0, 0, 0, NAN, NAN, 0, 0, 0};
    lims_result_out out = {sizeof out, NAN, NAN, NAN, LIMS_FIELD_NONE};
    const char *item = is_empty(r->item) ? "1" : r->item;
    unsigned version = r->version ? r->version : 1;
    pt_pack_record pr;
    pt_assess_in a;
    long long new_id;
    lims_status rc;
    size_t i;

    where->field = PT_FIELD_NONE;
    where->condition = 0;
    if ((rc = check_required(r, where, err, errlen)) ||
        (rc = check_cells(w, r, where, err, errlen)) ||
        (rc = find_round(w, r, where, err, errlen)) ||
        (rc = find_lab(w, r, where, err, errlen)) ||
        (rc = check_numbers(r, &in, where, err, errlen)) ||
        (rc = find_measurand(w, r, where, err, errlen)) ||
        (rc = check_scheme(w, r, &in, &out, where, err, errlen)))
        return rc;
    if (version > 1 &&
        (rc = check_version(w, r, item, where, err, errlen)))
        return rc;
    if (out.value == 0)
        out.value = 0; /* minus zero, as a conversion may give, is zero */

    sqlite3_reset(w->ins);
    sqlite3_bind_int64(w->ins, 1, w->round_id);
    sqlite3_bind_int64(w->ins, 2, w->lab_id);
    pt_store_bind_text_static(w->ins, 3, r->measurand);
    pt_store_bind_text_static(w->ins, 4, item);
    pt_store_bind_text_static(w->ins, 5, r->value);
    pt_store_bind_text_static(w->ins, 6, r->unit);
    sqlite3_bind_double(w->ins, 7, out.value);
    pt_store_bind_text_static(w->ins, 8, r->U);
    pt_store_bind_num(w->ins, 9, out.U);
    pt_store_bind_num(w->ins, 10, in.k);
    pt_store_bind_text_static(w->ins, 11, r->method);
    pt_store_bind_text_static(w->ins, 12, r->instrument);
    pt_store_bind_text_static(w->ins, 13, r->analyst);
    pt_store_bind_text_static(w->ins, 14, r->tested_on);
    pt_store_bind_text_static(w->ins, 15, r->remarks);
    pt_store_bind_text_static(w->ins, 16, r->source);
    sqlite3_bind_int(w->ins, 17, (int)version);
    pt_store_bind_text_static(w->ins, 18, version > 1 ? r->reason : NULL);
    pt_store_bind_text_static(w->ins, 19, r->official_score);
    pt_store_bind_text_static(w->ins, 20, is_empty(r->official_score)
                                              ? NULL
                                              : r->official_kind);
    if (sqlite3_step(w->ins) != SQLITE_DONE) {
        rc = sqlite3_extended_errcode(w->inst->db) == SQLITE_CONSTRAINT_UNIQUE
                 ? refuse(where, PT_FIELD_LAB, 0, LIMS_ERR_INPUT, err, errlen,
                          "%s already has a result for round %s, %s, item %s",
                          r->lab, r->round, r->measurand, item)
                 : db_fail(w, "result", err, errlen);
        sqlite3_reset(w->ins);
        return rc;
    }
    sqlite3_reset(w->ins);
    new_id = sqlite3_last_insert_rowid(w->inst->db);

    for (i = 0; i < r->n_conditions; i++) {
        if (is_empty(r->conditions[i].value))
            continue;
        sqlite3_reset(w->cond_ins);
        sqlite3_bind_int64(w->cond_ins, 1, new_id);
        sqlite3_bind_text(w->cond_ins, 2, r->conditions[i].name, -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(w->cond_ins, 3, r->conditions[i].value, -1,
                          SQLITE_STATIC);
        if (sqlite3_step(w->cond_ins) != SQLITE_DONE)
            return db_fail(w, "result condition", err, errlen);
    }

    pr.id = new_id;
    pr.lab = w->lab_id;
    pr.version = (int)version;
    pr.value = out.value;
    pr.U = out.U;
    pr.k = in.k;
    if ((rc = pt_packs_add(&w->packs, w->round_id, r->measurand, item, &pr,
                           err, errlen)))
        return rc;

    memset(&a, 0, sizeof a);
    a.scheme = w->scheme;
    a.result_id = new_id;
    a.measurand = r->measurand;
    a.matrix = w->matrix;
    if (w->round_items) { /* the item's own matrix (schema 013) */
        sqlite3_bind_int64(w->item_q, 1, w->round_id);
        sqlite3_bind_text(w->item_q, 2, r->measurand, -1, SQLITE_STATIC);
        sqlite3_bind_text(w->item_q, 3, item, -1, SQLITE_STATIC);
        if (sqlite3_step(w->item_q) == SQLITE_ROW)
            a.matrix = pt_store_text(w->item_q, 0);
    }
    a.conditions = r->conditions;
    a.n_conditions = r->n_conditions;
    a.value = out.value;
    a.U = out.U;
    a.scale = out.scale;
    a.method = in.method;
    a.date = is_empty(r->tested_on) ? w->round_opened : r->tested_on;
    rc = pt_assess_result(w->assess, &a, assess_warning, w, err, errlen);
    sqlite3_reset(w->item_q);
    if (rc)
        return rc;
    if (!w->first_id)
        w->first_id = new_id;
    w->count++;
    if (id)
        *id = new_id;
    return LIMS_OK;
}

lims_status pt_writer_finish(pt_writer *w, pt_seals *seals, char *err,
                             size_t errlen)
{
    lims_status rc = pt_packs_commit(&w->packs, err, errlen);

    if (!rc && w->first_id)
        rc = pt_seals_append_from(seals, PT_PART_RESULT, w->first_id, err,
                                  errlen);
    return rc;
}
