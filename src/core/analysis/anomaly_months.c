/* anomaly_months.c: the months analysed apart (anomaly.h, "Months"): each
 * file's reporting month (month.h), the months' conditions over the
 * records, the site codes over every month and the whole-session
 * timeliness rows summed from the months'.  With a subset of the records
 * (a site's), only the files holding some of them take part. */
#include "anomaly_int.h"
#include "didq/date.h"
#include "didq/month.h"
#include "didq/store.h"
#include "didq/util.h"
#include "recstore.h"
#include "recstore_sites.h"

#include <stdlib.h>
#include <string.h>

static int cmp_i32(const void *x, const void *y)
{
    int32_t p = *(const int32_t *)x, q = *(const int32_t *)y;
    return (p > q) - (p < q);
}

/* Sorted, without repeats; returns the count. */
static int uniq(int32_t *v, int n)
{
    if (n) qsort(v, (size_t)n, sizeof *v, cmp_i32);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!k || v[k - 1] != v[i]) v[k++] = v[i];
    return k;
}

static int32_t month_first_day(int32_t mi)
{
    return didq_date_from_ymd(mi / 12, mi % 12 + 1, 1);
}

/* True if file (its id) takes part: with a subset of the records
 * (anomaly.h), only a file holding some of them. */
static bool takes_part(const didq_analysis *a, int file)
{
    return !a->held || a->held[file];
}

/* The condition "file IN (...)" of each month, when there are several. */
static void month_wheres(didq_analysis *a)
{
    if (a->nmon < 2) return;
    for (int k = 0; k < a->nmon; k++) {
        didq_buf b = {0};
        didq_buf_puts(&b, "file IN (");
        for (int f = 1, n = 0; f <= a->nfall; f++)
            if (a->fpart[f] == k && takes_part(a, f))
                didq_buf_printf(&b, "%s%d", n++ ? ", " : "", f);
        didq_buf_puts(&b, ")");
        a->mon[k].where = b.p;
    }
}

/* A file without records (a header alone, a file rejected at once): in no
 * month, so that it makes no month of its own. */
static bool empty_file(const didq_file_month *f)
{
    return f->month == DIDQ_NOMONTH && f->undated == 0;
}

/* The files holding some of the subset's records.  A file's records are
 * one block of ids, the files' blocks in load order, so the files a range
 * of ids meets are those from its first id's to its last id's: the
 * range's ends say it, not each of its records. */
static void held_memory(didq_analysis *a, const didq_recstore *rs, int n)
{
    const didq_id_range *r = a->o.subset_ids;
    for (size_t k = 0; k < a->o.nsubset_ids; k++) {
        int first = didq_recstore_meta(rs, r[k].lo)->file,
            last = didq_recstore_meta(rs, r[k].hi)->file;
        for (int file = first; file <= last; file++)
            if (file >= 1 && file <= n) a->held[file] = 1;
    }
}

/* The same in SQL, under the subset's condition. */
static void held_sql(didq_analysis *a, int n)
{
    char *sql = sqlite3_mprintf("SELECT DISTINCT file FROM records r WHERE %s", a->o.subset_where);
    sqlite3_stmt *q = didq_prepare(a->db, sql);
    sqlite3_free(sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int file = sqlite3_column_int(q, 0);
        if (file >= 1 && file <= n) a->held[file] = 1;
    }
    sqlite3_finalize(q);
}

/* With a subset of the records (anomaly.h), the files (by id, 1..n)
 * holding some of them, which alone take part. */
static void read_held(didq_analysis *a, int n)
{
    if (!a->o.subset_where) return;
    a->held = didq_xcalloc((size_t)n + 1, 1);
    if (a->o.records)
        held_memory(a, a->o.records, n);
    else
        held_sql(a, n);
}

