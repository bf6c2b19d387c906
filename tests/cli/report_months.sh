#!/bin/bash
# report_months.sh: `didq report` of files of several reporting months: its anomaly table
# ("most severe first") is ordered by severity whatever the month, the month's anomalies
# and those comparing months together (the ones comparing months came last, a high
# volume-drop after every medium row of the months).
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
finish
