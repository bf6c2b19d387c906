/* diff_match.c: the records of OLD and NEW paired by key, in parts on
 * threads (diff_int.h).  A record's part is the high bits of its key's
 * hash, so all the records of a key are in one part: each part groups
 * NEW's records of its keys (a hash table of groups, each with its records
 * in file order) and walks OLD's records of its keys in file order, each
 * taking the next record of its group, so records sharing a key are paired
 * in file order whatever the number of parts.  A part counts into a tally
 * of its own and keeps its added, removed and changed records sorted by
 * key; the tallies are summed and the sorted lists merged after, so every
 * figure and the order of the changes are the same at any number of
 * parts. */
#include "diff_int.h"
#include "didq/util.h"
#include "parts.h"

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

/* One part: its keys' groups, its tally and its changes.  OLD's records
 * find their group by hash alone unless verify: a pair's key is then
 * proved by its equal bytes, or compared when they differ; a key found to
 * differ (two keys with one 64-bit hash) sets collided, and the part is
 * made again comparing every key.  NEW's keys are always compared, and two
 * of them sharing a hash set verify at once. */
typedef struct dpart {
    dmatch *m;
    uint32_t index;
    bool verify, collided;
    didq_diff tally; /* counts only; rules is its own array of counts */
    group *groups;
    uint32_t ngroups;
    uint32_t *slots; /* group index + 1, 0 empty */
    uint64_t mask;
    uint32_t *members; /* NEW records of the part by group, in file order */
    dpend *pend;
    size_t npend, pcap;
} dpart;

static uint32_t part_of(const dmatch *m, uint64_t hash)
{
    return (uint32_t)(((hash >> 32) * m->nparts) >> 32);
}

/* The matching waits on memory: every OLD record reads a slot, a group
 * and six of NEW's arrays at random.  Records further on are looked up a
 * step at a time, each step reading what the one before prefetched, so
 * that the waits overlap (a hint only: a wrong guess costs a load). */
enum { AHEAD_SLOT = 64, AHEAD_GROUP = 32, AHEAD_NEW = 16, AHEAD_BLOB = 8 };

static void prefetch(const void *a)
{
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(a);
#else
    (void)a;
#endif
}

/* The first group OLD's record i would look at, or NULL. */
static const group *guess_group(const dpart *p, uint32_t i)
{
    uint32_t g = p->slots[p->m->old->hash[i] & p->mask];
    return g ? &p->groups[g - 1] : NULL;
}

static void look_ahead(const dpart *p, uint32_t i)
{
    const dside *old = p->m->old, *nw = p->m->new_;
    uint32_t k = i + AHEAD_SLOT;
    if (k < old->n && part_of(p->m, old->hash[k]) == p->index)
        prefetch(&p->slots[old->hash[k] & p->mask]);
    k = i + AHEAD_GROUP;
    if (k < old->n && part_of(p->m, old->hash[k]) == p->index) {
        uint32_t g = p->slots[old->hash[k] & p->mask];
        if (g) prefetch(&p->groups[g - 1]);
    }
    k = i + AHEAD_NEW;
    const group *g;
    if (k < old->n && part_of(p->m, old->hash[k]) == p->index && (g = guess_group(p, k)) &&
        !(g->rep & REP_OLD)) {
        uint32_t r = g->rep;
        didq_dside_prefetch(nw, r, false);
        prefetch(&nw->fofs[r]), prefetch(&p->members[g->first]);
        if (r + 1 <= p->m->d->new_maxid) prefetch(&p->m->d->new_pair[r + 1]);
    }
    k = i + AHEAD_BLOB;
    if (k < old->n && part_of(p->m, old->hash[k]) == p->index && (g = guess_group(p, k)) &&
        !(g->rep & REP_OLD))
        didq_dside_prefetch(nw, g->rep, true);
}

