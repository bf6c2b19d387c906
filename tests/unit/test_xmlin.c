/* The DIDS v1 XML reader on NHS England's XML fixtures (BSD-3, see
 * tests/data/nhs-rcl/LICENSE.md) and on hand-made edge cases: values,
 * nulls, lines, and the flattening of ImagingActivity into records. */
#include "didq/reader.h"
#include "didq/table.h"
#include "testlib.h"

#include <stdlib.h>

#define FIX DIDQ_TESTS_DIR "/data/nhs-rcl/xml/"

enum { MAXREC = 8 };

typedef struct got {
    int n, findings;
    char val[MAXREC][DIDQ_V1_ITEMS][64];
    int null[MAXREC][DIDQ_V1_ITEMS];
    uint64_t line[MAXREC];
    unsigned flags[MAXREC];
    char code[16];
    uint64_t fline;
} got;

static int on_record(void *ctx, didq_record *r)
{
    got *g = ctx;
    if (g->n == MAXREC) return 1;
    for (int i = 0; i < DIDQ_V1_ITEMS; i++) {
        g->null[g->n][i] = r->f[i].raw == NULL;
        size_t k = r->f[i].raw_len < 63 ? r->f[i].raw_len : 63;
        if (r->f[i].raw) memcpy(g->val[g->n][i], r->f[i].raw, k);
        g->val[g->n][i][k] = 0;
    }
    g->line[g->n] = r->line;
    g->flags[g->n++] = r->flags;
    return 0;
}

static void on_finding(void *ctx, const char *code, uint64_t line, const char *msg)
{
    got *g = ctx;
    if (!g->findings++) {
        snprintf(g->code, sizeof g->code, "%s", code);
        g->fline = line;
    }
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL, "%s", path);
    if (!f) exit(1);
    char *buf = malloc(1 << 20);
    *n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* Reads text, split so that the head is the first nhead bytes. */
static int read_mem(const char *text, size_t len, size_t nhead, got *g)
{
    memset(g, 0, sizeof *g);
    didq_reader_cb cb = {g, on_record, on_finding, NULL};
    didq_src src = {.fd = -1, .mem = (const unsigned char *)text + nhead, .len = len - nhead};
    char err[128];
    return didq_xml_read(&src, 1, didq_dataset_v1(), &cb, (const unsigned char *)text, nhead, err,
                         sizeof err);
}

static void test_example(void)
{
    size_t n;
    char *x = slurp(FIX "00001_example/input.xml", &n);
    got g;
    CHECK(read_mem(x, n, 7, &g) == DIDQ_READ_OK, "00001 reads");
    CHECK(g.n == 2, "two activities, two records: %d", g.n);
    CHECK(g.findings == 0, "no file finding: %s", g.code);
    CHECK(g.line[0] == 22 && g.line[1] == 30, "lines %llu %llu", (unsigned long long)g.line[0],
          (unsigned long long)g.line[1]);
    for (int r = 0; r < 2; r++) {
        CHECK(strcmp(g.val[r][DIDQ_NHS_NUMBER], "9018978892") == 0, "nhs %s", g.val[r][0]);
        CHECK(strcmp(g.val[r][DIDQ_POSTCODE], "LS1 4BT") == 0, "postcode");
        CHECK(strcmp(g.val[r][DIDQ_REFERRER], "C9999998") == 0, "referrer carried to each");
        CHECK(strcmp(g.val[r][DIDQ_TEST_DATE], "2018-08-03") == 0, "test date");
        CHECK(strcmp(g.val[r][DIDQ_SNOMED], "303686006") == 0, "snomed");
    }
    CHECK(strcmp(g.val[0][DIDQ_ACCESSION], "5121") == 0, "acc 1 %s", g.val[0][DIDQ_ACCESSION]);
    CHECK(strcmp(g.val[1][DIDQ_ACCESSION], "5122") == 0, "acc 2 %s", g.val[1][DIDQ_ACCESSION]);
    free(x);
}

