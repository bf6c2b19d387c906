/* query_sites.c: the Sites table (didq_query_sites_in, query.h): per site
 * of a scope its records, the records with errors and with warnings and
 * their shares, the mandatory items' completeness (as the Months pane
 * counts it: didq_mand_filled), the share of source setting 07, its
 * anomalies and its DQMI-style (local) score.  In memory the figures come
 * from the per-site pass (recstore_sites.c, kept by the scope); a saved
 * session counts them with one grouped query.  Also the site conditions
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
    else
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
