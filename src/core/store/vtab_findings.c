/* vtab_findings.c: the SQL table `findings(rec, rule, item)` over a
 * didq_recstore.  Plans: rec = ?, rule = ? (with rec ranges, for keyset
 * paging), full scan; rows come in record order. */
#include "recstore_int.h"
#include "didq/util.h"

#include <stdint.h>
#include <string.h>

enum { C_REC, C_RULE, C_ITEM };
enum { P_SCAN, P_REC, P_RULE };
enum { F_LO = 4, F_LO_GT = 8, F_HI = 16, F_HI_LT = 32, F_DESC = 64 };

typedef struct fnd_vtab {
    sqlite3_vtab base;
    didq_recstore *rs;
} fnd_vtab;

typedef struct fnd_cursor {
    sqlite3_vtab_cursor base;
    const didq_finding *all;
    const uint32_t *list; /* positions in all, or NULL for a range of all */
    uint64_t pos, end;
    int desc;
    const didq_finding *cur;
} fnd_cursor;

static int fnd_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                       sqlite3_vtab **out, char **err)
{
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(rec INTEGER, rule INTEGER, item INTEGER)");
    if (rc != SQLITE_OK) return rc;
    fnd_vtab *v = sqlite3_malloc(sizeof *v);
    if (!v) return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    v->rs = aux;
    *out = &v->base;
    return SQLITE_OK;
}

static int fnd_disconnect(sqlite3_vtab *vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

static int fnd_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii)
{
    const fnd_vtab *v = (const fnd_vtab *)vt;
    int plan = P_SCAN, eq = -1, lo = -1, hi = -1, flags = 0;
    for (int i = 0; i < ii->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
        if (!c->usable || !v->rs->sealed) continue;
        if (c->iColumn == C_REC && c->op == SQLITE_INDEX_CONSTRAINT_EQ)
            plan = P_REC, eq = i;
        else if (c->iColumn == C_RULE && c->op == SQLITE_INDEX_CONSTRAINT_EQ && plan != P_REC)
            plan = P_RULE, eq = i;
        else if (c->iColumn == C_REC &&
                 (c->op == SQLITE_INDEX_CONSTRAINT_GT || c->op == SQLITE_INDEX_CONSTRAINT_GE))
            lo = i, flags |= F_LO | (c->op == SQLITE_INDEX_CONSTRAINT_GT ? F_LO_GT : 0);
        else if (c->iColumn == C_REC &&
                 (c->op == SQLITE_INDEX_CONSTRAINT_LT || c->op == SQLITE_INDEX_CONSTRAINT_LE))
            hi = i, flags |= F_HI | (c->op == SQLITE_INDEX_CONSTRAINT_LT ? F_HI_LT : 0);
    }
    int arg = 1;
    int use[3] = {eq, lo, hi};
    for (int k = 0; k < 3; k++) {
        if (use[k] < 0) continue;
        ii->aConstraintUsage[use[k]].argvIndex = arg++;
        ii->aConstraintUsage[use[k]].omit = 1;
    }
    double n = (double)v->rs->nfind + 1;
    double rows = plan == P_REC ? 4 : plan == P_RULE ? n / 20 : n;
    ii->estimatedRows = (sqlite3_int64)rows + 1;
    ii->estimatedCost = rows + 1;
    if (ii->nOrderBy == 1 && ii->aOrderBy[0].iColumn == C_REC) {
        ii->orderByConsumed = 1;
        flags |= ii->aOrderBy[0].desc ? F_DESC : 0;
    }
    ii->idxNum = plan | flags;
    return SQLITE_OK;
}

