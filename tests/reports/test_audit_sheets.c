/*
 * test_audit_sheets.c -- pins down the audit sheets of the workbook
 * (pt_report_write with the plan, corrective actions, compare history,
 * methods and limits filled in): their order and names, the Index with the
 * data digest and its links, gaps and missing or overdue actions flagged,
 * charts present, text never a formula, no decimal comma in any part under
 * a comma locale, constant-memory mode for a large record, and golden
 * files: the XML of chosen parts compared byte for byte with
 * tests/reports/golden/ (PTLIMS_UPDATE_GOLDEN=1 rewrites them; the document
 * dates come from generated_at, so nothing needs normalising).
 */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pt_report.h"
#include "sample_report.h"
#include "wb_files.h"
#include "zipread.h"

#define COVER_XML "xl/worksheets/sheet1.xml"
#define INDEX_XML "xl/worksheets/sheet2.xml"
#define PLAN_XML "xl/worksheets/sheet3.xml"
#define SUBDISC_XML "xl/worksheets/sheet4.xml"
#define CAPA_XML "xl/worksheets/sheet9.xml"
#define N_SHEETS 16 /* 13 fixed + 3 rounds */

typedef struct fixture {
    wb_files w;
    sample s;
    pt_report_plan plans[2];
    unsigned actual[2][4];
    pt_report_capa capas[2];
    pt_report_compare compares[2];
    pt_report_method methods[1];
    pt_report_limit limits[1];
} fixture;

/* The own row with the worst verdict (the sample has an unsatisfactory
 * own result in the bilateral round). */
static size_t own_signal(const sample *s)
{
    for (size_t i = 0; i < s->r.n_rows; i++)
        if (s->rows[i].own && s->rows[i].verdict >= PT_VERDICT_QUESTIONABLE)
            return i;
    return (size_t)-1;
}

static size_t own_other(const sample *s, size_t not)
{
    for (size_t i = 0; i < s->r.n_rows; i++)
        if (s->rows[i].own && i != not)
            return i;
    return (size_t)-1;
}

