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
    size_t n = strlen(s);
    didq_buf b = {0};
    didq_text_escape(&b, s, n);
    didq_text_csv(out, b.p ? b.p : "", b.n);
    didq_buf_free(&b);
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
