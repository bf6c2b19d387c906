/* tui_pane_overview.c: pane 1: the month at a glance: files and verdicts,
 * the reporting month and the records dated outside it, errors and
 * warnings, the five rules that fail most, records per site and a
 * completeness summary, the DQMI-style (local) score.  Up/Down walks through
 * the three tables; Left/Right move the column of the one with the cursor
 * and s sorts by it; Enter lists the records behind a row; e exports the
 * table with the cursor as CSV.  The per-site table is the Sites pane's
 * (tui_pane_sites.c): on a narrow screen its columns scroll, '>' marking
 * those off screen. */
#include "didq/date.h"
#include "didq/dqmi.h"
#include "tui_int.h"

#include <stdio.h>
#include <string.h>

enum { SEC_FILES, SEC_RULES, SEC_SITES, NSEC };

typedef struct overview {
    didq_overview ov;
    tui_grid g[NSEC];
    int sec;
    int rows[NSEC]; /* rows shown per table at the last draw */
    char dqmi[256]; /* the DQMI-style (local) line (didq_dqmi_line) */
    bool computing; /* the per-site table and the line wait for the analyses */
} overview;

/* In a site scope, the site's score (of every month loaded: the line
 * says so with several); none for the invalid-site group, whose codes
 * are scored apart. */
static void site_dqmi(tui *t, overview *o, const didq_dqmi *d)
{
    for (size_t i = 0; i < d->nsites; i++)
        if (d->sites[i].site && strcmp(d->sites[i].site, t->site) == 0) {
            didq_dqmi one = *d;
            one.overall = d->sites[i];
            size_t k = (size_t)snprintf(o->dqmi, sizeof o->dqmi, "Site %s%s: ", t->site,
                                        t->mscope ? ", all months" : "");
            didq_dqmi_line(&one, o->dqmi + k, sizeof o->dqmi - k);
            return;
        }
    snprintf(o->dqmi, sizeof o->dqmi,
             "DQMI-style (local): not scored for %s (the score is per site code)", t->site);
}

/* The per-site table and the score count anomalies: while the analyses
 * run (tui_background.c) the table is an empty one of its own, drawn as
 * "computing", and so is the line; tui_overview_fill puts them in. */
static void late_parts(tui *t, overview *o)
{
    if (t->computing) {
        o->computing = true;
        static const char *head[] = {"Site"};
        tui_grid_set(&o->g[SEC_SITES], didq_qtable_new(1, head, "l"));
        snprintf(o->dqmi, sizeof o->dqmi,
                 "DQMI-style (local): computing (it counts anomalies; the analyses are running)");
        return;
    }
    /* the sites: the Sites pane's table of the month (tui_sites_table, not
     * the grid's), most records first */
    tui_grid_set(&o->g[SEC_SITES], tui_sites_table(t));
    tui_grid_sort(&o->g[SEC_SITES], 1, true);
    /* The score is the session's (coverage counts its months): with one
     * month shown of several, the line says so (the per-site column is the
     * month's). */
    const didq_dqmi *d = tui_dqmi(t);
    if (t->site[0]) {
        site_dqmi(t, o, d);
    } else {
        size_t k = (size_t)snprintf(o->dqmi, sizeof o->dqmi, "%s", t->mscope ? "All months: " : "");
        didq_dqmi_line(d, o->dqmi + k, sizeof o->dqmi - k);
    }
}

static void ov_open(tui *t, tui_view *v, const void *arg)
{
    (void)arg;
    overview *o = v->st;
    didq_query_overview_nosites(t->s, t->scope, &o->ov); /* the sites: tui_sites_table */
    tui_grid_set(&o->g[SEC_FILES], o->ov.files_tab);
    tui_grid_set(&o->g[SEC_RULES], o->ov.top_rules);
    o->ov.files_tab = o->ov.top_rules = NULL; /* the grids own them */
    late_parts(t, o);
    for (int i = 0; i < NSEC; i++)
        o->g[i].cur = (size_t)-1;
    o->g[0].cur = 0;
}

