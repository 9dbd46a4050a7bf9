/*
 * pt_progress.c -- rate-limited progress reports to the host (see
 * pt_progress.h).
 */
#include "pt_progress.h"

#include <time.h>

static double seconds(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void report(pt_progress *p, unsigned long long done)
{
    p->inst->svc.progress(p->inst->svc.host, p->stage, done, p->total);
}

void pt_progress_start(pt_progress *p, const lims_instance *inst,
                       const char *stage, unsigned long long total)
{
    p->inst = inst && inst->svc.progress ? inst : NULL;
    p->stage = stage;
    p->total = total;
    if (p->inst) {
        p->last = seconds();
        report(p, 0);
    }
}

void pt_progress_step(pt_progress *p, unsigned long long done)
{
    double t;

    if (!p->inst)
        return;
    t = seconds();
    if (t - p->last < 0.1)
        return;
    p->last = t;
    report(p, done);
}

void pt_progress_end(pt_progress *p)
{
    if (p->inst)
        report(p, p->total);
}
