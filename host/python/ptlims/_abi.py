"""The ptlims ABI (include/lims_plugin.h, version 1) in ctypes.

Every structure here mirrors the header member by member, in its order and
with its C types; tests/python/test_database.py compiles a C program that
prints each structure's size and each member's offset and compares them
with these.  Structures are size-first: a caller sets `size` to what it
filled in (new() does), and the engine zero-extends a smaller input and
copies an output only as far as the caller's size reaches.  Strings are
char * in UTF-8, NULL where not given.
"""

import ctypes
import enum

from ctypes import (CFUNCTYPE, POINTER, Structure, c_char, c_char_p,
                    c_double, c_int, c_longlong, c_size_t, c_uint,
                    c_uint32, c_ulong, c_ulonglong, c_void_p)

ABI_MAJOR_VERSION = 1
ABI_MINOR_VERSION = 0
ABI_VERSION = (ABI_MAJOR_VERSION << 16) | ABI_MINOR_VERSION
PLUGIN_ENTRY_V1 = "lims_plugin_entry_v1"
ENGINE_ENTRY_V1 = "lims_engine_entry_v1"


def abi_major(abi):
    return (abi & 0xffffffff) >> 16


def abi_minor(abi):
    return abi & 0xffff


class Status(enum.IntEnum):
    """lims_status: append only, never renumbered."""
    OK = 0
    ERR_INPUT = 1
    ERR_NOMEM = 2
    ERR_DB = 3
    ERR_IO = 4
    ERR_ABI = 5
    ERR_CANCELLED = 6
    ERR_UNSUPPORTED = 7
    ERR_STATE = 8
    ERR_INTERNAL = 9

    @property
    def text(self):
        """lims_status_text(): a short English name of the status."""
        return _STATUS_TEXT[self]


_STATUS_TEXT = {
    Status.OK: "ok",
    Status.ERR_INPUT: "bad input",
    Status.ERR_NOMEM: "out of memory",
    Status.ERR_DB: "database error",
    Status.ERR_IO: "file could not be read or written",
    Status.ERR_ABI: "ABI version or structure size mismatch",
    Status.ERR_CANCELLED: "cancelled",
    Status.ERR_UNSUPPORTED: "not supported",
    Status.ERR_STATE: "not allowed in this state",
    Status.ERR_INTERNAL: "internal error",
}


class LogLevel(enum.IntEnum):
    """lims_log_level."""
    DEBUG = 0
    INFO = 1
    WARN = 2
    ERROR = 3


class Tx(enum.IntEnum):
    """lims_tx."""
    BEGIN = 0
    COMMIT = 1
    ROLLBACK = 2


# enums are int in C; these name the members' types where the header uses
# an enum
c_status = c_int
c_enum = c_int

LogFn = CFUNCTYPE(None, c_void_p, c_enum, c_char_p)
ConfigFn = CFUNCTYPE(c_void_p, c_void_p, c_char_p)
CancelledFn = CFUNCTYPE(c_int, c_void_p)
ProgressFn = CFUNCTYPE(None, c_void_p, c_char_p, c_ulonglong, c_ulonglong)


class Services(Structure):
    _fields_ = [("size", c_size_t), ("abi", c_uint32), ("host", c_void_p),
                ("db_path", c_char_p), ("log", LogFn), ("config", ConfigFn),
                ("cancelled", CancelledFn), ("progress", ProgressFn)]


class Measurand(Structure):
    _fields_ = [("size", c_size_t), ("id", c_char_p), ("name_en", c_char_p),
                ("name_zh", c_char_p), ("unit", c_char_p),
                ("units", c_char_p), ("min", c_double), ("max", c_double)]


class ResultIn(Structure):
    _fields_ = [("size", c_size_t), ("measurand", c_char_p),
                ("value", c_double), ("unit", c_char_p), ("U", c_double),
                ("k", c_double), ("method", c_char_p),
                ("value_text", c_char_p), ("U_text", c_char_p)]


class ResultOut(Structure):
    _fields_ = [("size", c_size_t), ("value", c_double), ("U", c_double),
                ("scale", c_double), ("bad_field", c_enum)]


class Policy(Structure):
    _fields_ = [("size", c_size_t), ("min_consensus", c_uint),
                ("min_sigma_from_round", c_uint),
                ("en_le_one_satisfactory", c_int)]


