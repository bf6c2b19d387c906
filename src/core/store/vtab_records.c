/* vtab_records.c: the SQL table `records` over a didq_recstore.  Columns:
 * id, file, recno, line, offset, flags, nerr, nwarn, f1..fN (raw values),
 * x (extra columns), site, acc, setting, nhs (cleansed keys), d<item> (dates),
 * and hidden b1..bN (1 when the item is absent or only spaces, else 0); an
 * item's columns are named by its number, DIDQ_COL_NUM (store.h).
 * Plans: id = ?, id ranges, site = ? (the key index), file = ?, file IN
 * (...) taken whole (a reporting month of files loaded apart: the files'
 * id ranges in order, the others skipped a file at a time), full scan;
 * rows always come in id order (descending on request), so ORDER BY id and
 * keyset paging (id > ? LIMIT n) cost nothing. */
#include "didq/dataset.h"
#include "didq/date.h"
#include "didq/ident.h"
#include "recstore_int.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_ID, C_FILE, C_RECNO, C_LINE, C_OFFSET, C_FLAGS, C_NERR, C_NWARN, C_F1 };
enum { KEY_SITE, KEY_ACC, KEY_SETTING, KEY_NHS };

typedef struct rec_vtab {
    sqlite3_vtab base;
    didq_recstore *rs;
    int nitems;
} rec_vtab;

typedef struct rec_cursor {
    sqlite3_vtab_cursor base;
    const uint32_t *list; /* ids of a key look-up, or NULL for an id range */
    uint64_t pos, end;    /* list positions [pos, end) or ids [pos, end) */
    int desc;
    uint32_t id;
    char nhsbuf[DIDQ_NHS_BUF];
    char *setting; /* setting = ? checked here before SQLite sees a row, or NULL */
    uint32_t setting_len;
    int blank_item, blank_want; /* bN = 0 or 1 checked here; blank_item -1: none */
    unsigned char *files;       /* file IN (...): by file id, 1 = in the list; or NULL */
    int nfiles;
} rec_cursor;

static int col_x(const rec_vtab *v)
{
    return C_F1 + v->nitems;
}

static int rec_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                       sqlite3_vtab **out, char **err)
{
    didq_recstore *rs = aux;
    didq_buf sql = {0};
    didq_buf_puts(&sql, "CREATE TABLE x(id INTEGER, file INTEGER, recno INTEGER, line INTEGER,"
                        " offset INTEGER, flags INTEGER, nerr INTEGER, nwarn INTEGER");
    for (int i = 0; i < didq_recstore_nitems(rs); i++)
        didq_buf_printf(&sql, ", f%d TEXT", DIDQ_COL_NUM(i));
    didq_buf_puts(&sql, ", x TEXT, site TEXT, acc TEXT, setting TEXT, nhs TEXT");
    for (int k = 0; k < didq_recstore_ndates(rs); k++)
        didq_buf_printf(&sql, ", d%d INTEGER", DIDQ_COL_NUM(didq_recstore_date_item(rs, k)));
    for (int i = 0; i < didq_recstore_nitems(rs); i++)
        didq_buf_printf(&sql, ", b%d INTEGER HIDDEN", DIDQ_COL_NUM(i));
    didq_buf_puts(&sql, ")");
    int rc = sqlite3_declare_vtab(db, sql.p);
    didq_buf_free(&sql);
    if (rc != SQLITE_OK) return rc;
    rec_vtab *v = sqlite3_malloc(sizeof *v);
    if (!v) return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    v->rs = rs;
    v->nitems = didq_recstore_nitems(rs);
    *out = &v->base;
    return SQLITE_OK;
}

