# The bad-input corpus (docs/robustness.md): every file of tests/data/bad/
# with the exit status and message of expected.tsv, then the cases too big
# or too special to commit, made here: a 50 MB line, 100 000 columns, a
# 2 GB sparse file, a directory, FIFOs, an unreadable file (as root too),
# files deleted or truncated while loading, external XML entities on FIFOs.
# Each run is under timeout (a hang fails), its peak RSS must stay within
# LIMIT_KB of a one-record file's, and no raw ESC byte may reach stdout.
. "$(dirname "$0")/lib.sh"
BAD=data/bad
C=("$DIDQ" check --submitted 2018-08-01)
LIMIT_KB=${LIMIT_KB:-150000}
HAVE_TIME=0
/usr/bin/time -f %M true 2> /dev/null && HAVE_TIME=1
# Without /usr/bin/time, a build without ASan runs under ulimit -v instead
# (ASan reserves terabytes of address space, so it cannot).
VLIMIT=unlimited
if [ "$HAVE_TIME" = 0 ] && ! grep -qa __asan_init "$DIDQ"; then VLIMIT=1000000; fi

# run FILE...: didq check with --findings -; sets $st, $out (stdout and
# stderr) and $rss (KB, 0 if unknown); stdout alone (the findings CSV) is
# in $T/stdout, the report in $T/stderr.
run() {
    rm -f "$T/rss"
    if [ "$HAVE_TIME" = 1 ]; then
        timeout -k 5 ${TMO:-60} /usr/bin/time -f %M -o "$T/rss" "${C[@]}" --findings - "$@" \
            > "$T/stdout" 2> "$T/stderr"
    else
        (ulimit -v $VLIMIT && timeout -k 5 ${TMO:-60} "${C[@]}" --findings - "$@") \
            > "$T/stdout" 2> "$T/stderr"
    fi
    st=$?
    out=$(cat "$T/stdout" "$T/stderr")
    rss=$(tail -1 "$T/rss" 2> /dev/null | tr -cd 0-9)
    rss=${rss:-0}
}

# check NAME WANT PATTERN [nomem]: the last run's status, message, stdout
# free of ESC, and memory.
check() {
    local name=$1 want=$2 pattern=$3
    if [ "$st" = 124 ] || [ "$st" = 137 ]; then
        bad "$name: timed out (hang?)"; return
    fi
    if [ "$st" != "$want" ]; then
        bad "$name: exit $st, want $want"; printf '%s\n' "$out" | head -8 >&2; return
    fi
    if ! printf '%s' "$out" | grep -qF -- "$pattern"; then
        bad "$name: output lacks '$pattern'"; printf '%s\n' "$out" | head -8 >&2; return
    fi
    if LC_ALL=C grep -q $'\x1b' "$T/stdout" "$T/stderr"; then
        bad "$name: a raw ESC byte reached the terminal"; return
    fi
    if [ "${4:-}" != nomem ] && [ "$rss" -gt $((BASE_KB + LIMIT_KB)) ]; then
        bad "$name: peak RSS ${rss} KB, more than ${LIMIT_KB} KB over the ${BASE_KB} KB baseline"
        return
    fi
    ok
}

printf '%s\n' "$ROW" > "$T/one.csv"
run "$T/one.csv"
BASE_KB=$rss
[ "$HAVE_TIME" = 1 ] || echo "note: /usr/bin/time missing: memory bounded by ulimit -v $VLIMIT only"

# ---- the committed corpus ----
n=0
while IFS=$'\t' read -r file want pattern what; do
    case $file in '#'* | '') continue ;; esac
    [ -e "$BAD/$file" ] || { bad "$file: listed in expected.tsv but missing"; continue; }
    run "$BAD/$file"
    check "$file ($what)" "$want" "$pattern"
    # The report names the file (and the message above names the line).
    printf '%s' "$out" | grep -qF "file $BAD/$file (" || bad "$file: the report does not name the file"
    n=$((n + 1))