static void add_audit(fixture *f)
{
    pt_report *r = &f->s.r;
    size_t sig = own_signal(&f->s), other = own_other(&f->s, sig);

    assert_true(sig != (size_t)-1 && other != (size_t)-1);
    r->data_sha256 =
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    f->actual[0][0] = 0;
    f->actual[0][1] = 2;
    f->plans[0] = (pt_report_plan){
        "UV fluorescence", "sulfur content", "diesel", "fuel-sulfur",
        "sulfur", "ASTM D5453", "high", 1, 2024, 2025, NULL, f->actual[0],
        NULL, NULL, NULL};
    f->plans[1] = (pt_report_plan){
        "=WDXRF", "sulfur content", "gasoline", "fuel-sulfur", NULL, NULL,
        "low", 0.25, 2022, 2025, "+one in four years", f->actual[1], NULL,
        NULL, NULL};
    r->plans = f->plans;
    r->n_plans = 2;
    /* an action on a satisfactory result, overdue at generated_at; the
     * signal has none */
    f->capas[0] = (pt_report_capa){other,        7,
                                   "near limit", "@cause",
                                   "-action",    "Y.S.L.",
                                   "2025-05-01", "2025-06-01",
                                   NULL,         NULL};
    r->capas = f->capas;
    r->n_capas = 1;
    f->compares[0] = (pt_report_compare){
        "REF", "S-2025-03", "2025-06-02", "sulfur", "Sulfur", "S-01",
        "mg/kg", "ASTM D5453-19a", 9.1, 0.8, 8.7, 0.7, 0.4, 3.1, 0.376,
        "agree", 0.376, 0, 1};
    f->compares[1] = f->compares[0];
    f->compares[1].item = "S-02";
    f->compares[1].En = 1.69;
    f->compares[1].verdict = "disagree";
    r->compares = f->compares;
    r->n_compares = 2;
    f->methods[0] = (pt_report_method){
        "ASTM D5453", "fuel-sulfur", "UV fluorescence", NULL, "mg/kg", 1,
        8000, "r = 0.1788·X^0.75 (X < 400)", "R = 0.5797·X^0.75 (X < 400)",
        "published", "transcribed"};
    r->methods = f->methods;
    r->n_methods = 1;
    f->limits[0] = (pt_report_limit){
        "fuel-sulfur", "sulfur", "diesel", "max", "10 mg/kg",
        "Taiwan limit", NULL, NULL, "2011-07-01", NULL, "published", "x"};
    r->limits = f->limits;
    r->n_limits = 1;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    if (!f)
        return -1;
    if (wb_files_make(&f->w, "ptaudit-test") != 0) {
        free(f);
        return -1;
    }
    sample_init(&f->s, PT_REPORT_ZH_TW);
    add_audit(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    wb_files_remove(&f->w);
    free(f);
    return 0;
}

static void write_ok(fixture *f)
{
    wb_files_write(&f->w, &f->s.r);
}

static char *part(const fixture *f, const char *name)
{
    return wb_files_part(&f->w, name);
}

static void test_fixed_sheets_come_first_then_the_rounds(void **state)
{
    fixture *f = *state;
    static const char *const order[] = {
        "封面 Cover",          "索引 Index",
        "能力試驗計畫 PT plan", "次領域摘要 Sub-disciplines",
        "輪次 Rounds",         "結果 Results",
        "趨勢 Trend",          "分局對參考 Branch vs ref",
        "矯正措施 Corrective actions", "量測不確定度 Uncertainty",
        "設備與追溯 Equipment", "方法參數 Methods",
        "全部結果 All results", "DH-2025-01",          "S-2025-03",
        "PT_2025_07"};
    char *wb, *prev, want[128];

    write_ok(f);
    wb = part(f, "xl/workbook.xml");
    prev = wb;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        char *at;
        snprintf(want, sizeof want, "<sheet name=\"%s\"", order[i]);
        at = strstr(wb, want);
        if (!at || at < prev)
            fail_msg("sheet %s missing or out of order", order[i]);
        prev = at;
    }
    assert_non_null(strstr(wb, "<definedName name=\"PT_Corrective_Actions\">"));
    free(wb);
}

static void test_index_shows_the_digest_and_links_every_clause(void **state)
{
    fixture *f = *state;
    char *sst, *sheet;

    write_ok(f);
    sst = wb_files_strings(&f->w);
    assert_non_null(strstr(sst, f->s.r.data_sha256));
    free(sst);
    sheet = part(f, INDEX_XML);
    assert_non_null(
        strstr(sheet, "location=\"'矯正措施 Corrective actions'!A1\""));
    assert_non_null(
        strstr(sheet, "location=\"'全部結果 All results'!A1\""));
    free(sheet);
    sheet = part(f, "docProps/custom.xml");
    assert_non_null(strstr(sheet, f->s.r.data_sha256));
    free(sheet);
}

static void test_signals_without_action_and_overdue_actions_are_red(void **state)
{
    fixture *f = *state;
    char *sst;

    write_ok(f);
    sst = wb_files_strings(&f->w);
    assert_non_null(strstr(sst, "<t>未登錄措施</t>")); /* no action */
    assert_non_null(strstr(sst, "<t>逾期</t>"));       /* overdue */
    assert_non_null(strstr(sst, "<t>缺口</t>"));       /* plan gap 2024 */
    assert_non_null(strstr(sst, "<t>不一致</t>"));     /* compare */
    free(sst);
}

/* The cover: the statement of analysis with counts that are the rows
 * the sample holds (counted here), the sign-off with names and dates,
 * the data digest and the audit log's head; the Index follows it. */
