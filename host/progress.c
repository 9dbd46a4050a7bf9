/*
 * progress.c -- a progress bar on stderr for long imports and workbooks.
 *
 * The plug-ins report progress through lims_services.progress (at most
 * about ten times a second); the host draws it only when stderr is a
 * terminal, and only once a stage has taken half a second, so scripts,
 * pipes and quick commands see nothing.  The state is the host's own (one
 * bar at a time).
 */
#include "progress.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
    char stage[32];
    double started;
    int drawn; /* a bar is on the line */
} bar;

static double seconds(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void host_progress_draw(FILE *out, double delay, const char *stage,
                        unsigned long long done, unsigned long long total)
{
    char cells[41];
    int width = (int)sizeof cells - 1, fill;
    double frac;

    if (strncmp(bar.stage, stage, sizeof bar.stage - 1) != 0 || done == 0) {
        snprintf(bar.stage, sizeof bar.stage, "%s", stage);
        bar.started = seconds();
        bar.drawn = 0;
    }
    if (!bar.drawn && seconds() - bar.started < delay)
        return;
    frac = total ? (double)done / (double)total : 0;
    if (frac > 1)
        frac = 1;
    fill = (int)(frac * width);
    memset(cells, '#', (size_t)fill);
    memset(cells + fill, '.', (size_t)(width - fill));
    cells[width] = 0;
    if (total)
        fprintf(out, "\r%-8s [%s] %3d %%", stage, cells, (int)(frac * 100));
    else
        fprintf(out, "\r%-8s %llu", stage, done);
    bar.drawn = 1;
    if (total && done >= total) {
        fputc('\n', out);
        bar.stage[0] = 0;
        bar.drawn = 0;
    }
    fflush(out);
}

static void draw(void *host, const char *stage, unsigned long long done,
                 unsigned long long total)
{
    (void)host;
    host_progress_draw(stderr, 0.5, stage, done, total);
}

void (*host_progress_callback(void))(void *host, const char *stage,
                                     unsigned long long done,
                                     unsigned long long total)
{
    return isatty(2) ? draw : NULL;
}
