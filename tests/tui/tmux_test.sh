#!/bin/bash
# tmux_test.sh DIDQ: the real binary in a real terminal (tmux): opens a
# file, switches panes, drills down, quits; visits panes 7 to 9 on the
# month with planted anomalies; then again killed by SIGTERM and SIGHUP;
# then during a load (a FIFO fed slowly): Ctrl-C, SIGTERM, SIGHUP and a
# resize; a resize at a prompt; core dumps off unless --allow-core
# (/proc/PID/limits).  Each time the terminal modes (stty -g) must be as
# before, with icanon and echo on.  Exit 77 (skipped) when tmux is absent.
# (Out of memory: oom_test.sh.)
set -u
didq=$(realpath "$1")
command -v tmux > /dev/null || { echo "tmux not installed: skipped"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
n=0
sock="didq-test-$$-$n"
cleanup() { tmux -L "$sock" kill-server 2> /dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; tmux -L "$sock" capture-pane -p -t t 2> /dev/null; exit 1; }

# wait_for TEXT: polls the pane until TEXT shows (30 s at most).
wait_for() {
    for _ in $(seq ${WAIT_TICKS:-300}); do
        tmux -L "$sock" capture-pane -p -t t 2> /dev/null | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    fail "'$1' never appeared"
}

# start TEXT [TERM]: runs the explorer in a fresh tmux server and waits for
# TEXT.  $ARGS (after --submitted) default to data/month.csv; $PRE is shell
# run first in the pane.
start() {
    cat > "$tmp/run.sh" << EOS
${PRE:-}
stty -g > "$tmp/before"
"$didq" --submitted 2026-11-20 ${ARGS:-"$here/data/month.csv"} 2> "$tmp/stderr"
echo "exit=\$?" > "$tmp/status"
stty -g > "$tmp/after"
stty -a > "$tmp/after-a"
echo READY-FOR-NEXT
sleep 30
EOS
    rm -f "$tmp/status" "$tmp/after"
    tmux -L "$sock" kill-server 2> /dev/null
    n=$((n + 1))
    sock="didq-test-$$-$n" # a fresh server each time: no race with the last one
    tmux -L "$sock" -f /dev/null new-session -d -s t -x 100 -y 30 \
        "env TERM=${2:-xterm-256color} LC_ALL=C.UTF-8 ASAN_OPTIONS=${ASAN_OPTIONS:-} bash $tmp/run.sh"
    wait_for "$1"
}

# restored WHAT STATUS [STDERR]: the explorer has exited with STATUS (and
# STDERR in its messages) and the terminal is as it was.
restored() {
    wait_for READY-FOR-NEXT
    cmp -s "$tmp/before" "$tmp/after" || fail "terminal modes not restored ($1)"
    grep -qw -- -icanon "$tmp/after-a" && fail "icanon off after $1"
    grep -qw -- -echo "$tmp/after-a" && fail "echo off after $1"
    grep -q "exit=$2\$" "$tmp/status" || fail "exit status $(cat "$tmp/status"), want $2 ($1)"
    [ -z "${3:-}" ] || grep -qF -- "$3" "$tmp/stderr" ||
        fail "stderr lacks '$3' ($1): $(cat "$tmp/stderr")"
    echo "ok: $1"
}

# The explorer of this test's pane: a child of the pane's shell (other tests
# running at the same time start didq with the same arguments).
didq_pid() { pgrep -n -P "$(tmux -L "$sock" display -p -t t '#{pane_pid}')" -f "^$didq "; }

start "1 Overview"
tmux -L "$sock" send-keys -t t 3
wait_for "DIDS001"
tmux -L "$sock" send-keys -t t s Right Right s Enter
wait_for "Validation > DIDS071 > 5 records"
tmux -L "$sock" send-keys -t t Enter
wait_for "RADIOLOGICAL_ACCESSION_NUM"
tmux -L "$sock" send-keys -t t Escape
sleep 0.2
tmux -L "$sock" send-keys -t t Escape 6
wait_for "record 1 of 404"
tmux -L "$sock" send-keys -t t Q
restored "quit with Q" 0

# Panes 7 to 9 on the month with planted anomalies, and a drill-down.
ARGS="$here/data/anomalies.csv" start "1 Overview" xterm-256color
tmux -L "$sock" send-keys -t t 7
wait_for "RT med"
tmux -L "$sock" send-keys -t t d
wait_for "Test to report, all sites"
tmux -L "$sock" send-keys -t t 8
wait_for "Records per test day, 2026-10-01 to 2026-10-31"
tmux -L "$sock" send-keys -t t 9
wait_for "restricted-code-identifiers"
tmux -L "$sock" send-keys -t t Enter
wait_for "Anomalies > activity-gap RR801 > 30 records"
tmux -L "$sock" send-keys -t t Escape q
restored "panes 7 to 9" 0

# ncurses itself keeps a few bytes of some terminfo entries (linux) to the
# end, which LeakSanitizer reports from an unnamed module: not ours.
for term in screen tmux linux vt100 xterm; do
    ASAN_OPTIONS=detect_leaks=0 start "Overview" "$term"
    tmux -L "$sock" send-keys -t t 2 q
    restored "TERM=$term" 0
done

start "1 Overview"
pkill -TERM -f "^$didq --submitted 2026-11-20" -n 2> /dev/null ||
    kill -TERM "$(pgrep -n -f "$didq --submitted")"
restored "SIGTERM" 143

start "1 Overview"
kill -HUP "$(pgrep -n -f "$didq --submitted")"
restored "SIGHUP" 129

# ---- during a load: a FIFO fed one record every 50 ms (30 s in all) ----
mkfifo "$tmp/slow.fifo"
ROW='9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2026-10-01,2026-10-02,2026-10-03,XABDO,417905003,2026-10-04,RR864,ACC1'
feed="(for i in \$(seq 600); do echo '$ROW'; sleep 0.05; done) > $tmp/slow.fifo &"
PRE=$feed ARGS="$tmp/slow.fifo" start "Loading $tmp/slow.fifo"
tmux -L "$sock" send-keys -t t C-c
restored "Ctrl-C during a load" 0 "load cancelled"

PRE=$feed ARGS="$tmp/slow.fifo" start "Loading $tmp/slow.fifo"
kill -TERM "$(didq_pid)"
restored "SIGTERM during a load" 143 "load stopped by signal 15"

PRE=$feed ARGS="$tmp/slow.fifo" start "Loading $tmp/slow.fifo"
kill -HUP "$(didq_pid)"
restored "SIGHUP during a load" 129 "load stopped by signal 1"

# Ctrl-C while the panes are prepared (seconds for 300 000 records under
# ASan, under a second for 1.5 million without): it quits there, without
# waiting for the rest.
rows=300000
[ -n "${ASAN_OPTIONS:-}" ] || rows=1500000
"$didq" synth --rows $rows --month 2026-10 -o "$tmp/big.csv"
ARGS="$tmp/big.csv" start "Preparing the panes"
tmux -L "$sock" send-keys -t t C-c
restored "Ctrl-C while the panes are prepared" 0

# A FIFO fed slowly to its end: every byte arrives (the explorer once read
# 16 bytes of it to look for a saved session, and the first record broke).
PRE="(for i in 1 2 3; do echo '$ROW' | sed s/ACC1/ACC\$i/; sleep 0.3; done) > $tmp/slow.fifo &" \
    ARGS="$tmp/slow.fifo" start "1 Overview"
tmux -L "$sock" capture-pane -p -t t | grep -q "1 file accepted  3 records" ||
    fail "the slowly fed FIFO did not give 3 clean records"
tmux -L "$sock" send-keys -t t Q
restored "a FIFO fed slowly to its end" 0

# A FIFO that no one ever writes: open() must not block where keys and
# signals go unseen.
mkfifo "$tmp/silent.fifo"
ARGS="$tmp/silent.fifo" start "Loading $tmp/silent.fifo"
tmux -L "$sock" send-keys -t t C-c
restored "Ctrl-C waiting for a FIFO writer" 0 "load cancelled"
ARGS="$tmp/silent.fifo" start "Loading $tmp/silent.fifo"
kill -TERM "$(didq_pid)"
restored "SIGTERM waiting for a FIFO writer" 143 "load stopped by signal 15"

# A resize during the load: the progress bar is redrawn at the new width
# (COLS - 4 cells), and the load still cancels.
PRE=$feed ARGS="$tmp/slow.fifo" start "Loading $tmp/slow.fifo"
tmux -L "$sock" resize-window -t t -x 130 -y 40
wait_for "$(printf '%126s' '' | tr ' ' .)"
tmux -L "$sock" send-keys -t t q
restored "resize during a load" 0 "load cancelled"

# A resize at a prompt: the screen is redrawn and the prompt stays.
start "1 Overview"
tmux -L "$sock" send-keys -t t 1 Enter
wait_for "record 1 of"
tmux -L "$sock" send-keys -t t e
wait_for "export to: "
tmux -L "$sock" resize-window -t t -x 120 -y 35
sleep 0.3
tmux -L "$sock" send-keys -t t x
wait_for "export to: didq-"
[ "$(tmux -L "$sock" display -p -t t '#{window_width}')" = 120 ] || fail "the window was not resized"
tmux -L "$sock" send-keys -t t Escape
wait_for "export cancelled"
tmux -L "$sock" send-keys -t t Q
restored "resize at a prompt" 0

# An input that cannot be read: the message comes after the terminal is back.
ARGS="$tmp/none.csv" start "READY-FOR-NEXT"
restored "a missing file" 66 "$tmp/none.csv: No such file or directory"
ARGS="$tmp" start "READY-FOR-NEXT"
restored "a directory" 66 "$tmp: is a directory"

# Standard input: the explorer's keys come from there, so it is no input.
ARGS="- < $here/data/month.csv" start "READY-FOR-NEXT"
restored "a file piped in" 64 "didq: standard input is not a terminal"
ARGS="-" start "READY-FOR-NEXT"
restored "- for standard input" 64 "not a file from standard input; name the file"

# ---- core dumps: off at start unless --allow-core ----
# (ASan turns them off itself unless disable_coredump=0.)
core_limit() { awk '/^Max core file size/ { print $5, $6 }' "/proc/$(didq_pid)/limits"; }
PRE="ulimit -c unlimited" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}disable_coredump=0" \
    start "1 Overview"
[ "$(core_limit)" = "0 0" ] || fail "core dumps not disabled: limit $(core_limit)"
tmux -L "$sock" send-keys -t t Q
restored "core dumps disabled" 0
PRE="ulimit -c unlimited" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}disable_coredump=0" \
    ARGS="--allow-core $here/data/month.csv" start "1 Overview"
[ "$(core_limit)" = "unlimited unlimited" ] || fail "--allow-core: limit $(core_limit)"
tmux -L "$sock" send-keys -t t Q
restored "--allow-core keeps them" 0
echo "all ok"
