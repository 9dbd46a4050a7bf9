#!/usr/bin/env python3
"""test_stats_iso.py -- ptlims.stats against numbers that do not come from
ptlims: the ISO 13528:2022 Annex E worked examples as printed (E.3
atrazine, E.2 arsenic in chocolate, as transcribed in tests/stats/), the
same statistics computed here in plain Python from their definitions
(Algorithm A iterated to its fixed point, type-7 quartiles, MADe), the
scores from the formulas of clause 9 and one ISO 5725-2 level worked by
hand (tests/stats/test_precision.c).
"""

import math
import os
import statistics
import sys
import unittest

import ptest

import ptlims  # noqa: E402
import ptlims.stats  # noqa: E402

# ISO 13528:2022 E.3, atrazine (tests/stats/test_alga.c)
E3 = [0.040, 0.055, 0.178, 0.202, 0.206, 0.227, 0.228, 0.230, 0.230, 0.235,
      0.236, 0.237, 0.243, 0.244, 0.245, 0.2555, 0.260, 0.264, 0.267, 0.270,
      0.273, 0.274, 0.274, 0.278, 0.2811, 0.287, 0.287, 0.288, 0.289, 0.295,
      0.296, 0.311, 0.331, 0.4246]
# ISO 13528:2022 E.2, 10 items in duplicate (tests/stats/test_homogeneity.c)
E2 = [[0.185, 0.194], [0.187, 0.189], [0.182, 0.186], [0.188, 0.196],
      [0.191, 0.181], [0.188, 0.180], [0.187, 0.196], [0.177, 0.186],
      [0.179, 0.187], [0.188, 0.196]]


def median(x):
    return statistics.median(x)


def quantile7(x, p):
    """Hyndman and Fan type 7 (Excel QUARTILE.INC)."""
    z = sorted(x)
    h = (len(z) - 1) * p
    j = int(math.floor(h))
    if j + 1 >= len(z):
        return z[-1]
    return z[j] + (h - j) * (z[j + 1] - z[j])


def made(x):
    m = median(x)
    return 1.483 * median([abs(v - m) for v in x])


def algorithm_a(x):
    """ISO 13528 C.3.1 iterated until neither x* nor s* moves by more
    than 1e-15 of s* (or 10 000 times)."""
    xs, ss = median(x), made(x)
    for _ in range(10000):
        d = 1.5 * ss
        c = [min(max(v, xs - d), xs + d) for v in x]
        nx, ns = statistics.fmean(c), 1.134 * statistics.stdev(c)
        done = abs(nx - xs) <= 1e-15 * ns and abs(ns - ss) <= 1e-15 * ns
        xs, ss = nx, ns
        if done:
            break
    return xs, ss


class AnnexE3Test(unittest.TestCase):
    def test_e3_as_printed(self):
        s = ptlims.stats.summary(E3)
        printed = {"median": 0.2620, "niqr": 0.0402, "made": 0.0386,
                   "alga_x": 0.2570, "alga_s": 0.0395, "alga_u": 0.0085}
        for key, value in printed.items():
            self.assertLess(abs(s[key] - value), 0.00005, key)

    def test_e3_from_the_definitions(self):
        s = ptlims.stats.summary(E3)
        self.assertEqual(s["n"], 34)
        self.assertAlmostEqual(s["mean"], statistics.fmean(E3), delta=1e-15)
        self.assertAlmostEqual(s["sd"], statistics.stdev(E3), delta=1e-15)
        self.assertEqual(s["median"], (0.260 + 0.264) / 2)
        self.assertAlmostEqual(s["made"], made(E3), delta=1e-15)
        self.assertAlmostEqual(
            s["niqr"], 0.7413 * (quantile7(E3, 0.75) - quantile7(E3, 0.25)),
            delta=1e-15)
        x, sd = algorithm_a(E3)
        self.assertLess(abs(s["alga_x"] - x), 1e-9 * x)
        self.assertLess(abs(s["alga_s"] - sd), 1e-9 * sd)
        self.assertLess(abs(s["alga_u"] - 1.25 * sd / math.sqrt(34)),
                        1e-9 * sd)

    def test_an_outlier_moves_the_mean_not_algorithm_a(self):
        values = [10.1, 9.9, 10.0, 10.2, 9.8, 10.05, 9.95, 50.0]
        s = ptlims.stats.summary(values)
        x, sd = algorithm_a(values)
        self.assertGreater(s["mean"], 14.9)
        self.assertLess(abs(s["alga_x"] - x), 1e-9 * x)
        self.assertLess(abs(s["alga_s"] - sd), 1e-9 * sd)


