#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# build.sh: installs what is missing, configures and builds flowsim, then runs it or its tests.
#
#   ./build.sh              build only
#   ./build.sh run [ARGS]   build, then `flowsim run ARGS` (the default scenario without ARGS)
#   ./build.sh test [ARGS]  build, then `meson test -C build --print-errorlogs ARGS`
#   ./build.sh slow         build, install Chromium for the browser checks, run the slow suite
#
# Safe to run again: packages are installed only when something is missing, `meson setup`
# only when build/ is not configured yet, and ninja rebuilds only what changed. Build messages
# go to stderr, so `./build.sh run --format json > report.json` gives a clean file.
# With CI=true the build treats warnings as errors.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

readonly BUILD_DIR=build
readonly PACKAGES=(meson ninja-build pkg-config libigraph-dev libcjson-dev libglib2.0-dev gcc valgrind graphviz
    python3-cffi python3-pandas python3-jsonschema help2man locales
    libsoup-3.0-dev)

say() { printf 'build.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

usage() {
    sed -n '3,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

have_everything() {
    command -v meson >/dev/null 2>&1 &&
        command -v ninja >/dev/null 2>&1 &&
        command -v pkg-config >/dev/null 2>&1 &&
        command -v cc >/dev/null 2>&1 &&
        command -v dot >/dev/null 2>&1 &&
        command -v help2man >/dev/null 2>&1 &&
        [ -e /usr/share/i18n/locales/de_DE ] &&
        { [ ! -x /usr/bin/python3 ] || /usr/bin/python3 -c 'import cffi, jsonschema' 2>/dev/null; } &&
        pkg-config --exists igraph libcjson glib-2.0 libsoup-3.0
}

# The slow suite's browser checks (tests/browser-check.py) drive Chromium with selenium.
readonly BROWSER_PACKAGES=(chromium chromium-driver python3-selenium librsvg2-bin)

have_browser() {
    command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 &&
        /usr/bin/python3 -c 'import selenium' 2>/dev/null
}

install_packages() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 ||
            die "missing build dependencies and no sudo; as root run: apt-get install ${PACKAGES[*]}"
        sudo=(sudo)
    fi
    command -v apt-get >/dev/null 2>&1 ||
        die "missing build dependencies and no apt-get; install: meson (>= 1.0), ninja," \
            "pkg-config, a C compiler, and the development files of igraph (>= 0.10)," \
            "cJSON and GLib (>= 2.66)"
    local packages=("${@:-${PACKAGES[@]}}")
    say "installing missing packages: ${packages[*]}"
    ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update >&2
    ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}" >&2
}

ensure_dependencies() {
    have_everything || install_packages
    have_everything || die "build dependencies still missing after installing ${PACKAGES[*]}"
    pkg-config --atleast-version=0.10 igraph ||
        die "igraph $(pkg-config --modversion igraph) is too old: flowsim needs >= 0.10" \
            "(Debian 12, Ubuntu 24.04 or later)"
}

configure() {
    if [ -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
        return
    fi
    local options=()
    if [ "${CI:-}" = true ]; then
        options+=(-Dwerror=true)
    fi
    say "configuring $BUILD_DIR/"
    meson setup "$BUILD_DIR" ${options[@]+"${options[@]}"} >&2
}

build() {
    ensure_dependencies
    configure
    meson compile -C "$BUILD_DIR" >&2
}

main() {
    local command="${1:-}"
    case "$command" in
        -h | --help | help)
            usage
            ;;
        "")
            build
            ;;
        run)
            shift
            build
            exec "$BUILD_DIR/sim/flowsim" run "$@"
            ;;
        test)
            shift
            build
            exec meson test -C "$BUILD_DIR" --print-errorlogs "$@"
            ;;
        slow)
            build
            have_browser || (install_packages "${BROWSER_PACKAGES[@]}") ||
                say "the browser packages could not be installed; the browser checks will skip"
            exec meson test -C "$BUILD_DIR" --setup=full --suite slow --print-errorlogs
            ;;
        *)
            say "error: unknown command '$command'"
            usage >&2
            exit 2
            ;;
    esac
}

main "$@"
