#!/bin/sh
# SPDX-License-Identifier: MIT
# diagram-shapes.sh: how long Graphviz's `dot -Tsvg` takes on diagrams of several shapes near
# the bounds flowsim gives it (docs/robustness.md, "Every diagram bounded before Graphviz").
# Not a test.
#
#   bench/diagram-shapes.sh               every shape (about 5 minutes of CPU)
#   ONLY=WORD bench/diagram-shapes.sh     only the rows whose shape contains WORD
#
# Builds flowsim and bench/make-worst-case (in build-bench/, or $BUILD), writes each scenario
# (bench/diagram-shapes.py, or make-worst-case), draws it as DOT with flowsim, counts its boxes,
# lines, columns and passes as flowsim's check does (diagram-shapes.py --count), and prints the
# user CPU seconds of `dot -Tsvg` on it (/usr/bin/time -f %U; at most 60 s of CPU, `ulimit -t`).
# The DOT files stay in $OUT.
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
OUT=${OUT:-${TMPDIR:-/tmp}/flowsim-diagram-shapes}
ONLY=${ONLY:-}

if [ ! -d "$BUILD" ]; then
    meson setup "$BUILD" --buildtype=release -Dbench=true -Dtests=false >/dev/null
fi
meson configure "$BUILD" -Dbench=true >/dev/null
ninja -C "$BUILD" >/dev/null
FLOWSIM="$PWD/$BUILD/sim/flowsim"
WORST="$PWD/$BUILD/bench/make-worst-case"
SHAPES="$PWD/bench/diagram-shapes.py"
mkdir -p "$OUT"

# row KIND SHAPE N COMMAND...: COMMAND writes the DOT to $dot from the scenario $json
row() {
    kind=$1 shape=$2 n=$3
    shift 3
    case "$shape" in *"$ONLY"*) ;; *) return 0 ;; esac
    json="$OUT/$shape-$n.json" dot="$OUT/$kind-$shape-$n.dot"
    case "$shape" in
    ring*) "$WORST" --partners "$n" --scopes 16 --fields 16 --rules 8 --users 200 >"$json" ;;
    worst*) [ -f "$json" ] || "$WORST" >"$json" ;;
    device*) json=scenarios/device-partners-2018.json ;;
    *) python3 "$SHAPES" "$shape" "$n" >"$json" ;;
    esac
    "$@" >"$dot"
    set -- $(python3 "$SHAPES" --count "$dot")
    seconds=$( (ulimit -t 60; /usr/bin/time -f %U dot -Tsvg "$dot" -o /dev/null) 2>&1 | tail -n 1)
    printf '%-8s %-14s %5s %6s %4s %6s %6s %8s\n' "$kind" "$shape/$n" "$1" "$2" "$3" "$4" "$seconds" \
        "$(cut -d' ' -f1 /proc/loadavg)"
}

printf '%-8s %-14s %5s %6s %4s %6s %6s %8s\n' kind shape/n boxes lines cols passes dot-cpu load
for n in 48 73 98 123 148; do row flow wide $n "$FLOWSIM" diagram "$OUT/wide-$n.json" --top 0; done
for n in 48 73 98 123 148; do row flow jurisdictions $n "$FLOWSIM" diagram "$OUT/jurisdictions-$n.json" --top 0; done
for n in 90 140 190 240 290; do row flow fields $n "$FLOWSIM" diagram "$OUT/fields-$n.json" --top 0; done
for n in 11 17 23 30 36; do row flow dests $n "$FLOWSIM" diagram "$OUT/dests-$n.json" --top 0; done
for n in 2 3 4 5 8; do row flow dense $n "$FLOWSIM" diagram "$OUT/dense-$n.json" --top 0; done
for n in 30 45 60 75; do row flow random $n "$FLOWSIM" diagram "$OUT/random-$n.json" --top 0; done
for n in 30 45 60 75; do row flow random-share $n "$FLOWSIM" diagram "$OUT/random-share-$n.json" --top 0; done
for n in 12 20 28 36 39 48; do row flow chain $n "$FLOWSIM" diagram "$OUT/chain-$n.json" --top 0; done
for n in 28 36 48 64 66 80; do row flow chain1 $n "$FLOWSIM" diagram "$OUT/chain1-$n.json" --top 0; done
for n in 60 99; do row flow chain0 $n "$FLOWSIM" diagram "$OUT/chain0-$n.json" --top 0; done
row flow tail60 10 "$FLOWSIM" diagram "$OUT/tail60-10.json" --top 0
row flow tail40 20 "$FLOWSIM" diagram "$OUT/tail40-20.json" --top 0
for n in 22 25; do row flow worst $n "$FLOWSIM" diagram "$OUT/worst-$n.json" --top $n; done
for n in 32 56; do row flow chain1 $n "$FLOWSIM" diagram "$OUT/chain1-$n.json" --top 0; done
row flow chain 32 "$FLOWSIM" diagram "$OUT/chain-32.json" --top 0
row flow mix48 50 "$FLOWSIM" diagram "$OUT/mix48-50.json" --top 0
for n in 8 16 24; do row explain ring $n "$FLOWSIM" explain "$OUT/ring-$n.json" --user u1 --format dot; done
for n in 48 64; do
    row explain ring-field $n "$FLOWSIM" explain "$OUT/ring-field-$n.json" --user u1 --field g1.f1 --format dot
done
row explain device 0 "$FLOWSIM" explain scenarios/device-partners-2018.json --user u1 --format dot
# shallow explanations of thousands of lines, near the lines' bound
for s in many8/167 many8/180 many32/50 many64/25 many16/100; do
    row explain "${s%/*}" "${s#*/}" "$FLOWSIM" explain "$OUT/${s%/*}-${s#*/}.json" --user u1 --format dot
done
# chains with many lines, near the passes' bound
for s in deep4/16 deep4/17 deep8/13 deep16/8 deep16/9 deep32/6 deep32/7 deep64/4 deep64/5 deep128/3 deep160/3 mix4/80; do
    row explain "${s%/*}" "${s#*/}" "$FLOWSIM" explain "$OUT/${s%/*}-${s#*/}.json" --user u1 --format dot
done
for n in 100 190 290; do row diff fields $n "$FLOWSIM" diff "$OUT/fields-$n.json" --set date=2009-01-01 --format dot; done
for n in 11 23 36; do row diff dests $n "$FLOWSIM" diff "$OUT/dests-$n.json" --set date=2009-01-01 --format dot; done
row diff ring 16 "$FLOWSIM" diff "$OUT/ring-16.json" --set 'apis[a0].respects=[]' --format dot
for n in 6 12 25 50; do
    row diff diffwide $n "$FLOWSIM" diff "$OUT/diffwide-$n.json" --set 'apis[a0].respects=[]' \
        --set 'population.adoption={"*":0.05}' --format dot
done
for n in 8 16; do
    row diff diffjur $n "$FLOWSIM" diff "$OUT/diffjur-$n.json" --set 'apis[a0].respects=[]' \
        --set 'population.adoption={"*":0.05}' --format dot
done
