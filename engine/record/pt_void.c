/*
 * pt_void.c -- voiding an item recorded by mistake: a round, a result, a
 * laboratory, a corrective action or a plan row (lims_engine.amend with
 * the one field "void"; table voided, schema 012).
 *
 * Nothing is deleted.  The item stays as it was recorded and one row of
 * `voided` per row voided says who voided it, when (the time of the audit
 * entry the void appends) and why; a result is voided with every version
 * it has.  From then on the item counts nowhere: the result packs are
 * made again without a voided result (so the round's evaluation goes
 * stale and the next one leaves it out), the score view leaves out voided
 * results and rounds, a voided round is neither evaluated nor closed, and
 * voided actions and plan rows leave the workbook and the status.  An
 * item is voided once.  A round that is closed is reopened first, as for
 * every other change to it; a laboratory is voided only once nothing that
 * counts names it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_core.h"
#include "pt_lifecycle.h"
#include "pt_pack.h"
#include "pt_store.h"
#include "pt_suggest.h"

/* The rows one void marks. */
typedef struct target {
    const char *kind; /* voided.kind */
    long long *ids;
    size_t n, cap;
    long long round_id; /* the round it belongs to, 0 when none */
    char *label;        /* "result of lab TC-BR in round …", for messages */
} target;

static lims_status no_memory(char *err, size_t errlen)
{
    snprintf(err, errlen, "void: out of memory");
    return LIMS_ERR_NOMEM;
}

static lims_status add_id(target *t, long long id, char *err, size_t errlen)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 4;
        long long *p = realloc(t->ids, cap * sizeof *p);
        if (!p)
            return no_memory(err, errlen);
        t->ids = p;
        t->cap = cap;
    }
    t->ids[t->n++] = id;
    return LIMS_OK;
}

static lims_status db_fail(sqlite3 *db, char *err, size_t errlen)
{
    snprintf(err, errlen, "void: %s", sqlite3_errmsg(db));
    return LIMS_ERR_DB;
}

/* A decimal id ("12") of a corrective action or a plan row. */
static int parse_id(const char *s, long long *id)
{
    char *end;
    long long v;

    if (!s || *s < '1' || *s > '9')
        return 0;
    v = strtoll(s, &end, 10);
    if (*end || v <= 0)
        return 0;
    *id = v;
    return 1;
}

/* The round's id and whether it is closed; an unknown code names the
 * nearest one. */
static lims_status find_round(sqlite3 *db, const char *code, long long *id,
                              int *closed, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    char msg[768];
    lims_status rc = pt_store_prepare(
        db, "SELECT id, status FROM round WHERE code = ?1", &q, err, errlen);

    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        *closed = strcmp(pt_store_text(q, 1), "closed") == 0;
    } else {
        pt_suggest_unknown(db, PT_CODE_ROUND, code, NULL, msg, sizeof msg);
        snprintf(err, errlen, "void: %s", msg);
        rc = LIMS_ERR_INPUT;
    }
    sqlite3_finalize(q);
    return rc;
}

/* Every version of the result ROUND/LAB/MEASURAND[/ITEM] (item "1" when
 * not given).  Codes may hold '/': the key is matched as a whole. */
