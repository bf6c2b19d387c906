/* anomaly_keys.h: how the record-level kinds (anomaly_records.c,
 * anomaly_identity.c) put their records' keys through a table: the keys
 * copied once into buckets, one per part of the keys, each part's records
 * then passed through a table small enough to stay in the caches, the
 * parts on threads (anomaly_keys.c); and the hits the kinds collect per
 * site. */
#ifndef DIDQ_ANOMALY_KEYS_H
#define DIDQ_ANOMALY_KEYS_H

#include "anomaly_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 20 bytes, not 24: the key is two 32-bit halves, so the slot needs only
 * 4-byte alignment. */
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
 * sized from the keys to come at two slots for three keys.  A table that
 * fills up anyway grows. */
typedef struct key_table {
    key_slot *s;
    size_t cap, used;
} key_table;

enum { KT_MAX_THREADS = AN_MAX_THREADS };

/* A table for n keys, and one emptied for the next part (its pages stay
 * mapped). */
void kt_alloc(key_table *t, size_t n);
void kt_clear(key_table *t);
void kt_grow(key_table *t);

static inline size_t kt_home(const key_table *t, uint64_t key)
{
    uint64_t h = (key ^ (key >> 29)) * 0x9E3779B97F4A7C15ULL;
    return (size_t)(((unsigned __int128)h * t->cap) >> 64);
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

/* ---- keys bucketed by part ----
 * A table of every record's key is far bigger than the caches, and a
 * record's key read in record order waits on memory at each look-up (at 4
 * million records, 60 to 75 ms a pass of a million keys).  So a kind
 * copies its records' keys once into buckets, one per part of the keys
 * (bits 1 and up: bit 0 is always set), each in record order, the parts
 * small enough that their table stays in the caches (KB_PART_SLOTS slots;
 * DIDQ_KEY_PART_SLOTS sets it, the tests make it small so that a few
 * thousand keys go through many parts), and runs its passes over a
 * part's bucket alone.  A key is in one part, so its records are all seen
 * by one thread in record order: every flag, vote and group count is the
 * one pass's; only the order of a site's record list depends on the parts
 * and threads, and those lists go into a keyed table (anomaly_records), so
 * their order does not matter. */
enum { KB_PART_SLOTS = 1 << 16, KB_MAX_PARTS = 1024 };
/* The buckets' entries are 20 bytes a keyed record.  Past KB_ROUND_MIN
 * (about 1.6 million records) the parts are taken in rounds, each round's
 * entries made from a pass over the records of its own.  A round may hold
 * a third of the entries (so four rounds, the parts being near even), but
 * at least KB_ROUND_MIN and at most KB_ROUND_BYTES (past some 40 million
 * records, more rounds).  Rounds bound the memory the kinds add to the
 * peak (at 4 million records 20 MiB instead of 80) at the cost of a pass
 * over the records' keys each.  DIDQ_KEY_ROUND_BYTES sets a fixed limit
 * (the tests make it small).  docs/performance.md, "The record kinds'
 * buckets in rounds". */
#define KB_ROUND_MIN ((size_t)32 << 20)
#define KB_ROUND_BYTES ((size_t)256 << 20)

/* A record's key (two halves: 4-byte alignment), two values of the
 * kind's, and the record's place in the scan (a->recs). */
typedef struct kb_ent {
    uint32_t key_lo, key_hi, val, more, idx;
} kb_ent;

static inline uint64_t kb_key(const kb_ent *e)
{
    return (uint64_t)e->key_hi << 32 | e->key_lo;
}

/* Record i's key (0: none) and its values. */
typedef uint64_t kb_key_fn(const didq_analysis *a, size_t i, uint32_t *val, uint32_t *more);

/* The kinds share one set, made again for each (its entries' memory kept:
 * written for each kind, fresh once). */
typedef struct kb_set {
    kb_ent *e;     /* the buckets of the round being run, part by part */
    size_t cap;    /* entries e has room for */
    size_t *start; /* part p's entries, all rounds in a row: [start[p], start[p + 1]) */
    size_t *at;    /* per thread and part: the place of the thread's first entry */
    unsigned nparts, nrounds, nt;
    size_t most; /* entries of the biggest part */
    kb_key_fn *fn;
} kb_set;

/* Counts every record's key by part (b zeroed at first, or made before),
 * on the analyses' threads; the buckets are filled by kb_run, a round at a
 * time. */
void kb_make(kb_set *b, didq_analysis *a, kb_key_fn *fn);
void kb_free(kb_set *b);
/* One kind's passes over one part's n entries, with a table emptied for
 * them (room for b->most keys), into its thread's hits. */
typedef void kb_part_fn(didq_analysis *a, const kb_ent *e, size_t n, key_table *t, site_hits *h);
/* Fills each round's buckets and runs fn on each of its parts, as many at
 * once as the analyses' threads, into hits h. */
void kb_run(didq_analysis *a, const kb_set *b, kb_part_fn *fn, site_hits *h);
/* A kind counted in groups per site: fn run on every part (kb_run), then
 * the record lists given to anomalies of the kind, one per site whose
 * groups reach the threshold, the value its groups; across: per site code
 * (a->ucodes) over the months, month DIDQ_NOMONTH.  what is the message's
 * format, given the groups and the records (both unsigned long long; it
 * may use only the first). */
void kb_run_kind(didq_analysis *a, const kb_set *b, kb_part_fn *fn, int kind, bool across,
                 const char *what);

/* A key of record i's month only, when the session has several months
 * (0 stays 0: no key). */
static inline uint64_t an_in_month(const didq_analysis *a, size_t i, uint64_t key)
{
    if (!key || a->nmon < 2) return key;
    int part = an_part(a, a->recs[i].file);
    return an_hash(key, &part, sizeof part) | 1;
}

/* anomaly_identity.c: identity-conflict within months and across them,
 * through the buckets b (kb_make). */
void an_identity(didq_analysis *a, kb_set *b);
void an_identity_across(didq_analysis *a, kb_set *b);

#endif
