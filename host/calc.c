/*
 * calc.c -- the quick calculators of the ptlims command that work on one
 * list of results: `ptlims stats` (every ISO 13528 estimator of location
 * and scale) and `ptlims score` (D, D%, z, z', zeta, En of each
 * laboratory), plus the input handling all four calculators share.
 *
 * They need neither plug-ins nor a database, so that a script or a person
 * can check a set of numbers on the spot.  Input is read with the core's
 * strict CSV reader (engine/ingest/pt_csv.h), so a bad value is reported as
 * file:line:column and the command exits with 1; running out of memory or
 * an unexpected status exits with 2.  JSON numbers carry 17 significant
 * digits (host/json.c); the text output rounds for reading.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "json.h"
#include "pt_stats.h"

static int oom(void)
{
    fprintf(stderr, "ptlims: out of memory\n");
    return 2;
}

/* The whole of FILE, or of standard input for "-", followed by a NUL;
 * NULL after printing the message (*rc: 1 user error, 2 out of memory).
 * The caller frees. */
static char *read_input(const char *path, size_t *len, int *rc)
{
    int in = strcmp(path, "-") == 0;
    FILE *f = in ? stdin : fopen(path, "rb");
    size_t cap = 1 << 20, got;
    char *buf;

    *len = 0;
    if (f == NULL) {
        fprintf(stderr, "ptlims: %s: cannot open: %s\n", path,
                strerror(errno));
        *rc = 1;
        return NULL;
    }
    buf = malloc(cap);
    if (buf == NULL) {
        if (!in)
            fclose(f);
        *rc = oom();
        return NULL;
    }
    while ((got = fread(buf + *len, 1, cap - *len, f)) > 0) {
        *len += got;
        if (*len == cap) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                if (!in)
                    fclose(f);
                *rc = oom();
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        if (in)
            fprintf(stderr, "ptlims: cannot read standard input\n");
        else
            fprintf(stderr, "ptlims: %s: read error: %s\n", path,
                    strerror(errno));
        free(buf);
        if (!in)
            fclose(f);
        *rc = 1;
        return NULL;
    }
    if (!in)
        fclose(f);
    buf[*len] = 0; /* room is left: the buffer grows when it fills */
    return buf;
}

/* The text of read_input as CSV, named for messages. */
static pt_csv *open_text(const char *path, const char *data, size_t len,
                         int *rc)
{
    char err[1024];
    pt_csv *csv = NULL;
    pt_csv_status st = pt_csv_open_buffer(
        strcmp(path, "-") == 0 ? "<stdin>" : path, data, len, &csv, err,
        sizeof err);

    if (st != PT_CSV_OK) {
        fprintf(stderr, "ptlims: %s\n", err);
        *rc = st == PT_CSV_NOMEM ? 2 : 1;
        return NULL;
    }
    return csv;
}

pt_csv *calc_open(const char *path, int *rc)
{
    size_t len;
    char *data = read_input(path, &len, rc);
    pt_csv *csv;

    if (data == NULL)
        return NULL;
    csv = open_text(path, data, len, rc);
    free(data);
    return csv;
}

pt_csv *calc_open_header(const char *path, const pt_csv_field **f,
                         size_t *nf, int *rc)
{
    char err[1024];
    pt_csv_status st;
    pt_csv *csv = calc_open(path, rc);

    if (csv == NULL)
        return NULL;
    st = pt_csv_next(csv, f, nf, err, sizeof err);
    if (st == PT_CSV_OK)
        return csv;
    if (st == PT_CSV_END)
        snprintf(err, sizeof err, "%s: empty file", pt_csv_name(csv));
    fprintf(stderr, "ptlims: %s\n", err);
    pt_csv_free(csv);
    *rc = st == PT_CSV_NOMEM ? 2 : 1;
    return NULL;
}

int calc_column(const pt_csv_field *f, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(f[i].text, name) == 0)
            return (int)i;
    return -1;
}

int calc_fail_at(const pt_csv *csv, const pt_csv_field *f, const char *msg)
{
    fprintf(stderr, "ptlims: %s:%lu:%lu: %s\n", pt_csv_name(csv), f->line,
            f->col, msg);
    return 1;
}

/* Some digit of the number's text before its exponent is not 0. */
static int has_nonzero_digit(const char *t)
{
    for (; *t && *t != 'e' && *t != 'E'; t++)
        if (*t >= '1' && *t <= '9')
            return 1;
    return 0;
}

int calc_value_check(const char *text, double *v, char *why, size_t len)
{
    if (*v == 0.0 && has_nonzero_digit(text)) {
        snprintf(why, len,
                 "value \"%s\" is too small for a double and would be read "
                 "as 0 (the smallest normal double is 2.2e-308)",
                 text);
        return -1;
    }
    if (*v != 0.0 && fpclassify(*v) == FP_SUBNORMAL) {
        snprintf(why, len,
                 "value \"%s\" is below the smallest normal double "
                 "(2.2e-308) and would keep fewer significant digits than "
                 "it shows",
                 text);
        return -1;
    }
    if (*v == 0.0)
        *v = 0.0; /* -0 is 0 */
    return 0;
}

int calc_number(const pt_csv *csv, const pt_csv_field *f, double *out)
{
    char why[256];

    if (pt_csv_number(f->text, out, why, sizeof why) != 0 ||
        calc_value_check(f->text, out, why, sizeof why) != 0) {
        calc_fail_at(csv, f, why);
        return -1;
    }
    return 0;
}

int calc_option_number(const char *cmd, const char *opt, const char *text,
                       double *out)
{
    char why[256];

    if (pt_csv_number(text, out, why, sizeof why) != 0 ||
        calc_value_check(text, out, why, sizeof why) != 0) {
        fprintf(stderr, "ptlims %s: %s: %s\n", cmd, opt, why);
        return -1;
    }
    return 0;
}

int calc_output_open(calc_output *o)
{
    o->buf = NULL;
    o->len = 0;
    o->f = open_memstream(&o->buf, &o->len);
    return o->f == NULL ? -1 : 0;
}

int calc_output_close(calc_output *o, int rc)
{
    int bad = fclose(o->f) != 0;

    if (rc == 0 && bad)
        rc = oom();
    if (rc == 0 && o->len > 0 &&
        (fwrite(o->buf, 1, o->len, stdout) != o->len || fflush(stdout) != 0)) {
        fprintf(stderr, "ptlims: cannot write the output\n");
        rc = 2;
    }
    free(o->buf);
    o->buf = NULL;
    return rc;
}

