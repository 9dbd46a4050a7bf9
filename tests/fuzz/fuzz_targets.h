/*
 * fuzz_targets.h -- the fuzz targets, callable from libFuzzer (make fuzz,
 * clang) and from the corpus replay test (make test, any compiler).
 *
 * Each target takes one input and returns 0; a bug shows as a crash, a
 * sanitizer report or a failed internal check (which aborts: these are
 * test programs, not plug-in code).
 */
#ifndef PTLIMS_FUZZ_TARGETS_H
#define PTLIMS_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* The CSV reader: every record of the input, and pt_csv_number and
 * pt_csv_is_date on every field. */
int pt_fuzz_csv(const uint8_t *data, size_t size);

/* A whole import of the input as a CSV file into a database that holds
 * the fixtures' laboratories and rounds; a refused import must leave it
 * unchanged. */
int pt_fuzz_import(const uint8_t *data, size_t size);

/* Release what pt_fuzz_import keeps between inputs (for leak checks). */
void pt_fuzz_import_cleanup(void);

/* A plan or corrective-action file ('p' or 'c' as the first byte puts
 * that header before the rest) imported into a database with scored
 * results: refused, nothing changed; accepted, the record verifies. */
int pt_fuzz_record(const uint8_t *data, size_t size);
void pt_fuzz_record_cleanup(void);

/* The input as a changeset given to sync apply: refused, nothing
 * changed; applied, the record verifies. */
int pt_fuzz_sync(const uint8_t *data, size_t size);
void pt_fuzz_sync_cleanup(void);

/* The calculators (ptlims stats, score, homogeneity, precision) on the
 * input as their FILE. */
int pt_fuzz_calc(const uint8_t *data, size_t size);

#endif /* PTLIMS_FUZZ_TARGETS_H */
