# SPDX-License-Identifier: MIT
# bash completion for flowsim: commands, each command's options (read from its --help),
# scenario files, and the partner and field ids of the scenario on the command line for
# --partner, --field and --set, and CLAIM=ALTERNATIVE for --claim (zsh: completion/_flowsim).

# The ids of KIND ("partners" or "fields") in scenario $1, from the JSON report of a run
# on a one-user population (fast whatever the scenario's size), or, for a scenario whose
# users are listed or imported, of the scenario as it is.
_flowsim_ids() {
    local scenario=$1 kind=$2 report
    report=$("${_flowsim_cmd:-flowsim}" run "$scenario" --format json --quiet \
        --set population.users=1 2>/dev/null) ||
        report=$("${_flowsim_cmd:-flowsim}" run "$scenario" --format json --quiet 2>/dev/null)
    printf '%s\n' "$report" |
        awk -v kind="\"$kind\": [" '
            index($0, kind) == 3 { inside = 1; next }
            inside && /^  \]/ { exit }
            inside && /^      "id": / { gsub(/[",]/, "", $2); print $2 }'
}

# CLAIM=ALTERNATIVE for every alternative of every claim of scenario $1 (the default one when
# $1 is empty), from flowsim claims.
_flowsim_claims() {
    "${_flowsim_cmd:-flowsim}" claims ${1:+"$1"} --format json 2>/dev/null |
        awk '/^      "id": / { gsub(/[",]/, "", $2); claim = $2 }
            /^          "id": / { gsub(/[",]/, "", $2); print claim "=" $2 }'
}

_flowsim() {
    local cur prev words cword
    _init_completion -n = 2>/dev/null || {
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    }
    _flowsim_cmd=${words[0]}
    if [ "$cword" -eq 1 ]; then
        local commands
        commands=$("$_flowsim_cmd" --help 2>/dev/null | awk '/^Commands:/ { on = 1; next }
            on && /^$/ { exit } on { print $1 }')
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    local command=${words[1]} scenario="" i
    for ((i = 2; i < cword; i++)); do
        case ${words[i]} in
            *.json) scenario=${words[i]} ;;
        esac
    done
    case $prev in
        --partner | --field)
            if [ -n "$scenario" ]; then
                local kind=partners
                [ "$prev" = --field ] && kind=fields
                COMPREPLY=($(compgen -W "$(_flowsim_ids "$scenario" "$kind")" -- "$cur"))
            fi
            return
            ;;
        --set | -s)
            if [ -n "$scenario" ]; then
                local ids
                ids=$(_flowsim_ids "$scenario" partners | sed 's/.*/partners[&]./')
                COMPREPLY=($(compgen -W "date= seed= population.users= $ids" -- "$cur"))
                compopt -o nospace 2>/dev/null
            fi
            return
            ;;
        --claim)
            COMPREPLY=($(compgen -W "$(_flowsim_claims "${scenario:-}")" -- "$cur"))
            return
            ;;
        --max-graph-size)
            COMPREPLY=($(compgen -W "512MiB 1GiB 2GiB 4GiB 8GiB 16GiB" -- "$cur"))
            return
            ;;
        --output | -o)
            COMPREPLY=($(compgen -f -- "$cur"))
            return
            ;;
        --format | -f)
            local formats
            formats=$("$_flowsim_cmd" help "$command" 2>/dev/null |
                sed -n 's/.*--format=FORMAT *//p' | grep -o '\b[a-z]\{3,4\}\b' |
                grep -Ex 'text|json|csv|dot|svg|png|html|tap|junit' | sort -u)
            COMPREPLY=($(compgen -W "$formats" -- "$cur"))
            return
            ;;
    esac
    if [[ $cur == -* ]]; then
        local options
        options=$("$_flowsim_cmd" help "$command" 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
}
complete -F _flowsim flowsim