void tui_overview_fill(tui *t, tui_view *v)
{
    overview *o = v->st;
    if (!o->computing || t->computing) return;
    tui_grid_free(&o->g[SEC_SITES]); /* the empty table, its own */
    o->computing = false;
    late_parts(t, o);
    o->g[SEC_SITES].cur = o->sec == SEC_SITES ? 0 : (size_t)-1;
}

static void ov_close(tui_view *v)
{
    overview *o = v->st;
    if (!o->computing) o->g[SEC_SITES].tab = NULL; /* the cache's (tui_sites_table) */
    for (int i = 0; i < NSEC; i++)
        tui_grid_free(&o->g[i]);
    didq_overview_free(&o->ov);
}

/* The reporting month(s) and the records; then the records not dated in
 * them, always said, however few. */
static int month_lines(tui *t, const didq_overview *ov, int y)
{
    char line[512];
    bool one = ov->nmonths == 1;
    snprintf(line, sizeof line, "Reporting month%s %s   Records %llu", ov->nmonths > 1 ? "s" : "",
             ov->nmonths   ? ov->months
             : ov->records ? "- (no valid test date)"
                           : "- (no records)",
             (unsigned long long)ov->records);
    tui_put(t, y, 2, COLS - 4, line, A_BOLD);
    snprintf(line, sizeof line, "Records dated outside %s: %llu   %s valid test date: %llu",
             one ? ov->months : "their file's month", (unsigned long long)ov->outside_month,
             one ? "with no" : "no", (unsigned long long)ov->no_test_date);
    tui_put(t, y + 1, 2, COLS - 4, line,
            ov->outside_month || ov->no_test_date ? tui_attr(t, S_WARN) : A_NORMAL);
    return 2;
}

static int summary(tui *t, overview *o, int y)
{
    char line[256];
    const didq_overview *ov = &o->ov;
    y += month_lines(t, ov, y);
    snprintf(line, sizeof line,
             "With errors %llu (%.1f%%)   with warnings %llu (%.1f%%)   files rejected %d of %d",
             (unsigned long long)ov->err_records,
             ov->records ? 100.0 * (double)ov->err_records / (double)ov->records : 0,
             (unsigned long long)ov->warn_records,
             ov->records ? 100.0 * (double)ov->warn_records / (double)ov->records : 0,
             ov->files_rejected, ov->files);
    tui_put(t, y, 2, COLS - 4, line, ov->err_records ? tui_attr(t, S_ERROR) : A_NORMAL);
    snprintf(line, sizeof line, "Completeness (pane 2): mandatory items filled %.1f%% on average",
             ov->mandatory_filled);
    if (!ov->records) /* nothing is filled or blank */
        snprintf(line, sizeof line, "Completeness (pane 2): no records, no item filled or blank");
    tui_put(t, y + 1, 2, COLS - 4, line, A_NORMAL);
    int n = snprintf(line, sizeof line, "Least filled of all items:%s", ov->records ? "" : " -");
    for (int i = 0; ov->records && i < ov->nworst && n > 0 && (size_t)n < sizeof line; i++)
        n += snprintf(line + n, sizeof line - (size_t)n, "%s %s %.1f%%", i ? "," : "",
                      ov->worst[i].name, ov->worst[i].filled);
    tui_put(t, y + 2, 2, COLS - 4, line, A_NORMAL);
    snprintf(line, sizeof line, "%d item%s more than 5 points below the national 2024/25 figure",
             ov->items_below, ov->items_below == 1 ? "" : "s");
    tui_put(t, y + 3, 2, COLS - 4, line, ov->items_below ? tui_attr(t, S_WARN) : A_NORMAL);
    tui_put(t, y + 4, 2, COLS - 4, o->dqmi, A_NORMAL);
    return 8; /* the two month lines, five more, a blank line */
}

/* Rows of each table that fit in h lines (a title, a heading and a blank
 * line around each): one each first, then one more to each in turn while
 * a table has rows left, so that no table is crowded out; the tables
 * scroll through the rest. */
