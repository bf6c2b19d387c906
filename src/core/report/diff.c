/* diff.c: two finished sessions compared record by record (`didq diff`).
 * Each side is read into memory once (diff_side.c): a hash of each
 * record's key (the cleansed site code and accession number, as DIDS071
 * compares them) and its findings.  The records are paired by key in parts
 * on threads (diff_match.c); a pair's items are compared on their raw
 * bytes.  Only the added, removed and changed records are kept, sorted by
 * key, and described here, in ranges on threads. */
#include "diff_int.h"
#include "didq/store.h"
#include "didq/util.h"
#include "parts.h"

#include <stdlib.h>
#include <string.h>

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(didq_xmalloc(n), s, n);
}

static int code_cmp(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The rule codes of both sessions' catalogues, sorted and distinct. */
static void read_rules(didq_diff *d, didq_session *a, didq_session *b)
{
    char **codes = NULL;
    size_t n = 0, cap = 0;
    for (int k = 0; k < 2; k++) {
        sqlite3_stmt *q = didq_prepare(didq_session_db(k ? b : a), "SELECT code FROM rules");
        while (sqlite3_step(q) == SQLITE_ROW) {
            if (n == cap) {
                cap = cap ? cap * 2 : 128;
                codes = didq_xrealloc(codes, cap * sizeof *codes);
            }
            const unsigned char *t = sqlite3_column_text(q, 0);
            codes[n++] = xstrdup(t ? (const char *)t : "");
        }
        sqlite3_finalize(q);
    }
    if (n) qsort(codes, n, sizeof *codes, code_cmp);
    d->rules = didq_xcalloc(n ? n : 1, sizeof *d->rules);
    for (size_t i = 0; i < n; i++) {
        if (d->nrules && strcmp(d->rules[d->nrules - 1].code, codes[i]) == 0)
            free(codes[i]);
        else
            d->rules[d->nrules++].code = codes[i];
    }
    free(codes);
}

static char *codes_text(const didq_diff *d, const int *r, int n)
{
    didq_buf b = {0};
    for (int i = 0; i < n; i++)
        didq_buf_printf(&b, "%s%s", i ? " " : "", d->rules[r[i]].code);
    return b.p ? b.p : xstrdup("");
}

static char *key_part(const char *s, uint32_t n)
{
    char *p = didq_xmalloc((size_t)n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* The codes in a only (sorted lists), into out; returns how many. */
static int only_in(const int *a, int na, const int *b, int nb, int *out)
{
    int i = 0, j = 0, k = 0;
    while (i < na) {
        if (j >= nb || a[i] < b[j])
            out[k++] = a[i++];
        else if (b[j] < a[i])
            j++;
        else
            i++, j++;
    }
    return k;
}

/* A range of the sorted changes described, on a thread of its own: its
 * scratch lists and its count of changed items. */
typedef struct change_job {
    dmatch *m;
    size_t from, to;
    int *fixed, *fresh;
    uint64_t item_changed[DIDQ_MAX_ITEMS];
} change_job;

static void make_change(change_job *j, const dpend *p, didq_diff_change *c)
{
    dmatch *m = j->m;
    memset(c, 0, sizeof *c);
    c->kind = (enum didq_diff_kind)p->kind;
    c->site_len = p->key.ls;
    c->acc_len = p->key.la;
    c->site = key_part(p->key.site, p->key.ls);
    c->acc = key_part(p->key.acc, p->key.la);
    int no = 0, nn = 0;
    const int *ro = p->o != UINT32_MAX ? didq_dside_rules(m->old, p->o, &no) : NULL;
    const int *rn = p->n != UINT32_MAX ? didq_dside_rules(m->new_, p->n, &nn) : NULL;
    if (p->o != UINT32_MAX)
        c->old_line = didq_dside_line(m->old, p->o), c->old_id = didq_dside_id(m->old, p->o);
    if (p->n != UINT32_MAX)
        c->new_line = didq_dside_line(m->new_, p->n), c->new_id = didq_dside_id(m->new_, p->n);
    c->fixed = codes_text(m->d, j->fixed, only_in(ro, no, rn, nn, j->fixed));
    c->fresh = codes_text(m->d, j->fresh, only_in(rn, nn, ro, no, j->fresh));
    didq_buf names = {0};
    if (c->kind == DIDQ_DIFF_CHANGED)
        didq_dmatch_items_differ(m, p->o, p->n, j->item_changed, &names);
    c->items = names.p ? names.p : xstrdup("");
}

static void *changes_main(void *arg)
{
    change_job *j = arg;
    j->fixed = didq_xmalloc((j->m->d->nrules + 1) * sizeof *j->fixed);
    j->fresh = didq_xmalloc((j->m->d->nrules + 1) * sizeof *j->fresh);
    for (size_t i = j->from; i < j->to; i++)
        make_change(j, &j->m->pend[i], &j->m->d->changes[i]);
    free(j->fixed);
    free(j->fresh);
    return NULL;
}

/* The sorted pending records described as changes, in nparts ranges on as
 * many threads; the counts of changed items summed after. */
static void make_changes(dmatch *m)
{
    didq_diff *d = m->d;
    d->changes = didq_xmalloc((m->npend ? m->npend : 1) * sizeof *d->changes);
    d->nchanges = m->npend;
    change_job *j = didq_xcalloc(m->nparts, sizeof *j);
    for (uint32_t k = 0; k < m->nparts; k++)
        j[k] = (change_job){
            .m = m, .from = m->npend * k / m->nparts, .to = m->npend * (k + 1) / m->nparts};
    didq_run_parts(changes_main, j, sizeof *j, m->nparts);
    for (uint32_t k = 0; k < m->nparts; k++)
        for (int i = 0; i < d->nitems; i++)
            d->item_changed[i] += j[k].item_changed[i];
    free(j);
}

typedef struct open_job {
    dside *side;
    didq_session *s;
    const didq_diff *d;
} open_job;

static void *open_main(void *p)
{
    open_job *j = p;
    didq_dside_open(j->side, j->s, j->d);
    return NULL;
}

/* Both sides are read at once, each on a thread (each reads only its own
 * session; d's rule list is only read). */
static void open_sides(dside *old_side, dside *new_side, const didq_diff *d, didq_session *old,
                       didq_session *new_)
{
    open_job j[2] = {{new_side, new_, d}, {old_side, old, d}};
    didq_run_parts(open_main, j, sizeof *j, 2);
}

/* The parts of the matching: the load's threads (at most
 * DIDQ_DEFAULT_THREADS_MAX), one when
 * either side is a saved session (its values come through one statement). */
static uint32_t parts_for(const dside *a, const dside *b, didq_session *new_)
{
    int t = didq_session_threads(new_);
    if (!a->rs || !b->rs || t < 1) return 1;
    return t < DIDQ_DEFAULT_THREADS_MAX ? (uint32_t)t : DIDQ_DEFAULT_THREADS_MAX;
}

didq_diff *didq_diff_run(didq_session *old, didq_session *new_)
{
    didq_diff *d = didq_xcalloc(1, sizeof *d);
    d->ds = didq_session_dataset(new_);
    d->nitems = d->ds->nitems;
    read_rules(d, old, new_);
    dside os, ns;
    open_sides(&os, &ns, d, old, new_);
    d->old_records = os.n;
    d->new_records = ns.n;
    d->old_unkeyed = os.unkeyed;
    d->new_unkeyed = ns.unkeyed;
    d->new_maxid = ns.n ? didq_dside_id(&ns, ns.n - 1) : 0;
    d->new_pair = didq_xcalloc((size_t)d->new_maxid + 1, sizeof *d->new_pair);
    dmatch m = {.d = d, .old = &os, .new_ = &ns, .nparts = parts_for(&os, &ns, new_)};
    didq_dmatch_run(&m);
    make_changes(&m);
    free(m.pend);
    didq_dside_free(&os);
    didq_dside_free(&ns);
    return d;
}

bool didq_diff_compared(const didq_diff *d)
{
    return !d->old_stopped && !d->new_stopped;
}

bool didq_diff_same(const didq_diff *d)
{
    return d->added == 0 && d->removed == 0 && d->changed == 0;
}

void didq_diff_free(didq_diff *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nrules; i++)
        free(d->rules[i].code);
    free(d->rules);
    for (size_t i = 0; i < d->nchanges; i++) {
        didq_diff_change *c = &d->changes[i];
        free(c->site);
        free(c->acc);
        free(c->items);
        free(c->fixed);
        free(c->fresh);
    }
    free(d->changes);
    free(d->new_pair);
    free(d);
}

const didq_diff_change *didq_diff_change_of(const didq_diff *d, int64_t new_id)
{
    for (size_t i = 0; new_id > 0 && i < d->nchanges; i++)
        if (d->changes[i].new_id == new_id) return &d->changes[i];
    return NULL;
}

bool didq_diff_values(const didq_diff *d, didq_session *s, int64_t id, char **vals)
{
    didq_buf sql = {0};
    didq_buf_puts(&sql, "SELECT ");
    for (int i = 0; i < d->nitems; i++)
        didq_buf_printf(&sql, "%sf%d", i ? ", " : "", DIDQ_COL_NUM(i));
    didq_buf_puts(&sql, " FROM records WHERE id = ?");
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql.p);
    didq_buf_free(&sql);
    sqlite3_bind_int64(q, 1, id);
    bool found = sqlite3_step(q) == SQLITE_ROW;
    for (int i = 0; found && i < d->nitems; i++) {
        const void *v = sqlite3_column_blob(q, i);
        size_t n = (size_t)sqlite3_column_bytes(q, i);
        vals[i] = didq_xmalloc(n + 1);
        if (n) memcpy(vals[i], v, n);
        vals[i][n] = '\0';
    }
    sqlite3_finalize(q);
    return found;
}

bool didq_diff_old_values(const didq_diff *d, didq_session *old, int64_t new_id, char **vals)
{
    if (new_id < 1 || new_id > d->new_maxid || !d->new_pair[new_id]) return false;
    return didq_diff_values(d, old, d->new_pair[new_id], vals);
}
