"""ISO 13528 statistics, computed by the ptlims statistics library.

Each function returns what the matching calculator of the `ptlims`
command prints with --json, under the same keys; a number that does not
apply or cannot be computed is None (JSON's null).  A refusal of the
library raises ptlims.Error with its status.

    summary(values, estimators=None, stop="fixed")   ptlims stats
    scores(results, x_pt, u_x_pt, sigma_pt)          ptlims score
    homogeneity(items, sigma_pt)                     ptlims homogeneity
    precision(labs)                                  ptlims precision
"""

import array
import ctypes
import math

from . import Error
from . import _lib

__all__ = ["summary", "scores", "homogeneity", "precision", "SUMMARY_KEYS"]

#: The keys of summary(), in the order `ptlims stats --json` prints them.
SUMMARY_KEYS = ("n", "max_consensus_z", "small_group", "mean", "sd",
                "median", "made", "niqr", "alga_x", "alga_s",
                "alga_iterations", "alga_u", "qn", "qmethod_s", "hampel_x",
                "qhampel_u")

#: The keys every summary() has, whatever the estimators asked for.
_ALWAYS = ("n", "max_consensus_z", "small_group")

_OK, _TOO_FEW, _NONFINITE, _BAD_ARG = 0, 2, 3, 4
_STOP = {"fixed": 0, "sig3": 1}


def _doubles(values):
    """values as a C array of doubles (an array.array underneath)."""
    a = array.array("d", values)
    n = len(a)
    if n == 0:
        return (ctypes.c_double * 1)(), 0
    return (ctypes.c_double * n).from_buffer(a), n


def _number(v):
    """None for NaN or infinity, as --json prints them."""
    return v if math.isfinite(v) else None


def _call(status, v):
    """v when the status is OK, else None."""
    return _number(v.value) if status == _OK else None


def _refuse(status, what):
    raise Error(status, "%s: %s" % (what, _lib.strerror(status)))


def summary(values, estimators=None, stop="fixed"):
    """Robust statistics of one list of results (ISO 13528 Annex C): a dict
    with the keys of `ptlims stats --json` (SUMMARY_KEYS).

    estimators, when given, is a collection of those keys: the result then
    has "n", "max_consensus_z" and "small_group" (the largest |z| a
    consensus of these n results allows, (n - 1)/sqrt(n), and whether it is
    below 2) and those only, and nothing else is computed.  stop is
    Algorithm A's stop rule: "fixed" (converged to 1e-12) or "sig3" (ISO's
    third significant figure).  A NaN or an infinity among the values
    raises Error (status 3).
    """
    if stop not in _STOP:
        raise ValueError('stop must be "fixed" or "sig3", not %r' % (stop,))
    want = set(SUMMARY_KEYS if estimators is None else estimators)
    unknown = want - set(SUMMARY_KEYS)
    if unknown:
        raise ValueError("unknown estimators %s; known: %s" %
                         (sorted(unknown), ", ".join(SUMMARY_KEYS)))
    lib = _lib.lib()
    x, n = _doubles(values)
    out = {"n": n}
    v, w = ctypes.c_double(), ctypes.c_double()
    alt = ctypes.c_uint()
    st = lib.pt_stats_consensus_z_check(n, 2.0, ctypes.byref(v),
                                        ctypes.byref(alt))
    known = st in (_OK, _TOO_FEW)  # not for n = 0
    out["max_consensus_z"] = v.value if known else None
    out["small_group"] = st == _TOO_FEW if known else None

    if want & {"mean", "sd"}:
        st = lib.pt_stats_mean_sd(x, n, ctypes.byref(v), ctypes.byref(w))
        if st == _NONFINITE:
            _refuse(st, "values")
        out["mean"] = _call(st, v)
        out["sd"] = _call(st, w)
    rest = want - {"n", "mean", "sd"}
    if rest and n > 0:
        z = (ctypes.c_double * n)()
        st = lib.pt_stats_sort(x, n, z)
        if st != _OK:
            _refuse(st, "values")
        out["median"] = _call(lib.pt_stats_median_sorted(z, n,
                                                         ctypes.byref(v)), v)
        out["made"] = _call(lib.pt_stats_made_sorted(z, n, ctypes.byref(v)),
                            v)
        if "niqr" in rest:
            out["niqr"] = _call(lib.pt_stats_niqr_sorted(z, n,
                                                         ctypes.byref(v)), v)
        if rest & {"alga_x", "alga_s", "alga_iterations", "alga_u"}:
            out.update(_alga(lib, x, n, stop, out["median"], out["made"]))
        if rest & {"qn", "qmethod_s", "hampel_x", "qhampel_u"}:
            out.update(_qn_qhampel(lib, z, n))
    return {k: out.get(k) for k in SUMMARY_KEYS if k in _ALWAYS or k in want}


