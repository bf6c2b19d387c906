/* query_scope_site.c: a record scope limited to one site (query.h,
 * didq_scope_site): the site's records within a month's scope (or within
 * every record), grouped as the Overview's per-site table groups them: a
 * valid site code, "(blank)" (absent or only spaces) or "(invalid site)"
 * (a code breaking a site rule).  In memory the scope's id ranges are the
 * runs of the site's record ids, found through the site look-up (a code)
 * or one pass over the month's records (the two groups), so that every
 * count made over the ranges (query_scope.c) is the site's; in a saved
 * session the condition does it in SQL.  Also the list of the sites of a
 * scope with their records, for a site picker. */
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/month.h"
#include "didq/record.h"
#include "didq/store.h"
#include "didq/util.h"
#include "query_scope.h"
#include "recstore.h"

#include <stdlib.h>
#include <string.h>

#define TEST_DAY DIDQ_COL_D(DIDQ_TEST_DATE)

static const char blank_label[] = "(blank)", invalid_label[] = "(invalid site)";

_Static_assert(DIDQ_REC_BAD_SITE == 64, "the site conditions test flags & 64");

/* The condition on `records r` selecting the site's records. */
static char *site_cond(int kind, const char *code)
{
    if (kind == DIDQ_SCOPE_INVALID) return sqlite3_mprintf("(r.flags & 64) <> 0");
    if (kind == DIDQ_SCOPE_BLANK) return sqlite3_mprintf("(r.site IS NULL OR r.site = '')");
    return sqlite3_mprintf("r.site = %Q AND (r.flags & 64) = 0", code);
}

static void add_id(didq_scope *sc, uint32_t id, size_t *cap)
{
    if (sc->nrange && sc->range[sc->nrange - 1].hi + 1 == id) {
        sc->range[sc->nrange - 1].hi = id;
        return;
    }
    if (sc->nrange == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        sc->range = didq_xrealloc(sc->range, *cap * sizeof *sc->range);
    }
    sc->range[sc->nrange++] = (didq_id_range){id, id};
}

/* True if the record is in the site group (the two groups; a code is
 * found through the look-up). */
static bool in_group(const didq_recstore *rs, uint32_t id, int kind)
{
    bool bad = (didq_recstore_meta(rs, id)->flags & DIDQ_REC_BAD_SITE) != 0;
    if (kind == DIDQ_SCOPE_INVALID) return bad;
    uint32_t n;
    didq_recstore_clean(rs, id, DIDQ_SITE, &n);
    return !bad && n == 0;
}

/* The site's ids within the base ranges (b, nb of them) as runs. */
static void site_ranges(didq_scope *sc, const didq_recstore *rs, const didq_id_range *b, size_t nb)
{
    size_t cap = 0;
    if (sc->site_kind != DIDQ_SCOPE_CODE) {
        for (size_t k = 0; k < nb; k++)
            for (uint32_t id = b[k].lo; id <= b[k].hi; id++)
                if (in_group(rs, id, sc->site_kind)) add_id(sc, id, &cap);
        return;
    }
    uint64_t n = 0;
    const uint32_t *ids = didq_recstore_lookup(rs, sc->site, (uint32_t)strlen(sc->site), &n);
    size_t k = 0;
    for (uint64_t i = 0; i < n && k < nb; i++) {
        uint32_t id = ids[i];
        while (k < nb && b[k].hi < id)
            k++;
        if (k < nb && id >= b[k].lo && !(didq_recstore_meta(rs, id)->flags & DIDQ_REC_BAD_SITE))
            add_id(sc, id, &cap);
    }
}

/* The site scope, its counts not made yet (made on first use). */
static didq_scope *site_scope(didq_session *s, const didq_scope *base, const char *site)
{
    didq_scope *sc = didq_xcalloc(1, sizeof *sc);
    sc->s = s;
    sc->month = base ? base->month : DIDQ_ALLMONTHS;
    sc->site = didq_strdup(site);
    sc->site_kind = strcmp(site, invalid_label) == 0 ? DIDQ_SCOPE_INVALID
                    : strcmp(site, blank_label) == 0 ? DIDQ_SCOPE_BLANK
                                                     : DIDQ_SCOPE_CODE;
    didq_file_month *fm;
    sc->nfiles = didq_file_months(didq_session_db(s), &fm);
    free(fm);
    sc->in = didq_xcalloc((size_t)sc->nfiles + 1, 1);
    char *cond = site_cond(sc->site_kind, site);
    char *w = base ? didq_scope_and(base, cond) : sqlite3_mprintf("%s", cond);
    sc->where = didq_strdup(w);
    sqlite3_free(w);
    sqlite3_free(cond);
    const didq_recstore *rs = didq_session_recstore(s);
    if (rs) {
        didq_id_range all = {1, didq_recstore_count(rs)};
        size_t nb = 1;
        const didq_id_range *b = base ? didq_scope_ranges(base, &nb) : &all;
        site_ranges(sc, rs, b, nb);
    }
    return sc;
}

