/*
 * hostutil.c -- the shared runner of the host tests (see hostutil.h).
 */
#include "hostutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

char build[256];
char exe[1024];
char tmp[256];
char out[1 << 16];

static int vrun(const char *redirect, const char *fmt, va_list ap)
{
    char cmd[8192];
    FILE *p;
    size_t n;
    int st;

    vsnprintf(cmd, sizeof cmd, fmt, ap);
    strncat(cmd, redirect, sizeof cmd - strlen(cmd) - 1);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int run(const char *fmt, ...)
{
    va_list ap;
    int st;

    va_start(ap, fmt);
    st = vrun(" 2>&1", fmt, ap);
    va_end(ap);
    return st;
}

int run_stdout(const char *fmt, ...)
{
    va_list ap;
    int st;

    va_start(ap, fmt);
    st = vrun("", fmt, ap);
    va_end(ap);
    return st;
}

int run_stderr(const char *fmt, ...)
{
    va_list ap;
    int st;

    va_start(ap, fmt);
    st = vrun(" 2>&1 >/dev/null", fmt, ap);
    va_end(ap);
    return st;
}

void expect(int status, int want, const char *words)
{
    if (status != want || (words && !strstr(out, words)))
        fail_msg("exit %d (wanted %d), output:\n%s\nwanted: %s", status,
                 want, out, words ? words : "");
}
