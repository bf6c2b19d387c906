/* dqmi_rows.c: where the DQMI-style counts of a session come from
 * (dqmi_mem.h): one pass over the record store (dqmi_mem.c), made now or
 * prepared beside the analyses, or the rows a saved session keeps, read
 * back and checked.  dqmi_score.c turns them into scores. */
#include "didq/dqmi.h"
#include "didq/rules.h"
#include "didq/session.h"
#include "didq/store.h"
#include "didq/util.h"
#include "dqmi_mem.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Below this many records the pass is counted on one thread. */
#define DQMI_PART_RECORDS 100000

/* The parts of the pass: as many as the load's threads, at least two
 * (the serial load's pipeline). */
static int mem_parts(const didq_session *s, const didq_recstore *rs)
{
    int threads = didq_session_threads(s) < 2 ? 2 : didq_session_threads(s);
    return didq_recstore_count(rs) < DQMI_PART_RECORDS ? 1 : threads;
}

/* The same counts in one pass over the record store (dqmi_mem.c): its
 * rows come as the two queries' would, the records' first; in parts
 * ranges of ids on threads of their own. */
static dqmi_mem_row *count(didq_session *s, const didq_recstore *rs, const didq_dqmi_spec *sp,
                           int parts, size_t *nrows)
{
    const didq_ruleset *rules = didq_session_rules(s);
    bool *presence = didq_xcalloc((size_t)rules->n + 1, sizeof *presence);
    for (int i = 0; i < rules->n; i++)
        presence[i] = didq_rule_presence(rules->rules[i].def);
    dqmi_mem_row *rows = dqmi_mem_count(rs, sp, presence, rules->n, parts, nrows);
    free(presence);
    return rows;
}

/* The spec's items and default values as one text. */
static char *spec_key(const didq_dqmi_spec *sp)
{
    didq_buf b = {0};
    didq_buf_puts(&b, "v2");
    for (int i = 0; i < sp->n; i++) {
        didq_buf_printf(&b, ";%d:", sp->items[i].item);
        for (int k = 0; k < sp->items[i].ndefaults; k++)
            didq_buf_printf(&b, "%s%s", k ? "\x1f" : "", sp->items[i].defaults[k]);
    }
    return b.p;
}

/* ---- the rows prepared beside the analyses (check, report) ----
 *
 * `didq check` and `didq report` know their spec before the load.  Asked
 * before it, the rows are counted as the records are stored
 * (dqmi_load_record, on the thread that stores them) and finished on the
 * thread that ends the load, once it has ended, with the cross-record
 * findings (dqmi_load_finish); asked after, they are counted there in one
 * pass.  Either way they are kept with the session for the report, which
 * takes them when its spec has the same items and defaults and the
 * session the same records: the counts are the same as the report's own
 * pass would make, only made earlier. */

typedef struct prepared {
    char *key;        /* spec_key of the spec counted */
    uint64_t records; /* the session's records when counted */
    dqmi_mem_row *rows;
    size_t n;
    dqmi_load *load; /* counting as the records come, until finished */
} prepared;

static void prepared_free(void *p)
{
    prepared *r = p;
    dqmi_mem_free(r->rows, r->n);
    dqmi_load_free(r->load);
    free(r->key);
    free(r);
}

/* The rule flags the counts need: about presence, cross-record. */
static void rule_flags(const didq_session *s, bool **presence, bool **cross, int *n)
{
    const didq_ruleset *rules = didq_session_rules(s);
    *n = rules->n;
    *presence = didq_xcalloc((size_t)rules->n + 1, sizeof **presence);
    *cross = didq_xcalloc((size_t)rules->n + 1, sizeof **cross);
    for (int i = 0; i < rules->n; i++) {
        (*presence)[i] = didq_rule_presence(rules->rules[i].def);
        (*cross)[i] = rules->rules[i].cross;
    }
}

static void on_record(void *ctx, const didq_record *r, const didq_hit *hits, int nhits, uint32_t id)
{
    prepared *p = ctx;
    dqmi_load_record(p->load, r, id, hits, nhits);
}

static void prepare(didq_session *s, void *sp)
{
    const didq_recstore *rs = didq_session_recstore(s);
    if (!rs) return;
    prepared *p = didq_session_kept(s);
    if (p && p->load && dqmi_load_records(p->load) == didq_recstore_count(rs)) {
        didq_session_on_record(s, NULL, NULL);
        p->rows = dqmi_load_finish(p->load, &p->n);
        p->load = NULL;
        p->records = didq_recstore_count(rs);
        return;
    }
    p = didq_xcalloc(1, sizeof *p);
    p->key = spec_key(sp);
    p->records = didq_recstore_count(rs);
    /* one part fewer than the threads: the analyses' scan has one */
    int parts = mem_parts(s, rs) > 2 ? mem_parts(s, rs) - 1 : 1;
    p->rows = count(s, rs, sp, parts, &p->n);
    didq_session_keep(s, p, prepared_free); /* frees a counter that missed records */
}

