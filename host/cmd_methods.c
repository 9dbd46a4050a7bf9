/*
 * cmd_methods.c -- `ptlims methods`: the method and limit data a judgement
 * rests on, as the database holds them -- every edition of every method
 * with its scope and its precision rows (general and per product), and
 * every limit with its standard, edition, dates, status and source -- so
 * that a quality manager can see what is published, what is unverified
 * and what is missing.  Through lims_engine.methods.  Exit status 0, 1
 * (user error) or 2 (internal).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static const char methods_help[] =
    "usage: ptlims [--db PATH] methods [--scheme S] [--json]\n\n"
    "Lists the test methods by edition (scope, precision rows r and R by\n"
    "product, with 'general' for the row used when a product has none) and\n"
    "the limits (standard, edition, effective dates), each with its status\n"
    "(published, unverified, missing) and source.  --scheme keeps one\n"
    "scheme's (a plug-in id).  Exit 0, 1 user error, 2 internal error.\n";

typedef struct listing {
    int json, n_editions, n_precision, n_limits;
    char unit_buf[64];
} listing;

/* JSON string or null. */
static void json_text(const char *s)
{
    if (s)
        json_str(stdout, s);
    else
        fputs("null", stdout);
}

/* {"a": .., "b": .., "c": ..} of a (X + b)^c, or null. */
static void json_equation(double a, double b, double c)
{
    if (isnan(a)) {
        fputs("null", stdout);
        return;
    }
    fputs("{\"a\": ", stdout);
    json_num(stdout, a);
    fputs(", \"b\": ", stdout);
    json_num(stdout, b);
    fputs(", \"c\": ", stdout);
    json_num(stdout, c);
    fputs("}", stdout);
}

/* "0.1788 (X + 0)^0.75" or "not given". */
static void text_equation(const char *sym, double a, double b, double c)
{
    if (isnan(a))
        printf("%s not given", sym);
    else if (b == 0 && c == 1)
        printf("%s = %s X", sym, num_g(a, 6));
    else if (b == 0)
        printf("%s = %s X^%s", sym, num_g(a, 6), num_g(c, 6));
    else if (c == 1)
        printf("%s = %s (X %s %s)", sym, num_g(a, 6), b < 0 ? "-" : "+",
               num_g(fabs(b), 6));
    else
        printf("%s = %s (X %s %s)^%s", sym, num_g(a, 6), b < 0 ? "-" : "+",
               num_g(fabs(b), 6), num_g(c, 6));
}

static void text_bound(double v)
{
    if (isnan(v))
        fputs("open", stdout);
    else
        printf("%s", num_g(v, 6));
}

/* In JSON, the precision array of the edition listed before ends. */
static void end_edition(listing *l)
{
    if (l->json && l->n_editions)
        fputs("]}", stdout);
}

static int on_edition(void *ctx, const lims_method_edition *e)
{
    listing *l = ctx;

    snprintf(l->unit_buf, sizeof l->unit_buf, "%s", e->unit);
    l->n_precision = 0;
    if (!l->json) {
        printf("%s, edition %s (%s, %s)\n  scope ", e->code, e->edition,
               e->scheme, e->principle);
        text_bound(e->scope_min);
        fputs(" to ", stdout);
        text_bound(e->scope_max);
        printf(" %s; %s; %s\n", e->scope_unit, e->status, e->source);
        l->n_editions++;
        return 0;
    }
    end_edition(l);
    fputs(l->n_editions++ ? ",\n  " : "\n  ", stdout);
    fputs("{\"code\": ", stdout);
    json_str(stdout, e->code);
    fputs(", \"scheme\": ", stdout);
    json_str(stdout, e->scheme);
    fputs(", \"principle\": ", stdout);
    json_str(stdout, e->principle);
    fputs(", \"unit\": ", stdout);
    json_str(stdout, e->unit);
    fputs(", \"edition\": ", stdout);
    json_str(stdout, e->edition);
    fputs(", \"issued\": ", stdout);
    json_num(stdout, e->issued);
    fputs(", \"scope_min\": ", stdout);
    json_num(stdout, e->scope_min);
    fputs(", \"scope_max\": ", stdout);
    json_num(stdout, e->scope_max);
    fputs(", \"scope_unit\": ", stdout);
    json_str(stdout, e->scope_unit);
    fputs(", \"status\": ", stdout);
    json_str(stdout, e->status);
    fputs(", \"source\": ", stdout);
    json_str(stdout, e->source);
    fputs(", \"precision\": [", stdout);
    return 0;
}

static int on_precision(void *ctx, const lims_method_precision *p)
{
    listing *l = ctx;

    if (!l->json) {
        printf("  %s: ", p->product ? p->product : "general");
        text_equation("r", p->r_a, p->r_b, p->r_c);
        fputs(", ", stdout);
        text_equation("R", p->R_a, p->R_b, p->R_c);
        printf(" (X in %s", l->unit_buf);
        if (!isnan(p->x_from))
            printf(", from %s", num_g(p->x_from, 6));
        if (!isnan(p->x_to))
            printf(", below %s", num_g(p->x_to, 6));
        printf("); %s; %s\n", p->status, p->source);
        return 0;
    }
    fputs(l->n_precision++ ? ", {\"product\": " : "{\"product\": ", stdout);
    json_text(p->product);
    fputs(", \"x_from\": ", stdout);
    json_num(stdout, p->x_from);
    fputs(", \"x_to\": ", stdout);
    json_num(stdout, p->x_to);
    fputs(", \"r\": ", stdout);
    json_equation(p->r_a, p->r_b, p->r_c);
    fputs(", \"R\": ", stdout);
    json_equation(p->R_a, p->R_b, p->R_c);
    fputs(", \"status\": ", stdout);
    json_str(stdout, p->status);
    fputs(", \"source\": ", stdout);
    json_str(stdout, p->source);
    fputs("}", stdout);
    return 0;
}

