# didq reads and writes numbers with a decimal point whatever the user's
# locale: under a locale whose decimal separator is a comma (de_DE), the
# built-in thresholds still parse, and the text, JSON and CSV outputs are
# byte for byte those of the C locale.  The locale is made with localedef
# (Debian package locales); without it the test is skipped (exit 77), except
# in CI, where .ci/run installs it.
. "$(dirname "$0")/lib.sh"
if ! command -v localedef >/dev/null || [ ! -e /usr/share/i18n/locales/de_DE ]; then
    echo "skipped: no localedef or no de_DE locale source (Debian package locales)"
    if [ -n "${CI:-}" ]; then exit 1; fi
    exit 77
fi
mkdir "$T/loc"
localedef -i de_DE -f UTF-8 "$T/loc/de_DE.UTF-8" 2>/dev/null
# localedef warns (exit 1) on some hosts but still writes the locale.
[ -e "$T/loc/de_DE.UTF-8" ] && ok || bad "localedef made no de_DE.UTF-8"
de() { LOCPATH="$T/loc" LC_ALL=de_DE.UTF-8 "$@"; }
# The locale is real: its decimal separator is a comma.
expect locale-comma 0 "0,5" -- de env printf '%.1f\n' 0.5

"$DIDQ" synth --rows 400 --seed 7 -o "$T/m.csv" >/dev/null 2>&1
for fmt in text json; do
    "$DIDQ" check --submitted 2018-08-01 --format $fmt --findings "$T/c.$fmt.csv" \
        "$T/m.csv" > "$T/c.$fmt" 2>&1
    want=$?
    de "$DIDQ" check --submitted 2018-08-01 --format $fmt --findings "$T/d.$fmt.csv" \
        "$T/m.csv" > "$T/d.$fmt" 2>&1
    got=$?
    [ "$got" = "$want" ] && ok || bad "check $fmt: exit $got under de_DE, $want under C"
    cmp -s "$T/c.$fmt" "$T/d.$fmt" && ok || { bad "check $fmt differs under de_DE";
        diff "$T/c.$fmt" "$T/d.$fmt" | head -5 >&2; }
    cmp -s "$T/c.$fmt.csv" "$T/d.$fmt.csv" && ok || bad "findings CSV differs under de_DE"
done
# A thresholds file is read with a decimal point too.
printf 'kind,threshold\nsetting-other-default,0.25\n' > "$T/th.csv"
"$DIDQ" check --submitted 2018-08-01 --thresholds "$T/th.csv" "$T/m.csv" > "$T/c.th" 2>&1
de "$DIDQ" check --submitted 2018-08-01 --thresholds "$T/th.csv" "$T/m.csv" > "$T/d.th" 2>&1
cmp -s "$T/c.th" "$T/d.th" && ok || { bad "--thresholds differs under de_DE"; head -3 "$T/d.th" >&2; }
grep -q "not a number" "$T/d.th" && bad "--thresholds refused under de_DE" || ok
finish
