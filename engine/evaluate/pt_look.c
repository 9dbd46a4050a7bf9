/*
 * pt_look.c -- looking at the record without SQL (lims_engine.look): the
 * rounds, a round's settings and evaluation, results with their scores
 * and warnings, the audit trail, and what needs attention.
 *
 * Each list is one query whose column names are the names every list and
 * every command's JSON uses for the same thing (round, lab, measurand,
 * item, value_text, unit, x_pt, verdict ...); a row goes to the caller as
 * cells typed as SQLite gives them.  Filters are bound as parameters
 * ?1 round, ?2 lab, ?3 measurand, ?4 scheme, ?5 from, ?6 to, ?7 status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_core.h"
#include "pt_lifecycle.h"
#include "pt_store.h"
#include "pt_suggest.h"

#define LATEST(x)                                                            \
    "NOT EXISTS (SELECT 1 FROM result n WHERE n.round_id = " x ".round_id " \
    "AND n.lab_id = " x ".lab_id AND n.measurand = " x ".measurand AND "    \
    "n.item = " x ".item AND n.version > " x ".version)"

/* Why item x of kind k counts no more, or NULL (schema 012). */
#define VOIDED(k, x)                                                         \
    "(SELECT 'voided ' || v.at || coalesce(' by ' || v.voided_by, '') || "   \
    "': ' || v.reason FROM voided v WHERE v.kind = '" k "' AND v.row_id = " \
    x ")"
#define COUNTS(k, x)                                                         \
    "NOT EXISTS (SELECT 1 FROM voided v WHERE v.kind = '" k "' AND "         \
    "v.row_id = " x ")"