static int on_limit(void *ctx, const lims_limit_info *m)
{
    listing *l = ctx;

    if (!l->json) {
        if (!l->n_limits)
            fputs("\nlimits\n", stdout);
        printf("%s %s, %s: %s ", m->scheme, m->measurand, m->category,
               m->kind);
        text_bound(m->value);
        printf(" %s", m->unit);
        if (!isnan(m->alt_value))
            printf(" or %s %s (%s)", num_g(m->alt_value, 6),
                   m->alt_unit ? m->alt_unit : "",
                   m->alt_rule ? m->alt_rule : "");
        if (!isnan(m->cap))
            printf(", at most %s", num_g(m->cap, 6));
        printf("\n  %s%s%s, from %s to %s; %s; %s\n", m->standard,
               m->edition ? " edition " : "", m->edition ? m->edition : "",
               m->effective_from ? m->effective_from : "-",
               m->effective_to ? m->effective_to : "-", m->status,
               m->source);
        l->n_limits++;
        return 0;
    }
    fputs(l->n_limits++ ? ",\n  " : "\n  ", stdout);
    fputs("{\"scheme\": ", stdout);
    json_str(stdout, m->scheme);
    fputs(", \"measurand\": ", stdout);
    json_str(stdout, m->measurand);
    fputs(", \"category\": ", stdout);
    json_str(stdout, m->category);
    fputs(", \"kind\": ", stdout);
    json_str(stdout, m->kind);
    fputs(", \"value\": ", stdout);
    json_num(stdout, m->value);
    fputs(", \"unit\": ", stdout);
    json_str(stdout, m->unit);
    fputs(", \"alt_value\": ", stdout);
    json_num(stdout, m->alt_value);
    fputs(", \"alt_unit\": ", stdout);
    json_text(m->alt_unit);
    fputs(", \"alt_rule\": ", stdout);
    json_text(m->alt_rule);
    fputs(", \"cap\": ", stdout);
    json_num(stdout, m->cap);
    fputs(", \"standard\": ", stdout);
    json_str(stdout, m->standard);
    fputs(", \"edition\": ", stdout);
    json_text(m->edition);
    fputs(", \"clause\": ", stdout);
    json_text(m->clause);
    fputs(", \"effective_from\": ", stdout);
    json_text(m->effective_from);
    fputs(", \"effective_to\": ", stdout);
    json_text(m->effective_to);
    fputs(", \"status\": ", stdout);
    json_str(stdout, m->status);
    fputs(", \"source\": ", stdout);
    json_str(stdout, m->source);
    fputs("}", stdout);
    return 0;
}

/* The limits begin: in JSON, the methods' array ends. */
static void end_methods(listing *l)
{
    end_edition(l);
    fputs(l->n_editions ? "\n],\n\"limits\": [" : "],\n\"limits\": [",
          stdout);
}

static int on_limit_json(void *ctx, const lims_limit_info *m)
{
    listing *l = ctx;

    if (!l->n_limits)
        end_methods(l);
    return on_limit(ctx, m);
}

int cmd_methods(cli *c, int argc, char **argv)
{
    const char *scheme = NULL;
    listing l;
    lims_instance *inst;
    char err[1024] = "";
    lims_status st;
    size_t k;
    int i, rc;

    memset(&l, 0, sizeof l);
    if (cli_wants_help(argc, argv)) {
        fputs(methods_help, stdout);
        return 0;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            l.json = 1;
        else if (!cli_opt(argc, argv, &i, "--scheme", &scheme))
            return cli_unknown("methods", argv[i]);
    }
    if (scheme) {
        for (k = 0; k < c->plugins.n; k++)
            if (strcmp(c->plugins.p[k].desc->id, scheme) == 0)
                break;
        if (k == c->plugins.n) {
            fprintf(stderr,
                    "ptlims methods: --scheme \"%s\" is not a loaded scheme "
                    "(see ptlims plugins)\n",
                    scheme);
            return 1;
        }
    }
    if ((rc = cli_open(c, &inst)))
        return rc;
    if (!LIMS_HAS_MEMBER(c->core, lims_engine, methods) || !c->core->methods) {
        c->core->close(inst);
        fprintf(stderr, "ptlims: the engine is too old for methods\n");
        return 1;
    }
    if (l.json)
        fputs("{\"methods\": [", stdout);
    st = c->core->methods(inst, scheme, on_edition, on_precision,
                          l.json ? on_limit_json : on_limit, &l, err,
                          sizeof err);
    c->core->close(inst);
    if (l.json) {
        if (!l.n_limits)
            end_methods(&l);
        fputs(l.n_limits ? "\n]}\n" : "]}\n", stdout);
    }
    if (st != LIMS_OK)
        return cli_fail(st, err);
    return 0;
}
