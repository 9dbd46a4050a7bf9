/*
 * pt_import_record.c -- plan and corrective-action files (see
 * pt_import_record.h).
 *
 * Each row is checked cell by cell here, so that a bad cell is named by
 * its line and column, and then recorded by the same functions as
 * `ptlims plan add` and `ptlims capa add` (pt_plan.c, pt_capa.c), each a
 * savepoint inside the file's transaction.  What only those functions can
 * tell (an unknown laboratory, a plan row given before, a result that was
 * never scored) is placed at the cell it concerns.
 */
#include "pt_import_record.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_lifecycle.h"
#include "pt_recorded.h"
#include "pt_store.h"

enum cell_kind {
    CELL_CODE,  /* pt_csv_code */
    CELL_SHORT, /* one line of PT_CSV_SHORT_MAX characters */
    CELL_LONG,  /* PT_CSV_LONG_MAX characters, line breaks allowed */
    CELL_DATE,  /* YYYY-MM-DD */
    CELL_YEAR,  /* four digits, 1912 to 9999 */
    CELL_RATE,  /* a number from PT_PLAN_PER_YEAR_MIN to _MAX */
    CELL_ID     /* a row id: 1 to 2147483647, digits only */
};

typedef struct column {
    const char *name;
    int required;
    enum cell_kind kind;
} column;

enum { P_LAB, P_SCHEME, P_TECHNIQUE, P_PROPERTY, P_PRODUCT, P_MEASURAND,
       P_METHOD, P_RISK, P_PER_YEAR, P_FROM, P_TO, P_NOTE, P_VOIDED_AT,
       P_VOIDED_BY, P_VOID_REASON, P_COUNT };

static const column plan_cols[P_COUNT] = {
    [P_LAB] = {"lab", 1, CELL_CODE},
    [P_SCHEME] = {"scheme", 1, CELL_CODE},
    [P_TECHNIQUE] = {"technique", 1, CELL_SHORT},
    [P_PROPERTY] = {"property", 1, CELL_SHORT},
    [P_PRODUCT] = {"product", 1, CELL_SHORT},
    [P_MEASURAND] = {"measurand", 0, CELL_CODE},
    [P_METHOD] = {"method", 0, CELL_SHORT},
    [P_RISK] = {"risk", 1, CELL_CODE},
    [P_PER_YEAR] = {"per_year", 1, CELL_RATE},
    [P_FROM] = {"from", 1, CELL_YEAR},
    [P_TO] = {"to", 1, CELL_YEAR},
    [P_NOTE] = {"note", 0, CELL_LONG},
    [P_VOIDED_AT] = {"voided_at", 0, CELL_SHORT},
    [P_VOIDED_BY] = {"voided_by", 0, CELL_SHORT},
    [P_VOID_REASON] = {"void_reason", 0, CELL_LONG},
};

enum { A_ROUND, A_LAB, A_MEASURAND, A_ITEM, A_TRIGGER, A_ROOT_CAUSE,
       A_ACTION, A_OWNER, A_OPENED, A_DUE, A_CLOSED, A_VERIFIED_BY,
       A_VOIDED_AT, A_VOIDED_BY, A_VOID_REASON, A_CAR_NO, A_IMPACT,
       A_EFFECTIVENESS, A_EFFECTIVE_ON, A_EFFECTIVE, A_PLAN, A_PLAN_YEAR,
       A_COUNT };

static const column capa_cols[A_COUNT] = {
    [A_ROUND] = {"round", 0, CELL_CODE},
    [A_LAB] = {"lab", 1, CELL_CODE},
    [A_MEASURAND] = {"measurand", 0, CELL_CODE},
    [A_ITEM] = {"item", 0, CELL_CODE},
    [A_TRIGGER] = {"trigger", 0, CELL_LONG},
    [A_ROOT_CAUSE] = {"root_cause", 1, CELL_LONG},
    [A_ACTION] = {"action", 1, CELL_LONG},
    [A_OWNER] = {"owner", 1, CELL_SHORT},
    [A_OPENED] = {"opened", 0, CELL_DATE},
    [A_DUE] = {"due", 1, CELL_DATE},
    [A_CLOSED] = {"closed", 0, CELL_DATE},
    [A_VERIFIED_BY] = {"verified_by", 0, CELL_SHORT},
    [A_VOIDED_AT] = {"voided_at", 0, CELL_SHORT},
    [A_VOIDED_BY] = {"voided_by", 0, CELL_SHORT},
    [A_VOID_REASON] = {"void_reason", 0, CELL_LONG},
    [A_CAR_NO] = {"car_no", 0, CELL_SHORT},
    [A_IMPACT] = {"impact", 0, CELL_LONG},
    [A_EFFECTIVENESS] = {"effectiveness", 0, CELL_LONG},
    [A_EFFECTIVE_ON] = {"effective_on", 0, CELL_DATE},
    [A_EFFECTIVE] = {"effective", 0, CELL_SHORT},
    [A_PLAN] = {"plan", 0, CELL_ID},
    [A_PLAN_YEAR] = {"plan_year", 0, CELL_YEAR},
};