static int bytes_cmp(const char *a, uint32_t la, const char *b, uint32_t lb)
{
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

int didq_dkey_cmp(const dkey *a, const dkey *b)
{
    int c = bytes_cmp(a->site, a->ls, b->site, b->ls);
    return c ? c : bytes_cmp(a->acc, a->la, b->acc, b->la);
}

int didq_dpend_cmp(const void *a, const void *b)
{
    const dpend *p = a, *q = b;
    int c = didq_dkey_cmp(&p->key, &q->key);
    return c ? c : (p->rank > q->rank) - (p->rank < q->rank);
}

static bool same_key(const dpart *p, const group *g, const dside *side, uint32_t i)
{
    const dmatch *m = p->m;
    dkey rep, k;
    if (g->rep & REP_OLD)
        didq_dside_key(m->old, g->rep & ~REP_OLD, &rep);
    else
        didq_dside_key(m->new_, g->rep, &rep);
    didq_dside_key(side, i, &k);
    return didq_dkey_cmp(&rep, &k) == 0;
}

/* The group of record i of side (OLD when rep_flag is REP_OLD), made if new. */
static uint32_t find_group(dpart *p, const dside *side, uint32_t i, uint32_t rep_flag)
{
    uint64_t h = side->hash[i];
    for (uint64_t s = h & p->mask;; s = (s + 1) & p->mask) {
        uint32_t g = p->slots[s];
        if (!g) {
            p->groups[p->ngroups] = (group){.hash = h, .rep = i | rep_flag};
            p->slots[s] = ++p->ngroups;
            return p->ngroups - 1;
        }
        if (p->groups[g - 1].hash != h) continue;
        if (rep_flag && !p->verify) return g - 1; /* OLD's key: proved later */
        if (same_key(p, &p->groups[g - 1], side, i)) return g - 1;
        if (!rep_flag) p->verify = true; /* two of NEW's keys share a hash */
    }
}

/* The records of side in the part. */
static uint32_t count_in(const dpart *p, const dside *side)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < side->n; i++)
        n += part_of(p->m, side->hash[i]) == p->index;
    return n;
}

/* The part's NEW records grouped by key, each group's in file order. */
static void group_new(dpart *p)
{
    const dmatch *m = p->m;
    const dside *nw = m->new_;
    uint32_t nold = count_in(p, m->old), nnew = count_in(p, nw);
    uint64_t want = ((uint64_t)nold + nnew) * 2 + 2, size = 1024;
    while (size < want)
        size *= 2;
    p->slots = didq_xcalloc(size, sizeof *p->slots);
    p->mask = size - 1;
    /* every distinct key of both: the groups never move */
    p->groups = didq_xmalloc(((size_t)nold + nnew + 1) * sizeof *p->groups);
    uint32_t *gnew = didq_xmalloc(((size_t)nnew + 1) * sizeof *gnew), k = 0;
    for (uint32_t i = 0; i < nw->n; i++) {
        if (i + AHEAD_SLOT < nw->n) prefetch(&p->slots[nw->hash[i + AHEAD_SLOT] & p->mask]);
        if (part_of(m, nw->hash[i]) != p->index) continue;
        uint32_t g = find_group(p, nw, i, 0);
        gnew[k++] = g;
        p->groups[g].nnew++;
    }
    uint32_t at = 0;
    for (uint32_t g = 0; g < p->ngroups; g++) {
        p->groups[g].first = at;
        at += p->groups[g].nnew;
        p->groups[g].nnew = 0; /* counted again as they are placed */
    }
    p->members = didq_xmalloc(((size_t)nnew + 1) * sizeof *p->members);
    k = 0;
    for (uint32_t i = 0; i < nw->n; i++) {
        if (part_of(m, nw->hash[i]) != p->index) continue;
        group *g = &p->groups[gnew[k++]];
        p->members[g->first + g->nnew++] = i;
    }
    free(gnew);
}

static void add_pend(dpart *p, enum didq_diff_kind kind, uint32_t o, uint32_t n, uint32_t rank)
{
    if (p->npend == p->pcap) {
        p->pcap = p->pcap ? p->pcap * 2 : 1024;
        p->pend = didq_xrealloc(p->pend, p->pcap * sizeof *p->pend);
    }
    dpend *e = &p->pend[p->npend++];
    *e = (dpend){.o = o, .n = n, .rank = rank, .kind = (uint8_t)kind};
    if (n != UINT32_MAX)
        didq_dside_key(p->m->new_, n, &e->key);
    else
        didq_dside_key(p->m->old, o, &e->key);
}

const int *didq_dside_rules(const dside *side, uint32_t i, int *n)
{
    *n = (int)(side->fofs[i + 1] - side->fofs[i]);
    return side->fr + side->fofs[i];
}

