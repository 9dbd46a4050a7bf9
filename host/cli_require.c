/*
 * cli_require.c -- naming what a command line lacks: "ptlims report:
 * missing --out" instead of the whole usage, so that a user sees at once
 * which option to add.
 */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

int cli_require(const char *cmd, ...)
{
    const char *missing[32], *name;
    size_t n = 0, k;
    va_list ap;

    va_start(ap, cmd);
    while ((name = va_arg(ap, const char *)) != NULL) {
        const char *value = va_arg(ap, const char *);
        if ((!value || !*value) && n < sizeof missing / sizeof missing[0])
            missing[n++] = name;
    }
    va_end(ap);
    if (!n)
        return 0;
    fprintf(stderr, "ptlims %s: missing ", cmd);
    for (k = 0; k < n; k++)
        fprintf(stderr, "%s%s", k ? (k + 1 == n ? " and " : ", ") : "",
                missing[k]);
    fprintf(stderr, " (see ptlims %s --help)\n", cmd);
    return 1;
}
