/* query_panes.c: the aggregates behind the Overview, Validation and Source
 * settings panes (Completeness and Duplicates: query_items.c), each one
 * query over the finished store, computed once when a pane opens. */
#include "didq/query.h"
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/ident.h"
#include "didq/month.h"
#include "query_scope.h"
#include "query_sites.h"
#include "recstore_sites.h"
#include "didq/record.h"
#include "didq/rules.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

/* The test date's day number column in the records table. */
#define TEST_DAY DIDQ_COL_D(DIDQ_TEST_DATE)

static const char *txt(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? (const char *)t : "";
}

static double pct(uint64_t n, uint64_t of)
{
    return of ? 100.0 * (double)n / (double)of : 0.0;
}

static uint64_t total_records(sqlite3 *db);

/* Records in the scope (sc NULL: every record, from the files table). */
static uint64_t scope_records(sqlite3 *db, didq_scope *sc)
{
    return sc ? didq_scope_counts_of(sc)->records : total_records(db);
}

/* Sets a cell's drill-down to cond within the scope. */
static void drill_in(didq_qtable *t, size_t r, int c, const char *label, didq_scope *sc,
                     const char *cond)
{
    char *w = didq_scope_and(sc, cond);
    didq_qtable_drill(t, r, c, label, "%s", w);
    sqlite3_free(w);
}

static uint64_t total_records(sqlite3 *db)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT coalesce(sum(records), 0) FROM files");
    uint64_t n = sqlite3_step(q) == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return n;
}

/* True if a saved session has the table of pane aggregates (store_panes.c):
 * a file saved by an older didq has not, and its panes scan `records`. */
static bool saved_has(sqlite3 *db, const char *table)
{
    sqlite3_stmt *q =
        didq_prepare(db, "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?");
    sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
    bool has = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return has;
}

static const char *files_head[] = {"File",   "Format",   "Records", "Month", "Outside",
                                   "Errors", "Warnings", "Verdict", "Reason"};

/* The Month and Outside month cells of a file: its reporting month and
 * the records dated in another month (a drill-down to them). */
static void month_cells(didq_qtable *t, size_t r, int file, const didq_file_month *m)
{
    char ym[8];
    didq_month_format(m->month, ym);
    didq_qtable_set(t, r, 3, "%s", ym);
    didq_qtable_set(t, r, 4, "%llu", (unsigned long long)m->outside);
    if (m->month == DIDQ_NOMONTH || !m->outside) return;
    int32_t d0 = didq_date_from_ymd(m->month / 12, m->month % 12 + 1, 1);
    int32_t d1 = didq_date_add_months(d0, 1) - 1;
    char label[64];
    snprintf(label, sizeof label, "file %d outside %s", file, ym);
    didq_qtable_drill(t, r, 4, label,
                      "r.file = %d AND (r." TEST_DAY " < %d OR r." TEST_DAY " > %d)", file, d0, d1);
    didq_qtable_count(t, r, 4, (int64_t)m->outside);
}

/* The reason beside a file's verdict (query_filefind.c). */
static void file_reason(sqlite3 *db, didq_qtable *t, size_t r, int file)
{
    char *why = didq_query_file_reason(db, file);
    didq_qtable_set(t, r, 8, "%s", why);
    free(why);
}

/* A file's row in a site scope: its records, outside the month, errors
 * and warnings counted over the site's records in it, each drill-down
 * within the scope; the verdict and its reason are the whole file's. */
