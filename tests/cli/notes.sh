# check --notes (explained counts, the verdict unchanged, malformed notes
# files) and check --baseline (exit 0 with nothing new, 1 with something
# new, listed first; fixed findings counted; malformed baselines).
. "$(dirname "$0")/lib.sh"
C="$DIDQ check --submitted 2018-08-01"

# row ETHNIC GENDER ACCESSION: ROW with those values (fields 4, 5, 18).
row() { echo "$ROW" | awk -F, -v OFS=, -v e="$1" -v g="$2" -v a="$3" '{$4=e;$5=g;$18=a;print}'; }
# ACC1 breaks DIDS012, ACC2 DIDS012 and DIDS014, ACC3 nothing.
{ row Q 2 ACC1; row Q X ACC2; row A 2 ACC3; } > "$T/m.csv"
H='site,accession,code,status,note'
printf '%s\n' "$H" 'RR864,ACC1,DIDS012,explained,"coded locally, agreed"' \
    'RR864, ACC2 ,,explained,the whole record' 'RR864,ACC2,DIDS014,todo,ask PACS' > "$T/n.csv"

# Explained counts: ACC1's own note, ACC2's record note (DIDS012); ACC2's
# DIDS014 has its own note, todo, which wins over the record's.
json=$($C --format json --notes "$T/n.csv" "$T/m.csv")
for key in '"code": "DIDS012", "severity": "error", "count": 2, "checked": true, "explained": 2' \
           '"code": "DIDS014", "severity": "error", "count": 1, "checked": true, "explained": 0' \
           '"notes": {"file": "'"$T"'/n.csv", "notes": 3}' '"verdict": "rejected"'; do
    printf '%s' "$json" | grep -qF -- "$key" && ok || bad "json lacks $key"
done
# Without --notes, no explained key at all.
$C --format json "$T/m.csv" | grep -q '"explained"' && bad "explained without --notes" || ok
expect text-explained 1 "DIDS012  error           2  66.67          2  Ethnic" -- \
    $C --notes "$T/n.csv" "$T/m.csv"
expect text-header 1 "rule     severity  records      %  explained  message" -- \
    $C --notes "$T/n.csv" "$T/m.csv"
# Notes never change the verdict: every record explained, still rejected, exit 1.
printf '%s\n' "$H" 'RR864,ACC1,,explained,x' 'RR864,ACC2,,explained,y' > "$T/all.csv"
expect verdict-kept 1 "1 of 1 files rejected" -- $C --notes "$T/all.csv" "$T/m.csv"
# An anomaly's note (site, kind, no accession): all its records explained.
K=report-turnaround-missing
$DIDQ synth --seed 5 --rows 8000 --month 2026-04 --inject $K@RR801 -o "$T/s.csv"
printf '%s\n' "$H" "RR801,,$K,explained,PACS outage" > "$T/an.csv"
a=$($DIDQ check --submitted 2026-05-01 --format json --notes "$T/an.csv" "$T/s.csv" |
    grep -F "\"kind\": \"$K\", \"site\": \"RR801\"")
rec=$(printf '%s' "$a" | sed -n 's/.*"records": \([0-9]*\),.*/\1/p')
[ -n "$rec" ] && printf '%s' "$a" | grep -qF "\"records\": $rec, \"explained\": $rec," && ok ||
    bad "anomaly explained: $a"
expect anomaly-text 0 "     349 records       349 explained  " -- \
    $DIDQ check --submitted 2026-05-01 --notes "$T/an.csv" "$T/s.csv"
# The findings CSV and its masking are the same with notes.
$C --mask --findings "$T/f1.csv" "$T/m.csv" > /dev/null
$C --mask --notes "$T/n.csv" --findings "$T/f2.csv" "$T/m.csv" > /dev/null
cmp -s "$T/f1.csv" "$T/f2.csv" && ok || bad "--notes changed the findings CSV"
grep -q 9434765919 "$T/f2.csv" && bad "--mask lost with --notes" || ok

# Malformed notes: FILE:LINE: reason, exit 64 (as --thresholds); unreadable 66.
printf '%s\n' "$H" 'RR864,ACC1,,maybe,x' > "$T/b1.csv"
expect bad-status 64 "$T/b1.csv:2: status is explained, todo or fixed, not 'maybe'" -- \
    $C --notes "$T/b1.csv" "$T/m.csv"
printf '%s\n' "$H" '' 'RR864,ACC1,,todo,a,b' > "$T/b2.csv"
expect bad-fields 64 "$T/b2.csv:3: 6 fields, the header has 5" -- $C --notes "$T/b2.csv" "$T/m.csv"
printf 'site,code,status,note\n' > "$T/b3.csv"
expect bad-header 64 "$T/b3.csv:1: the header must name the columns" -- \
    $C --notes "$T/b3.csv" "$T/m.csv"
