/* recstore_int.h: the inside of didq_recstore, shared by recstore.c,
 * recstore_index.c and the virtual tables.  Not for other modules. */
#ifndef DIDQ_RECSTORE_INT_H
#define DIDQ_RECSTORE_INT_H

#include "recstore.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

typedef struct key_bucket {
    const char *key; /* points into the arena */
    uint32_t len;
    uint32_t n, cap;
    uint32_t *ids;
} key_bucket;

typedef struct didq_prebuild didq_prebuild; /* recstore_order.c */

/* The bytes a file's plain records are read back from (recstore_line.c). */
typedef struct didq_file_bytes {
    const unsigned char *p;
    uint64_t n;
    bool mapped;  /* a mapping of the store's, unmapped with it */
    bool adopted; /* its pages the process's own (didq_recstore_adopt_file_bytes) */
} didq_file_bytes;

/* A record's blob with this bit set is no arena position: the record's
 * values are its line in its file's bytes, its offset in the low
 * DIDQ_BLOB_OFFSET_BITS bits and its length in the bits above them
 * (recstore_line.c).  Else the blob is the arena position of the record's
 * byte offset in its file (8 bytes) followed by its encoded values. */
#define DIDQ_BLOB_IN_FILE (UINT64_C(1) << 63)
enum { DIDQ_BLOB_OFFSET_BITS = 46, DIDQ_BLOB_LEN_BITS = 17 };
#define DIDQ_BLOB_OFFSET_MASK ((UINT64_C(1) << DIDQ_BLOB_OFFSET_BITS) - 1)

struct didq_recstore {
    int nitems, ndates;
    uint32_t widest[DIDQ_MAX_ITEMS]; /* per item: bytes of the longest raw value */
    int date_items[DIDQ_MAX_DATES];
    unsigned char **chunks;
    size_t nchunks, capchunks, used;
    didq_recmeta *meta;
    size_t n, cap;
    size_t expect; /* records the loads expect in all (a hint), 0 unknown */
    /* per record, until the store is sealed: the hash of (file, duplicate
     * key items), 0 if one is blank (DIDS071); beside the metadata, not in
     * it, so that its 8 bytes a record are freed before the analyses' peak */
    uint64_t *dupkey;
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
    /* didq_recstore_keys_on_demand: the look-up is made by the first
     * didq_recstore_lookup after the seal (keys_made says it is), under
     * keys_lock, instead of at the seal */
    bool keys_lazy;
    atomic_bool keys_made;
    pthread_mutex_t keys_lock;
    uint32_t *file_first, *file_last; /* per file number */
    int nfiles;
    unsigned char *order[DIDQ_MAX_ITEMS]; /* per item, made on first use (recstore_sort.c) */
    /* bytes an id in them (didq_recstore_order): set by the explorer's
     * thread before the first order is made, by it or the builder */
    unsigned order_width;
    didq_prebuild *bg;     /* the background builder of orders, or NULL */
    int order_next;        /* the item it makes next, or -1 (its lock) */
    int spill_fd, meta_fd; /* files of the arena and metadata, or -1 */
    int threads;           /* the passes over every record (recstore_sites.c): parts on threads */
    char *spill_dir;       /* their folder, for messages */
    /* while a big file loads (recstore.c): the helper that makes fresh
     * memory ready, the next arena chunk it readies, and the records of
     * metadata asked for so far */
    struct didq_prefault *ahead;
    unsigned char *spare;
    size_t asked;
    /* the whole sealed store's per-site counts, made once (recstore_sites.c) */
    struct didq_sites_cache *sites;
    didq_file_bytes *fbytes; /* per file number (didq_recstore_file_bytes), nfbytes of them */
    int nfbytes;
};

/* recstore_line.c: whether record r is kept as its line in its file's
 * bytes; where record m's line is (*n bytes); the first `want` values of
 * a line (didq_recstore_fields' v and len; the count found, *end where the
 * last ends); the mappings unmapped. */
bool didq_recline_takes(const didq_recstore *rs, const didq_record *r);
uint64_t didq_recline_blob(const didq_record *r);
const unsigned char *didq_recline_of(const didq_recstore *rs, const didq_recmeta *m, uint32_t *n);
int didq_recline_split(const unsigned char *p, uint32_t n, int want, const char **v, uint32_t *len,
                       uint32_t *end);