class ImportSummary(Structure):
    _fields_ = [("size", c_size_t), ("rows", c_ulong),
                ("laboratories", c_ulong), ("rounds", c_ulong),
                ("results", c_ulong), ("already", c_ulong)]


class EvalSummary(Structure):
    _fields_ = [("size", c_size_t), ("groups", c_ulong), ("scores", c_ulong),
                ("signals", c_ulong)]


class ReportRequest(Structure):
    _fields_ = [("size", c_size_t), ("out_path", c_char_p), ("lab", c_char_p),
                ("from", c_char_p), ("to", c_char_p), ("lang", c_char_p),
                ("generated_at", c_char_p), ("tz", c_char_p),
                ("roc_dates", c_int), ("document_no", c_char_p),
                ("revision", c_char_p), ("prepared_by", c_char_p),
                ("reviewed_by", c_char_p), ("approved_by", c_char_p),
                ("prepared_on", c_char_p), ("reviewed_on", c_char_p),
                ("approved_on", c_char_p)]


class Condition(Structure):
    _fields_ = [("size", c_size_t), ("name", c_char_p), ("name_en", c_char_p),
                ("name_zh", c_char_p), ("kind", c_enum), ("unit", c_char_p),
                ("min", c_double), ("max", c_double), ("choices", c_char_p)]


class ConditionValue(Structure):
    _fields_ = [("name", c_char_p), ("value", c_char_p)]


class LimitKey(Structure):
    _fields_ = [("size", c_size_t), ("measurand", c_char * 64),
                ("category", c_char * 96), ("rated_power", c_double)]


class ScoreRow(Structure):
    _fields_ = [("size", c_size_t), ("round", c_char_p), ("scheme", c_char_p),
                ("measurand", c_char_p), ("item", c_char_p),
                ("lab", c_char_p), ("value_text", c_char_p),
                ("unit", c_char_p), ("value", c_double), ("x_pt", c_double),
                ("u_x_pt", c_double), ("sigma_pt", c_double),
                ("assigned", c_char_p), ("D", c_double), ("D_pct", c_double),
                ("z", c_double), ("z_prime", c_double), ("zeta", c_double),
                ("En", c_double), ("primary", c_char_p),
                ("verdict", c_char_p), ("conformity", c_char_p),
                ("limit", c_double), ("near_limit", c_int),
                ("version", c_uint), ("latest_version", c_uint),
                ("latest_value_text", c_char_p), ("latest_unit", c_char_p),
                ("canonical_unit", c_char_p)]


ScoreCb = CFUNCTYPE(c_int, c_void_p, POINTER(ScoreRow))


class CompareRow(Structure):
    _fields_ = [("size", c_size_t), ("round", c_char_p), ("opened", c_char_p),
                ("measurand", c_char_p), ("item", c_char_p),
                ("unit", c_char_p), ("method", c_char_p),
                ("lab_value", c_double), ("lab_U", c_double),
                ("ref_value", c_double), ("ref_U", c_double),
                ("diff", c_double), ("limit", c_double), ("En", c_double),
                ("verdict", c_char_p), ("en_mean", c_double),
                ("signals", c_uint), ("same_sign_run", c_int),
                ("matrix", c_char_p), ("technique", c_char_p)]


CompareCb = CFUNCTYPE(c_int, c_void_p, POINTER(CompareRow))


class PlanEntry(Structure):
    _fields_ = [("size", c_size_t), ("id", c_longlong), ("lab", c_char_p),
                ("technique", c_char_p), ("property", c_char_p),
                ("product", c_char_p), ("scheme", c_char_p),
                ("measurand", c_char_p), ("method", c_char_p),
                ("risk", c_char_p), ("per_year", c_double),
                ("year_from", c_int), ("year_to", c_int), ("note", c_char_p)]


PlanCb = CFUNCTYPE(c_int, c_void_p, POINTER(PlanEntry))


