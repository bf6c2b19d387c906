/* baseline.c: `check --baseline FILE`: the findings of an earlier
 * `check --findings` as a sorted multiset of keys (site, accession, code),
 * and the session's findings counted against it in file order. */
#include "didq/baseline.h"
#include "didq/notes.h"
#include "didq/store.h"
#include "didq/table.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct bkey {
    char *k; /* site US accession US code (US: 0x1f; keys never hold one) */
    uint64_t count;
} bkey;

struct didq_baseline {
    char *path;
    bkey *keys;
    size_t nkeys, cap;
    uint64_t rows, unchanged, fixed;
    didq_baseline_new *fresh;
    size_t nfresh, freshcap;
    bool compared;
};

static char *make_key(const char *site, size_t ls, const char *acc, size_t la, const char *code)
{
    didq_buf b = {0};
    didq_notes_key(&b, site, ls);
    didq_buf_add(&b, "\x1f", 1);
    didq_notes_key(&b, acc, la);
    didq_buf_add(&b, "\x1f", 1);
    didq_buf_puts(&b, code);
    return b.p;
}

/* ---- reading ---- */

enum { BC_SITE, BC_ACC, BC_CODE, BC_N };
static const char *const bcol_names[BC_N] = {"site", "accession", "code"};

static const char *read_row(void *ctx, const char *const *c, const size_t *len, uint64_t line,
                            char *why, size_t cap)
{
    (void)line, (void)why, (void)cap;
    if (!*c[BC_CODE]) return "a finding without a code";
    didq_baseline *b = ctx;
    if (b->nkeys == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 1024;
        b->keys = didq_xrealloc(b->keys, b->cap * sizeof *b->keys);
    }
    b->keys[b->nkeys++] =
        (bkey){make_key(c[BC_SITE], len[BC_SITE], c[BC_ACC], len[BC_ACC], c[BC_CODE]), 1};
    b->rows++;
    return NULL;
}

static int key_cmp(const void *x, const void *y)
{
    return strcmp(((const bkey *)x)->k, ((const bkey *)y)->k);
}

/* Sorts the keys and folds equal ones into counts. */
static void fold(didq_baseline *b)
{
    if (!b->nkeys) return;
    qsort(b->keys, b->nkeys, sizeof *b->keys, key_cmp);
    size_t w = 0;
    for (size_t i = 1; i < b->nkeys; i++) {
        if (strcmp(b->keys[w].k, b->keys[i].k) == 0) {
            b->keys[w].count++;
            free(b->keys[i].k);
        } else {
            b->keys[++w] = b->keys[i];
        }
    }
    b->nkeys = w + 1;
}

int didq_baseline_load(const char *path, didq_baseline **out, char *err, size_t errlen)
{
    didq_baseline *b = didq_xcalloc(1, sizeof *b);
    b->path = didq_strdup(path);
    *out = NULL;
    const didq_keyed_csv k = {.names = bcol_names,
                              .n = BC_N,
                              .header_hint = "a findings CSV of check --findings; ",
                              .no_header = "no header line (a findings CSV of check --findings)",
                              .on_row = read_row,
                              .ctx = b};
    int rc = didq_keyed_csv_read(path, &k, err, errlen);
    if (rc != 0) {
        didq_baseline_free(b);
        return rc;
    }
    fold(b);
    *out = b;
    return 0;
}

void didq_baseline_free(didq_baseline *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->nkeys; i++)
        free(b->keys[i].k);
    for (size_t i = 0; i < b->nfresh; i++) {
        didq_baseline_new *f = &b->fresh[i];
        free(f->file);
        free(f->site);
        free(f->acc);
        free(f->code);
        free(f->message);
    }
    free(b->fresh);
    free(b->keys);
    free(b->path);
    free(b);
}

/* ---- comparing ---- */

static const char *col_text(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? (const char *)t : "";
}

/* Counts one finding of the session against the baseline. */
static void one(didq_baseline *b, sqlite3_stmt *q)
{
    /* columns: path, line, site, acc, code, message */
    char *k = make_key(col_text(q, 2), (size_t)sqlite3_column_bytes(q, 2), col_text(q, 3),
                       (size_t)sqlite3_column_bytes(q, 3), col_text(q, 4));
    bkey want = {k, 0};
    bkey *hit = b->nkeys ? bsearch(&want, b->keys, b->nkeys, sizeof *b->keys, key_cmp) : NULL;
    free(k);
    if (hit && hit->count) {
        hit->count--;
        b->unchanged++;
        return;
    }
    if (b->nfresh == b->freshcap) {
        b->freshcap = b->freshcap ? b->freshcap * 2 : 64;
        b->fresh = didq_xrealloc(b->fresh, b->freshcap * sizeof *b->fresh);
    }
    b->fresh[b->nfresh++] = (didq_baseline_new){.file = didq_strdup(col_text(q, 0)),
                                                .line = sqlite3_column_int64(q, 1),
                                                .site = didq_strdup(col_text(q, 2)),
                                                .acc = didq_strdup(col_text(q, 3)),
                                                .code = didq_strdup(col_text(q, 4)),
                                                .message = didq_strdup(col_text(q, 5))};
}

void didq_baseline_compare(didq_baseline *b, didq_session *s)
{
    if (b->compared) return;
    b->compared = true;
    sqlite3 *db = didq_session_db(s);
    /* The findings CSV's rows: file-level findings (no site, no accession),
     * then one row per finding of a record, its raw site and accession. */
    sqlite3_stmt *q =
        didq_prepare(db, "SELECT f.path, ff.line, '', '', ff.code, ff.message FROM file_findings ff"
                         " JOIN files f ON f.id = ff.file ORDER BY ff.file, ff.line, ff.code");
    while (sqlite3_step(q) == SQLITE_ROW)
        one(b, q);
    sqlite3_finalize(q);
    q = didq_prepare(db, "SELECT f.path, r.line, r.site, r.acc, ru.code, ru.message"
                         " FROM findings fi JOIN records r ON r.id = fi.rec"
                         " JOIN rules ru ON ru.id = fi.rule JOIN files f ON f.id = r.file"
                         " ORDER BY r.id, ru.code");
    while (sqlite3_step(q) == SQLITE_ROW)
        one(b, q);
    sqlite3_finalize(q);
    for (size_t i = 0; i < b->nkeys; i++)
        b->fixed += b->keys[i].count;
}

const char *didq_baseline_path(const didq_baseline *b)
{
    return b->path;
}

uint64_t didq_baseline_rows(const didq_baseline *b)
{
    return b->rows;
}

uint64_t didq_baseline_unchanged(const didq_baseline *b)
{
    return b->unchanged;
}

uint64_t didq_baseline_fixed(const didq_baseline *b)
{
    return b->fixed;
}

size_t didq_baseline_nnew(const didq_baseline *b)
{
    return b->nfresh;
}

const didq_baseline_new *didq_baseline_get_new(const didq_baseline *b, size_t i)
{
    return i < b->nfresh ? &b->fresh[i] : NULL;
}
