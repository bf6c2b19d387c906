/* release.c: memory about to be freed given back on two threads
 * (release.h). */
#include "release.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* The spans' bytes from byte `from` to byte `to` of all of them, in order. */
typedef struct share {
    const didq_span *s;
    size_t n, from, to, page;
} share;

/* The whole pages of [p, p + n) given back. */
static void give_back(const unsigned char *p, size_t n, size_t page)
{
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
    uintptr_t b = ((uintptr_t)p + n) & ~(uintptr_t)(page - 1);
    if (b > a) (void)madvise((void *)a, b - a, MADV_DONTNEED);
}

static void *give_share(void *arg)
{
    const share *h = arg;
    size_t at = 0; /* the first byte of span k among all the spans' */
    for (size_t k = 0; k < h->n && at < h->to; at += h->s[k++].n) {
        size_t lo = h->from > at ? h->from - at : 0, hi = h->to - at;
        if (hi > h->s[k].n) hi = h->s[k].n;
        if (hi > lo) give_back((const unsigned char *)h->s[k].p + lo, hi - lo, h->page);
    }
    return NULL;
}

void didq_release_spans(const didq_span *s, size_t n, int threads)
{
    long ps = sysconf(_SC_PAGESIZE);
    size_t page = ps > 0 ? (size_t)ps : 4096, total = 0;
    for (size_t k = 0; k < n; k++)
        total += s[k].n;
    share mine = {s, n, 0, total, page}, other = mine;
    pthread_t th;
    bool two = threads > 1 && total >= 2 * page;
    if (two) {
        mine.to = other.from = total / 2;
        two = pthread_create(&th, NULL, give_share, &other) == 0;
        if (!two) mine.to = total;
    }
    give_share(&mine);
    if (two) pthread_join(th, NULL);
}