static void layout(const overview *o, int h, int rows[NSEC])
{
    int budget = h - 3 * NSEC + 1, want[NSEC];
    for (int s = 0; s < NSEC; s++) {
        want[s] = o->g[s].tab->nrows ? (int)o->g[s].tab->nrows : 1; /* "(none)" */
        rows[s] = 0;
    }
    for (bool more = true; more && budget > 0;) {
        more = false;
        for (int s = 0; s < NSEC && budget > 0; s++)
            if (rows[s] < want[s]) rows[s]++, budget--, more = true;
    }
    for (int s = 0; s < NSEC; s++)
        rows[s] = rows[s] ? rows[s] : 1;
}

/* A table with its title and rows data rows; returns the lines used. */
static int section(tui *t, overview *o, int s, const char *title, int y, int rows)
{
    tui_put(t, y, 0, COLS, title, tui_attr(t, S_TITLE));
    tui_grid *g = &o->g[s];
    if (s == SEC_SITES && o->computing) {
        tui_put(t, y + 1, 2, COLS - 4,
                "computing (the per-site figures count anomalies; the analyses are running)",
                A_NORMAL);
        o->rows[s] = 0;
        return rows + 3;
    }
    rows++; /* the heading */
    size_t saved = g->cur;
    if (s != o->sec)
        g->cur = (size_t)-1; /* no cursor outside the focused table */
    else if (g->cur == (size_t)-1)
        g->cur = 0;
    size_t top = g->top;
    tui_grid_draw(t, g, y + 1, rows);
    if (s != o->sec) g->cur = saved, g->top = top;
    o->rows[s] = rows - 1;
    return rows + 2;
}

static void ov_draw(tui *t, tui_view *v, int y, int h)
{
    overview *o = v->st;
    int end = y + h, rows[NSEC];
    y += summary(t, o, y);
    layout(o, end - y, rows);
    y += section(t, o, SEC_FILES, " Files", y, rows[SEC_FILES]);
    y += section(t, o, SEC_RULES, " Rules that fail most", y, rows[SEC_RULES]);
    section(t, o, SEC_SITES, " Sites (W: the Sites pane)", y, rows[SEC_SITES]);
}

static bool ov_move(overview *o, int dir)
{
    tui_grid *g = &o->g[o->sec];
    size_t n = g->tab->nrows;
    if (dir > 0 && n && g->cur + 1 < n) return g->cur++, true;
    if (dir < 0 && g->cur > 0 && g->cur != (size_t)-1) return g->cur--, true;
    for (int s = o->sec + dir; s >= 0 && s < NSEC; s += dir)
        if (o->g[s].tab->nrows) {
            o->sec = s;
            o->g[s].cur = dir > 0 ? 0 : o->g[s].tab->nrows - 1;
            return true;
        }
    return true;
}

static bool ov_key(tui *t, tui_view *v, tui_action a)
{
    overview *o = v->st;
    if (a == A_down || a == A_up) return ov_move(o, a == A_down ? 1 : -1);
    if (a == A_home || a == A_end) {
        o->sec = a == A_home ? SEC_FILES : SEC_SITES;
        o->g[o->sec].cur = a == A_home ? 0 : o->g[o->sec].tab->nrows - 1;
        return true;
    }
    if (a == A_enter || a == A_sort || a == A_pgdn || a == A_pgup || a == A_left || a == A_right)
        return tui_grid_key(t, &o->g[o->sec], a, o->rows[o->sec] > 0 ? o->rows[o->sec] : 1);
    return a == A_click;
}

/* `e`: the table with the cursor. */
static const didq_qtable *ov_export(tui *t, tui_view *v, const size_t **order, char *name,
                                    size_t cap)
{
    (void)t;
    static const char *sec_name[NSEC] = {"files", "rules", "sites"};
    overview *o = v->st;
    snprintf(name, cap, "Overview %s", sec_name[o->sec]);
    *order = o->g[o->sec].order;
    return o->g[o->sec].tab;
}

const tui_view_ops tui_overview_ops = {
    .name = "Overview",
    .ctx = "table",
    .private_size = sizeof(overview),
    .open = ov_open,
    .draw = ov_draw,
    .key = ov_key,
    .close = ov_close,
    .export_table = ov_export,
    .keys = "Up/Down:move  Left/Right:column  s:sort  Enter:records  W:sites  m:mask",
};
