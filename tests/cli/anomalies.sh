# anomalies.sh: `didq check` reports anomalies in JSON and text, and
# --thresholds overrides them (bad files: file:line, exit 64).
source "$(dirname "$0")/lib.sh"

{ gen RAA01 03 150 0; gen RAA01 01 50 3000; gen RBB02 07 60 1000; gen RBB02 01 140 2000; } > "$T/a.csv"

expect json-kind 0 '"kind": "setting-other-default", "site": "RBB02"' -- \
    "$DIDQ" check --submitted 2018-08-01 --format json "$T/a.csv"
out=$("$DIDQ" check --submitted 2018-08-01 --format json "$T/a.csv")
n=$(printf '%s' "$out" | grep -c '"kind": ')
[ "$n" = 1 ] && ok || bad "json: $n anomalies, want exactly 1"
printf '%s' "$out" | grep -q '"value": 0.3, "threshold": 0.1, "unit": "share", "records": 60,' \
    && ok || bad "json: value/threshold/records"
expect text 0 'site RBB02:' -- "$DIDQ" check --submitted 2018-08-01 "$T/a.csv"
expect text-kind 0 'setting-other-default' -- "$DIDQ" check --submitted 2018-08-01 "$T/a.csv"

# A threshold above the share silences it.
printf '# raise it\nkind,threshold\nsetting-other-default,0.5\n' > "$T/th.csv"
st=0
out=$("$DIDQ" check --submitted 2018-08-01 --format json --thresholds "$T/th.csv" "$T/a.csv") || st=$?
[ "$st" = 0 ] && printf '%s' "$out" | grep -q '"anomalies": \[' && ok ||
    bad "thresholds: exit $st, or no anomalies list: $(printf '%s' "$out" | head -3)"
printf '%s' "$out" | grep -q '"kind": ' && bad "thresholds: still reported" || ok
# ... and a lower min_records/threshold elsewhere makes a new one.
printf 'kind,threshold,min_records\nsetting-default-suspected,0.6,100\n' > "$T/th2.csv"
expect thresholds-new 0 '"kind": "setting-default-suspected", "site": "RAA01"' -- \
    "$DIDQ" check --submitted 2018-08-01 --format json --thresholds "$T/th2.csv" "$T/a.csv"

printf 'kind,threshold\nsetting-other-default,abc\n' > "$T/bad1.csv"
expect bad-number 64 "bad1.csv:2: threshold 'abc' is not a number" -- \
    "$DIDQ" check --thresholds "$T/bad1.csv" "$T/a.csv"
printf '\nkind,threshold\n# c\nno-such-kind,1\n' > "$T/bad2.csv"
expect bad-kind 64 "bad2.csv:4: unknown anomaly kind 'no-such-kind'" -- \
    "$DIDQ" check --thresholds "$T/bad2.csv" "$T/a.csv"
printf 'name,value\n' > "$T/bad3.csv"
expect bad-header 64 "bad3.csv:1: the header must name" -- \
    "$DIDQ" check --thresholds "$T/bad3.csv" "$T/a.csv"
printf 'kind,threshold,severity\nactivity-gap,2,urgent\n' > "$T/bad4.csv"
expect bad-severity 64 "bad4.csv:2: severity is high, medium or low" -- \
    "$DIDQ" check --thresholds "$T/bad4.csv" "$T/a.csv"
expect missing-file 66 "nope.csv: cannot open" -- \
    "$DIDQ" check --thresholds "$T/nope.csv" "$T/a.csv"
expect no-value 64 "--thresholds needs a value" -- "$DIDQ" check "$T/a.csv" --thresholds

# The explorer takes the same analysis options (one table): pane 9 with
# and without the raised threshold; a bad file is refused as by check.
printf '9\n:save-screen %s\n' "$T/pane9.txt" > "$T/p9.keys"
explore() { "$DIDQ" --script "$T/p9.keys" --size 100x30 --submitted 2018-08-01 "$@" "$T/a.csv"; }
explore > /dev/null 2>&1 && grep -q "setting-other-default" "$T/pane9.txt" && ok ||
    bad "explorer: pane 9 lacks the anomaly"
rm -f "$T/pane9.txt"
explore --thresholds "$T/th.csv" > /dev/null 2>&1 && [ -s "$T/pane9.txt" ] &&
    ! grep -q "setting-other-default" "$T/pane9.txt" && ok ||
    bad "explorer: --thresholds not applied in pane 9"