static void test_cover_states_the_analysis_and_signs_off(void **state)
{
    fixture *f = *state;
    pt_report *r = &f->s.r;
    size_t own = 0, groups = 0, rounds = 0;
    char want[256], *xml;

    for (size_t i = 0; i < r->n_rows; i++)
        own += r->rows[i].own != 0;
    for (size_t i = 0; i < r->n_rounds; i++) {
        size_t e = 0;
        for (size_t g = 0; g < r->rounds[i].n_groups; g++)
            e += isfinite(r->rounds[i].groups[g].x_pt) != 0;
        groups += e;
        rounds += e > 0;
    }
    assert_int_equal(rounds, r->n_rounds); /* every sample round scored */
    r->prepared_by = "Y.S.L.";
    r->prepared_on = "2025-07-02";
    r->approved_by = "C.Y.W.";
    r->audit_head = "feedbeeffeedbeeffeedbeeffeedbeeffeedbeeffeedbeeffeedbeef"
                    "feedbeef";
    r->audit_entries = 42;
    r->document_no = "QP-7.7-01";
    r->revision = "2";
    write_ok(f);
    xml = part(f, COVER_XML);
    snprintf(want, sizeof want,
             "本期間 %zu 個輪次均已分析：%zu 組（量測項目 × 試樣）已定指定值並"
             "評分，共 %zu 筆參加者結果；本室結果 %zu 筆",
             r->n_rounds, groups, r->n_rows, own);
    assert_non_null(strstr(xml, want));
    snprintf(want, sizeof want, "<t>%zu</t>", r->n_rows);
    assert_non_null(strstr(xml, want));
    assert_non_null(strstr(xml, "<t>Y.S.L.</t>"));
    assert_non_null(strstr(xml, "<t>2025-07-02（民國114年）</t>"));
    assert_non_null(strstr(xml, "<t>C.Y.W.</t>"));
    assert_non_null(strstr(xml, "<t>#42  feedbeef"));
    assert_non_null(strstr(xml, r->data_sha256));
    assert_non_null(strstr(xml, "QP-7.7-01，版次 2"));
    assert_non_null(strstr(xml, "location=\"'索引 Index'!A1\""));
    free(xml);
    /* a round without an evaluation is named, not counted as analysed */
    assert_ptr_equal(r->rounds[1].groups, f->s.bi);
    for (size_t g = 0; g < r->rounds[1].n_groups; g++)
        f->s.bi[g].x_pt = NAN;
    write_ok(f);
    xml = part(f, COVER_XML);
    snprintf(want, sizeof want, "本期間 %zu 個輪次中 %zu 個已分析",
             r->n_rounds, r->n_rounds - 1);
    assert_non_null(strstr(xml, want));
    assert_non_null(strstr(xml, r->rounds[1].code));
    free(xml);
}

/* An action on a plan gap, with its CAR number, impact and effectiveness
 * check, is on the register beside the result's actions; the sub-discipline
 * summary gives each plan row a page of its own. */
