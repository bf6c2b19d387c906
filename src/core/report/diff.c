/* diff.c: two finished sessions compared record by record (`didq diff`).
 * Each session's keys (the cleansed site code and accession number of the
 * `records` table, as DIDS071 compares them) are sorted by key then id, so
 * records sharing a key keep their file order; a merge of the two lists
 * pairs them.  Each session's findings are read once, as rule indices per
 * record; a pair's raw values are read by id. */
#include "didq/diff.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct dkey {
    char *k; /* site bytes, then accession bytes */
    uint32_t ls, la, id;
    uint64_t line;
} dkey;

typedef struct dside {
    dkey *keys;
    size_t n;
    sqlite3_stmt *fields;
    uint32_t maxid;
    uint64_t *fofs; /* record id's rule indices: fr[fofs[id]] .. fr[fofs[id + 1] - 1] */
    int *fr;
} dside;

typedef struct dctx {
    didq_diff *d;
    dside old, new_;
    int *ro, *rn; /* rule indices of a record, per side */
} dctx;

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(didq_xmalloc(n), s, n);
}

static int key_cmp(const dkey *a, const dkey *b)
{
    int c = memcmp(a->k, b->k, a->ls < b->ls ? a->ls : b->ls);
    if (c || a->ls != b->ls) return c ? c : (a->ls < b->ls ? -1 : 1);
    c = memcmp(a->k + a->ls, b->k + b->ls, a->la < b->la ? a->la : b->la);
    if (c || a->la != b->la) return c ? c : (a->la < b->la ? -1 : 1);
    return 0;
}

static int key_id_cmp(const void *x, const void *y)
{
    const dkey *a = x, *b = y;
    int c = key_cmp(a, b);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

static void read_keys(didq_session *s, dside *side)
{
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), "SELECT id, line, site, acc FROM records"
                                                       " ORDER BY id");
    size_t cap = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (side->n == cap) {
            cap = cap ? cap * 2 : 1024;
            side->keys = didq_xrealloc(side->keys, cap * sizeof *side->keys);
        }
        dkey *k = &side->keys[side->n++];
        const void *site = sqlite3_column_blob(q, 2);
        k->ls = (uint32_t)sqlite3_column_bytes(q, 2);
        const void *acc = sqlite3_column_blob(q, 3);
        k->la = (uint32_t)sqlite3_column_bytes(q, 3);
        k->k = didq_xmalloc(k->ls + k->la + 1);
        if (k->ls) memcpy(k->k, site, k->ls);
        if (k->la) memcpy(k->k + k->ls, acc, k->la);
        k->id = (uint32_t)sqlite3_column_int64(q, 0);
        k->line = (uint64_t)sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    if (side->n) qsort(side->keys, side->n, sizeof *side->keys, key_id_cmp);
}

