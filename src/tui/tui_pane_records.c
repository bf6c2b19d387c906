/* tui_pane_records.c: pane 6 and every drill-down: a list of records as a
 * table (file, line, every item, finding codes).  Only the visible page is
 * held; moving fetches from the first or last row with keyset queries.
 * Horizontal scrolling by column, column choice and order (c), sort by the
 * column under the cursor (s), search (/ n N), filter on the cell (f). */
#include "didq/store.h"
#include "didq/text.h"
#include "didq/util.h"
#include "tui_records.h"

#include <stdlib.h>
#include <string.h>

#define UNKNOWN UINT64_MAX /* position not counted (far into a list) */

static void clear_page(records *r)
{
    for (int i = 0; i < r->n; i++)
        didq_row_clear(&r->rows[i]);
    r->n = 0;
}

/* Fills the page forward from anchor; tops it up backward at the end. */
static void load_from(records *r, const didq_row *anchor, bool inclusive)
{
    didq_row a = {0};
    if (anchor) didq_row_copy(&a, anchor);
    clear_page(r);
    r->n = didq_list_fetch(r->l, anchor ? &a : NULL, inclusive, false, r->rows, r->h);
    if (r->n < r->h && r->n > 0) {
        didq_row more[PAGE_MAX];
        int k = didq_list_fetch(r->l, &r->rows[0], false, true, more, r->h - r->n);
        memmove(&r->rows[k], &r->rows[0], (size_t)r->n * sizeof *r->rows);
        memcpy(&r->rows[0], more, (size_t)k * sizeof *more);
        r->n += k;
        r->cur += k;
        if (r->pos != UNKNOWN) r->pos = r->pos >= (uint64_t)k ? r->pos - (uint64_t)k : 0;
    }
    if (r->cur >= r->n) r->cur = r->n ? r->n - 1 : 0;
    didq_row_clear(&a);
}

/* The widest file name (without its folder) of the session. */
static int file_width(const tui *t)
{
    sqlite3_stmt *q = didq_prepare(didq_session_db(t->s), "SELECT path FROM files");
    int w = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(q, 0),
                   *slash = p ? strrchr(p, '/') : NULL;
        int n = p ? tui_text_width(t, slash ? slash + 1 : p) : 0;
        w = n > w ? n : w;
    }
    sqlite3_finalize(q);
    return w;
}

static void rec_open(tui *t, tui_view *v, const void *arg)
{
    const tui_list_arg *la = arg;
    records *r = v->st;
    r->l = didq_list_new(t->s, la ? la->where : didq_scope_where(t->scope));
    if (!la && t->scope) didq_list_set_count(r->l, didq_scope_records(t->s, t->scope));
    r->order[0] = COL_FILE, r->order[1] = COL_LINE;
    int k = 2;
    for (int i = 0; la && i < la->nfirst && i < DIDQ_V1_ITEMS; i++) /* a rule's fields first */
        r->order[k++] = r->first[r->nfirst++] = la->first[i];
    for (int i = 0; i < DIDQ_V1_ITEMS; i++) {
        bool early = false;
        for (int j = 0; la && j < la->nfirst; j++)
            early = early || la->first[j] == i;
        if (!early) r->order[k++] = i;
    }
    r->order[k] = COL_CODES;
    r->ncols = t->notes ? NCOLS : NCOLS - 1;
    r->order[NCOLS - 1] = COL_NOTES;
    for (int i = 0; i < NCOLS; i++)
        r->shown[i] = true;
    r->h = 1;
    r->seen[tui_records_slot(COL_FILE)] = file_width(t);
    if (la && la->list) {
        didq_list_free(r->l);
        r->l = la->list;
    } else if (la && la->count >= 0) {
        didq_list_set_count(r->l, (uint64_t)la->count);
    }
    didq_list_notes(r->l, t->notes != NULL);
    tui_notes_rule_code(t, la ? la->where : NULL, r->code, sizeof r->code);
    if (la) {
        char count[48];
        unsigned long long n = didq_list_count(r->l);
        snprintf(count, sizeof count, " > %llu record%s", n, didq_plural(n));
        tui_crumb_suffix(t, v, count);
    }
}

static void rec_close(tui_view *v)
{
    records *r = v->st;
    clear_page(r);
    didq_list_free(r->l);
}

/* The search text as the footer and messages show it: while masking is on,
 * a '*' for each character, since it may be an NHS number or a postcode
 * and free text has no form to keep any of (docs/usage.md, Masking); b
 * holds the masked copy (didq_buf_free). */
