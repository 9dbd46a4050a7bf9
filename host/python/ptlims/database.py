"""The record: a ptlims database kept by the engine, libptlims.so.

Database loads the engine and the scheme plug-ins through the ABI of
include/lims_plugin.h (the structures of _abi.py), opens a database and
gives the engine every scheme it found.  A LIMS records through structured
calls -- add_laboratory(), add_round(), record_result() take the columns
of the CSV files, as texts, and write no file -- and reads what the
`ptlims` command prints with --json, under the same keys.  A refusal
raises ptlims.Error with the engine's status and message, which names the
call and the field ("result_add: U: U must be positive") or the place in
a file ("results.csv:14:3: ...").

One thread at a time uses a Database (the engine's [instance thread]).
"""

import contextlib
import ctypes
import datetime
import decimal
import logging
import math
import numbers
import os

from . import Error
from . import _abi
from . import _paths
from ._abi import Status

__all__ = ["Database"]

_ERRLEN = 4096
_LOG = logging.getLogger("ptlims")
_LOG_LEVELS = {_abi.LogLevel.DEBUG: logging.DEBUG,
               _abi.LogLevel.INFO: logging.INFO,
               _abi.LogLevel.WARN: logging.WARNING,
               _abi.LogLevel.ERROR: logging.ERROR}

# The keys of `ptlims scores --json` and `ptlims compare --json`, in their
# order.
SCORE_KEYS = ("round", "scheme", "measurand", "item", "lab", "value_text",
              "unit_text", "value", "unit", "x_pt", "u_x_pt", "sigma_pt",
              "assigned", "D",
              "D_pct", "z", "z_prime", "zeta", "En", "scored_by", "class",
              "conformity", "limit", "near_limit", "version", "superseded",
              "latest_value_text")
COMPARE_KEYS = ("round", "opened", "measurand", "item", "unit", "method",
                "lab_value", "lab_U", "ref_value", "ref_U", "diff", "limit",
                "En", "verdict", "en_mean", "signals", "same_sign_run",
                "matrix", "technique")


