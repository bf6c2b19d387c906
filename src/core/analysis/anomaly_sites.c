/* anomaly_sites.c: the sites of the scan (anomaly_scan.c): a site code in
 * a month found or added, its records per test day, its timeliness rows,
 * and one site's counts added into another's (the scan's parts). */
#include "anomaly_int.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct site_code {
    const char *p;
    size_t n;
} site_code;

static bool site_is(const an_site *s, site_code code, int part)
{
    return s->part == part && strlen(s->code) == code.n && memcmp(s->code, code.p, code.n) == 0;
}

/* A site's hash: its code's, and its month's when there are several. */
static size_t site_hash(site_code code, int part)
{
    uint64_t h = an_hash(AN_HASH_INIT, code.p, code.n);
    return (size_t)(part ? an_hash(h, &part, sizeof part) : h);
}

static void ix_grow(didq_analysis *a, an_site_ix *ix)
{
    free(ix->slot);
    ix->cap = ix->cap ? 2 * ix->cap : 256;
    ix->slot = didq_xcalloc(ix->cap, sizeof *ix->slot);
    for (size_t i = 0; i < a->nsites; i++) {
        const an_site *s = &a->sites[i];
        size_t h = site_hash((site_code){s->code, strlen(s->code)}, s->part);
        while (ix->slot[h & (ix->cap - 1)])
            h++;
        ix->slot[h & (ix->cap - 1)] = (uint32_t)i + 1;
    }
}

static an_site *site_new(didq_analysis *a, site_code code, int part)
{
    if (a->nsites == a->capsites) {
        a->capsites = a->capsites ? 2 * a->capsites : 16;
        a->sites = didq_xrealloc(a->sites, a->capsites * sizeof *a->sites);
    }
    an_site *s = &a->sites[a->nsites++];
    memset(s, 0, sizeof *s);
    s->code = didq_strndup(code.p, code.n);
    s->part = part;
    if (a->nfiles > 1) {
        s->file_setting = didq_xcalloc((size_t)a->nfiles + 1, sizeof *s->file_setting);
        s->file_n = didq_xcalloc((size_t)a->nfiles + 1, sizeof *s->file_n);
    }
    return s;
}

/* The site of a code in month part (a->mon[part]). */
an_site *an_site_find(didq_analysis *a, an_site_ix *ix, const char *p, size_t n, int part,
                      size_t *last)
{
    site_code code = {p, n};
    if (*last < a->nsites && site_is(&a->sites[*last], code, part)) return &a->sites[*last];
    if (!ix->slot || 2 * (a->nsites + 1) > ix->cap) ix_grow(a, ix);
    size_t h = site_hash(code, part);
    for (;; h++) {
        uint32_t v = ix->slot[h & (ix->cap - 1)];
        if (!v) break;
        if (site_is(&a->sites[v - 1], code, part)) return &a->sites[*last = v - 1];
    }
    ix->slot[h & (ix->cap - 1)] = (uint32_t)a->nsites + 1;
    *last = a->nsites;
    return site_new(a, code, part);
}

void an_site_days(an_site *s, int32_t d, uint32_t count)
{
    if (!s->day) {
        s->ndays = 64;
        s->base = d - 32;
        s->day = didq_xcalloc((size_t)s->ndays, sizeof *s->day);
    }
    if (d < s->base || d >= s->base + s->ndays) {
        int32_t lo = d < s->base ? d - s->ndays : s->base;
        int32_t hi = d >= s->base + s->ndays ? d + s->ndays : s->base + s->ndays;
        uint32_t *nd = didq_xcalloc((size_t)(hi - lo), sizeof *nd);
        memcpy(nd + (s->base - lo), s->day, (size_t)s->ndays * sizeof *nd);
        free(s->day);
        s->day = nd, s->base = lo, s->ndays = hi - lo;
    }
    s->day[d - s->base] += count;
}

didq_timeliness *an_site_tl(an_site *s, int m)
{
    if (!s->tl[m]) {
        s->tl[m] = didq_xcalloc(1, sizeof *s->tl[m]);
        s->tl[m]->site = s->code;
        s->tl[m]->modality = m == DIDQ_MOD_N ? -1 : m;
    }
    return s->tl[m];
}

static void dist_add_all(didq_interval_dist *d, const didq_interval_dist *s)
{
    d->n += s->n;
    d->missing += s->missing;
    d->negative += s->negative;
    for (int k = 0; k < DIDQ_TL_DAYS; k++)
        d->hist[k] += s->hist[k];
}

void an_tl_add_all(didq_timeliness *d, const didq_timeliness *s)
{
    d->records += s->records;
    dist_add_all(&d->request_to_test, &s->request_to_test);
    dist_add_all(&d->test_to_report, &s->test_to_report);
}

/* Site from's counts added to site to's (the same code and month). */
void an_site_add(const didq_analysis *a, an_site *to, const an_site *from)
{
    to->n += from->n;
    to->bad_code += from->bad_code;
    for (int k = 0; k < AN_SETTINGS; k++)
        to->setting[k] += from->setting[k];
    to->gp_ref += from->gp_ref;
    to->gp_ref_03 += from->gp_ref_03;
    to->rtt_missing += from->rtt_missing;
    to->rtt_dated += from->rtt_dated;
    to->rtt_zero += from->rtt_zero;
    to->rep_missing += from->rep_missing;
    to->rep_dated += from->rep_dated;
    to->rep_zero += from->rep_zero;
    for (int k = 0; k < AN_BLANK_ITEMS; k++)
        to->blank[k] += from->blank[k];
    for (int k = 0; k < DIDQ_MOD_N; k++)
        to->mod[k] += from->mod[k];
    for (int f = 0; from->file_n && f <= a->nfiles; f++) {
        to->file_n[f] += from->file_n[f];
        for (int k = 0; k < AN_SETTINGS; k++)
            to->file_setting[f][k] += from->file_setting[f][k];
    }
    for (int k = 0; k < from->ndays; k++)
        if (from->day[k]) an_site_days(to, from->base + k, from->day[k]);
    to->undated += from->undated;
    to->outside += from->outside;
    for (int m = 0; m <= DIDQ_MOD_N; m++)
        if (from->tl[m]) an_tl_add_all(an_site_tl(to, m), from->tl[m]);
}
