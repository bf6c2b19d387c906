/* dqmi_mem.c: the DQMI-style counts in one pass over the record store
 * (dqmi_mem.h).  It counts what the two queries of dqmi_score.c count,
 * value for value: a record's group is its cleansed site code ('' when
 * blank or absent) or, when the code breaks a site rule, the one group of
 * the invalid codes; per item the records whose blank flag is set, those
 * whose value (trimmed of spaces) is one of the item's defaults, and of
 * the records whose value is given but hit by a finding on the item (not
 * one of a presence rule) the count and the defaults among them.  Groups
 * are kept per file, in a hash table, then sorted as the SQL orders them.
 * The records are split into parts counted on threads of their own, each
 * into its own groups, which are then added up: sums, so any split gives
 * the same counts.  unit.test_dqmi_mem compares the two on a synthetic
 * session, in one part and in several. */
#include "dqmi_mem.h"
#include "didq/dataset.h"
#include "didq/record.h"
#include "didq/util.h"
#include "parts.h"

#include <stdlib.h>
#include <string.h>

typedef struct row_map {
    dqmi_mem_row *v;
    size_t n, cap, per;
    uint32_t *slot; /* open addressing: index + 1 into v, 0 empty */
    size_t nslot;
} row_map;

/* An invalid code's group is one per file, whatever the code. */
static uint64_t hash_key(int file, const char *s, uint32_t n, bool invalid)
{
    if (invalid) n = 0;
    uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)file << 1 | invalid);
    h *= 0x100000001b3ULL;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

static bool same_row(const dqmi_mem_row *r, int file, const char *s, uint32_t n, bool invalid)
{
    if (r->file != file || (r->grp == NULL) != invalid) return false;
    /* grp holds no NUL and s none in its n bytes (row_of): equal when
     * grp's first n bytes are s's and grp ends there */
    return invalid || (strncmp(r->grp, s, n) == 0 && r->grp[n] == 0);
}

static uint32_t grp_len(const dqmi_mem_row *r)
{
    return r->grp ? (uint32_t)strlen(r->grp) : 0;
}

static void map_grow(row_map *m)
{
    free(m->slot);
    m->nslot = m->nslot ? m->nslot * 2 : 64;
    m->slot = didq_xcalloc(m->nslot, sizeof *m->slot);
    for (size_t k = 0; k < m->n; k++) {
        const dqmi_mem_row *r = &m->v[k];
        size_t i = hash_key(r->file, r->grp, grp_len(r), !r->grp) & (m->nslot - 1);
        while (m->slot[i])
            i = (i + 1) & (m->nslot - 1);
        m->slot[i] = (uint32_t)k + 1;
    }
}

/* The row of (file, site), added if new.  A site holding a NUL byte is
 * kept up to it, as SQLite's text of the group would be read. */
static dqmi_mem_row *row_of(row_map *m, int file, const char *s, uint32_t n, bool invalid)
{
    if ((m->n + 1) * 2 > m->nslot) map_grow(m);
    const char *nul = invalid ? NULL : memchr(s, 0, n);
    if (nul) n = (uint32_t)(nul - s);
    size_t i = hash_key(file, s, n, invalid) & (m->nslot - 1);
    for (; m->slot[i]; i = (i + 1) & (m->nslot - 1))
        if (same_row(&m->v[m->slot[i] - 1], file, s, n, invalid)) return &m->v[m->slot[i] - 1];
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->v = didq_xrealloc(m->v, m->cap * sizeof *m->v);
    }
    dqmi_mem_row *r = &m->v[m->n];
    r->file = file;
    r->records = 0;
    r->grp = NULL;
    if (!invalid) {
        r->grp = didq_xmalloc((size_t)n + 1);
        memcpy(r->grp, s, n);
        r->grp[n] = 0;
    }
    r->c = didq_xcalloc(m->per ? m->per : 1, sizeof *r->c);
    m->slot[i] = (uint32_t)++m->n;
    return r;
}

/* dlen: the defaults' lengths. */
static bool is_default(const didq_dqmi_item *it, const uint8_t *dlen, const char *v, uint32_t n)
{
    for (int k = 0; k < it->ndefaults; k++)
        if (dlen[k] == n && memcmp(it->defaults[k], v, n) == 0) return true;
    return false;
}