static const struct list {
    const char *what, *sql;
} lists[] = {
    {"rounds",
     "SELECT r.code AS round, s.code AS scheme, r.type, r.title, r.opened, "
     "r.closed, r.status, l.code AS reference_lab, (SELECT count(DISTINCT "
     "lab_id) FROM result WHERE round_id = r.id) AS laboratories, (SELECT "
     "count(*) FROM result x WHERE x.round_id = r.id AND " LATEST("x")
     ") AS results, EXISTS (SELECT 1 FROM evaluation e WHERE e.round_id = "
     "r.id) AS evaluated, " VOIDED("round", "r.id") " AS voided, "
     "r.id AS round_id "
     "FROM round r JOIN scheme s ON s.id = r.scheme_id LEFT JOIN laboratory "
     "l ON l.id = r.reference_lab_id WHERE (?1 IS NULL OR r.code = ?1) AND "
     "(?4 IS NULL OR s.code = ?4) AND (?5 IS NULL OR r.opened >= ?5) AND "
     "(?6 IS NULL OR r.opened <= ?6) AND (?7 IS NULL OR r.status = ?7) "
     "ORDER BY r.opened, r.code"},
    {"round",
     "SELECT r.code AS round, m.measurand, m.unit, m.assigned, m.x_pt, "
     "m.u_x_pt, m.sigma_pt, m.sigma_pt_basis, m.matrix FROM round_measurand "
     "m JOIN round r ON r.id = m.round_id WHERE r.code = ?1 "
     "ORDER BY m.measurand"},
    {"evaluations",
     "SELECT r.code AS round, e.measurand, e.item, e.n, e.assigned, e.x_pt, "
     "e.u_x_pt, e.sigma_pt, e.sigma_pt_basis, e.iterations, e.reason, "
     "e.engine FROM evaluation e JOIN round r ON r.id = e.round_id WHERE "
     "r.code = ?1 ORDER BY e.measurand, e.item"},
    {"official",
     "SELECT r.code AS round, r.report_no, r.report_date, e.measurand, "
     "e.item, o.x_pt AS official_x_pt, e.x_pt, o.u_x_pt AS "
     "official_u_x_pt, e.u_x_pt, o.sigma_pt AS official_sigma_pt, "
     "e.sigma_pt FROM evaluation e JOIN round r ON r.id = e.round_id LEFT "
     "JOIN round_official o ON o.id = (SELECT id FROM round_official WHERE "
     "round_id = e.round_id AND measurand = e.measurand AND item IN "
     "(e.item, '') ORDER BY item DESC LIMIT 1) WHERE r.code = ?1 AND "
     "(o.id IS NOT NULL OR r.report_no IS NOT NULL OR r.report_date IS NOT "
     "NULL) ORDER BY e.measurand, e.item"},
    {"official_scores",
     "SELECT r.code AS round, l.code AS lab, x.measurand, x.item, "
     "x.version, x.official_kind, x.official_score, CASE x.official_kind "
     "WHEN 'En' THEN s.En WHEN 'z' THEN s.z WHEN 'z''' THEN s.z_prime "
     "WHEN 'zeta' THEN s.zeta END AS recomputed FROM result x JOIN round r "
     "ON r.id = x.round_id JOIN laboratory l ON l.id = x.lab_id LEFT JOIN "
     "score s ON s.result_id = x.id WHERE r.code = ?1 AND "
     "x.official_score IS NOT NULL AND (?2 IS NULL OR l.code = ?2) ORDER "
     "BY x.measurand, x.item, l.code, x.version"},
    {"results",
     "SELECT r.code AS round, l.code AS lab, x.measurand, x.item, "
     "coalesce((SELECT i.matrix FROM round_item i WHERE i.round_id = "
     "x.round_id AND i.measurand = x.measurand AND i.item = x.item), (SELECT "
     "m.matrix FROM round_measurand m WHERE m.round_id = x.round_id AND "
     "m.measurand = x.measurand)) AS matrix, "
     "x.version, x.value_text, x.unit_text, x.value, (SELECT m.unit FROM "
     "round_measurand m WHERE m.round_id = x.round_id AND m.measurand = "
     "x.measurand) AS unit, x.U, x.k, "
     "x.method, x.tested_on, x.reason, NOT " LATEST("x") " AS superseded, "
     "CASE s.primary_score WHEN 'z''' THEN 'z_prime' ELSE "
     "s.primary_score END AS scored_by, CASE s.primary_score WHEN 'En' THEN "
     "s.En WHEN 'z' THEN s.z WHEN 'z''' THEN s.z_prime WHEN 'zeta' THEN "
     "s.zeta END AS score, s.verdict AS class, c.verdict AS conformity, (SELECT "
     "group_concat(w.message, '; ') FROM result_warning w WHERE "
     "w.result_id = x.id) AS warnings, coalesce(" VOIDED("result", "x.id")
     ", 'round ' || " VOIDED("round", "r.id") ") AS voided "
     "FROM result x JOIN round r ON r.id = "
     "x.round_id JOIN laboratory l ON l.id = x.lab_id LEFT JOIN score s ON "
     "s.result_id = x.id LEFT JOIN conformity c ON c.result_id = x.id "
     "WHERE (?1 IS NULL OR r.code = ?1) AND (?2 IS NULL OR l.code = ?2) "
     "AND (?3 IS NULL OR x.measurand = ?3) ORDER BY r.opened, r.code, "
     "x.measurand, x.item, l.code, x.version"},
    {"history",
     "SELECT a.id AS entry, a.at, a.action, a.detail FROM audit_log a "
     "WHERE (?1 IS NULL OR a.id IN (SELECT s.audit_id FROM seal s JOIN "
     "round r ON r.id = s.round_id WHERE r.code = ?1) OR instr(a.detail, "
     "'round ' || ?1) > 0 OR instr(a.detail, ?1 || ' ') = 1) AND (?2 IS "
     "NULL OR instr(' ' || replace(a.detail, ':', ' ') || ' ', ' ' || ?2 || "
     "' ') > 0) AND "
     "(a.tbl IS NULL OR a.tbl = 'seal') ORDER BY a.id"},
    {"warnings",
     "SELECT r.code AS round, l.code AS lab, x.measurand, x.item, "
     "x.version, w.message AS warning FROM result_warning w JOIN result x "
     "ON x.id = w.result_id JOIN round r ON r.id = x.round_id JOIN "
     "laboratory l ON l.id = x.lab_id WHERE (?1 IS NULL OR r.code = ?1) "
     "AND (?2 IS NULL OR l.code = ?2) ORDER BY r.opened, r.code, "
     "x.measurand, x.item, l.code, x.version, w.id"},
    {"status",
     /* the plan's cycles (schema 003): a cycle is the year when per_year
      * >= 1 (ceil(per_year) rounds due), else ceil(1 / per_year) years
      * from year_from (one round due), as the workbook's PT plan sheet
      * counts them; a gap is a cycle that ended before this year short
      * of its rounds */
     "WITH RECURSIVE plen(id, len, req) AS (SELECT id, CASE WHEN 1.0 / "
     "per_year - 1e-9 > CAST(1.0 / per_year - 1e-9 AS INTEGER) THEN "
     "CAST(1.0 / per_year - 1e-9 AS INTEGER) + 1 ELSE CAST(1.0 / per_year "
     "- 1e-9 AS INTEGER) END, CASE WHEN per_year - 1e-9 > CAST(per_year - "
     "1e-9 AS INTEGER) THEN CAST(per_year - 1e-9 AS INTEGER) + 1 ELSE "
     "CAST(per_year - 1e-9 AS INTEGER) END FROM pt_plan), "
     "cyc(plan_id, cfrom) AS (SELECT id, year_from FROM pt_plan UNION ALL "
     "SELECT c.plan_id, c.cfrom + CASE WHEN l.len > 1 THEN l.len ELSE 1 END "
     "FROM cyc c JOIN plen l ON l.id = c.plan_id JOIN pt_plan p ON p.id = "
     "c.plan_id WHERE c.cfrom + CASE WHEN l.len > 1 THEN l.len ELSE 1 END "
     "<= p.year_to), "
     "gap(plan_id, cfrom, cto, req, taken) AS (SELECT c.plan_id, c.cfrom, "
     "c.cfrom + CASE WHEN l.len > 1 THEN l.len ELSE 1 END - 1, CASE WHEN "
     "l.len > 1 THEN 1 ELSE l.req END, (SELECT count(*) FROM round ro JOIN "
     "scheme sc ON sc.id = ro.scheme_id WHERE sc.code = p.scheme AND "
     "CAST(substr(ro.opened, 1, 4) AS INTEGER) BETWEEN c.cfrom AND "
     "min(c.cfrom + CASE WHEN l.len > 1 THEN l.len ELSE 1 END - 1, "
     "p.year_to) AND " COUNTS("round", "ro.id") " AND EXISTS (SELECT 1 "
     "FROM result r WHERE r.round_id = ro.id AND r.lab_id = p.lab_id AND "
     COUNTS("result", "r.id") " AND (p.measurand IS NULL OR "
     "substr(r.measurand, 1, length(p.measurand)) = p.measurand) AND "
     "(p.method IS NULL OR substr(coalesce(r.method, ''), 1, "
     "length(p.method)) = p.method))) FROM cyc c JOIN plen l ON l.id = "
     "c.plan_id JOIN pt_plan p ON p.id = c.plan_id) "
     "SELECT 'signal without action' AS kind, r.code AS round, l.code AS "
     "lab, x.measurand || ', item ' || x.item || ': ' || s.verdict || "
     "' (ptlims capa add)' AS detail FROM score s JOIN result x ON x.id = "
     "s.result_id JOIN round r ON r.id = x.round_id JOIN laboratory l ON "
     "l.id = x.lab_id WHERE s.verdict IN ('questionable', 'unsatisfactory') "
     "AND NOT EXISTS (SELECT 1 FROM corrective_action c JOIN result y ON "
     "y.id = c.result_id WHERE y.round_id = x.round_id AND y.lab_id = "
     "x.lab_id AND y.measurand = x.measurand AND y.item = x.item) AND (?2 "
     "IS NULL OR l.code = ?2) "
     "UNION ALL SELECT 'overdue action', coalesce(r.code, '-'), l.code, "
     "'corrective action ' || c.id || ' was due ' || c.due || ': ' || "
     "coalesce(c.action, '') FROM corrective_action c LEFT JOIN result x ON "
     "x.id = c.result_id LEFT JOIN round r ON r.id = x.round_id LEFT JOIN "
     "pt_plan p ON p.id = c.plan_id JOIN laboratory l ON l.id = "
     "coalesce(x.lab_id, p.lab_id) WHERE c.closed IS NULL AND c.due < "
     "date('now') AND " COUNTS("capa", "c.id") " AND (x.id IS NULL OR "
     COUNTS("result", "x.id") ") AND (r.id IS NULL OR " COUNTS("round",
     "r.id") ") AND (p.id IS NULL OR " COUNTS("plan", "p.id") ") AND (?2 IS "
     "NULL OR l.code = ?2) "
     "UNION ALL SELECT 'plan gap without action', '-', l.code, 'plan row ' "
     "|| p.id || ' (' || p.technique || ' / ' || p.property || ' / ' || "
     "p.product || '), ' || g.cfrom || CASE WHEN g.cto > g.cfrom THEN '-' "
     "|| g.cto ELSE '' END || ': ' || g.taken || ' of ' || g.req || ' "
     "rounds (ptlims capa add --plan ' || p.id || ' --year ' || g.cfrom || "
     "')' FROM gap g JOIN pt_plan p ON p.id = g.plan_id JOIN laboratory l "
     "ON l.id = p.lab_id WHERE g.taken < g.req AND g.cto < CAST(strftime("
     "'%Y', 'now') AS INTEGER) AND " COUNTS("plan", "p.id") " AND NOT "
     "EXISTS (SELECT 1 FROM corrective_action c WHERE c.plan_id = p.id AND "
     "c.plan_year BETWEEN g.cfrom AND g.cto AND " COUNTS("capa", "c.id")
     ") AND (?2 IS NULL OR l.code = ?2) "
     "ORDER BY 1, 2, 3"},
};