static lims_status find_result(sqlite3 *db, const char *code, target *t,
                               char *err, size_t errlen)
{
    sqlite3_stmt *q;
    char msg[1024];
    const char *slash = strchr(code, '/');
    long long round_id = 0;
    lims_status rc = pt_store_prepare(
        db,
        "SELECT x.id, x.round_id, x.lab_id, r.code, l.code, x.measurand, "
        "x.item FROM result x JOIN round r ON r.id = x.round_id JOIN "
        "laboratory l ON l.id = x.lab_id WHERE r.code || '/' || l.code || "
        "'/' || x.measurand || '/' || x.item = ?1 OR (x.item = '1' AND "
        "r.code || '/' || l.code || '/' || x.measurand = ?1) ORDER BY "
        "x.round_id, x.lab_id, x.measurand, x.item, x.version",
        &q, err, errlen);
    int st, keys = 0;
    char *last = NULL;

    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
    while (!rc && (st = sqlite3_step(q)) == SQLITE_ROW) {
        char *key = sqlite3_mprintf("%s\t%s\t%s\t%s", pt_store_text(q, 3),
                                    pt_store_text(q, 4), pt_store_text(q, 5),
                                    pt_store_text(q, 6));
        if (!key) {
            rc = no_memory(err, errlen);
            break;
        }
        if (!last || strcmp(last, key) != 0) {
            keys++;
            sqlite3_free(t->label);
            t->label = sqlite3_mprintf(
                "result of lab %s in round %s %s item %s",
                pt_store_text(q, 4), pt_store_text(q, 3),
                pt_store_text(q, 5), pt_store_text(q, 6));
            if (!t->label)
                rc = no_memory(err, errlen);
        }
        sqlite3_free(last);
        last = key;
        round_id = sqlite3_column_int64(q, 1);
        if (!rc && keys == 1)
            rc = add_id(t, sqlite3_column_int64(q, 0), err, errlen);
    }
    sqlite3_free(last);
    sqlite3_finalize(q);
    if (rc)
        return rc;
    if (keys > 1) {
        snprintf(err, errlen, "void: result \"%s\" names %d results: write "
                              "ROUND/LAB/MEASURAND/ITEM in full",
                 code, keys);
        return LIMS_ERR_INPUT;
    }
    if (keys == 0) {
        /* the round part is the likeliest mistake: name it first */
        char *round = slash ? sqlite3_mprintf("%.*s", (int)(slash - code),
                                              code)
                            : NULL;
        long long id;
        int closed;
        lims_status known =
            slash && round ? find_round(db, round, &id, &closed, msg,
                                        sizeof msg)
                           : LIMS_OK;
        sqlite3_free(round);
        if (known == LIMS_OK)
            pt_suggest_unknown(db, PT_CODE_RESULT, code,
                               " (write ROUND/LAB/MEASURAND/ITEM as ptlims "
                               "results lists it)",
                               msg, sizeof msg);
        snprintf(err, errlen, "%s%s", known == LIMS_OK ? "void: " : "",
                 msg);
        return known == LIMS_OK ? LIMS_ERR_INPUT : known;
    }
    t->round_id = round_id;
    return LIMS_OK;
}

/* How many results that count, or rounds that are not voided, name
 * laboratory lab_id. */
static lims_status lab_in_use(sqlite3 *db, long long lab_id, long long *n,
                              long long *ref, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        db,
        "SELECT (SELECT count(*) FROM result x WHERE x.lab_id = ?1 AND NOT "
        "EXISTS (SELECT 1 FROM voided v WHERE v.kind = 'result' AND "
        "v.row_id = x.id) AND NOT EXISTS (SELECT 1 FROM voided v WHERE "
        "v.kind = 'round' AND v.row_id = x.round_id)), (SELECT count(*) "
        "FROM round r WHERE r.reference_lab_id = ?1 AND NOT EXISTS (SELECT "
        "1 FROM voided v WHERE v.kind = 'round' AND v.row_id = r.id))",
        &q, err, errlen);

    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, lab_id);
    if (sqlite3_step(q) != SQLITE_ROW)
        rc = db_fail(db, err, errlen);
    else {
        *n = sqlite3_column_int64(q, 0);
        *ref = sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    return rc;
}

/* One row of a table by id: LIMS_OK when it is there. */
static lims_status row_exists(sqlite3 *db, const char *sql, long long id,
                              int *found, char *err, size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(db, sql, &q, err, errlen);

    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, id);
    *found = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return LIMS_OK;
}

