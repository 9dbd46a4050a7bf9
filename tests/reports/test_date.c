/*
 * test_date.c -- pins down the workbook's dates: strict ISO parsing (real
 * calendar dates only), the 民國 year beside each date, and the document
 * date computed without the process's time zone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "pt_report_date.h"

static void test_parses_date_and_date_time(void **state)
{
    pt_report_date d;

    (void)state;
    assert_int_equal(pt_report_date_parse("2025-03-14", 0, &d), 0);
    assert_int_equal(d.year, 2025);
    assert_int_equal(d.month, 3);
    assert_int_equal(d.day, 14);
    assert_false(d.has_time);
    assert_int_equal(pt_report_date_parse("2025-07-01T08:30:05Z", 1, &d), 0);
    assert_true(d.has_time);
    assert_int_equal(d.hour, 8);
    assert_int_equal(d.min, 30);
    assert_int_equal(d.sec, 5);
}

static void test_rejects_what_is_not_a_calendar_date(void **state)
{
    pt_report_date d;
    static const char *const bad[] = {
        "2025-02-29",          "2025-13-01",      "2025-04-31",
        "2025-00-10",          "2025/03/14",      "25-03-14",
        "2025-3-14",           "2025-03-14 ",     "",
        "2025-03-14T24:00:00", "2025-03-14T08:30"};

    (void)state;
    assert_int_equal(pt_report_date_parse("2024-02-29", 0, &d), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (pt_report_date_parse(bad[i], 1, &d) == 0)
            fail_msg("accepted \"%s\"", bad[i]);
    /* a time where only a date is expected */
    assert_int_not_equal(pt_report_date_parse("2025-03-14T08:30:00", 0, &d), 0);
    assert_int_not_equal(pt_report_date_parse(NULL, 0, &d), 0);
}

static void test_roc_year_is_year_minus_1911(void **state)
{
    (void)state;
    assert_int_equal(pt_report_date_roc_year(2025), 114);
    assert_int_equal(pt_report_date_roc_year(1912), 1);
    assert_int_equal(pt_report_date_roc_year(1911), 0);
}

static void test_date_text_shows_roc_year_beside_iso_date(void **state)
{
    pt_report_date d;
    char buf[64];

    (void)state;
    assert_int_equal(pt_report_date_parse("2025-03-14", 0, &d), 0);
    pt_report_date_text(&d, PT_REPORT_ZH_TW, 0, NULL, buf, sizeof buf);
    assert_string_equal(buf, "2025-03-14（民國114年）");
    pt_report_date_text(&d, PT_REPORT_EN, 0, NULL, buf, sizeof buf);
    assert_string_equal(buf, "2025-03-14 (ROC 114)");
    pt_report_date_text(&d, PT_REPORT_ZH_TW, 1, NULL, buf, sizeof buf);
    assert_string_equal(buf, "114/03/14");
    pt_report_date_text(&d, PT_REPORT_ZH_TW, 2, NULL, buf, sizeof buf);
    assert_string_equal(buf, "114年3月14日");
    assert_int_equal(pt_report_date_parse("2025-07-01T08:30:00", 1, &d), 0);
    pt_report_date_text(&d, PT_REPORT_ZH_TW, 0, NULL, buf, sizeof buf);
    assert_string_equal(buf, "2025-07-01 08:30:00 UTC（民國114年）");
}

/* 2024-12-31T20:00:00 UTC is already 2025-01-01 in Taipei: the date, and
 * the 民國 year, are those of the local day. */
static void test_generated_at_is_shown_in_the_laboratorys_time_zone(
    void **state)
{
    pt_report r;
    char buf[128];
    int m;

    (void)state;
    memset(&r, 0, sizeof r);
    r.generated_at = "2024-12-31T20:00:00";
    pt_report_date_generated(&r, PT_REPORT_ZH_TW, buf, sizeof buf);
    assert_string_equal(buf, "2025-01-01 04:00:00 Asia/Taipei (UTC+08:00)"
                             "（民國114年）");
    r.roc_dates = 2;
    pt_report_date_generated(&r, PT_REPORT_ZH_TW, buf, sizeof buf);
    assert_string_equal(buf, "114年1月1日 04:00:00 Asia/Taipei (UTC+08:00)");
    r.tz = "UTC";
    r.roc_dates = 0;
    pt_report_date_generated(&r, PT_REPORT_EN, buf, sizeof buf);
    assert_string_equal(buf, "2024-12-31 20:00:00 UTC (UTC+00:00) (ROC 113)");
    r.tz = "-05:30";
    pt_report_date_generated(&r, PT_REPORT_EN, buf, sizeof buf);
    assert_string_equal(buf, "2024-12-31 14:30:00 -05:30 (UTC-05:30) (ROC "
                             "113)");
    assert_int_equal(pt_report_date_tz_offset("Europe/Berlin", &m), -1);
    assert_int_equal(pt_report_date_tz_offset("+15:00", &m), -1);
    assert_int_equal(pt_report_date_tz_offset("+08:00", &m), 0);
    assert_int_equal(m, 480);
}

static void test_unix_time_ignores_the_time_zone(void **state)
{
    pt_report_date d;

    (void)state;
    setenv("TZ", "Asia/Taipei", 1);
    tzset();
    assert_int_equal(pt_report_date_parse("2025-07-01T08:30:00", 1, &d), 0);
    assert_int_equal((long long)pt_report_date_unix(&d), 1751358600LL);
    assert_int_equal(pt_report_date_parse("1970-01-01", 0, &d), 0);
    assert_int_equal((long long)pt_report_date_unix(&d), 0);
    assert_int_equal(pt_report_date_parse("2000-03-01", 0, &d), 0);
    assert_int_equal((long long)pt_report_date_unix(&d), 951868800LL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parses_date_and_date_time),
        cmocka_unit_test(test_rejects_what_is_not_a_calendar_date),
        cmocka_unit_test(test_roc_year_is_year_minus_1911),
        cmocka_unit_test(test_date_text_shows_roc_year_beside_iso_date),
        cmocka_unit_test(test_unix_time_ignores_the_time_zone),
        cmocka_unit_test(
            test_generated_at_is_shown_in_the_laboratorys_time_zone),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
