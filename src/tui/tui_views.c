/* tui_views.c: the view framework (tig's model): the pane table, the view
 * stack and the life of a view.  The framework allocates a view's private
 * state (private_size bytes, zeroed) before its open hook and frees it
 * after its close hook; builds and frees a table pane's grid; sets every
 * view's body (v->y, v->height) from the frame once per layout (on open
 * and on resize), so that no view computes it from LINES. */
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

/* One line per three panes, the Changes (TUI_PANE_CHANGES) and Sites
 * (TUI_PANE_SITES) panes apart. */
/* clang-format off */
const tui_view_ops *const tui_panes[TUI_PANES] = {
    [0] = &tui_overview_ops, [1] = &tui_complete_ops, [2] = &tui_valid_ops, [3] = &tui_dups_ops,
    [4] = &tui_settings_ops, [5] = &tui_records_ops,  [6] = &tui_time_ops,  [7] = &tui_cover_ops,
    [8] = &tui_anom_ops,     [9] = &tui_months_ops,
    [10] = &tui_changes_ops,
    [11] = &tui_sites_ops,
};
/* clang-format on */

bool tui_pane_present(const tui *t, int p)
{
    if (p < 1 || p > TUI_PANES || !tui_panes[p - 1]) return false;
    return !tui_panes[p - 1]->present || tui_panes[p - 1]->present(t);
}

static void layout_view(tui_view *v)
{
    v->y = TUI_FRAME_TOP;
    v->height = LINES - TUI_FRAME_TOP - TUI_FRAME_BOTTOM;
}

void tui_layout(tui *t)
{
    for (int i = 0; i < t->depth; i++)
        layout_view(&t->stack[i]);
    for (int p = 0; p < TUI_PANES; p++)
        if (t->cache[p].ops) layout_view(&t->cache[p]);
    t->lines = LINES;
    t->cols = COLS;
}

static size_t private_size(const tui_view_ops *ops)
{
    return ops->table ? sizeof(tui_grid) : ops->private_size;
}

static void open_view(tui *t, tui_view *v, const void *arg)
{
    layout_view(v);
    size_t n = private_size(v->ops);
    v->st = n ? didq_xcalloc(1, n) : NULL;
    if (v->ops->table) tui_grid_set(v->st, v->ops->table(t));
    if (v->ops->open) v->ops->open(t, v, arg);
}

static void close_view(tui_view *v)
{
    if (v->ops && v->ops->close) v->ops->close(v);
    if (v->ops && v->ops->table) tui_grid_free(v->st);
    free(v->st);
    memset(v, 0, sizeof *v);
}

void tui_view_close(tui_view *v)
{
    close_view(v);
}

const char *tui_view_keys(tui_view *v)
{
    if (v->ops->footer) return v->ops->footer(v);
    return v->ops->keys ? v->ops->keys : "";
}

void tui_view_draw(tui *t, tui_view *v)
{
    if (v->ops->draw)
        v->ops->draw(t, v, v->y, v->height);
    else if (v->ops->table)
        tui_grid_draw(t, v->st, v->y, v->height);
}

/* Sets dst (cap bytes) to s and suffix (short); an s too long for both is
 * cut and ends with the marker, the suffix kept. */
static void crumb_cut(const tui *t, char *dst, size_t cap, const char *s, const char *suffix)
{
    size_t n = strlen(s), room = cap - 1 - strlen(suffix);
    const char *mark = "";
    if (n > room) {
        mark = t->utf8 ? "\u2026" : ">";
        n = room - strlen(mark);
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) /* not inside a character */
            n--;
    }
    snprintf(dst, cap, "%.*s%s%s", (int)n, s, mark, suffix);
}

void tui_crumb_suffix(const tui *t, tui_view *v, const char *suffix)
{
    char s[sizeof v->crumb];
    snprintf(s, sizeof s, "%s", v->crumb);
    crumb_cut(t, v->crumb, sizeof v->crumb, s, suffix);
    snprintf(s, sizeof s, "%s", v->crumb_mask);
    crumb_cut(t, v->crumb_mask, sizeof v->crumb_mask, s, suffix);
    snprintf(s, sizeof s, "%s", v->crumb_file);
    crumb_cut(t, v->crumb_file, sizeof v->crumb_file, s, suffix);
}

void tui_push_crumbs(tui *t, const tui_view_ops *ops, const void *arg, const char *crumb,
                     const char *crumb_mask, const char *crumb_file)
{
    if (t->depth == TUI_STACK) {
        tui_msg(t, "drill-down too deep");
        return;
    }
    tui_view *v = &t->stack[t->depth++];
    memset(v, 0, sizeof *v);
    v->ops = ops;
    crumb_cut(t, v->crumb, sizeof v->crumb, crumb, "");
    crumb_cut(t, v->crumb_mask, sizeof v->crumb_mask, crumb_mask, "");
    crumb_cut(t, v->crumb_file, sizeof v->crumb_file, crumb_file, "");
    open_view(t, v, arg);
}

void tui_push(tui *t, const tui_view_ops *ops, const void *arg, const char *crumb)
{
    const char *c = crumb ? crumb : ops->name;
    tui_push_crumbs(t, ops, arg, c, c, c);
}

const char *tui_crumb(const tui *t, const tui_view *v)
{
    return t->mask ? v->crumb_mask : v->crumb;
}

void tui_pop(tui *t)
{
    if (t->depth > 1) close_view(&t->stack[--t->depth]);
}

void tui_close_scoped(tui *t)
{
    while (t->depth > 1)
        close_view(&t->stack[--t->depth]);
    if (t->depth == 1 && t->stack[0].pane != TUI_MONTHS_PANE) {
        close_view(&t->stack[0]);
        t->depth = 0;
    }
    for (int p = 0; p < TUI_PANES; p++)
        if (p + 1 != TUI_MONTHS_PANE) close_view(&t->cache[p]);
}

void tui_close_all(tui *t)
{
    while (t->depth > 0)
        close_view(&t->stack[--t->depth]);
    for (int p = 0; p < TUI_PANES; p++)
        close_view(&t->cache[p]);
}

/* Panes stay open when another is shown: their aggregates are computed
 * once, and a pane comes back as it was left. */
void tui_open_pane(tui *t, int pane)
{
    if (!tui_pane_present(t, pane)) {
        if (pane == TUI_PANE_CHANGES)
            tui_msg(t, "no Changes pane: it shows in 'didq diff OLD NEW' only");
        else
            tui_msg(t, "no pane %d", pane);
        return;
    }
    while (t->depth > 1)
        tui_pop(t);
    if (t->depth == 1 && t->stack[0].pane != pane) {
        t->cache[t->stack[0].pane - 1] = t->stack[0];
        t->depth = 0;
    }
    if (t->depth == 1) return;
    if (t->cache[pane - 1].ops) {
        t->stack[t->depth++] = t->cache[pane - 1];
        memset(&t->cache[pane - 1], 0, sizeof t->cache[pane - 1]);
        return;
    }
    if (tui_pane_computing(t, pane)) return;
    tui_push(t, tui_panes[pane - 1], NULL, NULL);
    t->stack[0].pane = pane;
}
