/*
 * pt_sync_check.c -- every record a changeset brings is checked as an
 * import would check it, before sync apply writes it (see
 * pt_sync_check.h).
 *
 * A changeset is a file, and a file can be made by anything: one taken
 * from a branch database that sqlite3 edited may hold a value text "NaN",
 * a value of -1e300 or a unit "furlongs".  So the codes must keep
 * pt_csv_code's rules, texts pt_csv_text's, dates must exist, numbers must
 * be finite, and a result goes through its scheme's check_result, whose
 * canonical value and U must be the ones the record carries.
 *
 * Before SQLite reads a changeset at all, its bytes are walked here by the
 * changeset format (sqlite3session.c): table headers (the column count,
 * per column 0 or its place in the primary key, the name), then INSERT
 * records
 * of as many values as the table has columns, each value whole.  The
 * changeset iterator of some SQLite versions never returns on some
 * damaged files (found by tests/fuzz/fuzz_sync.c), so a file that is not
 * exactly such a changeset is refused first.
 */
#include "pt_sync_check.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pt_csv.h"
#include "pt_store.h"

/* Column i of the record as text, NULL for SQL NULL; *bad when it is
 * neither text nor NULL. */
static const char *text_at(sqlite3_changeset_iter *it, int i, int *bad)
{
    sqlite3_value *v = NULL;

    if (sqlite3changeset_new(it, i, &v) != SQLITE_OK || !v ||
        sqlite3_value_type(v) == SQLITE_NULL)
        return NULL;
    if (sqlite3_value_type(v) != SQLITE_TEXT) {
        *bad = 1;
        return NULL;
    }
    return (const char *)sqlite3_value_text(v);
}

/* Column i as a number: 0 and *out (NAN for NULL), -1 when it is not a
 * finite number. */
static int num_at(sqlite3_changeset_iter *it, int i, double *out)
{
    sqlite3_value *v = NULL;

    *out = NAN;
    if (sqlite3changeset_new(it, i, &v) != SQLITE_OK || !v ||
        sqlite3_value_type(v) == SQLITE_NULL)
        return 0;
    if (sqlite3_value_type(v) != SQLITE_FLOAT &&
        sqlite3_value_type(v) != SQLITE_INTEGER)
        return -1;
    *out = sqlite3_value_double(v);
    return isfinite(*out) ? 0 : -1;
}

typedef struct col {
    int index;
    const char *name;
    char kind; /* 'c' code, 'C' required code, 's' short text, 'l' long
                  text, 'd' date */
} col;

/* The columns of each table that are codes, texts or dates. */
static const col lab_cols[] = {{0, "code", 'C'},    {1, "name", 's'},
                               {2, "name_zh", 's'}, {3, "role", 'C'},
                               {4, "accreditation", 's'}};
static const col scheme_cols[] = {
    {0, "code", 'C'}, {1, "name_en", 's'}, {2, "name_zh", 's'}};
static const col round_cols[] = {
    {0, "code", 'C'},     {1, "scheme", 'C'},     {2, "type", 'c'},
    {3, "title", 's'},    {4, "provider", 's'},   {5, "provider_accreditation", 's'},
    {6, "opened", 'd'},   {7, "closed", 'd'},     {8, "reference_lab", 'c'},
    {9, "status", 'c'}};
static const col rm_cols[] = {
    {0, "round", 'C'},          {1, "measurand", 'C'},
    {2, "unit", 's'},           {3, "assigned", 'c'},
    {7, "sigma_pt_basis", 's'}, {8, "matrix", 's'},
    {9, "estimator", 'c'},      {10, "sigma_pt_method", 's'},
    {11, "override_reason", 'l'}};
static const col item_cols[] = {{0, "round", 'C'},
                                {1, "measurand", 'C'},
                                {2, "item", 'C'},
                                {3, "matrix", 's'}};
static const col result_cols[] = {
    {0, "round", 'C'},      {1, "lab", 'C'},         {2, "measurand", 'C'},
    {3, "item", 'C'},       {5, "value_text", 's'},  {6, "unit_text", 's'},
    {8, "U_text", 's'},     {11, "method", 's'},     {12, "instrument", 's'},
    {13, "analyst", 's'},   {14, "tested_on", 'd'},  {15, "remarks", 'l'},
    {16, "reason", 'l'},    {17, "source", 'l'}};
