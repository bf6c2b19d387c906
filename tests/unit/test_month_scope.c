/* test_month_scope.c: a reporting month's scope (query.h, didq_scope) in
 * a session of two months gives the panes of that month's files loaded
 * alone: Overview, Completeness, Validation, Duplicates, Source settings
 * and the list of every record, cell by cell; each drill-down's count is
 * what its condition selects in the two-month session; the Months pane's
 * figures of a month are those of the month alone.  September is two files
 * loaded around October's (so its records are two id ranges), with
 * defects (duplicates, short rows); in memory and saved. */
#include "didq/date.h"
#include "didq/month.h"
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

/* Files: 0 September a, 1 October, 2 September b. */
static void load_file(didq_session *s, int f)
{
    static const int month[] = {9, 10, 9}, rows[] = {2000, 2500, 700};
    didq_synth_opts o = didq_synth_defaults();
    o.rows = (size_t)rows[f];
    o.seed = 40 + (uint64_t)f;
    o.year = 2026, o.month = month[f];
    o.defect_rate = 0.2;
    o.defect_dups = 1;
    o.defect_columns = 1;
    if (f == 1) o.inject = "setting-other-default@RAE01,referral-to-test-zero@RR813";
    size_t len;
    char *csv = didq_synth_mem(&o, &len);
    char name[32];
    snprintf(name, sizeof name, "f%d.csv", f);
    didq_session_load_mem(s, name, csv, len, NULL, NULL);
    free(csv);
}

/* The files of mask (bit per file) in one session. */
static didq_session *load(unsigned mask)
{
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    for (int f = 0; f < 3; f++)
        if (mask & (1u << f)) load_file(s, f);
    didq_session_finish(s);
    return s;
}

/* Cells equal, column skip aside (-1: none); "*" ends ignored when strip. */
static void same_table(const didq_qtable *a, const didq_qtable *b, int skip, bool strip,
                       const char *what)
{
    CHECK(a->nrows == b->nrows && a->ncols == b->ncols, "%s: %zu rows, alone %zu", what, a->nrows,
          b->nrows);
    if (a->nrows != b->nrows || a->ncols != b->ncols) return;
    for (size_t r = 0; r < a->nrows; r++)
        for (int c = 0; c < a->ncols; c++) {
            if (c == skip) continue;
            char x[256], y[256];
            snprintf(x, sizeof x, "%s", didq_qtable_cell(a, r, c));
            snprintf(y, sizeof y, "%s", didq_qtable_cell(b, r, c));
            if (strip) {
                char *p = strchr(x, '*');
                if (p) *p = 0;
            }
            CHECK(strcmp(x, y) == 0, "%s row %zu col %d: '%s', alone '%s'", what, r, c, x, y);
        }
}

/* Every known drill-down count is what its condition selects. */
static void counts_true(sqlite3 *db, const didq_qtable *t, const char *what)
{
    size_t n = 0;
    for (size_t k = 0; k < t->nrows * (size_t)t->ncols; k++) {
        if (!t->where[k] || t->count[k] < 0) continue;
        int64_t got = count_where(db, t->where[k]);
        CHECK(got == t->count[k], "%s: cell %zu says %lld, selects %lld (%s)", what, k,
              (long long)t->count[k], (long long)got, t->where[k]);
        n++;
    }
    CHECK(n > 0 || t->nrows == 0, "%s: no counted cell", what);
}

/* The list pages through exactly n records, forward and backward, ids
 * in order (a month of files loaded apart is `r.file IN (...)`, which the
 * records table takes whole and walks in id order). */
static void walk(didq_list *l, uint64_t n, const char *what)
{
    for (int back = 0; back < 2; back++) {
        didq_row rows[2][97], *page = rows[0], *prev = NULL;
        uint64_t seen = 0;
        int64_t last = back ? INT64_MAX : 0;
        bool ordered = true;
        for (int got, k = 0; (got = didq_list_fetch(l, prev ? &prev[back ? 0 : 96] : NULL, false,
                                                    back, page, 97)) > 0;
             k ^= 1) {
            seen += (uint64_t)got;
            for (int i = back ? got - 1 : 0; back ? i >= 0 : i < got; i += back ? -1 : 1) {
                ordered = ordered && (back ? page[i].id < last : page[i].id > last);
                last = page[i].id;
            }
            if (prev)
                for (int i = 0; i < 97; i++)
                    didq_row_clear(&prev[i]);
            if (got < 97) {
                for (int i = 0; i < got; i++)
                    didq_row_clear(&page[i]);
                prev = NULL;
                break;
            }
            prev = page;
            page = rows[k ^ 1];
        }
        if (prev)
            for (int i = 0; i < 97; i++)
                didq_row_clear(&prev[i]);
        CHECK(seen == n && ordered, "%s: %s walk %llu records (want %llu), in order %d", what,
              back ? "backward" : "forward", (unsigned long long)seen, (unsigned long long)n,
              ordered);
    }
}

