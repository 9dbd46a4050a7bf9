/*
 * test_calc_parse.c -- the fast reader of `ptlims stats` (host/calc.c):
 * a file with one number per line is parsed in one pass without the CSV
 * reader, and must give exactly what the CSV reader gives, while anything
 * else still goes to the CSV reader and its file:line:column messages.
 *
 * Evidence: the same values as a plain file (fast reader) and as a CSV
 * column "value" (CSV reader, strtod) give byte-identical JSON; single
 * values at the edges of the fast path (2^53 + 1, 1e22 and 1e23, 20
 * digits, the smallest normal double, -0, CRLF, no final line feed) come
 * back as the correctly rounded double (-0 as 0); values that underflow
 * to 0 or to a subnormal are refused, and errors deep in a large file
 * name the line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostutil.h"

static char first[1 << 16];

static FILE *open_tmp(const char *name)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", tmp, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    return f;
}

/* Numbers of every form the reader accepts, exact and inexact. */
static const char *const forms[] = {
    "1.5", "-0.25", "+3", ".5", "5.", "1e3", "1.25E-2", "-7e+1",
    "12345678901234567890", "0.1000000000000000055511151231257827",
    "1e-30", "2.2250738585072014e-308", "123456789012345678e-5",
    "0.000001234", "9007199254740993", "1e22", "1e23", "1e-307",
    "000123.4500", "-0", "0e999", "999999.9999", "1000000.0001",
    "3.141592653589793238462643383279"};

#define N_FORMS (sizeof forms / sizeof forms[0])

static void plain_and_csv_give_the_same_json(void **state)
{
    FILE *a = open_tmp("plain.txt"), *b = open_tmp("col.csv");
    size_t i, k;

    (void)state;
    fputs("lab,value\n", b);
    for (k = 0; k < 40; k++) {
        for (i = 0; i < N_FORMS; i++) {
            /* CRLF and blank lines in the plain file too */
            fprintf(a, "%s%s", forms[i], (i + k) % 5 == 0 ? "\r\n" : "\n");
            if ((i * k) % 7 == 3)
                fputs("\n", a);
            fprintf(b, "L%lu_%lu,%s\n", (unsigned long)k, (unsigned long)i,
                    forms[i]);
        }
    }
    fputs("42.125", a); /* no final line feed */
    fputs("L,42.125\n", b);
    fclose(a);
    fclose(b);
    assert_int_equal(run_stdout("%s stats --json %s/plain.txt", exe, tmp), 0);
    memcpy(first, out, sizeof out);
    assert_int_equal(run_stdout("%s stats --json %s/col.csv", exe, tmp), 0);
    assert_string_equal(first, out);
    assert_non_null(strstr(out, "\"n\": 961"));
}

/* The median of one value is that value: each form comes back as strtod
 * reads it, as the shortest text that reads back to it (-0 as 0). */
static void each_form_is_the_correctly_rounded_double(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_FORMS; i++) {
        char *p, *end, t[40];
        FILE *f = open_tmp("one.txt");
        double v = strtod(forms[i], NULL) + 0.0, got; /* -0 is 0 */
        int digits;
        fprintf(f, "%s\n", forms[i]);
        fclose(f);
        run_stdout("%s stats --json %s/one.txt 2>/dev/null", exe, tmp);
        p = strstr(out, "\"median\": ");
        assert_non_null(p);
        got = strtod(p + 10, &end);
        if (got != v || (v == 0.0 && p[10] == '-'))
            fail_msg("%s read as %.30s, wanted %.17g", forms[i], p + 10, v);
        /* the shortest: the first of %.15g, %.16g, %.17g that reads
         * back to v */
        for (digits = 15; digits < 17; digits++) {
            snprintf(t, sizeof t, "%.*g", digits, v);
            if (strtod(t, NULL) == v)
                break;
        }
        snprintf(t, sizeof t, "%.*g", digits, v);
        if ((size_t)(end - (p + 10)) != strlen(t) ||
            strncmp(p + 10, t, strlen(t)) != 0)
            fail_msg("%s printed as %.*s, wanted %s", forms[i],
                     (int)(end - (p + 10)), p + 10, t);
    }
}

static void errors_deep_in_a_plain_file_name_the_line(void **state)
{
    static const struct {
        const char *bad, *words;
    } cases[] = {
        {"abc", "big.txt:1001:1: \"abc\" is not a number"},
        {"1,5", "big.txt:1001:3: more than one field"},
        {"1e999", "big.txt:1001:1: \"1e999\" is too large"},
        {"1.5e", "big.txt:1001:1: \"1.5e\" is not a number"},
        {" 2", "big.txt:1001:1: \" 2\" is not a number"},
        {"2\r3", "big.txt:1001:"}, /* the CSV reader says what */
        {"1e-400", "big.txt:1001:1: value \"1e-400\" is too small for a "
                   "double"},
        {"4.9e-324", "big.txt:1001:1: value \"4.9e-324\" is below the "
                     "smallest normal double"},
        {"-0.0000e-999", NULL},
    };
    size_t c, i;

    (void)state;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        FILE *f = open_tmp("big.txt");
        for (i = 0; i < 1000; i++)
            fprintf(f, "%lu.25\n", (unsigned long)i);
        fprintf(f, "%s\n7\n", cases[c].bad);
        fclose(f);
        if (cases[c].words == NULL) { /* a zero, fine */
            assert_int_equal(
                run_stdout("%s stats --json %s/big.txt", exe, tmp), 0);
            continue;
        }
        assert_int_equal(
            run_stdout("%s stats --json %s/big.txt 2>&1", exe, tmp), 1);
        if (strstr(out, cases[c].words) == NULL)
            fail_msg("wanted \"%s\" in:\n%s", cases[c].words, out);
    }
    /* a file of blank lines has no values */
    run_stdout("printf '\\n\\r\\n\\n' > %s/blank.txt", tmp);
    assert_int_equal(run_stdout("%s stats %s/blank.txt 2>&1", exe, tmp), 1);
    assert_non_null(strstr(out, "no values"));
}

int main(void)
{
    const char *b = getenv("PTLIMS_BUILD");
    int failed;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_and_csv_give_the_same_json),
        cmocka_unit_test(each_form_is_the_correctly_rounded_double),
        cmocka_unit_test(errors_deep_in_a_plain_file_name_the_line),
    };

    snprintf(exe, sizeof exe, "%s %s/ptlims",
             getenv("PTLIMS_WRAP") ? getenv("PTLIMS_WRAP") : "",
             b && *b ? b : "build");
    snprintf(tmp, sizeof tmp, "/tmp/ptlims-parse-XXXXXX");
    if (!mkdtemp(tmp))
        return 2;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    run_stdout("rm -rf %s", tmp);
    return failed;
}
