# Sourced by tools/gen-docs.sh: the ODS file table of docs/refdata.md comes
# from refdata/v1/ods_files.csv.
ods_files_table() {
    echo "| File name starts with | Role given to every row | Contents |"
    echo "|---|---|---|"
    awk -F, 'NR > 1 {
        desc = $3; for (i = 4; i <= NF; i++) desc = desc "," $i
        printf "| `%s` | %s | %s |\n", $1, ($2 == "" ? "none (column 14 roles only)" : $2), desc
    }' "$top/refdata/v1/ods_files.csv"
}
generate docs/refdata.md ods-files ods_files_table

# The needs of docs/refdata.md come from refdata/v1/needs.csv, with the
# rules of refdata/v1/rules.csv that name each (the columns before the
# quoted ones hold no comma).
needs_table() {
    echo "| Need (\`needs\` in rules.csv) | Kind | Files, all of them | Rules that need it |"
    echo "|---|---|---|---|"
    awk -F, 'FNR == 1 { file++; next }
        file == 1 { k = split($6, n, " "); for (i = 1; i <= k; i++) rules[n[i]] = rules[n[i]] " " $1; next }
        {   if ($3 == "") files = $4
            else { files = $3; gsub(/ /, "` and `", files); files = "ODS `" files "`" }
            printf "| `%s` | %s | %s | %s |\n", $1, $2, files, substr(rules[$1], 2)
        }' "$top/refdata/v1/rules.csv" "$top/refdata/v1/needs.csv"
}
generate docs/refdata.md needs needs_table
