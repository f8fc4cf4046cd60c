#!/bin/bash
# SPDX-License-Identifier: MIT
# mpi-scaling.sh: `flowsim run` over MPI ranks against one process (docs/scaling.md). Not part
# of the test suite.
#
#   bench/mpi-scaling.sh [SIZES] [RANKS]   e.g. bench/mpi-scaling.sh "1000000 10000000" "1 2 4"
#
# At each size (default 1000000 users; facebook_like, mean degree 50, the default scenario),
# runs `flowsim run` once as one process (/usr/bin/time: peak resident memory and wall time)
# and once under `mpirun -np N` for each N (default "1 2 4"), with FLOWSIM_MPI_STATS=1 (each
# rank's users, ghosts, cut friend-list entries, bytes sent per hop, peak resident memory),
# checks that the report is the same bytes, and prints a table: per-rank peak memory as a
# share of the single process's, time as a ratio to it (ranks oversubscribe the cores here:
# read ratios only), the bytes each hop sent against the model "cut entries x set bytes", and
# the distinct (boundary user, rank) pairs the exchange actually sends.
# One thread per process (FLOWSIM_THREADS=1). Uses $FLOWSIM or build/sim/flowsim.
set -eu

cd "$(dirname "$0")/.."
FLOWSIM=${FLOWSIM:-build/sim/flowsim}
SIZES=${1:-1000000}
RANKS=${2:-1 2 4}
DEGREE=${DEGREE:-50}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FLOWSIM_THREADS=1

for n in $SIZES; do
    set -- scenarios/device-partners-2018.json --set population.users="$n" \
        --set population.mean_degree="$DEGREE"
    /usr/bin/time -f "%e %M" -o "$tmp/one.time" "$FLOWSIM" run -q "$@" >"$tmp/one.txt"
    read -r t1 m1 <"$tmp/one.time"
    echo "## $n users, mean degree $DEGREE: one process $m1 KiB peak, $t1 s"
    echo
    echo "| ranks | peak RSS per rank (max) | / one process | wall time / one process | ghosts per rank (max) | cut entries per rank (max) | hop 1 sent per rank (max) | model: cut x set bytes | (user, rank) pairs sent | hop 2 sent per rank (max) |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for np in $RANKS; do
        start=$(date +%s.%N)
        FLOWSIM_MPI_STATS=1 mpirun --oversubscribe --allow-run-as-root -np "$np" \
            "$FLOWSIM" run -q "$@" >"$tmp/mpi.txt" 2>"$tmp/stats"
        end=$(date +%s.%N)
        cmp -s "$tmp/one.txt" "$tmp/mpi.txt" || { echo "np $np: THE REPORT DIFFERS" >&2; exit 1; }
        awk -v np="$np" -v m1="$m1" -v t="$(echo "$end - $start" | bc)" -v t1="$t1" '
            $1 ~ /^[0-9]+$/ && NF == 10 { # rank and the 9 numbers of FLOWSIM_MPI_STATS
                if ($8 > rss) rss = $8; if ($3 > gh) gh = $3; if ($4 > cut) cut = $4
                if ($5 > h1) h1 = $5; if ($6 > h2) h2 = $6
                if ($4 * $9 > model) model = $4 * $9
                set = $9
            }
            END {
                pairs = set > 0 ? h1 / set : 0
                printf "| %d | %.0f MiB | %.2f | %.2f | %d | %d | %.2f MiB | %.1f MiB | %d | %.2f MiB |\n",
                    np, rss / 1024, rss / m1, t / t1, gh, cut, h1 / 1048576, model / 1048576,
                    pairs, h2 / 1048576
            }' "$tmp/stats"
    done
    echo
done
