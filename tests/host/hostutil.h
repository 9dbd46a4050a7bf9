/*
 * hostutil.h -- running the built commands from a host test: a shell
 * command line is run with popen, what it prints is kept in `out`, and
 * expect() fails the test with that output when the exit status or the
 * words are not the ones wanted.
 */
#ifndef PTLIMS_HOSTUTIL_H
#define PTLIMS_HOSTUTIL_H

extern char build[256];   /* the build directory: $PTLIMS_BUILD or build */
extern char exe[1024];    /* the program under test, $PTLIMS_WRAP first */
extern char tmp[256];     /* a directory of this test program's own */
extern char out[1 << 16]; /* what the last run printed */

/* ptlims with the build's plug-ins and a database in tmp:
 * run(PTLIMS " scores", exe, build, tmp, "x.db") */
#define PTLIMS "%s --plugin-dir %s/plugins --db %s/%s"
/* how many lines of a workbook's parts hold a text: "count=N" */
#define ZIPCOUNT "python3 tests/host/zipcount.py "

#if defined(__GNUC__)
#define HOSTUTIL_PRINTF __attribute__((format(printf, 1, 2)))
#else
#define HOSTUTIL_PRINTF
#endif

/* Run the command; `out` gets stdout and stderr.  Returns the exit
 * status (128 when the command did not exit). */
int run(const char *fmt, ...) HOSTUTIL_PRINTF;

/* The same, with only stdout in `out` (stderr goes to the test's). */
int run_stdout(const char *fmt, ...) HOSTUTIL_PRINTF;

/* The same, with only stderr in `out` (stdout is thrown away). */
int run_stderr(const char *fmt, ...) HOSTUTIL_PRINTF;

/* Fail the test unless status == want and `out` holds words (NULL: any). */
void expect(int status, int want, const char *words);

#endif /* PTLIMS_HOSTUTIL_H */
