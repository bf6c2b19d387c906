/* anomaly_load.c: the analysis of a saved session read back from the
 * tables anomaly_save.c wrote, instead of a scan of every record on disk.
 * The file is untrusted input: every row is checked (known kinds and
 * severities, counts that add up, histograms and day counts of the right
 * size, each condition a plain expression over `records`) and a damaged
 * table refuses the file with the table and row, never a wrong pane. */
#include "anomaly_int.h"
#include "didq/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct loader {
    didq_analysis *a;
    sqlite3 *db;
    char *err;
    size_t errlen;
    bool bad;
    int64_t maxrec; /* the saved records' largest id */
} loader;

static void fail(loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The first problem found is the one told. */
static void fail(loader *l, const char *fmt, ...)
{
    if (!l->bad) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(l->err, l->errlen, fmt, ap);
        va_end(ap);
    }
    l->bad = true;
}

static sqlite3_stmt *prep(loader *l, const char *sql)
{
    sqlite3_stmt *q = NULL;
    if (!l->bad && sqlite3_prepare_v2(l->db, sql, -1, &q, NULL) != SQLITE_OK)
        fail(l, "%s", sqlite3_errmsg(l->db));
    return q;
}

/* The end of a read: an error of SQLite's (a damaged file) is the table's. */
static void done(loader *l, sqlite3_stmt *q, int rc, const char *table)
{
    if (rc != SQLITE_DONE && rc != SQLITE_ROW && !l->bad)
        fail(l, "%s: %s", table, sqlite3_errmsg(l->db));
    sqlite3_finalize(q);
}

/* A whole number from 0 to max in column c. */
static bool count_col(sqlite3_stmt *q, int c, int64_t max, uint64_t *out)
{
    if (sqlite3_column_type(q, c) != SQLITE_INTEGER) return false;
    int64_t v = sqlite3_column_int64(q, c);
    if (v < 0 || v > max) return false;
    *out = (uint64_t)v;
    return true;
}

static bool int_col(sqlite3_stmt *q, int c, int64_t lo, int64_t hi, int32_t *out)
{
    if (sqlite3_column_type(q, c) != SQLITE_INTEGER) return false;
    int64_t v = sqlite3_column_int64(q, c);
    if (v < lo || v > hi) return false;
    *out = (int32_t)v;
    return true;
}

/* The site texts, owned by the analysis (as a scan's site codes are). */
static const char *intern(didq_analysis *a, const char *s)
{
    for (size_t i = 0; i < a->nsites; i++)
        if (strcmp(a->sites[i].code, s) == 0) return a->sites[i].code;
    if (a->nsites == a->capsites) {
        a->capsites = a->capsites ? 2 * a->capsites : 16;
        a->sites = didq_xrealloc(a->sites, a->capsites * sizeof *a->sites);
    }
    an_site *site = &a->sites[a->nsites++];
    memset(site, 0, sizeof *site);
    site->code = didq_strdup(s);
    return site->code;
}

/* A site column: text without control characters beyond what a code
 * can hold (the screen escapes them anyway), or NULL where allowed. */
static bool site_col(loader *l, sqlite3_stmt *q, int c, bool null_ok, const char **out)
{
    int type = sqlite3_column_type(q, c);
    if (type == SQLITE_NULL && null_ok) return *out = NULL, true;
    if (type != SQLITE_TEXT || sqlite3_column_bytes(q, c) > 256) return false;
    const char *s = (const char *)sqlite3_column_text(q, c);
    if (!s || strlen(s) != (size_t)sqlite3_column_bytes(q, c)) return false;
    *out = intern(l->a, s);
    return true;
}

/* A blob of little-endian 32-bit counts into v (n words; a shorter blob
 * leaves zeros when trim, else must be exactly n); the sum in *sum. */
