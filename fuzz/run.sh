#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz/run.sh: builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/ and runs each.
#
#   fuzz/run.sh [SECONDS [TARGET...]]
#
# SECONDS (default 60) is the time each target runs; TARGETs default to all of them:
# scenario set run edgelist graphml gml. Up to FUZZ_JOBS targets run at once (default: the
# number of processors). The corpora grow in build-fuzz/corpus/TARGET (seeded from policies/,
# scenarios/, tests/data/ and tests/data/regression/TARGET); a crash, hang, leak or failed
# check is saved in build-fuzz/artifacts/TARGET/ and makes the script exit 1. Each target's
# log is build-fuzz/logs/TARGET.log; the summary (executions, corpus, result) goes to stdout.
# A finding is reproduced with: build-fuzz/fuzz/fuzz-TARGET FILE
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly BUILD_DIR=build-fuzz
readonly ALL_TARGETS=(scenario set run edgelist graphml gml)
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")

say() { printf 'fuzz/run.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

case "$seconds" in
    '' | *[!0-9]*) die "SECONDS must be a whole number, not '$seconds'" ;;
esac
for t in "${targets[@]}"; do
    case " ${ALL_TARGETS[*]} " in
        *" $t "*) ;;
        *) die "unknown target '$t' (known: ${ALL_TARGETS[*]})" ;;
    esac
done

# clang and its libFuzzer runtime (Debian: libclang-rt-14-dev).
have_fuzzer() {
    command -v clang >/dev/null 2>&1 &&
        printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' |
        clang -x c -fsanitize=fuzzer,address - -o /dev/null >/dev/null 2>&1
}
if ! have_fuzzer; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    say "installing clang and libclang-rt-14-dev"
    ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y clang libclang-rt-14-dev >&2
    have_fuzzer || die "clang cannot link libFuzzer programs"
fi

if [ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
    CC=clang meson setup "$BUILD_DIR" -Dfuzz=true -Dtests=false \
        -Db_sanitize=address,undefined -Db_lundef=false >&2
fi
meson compile -C "$BUILD_DIR" >&2

# Seeds per target: directories (searched recursively by libFuzzer) and dictionaries.
seeds_for() {
    case "$1" in
        scenario | run)
            echo "policies scenarios tests/data/errors tests/data/loader tests/data/engine" \
                "tests/data/cli tests/data/scale tests/data/expect tests/data/output"
            ;;
        set) echo "fuzz/seeds/set" ;;
        edgelist | graphml | gml) echo "tests/data/import tests/data/scale" ;;
    esac
}
dict_for() {
    case "$1" in
        scenario | run) echo fuzz/json.dict ;;
        set) echo fuzz/set.dict ;;
        graphml) echo fuzz/graphml.dict ;;
        gml) echo fuzz/gml.dict ;;
        *) echo "" ;;
    esac
}

for t in "${targets[@]}"; do
    [ -x "$BUILD_DIR/fuzz/fuzz-$t" ] ||
        die "$BUILD_DIR/fuzz/fuzz-$t is missing: is $BUILD_DIR configured with -Dfuzz=true?"
done

# The targets' scratch trees (fuzz/fuzz-util.h) go here: a crashed target leaves its own behind.
rm -rf "$BUILD_DIR/tmp"
mkdir -p "$BUILD_DIR/tmp"
export TMPDIR="$PWD/$BUILD_DIR/tmp"

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"

run_target() {
    local t="$1" corpus="$BUILD_DIR/corpus/$1" artifacts="$BUILD_DIR/artifacts/$1/"
    local log="$BUILD_DIR/logs/$1.log" dict args=()
    mkdir -p "$corpus" "$artifacts" "$BUILD_DIR/logs"
    dict="$(dict_for "$t")"
    [ -z "$dict" ] || args+=("-dict=$dict")
    local seed_dirs=()
    for d in $(seeds_for "$t") "tests/data/regression/$t"; do
        [ -d "$d" ] && seed_dirs+=("$d")
    done
    # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: 2 GB is an OOM finding.
    set +e
    "$BUILD_DIR/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=32768 -print_final_stats=1 -artifact_prefix="$artifacts" \
        ${args[@]+"${args[@]}"} "$corpus" ${seed_dirs[@]+"${seed_dirs[@]}"} >"$log" 2>&1
    echo $? >"$BUILD_DIR/logs/$t.status"
}

summary() {
    local t="$1" status="$2" log="$BUILD_DIR/logs/$1.log" execs corpus
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    corpus="$(find "$BUILD_DIR/corpus/$t" -type f | wc -l)"
    if [ "$status" -eq 0 ]; then
        printf '%-9s %10s executions  %6s inputs in corpus  ok\n' "$t" "${execs:-?}" "$corpus"
    else
        printf '%-9s %10s executions  %6s inputs in corpus  FOUND A PROBLEM (see %s)\n' \
            "$t" "${execs:-?}" "$corpus" "$log"
        grep -m1 -E 'ERROR: |runtime error|==ERROR|Test unit written' "$log" >&2 || true
        ls "$BUILD_DIR/artifacts/$t/" >&2
    fi
}

jobs_max="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}"
for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
        wait -n || true
    done
    say "fuzzing $t for ${seconds}s"
    rm -f "$BUILD_DIR/logs/$t.status"
    run_target "$t" &
done
wait
failed=0
for t in "${targets[@]}"; do
    status="$(cat "$BUILD_DIR/logs/$t.status" 2>/dev/null || echo 99)"
    summary "$t" "$status"
    [ "$status" -eq 0 ] || failed=1
done
exit "$failed"
