#!/bin/sh
# SPDX-License-Identifier: MIT
# limits.sh: the time budget at the documented limits (docs/robustness.md). Not a test.
#
#   bench/limits.sh [BUDGET_SECONDS]      default 60
#   BEFORE=/path/to/an/older/flowsim bench/limits.sh
#                                         runs each command with that program too, just before
#                                         this build's, and prints the ratio of the CPU times
#                                         (user + system: less disturbed by a loaded machine)
#   ONLY=WORD bench/limits.sh             only the commands whose name contains WORD
#
# Builds flowsim and bench/make-worst-case (in build-bench/, or $BUILD), writes the model at the
# limits (4096 partners x 4096 scopes, 512 fields, 128 rules, 1000 users: tests/worst-case.h;
# and the same with 256 claims of 64 alternatives for claims and lint),
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
# the same with claims at their limit: 256 claims of 64 alternatives
"$BUILD/bench/make-worst-case" --claims 256 >"$OUT/claims.json"
cd "$OUT"
echo "model: $(wc -c <worst.json) bytes; budget ${BUDGET} s per command"
failed=0
# one PROGRAM ARGS...: sets seconds, mb and verdict
measure () {
    program=$1
    shift
    if /usr/bin/time -f "%e %M %U %S" -o time.txt timeout "$BUDGET" "$program" "$@" >out.txt \
        2>err.txt
    then status=0; else status=$?; fi
    set -- $(tail -n 1 time.txt)
    seconds=$1 mb=$(($2 / 1024)) cpu=$(echo "$3 $4" | awk '{ printf "%.2f", $1 + $2 }') verdict=ok
    if [ "$status" -eq 124 ]; then verdict="OVER BUDGET"
    elif [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then verdict="exit $status"; fi
}
bench () {
    name=$1
    shift
    case "$name" in *"${ONLY:-}"*) ;; *) return 0 ;; esac
    if [ -n "${BEFORE:-}" ]; then
        measure "$BEFORE" "$@"
        b_seconds=$seconds b_mb=$mb b_cpu=$cpu b_verdict=$verdict
    fi
    measure "$FLOWSIM" "$@"
    [ "$verdict" = ok ] || failed=1
    printf '%-34s %7s s %7d MB %7s s CPU  load %s  %s\n' "$name" "$seconds" "$mb" "$cpu" \
        "$(cut -d ' ' -f 1 /proc/loadavg)" "$verdict"
    if [ -n "${BEFORE:-}" ]; then
        printf '%-34s %7s s %7d MB %7s s CPU  before (%s); CPU after/before %s\n' "" \
            "$b_seconds" "$b_mb" "$b_cpu" "$b_verdict" \
            "$(echo "$cpu $b_cpu" | awk '{ printf "%.2f", $1 / ($2 > 0 ? $2 : 1) }')"
    fi
}
bench "run"                      run worst.json
bench "lint"                     lint worst.json
bench "possible --field g0.f0"   possible worst.json --field g0.f0
bench "possible (refused: pairs)" possible worst.json
bench "explain --partner p1"     explain worst.json --user u1 --partner p1
bench "timeline, 2 dates"        timeline worst.json --from 2014-01-01 --to 2015-01-01
bench "timeline, 21 dates, 3 decided" timeline worst.json --from 2010-06-20 --to 2010-07-10 --step 1d
bench "timeline (refused: budget)" timeline worst.json --from 2010-01-01 --to 2014-01-01 --step 1m
bench "diff --set date"          diff worst.json --set date=2016-06-01
bench "diff, 2 million decisions changed" diff worst.json --set date=2010-03-01
bench "diagram"                  diagram worst.json
bench "diagram -f svg"           diagram worst.json --format svg
bench "diagram (refused: size)"  diagram worst.json --top 0 --format svg
bench "report"                   report worst.json -o report.html
bench "claims, 256 x 64 claims"  claims claims.json
bench "lint, 256 x 64 claims"    lint claims.json
bench "claims --effect (refused: budget)" claims claims.json --effect
exit $failed
