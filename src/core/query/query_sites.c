/* query_sites.c: the Sites table (didq_query_sites_in, query.h): per site
 * of a scope its records, the records with errors and with warnings and
 * their shares, the mandatory items' completeness (as the Months pane
 * counts it: didq_mand_filled), the share of source setting 07, its
 * anomalies and its DQMI-style (local) score.  In memory the figures come
 * from the per-site pass (recstore_sites.c, kept by the scope); a saved
 * session sums the rows check --db kept per file (site_figs) or, without
 * them or in a site scope, counts them with one grouped query.  Also the site conditions
 * and labels the query files share (query_sites.h). */
#include "query_sites.h"
#include "didq/dqmi.h"
#include "didq/month.h"
#include "didq/query.h"
#include "didq/record.h"
#include "didq/store.h"
#include "didq/util.h"
#include "query_scope.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

char *didq_site_where(const char *site, bool invalid)
{
    if (invalid) return sqlite3_mprintf("(r.flags & %d) != 0", DIDQ_REC_BAD_SITE);
    if (!site) return sqlite3_mprintf("r.site IS NULL");
    if (!*site) return sqlite3_mprintf("r.site = ''");
    return sqlite3_mprintf("r.site = %Q AND (r.flags & %d) = 0", site, DIDQ_REC_BAD_SITE);
}

const char *didq_site_label(const char *site, bool invalid)
{
    return invalid ? "(invalid site)" : site && *site ? site : "(blank)";
}

char *didq_site_str(const didq_site_counts *c)
{
    if (c->null) return NULL;
    char *p = didq_xmalloc((size_t)c->len + 1);
    memcpy(p, c->site, c->len);
    p[c->len] = 0;
    return p;
}

/* One row's counts: the per-site pass's, or a saved session's. */
typedef struct site_fig {
    char *site; /* NULL when absent */
    bool invalid;
    uint64_t records, err, warn, s07;
    uint64_t mand_blank[DIDQ_MAND_SLOTS];
} site_fig;

typedef struct fig_list {
    site_fig *v;
    size_t n;
} fig_list;

static site_fig *fig_add(fig_list *l)
{
    l->v = didq_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    memset(&l->v[l->n], 0, sizeof *l->v);
    return &l->v[l->n++];
}

static void figs_memory(fig_list *l, const didq_recstore *rs, didq_scope *sc)
{
    size_t n;
    didq_site_counts *c = sc ? didq_scope_sites(sc, &n) : didq_site_counts_scan(rs, &n);
    for (size_t i = 0; i < n; i++) {
        site_fig *f = fig_add(l);
        f->site = didq_site_str(&c[i]);
        f->invalid = c[i].invalid;
        f->records = c[i].records;
        f->err = c[i].err;
        f->warn = c[i].warn;
        f->s07 = c[i].setting[6];
        memcpy(f->mand_blank, c[i].mand_blank, sizeof f->mand_blank);
    }
    free(c);
}

/* A saved session: the same groups (query_panes.c, the Overview's sites)
 * and counts from its records table. */
static void figs_saved(fig_list *l, sqlite3 *db, didq_scope *sc, const didq_mand_slots *sl)
{
    didq_buf b = {0};
    didq_buf_printf(&b,
                    "SELECT CASE WHEN (r.flags & %d) <> 0 THEN NULL ELSE r.site END,"
                    " (r.flags & %d) <> 0, count(*), sum(r.nerr > 0), sum(r.nwarn > 0),"
                    " sum(coalesce(r.setting, '') = '07')",
                    DIDQ_REC_BAD_SITE, DIDQ_REC_BAD_SITE);
    for (int k = 0; k < sl->n; k++) {
        didq_buf_printf(&b, ", sum(trim(coalesce(r.f%d, '')) = ''", DIDQ_COL_NUM(sl->item[k]));
        if (sl->item2[k] >= 0)
            didq_buf_printf(&b, " AND trim(coalesce(r.f%d, '')) = ''", DIDQ_COL_NUM(sl->item2[k]));
        didq_buf_puts(&b, ")");
    }
    didq_buf_printf(&b, " FROM records r WHERE %s GROUP BY 2, 1", didq_scope_where(sc));
    sqlite3_stmt *q = didq_prepare(db, b.p);
    free(b.p);
    while (sqlite3_step(q) == SQLITE_ROW) {
        site_fig *f = fig_add(l);
        const unsigned char *site = sqlite3_column_text(q, 0);
        f->site = site ? didq_strdup((const char *)site) : NULL;
        f->invalid = sqlite3_column_int(q, 1) != 0;
        f->records = (uint64_t)sqlite3_column_int64(q, 2);
        f->err = (uint64_t)sqlite3_column_int64(q, 3);
        f->warn = (uint64_t)sqlite3_column_int64(q, 4);
        f->s07 = (uint64_t)sqlite3_column_int64(q, 5);
        for (int k = 0; k < sl->n; k++)
            f->mand_blank[k] = (uint64_t)sqlite3_column_int64(q, 6 + k);
    }
    sqlite3_finalize(q);
}

