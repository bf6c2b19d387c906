/* test_site_scope.c: a site scope (query.h, didq_scope_site) gives the
 * panes of a file holding only that site's records, loaded alone:
 * Overview, Completeness, Validation, Duplicates, Source settings, the
 * list of every record, the Months pane's rows and the analysis panes'
 * site rows (Timeliness, Anomalies: of the site's analysis,
 * didq_scope_analysis), cell by cell; each drill-down's
 * count is what its condition selects in the whole session.  The session
 * holds two months (September, then October with an injected anomaly at
 * the site), and the scope is October AND the site; then the site over
 * every record of a one-month session, and the "(blank)" and "(invalid
 * site)" groups.  October has rows of 17 and 19 fields (DIDS075, a
 * file-level finding) at the site, at another site and in "(blank)":
 * Validation's DIDS075 row counts the scope's records at those lines,
 * and names the first of them (the line it has in the file).  Synthetic
 * data only; in memory and saved. */
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/month.h"
#include "didq/query.h"
#include "didq/session.h"
#include "didq/store.h"
#include "didq/synth.h"
#include "didq/util.h"
#include "testdb.h"
#include "testlib.h"
#include "testcsv.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SITE "RR813"
#define OCT (2026 * 12 + 9)

static char *month_csv(int month, uint64_t seed, size_t rows, size_t *len)
{
    didq_synth_opts o = didq_synth_defaults();
    o.rows = rows;
    o.seed = seed;
    o.year = 2026, o.month = month;
    o.defect_rate = 0.2;
    o.defect_dups = 1;
    if (month == 10) o.inject = "referral-to-test-zero@" SITE ",setting-other-default@RAE01";
    return didq_synth_mem(&o, len);
}

/* Lines listed (ascending) in a line set. */
typedef struct lineset {
    int64_t *v;
    size_t n;
} lineset;

static void lineset_add(lineset *s, int64_t line)
{
    s->v = didq_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
    s->v[s->n++] = line;
}

/* The lines of csv (1-based line numbers) kept by keep(line number, the
 * line), as a new CSV; kept (if not NULL) gets their line numbers in csv,
 * line k of the new CSV being kept->v[k - 1]. */
typedef bool (*keep_fn)(int64_t lineno, const char *line, size_t n, void *arg);
static char *filter_csv(const char *csv, size_t len, keep_fn keep, void *arg, size_t *out_len,
                        lineset *kept)
{
    didq_buf b = {0};
    didq_buf_puts(&b, "");
    int64_t lineno = 1;
    for (size_t i = 0; i < len; lineno++) {
        const char *nl = memchr(csv + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (csv + i)) : len - i;
        if (keep(lineno, csv + i, n, arg)) {
            didq_buf_printf(&b, "%.*s\n", (int)n, csv + i);
            if (kept) lineset_add(kept, lineno);
        }
        i += n + 1;
    }
    *out_len = b.n;
    return b.p;
}

/* The csv with rows of the wrong number of fields (DIDS075), the site
 * field kept in its place: the first two of SITE's rows after line 100,
 * the first of them cut to 17 fields (its accession number dropped), the
 * second given a 19th; the first row of RAE01 cut to 17, the first with
 * a blank site given a 19th.  Each in place of the row it was. */
static char *odd_rows(const char *csv, size_t len, size_t *out_len)
{
    didq_buf b = {0};
    didq_buf_puts(&b, "");
    int site_rows = 0;
    bool other = false, blank = false;
    int64_t lineno = 1;
    for (size_t i = 0; i < len; lineno++) {
        const char *line = csv + i, *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i;
        char site[64];
        testcsv_field(line, n, DIDQ_SITE, site, sizeof site);
        int how = 0; /* -1: cut the last field, 1: add one */
        if (lineno > 100 && strcmp(site, SITE) == 0 && site_rows < 2)
            how = site_rows++ ? 1 : -1;
        else if (!other && strcmp(site, "RAE01") == 0)
            how = -1, other = true;
        else if (!blank && !site[0])
            how = 1, blank = true;
        size_t keep = n;
        if (how < 0)
            while (keep && line[keep - 1] != ',')
                keep--;
        didq_buf_printf(&b, "%.*s%s\n", (int)(how < 0 ? keep - 1 : n), line,
                        how > 0 ? ",EXTRA" : "");
        i += n + 1;
    }
    CHECK(site_rows == 2 && other && blank, "odd rows: %d of the site's", site_rows);
    *out_len = b.n;
    return b.p;
}

