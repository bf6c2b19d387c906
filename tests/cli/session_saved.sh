# A saved session (check --db, didq-session-2) keeps its analyses, its
# DQMI-style counts and the Months pane's groups, so didq open shows the
# same reports and panes as the loaded session without reading a record
# (issue 20); a file saved by an older didq (didq-session-1) still opens
# (its analyses then read the records); other thresholds run them again.
. "$(dirname "$0")/lib.sh"
K=setting-other-default@RR801,gp-direct-access-as-outpatient@RR813,setting-default-suspected@RR807
K=$K,referral-to-test-missing@RR864,referral-to-test-zero@RAE01,report-turnaround-missing@RAE05
K=$K,report-turnaround-zero@RWY01,activity-gap@RWY02,field-missing-share@RR801
K=$K,duplicate-suspected@RR813,accession-reused@RR807,identity-conflict@RR864
K=$K,restricted-code-identifiers@RAE01
$DIDQ synth --rows 3000 --seed 3 --month 2026-08 --defect-rate 0.1 --defect-duplicates \
    --inject "$K" -o "$T/aug.csv" || bad "synth aug"
$DIDQ synth --rows 2500 --seed 4 --month 2026-09 --defect-rate 0.1 \
    --inject "volume-drop@RWY01,$K" -o "$T/sep.csv" || bad "synth sep"
$DIDQ synth --rows 2000 --seed 5 --month 2026-09 --defect-rate 0.05 --inject "$K" \
    -o "$T/one.csv" || bad "synth one"
sq() { sqlite3 -batch -noheader "$@"; }

for set in two one; do
    files="$T/aug.csv $T/sep.csv"
    [ $set = one ] && files="$T/one.csv"
    # shellcheck disable=SC2086
    $DIDQ check --submitted 2026-10-01 --db "$T/$set.db" $files > "$T/$set.mem.txt"
    # shellcheck disable=SC2086
    $DIDQ check --submitted 2026-10-01 --format json $files > "$T/$set.mem.json"
    [ "$(sq "$T/$set.db" "SELECT value FROM meta WHERE key = 'format'")" = didq-session-2 ] &&
        ok || bad "$set: not marked didq-session-2"
    [ "$(sq "$T/$set.db" "SELECT count(*) > 5 FROM an_anomalies")" = 1 ] &&
        [ "$(sq "$T/$set.db" "SELECT count(*) > 0 FROM anomaly_records")" = 1 ] &&
        [ "$(sq "$T/$set.db" "SELECT count(*) > 0 FROM month_sites")" = 1 ] &&
        [ "$(sq "$T/$set.db" "SELECT count(*) > 0 FROM dqmi_counts")" = 1 ] &&
        ok || bad "$set: the saved analyses are missing or empty"
    # The records gone: the reports are the same, so they read none.
    cp "$T/$set.db" "$T/$set.gut.db"
    sq "$T/$set.gut.db" "DELETE FROM records; DELETE FROM findings"
    # As an older didq saved it: the analyses read the records.
    cp "$T/$set.db" "$T/$set.old.db"
    sq "$T/$set.old.db" "DROP TABLE an_parts; DROP TABLE an_anomalies; DROP TABLE anomaly_records;
        DROP TABLE an_timeliness; DROP TABLE an_coverage; DROP TABLE an_volumes;
        DROP TABLE dqmi_counts; DROP TABLE month_sites; DELETE FROM meta WHERE key = 'dqmi_spec';
        UPDATE meta SET value = 'didq-session-1' WHERE key = 'format'"
    for db in db gut.db old.db; do
        $DIDQ open --format text "$T/$set.$db" > "$T/$set.$db.txt"
        cmp -s "$T/$set.mem.txt" "$T/$set.$db.txt" && ok ||
            bad "$set.$db: open --format text differs from check's"
        $DIDQ open --format json "$T/$set.$db" > "$T/$set.$db.json"
        cmp -s "$T/$set.mem.json" "$T/$set.$db.json" && ok ||
            bad "$set.$db: open --format json differs from check's"
    done
    # The panes of the analyses and Months, every row (End), the Overview,
    # Completeness and the Sites pane (W); with two months, the earlier
    # one's too ([).  The copy without records (gut) shows the same panes,
    # so they read none.
    # shellcheck disable=SC2086
    for src in mem db old.db gut.db; do
        o="$T/p.$set.$src"
        mkdir -p "$o"
        : > "$T/p.keys"
        keys="1 2 7 8 9 0 W"
        [ $set = two ] && keys="$keys [ W 9 1 2"
        n=0
        for k in $keys; do
            n=$((n + 1))
            [ "$k" = "[" ] && printf '[\n' >> "$T/p.keys" && continue
            printf '%s\n:save-screen %s/%s.%s\n<End>\n:save-screen %s/%s.%se\n' "$k" "$o" $n "$k" \
                "$o" $n "$k" >> "$T/p.keys"
        done
        printf 'Q\n' >> "$T/p.keys"
        if [ $src = mem ]; then
            $DIDQ --script "$T/p.keys" --size 160x60 --submitted 2026-10-01 $files ||
                bad "explorer on $set $src"
        else
            $DIDQ open --script "$T/p.keys" --size 160x60 "$T/$set.$src" || bad "explorer on $set.$src"
        fi
    done
    sed -i '1d' "$T"/p.$set.*/* # the first line names the file or the session
    diff -r "$T/p.$set.mem" "$T/p.$set.db" && ok || bad "$set: panes of the saved session differ"
    diff -r "$T/p.$set.mem" "$T/p.$set.old.db" && ok || bad "$set: panes of an older file differ"
    [ -s "$T/p.$set.gut.db/7.We" ] || bad "$set: no Sites pane saved"
    for f in "$T/p.$set.gut.db"/*; do
        cmp -s "$f" "$T/p.$set.mem/${f##*/}" && ok ||
            bad "$set: ${f##*/} of the session without records differs: it read them"
    done
