# The DQMI-style (local) score in check's text and JSON reports, in
# `open --format`, and --dqmi FILE: a malformed file is refused with
# FILE:LINE and exit 64 before anything is read, an unreadable one exits
# 66, and it is an input no output may replace.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

# Ten records: ethnic category Z on four (threshold 5% of the built-in
# list: 0.5 allowed, 3.5 in excess), gender 9 on one (1%: 0.9 in excess).
for i in 0 1 2 3 4 5 6 7 8 9; do
    eth=A gen=2
    [ "$i" -lt 4 ] && eth=Z
    [ "$i" = 5 ] && gen=9
    printf '%s\n' "$ROW" | awk -F, -v OFS=, -v e=$eth -v g=$gen -v i="$i" \
        '{ $4 = e; $5 = g; $18 = "ACC" i; print }'
done > "$T/m.csv"
chk() { "$DIDQ" check --submitted 2018-08-01 "$@"; }

out=$(chk "$T/m.csv")
# ethnic: (10 - 3.5) / 10 = 65; gender: (10 - 0.9) / 10 = 91; 12 items at 100:
# mean (65 + 91 + 1200) / 14 = 96.857
case $out in
*"DQMI-style (local) 96.9 (items 96.9 x coverage 1/1 months); most points lost: Ethnic 35.0, Gender 9.0"*) ok ;;
*) bad "text report: $(printf '%s\n' "$out" | grep DQMI)" ;;
esac
case $out in *"not NHS England's score"*) ok ;; *) bad "text report: no 'not NHS England's score'" ;; esac

json=$(chk --format json "$T/m.csv")
got=$(printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
q = d["dqmi"]
e = [i for i in q["items"] if i["item"] == "ETHNIC_CATEGORY"][0]
print(d["schema_version"], q["label"], q["overall"]["score"], q["overall"]["costs_most"][:2],
      e["defaults"], e["defaults_in_excess"], e["score"], q["sites"][0]["site"],
      q["sites"][0]["score"], "where" in json.dumps(d["anomalies"]))')
want="3 DQMI-style (local) 96.86 ['ETHNIC_CATEGORY', 'PERSON_GENDER_CODE'] 4 3.5 65.0 RR864 96.86 False"
if [ "$got" = "$want" ]; then ok; else bad "json: got '$got', want '$want'"; fi

# --dqmi FILE replaces the list: ethnic alone, Z allowed on half the records.
printf '# mine\nitem,defaults,threshold\nETHNIC_CATEGORY,Z 99,0.5\n' > "$T/d.csv"
expect "dqmi file" 0 "DQMI-style (local) 100.0 (items 100.0 x coverage 1/1 months)" -- \
    chk --dqmi "$T/d.csv" "$T/m.csv"
expect "dqmi file named" 0 "($T/d.csv)" -- chk --dqmi "$T/d.csv" "$T/m.csv"

# A malformed file: FILE:LINE: reason, exit 64, no report.
printf 'item,defaults,threshold\nETHNIC_CATEGORY,Z,0.5\nNOT_AN_ITEM,,0\n' > "$T/bad.csv"
expect "unknown item" 64 "$T/bad.csv:3: unknown item 'NOT_AN_ITEM'" -- chk --dqmi "$T/bad.csv" "$T/m.csv"
printf 'item,defaults,threshold\nETHNIC_CATEGORY,Z,5%%\n' > "$T/bad2.csv"
expect "bad threshold" 64 "$T/bad2.csv:2: threshold '5%' is not a share from 0 to 1" -- \
    chk --dqmi "$T/bad2.csv" "$T/m.csv"
out=$(chk --format json --dqmi "$T/bad.csv" "$T/m.csv" 2> /dev/null)
if [ -z "$out" ]; then ok; else bad "a report was written with a malformed --dqmi file"; fi
expect "unreadable" 66 "$T/none.csv: cannot open" -- chk --dqmi "$T/none.csv" "$T/m.csv"
expect "no value" 64 "--dqmi needs a value" -- "$DIDQ" check "$T/m.csv" --dqmi

# The --dqmi file is an input: no output replaces it, even with --force.
cp "$T/d.csv" "$T/keep.csv"
expect "not an output" 73 "" -- chk --dqmi "$T/d.csv" --findings "$T/d.csv" --force "$T/m.csv"
if cmp -s "$T/d.csv" "$T/keep.csv"; then ok; else bad "the --dqmi file was replaced"; fi

# A saved session: open --format with --dqmi.
"$DIDQ" check --submitted 2018-08-01 --db "$T/s.db" "$T/m.csv" > /dev/null 2>&1
expect "open text" 0 "DQMI-style (local) 96.9" -- "$DIDQ" open "$T/s.db" --format text
expect "open dqmi" 0 "DQMI-style (local) 100.0" -- "$DIDQ" open "$T/s.db" --format text --dqmi "$T/d.csv"
expect "open bad dqmi" 64 "$T/bad.csv:3:" -- "$DIDQ" open "$T/s.db" --format json --dqmi "$T/bad.csv"

# A site whose only record has no valid test date still submitted in the
# file's month: coverage 1/1 (it was 0/1, the score 0.0).
{ cat "$T/m.csv"; printf '%s\n' "$ROW" | awk -F, -v OFS=, '{ $13 = "2018-07-32"; $17 = "RWY02"; $18 = "U1"; print }'; } > "$T/undated.csv"
expect "undated site" 1 "site RWY02: " -- chk "$T/undated.csv"
case $(chk "$T/undated.csv") in
*"site RWY02: "*"x coverage 1/1 months)"*) ok ;;
*) bad "a site with only undated records got no coverage" ;;
esac

# No record: no score, said so.
: > "$T/empty.csv"
expect "empty" 2 "DQMI-style (local): not computed: no records" -- chk "$T/empty.csv"
finish
