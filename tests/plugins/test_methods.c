/*
 * test_methods.c -- method data by edition and product (schema 008): the
 * edition a result's method text selects, r and R from the product's row
 * or the edition's general row, the newest edition's equations when the
 * result's own edition has none (and the result says so), the ASTM D4294
 * scope boundary at 17 mg/kg with conformity qualified "method out of
 * scope", the limit in force on the test date when a new edition of a
 * limit is added as data, and the workbook saying all this.
 *
 * Reference values are the published equations evaluated here (DOMAIN.md
 * §3), with their exact decimal products written out.
 */
#include <math.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../reports/zipread.h"
#include "pt_method.h"
#include "pt_store.h"
#include "testutil.h"

typedef struct fx {
    const lims_plugin *p;
    lims_instance *inst;
    sqlite3 *db; /* a second connection, for the lookups */
} fx;

static void import_ok(fx *f, const char *text)
{
    lims_import_summary s = {sizeof s, 0, 0, 0, 0};
    char err[512];

    if (tu_engine()->import_csv(f->inst, tu_file("m.csv", text), &s, err,
                         sizeof err) != LIMS_OK)
        fail_msg("%s", err);
}

static int setup(void **state)
{
    static fx f;
    char err[256];

    f.p = tu_plugin("fuel-sulfur");
    f.inst = tu_open(f.p, "methods.db");
    if (pt_store_open(tu_db(), &f.db, err, sizeof err) != LIMS_OK)
        fail_msg("%s", err);
    import_ok(&f, "lab,name,role\nBR,Branch,branch\nREF,Oil lab,reference\n");
    import_ok(&f, "round,scheme,measurand,type,opened,reference_lab,matrix\n"
                  "D1,fuel-sulfur,sulfur,bilateral,2025-03-01,REF,diesel\n"
                  "D2,fuel-sulfur,sulfur,bilateral,2025-04-01,REF,diesel\n"
                  "D3,fuel-sulfur,sulfur,bilateral,2025-12-01,REF,diesel\n");
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    sqlite3_close(f->db);
    tu_engine()->close(f->inst);
    return 0;
}

static void find(fx *f, const char *text, pt_method *m)
{
    char err[256];

    if (pt_method_find(f->db, f->p, "sulfur", text, m, err, sizeof err) !=
        LIMS_OK)
        fail_msg("%s", err);
    if (!m->id)
        fail_msg("no method for \"%s\"", text);
}

static void precision(fx *f, const pt_method *m, const char *product,
                      double x, pt_precision *pr)
{
    char err[256];

    if (pt_method_precision(f->db, m, product, x, pr, err, sizeof err) !=
        LIMS_OK)
        fail_msg("%s", err);
}