didq_scope *didq_scope_site(didq_session *s, const didq_scope *base, const char *site)
{
    didq_scope *sc = site_scope(s, base, site);
    didq_scope_counts_of(sc); /* exact counts, and the files that hold the site's records */
    return sc;
}

didq_analysis *didq_scope_analysis(didq_session *s, const char *site)
{
    if (!site || !*site || strcmp(site, blank_label) == 0) return NULL;
    didq_scope *sc = site_scope(s, NULL, site); /* every month's records of the site */
    size_t n = 0;
    const didq_id_range *r = didq_scope_ranges(sc, &n);
    didq_analysis *a = didq_session_analysis_subset(s, sc->where, r, n);
    didq_scope_free(sc);
    return a;
}

const char *didq_scope_site_of(const didq_scope *sc)
{
    return sc ? sc->site : NULL;
}

/* Day numbers of a reporting month's first and last day ([1, 0] for none). */
static void month_days(int32_t month, int32_t *d0, int32_t *d1)
{
    *d0 = 1, *d1 = 0;
    if (month == DIDQ_NOMONTH) return;
    *d0 = didq_date_from_ymd(month / 12, month % 12 + 1, 1);
    *d1 = didq_date_add_months(*d0, 1) - 1;
}

static void files_memory(didq_scope *sc, const didq_recstore *rs, const didq_file_month *fm,
                         didq_scope_file *f)
{
    int k = 0;
    while (k < didq_recstore_ndates(rs) && didq_recstore_date_item(rs, k) != DIDQ_TEST_DATE)
        k++;
    int32_t(*days)[2] = didq_xcalloc((size_t)sc->nfiles + 1, sizeof *days);
    for (int i = 0; i < sc->nfiles; i++)
        month_days(fm[i].month, &days[i][0], &days[i][1]);
    for (size_t r = 0; r < sc->nrange; r++)
        for (uint32_t id = sc->range[r].lo; id <= sc->range[r].hi; id++) {
            const didq_recmeta *m = didq_recstore_meta(rs, id);
            if (m->file < 1 || m->file > sc->nfiles) continue;
            didq_scope_file *x = &f[m->file - 1];
            int32_t d0 = days[m->file - 1][0], d1 = days[m->file - 1][1];
            int32_t d = k < didq_recstore_ndates(rs) ? m->date[k] : DIDQ_NODATE;
            x->records++;
            x->err += m->nerr > 0;
            x->warn += m->nwarn > 0;
            x->undated += d == DIDQ_NODATE;
            x->outside += d != DIDQ_NODATE && d0 <= d1 && (d < d0 || d > d1);
        }
    free(days);
}

static void files_saved(didq_scope *sc, const didq_file_month *fm, didq_scope_file *f)
{
    sqlite3 *db = didq_session_db(sc->s);
    char *sql = sqlite3_mprintf("SELECT r.file, count(*), sum(r.nerr > 0), sum(r.nwarn > 0),"
                                " sum(r." TEST_DAY " IS NULL) FROM records r WHERE %s"
                                " GROUP BY r.file",
                                sc->where);
    sqlite3_stmt *q = didq_prepare(db, sql);
    sqlite3_free(sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int file = sqlite3_column_int(q, 0);
        if (file < 1 || file > sc->nfiles) continue;
        didq_scope_file *x = &f[file - 1];
        x->records = (uint64_t)sqlite3_column_int64(q, 1);
        x->err = (uint64_t)sqlite3_column_int64(q, 2);
        x->warn = (uint64_t)sqlite3_column_int64(q, 3);
        x->undated = (uint64_t)sqlite3_column_int64(q, 4);
        int32_t d0, d1;
        month_days(fm[file - 1].month, &d0, &d1);
        if (d0 > d1) continue;
        char *o = sqlite3_mprintf("SELECT count(*) FROM records r WHERE (%s) AND r.file = %d"
                                  " AND (r." TEST_DAY " < %d OR r." TEST_DAY " > %d)",
                                  sc->where, file, d0, d1);
        sqlite3_stmt *q2 = didq_prepare(db, o);
        sqlite3_free(o);
        if (sqlite3_step(q2) == SQLITE_ROW) x->outside = (uint64_t)sqlite3_column_int64(q2, 0);
        sqlite3_finalize(q2);
    }
    sqlite3_finalize(q);
}