done < "$BAD/expected.tsv"
for f in "$BAD"/*; do
    case $f in */expected.tsv | */make_corpus.sh) continue ;; esac
    cut -f1 "$BAD/expected.tsv" | grep -qxF "${f##*/}" || bad "${f##*/}: not listed in expected.tsv"
done
[ "$n" -ge 40 ] || bad "the corpus has $n files, fewer than 40"
# libxml2's own error output goes into the finding, never to stderr.
# (Without --findings -, which sends the report itself to stderr.)
"${C[@]}" "$BAD/xml-shift-jis-bad-bytes.xml" > /dev/null 2> "$T/stderr"
[ -s "$T/stderr" ] && bad "libxml2 wrote to stderr: $(head -c 200 "$T/stderr")" || ok

# ---- made at test time ----
row() { printf '%s' "$ROW" | sed "s/ACC0001/ACC$1/"; }

{ row 1; echo; head -c 52428800 /dev/zero | tr '\0' a; echo; } > "$T/line-50mb.csv"
run "$T/line-50mb.csv"
check "50 MB line" 2 "DIDS075 line 2: A field runs past 1 MiB; reading stopped"

{ row 1; echo; yes ,x | tr -d '\n' | head -c 52428800; echo; } > "$T/line-50mb-commas.csv"
run "$T/line-50mb-commas.csv"
check "50 MB line of 26 million fields" 2 "DIDS075 line 2: Row has 26214401 fields, expected 18"

{ row 1; echo; awk 'BEGIN { for (i = 0; i < 100000; i++) printf ",x"; print "" }'; } > "$T/wide.csv"
run "$T/wide.csv"
check "100 000 columns" 2 "DIDS075 line 2: Row has 100001 fields, expected 18"

{ row 1; echo; printf '"'; head -c 2000000 /dev/zero | tr '\0' a; printf '"\n'; } > "$T/bigquoted.csv"
run "$T/bigquoted.csv"
check "2 MB quoted field" 2 "DIDS075 line 2: A quoted field opened here is longer than 1 MiB (it is closed on line 2)"
# A closed 10 MB quoted field over CRLF lines is not called unclosed; an
# open one is said to run to the end of the file.
{ row 1; echo; printf 'x,"ab\r\n""'; head -c 10000000 /dev/zero | tr '\0' a; printf '\r\n\r\nend",y\n'; } > "$T/q10mb.csv"
run "$T/q10mb.csv"
check "10 MB quoted field closed 3 lines later" 2 "DIDS075 line 2: A quoted field opened here is longer than 1 MiB (it is closed on line 5); reading stopped"
{ row 1; echo; printf 'x,"'; head -c 2000000 /dev/zero | tr '\0' a; } > "$T/qopen.csv"
run "$T/qopen.csv"
check "2 MB quoted field never closed" 2 "DIDS075 line 2: A quoted field opened here runs past 1 MiB to the end of the file: its closing quote is missing"

yes 'a,b,c' | head -50000 > "$T/short-rows.csv"
run "$T/short-rows.csv"
check "50 000 short rows: the report shows 20" 2 "DIDS075: 9980 more, to line 10000 (all of them are in --findings"
[ "$(grep -c '^  DIDS075 line' "$T/stderr")" = 20 ] && ok || bad "short rows: not 20 DIDS075 lines shown"
# 20 MB of 2-byte rows: 10 million malformed rows took 3.1 GB (a record and
# a finding each); past 10 000 they are counted, not kept.
yes a | head -c 20000000 > "$T/rows-2b.csv"
run "$T/rows-2b.csv"
check "20 MB of 2-byte rows: memory bounded" 2 "DIDQ109 line 10001: 9990000 more rows with the wrong number of fields or over several lines (lines 10001 to 10000000) were counted, not kept"

X=data/nhs-rcl/xml/00002_simple/input.xml
{ sed -n 1,6p $X; printf '      <PersonBirthDate>'; head -c 52428800 /dev/zero | tr '\0' 7
  printf '</PersonBirthDate>\n'; sed -n '8,$p' $X; } > "$T/text-50mb.xml"