class CapaEntry(Structure):
    _fields_ = [("size", c_size_t), ("id", c_longlong), ("round", c_char_p),
                ("lab", c_char_p), ("measurand", c_char_p),
                ("item", c_char_p), ("trigger", c_char_p),
                ("root_cause", c_char_p), ("action", c_char_p),
                ("owner", c_char_p), ("opened", c_char_p), ("due", c_char_p),
                ("closed", c_char_p), ("verified_by", c_char_p),
                ("verdict", c_char_p), ("car_no", c_char_p),
                ("impact", c_char_p), ("effectiveness", c_char_p),
                ("effective_on", c_char_p), ("effective", c_char_p),
                ("plan_id", c_longlong), ("plan_year", c_int)]


CapaCb = CFUNCTYPE(c_int, c_void_p, POINTER(CapaEntry))


class SyncRequest(Structure):
    _fields_ = [("size", c_size_t), ("path", c_char_p), ("since", c_char_p),
                ("site", c_char_p), ("all_or_nothing", c_int)]


class SyncSummary(Structure):
    _fields_ = [("size", c_size_t), ("site", c_char * 64),
                ("exported_at", c_char * 24), ("changes", c_ulong),
                ("added", c_ulong), ("present", c_ulong),
                ("conflicts", c_ulong)]


class SyncConflict(Structure):
    _fields_ = [("size", c_size_t), ("table", c_char_p), ("key", c_char_p),
                ("column", c_char_p), ("here", c_char_p),
                ("theirs", c_char_p), ("reason", c_char_p)]


SyncConflictCb = CFUNCTYPE(c_int, c_void_p, POINTER(SyncConflict))


class VerifySummary(Structure):
    _fields_ = [("size", c_size_t), ("entries", c_ulong), ("rows", c_ulong),
                ("problems", c_ulong), ("head", c_char * 65),
                ("expect_head", c_char * 65)]


class Correction(Structure):
    _fields_ = [("size", c_size_t), ("round", c_char_p), ("lab", c_char_p),
                ("measurand", c_char_p), ("item", c_char_p),
                ("value", c_char_p), ("unit", c_char_p), ("U", c_char_p),
                ("k", c_char_p), ("reason", c_char_p)]


class Laboratory(Structure):
    _fields_ = [("size", c_size_t), ("code", c_char_p), ("name", c_char_p),
                ("name_zh", c_char_p), ("role", c_char_p),
                ("accreditation", c_char_p)]


class Round(Structure):
    _fields_ = [("size", c_size_t)] + [(name, c_char_p) for name in (
        "code", "scheme", "measurand", "type", "title", "provider",
        "provider_accreditation", "opened", "closed", "reference_lab",
        "assigned", "x_pt", "u_x_pt", "sigma_pt", "sigma_pt_basis",
        "matrix", "estimator", "sigma_pt_method", "override_reason",
        "report_no", "report_date", "official_item", "official_x_pt",
        "official_u_x_pt", "official_sigma_pt", "item_matrix")]


class Result(Structure):
    _fields_ = [("size", c_size_t)] + [(name, c_char_p) for name in (
        "round", "lab", "measurand", "item", "value", "unit", "U", "k",
        "method", "instrument", "analyst", "tested_on", "remarks")] + [
        ("conditions", POINTER(ConditionValue)),
        ("n_conditions", c_size_t), ("official_score", c_char_p),
        ("official_kind", c_char_p)]


class Amendment(Structure):
    _fields_ = [("size", c_size_t), ("what", c_char_p), ("code", c_char_p),
                ("measurand", c_char_p), ("fields", POINTER(c_char_p)),
                ("values", POINTER(c_char_p)), ("n_fields", c_size_t),
                ("reason", c_char_p), ("by", c_char_p)]


class LookRequest(Structure):
    _fields_ = [("size", c_size_t)] + [(name, c_char_p) for name in (
        "what", "round", "lab", "measurand", "scheme", "from", "to",
        "status")]


class Cell(Structure):
    """lims_cell: no size member."""
    _fields_ = [("name", c_char_p), ("type", c_enum), ("text", c_char_p),
                ("number", c_double)]


LookCb = CFUNCTYPE(c_int, c_void_p, POINTER(Cell), c_size_t)


class MethodEdition(Structure):
    _fields_ = [("size", c_size_t), ("code", c_char_p), ("scheme", c_char_p),
                ("principle", c_char_p), ("unit", c_char_p),
                ("edition", c_char_p), ("issued", c_double),
                ("scope_min", c_double), ("scope_max", c_double),
                ("scope_unit", c_char_p), ("status", c_char_p),
                ("source", c_char_p)]


