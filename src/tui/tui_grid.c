/* tui_grid.c: a pane over an aggregate table: a row cursor and a column
 * cursor, scrolling, sorting by any column (the tables are small), rows
 * that stand out marked with '!', and Enter opening the records behind a
 * cell.  Columns are as wide as their widest cell (60 at most; a cell
 * still too wide ends with a marker).  When the columns do not fit, the
 * first (key) column stays and the others scroll with the column cursor;
 * '<' and '>' at the ends of the heading say columns are off screen, and
 * an arrow at its start that rows are (up, down or both). */
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

void tui_grid_set(tui_grid *g, didq_qtable *tab)
{
    memset(g, 0, sizeof *g);
    g->tab = tab;
    g->sortcol = -1;
    g->order = didq_xcalloc(tab->nrows + 1, sizeof *g->order);
    for (size_t r = 0; r < tab->nrows; r++)
        g->order[r] = r;
    for (int c = 0; c < tab->ncols && c < 16; c++) {
        int w = (int)strlen(tab->head[c]);
        for (size_t r = 0; r < tab->nrows; r++) {
            int n = (int)strlen(didq_qtable_cell(tab, r, c));
            w = n > w ? n : w;
        }
        g->widths[c] = w > 60 ? 60 : w;
    }
}

void tui_grid_reload(tui_grid *g, didq_qtable *tab)
{
    if (!g->tab || tab->nrows != g->tab->nrows || tab->ncols != g->tab->ncols) {
        tui_grid_free(g);
        tui_grid_set(g, tab);
        return;
    }
    tui_grid keep = *g;
    didq_qtable_free(g->tab);
    tui_grid_set(g, tab); /* a new order; the old one (keep.order) copied into it */
    memcpy(g->order, keep.order, tab->nrows * sizeof *g->order);
    free(keep.order);
    g->cur = keep.cur, g->top = keep.top, g->col = keep.col, g->sortcol = keep.sortcol;
    g->left = keep.left, g->desc = keep.desc;
}

void tui_grid_free(tui_grid *g)
{
    didq_qtable_free(g->tab);
    free(g->order);
    memset(g, 0, sizeof *g);
}

static const tui_grid *sort_grid;

static int num_cmp(const char *a, const char *b, bool *numeric)
{
    char *ea, *eb;
    double x = strtod(a, &ea), y = strtod(b, &eb);
    *numeric = *a && *b && !*ea && !*eb;
    return x < y ? -1 : x > y;
}

static int cmp_rows(const void *pa, const void *pb)
{
    const tui_grid *g = sort_grid;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    const char *x = didq_qtable_cell(g->tab, a, g->sortcol);
    const char *y = didq_qtable_cell(g->tab, b, g->sortcol);
    bool numeric;
    int c = num_cmp(x, y, &numeric);
    if (!numeric) c = strcmp(x, y);
    if (c == 0) return a < b ? -1 : a > b; /* ties in table order, either way */
    return g->desc ? -c : c;
}

void tui_grid_sort(tui_grid *g, int col, bool desc)
{
    g->sortcol = col;
    g->desc = desc;
    int w = (int)strlen(g->tab->head[col]) + 1; /* the heading and its sort mark */
    if (col < 16 && g->widths[col] < w && w <= 60) g->widths[col] = w;
    sort_grid = g;
    qsort(g->order, g->tab->nrows, sizeof *g->order, cmp_rows);
    g->cur = g->top = 0;
}

static void sort_by(tui *t, tui_grid *g)
{
    /* again: reverse; a new column: counts biggest first */
    tui_grid_sort(g, g->col, g->sortcol == g->col ? !g->desc : g->col > 0);
    tui_msg(t, "sorted by %s%s", g->tab->head[g->col], g->desc ? " (descending)" : "");
}

static int ncols(const tui_grid *g)
{
    return g->tab->ncols < 16 ? g->tab->ncols : 16;
}

static int col_x(const tui_grid *g, int c)
{
    int x = 2;
    for (int i = 0; i < c; i++)
        x += g->widths[i] + 2;
    return x;
}

