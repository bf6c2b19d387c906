/* prefault.h: fresh memory made ready on a thread of its own (base).
 *
 * The first write to a fresh page is a page fault, and the kernel fills
 * the page with zeroes then: a third of the load's merge thread at 4
 * million records (docs/performance.md, "Fresh memory made ready ahead").
 * A helper thread asks the kernel for the pages of ranges it is given
 * (MADV_POPULATE_WRITE, which writes nothing into them), ahead of the
 * thread that will write them, so that the faults are taken where a core
 * has time for them.  Only a hint: a range not yet ready when it is
 * written costs what it did. */
#ifndef DIDQ_PREFAULT_H
#define DIDQ_PREFAULT_H

#include <stddef.h>

typedef struct didq_prefault didq_prefault;

/* The helper, or NULL where it cannot work (a kernel without
 * MADV_POPULATE_WRITE, before Linux 5.14; no thread to be had). */
didq_prefault *didq_prefault_new(void);

/* Queues [p, p + n) to be made ready.  The range must stay mapped until
 * didq_prefault_drain or didq_prefault_free returns.  A request that finds
 * the queue full is dropped. */
void didq_prefault_ask(didq_prefault *pf, void *p, size_t n);

/* Drops the ranges queued and waits for the one being made ready: the
 * caller may then free any of them. */
void didq_prefault_drain(didq_prefault *pf);

/* Drains, ends the thread and frees the helper (NULL: nothing). */
void didq_prefault_free(didq_prefault *pf);

#endif
