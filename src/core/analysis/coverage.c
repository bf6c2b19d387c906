/* coverage.c: records per site per test day, activity gaps and
 * month-on-month volume drops (seed 003 4.2 and 4.3.2 a), over the files'
 * reporting months only (month.h): a test date in another month is
 * counted as outside, not charted, compared or judged. */
#include "anomaly_int.h"
#include "didq/date.h"
#include "didq/month.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

/* The test date's day column in the records table. */
#define TEST_DAY DIDQ_COL_D(DIDQ_TEST_DATE)

enum { AN_PERIOD_MAX = 1100 };

didq_period didq_analysis_period(const didq_analysis *a)
{
    return a->period;
}

int didq_analysis_months(const didq_analysis *a, const int32_t **months)
{
    *months = a->months;
    return a->nmonths;
}

static bool reporting_month(const didq_analysis *a, int mi)
{
    for (int i = 0; i < a->nmonths; i++)
        if (a->months[i] == mi) return true;
    return false;
}

static int32_t month_first_day(int mi)
{
    return didq_date_from_ymd(mi / 12, mi % 12 + 1, 1);
}

size_t didq_analysis_coverage(const didq_analysis *a, const didq_site_coverage **rows)
{
    *rows = a->cov;
    return a->ncov;
}

size_t didq_analysis_volumes(const didq_analysis *a, const didq_month_volume **rows)
{
    *rows = a->vol;
    return a->nvol;
}

char *didq_coverage_where(const char *site, int32_t d0, int32_t d1)
{
    char *c = didq_site_cond(site);
    char *s = sqlite3_mprintf("%s AND " TEST_DAY " BETWEEN %d AND %d", c ? c : "0", d0, d1);
    char *out = didq_strdup(s ? s : "0");
    sqlite3_free(c);
    sqlite3_free(s);
    return out;
}

/* The period: the first day of the first reporting month to the last
 * day of the last (its last AN_PERIOD_MAX days when longer), and per day
 * whether it is in a reporting month (months between two reporting
 * months are not). */
static unsigned char *build_period(didq_analysis *a)
{
    didq_period *p = &a->period;
    if (a->nmonths) {
        int32_t lo = month_first_day(a->months[0]);
        int32_t hi = month_first_day(a->months[a->nmonths - 1] + 1) - 1;
        p->day0 = hi - lo >= AN_PERIOD_MAX ? hi - AN_PERIOD_MAX + 1 : lo;
        p->ndays = hi - p->day0 + 1;
    }
    unsigned char *in = didq_xcalloc((size_t)p->ndays + 1, 1);
    for (int d = 0; d < p->ndays; d++)
        in[d] = reporting_month(a, didq_date_month_index(p->day0 + d));
    return in;
}

/* A month's per-site day counts over its days; the rest of a site's
 * dated records are outside it. */
static void month_coverage(didq_analysis *a, an_month *m)
{
    const didq_period *p = &m->period;
    m->total = didq_xcalloc((size_t)p->ndays + 1, sizeof *m->total);
    m->cov = didq_xcalloc(m->nsites + 1, sizeof *m->cov);
    for (size_t i = 0; i < m->nsites; i++) {
        an_site *s = &a->sites[m->site0 + i];
        uint32_t *c = didq_xcalloc((size_t)p->ndays + 1, sizeof *c);
        uint64_t outside = s->outside;
        for (int k = 0; k < s->ndays; k++) {
            int d = s->base + k - p->day0;
            if (d >= 0 && d < p->ndays)
                c[d] = s->day[k], m->total[d] += s->day[k];
            else
                outside += s->day[k];
        }
        m->cov[i] = (didq_site_coverage){s->code, s->n, c, s->undated, outside};
    }
}

/* The whole session's period and per-site-code day counts on it: the
 * months' counts summed (a record of a month's file dated in another
 * month is outside, as in its month). */
static void whole_coverage(didq_analysis *a)
{
    unsigned char *in = build_period(a);
    didq_period *p = &a->period;
    if (a->nmon == 1) {
        a->total = a->mon[0].total;
        a->cov = a->mon[0].cov;
        a->ncov = a->mon[0].nsites;
        free(in);
        return;
    }
    a->total = didq_xcalloc((size_t)p->ndays + 1, sizeof *a->total);
    a->cov = didq_xcalloc(a->nucodes + 1, sizeof *a->cov);
    a->ncov = a->nucodes;
    for (size_t u = 0; u < a->nucodes; u++)
        a->cov[u] = (didq_site_coverage){
            a->ucodes[u].code, 0, didq_xcalloc((size_t)p->ndays + 1, sizeof(uint32_t)), 0, 0};
    for (int k = 0; k < a->nmon; k++) {
        const an_month *m = &a->mon[k];
        for (size_t i = 0; i < m->nsites; i++) {
            const didq_site_coverage *mc = &m->cov[i];
            didq_site_coverage *c = &a->cov[a->sites[m->site0 + i].ucode];
            uint32_t *cnt = (uint32_t *)c->count;
            c->records += mc->records;
            c->undated += mc->undated;
            c->outside += mc->outside;
            for (int j = 0; j < m->period.ndays; j++) {
                int d = m->period.day0 + j - p->day0;
                if (d >= 0 && d < p->ndays && in[d])
                    cnt[d] += mc->count[j], a->total[d] += mc->count[j];
                else
                    c->outside += mc->count[j];
            }
        }
    }
    free(in);
}

