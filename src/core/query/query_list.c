/* query_list.c: record lists paged with keyset queries.  A list is a
 * condition on `records r` and an order (file order, or one item through
 * its index); a page is fetched from an anchor row with LIMIT, never with
 * OFFSET, so any step costs an index seek plus the page.  In a session in
 * memory, a sorted list and a search walk the table `walk` (vtab_walk.c):
 * the item's sorted order made in C, and the search pattern checked in C;
 * a saved session uses a (key, id) table and LIKE. */
#include "didq/query.h"
#include "didq/store.h"
#include "didq/text.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

struct didq_list {
    didq_session *s;
    sqlite3 *db;
    char *where;
    int sort; /* item, or -1 for file order */
    bool desc;
    bool mem;      /* an in-memory session: the table `walk` is there */
    bool notes;    /* rows carry their notes (didq_notes_sql registered) */
    int64_t count; /* -1 until counted */
};

didq_list *didq_list_new(didq_session *s, const char *where)
{
    didq_list *l = didq_xcalloc(1, sizeof *l);
    l->s = s;
    l->db = didq_session_db(s);
    l->where = didq_strdup(where && *where ? where : "1");
    l->sort = -1;
    l->count = -1;
    l->mem = didq_session_recstore(s) != NULL;
    return l;
}

didq_list *didq_list_dup(const didq_list *l)
{
    didq_list *d = didq_list_new(l->s, l->where);
    d->sort = l->sort;
    d->desc = l->desc;
    d->notes = l->notes;
    d->count = l->count;
    return d;
}

void didq_list_free(didq_list *l)
{
    if (!l) return;
    free(l->where);
    free(l);
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q = didq_prepare(db, sql);
    int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return n;
}

uint64_t didq_list_count(didq_list *l)
{
    /* Every record: the session counted them while loading (a saved session
     * has the number in its meta table), so no count(*) reads them all. */
    if (l->count < 0 && strcmp(l->where, "1") == 0) l->count = (int64_t)didq_session_records(l->s);
    if (l->count < 0) {
        char *sql = sqlite3_mprintf("SELECT count(*) FROM records r WHERE %s", l->where);
        l->count = scalar(l->db, sql);
        sqlite3_free(sql);
    }
    return (uint64_t)l->count;
}

void didq_list_set_count(didq_list *l, uint64_t n)
{
    l->count = (int64_t)n;
}

/* `records` is a virtual table (no indexes of its own): sorting by an item
 * walks its sorted order (made in C on first use, recstore_sort.c), or in a
 * saved session a table of (key, id) pairs ordered by its primary key, made
 * on the first sort by that item and kept for the session. */
void didq_list_sort(didq_list *l, int item, bool desc)
{
    l->sort = item;
    l->desc = desc;
    if (item < 0 || l->mem) return;
    char sql[300];
    snprintf(sql, sizeof sql,
             "CREATE TEMP TABLE IF NOT EXISTS sortkey_f%d(k TEXT, id INTEGER,"
             " PRIMARY KEY(k, id)) WITHOUT ROWID",
             DIDQ_COL_NUM(item));
    didq_exec(l->db, sql);
    snprintf(sql, sizeof sql, "SELECT 1 FROM sortkey_f%d LIMIT 1", DIDQ_COL_NUM(item));
    if (scalar(l->db, sql)) return;
    /* Sorted first, so the B-tree fills in order; and the INSERT does not
     * read its own table, which made SQLite copy every row aside first. */
    snprintf(sql, sizeof sql,
             "INSERT OR IGNORE INTO sortkey_f%d SELECT coalesce(f%d, ''), id FROM records"
             " ORDER BY 1, 2",
             DIDQ_COL_NUM(item), DIDQ_COL_NUM(item));
    didq_exec(l->db, sql);
}

void didq_list_sort_hint(didq_list *l, int item)
{
    if (l->mem && item >= 0) didq_session_prebuild_next(l->s, item);
}

int didq_list_sort_item(const didq_list *l)
{
    return l->sort;
}

bool didq_list_sort_desc(const didq_list *l)
{
    return l->desc;
}

void didq_list_filter(didq_list *l, int item, const char *value)
{
    char *w =
        sqlite3_mprintf("(%s) AND coalesce(r.f%d, '') = %Q", l->where, DIDQ_COL_NUM(item), value);
    free(l->where);
    l->where = didq_strdup(w);
    sqlite3_free(w);
    l->count = -1;
}

