/* Months analysed apart (anomaly.h, "Months"): two synthetic months with
 * different anomalies planted, loaded alone and together.  Together, each
 * month's timeliness rows, coverage rows, period and anomalies are those
 * of the month alone; every anomaly's condition selects its records, and
 * a month's only that month's; the kinds that compare months have month
 * DIDQ_NOMONTH; a saved session (read through SQL) gives the same; a
 * session of one month adds no condition. */
#include "didq/anomaly.h"
#include "didq/coverage.h"
#include "didq/date.h"
#include "didq/query.h"
#include "didq/session.h"
#include "didq/synth.h"
#include "didq/timeliness.h"
#include "didq/util.h"
#include "testdb.h"
#include "testlib.h"

#include <stdlib.h>
#include <unistd.h>

#define MI(y, m) ((y)*12 + (m)-1)

static char *month_csv(int month, const char *inject, size_t *len)
{
    didq_synth_opts o = didq_synth_defaults();
    o.rows = 4000;
    o.seed = 9;
    o.year = 2026;
    o.month = month;
    o.defect_rate = 0.02;
    o.inject = inject;
    return didq_synth_mem(&o, len);
}

static char *sep, *oct;
static size_t sep_len, oct_len;

/* A session of the files (1: September, 2: October, 3: both). */
static didq_session *load(int which)
{
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 1)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    if (which & 1) didq_session_load_mem(s, "sep.csv", sep, sep_len, NULL, NULL);
    if (which & 2) didq_session_load_mem(s, "oct.csv", oct, oct_len, NULL, NULL);
    didq_session_finish_analysed(s);
    return s;
}

static bool same_dist(const didq_interval_dist *x, const didq_interval_dist *y)
{
    return x->n == y->n && x->missing == y->missing && x->negative == y->negative &&
           memcmp(x->hist, y->hist, sizeof x->hist) == 0;
}

static bool same_site(const char *x, const char *y)
{
    return x == y || (x && y && strcmp(x, y) == 0);
}

/* month m of a (together) against b (alone). */
static void same_month(const didq_analysis *a, const didq_analysis *b, int32_t m, const char *what)
{
    const didq_timeliness *x, *y;
    size_t nx = didq_analysis_timeliness_in(a, m, &x), ny = didq_analysis_timeliness(b, &y);
    CHECK(nx == ny && nx > 1, "%s: %zu timeliness rows together, %zu alone", what, nx, ny);
    for (size_t i = 0; i < nx && i < ny; i++)
        CHECK(same_site(x[i].site, y[i].site) && x[i].modality == y[i].modality &&
                  x[i].records == y[i].records &&
                  same_dist(&x[i].request_to_test, &y[i].request_to_test) &&
                  same_dist(&x[i].test_to_report, &y[i].test_to_report),
              "%s: timeliness row %zu (%s) differs", what, i, x[i].site ? x[i].site : "all");
    didq_period p = didq_analysis_period_in(a, m), q = didq_analysis_period(b);
    CHECK(p.day0 == q.day0 && p.ndays == q.ndays && p.ndays >= 28, "%s: period", what);
    const didq_site_coverage *c, *d;
    size_t nc = didq_analysis_coverage_in(a, m, &c), nd = didq_analysis_coverage(b, &d);
    CHECK(nc == nd && nc > 1, "%s: %zu coverage rows together, %zu alone", what, nc, nd);
    for (size_t i = 0; i < nc && i < nd; i++)
        CHECK(strcmp(c[i].site, d[i].site) == 0 && c[i].records == d[i].records &&
                  c[i].undated == d[i].undated && c[i].outside == d[i].outside &&
                  memcmp(c[i].count, d[i].count, (size_t)p.ndays * sizeof *c[i].count) == 0,
              "%s: coverage of %s differs", what, c[i].site);
    /* the anomalies of the month, in order, against those alone */
    size_t k = 0, n = 0;
    for (size_t i = 0; i < didq_analysis_count(a); i++) {
        const didq_anomaly *an = didq_analysis_get(a, i);
        if (an->month != m) continue;
        n++;
        const didq_anomaly *al = didq_analysis_get(b, k++);
        CHECK(al && al->kind == an->kind && strcmp(al->site, an->site) == 0 &&
                  al->value == an->value && al->records == an->records && al->month == m,
              "%s: anomaly %zu: %s at %s together, %s at %s alone", what, k,
              didq_anomaly_kind_name(an->kind), an->site,
              al ? didq_anomaly_kind_name(al->kind) : "none", al ? al->site : "");
    }
    CHECK(n == didq_analysis_count(b) && n >= 2, "%s: %zu anomalies together, %zu alone", what, n,
          didq_analysis_count(b));
    didq_month_info mi = didq_analysis_month_info(a, m);
    CHECK(mi.files == 1 && mi.anomalies == n, "%s: month info %d files %zu anomalies", what,
          mi.files, mi.anomalies);
}

