/* tui_pane_months.c: pane 0, Months: per site and reporting month, the
 * figures of didq_query_site_months (query.h), each marked '*' where it
 * changed significantly from the site's previous month.  Enter lists the
 * records of that site in that month. */
#include "tui_int.h"

/* A page: the body less the heading, a blank line and the legend. */
enum { PAGE_LESS = 5 };

static const char legend[] =
    "* = changed from the site's previous month: records per weekday by 30 % or more, a share"
    " by 10 points or more, a median by 50 % or more, anomalies up. Rec/wkday: records per"
    " Monday-to-Friday day of the month; Req-test, Test-rep: median days.";

static didq_qtable *mo_table(tui *t)
{
    didq_qtable *tab = didq_query_site_months(t->s, tui_analysis(t));
    if (t->site[0]) didq_qtable_keep_site(tab, 0, t->site, NULL); /* its rows, every month */
    return tab;
}

static void mo_draw(tui *t, tui_view *v, int y, int h)
{
    int n = tui_legend(t, y, h, legend, A_NORMAL);
    tui_grid *g = v->st;
    g->keys = 2; /* Site and Month: a row is a site in a month */
    tui_grid_draw(t, g, y, h - n - 1);
}

static bool mo_key(tui *t, tui_view *v, tui_action a)
{
    tui_grid *g = v->st;
    if (a == A_enter) return tui_grid_drill(t, g, 0);
    return tui_grid_key(t, g, a, v->height - PAGE_LESS);
}

const tui_view_ops tui_months_ops = {
    .name = "Months",
    .tabkey = "0",
    .ctx = "table",
    .table = mo_table,
    .draw = mo_draw,
    .key = mo_key,
    .keys = "Enter:site's records that month  s:sort",
};
