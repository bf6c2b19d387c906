/* anomaly_records.c: the record-level kinds: suspected duplicates,
 * accession numbers reused across files, NHS numbers with conflicting
 * details, and identifiers on restricted (fertility) codes. */
#include "anomaly_int.h"
#include "didq/date.h"
#include "didq/table.h"
#include "didq/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- restricted codes (refdata/restricted-codes.csv) ---- */

enum { AN_MAX_RESTRICTED = 64 };

/* The codes, upper case, per system (0 NICIP, 1 SNOMED); loaded once. */
static struct {
    int n[2];
    char code[2][AN_MAX_RESTRICTED][20];
    size_t len[2][AN_MAX_RESTRICTED];
} rc;

static void load_restricted(void)
{
    didq_table *t = didq_table_embedded("restricted-codes.csv");
    int cs = didq_table_col(t, "system"), cc = didq_table_col(t, "code");
    for (size_t r = 0; r < t->nrows; r++) {
        int sys = strcmp(didq_table_get(t, r, cs), "NICIP") != 0;
        const char *code = didq_table_get(t, r, cc);
        if (rc.n[sys] == AN_MAX_RESTRICTED || strlen(code) >= sizeof rc.code[0][0])
            didq_die("internal error: refdata/restricted-codes.csv: too many or too long");
        snprintf(rc.code[sys][rc.n[sys]], sizeof rc.code[0][0], "%s", code);
        rc.len[sys][rc.n[sys]++] = strlen(code);
    }
    didq_table_free(t);
}

static bool in_list(int sys, const char *s, size_t n)
{
    for (int i = 0; i < rc.n[sys]; i++) {
        if (rc.len[sys][i] != n) continue;
        size_t k = 0;
        while (k < n && toupper((unsigned char)s[k]) == rc.code[sys][i][k])
            k++;
        if (k == n) return true;
    }
    return false;
}

bool an_restricted_code(const char *nicip, size_t nn, const char *snomed, size_t sn)
{
    static int loaded;
    if (!loaded && (loaded = 1)) load_restricted();
    return (nn && in_list(0, nicip, nn)) || (sn && in_list(1, snomed, sn));
}

/* ---- a table of keys ---- */

/* 20 bytes, not 24: the key is two 32-bit halves, so the slot needs only
 * 4-byte alignment (the table is the biggest block of the analyses). */
typedef struct key_slot {
    uint32_t key_lo, key_hi; /* 0: empty */
    uint32_t val;
    int32_t dob;
    uint16_t file;
    char gender;
    uint8_t flag; /* 1: conflicting group; 2: also counted */
} key_slot;

static uint64_t slot_key(const key_slot *s)
{
    return (uint64_t)s->key_hi << 32 | s->key_lo;
}

/* Open addressing with linear probing over any number of slots (a key's
 * home is its high bits scaled to the table, not a power-of-two mask):
 * sized from the keys to come at two slots for three keys at most, not
 * the next power of two over twice the records, which at 4 million records
 * was 8.4 million slots (168 MB).  A table that fills up anyway (keys
 * unevenly spread over the parts) grows. */
typedef struct key_table {
    key_slot *s;
    size_t cap, used;
    unsigned part, nparts; /* the keys of this pass: those of part (of nparts) */
} key_table;

static size_t kt_home(const key_table *t, uint64_t key)
{
    uint64_t h = (key ^ (key >> 29)) * 0x9E3779B97F4A7C15ULL;
    return (size_t)(((unsigned __int128)h * t->cap) >> 64);
}

/* A table for n keys (of one pass). */
static void kt_alloc(key_table *t, size_t n)
{
    t->cap = n + n / 2 + 1024;
    t->used = 0;
    t->s = didq_xcalloc(t->cap, sizeof *t->s);
}

/* Keys go through the table in nparts passes, each keeping the keys of one
 * part (bits 1 and 2 of the key: bit 0 is always set), so the table holds a
 * part's keys, not all of them: at most about 4.2 million slots (84 MB)
 * while that takes at most 4 parts.  Each pass rereads the record keys,
 * in order.  A site's record list then holds each part's records in turn:
 * the lists go into a keyed table (anomaly_records), so their order does
 * not matter. */
enum { KT_PART_SLOTS = 1 << 22, KT_MAX_PARTS = 4 };

/* DIDQ_KEY_PART_SLOTS sets the slots of a part (the tests make it small,
 * so that a few thousand keys go through every part). */