typedef struct looker {
    lims_cell *cells;
    size_t cap;
} looker;

/* The cells of the current row of q (the last `hide` columns left out),
 * with room for `extra` more. */
static lims_status row_cells(looker *k, sqlite3_stmt *q, int hide,
                             size_t extra, size_t *n, char *err,
                             size_t errlen)
{
    int i, cols = sqlite3_column_count(q) - hide;
    lims_cell *c;

    if ((size_t)cols + extra > k->cap) {
        c = realloc(k->cells, ((size_t)cols + extra) * sizeof *c);
        if (!c) {
            snprintf(err, errlen, "look: out of memory");
            return LIMS_ERR_NOMEM;
        }
        k->cells = c;
        k->cap = (size_t)cols + extra;
    }
    for (i = 0; i < cols; i++) {
        c = &k->cells[i];
        c->name = sqlite3_column_name(q, i);
        c->text = pt_store_text(q, i);
        c->number = sqlite3_column_double(q, i);
        switch (sqlite3_column_type(q, i)) {
        case SQLITE_NULL:
            c->type = LIMS_CELL_NULL;
            break;
        case SQLITE_INTEGER:
            c->type = LIMS_CELL_INTEGER;
            break;
        case SQLITE_FLOAT:
            c->type = LIMS_CELL_REAL;
            break;
        default:
            c->type = LIMS_CELL_TEXT;
            break;
        }
    }
    *n = (size_t)cols;
    return LIMS_OK;
}

