#!/bin/bash
# computing_tmux_test.sh DIDQ: on a real terminal (tmux) the first screen
# comes before the analyses end, and what waits for them fills in by itself
# (tui_background.c): with the analyses held 6 s (DIDQ_TEST_DELAY_ANALYSES,
# a test knob), the Overview shows its per-site table and DQMI-style line as
# "computing" and pane 9 its "computing" page; without a key typed, pane 9
# then fills in, and so does the Overview.  Exit 77 (skipped) without tmux.
set -u
didq=$(realpath "$1")
. "$(dirname "$0")/tmux_lib.sh" computing

tmux -L "$sock" -f /dev/null new-session -d -s t -x 132 -y 43 \
    "env TERM=xterm-256color LC_ALL=C.UTF-8 ASAN_OPTIONS=${ASAN_OPTIONS:-} DIDQ_TEST_DELAY_ANALYSES=6000 \
     $didq --submitted 2026-11-20 $here/data/september.csv 2> $tmp/stderr; echo exit=\$? > $tmp/status; sleep 30"
wait_for 'Reporting month'
screen > "$tmp/first"
grep -q '^  DQMI-style (local): computing' "$tmp/first" || fail "the Overview's score line is not 'computing'"
grep -q '^  computing (the per-site figures' "$tmp/first" || fail "the Overview's sites are not 'computing'"
grep -qE '^  RAE01 +[0-9]' "$tmp/first" && fail "a site's row before the analyses ended"
tmux -L "$sock" send-keys -t t 9
wait_for 'Computing: the anomaly analyses'
# no key from here: the idle poll fills the pane in
wait_re '^  Sev +Site +Kind'
screen | grep -q 'omputing' && fail "still 'computing' after the analyses ended"
tmux -L "$sock" send-keys -t t 1
wait_re '^  DQMI-style \(local\) [0-9]'
screen | grep -qE '^  RAE01 +[0-9]' || fail "the Overview's sites did not fill in"
tmux -L "$sock" send-keys -t t q
for _ in $(seq 100); do [ -e "$tmp/status" ] && break; sleep 0.1; done
grep -qx 'exit=0' "$tmp/status" 2> /dev/null || fail "exit status: $(cat "$tmp/status" 2> /dev/null)"
[ -s "$tmp/stderr" ] && fail "stderr: $(cat "$tmp/stderr")"
echo "ok: computing shown, then filled in without a key"
