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

/* The records' key hashes are copied once into buckets, one per part of
 * the hashes (bits 1 and up), each in id order, with parts small enough
 * that a part's table (12-byte slots for 1.5 times its keys) and its
 * chains stay in the caches: a table of every key misses the cache at
 * each record (at 4 million records, two passes over a 36 MB table and a
 * 16 MB array of chains, about 200 ms).  The order of the groups does not
 * matter: the findings are sorted when the store is sealed.
 * DIDQ_DUP_PART_KEYS sets the keys a part (the tests make it small). */
enum { DUP_PART_KEYS = 1 << 15, DUP_MAX_PARTS = 1 << 12 };

/* A hash's home slot in a table of cap slots. */
static size_t home_slot(uint64_t h, size_t cap)
{
    return (size_t)(((unsigned __int128)(h * 0x9E3779B97F4A7C15ULL) * cap) >> 64);
}

/* A record's key hash (two halves: 4-byte alignment) and id. */
typedef struct dup_ent {
    uint32_t h_lo, h_hi, id;
} dup_ent;

static unsigned dup_part_of(uint64_t h, unsigned nparts)
{
    return (unsigned)(h >> 1) & (nparts - 1);
}

/* One part's n entries: chained by hash through slots (cap of them) and
 * next (a chain's entries, last first), the runs of equal exact keys among
 * each chain of two or more flagged. */
static uint64_t dup_part(didq_recstore *rs, dup_ctx *c, const dup_ent *e, size_t n, dup_slot *slots,
                         size_t cap, uint32_t *next, uint32_t **ids, size_t *capids, int rule)
{
    memset(slots, 0, cap * sizeof *slots);
    for (size_t j = 0; j < n; j++) {
        uint64_t h = (uint64_t)e[j].h_hi << 32 | e[j].h_lo;
        size_t i = home_slot(h, cap);
        while (slots[i].head && slot_hash(&slots[i]) != h)
            i = i + 1 == cap ? 0 : i + 1;
        slots[i].h_lo = e[j].h_lo;
        slots[i].h_hi = e[j].h_hi;
        next[j] = slots[i].head; /* entry index + 1; 0 ends the chain */
        slots[i].head = (uint32_t)j + 1;
    }
    uint64_t flagged = 0;
    for (size_t i = 0; i < cap; i++) {
        if (!slots[i].head || !next[slots[i].head - 1]) continue;
        uint32_t k = 0;
        for (uint32_t x = slots[i].head; x; x = next[x - 1]) {
            if (k == *capids)
                *ids = didq_xrealloc(*ids, (*capids = *capids ? 2 * *capids : 64) * 4);
            (*ids)[k++] = e[x - 1].id;
        }
        flagged += flag_group(rs, c, *ids, k, rule);
    }
    return flagged;
}

/* The n records' nonzero hashes hs[0 .. n) in buckets by part, each in id
 * order: part p's entries are e[at[p] .. at[p + 1]) (at: np + 1 places,
 * made here); *most: the entries of the biggest part. */
static dup_ent *bucket_hashes(const uint64_t *hs, uint32_t n, unsigned np, size_t **at,
                              size_t *most)
{
    size_t *c = didq_xcalloc((size_t)np + 1, sizeof *c);
    for (uint32_t id = 1; id <= n; id++)
        if (hs[id - 1]) c[dup_part_of(hs[id - 1], np) + 1]++;
    *most = 0;
    for (unsigned p = 0; p < np; p++) {
        *most = c[p + 1] > *most ? c[p + 1] : *most;
        c[p + 1] += c[p];
    }
    dup_ent *e = didq_xmalloc((c[np] + 1) * sizeof *e);
    size_t *fill = didq_xmalloc(((size_t)np + 1) * sizeof *fill);
    memcpy(fill, c, ((size_t)np + 1) * sizeof *fill);
    for (uint32_t id = 1; id <= n; id++) {
        uint64_t h = hs[id - 1];
        if (h) e[fill[dup_part_of(h, np)]++] = (dup_ent){(uint32_t)h, (uint32_t)(h >> 32), id};
    }
    free(fill);
    *at = c;
    return e;
}

uint64_t didq_recstore_duplicates(didq_recstore *rs, int a, int b, int rule)
{
    size_t keys = didq_env_size("DIDQ_DUP_PART_KEYS", 16, DUP_PART_KEYS);
    unsigned np = 1;
    while (np < DUP_MAX_PARTS && rs->n > keys * np)
        np *= 2;
    /* the hashes kept from the load, or made here once */
    bool kept = rs->dupkey && a == rs->dup_a && b == rs->dup_b;
    uint64_t *made = kept ? NULL : didq_xmalloc(((size_t)rs->n + 1) * sizeof *made);
    for (uint32_t id = 1; !kept && id <= rs->n; id++)
        made[id - 1] = key_hash(rs, id, a, b);
    size_t *at, most;
    dup_ent *e = bucket_hashes(kept ? rs->dupkey : made, rs->n, np, &at, &most);
    free(made);
    size_t cap = most + most / 2 + 64;
    dup_slot *slots = didq_xmalloc(cap * sizeof *slots);
    uint32_t *next = didq_xmalloc((most + 1) * sizeof *next);
    uint32_t *ids = NULL;
    size_t capids = 0;
    uint64_t flagged = 0;
    dup_ctx c = {rs, a, b};
    for (unsigned p = 0; p < np; p++)
        flagged +=
            dup_part(rs, &c, e + at[p], at[p + 1] - at[p], slots, cap, next, &ids, &capids, rule);
    free(ids);
    free(next);
    free(slots);
    free(e);
    free(at);
    return flagged;
}