typedef struct reader {
    lims_instance *inst;
    const char *name;
    pt_record_kind kind;
    const column *cols;
    size_t n_cols;
    int idx[24]; /* P_COUNT is 15, A_COUNT 22 */
    size_t n_header;
    const pt_csv_field *f; /* the current row */
    char *err;
    size_t errlen;
    /* rows recorded already, the first such line and the first that is
     * not */
    unsigned long already, line_already, line_new;
    char before[24]; /* the largest id of the file's table before it */
} reader;

pt_record_kind pt_import_record_kind(const pt_csv_field *header, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(header[i].text, "per_year") == 0)
            return PT_RECORD_PLAN;
        if (strcmp(header[i].text, "root_cause") == 0)
            return PT_RECORD_CAPA;
    }
    return PT_RECORD_NONE;
}

/* A message at field `field` of the current row; LIMS_ERR_INPUT. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static lims_status fail_at(reader *r, const pt_csv_field *f, const char *fmt,
                           ...)
{
    char msg[768], shown[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(r->err, r->errlen, "%s:%lu:%lu: %s", r->name, f->line, f->col,
             pt_csv_escape(msg, shown, sizeof shown));
    return LIMS_ERR_INPUT;
}

/* Column c's text in the current row, NULL when absent or empty. */
static const char *cell(const reader *r, int c)
{
    return r->idx[c] >= 0 && *r->f[r->idx[c]].text ? r->f[r->idx[c]].text
                                                   : NULL;
}

/* The field of column c, or the row's first when the column is absent. */
static const pt_csv_field *at(const reader *r, int c)
{
    return r->idx[c] >= 0 ? &r->f[r->idx[c]] : &r->f[0];
}

static lims_status header(reader *r, const pt_csv_field *f, size_t n)
{
    size_t i, c;

    for (c = 0; c < r->n_cols; c++)
        r->idx[c] = -1;
    for (i = 0; i < n; i++) {
        for (c = 0; c < r->n_cols; c++)
            if (strcmp(f[i].text, r->cols[c].name) == 0)
                break;
        if (c == r->n_cols)
            return fail_at(r, &f[i], "unknown column \"%.80s\" in a %s file",
                           f[i].text,
                           r->kind == PT_RECORD_PLAN ? "plan"
                                                     : "corrective-action");
        if (r->idx[c] >= 0)
            return fail_at(r, &f[i], "column \"%s\" twice", f[i].text);
        r->idx[c] = (int)i;
    }
    for (c = 0; c < r->n_cols; c++)
        if (r->cols[c].required && r->idx[c] < 0)
            return fail_at(r, &f[0], "required column \"%s\" is missing",
                           r->cols[c].name);
    r->n_header = n;
    return LIMS_OK;
}

