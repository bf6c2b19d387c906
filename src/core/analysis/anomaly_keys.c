/* anomaly_keys.c: the key tables of the record-level kinds, their keys
 * in buckets by part, the parts on threads, and the hits they collect
 * (anomaly_keys.h). */
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
        an_list_add(&h->recs[s], &more->recs[s]);
        h->groups[s] += more->groups[s];
    }
    hits_free(a, more);
}

/* ---- keys bucketed by part ---- */

typedef struct kb_job {
    didq_analysis *a;
    kb_key_fn *fn;
    size_t lo, hi;           /* the records of this thread */
    unsigned nparts, p0, p1; /* filling: the parts of the round, [p0, p1) */
    size_t *at;              /* per part: its count, then where its next entry goes */
    kb_ent *e;
} kb_job;

static unsigned kb_part(uint64_t key, unsigned nparts)
{
    return (unsigned)(key >> 1) & (nparts - 1);
}

static void *kb_count(void *p)
{
    kb_job *j = p;
    uint32_t val, more;
    for (size_t i = j->lo; i < j->hi; i++) {
        uint64_t key = j->fn(j->a, i, &val, &more);
        if (key) j->at[kb_part(key, j->nparts)]++;
    }
    return NULL;
}

static void *kb_fill(void *p)
{
    kb_job *j = p;
    uint32_t val, more;
    for (size_t i = j->lo; i < j->hi; i++) {
        uint64_t key = j->fn(j->a, i, &val, &more);
        unsigned q = kb_part(key, j->nparts);
        if (key && q >= j->p0 && q < j->p1)
            j->e[j->at[q]++] =
                (kb_ent){(uint32_t)key, (uint32_t)(key >> 32), val, more, (uint32_t)i};
    }
    return NULL;
}

static unsigned kb_threads(int threads)
{
    return threads < 1 ? 1 : threads > KT_MAX_THREADS ? KT_MAX_THREADS : (unsigned)threads;
}

/* The entries of the biggest round when a round takes `per` parts. */
static size_t kb_round_most(const kb_set *b, unsigned per)
{
    size_t most = 0;
    for (unsigned q = 0; q < b->nparts; q += per)
        if (b->start[q + per] - b->start[q] > most) most = b->start[q + per] - b->start[q];
    return most;
}

/* The fewest rounds (a power of two, at most the parts) whose biggest
 * round's entries take at most `bytes`. */
static unsigned kb_rounds(const kb_set *b, size_t bytes)
{
    unsigned r = 1;
    while (r < b->nparts && kb_round_most(b, b->nparts / r) * sizeof(kb_ent) > bytes)
        r *= 2;
    return r;
}

/* The bytes of entries a round may hold, for n entries in all. */
static size_t kb_round_bytes(size_t n)
{
    size_t bytes = n / 3 * sizeof(kb_ent);
    if (bytes < KB_ROUND_MIN) bytes = KB_ROUND_MIN;
    if (bytes > KB_ROUND_BYTES) bytes = KB_ROUND_BYTES;
    return didq_env_size("DIDQ_KEY_ROUND_BYTES", 64, bytes);
}

void kb_make(kb_set *b, didq_analysis *a, kb_key_fn *fn)
{
    size_t slots = didq_env_size("DIDQ_KEY_PART_SLOTS", 64, KB_PART_SLOTS);
    unsigned nt = kb_threads(a->o.threads), np = 1;
    while (np < KB_MAX_PARTS && (np < nt || a->nrecs + a->nrecs / 2 > slots * np))
        np *= 2;
    free(b->at);
    b->at = didq_xcalloc((size_t)nt * np, sizeof *b->at);
    kb_job jobs[KT_MAX_THREADS];
    for (unsigned k = 0; k < nt; k++)
        jobs[k] = (kb_job){.a = a,
                           .fn = fn,
                           .lo = a->nrecs * k / nt,
                           .hi = a->nrecs * (k + 1) / nt,
                           .nparts = np,
                           .at = b->at + (size_t)k * np};
    didq_run_parts(kb_count, jobs, sizeof *jobs, nt);
    /* part by part, each thread's records after the threads' before it:
     * record order within a part; b->at the place of each thread's first
     * entry of each part */
    free(b->start);
    b->start = didq_xmalloc((np + 1) * sizeof *b->start);
    b->nparts = np;
    b->nt = nt;
    b->fn = fn;
    b->most = 0;
    size_t sum = 0;
    for (unsigned p = 0; p < np; p++) {
        b->start[p] = sum;
        for (unsigned k = 0; k < nt; k++) {
            size_t c = jobs[k].at[p];
            jobs[k].at[p] = sum;
            sum += c;
        }
        if (sum - b->start[p] > b->most) b->most = sum - b->start[p];
    }
    b->start[np] = sum;
    b->nrounds = kb_rounds(b, kb_round_bytes(sum));
    size_t room = kb_round_most(b, np / b->nrounds);
    if (room + 1 > b->cap) { /* kept for the next kind: written again, not fresh */
        free(b->e);
        b->cap = room + 1;
        b->e = didq_xmalloc(b->cap * sizeof *b->e);
    }
}

