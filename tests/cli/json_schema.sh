# The JSON report of check (and open) against its schema,
# docs/check-report.schema.json: every report the command-line tests that
# write JSON have didq write (collected through lib.sh's DIDQ_JSON_DIR
# hook), and a corpus of its own: one file and two, XML, a rejected file,
# an empty one, reference data, --findings with --mask, a saved session
# opened, a --dqmi file.  The validator (json_schema.py, standard library
# only) is itself tested: it must reject a broken report.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
schema=$ROOT/docs/check-report.schema.json
J=$T/json
mkdir "$J"
export DIDQ_JSON_DIR=$J
json_hook

# The validator rejects what it should, and the schema uses only keywords
# it checks.
if python3 "$here/json_schema.py" "$schema" --self-test; then ok; else bad "validator self-test"; fi

# The reports the other tests write.
for t in ${JSON_SCHEMA_TESTS-check header_reject refdata anomalies_numbers months notes dqmi xml}; do
    if bash "$here/$t.sh" "$PROGRAM" > "$T/$t.log" 2>&1; then ok; else
        bad "$t.sh failed under the JSON hook"; tail -5 "$T/$t.log" >&2
    fi
done
from_tests=$(find "$J" -name '*.json' | wc -l)

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
if [ "$from_tests" -ge 10 ] && [ $((total - from_tests)) -eq 10 ]; then ok; else
    bad "reports collected: $from_tests from the tests (want 10 or more), $((total - from_tests)) of the corpus (want 10)"
fi

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
