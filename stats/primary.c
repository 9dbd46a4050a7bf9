/*
 * primary.c -- the score a verdict is on (ISO 13528 9.2 to 9.7): En
 * against a reference laboratory's result when both have an expanded
 * uncertainty; else z, or z' when u(x_pt) >= 0.3 sigma_pt; else zeta when
 * there is no sigma_pt.  The evaluation and the record's score view both
 * call this one function.
 */
#include <math.h>
#include <stddef.h>

#include "pt_stats.h"

static const char *const kind_names[] = {
    [PT_SCORE_NONE] = NULL, [PT_SCORE_EN] = "En", [PT_SCORE_Z] = "z",
    [PT_SCORE_Z_PRIME] = "z'", [PT_SCORE_ZETA] = "zeta",
};

const char *pt_stats_score_kind_name(pt_stats_score_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof kind_names[0]
               ? kind_names[k]
               : NULL;
}

pt_stats_status pt_stats_primary_score(const pt_stats_score_in *in,
                                       pt_stats_score_kind *kind,
                                       double *value, pt_stats_class *cls)
{
    double v;
    int prime;

    if (in == NULL || kind == NULL || value == NULL || cls == NULL)
        return PT_STATS_BAD_ARG;
    *kind = PT_SCORE_NONE;
    *value = NAN;
    if (in->by_reference &&
        pt_stats_en(in->x, in->U, in->x_pt, in->U_x_pt, &v) == PT_STATS_OK) {
        *kind = PT_SCORE_EN;
        *cls = pt_stats_classify_en(v, in->en_le_one_satisfactory);
    } else if (pt_stats_z_auto(in->x, in->x_pt,
                               isnan(in->u_x_pt) ? 0.0 : in->u_x_pt,
                               in->sigma_pt, &v, &prime) == PT_STATS_OK) {
        /* an unknown u(x_pt) gives z */
        *kind = prime ? PT_SCORE_Z_PRIME : PT_SCORE_Z;
        *cls = pt_stats_classify_z(v);
    } else if (pt_stats_zeta(in->x, in->U / in->k, in->x_pt, in->u_x_pt,
                             &v) == PT_STATS_OK) {
        *kind = PT_SCORE_ZETA;
        *cls = pt_stats_classify_z(v);
    } else {
        return PT_STATS_TOO_FEW;
    }
    *value = v;
    return PT_STATS_OK;
}
