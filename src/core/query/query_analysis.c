/* query_analysis.c: the aggregate tables of the explorer's analysis panes
 * (Timeliness, Anomalies, month-on-month volumes), built from one
 * didq_analysis; every cell carries the condition selecting its records. */
#include "didq/anomaly.h"
#include "didq/coverage.h"
#include "didq/date.h"
#include "didq/modality.h"
#include "didq/month.h"
#include "didq/query.h"
#include "didq/store.h"
#include "didq/timeliness.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

/* The test date's day column in the records table. */
#define TEST_DAY DIDQ_COL_D(DIDQ_TEST_DATE)

/* ---- Timeliness ---- */

static const char *tl_head[] = {"Site",    "Modality", "Records", "RT med", "RT p90",
                                "RT miss", "TR med",   "TR p90",  "TR miss"};
enum { TL_RT_MISS = 5, TL_TR_MISS = 8, TL_NCOLS = 9 };

static bool timeliness_kind(int k)
{
    return k == DIDQ_AK_RTT_MISSING || k == DIDQ_AK_RTT_ZERO || k == DIDQ_AK_REPORT_MISSING ||
           k == DIDQ_AK_REPORT_ZERO;
}

/* True if the analysis found an anomaly of kinds at the site in month m
 * (DIDQ_ALLMONTHS: in any). */
static bool site_flagged_in(const didq_analysis *a, int32_t m, const char *site, bool (*kinds)(int))
{
    for (size_t i = 0; site && i < didq_analysis_count(a); i++) {
        const didq_anomaly *an = didq_analysis_get(a, i);
        if (kinds(an->kind) && didq_anomaly_in_month(an, m) && strcmp(an->site, site) == 0)
            return true;
    }
    return false;
}

static bool site_flagged(const didq_analysis *a, const char *site, bool (*kinds)(int))
{
    return site_flagged_in(a, DIDQ_ALLMONTHS, site, kinds);
}

static void set_days(didq_qtable *t, size_t r, int col, int days)
{
    if (days < 0)
        didq_qtable_set(t, r, col, "-");
    else if (days >= DIDQ_TL_DAYS - 1)
        didq_qtable_set(t, r, col, "%d+", days);
    else
        didq_qtable_set(t, r, col, "%d", days);
}

/* The cell's drill-down into part of the row's records, of which there
 * are n. */
/* The month of the timeliness table being built (DIDQ_ALLMONTHS: every
 * month). */
typedef struct tl_ctx {
    const didq_analysis *a;
    int32_t month;
} tl_ctx;

static void tl_drill(didq_qtable *t, const tl_ctx *x, size_t r, int col, const didq_timeliness *w,
                     enum didq_tl_part part, const char *what, uint64_t n)
{
    char label[96];
    snprintf(label, sizeof label, "%s%s%s%s%s", w->site ? w->site : "all sites",
             w->modality >= 0 ? " " : "", w->modality >= 0 ? didq_modality_name(w->modality) : "",
             *what ? " " : "", what);
    char *where = didq_timeliness_where_in(x->a, x->month, w->site, w->modality, part);
    didq_qtable_drill(t, r, col, label, "%s", where);
    didq_qtable_count(t, r, col, (int64_t)n);
    free(where);
}

