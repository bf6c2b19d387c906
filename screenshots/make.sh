#!/bin/bash
# screenshots/make.sh [DIDQ]: renders every pane of the demo month to PNG
# (panes 1 to 9, drill-downs, record detail, help), the Changes pane of
# didq diff on two versions of it, the fixes, two months and sites, and a
# file changed while its values were read (FILE CHANGED).
# The real binary runs in tmux (132x43, xterm-256color); each screen is
# captured with its colours (tmux capture-pane -e), turned into HTML by aha
# and photographed by headless chromium.  Debian packages: tmux aha chromium
# fonts-dejavu-core.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
didq=$(realpath "${1:-$here/../build/didq}")
for tool in tmux aha chromium; do
    command -v $tool > /dev/null || { echo "needs $tool (apt-get install $tool)"; exit 1; }
done
tmp=$(mktemp -d)
sock="didq-shots-$$"
trap 'tmux -L "$sock" kill-server 2> /dev/null; rm -rf "$tmp"' EXIT
cols=132 rows=43
# The demo month is last month; submitted on the 6th of this month, as a
# provider would, so the dates after submission rules fire only on defects.
submitted=$(date -u +%Y-%m-06)

tmux -L "$sock" -f /dev/null new-session -d -s s -x $cols -y $rows \
    "env TERM=xterm-256color LC_ALL=C.UTF-8 $didq --demo --submitted $submitted; sleep 5"
wait_for() {
    for _ in $(seq 100); do
        tmux -L "$sock" capture-pane -p -t s | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    echo "'$1' never appeared"; exit 1
}
shot() { # shot NAME KEYS... : sends keys, waits for TEXT, renders NAME.png
    local name=$1 text=$2
    shift 2
    [ $# -gt 0 ] && tmux -L "$sock" send-keys -t s "$@"
    wait_for "$text"
    sleep 0.3
    tmux -L "$sock" capture-pane -e -p -t s > "$tmp/$name.ans"
    aha --black --title "didq $name" < "$tmp/$name.ans" |
        sed 's|<pre>|<pre style="font-family: DejaVu Sans Mono, monospace; font-size: 14px; line-height: 17px; margin: 8px">|' \
        > "$tmp/$name.html"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --window-size=$((cols * 85 / 10 + 16)),$((rows * 17 + 16)) \
        --screenshot="$here/$name.png" "file://$tmp/$name.html" > /dev/null 2>&1
    echo "$here/$name.png"
}
wait_for "1 Overview"
shot 1-overview "Rules that fail most"
shot 2-completeness "National %" 2
shot 3-validation "DIDS001" 3
shot 3b-validation-drill "record 1 of" Right Right s Enter
shot 3c-record-detail "Findings (" Enter r
shot 4-duplicates "Accession" Escape Escape 4
shot 4b-duplicate-group "values differ" Enter
shot 5-settings "GP ref 03" 5
shot 6-records "record 1 of 5000" 6
shot 7-timeliness "RT med" 7
shot 8-coverage "Records per test day" 8
shot 9-anomalies "restricted-code-identifiers" 9
shot 9b-anomaly-drill "Anomalies > activity-gap RR801 >" Down Enter
shot help "Everywhere" Escape '?'
# Notes (issue 18): a on a rule's record list, the notes file asked for
# (no --notes given), then the Notes column at the right of the list.
tmux -L "$sock" send-keys -t s Escape 3 Down Down Down Down Enter
wait_for "record 1 of"
tmux -L "$sock" send-keys -t s a
wait_for "notes file"
tmux -L "$sock" send-keys -t s C-u "$tmp/notes.csv" Enter Enter Enter "known: PAS sends a temporary number" Enter
wait_for "written to"
right=()
for _ in $(seq 22); do right+=(Right); done
shot 6b-notes "Notes" "${right[@]}"
tmux -L "$sock" send-keys -t s Escape Q

# didq diff: the Changes pane, on two synthetic versions of the demo's month
# (the resubmission, NEW, has fewer defects than OLD).
month=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)
"$didq" synth --rows 5000 --seed 2024 --month "$month" --defect-rate 0.04 -o "$tmp/old.csv"
"$didq" synth --rows 5000 --seed 2024 --month "$month" --defect-rate 0.02 -o "$tmp/new.csv"
tmux -L "$sock" kill-server 2> /dev/null || true
sock="didq-shots-diff-$$"
tmux -L "$sock" -f /dev/null new-session -d -s s -x $cols -y $rows \
    "cd $tmp && env TERM=xterm-256color LC_ALL=C.UTF-8 $didq diff --submitted $submitted old.csv new.csv; sleep 5"