/* Read the next record; 1 and the fields, 0 at the end, -1 after printing
 * an error (*rc set). */
static int next_record(pt_csv *csv, const pt_csv_field **f, size_t *n,
                       int *rc)
{
    char err[1024];
    pt_csv_status st = pt_csv_next(csv, f, n, err, sizeof err);

    if (st == PT_CSV_OK)
        return 1;
    if (st == PT_CSV_END)
        return 0;
    fprintf(stderr, "ptlims: %s\n", err);
    *rc = st == PT_CSV_NOMEM ? 2 : 1;
    return -1;
}

/* Append v to a growing array. */
static int push(double **a, size_t *n, size_t *cap, double v)
{
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 1024;
        double *na = realloc(*a, nc * sizeof *na);
        if (na == NULL)
            return -1;
        *a = na;
        *cap = nc;
    }
    (*a)[(*n)++] = v;
    return 0;
}

/* Powers of ten that doubles hold exactly. */
static const double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                     1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
                                     1e18, 1e19, 1e20, 1e21, 1e22};

/* The number at s, of the form pt_csv_number accepts:
 * [+-]digits[.digits][(e|E)[+-]digits] with at least one digit before the
 * exponent, ending at a line end (or the end of the text, e).  Its value
 * is the correctly rounded double: exactly m / 10^k or m 10^k when the
 * digits m fit in 2^53 and 10^k is exact (Clinger's fast path, which
 * covers results as usually reported), else strtod.  Returns the end of
 * the number, or NULL if the text is anything else (or out of range),
 * to be left to the general reader with its messages; so is a number
 * that underflows to 0 or to a subnormal (calc_value_check's cases).  -0
 * is read as 0. */
