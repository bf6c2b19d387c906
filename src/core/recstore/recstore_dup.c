/* recstore_dup.c: DIDS071, records of one file that share the cleansed
 * accession number and site.  Records are bucketed by a 64-bit hash of
 * (file, site, accession); a bucket with more than one record is then
 * split by the exact values, so a hash collision cannot make a group. */
#include "recstore_int.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

/* 12 bytes: the hash as two halves, so 4-byte alignment.  A chain of one
 * record is one whose head has no next (no count needed). */
typedef struct dup_slot {
    uint32_t h_lo, h_hi;
    uint32_t head; /* last record id of the chain, 0 = empty slot */
} dup_slot;

static uint64_t slot_hash(const dup_slot *s)
{
    return (uint64_t)s->h_hi << 32 | s->h_lo;
}

typedef struct dup_ctx {
    const didq_recstore *rs;
    int a, b;
} dup_ctx;

uint64_t didq_dup_hash(uint32_t file, const char *a, uint32_t na, const char *b, uint32_t nb)
{
    if (!na || !nb) return 0;
    uint64_t h = 0xcbf29ce484222325ULL ^ file;
    for (uint32_t i = 0; i < na; i++)
        h = (h ^ (unsigned char)a[i]) * 0x100000001b3ULL;
    h = (h ^ 0x1f) * 0x100000001b3ULL;
    for (uint32_t i = 0; i < nb; i++)
        h = (h ^ (unsigned char)b[i]) * 0x100000001b3ULL;
    return h ? h : 1;
}

/* The key hash of a record: kept from the load when it was for a and b. */
static uint64_t key_hash(const didq_recstore *rs, uint32_t id, int a, int b)
{
    if (rs->dupkey && a == rs->dup_a && b == rs->dup_b) return rs->dupkey[id - 1];
    uint32_t na, nb;
    const char *sa = didq_recstore_clean(rs, id, a, &na);
    const char *sb = didq_recstore_clean(rs, id, b, &nb);
    return didq_dup_hash(rs->meta[id - 1].file, sa, na, sb, nb);
}

/* qsort has no context argument: per thread, as two sessions may end their
 * loads at once (`didq diff`). */
static _Thread_local dup_ctx *sort_ctx;

static int cmp_exact(const void *x, const void *y)
{
    uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
    for (int k = 0; k < 2; k++) {
        int item = k ? sort_ctx->b : sort_ctx->a;
        uint32_t ni, nj;
        const char *si = didq_recstore_clean(sort_ctx->rs, i, item, &ni);
        const char *sj = didq_recstore_clean(sort_ctx->rs, j, item, &nj);
        int c = memcmp(si, sj, ni < nj ? ni : nj);
        if (c || ni != nj) return c ? c : (ni < nj ? -1 : 1);
    }
    return (i > j) - (i < j);
}

/* Flags the runs of equal exact keys (length > 1) among ids. */
static uint64_t flag_group(didq_recstore *rs, dup_ctx *c, uint32_t *ids, uint32_t n, int rule)
{
    if (n < 2) return 0; /* no group of equal keys */
    sort_ctx = c;
    qsort(ids, n, sizeof *ids, cmp_exact);
    uint64_t flagged = 0;
    for (uint32_t s = 0, e; s < n; s = e) {
        uint32_t ls, le;
        const char *as = didq_recstore_clean(rs, ids[s], c->a, &ls);
        const char *bs = didq_recstore_clean(rs, ids[s], c->b, &le);
        for (e = s + 1; e < n; e++) {
            uint32_t l1, l2;
            const char *ae = didq_recstore_clean(rs, ids[e], c->a, &l1);
            const char *be = didq_recstore_clean(rs, ids[e], c->b, &l2);
            if (l1 != ls || l2 != le || memcmp(as, ae, l1) != 0 || memcmp(bs, be, l2) != 0) break;
        }
        for (uint32_t k = s; e - s > 1 && k < e; k++) {
            didq_recstore_add_finding(rs, ids[k], rule, c->a);
            if (rs->meta[ids[k] - 1].nerr < 255) rs->meta[ids[k] - 1].nerr++;
            flagged++;
        }
    }
    return flagged;
}