static void site_file_cells(didq_qtable *t, size_t r, didq_scope *sc, int file,
                            const didq_file_month *m)
{
    const didq_scope_file *f = didq_scope_file_counts(sc, file);
    if (!f) return;
    char cond[160], *w, *name = didq_strdup(didq_qtable_cell(t, r, 0));
    didq_qtable_set(t, r, 2, "%llu", (unsigned long long)f->records);
    didq_qtable_set(t, r, 4, "%llu", (unsigned long long)f->outside);
    didq_qtable_set(t, r, 5, "%llu", (unsigned long long)f->err);
    didq_qtable_set(t, r, 6, "%llu", (unsigned long long)f->warn);
    snprintf(cond, sizeof cond, "r.file = %d", file);
    w = didq_scope_and(sc, cond);
    didq_qtable_drill(t, r, 0, name, "%s", w);
    didq_qtable_count(t, r, 0, (int64_t)f->records);
    sqlite3_free(w);
    free(name);
    size_t k = r * (size_t)t->ncols + 4; /* the whole file's outside drill-down, if any */
    free(t->where[k]);
    t->where[k] = NULL;
    t->count[k] = -1;
    if (m->month != DIDQ_NOMONTH && f->outside) {
        int32_t d0 = didq_date_from_ymd(m->month / 12, m->month % 12 + 1, 1);
        int32_t d1 = didq_date_add_months(d0, 1) - 1;
        snprintf(cond, sizeof cond, "r.file = %d AND (r." TEST_DAY " < %d OR r." TEST_DAY " > %d)",
                 file, d0, d1);
        w = didq_scope_and(sc, cond);
        didq_qtable_drill(t, r, 4, "outside the month", "%s", w);
        didq_qtable_count(t, r, 4, (int64_t)f->outside);
        sqlite3_free(w);
    }
    if (*didq_qtable_cell(t, r, 8)) {
        char *why = didq_strdup(didq_qtable_cell(t, r, 8));
        didq_qtable_set(t, r, 8, "whole file: %s", why);
        free(why);
    }
}

static didq_qtable *overview_files(sqlite3 *db, didq_scope *sc)
{
    didq_file_month *fm;
    int nfm = didq_file_months(db, &fm);
    didq_qtable *t = didq_qtable_new(9, files_head, "llrlrrrll");
    sqlite3_stmt *q = didq_prepare(db, "SELECT id, path, format, records, err_records,"
                                       " warn_records, verdict FROM files ORDER BY id");
    while (sqlite3_step(q) == SQLITE_ROW) {
        int id = sqlite3_column_int(q, 0);
        if (!didq_scope_has_file(sc, id)) continue;
        size_t r = didq_qtable_row(t);
        for (int c = 0; c < 6; c++)
            didq_qtable_set(t, r, c < 3 ? c : c + 2, "%s", txt(q, c + 1));
        if (id >= 1 && id <= nfm) month_cells(t, r, id, &fm[id - 1]);
        didq_qtable_drill(t, r, 0, txt(q, 1), "r.file = %d", id);
        if (sqlite3_column_type(q, 3) == SQLITE_INTEGER)
            didq_qtable_count(t, r, 0, sqlite3_column_int64(q, 3));
        t->mark[r] = strcmp(txt(q, 6), "rejected") == 0;
        file_reason(db, t, r, sqlite3_column_int(q, 0));
        if (didq_scope_site_of(sc) && id >= 1 && id <= nfm)
            site_file_cells(t, r, sc, id, &fm[id - 1]);
    }
    sqlite3_finalize(q);
    free(fm);
    return t;
}

static const char *sites_head[] = {"Site", "Records", "Errors", "Warnings"};

/* A row's site from column 0 of q (NULL when absent). */
static const char *site_col(sqlite3_stmt *q)
{
    return sqlite3_column_type(q, 0) == SQLITE_NULL ? NULL : txt(q, 0);
}

static void site_row(didq_qtable *t, didq_scope *sc, const char *site, bool invalid,
                     const long long *v)
{
    size_t r = didq_qtable_row(t);
    const char *label = didq_site_label(site, invalid);
    didq_qtable_set(t, r, 0, "%s", label);
    for (int c = 1; c < 4; c++)
        didq_qtable_set(t, r, c, "%lld", v[c - 1]);
    char *w = didq_site_where(site, invalid);
    drill_in(t, r, 0, label, sc, w);
    didq_qtable_count(t, r, 0, v[0]);
    sqlite3_free(w);
}

