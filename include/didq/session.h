/* session.h: one run of didq over one or more submission files: reads
 * each file, applies the rules, fills the store, then finishes the load.
 * The CLI and the explorer both drive the engine through this API. */
#ifndef DIDQ_SESSION_H
#define DIDQ_SESSION_H

#include "didq/anomaly.h"
#include "didq/dataset.h"
#include "didq/rules.h"
#include "didq/store.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct didq_analysis;
struct didq_id_range;
struct didq_refdata;
struct didq_thresholds;
typedef struct didq_session didq_session;

/* A reporting month given for files (`--month CCYY-MM[:FILE]`): the file
 * whose name, as loaded, is file (or whose last path part is), or every
 * file when file is NULL; a later one wins.  A file's records all belong
 * to the month given (month.h; those dated in another month are counted
 * as outside it). */
typedef struct didq_month_override {
    const char *file;
    int32_t month; /* month index (month.h) */
} didq_month_override;

typedef struct didq_session_opts {
    int32_t submitted;              /* submission date (day number) */
    const char *db_path;            /* NULL: in memory */
    const char *spill_dir;          /* the records in files there (--db), NULL: in memory */
    const struct didq_refdata *ref; /* NULL: no reference data */
    const char *ref_label;          /* where it came from, for reports; NULL: none */
    /* The anomaly thresholds of the session's analyses (copied; saved with
     * the session); NULL: the built-in ones (refdata/anomalies.csv). */
    const struct didq_thresholds *thresholds;
    const didq_month_override *months; /* n_months of them (copied), or NULL */
    size_t n_months;
    /* check --site: only the records whose cleansed site code (trimmed of
     * spaces, as the Overview groups sites) is one of these n_sites codes
     * (copied, trimmed) are kept, each after its rules ran, with its own
     * line and record number; a file holding none of them is dropped
     * (didq_store_drop_last_file) and named in the meta table.  NULL: all. */
    const char *const *sites;
    size_t n_sites;
    /* Threads of a CSV load (`--threads`): 0 didq_session_default_threads();
     * 1 the serial pipeline (one reader thread beside the calling one); N > 1
     * N worker threads parsing blocks of the file, merged in file order, so
     * that every output is the same byte for byte at any count (XML, and a
     * CSV file from the first row over several lines on, are read serially). */
    int threads;
    /* Another session loads at the same time (`didq diff`'s two files):
     * a file is read on half the threads, at least one (at 2 or 3 the serial
     * pipeline), since the other load has the rest; the other uses of the
     * threads (the diff's pairing, an explorer's analyses) keep them all. */
    bool load_beside;
    /* A session only compared (`didq diff`'s report): its load ends without
     * the record store's look-up index by site code, which the comparison
     * never reads (a query by site still works: it scans). */
    bool compare_only;
    /* A regular CSV file is mapped, and its plain lines' values are read
     * back from the mapping rather than copied into memory during the load
     * (recstore.h), which saves the fresh memory of a copy of the file.
     * The caller installs didq_mapped_guard (a file cut short meanwhile
     * raises SIGBUS) and checks didq_session_inputs_changed before
     * trusting results; a session that lives on takes the values into its
     * own memory after the load (didq_session_take_values). */
    bool values_in_file;
    /* A short run whose outputs never look a site up (check, report,
     * diff): the store's look-up by site code is made at its first use,
     * not at the end of the load (recstore.h,
     * didq_recstore_keys_on_demand). */
    bool sites_on_demand;
} didq_session_opts;

/* The load threads when none are asked for: the CPUs this process may use
 * (its affinity mask, capped by its cgroup's CPU quota), at most
 * DIDQ_DEFAULT_THREADS_MAX; on one CPU 1, the serial pipeline. */
enum { DIDQ_DEFAULT_THREADS_MAX = 16 };
int didq_session_default_threads(void);

/* With values_in_file: whether a file whose values are read back from it
 * was changed by another program since the start of its load (err says
 * which and how): the values read since may then not be those checked. */
bool didq_session_inputs_changed(const didq_session *s, char *err, size_t errlen);

/* Whether a file the session loaded by its path (not standard input, nor a
 * FIFO or a device) is no longer as it was when its load started: gone,
 * another file under its name, or another size, modification or change
 * time (err names it and says how).  For reading the files again (the
 * explorer's R in a site scope): whatever didq_session_inputs_changed
 * says, which after the values are taken no longer looks.  A saved
 * session, or one loaded from memory, has no such file: false. */
