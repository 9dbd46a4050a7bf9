/*
 * fuzz_csv.c -- fuzz target for the RFC 4180 reader and number parsing.
 *
 * Checks, besides "no crash": every field is NUL-terminated at its stated
 * length, positions are 1-based and never go backwards, and a number the
 * parser accepts is finite.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_targets.h"
#include "pt_csv.h"

#define CHECK(x)                                                              \
    do {                                                                      \
        if (!(x)) {                                                           \
            fprintf(stderr, "fuzz_csv: check failed: %s\n", #x);              \
            abort();                                                          \
        }                                                                     \
    } while (0)

int pt_fuzz_csv(const uint8_t *data, size_t size)
{
    pt_csv *csv = NULL;
    const pt_csv_field *f;
    size_t n, i;
    char err[512], why[256];
    double v;
    unsigned long last_line = 0;
    pt_csv_status st;

    st = pt_csv_open_buffer("fuzz.csv", (const char *)data, size, &csv, err,
                            sizeof err);
    if (st != PT_CSV_OK) {
        CHECK(csv == NULL);
        CHECK(strncmp(err, "fuzz.csv:", 9) == 0 || st == PT_CSV_NOMEM);
        return 0;
    }
    while ((st = pt_csv_next(csv, &f, &n, err, sizeof err)) == PT_CSV_OK) {
        CHECK(n >= 1);
        CHECK(f[0].line >= last_line);
        last_line = f[0].line;
        for (i = 0; i < n; i++) {
            CHECK(f[i].line >= 1 && f[i].col >= 1);
            CHECK(strlen(f[i].text) == f[i].len);
            if (pt_csv_number(f[i].text, &v, why, sizeof why) == 0)
                CHECK(isfinite(v));
            else
                CHECK(why[0] != 0);
            (void)pt_csv_is_date(f[i].text);
        }
    }
    if (st == PT_CSV_ERROR)
        CHECK(strncmp(err, "fuzz.csv:", 9) == 0);
    pt_csv_free(csv);
    return 0;
}

#ifdef PT_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return pt_fuzz_csv(data, size);
}
#endif
