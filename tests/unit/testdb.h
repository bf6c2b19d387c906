/* testdb.h: SQL helpers shared by the unit tests that check pane tables
 * against the records they drill into. */
#ifndef DIDQ_TESTDB_H
#define DIDQ_TESTDB_H

#include "didq/session.h"
#include "didq/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Saves s as dir/s.didq (dir: a mkdtemp template, filled in; path gets the
 * file's name), frees s and opens the saved copy: the saved session, or
 * NULL with the step that failed in err. */
static inline didq_session *save_reopen(didq_session *s, char *dir, char *path, size_t cap,
                                        char *err, size_t errlen)
{
    if (!mkdtemp(dir)) {
        snprintf(err, errlen, "temp dir: %s", strerror(errno));
        didq_session_free(s);
        return NULL;
    }
    snprintf(path, cap, "%s/s.didq", dir);
    int st = didq_session_save(s, path, false, err, errlen);
    didq_session_free(s);
    return st == 0 ? didq_session_open_saved(path, NULL, err, errlen) : NULL;
}

#endif
