/* tui_month.c: one reporting month at a time.  With two or more months
 * loaded the explorer shows the latest; [ and ] step to the previous and
 * next, and every pane is made again in the new month's scope (query.h,
 * didq_scope).  With one month nothing is scoped.  A site scope (`S`,
 * tui_site.c) stays on when the month changes. */
#include "didq/month.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>

void tui_months_init(tui *t)
{
    t->nmonths = didq_query_months(t->s, &t->months);
    t->month = t->nmonths - 1; /* the latest: DIDQ_NOMONTH sorts first */
    t->sites_month = -2;
    if (t->nmonths < 2) return;
    t->scopes = didq_xcalloc((size_t)t->nmonths, sizeof *t->scopes);
    t->scope = t->mscope = t->scopes[t->month].sc = didq_scope_month(t->s, t->months[t->month]);
}

void tui_months_free(tui *t)
{
    tui_sites_free(t);
    tui_site_free(t);
    for (int i = 0; t->scopes && i < t->nmonths; i++)
        didq_scope_free(t->scopes[i].sc);
    free(t->scopes);
    free(t->months);
    t->scope = t->mscope = NULL;
    t->scopes = NULL;
    t->months = NULL;
    t->nmonths = 0;
}

const char *tui_month_name(const tui *t, char *buf)
{
    buf[0] = 0;
    if (!t->mscope) return buf;
    int32_t m = t->months[t->month];
    if (m == DIDQ_NOMONTH)
        snprintf(buf, 24, "no month");
    else
        didq_month_format(m, buf);
    return buf;
}

bool tui_pane_shown(const tui *t, int pane, int cur)
{
    if (!tui_panes[pane - 1]) return false;
    if (!tui_pane_present(t, pane)) return false;
    return pane != TUI_MONTHS_PANE || t->nmonths > 1 || cur == pane;
}

void tui_month_step(tui *t, int dir)
{
    if (t->nmonths < 2) {
        tui_msg(t, "one reporting month loaded: nothing to step to");
        return;
    }
    int to = t->month + dir;
    if (to < 0 || to >= t->nmonths) {
        tui_msg(t, "no %s month loaded", dir < 0 ? "earlier" : "later");
        return;
    }
    int pane = t->stack[0].pane;
    tui_close_scoped(t);
    t->month = to;
    if (!t->scopes[to].sc) t->scopes[to].sc = didq_scope_month(t->s, t->months[to]);
    t->scope = t->mscope = t->scopes[to].sc;
    tui_site_rescope(t); /* the site shown stays: its records in the new month */
    tui_open_pane(t, pane);
    char ym[24];
    tui_msg(t, "month %s (%d of %d)%s%s", tui_month_name(t, ym), to + 1, t->nmonths,
            t->site[0] ? ", site " : "", t->site);
}
