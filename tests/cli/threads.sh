# threads.sh: `--threads N` reads a CSV file on N worker threads, in blocks
# cut at line breaks and merged in file order (csvpar.c); every output is
# the same byte for byte as the serial pipeline's (--threads 1): the text
# and JSON reports, the findings CSV, diff's changes, report's page.  Blocks
# are made small (DIDQ_BLOCK_BYTES) so that their edges fall everywhere, on
# synthetic months with defects and on the corner files: a byte order mark,
# CRLF, a header naming the columns in another order with an extra one, no
# line break at the end, rows over several lines (read serially from their
# block on), more malformed rows than are kept (the cap), notices given once
# (bad UTF-8, a byte order mark inside a field) in kept and in dropped rows,
# and standard input.
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
for n in 2 3 8; do
    for f in "$T"/out.1/*; do
        b=${f##*/}
        if cmp -s "$f" "$T/out.$n/$b"; then ok; else
            bad "--threads $n: $b differs from --threads 1"
            diff "$f" "$T/out.$n/$b" | head -5 >&2
        fi
    done
done

# Bad values of --threads.
expect threads-zero 64 "--threads wants a number from 1 to 64, not '0'" -- \
    $DIDQ check $S --threads 0 "$T/small.csv"
expect threads-word 64 "not 'many'" -- $DIDQ check $S --threads many "$T/small.csv"
finish
