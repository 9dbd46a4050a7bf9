/*
 * pt_method.h -- test methods as data: which method a result's method text
 * names, its scope, and its repeatability r and reproducibility R at a
 * level, from the method and method_precision tables (schemas/002).
 */
#ifndef PT_METHOD_H
#define PT_METHOD_H

#include <sqlite3.h>

#include "lims_plugin.h"

typedef struct pt_method {
    long long id;        /* 0: no method in the table matches */
    char code[64];       /* "ASTM D5453" */
    char status[16];     /* "published", "unverified", "missing" */
    double scope_min, scope_max; /* canonical unit, NAN when open */
    double scale;        /* canonical = method unit * scale */
} pt_method;

/* Canonical units of `measurand` per one `unit`, through the scheme's own
 * unit table; NAN when the scheme does not accept the unit. */
double pt_method_unit_scale(const lims_plugin *p, const char *measurand,
                            const char *unit);

/* Find the method whose code begins the reported method text ("ASTM
 * D5453-19a" names "ASTM D5453"), longest code first.  m->id is 0 when
 * none matches.  `p` converts the method's unit to the measurand's. */
lims_status pt_method_find(sqlite3 *db, const lims_plugin *p,
                           const char *measurand, const char *text,
                           pt_method *m /* OUT */, char *err, size_t errlen);

/* r and R (canonical unit) at level x (canonical unit) from the row whose
 * range holds x; NAN when the method has no equation there. */
lims_status pt_method_precision(sqlite3 *db, const pt_method *m, double x,
                                double *r /* OUT */, double *R /* OUT */,
                                char *err, size_t errlen);

/* The same lookups for a caller that makes many (an import, an
 * evaluation): the statements are prepared once and the last answers
 * kept, so the method and precision tables must not change while the
 * cache is in use.  _init: LIMS_OK, or a status with a message (nothing
 * to release); _release finalizes the statements (before the caller
 * commits).  No heap allocation of its own. */
#define PT_METHOD_CACHE_FOUND 16
typedef struct pt_method_cache {
    sqlite3_stmt *find_q, *precision_q;
    struct {
        const lims_plugin *p;
        char measurand[64];
        char text[192];
        pt_method m;
    } found[PT_METHOD_CACHE_FOUND]; /* the last methods found */
    unsigned n_found, next;
    long long prec_id; /* the last precision answer */
    double prec_X, prec_r, prec_R;
} pt_method_cache;

lims_status pt_method_cache_init(pt_method_cache *c, sqlite3 *db,
                                char *err, size_t errlen);
void pt_method_cache_release(pt_method_cache *c);
/* As pt_method_find and pt_method_precision (they cannot fail here). */
void pt_method_cache_find(pt_method_cache *c, const lims_plugin *p,
                          const char *measurand, const char *text,
                          pt_method *m /* OUT */);
void pt_method_cache_precision(pt_method_cache *c, const pt_method *m,
                               double x, double *r /* OUT */,
                               double *R /* OUT */);

#endif /* PT_METHOD_H */