static const char *search_shown(const tui *t, didq_buf *b)
{
    if (!t->mask) return t->search;
    didq_text_mask_all(b, t->search, strlen(t->search));
    return b->p ? b->p : "";
}

static void rec_draw(tui *t, tui_view *v, int y, int h)
{
    records *r = v->st;
    if (r->choosing) {
        tui_records_draw_chooser(t, r, y, h);
        return;
    }
    int ph = h - 2 < PAGE_MAX ? h - 2 : PAGE_MAX;
    if (ph != r->h || !r->loaded) {
        r->h = ph > 0 ? ph : 1;
        r->loaded = true;
        didq_row a = {0};
        bool have = r->n > 0;
        if (have) didq_row_copy(&a, &r->rows[0]);
        load_from(r, have ? &a : NULL, true);
        didq_row_clear(&a);
    }
    tui_records_observe(t, r);
    tui_records_fit_cols(t, r);
    tui_records_draw_head(t, r, y);
    for (int i = 0; i < r->n; i++)
        tui_records_draw_row(t, r, y + 1 + i, i);
    char line[320];
    uint64_t total = didq_list_count(r->l);
    didq_buf shown = {0};
    const char *term = search_shown(t, &shown);
    if (r->pos == UNKNOWN)
        snprintf(line, sizeof line, "record >100000 of %llu%s%s", (unsigned long long)total,
                 t->search[0] ? "   search: " : "", term);
    else
        snprintf(line, sizeof line, "record %llu of %llu%s%s",
                 (unsigned long long)(total ? r->pos + (uint64_t)r->cur + 1 : 0),
                 (unsigned long long)total, t->search[0] ? "   search: " : "", term);
    didq_buf_free(&shown);
    tui_put(t, y + h - 1, 1, COLS - 2, total ? line : "no records", A_BOLD);
}

static void step_down(records *r)
{
    if (r->cur + 1 < r->n) {
        r->cur++;
        return;
    }
    didq_row next;
    if (r->n == 0 || didq_list_fetch(r->l, &r->rows[r->n - 1], false, false, &next, 1) != 1) return;
    if (r->n == r->h) {
        didq_row_clear(&r->rows[0]);
        memmove(&r->rows[0], &r->rows[1], (size_t)(r->n - 1) * sizeof *r->rows);
        r->pos += r->pos != UNKNOWN;
        r->n--;
    }
    r->rows[r->n++] = next;
    r->cur = r->n - 1;
}

static void step_up(records *r)
{
    if (r->cur > 0) {
        r->cur--;
        return;
    }
    didq_row prev;
    if (r->n == 0 || didq_list_fetch(r->l, &r->rows[0], false, true, &prev, 1) != 1) return;
    if (r->n == r->h) didq_row_clear(&r->rows[--r->n]);
    memmove(&r->rows[1], &r->rows[0], (size_t)r->n * sizeof *r->rows);
    r->rows[0] = prev;
    r->n++;
    r->pos -= r->pos > 0 && r->pos != UNKNOWN;
}

static void page(records *r, bool down)
{
    if (r->n == 0) return;
    didq_row a = {0}, more[PAGE_MAX];
    didq_row_copy(&a, &r->rows[down ? r->n - 1 : 0]);
    int k = didq_list_fetch(r->l, &a, false, !down, more, r->h);
    if (k == 0) {
        r->cur = down ? r->n - 1 : 0;
    } else {
        if (r->pos == UNKNOWN)
            ;
        else if (down)
            r->pos += (uint64_t)r->n;
        else
            r->pos -= (uint64_t)k;
        load_from(r, &more[0], true);
    }
    for (int i = 0; i < k; i++)
        didq_row_clear(&more[i]);
    didq_row_clear(&a);
}

static void go_end(records *r, bool end)
{
    clear_page(r);
    if (!end) {
        r->pos = 0;
        r->cur = 0;
        load_from(r, NULL, true);
        return;
    }
    r->n = didq_list_fetch(r->l, NULL, false, true, r->rows, r->h);
    r->pos = didq_list_count(r->l) - (uint64_t)r->n;
    r->cur = r->n ? r->n - 1 : 0;
}

/* Moves the page so that it starts at row (a search hit). */
static void jump_to(records *r, didq_row *row)
{
    r->pos = didq_list_pos(r->l, row, 100000); /* bounded: a key stays fast */
    r->cur = 0;
    load_from(r, row, true);
    for (int i = 0; i < r->n; i++)
        if (r->rows[i].id == row->id) r->cur = i;
    didq_row_clear(row);
}