void didq_list_notes(didq_list *l, bool on)
{
    l->notes = on;
}

bool didq_list_has_notes(const didq_list *l)
{
    return l->notes;
}

void didq_list_filter_notes(didq_list *l, bool with)
{
    char *w = sqlite3_mprintf("(%s) AND didq_note_text(r.site, r.acc) IS %s NULL", l->where,
                              with ? "NOT" : "");
    free(l->where);
    l->where = didq_strdup(w);
    sqlite3_free(w);
    l->count = -1;
}

/* How a query reads the list: a walk (in memory: sorted, or a search),
 * from an anchor (?2) or an end, one way, with a search pattern or none. */
typedef struct walk_spec {
    bool on, anchored, inclusive, up;
    const char *pat; /* search text, or NULL */
    bool mask;       /* search identifiers as masked text */
} walk_spec;

static void key_expr(const didq_list *l, const walk_spec *w, didq_buf *b)
{
    didq_buf_puts(b, !w->on && l->sort < 0 ? "r.id" : "s.k");
}

static void from_clause(const didq_list *l, const walk_spec *w, didq_buf *b)
{
    if (w->on) {
        didq_buf_printf(b, " FROM walk s CROSS JOIN records r ON r.id = s.id WHERE s.item = %d",
                        l->sort);
        didq_buf_printf(b, " AND s.up = %d AND s.incl = %d", w->up, w->inclusive);
        if (w->anchored) didq_buf_puts(b, " AND s.after = ?2");
        if (w->pat) {
            char *q = sqlite3_mprintf(" AND s.pat = %Q AND s.mask = %d", w->pat, w->mask);
            didq_buf_puts(b, q);
            sqlite3_free(q);
        }
        didq_buf_printf(b, " AND (%s)", l->where);
    } else if (l->sort < 0) {
        didq_buf_printf(b, " FROM records r WHERE (%s)", l->where);
    } else {
        didq_buf_printf(b, " FROM sortkey_f%d s JOIN records r ON r.id = s.id WHERE (%s)",
                        DIDQ_COL_NUM(l->sort), l->where);
    }
}

static void select_cols(const didq_list *l, const walk_spec *w, didq_buf *b)
{
    didq_buf_puts(b, "SELECT r.id, (SELECT path FROM files WHERE id = r.file), r.line");
    for (int i = 0; i < DIDQ_V1_ITEMS; i++)
        didq_buf_printf(b, ", r.f%d", DIDQ_COL_NUM(i));
    /* The record's rule codes and the file-level codes on its line (DIDS075
     * of a short row), as its detail shows them; UNION sorts and dedups. */
    didq_buf_puts(b, ", (SELECT group_concat(code, ' ') FROM (SELECT ru.code AS code"
                     " FROM findings fi JOIN rules ru ON ru.id = fi.rule WHERE fi.rec = r.id"
                     " UNION SELECT ff.code FROM file_findings ff WHERE ff.file = r.file"
                     " AND ff.line = r.line ORDER BY 1)), ");
    didq_buf_puts(b, l->notes ? "didq_note_text(r.site, r.acc), " : "NULL, ");
    key_expr(l, w, b);
    from_clause(l, w, b);
}

/* A page of a walk: the walk does the anchor and the order; extra (or
 * NULL) is a further condition on the rows. */
static char *walk_sql(const didq_list *l, const walk_spec *w, const char *extra)
{
    didq_buf b = {0};
    select_cols(l, w, &b);
    if (extra) didq_buf_printf(&b, " AND (%s)", extra);
    didq_buf_puts(&b, " ORDER BY s.step LIMIT ?3");
    return b.p;
}

/* Appends the keyset condition and the order; returns the SQL. */
static char *page_sql(const didq_list *l, bool anchored, bool inclusive, bool backward,
                      const char *extra)
{
    didq_buf b = {0};
    bool up = backward != l->desc; /* walking towards smaller keys */
    walk_spec w = {l->mem && l->sort >= 0, anchored, inclusive, up, NULL, false};
    if (w.on) return walk_sql(l, &w, extra);
    select_cols(l, &w, &b);
    if (extra) didq_buf_printf(&b, " AND (%s)", extra);
    if (anchored && l->sort < 0)
        didq_buf_printf(&b, " AND r.id %s%s ?2", up ? "<" : ">", inclusive ? "=" : "");
    else if (anchored) {
        /* (k, id) > (?1, ?2) spelled so that k >= ?1 seeks in k's index. */
        const char *op = up ? "<" : ">";
        didq_buf b2 = {0};
        key_expr(l, &w, &b2);
        didq_buf_printf(&b, " AND %s %s= ?1 AND (%s %s ?1 OR s.id %s%s ?2)", b2.p, op, b2.p, op, op,
                        inclusive ? "=" : "");
        didq_buf_free(&b2);
    }
    /* File order is id order, one term, so the records table serves it. */
    if (l->sort < 0)
        didq_buf_printf(&b, " ORDER BY r.id %s LIMIT ?3", up ? "DESC" : "ASC");
    else
        didq_buf_printf(&b, " ORDER BY s.k %s, s.id %s LIMIT ?3", up ? "DESC" : "ASC",
                        up ? "DESC" : "ASC");
    return b.p;
}