/* What a void is about: the rows it marks. */
static lims_status find_target(lims_instance *inst, const lims_amendment *a,
                               target *t, char *err, size_t errlen)
{
    sqlite3 *db = inst->db;
    long long id = 0, n = 0, ref = 0;
    int closed = 0, found = 0;
    lims_status rc;

    if (strcmp(a->what, "round") == 0) {
        t->kind = "round";
        if ((rc = find_round(db, a->code, &id, &closed, err, errlen)))
            return rc;
        t->round_id = id;
        if (!(t->label = sqlite3_mprintf("round %s", a->code)))
            return no_memory(err, errlen);
        return add_id(t, id, err, errlen);
    }
    if (strcmp(a->what, "result") == 0) {
        t->kind = "result";
        return find_result(db, a->code, t, err, errlen);
    }
    if (strcmp(a->what, "laboratory") == 0) {
        t->kind = "laboratory";
        if ((rc = pt_store_lab_id(db, a->code, "void", &id, err, errlen)) ||
            (rc = lab_in_use(db, id, &n, &ref, err, errlen)))
            return rc;
        if (n || ref) {
            snprintf(err, errlen,
                     "void: laboratory %s still counts: %lld result%s and "
                     "%lld round%s naming it as the reference laboratory "
                     "(void those first)",
                     a->code, n, n == 1 ? "" : "s", ref,
                     ref == 1 ? "" : "s");
            return LIMS_ERR_STATE;
        }
        if (!(t->label = sqlite3_mprintf("laboratory %s", a->code)))
            return no_memory(err, errlen);
        return add_id(t, id, err, errlen);
    }
    /* a corrective action or a plan row, by its id */
    t->kind = strcmp(a->what, "capa") == 0 ? "capa" : "plan";
    if (!parse_id(a->code, &id)) {
        snprintf(err, errlen, "void: %s \"%s\" is not an id (ptlims %s "
                              "list shows them)",
                 t->kind, a->code, t->kind);
        return LIMS_ERR_INPUT;
    }
    rc = row_exists(db,
                    t->kind[0] == 'c'
                        ? "SELECT 1 FROM corrective_action WHERE id = ?1"
                        : "SELECT 1 FROM pt_plan WHERE id = ?1",
                    id, &found, err, errlen);
    if (!rc && !found) {
        snprintf(err, errlen, "void: no %s %lld (ptlims %s list shows them)",
                 t->kind[0] == 'c' ? "corrective action" : "plan row", id,
                 t->kind);
        rc = LIMS_ERR_INPUT;
    }
    if (rc)
        return rc;
    if (!(t->label = sqlite3_mprintf("%s %lld",
                                     t->kind[0] == 'c' ? "corrective action"
                                                       : "plan row",
                                     id)))
        return no_memory(err, errlen);
    return add_id(t, id, err, errlen);
}

/* LIMS_ERR_STATE when the target is voided already, naming when, by whom
 * and why. */
static lims_status voided_before(sqlite3 *db, const target *t, char *err,
                                 size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc = pt_store_prepare(
        db,
        "SELECT at, coalesce(voided_by, 'someone unnamed'), reason FROM "
        "voided WHERE kind = ?1 AND row_id = ?2",
        &q, err, errlen);

    if (rc)
        return rc;
    sqlite3_bind_text(q, 1, t->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, t->ids[0]);
    if (sqlite3_step(q) == SQLITE_ROW) {
        snprintf(err, errlen, "void: %s was voided on %s by %s: %s",
                 t->label, pt_store_text(q, 0), pt_store_text(q, 1),
                 pt_store_text(q, 2));
        rc = LIMS_ERR_STATE;
    }
    sqlite3_finalize(q);
    return rc;
}

/* The round a voided round or result belongs to must be open. */
static lims_status round_open(sqlite3 *db, const target *t, char *err,
                              size_t errlen)
{
    sqlite3_stmt *q;
    lims_status rc;

    if (!t->round_id)
        return LIMS_OK;
    if ((rc = pt_store_prepare(db,
                               "SELECT code, status FROM round WHERE id = ?1",
                               &q, err, errlen)))
        return rc;
    sqlite3_bind_int64(q, 1, t->round_id);
    if (sqlite3_step(q) == SQLITE_ROW &&
        strcmp(pt_store_text(q, 1), "closed") == 0) {
        snprintf(err, errlen,
                 "void: round %s is closed (ptlims reopen %s --reason TEXT "
                 "opens it again)",
                 pt_store_text(q, 0), pt_store_text(q, 0));
        rc = LIMS_ERR_STATE;
    }
    sqlite3_finalize(q);
    return rc;
}

/* The voided rows, each pointing at the audit entry just appended, at
 * that entry's time unless `at` gives it. */
