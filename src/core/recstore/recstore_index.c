/* recstore_index.c: what is built once the load ends: findings sorted by
 * record and grouped by rule, the site look-up, file ranges, and the
 * duplicate groups of DIDS071. */
#include "recstore_int.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(uint64_t h, const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* ---- findings ---- */

static int cmp_finding(const void *a, const void *b)
{
    const didq_finding *x = a, *y = b;
    if (x->rec != y->rec) return x->rec < y->rec ? -1 : 1;
    return (x->rule > y->rule) - (x->rule < y->rule);
}

/* Counting sort of finding positions by rule; stable, so record order holds. */
static void index_rules(didq_recstore *rs)
{
    int nrules = 0;
    for (size_t i = 0; i < rs->nfind; i++)
        if (rs->findings[i].rule + 1 > nrules) nrules = rs->findings[i].rule + 1;
    rs->nrules = nrules;
    rs->rule_start = didq_xcalloc((size_t)nrules + 1, sizeof *rs->rule_start);
    rs->rule_pos = didq_xmalloc((rs->nfind ? rs->nfind : 1) * sizeof *rs->rule_pos);
    for (size_t i = 0; i < rs->nfind; i++)
        rs->rule_start[rs->findings[i].rule + 1]++;
    for (int r = 0; r < nrules; r++)
        rs->rule_start[r + 1] += rs->rule_start[r];
    uint64_t *fill = didq_xmalloc(((size_t)nrules + 1) * sizeof *fill);
    memcpy(fill, rs->rule_start, ((size_t)nrules + 1) * sizeof *fill);
    for (size_t i = 0; i < rs->nfind; i++)
        rs->rule_pos[fill[rs->findings[i].rule]++] = (uint32_t)i;
    free(fill);
}

const uint32_t *didq_recstore_rule_findings(const didq_recstore *rs, int rule, uint64_t *n)
{
    if (!rs->sealed || rule < 0 || rule >= rs->nrules) {
        *n = 0;
        return NULL;
    }
    *n = rs->rule_start[rule + 1] - rs->rule_start[rule];
    return rs->rule_pos + rs->rule_start[rule];
}

/* ---- the key look-up (one item, usually the site) ---- */

static key_bucket *key_slot(const didq_recstore *rs, const char *s, uint32_t n)
{
    size_t mask = rs->nkeys_cap - 1;
    for (size_t i = hash_bytes(0xcbf29ce484222325ULL, s, n) & mask;; i = (i + 1) & mask) {
        key_bucket *b = &rs->keys[i];
        if (!b->key || (b->len == n && memcmp(b->key, s, n) == 0)) return b;
    }
}

static void key_grow(didq_recstore *rs)
{
    key_bucket *old = rs->keys;
    size_t oldcap = rs->nkeys_cap;
    rs->nkeys_cap = oldcap ? oldcap * 2 : 256;
    rs->keys = didq_xcalloc(rs->nkeys_cap, sizeof *rs->keys);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key) *key_slot(rs, old[i].key, old[i].len) = old[i];
    free(old);
}

static void key_add(didq_recstore *rs, const char *s, uint32_t n, uint32_t id, size_t *used)
{
    if ((*used + 1) * 2 > rs->nkeys_cap) key_grow(rs);
    key_bucket *b = key_slot(rs, s, n);
    if (!b->key) {
        b->key = s;
        b->len = n;
        (*used)++;
    }
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->ids = didq_xrealloc(b->ids, b->cap * sizeof *b->ids);
    }
    b->ids[b->n++] = id;
}

static void index_keys(didq_recstore *rs)
{
    size_t used = 0;
    if (rs->key_item < 0) return;
    for (uint32_t id = 1; id <= rs->n; id++) {
        uint32_t len;
        /* a value of only spaces is the key '' (as SQL's cleansed column:
         * didq_recstore_clean, without reading the value twice); an absent
         * one is NULL and in no bucket */
        const char *s = didq_recstore_field(rs, id, rs->key_item, &len);
        if (!s) continue;
        didq_trim_spaces(&s, &len);
        key_add(rs, s, len, id, &used);
    }
    /* each list to its length: doubling left up to half of it unused (8 MB
     * at 4 million records) */
    for (size_t i = 0; i < rs->nkeys_cap; i++)
        if (rs->keys[i].key && rs->keys[i].n < rs->keys[i].cap) {
            rs->keys[i].ids = didq_xrealloc(rs->keys[i].ids, rs->keys[i].n * sizeof(uint32_t));
            rs->keys[i].cap = rs->keys[i].n;
        }
}

/* The look-up made on demand (didq_recstore_keys_on_demand): once, by
 * the first caller after the seal; the store is not changed otherwise. */
static void keys_ready(const didq_recstore *rs)
{
    if (!rs->keys_lazy || !rs->sealed || atomic_load(&rs->keys_made)) return;
    didq_recstore *w = (didq_recstore *)rs;
    pthread_mutex_lock(&w->keys_lock);
    if (!atomic_load(&w->keys_made)) index_keys(w);
    atomic_store(&w->keys_made, true);
    pthread_mutex_unlock(&w->keys_lock);
}

const uint32_t *didq_recstore_lookup(const didq_recstore *rs, const char *value, uint32_t len,
                                     uint64_t *n)
{
    *n = 0;
    keys_ready(rs);
    if (!rs->keys) return NULL;
    key_bucket *b = key_slot(rs, value, len);
    *n = b->key ? b->n : 0;
    return b->key ? b->ids : NULL;
}

void didq_recstore_set_key_item(didq_recstore *rs, int item)
{
    rs->key_item = item;
}

void didq_recstore_keys_on_demand(didq_recstore *rs)
{
    rs->keys_lazy = true;
}

bool didq_recstore_has_lookup(const didq_recstore *rs)
{
    return rs->key_item >= 0;
}

/* ---- files ---- */

static void index_files(didq_recstore *rs)
{
    int nfiles = 0;
    for (size_t i = 0; i < rs->n; i++)
        if (rs->meta[i].file > nfiles) nfiles = rs->meta[i].file;
    rs->nfiles = nfiles;
    rs->file_first = didq_xcalloc((size_t)nfiles + 1, sizeof *rs->file_first);
    rs->file_last = didq_xcalloc((size_t)nfiles + 1, sizeof *rs->file_last);
    for (size_t i = 0; i < rs->n; i++) {
        int f = rs->meta[i].file;
        if (!rs->file_first[f]) rs->file_first[f] = (uint32_t)i + 1;
        rs->file_last[f] = (uint32_t)i + 1;
    }
}

void didq_recstore_file_range(const didq_recstore *rs, int file, uint32_t *first, uint32_t *last)
{
    int ok = rs->sealed && file >= 1 && file <= rs->nfiles;
    *first = ok ? rs->file_first[file] : 0;
    *last = ok ? rs->file_last[file] : 0;
}

void didq_recstore_seal(didq_recstore *rs)
{
    if (rs->sealed) return;
    didq_recstore_end_load(rs);
    if (rs->nfind) qsort(rs->findings, rs->nfind, sizeof *rs->findings, cmp_finding);
    free(rs->dupkey); /* DIDS071 has run */
    rs->dupkey = NULL;
    index_rules(rs);
    if (!rs->keys_lazy) index_keys(rs);
    index_files(rs);
    didq_sites_cache_make(rs);
    rs->sealed = 1;
}

void didq_recstore_free_index(didq_recstore *rs)
{
    for (size_t i = 0; i < rs->nkeys_cap; i++)
        free(rs->keys[i].ids);
    free(rs->keys);
    free(rs->file_first);
    free(rs->file_last);
}
