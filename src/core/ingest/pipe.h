/* pipe.h: runs a reader on its own thread and hands its records to the
 * calling thread through a bounded queue of batches, so that parsing and
 * cleansing overlap with the rules and the store on a second core (the
 * rules once ran on the reader thread too; it was the slower one).
 * Records are copied compactly into batches (raw and cleansed values,
 * dates); the consumer sees them as ordinary didq_record values. */
#ifndef DIDQ_PIPE_H
#define DIDQ_PIPE_H

#include "didq/dataset.h"
#include "didq/reader.h"
#include "didq/record.h"

/* The reader to run: calls the reader with cb (record, finding, progress
 * already wired to the pipe; finding goes straight to the caller's
 * function, on the reader thread).  Returns a didq_read_status. */
typedef int (*didq_pipe_produce)(void *ctx, const didq_reader_cb *cb);

typedef struct didq_pipe_opts {
    const didq_dataset *ds;
    didq_pipe_produce produce;
    void *produce_ctx;
    /* Called on the reader thread for file-level findings. */
    void (*finding)(void *ctx, const char *code, uint64_t line, const char *msg);
    void *finding_ctx;
    /* Called on the calling thread for each record; nonzero cancels. */
    int (*consume)(void *ctx, didq_record *r);
    /* Called on the calling thread after each batch with the bytes read so
     * far; nonzero cancels.  May be NULL. */
    int (*progress)(void *ctx, uint64_t bytes);
    void *consume_ctx;
} didq_pipe_opts;

/* Runs the reader to the end; returns its status, or DIDQ_READ_CANCELLED
 * if the consumer or progress cancelled. */
int didq_pipe_run(const didq_pipe_opts *o);

#endif
