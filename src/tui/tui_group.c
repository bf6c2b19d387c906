/* tui_group.c: the records of a duplicate group side by side: one row per
 * data item, one column per record (as wide as its widest value, 40 at
 * most; wider values end with a marker); items whose values differ are
 * marked '*'.  Enter lists the group's records. */
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

enum { GMAX = 16, NAMEW = 18, COLW = 16, COLW_MAX = 40 };

typedef struct group {
    char *where;
    didq_row rows[GMAX];
    int n, first;
    uint64_t count;
} group;

static void gr_open(tui *t, tui_view *v, const void *arg)
{
    const tui_list_arg *la = arg;
    group *g = v->st;
    g->where = didq_strdup(la->where);
    didq_list *l = didq_list_new(t->s, g->where);
    if (la->count >= 0) didq_list_set_count(l, (uint64_t)la->count);
    g->n = didq_list_fetch(l, NULL, false, false, g->rows, GMAX);
    g->count = didq_list_count(l);
    didq_list_free(l);
}

static void gr_close(tui_view *v)
{
    group *g = v->st;
    for (int i = 0; i < g->n; i++)
        didq_row_clear(&g->rows[i]);
    free(g->where);
}

static bool differs(const group *g, int item)
{
    for (int i = 1; i < g->n; i++)
        if (strcmp(g->rows[i].f[item], g->rows[0].f[item]) != 0) return true;
    return false;
}

/* Width of record c's column (with the space after it). */
static int col_w(const tui *t, const group *g, int c)
{
    const didq_dataset *ds = didq_session_dataset(t->s);
    int w = COLW - 1;
    for (int i = 0; i < ds->nitems; i++) {
        didq_buf b = {0};
        tui_value(t, i, g->rows[c].f[i], &b);
        int n = tui_text_width(t, b.p);
        w = n > w ? n : w;
        didq_buf_free(&b);
    }
    return (w < COLW_MAX ? w : COLW_MAX) + 1;
}

static void gr_draw(tui *t, tui_view *v, int y, int h)
{
    group *g = v->st;
    const didq_dataset *ds = didq_session_dataset(t->s);
    int cw[GMAX] = {0}, n = g->n < GMAX ? g->n : GMAX;
    for (int c = 0; c < n; c++)
        cw[c] = col_w(t, g, c);
    tui_put(t, y, 0, NAMEW, "  Item", A_BOLD | A_UNDERLINE);
    for (int c = g->first, x = NAMEW; c < n && x < COLS; x += cw[c++]) {
        char head[32];
        snprintf(head, sizeof head, "line %lld", (long long)g->rows[c].line);
        tui_put(t, y, x, cw[c], head, A_BOLD | A_UNDERLINE);
    }
    for (int i = 0; i < ds->nitems && i < h - 2; i++) {
        bool d = differs(g, i);
        char name[40];
        snprintf(name, sizeof name, "%s %s", d ? "*" : " ", ds->items[i].shortname);
        tui_put(t, y + 1 + i, 0, NAMEW, name, d ? tui_attr(t, S_WARN) | A_BOLD : A_NORMAL);
        for (int c = g->first, x = NAMEW; c < n && x < COLS; x += cw[c++]) {
            didq_buf b = {0};
            tui_value(t, i, g->rows[c].f[i], &b);
            tui_put(t, y + 1 + i, x, cw[c] - 1, b.p, d ? A_BOLD : A_NORMAL);
            didq_buf_free(&b);
        }
    }
    char line[96];
    snprintf(line, sizeof line, "%llu records in the group%s; * values differ",
             (unsigned long long)g->count, g->count > GMAX ? " (first 16 shown)" : "");
    tui_put(t, y + h - 1, 1, COLS - 2, line, A_BOLD);
}

static bool gr_key(tui *t, tui_view *v, tui_action a)
{
    group *g = v->st;
    switch (a) {
    case A_left:
        g->first -= g->first > 0;
        return true;
    case A_right:
        g->first += g->first + 1 < g->n;
        return true;
    case A_enter: {
        tui_list_arg arg = {.where = g->where, .count = (int64_t)g->count};
        tui_push(t, &tui_records_ops, &arg, "records");
        return true;
    }
    default:
        return a == A_up || a == A_down;
    }
}

const tui_view_ops tui_group_ops = {
    .name = "Group",
    .ctx = "table",
    .private_size = sizeof(group),
    .open = gr_open,
    .draw = gr_draw,
    .key = gr_key,
    .close = gr_close,
    .keys = "Left/Right:scroll records  Enter:list the records",
};
