/* anomaly.h: problems the validation rules cannot see because they live in
 * per-site distributions (NHS England's technical report, seed 003,
 * sections 4.2 to 4.4): "Other" as a default setting, GP direct access
 * recorded as outpatient, missing or zero referral-to-test and report
 * times, gaps in activity, volume drops, missing fields, duplicates,
 * reused accession numbers, identity conflicts and identifiers on
 * restricted (fertility) codes.  docs/anomalies.md describes every kind.
 *
 * One scan of the finished store feeds every analysis; the result (a
 * didq_analysis) holds the anomalies and the distributions the explorer
 * shows (timeliness.h, coverage.h).  Every anomaly carries an SQL
 * condition over the records table that selects its records. */
#ifndef DIDQ_ANOMALY_H
#define DIDQ_ANOMALY_H

#include "didq/anomaly_kinds.h"
#include "didq/month.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kinds (didq_anomaly_kind, DIDQ_AK_*): anomaly_kinds.h. */

typedef enum didq_anomaly_severity {
    DIDQ_SEV_LOW = 1,
    DIDQ_SEV_MEDIUM = 2,
    DIDQ_SEV_HIGH = 3
} didq_anomaly_severity;

/* The settings of one kind (a row of refdata/anomalies.csv). */
typedef struct didq_threshold {
    double threshold;     /* the value at or above which the kind fires */
    double limit;         /* a second bound some kinds use (see the docs) */
    uint64_t min_records; /* sites with fewer records are not judged */
    didq_anomaly_severity severity;
} didq_threshold;

typedef struct didq_thresholds {
    didq_threshold k[DIDQ_AK_N];
} didq_thresholds;

/* Kind names ("setting-other-default") and back; -1 if unknown. */
const char *didq_anomaly_kind_name(int kind);

/* The site label under which the analysis counts every record whose site
 * code breaks a site rule (DIDQ_REC_BAD_SITE), whatever the code: one
 * "site" in the Timeliness, Coverage and volume rows, with no site-level
 * anomaly. */
#define DIDQ_INVALID_SITE "(invalid site)"

/* The records of a site of the analysis as an SQL condition on `records`
 * (sqlite3_free it): `site = 'X'` without the records whose code breaks a
 * site rule, or those records for DIDQ_INVALID_SITE. */
char *didq_site_cond(const char *site);
int didq_anomaly_kind_find(const char *name);
/* "high", "medium", "low"; didq_severity_find returns 0 if unknown. */
const char *didq_severity_name(int sev);
int didq_severity_find(const char *name);
/* One-line description of a kind (from refdata/anomalies.csv). */
const char *didq_anomaly_kind_description(int kind);
/* Unit of a kind's value and threshold: "share", "days" or "count". */
const char *didq_anomaly_kind_unit(int kind);

/* The built-in thresholds (refdata/anomalies.csv). */
void didq_thresholds_default(didq_thresholds *t);

/* Overrides thresholds from CSV text in the layout of anomalies.csv: a
 * header naming at least kind and threshold (optional columns limit,
 * min_records, severity), then one row per kind to change.  Blank lines
 * and lines starting with # are skipped.  Returns 0, or -1 with
 * "name:line: reason" in err. */
int didq_thresholds_parse(didq_thresholds *t, const char *name, const char *text, size_t len,
                          char *err, size_t errlen);
/* The same from a file; -2 with "path: reason" if it cannot be read. */
int didq_thresholds_load(didq_thresholds *t, const char *path, char *err, size_t errlen);

/* The thresholds a session was made with, kept in its database and saved
 * with it: the table thresholds(kind, threshold, limit, min_records,
 * severity) of db's main schema, one row per kind, replacing an earlier
 * one. */
void didq_thresholds_save(sqlite3 *db, const didq_thresholds *t);
/* Reads them back over the built-in ones: a file without the table (saved
 * by an older didq) gives the built-in thresholds, and a kind this didq
 * does not know is skipped.  Returns 0, or -1 with the reason in err (a
 * value out of range, a severity that is not high, medium or low). */
int didq_thresholds_read(sqlite3 *db, didq_thresholds *t, char *err, size_t errlen);

/* gp-direct-access-as-outpatient's test on a site: at least min_records
 * GP-referred records (gp_ref), of which 03 (gp_ref_03) a share at or above
 * the threshold, while 04 (s04) is under the limit share of its n records. */
