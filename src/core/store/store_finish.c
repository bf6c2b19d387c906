/* store_finish.c: what happens once every file is loaded: the cross-record
 * rule (DIDS071), the look-up indexes of the record store, the rule and item
 * tables, and the file verdicts. */
#include "recstore.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdio.h>

static void write_rules(sqlite3 *db, const didq_ruleset *rs, const uint64_t *counts)
{
    sqlite3_stmt *s = didq_prepare(db, "INSERT INTO rules VALUES(?,?,?,?,?,?,?,?)");
    for (int i = 0; i < rs->n; i++) {
        const didq_crule *cr = &rs->rules[i];
        didq_buf fields = {0};
        for (int k = 0; k < cr->def->nfields; k++)
            didq_buf_printf(&fields, "%s%s", k ? " " : "", rs->ds->items[cr->f[k]].field);
        sqlite3_bind_int(s, 1, i);
        sqlite3_bind_text(s, 2, cr->def->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, cr->def->severity == DIDQ_ERROR ? "error" : "warning", -1,
                          SQLITE_STATIC);
        sqlite3_bind_int(s, 4, cr->checked);
        sqlite3_bind_text(s, 5, cr->why, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 6, fields.p, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 7, cr->def->message, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 8, (sqlite3_int64)counts[i]);
        sqlite3_step(s);
        sqlite3_reset(s);
        didq_buf_free(&fields);
    }
    sqlite3_finalize(s);
}

static void write_items(sqlite3 *db, const didq_dataset *ds, const uint64_t *blank,
                        const uint64_t *invalid)
{
    sqlite3_stmt *s = didq_prepare(db, "INSERT INTO items VALUES(?,?,?,?,?,?)");
    for (int i = 0; i < ds->nitems; i++) {
        sqlite3_bind_int(s, 1, i);
        sqlite3_bind_text(s, 2, ds->items[i].field, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, ds->items[i].label, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, ds->items[i].status, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, (sqlite3_int64)blank[i]);
        sqlite3_bind_int64(s, 6, (sqlite3_int64)invalid[i]);
        sqlite3_step(s);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
}

/* Records with a finding of rule on item and no other finding on item
 * (findings are sorted by record, then rule). */
static uint64_t only_finding_on_item(didq_recstore *rs, int rule, int item)
{
    uint64_t n, count = 0;
    const didq_finding *f = didq_recstore_findings(rs, &n);
    for (uint64_t i = 0; i < n;) {
        uint64_t j = i;
        int has = 0, other = 0;
        for (; j < n && f[j].rec == f[i].rec; j++) {
            has |= f[j].rule == rule;
            other |= f[j].rule != rule && f[j].item == item;
        }
        count += has && !other;
        i = j;
    }
    return count;
}

/* Records, and records with errors or warnings, per file. */
static void write_verdicts(sqlite3 *db, didq_recstore *rs)
{
    sqlite3_stmt *s = didq_prepare(db, "UPDATE files SET records = ?, err_records = ?,"
                                       " warn_records = ? WHERE id = ?");
    sqlite3_stmt *q = didq_prepare(db, "SELECT id FROM files");
    while (sqlite3_step(q) == SQLITE_ROW) {
        int file = sqlite3_column_int(q, 0);
        uint32_t first, last;
        int64_t n = 0, err = 0, warn = 0;
        didq_recstore_file_range(rs, file, &first, &last);
        for (uint32_t id = first; first && id <= last; id++) {
            const didq_recmeta *m = didq_recstore_meta(rs, id);
            n++;
            err += m->nerr > 0;
            warn += m->nwarn > 0;
        }
        sqlite3_bind_int64(s, 1, n);
        sqlite3_bind_int64(s, 2, err);
        sqlite3_bind_int64(s, 3, warn);
        sqlite3_bind_int(s, 4, file);
        sqlite3_step(s);
        sqlite3_reset(s);
    }
    sqlite3_finalize(q);
    sqlite3_finalize(s);
    didq_exec(db, "UPDATE files SET file_reject = EXISTS (SELECT 1 FROM file_findings ff"
                  " WHERE ff.file = files.id AND ff.reject);"
                  "UPDATE files SET verdict = CASE WHEN file_reject OR err_records > 0"
                  " THEN 'rejected' ELSE 'accepted' END;");
}

void didq_store_finish(didq_store *st, const didq_ruleset *rs, const uint64_t *rule_counts,
                       const uint64_t *blank, const uint64_t *invalid)
{
    sqlite3 *db = didq_store_db(st);
    didq_recstore *rec = didq_store_recstore(st);
    uint64_t counts[256] = {0}, inval[DIDQ_MAX_ITEMS] = {0};
    for (int i = 0; i < rs->n && i < 256; i++)
        counts[i] = rule_counts[i];
    for (int i = 0; i < rs->ds->nitems; i++)
        inval[i] = invalid[i];
    for (int i = 0; i < rs->n; i++)
        if (rs->rules[i].cross)
            counts[i] = didq_recstore_duplicates(rec, rs->rules[i].f[0], rs->rules[i].f[1], i);
    didq_recstore_seal(rec);
    for (int i = 0; i < rs->n; i++)
        if (rs->rules[i].cross)
            inval[rs->rules[i].f[0]] += only_finding_on_item(rec, i, rs->rules[i].f[0]);
    write_rules(db, rs, counts);
    write_items(db, rs->ds, blank, inval);
    write_verdicts(db, rec);
    didq_exec(db, "COMMIT");
}
