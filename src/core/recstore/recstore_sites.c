/* recstore_sites.c: the per-site counts behind the Overview and Source
 * settings panes in one pass over the record store, instead of an SQL
 * GROUP BY that sorts every record.  The groups and their order are those
 * of `GROUP BY site ORDER BY count(*) DESC, site` on the records table: a
 * site that is absent (NULL) and one that is only spaces ('') are two
 * groups, NULL first, then the values in memcmp order.  Records whose site
 * code breaks a site rule (DIDQ_REC_BAD_SITE) are not counted under their
 * code but in one group of their own, "(invalid site)", listed last.  The
 * blanks of the mandatory items (didq_mand_slots) are counted in the same
 * pass, for the Sites pane.  Over the whole store, the pass runs in parts
 * on the store's threads (didq_recstore_set_threads), each into a map of
 * its own, added into the first's after: sums, sorted after, so the same
 * at any number of parts. */
#include "recstore_sites.h"
#include "didq/ident.h"
#include "didq/dataset.h"
#include "didq/record.h"
#include "didq/date.h"
#include "didq/util.h"
#include "parts.h"
#include "recstore_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct site_map {
    didq_site_counts *v;
    size_t n, cap;
    uint32_t *slot; /* open addressing: index + 1 into v, 0 empty */
    size_t nslot;
    bool blanks;          /* count blank per item too */
    didq_mand_slots mand; /* the mandatory slots, blank counted on each */
    /* didq_site_counts_scan_quality: the findings (sorted by record), the
     * next one to read, and per site a row of nrules counts. */
    bool quality;
    const didq_finding *f;
    uint64_t nf, next;
    int nrules;
    const unsigned char *presence;
    uint64_t *rules;
} site_map;

