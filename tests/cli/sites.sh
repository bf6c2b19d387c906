# sites.sh: the Sites pane's figures (issue 21, docs/usage.md, Sites)
# against counts made here, apart from didq's code, from the input files
# and `didq check --findings`: per site the records, those with an error
# and with a warning and their %, mandatory items' completeness %, the 07
# share; the anomalies and the DQMI-style (local) score against check's
# JSON.  One month with a blank and an invalid site code (one row each);
# then two months, each month's table (the explorer's scope, [ and ])
# against that month's file alone, and the same from a saved session.
source "$(dirname "$0")/lib.sh"

SUB=(--submitted 2026-11-20)

# sites.py EXPORT FINDINGS JSON_ALONE JSON_SESSION MONTH FILE: prints a line per
# difference between the exported table and the counts made from FILE.
cat > "$T/sites.py" << 'EOF'
import csv, json, sys

export, findings, alone, session, month, data = sys.argv[1:7]
SITE, SETTING, NICIP, SNOMED = 16, 7, 13, 14
status = [r["status"] for r in csv.DictReader(open("../refdata/v1/items.csv"))]
slots = [[i] + ([SNOMED] if i == NICIP else []) for i, s in enumerate(status)
         if s == "M" and i != SNOMED]

rows = list(csv.reader(open(data, encoding="utf-8", errors="surrogateescape")))
first = 1 if rows and rows[0] and rows[0][0] == "NHS_NUMBER" else 0
sev = {}   # line -> set of severities of the record's own findings
bad_site = set()
for f in csv.DictReader(open(findings, encoding="utf-8", errors="surrogateescape")):
    if not f["record"]:
        continue  # a file-level finding
    line = int(f["line"])
    sev.setdefault(line, set()).add(f["severity"])
    if f["code"] in ("DIDS068", "DIDS069"):  # the site code's value, alone
        bad_site.add(line)

def blank(row, i):
    return i >= len(row) or row[i].strip(" ") == ""

want = {}
for k, row in enumerate(rows[first:]):
    line = k + 1 + first
    if line in bad_site and not blank(row, SITE):
        site = "(invalid site)"
    else:
        site = "(blank)" if blank(row, SITE) else row[SITE].strip(" ")
    w = want.setdefault(site, {"n": 0, "err": 0, "warn": 0, "s07": 0, "blank": [0] * len(slots)})
    w["n"] += 1
    w["err"] += "error" in sev.get(line, ())
    w["warn"] += "warning" in sev.get(line, ())
    w["s07"] += SETTING < len(row) and row[SETTING].strip(" ") == "07"
    for j, items in enumerate(slots):
        w["blank"][j] += all(blank(row, i) for i in items)

dqmi = {s["site"]: s["score"] for s in json.load(open(alone))["dqmi"]["sites"]}
anom = {}
for a in json.load(open(session))["anomalies"]:
    if a["site"] and a["month"] in (month, None):
        anom[a["site"]] = anom.get(a["site"], 0) + 1

def pct(n, of):
    return "%.1f" % (100.0 * n / of)

got = {r["Site"]: r for r in csv.DictReader(open(export))}
for site in sorted(set(want) | set(got)):
    if site not in got or site not in want:
        print("%s: %s" % (site, "missing from the table" if site not in got else "not in the file"))
        continue
    w, g = want[site], got[site]
    mand = sum(100.0 - 100.0 * b / w["n"] for b in w["blank"]) / len(slots)
    score = dqmi.get(site)
    exp = {"Records": str(w["n"]), "Errors": str(w["err"]), "Err %": pct(w["err"], w["n"]),
           "Warnings": str(w["warn"]), "Warn %": pct(w["warn"], w["n"]),
           "Mand %": "%.1f" % mand, "07 %": pct(w["s07"], w["n"]),
           "Anomalies": str(anom.get(site, 0) if not site.startswith("(") else 0)}
    for col, v in exp.items():
        if g[col] != v:
            print("%s %s: table %s, counted %s" % (site, col, g[col], v))
    # the JSON's score is rounded to 2 places: within the table's rounding
    d = g["DQMI-style (local)"]
    if (score is None) != (d == "-") or (score is not None and abs(float(d) - score) > 0.0501):
        print("%s DQMI-style (local): table %s, check %s" % (site, d, score))
