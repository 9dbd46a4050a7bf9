/*
 * pt_report_date.c -- strict ISO date parsing and 民國-year display for the
 * audit workbook (see pt_report_date.h).  Calendar arithmetic is done here
 * rather than with timegm()/mktime() so that the result never depends on the
 * process's time zone or on non-standard library functions.
 */
#include "pt_report_date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
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
                         int style, const char *zone, char *buf, size_t n)
{
    char iso[32], time[48] = "";
    int roc = pt_report_date_roc_year(d->year);

    if (n == 0)
        return;
    if (d->has_time)
        snprintf(time, sizeof time, " %02d:%02d:%02d %s", d->hour, d->min,
                 d->sec, zone && *zone ? zone : "UTC");
    if (roc > 0 && style == 1) {
        snprintf(buf, n, "%d/%02d/%02d%s", roc, d->month, d->day, time);
        return;
    }
    if (roc > 0 && style == 2) {
        snprintf(buf, n, "%d年%d月%d日%s", roc, d->month, d->day, time);
        return;
    }
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", d->year, d->month, d->day);
    if (roc == 0)
        snprintf(buf, n, "%s%s", iso, time);
    else if (lang == PT_REPORT_ZH_TW)
        snprintf(buf, n, "%s%s（民國%d年）", iso, time, roc);
    else
        snprintf(buf, n, "%s%s (ROC %d)", iso, time, roc);
}

/* Zones without daylight saving time in their current rules. */
static const struct {
    const char *name;
    int minutes;
} zones[] = {
    {"Asia/Taipei", 480},    {"UTC", 0},
    {"Asia/Hong_Kong", 480}, {"Asia/Shanghai", 480},
    {"Asia/Singapore", 480}, {"Asia/Tokyo", 540},
    {"Asia/Seoul", 540},     {"Asia/Manila", 480},
    {"Asia/Bangkok", 420},   {"Asia/Kolkata", 330},
};

int pt_report_date_tz_offset(const char *tz, int *minutes)
{
    if (!tz || !*tz)
        tz = "Asia/Taipei";
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strcmp(zones[i].name, tz) == 0) {
            *minutes = zones[i].minutes;
            return 0;
        }
    if ((tz[0] == '+' || tz[0] == '-') && isdigit((unsigned char)tz[1]) &&
        isdigit((unsigned char)tz[2]) && tz[3] == ':' &&
        isdigit((unsigned char)tz[4]) && isdigit((unsigned char)tz[5]) &&
        tz[6] == '\0') {
        int h = (tz[1] - '0') * 10 + (tz[2] - '0');
        int m = (tz[4] - '0') * 10 + (tz[5] - '0');
        if (h > 14 || m > 59)
            return -1;
        *minutes = (tz[0] == '-' ? -1 : 1) * (h * 60 + m);
        return 0;
    }
    return -1;
}

/* y-m-d of a day count from 1970-01-01 (the inverse of days_from_civil). */
static void civil_from_days(long long z, int *y, int *m, int *d)
{
    long long era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

pt_report_date pt_report_date_shift(const pt_report_date *d, int minutes)
{
    pt_report_date out = *d;
    long long t = (long long)pt_report_date_unix(d) + 60LL * minutes;
    long long days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    long long sec = t - days * 86400;

    civil_from_days(days, &out.year, &out.month, &out.day);
    out.hour = (int)(sec / 3600);
    out.min = (int)(sec / 60 % 60);
    out.sec = (int)(sec % 60);
    return out;
}

void pt_report_date_generated(const pt_report *r, pt_report_lang lang,
                              char *buf, size_t n)
{
    pt_report_date d, local;
    int minutes;
    char zone[64];

    if (n == 0)
        return;
    buf[0] = '\0';
    if (pt_report_date_parse(r->generated_at, 1, &d) != 0 ||
        pt_report_date_tz_offset(r->tz, &minutes) != 0)
        return;
    local = pt_report_date_shift(&d, minutes);
    snprintf(zone, sizeof zone, "%s (UTC%c%02d:%02d)",
             r->tz && *r->tz ? r->tz : "Asia/Taipei",
             minutes < 0 ? '-' : '+', abs(minutes) / 60, abs(minutes) % 60);
    pt_report_date_text(&local, lang, r->roc_dates, zone, buf, n);
}
