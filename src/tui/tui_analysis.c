/* tui_analysis.c: the analyses behind panes 7 Timeliness, 8 Coverage and
 * 9 Anomalies: one run of didq_analysis_run per session (the in-memory
 * records when loaded, the records table of a saved session), shared by
 * the three panes and freed when the explorer ends.  After a load they run
 * beside the end of the load, as in `didq check` (session_analyses.c). */
#include "didq/anomaly.h"
#include "tui_int.h"

static didq_analysis_opts options(const tui *t)
{
    didq_analysis_opts o = didq_analysis_defaults();
    if (t->o->thresholds) o.thresholds = *t->o->thresholds;
    o.records = didq_session_recstore(t->s);
    o.refdata = didq_session_refdata(t->s);
    return o;
}

const didq_analysis *tui_analysis(tui *t)
{
    if (!t->an) {
        didq_analysis_opts o = options(t);
        t->an = didq_analysis_run(didq_session_db(t->s), &o);
    }
    return t->an;
}

void tui_finish_analysed(tui *t)
{
    didq_analysis_opts o = options(t);
    t->an = didq_session_finish_analysed(t->s, &o);
}

void tui_analysis_free(tui *t)
{
    didq_analysis_free(t->an);
    t->an = NULL;
}

void tui_drill(tui *t, const char *where, const char *label)
{
    tui_list_arg arg = {where, NULL, -1};
    tui_push(t, &tui_records_ops, &arg, label);
}
