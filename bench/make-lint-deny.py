#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make-lint-deny.py: a model for lint's allow-shadowed check, deny rules over every partner.

  bench/make-lint-deny.py PARTNERS RULES [OUT]   (OUT: default standard output)
      --select PATTERN   the rules' "partners" (default "*"; "p*" selects every partner too)
      --allow-scopes S   the allow rules' "scopes", comma-separated (default "*"); with
                         "mixed", rule i takes s0, then s0 and s1, then "*", in turn
      --allow-one        allow rule i selects partner p(i mod PARTNERS) only
      --claims N         N claims (default 0), claim i about deny rule i: in force as written
                         (alternative a0), or allowing from 2010-01-01 + k days (a1, a2, ...)
      --alternatives M   alternatives per claim (default 4)

One API of 3 scopes, PARTNERS partners each integrating it and requesting every scope, and
RULES rules: RULES / 2 deny rules (rule 2i + 1: scope s(i mod 3), from a day of January 2010)
and RULES / 2 allow rules (rule 2i: from 2012-01-01), every rule selecting every partner. Each
allow rule is overridden by all the deny rules of its scopes, so `lint` warns about each one,
naming the first 8 denies and counting the rest. The loader's limit of pattern checks (each
rule's "partners" times the partners: 2^26, docs/format.md) bounds PARTNERS x RULES.
"""
import argparse
import sys


def claim(i, n):
    """Claim c@i about rule deny@i, of @n alternatives."""
    def alt(k):
        if k == 0:
            summary, set_ = "as written", '"rules[deny%d].effect": "deny"' % i
        else:
            summary = "allows from 2010-01-%02d" % (1 + k % 28)
            set_ = ('"rules[deny%d].effect": "allow", "rules[deny%d].from": "2010-01-%02d"'
                    % (i, i, 1 + k % 28))
        return ('    { "id": "a%d", "evidence": "reported", "party": "Party %d", "summary": '
                '"Rule deny%d %s", "sources": [{ "publisher": "P", "title": "T", "date": '
                '"2010-01-01", "url": "https://example.org/c%d/a%d" }], "set": { %s } }'
                % (k, k, i, summary, i, k, set_))
    return ('  { "id": "c%d", "question": "Did rule deny%d deny?", "default": "a0", '
            '"alternatives": [\n%s] }' % (i, i, ",\n".join(alt(k) for k in range(n))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("partners", type=int)
    ap.add_argument("rules", type=int)
    ap.add_argument("out", nargs="?")
    ap.add_argument("--select", default="*")
    ap.add_argument("--allow-scopes", default="*")
    ap.add_argument("--allow-one", action="store_true")
    ap.add_argument("--claims", type=int, default=0)
    ap.add_argument("--alternatives", type=int, default=4)
    o = ap.parse_args()
    mixed = [["s0"], ["s0", "s1"], ["*"]]
    allow_scopes = o.allow_scopes.split(",")
    out = open(o.out, "w") if o.out else sys.stdout
    w = out.write
    w('{ "scenario": "lint-deny", "date": "2014-06-01", "seed": 1,\n')
    w(' "fields": [{ "id": "f0" }],\n')
    w(' "apis": [{ "id": "a0", "scopes": [%s] }],\n' % ", ".join(
        '{ "id": "s%d", "subject": "self", "fields": ["f0"] }' % k for k in range(3)))
    w(' "partners": [\n')
    w(",\n".join('  { "id": "p%d", "kind": "app", "integrates": ["a0"], "requests": ["*"], '
                 '"destinations": [{ "id": "d", "location": "server", "jurisdiction": "US", '
                 '"fields": ["*"] }] }' % i for i in range(o.partners)))
    w('],\n "rules": [\n')
    sel = '"%s"' % o.select
    for i in range(o.rules):
        if i % 2 == 0:
            scopes = mixed[(i // 2) % 3] if allow_scopes == ["mixed"] else allow_scopes
            who = '"p%d"' % (i // 2 % o.partners) if o.allow_one else sel
            w('  { "id": "allow%d", "effect": "allow", "partners": [%s], "apis": ["a0"], '
              '"scopes": [%s], "from": "2012-01-01" }'
              % (i // 2, who, ", ".join('"%s"' % s for s in scopes)))
        else:
            w('  { "id": "deny%d", "effect": "deny", "partners": [%s], "apis": ["a0"], '
              '"scopes": ["s%d"], "from": "2010-01-%02d" }'
              % (i // 2, sel, (i // 2) % 3, 1 + (i // 2) % 28))
        w(",\n" if i + 1 < o.rules else "\n")
    w('],\n "population": { "generator": "erdos_renyi", "users": 100, "mean_degree": 4 }')
    if o.claims:
        w(',\n "claims": [\n')
        w(",\n".join(claim(i, o.alternatives) for i in range(o.claims)))
        w("]")
    w(" }\n")
    if o.out:
        out.close()


if __name__ == "__main__":
    main()
