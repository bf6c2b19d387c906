/* fuzz_xml.c: the DIDS v1 XML reader (libxml2 SAX push parser) on its
 * own, fed in small blocks, every record cleansed and put through the
 * per-record rules. */
#include "didq/dataset.h"
#include "didq/date.h"
#include "didq/reader.h"
#include "didq/rules.h"
#include "fuzz.h"

#include <stdlib.h>

static const didq_dataset *ds;
static didq_ruleset *rs;
static didq_ctx ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ds = didq_dataset_v1();
    rs = didq_ruleset_new(ds, NULL);
    ctx.submitted = didq_date_from_ymd(2018, 8, 1);
    ctx.submitted_month = didq_date_month_index(ctx.submitted);
    return 0;
}

typedef struct counts {
    unsigned long records, findings, hits, bytes;
} counts;

static int on_record(void *c, didq_record *r)
{
    counts *k = c;
    didq_hit hits[256];
    k->records++;
    k->hits += (unsigned long)didq_ruleset_eval(rs, r, &ctx, hits, 256);
    for (int i = 0; i < ds->nitems; i++)
        for (uint32_t j = 0; j < r->f[i].len; j++)
            k->bytes += (unsigned char)r->f[i].val[j];
    return 0;
}

static void on_finding(void *c, const char *code, uint64_t line, const char *msg)
{
    counts *k = c;
    k->findings += code[0] != 0 && (msg == NULL || msg[0] != 1);
    (void)line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    counts k = {0};
    didq_reader_cb cb = {.ctx = &k, .record = on_record, .finding = on_finding};
    size_t nhead = size < 64 ? size : 64;
    didq_src src = {.fd = -1, .mem = data + nhead, .len = size - nhead};
    char err[256];
    didq_xml_read(&src, 1, ds, &cb, data, nhead, err, sizeof err);
    return 0;
}
