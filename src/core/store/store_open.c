/* store_open.c: every SQLite connection didq makes (didq_db_open), and a
 * saved session opened again.  A saved file is untrusted input: its schema
 * could hold views (a recursive one never ends), virtual tables, triggers
 * or functions in indexes.  It is opened read-only with trusted_schema
 * off, and every table didq reads must be an ordinary table with the
 * columns didq wrote, else the file is refused before any query. */
#include "didq/store.h"
#include "didq/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int didq_db_open(const char *path, int flags, sqlite3 **out, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    /* Temporary tables and sorts stay in memory: on disk (/var/tmp) they
     * would hold patient data, such as every postcode of a sort. */
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK ||
        sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA temp_store=MEMORY", NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        sqlite3_close(db);
        *out = NULL;
        return -1;
    }
    *out = db;
    return 0;
}

/* The tables of a saved session and the columns didq reads from them
 * (store.c, store_save.c, store_panes.c, anomaly.c); site_counts and
 * period are absent from files of older versions, which then read the
 * records, and thresholds, whose sessions' analyses then take the
 * built-in thresholds. */
#define F(item) " " DIDQ_COL_F(item) /* an item's raw value column */
#define D(item) " " DIDQ_COL_D(item) /* a date item's day column */
static const struct saved_table {
    const char *name;
    int since; /* the format from which the table is required; 0: optional */
    const char *columns;
} saved_tables[] = {
    {"meta", 1, "key value"},
    {"files", 1, "id path format records err_records warn_records file_reject verdict"},
    {"file_findings", 1, "file code line message reject"},
    {"rules", 1, "id code severity checked why fields message records"},
    {"items", 1, "id field label status blank invalid"},
    /* clang-format off */
    {"records", 1,
     "id file recno line offset flags nerr nwarn"
     F(DIDQ_NHS_NUMBER) F(DIDQ_NHS_STATUS) F(DIDQ_BIRTH_DATE) F(DIDQ_ETHNIC) F(DIDQ_GENDER)
     F(DIDQ_POSTCODE) F(DIDQ_PRACTICE) F(DIDQ_SETTING) F(DIDQ_REFERRER) F(DIDQ_REFERRING_ORG)
     F(DIDQ_REQUEST_DATE) F(DIDQ_RECEIVED_DATE) F(DIDQ_TEST_DATE) F(DIDQ_NICIP) F(DIDQ_SNOMED)
     F(DIDQ_REPORT_DATE) F(DIDQ_SITE) F(DIDQ_ACCESSION)
     " x site acc setting nhs"
     D(DIDQ_BIRTH_DATE) D(DIDQ_REQUEST_DATE) D(DIDQ_RECEIVED_DATE) D(DIDQ_TEST_DATE)
     D(DIDQ_REPORT_DATE)},
    /* clang-format on */
    {"findings", 1, "rec rule item"},
    /* gp_ref, gp_ref_03 and bad_code are newer: query_panes.c looks for
     * them and reads the records without them. */
    {"site_counts", 2, "site records err_records warn_records s01 s02 s03 s04 s05 s06 s07 s_other"},
    {"period", 2, "first_test last_test"},
    {"thresholds", 2, "kind threshold limit min_records severity"},
    /* The saved analyses (anomaly_save.c), from didq-session-2 on. */
    {"an_parts", 2, "part month records day0 ndays"},
    {"an_anomalies", 2,
     "id kind severity site value threshold records item day0 day1 month message cond"},
    {"anomaly_records", 2, "anomaly rec"},
    {"an_timeliness", 2,
     "part row site modality records rt_n rt_missing rt_negative rt_hist tr_n tr_missing"
     " tr_negative tr_hist"},
    {"an_coverage", 2, "part row site records undated outside days"},
    {"an_volumes", 2, "row site month records days"},
};
#undef F
#undef D

static bool has_column(sqlite3 *db, const char *table, const char *col, size_t n)
{
    sqlite3_stmt *q = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1, 'main') WHERE name = ?2", -1,
                           &q, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, col, (int)n, SQLITE_STATIC);
    found = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return found;
}

