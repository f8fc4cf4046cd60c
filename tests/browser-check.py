#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# browser-check.py: renders flowsim's report, diagrams and timelines in headless Chromium and
# checks them from the rendered page's geometry (docs/diagrams.md, "Checked in a browser").
#
#   tests/browser-check.py FLOWSIM [--keep DIR] [--only NAME]
#
# Drives Debian's chromium through chromium-driver with python3-selenium. Prints one "ok" or
# "not ok" line per check (TAP) and exits 0 when all pass, 1 when one fails, and 77 (meson:
# skipped) when chromium, chromedriver or selenium is missing. Every measure is taken from
# what Chromium laid out (getBoundingClientRect, getScreenCTM, scrollWidth), not from the
# files' text.
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SKIP = 77

# Sizes in CSS pixels. A4 is 210 mm wide; the report's @page margin is 12 mm a side, so
# printing lays the page out 186 mm wide (Letter, 8.5 in less the margins, is wider).
SCREEN_WIDTH = 1280
A4_CONTENT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)
SLIDE = (1920, 1080)
MEDIAN_LABEL_PX = 12.0
MIN_LABEL_PX = 10.0

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]

# ---- measures, run in the page ----

# The text elements of every <svg> under ROOT (or the document) with their boxes in CSS px,
# the rendered font size (font-size times the scale of the element's screen transform), the
# text, and whether they belong to a Graphviz edge.
JS_TEXTS = r"""
const root = arguments[0] || document;
const out = [];
for (const t of root.querySelectorAll('svg text')) {
  const r = t.getBoundingClientRect();
  const m = t.getScreenCTM();
  const scale = m ? Math.hypot(m.a, m.b) : 1;
  const size = parseFloat(getComputedStyle(t).fontSize) * scale;
  const svg = t.ownerSVGElement;
  const hidden = getComputedStyle(t).visibility === 'hidden' ||
      getComputedStyle(t).display === 'none' || r.width === 0 || r.height === 0;
  out.push({text: t.textContent, x: r.left, y: r.top, w: r.width, h: r.height, size: size,
            hidden: hidden, svg: Array.prototype.indexOf.call(document.querySelectorAll('svg'), svg),
            edge: !!t.closest('g.edge')});
}
return out;
"""

# Text boxes that an edge's line or arrowhead passes through: for each text, a grid of points
# inside its box (without the empty space above capitals and below descenders) is tested with
# isPointInStroke / isPointInFill against every edge path and arrowhead of the same <svg>.
JS_UNDER_EDGES = r"""
const bad = [];
for (const svg of document.querySelectorAll('svg')) {
  const shapes = [];
  for (const g of svg.querySelectorAll('g.edge'))
    for (const s of g.querySelectorAll('path, polygon'))
      shapes.push({el: s, box: s.getBBox(), edge: g, fill: s.tagName === 'polygon'});
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBBox();
    if (b.width === 0) continue;
    const own = t.closest('g.edge');
    const x0 = b.x + 1, x1 = b.x + b.width - 1, y0 = b.y + b.height * 0.25, y1 = b.y + b.height * 0.8;
    for (const s of shapes) {
      if (s.edge === own) continue;
      const q = s.box;
      if (q.x > x1 || q.x + q.width < x0 || q.y > y1 || q.y + q.height < y0) continue;
      let hit = false;
      for (let i = 0; i <= 6 && !hit; i++)
        for (let j = 0; j <= 3 && !hit; j++) {
          const p = new DOMPoint(x0 + (x1 - x0) * i / 6, y0 + (y1 - y0) * j / 3);
          hit = s.fill ? s.el.isPointInFill(p) : s.el.isPointInStroke(p);
        }
      if (hit) {
        bad.push(t.textContent + ' <- ' + (s.edge.querySelector('title') || {}).textContent);
        break;
      }
    }
  }
}
return bad;
"""

# Graphviz boxes whose text spills out of the shape drawn around it (the layout measured the
# text with other font metrics than the browser draws it with).
JS_NODE_TEXT = r"""
const bad = [];
for (const g of document.querySelectorAll('g.node')) {
  const shape = g.querySelector('polygon, path, ellipse');
  if (!shape) continue;
  const b = shape.getBBox();
  for (const t of g.querySelectorAll('text')) {
    const r = t.getBBox();
    if (r.x < b.x - 1 || r.x + r.width > b.x + b.width + 1)
      bad.push(t.textContent + ': ' + Math.round(r.width) + ' wide in a box of ' +
               Math.round(b.width));
  }
}
return bad;
"""

