/* csvpar.h: a CSV file read on several threads.  The file is cut into
 * blocks at line breaks; worker threads parse, cleanse and evaluate (the
 * caller's eval: the rules) the records of a block each, into a segment of
 * their own; the calling thread merges the segments in file order (record
 * numbers, lines, offsets, the cap of malformed rows, the once-only
 * notices) and hands each record to the caller's consume, exactly as the
 * serial reader would have, in the same order.  A reader thread reads the
 * input from the start; the calling thread parses the first block itself
 * (the header, the byte order mark), reporting progress while it waits for
 * it, and then starts one worker fewer than threads: it parses blocks too
 * whenever the next one to merge is not ready, so threads threads share as
 * many cores and the merge never waits for one.  A segment past a byte
 * budget is merged in parts (a worker waits meanwhile; the calling thread
 * merges the blocks before its own part, then the part), and malformed rows
 * past a block's first MALFORMED_KEPT are only counted: a slot's memory is
 * bounded whatever the rows.  A block that cannot be read alone (a row over
 * several lines, a parse error, a line longer than four blocks) ends the
 * parallel part: from it on the file is read serially.  docs/performance.md,
 * "Every core". */
#ifndef DIDQ_CSVPAR_H
#define DIDQ_CSVPAR_H

#include "didq/dataset.h"
#include "didq/reader.h"
#include "didq/record.h"

#include <stddef.h>
#include <stdint.h>

enum {
    DIDQ_EVAL_MAX = 1024,        /* bytes eval may write per record */
    DIDQ_CSVPAR_BLOCK = 1 << 20, /* bytes per block (DIDQ_BLOCK_BYTES overrides, for tests) */
    /* bytes of a block's segment before its worker waits for the merge
     * (DIDQ_SEGMENT_BYTES overrides, for tests): a block of 131-byte records
     * makes about 5.4 MB */
    DIDQ_CSVPAR_SEGMENT = 8 << 20,
    DIDQ_CSVPAR_MAX_THREADS = 64 /* workers at most (besides the calling thread) */
};

typedef struct didq_csvpar_opts {
    const didq_dataset *ds;
    didq_src *src;
    const unsigned char *head; /* bytes already read from src */
    size_t nhead;
    uint32_t file;
    int threads; /* threads parsing, the calling one included: 2 or more */
    /* On a worker thread: what a record needs at its merge (the rules'
     * findings), at most DIDQ_EVAL_MAX bytes into out; returns their count.
     * May set r->flags.  Reads only what no thread writes during the load. */
    size_t (*eval)(void *ctx, didq_record *r, unsigned char *out);
    /* On the calling thread, in file order: a record kept, with eval's bytes. */
    void (*consume)(void *ctx, didq_record *r, const unsigned char *data, size_t n);
    /* On the calling thread, in file order: a file-level finding. */
    void (*finding)(void *ctx, const char *code, uint64_t line, const char *msg);
    /* On the calling thread: bytes merged so far; nonzero cancels.  May be NULL. */
    int (*progress)(void *ctx, uint64_t bytes);
    void *ctx;
    char *err; /* a read error's message */
    size_t errlen;
} didq_csvpar_opts;

/* Reads the CSV file; returns a didq_read_status, as didq_csv_read. */
int didq_csvpar_run(const didq_csvpar_opts *o);

#endif
