/* tui_pane_dups.c: pane 4: groups of records sharing accession number and
 * site in a file (DIDS071).  Enter shows the records of a group side by
 * side (tui_group.c). */
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>

static void du_open(tui *t, tui_view *v, const void *arg)
{
    tui_grid *g = didq_xcalloc(1, sizeof *g);
    tui_grid_set(g, didq_query_duplicates(t->s));
    v->st = g;
}

static void du_close(tui_view *v)
{
    tui_grid_free(v->st);
    free(v->st);
}

static void du_draw(tui *t, tui_view *v, int y, int h)
{
    tui_grid_draw(t, v->st, y, h);
}

static bool du_key(tui *t, tui_view *v, tui_action a)
{
    tui_grid *g = v->st;
    if (a == A_enter && g->tab->nrows) {
        size_t r = g->order[g->cur];
        size_t k = r * (size_t)g->tab->ncols;
        tui_list_arg arg = {g->tab->where[k], NULL, g->tab->count[k]};
        tui_push(t, &tui_group_ops, &arg, g->tab->label[r * (size_t)g->tab->ncols]);
        return true;
    }
    return tui_grid_key(t, g, a, LINES - 6, "Duplicates");
}

static const char *du_footer(tui_view *v)
{
    return "Enter:records side by side  s:sort";
}

const tui_view_ops tui_dups_ops = {
    .name = "Duplicates",
    .ctx = "table",
    .open = du_open,
    .draw = du_draw,
    .key = du_key,
    .close = du_close,
    .footer = du_footer,
};
