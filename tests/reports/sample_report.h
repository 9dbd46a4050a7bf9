/*
 * sample_report.h -- a realistic pt_report for the report tests: a
 * dehumidifier safety comparison (5 laboratories, scored by En against the
 * reference laboratory), a bilateral sulfur-in-diesel comparison still open,
 * and a 12-laboratory sulfur PT scored by z against an Algorithm A consensus.
 * The workbook laboratory is "L03" / "P07".  Header-only so that each test
 * stays one .c file; tests change a copy to pin one behaviour.
 */
#ifndef PT_TEST_SAMPLE_REPORT_H
#define PT_TEST_SAMPLE_REPORT_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pt_report.h"

typedef struct sample {
    pt_report r;
    pt_report_round rounds[3];
    pt_report_group dh[3], bi[2], pt[1];
    pt_report_row rows[64];
    char text[64][16]; /* values as reported */
} sample;

static inline pt_report_verdict sample_verdict_z(double z)
{
    return fabs(z) <= 2  ? PT_VERDICT_SATISFACTORY
           : fabs(z) < 3 ? PT_VERDICT_QUESTIONABLE
                         : PT_VERDICT_UNSATISFACTORY;
}

/* Adds a result scored by En against the reference value of group g (the
 * reference laboratory itself is not scored). */
static inline void sample_add_en(sample *s, size_t round, size_t group,
                                 const pt_report_group *g, const char *lab,
                                 int own, int reference, double x, double U,
                                 const char *method)
{
    pt_report_row *w = &s->rows[s->r.n_rows];

    snprintf(s->text[s->r.n_rows], sizeof s->text[0], "%g", x);
    memset(w, 0, sizeof *w);
    w->round = round;
    w->group = group;
    w->lab = lab;
    w->own = own;
    w->value_text = s->text[s->r.n_rows];
    w->unit_text = g->unit;
    w->value = x;
    w->U = U;
    w->k = 2;
    w->method = method;
    w->z = w->z_prime = w->zeta = NAN;
    if (reference) {
        w->D = w->D_pct = w->En = NAN;
        w->primary = NULL;
        w->verdict = PT_VERDICT_NONE;
    } else {
        w->D = x - g->x_pt;
        w->D_pct = 100 * w->D / g->x_pt;
        w->En = w->D / sqrt(U * U + 4 * g->u_x_pt * g->u_x_pt);
        w->zeta = w->D / sqrt(U * U / 4 + g->u_x_pt * g->u_x_pt);
        w->primary = "En";
        w->verdict = fabs(w->En) <= 1 ? PT_VERDICT_SATISFACTORY
                                      : PT_VERDICT_UNSATISFACTORY;
    }
    s->r.n_rows++;
}

static inline void sample_add_z(sample *s, size_t round, size_t group,
                                const pt_report_group *g, const char *lab,
                                int own, double x, const char *method)
{
    pt_report_row *w = &s->rows[s->r.n_rows];

    snprintf(s->text[s->r.n_rows], sizeof s->text[0], "%g", x);
    memset(w, 0, sizeof *w);
    w->round = round;
    w->group = group;
    w->lab = lab;
    w->own = own;
    w->value_text = s->text[s->r.n_rows];
    w->unit_text = "mg/kg";
    w->value = x;
    w->U = w->k = NAN;
    w->method = method;
    w->D = x - g->x_pt;
    w->D_pct = 100 * w->D / g->x_pt;
    w->z = w->D / g->sigma_pt;
    w->z_prime = w->D / sqrt(g->sigma_pt * g->sigma_pt + g->u_x_pt * g->u_x_pt);
    w->zeta = w->En = NAN;
    w->primary = "z";
    w->verdict = sample_verdict_z(w->z);
    s->r.n_rows++;
}