static void check_both(didq_session *both, didq_session *alone, int32_t month, const char *what)
{
    sqlite3 *db = didq_session_db(both);
    didq_scope *sc = didq_scope_month(both, month);
    char w[128];
    didq_overview o, oa;
    didq_query_overview_in(both, sc, &o);
    didq_query_overview(alone, &oa);
    snprintf(w, sizeof w, "%s overview", what);
    CHECK(o.records == oa.records && o.err_records == oa.err_records &&
              o.warn_records == oa.warn_records && o.files == oa.files &&
              o.files_rejected == oa.files_rejected,
          "%s: %llu records, alone %llu", w, (unsigned long long)o.records,
          (unsigned long long)oa.records);
    CHECK(strcmp(o.months, oa.months) == 0 && o.outside_month == oa.outside_month &&
              o.no_test_date == oa.no_test_date && o.first_test == oa.first_test &&
              o.last_test == oa.last_test,
          "%s: months %s, alone %s", w, o.months, oa.months);
    CHECK(o.mandatory_filled == oa.mandatory_filled && o.items_below == oa.items_below &&
              o.nworst == oa.nworst,
          "%s: mandatory %.3f, alone %.3f", w, o.mandatory_filled, oa.mandatory_filled);
    same_table(o.sites, oa.sites, -1, false, w);
    same_table(o.top_rules, oa.top_rules, -1, false, w);
    same_table(o.files_tab, oa.files_tab, -1, false, w);
    counts_true(db, o.sites, w);
    counts_true(db, o.top_rules, w);
    didq_overview_free(&o);
    didq_overview_free(&oa);

    struct {
        const char *name;
        didq_qtable *in, *alone;
        int skip;
    } t[] = {
        {"completeness", didq_query_completeness_in(both, sc), didq_query_completeness(alone), -1},
        {"validation", didq_query_validation_in(both, sc), didq_query_validation(alone), -1},
        /* the File column is the file's number in its session */
        {"duplicates", didq_query_duplicates_in(both, sc), didq_query_duplicates(alone), 3},
        {"settings", didq_query_settings_in(both, sc, NULL), didq_query_settings(alone, NULL), -1},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        snprintf(w, sizeof w, "%s %s", what, t[i].name);
        CHECK(t[i].in->nrows > 0, "%s: empty", w);
        same_table(t[i].in, t[i].alone, t[i].skip, false, w);
        counts_true(db, t[i].in, w);
        didq_qtable_free(t[i].in);
        didq_qtable_free(t[i].alone);
    }

    didq_list *l = didq_list_new(both, didq_scope_where(sc));
    walk(l, didq_session_records(alone), what);
    CHECK(didq_list_count(l) == didq_session_records(alone) &&
              didq_scope_records(both, sc) == didq_session_records(alone),
          "%s: list %llu, alone %llu", what, (unsigned long long)didq_list_count(l),
          (unsigned long long)didq_session_records(alone));
    didq_list_free(l);
    didq_scope_free(sc);
}

/* The Months pane's rows of month in both (figures, marks stripped) are
 * the rows of the month alone, anomalies aside (counted by each
 * session's own analyses). */
static void check_months_pane(didq_session *both, didq_session *alone, int32_t month,
                              const char *what)
{
    didq_qtable *b = didq_query_site_months(both, NULL), *a = didq_query_site_months(alone, NULL);
    char ym[8];
    didq_month_format(month, ym);
    didq_qtable *part = didq_qtable_new(b->ncols, b->head, b->align);
    for (size_t r = 0; r < b->nrows; r++) {
        if (strcmp(didq_qtable_cell(b, r, 1), ym)) continue;
        size_t k = didq_qtable_row(part);
        for (int c = 0; c < b->ncols; c++)
            didq_qtable_set(part, k, c, "%s", didq_qtable_cell(b, r, c));
    }
    char w[64];
    snprintf(w, sizeof w, "%s months pane %s", what, ym);
    CHECK(part->nrows > 0, "%s: no row", w);
    same_table(part, a, -1, true, w);
    counts_true(didq_session_db(both), b, w);
    didq_qtable_free(part);
    didq_qtable_free(a);
    didq_qtable_free(b);
}

static void check_all(didq_session *both, didq_session *sep, didq_session *oct, const char *what)
{
    int32_t *months;
    int n = didq_query_months(both, &months);
    CHECK(n == 2 && months[0] == 2026 * 12 + 8 && months[1] == 2026 * 12 + 9, "%s: %d months", what,
          n);
    free(months);
    check_both(both, sep, 2026 * 12 + 8, what);
    check_both(both, oct, 2026 * 12 + 9, what);
    check_months_pane(both, sep, 2026 * 12 + 8, what);
    check_months_pane(both, oct, 2026 * 12 + 9, what);
}

int main(void)
{
    didq_session *both = load(7), *sep = load(5), *oct = load(2);
    check_all(both, sep, oct, "memory");
    /* Figures that change a lot from September to October are marked. */
    didq_qtable *m = didq_query_site_months(both, NULL);
    bool marked = false;
    for (size_t r = 0; r < m->nrows; r++)
        if (!strcmp(didq_qtable_cell(m, r, 0), "RAE01") && strchr(didq_qtable_cell(m, r, 5), '*'))
            marked = true;
    CHECK(marked, "RAE01's 07 share (setting-other-default in October) is not marked");
    didq_qtable_free(m);
    CHECK(didq_sm_changed(DIDQ_SM_VOLUME, 10, 13) && !didq_sm_changed(DIDQ_SM_VOLUME, 10, 12.9),
          "volume rule");
    CHECK(didq_sm_changed(DIDQ_SM_S07, 5, 15) && !didq_sm_changed(DIDQ_SM_S07, 5, 14.9),
          "share rule");
    CHECK(didq_sm_changed(DIDQ_SM_REQ_TEST, 4, 6) && !didq_sm_changed(DIDQ_SM_REQ_TEST, 4, 5),
          "median rule");

    char dir[] = "/tmp/didq-mscope-XXXXXX", path[64], err[256];
    both = save_reopen(both, dir, path, sizeof path, err, sizeof err);
    CHECK(both != NULL, "save and open saved: %s", err);
    if (both) {
        check_all(both, sep, oct, "saved");
        didq_session_free(both);
    }
    unlink(path);
    rmdir(dir);
    didq_session_free(sep);
    didq_session_free(oct);
    return test_done();
}
