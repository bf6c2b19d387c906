/* test_query_analysis.c: the tables of the explorer's panes 7 to 9
 * (query_analysis.c) and the drill-down conditions behind their cells:
 * on synthetic months with anomalies planted at known sites, every
 * condition selects exactly the records the analysis counted. */
#include "didq/anomaly.h"
#include "didq/coverage.h"
#include "didq/date.h"
#include "didq/modality.h"
#include "didq/query.h"
#include "didq/refdata.h"
#include "didq/session.h"
#include "didq/store.h"
#include "didq/synth.h"
#include "didq/timeliness.h"
#include "didq/util.h"
#include "testdb.h"
#include "testlib.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Records matching where whose site is not site (0 when all are there). */
static int64_t elsewhere(sqlite3 *db, const char *where, const char *site)
{
    char *w = sqlite3_mprintf("(%s) AND coalesce(site, '') <> %Q", where, site);
    int64_t n = count_where(db, w);
    sqlite3_free(w);
    return n;
}

/* A session over synthetic months (one file per month given). */
static didq_session *load(const char *inject, const int *months, int n, uint64_t rows)
{
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    for (int i = 0; i < n; i++) {
        didq_synth_opts o = didq_synth_defaults();
        o.rows = rows;
        o.seed = 11 + (uint64_t)i;
        o.year = 2026, o.month = months[i];
        o.inject = i == n - 1 ? inject : NULL;
        size_t len;
        char *csv = didq_synth_mem(&o, &len);
        char name[32];
        snprintf(name, sizeof name, "m%d.csv", months[i]);
        didq_session_load_mem(s, name, csv, len, NULL, NULL);
        free(csv);
    }
    didq_session_finish(s);
    return s;
}

static const char inject[] = "activity-gap@RR801,setting-other-default@RAE01,"
                             "report-turnaround-missing@RWY01,restricted-code-identifiers@RWY02";

static int find_row(const didq_qtable *t, const char *site, const char *kind)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (!strcmp(didq_qtable_cell(t, r, 1), site) && !strcmp(didq_qtable_cell(t, r, 2), kind))
            return (int)r;
    return -1;
}

static void test_anomalies(sqlite3 *db, const didq_analysis *a)
{
    didq_qtable *t = didq_query_anomalies(a);
    CHECK(t->nrows == didq_analysis_count(a), "%zu rows", t->nrows);
    static const char *const planted[][2] = {{"RR801", "activity-gap"},
                                             {"RAE01", "setting-other-default"},
                                             {"RWY01", "report-turnaround-missing"},
                                             {"RWY02", "restricted-code-identifiers"}};
    for (int i = 0; i < 4; i++) {
        int r = find_row(t, planted[i][0], planted[i][1]);
        CHECK(r >= 0, "%s at %s not in the table", planted[i][1], planted[i][0]);
        if (r < 0) continue;
        const char *w = t->where[(size_t)r * 7];
        int64_t n = count_where(db, w);
        CHECK(n > 0 && n == atoll(didq_qtable_cell(t, (size_t)r, 3)), "%s: %lld records",
              planted[i][1], (long long)n);
        CHECK(elsewhere(db, w, planted[i][0]) == 0, "%s: records at another site", planted[i][1]);
        char label[96];
        snprintf(label, sizeof label, "%s %s", planted[i][1], planted[i][0]);
        CHECK(!strcmp(t->label[(size_t)r * 7], label), "label %s", t->label[(size_t)r * 7]);
    }
    for (size_t r = 1; r < t->nrows; r++) /* severity never rises down the list */
        CHECK(strcmp(didq_qtable_cell(t, r - 1, 0), "low") != 0 ||
                  !strcmp(didq_qtable_cell(t, r, 0), "low"),
              "row %zu out of order", r);
    CHECK(!strcmp(didq_qtable_cell(t, 0, 0), "high") && t->mark[0], "first row high, marked");
    didq_qtable_free(t);
}

