/*
 * pt_report_mu.c -- the "Measurement uncertainty" and "Equipment and
 * traceability" sheets (ISO/IEC 17025 7.6, 6.4, 6.5).
 *
 * Measurement uncertainty: every own result by method, measurand and
 * level, with U, k, u = U/k, U relative to the value, and the ISO 13528
 * 9.8 screening against the assigned value's uncertainty (a stated u(x)
 * below u(x_pt) is implausibly small).  Equipment: the instruments the
 * results were obtained with and how their results scored; then where each
 * assigned value came from (the traceability of the reference the
 * laboratory was judged against).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_report_audit.h"
#include "pt_report_label.h"
#include "pt_stats.h"

/* An own row with its sort keys. */
typedef struct keyed {
    const char *k1, *k2;
    double v;
    size_t row;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->k1, y->k1);

    if (c == 0)
        c = strcmp(x->k2, y->k2);
    if (c == 0 && x->v != y->v)
        c = x->v < y->v ? -1 : 1;
    if (c == 0)
        c = x->row < y->row ? -1 : x->row > y->row;
    return c;
}

static const char *nz(const char *s) { return s ? s : ""; }

static const pt_report_group *group_of(const pt_report *r,
                                       const pt_report_row *x)
{
    return &r->rounds[x->round].groups[x->group];
}

static const char *measurand_text(const pt_report_group *g)
{
    return g->measurand_name && *g->measurand_name ? g->measurand_name
                                                   : g->measurand;
}

/* The own rows sorted by (k1, k2, value); NULL on allocation failure. */
static keyed *sorted_own(const pt_report *r, int by_instrument, size_t *n)
{
    keyed *k = malloc((r->n_rows ? r->n_rows : 1) * sizeof *k);
    size_t m = 0;

    if (!k)
        return NULL;
    for (size_t i = 0; i < r->n_rows; i++) {
        const pt_report_row *x = &r->rows[i];
        if (!x->own)
            continue;
        k[m].k1 = by_instrument ? nz(x->instrument) : nz(x->method);
        k[m].k2 = group_of(r, x)->measurand;
        k[m].v = by_instrument ? (double)x->round : x->value;
        k[m].row = i;
        m++;
    }
    qsort(k, m, sizeof *k, cmp_keyed);
    *n = m;
    return k;
}

/* ---- Measurement uncertainty ---- */

enum {
    M_METHOD,
    M_MEASURAND,
    M_UNIT,
    M_ROUND,
    M_ITEM,
    M_VALUE,
    M_U,
    M_K,
    M_SU,
    M_REL,
    M_UXPT,
    M_CHECK,
    M_COLS
};

static const pt_report_column mu_cols[M_COLS] = {
    {"方法", "Method", PT_KIND_WRAP, 14, 22},
    {"量測項目", "Measurand", PT_KIND_WRAP, 12, 20},
    {"單位", "Unit", PT_KIND_CENTER, 7, 9},
    {"輪次", "Round", PT_KIND_TEXT, 12, 16},
    {"試樣", "Item", PT_KIND_CENTER, 7, 10},
    {"水準 x", "Level x", PT_KIND_VALUE, 9, 12},
    {"擴充不確定度 U", "Expanded U", PT_KIND_VALUE, 10, 12},
    {"k", "k", PT_KIND_FACTOR, 5, 6},
    {"標準不確定度 u", "Standard u = U/k", PT_KIND_VALUE, 10, 13},
    {"相對 U (%)", "Relative U (%)", PT_KIND_PERCENT, 9, 11},
    {"u(x_pt)", "u(x_pt)", PT_KIND_VALUE, 9, 11},
    {"檢查 (ISO 13528 9.8)", "Check (ISO 13528 9.8)", PT_KIND_WRAP, 18, 30},
};

typedef struct sorted {
    keyed *k;
    size_t n;
} sorted;

