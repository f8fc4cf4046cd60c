#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh: the benchmark (docs/performance.md). Not part of the test suite.
#
#   bench/run.sh [SIZES]        e.g. bench/run.sh "100000 1000000 5000000" (the default)
#
# Builds flowsim for release with the bench programs (in build-bench/, or $BUILD), then, at each
# size, mean degree 100, on bench/scenario.json (60 partners, 30 fields):
#   - `flowsim run` end to end (wall time and peak RSS from /usr/bin/time),
#   - the same run step by step (bench/phases: build, trace, report; the trace the best of 3),
#   - the floor (bench/floor: a minimal CSR build and two hops of OR over the same graph, each
#     hop the best of 3);
# the target command (the default scenario at 1M users, facebook_like, mean degree 100); and
# the networkx reference (bench/reference.py) at 10k and 100k users on the population flowsim
# exported, checking that both give the same counts. Sizes that would not fit in the memory
# available are skipped. Results go to $OUT (default /tmp/flowsim-bench) as JSON lines, and the
# summary (bench/summarize.py) to standard output.
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
OUT=${OUT:-${TMPDIR:-/tmp}/flowsim-bench}
SIZES=${1:-"100000 1000000 5000000"}
REF_SIZES=${REF_SIZES:-"10000 100000"}
SCENARIO=bench/scenario.json
RESULTS="$OUT/results.jsonl"

if [ ! -d "$BUILD" ]; then
    meson setup "$BUILD" --buildtype=release -Dbench=true -Dtests=false >/dev/null
fi
meson configure "$BUILD" -Dbench=true >/dev/null
ninja -C "$BUILD" >/dev/null
FLOWSIM="$BUILD/sim/flowsim"

if ! python3 -c 'import networkx' 2>/dev/null; then
    echo "run.sh: installing python3-networkx" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y python3-networkx >/dev/null
    else sudo apt-get install -y python3-networkx >/dev/null; fi
fi
if [ ! -x /usr/bin/time ]; then
    echo "run.sh: /usr/bin/time is missing (Debian package 'time')" >&2
    exit 1
fi

mkdir -p "$OUT"
: >"$RESULTS"
# record JSON: appends JSON with the 1-minute load average when it was recorded (the machine may
# be shared: the load says which steps were disturbed).
record () {
    echo "$1" | sed "s/}\$/, \"load_average\": $(cut -d ' ' -f 1 /proc/loadavg)}/" >>"$RESULTS"
}

# The machine, and the partners' mean adoption (for the floor's random masks).
record "$(python3 - <<PY
import json, os
model = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")))
print(json.dumps({"step": "machine", "nproc": os.cpu_count(), "model": model,
                  "mem_gib": round(mem / 2**20, 1), "load": os.getloadavg()[0]}))
PY
)"
ADOPTION=$(python3 -c "import json; a = json.load(open('$SCENARIO'))['population']['adoption']; print(sum(a.values()) / len(a))")

mem_available_kib () { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }

# timed STEP USERS COMMAND...: wall seconds and peak RSS of COMMAND (output discarded).
timed () {
    step=$1; users=$2; shift 2
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >/dev/null
    read -r wall rss <"$OUT/time.txt"
    record "{\"step\": \"$step\", \"users\": $users, \"wall\": $wall, \"peak_rss_mib\": $((rss / 1024))}"
}

for n in $SIZES; do
    # about 1.1 KiB per user at mean degree 100 (measured); keep a margin of a quarter
    need=$((n * 14 / 10))
    if [ "$need" -gt "$(mem_available_kib)" ]; then
        record "{\"step\": \"skipped\", \"users\": $n, \"reason\": \"needs about $((need / 1024)) MiB\"}"
        continue
    fi
    echo "run.sh: $n users" >&2
    timed run "$n" "$FLOWSIM" run "$SCENARIO" --set population.users="$n" \
        --set population.mean_degree=100 --quiet
    record "$(BENCH_REPEAT=3 "$BUILD/bench/phases" "$SCENARIO" population.users="$n" population.mean_degree=100 |
             sed 's/^{/{"step": "phases", /')"
    record "$(BENCH_REPEAT=3 "$BUILD/bench/floor" "$n" 100 "$(python3 -c "import json; print(json.load(open('$SCENARIO'))['seed'])")" 60 "$ADOPTION" |
             sed 's/^{/{"step": "floor", /')"
done

echo "run.sh: the target command" >&2
timed target 1000000 "$FLOWSIM" run --set population.generator=facebook_like \
    --set population.users=1000000 --set population.mean_degree=100 --quiet

for n in $REF_SIZES; do
    echo "run.sh: networkx reference, $n users" >&2
    dir="$OUT/export-$n"
    "$FLOWSIM" population "$SCENARIO" --set population.users="$n" --set population.mean_degree=100 \
        --export "$dir" --quiet >/dev/null
    timed reference-flowsim "$n" "$FLOWSIM" run "$SCENARIO" --set population.users="$n" \
        --set population.mean_degree=100 --format json --output "$dir/report.json" --quiet
    record "$(python3 bench/reference.py "$SCENARIO" "$dir" "$dir/report.json" \
                  --set population.users="$n" --set population.mean_degree=100 |
             sed 's/^{/{"step": "networkx", /')"
    rm -f "$dir/friendships.txt"
done

# The real SNAP ego-Facebook graph (4,039 users, 88,234 friendships), when shared/ is beside
# the project: the default scenario's partners on it, 2% adoption each.
EGO=${EGO:-../shared/data/ego-facebook/facebook_combined.txt}
if [ -f "$EGO" ]; then
    echo "run.sh: ego-Facebook ($EGO)" >&2
    ego_population="{\"import\": {\"file\": \"$EGO\"}, \"adoption\": {\"*\": 0.02}}"
    timed ego-facebook 4039 "$FLOWSIM" run --set "population=$ego_population" --quiet
fi

python3 bench/summarize.py "$RESULTS"
