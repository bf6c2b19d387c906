# synth.sh: `didq synth` from the command line: clean months pass `didq
# check` with no finding, every defect fires its rule, every injection
# stays at its site, option errors and overwrite refusal.
. "$(dirname "$0")/lib.sh"

# clean: several seeds, sizes and months give no error and no warning
for case in "1 40 2026-04 2026-05-01" "2 1000 2024-02 2024-03-01" "9 6000 2025-12 2026-01-01" \
    "77 2500 2026-01 2026-02-01"; do
    set -- $case
    "$DIDQ" synth --seed "$1" --rows "$2" --month "$3" -o "$T/c.csv" --force
    expect "clean $case" 0 "$2 records, 0 with errors, 0 with warnings" -- \
        "$DIDQ" check --submitted "$4" "$T/c.csv"
done

# determinism: same options, same bytes; another seed, other bytes
"$DIDQ" synth --rows 3000 --seed 5 --month 2026-04 --defect-rate 0.1 -o "$T/a.csv"
"$DIDQ" synth --rows 3000 --seed 5 --month 2026-04 --defect-rate 0.1 >"$T/b.csv"
"$DIDQ" synth --rows 3000 --seed 6 --month 2026-04 --defect-rate 0.1 -o "$T/c6.csv"
if cmp -s "$T/a.csv" "$T/b.csv"; then ok; else bad "same seed gives other bytes"; fi
if cmp -s "$T/a.csv" "$T/c6.csv"; then bad "another seed gives the same bytes"; else ok; fi
[ "$(wc -l <"$T/a.csv")" = 3000 ] && ok || bad "--rows 3000 gives $(wc -l <"$T/a.csv") lines"

# defects: every rule without reference data fires (DIDS071 with its flag)
"$DIDQ" synth --rows 4000 --seed 3 --month 2026-04 --defect-rate 0.3 --defect-duplicates \
    -o "$T/d.csv"
expect "defects reject" 1 "rejected" -- "$DIDQ" check --submitted 2026-05-01 \
    --findings "$T/f.csv" "$T/d.csv"
codes=$(awk -F, 'NR > 1 && $6 == "" { print $1 }' ../refdata/v1/rules.csv)
[ "$(echo "$codes" | grep -c '^DID[SQ][0-9]')" -gt 40 ] && ok ||
    bad "refdata/v1/rules.csv: not the 40 and more rules without reference data: $codes"
for code in $codes; do
    if cut -d, -f6 "$T/f.csv" | grep -qx "$code"; then ok; else bad "defect $code did not fire"; fi
done
"$DIDQ" synth --rows 500 --month 2026-04 --defect-rate 0.2 -o "$T/nodup.csv"
"$DIDQ" check --submitted 2026-05-01 --findings "$T/f2.csv" "$T/nodup.csv" >/dev/null
if cut -d, -f6 "$T/f2.csv" | grep -qx DIDS071; then bad "DIDS071 without its flag"; else ok; fi
"$DIDQ" synth --rows 500 --month 2026-04 --defect-rate 0.2 --defect-columns -o "$T/cols.csv"
expect "defect DIDS075" 2 "DIDS075" -- "$DIDQ" check --submitted 2026-05-01 "$T/cols.csv"

# injections: each changes records of its site only and keeps them valid
"$DIDQ" synth --rows 2500 --seed 4 --month 2026-04 -o "$T/clean.csv"
awk -F, '$17 != "RWY01"' "$T/clean.csv" >"$T/clean.other"
awk -F, '$17 == "RWY01"' "$T/clean.csv" >"$T/clean.site"
for kind in $(anomaly_kinds); do
    "$DIDQ" synth --rows 2500 --seed 4 --month 2026-04 --inject "$kind@RWY01" -o "$T/i.csv" --force
    awk -F, '$17 != "RWY01"' "$T/i.csv" | cmp -s - "$T/clean.other" && ok ||
        bad "$kind changed other sites"
    awk -F, '$17 == "RWY01"' "$T/i.csv" | cmp -s - "$T/clean.site" && bad "$kind changed nothing" ||
        ok
    expect "$kind valid" 0 "0 with errors, 0 with warnings" -- \
        "$DIDQ" check --submitted 2026-05-01 "$T/i.csv"
done

# the injections' signatures at the site (a few, checked directly)
site_share() { # FILE AWK-CONDITION: per mille of RWY01 records meeting it
    awk -F, -v OFS=, '$17 == "RWY01" { n++; if ('"$2"') k++ } END { print int(k * 1000 / n) }' "$1"
}
"$DIDQ" synth --rows 2500 --seed 4 --month 2026-04 --inject setting-other-default@RWY01 -o "$T/o.csv"
[ "$(site_share "$T/o.csv" '$8 == "07"')" -ge 250 ] && ok || bad "setting 07 share too small"
"$DIDQ" synth --rows 2500 --seed 4 --month 2026-04 --inject activity-gap@RWY01 -o "$T/g.csv"
[ "$(site_share "$T/g.csv" 'substr($13, 9, 2) <= "15"')" = 0 ] && ok || bad "gap has records"
"$DIDQ" synth --rows 2500 --seed 4 --month 2026-04 --inject gp-direct-access-as-outpatient@RWY01 \
    -o "$T/gp.csv"