static int put_mu(pt_report_sheet *sh, lxw_row_t row, size_t i, void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const sorted *s = arg;
    const pt_report_row *x = &c->r->rows[s->k[i].row];
    const pt_report_group *g = group_of(c->r, x);
    lxw_format *const *f = c->st.cell[0];
    double u = NAN, rel = NAN;
    const char *check;
    unsigned flags = 0;
    int lines, l, flagged;

    if (isfinite(x->U) && isfinite(x->k) && x->k > 0)
        u = x->U / x->k;
    if (isfinite(x->U) && isfinite(x->value) && x->value != 0)
        rel = 100 * x->U / fabs(x->value);
    /* s* is not stored with the evaluation: the 1.5 s* test of 9.8 is not
     * made (DBL_MAX), only u(x) < u(x_pt) */
    if (!isfinite(x->U))
        check = pt_report_label_pick(c->lang, "未陳述 U", "No U stated");
    else if (isfinite(u) && u > 0 && isfinite(g->u_x_pt) &&
             pt_stats_uncertainty_flags(u, g->u_x_pt, DBL_MAX, &flags) ==
                 PT_STATS_OK &&
             (flags & PT_UNC_BELOW_U_XPT))
        check = pt_report_label_pick(c->lang, "u(x) < u(x_pt)：U 可能低估",
                                     "u(x) < u(x_pt): U may be too small");
    else if (pt_stats_zeta_above_z(x->z, x->zeta))
        check = isnan(x->z)
                    ? pt_report_label_pick(c->lang,
                                           "|ζ| > 2：陳述之 U 不足以涵蓋差異，"
                                           "U 可能低估",
                                           "|ζ| > 2: the stated U does not "
                                           "cover the difference; U may be "
                                           "too small")
                    : pt_report_label_pick(c->lang,
                                           "|ζ| 遠大於 |z|：U 可能低估",
                                           "|ζ| well above |z|: U may be too "
                                           "small");
    else
        check = NULL;
    flagged = check != NULL;
    if (!check)
        check = pt_report_label_pick(c->lang, "無異常", "No flag");
    lines = pt_report_put_wrapped(sh, row, M_METHOD, x->method,
                                  f[PT_KIND_WRAP]);
    l = pt_report_put_wrapped(sh, row, M_MEASURAND, measurand_text(g),
                              f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    pt_report_put_text(sh, row, M_UNIT, g->unit, f[PT_KIND_CENTER]);
    pt_report_put_text(sh, row, M_ROUND, c->r->rounds[x->round].code,
                       f[PT_KIND_TEXT]);
    pt_report_put_text(sh, row, M_ITEM, g->item, f[PT_KIND_CENTER]);
    pt_report_put_as_value(sh, row, M_VALUE, x->value, x, 0);
    pt_report_put_sig(sh, row, M_U, x->U, 2, 0);
    pt_report_put_number(sh, row, M_K, x->k, f[PT_KIND_FACTOR]);
    pt_report_put_sig(sh, row, M_SU, u, 2, 0);
    pt_report_put_number(sh, row, M_REL, rel, f[PT_KIND_PERCENT]);
    pt_report_put_sig(sh, row, M_UXPT, g->u_x_pt, 2, 0);
    l = pt_report_put_wrapped(sh, row, M_CHECK, check,
                              flagged
                                  ? c->st.verdict[PT_VERDICT_QUESTIONABLE]
                                  : f[PT_KIND_WRAP]);
    return l > lines ? l : lines;
}

void pt_report_mu_write(pt_report_ctx *c)
{
    pt_report_sheet sh;
    pt_report_table t;
    sorted s;

    if (c->status != PT_REPORT_OK ||
        pt_report_sheet_add(c, &sh, c->names[PT_SHEET_MU]) != 0)
        return;
    s.k = sorted_own(c->r, 0, &s.n);
    if (!s.k) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        return;
    }
    memset(&t, 0, sizeof t);
    t.cols = mu_cols;
    t.n_cols = M_COLS;
    t.n_rows = s.n;
    t.put = put_mu;
    t.arg = &s;
    t.empty_zh = "本期間無本室之結果。";
    t.empty_en = "No results of the laboratory in the period.";
    t.defined_name = "PT_Uncertainty";
    pt_report_tables_fit(&sh, (const pt_report_table *const[]){&t}, 1);
    pt_report_put_title(
        &sh, M_COLS - 1, "量測不確定度", "Measurement uncertainty",
        pt_report_label_pick(
            c->lang,
            "本室各結果依方法、量測項目及水準排列之擴充不確定度（ISO/IEC 17025 "
            "7.6）。標示準則：陳述之 u(x) 小於指定值之 u(x_pt)（ISO 13528 "
            "9.8）；|ζ| > 2 且 |ζ| ≥ 1.5 |z|，或未計算 z 而 |ζ| > 2：陳述之 U "
            "可能低估。s* 未與評估一併儲存，故未作 u(x) > 1.5 s* 之檢查。",
            "The laboratory's expanded uncertainties by method, measurand "
            "and level (ISO/IEC 17025 7.6).  Flagged: a stated u(x) below "
            "the assigned value's u(x_pt) (ISO 13528 9.8); |ζ| > 2 with "
            "|ζ| ≥ 1.5 |z|, or |ζ| > 2 where no z was computed: the stated "
            "U may be too small.  s* is not stored with the evaluation, so "
            "u(x) > 1.5 s* is not tested."));
    pt_report_table_write(&sh, 3, &t, 1);
    free(s.k);
}

