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

# The explorer opens a saved session (didq open, or didq FILE.db) and drills down.
printf '3\n<Down>\n<Down>\n<Enter>\n:save-screen %s\nQ\n' "$T/drill.txt" > "$T/k.keys"
expect open-explorer 0 "" -- $DIDQ open --script "$T/k.keys" --size 100x30 "$T/s.db"
grep -q 'Validation > DIDS001' "$T/drill.txt" && ok || bad "no drill-down into DIDS001 from a saved session"
grep -q '1234567890' "$T/drill.txt" && ok || bad "the DIDS001 record is not listed"
expect plain-db-arg 0 "" -- $DIDQ --script "$T/k.keys" --size 100x30 "$T/s.db"

# The panes computed from the record store in memory (recstore_sites.c) equal
# those a saved session gets from SQL: sites, settings, duplicates, period.
$DIDQ synth --rows 3000 --defect-rate 0.05 --defect-duplicates --seed 7 --month 2026-09 \
    -o "$T/m.csv" 2>/dev/null
# Two site codes that break the site rules (DIDS069), R&&&& on four
# records and X on two: one "(invalid site)" row in the per-site tables.
awk -F, -v OFS=, 'NF == 18 && NR >= 10 && NR < 14 { $17 = "R&&&&" }
    NF == 18 && NR >= 20 && NR < 22 { $17 = "X" } { print }' "$T/m.csv" > "$T/m2.csv" &&
    mv "$T/m2.csv" "$T/m.csv"
$DIDQ check --submitted 2026-10-01 --db "$T/m.db" "$T/m.csv" > /dev/null

# The saved file keeps those aggregates (site_counts, period; store_panes.c)
# and they are what SQL over its records gives.  A file without them (saved
# by an older didq) is read by that SQL instead: the same screens.
sq() { sqlite3 -batch -noheader "$@"; }
[ "$(sq "$T/m.db" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master
    WHERE type = 'table' AND name IN ('site_counts', 'period') ORDER BY name)")" = period,site_counts ] &&
    ok || bad "saved session lacks site_counts or period"
# GP-referred, as DIDQ_GP_REFERRED_SQL (include/didq/anomaly.h)
GP="(upper(trim(f9)) GLOB 'G[0-9]*' OR (length(trim(f10)) = 6 AND trim(f10) GLOB
    '[A-Za-z][0-9][0-9][0-9][0-9][0-9]' AND substr(trim(f10), 1, 5) NOT IN ('X9999', 'V8199')))"
sq "$T/m.db" "SELECT quote(site), records, err_records, warn_records, s01, s02, s03, s04, s05,
    s06, s07, s_other, gp_ref, gp_ref_03, bad_code, invalid_site FROM site_counts
    ORDER BY 16, 2 DESC, 1" > "$T/sc.saved"
# the records whose site code breaks a site rule (flags & 64) in one row, last
BAD="((flags & 64) <> 0)"
sq "$T/m.db" "SELECT quote(CASE WHEN $BAD THEN NULL ELSE site END), count(*), sum(nerr > 0), sum(nwarn > 0), sum(setting = '01'),
    sum(setting = '02'), sum(setting = '03'), sum(setting = '04'), sum(setting = '05'),
    sum(setting = '06'), sum(setting = '07'),
    sum(coalesce(setting, '') NOT IN ('01','02','03','04','05','06','07')),
    sum($GP), sum(setting = '03' AND $GP), sum($BAD), $BAD
    FROM records GROUP BY 16, 1 ORDER BY 16, 2 DESC, 1" > "$T/sc.sql"
[ -s "$T/sc.saved" ] && cmp -s "$T/sc.saved" "$T/sc.sql" && ok ||
    bad "site_counts differs from the records' GROUP BY site"
[ "$(sq "$T/m.db" "SELECT count(*), sum(records) >= 6, sum(site IS NULL)
    FROM site_counts WHERE invalid_site")" = "1|1|1" ] && ok ||
    bad "site_counts: not one invalid-site row"
[ "$(sq "$T/m.db" "SELECT count(*) FROM site_counts WHERE site IN ('R&&&&', 'X')")" = 0 ] &&
    ok || bad "site_counts: a row of its own for an invalid site code"
[ "$(sq "$T/m.db" 'SELECT first_test, last_test, count(*) FROM period')" = \
  "$(sq "$T/m.db" 'SELECT min(d13), max(d13), 1 FROM records')" ] && ok ||
    bad "period differs from min and max of d13"
[ "$(sq "$T/m.db" "SELECT pk FROM pragma_table_info('records') WHERE name = 'id'")" = 1 ] &&
    ok || bad "saved records are not keyed by id"
