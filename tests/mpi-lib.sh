#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mpi-lib.sh: what tests/mpi-identity.sh and tests/mpi-faults.sh share, sourced by both: the
# skips, a scratch folder, TAP's ok and not ok, mpirun's options, the edge list they import.
#
#   . tests/mpi-lib.sh HAVE_MPI   (meson passes 1 or 0; FLOWSIM and FLOWSIM_SOURCE_DIR set)
# Skips (TAP "1..0 # SKIP", exit 0) when flowsim was built without MPI or mpirun is missing.
# shellcheck disable=SC2034 # its variables are read by the scripts that source it
set -uo pipefail

if [ "${1:-0}" != 1 ]; then
    echo "1..0 # SKIP flowsim was built without MPI (-Dmpi=disabled or no Open MPI)"
    exit 0
fi
if ! command -v mpirun >/dev/null 2>&1; then
    echo "1..0 # SKIP mpirun not found (Debian: openmpi-bin)"
    exit 0
fi
: "${FLOWSIM:?}" "${FLOWSIM_SOURCE_DIR:?}"
src=$FLOWSIM_SOURCE_DIR
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# one thread per rank: the ranks already oversubscribe the cores
export FLOWSIM_THREADS=1
mpi=(mpirun --oversubscribe --allow-run-as-root)
n_test=0
failed=0

ok() { n_test=$((n_test + 1)); echo "ok $n_test - $*"; }
not_ok() { n_test=$((n_test + 1)); failed=1; echo "not ok $n_test - $*"; }

# make_edges FILE: an edge list of 20,000 lines drawn by a fixed Lehmer generator (about 9,800
# users, 14,000 friendships), ids small, large and negative met first on any rank, repeats,
# self-loops, comments, blank lines, CRLF; a byte order mark first and no final newline
make_edges() {
    awk 'BEGIN {
        x = 12345; printf "\357\273\277# drawn by mpi-identity.sh\n"
        for (i = 0; i < 20000; i++) {
            for (j = 0; j < 2; j++) {
                x = (x * 16807) % 2147483647; k = x % 4
                id[j] = k == 0 ? x % 60 : k == 1 ? x % 5000 : k == 2 ? -(x % 300) : x * 4096 + 7
            }
            x = (x * 16807) % 2147483647; k = x % 16
            if (k == 0) printf "# a comment\n"
            else if (k == 1) printf "\n"
            else if (k == 2) printf "%.0f\t%.0f # a self-loop\r\n", id[0], id[0]
            else printf "%.0f %.0f%s", id[0], id[1], i < 19999 ? "\n" : ""
        }
    }' >"$1"
}