printf '%s\n' "$H" 'RR864,,DIDS012,todo,x' > "$T/b4.csv"
expect bad-kind 64 "$T/b4.csv:2: 'DIDS012' is not an anomaly kind" -- \
    $C --notes "$T/b4.csv" "$T/m.csv"
printf '%s\n' "$H" 'RR864,ACC1,,todo,"never closed' > "$T/b5.csv"
expect bad-quote 64 "$T/b5.csv:2:" -- $C --notes "$T/b5.csv" "$T/m.csv"
expect missing-notes 66 "$T/none.csv" -- $C --notes "$T/none.csv" "$T/m.csv"
expect notes-is-input 73 "is an input" -- $C --notes "$T/n.csv" --findings "$T/n.csv" "$T/m.csv"

# --baseline: the findings of m.csv as they were.
$C --findings "$T/base.csv" "$T/m.csv" > /dev/null
expect base-same 0 "0 new findings, 0 fixed, 3 unchanged (of 3 in the baseline" -- \
    $C --baseline "$T/base.csv" "$T/m.csv"
# ACC1 fixed, ACC3 breaks DIDS014 now: one new, one fixed; exit 1 and the
# new one listed before the files.
{ row A 2 ACC1; row Q X ACC2; row A X ACC3; } > "$T/m2.csv"
out=$($C --baseline "$T/base.csv" "$T/m2.csv")
[ $? = 1 ] && ok || bad "base-new: exit status"
printf '%s\n' "$out" | grep -qF "1 new findings, 1 fixed, 2 unchanged" && ok || bad "base-new: counts"
first=$(printf '%s\n' "$out" | grep -n -m1 "^  new DIDS014 $T/m2.csv line 3 site RR864 accession ACC3" | cut -d: -f1)
file=$(printf '%s\n' "$out" | grep -n -m1 "^file " | cut -d: -f1)
[ -n "$first" ] && [ -n "$file" ] && [ "$first" -lt "$file" ] && ok || bad "base-new: not listed first: $out"
$C --format json --baseline "$T/base.csv" "$T/m2.csv" |
    grep -qF '"new": 1, "fixed": 1, "unchanged": 2' && ok || bad "base-new: json counts"
# Only fixed: exit 0 although the file is still rejected.
{ row A 2 ACC1; row Q X ACC2; row A 2 ACC3; } > "$T/m3.csv"
expect base-fixed 0 "0 new findings, 1 fixed, 2 unchanged" -- $C --baseline "$T/base.csv" "$T/m3.csv"
# A second finding of the same key is new (findings are counted, not just keyed).
{ row Q 2 ACC1; row Q X ACC2; row A 2 ACC3; row Q 2 ACC1; } > "$T/m4.csv"
expect base-count 1 "new DIDS012" -- $C --baseline "$T/base.csv" "$T/m4.csv"
# Keys compare as DIDS071 does: spaces around the accession number do not matter.
{ row Q 2 ' ACC1 '; row Q X ACC2; row A 2 ACC3; } > "$T/m5.csv"
expect base-trim 0 "0 new findings" -- $C --baseline "$T/base.csv" "$T/m5.csv"
# Malformed or unreadable baselines.
printf 'file,line,code\nx,1,DIDS012\n' > "$T/bb1.csv"
expect base-header 64 "$T/bb1.csv:1: the header must name the columns site, accession and code" -- \
    $C --baseline "$T/bb1.csv" "$T/m.csv"
printf 'site,accession,code\nRR864,ACC1,\n' > "$T/bb2.csv"
expect base-nocode 64 "$T/bb2.csv:2: a finding without a code" -- $C --baseline "$T/bb2.csv" "$T/m.csv"
expect base-missing 66 "$T/nobase.csv" -- $C --baseline "$T/nobase.csv" "$T/m.csv"
expect base-is-input 73 "is an input" -- $C --baseline "$T/base.csv" --force --findings "$T/base.csv" "$T/m.csv"

# The explorer's --notes: read at start (bad content 64, as check), never an
# input (73: the explorer writes to it); a file not there yet is fine.
printf 'q\n' > "$T/q.keys"
expect explore-bad-notes 64 "$T/b1.csv:2: status is explained" -- \
    $DIDQ --script "$T/q.keys" --submitted 2018-08-01 --notes "$T/b1.csv" "$T/m.csv"
expect explore-notes-input 73 "is an input" -- \
    $DIDQ --script "$T/q.keys" --submitted 2018-08-01 --notes "$T/m.csv" "$T/m.csv"
expect explore-notes-new 0 "" -- \
    $DIDQ --script "$T/q.keys" --submitted 2018-08-01 --notes "$T/new-notes.csv" "$T/m.csv"
[ -e "$T/new-notes.csv" ] && bad "the explorer wrote a notes file with no note" || ok
finish
