# didq diff when keys share a hash: OLD's records find their group by hash
# alone and a key that turns out to differ makes the part again comparing
# every key (diff_match.c).  64-bit hashes almost never collide, so
# DIDQ_DIFF_HASH_BITS=N keeps N bits of each and makes them collide; every
# output must be that of the normal run.  Cases: an OLD key absent from NEW
# paired by hash with NEW's only key (first, and after that key's own
# record), two OLD keys against an empty NEW, NEW's own keys colliding, and
# a month-like pair with changes, additions and removals.
. "$(dirname "$0")/lib.sh"
D="$DIDQ diff --submitted 2018-08-01"

gen RR864 04 1 7 > "$T/y.csv"                                  # NEW: key Y only
{ gen RR864 04 1 3; gen RR864 04 1 7; } > "$T/xy.csv"         # OLD: X then Y
{ gen RR864 04 1 7; gen RR864 04 1 3; } > "$T/yx.csv"         # OLD: Y then X
{ gen RR864 04 1 3; gen RR864 04 1 4; } > "$T/x12.csv"        # OLD: X1, X2
: > "$T/empty.csv"
gen RR864 04 30 1 > "$T/old.csv"
{
    gen RR864 04 10 5
    gen RR864 04 1 12 | sed 's/,LS1 4HR,/,LS2 7UE,/'
    gen RR864 04 1 7
    gen RR864 04 12 20
    gen RR813 04 2 1
} > "$T/new.csv"

# run NAME BITS THREADS OLD NEW: the text report and the --changes CSV
run() {
    mkdir -p "$T/out/$1"
    if [ -n "$2" ]; then export DIDQ_DIFF_HASH_BITS=$2; else unset DIDQ_DIFF_HASH_BITS; fi
    $D --threads "$3" --changes "$T/out/$1/changes.csv" --force "$4" "$5" > "$T/out/$1/report.txt" 2>&1
    echo "exit $?" >> "$T/out/$1/report.txt"
    $D --threads "$3" --format json "$4" "$5" > "$T/out/$1/report.json" 2>&1
    unset DIDQ_DIFF_HASH_BITS
}

for pair in "xy.csv y.csv" "yx.csv y.csv" "x12.csv empty.csv" "old.csv new.csv" \
    "new.csv old.csv"; do
    set -- $pair
    name="$1-$2"
    run "$name-normal" "" 1 "$T/$1" "$T/$2"
    for bits in 0 1 2; do
        for threads in 1 2; do
            run "$name-$bits-$threads" "$bits" "$threads" "$T/$1" "$T/$2"
            for f in report.txt report.json changes.csv; do
                if cmp -s "$T/out/$name-normal/$f" "$T/out/$name-$bits-$threads/$f"; then
                    ok
                else
                    bad "$name: $f with $bits hash bits at $threads threads differs"
                    diff "$T/out/$name-normal/$f" "$T/out/$name-$bits-$threads/$f" | head -5 >&2
                fi
            done
        done
    done
done

# The normal runs themselves: X removed and Y unchanged; the empty NEW.
grep -q "records: 0 added, 1 removed, 0 changed, 1 unchanged" "$T/out/xy.csv-y.csv-normal/report.txt" &&
    ok || bad "X then Y against Y: $(cat "$T/out/xy.csv-y.csv-normal/report.txt")"
grep -q "records: 0 added, 2 removed, 0 changed, 0 unchanged" \
    "$T/out/x12.csv-empty.csv-normal/report.txt" && ok || bad "X1, X2 against an empty file"
finish