def _text(value, call, field):
    """A field's text as the engine takes it: None stays None (not given),
    a str is passed as it is, a float as repr() writes it, an int as
    decimal digits, a Decimal as str() writes it, a date as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        raise TypeError("%s: %s: %r is not a number or a text"
                        % (call, field, value))
    elif isinstance(value, float):
        text = float.__repr__(value)
    elif isinstance(value, numbers.Integral):
        text = str(int(value))
    elif isinstance(value, decimal.Decimal):
        text = str(value)
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        raise TypeError("%s: %s: %r is not a number or a text"
                        % (call, field, value))
    if "\0" in text:
        raise Error(Status.ERR_INPUT, "%s: %s: the text holds a NUL "
                    "character" % (call, field))
    return text.encode("utf-8")


def _path(path):
    return os.fsencode(path)


def _str(b):
    """A char * of a row as the command prints it: NULL or "" as None
    (README "JSON vocabulary": null for a missing text)."""
    return b.decode("utf-8", "replace") if b else None


def _num(v):
    """A double as --json prints it: NaN and infinities as None."""
    return v if math.isfinite(v) else None


# The score row's member of each key that is named otherwise: the unit
# as reported (unit_text) and the canonical unit (unit).
_SCORE_MEMBER = {"unit_text": "unit", "unit": "canonical_unit",
                 "scored_by": "primary", "class": "verdict"}


def _score_row(r):
    row = {}
    for key in SCORE_KEYS[:-2]:
        v = getattr(r, _SCORE_MEMBER.get(key, key))
        if key == "near_limit":
            row[key] = bool(v)
        elif isinstance(v, float):
            row[key] = _num(v)
        elif isinstance(v, int):
            row[key] = v
        else:
            row[key] = _str(v)
    if row["scored_by"] == "z'":
        row["scored_by"] = "z_prime"
    # a later version than the one scored: a correction the round's
    # evaluation has not seen yet
    row["superseded"] = r.latest_version > r.version
    row["latest_value_text"] = _str(r.latest_value_text
                                    if row["superseded"] else r.value_text)
    return row


def _compare_row(r):
    row = {}
    for key in COMPARE_KEYS:
        v = getattr(r, key)
        if isinstance(v, float):
            row[key] = _num(v)
        elif isinstance(v, int):
            row[key] = v
        else:
            row[key] = _str(v)
    return row


def _load(path, symbol, restype):
    """dlopen `path` and call its entry `symbol`: (handle, table)."""
    try:
        handle = ctypes.CDLL(path)
        entry = getattr(handle, symbol)
    except (OSError, AttributeError) as e:
        raise Error(Status.ERR_ABI, "%s: not loadable or no %s: %s"
                    % (path, symbol, e)) from None
    entry.restype = ctypes.POINTER(restype)
    entry.argtypes = []
    table = entry()
    if not table:
        raise Error(Status.ERR_ABI, "%s: %s returned NULL" % (path, symbol))
    return handle, table.contents


class Database:
    """A ptlims database opened by the engine, with every scheme plug-in
    found.

    path is the database file (created and migrated when missing).
    plugin_path is a folder, a file of a plug-in or a list of either,
    searched instead of the default folders ($PTLIMS_PLUGIN_PATH, the
    installed one, the build tree's).  engine names libptlims.so
    (default: $PTLIMS_ENGINE, the installed one, the build tree's).  log
    is called as log(level, message) with the engine's warnings (a
    _abi.LogLevel and a str); by default they go to the logging module's
    logger "ptlims".

    Use it as a context manager, or call close().
    """

    def __init__(self, path, plugin_path=None, engine=None, log=None):
        self._inst = None
        engine = engine or _paths.engine()
        if not engine:
            raise Error(Status.ERR_IO, "the ptlims engine libptlims.so was "
                        "not found (set PTLIMS_ENGINE)")
        self._engine_so, self._e = _load(engine, _abi.ENGINE_ENTRY_V1,
                                         _abi.Engine)
        e = self._e
        if (_abi.abi_major(e.abi) != _abi.ABI_MAJOR_VERSION
                or not _abi.covers(e, _abi.Engine, "transaction")):
            raise Error(Status.ERR_ABI, "%s: not a ptlims engine of ABI %d.x"
                        % (engine, _abi.ABI_MAJOR_VERSION))
        self.engine_version = e.version.decode()
        self._log = log
        self._kept = None  # the warnings of a call that reports them
        self._plugins = []  # (handle, descriptor pointer, path)
        self._load_plugins(plugin_path)

        self._log_fn = _abi.LogFn(self._on_log)
        self._db_path = _path(path)
        self._svc = _abi.new(_abi.Services, abi=_abi.ABI_VERSION,
                             db_path=self._db_path, log=self._log_fn)
        inst = _abi.c_inst()
        self._call("open", e.open, ctypes.byref(self._svc),
                   ctypes.byref(inst))
        self._inst = inst
        try:
            for _, desc, _ in self._plugins:
                self._call("scheme_add", e.scheme_add, self._inst, desc)
        except BaseException:
            self.close()
            raise

    # ---- loading ---------------------------------------------------------

    def _load_plugins(self, plugin_path):
        if plugin_path is None:
            places, must_exist = _paths.plugin_dirs(), False
        else:
            if isinstance(plugin_path, (str, bytes, os.PathLike)):
                plugin_path = [plugin_path]
            places, must_exist = [os.fsdecode(p) for p in plugin_path], True
        for place in places:
            if os.path.isfile(place):
                self._load_plugin(place)
            elif os.path.isdir(place):
                # as the command does: a file of a folder that is not a
                # plug-in of this ABI is skipped with a warning
                for f in sorted(os.listdir(place)):
                    if not f.endswith(".so"):
                        continue
                    try:
                        self._load_plugin(os.path.join(place, f))
                    except Error as e:
                        self._on_log(None, _abi.LogLevel.WARN, e.message)
            elif must_exist:
                raise Error(Status.ERR_IO, "%s: no such plug-in or folder"
                            % place)
        if not self._plugins:
            raise Error(Status.ERR_IO, "no scheme plug-ins found (give "
                        "plugin_path or set PTLIMS_PLUGIN_PATH)")

    def _load_plugin(self, path):
        handle, desc = _load(path, _abi.PLUGIN_ENTRY_V1, _abi.Plugin)
        if (_abi.abi_major(desc.abi) != _abi.ABI_MAJOR_VERSION
                or not _abi.covers(desc, _abi.Plugin, "limit_key")
                or not desc.id):
            raise Error(Status.ERR_ABI, "%s: not a ptlims plug-in of ABI %d.x"
                        % (path, _abi.ABI_MAJOR_VERSION))
        if any(d.contents.id == desc.id for _, d, _ in self._plugins):
            return  # an earlier place gave this scheme
        self._plugins.append((handle, ctypes.pointer(desc), path))

    @property
    def schemes(self):
        """The schemes given to the engine: a list of {id, version, path,
        measurands}."""
        out = []
        for _, d, path in self._plugins:
            d = d.contents
            out.append({"id": d.id.decode(), "version": d.version.decode(),
                        "path": path,
                        "measurands": [d.measurands[i].id.decode()
                                       for i in range(d.n_measurands)]})
        return out

    # ---- calls -----------------------------------------------------------

    def _on_log(self, host, level, msg):
        try:
            text = msg if isinstance(msg, str) else _str(msg)
            try:
                level = _abi.LogLevel(level)
            except ValueError:
                pass
            if self._kept is not None and level == _abi.LogLevel.WARN:
                self._kept.append(text)
            if self._log:
                self._log(level, text)
            else:
                _LOG.log(_LOG_LEVELS.get(level, logging.WARNING), "%s", text)
        except Exception:  # an exception must not cross into C
            _LOG.exception("ptlims: the log callback failed")

    def _call(self, what, fn, *args):
        """fn(*args, err, errlen); Error unless it returns LIMS_OK."""
        err = ctypes.create_string_buffer(_ERRLEN)
        st = fn(*args, err, _ERRLEN)
        if st != Status.OK:
            try:
                st = Status(st)
            except ValueError:
                pass
            msg = err.value.decode("utf-8", "replace") or \
                "%s: %s" % (what, getattr(st, "text", "status %d" % st))
            raise Error(st, msg)

    def _instance(self):
        if self._inst is None:
            raise Error(Status.ERR_STATE, "the database is closed")
        return self._inst

    def _listing(self, what, fn, cb_type, convert, *args):
        """Rows through a callback into a list; an exception in convert
        stops the listing and is raised after it."""
        rows, failure = [], []

        def cb(ctx, row):
            try:
                rows.append(convert(row.contents))
                return 0
            except BaseException as e:  # stop, and raise it below
                failure.append(e)
                return 1

        self._call(what, fn, self._instance(), *args, cb_type(cb), None)
        if failure:
            raise failure[0]
        return rows

    # ---- the record ------------------------------------------------------

    def add_laboratory(self, code, name=None, role=None, accreditation=None,
                       name_zh=None):
        """Record a laboratory, or update its name, role and accreditation
        (role: "branch", "reference" or "external")."""
        call = "laboratory_add"
        lab = _abi.new(_abi.Laboratory, code=_text(code, call, "lab"),
                       name=_text(name, call, "name"),
                       name_zh=_text(name_zh, call, "name_zh"),
                       role=_text(role, call, "role"),
                       accreditation=_text(accreditation, call,
                                           "accreditation"))
        self._call(call, self._e.laboratory_add, self._instance(),
                   ctypes.byref(lab))

    def add_round(self, code, scheme=None, measurand=None, type=None,
                  opened=None, reference_lab=None, **columns):
        """Record a round with one of its measurands; a second call with
        the same code and another measurand adds the measurand.  The other
        columns of a rounds file are keywords: title, provider,
        provider_accreditation, closed, assigned, x_pt, u_x_pt, sigma_pt,
        sigma_pt_basis, matrix, estimator, sigma_pt_method,
        override_reason, item_matrix.  Dates are "YYYY-MM-DD" texts or datetime.date."""
        call = "round_add"
        given = dict(columns, code=code, scheme=scheme, measurand=measurand,
                     type=type, opened=opened, reference_lab=reference_lab)
        names = [f[0] for f in _abi.Round._fields_[1:]]
        unknown = sorted(set(given) - set(names))
        if unknown:
            raise TypeError("%s: unknown columns %s; known: %s"
                            % (call, ", ".join(unknown), ", ".join(names)))
        r = _abi.new(_abi.Round)
        for name, value in given.items():
            setattr(r, name, _text(value, call,
                                   "round" if name == "code" else name))
        self._call(call, self._e.round_add, self._instance(), ctypes.byref(r))

    def record_result(self, round, lab, measurand, value=None, unit=None,
                      U=None, k=None, item=None, method=None,
                      conditions=None, instrument=None, analyst=None,
                      tested_on=None, remarks=None):
        """Record one result as the laboratory reported it.  value, U and k
        are kept as texts: a str exactly as given, a float as repr() writes
        it (9.3 -> "9.3").  conditions maps the scheme's condition names to
        values ({"replicates": "9.2;9.4"}).  Writes no file; a refusal
        names the field: "result_add: U: U must be positive"."""
        call = "result_add"
        conds = list((conditions or {}).items())
        cv = (_abi.ConditionValue * max(len(conds), 1))()
        for i, (name, v) in enumerate(conds):
            cv[i].name = _text(name, call, "conditions")
            cv[i].value = _text(v, call, name)
        res = _abi.new(
            _abi.Result, round=_text(round, call, "round"),
            lab=_text(lab, call, "lab"),
            measurand=_text(measurand, call, "measurand"),
            item=_text(item, call, "item"), value=_text(value, call, "value"),
            unit=_text(unit, call, "unit"), U=_text(U, call, "U"),
            k=_text(k, call, "k"), method=_text(method, call, "method"),
            instrument=_text(instrument, call, "instrument"),
            analyst=_text(analyst, call, "analyst"),
            tested_on=_text(tested_on, call, "tested_on"),
            remarks=_text(remarks, call, "remarks"),
            conditions=cv, n_conditions=len(conds))
        self._call(call, self._e.result_add, self._instance(),
                   ctypes.byref(res))

    def import_csv(self, path):
        """Import one CSV file (laboratories, rounds or results), all rows
        or none: {file, dry_run, rows, laboratories, rounds, results,
        already, warnings} as `ptlims import --json` (already == rows: the
        file was recorded already and nothing was written; the warnings
        also go to the log)."""
        s = _abi.new(_abi.ImportSummary)
        self._kept = []
        try:
            self._call("import_csv", self._e.import_csv, self._instance(),
                       _path(path), ctypes.byref(s))
            warnings = self._kept
        finally:
            self._kept = None
        return {"file": os.fspath(path), "dry_run": False, "rows": s.rows,
                "laboratories": s.laboratories, "rounds": s.rounds,
                "results": s.results, "already": s.already,
                "warnings": warnings}

    def evaluate(self, round=None):
        """Evaluate a round (None: every open round with results) and store
        its scores: {round, groups, scores, signals} as
        `ptlims evaluate --json`."""
        s = _abi.new(_abi.EvalSummary)
        self._call("evaluate_round", self._e.evaluate_round,
                   self._instance(), _text(round, "evaluate_round", "round"),
                   ctypes.byref(s))
        return {"round": round, "groups": s.groups, "scores": s.scores,
                "signals": s.signals}

    def scores(self, lab=None):
        """The stored scores of laboratory `lab` (None: every one), as
        `ptlims scores --json` lists them: a list of dicts with SCORE_KEYS;
        a score that does not apply is None."""
        return self._listing("scores", self._e.scores, _abi.ScoreCb,
                             _score_row, _text(lab, "scores", "lab"))

    def compare(self, lab, ref, measurand=None, window=0):
        """Branch versus reference: every round both laboratories reported
        in, oldest first, as `ptlims compare --json` lists them (a list of
        dicts with COMPARE_KEYS); the trend over the last `window` rounds
        (0: 4)."""
        return self._listing("compare", self._e.compare, _abi.CompareCb,
                             _compare_row, _text(lab, "compare", "lab"),
                             _text(ref, "compare", "ref"),
                             _text(measurand, "compare", "measurand"),
                             int(window))

    def report(self, lab, out, lang=None, from_=None, to=None,
               generated_at=None, roc_dates=0, **control):
        """Write the audit workbook of laboratory `lab` to `out` (.xlsx):
        lang "zh-TW" (default) or "en"; from_ and to limit the rounds by
        date; generated_at ("YYYY-MM-DDTHH:MM:SS", UTC) fixes the
        workbook's date; roc_dates 1 or 2 writes dates as 民國 dates.  The
        other members of lims_report_request are keywords: tz,
        document_no, revision, prepared_by, reviewed_by, approved_by.
        Returns {file, lab} as `ptlims report --json`."""
        call = "write_report"
        known = ("tz", "document_no", "revision", "prepared_by",
                 "reviewed_by", "approved_by")
        unknown = sorted(set(control) - set(known))
        if unknown:
            raise TypeError("%s: unknown fields %s; known: %s"
                            % (call, ", ".join(unknown), ", ".join(known)))
        req = _abi.new(_abi.ReportRequest, out_path=_path(out),
                       lab=_text(lab, call, "lab"),
                       lang=_text(lang, call, "lang"),
                       to=_text(to, call, "to"),
                       generated_at=_text(generated_at, call,
                                          "generated_at"),
                       roc_dates=int(roc_dates))
        setattr(req, "from", _text(from_, call, "from"))
        for name, value in control.items():
            setattr(req, name, _text(value, call, name))
        self._call(call, self._e.write_report, self._instance(),
                   ctypes.byref(req))
        return {"file": os.fspath(out), "lab": lab}

    def verify(self, expect_head=None):
        """Check the audit chain and every row's seal: {intact, entries,
        rows, problems, head, first_problem} as `ptlims verify --json`.  A
        broken record is intact False with the first problem named, not an
        error; head is the hash to write down outside the database, and
        expect_head such a hash written down earlier (a log that no longer
        holds it is a problem)."""
        s = _abi.new(_abi.VerifySummary)
        if expect_head is not None:
            head = _text(expect_head, "verify", "expect_head")
            if len(head) >= _abi.VerifySummary.expect_head.size:
                raise Error(Status.ERR_INPUT, "verify: expect_head: a "
                            "64-digit hash is expected")
            s.expect_head = head
        err = ctypes.create_string_buffer(_ERRLEN)
        st = self._e.verify(self._instance(), ctypes.byref(s), err, _ERRLEN)
        if st not in (Status.OK, Status.ERR_STATE):
            raise Error(Status(st), err.value.decode("utf-8", "replace"))
        return {"intact": st == Status.OK, "entries": s.entries,
                "rows": s.rows, "problems": s.problems,
                "head": s.head.decode(),
                "first_problem": None if st == Status.OK else
                err.value.decode("utf-8", "replace")}

    def close_round(self, round):
        """Close a round: its results and scores cannot change after."""
        self._call("close_round", self._e.close_round, self._instance(),
                   _text(round, "close_round", "round"))

    @contextlib.contextmanager
    def transaction(self):
        """Group calls into one transaction: committed when the block ends,
        rolled back when it raises.  Inside it each call works in a
        savepoint, so a refused call is undone alone."""
        tx = self._e.transaction
        self._call("transaction", tx, self._instance(), _abi.Tx.BEGIN)
        try:
            yield self
        except BaseException:
            self._call("transaction", tx, self._instance(),
                       _abi.Tx.ROLLBACK)
            raise
        self._call("transaction", tx, self._instance(), _abi.Tx.COMMIT)

    def close(self):
        """Close the database; further calls raise Error."""
        if self._inst is not None:
            self._e.close(self._inst)
            self._inst = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        if getattr(self, "_inst", None) is not None:
            self.close()
