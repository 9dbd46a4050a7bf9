/*
 * pt_import.c -- importing laboratories, rounds and results from CSV.
 *
 * The file is checked row by row inside one transaction; the first bad
 * field stops the import with "file:line:column: reason" and a rollback, so
 * the database is either given the whole file or left as it was.  Values
 * are stored twice: the text exactly as reported, and the number in the
 * measurand's canonical unit as the scheme's plug-in converted it.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_core.h"
#include "pt_csv.h"
#include "pt_import_record.h"
#include "pt_seal.h"
#include "pt_lifecycle.h"
#include "pt_progress.h"
#include "pt_recorded.h"
#include "pt_store.h"
#include "pt_suggest.h"
#include "pt_write.h"

enum { K_LABS = 1, K_ROUNDS = 2, K_RESULTS = 4 };

enum col {
    C_LAB, C_NAME, C_NAME_ZH, C_ROLE, C_ACCRED,
    C_ROUND, C_SCHEME, C_MEASURAND, C_TYPE, C_TITLE, C_PROVIDER,
    C_PROV_ACC, C_OPENED, C_CLOSED, C_REF_LAB, C_ASSIGNED, C_XPT, C_UXPT,
    C_SIGMA, C_SIGMA_BASIS, C_MATRIX, C_ESTIMATOR, C_SIGMA_METHOD,
    C_OVERRIDE, C_ITEM_MATRIX,
    C_ITEM, C_VALUE, C_UNIT, C_U, C_K, C_METHOD, C_INSTRUMENT, C_ANALYST,
    C_TESTED_ON, C_REMARKS, C_VERSION, C_REASON,
    C_STATUS, C_VOIDED_AT, C_VOIDED_BY, C_VOID_REASON,
    C_OFF_SCORE, C_OFF_KIND, C_REPORT_NO,
    C_REPORT_DATE, C_OFF_ITEM, C_OFF_XPT, C_OFF_UXPT, C_OFF_SIGMA,
    C_COUNT
};

static const struct {
    const char *name;
    unsigned kinds;    /* files it may appear in */
    unsigned required; /* files it must appear in */
} cols[C_COUNT] = {
    [C_LAB] = {"lab", K_LABS | K_RESULTS, K_LABS | K_RESULTS},
    [C_NAME] = {"name", K_LABS, K_LABS},
    [C_NAME_ZH] = {"name_zh", K_LABS, 0},
    [C_ROLE] = {"role", K_LABS, K_LABS},
    [C_ACCRED] = {"accreditation", K_LABS, 0},
    [C_ROUND] = {"round", K_ROUNDS | K_RESULTS, K_ROUNDS | K_RESULTS},
    [C_SCHEME] = {"scheme", K_ROUNDS, K_ROUNDS},
    [C_MEASURAND] = {"measurand", K_ROUNDS | K_RESULTS,
                     K_ROUNDS | K_RESULTS},
    [C_TYPE] = {"type", K_ROUNDS, 0},
    [C_TITLE] = {"title", K_ROUNDS, 0},
    [C_PROVIDER] = {"provider", K_ROUNDS, 0},
    [C_PROV_ACC] = {"provider_accreditation", K_ROUNDS, 0},
    [C_OPENED] = {"opened", K_ROUNDS, K_ROUNDS},
    [C_CLOSED] = {"closed", K_ROUNDS, 0},
    [C_REF_LAB] = {"reference_lab", K_ROUNDS, 0},
    [C_ASSIGNED] = {"assigned", K_ROUNDS, 0},
    [C_XPT] = {"x_pt", K_ROUNDS, 0},
    [C_UXPT] = {"u_x_pt", K_ROUNDS, 0},
    [C_SIGMA] = {"sigma_pt", K_ROUNDS, 0},
    [C_SIGMA_BASIS] = {"sigma_pt_basis", K_ROUNDS, 0},
    [C_MATRIX] = {"matrix", K_ROUNDS, 0},
    [C_ESTIMATOR] = {"estimator", K_ROUNDS, 0},
    [C_SIGMA_METHOD] = {"sigma_pt_method", K_ROUNDS, 0},
    [C_OVERRIDE] = {"override_reason", K_ROUNDS, 0},
    [C_ITEM_MATRIX] = {"item_matrix", K_ROUNDS, 0},
    [C_ITEM] = {"item", K_RESULTS, 0},
    [C_VALUE] = {"value", K_RESULTS, K_RESULTS},
    [C_UNIT] = {"unit", K_RESULTS, K_RESULTS},
    [C_U] = {"U", K_RESULTS, 0},
    [C_K] = {"k", K_RESULTS, 0},
    [C_METHOD] = {"method", K_RESULTS, 0},
    [C_INSTRUMENT] = {"instrument", K_RESULTS, 0},
    [C_ANALYST] = {"analyst", K_RESULTS, 0},
    [C_TESTED_ON] = {"tested_on", K_RESULTS, 0},
    [C_REMARKS] = {"remarks", K_RESULTS, 0},
    [C_VERSION] = {"version", K_RESULTS, 0},
    [C_REASON] = {"reason", K_RESULTS, 0},
    [C_STATUS] = {"status", K_ROUNDS, 0},
    [C_VOIDED_AT] = {"voided_at", K_LABS | K_ROUNDS | K_RESULTS, 0},
    [C_VOIDED_BY] = {"voided_by", K_LABS | K_ROUNDS | K_RESULTS, 0},
    [C_VOID_REASON] = {"void_reason", K_LABS | K_ROUNDS | K_RESULTS, 0},
    [C_OFF_SCORE] = {"official_score", K_RESULTS, 0},
    [C_OFF_KIND] = {"official_kind", K_RESULTS, 0},
    [C_REPORT_NO] = {"report_no", K_ROUNDS, 0},
    [C_REPORT_DATE] = {"report_date", K_ROUNDS, 0},
    [C_OFF_ITEM] = {"official_item", K_ROUNDS, 0},
    [C_OFF_XPT] = {"official_x_pt", K_ROUNDS, 0},
    [C_OFF_UXPT] = {"official_u_x_pt", K_ROUNDS, 0},
    [C_OFF_SIGMA] = {"official_sigma_pt", K_ROUNDS, 0},
};

typedef struct imp {
    lims_instance *inst;
    pt_csv *csv;
    const char *name;
    unsigned kind;
    int idx[C_COUNT]; /* field index of each column, -1 when absent */
    size_t n_header;
    const pt_csv_field *f; /* current row */
    size_t nf;
    pt_record_kind record; /* a plan or corrective-action file */
    char *err;
    size_t errlen;
    lims_import_summary sum;
    /* results files: the other columns are conditions of the scheme */
    int cond_idx[32];
    char *cond_name[32];
    size_t n_cond;
    pt_writer *writer;    /* results files: the one write path */
    char *source;         /* "file:line" of the current row */
    size_t source_size;
    sqlite3_stmt *ins;    /* laboratories and rounds files: their insert */
    sqlite3_stmt *lab_id; /* SELECT id FROM laboratory WHERE code = ? */
    sqlite3_stmt *round_q;
    sqlite3_stmt *lab_old;  /* logs a laboratory row the file changes */
    /* laboratories files: the codes given so far, open addressing */
    char **lab_codes;
    size_t n_lab_codes, cap_lab_codes;
    pt_seals seals; /* the parts this import writes */
    /* a structured call: the names of its fields, for messages that say
     * "result_add: U: …" instead of a file's place */
    const char *const *names;
    /* files: rows recorded already, the first such line and the first
     * line that is not */
    unsigned long already, line_already, line_new;
    char before[24]; /* the largest row id of the file's table before it:
                        a row is recorded already only by an earlier
                        import, never by a row of the same file */
    /* results files: the round of the row before, and whether it had
     * results before the file (if not, no row of it is compared) */
    char *gate_round;
    int gate_had;
    /* the items the file voids (voided_at, voided_by, void_reason), voided
     * once its rows are written; the texts point into kept copies */
    pt_void_queue voids;
} imp;

static lims_status vfail(imp *m, int field, const char *fmt, va_list ap)
{
    char msg[512], shown[1024];
    unsigned long line = m->f[0].line, col = m->f[0].col;

    if (field >= 0) {
        line = m->f[field].line;
        col = m->f[field].col;
    }
    vsnprintf(msg, sizeof msg, fmt, ap);
    pt_csv_escape(msg, shown, sizeof shown);
    if (m->names)
        snprintf(m->err, m->errlen, "%s: %s: %s", m->name,
                 field >= 0 ? m->names[field] : "", shown);
    else
        snprintf(m->err, m->errlen, "%s:%lu:%lu: %s", m->name, line, col,
                 shown);
    return LIMS_ERR_INPUT;
}

/* Report an error at column `c` of the current row (or the row's start
 * when c < 0 or the column is absent). */
static lims_status fail(imp *m, int c, const char *fmt, ...)
{
    va_list ap;
    lims_status rc;

    va_start(ap, fmt);
    rc = vfail(m, c >= 0 ? m->idx[c] : -1, fmt, ap);
    va_end(ap);
    return rc;
}

/* The same at field index `field` of the row. */
static lims_status fail_field(imp *m, int field, const char *fmt, ...)
{
    va_list ap;
    lims_status rc;

    va_start(ap, fmt);
    rc = vfail(m, field, fmt, ap);
    va_end(ap);
    return rc;
}

/* The place of the current row: "file:line" or the call's name. */
static void place(const imp *m, char *out, size_t outlen)
{
    if (m->names)
        snprintf(out, outlen, "%s", m->name);
    else
        snprintf(out, outlen, "%s:%lu", m->name, m->f[0].line);
}

static lims_status db_fail(imp *m, const char *what)
{
    char at[1024];

    place(m, at, sizeof at);
    snprintf(m->err, m->errlen, "%s: %s: %s", at, what,
             sqlite3_errmsg(m->inst->db));
    return LIMS_ERR_DB;
}

