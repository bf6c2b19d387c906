#!/bin/bash
# keys_tmux_test.sh DIDQ: PgUp, PgDn, Home and End from a terminal whose
# terminfo does not name the bytes it sends (tui_escseq.c).  Under
# TERM=vt100 (no kpp, knp, khome, kend) PuTTY's ESC[6~ used to come as Esc,
# '[', '6', '~': back, then pane 6; End (ESC[4~) went to pane 4.  On the
# demo month, under vt100 and under xterm-256color (whose terminfo lacks
# tmux's ESC[1~ and ESC[4~), the raw bytes of each form of those keys must
# move the Records list and leave the pane as it was; a drill-down stays
# open through them and through a sequence of no key (Ctrl-Down,
# ESC[1;5B); PuTTY's F1 (ESC[11~) opens the help; Esc alone, and Esc
# followed at once by a letter (Alt+G), still go back.  Exit 77 (skipped)
# without tmux.
set -u
didq=$(realpath "$1")
. "$(dirname "$0")/tmux_lib.sh" keys
WAIT_TICKS=${WAIT_TICKS:-100} # 10 s: a key that did not act fails soon

bytes() { tmux -L "$sock" send-keys -t t -H "$@"; }
# tab: the pane's tab is the one selected, and the breadcrumb line is $2.
tab() {
    screen | sed -n 2p | grep -qF "[$1]" || fail "$TERM_NAME: not in pane '$1' ($3)"
    screen | sed -n 3p | grep -qE "^ $2 *\$" || fail "$TERM_NAME: breadcrumb is not '$2' ($3)"
}
# key NAME HEX... EXPECT-REGEX: the bytes of NAME move the Records list to
# a line matching EXPECT-REGEX, in pane 6.
key() {
    local name=$1 want=${*: -1}
    bytes "${@:2:$#-2}"
    wait_re "^ record $want of 5000\$"
    tab "6 Records" Records "$name"
}

run() {
    TERM_NAME=$1
    sock="didq-keys-$$-$1"
    tmux -L "$sock" -f /dev/null new-session -d -s t -x 100 -y 30 \
        "env TERM=$1 LC_ALL=C.UTF-8 ASAN_OPTIONS=${ASAN_OPTIONS:-} $didq --demo \
         2> $tmp/stderr-$1; echo exit=\$? > $tmp/status-$1; sleep 30"
    wait_for '[1 Overview]'
    tmux -L "$sock" send-keys -t t 6
    wait_re '^ record 1 of 5000$'
    key "PgDn ESC[6~" 1b 5b 36 7e '([2-9]|[1-9][0-9]+)'
    key "End ESC[4~" 1b 5b 34 7e 5000
    key "PgUp ESC[5~" 1b 5b 35 7e '4[0-9]{3}'
    key "Home ESC[1~" 1b 5b 31 7e 1
    key "End ESC[F" 1b 5b 46 5000
    key "Home ESC[H" 1b 5b 48 1
    key "End ESC OF" 1b 4f 46 5000
    key "Home ESC OH" 1b 4f 48 1
    key "End ESC[8~" 1b 5b 38 7e 5000
    key "Home ESC[7~" 1b 5b 37 7e 1

    # A drill-down is not closed by them, nor by a sequence of no key.
    tmux -L "$sock" send-keys -t t 3
    wait_for '[3 Validation]'
    tmux -L "$sock" send-keys -t t Enter
    wait_re '^ record 1 of 4$'
    bytes 1b 5b 36 7e
    wait_re '^ record 4 of 4$'
    tab "3 Validation" "Validation > DIDQ001 > 4 records" "PgDn in a drill-down"
    bytes 1b 5b 31 3b 35 42 # Ctrl-Down: ignored
    bytes 1b 5b 48          # then Home
    wait_re '^ record 1 of 4$'
    tab "3 Validation" "Validation > DIDQ001 > 4 records" "Ctrl-Down ignored"
    bytes 1b 5b 31 31 7e # F1 as PuTTY sends it
    wait_for 'Validation > DIDQ001 > 4 records > Help'
    tmux -L "$sock" send-keys -t t Escape # Esc alone: back
    wait_re '^ Validation > DIDQ001 > 4 records *$'
    bytes 1b 47 # Alt+G: Esc, then G
    wait_re '^ Validation *$'
    tab "3 Validation" Validation "Alt+G"

    tmux -L "$sock" send-keys -t t Q
    for _ in $(seq 100); do [ -e "$tmp/status-$1" ] && break; sleep 0.1; done
    grep -qx 'exit=0' "$tmp/status-$1" 2> /dev/null ||
        fail "$1: exit status: $(cat "$tmp/status-$1" 2> /dev/null)"
    [ -s "$tmp/stderr-$1" ] && fail "$1: stderr: $(cat "$tmp/stderr-$1")"
    tmux -L "$sock" kill-server 2> /dev/null
    echo "ok: $1: PgUp, PgDn, Home, End, F1 as raw bytes; Esc and Alt+key go back"
}

run vt100
run xterm-256color