/* Position of the first finding with rec >= id: in all, or in list. */
static uint64_t rec_lower(const didq_finding *all, const uint32_t *list, uint64_t n, int64_t id)
{
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        if ((int64_t)all[list ? list[mid] : mid].rec < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void rec_bounds(int flags, int argc, sqlite3_value **argv, int a, int64_t *lo, int64_t *hi)
{
    if ((flags & F_LO) && a < argc)
        *lo = sqlite3_value_int64(argv[a++]) + ((flags & F_LO_GT) ? 1 : 0);
    if ((flags & F_HI) && a < argc)
        *hi = sqlite3_value_int64(argv[a]) - ((flags & F_HI_LT) ? 1 : 0);
}

static void fnd_load(fnd_cursor *c)
{
    if (c->pos >= c->end) return;
    uint64_t at = c->desc ? c->end - 1 : c->pos;
    c->cur = &c->all[c->list ? c->list[at] : at];
}

static int fnd_filter(sqlite3_vtab_cursor *cur, int idx, const char *s, int argc,
                      sqlite3_value **argv)
{
    fnd_cursor *c = (fnd_cursor *)cur;
    const fnd_vtab *v = (const fnd_vtab *)cur->pVtab;
    uint64_t n;
    int plan = idx & 3;
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    c->all = didq_recstore_findings(v->rs, &n);
    c->list = NULL;
    c->desc = (idx & F_DESC) != 0;
    rec_bounds(idx, argc, argv, plan == P_SCAN ? 0 : 1, &lo, &hi);
    if (plan == P_REC) {
        int64_t id = sqlite3_value_int64(argv[0]);
        lo = lo > id ? lo : id;
        hi = hi < id ? hi : id;
    } else if (plan == P_RULE) {
        c->list = didq_recstore_rule_findings(v->rs, sqlite3_value_int(argv[0]), &n);
    }
    c->pos = rec_lower(c->all, c->list, n, lo);
    c->end = hi == INT64_MAX ? n : rec_lower(c->all, c->list, n, hi + 1);
    if (c->end < c->pos) c->end = c->pos;
    fnd_load(c);
    return SQLITE_OK;
}

static int fnd_next(sqlite3_vtab_cursor *cur)
{
    fnd_cursor *c = (fnd_cursor *)cur;
    if (c->desc)
        c->end--;
    else
        c->pos++;
    fnd_load(c);
    return SQLITE_OK;
}

static int fnd_eof(sqlite3_vtab_cursor *cur)
{
    const fnd_cursor *c = (const fnd_cursor *)cur;
    return c->pos >= c->end;
}

static int fnd_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    const didq_finding *f = ((fnd_cursor *)cur)->cur;
    sqlite3_result_int64(ctx, col == C_REC ? f->rec : col == C_RULE ? f->rule : f->item);
    return SQLITE_OK;
}

static int fnd_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    const fnd_cursor *c = (const fnd_cursor *)cur;
    *rowid = c->cur - c->all + 1;
    return SQLITE_OK;
}

static int fnd_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    fnd_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c) return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int fnd_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

const sqlite3_module didq_findings_module = {
    .iVersion = 0,
    .xCreate = fnd_connect,
    .xConnect = fnd_connect,
    .xBestIndex = fnd_best_index,
    .xDisconnect = fnd_disconnect,
    .xDestroy = fnd_disconnect,
    .xOpen = fnd_open,
    .xClose = fnd_close,
    .xFilter = fnd_filter,
    .xNext = fnd_next,
    .xEof = fnd_eof,
    .xColumn = fnd_column,
    .xRowid = fnd_rowid,
};

void didq_recstore_register(didq_recstore *rs, sqlite3 *db)
{
    if (sqlite3_create_module(db, "didq_records", &didq_records_module, rs) != SQLITE_OK ||
        sqlite3_create_module(db, "didq_findings", &didq_findings_module, rs) != SQLITE_OK ||
        sqlite3_create_module(db, "didq_walk", &didq_walk_module, rs) != SQLITE_OK)
        didq_die("internal error: cannot register the record tables: %s", sqlite3_errmsg(db));
    char *msg = NULL;
    if (sqlite3_exec(db,
                     "CREATE VIRTUAL TABLE temp.records USING didq_records;"
                     "CREATE VIRTUAL TABLE temp.findings USING didq_findings;"
                     "CREATE VIRTUAL TABLE temp.walk USING didq_walk;",
                     NULL, NULL, &msg) != SQLITE_OK)
        didq_die("internal error: cannot create the record tables: %s", msg ? msg : "?");
}
