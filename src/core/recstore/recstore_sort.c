/* recstore_sort.c: the records in the order of one item's raw value, as SQL
 * would sort coalesce(fN, '') with the BINARY collation, ties by id.  Made
 * on the first sort by that item and kept (3 bytes per record, 4 past
 * 2^24 records: didq_order_id): the
 * explorer's sorted lists walk it (vtab_walk.c) instead of a (key, id)
 * table built in SQLite, which took 2.5 s at 4 million records.
 *
 * The sort is a stable LSD radix sort on the first 16 bytes of each value
 * (big-endian, zero-padded), in id order, so equal values stay in id order;
 * a run of equal prefixes whose values may differ further is sorted again
 * on the next 16 bytes, down to the longest value.  Extracting the prefixes,
 * which reads every record, runs on two threads for the explorer's own
 * sorts and on one for the background builder (recstore_order.c), which
 * can stop any build between steps. */
#include "recstore_int.h"
#include "didq/util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct sent {
    uint64_t hi, lo; /* bytes [depth, depth + 16) of the value, big-endian */
    uint32_t id;     /* record id */
    uint32_t len;    /* value length (0 when absent) */
} sent;

enum { SMALL_RUN = 24, KEY_BYTES = 16 };

static uint64_t bytes_at(const char *v, uint32_t len, uint32_t at)
{
    uint64_t k = 0;
    for (uint32_t j = at; j < at + 8; j++)
        k = k << 8 | (j < len ? (unsigned char)v[j] : 0u);
    return k;
}

static void fill_key(const didq_recstore *rs, int item, sent *e, uint32_t depth)
{
    uint32_t len = 0;
    const char *v = didq_recstore_field(rs, e->id, item, &len);
    e->len = v ? len : 0;
    e->hi = v && len > depth ? bytes_at(v, len, depth) : 0;
    e->lo = v && len > depth + 8 ? bytes_at(v, len, depth + 8) : 0;
}

static bool stopped(const atomic_bool *stop)
{
    return stop && atomic_load_explicit(stop, memory_order_relaxed);
}

typedef struct fill_job {
    const didq_recstore *rs;
    int item;
    sent *a;
    size_t lo, hi;
    const atomic_bool *stop;
} fill_job;

static void *fill_range(void *arg)
{
    fill_job *j = arg;
    for (size_t i = j->lo; i < j->hi; i++) {
        if ((i & 0xffff) == 0 && stopped(j->stop)) break;
        didq_recstore_prefetch(j->rs, (uint32_t)(i + 1 + DIDQ_PREFETCH_AHEAD));
        j->a[i].id = (uint32_t)i + 1;
        fill_key(j->rs, j->item, &j->a[i], 0);
    }
    return NULL;
}

/* The first prefixes of every record, in id order, on two threads when
 * two is set; false if stopped. */
static bool fill_all(const didq_recstore *rs, int item, sent *a, size_t n, bool two,
                     const atomic_bool *stop)
{
    fill_job half[2] = {{rs, item, a, 0, n / 2, stop}, {rs, item, a, n / 2, n, stop}};
    pthread_t th;
    bool threaded = two && n >= 65536 && pthread_create(&th, NULL, fill_range, &half[1]) == 0;
    fill_range(&half[0]);
    if (threaded)
        pthread_join(th, NULL);
    else
        fill_range(&half[1]);
    return !stopped(stop);
}

/* One stable counting pass on the digit of `bits` bits at shift of the key
 * (word 0: lo, 1: hi) from a into b; false (nothing moved) when all share
 * the digit. */
