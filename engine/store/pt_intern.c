/*
 * pt_intern.c -- interned texts (pt_intern.h): an array of copies and an
 * open-addressing hash of indices into it.
 */
#include <stdlib.h>
#include <string.h>

#include "pt_intern.h"

static size_t hash(const char *t)
{
    size_t h = 1469598103934665603ull;

    while (*t)
        h = (h ^ (unsigned char)*t++) * 1099511628211ull;
    return h;
}

static int grow(pt_intern *t)
{
    size_t n = t->nslot ? 2 * t->nslot : 64, i, h;
    size_t *slot = calloc(n, sizeof *slot);

    if (!slot)
        return -1;
    for (i = 0; i < t->n; i++) {
        for (h = hash(t->s[i]) & (n - 1); slot[h]; h = (h + 1) & (n - 1))
            ;
        slot[h] = i + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->nslot = n;
    return 0;
}

long pt_intern_index(pt_intern *t, const char *text)
{
    size_t h, k;

    if (2 * (t->n + 1) > t->nslot && grow(t) != 0)
        return -1;
    for (h = hash(text) & (t->nslot - 1); (k = t->slot[h]) != 0;
         h = (h + 1) & (t->nslot - 1))
        if (strcmp(t->s[k - 1], text) == 0)
            return (long)(k - 1);
    if (t->n == t->cap) {
        size_t c = t->cap ? 2 * t->cap : 16;
        char **p = realloc(t->s, c * sizeof *p);
        if (!p)
            return -1;
        t->s = p;
        t->cap = c;
    }
    if (!(t->s[t->n] = strdup(text)))
        return -1;
    t->slot[h] = t->n + 1;
    return (long)t->n++;
}

/* qsort on pointers to the texts' slots, by text */
static int cmp_text(const void *a, const void *b)
{
    return strcmp(**(char **const *)a, **(char **const *)b);
}

int pt_intern_rank(const pt_intern *t, size_t *rank)
{
    char ***order;
    size_t i;

    if (t->n == 0)
        return 0;
    if (!(order = malloc(t->n * sizeof *order)))
        return -1;
    for (i = 0; i < t->n; i++)
        order[i] = &t->s[i];
    qsort(order, t->n, sizeof *order, cmp_text);
    for (i = 0; i < t->n; i++)
        rank[order[i] - t->s] = i;
    free(order);
    return 0;
}

void pt_intern_free(pt_intern *t)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        free(t->s[i]);
    free(t->s);
    free(t->slot);
    memset(t, 0, sizeof *t);
}
