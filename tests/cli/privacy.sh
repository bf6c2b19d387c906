# Privacy: outputs are 0600 whatever the umask, written atomically (no
# temporary file left, a symlink at the target replaced, never followed),
# never overwritten without --force; no raw ESC from the data or a file
# name reaches stdout or stderr (text, JSON, findings).
. "$(dirname "$0")/lib.sh"
C="$DIDQ check --submitted 2018-08-01"
printf '%s\n' "$ROW" > "$T/ok.csv"
umask 000

mode() { stat -c %a "$1"; }
$C --findings "$T/f.csv" --db "$T/s.db" "$T/ok.csv" > /dev/null
[ $? = 0 ] && ok || bad "check with --findings and --db"
[ "$(mode "$T/f.csv")" = 600 ] && ok || bad "findings file is $(mode "$T/f.csv") under umask 000"
[ "$(mode "$T/s.db")" = 600 ] && ok || bad "session file is $(mode "$T/s.db") under umask 000"
$DIDQ synth --rows 3 -o "$T/m.csv" && [ "$(mode "$T/m.csv")" = 600 ] && ok || bad "synth output not 0600"

cp "$T/f.csv" "$T/f.orig"
expect findings-no-overwrite 73 "$T/f.csv: exists (use --force to overwrite)" -- $C --findings "$T/f.csv" "$T/ok.csv"
expect db-no-overwrite 73 "$T/s.db: exists (use --force to overwrite)" -- $C --db "$T/s.db" "$T/ok.csv"
expect synth-no-overwrite 73 "$T/m.csv: exists (use --force to overwrite)" -- $DIDQ synth --rows 3 -o "$T/m.csv"
cmp -s "$T/f.csv" "$T/f.orig" && ok || bad "a refused overwrite changed the file"

# --force replaces a symlink at the target; the file it points to is untouched.
echo "precious" > "$T/precious"
ln -s "$T/precious" "$T/link.csv"
expect force-symlink 0 "" -- $C --force --findings "$T/link.csv" "$T/ok.csv"
[ "$(cat "$T/precious")" = precious ] && ok || bad "--force wrote through a symlink"
[ -f "$T/link.csv" ] && [ ! -L "$T/link.csv" ] && [ "$(mode "$T/link.csv")" = 600 ] && ok ||
    bad "--force did not replace the symlink with a 0600 file"
expect force-db 0 "" -- $C --force --db "$T/s.db" "$T/ok.csv"
[ "$(mode "$T/s.db")" = 600 ] && ok || bad "overwritten session file not 0600"
ls -A "$T" | grep -q '^\..*\.[A-Za-z0-9]\{6\}$' && bad "temporary file left: $(ls -A "$T")" || ok

# Devices and FIFOs are written in place, never renamed over; a session is
# never saved to one (its file would be renamed over /dev/null).
mkfifo "$T/ff"
expect db-to-fifo 73 "$T/ff: is a FIFO; a session is saved to a regular file" \
    -- $C --force --db "$T/ff" "$T/ok.csv"
[ -p "$T/ff" ] && ok || bad "--db replaced a FIFO"
expect findings-dev-null 0 "" -- $C --findings /dev/null "$T/ok.csv"
[ -c /dev/null ] && ok || bad "/dev/null is no longer a device"
if [ -c /dev/full ]; then
    expect findings-full 73 "/dev/full: No space left on device" -- $C --findings /dev/full "$T/ok.csv"
    expect report-full 73 "didq: standard output: No space left on device" -- sh -c "$C '$T/ok.csv' > /dev/full"
    expect rules-full 73 "didq: standard output" -- sh -c "$DIDQ rules > /dev/full"
    expect synth-full 73 "/dev/full: No space left on device" -- $DIDQ synth --rows 3 -o /dev/full
fi

# SIGTERM while the session is being saved: no partial copy is left.
$DIDQ synth --rows 200000 --month 2018-07 -o "$T/m200.csv"
# signal_while_saving NAME SIGNAL STATUS [PREFIX...]: saves a session into
# the empty folder $T/NAME (the command after PREFIX), sends SIGNAL once the
# temporary file is there, and wants exit STATUS and nothing left behind.
signal_while_saving() {
    local name=$1 sig=$2 want=$3 pid seen=0 st
    shift 3
    mkdir "$T/$name"
    "$@" $C --db "$T/$name/s.db" "$T/m200.csv" > /dev/null &
    pid=$!
    for _ in $(seq 3000); do
        ls -A "$T/$name" | grep -q '^\.s\.db\.' && { seen=1; break; }
        kill -0 $pid 2> /dev/null || break
        sleep 0.01
    done
    if [ $seen = 0 ]; then
        wait $pid
        echo "note: the save ended before it could be interrupted: case skipped"
        return
    fi
    kill -"$sig" $pid
    wait $pid
    st=$?
    [ $st = "$want" ] && ok || bad "SIG$sig while saving: exit $st, want $want"
    [ -z "$(ls -A "$T/$name")" ] && ok || bad "SIG$sig while saving left: $(ls -A "$T/$name")"
}
signal_while_saving save TERM 143

