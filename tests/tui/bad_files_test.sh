#!/bin/bash
# bad_files_test.sh DIDQ: the explorer (headless, --script) on every file
# of the bad-input corpus (tests/data/bad) and on a 100 000-column row:
# a tour of the panes, a record's detail, a search and help, then the
# first site's scope and the last group's (S) with Validation and its
# first drill-down, at 100x30 and at 80x24; it must exit 0 (ASan and UBSan
# watching), within the timeout.
set -u
didq=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/tour.keys" << 'EOR'
1
2
3
<Enter>
<Enter>
<Esc>
<Esc>
4
5
6
<End>
<Right><Right><Right><Right><Right><Right><Right><Right><Right><Right><Right><Right><Right>
<Enter>
<Down><Down><PgDn>
<Esc>
/ACC<Enter>
?
<Esc>
S
<Down>
<Enter>
3
<Enter>
<Esc>
1
S
<End>
<Enter>
3
Q
EOR
ROW='9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,2018-07-02,2018-07-03,XABDO,417905003,2018-07-04,RR864,ACC0001'
{ echo "$ROW"; awk 'BEGIN { for (i = 0; i < 100000; i++) printf ",x"; print "" }'; } > "$tmp/wide.csv"
fails=0 n=0
for f in "$here"/../data/bad/* "$tmp/wide.csv"; do
    case $f in *.tsv | *.sh) continue ;; esac
    for size in 100x30 80x24; do
        n=$((n + 1))
        out=$(timeout 60 "$didq" --submitted 2018-08-01 --script "$tmp/tour.keys" --size $size "$f" 2>&1)
        st=$?
        if [ $st != 0 ]; then
            echo "FAIL: ${f##*/} at $size: exit $st"; printf '%s\n' "$out" | head -10
            fails=$((fails + 1))
        fi
    done
done
echo "$((n - fails)) of $n runs ok"
[ $fails = 0 ]