_Static_assert(DIDQ_REC_BAD_SITE == 64, "SITE_BAD_SQL tests flags & 64");
/* A saved session's records grouped as the per-site pass groups them. */
#define SITE_BAD_SQL "((flags & 64) <> 0)" /* DIDQ_REC_BAD_SITE */
#define SITE_GROUP_SQL "CASE WHEN " SITE_BAD_SQL " THEN NULL ELSE site END"

/* True if a saved session's site_counts groups the invalid site codes in
 * one row (column invalid_site; a file saved by an older didq lists each
 * code, and has the GP-referred columns or not): else the panes are
 * counted over `records`. */
static bool saved_has_invalid(sqlite3 *db)
{
    if (!saved_has(db, "site_counts")) return false;
    sqlite3_stmt *q = didq_prepare(
        db, "SELECT 1 FROM pragma_table_info('site_counts') WHERE name = 'invalid_site'");
    bool has = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return has;
}

/* The per-site pass over every record, or over the scope's. */
static didq_site_counts *site_scan(const didq_recstore *rs, didq_scope *sc, size_t *n)
{
    return sc ? didq_scope_sites(sc, n) : didq_site_counts_scan(rs, n);
}

static didq_qtable *overview_sites(didq_session *s, didq_scope *sc)
{
    didq_qtable *t = didq_qtable_new(4, sites_head, "lrrr");
    const didq_recstore *rs = didq_session_recstore(s);
    if (rs) {
        size_t n;
        didq_site_counts *c = site_scan(rs, sc, &n);
        for (size_t i = 0; i < n; i++) {
            long long v[3] = {(long long)c[i].records, (long long)c[i].err, (long long)c[i].warn};
            char *site = didq_site_str(&c[i]);
            site_row(t, sc, site, c[i].invalid, v);
            free(site);
        }
        free(c);
        return t;
    }
    sqlite3 *db = didq_session_db(s);
    sqlite3_stmt *q;
    if (!sc && saved_has_invalid(db)) {
        q = didq_prepare(db, "SELECT site, records, err_records, warn_records, invalid_site"
                             " FROM site_counts ORDER BY 5, 2 DESC, 1");
    } else {
        char *sql = sqlite3_mprintf("SELECT " SITE_GROUP_SQL ", count(*), sum(nerr > 0),"
                                    " sum(nwarn > 0), " SITE_BAD_SQL " FROM records r WHERE %s"
                                    " GROUP BY 5, 1 ORDER BY 5, 2 DESC, 1",
                                    didq_scope_where(sc));
        q = didq_prepare(db, sql);
        sqlite3_free(sql);
    }
    while (sqlite3_step(q) == SQLITE_ROW) {
        long long v[3];
        for (int c = 1; c < 4; c++)
            v[c - 1] = sqlite3_column_int64(q, c);
        site_row(t, sc, site_col(q), sqlite3_column_int(q, 4) != 0, v);
    }
    sqlite3_finalize(q);
    return t;
}

static const char *rules_head[] = {"Rule", "Severity", "Records", "%", "Message"};

/* The rules table as an SQL source: itself, or in a scope the same
 * columns with records counted in the scope (sqlite3_free). */
static char *rules_source(const didq_session *s, didq_scope *sc)
{
    if (!sc) return sqlite3_mprintf("rules");
    const didq_scope_counts *c = didq_scope_counts_of(sc);
    didq_buf b = {0};
    didq_buf_puts(&b, "(SELECT ru.id AS id, code, severity, checked, why, fields, message,"
                      " coalesce(n.column2, 0) AS records FROM rules ru LEFT JOIN (VALUES (-1, 0)");
    for (int i = 0; i < didq_session_rules(s)->n; i++)
        if (c->rule[i]) didq_buf_printf(&b, ", (%d, %llu)", i, (unsigned long long)c->rule[i]);
    didq_buf_puts(&b, ") n ON n.column1 = ru.id)");
    char *out = sqlite3_mprintf("%s", b.p);
    free(b.p);
    return out;
}

