"""Where the package finds the libraries it loads.

In order: an environment variable naming the file or folder, then the
installed tree (make install writes _install.py next to this file with
the directories of its PREFIX), then the build tree the package sits in
(host/python/ptlims in a checkout, with $PTLIMS_BUILD or build/).
"""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))

try:
    from ._install import LIBDIR, PLUGIN_DIR
except ImportError:
    LIBDIR = PLUGIN_DIR = None


def build_dir():
    """The build tree of the checkout holding this package, or None."""
    top = os.path.dirname(os.path.dirname(os.path.dirname(_HERE)))
    if not os.path.isfile(os.path.join(top, "include", "lims_plugin.h")):
        return None
    return os.path.join(top, os.environ.get("PTLIMS_BUILD") or "build")


def _first(candidates):
    for path in candidates:
        if path and os.path.isfile(path):
            return path
    return None


def engine():
    """The engine, libptlims.so: $PTLIMS_ENGINE, the installed one, the
    build tree's; None when there is none."""
    env = os.environ.get("PTLIMS_ENGINE")
    if env:
        return env
    build = build_dir()
    return _first([LIBDIR and os.path.join(LIBDIR, "libptlims.so"),
                   build and os.path.join(build, "libptlims.so")])


def plugin_dirs():
    """The folders searched for scheme plug-ins when none are given: every
    folder of $PTLIMS_PLUGIN_PATH (colon separated), the installed one, the
    build tree's; as the ptlims command searches them."""
    dirs = [d for d in os.environ.get("PTLIMS_PLUGIN_PATH", "").split(":")
            if d]
    if PLUGIN_DIR:
        dirs.append(PLUGIN_DIR)
    build = build_dir()
    if build:
        dirs.append(os.path.join(build, "plugins"))
    return dirs


def stats():
    """The statistics library, libptstats.so: $PTLIMS_LIBPTSTATS, the copy
    installed with the package, the build tree's."""
    env = os.environ.get("PTLIMS_LIBPTSTATS")
    if env:
        return env
    here = os.path.join(_HERE, "libptstats.so")
    build = build_dir()
    return _first([here, build and os.path.join(build, "libptstats.so")]) \
        or here
