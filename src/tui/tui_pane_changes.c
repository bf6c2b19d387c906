/* tui_pane_changes.c: pane C, in `didq diff OLD NEW` only: the diff's
 * counts as the text report has them (records added, removed, changed and
 * unchanged; findings fixed, new and remaining; per item and per rule),
 * each with the number of records Enter lists.  Added, changed and
 * unchanged records are NEW's, listed as every list of records is (the
 * conditions are on temp.didq_diff, diff_view.c); removed records are only
 * in OLD, so Enter lists them apart (tui_changes_old.c): OLD's line, site,
 * accession number and findings, and OLD's values on Enter. */
#include "didq/diff.h"
#include "didq/store.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

/* Columns: what is counted, the diff's count, the records behind it. */
enum { COL_WHAT, COL_COUNT, COL_RECORDS, NCOL };
/* Lines above the grid (the two files, records without a key); a page is
 * the grid's rows less one. */
enum { HEAD = 3, PAGE_LESS = HEAD + 2 + 2 };

/* Which records of OLD a row lists (removed records), per table row. */
enum { OLD_NONE, OLD_ALL, OLD_FINDINGS, OLD_RULE };

typedef struct changes {
    tui_grid g;
    int *old;      /* per table row: OLD_* */
    char **rule;   /* per table row: the rule of OLD_RULE, or NULL */
    char **cond;   /* per table row: NEW's records (on temp.didq_diff), or NULL */
    char *head[2]; /* "OLD path: N records", "NEW ..." */
} changes;

static bool ch_present(const tui *t)
{
    return t->diff != NULL;
}

static const char *heads[NCOL] = {"Changes (OLD to NEW)", "Count", "Records"};

/* Rows counted per pass over temp.didq_diff (a result has at most 2000
 * columns in SQLite). */
enum { PER_PASS = 500 };

/* The Records of NEW's rows: the records meeting each row's condition,
 * counted in one pass over temp.didq_diff per PER_PASS rows (a pass per
 * row would read a national month's table two hundred times). */
static void count_new(tui *t, changes *c, didq_qtable *tab)
{
    for (size_t first = 0; first < tab->nrows; first += PER_PASS) {
        size_t end = first + PER_PASS < tab->nrows ? first + PER_PASS : tab->nrows, k = 0;
        didq_buf sql = {0};
        didq_buf_puts(&sql, "SELECT 0");
        for (size_t r = first; r < end; r++)
            if (c->cond[r]) didq_buf_printf(&sql, ", coalesce(sum((%s)), 0)", c->cond[r]);
        didq_buf_puts(&sql, " FROM temp.didq_diff");
        sqlite3_stmt *q = didq_prepare(didq_session_db(t->s), sql.p);
        bool row = sqlite3_step(q) == SQLITE_ROW;
        for (size_t r = first; r < end; r++) {
            if (!c->cond[r]) continue;
            int64_t n = row ? sqlite3_column_int64(q, (int)++k) : 0;
            didq_qtable_set(tab, r, COL_RECORDS, "%lld", (long long)n);
            for (int col = 0; col < NCOL; col++)
                didq_qtable_count(tab, r, col, n);
        }
        sqlite3_finalize(q);
        didq_buf_free(&sql);
    }
}

/* Removed records of the kind (OLD_ALL: every one; OLD_FINDINGS: with a
 * finding; OLD_RULE: breaking rule). */
static uint64_t count_old(const didq_diff *d, int kind, const char *rule)
{
    uint64_t n = 0;
    for (size_t i = 0; i < d->nchanges; i++)
        n += tui_removed_match(&d->changes[i], kind == OLD_ALL ? NULL : rule ? rule : "");
    return n;
}

static void grow(changes *c, size_t rows)
{
    c->old = didq_xrealloc(c->old, rows * sizeof *c->old);
    c->rule = didq_xrealloc(c->rule, rows * sizeof *c->rule);
    c->cond = didq_xrealloc(c->cond, rows * sizeof *c->cond);
}

