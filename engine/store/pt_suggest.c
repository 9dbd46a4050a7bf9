/*
 * pt_suggest.c -- the nearest recorded code to one that is not recorded.
 *
 * A code typed in the wrong case ("kl" for "KL") is the likeliest
 * mistake, so a match ignoring case wins; otherwise the code at the
 * smallest edit distance, when that distance is small against the code's
 * length.  Ties go to the code that sorts first, so the hint is stable.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_suggest.h"

size_t pt_suggest_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), i, j, *row, d;

    row = malloc((nb + 1) * sizeof *row);
    if (!row)
        return SIZE_MAX;
    for (j = 0; j <= nb; j++)
        row[j] = j;
    for (i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    d = row[nb];
    free(row);
    return d;
}

static int same_ignoring_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

const char *pt_suggest_code(sqlite3 *db, pt_code_kind kind, const char *code,
                            char *buf, size_t len)
{
    static const char *const sql[] = {
        "SELECT code FROM laboratory ORDER BY code",
        "SELECT code FROM round ORDER BY code",
        "SELECT DISTINCT r.code || '/' || l.code || '/' || x.measurand || "
        "'/' || x.item FROM result x JOIN round r ON r.id = x.round_id "
        "JOIN laboratory l ON l.id = x.lab_id ORDER BY 1"};
    size_t limit, best_d = SIZE_MAX, d, n;
    char *best = NULL;
    int exact_case = 0;
    sqlite3_stmt *q;

    if (len)
        buf[0] = 0;
    if (!code || !*code ||
        sqlite3_prepare_v2(db, sql[kind], -1, &q, NULL) != SQLITE_OK)
        return buf;
    n = strlen(code);
    limit = n / 3 ? n / 3 : 1;
    while (!exact_case && sqlite3_step(q) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(q, 0);
        if (!c)
            continue;
        if (same_ignoring_case(c, code)) {
            exact_case = 1;
            d = 0;
        } else {
            d = pt_suggest_distance(c, code);
        }
        if (d < best_d && (exact_case || d <= limit)) {
            free(best);
            best = malloc(strlen(c) + 1);
            if (!best)
                break;
            memcpy(best, c, strlen(c) + 1);
            best_d = d;
        }
    }
    sqlite3_finalize(q);
    if (best)
        snprintf(buf, len, " (did you mean \"%s\"?)", best);
    free(best);
    return buf;
}

const char *pt_suggest_measurands(const lims_plugin *p, char *buf,
                                  size_t len)
{
    size_t i, used;

    if (!len)
        return buf;
    used = (size_t)snprintf(buf, len, " (its measurands:");
    for (i = 0; i < p->n_measurands && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s %s",
                                 i ? "," : "", p->measurands[i].id);
    if (used < len)
        snprintf(buf + used, len - used, ")");
    return buf;
}

void pt_suggest_unknown(sqlite3 *db, pt_code_kind kind, const char *code,
                        const char *otherwise, char *err, size_t errlen)
{
    char hint[512];

    pt_suggest_code(db, kind, code, hint, sizeof hint);
    snprintf(err, errlen, "unknown %s \"%s\"%s",
             kind == PT_CODE_LABORATORY ? "laboratory"
             : kind == PT_CODE_ROUND    ? "round"
                                        : "result",
             code,
             *hint ? hint : otherwise ? otherwise : "");
}
