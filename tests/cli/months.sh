# months.sh: months are analysed apart, not merged (docs/usage.md,
# Reporting months).  Two synthetic months with different anomalies
# planted: checked together, each month has exactly the anomalies it has
# checked alone (kind, site, severity, value, threshold, records), and the
# kinds that compare months come on top with month null; the report's
# "months" agree with each month alone.  Then --month: a file's month
# given, every file's month given, and bad values (exit 64, nothing read).
source "$(dirname "$0")/lib.sh"

SUB=(--submitted 2026-11-01)
synth() { "$DIDQ" synth --seed 11 --rows 12000 --defect-rate 0.02 "$@"; }
synth --month 2026-09 -o "$T/sep.csv" \
    --inject setting-other-default@RAE05,referral-to-test-zero@RWY01,activity-gap@RR801,duplicate-suspected@RR807,identity-conflict@RR864
synth --month 2026-10 -o "$T/oct.csv" \
    --inject gp-direct-access-as-outpatient@RWY02,report-turnaround-missing@RR864,field-missing-share@RR813,restricted-code-identifiers@RAE05,accession-reused@RAE01,volume-drop@RWY01

check_json() { # OUT FILE... (exit 0 or 1: record errors are planted)
    local out=$1
    shift
    "$DIDQ" check "${SUB[@]}" --format json "$@" > "$out" 2> "$T/err"
    local st=$?
    [ "$st" = 0 ] || [ "$st" = 1 ] || bad "check $*: exit $st: $(head -c 300 "$T/err")"
}
check_json "$T/sep.json" "$T/sep.csv"
check_json "$T/oct.json" "$T/oct.csv"
check_json "$T/both.json" "$T/sep.csv" "$T/oct.csv"

# compare.py ALONE... -- TOGETHER: prints one line per problem.
cat > "$T/compare.py" << 'EOF'
import json, sys
args = sys.argv[1:]
cut = args.index("--")
alone, together = args[:cut], json.load(open(args[cut + 1]))
def key(a):
    return (a["kind"], a["site"], a["severity"], a["value"], a["threshold"], a["records"])
def month_of(doc):
    ms = doc["months"]
    return ms[0]["month"] if len(ms) == 1 else None
seen = set()
for f in alone:
    doc = json.load(open(f))
    m = month_of(doc)
    if m is None:
        print(f"{f}: {len(doc['months'])} months, want 1")
        continue
    seen.add(m)
    want = sorted(key(a) for a in doc["anomalies"])
    bad_month = [a for a in doc["anomalies"] if a["month"] != m]
    if bad_month:
        print(f"{f}: anomalies of another month: {bad_month[:2]}")
    got = sorted(key(a) for a in together["anomalies"] if a["month"] == m)
    if not want:
        print(f"{m}: no anomaly alone (the test plants some)")
    if got != want:
        print(f"{m}: together {got}, alone {want}")
    tm = [x for x in together["months"] if x["month"] == m]
    am = doc["months"][0]
    if len(tm) != 1 or tm[0] != am:
        print(f"{m}: months together {tm}, alone {am}")
    if am["anomalies"] != len(want):
        print(f"{m}: months says {am['anomalies']} anomalies, the list {len(want)}")
    share = am["records_with_errors"] / am["records"]
    if abs(am["error_share"] - share) > 1e-6 or am["records_with_errors"] == 0:
        print(f"{m}: error share {am['error_share']}, records {am}")
    if am["records"] != doc["records"] or am["files"] != 1:
        print(f"{m}: {am['records']} records in months, {doc['records']} in the file")
for a in together["anomalies"]:
    if a["month"] is not None and a["month"] not in seen:
        print(f"an anomaly of month {a['month']}: {a}")
# identity-conflict across months comes from the planted defects (a
# patient's birth date broken in one month): tested apart below.
cross = sorted(f"{a['kind']}@{a['site']}" for a in together["anomalies"]
               if a["month"] is None and a["kind"] != "identity-conflict")
print("cross: " + " ".join(cross))
EOF
out=$(python3 "$T/compare.py" "$T/sep.json" "$T/oct.json" -- "$T/both.json")
problems=$(printf '%s\n' "$out" | grep -v '^cross: ')
[ -z "$problems" ] && ok || bad "apart vs together: $problems"
# The kinds that compare months: RAE01 reuses September's accession numbers,
# RWY01 falls by about half, RWY02's 04 (GP direct access) of September is
# gone in October (all 03), and nothing else.
cross=$(printf '%s\n' "$out" | sed -n 's/^cross: //p')
[ "$cross" = "accession-reused@RAE01 setting-default-suspected@RWY02 volume-drop@RWY01" ] && ok ||
    bad "cross-month kinds: '$cross'"

