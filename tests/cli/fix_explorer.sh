# F in the explorer (issue 18) where the loaded files are not one plain
# CSV file: several files (one fixed copy each, byte for byte didq fix's),
# a saved session (didq open) with its source still there (the same copy)
# or gone, or changed since it was checked (refused, saying why, nothing
# written), and an XML file (didq fix rewrites CSV only).
. "$(dirname "$0")/lib.sh"
S=2018-08-01
# row ACC N=V...: ROW with accession ACC and field N set to V.
row() {
    local acc=$1
    shift
    printf '%s\n' "$ROW" | awk -F, -v OFS=, -v acc="$acc" -v sets="$*" 'BEGIN { n = split(sets, s, " ") }
        { for (i = 1; i <= n; i++) { k = index(s[i], "="); $(substr(s[i], 1, k - 1)) = substr(s[i], k + 1) }
          $18 = acc; print }'
}
{ row A1 2=1; row A2; row A3 5=M 6=LS14HR; } > "$T/a.csv"
{ row B1 8=4; row B2 3=21/06/1945; } > "$T/b.csv"
$DIDQ fix --submitted $S -o "$T/a.want" "$T/a.csv" > /dev/null
$DIDQ fix --submitted $S -o "$T/b.want" "$T/b.csv" > /dev/null

# screen NAME: the last screen the key script saved (NAME.txt in $T).
screen() { cat "$T/$1.txt" 2>/dev/null; }
has() { # has NAME TEXT
    if screen "$1" | grep -qF -- "$2"; then ok; else bad "$1: screen lacks '$2'"; screen "$1" >&2; fi
}

# Two files: F asks for each OUT in turn (FILE.fixed.csv proposed).
printf '%s\n' 6 F '<Enter>' '<Enter>' ":save-screen $T/two.txt" q > "$T/two.keys"
(cd "$T" && $DIDQ --script "$T/two.keys" --size 200x30 --submitted $S "$T/a.csv" "$T/b.csv") ||
    bad "explorer on two files"
cmp -s "$T/a.fixed.csv" "$T/a.want" && ok || bad "two files: a.fixed.csv is not didq fix's copy"
cmp -s "$T/b.fixed.csv" "$T/b.want" && ok || bad "two files: b.fixed.csv is not didq fix's copy"
has two "fixed 3 values of $T/a.csv: wrote a.fixed.csv; fixed 2 values of $T/b.csv: wrote b.fixed.csv"

# A saved session whose source is still there: the same copy.
$DIDQ check --submitted $S --db "$T/a.db" "$T/a.csv" > /dev/null
rm -f "$T/a.fixed.csv"
printf '%s\n' 3 F '<Enter>' ":save-screen $T/saved.txt" q > "$T/saved.keys"
(cd "$T" && $DIDQ open --script "$T/saved.keys" --size 120x30 "$T/a.db") || bad "open saved"
cmp -s "$T/a.fixed.csv" "$T/a.want" && ok || bad "saved session: a.fixed.csv is not didq fix's copy"

# Changed since it was checked: refused, nothing written, and the
# Validation pane's Fixable says it does not know.
cp "$T/a.csv" "$T/a.keep"
row A4 >> "$T/a.csv"
rm -f "$T/a.fixed.csv"
(cd "$T" && $DIDQ open --script "$T/saved.keys" --size 120x30 "$T/a.db") || bad "open changed"
has saved "$T/a.csv has changed since it was loaded (4 records now, 3 when loaded)"
has saved "? not known: $T/a.csv has changed since it was loaded"
[ -e "$T/a.fixed.csv" ] && bad "changed source: a copy was written" || ok
# A value changed in place (same number of records): refused too.
{ row A1 2=2; row A2; row A3 5=M 6=LS14HR; } > "$T/a.csv"
(cd "$T" && $DIDQ open --script "$T/saved.keys" --size 120x30 "$T/a.db") || bad "open edited"
has saved "$T/a.csv has changed since it was loaded (line 1, column 2: another value)"
[ -e "$T/a.fixed.csv" ] && bad "edited source: a copy was written" || ok

# Gone: said, nothing written; record detail says why no fix is shown.
rm "$T/a.csv"
(cd "$T" && $DIDQ open --script "$T/saved.keys" --size 120x30 "$T/a.db") || bad "open gone"
has saved "cannot read the source file again: $T/a.csv: No such file or directory"
[ -e "$T/a.fixed.csv" ] && bad "gone source: a copy was written" || ok
printf '%s\n' 6 '<Enter>' ":save-screen $T/detail.txt" q > "$T/detail.keys"
(cd "$T" && $DIDQ open --script "$T/detail.keys" --size 160x30 "$T/a.db") || bad "open gone detail"
has detail "Findings (1); no fix shown: cannot read the source file again: $T/a.csv"
mv "$T/a.keep" "$T/a.csv"

# XML: no copy, the reason given.
$DIDQ synth --rows 3 --month 2018-07 --format xml -o "$T/x.xml"
printf '%s\n' 6 F ":save-screen $T/xml.txt" q > "$T/xml.keys"
(cd "$T" && $DIDQ --script "$T/xml.keys" --size 160x30 --submitted $S "$T/x.xml") || bad "xml"
has xml "$T/x.xml is an XML file; didq fix rewrites CSV files only"
finish