/* Every timeliness row's conditions count what the scan counted. */
static void test_timeliness(sqlite3 *db, const didq_analysis *a)
{
    const didq_timeliness *rows;
    size_t n = didq_analysis_timeliness(a, &rows);
    CHECK(n > 9, "%zu timeliness rows", n);
    for (size_t i = 0; i < n; i++) {
        const didq_timeliness *w = &rows[i];
        static const struct {
            enum didq_tl_part part;
            size_t off;
        } parts[] = {{DIDQ_TL_REQUEST_MISSING, offsetof(didq_timeliness, request_to_test.missing)},
                     {DIDQ_TL_REQUEST_WRONG, offsetof(didq_timeliness, request_to_test.negative)},
                     {DIDQ_TL_REPORT_MISSING, offsetof(didq_timeliness, test_to_report.missing)},
                     {DIDQ_TL_REPORT_WRONG, offsetof(didq_timeliness, test_to_report.negative)}};
        char *all = didq_timeliness_where(w->site, w->modality, DIDQ_TL_ALL);
        CHECK(count_where(db, all) == (int64_t)w->records, "%s %s: %s", w->site ? w->site : "all",
              didq_modality_name(w->modality), all);
        free(all);
        for (size_t k = 0; k < sizeof parts / sizeof *parts; k++) {
            char *c = didq_timeliness_where(w->site, w->modality, parts[k].part);
            uint64_t want;
            memcpy(&want, (const char *)w + parts[k].off, sizeof want);
            CHECK(count_where(db, c) == (int64_t)want, "%s: %llu", c, (unsigned long long)want);
            free(c);
        }
    }
    didq_qtable *t = didq_query_timeliness(a);
    CHECK(t->nrows == n, "%zu table rows", t->nrows);
    CHECK(!strcmp(didq_qtable_cell(t, 0, 0), "(all)"), "overall first");
    for (size_t r = 0; r < t->nrows; r++) {
        bool rwy01 = !strcmp(didq_qtable_cell(t, r, 0), "RWY01");
        CHECK(t->mark[r] == rwy01, "row %zu (%s) marked %d", r, didq_qtable_cell(t, r, 0),
              t->mark[r]);
    }
    didq_qtable_free(t);
}

/* Each site's day counts match the coverage condition. */
static void test_coverage(sqlite3 *db, const didq_analysis *a)
{
    didq_period p = didq_analysis_period(a);
    const didq_site_coverage *c;
    size_t n = didq_analysis_coverage(a, &c);
    CHECK(n == 8 && p.ndays == 31, "%zu sites, %d days", n, p.ndays);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < p.ndays; d += 5) {
            char *w = didq_coverage_where(c[i].site, p.day0 + d, p.day0 + d);
            CHECK(count_where(db, w) == c[i].count[d], "%s", w);
            free(w);
        }
    didq_volumes v;
    CHECK(didq_query_volumes(a, &v) == NULL, "one month: no volumes table");
}

static void test_volumes(void)
{
    static const int months[] = {9, 10};
    didq_session *s = load("volume-drop@RR813", months, 2, 4000); /* RR813: 640 a month */
    sqlite3 *db = didq_session_db(s);
    didq_analysis *a = didq_analysis_run(db, NULL);
    didq_volumes v;
    didq_qtable *t = didq_query_volumes(a, &v);
    CHECK(t && t->ncols == 4 && v.nmonths == 2, "volumes table");
    if (t) {
        CHECK(!strcmp(t->head[1], "2026-09") && !strcmp(t->head[2], "2026-10"), "%s %s", t->head[1],
              t->head[2]);
        CHECK(t->nrows == 9 && !strcmp(didq_qtable_cell(t, 0, 0), "(all)"), "%zu rows", t->nrows);
        for (size_t r = 0; r < t->nrows; r++)
            for (int c = 1; c <= 2; c++) {
                const char *w = t->where[r * 4 + (size_t)c];
                CHECK(w && count_where(db, w) == atoll(didq_qtable_cell(t, r, c)), "%s", w);
            }
        for (size_t r = 0; r < t->nrows; r++) {
            CHECK(t->mark[r] == !strcmp(didq_qtable_cell(t, r, 0), "RR813"), "row %zu", r);
            int64_t both = atoll(didq_qtable_cell(t, r, 1)) + atoll(didq_qtable_cell(t, r, 2));
            CHECK(t->where[r * 4] && count_where(db, t->where[r * 4]) == both, "site cell %zu", r);
        }
        didq_qtable_free(t);
    }
    didq_analysis_free(a);
    didq_session_free(s);
}

