/* csvpar_int.h: what the parallel CSV load's files share (not a public
 * header): its blocks and slots, and the reader thread (csvpar_read.c)
 * that cuts the input into blocks for the workers and the calling thread,
 * which merges them in order and parses some too (csvpar.c). */
#ifndef DIDQ_CSVPAR_INT_H
#define DIDQ_CSVPAR_INT_H

#include "csvin_int.h"
#include "csvpar.h"
#include "recpack.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    TICK_MS = 100,
    LONG_LINE = 4,         /* blocks a line may span before the serial reader takes it */
    FIRST_BLOCK = 1 << 16, /* bytes of the first block at most (csvpar_read.c) */
    TAIL_BLOCKS = 2,       /* blocks a thread of the input's end made smaller (csvpar_read.c) */
    SEG_SLACK = 1 << 20    /* a segment's room past its budget (the record that crosses it) */
};
/* A slot's block: read, being parsed, a part of its segment ready for the
 * merge while its worker waits (the segment reached its budget), parsed. */
enum { SLOT_FREE, SLOT_READ, SLOT_BUSY, SLOT_PART, SLOT_DONE };

typedef struct bytes {
    unsigned char *p;
    size_t n, cap;
} bytes;

typedef struct slot {
    bytes raw;                     /* the block (cap 0: a view of the input's bytes) */
    bytes seg;                     /* its events (of the part not yet merged) */
    uint64_t seq;                  /* block number (0: the first, which the calling thread reads) */
    uint64_t lines, bytes;         /* line breaks and bytes of the block parsed so far */
    uint64_t acc_lines, acc_bytes; /* ... of which merged into the file reader */
    uint64_t dropped, drop_first, drop_last; /* malformed rows counted, not kept (part) */
    int prev_cr;                             /* the last byte parsed was a CR */
    int state, eof;                          /* eof: the file's last bytes */
    int st;                                  /* 0, or DIDQ_CSV_UNSPLIT */
} slot;

typedef struct par {
    const didq_csvpar_opts *o;
    didq_recpack pk;
    csvin *f;             /* the file reader (calling thread) */
    size_t block, budget; /* bytes of a block; of a segment before its worker waits */
    int nslots, nworkers, started;
    slot *slots;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t next_read, next_parse;
    uint64_t seq; /* the next block to merge (the calling thread's) */
    int read_done, read_st, stop;
    bool halted; /* the calling thread's own part could not be merged */
    int halt_st; /* ... and why: 0 (a block read serially), or cancelled */
    bytes carry; /* bytes read and not yet in a block (the reader's) */
    /* the source is in memory and the head its bytes from view0 on: the
     * blocks are views of them (view_reader) */
    bool view;
    size_t view0;
} par;

/* Room for n more bytes at the end of b (grown by doubling; never a view:
 * cap 0 with bytes is one, which the load does not own). */
unsigned char *par_reserve(bytes *b, size_t n);
/* Reads into b until it holds want bytes or the input ends (*eof); 0, or
 * DIDQ_READ_IO with the message, or DIDQ_READ_CANCELLED when stop says so
 * (asked after each read: a slow FIFO may take long to fill a block). */
int par_fill(par *p, bytes *b, size_t want, int *eof, int (*stop)(par *));
/* The reader thread (arg: the par): blocks into the slots in order, then
 * read_done; the bytes not in a block are the carry. */
void *par_reader_main(void *arg);

#endif