static const char *fast_number(const char *s, const char *e, double *out)
{
    const char *p = s;
    unsigned long long m = 0;
    int neg = 0, digits = 0, sig = 0, exp10 = 0;

    if (p < e && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    for (; p < e && *p >= '0' && *p <= '9'; p++, digits++) {
        if (sig < 19 && (m != 0 || *p != '0')) {
            m = 10 * m + (unsigned long long)(*p - '0');
            sig++;
        } else if (m != 0) {
            sig++;
            exp10++; /* a digit beyond 19: strtod below */
        }
    }
    if (p < e && *p == '.') {
        for (p++; p < e && *p >= '0' && *p <= '9'; p++, digits++) {
            if (sig < 19 && (m != 0 || *p != '0')) {
                m = 10 * m + (unsigned long long)(*p - '0');
                sig++;
                exp10--;
            } else if (m != 0) {
                sig++;
            } else {
                exp10--;
            }
        }
    }
    if (digits == 0)
        return NULL;
    if (p < e && (*p == 'e' || *p == 'E')) {
        int es = 0, ev = 0, ed = 0;
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            es = *p++ == '-';
        for (; p < e && *p >= '0' && *p <= '9'; p++, ed++)
            if (ev < 10000)
                ev = 10 * ev + (*p - '0');
        if (ed == 0)
            return NULL;
        exp10 += es ? -ev : ev;
    }
    if (p < e && *p != '\n' && *p != '\r')
        return NULL;
    if (m == 0) {
        *out = 0.0;
    } else if (sig <= 19 && m <= (1ULL << 53) && exp10 >= -22 &&
               exp10 <= 22) {
        double v = (double)m;
        v = exp10 < 0 ? v / exact_pow10[-exp10] : v * exact_pow10[exp10];
        *out = neg ? -v : v;
    } else {
        char *end;
        double v = strtod(s, &end);
        if (end != p || isinf(v) || fpclassify(v) == FP_ZERO ||
            fpclassify(v) == FP_SUBNORMAL)
            return NULL;
        *out = v;
    }
    return p;
}

/* The values of a text with one number per line (LF or CRLF, blank lines
 * allowed), in one pass without the CSV reader.  0 with the values, or -1
 * when the text is anything else or holds no value (the general reader
 * then reads it and reports what is wrong), or 2 when out of memory. */
static int fast_values(const char *data, size_t len, double **out,
                       size_t *count)
{
    const char *p = data, *e = data + len;
    size_t n = 0, cap = len / 8 + 16;
    double *v = malloc(cap * sizeof *v);

    if (v == NULL)
        return 2;
    while (p < e) {
        if (*p == '\n') {
            p++;
            continue;
        }
        if (*p == '\r' && p + 1 < e && p[1] == '\n') {
            p += 2;
            continue;
        }
        if (n == cap) {
            double *nv = realloc(v, 2 * cap * sizeof *nv);
            if (nv == NULL) {
                free(v);
                return 2;
            }
            v = nv;
            cap *= 2;
        }
        p = fast_number(p, e, &v[n]);
        if (p == NULL || (p < e && *p == '\r' && !(p + 1 < e && p[1] == '\n')))
            break; /* a lone carriage return: the general reader's case */
        n++;
    }
    if (p == NULL || p < e || n == 0) {
        free(v);
        return -1;
    }
    *out = v;
    *count = n;
    return 0;
}

/* One value per line, or a CSV whose column "value" is read. */
static int read_values(const char *path, double **out, size_t *count)
{
    const pt_csv_field *f;
    size_t nf, n = 0, cap = 0, len;
    double *v = NULL, x;
    int rc = 0, col = 0, plain = 1, r;
    char *data = read_input(path, &len, &rc);
    pt_csv *csv;

    if (data == NULL)
        return rc;
    r = fast_values(data, len, out, count);
    if (r >= 0) {
        free(data);
        return r == 2 ? oom() : 0;
    }
    csv = open_text(path, data, len, &rc);
    free(data);
    if (csv == NULL)
        return rc;
    r = next_record(csv, &f, &nf, &rc);
    if (r > 0) {
        int vc = calc_column(f, nf, "value");
        if (vc >= 0) {
            col = vc;
            plain = 0;
            r = next_record(csv, &f, &nf, &rc);
        } else if (nf != 1) {
            rc = calc_fail_at(csv, &f[0],
                              "expected one value per line, or a header "
                              "with a column \"value\"");
            r = -1;
        }
    }
    for (; r > 0; r = next_record(csv, &f, &nf, &rc)) {
        if (plain && nf != 1) {
            rc = calc_fail_at(csv, &f[1],
                              "more than one field where one value per "
                              "line is expected (a decimal comma? write "
                              "1.25)");
            break;
        }
        if ((size_t)col >= nf) {
            rc = calc_fail_at(csv, &f[nf - 1], "no value in this row");
            break;
        }
        if (calc_number(csv, &f[col], &x) != 0) {
            rc = 1;
            break;
        }
        if (push(&v, &n, &cap, x) != 0) {
            rc = oom();
            break;
        }
    }
    if (rc == 0 && n == 0) {
        fprintf(stderr, "ptlims: %s: no values\n", pt_csv_name(csv));
        rc = 1;
    }
    pt_csv_free(csv);
    if (rc != 0) {
        free(v);
        return rc;
    }
    *out = v;
    *count = n;
    return 0;
}

/* ---- ptlims stats ---- */

static const char stats_help[] =
    "usage: ptlims stats [--estimators LIST] [--stop fixed|sig3]\n"
    "                    [--bandwidth H | --sigma-pt S] [--bootstrap B]\n"
    "                    [--seed N] [--json] FILE\n\n"
    "Robust statistics of one list of results (ISO 13528 Annex C): mean\n"
    "and SD, median, MADe, nIQR, Algorithm A (x*, s*, iterations, u(x*)),\n"
    "Qn, the Q method's s* and the Hampel x* of Q/Hampel with its u.\n"
    "FILE has one value per line, or is a CSV whose column \"value\" is\n"
    "read; - reads standard input.  --estimators computes only those\n"
    "named, a comma-separated list of mean (with the SD), median, made,\n"
    "niqr, alga, qn and qhampel (default: all of these), and also\n"
    "alga_fixed (Algorithm A with s* held at MADe, C.3.2) and mode (the\n"
    "mode of the normal-kernel density with bandwidth H, or 0.75 S as in\n"
    "Annex E.6, and its bootstrap standard uncertainty from B resamples,\n"
    "1000 by default, drawn with the seed N, 1 by default).  --stop chooses\n"
    "Algorithm\n"
    "A's stop rule: fixed (default: converged to 1e-12) or sig3 (ISO's\n"
    "third significant figure).  A value that cannot be computed (too few\n"
    "results) is shown as null with a warning.  The text shows enough\n"
    "decimals for the data's own resolution and six significant digits of\n"
    "their spread; JSON numbers are the shortest text that reads back to\n"
    "the same double.  With 5 results or fewer a consensus z can never\n"
    "reach 2 (|z| <= (n - 1)/sqrt(n)): a warning names the alternatives.\n\n"
    "JSON keys: n, max_consensus_z ((n - 1)/sqrt(n)), small_group (true\n"
    "when that is below 2), mean, sd, median, made, niqr, alga_x, alga_s,\n"
    "alga_iterations, alga_u, qn, qmethod_s, hampel_x, qhampel_u,\n"
    "alga_fixed_x, alga_fixed_s, mode, mode_u, mode_bandwidth (those of\n"
    "the estimators asked for).\n";

/* The estimators of ptlims stats, as bits of a set. */
enum {
    EST_MEAN = 1,
    EST_MEDIAN = 2,
    EST_MADE = 4,
    EST_NIQR = 8,
    EST_ALGA = 16,
    EST_QN = 32,
    EST_QHAMPEL = 64,
    EST_ALL = 127, /* the default: the above */
    EST_ALGA_FIXED = 128,
    EST_MODE = 256
};

static const struct {
    const char *name;
    unsigned bit;
} estimator_names[] = {{"mean", EST_MEAN}, {"median", EST_MEDIAN},
                       {"made", EST_MADE}, {"niqr", EST_NIQR},
                       {"alga", EST_ALGA}, {"qn", EST_QN},
                       {"qhampel", EST_QHAMPEL},
                       {"alga_fixed", EST_ALGA_FIXED}, {"mode", EST_MODE}};

/* The set named by a comma-separated list; 0 after printing the reason. */
static unsigned estimator_set(const char *list)
{
    unsigned set = 0;
    const char *p = list;

    while (*p) {
        size_t len = strcspn(p, ","), i;
        for (i = 0; i < sizeof estimator_names / sizeof estimator_names[0];
             i++)
            if (strlen(estimator_names[i].name) == len &&
                strncmp(p, estimator_names[i].name, len) == 0)
                break;
        if (i == sizeof estimator_names / sizeof estimator_names[0]) {
            fprintf(stderr,
                    "ptlims stats: --estimators: unknown estimator "
                    "\"%.*s\" (mean, median, made, niqr, alga, qn, "
                    "qhampel, alga_fixed, mode)\n",
                    (int)len, p);
            return 0;
        }
        set |= estimator_names[i].bit;
        p += len;
        if (*p == ',')
            p++;
    }
    if (set == 0)
        fprintf(stderr, "ptlims stats: --estimators: an empty list\n");
    return set;
}

/* The kernel density mode's settings (--bandwidth or --sigma-pt,
 * --bootstrap, --seed). */
struct mode_opts {
    double h;
    size_t b;
    unsigned long seed;
};

struct stats_out {
    double mean, sd, median, made, niqr, alga_x, alga_s, alga_u, qn;
    double qmethod_s, hampel_x, qhampel_u;
    double alga_fixed_x, alga_fixed_s, kmode, kmode_u, kmode_h;
    int alga_it;
    int decimals;   /* the data's resolution (pt_stats_decimals), or -1 */
    size_t mode_n;  /* how many values equal the most frequent one */
    double mode;    /* that value */
};

/* NAN and a warning unless st is OK. */
static void keep(pt_stats_status st, const char *what, double *v)
{
    if (st != PT_STATS_OK) {
        fprintf(stderr, "ptlims stats: %s: %s\n", what,
                pt_stats_strerror(st));
        *v = NAN;
    }
}

/* The most frequent value of sorted z and how often it occurs. */
static void most_frequent(const double *z, size_t n, struct stats_out *o)
{
    size_t i, run = 1;

    o->mode_n = n > 0;
    o->mode = n > 0 ? z[0] : NAN;
    for (i = 1; i < n; i++) {
        run = z[i] == z[i - 1] ? run + 1 : 1;
        if (run > o->mode_n) {
            o->mode_n = run;
            o->mode = z[i];
        }
    }
}

/* What is true when MADe is 0, said once: how many values are equal, and
 * what Algorithm A did about it (st its status, a its result). */
static void explain_zero_made(size_t n, const struct stats_out *o,
                              unsigned set, pt_stats_status st,
                              const pt_alga_result *a)
{
    char mode[40];

    pt_csv_number_text(o->mode, 0, mode, sizeof mode);
    if (o->mode_n == n) {
        fprintf(stderr,
                "ptlims stats: all %lu values are equal (%s): "
                "every spread is 0\n",
                (unsigned long)n, mode);
        return;
    }
    fprintf(stderr,
            "ptlims stats: %lu of the %lu values are equal (%s), "
            "more than half: MADe is 0\n",
            (unsigned long)o->mode_n, (unsigned long)n, mode);
    if (!(set & EST_ALGA))
        return;
    if (st == PT_STATS_OK && a->sd_start)
        fprintf(stderr, "ptlims stats: Algorithm A started from the sample "
                        "SD instead of MADe\n");
    else if (st == PT_STATS_ZERO_SCALE)
        fprintf(stderr, "ptlims stats: Algorithm A started from the sample "
                        "SD instead of MADe, and its s* fell to 0: no robust "
                        "scale from Algorithm A for these data\n");
}

/* The estimators in set, on one sorted copy of the data where order does
 * not matter and more than the median, MADe and nIQR are wanted (the
 * *_sorted forms return what the general ones do), else by selection;
 * the mean, SD and Algorithm A sum over x in the order given, Algorithm A
 * from the median and MADe found here.  Those not asked for are NAN. */
static int run_stats(const double *x, size_t n, pt_alga_stop stop,
                     unsigned set, const struct mode_opts *mo,
                     struct stats_out *o)
{
    int sort = (set & (EST_QN | EST_QHAMPEL)) != 0;
    size_t nw = sort ? PT_STATS_QHAMPEL_SORTED_WORK(n) : 2 * n;
    double *z = sort ? malloc(n * sizeof *z) : NULL;
    double *w = malloc(nw * sizeof *w);
    size_t *iw = sort ? malloc(PT_STATS_QHAMPEL_SORTED_IWORK(n) * sizeof *iw)
                      : NULL;
    pt_alga_options opt;
    pt_alga_result a;
    pt_qhampel_result qh;
    pt_stats_status st, st_made, st_alga = PT_STATS_OK;

    o->mean = o->sd = o->median = o->made = o->niqr = NAN;
    o->alga_x = o->alga_s = o->alga_u = o->qn = NAN;
    o->qmethod_s = o->hampel_x = o->qhampel_u = NAN;
    o->alga_fixed_x = o->alga_fixed_s = o->kmode = o->kmode_u = NAN;
    o->kmode_h = mo->h;
    o->alga_it = -1;
    memset(&a, 0, sizeof a);
    if (w == NULL || (sort && (z == NULL || iw == NULL))) {
        free(z);
        free(w);
        free(iw);
        return oom();
    }
    (void)pt_stats_decimals(x, n, &o->decimals); /* finite, read so */
    if (set & EST_MEAN)
        keep(pt_stats_mean_sd(x, n, &o->mean, &o->sd), "mean", &o->mean);
    if (sort) {
        st = pt_stats_sort(x, n, z); /* the reader gives finite values */
        if (st != PT_STATS_OK) {
            free(z);
            free(w);
            free(iw);
            fprintf(stderr, "ptlims stats: %s\n", pt_stats_strerror(st));
            return 2;
        }
        most_frequent(z, n, o);
        keep(pt_stats_median_sorted(z, n, &o->median), "median", &o->median);
        st_made = pt_stats_made_sorted(z, n, &o->made);
        if (set & EST_NIQR)
            keep(pt_stats_niqr_sorted(z, n, &o->niqr), "nIQR", &o->niqr);
    } else {
        keep(pt_stats_median(x, n, w, &o->median), "median", &o->median);
        st_made = pt_stats_made(x, n, w, &o->made);
        if (set & EST_NIQR)
            keep(pt_stats_niqr(x, n, w, &o->niqr), "nIQR", &o->niqr);
        o->mode_n = 0;
        o->mode = NAN;
    }
    keep(st_made, "MADe", &o->made); /* not when the spread overflows */
    if (set & EST_ALGA) {
        pt_stats_alga_defaults(&opt);
        opt.stop = stop;
        if (st_made == PT_STATS_OK)
            st_alga = pt_stats_alga_from(x, n, &opt, o->median, o->made, &a);
        else /* for its status */
            st_alga = pt_stats_alga(x, n, &opt, w, &a);
        if (st_alga == PT_STATS_OK) {
            o->alga_x = a.x;
            o->alga_s = a.s;
            o->alga_u = a.u_x;
            o->alga_it = a.iterations;
        } else if (!(st_alga == PT_STATS_ZERO_SCALE && o->made == 0.0)) {
            keep(st_alga, "Algorithm A", &o->alga_x);
        }
    }
    if (o->made == 0.0) {
        if (!sort) { /* count the most frequent value: sort once here */
            double *t = malloc(n * sizeof *t);
            if (t != NULL && pt_stats_sort(x, n, t) == PT_STATS_OK)
                most_frequent(t, n, o);
            free(t);
        }
        if (o->mode_n > 0)
            explain_zero_made(n, o, set, st_alga, &a);
    }
    if (set & EST_ALGA_FIXED) {
        pt_alga_result af;
        pt_stats_alga_defaults(&opt);
        opt.fixed_scale = 1;
        st = pt_stats_alga(x, n, &opt, w, &af);
        if (st == PT_STATS_OK) {
            o->alga_fixed_x = af.x;
            o->alga_fixed_s = af.s;
        } else {
            keep(st, "Algorithm A, fixed scale", &o->alga_fixed_x);
        }
    }
    if (set & EST_MODE) {
        keep(pt_stats_kernel_mode(x, n, mo->h, w, &o->kmode), "mode",
             &o->kmode);
        if (n >= 2)
            keep(pt_stats_kernel_bootstrap(x, n, mo->h, mo->b, mo->seed, w,
                                           &o->kmode_u),
                 "mode, bootstrap", &o->kmode_u);
    }
    if (set & EST_QN)
        keep(pt_stats_qn_sorted(z, n, w, iw, &o->qn), "Qn", &o->qn);
    if (set & EST_QHAMPEL) {
        st = pt_stats_qhampel_sorted(z, n, w, iw, &qh);
        if (st == PT_STATS_OK) {
            o->qmethod_s = qh.s;
            o->hampel_x = qh.x;
            o->qhampel_u = qh.u_x;
        } else {
            keep(st, "Q method and Hampel", &o->qmethod_s);
        }
    }
    if (!(set & EST_MEDIAN))
        o->median = NAN;
    if (!(set & EST_MADE))
        o->made = NAN;
    free(z);
    free(w);
    free(iw);
    return 0;
}

static void json_key(FILE *f, const char *key, double v)
{
    fprintf(f, ", \"%s\": ", key);
    json_num(f, v);
}

static void stats_json(FILE *f, size_t n, unsigned set,
                       const struct stats_out *o)
{
    double max_z = NAN;
    unsigned alt = 0;
    pt_stats_status cz = pt_stats_consensus_z_check(n, 2.0, &max_z, &alt);

    fprintf(f, "{\"n\": %lu", (unsigned long)n);
    /* small groups (stats/small_group.c): the largest |z| a consensus of
     * these n results allows, and whether it stays below 2 */
    json_key(f, "max_consensus_z", max_z);
    fprintf(f, ", \"small_group\": %s",
            cz == PT_STATS_TOO_FEW ? "true"
            : cz == PT_STATS_OK    ? "false"
                                   : "null");
    if (set & EST_MEAN) {
        json_key(f, "mean", o->mean);
        json_key(f, "sd", o->sd);
    }
    if (set & EST_MEDIAN)
        json_key(f, "median", o->median);
    if (set & EST_MADE)
        json_key(f, "made", o->made);
    if (set & EST_NIQR)
        json_key(f, "niqr", o->niqr);
    if (set & EST_ALGA) {
        json_key(f, "alga_x", o->alga_x);
        json_key(f, "alga_s", o->alga_s);
        if (o->alga_it >= 0)
            fprintf(f, ", \"alga_iterations\": %d", o->alga_it);
        else
            fputs(", \"alga_iterations\": null", f);
        json_key(f, "alga_u", o->alga_u);
    }
    if (set & EST_QN)
        json_key(f, "qn", o->qn);
    if (set & EST_QHAMPEL) {
        json_key(f, "qmethod_s", o->qmethod_s);
        json_key(f, "hampel_x", o->hampel_x);
        json_key(f, "qhampel_u", o->qhampel_u);
    }
    if (set & EST_ALGA_FIXED) {
        json_key(f, "alga_fixed_x", o->alga_fixed_x);
        json_key(f, "alga_fixed_s", o->alga_fixed_s);
    }
    if (set & EST_MODE) {
        json_key(f, "mode", o->kmode);
        json_key(f, "mode_u", o->kmode_u);
        json_key(f, "mode_bandwidth", o->kmode_h);
    }
    fputs("}\n", f);
}

/* Decimals shown in the text: one more than the data's own (so their
 * resolution shows) and at least six significant digits of the spread
 * (the first of SD, MADe, nIQR, s* that is positive), 0 to 15. */
static int text_places(const struct stats_out *o)
{
    const double spread[] = {o->sd, o->made, o->niqr, o->alga_s,
                             o->qmethod_s, o->qn, o->alga_fixed_s};
    int places = (o->decimals > 0 ? o->decimals : 0) + 1;
    size_t i;

    for (i = 0; i < sizeof spread / sizeof spread[0]; i++) {
        if (spread[i] > 0.0 && isfinite(spread[i])) {
            int p = 5 - (int)floor(log10(spread[i]));
            if (p > places)
                places = p;
            break;
        }
    }
    if (places > 15)
        places = 15;
    return places;
}

/* v with the given decimals; "n/a" when it was not computed.  Beyond
 * 1e15 (a gross outlier's mean) the shortest text that reads back. */
static void text_number(FILE *f, double v, int places)
{
    char buf[40];

    if (isnan(v))
        fputs("n/a", f);
    else if (fabs(v) < 1e15)
        fprintf(f, "%.*f", places, v);
    else
        fputs(pt_csv_number_text(v, 0, buf, sizeof buf), f);
}

static void stats_text(FILE *f, size_t n, unsigned set, pt_alga_stop stop,
                       const struct stats_out *o)
{
    int p = text_places(o);

    fprintf(f, "n                 %lu\n", (unsigned long)n);
    if (set & EST_MEAN) {
        fputs("mean, SD          ", f);
        text_number(f, o->mean, p);
        fputs(", ", f);
        text_number(f, o->sd, p);
        fputc('\n', f);
    }
    if (set & EST_MEDIAN) {
        fputs("median            ", f);
        text_number(f, o->median, p);
        fputc('\n', f);
    }
    if (set & EST_MADE) {
        fputs("MADe              ", f);
        text_number(f, o->made, p);
        fputc('\n', f);
    }
    if (set & EST_NIQR) {
        fputs("nIQR              ", f);
        text_number(f, o->niqr, p);
        fputc('\n', f);
    }
    if (set & EST_ALGA) {
        if (o->alga_it >= 0) {
            fputs("Algorithm A       x* ", f);
            text_number(f, o->alga_x, p);
            fputs("  s* ", f);
            text_number(f, o->alga_s, p);
            fputs("  u(x*) ", f);
            text_number(f, o->alga_u, p);
            fprintf(f, "  (%d iterations, %s)\n", o->alga_it,
                    stop == PT_ALGA_STOP_SIG3 ? "sig3" : "fixed point");
        } else {
            fputs("Algorithm A       not computed\n", f);
        }
    }
    if (set & EST_QN) {
        fputs("Qn                ", f);
        text_number(f, o->qn, p);
        fputc('\n', f);
    }
    if (set & EST_QHAMPEL) {
        fputs("Q/Hampel          x* ", f);
        text_number(f, o->hampel_x, p);
        fputs("  s* ", f);
        text_number(f, o->qmethod_s, p);
        fputs("  u(x*) ", f);
        text_number(f, o->qhampel_u, p);
        fputc('\n', f);
    }
    if (set & EST_ALGA_FIXED) {
        fputs("Algorithm A fixed x* ", f);
        text_number(f, o->alga_fixed_x, p);
        fputs("  s* ", f);
        text_number(f, o->alga_fixed_s, p);
        fputs(" (MADe)\n", f);
    }
    if (set & EST_MODE) {
        fputs("kernel mode       ", f);
        text_number(f, o->kmode, p);
        fputs("  u ", f);
        text_number(f, o->kmode_u, p);
        fprintf(f, "  (bandwidth %s)\n", num_g(o->kmode_h, 6));
    }
}

int cmd_stats(cli *c, int argc, char **argv)
{
    pt_alga_stop stop = PT_ALGA_STOP_FIXED;
    const char *file = NULL, *v;
    struct stats_out o;
    struct mode_opts mo = {NAN, 1000, 1};
    calc_output out;
    unsigned set = EST_ALL;
    double num;
    double *x = NULL;
    size_t n = 0;
    int json = 0, i, rc;

    (void)c;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(stats_help, stdout);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (cli_opt(argc, argv, &i, "--stop", &v)) {
            if (strcmp(v, "fixed") == 0)
                stop = PT_ALGA_STOP_FIXED;
            else if (strcmp(v, "sig3") == 0)
                stop = PT_ALGA_STOP_SIG3;
            else {
                fprintf(stderr, "ptlims stats: --stop must be fixed or "
                                "sig3, not \"%s\"\n", v);
                return 1;
            }
        } else if (cli_opt(argc, argv, &i, "--estimators", &v)) {
            if ((set = estimator_set(v)) == 0)
                return 1;
        } else if (cli_opt(argc, argv, &i, "--bandwidth", &v)) {
            if (calc_option_number("stats", "--bandwidth", v, &mo.h) != 0)
                return 1;
        } else if (cli_opt(argc, argv, &i, "--sigma-pt", &v)) {
            if (calc_option_number("stats", "--sigma-pt", v, &num) != 0)
                return 1;
            mo.h = 0.75 * num; /* the bandwidth of Annex E.6 */
        } else if (cli_opt(argc, argv, &i, "--bootstrap", &v)) {
            if (calc_option_number("stats", "--bootstrap", v, &num) != 0)
                return 1;
            if (!(num >= 2.0 && num <= 1e6 && num == floor(num))) {
                fprintf(stderr, "ptlims stats: --bootstrap must be a whole "
                                "number from 2 to 1000000\n");
                return 1;
            }
            mo.b = (size_t)num;
        } else if (cli_opt(argc, argv, &i, "--seed", &v)) {
            if (calc_option_number("stats", "--seed", v, &num) != 0)
                return 1;
            if (!(num >= 0.0 && num <= 4294967295.0 && num == floor(num))) {
                fprintf(stderr, "ptlims stats: --seed must be a whole number "
                                "from 0 to 4294967295\n");
                return 1;
            }
            mo.seed = (unsigned long)num;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_unknown("stats", argv[i]);
        } else if (file == NULL) {
            file = argv[i];
        } else {
            fprintf(stderr, "ptlims stats: one FILE only\n");
            return 1;
        }
    }
    if (file == NULL) {
        fputs(stats_help, stderr);
        return 1;
    }
    if ((set & EST_MODE) && !(mo.h > 0.0)) {
        fprintf(stderr, "ptlims stats: the mode needs a positive "
                        "--bandwidth H or --sigma-pt S (H = 0.75 S)\n");
        return 1;
    }
    if ((rc = read_values(file, &x, &n)) != 0)
        return rc;
    {
        double max_z;
        unsigned alt;
        /* small groups: a consensus SD cannot flag anything (ISO 13528
         * warning signal at |z| 2) */
        if (pt_stats_consensus_z_check(n, 2.0, &max_z, &alt) ==
            PT_STATS_TOO_FEW)
            fprintf(stderr, "ptlims stats: %lu results: %s (here at most "
                            "%.2f)\n",
                    (unsigned long)n, pt_stats_small_group_advice(), max_z);
    }
    rc = run_stats(x, n, stop, set, &mo, &o);
    free(x);
    if (rc != 0)
        return rc;
    if (calc_output_open(&out) != 0)
        return oom();
    if (json)
        stats_json(out.f, n, set, &o);
    else
        stats_text(out.f, n, set, stop, &o);
    return calc_output_close(&out, 0);
}

