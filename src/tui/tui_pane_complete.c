/* tui_pane_complete.c: pane 2: completeness of every data item beside the
 * national 2024/25 figure (Table C of the DID technical report).  Items
 * well below it are marked '!'.  Enter or b lists the records where the
 * item is blank, i where it is invalid. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

/* A page: the body less the heading, a blank line and the legend taken as
 * two lines (its length at 80 columns). */
enum { BAR = 22, COL_BLANK = 3, COL_INVALID = 4, PAGE_LESS = 4 };

static didq_qtable *cp_table(tui *t)
{
    return didq_query_completeness_in(t->s, t->scope);
}

/* A bar of the filled share, with '|' at the national figure. */
static void bar(tui *t, int y, int x, double filled, double nat, bool sel)
{
    char b[BAR + 3];
    int fill = (int)(filled / 100.0 * BAR + 0.5), mark = nat >= 0 ? (int)(nat / 100.0 * BAR) : -1;
    if (mark >= BAR) mark = BAR - 1;
    b[0] = '[';
    for (int i = 0; i < BAR; i++)
        b[1 + i] = i == mark ? '|' : i < fill ? '#' : '.';
    b[BAR + 1] = ']';
    b[BAR + 2] = 0;
    tui_put(t, y, x, BAR + 2, b, sel ? tui_attr(t, S_SELECT) : tui_attr(t, S_OK));
}

static void cp_draw(tui *t, tui_view *v, int y, int h)
{
    tui_grid *g = v->st;
    int n = tui_legend(t, y, h,
                       "! = more than 5 points below the national 2024/25 figure (DID technical"
                       " report, Table C)",
                       A_NORMAL);
    tui_grid_draw(t, g, y, h - n - 1);
    int x = tui_grid_width(g);
    if (x + BAR + 2 <= COLS) tui_put(t, y, x, BAR + 2, "Filled (| national)", A_BOLD | A_UNDERLINE);
    for (int i = 0; i < h - n - 2 && g->top + (size_t)i < g->tab->nrows; i++) {
        size_t r = g->order[g->top + (size_t)i];
        double nat = strcmp(didq_qtable_cell(g->tab, r, 5), "-") == 0
                         ? -1
                         : atof(didq_qtable_cell(g->tab, r, 5));
        if (x + BAR + 2 <= COLS)
            bar(t, y + 1 + i, x, atof(didq_qtable_cell(g->tab, r, 2)), nat,
                g->top + (size_t)i == g->cur);
    }
}

static bool cp_key(tui *t, tui_view *v, tui_action a)
{
    tui_grid *g = v->st;
    if (a == A_enter || a == A_blank) return tui_grid_drill(t, g, COL_BLANK);
    if (a == A_invalid) return tui_grid_drill(t, g, COL_INVALID);
    return tui_grid_key(t, g, a, v->height - PAGE_LESS);
}

const tui_view_ops tui_complete_ops = {
    .name = "Completeness",
    .abbr = "Cm",
    .ctx = "completeness table",
    .table = cp_table,
    .draw = cp_draw,
    .key = cp_key,
    .keys = "Enter/b:blank records  i:invalid records  s:sort",
};
