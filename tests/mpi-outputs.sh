#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mpi-outputs.sh: under `mpirun`, where rank 0 writes every file of a run, no output of the run
# replaces another of its outputs, as for one process (sim/render/output.c; docs/robustness.md,
# "Fifth pass"): `population --save s.fss -o ./s.fss` for a new file, and `--export d -o
# d/users.tsv`, once ended with status 0 and the description in place of the snapshot or the
# table of users. Each must end with status 4, one message, the first file whole and no
# temporary file left. And killed while rank 0 writes, by SIGKILL or by mpirun's ending of the
# ranks, no temporary file is left either.
#
#   tests/mpi-outputs.sh HAVE_MPI   (meson passes 1 or 0; FLOWSIM and FLOWSIM_SOURCE_DIR set)
# shellcheck source=tests/mpi-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/mpi-lib.sh"

tour=$src/scenarios/tour.json
refused="this run has already written that file as another of its outputs"

# expect_refused NAME NP FILE HEAD ARGS...: flowsim population ARGS under NP ranks, run in $tmp,
# ends with status 4 and one message saying $refused, and FILE starts with HEAD (after a
# first byte 0x89)
expect_refused() {
    local name=$1 np=$2 file=$3 head=$4
    shift 4
    (cd "$tmp" && timeout 300 "${mpi[@]}" -np "$np" "$FLOWSIM" population "$tour" "$@" \
        >"$tmp/mpi" 2>"$tmp/mpi.err")
    local got=$? start
    # the snapshot's first byte is 0x89, as PNG's: left out
    start=$(head -c 64 "$tmp/$file" 2>/dev/null | tr -d '\000\211' | head -c "${#head}")
    if [ "$got" = 4 ] && [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = 1 ] &&
        grep -q "$refused" "$tmp/mpi.err" && [ "$start" = "$head" ] &&
        [ -z "$(find "$tmp" -name '*.flowsim-*')" ]; then
        ok "$name, $np ranks: status 4, '$file' kept: $(grep '^flowsim: error:' "$tmp/mpi.err")"
    else
        not_ok "$name, $np ranks: status $got, '$file' starts with '$start'"
        sed 's/^/# /' "$tmp/mpi.err" | head -10
    fi
}

for np in 2 3; do
    rm -rf "$tmp/s.fss" "$tmp/d"
    expect_refused "--save s.fss -o ./s.fss" "$np" s.fss "flowsim-pop" --save s.fss -o ./s.fss
    expect_refused "--export d -o d/users.tsv" "$np" d/users.tsv "# flowsim population of" \
        --export d -o d/users.tsv
done

# killed while rank 0 writes the export: rank 0 by SIGKILL, which no handler sees, and mpirun by
# SIGHUP, on which Open MPI sends SIGTERM to every rank and, once some have died of it, SIGKILL
# to the rest, often before rank 0 has run its handler (3 of 7 runs at 3 ranks left
# '.friendships.txt.flowsim-XXXXXXXX' before the file had no name until complete, O_TMPFILE).
# No temporary file may be left in the folder.
dp=$src/scenarios/device-partners-2018.json
killed_case() { # NP WHO SIG
    local np=$1 who=$2 sig=$3 mp r0= writing= fds p env
    rm -rf "$tmp/k"
    mkdir -p "$tmp/k"
    setsid "${mpi[@]}" -np "$np" "$FLOWSIM" population -q "$dp" --set population.users=100000 \
        --export "$tmp/k" </dev/null >/dev/null 2>&1 &
    mp=$!
    for _ in $(seq 2400); do # rank 0 has a file open in the folder: it is writing
        for p in $(pgrep -P "$mp"); do
            env=$(tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null)
            [[ $env == *$'\n'OMPI_COMM_WORLD_RANK=0$'\n'* ]] && r0=$p
        done
        fds=$(ls -l "/proc/${r0:-0}/fd" 2>/dev/null)
        if [[ $fds == *"-> $tmp/k/"* ]]; then
            writing=1
            break
        fi
        sleep 0.05
    done
    if [ -z "$writing" ]; then
        kill -KILL "$mp" 2>/dev/null
        wait "$mp"
        n_test=$((n_test + 1))
        echo "ok $n_test # SKIP $who SIG$sig, $np ranks: the export ended before it was seen writing"
        return
    fi
    if [ "$who" = rank0 ]; then kill -"$sig" "$r0"; else kill -"$sig" "$mp"; fi
    timeout 120 tail --pid="$mp" -f /dev/null
    wait "$mp"
    local got=$? left
    left=$(find "$tmp/k" -name '*flowsim-*')
    if [ "$got" != 0 ] && [ -z "$left" ]; then
        ok "$who SIG$sig while rank 0 writes the export, $np ranks: status $got, nothing left"
    else
        not_ok "$who SIG$sig while rank 0 writes the export, $np ranks: status $got, left: $left"
    fi
}
killed_case 2 rank0 KILL
killed_case 3 mpirun HUP

echo "1..$n_test"
exit $failed
