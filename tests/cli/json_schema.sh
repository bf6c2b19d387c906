# The JSON report of check (and open) against its schema,
# docs/check-report.schema.json.  Every cli test validates the reports it
# has didq write as it runs (lib.sh's json_hook and json_check): here, that
# hook is shown to fail a test whose report is not valid and to pass one
# whose report is; then a corpus of its own: one file and two, XML, a
# rejected file, an empty one, reference data, --findings with --mask, a
# saved session opened, a --dqmi file.  The validator (json_schema.py,
# standard library only) is itself tested: it must reject a broken report.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
schema=$ROOT/docs/check-report.schema.json
J=$T/json
mkdir "$J"
DIDQ=$DIDQ_UNHOOKED JSON_OWN= # this test collects into $J and validates itself
export DIDQ_JSON_DIR=$J
json_hook

# The validator rejects what it should, and the schema uses only keywords
# it checks.
if python3 "$here/json_schema.py" "$schema" --self-test; then ok; else bad "validator self-test"; fi

# lib.sh's hook: a test whose program writes a report outside the schema
# fails, naming the command; the same test with didq passes.
cat > "$T/fake" <<'FAKE'
#!/bin/sh
case "$*" in *json*) echo '{"schema_version": 2, "verdict": "maybe"}' ;; *) exec "$REAL" "$@" ;; esac
FAKE
chmod +x "$T/fake"
printf '. %q\n$DIDQ check --submitted 2018-08-01 --format json data/nhs-rcl/csv/00003_simple/input.csv > /dev/null\nfinish\n' \
    "$here/lib.sh" > "$T/hooked.sh"
if out=$(env -u DIDQ_JSON_DIR REAL="$PROGRAM" bash "$T/hooked.sh" "$T/fake" 2>&1); then
    bad "the hook passes a report outside the schema"
else
    printf '%s' "$out" | tr '\n' ' ' |
        grep -q "not valid against.*verdict.*maybe.*written by: didq check --submitted 2018-08-01" && ok ||
        bad "the hook's failure does not say why: $out"
fi
env -u DIDQ_JSON_DIR bash "$T/hooked.sh" "$PROGRAM" > "$T/hooked.log" 2>&1 && ok ||
    bad "the hook fails a valid report: $(tail -3 "$T/hooked.log")"
env -u DIDQ_JSON_DIR DIDQ_JSON_SCHEMA=0 REAL="$PROGRAM" bash "$T/hooked.sh" "$T/fake" > /dev/null 2>&1 &&
    ok || bad "DIDQ_JSON_SCHEMA=0 does not turn the hook off"

# A corpus of its own: $DIDQ keeps each report in $J.
D=$T/d
mkdir "$D"
"$PROGRAM" synth --rows 300 --month 2026-10 --seed 3 -o "$D/oct.csv"
"$PROGRAM" synth --rows 200 --month 2026-12 --seed 4 --format xml -o "$D/dec.xml"
"$PROGRAM" synth --rows 200 --month 2026-10 --defect-rate 0.2 \
    --inject setting-other-default@RR801,activity-gap@RAE01 -o "$D/bad.csv"
: > "$D/empty.csv"
printf '%s\n' "$ROW" > "$D/one.csv"
printf 'not,a,dids,file\n' > "$D/junk.csv"
run() { "$DIDQ" check --submitted 2027-01-05 --format json "$@" > /dev/null 2>&1; }
run "$D/oct.csv"
run "$D/oct.csv" "$D/dec.xml"
run "$D/bad.csv"
run "$D/empty.csv"
run "$D/junk.csv" "$D/one.csv"
run --refdata data/refdata "$D/bad.csv"
run --findings "$T/f.csv" --mask --force "$D/bad.csv"
printf 'item,defaults,threshold\nETHNIC_CATEGORY,99 Z A,0\n' > "$D/dqmi.csv"
run --dqmi "$D/dqmi.csv" "$D/oct.csv"
run --site RR801,RAE01 "$D/bad.csv" "$D/one.csv" # site_scope, one.csv left out
"$PROGRAM" check --submitted 2027-01-05 --db "$T/s.db" "$D/bad.csv" > /dev/null 2>&1
"$DIDQ" open "$T/s.db" --format json > /dev/null 2>&1
total=$(find "$J" -name '*.json' | wc -l)
if [ "$total" -eq 10 ]; then ok; else bad "reports collected: $total of the corpus (want 10)"; fi

# Every report is valid.
if out=$(python3 "$here/json_schema.py" "$schema" "$J"/*.json); then ok; else
    bad "reports not valid against the schema:"; printf '%s\n' "$out" | head -20 >&2
fi

# No internal field: no SQL condition, no "where".
if ! grep -lE '"where"|SELECT |r\.id IN' "$J"/*.json > /dev/null; then ok; else
    bad "a report carries an internal field: $(grep -lE '"where"|SELECT |r\.id IN' "$J"/*.json | head -1)"
fi

# A broken report is rejected: a field the schema does not know, a count
# below zero, a missing section.
one=$(ls "$J"/*.json | head -1)
python3 - "$one" "$T" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for name, change in [("extra", lambda d: d.update(sql="SELECT 1")),
                     ("negative", lambda d: d["completeness"][0].update(blank=-1)),
                     ("missing", lambda d: d.pop("dqmi"))]:
    x = json.loads(json.dumps(d))
    change(x)
    json.dump(x, open("%s/broken-%s.json" % (sys.argv[2], name), "w"))
PY
for b in extra negative missing; do
    if python3 "$here/json_schema.py" "$schema" "$T/broken-$b.json" > /dev/null; then
        bad "a broken report ($b) passes the schema"
    else ok; fi
done
finish
