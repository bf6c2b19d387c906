#!/usr/bin/env bash
# layers.sh: the source tree keeps its layers (tools/layers), and the check
# notices each kind of breach in a copy of the tree.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
root=$(cd "$here/../.." && pwd)

expect "tree keeps its layers" 0 '' -- bash "$root/tools/layers" "$root"

copy() {
    rm -rf "$T/tree" && mkdir -p "$T/tree/tests" "$T/tree/tools"
    cp -r "$root/src" "$root/include" "$root/CMakeLists.txt" "$T/tree/"
    for d in "$root"/tests/*/; do
        mkdir -p "$T/tree/tests/$(basename "$d")"
        cp "$d"/*.[ch] "$T/tree/tests/$(basename "$d")/" 2>/dev/null
    done
}
copy
sed -i '1i #include "didq/session.h"' "$T/tree/src/core/base/table.c"
expect "upward include" 1 'table.c (base) includes didq/session.h of the layer above it (session)' \
    -- bash "$root/tools/layers" "$T/tree"
copy
touch "$T/tree/src/core/loose.c"
expect "file outside a layer" 1 'src/core/loose.c: not in a layer folder' \
    -- bash "$root/tools/layers" "$T/tree"
copy
mkdir "$T/tree/src/core/extra" && touch "$T/tree/src/core/extra/a.c"
expect "unknown layer folder" 1 'src/core/extra: a folder not in DIDQ_LAYERS' \
    -- bash "$root/tools/layers" "$T/tree"
copy
mv "$T/tree/src/core/base/memavail.h" "$T/tree/include/didq/"
sed -i 's/#include "memavail.h"/#include "didq\/memavail.h"/' "$T/tree"/src/core/*/*.c "$T/tree"/tests/unit/*.c
rm "$T/tree/tests/unit/test_memavail.c"
expect "public header used only inside" 1 'include/didq/memavail.h: used only inside the core' \
    -- bash "$root/tools/layers" "$T/tree"
copy
sed -i '1i #include <curses.h>' "$T/tree/src/core/model/text.c"
expect "curses in the core" 1 'text.c: the core includes curses' \
    -- bash "$root/tools/layers" "$T/tree"
finish
