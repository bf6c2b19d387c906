#!/bin/bash
# report_months.sh: `didq report` of files of several reporting months: its anomaly table
# ("most severe first") is ordered by severity whatever the month, the month's anomalies
# and those comparing months together (the ones comparing months came last, a high
# volume-drop after every medium row of the months).  Its example records with errors name
# their file when several files are loaded ("line 2" alone did not say of which file).
source "$(dirname "$0")/lib.sh"

D=tui/data
SUB=--submitted=2026-07-07
TH=(--thresholds "$D/drop-thresholds.csv")
expect md 0 "" -- "$DIDQ" report $SUB "${TH[@]}" -o "$T/r.md" "$D/drop-may.csv" "$D/drop-june.csv"
expect html 0 "" -- "$DIDQ" report $SUB "${TH[@]}" -o "$T/r.html" "$D/drop-may.csv" "$D/drop-june.csv"

# The anomaly table's rows: severity, site, kind, message (md), in order.
awk -F' \\| ' '/^Table: Anomalies, most severe first/ { on = 1; next }
    on && /^\| / && $1 !~ /^\| (Sev|---)/ { sub(/^\| /, "", $1); print $1 "|" $2 "|" $3 "|" $7 }
    on && /^$/ && n++ > 0 { exit }' "$T/r.md" > "$T/rows"
[ "$(wc -l < "$T/rows")" -ge 8 ] && ok || bad "anomaly table: $(wc -l < "$T/rows") rows"
grep -q '^\\\* high|RR864|volume-drop|months: ' "$T/rows" && ok || bad "no volume-drop at RR864"
# Severity never rises down the table: high, then medium, then low.
awk -F'|' '{ s = $1 ~ /high/ ? 3 : $1 ~ /medium/ ? 2 : 1; if (NR > 1 && s > last) bad = 1; last = s }
    END { exit bad }' "$T/rows" && ok || bad "anomalies not most severe first: $(cat "$T/rows")"
# Ties: site, kind, then the period (each month's, months ascending, then comparing months).
awk -F'|' '{ p = $4; sub(/:.*/, "", p); if (p == "months") p = "9999"
    k = $2 "|" $3; if (k == lk && p < lp) bad = 1; lk = k; lp = p } END { exit bad }' "$T/rows" &&
    ok || bad "a site's rows of one kind not in period order: $(cat "$T/rows")"
grep -qE '^medium\|RWY01\|identity-conflict\|2026-05: ' "$T/rows" &&
    grep -qE '^medium\|RWY01\|identity-conflict\|months: ' "$T/rows" && ok ||
    bad "RWY01's identity conflicts of May and across the months"
# The HTML table: the same rows in the same order.
sed -n '/<caption>Anomalies, most severe first/,/<\/table>/p' "$T/r.html" |
    sed -n 's|^<tr[^>]*><td>\([^<]*\)</td><td>\([^<]*\)</td><td>\([^<]*\)</td>.*|\1\|\2\|\3|p' > "$T/hrows"
cut -d'|' -f1-3 "$T/rows" | sed 's/^\\\*/*/' > "$T/mrows"
diff "$T/mrows" "$T/hrows" > /dev/null && ok ||
    bad "HTML anomaly rows differ from Markdown's: $(diff "$T/mrows" "$T/hrows" | head -5)"
head -1 "$T/hrows" | grep -qxF '* high|RR864|volume-drop' && ok ||
    bad "the HTML's first anomaly is not the high volume-drop: $(head -1 "$T/hrows")"

# Example records with errors: with several files a File column (the base name) before Line.
sed -n '/^Table: Masked example rows/,/^Made by didq/p' "$T/r.md" | grep '^| ' > "$T/ex.md"
head -1 "$T/ex.md" | grep -q '^| File | Line | Findings | NHS number |' && ok ||
    bad "example rows: no File column with two files: $(head -1 "$T/ex.md")"
grep -qE '^\| drop-(may|june)\.csv \| [0-9]+ \| DIDS' "$T/ex.md" && ok ||
    bad "example rows do not name their file: $(sed -n 3p "$T/ex.md")"
grep -qF '<th scope="col">File</th><th scope="col" class="r">Line</th>' "$T/r.html" && ok ||
    bad "HTML example rows: no File column"
grep -qE '<tr><td>drop-(may|june)\.csv</td><td class="r">[0-9]+</td>' "$T/r.html" && ok ||
    bad "HTML example rows do not name their file"
# Each example row's file and line hold a record with that error (the first finding's rule).
sed -n 's/^| \([^ |]*\) | \([0-9]*\) | \(DIDS[0-9]*\).*/\1 \2 \3/p' "$T/ex.md" > "$T/ex"
"$DIDQ" check $SUB "${TH[@]}" --findings "$T/f.csv" "$D/drop-may.csv" "$D/drop-june.csv" > /dev/null
while read -r f l c; do
    grep -qE "^([^,]*/)?$f,$l,([^,]*,){3}$c," "$T/f.csv" && ok || bad "example $f line $l: no $c there"
done < "$T/ex"
[ -s "$T/ex" ] && ok || bad "no example rows read"
# One file: no File column (its name is in the Files table above).
expect one 0 "" -- "$DIDQ" report $SUB -o "$T/one.md" "$D/drop-may.csv"
grep -q '^| Line | Findings | NHS number |' "$T/one.md" && ok || bad "one file: the example heading changed"
# Two files of one base name in different folders: the paths, as the Files table names them.
mkdir -p "$T/a" "$T/b"
cp "$D/drop-may.csv" "$T/a/m.csv"
cp "$D/drop-june.csv" "$T/b/m.csv"
expect clash 0 "" -- "$DIDQ" report $SUB -o "$T/clash.md" "$T/a/m.csv" "$T/b/m.csv"
grep -qE "^\| $T/a/m\.csv \| [0-9]+ \| DIDS" "$T/clash.md" && ok ||
    bad "same base name: the example rows do not give the path"
finish