/* With the SNOMED CT exam lookup loaded, a record's modality comes from it
 * (1095291000000109 is CT in the synthetic lookup, although the NICIP code
 * starts with X), in the counts and in the drill-down condition alike. */
static void test_snomed_modality(void)
{
    CHECK(didq_modality_of_label("Computerized axial tomography") == DIDQ_MOD_CT, "CT label");
    CHECK(didq_modality_of_label("Positron emission tomography") == DIDQ_MOD_NM, "PET");
    CHECK(didq_modality_of_label("Plain radiography") == DIDQ_MOD_XR, "XR label");
    CHECK(didq_modality_of_label("113091000") == DIDQ_MOD_MRI, "MRI concept");
    CHECK(didq_modality_of_label("mri") == DIDQ_MOD_MRI, "short name");
    CHECK(didq_modality_of_label("Something else") == DIDQ_MOD_UNKNOWN, "unknown label");
    char err[256];
    didq_refdata *rd = didq_refdata_new();
    CHECK(didq_refdata_load_dir(rd, DIDQ_TESTS_DIR "/data/refdata/set", NULL, NULL, err,
                                sizeof err) == 0,
          "%s", err);
    didq_session_opts so = {.submitted = didq_date_from_ymd(2018, 8, 1), .ref = rd};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    static const char csv[] =
        "9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,"
        "2018-07-02,2018-07-03,XABDO,1095291000000109,2018-07-04,RR864,ACC1\n"
        "9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,"
        "2018-07-02,2018-07-03,XABDO,417905003,2018-07-04,RR864,ACC2\n"
        "9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,"
        "2018-07-02,2018-07-03,XABDO,,2018-07-04,RR864,ACC3\n";
    didq_session_load_mem(s, "sct.csv", csv, sizeof csv - 1, NULL, NULL);
    didq_session_finish(s);
    sqlite3 *db = didq_session_db(s);
    didq_analysis_opts o = didq_analysis_defaults();
    o.records = didq_session_recstore(s);
    o.refdata = didq_session_refdata(s);
    didq_analysis *a = didq_analysis_run(db, &o);
    const didq_timeliness *rows;
    size_t n = didq_analysis_timeliness(a, &rows);
    uint64_t ct = 0, xr = 0;
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].site) continue;
        ct += rows[i].modality == DIDQ_MOD_CT ? rows[i].records : 0;
        xr += rows[i].modality == DIDQ_MOD_XR ? rows[i].records : 0;
    }
    CHECK(ct == 1 && xr == 2, "CT %llu, XR %llu", (unsigned long long)ct, (unsigned long long)xr);
    char *w = didq_timeliness_where("RR864", DIDQ_MOD_CT, DIDQ_TL_ALL);
    CHECK(count_where(db, w) == 1, "CT drill-down: %s", w);
    char *w2 = sqlite3_mprintf("(%s) AND acc = 'ACC1'", w);
    CHECK(count_where(db, w2) == 1, "the CT record is ACC1");
    sqlite3_free(w2);
    free(w);
    didq_analysis_free(a);
    didq_session_free(s);
    didq_refdata_free(rd);
}

int main(void)
{
    static const int months[] = {10};
    didq_session *s = load(inject, months, 1, 2000);
    sqlite3 *db = didq_session_db(s);
    didq_analysis_opts o = didq_analysis_defaults();
    o.records = didq_session_recstore(s);
    didq_analysis *a = didq_analysis_run(db, &o);
    test_anomalies(db, a);
    test_timeliness(db, a);
    test_coverage(db, a);
    didq_analysis_free(a);
    didq_session_free(s);
    test_volumes();
    test_snomed_modality();
    return test_done();
}
