#!/usr/bin/env python3
"""oracle.py -- ISO 13528 estimators in exact arithmetic, for the tests.

An independent reference for tests/stats/test_properties.c: the values are
read as the decimal text laboratories report and kept as exact fractions
(fractions.Fraction), so ties in the data and in their pairwise
differences are exact ties.  Written from the definitions in ISO
13528:2022 Annex C (with Amd 1:2026 for Qn), not from stats/; standard
library only.

usage: python3 oracle.py FILE

Each line of FILE is one request, METHOD followed by its arguments and the
values, separated by blanks:

    median V...          made V...           niqr V...
    qn V...              qmethod V...        alga V...
    hampel S V...        (location with the scale S given)
    qhampel V...         (x* and s*)
    qgroups C1,C2,.. V...  (Q method, C_i results of laboratory i in turn)

and the scores of clause 9 on one result (X) and the assigned value (XPT),
each answered with the score and, for z, z', zeta and En, its class
(1 satisfactory, 2 questionable, 3 unsatisfactory; En with |En| = 1
unsatisfactory) decided on the exact value:

    d X XPT          dpct X XPT          pa X XPT DELTA_E
    z X XPT SIGMA    zprime X XPT U_XPT SIGMA
    zeta X U_X XPT U_XPT                 en X U_X XPT U_XPT
    zauto U_XPT SIGMA  (1 when u(x_pt) >= 0.3 sigma_pt: z' replaces z)

Each answer is one line: the results as Python floats (repr, which reads
back to the same double), or "zero" when the scale is zero, or "error".
"""

import math
import sys
from decimal import Decimal, localcontext
from fractions import Fraction as F
from statistics import NormalDist


