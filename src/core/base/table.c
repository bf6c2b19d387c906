/* table.c: the one reader of didq's own CSV tables (see table.h for the
 * CSV it reads), and whole tables in memory on top of it. */
#include "didq/table.h"
#include "didq/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { ROW_BYTES = DIDQ_TABLE_ROW_BYTES, CHUNK = 1 << 20 };

/* The states of libcsv's parser, whose reading the tables keep, and two of
 * the reader's own: a comment line, and the rest of a line skipped. */
enum { ROW_NOT_BEGUN, FIELD_NOT_BEGUN, FIELD_BEGUN, FIELD_MIGHT_HAVE_ENDED, COMMENT, SKIP };

typedef struct reader {
    didq_table_opts o;
    didq_table_fn fn;
    void *ctx;
    char *buf;     /* the row's fields, NUL-separated */
    size_t used;   /* bytes of buf in use */
    size_t start;  /* where the current field starts in buf */
    char **f;      /* the fields, pointing into buf */
    size_t *len;   /* their lengths */
    int n, cap;    /* fields, and room for them */
    int state;     /* one of the states above */
    bool quoted;   /* the current field began with a quote */
    size_t spaces; /* blanks at the end of the field, to drop */
    bool over;     /* the row ran past ROW_BYTES */
    bool started;  /* past the byte order mark */
    bool lf;       /* a LF has been seen: lines end in LF or CRLF */
    bool stop;     /* the callback asked to stop, or a NUL in text mode */
    char prev;     /* the byte before */
    uint64_t line; /* the current physical line, 1-based */
    uint64_t row_line, quote_line, index;
} reader;

static void reader_init(reader *r, const didq_table_opts *o, didq_table_fn fn, void *ctx)
{
    *r = (reader){.fn = fn, .ctx = ctx, .buf = didq_xmalloc(ROW_BYTES), .line = 1, .prev = '\n'};
    if (o) r->o = *o;
}

static void reader_free(reader *r)
{
    free(r->buf);
    free(r->f);
    free(r->len);
}

static void put(reader *r, char c)
{
    if (r->used + 2 > ROW_BYTES) { /* c and the field's NUL */
        r->over = true;
        return;
    }
    r->buf[r->used++] = c;
}

static void grow(reader *r, int n)
{
    if (n <= r->cap) return;
    while (r->cap < n)
        r->cap = r->cap ? 2 * r->cap : 32;
    r->f = didq_xrealloc(r->f, (size_t)r->cap * sizeof *r->f);
    r->len = didq_xrealloc(r->len, (size_t)r->cap * sizeof *r->len);
}

static void end_field(reader *r)
{
    if (!r->quoted) r->used -= r->spaces;
    if (r->over || r->used + 1 > ROW_BYTES) {
        r->over = true;
        return;
    }
    grow(r, r->n + 1);
    r->f[r->n] = r->buf + r->start;
    r->len[r->n++] = r->used - r->start;
    r->buf[r->used++] = 0;
    r->start = r->used;
    r->quoted = false;
    r->spaces = 0;
}

/* Hands the row (or, with bad, the malformed row at line) to the caller. */
static void end_row(reader *r, const char *bad, uint64_t line)
{
    char why[96];
    if (r->over && !bad) {
        snprintf(why, sizeof why, "a row longer than %d bytes; the rest of its line is skipped",
                 ROW_BYTES);
        bad = why, line = r->row_line;
    }
    didq_table_row row = {r->f, r->len, r->n, bad ? line : r->row_line, r->index++, bad};
    if (r->fn(r->ctx, &row)) r->stop = true;
    r->n = 0;
    r->used = r->start = r->spaces = 0;
    r->quoted = r->over = false;
    r->state = ROW_NOT_BEGUN;
}

