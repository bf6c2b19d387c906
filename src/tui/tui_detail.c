/* tui_detail.c: one record: every data item with its raw value, the
 * meaning of coded values, the findings on each item with their messages,
 * and the file and line it came from; r shows the raw source line. */
#include "didq/ident.h"
#include "didq/store.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct detail {
    didq_row row;
    didq_qtable *findings;
    bool raw;
    int top;
} detail;

static void de_open(tui *t, tui_view *v, const void *arg)
{
    detail *d = didq_xcalloc(1, sizeof *d);
    didq_row_copy(&d->row, arg);
    d->findings = didq_query_record_findings(t->s, d->row.id);
    v->st = d;
    snprintf(v->crumb, sizeof v->crumb, "line %lld", (long long)d->row.line);
}

static void de_close(tui_view *v)
{
    detail *d = v->st;
    didq_row_clear(&d->row);
    didq_qtable_free(d->findings);
    free(d);
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

/* Line k of the detail text (items, then findings, then the raw line). */
static bool line_at(tui *t, detail *d, int k, didq_buf *b, attr_t *a)
{
    const didq_dataset *ds = didq_session_dataset(t->s);
    *a = A_NORMAL;
    if (k == 0) {
        didq_buf_printf(b, "%s line %lld (record %lld)", d->row.file, (long long)d->row.line,
                        (long long)d->row.id);
        *a = A_BOLD;
        return true;
    }
    k--;
    if (k < ds->nitems) {
        char codes[128];
        didq_buf v = {0};
        tui_value(t, k, d->row.f[k], &v);
        item_codes(d, k, codes, sizeof codes);
        didq_buf_printf(b, "%-2s %-28.28s %-18s %-8s %s", codes[0] ? "!" : "", ds->items[k].field,
                        v.p, codes, meaning(t, k, d->row.f[k]));
        *a = codes[0] ? tui_attr(t, S_ERROR) : A_NORMAL;
        didq_buf_free(&v);
        return true;
    }
    k -= ds->nitems;
    if (k == 0) {
        didq_buf_printf(b, "Findings (%zu)", d->findings->nrows);
        *a = tui_attr(t, S_TITLE);
        return true;
    }
    k--;
    if ((size_t)k < d->findings->nrows) {
        int it = atoi(didq_qtable_cell(d->findings, (size_t)k, 2));
        /* item -1: a file-level finding on the record's line */
        didq_buf_printf(b, "%s %-8s %-7s %s: %s", d->findings->mark[k] ? "!" : " ",
                        didq_qtable_cell(d->findings, (size_t)k, 0),
                        didq_qtable_cell(d->findings, (size_t)k, 1),
                        it >= 0 ? ds->items[it].field : "file, this line",
                        didq_qtable_cell(d->findings, (size_t)k, 3));
        *a = d->findings->mark[k] ? tui_attr(t, S_ERROR) : tui_attr(t, S_WARN);
        return true;
    }
    k -= (int)d->findings->nrows;
    if (!d->raw || k > 1) return false;
    if (k == 0) {
        didq_buf_puts(b, "Raw source line:");
        *a = tui_attr(t, S_TITLE);
    } else if (t->mask) {
        didq_buf_puts(b, "(hidden while masking is on; m turns masking off)");
    } else if (!tui_source_line(t, d->row.id, b)) {
        didq_buf_puts(b, "(the source cannot be read)");
    }
    return true;
}

static void de_draw(tui *t, tui_view *v, int y, int h)
{
    detail *d = v->st;
    tui_put(t, y, 0, COLS, "   Item                         Value              Findings Meaning",
            A_BOLD | A_UNDERLINE);
    for (int i = 0; i < h - 1; i++) {
        didq_buf b = {0};
        attr_t a;
        if (!line_at(t, d, d->top + i, &b, &a)) {
            didq_buf_free(&b);
            break;
        }
        tui_put(t, y + 1 + i, 1, COLS - 1, b.p ? b.p : "", a);
        didq_buf_free(&b);
    }
}

static bool de_key(tui *t, tui_view *v, tui_action a)
{
    detail *d = v->st;
    int lines = 2 + DIDQ_V1_ITEMS + (int)d->findings->nrows + (d->raw ? 2 : 0);
    switch (a) {
    case A_raw:
        d->raw = !d->raw;
        if (d->raw && lines + 2 > LINES - 5) d->top = lines + 2 - (LINES - 5);
        return true;
    case A_down:
        d->top += d->top + 1 < lines;
        return true;
    case A_up:
        d->top -= d->top > 0;
        return true;
    case A_home:
        d->top = 0;
        return true;
    case A_end:
    case A_pgdn:
        d->top = lines > 5 ? lines - 5 : 0;
        return true;
    case A_pgup:
        d->top = 0;
        return true;
    case A_enter:
        return true;
    default:
        return false;
    }
}

static const char *de_footer(tui_view *v)
{
    return "r:raw source line  Up/Down:scroll  Esc:back";
}

const tui_view_ops tui_detail_ops = {
    .name = "Record",
    .ctx = "detail",
    .open = de_open,
    .draw = de_draw,
    .key = de_key,
    .close = de_close,
    .footer = de_footer,
};

bool tui_source_line(tui *t, int64_t id, didq_buf *out)
{
    sqlite3_stmt *q =
        didq_prepare(didq_session_db(t->s), "SELECT r.offset, f.path FROM records r JOIN files f"
                                            " ON f.id = r.file WHERE r.id = ?");
    sqlite3_bind_int64(q, 1, id);
    bool ok = false;
    if (sqlite3_step(q) == SQLITE_ROW) {
        long long off = sqlite3_column_int64(q, 0);
        const char *path = (const char *)sqlite3_column_text(q, 1);
        char buf[4096];
        size_t n = 0;
        if (t->o->mem_buf && path && t->o->mem_name && strcmp(path, t->o->mem_name) == 0) {
            if (off >= 0 && (size_t)off < t->o->mem_len) {
                n = t->o->mem_len - (size_t)off < sizeof buf ? t->o->mem_len - (size_t)off
                                                             : sizeof buf;
                memcpy(buf, t->o->mem_buf + off, n);
                ok = true;
            }
        } else if (path) {
            FILE *f = fopen(path, "rb");
            if (f && fseek(f, (long)off, SEEK_SET) == 0) {
                n = fread(buf, 1, sizeof buf, f);
                ok = true;
            }
            if (f) fclose(f);
        }
        size_t end = 0;
        while (end < n && buf[end] != '\n' && buf[end] != '\r')
            end++;
        if (ok) didq_buf_add(out, buf, end);
        if (ok && !out->p) didq_buf_puts(out, "");
    }
    sqlite3_finalize(q);
    return ok;
}
