/* test_table.c: the reader of didq's own tables (table.c).  It reads as
 * libcsv did for these files (compared on many random inputs), its ONSPD
 * fast path splits as the full reader does, and it gives physical line
 * numbers and a reason for each malformed row. */
#include "didq/table.h"
#include "testlib.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>

/* Rows as text: fields joined by '|', rows ended by '\n'; a bad row is
 * "!LINE reason\n". */
typedef struct rows {
    char s[8192];
    size_t n;
    int nrows, nbad;
    int nfields; /* of the row libcsv is reading */
    uint64_t line[64];
} rows;

static void add(rows *r, const char *p, size_t n)
{
    if (r->n + n + 1 < sizeof r->s) {
        memcpy(r->s + r->n, p, n);
        r->n += n;
        r->s[r->n] = 0;
    }
}

static int on_row(void *ctx, const didq_table_row *row)
{
    rows *r = ctx;
    if (r->nrows < 64) r->line[r->nrows] = row->line;
    r->nrows++;
    if (row->bad) {
        char b[160];
        r->nbad++;
        add(r, b,
            (size_t)snprintf(b, sizeof b, "!%llu %s\n", (unsigned long long)row->line, row->bad));
        return 0;
    }
    for (int i = 0; i < row->n; i++) {
        if (i) add(r, "|", 1);
        add(r, row->f[i], row->len[i]);
    }
    add(r, "\n", 1);
    return 0;
}

static rows read_text(const char *s, size_t n, const didq_table_opts *o)
{
    rows r = {0};
    didq_table_read(s, n, o, on_row, &r);
    return r;
}

/* libcsv (options 0, as the reference files were read before) */
static void lib_field(void *p, size_t n, void *ctx)
{
    rows *r = ctx;
    if (r->nfields++) add(r, "|", 1);
    add(r, p ? p : "", p ? n : 0);
}

static void lib_row(int c, void *ctx)
{
    (void)c;
    rows *r = ctx;
    r->nrows++;
    r->nfields = 0;
    add(r, "\n", 1);
}

static rows read_libcsv(const char *s, size_t n)
{
    rows r = {0};
    struct csv_parser p;
    csv_init(&p, 0);
    csv_parse(&p, s, n, lib_field, lib_row, &r);
    csv_fini(&p, lib_field, lib_row, &r);
    csv_free(&p);
    return r;
}

static uint64_t rng = 88172645463325252ull;
static unsigned next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 32);
}

/* A random input over the bytes that matter to CSV.  An empty row from
 * libcsv's point of view ("," alone) cannot arise: every row has a field. */
static size_t random_text(char *s, size_t cap, const char *alphabet)
{
    size_t n = next() % cap, k = strlen(alphabet);
    for (size_t i = 0; i < n; i++)
        s[i] = alphabet[next() % k];
    return n;
}

static void test_as_libcsv(void)
{
    int same = 0, differ = 0, unclosed = 0;
    for (int it = 0; it < 200000; it++) {
        char s[40];
        size_t n = random_text(s, sizeof s, "ab ,\"\t\r\n,\"");
        rows a = read_text(s, n, NULL), b = read_libcsv(s, n);
        if (a.nbad) {
            /* only a quote never closed, on the last row, which libcsv ends
             * at the end of the input */
            const char *bad = strrchr(a.s, '!');
            bool last = a.nbad == 1 && bad && strstr(bad, "not closed (it runs to the end");
            size_t keep = (size_t)(bad - a.s);
            if (!last || a.nrows != b.nrows || strncmp(a.s, b.s, keep) != 0) {
                if (differ++ < 5) CHECK(0, "unclosed quote, input [%.*s]", (int)n, s);
            }
            unclosed++;
            continue;
        }
        if (a.nrows == b.nrows && strcmp(a.s, b.s) == 0)
            same++;
        else if (differ++ < 5)
            CHECK(0, "input [%.*s]: reader [%s], libcsv [%s]", (int)n, s, a.s, b.s);
    }
    CHECK(differ == 0, "%d of 200000 random inputs read differently from libcsv", differ);
    CHECK(same > 100000 && unclosed > 10000, "the inputs cover both: %d same, %d unclosed", same,
          unclosed);
}

/* The rows of r (a header, then one row) with the second cut to maxcol
 * fields. */
static void cut(const rows *r, int maxcol, char *out)
{
    const char *p = strchr(r->s, '\n') + 1;
    size_t w = (size_t)(p - r->s);
    memcpy(out, r->s, w);
    for (int col = 0; *p && *p != '\n'; p++) {
        if (*p == '|' && ++col == maxcol) break;
        out[w++] = *p;
    }
    if (*p) out[w++] = '\n';
    out[w] = 0;
}

