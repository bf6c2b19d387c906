/* test_query_counts.c: the record counts the pane tables carry for their
 * drill-downs (didq_qtable_count), which the explorer's breadcrumb shows
 * instead of counting the records again: on synthetic months with defects
 * and anomalies, every known count is the number of records its condition
 * selects, in a loaded session and in the same session saved and opened
 * again (whose conditions differ). */
#include "didq/anomaly.h"
#include "didq/coverage.h"
#include "didq/dataset.h"
#include "didq/date.h"
#include "didq/query.h"
#include "didq/session.h"
#include "didq/store.h"
#include "didq/synth.h"
#include "didq/util.h"
#include "testdb.h"
#include "testlib.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A few records with the site absent (the first three) or only spaces
 * (the next three): two rows of the Overview and Source settings panes,
 * each drilling into its own records and carrying their count (which
 * check_table compares with what its condition selects).  Then two
 * records with the site code R&&&& and one with X, codes that break the
 * site rules (DIDS069): counted in the one "(invalid site)" row. */
static char *blank_sites(size_t *len)
{
    didq_synth_opts o = didq_synth_defaults();
    o.rows = 10, o.seed = 9, o.year = 2026, o.month = 10;
    size_t n;
    char *csv = didq_synth_mem(&o, &n);
    didq_buf b = {0};
    int line = 0;
    for (const char *p = csv; p < csv + n; line++) {
        const char *eol = memchr(p, '\n', (size_t)(csv + n - p));
        const char *end = eol ? eol + 1 : csv + n;
        int field = 0;
        const char *site = line < 3   ? ""
                           : line < 6 ? "   "
                           : line < 8 ? "R&&&&"
                           : line < 9 ? "X"
                                      : NULL;
        for (const char *q = p; q < end; q++) {
            if (field != DIDQ_SITE || !site || *q == ',') didq_buf_add(&b, q, 1);
            if (*q == ',' && ++field == DIDQ_SITE && site) didq_buf_puts(&b, site);
        }
        p = end;
    }
    free(csv);
    *len = b.n;
    return b.p;
}

/* Two synthetic months with defects (duplicates and short rows too) and
 * anomalies planted at known sites. */
static didq_session *load(void)
{
    static const char *inject[] = {"activity-gap@RR801,setting-other-default@RAE01",
                                   "report-turnaround-missing@RWY01,volume-drop@RR813"};
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    for (int i = 0; i < 2; i++) {
        didq_synth_opts o = didq_synth_defaults();
        o.rows = 3000;
        o.seed = 5 + (uint64_t)i;
        o.year = 2026, o.month = 9 + i;
        o.defect_rate = 0.2;
        o.defect_dups = 1;
        o.defect_columns = 1;
        o.inject = inject[i];
        size_t len;
        char *csv = didq_synth_mem(&o, &len);
        char name[32];
        snprintf(name, sizeof name, "m%d.csv", o.month);
        didq_session_load_mem(s, name, csv, len, NULL, NULL);
        free(csv);
    }
    size_t len;
    char *csv = blank_sites(&len);
    didq_session_load_mem(s, "blank.csv", csv, len, NULL, NULL);
    free(csv);
    didq_session_finish(s);
    return s;
}

/* Rows drilling (in column col) into a blank site (absent, or only
 * spaces), and how many of them carry a count in that column. */
static void blank_rows(const didq_qtable *t, int col, int *rows, int *counted)
{
    *rows = *counted = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *w = t->where[r * (size_t)t->ncols + (size_t)col];
        if (!w || (strcmp(w, "r.site IS NULL") && strcmp(w, "r.site = ''"))) continue;
        ++*rows;
        *counted += t->count[r * (size_t)t->ncols + (size_t)col] >= 0;
    }
}

/* The "(invalid site)" rows of t, drilling (in column col) into the
 * records whose site code breaks a site rule (in part for the rows of a
 * modality or months); no row of its own for R&&&& or X.  last: one such
 * row, the last, selecting all those records with their count. */
static void check_invalid(sqlite3 *db, const didq_qtable *t, int col, bool last, const char *what)
{
    int rows = 0, whole = 0;
    int64_t want = count_where(db, "(r.flags & 64) != 0");
    for (size_t r = 0; r < t->nrows; r++) {
        size_t k = r * (size_t)t->ncols + (size_t)col;
        const char *label = t->cells[r * (size_t)t->ncols], *w = t->where[k];
        CHECK(strcmp(label, "R&&&&") && strcmp(label, "X"), "%s: a row for %s", what, label);
        if (strcmp(label, "(invalid site)")) continue;
        rows++;
        CHECK(w && strstr(w, "flags & 64) != 0"), "%s: invalid row drills %s", what, w ? w : "-");
        if (!w || (strcmp(w, "(r.flags & 64) != 0") && strcmp(w, "(flags & 64) != 0"))) continue;
        whole++;
        CHECK(t->count[k] == want, "%s: invalid %lld, want %lld", what, (long long)t->count[k],
              (long long)want);
        CHECK(!last || r == t->nrows - 1, "%s: invalid row %zu of %zu", what, r, t->nrows);
    }
    CHECK(rows >= 1 && want >= 3, "%s: %d invalid rows, %lld records", what, rows, (long long)want);
    CHECK(!last || (rows == 1 && whole == 1), "%s: %d invalid rows, %d whole", what, rows, whole);
}

/* The Coverage rows: one for the invalid site codes, with all their
 * records; none of its own for R&&&& or X. */