static bool counts_col(sqlite3_stmt *q, int c, uint32_t *v, size_t n, bool trim, uint64_t *sum)
{
    int type = sqlite3_column_type(q, c);
    if (type != SQLITE_BLOB && !(type == SQLITE_NULL && trim)) return false;
    const unsigned char *b = sqlite3_column_blob(q, c);
    size_t len = (size_t)sqlite3_column_bytes(q, c);
    if (len % 4 || len / 4 > n || (!trim && len / 4 != n)) return false;
    *sum = 0;
    for (size_t k = 0; k < len / 4; k++) {
        v[k] = (uint32_t)b[4 * k] | (uint32_t)b[4 * k + 1] << 8 | (uint32_t)b[4 * k + 2] << 16 |
               (uint32_t)b[4 * k + 3] << 24;
        *sum += v[k];
    }
    return true;
}

/* ---- an_parts: the months' records and periods ---- */

static void load_parts(loader *l)
{
    didq_analysis *a = l->a;
    sqlite3_stmt *q = prep(l, "SELECT part, month, records, day0, ndays FROM an_parts"
                              " ORDER BY part");
    int rc = SQLITE_DONE, want = -1;
    while (!l->bad && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int32_t part, month = 0, day0, ndays;
        uint64_t records;
        if (!int_col(q, 0, -1, a->nmon - 1, &part) || part != want ||
            (part >= 0 &&
             (!int_col(q, 1, INT32_MIN, INT32_MAX, &month) || month != a->mon[part].month)) ||
            !count_col(q, 2, l->maxrec, &records) || !int_col(q, 3, -1000000, 4000000, &day0) ||
            !int_col(q, 4, 0, 1100, &ndays)) {
            fail(l, "an_parts: row %d does not match the files' months", want + 2);
            break;
        }
        want++;
        if (part < 0) {
            a->period = (didq_period){day0, ndays};
            continue;
        }
        an_month *m = &a->mon[part];
        if (day0 != m->period.day0 || ndays != m->period.ndays) {
            fail(l, "an_parts: the period of month row %d is not its month's", part + 2);
            break;
        }
        m->records = records;
    }
    if (!l->bad && want != a->nmon)
        fail(l, "an_parts: %d months, not the files' %d", want < 0 ? 0 : want, a->nmon);
    done(l, q, rc, "an_parts");
}

/* ---- an_anomalies ---- */

static const char *const functions[] = {"trim",   "upper",    "lower",        "length",
                                        "substr", "coalesce", "glob",         "like",
                                        "ifnull", "instr",    "didq_modality"};

static int authorize(void *ctx, int op, const char *x, const char *y, const char *db,
                     const char *trigger)
{
    (void)db, (void)trigger;
    int *selects = ctx;
    if (op == SQLITE_SELECT) return ++*selects == 1 ? SQLITE_OK : SQLITE_DENY;
    if (op == SQLITE_READ) return x && strcmp(x, "records") == 0 ? SQLITE_OK : SQLITE_DENY;
    if (op == SQLITE_FUNCTION)
        for (size_t i = 0; y && i < sizeof functions / sizeof *functions; i++)
            if (strcmp(y, functions[i]) == 0) return SQLITE_OK;
    return SQLITE_DENY;
}

/* Parentheses that close what they open, outside quotes, and no comment
 * or statement end: the condition cannot reach beyond "(cond)". */
static bool balanced(const char *s)
{
    int depth = 0;
    for (char quote = 0; *s; s++) {
        if (quote) {
            quote = *s == quote ? 0 : quote;
            continue;
        }
        if (*s == '\'' || *s == '"')
            quote = *s;
        else if (*s == '(')
            depth++;
        else if ((*s == ')' && --depth < 0) || *s == ';' || (s[0] == '-' && s[1] == '-') ||
                 (s[0] == '/' && s[1] == '*'))
            return false;
    }
    return depth == 0;
}

/* An anomaly's condition: its own record list, or one expression over the
 * columns of `records` (no subquery, no other table, only the functions
 * didq's conditions use), checked by compiling it under an authorizer. */
