/*
 * classes.c -- the one table of the names of the score classes, as they
 * are stored, listed and written in JSON.
 */
#include <string.h>

#include "pt_stats.h"

static const char *const names[] = {
    [PT_CLASS_SATISFACTORY] = "satisfactory",
    [PT_CLASS_QUESTIONABLE] = "questionable",
    [PT_CLASS_UNSATISFACTORY] = "unsatisfactory",
};

const char *pt_stats_class_name(pt_stats_class c)
{
    return (unsigned)c < sizeof names / sizeof names[0] && names[c]
               ? names[c]
               : "unsatisfactory";
}

int pt_stats_class_parse(const char *name)
{
    size_t i;

    for (i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return (int)i;
    return 0;
}