/* Text of column c in the current row; "" when absent. */
static const char *txt(const imp *m, int c)
{
    return m->idx[c] >= 0 ? m->f[m->idx[c]].text : "";
}

/* The columns of a file, from its header fields f[n]. */
static lims_status columns(imp *m, const pt_csv_field *f, size_t n)
{
    size_t i;
    int c, seen[C_COUNT];
    char shown[256];

    m->kind = 0;
    for (i = 0; i < n; i++) {
        if (strcmp(f[i].text, "value") == 0)
            m->kind = K_RESULTS;
        else if (strcmp(f[i].text, "scheme") == 0 && m->kind != K_RESULTS)
            m->kind = K_ROUNDS;
        else if (strcmp(f[i].text, "role") == 0 && !m->kind)
            m->kind = K_LABS;
    }
    if (!m->kind) {
        snprintf(m->err, m->errlen,
                 "%s:%lu:1: cannot tell what this file holds: a laboratories "
                 "file has a 'role' column, a rounds file 'scheme', a "
                 "results file 'value', a plan file 'per_year', a "
                 "corrective-action file 'root_cause'",
                 m->name, f[0].line);
        return LIMS_ERR_INPUT;
    }
    for (c = 0; c < C_COUNT; c++)
        m->idx[c] = -1, seen[c] = 0;
    for (i = 0; i < n; i++) {
        for (c = 0; c < C_COUNT; c++)
            if ((cols[c].kinds & m->kind) && strcmp(f[i].text,
                                                     cols[c].name) == 0)
                break;
        if (c == C_COUNT && m->kind == K_RESULTS && *f[i].text &&
            m->n_cond < sizeof m->cond_idx / sizeof m->cond_idx[0]) {
            m->cond_name[m->n_cond] = strdup(f[i].text);
            if (!m->cond_name[m->n_cond]) {
                snprintf(m->err, m->errlen, "out of memory");
                return LIMS_ERR_NOMEM;
            }
            m->cond_idx[m->n_cond++] = (int)i;
            continue;
        }
        if (c == C_COUNT) {
            snprintf(m->err, m->errlen,
                     "%s:%lu:%lu: unknown column \"%s\" in a %s file",
                     m->name, f[i].line, f[i].col,
                     pt_csv_escape(f[i].text, shown, sizeof shown),
                     m->kind == K_LABS     ? "laboratories"
                     : m->kind == K_ROUNDS ? "rounds"
                                           : "results");
            return LIMS_ERR_INPUT;
        }
        if (seen[c]++) {
            snprintf(m->err, m->errlen, "%s:%lu:%lu: column \"%s\" twice",
                     m->name, f[i].line, f[i].col,
                     pt_csv_escape(f[i].text, shown, sizeof shown));
            return LIMS_ERR_INPUT;
        }
        m->idx[c] = (int)i;
    }
    for (c = 0; c < C_COUNT; c++) {
        if ((cols[c].required & m->kind) && m->idx[c] < 0) {
            snprintf(m->err, m->errlen,
                     "%s:%lu:1: required column \"%s\" is missing", m->name,
                     f[0].line, cols[c].name);
            return LIMS_ERR_INPUT;
        }
    }
    m->n_header = n;
    return LIMS_OK;
}

static lims_status header(imp *m)
{
    const pt_csv_field *f;
    size_t n;
    pt_csv_status st = pt_csv_next(m->csv, &f, &n, m->err, m->errlen);

    if (st == PT_CSV_END) {
        snprintf(m->err, m->errlen, "%s:1:1: empty file (a header row is "
                 "needed)", m->name);
        return LIMS_ERR_INPUT;
    }
    if (st != PT_CSV_OK)
        return pt_csv_lims_status(st);
    if ((m->record = pt_import_record_kind(f, n))) {
        m->f = f; /* the header, for pt_import_record_csv */
        m->nf = n;
        return LIMS_OK;
    }
    return columns(m, f, n);
}

/* Required text: non-empty or an error at the field. */
static lims_status need(imp *m, int c)
{
    if (!*txt(m, c))
        return fail(m, c, "%s is empty", cols[c].name);
    return LIMS_OK;
}

/* A code in column c (when given): refused at its cell unless it keeps
 * pt_csv_code's rules. */
static lims_status code(imp *m, int c)
{
    char why[128], buf[PT_CSV_CLIP_SIZE];

    if (*txt(m, c) && pt_csv_code(txt(m, c), why, sizeof why) != 0)
        return fail(m, c, "%s \"%s\" %s", cols[c].name,
                    pt_csv_clip(txt(m, c), buf), why);
    return LIMS_OK;
}

/* Text in column c that the workbook writes: at most max characters, and
 * on one line when one_line. */
static lims_status text(imp *m, int c, size_t max, int one_line)
{
    char why[128];

    if (pt_csv_text(txt(m, c), max, one_line, why, sizeof why) != 0)
        return fail(m, c, "%s %s", cols[c].name, why);
    return LIMS_OK;
}

/* Optional number: NAN when empty.  One a double cannot hold with its
 * digits is refused. */
static lims_status number(imp *m, int c, double *out)
{
    char why[256];
    *out = NAN;
    if (!*txt(m, c))
        return LIMS_OK;
    if (pt_csv_number_normal(txt(m, c), out, why, sizeof why) != 0)
        return fail(m, c, "%s: %s", cols[c].name, why);
    return LIMS_OK;
}

static lims_status date(imp *m, int c)
{
    char buf[PT_CSV_CLIP_SIZE];

    if (*txt(m, c) && !pt_csv_is_date(txt(m, c)))
        return fail(m, c, "%s \"%s\" is not a date (write YYYY-MM-DD)",
                    cols[c].name, pt_csv_clip(txt(m, c), buf));
    return LIMS_OK;
}

/* A laboratory code met earlier in this laboratories file: 1, else it is
 * remembered and 0 (-1 when out of memory).  Open addressing over
 * strdup'ed codes, grown at half full. */
static int lab_seen(imp *m, const char *code)
{
    size_t h = 5381, i, j;
    const unsigned char *p;

    if (2 * (m->n_lab_codes + 1) > m->cap_lab_codes) {
        size_t cap = m->cap_lab_codes ? 2 * m->cap_lab_codes : 64;
        char **t = calloc(cap, sizeof *t);
        if (!t)
            return -1;
        for (i = 0; i < m->cap_lab_codes; i++) {
            if (!m->lab_codes[i])
                continue;
            for (h = 5381, p = (const unsigned char *)m->lab_codes[i]; *p;
                 p++)
                h = h * 33 + *p;
            for (j = h % cap; t[j]; j = (j + 1) % cap)
                ;
            t[j] = m->lab_codes[i];
        }
        free(m->lab_codes);
        m->lab_codes = t;
        m->cap_lab_codes = cap;
    }
    for (h = 5381, p = (const unsigned char *)code; *p; p++)
        h = h * 33 + *p;
    for (j = h % m->cap_lab_codes; m->lab_codes[j];
         j = (j + 1) % m->cap_lab_codes)
        if (strcmp(m->lab_codes[j], code) == 0)
            return 1;
    if (!(m->lab_codes[j] = strdup(code)))
        return -1;
    m->n_lab_codes++;
    return 0;
}

/* id of laboratory code in column c, or an error. */
static lims_status lab_id(imp *m, int c, long long *id)
{
    char hint[512];

    sqlite3_reset(m->lab_id);
    sqlite3_bind_text(m->lab_id, 1, txt(m, c), -1, SQLITE_STATIC);
    if (sqlite3_step(m->lab_id) != SQLITE_ROW)
        return fail(m, c, "unknown laboratory \"%s\"%s", txt(m, c),
                    *pt_suggest_code(m->inst->db, PT_CODE_LABORATORY,
                                     txt(m, c), hint, sizeof hint)
                        ? hint
                        : " (import it in a laboratories file first)");
    *id = sqlite3_column_int64(m->lab_id, 0);
    return LIMS_OK;
}

static const char lab_old_sql[] =
    "INSERT INTO audit_log (at, action, detail, tbl, row_id, row_data) "
    "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'replace', "
    "'laboratory ' || code || ' as it was before the import changed it', "
    "'laboratory', id, '{\"id\":' || quote(id) || ',\"code\":' || "
    "quote(code) || ',\"name\":' || quote(name) || ',\"name_zh\":' || "
    "quote(name_zh) || ',\"role\":' || quote(role) || "
    "',\"accreditation\":' || quote(accreditation) || '}' "
    "FROM laboratory WHERE code = ?1 AND (name IS NOT ?2 OR name_zh IS NOT "
    "?3 OR role IS NOT ?4 OR accreditation IS NOT ?5)";

/* ---- rows recorded already, and voids a file carries ---- */

/* The SQL expression of a field of column c for pt_recorded_row: expr,
 * or '' when the file has no such column (a column a file does not have
 * is not compared). */
static const char *given_expr(const imp *m, int c, const char *expr)
{
    return m->idx[c] >= 0 ? expr : "''";
}

/* Count the current row as recorded already or not, keeping the first
 * line of each for the message of a file only partly recorded. */
static void count_row(imp *m, int recorded)
{
    if (m->names)
        return;
    if (recorded) {
        if (!m->already++)
            m->line_already = m->f[0].line;
    } else if (!m->line_new) {
        m->line_new = m->f[0].line;
    }
}

/* The row's field f[r->field] (column cols_of[r->field]) differs from
 * the record: refused at its cell. */
static lims_status recorded_differs(imp *m, const char *what,
                                   const pt_recorded *r,
                                   const pt_recorded_field *f,
                                   const int *cols_of)
{
    return fail(m, cols_of[r->field],
                "%s is recorded with %s \"%s\"; this file gives \"%s\"",
                what, f[r->field].name, r->was, f[r->field].text);
}

/* The recorded void of kind k and row id expression x, as three fields
 * compared with the row's void columns. */
