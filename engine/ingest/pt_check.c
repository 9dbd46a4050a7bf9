/*
 * pt_check.c -- the checks every result passes, whatever its scheme.
 */
#include "pt_check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pt_core.h"
#include "pt_suggest.h"

static lims_status bad(lims_result_out *out, lims_field f, char *err,
                       size_t errlen, const char *msg)
{
    out->bad_field = f;
    snprintf(err, errlen, "%s", msg);
    return LIMS_ERR_INPUT;
}

int pt_check_scale_text(const char *text, int pow10, double *out)
{
    char buf[128], *end;
    const char *e = strpbrk(text, "eE");
    size_t mant = e ? (size_t)(e - text) : strlen(text);
    long exp = 0;

    if (mant == 0 || mant >= sizeof buf - 24)
        return -1;
    if (e) {
        exp = strtol(e + 1, &end, 10);
        if (*end || end == e + 1)
            return -1;
        /* beyond this the result is 0 or infinite either way (the
         * mantissa has fewer than 128 digits); keeps exp + pow10 from
         * overflowing (fuzz: 0e9223372036854775807 kW) */
        if (exp > 100000)
            exp = 100000;
        if (exp < -100000)
            exp = -100000;
    }
    snprintf(buf, sizeof buf, "%.*se%ld", (int)mant, text, exp + pow10);
    *out = strtod(buf, &end);
    return *end ? -1 : 0;
}

/* value (or its text) times 10^pow10 */
static double scaled(double v, const char *text, int pow10)
{
    double out;
    if (pow10 == 0)
        return v;
    if (text && *text && pt_check_scale_text(text, pow10, &out) == 0)
        return out;
    return v * pow(10.0, pow10);
}

const lims_unit *pt_check_unit(const lims_plugin *p, const char *measurand,
                               const char *name)
{
    size_t i;
    for (i = 0; i < p->n_units; i++)
        if (strcmp(p->units[i].measurand, measurand) == 0 &&
            strcmp(p->units[i].name, name) == 0)
            return &p->units[i];
    return NULL;
}

lims_status pt_check_result(const lims_plugin *p, const lims_result_in *in,
                            lims_result_out *out, char *err, size_t errlen)
{
    const lims_measurand *m;
    const lims_unit *u;
    char msg[384], hint[1024];
    double v;
    lims_status rc;

    out->bad_field = LIMS_FIELD_NONE;
    if (p->check_result &&
        (rc = p->check_result(in, out, err, errlen)) != LIMS_OK)
        return rc;
    m = pt_core_measurand(p, in->measurand);
    if (!m) {
        snprintf(msg, sizeof msg, "scheme %s has no measurand \"%s\"%s",
                 p->id, in->measurand,
                 pt_suggest_measurands(p, hint, sizeof hint));
        return bad(out, LIMS_FIELD_MEASURAND, err, errlen, msg);
    }
    u = in->unit ? pt_check_unit(p, m->id, in->unit) : NULL;
    if (!u) {
        snprintf(msg, sizeof msg, "unit \"%s\" is not accepted for %s "
                 "(accepted: %s)", in->unit, m->id, m->units);
        return bad(out, LIMS_FIELD_UNIT, err, errlen, msg);
    }
    if (!isfinite(in->value))
        return bad(out, LIMS_FIELD_VALUE, err, errlen,
                   "value must be a finite number");
    if (in->value < 0 && m->min >= 0) {
        snprintf(msg, sizeof msg, "%s cannot be negative (%g %s)", m->id,
                 in->value, in->unit);
        return bad(out, LIMS_FIELD_VALUE, err, errlen, msg);
    }
    v = scaled(in->value, in->value_text, u->pow10);
    if (v < m->min || v > m->max) {
        snprintf(msg, sizeof msg,
                 "%s %g %s (= %g %s) is outside the plausible range %g to "
                 "%g %s",
                 m->id, in->value, in->unit, v, m->unit, m->min, m->max,
                 m->unit);
        return bad(out, LIMS_FIELD_VALUE, err, errlen, msg);
    }
    out->value = v;
    out->scale = pow(10.0, u->pow10);
    out->U = isnan(in->U) ? NAN : scaled(in->U, in->U_text, u->pow10);
    return LIMS_OK;
}
