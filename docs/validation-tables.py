#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# validation-tables.py: the tables of docs/validation.md, rendered from the `flowsim sweep`
# outputs and logs that docs/validate.sh writes (docs/validation/NAME.txt and NAME.log).
#
#   docs/validation-tables.py           # rewrite the generated regions of docs/validation.md
#   docs/validation-tables.py --check   # exit 1, with a diff, if any region is out of date
#
# A generated region is the text between `<!-- BEGIN table NAME -->` and `<!-- END table NAME
# -->` (NAME is one of TABLES below: the table and its runs' times), or between `<!-- BEGIN
# commands RUN... -->` and `<!-- END commands -->` (the runs' commands, as their logs record
# them). Everything outside the regions (the prose) is written by hand. docs/validate.sh calls
# this after its runs, so re-running a sweep refreshes its table; the `validation-tables` test
# runs --check, so a table that no longer matches the committed outputs fails the build, and so
# does an output whose log records another command than the one `validate.sh --list` gives for
# it (validate.sh changed, the run not re-made).
#
# The committed outputs are sweep's text format (the 1,000,000- to 10,000,000-user runs were made
# before anything else was kept, and making them again for another format costs about 900
# processor-seconds and a 15 GB population), so this reads that format, strictly: every setting's
# title must match the `Varied` header, every metric row must have its five columns and every
# number must parse, or it stops with FILE:LINE. The cells are the sweep's own printed figures,
# not recomputed; only derived columns (a difference to a published figure, a count of partners
# ended, inside or outside a band) are computed here.
import difflib
import itertools
import os
import re
import shlex
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "docs", "validation")
DOC = os.path.join(ROOT, "docs", "validation.md")


class FormatError(Exception):
    pass


class Metric:
    """One row of a sweep table: the printed mean, interval, min and max."""

    def __init__(self, mean, lo, hi, low, high):
        self.mean, self.lo, self.hi, self.min, self.max = mean, lo, hi, low, high

    @staticmethod
    def number(text):
        if text == "n/a":
            return None
        try:
            return float(text.replace(",", ""))
        except ValueError:
            raise FormatError(f"not a number: '{text}'") from None

    def ci(self):
        """'mean (lo-hi)', or the mean alone when there is no interval (one seed)."""
        if self.lo is None:
            return self.mean
        return f"{self.mean} ({self.lo}-{self.hi})"


