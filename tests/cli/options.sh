# Bad options of every command: each gives one line, "didq: ..." naming
# the option and the value, and exits 64 (73 when an output cannot be
# created, 66 when an input cannot be read) before reading any file.
. "$(dirname "$0")/lib.sh"
printf '%s\n' "$ROW" > "$T/ok.csv"
OK=$T/ok.csv

# usage NAME STATUS PATTERN -- command...: STATUS, one line, PATTERN in it.
usage() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local out st
    out=$("$@" 2>&1 < /dev/null)
    st=$?
    if [ "$st" != "$want" ]; then
        bad "$name: exit $st, want $want"; printf '%s\n' "$out" | head -5 >&2; return
    fi
    if [ "$(printf '%s\n' "$out" | wc -l)" != 1 ] || [ "${out#didq: }" = "$out" ]; then
        bad "$name: not one 'didq: ...' line:"; printf '%s\n' "$out" | head -5 >&2; return
    fi
    printf '%s' "$out" | grep -qF -- "$pattern" || { bad "$name: '$out' lacks '$pattern'"; return; }
    ok
}
D=$DIDQ

# check
usage check-date-feb30 64 "--submitted wants a date CCYY-MM-DD, not '2018-02-30'" -- $D check --submitted 2018-02-30 $OK
usage check-date-word 64 "not 'yesterday'" -- $D check --submitted yesterday $OK
usage check-date-empty 64 "not ''" -- $D check --submitted= $OK
usage check-date-missing 64 "--submitted needs a value" -- $D check $OK --submitted
usage check-format 64 "--format is text or json, not 'xml'" -- $D check --format xml $OK
usage check-format-missing 64 "--format needs a value" -- $D check --format
usage check-findings-missing 64 "--findings needs a value" -- $D check $OK --findings
usage check-db-missing 64 "--db needs a value" -- $D check $OK --db
usage check-refdata-missing 64 "--refdata needs a value" -- $D check $OK --refdata
usage check-unknown 64 "unknown option '--bogus'" -- $D check --bogus $OK
usage check-unknown-short 64 "unknown option '-x'" -- $D check -x $OK
usage check-no-files 64 "no input files" -- $D check
usage check-mask-alone 64 "--mask applies to --findings" -- $D check --mask $OK
usage check-db-stdout 64 "--db wants a file name" -- $D check --db - $OK
usage check-json-and-findings 64 "--format json and --findings - would both write to stdout" -- $D check --format json --findings - $OK
usage check-same-output 64 "--findings and --db name the same file" -- $D check --findings "$T/x" --db "$T/x" $OK
usage check-refdata-absent 66 "$T/nodir: No such file or directory" -- $D check --refdata "$T/nodir" $OK
usage check-thresholds-absent 66 "$T/nofile: cannot open" -- $D check --thresholds "$T/nofile" $OK
usage check-output-folder 73 "$T/nodir/f.csv: cannot create: folder $T/nodir/: No such file or directory" -- $D check --findings "$T/nodir/f.csv" $OK
usage check-db-folder 73 "cannot create" -- $D check --db "$T/nodir/s.db" $OK
usage check-input-missing 66 "$T/none.csv: No such file or directory" -- $D check --submitted 2018-08-01 "$T/none.csv"

# synth
for v in 0 abc -5 1e3 100000001 ""; do
    usage "synth-rows '$v'" 64 "--rows wants a number from 1 to 100000000, not '$v'" -- $D synth --rows "$v"
done
usage synth-rows-missing 64 "--rows needs a value" -- $D synth --rows
for v in x -1 99999999999999999999999; do
    usage "synth-seed '$v'" 64 "--seed wants a whole number, not '$v'" -- $D synth --seed "$v"
done
for v in 2018-13 2018-7 yesterday 1970-01; do
    usage "synth-month '$v'" 64 "--month wants CCYY-MM, not '$v'" -- $D synth --month "$v"
