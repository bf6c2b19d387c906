/* Every connection keeps temporary tables in memory; a saved session is
 * opened only when its tables are ordinary tables with didq's columns; a
 * query on a session can be interrupted; the anomaly thresholds are saved
 * with a session (store_open.c, session.c, anomaly.c). */
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/query.h"
#include "didq/session.h"
#include "didq/store.h"
#include "didq/synth.h"
#include "testlib.h"

#include <stdlib.h>
#include <unistd.h>

static int64_t pragma(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

static int calls;
static int stop_now(void *ctx)
{
    (void)ctx;
    calls++;
    return 1;
}

/* A recursive query that never ends unless interrupted. */
static int endless(sqlite3 *db)
{
    sqlite3_stmt *q = NULL;
    sqlite3_prepare_v2(db,
                       "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
                       " SELECT x FROM c WHERE x < 0",
                       -1, &q, NULL);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc;
}

static void alter(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_open(path, &db);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    CHECK(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(db);
}

static void refused(const char *orig, const char *sql, const char *want)
{
    char path[] = "/tmp/didq-test-open-XXXXXX", err[512] = "", cmd[256];
    int fd = mkstemp(path);
    close(fd);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", orig, path);
    CHECK(system(cmd) == 0, "%s", cmd);
    alter(path, sql);
    didq_session *s = didq_session_open_saved(path, NULL, err, sizeof err);
    CHECK(!s, "opened a session altered by %s", sql);
    CHECK(strstr(err, path) && strstr(err, want), "%s: message '%s', want '%s'", sql, err, want);
    didq_session_free(s);
    unlink(path);
}

static bool same_thresholds(const didq_thresholds *a, const didq_thresholds *b)
{
    for (int k = 0; k < DIDQ_AK_N; k++)
        if (a->k[k].threshold != b->k[k].threshold || a->k[k].limit != b->k[k].limit ||
            a->k[k].min_records != b->k[k].min_records || a->k[k].severity != b->k[k].severity)
            return false;
    return true;
}

/* The thresholds of the session's file, or the built-in ones if it does
 * not open. */
static didq_thresholds saved_thresholds(const char *path, const char *what)
{
    char err[512] = "";
    didq_thresholds t;
    didq_thresholds_default(&t);
    didq_session *s = didq_session_open_saved(path, NULL, err, sizeof err);
    CHECK(s, "%s: open: %s", what, err);
    if (s) CHECK(didq_thresholds_read(didq_session_db(s), &t, err, sizeof err) == 0, "%s", err);
    didq_session_free(s);
    return t;
}

/* A session made with thresholds other than the built-in ones saves them,
 * every value exactly; a file without them (saved by an older didq) gives
 * the built-in ones; a row that is not valid refuses the file. */
static void test_thresholds(void)
{
    char err[512] = "", path[] = "/tmp/didq-test-thresholds-XXXXXX";
    didq_thresholds th, builtin;
    didq_thresholds_default(&builtin);
    th = builtin;
    for (int k = 0; k < DIDQ_AK_N; k++) {
        th.k[k].threshold += 0.1 + 0.2; /* not a short decimal */
        th.k[k].limit = 1.0 / 3 + k;
        th.k[k].min_records = 1000000000000ULL - (uint64_t)k;
        th.k[k].severity = k % 3 + 1;
    }
    CHECK(!same_thresholds(&th, &builtin), "the thresholds differ from the built-in ones");
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20), .thresholds = &th};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    didq_synth_opts o = didq_synth_defaults();
    o.rows = 50;
    size_t len;
    char *csv = didq_synth_mem(&o, &len);
    didq_session_load_mem(s, "m.csv", csv, len, NULL, NULL);
    free(csv);
    didq_session_finish(s);
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    CHECK(didq_session_save(s, path, false, err, sizeof err) == 0, "save: %s", err);
    didq_session_free(s);
    didq_thresholds got = saved_thresholds(path, "saved");
    CHECK(same_thresholds(&got, &th), "saved thresholds differ from the session's");
    alter(path, "INSERT INTO thresholds VALUES('a-kind-of-a-newer-didq', 1, 0, 0, 'low')");
    got = saved_thresholds(path, "a kind unknown here");
    CHECK(same_thresholds(&got, &th), "a kind unknown here changed the thresholds");
    refused(path, "UPDATE thresholds SET severity = 'urgent' WHERE kind = 'activity-gap'",
            "thresholds: activity-gap: severity is not high, medium or low");
    refused(path, "UPDATE thresholds SET threshold = 'x' WHERE kind = 'volume-drop'",
            "thresholds: volume-drop: threshold is not a number from 0 to 1000000");
    refused(path, "UPDATE thresholds SET min_records = 2e12 WHERE kind = 'duplicate-suspected'",
            "thresholds: duplicate-suspected: min_records is not a number from 0 to 1000000000000");
    refused(path, "UPDATE thresholds SET \"limit\" = -1 WHERE kind = 'accession-reused'",
            "thresholds: accession-reused: limit is not a number from 0 to 1000000");
    refused(path,
            "DROP TABLE thresholds; CREATE VIEW thresholds AS SELECT 1 AS kind,"
            " 1 AS threshold, 1 AS \"limit\", 1 AS min_records, 1 AS severity",
            "thresholds is not an ordinary table");
    /* as an older didq saved it: no thresholds, no saved analyses */
    alter(path, "DROP TABLE thresholds; UPDATE meta SET value = 'didq-session-1'"
                " WHERE key = 'format'");
    got = saved_thresholds(path, "saved without thresholds");
    CHECK(same_thresholds(&got, &builtin), "a file without thresholds: not the built-in ones");
    unlink(path);
}

