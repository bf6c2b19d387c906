/* query_months.c: the Months pane's table (didq_query_site_months): per
 * site and reporting month, records per weekday, error share, mandatory
 * items' completeness, 07 and 04 shares, the medians of request-to-test
 * and test-to-report days, and anomalies; each figure marked where it
 * changed significantly from the site's previous month (query.h).  One
 * pass over the records: the record store in memory, else the saved
 * session's records table. */
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/month.h"
#include "didq/query.h"
#include "didq/record.h"
#include "didq/store.h"
#include "didq/util.h"
#include "query_sites.h"
#include "recstore.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SM_DAYS = 367, SM_MAXM = DIDQ_MAND_SLOTS }; /* days 0..365, then "more" */

typedef struct sm_group {
    char *site; /* cleansed, malloc'd; "" for the blank and invalid groups */
    int kind;   /* 0 a site code, 1 blank or absent, 2 invalid site code */
    int32_t month;
    uint64_t records, err, s04, s07;
    uint64_t blank[SM_MAXM]; /* per mandatory slot */
    uint64_t nrt, ntr;
    uint32_t rt[SM_DAYS], tr[SM_DAYS];
} sm_group;

typedef struct sm_map {
    sm_group *v; /* by value: a pointer into it lasts until the next group_of */
    size_t n, cap;
    uint32_t *slot;
    size_t nslot;
} sm_map;

static uint64_t hash_key(const char *s, size_t n, int kind, int32_t month)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)(kind * 31 + month);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h * 0x9e3779b97f4a7c15ULL;
}

static bool same(const sm_group *g, const char *s, size_t n, int kind, int32_t month)
{
    return g->kind == kind && g->month == month && strlen(g->site) == n &&
           memcmp(g->site, s, n) == 0;
}

static void grow(sm_map *m)
{
    free(m->slot);
    m->nslot = m->nslot ? m->nslot * 2 : 256;
    m->slot = didq_xcalloc(m->nslot, sizeof *m->slot);
    for (size_t k = 0; k < m->n; k++) {
        const sm_group *g = &m->v[k];
        size_t i = hash_key(g->site, strlen(g->site), g->kind, g->month) & (m->nslot - 1);
        while (m->slot[i])
            i = (i + 1) & (m->nslot - 1);
        m->slot[i] = (uint32_t)k + 1;
    }
}

static sm_group *group_of(sm_map *m, const char *s, size_t n, int kind, int32_t month)
{
    if (kind) n = 0;
    if ((m->n + 1) * 2 > m->nslot) grow(m);
    size_t i = hash_key(s, n, kind, month) & (m->nslot - 1);
    for (; m->v && m->slot[i]; i = (i + 1) & (m->nslot - 1)) /* slots imply v */
        if (same(&m->v[m->slot[i] - 1], s, n, kind, month)) return &m->v[m->slot[i] - 1];
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->v = didq_xrealloc(m->v, m->cap * sizeof *m->v);
    }
    sm_group *g = &m->v[m->n];
    memset(g, 0, sizeof *g);
    g->site = didq_xmalloc(n + 1);
    memcpy(g->site, s, n);
    g->site[n] = 0;
    g->kind = kind;
    g->month = month;
    m->slot[i] = (uint32_t)++m->n;
    return g;
}

/* One record's figures. */
typedef struct sm_rec {
    const char *site;
    size_t len;
    int kind;
    int32_t month;
    bool err;
    int setting;    /* 1..7, or 0 for another value */
    uint32_t blank; /* bit per mandatory slot */
    int32_t req, rec, test, rep;
} sm_rec;

static void add_interval(uint32_t *h, uint64_t *n, int32_t a, int32_t b)
{
    if (a == DIDQ_NODATE || b == DIDQ_NODATE || b < a) return;
    int32_t d = b - a;
    h[d < SM_DAYS - 1 ? d : SM_DAYS - 1]++;
    (*n)++;
}

