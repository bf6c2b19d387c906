/* store_open.c: every SQLite connection didq makes (didq_db_open), and a
 * saved session opened again.  A saved file is untrusted input: its schema
 * could hold views (a recursive one never ends), virtual tables, triggers
 * or functions in indexes.  It is opened read-only with trusted_schema
 * off, and every table didq reads must be an ordinary table with the
 * columns didq wrote, and each column whose values come from a fixed list
 * or range must hold only such values, else the file is refused before
 * any query. */
#include "didq/store.h"
#include "didq/text.h"
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
    /* Saved by check --db (query_save.c); without one, its pane or report
     * counts from the records. */
    {"dqmi_counts", 0, "row file grp records item blank defaults bad bad_default"},
    {"month_sites", 0, "site kind month records err s04 s07 blank nrt ntr rt tr"},
    {"site_figs", 0, "file site invalid records err warn s07 mand"},
    {"site_quality", 0, "row site records rules blank invalid"},
    {"month_counts", 0, "month records err warn rules blank invalid"},
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

/* The columns whose values didq writes from a fixed list or range, checked
 * value by value (the records and findings, whose values are the
 * submission's, are not).  An unknown value would be shown and written to
 * the JSON report as it is, or counted as what it is not (a verdict other
 * than 'rejected' as accepted; a file id of 2^31 made the reports allocate
 * an array of that many files).  ok is an SQL condition on the value v,
 * compared without the collation the file's schema may give the column;
 * what says in words what ok accepts.  A missing optional table or column
 * (older files) is not checked. */
#define IS_COUNT "typeof(v) = 'integer' AND v >= 0"
#define COUNT_WHAT "a count (an integer from 0)"
#define IS_FLAG "typeof(v) = 'integer' AND v IN (0, 1)"
#define IS_FILE "typeof(v) = 'integer' AND v BETWEEN 1 AND (SELECT count(*) FROM main.files)"
#define IS_PART "typeof(v) = 'integer' AND v >= -1"
#define PART_WHAT "a part number (an integer from -1)"
#define IS_BLOB "typeof(v) = 'blob'"
#define BLOB_WHAT "a blob of counts"
#define IN_LIST(...) "typeof(v) = 'text' AND v COLLATE BINARY IN (" __VA_ARGS__ ")"
static const struct saved_values {
    const char *table, *columns, *ok, *what;
    bool upto_files; /* what ends with the number of files */
} saved_values[] = {
    {"files", "id", IS_FILE, "a file number from 1 to", true},
    {"files", "format", IN_LIST("'csv', 'xml'"), "csv or xml", false},
    {"files", "verdict", IN_LIST("'accepted', 'rejected'"), "accepted or rejected", false},
    {"files", "file_reject", IS_FLAG, "0 or 1", false},
    {"files", "records err_records warn_records outside_month no_test_date", IS_COUNT, COUNT_WHAT,
     false},
    {"files", "month",
     "v IS NULL OR (typeof(v) = 'text' AND v GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'"
     " AND substr(v, 6, 2) BETWEEN '01' AND '12')",
     "a month CCYY-MM or NULL", false},
    {"file_findings", "file", IS_FILE, "a file number from 1 to", true},
    {"file_findings", "line", IS_COUNT, COUNT_WHAT, false},
    {"file_findings", "reject", IS_FLAG, "0 or 1", false},
    /* as dataset.h's didq_severity and item status (refdata/v1/) */
    {"rules", "severity", IN_LIST("'error', 'warning'"), "error or warning", false},
    {"rules", "checked", IS_FLAG, "0 or 1", false},
    {"rules", "records", IS_COUNT, COUNT_WHAT, false},
    {"items", "status", IN_LIST("'M', 'M*', 'R'"), "M, M* or R", false},
    {"items", "blank invalid", IS_COUNT, COUNT_WHAT, false},
    {"site_counts",
     "records err_records warn_records s01 s02 s03 s04 s05 s06 s07 s_other gp_ref gp_ref_03"
     " bad_code",
     IS_COUNT, COUNT_WHAT, false},
    {"site_counts", "invalid_site", IS_FLAG, "0 or 1", false},
    /* the saved analyses and pane figures (format 2): their readers check
     * that the rows add up too, and each table's checksum */
    {"an_parts", "part", IS_PART, PART_WHAT, false},
    {"an_parts", "records ndays", IS_COUNT, COUNT_WHAT, false},
    {"an_anomalies", "severity", IN_LIST("'low', 'medium', 'high'"), "low, medium or high", false},
    {"an_anomalies", "records", IS_COUNT, COUNT_WHAT, false},
    {"anomaly_records", "anomaly rec", IS_COUNT, COUNT_WHAT, false},
    {"an_timeliness", "part", IS_PART, PART_WHAT, false},
    {"an_timeliness", "row records rt_n rt_missing rt_negative tr_n tr_missing tr_negative",
     IS_COUNT, COUNT_WHAT, false},
    {"an_timeliness", "rt_hist tr_hist", IS_BLOB, BLOB_WHAT, false},
    {"an_coverage", "part", IS_PART, PART_WHAT, false},
    {"an_coverage", "row records undated outside", IS_COUNT, COUNT_WHAT, false},
    {"an_coverage", "days", IS_BLOB, BLOB_WHAT, false},
    {"an_volumes", "row records days", IS_COUNT, COUNT_WHAT, false},
    {"dqmi_counts", "file", IS_FILE, "a file number from 1 to", true},
    {"dqmi_counts", "row records item blank defaults bad bad_default", IS_COUNT, COUNT_WHAT, false},
    {"month_sites", "kind", "typeof(v) = 'integer' AND v IN (0, 1, 2)", "0, 1 or 2", false},
    {"month_sites", "records err s04 s07 nrt ntr", IS_COUNT, COUNT_WHAT, false},
    {"month_sites", "blank rt tr", IS_BLOB, BLOB_WHAT, false},
    {"site_figs", "file", IS_FILE, "a file number from 1 to", true},
    {"site_figs", "invalid", IS_FLAG, "0 or 1", false},
    {"site_figs", "records err warn s07", IS_COUNT, COUNT_WHAT, false},
    {"site_figs", "mand", IS_BLOB, BLOB_WHAT, false},
    {"site_quality", "row records", IS_COUNT, COUNT_WHAT, false},
    {"site_quality", "rules blank invalid", IS_BLOB, BLOB_WHAT, false},
    {"month_counts", "records err warn", IS_COUNT, COUNT_WHAT, false},
    {"month_counts", "rules blank invalid", IS_BLOB, BLOB_WHAT, false},
};

