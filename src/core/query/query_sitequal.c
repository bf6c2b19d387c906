/* query_sitequal.c: per site, the records of each rule and each item's
 * blank and invalid records (query.h, didq_query_site_quality), for the
 * JSON report's `sites` (a script ranks the sites with them).  The sites
 * are the Overview's: grouped and ordered as its per-site table (the
 * invalid codes in one group, last; absent and only spaces apart).  In
 * memory one pass over the record store; a saved session reads the rows
 * check --db kept (site_quality), or without them counts in SQL. */
#include "didq/query.h"
#include "didq/rules.h"
#include "didq/store.h"
#include "didq/util.h"
#include "query_sites.h"
#include "recstore_sites.h"

#include <stdlib.h>
#include <string.h>

/* Per rule index: true for a rule about which items are given, whose
 * findings do not make a value invalid (as the Completeness pane). */
static unsigned char *presence_of(const didq_ruleset *rules)
{
    unsigned char *p = didq_xcalloc((size_t)rules->n + 1, 1);
    for (int i = 0; i < rules->n; i++)
        p[i] = didq_rule_presence(rules->rules[i].def);
    return p;
}

static char *label(const char *site, size_t n, bool null, bool invalid)
{
    if (invalid) return didq_strdup("(invalid site)");
    if (null || !n) return didq_strdup("(blank)");
    char *p = didq_xmalloc(n + 1);
    memcpy(p, site, n);
    p[n] = 0;
    return p;
}

static didq_site_quality *from_store(const didq_recstore *rs, const didq_ruleset *rules, int nitems,
                                     size_t *n)
{
    unsigned char *pres = presence_of(rules);
    uint64_t *m;
    didq_site_counts *c = didq_site_counts_scan_quality(rs, rules->n, pres, &m, n);
    didq_site_quality *q = didq_xcalloc(*n + 1, sizeof *q);
    for (size_t i = 0; i < *n; i++) {
        q[i].site = label(c[i].site, c[i].len, c[i].null, c[i].invalid);
        q[i].records = c[i].records;
        q[i].rule = didq_xcalloc((size_t)rules->n + 1, sizeof *q[i].rule);
        if (rules->n)
            memcpy(q[i].rule, m + (size_t)c[i].row * (size_t)rules->n,
                   (size_t)rules->n * sizeof *m);
        for (int k = 0; k < nitems; k++) {
            q[i].blank[k] = c[i].blank[k];
            q[i].invalid[k] = c[i].invalid_items[k];
        }
    }
    free(c);
    free(m);
    free(pres);
    return q;
}

_Static_assert(DIDQ_REC_BAD_SITE == 64, "the SQL tests flags & 64");
/* The saved records are grouped as the Overview groups sites
 * (query_panes.c): the invalid codes (flags & 64) in one group. */

/* A group's key in the saved session: invalid, absent, the code. */
typedef struct group_key {
    bool bad, null;
    char *site;
} group_key;

static int cmp_key(const group_key *a, const group_key *b)
{
    if (a->bad != b->bad) return a->bad ? 1 : -1;
    if (a->null != b->null) return a->null ? -1 : 1;
    return a->null ? 0 : strcmp(a->site, b->site);
}

static group_key key_of(sqlite3_stmt *q)
{
    const unsigned char *t = sqlite3_column_text(q, 0);
    group_key k = {sqlite3_column_int(q, 1) != 0, sqlite3_column_type(q, 0) == SQLITE_NULL,
                   (char *)(t ? t : (const unsigned char *)"")};
    return k;
}

/* The records, blank and invalid per item, of each group, most records
 * first (the Overview's order).  h.m is the record's items hit by a rule
 * about a value (the sum of distinct powers of two is their OR). */
static sqlite3_stmt *groups_sql(sqlite3 *db, const didq_ruleset *rules, int nitems)
{
    didq_buf pres = {0}, sql = {0};
    didq_buf_puts(&pres, "-1");
    for (int i = 0; i < rules->n; i++)
        if (didq_rule_presence(rules->rules[i].def)) didq_buf_printf(&pres, ", %d", i);
    didq_buf_puts(&sql, "SELECT CASE WHEN ((r.flags & 64) <> 0) THEN NULL ELSE r.site END,"
                        " (r.flags & 64) <> 0, count(*)");
    for (int i = 0; i < nitems; i++)
        didq_buf_printf(&sql, ", sum(trim(coalesce(r.f%d, '')) = '')", DIDQ_COL_NUM(i));
    for (int i = 0; i < nitems; i++)
        didq_buf_printf(&sql,
                        ", sum(trim(coalesce(r.f%d, '')) <> '' AND (coalesce(h.m, 0) >> %d) & 1)",
                        DIDQ_COL_NUM(i), i);
    didq_buf_printf(&sql,
                    " FROM records r LEFT JOIN (SELECT rec, sum(DISTINCT 1 << item) AS m"
                    " FROM findings WHERE rule NOT IN (%s) AND item BETWEEN 0 AND 31 GROUP BY rec)"
                    " h ON h.rec = r.id GROUP BY 2, 1 ORDER BY 2, 3 DESC, 1",
                    pres.p);
    sqlite3_stmt *q = didq_prepare(db, sql.p);
    didq_buf_free(&sql);
    didq_buf_free(&pres);
    return q;
}