static void add(sm_map *m, const sm_rec *r)
{
    sm_group *g = group_of(m, r->site, r->len, r->kind, r->month);
    g->records++;
    g->err += r->err;
    g->s04 += r->setting == 4;
    g->s07 += r->setting == 7;
    for (int k = 0; k < SM_MAXM; k++)
        g->blank[k] += (r->blank >> k) & 1u;
    add_interval(g->rt, &g->nrt, r->req != DIDQ_NODATE ? r->req : r->rec, r->test);
    add_interval(g->tr, &g->ntr, r->test, r->rep);
}

static int setting_of(const char *s, size_t n)
{
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    return n == 2 && s[0] == '0' && s[1] >= '1' && s[1] <= '7' ? s[1] - '0' : 0;
}

static int date_slot(const didq_recstore *rs, int item)
{
    for (int k = 0; k < didq_recstore_ndates(rs); k++)
        if (didq_recstore_date_item(rs, k) == item) return k;
    return -1;
}

static int32_t meta_date(const didq_recmeta *m, int k)
{
    return k < 0 ? DIDQ_NODATE : m->date[k];
}

static void scan_memory(sm_map *m, const didq_recstore *rs, const didq_file_month *fm, int nfm,
                        const didq_mand_slots *sl)
{
    int kreq = date_slot(rs, DIDQ_REQUEST_DATE), krec = date_slot(rs, DIDQ_REQUEST_DATE + 1);
    int ktest = date_slot(rs, DIDQ_TEST_DATE), krep = date_slot(rs, DIDQ_REPORT_DATE);
    for (uint32_t id = 1; id <= didq_recstore_count(rs); id++) {
        const didq_recmeta *mt = didq_recstore_meta(rs, id);
        const char *v[DIDQ_SITE + 1];
        uint32_t len[DIDQ_SITE + 1];
        didq_recstore_fields(rs, id, DIDQ_SITE + 1, v, len);
        sm_rec r = {.month =
                        mt->file >= 1 && mt->file <= nfm ? fm[mt->file - 1].month : DIDQ_NOMONTH};
        uint32_t n;
        r.site = didq_recstore_clean(rs, id, DIDQ_SITE, &n);
        r.len = n;
        r.kind = (mt->flags & DIDQ_REC_BAD_SITE) ? 2 : n == 0 ? 1 : 0;
        r.err = mt->nerr > 0;
        r.setting = v[DIDQ_SETTING] ? setting_of(v[DIDQ_SETTING], len[DIDQ_SETTING]) : 0;
        for (int k = 0; k < sl->n; k++) {
            bool b = didq_recstore_blank(rs, id, sl->item[k]);
            if (sl->item2[k] >= 0) b = b && didq_recstore_blank(rs, id, sl->item2[k]);
            r.blank |= (uint32_t)b << k;
        }
        r.req = meta_date(mt, kreq);
        r.rec = meta_date(mt, krec);
        r.test = meta_date(mt, ktest);
        r.rep = meta_date(mt, krep);
        add(m, &r);
    }
}

static int32_t col_date(sqlite3_stmt *q, int c)
{
    return sqlite3_column_type(q, c) == SQLITE_INTEGER ? sqlite3_column_int(q, c) : DIDQ_NODATE;
}

