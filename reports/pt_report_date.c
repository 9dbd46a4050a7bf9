/*
 * pt_report_date.c -- strict ISO date parsing and 民國-year display for the
 * audit workbook (see pt_report_date.h).  Calendar arithmetic is done here
 * rather than with timegm()/mktime() so that the result never depends on the
 * process's time zone or on non-standard library functions.
 */
#include "pt_report_date.h"

#include <stdio.h>
#include <string.h>

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly `n` decimal digits from s into *v; returns 0 or -1. */
static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 0;
}

int pt_report_date_parse(const char *s, int allow_time, pt_report_date *out)
{
    pt_report_date d = {0};
    size_t len;

    if (!s)
        return -1;
    len = strlen(s);
    if (len < 10 || digits(s, 4, &d.year) || s[4] != '-' ||
        digits(s + 5, 2, &d.month) || s[7] != '-' || digits(s + 8, 2, &d.day))
        return -1;
    if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > days_in_month(d.year, d.month))
        return -1;
    if (len > 10) {
        if (!allow_time || len < 19 || s[10] != 'T' ||
            digits(s + 11, 2, &d.hour) || s[13] != ':' ||
            digits(s + 14, 2, &d.min) || s[16] != ':' ||
            digits(s + 17, 2, &d.sec))
            return -1;
        if (!(len == 19 || (len == 20 && s[19] == 'Z')))
            return -1;
        if (d.hour > 23 || d.min > 59 || d.sec > 59)
            return -1;
        d.has_time = 1;
    }
    *out = d;
    return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (the well-known "days from civil" algorithm by eras of 400 years). */
static long long days_from_civil(int y, int m, int d)
{
    long long yy = y - (m <= 2);
    long long era = (yy >= 0 ? yy : yy - 399) / 400;
    long long yoe = yy - era * 400;
    long long mp = (m + 9) % 12;
    long long doy = (153 * mp + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

time_t pt_report_date_unix(const pt_report_date *d)
{
    long long days = days_from_civil(d->year, d->month, d->day);
    return (time_t)(days * 86400 + d->hour * 3600 + d->min * 60 + d->sec);
}

int pt_report_date_roc_year(int year) { return year >= 1912 ? year - 1911 : 0; }

void pt_report_date_text(const pt_report_date *d, pt_report_lang lang,
                         char *buf, size_t n)
{
    char iso[32];
    int roc = pt_report_date_roc_year(d->year);

    if (n == 0)
        return;
    if (d->has_time)
        snprintf(iso, sizeof iso, "%04d-%02d-%02d %02d:%02d:%02d UTC", d->year,
                 d->month, d->day, d->hour, d->min, d->sec);
    else
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", d->year, d->month, d->day);
    if (roc == 0)
        snprintf(buf, n, "%s", iso);
    else if (lang == PT_REPORT_ZH_TW)
        snprintf(buf, n, "%s（民國%d年）", iso, roc);
    else
        snprintf(buf, n, "%s (ROC %d)", iso, roc);
}