static void tl_row(didq_qtable *t, const tl_ctx *x, const didq_timeliness *w, bool mark)
{
    size_t r = didq_qtable_row(t);
    const didq_interval_dist *rt = &w->request_to_test, *tr = &w->test_to_report;
    didq_qtable_set(t, r, 0, "%s", w->site ? w->site : "(all)");
    didq_qtable_set(t, r, 1, "%s%s", w->modality >= 0 ? "  " : "", didq_modality_name(w->modality));
    didq_qtable_set(t, r, 2, "%llu", (unsigned long long)w->records);
    set_days(t, r, 3, didq_dist_percentile(rt, 0.5));
    set_days(t, r, 4, didq_dist_percentile(rt, 0.9));
    didq_qtable_set(t, r, 5, "%llu", (unsigned long long)rt->missing);
    set_days(t, r, 6, didq_dist_percentile(tr, 0.5));
    set_days(t, r, 7, didq_dist_percentile(tr, 0.9));
    didq_qtable_set(t, r, 8, "%llu", (unsigned long long)tr->missing);
    for (int c = 0; c < TL_NCOLS; c++)
        if (c != TL_RT_MISS && c != TL_TR_MISS)
            tl_drill(t, x, r, c, w, DIDQ_TL_ALL, "", w->records);
    if (rt->missing)
        tl_drill(t, x, r, TL_RT_MISS, w, DIDQ_TL_REQUEST_MISSING, "request-test missing",
                 rt->missing);
    if (tr->missing)
        tl_drill(t, x, r, TL_TR_MISS, w, DIDQ_TL_REPORT_MISSING, "test-report missing",
                 tr->missing);
    t->mark[r] = mark;
}

didq_qtable *didq_query_timeliness_in(const didq_analysis *a, int32_t month)
{
    didq_qtable *t = didq_qtable_new(TL_NCOLS, tl_head, "llrrrrrrr");
    const didq_timeliness *rows;
    size_t n = didq_analysis_timeliness_in(a, month, &rows);
    tl_ctx x = {a, month};
    for (size_t i = 0; i < n; i++)
        tl_row(t, &x, &rows[i], site_flagged_in(a, month, rows[i].site, timeliness_kind));
    return t;
}

didq_qtable *didq_query_timeliness(const didq_analysis *a)
{
    return didq_query_timeliness_in(a, DIDQ_ALLMONTHS);
}

/* ---- Anomalies ---- */

static const char *an_head[] = {"Sev", "Site", "Kind", "Records", "Value", "Threshold", "Message"};

static void set_value(didq_qtable *t, size_t r, int col, int kind, double v)
{
    const char *unit = didq_anomaly_kind_unit(kind);
    if (strcmp(unit, "share") == 0)
        didq_qtable_set(t, r, col, "%.1f%%", 100.0 * v);
    else if (strcmp(unit, "days") == 0)
        didq_qtable_set(t, r, col, "%.0f days", v);
    else
        didq_qtable_set(t, r, col, "%.0f", v);
}

didq_qtable *didq_query_anomalies_in(const didq_analysis *a, int32_t month)
{
    didq_qtable *t = didq_qtable_new(7, an_head, "lllrrrl");
    /* every month shown: each message says its month ("months:" when it
     * compares months) */
    const int32_t *ml;
    bool several = month == DIDQ_ALLMONTHS && didq_analysis_month_list(a, &ml) > 1;
    size_t total = didq_analysis_count(a);
    const didq_anomaly **by = didq_xcalloc(total ? total : 1, sizeof(const didq_anomaly *));
    size_t n = didq_analysis_by_severity(a, month, by);
    for (size_t i = 0; i < n; i++) {
        const didq_anomaly *an = by[i];
        size_t r = didq_qtable_row(t);
        didq_qtable_set(t, r, 0, "%s", didq_severity_name(an->severity));
        didq_qtable_set(t, r, 1, "%s", an->site);
        didq_qtable_set(t, r, 2, "%s", didq_anomaly_kind_name(an->kind));
        didq_qtable_set(t, r, 3, "%llu", (unsigned long long)an->records);
        set_value(t, r, 4, an->kind, an->value);
        set_value(t, r, 5, an->kind, an->threshold);
        char ym[8] = "";
        if (several && an->month == DIDQ_NOMONTH)
            snprintf(ym, sizeof ym, "months");
        else if (several && an->month == DIDQ_UNDATED_MONTH)
            snprintf(ym, sizeof ym, "undated");
        else if (several)
            didq_month_format(an->month, ym);
        didq_qtable_set(t, r, 6, "%s%s%s", ym, *ym ? ": " : "", an->message ? an->message : "");
        char label[96];
        snprintf(label, sizeof label, "%s %s", didq_anomaly_kind_name(an->kind), an->site);
        for (int c = 0; c < 7 && an->where; c++) {
            didq_qtable_drill(t, r, c, label, "%s", an->where);
            didq_qtable_count(t, r, c, (int64_t)an->records);
        }
        t->mark[r] = an->severity == DIDQ_SEV_HIGH;
    }
    free(by);
    return t;
}