const didq_dqmi_spec *dqmi_spec_or_builtin(const didq_dqmi_spec *sp)
{
    static didq_dqmi_spec builtin;
    if (!sp && !builtin.n) didq_dqmi_spec_default(&builtin);
    return sp ? sp : &builtin;
}

void didq_dqmi_prepare_beside(didq_session *s, const didq_dqmi_spec *sp)
{
    sp = dqmi_spec_or_builtin(sp);
    const didq_recstore *rs = didq_session_recstore(s);
    if (rs && didq_recstore_count(rs) == 0) { /* before the load: count as records come */
        prepared *p = didq_xcalloc(1, sizeof *p);
        p->key = spec_key(sp);
        bool *presence, *cross;
        int n;
        rule_flags(s, &presence, &cross, &n);
        p->load = dqmi_load_new(rs, sp, presence, cross, n);
        free(presence);
        free(cross);
        didq_session_keep(s, p, prepared_free);
        didq_session_on_record(s, on_record, p);
    }
    didq_session_beside(s, prepare, (void *)sp);
}

dqmi_mem_row *dqmi_rows_memory(didq_session *s, const didq_recstore *rs, const didq_dqmi_spec *sp,
                               size_t *n, bool *owned)
{
    const prepared *p = didq_session_kept(s);
    if (p && !p->load && p->records == didq_recstore_count(rs)) {
        char *key = spec_key(sp);
        bool same = strcmp(key, p->key) == 0;
        free(key);
        if (same) {
            *n = p->n;
            *owned = false;
            return p->rows;
        }
    }
    *owned = true;
    return count(s, rs, sp, mem_parts(s, rs), n);
}

/* ---- the counts kept in a saved session (check --db) ----
 *
 * The counts depend on the records and the spec's items and default
 * values (not its thresholds).  A saved session keeps the rows of the
 * passes above for the spec it was checked with (dqmi_counts: per group
 * and file, per item the blank and default values, the invalid ones and
 * the defaults among those), and the spec's items and defaults in meta
 * (dqmi_spec).  Opened with the same items and defaults, it replays those
 * rows into the session's target and each month's, as the passes would,
 * instead of reading every record.  Rows that do not add up are not used:
 * the counts are then made from the records, as for a file without them
 * (the file's checksums, checked on open, refuse a table changed). */

static const char save_sql[] =
    "CREATE TABLE disk.dqmi_counts(row INTEGER, file INTEGER, grp TEXT, records INTEGER,"
    " item INTEGER, blank INTEGER, defaults INTEGER, bad INTEGER, bad_default INTEGER);";

static int save_rows(sqlite3 *db, const didq_dqmi_spec *sp, const dqmi_mem_row *rows, size_t nrows)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT INTO disk.dqmi_counts VALUES(?,?,?,?,?,?,?,?,?)", -1,
                                &q, NULL);
    for (size_t r = 0; rc == SQLITE_OK && r < nrows; r++)
        for (int i = 0; rc == SQLITE_OK && i < sp->n; i++) {
            const uint64_t *c = rows[r].c + (size_t)i * DQMI_MEM_PER;
            sqlite3_bind_int64(q, 1, (sqlite3_int64)r);
            sqlite3_bind_int(q, 2, rows[r].file);
            if (rows[r].grp)
                sqlite3_bind_text(q, 3, rows[r].grp, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(q, 3);
            sqlite3_bind_int64(q, 4, (sqlite3_int64)rows[r].records);
            sqlite3_bind_int(q, 5, sp->items[i].item);
            for (int k = 0; k < DQMI_MEM_PER; k++)
                sqlite3_bind_int64(q, 6 + k, (sqlite3_int64)c[k]);
            rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            sqlite3_reset(q);
        }
    sqlite3_finalize(q);
    return rc;
}

int didq_dqmi_save(didq_session *s, const didq_dqmi_spec *sp, sqlite3 *db, char *err, size_t errlen)
{
    const didq_recstore *rs = didq_session_recstore(s);
    if (!rs) return 0; /* not a loaded session: nothing kept, the records are counted */
    size_t nrows;
    bool owned;
    dqmi_mem_row *rows = dqmi_rows_memory(s, rs, sp, &nrows, &owned);
    char *key = spec_key(sp), *msg = NULL;
    sqlite3_stmt *m = NULL;
    int rc = sqlite3_exec(db, save_sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK) rc = save_rows(db, sp, rows, nrows);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO disk.meta VALUES('dqmi_spec', ?)", -1, &m, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(m, 1, key, -1, SQLITE_STATIC);
        rc = sqlite3_step(m) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    if (rc != SQLITE_OK) snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    sqlite3_finalize(m);
    free(key);
    if (owned) dqmi_mem_free(rows, nrows);
    return rc == SQLITE_OK ? 0 : -1;
}

