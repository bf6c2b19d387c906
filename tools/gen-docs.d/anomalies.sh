# anomalies.sh (sourced by tools/gen-docs.sh): docs/anomalies.md's tables from
# refdata/anomalies.csv, refdata/restricted-codes.csv and the benchmarks.

# csv_md FILE COLUMNS...: the named columns (1-based numbers) of a CSV file
# with quoted fields as Markdown table rows (header row skipped).
csv_md() {
    local file=$1
    shift
    awk -v cols="$*" "$csv_awk"'
        NR > 1 {
            csv_split($0, cell); k = split(cols, want, " "); out = "|"
            for (j = 1; j <= k; j++) { v = cell[want[j]]; gsub(/\|/, "\\|", v); out = out " " v " |" }
            print out
        }' "$top/$file"
}

anomaly_kinds() {
    echo "| kind | unit | threshold | limit | min records | severity | what |"
    echo "|---|---|---|---|---|---|---|"
    csv_md refdata/anomalies.csv 1 2 3 4 5 6 7
}

anomaly_restricted() {
    echo "| system | code | description | source |"
    echo "|---|---|---|---|"
    csv_md refdata/restricted-codes.csv 1 2 3 4
}

anomaly_benchmarks() {
    echo "| field | status | national % present 2024/25 | Table C row |"
    echo "|---|---|---|---|"
    csv_md refdata/benchmarks/completeness-2024-25.csv 1 2 3 4
}

generate docs/anomalies.md kinds anomaly_kinds
generate docs/anomalies.md restricted anomaly_restricted
generate docs/anomalies.md benchmarks anomaly_benchmarks