/* ---- Equipment and traceability ---- */

enum {
    E_INSTRUMENT,
    E_METHODS,
    E_MEASURANDS,
    E_ROUNDS,
    E_RESULTS,
    E_SAT,
    E_QUEST,
    E_UNSAT,
    E_FIRST,
    E_LAST,
    E_COLS
};

static const pt_report_column eq_cols[E_COLS] = {
    {"儀器", "Instrument", PT_KIND_WRAP, 18, 28},
    {"方法", "Methods", PT_KIND_WRAP, 16, 28},
    {"量測項目", "Measurands", PT_KIND_WRAP, 16, 28},
    {"輪次", "Rounds", PT_KIND_WRAP, 14, 28},
    {"結果數", "Results", PT_KIND_COUNT, 8, 10},
    {"滿意", "Satisfactory", PT_KIND_COUNT, 8, 12},
    {"可疑", "Questionable", PT_KIND_COUNT, 8, 12},
    {"不滿意", "Unsatisfactory", PT_KIND_COUNT, 8, 14},
    {"首次測試", "First tested", PT_KIND_DATE, 11, 11},
    {"最近測試", "Last tested", PT_KIND_DATE, 11, 11},
};

/* Instruments: runs of equal k1 in the sorted own rows. */
typedef struct runs {
    keyed *k;
    size_t n;
    size_t *start; /* run i is k[start[i]] .. k[start[i + 1] - 1] */
    size_t n_runs;
} runs;

static int put_instrument(pt_report_sheet *sh, lxw_row_t row, size_t i,
                          void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const runs *rs = arg;
    lxw_format *const *f = c->st.cell[0];
    char methods[512] = "", measurands[512] = "", rounds[512] = "";
    const char *first = NULL, *last = NULL, *texts[3];
    unsigned n[4] = {0, 0, 0, 0};
    int lines, l;
    const char *name = rs->k[rs->start[i]].k1;

    for (size_t j = rs->start[i]; j < rs->start[i + 1]; j++) {
        const pt_report_row *x = &c->r->rows[rs->k[j].row];
        const char *t = x->tested_on;

        pt_report_join_distinct(methods, sizeof methods, x->method);
        pt_report_join_distinct(measurands, sizeof measurands,
                                measurand_text(group_of(c->r, x)));
        pt_report_join_distinct(rounds, sizeof rounds,
                                c->r->rounds[x->round].code);
        n[x->verdict]++;
        if (t && *t && (!first || strcmp(t, first) < 0))
            first = t;
        if (t && *t && (!last || strcmp(t, last) > 0))
            last = t;
    }
    texts[0] = methods;
    texts[1] = measurands;
    texts[2] = rounds;
    lines = pt_report_put_wrapped(
        sh, row, E_INSTRUMENT,
        *name ? name
              : pt_report_label_pick(c->lang, "（未記錄）", "(not recorded)"),
        f[PT_KIND_WRAP]);
    for (int k = 0; k < 3; k++) {
        l = pt_report_put_wrapped(sh, row, (lxw_col_t)(E_METHODS + k),
                                  texts[k], f[PT_KIND_WRAP]);
        lines = l > lines ? l : lines;
    }
    pt_report_put_number(sh, row, E_RESULTS,
                         (double)(rs->start[i + 1] - rs->start[i]),
                         f[PT_KIND_COUNT]);
    pt_report_put_number(sh, row, E_SAT, n[PT_VERDICT_SATISFACTORY],
                         f[PT_KIND_COUNT]);
    pt_report_put_number(sh, row, E_QUEST, n[PT_VERDICT_QUESTIONABLE],
                         f[PT_KIND_COUNT]);
    pt_report_put_number(sh, row, E_UNSAT, n[PT_VERDICT_UNSATISFACTORY],
                         f[PT_KIND_COUNT]);
    pt_report_put_date(sh, row, E_FIRST, first, f[PT_KIND_DATE]);
    pt_report_put_date(sh, row, E_LAST, last, f[PT_KIND_DATE]);
    return lines;
}

