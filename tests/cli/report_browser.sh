#!/bin/bash
# report_browser.sh: didq report's HTML page in a real browser: headless
# chromium renders it and the picture is not blank (much larger than that of
# an empty page, and different from it).  Skipped (77) without chromium.
source "$(dirname "$0")/lib.sh"
command -v chromium > /dev/null || { echo "chromium not installed: skipped"; exit 77; }

"$DIDQ" synth --rows 2000 --month 2026-10 --defect-rate 0.05 > "$T/m.csv"
expect report 0 "" -- "$DIDQ" report --submitted 2026-11-01 -o "$T/r.html" "$T/m.csv"
printf '<!DOCTYPE html><html><head><title>x</title></head><body></body></html>\n' > "$T/empty.html"
shot() { # shot HTML PNG
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$T/chromium" --window-size=1200,3000 --screenshot="$2" \
        "file://$1" > /dev/null 2>&1
}
shot "$T/r.html" "$T/r.png"
shot "$T/empty.html" "$T/empty.png"
[ -s "$T/r.png" ] && [ -s "$T/empty.png" ] && ok || bad "chromium wrote no screenshot"
r=$(stat -c %s "$T/r.png" 2> /dev/null || echo 0)
e=$(stat -c %s "$T/empty.png" 2> /dev/null || echo 0)
# An empty 1200x3000 page compresses to a few KB; the report's text, tables
# and charts to hundreds.
[ "$r" -gt 100000 ] && [ "$r" -gt $((e * 10)) ] && ok || bad "report.png $r bytes, empty page $e"
cmp -s "$T/r.png" "$T/empty.png" && bad "the report renders as an empty page" || ok
finish