static void prepare_side(didq_session *s, dside *side, int nitems)
{
    didq_buf sql = {0};
    didq_buf_puts(&sql, "SELECT ");
    for (int i = 0; i < nitems; i++)
        didq_buf_printf(&sql, "%sf%d", i ? ", " : "", DIDQ_COL_NUM(i));
    didq_buf_puts(&sql, " FROM records WHERE id = ?");
    side->fields = didq_prepare(didq_session_db(s), sql.p);
    didq_buf_free(&sql);
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

static int rule_index(const didq_diff *d, const char *code)
{
    size_t lo = 0, hi = d->nrules;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(d->rules[mid].code, code);
        if (c == 0) return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int int_cmp(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

/* The rule indices of record id, sorted and distinct (a rule broken on
 * two items counts once); returns how many. */
static int record_rules(const dside *side, uint32_t id, int *out)
{
    int n = 0;
    if (id > side->maxid) return 0;
    for (uint64_t i = side->fofs[id]; i < side->fofs[id + 1]; i++) {
        int k = 0;
        while (k < n && out[k] != side->fr[i])
            k++;
        if (k == n) out[n++] = side->fr[i]; /* at most one per rule: fits d->nrules */
    }
    qsort(out, (size_t)n, sizeof *out, int_cmp);
    return n;
}

/* Each rule id of the session's `rules` table as an index into d->rules. */
static int *rule_map(const didq_diff *d, sqlite3 *db, int *nmap)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT coalesce(max(id), 0) FROM rules");
    *nmap = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) + 1 : 1;
    sqlite3_finalize(q);
    int *map = didq_xmalloc((size_t)*nmap * sizeof *map);
    for (int i = 0; i < *nmap; i++)
        map[i] = -1;
    q = didq_prepare(db, "SELECT id, code FROM rules");
    while (sqlite3_step(q) == SQLITE_ROW) {
        int id = sqlite3_column_int(q, 0);
        const unsigned char *t = sqlite3_column_text(q, 1);
        if (id >= 0 && id < *nmap) map[id] = rule_index(d, t ? (const char *)t : "");
    }
    sqlite3_finalize(q);
    return map;
}

/* The session's findings in one pass, as rule indices per record. */
static void read_findings(const didq_diff *d, didq_session *s, dside *side)
{
    sqlite3 *db = didq_session_db(s);
    int nmap;
    int *map = rule_map(d, db, &nmap);
    for (size_t i = 0; i < side->n; i++)
        if (side->keys[i].id > side->maxid) side->maxid = side->keys[i].id;
    side->fofs = didq_xcalloc((size_t)side->maxid + 2, sizeof *side->fofs);
    size_t n = 0, cap = 0;
    uint32_t *rec = NULL;
    sqlite3_stmt *q = didq_prepare(db, "SELECT rec, rule FROM findings");
    while (sqlite3_step(q) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(q, 0);
        int rule = sqlite3_column_int(q, 1);
        if (id < 1 || id > side->maxid || rule < 0 || rule >= nmap || map[rule] < 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            rec = didq_xrealloc(rec, cap * sizeof *rec);
            side->fr = didq_xrealloc(side->fr, cap * sizeof *side->fr);
        }
        rec[n] = (uint32_t)id;
        side->fr[n++] = map[rule];
        side->fofs[id + 1]++;
    }
    sqlite3_finalize(q);
    for (uint32_t id = 1; id <= side->maxid; id++)
        side->fofs[id + 1] += side->fofs[id];
    /* The findings come in record order (vtab_findings.c); placed by
     * offset all the same, so no order is assumed. */
    int *fr = didq_xmalloc((n ? n : 1) * sizeof *fr);
    uint64_t *next = didq_xmalloc(((size_t)side->maxid + 2) * sizeof *next);
    memcpy(next, side->fofs, ((size_t)side->maxid + 2) * sizeof *next);
    for (size_t i = 0; i < n; i++)
        fr[next[rec[i]]++] = side->fr[i];
    free(next);
    free(rec);
    free(side->fr);
    side->fr = fr;
    free(map);
}

static char *codes_text(const didq_diff *d, const int *r, int n)
{
    didq_buf b = {0};
    for (int i = 0; i < n; i++)
        didq_buf_printf(&b, "%s%s", i ? " " : "", d->rules[r[i]].code);
    return b.p ? b.p : xstrdup("");
}

static didq_diff_change *add_change(didq_diff *d, enum didq_diff_kind kind, const dkey *k,
                                    size_t *cap)
{
    if (d->nchanges == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        d->changes = didq_xrealloc(d->changes, *cap * sizeof *d->changes);
    }
    didq_diff_change *c = &d->changes[d->nchanges++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->site = didq_xmalloc(k->ls + 1);
    memcpy(c->site, k->k, k->ls);
    c->site[k->ls] = '\0';
    c->site_len = k->ls;
    c->acc = didq_xmalloc(k->la + 1);
    memcpy(c->acc, k->k + k->ls, k->la);
    c->acc[k->la] = '\0';
    c->acc_len = k->la;
    return c;
}

/* A record in one file only: added (in NEW) or removed (in OLD). */
static void one_side(dctx *x, enum didq_diff_kind kind, const dkey *k, size_t *cap)
{
    didq_diff *d = x->d;
    bool added = kind == DIDQ_DIFF_ADDED;
    int n = record_rules(added ? &x->new_ : &x->old, k->id, x->rn);
    for (int i = 0; i < n; i++) {
        if (added)
            d->rules[x->rn[i]].added++;
        else
            d->rules[x->rn[i]].removed++;
    }
    didq_diff_change *c = add_change(d, kind, k, cap);
    if (added) {
        d->added++, d->findings_added += (uint64_t)n, c->new_line = k->line, c->new_id = k->id;
        c->fresh = codes_text(d, x->rn, n);
        c->fixed = xstrdup("");
    } else {
        d->removed++, d->findings_removed += (uint64_t)n, c->old_line = k->line, c->old_id = k->id;
        c->fixed = codes_text(d, x->rn, n);
        c->fresh = xstrdup("");
    }
    c->items = xstrdup("");
}

/* The items whose raw values differ between the two records, as field names. */
static char *changed_items(dctx *x, const dkey *ko, const dkey *kn)
{
    didq_diff *d = x->d;
    sqlite3_stmt *a = x->old.fields, *b = x->new_.fields;
    sqlite3_bind_int64(a, 1, ko->id);
    sqlite3_bind_int64(b, 1, kn->id);
    didq_buf out = {0};
    if (sqlite3_step(a) == SQLITE_ROW && sqlite3_step(b) == SQLITE_ROW) {
        for (int i = 0; i < d->nitems; i++) {
            bool na = sqlite3_column_type(a, i) == SQLITE_NULL;
            bool nb = sqlite3_column_type(b, i) == SQLITE_NULL;
            const void *va = sqlite3_column_blob(a, i), *vb = sqlite3_column_blob(b, i);
            int la = sqlite3_column_bytes(a, i), lb = sqlite3_column_bytes(b, i);
            if (na == nb && la == lb && (la == 0 || memcmp(va, vb, (size_t)la) == 0)) continue;
            d->item_changed[i]++;
            didq_buf_printf(&out, "%s%s", out.n ? " " : "", d->ds->items[i].field);
        }
    }
    sqlite3_reset(a);
    sqlite3_reset(b);
    return out.p;
}

/* Counts the rule indices in o only, in n only and in both (sorted lists). */
static void compare_rules(dctx *x, int no, int nn, int *fixed, int *fresh)
{
    didq_diff *d = x->d;
    int i = 0, j = 0, nf = 0, nw = 0;
    while (i < no || j < nn) {
        if (j >= nn || (i < no && x->ro[i] < x->rn[j])) {
            d->rules[x->ro[i]].fixed++, d->findings_fixed++;
            fixed[nf++] = x->ro[i++];
        } else if (i >= no || x->rn[j] < x->ro[i]) {
            d->rules[x->rn[j]].fresh++, d->findings_new++;
            fresh[nw++] = x->rn[j++];
        } else {
            d->rules[x->ro[i]].remaining++, d->findings_remaining++;
            i++, j++;
        }
    }
    fixed[nf] = -1;
    fresh[nw] = -1;
}

static int list_len(const int *l)
{
    int n = 0;
    while (l[n] >= 0)
        n++;
    return n;
}

static void pair(dctx *x, const dkey *ko, const dkey *kn, int *fixed, int *fresh, size_t *cap)
{
    didq_diff *d = x->d;
    int no = record_rules(&x->old, ko->id, x->ro);
    int nn = record_rules(&x->new_, kn->id, x->rn);
    compare_rules(x, no, nn, fixed, fresh);
    if (kn->id <= d->new_maxid) d->new_pair[kn->id] = ko->id;
    char *items = changed_items(x, ko, kn);
    if (!items) {
        d->unchanged++;
        return;
    }
    d->changed++;
    didq_diff_change *c = add_change(d, DIDQ_DIFF_CHANGED, kn, cap);
    c->old_line = ko->line;
    c->new_line = kn->line;
    c->old_id = ko->id;
    c->new_id = kn->id;
    c->items = items;
    c->fixed = codes_text(d, fixed, list_len(fixed));
    c->fresh = codes_text(d, fresh, list_len(fresh));
}

static void merge(dctx *x)
{
    size_t i = 0, j = 0, cap = 0;
    int *fixed = didq_xmalloc((x->d->nrules + 1) * sizeof *fixed);
    int *fresh = didq_xmalloc((x->d->nrules + 1) * sizeof *fresh);
    while (i < x->old.n || j < x->new_.n) {
        int c = i >= x->old.n    ? 1
                : j >= x->new_.n ? -1
                                 : key_cmp(&x->old.keys[i], &x->new_.keys[j]);
        if (c < 0)
            one_side(x, DIDQ_DIFF_REMOVED, &x->old.keys[i++], &cap);
        else if (c > 0)
            one_side(x, DIDQ_DIFF_ADDED, &x->new_.keys[j++], &cap);
        else {
            pair(x, &x->old.keys[i], &x->new_.keys[j], fixed, fresh, &cap);
            i++, j++;
        }
    }
    free(fixed);
    free(fresh);
}

static uint64_t unkeyed(const dside *s)
{
    uint64_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += s->keys[i].ls == 0 || s->keys[i].la == 0;
    return n;
}

static void free_side(dside *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->keys[i].k);
    free(s->keys);
    sqlite3_finalize(s->fields);
    free(s->fofs);
    free(s->fr);
}

didq_diff *didq_diff_run(didq_session *old, didq_session *new_)
{
    didq_diff *d = didq_xcalloc(1, sizeof *d);
    d->ds = didq_session_dataset(new_);
    d->nitems = d->ds->nitems;
    read_rules(d, old, new_);
    dctx x = {.d = d};
    read_keys(old, &x.old);
    read_keys(new_, &x.new_);
    d->old_records = x.old.n;
    d->new_records = x.new_.n;
    d->old_unkeyed = unkeyed(&x.old);
    d->new_unkeyed = unkeyed(&x.new_);
    prepare_side(old, &x.old, d->nitems);
    prepare_side(new_, &x.new_, d->nitems);
    read_findings(d, old, &x.old);
    read_findings(d, new_, &x.new_);
    d->new_maxid = x.new_.maxid;
    d->new_pair = didq_xcalloc((size_t)d->new_maxid + 1, sizeof *d->new_pair);
    x.ro = didq_xmalloc((d->nrules + 1) * sizeof *x.ro);
    x.rn = didq_xmalloc((d->nrules + 1) * sizeof *x.rn);
    merge(&x);
    free(x.ro);
    free(x.rn);
    free_side(&x.old);
    free_side(&x.new_);
    return d;
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
    dside side = {0};
    prepare_side(s, &side, d->nitems);
    sqlite3_bind_int64(side.fields, 1, id);
    bool found = sqlite3_step(side.fields) == SQLITE_ROW;
    for (int i = 0; found && i < d->nitems; i++) {
        const void *v = sqlite3_column_blob(side.fields, i);
        size_t n = (size_t)sqlite3_column_bytes(side.fields, i);
        vals[i] = didq_xmalloc(n + 1);
        if (n) memcpy(vals[i], v, n);
        vals[i][n] = '\0';
    }
    sqlite3_finalize(side.fields);
    return found;
}

bool didq_diff_old_values(const didq_diff *d, didq_session *old, int64_t new_id, char **vals)
{
    if (new_id < 1 || new_id > d->new_maxid || !d->new_pair[new_id]) return false;
    return didq_diff_values(d, old, d->new_pair[new_id], vals);
}