/* ---- ptlims score ---- */

static const char score_help[] =
    "usage: ptlims score --xpt V --u-xpt U --sigma-pt S\n"
    "                    [--en-boundary iso|le1] [--delta-e D] [--s-star S]\n"
    "                    [--R R [--R-factor F]] [--json] FILE\n\n"
    "Scores each laboratory's result against the assigned value V with\n"
    "standard uncertainty U and the standard deviation for proficiency\n"
    "assessment S (ISO 13528 clause 9).  FILE is a CSV with columns lab\n"
    "and value, and optionally U (the result's expanded uncertainty) and k\n"
    "(its coverage factor, 2 when empty or absent); - reads standard input.\n"
    "zeta uses U/k, En uses U and U(x_pt) = 2 U.  When U >= 0.3 S the\n"
    "class follows z' instead of z (9.2.1), and the output says so.  The\n"
    "difference x - V is taken on the reported values as integers in units\n"
    "of their decimals, so a z of exactly 2 or 3 as reported is 2 or 3.\n"
    "--en-boundary: iso (default) signals at |En| >= 1; le1 counts\n"
    "|En| = 1 as satisfactory (the \"|En| <= 1\" convention).  --delta-e\n"
    "gives PA = 100 D / delta_E (9.3).  --s-star, the robust SD of the\n"
    "round, flags each reported u(x) = U/k that is below u(x_pt) or above\n"
    "1.5 s* (9.8).  --R, the method's reproducibility limit, checks each\n"
    "result against V as |D| <= F R (F from --R-factor, 1 by default; the\n"
    "factor for one result against a reference value is the user's\n"
    "choice, e.g. 0.7071).  Nothing is printed unless every row is scored.\n\n"
    "JSON: an array of {lab, D, D_pct, z, z_prime, zeta, En, class,\n"
    "scored_by, z_class, z_prime_class, zeta_class, En_class, PA, R_limit,\n"
    "R_agree, u_flags} (a class is null where its score is; PA null without\n"
    "--delta-e; R_limit and R_agree null without --R; u_flags null without\n"
    "U or --s-star, else a list of \"below_u_xpt\", \"above_1_5_s\").\n";

