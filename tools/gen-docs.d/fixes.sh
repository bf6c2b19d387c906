# Sourced by tools/gen-docs.sh: the table of safe fixes in docs/rules.md
# comes from refdata/v1/fixes.csv (one row per rule with a fix).
fixes_table() {
    echo "| Rule | Item | Fix | Why it is the only answer |"
    echo "|---|---|---|---|"
    awk 'NR > 1 {
        line = $0
        split(line, a, ",")
        desc = line; sub(/^[^,]*,[^,]*,[^,]*,/, "", desc); gsub(/^"|"$/, "", desc)
        printf "| %s | `%s` | `%s` | %s |\n", a[1], a[3], a[2], desc
    }' "$top/refdata/v1/fixes.csv"
}
generate docs/rules.md fixes fixes_table
