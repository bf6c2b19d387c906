/* release.h: memory about to be freed given back on two threads (base).
 *
 * Freeing a big block (free, munmap) is the kernel's work, page by page:
 * at a million records the record store's arrays and its file's mapping
 * take 9 to 12 ms, on one thread whatever calls them, as munmap holds the
 * process's memory map for writing while it works.  MADV_DONTNEED gives
 * the same pages back holding it only for reading, so two threads can give
 * back two halves at once, and the free or munmap that follows finds no
 * pages left (docs/performance.md, "Pages given back on two threads"). */
#ifndef DIDQ_RELEASE_H
#define DIDQ_RELEASE_H

#include <stddef.h>

/* A span of memory about to be freed or unmapped. */
typedef struct didq_span {
    const void *p;
    size_t n;
} didq_span;

/* Gives back the whole pages inside the spans, their bytes split evenly
 * between this thread and one more when threads is above 1 (and a thread
 * can be had).  Their contents are lost (they read as zeroes): only for
 * memory that nothing reads again before it is freed or unmapped. */
void didq_release_spans(const didq_span *s, size_t n, int threads);

#endif