void didq_recstore_free_file_bytes(didq_recstore *rs);
/* Value k (NULL when empty) of a line of exactly nfields values, read
 * from the nearer end (the duplicate key's and the diff's site and
 * accession number are the last two of 18). */
const char *didq_recline_value(const unsigned char *p, uint32_t n, int nfields, int k,
                               uint32_t *len);

/* The cache made empty when the store is sealed, and freed with the store
 * (recstore_sites.c). */
void didq_sites_cache_make(didq_recstore *rs);
void didq_sites_cache_free(didq_recstore *rs);

/* The load is over (sealed, or the store freed): the helper stopped, the
 * spare chunk freed (recstore.c). */
void didq_recstore_end_load(didq_recstore *rs);

/* The spill files (recstore_spill.c): chunk k of the arena mapped from its
 * file; the metadata mapping grown to cap records; both unmapped. */
unsigned char *didq_spill_chunk(didq_recstore *rs, size_t k, size_t chunk);
void didq_spill_meta(didq_recstore *rs, size_t cap);
void didq_spill_free(didq_recstore *rs, size_t chunk);

void didq_recstore_free_index(didq_recstore *rs);
void didq_recstore_free_orders(didq_recstore *rs);

/* After seal: the record ids in the order of item's raw value (absent as
 * ''; BINARY collation; ties by id), made on the first call (or by the
 * background builder) and kept; NULL for an item out of range.  One thread
 * calls it: the explorer's (recstore_order.c).  Each id takes
 * rs->order_width bytes, little-endian: 3 while the store holds fewer than
 * 2^24 records (a national month's 4 million: 12 MB an order instead of
 * 16, 72 MB less for the 18 of v1), else 4; didq_order_id reads one. */
const unsigned char *didq_recstore_order(didq_recstore *rs, int item);

static inline uint32_t didq_order_id(const unsigned char *o, unsigned width, uint64_t i)
{
    const unsigned char *p = o + i * width;
    uint32_t id = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    return width > 3 ? id | (uint32_t)p[3] << 24 : id;
}

/* The bytes an id takes in the orders of a store of n records
 * (DIDQ_ORDER_WIDTH=4, for the tests, makes them 4 whatever n). */
unsigned didq_order_width_for(uint64_t n);

/* Work arrays kept from one build to the next (24 bytes per record each):
 * the background builder saves making and faulting in 2 x 96 MB per order
 * at 4 million records.  Zero-initialised; freed with didq_order_work_free. */
typedef struct didq_order_work {
    void *a, *tmp;
    size_t bytes; /* of each */
} didq_order_work;

/* Makes item's order of every record (recstore_sort.c): reading values on
 * two threads when two is set, in w's arrays (NULL: arrays of its own);
 * NULL when stop (may be NULL) was set before it ended. */
unsigned char *didq_order_build(const didq_recstore *rs, int item, bool two,
                                const atomic_bool *stop, didq_order_work *w);
void didq_order_work_free(didq_order_work *w);

/* Position in that order of the first record not before record id, which
 * is id's own position. */
uint64_t didq_recstore_order_pos(didq_recstore *rs, int item, uint32_t id);

/* Hash of (file, a, b) cleansed values; 0 when a or b is blank. */
uint64_t didq_dup_hash(uint32_t file, const char *a, uint32_t na, const char *b, uint32_t nb);

/* A search made ready for didq_match_record (recstore_match.c): the text
 * is literal (no wildcard), ASCII case folded; with mask, the identifiers
 * are searched as masked text (didq_text_mask), as the explorer shows them. */
typedef struct didq_match_pat {
    char text[256]; /* folded */
    size_t m;       /* length of text */
    bool mask;
} didq_match_pat;

void didq_match_compile(didq_match_pat *p, const char *text, bool mask);

/* True when a data item of record id contains the text. */
int didq_match_record(const didq_recstore *rs, uint32_t id, const didq_match_pat *p);

/* The tables `records`, `findings` and `walk` (vtab_walk.c). */
extern const sqlite3_module didq_walk_module;

/* The SQLite modules behind the tables `records` and `findings`. */
extern const sqlite3_module didq_records_module;
extern const sqlite3_module didq_findings_module;

#endif
