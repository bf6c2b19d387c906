/* test_site_analysis.c: the analyses of a site scope (query.h,
 * didq_scope_analysis), which the explorer's panes 7 to 9, Months and
 * Sites read in a site scope, are those of the site's records loaded
 * alone (docs/usage.md) and those of `check --site` (a session made with
 * didq_session_opts.sites): for every site of three synthetic months
 * (those of the tester's report, each with anomalies injected and rule
 * defects that give patients two birth dates or genders), the anomalies
 * of every month and of all months, the timeliness rows, the
 * month-on-month volumes and the Months pane, cell by cell; every
 * anomaly's drill-down selects its records in the whole session, whose
 * own record lists the site's analysis leaves alone.  Then the same
 * months with one site gone from the last: its records alone have no
 * third month, so no volume-drop.  In memory and saved.  Synthetic data
 * only.
 *
 * The premise is checked too: the whole session's analysis cut to a site
 * (what the explorer showed before) is not the site's alone for some
 * site (identity-conflict compares a patient's details over every record
 * analysed; activity-gap's active weekdays and volume-drop's complete
 * months are those of the records loaded). */
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/month.h"
#include "didq/query.h"
#include "didq/record.h"
#include "didq/session.h"
#include "didq/synth.h"
#include "didq/util.h"
#include "testdb.h"
#include "testlib.h"
#include "testcsv.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { NMONTHS = 3 };

typedef struct month_csv {
    const char *name;
    char *csv;
    size_t len;
} month_csv;

static char *synth_month(int month, double defects, bool dups, const char *inject, size_t *len)
{
    didq_synth_opts o = didq_synth_defaults();
    o.rows = 20000;
    o.seed = 7;
    o.year = 2026, o.month = month;
    o.defect_rate = defects;
    o.defect_dups = dups;
    o.inject = inject;
    return didq_synth_mem(&o, len);
}

/* The lines of csv whose site is (keep) or is not (!keep) site. */
static char *lines_of(const char *csv, size_t len, const char *site, bool keep, size_t *out)
{
    didq_buf b = {0};
    didq_buf_puts(&b, "");
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(csv + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (csv + i)) : len - i;
        char s[64];
        testcsv_field(csv + i, n, DIDQ_SITE, s, sizeof s);
        if ((strcmp(s, site) == 0) == keep) didq_buf_printf(&b, "%.*s\n", (int)n, csv + i);
        i += n + 1;
    }
    *out = b.n;
    return b.p;
}

static didq_session *session(const char *const *sites, size_t nsites)
{
    char err[256];
    didq_session_opts so = {
        .submitted = didq_date_from_ymd(2026, 4, 7), .sites = sites, .n_sites = nsites};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    CHECK(s != NULL, "session: %s", err);
    return s;
}

/* Every month loaded in one session. */
static didq_session *whole(const month_csv *m)
{
    didq_session *s = session(NULL, 0);
    for (int k = 0; k < NMONTHS; k++)
        didq_session_load_mem(s, m[k].name, m[k].csv, m[k].len, NULL, NULL);
    didq_session_finish_analysed(s);
    return s;
}

/* The site's rows of each month, a file of them alone (a month holding
 * none of them is not loaded, as check --site leaves its file out). */
static didq_session *alone(const month_csv *m, const char *site)
{
    didq_session *s = session(NULL, 0);
    for (int k = 0; k < NMONTHS; k++) {
        size_t n;
        char *csv = lines_of(m[k].csv, m[k].len, site, true, &n);
        if (n) didq_session_load_mem(s, m[k].name, csv, n, NULL, NULL);
        free(csv);
    }
    didq_session_finish_analysed(s);
    return s;
}

/* check --site: every month loaded, the site's records kept. */
static didq_session *site_check(const month_csv *m, const char *site)
{
    const char *sites[] = {site};
    didq_session *s = session(sites, 1);
    for (int k = 0; k < NMONTHS; k++)
        didq_session_load_mem(s, m[k].name, m[k].csv, m[k].len, NULL, NULL);
    didq_session_finish_analysed(s);
    return s;
}

static bool same_cells(const didq_qtable *a, const didq_qtable *b, bool quiet, const char *what)
{
    if (a->nrows != b->nrows || a->ncols != b->ncols) {
        CHECK(quiet, "%s: %zu rows, alone %zu", what, a->nrows, b->nrows);
        return false;
    }
    bool same = true;
    for (size_t r = 0; r < a->nrows; r++)
        for (int c = 0; c < a->ncols; c++) {
            bool eq = strcmp(didq_qtable_cell(a, r, c), didq_qtable_cell(b, r, c)) == 0;
            CHECK(eq || quiet, "%s row %zu col %d: '%s', alone '%s'", what, r, c,
                  didq_qtable_cell(a, r, c), didq_qtable_cell(b, r, c));
            same = same && eq;
        }
    return same;
}