def _alga(lib, x, n, stop, median, made):
    """Algorithm A as `ptlims stats` runs it: from the median and MADe when
    both are known, over x in the order given."""
    opt, keep_opt = _lib.out(_lib.AlgaOptions)
    res, keep_res = _lib.out(_lib.AlgaResult)
    lib.pt_stats_alga_defaults(ctypes.byref(opt))
    opt.stop = _STOP[stop]
    if median is not None and made is not None:
        st = lib.pt_stats_alga_from(x, n, ctypes.byref(opt), median, made,
                                    ctypes.byref(res))
    else:
        work = (ctypes.c_double * max(n, 1))()
        st = lib.pt_stats_alga(x, n, ctypes.byref(opt), work,
                               ctypes.byref(res))
    if st != _OK:
        return {"alga_x": None, "alga_s": None, "alga_iterations": None,
                "alga_u": None}
    return {"alga_x": _number(res.x), "alga_s": _number(res.s),
            "alga_iterations": res.iterations, "alga_u": _number(res.u_x)}


def _qn_qhampel(lib, z, n):
    """Qn and Q/Hampel (one value per laboratory) of sorted z."""
    w = (ctypes.c_double * (_lib.WORK_PER_VALUE * n))()
    iw = (ctypes.c_size_t * (_lib.IWORK_PER_VALUE * n))()
    v = ctypes.c_double()
    out = {"qn": _call(lib.pt_stats_qn_sorted(z, n, w, iw, ctypes.byref(v)),
                       v)}
    res, keep = _lib.out(_lib.QhampelResult)
    st = lib.pt_stats_qhampel_sorted(z, n, w, iw, ctypes.byref(res))
    ok = st == _OK
    out["qmethod_s"] = _number(res.s) if ok else None
    out["hampel_x"] = _number(res.x) if ok else None
    out["qhampel_u"] = _number(res.u_x) if ok else None
    return out


def _fields(result):
    """lab, value, U, k of one result: a mapping with the keys lab and value
    (and optionally U and k), or a sequence in that order."""
    if hasattr(result, "keys"):
        return (result["lab"], result["value"], result.get("U"),
                result.get("k"))
    row = tuple(result) + (None, None)
    return row[0], row[1], row[2], row[3]