/* The group of key k among keys (sorted, with their index into q), or -1. */
static long find_group(const group_key *keys, const size_t *idx, size_t n, const group_key *k)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t m = (a + b) / 2;
        int c = cmp_key(&keys[idx[m]], k);
        if (c == 0) return (long)idx[m];
        if (c < 0)
            a = m + 1;
        else
            b = m;
    }
    return -1;
}

static const group_key *sort_keys;
static int cmp_idx(const void *x, const void *y)
{
    return cmp_key(&sort_keys[*(const size_t *)x], &sort_keys[*(const size_t *)y]);
}

static void rules_sql(sqlite3 *db, const didq_ruleset *rules, didq_site_quality *q, group_key *keys,
                      size_t n)
{
    size_t *idx = didq_xcalloc(n + 1, sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_keys = keys;
    if (n) qsort(idx, n, sizeof *idx, cmp_idx);
    sqlite3_stmt *st =
        didq_prepare(db, "SELECT CASE WHEN ((r.flags & 64) <> 0) THEN NULL ELSE r.site END,"
                         " (r.flags & 64) <> 0, fi.rule, count(DISTINCT fi.rec) FROM findings fi"
                         " JOIN records r ON r.id = fi.rec GROUP BY 2, 1, 3");
    while (sqlite3_step(st) == SQLITE_ROW) {
        group_key k = key_of(st);
        long g = find_group(keys, idx, n, &k);
        int rule = sqlite3_column_int(st, 2);
        if (g >= 0 && rule >= 0 && rule < rules->n)
            q[g].rule[rule] = (uint64_t)sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    free(idx);
}

static didq_site_quality *from_sql(sqlite3 *db, const didq_ruleset *rules, int nitems, size_t *n)
{
    sqlite3_stmt *st = groups_sql(db, rules, nitems);
    didq_site_quality *q = NULL;
    group_key *keys = NULL;
    size_t cap = 0;
    *n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            q = didq_xrealloc(q, (cap + 1) * sizeof *q);
            keys = didq_xrealloc(keys, (cap + 1) * sizeof *keys);
        }
        group_key k = key_of(st);
        k.site = didq_strdup(k.site);
        keys[*n] = k;
        didq_site_quality *e = &q[(*n)++];
        memset(e, 0, sizeof *e);
        e->site = label(k.site, strlen(k.site), k.null, k.bad);
        e->records = (uint64_t)sqlite3_column_int64(st, 2);
        e->rule = didq_xcalloc((size_t)rules->n + 1, sizeof *e->rule);
        for (int i = 0; i < nitems; i++) {
            e->blank[i] = (uint64_t)sqlite3_column_int64(st, 3 + i);
            e->invalid[i] = (uint64_t)sqlite3_column_int64(st, 3 + nitems + i);
        }
    }
    sqlite3_finalize(st);
    rules_sql(db, rules, q, keys, *n);
    for (size_t i = 0; i < *n; i++)
        free(keys[i].site);
    free(keys);
    return q ? q : didq_xcalloc(1, sizeof *q);
}

/* ---- kept in a saved session (check --db: site_quality) ----
 *
 * The sites as from_store counts them, one row each in order: the label,
 * its records, and as blobs of 32-bit little-endian counts the records per
 * rule (the session's rules, by index), and per item the blank and the
 * invalid ones.  The session opened again reads them instead of grouping
 * every record and finding on disk. */

