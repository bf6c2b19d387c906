# anomalies_numbers.sh: the anomaly figures count what their labels say
# (issue 15, "Numbers mean what they say"): minimum site sizes, the
# activity-gap estimate, identity conflicts from rule-breaking values,
# records of an invalid site code, and the GP-referral definition.
source "$(dirname "$0")/lib.sh"

# genday SITE DATE N FIRST: N clean records at SITE tested on DATE, the
# source settings 01 to 04 in turn.
genday() {
    awk -v site="$1" -v date="$2" -v n="$3" -v first="$4" 'BEGIN {
        for (i = first; i < first + n; i++) {
            for (pre = 999; ; pre--) {
                d = sprintf("%03d%06d", pre, i); s = 0
                for (k = 1; k <= 9; k++) s += substr(d, k, 1) * (11 - k)
                c = 11 - s % 11; if (c == 10) continue; if (c == 11) c = 0; break
            }
            printf "%s%d,01,1950-01-01,A,2,LS1 4HR,A81015,0%d,C1234567,RR8,%s,%s,%s,XCHES,,%s,%s,ACC%06d\n",
                d, c, 1 + i % 4, date, date, date, date, site, i
        }
    }'
}
kinds() { # FILE...: "kind@site" of every anomaly, sorted
    "$DIDQ" check --submitted 2018-08-01 --format json "$@" > "$T/out.json" 2>&1
    sed -n 's/.*"kind": "\([^"]*\)", "site": "\([^"]*\)".*/\1@\2/p' "$T/out.json" | sort -u
}

# setting-default-suspected judges from 100 records, as the other share
# kinds: a 400-record site with every record 03 is reported.
gen RDD04 03 400 0 > "$T/s400.csv"
got=$(kinds "$T/s400.csv")
[ "$got" = "setting-default-suspected@RDD04" ] && ok || bad "400 records all 03: '$got'"
# ... and a 99-record site is not judged.
gen RDD04 03 99 0 > "$T/s99.csv"
got=$(kinds "$T/s99.csv")
[ -z "$got" ] && ok || bad "99 records all 03: '$got'"

# activity-gap estimates the missing records from the site's typical
# (median) records per weekday: RGG07 has 20 records a weekday of July
# 2018, none on 9 to 11 July, and 1000 on 31 July; the estimate is 3 x 20,
# not 3 x the mean of 72.
: > "$T/gap.csv"
first=0
for d in 02 03 04 05 06 09 10 11 12 13 16 17 18 19 20 23 24 25 26 27 30 31; do
    genday RHH08 "2018-07-$d" 200 $first >> "$T/gap.csv"
    first=$((first + 200))
    case $d in 09 | 10 | 11) n=0 ;; 31) n=1000 ;; *) n=20 ;; esac
    genday RGG07 "2018-07-$d" $n $first >> "$T/gap.csv"
    first=$((first + n))
done
"$DIDQ" check --submitted 2018-08-01 --format json "$T/gap.csv" > "$T/gap.json" 2>&1
grep -q '"kind": "activity-gap", "site": "RGG07"' "$T/gap.json" && ok || bad "gap: not found"
grep -q 'from 2018-07-09 to 2018-07-11 (about 60 records missing: 3 x the site'\''s median day of 20)' \
    "$T/gap.json" && ok || bad "gap estimate: $(grep -o 'no records on[^;]*' "$T/gap.json")"

# Source settings: one definition of GP-referred (referrer G and a digit,
# or a GP practice as referring organisation) for the pane and
# gp-direct-access-as-outpatient, and '!' only where that anomaly fires.
# RKK11: 60 GP referrers, all 03.  RMM13: 60 records referred by a GP
# practice (A81015), all 03.  RLL12: 13 GP referrers recorded as 01 among
# 200 records (under the 50 GP-referred records the anomaly needs).  R&&&&
# as RKK11, but its code is not a site code (DIDS069): no anomaly, no '!'.
{ gen RKK11 03 60 0 G1234567; gen RKK11 01 100 100
  gen RMM13 03 60 300 C1234567 A81015; gen RMM13 01 100 400
  gen RLL12 01 13 600 G1234567; gen RLL12 01 100 700; gen RLL12 02 87 800
  gen 'R&&&&' 03 60 1000 G1234567; gen 'R&&&&' 01 100 1100; } > "$T/gp.csv"