done
usage synth-rate 64 "--defect-rate wants a number from 0 to 1, not '2'" -- $D synth --defect-rate 2
usage synth-format 64 "--format is csv or xml, not 'pdf'" -- $D synth --format pdf
usage synth-o-missing 64 "-o needs a value" -- $D synth -o
usage synth-unknown 64 "unknown option '--bogus'" -- $D synth --bogus
usage synth-argument 64 "unexpected argument 'extra'" -- $D synth extra
usage synth-conflict 64 "--defect-columns applies to CSV, not --format xml" -- $D synth --defect-columns --format xml
usage synth-inject-kind 64 "--inject: unknown kind 'nonsense'" -- $D synth --inject nonsense@RR801
usage synth-inject-site 64 "--inject: unknown site 'XX'" -- $D synth --inject setting-other-default@XX
usage synth-output-folder 73 "$T/nodir/m.csv" -- $D synth --rows 5 -o "$T/nodir/m.csv"

# open
usage open-none 64 "no saved session given" -- $D open --format text
usage open-format 64 "--format is text or json, not 'pdf'" -- $D open --format pdf x.db
usage open-format-missing 64 "--format needs a value" -- $D open --format
usage open-unknown 64 "unknown option '--bogus'" -- $D open --bogus x.db
usage open-two 64 "one saved session at a time" -- $D open a.db b.db
usage open-not-session 66 "$OK: not a saved didq session" -- $D open --format text $OK

# rules, refdata, help
usage rules-unknown 64 "unknown option '--bogus'" -- $D rules --bogus
usage rules-argument 64 "no rule 'extra' (didq rules lists the codes)" -- $D rules extra
usage refdata-unknown 64 "unknown option '--bogus'" -- $D refdata --bogus
usage refdata-missing 64 "--refdata needs a value" -- $D refdata --refdata
usage refdata-argument 64 "unexpected argument 'extra'" -- $D refdata extra
usage refdata-absent 66 "$T/nodir: No such file or directory" -- $D refdata --refdata "$T/nodir"
usage help-unknown 64 "no command 'nope'" -- $D help nope

# the explorer (options are checked before the terminal is)
usage explore-color 64 "--color is auto, always or never, not 'purple'" -- $D --color purple $OK
usage explore-color-missing 64 "--color needs a value" -- $D $OK --color
for v in 10 0x0 80x24junk 2000x50 x; do
    usage "explore-size '$v'" 64 "--size wants COLSxROWS, for example 132x43, not '$v'" -- $D --script /dev/null --size "$v" $OK
done
usage explore-size-alone 64 "--size and --timing go with --script" -- $D --size 80x24 $OK
usage explore-timing-alone 64 "--size and --timing go with --script" -- $D --timing "$T/t" $OK
for v in x 0 -3 200000000 99999999999999999999; do
    usage "explore-demo-rows '$v'" 64 "--demo-rows wants a number from 1 to 100000000, not '$v'" -- $D --demo-rows "$v"
done
usage explore-date 64 "--submitted wants a date CCYY-MM-DD, not '2018-02-30'" -- $D --submitted 2018-02-30 $OK
usage explore-date-word 64 "not 'yesterday'" -- $D --submitted yesterday $OK
usage explore-unknown 64 "unknown option '--bogus'" -- $D --bogus $OK
usage explore-script-missing 64 "--script needs a value" -- $D $OK --script
usage explore-no-files 64 "no input files (or --demo)" -- $D --mask
usage explore-not-a-terminal 64 "standard output is not a terminal; use 'didq check'" -- $D $OK
usage explore-script-absent 66 "$T/no.keys: cannot open key script" -- $D --script "$T/no.keys" $OK
usage open-explore-color 64 "--color is auto, always or never" -- $D open --script /dev/null --color purple x.db
# values are shown escaped
usage escaped-value 64 "not '^[]0;x^G'" -- $D check --submitted $'\e]0;x\a' $OK
$D check --format $'\e[2J' $OK 2>&1 | LC_ALL=C grep -q $'\x1b' && bad "raw ESC in a usage error" || ok
# --threads: the help gives the default there is (the CPUs this process may use, as
# `didq --version` prints it; usage.md, the man page); it once said "the online CPUs"
# while the default was 1.
for cmd in check report; do
    h=$($D help $cmd)
    printf '%s' "$h" | grep -qF 'default: the CPUs this' && ok || bad "help $cmd: --threads default not the CPUs"
    printf '%s' "$h" | grep -qF 'online' && bad "help $cmd: --threads default is the online CPUs" || ok
done
finish
