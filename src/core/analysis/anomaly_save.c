/* anomaly_save.c: a finished analysis written into the file a session is
 * saved to (`check --db`), so that the session opened again shows its
 * anomalies, timeliness, coverage and volumes without reading a record
 * (anomaly_load.c reads them back; docs/design.md, "Saved analyses").
 * The tables hold the results as the accessors give them, row by row in
 * their order, so the reopened analysis is the same, not recomputed. */
#include "anomaly_int.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>

static const char create_sql[] =
    "CREATE TABLE %s.an_parts(part INTEGER, month INTEGER, records INTEGER, day0 INTEGER,"
    " ndays INTEGER);"
    "CREATE TABLE %s.an_anomalies(id INTEGER, kind TEXT, severity TEXT, site TEXT, value REAL,"
    " threshold REAL, records INTEGER, item INTEGER, day0 INTEGER, day1 INTEGER, month INTEGER,"
    " message TEXT, cond TEXT);"
    "CREATE TABLE %s.anomaly_records(anomaly INTEGER, rec INTEGER, PRIMARY KEY(anomaly, rec))"
    " WITHOUT ROWID;"
    "CREATE TABLE %s.an_timeliness(part INTEGER, row INTEGER, site TEXT, modality INTEGER,"
    " records INTEGER, rt_n INTEGER, rt_missing INTEGER, rt_negative INTEGER, rt_hist BLOB,"
    " tr_n INTEGER, tr_missing INTEGER, tr_negative INTEGER, tr_hist BLOB);"
    "CREATE TABLE %s.an_coverage(part INTEGER, row INTEGER, site TEXT, records INTEGER,"
    " undated INTEGER, outside INTEGER, days BLOB);"
    "CREATE TABLE %s.an_volumes(row INTEGER, site TEXT, month INTEGER, records INTEGER,"
    " days INTEGER);";

typedef struct saver {
    sqlite3 *db;
    const char *schema;
    char *err;
    size_t errlen;
    int rc;
} saver;

static sqlite3_stmt *prep(saver *w, const char *fmt)
{
    sqlite3_stmt *q = NULL;
    if (w->rc) return NULL;
    char *sql = sqlite3_mprintf(fmt, w->schema);
    if (sqlite3_prepare_v2(w->db, sql, -1, &q, NULL) != SQLITE_OK) {
        snprintf(w->err, w->errlen, "%s", sqlite3_errmsg(w->db));
        w->rc = -1;
    }
    sqlite3_free(sql);
    return q;
}

static void step(saver *w, sqlite3_stmt *q)
{
    if (w->rc || !q) return;
    if (sqlite3_step(q) != SQLITE_DONE) {
        snprintf(w->err, w->errlen, "%s", sqlite3_errmsg(w->db));
        w->rc = -1;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

/* n counts as little-endian 32-bit words (keep: how many, trailing zero
 * words dropped when trim). */
static void bind_counts(sqlite3_stmt *q, int i, const uint32_t *v, size_t n, bool trim)
{
    while (trim && n && !v[n - 1])
        n--;
    unsigned char *b = didq_xmalloc(4 * n + 1);
    for (size_t k = 0; k < n; k++)
        for (int j = 0; j < 4; j++)
            b[4 * k + (size_t)j] = (unsigned char)(v[k] >> (8 * j));
    sqlite3_bind_blob(q, i, b, (int)(4 * n), free);
}

static void save_parts(saver *w, const didq_analysis *a)
{
    sqlite3_stmt *q = prep(w, "INSERT INTO %s.an_parts VALUES(?,?,?,?,?)");
    for (int k = -1; k < a->nmon && !w->rc; k++) {
        const didq_period *p = k < 0 ? &a->period : &a->mon[k].period;
        sqlite3_bind_int(q, 1, k);
        if (k >= 0) sqlite3_bind_int(q, 2, a->mon[k].month);
        sqlite3_bind_int64(q, 3, (sqlite3_int64)(k >= 0 ? a->mon[k].records : 0));
        sqlite3_bind_int(q, 4, p->day0);
        sqlite3_bind_int(q, 5, p->ndays);
        step(w, q);
    }
    sqlite3_finalize(q);
}

static void save_anomalies(saver *w, const didq_analysis *a)
{
    sqlite3_stmt *q = prep(w, "INSERT INTO %s.an_anomalies VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (size_t i = 0; i < a->nan && !w->rc; i++) {
        const didq_anomaly *an = &a->an[i];
        sqlite3_bind_int(q, 1, an->id);
        bind_text(q, 2, didq_anomaly_kind_name(an->kind));
        bind_text(q, 3, didq_severity_name(an->severity));
        bind_text(q, 4, an->site);
        sqlite3_bind_double(q, 5, an->value);
        sqlite3_bind_double(q, 6, an->threshold);
        sqlite3_bind_int64(q, 7, (sqlite3_int64)an->records);
        sqlite3_bind_int(q, 8, an->item);
        sqlite3_bind_int(q, 9, an->day0);
        sqlite3_bind_int(q, 10, an->day1);
        sqlite3_bind_int(q, 11, an->month);
        bind_text(q, 12, an->message);
        bind_text(q, 13, an->where);
        step(w, q);
    }
    sqlite3_finalize(q);
    sqlite3_stmt *c = prep(w, "INSERT INTO %s.anomaly_records SELECT anomaly, rec"
                              " FROM temp.anomaly_records");
    step(w, c);
    sqlite3_finalize(c);
}

static void bind_dist(sqlite3_stmt *q, int i, const didq_interval_dist *d)
{
    sqlite3_bind_int64(q, i, (sqlite3_int64)d->n);
    sqlite3_bind_int64(q, i + 1, (sqlite3_int64)d->missing);
    sqlite3_bind_int64(q, i + 2, (sqlite3_int64)d->negative);
    bind_counts(q, i + 3, d->hist, DIDQ_TL_DAYS, true);
}

static void save_tl_rows(saver *w, sqlite3_stmt *q, int part, const didq_timeliness *t, size_t n)
{
    for (size_t r = 0; r < n && !w->rc; r++) {
        sqlite3_bind_int(q, 1, part);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)r);
        bind_text(q, 3, t[r].site);
        sqlite3_bind_int(q, 4, t[r].modality);
        sqlite3_bind_int64(q, 5, (sqlite3_int64)t[r].records);
        bind_dist(q, 6, &t[r].request_to_test);
        bind_dist(q, 10, &t[r].test_to_report);
        step(w, q);
    }
}

