/* refdata_csv.c: streaming the official CSV files through libcsv, the date
 * forms they use, and the loaders' shared bookkeeping. */
#include "refdata_int.h"
#include "didq/date.h"
#include "didq/util.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_COLS = 256, ROW_BYTES = 1 << 16, CHUNK = 1 << 18 };

typedef struct stream {
    refcsv_fn fn;
    void *ctx;
    char *buf; /* the row's fields, NUL-separated */
    size_t used;
    size_t off[MAX_COLS], len[MAX_COLS];
    char *f[MAX_COLS];
    int n;
    uint64_t line;
    int stop;
} stream;

static void on_field(void *data, size_t len, void *ctx)
{
    stream *st = ctx;
    if (st->n == MAX_COLS) return;
    if (st->used + len + 1 > ROW_BYTES)
        len = st->used + 1 < ROW_BYTES ? ROW_BYTES - st->used - 1 : 0;
    if (len) memcpy(st->buf + st->used, data, len);
    st->off[st->n] = st->used;
    st->len[st->n++] = len;
    st->used += len;
    st->buf[st->used++] = 0;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    stream *st = ctx;
    st->line++;
    if (!st->stop) {
        for (int i = 0; i < st->n; i++)
            st->f[i] = st->buf + st->off[i];
        refcsv_row row = {st->f, st->len, st->n, st->line};
        st->stop = st->fn(st->ctx, &row);
    }
    st->n = 0;
    st->used = 0;
}