def scores(results, x_pt, u_x_pt, sigma_pt, en_boundary="iso", delta_e=None,
           s_star=None):
    """Every result's scores against the assigned value x_pt with standard
    uncertainty u_x_pt and sigma_pt (ISO 13528 clause 9), as
    `ptlims score --json`: a list of dicts with lab, D, D_pct, z, z_prime,
    zeta, En, verdict, primary, z_verdict, z_prime_verdict, zeta_verdict,
    En_verdict, PA and u_flags (README "JSON vocabulary").

    Each result is a mapping with lab and value, and optionally U (its
    expanded uncertainty) and k (coverage factor, 2 when None), or a
    sequence (lab, value[, U[, k]]).  zeta uses U/k, En uses U and
    U(x_pt) = 2 u_x_pt; both are None without U.  When u_x_pt >= 0.3
    sigma_pt the verdict follows z' (9.2.1) and primary says so.
    en_boundary "iso" signals at |En| >= 1, "le1" counts |En| = 1 as
    satisfactory.  delta_e gives PA = 100 D / delta_E (9.3); s_star, the
    round's robust SD, gives each result with U its 9.8 flags.
    """
    if not sigma_pt > 0:
        raise ValueError("sigma_pt must be positive")
    if not u_x_pt >= 0:
        raise ValueError("u_x_pt must not be negative")
    if en_boundary not in ("iso", "le1"):
        raise ValueError('en_boundary must be "iso" or "le1"')
    lib = _lib.lib()

    def name(cls):
        return lib.pt_stats_class_name(cls).decode()

    def class_z(v):
        return None if v is None else name(lib.pt_stats_classify_z(v))

    rows = []
    for result in results:
        lab, x, U, k = _fields(result)
        k = 2.0 if k is None else k
        if U is not None and not U > 0:
            raise ValueError("%s: U must be positive" % (lab,))
        if not k > 0:
            raise ValueError("%s: k must be positive" % (lab,))
        d, d_pct, z, zp, used, pa = (ctypes.c_double() for _ in range(6))
        prime = ctypes.c_int()
        for st in (lib.pt_stats_d(x, x_pt, ctypes.byref(d)),
                   lib.pt_stats_z(x, x_pt, sigma_pt, ctypes.byref(z)),
                   lib.pt_stats_z_prime(x, x_pt, u_x_pt, sigma_pt,
                                        ctypes.byref(zp)),
                   lib.pt_stats_z_auto(x, x_pt, u_x_pt, sigma_pt,
                                       ctypes.byref(used),
                                       ctypes.byref(prime))):
            if st != _OK:
                _refuse(st, str(lab))
        row = {"lab": lab, "D": _number(d.value), "D_pct": None,
               "z": _number(z.value), "z_prime": _number(zp.value),
               "zeta": None, "En": None}
        if lib.pt_stats_d_pct(x, x_pt, ctypes.byref(d_pct)) == _OK:
            row["D_pct"] = _number(d_pct.value)
        flags = None
        if U is not None:
            zeta, en = ctypes.c_double(), ctypes.c_double()
            for st in (lib.pt_stats_zeta(x, U / k, x_pt, u_x_pt,
                                         ctypes.byref(zeta)),
                       lib.pt_stats_en(x, U, x_pt, 2.0 * u_x_pt,
                                       ctypes.byref(en))):
                if st != _OK:
                    _refuse(st, str(lab))
            row["zeta"] = _number(zeta.value)
            row["En"] = _number(en.value)
            if s_star is not None:
                bits = ctypes.c_uint()
                st = lib.pt_stats_uncertainty_flags(U / k, u_x_pt, s_star,
                                                    ctypes.byref(bits))
                if st != _OK:
                    _refuse(st, str(lab))
                flags = [f for bit, f in ((1, "below_u_xpt"),
                                          (2, "above_1_5_s"))
                         if bits.value & bit]
        row["verdict"] = name(lib.pt_stats_classify_z(used.value))
        row["primary"] = "z_prime" if prime.value else "z"
        row["z_verdict"] = class_z(row["z"])
        row["z_prime_verdict"] = class_z(row["z_prime"])
        row["zeta_verdict"] = class_z(row["zeta"])
        row["En_verdict"] = None if row["En"] is None else name(
            lib.pt_stats_classify_en(row["En"], en_boundary == "le1"))
        row["PA"] = None
        if delta_e is not None:
            st = lib.pt_stats_pa(x, x_pt, delta_e, ctypes.byref(pa))
            if st != _OK:
                _refuse(st, str(lab))
            row["PA"] = _number(pa.value)
        row["u_flags"] = flags
        rows.append(row)
    return rows


def _groups(groups, what):
    """(names, lists of values) of a mapping name -> values, or of a
    sequence of value lists (named 1, 2, ...)."""
    if hasattr(groups, "items"):
        pairs = list(groups.items())
    else:
        pairs = [(str(i + 1), g) for i, g in enumerate(groups)]
    names = [p[0] for p in pairs]
    values = [list(p[1]) for p in pairs]
    if not values:
        raise Error(1, "no %s" % what)
    return names, values