/* sql: a query with one %s, the rules table's source (rules_source);
 * with_files: the session whose file-level findings come first, or NULL */
static didq_qtable *rule_table(didq_session *s, didq_scope *sc, const char *sql, uint64_t records,
                               bool with_files)
{
    sqlite3 *db = didq_session_db(s);
    didq_qtable *t = didq_qtable_new(5, rules_head, "llrrl");
    if (with_files) didq_query_file_rows_in(s, sc, t, records);
    char *src = rules_source(s, sc);
    char *full = sqlite3_mprintf(sql, src);
    sqlite3_stmt *q = didq_prepare(db, full);
    sqlite3_free(src);
    sqlite3_free(full);
    while (sqlite3_step(q) == SQLITE_ROW) {
        size_t r = didq_qtable_row(t);
        int checked = sqlite3_column_int(q, 3);
        long long n = sqlite3_column_int64(q, 5);
        didq_qtable_set(t, r, 0, "%s", txt(q, 1));
        didq_qtable_set(t, r, 1, "%s", txt(q, 2));
        if (!checked) {
            didq_qtable_set(t, r, 2, "-");
            didq_qtable_set(t, r, 3, "-");
            didq_qtable_set(t, r, 4, "not checked: %s", txt(q, 4));
            continue;
        }
        didq_qtable_set(t, r, 2, "%lld", n);
        didq_qtable_share(t, r, 3, (uint64_t)n, records);
        didq_qtable_set(t, r, 4, "%s", txt(q, 6));
        t->mark[r] = n > 0 && strcmp(txt(q, 2), "error") == 0;
        if (n > 0) {
            char cond[80];
            snprintf(cond, sizeof cond, "r.id IN (SELECT rec FROM findings WHERE rule = %d)",
                     sqlite3_column_int(q, 0));
            drill_in(t, r, 0, txt(q, 1), sc, cond);
            didq_qtable_count(t, r, 0, n);
        }
    }
    sqlite3_finalize(q);
    return t;
}

didq_qtable *didq_query_validation(didq_session *s)
{
    return didq_query_validation_in(s, NULL);
}

didq_qtable *didq_query_validation_in(didq_session *s, didq_scope *sc)
{
    return rule_table(s, sc,
                      "SELECT id, code, severity, checked, why, records, message FROM %s"
                      " ORDER BY code",
                      scope_records(didq_session_db(s), sc), true);
}

/* The reporting months of the files, in order without repeats, and the
 * records dated outside their file's month or not validly dated. */
static void months(sqlite3 *db, didq_scope *sc, didq_overview *o)
{
    didq_file_month *fm;
    int n = didq_file_months(db, &fm);
    didq_buf b = {0};
    didq_buf_puts(&b, "");
    for (int i = 0; i < n; i++) {
        const didq_scope_file *f = didq_scope_file_counts(sc, i + 1);
        if (!didq_scope_has_file(sc, i + 1))
            fm[i].month = DIDQ_NOMONTH, fm[i].outside = 0, fm[i].undated = 0;
        else if (f) /* a site scope: its records in the file */
            fm[i].outside = f->outside, fm[i].undated = f->undated;
        o->outside_month += fm[i].outside;
        o->no_test_date += fm[i].undated;
    }
    int32_t last = DIDQ_NOMONTH;
    for (;;) { /* ascending: the smallest month above the last one written */
        int32_t next = DIDQ_NOMONTH;
        for (int i = 0; i < n; i++)
            if (fm[i].month > last && (next == DIDQ_NOMONTH || fm[i].month < next))
                next = fm[i].month;
        if (next == DIDQ_NOMONTH) break;
        char ym[8];
        didq_month_format(next, ym);
        didq_buf_printf(&b, "%s%s", o->nmonths++ ? ", " : "", ym);
        last = next;
    }
    o->months = b.p;
    free(fm);
}

