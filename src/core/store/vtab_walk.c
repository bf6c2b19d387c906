/* vtab_walk.c: the SQL table `walk`, record ids in an order, from an
 * anchor, one way.  Hidden columns are its arguments:
 *   item   the order: a data item (its sorted order, recstore_sort.c), or
 *          -1 for file order (id order); required
 *   up     1: towards the start of the order; 0 (default): towards its end
 *   after  a record id: start at that record (NULL or absent: at an end)
 *   incl   1: the anchor itself is the first row; 0 (default): the next
 *   pat    a text: only records with an item containing it (the search,
 *          literal, ASCII case folded), checked here before SQLite sees a row
 *   mask   1: identifiers are searched as masked text (recstore_match.c)
 * Columns: id, k (the item's value, '' when absent; the id in file order)
 * and step (0, 1, 2 ... in walk order, so ORDER BY step costs nothing).
 * The explorer's sorted lists and searches are
 *   walk s CROSS JOIN records r ON r.id = s.id WHERE s.item = ... AND (cond)
 * so a page reads only as many records as it needs. */
#include "recstore_int.h"
#include "didq/util.h"

#include <string.h>

enum { C_ID, C_K, C_STEP, C_ITEM, C_UP, C_AFTER, C_INCL, C_PAT, C_MASK, NARGS = 6 };

typedef struct walk_vtab {
    sqlite3_vtab base;
    didq_recstore *rs;
} walk_vtab;

typedef struct walk_cursor {
    sqlite3_vtab_cursor base;
    const unsigned char *order; /* NULL: file order */
    unsigned width;             /* bytes an id in it */
    int item;
    int64_t pos, n; /* position in the order, -1 or n past an end */
    int dir;        /* +1 or -1 */
    int64_t step;
    char *like; /* pat, or NULL */
    didq_match_pat pat;
} walk_cursor;

static int walk_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **out, char **err)
{
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(id INTEGER, k, step INTEGER,"
                                      " item HIDDEN, up HIDDEN, after HIDDEN, incl HIDDEN,"
                                      " pat HIDDEN, mask HIDDEN)");
    if (rc != SQLITE_OK) return rc;
    walk_vtab *v = sqlite3_malloc(sizeof *v);
    if (!v) return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    v->rs = aux;
    *out = &v->base;
    return SQLITE_OK;
}

static int walk_disconnect(sqlite3_vtab *vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

/* idxNum bit k: argument C_ITEM + k is given; arguments come in that order. */
static int walk_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii)
{
    int at[NARGS] = {-1, -1, -1, -1, -1, -1}, flags = 0, arg = 1;
    (void)vt;
    for (int i = 0; i < ii->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
        if (c->usable && c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->iColumn >= C_ITEM)
            at[c->iColumn - C_ITEM] = i;
    }
    if (at[0] < 0) return SQLITE_CONSTRAINT; /* no order: not a plan */
    for (int k = 0; k < NARGS; k++) {
        if (at[k] < 0) continue;
        ii->aConstraintUsage[at[k]].argvIndex = arg++;
        ii->aConstraintUsage[at[k]].omit = 1;
        flags |= 1 << k;
    }
    ii->idxNum = flags;
    ii->estimatedCost = 1e6;
    if (ii->nOrderBy == 1 && ii->aOrderBy[0].iColumn == C_STEP && !ii->aOrderBy[0].desc)
        ii->orderByConsumed = 1;
    return SQLITE_OK;
}

static uint32_t id_at(const walk_cursor *c)
{
    return c->order ? didq_order_id(c->order, c->width, (uint64_t)c->pos) : (uint32_t)c->pos + 1;
}

static bool in_range(const walk_cursor *c)
{
    return c->pos >= 0 && c->pos < c->n;
}

/* Moves on to the first row at or beyond pos that the pattern lets through. */
static void settle(walk_cursor *c, const didq_recstore *rs)
{
    if (!c->like) return;
    while (in_range(c) && !didq_match_record(rs, id_at(c), &c->pat))
        c->pos += c->dir;
}

