/* anomaly_keys.h: the table of keys the record-level kinds put their
 * records' keys through (anomaly_records.c, anomaly_identity.c), one part
 * of the keys at a time, the parts on threads (anomaly_keys.c); and the
 * hits the kinds collect per site. */
#ifndef DIDQ_ANOMALY_KEYS_H
#define DIDQ_ANOMALY_KEYS_H

#include "anomaly_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 20 bytes, not 24: the key is two 32-bit halves, so the slot needs only
 * 4-byte alignment (the table is the biggest block of the analyses). */
typedef struct key_slot {
    uint32_t key_lo, key_hi; /* 0: empty */
    uint32_t val;
    int32_t dob;
    uint16_t file;
    char gender;
    uint8_t flag; /* 1: conflicting group; 2: also counted */
} key_slot;

static inline uint64_t slot_key(const key_slot *s)
{
    return (uint64_t)s->key_hi << 32 | s->key_lo;
}

/* Open addressing with linear probing over any number of slots (a key's
 * home is its high bits scaled to the table, not a power-of-two mask):
 * sized from the keys to come at two slots for three keys at most, not
 * the next power of two over twice the records, which at 4 million records
 * was 8.4 million slots (168 MB).  A table that fills up anyway (keys
 * unevenly spread over the parts) grows. */
typedef struct key_table {
    key_slot *s;
    size_t cap, used;
    unsigned part, nparts; /* the keys of this pass: those of part (of nparts) */
} key_table;

/* Keys go through the table in nparts passes, each keeping the keys of one
 * part (bits 1 and up of the key: bit 0 is always set), so the table holds
 * a part's keys, not all of them: at most about 4.2 million slots (84 MB)
 * while that takes at most 4 parts.  Each pass rereads the record keys,
 * in order.  With threads, the parts are cut finer, threads times, and
 * that many run at once, each in a table of its own: the tables together
 * hold what one did, so the memory is the same at any number of threads.
 * A site's record list then holds each part's records in turn: the lists
 * go into a keyed table (anomaly_records), so their order does not
 * matter. */
enum { KT_PART_SLOTS = 1 << 22, KT_MAX_PARTS = 4, KT_MAX_THREADS = AN_MAX_THREADS };

/* The tables of the parts that run at once: one per thread. */
typedef struct kt_set {
    key_table t[KT_MAX_THREADS];
    unsigned n;
} kt_set;

/* Tables for n keys on threads threads (parts of a power of two);
 * DIDQ_KEY_PART_SLOTS sets the slots of a part (the tests make it small,
 * so that a few thousand keys go through every part). */
void kt_init(kt_set *ks, size_t n, int threads);
void kt_free(kt_set *ks);
/* A table for n keys (of one pass), and one emptied for the next pass
 * (its pages stay mapped). */
void kt_alloc(key_table *t, size_t n);
void kt_clear(key_table *t);
void kt_grow(key_table *t);

static inline size_t kt_home(const key_table *t, uint64_t key)
{
    uint64_t h = (key ^ (key >> 29)) * 0x9E3779B97F4A7C15ULL;
    return (size_t)(((unsigned __int128)h * t->cap) >> 64);
}

/* Whether key is one of this pass's. */
static inline bool kt_mine(const key_table *t, uint64_t key)
{
    return ((key >> 1) & (t->nparts - 1)) == t->part;
}

/* The table is far bigger than the caches and keys come in record order:
 * each loop asks for the slot of a record AHEAD places on while it works
 * (when the key is one of this pass's). */
enum { AHEAD = 16 };

static inline void kt_prefetch(const key_table *t, uint64_t key)
{
    if (kt_mine(t, key)) __builtin_prefetch(&t->s[kt_home(t, key)], 1);
}

static inline key_slot *kt_find(const key_table *t, uint64_t key)
{
    size_t i = kt_home(t, key);
    while (slot_key(&t->s[i]) && slot_key(&t->s[i]) != key)
        i = i + 1 == t->cap ? 0 : i + 1;
    return &t->s[i];
}

/* The slot of a key; *fresh is set when it was empty (now claimed). */
static inline key_slot *kt_get(key_table *t, uint64_t key, bool *fresh)
{
    key_slot *s = kt_find(t, key);
    *fresh = !slot_key(s);
    if (*fresh && ++t->used > t->cap - t->cap / 4) {
        kt_grow(t);
        s = kt_find(t, key);
    }
    s->key_lo = (uint32_t)key;
    s->key_hi = (uint32_t)(key >> 32);
    return s;
}

/* The slots of t that keep accepts, copied into a table of their own
 * (hot) sized for them, with t's part; returns how many (with none, hot
 * has no slots and the kind's next passes can be left out).  A kind's
 * passes after the first look their records' keys up in hot: with few
 * conflicting groups it stays in the caches, where t (16 MB a thread at a
 * million records) does not, and a clean month skips those passes. */
size_t kt_pick(const key_table *t, key_table *hot, bool (*keep)(const key_slot *s));

/* The slot of key in hot (made by kt_pick), or NULL when kt_pick left the
 * key out. */
static inline key_slot *kt_look(const key_table *hot, uint64_t key)
{
    if (!hot->cap) return NULL;
    key_slot *s = kt_find(hot, key);
    return slot_key(s) ? s : NULL;
}

/* Gives each conflicting group's records to the anomaly of their site:
 * recs[site] collects the record ids, groups[site] counts the groups. */
typedef struct site_hits {
    an_list *recs;
    uint64_t *groups;
} site_hits;

site_hits hits_new(const didq_analysis *a);
void hits_free(const didq_analysis *a, site_hits *h);
/* Moves a site's record list to a new anomaly. */
void hits_give(didq_analysis *a, didq_anomaly *an, an_list *l);

/* One kind's work on the keys of one part, into the hits of its thread. */
typedef void part_fn(didq_analysis *a, key_table *t, site_hits *h);

/* Runs fn on every part, ks->n at once, into hits h.  A key is in one
 * part, so its records are all seen by one thread: the flags and group
 * counts are the serial pass's, and only the order of a site's record
 * list (which does not matter, above) depends on the threads. */
void kt_run_parts(didq_analysis *a, kt_set *ks, part_fn *fn, site_hits *h);

/* A kind counted in groups per site: fn run on every part (kt_run_parts),
 * then the record lists given to anomalies of the kind, one per site whose
 * groups reach the threshold, the value its groups; across: per site code
 * (a->ucodes) over the months, month DIDQ_NOMONTH.  what is the message's
 * format, given the groups and the records (both unsigned long long; it
 * may use only the first). */
void kt_run_kind(didq_analysis *a, kt_set *ks, part_fn *fn, int kind, bool across,
                 const char *what);

/* A key of record i's month only, when the session has several months
 * (0 stays 0: no key). */
static inline uint64_t an_in_month(const didq_analysis *a, size_t i, uint64_t key)
{
    if (!key || a->nmon < 2) return key;
    int part = an_part(a, a->recs[i].file);
    return an_hash(key, &part, sizeof part) | 1;
}

/* anomaly_identity.c: identity-conflict within months and across them. */
void an_identity(didq_analysis *a, kt_set *ks);
void an_identity_across(didq_analysis *a, kt_set *ks);

#endif