class MethodPrecision(Structure):
    _fields_ = [("size", c_size_t), ("product", c_char_p)] + [
        (name, c_double) for name in ("x_from", "x_to", "r_a", "r_b", "r_c",
                                      "R_a", "R_b", "R_c")] + [
        ("status", c_char_p), ("source", c_char_p)]


class LimitInfo(Structure):
    _fields_ = [("size", c_size_t), ("scheme", c_char_p),
                ("measurand", c_char_p), ("category", c_char_p),
                ("kind", c_char_p), ("value", c_double), ("unit", c_char_p),
                ("alt_value", c_double), ("alt_unit", c_char_p),
                ("alt_rule", c_char_p), ("cap", c_double),
                ("standard", c_char_p), ("edition", c_char_p),
                ("clause", c_char_p), ("effective_from", c_char_p),
                ("effective_to", c_char_p), ("status", c_char_p),
                ("source", c_char_p)]


MethodEditionCb = CFUNCTYPE(c_int, c_void_p, POINTER(MethodEdition))
MethodPrecisionCb = CFUNCTYPE(c_int, c_void_p, POINTER(MethodPrecision))
LimitCb = CFUNCTYPE(c_int, c_void_p, POINTER(LimitInfo))


class Unit(Structure):
    """lims_unit: frozen, no size member."""
    _fields_ = [("measurand", c_char_p), ("name", c_char_p),
                ("pow10", c_int)]


c_err = c_char_p  # char *err, a caller-owned buffer
CheckResultFn = CFUNCTYPE(c_status, POINTER(ResultIn), POINTER(ResultOut),
                          c_err, c_size_t)
PolicyFn = CFUNCTYPE(None, POINTER(Policy))
LimitKeyFn = CFUNCTYPE(c_status, c_char_p, c_char_p, POINTER(ConditionValue),
                       c_size_t, POINTER(LimitKey), c_err, c_size_t)
GetExtensionFn = CFUNCTYPE(c_void_p, c_char_p)


class Plugin(Structure):
    _fields_ = [("size", c_size_t), ("abi", c_uint32), ("id", c_char_p),
                ("version", c_char_p), ("name_en", c_char_p),
                ("name_zh", c_char_p), ("n_measurands", c_size_t),
                ("measurands", POINTER(Measurand)), ("n_units", c_size_t),
                ("units", POINTER(Unit)), ("n_conditions", c_size_t),
                ("conditions", POINTER(Condition)),
                ("check_result", CheckResultFn), ("policy", PolicyFn),
                ("limit_key", LimitKeyFn),
                ("get_extension", GetExtensionFn)]


c_inst = c_void_p  # lims_instance *, opaque


