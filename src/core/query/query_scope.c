/* query_scope.c: a record scope (query.h): the files of one reporting
 * month, their records as id ranges (a file's records have consecutive
 * ids), the condition that selects them, and their counts.  The counts are
 * those the session makes for every record while loading, made again for
 * the scope's records only: in memory one pass over their metadata and
 * findings (the findings are sorted by record, so a range of records is a
 * range of findings); in a saved session from the month's row check --db
 * kept (month_counts), or without it with SQL. */
#include "query_scope.h"
#include "query_sites.h"
#include "didq/month.h"
#include "didq/rules.h"
#include "didq/store.h"
#include "didq/util.h"
#include "recstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int didq_query_months(didq_session *s, int32_t **out)
{
    didq_file_month *fm;
    int n = didq_file_months(didq_session_db(s), &fm), k = 0;
    int32_t *v = didq_xcalloc((size_t)n + 1, sizeof *v);
    for (int i = 0; i < n; i++) {
        int j = k;
        while (j > 0 && v[j - 1] > fm[i].month)
            j--;
        if (j > 0 && v[j - 1] == fm[i].month) continue;
        memmove(v + j + 1, v + j, (size_t)(k - j) * sizeof *v);
        v[j] = fm[i].month;
        k++;
    }
    free(fm);
    *out = v;
    return k;
}

/* A file's records as ids lo..hi (lo > hi when none). */
static didq_id_range file_ids(didq_session *s, int file)
{
    didq_id_range r = {1, 0};
    const didq_recstore *rs = didq_session_recstore(s);
    if (rs) {
        uint32_t a, b;
        didq_recstore_file_range(rs, file, &a, &b);
        if (a) r.lo = a, r.hi = b;
        return r;
    }
    sqlite3_stmt *q =
        didq_prepare(didq_session_db(s), "SELECT min(id), max(id) FROM records WHERE file = ?");
    sqlite3_bind_int(q, 1, file);
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
        r.lo = (uint32_t)sqlite3_column_int64(q, 0);
        r.hi = (uint32_t)sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    return r;
}

static void add_range(didq_scope *sc, didq_id_range r)
{
    if (r.lo > r.hi) return;
    if (sc->nrange && sc->range[sc->nrange - 1].hi + 1 == r.lo) {
        sc->range[sc->nrange - 1].hi = r.hi;
        return;
    }
    sc->range = didq_xrealloc(sc->range, (sc->nrange + 1) * sizeof *sc->range);
    sc->range[sc->nrange++] = r;
}

/* One range: an id range, which every plan of `records` narrows to at
 * once; several: the files by number. */
static char *make_where(const didq_scope *sc)
{
    if (!sc->nrange) return didq_strdup("0");
    didq_buf b = {0};
    if (sc->nrange == 1) {
        didq_buf_printf(&b, "r.id BETWEEN %u AND %u", sc->range[0].lo, sc->range[0].hi);
        return b.p;
    }
    didq_buf_puts(&b, "r.file IN (");
    for (int f = 0, k = 0; f < sc->nfiles; f++)
        if (sc->in[f]) didq_buf_printf(&b, "%s%d", k++ ? ", " : "", f + 1);
    didq_buf_puts(&b, ")");
    return b.p;
}

didq_scope *didq_scope_month(didq_session *s, int32_t month)
{
    didq_scope *sc = didq_xcalloc(1, sizeof *sc);
    didq_file_month *fm;
    sc->s = s;
    sc->month = month;
    sc->nfiles = didq_file_months(didq_session_db(s), &fm);
    sc->in = didq_xcalloc((size_t)sc->nfiles + 1, 1);
    for (int f = 0; f < sc->nfiles; f++) {
        sc->in[f] = fm[f].month == month;
        if (sc->in[f]) add_range(sc, file_ids(s, f + 1));
    }
    free(fm);
    sc->where = make_where(sc);
    return sc;
}

void didq_scope_free(didq_scope *sc)
{
    if (!sc) return;
    if (sc->counts) free(sc->counts->rule), free(sc->counts->file);
    free(sc->site);
    free(sc->sites);
    free(sc->counts);
    free(sc->in);
    free(sc->range);
    free(sc->where);
    free(sc);
}

