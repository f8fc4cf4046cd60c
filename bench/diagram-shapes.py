#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# diagram-shapes.py SHAPE N: prints a scenario whose diagrams have one shape (bench/diagram-shapes.sh).
# diagram-shapes.py --count FILE.dot: prints its boxes, lines, columns and passes.
"""The shapes that decide how long Graphviz's `dot` takes (docs/robustness.md, "Every diagram
bounded before Graphviz"). Every partner takes every field its scopes offer, every user is
public to half the others, and one rule allows everything, so every possible line is drawn.

  wide N          N partners, one field, one API (three scope boxes), one jurisdiction
  jurisdictions N the same, each partner's destination in a jurisdiction of its own
  fields N        N field groups, 4 partners
  dests N         8 partners with N destinations each, over 40 jurisdictions
  dense N         20 partners, each using every scope of N APIs
  random N        N partners, each requesting 4 random scopes of 2 of 5 APIs
  random-share N  the same, each sharing with a random other partner
  chain N         N partners in a ring, each sharing with the next, three scope boxes
  chain1 N        the same with one scope box
  chain0 N        N partners in a line, only the first using an API
  tailD N         a line of D partners, the last using N APIs
  manyP N         N field groups, P partners (for explanations of thousands of lines)
  deepG N         G field groups, N partners in a ring, each sharing with the next
  mixK N          N field groups, 8 partners, and K more in a ring of shares of one field
  diffwide N      N field groups, 16 partners with 2 destinations over 8 jurisdictions
  diffjur N       20 field groups, 16 partners with N destinations each over 40 jurisdictions
"""
import json
import random
import re
import string
import sys

SUBJECTS = ("self", "friends", "friends_of_friends")
CODES = [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase]


def scenario(groups, apis, partners, dests, jurisdictions, share, subjects=SUBJECTS, pick=0,
             share_random=False):
    rnd = random.Random(1)
    apis_ = [{"id": f"a{a}", "active": {"from": "2010-01-01"}, "respects": ["audience"],
              "scopes": [{"id": f"s{g}{s}", "subject": s, "fields": [f"g{g}"]}
                         for g in range(groups) for s in subjects]} for a in range(apis)]
    codes = CODES[:jurisdictions]
    out = []
    for p in range(partners):
        if pick:
            places = [{"id": "d0", "location": "server", "jurisdiction": rnd.choice(codes),
                       "fields": ["*"]}]
            integrates = sorted(rnd.sample([f"a{a}" for a in range(apis)], pick))
            requests = sorted(rnd.sample([f"s{g}{s}" for g in range(groups) for s in subjects], 4))
        else:
            places = [{"id": f"d{k}", "location": "server",
                       "jurisdiction": codes[(p * dests + k) % jurisdictions], "fields": ["*"]}
                      for k in range(dests)]
            integrates, requests = [f"a{a}" for a in range(apis)], ["*"]
        partner = {"id": f"p{p}", "kind": "app", "integrates": integrates, "requests": requests,
                   "destinations": places}
        if share and partners > 1:
            other = rnd.randrange(partners - 1) if share_random else p
            partner["shares"] = [{"with": f"p{(other + 1) % partners}", "fields": ["*"]}]
        out.append(partner)
    return {"scenario": "shape", "title": "shape", "date": "2014-06-01", "seed": 1,
            "fields": [{"id": f"g{g}.f0"} for g in range(groups)], "apis": apis_,
            "partners": out,
            "rules": [{"id": "all", "effect": "allow", "partners": ["*"], "apis": ["*"],
                       "scopes": ["*"], "from": "2010-01-01"}],
            "population": {"generator": "erdos_renyi", "users": 400, "mean_degree": 10,
                           "settings": {"audience": {"*": {"public": 0.5, "friends": 0.5}}},
                           "adoption": {"*": 0.2}}}


def line_of(s, first_apis):
    """Only the first partner uses an API; the last shares with nobody."""
    for p in s["partners"][1:]:
        p["integrates"], p["requests"] = [], []
    s["partners"][0]["integrates"], s["partners"][0]["requests"] = first_apis, ["*"]
    s["partners"][-1].pop("shares")
    return s


