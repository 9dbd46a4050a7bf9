"""ptlims -- ISO 13528 proficiency-testing statistics for Python.

A binding of the ptlims statistics library (stats/, built as the shared
object libptstats.so) through ctypes, with the standard library only
(Python 3.9 or later):

    >>> import ptlims.stats
    >>> ptlims.stats.summary([8.2, 8.9, 9.4, 7.6, 8.8, 9.1, 14.6])["alga_x"]

ptlims.stats computes what the calculators of the `ptlims` command print
with --json, under the same keys: summary() (`ptlims stats`), scores()
(`ptlims score`), homogeneity() and precision().  A refusal of the library
raises Error.
"""

__all__ = ["Error"]


class Error(Exception):
    """A refusal of ptlims: `status` is the library's status code (for the
    statistics, pt_stats_status of stats/pt_stats.h: 1 no values, 2 too
    few, 3 NaN or infinity, 4 invalid argument, 5 no convergence, 6 no
    spread) and `message` says what was refused."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message