/* A record in one file only: its findings count as added or removed. */
static void one_side(dpart *p, enum didq_diff_kind kind, uint32_t i, uint32_t rank)
{
    didq_diff *t = &p->tally;
    bool added = kind == DIDQ_DIFF_ADDED;
    int n;
    const int *r = didq_dside_rules(added ? p->m->new_ : p->m->old, i, &n);
    for (int k = 0; k < n; k++) {
        if (added)
            t->rules[r[k]].added++;
        else
            t->rules[r[k]].removed++;
    }
    if (added)
        t->added++, t->findings_added += (uint64_t)n;
    else
        t->removed++, t->findings_removed += (uint64_t)n;
    add_pend(p, kind, added ? UINT32_MAX : i, added ? i : UINT32_MAX, rank);
}

/* Counts the pair's findings fixed, new and remaining (sorted lists). */
static void compare_rules(dpart *p, uint32_t o, uint32_t n)
{
    didq_diff *t = &p->tally;
    int no, nn, i = 0, j = 0;
    const int *ro = didq_dside_rules(p->m->old, o, &no), *rn = didq_dside_rules(p->m->new_, n, &nn);
    while (i < no || j < nn) {
        if (j >= nn || (i < no && ro[i] < rn[j])) {
            t->rules[ro[i++]].fixed++, t->findings_fixed++;
        } else if (i >= no || rn[j] < ro[i]) {
            t->rules[rn[j++]].fresh++, t->findings_new++;
        } else {
            t->rules[ro[i]].remaining++, t->findings_remaining++;
            i++, j++;
        }
    }
}

bool didq_dmatch_items_differ(dmatch *m, uint32_t o, uint32_t n, uint64_t *changed, didq_buf *names)
{
    int nitems = m->d->nitems;
    const char *va[DIDQ_MAX_ITEMS] = {0}, *vb[DIDQ_MAX_ITEMS] = {0};
    uint32_t la[DIDQ_MAX_ITEMS] = {0}, lb[DIDQ_MAX_ITEMS] = {0};
    didq_dside_values(m->old, o, nitems, va, la);
    didq_dside_values(m->new_, n, nitems, vb, lb);
    bool any = false;
    for (int k = 0; k < nitems; k++) {
        if (!va[k] == !vb[k] && la[k] == lb[k] &&
            (la[k] == 0 || (va[k] && vb[k] && memcmp(va[k], vb[k], la[k]) == 0)))
            continue;
        any = true;
        if (!changed) break;
        changed[k]++;
        didq_buf_printf(names, "%s%s", names->n ? " " : "", m->d->ds->items[k].field);
    }
    didq_dside_values_done(m->old);
    didq_dside_values_done(m->new_);
    return any;
}

uint32_t didq_dside_id(const dside *side, uint32_t i)
{
    return side->ids ? side->ids[i] : i + 1;
}

/* Whether OLD's record o has the key of side's record i (a group's). */
static bool old_key_is(const dpart *p, uint32_t o, const dside *side, uint32_t i)
{
    dkey a, b;
    didq_dside_key(p->m->old, o, &a);
    didq_dside_key(side, i, &b);
    return didq_dkey_cmp(&a, &b) == 0;
}

static void pair(dpart *p, uint32_t o, uint32_t n, uint32_t rank)
{
    dmatch *m = p->m;
    bool same = didq_dside_same_raw(m->old, o, m->new_, n); /* equal bytes: equal keys */
    if (!same && !p->verify && !old_key_is(p, o, m->new_, n)) {
        p->collided = true;
        return;
    }
    uint32_t nid = didq_dside_id(m->new_, n);
    if (nid <= m->d->new_maxid) m->d->new_pair[nid] = didq_dside_id(m->old, o);
    compare_rules(p, o, n);
    if (same || !didq_dmatch_items_differ(m, o, n, NULL, NULL)) {
        p->tally.unchanged++;
        return;
    }
    p->tally.changed++;
    add_pend(p, DIDQ_DIFF_CHANGED, o, n, rank);
}

/* The part's OLD records in file order, each paired with the next record
 * of its key in NEW, or removed; then NEW's records left over in their
 * groups, added; then its changes sorted. */