/* The table has room for the keys of one part at two slots for three keys
 * (any number of slots: a hash's home is its high bits scaled to the
 * table); it was the next power of two over twice the records, 16 bytes a
 * slot, 134 MB at 4 million records.  Over 4.2 million slots the keys go
 * through it in parts (bits 1 and 2 of the hash), one pass each: 36 MB at
 * 4 million records.  The order of the groups does not matter: the
 * findings are sorted when the store is sealed. */
enum { DUP_PART_SLOTS = 1 << 22, DUP_MAX_PARTS = 4 };

/* A hash's home slot in a table of cap slots. */
static size_t home_slot(uint64_t h, size_t cap)
{
    return (size_t)(((unsigned __int128)(h * 0x9E3779B97F4A7C15ULL) * cap) >> 64);
}

/* The slots are read at random, a cache miss each: the home slot of the
 * record AHEAD on is asked for first, so that the waits overlap (a hint;
 * only where the hashes were kept from the load, cheap to read twice). */
enum { AHEAD = 16 };

static void prefetch_home(const didq_recstore *rs, uint32_t id, int part, int nparts,
                          const dup_slot *slots, size_t cap)
{
#if defined(__GNUC__) || defined(__clang__)
    if (id > rs->n) return;
    uint64_t h = rs->dupkey[id - 1];
    if (h && (int)((h >> 1) & (uint64_t)(nparts - 1)) == part)
        __builtin_prefetch(&slots[home_slot(h, cap)], 1);
#else
    (void)rs, (void)id, (void)part, (void)nparts, (void)slots, (void)cap;
#endif
}

static uint64_t dup_part(const didq_recstore *rs, int a, int b, int part, int nparts,
                         dup_slot *slots, size_t cap, uint32_t *next, uint32_t **ids,
                         size_t *capids, int rule)
{
    memset(slots, 0, cap * sizeof *slots);
    bool kept = rs->dupkey && a == rs->dup_a && b == rs->dup_b;
    for (uint32_t id = 1; id <= rs->n; id++) {
        if (kept) prefetch_home(rs, id + AHEAD, part, nparts, slots, cap);
        uint64_t h = key_hash(rs, id, a, b);
        if (!h || (int)((h >> 1) & (uint64_t)(nparts - 1)) != part) continue;
        size_t i = home_slot(h, cap);
        while (slots[i].head && slot_hash(&slots[i]) != h)
            i = i + 1 == cap ? 0 : i + 1;
        slots[i].h_lo = (uint32_t)h;
        slots[i].h_hi = (uint32_t)(h >> 32);
        next[id] = slots[i].head;
        slots[i].head = id;
    }
    dup_ctx c = {rs, a, b};
    uint64_t flagged = 0;
    for (size_t i = 0; i < cap; i++) {
        if (!slots[i].head || !next[slots[i].head]) continue;
        uint32_t n = 0;
        for (uint32_t id = slots[i].head; id; id = next[id]) {
            if (n == *capids)
                *ids = didq_xrealloc(*ids, (*capids = *capids ? 2 * *capids : 64) * 4);
            (*ids)[n++] = id;
        }
        flagged += flag_group((didq_recstore *)rs, &c, *ids, n, rule);
    }
    return flagged;
}

uint64_t didq_recstore_duplicates(didq_recstore *rs, int a, int b, int rule)
{
    int nparts = 1;
    while (nparts < DUP_MAX_PARTS && (rs->n + rs->n / 2) / (size_t)nparts > DUP_PART_SLOTS)
        nparts *= 2;
    size_t most = nparts > 1 ? 0 : rs->n, count[DUP_MAX_PARTS] = {0}; /* room for the most */
    for (uint32_t id = 1; nparts > 1 && id <= rs->n; id++) {
        uint64_t h = key_hash(rs, id, a, b);
        if (h) count[(h >> 1) & (uint64_t)(nparts - 1)]++;
    }
    for (int p = 0; p < nparts; p++)
        most = count[p] > most ? count[p] : most;
    size_t cap = most + most / 2 + 1024;
    dup_slot *slots = didq_xmalloc(cap * sizeof *slots);
    uint32_t *next = didq_xcalloc(rs->n + 1, sizeof *next);
    uint32_t *ids = NULL;
    size_t capids = 0;
    uint64_t flagged = 0;
    for (int part = 0; part < nparts; part++)
        flagged += dup_part(rs, a, b, part, nparts, slots, cap, next, &ids, &capids, rule);
    free(ids);
    free(next);
    free(slots);
    return flagged;
}
