#!/bin/sh
# SPDX-License-Identifier: MIT
# validate.sh: build flowsim and its bench tools (release) and write docs/validation.md.
#
#   docs/validate.sh            # the full run: about 10 minutes, about 8 GB of memory
#   docs/validate.sh --quick    # small populations, to check the script (figures not valid;
#                               # written to flowsim-validation-quick.md in the temporary folder)
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
