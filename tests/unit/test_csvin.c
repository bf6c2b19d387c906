/* The CSV reader's internals (csvin.c is included, so its static functions
 * and state can be reached): the field count of a row that is too wide for
 * an int, with the count injected instead of feeding 2 GB of commas. */
#include "../../src/core/ingest/csvin.c"
#include "testlib.h"

#include <limits.h>

typedef struct got {
    int records, findings;
    char msg[256];
    uint64_t nfields;
} got;

static int on_record(void *ctx, didq_record *r)
{
    got *g = ctx;
    g->records++;
    g->nfields = (uint64_t)r->nfields;
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

int main(void)
{
    test_fields_past_int_max();
    return test_done();
}