# As an older didq saved it: no pane tables, records made by CREATE TABLE AS.
cp "$T/m.db" "$T/old.db"
sq "$T/old.db" 'DROP TABLE site_counts; DROP TABLE period;
    DROP TABLE an_parts; DROP TABLE an_anomalies; DROP TABLE anomaly_records;
    DROP TABLE an_timeliness; DROP TABLE an_coverage; DROP TABLE an_volumes;
    DROP TABLE dqmi_counts; DROP TABLE month_sites;
    DELETE FROM meta WHERE key = '\''dqmi_spec'\'';
    UPDATE meta SET value = '\''didq-session-1'\'' WHERE key = '\''format'\'';
    CREATE TABLE r0 AS SELECT * FROM records; DROP TABLE records;
    ALTER TABLE r0 RENAME TO records;
    CREATE INDEX records_site ON records(site, id); CREATE INDEX records_file ON records(file, id)' ||
    bad "making a session file as an older didq saved it"
for src in m.csv m.db old.db; do
    mkdir -p "$T/p.$src"
    printf '1\n:save-screen %s/1\n<End>\n:save-screen %s/1e\n4\n:save-screen %s/4\n<End>\n:save-screen %s/4e\n5\n:save-screen %s/5\n<End>\n:save-screen %s/5e\nQ\n' \
        "$T/p.$src" "$T/p.$src" "$T/p.$src" "$T/p.$src" "$T/p.$src" "$T/p.$src" > "$T/p.keys"
    $DIDQ --script "$T/p.keys" --size 160x60 --submitted 2026-10-01 "$T/$src" || bad "explorer on $src"
done
grep -q '(invalid site)' "$T/p.m.csv/1" "$T/p.m.csv/1e" && grep -q '(invalid site)' "$T/p.m.csv/5e" &&
    ok || bad "no (invalid site) row in the Overview or Source settings"
! grep -qE '^[! ] (R&&&&|X) ' "$T/p.m.csv/5e" "$T/p.m.csv/5" && ok ||
    bad "Source settings: a row of its own for an invalid site code"
diff -r "$T/p.m.csv" "$T/p.m.db" && ok || bad "panes from memory differ from a saved session's"
diff -r "$T/p.m.csv" "$T/p.old.db" && ok ||
    bad "panes from memory differ from those of a session saved without site_counts and period"

# Drill-downs, search and sorting take other paths in memory (site look-up,
# the records table's own setting and blank checks, the walk over an item's
# order made in C with the search pattern checked in C): same screens, also
# on a file saved by an older didq.
for src in m.csv m.db old.db; do
    mkdir -p "$T/q.$src"
    o="$T/q.$src"
    cat > "$T/q.keys" <<KEYS
2
<Down><Down><Down><Down><Down><Enter>
:save-screen $o/blank
<End>
:save-screen $o/blank-end
<Esc>
5
<Right><Right><Right><Enter>
:save-screen $o/setting
<End>
:save-screen $o/setting-end
<Esc>
1
<Down><Down><Down><Enter>
:save-screen $o/site
<Esc>
6
/ls1<Enter>
:save-screen $o/search
n
n
N
:save-screen $o/search-n
<Home>
/RR8_1<Enter>
:save-screen $o/search-wild
<Home>
<Right><Right><Right><Right><Right><Right><Right>s
:save-screen $o/sorted
<PgDn><PgDn><Down>
:save-screen $o/sorted-pgdn
<End>
:save-screen $o/sorted-end
<PgUp><Up>
:save-screen $o/sorted-pgup
s
:save-screen $o/sorted-desc
/ls1<Enter>
n
:save-screen $o/sorted-search
N
N
:save-screen $o/sorted-search-back
<Home>
<Right><Right><Right><Right><Right><Right><Right><Right><Right><Right>s
:save-screen $o/sorted-long
<End>
:save-screen $o/sorted-long-end
<Esc>
5
<Right><Right><Right><Enter>
<Right><Right><Right><Right><Right><Right><Right><Right><Right><Right><Right><Right><Right><Right><Right><Right><Right>s
:save-screen $o/setting-sorted
<End>
:save-screen $o/setting-sorted-end
s
:save-screen $o/setting-sorted-desc
Q
KEYS
    $DIDQ --script "$T/q.keys" --size 160x60 --submitted 2026-10-01 "$T/$src" || bad "explorer on $src"
done
diff -r "$T/q.m.csv" "$T/q.m.db" && ok || bad "drill-downs or search from memory differ from a saved session's"
diff -r "$T/q.m.csv" "$T/q.old.db" && ok ||
    bad "drill-downs or search from memory differ from those of an older saved session"
