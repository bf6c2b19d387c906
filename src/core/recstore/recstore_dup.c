/* recstore_dup.c: DIDS071, records of one file that share the cleansed
 * accession number and site.  Records are bucketed by a 64-bit hash of
 * (file, site, accession); a bucket with more than one record is then
 * split by the exact values, so a hash collision cannot make a group. */
#include "recstore_int.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct dup_slot {
    uint64_t h;
    uint32_t head; /* first record id of the chain, 0 = empty slot */
    uint32_t count;
} dup_slot;

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
    if (a == rs->dup_a && b == rs->dup_b) return rs->meta[id - 1].dupkey;
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

uint64_t didq_recstore_duplicates(didq_recstore *rs, int a, int b, int rule)
{
    size_t cap = 1024;
    while (cap < rs->n * 2)
        cap *= 2;
    dup_slot *slots = didq_xcalloc(cap, sizeof *slots);
    uint32_t *next = didq_xcalloc(rs->n + 1, sizeof *next);
    didq_recstore_advise(rs, slots, cap * sizeof *slots); /* untouched yet: zero pages */
    didq_recstore_advise(rs, next, (rs->n + 1) * sizeof *next);
    for (uint32_t id = 1; id <= rs->n; id++) {
        uint64_t h = key_hash(rs, id, a, b);
        if (!h) continue;
        size_t i = h & (cap - 1);
        while (slots[i].head && slots[i].h != h)
            i = (i + 1) & (cap - 1);
        slots[i].h = h;
        next[id] = slots[i].head;
        slots[i].head = id;
        slots[i].count++;
    }
    dup_ctx c = {rs, a, b};
    uint64_t flagged = 0;
    uint32_t *ids = NULL;
    for (size_t i = 0; i < cap; i++) {
        if (slots[i].count < 2) continue;
        ids = didq_xrealloc(ids, slots[i].count * sizeof *ids);
        uint32_t n = 0;
        for (uint32_t id = slots[i].head; id; id = next[id])
            ids[n++] = id;
        flagged += flag_group(rs, &c, ids, n, rule);
    }
    free(ids);
    free(next);
    free(slots);
    return flagged;
}