/* What one pass needs: the spec, its items' slots and the findings. */
typedef struct pass {
    const didq_recstore *rs;
    const didq_dqmi_spec *sp;
    const bool *presence;
    int nrules, nfields;
    const didq_finding *f;
    uint64_t nf, k;
    int spec_of[256];                                     /* item -> spec index + 1, 0 not scored */
    uint8_t dlen[DIDQ_MAX_ITEMS][DIDQ_DQMI_MAX_DEFAULTS]; /* per spec index: defaults' lengths */
    uint32_t low;      /* bit per item under DIDQ_BLANK_BITS that is scored */
    uint32_t high;     /* bit per spec index whose item is past them */
    uint32_t defaults; /* bit per spec index whose item has defaults */
} pass;

/* The spec items hit by a finding of record id on a value (bit per spec
 * index); advances p->k past the record's findings. */
static uint32_t record_hits(pass *p, uint32_t id)
{
    uint32_t hit = 0;
    for (; p->k < p->nf && p->f[p->k].rec < id; p->k++) {
    }
    for (; p->k < p->nf && p->f[p->k].rec == id; p->k++) {
        int rule = p->f[p->k].rule, i = p->spec_of[p->f[p->k].item];
        if (!i || (rule < p->nrules && p->presence[rule])) continue;
        hit |= 1u << (i - 1);
    }
    return hit;
}

/* A record's row: its file and its site group, from its raw values v. */
static dqmi_mem_row *record_row(row_map *m, const pass *p, const didq_recmeta *meta, const char **v,
                                const uint32_t *len)
{
    bool invalid = (meta->flags & DIDQ_REC_BAD_SITE) != 0;
    const char *site = DIDQ_SITE < p->nfields ? v[DIDQ_SITE] : NULL;
    uint32_t n = site ? len[DIDQ_SITE] : 0;
    didq_trim_spaces(&site, &n);
    return row_of(m, meta->file, site, n, invalid);
}

/* Spec item i's value of a record, trimmed of spaces (*sn bytes). */
static const char *item_value(const pass *p, int i, const char **v, const uint32_t *len,
                              uint32_t *sn)
{
    int item = p->sp->items[i].item;
    const char *s = item < p->nfields ? v[item] : NULL;
    *sn = s ? len[item] : 0;
    didq_trim_spaces(&s, sn);
    return s;
}

/* The invalid values of the spec items `bits` hits (bit per spec index). */
static void count_bad(dqmi_mem_row *r, const pass *p, uint32_t bits, const char **v,
                      const uint32_t *len)
{
    for (; bits; bits &= bits - 1) {
        int i = __builtin_ctz(bits);
        uint32_t sn;
        const char *s = item_value(p, i, v, len, &sn);
        if (!sn) continue;
        uint64_t *c = r->c + (size_t)i * DQMI_MEM_PER;
        c[DQMI_MEM_BAD]++;
        c[DQMI_MEM_BAD_DEFAULT] +=
            p->sp->items[i].ndefaults && is_default(&p->sp->items[i], p->dlen[i], s, sn);
    }
}

/* One record's counts into its row r: hit (bit per spec index), its
 * metadata's blank bits, its raw values v. */
static void count_values(dqmi_mem_row *r, const pass *p, uint32_t hit, uint32_t blank,
                         const char **v, const uint32_t *len)
{
    r->records++;
    /* the blanks: a bit a scored item in the metadata (most records have
     * few), the metadata's bits past them from the values */
    for (uint32_t b = blank & p->low; b; b &= b - 1)
        r->c[(size_t)(p->spec_of[__builtin_ctz(b)] - 1) * DQMI_MEM_PER + DQMI_MEM_BLANK]++;
    for (uint32_t b = p->high; b; b &= b - 1) {
        int i = __builtin_ctz(b);
        uint32_t sn;
        item_value(p, i, v, len, &sn);
        r->c[(size_t)i * DQMI_MEM_PER + DQMI_MEM_BLANK] += sn == 0;
    }
    /* the default values of the items with defaults, then the invalid ones */
    for (uint32_t need = p->defaults; need; need &= need - 1) {
        int i = __builtin_ctz(need);
        uint32_t sn;
        const char *s = item_value(p, i, v, len, &sn);
        r->c[(size_t)i * DQMI_MEM_PER + DQMI_MEM_DEFAULT] +=
            is_default(&p->sp->items[i], p->dlen[i], s, sn);
    }
    count_bad(r, p, hit, v, len);
}