static char *dup_col(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return didq_strdup(t ? (const char *)t : "");
}

static void read_row(sqlite3_stmt *q, didq_row *r)
{
    r->id = sqlite3_column_int64(q, 0);
    r->file = dup_col(q, 1);
    r->line = sqlite3_column_int64(q, 2);
    for (int i = 0; i < DIDQ_V1_ITEMS; i++)
        r->f[i] = dup_col(q, 3 + i);
    r->codes = dup_col(q, 3 + DIDQ_V1_ITEMS);
    r->note = dup_col(q, 4 + DIDQ_V1_ITEMS);
    r->key = dup_col(q, 5 + DIDQ_V1_ITEMS);
}

static sqlite3_stmt *bind_anchor(didq_list *l, const char *sql, const didq_row *anchor, int n)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(l->db, sql, -1, &q, NULL) != SQLITE_OK)
        didq_die("internal error: list query: %s", sqlite3_errmsg(l->db));
    if (anchor && l->sort >= 0 && !l->mem) sqlite3_bind_text(q, 1, anchor->key, -1, SQLITE_STATIC);
    if (anchor) sqlite3_bind_int64(q, 2, anchor->id);
    sqlite3_bind_int(q, 3, n);
    return q;
}

static void reverse_rows(didq_row *out, int n)
{
    for (int i = 0; i < n / 2; i++) {
        didq_row t = out[i];
        out[i] = out[n - 1 - i];
        out[n - 1 - i] = t;
    }
}

int didq_list_fetch(didq_list *l, const didq_row *anchor, bool inclusive, bool backward,
                    didq_row *out, int n)
{
    char *sql = page_sql(l, anchor != NULL, inclusive, backward, NULL);
    sqlite3_stmt *q = bind_anchor(l, sql, anchor, n);
    int got = 0;
    while (got < n && sqlite3_step(q) == SQLITE_ROW)
        read_row(q, &out[got++]);
    sqlite3_finalize(q);
    free(sql);
    if (backward) reverse_rows(out, got);
    return got;
}

uint64_t didq_list_pos(didq_list *l, const didq_row *r, uint64_t cap)
{
    didq_buf b = {0};
    walk_spec w = {l->mem && l->sort >= 0, true, false, !l->desc, NULL, false};
    didq_buf_puts(&b, "SELECT count(*) FROM (SELECT 1");
    from_clause(l, &w, &b);
    if (w.on)
        didq_buf_printf(&b, " LIMIT %llu)", (unsigned long long)cap);
    else if (l->sort < 0)
        didq_buf_printf(&b, " AND r.id %s ?2 LIMIT %llu)", l->desc ? ">" : "<",
                        (unsigned long long)cap);
    else
        didq_buf_printf(&b, " AND (s.k, s.id) %s (?1, ?2) LIMIT %llu)", l->desc ? ">" : "<",
                        (unsigned long long)cap);
    sqlite3_stmt *q = bind_anchor(l, b.p, r, 0);
    uint64_t n = sqlite3_step(q) == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    didq_buf_free(&b);
    return n >= cap ? UINT64_MAX : n;
}

/* didq_mask(item, value): the value as the explorer shows it masked. */
static void mask_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *v = sqlite3_value_text(argv[1]);
    (void)argc;
    if (!v) {
        sqlite3_result_null(ctx);
        return;
    }
    didq_buf b = {0};
    didq_text_mask(&b, sqlite3_value_int(argv[0]), (const char *)v,
                   (size_t)sqlite3_value_bytes(argv[1]));
    sqlite3_result_text(ctx, b.p ? b.p : "", (int)b.n, SQLITE_TRANSIENT);
    didq_buf_free(&b);
}

