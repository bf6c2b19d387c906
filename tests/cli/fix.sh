# didq fix -o OUT IN: every kind of safe fix, the values that must not be
# fixed, byte identity of everything else (LF, CRLF, CR, quoted fields, a
# byte order mark and a header row), the --log CSV, the findings left (OUT
# checked again), the DIDS075 repair hints, --only, and the refusals with
# their exit statuses.
. "$(dirname "$0")/lib.sh"
F="$DIDQ fix --submitted 2018-08-01"

# row ACC [N=VALUE]...: the clean ROW with accession number ACC and field N
# set to VALUE (a value may hold spaces).
row() {
    local acc=$1 IFS=$'\x1f'
    shift
    printf '%s\n' "$ROW" | awk -F, -v OFS=, -v acc="$acc" -v sets="$*" 'BEGIN {
        n = split(sets, s, "\x1f") }
        { for (i = 1; i <= n; i++) { k = index(s[i], "="); $(substr(s[i], 1, k - 1)) = substr(s[i], k + 1) }
          $18 = acc; print }'
}

# Each fix kind, and beside it what the fixed record must read.
{
    row A01
    row A02 2=1 8=4
    row A03 3=21/06/1945
    row A04 11=20180701 12=02/07/2018 13=03/07/2018 16=20180704
    row A05 4=a
    row A06 5=M
    row A07 5=f
    row A08 6=LS14HR
    row A09 6=ls14hr
    row A10 '5= M ' '6= LS14HR'
    row A11 11=2018/07/01 12=02-07-2018
} > "$T/kinds.csv"
{
    row A01
    row A02
    row A03
    row A04
    row A05
    row A06 5=1
    row A07 5=2
    row A08
    row A09 6='ls1 4hr'
    row A10 '5= 1 ' '6= LS1 4HR'
    row A11
} > "$T/kinds.want"
expect "fix: every kind, exit 0" 0 "values fixed: 16" -- $F -o "$T/kinds.out" --log "$T/kinds.log" "$T/kinds.csv"
if cmp -s "$T/kinds.out" "$T/kinds.want"; then ok; else
    bad "fix: the fixed copy differs from the expected one"
    diff "$T/kinds.want" "$T/kinds.out" >&2
fi
out=$($F -o "$T/kinds2.out" "$T/kinds.csv")
for want in "DIDS003       1  NHS_NUMBER_STATUS_IND, zero_pad" "DIDS021       1" \
    "DIDS005       1  PERSON_BIRTH_DATE, date" "DIDS026       2" "DIDS036       2" \
    "DIDS045       1" "DIDS061       1" "DIDS012       1  ETHNIC_CATEGORY, upper" \
    "DIDS014       3  PERSON_GENDER_CODE, gender" "DIDS017       3  POSTCODE, postcode_space"; do
    case $out in *"$want"*) ok ;; *) bad "fix report lacks '$want'"; printf '%s\n' "$out" >&2 ;; esac
done
case $out in *"findings left in $T/kinds2.out (didq check of it):"*none*) ok ;;
*) bad "fix: findings left in a fully fixed copy"; printf '%s\n' "$out" >&2 ;; esac
expect "fix: the fixed copy passes check" 0 "" -- $DIDQ check --submitted 2018-08-01 "$T/kinds.out"

# The log: one row per changed value, trimmed values, the rule.
cat > "$T/kinds.log.want" <<'EOF'
line,record,field,old,new,rule
2,2,NHS_NUMBER_STATUS_IND,1,01,DIDS003
2,2,PATIENT_SOURCE_SETTING,4,04,DIDS021
3,3,PERSON_BIRTH_DATE,21/06/1945,1945-06-21,DIDS005
4,4,DIAGNOSTIC_TEST_REQUEST_DATE,20180701,2018-07-01,DIDS026
4,4,DIAG_TEST_REQUEST_REC_DATE,02/07/2018,2018-07-02,DIDS036
4,4,DIAGNOSTIC_TEST_DATE,03/07/2018,2018-07-03,DIDS045
4,4,SERVICE_REPORT_DATE,20180704,2018-07-04,DIDS061
5,5,ETHNIC_CATEGORY,a,A,DIDS012
6,6,PERSON_GENDER_CODE,M,1,DIDS014
7,7,PERSON_GENDER_CODE,f,2,DIDS014
8,8,POSTCODE,LS14HR,LS1 4HR,DIDS017
9,9,POSTCODE,ls14hr,ls1 4hr,DIDS017
10,10,PERSON_GENDER_CODE,M,1,DIDS014
10,10,POSTCODE,LS14HR,LS1 4HR,DIDS017
11,11,DIAGNOSTIC_TEST_REQUEST_DATE,2018/07/01,2018-07-01,DIDS026
11,11,DIAG_TEST_REQUEST_REC_DATE,02-07-2018,2018-07-02,DIDS036
EOF
if cmp -s "$T/kinds.log" "$T/kinds.log.want"; then ok; else
    bad "fix --log differs"
    diff "$T/kinds.log.want" "$T/kinds.log" >&2
