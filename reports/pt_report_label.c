/*
 * pt_report_label.c -- code-to-word tables for the audit workbook, Chinese
 * and English side by side (see pt_report_label.h).
 *
 * Terms follow the Chinese usage of ISO 13528 / ISO/IEC 17043 in Taiwan:
 * 指定值 assigned value, 能力評估標準差 σ_pt, 滿意 / 可疑 / 不滿意.
 */
#include "pt_report_label.h"

#include <stdio.h>
#include <string.h>

typedef struct word {
    const char *code, *zh, *en;
} word;

static const word assigned_words[] = {
    {"reference", "參考值", "Reference"},
    {"consensus", "共識值", "Consensus"},
    {"fixed", "固定值", "Fixed"},
};

static const word round_type_words[] = {
    {"pt", "能力試驗", "Proficiency test"},
    {"ilc", "實驗室間比對", "Interlaboratory comparison"},
    {"bilateral", "雙邊比對", "Bilateral comparison"},
};

static const word status_words[] = {
    {"open", "紀錄未鎖定", "Record open (not locked)"},
    {"closed", "紀錄已鎖定", "Record locked (closed)"},
};

static const word score_symbols[] = {
    {"En", "En", "En"},
    {"z", "z", "z"},
    {"z'", "z′", "z′"},
    {"zeta", "ζ", "ζ"},
};

static const char *lookup(const word *w, size_t n, pt_report_lang lang,
                          const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i].code, code) == 0)
            return lang == PT_REPORT_ZH_TW ? w[i].zh : w[i].en;
    return code;
}

#define LOOKUP(table, lang, code)                                              \
    lookup(table, sizeof table / sizeof table[0], lang, code)

void pt_report_label_bilingual(pt_report_lang lang, const char *zh,
                               const char *en, const char *sep, char *buf,
                               size_t n)
{
    if (lang == PT_REPORT_ZH_TW)
        snprintf(buf, n, "%s%s%s", zh, sep, en);
    else
        snprintf(buf, n, "%s", en);
}

const char *pt_report_label_pick(pt_report_lang lang, const char *zh,
                                 const char *en)
{
    return lang == PT_REPORT_ZH_TW ? zh : en;
}

const char *pt_report_label_verdict(pt_report_lang lang, pt_report_verdict v)
{
    switch (v) {
    case PT_VERDICT_SATISFACTORY:
        return pt_report_label_pick(lang, "滿意", "Satisfactory");
    case PT_VERDICT_QUESTIONABLE:
        return pt_report_label_pick(lang, "可疑", "Questionable");
    case PT_VERDICT_UNSATISFACTORY:
        return pt_report_label_pick(lang, "不滿意", "Unsatisfactory");
    case PT_VERDICT_NONE:
        break;
    }
    return pt_report_label_pick(lang, "未評分", "Not scored");
}

const char *pt_report_label_assigned(pt_report_lang lang, const char *code)
{
    return LOOKUP(assigned_words, lang, code);
}

const char *pt_report_label_round_type(pt_report_lang lang, const char *code)
{
    return LOOKUP(round_type_words, lang, code);
}

const char *pt_report_label_status(pt_report_lang lang, const char *code)
{
    return LOOKUP(status_words, lang, code);
}

void pt_report_label_round_state(pt_report_lang lang,
                                  const pt_report_round *rd, char *buf,
                                  size_t n)
{
    int evaluated = 0;

    for (size_t g = 0; g < rd->n_groups; g++)
        evaluated |= rd->groups[g].x_pt == rd->groups[g].x_pt; /* not NAN */
    snprintf(buf, n, "%s%s%s", LOOKUP(status_words, lang, rd->status),
             lang == PT_REPORT_ZH_TW ? "；" : "; ",
             evaluated ? pt_report_label_pick(lang, "已評估", "evaluated")
                       : pt_report_label_pick(lang, "未評估",
                                              "not evaluated"));
}

/* Limit keys that are not a measurand of their own (a limit that holds
 * for several measurands: leakage current at operating temperature and
 * after the humidity treatment). */
