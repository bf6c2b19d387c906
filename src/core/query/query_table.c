/* query_table.c: small aggregate tables with per-cell drill-downs. */
#include "didq/query.h"
#include "didq/text.h"
#include "didq/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

didq_qtable *didq_qtable_new(int ncols, const char **head, const char *align)
{
    didq_qtable *t = didq_xcalloc(1, sizeof *t);
    t->ncols = ncols;
    t->head = head;
    t->align = align;
    return t;
}

size_t didq_qtable_row(didq_qtable *t)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        size_t n = t->cap * (size_t)t->ncols;
        t->cells = didq_xrealloc(t->cells, n * sizeof *t->cells);
        t->where = didq_xrealloc(t->where, n * sizeof *t->where);
        t->label = didq_xrealloc(t->label, n * sizeof *t->label);
        t->count = didq_xrealloc(t->count, n * sizeof *t->count);
        t->mark = didq_xrealloc(t->mark, t->cap);
    }
    size_t r = t->nrows++;
    for (int c = 0; c < t->ncols; c++) {
        size_t k = r * (size_t)t->ncols + (size_t)c;
        t->cells[k] = didq_strdup("");
        t->where[k] = NULL;
        t->label[k] = NULL;
        t->count[k] = -1;
    }
    t->mark[r] = 0;
    return r;
}

__attribute__((format(printf, 1, 0))) static char *vfmt(const char *fmt, va_list ap)
{
    didq_buf b = {0};
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    b.p = didq_xmalloc((size_t)n + 1);
    vsnprintf(b.p, (size_t)n + 1, fmt, ap);
    return b.p;
}

void didq_qtable_set(didq_qtable *t, size_t row, int col, const char *fmt, ...)
{
    size_t k = row * (size_t)t->ncols + (size_t)col;
    va_list ap;
    va_start(ap, fmt);
    free(t->cells[k]);
    t->cells[k] = vfmt(fmt, ap);
    va_end(ap);
}

void didq_qtable_drill(didq_qtable *t, size_t row, int col, const char *label, const char *fmt, ...)
{
    size_t k = row * (size_t)t->ncols + (size_t)col;
    va_list ap;
    va_start(ap, fmt);
    free(t->where[k]);
    t->where[k] = vfmt(fmt, ap);
    va_end(ap);
    free(t->label[k]);
    t->label[k] = didq_strdup(label);
}

void didq_qtable_count(didq_qtable *t, size_t row, int col, int64_t n)
{
    t->count[row * (size_t)t->ncols + (size_t)col] = n;
}

void didq_qtable_share(didq_qtable *t, size_t row, int col, uint64_t n, uint64_t of)
{
    if (of)
        didq_qtable_set(t, row, col, "%.2f", 100.0 * (double)n / (double)of);
    else
        didq_qtable_set(t, row, col, "-");
}

const char *didq_qtable_cell(const didq_qtable *t, size_t row, int col)
{
    if (row >= t->nrows || col < 0 || col >= t->ncols) return "";
    return t->cells[row * (size_t)t->ncols + (size_t)col];
}

void didq_qtable_free(didq_qtable *t)
{
    if (!t) return;
    for (size_t k = 0; k < t->nrows * (size_t)t->ncols; k++) {
        free(t->cells[k]);
        free(t->where[k]);
        free(t->label[k]);
    }
    free(t->cells);
    free(t->where);
    free(t->label);
    free(t->count);
    free(t->mark);
    free(t);
}

/* A cell: control characters escaped as the panes show them, then CSV
 * quoted (a formula-like cell gets an apostrophe: didq_text_csv). */
static void csv_cell(FILE *out, const char *s)
{
    didq_text_csv_safe(out, s, strlen(s));
}

size_t didq_qtable_csv(const didq_qtable *t, const size_t *order, FILE *out)
{
    for (int c = 0; c < t->ncols; c++) {
        if (c) fputc(',', out);
        csv_cell(out, t->head[c]);
    }
    fputs(",Marked\n", out);
    for (size_t k = 0; k < t->nrows; k++) {
        size_t r = order ? order[k] : k;
        for (int c = 0; c < t->ncols; c++) {
            if (c) fputc(',', out);
            csv_cell(out, didq_qtable_cell(t, r, c));
        }
        fputs(t->mark[r] ? ",!\n" : ",\n", out);
    }
    return t->nrows;
}

/* Moves row `from` to row `to` (to <= from), freeing what `to` held. */
static void move_row(didq_qtable *t, size_t to, size_t from)
{
    size_t nc = (size_t)t->ncols;
    for (size_t c = 0; c < nc && to != from; c++) {
        size_t a = to * nc + c, b = from * nc + c;
        free(t->cells[a]);
        free(t->where[a]);
        free(t->label[a]);
        t->cells[a] = t->cells[b], t->where[a] = t->where[b], t->label[a] = t->label[b];
        t->count[a] = t->count[b];
        t->cells[b] = didq_strdup(""), t->where[b] = NULL, t->label[b] = NULL;
    }
    t->mark[to] = t->mark[from];
}

/* A copy of row `from` appended. */
static size_t copy_row(didq_qtable *t, size_t from)
{
    size_t r = didq_qtable_row(t), nc = (size_t)t->ncols;
    for (size_t c = 0; c < nc; c++) {
        size_t a = r * nc + c, b = from * nc + c;
        free(t->cells[a]);
        t->cells[a] = didq_strdup(t->cells[b]);
        t->where[a] = t->where[b] ? didq_strdup(t->where[b]) : NULL;
        t->label[a] = t->label[b] ? didq_strdup(t->label[b]) : NULL;
        t->count[a] = t->count[b];
    }
    t->mark[r] = t->mark[from];
    return r;
}

void didq_qtable_keep_site(didq_qtable *t, int col, const char *site, const char *all)
{
    size_t k = 0, nc = (size_t)t->ncols;
    bool had_all = false;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *v = didq_qtable_cell(t, r, col);
        if (all && strcmp(v, all) == 0) had_all = true;
        if (strcmp(v, site) == 0) move_row(t, k++, r);
    }
    size_t n = t->nrows;
    for (size_t r = k; r < n; r++) /* the rows left out */
        for (size_t c = 0; c < nc; c++) {
            free(t->cells[r * nc + c]);
            free(t->where[r * nc + c]);
            free(t->label[r * nc + c]);
        }
    t->nrows = k;
    if (!had_all || !k) return;
    /* the every-site row, first: the site's first row under the label */
    size_t r = copy_row(t, 0);
    for (; r > 0; r--) {
        size_t a = r * nc, b = (r - 1) * nc;
        for (size_t c = 0; c < nc; c++) {
            char *x = t->cells[a + c], *w = t->where[a + c], *l = t->label[a + c];
            int64_t n2 = t->count[a + c];
            t->cells[a + c] = t->cells[b + c], t->where[a + c] = t->where[b + c];
            t->label[a + c] = t->label[b + c], t->count[a + c] = t->count[b + c];
            t->cells[b + c] = x, t->where[b + c] = w, t->label[b + c] = l, t->count[b + c] = n2;
        }
        unsigned char m = t->mark[r];
        t->mark[r] = t->mark[r - 1], t->mark[r - 1] = m;
    }
    didq_qtable_set(t, 0, col, "%s", all);
    t->mark[0] = 0; /* a mark is a site's, and the every-site row is none */
}