fi
perm=$(stat -c %a "$T/kinds.out" "$T/kinds.log" | sort -u)
if [ "$perm" = 600 ]; then ok; else bad "fix: OUT and LOG mode $perm, want 600"; fi

# What must not be fixed: a postcode still invalid with a space, a date that
# is no date (31/02/2026, 20180231), an NHS number with a wrong check digit,
# values with no code in any case or padding (X, x, 9, 0).
{
    row B01 6=LS1XHR
    row B02 3=31/02/2026
    row B03 13=20180231
    row B04 1=9434765918
    row B05 5=X 4=x
    row B06 2=9 8=0
    row B07 6=LS1
    row B08 3=21/06/45
    row B09 3=1945/21/06
    row B10 3=1945-6-21
} > "$T/never.csv"
expect "fix: nothing to fix, exit 0" 0 "values fixed: none" -- $F -o "$T/never.out" --log "$T/never.log" "$T/never.csv"
if cmp -s "$T/never.csv" "$T/never.out"; then ok; else
    bad "fix: a value without a safe fix was changed"
    diff "$T/never.csv" "$T/never.out" >&2
fi
if [ "$(cat "$T/never.log")" = "line,record,field,old,new,rule" ]; then ok; else
    bad "fix: a log row without a change"
fi

# OUT checked again has exactly the findings without a safe fix: the same
# rules and counts as didq check of OUT, the fixable ones gone.
cat "$T/kinds.csv" "$T/never.csv" > "$T/mixed.csv"
out=$($F -o "$T/mixed.out" "$T/mixed.csv")
left=$(printf '%s\n' "$out" | sed -n '/^findings left/,$p' | awk '$1 ~ /^DID[SQ]/ { print $1, $3 }')
chk=$($DIDQ check --submitted 2018-08-01 "$T/mixed.out" |
    awk '/^rule +severity/ { on = 1; next } on && $1 ~ /^DID[SQ]/ { print $1, $3 } on && NF == 0 { on = 0 }')
if [ -n "$left" ] && [ "$left" = "$chk" ]; then ok; else
    bad "fix: the findings left differ from check of OUT"
    diff <(printf '%s\n' "$chk") <(printf '%s\n' "$left") >&2
fi
codes=$(printf '%s\n' "$left" | awk '{ print $1 }' | tr '\n' ' ')
if [ "$codes" = "DIDS001 DIDS003 DIDS005 DIDS012 DIDS014 DIDS017 DIDS021 DIDS045 " ]; then ok; else
    bad "fix: findings left $codes"
fi

# A fix may reveal a finding its rule could not see: the birth date, once
# read, is after the test date (DIDS006) and the report date (DIDS008).
row C01 3=05/08/2018 > "$T/reveal.csv"
expect "fix: a revealed finding is counted" 0 "DIDS006 1, DIDS008 1" -- $F -o "$T/reveal.out" "$T/reveal.csv"
expect "fix: the revealed finding is left in OUT" 0 "DIDS006  error           1" -- $F -o "$T/reveal2.out" "$T/reveal.csv"

# Byte identity: line ends, quoting, a byte order mark, a header row.  Every
# variant is made from kinds.csv and kinds.want the same way.
lineends() { # FILE STYLE: LF, CRLF or CR
    case $2 in
    LF) cat "$1" ;;
    CRLF) sed 's/$/\r/' "$1" ;;
    CR) tr '\n' '\r' < "$1" ;;
    esac
}
for style in LF CRLF CR; do
    lineends "$T/kinds.csv" $style > "$T/le.csv"
    lineends "$T/kinds.want" $style > "$T/le.want"
    rm -f "$T/le.out"
    $F -o "$T/le.out" "$T/le.csv" > /dev/null
    if cmp -s "$T/le.out" "$T/le.want"; then ok; else
        bad "fix: $style file not copied byte for byte"; cmp "$T/le.out" "$T/le.want" >&2
    fi