static const char *class_name(pt_stats_class c)
{
    switch (c) {
    case PT_CLASS_SATISFACTORY:
        return "satisfactory";
    case PT_CLASS_QUESTIONABLE:
        return "questionable";
    default:
        return "unsatisfactory";
    }
}

struct score_row {
    double d, d_pct, z, zp, zeta, en, used, pa;
    double r_limit; /* --R: factor R; NAN without */
    int r_agree;    /* |x - x_pt| <= r_limit */
    int prime;
    int have_flags;
    unsigned flags; /* ISO 13528 9.8, PT_UNC_* */
};

struct score_opts {
    double xpt, u_xpt, sigma, delta_e, s_star, R, r_factor;
    int json, have_xpt, have_u, have_sigma, have_delta_e, have_s_star;
    int have_R;
    int en_le_one; /* --en-boundary le1 */
    const char *file;
};

/* The scores of one result; zeta, En and the 9.8 flags need U, PA needs
 * --delta-e (NAN or no flags without them). */
static int score_one(double x, double U, double k, const struct score_opts *o,
                     struct score_row *s)
{
    double xpt = o->xpt, u_xpt = o->u_xpt, sigma = o->sigma;
    pt_stats_status st;

    if ((st = pt_stats_d(x, xpt, &s->d)) != PT_STATS_OK ||
        (st = pt_stats_z(x, xpt, sigma, &s->z)) != PT_STATS_OK ||
        (st = pt_stats_z_prime(x, xpt, u_xpt, sigma, &s->zp)) !=
            PT_STATS_OK ||
        (st = pt_stats_z_auto(x, xpt, u_xpt, sigma, &s->used, &s->prime)) !=
            PT_STATS_OK)
        return (int)st;
    if (pt_stats_d_pct(x, xpt, &s->d_pct) != PT_STATS_OK)
        s->d_pct = NAN;
    s->r_limit = NAN;
    s->r_agree = 0;
    if (o->have_R &&
        (st = pt_stats_compare_ref(x, xpt, o->R, o->r_factor, &s->r_limit,
                                   &s->r_agree)) != PT_STATS_OK)
        return (int)st;
    s->pa = NAN;
    if (o->have_delta_e &&
        (st = pt_stats_pa(x, xpt, o->delta_e, &s->pa)) != PT_STATS_OK)
        return (int)st;
    s->zeta = s->en = NAN;
    s->have_flags = 0;
    s->flags = 0;
    if (!isnan(U)) {
        if ((st = pt_stats_zeta(x, U / k, xpt, u_xpt, &s->zeta)) !=
                PT_STATS_OK ||
            (st = pt_stats_en(x, U, xpt, 2.0 * u_xpt, &s->en)) != PT_STATS_OK)
            return (int)st;
        if (o->have_s_star) {
            if ((st = pt_stats_uncertainty_flags(U / k, u_xpt, o->s_star,
                                                 &s->flags)) != PT_STATS_OK)
                return (int)st;
            s->have_flags = 1;
        }
    }
    return 0;
}