static void save_cov_rows(saver *w, sqlite3_stmt *q, int part, const didq_site_coverage *c,
                          size_t n, int ndays)
{
    for (size_t r = 0; r < n && !w->rc; r++) {
        sqlite3_bind_int(q, 1, part);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)r);
        bind_text(q, 3, c[r].site);
        sqlite3_bind_int64(q, 4, (sqlite3_int64)c[r].records);
        sqlite3_bind_int64(q, 5, (sqlite3_int64)c[r].undated);
        sqlite3_bind_int64(q, 6, (sqlite3_int64)c[r].outside);
        bind_counts(q, 7, c[r].count, (size_t)ndays, false);
        step(w, q);
    }
}

/* The months' rows (part k), and the whole session's (part -1) when there
 * are several months; with one, the whole session's rows are its. */
static void save_rows(saver *w, const didq_analysis *a)
{
    sqlite3_stmt *t = prep(w, "INSERT INTO %s.an_timeliness VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    sqlite3_stmt *c = prep(w, "INSERT INTO %s.an_coverage VALUES(?,?,?,?,?,?,?)");
    for (int k = a->nmon > 1 ? -1 : 0; k < a->nmon && !w->rc; k++) {
        if (k < 0) {
            save_tl_rows(w, t, k, a->tl_rows, a->ntl);
            save_cov_rows(w, c, k, a->cov, a->ncov, a->period.ndays);
        } else {
            const an_month *m = &a->mon[k];
            save_tl_rows(w, t, k, m->tl_rows, m->ntl);
            save_cov_rows(w, c, k, m->cov, m->nsites, m->period.ndays);
        }
    }
    sqlite3_finalize(t);
    sqlite3_finalize(c);
    sqlite3_stmt *v = prep(w, "INSERT INTO %s.an_volumes VALUES(?,?,?,?,?)");
    for (size_t r = 0; r < a->nvol && !w->rc; r++) {
        sqlite3_bind_int64(v, 1, (sqlite3_int64)r);
        bind_text(v, 2, a->vol[r].site);
        sqlite3_bind_int(v, 3, a->vol[r].month);
        sqlite3_bind_int64(v, 4, (sqlite3_int64)a->vol[r].records);
        sqlite3_bind_int(v, 5, a->vol[r].days);
        step(w, v);
    }
    sqlite3_finalize(v);
}

int didq_analysis_save(const didq_analysis *a, sqlite3 *db, const char *schema, char *err,
                       size_t errlen)
{
    saver w = {db, schema, err, errlen, 0};
    if (a->subset) { /* its lists are not anomaly_records (anomaly.h) */
        snprintf(err, errlen, "the analysis of part of the records is not saved");
        return -1;
    }
    char *sql = sqlite3_mprintf(create_sql, schema, schema, schema, schema, schema, schema);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "%s", msg ? msg : "SQL error");
        w.rc = -1;
    }
    sqlite3_free(msg);
    sqlite3_free(sql);
    save_parts(&w, a);
    save_anomalies(&w, a);
    save_rows(&w, a);
    return w.rc;
}