int32_t didq_scope_month_of(const didq_scope *sc)
{
    return sc ? sc->month : DIDQ_NOMONTH;
}

bool didq_scope_has_file(const didq_scope *sc, int file)
{
    return !sc || (file >= 1 && file <= sc->nfiles && sc->in[file - 1]);
}

void didq_scope_files(didq_session *s, const didq_scope *sc, int *files, int *rejected)
{
    sqlite3_stmt *q =
        didq_prepare(didq_session_db(s), "SELECT id, verdict = 'rejected' FROM files");
    *files = *rejected = 0;
    while (sqlite3_step(q) == SQLITE_ROW)
        if (didq_scope_has_file(sc, sqlite3_column_int(q, 0))) {
            (*files)++;
            *rejected += sqlite3_column_int(q, 1);
        }
    sqlite3_finalize(q);
}

const char *didq_scope_where(const didq_scope *sc)
{
    return sc ? sc->where : "1";
}

char *didq_scope_and(const didq_scope *sc, const char *cond)
{
    if (!cond || !*cond) return sqlite3_mprintf("%s", didq_scope_where(sc));
    if (!sc) return sqlite3_mprintf("%s", cond);
    return sqlite3_mprintf("(%s) AND (%s)", sc->where, cond);
}

didq_site_counts *didq_scope_sites(didq_scope *sc, size_t *n)
{
    if (!sc->sites_made) {
        const didq_recstore *rs = didq_session_recstore(sc->s);
        if (sc->site_kind == DIDQ_SCOPE_CODE) /* one site: its code read once */
            sc->sites = didq_site_counts_scan_one(rs, sc->range, sc->nrange, &sc->nsites);
        else
            sc->sites = didq_site_counts_scan_ranges(rs, sc->range, sc->nrange, &sc->nsites);
        sc->sites_made = true;
    }
    *n = sc->nsites;
    didq_site_counts *c = didq_xmalloc((sc->nsites + 1) * sizeof *c);
    if (sc->nsites) memcpy(c, sc->sites, sc->nsites * sizeof *c);
    return c;
}

const didq_id_range *didq_scope_ranges(const didq_scope *sc, size_t *n)
{
    *n = sc->nrange;
    return sc->range;
}

/* The first finding of a record id lo or later. */
static uint64_t first_finding(const didq_finding *f, uint64_t n, uint32_t lo)
{
    uint64_t a = 0, b = n;
    while (a < b) {
        uint64_t m = (a + b) / 2;
        if (f[m].rec < lo)
            a = m + 1;
        else
            b = m;
    }
    return a;
}

/* A record's findings f[*k..] (sorted by rule): each rule counted once,
 * the items hit by rules about a value (not presence). */
static uint32_t record_findings(const didq_ruleset *rules, const didq_finding *f, uint64_t n,
                                uint64_t *k, uint32_t id, didq_scope_counts *c)
{
    uint32_t hit = 0;
    int last = -1;
    for (; *k < n && f[*k].rec == id; (*k)++) {
        int rule = f[*k].rule;
        if (rule >= rules->n) continue;
        if (rule != last) c->rule[rule]++;
        last = rule;
        if (!didq_rule_presence(rules->rules[rule].def)) hit |= 1u << f[*k].item;
    }
    return hit;
}

static void count_memory(didq_scope *sc, const didq_recstore *rs, didq_scope_counts *c)
{
    const didq_ruleset *rules = didq_session_rules(sc->s);
    int nitems = didq_session_dataset(sc->s)->nitems;
    uint64_t nf;
    const didq_finding *f = didq_recstore_findings(rs, &nf);
    for (size_t r = 0; r < sc->nrange; r++) {
        uint64_t k = first_finding(f, nf, sc->range[r].lo);
        for (uint32_t id = sc->range[r].lo; id <= sc->range[r].hi; id++) {
            const didq_recmeta *m = didq_recstore_meta(rs, id);
            c->records++;
            c->err += m->nerr > 0;
            c->warn += m->nwarn > 0;
            uint32_t hit = record_findings(rules, f, nf, &k, id, c);
            uint32_t bits = (uint32_t)m->blank[0] | (uint32_t)m->blank[1] << 8 |
                            (uint32_t)m->blank[2] << 16; /* items 0..23: the metadata's */
            for (int i = 0; i < nitems; i++) {
                bool blank =
                    i < DIDQ_BLANK_BITS ? (bits >> i) & 1u : didq_recstore_blank(rs, id, i);
                c->blank[i] += blank;
                c->invalid[i] += ((hit >> i) & 1u) && !blank;
            }
        }
    }
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q = didq_prepare(db, sql);
    int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return n;
}