void kb_free(kb_set *b)
{
    free(b->e);
    free(b->start);
    free(b->at);
}

/* Round r's entries into b->e, from its first part's place on. */
static void kb_fill_round(const kb_set *b, didq_analysis *a, unsigned r)
{
    unsigned per = b->nparts / b->nrounds, p0 = r * per;
    kb_job jobs[KT_MAX_THREADS];
    size_t *at = didq_xmalloc((size_t)b->nt * b->nparts * sizeof *at);
    for (unsigned k = 0; k < b->nt; k++) {
        for (unsigned q = p0; q < p0 + per; q++)
            at[(size_t)k * b->nparts + q] = b->at[(size_t)k * b->nparts + q] - b->start[p0];
        jobs[k] = (kb_job){.a = a,
                           .fn = b->fn,
                           .lo = a->nrecs * k / b->nt,
                           .hi = a->nrecs * (k + 1) / b->nt,
                           .nparts = b->nparts,
                           .p0 = p0,
                           .p1 = p0 + per,
                           .at = at + (size_t)k * b->nparts,
                           .e = b->e};
    }
    didq_run_parts(kb_fill, jobs, sizeof *jobs, b->nt);
    free(at);
}

typedef struct kb_run_job {
    didq_analysis *a;
    const kb_set *b;
    kb_part_fn *fn;
    key_table t;
    site_hits h;
    unsigned first, step, p1;
    size_t base; /* the round's first entry's place */
} kb_run_job;

static void *kb_run_main(void *p)
{
    kb_run_job *j = p;
    const kb_set *b = j->b;
    for (unsigned q = j->first; q < j->p1; q += j->step) {
        size_t n = b->start[q + 1] - b->start[q];
        if (!n) continue;
        kt_clear(&j->t);
        j->fn(j->a, b->e + (b->start[q] - j->base), n, &j->t, &j->h);
    }
    return NULL;
}

void kb_run(didq_analysis *a, const kb_set *b, kb_part_fn *fn, site_hits *h)
{
    unsigned nt = b->nt, per = b->nparts / b->nrounds;
    if (nt > per) nt = per;
    kb_run_job jobs[KT_MAX_THREADS] = {{0}};
    for (unsigned k = 0; k < nt; k++) {
        jobs[k] = (kb_run_job){.a = a, .b = b, .fn = fn, .h = k ? hits_new(a) : *h, .step = nt};
        kt_alloc(&jobs[k].t, b->most);
    }
    for (unsigned r = 0; r < b->nrounds; r++) {
        kb_fill_round(b, a, r);
        for (unsigned k = 0; k < nt; k++) {
            jobs[k].first = r * per + k;
            jobs[k].p1 = (r + 1) * per;
            jobs[k].base = b->start[(size_t)r * per];
        }
        didq_run_parts(kb_run_main, jobs, sizeof *jobs, nt);
    }
    *h = jobs[0].h;
    for (unsigned k = 0; k < nt; k++) {
        free(jobs[k].t.s);
        if (k) hits_add(a, h, &jobs[k].h);
    }
}

void kb_run_kind(didq_analysis *a, const kb_set *b, kb_part_fn *fn, int kind, bool across,
                 const char *what)
{
    site_hits h = hits_new(a);
    kb_run(a, b, fn, &h);
    if (across)
        hits_give_across(a, kind, &h, what);
    else
        hits_give_sites(a, kind, &h, what);
    hits_free(a, &h);
}
