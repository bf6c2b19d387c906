/* store.h: the SQLite database behind a session.  The records and their
 * findings live in a didq_recstore and appear as the virtual tables
 * `records` and `findings`; files, rules, items and file findings are
 * ordinary tables.  The schema is described in docs/design.md; every reader
 * (reports, the explorer, the analyses) queries it through didq_store_db(). */
#ifndef DIDQ_STORE_H
#define DIDQ_STORE_H

#include "didq/dataset.h"
#include "didq/month.h"
#include "didq/record.h"
#include "didq/rules.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct didq_store didq_store;

/* The records table names an item's columns by its number: DIDQ_COL_F and
 * the others, in dataset.h. */

/* Opens a store in memory (path NULL) or in a file.  Creates the schema,
 * starts the load transaction and prepares the insert statements.
 * Returns NULL with a message in err on failure. */
didq_store *didq_store_open(const char *path, const didq_dataset *ds, char *err, size_t errlen);

/* Adds a file; returns its number (1-based). */
uint32_t didq_store_add_file(didq_store *st, const char *path, const char *format);

/* Takes back the file added last, when it holds no record (check --site:
 * a file with none of the sites' records): its row and its file-level
 * findings go, and the next file gets its number. */
void didq_store_drop_last_file(didq_store *st, uint32_t file);

/* Sets a file's reporting month and the records outside it (month.h). */
void didq_store_file_month(didq_store *st, uint32_t file, const didq_file_month *m);

/* Adds a record with the hits of the per-record rules; returns its id. */
uint32_t didq_store_add_record(didq_store *st, const didq_record *r, const didq_hit *hits,
                               int nhits, int nerr, int nwarn);

/* Adds a file-level finding. */
void didq_store_add_file_finding(didq_store *st, uint32_t file, const char *code, uint64_t line,
                                 const char *message);

/* Ends the load: runs the cross-record rules, writes the rule and item
 * tables, builds the indexes and commits. */
void didq_store_finish(didq_store *st, const didq_ruleset *rs, const uint64_t *rule_counts,
                       const uint64_t *blank, const uint64_t *invalid);

sqlite3 *didq_store_db(didq_store *st);

/* Sets a row of the meta table (session facts: format, submitted, ...). */
void didq_store_meta(didq_store *st, const char *key, const char *value);

/* What a layer above the store adds to a saved file: called inside the
 * save's transaction with the file attached as schema "disk"; returns 0,
 * or -1 with the reason in err (the save then fails, nothing is left). */
typedef int (*didq_save_fn)(sqlite3 *db, void *ctx, char *err, size_t errlen);

/* Saves a finished store to an SQLite file (0600, written beside it and
 * moved into place; an existing file is kept unless overwrite), with what
 * fn adds (NULL: nothing).  Returns 0, or -1 with a message. */
int didq_store_save(didq_store *st, const char *path, bool overwrite, didq_save_fn fn, void *ctx,
                    char *err, size_t errlen);

/* A saved session's tables beside its records (the panes' counts and the
 * analyses) against the checksums the save wrote in meta (sum_TABLE):
 * 0, or -1 with "TABLE was changed after the session was saved ..." in
 * err (a table without its checksum, or a checksum without its table,
 * too).  For files of didq-session-2; reads those tables once. */
int didq_store_check_sums(sqlite3 *db, char *err, size_t errlen);

/* True if path is a regular file with SQLite's signature (a session saved
 * with --db, or another SQLite file: didq_store_open_saved checks which). */
bool didq_is_saved_file(const char *path);

/* Opens a saved session read-only (didq_db_open); NULL with a message
 * naming the file if it is not one: not SQLite, or a table didq reads is
 * missing, a view or virtual table, or lacks a column (store_open.c). */
sqlite3 *didq_store_open_saved(const char *path, char *err, size_t errlen);

/* The in-memory records behind the tables `records` and `findings`. */
struct didq_recstore *didq_store_recstore(didq_store *st);
void didq_store_close(didq_store *st);

/* Every SQLite connection of didq: temp_store=MEMORY (no temporary
 * table or sort on disk) and trusted_schema off.  Returns 0,
 * or -1 with "PATH: why" in err. */
int didq_db_open(const char *path, int flags, sqlite3 **db, char *err, size_t errlen);

/* Runs SQL that must succeed (schema, pragmas); dies with the message if
 * it does not, since that is a defect, not a user error. */
void didq_exec(sqlite3 *db, const char *sql);

/* Prepares a statement that must compile; dies otherwise. */
sqlite3_stmt *didq_prepare(sqlite3 *db, const char *sql);

/* Makes an allocation that fails inside SQLite end the program as
 * didq_out_of_memory does.  Call once, before any other SQLite call
 * (main does); returns -1 if SQLite was already initialised. */
int didq_sql_memory_init(void);
/* A saved session's file now open: corruption SQLite meets from here on
 * ends the program with exit 66 naming it (sql_memory.c). */
void didq_sql_watch_saved(const char *path);

#endif