# No output is ever an input, with or without --force: the same name, another
# name of the same file (./, a symbolic or hard link), standard input, a
# --thresholds file.  Refused before the load, exit 73, the input unchanged.
cp "$T/ok.csv" "$T/in.csv"
cp "$T/in.csv" "$T/in.orig"
ln -s in.csv "$T/in-sym.csv"
ln "$T/in.csv" "$T/in-hard.csv"
expect findings-is-input 73 "$T/in.csv: is an input file; an output never replaces an input" \
    -- $C --force --findings "$T/in.csv" "$T/in.csv"
expect db-is-input 73 "$T/./in.csv: is the input file $T/in.csv" -- $C --force --db "$T/./in.csv" "$T/in.csv"
expect findings-symlink-input 73 "in-sym.csv: is the input file" -- $C --force --findings "$T/in-sym.csv" "$T/in.csv"
expect db-hardlink-input 73 "in-hard.csv: is the input file" -- $C --force --db "$T/in-hard.csv" "$T/in.csv"
expect stdin-is-input 73 "$T/in.csv: is the input file (stdin)" \
    -- sh -c "$C --force --findings '$T/in.csv' - < '$T/in.csv'"
expect thresholds-is-input 73 "$T/in.csv: is an input file" \
    -- $C --force --thresholds "$T/in.csv" --findings "$T/in.csv" "$T/ok.csv"
expect stdout-is-input 73 "/dev/stdout: is the input file" \
    -- sh -c "$C --findings /dev/stdout '$T/in.csv' >> '$T/in.csv'"
# The explorer's key script and --timing are outputs too: a screen saved
# over the submission, the script or a file that cannot be made stops the
# script with exit 73 (they replaced the file, or failed with exit 0).
printf '6\n:save-screen %s\n' "$T/in.csv" > "$T/over.keys"
expect save-screen-is-input 73 ":save-screen $T/in.csv: is an input file" \
    -- $DIDQ --script "$T/over.keys" "$T/in.csv"
printf '6\n:save-screen %s\n' "$T/self.keys" > "$T/self.keys"
cp "$T/self.keys" "$T/self.orig"
expect save-screen-is-script 73 ":save-screen $T/self.keys: is an input file" \
    -- $DIDQ --script "$T/self.keys" "$T/in.csv"
cmp -s "$T/self.keys" "$T/self.orig" && ok || bad "a saved screen replaced the key script"
printf '6\n:save-screen %s\n' "$T/no/such/dir/s.txt" > "$T/nodir.keys"
expect save-screen-no-dir 73 ":save-screen $T/no/such/dir/s.txt: No such file or directory" \
    -- $DIDQ --script "$T/nodir.keys" "$T/in.csv"
printf '6\n' > "$T/t.keys"
expect timing-is-input 73 "$T/in.csv: is an input file" \
    -- $DIDQ --script "$T/t.keys" --timing "$T/in.csv" "$T/in.csv"
expect timing-is-script 73 "$T/t.keys: is an input file" \
    -- $DIDQ --script "$T/t.keys" --timing "$T/t.keys" "$T/in.csv"
cmp -s "$T/in.csv" "$T/in.orig" && [ -L "$T/in-sym.csv" ] && ok || bad "an output replaced an input"
# A file of the --refdata folder is an input too, whether the folder
# recognises it or not; the refusal comes before the submission is read.
mkdir "$T/rd"
cp data/refdata/set/etr.csv "$T/rd/etr.csv"
printf 'a,b\n1,2\n' > "$T/rd/notes.csv"
cp "$T/rd/etr.csv" "$T/rd/etr.orig"
cp "$T/rd/notes.csv" "$T/rd/notes.orig"
expect refdata-file-is-input 73 "$T/rd/etr.csv: is an input file" \
    -- $C --force --refdata "$T/rd" --findings "$T/rd/etr.csv" "$T/ok.csv"
