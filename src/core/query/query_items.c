/* query_items.c: the tables of the Completeness pane (blank and invalid
 * per item, beside the national benchmarks) and the Duplicates pane (the
 * groups of DIDS071), and a record's findings; split from query_panes.c,
 * each one query over the finished store, within a scope (query.h). */
#include "didq/query.h"
#include "didq/rules.h"
#include "didq/store.h"
#include "didq/table.h"
#include "didq/util.h"
#include "query_scope.h"

#include <stdlib.h>
#include <string.h>

/* The test date's raw column in the records table. */
#define TEST_RAW DIDQ_COL_F(DIDQ_TEST_DATE)

static const char *txt(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? (const char *)t : "";
}

static double pct(uint64_t n, uint64_t of)
{
    return of ? 100.0 * (double)n / (double)of : 0.0;
}

/* Records in the scope (sc NULL: every record, from the files table). */
static uint64_t scope_records(sqlite3 *db, didq_scope *sc)
{
    if (sc) return didq_scope_counts_of(sc)->records;
    sqlite3_stmt *q = didq_prepare(db, "SELECT coalesce(sum(records), 0) FROM files");
    uint64_t n = sqlite3_step(q) == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return n;
}

/* Sets a cell's drill-down to cond within the scope. */
static void drill_in(didq_qtable *t, size_t r, int c, const char *label, didq_scope *sc,
                     const char *cond)
{
    char *w = didq_scope_and(sc, cond);
    didq_qtable_drill(t, r, c, label, "%s", w);
    sqlite3_free(w);
}

double didq_benchmark_filled(int item)
{
    static double filled[DIDQ_MAX_ITEMS];
    static int loaded;
    if (!loaded) {
        for (int i = 0; i < DIDQ_MAX_ITEMS; i++)
            filled[i] = -1;
        didq_table *t = didq_table_embedded("benchmarks/completeness-2024-25.csv");
        int cf = didq_table_col(t, "field"), cp = didq_table_col(t, "percent");
        for (size_t r = 0; r < t->nrows; r++) {
            int it = didq_dataset_item(didq_dataset_v1(), didq_table_get(t, r, cf));
            if (it >= 0 && it < DIDQ_MAX_ITEMS) filled[it] = atof(didq_table_get(t, r, cp));
        }
        didq_table_free(t);
        loaded = 1;
    }
    return item >= 0 && item < DIDQ_MAX_ITEMS ? filled[item] : -1;
}

/* The indexes of the rules about which items are given (didq_rule_presence),
 * "a, b, ..." ("-1" if none): their findings do not make a value invalid. */
static void presence_rules(const didq_session *s, char *out, size_t cap)
{
    const didq_ruleset *rs = didq_session_rules(s);
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; i < rs->n && n + 16 < cap; i++)
        if (didq_rule_presence(rs->rules[i].def))
            n += (size_t)snprintf(out + n, cap - n, "%s%d", n ? ", " : "", i);
    if (!n) snprintf(out, cap, "-1");
}

static const char *comp_head[] = {"Item", "Status", "Filled %", "Blank", "Invalid", "National %"};

didq_qtable *didq_query_completeness(didq_session *s)
{
    return didq_query_completeness_in(s, NULL);
}

didq_qtable *didq_query_completeness_in(didq_session *s, didq_scope *sc)
{
    sqlite3 *db = didq_session_db(s);
    uint64_t records = scope_records(db, sc);
    const didq_scope_counts *cnt = didq_scope_counts_of(sc);
    didq_qtable *t = didq_qtable_new(6, comp_head, "llrrrr");
    char presence[256];
    presence_rules(s, presence, sizeof presence);
    sqlite3_stmt *q =
        didq_prepare(db, "SELECT id, field, status, blank, invalid FROM items ORDER BY id");
    while (sqlite3_step(q) == SQLITE_ROW) {
        int it = sqlite3_column_int(q, 0);
        uint64_t blank = (uint64_t)sqlite3_column_int64(q, 3);
        uint64_t inval = (uint64_t)sqlite3_column_int64(q, 4);
        if (cnt && it >= 0 && it < DIDQ_MAX_ITEMS) blank = cnt->blank[it], inval = cnt->invalid[it];
        double filled = 100.0 - pct(blank, records), nat = didq_benchmark_filled(it);
        size_t r = didq_qtable_row(t);
        didq_qtable_set(t, r, 0, "%s", txt(q, 1));
        didq_qtable_set(t, r, 1, "%s", txt(q, 2));
        if (records)
            didq_qtable_set(t, r, 2, "%.1f", filled);
        else
            didq_qtable_set(t, r, 2, "-"); /* no records: none filled, none blank */
        didq_qtable_set(t, r, 3, "%llu", (unsigned long long)blank);
        didq_qtable_set(t, r, 4, "%llu", (unsigned long long)inval);
        if (nat >= 0)
            didq_qtable_set(t, r, 5, "%.1f", nat);
        else
            didq_qtable_set(t, r, 5, "-");
        t->mark[r] = records > 0 && nat >= 0 && filled < nat - 5.0;
        char given[64], blankc[64], inv[512];
        if (didq_session_recstore(s)) { /* the records table skips the others itself */
            snprintf(blankc, sizeof blankc, "r.b%d = 1", DIDQ_COL_NUM(it));
            snprintf(given, sizeof given, "r.b%d = 0", DIDQ_COL_NUM(it));
        } else {
            snprintf(blankc, sizeof blankc, "trim(coalesce(r.f%d, '')) = ''", DIDQ_COL_NUM(it));
            snprintf(given, sizeof given, "trim(coalesce(r.f%d, '')) <> ''", DIDQ_COL_NUM(it));
        }
        drill_in(t, r, 3, "blank", sc, blankc);
        snprintf(inv, sizeof inv,
                 "%s AND r.id IN (SELECT rec FROM findings WHERE item = %d AND rule NOT IN (%s))",
                 given, it, presence);
        drill_in(t, r, 4, "invalid", sc, inv);
        didq_qtable_count(t, r, 3, (int64_t)blank);
        didq_qtable_count(t, r, 4, (int64_t)inval);
    }
    sqlite3_finalize(q);
    return t;
}

