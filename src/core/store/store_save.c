/* store_save.c: a finished in-memory session saved to an SQLite file, and a
 * saved file opened again.  The saved file has ordinary tables with the
 * same names and columns as the in-memory ones (records and findings become
 * real tables with indexes), so every reader works on either, and the pane
 * aggregates that would otherwise scan the records (store_panes.c). */
#include "didq/afile.h"
#include "store_int.h"
#include "didq/store.h"
#include "didq/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char copy_sql[] =
    "CREATE TABLE disk.findings AS SELECT * FROM temp.findings;"
    "CREATE TABLE disk.files AS SELECT * FROM main.files;"
    "CREATE TABLE disk.rules AS SELECT * FROM main.rules;"
    "CREATE TABLE disk.items AS SELECT * FROM main.items;"
    "CREATE TABLE disk.file_findings AS SELECT * FROM main.file_findings;"
    "CREATE TABLE disk.meta AS SELECT * FROM main.meta;"
    "CREATE TABLE disk.thresholds AS SELECT * FROM main.thresholds;"
    "CREATE INDEX disk.records_site ON records(site, id);"
    "CREATE INDEX disk.records_file ON records(file, id);"
    "CREATE INDEX disk.findings_rec ON findings(rec);"
    "CREATE INDEX disk.findings_rule ON findings(rule, rec);"
    "CREATE INDEX disk.file_findings_line ON file_findings(file, line);";

/* The saved records keyed by id (INTEGER PRIMARY KEY, the rowid): with
 * CREATE TABLE AS, id would be an ordinary column, and `id = ?` (the record
 * detail) and `id > ? ORDER BY id LIMIT n` (every page of a record list)
 * would read every record.  The other columns are the virtual table's, as
 * it declares them (id is its column 0; the hidden bN are not copied). */
static char *records_sql(sqlite3 *db)
{
    didq_buf b = {0};
    didq_buf_puts(&b, "CREATE TABLE disk.records(id INTEGER PRIMARY KEY");
    sqlite3_stmt *q = didq_prepare(db, "SELECT name, type FROM pragma_table_info('records', 'temp')"
                                       " WHERE cid > 0 ORDER BY cid");
    while (sqlite3_step(q) == SQLITE_ROW) {
        char *col = sqlite3_mprintf(", \"%w\" %s", (const char *)sqlite3_column_text(q, 0),
                                    (const char *)sqlite3_column_text(q, 1));
        didq_buf_puts(&b, col);
        sqlite3_free(col);
    }
    sqlite3_finalize(q);
    didq_buf_puts(&b, "); INSERT INTO disk.records SELECT * FROM temp.records;");
    return b.p;
}

static int run(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK) return 0;
    snprintf(err, errlen, "%s", msg ? msg : "SQL error");
    sqlite3_free(msg);
    return -1;
}

static int copy_into(sqlite3 *db, const didq_recstore *rs, const char *tmp, didq_save_fn fn,
                     void *ctx, char *err, size_t errlen)
{
    char *attach = sqlite3_mprintf("ATTACH %Q AS disk", tmp);
    int rc = run(db, attach, err, errlen);
    sqlite3_free(attach);
    if (rc == 0) {
        rc = run(db, "PRAGMA disk.journal_mode=OFF; PRAGMA disk.synchronous=OFF;", err, errlen);
        rc = rc ? rc : run(db, "BEGIN", err, errlen);
        char *records = records_sql(db);
        rc = rc ? rc : run(db, records, err, errlen);
        free(records);
        rc = rc ? rc : run(db, copy_sql, err, errlen);
        rc = rc ? rc : didq_store_save_panes(db, rs, err, errlen);
        rc = rc || !fn ? rc : fn(db, ctx, err, errlen);
        rc = rc ? rc : run(db, "COMMIT", err, errlen);
        if (rc) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        run(db, "DETACH disk", err, rc ? 0 : errlen);
    }
    return rc;
}

/* SQLite writes the file by name: a named temporary file beside path
 * (afile.c: `.NAME.didq-XXXXXX`, locked while it is written, removed on a
 * signal or, after a SIGKILL, at the next write to the folder), then a link
 * or rename into place.  Over /dev/null a rename would replace the device
 * with the patient data: a FIFO or device is refused. */
int didq_store_save(didq_store *st, const char *path, bool overwrite, didq_save_fn fn, void *ctx,
                    char *err, size_t errlen)
{
    unsigned flags =
        DIDQ_AFILE_REGULAR | DIDQ_AFILE_SESSION | (overwrite ? DIDQ_AFILE_OVERWRITE : 0);
    if (didq_output_check(path, flags, err, errlen) != 0) return -1;
    char *tmp = NULL;
    int fd = didq_temp_beside(path, &tmp, err, errlen);
    if (fd < 0) return -1;
    int rc = copy_into(didq_store_db(st), didq_store_recstore(st), tmp, fn, ctx, err, errlen);
    if (rc == 0 && fsync(fd) != 0) rc = -1, snprintf(err, errlen, "%s: %s", path, strerror(errno));
    if (rc == 0 && didq_temp_place(tmp, path, overwrite) != 0)
        rc = -1, snprintf(err, errlen, "%s: %s", path,
                          errno == EEXIST ? "exists (use --force to overwrite)" : strerror(errno));
    didq_temp_done(tmp, fd);
    return rc;
}