/* A file-level finding's message of a session of the site alone names a
 * line of its file: the line that was in the whole file (kept). */
static void lines_as_kept(didq_qtable *t, const lineset *kept)
{
    for (size_t r = 0; r < t->nrows; r++) {
        const char *cell = didq_qtable_cell(t, r, 4), *at = strstr(cell, " line ");
        if (strncmp(cell, "oct.csv line ", 13) != 0 || !at) continue;
        char *end;
        long long k = strtoll(at + 6, &end, 10);
        CHECK(k >= 1 && (size_t)k <= kept->n, "alone: line %lld of %zu", k, kept->n);
        if (k < 1 || (size_t)k > kept->n) continue;
        char *rest = didq_strdup(end);
        didq_qtable_set(t, r, 4, "oct.csv line %lld%s", (long long)kept->v[k - 1], rest);
        free(rest);
    }
}

static bool keep_site(int64_t lineno, const char *line, size_t n, void *arg)
{
    (void)lineno;
    char site[64];
    testcsv_field(line, n, DIDQ_SITE, site, sizeof site);
    return strcmp(site, (const char *)arg) == 0;
}

static bool keep_lines(int64_t lineno, const char *line, size_t n, void *arg)
{
    (void)line, (void)n;
    const lineset *s = arg;
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == lineno) return true;
    return false;
}

static didq_session *session(void)
{
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    CHECK(s != NULL, "session: %s", err);
    return s;
}

static void load(didq_session *s, const char *name, const char *csv, size_t len)
{
    didq_session_load_mem(s, name, csv, len, NULL, NULL);
}

/* Cells equal, the columns in skip (bit per column) aside. */
static void same_table(const didq_qtable *a, const didq_qtable *b, unsigned skip, const char *what)
{
    CHECK(a->nrows == b->nrows && a->ncols == b->ncols, "%s: %zu rows, alone %zu", what, a->nrows,
          b->nrows);
    if (a->nrows != b->nrows || a->ncols != b->ncols) return;
    for (size_t r = 0; r < a->nrows; r++)
        for (int c = 0; c < a->ncols; c++)
            if (!(skip & (1u << c)))
                CHECK(strcmp(didq_qtable_cell(a, r, c), didq_qtable_cell(b, r, c)) == 0,
                      "%s row %zu col %d: '%s', alone '%s'", what, r, c, didq_qtable_cell(a, r, c),
                      didq_qtable_cell(b, r, c));
}

/* Every known drill-down count is what its condition selects. */
static void counts_true(sqlite3 *db, const didq_qtable *t, const char *what)
{
    for (size_t k = 0; k < t->nrows * (size_t)t->ncols; k++) {
        if (!t->where[k] || t->count[k] < 0) continue;
        int64_t got = count_where(db, t->where[k]);
        CHECK(got == t->count[k], "%s: cell %zu says %lld, selects %lld (%s)", what, k,
              (long long)t->count[k], (long long)got, t->where[k]);
    }
}

static void check_overview(didq_session *s, didq_scope *sc, didq_session *alone, const char *what)
{
    char w[128];
    didq_overview o, oa;
    didq_query_overview_in(s, sc, &o);
    didq_query_overview(alone, &oa);
    snprintf(w, sizeof w, "%s overview", what);
    CHECK(o.records == oa.records && o.err_records == oa.err_records &&
              o.warn_records == oa.warn_records && o.files == oa.files,
          "%s: %llu records %llu err %d files, alone %llu %llu %d", w,
          (unsigned long long)o.records, (unsigned long long)o.err_records, o.files,
          (unsigned long long)oa.records, (unsigned long long)oa.err_records, oa.files);
    CHECK(strcmp(o.months, oa.months) == 0 && o.outside_month == oa.outside_month &&
              o.no_test_date == oa.no_test_date && o.first_test == oa.first_test &&
              o.last_test == oa.last_test,
          "%s: months %s outside %llu undated %llu, alone %s %llu %llu", w, o.months,
          (unsigned long long)o.outside_month, (unsigned long long)o.no_test_date, oa.months,
          (unsigned long long)oa.outside_month, (unsigned long long)oa.no_test_date);
    CHECK(o.mandatory_filled == oa.mandatory_filled && o.items_below == oa.items_below &&
              o.nworst == oa.nworst,
          "%s: mandatory %.3f, alone %.3f", w, o.mandatory_filled, oa.mandatory_filled);
    same_table(o.sites, oa.sites, 0, w);
    same_table(o.top_rules, oa.top_rules, 0, w);
    /* the verdict and its reason are the whole file's */
    same_table(o.files_tab, oa.files_tab, 1u << 7 | 1u << 8, w);
    counts_true(didq_session_db(s), o.sites, w);
    counts_true(didq_session_db(s), o.top_rules, w);
    counts_true(didq_session_db(s), o.files_tab, w);
    didq_overview_free(&o);
    didq_overview_free(&oa);
}