expect refdata-other-file-is-input 73 "$T/rd/notes.csv: is an input file" \
    -- $C --force --refdata "$T/rd" --db "$T/rd/notes.csv" "$T/ok.csv"
cmp -s "$T/rd/etr.csv" "$T/rd/etr.orig" && cmp -s "$T/rd/notes.csv" "$T/rd/notes.orig" && ok ||
    bad "an output replaced a reference data file"

# A FIFO with no reader is refused at once (open would wait for ever); with
# a reader it gets the findings.
mkfifo "$T/nor"
expect findings-fifo-no-reader 73 "$T/nor: a FIFO that no program is reading; start the reader first" \
    -- timeout 30 $C --findings "$T/nor" "$T/ok.csv"
cat "$T/nor" > "$T/nor.out" &
# until cat has the FIFO open, the check is refused as above (nothing written)
for _ in $(seq 100); do
    timeout 30 $C --findings "$T/nor" "$T/ok.csv" > /dev/null 2> "$T/nor.err"
    st=$?
    [ "$st" = 73 ] && grep -q "no program is reading" "$T/nor.err" || break
    sleep 0.05
done
[ "$st" = 0 ] && ok || { bad "findings-fifo-reader: exit $st"; exec 3> "$T/nor"; exec 3>&-; }
wait
grep -q '^file,line,' "$T/nor.out" && ok || bad "the FIFO's reader got no findings"

# The explorer's exports: a FIFO, a terminal, an input are refused (an
# open() of the FIFO would block the explorer); the raw line of a record
# read from a FIFO is said to be unavailable (re-opening it would block).
mkfifo "$T/in.fifo" "$T/out.fifo"
cat > "$T/exp.keys" << EOK
1
<Enter>
e
<C-u>$T/out.fifo<Enter>
:save-screen $T/exp-fifo.txt
e
<C-u>/dev/tty<Enter>
:save-screen $T/exp-tty.txt
e
<C-u>$T/in.fifo<Enter>
:save-screen $T/exp-input.txt
<Enter>
r
:save-screen $T/raw.txt
Q
EOK
{ printf '%s\n' "$ROW"; printf '%s\n' "$ROW" | sed 's/,RR864,ACC0001/,XX,ACC0002/'; } > "$T/in.fifo" &
timeout 60 $DIDQ --submitted 2018-08-01 --script "$T/exp.keys" --size 100x30 "$T/in.fifo" > /dev/null 2>&1
st=$?
wait
[ $st = 0 ] && ok || bad "explorer exports to a FIFO: exit $st (124: blocked)"
grep -qF "export refused: $T/out.fifo: is a FIFO; exports go to regular files only" "$T/exp-fifo.txt" 2> /dev/null &&
    ok || bad "export to a FIFO not refused: $(tail -1 "$T/exp-fifo.txt" 2> /dev/null)"
grep -qF "export refused: /dev/tty: is a device" "$T/exp-tty.txt" 2> /dev/null && ok ||
    bad "export to /dev/tty not refused: $(tail -1 "$T/exp-tty.txt" 2> /dev/null)"
grep -qF "in.fifo: is an input file" "$T/exp-input.txt" 2> /dev/null && ok ||
    bad "export over the input not refused: $(tail -1 "$T/exp-input.txt" 2> /dev/null)"
grep -qF "(not available: the file was a pipe or device, read once)" "$T/raw.txt" 2> /dev/null && ok ||
    bad "raw line of a FIFO record: $(grep -A1 'Raw source' "$T/raw.txt" 2> /dev/null)"
[ -p "$T/out.fifo" ] && ok || bad "the FIFO export target was replaced"

# SIGQUIT (Ctrl-\) while the session is saved removes the temporary file,
# as SIGTERM does.  (A shell's background job starts with SIGQUIT ignored,
# which didq leaves ignored: env --default-signal gives it the default.)
DEFQ=
env --default-signal=QUIT true 2> /dev/null && DEFQ="env --default-signal=QUIT"
signal_while_saving quit QUIT 131 $DEFQ