void an_read_months(didq_analysis *a)
{
    didq_file_month *f;
    int n = didq_file_months(a->db, &f);
    a->nfall = n;
    read_held(a, n);
    a->months = didq_xcalloc((size_t)n + 1, sizeof *a->months);
    a->mlist = didq_xcalloc((size_t)n + 1, sizeof *a->mlist);
    int nm = 0;
    for (int i = 0; i < n; i++) {
        if (!takes_part(a, i + 1)) continue; /* as if not loaded */
        if (f[i].month != DIDQ_NOMONTH) a->months[a->nmonths++] = f[i].month;
        if (!empty_file(&f[i]))
            a->mlist[nm++] = f[i].month == DIDQ_NOMONTH ? DIDQ_UNDATED_MONTH : f[i].month;
    }
    a->nmonths = uniq(a->months, a->nmonths);
    nm = uniq(a->mlist, nm);
    a->nmon = nm ? nm : 1;
    if (!nm) a->mlist[0] = DIDQ_UNDATED_MONTH;
    a->mon = didq_xcalloc((size_t)a->nmon, sizeof *a->mon);
    a->fpart = didq_xcalloc((size_t)n + 1, sizeof *a->fpart);
    for (int k = 0; k < a->nmon; k++) {
        an_month *m = &a->mon[k];
        m->month = a->mlist[k];
        m->overall.modality = -1;
        if (m->month >= 0) {
            m->period.day0 = month_first_day(m->month);
            m->period.ndays = month_first_day(m->month + 1) - m->period.day0;
        }
    }
    for (int i = 0; i < n; i++) {
        int32_t mi = f[i].month == DIDQ_NOMONTH ? DIDQ_UNDATED_MONTH : f[i].month;
        int k = 0;
        while (k + 1 < a->nmon && a->mon[k].month != mi)
            k++;
        a->fpart[i + 1] = (uint16_t)k; /* an empty file: the first month's, with no record */
        a->mon[k].files += takes_part(a, i + 1) && (!empty_file(&f[i]) || nm == 0);
    }
    free(f);
    month_wheres(a);
}

static int cmp_code(const void *x, const void *y)
{
    return an_site_order(((const an_code *)x)->code, ((const an_code *)y)->code);
}

/* The site codes over every month, and each site's code index; the
 * months' ranges of sites (the sites are sorted by month, then code). */
void an_month_codes(didq_analysis *a)
{
    a->ucodes = didq_xcalloc(a->nsites + 1, sizeof *a->ucodes);
    for (size_t i = 0; i < a->nsites; i++)
        a->ucodes[i] = (an_code){a->sites[i].code, 0};
    if (a->nsites) qsort(a->ucodes, a->nsites, sizeof *a->ucodes, cmp_code);
    size_t k = 0;
    for (size_t i = 0; i < a->nsites; i++)
        if (!k || strcmp(a->ucodes[k - 1].code, a->ucodes[i].code) != 0)
            a->ucodes[k++] = a->ucodes[i];
    a->nucodes = k;
    for (size_t i = 0; i < a->nsites; i++) {
        an_site *s = &a->sites[i];
        const an_code *c =
            bsearch(&(an_code){s->code, 0}, a->ucodes, a->nucodes, sizeof *a->ucodes, cmp_code);
        if (!c) didq_die("internal error: a site code missing from its own list");
        s->ucode = (size_t)(c - a->ucodes);
        a->ucodes[s->ucode].n += s->n;
    }
    for (int m = 0; m < a->nmon; m++)
        a->mon[m].site0 = a->nsites;
    for (size_t i = a->nsites; i-- > 0;) {
        an_month *m = &a->mon[a->sites[i].part];
        m->site0 = i;
        m->nsites++;
    }
}

/* The month's files added to the conditions of its anomalies (those of
 * the record-level kinds name their records and are set later). */
void an_month_wheres(didq_analysis *a)
{
    if (a->nmon < 2) return;
    for (size_t i = 0; i < a->nan; i++) {
        didq_anomaly *an = &a->an[i];
        if (an->month == DIDQ_NOMONTH || !an->where) continue;
        for (int k = 0; k < a->nmon; k++)
            if (a->mon[k].month == an->month) {
                char *w = an->where;
                an->where = NULL;
                an_set_where(an, "(%s) AND %s", w, a->mon[k].where);
                free(w);
            }
    }
}

/* ---- the whole session's timeliness rows: the months' summed ---- */

void an_whole_timeliness(didq_analysis *a)
{
    if (a->nmon == 1) {
        a->tl_rows = a->mon[0].tl_rows;
        a->ntl = a->mon[0].ntl;
        return;
    }
    /* per code: every modality's row and each modality's, when seen */
    size_t per = DIDQ_MOD_N + 1;
    didq_timeliness *t = didq_xcalloc(a->nucodes * per + 1, sizeof *t);
    bool *seen = didq_xcalloc(a->nucodes * per + 1, sizeof *seen);
    didq_timeliness all = {.modality = -1};
    for (int k = 0; k < a->nmon; k++)
        an_tl_add_all(&all, &a->mon[k].overall);
    for (size_t i = 0; i < a->nsites; i++) {
        an_site *s = &a->sites[i];
        for (size_t m = 0; m < per; m++) {
            if (!s->tl[m]) continue;
            didq_timeliness *d = &t[s->ucode * per + m];
            d->site = a->ucodes[s->ucode].code;
            d->modality = m == DIDQ_MOD_N ? -1 : (int)m;
            an_tl_add_all(d, s->tl[m]);
            seen[s->ucode * per + m] = true;
        }
    }
    size_t n = 1;
    for (size_t i = 0; i < a->nucodes * per; i++)
        n += seen[i];
    a->tl_rows = didq_xcalloc(n, sizeof *a->tl_rows);
    a->tl_rows[a->ntl++] = all;
    for (size_t c = 0; c < a->nucodes; c++) {
        if (seen[c * per + DIDQ_MOD_N]) a->tl_rows[a->ntl++] = t[c * per + DIDQ_MOD_N];
        for (int m = 0; m < DIDQ_MOD_N; m++)
            if (seen[c * per + (size_t)m]) a->tl_rows[a->ntl++] = t[c * per + (size_t)m];
    }
    free(t);
    free(seen);
}

