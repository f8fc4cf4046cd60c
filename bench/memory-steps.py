#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""memory-steps.py: every documented limit under `ulimit -v` caps stepping down. Not a test.

  bench/memory-steps.py FLOWSIM [KIND[:COMMAND] ...]   (default: every kind, each command)
      --steps N      caps per command (default 40), from its peak plus 200 MB down to 50 MB
      --caps A:B:S   instead, caps from A MB down to B MB by S MB (a window found coarser)
      --dir DIR      where the inputs go (default $TMPDIR/flowsim-memory-steps)
      --worst PATH   the model at the limits (bench/make-worst-case's output) for the kind
                     'decisions', every command on it (skipped without it)
      --claims PATH  the same with 256 claims of 64 alternatives (make-worst-case --claims 256)
                     for the kind 'claims': claims, claims --effect, lint (skipped without it)
      --imports      the importers' worst files (kinds 'edges', 'graphml', 'gml'): an edge list
                     of 50 MB whose every id is new, a GraphML and a GML file of 100,000 people
                     alone and of 10 MB of friendships; run and population on each

For each kind an input at that limit (docs/format.md#limits) is written, each command is run once
without a cap (its peak RSS, /usr/bin/time) and then under each cap (`ulimit -v`, in a shell).
Every run must exit as the uncapped one did, or with 3 or 4 and one line saying memory ran out;
a signal (exit 133/134/139), "failed to allocate" or any other message is printed as BAD. Below
about 70 MB the dynamic loader cannot map flowsim's libraries (exit 127, "error while loading
shared libraries"): counted as not started.
Prints one line per command: the caps, how many succeeded, how many ran out, and the BAD ones.
Exit status 1 if any was BAD.
"""
import argparse
import os
import subprocess
import sys

MB = 1 << 20


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def partner(i, apis='"a0"', fields='["*"]'):
    return ('{ "id": "p%d", "kind": "app", "integrates": [%s], "requests": ["*"], '
            '"destinations": [{ "id": "d", "location": "server", "jurisdiction": "US", '
            '"fields": %s }] }' % (i, apis, fields))


def model(fields, apis, partners, rules=None, population=None, extra=""):
    rules = rules or ('[{ "id": "r0", "effect": "allow", "partners": ["*"], "apis": ["*"], '
                      '"scopes": ["*"], "from": "2010-01-01" }]')
    population = population or ('{ "generator": "erdos_renyi", "users": 1000, '
                                '"mean_degree": 10 }')
    return ('{ "scenario": "limit", "date": "2014-06-01", "seed": 1,\n "fields": [%s],\n'
            ' "apis": [%s],\n "partners": [%s],\n "rules": %s,\n "population": %s%s }\n'
            % (fields, apis, partners, rules, population, extra))


def fields_of(n):
    return ", ".join('{ "id": "f%d" }' % i for i in range(n))


def api(i, scopes, fields='["f0"]'):
    return '{ "id": "a%d", "scopes": [%s] }' % (i, ", ".join(
        '{ "id": "s%d", "subject": "self", "fields": %s }' % (k, fields) for k in range(scopes)))


def make_inputs(d, worst, claims=None, imports=False, keep=False):
    """{kind: (file, [commands])}: the inputs at each limit (with @keep, those in @d are not
    written again)."""
    global write
    if keep:
        def write(path, text):  # noqa: F811 (the inputs are there already)
            if not os.path.exists(path):
                with open(path, "w") as f:
                    f.write(text)
    kinds = {}
    run_lint = [["run"], ["lint"]]
    # partners: 16,384
    write(f"{d}/partners.json", model(fields_of(1), api(0, 1), ",\n".join(
        partner(i) for i in range(16384))))
    kinds["partners"] = ("partners.json", run_lint)
    # fields: 16,384, with 128 partners receiving all (2^21 field x destination pairs)
    write(f"{d}/fields.json", model(fields_of(16384), api(0, 1), ",\n".join(
        partner(i) for i in range(128))))
    kinds["fields"] = ("fields.json", run_lint)
    # APIs: 4,096 of one scope, 16 partners integrating them all (65,536 decisions)
    all_apis = ", ".join('"a%d"' % i for i in range(4096))
    write(f"{d}/apis.json", model(fields_of(1), ",\n".join(api(i, 1) for i in range(4096)),
                                  ",\n".join(partner(i, all_apis) for i in range(16))))
    kinds["apis"] = ("apis.json", run_lint)
    # scopes: 4,096 per API, 25 APIs, each scope a bit set of 16,384 fields
    write(f"{d}/scopes.json", model(fields_of(16384), ",\n".join(
        api(i, 4096, "[]") for i in range(25)), partner(0, fields='["f0"]')))
    kinds["scopes"] = ("scopes.json", run_lint)
    # rules: 262,144 over one partner, API and scope
    rules = "[" + ",\n".join(
        '{ "id": "r%d", "effect": "%s", "partners": ["p0"], "apis": ["a0"], '
        '"scopes": ["s0"], "from": "2010-01-01" }' % (i, "allow" if i % 2 else "deny")
        for i in range(262144)) + "]"
    write(f"{d}/rules.json", model(fields_of(1), api(0, 1), partner(0), rules))
    kinds["rules"] = ("rules.json", run_lint)
    # explicit users: 1,000,000, each using the one partner
    users = '{ "users": [' + ",\n".join('{ "id": "u%d", "uses": ["p0"] }' % i
                                        for i in range(1000000)) + "] }"
    write(f"{d}/users.json", model(fields_of(1), api(0, 1), partner(0), population=users))
    kinds["users"] = ("users.json", run_lint)
    # JSON values: 16,777,216 in all (the array and the keys' values count)
    n = 16777216 - 16
    write(f"{d}/values.json", '{ "scenario": "v", "date": "2014-01-01", "sources": [0'
          + ",0" * (n - 1) + "] }")
    kinds["values"] = ("values.json", run_lint)
    # included files: 256, each adding 64 partners (16,384 in all)
    os.makedirs(f"{d}/inc", exist_ok=True)
    for i in range(256):
        write(f"{d}/inc/part{i}.json", '{ "partners": [%s] }' % ",\n".join(
            partner(64 * i + k) for k in range(64)))
    write(f"{d}/includes.json", model(fields_of(1), api(0, 1), "", extra=',\n "include": [%s]'
                                      % ", ".join('"inc/part%d.json"' % i for i in range(255))))
    kinds["includes"] = ("includes.json", run_lint)
    # timeline: 2,000 dates (its limit) on the tour
    kinds["dates"] = (os.path.abspath("scenarios/tour.json"),
                      [["timeline", "--from", "2010-01-01", "--to", "2015-06-22",
                        "--step", "1d"]])
    if worst:
        # the model at the limits: 2^24 decisions, 2^21 flows, 2^31 rule checks; every command
        kinds["decisions"] = (worst, [
            ["run"], ["report", "-o", "-"], ["population"], ["check"], ["sweep", "--seeds", "1-2"],
            ["possible", "--field", "g0.f0"], ["explain", "--user", "u1", "--partner", "p1"],
            ["lint"], ["timeline", "--from", "2014-01-01", "--to", "2015-01-01"],
            ["diff", "--set", "date=2016-06-01"],
            ["diff", "--set", "date=2016-06-01", "--format", "svg"], ["diagram"],
            ["diagram", "--format", "svg"]])
    if claims:
        kinds["claims"] = (claims, [["claims"], ["claims", "--effect"], ["lint"]])
    if imports:
        make_imports(d, kinds)
    return kinds


def make_imports(d, kinds):
    """The importers' worst files, each in a scenario that imports it: 'edges' (50 MB, every id
    new: the parser's id table), 'graphml' and 'gml' (100,000 people alone, then a graph of
    friendships)."""
    if not os.path.exists(f"{d}/edges.txt"):
        with open(f"{d}/edges.txt", "w") as f:
            i, size = 0, 0
            while size < 50 * MB:
                line = "%d %d\n" % (10 ** 9 + 2 * i, 10 ** 9 + 2 * i + 1)
                f.write(line)
                size += len(line)
                i += 1
    if not os.path.exists(f"{d}/nodes.graphml"):
        with open(f"{d}/nodes.graphml", "w") as f:
            f.write('<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/'
                    'xmlns">\n<graph edgedefault="undirected">\n')
            f.write("".join('<node id="n%d"/>\n' % i for i in range(100000)))
            f.write("".join('<edge source="n%d" target="n%d"/>\n'
                            % (i % 100000, (i * 7919 + 1) % 100000)
                            for i in range(200000)))
            f.write("</graph></graphml>\n")
    if not os.path.exists(f"{d}/nodes.gml"):
        with open(f"{d}/nodes.gml", "w") as f:
            f.write("graph [\n")
            f.write("".join("node [ id %d ]\n" % i for i in range(100000)))
            f.write("".join("edge [ source %d target %d ]\n" % (i % 100000, (i * 7919 + 1) % 100000)
                            for i in range(200000)))
            f.write("]\n")
    for kind, name in (("edges", "edges.txt"), ("graphml", "nodes.graphml"), ("gml", "nodes.gml")):
        write(f"{d}/import-{kind}.json", model(fields_of(1), api(0, 1), partner(0), population=(
            '{ "import": { "file": "%s" }, "adoption": { "*": 0.01 } }' % name)))
        kinds[kind] = (f"import-{kind}.json", [["run"], ["population"]])


def run(flowsim, args, cwd, cap_kb=None):
    """(exit status, stderr, peak RSS in KB) of one run, under `ulimit -v cap_kb` if given."""
    cmd = " ".join("'%s'" % a for a in [flowsim] + args)
    shell = (f"ulimit -v {cap_kb}; " if cap_kb else "") + \
        f"exec /usr/bin/time -f 'PEAK %M' timeout 300 {cmd} >/dev/null"
    p = subprocess.run(["sh", "-c", shell], cwd=cwd, capture_output=True, text=True,
                       errors="replace")
    lines = [l for l in p.stderr.splitlines() if not l.startswith("PEAK ")]
    # /usr/bin/time reports a signal as "Command terminated by signal N"
    peak = [int(l.split()[1]) for l in p.stderr.splitlines() if l.startswith("PEAK ")]
    return p.returncode, [l for l in lines if not l.startswith("Command ")], \
        peak[0] if peak else 0, any(l.startswith("Command terminated") for l in lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("flowsim")
    ap.add_argument("kinds", nargs="*")
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--caps")
    ap.add_argument("--dir", default=os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                                  "flowsim-memory-steps"))
    ap.add_argument("--worst")
    ap.add_argument("--claims")
    ap.add_argument("--imports", action="store_true")
    ap.add_argument("--keep", action="store_true", help="reuse the inputs already in --dir")
    o = ap.parse_intermixed_args()
    flowsim = os.path.abspath(o.flowsim)
    os.makedirs(o.dir, exist_ok=True)
    kinds = make_inputs(o.dir, o.worst and os.path.abspath(o.worst),
                        o.claims and os.path.abspath(o.claims), o.imports, o.keep)
    bad_any = False
    for kind, (path, commands) in kinds.items():
        if o.kinds and kind not in [k.split(":")[0] for k in o.kinds]:
            continue
        for c in commands:
            if o.kinds and kind not in o.kinds and f"{kind}:{c[0]}" not in o.kinds:
                continue
            args = [c[0], path] + c[1:]
            status0, err0, peak, _ = run(flowsim, args, o.dir)
            top = peak * 1024 + 200 * MB
            caps = [top - i * (top - 50 * MB) // max(1, o.steps - 1) for i in range(o.steps)]
            if o.caps:
                hi, lo, step = (int(x) for x in o.caps.split(":"))
                caps = [m * MB for m in range(hi, lo - 1, -step)]
            ok = oom = unstarted = 0
            bad = []
            for cap in caps:
                status, err, _, signalled = run(flowsim, args, o.dir, cap // 1024)
                text = "\n".join(err)
                if status == status0 and not signalled and "out of memory" not in text:
                    ok += 1
                elif (status in (3, 4) and len(err) == 1 and "out of memory" in text
                      and text.startswith("flowsim: error: ")):
                    oom += 1
                elif status == 127 and "error while loading shared libraries" in text:
                    unstarted += 1  # the dynamic loader, before flowsim runs
                else:
                    bad.append("%d MB: exit %d: %s" % (cap // MB, status, text[:300]))
            bad_any |= bool(bad)
            print("%-9s %-8s peak %5d MB, exit %d; %d caps %d..%d MB: %d as uncapped, %d out of "
                  "memory, %d not started, %d BAD"
                  % (kind, c[0], peak // 1024, status0, len(caps), caps[0] // MB, caps[-1] // MB,
                     ok, oom, unstarted, len(bad)), flush=True)
            for b in bad:
                print("    BAD " + b, flush=True)
            if status0 not in (0, 1):
                print("    uncapped: " + "\n".join(err0)[:300], flush=True)
    return 1 if bad_any else 0


if __name__ == "__main__":
    sys.exit(main())
