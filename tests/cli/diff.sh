# didq diff OLD NEW: records matched by site and accession number, added,
# removed, changed and unchanged counted, findings fixed, new and remaining,
# the JSON report, the --changes CSV, exit statuses.
. "$(dirname "$0")/lib.sh"
D="$DIDQ diff --submitted 2018-08-01"

# gender SEX: the record's gender code becomes SEX (7 breaks DIDS014);
# ethnic: its ethnic category becomes X (DIDS012); postcode: LS2 7UE.
gender() { sed -E "s/^([^,]*,[^,]*,[^,]*,[^,]*),[^,]*,/\1,$1,/"; }
ethnic() { sed -E 's/^([^,]*,[^,]*,[^,]*),[^,]*,/\1,X,/'; }
postcode() { sed 's/,LS1 4HR,/,LS2 7UE,/'; }

# OLD: ACC000001..13 at RR864 (2 and 11 and 13 with DIDS014), ACC000030 twice
# (DIDS071 on both).
{
    gen RR864 04 1 1
    gen RR864 04 1 2 | gender 7
    gen RR864 04 8 3
    gen RR864 04 1 11 | gender 7
    gen RR864 04 1 12
    gen RR864 04 1 13 | gender 7
    gen RR864 04 1 30
    gen RR864 04 1 30
} > "$T/old.csv"
# NEW: 1 and 2 removed; 3 a new postcode; 4's accession number padded with
# spaces (the same key, a changed raw value); 11 fixed; 12 a new DIDS012; 13
# unchanged with its DIDS014; the second ACC000030 a new postcode; added:
# ACC000020..22 (22 with DIDS014) and ACC000005 at another site, RR813.
# Rows shuffled (odd lines, then even ones) and CRLF line ends.
{
    gen RR864 04 1 3 | postcode
    gen RR864 04 1 4 | sed 's/,ACC000004$/, ACC000004 /'
    gen RR864 04 6 5
    gen RR864 04 1 11
    gen RR864 04 1 12 | ethnic
    gen RR864 04 1 13 | gender 7
    gen RR864 04 1 30
    gen RR864 04 1 30 | postcode
    gen RR864 04 2 20
    gen RR864 04 1 22 | gender 7
    gen RR813 04 1 5
} | awk '{ l[NR] = $0 } END { for (i = 1; i <= NR; i += 2) print l[i];
    for (i = 2; i <= NR; i += 2) print l[i] }' | sed 's/$/\r/' > "$T/new.csv"

expect differ 1 "records: 4 added, 2 removed, 5 changed, 8 unchanged" -- $D "$T/old.csv" "$T/new.csv"
expect findings 1 "findings of records in both: 1 fixed, 1 new, 3 remaining" -- \
    $D "$T/old.csv" "$T/new.csv"
expect findings-one-side 1 "findings of added records: 1; of removed records: 1" -- \
    $D "$T/old.csv" "$T/new.csv"
out=$($D "$T/old.csv" "$T/new.csv")
for want in 'DIDS014            1         0         1         1         1' \
    'DIDS012            0         1         0         0         0' \
    'DIDS071            0         0         2         0         0' \
    'old '"$T"'/old.csv: 15 records, 5 with errors; rejected (record errors)' \
    'new '"$T"'/new.csv: 17 records, 5 with errors; rejected (record errors)' \
    'the files differ'; do
    printf '%s\n' "$out" | grep -qF -- "$want" && ok || bad "text report lacks '$want'"
done

# JSON: the counts exactly.
json=$($D --format json "$T/old.csv" "$T/new.csv")
for want in '"added": 4,' '"removed": 2,' '"changed": 5,' '"unchanged": 8,' \
    '"findings_fixed": 1,' '"findings_new": 1,' '"findings_remaining": 3,' \
    '"findings_added": 1,' '"findings_removed": 1,' '"unkeyed_old": 0,' '"unkeyed_new": 0,' \
    '"DIDS014": {"fixed": 1, "new": 0, "remaining": 1, "added": 1, "removed": 1}' \
    '"DIDS012": {"fixed": 0, "new": 1, "remaining": 0, "added": 0, "removed": 0}' \
    '"PERSON_GENDER_CODE": {"changed": 1}' '"POSTCODE": {"changed": 2}' '"ETHNIC_CATEGORY": {"changed": 1}' \
    '"verdict": "rejected (record errors)"' '"same": false'; do
    printf '%s\n' "$json" | grep -qF -- "$want" && ok || bad "JSON lacks '$want'"
