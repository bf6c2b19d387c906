# tables.sh: malformed files for the one reader of didq's own tables
# (table.c): --thresholds (bad content: FILE:LINE: reason, exit 64; an
# unreadable file 66) and the files of --refdata (a malformed row is
# skipped with FILE:LINE: reason, the rest loads).  The line is the
# physical line; a byte order mark, CRLF and CR line ends, quoted fields and
# blank lines are read as in every table.
source "$(dirname "$0")/lib.sh"

{ gen RAA01 03 150 0; gen RAA01 01 50 3000; gen RBB02 07 60 1000; gen RBB02 01 140 2000; } > "$T/a.csv"
th() { # th NAME STATUS PATTERN CONTENT: --thresholds with a file of CONTENT (printf)
    printf "$4" > "$T/$1.csv"
    expect "thresholds-$1" "$2" "$3" -- "$DIDQ" check --submitted 2018-08-01 --format json \
        --thresholds "$T/$1.csv" "$T/a.csv"
}
# the anomaly of a.csv: setting-other-default at RBB02 (30% Other); a
# threshold of 0.5 silences it, which shows that a file was applied
silenced() { # silenced NAME [CONTENT]: --thresholds $T/NAME.csv (written from CONTENT)
    [ $# = 1 ] || printf "$2" > "$T/$1.csv"
    out=$("$DIDQ" check --submitted 2018-08-01 --format json --thresholds "$T/$1.csv" "$T/a.csv" 2>&1)
    if [ $? = 0 ] && ! printf '%s' "$out" | grep -q '"kind": '; then ok; else
        bad "thresholds-$1: not applied"; printf '%s\n' "$out" | head -5 >&2; fi
}

th missing-column 64 "missing-column.csv:1: the header must name the columns kind and threshold" \
    'name,value\nactivity-gap,2\n'
th bad-number 64 "bad-number.csv:3: threshold 'x' is not a number >= 0" \
    'kind,threshold\nactivity-gap,2\nvolume-drop,x\n'
th empty 64 "empty.csv:1: no header line" ''
th comments-only 64 "comments-only.csv:1: no header line" '# nothing\n\n  \n'
th unterminated 64 "unterminated.csv:3: a quote opened on this line is not closed" \
    'kind,threshold\nactivity-gap,2\nvolume-drop,"0.5\n'
th nul 64 "nul.csv:3: a NUL byte: not a text file" 'kind,threshold\n# ok\n\000\001\002\377\n'
th nul-in-comment 64 "nul-in-comment.csv:1: a NUL byte: not a text file" '# \000\nkind,threshold\n'
th junk 64 "junk.csv:1: the header must name" '\001\002\376\375,,,\177\n'
th crlf 64 "crlf.csv:3: threshold 'x' is not a number" 'kind,threshold\r\nactivity-gap,2\r\nvolume-drop,x\r\n'
th cr 64 "cr.csv:3: threshold 'x' is not a number" 'kind,threshold\ractivity-gap,2\rvolume-drop,x\r'
th bom 64 "bom.csv:3: threshold 'x' is not a number" '\357\273\277kind,threshold\nactivity-gap,2\nvolume-drop,x\n'
th multiline 64 "multiline.csv:4: threshold 'x' is not a number" \
    'kind,threshold,note\nactivity-gap,2,"two\nlines"\nvolume-drop,x,\n'
th extra-field 0 "" 'kind,threshold\nactivity-gap,2,extra,fields\n'
silenced plain 'kind,threshold\nsetting-other-default,0.5\n'
silenced bom-crlf '\357\273\277kind,threshold\r\nsetting-other-default,0.5\r\n'
silenced quoted 'kind,description,threshold\n"setting-other-default","Other, as a default","0.5"\n'
# the built-in table itself, descriptions quoted with commas in them
sed 's/^setting-other-default,share,0.10,/setting-other-default,share,0.5,/' \
    "$ROOT/refdata/anomalies.csv" > "$T/copy-of-anomalies.csv"
silenced copy-of-anomalies
# a long file is read to its end (it was cut at 1 MiB)
{ for i in $(seq 1 40000); do echo "# a comment line, number $i"; done
  printf 'kind,threshold\nactivity-gap,x\n'; } > "$T/long.csv"
expect thresholds-long 64 "long.csv:40002: threshold 'x' is not a number" -- \
    "$DIDQ" check --thresholds "$T/long.csv" "$T/a.csv"
mkdir "$T/dir.csv"
expect thresholds-dir 66 "dir.csv: read error: Is a directory" -- \
    "$DIDQ" check --thresholds "$T/dir.csv" "$T/a.csv"
expect thresholds-missing 66 "none.csv: cannot open: No such file or directory" -- \
    "$DIDQ" check --thresholds "$T/none.csv" "$T/a.csv"

rd() { # rd NAME FILE PATTERN CONTENT: didq refdata on a folder holding FILE
    mkdir -p "$T/rd/$1"
    printf "$4" > "$T/rd/$1/$2"
    expect "refdata-$1" 0 "$3" -- "$DIDQ" refdata --refdata "$T/rd/$1"
}
O='B10001,SYNTHETIC,,,,,,,,,19900101,,,,,,,,,,,,,,,,\n'
N='SHORT_CODE,SCT_ID,SHORT_CODE_START_DATE,SHORT_CODE_END_DATE\n'
P='pcds,dointr,doterm\n'
rd ods-bom epraccur.csv "kind ods, 2 rows, newest date 1990-01-01" "\357\273\277${O}${O}"
rd nicip-bom nicip.csv "kind nicip, 1 rows" "\357\273\277${N}XABDO,417905003,2000-01-01,\n"
rd onspd-bom onspd.csv "kind postcode, 1 rows" "\357\273\277${P}LS1 4HR,198001,\n"
rd ods-blank-lines epraccur.csv "epraccur.csv:5: 3 columns" "${O}\n\n${O}B10002,SHORT,19900101\n"
rd ods-multiline epraccur.csv "epraccur.csv:3: 3 columns" \
    "B10001,\"SYN\nTHETIC\",,,,,,,,,19900101,,,,,,,,,,,,,,,,\nB10002,SHORT,19900101\n"
rd ods-unterminated epraccur.csv \
    "epraccur.csv:2: a quote opened on this line is not closed (it runs to the end of the file)" \
    "${O}B10003,\"SYNTHETIC,,,,,,,,,19900101,,,,\n${O}"
rd nicip-crlf nicip.csv "nicip.csv:3: start or end date is not a date" \
    "${N%\\n}\r\nXABDO,417905003,2000-01-01,\r\nXBAD,1,x,\r\n"
rd nicip-leading-blank nicip.csv "kind nicip, 1 rows" "\n${N}XABDO,417905003,2000-01-01,\n"
rd onspd-cr onspd.csv "kind postcode, 2 rows" "pcds,dointr,doterm\rLS1 4HR,198001,\rLS1 4HX,198001,\r"
rd onspd-unclosed onspd.csv "onspd.csv:2: a quote opened on this line is not closed on it" \
    "${P}LS1 4HR,\"198001,\nLS1 4HX,198001,\n"
rd onspd-unclosed-rows onspd.csv "kind postcode, 1 rows (1 malformed rows skipped)" \
    "${P}LS1 4HR,\"198001,\nLS1 4HX,198001,\n"
long=$(head -c 70000 /dev/zero | tr '\0' x)
rd ods-long etr.csv "etr.csv:2: a row longer than 65536 bytes; the rest of its line is skipped" \
    "R1,SYN,,,,,,,,,19900101,,,,,,,,,,,,,,,,\nR2,$long,,,,,,,,,19900101,,,,,,,,,,,,,,,,\nR3,SYN,,,,,,,,,19900101,,,,,,,,,,,,,,,,\n"
expect refdata-ods-long-rows 0 "kind ods, 2 rows (1 malformed rows skipped)" -- \
    "$DIDQ" refdata --refdata "$T/rd/ods-long"
rd ods-junk etr.csv "kind ods, 0 rows (2 malformed rows skipped)" '\000\001\002\377\376\n\211PNG\000\000,,\n'
rd ods-empty etr.csv "kind ods, 0 rows, newest date -" ''
rd onspd-no-doterm onspd.csv "ignored: not a reference file didq knows" "pcds,dointr\nLS1 4HR,198001\n"
finish
