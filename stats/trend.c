/*
 * trend.c -- the rules a laboratory's scores are checked against from
 * round to round (a control chart of z or En): two of three beyond the
 * warning limit, a run of one sign, and the rescaled sum of the last four
 * scores (RSZ); and zeta read beside z.  The rules are stated in pt_stats.h; the workbook draws
 * and names what these functions find.
 */
#include <math.h>
#include <string.h>

#include "pt_stats.h"

double pt_stats_trend_scale(const char *kind, double score)
{
    if (!kind || !isfinite(score))
        return NAN;
    if (strcmp(kind, "En") == 0)
        return 2 * score;
    if (strcmp(kind, "z") == 0 || strcmp(kind, "z'") == 0 ||
        strcmp(kind, "zeta") == 0)
        return score;
    return NAN;
}

pt_stats_status pt_stats_trend_rules(const double s[], size_t n,
                                     int run_length, pt_trend_point out[])
{
    int run = 0;

    if ((n && (!s || !out)) || run_length < 2)
        return PT_STATS_BAD_ARG;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(s[i]))
            return PT_STATS_NONFINITE;
    for (size_t i = 0; i < n; i++) {
        int sign = s[i] > 0 ? 1 : s[i] < 0 ? -1 : 0;
        size_t from3 = i >= 2 ? i - 2 : 0, from4 = i >= 3 ? i - 3 : 0;
        unsigned beyond = 0;
        double sum = 0;

        if (sign == 0)
            run = 0;
        else if ((run > 0 && sign > 0) || (run < 0 && sign < 0))
            run += sign;
        else
            run = sign;
        for (size_t j = from3; j <= i; j++)
            beyond += fabs(s[j]) > 2;
        for (size_t j = from4; j <= i; j++)
            sum += s[j];
        out[i].run = run;
        out[i].rsz = sum / sqrt((double)(i - from4 + 1));
        out[i].rules = 0;
        if (beyond >= 2)
            out[i].rules |= PT_TREND_TWO_OF_THREE;
        if (run >= run_length || run <= -run_length)
            out[i].rules |= PT_TREND_RUN;
        if (i - from4 + 1 == 4 && fabs(out[i].rsz) > 2)
            out[i].rules |= PT_TREND_RSZ;
    }
    return PT_STATS_OK;
}

int pt_stats_zeta_above_z(double z, double zeta)
{
    if (!isfinite(zeta) || fabs(zeta) <= 2)
        return 0;
    return isnan(z) || fabs(zeta) >= 1.5 * fabs(z);
}
