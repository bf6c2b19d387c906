# 'didq --version' and 'didq --help' show the version of CMakeLists.txt's
# project(VERSION) (DIDQ_VERSION comes from PROJECT_VERSION).
. "$(dirname "$0")/lib.sh"
ver=$(sed -nE 's/^project\(didq VERSION ([0-9][0-9.]*)[ )].*/\1/p' \
    "$ROOT/CMakeLists.txt")
if [ -n "$ver" ]; then ok; else bad "no project(didq VERSION ...) in CMakeLists.txt"; fi
expect version 0 "" -- test "$("$DIDQ" --version | head -1)" = "didq $ver (DIDS v1 rules)"
expect version-short 0 "" -- test "$("$DIDQ" -V | head -1)" = "didq $ver (DIDS v1 rules)"
# The second line: the default number of load threads, which follows the
# CPUs this process may use (taskset), at most 16.
if command -v taskset > /dev/null; then
    expect threads-one-cpu 0 "threads: 1 by default" -- taskset -c 0 "$DIDQ" --version
    if [ "$(nproc)" -ge 2 ]; then
        expect threads-two-cpus 0 "threads: 2 by default" -- taskset -c 0,1 "$DIDQ" --version
    fi
fi
n=$(nproc); [ "$n" -le 16 ] || n=16
expect threads-default 0 "threads: $n by default" -- "$DIDQ" --version
expect help-version 0 "didq $ver: data-quality explorer" -- "$DIDQ" --help
finish
