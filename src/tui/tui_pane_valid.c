/* tui_pane_valid.c: pane 3: one row per rule: code, severity, records
 * affected, share, message; rules not checked say why.  Errors that fire
 * are marked '!'.  s sorts by the column under the cursor (count, code);
 * Enter lists the failing records. */
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>

static void va_open(tui *t, tui_view *v, const void *arg)
{
    tui_grid *g = didq_xcalloc(1, sizeof *g);
    tui_grid_set(g, didq_query_validation(t->s));
    v->st = g;
}

static void va_close(tui_view *v)
{
    tui_grid_free(v->st);
    free(v->st);
}

static void va_draw(tui *t, tui_view *v, int y, int h)
{
    tui_grid_draw(t, v->st, y, h);
}

static bool va_key(tui *t, tui_view *v, tui_action a)
{
    tui_grid *g = v->st;
    if (a == A_enter) return tui_grid_drill(t, g, 0, "Validation");
    return tui_grid_key(t, g, a, LINES - 6, "Validation");
}

static const char *va_footer(tui_view *v)
{
    return "Enter:failing records  Left/Right:column  s:sort by column";
}

const tui_view_ops tui_valid_ops = {
    .name = "Validation",
    .ctx = "table",
    .open = va_open,
    .draw = va_draw,
    .key = va_key,
    .close = va_close,
    .footer = va_footer,
};
