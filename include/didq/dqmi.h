/* dqmi.h: a DQMI-style score, local: didq's reading of the method NHS
 * England publishes for its Data Quality Maturity Index, computed over a
 * finished session before submission.  It is never NHS England's score:
 * the items, the values that count as defaults and the thresholds are
 * didq's (refdata/dqmi.csv, docs/refdata.md), overridable with --dqmi FILE.
 *
 * Per item: defaults in excess = max(0, defaults - threshold x records);
 * item score = (valid and complete - defaults in excess) / records x 100.
 * Dataset score = mean of the item scores x coverage, coverage = reporting
 * months submitted / months expected (the span from the first reporting
 * month of the files to the last). */
#ifndef DIDQ_DQMI_H
#define DIDQ_DQMI_H

#include "didq/dataset.h"
#include "didq/session.h"

#include <stdint.h>

enum { DIDQ_DQMI_MAX_DEFAULTS = 8, DIDQ_DQMI_DEFAULT_LEN = 16, DIDQ_DQMI_COSTLY = 3 };

/* One item of the score and the values that count as its defaults. */
typedef struct didq_dqmi_item {
    int item; /* enum didq_item */
    int ndefaults;
    char defaults[DIDQ_DQMI_MAX_DEFAULTS][DIDQ_DQMI_DEFAULT_LEN];
    double threshold; /* the share of records (0..1) that may hold a default */
} didq_dqmi_item;

typedef struct didq_dqmi_spec {
    char name[256]; /* where it was read: "refdata/dqmi.csv" or the --dqmi file */
    int n;
    didq_dqmi_item items[DIDQ_MAX_ITEMS];
} didq_dqmi_spec;

/* The built-in spec (refdata/dqmi.csv). */
void didq_dqmi_spec_default(didq_dqmi_spec *sp);
/* A spec from CSV text (columns item,defaults,threshold; defaults
 * space-separated; # comments).  0, or -1 with "name:line: reason". */
int didq_dqmi_spec_parse(didq_dqmi_spec *sp, const char *name, const char *text, size_t len,
                         char *err, size_t errlen);
/* The same from a file: 0, -1 bad content ("path:line: reason"), -2 the
 * file cannot be read ("path: reason"). */
int didq_dqmi_spec_load(didq_dqmi_spec *sp, const char *path, char *err, size_t errlen);

/* An item's counts and score. */
typedef struct didq_dqmi_score {
    int item;                /* enum didq_item */
    uint64_t records;        /* records scored */
    uint64_t blank, invalid; /* not complete; complete but failing an item rule */
    uint64_t valid;          /* valid and complete: records - blank - invalid */
    uint64_t defaults;       /* valid values that are defaults */
    double allowed;          /* threshold x records */
    double excess;           /* defaults in excess: max(0, defaults - allowed) */
    double score;            /* 0..100; -1 without records */
} didq_dqmi_score;

/* The arithmetic of one item (exposed for the unit tests). */
didq_dqmi_score didq_dqmi_item_score(uint64_t records, uint64_t blank, uint64_t invalid,
                                     uint64_t defaults, double threshold);

/* A set of records scored: the whole session, or one site. */
typedef struct didq_dqmi_part {
    char *site; /* NULL: the whole session; "(blank)" for records without a site */
    uint64_t records;
    didq_dqmi_score *items; /* spec order */
    double mean;            /* mean of the item scores, -1 without records */
    int months_submitted;   /* reporting months with records */
    int months_expected;    /* the span of the files' reporting months; 0: none */
    double coverage;        /* months_submitted / months_expected, -1 when 0 expected */
    double score;           /* mean x coverage, -1 when either is unknown */
    /* The items that cost the most points (100 - score, most first, only
     * those below 100): indexes into items. */
    int costly[DIDQ_DQMI_COSTLY];
    int ncostly;
} didq_dqmi_part;

typedef struct didq_dqmi {
    const didq_dqmi_spec *spec;
    didq_dqmi_part overall;
    size_t nsites;
    didq_dqmi_part *sites; /* by site code */
} didq_dqmi;

/* Scores a finished session with sp (NULL: the built-in spec, which must
 * then outlive nothing: a static copy is used). */
didq_dqmi *didq_dqmi_compute(didq_session *s, const didq_dqmi_spec *sp);
/* The same, and in the same passes over the records, the score of each
 * reporting month months[k] (month.h; the records of the files of that
 * month, as a month's scope holds them, query.h) into per_month[k]: one
 * month, so coverage is 1/1 overall and for each site with records in it
 * (0/0, no score, for DIDQ_NOMONTH, the files without a month).  The
 * Sites pane's per-site scores of the month shown. */
didq_dqmi *didq_dqmi_compute_months(didq_session *s, const didq_dqmi_spec *sp,
                                    const int32_t *months, int nmonths, didq_dqmi **per_month);
/* A session with a record store is counted in one pass over it in C; this
 * is the same with the grouped SQL that a saved session uses (for the
 * test that the two give the same counts). */
didq_dqmi *didq_dqmi_compute_sql(didq_session *s, const didq_dqmi_spec *sp, const int32_t *months,
                                 int nmonths, didq_dqmi **per_month);
void didq_dqmi_free(didq_dqmi *d);
/* Before a load's end (didq_session_finish_analysed): the counts behind
 * the score of sp (NULL: the built-in spec, which must outlive the
 * session otherwise) are made on the thread that ends the load, once it
 * has ended, while the analyses run on the other, and kept with the
 * session; a score of the same items and defaults over the same records
 * then uses them (the same counts, made earlier).  What `didq check` and
 * `didq report` do, whose spec is known before the load. */
void didq_dqmi_prepare_beside(didq_session *s, const didq_dqmi_spec *sp);
/* Writes the counts behind the score of sp (not NULL) into the file a
 * loaded session is being saved to (schema "disk": the tables dqmi_counts
 * and meta's dqmi_spec), so that the session opened again scores without
 * reading its records when asked with the same items and defaults.
 * Returns 0, or -1 with SQLite's message (a didq_save_fn's part). */
int didq_dqmi_save(didq_session *s, const didq_dqmi_spec *sp, sqlite3 *db, char *err,
                   size_t errlen);

/* "DQMI-style (local) 87.3 (items 91.2 x coverage 1/1 months); most points lost:
 * Ethnic 12.0, Gender 3.1"
 * into buf; "not computed: ..." when no score. */
void didq_dqmi_line(const didq_dqmi *d, char *buf, size_t cap);

#endif