static lims_status mark(sqlite3 *db, const target *t, const char *by,
                        const char *reason, const char *at, char *err,
                        size_t errlen)
{
    sqlite3_stmt *q;
    size_t i;
    lims_status rc = pt_store_prepare(
        db,
        "INSERT INTO voided (kind, row_id, at, voided_by, reason, audit_id) "
        "SELECT ?1, ?2, coalesce(?5, at), ?3, ?4, id FROM audit_log ORDER "
        "BY id DESC LIMIT 1",
        &q, err, errlen);

    if (rc)
        return rc;
    for (i = 0; i < t->n && !rc; i++) {
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, t->kind, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, t->ids[i]);
        pt_store_bind_text(q, 3, by);
        sqlite3_bind_text(q, 4, reason, -1, SQLITE_STATIC);
        pt_store_bind_text(q, 5, at);
        if (sqlite3_step(q) != SQLITE_DONE)
            rc = db_fail(db, err, errlen);
    }
    sqlite3_finalize(q);
    return rc;
}

lims_status pt_void_in_tx(lims_instance *inst, const lims_amendment *a,
                          const char *at, char *err, size_t errlen)
{
    sqlite3 *db = inst->db;
    target t;
    char *detail = NULL;
    lims_status rc;

    memset(&t, 0, sizeof t);
    rc = find_target(inst, a, &t, err, errlen);
    if (!rc)
        rc = voided_before(db, &t, err, errlen);
    if (!rc)
        rc = round_open(db, &t, err, errlen);
    if (!rc && !(detail = sqlite3_mprintf(
                     "%s voided: %s%s%s%s", t.label, a->reason,
                     a->by && *a->by ? " (by " : "",
                     a->by && *a->by ? a->by : "",
                     a->by && *a->by ? ")" : "")))
        rc = no_memory(err, errlen);
    if (!rc)
        rc = pt_store_audit(db, "void", detail, err, errlen);
    if (!rc)
        rc = mark(db, &t, a->by, a->reason, at, err, errlen);
    /* the packs leave the result out only once it is marked */
    if (!rc && strcmp(t.kind, "result") == 0)
        rc = pt_packs_rebuild(db, t.round_id, err, errlen);
    sqlite3_free(detail);
    sqlite3_free(t.label);
    free(t.ids);
    return rc;
}

lims_status pt_void_queue_add(pt_void_queue *q, const char *kind,
                              const char *code, const char *at,
                              const char *by, const char *reason,
                              unsigned long line)
{
    struct pt_void_item *v;
    size_t i;

    for (i = q->n; i-- > 0;)
        if (strcmp(q->items[i].kind, kind) == 0 &&
            strcmp(q->items[i].code, code) == 0)
            return LIMS_OK;
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 8;
        if (!(v = realloc(q->items, cap * sizeof *v)))
            return LIMS_ERR_NOMEM;
        q->items = v;
        q->cap = cap;
    }
    v = &q->items[q->n++];
    v->kind = kind;
    v->line = line;
    v->code = sqlite3_mprintf("%s", code);
    v->at = sqlite3_mprintf("%s", at);
    v->by = sqlite3_mprintf("%s", by ? by : "");
    v->reason = sqlite3_mprintf("%s", reason);
    return v->code && v->at && v->by && v->reason ? LIMS_OK : LIMS_ERR_NOMEM;
}

lims_status pt_void_queue_apply(lims_instance *inst, const pt_void_queue *q,
                                const char *name, char *err, size_t errlen)
{
    static const char *const field[] = {"void"};
    static const char *const value[] = {""};
    lims_amendment a;
    char why[768];
    lims_status rc = LIMS_OK;
    size_t i;

    for (i = 0; i < q->n && !rc; i++) {
        memset(&a, 0, sizeof a);
        a.size = sizeof a;
        a.what = q->items[i].kind;
        a.code = q->items[i].code;
        a.fields = field;
        a.values = value;
        a.n_fields = 1;
        a.reason = q->items[i].reason;
        a.by = *q->items[i].by ? q->items[i].by : NULL;
        rc = pt_void_in_tx(inst, &a, q->items[i].at, why, sizeof why);
        if (rc)
            snprintf(err, errlen, "%s:%lu: %s", name, q->items[i].line, why);
    }
    return rc;
}

void pt_void_queue_free(pt_void_queue *q)
{
    size_t i;

    for (i = 0; i < q->n; i++) {
        sqlite3_free(q->items[i].code);
        sqlite3_free(q->items[i].at);
        sqlite3_free(q->items[i].by);
        sqlite3_free(q->items[i].reason);
    }
    free(q->items);
    memset(q, 0, sizeof *q);
}
