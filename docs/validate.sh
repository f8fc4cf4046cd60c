#!/bin/sh
# SPDX-License-Identifier: MIT
# validate.sh: the `flowsim sweep` runs behind docs/validation.md, one output file per run.
#
#   docs/validate.sh                 # every run, one after another (each run's processor
#                                    # time and peak memory are in its log: a 1,000,000-user
#                                    # population takes about 18 processor-seconds and 1.7 GB,
#                                    # 2,000,000 users 3.3 GB, 5,000,000 users 7.7 GB,
#                                    # 10,000,000 users 15.4 GB and 210 processor-seconds)
#   docs/validate.sh bb-1m ca        # only the named runs
#   docs/validate.sh --list          # the names and commands, nothing run
#
# Each run is one `flowsim sweep` command; its text output goes to docs/validation/NAME.txt and
# the command, the build, the wall time and the peak memory to docs/validation/NAME.log. The
# tables of docs/validation.md are then rendered from those files by docs/validation-tables.py
# (between its `<!-- BEGIN table NAME -->` markers; the prose is written by hand and quotes the
# tables). flowsim is built in release mode in build-validate/ (or $FLOWSIM_VALIDATE_BUILD). The
# runs of one invocation are made one after another; never run two of the 10M ones at once
# (memory).
set -eu
set -f # the arguments hold brackets and stars: no file-name expansion
cd "$(dirname "$0")/.."
build=${FLOWSIM_VALIDATE_BUILD:-build-validate}
out=docs/validation

# The BlackBerry Hub test: the 25 accounts nearest 550 friends (docs/analysis.md#sweep).
A='accounts[550,25]'
BB="-m friends_min=$A.friends_min -m friends_max=$A.friends_max"
BB="$BB -m fof_median=$A.friends_of_friends_median -m fof_min=$A.friends_of_friends_min"
BB="$BB -m fof_max=$A.friends_of_friends_max -m per_friend_median=$A.per_friend_median"
BB="$BB -m per_friend_min=$A.per_friend_min -m per_friend_max=$A.per_friend_max"
DEV=scenarios/device-partners-2018.json
# Cambridge Analytica: people reached without consent per installer.
Q='partners[thisisyourdigitallife]'
CAM="-m installers=$Q.users -m reached_without_consent=$Q.users_reached_without_consent"
CAM="$CAM -m per_installer=$Q.users_reached_without_consent/$Q.users"
CAM="$CAM -m held_by_scl=partners[scl-cambridge-analytica].users_reached"
CA=scenarios/cambridge-analytica-2014.json
SHARE=population.adoption.thisisyourdigitallife
V2=scenarios/graph-api-v2-2015.json
V2APPS=""
for app in quiz-app social-game new-app-2014 rbc nissan nuance-fca nike spotify serotek \
    oracle panasonic aol other-extension-apps beta-test-companies whitelisted-unnamed \
    thisisyourdigitallife; do
    V2APPS="$V2APPS -m $app=partners[$app].users_reached_without_consent"
done
V2DATES=2014-04-29,2014-04-30,2015-04-29,2015-04-30,2015-05-01,2015-10-31,2015-11-01,2016-06-01
V2DATES=$V2DATES,2018-04-03,2018-04-04
WL='partners[whitelisted-unnamed]'
WLM="-m users=$WL.users -m without_consent=$WL.users_reached_without_consent"
WLM="$WLM -m phone=fields[contact.phone].users_without_consent"
WLM="$WLM -m friend_link=fields[social.friend_link].users_without_consent"
DEVDATES=2018-03-31,2018-04-01,2018-06-02,2018-06-03,2018-06-04,2018-06-05,2018-06-07
DEVDATES=$DEVDATES,2018-06-08,2018-06-28,2018-06-29,2018-07-31,2018-08-01,2018-10-31,2018-11-01
DEVM="-m huawei=partners[huawei].users_reached"
DEVM="$DEVM -m without_consent=jurisdictions[device].users_without_consent"
DEVM="$DEVM -m birthday=fields[profile.birthday].users_without_consent"
DEVM="$DEVM -m religion=fields[profile.religion].users_without_consent"
DEVM="$DEVM -m friend_list=fields[social.friend_list].users_without_consent"
EARLY="--set rules[wound-down-by-2018-06-03].from=2018-04-01"
EARLY="$EARLY --set rules[wound-down-by-2018-06-05].from=2018-04-01"
EARLY="$EARLY --set rules[wound-down-by-2018-06-29].from=2018-06-05"
EVERY='population.adoption={"*":0.01}'