/* The key columns kept in view: 1, or g->keys when fewer than all. */
static int nkeys(const tui_grid *g)
{
    return g->keys > 1 && g->keys < ncols(g) ? g->keys : 1;
}

/* The column drawn after c (-1: the first): the key columns, then the
 * columns from left on. */
static int next_col(const tui_grid *g, int c)
{
    int k = nkeys(g);
    return c < 0 ? 0 : c == k - 1 ? (g->left > k ? g->left : k) : c + 1;
}

/* The columns a column needs on screen: all of it, but the last text
 * column (which takes the rest of the line) only a start. */
static int need(const tui_grid *g, int c)
{
    bool last_text = c == ncols(g) - 1 && g->tab->align[c] == 'l';
    return last_text && g->widths[c] > 16 ? 16 : g->widths[c];
}

/* Scrolls the columns so that the cursor column is on screen. */
static void fit_cols(tui_grid *g)
{
    int k = nkeys(g);
    if (g->left < k) g->left = k;
    if (g->col < k) return;
    if (g->col < g->left) g->left = g->col;
    for (;;) {
        int x = 2;
        for (int c = 0; c < k; c++)
            x += g->widths[c] + 2;
        for (int c = g->left; c < g->col; c++)
            x += g->widths[c] + 2;
        if (x + need(g, g->col) <= COLS || g->left >= g->col) return;
        g->left++;
    }
}

/* Column c's width drawn at x: the last text column takes the rest of the
 * line; a text column cut by the screen's edge ends with the marker; 0 for
 * a column of numbers that does not fit (not the first): it is left off the
 * screen whole, the heading's '>' saying so, as a right-aligned number cut
 * by the edge could read as a blank or as another number. */
static int drawn_width(const tui_grid *g, int c, int x)
{
    if (c == g->tab->ncols - 1 && g->tab->align[c] == 'l') return COLS - x;
    bool fits = x + g->widths[c] <= COLS;
    return c == 0 || fits || g->tab->align[c] != 'r' ? g->widths[c] : 0;
}

static void draw_row(tui *t, tui_grid *g, int y, size_t r, bool sel)
{
    attr_t base = sel ? tui_attr(t, S_SELECT) : A_NORMAL;
    bool mark = g->tab->mark[r];
    tui_put(t, y, 0, 2, mark ? "! " : "  ", mark ? tui_attr(t, S_ERROR) | base : base);
    for (int c = 0, x = 2; c < ncols(g) && x < COLS; x += g->widths[c] + 2, c = next_col(g, c)) {
        int w = drawn_width(g, c, x);
        if (!w) break;
        attr_t a = base;
        if (sel && c == g->col)
            a = base | A_UNDERLINE | A_BOLD;
        else if (mark && !sel)
            a = tui_attr(t, S_ERROR);
        const char *s = didq_qtable_cell(g->tab, r, c);
        if (sel && c == g->col && tui_text_width(t, s) > (x + w <= COLS ? w : COLS - x))
            snprintf(t->cell, sizeof t->cell, "%s: %s", g->tab->head[c], s); /* whole, below */
        if (g->tab->align[c] == 'r')
            tui_put_right(t, y, x, w, s, a);
        else
            tui_put(t, y, x, w, s, a);
        tui_put(t, y, x + w, 2, "", base);
    }
}

/* The heading; '<' before it when columns are scrolled off on the left,
 * '>' on its last column when columns are off (or cut) on the right. */
static void draw_head(tui *t, tui_grid *g, int y)
{
    int c = 0, x = 2;
    for (; c < ncols(g) && x < COLS; x += g->widths[c] + 2, c = next_col(g, c)) {
        char head[80];
        snprintf(head, sizeof head, "%s%s", g->tab->head[c],
                 g->sortcol == c ? (g->desc ? "v" : "^") : "");
        int w = drawn_width(g, c, x);
        if (!w) break;
        if (g->tab->align[c] == 'r')
            tui_put_right(t, y, x, w, head, A_BOLD | A_UNDERLINE);
        else
            tui_put(t, y, x, w, head, A_BOLD | A_UNDERLINE);
    }
    if (g->left > nkeys(g)) tui_put(t, y, 0, 1, "<", A_BOLD | A_REVERSE);
    bool last_text = g->tab->align[ncols(g) - 1] == 'l';
    if (c < ncols(g) || (x - 2 > COLS && !(c == ncols(g) && last_text)))
        tui_put(t, y, COLS - 1, 1, ">", A_BOLD | A_REVERSE);
}