static const char *dup_head[] = {"Site", "Accession", "Records", "File", "Test dates"};

/* The cross-record rule on (accession, site), DIDS071, or -1: its findings
 * are exactly the members of the groups the Duplicates pane lists. */
static int dup_rule(const didq_session *s)
{
    const didq_ruleset *rs = didq_session_rules(s);
    for (int i = 0; i < rs->n; i++) {
        const didq_crule *r = &rs->rules[i];
        if (r->cross && r->def->nfields == 2 &&
            ((r->f[0] == DIDQ_ACCESSION && r->f[1] == DIDQ_SITE) ||
             (r->f[0] == DIDQ_SITE && r->f[1] == DIDQ_ACCESSION)))
            return i;
    }
    return -1;
}

didq_qtable *didq_query_duplicates(didq_session *s)
{
    return didq_query_duplicates_in(s, NULL);
}

didq_qtable *didq_query_duplicates_in(didq_session *s, didq_scope *sc)
{
    sqlite3 *db = didq_session_db(s);
    didq_qtable *t = didq_qtable_new(5, dup_head, "llrrl");
    int rule = dup_rule(s);
    char *only =
        rule < 0 ? sqlite3_mprintf("%s", "")
                 : sqlite3_mprintf("id IN (SELECT rec FROM findings WHERE rule = %d) AND", rule);
    char *sql = sqlite3_mprintf(
        "SELECT file, site, acc, count(*), group_concat(DISTINCT coalesce(" TEST_RAW ", ''))"
        " FROM records r WHERE %s (%s) AND site <> '' AND acc <> '' GROUP BY file, site, acc"
        " HAVING count(*) > 1 ORDER BY 4 DESC, 2, 3 LIMIT 20000",
        only, didq_scope_where(sc));
    sqlite3_stmt *q = didq_prepare(db, sql);
    sqlite3_free(only);
    sqlite3_free(sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        size_t r = didq_qtable_row(t);
        didq_qtable_set(t, r, 0, "%s", txt(q, 1));
        didq_qtable_set(t, r, 1, "%s", txt(q, 2));
        didq_qtable_set(t, r, 2, "%lld", sqlite3_column_int64(q, 3));
        didq_qtable_set(t, r, 3, "%d", sqlite3_column_int(q, 0));
        didq_qtable_set(t, r, 4, "%s", txt(q, 4));
        char *w = sqlite3_mprintf("r.file = %d AND r.site = %Q AND r.acc = %Q",
                                  sqlite3_column_int(q, 0), txt(q, 1), txt(q, 2));
        didq_qtable_drill(t, r, 0, txt(q, 2), "%s", w);
        didq_qtable_count(t, r, 0, sqlite3_column_int64(q, 3));
        sqlite3_free(w);
    }
    sqlite3_finalize(q);
    return t;
}

static const char *find_head[] = {"Rule", "Severity", "Item", "Message"};

didq_qtable *didq_query_record_findings(didq_session *s, int64_t id)
{
    const didq_dataset *ds = didq_session_dataset(s);
    didq_qtable *t = didq_qtable_new(4, find_head, "llll");
    sqlite3_stmt *q =
        didq_prepare(didq_session_db(s), "SELECT ru.code, ru.severity, fi.item, ru.message FROM"
                                         " findings fi JOIN rules ru ON ru.id = fi.rule"
                                         " WHERE fi.rec = ? ORDER BY fi.item, ru.code");
    sqlite3_bind_int64(q, 1, id);
    while (sqlite3_step(q) == SQLITE_ROW) {
        size_t r = didq_qtable_row(t);
        int it = sqlite3_column_int(q, 2);
        didq_qtable_set(t, r, 0, "%s", txt(q, 0));
        didq_qtable_set(t, r, 1, "%s", txt(q, 1));
        didq_qtable_set(t, r, 2, "%d", it);
        didq_qtable_set(t, r, 3, "%s", txt(q, 3));
        t->mark[r] = strcmp(txt(q, 1), "error") == 0;
        (void)ds;
    }
    sqlite3_finalize(q);
    didq_query_line_findings(didq_session_db(s), t, id);
    return t;
}