wait_for "1 Overview"
shot 10-changes "rule DIDS" C
shot 10b-changed-record "(in OLD)" Down Down Enter Enter
tmux -L "$sock" send-keys -t s Q

# didq report: the HTML page of the old version of the month, in chromium
# (1200x3000, the top of the page).
"$didq" report --submitted "$submitted" -o "$tmp/report.html" "$tmp/old.csv"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,3000 \
    --screenshot="$here/report.png" "file://$tmp/report.html" > /dev/null 2>&1
echo "$here/report.png"

# didq fix in the explorer (issue 18), on the old version of the month (a
# file: the demo month in memory has no file to fix): the Validation pane's
# Fixable column, a finding's fix in record detail (a DIDS021 record from
# didq fix's log) and F's question naming OUT (cancelled: nothing written).
"$didq" fix --submitted "$submitted" -o "$tmp/fixed.csv" --log "$tmp/fix.log" "$tmp/old.csv" > /dev/null
line=$(awk -F, '$6 == "DIDS021" { print $1; exit }' "$tmp/fix.log")
tmux -L "$sock" kill-server 2> /dev/null || true
sock="didq-shots-fix-$$"
tmux -L "$sock" -f /dev/null new-session -d -s s -x $cols -y $rows \
    "cd $tmp && env TERM=xterm-256color LC_ALL=C.UTF-8 $didq --submitted $submitted old.csv; sleep 5"
wait_for "1 Overview"
shot 3d-validation-fixable "Fixable:" 3
shot 3e-record-fix "fix: " 6 : "$line" Enter Enter
shot 3f-fix-confirm "fixed copy of" Escape F
tmux -L "$sock" send-keys -t s Escape Q

# Two months (issue 17) and sites (issue 21): the month before the old
# version as well; the Months pane, the Sites pane, the site scope's
# picker (S) and the Overview of one site.
prev=$(date -u -d "$(date -u +%Y-%m-01) -2 month" +%Y-%m)
"$didq" synth --rows 5000 --seed 7 --month "$prev" --defect-rate 0.03 -o "$tmp/prev.csv"
tmux -L "$sock" kill-server 2> /dev/null || true
sock="didq-shots-months-$$"
tmux -L "$sock" -f /dev/null new-session -d -s s -x $cols -y $rows \
    "cd $tmp && env TERM=xterm-256color LC_ALL=C.UTF-8 $didq --submitted $submitted prev.csv old.csv; sleep 5"
wait_for "1 Overview"
shot 0-months "Rec/wkday" 0
shot 11-sites "DQMI-style (local)" W
shot 12-site-picker "type to narrow" S
shot 12b-site-scope " site R" Down Enter 1
tmux -L "$sock" send-keys -t s Q


# A file changed on disk while the explorer still read its values back from
# it (docs/robustness.md, "Values read back from the file"): the old version
# of the month, its analyses (and with them the copy of its values) held
# by the test knob DIDQ_TEST_DELAY_ANALYSES, a line appended meanwhile.
cp "$tmp/old.csv" "$tmp/changing.csv"
tmux -L "$sock" kill-server 2> /dev/null || true
sock="didq-shots-changed-$$"
tmux -L "$sock" -f /dev/null new-session -d -s s -x $cols -y $rows \
    "cd $tmp && env TERM=xterm-256color LC_ALL=C.UTF-8 DIDQ_TEST_DELAY_ANALYSES=60000 $didq --submitted $submitted changing.csv; sleep 5"
wait_for "1 Overview"
tmux -L "$sock" send-keys -t s 6
wait_for "record 1 of"
tail -1 "$tmp/changing.csv" >> "$tmp/changing.csv"
shot 13-file-changed "FILE CHANGED"
tmux -L "$sock" send-keys -t s Q
