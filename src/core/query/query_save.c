/* query_save.c: a loaded session saved (`check --db`) with what the panes
 * of the session opened again would otherwise count from every record on
 * disk: the DQMI-style counts (dqmi_score.c), the Sites table's figures
 * per file (query_sites.c), the JSON report's per-site quality
 * (query_sitequal.c), each month's counts when several are loaded
 * (query_scope.c) and the Months pane's groups (query_months.c),
 * beside the analyses the session saves itself. */
#include "didq/dqmi.h"
#include "didq/query.h"
#include "didq/session.h"
#include "didq/util.h"
#include "query_scope.h"
#include "query_sites.h"

#include <stdlib.h>

int didq_save_table(sqlite3 *db, const char *create, const char *insert, sqlite3_stmt **q)
{
    *q = NULL;
    int rc = sqlite3_exec(db, create, NULL, NULL, NULL);
    return rc == SQLITE_OK ? sqlite3_prepare_v2(db, insert, -1, q, NULL) : rc;
}

void didq_blob_u32_bind(sqlite3_stmt *q, int col, const uint64_t *v, size_t n)
{
    unsigned char *b = didq_xmalloc(4 * n + 1);
    for (size_t k = 0; k < n; k++)
        for (int j = 0; j < 4; j++)
            b[4 * k + (size_t)j] = (unsigned char)((uint32_t)v[k] >> (8 * j));
    sqlite3_bind_blob(q, col, b, (int)(4 * n), free);
}

bool didq_blob_u32_read(sqlite3_stmt *q, int col, uint64_t *v, size_t n, const uint64_t *max,
                        bool each)
{
    const unsigned char *b = sqlite3_column_blob(q, col);
    if (sqlite3_column_type(q, col) != SQLITE_BLOB || (size_t)sqlite3_column_bytes(q, col) != 4 * n)
        return false;
    for (size_t k = 0; k < n; k++) {
        v[k] = (uint32_t)b[4 * k] | (uint32_t)b[4 * k + 1] << 8 | (uint32_t)b[4 * k + 2] << 16 |
               (uint32_t)b[4 * k + 3] << 24;
        if (v[k] > max[each ? k : 0]) return false;
    }
    return true;
}

typedef struct save_ctx {
    didq_session *s;
    const didq_dqmi_spec *sp;
} save_ctx;

static int save_panes(sqlite3 *db, void *p, char *err, size_t errlen)
{
    save_ctx *c = p;
    if (didq_dqmi_save(c->s, c->sp, db, err, errlen) != 0 ||
        didq_query_sites_save(c->s, db, err, errlen) != 0 ||
        didq_query_site_quality_save(c->s, db, err, errlen) != 0 ||
        didq_scope_counts_save(c->s, db, err, errlen) != 0)
        return -1;
    return didq_query_months_save(c->s, db, err, errlen);
}

int didq_query_save(didq_session *s, const char *path, bool overwrite, const didq_dqmi_spec *sp,
                    char *err, size_t errlen)
{
    static didq_dqmi_spec builtin;
    if (!sp) {
        if (!builtin.n) didq_dqmi_spec_default(&builtin);
        sp = &builtin;
    }
    save_ctx c = {s, sp};
    return didq_session_save_with(s, path, overwrite, save_panes, &c, err, errlen);
}