static void not_closed(reader *r, const char *where)
{
    char why[96];
    snprintf(why, sizeof why, "a quote opened on this line is not closed %s", where);
    end_field(r);
    end_row(r, why, r->quote_line);
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool eol(char c)
{
    return c == '\r' || c == '\n';
}

static void field_not_begun(reader *r, char c)
{
    if (blank(c)) return;
    if (c == ',') {
        end_field(r);
    } else if (eol(c)) {
        end_field(r);
        end_row(r, NULL, 0);
    } else {
        r->state = FIELD_BEGUN;
        r->spaces = 0;
        r->quoted = c == '"';
        if (r->quoted)
            r->quote_line = r->line;
        else
            put(r, c);
    }
}

static void field_begun(reader *r, char c)
{
    if (r->quoted) {
        if (c == '"') { /* kept until it proves to be the closing quote */
            put(r, c);
            r->state = FIELD_MIGHT_HAVE_ENDED;
        } else if (c == '\n' && r->o.maxcol) {
            not_closed(r, "on it");
        } else {
            put(r, c);
        }
    } else if (c == ',') {
        end_field(r);
        r->state = FIELD_NOT_BEGUN;
    } else if (eol(c)) {
        end_field(r);
        end_row(r, NULL, 0);
    } else {
        put(r, c);
        r->spaces = blank(c) ? r->spaces + 1 : 0;
    }
}

/* After a quote inside a quoted field: a comma or line end closes the field
 * (dropping the quote and the blanks after it), a second quote is one
 * quote, anything else is text. */
static void field_might_have_ended(reader *r, char c)
{
    if (c == ',' || eol(c)) {
        r->used -= r->spaces + 1;
        end_field(r);
        r->state = FIELD_NOT_BEGUN;
        if (c != ',') end_row(r, NULL, 0);
    } else if (blank(c)) {
        put(r, c);
        r->spaces++;
    } else if (c == '"' && !r->spaces) {
        r->state = FIELD_BEGUN;
    } else {
        put(r, c);
        r->spaces = 0;
        if (c != '"') r->state = FIELD_BEGUN;
    }
}

static void row_not_begun(reader *r, char c)
{
    if (blank(c) || eol(c)) return;
    if (c == '#' && r->o.comments) {
        r->state = COMMENT;
        return;
    }
    r->row_line = r->line;
    r->state = FIELD_NOT_BEGUN;
    field_not_begun(r, c);
}

static void count_line(reader *r, char c)
{
    if (c == '\r' || (c == '\n' && r->prev != '\r')) r->line++;
    if (c == '\n') r->lf = true;
    r->prev = c;
}

static void byte(reader *r, char c)
{
    if (c == 0 && r->o.text) {
        end_row(r, "a NUL byte: not a text file", r->line);
        r->stop = true;
        return;
    }
    switch (r->state) {
    case ROW_NOT_BEGUN:
        row_not_begun(r, c);
        break;
    case FIELD_NOT_BEGUN:
        field_not_begun(r, c);
        break;
    case FIELD_BEGUN:
        field_begun(r, c);
        break;
    case FIELD_MIGHT_HAVE_ENDED:
        field_might_have_ended(r, c);
        break;
    default: /* COMMENT, SKIP */
        if (eol(c)) r->state = ROW_NOT_BEGUN;
    }
    if (r->over && r->state != ROW_NOT_BEGUN && r->state != SKIP) {
        end_row(r, NULL, 0); /* reported as too long */
        r->state = eol(c) ? ROW_NOT_BEGUN : SKIP;
    }
    count_line(r, c);
}

/* The end of the input. */
static void finish(reader *r)
{
    switch (r->state) {
    case FIELD_MIGHT_HAVE_ENDED:
        r->used -= r->spaces + 1;
        /* fall through */
    case FIELD_NOT_BEGUN:
        end_field(r);
        end_row(r, NULL, 0);
        break;
    case FIELD_BEGUN:
        if (r->quoted) {
            not_closed(r, "(it runs to the end of the file)");
        } else {
            end_field(r);
            end_row(r, NULL, 0);
        }
        break;
    default:
        break;
    }
}

static void trim(const char **s, size_t *n)
{
    while (*n && blank(**s))
        (*s)++, (*n)--;
    while (*n && blank((*s)[*n - 1]))
        (*n)--;
}

/* The next field of a line on the fast path, from *i (moved past it);
 * false if the line needs the full reader (a quote in an unquoted field, a
 * doubled quote, text after a closing quote). */
static bool fast_field(const char *s, size_t *i, size_t n, const char **f, size_t *len)
{
    size_t k = *i;
    while (k < n && s[k] == ' ')
        k++;
    if (k < n && s[k] == '"') {
        const char *q = memchr(s + k + 1, '"', n - k - 1);
        if (!q || (q + 1 < s + n && q[1] == '"')) return false;
        *f = s + k + 1;
        *len = (size_t)(q - *f);
        k = (size_t)(q - s) + 1;
        while (k < n && s[k] == ' ')
            k++;
        *i = k;
        return k >= n || s[k] == ',';
    }
    const char *c = memchr(s + k, ',', n - k);
    *f = s + k;
    *len = c ? (size_t)(c - *f) : n - k;
    *i = k + *len;
    trim(f, len);
    return !memchr(*f, '"', *len);
}

/* Splits the first *maxcol fields of one line (without its LF) as the full
 * reader would, leaving them in the line (not NUL-terminated); false if
 * the line needs the full reader (or is blank). */
static bool fast_line(reader *r, const char *s, size_t n)
{
    if (n && s[n - 1] == '\r') n--;
    size_t i = 0;
    while (i < n && blank(s[i]))
        i++;
    if (i == n) return false;
    int k = 0, max = *r->o.maxcol;
    grow(r, max);
    for (i = 0; k < max; i++) { /* i++: the comma */
        const char *f;
        size_t len;
        if (!fast_field(s, &i, n, &f, &len)) return false;
        r->f[k] = (char *)f; /* only read: the callback gets a const row */
        r->len[k++] = len;
        if (i >= n) break;
    }
    r->n = k;
    r->row_line = r->line;
    end_row(r, NULL, 0);
    return true;
}

/* Feeds p[0..n); returns the bytes used: all, unless (line mode) the rest
 * is the start of a line that the next read completes. */
static size_t feed(reader *r, const char *p, size_t n, bool eof)
{
    const char *s = p, *end = p + n;
    if (!r->started) {
        if (n < 3 && !eof) return 0; /* the byte order mark needs 3 bytes */
        r->started = true;
        if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3;
    }
    while (s < end && !r->stop) {
        if (r->o.maxcol && *r->o.maxcol > 0 && r->lf && r->prev == '\n' &&
            r->state == ROW_NOT_BEGUN) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            if (!nl && !eof && end - s < ROW_BYTES) return (size_t)(s - p);
            if (fast_line(r, s, (size_t)((nl ? nl : end) - s))) {
                r->line++;
                s = nl ? nl + 1 : end;
                continue;
            }
        }
        byte(r, *s++);
    }
    return n;
}