static const col condition_cols[] = {
    {0, "round", 'C'}, {1, "lab", 'C'},  {2, "measurand", 'C'},
    {3, "item", 'C'},  {5, "name", 'C'}, {6, "value", 's'}};

static lims_status check_cols(sqlite3_changeset_iter *it, const col *c,
                              size_t n, char *why, size_t whylen)
{
    char reason[160];
    const char *s;
    size_t i;
    int bad = 0;

    for (i = 0; i < n; i++) {
        s = text_at(it, c[i].index, &bad);
        if (bad) {
            snprintf(why, whylen, "%s is not text", c[i].name);
            return LIMS_ERR_INPUT;
        }
        if (!s || !*s) {
            if (c[i].kind == 'C') {
                snprintf(why, whylen, "%s is empty", c[i].name);
                return LIMS_ERR_INPUT;
            }
            continue;
        }
        if ((c[i].kind == 'c' || c[i].kind == 'C') &&
            pt_csv_code(s, reason, sizeof reason) != 0) {
            snprintf(why, whylen, "%s %s", c[i].name, reason);
            return LIMS_ERR_INPUT;
        }
        if ((c[i].kind == 's' || c[i].kind == 'l') &&
            pt_csv_text(s, c[i].kind == 's' ? PT_CSV_SHORT_MAX
                                            : PT_CSV_LONG_MAX,
                        c[i].kind == 's', reason, sizeof reason) != 0) {
            snprintf(why, whylen, "%s %s", c[i].name, reason);
            return LIMS_ERR_INPUT;
        }
        if (c[i].kind == 'd' && !pt_csv_is_date(s)) {
            snprintf(why, whylen, "%s \"%.20s\" is not a date", c[i].name, s);
            return LIMS_ERR_INPUT;
        }
    }
    return LIMS_OK;
}

/* The scheme of round `code` in the database, or NULL. */
static const lims_plugin *round_scheme(lims_instance *inst, const char *code)
{
    sqlite3_stmt *q = NULL;
    const lims_plugin *p = NULL;
    char err[256];

    if (!code ||
        pt_store_prepare(inst->db,
                         "SELECT s.code FROM round r JOIN scheme s ON s.id = "
                         "r.scheme_id WHERE r.code = ?1",
                         &q, err, sizeof err) != LIMS_OK)
        return NULL;
    sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW)
        p = pt_core_scheme(inst, pt_store_text(q, 0));
    sqlite3_finalize(q);
    return p;
}

static lims_status check_measurand(sqlite3_changeset_iter *it,
                                   const lims_plugin *p, char *why,
                                   size_t whylen)
{
    static const char *const names[] = {"x_pt", "u_x_pt", "sigma_pt"};
    const lims_measurand *ms;
    double v[3];
    int i, bad = 0;
    const char *m = text_at(it, 1, &bad);

    for (i = 0; i < 3; i++)
        if (num_at(it, 4 + i, &v[i]) != 0) {
            snprintf(why, whylen, "%s is not a finite number", names[i]);
            return LIMS_ERR_INPUT;
        }
    if (!isnan(v[1]) && v[1] < 0) {
        snprintf(why, whylen, "u_x_pt is negative");
        return LIMS_ERR_INPUT;
    }
    if (!isnan(v[2]) && !(v[2] > 0 && isnormal(v[2]))) {
        snprintf(why, whylen, "sigma_pt is not a positive normal number");
        return LIMS_ERR_INPUT;
    }
    if (p && m) {
        if (!(ms = pt_core_measurand(p, m))) {
            snprintf(why, whylen, "scheme %s has no measurand \"%.40s\"",
                     p->id, m);
            return LIMS_ERR_INPUT;
        }
        if (!isnan(v[0]) && v[0] < 0 && ms->min >= 0) {
            snprintf(why, whylen, "x_pt %g is negative", v[0]);
            return LIMS_ERR_INPUT;
        }
    }
    return LIMS_OK;
}

/* An item's matrix is one the scheme knows for the measurand, as the
 * rounds file's item_matrix is checked. */
