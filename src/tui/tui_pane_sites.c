/* tui_pane_sites.c: pane 12 (key W), Sites: per site of the month shown,
 * the figures of didq_query_sites_in (query.h): records, with errors and
 * with warnings and their shares, mandatory items' completeness, the 07
 * share, anomalies and the DQMI-style (local) score, most records first.
 * Left/Right move the column, s sorts by it (again: reverse), Enter lists
 * the site's records.  The table is made once per month and shared with the
 * Overview's per-site table (tui_sites_table). */
#include "didq/dqmi.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A page: the body less the heading, a blank line and the legend. */
enum { PAGE_LESS = 5, COL_RECORDS = 1 };

static const char legend[] =
    "Err %, Warn %: records with an error, a warning, of the site's records. Mand %: mandatory"
    " items filled, mean (NICIP or SNOMED CT as one). 07 %: source setting 07 (other)."
    " Anomalies: the site's in the month. DQMI-style (local): didq's score, not NHS England's.";

/* The session's score and, in the same passes, each month's (with
 * several months loaded), made once: a month stepped to costs none. */
const didq_dqmi *tui_dqmi(tui *t)
{
    if (t->dqmi) return t->dqmi;
    int n = t->scopes ? t->nmonths : 0;
    didq_dqmi **per = didq_xcalloc((size_t)n + 1, sizeof(void *)); /* pointers */
    t->dqmi = didq_dqmi_compute_months(t->s, t->o->dqmi, t->months, n, per);
    for (int k = 0; k < n; k++)
        t->scopes[k].sites.dqmi = per[k];
    free(per);
    return t->dqmi;
}

didq_qtable *tui_sites_table(tui *t)
{
    tui_sites_cache *c = t->mscope ? &t->scopes[t->month].sites : &t->sites;
    /* in a month, the month's score; else the session's */
    const didq_dqmi *d = tui_dqmi(t);
    if (t->mscope) d = c->dqmi;
    if (!c->table) c->table = didq_query_sites_in(t->s, t->mscope, tui_analysis_all(t), d);
    if (!t->site[0]) return c->table;
    /* a site scope: the month's table made again (its per-site pass is the
     * scope's, kept) and cut to the site's row, its anomalies the site's
     * own (tui_analysis: as if loaded alone) */
    if (!c->site_table || strcmp(c->site, t->site) != 0) {
        didq_qtable_free(c->site_table);
        c->site_table = didq_query_sites_in(t->s, t->mscope, tui_analysis(t), d);
        didq_qtable_keep_site(c->site_table, 0, t->site, NULL);
        snprintf(c->site, sizeof c->site, "%s", t->site);
    }
    return c->site_table;
}

static void cache_free(tui_sites_cache *c)
{
    didq_dqmi_free(c->dqmi);
    didq_qtable_free(c->table);
    didq_qtable_free(c->site_table);
    c->dqmi = NULL;
    c->table = NULL;
    c->site_table = NULL;
}

void tui_sites_free(tui *t)
{
    for (int i = 0; t->scopes && i < t->nmonths; i++)
        cache_free(&t->scopes[i].sites);
    cache_free(&t->sites);
    didq_dqmi_free(t->dqmi);
    t->dqmi = NULL;
}

static void si_open(tui *t, tui_view *v, const void *arg)
{
    (void)arg;
    tui_grid *g = v->st;
    tui_grid_set(g, tui_sites_table(t));
    tui_grid_sort(g, COL_RECORDS, true); /* most records first, ties by site code */
}

static void si_close(tui_view *v)
{
    tui_grid *g = v->st;
    g->tab = NULL; /* the table is the cache's */
    tui_grid_free(g);
}

static void si_draw(tui *t, tui_view *v, int y, int h)
{
    int n = tui_legend(t, y, h, legend, A_NORMAL);
    tui_grid_draw(t, v->st, y, h - n - 1);
}

static bool si_key(tui *t, tui_view *v, tui_action a)
{
    tui_grid *g = v->st;
    if (a == A_enter) return tui_grid_drill(t, g, 0);
    return tui_grid_key(t, g, a, v->height - PAGE_LESS);
}

static const didq_qtable *si_export(tui *t, tui_view *v, const size_t **order, char *name,
                                    size_t cap)
{
    (void)t, (void)name, (void)cap;
    tui_grid *g = v->st;
    *order = g->order;
    return g->tab;
}

const tui_view_ops tui_sites_ops = {
    .name = "Sites",
    .tabkey = "W",
    .ctx = "table",
    .private_size = sizeof(tui_grid),
    .open = si_open,
    .draw = si_draw,
    .key = si_key,
    .close = si_close,
    .export_table = si_export,
    .keys = "Left/Right:column  s:sort  Enter:site's records  e:export",
};