/* A saved session: the same counts with SQL over its tables. */
static void count_saved(didq_scope *sc, didq_scope_counts *c)
{
    sqlite3 *db = didq_session_db(sc->s);
    const didq_ruleset *rules = didq_session_rules(sc->s);
    char *sql = sqlite3_mprintf("SELECT count(*), sum(nerr > 0), sum(nwarn > 0) FROM records r"
                                " WHERE %s",
                                sc->where);
    sqlite3_stmt *q = didq_prepare(db, sql);
    if (sqlite3_step(q) == SQLITE_ROW) {
        c->records = (uint64_t)sqlite3_column_int64(q, 0);
        c->err = (uint64_t)sqlite3_column_int64(q, 1);
        c->warn = (uint64_t)sqlite3_column_int64(q, 2);
    }
    sqlite3_finalize(q);
    sqlite3_free(sql);
    sql = sqlite3_mprintf("SELECT fi.rule, count(DISTINCT fi.rec) FROM findings fi"
                          " WHERE fi.rec IN (SELECT r.id FROM records r WHERE %s) GROUP BY 1",
                          sc->where);
    q = didq_prepare(db, sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int rule = sqlite3_column_int(q, 0);
        if (rule >= 0 && rule < rules->n) c->rule[rule] = (uint64_t)sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    sqlite3_free(sql);
    didq_buf pres = {0};
    didq_buf_puts(&pres, "-1");
    for (int i = 0; i < rules->n; i++)
        if (didq_rule_presence(rules->rules[i].def)) didq_buf_printf(&pres, ", %d", i);
    for (int i = 0; i < didq_session_dataset(sc->s)->nitems; i++) {
        int num = DIDQ_COL_NUM(i);
        sql = sqlite3_mprintf("SELECT count(*) FROM records r WHERE (%s) AND"
                              " trim(coalesce(r.f%d, '')) = ''",
                              sc->where, num);
        c->blank[i] = (uint64_t)scalar(db, sql);
        sqlite3_free(sql);
        sql = sqlite3_mprintf("SELECT count(*) FROM records r WHERE (%s) AND"
                              " trim(coalesce(r.f%d, '')) <> '' AND r.id IN (SELECT rec FROM"
                              " findings WHERE item = %d AND rule NOT IN (%s))",
                              sc->where, num, i, pres.p);
        c->invalid[i] = (uint64_t)scalar(db, sql);
        sqlite3_free(sql);
    }
    free(pres.p);
}

/* ---- kept in a saved session (check --db: month_counts) ----
 *
 * With several months loaded, each month's counts as count_memory makes
 * them, so that a month's scope of the session opened again (its first
 * screen shows the latest month) reads no record. */

int didq_scope_counts_save(didq_session *s, sqlite3 *db, char *err, size_t errlen)
{
    if (!didq_session_recstore(s)) return 0;
    int32_t *months;
    int n = didq_query_months(s, &months);
    size_t nrules = (size_t)didq_session_rules(s)->n,
           nitems = (size_t)didq_session_dataset(s)->nitems;
    sqlite3_stmt *q;
    int rc = didq_save_table(db,
                             "CREATE TABLE disk.month_counts(month INTEGER, records INTEGER,"
                             " err INTEGER, warn INTEGER, rules BLOB, blank BLOB, invalid BLOB)",
                             "INSERT INTO disk.month_counts VALUES(?,?,?,?,?,?,?)", &q);
    for (int k = 0; n > 1 && rc == SQLITE_OK && k < n; k++) {
        didq_scope *sc = didq_scope_month(s, months[k]);
        const didq_scope_counts *c = didq_scope_counts_of(sc);
        if (!c) { /* never for a month's scope */
            didq_scope_free(sc);
            break;
        }
        sqlite3_bind_int(q, 1, months[k]);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)c->records);
        sqlite3_bind_int64(q, 3, (sqlite3_int64)c->err);
        sqlite3_bind_int64(q, 4, (sqlite3_int64)c->warn);
        didq_blob_u32_bind(q, 5, c->rule, nrules);
        didq_blob_u32_bind(q, 6, c->blank, nitems);
        didq_blob_u32_bind(q, 7, c->invalid, nitems);
        rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(q);
        didq_scope_free(sc);
    }
    if (rc != SQLITE_OK) snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    free(months);
    return rc == SQLITE_OK ? 0 : -1;
}

