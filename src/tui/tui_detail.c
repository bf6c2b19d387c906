/* tui_detail.c: one record: every data item with its raw value, the
 * meaning of coded values, the findings on each item with their messages,
 * and the file and line it came from; r shows the raw source line (of an
 * XML record, its ImagingActivity element).  Long lines wrap (an item's
 * value and a finding's message continue under themselves, the raw line is
 * split where the columns run out); the view scrolls by line.  n and p
 * (and Down or Up past the end) step through the list it was opened from.
 * A finding didq fix would fix ends with its fix ("fix: 4 -> 04", masked
 * as the value is); when the file cannot be planned, the findings' title
 * says why. */
#include "didq/diff.h"
#include "didq/fix.h"
#include "didq/ident.h"
#include "didq/notes.h"
#include "didq/store.h"
#include "didq/util.h"
#include "tui_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct detail {
    didq_row row;
    didq_qtable *findings;
    bool raw;
    int top;       /* first line shown (a line of line_at, however many rows it wraps to) */
    int src_kind;  /* TUI_SOURCE_*, once read (the first r) */
    didq_buf src;  /* the record's source text */
    int src_lines; /* its lines */
    /* didq diff: the record's change (added or changed), or NULL; a
     * changed record's OLD values, and its changed items, each shown with
     * a line of its OLD value under it (nold of them). */
    const didq_diff_change *change;
    char *old[DIDQ_MAX_ITEMS];
    bool has_old, changed[DIDQ_MAX_ITEMS];
    int nold;
    int file;      /* the record's file (its id), for its fixes */
    int64_t recno; /* its number within its file (row.id counts every file) */
} detail;

/* Continuation indents: under an item's value, under a finding's message;
 * the heading's lines above the text. */
enum { VALUE_X = 32, MESSAGE_X = 19, HEAD = 1 };

/* didq diff: the record's change, and a changed record's OLD values. */
static void open_change(tui *t, detail *d)
{
    const didq_dataset *ds = didq_session_dataset(t->s);
    if (!t->diff || !(d->change = didq_diff_change_of(t->diff, d->row.id))) return;
    if (d->change->kind != DIDQ_DIFF_CHANGED) return;
    d->has_old = didq_diff_old_values(t->diff, t->o->diff_old, d->row.id, d->old);
    for (int i = 0; d->has_old && i < ds->nitems; i++) {
        char name[80];
        snprintf(name, sizeof name, " %s ", ds->items[i].field);
        didq_buf items = {0};
        didq_buf_printf(&items, " %s ", d->change->items);
        d->changed[i] = strstr(items.p, name) != NULL;
        d->nold += d->changed[i];
        didq_buf_free(&items);
    }
}

/* The record's number within its file, as the findings CSV's record column. */
static int64_t record_no(tui *t, int64_t id)
{
    sqlite3_stmt *q = didq_prepare(didq_session_db(t->s), "SELECT recno FROM records WHERE id = ?");
    sqlite3_bind_int64(q, 1, id);
    int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : id;
    sqlite3_finalize(q);
    return n;
}

static void de_open(tui *t, tui_view *v, const void *arg)
{
    detail *d = v->st;
    didq_row_copy(&d->row, arg);
    d->findings = didq_query_record_findings(t->s, d->row.id);
    d->file = tui_record_file(t, d->row.id);
    d->recno = record_no(t, d->row.id);
    open_change(t, d);
    snprintf(v->crumb, sizeof v->crumb, "line %lld", (long long)d->row.line);
    memcpy(v->crumb_mask, v->crumb, sizeof v->crumb);
    memcpy(v->crumb_file, v->crumb, sizeof v->crumb);
}

static void de_close(tui_view *v)
{
    detail *d = v->st;
    didq_row_clear(&d->row);
    didq_qtable_free(d->findings);
    didq_buf_free(&d->src);
    for (int i = 0; d->has_old && i < DIDQ_MAX_ITEMS; i++)
        free(d->old[i]);
}

/* The heading's note on a record of didq diff's NEW. */
static void change_note(tui *t, const detail *d, didq_buf *b)
{
    if (!t->diff) return;
    if (!d->change)
        didq_buf_puts(b, "; unchanged since OLD");
    else if (d->change->kind == DIDQ_DIFF_ADDED)
        didq_buf_puts(b, "; added: not in OLD");
    else
        didq_buf_printf(b, "; changed since OLD line %llu (~ its OLD value)",
                        (unsigned long long)d->change->old_line);
}

