/* Masking and escaping of untrusted values (text.c): every masked item's
 * rule on the trimmed value, so padding never uncovers an identifier. */
#include "didq/dataset.h"
#include "didq/table.h"
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
    /* not a postcode: masked whole (its first characters used to be kept,
     * and a value there may be anything: an NHS number or a birth date in
     * a shifted column, a postcode cut short) */
    mask_is(DIDQ_POSTCODE, "LS32NEX", "*******");
    mask_is(DIDQ_POSTCODE, "LS 1 4AP", "********");
    mask_is(DIDQ_POSTCODE, "LS3 2N", "******");
    mask_is(DIDQ_POSTCODE, "12345", "*****");
    mask_is(DIDQ_POSTCODE, "9990000026 ", "********** ");
    mask_is(DIDQ_POSTCODE, "22/08/1963", "**********");
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
    /* not ten digits: masked whole (a birth date or a postcode in a
     * shifted column would have shown its first two characters) */
    mask_is(DIDQ_NHS_NUMBER, "943476591", "*********");
    mask_is(DIDQ_NHS_NUMBER, "94347659190", "***********");
    mask_is(DIDQ_NHS_NUMBER, "123456 ", "****** ");
    mask_is(DIDQ_NHS_NUMBER, "1234", "****");
    mask_is(DIDQ_NHS_NUMBER, "22/08/1963", "**********");
    mask_is(DIDQ_NHS_NUMBER, "LS3 2NE", "*******");
}

static void birth_dates(void)
{
    mask_is(DIDQ_BIRTH_DATE, "1985-03-12", "19**-**-**");
    mask_is(DIDQ_BIRTH_DATE, "1985-03-12  ", "19**-**-**  ");
    mask_is(DIDQ_BIRTH_DATE, " 1985-03-12", " 19**-**-**");
    mask_is(DIDQ_BIRTH_DATE, "2008-02-29", "20**-**-**");
    /* any other form is masked whole: day first, the first two characters
     * are the day of birth (22/08/1963 used to show as 22********), and
     * eight digits may be DDMMCCYY as well as CCYYMMDD */
    mask_is(DIDQ_BIRTH_DATE, "22/08/1963", "**********");
    mask_is(DIDQ_BIRTH_DATE, "31/02/1990", "**********");
    mask_is(DIDQ_BIRTH_DATE, " 22-08-1963 ", " ********** ");
    mask_is(DIDQ_BIRTH_DATE, "22.8.63", "*******");
    mask_is(DIDQ_BIRTH_DATE, "19850312", "********");
    mask_is(DIDQ_BIRTH_DATE, "22081963", "********");
    mask_is(DIDQ_BIRTH_DATE, "1985-03-12T00:00", "****************");
    /* CCYY-MM-DD only when its first two digits can be a birth's century:
     * 22 is the day of 22/08/1963 however its parts were shuffled */
    mask_is(DIDQ_BIRTH_DATE, "2208-19-63", "**********");
    mask_is(DIDQ_BIRTH_DATE, "1885-03-12", "18**-**-**");
    mask_is(DIDQ_BIRTH_DATE, "0985-03-12", "**********");
}

/* refdata/v1/masking.csv, the one list of masked items and their forms
 * (docs/usage.md shows it): each row's examples mask as it says, and its
 * items are exactly the identifiers. */
static void table_rows(void)
{
    didq_table *t = didq_table_embedded("v1/masking.csv");
    const didq_dataset *ds = didq_dataset_v1();
    static const char *const cols[] = {"item", "example", "masked", "other", "other_masked"};
    int c[5];
    for (int i = 0; i < 5; i++) {
        c[i] = didq_table_col(t, cols[i]);
        CHECK(c[i] >= 0, "masking.csv has no column %s", cols[i]);
        if (c[i] < 0) return;
    }
    bool listed[DIDQ_V1_ITEMS] = {false};
    for (size_t r = 0; r < t->nrows; r++) {
        int item = didq_dataset_item(ds, didq_table_get(t, r, c[0]));
        CHECK(item >= 0 && item < DIDQ_V1_ITEMS, "masking.csv row %zu: no such item", r + 1);
        if (item < 0 || item >= DIDQ_V1_ITEMS) continue;
        listed[item] = true;
        mask_is(item, didq_table_get(t, r, c[1]), didq_table_get(t, r, c[2]));
        mask_is(item, didq_table_get(t, r, c[3]), didq_table_get(t, r, c[4]));
    }
    for (int i = 0; i < DIDQ_V1_ITEMS; i++)
        CHECK(didq_text_is_identifier(i) == listed[i], "item %d: identifier %d, listed %d", i,
              didq_text_is_identifier(i), listed[i]);
    CHECK(listed[DIDQ_NHS_NUMBER] && listed[DIDQ_BIRTH_DATE] && listed[DIDQ_POSTCODE],
          "masking.csv lacks an identifier");
    CHECK(!didq_text_is_identifier(-1) && !didq_text_is_identifier(DIDQ_MAX_ITEMS),
          "an index out of range is an identifier");
    didq_table_free(t);
}

/* Free text (the explorer's search text while masking is on): every
 * character, spaces too, since it has no form to keep any of. */
static void free_text(void)
{
    didq_buf b = {0};
    didq_text_mask_all(&b, "LS3 2NE", 7);
    CHECK(b.p && strcmp(b.p, "*******") == 0, "free text masked as '%s'", b.p ? b.p : "");
    didq_buf_free(&b);
    didq_text_mask_all(&b, "", 0);
    CHECK(!b.p || !b.p[0], "empty free text masked as '%s'", b.p);
    didq_buf_free(&b);
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
    table_rows();
    free_text();
    other_items();
    escaping();
    return test_done();
}
