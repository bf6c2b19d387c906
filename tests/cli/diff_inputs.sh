# didq diff with other inputs than two good files: saved sessions (--db) as
# OLD or NEW (told by content), files without records, files whose reading
# stopped (fatal DIDS075/076), and the JSON report's full item and rule
# lists.  The matching is checked against an independent count in Python on
# a month with duplicated keys, shuffled rows and CRLF line ends.
. "$(dirname "$0")/lib.sh"
S=2026-10-01
D="$DIDQ diff --submitted $S"

# OLD: a synthetic month with defects (DIDS071 duplicates among them); NEW:
# the same month with other defects, shuffled, with CRLF line ends.
$DIDQ synth --rows 3000 --seed 5 --month 2026-09 --defect-rate 0.05 --defect-duplicates \
    -o "$T/old.csv"
$DIDQ synth --rows 3000 --seed 5 --month 2026-09 --defect-rate 0.08 --defect-duplicates \
    -o "$T/new0.csv"
awk 'BEGIN { srand(7) } { print rand() "\t" $0 }' "$T/new0.csv" | sort -k1,1 | cut -f2- |
    sed 's/$/\r/' > "$T/new.csv"

# The counts by an independent reading: records keyed by site code and
# accession number trimmed of spaces, paired in file order within a key;
# changed when any of the 18 raw values differs.
count() {
    python3 - "$1" "$2" <<'PY'
import csv, sys
from collections import defaultdict
def read(p):
    with open(p, newline='') as f:
        return [r for r in csv.reader(f)]
def groups(rows):
    g = defaultdict(list)
    for r in rows:
        g[(r[16].strip(' '), r[17].strip(' '))].append(r)
    return g
o, n = groups(read(sys.argv[1])), groups(read(sys.argv[2]))
added = removed = changed = same = 0
for k in set(o) | set(n):
    a, b = o.get(k, []), n.get(k, [])
    for x, y in zip(a, b):
        if x[:18] == y[:18]: same += 1
        else: changed += 1
    removed += max(0, len(a) - len(b))
    added += max(0, len(b) - len(a))
print(f"records: {added} added, {removed} removed, {changed} changed, {same} unchanged")
PY
}
want=$(count "$T/old.csv" "$T/new.csv")
case $want in
*" 0 changed"* | *" 0 added"*) bad "the test month has no changed or added records: $want" ;;
esac
expect files 1 "$want" -- $D "$T/old.csv" "$T/new.csv"
$D --changes "$T/files.csv" "$T/old.csv" "$T/new.csv" > "$T/files.txt"

# Saved sessions as OLD, NEW or both: the same counts and the same --changes.
$DIDQ check --submitted $S --db "$T/old.db" "$T/old.csv" > /dev/null
$DIDQ check --submitted $S --db "$T/new.db" "$T/new.csv" > /dev/null
for pair in "old.db new.csv" "old.csv new.db" "old.db new.db"; do
    set -- $pair
    expect "saved $1 $2" 1 "$want" -- $D "$T/$1" "$T/$2"
    $D --changes "$T/c.csv" --force "$T/$1" "$T/$2" > "$T/c.txt"
    cmp -s "$T/files.csv" "$T/c.csv" && ok || bad "saved $1 $2: --changes differs from the files'"
    # The reports differ only in the lines naming the inputs.
    cmp -s <(grep -v '^old \|^new ' "$T/files.txt") <(grep -v '^old \|^new ' "$T/c.txt") &&
        ok || bad "saved $1 $2: report differs"
done
expect saved-named 1 "old $T/old.db (a saved session of $T/old.csv): 3000 records" -- \
    $D "$T/old.db" "$T/new.csv"
expect saved-json 1 '"path": "'"$T"'/old.db", "file": "'"$T"'/old.csv", "saved": true' -- \
    $D --format json "$T/old.db" "$T/new.db"
# Told by content, not by name: a saved session named .csv is one.
cp "$T/old.db" "$T/session.csv"
expect saved-by-content 1 "(a saved session of $T/old.csv)" -- $D "$T/session.csv" "$T/new.csv"
# An SQLite file that is not a saved session is refused (66), not compared.
sqlite3 "$T/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES(1);"
expect not-a-session 66 "not a saved didq session" -- $D "$T/other.db" "$T/new.csv"
# A session saved with another submission date keeps its findings: the
# report says the dates differ.
$DIDQ check --submitted 2026-11-15 --db "$T/late.db" "$T/old.csv" > /dev/null
expect other-date 1 "old checked with submission date 2026-11-15, new with $S" -- \
    $D "$T/late.db" "$T/new.csv"