def main(shape, n):
    if shape == "wide":
        return scenario(1, 1, n, 1, 1, False)
    if shape == "jurisdictions":
        return scenario(1, 1, n, 1, n, False)
    if shape == "fields":
        return scenario(n, 1, 4, 1, 1, False)
    if shape == "dests":
        return scenario(1, 1, 8, n, 40, False)
    if shape == "dense":
        return scenario(1, n, 20, 1, 1, False)
    if shape == "random":
        return scenario(4, 5, n, 1, 10, False, pick=2)
    if shape == "random-share":
        return scenario(4, 5, n, 1, 10, True, pick=2, share_random=True)
    if shape == "chain":
        return scenario(1, 1, n, 1, 1, True)
    if shape == "chain1":
        return scenario(1, 1, n, 1, 1, True, subjects=("self",))
    if shape == "chain0":
        return line_of(scenario(1, 1, n, 1, 1, True, subjects=("self",)), ["a0"])
    if shape.startswith("tail"):
        s = line_of(scenario(1, n, int(shape[4:]), 1, 1, True), ["a0"])
        s["partners"][-1]["integrates"] = [f"a{a}" for a in range(n)]
        s["partners"][-1]["requests"] = ["*"]
        return s
    if shape.startswith("many"):
        return scenario(n, 1, int(shape[4:]), 1, 1, False)
    if shape.startswith("deep"):
        return scenario(int(shape[4:]), 1, n, 1, 1, True)
    if shape.startswith("mix"):
        k = int(shape[3:])
        s = scenario(n, 1, 8 + k, 1, 1, True)
        for i, p in enumerate(s["partners"]):
            if i < 8:
                p.pop("shares")
            else:
                p["shares"] = [{"with": f"p{8 + (i - 7) % k}", "fields": ["g0.f0"]}]
                p["requests"] = ["s0self"]
        return s
    if shape == "diffwide":
        return scenario(n, 1, 16, 2, 8, False)
    if shape == "diffjur":
        return scenario(20, 1, 16, n, 40, False)
    sys.exit(f"diagram-shapes.py: unknown shape '{shape}'")


def count(text):
    """Boxes, lines, columns and passes as fsim_graphviz_check_size() counts them
    (sim/render/graphviz.c): boxes in the order they appear, a depth-first search from each
    turning round the lines that close a cycle, each box one column after the last box with a
    line into it, and a line across k columns passing k - 1 columns without a box."""
    ids, out, edges, nodes = {}, [], [], 0
    quoted = r'"((?:[^"\\]|\\.)*)"'

    def box(name):
        if name not in ids:
            ids[name] = len(out)
            out.append([])
        return ids[name]
    for line in text.splitlines():
        m = re.match(r"\s*" + quoted + r"\s*(->\s*" + quoted + ")?", line)
        if not m:
            continue
        a = box(m.group(1))
        if m.group(2) is None:
            nodes += 1
            continue
        b = box(m.group(3))
        out[a].append(len(edges))
        edges.append((a, b))
    state, finished, back = [0] * len(out), [], set()
    for root in range(len(out)):
        if state[root]:
            continue
        state[root], stack = 1, [(root, iter(out[root]))]
        while stack:
            v, it = stack[-1]
            e = next(it, None)
            if e is None:
                state[v] = 2
                finished.append(v)
                stack.pop()
                continue
            w = edges[e][1]
            if state[w] == 1:
                back.add(e)
            elif state[w] == 0:
                state[w] = 1
                stack.append((w, iter(out[w])))
    rank = [0] * len(out)
    for v in reversed(finished):
        for e in out[v]:
            if e not in back:
                rank[edges[e][1]] = max(rank[edges[e][1]], rank[v] + 1)
    passes = sum(max(abs(rank[a] - rank[b]) - 1, 0) for a, b in edges)
    return nodes, len(edges), max(rank) + 1 if out else 0, passes


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--count":
        with open(sys.argv[2]) as f:
            print(*count(f.read()))
        sys.exit(0)
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    json.dump(main(sys.argv[1], int(sys.argv[2])), sys.stdout, indent=1)
    sys.stdout.write("\n")