static int rec_disconnect(sqlite3_vtab *vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

/* idxNum: low 3 bits the plan, then flags for the arguments. */
enum { P_SCAN, P_ID, P_KEY, P_FILE, P_FILES };
enum {
    F_LO = 8,
    F_LO_GT = 16,
    F_HI = 32,
    F_HI_LT = 64,
    F_DESC = 128,
    F_SETTING = 256,
    F_BLANK = 512,
    BLANK_SHIFT = 16
};

static int is_id(int col)
{
    return col == C_ID || col == -1;
}

/* bN = 0 or bN = 1 with an integer constant: checked here exactly, so
 * SQLite need not ask for the column again. */
static int blank_exact(sqlite3_index_info *ii, int i)
{
    sqlite3_value *v = NULL;
    return sqlite3_vtab_rhs_value(ii, i, &v) == SQLITE_OK && v &&
           sqlite3_value_type(v) == SQLITE_INTEGER && (uint64_t)sqlite3_value_int64(v) <= 1;
}

/* The first hidden column b1. */
static int col_b1(const rec_vtab *v)
{
    return col_x(v) + 5 + didq_recstore_ndates(v->rs);
}

static int rec_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii)
{
    rec_vtab *v = (rec_vtab *)vt;
    int plan = P_SCAN, eq = -1, lo = -1, hi = -1, set = -1, blank = -1, flags = 0;
    int key_col = col_x(v) + 1, b1 = col_b1(v); /* site, b1 */
    for (int i = 0; i < ii->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
        if (!c->usable) continue;
        if (is_id(c->iColumn) && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
            plan = P_ID, eq = i;
        } else if (is_id(c->iColumn) &&
                   (c->op == SQLITE_INDEX_CONSTRAINT_GT || c->op == SQLITE_INDEX_CONSTRAINT_GE)) {
            lo = i, flags |= F_LO | (c->op == SQLITE_INDEX_CONSTRAINT_GT ? F_LO_GT : 0);
        } else if (is_id(c->iColumn) &&
                   (c->op == SQLITE_INDEX_CONSTRAINT_LT || c->op == SQLITE_INDEX_CONSTRAINT_LE)) {
            hi = i, flags |= F_HI | (c->op == SQLITE_INDEX_CONSTRAINT_LT ? F_HI_LT : 0);
        } else if (c->iColumn == key_col && c->op == SQLITE_INDEX_CONSTRAINT_EQ && plan != P_ID &&
                   didq_recstore_has_lookup(v->rs) &&
                   strcmp(sqlite3_vtab_collation(ii, i), "BINARY") == 0) {
            plan = P_KEY, eq = i;
        } else if (c->iColumn == C_FILE && c->op == SQLITE_INDEX_CONSTRAINT_EQ && plan == P_SCAN) {
            plan = sqlite3_vtab_in(ii, i, -1) ? P_FILES : P_FILE, eq = i;
        } else if (c->iColumn == key_col + KEY_SETTING && c->op == SQLITE_INDEX_CONSTRAINT_EQ &&
                   strcmp(sqlite3_vtab_collation(ii, i), "BINARY") == 0) {
            set = i, flags |= F_SETTING;
        } else if (c->iColumn >= b1 && c->iColumn < b1 + v->nitems &&
                   c->op == SQLITE_INDEX_CONSTRAINT_EQ && blank < 0) {
            blank = i, flags |= F_BLANK | (c->iColumn - b1) << BLANK_SHIFT;
        }
    }
    int arg = 1;
    if (eq >= 0) {
        ii->aConstraintUsage[eq].argvIndex = arg++;
        ii->aConstraintUsage[eq].omit = 1;
        if (plan == P_FILES) sqlite3_vtab_in(ii, eq, 1); /* the whole list in one xFilter */
    }
    if (lo >= 0) {
        ii->aConstraintUsage[lo].argvIndex = arg++;
        ii->aConstraintUsage[lo].omit = 1;
    }
    if (hi >= 0) {
        ii->aConstraintUsage[hi].argvIndex = arg++;
        ii->aConstraintUsage[hi].omit = 1;
    }
    /* setting and bN: rows are skipped here, and SQLite still checks the rest */
    if (set >= 0) ii->aConstraintUsage[set].argvIndex = arg++;
    if (blank >= 0) {
        ii->aConstraintUsage[blank].argvIndex = arg++;
        ii->aConstraintUsage[blank].omit = blank_exact(ii, blank);
    }
    double n = (double)didq_recstore_count(v->rs) + 1;
    double rows = plan == P_ID                        ? 1
                  : plan == P_KEY                     ? n / 20
                  : plan == P_FILE || plan == P_FILES ? n / 2
                                                      : n;
    if (lo >= 0 || hi >= 0) rows /= 4;
    if (set >= 0) rows /= 4;
    if (blank >= 0) rows /= 4;
    ii->estimatedRows = (sqlite3_int64)rows + 1;
    ii->estimatedCost = rows + 1;
    if (plan == P_ID) ii->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
    if (ii->nOrderBy == 1 && is_id(ii->aOrderBy[0].iColumn)) {
        ii->orderByConsumed = 1;
        flags |= ii->aOrderBy[0].desc ? F_DESC : 0;
    }
    ii->idxNum = plan | flags;
    return SQLITE_OK;
}