done
printf '%s\n' "$json" | python3 -c 'import json, sys; json.load(sys.stdin)' 2>/dev/null &&
    ok || bad "the JSON report does not parse"

# --changes: one row per added, removed or changed record, by site and
# accession number; NEW's lines are those of the shuffled file.  The two
# ACC000030 are paired in file order: OLD's first (line 14) with NEW's first
# (line 7, the one with the new postcode); OLD's 15 with NEW's 15, unchanged.
$D --changes "$T/changes.csv" "$T/old.csv" "$T/new.csv" > /dev/null
cat > "$T/want.csv" <<'CSV'
change,site,accession,old_line,new_line,items,fixed,new
added,RR813,ACC000005,,9,,,
removed,RR864,ACC000001,1,,,,
removed,RR864,ACC000002,2,,,DIDS014,
changed,RR864,ACC000003,3,1,POSTCODE,,
changed,RR864,ACC000004,4,10,RADIOLOGICAL_ACCESSION_NUM,,
changed,RR864,ACC000011,11,5,PERSON_GENDER_CODE,DIDS014,
changed,RR864,ACC000012,12,14,ETHNIC_CATEGORY,,DIDS012
added,RR864,ACC000020,,16,,,
added,RR864,ACC000021,,8,,,
added,RR864,ACC000022,,17,,,DIDS014
changed,RR864,ACC000030,14,7,POSTCODE,,
CSV
if cmp -s "$T/want.csv" "$T/changes.csv"; then ok; else
    bad "--changes content"
    diff "$T/want.csv" "$T/changes.csv" >&2
fi
[ "$(stat -c %a "$T/changes.csv")" = 600 ] && ok || bad "--changes file is not 0600"
expect no-overwrite 73 "exists (use --force to overwrite)" -- \
    $D --changes "$T/changes.csv" "$T/old.csv" "$T/new.csv"
expect force 1 "" -- $D --force --changes "$T/changes.csv" "$T/old.csv" "$T/new.csv"
cp "$T/new.csv" "$T/new.keep"
expect not-an-input 73 "is an input file; an output never replaces an input" -- \
    $D --force --changes "$T/new.csv" "$T/old.csv" "$T/new.csv"
cmp -s "$T/new.csv" "$T/new.keep" && ok || bad "--changes replaced an input"
# --changes -: stdout carries the CSV alone, the report goes to stderr.
$D --changes - "$T/old.csv" "$T/new.csv" > "$T/stdout.csv" 2> "$T/stderr.txt"
cmp -s "$T/want.csv" "$T/stdout.csv" && ok || bad "--changes -: stdout is not the CSV"
grep -q "the files differ" "$T/stderr.txt" && ok || bad "--changes -: no report on stderr"
# --mask: site and accession number are not identifiers (text.h): kept.
$D --mask --changes "$T/masked.csv" "$T/old.csv" "$T/new.csv" > /dev/null
cmp -s "$T/want.csv" "$T/masked.csv" && ok || bad "--mask changed site or accession"

# The same records: exit 0, whatever the order and line ends (a stable sort
# by site and accession number keeps the two ACC000030 in their order).
sed 's/\r$//' "$T/new.csv" | sort -s -t, -k17,18 > "$T/same.csv"
# Records sharing a key are paired in file order: the two ACC000030 swapped
# are two changed records.
sed 's/\r$//' "$T/new.csv" | sort -t, -k17,18 -k6,6 > "$T/swapped.csv"
expect swapped 1 "records: 0 added, 0 removed, 2 changed, 15 unchanged" -- \
    $D "$T/new.csv" "$T/swapped.csv"