[ "$(site_share "$T/gp.csv" '$8 == "04"')" = 0 ] && ok || bad "04 left at the site"
[ "$(site_share "$T/gp.csv" '$8 == "03" && $9 ~ /^G/')" -ge 200 ] && ok || bad "no GP as 03"

# accession-reused: the next month with the same seed reuses the site's numbers
"$DIDQ" synth --rows 2000 --seed 8 --month 2026-03 -o "$T/mar.csv"
"$DIDQ" synth --rows 2000 --seed 8 --month 2026-04 --inject accession-reused@RAE01 -o "$T/apr.csv"
shared=$(cut -d, -f17,18 "$T/mar.csv" "$T/apr.csv" | sort | uniq -d)
[ -n "$shared" ] && ok || bad "accession-reused shares no accession"
echo "$shared" | grep -v '^RAE01,' | grep -q . && bad "accessions shared at other sites" || ok

# volume-drop: the same site loses at least 30% against the previous month
"$DIDQ" synth --rows 2000 --seed 8 --month 2026-04 --inject volume-drop@RR813 -o "$T/drop.csv"
before=$(awk -F, '$17 == "RR813"' "$T/mar.csv" | wc -l)
after=$(awk -F, '$17 == "RR813"' "$T/drop.csv" | wc -l)
[ $((after * 10)) -lt $((before * 7)) ] && ok || bad "volume-drop $before -> $after"

# XML twin is accepted by the same check when the reader knows XML; here it
# must at least be produced with the same number of activities
"$DIDQ" synth --rows 300 --format xml --month 2026-04 -o "$T/x.xml"
[ "$(grep -c '<ImagingActivity>' "$T/x.xml")" = 300 ] && ok || bad "XML activities"

# option errors: exit 64 with a one-line message
expect "rows 0" 64 "--rows wants a number" -- "$DIDQ" synth --rows 0
expect "rows text" 64 "--rows wants a number" -- "$DIDQ" synth --rows 12x
expect "seed" 64 "--seed wants a whole number" -- "$DIDQ" synth --seed -1
expect "month" 64 "--month wants CCYY-MM" -- "$DIDQ" synth --month 2026-13
expect "month form" 64 "--month wants CCYY-MM" -- "$DIDQ" synth --month 2026-4
expect "rate" 64 "--defect-rate wants a number from 0 to 1" -- "$DIDQ" synth --defect-rate 1.5
expect "format" 64 "--format is csv or xml" -- "$DIDQ" synth --format json
expect "inject kind" 64 "unknown kind 'nope'" -- "$DIDQ" synth --inject nope@RR801
expect "inject site" 64 "unknown site 'ZZZ99'" -- "$DIDQ" synth --inject volume-drop@ZZZ99
expect "inject form" 64 "lacks @SITE" -- "$DIDQ" synth --inject volume-drop
expect "columns xml" 64 "--defect-columns applies to CSV" -- \
    "$DIDQ" synth --format xml --defect-columns
expect "unknown option" 64 "unknown option" -- "$DIDQ" synth --bogus
expect "missing value" 64 "needs a value" -- "$DIDQ" synth --rows
[ "$("$DIDQ" synth --rows 0 2>&1 | wc -l)" = 1 ] && ok || bad "usage message is not one line"

# overwrite refusal, then --force
echo keep >"$T/keep.csv"
expect "no overwrite" 73 "exists" -- "$DIDQ" synth --rows 5 -o "$T/keep.csv"
[ "$(cat "$T/keep.csv")" = keep ] && ok || bad "refused file was changed"
expect "force" 0 "" -- "$DIDQ" synth --rows 5 -o "$T/keep.csv" --force
[ "$(wc -l <"$T/keep.csv")" = 5 ] && ok || bad "--force did not write"

# a FIFO (like /dev/null) is written in place, never renamed over
mkfifo "$T/fifo"
timeout 60 cat "$T/fifo" >"$T/fromfifo" &
reader=$!
# cat may not have opened the FIFO yet: synth refuses a FIFO that no
# program reads (exit 73 at once, nothing written), so it tries again
for _ in $(seq 100); do
    timeout 60 "$DIDQ" synth --rows 7 -o "$T/fifo" --force 2>"$T/fifo.err"
    st=$?
    [ "$st" = 73 ] && grep -q "no program is reading" "$T/fifo.err" || break
    sleep 0.05
done
[ "$st" = 0 ] || { exec 3>"$T/fifo"; exec 3>&-; }
wait $reader
[ -p "$T/fifo" ] && ok || bad "the FIFO was replaced"
[ "$(wc -l <"$T/fromfifo")" = 7 ] && ok || bad "nothing written through the FIFO"

finish