static void count_record(row_map *m, pass *p, uint32_t id)
{
    const char *v[DIDQ_MAX_ITEMS];
    uint32_t len[DIDQ_MAX_ITEMS];
    didq_recstore_fields(p->rs, id, p->nfields, v, len);
    const didq_recmeta *meta = didq_recstore_meta(p->rs, id);
    count_values(record_row(m, p, meta, v, len), p, record_hits(p, id), didq_recmeta_blanks(meta),
                 v, len);
}

/* ORDER BY grp IS NULL, grp, file (grp compared as SQLite's BINARY). */
static int cmp_rows(const void *a, const void *b)
{
    const dqmi_mem_row *x = a, *y = b;
    if (!x->grp != !y->grp) return x->grp ? -1 : 1;
    if (x->grp) {
        int c = strcmp(x->grp, y->grp);
        if (c) return c;
    }
    return (x->file > y->file) - (x->file < y->file);
}

/* One part of the pass: the records first..last into its own map. */
typedef struct part {
    pass p;
    row_map m;
    uint32_t first, last;
} part;

static void *part_main(void *arg)
{
    part *t = arg;
    t->p.k = didq_finding_first(t->p.f, t->p.nf, t->first);
    for (uint32_t id = t->first; id <= t->last; id++) {
        didq_recstore_prefetch(t->p.rs, id + DIDQ_PREFETCH_AHEAD);
        count_record(&t->m, &t->p, id);
    }
    return NULL;
}

/* Adds the rows of `from` into `to` (the counts are sums, so the order of
 * the parts does not change them); frees `from`. */
static void merge_map(row_map *to, row_map *from)
{
    size_t per = to->per ? to->per : 1;
    for (size_t k = 0; k < from->n; k++) {
        dqmi_mem_row *r = &from->v[k];
        dqmi_mem_row *d = row_of(to, r->file, r->grp ? r->grp : "", grp_len(r), !r->grp);
        d->records += r->records;
        for (size_t c = 0; c < per; c++)
            d->c[c] += r->c[c];
        free(r->grp);
        free(r->c);
    }
    free(from->v);
    free(from->slot);
}

/* A pass over rs's records for sp's items. */
static void pass_init(pass *p, const didq_recstore *rs, const didq_dqmi_spec *sp,
                      const bool *presence, int nrules)
{
    *p = (pass){.rs = rs, .sp = sp, .presence = presence, .nrules = nrules};
    p->nfields =
        didq_recstore_nitems(rs) < DIDQ_MAX_ITEMS ? didq_recstore_nitems(rs) : DIDQ_MAX_ITEMS;
    for (int i = 0; i < sp->n; i++) {
        if (sp->items[i].item >= 0 && sp->items[i].item < 256)
            p->spec_of[sp->items[i].item] = i + 1;
        if (sp->items[i].item >= 0 && sp->items[i].item < DIDQ_BLANK_BITS)
            p->low |= 1u << sp->items[i].item;
        else
            p->high |= 1u << i;
        if (sp->items[i].ndefaults) p->defaults |= 1u << i;
        for (int k = 0; k < sp->items[i].ndefaults; k++)
            p->dlen[i][k] = (uint8_t)strnlen(sp->items[i].defaults[k], DIDQ_DQMI_DEFAULT_LEN);
    }
}

/* The map's rows in the order of the SQL; *n of them. */
static dqmi_mem_row *sorted_rows(row_map *m, size_t *n)
{
    free(m->slot);
    if (m->n) qsort(m->v, m->n, sizeof *m->v, cmp_rows);
    *n = m->n;
    return m->v;
}

dqmi_mem_row *dqmi_mem_count(const didq_recstore *rs, const didq_dqmi_spec *sp,
                             const bool *presence, int nrules, int parts, size_t *n)
{
    pass p;
    pass_init(&p, rs, sp, presence, nrules);
    p.f = didq_recstore_findings(rs, &p.nf);
    uint32_t count = didq_recstore_count(rs);
    int nparts = parts < 1 ? 1 : (uint32_t)parts > count ? (count ? (int)count : 1) : parts;
    part *t = didq_xcalloc((size_t)nparts, sizeof *t);
    for (int i = 0; i < nparts; i++) {
        t[i].p = p;
        t[i].m.per = (size_t)sp->n * DQMI_MEM_PER;
        t[i].first = (uint32_t)((uint64_t)count * (uint64_t)i / (uint64_t)nparts) + 1;
        t[i].last = (uint32_t)((uint64_t)count * (uint64_t)(i + 1) / (uint64_t)nparts);
    }
    didq_run_parts(part_main, t, sizeof *t, (size_t)nparts);
    row_map m = t[0].m;
    for (int i = 1; i < nparts; i++)
        merge_map(&m, &t[i].m);
    free(t);
    return sorted_rows(&m, n);
}

