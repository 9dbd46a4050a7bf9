/*
 * test_sheetname.c -- pins down how round codes become worksheet names that
 * Excel accepts: refused characters replaced, 31 characters at most (cut on
 * a character boundary), no apostrophe at either end, unique without regard
 * to case, and never Excel's reserved "History".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pt_report_sheetname.h"

static char taken[4][PT_REPORT_SHEETNAME_SIZE];

static const char *make(const char *want, size_t n_taken)
{
    static char out[PT_REPORT_SHEETNAME_SIZE];

    assert_int_equal(
        pt_report_sheetname_make(want, "Round 1",
                                 (const char(*)[PT_REPORT_SHEETNAME_SIZE])taken,
                                 n_taken, out),
        0);
    return out;
}

/* Characters, not bytes: each 3-byte CJK character counts once. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void test_refused_characters_become_underscores(void **state)
{
    (void)state;
    assert_string_equal(make("PT/2025:07", 0), "PT_2025_07");
    assert_string_equal(make("a[b]c*d?e\\f", 0), "a_b_c_d_e_f");
    assert_string_equal(make("tab\there", 0), "tab_here");
}

static void test_code_that_is_fine_is_kept(void **state)
{
    (void)state;
    assert_string_equal(make("DH-2025-01", 0), "DH-2025-01");
    assert_string_equal(make("硫含量 S-01", 0), "硫含量 S-01");
}

static void test_long_names_are_cut_to_31_characters(void **state)
{
    const char *name;

    (void)state;
    name = make("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 0);
    assert_string_equal(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234");
    /* 40 CJK characters: cut at 31 whole characters, 93 bytes */
    name = make("能力試驗能力試驗能力試驗能力試驗能力試驗"
                "能力試驗能力試驗能力試驗能力試驗能力試驗",
                0);
    assert_int_equal(chars(name), 31);
    assert_int_equal(strlen(name), 93);
}

static void test_apostrophe_at_either_end_is_replaced(void **state)
{
    (void)state;
    assert_string_equal(make("'round'", 0), "_round_");
    assert_string_equal(make("lab's round", 0), "lab's round");
}

static void test_malformed_utf8_is_replaced(void **state)
{
    (void)state;
    assert_string_equal(make("R\xff"
                             "1",
                             0),
                        "R_1");
}

static void test_clash_ignoring_case_gets_a_number(void **state)
{
    (void)state;
    strcpy(taken[0], "Summary");
    strcpy(taken[1], "DH-1");
    assert_string_equal(make("dh-1", 2), "dh-1 (2)");
    strcpy(taken[2], "dh-1 (2)");
    assert_string_equal(make("DH-1", 3), "DH-1 (3)");
    assert_string_equal(make("summary", 1), "summary (2)");
}

static void test_clash_of_a_long_name_stays_within_31(void **state)
{
    const char *name;

    (void)state;
    strcpy(taken[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234");
    name = make("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 1);
    assert_string_equal(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0 (2)");
    assert_true(chars(name) <= 31);
}

static void test_reserved_history_and_empty_names(void **state)
{
    (void)state;
    assert_string_equal(make("History", 0), "History (2)");
    assert_string_equal(make("", 0), "Round 1");
    assert_string_equal(make(NULL, 0), "Round 1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_characters_become_underscores),
        cmocka_unit_test(test_code_that_is_fine_is_kept),
        cmocka_unit_test(test_long_names_are_cut_to_31_characters),
        cmocka_unit_test(test_apostrophe_at_either_end_is_replaced),
        cmocka_unit_test(test_malformed_utf8_is_replaced),
        cmocka_unit_test(test_clash_ignoring_case_gets_a_number),
        cmocka_unit_test(test_clash_of_a_long_name_stays_within_31),
        cmocka_unit_test(test_reserved_history_and_empty_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
