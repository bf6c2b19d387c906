#!/bin/bash
# make_corpus.sh: regenerates the small committed files of the bad-input
# corpus (tests/data/bad/*) from one clean synthetic DIDS v1 row.  Their
# expected exit status and message are in expected.tsv; the large and
# special cases (50 MB line, 2 GB sparse file, FIFO, ...) are made at test
# time by tests/cli/bad_corpus.sh.  All values are synthetic.
set -eu
cd "$(dirname "$0")"
ROW='9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,2018-07-02,2018-07-03,XABDO,417905003,2018-07-04,RR864,ACC0001'
row() { printf '%s' "$ROW" | sed "s/ACC0001/ACC$1/"; }
# field N VALUE: the row with field N (1-based) replaced
field() { printf '%s' "$ROW" | awk -F, -v OFS=, -v n="$1" -v v="$2" '{ $n = v; print }'; }
HDR=NHS_NUMBER,NHS_NUMBER_STATUS_IND,PERSON_BIRTH_DATE,ETHNIC_CATEGORY,PERSON_GENDER_CODE_CURRENT,POSTCODE_USUAL_ADDRESS,GENERAL_MEDICAL_PRACTICE_CODE,PATIENT_SOURCE_SETTING,REFERRER_CODE,REFERRING_ORG_CODE,DIAGNOSTIC_TEST_REQUEST_DATE,DIAGNOSTIC_TEST_REQUEST_RECEIVED_DATE,DIAGNOSTIC_TEST_DATE,IMAGING_CODE_NICIP,IMAGING_CODE_SNOMED_CT,SERVICE_REPORT_ISSUE_DATE,SITE_CODE_IMAGING,RADIOLOGICAL_ACCESSION_NUM

