"""ptlims -- ISO 13528 proficiency testing for Python.

A binding of ptlims through ctypes, with the standard library only (Python
3.9 or later):

    >>> import ptlims.stats
    >>> ptlims.stats.summary([8.2, 8.9, 9.4, 7.6, 8.8, 9.1, 14.6])["alga_x"]

    >>> with ptlims.Database("lab.db") as db:
    ...     db.record_result("S-2025-PT1", "TC-BR", "sulfur", value="10.6",
    ...                      unit="mg/kg", U="1.2")
    ...     db.evaluate("S-2025-PT1")
    ...     db.scores(lab="TC-BR")

ptlims.stats computes what the calculators of the `ptlims` command print
with --json, under the same keys: summary() (`ptlims stats`), scores()
(`ptlims score`), homogeneity() and precision(), through the statistics
library (libptstats.so).  Database keeps the record through the engine
(libptlims.so) and the scheme plug-ins, over the ABI of lims_plugin.h.  A
refusal of either raises Error.
"""

__all__ = ["Error", "Database", "Status"]


class Error(Exception):
    """A refusal of ptlims: `status` is the library's status code and
    `message` says what was refused.  From Database, status is a Status
    (lims_status of lims_plugin.h, an IntEnum: status.name "ERR_INPUT",
    int(status) 1, status.text "bad input") and the message names the
    call and the field or the file:line:column.  From ptlims.stats it is
    pt_stats_status of stats/pt_stats.h: 1 no values, 2 too few, 3 NaN or
    infinity, 4 invalid argument, 5 no convergence, 6 no spread."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


from ._abi import Status  # noqa: E402
from .database import Database  # noqa: E402
