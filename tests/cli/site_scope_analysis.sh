# The explorer's site scope (`S`) shows the analyses of the site's records
# loaded alone (docs/usage.md, "One site at a time"), as `check --site`
# makes them: for every site of three synthetic months, the Anomalies pane
# (9) of each month and the Months pane's Anomalies column (0), exported
# from a key script, in memory and from a saved session (`didq open`),
# against `check --site --format json`; and `check --site` against a plain
# check of the site's rows cut into files of their own.  The months are
# those of the tester's report: identity-conflict compares a patient's
# details over the records analysed, so the whole session's finds records
# at a site that its records alone do not (and activity-gap's active
# weekdays are those of the records loaded); the scope must not show
# those.  Synthetic data only.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

SUB=(--submitted 2026-04-07)
"$DIDQ" synth --rows 20000 --seed 7 --month 2026-01 --defect-rate 0.03 \
    --inject activity-gap@RR801,setting-other-default@RWY01 -o "$T/jan.csv"
"$DIDQ" synth --rows 20000 --seed 7 --month 2026-02 --defect-rate 0.05 \
    --inject report-turnaround-missing@RAE01,duplicate-suspected@RR813,accession-reused@RAE05 \
    -o "$T/feb.csv"
"$DIDQ" synth --rows 20000 --seed 7 --month 2026-03 --defect-rate 0.10 --defect-duplicates \
    --inject volume-drop@RR864,referral-to-test-zero@RWY02 -o "$T/mar.csv"
FILES=("$T/jan.csv" "$T/feb.csv" "$T/mar.csv")
MONTHS=(2026-01 2026-02 2026-03)
"$DIDQ" check "${SUB[@]}" --format json "${FILES[@]}" > "$T/all.json"
"$DIDQ" check "${SUB[@]}" --db "$T/s.db" "${FILES[@]}" > /dev/null
SITES=$(python3 -c '
import json, sys
print(" ".join(s["site"] for s in json.load(open(sys.argv[1]))["sites"] if s["site"][0] != "("))
' "$T/all.json")

# The premise: the whole session's anomalies at a site are not the site's
# alone (else this test could not fail): RR864 has an identity-conflict of
# February in the session, none with its records alone (the tester's).
"$DIDQ" check "${SUB[@]}" --format json --site RR864 "${FILES[@]}" > "$T/premise.json"
if python3 - "$T/all.json" "$T/premise.json" <<'PY'; then ok; else bad "premise: RR864's anomalies do not differ"; fi
import json, sys
a, b = (json.load(open(p))["anomalies"] for p in sys.argv[1:])
key = lambda x: (x["kind"], x["month"])
sys.exit(0 if ("identity-conflict", "2026-02") in {key(x) for x in a if x["site"] == "RR864"}
         and ("identity-conflict", "2026-02") not in {key(x) for x in b} else 1)
PY

# keys DIR SITE: the explorer's key script: the site chosen in March (the
# month shown first), pane 9 exported in March, February and January, then
# the Months pane.
keys() {
    cat <<EOF
S
$2
<Enter>
9
e
<C-u>$1/an-2026-03.csv<Enter>
[
e
<C-u>$1/an-2026-02.csv<Enter>
[
e
<C-u>$1/an-2026-01.csv<Enter>
0
e
<C-u>$1/months.csv<Enter>
EOF
}

# same_as_site DIR SITE.json: each month's pane 9 lists the anomalies of
# check --site of that month and those comparing months; the Months pane
# counts them per month.
same_as_site() {
    python3 - "$1" "$2" "${MONTHS[@]}" <<'PY'
import csv, json, sys
d, rep, months = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3:]
bad = 0
def rows(p):
    return list(csv.DictReader(open(p, newline="")))
for m in months:
    want = sorted((a["severity"], a["site"], a["kind"], str(a["records"]), a["message"])
                  for a in rep["anomalies"] if a["month"] in (m, None))
    got = sorted((r["Sev"], r["Site"], r["Kind"], r["Records"], r["Message"])
                 for r in rows(f"{d}/an-{m}.csv"))
    if got != want:
        print(m, "pane 9:", got, "check --site:", want); bad += 1
for r in rows(f"{d}/months.csv"):
    want = sum(a["month"] in (r["Month"], None) for a in rep["anomalies"])
    if int(r["Anomalies"].rstrip("*")) != want: # "*": up from the month before
        print(r["Site"], r["Month"], "Months pane:", r["Anomalies"], "check --site:", want); bad += 1
sys.exit(1 if bad else 0)
PY
}

for site in $SITES; do
    "$DIDQ" check "${SUB[@]}" --format json --site "$site" "${FILES[@]}" > "$T/$site.json"
    # the site's rows alone, a file a month holding some (as --site leaves out the others)
    alone=()
    for f in "${FILES[@]}"; do
        awk -F, -v s="$site" '$17 == s' "$f" > "$T/$site-$(basename "$f")"
        [ -s "$T/$site-$(basename "$f")" ] && alone+=("$T/$site-$(basename "$f")")
    done
    "$DIDQ" check "${SUB[@]}" --format json "${alone[@]}" > "$T/$site-alone.json"
    if out=$(python3 - "$T/$site.json" "$T/$site-alone.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
sys.exit(0 if a["anomalies"] == b["anomalies"] and a["months"] == b["months"] else 1)
PY
    ); then ok; else bad "$site: check --site differs from its records alone: $out"; fi
    for how in memory saved; do
        mkdir -p "$T/$site-$how"
        keys "$T/$site-$how" "$site" > "$T/$site-$how.keys"
        if [ $how = memory ]; then
            "$DIDQ" "${SUB[@]}" --script "$T/$site-$how.keys" "${FILES[@]}"
        else
            "$DIDQ" open --script "$T/$site-$how.keys" "$T/s.db"
        fi
        if out=$(same_as_site "$T/$site-$how" "$T/$site.json"); then ok; else
            bad "$site ($how): the explorer's scope differs from check --site:"
            printf '%s\n' "$out" | head -10 >&2
        fi
    done
done
finish
