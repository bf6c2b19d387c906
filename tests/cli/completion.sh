# The bash completion (dist/bash-completion/didq) offers exactly the
# commands and options the program has: those of its tables (cli_commands,
# the struct option tables and the option strings compared in src/cli) and
# of its help ('didq --help', 'didq help CMD'); and it completes option
# values and file names.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
src=$here/../../src/cli
. "$here/../../dist/bash-completion/didq"
DIDQ=$(realpath "$DIDQ")
# An empty folder of its own: file names offered are only those made here.
mkdir "$T/cwd" && cd "$T/cwd" || exit 1

# comp WORD...: what the completion offers for the last word, one a line.
comp() {
    (
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        _didq
        printf '%s\n' "${COMPREPLY[@]}"
    ) 2>/dev/null | sed '/^$/d' | sort -u
}

# same NAME WANT GOT: two sorted lists are equal.
same() {
    if [ "$2" = "$3" ]; then ok; else
        bad "$1: completion differs from the program (< program, > completion)"
        diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") >&2
    fi
}

# table_opts FILE...: the long options of the struct option tables and the
# option strings the code compares ("--format", "-h").
table_opts() {
    grep -hoE '\{"[a-z][a-z-]*", *(no|required|optional)_argument' "$@" |
        sed -E 's/^\{"([^"]*)".*/--\1/'
    grep -hoE '"--?[a-zA-Z][a-zA-Z-]*"' "$@" | tr -d '"'
    if grep -q CLI_ANALYSIS_OPTIONS "$@"; then
        sed -n '/^#define CLI_ANALYSIS_OPTIONS/,/^#define/p' "$src/cli.h" |
            grep -oE '"[a-z][a-z-]*", *required_argument' | sed -E 's/^"([^"]*)".*/--\1/'
    fi
}

# help_opts CMD: the options a help text defines ("  --opt ..." lines, the
# usage line) or shows after "didq " ("didq --demo").
help_opts() {
    local text
    if [ -n "$1" ]; then text=$("$DIDQ" help "$1"); else text=$("$DIDQ" --help); fi
    printf '%s\n' "$text" | grep -E '^  -|usage:' | grep -oE '(^|[[ (|])--?[a-zA-Z][a-zA-Z-]*' |
        sed 's/^[[ (|]//'
    printf '%s\n' "$text" | grep -oE 'didq --?[a-zA-Z][a-zA-Z-]*' | sed 's/^didq //'
}

# Commands: 'didq --help' lists them, cli_commands holds them.
help_cmds=$("$DIDQ" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 { print $1 }' | sort -u)
table_cmds=$(grep -oE '^    \{"[a-z]+", cmd_' "$src/cli_common.c" | sed -E 's/.*"([a-z]+)".*/\1/' |
    sort -u)
if [ -n "$help_cmds" ]; then ok; else bad "no commands found in didq --help"; fi
same "commands (didq --help)" "$help_cmds" "$(comp didq '')"
same "commands (cli_commands)" "$table_cmds" "$(comp didq '')"
same "help COMMAND" "$help_cmds" "$(comp didq help '')"

# Options, command by command: the explorer's (no command) and each one's.
for cmd in '' check diff fix synth open rules refdata help; do
    case $cmd in
    '') files="$src/cmd_explore.c $src/main.c" ;;
    open) files="$src/cmd_explore.c $src/cmd_open.c" ;;
    help) files= ;;
    *) files=$src/cmd_$cmd.c ;;
    esac
    # shellcheck disable=SC2086
    want=$({ [ -z "$files" ] || table_opts $files; help_opts "$cmd"; } | sort -u)
    # didq open takes one saved session: the demo options are refused there.
    [ "$cmd" = open ] && want=$(printf '%s\n' "$want" | grep -vE '^--demo')
    if [ -z "$cmd" ]; then got=$(comp didq -); else got=$(comp didq "$cmd" -); fi
    same "options of '${cmd:-the explorer}'" "$want" "$got"
done

# Commands and their values.
same "didq ch" check "$(comp didq ch)"
same "didq help sy" synth "$(comp didq help sy)"
same "check --format" "$(printf 'json\ntext')" "$(comp didq check --format '')"
same "check --format j" json "$(comp didq check --format j)"
same "check --format=" "$(printf 'json\ntext')" "$(comp didq check --format = '')"
same "open --format" "$(printf 'json\ntext')" "$(comp didq open --format '')"
same "diff --format" "$(printf 'json\ntext')" "$(comp didq diff --format '')"
same "synth --format" "$(printf 'csv\nxml')" "$(comp didq synth --format '')"
same "--color" "$(printf 'always\nauto\nnever')" "$(comp didq --color '')"
same "check --fo" "$(printf -- '--force\n--format')" "$(comp didq check --fo)"

# File names: files for files, directories for --refdata, none for a number.
mkdir refdir
touch april.csv april.xml
same "didq FILE" "$(printf 'april.csv\napril.xml')" "$(comp didq ap)"
same "check FILE" "$(printf 'april.csv\napril.xml')" "$(comp didq check --mask ap)"
same "check --findings FILE" april.csv "$(comp didq check --findings april.c)"
same "diff FILE" "$(printf 'april.csv\napril.xml')" "$(comp didq diff april.csv ap)"
same "diff --changes FILE" april.csv "$(comp didq diff --changes april.c)"
same "fix --log FILE" april.csv "$(comp didq fix --log april.c)"
same "fix --only CODES" "" "$(comp didq fix --only DIDS)"
same "synth -o FILE" april.xml "$(comp didq synth -o april.x)"
same "--refdata DIR" refdir "$(comp didq check --refdata re)"
same "--rows N" "" "$(comp didq synth --rows a)"
same "rules takes no file" "" "$(comp "$DIDQ" rules a)"
same "rules CODE" "$("$DIDQ" rules | awk '$1 ~ /^DIDS01/ { print $1 }' | sort -u)" \
    "$(comp "$DIDQ" rules DIDS01)"
same "rules CODE (a second)" DIDS075 "$(comp "$DIDQ" rules DIDS012 DIDS075)"
finish
