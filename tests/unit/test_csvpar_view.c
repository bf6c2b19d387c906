/* test_csvpar_view.c: the parallel CSV load of a source in memory (a
 * mapped file: its blocks are views of the bytes, csvpar_read.c view_reader)
 * against the same bytes read from a file descriptor (blocks copied from
 * read(2)): every record (its line, offset, record number, width, flags
 * and raw values) and every file-level finding the same and in the same
 * order, at blocks of 64, 100 and 4096 bytes and 2 and 3 workers, on
 * inputs made to end a block at its edges: rows ending exactly at a block
 * boundary, no line break at the end, CRLF, a byte order mark and a
 * header, a line longer than four blocks, short rows, and a quoted line
 * break, in a later block or in the first (the load goes serial from it,
 * reading the rest from the carry). */
#include "csvpar.h"
#include "didq/util.h"
#include "testlib.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static const char ROW[] = "9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,"
                          "2026-10-01,2026-10-02,2026-10-03,XABDO,417905003,2026-10-04,RR864,"
                          "ACC%05d%s";

/* What the load gave, one line per record or finding. */
static void log_record(void *ctx, didq_record *r, const unsigned char *data, size_t n)
{
    didq_buf *b = ctx;
    (void)data, (void)n;
    didq_buf_printf(b, "R %llu %llu %llu %llu %u:", (unsigned long long)r->line,
                    (unsigned long long)r->offset, (unsigned long long)r->recno,
                    (unsigned long long)r->nfields, r->flags);
    for (int i = 0; i < didq_dataset_v1()->nitems; i++)
        if (r->f[i].raw) didq_buf_printf(b, "|%.*s", (int)r->f[i].raw_len, r->f[i].raw);
    didq_buf_printf(b, "\n");
}

static void log_finding(void *ctx, const char *code, uint64_t line, const char *msg)
{
    didq_buf_printf(ctx, "F %s %llu %s\n", code, (unsigned long long)line, msg ? msg : "");
}

static size_t eval(void *ctx, didq_record *r, unsigned char *out)
{
    (void)ctx, (void)r, (void)out;
    return 0;
}

enum { HEAD = 64 };

/* Loads text (n bytes) from a file descriptor or from memory; the log. */
static char *load(const char *text, size_t n, bool mem, int threads)
{
    didq_buf log = {0};
    char path[] = "/tmp/didq-csvpar-view-XXXXXX", err[200] = "";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, n) != (ssize_t)n) return didq_strdup("(no temporary file)");
    unlink(path);
    lseek(fd, 0, SEEK_SET);
    didq_src src = {.fd = fd};
    if (mem) src = (didq_src){.fd = -1, .mem = (const unsigned char *)text, .len = n};
    unsigned char head[HEAD];
    long got = didq_src_read(&src, head, n < HEAD ? n : HEAD);
    didq_csvpar_opts o = {.ds = didq_dataset_v1(),
                          .src = &src,
                          .head = head,
                          .nhead = got > 0 ? (size_t)got : 0,
                          .file = 1,
                          .threads = threads,
                          .eval = eval,
                          .consume = log_record,
                          .finding = log_finding,
                          .ctx = &log,
                          .err = err,
                          .errlen = sizeof err};
    int st = didq_csvpar_run(&o);
    didq_buf_printf(&log, "status %d\n", st);
    close(fd);
    return log.p ? log.p : didq_strdup("");
}

/* rows rows (row k's accession ACC0000k), each ended by eol; then tail. */
static char *rows(int n, const char *eol, const char *tail, size_t *len)
{
    didq_buf b = {0};
    for (int k = 0; k < n; k++)
        didq_buf_printf(&b, ROW, k, eol);
    didq_buf_printf(&b, "%s", tail);
    *len = b.n;
    return b.p;
}

static void same(const char *name, const char *text, size_t n)
{
    static const char *const blocks[] = {"64", "100", "4096"};
    for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++)
        for (int t = 2; t <= 3; t++) {
            setenv("DIDQ_BLOCK_BYTES", blocks[b], 1);
            char *want = load(text, n, false, t), *got = load(text, n, true, t);
            CHECK(strcmp(want, got) == 0, "%s, blocks of %s, %d workers: the views differ", name,
                  blocks[b], t);
            CHECK(strstr(want, "R ") != NULL, "%s: no record loaded", name);
            free(want);
            free(got);
        }
}

int main(void)
{
    size_t n, row = strlen(ROW) - 4 + 5 + 1; /* a row with "\n": 162 bytes */
    char *t = rows(300, "\n", "", &n);
    same("plain rows", t, n);
    free(t);
    t = rows(299, "\n", "9434765919,01,1945-06-21,A,2", &n);
    same("no line break at the end, a short row", t, n);
    free(t);
    t = rows(300, "\r\n", "", &n);
    same("CRLF", t, n);
    free(t);
    /* a multiple of 4096 bytes: the input ends exactly at a block's end */
    int k = 4096 * 3 / (int)row;
    t = rows(k, "\n", "", &n);
    char *pad = didq_xmalloc(4096 * 3 + 1);
    memcpy(pad, t, n);
    memset(pad + n, 'x', 4096 * 3 - n - 1);
    pad[4096 * 3 - 1] = '\n';
    same("an input of exactly three blocks", pad, 4096 * 3);
    free(pad);
    free(t);
    didq_buf b = {0};
    didq_buf_printf(&b, "\xEF\xBB\xBFnhs_number,a,b\n");
    for (int i = 0; i < 200; i++)
        didq_buf_printf(&b, ROW, i, i == 90 ? ",\"a long line" : "\n");
    didq_buf_printf(&b, "\n");
    same("a byte order mark, a header, an unclosed quote", b.p, b.n);
    b.n = 0;
    for (int i = 0; i < 200; i++) {
        didq_buf_printf(&b, ROW, i, "");
        if (i == 50) /* a line of more than four 64-byte blocks */
            for (int j = 0; j < 40; j++)
                didq_buf_printf(&b, "LONGVALUE");
        didq_buf_printf(&b, i == 120 ? ",\"two\nlines\"\n" : "\n");
    }
    same("a long line, a quoted line break", b.p, b.n);
    b.n = 0;
    for (int i = 0; i < 200; i++)
        didq_buf_printf(&b, ROW, i,
                        i == 1 ? ",\"a quoted\nline break in the first block\"\n" : "\n");
    same("a quoted line break in the first block", b.p, b.n);
    didq_buf_free(&b);
    return test_done();
}
