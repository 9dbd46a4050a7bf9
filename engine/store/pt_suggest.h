/*
 * pt_suggest.h -- helping a user who typed a code that is not recorded:
 * the nearest recorded laboratory or round code, and a scheme's
 * measurands, for the message that refuses the code.
 */
#ifndef PT_SUGGEST_H
#define PT_SUGGEST_H

#include <sqlite3.h>
#include <stddef.h>

#include "lims_plugin.h"

/* What a code names. */
typedef enum pt_code_kind {
    PT_CODE_LABORATORY,
    PT_CODE_ROUND,
    PT_CODE_RESULT /* ROUND/LAB/MEASURAND/ITEM */
} pt_code_kind;

/* Writes into buf (len bytes) the hint for an unknown `code`: the
 * recorded code that equals it ignoring case, else the nearest one by
 * edit distance (at most a third of its length, at least 1), as
 * " (did you mean \"KL\"?)"; "" when none is near.  Returns buf. */
const char *pt_suggest_code(sqlite3 *db, pt_code_kind kind, const char *code,
                            char *buf, size_t len);

/* Writes into buf " (its measurands: a, b, c)" for scheme p.  Returns
 * buf. */
const char *pt_suggest_measurands(const lims_plugin *p, char *buf,
                                  size_t len);

/* The message for an unknown code: "unknown laboratory \"kl\"" and the
 * hint, or `otherwise` (e.g. " (import it first)") when none is near. */
void pt_suggest_unknown(sqlite3 *db, pt_code_kind kind, const char *code,
                        const char *otherwise, char *err, size_t errlen);

/* Edit distance (insertions, deletions, substitutions of bytes) between
 * a and b; SIZE_MAX when out of memory. */
size_t pt_suggest_distance(const char *a, const char *b);

#endif /* PT_SUGGEST_H */
