/* store_finish.c: what happens once every file is loaded: the cross-record
 * rule (DIDS071), the rule and item tables, file verdicts, indexes. */
#include "didq/store.h"
#include "didq/util.h"

#include <stdio.h>

/* DIDS071: every record of a group sharing (file, site, accession) after
 * cleansing; blank sites or accession numbers take no part. */
static uint64_t run_duplicates(sqlite3 *db, int rule, int item)
{
    char sql[600];
    didq_exec(db, "CREATE INDEX records_dup ON records(file, site, acc)");
    snprintf(sql, sizeof sql,
             "INSERT INTO findings SELECT r.id, %d, %d FROM records r JOIN"
             " (SELECT file, site, acc FROM records WHERE site <> '' AND acc <> ''"
             "  GROUP BY file, site, acc HAVING count(*) > 1) d"
             " ON r.file = d.file AND r.site = d.site AND r.acc = d.acc",
             rule, item);
    didq_exec(db, sql);
    uint64_t n = (uint64_t)sqlite3_changes64(db);
    snprintf(sql, sizeof sql,
             "UPDATE records SET nerr = nerr + 1 WHERE id IN"
             " (SELECT rec FROM findings WHERE rule = %d)",
             rule);
    didq_exec(db, sql);
    return n;
}

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

/* Records of the duplicate rule with no other finding on the same item. */
static uint64_t dup_new_invalid(sqlite3 *db, int rule)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM findings f WHERE rule = %d AND NOT EXISTS"
             " (SELECT 1 FROM findings g WHERE g.rec = f.rec AND g.item = f.item"
             "  AND g.rule <> f.rule)",
             rule);
    sqlite3_stmt *s = didq_prepare(db, sql);
    uint64_t n = sqlite3_step(s) == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return n;
}

static void write_verdicts(sqlite3 *db)
{
    didq_exec(db,
              "UPDATE files SET (records, err_records, warn_records) ="
              " (SELECT count(*), coalesce(sum(nerr > 0), 0), coalesce(sum(nwarn > 0), 0)"
              "  FROM records WHERE records.file = files.id);"
              "UPDATE files SET file_reject = EXISTS (SELECT 1 FROM file_findings ff"
              " WHERE ff.file = files.id AND ff.reject);"
              "UPDATE files SET verdict = CASE WHEN file_reject OR err_records > 0"
              " THEN 'rejected' ELSE 'accepted' END;");
}

void didq_store_finish(didq_store *st, const didq_ruleset *rs, const uint64_t *rule_counts,
                       const uint64_t *blank, const uint64_t *invalid)
{
    sqlite3 *db = didq_store_db(st);
    uint64_t counts[256] = {0}, inval[DIDQ_MAX_ITEMS] = {0};
    for (int i = 0; i < rs->n && i < 256; i++)
        counts[i] = rule_counts[i];
    for (int i = 0; i < rs->ds->nitems; i++)
        inval[i] = invalid[i];
    didq_exec(db, "CREATE INDEX findings_rec ON findings(rec)");
    for (int i = 0; i < rs->n; i++) {
        if (!rs->rules[i].cross)
            continue;
        counts[i] = run_duplicates(db, i, rs->rules[i].f[0]);
        inval[rs->rules[i].f[0]] += dup_new_invalid(db, i);
    }
    didq_exec(db, "CREATE INDEX findings_rule ON findings(rule, rec);"
                  "CREATE INDEX records_site ON records(site);");
    write_rules(db, rs, counts);
    write_items(db, rs->ds, blank, inval);
    write_verdicts(db);
    didq_exec(db, "COMMIT");
    didq_exec(db, "ANALYZE");
}
