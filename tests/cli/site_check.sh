# check --site CODE[,CODE...] and the per-site rules and completeness of
# the JSON report (docs/usage.md, "One site's report").  Synthetic data only.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

SUB=(--submitted 2026-11-01)
"$DIDQ" synth --rows 3000 --month 2026-10 --seed 7 --defect-rate 0.25 --defect-duplicates \
    -o "$T/m.csv"

# 1. Per site, `rules` and `completeness` against counts made independently:
# the rules and invalid values from the findings CSV, records and blanks
# from the submitted file itself.
"$DIDQ" check "${SUB[@]}" --format json --findings "$T/f.csv" "$T/m.csv" > "$T/all.json"
if out=$(python3 - "$T/all.json" "$T/f.csv" "$T/m.csv" "$ROOT/refdata/v1/rules.csv" <<'PY'
import csv, json, sys
from collections import defaultdict
rep = json.load(open(sys.argv[1]))
items = [c["item"] for c in rep["completeness"]]
codes = {s["site"] for s in rep["sites"]} - {"(blank)", "(invalid site)"}
def group(site):
    site = site.strip(" ")
    return site if site in codes else "(blank)" if not site else "(invalid site)"
presence = {r["code"] for r in csv.DictReader(open(sys.argv[4]))
            if r["check"] in ("blank", "all_blank", "only_pseudo_postcode")}
rules = defaultdict(lambda: defaultdict(set))   # site -> code -> records
invalid = defaultdict(lambda: defaultdict(set)) # site -> item -> records
for f in csv.DictReader(open(sys.argv[2], newline="")):
    if not f["record"]:
        continue # a file-level finding
    g, rec = group(f["site"]), (f["file"], f["record"])
    rules[g][f["code"]].add(rec)
    if f["code"] not in presence and f["value"].strip(" "):
        invalid[g][f["field"]].add(rec)
records, blank = defaultdict(int), defaultdict(lambda: defaultdict(int))
for row in csv.reader(open(sys.argv[3], newline="")):
    g = group(row[items.index("SITE_CODE_IMAGING")])
    records[g] += 1
    for i, v in enumerate(row):
        blank[g][items[i]] += not v.strip(" ")
bad = 0
for s in rep["sites"]:
    g = s["site"]
    want_rules = {c: len(v) for c, v in rules[g].items()}
    if s["rules"] != want_rules:
        print("rules of", g, s["rules"], "want", want_rules); bad += 1
    for it in items:
        got = s["completeness"][it]
        want = {"blank": blank[g][it], "invalid": len(invalid[g][it])}
        if got != want:
            print("completeness of", g, it, got, "want", want); bad += 1
    if s["records"] != records[g]:
        print("records of", g, s["records"], "want", records[g]); bad += 1
# the sites sum to the whole-file figures
for c in rep["completeness"]:
    for k in ("blank", "invalid"):
        if sum(s["completeness"][c["item"]][k] for s in rep["sites"]) != c[k]:
            print("sum of", k, c["item"]); bad += 1
for r in rep["rules"]:
    if r["checked"] and sum(s["rules"].get(r["code"], 0) for s in rep["sites"]) != r["count"]:
        print("sum of rule", r["code"]); bad += 1
fired = sum(1 for s in rep["sites"] for v in s["rules"].values() if v)
groups = {s["site"] for s in rep["sites"]}
if fired < 50 or not {"(invalid site)", "(blank)"} <= groups or "DIDS071" not in rules["RR813"]:
    print("too few findings to test:", fired, groups); bad += 1
sys.exit(1 if bad else 0)
PY
); then ok; else bad "per-site figures differ from the findings CSV and the file:"; printf '%s\n' "$out" | head -20 >&2; fi

# 2. A saved session counts them in SQL: the same sites, to the number.
"$DIDQ" check "${SUB[@]}" --db "$T/m.db" "$T/m.csv" > /dev/null
"$DIDQ" open --format json "$T/m.db" > "$T/saved.json"
if python3 -c '
import json, sys
a, b = (json.load(open(p))["sites"] for p in sys.argv[1:])
sys.exit(0 if a == b and len(a) > 5 else 1)' "$T/all.json" "$T/saved.json"; then ok; else
    bad "sites of the saved session (SQL) differ from the loaded one's"
fi