bool didq_session_inputs_since(const didq_session *s, char *err, size_t errlen);

/* With values_in_file, for a session that outlives its files' checks (the
 * explorer): a thread makes the mapped files' bytes the session's own
 * memory (mapped.h, didq_mapped_adopt) while its records are read, then
 * compares the files with their start one last time.  Once it has ended
 * (didq_session_values_taken), the files are let go: later changes to them
 * have no effect, and didq_session_inputs_changed gives that last
 * comparison's verdict from then on.  Nothing when no file is mapped. */
void didq_session_take_values(didq_session *s);
/* Whether that thread has ended (waiting for it when wait is set); true
 * when none runs.  If memory ran out, the bytes not taken stay the files'
 * and the files stay watched (didq_session_inputs_changed compares). */
bool didq_session_values_taken(didq_session *s, bool wait);
/* Whether some values are still read back from an input file: before
 * they are taken, or when memory ran short for the copy. */
bool didq_session_reads_files(const didq_session *s);
/* The bytes of loaded file number `file` that the session holds (its
 * mapping, or the copy taken of it), n of them from its first byte; NULL
 * when it holds none (the file was read into the record store, or is a
 * saved session's). */
const unsigned char *didq_session_file_bytes(const didq_session *s, uint32_t file, uint64_t *n);

/* Progress of a load: bytes read, total bytes (0 if unknown), records.
 * Return nonzero to cancel the load. */
typedef int (*didq_progress_fn)(void *ctx, uint64_t bytes, uint64_t total, uint64_t records);

didq_session *didq_session_new(const didq_session_opts *o, char *err, size_t errlen);

/* Makes what every load shares and makes on first use (the data set, the
 * default thresholds, the referrer patterns, the SQLite and XML
 * libraries): call once before two sessions load at once on two threads
 * (`didq diff` loads OLD and NEW so); a load reads them only after. */
void didq_session_init_shared(void);

/* Loads a file ("-" is standard input).  Returns DIDQ_READ_OK, or
 * DIDQ_READ_FATAL (the file was rejected part-way; findings say why),
 * DIDQ_READ_CANCELLED, or DIDQ_READ_IO with "path: reason" in err (the
 * file cannot be read; nothing of it is kept). */
int didq_session_load(didq_session *s, const char *path, didq_progress_fn fn, void *ctx, char *err,
                      size_t errlen);

/* Loads a file held in memory, under a display name. */
int didq_session_load_mem(didq_session *s, const char *name, const void *data, size_t len,
                          didq_progress_fn fn, void *ctx);

/* Ends the load (cross-record rules, indexes).  Call once, after the
 * last load; the store is read-only afterwards. */
void didq_session_finish(didq_session *s);

/* The session owns its analyses (anomaly.h): they run once, with its
 * thresholds, its record store and its reference data, and are freed with
 * it.  didq_session_finish_analysed ends the load with them beside it, on
 * two threads (didq_analysis_run_beside), and returns them: what `didq
 * check` and the explorer do after a load. */
const struct didq_analysis *didq_session_finish_analysed(didq_session *s);
/* Work of an upper layer beside the analyses: fn(s, ctx) runs in
 * didq_session_finish_analysed on the thread that ends the load, once it
 * has ended, while the analyses scan the records (once; not when the
 * analyses had already run).  fn may read the finished records and their
 * findings, and keep what it makes with didq_session_keep; it must not
 * write SQL.  The DQMI-style counts of `didq check` (dqmi.h). */
void didq_session_beside(didq_session *s, void (*fn)(didq_session *s, void *ctx), void *ctx);
/* Work of an upper layer on each record as it is stored: fn(ctx, r, hits,
 * nhits, id) for every record kept, with the findings of its rules (hits;
 * the cross-record ones, DIDS071, come after the load) and its id in the
 * record store, on the thread that stores records, in file order.  Set
 * before the first load; one (a second replaces the first).  The DQMI-
 * style counts of `didq check` and `didq report` (dqmi.h). */
typedef void (*didq_record_fn)(void *ctx, const didq_record *r, const didq_hit *hits, int nhits,
                               uint32_t id);
void didq_session_on_record(didq_session *s, didq_record_fn fn, void *ctx);
/* A result of an upper layer kept with the session and freed with it by
 * free_fn (one; a second replaces and frees the first); NULL when none. */