static int parse_score_opts(int argc, char **argv, struct score_opts *o)
{
    const char *v;
    int i;

    memset(o, 0, sizeof *o);
    o->r_factor = 1.0;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            o->json = 1;
        } else if (cli_opt(argc, argv, &i, "--xpt", &v)) {
            if (calc_option_number("score", "--xpt", v, &o->xpt) != 0)
                return 1;
            o->have_xpt = 1;
        } else if (cli_opt(argc, argv, &i, "--u-xpt", &v)) {
            if (calc_option_number("score", "--u-xpt", v, &o->u_xpt) != 0)
                return 1;
            o->have_u = 1;
        } else if (cli_opt(argc, argv, &i, "--sigma-pt", &v)) {
            if (calc_option_number("score", "--sigma-pt", v, &o->sigma) != 0)
                return 1;
            o->have_sigma = 1;
        } else if (cli_opt(argc, argv, &i, "--delta-e", &v)) {
            if (calc_option_number("score", "--delta-e", v, &o->delta_e) != 0)
                return 1;
            if (!(o->delta_e > 0.0)) {
                fprintf(stderr, "ptlims score: --delta-e must be positive\n");
                return 1;
            }
            o->have_delta_e = 1;
        } else if (cli_opt(argc, argv, &i, "--s-star", &v)) {
            if (calc_option_number("score", "--s-star", v, &o->s_star) != 0)
                return 1;
            if (!(o->s_star > 0.0)) {
                fprintf(stderr, "ptlims score: --s-star must be positive\n");
                return 1;
            }
            o->have_s_star = 1;
        } else if (cli_opt(argc, argv, &i, "--R", &v)) {
            if (calc_option_number("score", "--R", v, &o->R) != 0)
                return 1;
            if (!(o->R > 0.0)) {
                fprintf(stderr, "ptlims score: --R must be positive\n");
                return 1;
            }
            o->have_R = 1;
        } else if (cli_opt(argc, argv, &i, "--R-factor", &v)) {
            if (calc_option_number("score", "--R-factor", v, &o->r_factor) !=
                0)
                return 1;
            if (!(o->r_factor > 0.0)) {
                fprintf(stderr,
                        "ptlims score: --R-factor must be positive\n");
                return 1;
            }
        } else if (cli_opt(argc, argv, &i, "--en-boundary", &v)) {
            if (strcmp(v, "iso") == 0) {
                o->en_le_one = 0;
            } else if (strcmp(v, "le1") == 0) {
                o->en_le_one = 1;
            } else {
                fprintf(stderr, "ptlims score: --en-boundary must be iso "
                                "or le1, not \"%s\"\n",
                        v);
                return 1;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_unknown("score", argv[i]);
        } else if (o->file == NULL) {
            o->file = argv[i];
        } else {
            fprintf(stderr, "ptlims score: one FILE only\n");
            return 1;
        }
    }
    if (o->file == NULL || !o->have_xpt || !o->have_u || !o->have_sigma) {
        fputs(score_help, stderr);
        return 1;
    }
    if (!(o->sigma > 0.0)) {
        fprintf(stderr, "ptlims score: --sigma-pt must be positive\n");
        return 1;
    }
    if (o->u_xpt < 0.0) {
        fprintf(stderr, "ptlims score: --u-xpt must not be negative\n");
        return 1;
    }
    return 0;
}