class Sweep:
    """A parsed `flowsim sweep` text output and its validate.sh log."""

    def __init__(self, name):
        self.name = name
        self.path = os.path.join(OUT, name + ".txt")
        with open(self.path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        self.header = {}
        self.vary = []  # [(path, [values])]
        self.settings = []  # [{"values": {path: value}, "metrics": {name: Metric}}]
        self._parse(lines)
        self.log = self._parse_log(os.path.join(OUT, name + ".log"))

    def fail(self, lineno, what):
        raise FormatError(f"{self.path}:{lineno}: {what}")

    def _parse(self, lines):
        key = None
        i = 0
        while i < len(lines) and not lines[i].startswith("Claims in force"):
            m = re.match(r"^  (\w+)? +(.*)$", lines[i])
            if m and i > 0:
                key = m.group(1) or key
                if key == "Varied":
                    v = re.match(r"^(\S+) = (.*?)( \(changes the population\))?$", m.group(2))
                    if not v:
                        self.fail(i + 1, "a 'Varied' line without 'PATH = VALUES'")
                    self.vary.append((v.group(1), v.group(2).split(", ")))
                else:
                    self.header[key] = m.group(2)
            i += 1
        combos = list(itertools.product(*[values for _, values in self.vary]))
        current = None
        while i < len(lines):
            line = lines[i]
            s = re.match(r"^Setting (\d+) of (\d+): (.*)$", line)
            if s:
                n, total = int(s.group(1)), int(s.group(2))
                if total != len(combos) or n != len(self.settings) + 1:
                    self.fail(i + 1, f"setting {n} of {total}, expected {len(self.settings) + 1} "
                              f"of {len(combos)} from the 'Varied' header")
                values = dict(zip([p for p, _ in self.vary], combos[n - 1]))
                title = ", ".join(f"{p}={v}" for p, v in values.items())
                if s.group(3) != title:
                    self.fail(i + 1, f"setting title '{s.group(3)}', expected '{title}'")
                current = None
                self.settings.append({"values": values, "metrics": {}})
            elif re.match(r"^  metric +mean +95 % interval +min +max$", line):
                if not self.vary and not self.settings:
                    self.settings.append({"values": {}, "metrics": {}})
                if not self.settings or current is not None:
                    self.fail(i + 1, "a metric table outside a setting")
                current = self.settings[-1]["metrics"]
                i += 1  # the dashes
            elif current is not None and line.startswith("  ") and line.strip():
                self._parse_row(i + 1, line, current)
            elif not line.strip():
                current = None
            i += 1
        if len(self.settings) != max(len(combos), 1):
            self.fail(len(lines), f"{len(self.settings)} settings, expected {len(combos)}")

    def _parse_row(self, lineno, line, metrics):
        tok = line.split()
        if len(tok) == 7 and tok[3] == "..":
            name, mean, lo, _, hi, low, high = tok
        elif len(tok) == 5 and tok[2] == "n/a":
            name, mean, _, low, high = tok
            lo = hi = None
        else:
            self.fail(lineno, "a metric row without NAME MEAN INTERVAL MIN MAX")
        for t in (mean, lo, hi, low, high):
            if t is not None:
                Metric.number(t)
        metrics[name] = Metric(mean, lo, hi, low, high)

    def _parse_log(self, path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        w = re.search(r"^wall: ([\d.]+) s; cpu: ([\d.]+) s user, ([\d.]+) s system; "
                      r"peak memory: (\d+) KB$", text, re.M)
        s = re.search(r"^started: .*; load: ([\d.]+) ", text, re.M)
        c = re.search(r"^command: flowsim sweep (.*)$", text, re.M)
        b = re.search(r"^flowsim: .* \((\w+) build\)$", text, re.M)
        if not (w and s and c and b):
            raise FormatError(f"{path}: no 'command:', 'flowsim:', 'started:' or 'wall:' line")
        users = re.search(r"population\.users=(\d+)", c.group(1))
        return {
            "wall": float(w.group(1)),
            "cpu": float(w.group(2)) + float(w.group(3)),
            "peak_mib": int(w.group(4)) / 1024,
            "load": s.group(1),
            "users": int(users.group(1)) if users else None,
            "command": c.group(1),
            "build": b.group(1),
        }

    def seeds(self):
        return self.header["Seeds"].split(" (")[0]

    def column(self, metric):
        """(setting values, Metric) for each setting, in order."""
        for s in self.settings:
            if metric not in s["metrics"]:
                raise FormatError(f"{self.path}: no metric '{metric}'")
            yield s["values"], s["metrics"][metric]


_sweeps = {}


def sweep(name):
    if name not in _sweeps:
        _sweeps[name] = Sweep(name)
    return _sweeps[name]


def pick(name, values):
    """The metrics of NAME's one setting whose varied values include VALUES ({path: value})."""
    s = sweep(name)
    found = [st["metrics"] for st in s.settings
             if all(st["values"].get(k) == v for k, v in values.items())]
    if len(found) != 1:
        raise FormatError(f"{s.path}: {len(found)} settings with {values}")
    return found[0]


def grouped(n):
    return f"{n:,.0f}"


def row(*cells):
    return "| " + " | ".join(str(c) for c in cells) + " |"


def table(head, rows):
    return "\n".join([row(*head), "|" + "---|" * len(head)] + rows)


def runs(names):
    """The 'Runs:' sentence: each run's wall time, processor time, peak memory and load."""
    parts = []
    for n in names:
        g = sweep(n).log
        parts.append(f"`{n}` {grouped(g['wall'])} s wall, {grouped(g['cpu'])} CPU-s, peak "
                     f"{grouped(g['peak_mib'])} MiB, load {g['load']} at its start"
                     + ("" if g["build"] == "release" else f" ({g['build']} build)"))
    text = ("Run: " if len(parts) == 1 else "Runs: ") + "; ".join(parts) + "."
    return textwrap.fill(text, 100, break_on_hyphens=False, break_long_words=False)


def with_range(m):
    """'**mean** (lo-hi) [min-max]': the mean, its interval and the seeds' range."""
    ci = f" ({m.lo}-{m.hi})" if m.lo is not None else " (one seed: no interval)"
    rng = f" [{m.min}-{m.max}]" if m.lo is not None else ""
    return f"**{m.mean}**{ci}{rng}"


# --- 1. Cambridge Analytica --------------------------------------------------------------------

CA_SHARE = "population.adoption.thisisyourdigitallife"
CA_SHARES = {"0.000205": "0.0205 % (of all users)", "0.00135": "0.135 % (of US users)"}
CA_PUBLISHED = {"facebook-2018-04": "322 (Facebook)", "kogan-2018-06": "111 (Kogan)"}
BAND = (111, 322)


def table_ca():
    s = sweep("ca")
    rows = []
    for st in s.settings:
        v, m = st["values"], st["metrics"]
        claim = v["choices.ca-data-source"]
        rows.append(row(CA_SHARES[v[CA_SHARE]], f"`{claim}`", m["installers"].mean,
                        m["reached_without_consent"].mean, with_range(m["per_installer"]),
                        CA_PUBLISHED[claim], m["held_by_scl"].mean))
    head = ["installer share", "claim `ca-data-source`", "installers (mean)",
            "reached without consent (mean)",
            "per installer: **mean** (95 % interval) [seeds' min-max]",
            "published per installer", "held by SCL / Cambridge Analytica (mean)"]
    return table(head, rows) + "\n\n" + runs(["ca"])


CA_SENSITIVITY = [
    ("ca-share", "installer share (file: 0.000205)", {}),
    ("ca-degree", "mean friends (file: 190)", {}),
    ("ca-platform", "platform off (file: 0.02)", {}),
    ("ca-apps-others", "share who untick everything in 'apps others use' (file: 10 % untick 4 "
     "sensitive fields)", {}),
    ("ca-identity", "audience of basic info (file: public; else the '*' mix, 10 % only me)",
     {'{"public":1}': "public",
      '{"public":0.25,"friends_of_friends":0.15,"friends":0.5,"only_me":0.1}': "the '*' mix"}),
    ("ca-no-skew", "spread, with clustering 0 (file: 1.15 and 0.5; 0: everybody has about 190 "
     "friends)", {}),
    ("ca-adoption", "adoption model (clustered: installers in the same communities)", {}),
]


def band(m):
    x = Metric.number(m.mean)
    return "below" if x < BAND[0] else "above" if x > BAND[1] else "inside"


def table_ca_sensitivity():
    rows = []
    for name, changed, labels in CA_SENSITIVITY:
        s = sweep(name)
        if len(s.vary) != 1:
            raise FormatError(f"{s.path}: one --vary expected")
        for st in s.settings:
            (value,) = st["values"].values()
            m = st["metrics"]
            rows.append(row(f"`{name}`", changed, labels.get(value, value),
                            f"{grouped(s.log['users'])}, {s.seeds()}", m["installers"].mean,
                            with_range(m["per_installer"]), band(m["per_installer"])))
    head = ["run", "changed", "value", "users, seeds", "installers (mean)",
            "per installer: **mean** (95 % interval) [seeds' min-max]", "band 111-322 (mean)"]
    return table(head, rows) + "\n\n" + runs([n for n, _, _ in CA_SENSITIVITY])


# --- 2. The BlackBerry Hub test ----------------------------------------------------------------

BB_RUNS = ["bb-1m", "bb-2m", "bb-5m", "bb-10m"]
BB_PUBLISHED = 529


def bb_accounts(m):
    """The lowest and highest account over every seed: min of _min, max of _max."""
    return m["per_friend_min"].min, m["per_friend_max"].max


def table_bb():
    rows = []
    for name in BB_RUNS:
        s = sweep(name)
        (m,) = [st["metrics"] for st in s.settings]
        med = m["per_friend_median"]
        vs = (Metric.number(med.mean) - BB_PUBLISHED) / BB_PUBLISHED * 100
        lo, hi = bb_accounts(m)
        rows.append(row(grouped(s.log["users"]), s.seeds(),
                        f"{m['friends_min'].min}-{m['friends_max'].max}",
                        f"{m['fof_median'].mean} [{m['fof_min'].min}-{m['fof_max'].max}]",
                        with_range(med), f"{lo}-{hi}", f"{vs:+.0f} %"))
    head = ["users", "seeds", "the 25 accounts' friends",
            "friends of friends: median [lowest-highest account]",
            "per friend: **median** (95 % interval) [seeds' medians min-max]",
            "per friend: lowest-highest account, all seeds", "median vs published 529"]
    return table(head, rows) + "\n\n" + runs(BB_RUNS)


BB_SENSITIVITY = [
    ("bb-clustering", "clustering (file: 0.5)"),
    ("bb-spread", "spread (file: 1.15)"),
    ("bb-degree", "mean degree (file: 190)"),
]


def table_bb_sensitivity():
    rows = []
    for name, changed in BB_SENSITIVITY:
        for values, m in sweep(name).column("per_friend_median"):
            (value,) = values.values()
            lo, hi = bb_accounts(pick(name, values))
            rows.append(row(f"`{name}`", changed, value, f"{m.mean} [{m.min}-{m.max}]",
                            f"{lo}-{hi}"))
    head = ["run", "changed", "value", "per friend: median [seeds' medians min-max]",
            "lowest-highest account"]
    return table(head, rows) + "\n\n" + runs([n for n, _ in BB_SENSITIVITY])


# --- 3. The Graph API v2.0 cut-off -------------------------------------------------------------


def table_v2_cutoff():
    s = sweep("v2-cutoff")
    dates = [st["values"]["date"] for st in s.settings]
    apps = list(s.settings[0]["metrics"])
    rows = [row(f"`{app}`", *[st["metrics"][app].mean for st in s.settings]) for app in apps]
    return table(["app"] + dates, rows) + "\n\n" + runs(["v2-cutoff"])


def table_v2_whitelist():
    s = sweep("v2-whitelist-share")
    rows = []
    for st in s.settings:
        m = st["metrics"]
        (value,) = st["values"].values()
        rows.append(row(value, m["users"].mean, m["without_consent"].ci()))
    head = ["share using the whitelisted companies", "users (mean)",
            "reached without consent: mean (95 % interval)"]
    return table(head, rows) + "\n\n" + runs(["v2-whitelist-share"])


# --- 4. The device partners over 2018 ----------------------------------------------------------

DEV_SAID = {
    "2018-06-03": "Facebook: 'already ended 22'",
    "2018-06-05": "'more than half' wound down",
    "2018-06-08": "Huawei's deal ends",
    "2018-06-29": "Facebook to Congress: 38 of 52 ended",
    "2018-08-01": "7 more by the end of July",
    "2018-11-01": "1 more by the end of October",
}
DEV_PARTNERS = 60


def table_dev():
    access = sweep("dev-access")
    rows = []
    for values, m in access.column("partners_with_access"):
        date = values["date"]
        d = pick("dev-dates", {"date": date})
        n = Metric.number(m.mean)
        huawei = "yes" if Metric.number(d["huawei"].max) > 0 else "no"
        rows.append(row(date, DEV_SAID.get(date, ""), m.mean, f"{DEV_PARTNERS - n:.0f}", huawei,
                        d["without_consent"].ci(), d["birthday"].ci()))
    head = ["date", "said by then", "partners with access (of 60)", "ended (of 60)",
            "Huawei reaches anyone (any seed)",
            "people reached without consent by a device partner (of 100,000)",
            "whose birthday was"]
    return table(head, rows) + "\n\n" + runs(["dev-access", "dev-dates"])


DEV_SENSITIVITY = [
    ("claims-status", {"choices.device-partner-status": "facebook-service-providers"},
     "file (latest end date in each group), 2018-06-01"),
    ("dev-early", {}, "earliest end dates (23 end on 2018-04-01, 14 on 2018-06-05), 2018-06-01"),
    ("dev-respect", {}, "API respects platform and 'apps others use' too (scenario "
     "device-partners-2018-respect-settings)"),
    ("dev-ignore", {}, "API respects no setting (scenario device-partners-2018-ignore-audience)"),
]


def table_dev_sensitivity():
    rows = []
    for name, values, label in DEV_SENSITIVITY:
        m = pick(name, values)
        rows.append(row(f"`{name}`", label, m["without_consent"].ci(), m["religion"].ci(),
                        m["friend_list"].ci()))
    head = ["run", "assumption", "reached without consent", "religion reached without consent",
            "friend list reached without consent"]
    return table(head, rows) + "\n\n" + runs([n for n, _, _ in DEV_SENSITIVITY])


# --- 5. The claims each figure rests on --------------------------------------------------------


def claims_rows(figure, name, metrics):
    """One row per setting of NAME: its claim choices and METRICS' 'mean (interval)'."""
    out = []
    for st in sweep(name).settings:
        choices = ", ".join(f"{p[len('choices.'):]}={v}" for p, v in st["values"].items()
                            if p.startswith("choices."))
        cells = "; ".join(st["metrics"][m].ci() for m in metrics)
        out.append(row(figure, f"`{choices}`", cells))
    return out


def table_claims():
    ca_users = grouped(sweep("ca").log["users"])
    bb = sweep("bb-claims")
    ca = sweep("ca")
    rows = []
    for st in ca.settings:
        if st["values"][CA_SHARE] != "0.000205":
            continue
        claim = st["values"]["choices.ca-data-source"]
        rows.append(row(f"1. people per installer, at 0.0205 % ({ca_users} users, seeds "
                        f"{ca.seeds()}; run `ca`)", f"`ca-data-source={claim}`",
                        f"published {CA_PUBLISHED[claim].split()[0]}; simulated "
                        f"{st['metrics']['per_installer'].ci()}"))
    rows += claims_rows(
        "2. friends of friends per friend, median of the 25 accounts nearest 550 "
        f"({grouped(bb.log['users'])} users, seed {bb.seeds()}; run `bb-claims`)",
        "bb-claims", ["per_friend_median"])
    rows += claims_rows("3. whitelisted companies on 2016-06-01: people reached without "
                        "consent; phone numbers, friend links reached without consent",
                        "claims-whitelist", ["without_consent", "phone", "friend_link"])
    rows += claims_rows("4. device partners with access on 2018-11-01 (the scenario's seed)",
                        "claims-apple-access", ["partners_with_access"])
    rows += claims_rows("4. on 2018-11-01: reached without consent by a device partner; whose "
                        "birthday was; religion", "claims-apple",
                        ["without_consent", "birthday", "religion"])
    rows += claims_rows("4. on 2018-06-01: reached without consent by a device partner; "
                        "religion", "claims-status", ["without_consent", "religion"])
    rows += claims_rows("integration partners on 2017-06-01: people whose private messages "
                        "reached Netflix, Spotify or RBC", "claims-messages", ["inbox"])
    head = ["figure", "claim = alternative", "value: mean (95 % interval)"]
    return table(head, rows) + "\n\n" + runs(
        ["claims-whitelist", "claims-apple-access", "claims-apple", "claims-status",
         "claims-messages"])


TABLES = {
    "ca": table_ca,
    "ca-sensitivity": table_ca_sensitivity,
    "bb": table_bb,
    "bb-sensitivity": table_bb_sensitivity,
    "v2-cutoff": table_v2_cutoff,
    "v2-whitelist": table_v2_whitelist,
    "dev": table_dev,
    "dev-sensitivity": table_dev_sensitivity,
    "claims": table_claims,
}

# validate.sh adds these to every run; they change neither the figures nor the output.
RUN_OPTIONS = " --threads 1 --quiet"


def command(name):
    """NAME's command as its log records it, quoted for a shell and wrapped at 100 columns."""
    text = sweep(name).log["command"]
    if not text.endswith(RUN_OPTIONS):
        raise FormatError(f"{sweep(name).path[:-4]}.log: the command does not end '{RUN_OPTIONS}'")
    words = text[: -len(RUN_OPTIONS)].split(" ")
    groups = ["flowsim sweep " + shlex.quote(words[0])]
    i = 1
    while i < len(words):
        takes = words[i].startswith("-") and i + 1 < len(words)
        takes = takes and not words[i + 1].startswith("-")
        groups.append(" ".join(shlex.quote(w) for w in words[i:i + 1 + takes]))
        i += 1 + takes
    lines = [groups[0]]
    for g in groups[1:]:
        if len(lines[-1]) + 1 + len(g) + 2 <= 100:
            lines[-1] += " " + g
        else:
            lines[-1] += " \\"
            lines.append("    " + g)
    return f"# {name}\n" + "\n".join(lines)


def commands(names):
    return "```sh\n" + "\n".join(command(n) for n in names) + "\n```"


COMMANDS = re.compile(r"(<!-- BEGIN commands ([\w -]+) -->\n)(.*?)(<!-- END commands -->)", re.S)
REGION = re.compile(r"(<!-- BEGIN table ([\w-]+) -->\n)(.*?)(<!-- END table \2 -->)", re.S)


def check_commands():
    """Every run of `validate.sh --list` has a log that records that command: the committed
    outputs are those of the runs validate.sh defines, not of an earlier version of them."""
    listed = subprocess.run(["sh", os.path.join(ROOT, "docs", "validate.sh"), "--list"],
                            capture_output=True, text=True, check=True).stdout
    for line in listed.splitlines():
        name, _, cmd = line.partition(": flowsim sweep ")
        if sweep(name).log["command"] != cmd + RUN_OPTIONS:
            raise FormatError(f"{OUT}/{name}.log: its command is not the one docs/validate.sh "
                              f"runs as '{name}' (re-run it: docs/validate.sh {name})")


def render(doc):
    """DOC with every generated region rendered; an error for an unknown or missing one."""
    check_commands()
    seen = []

    def one(m):
        name = m.group(2)
        if name not in TABLES:
            raise FormatError(f"{DOC}: unknown table '{name}' (known: {', '.join(TABLES)})")
        seen.append(name)
        return m.group(1) + TABLES[name]() + "\n" + m.group(4)

    out = REGION.sub(one, doc)
    out = COMMANDS.sub(lambda m: m.group(1) + commands(m.group(2).split()) + "\n" + m.group(4),
                       out)
    if len(re.findall(r"<!-- BEGIN commands ", doc)) != len(COMMANDS.findall(doc)):
        raise FormatError(f"{DOC}: a 'BEGIN commands' marker without its END")
    missing = [n for n in TABLES if n not in seen]
    if missing:
        raise FormatError(f"{DOC}: no region for table(s) {', '.join(missing)}")
    begins = len(re.findall(r"<!-- BEGIN table ", doc))
    if begins != len(seen):
        raise FormatError(f"{DOC}: {begins - len(seen)} BEGIN marker(s) without a matching END")
    return out


def main(argv):
    check = argv[1:] == ["--check"]
    if argv[1:] and not check:
        print("usage: validation-tables.py [--check]", file=sys.stderr)
        return 2
    with open(DOC, encoding="utf-8") as f:
        doc = f.read()
    try:
        new = render(doc)
    except (FormatError, OSError, KeyError, subprocess.CalledProcessError) as e:
        print(f"validation-tables.py: error: {e}", file=sys.stderr)
        return 3
    if check:
        if new == doc:
            print(f"validation-tables.py: the {len(TABLES)} tables of docs/validation.md match "
                  "docs/validation/")
            return 0
        sys.stdout.writelines(difflib.unified_diff(
            doc.splitlines(True), new.splitlines(True), "docs/validation.md (committed)",
            "docs/validation.md (rendered from docs/validation/)"))
        print("validation-tables.py: docs/validation.md is out of date: run "
              "docs/validation-tables.py", file=sys.stderr)
        return 1
    if new != doc:
        tmp = DOC + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(new)
        os.replace(tmp, DOC)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
