#!/bin/bash
# docs_test.sh DIDQ: docs/didq.1 and docs/keys.md match the keymap
# (regenerated into a copy and compared), and every key of the keymap is
# in the help screen the explorer draws.
set -u
didq=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/docs" "$tmp/refdata/tui"
cp "$root/refdata/tui/keys.csv" "$tmp/refdata/tui/"
bash "$root/tools/gen-keydocs.sh" "$tmp" || exit 1
fail=0
for f in didq.1 keys.md; do
    diff -u "$root/docs/$f" "$tmp/docs/$f" || { echo "FAIL: docs/$f is stale: run tools/gen-keydocs.sh"; fail=1; }
done
"$didq" --keys | cut -f1 | sort -u > "$tmp/keys"
printf '?\n:save-screen %s/h1.txt\n<PgDn>\n:save-screen %s/h2.txt\n<PgDn>\n:save-screen %s/h3.txt\n' \
    "$tmp" "$tmp" "$tmp" > "$tmp/script"
(cd "$root/tests/tui" && TERM=xterm "$didq" --script "$tmp/script" --size 100x60 \
    --submitted 2026-11-20 data/month.csv) || { echo "FAIL: explorer"; exit 1; }
while read -r k; do
    grep -qF -- "$k" "$tmp"/h?.txt || { echo "FAIL: key $k not in the help screen"; fail=1; }
done < "$tmp/keys"
[ $fail -eq 0 ] && echo "ok: man page, keys.md and help match the keymap"
exit $fail