/* Every cell of the current row by its column's kind. */
static lims_status cells(reader *r, double *rate, int *y0, int *y1)
{
    const char *s, *name;
    char why[160], shown[PT_CSV_CLIP_SIZE];
    size_t c, i;
    double v;

    for (c = 0; c < r->n_cols; c++) {
        s = cell(r, (int)c);
        name = r->cols[c].name;
        if (!s) {
            if (r->cols[c].required)
                return fail_at(r, at(r, (int)c), "%s is empty", name);
            continue;
        }
        switch (r->cols[c].kind) {
        case CELL_CODE:
            if (pt_csv_code(s, why, sizeof why) != 0)
                return fail_at(r, at(r, (int)c), "%s \"%s\" %s", name,
                               pt_csv_clip(s, shown), why);
            break;
        case CELL_SHORT:
        case CELL_LONG:
            if (pt_csv_text(s,
                            r->cols[c].kind == CELL_SHORT ? PT_CSV_SHORT_MAX
                                                          : PT_CSV_LONG_MAX,
                            r->cols[c].kind == CELL_SHORT, why,
                            sizeof why) != 0)
                return fail_at(r, at(r, (int)c), "%s %s", name, why);
            break;
        case CELL_DATE:
            if (!pt_csv_is_date(s))
                return fail_at(r, at(r, (int)c),
                               "%s \"%.40s\" is not a date (write "
                               "YYYY-MM-DD)",
                               name, s);
            break;
        case CELL_YEAR:
            for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
                ;
            if (i != 4 || s[4] || strcmp(s, "1912") < 0)
                return fail_at(r, at(r, (int)c),
                               "%s \"%.40s\" is not a year from 1912 to "
                               "9999 (four digits, nothing else)",
                               name, s);
            *(c == P_FROM ? y0 : y1) =
                (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
                (s[2] - '0') * 10 + (s[3] - '0');
            break;
        case CELL_ID:
            for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
                ;
            if (i == 0 || i > 10 || s[i] || s[0] == '0' ||
                strtoll(s, NULL, 10) > 2147483647LL)
                return fail_at(r, at(r, (int)c),
                               "%s \"%.40s\" is not a row number (as "
                               "ptlims plan list shows it)",
                               name, s);
            break;
        case CELL_RATE:
            if (pt_csv_number_normal(s, &v, why, sizeof why) != 0)
                return fail_at(r, at(r, (int)c), "%s: %s", name, why);
            if (!(v >= PT_PLAN_PER_YEAR_MIN && v <= PT_PLAN_PER_YEAR_MAX))
                return fail_at(r, at(r, (int)c),
                               "%s %.40s is outside %g to %g (rounds a "
                               "year; 0.25 is one round in four years)",
                               name, s, PT_PLAN_PER_YEAR_MIN,
                               PT_PLAN_PER_YEAR_MAX);
            *rate = v;
            break;
        }
    }
    return LIMS_OK;
}

/* The error st of a recording call: a user's error placed at column c,
 * another at the row's line.  Returns st. */
static lims_status placed(reader *r, lims_status st, int c, const char *msg)
{
    if (st == LIMS_ERR_INPUT || st == LIMS_ERR_STATE)
        fail_at(r, at(r, c), "%s", msg);
    else
        snprintf(r->err, r->errlen, "%s:%lu: %s", r->name, r->f[0].line,
                 msg);
    return st;
}

/* Column c's text, "" when absent or empty. */
static const char *cell_text(const reader *r, int c)
{
    const char *s = cell(r, c);
    return s ? s : "";
}

static void count_row(reader *r, int recorded)
{
    if (recorded) {
        if (!r->already++)
            r->line_already = r->f[0].line;
    } else if (!r->line_new) {
        r->line_new = r->f[0].line;
    }
}

/* The recorded void of a row of kind k (its id expression x), compared
 * with the void columns vat, vby, vreason. */
#define VOID_FIELDS(k, x, vat, vby, vreason)                                \
    {"(SELECT at FROM voided WHERE kind = '" k "' AND row_id = " x ")",     \
     "voided_at", cell_text(r, vat), 0},                                    \
    {"(SELECT voided_by FROM voided WHERE kind = '" k "' AND row_id = " x  \
     ")", "voided_by", cell_text(r, vby), 0},                               \
    {"(SELECT reason FROM voided WHERE kind = '" k "' AND row_id = " x     \
     ")", "void_reason", cell_text(r, vreason), 0}

/* Void the row just recorded (id) when the row's void columns say so. */
static lims_status void_row(reader *r, const char *kind, long long id,
                            int vat, int vby, int vreason)
{
    static const char *const field[] = {"void"};
    static const char *const value[] = {""};
    lims_amendment a;
    char code[32], err[768];
    lims_status st;

    if (!cell(r, vat) && !cell(r, vreason) && !cell(r, vby))
        return LIMS_OK;
    if (!cell(r, vat) || !cell(r, vreason))
        return fail_at(r, at(r, cell(r, vat) ? vreason : vat),
                       "voided_at and void_reason are given together");
    snprintf(code, sizeof code, "%lld", id);
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.what = kind;
    a.code = code;
    a.fields = field;
    a.values = value;
    a.n_fields = 1;
    a.reason = cell(r, vreason);
    a.by = cell(r, vby);
    st = pt_void_in_tx(r->inst, &a, cell(r, vat), err, sizeof err);
    return st ? fail_at(r, at(r, vat), "%s", err) : LIMS_OK;
}

/* Is the row recorded already?  *same 1 when it is, as it is; a row whose
 * key is recorded with other values is refused at the field. */
static lims_status row_recorded(reader *r, const char *id_expr,
                                const char *from_where,
                                const char *const *keys, size_t n_keys,
                                const pt_recorded_field *f, size_t n,
                                const int *cols_of, int differs_fails,
                                int *same)
{
    pt_recorded rec;
    lims_status st = pt_recorded_row(r->inst->db, id_expr, from_where, keys,
                                     n_keys, f, n, &rec, r->err, r->errlen);

    *same = 0;
    if (st)
        return st;
    if (rec.state == PT_RECORDED_DIFFERS && differs_fails)
        return fail_at(r, at(r, cols_of[rec.field]),
                       "this row is recorded with %s \"%s\"; this file "
                       "gives \"%s\"",
                       f[rec.field].name, rec.was, f[rec.field].text);
    *same = rec.state == PT_RECORDED_SAME;
    count_row(r, *same);
    return LIMS_OK;
}

static lims_status plan_row(reader *r)
{
    lims_plan_entry e;
    const lims_plugin *p;
    const char *ms = cell(r, P_MEASURAND), *risk;
    char err[768];
    long long id = 0;
    double rate = 0;
    int y0 = 0, y1 = 0;
    size_t i, l;
    lims_status st;

    if ((st = cells(r, &rate, &y0, &y1)))
        return st;
    risk = cell(r, P_RISK);
    if (strcmp(risk, "low") && strcmp(risk, "medium") && strcmp(risk, "high"))
        return fail_at(r, at(r, P_RISK),
                       "risk \"%s\" is not low, medium or high", risk);
    if (y1 < y0)
        return fail_at(r, at(r, P_TO), "to %d is before from %d", y1, y0);
    p = pt_core_scheme(r->inst, cell(r, P_SCHEME));
    if (!p)
        return fail_at(r, at(r, P_SCHEME),
                       "no plug-in is loaded for scheme \"%s\"",
                       cell(r, P_SCHEME));
    if (ms) {
        l = strlen(ms);
        for (i = 0; i < p->n_measurands; i++)
            if (strncmp(p->measurands[i].id, ms, l) == 0)
                break;
        if (i == p->n_measurands)
            return fail_at(r, at(r, P_MEASURAND),
                           "scheme %s has no measurand \"%s\" (nor one "
                           "beginning with it)",
                           p->id, ms);
    }
    {
        static const int cols_of[] = {P_SCHEME, P_MEASURAND, P_METHOD,
                                      P_RISK, P_PER_YEAR, P_TO, P_NOTE,
                                      P_VOIDED_AT, P_VOIDED_BY,
                                      P_VOID_REASON};
        const pt_recorded_field f[] = {
            {"p.scheme", "scheme", cell_text(r, P_SCHEME), 0},
            {"p.measurand", "measurand", cell_text(r, P_MEASURAND), 0},
            {"p.method", "method", cell_text(r, P_METHOD), 0},
            {"p.risk", "risk", cell_text(r, P_RISK), 0},
            {"p.per_year", "per_year", cell_text(r, P_PER_YEAR), 1},
            {"p.year_to", "to", cell_text(r, P_TO), 1},
            {"p.note", "note", cell_text(r, P_NOTE), 0},
            VOID_FIELDS("plan", "p.id", P_VOIDED_AT, P_VOIDED_BY,
                        P_VOID_REASON)};
        const char *keys[6];
        int same;

        keys[5] = r->before;
        keys[0] = cell(r, P_LAB);
        keys[1] = cell(r, P_TECHNIQUE);
        keys[2] = cell(r, P_PROPERTY);
        keys[3] = cell(r, P_PRODUCT);
        keys[4] = cell(r, P_FROM);
        if ((st = row_recorded(r, "p.id",
                               "FROM pt_plan p JOIN laboratory l ON l.id = "
                               "p.lab_id WHERE l.code = ?1 AND p.technique "
                               "= ?2 AND p.property = ?3 AND p.product = ?4 "
                               "AND p.year_from = CAST(?5 AS INTEGER) AND "
                               "p.id <= CAST(?6 AS INTEGER)",
                               keys, 6, f, sizeof f / sizeof f[0], cols_of,
                               1, &same)) ||
            same)
            return st;
    }
    memset(&e, 0, sizeof e);
    e.size = sizeof e;
    e.lab = cell(r, P_LAB);
    e.scheme = cell(r, P_SCHEME);
    e.technique = cell(r, P_TECHNIQUE);
    e.property = cell(r, P_PROPERTY);
    e.product = cell(r, P_PRODUCT);
    e.measurand = ms;
    e.method = cell(r, P_METHOD);
    e.risk = risk;
    e.per_year = rate;
    e.year_from = y0;
    e.year_to = y1;
    e.note = cell(r, P_NOTE);
    st = pt_core_plan_add(r->inst, &e, &id, err, sizeof err);
    if (st)
        return placed(r, st, P_LAB, err);
    return void_row(r, "plan", id, P_VOIDED_AT, P_VOIDED_BY, P_VOID_REASON);
}

/* The column a message of capa_add is about: "capa: effective_on ..."
 * names it first (the longest column name that begins the message);
 * otherwise `fallback`. */
static int named_column(const reader *r, const char *msg, int fallback)
{
    size_t best = 0;
    int c = fallback;

    if (strncmp(msg, "capa: ", 6) != 0)
        return fallback;
    msg += 6;
    for (size_t k = 0; k < r->n_cols; k++) {
        size_t l = strlen(r->cols[k].name);
        if (l > best && strncmp(msg, r->cols[k].name, l) == 0 &&
            (msg[l] == ' ' || msg[l] == ':')) {
            best = l;
            c = (int)k;
        }
    }
    if (c == fallback && strncmp(msg, "no plan row", 11) == 0)
        c = A_PLAN;
    if (c == fallback && strncmp(msg, "year ", 5) == 0)
        c = A_PLAN_YEAR;
    return c;
}

static lims_status capa_row(reader *r)
{
    lims_capa_entry e;
    const char *closed = cell(r, A_CLOSED), *by = cell(r, A_VERIFIED_BY);
    char err[768];
    long long id = 0;
    double rate;
    int y0, y1;
    lims_status st;

    if ((st = cells(r, &rate, &y0, &y1)))
        return st;
    if (by && !closed)
        return fail_at(r, at(r, A_CLOSED),
                       "verified_by is given but closed is empty (give the "
                       "date the action was closed)");
    if (closed && !by)
        return fail_at(r, at(r, A_VERIFIED_BY),
                       "closed is given but verified_by is empty (name who "
                       "verified the action)");
    if (cell(r, A_OPENED) && strcmp(cell(r, A_DUE), cell(r, A_OPENED)) < 0)
        return fail_at(r, at(r, A_DUE), "due %s is before opened %s",
                       cell(r, A_DUE), cell(r, A_OPENED));
    if (!cell(r, A_PLAN) && !cell(r, A_ROUND))
        return fail_at(r, at(r, A_ROUND), "round is empty (an action is on "
                       "a result, or on a plan gap with plan and "
                       "plan_year)");
    if (!cell(r, A_PLAN) && !cell(r, A_MEASURAND))
        return fail_at(r, at(r, A_MEASURAND), "measurand is empty");
    if (cell(r, A_PLAN) && (cell(r, A_ROUND) || cell(r, A_MEASURAND) ||
                            cell(r, A_ITEM)))
        return fail_at(r, at(r, cell(r, A_ROUND)       ? A_ROUND
                                : cell(r, A_MEASURAND) ? A_MEASURAND
                                                       : A_ITEM),
                       "an action on a plan gap names no round, measurand "
                       "or item");
    if (cell(r, A_PLAN) && !cell(r, A_PLAN_YEAR))
        return fail_at(r, at(r, A_PLAN_YEAR),
                       "plan_year is empty (the year that fell short)");
    if (!cell(r, A_PLAN) && cell(r, A_PLAN_YEAR))
        return fail_at(r, at(r, A_PLAN), "plan_year is given without plan");
    {
        /* an action on the same result (or plan gap) with the same texts
         * and dates; a trigger or an opening date the file leaves out is
         * not compared (ptlims writes them) */
        static const int cols_of[] = {A_TRIGGER, A_ROOT_CAUSE, A_ACTION,
                                      A_OWNER, A_OPENED, A_DUE, A_CLOSED,
                                      A_VERIFIED_BY, A_CAR_NO, A_IMPACT,
                                      A_EFFECTIVENESS, A_EFFECTIVE_ON,
                                      A_EFFECTIVE, A_VOIDED_AT,
                                      A_VOIDED_BY, A_VOID_REASON};
        const char *trig = cell(r, A_TRIGGER), *op = cell(r, A_OPENED);
        const pt_recorded_field f[] = {
            {trig ? "ca.trigger" : "''", "trigger", trig ? trig : "", 0},
            {"ca.root_cause", "root_cause", cell_text(r, A_ROOT_CAUSE), 0},
            {"ca.action", "action", cell_text(r, A_ACTION), 0},
            {"ca.owner", "owner", cell_text(r, A_OWNER), 0},
            {op ? "ca.opened" : "''", "opened", op ? op : "", 0},
            {"ca.due", "due", cell_text(r, A_DUE), 0},
            {"ca.closed", "closed", cell_text(r, A_CLOSED), 0},
            {"ca.verified_by", "verified_by", cell_text(r, A_VERIFIED_BY),
             0},
            {"ca.car_no", "car_no", cell_text(r, A_CAR_NO), 0},
            {"ca.impact", "impact", cell_text(r, A_IMPACT), 0},
            {"ca.effectiveness", "effectiveness",
             cell_text(r, A_EFFECTIVENESS), 0},
            {"ca.effective_on", "effective_on", cell_text(r, A_EFFECTIVE_ON),
             0},
            {"ca.effective", "effective", cell_text(r, A_EFFECTIVE), 0},
            VOID_FIELDS("capa", "ca.id", A_VOIDED_AT, A_VOIDED_BY,
                        A_VOID_REASON)};
        const char *keys[8];
        int same;

        keys[7] = r->before;
        keys[0] = cell(r, A_PLAN) ? cell(r, A_PLAN) : cell(r, A_ROUND);
        keys[1] = cell(r, A_LAB);
        keys[2] = cell(r, A_PLAN) ? cell(r, A_PLAN_YEAR)
                                  : cell(r, A_MEASURAND);
        keys[3] = cell(r, A_ITEM);
        keys[4] = cell(r, A_ROOT_CAUSE);
        keys[5] = cell(r, A_ACTION);
        keys[6] = cell(r, A_DUE);
        if ((st = row_recorded(
                 r, "ca.id",
                 cell(r, A_PLAN)
                     ? "FROM corrective_action ca JOIN pt_plan p ON p.id = "
                       "ca.plan_id JOIN laboratory l ON l.id = p.lab_id "
                       "WHERE p.id = CAST(?1 AS INTEGER) AND l.code = ?2 "
                       "AND ca.plan_year = CAST(?3 AS INTEGER) AND ?4 IS "
                       "NULL AND ca.root_cause = ?5 AND ca.action = ?6 AND "
                       "ca.due = ?7 AND ca.id <= CAST(?8 AS INTEGER) ORDER "
                       "BY ca.id"
                     : "FROM corrective_action ca JOIN result x ON x.id = "
                       "ca.result_id JOIN round ro ON ro.id = x.round_id "
                       "JOIN laboratory l ON l.id = x.lab_id WHERE ro.code "
                       "= ?1 AND l.code = ?2 AND x.measurand = ?3 AND (?4 "
                       "IS NULL OR x.item = ?4) AND ca.root_cause = ?5 AND "
                       "ca.action = ?6 AND ca.due = ?7 AND ca.id <= CAST(?8 "
                       "AS INTEGER) ORDER BY ca.id",
                 keys, 8, f, sizeof f / sizeof f[0], cols_of, 0, &same)) ||
            same)
            return st;
    }
    memset(&e, 0, sizeof e);
    e.size = sizeof e;
    e.round = cell(r, A_ROUND);
    e.lab = cell(r, A_LAB);
    e.measurand = cell(r, A_MEASURAND);
    e.item = cell(r, A_ITEM);
    e.trigger = cell(r, A_TRIGGER);
    e.root_cause = cell(r, A_ROOT_CAUSE);
    e.action = cell(r, A_ACTION);
    e.owner = cell(r, A_OWNER);
    e.opened = cell(r, A_OPENED);
    e.due = cell(r, A_DUE);
    e.car_no = cell(r, A_CAR_NO);
    e.impact = cell(r, A_IMPACT);
    e.effectiveness = cell(r, A_EFFECTIVENESS);
    e.effective_on = cell(r, A_EFFECTIVE_ON);
    e.effective = cell(r, A_EFFECTIVE);
    if (cell(r, A_PLAN)) {
        e.plan_id = strtoll(cell(r, A_PLAN), NULL, 10);
        e.plan_year = y1;
    }
    st = pt_core_capa_add(r->inst, &e, &id, err, sizeof err);
    if (st)
        return placed(r, st, named_column(r, err, A_ROUND), err);
    if (closed &&
        (st = pt_core_capa_close(r->inst, id, closed, by, err, sizeof err)))
        return placed(r, st, A_CLOSED, err);
    return void_row(r, "capa", id, A_VOIDED_AT, A_VOIDED_BY, A_VOID_REASON);
}

lims_status pt_import_record_csv(lims_instance *inst, pt_csv *csv,
                                 const char *name, pt_record_kind kind,
                                 const pt_csv_field *hdr, size_t n,
                                 lims_import_summary *sum, char *err,
                                 size_t errlen)
{
    reader r;
    size_t nf;
    pt_csv_status cs;
    lims_status rc;

    memset(&r, 0, sizeof r);
    r.inst = inst;
    r.name = name;
    r.err = err;
    r.errlen = errlen;
    r.kind = kind;
    r.cols = kind == PT_RECORD_PLAN ? plan_cols : capa_cols;
    r.n_cols = kind == PT_RECORD_PLAN ? P_COUNT : A_COUNT;
    if ((rc = header(&r, hdr, n)))
        return rc;
    if ((rc = pt_store_begin(inst->db, err, errlen)))
        return rc;
    {
        sqlite3_stmt *q;
        if ((rc = pt_store_prepare(inst->db,
                                   kind == PT_RECORD_PLAN
                                       ? "SELECT coalesce(max(id), 0) FROM "
                                         "pt_plan"
                                       : "SELECT coalesce(max(id), 0) FROM "
                                         "corrective_action",
                                   &q, err, errlen)))
            return pt_store_end(inst->db, rc, err, errlen);
        snprintf(r.before, sizeof r.before, "%lld",
                 sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0)
                                               : 0);
        sqlite3_finalize(q);
    }
    for (;;) {
        cs = pt_csv_next(csv, &r.f, &nf, err, errlen);
        if (cs == PT_CSV_END)
            break;
        if (cs != PT_CSV_OK) {
            rc = cs == PT_CSV_NOMEM ? LIMS_ERR_NOMEM : LIMS_ERR_INPUT;
            break;
        }
        if (nf != r.n_header) {
            rc = fail_at(&r, &r.f[0], "row has %zu fields, the header has %zu",
                         nf, r.n_header);
            break;
        }
        rc = kind == PT_RECORD_PLAN ? plan_row(&r) : capa_row(&r);
        if (rc)
            break;
        sum->rows++;
    }
    if (!rc && sum->rows == 0) {
        snprintf(err, errlen, "%s:2:1: no data rows", name);
        rc = LIMS_ERR_INPUT;
    }
    if (!rc && r.already && r.already == sum->rows) {
        /* recorded already, as it is: nothing is written */
        pt_store_end(inst->db, LIMS_ERR_CANCELLED, err, errlen);
        sum->already = r.already;
        return LIMS_OK;
    }
    if (!rc && r.already) {
        snprintf(err, errlen,
                 "%s:%lu:1: this row is recorded already, as it is, and "
                 "line %lu is not: a file is imported whole or is "
                 "recorded already (take the recorded rows out of it)",
                 name, r.line_already, r.line_new);
        rc = LIMS_ERR_INPUT;
    }
    return pt_store_end(inst->db, rc, err, errlen);
}
