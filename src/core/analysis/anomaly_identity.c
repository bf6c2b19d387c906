/* anomaly_identity.c: identity-conflict, NHS numbers given two birth
 * dates or genders, within each month and across the months. */
#include "anomaly_keys.h"
#include "didq/date.h"
#include "didq/util.h"

#include <stdlib.h>

/* A record's NHS number key: within its month (across false: id_key with
 * the month, when there are several), or over every month (across). */
static inline uint64_t idk(const didq_analysis *a, size_t i, bool across)
{
    return across || a->nmon < 2 ? a->recs[i].id_key : an_in_month(a, i, a->recs[i].id_key);
}

/* The bucket entries (anomaly_keys.h): val the birth date, more the
 * gender and, across months, the record's month (an_part) above it. */
static uint64_t within_key(const didq_analysis *a, size_t i, uint32_t *val, uint32_t *more)
{
    const an_rec *r = &a->recs[i];
    *val = (uint32_t)r->dob;
    *more = (unsigned char)r->gender;
    return r->id_key ? idk(a, i, false) : 0;
}

static uint64_t across_key(const didq_analysis *a, size_t i, uint32_t *val, uint32_t *more)
{
    const an_rec *r = &a->recs[i];
    *val = (uint32_t)r->dob;
    *more = (unsigned char)r->gender | (uint32_t)(uint16_t)an_part(a, r->file) << 8;
    return r->id_key;
}

static int32_t ent_dob(const kb_ent *e)
{
    return (int32_t)e->val;
}

static char ent_gender(const kb_ent *e)
{
    return (char)(e->more & 0xff);
}

/* Flags NHS numbers seen with two known birth dates or genders. */
static bool identity_flag(const kb_ent *e, size_t n, key_table *t)
{
    bool fresh, any = false;
    for (size_t j = 0; j < n; j++) {
        key_slot *k = kt_get(t, kb_key(&e[j]), &fresh);
        int32_t dob = ent_dob(&e[j]);
        char gender = ent_gender(&e[j]);
        if (fresh) {
            k->dob = dob, k->gender = gender;
            continue;
        }
        if (k->dob == DIDQ_NODATE)
            k->dob = dob;
        else if (dob != DIDQ_NODATE && dob != k->dob)
            k->flag = 1;
        if (!k->gender)
            k->gender = gender;
        else if (gender && gender != k->gender)
            k->flag = 1;
        any |= k->flag != 0;
    }
    return any;
}

/* identity-conflict across months: an NHS number with two known birth
 * dates whose known birth dates are in records of two months, or the same
 * of gender; then some two records of different months differ. */
static bool identity_flag_across(const kb_ent *e, size_t n, key_table *t)
{
    bool fresh, any = false;
    for (size_t j = 0; j < n; j++) {
        key_slot *k = kt_get(t, kb_key(&e[j]), &fresh);
        int32_t dob = ent_dob(&e[j]);
        char gender = ent_gender(&e[j]);
        uint16_t part = (uint16_t)(e[j].more >> 8);
        if (fresh) k->dob = DIDQ_NODATE;
        /* val: the month of the first known birth date; file: of the gender */
        if (dob != DIDQ_NODATE && k->dob == DIDQ_NODATE)
            k->dob = dob, k->val = part;
        else if (dob != DIDQ_NODATE)
            k->flag |= (dob != k->dob ? 1 : 0) | (part != k->val ? 2 : 0);
        if (gender && !k->gender)
            k->gender = gender, k->file = part;
        else if (gender)
            k->flag |= (gender != k->gender ? 4 : 0) | (part != k->file ? 8 : 0);
        any |= k->flag != 0;
    }
    return any;
}

/* Whether a number is flagged: within a month, any conflict; across
 * months, the birth date's bits or the gender's both set. */
static bool flagged(const key_slot *k, bool across)
{
    return across ? (k->flag & 3) == 3 || (k->flag & 12) == 12 : k->flag != 0;
}

/* The part's entries of flagged numbers (few), in record order, into
 * *out; their slots' val set to 0, the best vote so far. */
