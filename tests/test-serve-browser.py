# SPDX-License-Identifier: MIT
"""test-serve-browser.py: the explorer page of `flowsim serve` in headless Chromium.

Opens the tour, moves the date slider past 2015-04-30 with the keyboard and checks that the
quiz app's reach drops to zero on screen; then opens the page's own URL afresh and checks that
it shows the same state. Only loopback is used. Run by test-serve-browser.sh.
"""
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
