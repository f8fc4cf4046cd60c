#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""serve-bench.py: how fast `flowsim serve` answers a changed control (docs/serve.md).

Not a test: figures to read, measured on this machine as it is. Usage:

    /usr/bin/python3 bench/serve-bench.py [--flowsim build/sim/flowsim] [--changes 15] [--api]

Starts `flowsim serve --port 0` on loopback, then
  1. in headless Chromium (python3-selenium), on the default scenario at 10,000 users and at
     100,000 users, moves the date slider to --changes new dates (none seen before, so no answer
     comes from the server's cache) and reads the page's own measures, from the change to the
     findings and tables on screen (window.fsimLastTablesMs: /api/run) and to the flow diagram
     too (window.fsimLastUpdateMs: /api/diagram, fetched at the same time, runs Graphviz);
     prints the medians and the ranges;
  2. sends 50 requests at once (50 threads, each a different date of the 10,000-user default,
     so 50 simulations), and prints how many were answered 200 and the wall time.
With --api, no browser: the same changes as /api/run and /api/diagram requests sent at once,
as the page sends them (the times to the run's answer and to both answers).
Every time is wall-clock time on a shared machine: compare them in one run, and read the load
average printed with them. The server's CPU time per update (all its threads, from /proc; the
`dot` processes it starts are not counted) is what an idle machine would need at least.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

HERE = os.path.dirname(os.path.abspath(__file__))


def start(flowsim, extra):
    server = subprocess.Popen([flowsim, "serve", "--port=0", "--quiet"] + extra,
                              stdout=subprocess.PIPE, text=True)
    url = re.search(r" at (http://\S+/) ", server.stdout.readline()).group(1)
    return server, url


def browser(profile):
    options = Options()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1400,1800",
                 "--user-data-dir=" + profile):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def wait_rendered(driver, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if driver.execute_script("return document.getElementById('results').dataset.rendered"
                                 " === window.location.search.slice(1)"):
            return driver.execute_script("return [window.fsimLastTablesMs,"
                                         " window.fsimLastUpdateMs]")
        time.sleep(0.01)
    raise RuntimeError("page not updated within %d s" % timeout)


def page_latency(driver, url, changes):
    driver.get(url)
    wait_rendered(driver)
    slider_max = int(driver.execute_script("return document.getElementById('date').max"))
    times = []
    for i in range(changes):
        # a new day each time: evenly spread over the slider, never the start
        value = (i + 1) * slider_max // (changes + 1) + 3
        driver.execute_script(
            "const s = document.getElementById('date'); s.value = arguments[0];"
            "s.dispatchEvent(new Event('change'));", value)
        times.append(wait_rendered(driver))
    return times


def cpu_seconds(pid):
    """User + system CPU time of process @pid so far (/proc/PID/stat, all its threads)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def burst(url, n):
    results = [None] * n

    def one(i):
        day = "2018-%02d-%02d" % (1 + i % 12, 1 + i // 12)
        target = url + "api/run?scenario=device-partners-2018&set=date%3D" + day
        try:
            with urllib.request.urlopen(target, timeout=600) as response:
                results[i] = response.status
        except urllib.error.HTTPError as e:
            results[i] = e.code
        except Exception as e:  # noqa: BLE001 - counted as an error
            results[i] = repr(e)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    started = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.time() - started


def api_latency(url, pid, users, changes):
    """Without a browser: per new date, /api/run and /api/diagram at once (as the page asks),
    the times to the run's answer and to both answers; and the server's CPU per update."""
    base = url + "api/%s?scenario=device-partners-2018&set=population.users%%3D" + str(users)

    def get(endpoint, query):
        with urllib.request.urlopen(base % endpoint + query, timeout=600) as response:
            response.read()

    get("run", "")  # builds the population; not counted
    before = cpu_seconds(pid)
    times = []
    for i in range(changes):
        query = "&set=date%%3D2017-%02d-%02d" % (1 + i % 12, 1 + i)
        started = time.time()
        diagram = threading.Thread(target=get, args=("diagram", query))
        diagram.start()
        get("run", query)
        run_ms = 1000 * (time.time() - started)
        diagram.join()
        times.append((run_ms, 1000 * (time.time() - started)))
    return times, 1000 * (cpu_seconds(pid) - before) / changes


def summary(name, pairs, labels=("findings and tables", "and the flow diagram")):
    for what, times in ((labels[0], [p[0] for p in pairs]), (labels[1], [p[1] for p in pairs])):
        print("%-28s %-22s median %5.0f ms  (min %.0f, max %.0f, n=%d)" % (
            name, what, statistics.median(times), min(times), max(times), len(times)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--flowsim", default=os.path.join(HERE, "..", "build", "sim", "flowsim"))
    parser.add_argument("--changes", type=int, default=15)
    parser.add_argument("--api", action="store_true",
                        help="no browser: time /api/run and /api/diagram as the page asks them")
    args = parser.parse_args()
    print("load average before: %.1f %.1f %.1f, %d processors" % (os.getloadavg() + (os.cpu_count(),)))
    if args.api:
        for users in (10000, 100000):
            server, url = start(args.flowsim, [])
            try:
                times, cpu = api_latency(url, server.pid, users, args.changes)
                summary("API, %d users" % users, times, ("/api/run answered", "and /api/diagram"))
                print("%-28s server CPU per update (run + diagram, Graphviz not counted): "
                      "%.0f ms" % ("", cpu))
            finally:
                server.terminate()
                server.wait()
        print("load average after: %.1f %.1f %.1f" % os.getloadavg())
        return
    server, url = start(args.flowsim, [])
    profile = tempfile.mkdtemp(prefix="flowsim-bench-")
    driver = browser(profile)
    try:
        base = url + "?scenario=device-partners-2018"
        for name, target in (("page update, 10,000 users", base),
                             ("page update, 100,000 users",
                              base + "&set=population.users%3D100000")):
            driver.get(target)
            wait_rendered(driver)  # the first view builds the population; not counted
            before = cpu_seconds(server.pid)
            summary(name, page_latency(driver, target, args.changes))
            print("%-28s server CPU per update (run + diagram, Graphviz not counted): %.0f ms"
                  % ("", 1000 * (cpu_seconds(server.pid) - before) / args.changes))
        results, wall = burst(url, 50)
        ok = sum(1 for r in results if r == 200)
        print("50 concurrent /api/run (10,000 users, 50 dates): %d answered 200, others %s; "
              "%.1f s wall" % (ok, [r for r in results if r != 200], wall))
    finally:
        driver.quit()
        server.terminate()
        server.wait()
        shutil.rmtree(profile, ignore_errors=True)
    print("load average after: %.1f %.1f %.1f" % os.getloadavg())


if __name__ == "__main__":
    main()
