/* Identifier checks: NHS number, postcode, referrer, site, SNOMED CT. */
#include "didq/ident.h"
#include "testlib.h"

static void nhs_numbers(void)
{
    struct {
        const char *s;
        enum didq_nhs want;
    } cases[] = {
        {"9434765919", DIDQ_NHS_OK},       {"9876543210", DIDQ_NHS_OK},
        {"9345665439", DIDQ_NHS_OK}, /* palindrome, valid in NHS England's pass fixture */
        {"1234567890", DIDQ_NHS_CHECK},    {"4000000004", DIDQ_NHS_RESERVED},
        {"0123456789", DIDQ_NHS_RESERVED}, {"1000000001", DIDQ_NHS_RESERVED},
        {"9000000009", DIDQ_NHS_RESERVED}, {"0000000000", DIDQ_NHS_RESERVED},
        {"1111111111", DIDQ_NHS_RESERVED}, {"9999999999", DIDQ_NHS_RESERVED},
        {"999999999", DIDQ_NHS_LENGTH},    {"12345ABCDE", DIDQ_NHS_DIGITS},
        {"9434765918", DIDQ_NHS_CHECK},    {"9018978906", DIDQ_NHS_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        enum didq_nhs got = didq_nhs_check(cases[i].s, strlen(cases[i].s));
        CHECK(got == cases[i].want, "%s gave %d, want %d", cases[i].s, got, cases[i].want);
    }
    char buf[64];
    size_t n = didq_nhs_compact("943 476-5919", 12, buf, sizeof buf);
    CHECK(n == 10 && strcmp(buf, "9434765919") == 0, "compact gave '%s'", buf);
    CHECK(didq_nhs_check(buf, n) == DIDQ_NHS_OK, "943 476 5919 after cleansing");
    /* ten bytes: copied when all are digits, else cleansed byte by byte */
    static const struct {
        const char *s, *want;
    } ten[] = {{"9434765919", "9434765919"}, {"943476591 ", "943476591"},
               {"94347-5919", "943475919"},  {"943476591X", "943476591X"},
               {"/434765919", "/434765919"}, {":434765919", ":434765919"}};
    for (size_t i = 0; i < sizeof ten / sizeof *ten; i++) {
        n = didq_nhs_compact(ten[i].s, 10, buf, sizeof buf);
        CHECK(n == strlen(ten[i].want) && strcmp(buf, ten[i].want) == 0, "'%s' gave '%s'", ten[i].s,
              buf);
    }
    n = didq_nhs_compact("9434765919", 10, buf, 10); /* no room for ten and a NUL */
    CHECK(n == 9 && strcmp(buf, "943476591") == 0, "cap 10 gave '%s'", buf);
}

static void postcodes(void)
{
    const char *good[] = {"LS1 4HR",  "WN5 8QX", "ZZ99 3WZ", "zz99 4HR", "EC1A 1BB",
                          "W1A  0AX", "M1 1AE",  "B33 8TH",  "CR2 6XH",  "DN55 1PT"};
    const char *bad[] = {"WN58QX",   "ZZ99",  "123ABC",   "WN 58QX", "LS1 4H",
                         "LS1 4HRX", "L 4HR", "LSX1 4HR", "",        " LS1 4HR"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        CHECK(didq_postcode_format_ok(good[i], strlen(good[i])), "'%s' should pass", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(!didq_postcode_format_ok(bad[i], strlen(bad[i])), "'%s' should fail", bad[i]);
    CHECK(didq_postcode_is_pseudo("zZ99 9ZZ", 8), "zZ99 is a pseudo-postcode");
    CHECK(!didq_postcode_is_pseudo("ZZ9 9ZZ", 7), "ZZ9 is not");
}

static void referrers(void)
{
    struct {
        const char *s;
        const char *type;
    } cases[] = {
        {"C1234567", "Consultant"},
        {"c1", "Consultant"},
        {"CD123456", "Dental Consultant"},
        {"D1234567", "Dentist"},
        {"G0717294", "GP"},
        {"ZE123456", "GP N.Ireland"},
        {"S1234567", "GP Scotland"},
        {"12A3456B", "Nurse"},
        {"N9999998", "Nurse"},
        {"A9999998", "Ministry of Defence Doctor"},
        {"X9999998", "Not Known"},
        {"PH123456", "Physiotherapist"},
        {"SL1", "Speech and Language Therapist"},
        {"H9999998", "Other health professionals"},
        {"R9999981", "Other health professionals"},
        {"H123456", NULL},
        {"INVALID_REFERER_CODE", NULL},
        {"99", NULL},
        {"C12345678", NULL},
        {"ZE12345", NULL},
        {"CH1234567", NULL},
        {"G", NULL},
        {"P9999981", "Prison doctor"},
        {"M9999998", "Midwife"},
        {"g0717294", "GP"},
        {"x9999998", "Not Known"},
        {"ze123456", "GP N.Ireland"},
        {"", NULL},
        {"#1234567", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = didq_referrer_type(cases[i].s, strlen(cases[i].s));
        int same = got && cases[i].type ? strcmp(got, cases[i].type) == 0 : got == cases[i].type;
        CHECK(same, "%s gave %s, want %s", cases[i].s, got ? got : "(none)",
              cases[i].type ? cases[i].type : "(none)");
    }
}

static void sites_and_snomed(void)
{
    CHECK(didq_alnum_len_ok("RR864", 5, 5, 12), "RR864");
    CHECK(!didq_alnum_len_ok("RR8", 3, 5, 12), "RR8 is too short");
    CHECK(!didq_alnum_len_ok("&&&&&", 5, 5, 12), "&&&&& is not alphanumeric");
    CHECK(!didq_alnum_len_ok("ABCDEFGHIJKLM", 13, 5, 12), "13 characters");
    const char *ok[] = {"303686006", "417905003", "432787004", "1025291000000104"};
    for (size_t i = 0; i < 4; i++)
        CHECK(didq_sctid_ok(ok[i], strlen(ok[i])), "%s is a valid SCTID", ok[i]);
    CHECK(!didq_sctid_ok("303686007", 9), "wrong check digit");
    CHECK(!didq_sctid_ok("0303686006", 10), "leading zero");
    CHECK(!didq_sctid_ok("12345", 5), "too short");
    CHECK(didq_nicip_form_ok("XABDO", 5) && didq_nicip_form_ok("NSCHI2", 6), "NICIP forms");
    CHECK(!didq_nicip_form_ok("AB", 2) && !didq_nicip_form_ok("1ABC", 4), "bad NICIP forms");
}

int main(void)
{
    nhs_numbers();
    postcodes();
    referrers();
    sites_and_snomed();
    return test_done();
}
