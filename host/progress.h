/*
 * progress.h -- the reference host's progress bar (lims_services.progress).
 */
#ifndef PTLIMS_PROGRESS_H
#define PTLIMS_PROGRESS_H

#include <stdio.h>

/* The callback for lims_services.progress when stderr is a terminal, else
 * NULL: the plug-ins are then not asked to report and nothing is drawn. */
void (*host_progress_callback(void))(void *host, const char *stage,
                                     unsigned long long done,
                                     unsigned long long total);

/* Draws the bar for `stage` on `out` (the callback's work, for tests):
 * nothing until the stage has run `delay` seconds, so quick work shows no
 * bar; a final line when done == total. */
void host_progress_draw(FILE *out, double delay, const char *stage,
                        unsigned long long done, unsigned long long total);

#endif /* PTLIMS_PROGRESS_H */