class ScoresTest(unittest.TestCase):
    def test_scores_follow_the_formulas_of_clause_9(self):
        x_pt, u_x_pt, sigma = 8.27, 0.13, 1.01
        rows = ptlims.stats.scores(
            [("A", 10.6, 1.2), ("B", 8.1), ("C", 4.9, 0.9, 1.96)],
            x_pt, u_x_pt, sigma)
        for row, (x, U, k) in zip(rows, [(10.6, 1.2, 2), (8.1, None, 2),
                                         (4.9, 0.9, 1.96)]):
            self.assertAlmostEqual(row["D"], x - x_pt, delta=1e-14)
            self.assertAlmostEqual(row["D_pct"], 100 * (x - x_pt) / x_pt,
                                   delta=1e-12)
            self.assertAlmostEqual(row["z"], (x - x_pt) / sigma, delta=1e-14)
            self.assertAlmostEqual(row["z_prime"], (x - x_pt) /
                                   math.sqrt(sigma ** 2 + u_x_pt ** 2),
                                   delta=1e-14)
            if U is None:
                self.assertIsNone(row["zeta"])
                self.assertIsNone(row["En"])
            else:
                self.assertAlmostEqual(row["zeta"], (x - x_pt) / math.sqrt(
                    (U / k) ** 2 + u_x_pt ** 2), delta=1e-14)
                self.assertAlmostEqual(row["En"], (x - x_pt) / math.sqrt(
                    U ** 2 + (2 * u_x_pt) ** 2), delta=1e-14)
        # |z| 2.31 questionable, 0.17 satisfactory, 3.34 unsatisfactory
        self.assertEqual([r["verdict"] for r in rows],
                         ["questionable", "satisfactory", "unsatisfactory"])
        self.assertEqual({r["primary"] for r in rows}, {"z"})


    def test_pa_and_the_uncertainty_flags_of_9_3_and_9_8(self):
        x_pt, u_x_pt, sigma, s_star = 8.27, 0.13, 1.01, 0.5
        rows = ptlims.stats.scores(
            [("A", 10.6, 1.2), ("B", 8.1, 0.2), ("C", 8.0, 2.0, 1.0),
             ("D", 8.3)], x_pt, u_x_pt, sigma, delta_e=2.5, s_star=s_star)
        for row, x in zip(rows, (10.6, 8.1, 8.0, 8.3)):
            self.assertAlmostEqual(row["PA"], 100 * (x - x_pt) / 2.5,
                                   delta=1e-12)
        # u = U/k: 0.6 no flag; 0.1 < u(x_pt); 2.0 > 1.5 s*; no U: None
        self.assertEqual([r["u_flags"] for r in rows],
                         [[], ["below_u_xpt"], ["above_1_5_s"], None])
        self.assertEqual(rows[0]["En_verdict"], "unsatisfactory")  # En 1.88
        self.assertIsNone(rows[3]["En_verdict"])
        self.assertEqual(rows[0]["z_verdict"], "questionable")  # z 2.31
        plain = ptlims.stats.scores([("A", 10.6, 1.2)], x_pt, u_x_pt, sigma)
        self.assertIsNone(plain[0]["PA"])
        self.assertIsNone(plain[0]["u_flags"])