/* A saved session: the same figures from its records table. */
static void scan_saved(sm_map *m, sqlite3 *db, const didq_file_month *fm, int nfm,
                       const didq_mand_slots *sl)
{
    didq_buf b = {0};
    didq_buf_printf(&b, "SELECT file, coalesce(site, ''), flags, nerr, setting, d%d, d%d, d%d, d%d",
                    DIDQ_COL_NUM(DIDQ_REQUEST_DATE), DIDQ_COL_NUM(DIDQ_REQUEST_DATE + 1),
                    DIDQ_COL_NUM(DIDQ_TEST_DATE), DIDQ_COL_NUM(DIDQ_REPORT_DATE));
    for (int k = 0; k < sl->n; k++) {
        didq_buf_printf(&b, ", trim(coalesce(f%d, '')) = ''", DIDQ_COL_NUM(sl->item[k]));
        if (sl->item2[k] >= 0)
            didq_buf_printf(&b, " AND trim(coalesce(f%d, '')) = ''", DIDQ_COL_NUM(sl->item2[k]));
    }
    didq_buf_puts(&b, " FROM records");
    sqlite3_stmt *q = didq_prepare(db, b.p);
    free(b.p);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int file = sqlite3_column_int(q, 0);
        const char *site = (const char *)sqlite3_column_text(q, 1);
        sm_rec r = {.month = file >= 1 && file <= nfm ? fm[file - 1].month : DIDQ_NOMONTH};
        r.site = site ? site : "";
        r.len = strlen(r.site);
        r.kind = (sqlite3_column_int(q, 2) & DIDQ_REC_BAD_SITE) ? 2 : r.len == 0 ? 1 : 0;
        r.err = sqlite3_column_int(q, 3) > 0;
        const char *set = (const char *)sqlite3_column_text(q, 4);
        r.setting = set ? setting_of(set, strlen(set)) : 0;
        r.req = col_date(q, 5);
        r.rec = col_date(q, 6);
        r.test = col_date(q, 7);
        r.rep = col_date(q, 8);
        for (int k = 0; k < sl->n; k++)
            r.blank |= (uint32_t)(sqlite3_column_int(q, 9 + k) != 0) << k;
        add(m, &r);
    }
    sqlite3_finalize(q);
}

/* ---- the groups kept in a saved session (check --db) ----
 *
 * A saved session keeps the groups of its records (month_sites), so the
 * pane opens without reading every record on disk.  A table that does not
 * add up to the session's records is not used: the records are read. */

static const char save_sql[] =
    "CREATE TABLE disk.month_sites(site TEXT, kind INTEGER, month INTEGER, records INTEGER,"
    " err INTEGER, s04 INTEGER, s07 INTEGER, blank BLOB, nrt INTEGER, ntr INTEGER, rt BLOB,"
    " tr BLOB)";

/* n 32-bit counts, little-endian (a group's counts fit: ids are 32-bit). */
static void bind_words(sqlite3_stmt *q, int col, const uint32_t *v, size_t n)
{
    unsigned char *b = didq_xmalloc(4 * n + 1);
    for (size_t k = 0; k < n; k++) {
        uint32_t w = v[k];
        for (int j = 0; j < 4; j++)
            b[4 * k + (size_t)j] = (unsigned char)(w >> (8 * j));
    }
    sqlite3_bind_blob(q, col, b, (int)(4 * n), free);
}

static int save_groups(sqlite3 *db, const sm_map *m)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_exec(db, save_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO disk.month_sites VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                                -1, &q, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < m->n; i++) {
        const sm_group *g = &m->v[i];
        sqlite3_bind_text(q, 1, g->site, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 2, g->kind);
        sqlite3_bind_int(q, 3, g->month);
        uint64_t v[] = {g->records, g->err, g->s04, g->s07};
        for (int k = 0; k < 4; k++)
            sqlite3_bind_int64(q, 4 + k, (sqlite3_int64)v[k]);
        uint32_t blank[SM_MAXM];
        for (int k = 0; k < SM_MAXM; k++)
            blank[k] = (uint32_t)g->blank[k];
        bind_words(q, 8, blank, SM_MAXM);
        sqlite3_bind_int64(q, 9, (sqlite3_int64)g->nrt);
        sqlite3_bind_int64(q, 10, (sqlite3_int64)g->ntr);
        bind_words(q, 11, g->rt, SM_DAYS);
        bind_words(q, 12, g->tr, SM_DAYS);
        rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return rc;
}

/* A blob of n 32-bit counts into v64 or v32, each at most max; their sum. */
static bool read_words(sqlite3_stmt *q, int col, uint64_t *v64, uint32_t *v32, size_t n,
                       uint64_t max, uint64_t *sum)
{
    const unsigned char *b = sqlite3_column_blob(q, col);
    if (sqlite3_column_type(q, col) != SQLITE_BLOB || (size_t)sqlite3_column_bytes(q, col) != 4 * n)
        return false;
    *sum = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t w = (uint32_t)b[4 * k] | (uint32_t)b[4 * k + 1] << 8 |
                     (uint32_t)b[4 * k + 2] << 16 | (uint32_t)b[4 * k + 3] << 24;
        if (w > max) return false;
        if (v64) v64[k] = w;
        if (v32) v32[k] = w;
        *sum += w;
    }
    return true;
}

