# Sourced by tools/gen-docs.sh: the masking table of docs/usage.md comes
# from refdata/v1/masking.csv (the masked items, their forms, examples).
masking_table() {
    echo "| Item | Keeps characters when written as | It keeps | Example | Any other form: masked whole |"
    echo "|---|---|---|---|---|"
    awk "$csv_awk"'
        NR > 1 {
            csv_split($0, f)
            printf "| `%s` | %s | %s | `%s` → `%s` | `%s` → `%s` |\n", f[1], f[3], f[4], f[5], f[6], f[7], f[8]
        }' "$top/refdata/v1/masking.csv"
}
generate docs/usage.md masking masking_table
