/* tui_records_cols.c: the columns of a record list (tui_records.h): each as
 * wide as its widest value, a key column that stays while the others
 * scroll, the heading with its scroll markers and sort mark, the rows, and
 * the column chooser (c: show, hide and order). */
#include "didq/util.h"
#include "tui_records.h"

#include <stdio.h>
#include <string.h>

const char *tui_records_col_name(const tui *t, int c)
{
    if (c == COL_FILE) return "File";
    if (c == COL_LINE) return "Line";
    if (c == COL_CODES) return "Findings";
    if (c == COL_NOTES) return "Notes";
    return didq_session_dataset(t->s)->items[c].shortname;
}

static int col_width(const tui *t, const records *r, int c)
{
    int w = r->seen[tui_records_slot(c)];
    if (c == COL_LINE) return w > LINE_MIN ? w : LINE_MIN; /* numbers: never capped */
    if (c == COL_CODES) w = w > CODES_MIN ? w : CODES_MIN;
    if (c == COL_NOTES) w = w > NOTES_MIN ? w : NOTES_MIN;
    if (c < DIDQ_V1_ITEMS) {
        int widest = didq_session_widest(t->s, c);
        if (widest < 0) widest = didq_session_dataset(t->s)->items[c].width; /* not saved */
        w = widest > w ? widest : w;
    }
    int hw = (int)strlen(tui_records_col_name(t, c));
    w = w > hw ? w : hw;
    return w < WIDTH_CAP ? w : WIDTH_CAP;
}

static void cell_text(const tui *t, const didq_row *row, int c, didq_buf *b)
{
    if (c == COL_FILE) {
        const char *slash = strrchr(row->file, '/');
        didq_buf_puts(b, slash ? slash + 1 : row->file);
    } else if (c == COL_LINE) {
        didq_buf_printf(b, "%lld", (long long)row->line);
    } else if (c == COL_CODES) {
        didq_buf_puts(b, row->codes);
    } else if (c == COL_NOTES) {
        didq_buf_puts(b, row->note ? row->note : "");
    } else {
        tui_value(t, c, row->f[c], b);
    }
    if (!b->p) didq_buf_puts(b, "");
}

/* Widens the columns to the values on the page (their screen width: an
 * escaped control character takes more columns than its byte). */
void tui_records_observe(const tui *t, records *r)
{
    for (int i = 0; i < r->n; i++)
        for (int k = 0; k < r->ncols; k++) {
            int c = r->order[k];
            didq_buf b = {0};
            cell_text(t, &r->rows[i], c, &b);
            int w = tui_text_width(t, b.p);
            if (w > r->seen[tui_records_slot(c)]) r->seen[tui_records_slot(c)] = w;
            didq_buf_free(&b);
        }
}

/* The first shown column (the key column) stays on screen; the columns
 * after it scroll from hcol.  The column drawn after k (-1: the first). */
static int key_col(const records *r)
{
    int k = 0;
    while (k < r->ncols && !r->shown[k])
        k++;
    return k;
}

static int next_col(const records *r, int k)
{
    int k0 = key_col(r);
    if (k < 0) return k0;
    k = k == k0 && r->hcol > k0 ? r->hcol : k + 1;
    while (k < r->ncols && !r->shown[k])
        k++;
    return k;
}

void tui_records_draw_row(tui *t, records *r, int y, int i)
{
    const didq_row *row = &r->rows[i];
    bool sel = i == r->cur;
    attr_t base = sel ? tui_attr(t, S_SELECT) : A_NORMAL;
    bool err = row->codes[0] != 0;
    tui_put(t, y, 0, 1, err ? "!" : " ", err ? tui_attr(t, S_ERROR) | base : base);
    int x = 1;
    for (int k = next_col(r, -1); k < r->ncols && x < COLS; k = next_col(r, k)) {
        int c = r->order[k], w = col_width(t, r, c);
        didq_buf b = {0};
        cell_text(t, row, c, &b);
        attr_t a = sel && k == r->ccol ? base | A_BOLD | A_UNDERLINE : base;
        if (c == COL_CODES && err && !sel) a = tui_attr(t, S_ERROR);
        if (c == COL_LINE)
            tui_put_right(t, y, x, w, b.p, a);
        else
            tui_put(t, y, x, w, b.p, a);
        tui_put(t, y, x + w, 1, "", base);
        x += w + 1;
        didq_buf_free(&b);
    }
    if (x < COLS) tui_put(t, y, x, COLS - x, "", base);
}

/* The heading; '<' before it when shown columns are scrolled off on the
 * left, '>' on its last column when some are off (or cut) on the right. */