static size_t identity_pick(const kb_ent *e, size_t n, key_table *t, bool across, uint32_t **out,
                            size_t *cap)
{
    size_t m = 0;
    for (size_t j = 0; j < n; j++) {
        key_slot *k = kt_find(t, kb_key(&e[j]));
        if (!flagged(k, across)) continue;
        if (m == *cap) *out = didq_xrealloc(*out, (*cap = *cap ? 2 * *cap : 64) * sizeof **out);
        (*out)[m++] = (uint32_t)j;
        k->val = 0;
    }
    return m;
}

/* The usual details of a flagged number (its slot): the birth date and
 * gender most of its records carry (ties: the first seen).  Records that
 * differ are the conflicting ones. */
static void identity_majority(const kb_ent *e, key_table *t, const uint32_t *pick, size_t m)
{
    key_table votes;
    bool fresh;
    kt_alloc(&votes, m);
    for (size_t q = 0; q < m; q++) {
        const kb_ent *x = &e[pick[q]];
        int32_t dob = ent_dob(x);
        char gender = ent_gender(x);
        uint64_t vk = an_hash(kb_key(x), &dob, sizeof dob);
        vk = an_hash(vk, &gender, 1) | 1;
        key_slot *v = kt_get(&votes, vk, &fresh);
        v->val++;
        key_slot *k = kt_find(t, kb_key(x));
        if (v->val > k->val) k->val = v->val, k->dob = dob, k->gender = gender;
    }
    free(votes.s);
}

/* The records that differ from their number's usual details, per site
 * (within months) or per site code (across months: per_code). */
static void identity_hits(didq_analysis *a, const kb_ent *e, key_table *t, bool across,
                          const uint32_t *pick, size_t m, site_hits *h)
{
    for (size_t q = 0; q < m; q++) {
        const kb_ent *x = &e[pick[q]];
        const an_rec *r = &a->recs[x->idx];
        if (r->site >= a->nsites) continue;
        const key_slot *k = kt_find(t, kb_key(x));
        int32_t dob = ent_dob(x);
        char gender = ent_gender(x);
        bool differs = (dob != DIDQ_NODATE && k->dob != DIDQ_NODATE && dob != k->dob) ||
                       (gender && k->gender && gender != k->gender);
        if (!differs) continue;
        size_t s = across ? a->sites[r->site].ucode : r->site;
        an_list_push(&h->recs[s], an_rec_id(a, x->idx));
        h->groups[s]++;
    }
}

/* One part's numbers flagged, their records picked, voted and listed. */
static void identity_run(didq_analysis *a, const kb_ent *e, size_t n, key_table *t, site_hits *h,
                         bool across)
{
    if (!(across ? identity_flag_across(e, n, t) : identity_flag(e, n, t))) return;
    uint32_t *pick = NULL;
    size_t cap = 0, m = identity_pick(e, n, t, across, &pick, &cap);
    identity_majority(e, t, pick, m);
    identity_hits(a, e, t, across, pick, m, h);
    free(pick);
}

static void identity_part(didq_analysis *a, const kb_ent *e, size_t n, key_table *t, site_hits *h)
{
    identity_run(a, e, n, t, h, false);
}

static void identity_across_part(didq_analysis *a, const kb_ent *e, size_t n, key_table *t,
                                 site_hits *h)
{
    identity_run(a, e, n, t, h, true);
}

void an_identity(didq_analysis *a, kb_set *b)
{
    kb_make(b, a, within_key);
    kb_run_kind(a, b, identity_part, DIDQ_AK_IDENTITY_CONFLICT, false,
                "%llu records give an NHS number a birth date or gender that differs"
                " from its other records");
}

void an_identity_across(didq_analysis *a, kb_set *b)
{
    if (a->nmon < 2) return;
    kb_make(b, a, across_key);
    kb_run_kind(a, b, identity_across_part, DIDQ_AK_IDENTITY_CONFLICT, true,
                "%llu records give an NHS number a birth date or gender that differs from its"
                " usual details over the months, in records of different months (%llu records)");
}
