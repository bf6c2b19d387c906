/* parts.h: work cut into parts, run on threads of their own (base). */
#ifndef DIDQ_PARTS_H
#define DIDQ_PARTS_H

#include <stddef.h>

/* Runs fn on each of n items (item k at (char *)items + k * size): item 0
 * on the calling thread, the others on threads of their own; an item whose
 * thread cannot be made runs on the calling thread after item 0.  Returns
 * when every item has run. */
void didq_run_parts(void *(*fn)(void *), void *items, size_t size, size_t n);

#endif
