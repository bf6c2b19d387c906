#!/bin/bash
# report.sh: `didq report`, the self-contained HTML and Markdown page: no
# script or external reference, identifiers masked, the numbers of didq
# check, a bounded size, and the output rules (atomic, 0600, never over an
# existing file or an input).
source "$(dirname "$0")/lib.sh"

"$DIDQ" synth --rows 3000 --month 2026-10 --defect-rate 0.05 --seed 7 > "$T/m.csv"
SUB=--submitted=2026-11-01
"$DIDQ" check $SUB --format json "$T/m.csv" > "$T/check.json"
json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$T/check.json" "$1"; }

expect html 0 "" -- "$DIDQ" report $SUB -o "$T/r.html" "$T/m.csv"
expect md 0 "" -- "$DIDQ" report $SUB --format md -o "$T/r.txt" "$T/m.csv"
expect md-by-name 0 "" -- "$DIDQ" report $SUB -o "$T/r.md" "$T/m.csv"
cmp -s "$T/r.txt" "$T/r.md" && ok || bad "-o FILE.md is not the Markdown page"

# Self-contained: no script, no reference to anything outside the file.
for f in r.html r.md; do
    grep -qi '<script' "$T/$f" && bad "$f has a script" || ok
    grep -qiE 'https?:|url\(|src=|href=|@import|//[a-z]' "$T/$f" && bad "$f refers outside" || ok
done
grep -q '<svg' "$T/r.html" && ok || bad "no SVG chart in the HTML"
grep -q '@media print' "$T/r.html" && grep -q 'size:A4' "$T/r.html" && ok || bad "no A4 print CSS"
grep -q 'name="viewport"' "$T/r.html" && ok || bad "no viewport for phones"
grep -q '<svg' "$T/r.md" && bad "SVG in the Markdown" || ok

# Sections present, in both formats.
for s in "Summary" "Files and verdicts" "Rules that fail most" \
    "Completeness against the national 2024/25 figure" "Source-setting mix per site" \
    "Referral-to-test and report turnaround" "Coverage calendar per site" "Anomalies" \
    "Example records with errors"; do
    grep -qF ">$s</h2>" "$T/r.html" && ok || bad "HTML lacks section $s"
    grep -qxF "## $s" "$T/r.md" && ok || bad "Markdown lacks section $s"
done

# The numbers are didq check's.
rec=$(json records) err=$(json records_with_errors) warn=$(json records_with_warnings)
grep -qF "<td>Records</td><td class=\"r\">$rec</td>" "$T/r.html" && ok || bad "records != $rec"
grep -qF "<td>Records with errors</td><td class=\"r\">$err</td>" "$T/r.html" && ok ||
    bad "records with errors != $err"
