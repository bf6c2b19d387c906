/* fuzz_parsers.c: the value parsers the rules use: dates (strict and
 * lenient), NHS numbers, postcodes, referrer codes (the built-in patterns
 * and, with a NUL in the input, a fuzzed pattern), SNOMED CT ids, NICIP
 * codes, site codes; and the reader of didq's own tables (table.c: as a
 * table, as a thresholds file, in the ONSPD's line mode).  Checks the
 * invariants they promise as well. */
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/ident.h"
#include "didq/table.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x)) abort();                                                                         \
    } while (0)

static void dates(const char *s, size_t n)
{
    int32_t d, mi, ld, lmi;
    char buf[11];
    if (didq_date_parse_mi(s, n, &d, &mi)) {
        /* A strict date prints back as itself and is also a lenient one. */
        didq_date_format(d, buf);
        CHECK(memcmp(buf, s, 10) == 0);
        CHECK(didq_date_month_index(d) == mi);
        CHECK(didq_date_parse_lenient_mi(s, n, &ld, &lmi) && ld == d && lmi == mi);
        int y, m, dd;
        didq_date_to_ymd(d, &y, &m, &dd);
        CHECK(didq_date_from_ymd(y, m, dd) == d);
        CHECK(didq_date_weekday(d) >= 0 && didq_date_weekday(d) < 7);
        int32_t later = didq_date_add_months(d, (int)(n % 25) - 12);
        didq_date_to_ymd(later, &y, &m, &dd);
        CHECK(m >= 1 && m <= 12 && dd >= 1 && dd <= didq_date_days_in_month(y, m));
    }
    if (didq_date_parse_lenient(s, n, &ld)) {
        didq_date_format(ld, buf);
        CHECK(didq_date_parse(buf, 10, &d) && d == ld);
    }
}

static void idents(const char *s, size_t n)
{
    char nhs[64];
    size_t k = didq_nhs_compact(s, n, nhs, sizeof nhs);
    CHECK(k < sizeof nhs && nhs[k] == 0);
    enum didq_nhs st = didq_nhs_check(nhs, k);
    CHECK(st != DIDQ_NHS_OK || k == 10);
    (void)didq_nhs_check(s, n);
    if (didq_postcode_format_ok(s, n)) CHECK(n >= 6);
    (void)didq_postcode_is_pseudo(s, n);
    (void)didq_alnum_len_ok(s, n, 3, 12);
    (void)didq_referrer_type(s, n);
    if (didq_sctid_ok(s, n)) CHECK(didq_verhoeff_ok(s, n));
    (void)didq_nicip_form_ok(s, n);
}

typedef struct seen {
    uint64_t line, lines; /* the last row's line; line ends in the input + 1 */
    uint64_t rows;
    bool limit; /* not in line mode, whose fast path leaves fields in place */
} seen;

/* Rows come in order, on lines of the input, within the row limit. */
static int on_row(void *ctx, const didq_table_row *row)
{
    seen *s = ctx;
    CHECK(row->index == s->rows++);
    CHECK(row->line >= 1 && row->line <= s->lines);
    CHECK(row->bad || row->line >= s->line);
    if (!row->bad) s->line = row->line;
    size_t bytes = 0;
    for (int i = 0; i < row->n; i++)
        bytes += row->len[i] + 1;
    CHECK(row->bad || !s->limit || bytes <= DIDQ_TABLE_ROW_BYTES);
    return 0;
}

static void tables(const char *s, size_t n)
{
    uint64_t lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n' ? (i == 0 || s[i - 1] != '\r') : s[i] == '\r';
    int maxcol = (int)(n % 4);
    didq_table_opts th = {.comments = true, .text = true}, line = {.maxcol = &maxcol};
    const didq_table_opts *opts[] = {NULL, &th, &line};
    for (int k = 0; k < 3; k++) {
        seen sn = {0, lines, 0, k < 2};
        didq_table_read(s, n, opts[k], on_row, &sn);
    }
    char err[128];
    didq_table_free(didq_table_parse(s, n, err, sizeof err));
    didq_thresholds t;
    didq_thresholds_default(&t);
    (void)didq_thresholds_parse(&t, "fuzz", s, n, err, sizeof err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parsers take (pointer, length): a copy of exactly size bytes
     * lets ASan see any read past the end. */
    char *s = malloc(size ? size : 1);
    if (!s) abort();
    memcpy(s, data, size);
    dates(s, size);
    idents(s, size);
    tables(s, size);
    /* "pattern\0value": a referrer pattern of the refdata notation. */
    const char *nul = memchr(s, 0, size);
    if (nul) {
        size_t plen = (size_t)(nul - s);
        didq_referrer_match(s, nul + 1, size - plen - 1);
        (void)plen;
    }
    free(s);
    return 0;
}