static void period(didq_session *s, didq_scope *sc, didq_overview *o)
{
    const didq_recstore *rs = didq_session_recstore(s);
    if (rs && sc) {
        size_t nr;
        const didq_id_range *r = didq_scope_ranges(sc, &nr);
        didq_test_date_range_in(rs, r, nr, &o->first_test, &o->last_test);
        return;
    }
    if (rs) {
        didq_test_date_range(rs, &o->first_test, &o->last_test);
        return;
    }
    sqlite3 *db = didq_session_db(s);
    char *sql =
        !sc && saved_has(db, "period")
            ? sqlite3_mprintf("SELECT first_test, last_test FROM period")
            : sqlite3_mprintf("SELECT min(" TEST_DAY "), max(" TEST_DAY ") FROM records r WHERE %s",
                              didq_scope_where(sc));
    sqlite3_stmt *q = didq_prepare(db, sql);
    sqlite3_free(sql);
    o->first_test = o->last_test = DIDQ_NODATE;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
        o->first_test = sqlite3_column_int(q, 0);
        o->last_test = sqlite3_column_int(q, 1);
    }
    sqlite3_finalize(q);
}

/* Records with neither NICIP nor SNOMED CT: the findings of the rule that
 * both are blank (DIDS056); -1 if the rule set has none. */
static int64_t no_imaging_code(didq_session *s, didq_scope *sc)
{
    const didq_ruleset *rs = didq_session_rules(s);
    int rule = -1;
    for (int i = 0; i < rs->n && rule < 0; i++) {
        const didq_rule_def *d = rs->rules[i].def;
        if (strcmp(d->check, "all_blank") == 0 && d->nfields == 2 &&
            ((d->fields[0] == DIDQ_NICIP && d->fields[1] == DIDQ_SNOMED) ||
             (d->fields[0] == DIDQ_SNOMED && d->fields[1] == DIDQ_NICIP)))
            rule = i;
    }
    if (rule < 0) return -1;
    if (sc) return (int64_t)didq_scope_counts_of(sc)->rule[rule];
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), "SELECT records FROM rules WHERE id = ?");
    sqlite3_bind_int(q, 1, rule);
    int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    return n;
}

/* Keeps the three least filled items, least first (ties: item order). */
static void note_worst(didq_overview *o, const char *name, double filled)
{
    int k = o->nworst;
    if (k == 3) {
        if (filled >= o->worst[2].filled) return;
        k = 2;
    } else {
        o->nworst++;
    }
    for (; k > 0 && o->worst[k - 1].filled > filled; k--)
        o->worst[k] = o->worst[k - 1];
    o->worst[k].name = name;
    o->worst[k].filled = filled;
}

static void completeness_summary(didq_session *s, didq_scope *sc, didq_overview *o)
{
    const didq_dataset *ds = didq_session_dataset(s);
    didq_qtable *c = didq_query_completeness_in(s, sc);
    int64_t none = no_imaging_code(s, sc);
    uint64_t records = o->records;
    double sum = 0;
    int n = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        int it = (int)r;
        double filled = 100.0 - pct(strtoull(didq_qtable_cell(c, r, 3), NULL, 10), records);
        const char *name = ds->items[it].shortname;
        o->items_below += c->mark[r];
        if (none >= 0 && it == DIDQ_SNOMED) continue; /* counted with NICIP */
        if (none >= 0 && it == DIDQ_NICIP) {
            filled = 100.0 - pct((uint64_t)none, records);
            name = "NICIP or SNOMED CT";
        }
        note_worst(o, name, filled);
        if (strcmp(ds->items[it].status, "M") == 0) sum += filled, n++;
    }
    o->mandatory_filled = n ? sum / n : 0;
    didq_qtable_free(c);
}

void didq_query_overview(didq_session *s, didq_overview *o)
{
    didq_query_overview_in(s, NULL, o);
}

static void overview_in(didq_session *s, didq_scope *sc, didq_overview *o, bool sites);

void didq_query_overview_in(didq_session *s, didq_scope *sc, didq_overview *o)
{
    overview_in(s, sc, o, true);
}