run "$T/text-50mb.xml"
check "XML: 50 MB of text in one element (cut)" 1 "DIDQ104 line 22: A field longer than 4096 bytes was cut"
{ sed -n 1,27p $X; printf '      <RadiologicalAccessionNumber extension="'
  head -c 52428800 /dev/zero | tr '\0' 7; printf '" />\n'; sed -n '29,$p' $X; } > "$T/attr-50mb.xml"
run "$T/attr-50mb.xml"
check "XML: a 50 MB attribute" 2 "DIDS076 line 28: The tag <RadiologicalAccessionNumber is longer than 8192 bytes"
# 400 000 attributes in one tag took libxml2 2.9.14 64 s (its duplicate
# check is pairwise), deaf to keys and signals, and the file was accepted.
{ sed -n 1,27p $X; printf '      <RadiologicalAccessionNumber extension="5121"'
  awk 'BEGIN { for (i = 0; i < 400000; i++) printf " a%d=\"\"", i }'; printf ' />\n'; sed -n '29,$p' $X; } > "$T/attrs.xml"
TMO=15 run "$T/attrs.xml"
check "XML: 400 000 attributes in one tag" 2 "DIDS076 line 28: The tag <RadiologicalAccessionNumber has more than 8 attributes"
{ sed -n 1,2p $X; for _ in $(seq 20000); do sed -n '3,30p' $X; done; sed -n '31,$p' $X; } > "$T/many.xml"
run "$T/many.xml"
check "XML: 20 000 records" 1 "20000 records"

if truncate -s 2G "$T/sparse.csv" 2> /dev/null; then
    run "$T/sparse.csv"
    check "2 GB sparse file (NUL bytes)" 2 "DIDS075 line 1: The file is UTF-16 (or full of NUL bytes)"
    # enough text first that the first block is not taken for binary data
    for i in $(seq 40); do row $i; echo; done > "$T/sparse-tail.csv"
    truncate -s 2G "$T/sparse-tail.csv"
    run "$T/sparse-tail.csv"
    check "40 records then 2 GB of NUL bytes" 2 "DIDS075 line 41: A field runs past 1 MiB"
else
    echo "note: truncate -s 2G failed here: sparse-file cases skipped"
fi

mkdir "$T/dir"
run "$T/dir"
check directory 66 "$T/dir: is a directory"
run "$T/nope.csv"
check "missing file" 66 "$T/nope.csv: No such file or directory"
run "$T/one.csv/x.csv"
check "a path component that is a file" 66 "$T/one.csv/x.csv: $T/one.csv is a file, not a folder"
run "$T/one.csv/"
check "a file name with a '/' at the end" 66 "$T/one.csv/: $T/one.csv is a file, not a folder (remove the '/' at the end)"
if [ -r /proc/self/mem ]; then
    run /proc/self/mem
    check "a file that fails to read (/proc/self/mem)" 66 "/proc/self/mem: reading failed: Input/output error"
fi
# /proc/version: stat size 0, yet it has content; it is read to its end.
run /proc/version
check "a file of stat size 0 with content (/proc/version)" 2 "file /proc/version (csv): 1 record,"
# The same file named twice (./, a link): loaded once, with a notice.
ln -s one.csv "$T/one-link.csv"
run "$T/one.csv" "$T/./one.csv" "$T/one-link.csv"
check "the same file named three times" 0 "DIDQ110: The same file is named again as $T/./one.csv; it was loaded once"
printf '%s' "$out" | grep -q "^1 record, 0 with errors, 0 with warnings; 0 of 1 files rejected" && ok ||
    bad "the same file named three times: not loaded once: $(printf '%s' "$out" | tail -1)"
run "$T/one.csv" "$T/dir"
check "a good file then a directory" 66 "is a directory"

mkfifo "$T/fifo"
(for i in 1 2 3; do row $i; echo; sleep 0.3; done) > "$T/fifo" &
run "$T/fifo"
check "FIFO fed slowly" 0 "3 records, 0 with errors"
wait

