/* refdata_map.c: the compact hash used by the reference data: 64-bit keys
 * (codes packed into integers) in open addressing with linear probing, and
 * row arrays chained per key.  Nothing is allocated per row. */
#include "refdata_int.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    return k ^ (k >> 33);
}

size_t refmap_slot(const refmap *m, uint64_t key)
{
    size_t mask = m->cap - 1, i = (size_t)mix(key) & mask;
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

uint32_t refmap_get(const refmap *m, uint64_t key)
{
    if (!m->cap || !key) return UINT32_MAX;
    size_t i = refmap_slot(m, key);
    return m->keys[i] ? m->vals[i] : UINT32_MAX;
}

static void grow(refmap *m)
{
    refmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 1024;
    m->keys = didq_xcalloc(m->cap, sizeof *m->keys);
    m->vals = didq_xmalloc(m->cap * sizeof *m->vals);
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t j = refmap_slot(m, old.keys[i]);
            m->keys[j] = old.keys[i];
            m->vals[j] = old.vals[i];
        }
    free(old.keys);
    free(old.vals);
}

uint32_t refmap_put(refmap *m, uint64_t key, uint32_t val)
{
    if ((m->n + 1) * 10 > m->cap * 7) grow(m);
    size_t i = refmap_slot(m, key);
    uint32_t prev = m->keys[i] ? m->vals[i] : UINT32_MAX;
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->n++;
    }
    m->vals[i] = val;
    return prev;
}

void refmap_free(refmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* 0-9 -> 1-10, A-Z/a-z -> 11-36, else -1. */
static int digit37(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0' + 1;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 11;
    if (c >= 'a' && c <= 'z') return c - 'a' + 11;
    return -1;
}

uint64_t refkey_code(const char *s, size_t n, int skip_space)
{
    uint64_t k = 0;
    int used = 0;
    for (size_t i = 0; i < n; i++) {
        if (skip_space && (s[i] == ' ' || s[i] == '\t')) continue;
        int d = digit37((unsigned char)s[i]);
        if (d < 0 || ++used > 12) return 0;
        k = k * 37 + (uint64_t)d;
    }
    return k;
}

uint64_t refkey_sct(const char *s, size_t n)
{
    if (n == 0 || n > 18) return 0;
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        k = k * 10 + (uint64_t)(s[i] - '0');
    }
    return k;
}

void reftable_add(reftable *t, uint64_t key, const refrow *row)
{
    if (t->nrows == t->caprows) {
        t->caprows = t->caprows ? t->caprows * 2 : 256;
        t->rows = didq_xrealloc(t->rows, t->caprows * sizeof *t->rows);
    }
    uint32_t idx = (uint32_t)t->nrows++;
    t->rows[idx] = *row;
    t->rows[idx].next = UINT32_MAX;
    uint32_t first = refmap_get(&t->map, key);
    if (first == UINT32_MAX) {
        refmap_put(&t->map, key, idx);
        return;
    }
    uint32_t i = first;
    while (t->rows[i].next != UINT32_MAX)
        i = t->rows[i].next;
    t->rows[i].next = idx;
}

void reftable_free(reftable *t)
{
    refmap_free(&t->map);
    free(t->rows);
    memset(t, 0, sizeof *t);
}
