/* Every per-record rule of the v1 catalogue, with passing and failing
 * cases at the boundaries given in dids-spec.md.  Each case changes a clean
 * record and says whether one rule must fire. */
#include "didq/date.h"
#include "didq/rules.h"
#include "testlib.h"

#include <stdlib.h>

/* A clean record: fires no rule at submission date 2018-08-01. */
static const char *const base[DIDQ_V1_ITEMS] = {
    "9434765919", "01",    "1945-06-21", "A",          "2",          "LS1 4HR",
    "A81015",     "04",    "G0717294",   "A81015",     "2018-07-01", "2018-07-02",
    "2018-07-03", "XABDO", "417905003",  "2018-07-04", "RR864",      "ACC0001",
};

/* e-acute (two bytes in UTF-8) twenty times */
#define E_ACUTE_5 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
#define E_ACUTE_20 E_ACUTE_5 E_ACUTE_5 E_ACUTE_5 E_ACUTE_5

typedef struct rule_case {
    const char *code;
    const char *set; /* "FIELD=value|FIELD=value"; value <null> is an absent value */
    const char *submitted;
    int fires;
} rule_case;

static const rule_case cases[] = {
    {"DIDS001", "NHS_NUMBER=1234567890", NULL, 1},
    {"DIDS001", "NHS_NUMBER=4000000004", NULL, 1},
    {"DIDS001", "NHS_NUMBER=9876543210", NULL, 0},
    {"DIDS001", "NHS_NUMBER=943 476 5919", NULL, 0},
    {"DIDS001", "NHS_NUMBER=943-476-5919", NULL, 0},
    {"DIDS001", "NHS_NUMBER=999999999", NULL, 1},
    {"DIDS001", "NHS_NUMBER=<null>", NULL, 0},
    {"DIDS002", "NHS_NUMBER=999999999", NULL, 1},
    {"DIDS002", "NHS_NUMBER=12345ABCDE", NULL, 0},
    {"DIDS003", "NHS_NUMBER_STATUS_IND=7", NULL, 1},
    {"DIDS003", "NHS_NUMBER_STATUS_IND=08", NULL, 0},
    {"DIDS003", "NHS_NUMBER_STATUS_IND=09", NULL, 1},
    {"DIDS003", "NHS_NUMBER_STATUS_IND=  ", NULL, 0},
    {"DIDS005", "PERSON_BIRTH_DATE=19820726", NULL, 1},
    {"DIDS005", "PERSON_BIRTH_DATE=2015-02-29", NULL, 1},
    {"DIDS005", "PERSON_BIRTH_DATE=2016-02-29", NULL, 0},
    {"DIDS005", "PERSON_BIRTH_DATE=2000-02-29", NULL, 0},
    {"DIDS005", "PERSON_BIRTH_DATE=1900-02-29", NULL, 1},
    {"DIDS005", "PERSON_BIRTH_DATE=2016-02-00", NULL, 1},
    {"DIDS005", "PERSON_BIRTH_DATE=   ", NULL, 0},
    {"DIDS006", "PERSON_BIRTH_DATE=2018-07-04", NULL, 1},
    {"DIDS006", "PERSON_BIRTH_DATE=2018-07-03", NULL, 0},
    {"DIDS008", "PERSON_BIRTH_DATE=2018-07-05", NULL, 1},
    {"DIDS008", "PERSON_BIRTH_DATE=2018-07-04", NULL, 0},
    {"DIDS009", "PERSON_BIRTH_DATE=1900-01-01", NULL, 1},
    {"DIDS009", "PERSON_BIRTH_DATE=1900-01-02", NULL, 0},
    {"DIDS010", "PERSON_BIRTH_DATE=2018-06-12|DIAGNOSTIC_TEST_REQUEST_DATE=2017-06-15", NULL, 1},
    {"DIDS010",
     "PERSON_BIRTH_DATE=2018-12-31|DIAGNOSTIC_TEST_REQUEST_DATE=2018-06-01|DIAGNOSTIC_TEST_DATE="
     "2019-01-05|SERVICE_REPORT_DATE=2019-01-05|DIAG_TEST_REQUEST_REC_DATE=2018-06-01",
     "2019-01-10", 0},
    {"DIDS010",
     "PERSON_BIRTH_DATE=2019-01-01|DIAGNOSTIC_TEST_REQUEST_DATE=2018-06-30|DIAGNOSTIC_TEST_DATE="
     "2019-01-05|SERVICE_REPORT_DATE=2019-01-05|DIAG_TEST_REQUEST_REC_DATE=2018-06-30",
     "2019-01-10", 1},
    {"DIDS012", "ETHNIC_CATEGORY=a", NULL, 1},
    {"DIDS012", "ETHNIC_CATEGORY=99", NULL, 0},
    {"DIDS012", "ETHNIC_CATEGORY=Z", NULL, 0},
    {"DIDS012", "ETHNIC_CATEGORY=I", NULL, 1},
    {"DIDS012", "ETHNIC_CATEGORY=A1", NULL, 1},
    {"DIDS012", "ETHNIC_CATEGORY= A ", NULL, 0},
    {"DIDS014", "PERSON_GENDER_CODE=02", NULL, 1},
    {"DIDS014", "PERSON_GENDER_CODE=9", NULL, 0},
    {"DIDS014", "PERSON_GENDER_CODE=X", NULL, 1},
    {"DIDS014", "PERSON_GENDER_CODE=<null>", NULL, 0},
    {"DIDS014", "PERSON_GENDER_CODE= ", NULL, 1},
    {"DIDS017", "POSTCODE=WN58QX", NULL, 1},
    {"DIDS017", "POSTCODE=ZZ99", NULL, 1},
    {"DIDS017", "POSTCODE= zz99 4HR ", NULL, 0},
    {"DIDS017", "POSTCODE= ", NULL, 0},
    {"DIDS020", "PATIENT_SOURCE_SETTING=<null>", NULL, 1},
    {"DIDS020", "PATIENT_SOURCE_SETTING=  ", NULL, 1},
    {"DIDS020", "PATIENT_SOURCE_SETTING=07", NULL, 0},
    {"DIDS021", "PATIENT_SOURCE_SETTING=4", NULL, 1},
    {"DIDS021", "PATIENT_SOURCE_SETTING=08", NULL, 1},
    {"DIDS021", "PATIENT_SOURCE_SETTING=07", NULL, 0},
    {"DIDS023", "REFERRER=H123456", NULL, 1},
    {"DIDS023", "REFERRER=99", NULL, 1},
    {"DIDS023", "REFERRER= D123456", NULL, 0},
    {"DIDS023", "REFERRER=<null>", NULL, 0},
    {"DIDS026", "DIAGNOSTIC_TEST_REQUEST_DATE=2018/07/01", NULL, 1},
    {"DIDS026", "DIAGNOSTIC_TEST_REQUEST_DATE= ", NULL, 0},
    {"DIDS027", "DIAGNOSTIC_TEST_REQUEST_DATE=2018-07-03|DIAG_TEST_REQUEST_REC_DATE=2018-07-02",
     NULL, 1},
    {"DIDS027", "DIAGNOSTIC_TEST_REQUEST_DATE=2018-07-02|DIAG_TEST_REQUEST_REC_DATE=2018-07-02",
     NULL, 0},
    {"DIDS028", "DIAGNOSTIC_TEST_REQUEST_DATE=2017-07-02", NULL, 1},
    {"DIDS028", "DIAGNOSTIC_TEST_REQUEST_DATE=2017-07-03", NULL, 0},
    {"DIDS028", "DIAGNOSTIC_TEST_REQUEST_DATE=2017-7-2", NULL, 1},
    {"DIDS031", "DIAGNOSTIC_TEST_REQUEST_DATE=1969-12-31", NULL, 1},
    {"DIDS031", "DIAGNOSTIC_TEST_REQUEST_DATE=1970-01-01", NULL, 0},
    {"DIDS034", "DIAGNOSTIC_TEST_REQUEST_DATE=2018-07-04|DIAG_TEST_REQUEST_REC_DATE=<null>", NULL,
     1},
    {"DIDS034", "DIAGNOSTIC_TEST_REQUEST_DATE=2018-07-03|DIAG_TEST_REQUEST_REC_DATE=<null>", NULL,
     0},
    {"DIDS035", "DIAGNOSTIC_TEST_REQUEST_DATE=2018-07-01|SERVICE_REPORT_DATE=2018-06-30", NULL, 1},
    {"DIDS035",
     "DIAGNOSTIC_TEST_REQUEST_DATE=2018-07-01|SERVICE_REPORT_DATE=2018-07-01|DIAG_TEST_REQUEST_REC_"
     "DATE=2018-07-01|DIAGNOSTIC_TEST_DATE=2018-07-01",
     NULL, 0},
    {"DIDS036", "DIAG_TEST_REQUEST_REC_DATE=01-01-2018", NULL, 1},
    {"DIDS036", "DIAG_TEST_REQUEST_REC_DATE=<null>", NULL, 0},
    {"DIDS038", "DIAG_TEST_REQUEST_REC_DATE=2017-07-02|DIAGNOSTIC_TEST_REQUEST_DATE=<null>", NULL,
     1},
    {"DIDS038", "DIAG_TEST_REQUEST_REC_DATE=2017-07-03|DIAGNOSTIC_TEST_REQUEST_DATE=<null>", NULL,
     0},
    {"DIDS040",
     "PERSON_BIRTH_DATE=2018-06-12|DIAG_TEST_REQUEST_REC_DATE=2017-06-15|DIAGNOSTIC_TEST_REQUEST_"
     "DATE=<null>",
     NULL, 1},
    {"DIDS040",
     "PERSON_BIRTH_DATE=2018-06-12|DIAG_TEST_REQUEST_REC_DATE=2017-12-01|DIAGNOSTIC_TEST_REQUEST_"
     "DATE=<null>",
     NULL, 0},
    {"DIDS041", "DIAG_TEST_REQUEST_REC_DATE=1969-07-01|DIAGNOSTIC_TEST_REQUEST_DATE=<null>", NULL,
     1},
    {"DIDS041", "DIAG_TEST_REQUEST_REC_DATE=1970-01-01|DIAGNOSTIC_TEST_REQUEST_DATE=<null>", NULL,
     0},
    {"DIDS043", "DIAG_TEST_REQUEST_REC_DATE=2018-07-04", NULL, 1},
    {"DIDS043", "DIAG_TEST_REQUEST_REC_DATE=2018-07-03", NULL, 0},
    {"DIDS044",
     "DIAG_TEST_REQUEST_REC_DATE=2018-07-03|SERVICE_REPORT_DATE=2018-07-02|DIAGNOSTIC_TEST_DATE="
     "2018-07-02",
     NULL, 1},
    {"DIDS045", "DIAGNOSTIC_TEST_DATE=200", NULL, 1},
    {"DIDS045", "DIAGNOSTIC_TEST_DATE=2018-07-03", NULL, 0},
    {"DIDS048", "SERVICE_REPORT_DATE=2018-07-02", NULL, 1},
    {"DIDS048", "SERVICE_REPORT_DATE=2018-07-03", NULL, 0},
    {"DIDS049", "DIAGNOSTIC_TEST_DATE=2018-04-30|SERVICE_REPORT_DATE=<null>", NULL, 1},
    {"DIDS049", "DIAGNOSTIC_TEST_DATE=2018-02-01|SERVICE_REPORT_DATE=<null>", NULL, 1},
    {"DIDS049", "DIAGNOSTIC_TEST_DATE=2018-05-01|SERVICE_REPORT_DATE=<null>", NULL, 0},
    {"DIDS049", "DIAGNOSTIC_TEST_DATE=2018-01-31|SERVICE_REPORT_DATE=<null>", NULL, 0},
    {"DIDS050", "DIAGNOSTIC_TEST_DATE=<null>", NULL, 1},
    {"DIDS050", "DIAGNOSTIC_TEST_DATE= ", NULL, 1},
    {"DIDS051", "DIAGNOSTIC_TEST_DATE=2018-08-02|SERVICE_REPORT_DATE=<null>", NULL, 1},
    {"DIDS051", "DIAGNOSTIC_TEST_DATE=2018-08-01|SERVICE_REPORT_DATE=<null>", NULL, 0},
    {"DIDS055", "DIAGNOSTIC_TEST_DATE=2018-01-31|SERVICE_REPORT_DATE=<null>", NULL, 1},
    {"DIDS055", "DIAGNOSTIC_TEST_DATE=2018-02-01|SERVICE_REPORT_DATE=<null>", NULL, 0},
    {"DIDS055", "DIAGNOSTIC_TEST_DATE=2018-07-31|SERVICE_REPORT_DATE=<null>", "2019-02-10", 1},
    {"DIDS056", "IMAGING_CODE_NICIP=<null>|IMAGING_CODE_SNOMED=  ", NULL, 1},
    {"DIDS056", "IMAGING_CODE_NICIP=<null>", NULL, 0},
    {"DIDS061", "SERVICE_REPORT_DATE=2018-06-5", NULL, 1},
    {"DIDS062", "SERVICE_REPORT_DATE=2018-08-04", NULL, 1},
    {"DIDS062", "SERVICE_REPORT_DATE=2018-08-03", NULL, 0},
    {"DIDS062",
     "DIAGNOSTIC_TEST_DATE=2018-01-31|SERVICE_REPORT_DATE=2018-02-28|DIAG_TEST_REQUEST_REC_DATE="
     "2018-01-30|DIAGNOSTIC_TEST_REQUEST_DATE=2018-01-30",
     "2018-03-01", 0},
    {"DIDS062",
     "DIAGNOSTIC_TEST_DATE=2018-01-31|SERVICE_REPORT_DATE=2018-03-01|DIAG_TEST_REQUEST_REC_DATE="
     "2018-01-30|DIAGNOSTIC_TEST_REQUEST_DATE=2018-01-30",
     "2018-03-01", 1},
    {"DIDS066", "SERVICE_REPORT_DATE=2018-08-02", NULL, 1},
    {"DIDS066", "SERVICE_REPORT_DATE=2018-08-01", NULL, 0},
    {"DIDS067", "SITE_CODE_IMAGING=   ", NULL, 1},
    {"DIDS069", "SITE_CODE_IMAGING=XXX", NULL, 1},
    {"DIDS069", "SITE_CODE_IMAGING= RR864", NULL, 0},
    {"DIDS069", "SITE_CODE_IMAGING=RR864ABCDEFG", NULL, 0},
    {"DIDS069", "SITE_CODE_IMAGING=RR864ABCDEFGH", NULL, 1},
    {"DIDS070", "RADIOLOGICAL_ACCESSION_NUM=<null>", NULL, 1},
    {"DIDS072", "RADIOLOGICAL_ACCESSION_NUM=723456789012345678901", NULL, 1},
    {"DIDS072", "RADIOLOGICAL_ACCESSION_NUM=72345678901234567890", NULL, 0},
    {"DIDS072", "RADIOLOGICAL_ACCESSION_NUM=800\\05", NULL, 0},
    /* characters, not bytes: 20 two-byte characters (40 bytes) fit, 21 do not */
    {"DIDS072", "RADIOLOGICAL_ACCESSION_NUM=" E_ACUTE_20, NULL, 0},
    {"DIDS072", "RADIOLOGICAL_ACCESSION_NUM=" E_ACUTE_20 "\xc3\xa9", NULL, 1},
    {"DIDS073",
     "NHS_NUMBER=<null>|PERSON_BIRTH_DATE=<null>|ETHNIC_CATEGORY=<null>|PERSON_GENDER_CODE=<null>|"
     "POSTCODE=<null>|PRACTICE_CODE=  ",
     NULL, 1},
    {"DIDS073",
     "NHS_NUMBER=<null>|PERSON_BIRTH_DATE=<null>|ETHNIC_CATEGORY=<null>|PERSON_GENDER_CODE=<null>|"
     "POSTCODE=<null>",
     NULL, 0},
    {"DIDS074",
     "NHS_NUMBER=<null>|PERSON_BIRTH_DATE=<null>|ETHNIC_CATEGORY=<null>|PERSON_GENDER_CODE=<null>|"
     "PRACTICE_CODE=<null>|POSTCODE=zz99 4HR",
     NULL, 1},
    {"DIDS074",
     "NHS_NUMBER=<null>|PERSON_BIRTH_DATE=<null>|ETHNIC_CATEGORY=<null>|PERSON_GENDER_CODE=<null>|"
     "PRACTICE_CODE=<null>|POSTCODE=LS1 4HR",
     NULL, 0},
    {"DIDS074",
     "NHS_NUMBER=<null>|PERSON_BIRTH_DATE=<null>|ETHNIC_CATEGORY=<null>|PERSON_GENDER_CODE=2|"
     "PRACTICE_CODE=<null>|POSTCODE=ZZ99 3WZ",
     NULL, 0},
};

