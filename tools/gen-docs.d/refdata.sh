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