/* Item line k (0 .. nitems + nold - 1): the item, and whether it is the
 * line of its OLD value (under the item's own line). */
static int item_line(const detail *d, int nitems, int k, bool *old)
{
    *old = false;
    for (int i = 0; i < nitems; i++) {
        if (k-- == 0) return i;
        if (d->changed[i] && k-- == 0) return *old = true, i;
    }
    return -1;
}

static const char *meaning(const tui *t, int item, const char *val)
{
    const didq_item_def *it = &didq_session_dataset(t->s)->items[item];
    size_t n = strlen(val);
    while (n && val[n - 1] == ' ')
        n--;
    while (n && *val == ' ')
        val++, n--;
    if (!n) return "";
    if (strncmp(it->kind, "code:", 5) == 0) {
        const char *m = didq_dataset_meaning(didq_session_dataset(t->s), it->kind + 5, val, n);
        return m ? m : "(not a code of the list)";
    }
    if (strcmp(it->kind, "referrer") == 0) {
        const char *m = didq_referrer_type(val, n);
        return m ? m : "(unknown referrer type)";
    }
    return "";
}

static void item_codes(const detail *d, int item, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (size_t r = 0; r < d->findings->nrows && n + 10 < len; r++)
        if (atoi(didq_qtable_cell(d->findings, r, 2)) == item)
            n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "",
                                  didq_qtable_cell(d->findings, r, 0));
}

/* Finding k's fix, " fix: OLD -> NEW" (values as shown: masked when
 * masking is on), when didq fix has one for it. */
static void fix_text(tui *t, const detail *d, size_t k, int item, didq_buf *b)
{
    const char *code = didq_qtable_cell(d->findings, k, 0);
    if (item < 0 || !didq_fix_for_rule(code) || !tui_fix_ready(t, d->file)) return;
    const char *nv = didq_fixset_value(tui_fixes(t), d->file, d->row.id, item, code);
    if (!nv) return;
    const char *raw = d->row.f[item];
    size_t n = strlen(raw), lead = strspn(raw, " ");
    while (n > lead && raw[n - 1] == ' ')
        n--;
    char *old = didq_strndup(raw + lead, n - lead);
    didq_buf o = {0}, v = {0};
    tui_value(t, item, old, &o);
    tui_value(t, item, nv, &v);
    didq_buf_printf(b, "  fix: %s -> %s", o.p ? o.p : "", v.p ? v.p : "");
    didq_buf_free(&o);
    didq_buf_free(&v);
    free(old);
}

/* The findings' title: their number, and why no fix is shown when the
 * record has a finding of a rule with a fix and its file cannot be planned. */
static void findings_title(tui *t, const detail *d, didq_buf *b)
{
    didq_buf_printf(b, "Findings (%zu)", d->findings->nrows);
    bool fixrule = false;
    for (size_t k = 0; k < d->findings->nrows; k++)
        fixrule |= didq_fix_for_rule(didq_qtable_cell(d->findings, k, 0)) != NULL;
    const char *why;
    if (fixrule && !tui_fix_ready(t, d->file))
        didq_buf_printf(
            b, "; fixes not looked up (a file of over %llu records is not read again for them)",
            (unsigned long long)tui_fix_eager());
    else if (fixrule && didq_fixset_file(tui_fixes(t), d->file, NULL, &why) != DIDQ_FIXSET_OK)
        didq_buf_printf(b, "; no fix shown: %s", why);
}

/* The source text (read once), and its lines. */
static void read_source(tui *t, detail *d)
{
    if (d->src_lines) return;
    d->src_kind = tui_record_source(t, d->row.id, &d->src);
    d->src_lines = 1;
    for (size_t i = 0; i < d->src.n; i++)
        d->src_lines += d->src.p[i] == '\n';
}

/* Lines the raw part takes: its title and the text (or why it is not shown). */
static int raw_lines(const tui *t, const detail *d)
{
    return 1 + (t->mask || d->src_kind == TUI_SOURCE_NONE ? 1 : d->src_lines);
}

/* Line k of the source text, without its line break. */
static void src_line(const detail *d, int k, didq_buf *b)
{
    const char *p = d->src.p, *end = d->src.p + d->src.n;
    for (; k > 0 && p < end; k--) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)((nl ? nl : end) - p);
    if (n && p[n - 1] == '\r') n--;
    didq_buf_add(b, p, n);
    if (!b->p) didq_buf_puts(b, "");
}

