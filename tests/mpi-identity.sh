#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mpi-identity.sh: `mpirun -np N flowsim run|timeline|check|population` gives the bytes of one
# process for N = 1 .. 4 (docs/scaling.md): every bundled scenario, random generated populations,
# an imported edge list, every output format; a bad input is reported once with the usual status.
#
#   tests/mpi-identity.sh HAVE_MPI   (meson passes 1 or 0; FLOWSIM and FLOWSIM_SOURCE_DIR set)
# Skips (TAP "1..0 # SKIP", exit 0) when flowsim was built without MPI or mpirun is missing.
# shellcheck source=tests/mpi-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/mpi-lib.sh"

# identical NAME ARGS...: flowsim run ARGS, then under $ranks ranks (default 1 .. 4), byte for
# byte. To stay short (run and timeline took 9 min 48 s on a machine at load 18), the cases
# below each take two rank counts in turn (1 and 3, then 2 and 4), so that every count meets
# every kind of case.
ranks="1 2 3 4"
identical() {
    local name=$1
    shift
    identical_cmd run "$name" -q "$@"
}

# identical_cmd COMMAND NAME ARGS...: the same for any command, whose status (0, or 1 for
# failed expectations) must be the single process's too
identical_cmd() {
    local cmd=$1 name=$2 want got
    shift 2
    "$FLOWSIM" "$cmd" "$@" >"$tmp/one" 2>"$tmp/one.err"
    want=$?
    if [ "$want" -gt 1 ]; then
        not_ok "$name: the single process failed: $(head -c 300 "$tmp/one.err")"
        return
    fi
    for n in $ranks; do
        timeout 300 "${mpi[@]}" -np "$n" "$FLOWSIM" "$cmd" "$@" >"$tmp/mpi" 2>"$tmp/mpi.err"
        got=$?
        if [ "$got" != "$want" ]; then
            not_ok "$name, $n ranks: status $got, not $want: $(head -c 300 "$tmp/mpi.err")"
        elif ! cmp -s "$tmp/one" "$tmp/mpi"; then
            not_ok "$name, $n ranks: the output differs"
            diff "$tmp/one" "$tmp/mpi" | head -20 | sed 's/^/# /'
        else
            ok "$name, $n ranks: $(wc -c <"$tmp/mpi") bytes as one process"
        fi
    done
}

# same_error COMMAND NAME WANT ARGS...: the single process's error (status WANT), said once by the
# ranks
same_error() {
    local cmd=$1 name=$2 want=$3 got
    shift 3
    "$FLOWSIM" "$cmd" "$@" >/dev/null 2>"$tmp/one.err"
    got=$?
    if [ "$got" != "$want" ]; then
        not_ok "$name: the single process gave status $got, not $want"
        return
    fi
    for n in 2 3; do
        "${mpi[@]}" -np "$n" "$FLOWSIM" "$cmd" "$@" >"$tmp/mpi" 2>"$tmp/mpi.err"
        got=$?
        if [ "$got" = "$want" ] && [ ! -s "$tmp/mpi" ] &&
            [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = "$(grep -c '^flowsim: error:' "$tmp/one.err")" ] &&
            grep -qxF "$(grep -m1 '^flowsim: error:' "$tmp/one.err")" "$tmp/mpi.err"; then
            ok "$name, $n ranks: status $want, once: $(grep -m1 '^flowsim: error:' "$tmp/mpi.err" | head -c 150)"
        else
            not_ok "$name, $n ranks: status $got (one process: $want)"
            sed 's/^/# /' "$tmp/mpi.err" | head -10
        fi
    done
}

turn=0
alternate() {
    turn=$((1 - turn))
    if [ $turn = 1 ]; then ranks="1 3"; else ranks="2 4"; fi
}

