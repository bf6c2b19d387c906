/* testdb.h: SQL helpers shared by the unit tests that check pane tables
 * against the records they drill into. */
#ifndef DIDQ_TESTDB_H
#define DIDQ_TESTDB_H

#include "didq/store.h"

#include <sqlite3.h>
#include <stdint.h>

/* count(*) of the records matching a drill-down condition, -1 on no row. */
static inline int64_t count_where(sqlite3 *db, const char *where)
{
    char *sql = sqlite3_mprintf("SELECT count(*) FROM records r WHERE %s", where);
    sqlite3_stmt *q = didq_prepare(db, sql);
    int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    sqlite3_free(sql);
    return n;
}

#endif