done
# Every field quoted, quotes doubled in one, a comma and a line break inside
# quotes in another record: the fixed fields keep their quotes.
quote() { sed 's/[^,]*/"&"/g' "$1"; }
{
    quote "$T/kinds.csv"
    printf '%s\n' "$(row 'D01' 5=M)" | sed 's/,D01$/,"D,0""1"/'
    printf '"9434765919",01,1945-06-21,A,F,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,2018-07-02,2018-07-03,XABDO,417905003,2018-07-04,RR864,"D0\n2"\n'
} > "$T/q.csv"
{
    quote "$T/kinds.want"
    printf '%s\n' "$(row 'D01' 5=1)" | sed 's/,D01$/,"D,0""1"/'
    printf '"9434765919",01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,2018-07-02,2018-07-03,XABDO,417905003,2018-07-04,RR864,"D0\n2"\n'
} > "$T/q.want"
$F -o "$T/q.out" "$T/q.csv" > /dev/null
if cmp -s "$T/q.out" "$T/q.want"; then ok; else
    bad "fix: quoted file not copied byte for byte"; diff "$T/q.want" "$T/q.out" >&2
fi
# A byte order mark and a header row (the file is rejected for it, DIDQ101,
# but its columns are named: the fixes follow the names).
hdr='NHS_NUMBER,NHS_NUMBER_STATUS_IND,PERSON_BIRTH_DATE,ETHNIC_CATEGORY,PERSON_GENDER_CODE,POSTCODE,PRACTICE_CODE,PATIENT_SOURCE_SETTING,REFERRER,REFERRING_ORG_CODE,DIAGNOSTIC_TEST_REQUEST_DATE,DIAG_TEST_REQUEST_REC_DATE,DIAGNOSTIC_TEST_DATE,IMAGING_CODE_NICIP,IMAGING_CODE_SNOMED,SERVICE_REPORT_DATE,SITE_CODE_IMAGING,RADIOLOGICAL_ACCESSION_NUM'
{ printf '\xef\xbb\xbf%s\r\n' "$hdr"; sed 's/$/\r/' "$T/kinds.csv"; } > "$T/h.csv"
{ printf '\xef\xbb\xbf%s\r\n' "$hdr"; sed 's/$/\r/' "$T/kinds.want"; } > "$T/h.want"
expect "fix: a header row is kept and reported" 0 "DIDQ101" -- $F -o "$T/h.out" "$T/h.csv"
if cmp -s "$T/h.out" "$T/h.want"; then ok; else
    bad "fix: BOM and header file not copied byte for byte"; cmp "$T/h.out" "$T/h.want" >&2
fi
# Columns in another order, named by the header: the gender column moved.
{
    echo "$hdr" | awk -F, -v OFS=, '{ t = $5; $5 = $18; $18 = t; print }'
    row E01 5=M | awk -F, -v OFS=, '{ t = $5; $5 = $18; $18 = t; print }'
} > "$T/o.csv"
$F -o "$T/o.out" "$T/o.csv" > /dev/null
if [ "$(sed -n 2p "$T/o.out" | cut -d, -f18)" = 1 ] && [ "$(sed -n 2p "$T/o.out" | cut -d, -f5)" = E01 ]; then ok; else
    bad "fix: a column moved by the header was not followed"; cat "$T/o.out" >&2
fi

# --only: only the rules named.
expect "fix --only" 0 "values fixed: 3" -- $F --only DIDS017 -o "$T/only.out" "$T/kinds.csv"
if [ "$(diff "$T/kinds.csv" "$T/only.out" | grep -c '^>')" = 3 ] &&
    grep -q '^.*,ls1 4hr,' "$T/only.out" && grep -q ',M,' "$T/only.out"; then ok; else
    bad "fix --only DIDS017 changed other rules' values"
fi
expect "fix --only: a rule without a fix" 64 "DIDS001 is not a rule with a fix" -- $F --only DIDS001 -o "$T/x.out" "$T/kinds.csv"

