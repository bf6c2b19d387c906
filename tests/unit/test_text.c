/* Masking and escaping of untrusted values (text.c): every masked item's
 * rule on the trimmed value, so padding never uncovers an identifier. */
#include "didq/dataset.h"
#include "didq/text.h"
#include "testlib.h"

#include <stdlib.h>

static void mask_is(int item, const char *in, const char *want)
{
    didq_buf b = {0};
    didq_text_mask(&b, item, in, strlen(in));
    const char *got = b.p ? b.p : "";
    CHECK(strcmp(got, want) == 0, "item %d '%s' masked as '%s', want '%s'", item, in, got, want);
    didq_buf_free(&b);
}

static void postcodes(void)
{
    mask_is(DIDQ_POSTCODE, "LS1 4AP", "LS1 ***");
    mask_is(DIDQ_POSTCODE, "LS14AP", "LS1***");
    /* fixed-width RIS exports pad on the right: the padding used to be
     * taken for the space between outward and inward code */
    mask_is(DIDQ_POSTCODE, "LS32NE ", "LS3*** ");
    mask_is(DIDQ_POSTCODE, "M11AE   ", "M1***   ");
    mask_is(DIDQ_POSTCODE, "  SW1A 1AA", "  SW1A ***");
    mask_is(DIDQ_POSTCODE, "EC1A1BB\t", "EC1A***\t");
    mask_is(DIDQ_POSTCODE, "WN5  9PQ", "WN5  ***");
    /* not a postcode: at most the first two characters */
    mask_is(DIDQ_POSTCODE, "LS32NEX", "LS*****");
    mask_is(DIDQ_POSTCODE, "LS 1 4AP", "LS******");
    mask_is(DIDQ_POSTCODE, "12345", "12***");
    mask_is(DIDQ_POSTCODE, "1AA", "***");
    mask_is(DIDQ_POSTCODE, "", "");
    mask_is(DIDQ_POSTCODE, "   ", "   ");
}

static void nhs_numbers(void)
{
    mask_is(DIDQ_NHS_NUMBER, "9434765919", "943*****19");
    mask_is(DIDQ_NHS_NUMBER, "9434765919   ", "943*****19   ");
    mask_is(DIDQ_NHS_NUMBER, "   9434765919", "   943*****19");
    mask_is(DIDQ_NHS_NUMBER, "943 476 5919", "943 *** **19");
    mask_is(DIDQ_NHS_NUMBER, "943-476-5919 ", "943-***-**19 ");
    /* not ten digits: at most the first two characters */
    mask_is(DIDQ_NHS_NUMBER, "943476591", "94*******");
    mask_is(DIDQ_NHS_NUMBER, "94347659190", "94*********");
    mask_is(DIDQ_NHS_NUMBER, "123456 ", "12**** ");
    mask_is(DIDQ_NHS_NUMBER, "1234", "****");
}

static void birth_dates(void)
{
    mask_is(DIDQ_BIRTH_DATE, "1985-03-12", "19**-**-**");
    mask_is(DIDQ_BIRTH_DATE, "1985-03-12  ", "19**-**-**  ");
    mask_is(DIDQ_BIRTH_DATE, " 1985-03-12", " 19**-**-**");
    mask_is(DIDQ_BIRTH_DATE, "12/03/1985", "12********");
    mask_is(DIDQ_BIRTH_DATE, "19850312", "19******");
}

static void other_items(void)
{
    mask_is(DIDQ_SITE, "RR801 ", "RR801 ");
    CHECK(!didq_text_is_identifier(DIDQ_SITE), "site is not an identifier");
}

static void escaping(void)
{
    didq_buf b = {0};
    didq_text_escape(&b, "a\033]52;c;x\007b", 11);
    CHECK(b.p && strcmp(b.p, "a^[]52;c;x^Gb") == 0, "escaped as '%s'", b.p ? b.p : "");
    didq_buf_free(&b);
}

int main(void)
{
    postcodes();
    nhs_numbers();
    birth_dates();
    other_items();
    escaping();
    return test_done();
}
