#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# check-sources.py: every source of every bundled policy and scenario names a publication, and
# no citation goes through a proxy or a paste site. (tests/validate-schemas.py checks the
# files against the JSON Schemas.)
#
# A source is an object {publisher, title, date, url, read_at, note}: who published it, what it
# is called, when (YYYY, YYYY-MM or YYYY-MM-DD), the original (url) and the copy it was read in
# (read_at). A reader must be able to find the publication from the citation alone, so
# publisher, title and date are required, with at least one address. Web proxies, paste sites
# and aggregators are never an address, not even of a copy: they rewrite, lose or mix what they
# show. Usage: check-sources.py SOURCE_ROOT (speaks TAP).
import json
import os
import re
import sys
from urllib.parse import urlsplit

# Hosts that are never an address of a source: web proxies that re-serve other sites, paste
# sites, and aggregators that mix unrelated stories. A suffix match: 'x.pastebin.com' too.
DENY = [
    # proxies
    "fanyv88.com", "translate.goog", "croxyproxy.com", "proxysite.com", "kproxy.com",
    "hidester.com", "hide.me", "12ft.io", "removepaywall.com", "webcache.googleusercontent.com",
    "1eye.us",
    # paste sites
    "pastebin.com", "ghostbin.com", "hastebin.com", "paste.ee", "rentry.co", "justpaste.it",
    "controlc.com", "dpaste.com", "dpaste.org", "0bin.net", "privatebin.net", "paste2.org",
    "pastelink.net", "ideone.com",
    # aggregators
    "zerohedge.com", "instapundit.com", "newsbreak.com", "flipboard.com",
]
DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
KEYS = {"publisher", "title", "date", "url", "read_at", "note"}


def denied(url):
    host = (urlsplit(url).hostname or "").lower()
    return next((d for d in DENY if host == d or host.endswith("." + d)), None)


def check_url(url, where):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ["%s: '%s' is not an http(s) URL" % (where, url)]
    d = denied(url)
    return ["%s: '%s' is on the deny-list (%s)" % (where, url, d)] if d else []


def check_source(s, where):
    if not isinstance(s, dict):
        return ["%s: a bare %s, not a source object" % (where, type(s).__name__)]
    errs = ["%s: unknown key '%s'" % (where, k) for k in s if k not in KEYS]
    for k in ("publisher", "title", "date"):
        if not isinstance(s.get(k), str) or not s[k].strip():
            errs.append("%s: no %s" % (where, k))
    if isinstance(s.get("date"), str) and not DATE.match(s["date"]):
        errs.append("%s: date '%s' is not YYYY, YYYY-MM or YYYY-MM-DD" % (where, s["date"]))
    if "url" not in s and "read_at" not in s:
        errs.append("%s: neither url nor read_at" % where)
    for k in ("url", "read_at"):
        if k in s:
            errs += check_url(s[k], "%s.%s" % (where, k))
    if "url" in s and s.get("url") == s.get("read_at"):
        errs.append("%s: read_at repeats url (read_at names a copy)" % where)
    return errs


def sources_in(v, path):
    """Yields (path, source) for every element of every 'sources' array under v."""
    if isinstance(v, dict):
        for k, x in v.items():
            p = "%s.%s" % (path, k) if path else k
            if k == "sources" and isinstance(x, list):
                for i, s in enumerate(x):
                    yield "%s[%d]" % (p, i), s
            else:
                yield from sources_in(x, p)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from sources_in(x, "%s[%d]" % (path, i))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("FLOWSIM_SOURCE_DIR", ".")
    tests = []  # (name, errors)

    # The checks themselves: a test that cannot fail proves nothing.
    bad = {"publisher": "P", "title": "T", "date": "2018-13",
           "url": "https://fanyv88.com:443/https/www.scribd.com/document/1", "read_at": "https://pastebin.com/x"}
    errs = check_source(bad, "self-test")
    want = ["date '2018-13'", "fanyv88.com", "pastebin.com"]
    tests.append(("the checks reject a bad date, a proxy and a paste site",
                  ["self-test: expected an error about %s" % w for w in want
                   if not any(w in e for e in errs)]))
    tests.append(("the checks reject a bare URL and a source without a title",
                  [] if check_source("https://example.org", "x") and
                  check_source({"publisher": "P", "date": "2018", "url": "https://a.org"}, "x")
                  else ["self-test: accepted a bare URL or a missing title"]))

    n_sources = 0
    for kind, folder in (("policy", "policies"), ("scenario", "scenarios")):
        for name in sorted(os.listdir(os.path.join(root, folder))):
            if not name.endswith(".json"):
                continue
            rel = "%s/%s" % (folder, name)
            with open(os.path.join(root, rel)) as f:
                doc = json.load(f)
            errs = []
            found = list(sources_in(doc, ""))
            n_sources += len(found)
            for where, s in found:
                errs += ["%s: %s" % (rel, e) for e in check_source(s, where)]
            tests.append(("%s: %d sources name a publication, none through a denied host"
                          % (rel, len(found)), errs))
    tests.append(("the bundled files cite at least 200 sources (%d)" % n_sources,
                  [] if n_sources >= 200 else ["only %d sources" % n_sources]))

    print("TAP version 13")
    print("1..%d" % len(tests))
    failed = 0
    for i, (name, errs) in enumerate(tests, 1):
        print("%s %d - %s" % ("not ok" if errs else "ok", i, name))
        for e in errs:
            print("# " + e)
        failed += bool(errs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