static void check_coverage(sqlite3 *db, const didq_analysis *a, const char *what)
{
    const didq_site_coverage *rows;
    size_t n = didq_analysis_coverage(a, &rows);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK(strcmp(rows[i].site, "R&&&&") && strcmp(rows[i].site, "X"), "%s: coverage of %s",
              what, rows[i].site);
        if (strcmp(rows[i].site, "(invalid site)")) continue;
        found++;
        CHECK((int64_t)rows[i].records == count_where(db, "(r.flags & 64) != 0"),
              "%s: coverage of invalid sites %llu", what, (unsigned long long)rows[i].records);
    }
    CHECK(found == 1, "%s: %d coverage rows of invalid sites", what, found);
}

/* Checks every known count of t against its condition; returns how many
 * cells carry one. */
static size_t check_table(sqlite3 *db, const didq_qtable *t, const char *name)
{
    size_t known = 0;
    for (size_t r = 0; t && r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            size_t k = r * (size_t)t->ncols + (size_t)c;
            if (t->count[k] < 0) continue;
            known++;
            CHECK(t->where[k], "%s row %zu col %d: a count without a drill-down", name, r, c);
            if (!t->where[k]) continue;
            int64_t n = count_where(db, t->where[k]);
            CHECK(n == t->count[k], "%s row %zu col %d: %lld known, %lld selected by %s", name, r,
                  c, (long long)t->count[k], (long long)n, t->where[k]);
        }
    return known;
}

/* A table checked and freed; returns the cells with a count. */
static size_t check_free(sqlite3 *db, didq_qtable *t, const char *name)
{
    size_t n = check_table(db, t, name);
    didq_qtable_free(t);
    return n;
}

static void check_panes(didq_session *s, const char *what)
{
    sqlite3 *db = didq_session_db(s);
    didq_overview o;
    didq_query_overview(s, &o);
    /* every file: its records; a file with records dated outside its month: those too */
    CHECK(check_table(db, o.files_tab, "files") >= o.files_tab->nrows, "%s: files", what);
    CHECK(check_table(db, o.sites, "sites") > 0, "%s: sites", what);
    int rows, counted;
    blank_rows(o.sites, 0, &rows, &counted);
    CHECK(rows == 2 && counted == 2, "%s: blank sites %d, %d counted", what, rows, counted);
    check_invalid(db, o.sites, 0, true, "sites");
    CHECK(check_table(db, o.top_rules, "top rules") > 0, "%s: top rules", what);
    didq_overview_free(&o);
    didq_qtable *c = didq_query_completeness(s);
    CHECK(check_table(db, c, "completeness") >= 2 * c->nrows, "%s: completeness", what);
    didq_qtable_free(c);
    CHECK(check_free(db, didq_query_validation(s), "validation") > 0, "%s: validation", what);
    CHECK(check_free(db, didq_query_duplicates(s), "duplicates") > 0, "%s: duplicates", what);
    didq_qtable *st = didq_query_settings(s, NULL);
    CHECK(check_table(db, st, "settings") > 0, "%s: settings", what);
    blank_rows(st, 9, &rows, &counted);
    CHECK(rows == 2 && counted == 2, "%s: blank settings %d, %d counted", what, rows, counted);
    check_invalid(db, st, 9, true, "settings");
    didq_qtable_free(st);

    didq_analysis_opts ao = didq_analysis_defaults();
    ao.records = didq_session_recstore(s);
    didq_analysis *a = didq_analysis_run(db, &ao);
    didq_qtable *tl = didq_query_timeliness(a);
    CHECK(check_table(db, tl, "timeliness") > 0, "%s: timeliness", what);
    check_invalid(db, tl, 2, false, "timeliness");
    didq_qtable_free(tl);
    check_coverage(db, a, what);
    CHECK(check_free(db, didq_query_anomalies(a), "anomalies") > 0, "%s: anomalies", what);
    didq_volumes v;
    didq_qtable *vt = didq_query_volumes(a, &v);
    CHECK(check_table(db, vt, "volumes") > 0, "%s: volumes", what);
    check_invalid(db, vt, 0, false, "volumes");
    didq_qtable_free(vt);
    didq_analysis_free(a);
}

/* The list of every record counts from the session in memory, the same
 * as SQL; a preset count is kept by a copy, and a filter drops it. */
static void check_list(didq_session *s)
{
    didq_list *l = didq_list_new(s, NULL);
    CHECK(didq_list_count(l) == (uint64_t)count_where(didq_session_db(s), "1"), "all records");
    didq_list_free(l);
    l = didq_list_new(s, "r.file = 1");
    didq_list_set_count(l, 7);
    CHECK(didq_list_count(l) == 7, "preset count");
    didq_list *d = didq_list_dup(l);
    CHECK(didq_list_count(d) == 7, "copy keeps the count");
    didq_list_filter(d, DIDQ_SITE, "RR801");
    uint64_t want = (uint64_t)count_where(didq_session_db(s), "r.file = 1 AND r.site = 'RR801'");
    CHECK(didq_list_count(d) == want, "filtered: %llu", (unsigned long long)want);
    didq_list_free(d);
    didq_list_free(l);
}

int main(void)
{
    didq_session *s = load();
    check_panes(s, "loaded");
    check_list(s);
    char dir[] = "/tmp/didq-counts-XXXXXX", path[64], err[256];
    s = save_reopen(s, dir, path, sizeof path, err, sizeof err);
    CHECK(s != NULL, "save and open saved: %s", err);
    if (s) {
        check_panes(s, "saved");
        check_list(s);
        didq_session_free(s);
    }
    unlink(path);
    rmdir(dir);
    return test_done();
}