enum {
    X_ROUND,
    X_MEASURAND,
    X_ITEM,
    X_ASSIGNED,
    X_XPT,
    X_UXPT,
    X_UNIT,
    X_SOURCE,
    X_SIGMA_BASIS,
    X_COLS
};

static const pt_report_column trace_cols[X_COLS] = {
    {"輪次", "Round", PT_KIND_TEXT, 12, 16},
    {"量測項目", "Measurand", PT_KIND_WRAP, 12, 20},
    {"試樣", "Item", PT_KIND_CENTER, 7, 10},
    {"指定值來源", "Assigned value from", PT_KIND_WRAP, 10, 14},
    {"指定值 x_pt", "Assigned value x_pt", PT_KIND_VALUE, 10, 12},
    {"u(x_pt)", "u(x_pt)", PT_KIND_VALUE, 9, 11},
    {"單位", "Unit", PT_KIND_CENTER, 7, 9},
    {"指定值由（名稱、認證）", "Assigned value given by (name, "
     "accreditation)", PT_KIND_WRAP, 18, 34},
    {"σ_pt 依據", "Basis of σ_pt", PT_KIND_WRAP, 14, 28},
};

/* Groups of the rounds in which the laboratory has a result, in order. */
typedef struct group_list {
    size_t *round, *group;
    size_t n;
} group_list;

