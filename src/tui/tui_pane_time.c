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

#include <stdlib.h>
#include <string.h>

/* A page: the body less the heading, the distribution's two lines and the
 * legend taken as two lines (its length at 80 columns). */
enum { PAGE_LESS = 5, NBUCKETS = 6 };

typedef struct tl_ref {
    const didq_timeliness *w;
} tl_ref;

typedef struct timeliness {
    tui_grid g;
    tl_ref *rows; /* one per table row, same order */
    size_t nrows;
    bool report; /* distribution shown: test to report (else request to test) */
} timeliness;

static bool same_site(const didq_timeliness *w, const char *site)
{
    return w->site && strcmp(w->site, site) == 0;
}

/* The rows behind the table: in a site scope the site's, its first (all
 * modalities) also in place of the every-site row, as
 * didq_qtable_keep_site makes the table. */
static void tm_open(tui *t, tui_view *v, const void *arg)
{
    timeliness *s = v->st;
    const didq_analysis *a = tui_analysis(t);
    const didq_timeliness *rows;
    size_t n = didq_analysis_timeliness_in(a, tui_analysis_month(t), &rows), first = n;
    didq_qtable *tab = didq_query_timeliness_in(a, tui_analysis_month(t));
    s->rows = didq_xcalloc(n + 2, sizeof *s->rows);
    bool had_all = false;
    for (size_t i = 0; i < n; i++) {
        had_all = had_all || !rows[i].site;
        if (t->site[0] && !same_site(&rows[i], t->site)) continue;
        if (first == n) first = i;
        s->rows[s->nrows++].w = &rows[i];
    }
    if (t->site[0] && had_all && first < n) {
        memmove(s->rows + 1, s->rows, s->nrows * sizeof *s->rows);
        s->rows[0].w = &rows[first];
        s->nrows++;
    }
    if (t->site[0]) didq_qtable_keep_site(tab, 0, t->site, "(all)");
    tui_grid_set(&s->g, tab);
}

static void tm_close(tui_view *v)
{
    timeliness *s = v->st;
    tui_grid_free(&s->g);
    free(s->rows);
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
    const didq_timeliness *w = s->rows[s->g.order[s->g.cur]].w;
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
    int k = tui_site_note(t, y);
    y += k, h -= k;
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

/* `e`: the table as shown (the grid). */
static const didq_qtable *tm_export(tui *t, tui_view *v, const size_t **order, char *name,
                                    size_t cap)
{
    (void)t, (void)name, (void)cap;
    timeliness *s = v->st;
    *order = s->g.order;
    return s->g.tab;
}

const tui_view_ops tui_time_ops = {
    .name = "Timeliness",
    .ctx = "timeliness table",
    .private_size = sizeof(timeliness),
    .open = tm_open,
    .draw = tm_draw,
    .key = tm_key,
    .close = tm_close,
    .export_table = tm_export,
    .keys = "Left/Right:cell  Enter:records of cell  d:distribution  s:sort",
};