/* expected.csv column for each of the 18 items, in item order. */
static const char *const expected_cols[DIDQ_V1_ITEMS] = {"NHS_NUMBER",
                                                         "NHS_NUMBER_STATUS",
                                                         "DATE_OF_BIRTH",
                                                         "ETHNIC_CATEGORY_CODE",
                                                         "GENDER_CODE",
                                                         "POSTCODE",
                                                         "GP_CODE",
                                                         "PATIENT_SOURCE_SETTING",
                                                         "REFERRER_CODE",
                                                         "REFERRER_ORGANISATION_CODE",
                                                         "DIAGNOSTIC_TEST_REQUEST_DATE",
                                                         "DIAGNOSTIC_TEST_REQUEST_RECEIVED_DATE",
                                                         "DIAGNOSTIC_TEST_DATE",
                                                         "IMAGING_CODE_NICIP",
                                                         "IMAGING_CODE_SNOMED_CT",
                                                         "SERVICE_REPORT_ISSUE_DATE",
                                                         "PROVIDER_SITE_CODE",
                                                         "RADIOLOGICAL_ACCESSION_NUMBER"};

static void test_simple(void)
{
    size_t n, en;
    char *x = slurp(FIX "00002_simple/input.xml", &n);
    char *e = slurp(FIX "00002_simple/expected.csv", &en);
    char err[128];
    didq_table *t = didq_table_parse(e, en, err, sizeof err);
    CHECK(t && t->nrows == 1, "expected.csv parses");
    got g;
    CHECK(read_mem(x, n, n, &g) == DIDQ_READ_OK, "00002 reads (all in the head)");
    CHECK(g.n == 1 && g.line[0] == 22, "one record at line 22");
    for (int i = 0; t && i < DIDQ_V1_ITEMS; i++) {
        const char *want = didq_table_get(t, 0, didq_table_col(t, expected_cols[i]));
        size_t wl = strlen(want);
        if (wl == 19 && strcmp(want + 10, " 00:00:00") == 0)
            wl = 10; /* NHS England writes dates as timestamps */
        CHECK(wl > 0 && strlen(g.val[0][i]) == wl && memcmp(g.val[0][i], want, wl) == 0,
              "item %d: %s, expected %s", i + 1, g.val[0][i], want);
    }
    didq_table_free(t);
    free(x);
    free(e);
}

static const char doc_head[] =
    "<DIDS xmlns='"
    "http://www.datadictionary.nhs.uk/data_dictionary/messages/DIDS-v1-0/'>\n"
    "<DIDSRecord><PersonalAndDemographics>\n"
    "<NHSNumber extension='' /><PersonBirthDate>  1950-01-02 </PersonBirthDate>\n"
    "<Address><postalCode/></Address>\n"
    "</PersonalAndDemographics><Referrals>\n"
    "<PatientSourceSetting code='01'/><ReferrerCode extension='G1234567'/>"
    "<ReferringOrgCode extension='RR8'/><DiagnosticTestReqDate>2018-07-01</DiagnosticTestReqDate>"
    "<DiagnosticTestReqRecDate/></Referrals>\n";

