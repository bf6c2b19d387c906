/* tui_group.c: records side by side: one row per data item, one column per
 * record (as wide as its widest value, 40 at most; wider values end with a
 * marker); items whose values differ are marked '*'.  Enter lists the
 * records.  Two views: a duplicate group (pane 4), and the patient view:
 * every record of one patient across the loaded files and months
 * (didq_query_patients), opened on the patients of a record, a list or an
 * anomaly; PgDn and PgUp step to the next and previous patient. */
#include "didq/util.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

enum { GMAX = 16, NAMEW = 18, COLW = 16, COLW_MAX = 40 };

/* The patients a patient view steps through. */
enum { PATIENTS_MAX = 10000 };

typedef struct group {
    char *where;
    didq_row rows[GMAX];
    int n, first;
    uint64_t count;
    didq_patients *pat; /* the patient view: its patients; NULL for a group */
    size_t pi;          /* the patient shown */
} group;

static void load(tui *t, group *g, const char *where, int64_t count)
{
    for (int i = 0; i < g->n; i++)
        didq_row_clear(&g->rows[i]);
    free(g->where);
    g->where = didq_strdup(where);
    didq_list *l = didq_list_new(t->s, g->where);
    if (count >= 0) didq_list_set_count(l, (uint64_t)count);
    g->n = didq_list_fetch(l, NULL, false, false, g->rows, GMAX);
    g->count = didq_list_count(l);
    g->first = 0;
    didq_list_free(l);
}

static void show_patient(tui *t, group *g, size_t i)
{
    char *w = g->pat->n ? didq_patient_where(t->s, g->pat, i) : NULL;
    g->pi = i;
    load(t, g, w ? w : "0", -1);
    free(w);
}

static void gr_open(tui *t, tui_view *v, const void *arg)
{
    const tui_list_arg *la = arg;
    group *g = v->st;
    if (v->ops != &tui_patient_ops) {
        load(t, g, la->where, la->count);
        return;
    }
    g->pat = didq_query_patients(t->s, la->where, PATIENTS_MAX);
    show_patient(t, g, 0);
}

static void gr_close(tui_view *v)
{
    group *g = v->st;
    for (int i = 0; i < g->n; i++)
        didq_row_clear(&g->rows[i]);
    free(g->where);
    didq_patients_free(g->pat);
}

/* The last line: what the columns are, and what '*' means. */
static void legend(const group *g, char *buf, size_t cap)
{
    const char *cut = g->count > GMAX ? " (first 16 shown)" : "";
    if (!g->pat) {
        snprintf(buf, cap, "%llu record%s in the group%s; * values differ",
                 (unsigned long long)g->count, didq_plural(g->count), cut);
        return;
    }
    if (!g->pat->n) {
        snprintf(buf, cap, "No patient to match: no NHS number, and no birth date and postcode");
        return;
    }
    snprintf(buf, cap, "Patient %zu of %zu%s: %llu record%s with the same %s%s; * values differ",
             g->pi + 1, g->pat->n, g->pat->more ? "+" : "", (unsigned long long)g->count,
             didq_plural(g->count), g->pat->p[g->pi].by_nhs ? "NHS number" : "birth date+postcode",
             cut);
}

static bool differs(const group *g, int item)
{
    for (int i = 1; i < g->n; i++)
        if (strcmp(g->rows[i].f[item], g->rows[0].f[item]) != 0) return true;
    return false;
}

/* Width of record c's column (with the space after it). */
static int col_w(const tui *t, const group *g, int c)
{
    const didq_dataset *ds = didq_session_dataset(t->s);
    int w = COLW - 1;
    for (int i = 0; i < ds->nitems; i++) {
        didq_buf b = {0};
        tui_value(t, i, g->rows[c].f[i], &b);
        int n = tui_text_width(t, b.p);
        w = n > w ? n : w;
        didq_buf_free(&b);
    }
    return (w < COLW_MAX ? w : COLW_MAX) + 1;
}