typedef struct stale_rows {
    lims_look_cb cb;
    void *ctx;
    const char *round;
    int stopped;
} stale_rows;

static int stale_row(void *ctx, const char *reason)
{
    stale_rows *s = ctx;
    lims_cell c[4] = {
        {"kind", LIMS_CELL_TEXT, "stale evaluation", 0},
        {"round", LIMS_CELL_TEXT, s->round, 0},
        {"lab", LIMS_CELL_NULL, "", 0},
        {"detail", LIMS_CELL_TEXT, reason, 0}};

    return s->stopped = s->cb(s->ctx, c, 4);
}

/* status: first the open rounds whose evaluation is stale or missing. */
static lims_status stale_rounds(lims_instance *inst, lims_look_cb cb,
                                void *ctx, int *stopped, char *err,
                                size_t errlen)
{
    sqlite3_stmt *q;
    stale_rows s = {cb, ctx, NULL, 0};
    lims_status rc = pt_store_prepare(
        inst->db,
        "SELECT id, code FROM round WHERE status = 'open' AND " COUNTS(
            "round", "round.id") " ORDER BY opened, code",
        &q, err, errlen);

    if (rc)
        return rc;
    while (!rc && !s.stopped && sqlite3_step(q) == SQLITE_ROW) {
        s.round = pt_store_text(q, 1);
        rc = pt_stale_round(inst->db, sqlite3_column_int64(q, 0), stale_row,
                            &s, NULL, err, errlen);
    }
    sqlite3_finalize(q);
    *stopped = s.stopped;
    return rc;
}

/* The round and laboratory a request names must be recorded. */
static lims_status known_codes(lims_instance *inst,
                               const lims_look_request *r, char *err,
                               size_t errlen)
{
    sqlite3_stmt *q;
    char msg[768];
    long long id;
    lims_status rc;
    int found;

    if (r->lab && (rc = pt_store_lab_id(inst->db, r->lab, r->what, &id, err,
                                        errlen)))
        return rc;
    if (!r->round)
        return LIMS_OK;
    if ((rc = pt_store_prepare(inst->db, "SELECT 1 FROM round WHERE code = ?1",
                               &q, err, errlen)))
        return rc;
    sqlite3_bind_text(q, 1, r->round, -1, SQLITE_STATIC);
    found = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    if (found)
        return LIMS_OK;
    pt_suggest_unknown(inst->db, PT_CODE_ROUND, r->round, NULL, msg,
                       sizeof msg);
    snprintf(err, errlen, "%s: %s", r->what, msg);
    return LIMS_ERR_INPUT;
}