/* The anomalies of month m (DIDQ_ALLMONTHS: all) at site, as pane 9 shows
 * them in a scope: the analysis's rows of the site. */
static didq_qtable *anomalies(const didq_analysis *a, int32_t m, const char *site)
{
    didq_qtable *t = didq_query_anomalies_in(a, m);
    didq_qtable_keep_site(t, 1, site, NULL);
    return t;
}

/* The months to look at: each loaded (those of the whole session) and all. */
static size_t months_of(didq_session *s, int32_t *out)
{
    const int32_t *ml;
    size_t n = didq_analysis_month_list(didq_session_analysis(s), &ml);
    for (size_t i = 0; i < n; i++)
        out[i] = ml[i];
    out[n] = DIDQ_ALLMONTHS;
    return n + 1;
}

/* Every drill-down of the site's analysis selects its records in the
 * whole session. */
static void drills_true(didq_session *s, const didq_analysis *a, const char *what)
{
    for (size_t i = 0; i < didq_analysis_count(a); i++) {
        const didq_anomaly *an = didq_analysis_get(a, i);
        int64_t got = count_where(didq_session_db(s), an->where);
        CHECK(got == (int64_t)an->records, "%s: %s selects %lld, says %llu (%s)", what,
              didq_anomaly_kind_name(an->kind), (long long)got, (unsigned long long)an->records,
              an->where);
    }
}

/* The Months pane's rows of the site: with the site's analysis in the
 * whole session, and alone with its own. */
static void check_months_pane(didq_session *s, const didq_analysis *sa, didq_session *al,
                              const char *site, const char *what)
{
    didq_qtable *t = didq_query_site_months(s, sa);
    didq_qtable *ta = didq_query_site_months(al, didq_session_analysis(al));
    didq_qtable_keep_site(t, 0, site, NULL);
    char w[128];
    snprintf(w, sizeof w, "%s months pane", what);
    same_cells(t, ta, false, w);
    didq_qtable_free(t);
    didq_qtable_free(ta);
}

/* The site's analysis against its records alone and check --site; true if
 * the whole session's analysis cut to the site differs from alone. */
static bool check_site(didq_session *s, const month_csv *m, const char *site, const char *how)
{
    char what[128];
    didq_analysis *sa = didq_scope_analysis(s, site);
    didq_session *al = alone(m, site), *cut = site_check(m, site);
    const didq_analysis *aa = didq_session_analysis(al), *ac = didq_session_analysis(cut);
    int32_t months[8];
    size_t nm = months_of(s, months);
    bool differs = false;
    for (size_t k = 0; k < nm; k++) {
        char ym[16] = "all";
        if (months[k] != DIDQ_ALLMONTHS) didq_month_format(months[k], ym);
        snprintf(what, sizeof what, "%s %s %s anomalies", how, site, ym);
        didq_qtable *t = anomalies(sa, months[k], site), *ta = anomalies(aa, months[k], site),
                    *tc = anomalies(ac, months[k], site);
        same_cells(t, ta, false, what);
        strcat(what, " (check --site)");
        same_cells(t, tc, false, what);
        didq_qtable_free(t);
        /* before: the session's analysis cut to the site */
        t = anomalies(didq_session_analysis(s), months[k], site);
        differs = differs || !same_cells(t, ta, true, what);
        didq_qtable_free(t);
        didq_qtable_free(ta);
        didq_qtable_free(tc);
        snprintf(what, sizeof what, "%s %s %s timeliness", how, site, ym);
        t = didq_query_timeliness_in(sa, months[k]), ta = didq_query_timeliness_in(aa, months[k]);
        didq_qtable_keep_site(t, 0, site, "(all)");
        didq_qtable_keep_site(ta, 0, site, "(all)");
        same_cells(t, ta, false, what);
        didq_qtable_free(t);
        didq_qtable_free(ta);
    }
    didq_volumes v, va;
    didq_qtable *t = didq_query_volumes(sa, &v), *ta = didq_query_volumes(aa, &va);
    snprintf(what, sizeof what, "%s %s volumes", how, site);
    CHECK((t == NULL) == (ta == NULL), "%s: a table on one side only", what);
    if (t && ta) {
        didq_qtable_keep_site(t, 0, site, "(all)");
        didq_qtable_keep_site(ta, 0, site, "(all)");
        same_cells(t, ta, false, what);
    }
    didq_qtable_free(t);
    didq_qtable_free(ta);
    snprintf(what, sizeof what, "%s %s", how, site);
    check_months_pane(s, sa, al, site, what);
    drills_true(s, sa, what);
    didq_analysis_free(sa);
    didq_session_free(al);
    didq_session_free(cut);
    return differs;
}

