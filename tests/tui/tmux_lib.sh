# tmux_lib.sh NAME: what the explorer's tmux tests share, sourced after
# `set -u` with didq set: exit 77 (skipped) without tmux; here (this
# folder), tmp (a fresh folder) and sock (a tmux server of their own,
# didq-NAME-PID; a test may name another), both removed at exit; screen
# (the pane's text), fail MESSAGE (says it, shows the pane, exits 1), and
# wait_for TEXT / wait_re REGEX (poll the pane every 0.1 s until it shows,
# WAIT_TICKS times: 30 s by default).
command -v tmux > /dev/null || { echo "tmux not installed: skipped"; exit 77; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
sock="didq-$1-$$"
cleanup() { tmux -L "$sock" kill-server 2> /dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
screen() { tmux -L "$sock" capture-pane -p -t t 2> /dev/null; }
fail() { echo "FAIL: $*"; screen; exit 1; }
# wait_until GREP-OPTION PATTERN
wait_until() {
    for _ in $(seq "${WAIT_TICKS:-300}"); do
        screen | grep -q "$1" -- "$2" && return 0
        sleep 0.1
    done
    fail "'$2' never appeared"
}
wait_for() { wait_until -F "$1"; }
wait_re() { wait_until -E "$1"; }