lims_status pt_core_look(lims_instance *inst, const lims_look_request *r,
                         lims_look_cb cb, void *ctx, char *err,
                         size_t errlen)
{
    const char *binds[7] = {r->round, r->lab, r->measurand, r->scheme,
                            r->from, r->to, r->status};
    looker k = {NULL, 0};
    sqlite3_stmt *q = NULL;
    unsigned long stale;
    size_t i, n;
    int rounds, stopped = 0, st = SQLITE_DONE;
    lims_status rc;

    char *export_sql = NULL;

    if ((rc = pt_export_sql(inst->db, r->what, &export_sql, err, errlen)))
        return rc;
    if (export_sql) {
        /* the whole record, as the files an import takes */
        if (sqlite3_exec(inst->db, "SAVEPOINT pt_look", NULL, NULL, NULL) !=
            SQLITE_OK) {
            sqlite3_free(export_sql);
            snprintf(err, errlen, "look: %s", sqlite3_errmsg(inst->db));
            return LIMS_ERR_DB;
        }
        rc = pt_store_prepare(inst->db, export_sql, &q, err, errlen);
        sqlite3_free(export_sql);
        while (!rc && !stopped && (st = sqlite3_step(q)) == SQLITE_ROW) {
            if ((rc = row_cells(&k, q, 0, 0, &n, err, errlen)))
                break;
            stopped = cb(ctx, k.cells, n);
        }
        if (!rc && !stopped && st != SQLITE_DONE) {
            snprintf(err, errlen, "%s: %s", r->what,
                     sqlite3_errmsg(inst->db));
            rc = LIMS_ERR_DB;
        }
        sqlite3_finalize(q);
        sqlite3_exec(inst->db, "RELEASE pt_look", NULL, NULL, NULL);
        free(k.cells);
        return rc;
    }
    for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (r->what && strcmp(r->what, lists[i].what) == 0)
            break;
    if (i == sizeof lists / sizeof lists[0]) {
        snprintf(err, errlen, "look: nothing called \"%s\" to list",
                 r->what ? r->what : "");
        return LIMS_ERR_INPUT;
    }
    if (r->status && strcmp(r->status, "open") && strcmp(r->status, "closed")) {
        snprintf(err, errlen, "%s: status \"%s\" is not open or closed",
                 r->what, r->status);
        return LIMS_ERR_INPUT;
    }
    rounds = strcmp(r->what, "rounds") == 0;
    if ((rc = known_codes(inst, r, err, errlen)))
        return rc;
    /* one read transaction: a consistent picture */
    if (sqlite3_exec(inst->db, "SAVEPOINT pt_look", NULL, NULL, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "look: %s", sqlite3_errmsg(inst->db));
        return LIMS_ERR_DB;
    }
    if (strcmp(r->what, "status") == 0)
        rc = stale_rounds(inst, cb, ctx, &stopped, err, errlen);
    if (!rc && !stopped)
        rc = pt_store_prepare(inst->db, lists[i].sql, &q, err, errlen);
    for (i = 0; q && i < 7 && (int)i < sqlite3_bind_parameter_count(q); i++)
        pt_store_bind_text(q, (int)i + 1, binds[i]);
    while (!rc && !stopped && q && (st = sqlite3_step(q)) == SQLITE_ROW) {
        if ((rc = row_cells(&k, q, rounds, 1, &n, err, errlen)))
            break;
        if (rounds) {
            /* how many reasons the round's evaluation is stale */
            rc = pt_stale_round(inst->db,
                                sqlite3_column_int64(q, (int)n), NULL,
                                NULL, &stale, err, errlen);
            k.cells[n].name = "stale";
            k.cells[n].type = LIMS_CELL_INTEGER;
            k.cells[n].text = stale ? "1" : "0";
            k.cells[n].number = stale ? 1 : 0;
            n++;
        }
        if (!rc && cb(ctx, k.cells, n))
            stopped = 1;
    }
    if (!rc && !stopped && q && st != SQLITE_DONE) {
        snprintf(err, errlen, "%s: %s", r->what, sqlite3_errmsg(inst->db));
        rc = LIMS_ERR_DB;
    }
    sqlite3_finalize(q);
    sqlite3_exec(inst->db, "RELEASE pt_look", NULL, NULL, NULL);
    free(k.cells);
    return rc;
}
