/*
 * pt_report_label.h -- the words of the audit workbook in Traditional Chinese
 * and English.
 *
 * The report structures carry codes ("consensus", "closed", "z'"); the
 * reader wants words.  Every code-to-word table lives here so that the two
 * languages stay side by side and a reviewer can check the Chinese in one
 * place.  A code this module does not know is shown as given.
 */
#ifndef PT_REPORT_LABEL_H
#define PT_REPORT_LABEL_H

#include <stddef.h>

#include "pt_report.h"

/* "中文<sep>English" in Chinese mode, "English" in English mode.  Always
 * NUL-terminates buf. */
void pt_report_label_bilingual(pt_report_lang lang, const char *zh,
                               const char *en, const char *sep,
                               char *buf /* OUT */, size_t n);

/* Chinese or English, by lang.  Returns one of the two arguments. */
const char *pt_report_label_pick(pt_report_lang lang, const char *zh,
                                 const char *en);

/* Words for a verdict ("滿意" / "Satisfactory" ...); static storage. */
const char *pt_report_label_verdict(pt_report_lang lang, pt_report_verdict v);

/* Words for pt_report_group.assigned ("consensus" -> "共識值"); returns
 * `code` itself when unknown, NULL when code is NULL. */
const char *pt_report_label_assigned(pt_report_lang lang, const char *code);

/* Words for pt_report_round.type ("pt", "ilc", "bilateral"). */
const char *pt_report_label_round_type(pt_report_lang lang, const char *code);

/* Words for pt_report_round.status ("open", "closed"). */
const char *pt_report_label_status(pt_report_lang lang, const char *code);

/* The state of round rd's record in words: locked (closed in ptlims) or
 * not, and evaluated (an assigned value stored) or not: "紀錄未鎖定；已評估"
 * / "Record open (not locked); evaluated".  Always NUL-terminates buf. */
void pt_report_label_round_state(pt_report_lang lang,
                                 const pt_report_round *rd,
                                 char *buf /* OUT */, size_t n);

/* A method's edition as recorded, in words: "" or NULL says it is not
 * stated in the source, "older edition" is translated; other text as
 * given. */
const char *pt_report_label_edition(pt_report_lang lang, const char *edition);

/* The name of a limit key that is no measurand of its own
 * ("leakage_current" -> "洩漏電流"); other text as given. */
const char *pt_report_label_limit_key(pt_report_lang lang, const char *key);

/* An evaluation's reason as the evaluation records it (English), in the
 * report's language: the sentences ptlims writes are translated, other
 * text is copied.  Always NUL-terminates buf. */
void pt_report_label_reason(pt_report_lang lang, const char *reason,
                            char *buf /* OUT */, size_t n);

/* The symbol of a score named by pt_report_row.primary ("z'" -> "z′",
 * "zeta" -> "ζ"). */
const char *pt_report_label_score(const char *code);

#endif /* PT_REPORT_LABEL_H */