#define VOID_FIELDS(k, x)                                                   \
    {given_expr(m, C_VOIDED_AT, "(SELECT at FROM voided WHERE kind = '" k   \
                                "' AND row_id = " x ")"),                   \
     "voided_at", txt(m, C_VOIDED_AT), 0},                                  \
    {given_expr(m, C_VOIDED_BY, "(SELECT voided_by FROM voided WHERE kind " \
                                "= '" k "' AND row_id = " x ")"),           \
     "voided_by", txt(m, C_VOIDED_BY), 0},                                  \
    {given_expr(m, C_VOID_REASON, "(SELECT reason FROM voided WHERE kind "  \
                                  "= '" k "' AND row_id = " x ")"),         \
     "void_reason", txt(m, C_VOID_REASON), 0}

/* The row's void columns: none, or voided_at and void_reason (voided_by
 * may be empty); queued to void item `code` of `kind` once the file's
 * rows are written.  A code queued already is not queued again (a
 * result's versions, a round's measurands). */
static lims_status queue_void(imp *m, const char *kind, const char *code)
{
    const char *at = txt(m, C_VOIDED_AT), *reason = txt(m, C_VOID_REASON);
    lims_status rc;
    size_t i;

    if (!*at && !*reason && !*txt(m, C_VOIDED_BY))
        return LIMS_OK;
    if (!*at || !*reason)
        return fail(m, *at ? C_VOID_REASON : C_VOIDED_AT,
                    "voided_at and void_reason are given together");
    for (i = 0; at[i]; i++)
        if (i > 31 || !((at[i] >= '0' && at[i] <= '9') || at[i] == '-' ||
                        at[i] == ':' || at[i] == 'T' || at[i] == 'Z' ||
                        at[i] == '.'))
            return fail(m, C_VOIDED_AT,
                        "voided_at \"%.40s\" is not a UTC time "
                        "(YYYY-MM-DDTHH:MM:SSZ)",
                        at);
    if ((rc = text(m, C_VOIDED_BY, PT_CSV_SHORT_MAX, 1)) ||
        (rc = text(m, C_VOID_REASON, PT_CSV_LONG_MAX, 0)))
        return rc;
    if ((rc = pt_void_queue_add(&m->voids, kind, code, at,
                                txt(m, C_VOIDED_BY), reason, m->f[0].line)))
        snprintf(m->err, m->errlen, "out of memory");
    return rc;
}

