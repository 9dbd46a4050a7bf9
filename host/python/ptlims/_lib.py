"""The statistics library, loaded once with ctypes, and its structures.

The structures mirror stats/pt_stats.h member by member (a test compares
them with the header).  Every call that fills a structure gets it inside a
larger zeroed buffer, so a library whose structure grew at the end cannot
write past it.

The library is looked for in $PTLIMS_LIBPTSTATS, then next to this file
(an installed package carries its copy of libptstats.so), then in the
build tree (_paths.py).
"""

import ctypes

from . import Error
from . import _paths

c_double_p = ctypes.POINTER(ctypes.c_double)
c_size_t_p = ctypes.POINTER(ctypes.c_size_t)


class AlgaOptions(ctypes.Structure):
    _fields_ = [("k", ctypes.c_double), ("factor", ctypes.c_double),
                ("stop", ctypes.c_int), ("tol", ctypes.c_double),
                ("max_iter", ctypes.c_int), ("fixed_scale", ctypes.c_int)]


class AlgaResult(ctypes.Structure):
    _fields_ = [("x", ctypes.c_double), ("s", ctypes.c_double),
                ("u_x", ctypes.c_double), ("iterations", ctypes.c_int),
                ("sd_start", ctypes.c_int)]


class QhampelResult(ctypes.Structure):
    _fields_ = [("x", ctypes.c_double), ("s", ctypes.c_double),
                ("u_x", ctypes.c_double)]


class HomogResult(ctypes.Structure):
    _fields_ = [("g", ctypes.c_size_t), ("m", ctypes.c_size_t)] + [
        (name, ctypes.c_double) for name in (
            "mean", "s_x", "s_w", "s_s", "criterion", "F1", "F2",
            "expanded_criterion", "anova_F", "anova_F_crit", "cochran_C",
            "cochran_crit")
    ] + [("cochran_item", ctypes.c_size_t),
         ("sigma_pt_prime", ctypes.c_double), ("passed", ctypes.c_int),
         ("passed_expanded", ctypes.c_int),
         ("anova_significant", ctypes.c_int)]


class AlgsResult(ctypes.Structure):
    _fields_ = [("w", ctypes.c_double), ("eta", ctypes.c_double),
                ("xi", ctypes.c_double), ("iterations", ctypes.c_int),
                ("rms_start", ctypes.c_int)]


class PrecLab(ctypes.Structure):
    _fields_ = [("n", ctypes.c_size_t), ("mean", ctypes.c_double),
                ("sd", ctypes.c_double), ("h", ctypes.c_double),
                ("k", ctypes.c_double)]


class PrecResult(ctypes.Structure):
    _fields_ = [("p", ctypes.c_size_t), ("n_mode", ctypes.c_size_t)] + [
        (name, ctypes.c_double) for name in (
            "mean", "s_r", "s_L", "s_R", "r", "R", "cochran_C",
            "cochran_crit_5", "cochran_crit_1")
    ] + [("cochran_lab", ctypes.c_size_t)] + [
        (name, ctypes.c_double) for name in (
            "grubbs_max", "grubbs_min", "grubbs_crit_5", "grubbs_crit_1",
            "grubbs2_max", "grubbs2_min", "grubbs2_crit_5", "grubbs2_crit_1",
            "h_crit_5", "h_crit_1", "k_crit_5", "k_crit_1")
    ]