int an_cmp_u32(const void *x, const void *y)
{
    uint32_t p = *(const uint32_t *)x, q = *(const uint32_t *)y;
    return (p > q) - (p < q);
}

/* The weekday total that half the records see a day at least as busy as
 * (a median weighted by records), so a few stray dates far from the
 * month (defective test dates) cannot pull the level of activity down. */
static uint32_t weighted_median(uint32_t *t, int n)
{
    uint64_t sum = 0, run = 0;
    qsort(t, (size_t)n, sizeof *t, an_cmp_u32);
    for (int i = 0; i < n; i++)
        sum += t[i];
    for (int i = 0; i < n; i++)
        if ((run += t[i]) * 2 >= sum) return t[i];
    return 0;
}

/* Weekdays of the period on which the files show activity: a total of
 * at least a fifth of the weighted median weekday total.  Returns their
 * count. */
static int active_weekdays(const an_month *m, int *w)
{
    int n = 0;
    const didq_period *p = &m->period;
    uint32_t *t = didq_xcalloc((size_t)p->ndays + 1, sizeof *t);
    for (int d = 0; d < p->ndays; d++)
        if (didq_date_weekday(p->day0 + d) < 5 && m->total[d]) t[n++] = m->total[d];
    uint32_t floor = weighted_median(t, n) / 5;
    free(t);
    n = 0;
    for (int d = 0; d < p->ndays; d++)
        if (didq_date_weekday(p->day0 + d) < 5 && m->total[d] && m->total[d] >= floor) w[n++] = d;
    return n;
}

static void gap_anomaly(didq_analysis *a, an_site *s, const uint32_t *c, const int *w, int nw,
                        int from, int len, uint32_t typical)
{
    int32_t d0 = a->mon[s->part].period.day0;
    int before = from > 0 ? w[from - 1] : w[from],
        after = from + len < nw ? w[from + len] : w[from];
    uint64_t border = (from > 0 ? c[before] : 0) + (from + len < nw ? c[after] : 0);
    didq_anomaly *an = an_add(a, DIDQ_AK_ACTIVITY_GAP, s, len,
                              a->o.thresholds.k[DIDQ_AK_ACTIVITY_GAP].threshold, border);
    an->day0 = d0 + w[from];
    an->day1 = d0 + w[from + len - 1];
    char b0[11], b1[11];
    didq_date_format(an->day0, b0);
    didq_date_format(an->day1, b1);
    an_set_message(an,
                   "no records on %d weekdays from %s to %s (about %llu records missing:"
                   " %d x the site's median day of %u); drill-down: the days either side",
                   len, b0, b1, (unsigned long long)typical * (unsigned long long)len, len,
                   typical);
    an_set_where(an, "site = %Q AND " AN_SITE_OK " AND " TEST_DAY " IN (%d, %d)", s->code,
                 d0 + before, d0 + after);
}

/* The site's typical records per weekday: the median over the active
 * weekdays outside its gaps (runs of at least min_run empty days), so that
 * a few heavy days (a default test date) do not swell the estimate. */
static uint32_t typical_day(const uint32_t *c, const int *w, int nw, double min_run)
{
    uint32_t *v = didq_xcalloc((size_t)nw + 1, sizeof *v);
    int n = 0;
    for (int i = 0, run = 0; i <= nw; i++) {
        if (i < nw && !c[w[i]]) {
            run++;
            continue;
        }
        for (int k = run < min_run ? run : 0; k > 0; k--)
            v[n++] = 0;
        run = 0;
        if (i < nw) v[n++] = c[w[i]];
    }
    qsort(v, (size_t)n, sizeof *v, an_cmp_u32);
    uint32_t med = n ? v[n / 2] : 0;
    free(v);
    return med;
}

static void site_gaps(didq_analysis *a, an_site *s, const uint32_t *c, const int *w, int nw)
{
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_ACTIVITY_GAP];
    int active = 0, gapdays = 0;
    for (int i = 0, run = 0; i <= nw; i++) {
        if (i < nw && !c[w[i]]) {
            run++;
            continue;
        }
        gapdays += run >= th->threshold ? run : 0;
        run = 0;
        if (i < nw) active++;
    }
    if (!gapdays || nw == gapdays || (double)active / (nw - gapdays) < th->limit) return;
    uint32_t typical = typical_day(c, w, nw, th->threshold);
    for (int i = 0, run = 0; i <= nw; i++) {
        if (i < nw && !c[w[i]]) {
            run++;
            continue;
        }
        if (run >= th->threshold) gap_anomaly(a, s, c, w, nw, i - run, run, typical);
        run = 0;
    }
}