void an_months_free(didq_analysis *a)
{
    for (int k = 0; k < a->nmon; k++) {
        an_month *m = &a->mon[k];
        free(m->where);
        free(m->total);
        free(m->tl_rows);
        for (size_t i = 0; m->cov && i < m->nsites; i++)
            free((void *)m->cov[i].count);
        free(m->cov);
    }
    free(a->mon);
    free(a->mlist);
    free(a->fpart);
    free(a->held);
    free(a->ucodes);
}

/* ---- the public accessors ---- */

static const an_month *find_month(const didq_analysis *a, int32_t month)
{
    for (int k = 0; k < a->nmon; k++)
        if (a->mon[k].month == month && (a->mon[k].files || a->nmon == 1)) return &a->mon[k];
    return NULL;
}

size_t didq_analysis_month_list(const didq_analysis *a, const int32_t **months)
{
    *months = a->mlist;
    return a->nfall ? (size_t)a->nmon : 0;
}

didq_month_info didq_analysis_month_info(const didq_analysis *a, int32_t month)
{
    didq_month_info mi = {.month = month};
    const an_month *m = a->nfall ? find_month(a, month) : NULL;
    if (!m) return mi;
    mi.files = m->files;
    mi.records = m->records;
    for (size_t i = 0; i < a->nan; i++)
        mi.anomalies += a->an[i].month == month;
    return mi;
}

const char *didq_analysis_month_where(const didq_analysis *a, int32_t month)
{
    if (month == DIDQ_ALLMONTHS) return NULL;
    const an_month *m = find_month(a, month);
    return m ? m->where : "0";
}

bool didq_anomaly_in_month(const didq_anomaly *an, int32_t m)
{
    return m == DIDQ_ALLMONTHS || an->month == m || an->month == DIDQ_NOMONTH;
}

size_t didq_analysis_timeliness_in(const didq_analysis *a, int32_t month,
                                   const didq_timeliness **rows)
{
    if (month == DIDQ_ALLMONTHS) return didq_analysis_timeliness(a, rows);
    const an_month *m = find_month(a, month);
    *rows = m ? m->tl_rows : NULL;
    return m ? m->ntl : 0;
}

didq_period didq_analysis_period_in(const didq_analysis *a, int32_t month)
{
    if (month == DIDQ_ALLMONTHS) return didq_analysis_period(a);
    const an_month *m = find_month(a, month);
    return m ? m->period : (didq_period){0, 0};
}

size_t didq_analysis_coverage_in(const didq_analysis *a, int32_t month,
                                 const didq_site_coverage **rows)
{
    if (month == DIDQ_ALLMONTHS) return didq_analysis_coverage(a, rows);
    const an_month *m = find_month(a, month);
    *rows = m ? m->cov : NULL;
    return m ? m->nsites : 0;
}

/* cond AND the month's condition (malloc'd), consuming cond. */
static char *and_month(const didq_analysis *a, int32_t month, char *cond)
{
    const char *mw = didq_analysis_month_where(a, month);
    if (!mw) return cond;
    char *s = sqlite3_mprintf("%s AND %s", cond, mw);
    char *out = didq_strdup(s ? s : "0");
    sqlite3_free(s);
    free(cond);
    return out;
}

char *didq_timeliness_where_in(const didq_analysis *a, int32_t month, const char *site,
                               int modality, enum didq_tl_part part)
{
    return and_month(a, month, didq_timeliness_where(site, modality, part));
}

char *didq_coverage_where_in(const didq_analysis *a, int32_t month, const char *site, int32_t d0,
                             int32_t d1)
{
    return and_month(a, month, didq_coverage_where(site, d0, d1));
}
