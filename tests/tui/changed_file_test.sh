#!/bin/bash
# changed_file_test.sh DIDQ: the explorer reads a CSV file's values back
# from the file until it has taken them into memory after the analyses
# (session.h, didq_session_take_values; tui_background.c), which the test
# knob DIDQ_TEST_DELAY_ANALYSES holds back with them.  On a real terminal
# (tmux):
# - a line appended meanwhile: once the values are taken the header says
#   FILE CHANGED, the footer why, and an export is refused (no file);
# - the file cut short meanwhile, then a key that reads its values: exit 66
#   with a message naming the file, the terminal's modes and screen as they
#   were (mapped.h's guard);
# - the file cut short once the values are taken: the explorer goes on and
#   exports every record, and a record's source line (r) is still the one
#   loaded.
# Exit 77 (skipped) without tmux.
set -u
didq=$(realpath "$1")
. "$(dirname "$0")/tmux_lib.sh" changed
keys() { tmux -L "$sock" send-keys -t t "$@"; }

# start DELAY_MS [TERM]: the explorer on $tmp/m.csv, its analyses and the
# taking of its values held DELAY_MS; its status and modes saved when it
# ends.
start() {
    tmux -L "$sock" kill-server 2> /dev/null
    rm -f "$tmp/status" "$tmp/stderr"
    cp "$here/data/september.csv" "$tmp/m.csv"
    cat > "$tmp/run.sh" << EOR
stty -g > "$tmp/before"
env DIDQ_TEST_DELAY_ANALYSES=$1 "$didq" --submitted 2026-11-20 "$tmp/m.csv" 2> "$tmp/stderr"
echo "exit=\$?" > "$tmp/status"
stty -g > "$tmp/after"
echo READY-FOR-NEXT
sleep 30
EOR
    tmux -L "$sock" -f /dev/null new-session -d -s t -x 100 -y 30 \
        "env TERM=${2:-xterm-256color} LC_ALL=C.UTF-8 ASAN_OPTIONS=${ASAN_OPTIONS:-} bash $tmp/run.sh"
    wait_for 'Reporting month'
}
ended() {
    for _ in $(seq 100); do [ -e "$tmp/status" ] && return 0; sleep 0.1; done
    fail "the explorer did not end"
}
# export_all PATH: every record of pane 1's first list, exported to PATH.
export_all() {
    keys 1 Enter e
    wait_for 'export to:'
    keys C-u "$1" Enter
}

# 1. appended to while the values are read from it, with a record list
# shown: said at once (before the analyses end), with no key typed
start 30000
keys 1 Enter
wait_for 'record 1 of 1200'
tail -1 "$tmp/m.csv" >> "$tmp/m.csv"
wait_re '^ didq  FILE CHANGED  1 file accepted'
screen | tail -1 | grep -q 'Nothing is written: a file changed while it was read' ||
    fail "no message in the footer"
keys q
export_all "$tmp/out.csv"
wait_for 'Nothing is written'
[ -e "$tmp/out.csv" ] && fail "an export was written from a changed file"
keys q q q
ended
grep -qx 'exit=0' "$tmp/status" || fail "status $(cat "$tmp/status")"
echo "ok: a file changed while its values were read: said, and no export"

# 2. cut short while the values are read from it
start 30000
truncate -s 0 "$tmp/m.csv"
keys 1 Enter
ended
grep -qx 'exit=66' "$tmp/status" || fail "status $(cat "$tmp/status"), want exit=66"
grep -qx "didq: $tmp/m.csv: the file was cut short by another program while it was read; no results" \
    "$tmp/stderr" || fail "message: $(cat "$tmp/stderr")"
cmp -s "$tmp/before" "$tmp/after" || fail "terminal modes not restored"
[ "$(tmux -L "$sock" display -p -t t '#{alternate_on}')" = 0 ] || fail "still on the alternate screen"
echo "ok: a file cut short while its values were read: exit 66, the terminal restored"

# 2b. the same on a terminal without an alternate screen whose sgr0 has
# padding (vt100: "\E[m\017$<2>"): no padding written, the message on a
# line of its own
start 30000 vt100
truncate -s 0 "$tmp/m.csv"
keys 1 Enter
ended
grep -qx 'exit=66' "$tmp/status" || fail "vt100: status $(cat "$tmp/status")"
screen | grep -qF '$<' && fail "vt100: terminfo padding written"
screen | grep -q '^READY-FOR-NEXT' || fail "vt100: the shell's next line is not at its start"
echo "ok: vt100: restored without padding"

# 3. cut short once the values are taken (the analyses ended, then a
# 157 KB copy)
start 0
wait_re '^  DQMI-style \(local\) [0-9]'
sleep 1
truncate -s 0 "$tmp/m.csv"
export_all "$tmp/all.csv"
wait_for 'wrote 1200 records'
[ "$(wc -l < "$tmp/all.csv")" = 1201 ] || fail "export: $(wc -l < "$tmp/all.csv") lines"
screen | grep -q 'FILE CHANGED' && fail "a change after the values were taken was said"
# another file in its place: a record's source line (r) is still the one
# loaded
first=$(head -1 "$here/data/september.csv" | cut -d, -f1-4)
printf 'NHS_NUMBER\n' > "$tmp/m.csv"
keys Enter r
wait_for 'Raw source line'
screen | grep -qF "$first" || fail "the source line is not the one loaded ($first)"
keys q q q
ended
grep -qx 'exit=0' "$tmp/status" || fail "status $(cat "$tmp/status")"
echo "ok: a file cut short once its values were taken: no effect"
echo "all ok"