static int count_files(sqlite3 *db)
{
    sqlite3_stmt *q = NULL;
    int n = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM main.files", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* A value as the message shows it: escaped, a text quoted, at most 40
 * bytes of it, with a marker and its length when there is more. */
static void show_value(didq_buf *b, sqlite3_stmt *q, int col)
{
    int type = sqlite3_column_type(q, col);
    const char *s = (const char *)sqlite3_column_text(q, col);
    size_t n = (size_t)sqlite3_column_bytes(q, col);
    if (type == SQLITE_NULL) {
        didq_buf_puts(b, "NULL");
    } else if (type == SQLITE_BLOB) {
        didq_buf_printf(b, "a blob of %zu bytes", n);
    } else if (type == SQLITE_TEXT) {
        didq_buf_puts(b, "'");
        didq_text_escape(b, s, n > 40 ? 40 : n);
        didq_buf_puts(b, n > 40 ? "\u2026'" : "'");
        if (n > 40) didq_buf_printf(b, " (%zu bytes)", n);
    } else {
        didq_text_escape(b, s, n);
    }
}

/* Whether table.col holds a value ok refuses: one plain scan (a saved
 * anomaly's record lists run to hundreds of thousands of rows, which the
 * numbered scan below took 0.12 s of CPU for, per column, at 12 million
 * records); -1 when the query fails. */
static int any_refused(sqlite3 *db, const struct saved_values *c, const char *col)
{
    char *sql = sqlite3_mprintf("SELECT 1 FROM (SELECT \"%w\" AS v FROM main.\"%w\")"
                                " WHERE (%s) IS NOT 1 LIMIT 1",
                                col, c->table, c->ok);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
    sqlite3_free(sql);
    if (rc == SQLITE_OK) rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? 1 : -1;
}

/* The first value of table.col that ok refuses, in err; true when none
 * (any_refused first: the numbered scan only for a file to refuse).
 * The row is counted in the table's own order, as sqlite3 lists it. */
static bool column_values_ok(sqlite3 *db, const struct saved_values *c, const char *col,
                             const char *path, char *err, size_t errlen)
{
    if (any_refused(db, c, col) == 0) return true;
    char *sql = sqlite3_mprintf("SELECT n, v FROM (SELECT row_number() OVER () AS n, \"%w\""
                                " AS v FROM main.\"%w\") WHERE (%s) IS NOT 1 LIMIT 1",
                                col, c->table, c->ok);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
    sqlite3_free(sql);
    if (rc == SQLITE_OK) rc = sqlite3_step(q);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(q);
        return true;
    }
    if (rc != SQLITE_ROW) {
        snprintf(err, errlen, "%s: not a saved didq session (table %s: %s)", path, c->table,
                 sqlite3_errmsg(db));
        sqlite3_finalize(q);
        return false;
    }
    didq_buf b = {0};
    didq_buf_printf(&b, "%s: not a saved didq session (table %s, row %lld, column %s: ", path,
                    c->table, sqlite3_column_int64(q, 0), col);
    show_value(&b, q, 1);
    didq_buf_puts(&b, " is not ");
    didq_buf_puts(&b, c->what);
    if (c->upto_files) didq_buf_printf(&b, " %d", count_files(db));
    didq_buf_puts(&b, ")");
    snprintf(err, errlen, "%s", b.p);
    didq_buf_free(&b);
    sqlite3_finalize(q);
    return false;
}

static bool values_ok(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof saved_values / sizeof *saved_values; i++) {
        const struct saved_values *c = &saved_values[i];
        if (table_kind(db, c->table) != 1) continue; /* an optional table, absent */
        for (const char *p = c->columns; *p;) {
            char col[32];
            size_t n = strcspn(p, " ");
            snprintf(col, sizeof col, "%.*s", (int)n, p);
            if (has_column(db, c->table, col, n) &&
                !column_values_ok(db, c, col, path, err, errlen))
                return false;
            p += n + (p[n] == ' ');
        }
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
    didq_sql_watch_saved(path);
    /* meta first (the first table): it says which tables the file has */
    bool ok = table_ok(db, &saved_tables[0], 1, path, err, errlen);
    int format = ok ? marker(db, path, err, errlen) : 0;
    ok = format > 0;
    for (size_t i = 1; ok && i < sizeof saved_tables / sizeof *saved_tables; i++)
        ok = table_ok(db, &saved_tables[i], format, path, err, errlen);
    if (ok) ok = values_ok(db, path, err, errlen);
    if (!ok) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}