# Files without records: two are the same (exit 0) and the report says they
# hold none; the verdict gives the reason of the file-level rejection.
: > "$T/empty1.csv"
: > "$T/empty2.csv"
expect empty 0 "the files hold the same records: none (neither holds a record)" -- \
    $D "$T/empty1.csv" "$T/empty2.csv"
expect empty-reason 0 "rejected (file level): DIDS075 on line 1: The file holds no records" -- \
    $D "$T/empty1.csv" "$T/empty2.csv"
expect empty-json 0 '"reject": {"code": "DIDS075", "line": 1, "message": "The file holds no records", "findings": 1}' -- \
    $D --format json "$T/empty1.csv" "$T/empty2.csv"
head -1 "$T/old.csv" > "$T/one.csv"
expect empty-old 1 "old holds no records" -- $D "$T/empty1.csv" "$T/one.csv"
expect empty-old-counts 1 "records: 1 added, 0 removed" -- $D "$T/empty1.csv" "$T/one.csv"
# A header row alone: no records, rejected for its header (DIDQ101).
$D --format json "$T/empty1.csv" "$T/empty2.csv" |
    python3 -c 'import json, sys; print(",".join(json.load(sys.stdin)["items"]))' > "$T/header.csv"
expect header-only 0 "neither holds a record" -- $D "$T/header.csv" "$T/empty1.csv"

# A file whose reading stopped part-way (fatal DIDS075, DIDS076) is not
# compared: its reason is given, exit 2, and no --changes is written.
printf '\xff\xfeN\x00H\x00S\x00' > "$T/utf16.csv"
expect stopped 2 "new $T/utf16.csv: 0 records, 0 with errors; rejected (file level): reading stopped, DIDS075 on line 1: The file is UTF-16" -- \
    $D "$T/old.csv" "$T/utf16.csv"
expect stopped-said 2 "not compared: the reading of new stopped part-way" -- \
    $D "$T/old.csv" "$T/utf16.csv"
{ head -3 "$T/old.csv"; printf '%s\n' "${ROW%ACC0001}\"ACC"; } > "$T/quote.csv"
expect stopped-quote 2 "reading stopped, DIDS075 on line 4: A quoted field opened here is never closed" -- \
    $D "$T/quote.csv" "$T/old.csv"
expect stopped-both 2 "the reading of both files stopped" -- $D "$T/quote.csv" "$T/utf16.csv"
printf '<?xml version="1.0"?>\n<broken>\n' > "$T/bad.xml"
expect stopped-xml 2 "reading stopped, DIDS076" -- $D "$T/old.csv" "$T/bad.xml"
expect stopped-changes 2 "not written: the files are not compared" -- \
    $D --changes "$T/stopped.csv" "$T/old.csv" "$T/utf16.csv"
[ -e "$T/stopped.csv" ] && bad "--changes written for files not compared" || ok
json=$($D --format json "$T/old.csv" "$T/utf16.csv")
printf '%s\n' "$json" | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["compared"] is False and j["new"]["stopped"] is True and j["old"]["stopped"] is False
assert j["new"]["reject"]["code"] == "DIDS075" and "added" not in j
' && ok || bad "JSON of files not compared"

# JSON: every item of the data set and every rule of the catalogue, with
# zeros, and every count an integer.
$D --format json "$T/old.csv" "$T/new.csv" > "$T/d.json"
python3 - "$T/d.json" <<'PY' && ok || bad "JSON items or rules incomplete"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["compared"] is True
assert len(j["items"]) == 18, len(j["items"])
assert j["items"]["REFERRING_ORG_CODE"] == {"changed": 0} or j["items"]["REFERRING_ORG_CODE"]["changed"] >= 0
assert all(set(v) == {"changed"} for v in j["items"].values())
assert "DIDS001" in j["rules"] and "DIDS082" in j["rules"] and len(j["rules"]) > 50, sorted(j["rules"])
assert all(set(v) == {"fixed", "new", "remaining", "added", "removed"} for v in j["rules"].values())
for k in ("added", "removed", "changed", "unchanged", "findings_fixed", "findings_new",
          "findings_remaining", "findings_added", "findings_removed", "unkeyed_old", "unkeyed_new"):
    assert isinstance(j[k], int), k
# The per-rule and per-item counts add up to the totals.
r = j["rules"].values()
assert sum(v["fixed"] for v in r) == j["findings_fixed"]
assert sum(v["new"] for v in r) == j["findings_new"]
assert sum(v["remaining"] for v in r) == j["findings_remaining"]
assert sum(v["added"] for v in r) == j["findings_added"]
assert sum(v["removed"] for v in r) == j["findings_removed"]
assert max(v["changed"] for v in j["items"].values()) <= j["changed"]
PY
finish
