/* tui_pane_anom.c: pane 9: one row per anomaly (anomaly.h), most severe
 * first (didq_analysis_by_severity: severity, site, kind, then the
 * period): severity, site, with several months loaded the month it
 * belongs to ("across" for one that compares months), kind, records,
 * with --notes the records explained (as check counts them), value,
 * threshold, message.  High ones are marked '!'.  The selected anomaly's
 * message (bold) and the description of its kind show below; Enter
 * lists the records behind it, or for identity-conflict and
 * duplicate-suspected opens the patient view on its patients. */
#include "didq/anomaly.h"
#include "didq/month.h"
#include "didq/report.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

/* The body: the grid, a blank line, the DETAIL lines below it (the last
 * one the legend); a page is the grid's rows (the heading aside).  The
 * columns of didq_query_anomalies_in: Month goes in at COL_MONTH,
 * Explained at COL_EXPLAINED (before Month goes in). */
enum { COL_SITE = 1, COL_MONTH = 2, COL_EXPLAINED = 4, DETAIL = 6, PAGE_LESS = DETAIL + 2 };

static const char *head_notes[] = {"Sev",       "Site",  "Kind",      "Records",
                                   "Explained", "Value", "Threshold", "Message"};
static const char *head_month[] = {"Sev",     "Site",  "Month",     "Kind",
                                   "Records", "Value", "Threshold", "Message"};
static const char *head_both[] = {"Sev",       "Site",  "Month",     "Kind",   "Records",
                                  "Explained", "Value", "Threshold", "Message"};

/* The column headed name (the columns depend on the months and notes). */
static int col_of(const didq_qtable *tab, const char *name)
{
    for (int c = 0; c < tab->ncols; c++)
        if (strcmp(tab->head[c], name) == 0) return c;
    return -1;
}

/* The period an anomaly belongs to: its month, "no month" for the files
 * without one (as the header names them), "across" for one that compares
 * months. */
static void set_month(didq_qtable *tab, size_t r, int col, const didq_anomaly *an)
{
    char ym[8];
    if (an->month == DIDQ_NOMONTH)
        didq_qtable_set(tab, r, col, "across");
    else if (an->month == DIDQ_UNDATED_MONTH)
        didq_qtable_set(tab, r, col, "no month");
    else {
        didq_month_format(an->month, ym);
        didq_qtable_set(tab, r, col, "%s", ym);
    }
}

/* The rows are the month's anomalies in the table's order
 * (didq_analysis_by_severity, as didq_query_anomalies_in); with notes
 * Explained after Records, with several months loaded Month after Site. */
static didq_qtable *an_table(tui *t)
{
    const didq_analysis *a = tui_analysis(t);
    int32_t month = tui_analysis_month(t);
    bool months = month != DIDQ_ALLMONTHS;
    didq_qtable *tab = didq_query_anomalies_in(a, month);
    t->anom_rev = t->notes_rev;
    if (t->notes) tab = tui_table_widen(tab, COL_EXPLAINED, 1, head_notes, "lllrrrrl");
    if (months)
        tab = tui_table_widen(tab, COL_MONTH, 1, t->notes ? head_both : head_month,
                              t->notes ? "llllrrrrl" : "llllrrrl");
    if (t->notes || months) {
        size_t total = didq_analysis_count(a);
        const didq_anomaly **by = didq_xcalloc(total ? total : 1, sizeof(const didq_anomaly *));
        size_t n = didq_analysis_by_severity(a, month, by);
        int expl = col_of(tab, "Explained");
        for (size_t r = 0; r < n && r < tab->nrows; r++) {
            if (months) set_month(tab, r, COL_MONTH, by[r]);
            if (expl >= 0)
                didq_qtable_set(tab, r, expl, "%llu",
                                (unsigned long long)didq_rexpl_anomaly(t->notes, by[r]));
        }
        free(by);
    }
    if (t->site[0]) didq_qtable_keep_site(tab, COL_SITE, t->site, NULL);
    return tab;
}

static void detail(tui *t, tui_grid *g, int y)
{
    if (!g->tab->nrows) {
        tui_put(t, y, 2, COLS - 4, "No anomaly: nothing in the distributions per site stands out.",
                A_NORMAL);
        return;
    }
    size_t r = g->order[g->cur];
    int kind = didq_anomaly_kind_find(didq_qtable_cell(g->tab, r, col_of(g->tab, "Kind")));
    tui_wrap(t, y, 2, COLS - 4, 2, 0, didq_qtable_cell(g->tab, r, g->tab->ncols - 1), A_BOLD);
    tui_wrap(t, y + 2, 2, COLS - 4, 3, 0, kind >= 0 ? didq_anomaly_kind_description(kind) : "",
             A_NORMAL);
}

static void an_draw(tui *t, tui_view *v, int y, int h)
{
    tui_grid *g = v->st;
    if (t->anom_rev != t->notes_rev) tui_grid_reload(g, an_table(t));
    int k = tui_site_note(t, y);
    y += k, h -= k;
    tui_grid_draw(t, g, y, h - DETAIL - 1);
    detail(t, g, y + h - DETAIL);
    tui_put(t, y + h - 1, 2, COLS - 4,
            col_of(g->tab, "Month") >= 0
                ? "! high; sorted by severity, site, kind, month; across: compares months"
                : "! high severity; sorted by severity, site, kind; see docs/anomalies.md",
            A_NORMAL);
}

/* Kinds about patients: Enter shows their records patient by patient. */
static bool patient_kind(const tui_grid *g)
{
    int k =
        didq_anomaly_kind_find(didq_qtable_cell(g->tab, g->order[g->cur], col_of(g->tab, "Kind")));
    return k == DIDQ_AK_IDENTITY_CONFLICT || k == DIDQ_AK_DUPLICATE;
}

static bool an_key(tui *t, tui_view *v, tui_action a)
{
    tui_grid *g = v->st;
    if (a == A_enter && g->tab->nrows && patient_kind(g)) {
        size_t r = g->order[g->cur];
        tui_list_arg arg = {.where = g->tab->where[r * (size_t)g->tab->ncols], .count = -1};
        if (arg.where) tui_push(t, &tui_patient_ops, &arg, "Patients");
        return true;
    }
    if (a == A_enter) return tui_grid_drill(t, g, 0);
    if (a == A_note) {
        if (g->tab->nrows) {
            size_t r = g->order[g->cur];
            tui_note_anomaly(t, didq_qtable_cell(g->tab, r, COL_SITE),
                             didq_qtable_cell(g->tab, r, col_of(g->tab, "Kind")));
        }
        return true;
    }
    return tui_grid_key(t, g, a, v->height - PAGE_LESS);
}

const tui_view_ops tui_anom_ops = {
    .name = "Anomalies",
    .ctx = "table anomalies",
    .table = an_table,
    .draw = an_draw,
    .key = an_key,
    .keys = "Enter:records of the anomaly  s:sort  Left/Right:column",
};