# DIDS075: a hint for rows of 17 and 19 fields, never applied.  When the
# values fit more than one place (the site code is also a possible
# accession number) the hint names the run of places.
{
    row G01 | cut -d, -f1-8,10-
    row G02 | sed 's/,LS1 4HR,/,LS1 4HR,X,/'
    row G03 | cut -d, -f1-17
} > "$T/w.csv"
out=$($F -o "$T/w.out" "$T/w.csv")
for want in "line 1: the Referrer (item 9) seems to be missing: fields 9 to 17 look shifted left" \
    "line 2: field 7 seems to be extra: fields 8 to 19 look shifted right" \
    "line 3: one of items 17 (Site) to 18 (Accession) seems to be missing (the last field)"; do
    case $out in *"$want"*) ok ;; *) bad "fix hint lacks '$want'"; printf '%s\n' "$out" >&2 ;; esac
done
if cmp -s "$T/w.csv" "$T/w.out"; then ok; else bad "fix: a shifted row was changed"; fi

# Refusals.  OUT never replaces IN, by any name; IN stays as it was.
cp "$T/kinds.csv" "$T/keep.csv"
cp "$T/kinds.csv" "$T/in.csv"
ln "$T/in.csv" "$T/hard.csv"
ln -s "$T/in.csv" "$T/sym.csv"
for out in "$T/in.csv" "$T/./in.csv" "$T/hard.csv" "$T/sym.csv"; do
    expect "fix: -o $out over the input" 73 "an output never replaces an input" -- $F --force -o "$out" "$T/in.csv"
done
expect "fix: --log over the input" 73 "an output never replaces an input" -- $F --force -o "$T/y.out" --log "$T/in.csv" "$T/in.csv"
if cmp -s "$T/in.csv" "$T/keep.csv" && [ ! -e "$T/y.out" ]; then ok; else bad "fix: the input changed"; fi
echo old > "$T/exists.out"
expect "fix: OUT exists" 73 "exists" -- $F -o "$T/exists.out" "$T/in.csv"
if [ "$(cat "$T/exists.out")" = old ]; then ok; else bad "fix: OUT replaced without --force"; fi
expect "fix: --log exists" 73 "exists" -- $F -o "$T/z.out" --log "$T/exists.out" "$T/in.csv"
[ ! -e "$T/z.out" ] && ok || bad "fix: OUT written though --log was refused"
expect "fix: --force replaces OUT" 0 "values fixed" -- $F --force -o "$T/exists.out" "$T/in.csv"
if cmp -s "$T/exists.out" "$T/kinds.want"; then ok; else bad "fix --force: wrong copy"; fi
expect "fix: no -o" 64 "-o OUT is required" -- $F "$T/in.csv"
expect "fix: two inputs" 64 "wants one file" -- $F -o "$T/a.out" "$T/in.csv" "$T/in.csv"
expect "fix: standard input" 64 "IN cannot be standard input" -- $F -o "$T/a.out" -
expect "fix: -o -" 64 "OUT is a file" -- $F -o - "$T/in.csv"
expect "fix: --log and -o the same" 64 "the same file" -- $F -o "$T/a.out" --log "$T/a.out" "$T/in.csv"
expect "fix: missing input" 66 "No such file" -- $F -o "$T/a.out" "$T/missing.csv"
expect "fix: a folder" 66 "not a regular file" -- $F -o "$T/a.out" "$T"
mkfifo "$T/fifo"
expect "fix: a FIFO" 66 "not a regular file" -- $F -o "$T/a.out" "$T/fifo"
$DIDQ synth --rows 3 --format xml -o "$T/s.xml"
expect "fix: XML refused" 64 "didq fix rewrites CSV files only" -- $F -o "$T/a.out" "$T/s.xml"
[ ! -e "$T/a.out" ] && ok || bad "fix: OUT written after a refusal"
ls -A "$T" | grep -q '\.didq-' && bad "fix: a temporary file left" || ok

# Under umask 000 OUT and LOG are still 0600; stderr holds nothing (no
# value) when fix succeeds.
(umask 000 && $F -o "$T/u.out" --log "$T/u.log" "$T/kinds.csv" > /dev/null 2> "$T/u.err")
perm=$(stat -c %a "$T/u.out" "$T/u.log" | sort -u)
if [ "$perm" = 600 ] && [ ! -s "$T/u.err" ]; then ok; else bad "fix: mode $perm or stderr: $(cat "$T/u.err")"; fi
# The report holds no value of the file (only --log does).
out=$($F -o "$T/v.out" "$T/mixed.csv")
case $out in *LS14HR* | *21/06/1945* | *9434765918*) bad "fix: a value in the report" ;; *) ok ;; esac
finish