mkfifo "$T/xfifo"
(sed -n 1,15p $X; sleep 0.5; sed -n '16,$p' $X) > "$T/xfifo" &
run "$T/xfifo"
check "XML from a FIFO fed slowly" 0 "(xml): 1 record, 0 with errors"
wait

run - < "$BAD/fields-17.csv"
check "standard input" 2 "DIDS075 line 2: Row has 17 fields"

# Unreadable: chmod 000 stops no one as root, so run as nobody.
row 1 > "$T/noread.csv"
chmod 000 "$T/noread.csv"
if [ "$(id -u)" != 0 ]; then
    run "$T/noread.csv"
    check "no read permission" 66 "$T/noread.csv: cannot be opened: Permission denied"
elif command -v setpriv > /dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2> /dev/null; then
    chmod 755 "$T"
    cp "$DIDQ" "$T/didq-copy" && chmod 755 "$T/didq-copy"
    out=$(cd / && timeout 30 setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$T/didq-copy" check "$T/noread.csv" 2>&1)
    st=$?
    rss=0
    : > "$T/stdout"; : > "$T/stderr"
    check "no read permission (as nobody, since root reads anything)" 66 "$T/noread.csv: cannot be opened: Permission denied"
else
    echo "note: running as root without setpriv: the unreadable-file case is skipped"
fi

# External entities and DTDs must never be opened: point them at FIFOs
# with no writer, where an open() would hang until the timeout.
X=data/nhs-rcl/xml/00002_simple/input.xml
mkfifo "$T/dtd.fifo" "$T/ent.fifo"
{ echo '<?xml version="1.0"?>'; echo "<!DOCTYPE DIDS SYSTEM \"$T/dtd.fifo\">"; tail -n +2 $X; } > "$T/extdtd.xml"
TMO=15 run "$T/extdtd.xml"
check "external DTD is not opened" 2 "DIDS076 line 2: The document has a DOCTYPE declaration"
{ echo '<?xml version="1.0"?>'; echo "<!DOCTYPE DIDS [<!ENTITY x SYSTEM \"file://$T/ent.fifo\">]>"
  tail -n +2 $X | sed 's/>1959-06-22</>\&x;</'; } > "$T/extent.xml"
TMO=15 run "$T/extent.xml"
check "external entity is not opened" 2 "DIDS076 line 2: The document has a DOCTYPE declaration"

# Saved sessions (didq open) that are damaged or are something else.
printf '%s\n' "$ROW" > "$T/s.csv"
"${C[@]}" --db "$T/s.db" "$T/s.csv" > /dev/null
cp "$T/s.db" "$T/cut.db" && truncate -s 20000 "$T/cut.db"
expect "open: a truncated session" 66 "cut.db: a damaged saved didq session (SQLite: " \
    -- "$DIDQ" open --format text "$T/cut.db"
expect "open: a CSV file" 66 "s.csv: not a saved didq session (not an SQLite file)" \
    -- "$DIDQ" open --format text "$T/s.csv"
expect "open: a directory" 66 "$T/dir: is a directory" -- "$DIDQ" open --format text "$T/dir"
expect "open: a missing file" 66 "$T/none.db: No such file or directory" -- "$DIDQ" open --format text "$T/none.db"

# Files changed under the reader.  A big file (copies of a synthetic month)
# so that the load is still running when it is changed.
"$DIDQ" synth --rows 20000 --seed 3 --month 2018-07 -o "$T/month.csv"
for _ in $(seq 25); do cat "$T/month.csv"; done > "$T/big.csv"
cp "$T/big.csv" "$T/big2.csv"
cp "$T/big.csv" "$T/big3.csv"

# waitread PID FILE: until PID has FILE open and has read from it.
waitread() {
    for _ in $(seq 200); do
        for fd in /proc/$1/fd/*; do
            [ "$(readlink "$fd" 2> /dev/null)" = "$2" ] || continue
            pos=$(awk '/^pos:/ { print $2 }' /proc/$1/fdinfo/${fd##*/} 2> /dev/null)
            [ "${pos:-0}" -gt 0 ] && return 0
        done
        kill -0 "$1" 2> /dev/null || return 1
        sleep 0.05
    done
    return 1
}

