/* table.c: CSV text -> didq_table, via libcsv. */
#include "didq/table.h"
#include "didq/util.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct didq_embedded {
    const char *name;
    const char *data;
    size_t len;
};
extern const struct didq_embedded didq_embedded_files[];

const char *didq_embedded(const char *name, size_t *len)
{
    for (const struct didq_embedded *e = didq_embedded_files; e->name; e++) {
        if (strcmp(e->name, name) == 0) {
            if (len) *len = e->len;
            return e->data;
        }
    }
    return NULL;
}

typedef struct builder {
    didq_strvec row; /* cells of the row being read */
    didq_strvec all; /* every cell of every row, rows padded to ncols */
    size_t ncols;
    size_t nrows;
    int have_header;
} builder;

static void on_field(void *s, size_t n, void *data)
{
    builder *b = data;
    didq_strvec_push(&b->row, didq_strndup(s ? s : "", s ? n : 0));
}

static void on_row(int c, void *data)
{
    builder *b = data;
    if (!b->have_header) {
        b->ncols = b->row.n;
        b->have_header = 1;
    } else {
        b->nrows++;
    }
    for (size_t i = 0; i < b->ncols; i++)
        didq_strvec_push(&b->all, i < b->row.n ? b->row.v[i] : didq_strdup(""));
    for (size_t i = b->ncols; i < b->row.n; i++)
        free(b->row.v[i]);
    b->row.n = 0;
}

static didq_table *builder_finish(builder *b)
{
    didq_table *t = didq_xcalloc(1, sizeof *t);
    t->ncols = b->ncols;
    t->nrows = b->nrows;
    t->header = b->all.v;
    t->cells = b->all.v + b->ncols;
    free(b->row.v);
    return t;
}

didq_table *didq_table_parse(const char *text, size_t len, char *err, size_t errlen)
{
    struct csv_parser p;
    builder b = {0};
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (csv_parse(&p, text, len, on_field, on_row, &b) != len ||
        csv_fini(&p, on_field, on_row, &b) != 0) {
        snprintf(err, errlen, "%s", csv_strerror(csv_error(&p)));
        csv_free(&p);
        didq_strvec_free(&b.row);
        didq_strvec_free(&b.all);
        return NULL;
    }
    csv_free(&p);
    return builder_finish(&b);
}

didq_table *didq_table_embedded(const char *name)
{
    size_t len;
    char err[128];
    const char *text = didq_embedded(name, &len);
    if (!text) didq_die("internal error: embedded table %s is missing", name);
    didq_table *t = didq_table_parse(text, len, err, sizeof err);
    if (!t) didq_die("internal error: embedded table %s: %s", name, err);
    return t;
}

int didq_table_col(const didq_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcasecmp(t->header[i], name) == 0) return (int)i;
    return -1;
}

const char *didq_table_get(const didq_table *t, size_t row, int col)
{
    if (col < 0 || (size_t)col >= t->ncols || row >= t->nrows) return "";
    return t->cells[row * t->ncols + (size_t)col];
}

void didq_table_free(didq_table *t)
{
    if (!t) return;
    size_t n = (t->nrows + 1) * t->ncols;
    for (size_t i = 0; i < n; i++)
        free(t->header[i]);
    free(t->header);
    free(t);
}