# identity-conflict across months: five September patients seen again in
# an October file with another birth date.  Each month alone is
# consistent; together the October records differ from the usual details.
"$DIDQ" synth --seed 3 --rows 2000 --month 2026-09 -o "$T/clean.csv"
awk -F, -v OFS=, 'NR <= 5 { $3 = "1931-01-01"
    for (k = 11; k <= 16; k++) if ($k ~ /^2026-09-/) sub(/^2026-09-/, "2026-10-", $k)
    print }' "$T/clean.csv" > "$T/again.csv"
check_json "$T/id.json" "$T/clean.csv" "$T/again.csv"
python3 - "$T/id.json" << 'EOF' && ok || bad "identity-conflict across months"
import json, sys
d = json.load(open(sys.argv[1]))
ids = [a for a in d["anomalies"] if a["kind"] == "identity-conflict"]
assert len(ids) >= 1 and all(a["month"] is None for a in ids), d["anomalies"]
assert sum(a["records"] for a in ids) >= 5, ids
EOF
check_json "$T/idsep.json" "$T/clean.csv"
check_json "$T/idoct.json" "$T/again.csv"
grep -q '"identity-conflict"' "$T/idsep.json" "$T/idoct.json" && bad "identity-conflict alone" || ok
# Merged, October's gp-direct-access-as-outpatient at RWY02 was diluted by
# September's records; apart it is there, in October.
python3 - "$T/both.json" << 'EOF' && ok || bad "RWY02's October anomaly"
import json, sys
d = json.load(open(sys.argv[1]))
assert [a["month"] for a in d["anomalies"]
        if a["kind"] == "gp-direct-access-as-outpatient" and a["site"] == "RWY02"] == ["2026-10"]
EOF

# The text report groups the anomalies by month.
"$DIDQ" check "${SUB[@]}" "$T/sep.csv" "$T/oct.csv" > "$T/both.txt" 2>&1
for line in "months analysed apart" "anomalies of month 2026-09 by site:" \
    "anomalies of month 2026-10 by site:" "anomalies comparing months, by site:"; do
    grep -qF "$line" "$T/both.txt" && ok || bad "text: no '$line'"
done
# One month: the text is as before (no month headings).
"$DIDQ" check "${SUB[@]}" "$T/sep.csv" > "$T/sep.txt" 2>&1
grep -q "anomalies by site (docs/anomalies.md):" "$T/sep.txt" && ! grep -q "months analysed" \
    "$T/sep.txt" && ok || bad "one month's text"

# --month MONTH:FILE: October's file reported as September's: one month,
# October's records all outside it; the anomalies are September's.
check_json "$T/as.json" --month 2026-09:oct.csv "$T/sep.csv" "$T/oct.csv"
python3 - "$T/as.json" << 'EOF' && ok || bad "--month 2026-09:oct.csv"
import json, sys
d = json.load(open(sys.argv[1]))
assert [m["month"] for m in d["months"]] == ["2026-09"], d["months"]
oct_ = [f for f in d["files"] if f["path"].endswith("oct.csv")][0]
assert oct_["month"] == "2026-09" and oct_["outside_month"] > 0.95 * oct_["records"], oct_
assert all(a["month"] == "2026-09" for a in d["anomalies"]), d["anomalies"]
assert d["months"][0]["files"] == 2
EOF
# --month MONTH without a file: every file's; a later --month for one file wins.
check_json "$T/all.json" --month 2026-10 --month 2026-09:"$T/sep.csv" "$T/sep.csv" "$T/oct.csv"
python3 - "$T/all.json" "$T/both.json" << 'EOF' && ok || bad "--month 2026-10 then 2026-09:FILE"
import json, sys
d, both = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert d["months"] == both["months"], (d["months"], both["months"])
EOF
check_json "$T/one.json" --month 2026-10 "$T/sep.csv" "$T/oct.csv"
grep -q '"month": "2026-09"' "$T/one.json" && bad "--month 2026-10: a September left" || ok
grep -q '"month": null' "$T/one.json" && bad "--month 2026-10: a cross-month anomaly" || ok

# Bad values: exit 64 with a message naming the value, nothing read.
for v in 2026-13 2026-00 26-10 2026-1 2026-10x 0000-05 "2026-10:" ""; do
    expect "--month '$v'" 64 "--month wants CCYY-MM or CCYY-MM:FILE" -- \
        "$DIDQ" check "${SUB[@]}" --month "$v" "$T/sep.csv"
done
expect "--month of no input" 64 "--month names 'nov.csv', which is not one of the input files" -- \
    "$DIDQ" check "${SUB[@]}" --month 2026-11:nov.csv "$T/sep.csv"
expect "--month without a value" 64 "--month needs a value" -- "$DIDQ" check "$T/sep.csv" --month
expect "explorer --month bad" 64 "--month wants CCYY-MM" -- \
    "$DIDQ" --script /dev/null --month 2026-1 "$T/sep.csv"
"$DIDQ" check "${SUB[@]}" --db "$T/s.db" "$T/sep.csv" > /dev/null 2>&1
expect "explorer --month on a saved session" 64 "--month does not apply to a saved session" -- \
    "$DIDQ" --script /dev/null --month 2026-10 "$T/s.db"
finish