static lims_status row_labs(imp *m)
{
    static const char *const roles[] = {"branch", "reference", "external"};
    lims_status rc;
    size_t i;

    if ((rc = need(m, C_LAB)) || (rc = need(m, C_NAME)) ||
        (rc = need(m, C_ROLE)) || (rc = code(m, C_LAB)) ||
        (rc = text(m, C_NAME, PT_CSV_SHORT_MAX, 1)) ||
        (rc = text(m, C_NAME_ZH, PT_CSV_SHORT_MAX, 1)) ||
        (rc = text(m, C_ACCRED, PT_CSV_SHORT_MAX, 1)))
        return rc;
    switch (lab_seen(m, txt(m, C_LAB))) {
    case 0:
        break;
    case 1:
        return fail(m, C_LAB, "laboratory %s is given twice in this file",
                    txt(m, C_LAB));
    default:
        snprintf(m->err, m->errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    for (i = 0; i < 3; i++)
        if (strcmp(txt(m, C_ROLE), roles[i]) == 0)
            break;
    if (i == 3)
        return fail(m, C_ROLE,
                    "role \"%s\" is not branch, reference or external",
                    txt(m, C_ROLE));
    if (!m->names) {
        const pt_recorded_field f[] = {
            {"name", "name", txt(m, C_NAME), 0},
            {given_expr(m, C_NAME_ZH, "name_zh"), "name_zh",
             txt(m, C_NAME_ZH), 0},
            {"role", "role", txt(m, C_ROLE), 0},
            {given_expr(m, C_ACCRED, "accreditation"), "accreditation",
             txt(m, C_ACCRED), 0},
            VOID_FIELDS("laboratory", "laboratory.id")};
        const char *key = txt(m, C_LAB);
        pt_recorded r;

        if ((rc = pt_recorded_row(m->inst->db, "id",
                                  "FROM laboratory WHERE code = ?1", &key, 1,
                                  f, sizeof f / sizeof f[0], &r, m->err,
                                  m->errlen)))
            return rc;
        count_row(m, r.state == PT_RECORDED_SAME);
        if (r.state == PT_RECORDED_SAME)
            return LIMS_OK;
        if ((rc = queue_void(m, "laboratory", key)))
            return rc;
    }
    /* a laboratory the file changes: its row as it was goes to the log */
    if (!m->lab_old &&
        (rc = pt_store_prepare(m->inst->db, lab_old_sql, &m->lab_old,
                               m->err, m->errlen)))
        return rc;
    sqlite3_reset(m->lab_old);
    sqlite3_reset(m->ins);
    for (i = 0; i < 5; i++) {
        static const int col[5] = {C_LAB, C_NAME, C_NAME_ZH, C_ROLE,
                                   C_ACCRED};
        pt_store_bind_text(m->lab_old, (int)i + 1, txt(m, col[i]));
        pt_store_bind_text(m->ins, (int)i + 1, txt(m, col[i]));
    }
    if (sqlite3_step(m->lab_old) != SQLITE_DONE)
        return db_fail(m, "laboratory");
    if (sqlite3_step(m->ins) != SQLITE_DONE)
        return db_fail(m, "laboratory");
    if ((rc = pt_seals_touch(&m->seals, PT_PART_LABORATORY, 0, m->err,
                             m->errlen)))
        return rc;
    m->sum.laboratories++;
    return LIMS_OK;
}

/* The round-level columns must agree with an existing round of the code. */
static lims_status same_round(imp *m, long long ref_id)
{
    static const int check[] = {C_SCHEME, C_TYPE, C_TITLE, C_PROVIDER,
                                C_PROV_ACC, C_OPENED, C_CLOSED};
    sqlite3_stmt *q = m->round_q;
    size_t i;
    const char *want;

    for (i = 0; i < sizeof check / sizeof check[0]; i++) {
        want = pt_store_text(q, (int)i + 1);
        if (check[i] == C_TYPE && !*txt(m, C_TYPE) &&
            strcmp(want, "pt") == 0)
            continue;
        if (strcmp(txt(m, check[i]), want) != 0)
            return fail(m, check[i],
                        "round %s was given %s \"%s\" before, here \"%s\"",
                        txt(m, C_ROUND), cols[check[i]].name, want,
                        txt(m, check[i]));
    }
    for (i = 0; i < 2; i++) {
        int c = i ? C_REPORT_DATE : C_REPORT_NO;
        want = pt_store_text(q, 10 + (int)i);
        /* a report not recorded yet is added (report_add) */
        if (*txt(m, c) && *want && strcmp(txt(m, c), want) != 0)
            return fail(m, c,
                        "round %s was given %s \"%s\" before, here \"%s\"",
                        txt(m, C_ROUND), cols[c].name, want, txt(m, c));
    }
    if (sqlite3_column_type(q, 8) == SQLITE_NULL ? ref_id != 0
                                                 : sqlite3_column_int64(q, 8)
                                                       != ref_id)
        return fail(m, C_REF_LAB,
                    "round %s was given another reference_lab before",
                    txt(m, C_ROUND));
    return LIMS_OK;
}

/* matrix, estimator, sigma_pt_method of a rounds row */
static lims_status round_extras(imp *m, const lims_plugin *p,
                                const lims_measurand *ms, double sigma)
{
    const char *est = txt(m, C_ESTIMATOR), *meth = txt(m, C_SIGMA_METHOD);
    lims_limit_key k;
    sqlite3_stmt *q;
    char why[256];
    lims_status rc;
    int found;

    if (*est && strcmp(est, "algorithm-a") && strcmp(est, "q-hampel"))
        return fail(m, C_ESTIMATOR,
                    "estimator \"%s\" is not algorithm-a or q-hampel", est);
    if (*est && strcmp(txt(m, C_ASSIGNED), "consensus") != 0)
        return fail(m, C_ESTIMATOR,
                    "an estimator is given only with assigned consensus");
    if (*txt(m, C_MATRIX)) {
        memset(&k, 0, sizeof k);
        k.size = sizeof k;
        if (p->limit_key(ms->id, txt(m, C_MATRIX), NULL, 0, &k, why,
                         sizeof why) == LIMS_ERR_INPUT)
            return fail(m, C_MATRIX, "%s", why);
    }
    if (!*meth)
        return LIMS_OK;
    if (!isnan(sigma))
        return fail(m, C_SIGMA_METHOD,
                    "give sigma_pt or sigma_pt_method, not both");
    if ((rc = pt_store_prepare(m->inst->db,
                               "SELECT 1 FROM method m JOIN method_edition "
                               "e ON e.method_id = m.id JOIN "
                               "method_precision p ON p.edition_id = e.id "
                               "WHERE m.scheme = ?1 AND substr(?2, 1, "
                               "length(m.code)) = m.code AND p.reprod_a IS "
                               "NOT NULL",
                               &q, m->err, m->errlen)))
        return rc;
    sqlite3_bind_text(q, 1, p->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, meth, -1, SQLITE_STATIC);
    found = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    if (!found)
        return fail(m, C_SIGMA_METHOD,
                    "method \"%s\" has no reproducibility data for scheme "
                    "%s (see the method tables)",
                    meth, p->id);
    return LIMS_OK;
}

/* The provider's official x_pt, u(x_pt) and sigma_pt of a rounds row,
 * kept as text (their decimals are the resolution they were reported
 * at), for official_item or, when it is empty, every item. */
static lims_status official(imp *m, long long round_id, const char *ms)
{
    static const int c_num[] = {C_OFF_XPT, C_OFF_UXPT, C_OFF_SIGMA};
    sqlite3_stmt *st;
    lims_status rc;
    double v;
    size_t i;
    int any = 0;

    for (i = 0; i < 3; i++) {
        if ((rc = number(m, c_num[i], &v)))
            return rc;
        if (isnan(v))
            continue;
        any = 1;
        if (i > 0 && !(v > 0))
            return fail(m, c_num[i], "%s must be positive",
                        cols[c_num[i]].name);
    }
    if (!any) {
        if (*txt(m, C_OFF_ITEM))
            return fail(m, C_OFF_ITEM, "official_item is given without "
                        "official_x_pt, official_u_x_pt or "
                        "official_sigma_pt");
        return LIMS_OK;
    }
    if ((rc = code(m, C_OFF_ITEM)))
        return rc;
    if ((rc = pt_store_prepare(m->inst->db,
                               "INSERT INTO round_official (round_id, "
                               "measurand, item, x_pt, u_x_pt, sigma_pt) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               &st, m->err, m->errlen)))
        return rc;
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_text(st, 2, ms, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, txt(m, C_OFF_ITEM), -1, SQLITE_STATIC);
    for (i = 0; i < 3; i++)
        pt_store_bind_text(st, 4 + (int)i, txt(m, c_num[i]));
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = LIMS_OK;
    else if (sqlite3_extended_errcode(m->inst->db) ==
             SQLITE_CONSTRAINT_TRIGGER)
        rc = fail(m, C_ROUND, "round %s is closed (ptlims reopen)",
                  txt(m, C_ROUND));
    else if (sqlite3_extended_errcode(m->inst->db) ==
             SQLITE_CONSTRAINT_UNIQUE)
        rc = fail(m, C_OFF_ITEM,
                  "round %s already has official values for %s%s%s",
                  txt(m, C_ROUND), ms, *txt(m, C_OFF_ITEM) ? " item " : "",
                  txt(m, C_OFF_ITEM));
    else
        rc = db_fail(m, "official values");
    sqlite3_finalize(st);
    return rc;
}

/* The official values of a rounds row's official_item (?4) for its
 * round_measurand row, as a pt_recorded_row expression's FROM. */
#define OFFICIAL_OF                                                          \
    "FROM round_official o WHERE o.round_id = round_measurand.round_id AND " \
    "o.measurand = round_measurand.measurand AND o.item = coalesce(?4, '')"

/* Does a rounds row recorded already, as it is, add the provider's report
 * to it: a report number or date, or official values of its item, not
 * recorded yet (the report comes after the round)?  *adds 1 when so. */
static lims_status report_adds(imp *m, long long round_id, const char *ms,
                               int *adds)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        m->inst->db,
        "SELECT (report_no IS NULL AND ?1 <> '') OR (report_date IS NULL "
        "AND ?2 <> '') OR ((?3 <> '' OR ?4 <> '' OR ?5 <> '') AND NOT "
        "EXISTS (SELECT 1 FROM round_official o WHERE o.round_id = ?8 AND "
        "o.measurand = ?6 AND o.item = ?7 AND (?3 = '' OR o.x_pt IS NOT "
        "NULL) AND (?4 = '' OR o.u_x_pt IS NOT NULL) AND (?5 = '' OR "
        "o.sigma_pt IS NOT NULL))) FROM round WHERE id = ?8",
        &q, m->err, m->errlen);
    static const int c[] = {C_REPORT_NO, C_REPORT_DATE, C_OFF_XPT,
                            C_OFF_UXPT, C_OFF_SIGMA};

    if (rc)
        return rc;
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(q, i + 1, txt(m, c[i]), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, ms, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 7, txt(m, C_OFF_ITEM), -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 8, round_id);
    *adds = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return LIMS_OK;
}

/* Adds what report_adds found to a recorded round: the report's number
 * and date where none is recorded, and the official values of the item
 * where none are. */
static lims_status report_add(imp *m, long long round_id, const char *ms)
{
    sqlite3_stmt *st;
    lims_status rc;
    static const int c[] = {C_OFF_XPT, C_OFF_UXPT, C_OFF_SIGMA};

    if ((rc = pt_store_prepare(m->inst->db,
                               "UPDATE round SET report_no = "
                               "coalesce(report_no, ?1), report_date = "
                               "coalesce(report_date, ?2) WHERE id = ?3 AND "
                               "((report_no IS NULL AND ?1 IS NOT NULL) OR "
                               "(report_date IS NULL AND ?2 IS NOT NULL))",
                               &st, m->err, m->errlen)))
        return rc;
    pt_store_bind_text(st, 1, txt(m, C_REPORT_NO));
    pt_store_bind_text(st, 2, txt(m, C_REPORT_DATE));
    sqlite3_bind_int64(st, 3, round_id);
    rc = sqlite3_step(st) == SQLITE_DONE ? LIMS_OK
         : sqlite3_extended_errcode(m->inst->db) == SQLITE_CONSTRAINT_TRIGGER
             ? fail(m, C_ROUND, "round %s is closed (ptlims reopen)",
                    txt(m, C_ROUND))
             : db_fail(m, "round");
    sqlite3_finalize(st);
    if (rc)
        return rc;
    if (*txt(m, C_OFF_XPT) || *txt(m, C_OFF_UXPT) || *txt(m, C_OFF_SIGMA)) {
        if ((rc = pt_store_prepare(
                 m->inst->db,
                 "INSERT INTO round_official (round_id, measurand, item, "
                 "x_pt, u_x_pt, sigma_pt) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                 "ON CONFLICT (round_id, measurand, item) DO UPDATE SET "
                 "x_pt = coalesce(x_pt, excluded.x_pt), u_x_pt = "
                 "coalesce(u_x_pt, excluded.u_x_pt), sigma_pt = "
                 "coalesce(sigma_pt, excluded.sigma_pt)",
                 &st, m->err, m->errlen)))
            return rc;
        sqlite3_bind_int64(st, 1, round_id);
        sqlite3_bind_text(st, 2, ms, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, txt(m, C_OFF_ITEM), -1, SQLITE_STATIC);
        for (int i = 0; i < 3; i++)
            pt_store_bind_text(st, 4 + i, txt(m, c[i]));
        rc = sqlite3_step(st) == SQLITE_DONE ? LIMS_OK
             : sqlite3_extended_errcode(m->inst->db) ==
                     SQLITE_CONSTRAINT_TRIGGER
                 ? fail(m, C_ROUND, "round %s is closed (ptlims reopen)",
                        txt(m, C_ROUND))
                 : db_fail(m, "official values");
        sqlite3_finalize(st);
        if (rc)
            return rc;
    }
    return pt_seals_touch(&m->seals, PT_PART_ROUND, round_id, m->err,
                          m->errlen);
}


/* The text between s and e with blanks trimmed off both ends: sets *s
 * and *e, NUL-terminates it and returns *s. */
static char *trim(char *s, char *e)
{
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *e = '\0';
    return s;
}

/* item_matrix of a rounds row, "D-1=diesel; FO-1=fuel oil": each item
 * code with its matrix (checked as the matrix column is), recorded in
 * round_item when insert (else only checked). */
static lims_status item_matrices(imp *m, const lims_plugin *p,
                                 const lims_measurand *ms,
                                 long long round_id, int insert)
{
    size_t len = strlen(txt(m, C_ITEM_MATRIX));
    char *copy, *s, *end, *eq, *item, *matrix, why[256];
    char clip[PT_CSV_CLIP_SIZE];
    sqlite3_stmt *q = NULL;
    lims_limit_key k;
    lims_status rc = LIMS_OK;

    if (!len)
        return LIMS_OK;
    if (!(copy = malloc(len + 1))) {
        snprintf(m->err, m->errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    memcpy(copy, txt(m, C_ITEM_MATRIX), len + 1);
    if (insert)
        rc = pt_store_prepare(m->inst->db,
                              "INSERT INTO round_item (round_id, measurand, "
                              "item, matrix) VALUES (?1, ?2, ?3, ?4)",
                              &q, m->err, m->errlen);
    for (s = copy; !rc && s; s = end ? end + 1 : NULL) {
        end = strchr(s, ';');
        if (!end && !*trim(s, s + strlen(s)))
            break; /* a trailing ";" */
        eq = strchr(s, '=');
        if (!eq || (end && eq > end)) {
            rc = fail(m, C_ITEM_MATRIX,
                      "item_matrix \"%s\" is not ITEM=MATRIX; ITEM=MATRIX",
                      pt_csv_clip(txt(m, C_ITEM_MATRIX), clip));
            break;
        }
        item = trim(s, eq);
        matrix = trim(eq + 1, end ? end : eq + 1 + strlen(eq + 1));
        if (!*item || pt_csv_code(item, why, sizeof why) != 0) {
            rc = fail(m, C_ITEM_MATRIX, "item \"%s\" %s",
                      pt_csv_clip(item, clip), *item ? why : "is empty");
            break;
        }
        memset(&k, 0, sizeof k);
        k.size = sizeof k;
        if (!*matrix ||
            p->limit_key(ms->id, matrix, NULL, 0, &k, why, sizeof why) ==
                LIMS_ERR_INPUT) {
            rc = fail(m, C_ITEM_MATRIX, "item %s: %s",
                      pt_csv_clip(item, clip),
                      *matrix ? why : "no matrix after \"=\"");
            break;
        }
        if (!insert)
            continue;
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, round_id);
        pt_store_bind_text(q, 2, ms->id);
        pt_store_bind_text(q, 3, item);
        pt_store_bind_text(q, 4, matrix);
        if (sqlite3_step(q) != SQLITE_DONE)
            rc = sqlite3_errcode(m->inst->db) == SQLITE_CONSTRAINT
                     ? fail(m, C_ITEM_MATRIX,
                            "item %s of %s is given a matrix twice",
                            pt_csv_clip(item, clip), ms->id)
                     : db_fail(m, "round item");
    }
    sqlite3_finalize(q);
    free(copy);
    return rc;
}

/* The row's item_matrix as the record writes it back ("D-1=diesel;
 * FO-1=fuel oil": blanks trimmed, "; " between items), to compare with a
 * recorded round; a new string (free it), NULL when out of memory.  The
 * cell was checked by item_matrices first. */
static char *item_matrix_text(const imp *m)
{
    size_t len = strlen(txt(m, C_ITEM_MATRIX)), o = 0;
    char *copy = malloc(len + 1), *out = malloc(len + 1), *s, *end, *eq;

    if (!copy || !out) {
        free(copy);
        free(out);
        return NULL;
    }
    memcpy(copy, txt(m, C_ITEM_MATRIX), len + 1);
    out[0] = '\0';
    for (s = copy; s; s = end ? end + 1 : NULL) {
        const char *item, *matrix;
        end = strchr(s, ';');
        if (end)
            *end = '\0';
        if (!(eq = strchr(s, '=')))
            continue; /* a trailing ";" */
        item = trim(s, eq);
        matrix = trim(eq + 1, eq + 1 + strlen(eq + 1));
        o += (size_t)snprintf(out + o, len + 1 - o, "%s%s=%s",
                              o ? "; " : "", item, matrix);
    }
    free(copy);
    return out;
}

static lims_status row_rounds(imp *m)
{
    static const char *const types[] = {"pt", "ilc", "bilateral"};
    const lims_plugin *p;
    const lims_measurand *ms;
    long long ref_id = 0, round_id;
    double xpt, uxpt, sigma;
    const char *assigned = txt(m, C_ASSIGNED);
    sqlite3_stmt *st;
    lims_status rc;
    size_t i;
    char hint[1024];

    if ((rc = need(m, C_ROUND)) || (rc = need(m, C_SCHEME)) ||
        (rc = need(m, C_MEASURAND)) || (rc = need(m, C_OPENED)) ||
        (rc = code(m, C_ROUND)) || (rc = code(m, C_REF_LAB)) ||
        (rc = date(m, C_OPENED)) || (rc = date(m, C_CLOSED)) ||
        (rc = text(m, C_TITLE, PT_CSV_SHORT_MAX, 1)) ||
        (rc = text(m, C_PROVIDER, PT_CSV_SHORT_MAX, 1)) ||
        (rc = text(m, C_PROV_ACC, PT_CSV_SHORT_MAX, 1)) ||
        (rc = text(m, C_SIGMA_BASIS, PT_CSV_SHORT_MAX, 1)) ||
        (rc = text(m, C_OVERRIDE, PT_CSV_LONG_MAX, 0)) ||
        (rc = text(m, C_REPORT_NO, PT_CSV_SHORT_MAX, 1)) ||
        (rc = date(m, C_REPORT_DATE)))
        return rc;
    p = pt_core_scheme(m->inst, txt(m, C_SCHEME));
    if (!p)
        return fail(m, C_SCHEME, "no plug-in is loaded for scheme \"%s\"",
                    txt(m, C_SCHEME));
    ms = pt_core_measurand(p, txt(m, C_MEASURAND));
    if (!ms)
        return fail(m, C_MEASURAND, "scheme %s has no measurand \"%s\"%s",
                    p->id, txt(m, C_MEASURAND),
                    pt_suggest_measurands(p, hint, sizeof hint));
    if (*txt(m, C_TYPE)) {
        for (i = 0; i < 3; i++)
            if (strcmp(txt(m, C_TYPE), types[i]) == 0)
                break;
        if (i == 3)
            return fail(m, C_TYPE, "type \"%s\" is not pt, ilc or bilateral",
                        txt(m, C_TYPE));
    }
    if (*txt(m, C_CLOSED) && strcmp(txt(m, C_CLOSED), txt(m, C_OPENED)) < 0)
        return fail(m, C_CLOSED, "closed %s is before opened %s",
                    txt(m, C_CLOSED), txt(m, C_OPENED));
    if (*txt(m, C_REF_LAB) && (rc = lab_id(m, C_REF_LAB, &ref_id)))
        return rc;
    if (*assigned && strcmp(assigned, "reference") &&
        strcmp(assigned, "consensus") && strcmp(assigned, "fixed"))
        return fail(m, C_ASSIGNED,
                    "assigned \"%s\" is not reference, consensus or fixed",
                    assigned);
    if (strcmp(assigned, "reference") == 0 && !ref_id)
        return fail(m, C_ASSIGNED,
                    "assigned is reference but no reference_lab is given");
    if ((rc = number(m, C_XPT, &xpt)) || (rc = number(m, C_UXPT, &uxpt)) ||
        (rc = number(m, C_SIGMA, &sigma)))
        return rc;
    if (strcmp(assigned, "fixed") == 0 && (isnan(xpt) || isnan(uxpt)))
        return fail(m, isnan(xpt) ? C_XPT : C_UXPT,
                    "assigned is fixed: x_pt and u_x_pt are both needed");
    if (strcmp(assigned, "fixed") != 0 && (!isnan(xpt) || !isnan(uxpt)))
        return fail(m, !isnan(xpt) ? C_XPT : C_UXPT,
                    "x_pt and u_x_pt are given only with assigned fixed");
    if (!isnan(uxpt) && uxpt < 0)
        return fail(m, C_UXPT, "u_x_pt must not be negative");
    if (!isnan(xpt) && xpt < 0 && ms->min >= 0)
        return fail(m, C_XPT,
                    "x_pt %g is negative, and %s is never below %g %s", xpt,
                    ms->id, ms->min, ms->unit);
    if (!isnan(sigma) && !(sigma > 0))
        return fail(m, C_SIGMA, "sigma_pt must be positive");
    if ((rc = round_extras(m, p, ms, sigma)) ||
        (rc = item_matrices(m, p, ms, 0, 0)))
        return rc;

    /* scheme row */
    if ((rc = pt_store_prepare(m->inst->db,
                               "INSERT INTO scheme (code, name_en, name_zh, "
                               "plugin_version) VALUES (?1, ?2, ?3, ?4) "
                               "ON CONFLICT (code) DO UPDATE SET "
                               "plugin_version = excluded.plugin_version",
                               &st, m->err, m->errlen)))
        return rc;
    sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->name_en, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->name_zh, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p->version, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? LIMS_OK : db_fail(m, "scheme");
    sqlite3_finalize(st);
    if (rc)
        return rc;

    /* round row: new, or the same round as an earlier row */
    sqlite3_reset(m->round_q);
    sqlite3_bind_text(m->round_q, 1, txt(m, C_ROUND), -1, SQLITE_STATIC);
    if (sqlite3_step(m->round_q) == SQLITE_ROW) {
        round_id = sqlite3_column_int64(m->round_q, 0);
        if ((rc = same_round(m, ref_id)))
            return rc;
    } else {
        if ((rc = pt_store_prepare(
                 m->inst->db,
                 "INSERT INTO round (code, scheme_id, type, title, provider, "
                 "provider_accreditation, opened, closed, reference_lab_id, "
                 "report_no, report_date) "
                 "VALUES (?1, (SELECT id FROM scheme WHERE code = ?2), "
                 "coalesce(?3, 'pt'), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                 &st, m->err, m->errlen)))
            return rc;
        pt_store_bind_text(st, 1, txt(m, C_ROUND));
        pt_store_bind_text(st, 2, p->id);
        pt_store_bind_text(st, 3, txt(m, C_TYPE));
        pt_store_bind_text(st, 4, txt(m, C_TITLE));
        pt_store_bind_text(st, 5, txt(m, C_PROVIDER));
        pt_store_bind_text(st, 6, txt(m, C_PROV_ACC));
        pt_store_bind_text(st, 7, txt(m, C_OPENED));
        pt_store_bind_text(st, 8, txt(m, C_CLOSED));
        if (ref_id)
            sqlite3_bind_int64(st, 9, ref_id);
        pt_store_bind_text(st, 10, txt(m, C_REPORT_NO));
        pt_store_bind_text(st, 11, txt(m, C_REPORT_DATE));
        rc = sqlite3_step(st) == SQLITE_DONE ? LIMS_OK : db_fail(m, "round");
        sqlite3_finalize(st);
        if (rc)
            return rc;
        round_id = sqlite3_last_insert_rowid(m->inst->db);
        m->sum.rounds++;
    }

    if (!m->names) {
        static const int cols_of[] = {C_ASSIGNED, C_XPT, C_UXPT, C_SIGMA,
                                      C_SIGMA_BASIS, C_MATRIX, C_ESTIMATOR,
                                      C_SIGMA_METHOD, C_OVERRIDE,
                                      C_REPORT_NO, C_REPORT_DATE,
                                      C_OFF_XPT, C_OFF_UXPT, C_OFF_SIGMA,
                                      C_VOIDED_AT, C_VOIDED_BY,
                                      C_VOID_REASON, C_ITEM_MATRIX};
        char *item_matrix = item_matrix_text(m);
        const pt_recorded_field f[] = {
            {given_expr(m, C_ASSIGNED, "assigned"), "assigned", assigned,
             0},
            {given_expr(m, C_XPT, "x_pt"), "x_pt", txt(m, C_XPT), 1},
            {given_expr(m, C_UXPT, "u_x_pt"), "u_x_pt", txt(m, C_UXPT), 1},
            {given_expr(m, C_SIGMA, "sigma_pt"), "sigma_pt",
             txt(m, C_SIGMA), 1},
            {given_expr(m, C_SIGMA_BASIS, "sigma_pt_basis"),
             "sigma_pt_basis", txt(m, C_SIGMA_BASIS), 0},
            {given_expr(m, C_MATRIX, "matrix"), "matrix", txt(m, C_MATRIX),
             0},
            {given_expr(m, C_ESTIMATOR, "estimator"), "estimator",
             txt(m, C_ESTIMATOR), 0},
            {given_expr(m, C_SIGMA_METHOD, "sigma_pt_method"),
             "sigma_pt_method", txt(m, C_SIGMA_METHOD), 0},
            {given_expr(m, C_OVERRIDE, "override_reason"), "override_reason",
             txt(m, C_OVERRIDE), 0},
            /* the provider's report (schema 014): the round's, and the
             * official values of official_item (?4); one not recorded yet
             * is added (?5 .. ?9: the row's texts) */
            {given_expr(m, C_REPORT_NO, "coalesce((SELECT report_no FROM "
                                        "round WHERE id = round_id), ?5)"),
             "report_no", txt(m, C_REPORT_NO), 0},
            {given_expr(m, C_REPORT_DATE, "coalesce((SELECT report_date "
                                          "FROM round WHERE id = round_id), "
                                          "?6)"),
             "report_date", txt(m, C_REPORT_DATE), 0},
            {given_expr(m, C_OFF_XPT,
                        "coalesce((SELECT o.x_pt " OFFICIAL_OF "), ?7)"),
             "official_x_pt", txt(m, C_OFF_XPT), 0},
            {given_expr(m, C_OFF_UXPT,
                        "coalesce((SELECT o.u_x_pt " OFFICIAL_OF "), ?8)"),
             "official_u_x_pt", txt(m, C_OFF_UXPT), 0},
            {given_expr(m, C_OFF_SIGMA,
                        "coalesce((SELECT o.sigma_pt " OFFICIAL_OF "), ?9)"),
             "official_sigma_pt", txt(m, C_OFF_SIGMA), 0},
            VOID_FIELDS("round", "round_id"),
            {given_expr(m, C_ITEM_MATRIX,
                        "coalesce((SELECT group_concat(item || '=' || "
                        "matrix, '; ') FROM (SELECT item, matrix FROM "
                        "round_item i WHERE i.round_id = "
                        "round_measurand.round_id AND i.measurand = "
                        "round_measurand.measurand ORDER BY i.id)), '')"),
             "item_matrix", item_matrix, 0}};
        const char *keys[9];
        char *what;
        pt_recorded r;
        int adds = 0;

        keys[0] = txt(m, C_ROUND);
        keys[1] = ms->id;
        keys[2] = m->before;
        keys[3] = txt(m, C_OFF_ITEM);
        keys[4] = txt(m, C_REPORT_NO);
        keys[5] = txt(m, C_REPORT_DATE);
        keys[6] = txt(m, C_OFF_XPT);
        keys[7] = txt(m, C_OFF_UXPT);
        keys[8] = txt(m, C_OFF_SIGMA);
        if (!item_matrix) {
            snprintf(m->err, m->errlen, "out of memory");
            return LIMS_ERR_NOMEM;
        }
        rc = pt_recorded_row(m->inst->db, "id",
                             "FROM round_measurand WHERE round_id = "
                             "(SELECT id FROM round WHERE code = ?1) "
                             "AND measurand = ?2 AND id <= CAST(?3 AS "
                             "INTEGER) AND coalesce(?4, ?5, ?6, ?7, "
                             "?8, ?9, '') IS NOT NULL",
                             keys, 9, f, sizeof f / sizeof f[0], &r, m->err,
                             m->errlen);
        if (!rc && r.state == PT_RECORDED_SAME)
            rc = report_adds(m, round_id, ms->id, &adds);
        if (!rc && r.state == PT_RECORDED_DIFFERS) {
            what = sqlite3_mprintf("round %s, %s", keys[0], ms->id);
            rc = recorded_differs(m, what ? what : keys[0], &r, f, cols_of);
            sqlite3_free(what);
            free(item_matrix);
            return rc;
        }
        free(item_matrix);
        if (rc)
            return rc;
        count_row(m, r.state == PT_RECORDED_SAME && !adds);
        if (*txt(m, C_STATUS) && strcmp(txt(m, C_STATUS), "open") &&
            strcmp(txt(m, C_STATUS), "closed"))
            return fail(m, C_STATUS, "status \"%s\" is not open or closed",
                        txt(m, C_STATUS));
        if (adds)
            return report_add(m, round_id, ms->id);
        if (r.state == PT_RECORDED_SAME)
            return LIMS_OK;
        if ((rc = queue_void(m, "round", keys[0])))
            return rc;
    }
    sqlite3_reset(m->ins);
    sqlite3_bind_int64(m->ins, 1, round_id);
    pt_store_bind_text(m->ins, 2, ms->id);
    pt_store_bind_text(m->ins, 3, ms->unit);
    pt_store_bind_text(m->ins, 4, assigned);
    pt_store_bind_num(m->ins, 5, xpt);
    pt_store_bind_num(m->ins, 6, uxpt);
    pt_store_bind_num(m->ins, 7, sigma);
    pt_store_bind_text(m->ins, 8, txt(m, C_SIGMA_BASIS));
    pt_store_bind_text(m->ins, 9, txt(m, C_MATRIX));
    pt_store_bind_text(m->ins, 10, txt(m, C_ESTIMATOR));
    pt_store_bind_text(m->ins, 11, txt(m, C_SIGMA_METHOD));
    pt_store_bind_text(m->ins, 12, txt(m, C_OVERRIDE));
    if (sqlite3_step(m->ins) != SQLITE_DONE) {
        if (sqlite3_errcode(m->inst->db) != SQLITE_CONSTRAINT)
            return db_fail(m, "round measurand");
        if (*txt(m, C_OFF_ITEM) && sqlite3_extended_errcode(m->inst->db) !=
                                       SQLITE_CONSTRAINT_UNIQUE)
            return fail(m, C_ROUND, "round %s is closed (ptlims reopen)",
                        txt(m, C_ROUND));
        /* another item's official values may repeat the measurand */
        if (!*txt(m, C_OFF_ITEM))
            return fail(m, C_MEASURAND,
                        "round %s already has measurand %s (give "
                        "official_item to add another item's official "
                        "values)",
                        txt(m, C_ROUND), ms->id);
    }
    if ((rc = official(m, round_id, ms->id)) ||
        (rc = item_matrices(m, p, ms, round_id, 1)))
        return rc;
    if ((rc = pt_seals_touch(&m->seals, PT_PART_ROUND, round_id, m->err,
                             m->errlen)))
        return rc;
    return pt_seals_touch(&m->seals, PT_PART_ROUND_MEASURAND, round_id,
                          m->err, m->errlen);
}

/* The column of each field of the one write path. */
static const int field_col[] = {
    [PT_FIELD_NONE] = -1,           [PT_FIELD_ROUND] = C_ROUND,
    [PT_FIELD_LAB] = C_LAB,         [PT_FIELD_MEASURAND] = C_MEASURAND,
    [PT_FIELD_ITEM] = C_ITEM,       [PT_FIELD_VALUE] = C_VALUE,
    [PT_FIELD_UNIT] = C_UNIT,       [PT_FIELD_U] = C_U,
    [PT_FIELD_K] = C_K,             [PT_FIELD_METHOD] = C_METHOD,
    [PT_FIELD_INSTRUMENT] = C_INSTRUMENT,
    [PT_FIELD_ANALYST] = C_ANALYST, [PT_FIELD_TESTED_ON] = C_TESTED_ON,
    [PT_FIELD_REMARKS] = C_REMARKS, [PT_FIELD_CONDITION] = -1,
    [PT_FIELD_VERSION] = -1,        [PT_FIELD_REASON] = -1,
    [PT_FIELD_OFFICIAL_SCORE] = C_OFF_SCORE,
    [PT_FIELD_OFFICIAL_KIND] = C_OFF_KIND,
};

static void import_warning(void *ctx, const char *msg)
{
    imp *m = ctx;
    char at[1024], line[1664];

    place(m, at, sizeof at);
    snprintf(line, sizeof line, "%s: %s", at, msg);
    pt_core_log(m->inst, LIMS_LOG_WARN, line);
}

/* m->gate_had: round `code` had results before this file.  Asked once
 * per run of rows of one round, so that a file of new results (the
 * usual import) compares no row with the record. */
static lims_status round_had_results(imp *m, const char *code)
{
    sqlite3_stmt *q;
    lims_status rc;

    if (m->gate_round && strcmp(m->gate_round, code) == 0)
        return LIMS_OK;
    sqlite3_free(m->gate_round);
    if (!(m->gate_round = sqlite3_mprintf("%s", code))) {
        snprintf(m->err, m->errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    if ((rc = pt_store_prepare(m->inst->db,
                               "SELECT EXISTS (SELECT 1 FROM result x JOIN "
                               "round r ON r.id = x.round_id WHERE r.code = "
                               "?1 AND x.id <= CAST(?2 AS INTEGER))",
                               &q, m->err, m->errlen)))
        return rc;
    sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, m->before, -1, SQLITE_STATIC);
    m->gate_had = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return LIMS_OK;
}

/* Is results row r recorded already, as it is?  *recorded 1 when it
 * is; a row recorded with another value of a field is refused at that
 * field's cell. */
static lims_status result_recorded(imp *m, const pt_result_fields *r,
                                   int *recorded)
{
    static const int cols_of[] = {C_VALUE, C_UNIT, C_U, C_K, C_METHOD,
                                  C_INSTRUMENT, C_ANALYST, C_TESTED_ON,
                                  C_REMARKS, C_REASON, C_OFF_SCORE,
                                  C_OFF_KIND, C_VOIDED_AT,
                                  C_VOIDED_BY, C_VOID_REASON};
    const char *k = *r->k ? r->k : *r->U ? "2" : "";
    const pt_recorded_field f[] = {
        {"x.value_text", "value", r->value, 0},
        {"x.unit_text", "unit", r->unit, 0},
        {given_expr(m, C_U, "x.U_text"), "U", r->U, 0},
        {m->idx[C_K] >= 0 || m->idx[C_U] >= 0 ? "x.k" : "''", "k", k, 1},
        {given_expr(m, C_METHOD, "x.method"), "method", r->method, 0},
        {given_expr(m, C_INSTRUMENT, "x.instrument"), "instrument",
         r->instrument, 0},
        {given_expr(m, C_ANALYST, "x.analyst"), "analyst", r->analyst, 0},
        {given_expr(m, C_TESTED_ON, "x.tested_on"), "tested_on",
         r->tested_on, 0},
        {given_expr(m, C_REMARKS, "x.remarks"), "remarks", r->remarks, 0},
        {given_expr(m, C_REASON, "x.reason"), "reason", r->reason, 0},
        {given_expr(m, C_OFF_SCORE, "x.official_score"), "official_score",
         r->official_score, 0},
        {given_expr(m, C_OFF_KIND, "x.official_kind"), "official_kind",
         r->official_kind, 0},
        VOID_FIELDS("result", "x.id")};
    const char *keys[6], *names[32], *values[32];
    char version[16], *what;
    pt_recorded rec;
    size_t i, which;
    int same;
    lims_status rc;

    *recorded = 0;
    snprintf(version, sizeof version, "%u", r->version ? r->version : 1);
    keys[0] = r->round;
    keys[1] = r->lab;
    keys[2] = r->measurand;
    keys[3] = *r->item ? r->item : "1";
    keys[4] = version;
    keys[5] = m->before;
    if ((rc = pt_recorded_row(
             m->inst->db, "x.id",
             "FROM result x JOIN round ro ON ro.id = x.round_id JOIN "
             "laboratory l ON l.id = x.lab_id WHERE ro.code = ?1 AND l.code "
             "= ?2 AND x.measurand = ?3 AND x.item = ?4 AND x.version = ?5 "
             "AND x.id <= CAST(?6 AS INTEGER)",
             keys, 6, f, sizeof f / sizeof f[0], &rec, m->err, m->errlen)))
        return rc;
    if (rec.state == PT_NOT_RECORDED)
        return LIMS_OK;
    what = sqlite3_mprintf("the result of %s for round %s, %s, item %s "
                           "(version %s)",
                           r->lab, r->round, r->measurand, keys[3], version);
    if (!what) {
        snprintf(m->err, m->errlen, "out of memory");
        return LIMS_ERR_NOMEM;
    }
    if (rec.state == PT_RECORDED_DIFFERS) {
        rc = recorded_differs(m, what, &rec, f, cols_of);
        sqlite3_free(what);
        return rc;
    }
    /* the conditions: every column of the scheme, given or not */
    for (i = 0; i < m->n_cond && i < 32; i++) {
        names[i] = m->cond_name[i];
        values[i] = m->f[m->cond_idx[i]].text;
    }
    rc = pt_recorded_conditions(m->inst->db, rec.id, names, values, i,
                                &same, &which, m->err, m->errlen);
    if (!rc && !same)
        rc = which < i ? fail_field(m, m->cond_idx[which],
                                    "%s is recorded with another %s",
                                    what, names[which])
                       : fail(m, C_LAB, "%s is recorded with conditions "
                                        "this file does not give",
                              what);
    sqlite3_free(what);
    *recorded = !rc;
    return rc;
}

/* A results row: its fields handed to the one write path, and a refusal
 * placed at its column. */
static lims_status row_results(imp *m)
{
    lims_condition_value cv[sizeof m->cond_idx / sizeof m->cond_idx[0]];
    int cv_field[sizeof m->cond_idx / sizeof m->cond_idx[0]];
    pt_result_fields r;
    pt_refusal where;
    char why[512];
    lims_status rc;
    size_t i;

    memset(&r, 0, sizeof r);
    r.round = txt(m, C_ROUND);
    r.lab = txt(m, C_LAB);
    r.measurand = txt(m, C_MEASURAND);
    r.item = txt(m, C_ITEM);
    r.value = txt(m, C_VALUE);
    r.unit = txt(m, C_UNIT);
    r.U = txt(m, C_U);
    r.k = txt(m, C_K);
    r.method = txt(m, C_METHOD);
    r.instrument = txt(m, C_INSTRUMENT);
    r.analyst = txt(m, C_ANALYST);
    r.tested_on = txt(m, C_TESTED_ON);
    r.remarks = txt(m, C_REMARKS);
    r.official_score = txt(m, C_OFF_SCORE);
    r.official_kind = txt(m, C_OFF_KIND);
    r.expect_value = NAN;
    for (i = 0; i < m->n_cond; i++) {
        const char *text = m->f[m->cond_idx[i]].text;
        if (!*text)
            continue;
        cv[r.n_conditions].name = m->cond_name[i];
        cv[r.n_conditions].value = text;
        cv_field[r.n_conditions++] = m->cond_idx[i];
    }
    r.conditions = cv;
    if (*txt(m, C_VERSION)) {
        const char *v = txt(m, C_VERSION);
        char *end;
        unsigned long n = strtoul(v, &end, 10);
        if (*v < '1' || *v > '9' || *end || n > 1000000)
            return fail(m, C_VERSION, "version \"%.40s\" is not a whole "
                                      "number from 1",
                        v);
        r.version = (unsigned)n;
    }
    r.reason = txt(m, C_REASON);
    if (r.version <= 1 && *r.reason)
        return fail(m, C_REASON, "a reason is given only with a version "
                                 "above 1 (a correction)");
    if (!m->names) {
        int recorded = 0;
        if ((rc = round_had_results(m, r.round)))
            return rc;
        if (m->gate_had && (rc = result_recorded(m, &r, &recorded)))
            return rc;
        count_row(m, recorded);
        if (recorded)
            return LIMS_OK;
    }
    place(m, m->source, m->source_size);
    r.source = m->source;
    rc = pt_writer_result(m->writer, &r, &where, NULL, why, sizeof why);
    if (rc == LIMS_OK && !m->names &&
        (*txt(m, C_VOIDED_AT) || *txt(m, C_VOIDED_BY) ||
         *txt(m, C_VOID_REASON))) {
        char *key = sqlite3_mprintf("%s/%s/%s/%s", r.round, r.lab,
                                    r.measurand, *r.item ? r.item : "1");
        rc = key ? queue_void(m, "result", key) : LIMS_ERR_NOMEM;
        sqlite3_free(key);
        if (rc == LIMS_ERR_NOMEM)
            snprintf(m->err, m->errlen, "out of memory");
        if (rc)
            return rc;
    }
    if (rc == LIMS_OK) {
        m->sum.results++;
        return LIMS_OK;
    }
    if (rc != LIMS_ERR_INPUT && rc != LIMS_ERR_STATE) {
        char at[1024];
        place(m, at, sizeof at);
        snprintf(m->err, m->errlen, "%s: %s", at, why);
        return rc;
    }
    if (where.field == PT_FIELD_CONDITION)
        return fail_field(m, cv_field[where.condition], "%s", why);
    return fail(m,
                (unsigned)where.field < sizeof field_col / sizeof *field_col
                    ? field_col[where.field]
                    : -1,
                "%s", why);
}

static const char *const insert_sql[] = {
    [K_LABS] = "INSERT INTO laboratory (code, name, name_zh, role, "
               "accreditation) VALUES (?1, ?2, ?3, ?4, ?5) "
               "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
               "name_zh = excluded.name_zh, role = excluded.role, "
               "accreditation = excluded.accreditation",
    [K_ROUNDS] = "INSERT INTO round_measurand (round_id, measurand, unit, "
                 "assigned, x_pt, u_x_pt, sigma_pt, sigma_pt_basis, matrix, "
                 "estimator, sigma_pt_method, override_reason) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
};

static lims_status prepare_all(imp *m)
{
    sqlite3 *db = m->inst->db;
    sqlite3_stmt *q;
    lims_status rc;

    if ((rc = pt_seals_init(&m->seals, db, m->err, m->errlen)))
        return rc;
    if ((rc = pt_store_prepare(db,
                               m->kind == K_RESULTS
                                   ? "SELECT coalesce(max(id), 0) FROM result"
                                   : "SELECT coalesce(max(id), 0) FROM "
                                     "round_measurand",
                               &q, m->err, m->errlen)))
        return rc;
    snprintf(m->before, sizeof m->before, "%lld",
             sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0);
    sqlite3_finalize(q);
    if (m->kind == K_RESULTS) {
        m->source_size = strlen(m->name) + 24;
        if (!(m->source = malloc(m->source_size))) {
            snprintf(m->err, m->errlen, "out of memory");
            return LIMS_ERR_NOMEM;
        }
        m->writer = pt_writer_new(m->inst, import_warning, m, &rc, m->err,
                                  m->errlen);
        return rc;
    }
    if ((rc = pt_store_prepare(db, insert_sql[m->kind], &m->ins, m->err,
                               m->errlen)) ||
        (rc = pt_store_prepare(db, "SELECT id FROM laboratory WHERE code = ?1",
                               &m->lab_id, m->err, m->errlen)))
        return rc;
    return pt_store_prepare(
        db,
        "SELECT r.id, s.code, r.type, coalesce(r.title, ''), "
        "coalesce(r.provider, ''), coalesce(r.provider_accreditation, ''), "
        "r.opened, coalesce(r.closed, ''), r.reference_lab_id, r.status, "
        "coalesce(r.report_no, ''), coalesce(r.report_date, '') "
        "FROM round r JOIN scheme s ON s.id = r.scheme_id WHERE r.code = ?1",
        &m->round_q, m->err, m->errlen);
}

static lims_status one_row(imp *m)
{
    m->sum.rows++;
    return m->kind == K_LABS     ? row_labs(m)
           : m->kind == K_ROUNDS ? row_rounds(m)
                                 : row_results(m);
}

static lims_status rows(imp *m)
{
    pt_csv_status st;
    lims_status rc;
    pt_progress bar;
    size_t done, size;

    pt_csv_offset(m->csv, &done, &size);
    pt_progress_start(&bar, m->inst, "import", size);
    for (;;) {
        st = pt_csv_next(m->csv, &m->f, &m->nf, m->err, m->errlen);
        if (bar.inst) {
            pt_csv_offset(m->csv, &done, &size);
            pt_progress_step(&bar, done);
        }
        if (st == PT_CSV_END) {
            pt_progress_end(&bar);
            return LIMS_OK;
        }
        if (st != PT_CSV_OK)
            return pt_csv_lims_status(st);
        if (m->nf != m->n_header)
            return fail(m, -1, "row has %zu fields, the header has %zu",
                        m->nf, m->n_header);
        if ((m->sum.rows & 1023) == 0 && pt_core_cancelled(m->inst)) {
            snprintf(m->err, m->errlen, "%s: import cancelled", m->name);
            return LIMS_ERR_CANCELLED;
        }
        if ((rc = one_row(m)))
            return rc;
    }
}

/* The rows of m (all of a file's, or a structured call's one) in one
 * transaction: written, packed, sealed and logged, or none of them. */
static lims_status run(imp *m, lims_status (*each)(imp *m))
{
    lims_instance *inst = m->inst;
    char *err = m->err;
    size_t errlen = m->errlen;
    char detail[1024];
    int all_recorded = 0;
    lims_status rc = pt_store_begin(inst->db, err, errlen);

    if (rc)
        return rc;
    rc = prepare_all(m);
    if (!rc)
        rc = each(m);
    pt_csv_free(m->csv); /* every row read: the rest needs no text */
    m->csv = NULL;
    m->f = NULL;
    if (!rc && m->sum.rows == 0) {
        snprintf(err, errlen, "%s:2:1: no data rows", m->name);
        rc = LIMS_ERR_INPUT;
    }
    if (!rc && m->already && m->already == m->sum.rows) {
        /* recorded already, as it is: nothing is written */
        all_recorded = 1;
        rc = LIMS_ERR_CANCELLED;
    } else if (!rc && m->already && m->kind != K_LABS) {
        snprintf(err, errlen,
                 "%s:%lu:1: this row is recorded already, as it is, and "
                 "line %lu is not: a file is imported whole or is "
                 "recorded already (take the recorded rows out of it)",
                 m->name, m->line_already, m->line_new);
        rc = LIMS_ERR_INPUT;
    }
    if (!rc && m->writer)
        rc = pt_writer_finish(m->writer, &m->seals, err, errlen);
    if (!rc)
        rc = pt_void_queue_apply(m->inst, &m->voids, m->name, err, errlen);
    if (!rc) {
        snprintf(detail, sizeof detail,
                 "%s: %lu rows: %lu laboratories, %lu rounds, %lu results",
                 m->name, m->sum.rows, m->sum.laboratories, m->sum.rounds,
                 m->sum.results);
        rc = pt_seals_commit(&m->seals, m->names ? m->name : "import",
                             detail, err, errlen);
    }
    sqlite3_finalize(m->ins);
    sqlite3_finalize(m->lab_id);
    sqlite3_finalize(m->round_q);
    sqlite3_finalize(m->lab_old);
    pt_writer_free(m->writer);
    free(m->source);
    pt_seals_release(&m->seals);
    rc = pt_store_end(inst->db, rc, err, errlen);
    if (all_recorded) {
        m->sum.already = m->already;
        rc = LIMS_OK;
    }
    return rc;
}


/* The copies of codes and names an import keeps. */
static void imp_release(imp *m)
{
    size_t i;

    for (i = 0; i < m->cap_lab_codes; i++)
        free(m->lab_codes[i]);
    free(m->lab_codes);
    for (i = 0; i < m->n_cond; i++)
        free(m->cond_name[i]);
    pt_void_queue_free(&m->voids);
    sqlite3_free(m->gate_round);
}

lims_status pt_core_import_csv(lims_instance *inst, const char *path,
                               lims_import_summary *out, char *err,
                               size_t errlen)
{
    imp m;
    lims_status rc;
    pt_csv_status cs;

    memset(&m, 0, sizeof m);
    m.inst = inst;
    m.err = err;
    m.errlen = errlen;
    m.name = path;
    m.sum.size = sizeof m.sum;
    cs = pt_csv_open(path, &m.csv, err, errlen);
    if (cs != PT_CSV_OK) {
        return pt_csv_lims_status(cs);
    }
    rc = header(&m);
    if (!rc && m.record)
        rc = pt_import_record_csv(inst, m.csv, path, m.record, m.f, m.nf,
                                  &m.sum, err, errlen);
    else if (!rc)
        rc = run(&m, rows);
    pt_csv_free(m.csv);
    imp_release(&m);
    if (!rc)
        *out = m.sum;
    return rc;
}

/* A structured call: the fields named names[i] with texts[i] (NULL: not
 * given) and the conditions cv[ncv], as one row of a file of that header,
 * through the same checks and the same write path. */
static lims_status record(lims_instance *inst, const char *call,
                          const char *const *names, const char *const *texts,
                          size_t n, const lims_condition_value *cv,
                          size_t ncv, char *err, size_t errlen)
{
    pt_csv_field *f = calloc(n + ncv ? n + ncv : 1, sizeof *f);
    pt_csv_field *row = calloc(n + ncv ? n + ncv : 1, sizeof *row);
    const char **all = calloc(n + ncv ? n + ncv : 1, sizeof *all);
    lims_status rc;
    imp m;
    size_t i;

    if (!f || !row || !all) {
        free(f);
        free(row);
        free(all);
        snprintf(err, errlen, "%s: out of memory", call);
        return LIMS_ERR_NOMEM;
    }
    for (i = 0; i < n + ncv; i++) {
        const char *name = i < n ? names[i] : cv[i - n].name;
        const char *text = i < n ? texts[i] : cv[i - n].value;
        all[i] = name ? name : "";
        f[i].text = all[i];
        f[i].len = strlen(all[i]);
        row[i].text = text ? text : "";
        row[i].len = strlen(row[i].text);
        f[i].line = row[i].line = 1;
        f[i].col = row[i].col = i + 1;
    }
    memset(&m, 0, sizeof m);
    m.inst = inst;
    m.err = err;
    m.errlen = errlen;
    m.name = call;
    m.names = all;
    m.sum.size = sizeof m.sum;
    rc = columns(&m, f, n + ncv);
    if (!rc) {
        m.f = row;
        m.nf = n + ncv;
        rc = run(&m, one_row);
    }
    imp_release(&m);
    free(f);
    free(row);
    free(all);
    return rc;
}

lims_status pt_core_laboratory_add(lims_instance *inst,
                                   const lims_laboratory *l, char *err,
                                   size_t errlen)
{
    static const char *const names[] = {"lab", "name", "name_zh", "role",
                                        "accreditation"};
    const char *texts[5];

    texts[0] = l->code;
    texts[1] = l->name;
    texts[2] = l->name_zh;
    texts[3] = l->role;
    texts[4] = l->accreditation;
    return record(inst, "laboratory_add", names, texts, 5, NULL, 0, err,
                  errlen);
}

lims_status pt_core_round_add(lims_instance *inst, const lims_round *r,
                              char *err, size_t errlen)
{
    static const char *const names[] = {
        "round",          "scheme",          "measurand", "type",
        "title",          "provider",        "provider_accreditation",
        "opened",         "closed",          "reference_lab",
        "assigned",       "x_pt",            "u_x_pt",    "sigma_pt",
        "sigma_pt_basis", "matrix",          "estimator",
        "sigma_pt_method", "override_reason", "report_no", "report_date",
        "official_item",  "official_x_pt",   "official_u_x_pt",
        "official_sigma_pt", "item_matrix"};
    const char *texts[26];

    texts[0] = r->code;
    texts[1] = r->scheme;
    texts[2] = r->measurand;
    texts[3] = r->type;
    texts[4] = r->title;
    texts[5] = r->provider;
    texts[6] = r->provider_accreditation;
    texts[7] = r->opened;
    texts[8] = r->closed;
    texts[9] = r->reference_lab;
    texts[10] = r->assigned;
    texts[11] = r->x_pt;
    texts[12] = r->u_x_pt;
    texts[13] = r->sigma_pt;
    texts[14] = r->sigma_pt_basis;
    texts[15] = r->matrix;
    texts[16] = r->estimator;
    texts[17] = r->sigma_pt_method;
    texts[18] = r->override_reason;
    texts[19] = r->report_no;
    texts[20] = r->report_date;
    texts[21] = r->official_item;
    texts[22] = r->official_x_pt;
    texts[23] = r->official_u_x_pt;
    texts[24] = r->official_sigma_pt;
    texts[25] = r->item_matrix;
    return record(inst, "round_add", names, texts, 26, NULL, 0, err,
                  errlen);
}

lims_status pt_core_result_add(lims_instance *inst, const lims_result *r,
                               char *err, size_t errlen)
{
    static const char *const names[] = {
        "round", "lab",    "measurand",  "item",      "value",
        "unit",  "U",      "k",          "method",    "instrument",
        "analyst", "tested_on", "remarks", "official_score",
        "official_kind"};
    const char *texts[15];

    if (r->n_conditions && !r->conditions) {
        snprintf(err, errlen, "result_add: n_conditions without "
                              "conditions");
        return LIMS_ERR_INPUT;
    }
    texts[0] = r->round;
    texts[1] = r->lab;
    texts[2] = r->measurand;
    texts[3] = r->item;
    texts[4] = r->value;
    texts[5] = r->unit;
    texts[6] = r->U;
    texts[7] = r->k;
    texts[8] = r->method;
    texts[9] = r->instrument;
    texts[10] = r->analyst;
    texts[11] = r->tested_on;
    texts[12] = r->remarks;
    texts[13] = r->official_score;
    texts[14] = r->official_kind;
    return record(inst, "result_add", names, texts, 15, r->conditions,
                  r->n_conditions, err, errlen);
}