/* Whether the saved session keeps the counts of sp's items and defaults. */
static bool saved_for(sqlite3 *db, const didq_dqmi_spec *sp)
{
    sqlite3_stmt *q = NULL;
    bool same = false;
    char *key = spec_key(sp);
    if (sqlite3_prepare_v2(db,
                           "SELECT value FROM meta WHERE key = 'dqmi_spec' AND EXISTS (SELECT 1"
                           " FROM main.sqlite_schema WHERE name = 'dqmi_counts' AND type = 'table'"
                           " AND sql NOT LIKE 'CREATE VIRTUAL%')",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        same = strcmp((const char *)sqlite3_column_text(q, 0), key) == 0;
    sqlite3_finalize(q);
    free(key);
    return same;
}

static bool count_ok(sqlite3_stmt *q, int col, uint64_t max, uint64_t *out)
{
    if (sqlite3_column_type(q, col) != SQLITE_INTEGER) return false;
    sqlite3_int64 v = sqlite3_column_int64(q, col);
    *out = (uint64_t)v;
    return v >= 0 && (uint64_t)v <= max;
}

/* The rows being read back: *n of them, the last one's items seen. */
typedef struct saved_rows {
    dqmi_mem_row *rows;
    size_t n, cap;
    int items; /* of the last row */
    uint64_t records;
} saved_rows;

/* A new group and file (a row of the passes), checked against the last. */
static bool saved_group(saved_rows *r, sqlite3_stmt *q, const didq_dqmi_spec *sp, int nfiles,
                        uint64_t total)
{
    const char *grp = (const char *)sqlite3_column_text(q, 2);
    int file = sqlite3_column_int(q, 1);
    uint64_t records;
    if (r->n && r->items != sp->n) return false; /* the last group ended early */
    if (sqlite3_column_type(q, 1) != SQLITE_INTEGER || file < 1 || file > nfiles ||
        !count_ok(q, 3, total - r->records, &records) || records == 0 ||
        (grp && sqlite3_column_bytes(q, 2) > 256))
        return false;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->rows = didq_xrealloc(r->rows, r->cap * sizeof *r->rows);
    }
    dqmi_mem_row *w = &r->rows[r->n++];
    w->file = file;
    w->grp = grp ? didq_strdup(grp) : NULL;
    w->records = records;
    w->c = didq_xcalloc((size_t)sp->n * DQMI_MEM_PER + 1, sizeof *w->c);
    r->records += records;
    r->items = 0;
    return true;
}

/* One row of dqmi_counts: group row, spec item i (rows in order); false
 * if it is not the one expected or its counts do not fit its records. */
static bool saved_row(saved_rows *r, sqlite3_stmt *q, const didq_dqmi_spec *sp, int nfiles,
                      uint64_t total)
{
    sqlite3_int64 row = sqlite3_column_int64(q, 0);
    if (sqlite3_column_type(q, 0) != SQLITE_INTEGER) return false;
    if (!r->n || row != (sqlite3_int64)r->n - 1) {
        if (row != (sqlite3_int64)r->n || !saved_group(r, q, sp, nfiles, total)) return false;
    }
    dqmi_mem_row *w = &r->rows[r->n - 1];
    const char *grp = (const char *)sqlite3_column_text(q, 2);
    int i = r->items;
    uint64_t records, v[DQMI_MEM_PER];
    if (i >= sp->n || sqlite3_column_int(q, 1) != w->file || (grp == NULL) != (w->grp == NULL) ||
        (grp && strcmp(grp, w->grp) != 0) || !count_ok(q, 3, total, &records) ||
        records != w->records || sqlite3_column_type(q, 4) != SQLITE_INTEGER ||
        sqlite3_column_int64(q, 4) != sp->items[i].item ||
        !count_ok(q, 5, records, &v[DQMI_MEM_BLANK]) ||
        !count_ok(q, 6, records, &v[DQMI_MEM_DEFAULT]) ||
        !count_ok(q, 7, records - v[DQMI_MEM_BLANK], &v[DQMI_MEM_BAD]) ||
        !count_ok(q, 8,
                  v[DQMI_MEM_BAD] < v[DQMI_MEM_DEFAULT] ? v[DQMI_MEM_BAD] : v[DQMI_MEM_DEFAULT],
                  &v[DQMI_MEM_BAD_DEFAULT]))
        return false;
    memcpy(w->c + (size_t)i * DQMI_MEM_PER, v, sizeof v);
    r->items++;
    return true;
}

/* A saved session's rows of the passes for sp (*n of them), or NULL when
 * it keeps none for sp or they do not add up to its records. */
dqmi_mem_row *dqmi_rows_saved(didq_session *s, const didq_dqmi_spec *sp, int nfiles, size_t *n)
{
    sqlite3 *db = didq_session_db(s);
    *n = 0;
    if (didq_session_recstore(s) || sp->n == 0 || !saved_for(db, sp)) return NULL;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT row, file, grp, records, item, blank, defaults, bad, bad_default"
                           " FROM dqmi_counts ORDER BY rowid",
                           -1, &q, NULL) != SQLITE_OK)
        return NULL;
    uint64_t total = didq_session_records(s);
    saved_rows r = {0};
    bool ok = true;
    int rc;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW)
        ok = saved_row(&r, q, sp, nfiles, total);
    ok = ok && rc == SQLITE_DONE && (!r.n || r.items == sp->n) && r.records == total;
    sqlite3_finalize(q);
    if (!ok || !r.n) {
        dqmi_mem_free(r.rows, r.n);
        return NULL;
    }
    *n = r.n;
    return r.rows;
}
