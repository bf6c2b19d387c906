/* tui_frame.c: the frame around a view (header, tab bar, breadcrumb,
 * footer) and the "terminal too small" screen; the views themselves are
 * tui_views.c's. */
#include "didq/date.h"
#include "didq/report.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

tui_view *tui_top(tui *t)
{
    return &t->stack[t->depth - 1];
}

void tui_msg(tui *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->msg, sizeof t->msg, fmt, ap);
    va_end(ap);
}

/* The files and their verdict in words that cannot be misread:
 * "1 file accepted", "2 files accepted", "1 file REJECTED",
 * "REJECTED 1 of 3 files". */
static void files_verdict(const didq_summary *s, char *buf, size_t len)
{
    const char *files = s->files == 1 ? "file" : "files";
    if (!s->files) /* a month a chosen site has no file in */
        snprintf(buf, len, "no file");
    else if (!s->files_rejected)
        snprintf(buf, len, "%d %s accepted", s->files, files);
    else if (s->files == 1)
        snprintf(buf, len, "1 file REJECTED");
    else
        snprintf(buf, len, "REJECTED %d of %d files", s->files_rejected, s->files);
}

static void draw_header(tui *t)
{
    didq_summary s = didq_report_summary(t->s);
    char date[11], line[256], files[64];
    didq_date_format(didq_session_submitted(t->s), date);
    files_verdict(&s, files, sizeof files);
    if (t->scope) { /* one month of several, one site: its files and records */
        char ym[24], mon[48] = "", site[80] = "";
        int f = 0, rej = 0;
        didq_scope_files(t->s, t->scope, &f, &rej);
        s.files = f;
        s.files_rejected = rej;
        files_verdict(&s, files, sizeof files);
        if (t->mscope)
            snprintf(mon, sizeof mon, "%s (%d/%d)  ", tui_month_name(t, ym), t->month + 1,
                     t->nmonths);
        if (t->site[0]) snprintf(site, sizeof site, "site %s  ", t->site);
        unsigned long long n = didq_scope_records(t->s, t->scope);
        snprintf(line, sizeof line, " didq  %s%s%s%s  %llu record%s  submitted %s%s",
                 t->input_changed ? "FILE CHANGED  " : "", mon, site, files, n, didq_plural(n),
                 date, t->mask ? "  MASKED" : "");
        tui_put(t, 0, 0, COLS, line, tui_attr(t, S_HEADER));
        return;
    }
    snprintf(line, sizeof line, " didq  %s%s  %llu record%s  submitted %s%s",
             t->input_changed ? "FILE CHANGED  " : "", files, (unsigned long long)s.records,
             didq_plural(s.records), date, t->mask ? "  MASKED" : "");
    tui_put(t, 0, 0, COLS, line, tui_attr(t, S_HEADER));
}

/* Width of the tab bar when the tabs other than cur show at most n
 * characters of their names (cur shows its full name). */
/* A pane's key in the tab bar: its number, or its tabkey. */
static void pane_key(int pane, char *key, size_t len)
{
    const char *k = tui_panes[pane - 1]->tabkey;
    if (k)
        snprintf(key, len, "%s", k);
    else
        snprintf(key, len, "%d", pane);
}

static int tabs_width(const tui *t, int cur, int n)
{
    int w = 0;
    for (int p = 1; p <= TUI_PANES; p++) {
        if (!tui_pane_shown(t, p, cur)) continue;
        int len = (int)strlen(tui_panes[p - 1]->name);
        char key[8];
        pane_key(p, key, sizeof key);
        w += (p == cur || len < n ? len : n) + 3 + (int)strlen(key);
    }
    return w;
}

/* Tab label of a pane while pane cur is shown: full names when they fit,
 * else the other tabs cut to the longest prefix that lets every tab fit. */
int tui_tab_label(const tui *t, int pane, int cur, char *buf, size_t len)
{
    int n = 64; /* down to one letter: every tab shows (12 tabs at 80 columns) */
    while (n > 1 && tabs_width(t, cur, n) > COLS)
        n--;
    const char *name = tui_panes[pane - 1]->name, *abbr = tui_panes[pane - 1]->abbr;
    if (pane != cur && abbr && n <= (int)strlen(abbr)) name = abbr; /* "Cm", "Cv": not "Co" twice */
    char key[8];
    pane_key(pane, key, sizeof key);
    return snprintf(buf, len, pane == cur ? "[%s %.*s]" : " %s %.*s ", key, pane == cur ? 64 : n,
                    name);
}

static void draw_tabs(tui *t)
{
    int x = 0;
    int cur = t->stack[0].pane;
    for (int p = 1; p <= TUI_PANES; p++) {
        if (!tui_pane_shown(t, p, cur)) continue;
        char tab[40];
        bool on = p == cur;
        int w = tui_tab_label(t, p, cur, tab, sizeof tab);
        if (x + w > COLS) { /* never dropped silently */
            tui_put(t, 1, COLS - 1, 1, ">", A_BOLD | A_REVERSE);
            return;
        }
        tui_put(t, 1, x, w, tab, on ? tui_attr(t, S_TAB) : tui_attr(t, S_NORMAL));
        x += w;
    }
    tui_put(t, 1, x, COLS - x, "", A_NORMAL);
}

static void draw_crumb(tui *t)
{
    char line[512] = "";
    size_t n = 0;
    for (int i = 0; i < t->depth && n < sizeof line - 4; i++)
        n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", i ? " > " : " ",
                              tui_crumb(t, &t->stack[i]));
    tui_put_tail(t, 2, 0, COLS, line, tui_attr(t, S_TITLE)); /* the end is where you are */
}

static void draw_footer(tui *t)
{
    tui_view *v = tui_top(t);
    const char *keys = tui_view_keys(v);
    char line[512];
    if (t->msg[0])
        snprintf(line, sizeof line, " %s", t->msg);
    else if (t->cell[0])
        snprintf(line, sizeof line, " %s", t->cell);
    else
        snprintf(line, sizeof line, " %s%s%s?:help  q:%s", t->mscope ? "[ ]:month  " : "", keys,
                 *keys ? "  " : "", t->depth > 1 ? "back" : "quit");
    tui_put(t, LINES - 1, 0, COLS, line, tui_attr(t, S_HEADER));
}

static void draw_too_small(tui *t)
{
    char line[80];
    erase();
    snprintf(line, sizeof line, "terminal too small: %dx%d, need 80x24", COLS, LINES);
    tui_put(t, LINES / 2, 0, COLS, line, A_BOLD);
    if (LINES > 1) tui_put(t, LINES / 2 + 1, 0, COLS, "enlarge the window, or q to quit", A_NORMAL);
}

void tui_draw_all(tui *t)
{
    if (LINES != t->lines || COLS != t->cols) tui_layout(t); /* resized */
    if (tui_too_small()) {
        draw_too_small(t);
        refresh();
        return;
    }
    erase();
    draw_header(t);
    draw_tabs(t);
    draw_crumb(t);
    t->cell[0] = 0; /* a table sets it while drawing its cursor's row */
    tui_view_draw(t, tui_top(t));
    draw_footer(t);
    refresh();
}