/* A row listing NEW's records meeting cond (a condition on temp.didq_diff;
 * its Records are counted by count_new). */
static void row_new(changes *c, didq_qtable *tab, const char *what, uint64_t count,
                    const char *cond)
{
    size_t r = didq_qtable_row(tab);
    grow(c, r + 1);
    c->old[r] = OLD_NONE, c->rule[r] = NULL, c->cond[r] = didq_strdup(cond);
    didq_qtable_set(tab, r, COL_WHAT, "%s", what);
    didq_qtable_set(tab, r, COL_COUNT, "%llu", (unsigned long long)count);
    for (int col = 0; col < NCOL; col++)
        didq_qtable_drill(tab, r, col, what, "r.id IN (SELECT id FROM temp.didq_diff WHERE %s)",
                          cond);
}

/* A row listing OLD's removed records (kind OLD_*, rule for OLD_RULE). */
static void row_old(tui *t, changes *c, didq_qtable *tab, const char *what, uint64_t count,
                    int kind, const char *rule)
{
    size_t r = didq_qtable_row(tab);
    grow(c, r + 1);
    c->old[r] = kind, c->rule[r] = rule ? didq_strdup(rule) : NULL, c->cond[r] = NULL;
    didq_qtable_set(tab, r, COL_WHAT, "%s", what);
    didq_qtable_set(tab, r, COL_COUNT, "%llu", (unsigned long long)count);
    didq_qtable_set(tab, r, COL_RECORDS, "%llu",
                    (unsigned long long)count_old(t->diff, kind, kind == OLD_FINDINGS ? "" : rule));
}

static void counts(tui *t, changes *c, didq_qtable *tab)
{
    const didq_diff *d = t->diff;
    row_new(c, tab, "records added (in NEW only)", d->added, "change = 'added'");
    row_old(t, c, tab, "records removed (in OLD only)", d->removed, OLD_ALL, NULL);
    row_new(c, tab, "records changed", d->changed, "change = 'changed'");
    row_new(c, tab, "records unchanged", d->unchanged, "change = 'unchanged'");
    row_new(c, tab, "findings fixed (records in both)", d->findings_fixed,
            "change <> 'added' AND fixed <> ''");
    row_new(c, tab, "findings new (records in both)", d->findings_new,
            "change <> 'added' AND fresh <> ''");
    row_new(c, tab, "findings remaining (records in both)", d->findings_remaining,
            "remaining <> ''");
    row_new(c, tab, "findings of added records", d->findings_added,
            "change = 'added' AND fresh <> ''");
    row_old(t, c, tab, "findings of removed records", d->findings_removed, OLD_FINDINGS, NULL);
}

static void items(tui *t, changes *c, didq_qtable *tab)
{
    const didq_diff *d = t->diff;
    for (int i = 0; i < d->nitems; i++) {
        if (!d->item_changed[i]) continue;
        char what[96], *cond = sqlite3_mprintf("instr(items, ' %q ') > 0", d->ds->items[i].field);
        snprintf(what, sizeof what, "item %s changed", d->ds->items[i].field);
        row_new(c, tab, what, d->item_changed[i], cond);
        sqlite3_free(cond);
    }
}

/* One row per rule and count that is not 0, in the text report's order. */
static void rules(tui *t, changes *c, didq_qtable *tab)
{
    static const char *const cols[] = {"fixed", "new", "remaining", "added"};
    static const char *const conds[] = {"change <> 'added' AND instr(fixed, ' %q ') > 0",
                                        "change <> 'added' AND instr(fresh, ' %q ') > 0",
                                        "instr(remaining, ' %q ') > 0",
                                        "change = 'added' AND instr(fresh, ' %q ') > 0"};
    const didq_diff *d = t->diff;
    for (size_t i = 0; i < d->nrules; i++) {
        const didq_diff_rule *r = &d->rules[i];
        uint64_t n[] = {r->fixed, r->fresh, r->remaining, r->added};
        char what[96];
        for (int k = 0; k < 4; k++) {
            if (!n[k]) continue;
            snprintf(what, sizeof what, "rule %s %s", r->code, cols[k]);
            char *cond = sqlite3_mprintf(conds[k], r->code);
            row_new(c, tab, what, n[k], cond);
            sqlite3_free(cond);
        }
        if (r->removed) {
            snprintf(what, sizeof what, "rule %s removed", r->code);
            row_old(t, c, tab, what, r->removed, OLD_RULE, r->code);
        }
    }
}

