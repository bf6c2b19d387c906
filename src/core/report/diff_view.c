/* diff_view.c: what the explorer's Changes pane asks of a diff: a table
 * `temp.didq_diff` in NEW's session, one row per NEW record (added or
 * paired), so that every count of the diff is a condition on `records r`
 * that a record list can page through. */
#include "didq/diff.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

/* Each record's rule codes as " A B " (sorted, distinct), by id; NULL for
 * a record without findings. */
typedef struct codes {
    char **by_id;
    uint32_t maxid;
} codes;

static void read_codes(didq_session *s, codes *c)
{
    sqlite3 *db = didq_session_db(s);
    sqlite3_stmt *q = didq_prepare(db, "SELECT coalesce(max(id), 0) FROM records");
    c->maxid = sqlite3_step(q) == SQLITE_ROW ? (uint32_t)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    c->by_id = didq_xcalloc((size_t)c->maxid + 1, sizeof *c->by_id);
    q = didq_prepare(db, "SELECT f.rec, group_concat(DISTINCT r.code) FROM findings f"
                         " JOIN rules r ON r.id = f.rule GROUP BY f.rec");
    while (sqlite3_step(q) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(q, 0);
        const char *t = (const char *)sqlite3_column_text(q, 1);
        if (id < 1 || id > c->maxid || !t) continue;
        didq_buf b = {0};
        didq_buf_puts(&b, " ");
        for (const char *p = t; *p; p++)
            didq_buf_add(&b, *p == ',' ? " " : p, 1);
        didq_buf_puts(&b, " ");
        c->by_id[id] = b.p;
    }
    sqlite3_finalize(q);
}

static void free_codes(codes *c)
{
    for (uint32_t i = 0; i <= c->maxid && c->by_id; i++)
        free(c->by_id[i]);
    free(c->by_id);
}

static const char *codes_of(const codes *c, int64_t id)
{
    return id >= 1 && id <= c->maxid && c->by_id[id] ? c->by_id[id] : " ";
}

/* True when " CODE " is in the list l (" A B "). */
static bool has_code(const char *l, const char *code, size_t n)
{
    for (const char *p = strstr(l, code); p; p = strstr(p + 1, code))
        if (p > l && p[-1] == ' ' && p[n] == ' ') return true;
    return false;
}

/* The codes of a (" A B ") that b has (in) or has not (!in), as " X Y ",
 * or "" for none. */
static void split(const char *a, const char *b, bool in, didq_buf *out)
{
    for (const char *p = a; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n) break;
        char code[64];
        snprintf(code, sizeof code, "%.*s", (int)(n < 63 ? n : 63), p);
        if (has_code(b, code, strlen(code)) == in)
            didq_buf_printf(out, "%s%s ", out->n ? "" : " ", code);
        p += n;
    }
    if (!out->p) didq_buf_puts(out, "");
}

static void insert(sqlite3_stmt *ins, int64_t id, const char *change, const char *items,
                   const char *fixed, const char *fresh, const char *remaining)
{
    sqlite3_bind_int64(ins, 1, id);
    sqlite3_bind_text(ins, 2, change, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, items, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 4, fixed, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 5, fresh, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 6, remaining, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(ins) != SQLITE_DONE) didq_die("internal error: didq_diff row");
    sqlite3_reset(ins);
}

/* A paired record: its findings fixed, new and remaining. */
static void insert_pair(sqlite3_stmt *ins, int64_t id, const char *change, const char *items,
                        const char *o, const char *n)
{
    didq_buf fixed = {0}, fresh = {0}, remaining = {0};
    split(o, n, false, &fixed);
    split(n, o, false, &fresh);
    split(n, o, true, &remaining);
    insert(ins, id, change, items, fixed.p, fresh.p, remaining.p);
    didq_buf_free(&fixed);
    didq_buf_free(&fresh);
    didq_buf_free(&remaining);
}

void didq_diff_mark(const didq_diff *d, didq_session *old, didq_session *new_)
{
    sqlite3 *db = didq_session_db(new_);
    codes co = {0}, cn = {0};
    read_codes(old, &co);
    read_codes(new_, &cn);
    /* The changed items of each changed record, by NEW id. */
    char **items = didq_xcalloc((size_t)d->new_maxid + 1, sizeof *items);
    for (size_t i = 0; i < d->nchanges; i++) {
        const didq_diff_change *c = &d->changes[i];
        if (c->kind == DIDQ_DIFF_CHANGED && c->new_id >= 1 && c->new_id <= d->new_maxid) {
            didq_buf b = {0};
            didq_buf_printf(&b, " %s ", c->items);
            items[c->new_id] = b.p;
        }
    }
    didq_exec(db, "DROP TABLE IF EXISTS temp.didq_diff;"
                  "CREATE TEMP TABLE didq_diff(id INTEGER PRIMARY KEY, change TEXT, items TEXT,"
                  " fixed TEXT, fresh TEXT, remaining TEXT); BEGIN");
    sqlite3_stmt *ins = didq_prepare(db, "INSERT INTO temp.didq_diff VALUES (?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *ids = didq_prepare(db, "SELECT id FROM records");
    while (sqlite3_step(ids) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(ids, 0);
        if (id < 1 || id > d->new_maxid) continue; /* not one the diff saw */
        if (d->new_pair[id])
            insert_pair(ins, id, items[id] ? "changed" : "unchanged", items[id] ? items[id] : "",
                        codes_of(&co, d->new_pair[id]), codes_of(&cn, id));
        else if (id <= cn.maxid && cn.by_id[id])
            insert(ins, id, "added", "", "", cn.by_id[id], "");
        else
            insert(ins, id, "added", "", "", "", "");
    }
    sqlite3_finalize(ids);
    sqlite3_finalize(ins);
    for (uint32_t id = 0; id <= d->new_maxid; id++)
        free(items[id]);
    didq_exec(db, "COMMIT");
    free(items);
    free_codes(&co);
    free_codes(&cn);
}