/* What the schema holds under name: 0 nothing, 1 an ordinary table, -1
 * something else (a view, a virtual table), -2 a broken file. */
static int table_kind(sqlite3 *db, const char *name)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
                           " FROM main.sqlite_schema WHERE name = ?1 COLLATE NOCASE"
                           " AND type IN ('table', 'view')",
                           -1, &q, NULL) != SQLITE_OK)
        return -2;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q), kind = rc == SQLITE_ROW ? (sqlite3_column_int(q, 0) ? 1 : -1) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) kind = -2;
    sqlite3_finalize(q);
    return kind;
}

/* Checks one table of a file of the given format; returns false with the
 * reason in err. */
static bool table_ok(sqlite3 *db, const struct saved_table *t, int format, const char *path,
                     char *err, size_t errlen)
{
    int kind = table_kind(db, t->name);
    if (kind == -2) {
        snprintf(err, errlen, "%s: not a saved didq session (%s)", path, sqlite3_errmsg(db));
        return false;
    }
    if (kind == 0 && (t->since == 0 || t->since > format)) return true;
    if (kind != 1) {
        snprintf(err, errlen, "%s: not a saved didq session (%s %s)", path, t->name,
                 kind ? "is not an ordinary table" : "table is missing");
        return false;
    }
    for (const char *c = t->columns; *c;) {
        size_t n = strcspn(c, " ");
        if (!has_column(db, t->name, c, n)) {
            snprintf(err, errlen, "%s: not a saved didq session (table %s has no column %.*s)",
                     path, t->name, (int)n, c);
            return false;
        }
        c += n + (c[n] == ' ');
    }
    return true;
}

/* The format of the file's marker: 1 or 2 (didq-session-N), else 0 with
 * the reason in err.  Format 2 keeps the analyses (anomaly_save.c); a
 * file of format 1, saved by an older didq, is still read (its analyses
 * then read the records). */
static int marker(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL;
    const char *v = NULL;
    int format = 0;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'format'", -1, &q, NULL) ==
            SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        v = (const char *)sqlite3_column_text(q, 0);
    if (v && strcmp(v, "didq-session-1") == 0) format = 1;
    if (v && strcmp(v, "didq-session-2") == 0) format = 2;
    if (!format && v && strncmp(v, "didq-session-", 13) == 0)
        snprintf(err, errlen,
                 "%s: a saved didq session of a newer format (%.20s) than this didq reads"
                 " (didq-session-1 and -2)",
                 path, v);
    else if (!format)
        snprintf(err, errlen, "%s: not a saved didq session (no didq-session-1 or -2 marker)",
                 path);
    sqlite3_finalize(q);
    return format;
}

static bool is_sqlite(const char *path)
{
    char magic[16] = {0};
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    size_t n = fread(magic, 1, sizeof magic, f);
    fclose(f);
    return n == sizeof magic && memcmp(magic, "SQLite format 3", 16) == 0;
}

bool didq_is_saved_file(const char *path)
{
    /* Only a regular file: reading a FIFO here would block, or eat the
     * first bytes of the submission it carries. */
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && is_sqlite(path);
}

sqlite3 *didq_store_open_saved(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "%s: %s", path,
                 S_ISDIR(sb.st_mode) ? "is a directory" : "a saved session is a regular file");
        return NULL;
    }
    if (!is_sqlite(path)) {
        snprintf(err, errlen,
                 "%s: not a saved didq session (not an SQLite file); a submission is checked "
                 "with 'didq check' or opened with 'didq FILE'",
                 path);
        return NULL;
    }
    if (didq_db_open(path, SQLITE_OPEN_READONLY, &db, err, errlen) != 0) return NULL;
    /* meta first (the first table): it says which tables the file has */
    bool ok = table_ok(db, &saved_tables[0], 1, path, err, errlen);
    int format = ok ? marker(db, path, err, errlen) : 0;
    ok = format > 0;
    for (size_t i = 1; ok && i < sizeof saved_tables / sizeof *saved_tables; i++)
        ok = table_ok(db, &saved_tables[i], format, path, err, errlen);
    if (!ok) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}
