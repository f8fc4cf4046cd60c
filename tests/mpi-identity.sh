#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mpi-identity.sh: `mpirun -np N flowsim run` gives the bytes of `flowsim run` for N = 1 .. 4
# (docs/scaling.md): every bundled scenario, random generated populations, an imported edge
# list, the three report formats; a bad input is reported once with the usual status.
#
#   tests/mpi-identity.sh HAVE_MPI   (meson passes 1 or 0; FLOWSIM and FLOWSIM_SOURCE_DIR set)
# Skips (TAP "1..0 # SKIP", exit 0) when flowsim was built without MPI or mpirun is missing.
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

# identical NAME ARGS...: flowsim run ARGS, then under 1 .. 4 ranks, byte for byte
identical() {
    local name=$1
    shift
    if ! "$FLOWSIM" run -q "$@" >"$tmp/one" 2>"$tmp/one.err"; then
        not_ok "$name: the single process failed: $(head -c 300 "$tmp/one.err")"
        return
    fi
    for n in 1 2 3 4; do
        if ! timeout 300 "${mpi[@]}" -np "$n" "$FLOWSIM" run -q "$@" >"$tmp/mpi" 2>"$tmp/mpi.err"; then
            not_ok "$name, $n ranks: failed: $(head -c 300 "$tmp/mpi.err")"
        elif ! cmp -s "$tmp/one" "$tmp/mpi"; then
            not_ok "$name, $n ranks: the report differs"
            diff "$tmp/one" "$tmp/mpi" | head -20 | sed 's/^/# /'
        else
            ok "$name, $n ranks: $(wc -c <"$tmp/mpi") bytes as one process"
        fi
    done
}

for s in "$src"/scenarios/*.json; do
    name=$(basename "$s" .json)
    case $name in
    cambridge-analytica-2014) # 200,000 users: 16 s alone; a tenth keeps the suite short
        identical "$name (20,000 users)" "$s" --set population.users=20000 ;;
    *) identical "$name" "$s" ;;
    esac
done

# the other formats: every count is in the JSON
identical "tour, json" "$src/scenarios/tour.json" --format json
identical "device-partners-2018, csv" "$src/scenarios/device-partners-2018.json" --format csv

# random populations from a fixed list of seeds (reproducible): every generator, user counts
# that are not multiples of the 64-user lanes, fewer users than ranks, no friends at all
generators=(erdos_renyi facebook_like barabasi_albert watts_strogatz)
RANDOM=17
for i in 1 2 3 4 5 6; do
    gen=${generators[$((i % 4))]}
    users=$((RANDOM % 3000 + 1))
    degree=$((RANDOM % 40))
    [ "$degree" -ge "$users" ] && degree=$((users - 1))
    seed=$RANDOM
    identical "random $i: $gen, $users users, mean $degree, seed $seed" \
        "$src/scenarios/device-partners-2018.json" --set population.generator="$gen" \
        --set population.users="$users" --set population.mean_degree="$degree" --set seed="$seed"
done
identical "3 users on up to 4 ranks" "$src/scenarios/graph-api-v1-2013.json" \
    --set population.users=3 --set population.mean_degree=2
identical "no friendships" "$src/scenarios/graph-api-v1-2013.json" \
    --set population.mean_degree=0

# more than 64 partners (three partner words per set), with onward sharing between them
if command -v python3 >/dev/null 2>&1; then
    python3 - "$src/scenarios/tour.json" >"$tmp/many.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
base = {p["id"]: p for p in d["partners"]}
for i in range(140):
    p = json.loads(json.dumps(base["quiz" if i % 2 else "phoneco"]))
    p.update(id="p%03d" % i, name="Partner %03d" % i, tags=["many"])
    if i % 3 == 0:
        p["shares"] = [{"with": "p%03d" % ((i + 7) % 140), "fields": ["identity", "profile.likes"]}]
    d["partners"].append(p)
d.pop("expect", None)
d["population"] = {"generator": "facebook_like", "users": 3000, "mean_degree": 20,
                   "settings": {"platform_off": 0.05, "audience": {"*": {
                       "friends": 0.6, "friends_of_friends": 0.2, "public": 0.2}}},
                   "adoption": {"tag:many": 0.02, "quiz": 0.01}}
json.dump(d, sys.stdout, indent=1)
PY
    identical "143 partners" "$tmp/many.json"
fi

# an imported edge list (SNAP style)
identical "imported edge list" "$src/tests/data/scale/import-edges.json"

# a bad input: the single process's message, once, and its status (3), on every rank count
bad="$src/tests/data/errors/import-file-missing.json"
"$FLOWSIM" run -q "$bad" >/dev/null 2>"$tmp/one.err"
want=$?
for n in 1 3; do
    "${mpi[@]}" -np "$n" "$FLOWSIM" run -q "$bad" >"$tmp/mpi" 2>"$tmp/mpi.err"
    got=$?
    if [ "$want" = 3 ] && [ "$got" = 3 ] && [ ! -s "$tmp/mpi" ] &&
        grep -qxF "$(cat "$tmp/one.err")" "$tmp/mpi.err" &&
        [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = 1 ]; then
        ok "bad input, $n ranks: status 3, one message: $(head -c 120 "$tmp/one.err")"
    else
        not_ok "bad input, $n ranks: status $got (one process: $want)"
        sed 's/^/# /' "$tmp/mpi.err" | head -10
    fi
done

# commands other than run refuse to run over several ranks, once
"${mpi[@]}" -np 2 "$FLOWSIM" population "$src/scenarios/tour.json" >"$tmp/mpi" 2>"$tmp/mpi.err"
got=$?
if [ "$got" = 2 ] && [ "$(grep -c "only 'flowsim run' runs over MPI ranks" "$tmp/mpi.err")" = 1 ]; then
    ok "population over 2 ranks: a usage error, once"
else
    not_ok "population over 2 ranks: status $got"
    sed 's/^/# /' "$tmp/mpi.err" | head -10
fi

echo "1..$n_test"
exit $failed
