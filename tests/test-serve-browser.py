# SPDX-License-Identifier: MIT
"""test-serve-browser.py: the explorer page of `flowsim serve` in headless Chromium.

Opens the tour, moves the date slider past 2015-04-30 with the keyboard and checks that the
quiz app's reach drops to zero on screen; then opens the page's own URL afresh and checks that
it shows the same state. On the device-partner scenario, flips the claim on Apple's access to
Apple's own statement and checks the numbers on screen against `flowsim run --claim` (and
`--set choices.CLAIM=ALT`, the same override). Only loopback is used. Run by
test-serve-browser.sh.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

TIMEOUT = 120  # seconds, for a loaded machine


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def start_server():
    scenarios = os.path.join(os.environ["FLOWSIM_SOURCE_DIR"], "scenarios")
    # under ASan: libsoup 3.2's own leak of closed connections is not ours (lsan-serve.supp)
    env = dict(os.environ, LSAN_OPTIONS="suppressions=" + os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "lsan-serve.supp"))
    server = subprocess.Popen([os.environ["FLOWSIM"], "serve", "--port=0", "--quiet", scenarios],
                              stdout=subprocess.PIPE, text=True, env=env)
    line = server.stdout.readline()
    match = re.search(r" at (http://127\.0\.0\.1:\d+/) ", line)
    if not match:
        server.kill()
        fail("no URL in %r" % line)
    return server, match.group(1)


def browser(profile):
    options = Options()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1400,1800", "--user-data-dir=" + profile):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def rendered(driver):
    """Waits until the page shows the answer for the state in its URL; returns that state."""
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        state = driver.execute_script(
            "const r = document.getElementById('results');"
            "const q = window.location.search.slice(1);"
            "return r.dataset.rendered === q ? q : null;")
        if state:
            return state
        time.sleep(0.1)
    fail("the page did not show its state within %d s: %s" % (
        TIMEOUT, driver.find_element(By.ID, "status").text))


def cell(driver, partner, column):
    return driver.find_element(
        By.CSS_SELECTOR, '#partners tr[data-partner="%s"] td.%s' % (partner, column)).text


def text(driver, element_id):
    return driver.find_element(By.ID, element_id).text


def check_console(driver):
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    if errors:
        fail("console errors (a CSP violation shows here too): %s" % errors)


def cli_reached(*args):
    """Users reached per partner, as `flowsim run device-partners-2018.json ARGS` says."""
    scenarios = os.path.join(os.environ["FLOWSIM_SOURCE_DIR"], "scenarios")
    out = subprocess.run([os.environ["FLOWSIM"], "run", "device-partners-2018.json",
                          "--format", "json"] + list(args), cwd=scenarios, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return {p["id"]: "{:,}".format(p["users_reached"]) for p in json.loads(out)["partners"]}


def check_diff(driver, date):
    """Opens "compared with the scenario as written" and checks it against flowsim diff."""
    scenarios = os.path.join(os.environ["FLOWSIM_SOURCE_DIR"], "scenarios")
    out = subprocess.run([os.environ["FLOWSIM"], "diff", "tour.json", "--format", "json",
                          "--set", "date=" + date,
                          "--set", "population.users[dave].settings.platform=true"],
                         cwd=scenarios, check=True, stdout=subprocess.PIPE, text=True).stdout
    diff = json.loads(out)
    driver.find_element(By.CSS_SELECTOR, "#diff-box summary").click()
    deadline = time.time() + TIMEOUT
    while time.time() < deadline and driver.execute_script(
            "const b = document.getElementById('diff-box');"
            "return b.dataset.rendered !== window.location.search.slice(1);"):
        time.sleep(0.1)
    moved = [p for p in diff["partners"] if p["people_before"] != p["people_after"]
             or p["flows_gained"] or p["flows_lost"]]
    if not any(p["id"] == "quiz" for p in moved):
        fail("flowsim diff shows no change for the quiz: %s" % moved)
    rows = driver.find_elements(By.CSS_SELECTOR, "#diff-partners tr[data-partner]")
    if len(rows) != len(moved):
        fail("the page lists %d changed partners, flowsim diff %d" % (len(rows), len(moved)))
    for p in moved:
        cells = [c.text for c in driver.find_elements(
            By.CSS_SELECTOR, '#diff-partners tr[data-partner="%s"] td' % p["id"])]
        want = [p["id"], p["in_words"], "{:,}".format(p["people_before"]),
                "{:,}".format(p["people_after"]), "{:,}".format(p["flows_gained"]),
                "{:,}".format(p["flows_lost"])]
        if cells != want:
            fail("the page compares %s as %s, flowsim diff as %s" % (p["id"], cells, want))
    summary = text(driver, "diff-summary")
    exposure = diff["exposure"]
    if "%d as written, %d now" % (exposure["before"], exposure["after"]) not in summary:
        fail("the comparison says %r, flowsim diff %s" % (summary, exposure))


def check_claims(driver, url):
    """Flips apple-access on the page and compares the screen with the CLI."""
    sets = ["population.users=2000", "date=2018-11-01"]
    cli_sets = [a for s in sets for a in ("--set", s)]
    default = cli_reached(*cli_sets)
    apple = cli_reached(*cli_sets, "--claim", "apple-access=apple-2017-09")
    if cli_reached(*cli_sets, "--set", "choices.apple-access=apple-2017-09") != apple:
        fail("--set choices.apple-access=... and --claim apple-access=... differ")
    if apple["apple"] == default["apple"]:
        fail("the CLI shows no effect of apple-access on apple: %s" % apple["apple"])
    driver.get(url + "?scenario=device-partners-2018&set=population.users%3D2000"
               "&set=date%3D2018-11-01")
    rendered(driver)
    radio = 'input[data-claim="apple-access"][value="%s"]'
    deadline = time.time() + TIMEOUT
    while time.time() < deadline and not driver.find_elements(By.CSS_SELECTOR, radio % "apple-2017-09"):
        time.sleep(0.1)
    if not driver.find_element(By.CSS_SELECTOR, radio % "facebook-2018-06").is_selected():
        fail("the scenario as written should have Facebook's answer chosen")
    label = driver.find_element(By.CSS_SELECTOR, '#claims div[data-claim="apple-access"]').text
    for words in ("Did Apple's device-integrated access continue", "(stated by Apple)",
                  "(stated by Facebook, the default)"):
        if words not in label:
            fail("the apple-access control lacks %r:\n%s" % (words, label))
    if cell(driver, "apple", "reached") != default["apple"]:
        fail("apple reaches %s on the page, %s by the CLI" % (cell(driver, "apple", "reached"),
                                                             default["apple"]))
    driver.find_element(By.CSS_SELECTOR, radio % "apple-2017-09").click()
    state = rendered(driver)
    if "set=choices.apple-access%3Dapple-2017-09" not in state:
        fail("the URL %r does not hold the claim" % state)
    for partner, reached in apple.items():
        if cell(driver, partner, "reached") != reached:
            fail("under Apple's statement %s reaches %s on the page, %s by flowsim run --claim" %
                 (partner, cell(driver, partner, "reached"), reached))
    if "--claim apple-access=apple-2017-09" not in text(driver, "cli"):
        fail("the command line shown is %r" % text(driver, "cli"))
    in_force = driver.find_element(By.CSS_SELECTOR, '#in-force li[data-claim="apple-access"]').text
    if "apple-2017-09; chosen, the default is facebook-2018-06; stated by Apple" not in in_force:
        fail("the claims in force say %r" % in_force)
    shared = driver.current_url
    driver.get("about:blank")
    driver.get(shared)
    rendered(driver)
    deadline = time.time() + TIMEOUT
    while time.time() < deadline and not driver.find_elements(By.CSS_SELECTOR, radio % "apple-2017-09"):
        time.sleep(0.1)
    if not driver.find_element(By.CSS_SELECTOR, radio % "apple-2017-09").is_selected():
        fail("the shared URL lost the claim's alternative")
    if cell(driver, "apple", "reached") != apple["apple"]:
        fail("the shared URL shows apple reaching %s" % cell(driver, "apple", "reached"))
    check_console(driver)
    return default["apple"], apple["apple"]


def main():
    server, url = start_server()
    profile = tempfile.mkdtemp(prefix="flowsim-chromium-")
    driver = None
    try:
        driver = browser(profile)
        driver.get(url + "?scenario=tour")
        rendered(driver)
        if text(driver, "date-label") != "2014-06-01" or cell(driver, "quiz", "reached") != "3":
            fail("the tour on 2014-06-01 should show the quiz reaching 3 users, not %s" %
                 cell(driver, "quiz", "reached"))

        # move the date with the keyboard until it is past the v1.0 shutdown
        slider = driver.find_element(By.ID, "date")
        for _ in range(40):
            if text(driver, "date-label") > "2015-04-30":
                break
            slider.send_keys(Keys.PAGE_UP)
            time.sleep(0.05)
        date = text(driver, "date-label")
        if date <= "2015-04-30":
            fail("the slider did not move past 2015-04-30 (at %s)" % date)
        state = rendered(driver)
        if "set=date%3D" + date not in state:
            fail("the URL %r does not hold the date %s" % (state, date))
        if cell(driver, "quiz", "reached") != "0":
            fail("after %s the quiz should reach nobody, the page shows %s" %
                 (date, cell(driver, "quiz", "reached")))
        if cell(driver, "phoneco", "reached") != "5":
            fail("phoneco should still reach 5 users, the page shows %s" %
                 cell(driver, "phoneco", "reached"))

        # a second change: dave turns the platform back on
        driver.find_element(By.CSS_SELECTOR, '#people input[data-user="dave"]').click()
        state = rendered(driver)
        if "settings.platform%3Dtrue" not in state:
            fail("the URL %r does not hold dave's platform switch" % state)
        before = {i: text(driver, i) for i in ("partners", "jurisdictions", "fields", "cli")}
        check_console(driver)
        check_diff(driver, date)

        # the shared URL, opened afresh, restores the same state
        shared = driver.current_url
        driver.get("about:blank")
        driver.get(shared)
        rendered(driver)
        if text(driver, "date-label") != date:
            fail("the shared URL shows %s, not %s" % (text(driver, "date-label"), date))
        if not driver.find_element(By.CSS_SELECTOR, '#people input[data-user="dave"]').is_selected():
            fail("the shared URL lost dave's platform switch")
        for key, value in before.items():
            if text(driver, key) != value:
                fail("the shared URL shows another %s:\n%s\n---\n%s" % (key, text(driver, key), value))
        if cell(driver, "quiz", "reached") != "0":
            fail("the shared URL shows the quiz reaching %s" % cell(driver, "quiz", "reached"))
        # explain for a person: the CLI's text for bob on that date
        driver.find_element(By.CSS_SELECTOR, 'button[data-explain="bob"]').click()
        deadline = time.time() + TIMEOUT
        while time.time() < deadline and not re.search(r"User\s+bob", text(driver, "explain")):
            time.sleep(0.1)
        explained = text(driver, "explain")
        if not re.search(r"User\s+bob", explained) or not re.search(r"Date\s+" + date, explained):
            fail("explain for bob shows:\n" + explained)
        check_console(driver)
        print("ok: the quiz drops to 0 after %s, and %s restores the same page" % (date, shared))
        before, after = check_claims(driver, url)
        print("ok: apple-access=apple-2017-09 takes Apple from %s to %s users reached, as "
              "flowsim run --claim says" % (before, after))
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(profile, ignore_errors=True)
    if server.returncode != 0:
        fail("flowsim serve exited with %d after SIGTERM" % server.returncode)


if __name__ == "__main__":
    main()