/* The records of Validation's DIDS075 row (0: no such row). */
static long long dids075_records(const didq_qtable *t)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (strcmp(didq_qtable_cell(t, r, 0), "DIDS075") == 0)
            return strtoll(didq_qtable_cell(t, r, 2), NULL, 10);
    return 0;
}

/* kept: the lines of the whole file that the session alone holds; odd:
 * the records expected at rows of the wrong number of fields. */
static void check_panes(didq_session *s, didq_scope *sc, didq_session *alone, const lineset *kept,
                        long long odd, const char *what)
{
    check_overview(s, sc, alone, what);
    char w[128];
    struct {
        const char *name;
        didq_qtable *in, *alone;
        unsigned skip;
    } t[] = {
        {"completeness", didq_query_completeness_in(s, sc), didq_query_completeness(alone), 0},
        {"validation", didq_query_validation_in(s, sc), didq_query_validation(alone), 0},
        /* the File column is the file's number in its session */
        {"duplicates", didq_query_duplicates_in(s, sc), didq_query_duplicates(alone), 1u << 3},
        {"settings", didq_query_settings_in(s, sc, NULL), didq_query_settings(alone, NULL), 0},
    };
    lines_as_kept(t[1].alone, kept);
    CHECK(dids075_records(t[1].in) == odd, "%s validation: DIDS075 at %lld records, expected %lld",
          what, dids075_records(t[1].in), odd);
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        snprintf(w, sizeof w, "%s %s", what, t[i].name);
        /* a group has no duplicates: they need a site */
        CHECK(t[i].in->nrows > 0 || didq_scope_site_of(sc)[0] == '(', "%s: empty", w);
        same_table(t[i].in, t[i].alone, t[i].skip, w);
        counts_true(didq_session_db(s), t[i].in, w);
        didq_qtable_free(t[i].in);
        didq_qtable_free(t[i].alone);
    }
    uint64_t n = didq_session_records(alone);
    didq_list *l = didq_list_new(s, didq_scope_where(sc));
    CHECK(n > 0 && didq_list_count(l) == n && didq_scope_records(s, sc) == n,
          "%s: list %llu, scope %llu, alone %llu", what, (unsigned long long)didq_list_count(l),
          (unsigned long long)didq_scope_records(s, sc), (unsigned long long)n);
    /* every row of the list, sorted by an item, is the site's */
    didq_list_sort(l, DIDQ_NHS_NUMBER, true);
    didq_row rows[64];
    int got = didq_list_fetch(l, NULL, false, false, rows, 64);
    const char *site = didq_scope_site_of(sc);
    for (int i = 0; i < got; i++) {
        if (site[0] != '(')
            CHECK(strcmp(rows[i].f[DIDQ_SITE], site) == 0, "%s: sorted list row of site '%s'", what,
                  rows[i].f[DIDQ_SITE]);
        didq_row_clear(&rows[i]);
    }
    CHECK(got == (int)(n < 64 ? n : 64), "%s: sorted list %d rows", what, got);
    didq_list_free(l);
}

/* The Months pane's rows of the site in month m are those of the file
 * alone (anomalies aside: NULL analysis). */
