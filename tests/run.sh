#!/bin/sh
# Runs every test binary given after the build directory, from the top of the
# repository, and ends with one summary line: "N passed, N failed, N
# skipped" (a skipped test is never counted as passed).
# PTLIMS_VALGRIND=1 runs each under valgrind (leaks and errors fail), and
# the ptlims commands the tests start as well (PTLIMS_WRAP).
build=$1
shift
passed=0
failed=0
skipped=0
broken=""
for t in "$@"; do
    echo "== $t"
    if [ "${PTLIMS_VALGRIND:-0}" = 1 ]; then
        vg="valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
            --error-exitcode=99"
        out=$(PTLIMS_BUILD="$build" PTLIMS_WRAP="$vg" $vg "$t" 2>&1)
    else
        out=$(PTLIMS_BUILD="$build" "$t" 2>&1)
    fi
    rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    k=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    skipped=$((skipped + ${k:-0}))
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ]; then
        [ -z "$f" ] && failed=$((failed + 1))
        broken="$broken $t"
    fi
done
[ -n "$broken" ] && echo "failing:$broken"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ -z "$broken" ]