done

# Other thresholds than those saved: the analyses run again on the records,
# as check with them; the same thresholds: the saved analyses.
printf 'kind,threshold,min_records\nsetting-other-default,0.01,10\nactivity-gap,1,1\n' > "$T/th.csv"
$DIDQ check --submitted 2026-10-01 --thresholds "$T/th.csv" "$T/one.csv" > "$T/th.mem.txt"
$DIDQ open --format text --thresholds "$T/th.csv" "$T/one.db" > "$T/th.db.txt"
cmp -s "$T/th.mem.txt" "$T/th.db.txt" && ok || bad "open --thresholds differs from check --thresholds"
cmp -s "$T/th.mem.txt" "$T/one.mem.txt" && bad "the thresholds changed nothing" || ok
$DIDQ open --format text --thresholds "$T/th.csv" "$T/one.gut.db" > "$T/th.gut.txt"
cmp -s "$T/th.mem.txt" "$T/th.gut.txt" && bad "other thresholds did not read the records" || ok

# A damaged saved analysis refuses the file (exit 66), in both uses.
cp "$T/one.db" "$T/bad.db"
sq "$T/bad.db" "UPDATE an_coverage SET records = records + 1 WHERE row = 0"
expect open-damaged 66 "bad.db: a damaged saved didq session (an_coverage: row 1 does not add up)" \
    -- $DIDQ open --format text "$T/bad.db"
expect open-damaged-explorer 66 "a damaged saved didq session (an_coverage" \
    -- $DIDQ open --script "$T/p.keys" --size 100x30 "$T/bad.db"
# A table changed so that its rows still look right: its checksum tells.
cp "$T/one.db" "$T/bad2.db"
sq "$T/bad2.db" "UPDATE dqmi_counts SET blank = blank + 1 WHERE rowid = 1"
expect open-changed 66 "bad2.db: a damaged saved didq session (dqmi_counts was changed after" \
    -- $DIDQ open --format text "$T/bad2.db"

# A value didq never writes in a saved pane table refuses the file on
# opening (exit 66), naming table, row, column and value, in every use.
n=0
for c in "dqmi_counts|bad = 'x' WHERE rowid = 2|row 2, column bad: 'x' is not a count" \
    "site_figs|warn = -3 WHERE rowid = 1|row 1, column warn: -3 is not a count" \
    "site_quality|rules = NULL WHERE rowid = 1|row 1, column rules: NULL is not a blob" \
    "month_counts|records = -1 WHERE rowid = 2|row 2, column records: -1 is not a count" \
    "month_sites|kind = 7 WHERE rowid = 1|row 1, column kind: 7 is not 0, 1 or 2" \
    "an_anomalies|severity = 'urgent' WHERE rowid = 1|row 1, column severity: 'urgent' is not"; do
    n=$((n + 1))
    IFS='|' read -r table set_ want <<< "$c"
    cp "$T/two.db" "$T/v$n.db"
    sq "$T/v$n.db" "UPDATE $table SET $set_"
    expect "value-$table" 66 "v$n.db: not a saved didq session (table $table, $want" \
        -- $DIDQ open --format json "$T/v$n.db"
    expect "value-$table-explorer" 66 "(table $table, $want" \
        -- $DIDQ open --script "$T/p.keys" --size 100x30 "$T/v$n.db"
done

# Pages of records damaged (bytes overwritten past the saved tables' checks):
# the first read that meets them ends the command with exit 66 naming the
# file, in diff, open and the explorer; a diff of the session against its
# own file counted 1,081 records added, and a sort was an internal error.
$DIDQ check --submitted 2026-10-01 --db "$T/whole.db" "$T/one.csv" > /dev/null 2>&1
size=$(stat -c %s "$T/whole.db")
for at in 4096 $((size / 2)); do
    cp "$T/whole.db" "$T/hurt.db"
    head -c 8192 /dev/zero | tr '\0' '\377' |
        dd of="$T/hurt.db" bs=1 seek="$at" conv=notrunc status=none
    printf '6\n<PgDn>\n<PgDn>\n<PgDn>\n<End>\ns\n<Right>\ns\n' > "$T/h.keys"
    expect "diff-hurt-$at" 66 "hurt.db: a damaged saved didq session (SQLite: " \
        -- $DIDQ diff "$T/hurt.db" "$T/one.csv"
    expect "explorer-hurt-$at" 66 "hurt.db: a damaged saved didq session (SQLite: " \
        -- $DIDQ open --script "$T/h.keys" --size 100x30 "$T/hurt.db"
done

finish