# 3. check --site X is check of a file holding only X's records: the same
# JSON but for paths and site_scope, the same text but for the path and the
# scope line, the same findings but for the file's own lines and record
# numbers, which stay the original file's.
site_only() { # FILE SITE... > FILE holding those sites' rows; the record numbers kept on fd 3
    python3 - "$@" <<'PY'
import csv, sys
w = csv.writer(sys.stdout, lineterminator="\n")
for n, row in enumerate(csv.reader(open(sys.argv[1], newline="")), 1):
    if len(row) > 16 and row[16].strip(" ") in sys.argv[2:]:
        w.writerow(row)
        print(n, file=sys.stderr)
PY
}
site_only "$T/m.csv" RR813 > "$T/rr813.csv" 2> "$T/rr813.nums"
"$DIDQ" check "${SUB[@]}" --format json --site RR813 --findings "$T/fs.csv" "$T/m.csv" > "$T/s.json"
st_site=$?
"$DIDQ" check "${SUB[@]}" --format json --findings "$T/fo.csv" "$T/rr813.csv" > "$T/o.json"
st_only=$?
if [ "$st_site" = "$st_only" ] && [ "$st_site" = 1 ]; then ok; else
    bad "exit of --site $st_site, of the file of its records $st_only (want 1 both)"
fi
if out=$(python3 - "$T/s.json" "$T/o.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
scope = a.pop("site_scope", None)
if scope != {"sites": ["RR813"], "files_left_out": []}:
    print("site_scope", scope); sys.exit(1)
for d in (a, b):
    for f in d["files"]:
        f["path"] = "-"
if a != b:
    for k in a:
        if a[k] != b.get(k):
            print(k, json.dumps(a[k])[:200], "want", json.dumps(b.get(k))[:200])
    sys.exit(1)
if [s["site"] for s in a["sites"]] != ["RR813"] or a["records"] < 200:
    print("sites", [s["site"] for s in a["sites"]], a["records"]); sys.exit(1)
PY
); then ok; else bad "check --site RR813 differs from check of its records alone: $out"; fi
if python3 - "$T/fs.csv" "$T/fo.csv" "$T/rr813.nums" <<'PY'
import csv, sys
a, b = (list(csv.reader(open(p, newline=""))) for p in sys.argv[1:3])
nums = [int(x) for x in open(sys.argv[3])]
if len(a) != len(b) or len(a) < 50:
    sys.exit(1)
for x, y in zip(a[1:], b[1:]):
    # record k of the file of RR813 alone is record nums[k-1] of the month,
    # on the same line (one line a record)
    n = nums[int(y[2]) - 1]
    if x[3:] != y[3:] or (int(x[1]), int(x[2])) != (n, n):
        sys.exit(1)
PY
then ok; else bad "--site --findings differs from the findings of the file of its records"; fi
"$DIDQ" check "${SUB[@]}" --site RR813 "$T/m.csv" | sed 1,3d > "$T/s.txt"
"$DIDQ" check "${SUB[@]}" "$T/rr813.csv" | sed 1,2d > "$T/o.txt"
if [ "$(sed 1d "$T/s.txt")" = "$(sed 1d "$T/o.txt")" ] && [ -s "$T/o.txt" ]; then ok; else
    bad "--site text report differs:"; diff "$T/s.txt" "$T/o.txt" | head >&2
fi
expect "text names the scope" 1 "sites: RR813 only (check --site" -- \
    "$DIDQ" check "${SUB[@]}" --site RR813 "$T/m.csv"

# Two sites, a list or the option repeated, codes trimmed, each once.
site_only "$T/m.csv" RR813 RAE01 > "$T/two.csv" 2> /dev/null
"$DIDQ" check "${SUB[@]}" --format json --site ' RAE01 ,RR813' --site RR813 "$T/m.csv" > "$T/s2.json"
"$DIDQ" check "${SUB[@]}" --format json "$T/two.csv" > "$T/o2.json"
if python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
ok = a.pop("site_scope") == {"sites": ["RAE01", "RR813"], "files_left_out": []}
for d in (a, b):
    for f in d["files"]:
        f["path"] = "-"
sys.exit(0 if ok and a == b and len(a["sites"]) == 2 else 1)' "$T/s2.json" "$T/o2.json"; then ok; else
    bad "--site ' RAE01 ,RR813' --site RR813 differs from the file of their records"
fi

