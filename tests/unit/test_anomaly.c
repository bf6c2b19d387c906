/* test_anomaly.c: every anomaly kind on small hand-built months (three
 * sites, about 600 records each): a clean month produces no anomaly, and
 * each kind planted at site RBB02 is found there and nowhere else. */
#include "anomaly_int.h"
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/session.h"
#include "didq/synth.h"
#include "didq/table.h"
#include "didq/util.h"
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

static const char *const sites[3] = {"RAA01", "RBB02", "RCC03"};
static const char *const nicips[4] = {"XCHES", "CABDO", "MHEAD", "UABDO"};
enum { TARGET = 1 }; /* RBB02 */

typedef struct gen {
    int kind;  /* the kind planted at RBB02, or -1 */
    int month; /* 6 or 7 (2018) */
    int later; /* 1 for the second file of a two-month pair */
} gen;

/* A valid NHS number for patient p (< 1,000,000): 999 or 998, then p. */
static void nhs_number(int p, char *out)
{
    for (int prefix = 999;; prefix--) {
        char d[24];
        snprintf(d, sizeof d, "%03d%06d", prefix, p % 1000000);
        int sum = 0;
        for (int i = 0; i < 9; i++)
            sum += (d[i] - '0') * (10 - i);
        int c = 11 - sum % 11;
        if (c == 10) continue;
        snprintf(out, 11, "%.9s%d", d, (c == 11 ? 0 : c) % 10);
        return;
    }
}

static const char *setting_for(long i)
{
    static const char *const cyc[20] = {"01", "01", "01", "02", "02", "03", "03", "03", "03", "03",
                                        "03", "04", "04", "04", "04", "04", "05", "05", "05", "06"};
    return i % 50 == 49 ? "07" : cyc[i % 20];
}

static void date(int32_t d, char *out)
{
    if (d == DIDQ_NODATE)
        out[0] = '\0';
    else
        didq_date_format(d, out);
}

typedef struct row {
    char nhs[11], dob[11], gender[2], setting[3], referrer[9], reforg[7];
    int32_t req, recv, test, rep;
    const char *nicip;
    char acc[24];
} row;

static void put_row(didq_buf *b, const row *r, int site)
{
    char rq[11], rc[11], te[11], rp[11];
    date(r->req, rq), date(r->recv, rc), date(r->test, te), date(r->rep, rp);
    didq_buf_printf(b, "%s,01,%s,A,%s,LS1 4HR,A81015,%s,%s,%s,%s,%s,%s,%s,,%s,%s,%s\n", r->nhs,
                    r->dob, r->gender, r->setting, r->referrer, r->reforg, rq, rc, te, r->nicip, rp,
                    sites[site], r->acc);
}

/* The clean record i of a month; patients have one record at each site. */
static void clean_row(row *r, long i, int32_t test, int site, const gen *g)
{
    long p = i / 3 + (long)g->month * 100000;
    memset(r, 0, sizeof *r);
    nhs_number((int)p, r->nhs);
    date(didq_date_from_ymd(1940 + (int)(p % 60), 1 + (int)(p % 12), 1 + (int)(p % 28)), r->dob);
    strcpy(r->gender, p % 2 ? "1" : "2");
    strcpy(r->setting, setting_for(i / 3));
    int gp = strcmp(r->setting, "04") == 0;
    snprintf(r->referrer, sizeof r->referrer, "%c%07ld", gp ? 'G' : 'C', 1000000 + i % 999);
    strcpy(r->reforg, gp ? "A81015" : "RR8");
    r->test = test;
    r->req = test - 1 - (int32_t)(i % 20);
    r->recv = r->req + 1;
    r->rep = i % 100 == 7 ? DIDQ_NODATE : test + (int32_t)(i % 5);
    r->nicip = nicips[(i / 3) % 4];
    snprintf(r->acc, sizeof r->acc, "A%d%06ld", g->month, i);
}