/* The analyses a session saves (didq-session-2) are its own, and a table
 * of them altered so that it no longer adds up, names a record that is not
 * saved, or holds a condition that is not a plain expression over
 * records, refuses the file (exit 66 in the CLI) with the table. */
static void test_saved_analyses(const char *path)
{
    refused(path, "DROP TABLE an_coverage", "an_coverage table is missing");
    refused(path,
            "DROP TABLE anomaly_records; CREATE VIEW anomaly_records AS SELECT 1 AS anomaly,"
            " 1 AS rec",
            "anomaly_records is not an ordinary table");
    refused(path, "UPDATE an_parts SET records = records + 1 WHERE part = 0",
            "a damaged saved didq session (an_parts: row 2 does not match");
    refused(path, "UPDATE an_parts SET ndays = ndays + 1 WHERE part = 0", "an_parts: the period");
    refused(path, "UPDATE an_timeliness SET rt_n = rt_n + 1 WHERE row = 0",
            "an_timeliness: row 1 does not add up");
    refused(path, "UPDATE an_timeliness SET rt_hist = x'0102' WHERE row = 1",
            "an_timeliness: row 2 does not add up");
    refused(path, "UPDATE an_coverage SET records = records + 1 WHERE row = 0",
            "an_coverage: row 1 does not add up");
    refused(path, "UPDATE an_coverage SET days = x'00000000' WHERE row = 0",
            "an_coverage: row 1 does not add up");
    refused(path, "UPDATE an_volumes SET month = -5 WHERE row = 0",
            "an_volumes: row 1 is not a month's volume");
    /* an anomaly added after the saved ones, with one kind of damage each */
#define MONTH "(SELECT month FROM an_parts WHERE part = 0)"
    static const char *const bad[] = {
        "'no-such-kind', 'low', 'RAE01', 0.5, 0.1, 3, -1, 0, 0, " MONTH ", 'm', 'site = ''R'''",
        "'activity-gap', 'low', 'RAE01', 0.5, 0.1, 3, -1, 0, 0, " MONTH ", 'm',"
        " '1) UNION SELECT 1 FROM (SELECT 1'",
        "'activity-gap', 'low', 'RAE01', 0.5, 0.1, 3, -1, 0, 0, " MONTH ", 'm',"
        " 'id IN (SELECT rec FROM findings)'",
        "'activity-gap', 'low', 'RAE01', 0.5, 0.1, 3, -1, 0, 0, " MONTH ", 'm',"
        " 'id IN (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x"
        " FROM c)'",
        "'activity-gap', 'low', 'RAE01', 0.5, 0.1, 3, -1, 0, 0, " MONTH
        ", 'm', 'load_extension(''x'')'",
        "'activity-gap', 'low', 'RAE01', 0.5, 0.1, 3, -1, 0, 0, " MONTH
        ", 'm', 'site = ''R'' -- x'",
        "'activity-gap', 'low', 'RAE01', 0.5, 0.1, 99999, -1, 0, 0, " MONTH ", 'm', 'site = ''R'''",
        "'activity-gap', 'low', 'RAE01', 0.5, 0.1, 3, -1, 0, 0, 5, 'm', 'site = ''R'''",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char sql[1024];
        snprintf(sql, sizeof sql,
                 "INSERT INTO an_anomalies SELECT (SELECT count(*) + 1 FROM an_anomalies), %s",
                 bad[i]);
        refused(path, sql, "is not an anomaly didq wrote");
    }
#undef MONTH
    /* a plain condition passes the row checks; the table's checksum then
     * tells that it was changed after the save */
    refused(path,
            "INSERT INTO an_anomalies SELECT (SELECT count(*) + 1 FROM an_anomalies),"
            " 'activity-gap', 'low', 'RAE01', 0.5, 0.1, 3, -1, 0, 0, month, 'm',"
            " 'site = ''R'' AND (flags & 64) = 0 AND upper(trim(f7)) GLOB ''G*'''"
            " FROM an_parts WHERE part = 0",
            "(an_anomalies was changed after the session was saved");
    refused(path, "UPDATE site_counts SET records = records - 1 WHERE rowid = 1",
            "(site_counts was changed after the session was saved");
    refused(path, "DELETE FROM meta WHERE key = 'sum_period'",
            "(period was changed after the session was saved");
    /* a record list: only as long as its anomaly counts, of saved records */
    refused(path,
            "INSERT INTO an_anomalies SELECT (SELECT count(*) + 1 FROM an_anomalies),"
            " 'duplicate-suspected', 'low', 'RAE01', 2, 2, 3, -1, 0, 0, month, 'm',"
            " 'id IN (SELECT rec FROM anomaly_records WHERE anomaly = ' ||"
            " (SELECT count(*) + 1 FROM an_anomalies) || ')' FROM an_parts WHERE part = 0;"
            " INSERT INTO anomaly_records VALUES((SELECT count(*) FROM an_anomalies), 1)",
            "anomaly_records: anomaly");
    refused(path, "INSERT INTO anomaly_records VALUES(1, 999999)", "anomaly_records: a list");
}

