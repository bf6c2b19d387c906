/* anomaly_keys.c: the key tables of the record-level kinds, their parts
 * on threads, and the hits they collect (anomaly_keys.h). */
#include "anomaly_keys.h"
#include "didq/util.h"
#include "parts.h"

#include <stdlib.h>
#include <string.h>

void kt_alloc(key_table *t, size_t n)
{
    t->cap = n + n / 2 + 1024;
    t->used = 0;
    t->s = didq_xcalloc(t->cap, sizeof *t->s);
}

void kt_init(kt_set *ks, size_t n, int threads)
{
    size_t most = didq_env_size("DIDQ_KEY_PART_SLOTS", 64, KT_PART_SLOTS);
    unsigned mem = 1, nparts = 1;
    while (mem < KT_MAX_PARTS && (n + n / 2) / mem > most)
        mem *= 2;
    ks->n = threads < 1 ? 1 : threads > KT_MAX_THREADS ? KT_MAX_THREADS : (unsigned)threads;
    while (nparts < mem * ks->n)
        nparts *= 2;
    for (unsigned k = 0; k < ks->n; k++) {
        ks->t[k].nparts = nparts;
        ks->t[k].part = k;
        kt_alloc(&ks->t[k], n / nparts + n / nparts / 16);
    }
}

void kt_free(kt_set *ks)
{
    for (unsigned k = 0; k < ks->n; k++)
        free(ks->t[k].s);
}

void kt_clear(key_table *t)
{
    memset(t->s, 0, t->cap * sizeof *t->s);
    t->used = 0;
}

void kt_grow(key_table *t)
{
    key_table old = *t;
    kt_alloc(t, old.cap * 2);
    for (size_t i = 0; i < old.cap; i++)
        if (slot_key(&old.s[i])) *kt_find(t, slot_key(&old.s[i])) = old.s[i];
    t->used = old.used;
    free(old.s);
}

size_t kt_pick(const key_table *t, key_table *hot, bool (*keep)(const key_slot *s))
{
    size_t n = 0;
    for (size_t i = 0; i < t->cap; i++)
        n += slot_key(&t->s[i]) && keep(&t->s[i]);
    *hot = (key_table){.part = t->part, .nparts = t->nparts};
    if (!n) return 0;
    kt_alloc(hot, n);
    for (size_t i = 0; i < t->cap; i++)
        if (slot_key(&t->s[i]) && keep(&t->s[i])) *kt_find(hot, slot_key(&t->s[i])) = t->s[i];
    hot->used = n;
    return n;
}

site_hits hits_new(const didq_analysis *a)
{
    site_hits h = {didq_xcalloc(a->nsites + 1, sizeof *h.recs),
                   didq_xcalloc(a->nsites + 1, sizeof *h.groups)};
    return h;
}

void hits_free(const didq_analysis *a, site_hits *h)
{
    for (size_t i = 0; i <= a->nsites; i++)
        free(h->recs[i].v);
    free(h->recs);
    free(h->groups);
}

void hits_give(didq_analysis *a, didq_anomaly *an, an_list *l)
{
    a->an_recs[an->id - 1] = *l;
    memset(l, 0, sizeof *l);
}

static void hits_give_across(didq_analysis *a, int kind, site_hits *h, const char *what)
{
    const didq_threshold *th = &a->o.thresholds.k[kind];
    for (size_t u = 0; u < a->nucodes; u++) {
        uint64_t g = h->groups[u];
        if (!g || !an_judged(a, kind, a->ucodes[u].n) || (double)g < th->threshold) continue;
        an_site s = {.code = (char *)a->ucodes[u].code};
        didq_anomaly *an = an_add(a, kind, &s, (double)g, th->threshold, h->recs[u].n);
        an->month = DIDQ_NOMONTH;
        an_set_message(an, what, (unsigned long long)g, (unsigned long long)h->recs[u].n);
        hits_give(a, an, &h->recs[u]);
    }
}

static void hits_give_sites(didq_analysis *a, int kind, site_hits *h, const char *what)
{
    const didq_threshold *th = &a->o.thresholds.k[kind];
    for (size_t s = 0; s < a->nsites; s++) {
        uint64_t g = h->groups[s];
        if (!g || !an_judged(a, kind, a->sites[s].n) || (double)g < th->threshold) continue;
        didq_anomaly *an = an_add(a, kind, &a->sites[s], (double)g, th->threshold, h->recs[s].n);
        an_set_message(an, what, (unsigned long long)g, (unsigned long long)h->recs[s].n);
        hits_give(a, an, &h->recs[s]);
    }
}

/* Adds the hits of another thread's parts to h and frees them. */
static void hits_add(const didq_analysis *a, site_hits *h, site_hits *more)
{
    for (size_t s = 0; s <= a->nsites; s++) {
        an_list *to = &h->recs[s], *from = &more->recs[s];
        if (from->n && to->n + from->n > to->cap) {
            to->cap = to->n + from->n;
            to->v = didq_xrealloc(to->v, to->cap * sizeof *to->v);
        }
        if (from->n) memcpy(to->v + to->n, from->v, from->n * sizeof *from->v);
        to->n += from->n;
        h->groups[s] += more->groups[s];
    }
    hits_free(a, more);
}

typedef struct part_job {
    didq_analysis *a;
    key_table *t;
    site_hits h;
    part_fn *fn;
    unsigned step;
} part_job;

/* A thread's parts: its table's first, then every step-th after it. */
static void *part_main(void *p)
{
    part_job *j = p;
    unsigned first = j->t->part;
    for (unsigned k = first; k < j->t->nparts; k += j->step) {
        j->t->part = k;
        j->fn(j->a, j->t, &j->h);
    }
    j->t->part = first;
    return NULL;
}

void kt_run_parts(didq_analysis *a, kt_set *ks, part_fn *fn, site_hits *h)
{
    part_job jobs[KT_MAX_THREADS];
    for (unsigned k = 0; k < ks->n; k++)
        jobs[k] = (part_job){a, &ks->t[k], k ? hits_new(a) : *h, fn, ks->n};
    didq_run_parts(part_main, jobs, sizeof *jobs, ks->n);
    *h = jobs[0].h;
    for (unsigned k = 1; k < ks->n; k++)
        hits_add(a, h, &jobs[k].h);
}

void kt_run_kind(didq_analysis *a, kt_set *ks, part_fn *fn, int kind, bool across, const char *what)
{
    site_hits h = hits_new(a);
    kt_run_parts(a, ks, fn, &h);
    if (across)
        hits_give_across(a, kind, &h, what);
    else
        hits_give_sites(a, kind, &h, what);
    hits_free(a, &h);
}