/* Plants the kind in a record of RBB02; returns 0 to drop the record. */
static int plant(row *r, long i, const gen *g, didq_buf *b)
{
    int day;
    didq_date_to_ymd(r->test, &(int){0}, &(int){0}, &day);
    switch (g->kind) {
    case DIDQ_AK_SETTING_OTHER:
        if (i % 10 < 3) strcpy(r->setting, "07");
        break;
    case DIDQ_AK_GP_AS_OUTPATIENT:
        if (!strcmp(r->setting, "04")) strcpy(r->setting, "03");
        break;
    case DIDQ_AK_SETTING_DEFAULT:
        strcpy(r->setting, "01");
        break;
    case DIDQ_AK_RTT_MISSING:
        if (i % 5 == 0) r->req = r->recv = DIDQ_NODATE;
        break;
    case DIDQ_AK_RTT_ZERO:
        r->req = r->recv = r->test;
        break;
    case DIDQ_AK_REPORT_MISSING:
        if (i % 4 == 0) r->rep = DIDQ_NODATE;
        break;
    case DIDQ_AK_REPORT_ZERO:
        r->rep = r->test;
        break;
    case DIDQ_AK_ACTIVITY_GAP:
        return day > 15;
    case DIDQ_AK_VOLUME_DROP:
        return !g->later || i % 2;
    case DIDQ_AK_FIELD_MISSING:
        if (i % 5 < 2) r->gender[0] = '\0';
        break;
    case DIDQ_AK_DUPLICATE:
        if (i % 20 == 1) {
            put_row(b, r, TARGET);
            strcat(r->acc, "D");
        }
        break;
    case DIDQ_AK_ACCESSION_REUSED:
        if (g->later && i % 30 == 1) snprintf(r->acc, sizeof r->acc, "A6%06ld", i + 3);
        break;
    case DIDQ_AK_IDENTITY_CONFLICT:
        if (i % 60 == 1) strcpy(r->dob, "1999-12-31");
        break;
    case DIDQ_AK_RESTRICTED:
        if (i % 60 == 1) r->nicip = "UFOTA";
        break;
    }
    return 1;
}

static char *month_csv(const gen *g, size_t *len)
{
    didq_buf b = {0};
    int32_t d0 = didq_date_from_ymd(2018, g->month, 1);
    long i = 0;
    for (int32_t d = d0; d < d0 + didq_date_days_in_month(2018, g->month); d++) {
        int per_day = didq_date_weekday(d) < 5 ? 25 : 3;
        for (int k = 0; k < per_day; k++) {
            for (int site = 0; site < 3; site++, i++) {
                row r;
                clean_row(&r, i, d, site, g);
                if (site == TARGET && g->kind >= 0 && !plant(&r, i, g, &b)) continue;
                put_row(&b, &r, site);
            }
        }
    }
    *len = b.n;
    return b.p;
}

static didq_session *load(const gen *g, int nfiles)
{
    didq_session_opts so = {.submitted = didq_date_from_ymd(2018, 8, 1)};
    char err[256];
    didq_session *s = didq_session_new(&so, err, sizeof err);
    for (int f = 0; f < nfiles; f++) {
        gen gf = *g;
        gf.month = nfiles == 2 ? 6 + f : 7;
        gf.later = f == 1;
        size_t len;
        char *csv = month_csv(&gf, &len);
        didq_session_load_mem(s, gf.later ? "july.csv" : "june.csv", csv, len, NULL, NULL);
        free(csv);
    }
    didq_session_finish(s);
    return s;
}

static int two_files(int kind)
{
    return kind == DIDQ_AK_VOLUME_DROP || kind == DIDQ_AK_ACCESSION_REUSED;
}

/* Counts a drill-down's records and checks they are all at RBB02. */
static void check_drill(sqlite3 *db, const didq_anomaly *an)
{
    char *q = didq_anomaly_record_query(an), *sql = NULL;
    didq_buf b = {0};
    didq_buf_printf(&b, "SELECT count(*), sum(site <> 'RBB02') FROM records WHERE id IN (%s)", q);
    sql = b.p;
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(db));
    CHECK(sqlite3_step(st) == SQLITE_ROW, "%s", sql);
    long long n = sqlite3_column_int64(st, 0), other = sqlite3_column_int64(st, 1);
    CHECK(an->kind == DIDQ_AK_ACTIVITY_GAP || (uint64_t)n == an->records,
          "%s: drill-down %lld records, anomaly says %llu", didq_anomaly_kind_name(an->kind), n,
          (unsigned long long)an->records);
    CHECK(other == 0, "%s: drill-down has %lld records of other sites",
          didq_anomaly_kind_name(an->kind), other);
    sqlite3_finalize(st);
    free(q);
    free(sql);
}

