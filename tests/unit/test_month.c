/* The reporting month of a file (month.h): the choice (ties, no valid
 * test date), the files table, the Overview, the Coverage period and
 * month-on-month volumes, a saved session and one saved before the
 * columns existed.  Synthetic rows only. */
#include "didq/coverage.h"
#include "didq/date.h"
#include "didq/month.h"
#include "didq/query.h"
#include "didq/session.h"
#include "didq/util.h"
#include "testdb.h"
#include "testlib.h"

#include <stdlib.h>
#include <unistd.h>

#define MI(y, m) ((y)*12 + (m)-1)

static void test_choice(void)
{
    didq_month_hist h = {0};
    didq_month_hist_add(&h, MI(2026, 4), 2);
    didq_month_hist_add(&h, MI(2026, 10), 30);
    didq_month_hist_add(&h, MI(2026, 11), 3);
    didq_month_hist_add(&h, DIDQ_NOMONTH, 1);
    didq_file_month f = didq_month_hist_take(&h);
    CHECK(f.month == MI(2026, 10), "October: %d", f.month);
    CHECK(f.in_month == 30 && f.outside == 5 && f.undated == 1,
          "30 in, 5 outside, 1 undated: %llu %llu %llu", (unsigned long long)f.in_month,
          (unsigned long long)f.outside, (unsigned long long)f.undated);

    /* A tie goes to the later month, whatever the order of the records. */
    didq_month_hist_add(&h, MI(2026, 10), 5);
    didq_month_hist_add(&h, MI(2026, 9), 5);
    f = didq_month_hist_take(&h);
    CHECK(f.month == MI(2026, 10) && f.outside == 5 && f.undated == 0,
          "tie: the later month (%d), the other outside", f.month);
    didq_month_hist_add(&h, MI(2025, 12), 7);
    didq_month_hist_add(&h, MI(2026, 1), 7);
    didq_month_hist_add(&h, MI(2024, 6), 1);
    f = didq_month_hist_take(&h);
    CHECK(f.month == MI(2026, 1) && f.outside == 8, "tie across a year: 2026-01 (%d)", f.month);

    /* No valid test date: no month, every record counted as undated. */
    didq_month_hist_add(&h, DIDQ_NOMONTH, 4);
    f = didq_month_hist_take(&h);
    CHECK(f.month == DIDQ_NOMONTH && f.outside == 0 && f.undated == 4 && f.in_month == 0,
          "no valid test date");
    f = didq_month_hist_take(&h);
    CHECK(f.month == DIDQ_NOMONTH && f.undated == 0, "an empty file");
    didq_month_hist_free(&h);

    char buf[8];
    int32_t mi;
    didq_month_format(MI(2026, 10), buf);
    CHECK(strcmp(buf, "2026-10") == 0, "format: %s", buf);
    didq_month_format(DIDQ_NOMONTH, buf);
    CHECK(strcmp(buf, "-") == 0, "no month: %s", buf);
    CHECK(didq_month_parse("2026-09", &mi) && mi == MI(2026, 9), "parse 2026-09");
    CHECK(!didq_month_parse("2026-13", &mi) && !didq_month_parse("2026-1", &mi) &&
              !didq_month_parse("202609", &mi) && !didq_month_parse("2026-091", &mi),
          "bad months refused");
}

/* A row with all its dates on day (a clean row otherwise); test may be
 * an invalid date. */
static void row(didq_buf *b, const char *test, int n)
{
    didq_buf_printf(b,
                    "9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,%s,%s,%s,"
                    "XABDO,417905003,%s,RR864,ACC%04d\n",
                    test, test, test, test, n);
}

/* October, with two April, three November rows and one invalid test date;
 * or (sep) 20 September rows. */
static char *month_csv(int sep, size_t *len)
{
    didq_buf b = {0};
    int n = 0;
    char d[16];
    for (int i = 0; i < (sep ? 20 : 30); i++) {
        snprintf(d, sizeof d, "2026-%02d-%02d", sep ? 9 : 10, i % 28 + 1);
        row(&b, d, n++);
    }
    if (!sep) {
        row(&b, "2026-04-01", n++);
        row(&b, "2026-04-02", n++);
        row(&b, "2026-11-01", n++);
        row(&b, "2026-11-01", n++);
        row(&b, "2026-11-02", n++);
        row(&b, "2026-13-01", n++);
    }
    *len = b.n;
    return b.p;
}