/* ---- the figures kept in a saved session (check --db: site_figs) ----
 *
 * Per file and site group the counts of figs_memory, so that a reopened
 * session's Overview and Sites pane (the whole session or a month) sum the
 * rows of the files in scope instead of grouping every record on disk.  A
 * site scope reads the records (its figures are one site's). */

static const char figs_sql[] =
    "CREATE TABLE disk.site_figs(file INTEGER, site TEXT, invalid INTEGER, records INTEGER,"
    " err INTEGER, warn INTEGER, s07 INTEGER, mand BLOB)";

static int figs_save_file(sqlite3_stmt *q, const didq_recstore *rs, int file)
{
    didq_id_range r = {1, 0};
    didq_recstore_file_range(rs, file, &r.lo, &r.hi);
    if (!r.lo) return SQLITE_OK; /* a file without records */
    size_t n;
    didq_site_counts *c = didq_site_counts_scan_ranges(rs, &r, 1, &n);
    int rc = SQLITE_OK;
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        sqlite3_bind_int(q, 1, file);
        if (c[i].null || c[i].invalid)
            sqlite3_bind_null(q, 2);
        else
            sqlite3_bind_text(q, 2, c[i].site, (int)c[i].len, SQLITE_TRANSIENT);
        sqlite3_bind_int(q, 3, c[i].invalid);
        uint64_t v[] = {c[i].records, c[i].err, c[i].warn, c[i].setting[6]};
        for (int k = 0; k < 4; k++)
            sqlite3_bind_int64(q, 4 + k, (sqlite3_int64)v[k]);
        didq_blob_u32_bind(q, 8, c[i].mand_blank, DIDQ_MAND_SLOTS);
        rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(q);
    }
    free(c);
    return rc;
}

int didq_query_sites_save(didq_session *s, sqlite3 *db, char *err, size_t errlen)
{
    const didq_recstore *rs = didq_session_recstore(s);
    if (!rs) return 0; /* not a loaded session: the records are grouped */
    didq_file_month *fm;
    int nfm = didq_file_months(didq_session_db(s), &fm);
    free(fm);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_exec(db, figs_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO disk.site_figs VALUES(?,?,?,?,?,?,?,?)", -1, &q,
                                NULL);
    for (int f = 1; rc == SQLITE_OK && f <= nfm; f++)
        rc = figs_save_file(q, rs, f);
    if (rc != SQLITE_OK) snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return rc == SQLITE_OK ? 0 : -1;
}

static bool fig_count(sqlite3_stmt *q, int col, uint64_t max, uint64_t *out)
{
    sqlite3_int64 v = sqlite3_column_int64(q, col);
    *out = (uint64_t)v;
    return sqlite3_column_type(q, col) == SQLITE_INTEGER && v >= 0 && (uint64_t)v <= max;
}