/* One text column of the first row of `sql` ("" when none or NULL). */
static void one(fx *f, const char *sql, char *out, size_t len)
{
    sqlite3_stmt *st;

    out[0] = 0;
    if (sqlite3_prepare_v2(f->db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(f->db));
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static void editions_are_chosen_by_the_method_text(void **state)
{
    fx *f = *state;
    pt_method m;
    char name[128];

    find(f, "ASTM D4294-21", &m);
    assert_string_equal(m.edition, "21");
    assert_int_equal(m.match, PT_EDITION_NAMED);
    assert_string_equal(pt_method_name(&m, name, sizeof name),
                        "ASTM D4294-21");
    /* -16 is not in the table: the edition in force in 2016 is -08 */
    find(f, "ASTM D4294-16", &m);
    assert_string_equal(m.edition, "08");
    assert_int_equal(m.match, PT_EDITION_COVERING);
    /* -03: before 2008, the older edition with its 0.015 % scope */
    find(f, "ASTM D4294-03", &m);
    assert_string_equal(m.edition, "older edition");
    assert_int_equal(m.match, PT_EDITION_COVERING);
    assert_true(fabs(m.scope_min - 150) < 1e-9);
    /* no edition given, or one older than every row: the newest */
    find(f, "ASTM D4294", &m);
    assert_string_equal(m.edition, "21");
    assert_int_equal(m.match, PT_EDITION_NEWEST);
    find(f, "ASTM D2622-21", &m);
    assert_string_equal(m.edition, "24a");
    assert_int_equal(m.match, PT_EDITION_NEWEST);
    find(f, "ASTM D5453-19a", &m);
    assert_string_equal(m.edition, "19a");
    assert_int_equal(m.match, PT_EDITION_NAMED);
    /* D4294 since 2008: 17 mg/kg to 4.6 % m/m */
    find(f, "ASTM D4294-08", &m);
    assert_true(m.scope_min == 17 && m.scope_max == 46000);
}

static void r_and_R_come_from_the_product_row_then_the_general_row(
    void **state)
{
    fx *f = *state;
    pt_method m;
    pt_precision pr;
    char note[320];

    find(f, "ASTM D5453-19a", &m);
    /* diesel: r = 0.02777 (10 + 28.158) = 1.05964766; no diesel R, so
     * the general R = 0.5797 x 10^0.75 */
    precision(f, &m, "diesel", 10, &pr);
    assert_true(fabs(pr.r - 1.05964766) < 1e-12);
    assert_string_equal(pr.r_product, "diesel");
    assert_true(fabs(pr.R - 3.2598926621284536) < 1e-12);
    assert_string_equal(pr.R_product, "");
    assert_string_equal(pr.R_edition, "19a");
    pt_method_precision_note(&m, "diesel", &pr, 'R', note, sizeof note);
    assert_non_null(strstr(note, "general row (no diesel row gives R)"));
    pt_method_precision_note(&m, "diesel", &pr, 'r', note, sizeof note);
    assert_string_equal(note, "");
    /* gasoline: r = 0.04356 (10 + 14.844) = 1.08220464 */
    precision(f, &m, "gasoline", 10, &pr);
    assert_true(fabs(pr.r - 1.08220464) < 1e-12);
    /* a product without rows, or none: the general r = 0.1788 x 10^0.75 */
    precision(f, &m, "marine fuel", 10, &pr);
    assert_true(fabs(pr.r - 1.005466289440344) < 1e-12);
    assert_string_equal(pr.r_product, "");
    precision(f, &m, NULL, 10, &pr);
    assert_true(fabs(pr.r - 1.005466289440344) < 1e-12);
    /* the general boundary at 400 stays: X = 400 takes the linear branch,
     * R = 0.1267 x 400 = 50.68 */
    precision(f, &m, "diesel", 400, &pr);
    assert_true(fabs(pr.R - 50.68) < 1e-12);
}

static void precision_falls_back_to_the_newest_edition_and_says_so(
    void **state)
{
    fx *f = *state;
    pt_method m;
    pt_precision pr;
    char note[320];

    /* -21 gives no equation: the older edition's, X = 0.5 % m/m,
     * R = 0.1215 (0.5 + 0.05555) % = 674.99325 mg/kg */
    find(f, "ASTM D4294-21", &m);
    precision(f, &m, "fuel oil", 5000, &pr);
    assert_true(fabs(pr.R - 674.99325) < 1e-9);
    assert_string_equal(pr.R_edition, "older edition");
    pt_method_precision_note(&m, "fuel oil", &pr, 'R', note, sizeof note);
    assert_non_null(strstr(note, "R of ASTM D4294 (older edition)"));
    assert_non_null(strstr(note, "ASTM D4294-21 gives no R equation"));
    /* a method whose every row is missing gives nothing */
    find(f, "ASTM D2622-24a", &m);
    precision(f, &m, "diesel", 10, &pr);
    assert_true(isnan(pr.r) && isnan(pr.R));
}

/* Column `col` of the result reported as `value` in round `round`, with
 * its conformity row as c. */
#define RES(round, value, col)                                               \
    "SELECT " col " FROM result r JOIN round o ON o.id = r.round_id "       \
    "LEFT JOIN conformity c ON c.result_id = r.id WHERE o.code = '" round   \
    "' AND r.value_text = '" value "'"

static void d4294_results_below_17_mg_kg_are_out_of_scope(void **state)
{
    fx *f = *state;
    char v[1024];

    import_ok(f, "round,lab,measurand,value,unit,U,method\n"
                 "D1,REF,sulfur,17,mg/kg,2,ASTM D4294-21\n"
                 "D1,BR,sulfur,16.9,mg/kg,2,ASTM D4294-21\n"
                 "D2,REF,sulfur,0.0017,% m/m,0.0002,ASTM D4294-16\n"
                 "D2,BR,sulfur,10.2,mg/kg,2,ASTM D4294-21\n");
    /* 17 mg/kg is the quantitation limit: inside, stated plainly */
    one(f,
        "SELECT count(*) FROM result_warning w JOIN result r ON r.id = "
        "w.result_id WHERE r.value_text = '17' AND w.message LIKE "
        "'%outside the scope%'",
        v, sizeof v);
    assert_string_equal(v, "0");
    one(f, RES("D1", "17", "coalesce(c.qualifier, 'none')"), v, sizeof v);
    assert_string_equal(v, "none");
    /* 0.0017 % m/m is exactly 17 mg/kg (the decimal text is rescaled) */
    one(f, RES("D2", "0.0017", "coalesce(c.qualifier, 'none')"), v,
        sizeof v);
    assert_string_equal(v, "none");
    /* its edition, -16, is not in the table: judged by -08's data, and
     * the judgement says so */
    one(f, RES("D2", "0.0017", "c.method_note"), v, sizeof v);
    assert_non_null(strstr(v, "\"ASTM D4294-16\" names an edition not in "
                              "the method table: ASTM D4294-08, in force in "
                              "its year, used"));
    one(f, RES("D1", "17", "coalesce(c.method_note, 'none')"), v, sizeof v);
    assert_non_null(strstr(v, "R of ASTM D4294 (older edition)"));
    /* 16.9 and the branch's diesel near 10 mg/kg: outside, with the scope
     * and its edition, and conformity qualified */
    one(f,
        "SELECT message FROM result_warning w JOIN result r ON r.id = "
        "w.result_id WHERE r.value_text = '16.9' AND w.message LIKE "
        "'%scope%'",
        v, sizeof v);
    assert_non_null(strstr(v, "outside the scope of ASTM D4294-21 (17 mg/kg "
                              "to 46000 mg/kg, edition 21"));
    one(f, RES("D1", "16.9", "c.qualifier"), v, sizeof v);
    assert_string_equal(v, "method out of scope");
    one(f, RES("D2", "10.2", "c.qualifier"), v, sizeof v);
    assert_string_equal(v, "method out of scope");
    one(f, RES("D2", "10.2", "c.verdict"), v, sizeof v);
    assert_string_equal(v, "conforms");
    one(f, RES("D2", "10.2", "c.rule"), v, sizeof v);
    assert_true(strncmp(v, "method out of scope: ", 21) == 0);
    /* its R is the older edition's, and the result says so too */
    one(f,
        "SELECT count(*) FROM result_warning w JOIN result r ON r.id = "
        "w.result_id WHERE r.value_text = '10.2' AND w.message LIKE 'R of "
        "ASTM D4294 (older edition)%'",
        v, sizeof v);
    assert_string_equal(v, "1");
}

static void results_are_judged_by_the_limit_in_force_on_their_date(
    void **state)
{
    fx *f = *state;
    char v[1024];

    /* a new edition of the diesel limit, added as data */
    assert_int_equal(
        sqlite3_exec(f->db,
                     "INSERT INTO limit_spec (scheme, measurand, category, "
                     "value, unit, standard, edition, effective_from, "
                     "status, source) VALUES ('fuel-sulfur', 'sulfur', "
                     "'diesel', 8, 'mg/kg', 'test limit', '2026', "
                     "'2026-01-01', 'unverified', 'a test edition')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    import_ok(f, "round,lab,measurand,value,unit,U,method,tested_on\n"
                 "D3,REF,sulfur,9.1,mg/kg,1,ASTM D5453-19a,2025-12-31\n"
                 "D3,BR,sulfur,9.2,mg/kg,1,ASTM D5453-19a,2026-01-01\n");
    one(f, RES("D3", "9.1", "c.limit_value"), v, sizeof v);
    assert_true(strtod(v, NULL) == 10);
    one(f, RES("D3", "9.2", "c.limit_value"), v, sizeof v);
    assert_true(strtod(v, NULL) == 8);
    one(f, RES("D3", "9.2", "c.rule"), v, sizeof v);
    assert_non_null(strstr(v, "test limit, edition 2026, in force from "
                              "2026-01-01, unverified"));
    /* R(8) = 0.5797 x 8^0.75: 9.2 > 8 + 0.59 R(8) = 9.6 does not hold */
    one(f, RES("D3", "9.2", "c.threshold"), v, sizeof v);
    assert_true(fabs(strtod(v, NULL) - (8 + 0.59 * 0.5797 * pow(8, 0.75))) <
                1e-9);
}

/* The strings of a streamed workbook: every worksheet's inline strings
 * (caller frees). */
static char *all_strings(const char *path)
{
    char name[64], *all = NULL, *xml;
    size_t len = 0, n;
    int i;

    for (i = 1; snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i),
                (xml = zr_read_file(path, name)) != NULL;
         i++) {
        n = strlen(xml);
        all = realloc(all, len + n + 1);
        assert_non_null(all);
        memcpy(all + len, xml, n + 1);
        len += n;
        free(xml);
    }
    assert_non_null(all);
    return all;
}

/* The workbook says it too: the round sheet's limit text qualifies the
 * out-of-scope result and names the edition whose R judged it; the
 * Method parameters sheet lists the editions and product rows. */
static void the_workbook_shows_the_qualifier_and_the_edition_used(
    void **state)
{
    fx *f = *state;
    lims_report_request req;
    char out[600], err[512];
    char *strings;

    if (tu_engine()->evaluate_round(f->inst, "D2", NULL, err, sizeof err) !=
        LIMS_OK)
        fail_msg("evaluate: %s", err);
    snprintf(out, sizeof out, "%s/methods.xlsx", tu_dir());
    memset(&req, 0, sizeof req);
    req.size = sizeof req;
    req.out_path = out;
    req.lab = "BR";
    req.lang = "en";
    req.generated_at = "2026-01-01T00:00:00";
    if (tu_engine()->write_report(f->inst, &req, err, sizeof err) != LIMS_OK)
        fail_msg("report: %s", err);
    strings = all_strings(out);
    assert_non_null(strstr(strings, "; method out of scope: conformity "
                                    "qualified; R of ASTM D4294 (older "
                                    "edition), general row: ASTM D4294-21 "
                                    "gives no R equation"));
    assert_non_null(strstr(strings, "diesel: r = 0.02777·(X + 28.158)"));
    assert_non_null(strstr(strings, "When a result's edition gives no "
                                    "equation, the newest edition that does "
                                    "is used"));
    free(strings);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(editions_are_chosen_by_the_method_text),
        cmocka_unit_test(
            r_and_R_come_from_the_product_row_then_the_general_row),
        cmocka_unit_test(
            precision_falls_back_to_the_newest_edition_and_says_so),
        cmocka_unit_test(d4294_results_below_17_mg_kg_are_out_of_scope),
        cmocka_unit_test(
            results_are_judged_by_the_limit_in_force_on_their_date),
        cmocka_unit_test(
            the_workbook_shows_the_qualifier_and_the_edition_used),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
