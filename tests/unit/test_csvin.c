/* The CSV reader's internals (csvin.c is included, so its static functions
 * and state can be reached): the field count of a row that is too wide for
 * an int, with the count injected instead of feeding 2 GB of commas. */
#include "../../src/core/ingest/csvin.c"
#include "csvline.h"
#include "testlib.h"

#include <limits.h>

typedef struct got {
    int records, findings;
    char msg[256];
    uint64_t nfields;
    char raw[DIDQ_MAX_ITEMS][128]; /* the last record's raw values, "<null>" absent */
    unsigned flags;
} got;

static int on_record(void *ctx, didq_record *r)
{
    got *g = ctx;
    g->records++;
    g->nfields = (uint64_t)r->nfields;
    g->flags = r->flags;
    for (int k = 0; k < DIDQ_MAX_ITEMS; k++)
        snprintf(g->raw[k], sizeof g->raw[k], "%.*s", r->f[k].raw ? (int)r->f[k].raw_len : 6,
                 r->f[k].raw ? r->f[k].raw : "<null>");
    return 0;
}

static void on_finding(void *ctx, const char *code, uint64_t line, const char *msg)
{
    got *g = ctx;
    if (!g->findings++)
        snprintf(g->msg, sizeof g->msg, "%s line %llu: %s", code, (unsigned long long)line,
                 msg ? msg : "");
}

/* A row reaching past INT_MAX fields (the counter starts just below it, as
 * after 2^31 - 2 commas): counted in full, reported, nothing stored past
 * the 256 kept columns. */
static void test_fields_past_int_max(void)
{
    got g = {0};
    didq_reader_cb cb = {&g, on_record, on_finding, NULL};
    csvin *in = didq_csvin_new(didq_dataset_v1(), &cb, 1);
    in->header_checked = 1;
    in->nf = (size_t)INT_MAX - 1;
    const char *row = "x,y,z\n";
    int st = didq_csvin_feed(in, (const unsigned char *)row, strlen(row));
    CHECK(st == 0, "status %d", st);
    CHECK(g.records == 1, "one record: %d", g.records);
    CHECK(strcmp(g.msg, "DIDS075 line 1: Row has 2147483649 fields, expected 18") == 0, "%s",
          g.msg);
    CHECK(g.nfields == (uint64_t)INT_MAX + 2, "nfields %llu", (unsigned long long)g.nfields);
    CHECK(in->row.n == 0, "row buffer emptied");
    didq_csvin_free(in);
}

static uint32_t lcg(uint32_t *x)
{
    *x = *x * 1103515245u + 12345u;
    return *x >> 16;
}

/* didq_csv_line_scan (SSE2 on x86-64) against the bytes one by one: the
 * commas' bits, a quote, a NUL or non-ASCII byte, on lines of every length
 * around the 16- and 64-byte steps. */
enum { LINE_TEST = 700 };

static void test_line_scan(void)
{
    static const unsigned char pick[] = {',', ',', 'a', 'Z', ' ', '1', '"', 0, 0x80, 0xff, '\t'};
    uint32_t x = 7;
    for (int t = 0; t < 20000; t++) {
        unsigned char s[LINE_TEST];
        size_t n = lcg(&x) % (LINE_TEST + 1);
        int rare = (int)(lcg(&x) % 4); /* 0: quotes, NUL and high bytes allowed */
        for (size_t i = 0; i < n; i++)
            s[i] = pick[lcg(&x) % (rare ? 6 : sizeof pick)];
        uint64_t bits[LINE_TEST / 64 + 1], want[LINE_TEST / 64 + 1] = {0};
        int odd = -1, want_odd = 0, want_q = 0;
        for (size_t i = 0; i < n; i++) {
            want[i / 64] |= (uint64_t)(s[i] == ',') << (i % 64);
            want_q |= s[i] == '"';
            want_odd |= s[i] == 0 || s[i] >= 0x80;
        }
        int ok = didq_csv_line_scan(s, n, bits, &odd);
        CHECK(ok == !want_q, "line %d (%zu bytes): quote %d, want %d", t, n, !ok, want_q);
        if (!ok) continue;
        CHECK(odd == want_odd, "line %d (%zu bytes): odd %d, want %d", t, n, odd, want_odd);
        CHECK(memcmp(bits, want, (n / 64 + 1) * sizeof *bits) == 0, "line %d (%zu bytes): commas",
              t, n);
    }
}

/* A row split into its 18 raw values, empty ones absent: short rows and
 * rows of over 1,000 bytes, their commas in several 64-bit words. */
static void test_split_rows(void)
{
    uint32_t x = 11;
    for (int t = 0; t < 400; t++) {
        char line[2048], want[18][128];
        size_t n = 0, width = t % 2 ? 60 : 12; /* up to 18 x 61 bytes */
        for (int k = 0; k < 18; k++) {
            size_t w = lcg(&x) % (width + 1);
            for (size_t i = 0; i < w; i++)
                want[k][i] = (char)('a' + lcg(&x) % 26);
            want[k][w] = 0;
            n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", k ? "," : "", want[k]);
        }
        line[n++] = '\n';
        got g = {0};
        didq_reader_cb cb = {&g, on_record, on_finding, NULL};
        csvin *in = didq_csvin_new(didq_dataset_v1(), &cb, 1);
        in->header_checked = 1;
        CHECK(didq_csvin_feed(in, (const unsigned char *)line, n) == 0, "row %d fed", t);
        CHECK(g.records == 1 && g.nfields == 18, "row %d: %d records, %llu fields", t, g.records,
              (unsigned long long)g.nfields);
        for (int k = 0; k < 18; k++)
            CHECK(strcmp(g.raw[k], want[k][0] ? want[k] : "<null>") == 0,
                  "row %d (%zu bytes) value %d: '%s', want '%s'", t, n, k, g.raw[k], want[k]);
        didq_csvin_free(in);
    }
}

/* A NUL byte in a short plain row is noted in its record (the scan's odd
 * bytes), as in a long one. */
static void test_nul_noted(void)
{
    for (int wide = 0; wide < 2; wide++) {
        char line[1200] = "a,b,c";
        size_t n = strlen(line);
        if (wide) {
            memset(line + n, 'x', 700);
            n += 700;
        }
        memcpy(line + n, ",d\0e,f\n", 8);
        n += 8;
        got g = {0};
        didq_reader_cb cb = {&g, on_record, on_finding, NULL};
        csvin *in = didq_csvin_new(didq_dataset_v1(), &cb, 1);
        in->header_checked = 1;
        CHECK(didq_csvin_feed(in, (const unsigned char *)line, n) == 0, "fed");
        CHECK(g.records == 1 && (g.flags & DIDQ_REC_NUL), "wide %d: NUL flagged (flags %#x)", wide,
              g.flags);
        CHECK(g.nfields == 5, "wide %d: 5 fields, not %llu", wide, (unsigned long long)g.nfields);
        didq_csvin_free(in);
    }
}

int main(void)
{
    test_line_scan();
    test_split_rows();
    test_nul_noted();
    test_fields_past_int_max();
    return test_done();
}
