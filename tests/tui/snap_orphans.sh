#!/bin/bash
# snap_orphans.sh: every folder of expected/ belongs to a case of cases/
# (snap.sh checks the screens inside each folder); an expected screen that
# no case produces would never be compared.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fail=0
for d in "$here"/expected/*; do
    name=$(basename "$d")
    [ -e "$here/cases/$name.keys" ] && continue
    echo "FAIL: tests/tui/expected/$name: no case tests/tui/cases/$name.keys produces it"
    fail=1
done
[ $fail -eq 0 ] && echo "ok: every folder of expected/ has its case"
exit $fail