/* Binary search: first position in list[0..n) with list[pos] >= id. */
static uint64_t lower_bound(const uint32_t *list, uint64_t n, uint64_t id)
{
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        if (list[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The id bounds [lo, hi] from the range arguments. */
static void id_bounds(int flags, int argc, sqlite3_value **argv, int first, int64_t *lo,
                      int64_t *hi)
{
    int a = first;
    if ((flags & F_LO) && a < argc) {
        *lo = sqlite3_value_int64(argv[a++]) + ((flags & F_LO_GT) ? 1 : 0);
    }
    if ((flags & F_HI) && a < argc)
        *hi = sqlite3_value_int64(argv[a]) - ((flags & F_HI_LT) ? 1 : 0);
}

static void plan_range(rec_cursor *c, const rec_vtab *v, int plan, sqlite3_value *arg, int64_t *lo,
                       int64_t *hi)
{
    if (plan == P_ID) {
        int64_t id = sqlite3_value_int64(arg);
        *lo = *lo > id ? *lo : id;
        *hi = *hi < id ? *hi : id;
    } else if (plan == P_FILE) {
        uint32_t first, last;
        didq_recstore_file_range(v->rs, sqlite3_value_int(arg), &first, &last);
        *lo = *lo > first ? *lo : first;
        *hi = *hi < last ? *hi : last;
        if (!first) *hi = 0;
    }
}

static void plan_key(rec_cursor *c, const rec_vtab *v, sqlite3_value *arg, int64_t lo, int64_t hi)
{
    uint64_t n = 0;
    const unsigned char *key = sqlite3_value_text(arg);
    c->list =
        key ? didq_recstore_lookup(v->rs, (const char *)key, (uint32_t)sqlite3_value_bytes(arg), &n)
            : NULL;
    if (!c->list) {
        static const uint32_t none[1];
        c->list = none;
        n = 0;
    }
    c->pos = lower_bound(c->list, n, lo < 1 ? 1 : (uint64_t)lo);
    c->end = hi < 0 ? c->pos : lower_bound(c->list, n, (uint64_t)hi + 1);
}

/* True unless the record's cleansed source setting rules it out. */
static int setting_ok(const rec_cursor *c, const didq_recstore *rs, uint32_t id)
{
    if (!c->setting) return 1;
    uint32_t n;
    const char *s = didq_recstore_clean(rs, id, DIDQ_SETTING, &n);
    if (n != c->setting_len || memcmp(s, c->setting, n) != 0) return 0;
    return n > 0 || didq_recstore_field(rs, id, DIDQ_SETTING, &n) != NULL; /* '' is not NULL */
}

/* 1 when item k of the record is absent or only spaces. */
static int is_blank(const didq_recstore *rs, uint32_t id, int k)
{
    return didq_recstore_blank(rs, id, k);
}

static int blank_ok(const rec_cursor *c, const didq_recstore *rs, uint32_t id)
{
    return c->blank_item < 0 || is_blank(rs, id, c->blank_item) == c->blank_want;
}

/* The row at the cursor, skipping those the setting or a bN rules out. */
static void cursor_load(rec_cursor *c)
{
    const didq_recstore *rs = ((const rec_vtab *)c->base.pVtab)->rs;
    while (c->pos < c->end) {
        uint64_t at = c->desc ? c->end - 1 : c->pos;
        c->id = c->list ? c->list[at] : (uint32_t)at;
        int file = c->files ? didq_recstore_meta(rs, c->id)->file : 0;
        if (c->files && (file > c->nfiles || !c->files[file])) { /* skip the whole file */
            uint32_t first, last;
            didq_recstore_file_range(rs, file, &first, &last);
            if (c->desc)
                c->end = first && first < c->end ? first : c->end - 1;
            else
                c->pos = last >= c->pos ? (uint64_t)last + 1 : c->pos + 1;
            continue;
        }
        if (setting_ok(c, rs, c->id) && blank_ok(c, rs, c->id)) return;
        if (c->desc)
            c->end--;
        else
            c->pos++;
    }
}

/* setting = value: a text value is checked here; any other is left to SQLite. */
static void take_setting(rec_cursor *c, sqlite3_value *arg)
{
    sqlite3_free(c->setting);
    c->setting = NULL;
    if (!arg || sqlite3_value_type(arg) != SQLITE_TEXT) return;
    c->setting_len = (uint32_t)sqlite3_value_bytes(arg);
    c->setting = sqlite3_malloc((int)c->setting_len + 1);
    if (c->setting) memcpy(c->setting, sqlite3_value_text(arg), c->setting_len);
}

/* file IN (...): the files listed, and the ids from the first record of
 * the first to the last of the last (the others are skipped as met). */
static void plan_files(rec_cursor *c, const rec_vtab *v, sqlite3_value *list, int64_t *lo,
                       int64_t *hi)
{
    enum { NF = 65536 }; /* a record's file is a uint16_t */
    int64_t a = INT64_MAX, b = 0;
    c->files = sqlite3_malloc(NF);
    if (c->files) memset(c->files, 0, NF);
    c->nfiles = c->files ? NF - 1 : 0;
    sqlite3_value *x = NULL;
    for (int rc = sqlite3_vtab_in_first(list, &x); c->files && rc == SQLITE_OK && x;
         rc = sqlite3_vtab_in_next(list, &x)) {
        int64_t f = sqlite3_value_type(x) == SQLITE_INTEGER ? sqlite3_value_int64(x) : 0;
        uint32_t first = 0, last = 0;
        if (f >= 1 && f < NF) didq_recstore_file_range(v->rs, (int)f, &first, &last);
        if (!first) continue;
        c->files[f] = 1;
        a = first < a ? first : a;
        b = last > b ? last : b;
    }
    if (b == 0) { /* nothing listed that has records: no row */
        *hi = 0;
        return;
    }
    *lo = *lo > a ? *lo : a;
    *hi = *hi < b ? *hi : b;
}

static int rec_filter(sqlite3_vtab_cursor *cur, int idx, const char *s, int argc,
                      sqlite3_value **argv)
{
    rec_cursor *c = (rec_cursor *)cur;
    const rec_vtab *v = (const rec_vtab *)cur->pVtab;
    int plan = idx & 7;
    int64_t lo = 1, hi = didq_recstore_count(v->rs);
    id_bounds(idx, argc, argv, plan == P_SCAN ? 0 : 1, &lo, &hi);
    c->desc = (idx & F_DESC) != 0;
    c->list = NULL;
    sqlite3_free(c->files);
    c->files = NULL;
    c->nfiles = 0;
    if (plan == P_KEY) {
        plan_key(c, v, argv[0], lo, hi);
    } else if (plan == P_FILES) {
        plan_files(c, v, argv[0], &lo, &hi);
        c->pos = (uint64_t)(lo < 1 ? 1 : lo);
        c->end = hi < (int64_t)c->pos ? c->pos : (uint64_t)hi + 1;
    } else {
        if (plan != P_SCAN) plan_range(c, v, plan, argv[0], &lo, &hi);
        c->pos = (uint64_t)(lo < 1 ? 1 : lo);
        c->end = hi < (int64_t)c->pos ? c->pos : (uint64_t)hi + 1;
    }
    int at = (plan != P_SCAN) + ((idx & F_LO) != 0) + ((idx & F_HI) != 0);
    take_setting(c, (idx & F_SETTING) && at < argc ? argv[at] : NULL);
    at += (idx & F_SETTING) != 0;
    sqlite3_value *b = (idx & F_BLANK) && at < argc ? argv[at] : NULL;
    c->blank_item = -1;
    if (b && sqlite3_value_type(b) == SQLITE_INTEGER && (uint64_t)sqlite3_value_int64(b) <= 1) {
        c->blank_item = (idx >> BLANK_SHIFT) & 0xFF;
        c->blank_want = sqlite3_value_int(b);
    }
    cursor_load(c);
    return SQLITE_OK;
}

static int rec_next(sqlite3_vtab_cursor *cur)
{
    rec_cursor *c = (rec_cursor *)cur;
    if (c->desc)
        c->end--;
    else
        c->pos++;
    cursor_load(c);
    return SQLITE_OK;
}

static int rec_eof(sqlite3_vtab_cursor *cur)
{
    const rec_cursor *c = (const rec_cursor *)cur;
    return c->pos >= c->end;
}

static int rec_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = ((rec_cursor *)cur)->id;
    return SQLITE_OK;
}

static void result_text(sqlite3_context *ctx, const char *s, uint32_t n)
{
    if (s)
        sqlite3_result_text(ctx, s, (int)n, SQLITE_STATIC);
    else
        sqlite3_result_null(ctx);
}

static void result_key(sqlite3_context *ctx, rec_cursor *c, const didq_recstore *rs, int key)
{
    static const int items[] = {DIDQ_SITE, DIDQ_ACCESSION, DIDQ_SETTING, DIDQ_NHS_NUMBER};
    uint32_t n;
    if (!didq_recstore_field(rs, c->id, items[key], &n)) {
        sqlite3_result_null(ctx);
        return;
    }
    if (key != KEY_NHS) {
        const char *s = didq_recstore_clean(rs, c->id, items[key], &n);
        sqlite3_result_text(ctx, s, (int)n, SQLITE_STATIC);
        return;
    }
    const char *raw = didq_recstore_field(rs, c->id, items[key], &n);
    size_t k = didq_nhs_compact(raw, n, c->nhsbuf, sizeof c->nhsbuf);
    sqlite3_result_text(ctx, c->nhsbuf, (int)k, SQLITE_TRANSIENT);
}

static void result_meta(sqlite3_context *ctx, const didq_recstore *rs, uint32_t id, int col)
{
    const didq_recmeta *m = didq_recstore_meta(rs, id);
    switch (col) {
    case C_ID:
        sqlite3_result_int64(ctx, id);
        break;
    case C_FILE:
        sqlite3_result_int(ctx, m->file);
        break;
    case C_RECNO:
        sqlite3_result_int64(ctx, m->recno);
        break;
    case C_LINE:
        sqlite3_result_int64(ctx, m->line);
        break;
    case C_OFFSET:
        sqlite3_result_int64(ctx, (sqlite3_int64)didq_recstore_offset(rs, id));
        break;
    case C_FLAGS:
        sqlite3_result_int(ctx, m->flags);
        break;
    case C_NERR:
        sqlite3_result_int(ctx, m->nerr);
        break;
    default:
        sqlite3_result_int(ctx, m->nwarn);
        break;
    }
}

static int rec_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    rec_cursor *c = (rec_cursor *)cur;
    const rec_vtab *v = (const rec_vtab *)cur->pVtab;
    const didq_recmeta *m = didq_recstore_meta(v->rs, c->id);
    int x = col_x(v);
    uint32_t n;
    if (col < C_F1) {
        result_meta(ctx, v->rs, c->id, col);
    } else if (col <= x) {
        const char *s = didq_recstore_field(v->rs, c->id, col - C_F1, &n);
        result_text(ctx, s, n);
    } else if (col <= x + 4) {
        result_key(ctx, c, v->rs, col - x - 1);
    } else if (col >= col_b1(v)) {
        sqlite3_result_int(ctx, is_blank(v->rs, c->id, col - col_b1(v)));
    } else if (m->date[col - x - 5] == DIDQ_NODATE) {
        sqlite3_result_null(ctx);
    } else {
        sqlite3_result_int(ctx, m->date[col - x - 5]);
    }
    return SQLITE_OK;
}

static int rec_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    rec_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c) return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int rec_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(((rec_cursor *)cur)->setting);
    sqlite3_free(((rec_cursor *)cur)->files);
    sqlite3_free(cur);
    return SQLITE_OK;
}

const sqlite3_module didq_records_module = {
    .iVersion = 0,
    .xCreate = rec_connect,
    .xConnect = rec_connect,
    .xBestIndex = rec_best_index,
    .xDisconnect = rec_disconnect,
    .xDestroy = rec_disconnect,
    .xOpen = rec_open,
    .xClose = rec_close,
    .xFilter = rec_filter,
    .xNext = rec_next,
    .xEof = rec_eof,
    .xColumn = rec_column,
    .xRowid = rec_rowid,
};