didq_qtable *didq_query_anomalies(const didq_analysis *a)
{
    return didq_query_anomalies_in(a, DIDQ_ALLMONTHS);
}

/* ---- Month-on-month volumes ---- */

static bool volume_kind(int k)
{
    return k == DIDQ_AK_VOLUME_DROP;
}

/* Days d0..d1 of month index mi inside the period. */
static void month_days(didq_period p, int mi, int32_t *d0, int32_t *d1)
{
    int32_t first = didq_date_from_ymd(mi / 12, mi % 12 + 1, 1);
    int32_t last = didq_date_add_months(first, 1) - 1;
    int32_t end = p.day0 + p.ndays - 1;
    *d0 = first > p.day0 ? first : p.day0;
    *d1 = last < end ? last : end;
}

/* A month's cell: the records of its files (when the session has several
 * months) dated in it. */
static void vol_cell(didq_qtable *t, const didq_analysis *a, size_t r, int col,
                     const didq_month_volume *m, didq_period p)
{
    int32_t d0, d1;
    month_days(p, m->month, &d0, &d1);
    didq_qtable_set(t, r, col, "%llu", (unsigned long long)m->records);
    if (!m->records) return;
    char label[64], ym[11];
    didq_date_format(d0, ym);
    snprintf(label, sizeof label, "%s %.7s", m->site ? m->site : "all sites", ym);
    const char *mw = didq_analysis_month_where(a, m->month);
    if (m->site) {
        char *w = didq_coverage_where_in(a, m->month, m->site, d0, d1);
        didq_qtable_drill(t, r, col, label, "%s", w);
        free(w);
    } else {
        didq_qtable_drill(t, r, col, label,
                          "coalesce(site, '') <> '' AND " TEST_DAY " BETWEEN %d AND %d%s%s", d0, d1,
                          mw ? " AND " : "", mw ? mw : "");
    }
    didq_qtable_count(t, r, col, (int64_t)m->records);
}

static void vol_change(didq_qtable *t, size_t r, int col, const didq_month_volume *prev,
                       const didq_month_volume *last)
{
    if (!prev || !last || !prev->records || !prev->days || !last->days) {
        didq_qtable_set(t, r, col, "-");
        return;
    }
    double a = (double)prev->records / prev->days, b = (double)last->records / last->days;
    didq_qtable_set(t, r, col, "%+.1f%%", 100.0 * (b - a) / a);
}

static void vol_heads(didq_volumes *v, const int32_t *months, int n)
{
    memset(v, 0, sizeof *v);
    v->first = months[0], v->nmonths = n;
    v->head[0] = "Site";
    v->align[0] = 'l';
    for (int i = 0; i < n; i++) {
        int mi = v->mi[i] = months[i];
        snprintf(v->month[i], sizeof v->month[i], "%04d-%02d", (mi / 12) % 10000, mi % 12 + 1);
        v->head[1 + i] = v->month[i];
        v->align[1 + i] = 'r';
    }
    v->head[n + 1] = "Change/day";
    v->align[n + 1] = 'r';
}

/* The column of month index mi, or -1. */
static int vol_col(const didq_volumes *v, int mi)
{
    for (int k = 0; k < v->nmonths; k++)
        if (v->mi[k] == mi) return k;
    return -1;
}

/* The test days of the months shown: "TEST_DAY BETWEEN a AND b", one range
 * per run of consecutive months (a month between two reporting months is
 * not shown, so its records are not selected). */