# Elements whose content is wider than their box, and how far the page scrolls sideways.
JS_OVERFLOW = r"""
const wide = [];
for (const e of document.body.querySelectorAll('*')) {
  if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') continue;
  const cs = getComputedStyle(e);
  if (cs.display === 'none' || cs.display === 'inline') continue;
  if (e.tagName.toLowerCase() === 'svg') {
    const p = e.parentElement.getBoundingClientRect(), r = e.getBoundingClientRect();
    if (r.width > p.width + 1)
      wide.push('svg ' + Math.round(r.width) + ' px in a ' + Math.round(p.width) + ' px box');
    continue;
  }
  if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
    wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
              (e.className && typeof e.className === 'string' ? '.' + e.className : '') + ': ' +
              e.scrollWidth + ' px of content in ' + e.clientWidth + ' px');
}
const d = document.documentElement;
return {page: d.scrollWidth - d.clientWidth, wide: wide};
"""

# A page that shows one SVG document scaled to fit the window, as a projector would.
FIT_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"/><style>
html,body{margin:0;padding:0;overflow:hidden}svg{display:block;width:100vw;height:100vh}
</style></head><body>%s</body></html>"""


class Checks:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, name, detail=""):
        self.n += 1
        if not ok:
            self.failed += 1
        print(("ok" if ok else "not ok") + " %d - %s" % (self.n, name))
        if detail and not ok:
            for line in str(detail).splitlines():
                print("#   " + line)
        sys.stdout.flush()
        return ok


def overlaps(texts, tolerance=0.5):
    """Pairs of visible labels whose boxes intersect. A text box is as tall as the font's
    line, with room above capitals and below descenders: a fifth of its height is taken off
    each side before comparing, so that stacked lines of one label may touch."""
    boxes = []
    for t in texts:
        if t["hidden"] or not t["text"].strip():
            continue
        pad = t["h"] * 0.2
        boxes.append((t["x"], t["y"] + pad, t["x"] + t["w"], t["y"] + t["h"] - pad, t))
    boxes.sort(key=lambda b: b[0])
    bad = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[0] >= a[2] - tolerance:
                break
            if a[4]["svg"] != b[4]["svg"]:
                continue
            if min(a[3], b[3]) - max(a[1], b[1]) > tolerance and \
                    min(a[2], b[2]) - max(a[0], b[0]) > tolerance:
                bad.append("'%s' and '%s'" % (a[4]["text"], b[4]["text"]))
    return bad


class Browser:
    def __init__(self, tmp):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = find_program("chromium", "chromium-browser")
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument("--user-data-dir=" + os.path.join(tmp, "profile"))
        service = Service(executable_path=find_program("chromedriver"),
                          log_output=os.path.join(tmp, "chromedriver.log")) \
            if "log_output" in Service.__init__.__code__.co_varnames else \
            Service(executable_path=find_program("chromedriver"),
                    log_path=os.path.join(tmp, "chromedriver.log"))
        self.driver = webdriver.Chrome(service=service, options=options)

    def viewport(self, width, height, media=""):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})

    def open(self, path):
        self.driver.get("file://" + os.path.abspath(path))

    def run(self, script, *args):
        return self.driver.execute_script(script, *args)

    def quit(self):
        self.driver.quit()


def find_program(*names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def flowsim(exe, *args):
    r = subprocess.run([exe] + list(args), capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("flowsim %s: exit %d: %s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def label_sizes(texts):
    sizes = [t["size"] for t in texts if not t["hidden"] and t["text"].strip()]
    return (statistics.median(sizes) if sizes else 0.0, min(sizes) if sizes else 0.0)


def check_svg_labels(c, b, path, name, fit=False, under_edges=True):
    """No two labels of @path intersect, none lies under an edge, and, with @fit, the
    drawing scaled to a 1920x1080 screen keeps its labels large enough."""
    with open(path, encoding="utf-8") as f:
        svg = f.read()
    svg = svg[svg.index("<svg"):]
    page = path + ".fit.html"
    with open(page, "w", encoding="utf-8") as f:
        f.write(FIT_PAGE % svg)
    b.viewport(*SLIDE)
    b.open(page)
    texts = b.run(JS_TEXTS, None)
    c.check(len(texts) > 0, "%s: has text labels" % name, "%d labels" % len(texts))
    bad = overlaps(texts)
    c.check(not bad, "%s: no two labels overlap" % name, "\n".join(bad[:12]))
    if under_edges:
        bad = b.run(JS_UNDER_EDGES)
        c.check(not bad, "%s: no label under an edge or arrow" % name, "\n".join(bad[:12]))
    bad = b.run(JS_NODE_TEXT)
    c.check(not bad, "%s: every box's text fits in the box" % name, "\n".join(bad[:12]))
    median, smallest = label_sizes(texts)
    if fit:
        c.check(median >= MEDIAN_LABEL_PX and smallest >= MIN_LABEL_PX,
                "%s: fitted to 1920x1080, labels are %.1f px (median) and >= %.1f px" %
                (name, median, smallest),
                "need a median >= %.0f px and none under %.0f px" % (MEDIAN_LABEL_PX, MIN_LABEL_PX))
    return texts


def check_page_fits(c, b, path, name):
    """No sideways scrolling and no element wider than its box, on a 1280 px screen and on
    an A4 sheet."""
    for width, media, what in ((SCREEN_WIDTH, "", "1280 px screen"),
                               (A4_CONTENT_WIDTH, "print", "A4 print")):
        b.viewport(width, 900, media)
        b.open(path)
        r = b.run(JS_OVERFLOW)
        c.check(r["page"] <= 0, "%s: no horizontal overflow on a %s" % (name, what),
                "the page scrolls %d px sideways" % r["page"])
        c.check(not r["wide"], "%s: no element wider than its box on a %s" % (name, what),
                "\n".join(r["wide"][:12]))
    b.viewport(SCREEN_WIDTH, 900)
    b.open(path)
    bad = overlaps(b.run(JS_TEXTS, None))
    c.check(not bad, "%s: no two labels overlap in its pictures" % name, "\n".join(bad[:12]))
    if b.run("return !!document.getElementById('diagram-full');"):
        # the link to the full-size diagram: it then scrolls inside its frame, the page does not
        b.open(path + "#diagram-full")
        r = b.run("const f = document.getElementById('diagram-full');"
                  "const s = f.querySelector('svg').getBoundingClientRect();"
                  "const d = document.documentElement;"
                  "return [s.width, f.clientWidth, getComputedStyle(f).overflowX,"
                  " d.scrollWidth - d.clientWidth];")
        c.check(r[0] > r[1] and r[2] == "auto" and r[3] <= 0,
                "%s: the full-size diagram link shows it at full size in a scrolling frame" % name,
                "svg %d px, frame %d px, overflow %s, page scrolls %d px" % tuple(r))


def check_events(c, b, svg_path, json_path, name):
    """Every policy change of the timeline's JSON has a visible label with its date."""
    with open(json_path, encoding="utf-8") as f:
        events = json.load(f)["events"]
    b.viewport(SCREEN_WIDTH, 900)
    b.open(svg_path)
    texts = [t for t in b.run(JS_TEXTS, None) if not t["hidden"]]
    view = b.run("const r = document.documentElement.getBoundingClientRect();"
                 "return [r.left, r.top, r.right, r.bottom];")
    inside = [t for t in texts if t["x"] >= view[0] - 0.5 and t["y"] >= view[1] - 0.5 and
              t["x"] + t["w"] <= view[2] + 0.5 and t["y"] + t["h"] <= view[3] + 0.5]
    missing = sorted({e["date"] for e in events if not any(e["date"] in t["text"] for t in inside)})
    c.check(len(events) > 0 and not missing,
            "%s: each of its %d policy changes has a visible dated label" % (name, len(events)),
            "no visible label for " + ", ".join(missing))
    cut = [t["text"] for t in texts if t not in inside]
    c.check(not cut, "%s: no label outside the picture" % name, "\n".join(cut[:12]))
    bad = overlaps(texts)
    c.check(not bad, "%s: no two labels overlap" % name, "\n".join(bad[:12]))


