#!/bin/sh
# SPDX-License-Identifier: MIT
# snapshot.sh: what-ifs on a saved population (docs/performance.md). Not part of the test suite.
#
#   bench/snapshot.sh [SIZES]        e.g. bench/snapshot.sh "1000000 10000000" (default 1000000)
#
# Builds the release build of bench/run.sh (build-bench/, or $BUILD), then at each size, on
# bench/scenario.json with mean degree 100:
#   - save: `flowsim population --save` (generating the population, then writing the snapshot);
#   - disk: the snapshot read with O_DIRECT (dd iflag=direct: the disk's own speed, not the
#     page cache's);
#   - cold: the snapshot's pages dropped from the page cache (posix_fadvise DONTNEED on that file
#     alone; nothing else on the machine is touched), then bench/phases on it: its "build" is
#     the load (map, checksums, checks) from the disk;
#   - warm: bench/phases again (the file in the page cache): load and trace;
#   - whatif: `flowsim run` on the snapshot with a what-if (--set), end to end, the best of 3;
#   - floor: bench/floor at the same size (two hops of OR, each the best of 3), for sizes up to
#     $FLOOR_MAX users (default 1000000: the target is set at a million).
# Results go to $OUT (default /tmp/flowsim-bench)/snapshot.jsonl and a table to standard output.
# Sizes whose generation and saving would not fit in the memory available are skipped.
set -eu

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
OUT=${OUT:-${TMPDIR:-/tmp}/flowsim-bench}
SIZES=${1:-1000000}
FLOOR_MAX=${FLOOR_MAX:-1000000}
SCENARIO=bench/scenario.json
WHATIF='rules[flagged-no-friends].effect=allow'
RESULTS="$OUT/snapshot.jsonl"

if [ ! -d "$BUILD" ]; then
    meson setup "$BUILD" --buildtype=release -Dbench=true -Dtests=false >/dev/null
fi
meson configure "$BUILD" -Dbench=true >/dev/null
ninja -C "$BUILD" >/dev/null
FLOWSIM="$BUILD/sim/flowsim"
[ -x /usr/bin/time ] || { echo "snapshot.sh: /usr/bin/time is missing (Debian package 'time')" >&2; exit 1; }

mkdir -p "$OUT"
: >"$RESULTS"
record () {
    echo "$1" | sed "s/}\$/, \"load_average\": $(cut -d ' ' -f 1 /proc/loadavg)}/" >>"$RESULTS"
}
SEED=$(python3 -c "import json; print(json.load(open('$SCENARIO'))['seed'])")
ADOPTION=$(python3 -c "import json; a = json.load(open('$SCENARIO'))['population']['adoption']; print(sum(a.values()) / len(a))")

# timed STEP USERS COMMAND...: wall seconds, CPU seconds (user + system) and peak RSS of
# COMMAND (output discarded).
timed () {
    step=$1; users=$2; shift 2
    /usr/bin/time -f "%e %M %U %S" -o "$OUT/time.txt" "$@" >/dev/null
    read -r wall rss user sys <"$OUT/time.txt"
    record "{\"step\": \"$step\", \"users\": $users, \"wall\": $wall, \"cpu\": $(awk "BEGIN { print $user + $sys }"), \"peak_rss_mib\": $((rss / 1024))}"
}

drop_cache () {
    python3 -c "import os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)" "$1"
}

for n in $SIZES; do
    # generating peaks at about 0.83 KiB per user at mean degree 100 (825 MiB at 1M, measured),
    # and saving streams the file (a chunk per thread, and 16 bytes per user for the partners
    # near each user): 1.2 KiB per user with a margin
    need=$((n * 12 / 10))
    if [ "$need" -gt "$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)" ]; then
        record "{\"step\": \"skipped\", \"users\": $n, \"reason\": \"needs about $((need / 1024)) MiB\"}"
        continue
    fi
    snap="$OUT/population-$n.fsp"
    only="population={\"snapshot\": \"$(realpath "$OUT")/population-$n.fsp\"}"
    echo "snapshot.sh: $n users: saving" >&2
    timed save "$n" "$FLOWSIM" population "$SCENARIO" --set population.users="$n" \
        --set population.mean_degree=100 --save "$snap" --quiet
    bytes=$(stat -c %s "$snap")
    dd_s=$(dd if="$snap" of=/dev/null bs=16M iflag=direct 2>&1 | sed -n 's/.* copied, \([0-9.]*\) s.*/\1/p')
    record "{\"step\": \"disk\", \"users\": $n, \"bytes\": $bytes, \"seconds\": $dd_s}"
    echo "snapshot.sh: $n users: loading" >&2
    drop_cache "$snap"
    record "$(BENCH_REPEAT=1 "$BUILD/bench/phases" "$SCENARIO" "$only" | sed 's/^{/{"step": "cold", /')"
    record "$(BENCH_REPEAT=3 "$BUILD/bench/phases" "$SCENARIO" "$only" | sed 's/^{/{"step": "warm", /')"
    for i in 1 2 3; do
        timed whatif "$n" "$FLOWSIM" run "$SCENARIO" --set "$only" --set "$WHATIF" --quiet
    done
    if [ "$n" -le "$FLOOR_MAX" ]; then
        echo "snapshot.sh: $n users: the floor" >&2
        record "$(BENCH_REPEAT=3 "$BUILD/bench/floor" "$n" 100 "$SEED" 60 "$ADOPTION" |
                 sed 's/^{/{"step": "floor", /')"
    fi
    rm -f "$snap"
done

python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def get(step, n):
    return [r for r in rows if r["step"] == step and r.get("users") == n]
sizes = sorted({r["users"] for r in rows if r["step"] == "save"})
print("| users | friendships | snapshot | save | disk (O_DIRECT) | cold load (CPU) | warm load (CPU) "
      "| trace (CPU) | what-if `flowsim run` (CPU) | floor 2 hops (CPU) | run / floor hops (CPU) "
      "| peak RSS | load averages |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for n in sizes:
    save, disk, cold, warm = get("save", n)[0], get("disk", n)[0], get("cold", n)[0], get("warm", n)[0]
    runs, floors = get("whatif", n), get("floor", n)
    best = min(runs, key=lambda r: r["wall"])
    gib = disk["bytes"] / 2**30
    def speed(seconds, cpu):
        return f"{seconds:.2f} s, {gib / seconds:.2f} GiB/s ({cpu:.2f} s)" if seconds > 0 else "-"
    loads = ", ".join(f"{r['load_average']:.1f}" for r in [save, cold, warm] + runs + floors)
    if floors:
        f = floors[0]
        hops = f"{f['propagation']:.2f} s ({f['cpu_propagation']:.2f} s)"
        ratio = f"{best['wall'] / f['propagation']:.2f}x ({best['cpu'] / f['cpu_propagation']:.2f}x)"
    else:
        hops = ratio = "not run"
    print(f"| {n:,} | {cold['friendships']:,} | {gib:.2f} GiB | {save['wall']:.1f} s "
          f"| {disk['seconds']:.2f} s, {gib / disk['seconds']:.2f} GiB/s "
          f"| {speed(cold['build'], cold['cpu_build'])} | {speed(warm['build'], warm['cpu_build'])} "
          f"| {warm['trace']:.2f} s ({warm['cpu_trace']:.2f} s) | {best['wall']:.2f} s ({best['cpu']:.2f} s) "
          f"| {hops} | {ratio} "
          f"| {best['peak_rss_mib']:,} MiB | {loads} |")
for r in rows:
    if r["step"] == "skipped":
        print(f"\n{r['users']:,} users skipped: {r['reason']}")
PY
