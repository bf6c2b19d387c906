/* recstore.h: the records and findings of a session, held in compact
 * in-memory arrays (the raw values of a record are one varint-encoded blob
 * in a chunked arena) and shown to SQL as the virtual tables `records` and
 * `findings` (vtab_records.c, vtab_findings.c).  Appending a record is a
 * copy, not a B-tree insert: this is what makes loading fast. */
#ifndef DIDQ_RECSTORE_H
#define DIDQ_RECSTORE_H

#include "didq/record.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

enum { DIDQ_MAX_DATES = 6 }; /* DIDS v1 has 5 date items; 6 fills didq_recmeta's 48 bytes */

typedef struct didq_recstore didq_recstore;

/* Metadata of one record (id = index + 1). */
typedef struct didq_recmeta {
    /* Where the record's raw values are (recstore_int.h): its line in its
     * file's bytes (offset and length), or the arena position of its
     * encoded values, which begin with its byte offset in its file.  That
     * offset: didq_recstore_offset. */
    uint64_t blob;
    uint32_t line, recno;
    int32_t date[DIDQ_MAX_DATES]; /* dates of the data set's date items, or DIDQ_NODATE */
    uint16_t file;
    uint8_t flags, nerr, nwarn;
    uint8_t blank[3]; /* bit k of the 24: item k absent or only spaces */
} didq_recmeta;

enum { DIDQ_BLANK_BITS = 24 };

/* Item k of a record is absent or only spaces (from the metadata for the
 * first DIDQ_BLANK_BITS items, else from the values). */
bool didq_recstore_blank(const didq_recstore *rs, uint32_t id, int k);

/* The metadata's blank bits as one word: bit k for item k < DIDQ_BLANK_BITS
 * (a pass that tests many items of a record reads them once). */
static inline uint32_t didq_recmeta_blanks(const didq_recmeta *m)
{
    return m->blank[0] | (uint32_t)m->blank[1] << 8 | (uint32_t)m->blank[2] << 16;
}

/* One finding: record id, rule index, item index. */
typedef struct didq_finding {
    uint32_t rec;
    uint16_t rule;
    uint8_t item;
} didq_finding;

/* nitems: items per record; date_items: the items that are dates. */
didq_recstore *didq_recstore_new(int nitems, const int *date_items, int ndates);
void didq_recstore_free(didq_recstore *rs);

/* Appends a record and returns its id (1-based). */
uint32_t didq_recstore_add(didq_recstore *rs, const didq_record *r, int nerr, int nwarn);
void didq_recstore_add_finding(didq_recstore *rs, uint32_t rec, int rule, int item);

/* How many records the store will likely hold in all (the loader's guess
 * from the bytes its first records took): the metadata grows to it at
 * once, not by doubling, each doubling a copy into fresh memory.  A hint:
 * more records still fit; fewer leave untouched memory, which costs
 * nothing.  With ahead (a core to spare: the load has threads of its own
 * to keep it busy otherwise), a helper thread readies the memory the
 * records will be written to until the store is sealed (prefault.h).
 * Ignored for a store in spill files (they grow without a copy). */
void didq_recstore_expect(didq_recstore *rs, uint64_t n, bool ahead);

/* The bytes of file number `file` (n of them, from its first byte; a
 * mapping of the file, unmapped with the store when mapped is set): its
 * records whose didq_record.line_len is set keep no copy of their values,
 * which are read back from these bytes (recstore_line.c).  The bytes must
 * not change while the store lives; the caller makes sure of that
 * (didq_session_inputs_changed).  Before the file's first record; ignored
 * for a store in spill files. */
void didq_recstore_file_bytes(didq_recstore *rs, int file, const void *p, uint64_t n, bool mapped);
/* Makes the mapped files' bytes the store's own memory, at the same
 * addresses (didq_mapped_adopt), while other threads may read records:
 * the files may change afterwards.  False if memory ran out (those bytes
 * stay the file's, guarded as before).  One thread at a time, not while
 * a file is being added. */
bool didq_recstore_adopt_file_bytes(didq_recstore *rs);
/* The bytes given for file number `file` (n of them), or NULL. */
const unsigned char *didq_recstore_file_view(const didq_recstore *rs, uint32_t file, uint64_t *n);

/* Whether record id's values are read back from its file's bytes. */
bool didq_recstore_in_file(const didq_recstore *rs, uint32_t id);

/* The byte offset of record id in its file (where its line starts). */
uint64_t didq_recstore_offset(const didq_recstore *rs, uint32_t id);

/* The two items whose cleansed values make the duplicate key (DIDS071);
 * set before the first record so the key is hashed while it is at hand. */
void didq_recstore_set_dup_items(didq_recstore *rs, int a, int b);

/* Keeps the arena of raw values and the metadata in unlinked files in dir
 * (shared mappings the kernel may write back and drop) instead of memory.
 * Call before the first record; false with a message if dir cannot hold
 * the files (recstore_spill.c). */
bool didq_recstore_spill(didq_recstore *rs, const char *dir, char *err, size_t errlen);

/* Finds groups of records of one file sharing the cleansed values of items
 * a and b (both non-blank); adds a finding (rule, item a) to every member
 * and counts it as an error.  Returns the records flagged. */