static inline void sample_init(sample *s, pt_report_lang lang)
{
    static const char *const dh_labs[5] = {"L01", "L02", "L03", "L04", "L05"};
    static const double power[5] = {3.2, 3.5, 2.9, 4.1, 3.3};
    static const double leak13[5] = {0.182, 0.179, 0.186, 0.205, 0.181};
    static const double leak16[5] = {0.215, 0.221, 0.209, 0.262, 0.218};
    static const char *const pt_labs[12] = {"P01", "P02", "P03", "P04",
                                            "P05", "P06", "P07", "P08",
                                            "P09", "P10", "P11", "P12"};
    static const double sulfur[12] = {9.8,  10.4, 10.1, 9.5,  10.9, 10.2,
                                      10.0, 11.9, 9.9,  10.3, 8.6,  10.1};
    int zh = lang == PT_REPORT_ZH_TW;

    memset(s, 0, sizeof *s);
    s->r.lang = lang;
    s->r.lab_code = "BSMI-TC";
    s->r.lab_name = zh ? "臺中分局電氣及化學實驗室"
                       : "Taichung Branch Electrical and Chemical Laboratory";
    s->r.lab_accreditation = "TAF 0123";
    s->r.period_from = "2025-01-01";
    s->r.period_to = "2025-12-31";
    s->r.generated_at = "2025-07-01T08:30:00";
    s->r.software = "ptlims 0.1.0";
    s->r.rounds = s->rounds;
    s->r.n_rounds = 3;
    s->r.rows = s->rows;

    s->dh[0] = (pt_report_group){
        "power_input",
        zh ? "額定消耗功率偏差" : "Rated power input deviation",
        "DH-01",
        "%",
        "reference",
        zh ? "不使用（以 En 對參考實驗室評分）"
           : "Not used (scored by En against the reference laboratory)",
        zh ? "參加實驗室僅 5 家，共識值無法判別離群；依 ISO 13528 "
             "以參考實驗室之值與擴充不確定度計算 En。"
           : "Only 5 laboratories: a consensus cannot flag anything; En "
             "against the reference laboratory's value and U (ISO 13528).",
        3.2,
        0.15,
        NAN,
        5,
        0};
    s->dh[1] = s->dh[0];
    s->dh[1].measurand = "leakage_13";
    s->dh[1].measurand_name = zh ? "洩漏電流（操作溫度，第 13 節）"
                                 : "Leakage current (operating temp., cl. 13)";
    s->dh[1].unit = "mA";
    s->dh[1].x_pt = 0.182;
    s->dh[1].u_x_pt = 0.003;
    s->dh[2] = s->dh[1];
    s->dh[2].measurand = "leakage_16";
    s->dh[2].measurand_name = zh ? "洩漏電流（濕度處理後，第 16 節）"
                                 : "Leakage current (after humidity, cl. 16)";
    s->dh[2].x_pt = 0.215;
    s->dh[2].u_x_pt = 0.004;
    s->rounds[0] =
        (pt_report_round){"DH-2025-01",
                          "dehumidifier",
                          zh ? "除濕機電氣安全實驗室間比對"
                             : "Dehumidifier electrical safety ILC",
                          "ilc",
                          zh ? "標準檢驗局第六組" : "BSMI Sixth Division",
                          NULL,
                          "2025-03-14",
                          "2025-04-30",
                          "closed",
                          5,
                          s->dh,
                          3,
                          NULL,
                          NULL,
                          NULL,
                          NULL};

    s->bi[0] = (pt_report_group){
        "sulfur",
        zh ? "硫含量（柴油）" : "Sulfur in diesel",
        "S-01",
        "mg/kg",
        "reference",
        zh ? "不使用（以 En 評分）" : "Not used (scored by En)",
        zh ? "雙邊比對：以中油實驗室之值及其不確定度計算 En。"
           : "Bilateral: En against the oil company laboratory's value and "
             "uncertainty.",
        8.7,
        0.35,
        NAN,
        2,
        0};
    s->bi[1] = s->bi[0];
    s->bi[1].item = "S-02";
    s->bi[1].x_pt = 9.6;
    s->rounds[1] = (pt_report_round){
        "S-2025-03",
        "fuel-sulfur",
        zh ? "柴油硫含量雙邊比對" : "Sulfur in diesel, bilateral",
        "bilateral",
        zh ? "台灣中油煉製研究所" : "CPC Refining Research Institute",
        NULL,
        "2025-06-02",
        NULL,
        "open",
        2,
        s->bi,
        2,
        NULL,
        NULL,
        NULL,
        NULL};

    s->pt[0] = (pt_report_group){
        "sulfur",
        zh ? "硫含量（柴油）" : "Sulfur in diesel",
        "PT-7A",
        "mg/kg",
        "consensus",
        zh ? "ASTM D5453 再現性 R / 2.77（10 mg/kg 時）"
           : "ASTM D5453 reproducibility R / 2.77 at 10 mg/kg",
        zh ? "12 家實驗室：穩健共識值（演算法 A），以 z 評分。"
           : "12 laboratories: robust consensus (Algorithm A), scored by z.",
        10.12,
        0.13,
        0.45,
        12,
        7};
    s->rounds[2] = (pt_report_round){"PT/2025:07",
                                     "fuel-sulfur",
                                     zh ? "燃料油品硫含量能力試驗"
                                        : "Sulfur in fuels proficiency test",
                                     "pt",
                                     "Example PT Provider Ltd",
                                     "ISO/IEC 17043 PTP-0042",
                                     "2025-05-05",
                                     "2025-06-20",
                                     "closed",
                                     12,
                                     s->pt,
                                     1,
                                     NULL,
                                     NULL,
                                     NULL,
                                     NULL};

    for (size_t g = 0; g < 3; g++)
        for (size_t l = 0; l < 5; l++) {
            double x = g == 0 ? power[l] : g == 1 ? leak13[l] : leak16[l];
            double U = g == 0 ? 0.4 : 0.008;
            sample_add_en(s, 0, g, &s->dh[g], dh_labs[l], l == 2, l == 0, x, U,
                          "CNS 3765 (103年版)");
        }
    sample_add_en(s, 1, 0, &s->bi[0], "REF", 0, 1, 8.7, 0.7, "ASTM D5453-19a");
    sample_add_en(s, 1, 0, &s->bi[0], "TC", 1, 0, 9.1, 0.8, "ASTM D5453-19a");
    sample_add_en(s, 1, 1, &s->bi[1], "REF", 0, 1, 9.6, 0.7, "ASTM D5453-19a");
    sample_add_en(s, 1, 1, &s->bi[1], "TC", 1, 0, 11.4, 0.8, "ASTM D5453-19a");
    for (size_t l = 0; l < 12; l++)
        sample_add_z(s, 2, 0, &s->pt[0], pt_labs[l], l == 6, sulfur[l],
                     l % 3 ? "ASTM D5453" : "ISO 20846");
}

#endif /* PT_TEST_SAMPLE_REPORT_H */
