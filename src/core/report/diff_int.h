/* diff_int.h: one side of `didq diff` (diff_side.c), read once into memory
 * for the matching of diff.c: each record's key hash, its rule findings as
 * sorted distinct indices into the diff's rule list, and access to its key,
 * line and raw values.  A loaded session is read from its record store
 * (recstore.h) directly; a saved one (`--db`) through SQL. */
#ifndef DIDQ_DIFF_INT_H
#define DIDQ_DIFF_INT_H

#include "didq/diff.h"
#include "didq/util.h"
#include "recstore.h"

#include <stdint.h>

/* A record's cleansed key, pointing into the record store or kbuf. */
typedef struct dkey {
    const char *site, *acc;
    uint32_t ls, la;
} dkey;

typedef struct dside {
    didq_session *s;
    const didq_recstore *rs; /* NULL: a saved session, read through SQL */
    uint32_t n;              /* records; index i is the record with the i-th id */
    uint64_t unkeyed;        /* records with a blank site code or accession number */
    uint64_t *hash;          /* hash of the cleansed key, per record */
    int nitems;              /* loaded sessions: the items of a record's encoded bytes */
    uint64_t *fofs;          /* record i's rule indices: fr[fofs[i]] .. fr[fofs[i + 1] - 1] */
    int *fr;
    /* Saved sessions: ids, lines and the cleansed keys (their bytes in
     * kbuf) kept from one scan; the raw values read by id. */
    dkey *keys;
    uint32_t *ids;
    uint64_t *line;
    char *kbuf;
    sqlite3_stmt *fields;
} dside;

/* Reads a finished session; d's rule list (sorted codes) must be made. */
void didq_dside_open(dside *side, didq_session *s, const didq_diff *d);
void didq_dside_free(dside *side);

/* Record i's cleansed key (pointing into the record store or kbuf). */
void didq_dside_key(const dside *side, uint32_t i, dkey *k);

/* A hint that record i will be read soon: its metadata (blob false) or,
 * once that is at hand, its encoded bytes; nothing for a saved session. */
void didq_dside_prefetch(const dside *side, uint32_t i, bool blob);

/* Record i's raw values of items 0..n-1 are those of record j of other
 * (both loaded sessions): their encoded bytes are equal, both kept as
 * lines in their files or both as blobs (recstore.h).  False when not
 * known that way (then compare the values). */
bool didq_dside_same_raw(const dside *side, uint32_t i, const dside *other, uint32_t j);
uint64_t didq_dside_line(const dside *side, uint32_t i);

/* Record i's raw values of items 0..n-1 (v[k] NULL: absent); valid until
 * didq_dside_values_done. */
void didq_dside_values(dside *side, uint32_t i, int n, const char **v, uint32_t *len);
void didq_dside_values_done(dside *side);

/* The hash of a cleansed key, as dside's hash holds. */
uint64_t didq_dside_hash(const char *site, uint32_t ls, const char *acc, uint32_t la);

/* The index in d's rule list (sorted by code) of code, or -1. */
int didq_diff_rule_index(const didq_diff *d, const char *code);

/* Record i's rule findings: n sorted distinct indices into the rule list. */
const int *didq_dside_rules(const dside *side, uint32_t i, int *n);
/* Record i's id in its session. */
uint32_t didq_dside_id(const dside *side, uint32_t i);

/* Keys in order of site, then accession number (bytes). */
int didq_dkey_cmp(const dkey *a, const dkey *b);

/* An added, removed or changed record before it is described: indices into
 * OLD and NEW (UINT32_MAX where not in that file), its key (pointing into
 * the side, which outlives the changes) and its place within its key. */
typedef struct dpend {
    dkey key;
    uint32_t o, n, rank;
    uint8_t kind;
} dpend;

/* qsort order of dpend: by key, then place in the key (a total order). */
int didq_dpend_cmp(const void *a, const void *b);

/* The matching of diff_match.c: both sides read, d's rule list made and
 * new_pair allocated.  nparts parts run on as many threads (1 when either
 * side is a saved session, whose values are read through one SQLite
 * statement). */
typedef struct dmatch {
    didq_diff *d;
    dside *old, *new_;
    uint32_t nparts;
    dpend *pend; /* the added, removed and changed records, sorted */
    size_t npend;
} dmatch;

/* Pairs the records, counts into m->d and makes m->pend. */
void didq_dmatch_run(dmatch *m);

/* Whether any item's raw value differs between OLD's record o and NEW's
 * n; with changed, counts each item that does and names it in names. */
bool didq_dmatch_items_differ(dmatch *m, uint32_t o, uint32_t n, uint64_t *changed,
                              didq_buf *names);

#endif
