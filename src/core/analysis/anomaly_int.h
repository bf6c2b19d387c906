/* anomaly_int.h: the analysis state shared by the anomaly*.c files (not a
 * public header).  anomaly_scan.c fills it in one pass over the records;
 * the analysis files read it and add anomalies. */
#ifndef DIDQ_ANOMALY_INT_H
#define DIDQ_ANOMALY_INT_H

#include "didq/anomaly.h"
#include "didq/coverage.h"
#include "didq/dataset.h"
#include "didq/modality.h"
#include "didq/timeliness.h"
#include "parts.h"

#include <stdbool.h>
#include <stdint.h>

enum { AN_SETTINGS = 8, AN_MAX_FILES = 64, AN_BLANK_ITEMS = 7 };

/* The most threads the analyses run on at once (the scan's parts, the
 * record kinds' key parts). */
enum { AN_MAX_THREADS = 16 };

typedef struct an_site {
    char *code;
    int part;     /* its month: a->mon[part] (a site is a site code in one month) */
    size_t ucode; /* its code's index in a->ucodes (every month's sites) */
    uint64_t n;
    uint64_t bad_code; /* records whose site code breaks a site rule (DIDQ_REC_BAD_SITE) */
    uint64_t setting[AN_SETTINGS]; /* [1..7]: 01..07; [0]: anything else */
    uint64_t gp_ref, gp_ref_03;    /* GP-referred records, of which 03 */
    uint64_t rtt_missing, rtt_dated, rtt_zero;
    uint64_t rep_missing, rep_dated, rep_zero;
    uint64_t blank[AN_BLANK_ITEMS]; /* items 1..7 blank */
    uint64_t mod[DIDQ_MOD_N];
    uint64_t (*file_setting)[AN_SETTINGS]; /* per file, when several */
    uint64_t *file_n;
    int32_t base; /* day of day[0] */
    int ndays;
    uint32_t *day; /* records per test day from base */
    uint64_t undated, outside;
    didq_timeliness *tl[DIDQ_MOD_N + 1]; /* [DIDQ_MOD_N]: every modality */
} an_site;

/* Per-record keys for the record-level kinds (0: no key). */
/* 32 bytes, packed to 4-byte alignment (40 with the record id and the
 * padding a 64-bit key asks for: 32 MB more at 4 million records).  The
 * record id is the place in the scan plus one (an_rec_id). */
typedef struct __attribute__((packed, aligned(4))) an_rec {
    uint64_t dup_key, id_key;
    uint32_t dup_val;
    uint32_t site;
    int32_t dob; /* identity-conflict: DIDQ_NODATE if it breaks a rule */
    uint16_t file;
    char gender;
} an_rec;

_Static_assert(sizeof(an_rec) == 32, "a record's analysis keys are 32 bytes");

/* A record's accession key (accession-reused), kept beside the records
 * only when there are several files: 8 bytes less per record otherwise. */
typedef struct __attribute__((packed, aligned(4))) an_acc {
    uint64_t key;
    uint32_t val;
} an_acc; /* 12 bytes */

typedef struct an_list {
    uint32_t *v;
    size_t n, cap;
} an_list;

/* One month analysed apart (anomaly.h, "Months"): the files of one
 * reporting month, their sites a->sites[site0 .. site0 + nsites) once the
 * scan has sorted them (by month, then code), and its figures. */
typedef struct an_month {
    int32_t month; /* month index, or DIDQ_UNDATED_MONTH */
    int files;
    uint64_t records;
    char *where; /* "file IN (...)"; NULL when the session has one month */
    size_t site0, nsites;
    didq_period period;      /* the month's days (ndays 0: undated) */
    uint32_t *total;         /* records per day over its sites */
    didq_timeliness overall; /* every site of the month */
    didq_timeliness *tl_rows;
    size_t ntl;
    didq_site_coverage *cov; /* nsites rows */
} an_month;

/* A site code over every month: the whole-session views. */
typedef struct an_code {
    const char *code;
    uint64_t n;
} an_code;

struct didq_analysis {
    didq_analysis_opts o;
    sqlite3 *db;
    int nfiles;
    an_site *sites; /* sorted by code after the scan */
    size_t nsites, capsites;
    an_rec *recs;
    size_t nrecs, caprecs;
    uint32_t *ids; /* the records' ids, only if one is not its place + 1 */
    uint32_t id0;  /* a part of the scan (anomaly_scan.c): the id before its first */
    an_acc *accs;  /* per record, when nfiles > 1 */
    /* the places in recs of the records with a restricted code and an
     * identifier (restricted-code-identifiers), ascending in each part of
     * the scan, the parts in the order they ended */
    an_list restricted;
    int32_t *months; /* the files' reporting months, ascending, no repeats */
    int nmonths;
    an_month *mon; /* the months analysed apart, ascending (at least one) */
    int nmon;
    int32_t *mlist;  /* their month indexes, for didq_analysis_month_list */
    uint16_t *fpart; /* per file id (1..nfall): its month's index in mon */
    int nfall;       /* files of the session (nfiles is capped) */
    /* With a subset of the records (o.subset_where): per file id, whether
     * it holds some of them (a file that does not takes no part); else
     * NULL. */
    unsigned char *held;
    bool subset;     /* o.subset_where was given (read during the run only) */
    an_code *ucodes; /* the site codes of every month, sorted */
    size_t nucodes;
    didq_period period; /* first to last day of the reporting months */
    /* The whole session (every month): with one month, its month's. */
    uint32_t *total; /* records per day over every site, period.ndays */
    didq_timeliness *tl_rows;
    size_t ntl;
    didq_site_coverage *cov; /* ncov rows, one per site code */
    size_t ncov;
    didq_month_volume *vol;
    size_t nvol;
    didq_anomaly *an;
    size_t nan, capan;
    an_list *an_recs; /* per anomaly: record ids (record-level kinds) */
    double started, millis;
    /* the scan's parts, which the end of the load takes too once done
     * (anomaly_scan.c, anomaly_thread.c); a part's copy never uses it */
    didq_jobs scan_jobs;
};

