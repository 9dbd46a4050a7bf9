/*
 * pt_intern.h -- interned texts: equal texts get one small index, so that
 * rows grouped by measurand and item compare numbers, not strings.
 */
#ifndef PT_INTERN_H
#define PT_INTERN_H

#include <stddef.h>

typedef struct pt_intern {
    char **s;        /* the texts, by index; owned */
    size_t n, cap;
    size_t *slot;    /* open addressing: index + 1, 0 empty */
    size_t nslot;
} pt_intern;

/* The index of text in t, added when new; -1 when out of memory.  A
 * zero-filled pt_intern is an empty table. */
long pt_intern_index(pt_intern *t, const char *text);

/* rank (OUT, t->n entries, caller-allocated): the alphabetical (strcmp)
 * position of each index's text; 0 on success, -1 when out of memory. */
int pt_intern_rank(const pt_intern *t, size_t *rank);

void pt_intern_free(pt_intern *t);

#endif /* PT_INTERN_H */