void didq_scope_site_files(didq_scope *sc, didq_scope_counts *c)
{
    didq_file_month *fm;
    int n = didq_file_months(didq_session_db(sc->s), &fm);
    c->file = didq_xcalloc((size_t)sc->nfiles + 1, sizeof *c->file);
    if (n == sc->nfiles) {
        const didq_recstore *rs = didq_session_recstore(sc->s);
        if (rs)
            files_memory(sc, rs, fm, c->file);
        else
            files_saved(sc, fm, c->file);
    }
    for (int f = 0; f < sc->nfiles; f++)
        sc->in[f] = c->file[f].records > 0;
    free(fm);
}

const didq_scope_file *didq_scope_file_counts(didq_scope *sc, int file)
{
    const didq_scope_counts *c = didq_scope_counts_of(sc);
    if (!c || !c->file || file < 1 || file > sc->nfiles) return NULL;
    return &c->file[file - 1];
}

/* ---- the sites of a scope, for a picker ---- */

static void add_entry(didq_site_entry **v, size_t *n, const char *label, uint64_t records)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i].label, label) == 0) {
            (*v)[i].records += records; /* absent and only spaces: one "(blank)" */
            return;
        }
    *v = didq_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[*n].label = didq_strdup(label);
    (*v)[(*n)++].records = records;
}

static int cmp_entry(const void *a, const void *b)
{
    const didq_site_entry *x = a, *y = b;
    bool ix = strcmp(x->label, invalid_label) == 0, iy = strcmp(y->label, invalid_label) == 0;
    if (ix != iy) return ix ? 1 : -1;
    if (x->records != y->records) return x->records > y->records ? -1 : 1;
    return strcmp(x->label, y->label);
}

static void list_memory(didq_session *s, didq_scope *sc, didq_site_entry **v, size_t *n)
{
    size_t ns;
    didq_site_counts *c =
        sc ? didq_scope_sites(sc, &ns) : didq_site_counts_scan(didq_session_recstore(s), &ns);
    for (size_t i = 0; i < ns; i++) {
        char code[256];
        snprintf(code, sizeof code, "%.*s", (int)(c[i].len < 255 ? c[i].len : 255), c[i].site);
        const char *label = c[i].invalid ? invalid_label : c[i].len ? code : blank_label;
        add_entry(v, n, label, c[i].records);
    }
    free(c);
}

/* A saved session: its per-site table when unscoped (store_panes.c), else
 * the records grouped in SQL. */
static void list_saved(didq_session *s, didq_scope *sc, didq_site_entry **v, size_t *n)
{
    sqlite3 *db = didq_session_db(s);
    sqlite3_stmt *q = NULL;
    if (!sc && sqlite3_prepare_v2(db,
                                  "SELECT CASE WHEN invalid_site THEN '(invalid site)' WHEN"
                                  " coalesce(site, '') = '' THEN '(blank)' ELSE site END, records"
                                  " FROM site_counts",
                                  -1, &q, NULL) != SQLITE_OK) {
        sqlite3_finalize(q);
        q = NULL;
    }
    if (!q) {
        char *sql = sqlite3_mprintf(
            "SELECT CASE WHEN (r.flags & 64) <> 0 THEN '(invalid site)' WHEN coalesce(r.site, '')"
            " = '' THEN '(blank)' ELSE r.site END, count(*) FROM records r WHERE %s GROUP BY 1",
            didq_scope_where(sc));
        q = didq_prepare(db, sql);
        sqlite3_free(sql);
    }
    while (sqlite3_step(q) == SQLITE_ROW) {
        const unsigned char *l = sqlite3_column_text(q, 0);
        add_entry(v, n, l ? (const char *)l : blank_label, (uint64_t)sqlite3_column_int64(q, 1));
    }
    sqlite3_finalize(q);
}

didq_site_entry *didq_scope_site_list(didq_session *s, didq_scope *sc, size_t *n)
{
    didq_site_entry *v = NULL;
    *n = 0;
    if (didq_session_recstore(s))
        list_memory(s, sc, &v, n);
    else
        list_saved(s, sc, &v, n);
    if (*n) qsort(v, *n, sizeof *v, cmp_entry);
    return v;
}

void didq_site_list_free(didq_site_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].label);
    free(v);
}