/* Every anomaly selects its records; a month's, only records of the month. */
static void check_conditions(sqlite3 *db, const didq_analysis *a, const char *what)
{
    size_t cross = 0;
    for (size_t i = 0; i < didq_analysis_count(a); i++) {
        const didq_anomaly *an = didq_analysis_get(a, i);
        int64_t n = count_where(db, an->where);
        CHECK(n == (int64_t)an->records, "%s: %s at %s: %lld selected, %llu said (%s)", what,
              didq_anomaly_kind_name(an->kind), an->site, (long long)n,
              (unsigned long long)an->records, an->where);
        if (an->month == DIDQ_NOMONTH) {
            cross++;
            continue;
        }
        const char *mw = didq_analysis_month_where(a, an->month);
        CHECK(mw != NULL, "%s: no condition for month %d", what, an->month);
        char *outside = sqlite3_mprintf("(%s) AND NOT (%s)", an->where, mw ? mw : "0");
        CHECK(count_where(db, outside) == 0, "%s: %s at %s selects another month's records", what,
              didq_anomaly_kind_name(an->kind), an->site);
        sqlite3_free(outside);
    }
    CHECK(cross >= 2, "%s: %zu anomalies compare months", what, cross);
    for (int32_t m = MI(2026, 9); m <= MI(2026, 10); m++) {
        didq_month_info mi = didq_analysis_month_info(a, m);
        CHECK(count_where(db, didq_analysis_month_where(a, m)) == (int64_t)mi.records &&
                  mi.records > 3000,
              "%s: month %d's condition", what, m);
        didq_qtable *t = didq_query_timeliness_in(a, m);
        for (size_t r = 0; r < t->nrows; r++)
            for (int c = 0; c < t->ncols; c++) {
                size_t k = r * (size_t)t->ncols + (size_t)c;
                if (t->count[k] < 0) continue;
                CHECK(count_where(db, t->where[k]) == t->count[k],
                      "%s: timeliness of month %d, row %zu col %d: %s", what, m, r, c, t->where[k]);
            }
        didq_qtable_free(t);
    }
}

static void check_together(didq_session *both, didq_session *s1, didq_session *s2, const char *what)
{
    const didq_analysis *a = didq_session_analysis(both);
    const int32_t *ml;
    size_t nm = didq_analysis_month_list(a, &ml);
    CHECK(nm == 2 && ml[0] == MI(2026, 9) && ml[1] == MI(2026, 10), "%s: two months", what);
    char w[64];
    snprintf(w, sizeof w, "%s, September", what);
    same_month(a, didq_session_analysis(s1), MI(2026, 9), w);
    snprintf(w, sizeof w, "%s, October", what);
    same_month(a, didq_session_analysis(s2), MI(2026, 10), w);
    check_conditions(didq_session_db(both), a, what);
    /* the whole session: the months summed */
    const didq_timeliness *t;
    didq_analysis_timeliness(a, &t);
    CHECK(t[0].records == didq_session_records(both), "%s: whole timeliness %llu of %llu", what,
          (unsigned long long)t[0].records, (unsigned long long)didq_session_records(both));
}

int main(void)
{
    sep = month_csv(9, "activity-gap@RR801,setting-other-default@RAE05,duplicate-suspected@RWY01",
                    &sep_len);
    oct = month_csv(10,
                    "report-turnaround-missing@RR864,referral-to-test-zero@RR813,"
                    "accession-reused@RAE01,volume-drop@RWY01",
                    &oct_len);
    didq_session *s1 = load(1), *s2 = load(2), *both = load(3);
    const didq_analysis *a1 = didq_session_analysis(s1);
    const int32_t *ml;
    CHECK(didq_analysis_month_list(a1, &ml) == 1 && ml[0] == MI(2026, 9) &&
              didq_analysis_month_where(a1, MI(2026, 9)) == NULL &&
              strcmp(didq_analysis_month_where(a1, MI(2026, 10)), "0") == 0,
          "one month: no condition added");
    for (size_t i = 0; i < didq_analysis_count(a1); i++)
        CHECK(!strstr(didq_analysis_get(a1, i)->where, "file IN"), "one month: %s",
              didq_analysis_get(a1, i)->where);
    check_together(both, s1, s2, "in memory");

    char dir[] = "/tmp/didq-months-XXXXXX", path[256], err[256];
    didq_session *saved = save_reopen(both, dir, path, sizeof path, err, sizeof err);
    CHECK(saved != NULL, "save and reopen: %s", err);
    if (saved) {
        check_together(saved, s1, s2, "saved");
        didq_session_free(saved);
    }
    unlink(path);
    rmdir(dir);
    didq_session_free(s1);
    didq_session_free(s2);
    free(sep);
    free(oct);
    return test_done();
}
