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

/* The tables a saved session keeps beside its records for its panes and
 * analyses (store_panes.c, anomaly_save.c, dqmi_score.c, query_months.c):
 * each has a checksum of its rows in meta (sum_TABLE), so that a table
 * changed after the save is found when the file is opened again
 * (didq_store_check_sums), however plausible its numbers. */
static const char *const summed[] = {
    "site_counts",   "period",       "an_parts",    "an_anomalies", "anomaly_records",
    "an_timeliness", "an_coverage",  "an_volumes",  "dqmi_counts",  "month_sites",
    "site_figs",     "site_quality", "month_counts"};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

/* FNV-1a over every value of the table's rows, with its type; 0 with no
 * such table. */
static int table_sum(sqlite3 *db, const char *schema, const char *table, uint64_t *out)
{
    char *sql = sqlite3_mprintf("SELECT * FROM \"%w\".\"%w\"", schema, table);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
    sqlite3_free(sql);
    uint64_t h = 0xcbf29ce484222325ULL;
    while (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        for (int c = 0; c < sqlite3_column_count(q); c++) {
            unsigned char type = (unsigned char)sqlite3_column_type(q, c);
            h = fnv(h, &type, 1);
            if (type == SQLITE_INTEGER) {
                sqlite3_int64 v = sqlite3_column_int64(q, c);
                h = fnv(h, &v, sizeof v);
            } else if (type == SQLITE_FLOAT) {
                double v = sqlite3_column_double(q, c);
                h = fnv(h, &v, sizeof v);
            } else if (type != SQLITE_NULL) {
                const void *b = sqlite3_column_blob(q, c);
                int n = sqlite3_column_bytes(q, c);
                h = fnv(h, &n, sizeof n);
                if (n > 0) h = fnv(h, b, (size_t)n);
            }
        }
        h = fnv(h, "\n", 1);
    }
    sqlite3_finalize(q);
    *out = h;
    return rc == SQLITE_DONE ? 0 : -1;
}

static bool table_exists(sqlite3 *db, const char *schema, const char *table)
{
    char *sql = sqlite3_mprintf("SELECT 1 FROM \"%w\".sqlite_schema WHERE type = 'table' AND"
                                " name = %Q",
                                schema, table);
    sqlite3_stmt *q = NULL;
    bool found =
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    sqlite3_free(sql);
    return found;
}

static int write_sums(sqlite3 *db, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT INTO disk.meta VALUES(?, ?)", -1, &q, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof summed / sizeof *summed; i++) {
        uint64_t h;
        if (!table_exists(db, "disk", summed[i])) continue;
        if (table_sum(db, "disk", summed[i], &h) != 0) {
            rc = SQLITE_ERROR;
            break;
        }
        char key[64], v[17];
        snprintf(key, sizeof key, "sum_%s", summed[i]);
        snprintf(v, sizeof v, "%016llx", (unsigned long long)h);
        sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 2, v, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(q);
    }
    if (rc != SQLITE_OK) snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return rc == SQLITE_OK ? 0 : -1;
}

int didq_store_check_sums(sqlite3 *db, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof summed / sizeof *summed; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT value FROM main.meta WHERE key = 'sum_%s'", summed[i]);
        sqlite3_stmt *q = NULL;
        char want[17] = "";
        if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            snprintf(want, sizeof want, "%s", (const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
        bool have = table_exists(db, "main", summed[i]);
        if (!have && !*want) continue;
        uint64_t h = 0;
        char got[17] = "";
        if (have && table_sum(db, "main", summed[i], &h) == 0)
            snprintf(got, sizeof got, "%016llx", (unsigned long long)h);
        if (!*want || strcmp(want, got) != 0) {
            snprintf(err, errlen,
                     "%s was changed after the session was saved (its checksum in"
                     " meta differs)",
                     summed[i]);
            return -1;
        }
    }
    return 0;
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
        rc = rc ? rc : write_sums(db, err, errlen);
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