static size_t part_slots(void)
{
    const char *e = getenv("DIDQ_KEY_PART_SLOTS");
    long v = e ? strtol(e, NULL, 10) : 0;
    return v >= 64 && v <= 1L << 30 ? (size_t)v : KT_PART_SLOTS;
}

static void kt_init(key_table *t, size_t n)
{
    size_t most = part_slots();
    t->nparts = 1;
    while (t->nparts < KT_MAX_PARTS && (n + n / 2) / t->nparts > most)
        t->nparts *= 2;
    t->part = 0;
    kt_alloc(t, n / t->nparts + n / t->nparts / 16);
}

/* Whether key is one of this pass's. */
static inline bool kt_mine(const key_table *t, uint64_t key)
{
    return ((key >> 1) & (t->nparts - 1)) == t->part;
}

/* Empties a table for the next pass (its pages stay mapped). */
static void kt_clear(key_table *t)
{
    memset(t->s, 0, t->cap * sizeof *t->s);
    t->used = 0;
}

/* The table is far bigger than the caches and keys come in record order:
 * each loop asks for the slot of a record AHEAD places on while it works. */
enum { AHEAD = 16 };

static void kt_prefetch(const key_table *t, uint64_t key)
{
    __builtin_prefetch(&t->s[kt_home(t, key)], 1);
}

static key_slot *kt_find(const key_table *t, uint64_t key)
{
    size_t i = kt_home(t, key);
    while (slot_key(&t->s[i]) && slot_key(&t->s[i]) != key)
        i = i + 1 == t->cap ? 0 : i + 1;
    return &t->s[i];
}

static void kt_grow(key_table *t)
{
    key_table old = *t;
    kt_alloc(t, old.cap * 2);
    for (size_t i = 0; i < old.cap; i++)
        if (slot_key(&old.s[i])) *kt_find(t, slot_key(&old.s[i])) = old.s[i];
    t->used = old.used;
    free(old.s);
}

/* The slot of a key; *fresh is set when it was empty (now claimed). */
static key_slot *kt_get(key_table *t, uint64_t key, bool *fresh)
{
    key_slot *s = kt_find(t, key);
    *fresh = !slot_key(s);
    if (*fresh && ++t->used > t->cap - t->cap / 4) {
        kt_grow(t);
        s = kt_find(t, key);
    }
    s->key_lo = (uint32_t)key;
    s->key_hi = (uint32_t)(key >> 32);
    return s;
}

/* Gives each conflicting group's records to the anomaly of their site:
 * lists[site] collects the record ids, groups[site] counts the groups. */
typedef struct site_hits {
    an_list *recs;
    uint64_t *groups;
} site_hits;

static site_hits hits_new(const didq_analysis *a)
{
    site_hits h = {didq_xcalloc(a->nsites + 1, sizeof *h.recs),
                   didq_xcalloc(a->nsites + 1, sizeof *h.groups)};
    return h;
}

static void hits_free(const didq_analysis *a, site_hits *h)
{
    for (size_t i = 0; i <= a->nsites; i++)
        free(h->recs[i].v);
    free(h->recs);
    free(h->groups);
}

/* Moves a site's record list to a new anomaly. */
static void hits_give(didq_analysis *a, didq_anomaly *an, an_list *l)
{
    a->an_recs[an->id - 1] = *l;
    memset(l, 0, sizeof *l);
}

/* ---- duplicate-suspected ---- */

static void duplicates_part(didq_analysis *a, key_table *t, site_hits *h)
{
    bool fresh;
    kt_clear(t);
    for (size_t i = 0; i < a->nrecs; i++) {
        if (i + AHEAD < a->nrecs) kt_prefetch(t, a->recs[i + AHEAD].dup_key);
        const an_rec *r = &a->recs[i];
        if (!r->dup_key || !kt_mine(t, r->dup_key)) continue;
        key_slot *k = kt_get(t, r->dup_key, &fresh);
        if (fresh)
            k->val = r->dup_val;
        else if (k->val != r->dup_val)
            k->flag = 1;
    }
    for (size_t i = 0; i < a->nrecs; i++) {
        if (i + AHEAD < a->nrecs) kt_prefetch(t, a->recs[i + AHEAD].dup_key);
        const an_rec *r = &a->recs[i];
        if (r->dup_key && kt_mine(t, r->dup_key) && r->site < a->nsites &&
            kt_get(t, r->dup_key, &fresh)->flag)
            an_list_push(&h->recs[r->site], an_rec_id(a, i));
    }
}

