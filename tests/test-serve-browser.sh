#!/bin/sh
# SPDX-License-Identifier: MIT
# test-serve-browser.sh: runs test-serve-browser.py with Debian's python3 (the one that has
# python3-selenium); exits 77 (skipped) without chromium, chromedriver or selenium.
for program in chromium chromedriver; do
    command -v "$program" >/dev/null 2>&1 || { echo "skipped: $program is not installed"; exit 77; }
done
python=/usr/bin/python3
[ -x "$python" ] || python=python3
"$python" -c 'import selenium' 2>/dev/null ||
    { echo "skipped: python3-selenium is not installed"; exit 77; }
exec "$python" "$(dirname "$0")/test-serve-browser.py"
