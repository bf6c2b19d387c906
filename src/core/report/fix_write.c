/* fix_write.c: the copy of IN with the planned values replaced.  Bytes are
 * copied as they are up to a record with a fix; that record's fields are
 * walked (quotes, doubled quotes, line ends as the CSV reader reads them)
 * and only the field of a fix is rewritten, in its own quoting style, when
 * it still holds the bytes the plan saw.  Everything else is copied. */
#include "fix_int.h"

#include "didq/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FIELD_KEEP = 128 };

/* The bytes of the field being replaced, held back until it ends (or
 * written through once it is longer than any value a fix changes). */
typedef struct fieldbuf {
    char raw[FIELD_KEEP], val[FIELD_KEEP];
    size_t nraw, nval;
    bool over, quoted, after_quote; /* bytes after the closing quote */
} fieldbuf;

static void spill(FILE *out, fieldbuf *f)
{
    if (!f->over) fwrite(f->raw, 1, f->nraw, out);
    f->over = true;
}

static void put_raw(FILE *out, fieldbuf *f, int c)
{
    if (!f || f->over) {
        putc(c, out);
        return;
    }
    if (f->nraw == FIELD_KEEP) {
        spill(out, f);
        putc(c, out);
        return;
    }
    f->raw[f->nraw++] = (char)c;
}

static void put_val(FILE *out, fieldbuf *f, int c)
{
    if (!f || f->over) return;
    if (f->nval == FIELD_KEEP) {
        spill(out, f);
        return;
    }
    f->val[f->nval++] = (char)c;
}

/* Copies (or holds in f) one field from in; returns the byte that ended
 * it: ',' (written) or a line end or EOF (left in the input). */
static int field(FILE *in, FILE *out, uint64_t *pos, fieldbuf *f)
{
    int c = getc(in);
    bool quoted = c == '"';
    if (f) f->quoted = quoted;
    if (quoted) {
        put_raw(out, f, c);
        ++*pos;
        while ((c = getc(in)) != EOF) {
            put_raw(out, f, c);
            ++*pos;
            if (c != '"') {
                put_val(out, f, c);
                continue;
            }
            int d = getc(in);
            if (d != '"') {
                if (d != EOF) ungetc(d, in);
                break;
            }
            put_raw(out, f, d);
            put_val(out, f, d);
            ++*pos;
        }
        c = getc(in);
    }
    while (c != EOF && c != ',' && c != '\r' && c != '\n') {
        if (f && quoted) f->after_quote = true;
        put_raw(out, f, c);
        put_val(out, f, c);
        ++*pos;
        c = getc(in);
    }
    return c;
}

static void replace(FILE *out, fieldbuf *f, fix_edit *e, didq_fix_plan *p)
{
    if (f->over) {
        p->mismatched++;
        return;
    }
    if (f->after_quote || f->nval != e->old_len || memcmp(f->val, e->old_raw, e->old_len) != 0) {
        fwrite(f->raw, 1, f->nraw, out);
        p->mismatched++;
        return;
    }
    if (f->quoted) putc('"', out);
    fwrite(e->new_raw, 1, e->new_len, out); /* a fixed value holds no quote */
    if (f->quoted) putc('"', out);
    e->applied = true;
    p->applied[e->row]++;
}

static int by_col(const void *a, const void *b)
{
    const fix_edit *x = a, *y = b;
    return (x->col > y->col) - (x->col < y->col);
}

/* The record at *pos with its n edits. */
static int rewrite_record(FILE *in, FILE *out, uint64_t *pos, fix_edit *e, size_t n,
                          didq_fix_plan *p)
{
    qsort(e, n, sizeof *e, by_col);
    size_t k = 0;
    for (unsigned col = 1; k < n; col++) {
        fieldbuf fb;
        bool target = e[k].col == col;
        if (target) memset(&fb, 0, sizeof fb);
        int end = field(in, out, pos, target ? &fb : NULL);
        if (target) replace(out, &fb, &e[k++], p);
        if (end != ',') {
            if (end != EOF) ungetc(end, in);
            break;
        }
        putc(end, out);
        ++*pos;
    }
    p->mismatched += n - k;
    return 0;
}

static int copy_until(FILE *in, FILE *out, uint64_t *pos, uint64_t to)
{
    char buf[1 << 16];
    while (*pos < to) {
        size_t want = to - *pos < sizeof buf ? (size_t)(to - *pos) : sizeof buf;
        size_t got = fread(buf, 1, want, in);
        if (got == 0) return -1;
        fwrite(buf, 1, got, out);
        *pos += got;
    }
    return 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

int didq_fix_write(didq_fix_plan *p, FILE *out, char *err, size_t errlen)
{
    FILE *in = fopen(p->path, "rb");
    struct stat st;
    if (!in || fstat(fileno(in), &st) != 0) {
        snprintf(err, errlen, "%s: %s", p->path, strerror(errno));
        if (in) fclose(in);
        return -1;
    }
    int rc = same_file(&st, &p->st) ? 0 : -1;
    uint64_t pos = 0;
    for (size_t k = 0; k < p->n && rc == 0;) {
        size_t end = k;
        while (end < p->n && p->e[end].offset == p->e[k].offset)
            end++;
        rc = copy_until(in, out, &pos, p->e[k].offset);
        if (rc == 0) rc = rewrite_record(in, out, &pos, p->e + k, end - k, p);
        k = end;
    }
    if (rc == 0) rc = copy_until(in, out, &pos, UINT64_MAX) == 0 || feof(in) ? 0 : -1;
    if (rc == 0 && (ferror(in) || fstat(fileno(in), &st) != 0 || !same_file(&st, &p->st))) rc = -1;
    if (rc != 0)
        snprintf(err, errlen, "%s: changed or unreadable since it was checked; nothing written",
                 p->path);
    fclose(in);
    return rc;
}

uint64_t didq_fix_applied(const didq_fix_plan *p)
{
    uint64_t n = 0;
    for (int i = 0; i < DIDQ_FIX_MAX; i++)
        n += p->applied[i];
    return n;
}