/* kind: 0 a site code, 1 absent, 2 the invalid-site group */
static uint64_t hash_site(const char *s, uint32_t n, int kind)
{
    static const uint64_t seed[] = {0xcbf29ce484222325ULL, 0x9e3779b97f4a7c15ULL,
                                    0xc2b2ae3d27d4eb4fULL};
    uint64_t h = seed[kind];
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

static int kind_of(const didq_site_counts *c)
{
    return c->invalid ? 2 : c->null ? 1 : 0;
}

static bool same_site(const didq_site_counts *c, const char *s, uint32_t n, int kind)
{
    return kind_of(c) == kind && c->len == n && memcmp(c->site, s, n) == 0;
}

static void map_grow(site_map *m)
{
    free(m->slot);
    m->nslot = m->nslot ? m->nslot * 2 : 256;
    m->slot = didq_xcalloc(m->nslot, sizeof *m->slot);
    for (size_t k = 0; k < m->n; k++) {
        const didq_site_counts *c = &m->v[k];
        size_t i = hash_site(c->site, c->len, kind_of(c)) & (m->nslot - 1);
        while (m->slot[i])
            i = (i + 1) & (m->nslot - 1);
        m->slot[i] = (uint32_t)k + 1;
    }
}

static didq_site_counts *site_of(site_map *m, const char *s, uint32_t n, int kind)
{
    if ((m->n + 1) * 2 > m->nslot) map_grow(m);
    size_t i = hash_site(s, n, kind) & (m->nslot - 1);
    for (; m->slot[i]; i = (i + 1) & (m->nslot - 1)) /* v is made before the first record */
        if (same_site(&m->v[m->slot[i] - 1], s, n, kind)) return &m->v[m->slot[i] - 1];
    if (m->n == m->cap) {
        size_t was = m->cap;
        m->cap = m->cap ? m->cap * 2 : 64;
        m->v = didq_xrealloc(m->v, m->cap * sizeof *m->v);
        if (m->nrules) {
            size_t row = (size_t)m->nrules;
            m->rules = didq_xrealloc(m->rules, m->cap * row * sizeof *m->rules);
            memset(m->rules + was * row, 0, (m->cap - was) * row * sizeof *m->rules);
        }
    }
    didq_site_counts *c = &m->v[m->n];
    memset(c, 0, sizeof *c);
    c->row = (uint32_t)m->n;
    c->site = s;
    c->len = n;
    c->null = kind == 1;
    c->invalid = kind == 2;
    m->slot[i] = (uint32_t)++m->n;
    return c;
}

/* Source setting 01..07 as 0..6, else 7 (other, blank and absent). */
static int setting_col(const char *s, uint32_t n)
{
    if (!s) return 7;
    didq_trim_spaces(&s, &n);
    return n == 2 && s[0] == '0' && s[1] >= '1' && s[1] <= '7' ? s[1] - '1' : 7;
}

/* The record's findings (the next ones of the sorted array): each rule
 * once in the site's row, and the items hit by a rule about a value (not
 * presence) that are filled counted invalid, as the session counts them
 * for the Completeness pane (session.c, store_finish.c for DIDS071). */
static void count_findings(site_map *m, const didq_recstore *rs, uint32_t id, didq_site_counts *c)
{
    while (m->next < m->nf && m->f[m->next].rec < id)
        m->next++;
    uint64_t *row = m->nrules ? m->rules + (size_t)c->row * (size_t)m->nrules : NULL;
    uint32_t hit = 0;
    int last = -1;
    for (; m->next < m->nf && m->f[m->next].rec == id; m->next++) {
        int rule = m->f[m->next].rule;
        if (rule >= m->nrules) continue;
        if (rule != last) row[rule]++;
        last = rule;
        if (!m->presence[rule] && m->f[m->next].item < 32) hit |= 1u << m->f[m->next].item;
    }
    for (int k = 0; hit && k < didq_recstore_nitems(rs) && k < DIDQ_MAX_ITEMS && k < 32; k++)
        if ((hit >> k) & 1u) c->invalid_items[k] += !didq_recstore_blank(rs, id, k);
}

/* Item k of record id blank, from its metadata's bits when it has one. */
static inline bool is_blank(const didq_recstore *rs, uint32_t id, uint32_t bits, int k)
{
    return k >= 0 && k < DIDQ_BLANK_BITS ? (bits >> k) & 1u : didq_recstore_blank(rs, id, k);
}

static void count_record(site_map *m, const didq_recstore *rs, uint32_t id)
{
    const char *v[DIDQ_SITE + 1];
    uint32_t len[DIDQ_SITE + 1];
    didq_recstore_fields(rs, id, DIDQ_SITE + 1, v, len);
    const char *site = v[DIDQ_SITE];
    uint32_t n = len[DIDQ_SITE];
    if (site) didq_trim_spaces(&site, &n);
    const didq_recmeta *meta = didq_recstore_meta(rs, id);
    bool bad = (meta->flags & DIDQ_REC_BAD_SITE) != 0;
    didq_site_counts *c =
        bad ? site_of(m, "", 0, 2) : site_of(m, site ? site : "", n, site == NULL ? 1 : 0);
    int set = setting_col(v[DIDQ_SETTING], len[DIDQ_SETTING]);
    c->records++;
    c->err += meta->nerr > 0;
    c->warn += meta->nwarn > 0;
    c->setting[set]++;
    c->bad_code += bad;
    uint32_t bits = didq_recmeta_blanks(meta);
    if (m->blanks) {
        int ni =
            didq_recstore_nitems(rs) < DIDQ_MAX_ITEMS ? didq_recstore_nitems(rs) : DIDQ_MAX_ITEMS;
        /* the items with a metadata bit: those set (most records have few) */
        for (uint32_t b = ni < DIDQ_BLANK_BITS ? bits & ((1u << ni) - 1) : bits; b; b &= b - 1)
            c->blank[__builtin_ctz(b)]++;
        for (int k = DIDQ_BLANK_BITS; k < ni; k++)
            c->blank[k] += didq_recstore_blank(rs, id, k);
    }
    for (int k = 0; k < m->mand.n; k++) {
        bool b = is_blank(rs, id, bits, m->mand.item[k]);
        if (b && m->mand.item2[k] >= 0) b = is_blank(rs, id, bits, m->mand.item2[k]);
        c->mand_blank[k] += b;
    }
    if (didq_gp_referred(v[DIDQ_REFERRER], len[DIDQ_REFERRER], v[DIDQ_REFERRING_ORG],
                         len[DIDQ_REFERRING_ORG])) {
        c->gp_ref++;
        c->gp_ref_03 += set == 2;
    }
    if (m->quality) count_findings(m, rs, id, c);
}

static int cmp_sites(const void *a, const void *b)
{
    const didq_site_counts *x = a, *y = b;
    if (x->invalid != y->invalid) return x->invalid ? 1 : -1;
    if (x->records != y->records) return x->records > y->records ? -1 : 1;
    if (x->null != y->null) return x->null ? -1 : 1;
    int c = memcmp(x->site, y->site, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

didq_site_counts *didq_site_counts_scan(const didq_recstore *rs, size_t *n)
{
    didq_id_range all = {1, didq_recstore_count(rs)};
    return didq_site_counts_scan_ranges(rs, &all, 1, n);
}

/* ---- the pass in parts ---- */

void didq_recstore_set_threads(didq_recstore *rs, int threads)
{
    rs->threads = threads;
}

/* Records a part counts at least (DIDQ_SITES_PART_RECORDS for the tests). */
enum { SITES_PART_RECORDS = 1 << 16, SITES_MAX_PARTS = 16 };

typedef struct sites_job {
    site_map m;
    const didq_recstore *rs;
    uint32_t lo, hi; /* ids lo .. hi */
} sites_job;

static void *sites_main(void *p)
{
    sites_job *j = p;
    for (uint32_t id = j->lo; id <= j->hi; id++)
        count_record(&j->m, j->rs, id);
    return NULL;
}

/* A map's counts added into another's (the same sites added if new). */
static void map_add(site_map *to, const site_map *from)
{
    size_t row = (size_t)to->nrules;
    for (size_t j = 0; j < from->n; j++) {
        const didq_site_counts *c = &from->v[j];
        didq_site_counts *d = site_of(to, c->site, c->len, kind_of(c));
        d->records += c->records;
        d->err += c->err;
        d->warn += c->warn;
        for (int k = 0; k < 8; k++)
            d->setting[k] += c->setting[k];
        d->gp_ref += c->gp_ref;
        d->gp_ref_03 += c->gp_ref_03;
        d->bad_code += c->bad_code;
        for (int k = 0; k < DIDQ_MAX_ITEMS; k++) {
            d->blank[k] += c->blank[k];
            d->invalid_items[k] += c->invalid_items[k];
        }
        for (int k = 0; k < DIDQ_MAND_SLOTS; k++)
            d->mand_blank[k] += c->mand_blank[k];
        for (size_t k = 0; k < row; k++)
            to->rules[d->row * row + k] += from->rules[c->row * row + k];
    }
}

/* A map like m (its settings) with room made for its first sites. */
static site_map map_like(const site_map *m)
{
    site_map p = *m;
    p.n = 0, p.nslot = 0, p.slot = NULL, p.next = 0;
    p.cap = 64;
    p.v = didq_xcalloc(p.cap, sizeof *p.v);
    p.rules = p.nrules ? didq_xcalloc(p.cap * (size_t)p.nrules, sizeof *p.rules) : NULL;
    return p;
}

/* The records 1 .. count into m, in parts on the store's threads. */
static void count_parts(site_map *m, const didq_recstore *rs, uint32_t count)
{
    size_t parts = rs->threads > 1 ? (size_t)rs->threads : 1;
    if (parts > SITES_MAX_PARTS) parts = SITES_MAX_PARTS;
    size_t each = didq_env_size("DIDQ_SITES_PART_RECORDS", 1, SITES_PART_RECORDS);
    if (parts > count / each) parts = count / each;
    if (parts < 2) {
        for (uint32_t id = 1; id <= count; id++)
            count_record(m, rs, id);
        return;
    }
    sites_job jobs[SITES_MAX_PARTS];
    for (size_t k = 0; k < parts; k++) {
        jobs[k].m = k ? map_like(m) : *m;
        jobs[k].rs = rs;
        jobs[k].lo = (uint32_t)(1 + (uint64_t)count * k / parts);
        jobs[k].hi = (uint32_t)((uint64_t)count * (k + 1) / parts);
        if (m->quality) jobs[k].m.next = didq_finding_first(m->f, m->nf, jobs[k].lo);
    }
    didq_run_parts(sites_main, jobs, sizeof *jobs, parts);
    *m = jobs[0].m;
    for (size_t k = 1; k < parts; k++) {
        map_add(m, &jobs[k].m);
        free(jobs[k].m.v);
        free(jobs[k].m.rules);
        free(jobs[k].m.slot);
    }
}

static didq_site_counts *scan_map(site_map *mp, const didq_recstore *rs, const didq_id_range *r,
                                  size_t nr, size_t *n)
{
    site_map m = *mp;
    m.cap = 64; /* room made before the first record */
    m.v = didq_xcalloc(m.cap, sizeof *m.v);
    if (m.nrules) m.rules = didq_xcalloc(m.cap * (size_t)m.nrules, sizeof *m.rules);
    didq_mand_slots_of(didq_dataset_v1(), &m.mand);
    for (int k = 0; k < m.mand.n; k++) /* a store of other items: no slots */
        if (m.mand.item[k] >= didq_recstore_nitems(rs) ||
            m.mand.item2[k] >= didq_recstore_nitems(rs))
            m.mand.n = 0;
    uint32_t count = didq_recstore_count(rs);
    if (nr == 1 && r[0].lo == 1 && r[0].hi >= count) { /* the whole store */
        count_parts(&m, rs, count);
    } else {
        for (size_t k = 0; k < nr; k++)
            for (uint32_t id = r[k].lo; id <= r[k].hi && id <= count; id++)
                count_record(&m, rs, id);
    }
    free(m.slot);
    if (m.n) qsort(m.v, m.n, sizeof *m.v, cmp_sites);
    *n = m.n;
    mp->rules = m.rules;
    return m.v;
}

/* The whole sealed store's counts with blanks, made by the first pass over
 * all of it and copied to every caller after: the report asks for them
 * three times (Overview, Source settings, the site x item table), each a
 * pass over every record.  A sealed store's records, flags and error
 * counts no longer change.  Behind a pointer, so that a const store can
 * fill it; its lock lets two threads ask at once. */
struct didq_sites_cache {
    pthread_mutex_t mu;
    didq_site_counts *v;
    size_t n;
};

static didq_site_counts *cached(const didq_recstore *rs, bool blanks, size_t *n)
{
    struct didq_sites_cache *c = rs->sites;
    pthread_mutex_lock(&c->mu);
    if (!c->v) {
        didq_id_range all = {1, didq_recstore_count(rs)};
        site_map m = {.blanks = true};
        c->v = scan_map(&m, rs, &all, 1, &c->n);
    }
    didq_site_counts *v = didq_xmalloc((c->n ? c->n : 1) * sizeof *v);
    if (c->n) memcpy(v, c->v, c->n * sizeof *v);
    *n = c->n;
    pthread_mutex_unlock(&c->mu);
    for (size_t k = 0; !blanks && k < *n; k++) /* as a pass without blanks leaves them */
        memset(v[k].blank, 0, sizeof v[k].blank);
    return v;
}

void didq_sites_cache_make(didq_recstore *rs)
{
    if (rs->sites) return;
    rs->sites = didq_xcalloc(1, sizeof *rs->sites);
    pthread_mutex_init(&rs->sites->mu, NULL);
}

void didq_sites_cache_free(didq_recstore *rs)
{
    if (!rs->sites) return;
    free(rs->sites->v);
    pthread_mutex_destroy(&rs->sites->mu);
    free(rs->sites);
    rs->sites = NULL;
}

static didq_site_counts *scan(const didq_recstore *rs, const didq_id_range *r, size_t nr,
                              bool blanks, size_t *n)
{
    if (rs->sites && nr == 1 && r[0].lo == 1 && r[0].hi >= didq_recstore_count(rs))
        return cached(rs, blanks, n);
    site_map m = {.blanks = blanks};
    return scan_map(&m, rs, r, nr, n);
}

didq_site_counts *didq_site_counts_scan_quality(const didq_recstore *rs, int nrules,
                                                const unsigned char *presence, uint64_t **rules,
                                                size_t *n)
{
    site_map m = {
        .blanks = true, .quality = true, .nrules = nrules > 0 ? nrules : 0, .presence = presence};
    m.f = didq_recstore_findings(rs, &m.nf); /* NULL when none: nf is 0 */
    didq_id_range all = {1, didq_recstore_count(rs)};
    didq_site_counts *v = scan_map(&m, rs, &all, 1, n);
    *rules = m.rules ? m.rules : didq_xcalloc(1, sizeof **rules);
    return v;
}

didq_site_counts *didq_site_counts_scan_ranges(const didq_recstore *rs, const didq_id_range *r,
                                               size_t nr, size_t *n)
{
    return scan(rs, r, nr, false, n);
}

/* Steps a cursor (range *k, id *id) to the next id of the ranges. */
static void ahead(const didq_id_range *r, size_t nr, size_t *k, uint32_t *id)
{
    if (*k >= nr) return;
    if (*id < r[*k].hi) {
        (*id)++;
    } else if (++*k < nr) {
        *id = r[*k].lo;
    }
}

didq_site_counts *didq_site_counts_scan_one(const didq_recstore *rs, const didq_id_range *r,
                                            size_t nr, size_t *n)
{
    didq_site_counts *c = didq_xcalloc(1, sizeof *c);
    *n = 0;
    if (!nr) return c;
    c->site = didq_recstore_clean(rs, r[0].lo, DIDQ_SITE, &c->len); /* every record's */
    *n = 1;
    enum { NV = (int)DIDQ_REFERRING_ORG + 1 };
    _Static_assert((int)DIDQ_SETTING < NV && (int)DIDQ_REFERRER < NV, "the items read below");
    size_t ak = 0; /* the look-ahead: the record DIDQ_PREFETCH_AHEAD further in the ranges */
    uint32_t aid = r[0].lo;
    for (int i = 0; i < DIDQ_PREFETCH_AHEAD; i++)
        ahead(r, nr, &ak, &aid);
    for (size_t k = 0; k < nr; k++)
        for (uint32_t id = r[k].lo; id <= r[k].hi && id <= didq_recstore_count(rs); id++) {
            if (ak < nr) didq_recstore_prefetch(rs, aid); /* the values are far apart */
            ahead(r, nr, &ak, &aid);
            const char *v[NV];
            uint32_t len[NV];
            didq_recstore_fields(rs, id, NV, v, len);
            const didq_recmeta *meta = didq_recstore_meta(rs, id);
            int set = setting_col(v[DIDQ_SETTING], len[DIDQ_SETTING]);
            c->records++;
            c->err += meta->nerr > 0;
            c->warn += meta->nwarn > 0;
            c->setting[set]++;
            if (didq_gp_referred(v[DIDQ_REFERRER], len[DIDQ_REFERRER], v[DIDQ_REFERRING_ORG],
                                 len[DIDQ_REFERRING_ORG])) {
                c->gp_ref++;
                c->gp_ref_03 += set == 2;
            }
        }
    return c;
}

didq_site_counts *didq_site_counts_scan_blanks(const didq_recstore *rs, size_t *n)
{
    didq_id_range all = {1, didq_recstore_count(rs)};
    return scan(rs, &all, 1, true, n);
}

void didq_test_date_range(const didq_recstore *rs, int32_t *first, int32_t *last)
{
    didq_id_range all = {1, didq_recstore_count(rs)};
    didq_test_date_range_in(rs, &all, 1, first, last);
}

void didq_test_date_range_in(const didq_recstore *rs, const didq_id_range *r, size_t nr,
                             int32_t *first, int32_t *last)
{
    int k = 0;
    while (k < didq_recstore_ndates(rs) && didq_recstore_date_item(rs, k) != DIDQ_TEST_DATE)
        k++;
    *first = *last = DIDQ_NODATE;
    if (k == didq_recstore_ndates(rs)) return;
    for (size_t j = 0; j < nr; j++)
        for (uint32_t id = r[j].lo; id <= r[j].hi && id <= didq_recstore_count(rs); id++) {
            int32_t d = didq_recstore_meta(rs, id)->date[k];
            if (d == DIDQ_NODATE) continue;
            if (*first == DIDQ_NODATE || d < *first) *first = d;
            if (*last == DIDQ_NODATE || d > *last) *last = d;
        }
}
