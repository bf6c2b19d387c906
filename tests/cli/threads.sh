# threads.sh: `--threads N` reads a CSV file on N worker threads, in blocks
# cut at line breaks and merged in file order (csvpar.c); every output is
# the same byte for byte as the serial pipeline's (--threads 1): the text
# and JSON reports, the findings CSV, diff's changes, report's page.  Blocks
# are made small (DIDQ_BLOCK_BYTES) so that their edges fall everywhere, on
# synthetic months with defects and on the corner files: a byte order mark,
# CRLF, a header naming the columns in another order with an extra one, no
# line break at the end, rows over several lines (read serially from their
# block on), more malformed rows than are kept (the cap, also within one
# block), notices given once (bad UTF-8, a byte order mark inside a field)
# in kept and in dropped rows, segments merged in parts (a small
# DIDQ_SEGMENT_BYTES), and standard input; and the peak memory of a file of
# 2-byte malformed rows.
. "$(dirname "$0")/lib.sh"
S=--submitted=2026-10-01
$DIDQ synth --rows 20000 --defect-rate 0.05 --defect-duplicates --defect-columns --seed 7 \
    --month 2026-09 -o "$T/m.csv" 2> /dev/null
$DIDQ synth --rows 20000 --defect-rate 0.05 --defect-duplicates --seed 8 --month 2026-09 \
    -o "$T/m2.csv" 2> /dev/null
head -6000 "$T/m.csv" > "$T/small.csv"

# A byte order mark, CRLF line ends, a header with two columns swapped and
# an extra column, and no line break after the last row.
HDR=NHS_NUMBER_STATUS_IND,NHS_NUMBER,PERSON_BIRTH_DATE,ETHNIC_CATEGORY,PERSON_GENDER_CODE,POSTCODE,PRACTICE_CODE,PATIENT_SOURCE_SETTING,REFERRER,REFERRING_ORG_CODE,DIAGNOSTIC_TEST_REQUEST_DATE,DIAG_TEST_REQUEST_REC_DATE,DIAGNOSTIC_TEST_DATE,IMAGING_CODE_NICIP,IMAGING_CODE_SNOMED,SERVICE_REPORT_DATE,SITE_CODE_IMAGING,RADIOLOGICAL_ACCESSION_NUM,NOTE
{
    printf '\357\273\277%s\r\n' "$HDR"
    awk -F, -v OFS=, '{ t = $1; $1 = $2; $2 = t; print $0 ",n" NR "\r" }' "$T/small.csv" |
        head -c -2
} > "$T/bom_crlf_header.csv"

# Rows over several lines (a quoted line break), early and late: the load
# goes serial from the block holding the first.
awk '{ if (NR == 4000 || NR == 5500) sub(/,[^,]*$/, ",\"ACC\nX\""); print }' "$T/small.csv" \
    > "$T/multiline.csv"

# 12,000 rows of 17 fields among 16,000 (10,000 kept, the rest counted),
# bad UTF-8 and a byte order mark inside a field first in dropped rows, then
# in kept ones; quoted fields on one line here and there.
awk -F, -v OFS=, '
    NR <= 16000 && NR % 4 != 0 { NF = 17 }
    NR == 14001 { $3 = $3 "\377" }
    NR == 14005 { $6 = "\357\273\277" $6 }
    NR == 15000 { $3 = $3 "\376" }
    NR % 97 == 0 { $18 = "\"" $18 "\"" }
    { print }' "$T/m.csv" > "$T/cap.csv"

# Blocks of more malformed rows than the cap: a 64 KiB block of 2-byte rows
# holds 32,768, so a worker keeps its block's first 10,000 and counts the
# rest; bad UTF-8 in a row counted there (no DIDQ102 for it), a byte order
# mark inside a field of one (DIDQ107 all the same), good rows between.
{
    head -3000 "$T/m.csv"
    yes a | head -40000
    printf 'a\377\n\357\273\277b,c\n'
    sed -n 3001,5000p "$T/m.csv"
    yes a,b | head -30000
    sed -n 5001,6000p "$T/m.csv"
} > "$T/tiny.csv"