void tui_records_draw_head(tui *t, records *r, int y)
{
    int x = 1, si = didq_list_sort_item(r->l), k = next_col(r, -1);
    for (; k < r->ncols && x < COLS; k = next_col(r, k)) {
        int c = r->order[k], w = col_width(t, r, c);
        char h[64];
        snprintf(h, sizeof h, "%s%s", tui_records_col_name(t, c),
                 c == si ? (didq_list_sort_desc(r->l) ? "v" : "^") : "");
        tui_put(t, y, x, w + 1, h, A_BOLD | A_UNDERLINE);
        x += w + 1;
    }
    bool left = false;
    for (int j = key_col(r) + 1; j < r->hcol && j < r->ncols; j++)
        left = left || r->shown[j];
    if (left) tui_put(t, y, 0, 1, "<", A_BOLD | A_REVERSE);
    if (k < r->ncols || x - 1 > COLS) tui_put(t, y, COLS - 1, 1, ">", A_BOLD | A_REVERSE);
}

/* The column list scrolls with the cursor; a line below the list says
 * which of the columns are shown when they do not all fit. */
void tui_records_draw_chooser(tui *t, records *r, int y, int h)
{
    tui_put(t, y, 2, COLS - 4, "Columns: Space show/hide, J/K move, Esc or Enter done", A_BOLD);
    int rows = r->ncols <= h - 1 ? r->ncols : h - 2;
    r->chh = rows > 1 ? rows : 1;
    if (r->chcur < r->chtop) r->chtop = r->chcur;
    if (r->chcur >= r->chtop + r->chh) r->chtop = r->chcur - r->chh + 1;
    for (int i = 0; i < r->chh && r->chtop + i < r->ncols; i++) {
        int k = r->chtop + i;
        char line[80];
        snprintf(line, sizeof line, "%s %s", r->shown[k] ? "[x]" : "[ ]",
                 tui_records_col_name(t, r->order[k]));
        tui_put(t, y + 1 + i, 4, 30, line, k == r->chcur ? tui_attr(t, S_SELECT) : A_NORMAL);
    }
    if (rows < r->ncols) {
        char more[80];
        snprintf(more, sizeof more, "columns %d-%d of %d (Up/Down, PgUp/PgDn, g/G scroll)",
                 r->chtop + 1, r->chtop + r->chh, r->ncols);
        tui_put(t, y + h - 1, 4, COLS - 6, more, A_BOLD);
    }
}

void tui_records_scroll_cols(records *r, int dir)
{
    int k = r->ccol + dir;
    while (k >= 0 && k < r->ncols && !r->shown[k])
        k += dir;
    if (k < 0 || k >= r->ncols) return;
    r->ccol = k;
    if (r->ccol < r->hcol && r->ccol != key_col(r)) r->hcol = r->ccol;
}

/* Keeps the cursor column on screen. */
void tui_records_fit_cols(tui *t, records *r)
{
    int k0 = key_col(r);
    if (r->hcol <= k0) r->hcol = k0 + 1;
    if (r->ccol == k0) return;
    if (r->ccol < r->hcol) r->hcol = r->ccol;
    for (;;) {
        int x = 1 + (k0 < r->ncols ? col_width(t, r, r->order[k0]) + 1 : 0);
        for (int k = r->hcol; k <= r->ccol; k++)
            x += r->shown[k] ? col_width(t, r, r->order[k]) + 1 : 0;
        if (x <= COLS || r->hcol >= r->ccol) return;
        r->hcol++;
    }
}

bool tui_records_chooser_key(records *r, tui_action a)
{
    int k = r->chcur;
    switch (a) {
    case A_down:
        r->chcur += r->chcur + 1 < r->ncols;
        break;
    case A_up:
        r->chcur -= r->chcur > 0;
        break;
    case A_pgdn:
        r->chcur = r->chcur + r->chh < r->ncols ? r->chcur + r->chh : r->ncols - 1;
        break;
    case A_pgup:
        r->chcur = r->chcur > r->chh ? r->chcur - r->chh : 0;
        break;
    case A_home:
        r->chcur = 0;
        break;
    case A_end:
        r->chcur = r->ncols - 1;
        break;
    case A_toggle:
        r->shown[k] = !r->shown[k];
        break;
    case A_move_down:
    case A_move_up: {
        int j = a == A_move_down ? k + 1 : k - 1;
        if (j < 0 || j >= r->ncols) break;
        int o = r->order[k];
        bool s = r->shown[k];
        r->order[k] = r->order[j], r->shown[k] = r->shown[j];
        r->order[j] = o, r->shown[j] = s;
        r->chcur = j;
        break;
    }
    case A_enter:
    case A_back:
    case A_quit_back:
    case A_columns:
        r->choosing = false;
        r->ccol = r->hcol = 0;
        break;
    default:
        return a != A_quit && a != A_help;
    }
    return true;
}