/* ---- volumes: every month ---- */

typedef struct month {
    int index;
    int32_t first, last; /* days of the month inside the period */
    int weekdays;
    uint64_t total;
    int complete;
} month;

static int build_months(const didq_analysis *a, month *m, int cap)
{
    int n = 0;
    for (int d = 0; d < a->period.ndays; d++) {
        int32_t day = a->period.day0 + d;
        int mi = didq_date_month_index(day);
        if (!reporting_month(a, mi)) continue;
        if (!n || m[n - 1].index != mi) {
            if (n == cap) break;
            m[n++] = (month){.index = mi, .first = day};
        }
        m[n - 1].last = day;
        m[n - 1].weekdays += didq_date_weekday(day) < 5;
        m[n - 1].total += a->total[d];
    }
    uint64_t max = 0;
    for (int i = 0; i < n; i++)
        max = m[i].total > max ? m[i].total : max;
    for (int i = 0; i < n; i++)
        m[i].complete = m[i].weekdays && 2 * m[i].total >= max;
    return n;
}

static uint64_t month_count(const didq_analysis *a, const uint32_t *c, const month *m)
{
    uint64_t n = 0;
    for (int32_t d = m->first; d <= m->last; d++)
        n += c[d - a->period.day0];
    return n;
}

/* The condition of a month's files (didq_analysis_month_where). */
static const char *files_of(const didq_analysis *a, int mi)
{
    const char *w = didq_analysis_month_where(a, mi);
    return w ? w : "1";
}

/* volume-drop compares months: its month is DIDQ_NOMONTH, and its records
 * are those of the site's later month (its files, dated in it). */
static void site_drops(didq_analysis *a, const char *code, const uint32_t *c, const month *m,
                       int nm)
{
    an_site s = {.code = (char *)code};
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_VOLUME_DROP];
    for (int i = 1; i < nm; i++) {
        if (!m[i].complete || !m[i - 1].complete) continue;
        uint64_t prev = month_count(a, c, &m[i - 1]), cur = month_count(a, c, &m[i]);
        if (!an_judged(a, DIDQ_AK_VOLUME_DROP, prev)) continue;
        double rp = (double)prev / m[i - 1].weekdays, rc = (double)cur / m[i].weekdays;
        double drop = 1.0 - rc / rp;
        if (drop < th->threshold) continue;
        char p[16];
        didq_anomaly *an = an_add(a, DIDQ_AK_VOLUME_DROP, &s, drop, th->threshold, cur);
        an->month = DIDQ_NOMONTH;
        an->day0 = m[i].first, an->day1 = m[i].last;
        an_set_message(an,
                       "records per weekday fall by %s from %04d-%02d (%llu records) to"
                       " %04d-%02d (%llu records)",
                       an_pct(drop, p, sizeof p), m[i - 1].index / 12, m[i - 1].index % 12 + 1,
                       (unsigned long long)prev, m[i].index / 12, m[i].index % 12 + 1,
                       (unsigned long long)cur);
        an_set_where(an, "site = %Q AND " AN_SITE_OK " AND %s AND " TEST_DAY " BETWEEN %d AND %d",
                     code, files_of(a, m[i].index), m[i].first, m[i].last);
    }
}

static void build_volumes(didq_analysis *a, const month *m, int nm)
{
    a->vol = didq_xcalloc((a->ncov + 1) * (size_t)nm + 1, sizeof *a->vol);
    for (size_t i = 0; i <= a->ncov; i++)
        for (int k = 0; k < nm; k++) {
            uint64_t n = i ? month_count(a, a->cov[i - 1].count, &m[k]) : m[k].total;
            a->vol[a->nvol++] = (didq_month_volume){i ? a->cov[i - 1].site : NULL, m[k].index, n,
                                                    m[k].last - m[k].first + 1};
        }
}

/* A month's activity gaps. */
static void month_gaps(didq_analysis *a, an_month *m)
{
    int *w = didq_xcalloc((size_t)m->period.ndays + 1, sizeof *w);
    int nw = active_weekdays(m, w);
    for (size_t i = 0; i < m->nsites; i++) {
        an_site *s = &a->sites[m->site0 + i];
        if (an_judged(a, DIDQ_AK_ACTIVITY_GAP, s->n)) site_gaps(a, s, m->cov[i].count, w, nw);
    }
    free(w);
}

void an_coverage(didq_analysis *a)
{
    for (int k = 0; k < a->nmon; k++) {
        month_coverage(a, &a->mon[k]);
        month_gaps(a, &a->mon[k]);
    }
    whole_coverage(a);
    month m[40];
    int nm = build_months(a, m, 40);
    for (size_t i = 0; i < a->ncov; i++)
        site_drops(a, a->cov[i].site, a->cov[i].count, m, nm);
    build_volumes(a, m, nm);
}