static bool small(sqlite3_stmt *q, int col, uint64_t max, uint64_t *out)
{
    sqlite3_int64 v = sqlite3_column_int64(q, col);
    *out = (uint64_t)v;
    return sqlite3_column_type(q, col) == SQLITE_INTEGER && v >= 0 && (uint64_t)v <= max;
}

static bool load_group(sm_map *m, sqlite3_stmt *q, uint64_t total, uint64_t *seen)
{
    const char *site = (const char *)sqlite3_column_text(q, 0);
    int kind = sqlite3_column_int(q, 1);
    sqlite3_int64 month = sqlite3_column_int64(q, 2);
    uint64_t n, sum;
    if (!site || sqlite3_column_bytes(q, 0) > 256 ||
        strlen(site) != (size_t)sqlite3_column_bytes(q, 0) ||
        sqlite3_column_type(q, 1) != SQLITE_INTEGER || kind < 0 || kind > 2 ||
        (kind != 0) != (*site == 0) || sqlite3_column_type(q, 2) != SQLITE_INTEGER ||
        (month != DIDQ_NOMONTH && (month < 0 || month > 120000)) || !small(q, 3, total, &n))
        return false;
    sm_group *g = group_of(m, site, strlen(site), kind, (int32_t)month);
    if (g->records) return false; /* a group twice */
    g->records = n;
    *seen += n;
    return small(q, 4, n, &g->err) && small(q, 5, n, &g->s04) && small(q, 6, n, &g->s07) &&
           read_words(q, 7, g->blank, NULL, SM_MAXM, n, &sum) && small(q, 8, n, &g->nrt) &&
           small(q, 9, n, &g->ntr) && read_words(q, 10, NULL, g->rt, SM_DAYS, n, &sum) &&
           sum == g->nrt && read_words(q, 11, NULL, g->tr, SM_DAYS, n, &sum) && sum == g->ntr;
}

static void free_groups(sm_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].site);
    free(m->v);
    free(m->slot);
    *m = (sm_map){0};
}

/* A saved session's groups from month_sites (true), or none (false). */
static bool load_saved(sm_map *m, didq_session *s)
{
    sqlite3 *db = didq_session_db(s);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT site, kind, month, records, err, s04, s07, blank, nrt, ntr, rt,"
                           " tr FROM month_sites WHERE EXISTS (SELECT 1 FROM main.sqlite_schema"
                           " WHERE name = 'month_sites' AND type = 'table'"
                           " AND sql NOT LIKE 'CREATE VIRTUAL%')",
                           -1, &q, NULL) != SQLITE_OK)
        return false;
    uint64_t total = didq_session_records(s), seen = 0;
    bool ok = true;
    int rc;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW)
        ok = load_group(m, q, total, &seen);
    ok = ok && rc == SQLITE_DONE && seen == total && (m->n || !total);
    sqlite3_finalize(q);
    if (!ok) free_groups(m);
    return ok;
}

int didq_query_months_save(didq_session *s, sqlite3 *db, char *err, size_t errlen)
{
    didq_file_month *fm;
    int nfm = didq_file_months(didq_session_db(s), &fm);
    didq_mand_slots sl;
    didq_mand_slots_of(didq_session_dataset(s), &sl);
    sm_map m = {0};
    const didq_recstore *rs = didq_session_recstore(s);
    if (rs) scan_memory(&m, rs, fm, nfm, &sl);
    free(fm);
    int rc = save_groups(db, &m);
    free_groups(&m);
    if (rc != SQLITE_OK) snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    return rc == SQLITE_OK ? 0 : -1;
}

static int cmp_groups(const void *a, const void *b)
{
    const sm_group *x = a, *y = b;
    if (x->kind != y->kind) return x->kind == 2 ? 1 : y->kind == 2 ? -1 : x->kind - y->kind;
    int c = strcmp(x->site, y->site);
    if (x->kind == 0 && c) return c;
    return (x->month > y->month) - (x->month < y->month);
}

