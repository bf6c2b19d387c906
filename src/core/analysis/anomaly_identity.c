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

/* Flags NHS numbers seen with two known birth dates or genders. */
static void identity_flag(didq_analysis *a, key_table *t)
{
    bool fresh;
    for (size_t i = 0; i < a->nrecs; i++) {
        if (i + AHEAD < a->nrecs) kt_prefetch(t, idk(a, i + AHEAD, false));
        const an_rec *r = &a->recs[i];
        if (!r->id_key) continue;
        uint64_t key = idk(a, i, false);
        if (!kt_mine(t, key)) continue;
        key_slot *k = kt_get(t, key, &fresh);
        if (fresh) {
            k->dob = r->dob, k->gender = r->gender;
            continue;
        }
        if (k->dob == DIDQ_NODATE)
            k->dob = r->dob;
        else if (r->dob != DIDQ_NODATE && r->dob != k->dob)
            k->flag = 1;
        if (!k->gender)
            k->gender = r->gender;
        else if (r->gender && r->gender != k->gender)
            k->flag = 1;
    }
}

/* identity-conflict across months: an NHS number with two known birth
 * dates whose known birth dates are in records of two months, or the same
 * of gender; then some two records of different months differ. */
static void identity_flag_across(didq_analysis *a, key_table *t)
{
    bool fresh;
    for (size_t i = 0; i < a->nrecs; i++) {
        if (i + AHEAD < a->nrecs) kt_prefetch(t, a->recs[i + AHEAD].id_key);
        const an_rec *r = &a->recs[i];
        if (!r->id_key || !kt_mine(t, r->id_key)) continue;
        key_slot *k = kt_get(t, r->id_key, &fresh);
        uint16_t part = (uint16_t)an_part(a, r->file);
        if (fresh) k->dob = DIDQ_NODATE;
        /* val: the month of the first known birth date; file: of the gender */
        if (r->dob != DIDQ_NODATE && k->dob == DIDQ_NODATE)
            k->dob = r->dob, k->val = part;
        else if (r->dob != DIDQ_NODATE)
            k->flag |= (r->dob != k->dob ? 1 : 0) | (part != k->val ? 2 : 0);
        if (r->gender && !k->gender)
            k->gender = r->gender, k->file = part;
        else if (r->gender)
            k->flag |= (r->gender != k->gender ? 4 : 0) | (part != k->file ? 8 : 0);
    }
}

/* Whether a number is flagged: within a month, any conflict; across
 * months, the birth date's bits or the gender's both set. */
static bool flagged_within(const key_slot *k)
{
    return k->flag != 0;
}

static bool flagged_across(const key_slot *k)
{
    return (k->flag & 3) == 3 || (k->flag & 12) == 12;
}

/* The records of this part's flagged numbers (their slots in hot), one
 * bit each (mark), so that the passes after this one read only those
 * (few) records.  Returns how many. */
static inline __attribute__((always_inline)) size_t identity_mark(didq_analysis *a, key_table *hot,
                                                                  bool across, uint64_t *mark)
{
    size_t flagged = 0;
    for (size_t i = 0; i < a->nrecs; i++) {
        if (i + AHEAD < a->nrecs) kt_prefetch(hot, idk(a, i + AHEAD, across));
        if (!a->recs[i].id_key || !kt_mine(hot, idk(a, i, across))) continue;
        if (!kt_look(hot, idk(a, i, across))) continue;
        mark[i / 64] |= 1ULL << (i % 64);
        flagged++;
    }
    return flagged;
}

/* The next marked record from i on, or nrecs. */
static inline size_t next_marked(const uint64_t *mark, size_t i, size_t nrecs)
{
    while (i < nrecs) {
        uint64_t w = mark[i / 64] >> (i % 64);
        if (w) return i + (size_t)__builtin_ctzll(w);
        i = (i / 64 + 1) * 64;
    }
    return nrecs;
}

/* The usual details of a flagged number (its slot in hot, val 0 at
 * first: the best vote so far): the birth date and gender most of its
 * records carry (ties: the first seen).  Records that differ are the
 * conflicting ones. */
