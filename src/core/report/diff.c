/* diff.c: two finished sessions compared record by record (`didq diff`).
 * Each side is read into memory once (diff_side.c): a hash of each
 * record's key (the cleansed site code and accession number, as DIDS071
 * compares them) and its findings.  The keys of NEW go into a hash table of
 * groups, one per distinct key, each with its records in file order; OLD's
 * records, in file order, take the next record of their group, so records
 * sharing a key are paired in file order.  A pair's items are compared on
 * their raw bytes.  Only the added, removed and changed records are kept,
 * and sorted by key at the end. */
#include "diff_int.h"
#include "didq/store.h"
#include "didq/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A distinct key: its records in NEW (members[first ..], nnew of them),
 * OLD's records of it seen so far, and a record of it to compare keys with. */
typedef struct group {
    uint64_t hash;
    uint32_t first, nnew, nold;
    uint32_t rep; /* the record: an index of NEW, or of OLD with REP_OLD */
} group;

enum { REP_OLD = 1u << 31 };

/* An added, removed or changed record before sorting: indices into OLD and
 * NEW (UINT32_MAX where not in that file), its key (pointing into the side,
 * which outlives the sort) and its place within its key. */
typedef struct pend {
    const dkey *key;
    uint32_t o, n, rank;
    uint8_t kind;
} pend;

typedef struct dctx {
    didq_diff *d;
    dside old, new_;
    group *groups;
    uint32_t ngroups, gcap;
    uint32_t *slots; /* group index + 1, 0 empty */
    uint64_t mask;
    uint32_t *gnew;    /* NEW record -> group */
    uint32_t *members; /* NEW records by group, in file order */
    pend *pend;
    size_t npend, pcap;
    int *fixed, *fresh;
} dctx;

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

