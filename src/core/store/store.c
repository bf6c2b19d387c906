/* store.c: the SQLite store: schema, bulk load, post-load work. */
#include "didq/store.h"
#include "didq/date.h"
#include "recstore.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct didq_store {
    sqlite3 *db;
    const didq_dataset *ds;
    didq_recstore *rs;
    sqlite3_stmt *ins_file_finding;
    uint32_t nfiles;
};

void didq_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        didq_die("internal error: SQL failed: %s\n%s", msg ? msg : "?", sql);
}

sqlite3_stmt *didq_prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        didq_die("internal error: SQL does not compile: %s\n%s", sqlite3_errmsg(db), sql);
    return st;
}

static const char schema_fixed[] =
    "CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT, format TEXT, records INTEGER,"
    " err_records INTEGER, warn_records INTEGER, file_reject INTEGER, verdict TEXT,"
    " month TEXT, outside_month INTEGER, no_test_date INTEGER);"
    "CREATE TABLE file_findings(file INTEGER, code TEXT, line INTEGER, message TEXT,"
    " reject INTEGER);"
    "CREATE INDEX file_findings_line ON file_findings(file, line);"
    "CREATE TABLE rules(id INTEGER PRIMARY KEY, code TEXT, severity TEXT, checked INTEGER,"
    " why TEXT, fields TEXT, message TEXT, records INTEGER);"
    "CREATE TABLE items(id INTEGER PRIMARY KEY, field TEXT, label TEXT, status TEXT,"
    " blank INTEGER, invalid INTEGER);"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value);";

static didq_recstore *new_recstore(const didq_dataset *ds)
{
    int dates[DIDQ_MAX_ITEMS], ndates = 0;
    for (int i = 0; i < ds->nitems; i++)
        if (ds->items[i].is_date) dates[ndates++] = i;
    didq_recstore *rs = didq_recstore_new(ds->nitems, dates, ndates);
    didq_recstore_set_key_item(rs, DIDQ_SITE);
    didq_recstore_set_dup_items(rs, DIDQ_ACCESSION, DIDQ_SITE);
    return rs;
}

didq_store *didq_store_open(const char *path, const didq_dataset *ds, char *err, size_t errlen)
{
    didq_store *st = didq_xcalloc(1, sizeof *st);
    st->ds = ds;
    if (didq_db_open(path ? path : ":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &st->db,
                     err, errlen) != 0) {
        free(st);
        return NULL;
    }
    didq_exec(st->db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                      " PRAGMA locking_mode=EXCLUSIVE;");
    didq_exec(st->db, schema_fixed);
    st->rs = new_recstore(ds);
    didq_recstore_register(st->rs, st->db);
    st->ins_file_finding = didq_prepare(st->db, "INSERT INTO file_findings VALUES(?,?,?,?,?)");
    didq_exec(st->db, "BEGIN");
    return st;
}

uint32_t didq_store_add_file(didq_store *st, const char *path, const char *format)
{
    sqlite3_stmt *s = didq_prepare(st->db, "INSERT INTO files(id, path, format) VALUES(?,?,?)");
    sqlite3_bind_int(s, 1, (int)++st->nfiles);
    sqlite3_bind_text(s, 2, path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, format, -1, SQLITE_STATIC);
    sqlite3_step(s);
    sqlite3_finalize(s);
    return st->nfiles;
}

void didq_store_drop_last_file(didq_store *st, uint32_t file)
{
    if (file != st->nfiles || !file) return;
    sqlite3_stmt *s = didq_prepare(st->db, "DELETE FROM files WHERE id = ?1;");
    sqlite3_bind_int(s, 1, (int)file);
    sqlite3_step(s);
    sqlite3_finalize(s);
    s = didq_prepare(st->db, "DELETE FROM file_findings WHERE file = ?1");
    sqlite3_bind_int(s, 1, (int)file);
    sqlite3_step(s);
    sqlite3_finalize(s);
    st->nfiles--;
}

void didq_store_file_month(didq_store *st, uint32_t file, const didq_file_month *m)
{
    sqlite3_stmt *s = didq_prepare(st->db, "UPDATE files SET month = ?, outside_month = ?,"
                                           " no_test_date = ? WHERE id = ?");
    char month[8];
    didq_month_format(m->month, month);
    if (m->month == DIDQ_NOMONTH)
        sqlite3_bind_null(s, 1);
    else
        sqlite3_bind_text(s, 1, month, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)m->outside);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)m->undated);
    sqlite3_bind_int(s, 4, (int)file);
    sqlite3_step(s);
    sqlite3_finalize(s);
}

uint32_t didq_store_add_record(didq_store *st, const didq_record *r, const didq_hit *hits,
                               int nhits, int nerr, int nwarn)
{
    uint32_t id = didq_recstore_add(st->rs, r, nerr, nwarn);
    for (int i = 0; i < nhits; i++)
        didq_recstore_add_finding(st->rs, id, hits[i].rule, hits[i].item);
    return id;
}

void didq_store_add_file_finding(didq_store *st, uint32_t file, const char *code, uint64_t line,
                                 const char *message)
{
    const didq_file_rule *fr = didq_dataset_file_rule(st->ds, code);
    sqlite3_stmt *s = st->ins_file_finding;
    sqlite3_bind_int(s, 1, (int)file);
    sqlite3_bind_text(s, 2, code, -1, SQLITE_TRANSIENT);
    if (line)
        sqlite3_bind_int64(s, 3, (sqlite3_int64)line);
    else
        sqlite3_bind_null(s, 3);
    sqlite3_bind_text(s, 4, message ? message : fr ? fr->message : code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 5, fr && fr->reject);
    sqlite3_step(s);
    sqlite3_reset(s);
}

void didq_store_meta(didq_store *st, const char *key, const char *value)
{
    sqlite3_stmt *q = didq_prepare(st->db, "INSERT OR REPLACE INTO meta VALUES(?, ?)");
    sqlite3_bind_text(q, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, value, -1, SQLITE_TRANSIENT);
    sqlite3_step(q);
    sqlite3_finalize(q);
}

sqlite3 *didq_store_db(didq_store *st)
{
    return st->db;
}

didq_recstore *didq_store_recstore(didq_store *st)
{
    return st->rs;
}

void didq_store_close(didq_store *st)
{
    if (!st) return;
    sqlite3_finalize(st->ins_file_finding);
    sqlite3_close(st->db);
    didq_recstore_free(st->rs);
    free(st);
}
