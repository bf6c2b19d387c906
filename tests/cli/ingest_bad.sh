# Malformed inputs: each gives its message and exit status, never a crash.
. "$(dirname "$0")/lib.sh"
C="$DIDQ check --submitted 2018-08-01"
row() { printf '%s' "$ROW" | sed "s/ACC0001/ACC$1/"; }

: > "$T/empty.csv"
expect empty 2 "DIDS075 line 1: The file holds no records" -- $C "$T/empty.csv"

printf 'NHS_NUMBER,NHS_NUMBER_STATUS_IND,PERSON_BIRTH_DATE,ETHNIC_CATEGORY\n' > "$T/header.csv"
expect header-only 2 "DIDQ108 line 1: The file holds a header row but no records" -- $C "$T/header.csv"

printf '%s\n%s\n' "$(row 1)" "$(row 2 | cut -d, -f1-17)" > "$T/f17.csv"
expect 17-fields 2 "DIDS075 line 2: Row has 17 fields, expected 18" -- $C "$T/f17.csv"

printf '%s\n%s,extra\n' "$(row 1)" "$(row 2)" > "$T/f19.csv"
expect 19-fields 2 "DIDS075 line 2: Row has 19 fields, expected 18" -- $C "$T/f19.csv"

printf '%s\n%s\n"unterminated' "$(row 1)" "$(row 2)" > "$T/openquote-eof.csv"
expect quote-at-eof 2 "DIDS075 line 3: A quoted field opened here is never closed" -- $C "$T/openquote-eof.csv"

{ row 1; echo; printf '9434765919,"01,x\n'; for i in 3 4 5; do row $i; echo; done; } > "$T/openquote.csv"
expect quote-line-2 2 "DIDS075 line 2: A quoted field opened here is never closed" -- $C "$T/openquote.csv"

printf '\xff\xfe' > "$T/utf16.csv"; row 1 | iconv -f UTF-8 -t UTF-16LE >> "$T/utf16.csv"
expect utf16-bom 2 "The file is UTF-16" -- $C "$T/utf16.csv"
row 1 | iconv -f UTF-8 -t UTF-16BE > "$T/utf16be.csv"
expect utf16-nobom 2 "The file is UTF-16" -- $C "$T/utf16be.csv"

{ row 1; printf '\r'; row 2; printf '\r'; row 3 | sed 's/,04,/,4,/'; printf '\r'; } > "$T/cr.csv"
expect cr-only 1 "DIDS021" -- $C --findings - "$T/cr.csv"
expect cr-only-line 1 "cr.csv,3,3,ACC3" -- $C --findings - "$T/cr.csv"

{ row 1; printf '\r\n'; row 2; printf '\n'; row 3 | sed 's/,04,/,4,/'; printf '\r\n'; } > "$T/mixed.csv"
expect mixed-endings 1 "mixed.csv,3,3,ACC3" -- $C --findings - "$T/mixed.csv"

{ printf '\xef\xbb\xbf'; row 1; printf '\r\n'; row 2; printf '\r\n'; } > "$T/bom.csv"
expect bom-start 0 "2 records, 0 with errors" -- $C "$T/bom.csv"

{ row 1; echo; printf '\xef\xbb\xbf'; row 2; echo; } > "$T/bom-mid.csv"
expect bom-middle 1 "DIDQ107 line 2" -- $C "$T/bom-mid.csv"

{ row 1 | sed 's/LS1 4HR/LS1 4H\xe9/'; echo; } > "$T/latin1.csv"
expect latin1 1 "DIDQ102 line 1" -- $C "$T/latin1.csv"

{ row 1 | sed 's/ACC1/AC\x00C1/'; echo; } > "$T/nul.csv"
expect nul-byte 0 "DIDQ103 line 1" -- $C "$T/nul.csv"

{ echo; echo; row 1; echo; echo; echo "   "; row 2 | sed 's/,04,/,4,/'; echo; echo; echo; } > "$T/blank.csv"
expect blank-lines 1 "blank.csv,6,2,ACC2" -- $C --findings - "$T/blank.csv"

{ row 1; echo; printf '9434765919,01,"1945-06-21\nx",A'; echo; } > "$T/multiline.csv"
expect multiline 2 "DIDS075 line 2: Record spans more than one line" -- $C "$T/multiline.csv"

{ row 1; awk 'BEGIN { for (i = 0; i < 100000; i++) printf ",x"; print "" }'; } > "$T/wide.csv"
expect 100k-columns 2 "Row has 100018 fields, expected 18" -- $C "$T/wide.csv"

{ row 1; echo; printf '"'; head -c 2000000 /dev/zero | tr '\0' 'a'; printf '"\n'; } > "$T/bigfield.csv"
expect big-field 2 "is longer than 1 MiB (it is closed on line 2)" -- $C "$T/bigfield.csv"

{ printf 'RADIOLOGICAL_ACCESSION_NUM,SITE_CODE_IMAGING,PATIENT_SOURCE_SETTING,NHS_NUMBER,DIAGNOSTIC_TEST_DATE,IMAGING_CODE_NICIP\n';
  printf 'A1,RR864,4,9434765919,2018-07-03,XABDO\n'; } > "$T/shuffled.csv"
expect shuffled-header 2 "DIDS021,error,PATIENT_SOURCE_SETTING,4," -- $C --findings - "$T/shuffled.csv"
expect shuffled-header-notes 2 "DIDQ106 line 1" -- $C "$T/shuffled.csv"

{ printf 'NHS_NUMBER,SITE_CODE_IMAGING,SITE_CODE_IMAGING,RADIOLOGICAL_ACCESSION_NUM\n9434765919,RR864,XX,A1\n'; } > "$T/duphdr.csv"
expect duplicate-header 2 "A header names an item twice" -- $C "$T/duphdr.csv"

mkdir "$T/dir"
expect directory 66 "is a directory" -- $C "$T/dir"
expect missing 66 "No such file or directory" -- $C "$T/nope.csv"
mkfifo "$T/fifo"; (row 1; echo) > "$T/fifo" &
expect fifo 0 "1 record," -- $C "$T/fifo"
expect stdin 0 "(stdin)" -- sh -c "printf '%s\n' '$ROW' | $C -"
if [ "$(id -u)" != 0 ]; then
    row 1 > "$T/noread.csv"; chmod 000 "$T/noread.csv"
    expect no-permission 66 "Permission denied" -- $C "$T/noread.csv"
fi
finish
