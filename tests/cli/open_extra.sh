# didq open --format (a saved session's report) with --notes and --baseline:
# the same reports and exit statuses as check with them (one code path,
# cli_extra.c), and the same errors for bad or missing files.
. "$(dirname "$0")/lib.sh"
C="$DIDQ check --submitted 2018-08-01"

# row ETHNIC GENDER ACCESSION: ROW with those values (fields 4, 5, 18).
row() { echo "$ROW" | awk -F, -v OFS=, -v e="$1" -v g="$2" -v a="$3" '{$4=e;$5=g;$18=a;print}'; }
# ACC1 breaks DIDS012, ACC2 DIDS012 and DIDS014, ACC3 nothing.
{ row Q 2 ACC1; row Q X ACC2; row A 2 ACC3; } > "$T/m.csv"
printf '%s\n' 'site,accession,code,status,note' 'RR864,ACC1,DIDS012,explained,"coded locally"' \
    'RR864, ACC2 ,,explained,the whole record' > "$T/n.csv"
$C --db "$T/m.db" "$T/m.csv" > /dev/null

# same NAME STATUS -- ARGS: check ARGS m.csv and open ARGS m.db write the
# same report and exit with STATUS.
same() {
    local name=$1 want=$2
    shift 3
    $C "$@" "$T/m.csv" > "$T/c.out" 2>&1
    local cs=$?
    $DIDQ open "$@" "$T/m.db" > "$T/o.out" 2>&1
    local os=$?
    if [ $cs = "$want" ] && [ $os = "$want" ] && cmp -s "$T/c.out" "$T/o.out"; then ok; else
        bad "$name: check exit $cs, open exit $os (want $want)"
        diff "$T/c.out" "$T/o.out" >&2
    fi
}
same notes-text 1 -- --notes "$T/n.csv"
same notes-json 1 -- --format json --notes "$T/n.csv"
expect open-explained 1 '"code": "DIDS012", "severity": "error", "count": 2, "checked": true, "explained": 2' -- \
    $DIDQ open --format json --notes "$T/n.csv" "$T/m.db"

# --baseline: nothing new exits 0 although the file is rejected.
$C --findings "$T/base.csv" "$T/m.csv" > /dev/null
same base-same 0 -- --baseline "$T/base.csv"
expect open-base-same 0 "0 new findings, 0 fixed, 3 unchanged (of 3 in the baseline" -- \
    $DIDQ open --format text --baseline "$T/base.csv" "$T/m.db"
# ACC1 fixed, ACC3 breaks DIDS014 now: one new, exit 1, in JSON too.
{ row A 2 ACC1; row Q X ACC2; row A X ACC3; } > "$T/m2.csv"
$C --db "$T/m2.db" "$T/m2.csv" > /dev/null
expect open-base-new 1 "1 new findings, 1 fixed, 2 unchanged" -- \
    $DIDQ open --format text --baseline "$T/base.csv" "$T/m2.db"
$DIDQ open --format json --baseline "$T/base.csv" --notes "$T/n.csv" "$T/m2.db" |
    grep -qF '"new": 1, "fixed": 1, "unchanged": 2' && ok || bad "open-base-new: json counts"

# Bad or missing files: 64 and 66, as check; no value: a usage error.
printf '%s\n' 'site,accession,code,status,note' 'RR864,ACC1,,maybe,x' > "$T/b1.csv"
expect open-bad-notes 64 "$T/b1.csv:2: status is explained, todo or fixed, not 'maybe'" -- \
    $DIDQ open --format text --notes "$T/b1.csv" "$T/m.db"
expect open-missing-notes 66 "$T/none.csv" -- $DIDQ open --format text --notes "$T/none.csv" "$T/m.db"
printf 'file,line,code\nx,1,DIDS012\n' > "$T/bb1.csv"
expect open-bad-base 64 "$T/bb1.csv:1: the header must name the columns site, accession and code" -- \
    $DIDQ open --format text --baseline "$T/bb1.csv" "$T/m.db"
expect open-missing-base 66 "$T/nobase.csv" -- \
    $DIDQ open --format text --baseline "$T/nobase.csv" "$T/m.db"
expect open-notes-novalue 64 "--notes needs a value" -- $DIDQ open --format text "$T/m.db" --notes
finish
