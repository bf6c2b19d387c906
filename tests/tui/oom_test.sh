#!/bin/bash
# oom_test.sh DIDQ: running out of memory restores the terminal and exits
# 70 with a clear message, in the explorer (in tmux) and in didq check.
# A plain build runs under ulimit -v.  An AddressSanitizer build reserves
# terabytes of address space and cannot run under ulimit -v; it gets
# ASan's own limit instead (soft_rss_limit_mb with allocator_may_return_null,
# so malloc returns NULL past it, as it does at a ulimit).  Exit 77
# (skipped) without tmux.
set -u
didq=$(realpath "$1")
if ldd "$didq" 2> /dev/null | grep -q -e libasan -e libclang_rt.asan ||
    grep -qa __asan_init "$didq"; then
    # no leak report: didq_die exits without freeing, by design.  ASan
    # checks the RSS from a thread of its own every so often, so the limit
    # must be passed while allocations still come, and while no thread
    # starts (ASan's own start of a thread fails then, exit 1): the check
    # of a million here is at about 55 MB once its load's threads run and
    # 112 MB at the load's end (the input's values stay in the file, and
    # big blocks are not huge pages where the host takes them back:
    # hugepage.h), then the analyses start threads and it peaks at 340 MB;
    # 90 MB is passed in the load (300 MB, until then, was passed in the
    # analyses, and once a thread's start failed)
    LIMIT="export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:soft_rss_limit_mb=90"
else
    LIMIT="ulimit -v 200000" # a million records need about 300 MB
fi
. "$(dirname "$0")/tmux_lib.sh" oom

"$didq" synth --rows 1000000 --month 2026-10 -o "$tmp/big.csv" || fail "synth"

# didq check
(eval "$LIMIT"; "$didq" check --submitted 2026-11-01 "$tmp/big.csv" > /dev/null 2> "$tmp/err")
st=$?
[ $st = 70 ] || fail "check under '$LIMIT': exit $st, want 70: $(cat "$tmp/err")"
# an allocation, or a thread's stack (the input's mapping takes address
# space under ulimit -v too: session.h, values_in_file)
grep -q -e "^didq: out of memory (an allocation of [0-9]* bytes failed)" \
    -e "^didq: out of memory (.* could not be started: " "$tmp/err" ||
    fail "check: unclear message: $(cat "$tmp/err")"
echo "ok: didq check out of memory"

# the explorer, during the load
cat > "$tmp/run.sh" << EOR
stty -g > "$tmp/before"
$LIMIT
"$didq" --submitted 2026-11-01 "$tmp/big.csv" 2> "$tmp/stderr"
echo "exit=\$?" > "$tmp/status"
stty -g > "$tmp/after"
stty -a > "$tmp/after-a"
echo READY-FOR-NEXT
sleep 30
EOR
tmux -L "$sock" -f /dev/null new-session -d -s t -x 100 -y 30 \
    "env TERM=xterm-256color LC_ALL=C.UTF-8 ASAN_OPTIONS=${ASAN_OPTIONS:-} bash $tmp/run.sh"
for _ in $(seq 300); do
    screen | grep -q READY-FOR-NEXT && break
    sleep 0.1
done
[ -s "$tmp/status" ] || fail "the explorer did not exit under '$LIMIT'"
grep -q "exit=70$" "$tmp/status" || fail "explorer: $(cat "$tmp/status"), want exit=70"
cmp -s "$tmp/before" "$tmp/after" || fail "terminal modes not restored after out of memory"
grep -qw -- -icanon "$tmp/after-a" && fail "icanon off after out of memory"
grep -q "^didq: out of memory" "$tmp/stderr" || fail "explorer: unclear message: $(cat "$tmp/stderr")"
echo "ok: explorer out of memory"
echo "all ok"
