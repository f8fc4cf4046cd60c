#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""dot-ranks.py: what Graphviz's `dot` itself makes of a DOT file's columns, to compare with the
count flowsim makes before it runs `dot` (sim/render/graphviz.c, measure_layers(); printed by
bench/diagram-shapes.py --count). Not a test.

    bench/dot-ranks.py FILE.dot      prints: boxes lines columns passes

Lays FILE out with `dot -Tjson`, takes each box's column from its position along the rank
direction (x for rankdir=LR, y otherwise), and counts, over the lines, the columns each crosses
without a box of its own: the "virtual nodes" dot adds, whose ordering is what takes it long.
"""
import json
import subprocess
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: dot-ranks.py FILE.dot")
    out = subprocess.run(["dot", "-Tjson", sys.argv[1]], capture_output=True, text=True,
                         check=True).stdout
    graph = json.loads(out)
    across = graph.get("rankdir", "TB") == "LR"
    where = {}
    for o in graph.get("objects", []):
        if "pos" not in o or "nodes" in o or "subgraphs" in o:
            continue  # a cluster, not a box
        x, y = map(float, o["pos"].split(","))
        where[o["_gvid"]] = round(x if across else -y, 1)
    columns = sorted(set(where.values()))
    column = {box: columns.index(at) for box, at in where.items()}
    edges = graph.get("edges", [])
    passes = sum(max(abs(column[e["tail"]] - column[e["head"]]) - 1, 0) for e in edges)
    print(len(where), len(edges), len(columns), passes)


if __name__ == "__main__":
    main()