static void match(dpart *p)
{
    const dside *old = p->m->old;
    for (uint32_t i = 0; i < old->n && !p->collided; i++) {
        look_ahead(p, i);
        if (part_of(p->m, old->hash[i]) != p->index) continue;
        group *g = &p->groups[find_group(p, old, i, REP_OLD)];
        uint32_t rank = g->nold++;
        /* A record whose key is not the group's can only be removed here
         * if every NEW record of the group is paired already, and then it
         * is removed whatever its group: counts and changes are the same
         * (its rank orders it among records of its own key only). */
        if (rank < g->nnew)
            pair(p, i, p->members[g->first + rank], rank);
        else
            one_side(p, DIDQ_DIFF_REMOVED, i, rank);
    }
    if (p->collided) return;
    for (uint32_t g = 0; g < p->ngroups; g++) {
        const group *gr = &p->groups[g];
        for (uint32_t r = gr->nold; r < gr->nnew; r++)
            one_side(p, DIDQ_DIFF_ADDED, p->members[gr->first + r], r);
    }
    if (p->npend) qsort(p->pend, p->npend, sizeof *p->pend, didq_dpend_cmp);
}

static void free_groups(dpart *p)
{
    free(p->groups);
    free(p->slots);
    free(p->members);
    p->groups = NULL, p->slots = NULL, p->members = NULL;
    p->ngroups = 0;
}

/* A part whose OLD keys were found by hash alone made again comparing
 * every key: its tally, changes and pairs cleared first. */
static void again_verified(dpart *p)
{
    didq_diff_rule *rules = p->tally.rules;
    memset(rules, 0, (p->m->d->nrules ? p->m->d->nrules : 1) * sizeof *rules);
    p->tally = (didq_diff){.rules = rules};
    p->npend = 0;
    const dside *nw = p->m->new_;
    for (uint32_t i = 0; i < nw->n; i++) {
        uint32_t nid = didq_dside_id(nw, i);
        if (part_of(p->m, nw->hash[i]) == p->index && nid <= p->m->d->new_maxid)
            p->m->d->new_pair[nid] = 0;
    }
    p->verify = true;
    p->collided = false;
    group_new(p);
    match(p);
}

static void *part_main(void *arg)
{
    dpart *p = arg;
    group_new(p);
    match(p);
    if (p->collided) {
        free_groups(p);
        again_verified(p);
    }
    free_groups(p);
    return NULL;
}

/* Part p's tally added into d. */
static void add_tally(didq_diff *d, const didq_diff *t)
{
    d->added += t->added, d->removed += t->removed;
    d->changed += t->changed, d->unchanged += t->unchanged;
    d->findings_fixed += t->findings_fixed, d->findings_new += t->findings_new;
    d->findings_remaining += t->findings_remaining;
    d->findings_added += t->findings_added, d->findings_removed += t->findings_removed;
    for (size_t r = 0; r < d->nrules; r++) {
        didq_diff_rule *a = &d->rules[r];
        const didq_diff_rule *b = &t->rules[r];
        a->fixed += b->fixed, a->fresh += b->fresh, a->remaining += b->remaining;
        a->added += b->added, a->removed += b->removed;
    }
}

/* The parts' sorted changes merged into one sorted list. */
static void merge_pend(dmatch *m, dpart *parts)
{
    size_t total = 0;
    for (uint32_t k = 0; k < m->nparts; k++)
        total += parts[k].npend;
    m->pend = didq_xmalloc((total ? total : 1) * sizeof *m->pend);
    size_t *at = didq_xcalloc(m->nparts, sizeof *at);
    for (m->npend = 0; m->npend < total; m->npend++) {
        uint32_t best = UINT32_MAX;
        for (uint32_t k = 0; k < m->nparts; k++)
            if (at[k] < parts[k].npend &&
                (best == UINT32_MAX ||
                 didq_dpend_cmp(&parts[k].pend[at[k]], &parts[best].pend[at[best]]) < 0))
                best = k;
        m->pend[m->npend] = parts[best].pend[at[best]++];
    }
    free(at);
}

void didq_dmatch_run(dmatch *m)
{
    dpart *parts = didq_xcalloc(m->nparts, sizeof *parts);
    for (uint32_t k = 0; k < m->nparts; k++) {
        dpart *p = &parts[k];
        p->m = m;
        p->index = k;
        p->tally.rules = didq_xcalloc(m->d->nrules ? m->d->nrules : 1, sizeof *p->tally.rules);
    }
    didq_run_parts(part_main, parts, sizeof *parts, m->nparts);
    for (uint32_t k = 0; k < m->nparts; k++)
        add_tally(m->d, &parts[k].tally);
    merge_pend(m, parts);
    for (uint32_t k = 0; k < m->nparts; k++) {
        free(parts[k].tally.rules);
        free(parts[k].pend);
    }
    free(parts);
}
