# The generated parts of docs/ match the tables they come from.
. "$(dirname "$0")/lib.sh"
expect docs-fresh 0 "" -- bash ../tools/gen-docs.sh "$DIDQ" --check
finish
