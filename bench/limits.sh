#!/bin/sh
# SPDX-License-Identifier: MIT
# limits.sh: the time budget at the documented limits (docs/robustness.md). Not a test.
#
#   bench/limits.sh [BUDGET_SECONDS]      default 60
#
# Builds flowsim and bench/make-worst-case (in build-bench/, or $BUILD), writes the model at the
# limits (4096 partners x 4096 scopes, 512 fields, 128 rules, 1000 users: tests/worst-case.h),
# runs each command on it under `timeout` with /usr/bin/time, and prints seconds and peak memory
# per command, marking those over the budget. Exit status 1 if any is over the budget or fails.
# The machine may be shared: the load average is printed with each line.
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
BUDGET=${1:-60}
OUT=${OUT:-${TMPDIR:-/tmp}/flowsim-limits}

if [ ! -d "$BUILD" ]; then
    meson setup "$BUILD" --buildtype=release -Dbench=true -Dtests=false >/dev/null
fi
meson configure "$BUILD" -Dbench=true >/dev/null
ninja -C "$BUILD" >/dev/null
FLOWSIM="$PWD/$BUILD/sim/flowsim"
[ -x /usr/bin/time ] || { echo "limits.sh: /usr/bin/time is missing (Debian package 'time')" >&2; exit 1; }

mkdir -p "$OUT"
"$BUILD/bench/make-worst-case" >"$OUT/worst.json"
cd "$OUT"
echo "model: $(wc -c <worst.json) bytes; budget ${BUDGET} s per command"
failed=0
bench () {
    name=$1
    shift
    if /usr/bin/time -f "%e %M" -o time.txt timeout "$BUDGET" "$FLOWSIM" "$@" >out.txt 2>err.txt
    then status=0; else status=$?; fi
    set -- $(tail -n 1 time.txt)
    verdict=ok
    if [ "$status" -eq 124 ]; then verdict="OVER BUDGET"; failed=1
    elif [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then verdict="exit $status"; failed=1; fi
    printf '%-34s %7s s %7d MB  load %s  %s\n' "$name" "$1" $(($2 / 1024)) \
        "$(cut -d ' ' -f 1 /proc/loadavg)" "$verdict"
}
bench "run"                      run worst.json
bench "lint"                     lint worst.json
bench "possible --field g0.f0"   possible worst.json --field g0.f0
bench "possible (refused: pairs)" possible worst.json
bench "explain --partner p1"     explain worst.json --user u1 --partner p1
bench "timeline, 2 dates"        timeline worst.json --from 2014-01-01 --to 2015-01-01
bench "diff --set date"          diff worst.json --set date=2016-06-01
exit $failed