static int bytes_cmp(const char *a, uint32_t la, const char *b, uint32_t lb)
{
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

/* Keys in order of site, then accession number (bytes). */
static int key_cmp(const dkey *a, const dkey *b)
{
    int c = bytes_cmp(a->site, a->ls, b->site, b->ls);
    return c ? c : bytes_cmp(a->acc, a->la, b->acc, b->la);
}

static bool same_key(const dctx *x, const group *g, const dside *side, uint32_t i)
{
    const dkey *rep = g->rep & REP_OLD ? &x->old.keys[g->rep & ~REP_OLD] : &x->new_.keys[g->rep];
    return key_cmp(rep, &side->keys[i]) == 0;
}

/* The group of record i of side (OLD when rep_flag is REP_OLD), made if new. */
static uint32_t find_group(dctx *x, const dside *side, uint32_t i, uint32_t rep_flag)
{
    uint64_t h = side->hash[i];
    for (uint64_t s = h & x->mask;; s = (s + 1) & x->mask) {
        uint32_t g = x->slots[s];
        if (!g) {
            if (x->ngroups == x->gcap) {
                x->gcap = x->gcap ? x->gcap * 2 : 1024;
                x->groups = didq_xrealloc(x->groups, (size_t)x->gcap * sizeof *x->groups);
            }
            x->groups[x->ngroups] = (group){.hash = h, .rep = i | rep_flag};
            x->slots[s] = ++x->ngroups;
            return x->ngroups - 1;
        }
        if (x->groups[g - 1].hash == h && same_key(x, &x->groups[g - 1], side, i)) return g - 1;
    }
}

/* NEW's records grouped by key, each group's in file order. */
static void group_new(dctx *x)
{
    uint64_t want = ((uint64_t)x->old.n + x->new_.n) * 2 + 2, size = 1024;
    while (size < want)
        size *= 2;
    x->slots = didq_dside_alloc(size * sizeof *x->slots, true);
    /* every distinct key of both: the groups never move */
    uint64_t most = (uint64_t)x->old.n + x->new_.n + 1;
    x->gcap = most < UINT32_MAX ? (uint32_t)most : UINT32_MAX;
    x->groups = didq_dside_alloc((size_t)x->gcap * sizeof *x->groups, false);
    x->mask = size - 1;
    x->gnew = didq_dside_alloc(((size_t)x->new_.n + 1) * sizeof *x->gnew, false);
    for (uint32_t i = 0; i < x->new_.n; i++) {
        uint32_t g = find_group(x, &x->new_, i, 0); /* may move groups */
        x->gnew[i] = g;
        x->groups[g].nnew++;
    }
    uint32_t at = 0;
    for (uint32_t g = 0; g < x->ngroups; g++) {
        x->groups[g].first = at;
        at += x->groups[g].nnew;
        x->groups[g].nnew = 0; /* counted again as they are placed */
    }
    x->members = didq_dside_alloc(((size_t)x->new_.n + 1) * sizeof *x->members, false);
    for (uint32_t i = 0; i < x->new_.n; i++) {
        group *g = &x->groups[x->gnew[i]];
        x->members[g->first + g->nnew++] = i;
    }
}

static void add_pend(dctx *x, enum didq_diff_kind kind, uint32_t o, uint32_t n, uint32_t rank)
{
    if (x->npend == x->pcap) {
        x->pcap = x->pcap ? x->pcap * 2 : 1024;
        x->pend = didq_xrealloc(x->pend, x->pcap * sizeof *x->pend);
    }
    pend *p = &x->pend[x->npend++];
    *p = (pend){.key = n != UINT32_MAX ? &x->new_.keys[n] : &x->old.keys[o],
                .o = o,
                .n = n,
                .rank = rank,
                .kind = (uint8_t)kind};
}

static const int *rules_of(const dside *side, uint32_t i, int *n)
{
    *n = (int)(side->fofs[i + 1] - side->fofs[i]);
    return side->fr + side->fofs[i];
}

/* A record in one file only: its findings count as added or removed. */
static void one_side(dctx *x, enum didq_diff_kind kind, uint32_t i, uint32_t rank)
{
    didq_diff *d = x->d;
    bool added = kind == DIDQ_DIFF_ADDED;
    int n;
    const int *r = rules_of(added ? &x->new_ : &x->old, i, &n);
    for (int k = 0; k < n; k++) {
        if (added)
            d->rules[r[k]].added++;
        else
            d->rules[r[k]].removed++;
    }
    if (added)
        d->added++, d->findings_added += (uint64_t)n;
    else
        d->removed++, d->findings_removed += (uint64_t)n;
    add_pend(x, kind, added ? UINT32_MAX : i, added ? i : UINT32_MAX, rank);
}

/* Counts the pair's findings fixed, new and remaining (sorted lists). */
static void compare_rules(dctx *x, uint32_t o, uint32_t n)
{
    didq_diff *d = x->d;
    int no, nn, i = 0, j = 0;
    const int *ro = rules_of(&x->old, o, &no), *rn = rules_of(&x->new_, n, &nn);
    while (i < no || j < nn) {
        if (j >= nn || (i < no && ro[i] < rn[j])) {
            d->rules[ro[i++]].fixed++, d->findings_fixed++;
        } else if (i >= no || rn[j] < ro[i]) {
            d->rules[rn[j++]].fresh++, d->findings_new++;
        } else {
            d->rules[ro[i]].remaining++, d->findings_remaining++;
            i++, j++;
        }
    }
}

/* Whether any item's raw value differs; counts the items that do when count. */
static bool items_differ(dctx *x, uint32_t o, uint32_t n, bool count, didq_buf *names)
{
    didq_diff *d = x->d;
    const char *va[DIDQ_MAX_ITEMS] = {0}, *vb[DIDQ_MAX_ITEMS] = {0};
    uint32_t la[DIDQ_MAX_ITEMS] = {0}, lb[DIDQ_MAX_ITEMS] = {0};
    didq_dside_values(&x->old, o, d->nitems, va, la);
    didq_dside_values(&x->new_, n, d->nitems, vb, lb);
    bool any = false;
    for (int k = 0; k < d->nitems; k++) {
        if (!va[k] == !vb[k] && la[k] == lb[k] &&
            (la[k] == 0 || (va[k] && vb[k] && memcmp(va[k], vb[k], la[k]) == 0)))
            continue;
        any = true;
        if (!count) break;
        d->item_changed[k]++;
        didq_buf_printf(names, "%s%s", names->n ? " " : "", d->ds->items[k].field);
    }
    didq_dside_values_done(&x->old);
    didq_dside_values_done(&x->new_);
    return any;
}

/* Record i's id in its session. */
static uint32_t side_id(const dside *side, uint32_t i)
{
    return side->ids ? side->ids[i] : i + 1;
}

static void pair(dctx *x, uint32_t o, uint32_t n, uint32_t rank)
{
    uint32_t nid = side_id(&x->new_, n);
    if (nid <= x->d->new_maxid) x->d->new_pair[nid] = side_id(&x->old, o);
    compare_rules(x, o, n);
    if (didq_dside_same_raw(&x->old, o, &x->new_, n) || !items_differ(x, o, n, false, NULL)) {
        x->d->unchanged++;
        return;
    }
    x->d->changed++;
    add_pend(x, DIDQ_DIFF_CHANGED, o, n, rank);
}

/* OLD's records in file order, each paired with the next record of its key
 * in NEW, or removed; then NEW's records left over in their groups, added. */
static void match(dctx *x)
{
    for (uint32_t i = 0; i < x->old.n; i++) {
        uint32_t gi = find_group(x, &x->old, i, REP_OLD); /* may move groups */
        group *g = &x->groups[gi];
        uint32_t rank = g->nold++;
        if (rank < g->nnew)
            pair(x, i, x->members[g->first + rank], rank);
        else
            one_side(x, DIDQ_DIFF_REMOVED, i, rank);
    }
    for (uint32_t g = 0; g < x->ngroups; g++) {
        const group *gr = &x->groups[g];
        for (uint32_t r = gr->nold; r < gr->nnew; r++)
            one_side(x, DIDQ_DIFF_ADDED, x->members[gr->first + r], r);
    }
}

static int pend_cmp(const void *a, const void *b)
{
    const pend *p = a, *q = b;
    int c = key_cmp(p->key, q->key);
    return c ? c : (p->rank > q->rank) - (p->rank < q->rank);
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

static void make_change(dctx *x, const pend *p, didq_diff_change *c)
{
    didq_diff *d = x->d;
    memset(c, 0, sizeof *c);
    c->kind = (enum didq_diff_kind)p->kind;
    c->site_len = p->key->ls;
    c->acc_len = p->key->la;
    c->site = key_part(p->key->site, p->key->ls);
    c->acc = key_part(p->key->acc, p->key->la);
    int no = 0, nn = 0;
    const int *ro = p->o != UINT32_MAX ? rules_of(&x->old, p->o, &no) : NULL;
    const int *rn = p->n != UINT32_MAX ? rules_of(&x->new_, p->n, &nn) : NULL;
    if (p->o != UINT32_MAX)
        c->old_line = didq_dside_line(&x->old, p->o), c->old_id = side_id(&x->old, p->o);
    if (p->n != UINT32_MAX)
        c->new_line = didq_dside_line(&x->new_, p->n), c->new_id = side_id(&x->new_, p->n);
    c->fixed = codes_text(d, x->fixed, only_in(ro, no, rn, nn, x->fixed));
    c->fresh = codes_text(d, x->fresh, only_in(rn, nn, ro, no, x->fresh));
    didq_buf names = {0};
    if (c->kind == DIDQ_DIFF_CHANGED) items_differ(x, p->o, p->n, true, &names);
    c->items = names.p ? names.p : xstrdup("");
}

/* The pending records sorted by key, then place in the key, as changes. */
static void make_changes(dctx *x)
{
    didq_diff *d = x->d;
    if (x->npend) qsort(x->pend, x->npend, sizeof *x->pend, pend_cmp);
    d->changes = didq_xmalloc((x->npend ? x->npend : 1) * sizeof *d->changes);
    x->fixed = didq_xmalloc((d->nrules + 1) * sizeof *x->fixed);
    x->fresh = didq_xmalloc((d->nrules + 1) * sizeof *x->fresh);
    for (size_t i = 0; i < x->npend; i++)
        make_change(x, &x->pend[i], &d->changes[i]);
    d->nchanges = x->npend;
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

/* Both sides are read at once, OLD on a thread of its own (each reads only
 * its own session; d's rule list is only read). */
static void open_sides(dctx *x, didq_session *old, didq_session *new_)
{
    open_job j = {&x->old, old, x->d};
    pthread_t t;
    bool threaded = pthread_create(&t, NULL, open_main, &j) == 0;
    if (!threaded) open_main(&j);
    didq_dside_open(&x->new_, new_, x->d);
    if (threaded) pthread_join(t, NULL);
}

didq_diff *didq_diff_run(didq_session *old, didq_session *new_)
{
    didq_diff *d = didq_xcalloc(1, sizeof *d);
    d->ds = didq_session_dataset(new_);
    d->nitems = d->ds->nitems;
    read_rules(d, old, new_);
    dctx x = {.d = d};
    open_sides(&x, old, new_);
    d->old_records = x.old.n;
    d->new_records = x.new_.n;
    d->old_unkeyed = x.old.unkeyed;
    d->new_unkeyed = x.new_.unkeyed;
    d->new_maxid = x.new_.n ? side_id(&x.new_, x.new_.n - 1) : 0;
    d->new_pair = didq_dside_alloc(((size_t)d->new_maxid + 1) * sizeof *d->new_pair, true);
    group_new(&x);
    match(&x);
    make_changes(&x);
    free(x.groups);
    free(x.slots);
    free(x.gnew);
    free(x.members);
    free(x.pend);
    free(x.fixed);
    free(x.fresh);
    didq_dside_free(&x.old);
    didq_dside_free(&x.new_);
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