grep -q 'search: ls1' "$T/q.m.csv/search-n" && ok || bad "no search on the records pane"
grep -q 'sorted by' "$T/q.m.csv/sorted" && ok || bad "no sort on the records pane"
cmp -s "$T/q.m.csv/sorted" "$T/q.m.csv/sorted-desc" && bad "descending sort shows the same page" || ok
grep -q 'RR' "$T/p.m.csv/5" && ok || bad "no sites in the settings pane"
# didq open only opens saved sessions: a submission (or any other file) given
# to the explorer through `didq open` is refused, not loaded.
printf 'Q\n' > "$T/quit.keys"
expect open-explorer-not-db 66 "not a saved didq session (not an SQLite file)" \
    -- $DIDQ open --script "$T/quit.keys" --size 100x30 $F

# A saved session is untrusted input: views (a recursive one never ends),
# virtual tables and missing columns are refused before any query, naming
# the file, exit 66; everything printed from it is escaped.
craft() { cp "$T/s.db" "$T/$1.db" && sq "$T/$1.db" "$2" || bad "making $1.db"; }
craft loopmeta "DROP TABLE meta; CREATE VIEW meta(key, value) AS WITH RECURSIVE c(x) AS
    (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT 'k', x FROM c"
craft loopfiles "DROP TABLE files; CREATE VIEW files(id, path, format, records, err_records,
    warn_records, file_reject, verdict) AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL
    SELECT x + 1 FROM c) SELECT x, 'p', 'csv', 1, 0, 0, 0, 'accepted' FROM c WHERE x < 0"
craft nocol "ALTER TABLE rules DROP COLUMN severity"
for f in loopmeta loopfiles; do
    expect "open-$f" 66 "$T/$f.db: not a saved didq session (" -- timeout -k 5 20 $DIDQ open --format text "$T/$f.db"
    expect "open-$f-explorer" 66 "$T/$f.db: not a saved didq session (" \
        -- timeout -k 5 20 $DIDQ open --script "$T/quit.keys" --size 100x30 "$T/$f.db"
done
expect open-nocol 66 "$T/nocol.db: not a saved didq session (table rules has no column severity)" \
    -- timeout -k 5 20 $DIDQ open --format json "$T/nocol.db"
E=$'\e]0;pwned\a\e]52;c;aGVsbG8=\a'
# Text columns (codes, messages, paths, labels; severities, formats and
# verdicts are checked below) are shown escaped by every reader.
craft evil "UPDATE rules SET code = code || '$E', message = message || '$E', why = why || '$E',
    fields = fields || '$E';
    UPDATE files SET path = path || '$E', file_reject = 1;
    UPDATE items SET field = field || '$E', label = label || '$E';
    UPDATE meta SET value = value || '$E' WHERE key = 'refdata';
    UPDATE file_findings SET code = code || '$E', message = message || '$E';
    INSERT INTO file_findings VALUES (1, 'X$E', 3, 'm$E', 1)"
printf '1\n:save-screen %s/evil.1\n2\n:save-screen %s/evil.2\n3\n:save-screen %s/evil.3\nQ\n' \
    "$T" "$T" "$T" > "$T/evil.keys"
$DIDQ open --format text "$T/evil.db" > "$T/evil.text" 2>&1
$DIDQ open --format json "$T/evil.db" > "$T/evil.json" 2>&1
$DIDQ diff "$T/s.db" "$T/evil.db" > "$T/evil.diff" 2>&1
$DIDQ diff --format json "$T/evil.db" "$T/s.db" > "$T/evil.diffjson" 2>&1
$DIDQ report -o "$T/evil.md" --db "$T/evil.db" > /dev/null 2>&1
$DIDQ report -o "$T/evil.html" --db "$T/evil.db" > /dev/null 2>&1
$DIDQ open --script "$T/evil.keys" --size 160x40 "$T/evil.db" > /dev/null 2>&1
for f in text json diff diffjson md html 1 2 3; do
    grep -q 'pwned' "$T/evil.$f" && ok || bad "evil.$f: the crafted text is not shown"
    LC_ALL=C grep -q $'\x1b' "$T/evil.$f" && bad "evil.$f: raw ESC from the file" || ok
    LC_ALL=C grep -q $'\x07' "$T/evil.$f" && bad "evil.$f: raw BEL from the file" || ok
done

