/* tui_pane_valid.c: pane 3: one row per rule: code, severity, records
 * affected, share, the records didq fix would fix ("412 of 430"), with
 * --notes those explained, message; rules not checked say why.  Errors
 * that fire are marked '!'.  s sorts by the column under the cursor
 * (count, code); Enter lists the failing records, the rule's fields
 * first; F writes the fixed copy (tui_fix.c). */
#include "didq/fix.h"
#include "didq/report.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

/* A page: the grid's rows (the body less its heading and the legend's
 * lines) less one. */
enum { PAGE_LESS = 5, COL_RECORDS = 2, COL_FIXABLE = 4 };

static const char *head_fix[] = {"Rule", "Severity", "Records", "%", "Fixable", "Message"};
static const char *head_both[] = {"Rule",    "Severity",  "Records", "%",
                                  "Fixable", "Explained", "Message"};

didq_qtable *tui_table_widen(didq_qtable *src, int at, int n, const char **head, const char *align)
{
    didq_qtable *t = didq_qtable_new(src->ncols + n, head, align);
    for (size_t r = 0; r < src->nrows; r++) {
        size_t nr = didq_qtable_row(t);
        t->mark[nr] = src->mark[r];
        for (int c = 0; c < src->ncols; c++) {
            size_t k = r * (size_t)src->ncols + (size_t)c;
            size_t nk = nr * (size_t)t->ncols + (size_t)(c < at ? c : c + n);
            free(t->cells[nk]);
            t->cells[nk] = src->cells[k], src->cells[k] = NULL;
            t->where[nk] = src->where[k], src->where[k] = NULL;
            t->label[nk] = src->label[k], src->label[k] = NULL;
            t->count[nk] = src->count[k];
        }
    }
    didq_qtable_free(src);
    return t;
}

/* Whether row r is a rule's (the file-level rows come first, with a code
 * that is no rule's). */
static bool rule_row(tui *t, const didq_qtable *tab, size_t r)
{
    return didq_dataset_rule(didq_session_dataset(t->s), didq_qtable_cell(tab, r, 0)) >= 0;
}

/* Fixable: "N of M" records of a rule with a safe fix, "?" when a file
 * cannot be planned; empty for the others. */
static void fixable(tui *t, didq_qtable *tab, size_t r)
{
    const char *code = didq_qtable_cell(tab, r, 0), *recs = didq_qtable_cell(tab, r, COL_RECORDS);
    if (!rule_row(t, tab, r) || !didq_fix_for_rule(code) || strcmp(recs, "-") == 0) return;
    if (!tui_fix_ready_all(t)) {
        didq_qtable_set(tab, r, COL_FIXABLE, "?");
        return;
    }
    int64_t n = didq_fixset_count(tui_fixes(t), code, t->scope);
    if (n < 0)
        didq_qtable_set(tab, r, COL_FIXABLE, "?");
    else
        didq_qtable_set(tab, r, COL_FIXABLE, "%lld of %s", (long long)n, recs);
}

static didq_qtable *va_table(tui *t)
{
    didq_qtable *tab = didq_query_validation_in(t->s, t->scope);
    bool notes = t->notes != NULL;
    tab = tui_table_widen(tab, COL_FIXABLE, notes ? 2 : 1, notes ? head_both : head_fix,
                          notes ? "llrrrrl" : "llrrrl");
    didq_rexpl e;
    didq_rexpl_count_where(&e, t->s, t->notes, t->scope ? didq_scope_where(t->scope) : NULL);
    for (size_t r = 0; r < tab->nrows; r++) {
        fixable(t, tab, r);
        if (notes && rule_row(t, tab, r) && strcmp(didq_qtable_cell(tab, r, COL_RECORDS), "-") != 0)
            didq_qtable_set(tab, r, COL_FIXABLE + 1, "%llu",
                            (unsigned long long)didq_rexpl_rule(&e, didq_qtable_cell(tab, r, 0)));
    }
    didq_rexpl_free(&e);
    t->valid_rev = t->notes_rev;
    return tab;
}

/* The legend: what Fixable (and Explained) count; why Fixable is "?". */
static void legend(tui *t, didq_buf *b)
{
    didq_buf_puts(b, "Fixable: of the rule's records, those whose value didq fix changes (F "
                     "writes the fixed copy; docs/rules.md)");
    if (t->notes)
        didq_buf_puts(b, ". Explained: the rule's records whose note says explained (--notes)");
    didq_fixset *fs = tui_fixes(t);
    if (!tui_fix_ready_all(t)) {
        didq_buf_printf(b,
                        "\n? not counted: counting reads the files again (over %llu records: about"
                        " as long as their load); F reads them, says how many values it fixes and"
                        " asks before writing",
                        (unsigned long long)tui_fix_eager());
        return;
    }
    for (int f = 1; f <= didq_fixset_nfiles(fs); f++) {
        const char *why;
        if (!didq_scope_has_file(t->scope, f)) continue;
        int st = didq_fixset_file(fs, f, NULL, &why);
        if (st != DIDQ_FIXSET_OK && st != DIDQ_FIXSET_XML) {
            didq_buf_printf(b, "\n? not known: %s", why);
            break;
        }
    }
}

static void va_draw(tui *t, tui_view *v, int y, int h)
{
    tui_grid *g = v->st;
    if (t->valid_rev != t->notes_rev) tui_grid_reload(g, va_table(t));
    didq_buf b = {0};
    legend(t, &b);
    int n = tui_legend(t, y, h, b.p, A_NORMAL);
    tui_grid_draw(t, g, y, h - n - 1);
    didq_buf_free(&b);
}

/* Enter: the failing records of the rule under the cursor, its fields as
 * the first columns after File and Line (a file-level code: the usual
 * order). */
static bool va_drill(tui *t, tui_grid *g)
{
    if (g->tab->nrows == 0) return tui_grid_drill(t, g, 0);
    size_t r = g->order[g->cur], k = r * (size_t)g->tab->ncols;
    const didq_dataset *ds = didq_session_dataset(t->s);
    int ri = didq_dataset_rule(ds, didq_qtable_cell(g->tab, r, 0));
    if (ri < 0 || !g->tab->where[k]) return tui_grid_drill(t, g, 0);
    tui_list_arg arg = {g->tab->where[k], NULL, g->tab->count[k], ds->rules[ri].fields,
                        ds->rules[ri].nfields};
    tui_push(t, &tui_records_ops, &arg, g->tab->label[k]);
    return true;
}

static bool va_key(tui *t, tui_view *v, tui_action a)
{
    tui_grid *g = v->st;
    if (a == A_enter) return va_drill(t, g);
    return tui_grid_key(t, g, a, v->height - PAGE_LESS);
}

const tui_view_ops tui_valid_ops = {
    .name = "Validation",
    .ctx = "table validation",
    .table = va_table,
    .draw = va_draw,
    .key = va_key,
    .keys = "Enter:failing records  F:fixed copy  Left/Right:column  s:sort by column",
};
