/* tui_pane_dups.c: pane 4: groups of records sharing accession number and
 * site in a file (DIDS071).  Enter shows the records of a group side by
 * side (tui_group.c). */
#include "tui_int.h"

/* A page: the grid's rows (the body less its heading) less one. */
enum { PAGE_LESS = 2 };

static didq_qtable *du_table(tui *t)
{
    return didq_query_duplicates_in(t->s, t->scope);
}

static bool du_key(tui *t, tui_view *v, tui_action a)
{
    tui_grid *g = v->st;
    if (a == A_enter && g->tab->nrows) {
        size_t r = g->order[g->cur];
        size_t k = r * (size_t)g->tab->ncols;
        tui_list_arg arg = {.where = g->tab->where[k], .count = g->tab->count[k]};
        tui_push(t, &tui_group_ops, &arg, g->tab->label[r * (size_t)g->tab->ncols]);
        return true;
    }
    return tui_grid_key(t, g, a, v->height - PAGE_LESS);
}

const tui_view_ops tui_dups_ops = {
    .name = "Duplicates",
    .ctx = "table",
    .table = du_table,
    .key = du_key,
    .keys = "Enter:records side by side  s:sort",
};