int didq_query_site_quality_save(didq_session *s, sqlite3 *db, char *err, size_t errlen)
{
    if (!didq_session_recstore(s)) return 0; /* not a loaded session: nothing kept */
    const didq_dataset *ds = didq_session_dataset(s);
    size_t nitems = (size_t)(ds->nitems < DIDQ_MAX_ITEMS ? ds->nitems : DIDQ_MAX_ITEMS), n;
    size_t nrules = (size_t)didq_session_rules(s)->n;
    didq_site_quality *v = didq_query_site_quality(s, &n);
    sqlite3_stmt *q;
    int rc =
        didq_save_table(db,
                        "CREATE TABLE disk.site_quality(row INTEGER, site TEXT, records INTEGER,"
                        " rules BLOB, blank BLOB, invalid BLOB)",
                        "INSERT INTO disk.site_quality VALUES(?,?,?,?,?,?)", &q);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)i);
        sqlite3_bind_text(q, 2, v[i].site, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, (sqlite3_int64)v[i].records);
        didq_blob_u32_bind(q, 4, v[i].rule, nrules);
        didq_blob_u32_bind(q, 5, v[i].blank, nitems);
        didq_blob_u32_bind(q, 6, v[i].invalid, nitems);
        rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(q);
    }
    if (rc != SQLITE_OK) snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    didq_site_quality_free(v, n);
    return rc == SQLITE_OK ? 0 : -1;
}

static bool kept_row(sqlite3_stmt *q, size_t i, size_t nrules, size_t nitems, uint64_t left,
                     didq_site_quality *e)
{
    const char *site = (const char *)sqlite3_column_text(q, 1);
    sqlite3_int64 records = sqlite3_column_int64(q, 2);
    if (sqlite3_column_type(q, 0) != SQLITE_INTEGER || sqlite3_column_int64(q, 0) != (int64_t)i ||
        sqlite3_column_type(q, 1) != SQLITE_TEXT || sqlite3_column_bytes(q, 1) > 256 ||
        strlen(site) != (size_t)sqlite3_column_bytes(q, 1) ||
        sqlite3_column_type(q, 2) != SQLITE_INTEGER || records < 1 || (uint64_t)records > left)
        return false;
    e->site = didq_strdup(site);
    e->records = (uint64_t)records;
    e->rule = didq_xcalloc(nrules + 1, sizeof *e->rule);
    uint64_t filled[DIDQ_MAX_ITEMS];
    if (!didq_blob_u32_read(q, 3, e->rule, nrules, &e->records, false) ||
        !didq_blob_u32_read(q, 4, e->blank, nitems, &e->records, false))
        return false;
    for (size_t k = 0; k < nitems; k++)
        filled[k] = e->records - e->blank[k];
    return didq_blob_u32_read(q, 5, e->invalid, nitems, filled, true);
}

/* A saved session's sites from site_quality, or NULL (no such table, or
 * rows that do not add up to the session's records: counted again). */
static didq_site_quality *from_kept(didq_session *s, int nitems, size_t *n)
{
    sqlite3 *db = didq_session_db(s);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT row, site, records, rules, blank, invalid FROM site_quality"
                           " WHERE EXISTS (SELECT 1 FROM main.sqlite_schema WHERE name ="
                           " 'site_quality' AND type = 'table' AND sql NOT LIKE"
                           " 'CREATE VIRTUAL%') ORDER BY row",
                           -1, &q, NULL) != SQLITE_OK)
        return NULL;
    size_t nrules = (size_t)didq_session_rules(s)->n, cap = 0;
    uint64_t total = didq_session_records(s), seen = 0;
    didq_site_quality *v = NULL;
    bool ok = true;
    int rc;
    *n = 0;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            v = didq_xrealloc(v, (cap + 1) * sizeof *v);
        }
        memset(&v[*n], 0, sizeof *v);
        ok = kept_row(q, *n, nrules, (size_t)nitems, total - seen, &v[*n]);
        seen += v[(*n)++].records;
    }
    ok = ok && rc == SQLITE_DONE && seen == total && *n;
    sqlite3_finalize(q);
    if (!ok) {
        didq_site_quality_free(v, *n);
        *n = 0;
        return NULL;
    }
    return v;
}

didq_site_quality *didq_query_site_quality(didq_session *s, size_t *n)
{
    const didq_dataset *ds = didq_session_dataset(s);
    int nitems = ds->nitems < DIDQ_MAX_ITEMS ? ds->nitems : DIDQ_MAX_ITEMS;
    const didq_recstore *rs = didq_session_recstore(s);
    if (rs) return from_store(rs, didq_session_rules(s), nitems, n);
    didq_site_quality *kept = from_kept(s, nitems, n);
    if (kept) return kept;
    return from_sql(didq_session_db(s), didq_session_rules(s), nitems, n);
}

void didq_site_quality_free(didq_site_quality *q, size_t n)
{
    if (!q) return;
    for (size_t i = 0; i < n; i++) {
        free(q[i].site);
        free(q[i].rule);
    }
    free(q);
}
