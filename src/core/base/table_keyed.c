/* table_keyed.c: a CSV file whose header names the columns a reader wants
 * (the `--notes` and `--baseline` files): the header matched once, each
 * row's fields handed over in the caller's order, and the first problem
 * reported as FILE:LINE: reason. */
#include "didq/table.h"
#include "didq/util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { KEYED_MAX = 16 }; /* columns a keyed file may name */

typedef struct kread {
    const didq_keyed_csv *k;
    int col[KEYED_MAX], ncols;
    bool have_header;
    const char *bad;
    uint64_t line;
    char why[400];
} kread;

/* "a, b and c" */
static void name_list(const didq_keyed_csv *k, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = 0;
    for (int c = 0; c < k->n && used < cap; c++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s",
                                 c == 0          ? ""
                                 : c + 1 == k->n ? " and "
                                                 : ", ",
                                 k->names[c]);
}

static const char *read_header(kread *r, const didq_table_row *row)
{
    const didq_keyed_csv *k = r->k;
    for (int c = 0; c < k->n; c++) {
        r->col[c] = -1;
        for (int i = 0; i < row->n; i++)
            if (strcasecmp(row->f[i], k->names[c]) == 0) r->col[c] = i;
        if (r->col[c] < 0) {
            char names[160];
            name_list(k, names, sizeof names);
            snprintf(r->why, sizeof r->why,
                     "the header must name the columns %.160s (%.80s%.40s is missing)", names,
                     k->header_hint, k->names[c]);
            return r->why;
        }
    }
    r->ncols = row->n;
    return NULL;
}

static const char *read_row(kread *r, const didq_table_row *row)
{
    const didq_keyed_csv *k = r->k;
    if (k->wide_hint && row->n > r->ncols) {
        snprintf(r->why, sizeof r->why, "%d fields, the header has %d (%s)", row->n, r->ncols,
                 k->wide_hint);
        return r->why;
    }
    const char *f[KEYED_MAX];
    size_t len[KEYED_MAX];
    for (int c = 0; c < k->n; c++) {
        int i = r->col[c];
        f[c] = i < row->n ? row->f[i] : "";
        len[c] = i < row->n ? row->len[i] : 0;
    }
    return k->on_row(k->ctx, f, len, row->line, r->why, sizeof r->why);
}

static int on_row(void *ctx, const didq_table_row *row)
{
    kread *r = ctx;
    if (row->bad) /* copied: the reader's text lasts only for this call */
        snprintf(r->why, sizeof r->why, "%s", row->bad), r->bad = r->why;
    else if (r->have_header)
        r->bad = read_row(r, row);
    else
        r->bad = read_header(r, row);
    r->have_header = true;
    r->line = row->line;
    return r->bad != NULL;
}

int didq_keyed_csv_read(const char *path, const didq_keyed_csv *k, char *err, size_t errlen)
{
    if (k->n < 1 || k->n > KEYED_MAX) didq_die("a keyed CSV file of %d columns", k->n);
    static const didq_table_opts opts = {.text = true};
    kread r = {.k = k};
    char why[256];
    if (didq_table_read_file(path, &opts, on_row, &r, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -2;
    }
    if (r.bad || !r.have_header) {
        snprintf(err, errlen, "%s:%llu: %s", path, r.bad ? (unsigned long long)r.line : 1ull,
                 r.bad ? r.bad : k->no_header);
        return -1;
    }
    return 0;
}