/* A search in a saved session, in SQL: the text literal (instr, not LIKE,
 * whose % and _ are wildcards), ASCII case folded as LIKE folds (lower()),
 * identifiers masked when masking is on. */
static char *text_search_sql(const didq_list *l, bool anchored, const char *text, bool backward,
                             bool mask)
{
    sqlite3_create_function_v2(l->db, "didq_mask", 2,
                               SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, mask_fn,
                               NULL, NULL, NULL);
    didq_buf cond = {0};
    char *lit = sqlite3_mprintf("%Q", text);
    for (int i = 0; i < DIDQ_V1_ITEMS; i++) {
        didq_buf_puts(&cond, i ? " OR " : "");
        if (mask && didq_text_is_identifier(i))
            didq_buf_printf(&cond, "instr(lower(didq_mask(%d, r.f%d)), lower(%s))", i,
                            DIDQ_COL_NUM(i), lit);
        else
            didq_buf_printf(&cond, "instr(lower(r.f%d), lower(%s))", DIDQ_COL_NUM(i), lit);
    }
    char *sql = page_sql(l, anchored, false, backward, cond.p);
    sqlite3_free(lit);
    didq_buf_free(&cond);
    return sql;
}

/* The first row of a query (LIMIT ?3 = 1) into *out; false if none. */
static bool first_row(didq_list *l, char *sql, const didq_row *anchor, didq_row *out)
{
    sqlite3_stmt *q = bind_anchor(l, sql, anchor, 1);
    bool found = sqlite3_step(q) == SQLITE_ROW;
    if (found) read_row(q, out);
    sqlite3_finalize(q);
    free(sql);
    return found;
}

/* The condition "the record has a finding whose code contains text" (a
 * finding of its own, or a file-level one on its line, as the Findings
 * column shows them), or NULL when no code of the session contains it
 * (sqlite3_free). */
static char *code_cond(const didq_list *l, const char *text)
{
    char *probe = sqlite3_mprintf(
        "SELECT 1 FROM rules WHERE instr(lower(code), lower(%Q)) UNION ALL SELECT 1 FROM"
        " file_findings WHERE instr(lower(code), lower(%Q)) LIMIT 1",
        text, text);
    bool any = scalar(l->db, probe) != 0;
    sqlite3_free(probe);
    if (!any) return NULL;
    return sqlite3_mprintf(
        "r.id IN (SELECT fi.rec FROM findings fi JOIN rules ru ON ru.id = fi.rule WHERE"
        " instr(lower(ru.code), lower(%Q))) OR (r.file, r.line) IN (SELECT ff.file, ff.line"
        " FROM file_findings ff WHERE instr(lower(ff.code), lower(%Q)))",
        text, text);
}

/* Whether row a comes before row b in the list's order, walking one way. */
static bool comes_first(const didq_list *l, const didq_row *a, const didq_row *b, bool backward)
{
    int c = l->sort >= 0 ? strcmp(a->key, b->key) : 0;
    if (c == 0) c = a->id < b->id ? -1 : a->id > b->id;
    if (l->desc) c = -c;
    return backward ? c > 0 : c < 0;
}

/* The next row after anchor with a finding whose code contains text. */
static bool search_codes(didq_list *l, const didq_row *anchor, const char *text, bool backward,
                         didq_row *out)
{
    char *cond = code_cond(l, text);
    if (!cond) return false;
    char *sql = page_sql(l, anchor != NULL, false, backward, cond);
    sqlite3_free(cond);
    return first_row(l, sql, anchor, out);
}

bool didq_list_search(didq_list *l, const didq_row *anchor, const char *text, bool backward,
                      bool mask, didq_row *out)
{
    didq_row by_code = {0};
    bool coded = search_codes(l, anchor, text, backward, &by_code);
    bool found = didq_list_search_fields(l, anchor, text, backward, mask, out);
    if (coded && (!found || comes_first(l, &by_code, out, backward))) {
        if (found) didq_row_clear(out);
        *out = by_code;
        return true;
    }
    if (coded) didq_row_clear(&by_code);
    return found;
}

