#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# summarize.py: turns bench/run.sh's JSON lines into the tables of docs/performance.md.
"""summarize.py RESULTS.jsonl: prints Markdown tables and the issue's targets, met or not."""
import json
import sys


def read(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    by = {}
    for r in rows:
        by.setdefault(r["step"], []).append(r)
    return by


def at(by, step, users):
    return next((r for r in by.get(step, []) if r.get("users") == users), None)


def fmt(x, digits=2):
    return f"{x:,.{digits}f}"


def load(r):
    return fmt(r.get("load_average", float("nan")), 1)


def sizes_table(by):
    print("| users | friendships | build | trace (CPU) | report | `flowsim run` | peak RSS "
          "| floor CSR | floor 2 hops (CPU) | floor total | trace / floor hops (CPU) "
          "| run / floor total | run ns / friendship | load |")
    print("|" + "---|" * 14)
    for ph in by.get("phases", []):
        n = ph["users"]
        run, fl = at(by, "run", n), at(by, "floor", n)
        if not run or not fl:
            continue
        same = "" if fl["friendships"] == ph["friendships"] else " (floor: other graph!)"
        print(f"| {n:,} | {ph['friendships']:,}{same} | {fmt(ph['build'])} s "
              f"| {fmt(ph['trace'])} s ({fmt(ph['cpu_trace'])} s) | {fmt(ph['report'], 3)} s "
              f"| {fmt(run['wall'])} s | {run['peak_rss_mib']:,} MiB | {fmt(fl['csr'])} s "
              f"| {fmt(fl['propagation'])} s ({fmt(fl.get('cpu_propagation', float('nan')))} s) "
              f"| {fmt(fl['pipeline'])} s | {fmt(ph['trace'] / fl['propagation'])}x "
              f"({fmt(ph['cpu_trace'] / fl.get('cpu_propagation', float('nan')))}x) "
              f"| {fmt(run['wall'] / fl['pipeline'])}x "
              f"| {fmt(1e9 * run['wall'] / ph['friendships'], 0)} "
              f"| {load(run)}, {load(ph)}, {load(fl)} |")
    for s in by.get("skipped", []):
        print(f"\n{s['users']:,} users skipped: {s['reason']}.")


def targets(by):
    print("\n| target | measured | met |")
    print("|---|---|---|")
    ph, fl, run = at(by, "phases", 1000000), at(by, "floor", 1000000), at(by, "run", 1000000)
    if ph and fl:
        r = ph["trace"] / fl["propagation"]
        print(f"| trace at 1M within 2x the floor's propagation | {fmt(r)}x | {r <= 2} |")
    if run and fl:
        r = run["wall"] / fl["pipeline"]
        print(f"| `flowsim run` (bench scenario) at 1M within 8x the floor's pipeline | {fmt(r)}x "
              f"| {r <= 8} |")
    t = at(by, "target", 1000000)
    if t:
        print(f"| the target command under 20 s | {fmt(t['wall'])} s | {t['wall'] < 20} |")
        print(f"| the target command under 3 GB peak RSS | {t['peak_rss_mib']:,} MiB "
              f"| {t['peak_rss_mib'] < 3 * 1024} |")
    small, big = at(by, "run", 100000), at(by, "run", 1000000)
    psmall, pbig = at(by, "phases", 100000), at(by, "phases", 1000000)
    if small and big and psmall and pbig:
        a = small["wall"] / psmall["friendships"]
        b = big["wall"] / pbig["friendships"]
        r = max(a, b) / min(a, b)
        print(f"| time per friendship flat within 1.5x, 100k -> 1M (end to end) | {fmt(r)}x "
              f"| {r <= 1.5} |")
        ta, tb = psmall["trace"] / psmall["friendships"], pbig["trace"] / pbig["friendships"]
        r = max(ta, tb) / min(ta, tb)
        print(f"| ... the trace alone | {fmt(r)}x | {r <= 1.5} |")
    nx = at(by, "networkx", 100000)
    fs = at(by, "reference-flowsim", 100000)
    if nx and fs:
        r = nx["total"] / fs["wall"]
        print(f"| at least 100x faster than networkx at 100k, same answers | {fmt(r, 0)}x, "
              f"same counts: {nx['same_counts']} | {r >= 100 and nx['same_counts']} |")


def networkx_table(by):
    print("\n| users | networkx read | networkx trace | networkx total | `flowsim run` "
          "| speed-up | same counts |")
    print("|---|---|---|---|---|---|---|")
    for nx in by.get("networkx", []):
        fs = at(by, "reference-flowsim", nx["users"])
        if fs:
            print(f"| {nx['users']:,} | {fmt(nx['read'])} s | {fmt(nx['trace'])} s "
                  f"| {fmt(nx['total'])} s | {fmt(fs['wall'])} s | {fmt(nx['total'] / fs['wall'], 0)}x "
                  f"| {nx['same_counts']} |")


def projection(by):
    pts = sorted((r["friendships"], at(by, "run", r["users"])) for r in by.get("phases", []))
    pts = [(m, run) for m, run in pts if run]
    if len(pts) < 2:
        return
    (m0, r0), (m1, r1) = pts[-2], pts[-1]
    per = (r1["peak_rss_mib"] - r0["peak_rss_mib"]) / (m1 - m0)
    rss = r1["peak_rss_mib"] + per * (500e6 - m1)
    t = r1["wall"] / m1 * 500e6
    print(f"\nProjected from {m0:,} and {m1:,} friendships: 500M friendships would take about "
          f"{fmt(rss / 1024, 1)} GiB peak RSS ({fmt(per * 2**20, 1)} bytes per friendship "
          f"at the margin) and {fmt(t, 0)} s end to end.")


def main():
    by = read(sys.argv[1])
    m = by["machine"][0]
    print(f"Machine: {m['nproc']} x {m['model']}, {m['mem_gib']} GiB, load average "
          f"{fmt(m['load'])} at the start. The last column is the 1-minute load average after "
          f"the run, the phases and the floor.\n")
    sizes_table(by)
    targets(by)
    networkx_table(by)
    projection(by)


if __name__ == "__main__":
    main()
