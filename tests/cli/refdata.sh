# didq refdata and check --refdata: finding the directory, listing files,
# malformed rows, and rules checked or not checked.
. "$(dirname "$0")/lib.sh"
SET=data/refdata/set
FIX=data/nhs-rcl/csv/00004_dq_errors/input.csv

expect list 0 "kind postcode, 7 rows" -- "$DIDQ" refdata --refdata $SET
expect list-ods 0 "ODS epraccur.csv: GP practices" -- "$DIDQ" refdata --refdata $SET
expect list-rules 0 "rules not checked (reference data missing): none" -- "$DIDQ" refdata --refdata $SET
expect list-newest 0 "newest date 2023-01-01" -- "$DIDQ" refdata --refdata $SET
expect bad-line 0 "epraccur.csv:2: 3 columns" -- "$DIDQ" refdata --refdata data/refdata/bad
expect bad-zip 0 "ignored: a zip archive" -- "$DIDQ" refdata --refdata data/refdata/bad
# bad/ holds epraccur alone among the ODS files: the referring organisation
# rules need etr too, the site rules ets and ephpsite.
expect bad-partial 0 "rules not checked (reference data missing): DIDS024 DIDS059 DIDS068 DIDS078 DIDS079 DIDS081 DIDS082" \
    -- "$DIDQ" refdata --refdata data/refdata/bad
expect missing 66 "reference data:" -- "$DIDQ" refdata --refdata "$T/nowhere"
expect usage 64 "unknown option" -- "$DIDQ" refdata --bogus
expect env 0 "kind nicip, 9 rows" -- env DIDQ_REFDATA=$SET "$DIDQ" refdata
mkdir -p "$T/xdg/didq" && ln -s "$PWD/$SET" "$T/xdg/didq/refdata"
expect xdg 0 "kind snomed, 9 rows" -- env XDG_DATA_HOME="$T/xdg" "$DIDQ" refdata
mkdir -p "$HOME/.local/share/didq" && ln -s "$PWD/$SET" "$HOME/.local/share/didq/refdata"
expect home 0 "kind ods" -- "$DIDQ" refdata
rm "$HOME/.local/share/didq/refdata"
expect none 0 "no reference data directory" -- "$DIDQ" refdata

# check: without reference data the twelve rules are not checked
expect check-none 1 "not checked (no reference data): DIDS016" \
    -- "$DIDQ" check --submitted 2018-08-01 $FIX
expect check-json-none 1 '"code": "DIDS016", "severity": "error", "count": null, "checked": false' \
    -- "$DIDQ" check --submitted 2018-08-01 --format json $FIX
expect check-ref 1 "DIDS082  error" -- "$DIDQ" check --submitted 2018-08-01 --refdata $SET $FIX
out=$("$DIDQ" check --submitted 2018-08-01 --refdata $SET --format json $FIX)
if printf '%s' "$out" | grep -q '"checked": false'; then bad "check-json-ref: a rule not checked"; else ok; fi
expect check-env 1 "DIDS080  warning" -- env DIDQ_REFDATA=$SET "$DIDQ" check --submitted 2018-08-01 $FIX
expect check-missing 66 "reference data:" \
    -- "$DIDQ" check --submitted 2018-08-01 --refdata "$T/nowhere" $FIX

# the synthetic ONSPD generator writes the published 55-column layout
mkdir -p "$T/gen" && bash ../tools/gen-onspd.sh "$T/gen/ONSPD_GEN_UK.csv" 20000
expect generated 0 "kind postcode, 20000 rows, newest date 2002-12-01" -- "$DIDQ" refdata --refdata "$T/gen"
finish
