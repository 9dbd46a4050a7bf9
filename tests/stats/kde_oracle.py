#!/usr/bin/env python3
"""kde_oracle.py -- the normal-kernel density and its bandwidth rule, for
tests/stats/test_kernel_density.c and tests/reports/check_charts.py.

An independent reference written from the definitions (ISO 13528:2022
10.3 and E.6; Silverman's robust rule), with the standard library's math
only: each density is a math.fsum of the kernels, so it is correctly
rounded sums, not the C code's running sum.

usage: python3 kde_oracle.py FILE

Each line of FILE is one request:

    density H T1,T2,... V1 V2 ...   the density with bandwidth H at T1, T2, ...
    bandwidth S V1 V2 ...           the bandwidth for sigma_pt S ("nan": none)

Each answer is one line of Python floats (repr), or "error".
"""

import math
import sys


def density(h, t, xs):
    c = 1.0 / (len(xs) * h * math.sqrt(2.0 * math.pi))
    return c * math.fsum(math.exp(-0.5 * ((t - x) / h) ** 2) for x in xs)


def quantile7(s, p):
    """Linear-interpolation quantile (R type 7) of sorted s."""
    g = (len(s) - 1) * p
    i = math.floor(g)
    if i + 1 >= len(s):
        return s[-1]
    return s[i] + (g - i) * (s[i + 1] - s[i])


def bandwidth(sigma_pt, xs):
    if sigma_pt > 0 and math.isfinite(sigma_pt):
        return 0.75 * sigma_pt
    n = len(xs)
    if n < 2:
        raise ValueError("too few")
    mean = math.fsum(xs) / n
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1))
    s = sorted(xs)
    niqr = 0.7413 * (quantile7(s, 0.75) - quantile7(s, 0.25))
    scale = min(sd, niqr) if min(sd, niqr) > 0 else max(sd, niqr)
    if not scale > 0:
        raise ValueError("zero scale")
    return 0.9 * scale * n ** -0.2


def answer(line):
    f = line.split()
    if f[0] == "density":
        h = float(f[1])
        ts = [float(v) for v in f[2].split(",")]
        xs = [float(v) for v in f[3:]]
        return " ".join(repr(density(h, t, xs)) for t in ts)
    if f[0] == "bandwidth":
        return repr(bandwidth(float(f[1]), [float(v) for v in f[2:]]))
    raise ValueError(f[0])


def main(argv):
    with open(argv[1], encoding="ascii") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                print(answer(line))
            except (ValueError, ZeroDivisionError, IndexError):
                print("error")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
