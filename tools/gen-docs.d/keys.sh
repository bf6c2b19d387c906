# keys.sh (sourced by tools/gen-docs.sh): the key table of docs/usage.md
# from the explorer's keymap (refdata/tui/keys.csv, via didq --keys).
# The man page and docs/keys.md come from tools/gen-keydocs.sh.

usage_keys() {
    echo "| Keys | Where | Action |"
    echo "|---|---|---|"
    "$didq" --keys | awk -F'\t' '{
        if ($2 == ctx && $3 == help) { keys = keys " `" $1 "`"; next }
        if (NR > 1) printf "| %s | %s | %s |\n", keys, ctx, help
        keys = "`" $1 "`"; ctx = $2; help = $3
    } END { printf "| %s | %s | %s |\n", keys, ctx, help }' | sed 's/`|`/`\\|`/g'
}

generate docs/usage.md keys usage_keys
