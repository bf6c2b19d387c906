/* Dates: strict and lenient parsing, month arithmetic. */
#include "didq/date.h"
#include "testlib.h"

static int32_t d(const char *s)
{
    int32_t v = DIDQ_NODATE;
    didq_date_parse(s, strlen(s), &v);
    return v;
}

int main(void)
{
    const char *bad[] = {"2018-13-01",
                         "2017-20-06",
                         "2018-05-00",
                         "2018-06-31",
                         "2018-06-5",
                         "01-01-2018",
                         "20180101",
                         "2018-02-29",
                         "1900-02-29",
                         "2018-02-00",
                         "200",
                         "182-11-15",
                         "2018-06-05T00:00",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(d(bad[i]) == DIDQ_NODATE, "'%s' should be invalid", bad[i]);
    const char *good[] = {"2016-02-29", "2000-02-29", "2018-12-31", "0000-01-01", "1970-01-01"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        CHECK(d(good[i]) != DIDQ_NODATE, "'%s' should be valid", good[i]);
    CHECK(d("1970-01-01") == 0 && d("1970-01-02") == 1, "epoch");
    char buf[11];
    didq_date_format(d("2024-02-29"), buf);
    CHECK(strcmp(buf, "2024-02-29") == 0, "round trip gave %s", buf);
    int32_t v;
    CHECK(didq_date_parse_lenient("2018-6-5", 8, &v) && v == d("2018-06-05"), "lenient 2018-6-5");
    CHECK(didq_date_parse_lenient("2018-06-05 10:00", 16, &v), "lenient with time");
    CHECK(!didq_date_parse_lenient("2018-02-30", 10, &v), "lenient still checks the calendar");
    CHECK(didq_date_add_months(d("2018-01-31"), 1) == d("2018-02-28"), "add_months clamps");
    CHECK(didq_date_add_months(d("2018-07-05"), 1) == d("2018-08-05"), "add_months");
    CHECK(didq_date_add_months(d("0000-03-31"), -6) == didq_date_from_ymd(-1, 9, 30),
          "add_months before year 0 (found by fuzz_parsers)");
    CHECK(didq_date_month_index(d("2018-08-01")) - didq_date_month_index(d("2018-01-31")) == 7,
          "month index");
    CHECK(didq_date_weekday(d("2026-11-23")) == 0, "2026-11-23 is a Monday");
    /* the parser's day number for 1901 to 2099 (no division) against the
     * general formula, every day of 1899 to 2101, and the days that are not */
    for (int y = 1899; y <= 2101; y++)
        for (int m = 1; m <= 12; m++)
            for (int dd = 0; dd <= 32; dd++) {
                char s[16];
                snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, dd);
                int32_t got = DIDQ_NODATE, mi = -1;
                int ok = didq_date_parse_mi(s, 10, &got, &mi);
                int real = dd >= 1 && dd <= didq_date_days_in_month(y, m);
                CHECK(ok == real, "%s: parsed %d", s, ok);
                if (real)
                    CHECK(got == didq_date_from_ymd(y, m, dd) && mi == y * 12 + m - 1,
                          "%s: day %d, not %d", s, (int)got, (int)didq_date_from_ymd(y, m, dd));
            }
    return test_done();
}