static void duplicates(didq_analysis *a, key_table *t)
{
    site_hits h = hits_new(a);
    for (t->part = 0; t->part < t->nparts; t->part++)
        duplicates_part(a, t, &h);
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_DUPLICATE];
    char p[16];
    for (size_t s = 0; s < a->nsites; s++) {
        an_site *site = &a->sites[s];
        double share = site->n ? (double)h.recs[s].n / (double)site->n : 0;
        if (!an_judged(a, DIDQ_AK_DUPLICATE, site->n) || !h.recs[s].n || share < th->threshold)
            continue;
        didq_anomaly *an = an_add(a, DIDQ_AK_DUPLICATE, site, share, th->threshold, h.recs[s].n);
        an_set_message(an,
                       "%llu records (%s) share patient, imaging code and test date with a"
                       " record of another accession number",
                       (unsigned long long)h.recs[s].n, an_pct(share, p, sizeof p));
        hits_give(a, an, &h.recs[s]);
    }
    hits_free(a, &h);
}

/* ---- accession-reused ---- */

/* A key of record i's month only, when the session has several months
 * (0 stays 0: no key). */
static uint64_t in_month(const didq_analysis *a, size_t i, uint64_t key)
{
    if (!key || a->nmon < 2) return key;
    int part = an_part(a, a->recs[i].file);
    return an_hash(key, &part, sizeof part) | 1;
}

static uint64_t acc_key(const didq_analysis *a, size_t i)
{
    return in_month(a, i, a->accs[i].key);
}

/* Within each month: an accession number in two of its files. */
static void accessions_part(didq_analysis *a, key_table *t, site_hits *h)
{
    kt_clear(t);
    bool fresh;
    for (size_t i = 0; i < a->nrecs; i++) {
        if (i + AHEAD < a->nrecs) kt_prefetch(t, acc_key(a, i + AHEAD));
        const an_rec *r = &a->recs[i];
        const an_acc *c = &a->accs[i];
        if (!c->key) continue;
        uint64_t key = acc_key(a, i);
        if (!kt_mine(t, key)) continue;
        key_slot *k = kt_get(t, key, &fresh);
        if (fresh)
            k->val = c->val, k->file = r->file;
        else if (k->file != r->file && k->val != c->val)
            k->flag = 1;
    }
    for (size_t i = 0; i < a->nrecs; i++) {
        if (i + AHEAD < a->nrecs) kt_prefetch(t, acc_key(a, i + AHEAD));
        const an_rec *r = &a->recs[i];
        if (!a->accs[i].key || r->site >= a->nsites) continue;
        uint64_t key = acc_key(a, i);
        if (!kt_mine(t, key)) continue;
        key_slot *k = kt_get(t, key, &fresh);
        if (!k->flag) continue;
        an_list_push(&h->recs[r->site], an_rec_id(a, i));
        if (k->flag == 1 && (k->flag = 2)) h->groups[r->site]++;
    }
}

static void accessions(didq_analysis *a, key_table *t)
{
    if (a->nfiles < 2) return;
    site_hits h = hits_new(a);
    for (t->part = 0; t->part < t->nparts; t->part++)
        accessions_part(a, t, &h);
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_ACCESSION_REUSED];
    for (size_t s = 0; s < a->nsites; s++) {
        uint64_t g = h.groups[s];
        if (!g || !an_judged(a, DIDQ_AK_ACCESSION_REUSED, a->sites[s].n) ||
            (double)g < th->threshold)
            continue;
        didq_anomaly *an = an_add(a, DIDQ_AK_ACCESSION_REUSED, &a->sites[s], (double)g,
                                  th->threshold, h.recs[s].n);
        an_set_message(an,
                       "%llu accession numbers appear in different files with a different"
                       " patient or test date (%llu records)",
                       (unsigned long long)g, (unsigned long long)h.recs[s].n);
        hits_give(a, an, &h.recs[s]);
    }
    hits_free(a, &h);
}

/* ---- across months ---- */

/* Gives the record lists of hits (per site code, a->ucodes) to anomalies
 * of a kind that compares months: month DIDQ_NOMONTH. */
static void cross_give(didq_analysis *a, int kind, site_hits *h, const char *what)
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

/* accession-reused across months: an accession number (of a site) whose
 * records are in files of at least two months and carry at least two
 * patient-and-test-date values; then some two records of different months
 * differ.  Every record of such a number is listed. */