/* The class of a z-like score as JSON: null for a missing score. */
static void json_class(FILE *out, const char *key, double score,
                       pt_stats_class cls)
{
    fprintf(out, ", \"%s\": ", key);
    if (isnan(score))
        fputs("null", out);
    else
        fprintf(out, "\"%s\"", class_name(cls));
}

/* Score every row of the open CSV into out (nothing reaches stdout from
 * here: the caller prints out only when every row was scored). */
static int score_rows(pt_csv *csv, const struct score_opts *o, FILE *out)
{
    const pt_csv_field *f;
    size_t nf, rows = 0;
    int rc = 0, r, cl, cv, cu, ck, any_prime = 0;

    r = next_record(csv, &f, &nf, &rc);
    if (r < 0)
        return rc;
    if (r == 0) {
        fprintf(stderr, "ptlims: %s: empty file\n", pt_csv_name(csv));
        return 1;
    }
    cl = calc_column(f, nf, "lab");
    cv = calc_column(f, nf, "value");
    cu = calc_column(f, nf, "U");
    ck = calc_column(f, nf, "k");
    if (cl < 0 || cv < 0)
        return calc_fail_at(csv, &f[0],
                            "the header needs the columns lab and value "
                            "(and optionally U and k)");
    if (o->json)
        fputs("[", out);
    else
        fprintf(out, "%-12s %12s %9s %8s %8s %8s %8s  %s\n", "lab", "D",
                "D%",
               "z", "z'", "zeta", "En", "class");
    while ((r = next_record(csv, &f, &nf, &rc)) > 0) {
        double x, U = NAN, k = 2.0;
        struct score_row s;
        int st;
        if ((size_t)cv >= nf || (size_t)cl >= nf)
            return calc_fail_at(csv, &f[nf - 1], "missing columns");
        if (calc_number(csv, &f[cv], &x) != 0)
            return 1;
        if (cu >= 0 && (size_t)cu < nf && f[cu].len > 0) {
            if (calc_number(csv, &f[cu], &U) != 0)
                return 1;
            if (!(U > 0.0))
                return calc_fail_at(csv, &f[cu], "U must be positive");
        }
        if (ck >= 0 && (size_t)ck < nf && f[ck].len > 0) {
            if (calc_number(csv, &f[ck], &k) != 0)
                return 1;
            if (!(k > 0.0))
                return calc_fail_at(csv, &f[ck], "k must be positive");
        }
        st = score_one(x, U, k, o, &s);
        if (st != 0)
            return calc_fail_at(csv, &f[cv],
                                pt_stats_strerror((pt_stats_status)st));
        any_prime |= s.prime;
        if (o->json) {
            fprintf(out, "%s{\"lab\": ", rows ? ", " : "");
            json_str(out, f[cl].text);
            fputs(", \"D\": ", out);
            json_num(out, s.d);
            fputs(", \"D_pct\": ", out);
            json_num(out, s.d_pct);
            fputs(", \"z\": ", out);
            json_num(out, s.z);
            fputs(", \"z_prime\": ", out);
            json_num(out, s.zp);
            fputs(", \"zeta\": ", out);
            json_num(out, s.zeta);
            fputs(", \"En\": ", out);
            json_num(out, s.en);
            fprintf(out, ", \"class\": \"%s\", \"scored_by\": \"%s\"",
                    class_name(pt_stats_classify_z(s.used)),
                    s.prime ? "z_prime" : "z");
            json_class(out, "z_class", s.z, pt_stats_classify_z(s.z));
            json_class(out, "z_prime_class", s.zp, pt_stats_classify_z(s.zp));
            json_class(out, "zeta_class", s.zeta,
                       pt_stats_classify_z(s.zeta));
            json_class(out, "En_class", s.en,
                       pt_stats_classify_en(s.en, o->en_le_one));
            fputs(", \"PA\": ", out);
            json_num(out, s.pa);
            fputs(", \"R_limit\": ", out);
            json_num(out, s.r_limit);
            fprintf(out, ", \"R_agree\": %s",
                    isnan(s.r_limit) ? "null"
                    : s.r_agree      ? "true"
                                     : "false");
            fputs(", \"u_flags\": ", out);
            if (!s.have_flags)
                fputs("null", out);
            else
                fprintf(out, "[%s%s%s]",
                        s.flags & PT_UNC_BELOW_U_XPT ? "\"below_u_xpt\"" : "",
                        (s.flags & PT_UNC_BELOW_U_XPT) &&
                                (s.flags & PT_UNC_ABOVE_1P5_S)
                            ? ", "
                            : "",
                        s.flags & PT_UNC_ABOVE_1P5_S ? "\"above_1_5_s\"" : "");
            fputc('}', out);
        } else {
            fprintf(out,
                    "%-12s %12s %9s %8.2f %8.2f %8.2f %8.2f  %s (%s)%s%s%s",
                    f[cl].text, num_g(s.d, 6), num_g(s.d_pct, 4), s.z, s.zp,
                    s.zeta, s.en, class_name(pt_stats_classify_z(s.used)),
                    s.prime ? "z'" : "z",
                    !isnan(s.en) && pt_stats_classify_en(s.en, o->en_le_one) !=
                                        PT_CLASS_SATISFACTORY
                        ? ", En signal"
                        : "",
                    s.flags & PT_UNC_BELOW_U_XPT ? ", u(x) below u(x_pt)" : "",
                    s.flags & PT_UNC_ABOVE_1P5_S ? ", u(x) above 1.5 s*" : "");
            if (!isnan(s.pa))
                fprintf(out, ", PA %.1f", s.pa);
            if (!isnan(s.r_limit) && !s.r_agree)
                fprintf(out, ", |D| above %.6g", s.r_limit);
            fputc('\n', out);
        }
        rows++;
    }
    if (r < 0)
        return rc;
    if (o->json)
        fputs("]\n", out);
    else if (any_prime)
        fprintf(out, "u(x_pt) >= 0.3 sigma_pt: classes follow z' (ISO "
                     "13528 9.2.1)\n");
    return 0;
}

int cmd_score(cli *c, int argc, char **argv)
{
    struct score_opts o;
    calc_output out;
    pt_csv *csv;
    int rc = 0;

    (void)c;
    if (cli_wants_help(argc, argv)) {
        fputs(score_help, stdout);
        return 0;
    }
    if ((rc = parse_score_opts(argc, argv, &o)) != 0)
        return rc;
    if ((csv = calc_open(o.file, &rc)) == NULL)
        return rc;
    if (calc_output_open(&out) != 0) {
        pt_csv_free(csv);
        return oom();
    }
    rc = score_rows(csv, &o, out.f);
    pt_csv_free(csv);
    return calc_output_close(&out, rc);
}
