# anomalies_synth.sh: every anomaly kind planted by `didq synth --inject`
# is found by `didq check` at that site and nowhere else, with no other
# kind; clean months (one file and two) give no anomaly at all.
source "$(dirname "$0")/lib.sh"

ROWS=8000
synth() { "$DIDQ" synth --seed 5 --rows "$ROWS" "$@"; }
kinds() { # FILE...: "kind@site" of every anomaly, sorted ("check failed" if it did)
    "$DIDQ" check --submitted 2026-05-01 --format json "$@" > "$T/out.json" 2>&1 ||
        { echo "check failed: $(head -c 200 "$T/out.json")"; return; }
    grep -q '"anomalies": \[' "$T/out.json" || { echo "no anomalies list"; return; }
    sed -n 's/.*"kind": "\([^"]*\)", "site": "\([^"]*\)".*/\1@\2/p' "$T/out.json" | sort -u
}

synth --month 2026-03 -o "$T/march.csv"
synth --month 2026-04 -o "$T/april.csv"
got=$(kinds "$T/april.csv")
[ -z "$got" ] && ok || bad "clean month: $got"
got=$(kinds "$T/march.csv" "$T/april.csv")
[ -z "$got" ] && ok || bad "clean March + April: $got"

# A few stray test dates spread over earlier months (one record a day,
# as defective dates give) must not make those days look active, or every
# site would show a gap on them.
awk -F, -v OFS=, 'NR <= 120 {
    d = sprintf("2025-%02d-%02d", 6 + int((NR - 1) / 20), 1 + (NR - 1) % 20)
    $11 = d; $12 = d; $13 = d; $16 = d; print }' "$T/april.csv" > "$T/stray.csv"
cat "$T/april.csv" >> "$T/stray.csv"
st=0
"$DIDQ" check --submitted 2026-05-01 --format json "$T/stray.csv" > "$T/stray.json" || st=$?
[ "$st" = 1 ] && grep -q '"anomalies": \[' "$T/stray.json" && ok || bad "stray: exit $st"
grep -q '"kind": "activity-gap"' "$T/stray.json" && bad "stray early dates make gaps" || ok

sites=(RR801 RR813 RAE01 RWY01 RWY02)
i=0
for kind in $(anomaly_kinds); do
    site=${sites[i % ${#sites[@]}]}
    i=$((i + 1))
    synth --month 2026-04 --inject "$kind@$site" -o "$T/x.csv" --force
    case $kind in
    accession-reused | volume-drop) got=$(kinds "$T/march.csv" "$T/x.csv") ;;
    *) got=$(kinds "$T/x.csv") ;;
    esac
    [ "$got" = "$kind@$site" ] && ok || bad "$kind@$site: found '$(echo $got)'"
done
finish