/* One row of site_figs read and checked (f->site not set). */
static bool fig_read(sqlite3_stmt *q, int nfiles, uint64_t total, site_fig *f, int *file)
{
    *file = sqlite3_column_int(q, 0);
    f->invalid = sqlite3_column_int(q, 2) != 0;
    if (sqlite3_column_type(q, 0) != SQLITE_INTEGER || *file < 1 || *file > nfiles ||
        sqlite3_column_type(q, 2) != SQLITE_INTEGER || sqlite3_column_int64(q, 2) < 0 ||
        sqlite3_column_int64(q, 2) > 1 ||
        (f->invalid && sqlite3_column_type(q, 1) != SQLITE_NULL) ||
        (sqlite3_column_type(q, 1) != SQLITE_NULL &&
         (sqlite3_column_type(q, 1) != SQLITE_TEXT || sqlite3_column_bytes(q, 1) > 256 ||
          strlen((const char *)sqlite3_column_text(q, 1)) != (size_t)sqlite3_column_bytes(q, 1))) ||
        !fig_count(q, 3, total, &f->records) || !f->records ||
        !fig_count(q, 4, f->records, &f->err) || !fig_count(q, 5, f->records, &f->warn) ||
        !fig_count(q, 6, f->records, &f->s07))
        return false;
    return didq_blob_u32_read(q, 7, f->mand_blank, DIDQ_MAND_SLOTS, &f->records, false);
}

static void figs_free(fig_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].site);
    free(l->v);
    *l = (fig_list){0};
}

/* A saved session's figures of a month's scope or every record from
 * site_figs (true), or none (false: no such table, or rows that do not
 * add up to the session's records). */
static bool figs_kept(fig_list *l, didq_session *s, didq_scope *sc)
{
    if (sc && sc->site_kind != DIDQ_SCOPE_NOSITE) return false;
    sqlite3 *db = didq_session_db(s);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT file, site, invalid, records, err, warn, s07, mand FROM"
                           " site_figs WHERE EXISTS (SELECT 1 FROM main.sqlite_schema WHERE"
                           " name = 'site_figs' AND type = 'table' AND sql NOT LIKE"
                           " 'CREATE VIRTUAL%') ORDER BY invalid, site IS NOT NULL, site, file",
                           -1, &q, NULL) != SQLITE_OK)
        return false;
    didq_file_month *fm;
    int nfiles = didq_file_months(db, &fm), file, rc;
    free(fm);
    uint64_t total = didq_session_records(s), seen = 0;
    bool ok = true, any = false;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        site_fig f = {0};
        const char *site = (const char *)sqlite3_column_text(q, 1);
        ok = fig_read(q, nfiles, total - seen, &f, &file);
        any = true;
        seen += f.records;
        if (!ok || !didq_scope_has_file(sc, file)) continue;
        site_fig *p = l->n ? &l->v[l->n - 1] : NULL;
        if (!p || p->invalid != f.invalid || !p->site != !site ||
            (site && strcmp(p->site, site) != 0)) {
            p = fig_add(l);
            p->invalid = f.invalid;
            p->site = site ? didq_strdup(site) : NULL;
        }
        p->records += f.records;
        p->err += f.err;
        p->warn += f.warn;
        p->s07 += f.s07;
        for (int k = 0; k < DIDQ_MAND_SLOTS; k++)
            p->mand_blank[k] += f.mand_blank[k];
    }
    ok = ok && rc == SQLITE_DONE && seen == total && (any || !total);
    sqlite3_finalize(q);
    if (!ok) figs_free(l);
    return ok;
}

/* Table order: the blank sites (absent first), the site codes in byte
 * order, the invalid group last; a sort of the table breaks its ties by
 * this order, so by site code. */
static int fig_rank(const site_fig *f)
{
    return f->invalid ? 3 : !f->site ? 0 : !*f->site ? 1 : 2;
}

static int cmp_figs(const void *pa, const void *pb)
{
    const site_fig *a = pa, *b = pb;
    int ra = fig_rank(a), rb = fig_rank(b);
    if (ra != rb) return ra - rb;
    return ra == 2 ? strcmp(a->site, b->site) : 0;
}

static const char *sites_head[] = {
    "Site",   "Records", "Errors", "Err %",     "Warnings",
    "Warn %", "Mand %",  "07 %",   "Anomalies", "DQMI-style (local)"};