void didq_table_read(const char *text, size_t len, const didq_table_opts *o, didq_table_fn fn,
                     void *ctx)
{
    reader r;
    reader_init(&r, o, fn, ctx);
    feed(&r, text, len, true);
    if (!r.stop) finish(&r);
    reader_free(&r);
}

int didq_table_read_file(const char *path, const didq_table_opts *o, didq_table_fn fn, void *ctx,
                         char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
    }
    reader r;
    reader_init(&r, o, fn, ctx);
    char *buf = didq_xmalloc(CHUNK);
    size_t have = 0, got;
    while (!r.stop && (got = fread(buf + have, 1, CHUNK - have, fp)) > 0) {
        have += got;
        size_t used = feed(&r, buf, have, false);
        memmove(buf, buf + used, have - used);
        have -= used;
    }
    int rc = 0;
    if (ferror(fp)) {
        snprintf(err, errlen, "read error: %s", strerror(errno));
        rc = -1;
    } else if (!r.stop) {
        feed(&r, buf, have, true);
        if (!r.stop) finish(&r);
    }
    free(buf);
    reader_free(&r);
    fclose(fp);
    return rc;
}

int didq_table_row_col(const didq_table_row *hdr, const char *names)
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

/* ---- whole tables ---- */

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
    didq_strvec all; /* every cell of every row, rows padded to ncols */
    size_t ncols;
    size_t nrows;
    bool have_header;
    char *err;
    size_t errlen;
    bool failed;
} builder;

static int on_row(void *ctx, const didq_table_row *row)
{
    builder *b = ctx;
    if (row->bad) {
        snprintf(b->err, b->errlen, "line %llu: %s", (unsigned long long)row->line, row->bad);
        b->failed = true;
        return 1;
    }
    if (!b->have_header) {
        b->ncols = (size_t)row->n;
        b->have_header = true;
    } else {
        b->nrows++;
    }
    for (size_t i = 0; i < b->ncols; i++)
        didq_strvec_push(&b->all,
                         (int)i < row->n ? didq_strndup(row->f[i], row->len[i]) : didq_strdup(""));
    return 0;
}

didq_table *didq_table_parse(const char *text, size_t len, char *err, size_t errlen)
{
    builder b = {.err = err, .errlen = errlen};
    didq_table_read(text, len, NULL, on_row, &b);
    if (b.failed) {
        didq_strvec_free(&b.all);
        return NULL;
    }
    didq_table *t = didq_xcalloc(1, sizeof *t);
    t->ncols = b.ncols;
    t->nrows = b.nrows;
    t->header = b.all.v;
    t->cells = b.all.v ? b.all.v + b.ncols : NULL; /* an empty text has no cells */
    return t;
}

didq_table *didq_table_embedded(const char *name)
{
    size_t len;
    char err[160];
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
