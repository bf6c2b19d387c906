# design_doc.sh: docs/design.md's tables of source files ("### `FOLDER`" and a
# row "| `FILE` | ..." per file) name every .c and .h file of src/ and
# include/didq, each under its own folder, and no file that does not exist;
# a file name in its prose is a file of src/, include/ or tests/.  The check
# is run on the tree, then on copies broken in each of those ways.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
root=$(cd "$here/../.." && pwd)

# rows DOC: FOLDER/FILE of every table row under a folder's heading.
rows() {
    awk '/^#/ { d = "" }
        /^### `(src|include)\/[a-z_\/]+`$/ { d = $2; gsub(/`/, "", d) }
        d != "" && /^\| `[a-z_0-9]+\.[ch]` \|/ { f = $2; gsub(/`/, "", f); print d "/" f }' "$1"
}

# design_check ROOT: exit 0 if ROOT/docs/design.md names exactly the source
# files of ROOT, else 1 with one line per difference.
design_check() {
    local r=$1 doc=$1/docs/design.md bad=0 f
    local have named
    have=$(cd "$r" && find src include/didq -name '*.[ch]' | sort)
    named=$(rows "$doc" | sort)
    for f in $(comm -23 <(printf '%s\n' "$have") <(printf '%s\n' "$named")); do
        echo "design.md: no row for $f"
        bad=1
    done
    for f in $(comm -13 <(printf '%s\n' "$have") <(printf '%s\n' "$named")); do
        echo "design.md: a row for $f, which does not exist"
        bad=1
    done
    for f in $(printf '%s\n' "$named" | uniq -d); do
        echo "design.md: two rows for $f"
        bad=1
    done
    # File names anywhere in the text (refdata_embed.c is made by the build).
    local known
    known=$( (cd "$r" && find src include tests -name '*.[ch]' -printf '%f\n'
        echo refdata_embed.c) | sort -u)
    for f in $(comm -23 <(grep -oE '\b[a-z_0-9]+\.[ch]\b' "$doc" | sort -u) <(printf '%s\n' "$known")); do
        echo "design.md: names $f, which is in no folder of src, include or tests"
        bad=1
    done
    return $bad
}

expect "design.md names every source file" 0 '' -- design_check "$root"

copy() {
    rm -rf "$T/tree" && mkdir -p "$T/tree/docs" "$T/tree/tests"
    cp -r "$root/src" "$root/include" "$T/tree/"
    cp "$root/docs/design.md" "$T/tree/docs/"
    for d in "$root"/tests/*/; do
        mkdir -p "$T/tree/tests/$(basename "$d")"
        cp "$d"/*.[ch] "$T/tree/tests/$(basename "$d")/" 2>/dev/null
    done
}
copy
expect "a copy of the tree" 0 '' -- design_check "$T/tree"
sed -i '/^| `pipe\.h` |/d' "$T/tree/docs/design.md"
expect "a row removed" 1 'design.md: no row for src/core/ingest/pipe.h' -- design_check "$T/tree"
copy
rm "$T/tree/src/core/ingest/pipe.h"
expect "a file removed" 1 'design.md: a row for src/core/ingest/pipe.h, which does not exist' \
    -- design_check "$T/tree"
copy
touch "$T/tree/src/tui/tui_pane_new.c"
expect "a file added" 1 'design.md: no row for src/tui/tui_pane_new.c' -- design_check "$T/tree"
copy
sed -i 's/^| `pipe\.c` |/| `pipe.h` |/' "$T/tree/docs/design.md"
expect "a row twice" 1 'design.md: two rows for src/core/ingest/pipe.h' -- design_check "$T/tree"
copy
echo 'The reader is in `bytes.c`.' >>"$T/tree/docs/design.md"
expect "an old name in the text" 1 'design.md: names bytes.c, which is in no folder' \
    -- design_check "$T/tree"
finish
