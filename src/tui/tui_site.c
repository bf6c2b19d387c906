/* tui_site.c: the site scope.  `S` opens a picker over the screen: "all
 * sites", then the sites of the month shown with their records (query.h,
 * didq_scope_site_list: most records first, "(invalid site)" last);
 * typing narrows the list to the labels holding the text, Up/Down (PgUp,
 * PgDn) move, Enter chooses, Esc cancels.  Once chosen, every pane is
 * made again over the site's records within the month (didq_scope_site),
 * the header says "site CODE", and stepping months keeps the site.  `S`
 * with a site shown, or "all sites", clears it. */
#include "didq/util.h"
#include "tui_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char all_label[] = "all sites";

void tui_site_free(tui *t)
{
    didq_scope_free(t->site_scope);
    t->site_scope = NULL;
    t->scope = t->mscope;
    tui_analysis_drop(t);
    didq_site_list_free(t->site_list, t->nsite_list);
    t->site_list = NULL;
    t->nsite_list = 0;
    t->sites_month = -2;
}

void tui_site_rescope(tui *t)
{
    didq_scope_free(t->site_scope);
    t->site_scope = t->site[0] ? didq_scope_site(t->s, t->mscope, t->site) : NULL;
    t->scope = t->site_scope ? t->site_scope : t->mscope;
}

bool tui_site_group(const tui *t)
{
    return strcmp(t->site, "(blank)") == 0;
}

int tui_site_note(tui *t, int y)
{
    if (!tui_site_group(t)) return 0;
    tui_put(t, y, 2, COLS - 4,
            "Not scoped to (blank): the analyses leave out records without a site code, so this"
            " pane has nothing for them (S: all sites).",
            tui_attr(t, S_WARN));
    return 1;
}

void tui_scope_site(tui *t, const char *site)
{
    int pane = t->depth ? t->stack[0].pane : 1;
    tui_close_all(t);     /* every pane, the Months pane too: it shows the site's rows */
    tui_analysis_drop(t); /* the analyses of the site shown before */
    snprintf(t->site, sizeof t->site, "%s", site ? site : "");
    tui_site_rescope(t);
    tui_open_pane(t, pane ? pane : 1);
    if (!t->site[0]) {
        tui_msg(t, "all sites");
        return;
    }
    char ym[24];
    tui_month_name(t, ym);
    tui_msg(t, "site %s: %llu records%s%s", t->site,
            (unsigned long long)didq_scope_records(t->s, t->scope), ym[0] ? " in " : "", ym);
}

/* The picker's state: the month's sites, the text typed, the entries
 * that hold it (-1: "all sites"), the cursor and the first shown. */
typedef struct picker {
    char text[32];
    int *shown;
    size_t nshown, cur, top;
} picker;

static bool holds(const char *label, const char *text)
{
    size_t n = strlen(text);
    for (const char *p = label; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)text[i]))
            i++;
        if (i == n) return true;
    }
    return n == 0;
}

static void narrow(tui *t, picker *p)
{
    p->nshown = 0;
    if (holds(all_label, p->text)) p->shown[p->nshown++] = -1;
    for (size_t i = 0; i < t->nsite_list; i++)
        if (holds(t->site_list[i].label, p->text)) p->shown[p->nshown++] = (int)i;
    p->cur = p->top = 0;
}