static bool cond_ok(loader *l, const char *cond, int id, bool *list)
{
    char own[96];
    snprintf(own, sizeof own, "id IN (SELECT rec FROM anomaly_records WHERE anomaly = %d)", id);
    if ((*list = strcmp(cond, own) == 0)) return true;
    if (!balanced(cond) || strlen(cond) > 4096) return false;
    char *sql = sqlite3_mprintf("SELECT 1 FROM records WHERE (%s)", cond);
    int selects = 0;
    sqlite3_stmt *q = NULL;
    sqlite3_set_authorizer(l->db, authorize, &selects);
    int rc = sqlite3_prepare_v2(l->db, sql, -1, &q, NULL);
    sqlite3_set_authorizer(l->db, NULL, NULL);
    sqlite3_finalize(q);
    sqlite3_free(sql);
    return rc == SQLITE_OK;
}

static bool month_ok(const didq_analysis *a, int32_t m)
{
    if (m == DIDQ_NOMONTH) return true;
    for (int k = 0; k < a->nmon; k++)
        if (a->mon[k].month == m) return true;
    return false;
}

static bool text_col(sqlite3_stmt *q, int c, size_t max, char **out)
{
    const char *s = (const char *)sqlite3_column_text(q, c);
    if (sqlite3_column_type(q, c) != SQLITE_TEXT || !s || strlen(s) > max) return false;
    *out = didq_strdup(s);
    return true;
}

/* One row into an (its strings owned by the analysis); false if bad. */
static bool anomaly_row(loader *l, sqlite3_stmt *q, didq_anomaly *an, bool *list)
{
    const char *kind = (const char *)sqlite3_column_text(q, 1),
               *sev = (const char *)sqlite3_column_text(q, 2);
    int32_t id;
    an->kind = kind ? didq_anomaly_kind_find(kind) : -1;
    an->severity = sev ? didq_severity_find(sev) : 0;
    if (!int_col(q, 0, 1, INT32_MAX, &id) || id != an->id || (int)an->kind < 0 || !an->severity ||
        !site_col(l, q, 3, false, &an->site) || sqlite3_column_type(q, 4) != SQLITE_FLOAT ||
        sqlite3_column_type(q, 5) != SQLITE_FLOAT || !count_col(q, 6, l->maxrec, &an->records) ||
        !int_col(q, 7, -1, DIDQ_MAX_ITEMS - 1, &an->item) ||
        !int_col(q, 8, INT32_MIN, INT32_MAX, &an->day0) ||
        !int_col(q, 9, INT32_MIN, INT32_MAX, &an->day1) ||
        !int_col(q, 10, INT32_MIN, INT32_MAX, &an->month) || !month_ok(l->a, an->month) ||
        !text_col(q, 11, 4096, &an->message) || !text_col(q, 12, 65536, &an->where))
        return false;
    an->value = sqlite3_column_double(q, 4);
    an->threshold = sqlite3_column_double(q, 5);
    return cond_ok(l, an->where, an->id, list);
}

/* The record lists: each names an anomaly whose condition is its list,
 * records that exist, and as many as the anomaly counts. */
static void load_lists(loader *l, const bool *list)
{
    didq_analysis *a = l->a;
    uint64_t *n = didq_xcalloc(a->nan + 1, sizeof *n);
    sqlite3_stmt *q = prep(l, "SELECT anomaly, count(*), min(rec), max(rec) FROM anomaly_records"
                              " GROUP BY anomaly");
    int rc = SQLITE_DONE;
    while (!l->bad && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int32_t id, lo, hi;
        uint64_t count;
        if (!int_col(q, 0, 1, (int64_t)a->nan, &id) || !list[id - 1] ||
            !count_col(q, 1, l->maxrec, &count) || !int_col(q, 2, 1, l->maxrec, &lo) ||
            !int_col(q, 3, 1, l->maxrec, &hi))
            fail(l, "anomaly_records: a list of no anomaly, or of records not saved");
        else
            n[id - 1] = count;
    }
    for (size_t i = 0; !l->bad && i < a->nan; i++)
        if (list[i] && n[i] != a->an[i].records)
            fail(l, "anomaly_records: anomaly %zu lists %llu records, not %llu", i + 1,
                 (unsigned long long)n[i], (unsigned long long)a->an[i].records);
    done(l, q, rc, "anomaly_records");
    free(n);
}

