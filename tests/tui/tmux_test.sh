#!/bin/bash
# tmux_test.sh DIDQ: the real binary in a real terminal (tmux): opens a
# file, switches panes, drills down, quits; visits panes 7 to 9 on the
# month with planted anomalies; then again killed by SIGTERM and SIGHUP.
# Each time the terminal modes (stty -g) must be as before.
# Exit 77 (skipped) when tmux is absent.
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

# wait_for TEXT: polls the pane until TEXT shows (10 s at most).
wait_for() {
    for _ in $(seq 100); do
        tmux -L "$sock" capture-pane -p -t t 2> /dev/null | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    fail "'$1' never appeared"
}

start() {
    cat > "$tmp/run.sh" << EOS
stty -g > "$tmp/before"
"$didq" --submitted 2026-11-20 "${3:-$here/data/month.csv}"
echo "exit=\$?" > "$tmp/status"
stty -g > "$tmp/after"
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

restored() {
    wait_for READY-FOR-NEXT
    cmp -s "$tmp/before" "$tmp/after" || fail "terminal modes not restored ($1)"
    grep -q "exit=$2" "$tmp/status" || fail "exit status $(cat "$tmp/status"), want $2 ($1)"
    echo "ok: $1"
}

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
start "1 Overview" xterm-256color "$here/data/anomalies.csv"
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
echo "all ok"