static void accessions_across_part(didq_analysis *a, key_table *t, site_hits *h)
{
    kt_clear(t);
    bool fresh;
    for (size_t i = 0; i < a->nrecs; i++) {
        if (i + AHEAD < a->nrecs) kt_prefetch(t, a->accs[i + AHEAD].key);
        const an_acc *c = &a->accs[i];
        if (!c->key || !kt_mine(t, c->key)) continue;
        key_slot *k = kt_get(t, c->key, &fresh);
        uint16_t part = (uint16_t)an_part(a, a->recs[i].file);
        if (fresh) {
            k->val = c->val, k->file = part;
            continue;
        }
        k->flag |= (k->val != c->val ? 1 : 0) | (k->file != part ? 2 : 0);
    }
    for (size_t i = 0; i < a->nrecs; i++) {
        if (i + AHEAD < a->nrecs) kt_prefetch(t, a->accs[i + AHEAD].key);
        const an_rec *r = &a->recs[i];
        if (!a->accs[i].key || !kt_mine(t, a->accs[i].key) || r->site >= a->nsites) continue;
        key_slot *k = kt_get(t, a->accs[i].key, &fresh);
        if ((k->flag & 3) != 3) continue;
        size_t u = a->sites[r->site].ucode;
        an_list_push(&h->recs[u], an_rec_id(a, i));
        if (!(k->flag & 4) && (k->flag |= 4)) h->groups[u]++;
    }
}

static void accessions_across(didq_analysis *a, key_table *t)
{
    if (a->nmon < 2 || !a->accs) return;
    site_hits h = hits_new(a);
    for (t->part = 0; t->part < t->nparts; t->part++)
        accessions_across_part(a, t, &h);
    cross_give(a, DIDQ_AK_ACCESSION_REUSED, &h,
               "%llu accession numbers appear in files of different months with a different"
               " patient or test date (%llu records)");
    hits_free(a, &h);
}

/* ---- identity-conflict ---- */

/* A record's NHS number key: within its month (across false: id_key with
 * the month, when there are several), or over every month (across). */
static inline uint64_t idk(const didq_analysis *a, size_t i, bool across)
{
    return across || a->nmon < 2 ? a->recs[i].id_key : in_month(a, i, a->recs[i].id_key);
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
    for (size_t i = 0; i < a->nrecs; i++) /* val: the best vote, for identity_majority */
        if (a->recs[i].id_key && kt_mine(t, a->recs[i].id_key))
            kt_get(t, a->recs[i].id_key, &fresh)->val = 0;
}

/* Whether a number is flagged: within a month, any conflict; across
 * months, the birth date's bits or the gender's both set. */
static bool id_flagged(const key_slot *k, bool across)
{
    return across ? (k->flag & 3) == 3 || (k->flag & 12) == 12 : k->flag != 0;
}

/* The usual details of a flagged number: the birth date and gender most
 * of its records carry (ties: the first seen).  Records that differ are
 * the conflicting ones. */
/* Inlined: each caller's across is a constant, its loops specialised. */
static inline __attribute__((always_inline)) void identity_majority(didq_analysis *a, key_table *t,
                                                                    bool across)
{
    key_table votes;
    bool fresh;
    size_t flagged = 0;
    for (size_t i = 0; i < a->nrecs; i++)
        flagged += a->recs[i].id_key && kt_mine(t, idk(a, i, across)) &&
                   id_flagged(kt_get(t, idk(a, i, across), &fresh), across);
    kt_alloc(&votes, flagged);
    votes.part = 0, votes.nparts = 1;
    for (size_t i = 0; i < a->nrecs; i++) {
        if (i + AHEAD < a->nrecs) kt_prefetch(t, idk(a, i + AHEAD, across));
        const an_rec *r = &a->recs[i];
        if (!r->id_key || !kt_mine(t, idk(a, i, across)) ||
            !id_flagged(kt_get(t, idk(a, i, across), &fresh), across))
            continue;
        uint64_t vk = an_hash(idk(a, i, across), &r->dob, sizeof r->dob);
        vk = an_hash(vk, &r->gender, 1) | 1;
        key_slot *v = kt_get(&votes, vk, &fresh);
        v->val++;
        key_slot *k = kt_get(t, idk(a, i, across), &fresh);
        if (v->val > k->val) /* k->val: best vote so far */
            k->val = v->val, k->dob = r->dob, k->gender = r->gender;
    }
    free(votes.s);
}

/* The records that differ from their number's usual details, per site
 * (within months) or per site code (across months: per_code). */