/* Monday to Friday in a month. */
static int weekdays(int32_t month)
{
    if (month == DIDQ_NOMONTH) return 0;
    int32_t d0 = didq_date_from_ymd(month / 12, month % 12 + 1, 1);
    int32_t d1 = didq_date_add_months(d0, 1);
    int n = 0;
    for (int32_t d = d0; d < d1; d++)
        n += didq_date_weekday(d) < 5;
    return n;
}

static int median(const uint32_t *h, uint64_t n)
{
    if (!n) return -1;
    uint64_t want = (n + 1) / 2, seen = 0; /* nearest rank */
    for (int d = 0; d < SM_DAYS; d++)
        if ((seen += h[d]) >= want) return d;
    return SM_DAYS - 1;
}

/* The figures of a row: the column's value, or NAN when it has none. */
typedef struct sm_fig {
    double v[DIDQ_SM_NCOLS];
} sm_fig;

static double share(uint64_t n, uint64_t of)
{
    return of ? 100.0 * (double)n / (double)of : NAN;
}

static void figures(const sm_group *g, const didq_mand_slots *sl, int anomalies, sm_fig *f)
{
    int wd = weekdays(g->month);
    f->v[DIDQ_SM_VOLUME] = wd ? (double)g->records / wd : NAN;
    f->v[DIDQ_SM_ERRORS] = share(g->err, g->records);
    f->v[DIDQ_SM_MANDATORY] = didq_mand_filled(sl, g->blank, g->records);
    f->v[DIDQ_SM_S07] = share(g->s07, g->records);
    f->v[DIDQ_SM_S04] = share(g->s04, g->records);
    int a = median(g->rt, g->nrt), b = median(g->tr, g->ntr);
    f->v[DIDQ_SM_REQ_TEST] = a < 0 ? NAN : a;
    f->v[DIDQ_SM_TEST_REPORT] = b < 0 ? NAN : b;
    f->v[DIDQ_SM_ANOMALIES] = anomalies < 0 ? NAN : anomalies;
}

bool didq_sm_changed(int col, double before, double now)
{
    if (isnan(before) || isnan(now)) return false;
    switch (col) {
    case DIDQ_SM_VOLUME:
        return before > 0 ? fabs(now - before) >= 0.3 * before : now > 0;
    case DIDQ_SM_REQ_TEST:
    case DIDQ_SM_TEST_REPORT:
        return fabs(now - before) >= 0.5 * (before > 1 ? before : 1);
    case DIDQ_SM_ANOMALIES:
        return now > before;
    default: /* shares, in points */
        return fabs(now - before) >= 10.0;
    }
}

static const char *sm_head[] = {"Site", "Month", "Rec/wkday", "Errors %", "Mand %",
                                "07 %", "04 %",  "Req-test",  "Test-rep", "Anomalies"};

static void set_fig(didq_qtable *t, size_t r, int col, double v, bool changed)
{
    const char *mark = changed ? DIDQ_SM_MARK : "";
    if (isnan(v))
        didq_qtable_set(t, r, col + 2, "-");
    else if (col == DIDQ_SM_REQ_TEST || col == DIDQ_SM_TEST_REPORT)
        didq_qtable_set(t, r, col + 2, "%s%.0f%s", v >= SM_DAYS - 1 ? ">" : "",
                        v >= SM_DAYS - 1 ? (double)(SM_DAYS - 2) : v, mark);
    else if (col == DIDQ_SM_ANOMALIES)
        didq_qtable_set(t, r, col + 2, "%.0f%s", v, mark);
    else
        didq_qtable_set(t, r, col + 2, "%.1f%s", v, mark);
}

int didq_site_anomalies(const didq_analysis *a, const char *site, int32_t month)
{
    int n = 0;
    for (size_t i = 0; i < didq_analysis_count(a); i++) {
        const didq_anomaly *an = didq_analysis_get(a, i);
        n += an->site && strcmp(an->site, site) == 0 && didq_anomaly_in_month(an, month);
    }
    return n;
}