/* Line mode: the fast path's first maxcol fields are the full reader's. */
static void test_fast_path(void)
{
    int checked = 0, fast = 0, differ = 0;
    for (int it = 0; it < 100000; it++) {
        char s[48] = "h\n";
        size_t n = 2 + random_text(s + 2, 40, "ab \t ,,\"");
        s[n++] = '\n';
        int maxcol = 1 + (int)(next() % 4), none = 0;
        didq_table_opts fo = {.maxcol = &maxcol}, so = {.maxcol = &none};
        rows a = read_text(s, n, &fo), b = read_text(s, n, &so);
        if (b.nbad) continue; /* the fast path may take what the rest breaks */
        checked++;
        /* the fast path gives the first maxcol fields, or (when it does not
         * apply) all of them */
        char fa[8192], fb[8192];
        cut(&a, maxcol, fa);
        cut(&b, maxcol, fb);
        if (!strchr(s + 2, '"')) fast++;
        if (a.nrows != b.nrows || strcmp(fa, fb) != 0) {
            if (differ++ < 5)
                CHECK(0, "maxcol %d, line [%.*s]: fast [%s], full [%s]", maxcol, (int)n - 3, s + 2,
                      fa, fb);
        }
    }
    CHECK(differ == 0, "%d of %d lines split differently on the fast path", differ, checked);
    CHECK(checked > 50000 && fast > 10000, "covered: %d lines, %d without quotes", checked, fast);
}

static void expect_n(const char *name, const char *in, size_t n, const didq_table_opts *o,
                     const char *want)
{
    rows r = read_text(in, n, o);
    CHECK(strcmp(r.s, want) == 0, "%s: got [%s], want [%s]", name, r.s, want);
}

static void expect(const char *name, const char *in, const didq_table_opts *o, const char *want)
{
    expect_n(name, in, strlen(in), o, want);
}

static void test_lines_and_problems(void)
{
    const char *in = "a,b\n\n\nc,d\r\ne,\"f\ng\"\rh\n";
    rows r = read_text(in, strlen(in), NULL);
    CHECK(r.nrows == 4 && r.line[0] == 1 && r.line[1] == 4 && r.line[2] == 5 && r.line[3] == 7,
          "physical lines 1 4 5 7 (LF, blank lines, CRLF, a quoted line break, CR): %llu %llu "
          "%llu %llu",
          (unsigned long long)r.line[0], (unsigned long long)r.line[1],
          (unsigned long long)r.line[2], (unsigned long long)r.line[3]);
    expect("byte order mark", "\xEF\xBB\xBFkind,x\n1,2\n", NULL, "kind|x\n1|2\n");
    expect("blanks and quotes", " a , \"b,c\" ,\"d\"\"e\"\n", NULL, "a|b,c|d\"e\n");
    expect("quote never closed", "k\n1\n\"2\n3\n", NULL,
           "k\n1\n!3 a quote opened on this line is not closed (it runs to the end of the file)\n");
    int zero = 0;
    didq_table_opts lines = {.maxcol = &zero};
    expect("line mode: a quote not closed on its line", "k\n\"1\n2\n", &lines,
           "k\n!2 a quote opened on this line is not closed on it\n2\n");
    didq_table_opts th = {.comments = true, .text = true};
    expect("comments", "# a \"quote\nk\n  # b,c\n1\n", &th, "k\n1\n");
    expect_n("NUL byte", "k\n1\n2\0003\n4\n", 10, &th, "k\n1\n!3 a NUL byte: not a text file\n");
    expect("no comments unless asked", "#k\n1\n", NULL, "#k\n1\n");

    static char big[3 * DIDQ_TABLE_ROW_BYTES];
    size_t n = (size_t)snprintf(big, sizeof big, "k\n");
    memset(big + n, 'x', DIDQ_TABLE_ROW_BYTES + 10);
    n += DIDQ_TABLE_ROW_BYTES + 10;
    n += (size_t)snprintf(big + n, sizeof big - n, ",y\nz\n");
    r = read_text(big, n, NULL);
    CHECK(r.nrows == 3 && r.nbad == 1 && strstr(r.s, "!2 a row longer than 65536 bytes") &&
              strstr(r.s, "\nz\n"),
          "a row past 64 KiB is bad, and reading goes on at the next line: [%.200s]", r.s);
}

static void test_tables(void)
{
    char err[128];
    didq_table *t = didq_table_parse("A,b\n1\n2,3,4\n", 12, err, sizeof err);
    CHECK(t && t->nrows == 2 && t->ncols == 2, "2 rows, 2 columns");
    if (t) {
        CHECK(strcmp(didq_table_get(t, 0, 1), "") == 0, "a short row is padded");
        CHECK(strcmp(didq_table_get(t, 1, didq_table_col(t, "B")), "3") == 0, "column by name");
        didq_table_free(t);
    }
    t = didq_table_parse("a\n\"b\n", 5, err, sizeof err);
    CHECK(!t && strstr(err, "line 2: a quote opened on this line is not closed"), "error: %s", err);
    didq_table_free(t);
    char f0[] = "x", f1[] = "MODALITY_ID", f2[] = "pcd";
    char *fields[] = {f0, f1, f2};
    size_t lens[] = {1, 11, 3};
    didq_table_row hdr = {fields, lens, 3, 1, 0, NULL};
    CHECK(didq_table_row_col(&hdr, "modality modality_id") == 1, "the second name");
    CHECK(didq_table_row_col(&hdr, "pcds PCD") == 2, "case ignored");
    CHECK(didq_table_row_col(&hdr, "pcds") == -1, "absent");
}

int main(void)
{
    test_as_libcsv();
    test_fast_path();
    test_lines_and_problems();
    test_tables();
    return test_done();
}
