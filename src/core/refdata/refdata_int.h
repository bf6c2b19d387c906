/* refdata_int.h: the inside of the reference data container, shared by
 * the refdata*.c files only: a compact open-addressing hash of 64-bit keys
 * (codes packed into integers, no per-row allocation) and the row arrays. */
#ifndef DIDQ_REFDATA_INT_H
#define DIDQ_REFDATA_INT_H

#include "didq/refdata.h"
#include "didq/table.h"

#include <stdint.h>

/* key -> value, keys never 0; capacity a power of two, load <= 0.7. */
typedef struct refmap {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;
} refmap;

/* Returns the slot of key (existing or where it goes). */
size_t refmap_slot(const refmap *m, uint64_t key);
/* Value of key, or UINT32_MAX. */
uint32_t refmap_get(const refmap *m, uint64_t key);
/* Sets key to val; returns the previous value or UINT32_MAX. */
uint32_t refmap_put(refmap *m, uint64_t key, uint32_t val);
void refmap_free(refmap *m);

/* Packs up to 12 letters/digits (case-folded, spaces skipped when
 * skip_space) into a nonzero integer; 0 if the code cannot be packed. */
uint64_t refkey_code(const char *s, size_t n, int skip_space);
/* A SNOMED CT id (1-18 digits) as its value; 0 if not digits. */
uint64_t refkey_sct(const char *s, size_t n);

/* One dated row of an organisation or a code; rows of one key are chained. */
typedef struct refrow {
    int32_t from, to; /* day numbers; DIDQ_NODATE = open-ended */
    uint32_t next;    /* next row of the same key, or UINT32_MAX */
    uint32_t extra;   /* ODS: role bits; SNOMED: modality string index */
    uint64_t sct;     /* NICIP: the SNOMED CT id it maps to */
} refrow;

typedef struct reftable {
    refmap map; /* key -> first row */
    refrow *rows;
    size_t nrows, caprows;
} reftable;

/* Adds a row under key (chained after the key's earlier rows). */
void reftable_add(reftable *t, uint64_t key, const refrow *row);
void reftable_free(reftable *t);

enum { REF_MAX_ROLES = 32 };

struct didq_refdata {
    unsigned loaded;    /* bit per didq_refkind */
    uint32_t ods_stems; /* bit per ODS file stem (ods_files.csv row) loaded with rows */
    reftable ods, nicip, snomed;
    refmap postcodes;           /* packed postcode -> 1 terminated, 2 live */
    char *roles[REF_MAX_ROLES]; /* role codes, bit i = roles[i] */
    int nroles;
    uint32_t gp_roles, ref_roles; /* role bit sets of the rule lists */
    char **strings;               /* interned modality labels */
    size_t nstrings;
    didq_reffile *files;
    size_t nfiles;
};

/* Bit of a role code (interned); 0 if the table is full. */
uint32_t refdata_role_bit(didq_refdata *rd, const char *code, size_t n);
/* Index of an interned string. */
uint32_t refdata_intern(didq_refdata *rd, const char *s, size_t n);

/* ---- loading (refdata_csv.c); the files are read with table.h ---- */

/* Dates of the official files: CCYYMMDD, CCYY-MM-DD (optionally followed
 * by a time), DD/MM/CCYY; CCYYMM (ONSPD) gives the 1st of the month.
 * Returns 1 (and *out, DIDQ_NODATE for an empty value) or 0 if malformed. */
int refdate_parse(const char *s, size_t n, int32_t *out);

/* Loader state shared by the kinds. */
typedef struct refload {
    didq_refdata *rd;
    didq_reffile *file;
    didq_refmsg_fn fn;
    void *ctx;
    int ods_file; /* ODS: index into the ODS file table */
    int col[8];   /* header-layout files: column indexes */
    int maxcol;   /* ONSPD: fields needed per row (didq_table_opts.maxcol) */
} refload;

/* Reports a malformed row (the first few per file) and counts it. */
void refload_bad(refload *L, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports a row the reader found malformed (a quote not closed, too
 * long); true if it is one. */
bool refload_malformed(refload *L, const didq_table_row *row);
void refload_newest(refload *L, int32_t day);

int refdata_load_ods(refload *L, const char *path, char *err, size_t errlen);
int refdata_load_onspd(refload *L, const char *path, char *err, size_t errlen);
int refdata_load_codes(refload *L, const char *path, char *err, size_t errlen);

/* ODS file stems (refdata/v1/ods_files.csv, at most 32): index of a file
 * name's stem or -1; the stem itself, its description and role codes. */
int refdata_ods_stem(const char *base);
const char *refdata_ods_stem_name(int i);
const char *refdata_ods_desc(int i);
const char *refdata_ods_roles(int i);

#endif
