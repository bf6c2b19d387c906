/* store.c: the SQLite store: schema, bulk load, post-load work. */
#include "didq/store.h"
#include "didq/date.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct didq_store {
    sqlite3 *db;
    const didq_dataset *ds;
    sqlite3_stmt *ins_record, *ins_finding, *ins_file_finding;
    int64_t next_id;
    uint32_t nfiles;
    int date_cols[DIDQ_MAX_ITEMS]; /* item indexes of date items */
    int ndates;
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
    " err_records INTEGER, warn_records INTEGER, file_reject INTEGER, verdict TEXT);"
    "CREATE TABLE findings(rec INTEGER, rule INTEGER, item INTEGER);"
    "CREATE TABLE file_findings(file INTEGER, code TEXT, line INTEGER, message TEXT,"
    " reject INTEGER);"
    "CREATE TABLE rules(id INTEGER PRIMARY KEY, code TEXT, severity TEXT, checked INTEGER,"
    " why TEXT, fields TEXT, message TEXT, records INTEGER);"
    "CREATE TABLE items(id INTEGER PRIMARY KEY, field TEXT, label TEXT, status TEXT,"
    " blank INTEGER, invalid INTEGER);"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value);";

/* records: id, file, recno, line, offset, flags, nerr, nwarn, f1..fN (raw),
 * x (extra columns), site, acc, setting, nhs (cleansed keys), d<N> (dates). */
static void create_records(didq_store *st)
{
    didq_buf sql = {0};
    didq_buf_puts(&sql, "CREATE TABLE records(id INTEGER PRIMARY KEY, file INTEGER,"
                        " recno INTEGER, line INTEGER, offset INTEGER, flags INTEGER,"
                        " nerr INTEGER, nwarn INTEGER");
    for (int i = 0; i < st->ds->nitems; i++)
        didq_buf_printf(&sql, ", f%d TEXT", i + 1);
    didq_buf_puts(&sql, ", x TEXT, site TEXT, acc TEXT, setting TEXT, nhs TEXT");
    for (int k = 0; k < st->ndates; k++)
        didq_buf_printf(&sql, ", d%d INTEGER", st->date_cols[k] + 1);
    didq_buf_puts(&sql, ")");
    didq_exec(st->db, sql.p);
    didq_buf_free(&sql);
}

static void prepare_inserts(didq_store *st)
{
    didq_buf sql = {0};
    int ncols = 8 + st->ds->nitems + 5 + st->ndates;
    didq_buf_puts(&sql, "INSERT INTO records VALUES(?");
    for (int i = 1; i < ncols; i++)
        didq_buf_puts(&sql, ",?");
    didq_buf_puts(&sql, ")");
    st->ins_record = didq_prepare(st->db, sql.p);
    didq_buf_free(&sql);
    st->ins_finding = didq_prepare(st->db, "INSERT INTO findings VALUES(?,?,?)");
    st->ins_file_finding =
        didq_prepare(st->db, "INSERT INTO file_findings VALUES(?,?,?,?,?)");
}

didq_store *didq_store_open(const char *path, const didq_dataset *ds, char *err, size_t errlen)
{
    didq_store *st = didq_xcalloc(1, sizeof *st);
    st->ds = ds;
    if (sqlite3_open_v2(path ? path : ":memory:", &st->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path ? path : ":memory:", sqlite3_errmsg(st->db));
        sqlite3_close(st->db);
        free(st);
        return NULL;
    }
    for (int i = 0; i < ds->nitems; i++)
        if (ds->items[i].is_date)
            st->date_cols[st->ndates++] = i;
    didq_exec(st->db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                      " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-262144;"
                      " PRAGMA locking_mode=EXCLUSIVE;");
    didq_exec(st->db, schema_fixed);
    create_records(st);
    prepare_inserts(st);
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

static void bind_text_or_null(sqlite3_stmt *s, int col, const char *p, uint32_t n)
{
    if (p)
        sqlite3_bind_text(s, col, p, (int)n, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, col);
}

static void bind_key(sqlite3_stmt *s, int col, const didq_record *r, int item)
{
    if (r->f[item].raw)
        sqlite3_bind_text(s, col, r->f[item].val, (int)r->f[item].len, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, col);
}

static void insert_findings(didq_store *st, int64_t id, const didq_hit *hits, int nhits)
{
    for (int i = 0; i < nhits; i++) {
        sqlite3_bind_int64(st->ins_finding, 1, id);
        sqlite3_bind_int(st->ins_finding, 2, hits[i].rule);
        sqlite3_bind_int(st->ins_finding, 3, hits[i].item);
        sqlite3_step(st->ins_finding);
        sqlite3_reset(st->ins_finding);
    }
}

void didq_store_add_record(didq_store *st, const didq_record *r, const didq_hit *hits, int nhits,
                           int nerr, int nwarn)
{
    sqlite3_stmt *s = st->ins_record;
    int64_t id = ++st->next_id;
    int c = 1;
    sqlite3_bind_int64(s, c++, id);
    sqlite3_bind_int(s, c++, (int)r->file);
    sqlite3_bind_int64(s, c++, (sqlite3_int64)r->recno);
    sqlite3_bind_int64(s, c++, (sqlite3_int64)r->line);
    sqlite3_bind_int64(s, c++, (sqlite3_int64)r->offset);
    sqlite3_bind_int(s, c++, (int)r->flags);
    sqlite3_bind_int(s, c++, nerr);
    sqlite3_bind_int(s, c++, nwarn);
    for (int i = 0; i < st->ds->nitems; i++)
        bind_text_or_null(s, c++, r->f[i].raw, r->f[i].raw_len);
    bind_text_or_null(s, c++, r->extra, r->extra_len);
    bind_key(s, c++, r, DIDQ_SITE);
    bind_key(s, c++, r, DIDQ_ACCESSION);
    bind_key(s, c++, r, DIDQ_SETTING);
    bind_key(s, c++, r, DIDQ_NHS_NUMBER);
    for (int k = 0; k < st->ndates; k++) {
        int32_t d = r->date[st->date_cols[k]];
        if (d == DIDQ_NODATE)
            sqlite3_bind_null(s, c++);
        else
            sqlite3_bind_int(s, c++, d);
    }
    if (sqlite3_step(s) != SQLITE_DONE)
        didq_die("internal error: insert failed: %s", sqlite3_errmsg(st->db));
    sqlite3_reset(s);
    insert_findings(st, id, hits, nhits);
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

sqlite3 *didq_store_db(didq_store *st)
{
    return st->db;
}

void didq_store_close(didq_store *st)
{
    if (!st)
        return;
    sqlite3_finalize(st->ins_record);
    sqlite3_finalize(st->ins_finding);
    sqlite3_finalize(st->ins_file_finding);
    sqlite3_close(st->db);
    free(st);
}