int refcsv_stream(const char *path, refcsv_fn fn, void *ctx, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    struct csv_parser p;
    csv_init(&p, 0);
    stream st = {.fn = fn, .ctx = ctx, .buf = didq_xmalloc(ROW_BYTES)};
    char *chunk = didq_xmalloc(CHUNK);
    size_t got;
    int rc = 0;
    while (!st.stop && (got = fread(chunk, 1, CHUNK, fp)) > 0)
        if (csv_parse(&p, chunk, got, on_field, on_row, &st) != got) {
            snprintf(err, errlen, "CSV cannot be parsed near row %llu: %s",
                     (unsigned long long)st.line + 1, csv_strerror(csv_error(&p)));
            rc = -1;
            break;
        }
    if (rc == 0 && ferror(fp)) {
        snprintf(err, errlen, "read error: %s", strerror(errno));
        rc = -1;
    }
    if (rc == 0 && !st.stop) csv_fini(&p, on_field, on_row, &st);
    csv_free(&p);
    free(chunk);
    free(st.buf);
    fclose(fp);
    return rc;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int ymd(int y, int m, int d, int32_t *out)
{
    if (m < 1 || m > 12 || d < 1 || d > didq_date_days_in_month(y, m)) return 0;
    *out = didq_date_from_ymd(y, m, d);
    return 1;
}

int refdate_parse(const char *s, size_t n, int32_t *out)
{
    *out = DIDQ_NODATE;
    if (n == 0) return 1;
    if (n == 8 && digits(s, 8)) return ymd(num(s, 4), num(s + 4, 2), num(s + 6, 2), out);
    if (n == 6 && digits(s, 6)) return ymd(num(s, 4), num(s + 4, 2), 1, out);
    if (n >= 10 && s[4] == '-' && s[7] == '-' && digits(s, 4) && digits(s + 5, 2) &&
        digits(s + 8, 2) && (n == 10 || s[10] == ' ' || s[10] == 'T'))
        return ymd(num(s, 4), num(s + 5, 2), num(s + 8, 2), out);
    if (n >= 10 && s[2] == '/' && s[5] == '/' && digits(s, 2) && digits(s + 3, 2) &&
        digits(s + 6, 4) && (n == 10 || s[10] == ' '))
        return ymd(num(s + 6, 4), num(s + 3, 2), num(s, 2), out);
    return 0;
}

enum { MAX_MSGS = 10 };

void refload_bad(refload *L, uint64_t line, const char *fmt, ...)
{
    if (L->file->bad++ >= MAX_MSGS || !L->fn) return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    L->fn(L->ctx, L->file->path, line, msg);
}

void refload_newest(refload *L, int32_t day)
{
    if (day != DIDQ_NODATE && (L->file->newest == DIDQ_NODATE || day > L->file->newest))
        L->file->newest = day;
}

int refcsv_col(const refcsv_row *hdr, const char *names)
{
    for (const char *p = names; *p;) {
        size_t n = strcspn(p, " ");
        for (int i = 0; i < hdr->n; i++)
            if (hdr->len[i] == n && strncasecmp(hdr->f[i], p, n) == 0) return i;
        p += n;
        p += strspn(p, " ");
    }
    return -1;
}

/* ---- the line-based fast path for the large ONSPD file ---- */

static void trim(const char **s, size_t *n)
{
    while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* Splits the first maxcol fields of a line that has no doubled quotes and
 * no quoted line breaks; returns 0 if the line needs the full parser. */
static int fast_fields(stream *st, const char *s, size_t n, int maxcol)
{
    size_t i = 0;
    st->n = 0;
    st->used = 0;
    while (st->n < maxcol && st->n < MAX_COLS) {
        const char *f;
        size_t len;
        while (i < n && s[i] == ' ')
            i++;
        if (i < n && s[i] == '"') {
            const char *q = memchr(s + i + 1, '"', n - i - 1);
            if (!q || (q + 1 < s + n && q[1] == '"')) return 0;
            f = s + i + 1;
            len = (size_t)(q - f);
            i = (size_t)(q - s) + 1;
            while (i < n && s[i] == ' ')
                i++;
            if (i < n && s[i] != ',') return 0;
        } else {
            const char *c = memchr(s + i, ',', n - i);
            f = s + i;
            len = c ? (size_t)(c - f) : n - i;
            if (memchr(f, '"', len)) return 0;
            i += len;
            trim(&f, &len);
        }
        st->f[st->n] = (char *)f; /* not NUL-terminated: the callers use len */
        st->len[st->n++] = len;
        if (i >= n) break;
        i++; /* the comma */
    }
    return 1;
}

/* One physical line: fast path when it applies, else libcsv. */
static void one_line(stream *st, struct csv_parser *p, char *s, size_t n, int maxcol)
{
    if (n && s[n - 1] == '\r') n--;
    if (n == 0) return;
    if (maxcol > 0 && fast_fields(st, s, n, maxcol)) {
        refcsv_row row = {st->f, st->len, st->n, st->line};
        st->stop = st->fn(st->ctx, &row);
        st->n = 0;
        return;
    }
    st->line--; /* on_row counts it again */
    st->n = 0;
    st->used = 0;
    csv_parse(p, s, n, on_field, on_row, st);
    csv_fini(p, on_field, on_row, st);
}

int refcsv_stream_lines(const char *path, const int *maxcol, refcsv_fn fn, void *ctx, char *err,
                        size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    struct csv_parser p;
    csv_init(&p, 0);
    stream st = {.fn = fn, .ctx = ctx, .buf = didq_xmalloc(ROW_BYTES)};
    size_t cap = 1 << 20, have = 0, got;
    char *buf = didq_xmalloc(cap);
    while (!st.stop && (got = fread(buf + have, 1, cap - have, fp)) > 0) {
        have += got;
        char *s = buf, *end = buf + have, *nl;
        while (!st.stop && (nl = memchr(s, '\n', (size_t)(end - s))) != NULL) {
            st.line++;
            one_line(&st, &p, s, (size_t)(nl - s), *maxcol);
            s = nl + 1;
        }
        have = (size_t)(end - s);
        memmove(buf, s, have);
        if (have == cap) buf = didq_xrealloc(buf, cap *= 2);
    }
    if (!st.stop && have) {
        st.line++;
        one_line(&st, &p, buf, have, *maxcol);
    }
    int rc = 0;
    if (ferror(fp)) {
        snprintf(err, errlen, "read error: %s", strerror(errno));
        rc = -1;
    }
    csv_free(&p);
    free(buf);
    free(st.buf);
    fclose(fp);
    return rc;
}