/* Inlined: each caller's across is a constant, its loops specialised. */
static inline __attribute__((always_inline)) void identity_majority(didq_analysis *a,
                                                                    key_table *hot, bool across,
                                                                    const uint64_t *mark,
                                                                    size_t flagged)
{
    key_table votes;
    bool fresh;
    kt_alloc(&votes, flagged);
    votes.part = 0, votes.nparts = 1;
    for (size_t i = next_marked(mark, 0, a->nrecs); i < a->nrecs;
         i = next_marked(mark, i + 1, a->nrecs)) {
        const an_rec *r = &a->recs[i];
        uint64_t vk = an_hash(idk(a, i, across), &r->dob, sizeof r->dob);
        vk = an_hash(vk, &r->gender, 1) | 1;
        key_slot *v = kt_get(&votes, vk, &fresh);
        v->val++;
        /* a marked record's number is in hot; k->val: its best vote so far */
        key_slot *k = kt_find(hot, idk(a, i, across));
        if (v->val > k->val) k->val = v->val, k->dob = r->dob, k->gender = r->gender;
    }
    free(votes.s);
}

/* The records that differ from their number's usual details, per site
 * (within months) or per site code (across months: per_code). */
/* Inlined: each caller's across is a constant, its loops specialised. */
static inline __attribute__((always_inline)) void
identity_hits(didq_analysis *a, key_table *hot, bool across, const uint64_t *mark, site_hits *h)
{
    for (size_t i = next_marked(mark, 0, a->nrecs); i < a->nrecs;
         i = next_marked(mark, i + 1, a->nrecs)) {
        const an_rec *r = &a->recs[i];
        if (r->site >= a->nsites) continue;
        const key_slot *k = kt_find(hot, idk(a, i, across));
        bool differs = (r->dob != DIDQ_NODATE && k->dob != DIDQ_NODATE && r->dob != k->dob) ||
                       (r->gender && k->gender && r->gender != k->gender);
        if (!differs) continue;
        size_t s = across ? a->sites[r->site].ucode : r->site;
        an_list_push(&h->recs[s], an_rec_id(a, i));
        h->groups[s]++;
    }
}

/* The records' marks: one bit a record. */
static uint64_t *marks_new(const didq_analysis *a)
{
    return didq_xcalloc(a->nrecs / 64 + 1, sizeof(uint64_t));
}

/* One part's numbers flagged, their records marked, voted and listed. */
static inline __attribute__((always_inline)) void identity_run(didq_analysis *a, key_table *t,
                                                               site_hits *h, bool across)
{
    kt_clear(t);
    if (across)
        identity_flag_across(a, t);
    else
        identity_flag(a, t);
    key_table hot;
    if (!kt_pick(t, &hot, across ? flagged_across : flagged_within)) return;
    for (size_t k = 0; k < hot.cap; k++)
        hot.s[k].val = 0;
    uint64_t *mark = marks_new(a);
    size_t flagged = identity_mark(a, &hot, across, mark);
    identity_majority(a, &hot, across, mark, flagged);
    identity_hits(a, &hot, across, mark, h);
    free(mark);
    free(hot.s);
}

static void identity_part(didq_analysis *a, key_table *t, site_hits *h)
{
    identity_run(a, t, h, false);
}

static void identity_across_part(didq_analysis *a, key_table *t, site_hits *h)
{
    identity_run(a, t, h, true);
}

void an_identity(didq_analysis *a, kt_set *ks)
{
    kt_run_kind(a, ks, identity_part, DIDQ_AK_IDENTITY_CONFLICT, false,
                "%llu records give an NHS number a birth date or gender that differs"
                " from its other records");
}

void an_identity_across(didq_analysis *a, kt_set *ks)
{
    if (a->nmon < 2) return;
    kt_run_kind(a, ks, identity_across_part, DIDQ_AK_IDENTITY_CONFLICT, true,
                "%llu records give an NHS number a birth date or gender that differs from its"
                " usual details over the months, in records of different months (%llu records)");
}
