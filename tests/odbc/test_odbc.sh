#!/bin/sh
# test_odbc.sh -- the SQLite extension through ODBC, as LabWare or STARLIMS
# would reach it: a DSN of Debian's SQLite ODBC driver (libsqliteodbc)
# whose LoadExt loads ptlims_sqlite.so, queried with unixODBC's isql, gives
# the very text the sqlite3 shell gives for the same query; without
# LoadExt the functions are not there.  The driver and the DSN are
# declared in the test's own odbcinst.ini and odbc.ini (ODBCSYSINI,
# ODBCINI), as README's "ODBC" section shows them.
#
# Run by tests/run.sh from the top of the repository with PTLIMS_BUILD
# set; prints cmocka's summary lines.  A missing isql or driver is a
# failure, never a skip (make deps installs unixodbc and libsqliteodbc).
set -u
umask 022

top=$(pwd)
build=${PTLIMS_BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
ext=$build/ptlims_sqlite.so
passed=0
failed=0
failures=""

pass() {
    echo "[       OK ] $1"
    passed=$((passed + 1))
}

fail() {
    echo "[  FAILED  ] $1"
    failed=$((failed + 1))
    failures="$failures $1"
}

summary() {
    echo "[==========] $((passed + failed)) test(s) run."
    echo "[  PASSED  ] $passed test(s)."
    if [ "$failed" -gt 0 ]; then
        echo "[  FAILED  ] $failed test(s), listed below:"
        for f in $failures; do
            echo "[  FAILED  ] $f"
        done
    fi
}

die() {
    echo "test_odbc: $*"
    fail odbc_setup
    summary
    exit 1
}

# The driver as Debian installs it (the multiarch directory of the build).
driver=""
for d in /usr/lib/*/odbc/libsqlite3odbc.so /usr/lib/odbc/libsqlite3odbc.so; do
    [ -f "$d" ] && { driver=$d; break; }
done
[ -n "$driver" ] || die "libsqlite3odbc.so not found: make deps installs" \
    "libsqliteodbc"
command -v isql >/dev/null 2>&1 || die "isql not found: make deps installs" \
    "unixodbc"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 not found"
[ -f "$ext" ] || die "$ext not built"
if nm -D "$ext" | grep -q __asan_init; then
    # built with AddressSanitizer: its runtimes go first, as for
    # test_sqlite_ext
    LD_PRELOAD="$(cc -print-file-name=libasan.so) $(cc \
        -print-file-name=libubsan.so)"
    ASAN_OPTIONS=detect_leaks=0
    export LD_PRELOAD ASAN_OPTIONS
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptlims-odbc.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

sqlite3 "$tmp/round.db" <<'EOF' || die "cannot make the test database"
CREATE TABLE result (lab TEXT, value REAL);
INSERT INTO result VALUES
    ('L01', 8.2), ('L02', 8.9), ('L03', 9.4), ('L04', 7.6), ('L05', 8.8),
    ('L06', 9.1), ('L07', 8.5), ('L08', 9.9), ('L09', 8.0), ('L10', 8.7),
    ('L11', 14.6), ('L12', 8.4), ('L13', 9.0), ('L14', NULL);
EOF
cat > "$tmp/odbcinst.ini" <<EOF
[SQLite3]
Description = SQLite3 ODBC Driver
Driver = $driver
EOF
cat > "$tmp/odbc.ini" <<EOF
[ptlims]
Description = ptlims statistics on a SQLite database
Driver = SQLite3
Database = $tmp/round.db
LoadExt = $ext

[plain]
Driver = SQLite3
Database = $tmp/round.db
EOF

# Every number as text with 17 significant digits: both sides then print
# the double itself, not a driver's rounding of it.
aggregates="SELECT printf('%!.17g', pt_median(value)), printf('%!.17g', pt_made(value)), printf('%!.17g', pt_niqr(value)), printf('%!.17g', pt_alga_x(value)), printf('%!.17g', pt_alga_s(value)), printf('%!.17g', pt_alga_u(value)), count(value) FROM result"
scores="SELECT lab, printf('%!.17g', pt_z(value, 8.8, 0.9)), pt_class(pt_z(value, 8.8, 0.9)), printf('%!.17g', pt_en(value, 0.5, 8.8, 0.3)), pt_class_en(pt_en(value, 0.5, 8.8, 0.3)) FROM result WHERE value IS NOT NULL ORDER BY lab"

odbc() {
    printf '%s\n' "$2" |
        ODBCSYSINI=$tmp ODBCINI=$tmp/odbc.ini isql -b -v -d'|' "$1" 2>&1
}

sqlite() {
    sqlite3 -bail -separator '|' -cmd ".load $ext" "$tmp/round.db" "$1" 2>&1
}

for t in aggregates scores; do
    if [ "$t" = aggregates ]; then q=$aggregates; else q=$scores; fi
    got=$(odbc ptlims "$q")
    want=$(sqlite "$q")
    if [ -n "$want" ] && [ "$got" = "$want" ] &&
        printf '%s\n' "$got" | grep -q '[0-9]'; then
        pass "odbc_${t}_equal_sqlite3"
    else
        printf 'isql:\n%s\nsqlite3:\n%s\n' "$got" "$want"
        fail "odbc_${t}_equal_sqlite3"
    fi
done

got=$(odbc plain "SELECT pt_median(value) FROM result")
case $got in
*"no such function: pt_median"*) pass odbc_without_loadext_has_no_functions ;;
*)
    printf 'isql without LoadExt:\n%s\n' "$got"
    fail odbc_without_loadext_has_no_functions
    ;;
esac

summary
[ "$failed" -eq 0 ]
