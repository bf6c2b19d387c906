/* recstore_int.h: the inside of didq_recstore, shared by recstore.c,
 * recstore_index.c and the virtual tables.  Not for other modules. */
#ifndef DIDQ_RECSTORE_INT_H
#define DIDQ_RECSTORE_INT_H

#include "didq/recstore.h"

#include <stddef.h>

typedef struct key_bucket {
    const char *key; /* points into the arena */
    uint32_t len;
    uint32_t n, cap;
    uint32_t *ids;
} key_bucket;

struct didq_recstore {
    int nitems, ndates;
    int date_items[DIDQ_MAX_DATES];
    unsigned char **chunks;
    size_t nchunks, capchunks, used;
    didq_recmeta *meta;
    size_t n, cap;
    didq_finding *findings;
    size_t nfind, capfind;
    int sealed;
    /* after seal */
    uint32_t *rule_pos;   /* finding positions grouped by rule */
    uint64_t *rule_start; /* per rule (nrules + 1 entries) */
    int nrules;
    int key_item;
    int dup_a, dup_b; /* items of the duplicate key, -1 if unset */
    key_bucket *keys; /* open addressing, nkeys_cap slots */
    size_t nkeys_cap;
    uint32_t *file_first, *file_last; /* per file number */
    int nfiles;
};

void didq_recstore_free_index(didq_recstore *rs);

/* Hash of (file, a, b) cleansed values; 0 when a or b is blank. */
uint64_t didq_dup_hash(uint32_t file, const char *a, uint32_t na, const char *b, uint32_t nb);

/* didq_match(id, pattern) in db (recstore_match.c). */
void didq_recstore_register_match(didq_recstore *rs, sqlite3 *db);

/* The SQLite modules behind the tables `records` and `findings`. */
extern const sqlite3_module didq_records_module;
extern const sqlite3_module didq_findings_module;

#endif
