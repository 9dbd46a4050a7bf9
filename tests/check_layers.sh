#!/bin/sh
# The layers of DESIGN.md, checked on every #include: stats/ sees GSL
# only; reports/ libxlsxwriter and stats/; a scheme plug-in the ABI header
# only; the host never an engine-internal header; nothing includes the
# host's headers but the host.  Prints each forbidden include as
# "file:line: reason" and fails when there is one.
cd "$(dirname "$0")/.." || exit 2
bad=0

# includes FILE... -> "file:line:header:kind" (kind q for "", a for <>)
includes() {
    grep -Hn '^[[:space:]]*#[[:space:]]*include' "$@" 2>/dev/null |
        sed -n 's/^\([^:]*\):\([0-9]*\):[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"]\)\([^>"]*\)[>"].*/\1:\2:\4:\3/p' |
        sed 's/:<$/:a/; s/:"$/:q/'
}

# refuse LAYER_FILES -- a reason for each header a check function rejects
check() {
    what=$1
    shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        includes "$f"
    done | while IFS=: read -r file line header kind; do
        reason=$($what "$header" "$kind" "$file")
        if [ -n "$reason" ]; then
            echo "$file:$line: #include $header: $reason"
        fi
    done
}

in_dir() { [ -f "$1/$2" ]; }
engine_header() {
    for d in engine/*/; do
        in_dir "$d" "$1" && return 0
    done
    return 1
}
system_ok() {
    case $1 in
    sqlite3.h | sqlite3ext.h) echo "SQLite is the engine's" ;;
    xlsxwriter.h | xlsxwriter/*) echo "libxlsxwriter is reports/'" ;;
    gsl/*) echo "GSL is stats/'" ;;
    esac
}

stats_rule() {
    if [ "$2" = q ]; then
        in_dir stats "$1" || echo "stats/ includes only its own headers"
    else
        case $1 in gsl/*) ;; *) system_ok "$1" ;; esac
    fi
}
reports_rule() {
    if [ "$2" = q ]; then
        in_dir reports "$1" || [ "$1" = pt_stats.h ] ||
            echo "reports/ includes only its own headers and pt_stats.h"
    else
        case $1 in xlsxwriter.h | xlsxwriter/*) ;; *) system_ok "$1" ;; esac
    fi
}
scheme_rule() {
    if [ "$2" = q ]; then
        [ "$1" = lims_plugin.h ] ||
            echo "a scheme plug-in includes the ABI header only"
    else
        system_ok "$1"
    fi
}
host_rule() {
    if [ "$2" = q ]; then
        if engine_header "$1"; then
            echo "an engine-internal header (use include/lims_plugin.h)"
        elif ! in_dir host "$1" && ! in_dir include "$1" &&
            [ "$1" != pt_stats.h ]; then
            echo "the host includes its own headers, include/ and pt_stats.h"
        fi
    else
        case $1 in gsl/*) ;; *) system_ok "$1" ;; esac
    fi
}
engine_rule() {
    if [ "$2" = q ] && in_dir host "$1" && ! in_dir include "$1"; then
        echo "the engine never includes the host's headers"
    fi
}

out=$(
    check stats_rule stats/*.c stats/*.h
    check reports_rule reports/*.c reports/*.h
    for d in plugins/*/; do
        case $d in plugins/sqlite/ | plugins/postgresql/) continue ;; esac
        check scheme_rule "$d"*.c "$d"*.h
    done
    check host_rule host/*.c host/*.h host/examples/*.c
    check engine_rule engine/*/*.c engine/*/*.h
)
if [ -n "$out" ]; then
    printf '%s\n' "$out"
    echo "check-layers: $(printf '%s\n' "$out" | wc -l) forbidden includes"
    exit 1
fi
echo "check-layers: every include stays in its layer"
