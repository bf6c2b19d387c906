# Sourced by tools/gen-docs.sh: the masking table of docs/usage.md comes
# from refdata/v1/masking.csv (the masked items, their forms, examples).
masking_table() {
    echo "| Item | Keeps characters when written as | It keeps | Example | Any other form: masked whole |"
    echo "|---|---|---|---|---|"
    awk '
        # fields of a CSV line: quoted ones may hold commas ("" is a quote)
        function split_csv(line, f,    n, q, c, i, cell) {
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
        }
        NR > 1 {
            split_csv($0, f)
            printf "| `%s` | %s | %s | `%s` → `%s` | `%s` → `%s` |\n", f[1], f[3], f[4], f[5], f[6], f[7], f[8]
        }' "$top/refdata/v1/masking.csv"
}
generate docs/usage.md masking masking_table