/* "OLD path: N records" of a session. */
static char *file_line(didq_session *s, const char *label)
{
    didq_buf b = {0};
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), "SELECT path FROM files ORDER BY id");
    const char *path = sqlite3_step(q) == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : "";
    didq_buf_printf(&b, "%s %s: %llu records", label, path ? path : "",
                    (unsigned long long)didq_session_records(s));
    sqlite3_finalize(q);
    return b.p;
}

static void ch_open(tui *t, tui_view *v, const void *arg)
{
    (void)arg;
    changes *c = v->st;
    didq_qtable *tab = didq_qtable_new(NCOL, heads, "lrr");
    counts(t, c, tab);
    items(t, c, tab);
    rules(t, c, tab);
    count_new(t, c, tab);
    tui_grid_set(&c->g, tab);
    c->head[0] = file_line(t->o->diff_old, "OLD");
    c->head[1] = file_line(t->s, "NEW");
}

static void ch_close(tui_view *v)
{
    changes *c = v->st;
    for (size_t r = 0; c->g.tab && r < c->g.tab->nrows; r++)
        free(c->rule[r]), free(c->cond[r]);
    tui_grid_free(&c->g);
    free(c->old);
    free(c->rule);
    free(c->cond);
    free(c->head[0]);
    free(c->head[1]);
}

static void ch_draw(tui *t, tui_view *v, int y, int h)
{
    changes *c = v->st;
    const didq_diff *d = t->diff;
    tui_put(t, y, 2, COLS - 4, c->head[0], A_BOLD);
    tui_put(t, y + 1, 2, COLS - 4, c->head[1], A_BOLD);
    if (d->old_unkeyed || d->new_unkeyed) {
        char line[160];
        snprintf(line, sizeof line,
                 "without a site code or accession number (no key; paired in file order):"
                 " %llu in OLD, %llu in NEW",
                 (unsigned long long)d->old_unkeyed, (unsigned long long)d->new_unkeyed);
        tui_put(t, y + 2, 2, COLS - 4, line, tui_attr(t, S_WARN));
    }
    int legend = tui_legend(t, y + HEAD, h - HEAD,
                            "Count: as didq diff reports it (a rule counts once per record); "
                            "Records: the records Enter lists (NEW's; removed ones are OLD's)",
                            A_NORMAL);
    tui_grid_draw(t, &c->g, y + HEAD, h - HEAD - legend - 1);
}

static bool ch_key(tui *t, tui_view *v, tui_action a)
{
    changes *c = v->st;
    if (a == A_enter && c->g.tab->nrows) {
        size_t r = c->g.order[c->g.cur];
        if (c->old[r] == OLD_NONE) return tui_grid_drill(t, &c->g, COL_WHAT);
        tui_removed_arg arg = {c->old[r] == OLD_ALL ? NULL : c->rule[r] ? c->rule[r] : ""};
        tui_push(t, &tui_removed_ops, &arg, didq_qtable_cell(c->g.tab, r, COL_WHAT));
        return true;
    }
    return tui_grid_key(t, &c->g, a, v->height - PAGE_LESS);
}

const tui_view_ops tui_changes_ops = {
    .name = "Changes",
    .ctx = "table",
    .private_size = sizeof(changes),
    .open = ch_open,
    .draw = ch_draw,
    .key = ch_key,
    .close = ch_close,
    .present = ch_present,
    .tabkey = "C",
    .keys = "Enter:list the records  s:sort",
};