void didq_query_overview_nosites(didq_session *s, didq_scope *sc, didq_overview *o)
{
    overview_in(s, sc, o, false);
}

static void overview_in(didq_session *s, didq_scope *sc, didq_overview *o, bool sites)
{
    sqlite3 *db = didq_session_db(s);
    memset(o, 0, sizeof *o);
    sqlite3_stmt *q = didq_prepare(db, "SELECT id, records, err_records, warn_records,"
                                       " verdict = 'rejected' FROM files");
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (!didq_scope_has_file(sc, sqlite3_column_int(q, 0))) continue;
        o->files++;
        o->records += (uint64_t)sqlite3_column_int64(q, 1);
        o->err_records += (uint64_t)sqlite3_column_int64(q, 2);
        o->warn_records += (uint64_t)sqlite3_column_int64(q, 3);
        o->files_rejected += sqlite3_column_int(q, 4);
    }
    sqlite3_finalize(q);
    if (didq_scope_site_of(sc)) { /* the site's records, not its files' */
        const didq_scope_counts *c = didq_scope_counts_of(sc);
        o->records = c->records, o->err_records = c->err, o->warn_records = c->warn;
    }
    period(s, sc, o);
    months(db, sc, o);
    o->files_tab = overview_files(db, sc);
    o->sites = sites ? overview_sites(s, sc) : NULL;
    o->top_rules = rule_table(s, sc,
                              "SELECT id, code, severity, checked, why, records, message"
                              " FROM %s WHERE checked AND records > 0"
                              " ORDER BY records DESC, code LIMIT 5",
                              o->records, false);
    completeness_summary(s, sc, o);
}

void didq_overview_free(didq_overview *o)
{
    free(o->months);
    didq_qtable_free(o->files_tab);
    didq_qtable_free(o->sites);
    didq_qtable_free(o->top_rules);
    memset(o, 0, sizeof *o);
}

static const char *set_head[] = {"Site", "01", "02",    "03",    "04",     "05",
                                 "06",   "07", "Other", "Total", "GP ref", "GP ref 03"};
enum { SET_NCOLS = 12, SET_TOTAL = 9, SET_GP = 10, SET_GP03 = 11 };

/* The condition of column c (1-based) of a site's row, after ws. */
static void settings_drill(didq_qtable *t, size_t r, int c, const char *site, const char *ws)
{
    static const char *conds[] = {"= '01'", "= '02'", "= '03'", "= '04'",
                                  "= '05'", "= '06'", "= '07'"};
    char label[64];
    snprintf(label, sizeof label, "%s %s", site, set_head[c]);
    if (c <= 7)
        didq_qtable_drill(t, r, c, label, "%s AND r.setting %s", ws, conds[c - 1]);
    else if (c == 8)
        didq_qtable_drill(t, r, c, label,
                          "%s AND coalesce(r.setting, '') NOT IN"
                          " ('01','02','03','04','05','06','07')",
                          ws);
    else if (c == SET_TOTAL)
        didq_qtable_drill(t, r, c, site, "%s", ws);
    else if (c == SET_GP)
        didq_qtable_drill(t, r, c, label, "%s AND " DIDQ_GP_REFERRED_SQL, ws);
    else
        didq_qtable_drill(t, r, c, label, "%s AND r.setting = '03' AND " DIDQ_GP_REFERRED_SQL, ws);
}

/* v: records with setting 01..07, other, all records, GP-referred, of
 * which 03, with a site code breaking a site rule.  Marked where
 * gp-direct-access-as-outpatient fires (th): not for a blank site code nor
 * one that breaks the site rules on every record (no anomaly of its own). */
