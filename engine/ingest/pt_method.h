/*
 * pt_method.h -- test methods as data: which method and edition a
 * result's method text names, the edition's scope, and the repeatability
 * r and reproducibility R at a level for a product, from the method,
 * method_edition and method_precision tables (schemas/002 and 008).
 *
 * Edition.  "ASTM D4294-21" names edition "21" and "ISO 20846:2019"
 * edition "2019" (the text after the code's "-" or ":" up to a space).
 * The edition row used is that edition's; else the newest row issued in
 * or before the year the edition names (an ASTM "16" is 2016); else the
 * newest row.  pt_method.match says which.
 *
 * Precision.  r and R are looked up each on its own: the product's row of
 * the edition, then the edition's general row (product NULL), then the
 * newest other edition with the equation (its product row first).  A row
 * applies for x_from <= X < x_to, so a piecewise statement's boundary is
 * explicit.  pt_precision says where each came from.
 */
#ifndef PT_METHOD_H
#define PT_METHOD_H

#include <sqlite3.h>

#include "lims_plugin.h"

/* How the edition row was chosen. */
typedef enum pt_edition_match {
    PT_EDITION_NONE,     /* the method has no edition rows */
    PT_EDITION_NAMED,    /* the edition the result names */
    PT_EDITION_COVERING, /* newest issued in or before the named year */
    PT_EDITION_NEWEST    /* none named, or none issued by then */
} pt_edition_match;

typedef struct pt_method {
    long long id;          /* 0: no method in the table matches */
    char code[64];         /* "ASTM D5453" */
    long long edition_id;  /* the edition row used, 0 when none */
    char edition[48];      /* its edition, "19a" */
    int issued;            /* its year, 0 when not known */
    pt_edition_match match;
    char status[16];       /* the edition's: "published", "unverified",
                              "missing" */
    double scope_min, scope_max; /* canonical unit, NAN when open */
    double scope_lo, scope_hi;   /* the same in scope_unit */
    char scope_unit[16];
    double scale;          /* canonical = method unit * scale */
} pt_method;

/* r and R at a level, canonical unit (NAN: no row gives it), and the
 * edition and product of the row each came from ("" product: general). */
typedef struct pt_precision {
    double r, R;
    char r_edition[48], R_edition[48];
    char r_product[48], R_product[48];
} pt_precision;

/* Canonical units of `measurand` per one `unit`, through the scheme's own
 * unit table; NAN when the scheme does not accept the unit. */
double pt_method_unit_scale(const lims_plugin *p, const char *measurand,
                            const char *unit);

/* Find the method whose code begins the reported method text ("ASTM
 * D5453-19a" names "ASTM D5453"), longest code first, and its edition
 * row.  m->id is 0 when none matches.  `p` converts the method's unit to
 * the measurand's. */
lims_status pt_method_find(sqlite3 *db, const lims_plugin *p,
                           const char *measurand, const char *text,
                           pt_method *m /* OUT */, char *err, size_t errlen);

/* r and R (canonical unit) at level x (canonical unit) of `product` (NULL
 * or "": the general rows only). */
lims_status pt_method_precision(sqlite3 *db, const pt_method *m,
                                const char *product, double x,
                                pt_precision *pr /* OUT */, char *err,
                                size_t errlen);

/* Writes into buf where `which` ('r' or 'R') of pr came from when it was
 * not the row of m's edition for `product`: "the general row of -19a",
 * "the older edition (-21 gives none)"; "" otherwise.  Returns buf. */
char *pt_method_precision_note(const pt_method *m, const char *product,
                               const pt_precision *pr, char which,
                               char *buf, size_t n);

/* Writes "ASTM D4294-21" (the code and the edition row used; the code
 * alone when the edition is not stated) into buf.  Returns buf. */
char *pt_method_name(const pt_method *m, char *buf, size_t n);

/* The same lookups for a caller that makes many (an import, an
 * evaluation): the statements are prepared once and the last answers
 * kept, so the method tables must not change while the cache is in use.
 * _init: LIMS_OK, or a status with a message (nothing to release);
 * _release finalizes the statements (before the caller commits).  No
 * heap allocation of its own. */
#define PT_METHOD_CACHE_FOUND 16
typedef struct pt_method_cache {
    sqlite3_stmt *find_q, *edition_q, *precision_q;
    struct {
        const lims_plugin *p;
        char measurand[64];
        char text[192];
        pt_method m;
    } found[PT_METHOD_CACHE_FOUND]; /* the last methods found */
    unsigned n_found, next;
    /* the last precision answer, for method id and edition, product and X */
    long long prec_id, prec_edition;
    char prec_product[64];
    double prec_X;
    pt_precision prec;
} pt_method_cache;

lims_status pt_method_cache_init(pt_method_cache *c, sqlite3 *db,
                                char *err, size_t errlen);
void pt_method_cache_release(pt_method_cache *c);
/* As pt_method_find and pt_method_precision (they cannot fail here). */
void pt_method_cache_find(pt_method_cache *c, const lims_plugin *p,
                          const char *measurand, const char *text,
                          pt_method *m /* OUT */);
void pt_method_cache_precision(pt_method_cache *c, const pt_method *m,
                               const char *product, double x,
                               pt_precision *pr /* OUT */);

/* ---- the data as a list (lims_engine.methods) ---- */

/* Calls on_edition for every edition of every method of `scheme` (NULL or
 * "": every scheme), by scheme, code and issue (oldest first), and
 * on_precision for each of its precision rows; then on_limit for every
 * limit.  A callback returning non-zero stops the walk (then
 * LIMS_ERR_CANCELLED).  LIMS_OK, or a status with a message. */
lims_status pt_method_list(sqlite3 *db, const char *scheme,
                           lims_method_edition_cb on_edition,
                           lims_method_precision_cb on_precision,
                           lims_limit_cb on_limit, void *ctx, char *err,
                           size_t errlen);

#endif /* PT_METHOD_H */
