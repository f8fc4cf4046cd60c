#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# reference.py: a straightforward Python + networkx tracer of the same semantics, for the bench.
"""Traces a population exported by `flowsim population --export DIR` under a scenario file
and checks the counts against `flowsim run --format json` of the same scenario.

    reference.py SCENARIO EXPORT_DIR FLOWSIM_JSON [--set PATH=VALUE ...]

SCENARIO must be self-contained (no include, extends or set; bench/scenario.json is), and the
--set options are the few the benchmark uses (population.*, seed, date). The semantics are
those of docs/semantics.md, written out plainly: policy decisions per (partner, API, scope),
then for every user and field the partners each channel opens, with the friendships in a
networkx Graph and the onward shares of each field in a networkx DiGraph. Partner sets are
Python integers used as bit sets. Prints one JSON line: the seconds taken and whether every
count matched; exits 1 on a mismatch.
"""
import fnmatch
import json
import sys
import time
from datetime import date

import networkx as nx

AUDIENCES = ["only_me", "friends", "friends_of_friends", "public"]
SUBJECTS = ["self", "friends", "friends_of_friends"]


def glob(pattern, text):
    """GLib's g_pattern_match_simple: '*' and '?' only."""
    return fnmatch.fnmatchcase(text, pattern.replace("[", "[[]"))


def field_pattern(pattern, ids):
    if pattern == "*":
        return set(ids)
    if pattern.endswith(".*") and "*" not in pattern[:-2] and "?" not in pattern:
        return {f for f in ids if f.startswith(pattern[:-1])}
    if "*" in pattern or "?" in pattern:
        return {f for f in ids if glob(pattern, f)}
    return {f for f in ids if f == pattern or f.startswith(pattern + ".")}


def fields_of(patterns, ids):
    out = set()
    for p in patterns:
        out |= field_pattern(p, ids)
    return out


def day(text):
    return date.fromisoformat(text)


def active(window, on):
    window = window or {}
    return (("from" not in window or day(window["from"]) <= on)
            and ("until" not in window or on < day(window["until"])))


def selects(selector, partner):
    if selector == "*":
        return True
    if selector.startswith("kind:"):
        return glob(selector[5:], partner["kind"])
    if selector.startswith("tag:"):
        return any(glob(selector[4:], t) for t in partner.get("tags", []))
    return glob(selector, partner["id"])


def allowed(partner, api, scope, rules, on):
    """The policy decision: ALLOWED or not (docs/semantics.md)."""
    if not active(api.get("active"), on):
        return False
    if not any(glob(r, scope["id"]) for r in partner["requests"]):
        return False
    effects = []
    for rule in rules:
        window = {k: rule[k] for k in ("from", "until") if k in rule}
        if (active(window, on) and any(selects(s, partner) for s in rule["partners"])
                and any(glob(a, api["id"]) for a in rule.get("apis", ["*"]))
                and any(glob(s, scope["id"]) for s in rule.get("scopes", ["*"]))):
            effects.append(rule["effect"])
    return "deny" not in effects and "allow" in effects


def apply_sets(scenario, sets):
    for s in sets:
        path, value = s.split("=", 1)
        try:
            value = json.loads(value)
        except ValueError:
            pass
        node = scenario
        keys = path.split(".")
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value