grep -qxF "| Records with warnings | $warn |" "$T/r.md" && ok || bad "warnings != $warn"
# The rule that fires on most records, with its count.
top=$(python3 -c "
import json,sys
r=[x for x in json.load(open(sys.argv[1]))['rules'] if x.get('checked') and x['count']>0 and x['code'].startswith('DIDS')]
r.sort(key=lambda x:(-x['count'],x['code'])); print(r[0]['code'], r[0]['count'])" "$T/check.json")
set -- $top
grep -qE "^\| (\\\\\* )?$1 \| [a-z]+ \| $2 \|" "$T/r.md" && ok || bad "top rule $1 ($2) not in the Markdown"
# Completeness per site and item: the report date's filled % at the first site, counted
# here from the file (a blank value is empty or spaces).
site=$(awk -F, 'NR == 1 { print $17 }' "$T/m.csv")
want=$(awk -F, -v s="$site" '$17 == s { n++; if ($16 ~ /^ *$/) b++ }
    END { printf "%d %.1f", n, 100 * (n - b) / n }' "$T/m.csv")
set -- $want
grep -qE "^\| $site \| $1 \|( [0-9.]+ \|){15} $2 \|" "$T/r.md" && ok ||
    bad "site x item: $site report date filled != $2 % of $1"
grep -qF 'Completeness per site and item' "$T/r.html" && ok || bad "no heat map in the HTML"
# Completeness per item: Filled % is 100 x (records - blank) / records, an invalid value
# counting as filled, and the caption says so (it said "filled = neither blank nor invalid").
rec=$(grep -oE '^\| Records \| [0-9]+' "$T/r.md" | grep -oE '[0-9]+$')
awk -F' \\| ' -v n="$rec" '/^\| NHS\\_NUMBER \| / { want = sprintf("%.1f", 100 * (n - $4) / n)
    if ($3 != want || $5 == 0) bad = 1; seen = 1 } END { exit !seen || bad }' "$T/r.md" && ok ||
    bad "Completeness: NHS_NUMBER filled % is not records less blank, or no invalid value"
grep -qF 'filled = neither blank nor invalid' "$T/r.md" && bad "Completeness caption: filled counts invalid values" || ok
grep -qF '(filled = not blank; an invalid value is filled, and counted in Invalid)' "$T/r.md" && ok ||
    bad "Completeness caption does not say what Filled % counts"

# --notes: the explained findings, counted as check --notes counts them (notes on the
# first two records with a finding of the most frequent rule; one explained, one todo).
"$DIDQ" check $SUB --findings "$T/f.csv" "$T/m.csv" > /dev/null
set -- $top
awk -F, -v c="$1" 'NR > 1 && $0 ~ "," c "," { print }' "$T/f.csv" | head -2 > "$T/f2"
python3 - "$T/f.csv" "$T/f2" "$T/notes.csv" "$1" << 'PY'
import csv, sys
head = next(csv.reader(open(sys.argv[1])))
rows = [r for r in csv.reader(open(sys.argv[1])) if r != head and r[head.index('code')] == sys.argv[4]][:2]
with open(sys.argv[3], 'w') as f:
    f.write('site,accession,code,status,note\n')
    for r, st in zip(rows, ['explained', 'todo']):
        f.write('%s,%s,%s,%s,checked\n' % (r[head.index('site')], r[head.index('accession')], sys.argv[4], st))
PY
"$DIDQ" report $SUB --notes "$T/notes.csv" --format md -o "$T/n.md" "$T/m.csv" && ok || bad "report --notes"
expl=$("$DIDQ" check $SUB --notes "$T/notes.csv" --format json "$T/m.csv" | python3 -c "
import json,sys
print([r['explained'] for r in json.load(sys.stdin)['rules'] if r['code'] == sys.argv[1]][0])" "$1")
[ "$expl" = 1 ] && ok || bad "check --notes explains $expl records of $1, want 1"
grep -qE "^\| $1 \| $2 \| $expl \|" "$T/n.md" && ok || bad "report --notes: $1 not $2 records, $expl explained"
grep -qF '## Explained findings' "$T/n.md" && ok || bad "no Explained findings section"
grep -qF 'Explained findings' "$T/r.md" && bad "a section on notes without --notes" || ok
printf 'site,accession,code,status,note\nRR1,A1,,maybe,x\n' > "$T/badnotes.csv"
expect report-bad-notes 64 "badnotes.csv:2" -- "$DIDQ" report $SUB --notes "$T/badnotes.csv" -o "$T/bn.md" "$T/m.csv"

# The DQMI-style (local) score is check's, labelled as local, never NHS England's.
dq=$(python3 -c "
import json,sys
print('%.1f' % json.load(open(sys.argv[1]))['dqmi']['overall']['score'])" "$T/check.json")
grep -qF "DQMI-style (local) $dq (items" "$T/r.md" && ok || bad "DQMI score != $dq"
grep -qF 'method, with didq' "$T/r.html" && ok || bad "DQMI section not labelled local"
grep -qF '| Ethnic |' "$T/r.md" && ok || bad "no DQMI item table"

# Masked: none of the synthetic NHS numbers, birth dates or postcodes.
awk -F, '{ print $1; print $6 } $3 < "2026" { print $3 }' "$T/m.csv" | grep -v '^ *$' |
    sort -u > "$T/all-ids"
# (less the dates the rules' messages name, such as 1900-01-01)
"$DIDQ" rules > "$T/rules.txt"
grep -oFf "$T/all-ids" "$T/rules.txt" | sort -u > "$T/in-rules"
grep -vxFf "$T/in-rules" "$T/all-ids" > "$T/ids"
for f in r.html r.md; do
    grep -qFf "$T/ids" "$T/$f" && bad "$f shows an identifier: $(grep -oFf "$T/ids" "$T/$f" | head -1)" || ok
done
grep -q 'no NHS number, birth date or postcode appears' "$T/r.html" && ok || bad "no masked note"
# --unmasked shows them (so the check above can fail), with a warning.
expect unmasked 0 "" -- "$DIDQ" report $SUB --unmasked -o "$T/u.html" "$T/m.csv"
grep -qFf "$T/ids" "$T/u.html" && ok || bad "--unmasked shows no identifier"
grep -q 'class="warn">UNMASKED' "$T/u.html" && ok || bad "--unmasked has no warning"
expect mask-wins 0 "" -- "$DIDQ" report $SUB --unmasked --mask -o "$T/m2.html" "$T/m.csv"
grep -qFf "$T/ids" "$T/m2.html" && bad "--mask after --unmasked shows identifiers" || ok

# Text from the files is escaped: a site code with markup, a pipe and an
# escape sequence.
printf '%s\n' "${ROW/RR864/<b>|x$'\e'[31m}" > "$T/odd.csv"
expect odd 0 "" -- "$DIDQ" report --submitted 2018-08-01 -o "$T/odd.html" "$T/odd.csv"
grep -q '<b>' "$T/odd.html" && bad "markup from a file reaches the HTML" || ok
grep -qF '&lt;b&gt;|x' "$T/odd.html" && ok || bad "site code not escaped"
expect odd-md 0 "" -- "$DIDQ" report --submitted 2018-08-01 -o "$T/odd.md" "$T/odd.csv"
grep -qF '&lt;b&gt;\|x' "$T/odd.md" && ok || bad "pipe not escaped in Markdown"
grep -q $'\e' "$T/odd.html" "$T/odd.md" && bad "a control character reaches the page" || ok

# Output: 0600, refuses an existing file without --force, never an input.
[ "$(stat -c %a "$T/r.html")" = 600 ] && ok || bad "mode $(stat -c %a "$T/r.html")"
expect exists 73 "exists" -- "$DIDQ" report $SUB -o "$T/r.html" "$T/m.csv"
expect force 0 "" -- "$DIDQ" report $SUB --force -o "$T/r.html" "$T/m.csv"
cp "$T/m.csv" "$T/in.csv"
expect input 73 "" -- "$DIDQ" report $SUB --force -o "$T/in.csv" "$T/in.csv"
cmp -s "$T/m.csv" "$T/in.csv" && ok || bad "the input was overwritten"
expect no-output 64 "-o FILE" -- "$DIDQ" report $SUB "$T/m.csv"
expect no-input 64 "no input" -- "$DIDQ" report $SUB -o "$T/x.html"
expect bad-format 64 "html or md" -- "$DIDQ" report $SUB --format pdf -o "$T/x.html" "$T/m.csv"
expect missing 66 "" -- "$DIDQ" report $SUB -o "$T/x.html" "$T/nonesuch.csv"
[ -e "$T/x.html" ] && bad "a failed report left a file" || ok

# A saved session, and the explorer's test files (several months, XML).
expect save 1 "" -- "$DIDQ" check $SUB --db "$T/s.db" "$T/m.csv"
expect db 0 "" -- "$DIDQ" report --format md --db "$T/s.db" -o "$T/db.md"
diff <(grep -v '^Submission date' "$T/db.md") <(grep -v '^Submission date' "$T/r.md") > /dev/null &&
    ok || bad "the saved session's report differs from the files'"
expect db-and-files 64 "no input files" -- "$DIDQ" report --db "$T/s.db" -o "$T/y.md" "$T/m.csv"
expect tui-data 0 "" -- "$DIDQ" report --submitted 2018-11-01 -o "$T/t.html" \
    tui/data/month.csv tui/data/september.csv tui/data/three.xml
grep -qF '>Month on month</h2>' "$T/t.html" && ok || bad "several months but no month on month"

# A file without records: its file-level finding is a failing rule, and no
# filled percentage is made up.
: > "$T/empty.csv"
expect empty 0 "" -- "$DIDQ" report $SUB -o "$T/e.md" "$T/empty.csv"
grep -qE '^\| (\\\* )?DIDS075 \| reject \|' "$T/e.md" && ok || bad "DIDS075 not among the failing rules"
grep -qxF '| Mandatory items filled (mean %) | - |' "$T/e.md" && ok || bad "a filled % of no records"

# Bounded size: a bigger month does not make a much bigger page.
"$DIDQ" synth --rows 60000 --month 2026-10 --defect-rate 0.2 --seed 3 > "$T/big.csv"
expect big 0 "" -- "$DIDQ" report $SUB -o "$T/big.html" "$T/big.csv"
size=$(stat -c %s "$T/big.html")
[ "$size" -lt 1000000 ] && ok || bad "the page of 60000 records is $size bytes"
finish