/* The anomalies of a group's site in its month (anomaly.h, "Months"):
 * the month's own and those that compare it with another month
 * (didq_anomaly_in_month); with one month loaded, every one of the site. */
static int site_anomalies(const didq_analysis *a, const sm_group *g, int nmonths)
{
    if (!a) return -1;
    if (g->kind != 0) return 0; /* a blank or invalid site code has no anomaly of its own */
    int32_t m = nmonths < 2                ? DIDQ_ALLMONTHS
                : g->month == DIDQ_NOMONTH ? DIDQ_UNDATED_MONTH
                                           : g->month;
    return didq_site_anomalies(a, g->site, m);
}

/* The condition of a group's records: its site's, in its month's files. */
static void drill(didq_session *s, didq_qtable *t, size_t r, const sm_group *g)
{
    char ym[8], label[64];
    didq_month_format(g->month, ym);
    const char *name = g->kind == 2 ? "(invalid site)" : g->kind == 1 ? "(blank)" : g->site;
    snprintf(label, sizeof label, "%s %s", name, ym);
    char *site = g->kind == 2   ? sqlite3_mprintf("(r.flags & %d) != 0", DIDQ_REC_BAD_SITE)
                 : g->kind == 1 ? sqlite3_mprintf("coalesce(r.site, '') = ''")
                                : sqlite3_mprintf("r.site = %Q AND (r.flags & %d) = 0", g->site,
                                                  DIDQ_REC_BAD_SITE);
    didq_scope *sc = didq_scope_month(s, g->month);
    char *w = didq_scope_and(sc, site);
    for (int c = 0; c < 2 + DIDQ_SM_NCOLS; c++) {
        didq_qtable_drill(t, r, c, label, "%s", w);
        didq_qtable_count(t, r, c, (int64_t)g->records);
    }
    sqlite3_free(w);
    sqlite3_free(site);
    didq_scope_free(sc);
}

didq_qtable *didq_query_site_months(didq_session *s, const didq_analysis *a)
{
    didq_file_month *fm;
    int nfm = didq_file_months(didq_session_db(s), &fm);
    int32_t *months;
    int nmonths = didq_query_months(s, &months);
    free(months);
    didq_mand_slots sl;
    didq_mand_slots_of(didq_session_dataset(s), &sl);
    sm_map m = {0};
    const didq_recstore *rs = didq_session_recstore(s);
    if (rs)
        scan_memory(&m, rs, fm, nfm, &sl);
    else if (!load_saved(&m, s))
        scan_saved(&m, didq_session_db(s), fm, nfm, &sl);
    free(fm);
    free(m.slot);
    if (m.n) qsort(m.v, m.n, sizeof *m.v, cmp_groups);
    didq_qtable *t = didq_qtable_new(2 + DIDQ_SM_NCOLS, sm_head, "llrrrrrrrr");
    sm_fig prev = {{0}};
    for (size_t i = 0; i < m.n; i++) {
        const sm_group *g = &m.v[i];
        bool same_site =
            i > 0 && m.v[i - 1].kind == g->kind && strcmp(m.v[i - 1].site, g->site) == 0;
        sm_fig f;
        figures(g, &sl, site_anomalies(a, g, nmonths), &f);
        size_t r = didq_qtable_row(t);
        char ym[8];
        didq_month_format(g->month, ym);
        didq_qtable_set(t, r, 0, "%s",
                        g->kind == 2   ? "(invalid site)"
                        : g->kind == 1 ? "(blank)"
                                       : g->site);
        didq_qtable_set(t, r, 1, "%s", ym);
        for (int c = 0; c < DIDQ_SM_NCOLS; c++) {
            bool ch = same_site && didq_sm_changed(c, prev.v[c], f.v[c]);
            set_fig(t, r, c, f.v[c], ch);
            t->mark[r] |= ch;
        }
        drill(s, t, r, g);
        prev = f;
    }
    for (size_t i = 0; i < m.n; i++)
        free(m.v[i].site);
    free(m.v);
    return t;
}
