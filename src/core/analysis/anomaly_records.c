/* anomaly_records.c: the record-level kinds: suspected duplicates,
 * accession numbers reused across files, and identifiers on restricted
 * (fertility) codes; NHS numbers with conflicting details are in
 * anomaly_identity.c, the key tables in anomaly_keys.c. */
#include "anomaly_keys.h"
#include "didq/date.h"
#include "didq/table.h"
#include "didq/util.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- restricted codes (refdata/restricted-codes.csv) ---- */

enum { AN_MAX_RESTRICTED = 64 };

/* The codes, upper case, per system (0 NICIP, 1 SNOMED), and their first
 * bytes, a bit each (most records' codes are ruled out by it); loaded
 * once. */
static struct {
    int n[2];
    char code[2][AN_MAX_RESTRICTED][20];
    size_t len[2][AN_MAX_RESTRICTED];
    uint64_t first[2][4];
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
        unsigned char c = (unsigned char)code[0];
        rc.first[sys][c >> 6] |= (uint64_t)1 << (c & 63);
    }
    didq_table_free(t);
}

static bool in_list(int sys, const char *s, size_t n)
{
    if (!n) return false;
    unsigned char c = (unsigned char)toupper((unsigned char)s[0]);
    if (!(rc.first[sys][c >> 6] >> (c & 63) & 1)) return false;
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
    /* once, whichever of the scan's parts asks first */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load_restricted);
    return (nn && in_list(0, nicip, nn)) || (sn && in_list(1, snomed, sn));
}

/* ---- duplicate-suspected ---- */

static uint64_t dup_key(const didq_analysis *a, size_t i, uint32_t *val, uint32_t *more)
{
    *val = a->recs[i].dup_val;
    *more = 0;
    return a->recs[i].dup_key;
}

/* A key given two values conflicts; its records go to their sites. */
static void duplicates_part(didq_analysis *a, const kb_ent *e, size_t n, key_table *t, site_hits *h)
{
    bool fresh, any = false;
    for (size_t j = 0; j < n; j++) {
        key_slot *k = kt_get(t, kb_key(&e[j]), &fresh);
        if (fresh)
            k->val = e[j].val;
        else if (k->val != e[j].val)
            k->flag = 1, any = true;
    }
    for (size_t j = 0; any && j < n; j++) {
        if (!kt_find(t, kb_key(&e[j]))->flag) continue;
        uint32_t site = a->recs[e[j].idx].site;
        if (site < a->nsites) an_list_push(&h->recs[site], an_rec_id(a, e[j].idx));
    }
}

static void duplicates(didq_analysis *a, kb_set *b)
{
    site_hits h = hits_new(a);
    kb_make(b, a, dup_key);
    kb_run(a, b, duplicates_part, &h);
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

static uint64_t acc_key(const didq_analysis *a, size_t i)
{
    return an_in_month(a, i, a->accs[i].key);
}

/* Within each month: an accession number in two of its files (more: the
 * record's file). */
static uint64_t acc_within(const didq_analysis *a, size_t i, uint32_t *val, uint32_t *more)
{
    *val = a->accs[i].val;
    *more = a->recs[i].file;
    return acc_key(a, i);
}

static void accessions_part(didq_analysis *a, const kb_ent *e, size_t n, key_table *t, site_hits *h)
{
    bool fresh, any = false;
    for (size_t j = 0; j < n; j++) {
        key_slot *k = kt_get(t, kb_key(&e[j]), &fresh);
        if (fresh)
            k->val = e[j].val, k->file = (uint16_t)e[j].more;
        else if (k->file != e[j].more && k->val != e[j].val)
            k->flag = 1, any = true;
    }
    for (size_t j = 0; any && j < n; j++) {
        key_slot *k = kt_find(t, kb_key(&e[j]));
        const an_rec *r = &a->recs[e[j].idx];
        if (!k->flag || r->site >= a->nsites) continue;
        an_list_push(&h->recs[r->site], an_rec_id(a, e[j].idx));
        if (k->flag == 1 && (k->flag = 2)) h->groups[r->site]++;
    }
}

static void accessions(didq_analysis *a, kb_set *b)
{
    if (a->nfiles < 2 || !a->accs) return;
    kb_make(b, a, acc_within);
    kb_run_kind(a, b, accessions_part, DIDQ_AK_ACCESSION_REUSED, false,
                "%llu accession numbers appear in different files with a different"
                " patient or test date (%llu records)");
}

/* ---- across months ---- */

/* more: the record's month (an_part). */
static uint64_t acc_across(const didq_analysis *a, size_t i, uint32_t *val, uint32_t *more)
{
    *val = a->accs[i].val;
    *more = (uint16_t)an_part(a, a->recs[i].file);
    return a->accs[i].key;
}

/* Records of two patient-and-test-date values (bit 1) in files of two
 * months (bit 2). */
static bool differ_across(const key_slot *s)
{
    return (s->flag & 3) == 3;
}

/* accession-reused across months: an accession number (of a site) whose
 * records are in files of at least two months and carry at least two
 * patient-and-test-date values; then some two records of different months
 * differ.  Every record of such a number is listed. */
static void accessions_across_part(didq_analysis *a, const kb_ent *e, size_t n, key_table *t,
                                   site_hits *h)
{
    bool fresh, any = false;
    for (size_t j = 0; j < n; j++) {
        key_slot *k = kt_get(t, kb_key(&e[j]), &fresh);
        uint16_t part = (uint16_t)e[j].more;
        if (fresh) {
            k->val = e[j].val, k->file = part;
            continue;
        }
        k->flag |= (k->val != e[j].val ? 1 : 0) | (k->file != part ? 2 : 0);
        any |= differ_across(k);
    }
    for (size_t j = 0; any && j < n; j++) {
        key_slot *k = kt_find(t, kb_key(&e[j]));
        const an_rec *r = &a->recs[e[j].idx];
        if (!differ_across(k) || r->site >= a->nsites) continue;
        size_t u = a->sites[r->site].ucode;
        an_list_push(&h->recs[u], an_rec_id(a, e[j].idx));
        if (!(k->flag & 4) && (k->flag |= 4)) h->groups[u]++;
    }
}

static void accessions_across(didq_analysis *a, kb_set *b)
{
    if (a->nmon < 2 || !a->accs) return;
    kb_make(b, a, acc_across);
    kb_run_kind(a, b, accessions_across_part, DIDQ_AK_ACCESSION_REUSED, true,
                "%llu accession numbers appear in files of different months with a different"
                " patient or test date (%llu records)");
}

/* ---- restricted-code-identifiers ---- */

/* The scan listed the records (a->restricted): no pass over every record. */
static void restricted_ids(didq_analysis *a)
{
    site_hits h = hits_new(a);
    an_list *l = &a->restricted;
    if (l->n) qsort(l->v, l->n, sizeof *l->v, an_cmp_u32); /* the parts in record order */
    for (size_t k = 0; k < l->n; k++) {
        uint32_t i = l->v[k];
        if (a->recs[i].site < a->nsites) an_list_push(&h.recs[a->recs[i].site], an_rec_id(a, i));
    }
    free(l->v);
    *l = (an_list){0};
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

void an_records(didq_analysis *a)
{
    kb_set b = {0};
    duplicates(a, &b);
    accessions(a, &b);
    accessions_across(a, &b);
    an_identity(a, &b);
    an_identity_across(a, &b);
    kb_free(&b);
    restricted_ids(a);
}
