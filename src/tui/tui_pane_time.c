/* tui_pane_time.c: pane 7: timeliness per site and modality: records,
 * median and 90th percentile days from request to test (RT) and from
 * test to report (TR), and the records missing a date; the overall row
 * first, each site before its modalities.  Sites with a timeliness
 * anomaly are marked '!'.  Below, the distribution of the selected row
 * (d switches request-to-test and test-to-report).  Enter on a cell
 * lists its records (on a "miss" cell, the records missing the date). */
#include "didq/modality.h"
#include "didq/timeliness.h"
#include "tui_int.h"

/* A page: the body less the heading, the distribution's two lines and the
 * legend taken as two lines (its length at 80 columns). */
enum { PAGE_LESS = 5, NBUCKETS = 6 };

typedef struct timeliness {
    tui_grid g;
    const didq_timeliness *rows; /* one per table row, same order */
    size_t nrows;
    bool report; /* distribution shown: test to report (else request to test) */
} timeliness;

static void tm_open(tui *t, tui_view *v, const void *arg)
{
    timeliness *s = v->st;
    const didq_analysis *a = tui_analysis(t);
    s->nrows = didq_analysis_timeliness_in(a, tui_analysis_month(t), &s->rows);
    tui_grid_set(&s->g, didq_query_timeliness_in(a, tui_analysis_month(t)));
}

static void tm_close(tui_view *v)
{
    timeliness *s = v->st;
    tui_grid_free(&s->g);
}

/* Intervals of d between days lo and hi (hi < 0: no upper bound). */
static uint64_t bucket(const didq_interval_dist *d, int lo, int hi)
{
    uint64_t n = 0;
    for (int i = lo; i < DIDQ_TL_DAYS && (hi < 0 || i <= hi); i++)
        n += d->hist[i];
    return n;
}

static void bar(tui *t, int y, int x, int w, double share)
{
    char b[64];
    int fill = (int)(share * w + 0.5);
    for (int i = 0; i < w && i < (int)sizeof b - 1; i++)
        b[i] = i < fill ? '#' : '.';
    b[w < (int)sizeof b - 1 ? w : (int)sizeof b - 1] = 0;
    tui_put(t, y, x, w, b, tui_attr(t, S_OK));
}

static void buckets(tui *t, int y, const didq_interval_dist *d)
{
    static const struct {
        const char *name;
        int lo, hi;
    } bk[NBUCKETS] = {{"0d", 0, 0},     {"1d", 1, 1},       {"2-7d", 2, 7},
                      {"8-28d", 8, 28}, {"29-90d", 29, 90}, {"91d+", 91, -1}};
    int bw = (COLS - 4) / NBUCKETS, barw = bw - 13;
    for (int i = 0; i < NBUCKETS; i++) {
        uint64_t n = bucket(d, bk[i].lo, bk[i].hi);
        double share = d->n ? (double)n / (double)d->n : 0;
        char cell[48];
        snprintf(cell, sizeof cell, "%s %.0f%%", bk[i].name, 100 * share);
        int x = 2 + i * bw;
        tui_put(t, y, x, barw >= 3 ? 12 : bw, cell, A_NORMAL);
        if (barw >= 3) bar(t, y, x + 12, barw, share);
    }
}

static void distribution(tui *t, timeliness *s, int y)
{
    if (!s->g.tab->nrows) return;
    const didq_timeliness *w = &s->rows[s->g.order[s->g.cur]];
    const didq_interval_dist *d = s->report ? &w->test_to_report : &w->request_to_test;
    char line[256];
    snprintf(line, sizeof line, "%s, %s%s%s: %llu intervals, %llu missing, %llu wrong order",
             s->report ? "Test to report" : "Request to test", w->site ? w->site : "all sites",
             w->modality >= 0 ? " " : "", w->modality >= 0 ? didq_modality_name(w->modality) : "",
             (unsigned long long)d->n, (unsigned long long)d->missing,
             (unsigned long long)d->negative);
    tui_put(t, y, 2, COLS - 4, line, A_BOLD);
    buckets(t, y + 1, d);
}

static void tm_draw(tui *t, tui_view *v, int y, int h)
{
    timeliness *s = v->st;
    int n = tui_legend(t, y, h,
                       "RT days from request (or received) to test date; TR days from test to"
                       " report\nmed median, p90 90th percentile, miss a date absent;"
                       " ! timeliness anomaly",
                       A_NORMAL);
    tui_grid_draw(t, &s->g, y, h - n - 2);
    distribution(t, s, y + h - n - 2);
}

static bool tm_key(tui *t, tui_view *v, tui_action a)
{
    timeliness *s = v->st;
    if (a == A_dist) {
        s->report = !s->report;
        return true;
    }
    if (a == A_enter) return tui_grid_drill(t, &s->g, s->g.col);
    return tui_grid_key(t, &s->g, a, v->height - PAGE_LESS);
}

const tui_view_ops tui_time_ops = {
    .name = "Timeliness",
    .ctx = "timeliness table",
    .private_size = sizeof(timeliness),
    .open = tm_open,
    .draw = tm_draw,
    .key = tm_key,
    .close = tm_close,
    .keys = "Left/Right:cell  Enter:records of cell  d:distribution  s:sort",
};