/* The next match after the cursor; past the end (or the start) the search
 * wraps to the other end and says so; nothing moves when nothing matches. */
static void rec_search(tui *t, records *r, bool backward)
{
    if (!t->search[0] || r->n == 0) {
        tui_msg(t, t->search[0] ? "no records to search" : "no search: press / first");
        return;
    }
    didq_row hit;
    if (didq_list_search(r->l, &r->rows[r->cur], t->search, backward, t->mask, &hit)) {
        jump_to(r, &hit);
        return;
    }
    didq_buf shown = {0};
    if (!didq_list_search(r->l, NULL, t->search, backward, t->mask, &hit)) {
        tui_msg(t, "'%s' not found in this list (fields and finding codes)",
                search_shown(t, &shown));
    } else {
        bool self = hit.id == r->rows[r->cur].id;
        jump_to(r, &hit);
        if (self)
            tui_msg(t, "search wrapped: this is the only record with '%s'",
                    search_shown(t, &shown));
        else
            tui_msg(t, "search wrapped to the %s", backward ? "bottom" : "top");
    }
    didq_buf_free(&shown);
}

/* `:N`: the record that starts at line N of the file of the record under
 * the cursor, else of another file of the list; nothing moves when the
 * list has none. */
static void rec_goto_line(tui *t, records *r)
{
    int64_t n;
    if (r->n == 0) {
        tui_msg(t, "no records");
        return;
    }
    if (!tui_prompt_number(t, "go to line: ", &n)) return;
    const char *file = r->rows[r->cur].file, *slash = strrchr(file, '/');
    didq_row hit;
    if (didq_list_at_line(r->l, file, n, &hit)) {
        jump_to(r, &hit);
        return;
    }
    char other[200];
    if (!didq_list_at_line(r->l, NULL, n, &hit)) {
        tui_msg(t, "no record of this list starts at line %lld", (long long)n);
        return;
    }
    snprintf(other, sizeof other, "%s", hit.file);
    jump_to(r, &hit);
    const char *oslash = strrchr(other, '/');
    tui_msg(t, "line %lld of %s (none of this list in %s)", (long long)n,
            oslash ? oslash + 1 : other, slash ? slash + 1 : file);
}

/* The data item of the column under the cursor, or -1 (file, line, codes). */
static int cursor_item(const records *r)
{
    int c = r->order[r->ccol];
    return c < DIDQ_V1_ITEMS ? c : -1;
}

/* The column under the cursor may be sorted next: its order is made first. */
static void hint_sort(records *r)
{
    didq_list_sort_hint(r->l, cursor_item(r));
}

static void rec_sort(tui *t, records *r)
{
    int c = r->order[r->ccol], item = cursor_item(r);
    bool desc = didq_list_sort_item(r->l) == item ? !didq_list_sort_desc(r->l) : false;
    if (c == COL_CODES) {
        tui_msg(t, "cannot sort by findings; Validation (3) lists records by rule");
        return;
    }
    didq_list_sort(r->l, item, desc);
    tui_msg(t, "sorted by %s%s", item < 0 ? "file and line" : tui_records_col_name(t, c),
            desc ? " (descending)" : "");
    clear_page(r);
    r->pos = 0, r->cur = 0;
    load_from(r, NULL, true);
}

/* f on the Notes column: the records with notes, or those without, as
 * the cell under the cursor has or has not. */
static void filter_notes(tui *t, records *r)
{
    bool with = r->rows[r->cur].note && r->rows[r->cur].note[0];
    didq_list *l = didq_list_dup(r->l);
    didq_list_filter_notes(l, with);
    tui_list_arg arg = {.list = l, .count = -1};
    const char *crumb = with ? "with notes" : "without notes";
    tui_push_crumbs(t, &tui_records_ops, &arg, crumb, crumb, crumb);
}