static bool radix_pass(const sent *a, sent *b, size_t n, int word, int shift, int bits, size_t *cnt)
{
    size_t nd = (size_t)1 << bits, mask = nd - 1;
    memset(cnt, 0, (nd + 1) * sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        cnt[((word ? a[i].hi : a[i].lo) >> shift & mask) + 1]++;
    for (size_t d = 1; d <= nd; d++) {
        if (cnt[d] == n) return false;
        cnt[d] += cnt[d - 1];
    }
    for (size_t i = 0; i < n; i++)
        b[cnt[(word ? a[i].hi : a[i].lo) >> shift & mask]++] = a[i];
    return true;
}

/* Bits that differ somewhere among the keys, per word (0: lo, 1: hi): a
 * digit without any is skipped without counting it. */
static void varying_bits(const sent *a, size_t n, uint64_t *vary)
{
    uint64_t or [2] = {0, 0}, and[2] = {~0ull, ~0ull};
    for (size_t i = 0; i < n; i++) {
        or [0] |= a[i].lo, and[0] &= a[i].lo;
        or [1] |= a[i].hi, and[1] &= a[i].hi;
    }
    vary[0] = or [0] ^ and[0], vary[1] = or [1] ^ and[1];
}

/* LSD radix sort of a on (hi, lo), stable; tmp has room for n.  Digits of
 * 16 bits for big arrays, 8 for small ones (a histogram to match). */
static void radix_sort(sent *a, sent *tmp, size_t n, size_t *cnt, const atomic_bool *stop)
{
    sent *from = a, *to = tmp;
    int bits = n >= 65536 ? 16 : 8;
    uint64_t vary[2], mask = ((uint64_t)1 << bits) - 1;
    varying_bits(a, n, vary);
    for (int word = 0; word < 2; word++)
        for (int shift = 0; shift < 64; shift += bits)
            if ((vary[word] >> shift & mask) && !stopped(stop) &&
                radix_pass(from, to, n, word, shift, bits, cnt)) {
                sent *t = from;
                from = to, to = t;
            }
    if (from != a) memcpy(a, from, n * sizeof *a);
}

/* Full comparison of two records' values (memcmp, then length), then ids. */
static int cmp_full(const didq_recstore *rs, int item, const sent *x, const sent *y)
{
    uint32_t lx = 0, ly = 0;
    const char *vx = didq_recstore_field(rs, x->id, item, &lx);
    const char *vy = didq_recstore_field(rs, y->id, item, &ly);
    lx = vx ? lx : 0, ly = vy ? ly : 0;
    int c = lx && ly ? memcmp(vx, vy, lx < ly ? lx : ly) : 0;
    if (c == 0 && lx != ly) c = lx < ly ? -1 : 1;
    if (c == 0 && x->id != y->id) c = x->id < y->id ? -1 : 1;
    return c;
}

static void insertion_sort(const didq_recstore *rs, int item, sent *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        sent e = a[i];
        size_t j = i;
        for (; j > 0 && cmp_full(rs, item, &a[j - 1], &e) > 0; j--)
            a[j] = a[j - 1];
        a[j] = e;
    }
}

/* A run of equal keys at depth holds equal values only if its lengths are
 * all the same and end within the bytes compared. */
static bool run_settled(const sent *a, size_t n, uint32_t depth)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].len != a[0].len || a[i].len > depth + KEY_BYTES) return false;
    return true;
}

/* A span of the array whose values share their bytes before depth. */
typedef struct span {
    size_t at, n;
    uint32_t depth;
} span;

typedef struct sorter {
    const didq_recstore *rs;
    int item;
    const atomic_bool *stop; /* set: give up (NULL when nothing can stop it) */
    sent *all, *tmp;
    span *todo; /* spans still to sort (a stack, not recursion) */
    size_t ntodo, captodo;
    size_t cnt[65537];
} sorter;

static void push(sorter *s, size_t at, size_t n, uint32_t depth)
{
    if (s->ntodo == s->captodo) {
        s->captodo = s->captodo ? s->captodo * 2 : 64;
        s->todo = didq_xrealloc(s->todo, s->captodo * sizeof *s->todo);
    }
    s->todo[s->ntodo++] = (span){at, n, depth};
}

/* Every value of the run ends within the bytes compared: equal keys then
 * differ only in trailing NUL bytes, and the shorter comes first. */
static bool run_covered(const sent *a, size_t n, uint32_t depth)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].len > depth + KEY_BYTES) return false;
    return true;
}

static void by_length(sorter *s, sent *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a[i].hi = 0, a[i].lo = a[i].len;
    radix_sort(a, s->tmp, n, s->cnt, s->stop);
}