bool didq_gp_as_outpatient(const didq_threshold *th, uint64_t gp_ref, uint64_t gp_ref_03,
                           uint64_t s04, uint64_t n);

/* One anomaly. */
typedef struct didq_anomaly {
    int id; /* 1-based, stable within an analysis */
    didq_anomaly_kind kind;
    didq_anomaly_severity severity;
    const char *site; /* site of imaging (cleansed) */
    double value;     /* in the unit of the kind */
    double threshold;
    uint64_t records;   /* records the condition selects */
    int item;           /* field-missing-share: the item; else -1 */
    int32_t day0, day1; /* activity-gap, volume-drop: the days; else DIDQ_NODATE */
    /* The month the anomaly belongs to (a month index, month.h), or
     * DIDQ_UNDATED_MONTH for the files without a reporting month, or
     * DIDQ_NOMONTH for a kind that compares months (see "Months" below). */
    int32_t month;
    char *message; /* plain text, no record content */
    char *where;   /* SQL condition over records (no "WHERE") */
} didq_anomaly;

struct didq_recstore;
struct didq_id_range;
struct didq_refdata;

typedef struct didq_analysis_opts {
    didq_thresholds thresholds;
    /* The session's records in memory (didq_session_recstore): read
     * directly, much faster than through SQL.  NULL: the records table. */
    const struct didq_recstore *records;
    /* The session's reference data (didq_session_refdata): its SNOMED CT
     * exam lookup, when loaded, gives the modality (modality.h). */
    const struct didq_refdata *refdata;
    /* Threads of the analyses: the record kinds' key parts run on this
     * many at once (anomaly_keys.c), the scan of a record store in this
     * many ranges less one (anomaly_scan.c: the end of the load has one);
     * 0 or 1: on the calling thread.  The result does not depend on it. */
    int threads;
    /* Only part of the records, analysed as though a file of them alone
     * had been loaded (a site's records: what `check --site` analyses; the
     * explorer's site scope, query.h didq_scope_analysis).  subset_where:
     * the condition on `records r` selecting them (NULL: every record);
     * with records given, subset_ids, their ids as nsubset_ids ascending
     * runs, which the scan reads instead of every record.  A file holding
     * none of them takes no part (no month of its own), as `check --site`
     * leaves such a file out.  The record lists of such an analysis are the
     * TEMP table anomaly_records_subset, which the next one replaces (the
     * session's own analysis keeps anomaly_records); it is not saved
     * (didq_analysis_save refuses it).  Read during the run only. */
    const char *subset_where;
    const struct didq_id_range *subset_ids;
    size_t nsubset_ids;
} didq_analysis_opts;

typedef struct didq_analysis didq_analysis;

/* Default options: built-in thresholds, no SNOMED look-up. */
didq_analysis_opts didq_analysis_defaults(void);

/* Scans the records table of a finished store once and runs every
 * analysis.  Creates the TEMP table anomaly_records (the record lists of
 * the record-level kinds), which the conditions refer to; TEMP tables
 * work on read-only stores and are not saved with a session. */
didq_analysis *didq_analysis_run(sqlite3 *db, const didq_analysis_opts *o);

/* didq_analysis_run with fn(ctx) beside it: on a second thread while the
 * scan reads o->records, when given (anomaly_thread.c); without it, before
 * the scan, which then reads SQL.  The same result either way.  The end of
 * a load (didq_session_finish_analysed) runs there: fn may write SQL but
 * not change the records. */
didq_analysis *didq_analysis_run_beside(sqlite3 *db, const didq_analysis_opts *o,
                                        void (*fn)(void *ctx), void *ctx);
/* The analyses in the background, for the explorer's first screen: the
 * scan runs on a thread of its own (held, when hold, until
 * didq_analysis_release) while the caller goes on; o->records must be
 * given and must not change meanwhile (the caller may end the load beside
 * it, as didq_analysis_run_beside's fn).  didq_analysis_done says, without
 * waiting, whether the scan has ended; didq_analysis_wait releases it,
 * waits for it, frees b and returns the analyses (the same result as
 * didq_analysis_run).  All but the scan run on the caller's thread. */
typedef struct didq_analysis_bg didq_analysis_bg;
didq_analysis_bg *didq_analysis_start(sqlite3 *db, const didq_analysis_opts *o, bool hold);
void didq_analysis_release(didq_analysis_bg *b);
bool didq_analysis_done(didq_analysis_bg *b);
didq_analysis *didq_analysis_wait(didq_analysis_bg *b);
void didq_analysis_free(didq_analysis *a);