/* ---- the same counts made as the records are stored (dqmi_load_*) ---- */

struct dqmi_load {
    pass p;
    row_map m;
    bool *presence, *cross; /* per rule; the counter's own copies */
    uint64_t records;
};

dqmi_load *dqmi_load_new(const didq_recstore *rs, const didq_dqmi_spec *sp, const bool *presence,
                         const bool *cross, int nrules)
{
    dqmi_load *c = didq_xcalloc(1, sizeof *c);
    c->presence = didq_xmalloc(((size_t)nrules + 1) * sizeof *c->presence);
    c->cross = didq_xmalloc(((size_t)nrules + 1) * sizeof *c->cross);
    memcpy(c->presence, presence, (size_t)nrules * sizeof *c->presence);
    memcpy(c->cross, cross, (size_t)nrules * sizeof *c->cross);
    pass_init(&c->p, rs, sp, c->presence, nrules);
    c->m.per = (size_t)sp->n * DQMI_MEM_PER;
    return c;
}

void dqmi_load_record(dqmi_load *c, const didq_record *r, uint32_t id, const didq_hit *hits,
                      int nhits)
{
    const char *v[DIDQ_MAX_ITEMS];
    uint32_t len[DIDQ_MAX_ITEMS];
    for (int k = 0; k < c->p.nfields; k++) {
        v[k] = r->f[k].raw;
        len[k] = r->f[k].raw_len;
    }
    uint32_t hit = 0;
    for (int k = 0; k < nhits; k++) {
        int rule = hits[k].rule,
            i = hits[k].item >= 0 && hits[k].item < 256 ? c->p.spec_of[hits[k].item] : 0;
        if (i && !(rule < c->p.nrules && c->presence[rule])) hit |= 1u << (i - 1);
    }
    const didq_recmeta *meta = didq_recstore_meta(c->p.rs, id);
    count_values(record_row(&c->m, &c->p, meta, v, len), &c->p, hit, didq_recmeta_blanks(meta), v,
                 len);
    c->records++;
}

uint64_t dqmi_load_records(const dqmi_load *c)
{
    return c->records;
}

/* The spec items a record's findings f[0..n) hit (bit per spec index),
 * by every rule about a value; *load: by those that are not cross-record
 * (counted as the record was stored). */
static uint32_t hits_of(const dqmi_load *c, const didq_finding *f, uint64_t n, uint32_t *load)
{
    uint32_t all = 0;
    *load = 0;
    for (uint64_t k = 0; k < n; k++) {
        int rule = f[k].rule, i = c->p.spec_of[f[k].item];
        if (!i || (rule < c->p.nrules && c->presence[rule])) continue;
        all |= 1u << (i - 1);
        if (!(rule < c->p.nrules && c->cross[rule])) *load |= 1u << (i - 1);
    }
    return all;
}

dqmi_mem_row *dqmi_load_finish(dqmi_load *c, size_t *n)
{
    /* the cross-record findings (DIDS071) came after their records: the
     * items they alone hit are counted now, from the stored values */
    uint64_t nf;
    const didq_finding *f = didq_recstore_findings(c->p.rs, &nf);
    for (uint64_t k = 0, e; k < nf; k = e) {
        for (e = k + 1; e < nf && f[e].rec == f[k].rec;)
            e++;
        uint32_t load, late = hits_of(c, f + k, e - k, &load) & ~load;
        if (!late) continue;
        const char *v[DIDQ_MAX_ITEMS];
        uint32_t len[DIDQ_MAX_ITEMS];
        didq_recstore_fields(c->p.rs, f[k].rec, c->p.nfields, v, len);
        const didq_recmeta *meta = didq_recstore_meta(c->p.rs, f[k].rec);
        count_bad(record_row(&c->m, &c->p, meta, v, len), &c->p, late, v, len);
    }
    dqmi_mem_row *rows = sorted_rows(&c->m, n);
    c->m = (row_map){0};
    dqmi_load_free(c);
    return rows;
}

void dqmi_load_free(dqmi_load *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->m.n; i++) {
        free(c->m.v[i].grp);
        free(c->m.v[i].c);
    }
    free(c->m.v);
    free(c->m.slot);
    free(c->presence);
    free(c->cross);
    free(c);
}

void dqmi_mem_free(dqmi_mem_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].grp);
        free(rows[i].c);
    }
    free(rows);
}
