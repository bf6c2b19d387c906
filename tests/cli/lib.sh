# lib.sh: helpers for the command-line tests.  Source it; $DIDQ is the program.
DIDQ=${1:?usage: test.sh path/to/didq}
# A test runs in tests/ (its data/ and ../tools/ paths are relative to it)
# from whatever directory it was started: $DIDQ is made absolute first.
case $DIDQ in */*) DIDQ=$(realpath "$DIDQ") ;; esac
PROGRAM=$DIDQ # the program itself, even where DIDQ_WRAP makes $DIDQ a script
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd) # the repository
cd "$ROOT/tests" || exit 1
PASS=0
FAIL=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# Nor does it depend on the caller's environment: ctest's locale and time
# zone, and no reference data found through DIDQ_REFDATA, XDG_DATA_HOME or
# the caller's home (refdata.sh sets each where it tests it).
export LC_ALL=C.UTF-8 TZ=UTC HOME="$T/home"
unset DIDQ_REFDATA XDG_DATA_HOME NO_COLOR
mkdir "$HOME"
# DIDQ_WRAP (e.g. a valgrind command line, see docs/testing.md) runs every
# didq of the test under it: $DIDQ becomes a small script.  valgrind writes
# its reports to $T/valgrind.*.log, which finish() checks, so that an error
# fails the test even where the test ignores didq's exit status.
if [ -n "${DIDQ_WRAP:-}" ]; then
    wrap=$DIDQ_WRAP
    case $wrap in valgrind*) wrap="$wrap --log-file=$T/valgrind.%p.log" ;; esac
    printf '#!/bin/sh\nexec %s %q "$@"\n' "$wrap" "$(realpath "$DIDQ")" > "$T/didq"
    chmod +x "$T/didq"
    DIDQ=$T/didq
fi

# Every JSON report of check and open that a test has didq write (exit 0,
# 1 or 2) is also kept in a folder, $T/json-reports, and finish() validates
# each against docs/check-report.schema.json (json_schema.py): so every
# report any test writes is checked, as the test runs.  DIDQ_JSON_SCHEMA=0
# turns this off; with DIDQ_JSON_DIR set (json_schema.sh), the reports go
# there instead, for the caller to validate.
json_hook() {
    {
        echo '#!/bin/bash'
        printf 'inner=%q dir=%q\n' "$DIDQ" "$DIDQ_JSON_DIR"
        cat <<'WRAP'
json=0 prev=
case $1 in check | open)
    for a in "$@"; do
        { [ "$prev" = --format ] && [ "$a" = json ]; } || [ "$a" = --format=json ] && json=1
        prev=$a
    done ;;
esac
[ $json = 1 ] || exec "$inner" "$@"
f=$(mktemp "$dir/report-XXXXXX.json") || exit 70
printf '%q ' "$@" > "$f.cmd" # the command, named when the report is not valid
"$inner" "$@" > "$f"
st=$?
cat "$f"
[ $st -le 2 ] && [ -s "$f" ] || rm -f "$f" "$f.cmd"
exit $st
WRAP
    } > "$T/didq-json"
    chmod +x "$T/didq-json"
    DIDQ=$T/didq-json
}
DIDQ_UNHOOKED=$DIDQ # the program, or DIDQ_WRAP's script, without the JSON hook
JSON_OWN=
if [ -z "${DIDQ_JSON_DIR:-}" ] && [ "${DIDQ_JSON_SCHEMA:-1}" != 0 ]; then
    DIDQ_JSON_DIR=$T/json-reports JSON_OWN=1
    mkdir "$DIDQ_JSON_DIR"
fi
[ -z "${DIDQ_JSON_DIR:-}" ] || json_hook

# A clean DIDS v1 row (synthetic values); fires no rule at 2018-08-01.
ROW='9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,2018-07-02,2018-07-03,XABDO,417905003,2018-07-04,RR864,ACC0001'

# gen SITE SETTING N FIRST [REFERRER [REFORG]]: N clean records (distinct
# valid NHS numbers, test dates spread over July 2018) at SITE with source
# setting SETTING.
gen() {
    awk -v site="$1" -v set="$2" -v n="$3" -v first="$4" -v ref="${5:-C1234567}" \
        -v org="${6:-RR8}" 'BEGIN {
        for (i = first; i < first + n; i++) {
            for (pre = 999; ; pre--) {
                d = sprintf("%03d%06d", pre, i); s = 0
                for (k = 1; k <= 9; k++) s += substr(d, k, 1) * (11 - k)
                c = 11 - s % 11; if (c == 10) continue; if (c == 11) c = 0; break
            }
            day = 2 + i % 28
            printf "%s%d,01,1950-01-01,A,2,LS1 4HR,A81015,%s,%s,%s,2018-06-%02d,2018-06-%02d,2018-07-%02d,XCHES,,2018-07-%02d,%s,ACC%06d\n",
                d, c, set, ref, org, day, day, day, day + 1, site, i
        }
    }'
}

ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }

# expect NAME STATUS PATTERN -- command...: runs the command, checks its exit
# status and that stdout+stderr contain PATTERN (a fixed string).
expect() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local out st
    out=$("$@" 2>&1)
    st=$?
    if [ "$st" != "$want" ]; then
        bad "$name: exit $st, want $want"; printf '%s\n' "$out" | head -20 >&2; return
    fi
    if [ -n "$pattern" ] && ! printf '%s' "$out" | grep -qF -- "$pattern"; then
        bad "$name: output lacks '$pattern'"; printf '%s\n' "$out" | head -20 >&2; return
    fi
    ok
}

# The JSON reports the test wrote, against the schema (see json_hook).
json_check() {
    [ -n "$JSON_OWN" ] || return 0
    local files=("$DIDQ_JSON_DIR"/*.json) out
    [ -e "${files[0]}" ] || return 0
    if out=$(python3 "$ROOT/tests/cli/json_schema.py" "$ROOT/docs/check-report.schema.json" \
        "${files[@]}" 2>&1); then ok; else
        bad "JSON reports not valid against docs/check-report.schema.json:"
        printf '%s\n' "$out" | head -20 >&2
        printf '%s\n' "$out" | grep -o '^[^:]*\.json' | sort -u | head -5 |
            while read -r f; do echo "  written by: didq $(cat "$f.cmd")" >&2; done
    fi
}

finish() {
    json_check
    for log in "$T"/valgrind.*.log; do
        [ -s "$log" ] || continue
        bad "valgrind: $(grep -m1 -E 'Invalid|uninitialised|definitely|indirectly|ERROR SUMMARY' "$log")"
        cat "$log" >&2
    done
    echo "$PASS passed, $FAIL failed"
    [ "$FAIL" = 0 ]
}

# anomaly_kinds: the anomaly kinds, one a line, in the order of the one list
# (include/didq/anomaly_kinds.h), which refdata/anomalies.csv follows row for
# row (didq checks it when it loads the table).
anomaly_kinds() {
    awk -F, 'NR > 1 { print $1 }' "$ROOT/refdata/anomalies.csv"
}
