#!/bin/bash
# SPDX-License-Identifier: MIT
# mpi-import.sh: `flowsim run` on an imported edge list, read by byte ranges over MPI ranks,
# against one process (docs/scaling.md, "Importing by parts"). Not part of the test suite.
#
#   bench/mpi-import.sh [USERS] [RANKS]   e.g. bench/mpi-import.sh 1000000 "1 2 4"
#
# Exports the default scenario's facebook_like population of USERS users (default 1000000,
# mean degree $DEGREE, default 20: 10 million friendships, a 138 MB file, under the 256 MiB
# limit of one input file) with `flowsim population --export`, writes a scenario that imports
# it (the default scenario's model and settings), runs `flowsim run` once as one process
# (/usr/bin/time: peak resident memory, wall time) and under `mpirun -np N` for each N
# (default "1 2 4") with FLOWSIM_MPI_STATS=1, checks that the report is the same bytes (cmp)
# and prints each rank count's largest per-rank peak resident memory. With BEFORE=BINARY, also
# runs that flowsim under mpirun (an older build, which read the whole file on every rank).
# One thread per process (FLOWSIM_THREADS=1). Uses $FLOWSIM or build/sim/flowsim.
set -eu

cd "$(dirname "$0")/.."
FLOWSIM=${FLOWSIM:-build/sim/flowsim}
USERS=${1:-1000000}
RANKS=${2:-1 2 4}
DEGREE=${DEGREE:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FLOWSIM_THREADS=1

"$FLOWSIM" population -q scenarios/device-partners-2018.json --set population.users="$USERS" \
    --set population.mean_degree="$DEGREE" --export "$tmp" >/dev/null
/usr/bin/python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
s = json.load(open("scenarios/device-partners-2018.json"))
s["include"] = [os.path.abspath(os.path.join("scenarios", f)) for f in s.get("include", [])]
p = s["population"]
for k in ("generator", "users", "mean_degree"):
    p.pop(k, None)
p["import"] = {"file": tmp + "/friendships.txt", "format": "edge_list"}
json.dump(s, open(tmp + "/import.json", "w"))
PY
set -- "$tmp/import.json"
/usr/bin/time -f "%e %M" -o "$tmp/one.time" "$FLOWSIM" run -q "$@" >"$tmp/one.txt"
read -r t1 m1 <"$tmp/one.time"
echo "## $USERS users, mean degree $DEGREE, $(wc -c <"$tmp/friendships.txt") bytes of edge list:" \
    "one process $m1 KiB peak, $t1 s"
echo
echo "| binary | ranks | peak RSS per rank (max) | / one process | wall time / one process |"
echo "|---|---|---|---|---|"
for bin in "$FLOWSIM" ${BEFORE:+"$BEFORE"}; do
    for np in $RANKS; do
        start=$(date +%s.%N)
        FLOWSIM_MPI_STATS=1 mpirun --oversubscribe --allow-run-as-root -np "$np" \
            "$bin" run -q "$@" >"$tmp/mpi.txt" 2>"$tmp/stats"
        end=$(date +%s.%N)
        cmp -s "$tmp/one.txt" "$tmp/mpi.txt" || { echo "$bin np $np: THE REPORT DIFFERS" >&2; exit 1; }
        awk -v bin="$([ "$bin" = "$FLOWSIM" ] && echo this || echo before)" -v np="$np" \
            -v m1="$m1" -v t="$(echo "$end - $start" | bc)" -v t1="$t1" '
            $1 ~ /^[0-9]+$/ && NF >= 9 { if ($8 > rss) rss = $8 }
            END {
                printf "| %s | %d | %.0f MiB | %.2f | %.2f |\n", bin, np, rss / 1024, rss / m1,
                    t / t1
            }' "$tmp/stats"
    done
done