static void test_plan_gap_actions_and_sub_discipline_pages(void **state)
{
    fixture *f = *state;
    pt_report *r = &f->s.r;
    char *xml, *p;
    int blocks = 0;

    f->capas[1] = (pt_report_capa){PT_REPORT_NO_ROW, 9, NULL, "no round "
                                   "offered", "enrol in 2026", "Y.S.L.",
                                   "2025-02-01", "2026-06-30", "2025-06-01",
                                   "C.Y.W.", "CAR-25-9", "none issued",
                                   "enrolled, confirmation on file",
                                   "2025-06-01", "effective", 0, 2024};
    r->n_capas = 2;
    write_ok(f);
    xml = part(f, CAPA_XML);
    assert_non_null(strstr(xml, "<t>CAR-25-9</t>"));
    assert_non_null(strstr(xml, "<t>none issued</t>"));
    assert_non_null(strstr(xml, "<t>enrolled, confirmation on file</t>"));
    assert_non_null(strstr(xml, "<t>有效</t>"));
    assert_non_null(
        strstr(xml, "<t>參加計畫缺口：週期應參加 1 次，參加 0 次</t>"));
    assert_non_null(strstr(xml, "<t>UV fluorescence / sulfur content / "
                                "diesel，2024</t>"));
    /* the gap has its action: no red "no action" row for it */
    p = strstr(xml, "diesel，2024");
    assert_non_null(p);
    assert_null(strstr(p, "未登錄措施"));
    free(xml);
    xml = part(f, SUBDISC_XML);
    for (p = xml; (p = strstr(p, "<t>計畫狀態　Plan status</t>")); p++)
        blocks++;
    assert_int_equal(blocks, (int)r->n_plans);
    assert_non_null(strstr(xml, "<rowBreaks count=\"1\""));
    /* the high-risk row counts the bilateral round alone (the own PT
     * result is by ISO 20846, not the plan's ASTM D5453): said in red */
    assert_non_null(strstr(xml, "高風險次領域僅以本室之雙邊比對達成計畫"));
    assert_non_null(strstr(xml, "能力試驗 0、實驗室間比對 0、雙邊比對 1 個輪次"));
    free(xml);
    f->plans[0].method = NULL; /* now the PT round counts as well */
    write_ok(f);
    xml = part(f, SUBDISC_XML);
    assert_null(strstr(xml, "高風險次領域僅以本室之雙邊比對達成計畫"));
    assert_non_null(strstr(xml, "能力試驗 1、實驗室間比對 0、雙邊比對 1 個輪次"));
    free(xml);
    /* an action naming a plan row the workbook does not hold is refused */
    f->capas[1].plan = r->n_plans;
    assert_int_equal(pt_report_write(r, f->w.path, f->w.err,
                                     sizeof f->w.err),
                     PT_REPORT_ERR_ARG);
    assert_non_null(strstr(f->w.err, "capas[1].row"));
}

static void test_english_labels_follow_the_language(void **state)
{
    fixture *f = *state;
    char *wb, *sst;

    sample_init(&f->s, PT_REPORT_EN);
    add_audit(f);
    write_ok(f);
    wb = part(f, "xl/workbook.xml");
    assert_non_null(strstr(wb, "<sheet name=\"Measurement uncertainty\""));
    sst = wb_files_strings(&f->w);
    assert_non_null(strstr(sst, "<t>No action recorded</t>"));
    assert_non_null(strstr(sst, "<t>Overdue</t>"));
    assert_null(strstr(sst, "未登錄措施"));
    free(wb);
    free(sst);
}

static void test_trend_compare_and_round_sheets_have_charts(void **state)
{
    fixture *f = *state;
    char name[64], *xml;
    int charts = 0;

    write_ok(f);
    for (int i = 1; i <= 40; i++) {
        snprintf(name, sizeof name, "xl/charts/chart%d.xml", i);
        xml = zr_read_file(f->w.path, name);
        if (!xml)
            break;
        charts++;
        free(xml);
    }
    /* trend: 2 series kinds at least; compare: 1; rounds: bars and
     * histograms */
    assert_true(charts >= 8);
    xml = part(f, "xl/worksheets/_rels/sheet7.xml.rels");
    assert_non_null(strstr(xml, "drawing"));
    free(xml);
}

/* The number of charts in the workbook f writes. */
static int count_charts(fixture *f)
{
    char name[64], *xml;
    int charts = 0;

    write_ok(f);
    for (int i = 1; i <= 60; i++) {
        snprintf(name, sizeof name, "xl/charts/chart%d.xml", i);
        if (!(xml = zr_read_file(f->w.path, name)))
            break;
        charts++;
        free(xml);
    }
    return charts;
}

/* Branch vs reference: a second product is a series of its own, named
 * with its matrix and technique and charted apart. */
static void test_compare_series_are_named_and_charted_apart(void **state)
{
    fixture *f = *state;
    int one = count_charts(f), two;
    char *sst;

    f->compares[0].matrix = "diesel";
    f->compares[0].technique = "UV fluorescence";
    f->compares[1].matrix = "fuel oil";
    f->compares[1].technique = "UV fluorescence";
    two = count_charts(f);
    assert_int_equal(two, one + 1);
    sst = wb_files_strings(&f->w);
    assert_non_null(strstr(sst, "Sulfur（diesel，UV fluorescence）"));
    assert_non_null(strstr(sst, "Sulfur（fuel oil，UV fluorescence）"));
    free(sst);
    f->compares[0].matrix = f->compares[1].matrix = NULL;
    f->compares[0].technique = f->compares[1].technique = NULL;
}