static void rec_filter(tui *t, records *r)
{
    if (r->n && r->order[r->ccol] == COL_NOTES) {
        filter_notes(t, r);
        return;
    }
    int c = cursor_item(r);
    if (r->n == 0 || c < 0) {
        tui_msg(t, "move to a data item column to filter on its value");
        return;
    }
    const char *val = r->rows[r->cur].f[c];
    didq_list *l = didq_list_dup(r->l);
    didq_list_filter(l, c, val);
    /* The breadcrumb as the value is and as it is masked, redrawn as
     * masking changes; a file name never holds an identifier. */
    didq_buf b = {0}, crumb = {0}, masked = {0}, file = {0};
    didq_text_mask(&b, c, val, strlen(val));
    bool blank = !val[0];
    didq_buf_printf(&crumb, "%s=%s", tui_records_col_name(t, c), blank ? "(blank)" : val);
    didq_buf_printf(&masked, "%s=%s", tui_records_col_name(t, c), blank || !b.p ? "(blank)" : b.p);
    if (didq_text_is_identifier(c) && !blank)
        didq_buf_printf(&file, "%s filter", tui_records_col_name(t, c));
    else
        didq_buf_puts(&file, crumb.p);
    didq_buf_free(&b);
    tui_list_arg arg = {.list = l, .count = -1, .first = r->first, .nfirst = r->nfirst};
    /* filtered: counted afresh; a rule's fields still first */
    tui_push_crumbs(t, &tui_records_ops, &arg, crumb.p, masked.p, file.p); /* cut, marked */
    didq_buf_free(&crumb);
    didq_buf_free(&masked);
    didq_buf_free(&file);
}

/* After a note: the list shows the Notes column (the file may have been
 * chosen just now) and the page is read again. */
static void add_notes_col(records *r)
{
    didq_list_notes(r->l, true);
    r->ncols = NCOLS;
    r->loaded = false;
}

static bool rec_key(tui *t, tui_view *v, tui_action a)
{
    records *r = v->st;
    if (r->choosing) return tui_records_chooser_key(r, a);
    switch (a) {
    case A_down:
        step_down(r);
        return true;
    case A_up:
        step_up(r);
        return true;
    case A_pgdn:
    case A_toggle: /* Space: it toggles only in the column chooser, else pages */
        page(r, true);
        return true;
    case A_pgup:
        page(r, false);
        return true;
    case A_home:
        go_end(r, false);
        return true;
    case A_end:
        go_end(r, true);
        return true;
    case A_left:
        tui_records_scroll_cols(r, -1), hint_sort(r);
        return true;
    case A_right:
        tui_records_scroll_cols(r, 1), tui_records_fit_cols(t, r), hint_sort(r);
        return true;
    case A_sort:
        rec_sort(t, r);
        return true;
    case A_filter:
        rec_filter(t, r);
        return true;
    case A_columns:
        r->choosing = true, r->chcur = r->chtop = 0;
        return true;
    case A_goto_line:
        rec_goto_line(t, r);
        return true;
    case A_search_next:
        rec_search(t, r, false);
        return true;
    case A_search_prev:
        rec_search(t, r, true);
        return true;
    case A_search: {
        char buf[128] = "";
        if (tui_prompt(t, "search: ", buf, sizeof buf) && buf[0]) {
            snprintf(t->search, sizeof t->search, "%s", buf);
            rec_search(t, r, false);
        }
        return true;
    }
    case A_enter:
        if (r->n) tui_push(t, &tui_detail_ops, &r->rows[r->cur], "Record");
        return true;
    case A_patient:
        if (r->n) tui_patient(t, r->rows[r->cur].id);
        return true;
    case A_note:
        if (r->n && tui_note_record(t, &r->rows[r->cur], r->code)) add_notes_col(r);
        return true;
    case A_click: {
        int i = t->mouse_y - v->y - 1; /* below the heading */
        if (i >= 0 && i < r->n) r->cur = i;
        return true;
    }
    default:
        return false;
    }
}

bool tui_records_step(tui_view *v, bool down, didq_row *out)
{
    if (v->ops != &tui_records_ops) return false;
    records *r = v->st;
    if (r->n == 0 || r->choosing) return false;
    int64_t was = r->rows[r->cur].id;
    if (down)
        step_down(r);
    else
        step_up(r);
    if (r->rows[r->cur].id == was) return false;
    didq_row_copy(out, &r->rows[r->cur]);
    return true;
}

static didq_list *rec_list(tui_view *v)
{
    return ((records *)v->st)->l;
}

const tui_view_ops tui_records_ops = {
    .name = "Records",
    .ctx = "records columns",
    .private_size = sizeof(records),
    .open = rec_open,
    .draw = rec_draw,
    .key = rec_key,
    .close = rec_close,
    .list = rec_list,
    .keys = "Enter:open  /:search n/N  s:sort  f:filter  c:columns  e:export",
};
