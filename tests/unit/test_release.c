/* test_release.c: memory given back before it is freed (release.c): the
 * whole pages inside each span read as zeroes afterwards, on one thread and
 * on two (a span cut between them in its middle keeps at most the one page
 * it is cut in), and every byte outside them is kept: the parts of pages
 * at a span's ends, and the memory between spans. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "release.h"
#include "testlib.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

enum { PAGES = 64 };

/* The byte at offset i of the block, as written. */
static unsigned char mark(size_t i)
{
    return (unsigned char)(i % 251 + 1);
}

/* The pages given back of [p, p + n): of whole pages inside only. */
static int inside(size_t at, size_t lo, size_t hi, size_t page)
{
    size_t a = (lo + page - 1) / page * page, b = hi / page * page;
    return at >= a && at < b;
}

static void run(int threads)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len = PAGES * page;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "a block of %d pages", PAGES);
    if (p == MAP_FAILED) return;
    for (size_t i = 0; i < len; i++)
        p[i] = mark(i);
    /* three spans: one starting and ending inside pages, one of whole
     * pages, one of less than a page; memory between them not given */
    size_t lo[3] = {100, 20 * page, 40 * page + 10},
           hi[3] = {10 * page + 7, 30 * page, 40 * page + 900};
    didq_span s[3];
    for (int k = 0; k < 3; k++)
        s[k] = (didq_span){p + lo[k], hi[k] - lo[k]};
    didq_release_spans(s, 3, threads);
    size_t kept_wrong = 0, zero_wrong = 0, zeroes = 0;
    size_t total = 0, half = 0;
    for (int k = 0; k < 3; k++)
        total += hi[k] - lo[k];
    half = total / 2; /* two threads: the byte where the spans are cut */
    size_t cut = 0;   /* that byte's offset in the block */
    for (int k = 0, at = 0; k < 3; at += (int)(hi[k] - lo[k]), k++)
        if (half >= (size_t)at && half < (size_t)at + (hi[k] - lo[k]))
            cut = lo[k] + (half - (size_t)at);
    for (size_t i = 0; i < len; i++) {
        int given = 0;
        for (int k = 0; k < 3; k++)
            given |= inside(i, lo[k], hi[k], page);
        int cut_page = threads > 1 && i / page == cut / page;
        if (given && !cut_page) {
            zero_wrong += p[i] != 0;
            zeroes++;
        } else if (!given) {
            kept_wrong += p[i] != mark(i);
        }
    }
    CHECK(zeroes >= 18 * page, "%d thread(s): %zu bytes given back", threads, zeroes);
    CHECK(zero_wrong == 0, "%d thread(s): %zu bytes of whole pages inside not zero", threads,
          zero_wrong);
    CHECK(kept_wrong == 0, "%d thread(s): %zu bytes outside the whole pages changed", threads,
          kept_wrong);
    munmap(p, len);
}

int main(void)
{
    run(1);
    run(2);
    didq_release_spans(NULL, 0, 2); /* nothing to give back */
    return test_done();
}