static void load_anomalies(loader *l)
{
    didq_analysis *a = l->a;
    sqlite3_stmt *q = prep(l, "SELECT id, kind, severity, site, value, threshold, records, item,"
                              " day0, day1, month, message, cond FROM an_anomalies ORDER BY id");
    bool *list = didq_xcalloc(1, sizeof *list);
    int rc = SQLITE_DONE;
    while (!l->bad && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (a->nan == a->capan) {
            a->capan = a->capan ? 2 * a->capan : 16;
            a->an = didq_xrealloc(a->an, a->capan * sizeof *a->an);
            a->an_recs = didq_xrealloc(a->an_recs, a->capan * sizeof *a->an_recs);
            list = didq_xrealloc(list, a->capan * sizeof *list);
        }
        memset(&a->an_recs[a->nan], 0, sizeof *a->an_recs);
        didq_anomaly *an = &a->an[a->nan];
        *an = (didq_anomaly){.id = (int)a->nan + 1};
        a->nan++;
        if (!anomaly_row(l, q, an, &list[a->nan - 1]))
            fail(l, "an_anomalies: row %zu is not an anomaly didq wrote", a->nan);
    }
    done(l, q, rc, "an_anomalies");
    if (!l->bad) load_lists(l, list);
    free(list);
}

/* ---- an_timeliness, an_coverage, an_volumes ---- */

static bool dist_cols(sqlite3_stmt *q, int c, int64_t max, didq_interval_dist *d, uint64_t rows)
{
    uint64_t sum;
    return count_col(q, c, max, &d->n) && count_col(q, c + 1, max, &d->missing) &&
           count_col(q, c + 2, max, &d->negative) &&
           counts_col(q, c + 3, d->hist, DIDQ_TL_DAYS, true, &sum) && sum == d->n &&
           d->n + d->missing + d->negative == rows;
}

/* The rows of a part: the whole session (-1) or month k. */
static didq_timeliness **tl_of(didq_analysis *a, int part, size_t **n)
{
    *n = part < 0 ? &a->ntl : &a->mon[part].ntl;
    return part < 0 ? &a->tl_rows : &a->mon[part].tl_rows;
}

static void load_timeliness(loader *l)
{
    didq_analysis *a = l->a;
    sqlite3_stmt *q = prep(l, "SELECT part, row, site, modality, records, rt_n, rt_missing,"
                              " rt_negative, rt_hist, tr_n, tr_missing, tr_negative, tr_hist"
                              " FROM an_timeliness ORDER BY part, row");
    int rc = SQLITE_DONE, lo = a->nmon > 1 ? -1 : 0;
    size_t cap = 0, row = 0;
    while (!l->bad && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int32_t part, r, mod;
        size_t *n;
        row++;
        if (!int_col(q, 0, lo, a->nmon - 1, &part)) break;
        didq_timeliness **rows = tl_of(a, part, &n);
        if (*n == 0) cap = 0;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            *rows = didq_xrealloc(*rows, cap * sizeof **rows);
        }
        didq_timeliness *t = &(*rows)[*n];
        memset(t, 0, sizeof *t);
        if (!int_col(q, 1, (int64_t)*n, (int64_t)*n, &r) || !site_col(l, q, 2, r == 0, &t->site) ||
            !int_col(q, 3, -1, DIDQ_MOD_N - 1, &mod) || !count_col(q, 4, l->maxrec, &t->records) ||
            !dist_cols(q, 5, l->maxrec, &t->request_to_test, t->records) ||
            !dist_cols(q, 9, l->maxrec, &t->test_to_report, t->records) ||
            (r == 0) != (t->site == NULL))
            break;
        t->modality = mod;
        (*n)++;
    }
    if (rc == SQLITE_ROW && !l->bad) fail(l, "an_timeliness: row %zu does not add up", row);
    done(l, q, rc, "an_timeliness");
    for (int k = 0; k < a->nmon; k++)
        if (a->mon[k].ntl) a->mon[k].overall = a->mon[k].tl_rows[0];
}