void didq_session_keep(didq_session *s, void *p, void (*free_fn)(void *p));
void *didq_session_kept(const didq_session *s);
/* The explorer's way: ends the load with the analyses started in the
 * background (didq_analysis_start; held until released when hold) and
 * returns without waiting for them.  didq_session_analysis_ready says,
 * without waiting, whether they have ended (and takes them when they
 * have); didq_session_analysis waits for them.  Without a record store,
 * didq_session_finish_analysed. */
void didq_session_finish_background(didq_session *s, bool hold);
bool didq_session_analysis_ready(didq_session *s);
void didq_session_analysis_release(didq_session *s);
/* The session's analyses, for the reports and the panes: those of
 * didq_session_finish_analysed; for a saved session, or one finished by
 * didq_session_finish alone, run on the first call (after the load has
 * ended) with the thresholds the session was made or saved with. */
const struct didq_analysis *didq_session_analysis(didq_session *s);
/* The analyses of part of the records as though a file of them alone had
 * been loaded (didq_analysis_opts.subset_where, subset_ids: anomaly.h),
 * with the session's thresholds, reference data and threads: a site's,
 * for the explorer's site scope (query.h, didq_scope_analysis).  The
 * session's own analyses first end (didq_session_analysis).  The caller
 * frees the result (didq_analysis_free), before the session. */
struct didq_analysis *didq_session_analysis_subset(didq_session *s, const char *where,
                                                   const struct didq_id_range *ids, size_t nids);

/* After the last load: starts making the sorted orders of the in-memory
 * records in the background, for the explorer (didq_recstore_prebuild).
 * False if none was started (a saved session, no records). */
bool didq_session_prebuild_orders(didq_session *s);
/* The explorer may sort by item soon: that order is made next. */
void didq_session_prebuild_next(didq_session *s, int item);

/* Saves a finished session to an SQLite file (--db); see didq_store_save.
 * The file keeps the session's analyses (running them first if they have
 * not run: didq_analysis_save), so that it opens without reading a record. */
int didq_session_save(didq_session *s, const char *path, bool overwrite, char *err, size_t errlen);
/* The same with fn adding tables of a layer above (didq_save_fn, store.h). */
int didq_session_save_with(didq_session *s, const char *path, bool overwrite, didq_save_fn fn,
                           void *ctx, char *err, size_t errlen);

/* Opens a saved session (read-only; already finished).  Its analyses use
 * the thresholds it was saved with, read back from the file
 * (didq_analysis_load), or those given (not NULL): when they differ from
 * the saved ones, or the file was saved by an older didq
 * (didq-session-1), the analyses run again over the records on the first
 * didq_session_analysis.  NULL with a message if path is not a saved didq
 * session, or its saved analyses are damaged. */
didq_session *didq_session_open_saved(const char *path, const struct didq_thresholds *thresholds,
                                      char *err, size_t errlen);

sqlite3 *didq_session_db(const didq_session *s);
/* fn(ctx) is called every hundred thousand steps of any query on the
 * session (sqlite3_progress_handler); a non-zero return interrupts the
 * query (SQLITE_INTERRUPT).  The explorer quits there on q, Ctrl-C or a
 * signal, so no query, whatever a saved file holds, runs beyond reach. */
void didq_session_on_query(didq_session *s, int (*fn)(void *ctx), void *ctx);
/* The in-memory records of a loaded session (NULL for a saved one), for
 * analyses that read every record (anomaly.h). */
const struct didq_recstore *didq_session_recstore(const didq_session *s);
const didq_dataset *didq_session_dataset(const didq_session *s);
/* Bytes of the longest raw value of an item over the session's records,
 * kept while loading and saved with the session (the explorer's column
 * widths); -1 when not known (a session saved by an older didq). */
int didq_session_widest(const didq_session *s, int item);
/* The reference data the session was made with (NULL: none, or saved). */
const struct didq_refdata *didq_session_refdata(const didq_session *s);
const didq_ruleset *didq_session_rules(const didq_session *s);
int32_t didq_session_submitted(const didq_session *s);
/* The load's threads (didq_session_opts.threads, or the default). */
int didq_session_threads(const didq_session *s);
uint64_t didq_session_records(const didq_session *s);
/* With opts.sites: the records kept of site i (0 .. n_sites - 1), as
 * trimmed (*code); 0 for a site that no file holds. */
uint64_t didq_session_site_records(const didq_session *s, size_t i, const char **code);
void didq_session_free(didq_session *s);

#endif
