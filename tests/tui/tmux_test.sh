#!/bin/bash
# tmux_test.sh DIDQ: the real binary in a real terminal (tmux): opens a
# file, switches panes, drills down, quits; goes to a line, searches a
# finding code, steps through records in detail; visits panes 7 to 9 on the
# month with planted anomalies; then again killed by SIGTERM and SIGHUP;
# then during a load (a FIFO fed slowly): Ctrl-C, SIGTERM, SIGHUP and a
# resize, and Ctrl-C at --threads 1, 2 and 3; a resize at a prompt; /dev/tty as the input (refused); core dumps off unless --allow-core
# (/proc/PID/limits).  Each time the terminal modes (stty -g) must be as
# before, with icanon and echo on.  Exit 77 (skipped) when tmux is absent.
# (Out of memory: oom_test.sh.)
set -u
didq=$(realpath "$1")
. "$(dirname "$0")/tmux_lib.sh" test
n=0

# start TEXT [TERM]: runs the explorer in a fresh tmux server and waits for
# TEXT.  $ARGS (after --submitted) default to data/month.csv; $PRE is shell
# run first in the pane; $WRAP, a shell function PRE defines, runs didq
# (arguments: the stderr file, then the command).
start() {
    local redir="2> $tmp/stderr"
    [ -z "${WRAP:-}" ] || redir=
    cat > "$tmp/run.sh" << EOS
${PRE:-}
stty -g > "$tmp/before"
${WRAP:+$WRAP "$tmp/stderr" \\}
"$didq" --submitted 2026-11-20 ${ARGS:-"$here/data/month.csv"} $redir
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

# Getting around a list from a real keyboard: ':' 200 goes to line 200; '/'
# finds a finding code; n in record detail steps to the next record, Down
# past the end to the one after; Esc returns to the list at that record.
start "1 Overview"
tmux -L "$sock" send-keys -t t 6
wait_for "record 1 of 404"
tmux -L "$sock" send-keys -t t : 2 0 0 Enter
wait_for "record 200 of 404"
tmux -L "$sock" send-keys -t t / D I D S 0 1 2 Enter
wait_for "record 90 of 404   search: DIDS012"
tmux -L "$sock" send-keys -t t Enter
wait_for "Records > line 90"
tmux -L "$sock" send-keys -t t n
wait_for "Records > line 91"
tmux -L "$sock" send-keys -t t Down
wait_for "Records > line 92"
tmux -L "$sock" send-keys -t t Escape
wait_for "record 92 of 404"
tmux -L "$sock" send-keys -t t Q
restored "go to a line, search a code, step through records" 0

# Panes 7 to 9 on the month with planted anomalies, and a drill-down.
ARGS="$here/data/anomalies.csv" start "1 Overview" xterm-256color
tmux -L "$sock" send-keys -t t 7
wait_for "RT med"
tmux -L "$sock" send-keys -t t d
wait_for "Test to report, all sites"
tmux -L "$sock" send-keys -t t 8
wait_for "Records per test day, reporting month 2026-10 (31 days)"
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
kill -TERM "$(didq_pid)"
restored "SIGTERM" 143

start "1 Overview"
kill -HUP "$(didq_pid)"
restored "SIGHUP" 129

# ---- during a load: a FIFO fed one record every 50 ms (30 s in all) ----
mkfifo "$tmp/slow.fifo"
ROW='9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2026-10-01,2026-10-02,2026-10-03,XABDO,417905003,2026-10-04,RR864,ACC1'
feed="(for i in \$(seq 600); do echo '$ROW'; sleep 0.05; done) > $tmp/slow.fifo &"
PRE=$feed ARGS="$tmp/slow.fifo" start "Loading $tmp/slow.fifo"
# a pipe's size is not known: its bytes read, not "0% of 0 bytes"
screen | grep -q "bytes read (size unknown)" && ok || bad "FIFO load: size unknown not said: $(screen | sed -n 6p)"
screen | grep -q "of 0 bytes" && bad "FIFO load: '% of 0 bytes'" || ok
tmux -L "$sock" send-keys -t t C-c
restored "Ctrl-C during a load" 0 "load cancelled"

PRE=$feed ARGS="$tmp/slow.fifo" start "Loading $tmp/slow.fifo"
kill -TERM "$(didq_pid)"
restored "SIGTERM during a load" 143 "load stopped by signal 15"

PRE=$feed ARGS="$tmp/slow.fifo" start "Loading $tmp/slow.fifo"
kill -HUP "$(didq_pid)"
restored "SIGHUP during a load" 129 "load stopped by signal 1"

# The same load at each --threads setting (the default is the CPUs this
# process may use): the loading screen shows while the first block (1 MiB,
# which this FIFO never fills) is read, and Ctrl-C cancels there.
for t in 1 2 3; do
    PRE=$feed ARGS="--threads $t $tmp/slow.fifo" start "Loading $tmp/slow.fifo"
    tmux -L "$sock" send-keys -t t C-c
    restored "Ctrl-C during a load at --threads $t" 0 "load cancelled"
done

# Ctrl-C while the panes are prepared (the end of the load: under a second
# for a million records under ASan, for 3 million without, since DIDS071
# and the record store's end got faster; the screen must stay long enough
# for the 0.1 s polls to see it): it quits there, without waiting for the
# rest.
rows=1000000
[ -n "${ASAN_OPTIONS:-}" ] || rows=3000000
"$didq" synth --rows $rows --month 2026-10 -o "$tmp/big.csv"
ARGS="$tmp/big.csv" start "Preparing the panes"
tmux -L "$sock" send-keys -t t C-c
restored "Ctrl-C while the panes are prepared" 0

# A FIFO fed slowly to its end: every byte arrives (the explorer once read
# 16 bytes of it to look for a saved session, and the first record broke).
PRE="(for i in 1 2 3; do echo '$ROW' | sed s/ACC1/ACC\$i/; sleep 0.3; done) > $tmp/slow.fifo &" \
    ARGS="$tmp/slow.fifo" start "1 Overview"
screen | grep -q "1 file accepted  3 records" ||
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

# A query on a saved session that runs long (sorting 384 thousand records):
# q ends the explorer there, before the query finishes (a recursive view in
# a crafted file once made a query that never did, beyond q, Ctrl-C and
# SIGTERM; such files are now refused: cli/session_db.sh).
if command -v sqlite3 > /dev/null; then
    "$didq" synth --rows 3000 --seed 7 --month 2026-09 -o "$tmp/q.csv" 2> /dev/null
    "$didq" check --submitted 2026-10-01 --db "$tmp/q.db" "$tmp/q.csv" > /dev/null
    cols=$(sqlite3 "$tmp/q.db" "SELECT group_concat(name, ', ') FROM pragma_table_info('records') WHERE cid > 0")
    for _ in 1 2 3 4 5 6 7; do
        sqlite3 "$tmp/q.db" "INSERT INTO records SELECT id + (SELECT max(id) FROM records), $cols FROM records"
    done
    # How long the sort takes here, without keys read during it (--script):
    # the explorer looks at the keys only once a key has kept it busy for
    # half a second, so a sort shorter than 1.5 s is too close to tell.
    printf '6\n<Right><Right><Right><Right><Right><Right><Right>\ns\nQ\n' > "$tmp/sort.keys"
    "$didq" open --script "$tmp/sort.keys" --timing "$tmp/sort.ms" --size 100x30 "$tmp/q.db"
    sort_ms=$(awk -F'\t' '$1 == "s" { printf "%d", $2 }' "$tmp/sort.ms")
    if [ "${sort_ms:-0}" -lt 1500 ]; then
        echo "note: the sort took ${sort_ms:-?} ms, too short to stop (a fast machine): case skipped"
    else
        WAIT_TICKS=1200 ARGS="$tmp/q.db" start "1 Overview"
        tmux -L "$sock" send-keys -t t 6
        WAIT_TICKS=1200 wait_for "6 Records]"
        tmux -L "$sock" send-keys -t t Right Right Right Right Right Right Right
        # s, then Down and q typed at once, before the sort can end: no
        # race with its end (the test looked at the screen, then sent q,
        # which came too late when the sort ended in between), and the q
        # behind another key is seen (only the first key was looked at).
        tmux -L "$sock" send-keys -t t s Down q
        WAIT_TICKS=$((sort_ms / 50 + 300)) restored "q during a long sort of a saved session" 0 \
            "didq: query cancelled"
    fi
fi

# An input that cannot be read: the message comes after the terminal is back.
ARGS="$tmp/none.csv" start "READY-FOR-NEXT"
restored "a missing file" 66 "$tmp/none.csv: No such file or directory"
ARGS="$tmp" start "READY-FOR-NEXT"
restored "a directory" 66 "$tmp: is a directory"
# A terminal named as the input: reading it would eat the q and Ctrl-C
# that cancel the load.
ARGS="/dev/tty" start "READY-FOR-NEXT"
restored "/dev/tty as the input" 66 "/dev/tty: is a terminal, not a file"

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
# ---- the terminal: Ctrl-Z, TERM=dumb, q when too small, pastes ----
# Ctrl-Z under a shell with job control (set -m): when didq stops, the
# shell saves the terminal modes it finds and waits for $tmp/resume to fg it.
jobs='set -m
fgloop() {
    local err=$1; shift
    "$@" 2> "$err"; local st=$?
    while [ $st = 148 ]; do
        stty -g > '$tmp'/suspended
        while [ ! -e '$tmp'/resume ]; do sleep 0.1; done
        rm -f '$tmp'/resume '$tmp'/suspended
        fg; st=$?
    done
    return $st
}'
# suspended WHAT TEXT: Ctrl-Z has stopped didq with the terminal as it was
# before (the shell's modes, the explorer's screen with TEXT gone); fg.
suspended() {
    for _ in $(seq 100); do
        [ -e "$tmp/suspended" ] && break
        sleep 0.1
    done
    [ -e "$tmp/suspended" ] || fail "Ctrl-Z did not stop didq ($1)"
    sleep 0.2
    cmp -s "$tmp/suspended" "$tmp/before" || fail "terminal modes not restored while suspended ($1)"
    screen | grep -qF "$2" && fail "the screen stays while suspended ($1)"
    touch "$tmp/resume"
}
PRE=$jobs WRAP=fgloop start "1 Overview"
tmux -L "$sock" send-keys -t t C-z
suspended "the panes" "1 Overview"
wait_for "1 Overview"
tmux -L "$sock" send-keys -t t 3
wait_for "DIDS001"
tmux -L "$sock" send-keys -t t Q
restored "Ctrl-Z, then fg" 0

PRE="$jobs
$feed" WRAP=fgloop ARGS="$tmp/slow.fifo" start "Loading $tmp/slow.fifo"
tmux -L "$sock" send-keys -t t C-z
suspended "a load" "Loading"
wait_for "Loading $tmp/slow.fifo"
tmux -L "$sock" send-keys -t t C-c
restored "Ctrl-Z during a load, then fg" 0 "load cancelled"

# A terminal that cannot move the cursor: a message, not a blank screen.
start "READY-FOR-NEXT" dumb
restored "TERM=dumb" 64 "terminal type 'dumb' cannot move the cursor"

# The "too small" screen quits with q as well as Q.
start "1 Overview"
tmux -L "$sock" resize-window -t t -x 60 -y 20
wait_for "terminal too small"
tmux -L "$sock" send-keys -t t q
restored "q on the too-small screen" 0

# A bracketed paste is text: its line break does not end the prompt and
# the rest does not run as keys (m would turn masking on); outside a
# prompt a paste runs no key either.
start "1 Overview"
tmux -L "$sock" send-keys -t t 6
wait_for "record 1 of"
tmux -L "$sock" send-keys -t t /
wait_for "search:"
tmux -L "$sock" set-buffer -b p "$(printf '999\nm')"
tmux -L "$sock" paste-buffer -p -b p -t t
sleep 0.5
screen | tail -1 | grep -q "^search: 999 *$" ||
    fail "the paste did not stay in the prompt"
tmux -L "$sock" send-keys -t t Escape
tmux -L "$sock" set-buffer -b p "m"
tmux -L "$sock" paste-buffer -p -b p -t t
wait_for "a paste is not taken as keys"
screen | grep -q masking && fail "a paste ran as keys"
tmux -L "$sock" send-keys -t t Q
restored "a paste into a prompt and outside one" 0

# A terminal that hangs up while SIGHUP is ignored (nohup, a shell's trap):
# getch then fails at once, for ever; the explorer must end (as for a
# hangup, 129) rather than spin.  The pane goes away with its server.
PRE="trap '' HUP" start "1 Overview"
pid=$(didq_pid)
[ -n "$pid" ] || fail "no explorer to hang up"
tmux -L "$sock" kill-server
for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2> /dev/null; then
    cpu=$(ps -o pcpu= -p "$pid")
    kill -9 "$pid"
    echo "FAIL: still running 5 s after its terminal hung up (${cpu}% CPU)"
    exit 1
fi
echo "ok: terminal hung up, SIGHUP ignored"
echo "all ok"