/* A finished analysis written into tables of db's schema (`check --db`:
 * the file a session is saved to; anomaly_save.c): its anomalies, their
 * record lists (anomaly_records), timeliness, coverage and volume rows, as
 * the accessors give them.  Returns 0, or -1 with SQLite's message. */
int didq_analysis_save(const didq_analysis *a, sqlite3 *db, const char *schema, char *err,
                       size_t errlen);
/* The analysis of a saved session read back from those tables (main
 * schema) without reading a record (anomaly_load.c): the same results as
 * the analysis saved.  NULL with the table and the reason in err when a
 * table does not hold what didq wrote (a damaged or altered file). */
didq_analysis *didq_analysis_load(sqlite3 *db, const didq_analysis_opts *o, char *err,
                                  size_t errlen);

/* Anomalies in the analysis order: by month (the months analysed apart
 * ascending, DIDQ_UNDATED_MONTH first, then those that compare months),
 * then severity (highest first), site, kind, the item and the first day.
 * Their ids follow it (check's JSON lists them so). */
size_t didq_analysis_count(const didq_analysis *a);
const didq_anomaly *didq_analysis_get(const didq_analysis *a, size_t i);

/* The anomalies shown for month m (didq_anomaly_in_month; DIDQ_ALLMONTHS:
 * every one) in the order of the tables that say "most severe first" (the
 * Anomalies pane, the report's page): severity (highest first), then site,
 * then kind, then the period (a month's before a later month's, the
 * undated files' first, those that compare months last), then the
 * analysis order.  Fills out, which has room for didq_analysis_count(a)
 * pointers into a, and returns how many it holds. */
size_t didq_analysis_by_severity(const didq_analysis *a, int32_t month, const didq_anomaly **out);

/* "SELECT id FROM records WHERE <where> ORDER BY id": the record ids of an
 * anomaly, for drill-down.  malloc'd. */
char *didq_anomaly_record_query(const didq_anomaly *an);

/* ---- Months ----
 *
 * Every file belongs to one reporting month (month.h; `--month` overrides
 * it: didq_session_opts.months), and all its records with it, whatever
 * their own test dates.  The files of one month are analysed together and
 * different months apart, in the same one scan: each per-site anomaly,
 * timeliness row and coverage row belongs to one month, and is what that
 * month's files checked alone give.  The kinds that compare months have
 * month DIDQ_NOMONTH: volume-drop, setting-default-suspected's "setting
 * that vanished" between months, and accession-reused and
 * identity-conflict over records of different months (docs/anomalies.md).
 * The files without a valid test date (no reporting month) form a month
 * of their own, DIDQ_UNDATED_MONTH.
 *
 * A session of one month (the common case) has one month here, and every
 * figure is what it was before months were analysed apart. */

/* The files without a reporting month, analysed together. */
#define DIDQ_UNDATED_MONTH (-2)
/* For the *_in accessors: the whole session, every month (the same as the
 * accessors without _in). */
#define DIDQ_ALLMONTHS INT32_MIN

/* The months analysed apart, ascending (DIDQ_UNDATED_MONTH first when
 * there is one); owned by the analysis.  0 when there are no records. */
size_t didq_analysis_month_list(const didq_analysis *a, const int32_t **months);

/* A month's figures: its files, records (those of its files) and
 * anomalies (month == m).  Zero for a month not in the list. */
typedef struct didq_month_info {
    int32_t month;
    int files;
    uint64_t records;
    size_t anomalies;
} didq_month_info;
didq_month_info didq_analysis_month_info(const didq_analysis *a, int32_t month);

/* The SQL condition over `records` selecting the records of a month (its
 * files: "file IN (1, 3)"), owned by the analysis; NULL when that is every
 * record of the session (a session of one month, or DIDQ_ALLMONTHS), so
 * a caller adds nothing; "0" for a month not in the list. */
const char *didq_analysis_month_where(const didq_analysis *a, int32_t month);

/* Whether anomaly an is shown for month m: its own month's, and those that
 * compare months (month DIDQ_NOMONTH); every one for DIDQ_ALLMONTHS. */
bool didq_anomaly_in_month(const didq_anomaly *an, int32_t m);

#endif