static void check_months_pane(didq_session *s, didq_session *alone, const char *site,
                              const char *what)
{
    didq_qtable *b = didq_query_site_months(s, NULL), *a = didq_query_site_months(alone, NULL);
    didq_qtable_keep_site(b, 0, site, NULL);
    for (size_t r = 0; r < b->nrows; r++)
        CHECK(strcmp(didq_qtable_cell(b, r, 0), site) == 0, "%s: months row of another site", what);
    didq_qtable *part = didq_qtable_new(b->ncols, b->head, b->align);
    for (size_t r = 0; r < b->nrows; r++) {
        if (strcmp(didq_qtable_cell(b, r, 1), "2026-10")) continue;
        size_t k = didq_qtable_row(part);
        for (int c = 0; c < b->ncols; c++) {
            char x[256];
            snprintf(x, sizeof x, "%s", didq_qtable_cell(b, r, c));
            char *p = strchr(x, '*'); /* a change from September, which alone has not */
            if (p) *p = 0;
            didq_qtable_set(part, k, c, "%s", x);
        }
    }
    char w[128];
    snprintf(w, sizeof w, "%s months pane", what);
    same_table(part, a, 0, w);
    counts_true(didq_session_db(s), b, w);
    didq_qtable_free(part);
    didq_qtable_free(a);
    didq_qtable_free(b);
}

/* Timeliness and Anomalies of the month, the site's rows of the site's
 * analysis (didq_scope_analysis, what the explorer's panes read), against
 * the site alone (its every-site row is the site's). */
static void check_analysis(didq_session *s, int32_t month, didq_session *alone, const char *what)
{
    didq_analysis *a = didq_scope_analysis(s, SITE);
    const didq_analysis *aa = didq_session_analysis(alone);
    char w[128];
    didq_qtable *t = didq_query_timeliness_in(a, month), *ta = didq_query_timeliness(aa);
    didq_qtable_keep_site(t, 0, SITE, "(all)");
    snprintf(w, sizeof w, "%s timeliness", what);
    CHECK(t->nrows > 2, "%s: %zu rows", w, t->nrows);
    same_table(t, ta, 0, w);
    didq_qtable_free(t);
    didq_qtable_free(ta);
    t = didq_query_anomalies_in(a, month), ta = didq_query_anomalies(aa);
    didq_qtable_keep_site(t, 1, SITE, NULL);
    snprintf(w, sizeof w, "%s anomalies", what);
    bool planted = false;
    for (size_t r = 0; r < t->nrows; r++)
        planted = planted || strcmp(didq_qtable_cell(t, r, 2), "referral-to-test-zero") == 0;
    CHECK(planted, "%s: the planted anomaly is not among the site's", w);
    same_table(t, ta, 0, w);
    didq_qtable_free(t);
    didq_qtable_free(ta);
    didq_analysis_free(a);
}

typedef struct world {
    char *sep, *oct;
    size_t nsep, noct;
} world;