uint64_t didq_recstore_duplicates(didq_recstore *rs, int a, int b, int rule);

/* Ends the load: sorts the findings and builds the look-up indexes. */
void didq_recstore_seal(didq_recstore *rs);

/* Once every record is added: starts one background thread, at idle
 * priority, that makes each item's sorted order ahead of the explorer's
 * first sort by it (recstore_order.c).  False if it was not started (no
 * records, already started, no thread). */
bool didq_recstore_prebuild(didq_recstore *rs);

/* Asks that thread to make item's order next (it may be making another;
 * before it starts: first). */
void didq_recstore_prebuild_next(didq_recstore *rs, int item);

/* Waits for that thread to end; returns the orders it made (0 if none was
 * started), and their items in the order made in items (DIDQ_MAX_ITEMS
 * room; may be NULL).  didq_recstore_free stops it first. */
int didq_recstore_prebuild_wait(didq_recstore *rs, int *items);

uint32_t didq_recstore_count(const didq_recstore *rs);
/* Bytes of the longest raw value of item k over every record, kept while
 * loading (the explorer sizes its columns with it). */
uint32_t didq_recstore_widest(const didq_recstore *rs, int k);
const didq_recmeta *didq_recstore_meta(const didq_recstore *rs, uint32_t id);
int didq_recstore_nitems(const didq_recstore *rs);
int didq_recstore_ndates(const didq_recstore *rs);
int didq_recstore_date_item(const didq_recstore *rs, int k);

/* Raw value of item k (NULL if absent), or of the extra columns when
 * k == nitems. */
const char *didq_recstore_field(const didq_recstore *rs, uint32_t id, int k, uint32_t *len);

/* Starts fetching record id's values into the cache (nothing if id is out
 * of range): a loop over records asks for one some way ahead, since the
 * values are reached through the metadata and the hardware cannot guess. */
void didq_recstore_prefetch(const didq_recstore *rs, uint32_t id);
enum { DIDQ_PREFETCH_AHEAD = 16 };

/* Raw values of items 0..n-1 in one pass over the record (n at most the
 * number of items): v[k] NULL if absent. */
void didq_recstore_fields(const didq_recstore *rs, uint32_t id, int n, const char **v,
                          uint32_t *len);

/* didq_recstore_fields, and the encoded bytes of those n values (from
 * *raw, *span of them): two records whose bytes are equal have the same
 * raw values (the encoding of a value is one way only). */
void didq_recstore_fields_raw(const didq_recstore *rs, uint32_t id, int n, const char **v,
                              uint32_t *len, const unsigned char **raw, uint32_t *span);

/* The raw values of items item[0] and item[1] (into v[0], v[1]; NULL if
 * absent) and the encoded bytes of items 0..n-1 as
 * didq_recstore_fields_raw gives them, the other values skipped unread;
 * an item outside 0..n-1 (-1) is not read either (NULL, length 0). */
void didq_recstore_two_raw(const didq_recstore *rs, uint32_t id, int n, const int item[2],
                           const char **v, uint32_t *len, const unsigned char **raw,
                           uint32_t *span);

/* Cleansed value of item k (trimmed), "" if absent. */
const char *didq_recstore_clean(const didq_recstore *rs, uint32_t id, int k, uint32_t *len);

/* Findings, sorted by (rec, rule) after seal. */
const didq_finding *didq_recstore_findings(const didq_recstore *rs, uint64_t *n);
/* The first of nf findings sorted by record whose record is id or after
 * (nf when none): where a part of a pass from id on starts reading them. */
uint64_t didq_finding_first(const didq_finding *f, uint64_t nf, uint32_t id);

/* After seal: findings of a rule, as positions into the sorted array, in
 * record order. */
const uint32_t *didq_recstore_rule_findings(const didq_recstore *rs, int rule, uint64_t *n);

/* After seal: record ids (ascending) whose cleansed item `key_item` equals
 * value; NULL if none. */
const uint32_t *didq_recstore_lookup(const didq_recstore *rs, const char *value, uint32_t len,
                                     uint64_t *n);

/* The item the look-up index of didq_recstore_lookup is built on; -1: no
 * index is built (didq_recstore_has_lookup is then false). */
void didq_recstore_set_key_item(didq_recstore *rs, int item);
/* The look-up is made by its first use instead of at the seal (a run that
 * may never use it: `check`, `report`; an explorer wants it ready for its
 * keys).  Before the seal. */
void didq_recstore_keys_on_demand(didq_recstore *rs);
bool didq_recstore_has_lookup(const didq_recstore *rs);

/* The per-site passes over every record (recstore_sites.h) run in this
 * many parts on threads of their own (the session's threads); 1 (the
 * default): on the calling thread.  The counts do not depend on it. */
void didq_recstore_set_threads(didq_recstore *rs, int threads);

/* First and last record id of a file (0, 0 if none). */
void didq_recstore_file_range(const didq_recstore *rs, int file, uint32_t *first, uint32_t *last);

/* Registers the virtual tables `records` and `findings` over rs in db. */
void didq_recstore_register(didq_recstore *rs, sqlite3 *db);

#endif