# 4. Exit statuses follow the sites' records and the files holding them.
{ gen RR801 01 20 1; gen RAJ01 01 20 100; } > "$T/a.csv"
sed -i '25s/^9/8/' "$T/a.csv" # one RAJ01 record with a bad NHS number (DIDS001)
printf '%s\n' "$ROW" "1,2,3" > "$T/b.csv" # RR864, and a short row (DIDS075)
sed 's/,RR801,/, RR801 ,/' "$T/a.csv" > "$T/pad.csv" # codes padded with spaces
c() { "$DIDQ" check --submitted 2018-08-10 "$@"; }
expect "whole file has errors" 1 "" -- c "$T/a.csv"
expect "a clean site exits 0" 0 "20 records, 0 with errors" -- c --site RR801 "$T/a.csv"
expect "its padded codes too" 0 "20 records, 0 with errors" -- c --site RR801 "$T/pad.csv"
expect "the site with the error exits 1" 1 "DIDS001" -- c --site RAJ01 "$T/a.csv"
expect "a file without the site is left out" 0 "files left out, holding none of their records: $T/b.csv" -- \
    c --site RR801 "$T/a.csv" "$T/b.csv"
expect "its file-level finding does not count" 0 "; 0 of 1 files rejected" -- \
    c --site RR801 "$T/b.csv" "$T/a.csv"
expect "... and is left out in JSON" 0 "\"files_left_out\": [\"$T/b.csv\"]" -- \
    c --format json --site RR801 "$T/a.csv" "$T/b.csv"
expect "a site in a file rejected at file level exits 2" 2 "DIDS075" -- \
    c --site RR864 "$T/a.csv" "$T/b.csv"
expect "its file's whole-file findings are kept" 2 "1 record, 0 with errors, 0 with warnings; 1 of 1" -- \
    c --site RR864 "$T/b.csv"
c --site RR801 --findings - "$T/a.csv" "$T/b.csv" 2> /dev/null > "$T/f1.csv"
if [ "$(wc -l < "$T/f1.csv")" = 1 ]; then ok; else bad "--findings of a clean site: $(wc -l < "$T/f1.csv") lines"; fi
c --site RAJ01 --findings - "$T/a.csv" 2> /dev/null > "$T/f2.csv"
if [ "$(cut -d, -f5,6 "$T/f2.csv" | sed 1d)" = "RAJ01,DIDS001" ]; then ok; else
    bad "--findings of RAJ01: $(cat "$T/f2.csv")"
fi

# 5. A site no file holds: a message, exit 64, no report, no output file.
expect "unknown site" 64 "didq: check --site RR999: no record of this site in the files given" -- \
    c --site RR801,RR999 --findings "$T/none.csv" "$T/a.csv"
if [ -z "$(c --site RR999 "$T/a.csv" 2> /dev/null)" ] && [ ! -e "$T/none.csv" ]; then ok; else
    bad "unknown site: a report or the findings file was written"
fi
expect "codes are compared as written" 64 "--site rr801: no record" -- c --site rr801 "$T/a.csv"

# 6. Bad values: the usage status, before any file is read.
for v in '' ',' 'RR801,,RAJ01' ' ' 'RR801,'; do
    expect "--site '$v'" 64 "--site wants site codes separated by commas, not '$v' (an empty code)" -- \
        c --site "$v" "$T/no-such-file.csv"
done
expect "--site with --baseline" 64 "--site with --baseline is not supported" -- \
    c --site RR801 --baseline "$T/f1.csv" "$T/a.csv"
expect "--site without a value" 64 "--site needs a value" -- c "$T/a.csv" --site

# 7. didq report --site: the page of the site alone, saying so.
expect "report --site" 0 "" -- "$DIDQ" report "${SUB[@]}" --site RR813 -o "$T/p.md" "$T/m.csv"
if grep -q "^Sites: RR813 only (--site" "$T/p.md" && ! grep -q "RR801" "$T/p.md" &&
    grep -q "RR813" "$T/p.md"; then ok; else bad "report --site: the page is not RR813's alone"; fi
expect "report --site unknown" 64 "report --site RR999: no record" -- \
    "$DIDQ" report "${SUB[@]}" --site RR999 -o "$T/p2.md" "$T/m.csv"
if [ ! -e "$T/p2.md" ]; then ok; else bad "report --site RR999 wrote a page"; fi
expect "report --site --db" 64 "--site applies to input files, not to --db" -- \
    "$DIDQ" report --site RR813 -o "$T/p3.md" --db "$T/m.db"

finish