static void test_kind(int kind)
{
    gen g = {.kind = kind};
    didq_session *s = load(&g, two_files(kind) ? 2 : 1);
    didq_analysis *a = didq_analysis_run(didq_session_db(s), NULL);
    size_t n = didq_analysis_count(a), found = 0;
    for (size_t i = 0; i < n; i++) {
        const didq_anomaly *an = didq_analysis_get(a, i);
        int right = (int)an->kind == kind && strcmp(an->site, "RBB02") == 0;
        found += right;
        CHECK(right, "planted %s, found %s at %s: %s", didq_anomaly_kind_name(kind),
              didq_anomaly_kind_name(an->kind), an->site, an->message);
        if (right) {
            CHECK(an->value >= an->threshold, "%s: value %g under threshold %g",
                  didq_anomaly_kind_name(kind), an->value, an->threshold);
            check_drill(didq_session_db(s), an);
        }
    }
    CHECK(found >= 1, "planted %s at RBB02: not found", didq_anomaly_kind_name(kind));
    /* The direct read of the in-memory records finds the same. */
    didq_analysis_opts o = didq_analysis_defaults();
    o.records = didq_session_recstore(s);
    didq_analysis *b = didq_analysis_run(didq_session_db(s), &o);
    CHECK(o.records && didq_analysis_count(b) == n,
          "%s: %zu anomalies reading the records"
          " directly, %zu through SQL",
          didq_anomaly_kind_name(kind), didq_analysis_count(b), n);
    for (size_t i = 0; i < n && i < didq_analysis_count(b); i++) {
        const didq_anomaly *x = didq_analysis_get(a, i), *y = didq_analysis_get(b, i);
        CHECK(x->kind == y->kind && !strcmp(x->site, y->site) && x->records == y->records &&
                  x->value == y->value,
              "%s: direct and SQL differ: %s", didq_anomaly_kind_name(kind), y->message);
    }
    didq_analysis_free(b);
    didq_analysis_free(a);
    didq_session_free(s);
}

static void test_clean(int nfiles)
{
    gen g = {.kind = -1};
    didq_session *s = load(&g, nfiles);
    didq_analysis *a = didq_analysis_run(didq_session_db(s), NULL);
    CHECK(didq_analysis_count(a) == 0, "clean %d-file data: %zu anomalies, first %s at %s: %s",
          nfiles, didq_analysis_count(a),
          didq_analysis_count(a) ? didq_anomaly_kind_name(didq_analysis_get(a, 0)->kind) : "",
          didq_analysis_count(a) ? didq_analysis_get(a, 0)->site : "",
          didq_analysis_count(a) ? didq_analysis_get(a, 0)->message : "");
    didq_analysis_opts o = didq_analysis_defaults();
    o.records = didq_session_recstore(s);
    didq_analysis *b = didq_analysis_run(didq_session_db(s), &o);
    CHECK(didq_analysis_count(b) == 0, "clean %d-file data, direct read: %zu anomalies", nfiles,
          didq_analysis_count(b));
    didq_analysis_free(b);
    didq_analysis_free(a);
    didq_session_free(s);
}

/* The one list of kinds (anomaly_kinds.h) and what follows it: the rows of
 * refdata/anomalies.csv and the kinds `didq synth --inject` plants, each in
 * the order of the list. */
static void test_list(void)
{
    didq_table *tab = didq_table_embedded("anomalies.csv");
    int ck = didq_table_col(tab, "kind");
    CHECK(tab->nrows == DIDQ_AK_N, "anomalies.csv: %zu rows for %d kinds", tab->nrows,
          (int)DIDQ_AK_N);
    for (int k = 0; k < DIDQ_AK_N; k++) {
        const char *name = didq_anomaly_kind_name(k);
        CHECK(didq_anomaly_kind_find(name) == k, "%s found", name);
        const char *csv = (size_t)k < tab->nrows ? didq_table_get(tab, (size_t)k, ck) : "";
        CHECK(strcmp(csv, name) == 0, "anomalies.csv row %d: %s, list: %s", k + 1, csv, name);
        const char *sy = didq_synth_kind(k);
        CHECK(sy && strcmp(sy, name) == 0, "synth kind %d: %s, list: %s", k, sy ? sy : "(none)",
              name);
    }
    CHECK(!didq_synth_kind(DIDQ_AK_N), "synth has no kind past the list");
    didq_table_free(tab);
}

/* an_hash as it was written first: the tail copied into a zeroed word
 * (its values must not change: the keys group records by them). */
static uint64_t ref_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t k;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&k, s, 8);
        h = (h ^ k) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    k = 0;
    memcpy(&k, s, n);
    h = (h ^ k ^ ((uint64_t)n << 56)) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 32);
}

static void test_hash(void)
{
    unsigned char buf[48];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 37 + 11);
    int bad = 0;
    for (size_t at = 0; at < 8; at++)
        for (size_t n = 0; at + n <= sizeof buf; n++)
            bad += an_hash(AN_HASH_INIT, buf + at, n) != ref_hash(AN_HASH_INIT, buf + at, n);
    CHECK(bad == 0, "an_hash differs from the reference for %d lengths and offsets", bad);
}

int main(void)
{
    test_hash();
    test_list();
    test_clean(1);
    test_clean(2);
    for (int k = 0; k < DIDQ_AK_N; k++)
        test_kind(k);
    return test_done();
}
