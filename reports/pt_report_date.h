/*
 * pt_report_date.h -- ISO dates for the audit workbook, with the 民國 (ROC)
 * year that Taiwanese readers expect beside them.
 *
 * The report structures carry dates as ISO text; this module parses them
 * strictly (a malformed date is a caller error, not something to print
 * as-is), converts them for libxlsxwriter and formats them for display.
 * No locale, no time zone, no clock: everything is computed from the text.
 */
#ifndef PT_REPORT_DATE_H
#define PT_REPORT_DATE_H

#include <stddef.h>
#include <time.h>

#include "pt_report.h"

typedef struct pt_report_date {
    int year, month, day;
    int hour, min, sec;
    int has_time; /* parsed from "YYYY-MM-DDTHH:MM:SS" */
} pt_report_date;

/* Parses "YYYY-MM-DD" (and, if allow_time, "YYYY-MM-DDTHH:MM:SS" with an
 * optional trailing "Z").  Returns 0 and fills *out, or -1 if `s` is not such
 * a date (wrong shape, month 13, 30 February ...). */
int pt_report_date_parse(const char *s, int allow_time,
                         pt_report_date *out /* OUT */);

/* Seconds since 1970-01-01T00:00:00 UTC, for lxw_doc_properties.created. */
time_t pt_report_date_unix(const pt_report_date *d);

/* The 民國 year (year - 1911), or 0 for years before 1912. */
int pt_report_date_roc_year(int year);

/* "2025-03-14（民國114年）" in Chinese, "2025-03-14 (ROC 114)" in English
 * (style 0), "114/03/14" (style 1) or "114年3月14日" (style 2); with the
 * time and `zone` ("UTC" when NULL) when the date has one.  Always
 * NUL-terminates. */
void pt_report_date_text(const pt_report_date *d, pt_report_lang lang,
                         int style, const char *zone, char *buf /* OUT */,
                         size_t n);

/* The offset from UTC in minutes of time zone `tz` ("Asia/Taipei" for
 * NULL or "", "UTC", a zone of a small table of zones without daylight
 * saving time, or "+HH:MM" / "-HH:MM").  Returns 0 and *minutes, or -1
 * for a zone it does not know. */
int pt_report_date_tz_offset(const char *tz, int *minutes /* OUT */);

/* r->generated_at in r->tz as text in the style of r->roc_dates: "2026-
 * 02-01 08:00:00 Asia/Taipei (UTC+08:00)（民國115年）"; "" when either is
 * malformed (pt_report_check refuses them first). */
void pt_report_date_generated(const pt_report *r, pt_report_lang lang,
                              char *buf /* OUT */, size_t n);

/* d (a UTC date-time) moved by `minutes`, calendar carried. */
pt_report_date pt_report_date_shift(const pt_report_date *d, int minutes);

#endif /* PT_REPORT_DATE_H */