expect identical 0 "records: 0 added, 0 removed, 0 changed, 15 unchanged" -- \
    $D "$T/old.csv" "$T/old.csv"
expect reordered 0 "the files hold the same records" -- $D "$T/new.csv" "$T/same.csv"
expect identical-json 0 '"same": true' -- $D --format json "$T/old.csv" "$T/old.csv"

# CSV against XML: the same synthetic month in both forms holds the same records.
$DIDQ synth --rows 200 --seed 3 --month 2018-07 > "$T/s.csv"
$DIDQ synth --rows 200 --seed 3 --month 2018-07 --format xml > "$T/s.xml"
expect csv-xml 0 "records: 0 added, 0 removed, 0 changed, 200 unchanged" -- \
    $D "$T/s.csv" "$T/s.xml"
# NEW from standard input.
out=$($D "$T/old.csv" - < "$T/new.csv")
[ $? = 1 ] && printf '%s' "$out" | grep -qF "records: 4 added, 2 removed, 5 changed" &&
    ok || bad "NEW from standard input"
# A control character in an accession number reaches neither the terminal
# nor the CSV raw: it is escaped (^[) as check escapes it.
printf '%s\n' "$ROW" | sed 's/,ACC0001$/,ACC\x1b[31m1/' > "$T/esc.csv"
printf '%s\n' "$ROW" > "$T/plain.csv"
$D --changes - "$T/esc.csv" "$T/plain.csv" 2>/dev/null > "$T/esc.out"
grep -qF 'removed,RR864,ACC^[[31m1,1,,,,' "$T/esc.out" && ok || bad "--changes: control character not escaped"
grep -q $'\x1b' "$T/esc.out" && bad "--changes: an escape byte reached the CSV" || ok

# Records with no accession number have no key (as for DIDS071): they are
# paired in file order, so two swapped are two changed records, and the
# report says how many there were.
gen RR864 04 2 40 | sed 's/,ACC0000[0-9]*$/,/' > "$T/nokey1.csv"
tac "$T/nokey1.csv" > "$T/nokey2.csv"
expect unkeyed 1 "records: 0 added, 0 removed, 2 changed, 0 unchanged" -- \
    $D "$T/nokey1.csv" "$T/nokey2.csv"
expect unkeyed-said 1 "  2 in old, 2 in new" -- $D "$T/nokey1.csv" "$T/nokey2.csv"
expect unkeyed-json 1 '"unkeyed_new": 2,' -- $D --format json "$T/nokey1.csv" "$T/nokey2.csv"

# Errors: usage 64, an unreadable input 66.
expect one-file 64 "wants two files, OLD and NEW, not 1" -- $D "$T/old.csv"
expect three-files 64 "wants two files" -- $D "$T/old.csv" "$T/old.csv" "$T/old.csv"
expect bad-option 64 "unknown option '--bogus'" -- $D --bogus "$T/old.csv" "$T/new.csv"
expect bad-format 64 "--format is text or json, not 'xml'" -- \
    $D --format xml "$T/old.csv" "$T/new.csv"
expect bad-date 64 "--submitted wants a date" -- \
    $DIDQ diff --submitted 2018-13-01 "$T/old.csv" "$T/new.csv"
expect mask-alone 64 "--mask applies to --changes" -- $D --mask "$T/old.csv" "$T/new.csv"

# The explorer (on a terminal, or with --script): its options go with it
# only, and its Changes pane shows the report's numbers.
expect script-format 64 "--script, --size and --no-mouse go with the explorer" -- \
    $D --script "$T/keys" --format json "$T/old.csv" "$T/new.csv"
expect script-changes 64 "--script, --size and --no-mouse go with the explorer" -- \
    $D --script "$T/keys" --changes "$T/c2.csv" "$T/old.csv" "$T/new.csv"
expect size-alone 64 "--script, --size and --no-mouse go with the explorer" -- \
    $D --size 80x24 "$T/old.csv" "$T/new.csv"
