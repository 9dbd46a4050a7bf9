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
#include <string.h>

#include "pt_store.h"

enum cell_kind {
    CELL_CODE,  /* pt_csv_code */
    CELL_SHORT, /* one line of PT_CSV_SHORT_MAX characters */
    CELL_LONG,  /* PT_CSV_LONG_MAX characters, line breaks allowed */
    CELL_DATE,  /* YYYY-MM-DD */
    CELL_YEAR,  /* four digits, 1912 to 9999 */
    CELL_RATE   /* a number from PT_PLAN_PER_YEAR_MIN to _MAX */
};

typedef struct column {
    const char *name;
    int required;
    enum cell_kind kind;
} column;

enum { P_LAB, P_SCHEME, P_TECHNIQUE, P_PROPERTY, P_PRODUCT, P_MEASURAND,
       P_METHOD, P_RISK, P_PER_YEAR, P_FROM, P_TO, P_NOTE, P_COUNT };

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
};

enum { A_ROUND, A_LAB, A_MEASURAND, A_ITEM, A_TRIGGER, A_ROOT_CAUSE,
       A_ACTION, A_OWNER, A_OPENED, A_DUE, A_CLOSED, A_VERIFIED_BY,
       A_COUNT };

static const column capa_cols[A_COUNT] = {
    [A_ROUND] = {"round", 1, CELL_CODE},
    [A_LAB] = {"lab", 1, CELL_CODE},
    [A_MEASURAND] = {"measurand", 1, CELL_CODE},
    [A_ITEM] = {"item", 0, CELL_CODE},
    [A_TRIGGER] = {"trigger", 0, CELL_LONG},
    [A_ROOT_CAUSE] = {"root_cause", 1, CELL_LONG},
    [A_ACTION] = {"action", 1, CELL_LONG},
    [A_OWNER] = {"owner", 1, CELL_SHORT},
    [A_OPENED] = {"opened", 0, CELL_DATE},
    [A_DUE] = {"due", 1, CELL_DATE},
    [A_CLOSED] = {"closed", 0, CELL_DATE},
    [A_VERIFIED_BY] = {"verified_by", 0, CELL_SHORT},
};

typedef struct reader {
    lims_instance *inst;
    const char *name;
    pt_record_kind kind;
    const column *cols;
    size_t n_cols;
    int idx[16]; /* P_COUNT and A_COUNT are 12 */
    size_t n_header;
    const pt_csv_field *f; /* the current row */
    char *err;
    size_t errlen;
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

static lims_status plan_row(reader *r)
{
    lims_plan_entry e;
    const lims_plugin *p;
    const char *ms = cell(r, P_MEASURAND), *risk;
    char err[768];
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
    st = pt_core_plan_add(r->inst, &e, NULL, err, sizeof err);
    return st ? placed(r, st, P_LAB, err) : LIMS_OK;
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
    st = pt_core_capa_add(r->inst, &e, &id, err, sizeof err);
    if (st)
        return placed(r, st, A_ROUND, err);
    if (!closed)
        return LIMS_OK;
    st = pt_core_capa_close(r->inst, id, closed, by, err, sizeof err);
    return st ? placed(r, st, A_CLOSED, err) : LIMS_OK;
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
    return pt_store_end(inst->db, rc, err, errlen);
}