bool didq_list_at_line(didq_list *l, const char *file, int64_t line, didq_row *out)
{
    didq_buf b = {0};
    didq_buf_printf(&b, "SELECT r.id FROM records r WHERE (%s) AND r.line = %lld", l->where,
                    (long long)line);
    if (file) {
        char *f = sqlite3_mprintf(" AND r.file = (SELECT id FROM files WHERE path = %Q)", file);
        didq_buf_puts(&b, f);
        sqlite3_free(f);
    }
    didq_buf_puts(&b, " ORDER BY r.id LIMIT 1");
    int64_t id = scalar(l->db, b.p);
    didq_buf_free(&b);
    if (id <= 0) return false;
    /* The row as the list's order reads it (its sort key): fetched from
     * itself as the anchor. */
    didq_row a = {.id = id};
    if (l->sort >= 0 && !l->mem) {
        char *k = sqlite3_mprintf("SELECT coalesce(f%d, '') FROM records WHERE id = %lld",
                                  DIDQ_COL_NUM(l->sort), (long long)id);
        sqlite3_stmt *q = didq_prepare(l->db, k);
        a.key = didq_strdup(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0)
                                ? (const char *)sqlite3_column_text(q, 0)
                                : "");
        sqlite3_finalize(q);
        sqlite3_free(k);
    }
    int got = didq_list_fetch(l, &a, true, false, out, 1);
    free(a.key);
    if (got == 1 && out->id == id) return true;
    if (got == 1) didq_row_clear(out);
    return false;
}

bool didq_list_search_fields(didq_list *l, const didq_row *anchor, const char *text, bool backward,
                             bool mask, didq_row *out)
{
    char *sql;
    if (l->mem) { /* the walk checks the text in C (recstore_match.c) */
        walk_spec w = {true, anchor != NULL, false, backward != l->desc, text, mask};
        sql = walk_sql(l, &w, NULL);
    } else {
        sql = text_search_sql(l, anchor != NULL, text, backward, mask);
    }
    return first_row(l, sql, anchor, out);
}

void didq_row_clear(didq_row *r)
{
    free(r->file);
    for (int i = 0; i < DIDQ_V1_ITEMS; i++)
        free(r->f[i]);
    free(r->codes);
    free(r->note);
    free(r->key);
    memset(r, 0, sizeof *r);
}

void didq_row_copy(didq_row *dst, const didq_row *src)
{
    dst->id = src->id;
    dst->line = src->line;
    dst->file = didq_strdup(src->file);
    for (int i = 0; i < DIDQ_V1_ITEMS; i++)
        dst->f[i] = didq_strdup(src->f[i]);
    dst->codes = didq_strdup(src->codes);
    dst->note = didq_strdup(src->note ? src->note : "");
    dst->key = didq_strdup(src->key);
}

/* A row of the export: every cell's control characters escaped as the
 * panes show them (didq_text_csv_safe), as in check's findings CSV. */
static void csv_row(FILE *out, const didq_row *r, bool mask, bool notes)
{
    didq_text_csv_safe(out, r->file, strlen(r->file));
    fprintf(out, ",%lld", (long long)r->line);
    for (int i = 0; i < DIDQ_V1_ITEMS; i++) {
        didq_buf b = {0};
        if (mask)
            didq_text_mask(&b, i, r->f[i], strlen(r->f[i]));
        else
            didq_buf_puts(&b, r->f[i]);
        fputc(',', out);
        didq_text_csv_safe(out, b.p ? b.p : "", b.n);
        didq_buf_free(&b);
    }
    fputc(',', out);
    didq_text_csv_safe(out, r->codes, strlen(r->codes));
    if (notes) {
        fputc(',', out);
        didq_text_csv_safe(out, r->note, strlen(r->note));
    }
    fputc('\n', out);
}

uint64_t didq_list_csv(didq_list *l, FILE *out, bool mask)
{
    enum { CHUNK = 512 };
    const didq_dataset *ds = didq_session_dataset(l->s);
    didq_row rows[CHUNK], last = {0};
    fputs("file,line", out);
    for (int i = 0; i < DIDQ_V1_ITEMS; i++)
        fprintf(out, ",%s", ds->items[i].field);
    fputs(l->notes ? ",findings,notes\n" : ",findings\n", out);
    uint64_t total = 0;
    int got;
    bool first = true;
    while ((got = didq_list_fetch(l, first ? NULL : &last, false, false, rows, CHUNK)) > 0) {
        for (int i = 0; i < got; i++)
            csv_row(out, &rows[i], mask, l->notes);
        didq_row_clear(&last);
        didq_row_copy(&last, &rows[got - 1]);
        for (int i = 0; i < got; i++)
            didq_row_clear(&rows[i]);
        total += (uint64_t)got;
        first = false;
    }
    didq_row_clear(&last);
    return total;
}