def check_tabs(c, b, path, name, count):
    """The variant tabs (radio buttons and labels, no script) show one panel at a time."""
    from selenium.webdriver.common.by import By

    b.viewport(SCREEN_WIDTH, 900)
    b.open(path)
    tabs = b.driver.find_elements(By.CSS_SELECTOR, ".tabs > label")
    c.check(len(tabs) == count, "%s: %d variant tabs" % (name, count), "found %d" % len(tabs))
    shown_ok = True
    detail = []
    for i, tab in enumerate(tabs):
        tab.click()
        shown = b.run("return Array.from(document.querySelectorAll('.variant')).map("
                      "p => getComputedStyle(p).display !== 'none' && p.offsetHeight > 0);")
        if shown != [j == i for j in range(len(tabs))]:
            shown_ok = False
            detail.append("after clicking tab %d (%s) the panels shown are %s" %
                          (i + 1, tab.text, shown))
    c.check(len(tabs) == count and shown_ok, "%s: clicking a tab shows its panel only" % name,
            "\n".join(detail))


def main():
    if len(sys.argv) < 2:
        print("usage: browser-check.py FLOWSIM [--keep DIR] [--only NAME]", file=sys.stderr)
        return 2
    exe = os.path.abspath(sys.argv[1])
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    try:
        import selenium  # noqa: F401
    except ImportError:
        print("1..0 # SKIP python3-selenium is not installed")
        return SKIP
    if not find_program("chromium", "chromium-browser") or not find_program("chromedriver"):
        print("1..0 # SKIP chromium or chromedriver is not installed "
              "(apt-get install chromium chromium-driver)")
        return SKIP
    if not find_program(os.environ.get("FLOWSIM_DOT", "dot")):
        print("1..0 # SKIP Graphviz's dot is not installed")
        return SKIP

    src = os.environ.get("FLOWSIM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), ".."))
    tour = os.path.join(src, "scenarios", "tour.json")
    tmp = keep or tempfile.mkdtemp(prefix="flowsim-browser-")
    os.makedirs(tmp, exist_ok=True)
    out = lambda name: os.path.join(tmp, name)  # noqa: E731
    started = time.monotonic()

    jobs = {
        "diagram": [("diagram", "--output", out("default.svg"))],
        "tour": [("diagram", tour, "--output", out("tour.svg"))],
        "focus": [("diagram", "--partner", "huawei", "--output", out("huawei.svg")),
                  ("diagram", "--field", "profile.religion", "--output", out("religion.svg"))],
        "timeline": [("timeline", "--from", "2013-01-01", "--to", "2019-01-01", "--step", "3m",
                      "--output", out("timeline.svg")),
                     ("timeline", "--from", "2013-01-01", "--to", "2019-01-01", "--step", "3m",
                      "--format", "json", "--output", out("timeline.json"))],
        "report": [("report", "--timeline", "2013-01-01:2019-01-01:3m",
                    "--output", out("report.html"))],
        "variants": [("report", tour, "--no-diagram",
                      "--variant", "As reported=",
                      "--variant", "After the cut-off=--set date=2015-05-01",
                      "--variant", "Phone data in China=--set "
                      "partners[phoneco].destinations[handset].location=server --set "
                      "partners[phoneco].destinations[handset].jurisdiction=CN",
                      "--output", out("variants.html"))],
    }
    c = Checks()
    for name, commands in jobs.items():
        if only and name != only:
            continue
        for args in commands:
            try:
                flowsim(exe, *args)
            except RuntimeError as e:
                c.check(False, "%s: flowsim makes it" % name, e)

    b = Browser(tmp)
    try:
        run = lambda name: not only or only == name  # noqa: E731
        if run("diagram") and os.path.exists(out("default.svg")):
            check_svg_labels(c, b, out("default.svg"), "default diagram", fit=True)
        if run("tour") and os.path.exists(out("tour.svg")):
            check_svg_labels(c, b, out("tour.svg"), "tour diagram", fit=True)
        if run("focus"):
            for f, name in (("huawei.svg", "diagram --partner huawei"),
                            ("religion.svg", "diagram --field profile.religion")):
                if os.path.exists(out(f)):
                    check_svg_labels(c, b, out(f), name, fit=True)
        if run("timeline") and os.path.exists(out("timeline.json")):
            check_events(c, b, out("timeline.svg"), out("timeline.json"),
                         "timeline 2013-2019")
        if run("report") and os.path.exists(out("report.html")):
            check_page_fits(c, b, out("report.html"), "default report")
        if run("variants") and os.path.exists(out("variants.html")):
            check_page_fits(c, b, out("variants.html"), "variant report")
            check_tabs(c, b, out("variants.html"), "variant report", 3)
    finally:
        b.quit()
    print("1..%d" % c.n)
    print("# %d of %d checks failed; %.1f s; files in %s" %
          (c.failed, c.n, time.monotonic() - started, tmp))
    if not keep and c.failed == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