static double share(uint64_t n, uint64_t of)
{
    return of ? 100.0 * (double)n / (double)of : NAN;
}

static void set_pct(didq_qtable *t, size_t r, int c, double v)
{
    if (isnan(v))
        didq_qtable_set(t, r, c, "-");
    else
        didq_qtable_set(t, r, c, "%.1f", v);
}

/* The site's DQMI-style score (d groups both blank sites in one
 * "(blank)": with two blank rows, neither has a score of its own). */
static double dqmi_of(const didq_dqmi *d, const site_fig *f, int nblank)
{
    const char *label = didq_site_label(f->site, f->invalid);
    if (!d || (fig_rank(f) < 2 && nblank > 1)) return NAN;
    for (size_t i = 0; i < d->nsites; i++)
        if (strcmp(d->sites[i].site, label) == 0)
            return d->sites[i].score >= 0 ? d->sites[i].score : NAN;
    return NAN;
}

/* The month whose anomalies a scope shows (anomaly.h, "Months"). */
static int32_t anomaly_month(didq_scope *sc)
{
    if (!sc) return DIDQ_ALLMONTHS;
    int32_t m = didq_scope_month_of(sc);
    return m == DIDQ_NOMONTH ? DIDQ_UNDATED_MONTH : m;
}

static void fig_row(didq_qtable *t, didq_scope *sc, const site_fig *f, const didq_analysis *a,
                    const didq_dqmi *d, int nblank, const didq_mand_slots *sl)
{
    size_t r = didq_qtable_row(t);
    const char *label = didq_site_label(f->site, f->invalid);
    didq_qtable_set(t, r, 0, "%s", label);
    didq_qtable_set(t, r, 1, "%llu", (unsigned long long)f->records);
    didq_qtable_set(t, r, 2, "%llu", (unsigned long long)f->err);
    set_pct(t, r, 3, share(f->err, f->records));
    didq_qtable_set(t, r, 4, "%llu", (unsigned long long)f->warn);
    set_pct(t, r, 5, share(f->warn, f->records));
    set_pct(t, r, 6, didq_mand_filled(sl, f->mand_blank, f->records));
    set_pct(t, r, 7, share(f->s07, f->records));
    if (!a)
        didq_qtable_set(t, r, 8, "-");
    else /* a blank or invalid site code has no anomaly of its own (as on Months) */
        didq_qtable_set(t, r, 8, "%d",
                        fig_rank(f) == 2 ? didq_site_anomalies(a, f->site, anomaly_month(sc)) : 0);
    set_pct(t, r, 9, dqmi_of(d, f, nblank));
    char *w = didq_site_where(f->site, f->invalid), *ws = didq_scope_and(sc, w);
    for (int c = 0; c < DIDQ_SITES_NCOLS; c++) {
        didq_qtable_drill(t, r, c, label, "%s", ws);
        didq_qtable_count(t, r, c, (int64_t)f->records);
    }
    sqlite3_free(ws);
    sqlite3_free(w);
}

didq_qtable *didq_query_sites_in(didq_session *s, didq_scope *sc, const didq_analysis *a,
                                 const didq_dqmi *d)
{
    didq_mand_slots sl;
    didq_mand_slots_of(didq_dataset_v1(), &sl); /* as the per-site pass counts them */
    fig_list l = {0};
    const didq_recstore *rs = didq_session_recstore(s);
    if (rs)
        figs_memory(&l, rs, sc);
    else if (!figs_kept(&l, s, sc))
        figs_saved(&l, didq_session_db(s), sc, &sl);
    if (l.n) qsort(l.v, l.n, sizeof *l.v, cmp_figs);
    int nblank = 0;
    for (size_t i = 0; i < l.n; i++)
        nblank += fig_rank(&l.v[i]) < 2;
    didq_qtable *t = didq_qtable_new(DIDQ_SITES_NCOLS, sites_head, "lrrrrrrrrr");
    for (size_t i = 0; i < l.n; i++) {
        fig_row(t, sc, &l.v[i], a, d, nblank, &sl);
        free(l.v[i].site);
    }
    free(l.v);
    return t;
}
