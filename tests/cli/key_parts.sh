# key_parts.sh: the record-level anomaly kinds (duplicate-suspected,
# accession-reused within and across months, identity-conflict within and
# across months, restricted-code-identifiers) put their keys through a
# table one part of the keys at a time, each part's keys bucketed first
# (anomaly_keys.c: 65,536 slots a part, so one part here at one thread).
# DIDQ_KEY_PART_SLOTS makes the parts small, so two and 1,024 parts are used
# here on 32,000 records, and DIDQ_KEY_ROUND_BYTES takes them in rounds
# (each round's buckets filled apart), and DIDQ_DUP_PART_KEYS cuts DIDS071's
# records into 2,048 parts; every output (text and JSON reports, findings
# CSV) must be the same byte for byte as with one part.  With threads the parts are cut finer
# (threads times) and run at once: at --threads 2, 3 and 8, with the parts
# small and not, every output must again be the same; and so with the
# scan of the records (anomaly_scan.c) in parts on as many threads, and
# the per-site passes (recstore_sites.c) of check and `report --format md`.
. "$(dirname "$0")/lib.sh"
S=--submitted=2026-10-01
I=duplicate-suspected@RR813,accession-reused@RAE01,identity-conflict@RWY01
I=$I,restricted-code-identifiers@RR801,identity-conflict@RAE05,accession-reused@RR807
i=0
for m in 2026-08 2026-09; do
    for part in a b; do
        i=$((i + 1))
        $DIDQ synth --rows 8000 --seed $i --month $m --defect-rate 0.05 --defect-duplicates \
            --inject $I -o "$T/$m-$part.csv" 2> /dev/null
    done
done
# accession-reused across months: some accession numbers of August again in
# September, with other patients
awk -F, -v OFS=, 'NR % 50 == 0 { $1 = "9990000018"; print }' "$T/2026-08-a.csv" \
    >> "$T/2026-09-b.csv"
files=("$T"/2026-0[89]-[ab].csv)
run() { # run NAME THREADS: the outputs of check into $T/NAME.*
    $DIDQ check $S --threads "$2" --findings "$T/$1.findings.csv" "${files[@]}" > "$T/$1.txt" 2>&1
    echo "exit $?" >> "$T/$1.txt"
    $DIDQ check $S --threads "$2" --format json "${files[@]}" > "$T/$1.json" 2>&1
    $DIDQ report $S --threads "$2" --format md -o "$T/$1.md" "${files[@]}" > /dev/null 2>&1
}
run one 1
DIDQ_KEY_PART_SLOTS=32768 run two 1
DIDQ_KEY_PART_SLOTS=64 run four 1
# the scan in parts too: one per thread but one, from 500 records a part on;
# and the per-site passes of the reports (recstore_sites.c), one per thread
export DIDQ_SCAN_PART_RECORDS=500 DIDQ_SITES_PART_RECORDS=500
run threads2 2
run threads3 3
DIDQ_KEY_PART_SLOTS=32768 run two-threads3 3
DIDQ_KEY_PART_SLOTS=64 run four-threads8 8
DIDQ_SCAN_PART_RECORDS=20000 run scan-one-part 3
# the parts in rounds, each round's buckets filled by a pass of its own:
# one part a round, 4 rounds of 1 part at 3 threads, 4 of 256 parts
DIDQ_KEY_ROUND_BYTES=64 run rounds 1
DIDQ_KEY_PART_SLOTS=32768 DIDQ_KEY_ROUND_BYTES=64 run rounds-threads3 3
DIDQ_KEY_PART_SLOTS=64 DIDQ_KEY_ROUND_BYTES=200000 run rounds-many 2
# DIDS071's records in 2,048 parts of their key hashes (recstore_dup.c)
DIDQ_DUP_PART_KEYS=16 run dup-parts 2
for kind in duplicate-suspected accession-reused identity-conflict restricted-code-identifiers; do
    expect "found-$kind" 0 "\"kind\": \"$kind\"" -- cat "$T/one.json"
done
for n in two four threads2 threads3 two-threads3 four-threads8 scan-one-part rounds \
    rounds-threads3 rounds-many dup-parts; do
    for ext in txt json findings.csv md; do
        if cmp -s "$T/one.$ext" "$T/$n.$ext"; then ok; else
            bad "$n parts: $ext differs from one part"
            diff "$T/one.$ext" "$T/$n.$ext" | head -5 >&2
        fi
    done
done
finish