# name: (result type, argument types); every function returns a status
# except where the result type says otherwise.
_PROTOTYPES = {
    "pt_stats_strerror": (ctypes.c_char_p, [ctypes.c_int]),
    "pt_stats_mean_sd": (ctypes.c_int, [c_double_p, ctypes.c_size_t,
                                        c_double_p, c_double_p]),
    "pt_stats_sort": (ctypes.c_int, [c_double_p, ctypes.c_size_t,
                                     c_double_p]),
    "pt_stats_median_sorted": (ctypes.c_int, [c_double_p, ctypes.c_size_t,
                                              c_double_p]),
    "pt_stats_made_sorted": (ctypes.c_int, [c_double_p, ctypes.c_size_t,
                                            c_double_p]),
    "pt_stats_niqr_sorted": (ctypes.c_int, [c_double_p, ctypes.c_size_t,
                                            c_double_p]),
    "pt_stats_alga_defaults": (None, [ctypes.c_void_p]),
    "pt_stats_alga": (ctypes.c_int, [c_double_p, ctypes.c_size_t,
                                     ctypes.c_void_p, c_double_p,
                                     ctypes.c_void_p]),
    "pt_stats_alga_from": (ctypes.c_int, [c_double_p, ctypes.c_size_t,
                                          ctypes.c_void_p, ctypes.c_double,
                                          ctypes.c_double, ctypes.c_void_p]),
    "pt_stats_qn_sorted": (ctypes.c_int, [c_double_p, ctypes.c_size_t,
                                          c_double_p, c_size_t_p,
                                          c_double_p]),
    "pt_stats_qhampel_sorted": (ctypes.c_int, [c_double_p, ctypes.c_size_t,
                                               c_double_p, c_size_t_p,
                                               ctypes.c_void_p]),
    "pt_stats_d": (ctypes.c_int, [ctypes.c_double, ctypes.c_double,
                                  c_double_p]),
    "pt_stats_d_pct": (ctypes.c_int, [ctypes.c_double, ctypes.c_double,
                                      c_double_p]),
    "pt_stats_z": (ctypes.c_int, [ctypes.c_double] * 3 + [c_double_p]),
    "pt_stats_z_prime": (ctypes.c_int, [ctypes.c_double] * 4 + [c_double_p]),
    "pt_stats_zeta": (ctypes.c_int, [ctypes.c_double] * 4 + [c_double_p]),
    "pt_stats_en": (ctypes.c_int, [ctypes.c_double] * 4 + [c_double_p]),
    "pt_stats_z_auto": (ctypes.c_int, [ctypes.c_double] * 4 +
                        [c_double_p, ctypes.POINTER(ctypes.c_int)]),
    "pt_stats_classify_z": (ctypes.c_int, [ctypes.c_double]),
    "pt_stats_classify_en": (ctypes.c_int, [ctypes.c_double, ctypes.c_int]),
    "pt_stats_pa": (ctypes.c_int, [ctypes.c_double] * 3 + [c_double_p]),
    "pt_stats_uncertainty_flags": (ctypes.c_int, [ctypes.c_double] * 3 + [
        ctypes.POINTER(ctypes.c_uint)]),
    "pt_stats_qhampel": (ctypes.c_int, [c_double_p, c_size_t_p,
                                        ctypes.c_size_t, c_double_p,
                                        c_size_t_p, ctypes.c_void_p]),
    "pt_stats_algs": (ctypes.c_int, [c_double_p, ctypes.c_size_t,
                                     ctypes.c_double, ctypes.c_int,
                                     c_double_p, ctypes.c_void_p]),
    "pt_stats_class_name": (ctypes.c_char_p, [ctypes.c_int]),
    "pt_stats_compare_ref": (ctypes.c_int, [ctypes.c_double] * 4 + [
        c_double_p, ctypes.POINTER(ctypes.c_int)]),
    "pt_stats_consensus_z_check": (ctypes.c_int, [
        ctypes.c_size_t, ctypes.c_double, c_double_p,
        ctypes.POINTER(ctypes.c_uint)]),
    "pt_stats_homogeneity": (ctypes.c_int, [c_double_p, ctypes.c_size_t,
                                            ctypes.c_size_t, ctypes.c_double,
                                            ctypes.c_void_p]),
    "pt_stats_precision": (ctypes.c_int, [c_double_p, c_size_t_p,
                                          ctypes.c_size_t, c_double_p,
                                          ctypes.c_void_p, ctypes.c_void_p]),
}

# Scratch space per value of the *_sorted Qn and Q/Hampel functions: the
# larger of PT_STATS_QN_SORTED_WORK and PT_STATS_QHAMPEL_SORTED_WORK (and
# the IWORK macros) of stats/pt_stats.h, which a test reads.
WORK_PER_VALUE = 3
IWORK_PER_VALUE = 2
# The Q method's over n results of p laboratories: PT_STATS_QMETHOD_WORK(n)
# and PT_STATS_QMETHOD_IWORK(n, p).
QMETHOD_WORK_PER_VALUE = 5
QMETHOD_IWORK_PER_VALUE = 6

_lib = None


def _path():
    return _paths.stats()


def lib():
    """The loaded library, its functions typed; Error(0, ...) when it
    cannot be loaded."""
    global _lib
    if _lib is None:
        path = _path()
        try:
            handle = ctypes.CDLL(path)
        except OSError as e:
            raise Error(0, "cannot load the ptlims statistics library %s: %s"
                        % (path, e)) from None
        for name, (restype, argtypes) in _PROTOTYPES.items():
            fn = getattr(handle, name)
            fn.restype = restype
            fn.argtypes = argtypes
        _lib = handle
    return _lib


def out(structure):
    """An instance of `structure` inside a zeroed buffer 256 bytes larger,
    and the buffer (keep it alive as long as the instance)."""
    buf = ctypes.create_string_buffer(ctypes.sizeof(structure) + 256)
    return structure.from_buffer(buf), buf


def strerror(status):
    return lib().pt_stats_strerror(status).decode()