void tui_grid_draw(tui *t, tui_grid *g, int y, int h)
{
    fit_cols(g);
    draw_head(t, g, y);
    h--;
    if (g->tab->nrows == 0) {
        tui_put(t, y + 1, 2, COLS - 4, "(none)", A_NORMAL);
        return;
    }
    if (g->cur != (size_t)-1 && g->cur < g->top) g->top = g->cur;
    if (g->cur != (size_t)-1 && g->cur >= g->top + (size_t)h) g->top = g->cur - (size_t)h + 1;
    int i = 0;
    for (; i < h && g->top + (size_t)i < g->tab->nrows; i++) {
        size_t k = g->top + (size_t)i;
        draw_row(t, g, y + 1 + i, g->order[k], k == g->cur);
    }
    /* rows off screen: an arrow on the heading */
    bool above = g->top > 0, below = g->top + (size_t)i < g->tab->nrows;
    static const char *const up[2] = {"^", "\u2191"}, *const down[2] = {"v", "\u2193"},
                             *const both[2] = {":", "\u2195"};
    if (above || below)
        tui_put(t, y, 1, 1,
                (above && below ? both
                 : above        ? up
                                : down)[t->utf8],
                A_BOLD | A_REVERSE);
}

bool tui_grid_drill(tui *t, tui_grid *g, int col)
{
    if (g->tab->nrows == 0) return false;
    size_t r = g->order[g->cur];
    int nc = g->tab->ncols;
    size_t k = r * (size_t)nc + (size_t)col;
    for (int c = 0; !g->tab->where[k] && c < nc; c++)
        k = r * (size_t)nc + (size_t)c;
    if (!g->tab->where[k]) {
        tui_msg(t, "no records behind this row");
        return true;
    }
    tui_list_arg arg = {.where = g->tab->where[k], .count = g->tab->count[k]};
    tui_push(t, &tui_records_ops, &arg, g->tab->label[k]);
    return true;
}

bool tui_grid_key(tui *t, tui_grid *g, tui_action a, int h)
{
    size_t n = g->tab->nrows;
    switch (a) {
    case A_down:
        g->cur += g->cur + 1 < n;
        return true;
    case A_up:
        g->cur -= g->cur > 0;
        return true;
    case A_pgdn:
        g->cur = n ? (g->cur + (size_t)h < n ? g->cur + (size_t)h : n - 1) : 0;
        return true;
    case A_pgup:
        g->cur = g->cur > (size_t)h ? g->cur - (size_t)h : 0;
        return true;
    case A_home:
        g->cur = 0;
        return true;
    case A_end:
        g->cur = n ? n - 1 : 0;
        return true;
    case A_left:
        g->col -= g->col > 0;
        return true;
    case A_right:
        g->col += g->col + 1 < g->tab->ncols;
        return true;
    case A_sort:
        sort_by(t, g);
        return true;
    case A_goto_line: { /* row N as shown (the rows are counted from 1, in their order) */
        int64_t row;
        if (!tui_prompt_number(t, "go to row: ", &row)) return true;
        if ((uint64_t)row > n)
            tui_msg(t, "no row %lld: the table has %zu", (long long)row, n);
        else
            g->cur = (size_t)row - 1;
        return true;
    }
    case A_enter:
        return tui_grid_drill(t, g, g->col);
    case A_click: {
        int row = t->mouse_y - TUI_FRAME_TOP - 1; /* a grid at the top of the body */
        if (row >= 0 && g->top + (size_t)row < n) g->cur = g->top + (size_t)row;
        return true;
    }
    default:
        return false;
    }
}

int tui_grid_width(const tui_grid *g)
{
    return col_x(g, ncols(g));
}