static const word limit_key_words[] = {
    {"leakage_current", "洩漏電流", "Leakage current"},
};

const char *pt_report_label_limit_key(pt_report_lang lang, const char *key)
{
    return LOOKUP(limit_key_words, lang, key);
}

/* The evaluation's reason, as ptlims' evaluation writes it (in English,
 * in the record), in the report's language.  Known sentences only; other
 * text is shown as recorded. */
void pt_report_label_reason(pt_report_lang lang, const char *reason,
                            char *buf, size_t n)
{
    unsigned long k;
    int iter, used;
    char score[8], tail[64];
    static const char ref_few[] =
        "%lu results, too few for a consensus: the reference laboratory's "
        "result is the assigned value with its uncertainty; scored by %7s "
        "(ISO 13528 7.5, 9.6, 9.7)%n";
    static const char ref_many[] =
        "%lu results: the reference laboratory's result is the assigned "
        "value with its uncertainty; scored by %7s (ISO 13528 7.5, 9.6, "
        "9.7)%n";
    static const char alg_a[] =
        "consensus of %lu results by Algorithm A (ISO 13528 C.3.1, %d "
        "iterations); u(x_pt) = 1.25 s*/sqrt(p)%n";
    static const char qh[] =
        "consensus of %lu results by Q/Hampel (ISO 13528 C.5.4); u(x_pt) = "
        "1.25 s*/sqrt(p)%n";
    static const char fixed[] =
        "assigned value fixed by the round (x_pt with its standard "
        "uncertainty, ISO 13528 7.3/7.4)";

    if (n == 0)
        return;
    snprintf(buf, n, "%s", reason ? reason : "");
    if (lang != PT_REPORT_ZH_TW || !reason)
        return;
    used = 0;
    tail[0] = '\0';
    if (sscanf(reason, ref_few, &k, score, &used) == 2 && !reason[used]) {
        snprintf(buf, n, "%lu 筆結果，不足以求共識值：以參考實驗室之結果及其"
                 "不確定度為指定值；以 %s 評分（ISO 13528 7.5、9.6、9.7）",
                 k, score);
    } else if (sscanf(reason, ref_many, &k, score, &used) == 2 &&
               !reason[used]) {
        snprintf(buf, n, "%lu 筆結果：以參考實驗室之結果及其不確定度為指定"
                 "值；以 %s 評分（ISO 13528 7.5、9.6、9.7）", k, score);
    } else if (sscanf(reason, alg_a, &k, &iter, &used) == 2) {
        if (strcmp(reason + used, "; few results: read with care") == 0)
            snprintf(tail, sizeof tail, "；結果數少，判讀宜審慎");
        else if (reason[used])
            return;
        snprintf(buf, n, "%lu 筆結果之共識值，以演算法 A 計算（ISO 13528 "
                 "C.3.1，迭代 %d 次）；u(x_pt) = 1.25 s*/√p%s", k, iter,
                 tail);
    } else if (sscanf(reason, qh, &k, &used) == 1) {
        if (strcmp(reason + used, "; few results: read with care") == 0)
            snprintf(tail, sizeof tail, "；結果數少，判讀宜審慎");
        else if (reason[used])
            return;
        snprintf(buf, n, "%lu 筆結果之共識值，以 Q/Hampel 計算（ISO 13528 "
                 "C.5.4）；u(x_pt) = 1.25 s*/√p%s", k, tail);
    } else if (strcmp(reason, fixed) == 0) {
        snprintf(buf, n, "指定值由輪次訂定（x_pt 及其標準不確定度，ISO 13528 "
                 "7.3/7.4）");
    }
}

static const word edition_words[] = {
    {"older edition", "舊版", "older edition"},
    {"not stated", "版次未載明", "edition not stated"},
};

const char *pt_report_label_edition(pt_report_lang lang, const char *edition)
{
    if (!edition || !*edition)
        return pt_report_label_pick(lang, "來源未載明版次",
                                    "edition not stated in the source");
    return LOOKUP(edition_words, lang, edition);
}

const char *pt_report_label_score(const char *code)
{
    return LOOKUP(score_symbols, PT_REPORT_EN, code);
}
