/* util.c: allocation wrappers, vectors and buffers. */
#include "didq/util.h"
#include "hugepage.h"

#include <stdatomic.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

void (*didq_die_hook)(void);

static _Noreturn void die_msg(int status, const char *msg)
{
    /* Both threads may fail at once (out of memory): the first one out
     * restores the terminal, prints and exits; a later one waits for it. */
    static atomic_flag dying = ATOMIC_FLAG_INIT;
    if (atomic_flag_test_and_set(&dying))
        for (;;)
            pause();
    if (didq_die_hook) didq_die_hook();
    fprintf(stderr, "didq: %s\n", msg);
    exit(status);
}

void didq_die(const char *fmt, ...)
{
    char msg[1024]; /* on the stack: the message may be that memory ran out */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    die_msg(DIDQ_EXIT_SOFTWARE, msg);
}

void didq_die_status(int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    die_msg(status, msg);
}

/* Allocation failure: a clear message (the die hook restores the
 * terminal first), exit 70. */
void didq_out_of_memory(size_t n)
{
    didq_die("out of memory (an allocation of %zu bytes failed); the input is too large for the "
             "memory this process may use (see ulimit -v)",
             n);
}

void didq_thread_failed(const char *what, int err)
{
    if (err == EAGAIN || err == ENOMEM)
        didq_die("out of memory (%s could not be started: %s); the input is too large for the "
                 "memory this process may use (see ulimit -v)",
                 what, strerror(err));
    didq_die("%s could not be started: %s", what, strerror(err));
}

/* A block of 4 MiB or more is asked to be backed by huge pages where it
 * covers whole 2 MiB pages (madvise MADV_HUGEPAGE, a hint; the host's THP
 * mode is often "madvise").  A first touch of fresh memory is a page fault
 * per 4 KiB page otherwise: a quarter of a million at 4 million records,
 * and on a virtual machine each costs the host a fault too
 * (docs/performance.md, "Huge pages for every big block"); but not where
 * the host takes back the guest's free huge pages (hugepage.h). */
#define BIG ((size_t)4 << 20)

static void advise_huge_always(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (n < BIG) return;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1), b = ((uintptr_t)p + n) & ~(huge - 1);
    if (b > a) (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)p, (void)n;
#endif
}

static void advise_huge(void *p, size_t n)
{
    if (n >= BIG && didq_huge_pages()) advise_huge_always(p, n);
}

void didq_advise_random(void *p, size_t n)
{
    advise_huge_always(p, n);
}

void didq_deadline(struct timespec *t, long ms)
{
    clock_gettime(CLOCK_REALTIME, t);
    t->tv_nsec += ms % 1000 * 1000000L;
    t->tv_sec += ms / 1000 + t->tv_nsec / 1000000000L;
    t->tv_nsec %= 1000000000L;
}

size_t didq_env_size(const char *name, size_t least, size_t def)
{
    const char *e = getenv(name);
    long v = e ? strtol(e, NULL, 10) : 0;
    return v >= (long)least && v <= 1L << 30 ? (size_t)v : def;
}

/* glibc raises its mapping threshold to the size of each big block freed
 * (up to 32 MiB), and blocks under it then come from the heap: calloc
 * writes zeroes into fresh 4 KiB pages there, a page fault each, where a
 * fresh mapping is zero already and advised huge.  A fixed threshold keeps
 * every big block a mapping: the 4 million record check had 29,000 page
 * faults and has 22,000 (docs/performance.md, "Fresh memory made ready ahead"). */
void didq_memory_init(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
    (void)mallopt(M_MMAP_THRESHOLD, (int)BIG);
#endif
}

void *didq_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) didq_out_of_memory(n);
    advise_huge(p, n);
    return p;
}

void *didq_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) didq_out_of_memory(n * size);
    advise_huge(p, n * size);
    return p;
}

void *didq_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) didq_out_of_memory(n);
    advise_huge(q, n);
    return q;
}

void didq_trim_spaces(const char **s, uint32_t *n)
{
    if (!*s) {
        *s = "", *n = 0;
        return;
    }
    while (*n && **s == ' ')
        (*s)++, (*n)--;
    while (*n && (*s)[*n - 1] == ' ')
        (*n)--;
}

char *didq_strndup(const char *s, size_t n)
{
    char *d = didq_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *didq_strdup(const char *s)
{
    return didq_strndup(s, strlen(s));
}

const char *didq_path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

const char *didq_plural(unsigned long long n)
{
    return n == 1 ? "" : "s";
}

void didq_strvec_push(didq_strvec *sv, char *owned)
{
    if (sv->n == sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 16;
        sv->v = didq_xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = owned;
}

void didq_strvec_free(didq_strvec *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

void didq_buf_add(didq_buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        b->p = didq_xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void didq_buf_puts(didq_buf *b, const char *s)
{
    didq_buf_add(b, s, strlen(s));
}

void didq_buf_printf(didq_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        didq_buf_add(b, small, (size_t)n);
        return;
    }
    char *big = didq_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    didq_buf_add(b, big, (size_t)n);
    free(big);
}

void didq_buf_free(didq_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* Continuation bytes expected after a lead byte; -1 if not a lead byte. */
static int utf8_tail(unsigned c)
{
    if (c >= 0xC2 && c <= 0xDF) return 1;
    if (c >= 0xE0 && c <= 0xEF) return 2;
    if (c >= 0xF0 && c <= 0xF4) return 3;
    return -1;
}

size_t didq_utf8_valid_prefix(const char *s, size_t n)
{
    static const unsigned minv[4] = {0, 0x80, 0x800, 0x10000};
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        int k = utf8_tail(u[i]);
        if (k < 0 || i + (size_t)k >= n) return i;
        unsigned cp = u[i] & (0x3Fu >> k);
        for (int j = 1; j <= k; j++) {
            if ((u[i + j] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (u[i + j] & 0x3F);
        }
        if (cp < minv[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += (size_t)k + 1;
    }
    return n;
}