/* Applies "FIELD=value|..." to the values array; returns 0 on a bad field. */
static int apply(const didq_dataset *ds, const char *set, char *buf, const char **vals)
{
    strcpy(buf, set);
    for (char *save = NULL, *tok = strtok_r(buf, "|", &save); tok;
         tok = strtok_r(NULL, "|", &save)) {
        char *eq = strchr(tok, '=');
        *eq = 0;
        int item = didq_dataset_item(ds, tok);
        if (item < 0) return 0;
        vals[item] = strcmp(eq + 1, "<null>") == 0 ? NULL : eq + 1;
    }
    return 1;
}

/* Evaluates the record; returns the hit count and whether code fired. */
static int eval(const didq_ruleset *rs, const char **vals, const char *sub, const char *code,
                int *found)
{
    didq_record r;
    memset(&r, 0, sizeof r);
    for (int i = 0; i < DIDQ_V1_ITEMS; i++) {
        r.f[i].raw = vals[i];
        r.f[i].raw_len = vals[i] ? (uint32_t)strlen(vals[i]) : 0;
    }
    didq_record_cleanse(&r, rs->ds);
    didq_ctx ctx = {0};
    didq_date_parse(sub, strlen(sub), &ctx.submitted);
    ctx.submitted_month = didq_date_month_index(ctx.submitted);
    didq_hit hits[64];
    int n = didq_ruleset_eval(rs, &r, &ctx, hits, 64);
    *found = 0;
    for (int i = 0; i < n; i++)
        *found |= strcmp(rs->rules[hits[i].rule].def->code, code) == 0;
    return n;
}