expect explore-bad-number 64 "bad1.csv:2: threshold 'abc' is not a number" -- \
    explore --thresholds "$T/bad1.csv"
expect explore-missing-file 66 "nope.csv: cannot open" -- explore --thresholds "$T/nope.csv"

# A session saved with --thresholds keeps them (every column: threshold,
# min_records, severity): didq open's reports and the explorer on the saved
# file show what check found with them, not the built-in thresholds' result.
printf 'kind,threshold,min_records,severity\nsetting-other-default,0.5\nsetting-default-suspected,0.6,100,high\n' \
    > "$T/th3.csv"
chk() { "$DIDQ" check --submitted 2018-08-01 --thresholds "$T/th3.csv" "$@" "$T/a.csv"; }
chk --format json --db "$T/th.db" > "$T/th.check.json"
grep -q '"kind": "setting-default-suspected", "site": "RAA01", "severity": "high"' \
    "$T/th.check.json" && ! grep -q setting-other-default "$T/th.check.json" && ok ||
    bad "check --thresholds th3.csv: $(grep '"kind"' "$T/th.check.json")"
"$DIDQ" open --format json "$T/th.db" > "$T/th.open.json"
cmp -s "$T/th.check.json" "$T/th.open.json" && ok ||
    bad "open --format json: not the anomalies of the thresholds the session was saved with"
chk > "$T/th.check.txt"
"$DIDQ" open --format text "$T/th.db" > "$T/th.open.txt"
cmp -s "$T/th.check.txt" "$T/th.open.txt" && ok ||
    bad "open --format text: not the anomalies of the thresholds the session was saved with"
open9() { rm -f "$T/pane9.txt"; "$DIDQ" open --script "$T/p9.keys" --size 100x30 "$@" > /dev/null 2>&1; }
open9 "$T/th.db" && grep -qE "high +RAA01 +setting-default-suspected" "$T/pane9.txt" &&
    ! grep -q "setting-other-default" "$T/pane9.txt" && ok ||
    bad "explorer on the saved session: not its thresholds' anomalies"
# --thresholds given to the explorer replaces them (over the built-in ones).
open9 --thresholds "$T/th2.csv" "$T/th.db" &&
    grep -qE "medium +RAA01 +setting-default-suspected" "$T/pane9.txt" &&
    grep -q "setting-other-default" "$T/pane9.txt" && ok ||
    bad "explorer on the saved session: --thresholds not applied"
# And given to open --format: its report is check's with those thresholds.
"$DIDQ" check --submitted 2018-08-01 --thresholds "$T/th2.csv" --format json "$T/a.csv" > "$T/th2.check.json"
"$DIDQ" open --format json --thresholds "$T/th2.csv" "$T/th.db" > "$T/th2.open.json"
cmp -s "$T/th2.check.json" "$T/th2.open.json" && ok ||
    bad "open --format json --thresholds: not check's anomalies with those thresholds"
expect open-thresholds-missing 66 "nope.csv" -- "$DIDQ" open --format text --thresholds "$T/nope.csv" "$T/th.db"
expect open-thresholds-no-value 64 "--thresholds needs a value" -- "$DIDQ" open --format text "$T/th.db" --thresholds
# A file saved by an older didq (didq-session-1: no saved analyses), without the
# thresholds: the built-in ones.  (A didq-session-2 file without them is refused.)
cp "$T/th.db" "$T/old.db"
sqlite3 "$T/old.db" "DROP TABLE thresholds; DROP TABLE an_parts; DROP TABLE an_anomalies;
    DROP TABLE anomaly_records; DROP TABLE an_timeliness; DROP TABLE an_coverage;
    DROP TABLE an_volumes; DROP TABLE IF EXISTS dqmi_counts; DROP TABLE IF EXISTS month_sites;
    DROP TABLE IF EXISTS site_figs; DROP TABLE IF EXISTS site_quality;
    DROP TABLE IF EXISTS month_counts; DELETE FROM meta WHERE key = 'dqmi_spec';
    UPDATE meta SET value = 'didq-session-1' WHERE key = 'format'"
expect older-file 0 '"kind": "setting-other-default", "site": "RBB02", "severity": "medium", "value": 0.3, "threshold": 0.1,' -- \
    "$DIDQ" open --format json "$T/old.db"

finish