/* anomaly.c: didq_analysis_run in three steps; only the middle one is
 * free of SQL (and reads nothing the end of a load writes), so that it can
 * run while the session finishes on another thread (anomaly_thread.c). */
didq_analysis *an_new(sqlite3 *db, const didq_analysis_opts *o);
void an_compute(didq_analysis *a);
void an_publish(didq_analysis *a);

/* anomaly_scan.c; the scan reads SQL only when o.records is NULL. */
int an_count_files(sqlite3 *db);
/* A site code's records leave out those whose code breaks a site rule
 * (DIDQ_REC_BAD_SITE == 64, asserted in anomaly.c): the scan counts them
 * under DIDQ_INVALID_SITE, so an anomaly's drill-down does too. */
#define AN_SITE_OK "(flags & 64) = 0"

void an_scan(didq_analysis *a);
/* Frees what a site holds (not the site). */
void an_site_free(an_site *s);

/* anomaly_sites.c: the sites of the scan.  The look-up of a's sites by
 * code and month: open addressing over hashes of the codes, made again
 * as a's sites grow; {0} to start, its slot freed after. */
typedef struct an_site_ix {
    uint32_t *slot; /* site index + 1; 0 empty */
    size_t cap;
} an_site_ix;
/* The site of code (n bytes) in month part (a->mon[part]), added if new;
 * *last: the site found before (most records repeat it). */
an_site *an_site_find(didq_analysis *a, an_site_ix *ix, const char *code, size_t n, int part,
                      size_t *last);
/* count records more on test day d. */
void an_site_days(an_site *s, int32_t d, uint32_t count);
/* The site's timeliness row of modality m (DIDQ_MOD_N: every modality). */
didq_timeliness *an_site_tl(an_site *s, int m);
void an_tl_add_all(didq_timeliness *d, const didq_timeliness *s);
/* Site from's counts added to site to's (the same code and month). */
void an_site_add(const didq_analysis *a, an_site *to, const an_site *from);
/* The order of the sites: by code, DIDQ_INVALID_SITE last. */
int an_site_order(const char *x, const char *y);
void an_list_push(an_list *l, uint32_t v);
/* from's values appended to to's (from is left as it was). */
void an_list_add(an_list *to, const an_list *from);
/* qsort's order of uint32_t values, ascending. */
int an_cmp_u32(const void *x, const void *y);

/* anomaly.c: adds an anomaly; message and where are printf formats'
 * results (owned by the analysis).  Returns it for the caller to finish. */
didq_anomaly *an_add(didq_analysis *a, int kind, const an_site *s, double value, double threshold,
                     uint64_t records);
void an_set_message(didq_anomaly *an, const char *fmt, ...);
void an_set_where(didq_anomaly *an, const char *fmt, ...);
/* A site is judged when it has at least min_records records. */
bool an_judged(const didq_analysis *a, int kind, uint64_t n);
/* "12.3%" into buf. */
const char *an_pct(double share, char *buf, size_t cap);

/* The analyses. */
void an_settings(didq_analysis *a);
void an_timeliness(didq_analysis *a);
void an_coverage(didq_analysis *a);
/* anomaly_months.c: the reporting months of the files and the months
 * analysed apart (an_new); the site codes over every month (after the
 * scan); the month's condition added to the anomalies' (after the
 * analyses); the whole-session timeliness rows from the months'. */
void an_read_months(didq_analysis *a);
void an_month_codes(didq_analysis *a);
void an_month_wheres(didq_analysis *a);
void an_whole_timeliness(didq_analysis *a);
void an_months_free(didq_analysis *a);
/* The month of a record's file (an index into a->mon). */
static inline int an_part(const didq_analysis *a, int file)
{
    return file >= 1 && file <= a->nfall ? a->fpart[file] : 0;
}

void an_fields(didq_analysis *a);
void an_records(didq_analysis *a);

/* modality.c: the modality of a record. */
int an_modality(const didq_analysis *a, const char *nicip, size_t nn, const char *snomed,
                size_t sn);

/* anomaly_records.c: restricted code test (trimmed, any case). */
bool an_restricted_code(const char *nicip, size_t nn, const char *snomed, size_t sn);

/* 64-bit FNV-1a, chainable. */
uint64_t an_hash(uint64_t h, const void *p, size_t n);
#define AN_HASH_INIT 1469598103934665603ULL

/* The id of the i-th record scanned. */
static inline uint32_t an_rec_id(const didq_analysis *a, size_t i)
{
    return a->ids ? a->ids[i] : (uint32_t)i + 1;
}

#endif
