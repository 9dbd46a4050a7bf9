/*
 * status.c -- the text of each pt_stats_status.
 *
 * Kept apart from the numerics so that a caller that only reports errors
 * (the host, the report writer) does not pull the estimators in.
 */
#include "pt_stats.h"

const char *pt_stats_strerror(pt_stats_status st)
{
    switch (st) {
    case PT_STATS_OK:
        return "ok";
    case PT_STATS_EMPTY:
        return "no values";
    case PT_STATS_TOO_FEW:
        return "too few values for the method";
    case PT_STATS_NONFINITE:
        return "a value is NaN or infinite, or a result overflows";
    case PT_STATS_BAD_ARG:
        return "invalid argument (NULL pointer, or a scale, uncertainty "
               "or option out of range)";
    case PT_STATS_NO_CONVERGE:
        return "iteration limit reached without convergence";
    case PT_STATS_NO_MEMORY:
        return "out of memory";
    case PT_STATS_ZERO_SCALE:
        return "robust scale is zero (too many of the values are equal)";
    }
    return "unknown status";
}
