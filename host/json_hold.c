/*
 * json_hold.c -- holding --json output until the command succeeds (see
 * json_hold.h).  The ptlims command is one process running one command,
 * so the saved descriptor is kept in this file.
 */
#include "json_hold.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int saved_fd = -1;  /* the real stdout while output is held */
static FILE *held_file;    /* where stdout goes meanwhile */
static int keep;           /* json_hold_keep was called */

int json_hold_begin(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc && strcmp(argv[i], "--json") != 0; i++)
        ;
    if (i == argc || fflush(stdout) != 0)
        return 0;
    if (!(held_file = tmpfile()))
        return 0;
    saved_fd = dup(STDOUT_FILENO);
    if (saved_fd < 0 || dup2(fileno(held_file), STDOUT_FILENO) < 0) {
        if (saved_fd >= 0)
            close(saved_fd);
        fclose(held_file);
        held_file = NULL;
        saved_fd = -1;
        return 0;
    }
    return 1;
}

/* Copy the held output to fd; 0, or -1 on a write error. */
static int copy_out(int fd)
{
    char buf[1 << 16];
    size_t n, off;
    ssize_t w;

    rewind(held_file);
    while ((n = fread(buf, 1, sizeof buf, held_file)) > 0) {
        for (off = 0; off < n; off += (size_t)w) {
            w = write(fd, buf + off, n - off);
            if (w < 0 && errno == EINTR) {
                w = 0;
                continue;
            }
            if (w <= 0)
                return -1;
        }
    }
    return ferror(held_file) ? -1 : 0;
}

void json_hold_keep(void)
{
    keep = 1;
}

int json_hold_end(int held, int rc)
{
    if (!held)
        return rc;
    if (fflush(stdout) != 0 && rc == 0)
        rc = 2;
    if ((rc == 0 || keep) && copy_out(saved_fd) != 0) {
        fprintf(stderr, "ptlims: writing the output: %s\n", strerror(errno));
        rc = 2;
    }
    dup2(saved_fd, STDOUT_FILENO);
    close(saved_fd);
    fclose(held_file);
    held_file = NULL;
    saved_fd = -1;
    return rc;
}
