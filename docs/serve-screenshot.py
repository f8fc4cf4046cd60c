# SPDX-License-Identifier: MIT
"""docs/serve-screenshot.py FLOWSIM OUT.png: the picture of `flowsim serve` in the README and
docs/serve.md, taken in headless Chromium (chromium, chromium-driver, python3-selenium).

The tour just after Graph API v1.0 closed (2015-05-01): the quiz and the broker reach nobody,
phoneco still reaches five. Run by docs/images.sh with Debian's /usr/bin/python3.
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

flowsim, out = sys.argv[1], sys.argv[2]
scenarios = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios")
server = subprocess.Popen([flowsim, "serve", "--port=0", "--quiet", scenarios],
                          stdout=subprocess.PIPE, text=True)
profile = tempfile.mkdtemp(prefix="flowsim-screenshot-")
driver = None
try:
    match = re.search(r" at (http://127\.0\.0\.1:\d+/) ", server.stdout.readline())
    if not match:
        sys.exit("serve-screenshot.py: flowsim serve printed no URL")
    options = Options()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1",
                 "--window-size=1400,1000", "--user-data-dir=" + profile):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.get(match.group(1) + "?scenario=tour&set=date%3D2015-05-01")
    deadline = time.time() + 120
    while not driver.execute_script(
            "const r = document.getElementById('results');"
            "return r.dataset.rendered === window.location.search.slice(1);"):
        if time.time() > deadline:
            sys.exit("serve-screenshot.py: the page did not render within 120 s")
        time.sleep(0.1)
    time.sleep(0.5)  # the diagram's image, after the tables
    driver.save_screenshot(out)
finally:
    if driver:
        driver.quit()
    server.terminate()
    server.wait()
    shutil.rmtree(profile, ignore_errors=True)