static void test_audit_text_is_never_a_formula(void **state)
{
    fixture *f = *state;
    char name[40], *xml;

    write_ok(f);
    xml = wb_files_strings(&f->w);
    assert_non_null(strstr(xml, "<t>=WDXRF</t>"));
    assert_non_null(strstr(xml, "<t>@cause</t>"));
    assert_non_null(strstr(xml, "<t>-action</t>"));
    free(xml);
    for (int i = 1; i <= N_SHEETS; i++) {
        snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i);
        xml = part(f, name);
        assert_null(strstr(xml, "<f>"));
        assert_null(strstr(xml, "<f "));
        free(xml);
    }
}

/* A part with a decimal comma where a number is written: <v>1,5</v> or
 * val="1,5". */
static int has_decimal_comma(const char *xml)
{
    for (const char *p = xml; (p = strchr(p, ',')) != NULL; p++)
        if (p > xml && p[-1] >= '0' && p[-1] <= '9' && p[1] >= '0' &&
            p[1] <= '9') {
            const char *q = p;
            while (q > xml && ((q[-1] >= '0' && q[-1] <= '9') || q[-1] == '-'))
                q--;
            if ((q >= xml + 3 && strncmp(q - 3, "<v>", 3) == 0) ||
                (q >= xml + 5 && strncmp(q - 5, "val=\"", 5) == 0))
                return 1;
        }
    return 0;
}

static void test_no_decimal_comma_in_any_part_under_a_comma_locale(void **state)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8",
                                        "fr_FR.UTF-8", "nl_NL.UTF-8"};
    fixture *f = *state;
    const char *name = NULL;
    char part_name[64], *xml;

    char cmd[256];

    for (size_t i = 0; i < sizeof names / sizeof names[0] && !name; i++)
        if (setlocale(LC_NUMERIC, names[i]) &&
            strcmp(localeconv()->decimal_point, ",") == 0)
            name = names[i];
    if (!name) { /* compile one, as test_workbook does */
        snprintf(cmd, sizeof cmd,
                 "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null "
                 "2>&1",
                 f->w.dir);
        if (system(cmd) == 0 || access(f->w.dir, F_OK) == 0) {
            setenv("LOCPATH", f->w.dir, 1);
            if (setlocale(LC_NUMERIC, "de_DE.UTF-8") &&
                strcmp(localeconv()->decimal_point, ",") == 0)
                name = "de_DE.UTF-8 (localedef)";
            unsetenv("LOCPATH");
        }
    }
    f->s.rows[2].value = 1.25;
    write_ok(f);
    setlocale(LC_NUMERIC, "C");
    for (int i = 1; i <= N_SHEETS; i++) {
        snprintf(part_name, sizeof part_name, "xl/worksheets/sheet%d.xml", i);
        xml = part(f, part_name);
        if (has_decimal_comma(xml))
            fail_msg("%s has a decimal comma", part_name);
        free(xml);
    }
    for (int i = 1; i <= 40; i++) {
        snprintf(part_name, sizeof part_name, "xl/charts/chart%d.xml", i);
        if (!(xml = zr_read_file(f->w.path, part_name)))
            break;
        if (has_decimal_comma(xml))
            fail_msg("%s has a decimal comma", part_name);
        free(xml);
    }
    if (!name) {
        print_message("no installed locale with a decimal comma: only the "
                      "\"C\" locale was checked\n");
        skip();
    }
}

/* The sheets are streamed: their strings are inline, and the rows of a
 * large record are still all there, in order. */