static lims_status check_item_matrix(sqlite3_changeset_iter *it,
                                     const lims_plugin *p, char *why,
                                     size_t whylen)
{
    int bad = 0;
    const char *m = text_at(it, 1, &bad), *matrix = text_at(it, 3, &bad);
    const lims_measurand *ms;
    lims_limit_key k;

    if (!matrix || !*matrix) {
        snprintf(why, whylen, "matrix is empty");
        return LIMS_ERR_INPUT;
    }
    if (!p || !m)
        return LIMS_OK;
    if (!(ms = pt_core_measurand(p, m))) {
        snprintf(why, whylen, "scheme %s has no measurand \"%.40s\"", p->id,
                 m);
        return LIMS_ERR_INPUT;
    }
    memset(&k, 0, sizeof k);
    k.size = sizeof k;
    if (p->limit_key(ms->id, matrix, NULL, 0, &k, why, whylen) ==
        LIMS_ERR_INPUT)
        return LIMS_ERR_INPUT;
    return LIMS_OK;
}

static lims_status check_result(lims_instance *inst,
                                sqlite3_changeset_iter *it, char *why,
                                size_t whylen)
{
    lims_result_in in = {sizeof in, 0, 0, 0, NAN, NAN, 0, 0, 0};
    lims_result_out out = {sizeof out, NAN, NAN, NAN, LIMS_FIELD_NONE};
    const lims_plugin *p;
    double value, U, k;
    char reason[256];
    int bad = 0;

    p = round_scheme(inst, text_at(it, 0, &bad));
    if (!p) {
        snprintf(why, whylen, "its round is not here or its scheme has no "
                              "plug-in loaded");
        return LIMS_ERR_INPUT;
    }
    in.measurand = text_at(it, 2, &bad);
    in.value_text = text_at(it, 5, &bad);
    in.unit = text_at(it, 6, &bad);
    in.U_text = text_at(it, 8, &bad);
    in.method = text_at(it, 11, &bad);
    if (!in.value_text || !in.unit) {
        snprintf(why, whylen, "value_text or unit_text is empty");
        return LIMS_ERR_INPUT;
    }
    if (pt_csv_number_normal(in.value_text, &in.value, reason,
                             sizeof reason) != 0) {
        snprintf(why, whylen, "value: %s", reason);
        return LIMS_ERR_INPUT;
    }
    if (in.U_text && *in.U_text &&
        (pt_csv_number_normal(in.U_text, &in.U, reason, sizeof reason) != 0 ||
         !(in.U > 0))) {
        snprintf(why, whylen, "U \"%.40s\" is not a positive number",
                 in.U_text);
        return LIMS_ERR_INPUT;
    }
    if (num_at(it, 7, &value) != 0 || num_at(it, 9, &U) != 0 ||
        num_at(it, 10, &k) != 0) {
        snprintf(why, whylen, "value, U or k is not a finite number");
        return LIMS_ERR_INPUT;
    }
    if (!isnan(k) && !(k >= 1)) {
        snprintf(why, whylen, "k %g is below 1", k);
        return LIMS_ERR_INPUT;
    }
    in.k = k;
    if (p->check_result(&in, &out, reason, sizeof reason) != LIMS_OK) {
        snprintf(why, whylen, "%s", reason);
        return LIMS_ERR_INPUT;
    }
    if (out.value == 0)
        out.value = 0;
    if (!(value == out.value)) {
        snprintf(why, whylen,
                 "value %.17g is not what its text \"%.40s\" %s gives "
                 "(%.17g)",
                 value, in.value_text, in.unit, out.value);
        return LIMS_ERR_INPUT;
    }
    if (isnan(U) != isnan(out.U) || (!isnan(U) && !(U == out.U))) {
        snprintf(why, whylen, "U %.17g is not what its text gives (%.17g)",
                 U, out.U);
        return LIMS_ERR_INPUT;
    }
    return LIMS_OK;
}

/* A varint of the changeset format (SQLite's: 7 bits a byte, most
 * significant first, the 9th byte whole); 0 and *v, or -1 past end. */
static int varint(const unsigned char *p, size_t n, size_t *at,
                  unsigned long long *v)
{
    int i;

    *v = 0;
    for (i = 0; i < 9; i++) {
        if (*at >= n)
            return -1;
        if (i == 8) {
            *v = (*v << 8) | p[(*at)++];
            return 0;
        }
        *v = (*v << 7) | (p[*at] & 0x7f);
        if (!(p[(*at)++] & 0x80))
            return 0;
    }
    return 0;
}