/* A value didq never writes in a saved analysis or pane table (format 2)
 * refuses the file on opening, naming table, row, column and value
 * (store_open.c), before any reader or checksum sees it. */
static void test_saved_values(const char *path)
{
    static const char *const bad[][2] = {
        {"UPDATE an_parts SET records = -1 WHERE part = 0",
         "(table an_parts, row 2, column records: -1 is not a count"},
        {"UPDATE an_parts SET part = -2 WHERE part = 0",
         "(table an_parts, row 2, column part: -2 is not a part number"},
        /* this session has no anomaly: one added, as the saved ones are */
        {"INSERT INTO an_anomalies SELECT 1, 'activity-gap', 'urgent', 'RAE01', 0.5, 0.1, 3, -1,"
         " 0, 0, month, 'm', 'site = ''RAE01''' FROM an_parts WHERE part = 0",
         "(table an_anomalies, row 1, column severity: 'urgent' is not low, medium or high"},
        {"INSERT INTO an_anomalies SELECT 1, 'activity-gap', 'low', 'RAE01', 0.5, 0.1, 'x', -1,"
         " 0, 0, month, 'm', 'site = ''RAE01''' FROM an_parts WHERE part = 0",
         "column records: 'x' is not a count"},
        {"INSERT INTO anomaly_records VALUES(1, -4)",
         "(table anomaly_records, row 1, column rec: -4 is not a count"},
        {"UPDATE an_timeliness SET tr_hist = 7 WHERE row = 0",
         "column tr_hist: 7 is not a blob of counts"},
        {"UPDATE an_coverage SET undated = 1.5 WHERE row = 0",
         "column undated: 1.5 is not a count"},
        {"UPDATE an_volumes SET records = -5 WHERE row = 0",
         "(table an_volumes, row 1, column records: -5 is not a count"},
        {"UPDATE dqmi_counts SET file = 9 WHERE rowid = 3",
         "(table dqmi_counts, row 3, column file: 9 is not a file number from 1 to 1)"},
        {"UPDATE dqmi_counts SET bad = -1 WHERE rowid = 2",
         "(table dqmi_counts, row 2, column bad: -1 is not a count"},
        {"UPDATE dqmi_counts SET defaults = NULL WHERE rowid = 1",
         "column defaults: NULL is not a count"},
        {"UPDATE month_sites SET kind = 5 WHERE rowid = 1",
         "(table month_sites, row 1, column kind: 5 is not 0, 1 or 2"},
        {"UPDATE month_sites SET rt = 'x' WHERE rowid = 1", "column rt: 'x' is not a blob"},
        {"UPDATE site_figs SET invalid = 2 WHERE rowid = 1",
         "(table site_figs, row 1, column invalid: 2 is not 0 or 1"},
        {"UPDATE site_figs SET warn = -3 WHERE rowid = 1", "column warn: -3 is not a count"},
        {"UPDATE site_figs SET file = 0 WHERE rowid = 1", "column file: 0 is not a file number"},
        {"UPDATE site_figs SET mand = 'x' WHERE rowid = 1", "column mand: 'x' is not a blob"},
        {"UPDATE site_quality SET records = 'many' WHERE rowid = 1",
         "(table site_quality, row 1, column records: 'many' is not a count"},
        {"UPDATE site_quality SET rules = NULL WHERE rowid = 1",
         "column rules: NULL is not a blob"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        refused(path, bad[i][0], bad[i][1]);
    /* a plausible value: the checksum tells */
    refused(path, "UPDATE site_figs SET err = err + 1 WHERE rowid = 1",
            "(site_figs was changed after the session was saved");
    refused(path, "UPDATE site_quality SET records = records + 1 WHERE rowid = 1",
            "(site_quality was changed after the session was saved");
}

int main(void)
{
    char err[512] = "", path[] = "/tmp/didq-test-saved-XXXXXX";
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    didq_synth_opts o = didq_synth_defaults();
    o.rows = 200;
    size_t len;
    char *csv = didq_synth_mem(&o, &len);
    didq_session_load_mem(s, "m.csv", csv, len, NULL, NULL);
    free(csv);
    didq_session_finish(s);
    CHECK(pragma(didq_session_db(s), "PRAGMA temp_store") == 2, "in-memory session: temp_store");
    didq_session_on_query(s, stop_now, NULL);
    CHECK(endless(didq_session_db(s)) == SQLITE_INTERRUPT && calls > 0, "in memory: not stopped");
    didq_session_on_query(s, NULL, NULL);
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    /* as check --db saves it: with the DQMI-style counts and pane figures */
    CHECK(didq_query_save(s, path, false, NULL, err, sizeof err) == 0, "save: %s", err);
    didq_session_free(s);

    s = didq_session_open_saved(path, NULL, err, sizeof err);
    CHECK(s != NULL, "open saved: %s", err);
    if (s) {
        sqlite3 *db = didq_session_db(s);
        CHECK(pragma(db, "PRAGMA temp_store") == 2, "saved session: temp_store");
        CHECK(pragma(db, "PRAGMA trusted_schema") == 0, "saved session: trusted_schema");
        calls = 0;
        didq_session_on_query(s, stop_now, NULL);
        CHECK(endless(db) == SQLITE_INTERRUPT && calls > 0, "saved: not stopped");
        didq_session_free(s);
    }
    refused(path,
            "DROP TABLE meta; CREATE VIEW meta(key, value) AS WITH RECURSIVE c(x) AS"
            " (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT 'k', x FROM c",
            "meta is not an ordinary table");
    refused(path, "DROP TABLE records; CREATE VIEW records AS SELECT * FROM findings",
            "records is not an ordinary table");
    refused(path, "DROP TABLE items; CREATE VIRTUAL TABLE items USING fts5(id, field)",
            "items is not an ordinary table");
    refused(path, "ALTER TABLE rules DROP COLUMN message", "table rules has no column message");
    refused(path, "DROP TABLE period; CREATE VIEW period AS SELECT 1 AS first_test, 2 AS last_test",
            "period is not an ordinary table");
    refused(path, "DROP TABLE findings", "findings table is missing");
    refused(path, "UPDATE meta SET value = 'x' WHERE key = 'format'",
            "no didq-session-1 or -2 marker");
    refused(path, "UPDATE meta SET value = 'didq-session-3' WHERE key = 'format'",
            "a saved didq session of a newer format (didq-session-3)");
    test_saved_analyses(path);
    test_saved_values(path);
    didq_session *t = didq_session_open_saved("/etc/hostname", NULL, err, sizeof err);
    CHECK(!t && strstr(err, "not an SQLite file"), "/etc/hostname: '%s'", err);
    unlink(path);
    test_thresholds();
    return test_done();
}
