# A header row, extra columns or columns in another order: NHS England reads
# no header and 18 columns by position (dids-spec.md 1.2), so each file is
# rejected as a whole (exit 2) with a file-level finding saying why and what
# to do, although didq still reads the columns by name for exploring.
. "$(dirname "$0")/lib.sh"
C="$DIDQ check --submitted 2018-08-01"
HDR=NHS_NUMBER,NHS_NUMBER_STATUS_IND,PERSON_BIRTH_DATE,ETHNIC_CATEGORY,PERSON_GENDER_CODE,POSTCODE,PRACTICE_CODE,PATIENT_SOURCE_SETTING,REFERRER,REFERRING_ORG_CODE,DIAGNOSTIC_TEST_REQUEST_DATE,DIAG_TEST_REQUEST_REC_DATE,DIAGNOSTIC_TEST_DATE,IMAGING_CODE_NICIP,IMAGING_CODE_SNOMED,SERVICE_REPORT_DATE,SITE_CODE_IMAGING,RADIOLOGICAL_ACCESSION_NUM

printf '%s\n%s\n' "$HDR" "$ROW" > "$T/header.csv"
expect header-rejected 2 "DIDQ101 line 1: File rejected: line 1 is a header row; NHS England reads no header" -- $C "$T/header.csv"
expect header-what-to-do 2 "Remove the header row;" -- $C "$T/header.csv"
expect header-verdict 2 "1 record, 0 with errors, 0 with warnings: rejected" -- $C "$T/header.csv"
expect header-json 2 '"code": "DIDQ101", "line": 1' -- $C --format json "$T/header.csv"
# Without the header the same record is accepted.
printf '%s\n' "$ROW" > "$T/plain.csv"
expect no-header-accepted 0 "1 record, 0 with errors, 0 with warnings: accepted" -- $C "$T/plain.csv"

# 20 columns, a patient name among them: NHS England's DIDS075.
printf '%s,PATIENT_NAME,NOTES\n%s,Jane Example,x\n' "$HDR" "$ROW" > "$T/wide.csv"
expect wide-rejected 2 "DIDS075 line 1: The header names 20 columns; NHS England reads exactly 18 by position and rejects the file (not data items: PATIENT_NAME, NOTES)" -- $C "$T/wide.csv"
expect wide-what-to-do 2 "keep only the 18 data items, in the data set's order" -- $C "$T/wide.csv"

# 18 columns, the first two swapped: read by name here, by position there.
swap() { awk -F, -v OFS=, '{ t = $1; $1 = $2; $2 = t; print }'; }
{ echo "$HDR" | swap; echo "$ROW" | swap; } > "$T/swapped.csv"
expect swapped-rejected 2 "put the columns in the data set's order (column 1 should be NHS_NUMBER)" -- $C "$T/swapped.csv"
expect swapped-read-by-name 2 "1 record, 0 with errors" -- $C "$T/swapped.csv"

# synth writes no header: its files stay acceptable to NHS England.
$DIDQ synth --rows 3 --month 2018-07 --seed 1 -o "$T/s.csv" 2> /dev/null
expect synth-accepted 0 "3 records, 0 with errors, 0 with warnings: accepted" -- $C "$T/s.csv"
finish