def homogeneity(items, sigma_pt):
    """The homogeneity check of ISO 13528 Annex B, as
    `ptlims homogeneity --json`: g >= 2 items measured m >= 2 times each.

    items is a mapping item -> its m results, or a sequence of g lists of
    m results.  The design must be balanced (Error otherwise).
    """
    if not sigma_pt > 0:
        raise ValueError("sigma_pt must be positive")
    names, values = _groups(items, "items")
    m = len(values[0])
    for name, v in zip(names, values):
        if len(v) != m:
            raise Error(_BAD_ARG, "item %s has %d replicates, item %s %d "
                        "(a balanced design is needed)" %
                        (name, len(v), names[0], m))
    x, n = _doubles(v for item in values for v in item)
    res, keep = _lib.out(_lib.HomogResult)
    st = _lib.lib().pt_stats_homogeneity(x, len(values), m, sigma_pt,
                                         ctypes.byref(res))
    if st != _OK:
        _refuse(st, "homogeneity (g >= 2 items with m >= 2 replicates each "
                "are needed)")
    out = {"g": res.g, "m": res.m}
    for key in ("mean", "s_x", "s_w", "s_s", "criterion", "F1", "F2",
                "expanded_criterion", "anova_F"):
        out[key] = _number(getattr(res, key))
    out["passed"] = bool(res.passed)
    out["passed_expanded"] = bool(res.passed_expanded)
    for key in ("anova_F_crit", "cochran_C", "cochran_crit",
                "sigma_pt_prime"):
        out[key] = _number(getattr(res, key))
    return out


_PRECISION_KEYS = ("s_r", "s_L", "s_R", "r", "R", "cochran_C",
                   "cochran_crit_5", "cochran_crit_1", "grubbs_max",
                   "grubbs_min", "grubbs_crit_5", "grubbs_crit_1",
                   "grubbs2_max", "grubbs2_min", "grubbs2_crit_5",
                   "grubbs2_crit_1", "h_crit_5", "h_crit_1", "k_crit_5",
                   "k_crit_1")


def _robust_precision(x, counts, p, labs):
    """Q/Hampel over the grouped results and, when every laboratory has
    as many replicates, Algorithm S over the cell SDs (None where they
    cannot be computed), as `ptlims precision` adds them."""
    lib = _lib.lib()
    n = sum(counts)
    w = (ctypes.c_double * (_lib.QMETHOD_WORK_PER_VALUE * n))()
    iw = (ctypes.c_size_t * (_lib.QMETHOD_IWORK_PER_VALUE * n + p + 1))()
    out = {"qmethod_s": None, "qhampel_x": None, "algs_w": None}
    q, keep_q = _lib.out(_lib.QhampelResult)
    if lib.pt_stats_qhampel(x, counts, p, w, iw, ctypes.byref(q)) == _OK:
        out["qmethod_s"] = _number(q.s)
        out["qhampel_x"] = _number(q.x)
    if all(c == counts[0] for c in counts):
        sd = (ctypes.c_double * p)(*(lab.sd for lab in labs))
        a, keep_a = _lib.out(_lib.AlgsResult)
        if lib.pt_stats_algs(sd, p, counts[0] - 1.0, 0, w,
                             ctypes.byref(a)) == _OK:
            out["algs_w"] = _number(a.w)
    return out


def precision(labs):
    """One level of an ISO 5725-2 precision experiment, as
    `ptlims precision --json`: p >= 3 laboratories with at least 2
    replicates each.

    labs is a mapping laboratory -> its replicates, or a sequence of lists
    of replicates.  The result has "labs", a list of {lab, mean, sd, h, k}
    in the order given.
    """
    names, values = _groups(labs, "laboratories")
    for name, v in zip(names, values):
        if len(v) < 2:
            raise Error(_TOO_FEW, "laboratory %s has %d result (at least 2 "
                        "replicates are needed)" % (name, len(v)))
    p = len(values)
    if p < 3:
        raise Error(_TOO_FEW, "%d laboratories (at least 3 are needed)" % p)
    x, n = _doubles(v for lab in values for v in lab)
    counts = (ctypes.c_size_t * p)(*(len(v) for v in values))
    work = (ctypes.c_double * (2 * p))()
    lab_buf = ctypes.create_string_buffer(
        p * ctypes.sizeof(_lib.PrecLab) + 256)
    lab_out = (_lib.PrecLab * p).from_buffer(lab_buf)
    res, keep = _lib.out(_lib.PrecResult)
    st = _lib.lib().pt_stats_precision(x, counts, p, work, lab_out,
                                       ctypes.byref(res))
    if st != _OK:
        _refuse(st, "precision")
    out = {"p": res.p}
    for key in _PRECISION_KEYS:
        out[key] = _number(getattr(res, key))
    out.update(_robust_precision(x, counts, p, lab_out))
    out["labs"] = [{"lab": name, "mean": _number(l.mean),
                    "sd": _number(l.sd), "h": _number(l.h),
                    "k": _number(l.k)}
                   for name, l in zip(names, lab_out)]
    return out