/* Inlined: each caller's across is a constant, its loops specialised. */
static inline __attribute__((always_inline)) void identity_hits(didq_analysis *a, key_table *t,
                                                                bool across, site_hits *h)
{
    bool fresh;
    for (size_t i = 0; i < a->nrecs; i++) {
        if (i + AHEAD < a->nrecs) kt_prefetch(t, idk(a, i + AHEAD, across));
        const an_rec *r = &a->recs[i];
        if (!r->id_key || r->site >= a->nsites || !kt_mine(t, idk(a, i, across))) continue;
        key_slot *k = kt_get(t, idk(a, i, across), &fresh);
        bool differs = (r->dob != DIDQ_NODATE && k->dob != DIDQ_NODATE && r->dob != k->dob) ||
                       (r->gender && k->gender && r->gender != k->gender);
        if (!id_flagged(k, across) || !differs) continue;
        size_t s = across ? a->sites[r->site].ucode : r->site;
        an_list_push(&h->recs[s], an_rec_id(a, i));
        h->groups[s]++;
    }
}

static void identity(didq_analysis *a, key_table *t)
{
    site_hits h = hits_new(a);
    for (t->part = 0; t->part < t->nparts; t->part++) {
        kt_clear(t);
        identity_flag(a, t);
        identity_majority(a, t, false);
        identity_hits(a, t, false, &h);
    }
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_IDENTITY_CONFLICT];
    for (size_t s = 0; s < a->nsites; s++) {
        uint64_t g = h.groups[s];
        if (!g || !an_judged(a, DIDQ_AK_IDENTITY_CONFLICT, a->sites[s].n) ||
            (double)g < th->threshold)
            continue;
        didq_anomaly *an = an_add(a, DIDQ_AK_IDENTITY_CONFLICT, &a->sites[s], (double)g,
                                  th->threshold, h.recs[s].n);
        an_set_message(an,
                       "%llu records give an NHS number a birth date or gender that differs"
                       " from its other records",
                       (unsigned long long)g);
        hits_give(a, an, &h.recs[s]);
    }
    hits_free(a, &h);
}

static void identity_across(didq_analysis *a, key_table *t)
{
    if (a->nmon < 2) return;
    site_hits h = hits_new(a);
    for (t->part = 0; t->part < t->nparts; t->part++) {
        kt_clear(t);
        identity_flag_across(a, t);
        identity_majority(a, t, true);
        identity_hits(a, t, true, &h);
    }
    cross_give(a, DIDQ_AK_IDENTITY_CONFLICT, &h,
               "%llu records give an NHS number a birth date or gender that differs from its"
               " usual details over the months, in records of different months (%llu records)");
    hits_free(a, &h);
}

/* ---- restricted-code-identifiers ---- */

static void restricted_ids(didq_analysis *a)
{
    site_hits h = hits_new(a);
    for (size_t i = 0; i < a->nrecs; i++)
        if (a->recs[i].restricted && a->recs[i].site < a->nsites)
            an_list_push(&h.recs[a->recs[i].site], an_rec_id(a, i));
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_RESTRICTED];
    for (size_t s = 0; s < a->nsites; s++) {
        uint64_t n = h.recs[s].n;
        if (!n || !an_judged(a, DIDQ_AK_RESTRICTED, a->sites[s].n) || (double)n < th->threshold)
            continue;
        didq_anomaly *an = an_add(a, DIDQ_AK_RESTRICTED, &a->sites[s], (double)n, th->threshold, n);
        an_set_message(an,
                       "%llu records with a restricted (fertility) code carry an NHS number,"
                       " birth date or postcode; they must be submitted anonymised",
                       (unsigned long long)n);
        hits_give(a, an, &h.recs[s]);
    }
    hits_free(a, &h);
}

/* The most keys one kind puts in the table: what it is sized for. */
static size_t most_keys(const didq_analysis *a)
{
    size_t dup = 0, id = 0, acc = 0;
    for (size_t i = 0; i < a->nrecs; i++) {
        dup += a->recs[i].dup_key != 0;
        id += a->recs[i].id_key != 0;
        acc += a->accs && a->accs[i].key != 0;
    }
    return dup > id ? (dup > acc ? dup : acc) : (id > acc ? id : acc);
}

void an_records(didq_analysis *a)
{
    key_table t;
    kt_init(&t, most_keys(a));
    duplicates(a, &t);
    accessions(a, &t);
    accessions_across(a, &t);
    identity(a, &t);
    identity_across(a, &t);
    free(t.s);
    restricted_ids(a);
}