static void test_nulls_and_spaces(void)
{
    char doc[4096];
    snprintf(doc, sizeof doc,
             "%s<ImagingActivity><ImagingCodeNICIP code='XABDO'/><DiagnosticTestDate>"
             "<![CDATA[2018-07-03]]></DiagnosticTestDate><ImagingSiteCode extension=' RR801 '/>"
             "<RadiologicalAccessionNumber extension='A&amp;B'/></ImagingActivity>\n"
             "</DIDSRecord></DIDS>\n",
             doc_head);
    got g;
    CHECK(read_mem(doc, strlen(doc), 10, &g) == DIDQ_READ_OK, "hand-made doc reads: %s", g.code);
    CHECK(g.n == 1 && g.line[0] == 7, "one record at line 7");
    CHECK(g.null[0][DIDQ_NHS_NUMBER], "empty extension is null");
    CHECK(g.null[0][DIDQ_POSTCODE], "empty element is null");
    CHECK(g.null[0][DIDQ_RECEIVED_DATE], "empty mandatory element is null");
    CHECK(g.null[0][DIDQ_ETHNIC] && g.null[0][DIDQ_SNOMED], "absent elements are null");
    CHECK(strcmp(g.val[0][DIDQ_BIRTH_DATE], "  1950-01-02 ") == 0, "text kept raw");
    CHECK(strcmp(g.val[0][DIDQ_SITE], " RR801 ") == 0, "attribute kept raw");
    CHECK(strcmp(g.val[0][DIDQ_TEST_DATE], "2018-07-03") == 0, "CDATA read");
    CHECK(strcmp(g.val[0][DIDQ_ACCESSION], "A&B") == 0, "entity decoded: %s",
          g.val[0][DIDQ_ACCESSION]);
}

static void test_huge_text(void)
{
    size_t big = 100000, hl = strlen(doc_head);
    char *doc = malloc(hl + big + 512);
    memcpy(doc, doc_head, hl);
    size_t k = hl;
    k += (size_t)sprintf(doc + k, "<ImagingActivity><ImagingCodeNICIP code='XABDO'/>"
                                  "<DiagnosticTestDate>");
    memset(doc + k, 'x', big);
    k += big;
    k += (size_t)sprintf(doc + k, "</DiagnosticTestDate><ImagingSiteCode extension='RR801'/>"
                                  "<RadiologicalAccessionNumber extension='1'/></ImagingActivity>"
                                  "</DIDSRecord></DIDS>");
    got g;
    CHECK(read_mem(doc, k, 100, &g) == DIDQ_READ_OK, "huge text reads");
    CHECK(g.n == 1 && (g.flags[0] & DIDQ_REC_TRUNCATED), "record flagged truncated");
    CHECK(strcmp(g.code, "DIDQ104") == 0, "DIDQ104 noted: %s", g.code);
    free(doc);
}

static int count_record(void *ctx, didq_record *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static int cancel_third(void *ctx, uint64_t bytes)
{
    (void)bytes;
    static int calls;
    (void)ctx;
    return ++calls == 3;
}

/* The cancel callback is asked every few KB of a block, not once per 64 KB
 * block: a 53 KB document of 50 records is cancelled at the third call. */
static void test_cancel_within_block(void)
{
    size_t n;
    char *x = slurp(FIX "00002_simple/input.xml", &n);
    char *open_end = strstr(x, "<DIDSRecord>"), *close = strstr(x, "</DIDS>");
    CHECK(open_end && close, "fixture shape");
    if (!open_end || !close) return;
    size_t head = (size_t)(open_end - x), rec = (size_t)(close - open_end);
    char *doc = malloc(head + 50 * rec + 16);
    size_t len = head;
    memcpy(doc, x, head);
    for (int i = 0; i < 50; i++, len += rec)
        memcpy(doc + len, open_end, rec);
    len += (size_t)sprintf(doc + len, "</DIDS>\n");
    CHECK(len < 65536 + 4096, "one block after the head: %zu bytes", len);
    int records = 0;
    didq_reader_cb cb = {&records, count_record, NULL, cancel_third};
    didq_src src = {.fd = -1, .mem = (const unsigned char *)doc + 4096, .len = len - 4096};
    char err[128];
    int st = didq_xml_read(&src, 1, didq_dataset_v1(), &cb, (const unsigned char *)doc, 4096, err,
                           sizeof err);
    CHECK(st == DIDQ_READ_CANCELLED, "cancelled: status %d, %d records", st, records);
    CHECK(records < 50, "stopped early: %d records", records);
    free(doc);
    free(x);
}

int main(void)
{
    test_example();
    test_simple();
    test_nulls_and_spaces();
    test_huge_text();
    test_cancel_within_block();
    return test_done();
}