/* Whether the group's records come from more than one file. */
static bool many_files(const group *g, int n)
{
    for (int c = 1; c < n; c++)
        if (strcmp(g->rows[c].file, g->rows[0].file) != 0) return true;
    return false;
}

/* Record c's heading: its line, after its file's name when the records
 * come from several files (line 1 of two files would read alike). */
static void col_head(const group *g, int c, bool files, char *buf, size_t cap)
{
    if (files)
        snprintf(buf, cap, "%s:%lld", didq_path_base(g->rows[c].file), (long long)g->rows[c].line);
    else
        snprintf(buf, cap, "line %lld", (long long)g->rows[c].line);
}

static void gr_draw(tui *t, tui_view *v, int y, int h)
{
    group *g = v->st;
    const didq_dataset *ds = didq_session_dataset(t->s);
    int cw[GMAX] = {0}, n = g->n < GMAX ? g->n : GMAX;
    for (int c = 0; c < n; c++)
        cw[c] = col_w(t, g, c);
    tui_put(t, y, 0, NAMEW, "  Item", A_BOLD | A_UNDERLINE);
    bool files = many_files(g, n);
    for (int c = g->first, x = NAMEW; c < n && x < COLS; x += cw[c++]) {
        char head[96];
        col_head(g, c, files, head, sizeof head);
        tui_put_tail(t, y, x, cw[c] - 1, head, A_BOLD | A_UNDERLINE); /* the line kept */
    }
    for (int i = 0; i < ds->nitems && i < h - 2; i++) {
        bool d = differs(g, i);
        char name[40];
        snprintf(name, sizeof name, "%s %s", d ? "*" : " ", ds->items[i].shortname);
        tui_put(t, y + 1 + i, 0, NAMEW, name, d ? tui_attr(t, S_WARN) | A_BOLD : A_NORMAL);
        for (int c = g->first, x = NAMEW; c < n && x < COLS; x += cw[c++]) {
            didq_buf b = {0};
            tui_value(t, i, g->rows[c].f[i], &b);
            tui_put(t, y + 1 + i, x, cw[c] - 1, b.p, d ? A_BOLD : A_NORMAL);
            didq_buf_free(&b);
        }
    }
    char line[160];
    legend(g, line, sizeof line);
    tui_put(t, y + h - 1, 1, COLS - 2, line, A_BOLD);
}

static bool gr_key(tui *t, tui_view *v, tui_action a)
{
    group *g = v->st;
    switch (a) {
    case A_left:
        g->first -= g->first > 0;
        return true;
    case A_right:
        g->first += g->first + 1 < g->n;
        return true;
    case A_pgdn:
    case A_pgup: {
        if (!g->pat) return true;
        size_t to = a == A_pgdn ? g->pi + (g->pi + 1 < g->pat->n) : g->pi - (g->pi > 0);
        if (to != g->pi) show_patient(t, g, to);
        return true;
    }
    case A_enter: {
        if (!g->n) return true;
        tui_list_arg arg = {.where = g->where, .count = (int64_t)g->count};
        tui_push(t, &tui_records_ops, &arg, "records");
        return true;
    }
    default:
        return a == A_up || a == A_down;
    }
}

const tui_view_ops tui_group_ops = {
    .name = "Group",
    .ctx = "table",
    .private_size = sizeof(group),
    .open = gr_open,
    .draw = gr_draw,
    .key = gr_key,
    .close = gr_close,
    .keys = "Left/Right:scroll records  Enter:list the records",
};

const tui_view_ops tui_patient_ops = {
    .name = "Patient",
    .ctx = "table",
    .private_size = sizeof(group),
    .open = gr_open,
    .draw = gr_draw,
    .key = gr_key,
    .close = gr_close,
    .keys = "PgDn/PgUp:next/previous patient  Left/Right:scroll  Enter:records",
};

void tui_patient(tui *t, int64_t id)
{
    char where[48];
    snprintf(where, sizeof where, "r.id = %lld", (long long)id);
    tui_list_arg arg = {.where = where, .count = -1};
    tui_push(t, &tui_patient_ops, &arg, "Patient");
}
