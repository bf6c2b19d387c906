/* tui_pane_valid.c: pane 3: one row per rule: code, severity, records
 * affected, share, message; rules not checked say why.  Errors that fire
 * are marked '!'.  s sorts by the column under the cursor (count, code);
 * Enter lists the failing records. */
#include "tui_int.h"

/* A page: the grid's rows (the body less its heading) less one. */
enum { PAGE_LESS = 2 };

static didq_qtable *va_table(tui *t)
{
    return didq_query_validation_in(t->s, t->scope);
}

static bool va_key(tui *t, tui_view *v, tui_action a)
{
    tui_grid *g = v->st;
    if (a == A_enter) return tui_grid_drill(t, g, 0);
    return tui_grid_key(t, g, a, v->height - PAGE_LESS);
}

const tui_view_ops tui_valid_ops = {
    .name = "Validation",
    .ctx = "table",
    .table = va_table,
    .key = va_key,
    .keys = "Enter:failing records  Left/Right:column  s:sort by column",
};