static void check_all(didq_session *both, didq_session *one, const world *wd, bool saved)
{
    const char *how = saved ? "saved" : "memory";
    char what[64];
    size_t n;
    lineset kept = {0};
    char *site_csv = filter_csv(wd->oct, wd->noct, keep_site, SITE, &n, &kept);
    didq_session *alone = session();
    load(alone, "oct.csv", site_csv, n);
    didq_session_finish_analysed(alone);
    free(site_csv);

    /* October AND the site, in a session of two months */
    didq_scope *m = didq_scope_month(both, OCT), *sc = didq_scope_site(both, m, SITE);
    CHECK(strcmp(didq_scope_site_of(sc), SITE) == 0 && didq_scope_month_of(sc) == OCT &&
              !didq_scope_has_file(sc, 1) && didq_scope_has_file(sc, 2),
          "%s: the scope's site, month and files", how);
    snprintf(what, sizeof what, "%s October " SITE, how);
    check_panes(both, sc, alone, &kept, 2, what);
    check_months_pane(both, alone, SITE, what);
    check_analysis(both, OCT, alone, what);
    didq_scope_free(sc);

    /* the site over every record of a one-month session */
    sc = didq_scope_site(one, NULL, SITE);
    snprintf(what, sizeof what, "%s all " SITE, how);
    CHECK(didq_scope_month_of(sc) == DIDQ_ALLMONTHS, "%s: month", what);
    check_panes(one, sc, alone, &kept, 2, what);
    check_analysis(one, DIDQ_ALLMONTHS, alone, what);
    didq_scope_free(sc);
    didq_session_free(alone);
    free(kept.v);

    /* the two groups: their lines found with SQL of their own */
    static const char *groups[] = {"(blank)", "(invalid site)"};
    static const char *conds[] = {"trim(coalesce(r.site, '')) = ''", "r.flags & 64"};
    for (int g = 0; g < 2; g++) {
        lineset ls = {0};
        char *sql = sqlite3_mprintf("SELECT r.line FROM records r WHERE r.file = 2 AND %s"
                                    " ORDER BY 1",
                                    conds[g]);
        sqlite3_stmt *q = didq_prepare(didq_session_db(both), sql);
        sqlite3_free(sql);
        while (sqlite3_step(q) == SQLITE_ROW)
            lineset_add(&ls, sqlite3_column_int64(q, 0));
        sqlite3_finalize(q);
        snprintf(what, sizeof what, "%s October %s", how, groups[g]);
        CHECK(ls.n > 0, "%s: no such records in the test data", what);
        char *csv = filter_csv(wd->oct, wd->noct, keep_lines, &ls, &n, NULL);
        alone = session();
        load(alone, "oct.csv", csv, n);
        didq_session_finish_analysed(alone);
        free(csv);
        sc = didq_scope_site(both, m, groups[g]);
        check_panes(both, sc, alone, &ls, g == 0, what);
        free(ls.v);
        if (g == 1) { /* the analyses key every invalid code as one site: its rows */
            didq_analysis *ga = didq_scope_analysis(both, groups[g]);
            didq_qtable *t = didq_query_timeliness_in(ga, OCT);
            didq_qtable *ta = didq_query_timeliness(didq_session_analysis(alone));
            didq_qtable_keep_site(t, 0, groups[g], "(all)");
            CHECK(t->nrows > 1, "%s timeliness: %zu rows", what, t->nrows);
            same_table(t, ta, 0, what);
            didq_qtable_free(t);
            didq_qtable_free(ta);
            didq_analysis_free(ga);
        } else { /* the analyses leave out records without a site code */
            CHECK(didq_scope_analysis(both, groups[g]) == NULL, "%s: analysed", what);
        }
        didq_scope_free(sc);
        didq_session_free(alone);
    }
    didq_scope_free(m);

    /* the site list: every group once, its records those of its scope */
    didq_scope *mo = didq_scope_month(both, OCT);
    didq_site_entry *e = didq_scope_site_list(both, mo, &n);
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        didq_scope *x = didq_scope_site(both, mo, e[i].label);
        CHECK(didq_scope_records(both, x) == e[i].records, "%s list %s: %llu, scope %llu", how,
              e[i].label, (unsigned long long)e[i].records,
              (unsigned long long)didq_scope_records(both, x));
        sum += e[i].records;
        didq_scope_free(x);
    }
    CHECK(n > 8 && sum == didq_scope_records(both, mo) &&
              strcmp(e[n - 1].label, "(invalid site)") == 0,
          "%s list: %zu sites, %llu records", how, n, (unsigned long long)sum);
    didq_site_list_free(e, n);
    didq_scope_free(mo);
}

int main(void)
{
    world wd;
    wd.sep = month_csv(9, 31, 1500, &wd.nsep);
    size_t n;
    char *oct = month_csv(10, 32, 3000, &n);
    wd.oct = odd_rows(oct, n, &wd.noct);
    free(oct);
    didq_session *both = session(), *one = session();
    load(both, "sep.csv", wd.sep, wd.nsep);
    load(both, "oct.csv", wd.oct, wd.noct);
    didq_session_finish_analysed(both);
    load(one, "oct.csv", wd.oct, wd.noct);
    didq_session_finish_analysed(one);
    check_all(both, one, &wd, false);

    char dir[] = "/tmp/didq-sscope-XXXXXX", path[64], err[256];
    char dir1[] = "/tmp/didq-sscope-XXXXXX", path1[64];
    both = save_reopen(both, dir, path, sizeof path, err, sizeof err);
    CHECK(both != NULL, "save and open saved: %s", err);
    one = save_reopen(one, dir1, path1, sizeof path1, err, sizeof err);
    CHECK(one != NULL, "save and open saved: %s", err);
    if (both && one) check_all(both, one, &wd, true);
    if (both) didq_session_free(both);
    if (one) didq_session_free(one);
    unlink(path);
    rmdir(dir);
    unlink(path1);
    rmdir(dir1);
    free(wd.sep);
    free(wd.oct);
    return test_done();
}