/* Line 0: the record's file, line and number, what changed, its notes. */
static void title_text(tui *t, detail *d, didq_buf *b, attr_t *a, int *indent)
{
    didq_buf_printf(b, "%s line %lld (record %lld)", d->row.file, (long long)d->row.line,
                    (long long)d->recno);
    change_note(t, d, b);
    if (t->notes) { /* read afresh: `a` here adds one */
        didq_buf_puts(b, "  notes: ");
        if (!didq_notes_record_text(t->notes, d->row.f[DIDQ_SITE], d->row.f[DIDQ_ACCESSION], b))
            didq_buf_puts(b, "none");
        *indent = 2;
    }
    *a = A_BOLD;
}

/* Item line k (0..nitems + nold - 1): an item, or its value in OLD. */
static void item_text(tui *t, detail *d, int k, didq_buf *b, attr_t *a, int *indent)
{
    const didq_dataset *ds = didq_session_dataset(t->s);
    bool old;
    k = item_line(d, ds->nitems, k, &old);
    didq_buf v = {0};
    *indent = VALUE_X;
    if (old) {
        tui_value(t, k, d->old[k], &v);
        /* The same text: one file has the item empty, the other has it not at all. */
        bool same = strcmp(d->old[k], d->row.f[k]) == 0;
        didq_buf_printf(b, "%-2s %-28.28s %-18s %-8s %s", "~", "  (in OLD)", v.p, "",
                        same ? "(empty in one file, absent in the other)"
                             : meaning(t, k, d->old[k]));
        *a = tui_attr(t, S_DIM);
    } else {
        char codes[128];
        tui_value(t, k, d->row.f[k], &v);
        item_codes(d, k, codes, sizeof codes);
        didq_buf_printf(b, "%-2s %-28.28s %-18s %-8s ", codes[0] ? "!" : "", ds->items[k].field,
                        v.p, codes);
        /* a meaning too long for the line continues under itself, not under the value */
        int at = tui_text_width(t, b->p);
        if (at + 16 < COLS) *indent = at;
        didq_buf_puts(b, meaning(t, k, d->row.f[k]));
        *a = codes[0] ? tui_attr(t, S_ERROR) : A_NORMAL;
    }
    didq_buf_free(&v);
}

/* Finding k of the record (item -1: a file-level finding on its line),
 * with its fix when didq fix has one. */
static void finding_text(tui *t, detail *d, int k, didq_buf *b, attr_t *a, int *indent)
{
    const didq_dataset *ds = didq_session_dataset(t->s);
    int it = atoi(didq_qtable_cell(d->findings, (size_t)k, 2));
    didq_buf_printf(b, "%s %-8s %-7s %s: %s", d->findings->mark[k] ? "!" : " ",
                    didq_qtable_cell(d->findings, (size_t)k, 0),
                    didq_qtable_cell(d->findings, (size_t)k, 1),
                    it >= 0 ? ds->items[it].field : "file, this line",
                    didq_qtable_cell(d->findings, (size_t)k, 3));
    fix_text(t, d, (size_t)k, it, b);
    *a = d->findings->mark[k] ? tui_attr(t, S_ERROR) : tui_attr(t, S_WARN);
    *indent = MESSAGE_X;
}

/* Line k of the raw source (r): its title, then its lines. */
static void raw_text(tui *t, detail *d, int k, didq_buf *b, attr_t *a, int *indent)
{
    if (k == 0) {
        didq_buf_puts(b, d->src_kind == TUI_SOURCE_XML
                             ? "Source XML (the record's ImagingActivity):"
                             : "Raw source line:");
        *a = tui_attr(t, S_TITLE);
    } else if (t->mask) {
        didq_buf_puts(b, "(hidden while masking is on; m turns masking off)");
    } else if (d->src_kind == TUI_SOURCE_NONE) {
        didq_buf_puts(b, "(the source cannot be read)");
    } else {
        src_line(d, k - 1, b);
        *indent = -1;
    }
}

/* Line k of the detail text (the title, items, the findings' title and
 * findings, then the raw line), with its attribute and how it wraps
 * (indent; -1: split, spaces kept). */
static bool line_at(tui *t, detail *d, int k, didq_buf *b, attr_t *a, int *indent)
{
    int nitems = didq_session_dataset(t->s)->nitems + d->nold, nfind = (int)d->findings->nrows;
    *a = A_NORMAL;
    *indent = 0;
    if (k == 0) {
        title_text(t, d, b, a, indent);
    } else if (--k < nitems) {
        item_text(t, d, k, b, a, indent);
    } else if ((k -= nitems) == 0) {
        findings_title(t, d, b);
        *a = tui_attr(t, S_TITLE);
        *indent = 2;
    } else if (--k < nfind) {
        finding_text(t, d, k, b, a, indent);
    } else {
        k -= nfind;
        if (!d->raw || k >= raw_lines(t, d)) return false;
        raw_text(t, d, k, b, a, indent);
    }
    return true;
}