static int fired(const didq_ruleset *rs, const char **vals, const char *sub, const char *code)
{
    int found;
    eval(rs, vals, sub, code, &found);
    return found;
}

/* DIDS062 (report more than a calendar month after the test) against its
 * definition, report > didq_date_add_months(test, 1), for every test date
 * of five years and report dates from 40 days before to 80 after: the rule
 * decides most gaps without the calendar (rules_basic.c), so the month
 * ends, leap days and the gaps of 25 to 31 days are where it could be
 * wrong. */
static void month_after_edges(const didq_ruleset *rs, const didq_dataset *ds)
{
    const char *vals[DIDQ_V1_ITEMS];
    memcpy(vals, base, sizeof vals);
    int ti = didq_dataset_item(ds, "DIAGNOSTIC_TEST_DATE"),
        ri = didq_dataset_item(ds, "SERVICE_REPORT_DATE");
    char test[16], rep[16];
    int32_t t0 = 0, t1 = 0;
    didq_date_parse("2016-01-01", 10, &t0);
    didq_date_parse("2020-12-31", 10, &t1);
    int wrong = 0;
    for (int32_t t = t0; t <= t1; t++)
        for (int gap = -40; gap <= 80; gap += (gap >= 20 && gap <= 35) ? 1 : 3) {
            didq_date_format(t, test);
            didq_date_format(t + gap, rep);
            vals[ti] = test, vals[ri] = rep;
            int want = t + gap > didq_date_add_months(t, 1);
            if (fired(rs, vals, "2021-06-01", "DIDS062") != want && wrong++ < 5)
                CHECK(0, "DIDS062 test %s report %s: want %d", test, rep, want);
        }
    CHECK(wrong == 0, "DIDS062 wrong on %d date pairs", wrong);
}

int main(void)
{
    const didq_dataset *ds = didq_dataset_v1();
    didq_ruleset *rs = didq_ruleset_new(ds, NULL);
    const char *vals[DIDQ_V1_ITEMS];
    char buf[1024];
    memcpy(vals, base, sizeof vals);
    int found;
    CHECK(eval(rs, vals, "2018-08-01", "", &found) == 0, "the base record fires no rule");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const rule_case *c = &cases[i];
        memcpy(vals, base, sizeof vals);
        CHECK(didq_dataset_rule(ds, c->code) >= 0, "%s is in the catalogue", c->code);
        CHECK(apply(ds, c->set, buf, vals), "case %zu names a field", i);
        int got = fired(rs, vals, c->submitted ? c->submitted : "2018-08-01", c->code);
        CHECK(got == c->fires, "%s with %s: fired=%d, want %d", c->code, c->set, got, c->fires);
    }
    month_after_edges(rs, ds);
    didq_ruleset_free(rs);
    return test_done();
}