# SIGKILL (or the OOM killer) cannot be caught.  An export or synth -o is
# an unnamed O_TMPFILE until complete: nothing is left.  The session's
# SQLite file needs a name: it is left, and removed by the next write to
# the folder; a temporary file that a live process holds (flock) is kept.
mkdir "$T/kill"
$DIDQ synth --rows 3000000 --month 2018-07 -o "$T/kill/m.csv" &
pid=$!
seen=0
for _ in $(seq 3000); do
    ls -A "$T/kill" | grep -q . && { seen=1; break; }
    for fd in /proc/$pid/fd/*; do
        case $(readlink "$fd" 2> /dev/null) in "$T/kill/"*) seen=1 ;; esac
    done
    [ $seen = 1 ] && break
    kill -0 $pid 2> /dev/null || break
    sleep 0.01
done
if [ $seen = 1 ]; then
    sleep 0.3
    kill -KILL $pid
    wait $pid
    [ -z "$(ls -A "$T/kill")" ] && ok || bad "SIGKILL during synth -o left: $(ls -A "$T/kill")"
else
    wait $pid
    echo "note: synth ended before it could be killed: case skipped"
fi
$C --db "$T/kill/s.db" "$T/m200.csv" > /dev/null &
pid=$!
seen=0
for _ in $(seq 3000); do
    ls -A "$T/kill" | grep -q '^\.s\.db\.' && { seen=1; break; }
    kill -0 $pid 2> /dev/null || break
    sleep 0.01
done
if [ $seen = 1 ]; then
    kill -KILL $pid
    wait $pid
    ls -A "$T/kill" | grep -q '^\.s\.db\.didq-' && ok || bad "the killed save's file is not named .s.db.didq-*: $(ls -A "$T/kill")"
    : > "$T/kill/.held.csv.didq-abc123"
    flock "$T/kill/.held.csv.didq-abc123" sleep 30 &
    holder=$!
    sleep 0.2
    expect next-write 0 "" -- $C --findings "$T/kill/f.csv" "$T/ok.csv"
    [ "$(ls -A "$T/kill" | tr '\n' ' ')" = ".held.csv.didq-abc123 f.csv " ] && ok ||
        bad "after the next write the folder holds: $(ls -A "$T/kill")"
    kill $holder
    wait $holder 2> /dev/null
else
    wait $pid
    echo "note: the save ended before it could be killed: case skipped"
fi

# Escapes: in the data (cursor, screen clear, title, OSC 52 clipboard) and
# in a file name; every output format, stdout and stderr.
H=data/bad/escape-sequences.csv
# noesc NAME STATUS command...: the exit status (so that the file was read)
# and no raw ESC or BEL in stdout and stderr.
noesc() {
    local name=$1 want=$2
    shift 2
    "$@" > "$T/out" 2>&1
    local st=$?
    [ "$st" = "$want" ] && ok || { bad "$name: exit $st, want $want"; head -3 "$T/out" >&2; }
    if LC_ALL=C grep -q $'\x1b' "$T/out"; then bad "$name: raw ESC in the output"; else ok; fi
    if LC_ALL=C grep -q $'\x07' "$T/out"; then bad "$name: raw BEL in the output"; else ok; fi
}
noesc text 1 $C $H
noesc json 1 $C --format json $H
noesc findings 1 $C --findings - $H
noesc findings-masked 1 $C --mask --findings - $H
EVIL="$T/"$'\e]0;pwned\a\e[2J'"evil.csv"
cp "$H" "$EVIL"
noesc name-text 1 $C "$EVIL"
noesc name-findings 1 $C --findings - "$EVIL"
noesc name-json 1 $C --format json "$EVIL"
noesc name-missing 66 $C "$EVIL.missing"
expect name-missing-shown 66 "^[]0;pwned^G^[[2Jevil.csv.missing: No such file" -- $C "$EVIL.missing"
expect escaped-value 1 'ACC^[[2J^[[H^[]0;pwned^G^[]52;c;aGVsbG8=^G^[[31mred' -- $C --findings - $H
grep -qF '\u001b]0;pwned\u0007' <($C --format json "$EVIL") && ok || bad "JSON does not escape ESC as \\u001b"

# Masking works on the trimmed value: fixed-width exports pad identifiers on
# the right, and the padding is not the postcode's space.  A value that does
# not parse is masked whole (docs/usage.md): a birth date written day first
# used to keep its first two characters, the day of birth (22/08/1963 as
# 22********), and so did an NHS number or postcode in a form not its own.
printf '%s\n' "$ROW" | sed 's/LS1 4HR/"LS32NE "/' > "$T/pad.csv"
printf '%s\n' "$ROW" | sed 's/LS1 4HR/"M11AE   "/; s/^9434765919/"943476591 "/; s/1945-06-21/"1945-06-2 "/' >> "$T/pad.csv"
printf '%s\n' "$ROW" | sed 's|1945-06-21|22/08/1963|; s/LS1 4HR/LS3 2N/' >> "$T/pad.csv"
printf '%s\n' "$ROW" | sed 's|1945-06-21|31/02/1990|; s/^9434765919/94347659190/' >> "$T/pad.csv"
$C --mask --findings "$T/padm.csv" "$T/pad.csv" > /dev/null
grep -qF ',POSTCODE,"LS3*** ",' "$T/padm.csv" && ok || bad "padded postcode LS32NE not masked: $(grep POSTCODE "$T/padm.csv" | head -1)"
grep -qF ',POSTCODE,"M1***   ",' "$T/padm.csv" && ok || bad "padded postcode M11AE not masked"
grep -qF ',NHS_NUMBER,"********* ",' "$T/padm.csv" && ok || bad "a 9-digit NHS number not masked whole"
grep -qF ',NHS_NUMBER,***********,' "$T/padm.csv" && ok || bad "an 11-digit NHS number not masked whole"
grep -qF ',PERSON_BIRTH_DATE,"********* ",' "$T/padm.csv" && ok || bad "a bad birth date not masked whole"
[ "$(grep -cF ',PERSON_BIRTH_DATE,**********,' "$T/padm.csv")" = 2 ] && ok ||
    bad "day-first birth dates not masked whole: $(grep PERSON_BIRTH_DATE "$T/padm.csv")"
grep -qF ',POSTCODE,******,' "$T/padm.csv" && ok || bad "a postcode cut short not masked whole"
grep -qE 'LS32|M11A|94347|1945|22/08|1963|31/02|1990|(22|31|94|LS)\*' "$T/padm.csv" &&
    bad "masked findings hold identifiers: $(grep -E 'LS32|M11A|94347|1945|22/08|1963|31/02|1990|(22|31|94|LS)\*' "$T/padm.csv")" || ok

# The same in the explorer: the list, the record (with its fix hint) and a
# masked export show the day-first birth date masked whole.
mkdir "$T/dayfirst"
printf '6\n:save-screen %s/list\n<Down><Down><Enter>\n:save-screen %s/detail\n<Esc>\ne\n<C-u>%s/m.csv<Enter>\n<Enter>\nQ\n' \
    "$T/dayfirst" "$T/dayfirst" "$T/dayfirst" > "$T/dayfirst.keys"
$DIDQ --mask --script "$T/dayfirst.keys" --size 160x30 --submitted 2018-08-01 "$T/pad.csv" || bad "day-first explorer run"
grep -qF 'fix: ********** -> 19**-**-**' "$T/dayfirst/detail" && ok ||
    bad "the fix hint of 22/08/1963 not masked whole: $(grep 'fix:' "$T/dayfirst/detail")"
grep -qF ',**********,' "$T/dayfirst/m.csv" && ok || bad "the masked export lacks the masked day-first date"
for f in list detail m.csv; do
    grep -qE '22/08|31/02|1963|1990|(22|31)\*' "$T/dayfirst/$f" &&
        bad "$f holds a day of birth: $(grep -E '22/08|31/02|1963|1990|(22|31)\*' "$T/dayfirst/$f")" || ok
done

# A filter on the NHS number made with masking off: the breadcrumb masks it
# as soon as masking is on, and a default export name never holds it (nor
# any identifier), masked or not.
mkdir "$T/crumb"
printf '6\n<Right><Right>f\n:save-screen %s/plain\nm\n:save-screen %s/masked\ne\n:save-screen %s/prompt-masked\n<Esc>\nm\ne\n:save-screen %s/prompt-plain\n<Esc>\nQ\n' \
    "$T/crumb" "$T/crumb" "$T/crumb" "$T/crumb" > "$T/crumb.keys"
$DIDQ --script "$T/crumb.keys" --size 120x30 --submitted 2018-08-01 "$T/ok.csv" || bad "crumb explorer run"
grep -q 'NHS number=9434765919' "$T/crumb/plain" && ok || bad "unmasked breadcrumb lacks the filter value"
grep -q 'NHS number=943\*\*\*\*\*19' "$T/crumb/masked" && ok || bad "breadcrumb not masked when masking was turned on"
grep -q '9434765919' "$T/crumb/masked" && bad "masked screen holds the NHS number: $(grep 9434765919 "$T/crumb/masked")" || ok
for p in prompt-masked prompt-plain; do
    grep -q 'export to: didq-' "$T/crumb/$p" && ok || bad "$p: no export prompt"
    grep 'export to:' "$T/crumb/$p" | grep -qE '943|19\b' && bad "$p: default name holds the NHS number: $(grep 'export to:' "$T/crumb/$p")" || ok
done

# Core dumps are off (checked in the explorer by tests/tui/tmux_test.sh).
finish
