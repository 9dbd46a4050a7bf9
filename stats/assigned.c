/*
 * assigned.c -- assigned values that do not come from the participants'
 * consensus (ISO 13528:2022 clause 7): a formulation, a certified
 * reference material, a reference laboratory's result, or the PT items
 * compared with a CRM; and the check of a consensus value against such an
 * independent one (7.8, Annex E.7).
 *
 * Each gives x_pt with its standard uncertainty u(x_pt).  For a value
 * known from outside the round, the uncertainty of its characterisation
 * is combined with the between-item standard deviation of the items
 * (homogeneity) and the uncertainty from their instability, all standard
 * uncertainties: u(x_pt) = sqrt(u_char^2 + u_hom^2 + u_stab^2).
 */
#include <math.h>

#include "pt_stats.h"

static int nonnegative(double v) { return isfinite(v) && v >= 0.0; }

pt_stats_status pt_stats_assigned_known(double value, double U, double k,
                                        double u_hom, double u_stab,
                                        double *x_pt, double *u_x_pt)
{
    double u;

    if (x_pt == NULL || u_x_pt == NULL || !nonnegative(U) ||
        !(isfinite(k) && k > 0.0) || !nonnegative(u_hom) ||
        !nonnegative(u_stab))
        return PT_STATS_BAD_ARG;
    if (!isfinite(value))
        return PT_STATS_NONFINITE;
    u = hypot(hypot(U / k, u_hom), u_stab);
    if (!isfinite(u))
        return PT_STATS_NONFINITE;
    *x_pt = value;
    *u_x_pt = u;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_assigned_formulation(const pt_formulation *f,
                                              double *x, double *u)
{
    double w, r, xv, uv;

    if (f == NULL || x == NULL || u == NULL)
        return PT_STATS_BAD_ARG;
    if (!(isfinite(f->purity) && f->purity > 0.0) ||
        !(isfinite(f->m_analyte) && f->m_analyte > 0.0) ||
        !(isfinite(f->m_total) && f->m_total >= f->m_analyte) ||
        !(isfinite(f->factor) && f->factor > 0.0) || !nonnegative(f->u_x0) ||
        !nonnegative(f->u_purity) || !nonnegative(f->u_m_analyte) ||
        !nonnegative(f->u_m_total))
        return PT_STATS_BAD_ARG;
    if (!isfinite(f->x0))
        return PT_STATS_NONFINITE;
    w = f->factor * (f->purity * (f->m_analyte / f->m_total));
    r = hypot(hypot(f->u_purity / f->purity, f->u_m_analyte / f->m_analyte),
              f->u_m_total / f->m_total);
    xv = f->x0 + w;
    uv = hypot(f->u_x0, w * r);
    if (!isfinite(xv) || !isfinite(uv))
        return PT_STATS_NONFINITE;
    *x = xv;
    *u = uv;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_assigned_crm(const double d[], size_t p,
                                      double x_crm, double u_crm,
                                      pt_crm_result *out)
{
    pt_stats_status st;
    double mean, sd, u_d;

    if (d == NULL || out == NULL)
        return PT_STATS_BAD_ARG;
    if (p == 0)
        return PT_STATS_EMPTY;
    if (p < 2)
        return PT_STATS_TOO_FEW;
    if (!nonnegative(u_crm))
        return PT_STATS_BAD_ARG;
    if (!isfinite(x_crm))
        return PT_STATS_NONFINITE;
    st = pt_stats_mean_sd(d, p, &mean, &sd);
    if (st != PT_STATS_OK)
        return st;
    u_d = sd / sqrt((double)p);
    out->x = x_crm + mean;
    out->d_mean = mean;
    out->u_d = u_d;
    out->u_x = hypot(u_crm, u_d);
    if (!isfinite(out->x) || !isfinite(out->u_x))
        return PT_STATS_NONFINITE;
    return PT_STATS_OK;
}

pt_stats_status pt_stats_consensus_check(double x_star, double u_x_star,
                                         double x_ref, double u_ref,
                                         double *diff, double *u_diff,
                                         int *significant)
{
    double dv, ud;

    if (diff == NULL || u_diff == NULL || significant == NULL ||
        !nonnegative(u_x_star) || !nonnegative(u_ref))
        return PT_STATS_BAD_ARG;
    if (!isfinite(x_star) || !isfinite(x_ref))
        return PT_STATS_NONFINITE;
    if (pt_stats_d(x_ref, x_star, &dv) != PT_STATS_OK) /* decimals.c */
        return PT_STATS_NONFINITE;
    ud = hypot(u_x_star, u_ref);
    if (!isfinite(dv) || !isfinite(ud))
        return PT_STATS_NONFINITE;
    *diff = dv;
    *u_diff = ud;
    *significant = fabs(dv) > 2.0 * ud;
    return PT_STATS_OK;
}
