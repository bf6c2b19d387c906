/* tui_analysis.c: the analyses behind panes 7 Timeliness, 8 Coverage and
 * 9 Anomalies are the session's (didq_session_analysis): run once, with
 * the thresholds of --thresholds, or for a saved session without it those
 * it was saved with, and shared by the three panes.  After a load they run
 * beside the end of the load, as in `didq check` (tui_main.c); for a saved
 * session, when a pane first needs them.  In a site scope the panes read
 * the site's own analyses instead (didq_scope_analysis): those of its
 * records loaded alone, as `check --site` makes them, made when a pane
 * first asks and kept while the site is shown (every month's). */
#include "didq/anomaly.h"
#include "tui_int.h"

const didq_analysis *tui_analysis_all(tui *t)
{
    return didq_session_analysis(t->s);
}

const didq_analysis *tui_analysis(tui *t)
{
    if (!t->site[0] || tui_site_group(t)) return tui_analysis_all(t);
    if (!t->site_an_made) {
        t->site_an = didq_scope_analysis(t->s, t->site);
        t->site_an_made = true;
    }
    return t->site_an ? t->site_an : tui_analysis_all(t);
}

void tui_analysis_drop(tui *t)
{
    didq_analysis_free(t->site_an);
    t->site_an = NULL;
    t->site_an_made = false;
}

int32_t tui_analysis_month(const tui *t)
{
    if (!t->mscope) return DIDQ_ALLMONTHS;
    int32_t m = didq_scope_month_of(t->mscope);
    return m == DIDQ_NOMONTH ? DIDQ_UNDATED_MONTH : m;
}

void tui_drill(tui *t, const char *where, const char *label)
{
    tui_list_arg arg = {.where = where, .count = -1};
    tui_push(t, &tui_records_ops, &arg, label);
}