static didq_session *load(int with_sep)
{
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    size_t len;
    char *csv;
    if (with_sep) {
        csv = month_csv(1, &len);
        didq_session_load_mem(s, "sep.csv", csv, len, NULL, NULL);
        free(csv);
    }
    csv = month_csv(0, &len);
    didq_session_load_mem(s, "oct.csv", csv, len, NULL, NULL);
    free(csv);
    return s;
}

static void check_months(sqlite3 *db, const char *what)
{
    didq_file_month *f;
    int n = didq_file_months(db, &f);
    CHECK(n == 1, "%s: one file (%d)", what, n);
    if (n == 1)
        CHECK(f[0].month == MI(2026, 10) && f[0].in_month == 30 && f[0].outside == 5 &&
                  f[0].undated == 1,
              "%s: October, 30 in it, 5 outside, 1 without a valid test date (%d %llu %llu %llu)",
              what, f[0].month, (unsigned long long)f[0].in_month, (unsigned long long)f[0].outside,
              (unsigned long long)f[0].undated);
    free(f);
}

static void check_overview(didq_session *s, const char *what)
{
    didq_overview o;
    didq_query_overview(s, &o);
    CHECK(o.nmonths == 1 && o.months && strcmp(o.months, "2026-10") == 0, "%s: overview month %s",
          what, o.months ? o.months : "(none)");
    CHECK(o.outside_month == 5 && o.no_test_date == 1, "%s: overview outside %llu, undated %llu",
          what, (unsigned long long)o.outside_month, (unsigned long long)o.no_test_date);
    CHECK(strcmp(didq_qtable_cell(o.files_tab, 0, 3), "2026-10") == 0 &&
              strcmp(didq_qtable_cell(o.files_tab, 0, 4), "5") == 0,
          "%s: files table month %s, outside %s", what, didq_qtable_cell(o.files_tab, 0, 3),
          didq_qtable_cell(o.files_tab, 0, 4));
    didq_overview_free(&o);
}

/* The analysis of the October file: the period is October, the five
 * records dated in April and November are outside it, not charted, and
 * there is no earlier month to compare. */
static void check_analysis(const didq_analysis *a, const char *what)
{
    didq_period p = didq_analysis_period(a);
    CHECK(p.day0 == didq_date_from_ymd(2026, 10, 1) && p.ndays == 31,
          "%s: the period is October (%d, %d days)", what, p.day0, p.ndays);
    const int32_t *m;
    CHECK(didq_analysis_months(a, &m) == 1 && m[0] == MI(2026, 10), "%s: one reporting month",
          what);
    const didq_site_coverage *c;
    size_t n = didq_analysis_coverage(a, &c);
    uint64_t charted = 0;
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < p.ndays; d++)
            charted += c[i].count[d];
    CHECK(n == 1 && c[0].outside == 5 && c[0].undated == 1 && charted == 30,
          "%s: 30 charted, 5 outside, 1 undated", what);
    didq_volumes v;
    didq_qtable *t = didq_query_volumes(a, &v);
    CHECK(t == NULL, "%s: no month-on-month volumes with one reporting month", what);
    didq_qtable_free(t);
}

static void test_october(void)
{
    didq_session *s = load(0);
    const didq_analysis *a = didq_session_finish_analysed(s);
    sqlite3 *db = didq_session_db(s);
    check_months(db, "loaded");
    check_overview(s, "loaded");
    check_analysis(a, "loaded");

    char path[] = "/tmp/didq_test_month_XXXXXX", err[256];
    int fd = mkstemp(path);
    close(fd);
    CHECK(didq_session_save(s, path, true, err, sizeof err) == 0, "save: %s", err);
    didq_session_free(s);
    for (int old = 0; old < 2; old++) {
        const char *what = old ? "saved without the columns" : "saved";
        if (old) { /* a file saved by an older didq: no month columns */
            sqlite3 *w;
            sqlite3_open(path, &w);
            CHECK(sqlite3_exec(w,
                               "ALTER TABLE files DROP COLUMN month;"
                               " ALTER TABLE files DROP COLUMN outside_month;"
                               " ALTER TABLE files DROP COLUMN no_test_date;",
                               NULL, NULL, NULL) == SQLITE_OK,
                  "drop the columns: %s", sqlite3_errmsg(w));
            sqlite3_close(w);
        }
        s = didq_session_open_saved(path, NULL, err, sizeof err);
        CHECK(s != NULL, "%s: open: %s", what, err);
        if (!s) continue;
        check_months(didq_session_db(s), what);
        check_overview(s, what);
        check_analysis(didq_session_analysis(s), what);
        didq_session_free(s);
    }
    unlink(path);
}