/* The session's own record lists (anomaly_records) still give its
 * record-level anomalies' records after the sites' analyses. */
static void own_lists_kept(didq_session *s, const char *how)
{
    const didq_analysis *a = didq_session_analysis(s);
    size_t listed = 0;
    for (size_t i = 0; i < didq_analysis_count(a); i++) {
        const didq_anomaly *an = didq_analysis_get(a, i);
        if (!strstr(an->where, "anomaly_records")) continue;
        listed++;
        int64_t got = count_where(didq_session_db(s), an->where);
        CHECK(got == (int64_t)an->records, "%s: the session's %s at %s selects %lld, not %llu", how,
              didq_anomaly_kind_name(an->kind), an->site, (long long)got,
              (unsigned long long)an->records);
    }
    CHECK(listed > 5, "%s: %zu record-level anomalies", how, listed);
}

static void check_all(didq_session *s, const month_csv *m, const char *how)
{
    size_t n;
    didq_site_entry *e = didq_scope_site_list(s, NULL, &n);
    int sites = 0, differ = 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].label[0] == '(') continue;
        sites++;
        differ += check_site(s, m, e[i].label, how);
    }
    didq_site_list_free(e, n);
    CHECK(sites == 8, "%s: %d sites", how, sites);
    /* the premise: the whole session's analysis is not a site's alone */
    CHECK(differ >= 3, "%s: only %d sites differ cut from the whole session", how, differ);
    CHECK(didq_scope_analysis(s, "(blank)") == NULL, "%s: (blank) is not analysed", how);
    own_lists_kept(s, how);
}

/* A site gone from the last month: the session finds it fall by 100%;
 * its records alone have two months, and the scope too. */
static void check_gone(didq_session *s, const month_csv *m, const char *how)
{
    char what[64];
    snprintf(what, sizeof what, "%s gone", how);
    bool drop = false;
    const didq_analysis *a = didq_session_analysis(s);
    for (size_t i = 0; i < didq_analysis_count(a); i++) {
        const didq_anomaly *an = didq_analysis_get(a, i);
        drop = drop || (an->kind == DIDQ_AK_VOLUME_DROP && strcmp(an->site, "RR864") == 0);
    }
    CHECK(drop, "%s: the session has no volume-drop at RR864", what);
    CHECK(check_site(s, m, "RR864", what), "%s: the session cut to RR864 is its alone", what);
    didq_analysis *sa = didq_scope_analysis(s, "RR864");
    const int32_t *ml;
    CHECK(didq_analysis_month_list(sa, &ml) == 2, "%s: the site's months", what);
    didq_analysis_free(sa);
}

static void run(month_csv *m, bool gone, bool saved)
{
    const char *how = saved ? "saved" : "memory";
    didq_session *s = whole(m);
    char dir[] = "/tmp/didq-sitean-XXXXXX", path[64], err[256];
    if (saved) {
        s = save_reopen(s, dir, path, sizeof path, err, sizeof err);
        CHECK(s != NULL, "save and open saved: %s", err);
        if (!s) return;
    }
    if (gone)
        check_gone(s, m, how);
    else
        check_all(s, m, how);
    didq_session_free(s);
    if (saved) {
        unlink(path);
        rmdir(dir);
    }
}

int main(void)
{
    month_csv m[NMONTHS] = {{"jan.csv", NULL, 0}, {"feb.csv", NULL, 0}, {"mar.csv", NULL, 0}};
    m[0].csv =
        synth_month(1, 0.03, false, "activity-gap@RR801,setting-other-default@RWY01", &m[0].len);
    m[1].csv = synth_month(2, 0.05, false,
                           "report-turnaround-missing@RAE01,duplicate-suspected@RR813,"
                           "accession-reused@RAE05",
                           &m[1].len);
    m[2].csv =
        synth_month(3, 0.10, true, "volume-drop@RR864,referral-to-test-zero@RWY02", &m[2].len);
    run(m, false, false);
    run(m, false, true);
    /* RR864 gone from March */
    size_t n;
    char *mar = lines_of(m[2].csv, m[2].len, "RR864", false, &n);
    free(m[2].csv);
    m[2].csv = mar, m[2].len = n;
    run(m, true, false);
    run(m, true, true);
    for (int k = 0; k < NMONTHS; k++)
        free(m[k].csv);
    return test_done();
}
