/* tui_changes_old.c: records only in OLD (removed), from the Changes pane.
 * They are not records of the session shown (NEW), so they are not listed
 * as NEW's are: the list is the diff's removed changes (OLD's line, site,
 * accession number, OLD's findings), and Enter shows the record's values
 * as OLD holds them (masked while masking is on, escaped as every value). */
#include "didq/diff.h"
#include "didq/store.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

bool tui_removed_match(const didq_diff_change *c, const char *rule)
{
    if (c->kind != DIDQ_DIFF_REMOVED) return false;
    if (!rule) return true;
    if (!*rule) return c->fixed[0] != 0;
    size_t n = strlen(rule);
    for (const char *p = strstr(c->fixed, rule); p; p = strstr(p + 1, rule))
        if ((p == c->fixed || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0)) return true;
    return false;
}

/* The list: a grid, and per table row the index of its change. */
enum { COL_LINE, COL_SITE, COL_ACC, COL_CODES, NCOL, PAGE_LESS = 3 };

typedef struct removed {
    tui_grid g;
    size_t *chg;
} removed;

static const char *heads[NCOL] = {"OLD line", "Site", "Accession", "Findings in OLD"};

static void rm_open(tui *t, tui_view *v, const void *arg)
{
    const tui_removed_arg *ra = arg;
    removed *r = v->st;
    const didq_diff *d = t->diff;
    didq_qtable *tab = didq_qtable_new(NCOL, heads, "rlll");
    r->chg = didq_xcalloc(d->nchanges + 1, sizeof *r->chg);
    for (size_t i = 0; i < d->nchanges; i++) {
        const didq_diff_change *c = &d->changes[i];
        if (!tui_removed_match(c, ra->rule)) continue;
        size_t row = didq_qtable_row(tab);
        r->chg[row] = i;
        didq_qtable_set(tab, row, COL_LINE, "%llu", (unsigned long long)c->old_line);
        didq_qtable_set(tab, row, COL_SITE, "%s", c->site);
        didq_qtable_set(tab, row, COL_ACC, "%s", c->acc);
        didq_qtable_set(tab, row, COL_CODES, "%s", c->fixed);
    }
    tui_grid_set(&r->g, tab);
    char count[48];
    snprintf(count, sizeof count, " > %zu records of OLD", tab->nrows);
    tui_crumb_suffix(t, v, count);
}

static void rm_close(tui_view *v)
{
    removed *r = v->st;
    tui_grid_free(&r->g);
    free(r->chg);
}

static void rm_draw(tui *t, tui_view *v, int y, int h)
{
    removed *r = v->st;
    int legend = tui_legend(t, y, h,
                            "Records only in OLD (not in NEW, the file shown): Enter shows "
                            "OLD's values",
                            A_NORMAL);
    tui_grid_draw(t, &r->g, y, h - legend - 1);
}

static bool rm_key(tui *t, tui_view *v, tui_action a)
{
    removed *r = v->st;
    if (a == A_enter) {
        if (!r->g.tab->nrows) return true;
        const didq_diff_change *c = &t->diff->changes[r->chg[r->g.order[r->g.cur]]];
        char crumb[64];
        snprintf(crumb, sizeof crumb, "OLD line %llu", (unsigned long long)c->old_line);
        tui_push(t, &tui_oldrec_ops, c, crumb);
        return true;
    }
    return tui_grid_key(t, &r->g, a, v->height - PAGE_LESS);
}

const tui_view_ops tui_removed_ops = {
    .name = "Removed",
    .ctx = "table",
    .private_size = sizeof(removed),
    .open = rm_open,
    .draw = rm_draw,
    .key = rm_key,
    .close = rm_close,
    .keys = "Enter:OLD's values  s:sort",
};

/* One record of OLD: its items and values, its findings' rule codes. */
typedef struct oldrec {
    const didq_diff_change *c;
    char *vals[DIDQ_MAX_ITEMS];
    bool found;
    char *path;
    int top;
} oldrec;

static void or_open(tui *t, tui_view *v, const void *arg)
{
    oldrec *o = v->st;
    o->c = arg;
    o->found = didq_diff_values(t->diff, t->o->diff_old, o->c->old_id, o->vals);
    sqlite3_stmt *q =
        didq_prepare(didq_session_db(t->o->diff_old), "SELECT path FROM files ORDER BY id");
    const char *p = sqlite3_step(q) == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
    o->path = didq_strdup(p ? p : "");
    sqlite3_finalize(q);
}

static void or_close(tui_view *v)
{
    oldrec *o = v->st;
    for (int i = 0; o->found && i < DIDQ_MAX_ITEMS; i++)
        free(o->vals[i]);
    free(o->path);
}

/* Line k: the heading, the items, the findings; false past the end. */
static bool or_line(tui *t, oldrec *o, int k, didq_buf *b, attr_t *a)
{
    const didq_dataset *ds = didq_session_dataset(t->s);
    *a = A_NORMAL;
    if (k == 0) {
        didq_buf_printf(b, "OLD %s line %llu: only in OLD (removed: not in NEW)", o->path,
                        (unsigned long long)o->c->old_line);
        *a = A_BOLD;
        return true;
    }
    if (!o->found) {
        if (k == 1) didq_buf_puts(b, "(OLD's values cannot be read)");
        return k == 1;
    }
    if (--k < ds->nitems) {
        didq_buf val = {0};
        tui_value(t, k, o->vals[k], &val);
        didq_buf_printf(b, "   %-28.28s %s", ds->items[k].field, val.p);
        didq_buf_free(&val);
        return true;
    }
    if (k == ds->nitems) {
        didq_buf_printf(b, "Findings in OLD (rule codes): %s",
                        o->c->fixed[0] ? o->c->fixed : "none");
        *a = tui_attr(t, S_TITLE);
        return true;
    }
    return false;
}

static void or_draw(tui *t, tui_view *v, int y, int h)
{
    oldrec *o = v->st;
    tui_put(t, y, 0, COLS, "   Item                         Value in OLD", A_BOLD | A_UNDERLINE);
    for (int row = 0; row < h - 1; row++) {
        didq_buf b = {0};
        attr_t a;
        bool any = or_line(t, o, o->top + row, &b, &a);
        if (any) tui_wrap(t, y + 1 + row, 1, COLS - 1, 1, 0, b.p ? b.p : "", a);
        didq_buf_free(&b);
        if (!any) break;
    }
}

static bool or_key(tui *t, tui_view *v, tui_action a)
{
    oldrec *o = v->st;
    int lines = 2 + didq_session_dataset(t->s)->nitems;
    switch (a) {
    case A_down:
        o->top += o->top + 1 < lines;
        return true;
    case A_up:
        o->top -= o->top > 0;
        return true;
    case A_home:
    case A_pgup:
        o->top = 0;
        return true;
    case A_end:
    case A_pgdn: {
        int last = lines - (v->height - 1);
        o->top = last > 0 ? last : 0;
        return true;
    }
    case A_raw:
        tui_msg(t, "no source line here: OLD's file is not read again");
        return true;
    default:
        return a == A_enter;
    }
}

const tui_view_ops tui_oldrec_ops = {
    .name = "OLD record",
    .ctx = "detail",
    .private_size = sizeof(oldrec),
    .open = or_open,
    .draw = or_draw,
    .key = or_key,
    .close = or_close,
    .keys = "Up/Down:scroll  Esc:back",
};