: > empty.csv
printf '\n\n   \n\r\n' > blank-only.csv
printf '\xef\xbb\xbf' > bom-only.csv
printf '%s\n' "$HDR" > header-only.csv
awk 'BEGIN { srand(42); for (i = 0; i < 3000; i++) printf "%c", int(rand() * 256) }' > binary-junk.bin
printf 'PK\003\004\024\000\006\000\010\000\000\000!\000junk' > xlsx-saved.csv
printf '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03junk' > gzipped.csv
{ printf '\xff\xfe'; row 1 | iconv -f UTF-8 -t UTF-16LE; } > utf16le-bom.csv
row 1 | iconv -f UTF-8 -t UTF-16BE > utf16be-nobom.csv
row 1 | iconv -f UTF-8 -t UTF-16LE > utf16le-nobom.csv
{ row 1 | sed 's/LS1 4HR/LS1 4H\xe9/'; echo; } > latin1.csv
{ row 1 | sed 's/ACC1/AC\x00C1/'; echo; } > nul-byte.csv
{ row 1; echo; row 2; echo; printf '"unterminated'; } > quote-eof.csv
{ row 1; echo; printf '9434765919,"01,x\n'; for i in 3 4 5; do row $i; echo; done; } > quote-line2.csv
{ row 1; printf '\r'; row 2; printf '\r'; row 3 | sed 's/,04,/,4,/'; printf '\r'; } > cr-only.csv
{ row 1; printf '\r\n'; row 2; printf '\n'; row 3 | sed 's/,04,/,4,/'; printf '\r\n'; } > mixed-endings.csv
{ printf '\xef\xbb\xbf'; row 1; printf '\r\n'; row 2; printf '\r\n'; } > bom-start.csv
{ row 1; echo; printf '\xef\xbb\xbf'; row 2; echo; } > bom-middle.csv
{ row 1; echo; row 2 | cut -d, -f1-17; } > fields-17.csv
{ row 1; echo; row 2; echo ',extra'; } > fields-19.csv
{ row 1; echo; echo ',,,,,,,,,,,,,,,,,'; } > all-empty-fields.csv
{ row 1 | tr , '\t'; echo; } > tab-separated.csv
{ row 1 | tr , ';'; echo; } > semicolon-separated.csv
{ row 1; echo; printf '9434765919,01,"1945-06-21\nx",A'; echo; } > multiline-record.csv
{ row 1; echo; yes a,b | head -10004; row 2; echo; } > malformed-rows-10004.csv
{ echo; echo; row 1; echo; echo; echo "   "; row 2 | sed 's/,04,/,4,/'; echo; echo; } > blank-lines.csv
printf 'NHS_NUMBER,SITE_CODE_IMAGING,SITE_CODE_IMAGING,RADIOLOGICAL_ACCESSION_NUM\n9434765919,RR864,XX,A1\n' > duplicate-header.csv
printf 'RADIOLOGICAL_ACCESSION_NUM,SITE_CODE_IMAGING,PATIENT_SOURCE_SETTING,NHS_NUMBER,DIAGNOSTIC_TEST_DATE,IMAGING_CODE_NICIP\nA1,RR864,4,9434765919,2018-07-03,XABDO\n' > shuffled-header.csv
{ echo "$HDR" | tr a-z A-Z | awk -F, -v OFS=, '{ t = $1; $1 = $18; $18 = t; print }'; row 1 | awk -F, -v OFS=, '{ t = $1; $1 = $18; $18 = t; print }'; } > swapped-header.csv
{ field 18 "$(head -c 5000 /dev/zero | tr '\0' A)"; } > value-5000-bytes.csv
{ field 18 "$(head -c 4097 /dev/zero | tr '\0' B)"; } > value-4097-bytes.csv
{ field 1 94347659190; field 6 'LS1 4HR LS1 4HR LS1 4HR' | sed 's/ACC0001/ACC2/'; field 17 RR864RR864RR864 | sed 's/ACC0001/ACC3/'; } > overlong-fields.csv
field 3 1945-02-30 > bad-date-birth.csv
field 11 2018-02-30 > bad-date-request.csv
field 12 2018-13-01 > bad-date-received.csv
field 13 2018-07-32 > bad-date-test.csv
field 16 yesterday > bad-date-report.csv
field 13 18/07/2018 > date-wrong-format.csv
{ field 18 $'ACC\e[2J\e[H\e]0;pwned\a\e]52;c;aGVsbG8=\a\e[31mred'; } > escape-sequences.csv
# XML
X=../nhs-rcl/xml/00002_simple/input.xml
sed 's|</PersonBirthDate>|</PersonBirthdate>|' $X > xml-mismatched-tag.xml
sed '/ServiceReportIssueDate/{h;d};/ImagingSiteCode/G' $X > xml-wrong-order.xml
grep -v RadiologicalAccessionNumber $X > xml-missing-mandatory.xml
sed 's/>1959-06-22</>\&lt;</' $X > xml-reserved-character.xml
sed 's/DIDS-v1-0/DIDS-v9-9/' $X > xml-wrong-namespace.xml
head -c 700 $X > xml-truncated.xml
{ echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE DIDS ['
  echo ' <!ENTITY lol "lol">'
  for i in 1 2 3 4 5 6 7 8 9; do
      p=lol; [ $i -gt 1 ] && p=lol$((i - 1))
      printf ' <!ENTITY lol%d "' $i; for _ in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' $p; done; echo '">'
  done
  echo ']>'
  tail -n +2 $X | sed 's/>1959-06-22</>\&lol9;</'; } > xml-billion-laughs.xml
{ echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE DIDS [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
  tail -n +2 $X | sed 's/>1959-06-22</>\&x;</'; } > xml-external-entity.xml
{ echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE DIDS SYSTEM "http://192.0.2.1/dids.dtd">'
  tail -n +2 $X; } > xml-external-dtd.xml
{ tail -n +2 $X | sed 's/>1959-06-22</>\&undefined;</'; } > xml-undefined-entity.xml
sed 's/1959-06-22/1959-02-30/' $X > xml-bad-date.xml
sed "s/extension=\"[0-9A-Z]*\" *\/> *$/&/; s/<RadiologicalAccessionNumber extension=\"[^\"]*\"/<RadiologicalAccessionNumber extension=\"$(head -c 5000 /dev/zero | tr '\0' Z)\"/" $X > xml-value-5000-bytes.xml
printf '<?xml version="1.0"?>\n' > xml-declaration-only.xml
sed '1s/utf-8/Shift_JIS/; s/1959-06-22/1959-06-\x81\x20/' $X > xml-shift-jis-bad-bytes.xml
sed '1s/utf-8/US-ASCII/; s/1959-06-22/1959-06-\xe9/' $X > xml-ascii-bad-byte.xml
sed 's|<ImagingSiteCode extension="RR801" />|<ImagingSiteCode extension="RR801" a="1" b="2" c="3" d="4" e="5" f="6" g="7" h="8" />|' $X > xml-many-attributes.xml
sed "s|<RadiologicalAccessionNumber extension=\"[^\"]*\"|<RadiologicalAccessionNumber extension=\"$(head -c 9000 /dev/zero | tr '\0' Z)\"|" $X > xml-long-tag.xml
printf '<DIDS xmlns="http://www.datadictionary.nhs.uk/data_dictionary/messages/DIDS-v1-0/" />\n' > xml-empty-root.xml
printf '<?xml version="1.0" encoding="UTF-8"?>\n<DIDS xmlns="http://www.datadictionary.nhs.uk/data_dictionary/messages/DIDS-v1-0/">\x01\x01\x02</DIDS>\n' > xml-control-bytes.xml