/* September and October: two reporting months, compared with each other
 * only (the April and November rows of the October file are not). */
static void test_two_months(void)
{
    didq_session *s = load(1);
    const didq_analysis *a = didq_session_finish_analysed(s);
    didq_period p = didq_analysis_period(a);
    CHECK(p.day0 == didq_date_from_ymd(2026, 9, 1) && p.ndays == 61,
          "September to October (%d days)", p.ndays);
    didq_volumes v;
    didq_qtable *t = didq_query_volumes(a, &v);
    CHECK(t && v.nmonths == 2 && v.mi[0] == MI(2026, 9) && v.mi[1] == MI(2026, 10),
          "volumes: September and October only");
    if (t) {
        CHECK(strcmp(didq_qtable_cell(t, 0, 1), "20") == 0 &&
                  strcmp(didq_qtable_cell(t, 0, 2), "30") == 0,
              "20 in September, 30 in October: %s %s", didq_qtable_cell(t, 0, 1),
              didq_qtable_cell(t, 0, 2));
    }
    didq_qtable_free(t);
    didq_overview o;
    didq_query_overview(s, &o);
    CHECK(o.nmonths == 2 && strcmp(o.months, "2026-09, 2026-10") == 0, "overview: %s", o.months);
    didq_overview_free(&o);
    didq_session_free(s);
}

/* September and November, the November file with two October rows: the
 * volumes show September and November only, and each cell's count is
 * what its drill-down selects (October's records are in neither). */
static void test_gap_month(void)
{
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 12, 20)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    for (int f = 0; f < 2; f++) {
        didq_buf b = {0};
        char d[16];
        for (int i = 0; i < 20; i++) {
            snprintf(d, sizeof d, "2026-%02d-%02d", f ? 11 : 9, i % 28 + 1);
            row(&b, d, i);
        }
        if (f) row(&b, "2026-10-05", 20), row(&b, "2026-10-06", 21);
        didq_session_load_mem(s, f ? "nov.csv" : "sep.csv", b.p, b.n, NULL, NULL);
        didq_buf_free(&b);
    }
    const didq_analysis *a = didq_session_finish_analysed(s);
    didq_volumes v;
    didq_qtable *t = didq_query_volumes(a, &v);
    CHECK(t && v.nmonths == 2 && v.mi[0] == MI(2026, 9) && v.mi[1] == MI(2026, 11),
          "volumes: September and November, not October");
    for (size_t r = 0; t && r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            size_t k = r * (size_t)t->ncols + (size_t)c;
            if (t->count[k] < 0) continue;
            int64_t n = count_where(didq_session_db(s), t->where[k]);
            CHECK(n == t->count[k], "row %zu col %d: %lld shown, %lld selected by %s", r, c,
                  (long long)t->count[k], (long long)n, t->where[k]);
        }
    if (t)
        CHECK(strcmp(didq_qtable_cell(t, 0, 0), "(all)") == 0 && t->count[0] == 40,
              "(all): 40 records in the months shown, got %lld", (long long)t->count[0]);
    const didq_site_coverage *c;
    didq_analysis_coverage(a, &c);
    CHECK(c[0].outside == 2, "the two October rows are outside (%llu)",
          (unsigned long long)c[0].outside);
    didq_qtable_free(t);
    didq_session_free(s);
}

int main(void)
{
    test_choice();
    test_october();
    test_two_months();
    test_gap_month();
    return test_done();
}