print("checked %d sites" % len(got), file=sys.stderr)
EOF

# explore FILE... : the Sites pane exported (of each month, latest first).
explore() {
    cat > "$T/keys" << EOF
W
e
<C-u>$T/sites-last.csv<Enter>
[
e
<C-u>$T/sites-first.csv<Enter>
EOF
    rm -f "$T"/sites-*.csv
    local sub=("${SUB[@]}")
    case $1 in *.db) sub=() ;; esac # a saved session keeps its date
    "$DIDQ" --script "$T/keys" --size 132x43 "${sub[@]}" "$@" > /dev/null 2> "$T/err" ||
        bad "explorer on $*: exit $?: $(head -c 300 "$T/err")"
}

# same NAME EXPORT FILE MONTH SESSION_JSON: the export against FILE alone.
same() {
    local name=$1 export=$2 file=$3 month=$4 session=$5
    rm -f "$T/f.csv" # check never overwrites it
    "$DIDQ" check "${SUB[@]}" --findings "$T/f.csv" "$file" > /dev/null 2>&1
    "$DIDQ" check "${SUB[@]}" --format json "$file" > "$T/alone.json" 2> /dev/null
    if [ ! -s "$export" ]; then
        bad "$name: no table exported"
        return
    fi
    local out
    out=$(python3 "$T/sites.py" "$export" "$T/f.csv" "$T/alone.json" "$session" "$month" \
        "$file" 2> "$T/py.err")
    if [ -z "$out" ] && grep -q '^checked [1-9]' "$T/py.err"; then
        ok
    else
        bad "$name: $out $(cat "$T/py.err")"
    fi
}

# One month: the test data with a blank and an invalid site code.
cp tui/data/month.csv "$T/month.csv"
explore "$T/month.csv"
"$DIDQ" check "${SUB[@]}" --format json "$T/month.csv" > "$T/session.json" 2> /dev/null
same "one month" "$T/sites-last.csv" "$T/month.csv" 2026-10 "$T/session.json"
grep -q '^(invalid site),1,1,100.0,' "$T/sites-last.csv" && ok ||
    bad "one month: no (invalid site) row of 1 record: $(grep invalid "$T/sites-last.csv")"
grep -q '^(blank),1,' "$T/sites-last.csv" && ok || bad "one month: no (blank) row"

# Two months with defects and anomalies: each month's table (the scope)
# against its file alone; the anomalies of the month from the session.
"$DIDQ" synth --seed 5 --rows 3000 --defect-rate 0.05 --month 2026-09 \
    --inject setting-other-default@RAE05 -o "$T/sep.csv"
"$DIDQ" synth --seed 6 --rows 4000 --defect-rate 0.05 --month 2026-10 \
    --inject volume-drop@RWY01,field-missing-share@RR813 -o "$T/oct.csv"
explore "$T/sep.csv" "$T/oct.csv"
"$DIDQ" check "${SUB[@]}" --format json "$T/sep.csv" "$T/oct.csv" > "$T/session.json" 2> /dev/null
same "October of two" "$T/sites-last.csv" "$T/oct.csv" 2026-10 "$T/session.json"
same "September of two" "$T/sites-first.csv" "$T/sep.csv" 2026-09 "$T/session.json"
# A saved session (check --db; no record store: the figures from SQL)
# gives the same tables.
cp "$T/sites-last.csv" "$T/mem-last.csv"
cp "$T/sites-first.csv" "$T/mem-first.csv"
"$DIDQ" check "${SUB[@]}" --db "$T/s.db" "$T/sep.csv" "$T/oct.csv" > /dev/null 2>&1
explore "$T/s.db"
cmp -s "$T/sites-last.csv" "$T/mem-last.csv" && cmp -s "$T/sites-first.csv" "$T/mem-first.csv" &&
    ok || bad "saved session: $(diff "$T/mem-last.csv" "$T/sites-last.csv" | head -5)"
# the planted 07 share shows at its site
awk -F, '$1 == "RAE05" && $8 + 0 > 20 { f = 1 } END { exit !f }' "$T/sites-first.csv" && ok ||
    bad "September: RAE05's 07 share: $(grep '^RAE05' "$T/sites-first.csv")"

finish
