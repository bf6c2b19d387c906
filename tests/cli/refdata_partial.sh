# Reference data in part: a rule whose files are not all in the folder is
# not checked (with the missing file named), never decided on missing data;
# and `didq refdata` (each file's "enables", the rules checked and not
# checked) says what `didq check` does.
. "$(dirname "$0")/lib.sh"
SET=data/refdata/set
M=$T/month.csv
"$DIDQ" synth --rows 20 --month 2026-03 -o "$M" > /dev/null 2>&1
C="$DIDQ check --submitted 2026-04-07"

# The tester's case: NHS trust sites (ets) alone.
mkdir "$T/ets" && cp $SET/ets.csv "$T/ets/"
out=$("$DIDQ" refdata --refdata "$T/ets")
for code in DIDS018 DIDS024 DIDS079 DIDS080; do
    if printf '%s\n' "$out" | grep '^rules checked' | grep -q $code; then
        bad "ets alone: didq refdata says $code is checked"
    else ok; fi
done
expect ets-refdata-gp 0 "  no ODS file epraccur: DIDS018 DIDS080" -- "$DIDQ" refdata --refdata "$T/ets"
expect ets-refdata-ref 0 "  no ODS files epraccur, etr: DIDS024 DIDS079" \
    -- "$DIDQ" refdata --refdata "$T/ets"
out=$($C --refdata "$T/ets" "$M")
if printf '%s\n' "$out" | grep -qE '^DIDS0(18|24|79|80) '; then
    bad "ets alone: check decided a rule on missing data"; printf '%s\n' "$out" | head -20 >&2
else ok; fi
expect ets-check-gp 0 "not checked (no ODS file epraccur): DIDS018 DIDS080" \
    -- $C --refdata "$T/ets" "$M"
expect ets-check-ref 0 "not checked (no ODS files epraccur, etr): DIDS024 DIDS079" \
    -- $C --refdata "$T/ets" "$M"
expect ets-check-json 0 \
    '"code": "DIDS018", "severity": "error", "count": null, "checked": false, "not_checked_because": "no ODS file epraccur"' \
    -- $C --format json --refdata "$T/ets" "$M"

# A NICIP table alone: DIDS082 needs the exam lookup too, and no list
# says it is enabled.
mkdir "$T/nicip" && cp $SET/NICIP_release_2025.csv "$T/nicip/"
out=$("$DIDQ" refdata --refdata "$T/nicip")
if printf '%s\n' "$out" | grep 'enables' | grep -q DIDS082; then
    bad "NICIP alone: didq refdata says a file enables DIDS082"; printf '%s\n' "$out" >&2
else ok; fi
expect nicip-enables 0 "    enables DIDS057 DIDS077" -- "$DIDQ" refdata --refdata "$T/nicip"
expect nicip-also 0 "also needed by DIDS082, not checked: no DID SNOMED CT exam code lookup" \
    -- "$DIDQ" refdata --refdata "$T/nicip"

# checked RD: the reference-data rules `didq check` checks with folder RD
# (JSON), then the same from `didq refdata`: its summary, and the rules the
# files enable, each once.
checked() {
    $C --format json --refdata "$1" "$M" |
        sed -n 's/.*"code": "\(DIDS[0-9]*\)", "severity": "[a-z]*", "count": [0-9]*, "checked": true.*/\1/p' |
        grep -E '^DIDS0(16|18|24|57|59|68|77|78|79|80|81|82)$' | tr '\n' ' '
}
listed() {
    "$DIDQ" refdata --refdata "$1" | sed -n 's/^rules checked with this reference data: *//p' |
        sed 's/^none$//' | tr ' ' '\n' | grep . | tr '\n' ' '
}
enabled() {
    "$DIDQ" refdata --refdata "$1" | sed -n 's/^    enables \(DIDS.*\)/\1/p' | tr ' ' '\n' |
        grep . | sort -u | tr '\n' ' '
}
# Each file alone, the pairs a rule needs, everything, and nothing.
n=0
for sub in epraccur.csv etr.csv ets.csv ephp.csv ephpsite.csv egdpprac.csv eother.csv \
    ONSPD_NOV_2025_UK.csv NICIP_release_2025.csv DID_exam_code_lookup.csv \
    "epraccur.csv etr.csv" "ets.csv ephpsite.csv" "NICIP_release_2025.csv DID_exam_code_lookup.csv" \
    "epraccur.csv ets.csv" "$(cd $SET && echo *)" ""; do
    n=$((n + 1))
    mkdir "$T/s$n"
    for f in $sub; do cp "$SET/$f" "$T/s$n/"; done
    a=$(checked "$T/s$n") b=$(listed "$T/s$n") e=$(enabled "$T/s$n")
    if [ "$a" = "$b" ] && [ "$a" = "$e" ]; then ok; else
        bad "files [$sub]: check checks [$a], didq refdata lists [$b], its files enable [$e]"
    fi
done
finish