# Columns whose values come from a fixed list or range (severity, verdict,
# format, status, flags, months, counts, file ids) are checked value by value
# when a saved session is opened: an unknown value is refused (66) naming the
# file, the table, the row and the column, the value escaped.  Before, it was
# shown as it was (an unknown verdict counted as accepted, a severity outside
# the JSON schema), and a file id of 2 billion made didq allocate 64 GB.
value_case() { # NAME SQL MESSAGE: a crafted copy of s.db refused by didq open
    craft "$1" "$2"
    expect "value-$1" 66 "$T/$1.db: not a saved didq session ($3)" \
        -- timeout -k 5 20 $DIDQ open --format json "$T/$1.db"
}
value_case verdict "UPDATE files SET verdict = 'accepted$E'" \
    "table files, row 1, column verdict: 'accepted^[]0;pwned^G^[]52;c;aGVsbG8=^G' is not accepted or rejected"
value_case verdict-case "UPDATE files SET verdict = 'Rejected'" \
    "table files, row 1, column verdict: 'Rejected' is not accepted or rejected"
value_case verdict-null "UPDATE files SET verdict = NULL" \
    "table files, row 1, column verdict: NULL is not accepted or rejected"
value_case format "UPDATE files SET format = 'xlsx'" \
    "table files, row 1, column format: 'xlsx' is not csv or xml"
value_case severity "UPDATE rules SET severity = 'fatal' WHERE code = 'DIDS012'" \
    "table rules, row 9, column severity: 'fatal' is not error or warning"
value_case status "UPDATE items SET status = 'O' WHERE id = 3" \
    "table items, row 4, column status: 'O' is not M, M* or R"
value_case reject "INSERT INTO file_findings VALUES (1, 'DIDQ108', 0, 'm', 'yes')" \
    "table file_findings, row 1, column reject: 'yes' is not 0 or 1"
value_case checked "UPDATE rules SET checked = 2 WHERE rowid = 5" \
    "table rules, row 5, column checked: 2 is not 0 or 1"
value_case month "UPDATE files SET month = '2018-13'" \
    "table files, row 1, column month: '2018-13' is not a month CCYY-MM or NULL"
value_case count "UPDATE files SET err_records = -3" \
    "table files, row 1, column err_records: -3 is not a count (an integer from 0)"
value_case blank "UPDATE items SET blank = 1.5 WHERE id = 0" \
    "table items, row 1, column blank: 1.5 is not a count (an integer from 0)"
value_case fileid "UPDATE files SET id = 2000000000" \
    "table files, row 1, column id: 2000000000 is not a file number from 1 to 1"
value_case ffile "INSERT INTO file_findings VALUES (7, 'DIDQ108', 0, 'm', 1)" \
    "table file_findings, row 1, column file: 7 is not a file number from 1 to 1"
long=$(printf 'x%.0s' {1..200})
value_case long "UPDATE files SET format = '$long'" \
    "table files, row 1, column format: '$(printf 'x%.0s' {1..40})…' (200 bytes) is not csv or xml"
value_case blob "UPDATE files SET format = CAST('csv' AS BLOB)" \
    "table files, row 1, column format: a blob of 3 bytes is not csv or xml"
# A collation in the file's schema does not widen the list.
craft nocase "CREATE TABLE f2(id INTEGER PRIMARY KEY, path TEXT, format TEXT COLLATE NOCASE,
    records INTEGER, err_records INTEGER, warn_records INTEGER, file_reject INTEGER,
    verdict TEXT COLLATE NOCASE, month TEXT, outside_month INTEGER, no_test_date INTEGER);
    INSERT INTO f2 SELECT * FROM files; UPDATE f2 SET verdict = upper(verdict);
    DROP TABLE files; ALTER TABLE f2 RENAME TO files"
expect value-nocase 66 "column verdict: 'REJECTED' is not accepted or rejected" \
    -- $DIDQ open --format text "$T/nocase.db"
# Every reader of a saved session refuses it: the explorer, diff, report.
expect value-explorer 66 "$T/verdict.db: not a saved didq session (table files" \
    -- $DIDQ open --script "$T/quit.keys" --size 100x30 "$T/verdict.db"
expect value-diff 66 "$T/verdict.db: not a saved didq session (table files" \
    -- $DIDQ diff "$T/s.db" "$T/verdict.db"
expect value-report 66 "$T/verdict.db: not a saved didq session (table files" \
    -- $DIDQ report -o "$T/v.html" --db "$T/verdict.db"