static void test_large_record_is_written_in_constant_memory(void **state)
{
    fixture *f = *state;
    size_t n = 20500;
    pt_report_row *rows = calloc(n, sizeof *rows);
    char *xml, (*codes)[8] = calloc(n, sizeof *codes), last[32];
    const char *p;
    long prev = -1;

    assert_non_null(rows);
    assert_non_null(codes);
    for (size_t i = 0; i < n; i++) {
        rows[i] = f->s.rows[f->s.r.n_rows - 1]; /* a PT row */
        rows[i].own = i == 0;
        snprintf(codes[i], sizeof codes[i], "X%05zu", i);
        rows[i].lab = codes[i];
        rows[i].value = 10 + (double)(i % 97) / 50;
    }
    f->s.r.rows = rows;
    f->s.r.n_rows = n;
    f->s.r.n_capas = 0;
    write_ok(f);
    xml = part(f, "xl/worksheets/sheet16.xml"); /* the PT round */
    assert_non_null(strstr(xml, "t=\"inlineStr\""));
    snprintf(last, sizeof last, "X%05zu", n - 1);
    assert_non_null(strstr(xml, last));
    for (p = xml; (p = strstr(p, "<row r=\"")) != NULL; p += 8) {
        long r = strtol(p + 8, NULL, 10);
        assert_true(r > prev);
        prev = r;
    }
    free(xml);
    free(rows);
    free(codes);
}

/* The parts compared with tests/reports/golden/, named with '/' as '_'. */
static const char *const golden_parts[] = {
    "xl/workbook.xml",           COVER_XML, INDEX_XML, PLAN_XML, SUBDISC_XML,
    CAPA_XML,
    "xl/worksheets/sheet8.xml",  "xl/charts/chart1.xml",
    "docProps/custom.xml",
};

static void test_parts_match_the_golden_files(void **state)
{
    fixture *f = *state;
    const char *update = getenv("PTLIMS_UPDATE_GOLDEN");

    write_ok(f);
    for (size_t i = 0; i < sizeof golden_parts / sizeof golden_parts[0]; i++) {
        char file[256], *xml = part(f, golden_parts[i]), *want;
        size_t n = 0;

        snprintf(file, sizeof file, "tests/reports/golden/%s",
                 golden_parts[i]);
        for (char *c = file + strlen("tests/reports/golden/"); *c; c++)
            if (*c == '/')
                *c = '_';
        if (update && *update == '1') {
            FILE *out = fopen(file, "wb");
            assert_non_null(out);
            fputs(xml, out);
            fclose(out);
        }
        want = (char *)zr_slurp(file, &n);
        if (!want)
            fail_msg("%s: missing (PTLIMS_UPDATE_GOLDEN=1 writes it)", file);
        if (strcmp(want, xml) != 0)
            fail_msg("%s differs from %s (PTLIMS_UPDATE_GOLDEN=1 rewrites "
                     "it after a deliberate change)",
                     golden_parts[i], file);
        free(want);
        free(xml);
    }
}

static void test_capa_on_another_laboratorys_row_is_refused(void **state)
{
    fixture *f = *state;

    f->capas[0].row = 0; /* L01, not the workbook laboratory */
    assert_int_equal(pt_report_write(&f->s.r, f->w.path, f->w.err, sizeof f->w.err),
                     PT_REPORT_ERR_ARG);
    assert_non_null(strstr(f->w.err, "capas[0].row"));
    assert_int_equal(access(f->w.path, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_fixed_sheets_come_first_then_the_rounds),
        T(test_index_shows_the_digest_and_links_every_clause),
        T(test_signals_without_action_and_overdue_actions_are_red),
        T(test_cover_states_the_analysis_and_signs_off),
        T(test_plan_gap_actions_and_sub_discipline_pages),
        T(test_english_labels_follow_the_language),
        T(test_trend_compare_and_round_sheets_have_charts),
        T(test_compare_series_are_named_and_charted_apart),
        T(test_audit_text_is_never_a_formula),
        T(test_no_decimal_comma_in_any_part_under_a_comma_locale),
        T(test_large_record_is_written_in_constant_memory),
        T(test_parts_match_the_golden_files),
        T(test_capa_on_another_laboratorys_row_is_refused),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