static void days_shown(didq_buf *b, const didq_analysis *a, const didq_volumes *v, didq_period p)
{
    didq_buf_puts(b, "(");
    if (didq_analysis_month_where(a, v->mi[0])) { /* several months: each its files */
        for (int k = 0; k < v->nmonths; k++) {
            int32_t d0, d1;
            month_days(p, v->mi[k], &d0, &d1);
            didq_buf_printf(b, "%s(%s AND " TEST_DAY " BETWEEN %d AND %d)", k ? " OR " : "",
                            didq_analysis_month_where(a, v->mi[k]), d0, d1);
        }
        didq_buf_puts(b, ")");
        return;
    }
    for (int k = 0, first = 1; k < v->nmonths; k++) {
        int e = k;
        while (e + 1 < v->nmonths && v->mi[e + 1] == v->mi[e] + 1)
            e++;
        int32_t d0, d1, e0, e1;
        month_days(p, v->mi[k], &d0, &d1);
        month_days(p, v->mi[e], &e0, &e1);
        didq_buf_printf(b, "%s" TEST_DAY " BETWEEN %d AND %d", first ? "" : " OR ", d0, e1);
        first = 0;
        k = e;
    }
    didq_buf_puts(b, ")");
}

/* The site cell: the site's records over the months shown, n of them. */
static void vol_site(didq_qtable *t, const didq_analysis *a, size_t r, const char *site,
                     const didq_volumes *v, didq_period p, uint64_t n)
{
    didq_buf days = {0};
    days_shown(&days, a, v, p);
    if (site) {
        char *c = didq_site_cond(site);
        char *w = sqlite3_mprintf("%s AND %s", c ? c : "0", days.p);
        didq_qtable_drill(t, r, 0, site, "%s", w ? w : "0");
        sqlite3_free(w);
        sqlite3_free(c);
    } else {
        didq_qtable_drill(t, r, 0, "all sites", "coalesce(site, '') <> '' AND %s", days.p);
    }
    didq_qtable_count(t, r, 0, (int64_t)n);
    didq_buf_free(&days);
}

static bool same_site(const char *x, const char *y)
{
    return x == y || (x && y && strcmp(x, y) == 0);
}

/* One row from the run of volumes of one site starting at rows[i];
 * returns the index after the run. */
static size_t vol_row(didq_qtable *t, const didq_analysis *a, const didq_volumes *v,
                      const didq_month_volume *rows, size_t n, size_t i)
{
    didq_period p = didq_analysis_period(a);
    size_t r = didq_qtable_row(t);
    const char *site = rows[i].site;
    const didq_month_volume *prev = NULL, *last = NULL;
    uint64_t shown = 0;
    didq_qtable_set(t, r, 0, "%s", site ? site : "(all)");
    for (int c = 1; c <= v->nmonths; c++)
        didq_qtable_set(t, r, c, "0");
    for (; i < n && same_site(rows[i].site, site); i++) {
        int k = vol_col(v, rows[i].month);
        if (k < 0) continue;
        vol_cell(t, a, r, 1 + k, &rows[i], p);
        shown += rows[i].records;
        if (k == v->nmonths - 2) prev = &rows[i];
        if (k == v->nmonths - 1) last = &rows[i];
    }
    vol_change(t, r, v->nmonths + 1, prev, last);
    vol_site(t, a, r, site, v, p, shown);
    t->mark[r] = site_flagged(a, site, volume_kind);
    return i;
}

didq_qtable *didq_query_volumes(const didq_analysis *a, didq_volumes *v)
{
    const int32_t *months;
    int nm = didq_analysis_months(a, &months);
    if (nm < 2 || didq_analysis_period(a).ndays == 0) return NULL;
    int skip = nm > DIDQ_VOL_MONTHS ? nm - DIDQ_VOL_MONTHS : 0;
    vol_heads(v, months + skip, nm - skip);
    didq_qtable *t = didq_qtable_new(v->nmonths + 2, v->head, v->align);
    const didq_month_volume *rows;
    size_t n = didq_analysis_volumes(a, &rows);
    for (size_t i = 0; i < n;)
        i = vol_row(t, a, v, rows, n, i);
    return t;
}
