#!/usr/bin/env python3
"""calc_oracle.py -- what `ptlims sigma-pt`, `ptlims assigned` and
`ptlims homogeneity` (items measured once) should print, computed
independently for tests/host/test_calc_assign.c.

The inputs are read as the decimal text given (fractions.Fraction, exact);
square roots are taken in 50-digit decimals.  Written from ISO 13528:2022
clauses 7 and 8 and Annex B, not from stats/; standard library only.  Each
request prints its results as Python floats (repr: the double nearest the
exact value), separated by blanks:

    rounds FILE X          intercept slope r_squared sigma_pt_at_X
                           (FILE: CSV with columns round, level, sd)
    known V U K UHOM USTAB x_pt u_x_pt
    formulation P UP M UM T UT X0 UX0 F UHOM USTAB
                           x_pt u_char u_x_pt
    crm FILE XCRM UCRM     x_pt u_x_pt u_d   (FILE: a column d)
    single FILE SR         s_x s_s           (FILE: item,replicate,value)
"""

import csv
import sys
from decimal import Decimal, localcontext
from fractions import Fraction as F


def root(q):
    """sqrt of a non-negative Fraction, to 50 digits."""
    with localcontext() as ctx:
        ctx.prec = 50
        return (Decimal(q.numerator) / Decimal(q.denominator)).sqrt()


def column(path, name):
    with open(path, newline="") as f:
        return [F(row[name]) for row in csv.DictReader(f)]


def rounds(path, at):
    x, y = column(path, "level"), column(path, "sd")
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    b = sum((a - mx) * (c - my) for a, c in zip(x, y)) / \
        sum((a - mx) ** 2 for a in x)
    a = my - b * mx
    ss = sum((c - a - b * v) ** 2 for v, c in zip(x, y))
    tss = sum((c - my) ** 2 for c in y)
    return [a, b, 1 - ss / tss, a + b * F(at)]


def known(v, u, k, uhom, ustab):
    return [F(v), root((F(u) / F(k)) ** 2 + F(uhom) ** 2 + F(ustab) ** 2)]


def formulation(p, up, m, um, t, ut, x0, ux0, fac, uhom, ustab):
    p, up, m, um, t, ut = map(F, (p, up, m, um, t, ut))
    x0, ux0, fac, uhom, ustab = map(F, (x0, ux0, fac, uhom, ustab))
    w = fac * p * m / t
    uc2 = ux0 ** 2 + w ** 2 * ((up / p) ** 2 + (um / m) ** 2 + (ut / t) ** 2)
    return [x0 + w, root(uc2), root(uc2 + uhom ** 2 + ustab ** 2)]


def crm(path, xcrm, ucrm):
    d = column(path, "d")
    p = len(d)
    mean = sum(d) / p
    var = sum((v - mean) ** 2 for v in d) / (p - 1)
    return [F(xcrm) + mean, root(F(ucrm) ** 2 + var / p), root(var / p)]


def single(path, sr):
    x = column(path, "value")
    g = len(x)
    mean = sum(x) / g
    sx2 = sum((v - mean) ** 2 for v in x) / (g - 1)
    ss2 = sx2 - F(sr) ** 2
    return [root(sx2), root(ss2) if ss2 > 0 else 0]


def main():
    how, args = sys.argv[1], sys.argv[2:]
    fn = {"rounds": rounds, "known": known, "formulation": formulation,
          "crm": crm, "single": single}[how]
    print(" ".join(repr(float(v)) for v in fn(*args)))


if __name__ == "__main__":
    main()
