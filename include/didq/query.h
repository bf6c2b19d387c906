/* query.h: what the explorer (and any other reader) asks of a finished
 * session: small aggregate tables for the panes, computed once, and record
 * lists paged with indexed keyset queries, never loaded whole.  No curses. */
#ifndef DIDQ_QUERY_H
#define DIDQ_QUERY_H

#include "didq/anomaly.h"
#include "didq/session.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* An aggregate table: cells as text, and for each cell an optional
 * drill-down (a SQL condition on `records r`, a breadcrumb label, and the
 * number of records the condition selects when the table already knows it,
 * so the record list need not count them again). */
typedef struct didq_qtable {
    int ncols;
    size_t nrows, cap;
    const char **head;   /* ncols headings (static strings) */
    const char *align;   /* 'l' or 'r' per column */
    char **cells;        /* nrows * ncols, owned, never NULL */
    char **where;        /* nrows * ncols, owned or NULL: the records behind a cell */
    char **label;        /* nrows * ncols, owned or NULL: breadcrumb label */
    int64_t *count;      /* nrows * ncols: records behind the drill-down, -1 unknown */
    unsigned char *mark; /* per row: 1 = stands out (shown with a marker) */
} didq_qtable;

didq_qtable *didq_qtable_new(int ncols, const char **head, const char *align);
/* Appends a row; returns its index.  Cells start as "". */
size_t didq_qtable_row(didq_qtable *t);
void didq_qtable_set(didq_qtable *t, size_t row, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void didq_qtable_drill(didq_qtable *t, size_t row, int col, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The number of records the cell's drill-down selects, when known exactly
 * (-1, the default, for unknown). */
void didq_qtable_count(didq_qtable *t, size_t row, int col, int64_t n);
/* Sets the cell to n as a percentage of `of` with 2 decimals, or to "-"
 * when `of` is 0 (no records: a share without a denominator, as
 * Completeness shows it). */
void didq_qtable_share(didq_qtable *t, size_t row, int col, uint64_t n, uint64_t of);
const char *didq_qtable_cell(const didq_qtable *t, size_t row, int col);
/* A table of per-site rows limited to one site (a site scope): keeps the
 * rows whose column col is site, in order.  When the table had an
 * every-site row (column col equal to all; NULL: none), the first row
 * becomes a copy of the site's first row, labelled all and not marked: over one site's
 * records, "every site" is that site. */
void didq_qtable_keep_site(didq_qtable *t, int col, const char *site, const char *all);
void didq_qtable_free(didq_qtable *t);
/* Writes the table as CSV: the headings, then the rows in order (NULL:
 * table order), cells escaped and quoted (didq_text_csv), and a last
 * column Marked ("!" on the rows a pane marks, else empty).
 * Returns the rows written. */
size_t didq_qtable_csv(const didq_qtable *t, const size_t *order, FILE *out);

/* A record scope (query_scope.c): the records the panes show: a
 * reporting month, the records of the files whose reporting month it is
 * (month.h; DIDQ_NOMONTH: the files without one), and within it, or
 * within every record, one site (didq_scope_site).  A NULL scope is every record, and every query
 * below given NULL answers exactly as its unscoped form.  In a scope, each
 * count is exact (one pass over the scope's records, made once) and each
 * drill-down condition includes the scope. */
typedef struct didq_scope didq_scope;
/* The reporting months of the loaded files, ascending, without repeats
 * (DIDQ_NOMONTH first when a file has none); *out malloc'd. */
int didq_query_months(didq_session *s, int32_t **out);
didq_scope *didq_scope_month(didq_session *s, int32_t month);
void didq_scope_free(didq_scope *sc);
/* The scope's month (DIDQ_NOMONTH for NULL or the files without one;
 * DIDQ_ALLMONTHS for a site scope over every record). */
int32_t didq_scope_month_of(const didq_scope *sc);
/* True if file (its id) is in the scope (always for NULL; for a site
 * scope, a file of its month holding a record of the site). */
bool didq_scope_has_file(const didq_scope *sc, int file);
/* Records in the scope (every record for NULL). */
uint64_t didq_scope_records(didq_session *s, didq_scope *sc);
/* The files in the scope, and of those the rejected ones. */
void didq_scope_files(didq_session *s, const didq_scope *sc, int *files, int *rejected);
/* The scope's condition on `records r` ("1" for NULL). */
const char *didq_scope_where(const didq_scope *sc);
/* cond (NULL or "": none) with the scope's condition before it, as
 * "(scope) AND (cond)"; sqlite3_free() it.  For NULL, cond unchanged. */
char *didq_scope_and(const didq_scope *sc, const char *cond);

/* A site scope (query_scope_site.c): the records of one site within base
 * (a month's scope; NULL: every record), month AND site.  site is a label
 * as the Overview's per-site table shows it: a site code (its records
 * whose code breaks no site rule), "(blank)" (the site absent or only
 * spaces) or "(invalid site)" (every record whose code breaks a site
 * rule).  Its counts are made at once, exactly, over the site's records
 * only; its files are those holding one of them.  base must outlive it.
 * Its month (didq_scope_month_of) is base's, DIDQ_ALLMONTHS without one. */
didq_scope *didq_scope_site(didq_session *s, const didq_scope *base, const char *site);
/* The site's label, or NULL for a scope of no site (and NULL). */
const char *didq_scope_site_of(const didq_scope *sc);
/* The analyses of a site scope (timeliness, coverage, anomalies: the
 * explorer's panes 7 to 9, the Months and Sites panes' anomalies): those
 * of a file holding only the site's records loaded alone, as `check
 * --site` gives them (docs/usage.md).  Every month's records of the site
 * (site: a label as for didq_scope_site) are analysed, apart from every
 * other record (didq_session_analysis_subset), so that a kind comparing
 * records (identity-conflict: a patient's details over the site's records
 * only) or a site with the whole (activity-gap's active weekdays,
 * volume-drop's complete months) sees the site alone; each month's
 * anomalies are then read with the _in accessors as the session's.  NULL
 * for "(blank)", which the analyses leave out.  didq_analysis_free it;
 * a second one replaces the first's record lists (anomaly.h). */
didq_analysis *didq_scope_analysis(didq_session *s, const char *site);
/* The sites of a scope's records (NULL: every record) with their records,
 * grouped as above (absent and only spaces one "(blank)"), most records
 * first, "(invalid site)" last; *n of them. */
typedef struct didq_site_entry {
    char *label;
    uint64_t records;
} didq_site_entry;
didq_site_entry *didq_scope_site_list(didq_session *s, didq_scope *sc, size_t *n);
void didq_site_list_free(didq_site_entry *v, size_t n);

/* Pane aggregates (query_panes.c).  The _in forms take a scope. */
typedef struct didq_overview {
    uint64_t records, err_records, warn_records;
    int files, files_rejected;
    int32_t first_test, last_test; /* DIDQ_NODATE if none */
    char *months;           /* the files' reporting months: "2026-10" or "2026-09, 2026-10" */
    int nmonths;            /* 0: no file has a valid test date */
    uint64_t outside_month; /* records dated outside their file's reporting month */
    uint64_t no_test_date;  /* records without a valid test date */
    didq_qtable *files_tab, *sites, *top_rules;
    /* Mean filled % of the mandatory items (status M), NICIP and SNOMED CT
     * counted as one item, filled when either is given (M as a pair: the
     * SNOMED CT code is blank by design when a NICIP code is given). */
    double mandatory_filled;
    /* The three least filled items (the pair again as one), least first. */
    struct {
        const char *name; /* short name, static */
        double filled;
    } worst[3];
    int nworst;
    int items_below; /* items well below the national figure */
} didq_overview;

void didq_query_overview(didq_session *s, didq_overview *o);
void didq_query_overview_in(didq_session *s, didq_scope *sc, didq_overview *o);
/* The same without the per-site table (o->sites NULL: no per-site pass),
 * for the explorer, whose Overview shows the Sites pane's table. */
void didq_query_overview_nosites(didq_session *s, didq_scope *sc, didq_overview *o);
void didq_overview_free(didq_overview *o);

/* Completeness: item, status, filled %, blank, invalid, national %. */
didq_qtable *didq_query_completeness(didq_session *s);
didq_qtable *didq_query_completeness_in(didq_session *s, didq_scope *sc);
/* Validation: code, severity, records, %, message (rules not checked too). */
didq_qtable *didq_query_validation(didq_session *s);
didq_qtable *didq_query_validation_in(didq_session *s, didq_scope *sc);
/* Duplicates (DIDS071): site, accession, records, files, test dates. */
didq_qtable *didq_query_duplicates(didq_session *s);
didq_qtable *didq_query_duplicates_in(didq_session *s, didq_scope *sc);
/* Source settings: site by setting 01..07, other, total, GP-referred
 * records (didq_gp_referred) and of those the ones recorded as 03; a site
 * is marked where gp-direct-access-as-outpatient fires with the thresholds
 * ths (NULL: the built-in ones). */
didq_qtable *didq_query_settings(didq_session *s, const didq_thresholds *ths);
didq_qtable *didq_query_settings_in(didq_session *s, didq_scope *sc, const didq_thresholds *ths);

/* Analysis panes (query_analysis.c), from one didq_analysis_run.
 * Timeliness: site, modality, records, then request-to-test and
 * test-to-report median, 90th percentile and missing; the overall row
 * first, each site's all-modality row before its modalities.  Rows of a
 * site with a timeliness anomaly are marked. */
didq_qtable *didq_query_timeliness(const didq_analysis *a);
/* Anomalies: severity, site, kind, records, value, threshold, message,
 * most severe first (didq_analysis_by_severity: severity, site, kind,
 * then the period); high ones marked.  When
 * the session has several months, each message starts with its month
 * ("2026-09: ", "months: " for one that compares months). */
didq_qtable *didq_query_anomalies(const didq_analysis *a);
/* The same for one month (anomaly.h, "Months"): the timeliness rows of the
 * month's records, drill-downs within them; the month's anomalies and
 * those that compare months (didq_anomaly_in_month).  DIDQ_ALLMONTHS: the
 * tables above. */
didq_qtable *didq_query_timeliness_in(const didq_analysis *a, int32_t month);
didq_qtable *didq_query_anomalies_in(const didq_analysis *a, int32_t month);
/* Month-on-month volumes: site (every site first), records per month for
 * the last DIDQ_VOL_MONTHS reporting months (month.h; a month between
 * two reporting months is not one), then the change in records per day
 * from the month before the last to the last.  The headings live in *v,
 * which must outlive the table.  The first row (every site) leaves out
 * records with a blank site, as the analyses do.  NULL with fewer than two
 * reporting months (nothing earlier to compare).  Sites with a
 * volume-drop anomaly are marked. */
enum { DIDQ_VOL_MONTHS = 12 };
typedef struct didq_volumes {
    const char *head[DIDQ_VOL_MONTHS + 2];
    char month[DIDQ_VOL_MONTHS][12];
    char align[DIDQ_VOL_MONTHS + 3]; /* 'l', 'r'... */
    int first, nmonths;              /* months shown, the first (didq_date_month_index) */
    int mi[DIDQ_VOL_MONTHS];         /* the month index of each column */
} didq_volumes;
didq_qtable *didq_query_volumes(const didq_analysis *a, didq_volumes *v);

/* The Months pane (query_months.c): one row per site and reporting month
 * (sites in order, each site's months ascending; a blank site, absent or
 * only spaces, one "(blank)" row, invalid site codes one "(invalid site)"
 * row, last): Site, Month, then the DIDQ_SM_* figures:
 * records per weekday (records / Monday-to-Friday days of the month),
 * records with errors %, mandatory items filled % (status M, NICIP and
 * SNOMED CT as one), source setting 07 % and 04 %, the median days from
 * request (or received) to test and from test to report (nearest rank;
 * ">365" beyond a year), and the site's anomalies in the month (from a,
 * NULL: "-").  A figure that changed significantly from the site's
 * previous reporting month (didq_sm_changed) ends with DIDQ_SM_MARK and
 * its row is marked.  Every cell drills into the site's records in that
 * month. */
enum {
    DIDQ_SM_VOLUME,
    DIDQ_SM_ERRORS,
    DIDQ_SM_MANDATORY,
    DIDQ_SM_S07,
    DIDQ_SM_S04,
    DIDQ_SM_REQ_TEST,
    DIDQ_SM_TEST_REPORT,
    DIDQ_SM_ANOMALIES,
    DIDQ_SM_NCOLS
};
#define DIDQ_SM_MARK "*"
didq_qtable *didq_query_site_months(didq_session *s, const didq_analysis *a);
/* The pane's groups (per site and month: records, errors, settings,
 * blanks, interval histograms) written into the file a loaded session is
 * being saved to (schema "disk", table month_sites); a saved session's
 * pane reads them instead of every record.  0, or -1 with SQLite's
 * message (a didq_save_fn's part). */
int didq_query_months_save(didq_session *s, sqlite3 *db, char *err, size_t errlen);

/* Saves a finished, loaded session (didq_session_save_with) with what its
 * panes would otherwise count from every record when it is opened again:
 * the DQMI-style counts of sp (NULL: the built-in spec; didq_dqmi_save)
 * and the Months pane's groups (didq_query_months_save).  0, or -1 with
 * a message. */
struct didq_dqmi_spec;
int didq_query_save(didq_session *s, const char *path, bool overwrite,
                    const struct didq_dqmi_spec *sp, char *err, size_t errlen);
/* The rule: records per weekday changed by 30 % or more of the previous
 * figure; a share by 10 points or more; a median by 50 % or more (of the
 * previous median, at least 1 day); anomalies: more than before. */
bool didq_sm_changed(int col, double before, double now);

/* The national 2024/25 filled percentage of an item (Table C of the DID
 * technical report, refdata/benchmarks/completeness-2024-25.csv), or -1. */
double didq_benchmark_filled(int item);

/* Record lists (query_list.c). */
enum { DIDQ_COL_FILE = -3, DIDQ_COL_LINE = -2, DIDQ_COL_CODES = -1 };

typedef struct didq_row {
    int64_t id;
    char *file; /* path of its file */
    int64_t line;
    char *f[DIDQ_MAX_ITEMS]; /* raw values, "" when empty */
    char *codes;             /* finding codes, space-separated */
    char *note;              /* the record's notes (didq_list_notes), "" when none */
    char *key;               /* sort key (for keyset paging) */
} didq_row;

typedef struct didq_list didq_list;

/* A list of the records matching where (a condition on `records r`, NULL
 * for all), ordered by id. */
didq_list *didq_list_new(didq_session *s, const char *where);
didq_list *didq_list_dup(const didq_list *l);
void didq_list_free(didq_list *l);
/* Number of records (counted once, then cached). */
uint64_t didq_list_count(didq_list *l);
/* Presets the cached count with a number already known (a pane cell's
 * count): the caller vouches that the condition selects n records. */
void didq_list_set_count(didq_list *l, uint64_t n);
/* Sort by an item (0-based), or -1 for file order; builds the item's
 * index on first use. */
void didq_list_sort(didq_list *l, int item, bool desc);
int didq_list_sort_item(const didq_list *l);
/* The list may be sorted by item soon (the cursor is on its column): in
 * memory, the background builder makes that order next. */
void didq_list_sort_hint(didq_list *l, int item);
bool didq_list_sort_desc(const didq_list *l);
/* Narrows the list to records whose item equals value. */
void didq_list_filter(didq_list *l, int item, const char *value);

/* Rows carry the record's notes (didq_row.note, an export's notes
 * column) as didq_note_text gives them: the notes' SQL functions
 * (notes.h, didq_notes_sql) must be registered on the session's database. */
void didq_list_notes(didq_list *l, bool on);
bool didq_list_has_notes(const didq_list *l);
/* Narrows the list to records with notes (with) or without. */
void didq_list_filter_notes(didq_list *l, bool with);

/* Fetches up to n rows after (forward) or before (backward) the anchor row
 * (NULL: from the start or the end); inclusive includes the anchor itself.
 * Backward rows come out in list order.  Returns rows fetched. */
int didq_list_fetch(didq_list *l, const didq_row *anchor, bool inclusive, bool backward,
                    didq_row *out, int n);
/* Position (0-based) of a row in the list, counting at most cap rows (the
 * cost grows with the position); UINT64_MAX when it is cap or more. */
uint64_t didq_list_pos(didq_list *l, const didq_row *r, uint64_t cap);
/* The next (or previous) row after anchor (NULL: from the start, or the
 * end backward) with a field that contains text (literal: % and _ are
 * themselves; ASCII case-insensitive), or with a finding whose code
 * contains it (DIDS012, dids01: a finding of the record or a file-level
 * one on its line, as the Findings column shows them), into *out; with
 * mask, NHS number, birth date and postcode are searched as masked text,
 * as shown.  Returns false if none. */
bool didq_list_search(didq_list *l, const didq_row *anchor, const char *text, bool backward,
                      bool mask, didq_row *out);
/* The same over the fields only. */
bool didq_list_search_fields(didq_list *l, const didq_row *anchor, const char *text, bool backward,
                             bool mask, didq_row *out);
/* The first row of the list (by id, whatever its order) whose record
 * starts at line (its file's line number) of file (a path as the rows
 * give it; NULL: any file), as the list's order reads it (its key set,
 * for an anchor).  False if the list has none. */
bool didq_list_at_line(didq_list *l, const char *file, int64_t line, didq_row *out);
void didq_row_clear(didq_row *r);
void didq_row_copy(didq_row *dst, const didq_row *src);

/* Writes the list as CSV (file, line, every item, finding codes, and the
 * notes when the list has them: didq_list_notes), masking
 * identifiers when mask is set.  Returns records written. */
uint64_t didq_list_csv(didq_list *l, FILE *out, bool mask);

/* The patients of the records matching where (NULL: all), in the order of
 * their first record (query_patient.c).  A patient is the NHS number
 * (spaces removed), or for a record without one its birth date and
 * postcode (upper case, spaces removed), as duplicate-suspected and
 * identity-conflict compare them.  At most cap patients are kept; `more`
 * counts the rest, `unkeyed` the records with no NHS number and no birth
 * date or postcode (no patient to match).  The keys are identifiers: never
 * log them. */
typedef struct didq_patient {
    bool by_nhs;
    char *nhs; /* by_nhs: the NHS number; else "" */
    int32_t dob;
    char *pc;
} didq_patient;
typedef struct didq_patients {
    didq_patient *p;
    size_t n;
    uint64_t more, unkeyed;
} didq_patients;
didq_patients *didq_query_patients(didq_session *s, const char *where, size_t cap);
/* The condition on `records r` selecting every record of patient i in the
 * session, whatever its file or month (malloc'd).  In memory one pass over
 * the records, naming them by id. */
char *didq_patient_where(didq_session *s, const didq_patients *ps, size_t i);
void didq_patients_free(didq_patients *p);

/* The Sites pane and the Overview's per-site table (query_sites.c): one
 * row per site of the scope (sc NULL: every record), grouped as the
 * Overview's sites were (an absent and an only-spaces site two "(blank)"
 * rows, every invalid site code one "(invalid site)" row), in site code
 * order (the blank rows first, the invalid row last), so that a sort
 * breaks ties by site code: Site, Records, Errors (records with an error),
 * Err % (of the site's records), Warnings, Warn %, Mand % (mandatory
 * items' completeness: didq_mand_filled, as the Months pane), 07 % (source
 * setting 07, other), Anomalies (the site's, in the scope's month: as the
 * Months pane counts them; "-" without a), DQMI-style (local) (d's score
 * of the site, "-" when it has none; d NULL: "-").  A percentage without
 * records is "-".  Every cell drills into the site's records in the scope.
 * In memory the counts are the scope's per-site pass (no pass of their
 * own in a scope). */
enum { DIDQ_SITES_NCOLS = 10 };
struct didq_dqmi;
didq_qtable *didq_query_sites_in(didq_session *s, didq_scope *sc, const didq_analysis *a,
                                 const struct didq_dqmi *d);

/* Completeness per site and item (query_siteitems.c): Site (as the
 * Overview's per-site table groups them), Records, then per item its filled
 * % (blank as the Completeness pane counts it). */
didq_qtable *didq_query_site_items(didq_session *s);

/* Per site, as the Overview's per-site table groups and orders them
 * (query_sitequal.c): its records, per rule the records with a finding of
 * it (each record once), and per item the records with it blank and with
 * it invalid, both as the Completeness pane counts them (so each sums over
 * the sites to the pane's figure).  In memory one pass over the record
 * store (didq_site_counts_scan_quality); a saved session in SQL. */
typedef struct didq_site_quality {
    char *site; /* the Overview's label: the code, "(blank)" or "(invalid site)" */
    uint64_t records;
    uint64_t *rule; /* per rule of didq_session_rules, by index */
    uint64_t blank[DIDQ_MAX_ITEMS], invalid[DIDQ_MAX_ITEMS];
} didq_site_quality;

/* The sites (*n of them); free with didq_site_quality_free. */
didq_site_quality *didq_query_site_quality(didq_session *s, size_t *n);
void didq_site_quality_free(didq_site_quality *q, size_t n);
/* The sites as above written into the file a loaded session is being
 * saved to (schema "disk", table site_quality), which the session opened
 * again reads instead of its records.  0, or -1 with SQLite's message. */
int didq_query_site_quality_save(didq_session *s, sqlite3 *db, char *err, size_t errlen);

/* Findings on one record: rule code, severity, item, message; then the
 * file-level findings on its line, with item -1. */
didq_qtable *didq_query_record_findings(didq_session *s, int64_t id);

/* File-level findings (query_filefind.c): one row per file and code
 * appended to a Validation table (code, severity, records at its lines,
 * %, "FILE line L: message"), drilling into the records at those lines; */
void didq_query_file_rows(didq_session *s, didq_qtable *t, uint64_t records);
/* the same for the files of a scope only; */
void didq_query_file_rows_in(didq_session *s, didq_scope *sc, didq_qtable *t, uint64_t records);
/* why a file is rejected ("" when accepted; free()); */
char *didq_query_file_reason(sqlite3 *db, int file);
/* the findings on record id's line, appended with item -1. */
void didq_query_line_findings(sqlite3 *db, didq_qtable *t, int64_t id);

#endif
