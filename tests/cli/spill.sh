# spill.sh: `check --db` keeps the records in unlinked files beside the
# database instead of memory (recstore_spill.c): same report and saved
# session as in memory, the files are mapped while loading and gone after,
# and (where a memory cgroup can be made, outside sanitizer builds) the
# check finishes under a memory limit that kills the in-memory check.
. "$(dirname "$0")/lib.sh"
# Sanitizer and valgrind runs skip the cases that limit memory or descriptors.
asan=0
if ldd "$PROGRAM" 2> /dev/null | grep -q -e libasan -e libclang_rt.asan ||
    grep -qa __asan_init "$PROGRAM" || [ -n "${DIDQ_WRAP:-}" ]; then asan=1; fi
$DIDQ synth --rows 20000 --defect-rate 0.05 --defect-duplicates --seed 11 --month 2026-09 \
    -o "$T/m.csv" 2> /dev/null
$DIDQ check --submitted 2026-10-01 "$T/m.csv" > "$T/mem.txt"
mem_st=$?
mkdir "$T/d"
$DIDQ check --submitted 2026-10-01 --db "$T/d/s.db" "$T/m.csv" > "$T/db.txt"
[ $? = "$mem_st" ] && ok || bad "exit status with --db differs"
cmp -s "$T/mem.txt" "$T/db.txt" && ok || bad "report with --db differs from the one in memory"
[ "$(ls -A "$T/d")" = s.db ] && ok || bad "files left beside the database: $(ls -A "$T/d")"
expect reopened "$mem_st" "20000 records" -- $DIDQ open --format text "$T/d/s.db"

# While loading (from a FIFO held open), the arena and metadata are
# mappings of deleted files in the database's directory (the first 100
# thousand records: a few of the reader's 4 MiB batches).
$DIDQ synth --rows 300000 --seed 2 --month 2026-09 -o "$T/big.csv" 2> /dev/null
mkfifo "$T/fifo"
rm -f "$T/d/s.db"
$DIDQ check --submitted 2026-10-01 --db "$T/d/s.db" "$T/fifo" > /dev/null 2>&1 &
pid=$!
exec 3> "$T/fifo"
head -100000 "$T/big.csv" >&3
seen=0
for _ in $(seq 100); do
    if grep -q "$T/d/.*(deleted)" "/proc/$pid/maps" 2> /dev/null; then seen=1; break; fi
    sleep 0.05
done
[ $seen = 1 ] && ok || bad "no spill file mapped while loading with --db"
tail -n +100001 "$T/big.csv" >&3
exec 3>&-
wait $pid
[ "$(ls -A "$T/d")" = s.db ] && ok || bad "files left after a FIFO load: $(ls -A "$T/d")"

# A directory that cannot hold the files: a clear error, nothing saved.
if [ "$(id -u)" != 0 ]; then
    mkdir "$T/ro" && chmod 555 "$T/ro"
    expect spill-unwritable 73 "" -- $DIDQ check --submitted 2026-10-01 --db "$T/ro/s.db" "$T/m.csv"
fi

# The record files cannot be made (inherited descriptors closed, room for
# one more than standard input, output and error: none for the second):
# exit 73 naming the folder.
if [ $asan = 0 ]; then
    expect spill-no-fd 73 "$T/d: cannot make a file for the records" -- \
        bash -c 'for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
                 ulimit -n 4 && exec "$@"' sh $DIDQ check --submitted 2026-10-01 --db "$T/d/fd.db" "$T/m.csv"
    [ ! -e "$T/d/fd.db" ] && ok || bad "a database saved although its records could not be kept"
fi

# A folder too small for the records (an 8 MB tmpfs, where it can be
# mounted): exit 73 naming the folder, nothing left in it.
mkdir "$T/small"
if mount -t tmpfs -o size=8m tmpfs "$T/small" 2> /dev/null; then
    expect spill-full 73 "$T/small: cannot grow the file of the records: No space left" -- \
        $DIDQ check --submitted 2026-10-01 --db "$T/small/s.db" "$T/big.csv"
    [ -z "$(ls -A "$T/small")" ] && ok || bad "files left on a full disk: $(ls -A "$T/small")"
    umount "$T/small"
fi

# Under a memory limit of 60 MB: a million records (124 MB) do not fit in
# memory (500 thousand, 62 MB, take 54 MB at the peak and fit), 300
# thousand with --db take about 40 MB.  (300 thousand in memory
# took about 97 MB with huge pages; without them, where the host takes huge
# pages back (hugepage.h), they fit.)
cg=/sys/fs/cgroup/memory/didq-spill-$$
if [ $asan = 0 ] && mkdir "$cg" 2> /dev/null; then
    echo $((60 * 1024 * 1024)) > "$cg/memory.limit_in_bytes"
    run_limited() { sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cg" "$@" > "$T/lim.txt" 2>&1; }
    $DIDQ synth --rows 1000000 --seed 2 --month 2026-09 -o "$T/bigger.csv" 2> /dev/null
    # In memory it does not fit: stopped with exit 70 and a message that
    # names --db, before the kernel kills it (137, no word, until now);
    # from a FIFO too, whose size is unknown.
    run_limited $DIDQ check --submitted 2026-10-01 "$T/bigger.csv"
    st=$?
    [ $st = 70 ] && ok || bad "the in-memory check under a 60 MB limit: exit $st, want 70"
    grep -q "^didq: out of memory: loading $T/bigger.csv would need about .* MB; stopped after .* of 124 MB read, and this process may use 60 MB (its memory cgroup's limit, or the memory available), of which an eighth is kept for the analyses after the load. didq check --db FILE.db keeps the records on disk instead" "$T/lim.txt" \
        && ok || bad "no out-of-memory message naming --db: $(head -c 300 "$T/lim.txt")"
    mkfifo "$T/big.fifo"
    cat "$T/bigger.csv" > "$T/big.fifo" &
    run_limited $DIDQ check --submitted 2026-10-01 "$T/big.fifo"
    st=$?
    wait
    [ $st = 70 ] && grep -q "its size is unknown" "$T/lim.txt" && ok ||
        bad "a FIFO under a 60 MB limit: exit $st: $(head -c 300 "$T/lim.txt")"
    # What fits is still checked in memory: 10 MB of the same month.
    head -c 10000000 "$T/big.csv" > "$T/part.csv"
    run_limited $DIDQ check --submitted 2026-10-01 "$T/part.csv"
    st=$?
    [ $st = 2 ] && ok || bad "10 MB under a 60 MB limit: exit $st (want 2: its last row is cut)"
    run_limited $DIDQ check --submitted 2026-10-01 --db "$T/d/big.db" "$T/big.csv"
    st=$?
    [ $st = 0 ] && ok || bad "check --db under a 60 MB limit: exit $st"
    rmdir "$cg" 2> /dev/null
else
    echo "memory cgroup not available or a sanitizer build: limit case skipped"
fi
finish