class Model:
    """The scenario, resolved: per field and partner, what each API opens and where data goes."""

    def __init__(self, scenario):
        self.on = day(scenario["date"])
        self.fields = [f["id"] for f in scenario["fields"]]
        self.partners = scenario["partners"]
        self.pindex = {p["id"]: i for i, p in enumerate(self.partners)}
        apis = {a["id"]: a for a in scenario["apis"]}
        self.apis = scenario["apis"]
        nf = len(self.fields)
        # open_[api][subject][field]: bit set of partners with an allowed scope of that subject
        self.open_ = {a["id"]: {s: [0] * nf for s in SUBJECTS} for a in self.apis}
        self.receives = [0] * nf            # partners with a destination receiving f
        self.server = [0] * nf              # partners holding f on a server
        self.where = []                     # [p][f]: jurisdictions receiving f
        for pi, p in enumerate(self.partners):
            bit = 1 << pi
            for aid in p["integrates"]:
                api = apis[aid]
                for scope in api["scopes"]:
                    if allowed(p, api, scope, scenario.get("rules", []), self.on):
                        for f in fields_of(scope["fields"], self.fields):
                            self.open_[aid][scope["subject"]][self.fields.index(f)] |= bit
            where = [set() for _ in range(nf)]
            for d in p["destinations"]:
                j = "device" if d["location"] == "device" else d["jurisdiction"]
                for f in fields_of(d["fields"], self.fields):
                    fi = self.fields.index(f)
                    self.receives[fi] |= bit
                    where[fi].add(j)
                    if d["location"] == "server":
                        self.server[fi] |= bit
            self.where.append(where)
        self.down = [self.downstream(fi) for fi in range(nf)]

    def downstream(self, fi):
        """down[q]: partners reached from q (a server holder of f) along the shares of f."""
        g = nx.DiGraph()
        for qi, q in enumerate(self.partners):
            if not self.server[fi] >> qi & 1:
                continue
            for share in q.get("shares", []):
                if (active(share.get("active"), self.on)
                        and self.fields[fi] in fields_of(share["fields"], self.fields)):
                    g.add_edge(qi, self.pindex[share["with"]])
        down = {}
        for qi in g.nodes:
            if self.server[fi] >> qi & 1:
                reached = nx.descendants(g, qi) | ({qi} if self.on_cycle(g, qi) else set())
                mask = 0
                for r in reached:
                    mask |= 1 << r
                down[qi] = mask & self.receives[fi]
        return down

    @staticmethod
    def on_cycle(g, q):
        return any(q in nx.descendants(g, s) or s == q for s in g.successors(q))


def read_population(folder):
    g = nx.Graph()
    users = []
    with open(folder + "/users.tsv") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("user\t"):
                continue
            u, platform, ticked, audience, uses = line.rstrip("\n").split("\t")
            users.append((platform == "1", ticked, [int(a) for a in audience],
                          uses.split(",") if uses else []))
    g.add_nodes_from(range(len(users)))
    with open(folder + "/friendships.txt") as fh:
        for line in fh:
            if not line.startswith("#"):
                u, v = line.split()
                g.add_edge(int(u), int(v))
    return g, users


def trace(model, g, users):
    nf, np_ = len(model.fields), len(model.partners)
    uses = [0] * len(users)
    for u, (_, _, _, ids) in enumerate(users):
        for pid in ids:
            uses[u] |= 1 << model.pindex[pid]
    # partners used by one or more friends of v, and by two or more (to leave u itself out)
    once, twice = [0] * len(users), [0] * len(users)
    for v in g.nodes:
        for w in g.neighbors(v):
            twice[v] |= once[v] & uses[w]
            once[v] |= uses[w]
    c = {"fp": {}, "partner_users": [0] * np_, "reached": [0] * np_, "reached_nc": [0] * np_,
         "field": [0] * nf, "field_nc": [0] * nf, "jur": {}, "jur_nc": {}}
    for u in g.nodes:
        trace_user(model, g, users, uses, once, twice, u, c)
    return c


def gates_pass(api, user, fi, need):
    platform, ticked, audience, _ = user
    respects = api.get("respects", [])
    return ((platform or "platform" not in respects)
            and (ticked[fi] == "1" or "apps_others" not in respects)
            and (audience[fi] >= need or "audience" not in respects))


