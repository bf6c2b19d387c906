# 'didq --version' and 'didq --help' show the version of CMakeLists.txt's
# project(VERSION) (DIDQ_VERSION comes from PROJECT_VERSION).
. "$(dirname "$0")/lib.sh"
ver=$(sed -nE 's/^project\(didq VERSION ([0-9][0-9.]*)[ )].*/\1/p' \
    "$ROOT/CMakeLists.txt")
if [ -n "$ver" ]; then ok; else bad "no project(didq VERSION ...) in CMakeLists.txt"; fi
expect version 0 "" -- test "$("$DIDQ" --version)" = "didq $ver (DIDS v1 rules)"
expect version-short 0 "" -- test "$("$DIDQ" -V)" = "didq $ver (DIDS v1 rules)"
expect help-version 0 "didq $ver: data-quality explorer" -- "$DIDQ" --help
finish