got=$(kinds "$T/gp.csv")
[ "$got" = "$(printf 'gp-direct-access-as-outpatient@RKK11\ngp-direct-access-as-outpatient@RMM13')" ] &&
    ok || bad "gp anomalies: '$got'"
printf '5\n:save-screen %s\nQ\n' "$T/set.txt" > "$T/set.keys"
"$DIDQ" --script "$T/set.keys" --size 140x30 "$T/gp.csv" > /dev/null 2>&1
marked=$(sed -n 's/^! \(R[A-Z0-9&]*\) .*/\1/p' "$T/set.txt" | sort | tr '\n' ' ')
[ "$marked" = "RKK11 RMM13 " ] && ok || bad "settings marked: '$marked'"
grep -q 'GP ref' "$T/set.txt" && ok || bad "settings: no GP column"
grep -E '^[! ] RMM13 ' "$T/set.txt" | grep -qE ' 60 +60 *$' && ok ||
    bad "RMM13 GP ref / GP ref 03: $(grep RMM13 "$T/set.txt")"

# identity-conflict compares only details that pass their rules: a birth
# date after the test date (DIDS006) beside the patient's usual one is a
# rule defect, not a second identity; two valid birth dates still are.
row() { # NHS BIRTH SITE ACC
    printf '%s,01,%s,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,2018-07-02,2018-07-03,XABDO,,2018-07-04,%s,%s\n' "$@"
}
{ row 9434765919 1945-06-21 RPP15 ID1; row 9434765919 1945-06-21 RPP15 ID2
  row 9434765919 2019-01-01 RPP15 ID3; } > "$T/id.csv"
got=$(kinds "$T/id.csv")
[ -z "$got" ] && ok || bad "identity from a rule-breaking birth date: '$got'"
row 9434765919 1950-03-03 RQQ16 ID4 >> "$T/id.csv"
got=$(kinds "$T/id.csv")
[ "$got" = identity-conflict@RQQ16 ] && ok || bad "identity, two valid birth dates: '$got'"

# A site code that breaks the site rules (DIDS069: not 5 to 12 letters and
# digits) gets no site-level anomaly of its own: the rules report it.
gen 'R&&&&' 03 400 0 > "$T/badsite.csv"
got=$(kinds "$T/badsite.csv")
[ -z "$got" ] && ok || bad "invalid site code: '$got'"

# The per-site tables count the records of every code that breaks the site
# rules in one row, "(invalid site)": R&&&& (4 records) and X (3) make one
# row of 7, after RKK11, in the Overview, Source settings, Timeliness and
# Coverage; the same from the session saved and opened again.
{ gen RKK11 01 100 0; gen 'R&&&&' 01 4 200; gen X 02 3 300; } > "$T/inv.csv"
$DIDQ check --submitted 2018-08-10 --db "$T/inv.db" "$T/inv.csv" > /dev/null
for src in inv.csv inv.db; do
    o="$T/s.$src"
    mkdir -p "$o"
    printf '1\n:save-screen %s/1\n5\n:save-screen %s/5\n7\n:save-screen %s/7\n8\n:save-screen %s/8\nQ\n' \
        "$o" "$o" "$o" "$o" > "$T/inv.keys"
    "$DIDQ" --script "$T/inv.keys" --size 140x30 --submitted 2018-08-10 "$T/$src" > /dev/null 2>&1
done
o="$T/s.inv.csv"
grep -qE '^  \(invalid site\) +7 ' "$o/1" && ok || bad "overview: no (invalid site) row of 7"
grep -qE '^  \(invalid site\) +4 +3( +0){6} +7 ' "$o/5" && ok ||
    bad "settings: (invalid site) $(grep invalid "$o/5")"
grep -qE '^  \(invalid site\) +all +7 ' "$o/7" && ok ||
    bad "timeliness: (invalid site) $(grep invalid "$o/7")"
grep -qE '^  \(inva.* +7 ' "$o/8" && ok || bad "coverage: no invalid-site row of 7"
! grep -qE '^[! ] +(R&&&&|X) ' "$o/1" "$o/5" "$o/7" "$o/8" && ok ||
    bad "a row of its own for an invalid site code"
diff -r "$T/s.inv.csv" "$T/s.inv.db" > /dev/null && ok ||
    bad "invalid-site rows: the saved session differs from the loaded one"

finish