class Engine(Structure):
    _fields_ = [
        ("size", c_size_t), ("abi", c_uint32), ("version", c_char_p),
        ("open", CFUNCTYPE(c_status, POINTER(Services), POINTER(c_inst),
                           c_err, c_size_t)),
        ("close", CFUNCTYPE(None, c_inst)),
        ("scheme_add", CFUNCTYPE(c_status, c_inst, POINTER(Plugin), c_err,
                                 c_size_t)),
        ("laboratory_add", CFUNCTYPE(c_status, c_inst, POINTER(Laboratory),
                                     c_err, c_size_t)),
        ("round_add", CFUNCTYPE(c_status, c_inst, POINTER(Round), c_err,
                                c_size_t)),
        ("result_add", CFUNCTYPE(c_status, c_inst, POINTER(Result), c_err,
                                 c_size_t)),
        ("check_result", CFUNCTYPE(c_status, POINTER(Plugin),
                                   POINTER(ResultIn), POINTER(ResultOut),
                                   c_err, c_size_t)),
        ("import_csv", CFUNCTYPE(c_status, c_inst, c_char_p,
                                 POINTER(ImportSummary), c_err, c_size_t)),
        ("evaluate_round", CFUNCTYPE(c_status, c_inst, c_char_p,
                                     POINTER(EvalSummary), c_err, c_size_t)),
        ("scores", CFUNCTYPE(c_status, c_inst, c_char_p, ScoreCb, c_void_p,
                             c_err, c_size_t)),
        ("write_report", CFUNCTYPE(c_status, c_inst, POINTER(ReportRequest),
                                   c_err, c_size_t)),
        ("compare", CFUNCTYPE(c_status, c_inst, c_char_p, c_char_p, c_char_p,
                              c_uint, CompareCb, c_void_p, c_err, c_size_t)),
        ("plan_add", CFUNCTYPE(c_status, c_inst, POINTER(PlanEntry),
                               POINTER(c_longlong), c_err, c_size_t)),
        ("plans", CFUNCTYPE(c_status, c_inst, c_char_p, PlanCb, c_void_p,
                            c_err, c_size_t)),
        ("capa_add", CFUNCTYPE(c_status, c_inst, POINTER(CapaEntry),
                               POINTER(c_longlong), c_err, c_size_t)),
        ("capa_close", CFUNCTYPE(c_status, c_inst, c_longlong, c_char_p,
                                 c_char_p, c_err, c_size_t)),
        ("capas", CFUNCTYPE(c_status, c_inst, c_char_p, CapaCb, c_void_p,
                            c_err, c_size_t)),
        ("sync_export", CFUNCTYPE(c_status, c_inst, POINTER(SyncRequest),
                                  POINTER(SyncSummary), c_err, c_size_t)),
        ("sync_apply", CFUNCTYPE(c_status, c_inst, POINTER(SyncRequest),
                                 SyncConflictCb, c_void_p,
                                 POINTER(SyncSummary), c_err, c_size_t)),
        ("verify", CFUNCTYPE(c_status, c_inst, POINTER(VerifySummary), c_err,
                             c_size_t)),
        ("close_round", CFUNCTYPE(c_status, c_inst, c_char_p, c_err,
                                  c_size_t)),
        ("correct_result", CFUNCTYPE(c_status, c_inst, POINTER(Correction),
                                     POINTER(c_uint), c_err, c_size_t)),
        ("transaction", CFUNCTYPE(c_status, c_inst, c_enum, c_err,
                                  c_size_t)),
        ("reopen_round", CFUNCTYPE(c_status, c_inst, c_char_p, c_char_p,
                                   c_char_p, c_err, c_size_t)),
        ("amend", CFUNCTYPE(c_status, c_inst, POINTER(Amendment), c_err,
                            c_size_t)),
        ("look", CFUNCTYPE(c_status, c_inst, POINTER(LookRequest), LookCb,
                           c_void_p, c_err, c_size_t)),
        ("methods", CFUNCTYPE(c_status, c_inst, c_char_p, MethodEditionCb,
                              MethodPrecisionCb, LimitCb, c_void_p, c_err,
                              c_size_t)),
    ]


#: Every structure and the C name it mirrors, for the test against the
#: header.
STRUCTS = {
    "lims_services": Services, "lims_measurand": Measurand,
    "lims_result_in": ResultIn, "lims_result_out": ResultOut,
    "lims_policy": Policy, "lims_import_summary": ImportSummary,
    "lims_eval_summary": EvalSummary, "lims_report_request": ReportRequest,
    "lims_condition": Condition, "lims_condition_value": ConditionValue,
    "lims_limit_key": LimitKey, "lims_score_row": ScoreRow,
    "lims_compare_row": CompareRow, "lims_plan_entry": PlanEntry,
    "lims_capa_entry": CapaEntry, "lims_sync_request": SyncRequest,
    "lims_sync_summary": SyncSummary, "lims_sync_conflict": SyncConflict,
    "lims_verify_summary": VerifySummary, "lims_correction": Correction,
    "lims_laboratory": Laboratory, "lims_round": Round, "lims_result": Result,
    "lims_unit": Unit, "lims_plugin": Plugin, "lims_engine": Engine,
    "lims_amendment": Amendment, "lims_look_request": LookRequest,
    "lims_cell": Cell, "lims_method_edition": MethodEdition,
    "lims_method_precision": MethodPrecision, "lims_limit_info": LimitInfo,
}


def new(structure, **members):
    """A zeroed `structure` with size set to its size and `members` set."""
    s = structure()
    s.size = ctypes.sizeof(structure)
    for name, value in members.items():
        setattr(s, name, value)
    return s


def covers(table, structure, member):
    """LIMS_HAS_MEMBER: the size-first `table` holds `member`."""
    field = getattr(structure, member)
    return table.size >= field.offset + field.size
