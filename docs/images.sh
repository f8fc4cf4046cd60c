#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# docs/images.sh: makes the pictures of the README and docs/diagrams.md from a build:
#   docs/img/tour.svg, tour.png          the tour's flow diagram
#   docs/img/device-partners.svg, .png   the default scenario's diagram (60 partners)
#   docs/img/timeline.svg, timeline.png  the default scenario from 2013 to 2019
#   docs/img/report.png                  the first screen of its HTML report (1280 x 900)
#   docs/img/serve.png                   flowsim serve on the tour after Graph API v1.0 closed
#                                        (docs/serve-screenshot.py; chromium-driver, selenium)
#
#   docs/images.sh [BUILD_DIR]    (default build/; needs Graphviz, rsvg-convert, chromium)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
flowsim="${1:-build}/sim/flowsim"
img=docs/img
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for tool in rsvg-convert chromium; do
    command -v "$tool" >/dev/null || { echo "images.sh: needs $tool" >&2; exit 1; }
done

"$flowsim" diagram scenarios/tour.json --output "$img/tour.svg"
"$flowsim" diagram --output "$img/device-partners.svg"
"$flowsim" timeline --from 2013-01-01 --to 2019-01-01 --step 3m --output "$img/timeline.svg"
for name in tour device-partners timeline; do
    rsvg-convert --width 1400 --keep-aspect-ratio --background-color white \
        "$img/$name.svg" --output "$img/$name.png"
done

"$flowsim" report --highlight huawei:profile.religion --timeline 2013-01-01:2019-01-01:3m \
    --output "$tmp/report.html"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --force-device-scale-factor=1 --user-data-dir="$tmp/profile" \
    --window-size=1280,900 --screenshot="$img/report.png" "file://$tmp/report.html" \
    >/dev/null 2>&1
/usr/bin/python3 docs/serve-screenshot.py "$flowsim" "$img/serve.png"
ls -l "$img"