int pt_sync_check_changeset(const void *blob, size_t n, char *why,
                            size_t whylen)
{
    const unsigned char *p = blob;
    unsigned long long ncol = 0, len, c;
    size_t at = 0, name;

    while (at < n) {
        if (p[at] == 'T') {
            at++;
            if (varint(p, n, &at, &ncol) || ncol < 1 || ncol > 64 ||
                n - at < ncol)
                goto bad;
            for (c = 0; c < ncol; c++) /* 0, or its place in the key */
                if (p[at++] > ncol)
                    goto bad;
            for (name = at; at < n && p[at]; at++)
                ;
            if (at >= n || at == name || at - name > 64)
                goto bad;
            at++;
            continue;
        }
        /* a record: an INSERT, direct or indirect, of a table above */
        if (!ncol || p[at] != SQLITE_INSERT || at + 1 >= n || p[at + 1] > 1) {
            snprintf(why, whylen, "byte %zu: not a record of a ptlims "
                                  "changeset (only additions are merged)",
                     at);
            return -1;
        }
        at += 2;
        for (c = 0; c < ncol; c++) {
            if (at >= n)
                goto bad;
            switch (p[at++]) {
            case SQLITE_INTEGER:
            case SQLITE_FLOAT:
                if (n - at < 8)
                    goto bad;
                at += 8;
                break;
            case SQLITE_TEXT:
            case SQLITE_BLOB:
                if (varint(p, n, &at, &len) || len > n - at)
                    goto bad;
                at += (size_t)len;
                break;
            case SQLITE_NULL:
                break;
            default:
                goto bad;
            }
        }
    }
    return 0;
bad:
    snprintf(why, whylen, "byte %zu: the changeset is damaged or cut short",
             at);
    return -1;
}

/* A time as the audit log writes it: a date, then at most a time. */
static int is_time(const char *s)
{
    char d[11];

    if (!s || strlen(s) < 10 || strlen(s) > 40)
        return 0;
    memcpy(d, s, 10);
    d[10] = 0;
    return pt_csv_is_date(d) && (!s[10] || s[10] == 'T' || s[10] == ' ');
}

/* The text s[0..n) as a code: 0, or -1 and why. */
static int code_part(const char *s, size_t n, char *why, size_t whylen)
{
    char *part;
    int rc;

    if (n == 0 || n > PT_CSV_SHORT_MAX) {
        snprintf(why, whylen, "a part of the code is empty or too long");
        return -1;
    }
    if (!(part = sqlite3_mprintf("%.*s", (int)n, s))) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    rc = pt_csv_code(part, why, whylen) ? -1 : 0;
    sqlite3_free(part);
    return rc;
}

static const col void_cols[] = {{3, "voided_by", 's'}, {4, "reason", 'l'}};

static lims_status check_void(sqlite3_changeset_iter *it, char *why,
                              size_t whylen)
{
    int bad = 0, parts = 0, want;
    const char *kind = text_at(it, 0, &bad), *code = text_at(it, 1, &bad);
    const char *at = text_at(it, 2, &bad), *reason = text_at(it, 4, &bad);
    const char *p, *slash;
    char reason_why[160];

    if (bad || !kind || !code) {
        snprintf(why, whylen, "kind or code is not text");
        return LIMS_ERR_INPUT;
    }
    want = strcmp(kind, "result") == 0 ? 4 : 1;
    if (want == 1 && strcmp(kind, "round") && strcmp(kind, "laboratory")) {
        snprintf(why, whylen, "kind \"%.20s\" is not round, result or "
                              "laboratory", kind);
        return LIMS_ERR_INPUT;
    }
    for (p = code;; p = slash + 1) {
        slash = strchr(p, '/');
        if (code_part(p, slash ? (size_t)(slash - p) : strlen(p), reason_why,
                      sizeof reason_why)) {
            snprintf(why, whylen, "code %s", reason_why);
            return LIMS_ERR_INPUT;
        }
        parts++;
        if (!slash)
            break;
    }
    if (parts != want) {
        snprintf(why, whylen, "code \"%.60s\" is not %s", code,
                 want == 4 ? "ROUND/LAB/MEASURAND/ITEM" : "one code");
        return LIMS_ERR_INPUT;
    }
    if (!is_time(at)) {
        snprintf(why, whylen, "at is not a time");
        return LIMS_ERR_INPUT;
    }
    if (!reason || !*reason) {
        snprintf(why, whylen, "reason is empty");
        return LIMS_ERR_INPUT;
    }
    return check_cols(it, void_cols, 2, why, whylen);
}