static void load_coverage(loader *l)
{
    didq_analysis *a = l->a;
    sqlite3_stmt *q = prep(l, "SELECT part, row, site, records, undated, outside, days"
                              " FROM an_coverage ORDER BY part, row");
    int rc = SQLITE_DONE, lo = a->nmon > 1 ? -1 : 0;
    size_t cap = 0, row = 0;
    while (!l->bad && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int32_t part, r;
        row++;
        if (!int_col(q, 0, lo, a->nmon - 1, &part)) break;
        size_t *n = part < 0 ? &a->ncov : &a->mon[part].nsites;
        didq_site_coverage **rows = part < 0 ? &a->cov : &a->mon[part].cov;
        int ndays = part < 0 ? a->period.ndays : a->mon[part].period.ndays;
        if (*n == 0) cap = 0;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            *rows = didq_xrealloc(*rows, cap * sizeof **rows);
        }
        didq_site_coverage *c = &(*rows)[*n];
        uint32_t *days = didq_xcalloc((size_t)ndays + 1, sizeof *days);
        *c = (didq_site_coverage){.count = days};
        (*n)++;
        uint64_t sum;
        if (!int_col(q, 1, (int64_t)*n - 1, (int64_t)*n - 1, &r) ||
            !site_col(l, q, 2, false, &c->site) || !count_col(q, 3, l->maxrec, &c->records) ||
            !count_col(q, 4, l->maxrec, &c->undated) || !count_col(q, 5, l->maxrec, &c->outside) ||
            !counts_col(q, 6, days, (size_t)ndays, false, &sum) ||
            sum + c->undated + c->outside != c->records)
            break;
    }
    if (rc == SQLITE_ROW && !l->bad) fail(l, "an_coverage: row %zu does not add up", row);
    done(l, q, rc, "an_coverage");
}

static void load_volumes(loader *l)
{
    didq_analysis *a = l->a;
    sqlite3_stmt *q = prep(l, "SELECT row, site, month, records, days FROM an_volumes"
                              " ORDER BY row");
    int rc = SQLITE_DONE;
    size_t cap = 0;
    while (!l->bad && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (a->nvol == cap) {
            cap = cap ? 2 * cap : 16;
            a->vol = didq_xrealloc(a->vol, cap * sizeof *a->vol);
        }
        didq_month_volume *v = &a->vol[a->nvol];
        int32_t r, month, days;
        memset(v, 0, sizeof *v);
        if (!int_col(q, 0, (int64_t)a->nvol, (int64_t)a->nvol, &r) ||
            !site_col(l, q, 1, true, &v->site) || !int_col(q, 2, 0, 120000, &month) ||
            !count_col(q, 3, l->maxrec, &v->records) || !int_col(q, 4, 0, 31, &days)) {
            fail(l, "an_volumes: row %zu is not a month's volume", a->nvol + 1);
            break;
        }
        v->month = month;
        v->days = days;
        a->nvol++;
    }
    done(l, q, rc, "an_volumes");
}

/* With one month, the whole session's rows are the month's (as a scan
 * leaves them, so that didq_analysis_free frees them once). */
static void share_whole(didq_analysis *a)
{
    if (a->nmon > 1) return;
    a->tl_rows = a->mon[0].tl_rows;
    a->ntl = a->mon[0].ntl;
    a->cov = a->mon[0].cov;
    a->ncov = a->mon[0].nsites;
}

/* The session's records as meta counts them (not a read of records). */
static int64_t max_record(sqlite3 *db)
{
    sqlite3_stmt *q = NULL;
    int64_t n = 0;
    if (sqlite3_prepare_v2(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'records'", -1,
                           &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n > 0 && n <= UINT32_MAX ? n : 0;
}

didq_analysis *didq_analysis_load(sqlite3 *db, const didq_analysis_opts *o, char *err,
                                  size_t errlen)
{
    didq_analysis *a = an_new(db, o);
    loader l = {a, db, err, errlen, false, max_record(db)};
    load_parts(&l);
    load_anomalies(&l);
    load_timeliness(&l);
    load_coverage(&l);
    load_volumes(&l);
    share_whole(a);
    if (l.bad) {
        didq_analysis_free(a);
        return NULL;
    }
    return a;
}