/* The records of the scope's files, from the files' month counts. */
static uint64_t files_records(const didq_scope *sc)
{
    didq_file_month *fm;
    int n = didq_file_months(didq_session_db(sc->s), &fm);
    uint64_t total = 0;
    for (int f = 0; f < n && f < sc->nfiles; f++)
        if (sc->in[f]) total += fm[f].in_month + fm[f].outside + fm[f].undated;
    free(fm);
    return total;
}

/* A saved session's counts of a month's scope from month_counts (true),
 * or none (false: no row for it, or one that does not fit its files). */
static bool counts_kept(didq_scope *sc, didq_scope_counts *c)
{
    if (sc->site_kind != DIDQ_SCOPE_NOSITE) return false;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(didq_session_db(sc->s),
                           "SELECT records, err, warn, rules, blank, invalid FROM month_counts"
                           " WHERE month = ?1 AND EXISTS (SELECT 1 FROM main.sqlite_schema WHERE"
                           " name = 'month_counts' AND type = 'table' AND sql NOT LIKE"
                           " 'CREATE VIRTUAL%')",
                           -1, &q, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_int(q, 1, sc->month);
    size_t nrules = (size_t)didq_session_rules(sc->s)->n,
           nitems = (size_t)didq_session_dataset(sc->s)->nitems;
    uint64_t want = files_records(sc), filled[DIDQ_MAX_ITEMS];
    bool ok = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_INTEGER &&
              (uint64_t)sqlite3_column_int64(q, 0) == want;
    c->records = want;
    c->err = ok ? (uint64_t)sqlite3_column_int64(q, 1) : 0;
    c->warn = ok ? (uint64_t)sqlite3_column_int64(q, 2) : 0;
    ok = ok && sqlite3_column_type(q, 1) == SQLITE_INTEGER && c->err <= want &&
         sqlite3_column_type(q, 2) == SQLITE_INTEGER && c->warn <= want &&
         didq_blob_u32_read(q, 3, c->rule, nrules, &want, false) &&
         didq_blob_u32_read(q, 4, c->blank, nitems, &want, false);
    for (size_t i = 0; ok && i < nitems; i++)
        filled[i] = want - c->blank[i];
    ok = ok && didq_blob_u32_read(q, 5, c->invalid, nitems, filled, true) &&
         sqlite3_step(q) == SQLITE_DONE; /* one row per month */
    sqlite3_finalize(q);
    if (!ok) { /* counted again from the records */
        c->records = c->err = c->warn = 0;
        memset(c->rule, 0, nrules * sizeof *c->rule);
        memset(c->blank, 0, sizeof c->blank);
        memset(c->invalid, 0, sizeof c->invalid);
    }
    return ok;
}

const didq_scope_counts *didq_scope_counts_of(didq_scope *sc)
{
    if (!sc) return NULL;
    if (sc->counts) return sc->counts;
    didq_scope_counts *c = didq_xcalloc(1, sizeof *c);
    c->rule = didq_xcalloc((size_t)didq_session_rules(sc->s)->n + 1, sizeof *c->rule);
    const didq_recstore *rs = didq_session_recstore(sc->s);
    if (rs)
        count_memory(sc, rs, c);
    else if (!counts_kept(sc, c))
        count_saved(sc, c);
    if (sc->site_kind != DIDQ_SCOPE_NOSITE) didq_scope_site_files(sc, c);
    return sc->counts = c;
}

uint64_t didq_scope_records(didq_session *s, didq_scope *sc)
{
    return sc ? didq_scope_counts_of(sc)->records : didq_session_records(s);
}
