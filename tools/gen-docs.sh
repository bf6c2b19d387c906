#!/usr/bin/env bash
# gen-docs.sh DIDQ [--check]: regenerates the parts of docs/ that come from
# tables (between "<!-- BEGIN GENERATED: name -->" and "<!-- END GENERATED -->").
# With --check it changes nothing and fails if a generated part is stale.
set -euo pipefail
didq=${1:?usage: gen-docs.sh path/to/didq [--check]}
mode=${2:-write}
top=$(cd "$(dirname "$0")/.." && pwd)
status=0

# generate FILE NAME COMMAND...: replaces the block NAME in FILE with the
# command's output.
generate() {
    local file=$1 name=$2
    shift 2
    local body new
    body=$("$@")
    new=$(awk -v name="$name" -v body="$body" '
        $0 == "<!-- BEGIN GENERATED: " name " -->" { print; print body; skip = 1; next }
        skip && $0 == "<!-- END GENERATED -->" { skip = 0 }
        !skip { print }' "$top/$file")
    if [ "$mode" = --check ]; then
        if [ "$new" != "$(cat "$top/$file")" ]; then
            echo "stale: $file ($name); run tools/gen-docs.sh" >&2
            status=1
        fi
    else
        printf '%s\n' "$new" > "$top/$file"
    fi
}

# An awk function for the generators' tables: csv_split(line, f) splits a
# CSV line into f[1..n] (quoted fields may hold commas; "" is a quote) and
# returns n.  Used as: awk "$csv_awk"' NR > 1 { n = csv_split($0, f); ... }'.
# shellcheck disable=SC2034 # used by the sourced generators
csv_awk='
    function csv_split(line, f,    n, q, c, i, cell) {
        n = 0; q = 0; cell = ""
        for (i = 1; i <= length(line); i++) {
            c = substr(line, i, 1)
            if (q && c == "\"" && substr(line, i + 1, 1) == "\"") { cell = cell c; i++ }
            else if (c == "\"") q = !q
            else if (c == "," && !q) { f[++n] = cell; cell = "" }
            else cell = cell c
        }
        f[++n] = cell
        return n
    }'

generate docs/rules.md catalogue "$didq" rules --markdown
for extra in "$top"/tools/gen-docs.d/*.sh; do
    [ -e "$extra" ] && . "$extra"
done
exit $status
