/*
 * pt_progress.h -- telling the host how far a long operation has got
 * (lims_services.progress), at most about ten times a second.
 *
 * A plug-in never prints: the host decides whether and how to show the
 * progress (the reference host draws a bar when stderr is a terminal).
 * Cheap enough to call on every row (one read of the monotonic clock).
 */
#ifndef PT_PROGRESS_H
#define PT_PROGRESS_H

#include "pt_core.h"

typedef struct pt_progress {
    const lims_instance *inst; /* NULL: nobody listens */
    const char *stage;         /* "import", "report" */
    unsigned long long total;  /* 0: unknown */
    double last; /* monotonic seconds of the last report */
} pt_progress;

/* Starts a stage of `total` units; reports 0 of total. */
void pt_progress_start(pt_progress *p, const lims_instance *inst,
                       const char *stage, unsigned long long total);

/* `done` units so far; reported when 0.1 s have passed since the last. */
void pt_progress_step(pt_progress *p, unsigned long long done);

/* The stage is over: reports total of total. */
void pt_progress_end(pt_progress *p);

#endif /* PT_PROGRESS_H */