run() { # run NAME FILE THREADS: the outputs of check into $T/out.THREADS/NAME.*
    local d=$T/out.$3
    mkdir -p "$d"
    $DIDQ check $S --threads "$3" --findings "$d/$1.findings.csv" "$2" > "$d/$1.txt" 2>&1
    echo "exit $?" >> "$d/$1.txt"
    $DIDQ check $S --threads "$3" --format json "$2" > "$d/$1.json" 2>&1
}
export DIDQ_BLOCK_BYTES=65536
for n in 1 2 3 8; do
    run month "$T/m.csv" $n
    run bom_crlf_header "$T/bom_crlf_header.csv" $n
    run multiline "$T/multiline.csv" $n
    run cap "$T/cap.csv" $n
    DIDQ_BLOCK_BYTES=4096 run small_blocks "$T/small.csv" $n
    run tiny "$T/tiny.csv" $n
    # Segments over a 64 KiB budget are merged in parts while their workers
    # wait, also before a row over several lines sends the rest serially.
    DIDQ_SEGMENT_BYTES=65536 run month_parts "$T/m.csv" $n
    DIDQ_SEGMENT_BYTES=65536 run multiline_parts "$T/multiline.csv" $n
    DIDQ_SEGMENT_BYTES=4096 DIDQ_BLOCK_BYTES=4096 run cap_parts "$T/cap.csv" $n
    $DIDQ check $S --threads $n - < "$T/small.csv" > "$T/out.$n/stdin.txt" 2>&1
    $DIDQ diff $S --threads $n --changes "$T/out.$n/changes.csv" "$T/m2.csv" "$T/m.csv" \
        > "$T/out.$n/diff.txt" 2>&1
    $DIDQ report $S --threads $n --format md -o "$T/out.$n/report.md" "$T/m.csv" \
        > /dev/null 2>&1
done

# The outputs are not empty, and show what each file is about.
expect verdict-month 0 "20000 records" -- grep -h records "$T/out.1/month.txt"
expect verdict-cap 0 "DIDQ109" -- cat "$T/out.1/cap.txt"
expect cap-utf8-once 0 "DIDQ102 line 15000" -- cat "$T/out.1/cap.txt"
expect cap-bom-once 0 "DIDQ107 line 14005" -- cat "$T/out.1/cap.txt"
expect multiline-found 0 "spans more than one line" -- cat "$T/out.1/multiline.findings.csv"
expect header-found 0 "DIDQ101 line 1" -- cat "$T/out.1/bom_crlf_header.txt"
expect changes-found 0 "changed" -- cat "$T/out.1/changes.csv"
expect tiny-dropped 0 "DIDQ109 line 12998" -- cat "$T/out.1/tiny.txt"
expect tiny-bom 0 "DIDQ107 line 43002" -- cat "$T/out.1/tiny.txt"
for n in 2 3 8; do
    for f in "$T"/out.1/*; do
        b=${f##*/}
        if cmp -s "$f" "$T/out.$n/$b"; then ok; else
            bad "--threads $n: $b differs from --threads 1"
            diff "$f" "$T/out.$n/$b" | head -5 >&2
        fi
    done
done

# Memory stays bounded per slot whatever the rows: 3 MB of 2-byte
# malformed rows (1.5 million, three 1 MiB blocks) once took some 300 MB a
# block at --threads 2 (each row packed with its DIDS075 message); past a
# block's first 10,000 they are now counted, as the serial reader does.
if /usr/bin/time -f %M true 2> /dev/null; then
    unset DIDQ_BLOCK_BYTES
    yes a | head -c 3000000 > "$T/rows-2b.csv"
    for n in 1 2; do
        /usr/bin/time -f %M -o "$T/rss.$n" $DIDQ check $S --threads $n "$T/rows-2b.csv" \
            > "$T/rows.$n.txt" 2>&1
    done
    r1=$(tail -1 "$T/rss.1") r2=$(tail -1 "$T/rss.2")
    if [ "$r2" -le $((r1 + 60000)) ]; then ok; else
        bad "2-byte rows: peak RSS $r2 KB at --threads 2, over $r1 KB at 1 + 60 MB"
    fi
    cmp -s "$T/rows.1.txt" "$T/rows.2.txt" && ok || bad "2-byte rows: the reports differ"
else
    echo "note: /usr/bin/time missing: the memory of 2-byte rows not measured"
fi

# Bad values of --threads.
expect threads-zero 64 "--threads wants a number from 1 to 64, not '0'" -- \
    $DIDQ check $S --threads 0 "$T/small.csv"
expect threads-word 64 "not 'many'" -- $DIDQ check $S --threads many "$T/small.csv"
finish