for s in "$src"/scenarios/*.json; do
    name=$(basename "$s" .json)
    alternate
    case $name in
    cambridge-analytica-2014) # 200,000 users: 16 s alone; a tenth keeps the suite short
        identical "$name (20,000 users)" "$s" --set population.users=20000 ;;
    *) identical "$name" "$s" ;;
    esac
done

# the other formats: every count is in the JSON
alternate
identical "tour, json" "$src/scenarios/tour.json" --format json
alternate
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
    alternate
    identical "random $i: $gen, $users users, mean $degree, seed $seed" \
        "$src/scenarios/device-partners-2018.json" --set population.generator="$gen" \
        --set population.users="$users" --set population.mean_degree="$degree" --set seed="$seed"
done
ranks="1 2 3 4"
identical "3 users on up to 4 ranks" "$src/scenarios/graph-api-v1-2013.json" \
    --set population.users=3 --set population.mean_degree=2
alternate
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
    alternate
    identical "143 partners" "$tmp/many.json"
fi

# facebook_like generated by parts (graph/fblike-part.c): 40,000 users, so that the ranks cut
# its blocks of 16,384 users and its chunks of communities, and a cap that saturates users
ranks="3 4"
identical "facebook_like by parts, 40,000 users" "$src/scenarios/device-partners-2018.json" \
    --set population.users=40000 --set population.mean_degree=20 --set population.max_degree=30

# a focus (--partner, --field, --jurisdiction): the same lane entries counted on every rank
alternate
identical "focus: --partner huawei" "$src/scenarios/device-partners-2018.json" --partner huawei
alternate
identical "focus: --partner tag:china --field 'profile.*', json" \
    "$src/scenarios/device-partners-2018.json" --partner tag:china --field 'profile.*' --format json
alternate
identical "focus: --jurisdiction device, csv" "$src/scenarios/device-partners-2018.json" \
    --jurisdiction device --format csv
# a focus that selects nothing: the single process's usage error, once
"$FLOWSIM" run -q "$src/scenarios/tour.json" --partner nosuch >/dev/null 2>"$tmp/one.err"
want=$?
"${mpi[@]}" -np 2 "$FLOWSIM" run -q "$src/scenarios/tour.json" --partner nosuch >"$tmp/mpi" \
    2>"$tmp/mpi.err"
got=$?
if [ "$want" = 2 ] && [ "$got" = 2 ] && [ ! -s "$tmp/mpi" ] &&
    [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = 1 ] &&
    grep -qxF "$(head -1 "$tmp/one.err")" "$tmp/mpi.err"; then
    ok "focus selecting nothing, 2 ranks: status 2, one message: $(head -1 "$tmp/one.err")"
else
    not_ok "focus selecting nothing, 2 ranks: status $got (one process: $want)"
    sed 's/^/# /' "$tmp/mpi.err" | head -10
fi

# erdos_renyi generated by parts (graph/gnm.c): 40,000 users, so that the ranks cut its blocks
# of 16,384 rows and send pairs to the ranks above
ranks="2 3"
identical "erdos_renyi by parts, 40,000 users" "$src/scenarios/device-partners-2018.json" \
    --set population.generator=erdos_renyi --set population.users=40000 \
    --set population.mean_degree=20

# watts_strogatz generated by parts (graph/ws.c): 40,000 users, moves sent to the other ranks
# both ways, pairs joined from both ends drawn again, the ring across 39,999 .. 0
ranks="2 4"
identical "watts_strogatz by parts, 40,000 users" "$src/scenarios/device-partners-2018.json" \
    --set population.generator=watts_strogatz --set population.users=40000 \
    --set population.mean_degree=20 --set population.rewire=0.3

# barabasi_albert by parts (graph/ba.c): every rank replays the whole process and keeps the
# friendships of its users (hubs on rank 0)
ranks="3 4"
identical "barabasi_albert by parts, 40,000 users" "$src/scenarios/device-partners-2018.json" \
    --set population.generator=barabasi_albert --set population.users=40000 \
    --set population.mean_degree=20

# facebook_like with clustered adoption, by parts: each rank marks its users of the
# communities each partner's order visits
ranks="2 4"
identical "clustered adoption by parts, 40,000 users" "$src/scenarios/device-partners-2018.json" \
    --set population.adoption_model=clustered --set population.users=40000

# an imported edge list (SNAP style)
ranks="1 2 3 4"
identical "imported edge list" "$src/tests/data/scale/import-edges.json"

# an edge list read by byte ranges (graph/import-part.c): 20,000 lines (mpi-lib.sh)
make_edges "$tmp/edges.txt"
edges=(--set population.import.file="$tmp/edges.txt")
identical "edge list by byte ranges, 20,000 lines" "$src/tests/data/scale/import-edges.json" \
    "${edges[@]}"

# clustered adoption without communities: the ranks grow the friendship clusters together, one
# breadth-first level at a time (population-cluster.c); quiz at 37 %, so that the last cluster
# visited is cut short. The first 5,000 lines of the file above (each level is two collectives)
head -n 5000 "$tmp/edges.txt" >"$tmp/edges5k.txt"
ranks="2 3"
identical "clustered adoption of an imported edge list" "$src/tests/data/scale/import-edges.json" \
    --set population.import.file="$tmp/edges5k.txt" --set population.adoption_model=clustered \
    --set population.adoption.quiz=0.37
ranks="3"
identical "clustered adoption of erdos_renyi by parts, 3,000 users" \
    "$src/scenarios/device-partners-2018.json" --set population.generator=erdos_renyi \
    --set population.users=3000 --set population.mean_degree=10 \
    --set population.adoption_model=clustered
identical "clustered adoption of watts_strogatz by parts, 3,000 users" \
    "$src/scenarios/device-partners-2018.json" --set population.generator=watts_strogatz \
    --set population.users=3000 --set population.mean_degree=10 \
    --set population.adoption_model=clustered

# a bad line in it (at three quarters of the file, so that a rank above 0 finds it, and a second
# one after it): the single process's FILE:LINE:COL message, once, and its status, on 1 .. 4 ranks
awk 'NR == 15000 { print "17 x" } NR == 19000 { print "1 2 3" } { print }' "$tmp/edges.txt" \
    >"$tmp/bad-edges.txt"
badedges=(--set population.import.file="$tmp/bad-edges.txt")
"$FLOWSIM" run -q "$src/tests/data/scale/import-edges.json" "${badedges[@]}" >/dev/null \
    2>"$tmp/one.err"
want=$?
for n in 1 2 3 4; do
    "${mpi[@]}" -np "$n" "$FLOWSIM" run -q "$src/tests/data/scale/import-edges.json" \
        "${badedges[@]}" >"$tmp/mpi" 2>"$tmp/mpi.err"
    got=$?
    if [ "$want" = 3 ] && [ "$got" = 3 ] && [ ! -s "$tmp/mpi" ] &&
        grep -q ':15000:4: expected a user id' "$tmp/one.err" &&
        [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = 1 ] &&
        [ "$(grep '^flowsim: error:' "$tmp/mpi.err")" = "$(cat "$tmp/one.err")" ]; then
        ok "bad edge list, $n ranks: status 3, one message as one process: $(head -c 160 "$tmp/one.err" | sed "s|$tmp/||")"
    else
        not_ok "bad edge list, $n ranks: status $got (one process: $want)"
        sed 's/^/# /' "$tmp/one.err" "$tmp/mpi.err" | head -10
    fi
done

# the limit of 256 MiB is on what one process reads of a file: one process refuses a 300 MiB
# edge list, 2 ranks read it, 150 MiB each (a sparse file of NUL bytes with a line end every
# MiB, so that each rank reads its part and the first line is the error), and refuse 600 MiB
truncate -s 300M "$tmp/big.txt" && truncate -s 600M "$tmp/bigger.txt"
for i in $(seq 1 299); do printf '\n' | dd of="$tmp/big.txt" bs=1 seek=$((i << 20)) conv=notrunc \
    status=none; done
big=("$src/tests/data/scale/import-edges.json" --set population.import.file="$tmp/big.txt")
"$FLOWSIM" run -q "${big[@]}" >/dev/null 2>"$tmp/one.err"
want=$?
"${mpi[@]}" -np 2 "$FLOWSIM" run -q "${big[@]}" >"$tmp/mpi" 2>"$tmp/mpi.err"
got=$?
if [ "$want" = 3 ] && grep -q "holds 314572800 bytes, more than the limit of 268435456 bytes for one file; for an edge list you trust, --max-graph-size SIZE raises it" "$tmp/one.err" &&
    [ "$got" = 3 ] && [ ! -s "$tmp/mpi" ] && [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = 1 ] &&
    grep -q "big.txt:1:1: expected a user id (an integer), found a NUL byte" "$tmp/mpi.err"; then
    ok "a 300 MiB edge list: refused by one process, read by 2 ranks, 150 MiB each: $(grep '^flowsim: error:' "$tmp/mpi.err" | sed "s|$tmp/||")"
else
    not_ok "a 300 MiB edge list: one process status $want, 2 ranks status $got"
    sed 's/^/# /' "$tmp/one.err" "$tmp/mpi.err" | head -10
fi
"${mpi[@]}" -np 2 "$FLOWSIM" run -q "$src/tests/data/scale/import-edges.json" \
    --set population.import.file="$tmp/bigger.txt" >"$tmp/mpi" 2>"$tmp/mpi.err"
got=$?
if [ "$got" = 3 ] && [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = 1 ] &&
    grep -q "holds 629145600 bytes, more than the limit of 536870912 bytes for one file; each of the 2 processes reads its part, at most 268435456 bytes: more ranks read more, and for an edge list you trust --max-graph-size SIZE raises what each reads" "$tmp/mpi.err"; then
    ok "a 600 MiB edge list on 2 ranks: refused by its size, 256 MiB a rank"
else
    not_ok "a 600 MiB edge list on 2 ranks: status $got"
    sed 's/^/# /' "$tmp/mpi.err" | head -10
fi
# --max-graph-size 300MiB lets 2 ranks take it by its size; but it is one line, which rank 0
# would read alone: refused by that part
"${mpi[@]}" -np 2 "$FLOWSIM" run -q "$src/tests/data/scale/import-edges.json" --max-graph-size 300MiB \
    --set population.import.file="$tmp/bigger.txt" >"$tmp/mpi" 2>"$tmp/mpi.err"
got=$?
if [ "$got" = 3 ] && [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = 1 ] &&
    grep -q "bytes 0 .. 629145600 of '$tmp/bigger.txt', this process's part of its 629145600 bytes, are more than the limit of 314572800 bytes that one process reads of one file" "$tmp/mpi.err"; then
    ok "a 600 MiB edge list of one line on 2 ranks with --max-graph-size 300MiB: refused by rank 0's part"
else
    not_ok "a 600 MiB edge list of one line, --max-graph-size 300MiB: status $got"
    sed 's/^/# /' "$tmp/mpi.err" | head -10
fi
rm -f "$tmp/big.txt" "$tmp/bigger.txt"

# --max-graph-size SIZE on real bytes: 3,000 friendships in two halves around 300 MiB of comment
# lines (613,000 of 513 bytes). One process refuses it by default and, with --max-graph-size 320MiB, gives the report
# 2 ranks give by default (150 MiB each); lowered to 16KiB, the 3,000 lines alone (27 KB) are
# refused by one process and read by 2 and 3 ranks, the bytes of one process's report
awk 'BEGIN { for (i = 1; i <= 3000; i++) print (i * 7919) % 2000, (i * 104729 + 13) % 1999 }' \
    >"$tmp/lines.txt"
{
    head -n 1500 "$tmp/lines.txt"
    yes "# $(printf '%0510d' 0)" | head -n 613000
    tail -n 1500 "$tmp/lines.txt"
} >"$tmp/padded.txt"
pad=("$src/tests/data/scale/import-edges.json" --set population.import.file="$tmp/padded.txt")
"$FLOWSIM" run -q "${pad[@]}" >/dev/null 2>"$tmp/one.err"
want=$?
"$FLOWSIM" run -q "${pad[@]}" --max-graph-size 320MiB >"$tmp/one" 2>>"$tmp/one.err"
one=$?
"${mpi[@]}" -np 2 "$FLOWSIM" run -q "${pad[@]}" >"$tmp/mpi" 2>"$tmp/mpi.err"
got=$?
if [ "$want" = 3 ] && grep -q "more than the limit of 268435456 bytes for one file; for an edge list you trust, --max-graph-size SIZE raises it" "$tmp/one.err" &&
    [ "$one" = 0 ] && [ "$got" = 0 ] && grep -q "Friendships  *2,997" "$tmp/one" && cmp -s "$tmp/one" "$tmp/mpi"; then
    ok "a 300 MiB edge list: refused by one process, read by it with --max-graph-size 320MiB, the bytes 2 ranks give"
else
    not_ok "a 300 MiB edge list, --max-graph-size 320MiB: one process status $want then $one, 2 ranks $got"
    sed 's/^/# /' "$tmp/one.err" "$tmp/mpi.err" | head -10
    diff "$tmp/one" "$tmp/mpi" | head -10 | sed 's/^/# /'
fi
rm -f "$tmp/padded.txt"
lines=("$src/tests/data/scale/import-edges.json" --set population.import.file="$tmp/lines.txt")
"$FLOWSIM" run -q "${lines[@]}" >"$tmp/one" 2>"$tmp/one.err"
"$FLOWSIM" run -q "${lines[@]}" --max-graph-size 16KiB >/dev/null 2>"$tmp/one.err"
want=$?
if [ "$want" = 3 ] && grep -q "more than the limit of 16384 bytes for one file" "$tmp/one.err"; then
    ok "an edge list of 27 KB, --max-graph-size 16KiB: refused by one process"
else
    not_ok "an edge list of 27 KB, --max-graph-size 16KiB: one process status $want"
    sed 's/^/# /' "$tmp/one.err" | head -5
fi
for n in 2 3; do
    "${mpi[@]}" -np "$n" "$FLOWSIM" run -q "${lines[@]}" --max-graph-size 16KiB >"$tmp/mpi" \
        2>"$tmp/mpi.err"
    got=$?
    if [ "$got" = 0 ] && cmp -s "$tmp/one" "$tmp/mpi"; then
        ok "an edge list of 27 KB, --max-graph-size 16KiB, $n ranks: one process's $(wc -c <"$tmp/mpi") bytes"
    else
        not_ok "an edge list of 27 KB, --max-graph-size 16KiB, $n ranks: status $got"
        sed 's/^/# /' "$tmp/mpi.err" | head -5
    fi
done

# a snapshot, read by parts (fsim_population_slice_load): each rank checks and copies only the
# chunks of its users
"$FLOWSIM" population -q "$src/scenarios/device-partners-2018.json" \
    --set population.users=20000 --save "$tmp/snap.fsp" >/dev/null 2>&1
snap=(--set population.users=20000 --set "population.snapshot=$tmp/snap.fsp")
ranks="1 2 3 4"
identical "a snapshot, read by parts" "$src/scenarios/device-partners-2018.json" "${snap[@]}"

# a damaged snapshot: the single process's message on every rank count. Two bytes are
# changed: one in the platform settings of user 1 (rank 0's part, late in the file) and one in
# the friend lists at four fifths of them (the last rank's part, earlier in the file): one
# process names the friend lists' chunk first, and so must the ranks, which each saw only one.
# section_offset KIND: where the section of that kind starts (docs/format.md's table)
section_offset() {
    local n i k
    n=$(od -An -tu4 -j80 -N4 "$tmp/snap.fsp")
    for ((i = 0; i < n; i++)); do
        k=$(od -An -tu4 -j$((128 + 32 * i)) -N4 "$tmp/snap.fsp")
        if [ "$k" -eq "$1" ]; then
            od -An -tu8 -j$((128 + 32 * i + 8)) -N8 "$tmp/snap.fsp" | tr -d ' '
            return
        fi
    done
}
adj=$(section_offset 5) platform=$(section_offset 7)
cp "$tmp/snap.fsp" "$tmp/bad.fsp"
printf '\377' | dd of="$tmp/bad.fsp" bs=1 seek=$((platform + 1)) conv=notrunc 2>/dev/null
printf '\377' | dd of="$tmp/bad.fsp" bs=1 seek=$((adj + (platform - adj) * 4 / 5)) \
    conv=notrunc 2>/dev/null
damaged=(--set population.users=20000 --set "population.snapshot=$tmp/bad.fsp")
"$FLOWSIM" run -q "$src/scenarios/device-partners-2018.json" "${damaged[@]}" >/dev/null \
    2>"$tmp/one.err"
want=$?
for n in 1 2 3 4; do
    "${mpi[@]}" -np "$n" "$FLOWSIM" run -q "$src/scenarios/device-partners-2018.json" \
        "${damaged[@]}" >"$tmp/mpi" 2>"$tmp/mpi.err"
    got=$?
    if [ "$want" = 3 ] && [ "$got" = 3 ] && [ ! -s "$tmp/mpi" ] &&
        grep -q 'corrupt data: the checksum of bytes .* (friend lists)' "$tmp/one.err" &&
        grep -qxF "$(cat "$tmp/one.err")" "$tmp/mpi.err" &&
        [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = 1 ]; then
        ok "damaged snapshot, $n ranks: status 3, the single process's message: $(head -c 120 "$tmp/one.err")"
    else
        not_ok "damaged snapshot, $n ranks: status $got (one process: $want)"
        sed 's/^/# /' "$tmp/one.err" "$tmp/mpi.err" | head -10
    fi
done

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

# a rank out of memory, or its allocations failed in turn: tests/mpi-faults.sh

# ---- flowsim timeline: one halo, traced at every date that needs it ----
for s in "$src"/scenarios/*.json; do
    name=$(basename "$s" .json)
    alternate
    case $name in
    cambridge-analytica-2014)
        identical_cmd timeline "timeline $name (20,000 users)" "$s" --from 2012-01-01 \
            --to 2019-01-01 --step 6m --set population.users=20000 ;;
    *) identical_cmd timeline "timeline $name" "$s" --from 2012-01-01 --to 2019-01-01 --step 6m ;;
    esac
done
dp="$src/scenarios/device-partners-2018.json"
ranks="1 2 3 4"
identical_cmd timeline "timeline, json, per partner" "$dp" --from 2017-01-01 --to 2019-01-01 \
    --step 1m --format json --series partner:huawei,tag:china
alternate
identical_cmd timeline "timeline, svg" "$dp" --from 2013-01-01 --to 2019-01-01 --step 3m \
    --format svg
alternate
identical_cmd timeline "timeline, svg, focus --partner tag:china" "$dp" --from 2017-01-01 \
    --to 2019-01-01 --step 2m --format svg --partner tag:china
alternate
identical_cmd timeline "timeline, focus --field 'profile.*' --jurisdiction device" "$dp" \
    --from 2017-01-01 --to 2019-01-01 --step 3m --field 'profile.*' --jurisdiction device
ranks="1 2 3 4"
identical_cmd timeline "timeline, 3 users on up to 4 ranks" "$src/scenarios/graph-api-v1-2013.json" \
    --from 2013-01-01 --to 2016-01-01 --set population.users=3 --set population.mean_degree=2
ranks="3 4"
identical_cmd timeline "timeline, facebook_like by parts, 40,000 users" "$dp" \
    --from 2017-06-01 --to 2019-01-01 --step 3m --set population.users=40000 \
    --set population.mean_degree=20
alternate
identical_cmd timeline "timeline, imported edge list" "$src/tests/data/scale/import-edges.json" \
    --from 2013-01-01 --to 2019-01-01
# the errors: too many dates (found after the population is built: status 2), a bad input (3)
same_error timeline "timeline, more than 2,000 dates" 2 "$dp" --from 2000-01-01 --to 2019-01-01 \
    --step 1d
same_error timeline "timeline, bad input" 3 "$src/tests/data/errors/import-file-missing.json" \
    --from 2013-01-01 --to 2019-01-01
same_error timeline "timeline, --series selecting nothing" 2 "$dp" --from 2013-01-01 \
    --to 2019-01-01 --format svg --series partner:nosuch
# checked before the population is built, as by one process: the import's missing file is not
# reached (before, the ranks built the population first and said so, status 3)
same_error timeline "timeline, --series before the population" 2 \
    "$src/tests/data/scale/import-edges.json" --set population.import.file=nope.txt \
    --from 2013-01-01 --to 2019-01-01 --format svg --series partner:nosuch

# the memory check judges each rank against its share of the machine: the ranks of one node
# divide its memory (and FLOWSIM_MEMORY_LIMIT, the job's cap on this machine) among them
FLOWSIM_MEMORY_LIMIT=1200M FLOWSIM_MPI_STATS=1 "${mpi[@]}" -np 1 "$FLOWSIM" run -q \
    "$src/scenarios/tour.json" >/dev/null 2>"$tmp/stats1"
FLOWSIM_MEMORY_LIMIT=1200M FLOWSIM_MPI_STATS=1 "${mpi[@]}" -np 3 "$FLOWSIM" run -q \
    "$src/scenarios/tour.json" >/dev/null 2>"$tmp/stats3"
one=$(awk '$1 == 0 { print $10 }' "$tmp/stats1")
three=$(awk '$1 ~ /^[0-9]+$/ { print $10 }' "$tmp/stats3" | sort -u)
if [ "$one" = $((1200 << 20)) ] && [ "$three" = $((400 << 20)) ]; then
    ok "memory limit per rank: $one bytes alone, $three on each of 3 ranks"
else
    not_ok "memory limit per rank: '$one' alone (want $((1200 << 20))), '$three' on 3 ranks (want $((400 << 20)))"
fi
# barabasi_albert by parts (graph/ba.c: every rank replays the process, keeps its rows),
# estimated at 0.2 GiB whole: under a cap of 400 MB each rank's part fits (1, 2 and 4 ranks);
# under 100 MB neither one process nor a quarter of it on each of 4 ranks (a quarter of the cap)
# fits, refused once naming the rank's share
ba=("$src/scenarios/device-partners-2018.json" --set population.generator=barabasi_albert
    --set population.users=200000 --set population.mean_degree=20)
ranks="1 2 4"
FLOWSIM_MEMORY_LIMIT=400M identical "barabasi_albert by parts under 400 MB" "${ba[@]}"
FLOWSIM_MEMORY_LIMIT=100M "${mpi[@]}" -np 4 "$FLOWSIM" run -q "${ba[@]}" >"$tmp/mpi" 2>"$tmp/mpi.err"
got=$?
if [ "$got" = 3 ] && [ ! -s "$tmp/mpi" ] && [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = 1 ] &&
    grep -q "more than this process's share of FLOWSIM_MEMORY_LIMIT (1 of the 4 processes on this machine) allows" \
        "$tmp/mpi.err"; then
    ok "barabasi_albert under 100 MB, 4 ranks: refused once: $(grep '^flowsim: error:' "$tmp/mpi.err" | head -c 200)"
else
    not_ok "barabasi_albert under 100 MB, 4 ranks: status $got"
    sed 's/^/# /' "$tmp/mpi.err" | head -10
fi

# the loader's check of the scenario's JSON values (416 in tour.json, about 70 kB to load)
# judges each rank against its share too, and says so: 100K fits one process, not 2 ranks
FLOWSIM_MEMORY_LIMIT=100K "$FLOWSIM" run -q "$src/scenarios/tour.json" >/dev/null 2>&1
one=$?
FLOWSIM_MEMORY_LIMIT=100K "${mpi[@]}" -np 2 "$FLOWSIM" run -q "$src/scenarios/tour.json" \
    >"$tmp/mpi" 2>"$tmp/mpi.err"
got=$?
if [ "$one" = 0 ] && [ "$got" = 3 ] && [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = 1 ] &&
    grep -q "JSON values, .* more than this process's share of FLOWSIM_MEMORY_LIMIT (1 of the 2 processes on this machine) allows" \
        "$tmp/mpi.err"; then
    ok "tour.json under 100K, 2 ranks: refused once: $(grep '^flowsim: error:' "$tmp/mpi.err" | head -c 260 | sed "s|$src/||")"
else
    not_ok "tour.json under 100K: status $one on 1 rank (want 0), $got on 2 (want 3, the share named)"
    sed 's/^/# /' "$tmp/mpi.err" | head -10
fi

# refused_on_2 NAME LIMIT WANT ARGS...: `flowsim run ARGS` on 2 ranks under FLOWSIM_MEMORY_LIMIT
# LIMIT is refused once, status 3, its one message holding WANT (a fixed string)
refused_on_2() {
    local name=$1 limit=$2 want=$3 got
    shift 3
    FLOWSIM_MEMORY_LIMIT=$limit "${mpi[@]}" -np 2 "$FLOWSIM" run -q "$@" >"$tmp/mpi" 2>"$tmp/mpi.err"
    got=$?
    if [ "$got" = 3 ] && [ ! -s "$tmp/mpi" ] &&
        [ "$(grep -c '^flowsim: error:' "$tmp/mpi.err")" = 1 ] && grep -qF "$want" "$tmp/mpi.err"; then
        ok "$name: refused once: $(grep '^flowsim: error:' "$tmp/mpi.err" | sed "s|$tmp/||; s|$src/||")"
    else
        not_ok "$name: status $got (want 3 and '$want')"
        sed 's/^/# /' "$tmp/mpi.err" | head -10
    fi
}

# an edge list read by parts is checked rank by rank for its part of the file (twice its bytes)
# and of the population, against its share: 20,000 friendships of 2,000 users with 19-digit ids
# (800,000 bytes; one process's import of the whole file is checked for 3.5 times that, 2.8 MB)
# fit one process under 3000K, and each of 2 and 4 ranks (reading 400,000 and 200,000 bytes
# with 1500K and 750K), where the whole file's check refused them; under 1500K, 2 ranks (750K
# each) are refused once, the part named
awk 'BEGIN {
    x = 777
    for (i = 0; i < 20000; i++) {
        x = (x * 16807) % 2147483647; a = x % 2000
        x = (x * 16807) % 2147483647; b = x % 2000
        printf "1000000%012d 1000000%012d\n", a * 7919, b * 7919
    }
}' >"$tmp/wide-ids.txt"
wide=("$src/tests/data/scale/import-edges.json" --set population.import.file="$tmp/wide-ids.txt")
ranks="2 4"
FLOWSIM_MEMORY_LIMIT=3000K identical "edge list of 800,000 bytes under 3000K, read by parts" \
    "${wide[@]}"
refused_on_2 "edge list of 800,000 bytes under 1500K, 2 ranks" 1500K \
    "out of memory: reading bytes 0 .. 400000 of '$tmp/wide-ids.txt', this process's part of its 800000 bytes, needs about twice that, 800000 bytes, more than this process's share of FLOWSIM_MEMORY_LIMIT (1 of the 2 processes on this machine) allows (768000 bytes)" \
    "${wide[@]}"

# and its part of the population's estimate: 40,000 users in 20,000 pairs (about 2.6 MB at the
# estimate's peak, the file 0.2 MB) fit one process under 3000K and each of 2 ranks (1500K for
# 20,000 users), where the whole population's estimate refused them; under 2000K, 2 ranks are
# refused once, the part named
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "%d %d\n", 2 * i, 2 * i + 1 }' >"$tmp/pairs.txt"
pairs=("$src/tests/data/scale/import-edges.json" --set population.import.file="$tmp/pairs.txt")
ranks="2 3"
FLOWSIM_MEMORY_LIMIT=3000K identical "edge list of 40,000 users under 3000K, checked by parts" \
    "${pairs[@]}"
refused_on_2 "edge list of 40,000 users under 2000K, 2 ranks" 2000K \
    "a population of 40000 users with 3 fields and 3 partners needs about 1.2 MiB of memory for this process's part of it (20000 users), more than this process's share of FLOWSIM_MEMORY_LIMIT (1 of the 2 processes on this machine) allows (1000.0 KiB)" \
    "${pairs[@]}"

# a help or the version is written once, by rank 0 (every write to stdout is rank 0's): the
# single process's bytes
for args in "timeline --help" "--version"; do
    # shellcheck disable=SC2086
    "$FLOWSIM" $args >"$tmp/one" 2>&1
    # shellcheck disable=SC2086
    "${mpi[@]}" -np 2 "$FLOWSIM" $args >"$tmp/mpi" 2>"$tmp/mpi.err"
    got=$?
    if [ "$got" = 0 ] && [ -s "$tmp/one" ] && cmp -s "$tmp/one" "$tmp/mpi"; then
        ok "flowsim $args over 2 ranks: once, $(wc -l <"$tmp/mpi") lines as one process"
    else
        not_ok "flowsim $args over 2 ranks: status $got, $(wc -l <"$tmp/mpi") lines (one process: $(wc -l <"$tmp/one"))"
    fi
done

# `flowsim check` (docs/scaling.md): each day's counts summed over the ranks, the counterexample
# the lowest global id, explained from its 2-hop neighbourhood gathered from the ranks; the
# report in every format and the status (1: an expectation failed) as one process's
ranks=1
for s in "$src"/scenarios/*.json; do
    grep -q '"expect"' "$s" || continue
    ranks=$((ranks % 4 + 1))
    identical_cmd check "check $(basename "$s" .json)" "$s"
done
# FLOWSIM_MPI_STATS=1: the report unchanged, and rank 0's line per rank (as run's) on stderr:
# the header, then 3 ranks whose users add up to the population's, each with ghosts and bytes
# sent in both hops
FLOWSIM_MPI_STATS=1 "${mpi[@]}" -np 3 "$FLOWSIM" check "$src/scenarios/device-partners-2018.json" \
    --set population.users=3000 >"$tmp/mpi" 2>"$tmp/mpi.err"
got=$?
"$FLOWSIM" check "$src/scenarios/device-partners-2018.json" --set population.users=3000 >"$tmp/one"
want=$?
if [ "$got" = "$want" ] && cmp -s "$tmp/one" "$tmp/mpi" &&
    grep -qx 'rank users ghosts cut_arcs hop1_bytes hop2_bytes engine_bytes peak_rss_kib set_bytes memory_limit' \
        "$tmp/mpi.err" &&
    [ "$(awk 'NF == 10 && $1 ~ /^[0-2]$/ && $3 > 0 && $5 > 0 && $6 > 0 { n++; users += $2 }
        END { print n + 0, users + 0 }' "$tmp/mpi.err")" = "3 3000" ]; then
    ok "check with FLOWSIM_MPI_STATS=1, 3 ranks: the report as one process's, a line per rank"
else
    not_ok "check with FLOWSIM_MPI_STATS=1, 3 ranks: status $got"
    sed 's/^/# /' "$tmp/mpi.err" | head -10
fi
# explicit users (named in the scenario), failing expectations of every kind, every format;
# to stay short (mpirun starts in seconds on a loaded machine), one rank count each, 1 to 4
k=5
for f in text json tap junit; do
    k=$((k - 1))
    ranks=$k
    identical_cmd check "check, failing expectations, explicit users, $f" \
        "$src/tests/data/expect/tour.json" --format "$f"
done
# generated populations where expectations fail: counterexamples that lie on every rank (the
# lowest user of a rarely adopted partner), `reaches`' "why not" users, nothing_after's days
python3 - "$src/scenarios/device-partners-2018.json" >"$tmp/failing.json" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
d["scenario"] = "device-partners-failing"
d["include"] = [os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), i)
                for i in d["include"]]
d["expect"] = [
    {"id": "religion-none-to-china", "kind": "no_flow", "fields": ["profile.religion"],
     "partner": "tag:china", "without_consent": True},
    {"id": "at-most-3-huawei", "kind": "at_most", "count": 3, "partner": "huawei"},
    {"id": "messages-reach-many", "kind": "reaches", "count": 10**9, "fields": ["messages"]},
    {"id": "huawei-after-2012", "kind": "nothing_after", "partner": "huawei",
     "date": "2012-01-01"},
]
for p in ["tobii", "pantech", "blackberry", "qualcomm"]:
    d["expect"].append({"id": "no-messages-" + p, "kind": "no_flow", "fields": ["messages"],
                        "partner": p})
    d["expect"].append({"id": "why-not-" + p, "kind": "reaches", "count": 10**5,
                        "fields": ["identity"], "partner": p})
json.dump(d, sys.stdout, indent=1)
PY
ranks="3 4"
identical_cmd check "check, failing, facebook_like by parts, 3,000 users" "$tmp/failing.json" \
    --set population.users=3000
ranks=2
identical_cmd check "check, failing, erdos_renyi by parts, json" "$tmp/failing.json" \
    --set population.users=2000 --set population.generator=erdos_renyi \
    --set population.mean_degree=30 --format json
ranks=4
identical_cmd check "check, failing, watts_strogatz by parts, junit" "$tmp/failing.json" \
    --set population.users=2000 --set population.generator=watts_strogatz \
    --set population.mean_degree=16 --format junit
ranks="1 3"
identical_cmd check "check, failing, barabasi_albert by parts, tap" "$tmp/failing.json" \
    --set population.users=1500 --set population.generator=barabasi_albert \
    --set population.mean_degree=12 --format tap
# an imported edge list (by byte ranges): counts, failures with counterexamples named by the
# file's ids (graph/import-part.c sends them to their users' ranks), one without (no
# destination in ZZ)
python3 - "$src/tests/data/errors/model.json" "$tmp/edges.txt" >"$tmp/edges-check.json" <<'PY'
import json, sys
print(json.dumps({
    "scenario": "edges-check", "date": "2014-06-01", "include": [sys.argv[1]],
    "population": {"import": {"file": sys.argv[2], "format": "edge_list"},
                   "adoption": {"quiz": 0.01, "broker": 0.002}},
    "expect": [
        {"id": "quiz-at-most-many", "kind": "at_most", "count": 10**9, "partner": "quiz"},
        {"id": "no-quiz", "kind": "no_flow", "partner": "quiz"},
        {"id": "no-broker-birthday", "kind": "no_flow", "partner": "broker",
         "fields": ["profile.birthday"]},
        {"id": "broker-reaches-all", "kind": "reaches", "count": 10**6, "partner": "broker"},
        {"id": "nothing-in-zz", "kind": "reaches", "count": 1, "partner": "quiz",
         "jurisdiction": "ZZ"}]}))
PY
ranks="3 4"
identical_cmd check "check, imported edge list by byte ranges" "$tmp/edges-check.json"
# a snapshot read by parts: each rank carries its users' names from it (explicit users' ids,
# an edge list's ids), so counterexamples are named as one process names them
ranks="2 4"
identical_cmd check "check, a generated snapshot's counterexamples" "$tmp/failing.json" "${snap[@]}"
"$FLOWSIM" population -q "$src/tests/data/expect/tour.json" --save "$tmp/tour.fsp" >/dev/null 2>&1
identical_cmd check "check, a snapshot of explicit users, counterexamples named" \
    "$src/tests/data/expect/tour.json" --set "population.snapshot=$tmp/tour.fsp"
"$FLOWSIM" population -q "$tmp/edges-check.json" --save "$tmp/edges.fsp" >/dev/null 2>&1
identical_cmd check "check, a snapshot of an edge list, counterexamples named by its ids" \
    "$tmp/edges-check.json" --set "population.snapshot=$tmp/edges.fsp"
# the names are the scenario's, not "u<N>" (the identity above would hold for both)
"${mpi[@]}" -np 2 "$FLOWSIM" check "$src/tests/data/expect/tour.json" \
    --set "population.snapshot=$tmp/tour.fsp" >"$tmp/mpi" 2>/dev/null
if grep -Eq "alice|bob|carol|dave" "$tmp/mpi" && ! grep -Eq "\<u[0-9]+\>" "$tmp/mpi"; then
    ok "check, a snapshot of explicit users over 2 ranks: named by their ids"
else
    not_ok "check, a snapshot of explicit users over 2 ranks: not named by their ids"
    head -20 "$tmp/mpi" | sed 's/^/# /'
fi
# a file that cannot be checked: the report's failed case and the error line, status 3, as one
# process (the error said once)
bad="$src/tests/data/errors/import-file-missing.json"
"$FLOWSIM" check "$src/scenarios/tour.json" "$bad" >"$tmp/one" 2>"$tmp/one.err"
want=$?
for n in 2; do
    "${mpi[@]}" -np "$n" "$FLOWSIM" check "$src/scenarios/tour.json" "$bad" >"$tmp/mpi" \
        2>"$tmp/mpi.err"
    got=$?
    if [ "$want" = 3 ] && [ "$got" = 3 ] && cmp -s "$tmp/one" "$tmp/mpi" &&
        [ "$(grep '^flowsim: error:' "$tmp/mpi.err")" = "$(grep '^flowsim: error:' "$tmp/one.err")" ]; then
        ok "check, a file that cannot be checked, $n ranks: status 3, the report and error once"
    else
        not_ok "check, a file that cannot be checked, $n ranks: status $got (one process: $want)"
        sed 's/^/# /' "$tmp/mpi.err" | head -10
    fi
done

# flowsim population over the ranks (graph/stats-part.c: degrees, clustering, components by
# parts; rank 0 writes --save and --export): text and JSON, byte for byte, on a facebook_like and
# an erdos_renyi population generated by parts, the edge list read by byte ranges and the
# snapshot read by parts above (about 50 s on a machine at load 16)
dp=$src/scenarios/device-partners-2018.json
# (5,000 users under the sample of 10,000: clustering measured exactly, over 3 rounds on one rank)
ranks="1 3"
identical_cmd population "population, facebook_like, 5,000 users" -q "$dp" \
    --set population.users=5000
ranks="2 4"
identical_cmd population "population --format json, facebook_like, 5,000 users" -q -f json \
    "$dp" --set population.users=5000
# sparse: 786 components
identical_cmd population "population --format json, erdos_renyi, 5,000 users, exact clustering" \
    -q -f json "$dp" --set population.generator=erdos_renyi --set population.users=5000 \
    --set population.mean_degree=2 --sample 5000
ranks="1 3"
identical_cmd population "population, erdos_renyi, 5,000 users" -q "$dp" \
    --set population.generator=erdos_renyi --set population.users=5000
ranks="2"
identical_cmd population "population, barabasi_albert by parts, 5,000 users" -q "$dp" \
    --set population.generator=barabasi_albert --set population.users=5000
ranks="3"
identical_cmd population "population --format json, watts_strogatz by parts, 5,000 users" -q \
    -f json "$dp" --set population.generator=watts_strogatz --set population.users=5000 \
    --set population.rewire=0.5 --sample 5000
ranks="2 4"
identical_cmd population "population, edge list by byte ranges" -q \
    "$src/tests/data/scale/import-edges.json" "${edges[@]}"
ranks="1 3"
identical_cmd population "population --format json, edge list by byte ranges" -q -f json \
    "$src/tests/data/scale/import-edges.json" "${edges[@]}"
ranks="2"
identical_cmd population "population --format json, a snapshot read by parts" -q -f json \
    "$dp" "${snap[@]}"
ranks="4"
identical_cmd population "population, a snapshot read by parts" -q "$dp" "${snap[@]}"

# files_identical NAME ARGS...: population --save FILE --export DIR under $ranks ranks writes the
# single process's snapshot, friendships.txt and users.tsv, and its description
files_identical() {
    local name=$1 n got
    shift
    "$FLOWSIM" population -q "$@" --save "$tmp/one.fsp" --export "$tmp/one.d" >"$tmp/one" \
        2>"$tmp/one.err"
    if [ $? != 0 ] || [ ! -s "$tmp/one.d/friendships.txt" ] || [ ! -s "$tmp/one.d/users.tsv" ]; then
        not_ok "$name: the single process failed: $(head -c 300 "$tmp/one.err")"
        return
    fi
    for n in $ranks; do
        rm -rf "$tmp/mpi.d" "$tmp/mpi.fsp"
        "${mpi[@]}" -np "$n" "$FLOWSIM" population -q "$@" --save "$tmp/mpi.fsp" \
            --export "$tmp/mpi.d" >"$tmp/mpi" 2>"$tmp/mpi.err"
        got=$?
        if [ "$got" = 0 ] && cmp -s "$tmp/one" "$tmp/mpi" && cmp -s "$tmp/one.fsp" "$tmp/mpi.fsp" &&
            diff -r "$tmp/one.d" "$tmp/mpi.d" >/dev/null; then
            ok "$name, $n ranks: the $(wc -c <"$tmp/mpi.fsp")-byte snapshot, friendships.txt, users.tsv and the description as one process"
        else
            not_ok "$name, $n ranks: status $got, or a file differs"
            sed 's/^/# /' "$tmp/mpi.err" | head -10
        fi
    done
    rm -rf "$tmp/one.d"
}
ranks="2 3"
files_identical "population --save --export, facebook_like, 3,000 users" "$dp" \
    --set population.users=3000
ranks="4"
files_identical "population --save --export, edge list" "$src/tests/data/scale/import-edges.json" \
    "${edges[@]}"

# (the files are written by rank 0 from every rank's part, population-snapshot-part.c)
ranks="1 3"
files_identical "population --save --export, erdos_renyi, 3,000 users" "$dp" \
    --set population.generator=erdos_renyi --set population.users=3000
ranks="2"
files_identical "population --save --export, a snapshot read by parts" "$dp" "${snap[@]}"
ranks="4"
files_identical "population --save --export, explicit users (their ids saved)" \
    "$src/scenarios/tour.json"

# --save -: the snapshot on standard output, the description on standard error
"$FLOWSIM" population -q "$dp" --set population.users=3000 --save - >"$tmp/one" 2>"$tmp/one.err"
for n in 2 4; do
    "${mpi[@]}" -np "$n" "$FLOWSIM" population -q "$dp" --set population.users=3000 --save - \
        >"$tmp/mpi" 2>"$tmp/mpi.err"
    got=$?
    if [ "$got" = 0 ] && cmp -s "$tmp/one" "$tmp/mpi" && grep -q '^  Users  *3,000$' "$tmp/mpi.err"; then
        ok "population --save -, $n ranks: the snapshot on standard output as one process, the description on standard error"
    else
        not_ok "population --save -, $n ranks: status $got, or the snapshot differs"
        sed 's/^/# /' "$tmp/mpi.err" | head -10
    fi
done

# a write that fails on rank 0: a full device (--save, and users.tsv of --export through a
# link), a folder that does not exist, an export folder that is a file: the single process's
# message and status (4), once
small=(-q "$dp" --set population.users=3000)
printf x >"$tmp/a-file"
mkdir -p "$tmp/full.d"
ln -sf /dev/full "$tmp/full.d/users.tsv"
same_error population "population --save /dev/full" 4 "${small[@]}" --save /dev/full
same_error population "population --save into a missing folder" 4 "${small[@]}" \
    --save "$tmp/no/such/x.fsp"
same_error population "population --export into a file" 4 "${small[@]}" --export "$tmp/a-file"
same_error population "population --export, users.tsv on a full device" 4 "${small[@]}" \
    --export "$tmp/full.d"

# population's errors, once: a bad edge list (3), a bad option (2)
same_error population "population, bad edge list" 3 -q "$src/tests/data/scale/import-edges.json" \
    "${badedges[@]}"
same_error population "population --sample 0" 2 -q "$dp" --sample 0

# commands other than run, timeline, check and population refuse to run over several ranks, once
"${mpi[@]}" -np 2 "$FLOWSIM" lint "$src/scenarios/tour.json" >"$tmp/mpi" 2>"$tmp/mpi.err"
got=$?
# its hint is to run it as one process: its --help would not say how (it once said "Try
# 'flowsim lint --help'")
if [ "$got" = 2 ] && [ "$(grep -c "only 'flowsim run', 'timeline', 'check' and 'population' run over MPI ranks" "$tmp/mpi.err")" = 1 ] &&
    grep -qx "Run 'flowsim lint' as one process, without mpirun." "$tmp/mpi.err" &&
    ! grep -q "Try 'flowsim" "$tmp/mpi.err"; then
    ok "lint over 2 ranks: a usage error, once, with the way out"
else
    not_ok "lint over 2 ranks: status $got"
    sed 's/^/# /' "$tmp/mpi.err" | head -10
fi

echo "1..$n_test"
exit $failed
