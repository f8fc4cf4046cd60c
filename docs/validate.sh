#!/bin/sh
# SPDX-License-Identifier: MIT
# validate.sh: build flowsim and its bench tools (release) and write docs/validation.md.
#
#   docs/validate.sh            # the full run: about 10 minutes and 8 GB before the BlackBerry
#                               # runs over seeds at 5M and 10M users were added (those were
#                               # not timed: expect well over an hour and more than 8 GB)
#   docs/validate.sh --quick    # small populations, to check the script (figures not valid;
#                               # written to flowsim-validation-quick.md in the temporary folder)
#   docs/validate.sh --lite --only ca,blackberry
#                               # what a loaded 2-core machine can run in about half an hour:
#                               # CA sensitivity at 200,000 users, BlackBerry at 1M and 2M
#                               # users (over seeds 1-2); the file says what was not run
#
# The build goes to build-validate/ (or $FLOWSIM_VALIDATE_BUILD); the figures and how they were
# made are in docs/validation.md. Not part of the test suite.
set -eu
cd "$(dirname "$0")/.."
build=${FLOWSIM_VALIDATE_BUILD:-build-validate}
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" -Dbuildtype=release -Dbench=true -Dtests=false
fi
ninja -C "$build" sim/flowsim bench/ego-network
exec python3 docs/validate.py --flowsim "$build/sim/flowsim" \
    --ego-network "$build/bench/ego-network" "$@"