# name|arguments of `flowsim sweep` (split at spaces: no argument holds one)
runs() {
    cat <<RUNS
bb-1m|$DEV --set population.users=1000000 --seeds 1-5 $BB
bb-2m|$DEV --set population.users=2000000 --seeds 1-5 $BB
bb-5m|$DEV --set population.users=5000000 --seeds 1-3 $BB
bb-10m|$DEV --set population.users=10000000 --seeds 1 $BB
bb-claims|$DEV --set population.users=1000000 --seeds 1 --vary choices.apple-access=facebook-2018-06,apple-2017-09 --vary choices.device-partner-status=facebook-service-providers,nyt-third-parties $BB
bb-clustering|$DEV --set population.users=500000 --seeds 1-2 --vary population.clustering=0.5,0.2,0.8 $BB
bb-spread|$DEV --set population.users=500000 --seeds 1-2 --vary population.spread=1.15,0.8,1.5 $BB
bb-degree|$DEV --set population.users=500000 --seeds 1-2 --vary population.mean_degree=190,130,250 $BB
ca|$CA --set population.users=1000000 --seeds 1-5 --vary $SHARE=0.000205,0.00135 --vary choices.ca-data-source=facebook-2018-04,kogan-2018-06 $CAM
ca-share|$CA --set population.users=1000000 --seeds 1-3 --vary $SHARE=0.000205,0.001,0.00135,0.003,0.01 $CAM
ca-degree|$CA --set population.users=1000000 --seeds 1-3 --vary population.mean_degree=190,130,250,320 $CAM
ca-platform|$CA --set population.users=1000000 --seeds 1-3 --vary population.settings.platform_off=0.02,0,0.1,0.3 $CAM
ca-apps-others|$CA --set population.users=1000000 --seeds 1-3 --set population.settings.apps_others_restricted_fields=["*"] --vary population.settings.apps_others_restricted=0.1,0.3 $CAM
ca-identity|$CA --set population.users=1000000 --seeds 1-3 --vary population.settings.audience.identity={"public":1},{"public":0.25,"friends_of_friends":0.15,"friends":0.5,"only_me":0.1} $CAM
ca-no-skew|$CA --set population.users=1000000 --seeds 1-3 --set population.clustering=0 --vary population.spread=1.15,0 $CAM
ca-adoption|$CA --set population.users=1000000 --seeds 1-3 --vary population.adoption_model=random,clustered $CAM
v2-cutoff|$V2 --set population.users=100000 --seeds 1-3 --vary date=$V2DATES $V2APPS
v2-whitelist-share|$V2 --set population.users=100000 --seeds 1-3 --set date=2016-06-01 --vary population.adoption.whitelisted-unnamed=0.001,0.005,0.02 $WLM
dev-access|$DEV --set population.users=100000 --set $EVERY --vary date=$DEVDATES -m partners_with_access=partners_reaching
dev-dates|$DEV --set population.users=100000 --seeds 1-3 --vary date=$DEVDATES $DEVM
dev-early|$DEV --set population.users=100000 --seeds 1-3 $EARLY $DEVM
dev-respect|scenarios/device-partners-2018-respect-settings.json --set population.users=100000 --seeds 1-3 $DEVM
dev-ignore|scenarios/device-partners-2018-ignore-audience.json --set population.users=100000 --seeds 1-3 $DEVM
claims-whitelist|$V2 --set population.users=100000 --seeds 1-3 --set date=2016-06-01 --vary choices.whitelist-scope=wsj-dcms,facebook-archibong $WLM
claims-apple|$DEV --set population.users=100000 --seeds 1-3 --set date=2018-11-01 --vary choices.apple-access=facebook-2018-06,apple-2017-09 $DEVM
claims-apple-access|$DEV --set population.users=100000 --set $EVERY --set date=2018-11-01 --vary choices.apple-access=facebook-2018-06,apple-2017-09 -m partners_with_access=partners_reaching
claims-status|$DEV --set population.users=100000 --seeds 1-3 --vary choices.device-partner-status=facebook-service-providers,nyt-third-parties $DEVM
claims-messages|scenarios/integration-partners-2017.json --set population.users=100000 --seeds 1-3 --vary choices.messages-access=nyt-2018-12,partners-denials -m inbox=fields[messages.inbox].users
RUNS
}

if [ "${1:-}" = "--list" ]; then
    runs | sed 's/|/: flowsim sweep /'
    exit 0
fi
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" -Dbuildtype=release -Dtests=false
fi
ninja -C "$build" sim/flowsim >&2
flowsim=$build/sim/flowsim
mkdir -p "$out"
runs | while IFS='|' read -r name args; do
    if [ $# -gt 0 ]; then
        case " $* " in *" $name "*) ;; *) continue ;; esac
    fi
    echo "validate.sh: $name" >&2
    # shellcheck disable=SC2086 # the arguments are split at spaces on purpose
    {
        echo "command: flowsim sweep $args --threads 1 --quiet"
        echo "flowsim: $("$flowsim" --version) ($(meson introspect "$build" --buildoptions |
            python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin)
            if o["name"] == "buildtype"][0])') build)"
        echo "started: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
        /usr/bin/time -f 'wall: %e s; cpu: %U s user, %S s system; peak memory: %M KB' \
            "$flowsim" sweep $args --threads 1 --quiet --output "$out/$name.txt" 2>&1 </dev/null
        echo "ended: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
    } > "$out/$name.log.tmp"
    # the log replaces the last one only once its run has ended: a run that fails or is stopped
    # leaves the committed output and log as they were
    mv "$out/$name.log.tmp" "$out/$name.log"
    tail -1 "$out/$name.log" >&2
done
# The tables of docs/validation.md, from the outputs (the prose around them is written by hand).
python3 docs/validation-tables.py
