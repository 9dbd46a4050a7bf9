/*
 * fuzz_calc.c -- fuzz target for the calculators' input: the same bytes
 * as the FILE of `ptlims stats`, `score`, `homogeneity` and `precision`
 * (plain and --json), run in-process.  Their output is thrown away; a bug
 * shows as a crash, a sanitizer report or an exit code other than 0, 1
 * or 2.  The host's main() is linked in renamed (the Makefile).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../host/calc.h"
#include "fuzz_targets.h"

static char path[64];

static int run(char *a0, char *a1, char *a2, char *a3, char *a4, char *a5,
               char *a6, char *a7)
{
    char *argv[9] = {a0, a1, a2, a3, a4, a5, a6, a7, NULL};
    int argc = 0, rc, out, err, null;
    cli c;

    while (argv[argc])
        argc++;
    memset(&c, 0, sizeof c);
    fflush(stdout);
    fflush(stderr);
    out = dup(1);
    err = dup(2);
    null = open("/dev/null", O_WRONLY);
    if (out < 0 || err < 0 || null < 0)
        abort();
    dup2(null, 1);
    dup2(null, 2);
    rc = strcmp(a0, "stats") == 0         ? cmd_stats(&c, argc, argv)
         : strcmp(a0, "score") == 0       ? cmd_score(&c, argc, argv)
         : strcmp(a0, "homogeneity") == 0 ? cmd_homogeneity(&c, argc, argv)
                                          : cmd_precision(&c, argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(out, 1);
    dup2(err, 2);
    close(out);
    close(err);
    close(null);
    return rc;
}

int pt_fuzz_calc(const uint8_t *data, size_t size)
{
    char stats[] = "stats", score[] = "score", homog[] = "homogeneity",
         prec[] = "precision", json[] = "--json", xpt[] = "--xpt",
         uxpt[] = "--u-xpt", sig[] = "--sigma-pt", v1[] = "10.0",
         v2[] = "0.2", v3[] = "1.1", sig3[] = "--stop=sig3";
    int rc[6], i;
    FILE *f;

    if (!path[0]) {
        int fd;
        snprintf(path, sizeof path, "/tmp/ptlims-fuzz-calc-XXXXXX");
        fd = mkstemp(path);
        if (fd < 0)
            abort();
        close(fd);
    }
    f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    rc[0] = run(stats, path, NULL, NULL, NULL, NULL, NULL, NULL);
    rc[1] = run(stats, json, sig3, path, NULL, NULL, NULL, NULL);
    rc[2] = run(score, xpt, v1, uxpt, v2, sig, v3, path);
    rc[3] = run(homog, sig, v3, json, path, NULL, NULL, NULL);
    rc[4] = run(prec, path, NULL, NULL, NULL, NULL, NULL, NULL);
    rc[5] = run(prec, json, path, NULL, NULL, NULL, NULL, NULL);
    for (i = 0; i < 6; i++)
        if (rc[i] < 0 || rc[i] > 2) {
            fprintf(stderr, "fuzz_calc: run %d exited %d\n", i, rc[i]);
            abort();
        }
    return 0;
}

#ifdef PT_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return pt_fuzz_calc(data, size);
}
#endif
