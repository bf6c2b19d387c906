/* parts.h: work cut into parts, run on threads of their own (base). */
#ifndef DIDQ_PARTS_H
#define DIDQ_PARTS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Runs fn on each of n items (item k at (char *)items + k * size): item 0
 * on the calling thread, the others on threads of their own; an item whose
 * thread cannot be made runs on the calling thread after item 0.  Returns
 * when every item has run. */
void didq_run_parts(void *(*fn)(void *), void *items, size_t size, size_t n);

/* Items taken one at a time from a queue, by the threads of a run and by
 * any thread that joins it while it is open (didq_jobs_help): a thread
 * whose other work ended early takes a share of what is left, where a
 * fixed split would leave its core idle.  Which thread runs an item does
 * not matter to the caller: each item is a part of its own. */
typedef struct didq_jobs {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    void *(*fn)(void *);
    char *items;
    size_t size, n, next, done;
    bool open; /* a run is taking items */
} didq_jobs;

void didq_jobs_init(didq_jobs *q);
void didq_jobs_destroy(didq_jobs *q);
/* Runs fn on each of n items on `threads` threads (this one and threads -
 * 1 of their own; 1: this one alone), helpers welcome meanwhile; returns
 * when every item has run. */
void didq_jobs_run(didq_jobs *q, void *(*fn)(void *), void *items, size_t size, size_t n,
                   int threads);
/* Takes items of q's run while it is open; returns at once when none is
 * (before the run starts or after its items are all taken). */
void didq_jobs_help(didq_jobs *q);

#endif
