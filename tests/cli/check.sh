# didq check: reports, findings CSV, several files, exit statuses, exports.
. "$(dirname "$0")/lib.sh"
C="$DIDQ check --submitted 2018-08-01"
F=data/nhs-rcl/csv

expect accepted 0 "submission date 2018-08-01" -- $C $F/00003_simple/input.csv
expect record-errors 1 "1 of 1 files rejected" -- $C $F/00004_dq_errors/input.csv
expect file-level 2 "DIDS075" -- $C $F/00016_invalid_file_format/input.csv
expect two-files 2 "2 of 3 files rejected" -- $C $F/00003_simple/input.csv \
    $F/00004_dq_errors/input.csv $F/00016_invalid_file_format/input.csv

json=$($C --format json $F/00003_simple/input.csv $F/00004_dq_errors/input.csv)
for key in '"submitted": "2018-08-01"' '"files": [' '"path": "data/nhs-rcl/csv/00003_simple/input.csv"' \
           '"verdict": "rejected"' '"file_findings": [' '"rules": [' '"records_with_errors": 11' \
           '"records_with_warnings": 7' '"code": "DIDS016", "severity": "error", "count": null, "checked": false' \
           '"code": "DIDS023", "severity": "warning", "count": 2, "checked": true'; do
    if printf '%s' "$json" | grep -qF -- "$key"; then ok; else bad "json lacks $key"; fi
done

$C --findings "$T/f.csv" $F/00004_dq_errors/input.csv > /dev/null

# --findings -: stdout carries the CSV alone (a pipe into a CSV reader); the
# text report goes to stderr.
$C --findings - $F/00004_dq_errors/input.csv > "$T/stdout.csv" 2> "$T/stderr.txt"
[ $? = 1 ] && ok || bad "--findings -: exit status"
head -1 "$T/stdout.csv" | grep -qx 'file,line,record,accession,site,code,severity,field,value,message' &&
    ok || bad "--findings -: stdout does not start with the CSV header"
grep -q "files rejected" "$T/stdout.csv" && bad "--findings -: the report is on stdout" || ok
grep -q "1 of 1 files rejected" "$T/stderr.txt" && ok || bad "--findings -: no report on stderr"
head -1 "$T/f.csv" | grep -qx 'file,line,record,accession,site,code,severity,field,value,message' && ok || bad "findings header"
[ "$(grep -c ',DIDS071,' "$T/f.csv")" = 2 ] && ok || bad "two DIDS071 rows"
[ "$(stat -c %a "$T/f.csv")" = 600 ] && ok || bad "findings file is not 0600"
expect no-overwrite 73 "exists (use --force to overwrite)" -- $C --findings "$T/f.csv" $F/00003_simple/input.csv
grep -q DIDS071 "$T/f.csv" && ok || bad "refused overwrite changed the file"
expect force 0 "" -- $C --force --findings "$T/f.csv" $F/00003_simple/input.csv
[ "$(wc -l < "$T/f.csv")" = 2 ] && ok || bad "--force did not replace the file"
ls -a "$T" | grep -q '^\.f\.csv\.' && bad "temporary file left behind" || ok

$C --mask --findings "$T/m.csv" $F/00004_dq_errors/input.csv > /dev/null
grep -q ',NHS_NUMBER,123\*\*\*\*\*90,' "$T/m.csv" && ok || bad "NHS number not masked"
grep -q ',PERSON_BIRTH_DATE,20\*\*-\*\*-\*\*,' "$T/m.csv" && ok || bad "birth date not masked"
grep -q ',POSTCODE,WN5\*\*\*,' "$T/m.csv" && ok || bad "postcode without space not masked"
grep -q ',1234567890,' "$T/m.csv" && bad "masked file holds an NHS number" || ok

