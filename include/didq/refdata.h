/* refdata.h: national reference data (ODS organisations, ONS postcodes,
 * NICIP and SNOMED CT code tables) read from the official files, and the
 * look-ups the reference-data rules make.  Without the files a rule needs,
 * it is reported as not checked.  The file
 * layouts and the recognition rules are in docs/refdata.md. */
#ifndef DIDQ_REFDATA_H
#define DIDQ_REFDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct didq_refdata didq_refdata;

/* The kinds of reference data; a file holds one kind. */
typedef enum didq_refkind {
    DIDQ_REF_NONE = 0, /* not recognised: ignored */
    DIDQ_REF_ODS,      /* an ODS organisation file (headerless, 27 columns) */
    DIDQ_REF_POSTCODE, /* the ONS Postcode Directory */
    DIDQ_REF_NICIP,    /* the NICIP release table */
    DIDQ_REF_SNOMED,   /* the DID SNOMED CT exam code lookup */
    DIDQ_REF_KINDS
} didq_refkind;

/* Name of a kind ("ods", "postcode", "nicip", "snomed"), as needs.csv's
 * kind column spells it. */
const char *didq_refkind_name(didq_refkind k);

/* One file seen while loading. */
typedef struct didq_reffile {
    char *path;
    didq_refkind kind;
    char *layout;   /* e.g. "ODS epraccur (GP practices; roles RO177 RO76)" or why ignored */
    uint64_t rows;  /* rows loaded */
    uint64_t bad;   /* malformed rows skipped */
    int32_t newest; /* newest date in the file (day number) or DIDQ_NODATE */
} didq_reffile;

/* Receives "path:line: message" problems found while loading. */
typedef void (*didq_refmsg_fn)(void *ctx, const char *path, uint64_t line, const char *msg);

/* An empty set of reference data. */
didq_refdata *didq_refdata_new(void);
void didq_refdata_free(didq_refdata *rd);

/* ---- what the rules need (refdata/v1/needs.csv, docs/refdata.md) ----
 * `needs` is a rule's needs column: names of needs.csv separated by spaces,
 * e.g. "nicip snomed" or "ods_gp".  A need is a kind of file and, for the
 * ODS look-ups, the ODS files (by stem) it is about, all of them.  A need
 * that needs.csv does not define is an internal error (the program dies).
 * rd may be NULL (nothing loaded). */

/* True if every need is met: its kind, and each of its ODS files, loaded
 * with rows. */
bool didq_refdata_has(const didq_refdata *rd, const char *needs);

/* NULL if every need is met; otherwise why not: "no reference data" when
 * nothing at all is loaded, else what is missing, in buf ("no ODS file
 * epraccur", "no ODS files epraccur, etr", "no NICIP release table",
 * several separated by "; "). */
const char *didq_refdata_missing(const didq_refdata *rd, const char *needs, char *buf, size_t cap);

/* True if the file, loaded with rows, is one of those a need asks for (a
 * file of the kind, or one of the need's ODS files): the file is needed by
 * the rule, whether or not its other needs are met. */
bool didq_refdata_file_serves(const didq_reffile *f, const char *needs);

/* The needs in words, e.g. "the ODS files epraccur, etr (GP practices and
 * NHS trusts, ...)" or "the NICIP release table and the DID SNOMED CT exam
 * code lookup". */
void didq_refdata_needs_text(const char *needs, char *buf, size_t cap);

/* Recognises a file by its name and, for files with a header, its first
 * line; sets *layout to a static description.  Never fails. */
didq_refkind didq_refdata_recognise(const char *path, const char **layout);

/* Loads every recognised file of a directory (not its subdirectories);
 * unrecognised files are listed as ignored.  Returns 0, or -1 with
 * "dir: reason" in err when the directory cannot be read. */
int didq_refdata_load_dir(didq_refdata *rd, const char *dir, didq_refmsg_fn fn, void *ctx,
                          char *err, size_t errlen);

/* Loads one file whatever its name (kind as recognised).  Returns 0, or -1
 * with "path: reason" in err when it cannot be read or is not recognised. */
int didq_refdata_load_file(didq_refdata *rd, const char *path, didq_refmsg_fn fn, void *ctx,
                           char *err, size_t errlen);

size_t didq_refdata_nfiles(const didq_refdata *rd);
const didq_reffile *didq_refdata_file(const didq_refdata *rd, size_t i);

/* ---- look-ups (codes are cleansed values; case-insensitive) ---- */

/* Postcode state in the ONS Postcode Directory (spaces ignored). */
typedef enum didq_pcstate { DIDQ_PC_UNKNOWN, DIDQ_PC_TERMINATED, DIDQ_PC_LIVE } didq_pcstate;
didq_pcstate didq_refdata_postcode(const didq_refdata *rd, const char *s, size_t n);

/* Organisation role sets used by the rules (refdata/v1/codes.csv lists). */
typedef enum didq_roleset {
    DIDQ_ROLES_ANY,      /* any organisation or site (DIDS068/081) */
    DIDQ_ROLES_GP,       /* list gp_role: RO76, RO177 (DIDS018/080) */
    DIDQ_ROLES_REFERRING /* list referring_role (DIDS024/079) */
} didq_roleset;

/* True if the organisation code is in ODS with a role of the set; at a
 * date (day number) it must also be open that day (open <= day <= close);
 * DIDQ_NODATE means at any time. */
bool didq_refdata_org(const didq_refdata *rd, const char *s, size_t n, didq_roleset set,
                      int32_t day);

/* Validity of a NICIP or SNOMED CT code at a test date. */
typedef enum didq_codestate {
    DIDQ_CODE_UNKNOWN, /* not in the table */
    DIDQ_CODE_OUTSIDE, /* known, but not valid within 6 months of the date */
    DIDQ_CODE_WINDOW,  /* not active on the date, but within 6 months (DIDS077/078) */
    DIDQ_CODE_ACTIVE   /* active on the date */
} didq_codestate;
didq_codestate didq_refdata_code(const didq_refdata *rd, didq_refkind kind, const char *s, size_t n,
                                 int32_t day);

/* The SNOMED CT id the NICIP code maps to on the date (its row active
 * then); 0 if none. */
uint64_t didq_refdata_nicip_sct(const didq_refdata *rd, const char *s, size_t n, int32_t day);

/* Modality label of a SNOMED CT code from the exam lookup, at a day (its
 * row active then, else its latest row; DIDQ_NODATE: latest row), e.g.
 * "Computerized axial tomography"; NULL when unknown or not loaded. */
const char *didq_refdata_modality(const didq_refdata *rd, const char *s, size_t n, int32_t day);

#endif