/* After a span is sorted on its key: settles or queues its runs of equal keys. */
static void queue_runs(sorter *s, span sp)
{
    sent *a = s->all + sp.at;
    for (size_t i = 0, j; i < sp.n; i = j) {
        for (j = i + 1; j < sp.n && a[j].hi == a[i].hi && a[j].lo == a[i].lo; j++)
            ;
        if (j - i < 2 || run_settled(a + i, j - i, sp.depth)) continue;
        if (run_covered(a + i, j - i, sp.depth))
            by_length(s, a + i, j - i);
        else
            push(s, sp.at + i, j - i, sp.depth + KEY_BYTES);
    }
}

/* Sorts a span on its bytes from depth (the first span's keys are filled). */
static void sort_span(sorter *s, span sp)
{
    sent *a = s->all + sp.at;
    if (sp.n < SMALL_RUN) {
        insertion_sort(s->rs, s->item, a, sp.n);
        return;
    }
    if (sp.depth > 0)
        for (size_t i = 0; i < sp.n; i++)
            fill_key(s->rs, s->item, &a[i], sp.depth);
    radix_sort(a, s->tmp, sp.n, s->cnt, s->stop);
    queue_runs(s, sp);
}

/* A work array: written at random places by each radix pass, so huge
 * pages whatever the host (didq_advise_random). */
static sent *work_array(size_t bytes)
{
    sent *a = didq_xmalloc(bytes);
    didq_advise_random(a, bytes);
    return a;
}

/* The two work arrays, from w when it has them (made there if not). */
static void work_arrays(didq_order_work *w, size_t n, sent **a, sent **tmp)
{
    size_t bytes = (n ? n : 1) * sizeof(sent);
    if (w && w->bytes < bytes) {
        didq_order_work_free(w);
        w->a = work_array(bytes), w->tmp = work_array(bytes), w->bytes = bytes;
    }
    *a = w ? w->a : work_array(bytes);
    *tmp = w ? w->tmp : work_array(bytes);
}

void didq_order_work_free(didq_order_work *w)
{
    free(w->a);
    free(w->tmp);
    *w = (didq_order_work){0};
}

unsigned didq_order_width_for(uint64_t n)
{
    const char *e = getenv("DIDQ_ORDER_WIDTH");
    return n >= (uint64_t)1 << 24 || (e && strcmp(e, "4") == 0) ? 4 : 3;
}

/* The ids of a, width bytes each, in a new array, or in place when a is
 * not kept (each id written below the entry it was read from). */
static unsigned char *ids_of(sent *a, size_t n, unsigned width, bool kept)
{
    size_t bytes = n ? n * width : 1;
    unsigned char *order = kept ? didq_xmalloc(bytes) : (unsigned char *)a;
    for (size_t i = 0; i < n; i++) {
        uint32_t id = a[i].id;
        unsigned char *p = order + i * width;
        p[0] = (unsigned char)id, p[1] = (unsigned char)(id >> 8), p[2] = (unsigned char)(id >> 16);
        if (width > 3) p[3] = (unsigned char)(id >> 24);
    }
    return kept ? order : didq_xrealloc(order, bytes);
}

unsigned char *didq_order_build(const didq_recstore *rs, int item, bool two,
                                const atomic_bool *stop, didq_order_work *w)
{
    size_t n = rs->n;
    sorter *s = didq_xcalloc(1, sizeof *s);
    sent *a;
    work_arrays(w, n, &a, &s->tmp);
    s->rs = rs, s->item = item, s->all = a, s->stop = stop;
    if (fill_all(rs, item, a, n, two, stop)) push(s, 0, n, 0);
    while (s->ntodo > 0 && !stopped(stop))
        sort_span(s, s->todo[--s->ntodo]);
    free(s->todo);
    if (!w) free(s->tmp);
    free(s);
    if (stopped(stop)) {
        if (!w) free(a);
        return NULL;
    }
    return ids_of(a, n, rs->order_width, w != NULL);
}

/* Position of record id in the order of item (binary search on value, id). */
uint64_t didq_recstore_order_pos(didq_recstore *rs, int item, uint32_t id)
{
    const unsigned char *order = didq_recstore_order(rs, item);
    sent want = {0, 0, id, 0};
    uint64_t lo = 0, hi = rs->n;
    if (!order || id < 1 || id > rs->n) return 0;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        sent at = {0, 0, didq_order_id(order, rs->order_width, mid), 0};
        if (cmp_full(rs, item, &at, &want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