"${C[@]}" "$T/big.csv" > "$T/stdout" 2> "$T/stderr" &
pid=$!
if waitread $pid "$T/big.csv"; then
    rm "$T/big.csv"
    wait $pid; st=$?; out=$(cat "$T/stdout" "$T/stderr"); rss=0
    # an unlinked file is still read to its end: all 500 000 records
    check "deleted while loading" 1 "500000 records" nomem
else
    wait $pid; echo "note: the load ended before the file could be deleted: case skipped"
fi

"${C[@]}" "$T/big2.csv" > "$T/stdout" 2> "$T/stderr" &
pid=$!
if waitread $pid "$T/big2.csv"; then
    truncate -s 100000 "$T/big2.csv"
    wait $pid; st=$?; out=$(cat "$T/stdout" "$T/stderr"); rss=0
    # read from its mapping: cut short before the load reaches its new end,
    # the SIGBUS guard says so; after, the size check at the end does
    if printf '%s' "$out" | grep -qF "big2.csv: the file was cut short"; then
        check "truncated while loading (read past its new end)" 66 \
            "big2.csv: the file was cut short by another program while it was read; no results" nomem
    else
        check "truncated while loading" 66 "big2.csv: the file changed size while it was read" nomem
    fi
else
    wait $pid; echo "note: the load ended before the file could be truncated: case skipped"
fi

# Rewritten in place while loading, the size unchanged: the modification
# time tells.
"${C[@]}" "$T/big3.csv" > "$T/stdout" 2> "$T/stderr" &
pid=$!
if waitread $pid "$T/big3.csv"; then
    head -c 1 "$T/big3.csv" | dd of="$T/big3.csv" bs=1 seek=0 conv=notrunc status=none
    wait $pid; st=$?; out=$(cat "$T/stdout" "$T/stderr"); rss=0
    check "rewritten (same size) while loading" 66 "big3.csv: the file was modified while it was read (same size, new modification time)" nomem
else
    wait $pid; echo "note: the load ended before the file could be rewritten: case skipped"
fi

# A value cut at 4096 bytes is said on each record's line (it was said once
# a file: a later record's cut value read as whole), serial and in blocks.
{
    printf '%s\n' "$ROW" | awk -F, -v OFS=, -v v="$(head -c 5000 /dev/zero | tr '\0' P)" '{ $6 = v; print }'
    printf '%s\n' "$ROW"
    printf '%s\n' "$ROW" | awk -F, -v OFS=, -v v="$(head -c 6000 /dev/zero | tr '\0' C)" '{ $9 = v; print }'
} > "$T/cut2.csv"
for env in "DIDQ_BLOCK_BYTES=0" "DIDQ_BLOCK_BYTES=4096"; do
    out=$(env "$env" "${C[@]}" --threads 2 "$T/cut2.csv" 2>&1)
    case $out in
    *"DIDQ104 line 1: "*"DIDQ104 line 3: "*) ok ;;
    *) bad "cut values ($env): DIDQ104 not on lines 1 and 3: $(printf '%s' "$out" | grep DIDQ104)" ;;
    esac
done

# One semicolon in a row of one field is no separator: no hint (binary rows
# with a stray ';' were said to be separated by semicolons).
printf 'abc;def\n' > "$T/stray.csv"
out=$("${C[@]}" "$T/stray.csv" 2>&1)
case $out in
*"Row has 1 field, expected 18"*"separated by"*) bad "a stray semicolon was taken for a separator" ;;
*"Row has 1 field, expected 18"*) ok ;;
*) bad "stray semicolon: unexpected report: $(printf '%s' "$out" | head -3)" ;;
esac
finish
