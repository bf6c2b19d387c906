# check --db saves a session; didq open reopens it without the source files.
. "$(dirname "$0")/lib.sh"
F=data/nhs-rcl/csv/00004_dq_errors/input.csv
cp "$F" "$T/in.csv"
$DIDQ check --submitted 2018-08-01 --db "$T/s.db" "$T/in.csv" > "$T/a.txt"
[ $? = 1 ] && ok || bad "check --db exit status"
[ "$(stat -c %a "$T/s.db")" = 600 ] && ok || bad "saved session is not 0600"
rm "$T/in.csv"
expect open-text 1 "12 records, 11 with errors" -- $DIDQ open --format text "$T/s.db"
$DIDQ open --format text "$T/s.db" > "$T/b.txt"
cmp -s "$T/a.txt" "$T/b.txt" && ok || bad "reopened report differs"
expect open-json 1 '"submitted": "2018-08-01"' -- $DIDQ open --format json "$T/s.db"
expect open-pipe 0 "submission date 2018-08-01" -- sh -c "$DIDQ open '$T/s.db' | cat"
expect db-exists 73 "exists (use --force to overwrite)" -- $DIDQ check --submitted 2018-08-01 --db "$T/s.db" $F
expect db-force 1 "" -- $DIDQ check --submitted 2018-08-01 --force --db "$T/s.db" $F
expect open-not-db 66 "not a saved didq session" -- $DIDQ open --format text $F
expect open-missing 66 "" -- $DIDQ open --format text "$T/none.db"
expect open-usage 64 "no saved session given" -- $DIDQ open
ls -a "$T" | grep -q '^\.s\.db\.' && bad "temporary file left behind" || ok
finish
