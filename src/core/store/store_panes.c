/* store_panes.c: the pane aggregates of a finished in-memory session,
 * written into the file it is saved to.  A saved session has no record
 * store, so without them its Overview and Source settings would GROUP BY
 * site, and its period take min and max of d13, over every record on disk
 * (seconds per million records).  The counts come from the same pass in C
 * that a loaded session uses (recstore_sites.c); query_panes.c reads them back,
 * and falls back to the SQL over `records` for a file saved without them. */
#include "didq/date.h"
#include "recstore_sites.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>

static const char create_sql[] =
    "CREATE TABLE disk.site_counts(site TEXT, records INTEGER, err_records INTEGER,"
    " warn_records INTEGER, s01 INTEGER, s02 INTEGER, s03 INTEGER, s04 INTEGER,"
    " s05 INTEGER, s06 INTEGER, s07 INTEGER, s_other INTEGER, gp_ref INTEGER,"
    " gp_ref_03 INTEGER, bad_code INTEGER, invalid_site INTEGER);"
    "CREATE TABLE disk.period(first_test INTEGER, last_test INTEGER);";

static int fail(sqlite3 *db, sqlite3_stmt *q, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return -1;
}

/* One row of site_counts; the site NULL when absent, '' when only spaces;
 * invalid_site 1 (site NULL) for the records whose site code breaks a site
 * rule, 0 otherwise. */
static int bind_site(sqlite3_stmt *q, const didq_site_counts *c)
{
    int rc = c->null || c->invalid ? sqlite3_bind_null(q, 1)
                                   : sqlite3_bind_text(q, 1, c->site, (int)c->len, SQLITE_STATIC);
    sqlite3_int64 v[15] = {(sqlite3_int64)c->records, (sqlite3_int64)c->err, (sqlite3_int64)c->warn,
                           0};
    for (int k = 0; k < 8; k++)
        v[3 + k] = (sqlite3_int64)c->setting[k];
    v[11] = (sqlite3_int64)c->gp_ref;
    v[12] = (sqlite3_int64)c->gp_ref_03;
    v[13] = (sqlite3_int64)c->bad_code;
    v[14] = c->invalid;
    for (int k = 0; k < 15 && rc == SQLITE_OK; k++)
        rc = sqlite3_bind_int64(q, k + 2, v[k]);
    return rc;
}

static int save_sites(sqlite3 *db, const didq_recstore *rs, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO disk.site_counts VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &q, NULL) != SQLITE_OK)
        return fail(db, q, err, errlen);
    size_t n;
    didq_site_counts *sc = didq_site_counts_scan(rs, &n);
    int rc = SQLITE_OK;
    for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
        rc = bind_site(q, &sc[i]);
        if (rc == SQLITE_OK) rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(q);
    }
    free(sc);
    if (rc != SQLITE_OK) return fail(db, q, err, errlen);
    sqlite3_finalize(q);
    return 0;
}

static int save_period(sqlite3 *db, const didq_recstore *rs, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO disk.period VALUES(?, ?)", -1, &q, NULL) != SQLITE_OK)
        return fail(db, q, err, errlen);
    int32_t d[2];
    didq_test_date_range(rs, &d[0], &d[1]);
    for (int k = 0; k < 2; k++) /* NULL when no record has a valid test date, as min(d13) */
        if (d[k] != DIDQ_NODATE) sqlite3_bind_int(q, k + 1, d[k]);
    if (sqlite3_step(q) != SQLITE_DONE) return fail(db, q, err, errlen);
    sqlite3_finalize(q);
    return 0;
}

int didq_store_save_panes(sqlite3 *db, const didq_recstore *rs, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, create_sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s", msg ? msg : "SQL error");
        sqlite3_free(msg);
        return -1;
    }
    if (save_sites(db, rs, err, errlen) != 0) return -1;
    return save_period(db, rs, err, errlen);
}