def trace_user(model, g, users, uses, once, twice, u, c):
    user = users[u]
    f1 = once[u]
    f2 = 0
    for v in g.neighbors(u):  # w != u two steps away: u's own use needs a second user
        f2 |= (once[v] & ~uses[u]) | (twice[v] & uses[u])
    any_reach = any_nc = 0
    jur, jur_nc = set(), set()
    for p in range(len(model.partners)):
        c["partner_users"][p] += uses[u] >> p & 1
    for fi in range(len(model.fields)):
        self_ = fr = fof = 0
        for api in model.apis:
            o = model.open_[api["id"]]
            if user[0] or "platform" not in api.get("respects", []):
                self_ |= uses[u] & o["self"][fi]
            if gates_pass(api, user, fi, 1):
                fr |= f1 & o["friends"][fi]
            if gates_pass(api, user, fi, 2):
                fof |= f2 & o["friends_of_friends"][fi]
        self_, fr, fof = (x & model.receives[fi] for x in (self_, fr, fof))
        direct = self_ | fr | fof
        down = 0
        for q, mask in model.down[fi].items():
            if direct >> q & 1:
                down |= mask
        reach = direct | down
        nc = reach & ~self_
        any_reach |= reach
        any_nc |= nc
        if reach:
            c["field"][fi] += 1
            c["field_nc"][fi] += 1 if nc else 0
        for p in range(len(model.partners)):
            if reach >> p & 1:
                counts = c["fp"].setdefault((fi, p), [0] * 6)
                for k, x in enumerate((reach, nc, self_, fr, fof, down)):
                    counts[k] += x >> p & 1
                jur |= model.where[p][fi]
                if nc >> p & 1:
                    jur_nc |= model.where[p][fi]
    for p in range(len(model.partners)):
        c["reached"][p] += any_reach >> p & 1
        c["reached_nc"][p] += any_nc >> p & 1
    for j in jur:
        c["jur"][j] = c["jur"].get(j, 0) + 1
    for j in jur_nc:
        c["jur_nc"][j] = c["jur_nc"].get(j, 0) + 1


def compare(model, c, report):
    bad = []
    for pi, row in enumerate(report["partners"]):
        got = (c["partner_users"][pi], c["reached"][pi], c["reached_nc"][pi])
        want = (row["users"], row["users_reached"], row["users_reached_without_consent"])
        if got != want:
            bad.append(("partner", row["id"], got, want))
    seen = set()
    for row in report["flows"]:
        key = (model.fields.index(row["field"]), model.pindex[row["partner"]])
        seen.add(key)
        ch = row["channels"]
        want = [row["users"], row["users_without_consent"], ch["self"], ch["friend"],
                ch["friend_of_friend"], ch["downstream"]]
        if c["fp"].get(key, [0] * 6) != want:
            bad.append(("flow", row["field"], row["partner"], c["fp"].get(key), want))
    for key, counts in c["fp"].items():
        if key not in seen and any(counts):
            bad.append(("flow missing from the report", key, counts))
    for fi, row in enumerate(report["fields"]):
        if (c["field"][fi], c["field_nc"][fi]) != (row["users"], row["users_without_consent"]):
            bad.append(("field", row["id"]))
    for row in report["jurisdictions"]:
        j = row["jurisdiction"]
        if (c["jur"].get(j, 0), c["jur_nc"].get(j, 0)) != (row["users"],
                                                          row["users_without_consent"]):
            bad.append(("jurisdiction", j))
    return bad


def main(argv):
    sets = [argv[i + 1] for i, a in enumerate(argv) if a == "--set"]
    args = [a for i, a in enumerate(argv) if a != "--set" and (i == 0 or argv[i - 1] != "--set")]
    scenario_path, folder, report_path = args[1:4]
    with open(scenario_path) as fh:
        scenario = json.load(fh)
    apply_sets(scenario, sets)
    with open(report_path) as fh:
        report = json.load(fh)
    t0 = time.perf_counter()
    model = Model(scenario)
    g, users = read_population(folder)
    t1 = time.perf_counter()
    counts = trace(model, g, users)
    t2 = time.perf_counter()
    bad = compare(model, counts, report)
    print(json.dumps({"users": g.number_of_nodes(), "friendships": g.number_of_edges(),
                      "read": round(t1 - t0, 3), "trace": round(t2 - t1, 3),
                      "total": round(t2 - t0, 3), "same_counts": not bad,
                      "mismatches": [str(b) for b in bad[:5]]}))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
