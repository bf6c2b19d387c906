/* tui_pane_settings.c: pane 5: site by patient source setting (01..07),
 * as counts or row percentages (p), and per site the GP-referred records
 * and those of them recorded as 03 (outpatient); '!' marks the sites where
 * gp-direct-access-as-outpatient fires.  Enter on a cell lists its
 * records. */
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>

typedef struct settings {
    tui_grid g;
    didq_qtable *counts, *pct;
    bool show_pct;
} settings;

/* A page: the body less the heading, a blank line and the legend taken as
 * two lines (its length at 80 columns). */
enum { COL_TOTAL = 9, COL_GP = 10, COL_GP03 = 11, PAGE_LESS = 4 };

static didq_qtable *percentages(const didq_qtable *c)
{
    didq_qtable *p = didq_qtable_new(c->ncols, c->head, c->align);
    for (size_t r = 0; r < c->nrows; r++) {
        didq_qtable_row(p);
        double total = atof(didq_qtable_cell(c, r, COL_TOTAL));
        double gp = atof(didq_qtable_cell(c, r, COL_GP));
        for (int k = 0; k < c->ncols; k++) {
            size_t i = r * (size_t)c->ncols + (size_t)k;
            double of = k == COL_GP03 ? gp : total; /* 03 as a share of GP-referred */
            if (k == 0 || k == COL_TOTAL)
                didq_qtable_set(p, r, k, "%s", c->cells[i]);
            else
                didq_qtable_set(p, r, k, "%.1f%%", of > 0 ? 100.0 * atof(c->cells[i]) / of : 0.0);
            if (c->where[i]) didq_qtable_drill(p, r, k, c->label[i], "%s", c->where[i]);
        }
        p->mark[r] = c->mark[r];
    }
    return p;
}

static void se_open(tui *t, tui_view *v, const void *arg)
{
    settings *s = v->st;
    s->counts = didq_query_settings_in(t->s, t->scope, NULL); /* the thresholds of tui_analysis */
    s->pct = percentages(s->counts);
    tui_grid_set(&s->g, s->counts);
}

static void se_close(tui_view *v)
{
    settings *s = v->st;
    s->g.tab = NULL;
    tui_grid_free(&s->g);
    didq_qtable_free(s->counts);
    didq_qtable_free(s->pct);
}

static void se_draw(tui *t, tui_view *v, int y, int h)
{
    settings *s = v->st;
    int n = tui_legend(
        t, y, h,
        s->show_pct ? "row % (p: counts; GP ref 03: % of GP ref); 01 inpatient 02 day case"
                      " 03 outpatient 04 GP direct 05 A&E 06 other provider 07 other"
                    : "counts (p: row %); 01 inpatient 02 day case 03 outpatient 04 GP direct"
                      " 05 A&E 06 other provider 07 other; ! gp-direct-access-as-outpatient",
        A_NORMAL);
    tui_grid_draw(t, &s->g, y, h - n - 1);
}

static bool se_key(tui *t, tui_view *v, tui_action a)
{
    settings *s = v->st;
    if (a == A_percent) {
        s->show_pct = !s->show_pct;
        tui_grid keep = s->g;
        free(s->g.order);
        tui_grid_set(&s->g, s->show_pct ? s->pct : s->counts);
        s->g.cur = keep.cur, s->g.col = keep.col;
        return true;
    }
    if (a == A_enter) return tui_grid_drill(t, &s->g, s->g.col);
    return tui_grid_key(t, &s->g, a, v->height - PAGE_LESS);
}

const tui_view_ops tui_settings_ops = {
    .name = "Settings",
    .ctx = "settings table",
    .private_size = sizeof(settings),
    .open = se_open,
    .draw = se_draw,
    .key = se_key,
    .close = se_close,
    .keys = "Left/Right:cell  Enter:records of cell  p:counts/%  s:sort",
};