def median(xs):
    s = sorted(xs)
    n = len(s)
    if n % 2:
        return s[n // 2]
    return (s[n // 2 - 1] + s[n // 2]) / 2


def made(xs):
    m = median(xs)
    return F("1.483") * median([abs(x - m) for x in xs])


def quantile7(s, p):
    h = (len(s) - 1) * p
    j = math.floor(h)
    if j + 1 >= len(s):
        return s[j]
    return s[j] + (h - j) * (s[j + 1] - s[j])


def niqr(xs):
    s = sorted(xs)
    return F("0.7413") * (quantile7(s, F(3, 4)) - quantile7(s, F(1, 4)))


BP_TABLE = ["0.3994", "0.9937", "0.5132", "0.8440", "0.6122", "0.8588",
            "0.6699", "0.8734", "0.7201", "0.8891", "0.7574"]


def qn_bp(p):
    if p <= 12:
        return F(BP_TABLE[p - 2])
    q = F(p)
    if p % 2:
        r = (F("1.6019") + (F("-2.128") - F("5.172") / q) / q) / q
    else:
        r = (F("3.6756") + (F("1.965") + (F("6.987") - 77 / q) / q) / q) / q
    return 1 / (1 + r)


def qn(xs):
    p = len(xs)
    d = sorted(abs(xs[i] - xs[j]) for i in range(p) for j in range(i + 1, p))
    h = p // 2 + 1
    k = h * (h - 1) // 2
    return F("2.2191") * qn_bp(p) * d[k - 1]


def qmethod(labs):
    """s* and H1(0) of the Q method (C.5.2.2) over laboratories' results."""
    p = len(labs)
    total = F(p * (p - 1), 2)
    weight = {}
    for i in range(p):
        for j in range(i + 1, p):
            w = F(1, len(labs[i]) * len(labs[j]))
            for a in labs[i]:
                for b in labs[j]:
                    d = abs(a - b)
                    weight[d] = weight.get(d, 0) + w
    h0 = weight.get(F(0), F(0)) / total
    if h0 == 1:
        return None
    level = F(1, 4) + F(3, 4) * h0
    cum = h0 * total
    h_prev = h0
    x_lo, g_lo = F(0), F(0)
    for d in sorted(weight):
        if d == 0:
            continue
        cum += weight[d]
        h = cum / total
        g = (h + h_prev) / 2
        if g >= level:
            num = x_lo + (level - g_lo) * (d - x_lo) / (g - g_lo)
            den = math.sqrt(2.0) * NormalDist().inv_cdf(
                float(F(5, 8) + F(3, 8) * h0))
            return float(num) / den, h0
        x_lo, g_lo, h_prev = d, g, h
    raise ValueError("level not reached")


def psi(u):
    a = abs(u)
    if a <= F(3, 2):
        return u
    if a <= 3:
        v = F(3, 2)
    elif a <= F(9, 2):
        v = F(9, 2) - a
    else:
        return F(0)
    return v if u > 0 else -v


def hampel(xs, s):
    """Hampel's x* (C.5.3): every solution of sum psi((x - t)/s) = 0 is
    found exactly (the sum is piecewise linear in t); the one nearest the
    median is taken, the median when two are equally near or none."""
    med = median(xs)

    def total(t):
        return sum(psi((x - t) / s) for x in xs)

    def weighted(t):
        return any(abs(x - t) < F(9, 2) * s for x in xs)

    knots = sorted({x + c * s for x in xs
                    for c in (F(-9, 2), -3, F(-3, 2), F(3, 2), 3, F(9, 2))})
    values = [total(k) for k in knots]
    roots = set()
    for k, v in zip(knots, values):
        if v == 0:
            roots.add(k)
    for (a, fa), (b, fb) in zip(zip(knots, values),
                                zip(knots[1:], values[1:])):
        if fa == 0 and fb == 0:
            roots.add(min(max(med, a), b))
        elif (fa < 0 < fb) or (fb < 0 < fa):
            roots.add(a - fa * (b - a) / (fb - fa))
    roots = sorted((abs(r - med), r) for r in roots if weighted(r))
    if not roots:
        return med
    if len(roots) > 1 and roots[1][0] == roots[0][0]:
        return med
    return roots[0][1]


def alga(xs):
    """Algorithm A (C.3.1) to its fixed point, in 60-digit decimals: plain
    iteration from the median and MADe (the SD when MADe is 0); at each
    step the fixed point of the current clamped set is solved in closed
    form and taken once one plain step leaves it where it is."""
    with localcontext() as ctx:
        ctx.prec = 60
        x = [Decimal(v.numerator) / Decimal(v.denominator) for v in xs]
        n = len(x)
        k, fac = Decimal("1.5"), Decimal("1.134")
        tol = Decimal("1e-45")

        def mean_sd(w):
            m = sum(w) / n
            return m, (sum((v - m) ** 2 for v in w) / (n - 1)).sqrt()

        def step(c, s):
            d = k * s
            w = [min(max(v, c - d), c + d) for v in x]
            m, sd = mean_sd(w)
            return m, fac * sd

        def closed(c, s):
            d = k * s
            lo = [v for v in x if v < c - d]
            hi = [v for v in x if v > c + d]
            mid = [v for v in x if c - d <= v <= c + d]
            if not mid:
                return None
            a = sum(mid) / len(mid)
            q = sum((v - a) ** 2 for v in mid)
            b = (len(hi) - len(lo)) * k / len(mid)
            den = (n - 1) / fac ** 2 - len(mid) * b * b \
                - (len(lo) + len(hi)) * k * k
            if den <= 0 or q <= 0:
                return None
            sc = (q / den).sqrt()
            return a + b * sc, sc

        def still(c0, s0, c1, s1):
            return abs(c1 - c0) <= tol * s1 and abs(s1 - s0) <= tol * s1

        c = median(x)
        s = Decimal("1.483") * median([abs(v - c) for v in x])
        if s == 0:
            s = mean_sd(x)[1]
        if s == 0:
            return None
        floor = tol * s  # s* shrinking towards 0 (more than half equal)
        for _ in range(100000):
            c1, s1 = step(c, s)
            if s1 <= floor:
                return None
            if still(c, s, c1, s1):
                return float(c1), float(s1)
            c, s = c1, s1
            fixed = closed(c, s)
            if fixed is not None:
                c2, s2 = step(*fixed)
                if still(fixed[0], fixed[1], c2, s2):
                    return float(fixed[0]), float(fixed[1])
        raise ValueError("Algorithm A: no fixed point")


def z_class(num2, den2):
    """The class of a score whose square is num2 / den2, exactly."""
    if num2 <= 4 * den2:
        return 1
    if num2 < 9 * den2:
        return 2
    return 3


def quotient_root(num, den2):
    """num / sqrt(den2) to 60 digits, den2 > 0."""
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(den2.numerator) / Decimal(den2.denominator)
        n = Decimal(num.numerator) / Decimal(num.denominator)
        return n / d.sqrt()


def score(method, v):
    if method == "d":
        return [v[0] - v[1]]
    if method == "dpct":
        return [100 * (v[0] - v[1]) / v[1]]
    if method == "pa":
        return [100 * (v[0] - v[1]) / v[2]]
    if method == "z":
        z = (v[0] - v[1]) / v[2]
        return [z, z_class(z * z, 1)]
    if method == "zauto":
        return [1 if v[0] >= F(3, 10) * v[1] else 0]
    if method == "zprime":
        num, den2 = v[0] - v[1], v[2] ** 2 + v[3] ** 2
    else:  # zeta, en: x, u or U of x, x_pt, its u or U
        num, den2 = v[0] - v[2], v[1] ** 2 + v[3] ** 2
    if method == "en":
        return [quotient_root(num, den2), 1 if num * num < den2 else 3]
    return [quotient_root(num, den2), z_class(num * num, den2)]


SCORES = ("d", "dpct", "pa", "z", "zauto", "zprime", "zeta", "en")


def answer(words):
    method = words[0]
    if method in SCORES:
        return score(method, [F(v) for v in words[1:]])
    if method == "hampel":
        s = F(float(words[1]))
        return [hampel([F(v) for v in words[2:]], s)]
    if method == "qgroups":
        counts = [int(c) for c in words[1].split(",")]
        vals = [F(v) for v in words[2:]]
        labs, at = [], 0
        for c in counts:
            labs.append(vals[at:at + c])
            at += c
        r = qmethod(labs)
        return None if r is None else [r[0], r[1]]
    xs = [F(v) for v in words[1:]]
    if method == "median":
        return [median(xs)]
    if method == "made":
        return [made(xs)]
    if method == "niqr":
        return [niqr(xs)]
    if method == "qn":
        return [qn(xs)]
    if method == "qmethod":
        r = qmethod([[v] for v in xs])
        return None if r is None else [r[0], r[1]]
    if method == "qhampel":
        r = qmethod([[v] for v in xs])
        if r is None:
            return None
        return [hampel(xs, F(r[0])), r[0]]
    if method == "alga":
        return alga(xs)
    raise ValueError("unknown method " + method)


def main():
    with open(sys.argv[1]) as f:
        for line in f:
            words = line.split()
            if not words:
                continue
            try:
                r = answer(words)
            except (ValueError, ZeroDivisionError, IndexError):
                print("error")
                continue
            if r is None:
                print("zero")
            else:
                print(" ".join(repr(float(v)) for v in r))


if __name__ == "__main__":
    main()