/* Draws line k wrapped in at most maxl rows from y (y < 0: only counts);
 * returns the rows, 0 past the last line. */
static int wrapped(tui *t, detail *d, int k, int y, int maxl)
{
    didq_buf b = {0};
    attr_t a;
    int indent, n = 0;
    if (line_at(t, d, k, &b, &a, &indent)) {
        const char *s = b.p ? b.p : "";
        n = indent < 0 ? tui_wrap_hard(t, y, 1, COLS - 1, maxl, s, a)
                       : tui_wrap(t, y, 1, COLS - 1, maxl, indent, s, a);
    }
    didq_buf_free(&b);
    return n;
}

/* The first line that lets the last lines fill h rows. */
static int last_top(tui *t, detail *d, int h)
{
    int n = 0;
    while (wrapped(t, d, n, -1, 0))
        n++;
    int top = n, used = 0;
    while (top > 0) {
        int r = wrapped(t, d, top - 1, -1, 0);
        if (used + r > h) break;
        used += r, top--;
    }
    return top < n ? top : (n ? n - 1 : 0);
}

static void de_draw(tui *t, tui_view *v, int y, int h)
{
    detail *d = v->st;
    tui_put(t, y, 0, COLS, "   Item                         Value              Findings Meaning",
            A_BOLD | A_UNDERLINE);
    for (int k = d->top, row = 0; row < h - 1; k++) {
        int n = wrapped(t, d, k, y + 1 + row, h - 1 - row); /* the last one marked if cut */
        if (!n) break;
        row += n;
    }
}

/* n, p, and Down or Up past the end: the next or previous record of the
 * list below (its cursor moves with it, so Esc returns to the record last
 * shown); the raw line stays shown if it was. */
static void step_record(tui *t, tui_view *v, bool down)
{
    detail *d = v->st;
    tui_view *list = t->depth >= 2 ? &t->stack[t->depth - 2] : NULL;
    didq_row next;
    if (!list || list->ops != &tui_records_ops) {
        tui_msg(t, "this record was not opened from a list");
        return;
    }
    if (!tui_records_step(list, down, &next)) {
        tui_msg(t, "%s record of the list", down ? "last" : "first");
        return;
    }
    bool raw = d->raw;
    de_close(v);
    memset(d, 0, sizeof *d);
    de_open(t, v, &next);
    didq_row_clear(&next);
    if (raw) d->raw = true, read_source(t, d);
}

static bool de_key(tui *t, tui_view *v, tui_action a)
{
    detail *d = v->st;
    int lines =
        2 + DIDQ_V1_ITEMS + d->nold + (int)d->findings->nrows + (d->raw ? raw_lines(t, d) : 0);
    switch (a) {
    case A_next_record:
    case A_prev_record:
        step_record(t, v, a == A_next_record);
        return true;
    case A_raw: {
        d->raw = !d->raw;
        if (d->raw) read_source(t, d);
        int end = last_top(t, d, v->height - HEAD); /* raw on: down to the raw line; off: no gap */
        if (d->raw ? d->top < end : d->top > end) d->top = end;
        return true;
    }
    case A_down: /* past the end: the next record */
        if (d->top >= last_top(t, d, v->height - HEAD))
            step_record(t, v, true);
        else
            d->top += d->top + 1 < lines;
        return true;
    case A_up: /* past the start: the previous record */
        if (d->top == 0)
            step_record(t, v, false);
        else
            d->top--;
        return true;
    case A_home:
        d->top = 0;
        return true;
    case A_end:
    case A_pgdn:
        d->top = last_top(t, d, v->height - HEAD);
        return true;
    case A_pgup:
        d->top = 0;
        return true;
    case A_enter:
        return true;
    case A_patient:
        tui_patient(t, d->row.id);
        return true;
    case A_note:
        tui_note_record(t, &d->row, "");
        return true;
    default:
        return false;
    }
}

const tui_view_ops tui_detail_ops = {
    .name = "Record",
    .ctx = "detail",
    .private_size = sizeof(detail),
    .open = de_open,
    .draw = de_draw,
    .key = de_key,
    .close = de_close,
    .keys = "r:raw source line  Up/Down:scroll  Esc:back",
};