printf '%s\n%s\n' "$ROW" "$(printf '%s' "$ROW" | sed 's/,04,/,09,/; s/ACC0001/ACC0002/')" > "$T/two.csv"
expect stdin 1 "(stdin) (csv): 2 records, 1 with errors" -- sh -c "$C - < '$T/two.csv'"
# Control characters in a file name (C0 with tab and newline, ESC, DEL, a
# UTF-8 C1): JSON escapes each as \u00XX, and no raw one reaches the output.
cc="$T/"$'ctl\x01\tx\x1b[31m\x7f\xc2\x85\nend.csv'
cp "$T/two.csv" "$cc"
expect json-control-chars 1 "\"path\": \"$T/ctl\\u0001\\u0009x\\u001b[31m\\u007f\\u0085\\u000aend.csv\"" -- \
    $C --format json "$cc"
$C --format json "$cc" > "$T/cc.json" 2>&1
LC_ALL=C tr -d '\n' < "$T/cc.json" | LC_ALL=C grep -q $'[\x01-\x1f\x7f]\|\xc2\x85' &&
    bad "json-control-chars: a raw control character in the output" || ok

# The reporting month: an October file with two April, three November rows
# and one invalid test date is an October file with 5 records outside it.
day() { printf '%s' "$ROW" | awk -F, -v OFS=, -v d="$1" -v a="$2" '{$11=$12=$13=$16=d; $18=a; print}'; }
{ for i in $(seq 1 28); do day "$(printf '2026-10-%02d' "$i")" "ACC$i"; done
  for d in 2026-04-01 2026-04-02 2026-11-01 2026-11-01 2026-11-02 2026-13-01; do day $d "X$d"; done
} > "$T/oct.csv"
M="$DIDQ check --submitted 2026-11-20"
expect month-text 1 "reporting month 2026-10: 5 records dated outside it, 1 without a valid test date" -- $M "$T/oct.csv"
expect month-json 1 '"month": "2026-10", "outside_month": 5, "no_test_date": 1,' -- $M --format json "$T/oct.csv"
printf '%s\n' "$ROW" | sed 's/2018-07-03/2018-7-3/' > "$T/undated.csv"
expect month-none 1 "reporting month: none (no record has a valid test date)" -- $C "$T/undated.csv"
expect month-json-none 1 '"month": null, "outside_month": 0, "no_test_date": 1,' -- $C --format json "$T/undated.csv"

# A value a spreadsheet would run as a formula gets a leading apostrophe.
printf '%s\n' "$ROW" | sed 's/,04,/,=HYPERLINK("x"),/' > "$T/formula.csv"
$C --findings "$T/fx.csv" "$T/formula.csv" > /dev/null
grep -qF ",\"'=HYPERLINK(\"\"x\"\")\"," "$T/fx.csv" && ok || bad "formula cell not neutralised"

printf '%s\n' "$ROW" > "$T/esc$(printf '\033')[31m.csv"
out=$($C "$T"/esc*.csv 2>&1)
printf '%s' "$out" | grep -q "$(printf '\033')" && bad "escape sequence reached the terminal" || ok
printf '%s' "$out" | grep -qF '^[[31m' && ok || bad "escape sequence not shown as ^["
# A file without records has no completeness: the explorer's Overview and Completeness pane
# and the report's table said every item was 100.0 % filled (JSON's filled_pct is null).
: > "$T/none.csv"
printf ':save-screen %s\n2\n:save-screen %s\n' "$T/none-1.txt" "$T/none-2.txt" > "$T/none.keys"
"$DIDQ" --script "$T/none.keys" --size 80x24 "$T/none.csv" > /dev/null 2>&1
grep -q 'filled 100.0%\|100.0%' "$T/none-1.txt" && bad "Overview: a file without records 100 % filled" || ok
grep -qF 'Completeness (pane 2): no records' "$T/none-1.txt" && ok || bad "Overview: completeness of no records not said"
grep -qE '^  NHS_NUMBER +M\* +- +0 +0 ' "$T/none-2.txt" && ok || bad "Completeness: no records, filled % not -"
"$DIDQ" report --format md -o "$T/none.md" "$T/none.csv" > /dev/null 2>&1
grep -qF '| NHS\_NUMBER | M\* | - | 0 | 0 |' "$T/none.md" && ok || bad "report: no records, filled % not -"
finish