expect script-stdin 64 "the explorer reads keys, not a file, from standard input" -- \
    $D --script "$T/keys" "$T/old.csv" -
printf 'C\n:save-screen %s\n' "$T/pane.txt" > "$T/keys"
expect script 0 "" -- $D --script "$T/keys" --size 100x34 "$T/old.csv" "$T/new.csv"
for want in 'records added (in NEW only)                  4        4' \
    'records removed (in OLD only)                2        2' \
    'records changed                              5        5' \
    'records unchanged                            8        8' \
    'findings fixed (records in both)             1        1' \
    'findings new (records in both)               1        1' \
    'findings remaining (records in both)         3        3' \
    'findings of added records                    1        1' \
    'findings of removed records                  1        1' \
    'item POSTCODE changed                        2        2' \
    'rule DIDS012 new                             1        1' \
    'rule DIDS071 remaining                       2        2'; do
    grep -qF -- "$want" "$T/pane.txt" && ok || bad "Changes pane lacks '$want'"
done
# NEW as a session saved with check --db: the same pane.
$DIDQ check --submitted 2018-08-01 --db "$T/new.db" "$T/new.csv" > /dev/null
rm "$T/pane.txt"
expect script-saved 0 "" -- $D --script "$T/keys" --size 100x34 "$T/old.csv" "$T/new.db"
grep -qF 'findings remaining (records in both)         3        3' "$T/pane.txt" &&
    ok || bad "Changes pane of a saved NEW"
# Two synthetic months with defects: each record, item and rule row's
# Records (what Enter lists: temp.didq_diff) equals its Count (the diff's).
$DIDQ synth --rows 3000 --seed 5 --month 2018-07 --defect-rate 0.03 > "$T/so.csv"
$DIDQ synth --rows 3000 --seed 5 --month 2018-07 --defect-rate 0.05 > "$T/sn.csv"
printf 'C\n:save-screen %s\n' "$T/big.txt" > "$T/keys"
expect script-synth 0 "" -- $D --script "$T/keys" --size 120x400 "$T/so.csv" "$T/sn.csv"
rows=$(grep -cE '^  (records|item|rule) ' "$T/big.txt")
[ "$rows" -gt 20 ] && ok || bad "Changes pane of two synthetic months: $rows rows"
grep -E '^  (records|item|rule) ' "$T/big.txt" | awk '$NF != $(NF - 1)' > "$T/mismatch.txt"
[ ! -s "$T/mismatch.txt" ] && ok || bad "Changes pane: Count and Records differ: $(cat "$T/mismatch.txt")"
expect no-thresholds 64 "unknown option '--thresholds'" -- \
    $D --thresholds x.csv "$T/old.csv" "$T/new.csv"
expect missing-old 66 "$T/nope.csv" -- $D "$T/nope.csv" "$T/new.csv"
expect missing-new 66 "$T/nope.csv" -- $D "$T/old.csv" "$T/nope.csv"
expect help 0 "usage: didq diff" -- $DIDQ diff --help
# A file of the --refdata folder is an input: --changes never replaces it.
mkdir "$T/rd" && cp data/refdata/set/etr.csv "$T/rd/" && cp "$T/rd/etr.csv" "$T/rd/etr.orig"
expect changes-over-refdata 73 "$T/rd/etr.csv: is an input file" \
    -- "$DIDQ" diff --refdata "$T/rd" --force --changes "$T/rd/etr.csv" "$T/rd/etr.orig" "$T/rd/etr.orig"
cmp -s "$T/rd/etr.csv" "$T/rd/etr.orig" && ok || bad "--changes replaced a reference data file"
# A saved session of two files is named with both: it named only the first ("a saved
# session of old.csv" for old.csv and more.csv, whose records it counted too).
gen RR813 04 3 40 > "$T/more.csv"
$DIDQ check --submitted 2018-08-01 --db "$T/two.db" "$T/old.csv" "$T/more.csv" > /dev/null
expect saved-two-files 1 "(a saved session of $T/old.csv, $T/more.csv): 18 records" -- \
    $D "$T/two.db" "$T/new.csv"
finish
