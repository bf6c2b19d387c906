/* tui_pane_valid.c: pane 3: one row per rule: code, severity, records
 * affected, share, message; rules not checked say why.  Errors that fire
 * are marked '!'.  s sorts by the column under the cursor (count, code);
 * Enter lists the failing records, the rule's fields first. */
#include "tui_int.h"

/* A page: the grid's rows (the body less its heading) less one. */
enum { PAGE_LESS = 2 };

static didq_qtable *va_table(tui *t)
{
    return didq_query_validation_in(t->s, t->scope);
}

/* Enter: the failing records of the rule under the cursor, its fields as
 * the first columns after File and Line (a file-level code: the usual
 * order). */
static bool va_drill(tui *t, tui_grid *g)
{
    if (g->tab->nrows == 0) return tui_grid_drill(t, g, 0);
    size_t r = g->order[g->cur], k = r * (size_t)g->tab->ncols;
    const didq_dataset *ds = didq_session_dataset(t->s);
    int ri = didq_dataset_rule(ds, didq_qtable_cell(g->tab, r, 0));
    if (ri < 0 || !g->tab->where[k]) return tui_grid_drill(t, g, 0);
    tui_list_arg arg = {g->tab->where[k], NULL, g->tab->count[k], ds->rules[ri].fields,
                        ds->rules[ri].nfields};
    tui_push(t, &tui_records_ops, &arg, g->tab->label[k]);
    return true;
}

static bool va_key(tui *t, tui_view *v, tui_action a)
{
    tui_grid *g = v->st;
    if (a == A_enter) return va_drill(t, g);
    return tui_grid_key(t, g, a, v->height - PAGE_LESS);
}

const tui_view_ops tui_valid_ops = {
    .name = "Validation",
    .ctx = "table",
    .table = va_table,
    .key = va_key,
    .keys = "Enter:failing records  Left/Right:column  s:sort by column",
};
