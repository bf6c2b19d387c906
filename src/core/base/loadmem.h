/* loadmem.h: stops a load in memory before the kernel kills it.  Under a
 * memory cgroup a load that does not fit used to die with exit 137 and no
 * word.  The session asks, as records come in, how many bytes of memory
 * each byte of input has cost so far; with the input's size that gives
 * what the rest will need, which is set against the budget: the cgroup's
 * limit, and no more than the process holds plus MemAvailable.  A load
 * that will not fit stops with exit 70 and a message suggesting --db
 * (which keeps the records on disk and is not checked).  Pure arithmetic
 * here; the session reads the numbers (memavail.h). */
#ifndef DIDQ_LOADMEM_H
#define DIDQ_LOADMEM_H

#include <stdbool.h>
#include <stdint.h>

/* The cost per byte is measured from a reference point taken once this
 * many bytes have been read (the reader's batches are in use by then). */
enum { DIDQ_LOADMEM_WARMUP = 8 << 20 };

typedef struct didq_loadmem {
    uint64_t ref_own, ref_bytes; /* own memory and bytes read at the reference */
    bool have_ref;
} didq_loadmem;

/* own: the process's own memory now; bytes: input read so far; total: the
 * input's size (0 if unknown: a FIFO); budget: what the process may hold
 * (UINT64_MAX: no limit).  True when the load will not fit, with the
 * projected total the process would need in *need. */
bool didq_loadmem_too_big(didq_loadmem *m, uint64_t own, uint64_t bytes, uint64_t total,
                          uint64_t budget, uint64_t *need);

#endif