static void draw(tui *t, const picker *p)
{
    tui_draw_all(t);
    int w = COLS < 60 ? COLS - 2 : 56, x = (COLS - w) / 2, y = TUI_FRAME_TOP;
    int rows = LINES - TUI_FRAME_TOP - TUI_FRAME_BOTTOM - 4;
    char line[160], ym[24];
    attr_t box = tui_attr(t, S_HEADER);
    tui_month_name(t, ym);
    snprintf(line, sizeof line, " Site scope%s%s: type to narrow, Enter, Esc", ym[0] ? " " : "",
             ym);
    tui_put(t, y, x, w, line, box);
    snprintf(line, sizeof line, " Site: %s_", p->text);
    tui_put(t, y + 1, x, w, line, A_BOLD);
    snprintf(line, sizeof line, " %-24s %12s", "Site", "Records");
    tui_put(t, y + 2, x, w, line, A_UNDERLINE);
    for (int i = 0; i < rows; i++) {
        size_t k = p->top + (size_t)i;
        line[0] = 0;
        if (k < p->nshown && p->shown[k] < 0)
            snprintf(line, sizeof line, " %-24s %12llu", all_label,
                     (unsigned long long)didq_scope_records(t->s, t->mscope));
        else if (k < p->nshown)
            snprintf(line, sizeof line, " %-24s %12llu", t->site_list[p->shown[k]].label,
                     (unsigned long long)t->site_list[p->shown[k]].records);
        else if (k == 0)
            snprintf(line, sizeof line, " (no site holds \"%s\")", p->text);
        tui_put(t, y + 3 + i, x, w, line, k == p->cur && k < p->nshown ? tui_attr(t, S_SELECT) : 0);
    }
    snprintf(line, sizeof line, " %zu of %zu sites%s", p->nshown - (p->nshown && p->shown[0] < 0),
             t->nsite_list, p->top + (size_t)rows < p->nshown ? "; more below" : "");
    tui_put(t, y + 3 + rows, x, w, line, box);
    refresh();
}

static void cursor_to(picker *p, long d, int rows)
{
    long c = (long)p->cur + d, last = p->nshown ? (long)p->nshown - 1 : 0;
    p->cur = (size_t)(c < 0 ? 0 : c > last ? last : c);
    if (p->cur < p->top) p->top = p->cur;
    if (p->cur >= p->top + (size_t)rows) p->top = p->cur - (size_t)rows + 1;
}

/* Reads keys until a choice: the entry chosen (-1 all sites), or -2. */
static int choose(tui *t, picker *p)
{
    for (;;) {
        int rows = LINES - TUI_FRAME_TOP - TUI_FRAME_BOTTOM - 4;
        rows = rows < 1 ? 1 : rows;
        draw(t, p);
        int c = tui_getkey(t);
        size_t n = strlen(p->text);
        if (c == 27 || c == 3 || c == -1) return -2;
        if (c == '\r' || c == '\n' || c == KEY_ENTER) {
            if (p->nshown) return p->shown[p->cur];
        } else if (c == KEY_DOWN || c == KEY_UP) {
            cursor_to(p, c == KEY_DOWN ? 1 : -1, rows);
        } else if (c == KEY_NPAGE || c == KEY_PPAGE) {
            cursor_to(p, c == KEY_NPAGE ? rows : -rows, rows);
        } else if ((c == KEY_BACKSPACE || c == 127 || c == 8) && n > 0) {
            p->text[n - 1] = 0;
            narrow(t, p);
        } else if (c >= 0x20 && c < 0x7F && n + 1 < sizeof p->text) {
            p->text[n] = (char)c, p->text[n + 1] = 0;
            narrow(t, p);
        }
    }
}

void tui_site_pick(tui *t)
{
    if (t->site[0]) {
        tui_scope_site(t, NULL);
        return;
    }
    if (t->sites_month != t->month) { /* the month's sites, kept until it changes */
        didq_site_list_free(t->site_list, t->nsite_list);
        t->site_list = didq_scope_site_list(t->s, t->mscope, &t->nsite_list);
        t->sites_month = t->month;
    }
    picker p = {.shown = didq_xcalloc(t->nsite_list + 1, sizeof *p.shown)};
    narrow(t, &p);
    int k = choose(t, &p);
    free(p.shown);
    if (k == -2) {
        tui_msg(t, "site scope unchanged");
        return;
    }
    tui_scope_site(t, k < 0 ? NULL : t->site_list[k].label);
}
