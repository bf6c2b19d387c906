/* report_activity.c: the activity sections of `didq report`'s page
 * (page_int.h): referral-to-test and report turnaround per site and
 * modality, the coverage calendar per site with its gaps, month-on-month
 * volumes and the anomalies, from the session's analyses. */
#include "didq/anomaly.h"
#include "didq/coverage.h"
#include "didq/date.h"
#include "didq/query.h"
#include "didq/session.h"
#include "didq/util.h"
#include "page_int.h"

#include <stdlib.h>
#include <string.h>

/* Bounds on the page's size (a table cut says so under it). */
enum { MAX_ROWS = 500, MAX_CAL_SITES = 100, MAX_GAPS = 12 };

static void timeliness(rdoc *d, const didq_analysis *a)
{
    rdoc_section(d, "timeliness", "Referral-to-test and report turnaround");
    rdoc_para(d, "Days from request to test (RT) and from test to report (TR): median, 90th"
                 " percentile and records without the dates; the overall row first, then each"
                 " site and its modalities. * marks a site with a timeliness anomaly.");
    didq_qtable *t = didq_query_timeliness(a);
    rdoc_qtable(d, "Turnaround per site and modality (days)", t, NULL, 0, MAX_ROWS);
    didq_qtable_free(t);
}

/* A site's gaps: weekdays without records, as dates (at most MAX_GAPS,
 * then how many more). */
static void gap_text(const didq_site_coverage *c, didq_period p, char *buf, size_t cap, int *ngaps)
{
    size_t len = 0;
    int n = 0;
    buf[0] = 0;
    for (int k = 0; k < p.ndays; k++) {
        if (c->count[k] || didq_date_weekday(p.day0 + k) >= 5) continue;
        if (++n > MAX_GAPS) continue;
        char date[11];
        didq_date_format(p.day0 + k, date);
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", n > 1 ? ", " : "", date);
        if (len >= cap) len = cap - 1;
    }
    if (n > MAX_GAPS) snprintf(buf + len, cap - len, " and %d more", n - MAX_GAPS);
    *ngaps = n;
}

static void coverage(rdoc *d, const didq_analysis *a)
{
    rdoc_section(d, "coverage", "Coverage calendar per site");
    didq_period p = didq_analysis_period(a);
    const didq_site_coverage *rows;
    size_t n = didq_analysis_coverage(a, &rows);
    if (!n || p.ndays <= 0) {
        rdoc_para(d, "No dated records: no calendar.");
        return;
    }
    size_t shown = n < MAX_CAL_SITES ? n : MAX_CAL_SITES;
    const char **label = didq_xcalloc(shown, sizeof *label);
    const uint32_t **count = didq_xcalloc(shown, sizeof *count);
    for (size_t i = 0; i < shown; i++) {
        label[i] = rows[i].site;
        count[i] = rows[i].count;
    }
    rsvg_calendar(d, "Records per test day per site; gaps marked", shown, label, p.day0, p.ndays,
                  count);
    if (n > shown && d->html)
        rdoc_para(d, "The calendar shows the first %zu sites of %zu; the table has them all.",
                  shown, n);
    static const char *const head[] = {"Site",      "Records", "Days with records",
                                       "Undated",   "Outside", "Weekdays without records",
                                       "Those days"};
    rdoc_thead(d,
               "Records per site over the reporting period; a gap is a weekday without"
               " records (* a site with gaps)",
               7, head, "lrrrrrl");
    for (size_t i = 0; i < n && i < MAX_ROWS; i++) {
        const didq_site_coverage *c = &rows[i];
        int active = 0, ngaps;
        for (int k = 0; k < p.ndays; k++)
            active += c->count[k] > 0;
        char v[4][32], gaps[512], ng[16];
        snprintf(v[0], sizeof v[0], "%llu", (unsigned long long)c->records);
        snprintf(v[1], sizeof v[1], "%d of %d", active, p.ndays);
        snprintf(v[2], sizeof v[2], "%llu", (unsigned long long)c->undated);
        snprintf(v[3], sizeof v[3], "%llu", (unsigned long long)c->outside);
        gap_text(c, p, gaps, sizeof gaps, &ngaps);
        snprintf(ng, sizeof ng, "%d", ngaps);
        const char *cell[7] = {c->site, v[0], v[1], v[2], v[3], ng, gaps};
        rdoc_trow(d, 7, cell, ngaps > 0);
    }
    rdoc_tend(d);
    if (n > MAX_ROWS) rdoc_para(d, "%zu more sites not shown here.", n - MAX_ROWS);
    free(label);
    free(count);
}

static void months(rdoc *d, const didq_analysis *a)
{
    didq_volumes v;
    didq_qtable *t = didq_query_volumes(a, &v);
    if (!t) return; /* one reporting month: nothing to compare */
    rdoc_section(d, "months", "Month on month");
    rdoc_qtable(d,
                "Records per reporting month per site, and the change in records per day"
                " from the month before the last (* a volume drop)",
                t, NULL, 0, MAX_ROWS);
    didq_qtable_free(t);
}

static void anomalies(rdoc *d, const didq_analysis *a)
{
    rdoc_section(d, "anomalies", "Anomalies");
    didq_qtable *t = didq_query_anomalies(a);
    if (!t->nrows)
        rdoc_para(d, "No anomaly found (docs/anomalies.md lists what is looked for).");
    else
        rdoc_qtable(d, "Anomalies, most severe first (* high)", t, NULL, 0, MAX_ROWS);
    didq_qtable_free(t);
}

void didq_report_activity(rdoc *d, struct didq_session *s)
{
    const didq_analysis *a = didq_session_analysis(s);
    timeliness(d, a);
    coverage(d, a);
    months(d, a);
    anomalies(d, a);
}