int pt_sync_amendment_item(const char *action, const char *detail,
                           const char **what, size_t *what_len,
                           const char **code, size_t *code_len,
                           const char **measurand, size_t *measurand_len)
{
    const char *p = detail, *end;
    char why[160];

    *measurand = NULL;
    *measurand_len = 0;
    if (strncmp(p, "round ", 6) == 0) {
        *what = p;
        *what_len = 5;
        p += 6;
    } else if (strcmp(action, "amend") == 0 &&
               strncmp(p, "laboratory ", 11) == 0) {
        *what = p;
        *what_len = 10;
        p += 11;
    } else {
        return -1;
    }
    for (end = p; *end && *end != ':' && *end != ' '; end++)
        ;
    if (code_part(p, (size_t)(end - p), why, sizeof why))
        return -1;
    *code = p;
    *code_len = (size_t)(end - p);
    if (strcmp(action, "reopen") == 0)
        return strncmp(end, " reopened: ", 11) == 0 ? 0 : -1;
    if (*end == ' ' && *what_len == 5) {
        p = end + 1;
        for (end = p; *end && *end != ':' && *end != ' '; end++)
            ;
        if (code_part(p, (size_t)(end - p), why, sizeof why))
            return -1;
        *measurand = p;
        *measurand_len = (size_t)(end - p);
    }
    return strncmp(end, ": ", 2) == 0 ? 0 : -1;
}

static lims_status check_amendment(sqlite3_changeset_iter *it, char *why,
                                   size_t whylen)
{
    static const col cols[] = {{2, "detail", 'l'}};
    int bad = 0;
    const char *at = text_at(it, 0, &bad), *action = text_at(it, 1, &bad);
    const char *detail = text_at(it, 2, &bad), *w, *c, *m;
    size_t wl, cl, ml;

    if (bad || !is_time(at)) {
        snprintf(why, whylen, "at is not a time");
        return LIMS_ERR_INPUT;
    }
    if (!action || (strcmp(action, "amend") && strcmp(action, "reopen"))) {
        snprintf(why, whylen, "action is not amend or reopen");
        return LIMS_ERR_INPUT;
    }
    if (check_cols(it, cols, 1, why, whylen))
        return LIMS_ERR_INPUT;
    if (!detail || pt_sync_amendment_item(action, detail, &w, &wl, &c, &cl,
                                          &m, &ml)) {
        snprintf(why, whylen, "detail does not name a round or a "
                              "laboratory as %s does", action);
        return LIMS_ERR_INPUT;
    }
    return LIMS_OK;
}

lims_status pt_sync_check_record(lims_instance *inst, const char *table,
                                 sqlite3_changeset_iter *it, char *why,
                                 size_t whylen)
{
    lims_status rc;
    int bad = 0;

#define COLS(a) (a), sizeof(a) / sizeof((a)[0])
    if (strcmp(table, "sync_laboratory") == 0)
        return check_cols(it, COLS(lab_cols), why, whylen);
    if (strcmp(table, "sync_scheme") == 0)
        return check_cols(it, COLS(scheme_cols), why, whylen);
    if (strcmp(table, "sync_round") == 0)
        return check_cols(it, COLS(round_cols), why, whylen);
    if (strcmp(table, "sync_round_measurand") == 0) {
        if ((rc = check_cols(it, COLS(rm_cols), why, whylen)))
            return rc;
        return check_measurand(it, round_scheme(inst, text_at(it, 0, &bad)),
                               why, whylen);
    }
    if (strcmp(table, "sync_round_item") == 0) {
        if ((rc = check_cols(it, COLS(item_cols), why, whylen)))
            return rc;
        return check_item_matrix(it, round_scheme(inst, text_at(it, 0, &bad)),
                                 why, whylen);
    }
    if (strcmp(table, "sync_result") == 0) {
        if ((rc = check_cols(it, COLS(result_cols), why, whylen)))
            return rc;
        return check_result(inst, it, why, whylen);
    }
    if (strcmp(table, "sync_result_condition") == 0)
        return check_cols(it, COLS(condition_cols), why, whylen);
    if (strcmp(table, "sync_void") == 0)
        return check_void(it, why, whylen);
    if (strcmp(table, "sync_amendment") == 0)
        return check_amendment(it, why, whylen);
#undef COLS
    return LIMS_OK;
}