static int put_trace(pt_report_sheet *sh, lxw_row_t row, size_t i, void *arg)
{
    const pt_report_ctx *c = sh->ctx;
    const group_list *gl = arg;
    const pt_report_round *rd = &c->r->rounds[gl->round[i]];
    const pt_report_group *g = &rd->groups[gl->group[i]];
    lxw_format *const *f = c->st.cell[0];
    char source[768];
    int lines, l;

    if (g->assigned && strcmp(g->assigned, "reference") == 0 &&
        rd->reference_lab && *rd->reference_lab)
        /* the reference laboratory's result is the assigned value */
        snprintf(source, sizeof source, "%s %s (%s), %s%s",
                 pt_report_label_pick(c->lang, "參考實驗室", "Reference "
                                                        "laboratory"),
                 rd->reference_name && *rd->reference_name
                     ? rd->reference_name
                     : rd->reference_lab,
                 rd->reference_lab,
                 rd->reference_accreditation &&
                         *rd->reference_accreditation
                     ? pt_report_label_pick(c->lang, "認證 ", "accredited ")
                     : pt_report_label_pick(c->lang, "未記錄認證編號",
                                            "no accreditation recorded"),
                 nz(rd->reference_accreditation));
    else
        snprintf(source, sizeof source, "%s %s%s%s",
                 pt_report_label_pick(c->lang, "主辦單位", "Provider"),
                 rd->provider && *rd->provider ? rd->provider : "—",
                 rd->provider_accreditation && *rd->provider_accreditation
                     ? ", ISO/IEC 17043 "
                     : pt_report_label_pick(c->lang, "，未記錄認證編號",
                                            ", no accreditation recorded"),
                 nz(rd->provider_accreditation));
    pt_report_put_round_link(sh, row, X_ROUND, gl->round[i]);
    lines = pt_report_put_wrapped(sh, row, X_MEASURAND, measurand_text(g),
                                  f[PT_KIND_WRAP]);
    pt_report_put_text(sh, row, X_ITEM, g->item, f[PT_KIND_CENTER]);
    l = pt_report_put_wrapped(sh, row, X_ASSIGNED,
                              pt_report_label_assigned(c->lang, g->assigned),
                              f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    pt_report_put_xpt(sh, row, X_XPT, g, 0);
    pt_report_put_sig(sh, row, X_UXPT, g->u_x_pt, 2, 0);
    pt_report_put_text(sh, row, X_UNIT, g->unit, f[PT_KIND_CENTER]);
    l = pt_report_put_wrapped(sh, row, X_SOURCE, source, f[PT_KIND_WRAP]);
    lines = l > lines ? l : lines;
    l = pt_report_put_wrapped(sh, row, X_SIGMA_BASIS, g->sigma_basis,
                              f[PT_KIND_WRAP]);
    return l > lines ? l : lines;
}

void pt_report_equipment_write(pt_report_ctx *c)
{
    const pt_report *r = c->r;
    pt_report_sheet sh;
    pt_report_table t1, t2;
    runs rs;
    group_list gl;
    lxw_row_t row;

    if (c->status != PT_REPORT_OK ||
        pt_report_sheet_add(c, &sh, c->names[PT_SHEET_EQUIPMENT]) != 0)
        return;
    memset(&rs, 0, sizeof rs);
    memset(&gl, 0, sizeof gl);
    rs.k = sorted_own(r, 1, &rs.n);
    rs.start = malloc((rs.n + 1) * sizeof *rs.start);
    gl.round = malloc((rs.n + 1) * sizeof *gl.round);
    gl.group = malloc((rs.n + 1) * sizeof *gl.group);
    if (!rs.k || !rs.start || !gl.round || !gl.group) {
        pt_report_fail(c, PT_REPORT_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < rs.n; j++)
        if (j == 0 || strcmp(rs.k[j].k1, rs.k[j - 1].k1) != 0)
            rs.start[rs.n_runs++] = j;
    rs.start[rs.n_runs] = rs.n;
    /* own rows come grouped by round and group: one entry per change */
    for (size_t i = 0; i < r->n_rows; i++) {
        const pt_report_row *x = &r->rows[i];
        int dup = 0;

        if (!x->own)
            continue;
        for (size_t j = 0; j < gl.n && !dup; j++)
            dup = gl.round[j] == x->round && gl.group[j] == x->group;
        if (!dup) {
            gl.round[gl.n] = x->round;
            gl.group[gl.n++] = x->group;
        }
    }
    memset(&t1, 0, sizeof t1);
    t1.cols = eq_cols;
    t1.n_cols = E_COLS;
    t1.n_rows = rs.n_runs;
    t1.put = put_instrument;
    t1.arg = &rs;
    t1.empty_zh = "本期間無本室之結果。";
    t1.empty_en = "No results of the laboratory in the period.";
    t1.defined_name = "PT_Equipment";
    memset(&t2, 0, sizeof t2);
    t2.cols = trace_cols;
    t2.n_cols = X_COLS;
    t2.n_rows = gl.n;
    t2.put = put_trace;
    t2.arg = &gl;
    t2.empty_zh = "無指定值。";
    t2.empty_en = "No assigned values.";
    t2.defined_name = "PT_Traceability";
    pt_report_tables_fit(&sh, (const pt_report_table *const[]){&t1, &t2}, 2);
    pt_report_put_title(
        &sh, E_COLS - 1, "設備與計量追溯", "Equipment and traceability",
        pt_report_label_pick(
            c->lang,
            "本室結果所用之儀器及其於能力試驗之表現（ISO/IEC 17025 6.4）；各指"
            "定值之來源及不確定度（6.5 計量追溯性）。儀器之校正紀錄見本室設備"
            "清冊。",
            "The instruments the laboratory's results were obtained with and "
            "how they scored (ISO/IEC 17025 6.4); where each assigned value "
            "came from and its uncertainty (6.5 metrological traceability).  "
            "Calibration records are in the laboratory's equipment "
            "register."));
    row = pt_report_table_write(&sh, 3, &t1, 1) + 1;
    pt_report_put_section(&sh, row, E_COLS - 1, "指定值之追溯",
                          "Traceability of the assigned values");
    pt_report_table_write(&sh, row + 1, &t2, 0);
done:
    free(rs.k);
    free(rs.start);
    free(gl.round);
    free(gl.group);
}