static int64_t anchor_pos(walk_cursor *c, didq_recstore *rs, int64_t id)
{
    if (id < 1 || id > c->n) return id < 1 ? -1 : c->n;
    if (!c->order) return id - 1;
    return (int64_t)didq_recstore_order_pos(rs, c->item, (uint32_t)id);
}

static void take_pat(walk_cursor *c, sqlite3_value *v, bool mask)
{
    sqlite3_free(c->like);
    c->like = NULL;
    const unsigned char *t = v ? sqlite3_value_text(v) : NULL;
    if (!t) return;
    c->like = sqlite3_mprintf("%s", t);
    if (c->like) didq_match_compile(&c->pat, c->like, mask);
}

static int walk_filter(sqlite3_vtab_cursor *cur, int idx, const char *s, int argc,
                       sqlite3_value **argv)
{
    walk_cursor *c = (walk_cursor *)cur;
    didq_recstore *rs = ((walk_vtab *)cur->pVtab)->rs;
    sqlite3_value *a[NARGS] = {0};
    (void)s;
    for (int k = 0, i = 0; k < NARGS; k++)
        if ((idx & 1 << k) && i < argc) a[k] = argv[i++];
    c->item = a[0] ? sqlite3_value_int(a[0]) : -1;
    c->order = c->item >= 0 ? didq_recstore_order(rs, c->item) : NULL;
    c->width = rs->order_width;
    if (c->item >= 0 && !c->order) c->item = -1;
    c->n = (int64_t)didq_recstore_count(rs);
    c->dir = a[1] && sqlite3_value_int(a[1]) ? -1 : 1;
    bool anchored = a[2] && sqlite3_value_type(a[2]) != SQLITE_NULL;
    c->pos = anchored ? anchor_pos(c, rs, sqlite3_value_int64(a[2])) : c->dir > 0 ? 0 : c->n - 1;
    if (anchored && !(a[3] && sqlite3_value_int(a[3]))) c->pos += c->dir;
    c->step = 0;
    take_pat(c, a[4], a[5] && sqlite3_value_int(a[5]));
    settle(c, rs);
    return SQLITE_OK;
}

static int walk_next(sqlite3_vtab_cursor *cur)
{
    walk_cursor *c = (walk_cursor *)cur;
    c->pos += c->dir;
    c->step++;
    settle(c, ((walk_vtab *)cur->pVtab)->rs);
    return SQLITE_OK;
}

static int walk_eof(sqlite3_vtab_cursor *cur)
{
    return !in_range((walk_cursor *)cur);
}

static int walk_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = id_at((walk_cursor *)cur);
    return SQLITE_OK;
}

static int walk_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    walk_cursor *c = (walk_cursor *)cur;
    const didq_recstore *rs = ((walk_vtab *)cur->pVtab)->rs;
    uint32_t id = id_at(c), n = 0;
    if (col == C_ID || (col == C_K && c->item < 0)) {
        sqlite3_result_int64(ctx, id);
    } else if (col == C_K) {
        const char *v = didq_recstore_field(rs, id, c->item, &n);
        sqlite3_result_text(ctx, v ? v : "", v ? (int)n : 0, SQLITE_STATIC);
    } else if (col == C_STEP) {
        sqlite3_result_int64(ctx, c->step);
    } else {
        sqlite3_result_null(ctx);
    }
    return SQLITE_OK;
}

static int walk_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    walk_cursor *c = sqlite3_malloc(sizeof *c);
    (void)vt;
    if (!c) return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int walk_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(((walk_cursor *)cur)->like);
    sqlite3_free(cur);
    return SQLITE_OK;
}

const sqlite3_module didq_walk_module = {
    .iVersion = 0,
    .xCreate = walk_connect,
    .xConnect = walk_connect,
    .xBestIndex = walk_best_index,
    .xDisconnect = walk_disconnect,
    .xDestroy = walk_disconnect,
    .xOpen = walk_open,
    .xClose = walk_close,
    .xFilter = walk_filter,
    .xNext = walk_next,
    .xEof = walk_eof,
    .xColumn = walk_column,
    .xRowid = walk_rowid,
};
