#!/bin/bash
# snap.sh DIDQ CASE.keys: runs the key script headless and compares every
# saved screen with expected/<case>/.  The case's first lines may hold
#   # args: OPTIONS FILES   (paths relative to tests/tui)
#   # check: SHELL TEST     (run in the output folder after the script)
#   # env: NAME=VALUE...    (environment for the run, e.g. LC_ALL=C)
#   # command: NAME         (a command before the options: diff for
#                             `didq diff --script ... OLD NEW`)
# UPDATE=1 copies the screens into expected/ instead of comparing (and
# removes the expected screens the case no longer saves).  Runs from any
# directory: DIDQ and CASE may be relative to the caller's.
set -u
didq=$1
case $didq in */*) didq=$(realpath "$didq") ;; esac
case_file=$(realpath "$2")
# ctest's environment, so that a run by hand draws the same screens.
export LC_ALL=C.UTF-8 TZ=UTC TERM=xterm-256color
unset NO_COLOR
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$case_file" .keys)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
args=$(sed -n 's/^# args: //p' "$case_file")
envs=$(sed -n 's/^# env: //p' "$case_file")
command=$(sed -n 's/^# command: //p' "$case_file")
sed "s|@OUT@|$out|g" "$case_file" > "$out/script.keys"
cp -r "$here/data" "$out/data"
# shellcheck disable=SC2086
(cd "$out" && env $envs "$didq" $command --script "$out/script.keys" $args) > "$out/stdout" 2> "$out/stderr"
rc=$?
if [ $rc -ne 0 ]; then
    echo "FAIL $name: exit $rc"; cat "$out/stderr"; exit 1
fi
fail=0
while IFS= read -r check; do
    if ! (cd "$out" && eval "$check"); then
        echo "FAIL $name: check failed: $check"; fail=1
    fi
done < <(sed -n 's/^# check: //p' "$case_file")
mkdir -p "$here/expected/$name"
for f in "$out"/*.txt; do
    [ -e "$f" ] || { echo "FAIL $name: no screens saved"; exit 1; }
    base=$(basename "$f")
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$f" "$here/expected/$name/$base"
    elif ! diff -u "$here/expected/$name/$base" "$f"; then
        echo "FAIL $name: $base differs"; fail=1
    fi
done
# An expected screen the case no longer saves would never be compared.
for f in "$here/expected/$name"/*; do
    [ -e "$f" ] || continue
    base=$(basename "$f")
    [ -e "$out/$base" ] && continue
    if [ "${UPDATE:-0}" = 1 ]; then
        rm "$f" && echo "removed tests/tui/expected/$name/$base: the case saves no such screen"
    else
        echo "FAIL $name: tests/tui/expected/$name/$base: the case saves no such screen"; fail=1
    fi
done
[ $fail -eq 0 ] && echo "ok $name"
exit $fail
