/*
 * itest.h -- helpers for the integrity tests (issue 7): run the real
 * ptlims command and capture what it says, copy and fingerprint database
 * files, and take a logical dump of a database.
 *
 * The tests run from the repository top; $PTLIMS_BUILD names the build
 * directory and $PTLIMS_WRAP a command to run ptlims under (valgrind).
 */
#ifndef PTLIMS_ITEST_H
#define PTLIMS_ITEST_H

#include <stddef.h>

/* The build directory and "$PTLIMS_WRAP <build>/ptlims --plugin-dir
 * <build>/plugins" (without --db). */
const char *it_build(void);
const char *it_ptlims(void);

/* A fresh temporary directory for this process (removed by it_cleanup). */
const char *it_tmp(void);
void it_cleanup(void);

/* Output (stdout and stderr) of the last it_run. */
extern char it_out[1 << 16];

/* Run a shell command made from fmt; capture its output in it_out and
 * return its exit status (128 + signal when killed). */
int it_run(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Fail the test unless status is want and, when words is not NULL, it_out
 * contains words. */
void it_expect(int status, int want, const char *words);

/* A whole file as a NUL-terminated string (fails the test when it cannot
 * be read).  Caller frees. */
char *it_slurp(const char *path);

/* Copy a file; fails the test when it cannot. */
void it_copy(const char *from, const char *to);

/* SHA-256 of a file's bytes as hex (65 bytes); "" when it does not exist. */
void it_file_sha256(const char *path, char hex[65]);

/* Every row of every table, in a stable order, as text.  Caller frees. */
char *it_dump(const char *db_path);

/* The single integer a query returns (fails the test otherwise). */
long long it_query_int(const char *db_path, const char *sql);

#endif /* PTLIMS_ITEST_H */