class HomogeneityTest(unittest.TestCase):
    def test_e2_as_printed(self):
        h = ptlims.stats.homogeneity(E2, sigma_pt=1.0)
        for key, value in {"mean": 0.18715, "s_x": 0.00398, "s_w": 0.00556,
                           "s_s": 0.00060}.items():
            self.assertLess(abs(h[key] - value), 0.000005, key)
        sigma = 0.15 * h["mean"]
        h = ptlims.stats.homogeneity(E2, sigma_pt=sigma)
        self.assertLess(abs(h["criterion"] - 0.00842), 0.000005)
        self.assertLess(abs(h["F1"] - 1.88), 0.005)  # Table B.1, g = 10
        self.assertLess(abs(h["F2"] - 1.01), 0.005)
        self.assertTrue(h["passed"])
        self.assertTrue(h["passed_expanded"])
        self.assertEqual((h["g"], h["m"]), (10, 2))

    def test_e2_from_the_definitions(self):
        means = [statistics.fmean(i) for i in E2]
        s_x = statistics.stdev(means)
        s_w = math.sqrt(sum((a - b) ** 2 for a, b in E2) / (2 * len(E2)))
        h = ptlims.stats.homogeneity(E2, sigma_pt=0.03)
        self.assertAlmostEqual(h["s_x"], s_x, delta=1e-15)
        self.assertAlmostEqual(h["s_w"], s_w, delta=1e-15)
        self.assertAlmostEqual(
            h["s_s"], math.sqrt(max(s_x ** 2 - s_w ** 2 / 2, 0)), delta=1e-15)
        self.assertAlmostEqual(h["criterion"], 0.3 * 0.03, delta=1e-16)


class PrecisionTest(unittest.TestCase):
    def test_balanced_duplicates_worked_by_hand(self):
        # cells (10, 12) (11, 11) (13, 15) (9, 9): s_r^2 = 1, s_L^2 = 3.75
        p = ptlims.stats.precision({"L1": [10, 12], "L2": [11, 11],
                                    "L3": [13, 15], "L4": [9, 9]})
        self.assertEqual(p["p"], 4)
        self.assertAlmostEqual(p["s_r"], 1.0, delta=1e-14)
        self.assertAlmostEqual(p["s_L"], math.sqrt(3.75), delta=1e-14)
        self.assertAlmostEqual(p["s_R"], math.sqrt(4.75), delta=1e-14)
        self.assertAlmostEqual(p["r"], 2.8, delta=1e-14)
        self.assertAlmostEqual(p["R"], 2.8 * math.sqrt(4.75), delta=1e-13)
        self.assertAlmostEqual(p["cochran_C"], 0.5, delta=1e-15)
        sd_means = math.sqrt(12.75 / 3)
        self.assertAlmostEqual(p["grubbs_max"], 2.75 / sd_means, delta=1e-14)
        self.assertAlmostEqual(p["grubbs_min"], 2.25 / sd_means, delta=1e-14)
        labs = p["labs"]
        self.assertEqual([lab["lab"] for lab in labs],
                         ["L1", "L2", "L3", "L4"])
        self.assertEqual([lab["mean"] for lab in labs], [11, 11, 14, 9])
        self.assertAlmostEqual(sum(lab["h"] for lab in labs), 0, delta=1e-14)
        self.assertAlmostEqual(sum(lab["h"] ** 2 for lab in labs), 3,
                               delta=1e-13)
        self.assertAlmostEqual(labs[0]["k"], math.sqrt(2), delta=1e-14)


class CommandTest(unittest.TestCase):
    def test_precision_with_equal_replicates_equals_ptlims_precision(self):
        labs = {"L1": [10, 12], "L2": [11, 11.5], "L3": [13, 15],
                "L4": [9, 9.4], "L5": [10.2, 10.8]}
        path = os.path.join(ptest.BUILD, "py-precision.csv")
        with open(path, "w") as f:
            f.write("lab,replicate,value\n" + "".join(
                "%s,%d,%r\n" % (lab, i + 1, v)
                for lab, vs in labs.items() for i, v in enumerate(vs)))
        try:
            want = ptest.ptlims_json("precision", path)
        finally:
            os.remove(path)
        got = ptlims.stats.precision(labs)
        self.assertIsNotNone(got["algs_w"])
        for key in ("algs_w", "qmethod_s", "qhampel_x", "s_r", "s_R"):
            self.assertLess(abs(got[key] - want[key]),
                            1e-12 * abs(want[key]), key)
        self.assertEqual(sorted(got), sorted(want))


class RefusalTest(unittest.TestCase):
    def test_infinity_raises_error_with_the_library_status(self):
        with self.assertRaises(ptlims.Error) as e:
            ptlims.stats.summary([1.0, 2.0, math.inf])
        self.assertEqual(e.exception.status, 3)  # PT_STATS_NONFINITE


if __name__ == "__main__":
    sys.exit(ptest.main(sys.modules[__name__]))