[ -e "$T/v.html" ] && bad "report of a refused session written" || ok
$DIDQ open --format text "$T/verdict.db" > "$T/verdict.out" 2>&1
LC_ALL=C grep -q $'[\x1b\x07]' "$T/verdict.out" && bad "the refusal prints a raw ESC or BEL" || ok
# The values didq writes pass: files of each format, accepted and rejected
# (record errors, file level, no records), file findings, months and none.
$DIDQ check --submitted 2018-08-01 --db "$T/all.db" data/nhs-rcl/xml/00002_simple/input.xml \
    data/bad/xml-bad-date.xml data/nhs-rcl/csv/00003_simple/input.csv $F \
    data/bad/header-only.csv data/bad/blank-only.csv > "$T/all.txt"
[ "$(sq "$T/all.db" "SELECT group_concat(DISTINCT format) || ' ' || group_concat(DISTINCT verdict)
    || ' ' || count(month) || '<' || count(*) FROM files")" = "xml,csv accepted,rejected 4<6" ] ||
    bad "the all-values session lacks a value: $(sq "$T/all.db" 'SELECT * FROM files')"
$DIDQ open --format text "$T/all.db" > "$T/all.open"
[ $? = 2 ] && cmp -s "$T/all.txt" "$T/all.open" && ok ||
    bad "a session with every kind of file is refused or reads differently"

# Every connection keeps SQLite's temporary tables and sorts in memory: a
# sort of a saved session's 384 thousand postcodes went to /var/tmp.
cp "$T/m.db" "$T/big.db"
cols=$(sq "$T/big.db" "SELECT group_concat(name, ', ') FROM pragma_table_info('records') WHERE cid > 0")
for _ in 1 2 3 4 5 6 7; do
    sq "$T/big.db" "INSERT INTO records SELECT id + (SELECT max(id) FROM records), $cols FROM records"
done
printf '6\n<Right><Right><Right><Right><Right><Right><Right>s\n:save-screen %s\nQ\n' "$T/big.txt" > "$T/sort.keys"
if strace -f -o /dev/null true 2> /dev/null; then
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -e trace=openat,open,creat \
        -o "$T/strace.log" $DIDQ open --script "$T/sort.keys" --size 100x30 "$T/big.db"
    grep -q 'sorted by Postcode' "$T/big.txt" && ok || bad "the strace run did not sort: $(tail -1 "$T/big.txt")"
    grep -E 'etilqs|O_CREAT' "$T/strace.log" | grep -vE "$T/big.txt|/dev/null|/tmp/tsan\.rodata" > "$T/created" # (ThreadSanitizer's own file)
    [ -s "$T/created" ] && bad "didq open created files while sorting: $(head -3 "$T/created")" || ok
else
    echo "note: strace cannot trace here: temp_store case skipped"
fi

# Search matches the text as shown, literally: with masking on, digits the
# mask hides are not found; % and _ are not wildcards.  In memory (the walk
# checks in C) and in a saved session (SQL).
{
    printf '%s\n' "$ROW"
    printf '%s\n' "$ROW" | sed 's/^9434765919/9876543210/; s/ACC0001/ACC0002/'
    printf '%s\n' "$ROW" | sed 's/^9434765919/9018978906/; s/ACC0001/ACC0003/'
} > "$T/srch.csv"
$DIDQ check --submitted 2018-08-01 --db "$T/srch.db" "$T/srch.csv" > /dev/null
for src in srch.csv srch.db; do
    o="$T/s.$src"
    mkdir -p "$o"
    printf '6\n/5432<Enter>\n:save-screen %s/hidden\n<Home>\n/%%<Enter>\n:save-screen %s/pct\n<Home>\n/9_8<Enter>\n:save-screen %s/under\n<Home>\n/987<Enter>\n:save-screen %s/shown\nm\n<Home>\n/5432<Enter>\n:save-screen %s/unmasked\nQ\n' \
        "$o" "$o" "$o" "$o" "$o" > "$T/srch.keys"
    $DIDQ --mask --script "$T/srch.keys" --size 120x30 --submitted 2018-08-01 "$T/$src" ||
        bad "search explorer on $src"
    # (masking is on: the message shows the search text as a * a character)
    grep -q "'\*\*\*\*' not found in this list" "$o/hidden" && ok || bad "$src: a masked search found digits the mask hides"
    grep -q "'\*' not found in this list" "$o/pct" && ok || bad "$src: % searched as a wildcard"
    grep -q "'\*\*\*' not found in this list" "$o/under" && ok || bad "$src: _ searched as a wildcard"
    grep -qE '5432|9_8|%' "$o/hidden" "$o/pct" "$o/under" && bad "$src: a masked search text on the screen" || ok
    grep -q "not found" "$o/shown" && bad "$src: masked search for shown digits 987 found nothing" || ok
    grep -q "not found" "$o/unmasked" && bad "$src: unmasked search for 5432 found nothing" || ok
done

finish
