#!/bin/bash
# diff_tmux_test.sh DIDQ: `didq diff OLD NEW` in a real terminal (tmux)
# opens the explorer on NEW with the Changes pane (the choice --script
# skips: standard input and output are a terminal), C shows its counts, q
# quits with the terminal as it was; with standard output not a terminal
# the same command writes the text report.  Exit 77 (skipped) when tmux is
# absent.
set -u
didq=$(realpath "$1")
. "$(dirname "$0")/tmux_lib.sh" diff-test
old=$here/data/diff-old.csv new=$here/data/diff-new.csv
cat > "$tmp/run.sh" << EOS
stty -g > "$tmp/before"
"$didq" diff --submitted 2018-08-01 "$old" "$new" 2> "$tmp/stderr"
echo "exit=\$?" > "$tmp/status"
stty -g > "$tmp/after"
echo READY-FOR-NEXT
sleep 30
EOS
tmux -L "$sock" -f /dev/null new-session -d -s t -x 100 -y 34 \
    "env TERM=xterm-256color LC_ALL=C.UTF-8 ASAN_OPTIONS=${ASAN_OPTIONS:-} bash $tmp/run.sh"
wait_for "[1 Overview]"
wait_for " C Chan" # the tabs cut to the longest prefix that fits
tmux -L "$sock" send-keys -t t C
wait_for "records removed (in OLD only)                2        2"
wait_for "findings remaining (records in both)         4        4"
tmux -L "$sock" send-keys -t t q
wait_for READY-FOR-NEXT
[ "$(cat "$tmp/status")" = exit=0 ] || fail "status $(cat "$tmp/status"), want exit=0"
cmp -s "$tmp/before" "$tmp/after" || fail "terminal modes not restored"
[ ! -s "$tmp/stderr" ] || fail "stderr: $(cat "$tmp/stderr")"
# Standard output not a terminal: the report, exit 1 (the files differ).
out=$("$didq" diff --submitted 2018-08-01 "$old" "$new" < /dev/null)
[ $? = 1 ] || fail "report: exit status not 1"
printf '%s\n' "$out" | grep -qF "records: 4 added, 2 removed, 5 changed, 8 unchanged" ||
    fail "report: counts"
echo "ok diff in a terminal"
