/* tui_analysis.c: the analyses behind panes 7 Timeliness, 8 Coverage and
 * 9 Anomalies are the session's (didq_session_analysis): run once, with
 * the thresholds of --thresholds, or for a saved session without it those
 * it was saved with, and shared by the three panes.  After a load they run
 * beside the end of the load, as in `didq check` (tui_main.c); for a saved
 * session, when a pane first needs them. */
#include "didq/anomaly.h"
#include "tui_int.h"

const didq_analysis *tui_analysis(tui *t)
{
    return didq_session_analysis(t->s);
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
