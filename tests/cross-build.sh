#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/cross-build.sh: the same commands give the same bytes in different builds.
#
#   tests/cross-build.sh BUILD_DIR OTHER_BUILD_DIR [--valgrind]
#
# Runs a fixed set of flowsim commands (generated and explicit populations, every report format)
# with BUILD_DIR/sim/flowsim and OTHER_BUILD_DIR/sim/flowsim (e.g. a plain build and one with
# ASan and UBSan, or clang and gcc) and fails if any output differs. With --valgrind the first
# build also runs under valgrind (errors fail the run). test-determinism covers thread counts
# and repeated runs within one build.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ $# -ge 2 ] || { sed -n '3,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
a="$1/sim/flowsim" b="$2/sim/flowsim"
wrap=()
if [ "${3:-}" = --valgrind ]; then
    wrap=(valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)
fi
scenario=scenarios/device-partners-2018.json
tour=scenarios/tour.json
commands=(
    "run $scenario --set population.users=3000 --format json"
    "run $scenario --set population.users=3000 --set population.generator=erdos_renyi --format csv"
    "run $scenario --set population.users=3000 --set population.generator=barabasi_albert"
    "run $tour --format json"
    "population $scenario --set population.users=3000 --format json"
    "explain $tour --user alice --format json"
    "timeline $tour --from 2010-01-01 --to 2019-01-01 --format json"
    "diagram $scenario --set population.users=2000 --format dot"
    "possible $tour --format json"
)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failed=0
for c in "${commands[@]}"; do
    # shellcheck disable=SC2086 # the commands are split on purpose
    ${wrap[@]+"${wrap[@]}"} "$a" $c >"$tmp/a" 2>"$tmp/a.err" || {
        echo "cross-build: '$1: flowsim $c' failed:" >&2
        cat "$tmp/a.err" >&2
        failed=1
        continue
    }
    # shellcheck disable=SC2086
    "$b" $c >"$tmp/b" 2>"$tmp/b.err" || {
        echo "cross-build: '$2: flowsim $c' failed:" >&2
        cat "$tmp/b.err" >&2
        failed=1
        continue
    }
    if cmp -s "$tmp/a" "$tmp/b"; then
        printf 'same  %s  flowsim %s\n' "$(sha256sum <"$tmp/a" | cut -c1-16)" "$c"
    else
        echo "cross-build: DIFFERENT output for 'flowsim $c' between $1 and $2" >&2
        diff "$tmp/a" "$tmp/b" | head -10 >&2 || true
        failed=1
    fi
done
exit "$failed"
