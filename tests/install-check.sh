#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/install-check.sh BUILD_DIR: installs flowsim from BUILD_DIR into a scratch root
# (meson install --destdir), then uses it as a user of the installed package would:
#   - the example program compiled with `pkg-config --cflags --libs flowsim` and run;
#   - the installed flowsim finding its data relative to itself (no source path compiled in);
#   - `import flowsim` from Python (python/tests/test_flowsim.py);
#   - the man pages and the bash and zsh completion installed where man and the shells look.
set -euo pipefail

build=${1:-build}
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --quiet >/dev/null
option() { meson introspect "$build" --buildoptions |
    python3 -c "import json,sys; print([o['value'] for o in json.load(sys.stdin) if o['name']=='$1'][0])"; }
prefix=$(option prefix)
libdir=$(option libdir)
bindir=$(option bindir)
root="$dest$prefix"
fail() { echo "install-check: FAIL: $*" >&2; exit 1; }

# 1. The example, built against the installed library and header with pkg-config.
export PKG_CONFIG_PATH="$root/$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest"
flags=$(pkg-config --cflags --libs flowsim) || fail "pkg-config does not know flowsim"
"${CC:-cc}" -Wall -Werror "$src/examples/reach.c" $flags -o "$dest/reach"
out=$(LD_LIBRARY_PATH="$root/$libdir" "$dest/reach" "$src/scenarios/tour.json" date=2015-05-01)
grep -Eq '^quiz +0 reached +0 without consent$' <<<"$out" || fail "example output: $out"
grep -Eq '^phoneco +5 reached +4 without consent$' <<<"$out" || fail "example output: $out"
echo "ok 1 - examples/reach.c built with pkg-config against the installed libflowsim"

# 2. Only the API is exported.
outside=$(nm -D --defined-only "$root/$libdir/libflowsim.so" | awk '$3 !~ /^flowsim_/ {print $3}')
[ -z "$outside" ] || fail "libflowsim exports symbols outside its API: $outside"
echo "ok 2 - libflowsim exports flowsim_* only"

# 3. The installed program finds the installed data (its default scenario) by itself.
report=$(cd / && "$root/$bindir/flowsim" run --format json --quiet) || fail "installed flowsim run"
grep -q '"scenario": "device-partners-2018"' <<<"$report" || fail "installed flowsim: no default scenario"
# The debug information names the build directory (DWARF's comp_dir), which is no lookup path:
# look at what is loaded. grep reads a file, not a pipe: under pipefail, grep -q ending early
# would make the writer's SIGPIPE read as "not found".
for installed in "$root/$bindir/flowsim" "$root/$libdir/libflowsim.so"; do
    objcopy --strip-debug "$installed" "$dest/loaded"
    if grep -aqF "$src" "$dest/loaded"; then
        fail "the source path $src is compiled into the installed ${installed##*/}"
    fi
done
echo "ok 3 - the installed flowsim finds its data relative to itself"

# 4. Python: Debian's python3, where python3-cffi and python3-pandas are installed.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
init=$(find "$root" -path '*/flowsim/__init__.py' | head -n 1)
[ -n "$init" ] || fail "the Python module is not installed under $prefix"
PYTHONPATH=$(dirname "$(dirname "$init")") FLOWSIM_LIBRARY="$root/$libdir/libflowsim.so.0" \
    FLOWSIM="$build/sim/flowsim" FLOWSIM_SOURCE_DIR="$src" \
    "$py" -m unittest -q "$src/python/tests/test_flowsim.py" || fail "python/tests/test_flowsim.py"
echo "ok 4 - import flowsim from the installed package (${init#"$dest"})"
# 5. Man pages and completion, where man and bash-completion look.
for page in flowsim flowsim-run flowsim-explain; do
    [ -f "$root/$(option mandir)/man1/$page.1" ] || fail "no man page $page.1"
done
grep -q '^\.TH FLOWSIM-RUN ' "$root/$(option mandir)/man1/flowsim-run.1" || fail "flowsim-run.1 title"
grep -q 'Report format' "$root/$(option mandir)/man1/flowsim-run.1" || fail "flowsim-run.1 has no options"
completion="$root/$(option datadir)/bash-completion/completions/flowsim"
[ -f "$completion" ] || fail "no bash completion installed"
got=$(cd "$src" && FLOWSIM_BIN="$root/$bindir/flowsim" bash -c '
    source "$1"
    flowsim() { "$FLOWSIM_BIN" "$@"; }
    COMP_WORDS=(flowsim explain scenarios/tour.json --partner ph); COMP_CWORD=4
    _flowsim; echo "${COMPREPLY[*]}"' _ "$completion")
[ "$got" = phoneco ] || fail "completion of --partner ph gave '$got'"
# zsh: the function as compinit would call it, with compadd replaced by one that prints the
# candidates matching the word being completed
zcompletion="$root/$(option datadir)/zsh/site-functions/_flowsim"
[ -f "$zcompletion" ] || fail "no zsh completion installed"
if command -v zsh >/dev/null 2>&1; then
    got=$(cd "$src" && FLOWSIM_BIN="$root/$bindir/flowsim" zsh -f -c '
        compadd() {
            local arr=0 item; local -a out
            while (( $# )); do
                case $1 in
                    (-a) arr=1 ;;
                    (-S) shift ;;
                    (-*) ;;
                    (*) if (( arr )); then out+=(${(P)1}); else out+=($1); fi ;;
                esac
                shift
            done
            for item in $out; do [[ $item == ${words[CURRENT]}* ]] && print -r -- $item; done
        }
        flowsim() { "$FLOWSIM_BIN" "$@" }
        words=(flowsim explain scenarios/tour.json --partner ph); CURRENT=5; source "$1"
        words=(flowsim run scenarios/device-partners-2018.json --claim apple-access=apple)
        CURRENT=5; source "$1"
        words=(flowsim sw); CURRENT=2; source "$1"; true' _ "$zcompletion" | tr '\n' ' ')
    [ "$got" = "phoneco apple-access=apple-2017-09 sweep " ] || fail "zsh completion gave '$got'"
    zsh_done=", zsh completes a partner id, a claim and a command"
else
    zsh_done=" (zsh not installed: its completion was not run)"
fi
echo "ok 5 - man flowsim-run, and bash completes a partner id of the scenario${zsh_done}"
echo "install-check: all passed"