static void settings_row(didq_qtable *t, didq_scope *sc, const char *sitev, bool invalid,
                         const long long *v, const didq_threshold *th)
{
    size_t r = didq_qtable_row(t);
    const char *site = didq_site_label(sitev, invalid);
    char *w = didq_site_where(sitev, invalid), *ws = didq_scope_and(sc, w);
    sqlite3_free(w);
    didq_qtable_set(t, r, 0, "%s", site);
    for (int c = 1; c < SET_NCOLS; c++) { /* v[SET_NCOLS - 1] is not shown */
        didq_qtable_set(t, r, c, "%lld", v[c - 1]);
        if (v[c - 1] == 0) continue;
        settings_drill(t, r, c, site, ws);
        didq_qtable_count(t, r, c, v[c - 1]);
    }
    t->mark[r] = !invalid && sitev && *sitev && v[SET_NCOLS - 1] < v[SET_TOTAL - 1] &&
                 didq_gp_as_outpatient(th, (uint64_t)v[SET_GP - 1], (uint64_t)v[SET_GP03 - 1],
                                       (uint64_t)v[3], (uint64_t)v[SET_TOTAL - 1]);
    sqlite3_free(ws);
}

static void settings_scan(didq_qtable *t, const didq_recstore *rs, didq_scope *scope,
                          const didq_threshold *th)
{
    size_t n;
    didq_site_counts *sc = site_scan(rs, scope, &n);
    for (size_t i = 0; i < n; i++) {
        long long v[SET_NCOLS];
        for (int k = 0; k < 8; k++)
            v[k] = (long long)sc[i].setting[k];
        v[8] = (long long)sc[i].records;
        v[9] = (long long)sc[i].gp_ref;
        v[10] = (long long)sc[i].gp_ref_03;
        v[11] = (long long)sc[i].bad_code;
        char *site = didq_site_str(&sc[i]);
        settings_row(t, scope, site, sc[i].invalid, v, th);
        free(site);
    }
    free(sc);
}

didq_qtable *didq_query_settings(didq_session *s, const didq_thresholds *ths)
{
    return didq_query_settings_in(s, NULL, ths);
}

didq_qtable *didq_query_settings_in(didq_session *s, didq_scope *sc, const didq_thresholds *ths)
{
    didq_thresholds def;
    if (!ths) didq_thresholds_default(&def), ths = &def;
    const didq_threshold *th = &ths->k[DIDQ_AK_GP_AS_OUTPATIENT];
    didq_qtable *t = didq_qtable_new(SET_NCOLS, set_head, "lrrrrrrrrrrr");
    if (didq_session_recstore(s)) {
        settings_scan(t, didq_session_recstore(s), sc, th);
        return t;
    }
    sqlite3 *db = didq_session_db(s);
    char *sql =
        !sc && saved_has_invalid(db)
            ? sqlite3_mprintf("SELECT site, s01, s02, s03, s04, s05, s06, s07, s_other, records,"
                              " gp_ref, gp_ref_03, bad_code, invalid_site FROM site_counts"
                              " ORDER BY 14, 10 DESC, 1")
            : sqlite3_mprintf("SELECT " SITE_GROUP_SQL
                              ", sum(setting = '01'), sum(setting = '02'), sum(setting = '03'),"
                              " sum(setting = '04'), sum(setting = '05'), sum(setting = '06'),"
                              " sum(setting = '07'), sum(coalesce(setting, '') NOT IN"
                              " ('01','02','03','04','05','06','07')), count(*),"
                              " sum(" DIDQ_GP_REFERRED_SQL
                              "), sum(setting = '03' AND " DIDQ_GP_REFERRED_SQL
                              "), sum(" SITE_BAD_SQL "), " SITE_BAD_SQL
                              " FROM records r WHERE %s GROUP BY 14, 1 ORDER BY 14, 10 DESC, 1",
                              didq_scope_where(sc));
    sqlite3_stmt *q = didq_prepare(db, sql);
    sqlite3_free(sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        long long v[SET_NCOLS];
        for (int c = 1; c <= SET_NCOLS; c++)
            v[c - 1] = sqlite3_column_int64(q, c);
        settings_row(t, sc, site_col(q), sqlite3_column_int(q, 13) != 0, v, th);
    }
    sqlite3_finalize(q);
    return t;
}
