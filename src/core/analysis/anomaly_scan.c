/* anomaly_scan.c: the one pass over the records that feeds every
 * analysis: per-site counts, records per test day, timeliness histograms,
 * modality counts and the per-record keys of the record-level kinds; over
 * the record store in parts on threads, added up after.  A subset of the
 * records (a site's: anomaly.h) is read alone: its id ranges of the record
 * store on the calling thread, or the records table under its condition. */
#include "anomaly_int.h"
#include "didq/date.h"
#include "didq/ident.h"
#include "recstore.h"
#include "recstore_sites.h"
#include "didq/store.h"
#include "didq/util.h"
#include "parts.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Test dates outside these years are not placed on the coverage axis. */
#define AN_DAY_MIN 7305  /* 1990-01-01 */
#define AN_DAY_MAX 47482 /* 2099-12-31 */

enum {
    C_ID,
    C_FILE,
    C_SITE,
    C_SETTING,
    C_REFERRER,
    C_REFORG,
    C_DOB,
    C_REQ,
    C_RECV,
    C_TEST,
    C_REPORT,
    C_NICIP,
    C_SNOMED,
    C_NHS,
    C_GENDER,
    C_POSTCODE,
    C_ACC,
    C_NHS_NUMBER,
    C_NHS_STATUS,
    C_BIRTH,
    C_ETHNIC,
    C_PRACTICE,
    C_FLAGS,
    C_N
};

/* The columns in C_ order; F and D name an item's raw and date columns
 * (not clang-formatted: it staircases the macros). */
#define F(item) ", " DIDQ_COL_F(item)
#define D(item) ", " DIDQ_COL_D(item)
/* clang-format off */
static const char scan_sql[] =
    "SELECT id, file, site, setting" F(DIDQ_REFERRER) F(DIDQ_REFERRING_ORG)
    D(DIDQ_BIRTH_DATE) D(DIDQ_REQUEST_DATE) D(DIDQ_RECEIVED_DATE) D(DIDQ_TEST_DATE)
    D(DIDQ_REPORT_DATE) F(DIDQ_NICIP) F(DIDQ_SNOMED) ", nhs" F(DIDQ_GENDER) F(DIDQ_POSTCODE)
    ", acc" F(DIDQ_NHS_NUMBER) F(DIDQ_NHS_STATUS) F(DIDQ_BIRTH_DATE) F(DIDQ_ETHNIC)
    F(DIDQ_PRACTICE) ", flags FROM records r";
/* clang-format on */
#undef F
#undef D

/* A column's text trimmed of spaces; n is 0 for NULL or blank. */
typedef struct an_text {
    const char *p;
    size_t n;
} an_text;

/* One row of the scan, each column read once. */
typedef struct an_row {
    an_text t[C_N];
    int32_t day[C_N]; /* date columns: day number or DIDQ_NODATE */
    int64_t id;
    int file;
    unsigned flags; /* DIDQ_REC_* */
    char nhsbuf[DIDQ_NHS_BUF];
} an_row;

static an_text value_text(sqlite3_value *v)
{
    an_text t = {(const char *)sqlite3_value_text(v), 0};
    if (!t.p) return (an_text){"", 0};
    t.n = (size_t)sqlite3_value_bytes(v);
    while (t.n && *t.p == ' ')
        t.p++, t.n--;
    while (t.n && t.p[t.n - 1] == ' ')
        t.n--;
    return t;
}

static void read_row(sqlite3_stmt *q, an_row *w)
{
    for (int c = 0; c < C_N; c++) {
        sqlite3_value *v = sqlite3_column_value(q, c);
        if (c == C_ID || c == C_FILE || c == C_FLAGS) {
            w->id = c == C_ID ? sqlite3_value_int64(v) : w->id;
            w->file = c == C_FILE ? sqlite3_value_int(v) : w->file;
            w->flags = c == C_FLAGS ? (unsigned)sqlite3_value_int(v) : w->flags;
        } else if (c == C_DOB || (c >= C_REQ && c <= C_REPORT)) {
            w->day[c] = sqlite3_value_type(v) == SQLITE_NULL ? DIDQ_NODATE : sqlite3_value_int(v);
        } else {
            w->t[c] = value_text(v);
        }
    }
}

/* ---- reading the records from the session's in-memory store ---- */

static const int text_items[C_N] = {
    [C_SITE] = DIDQ_SITE,
    [C_SETTING] = DIDQ_SETTING,
    [C_REFERRER] = DIDQ_REFERRER,
    [C_REFORG] = DIDQ_REFERRING_ORG,
    [C_NICIP] = DIDQ_NICIP,
    [C_SNOMED] = DIDQ_SNOMED,
    [C_GENDER] = DIDQ_GENDER,
    [C_POSTCODE] = DIDQ_POSTCODE,
    [C_ACC] = DIDQ_ACCESSION,
    [C_NHS_NUMBER] = DIDQ_NHS_NUMBER,
    [C_NHS_STATUS] = DIDQ_NHS_STATUS,
    [C_BIRTH] = DIDQ_BIRTH_DATE,
    [C_ETHNIC] = DIDQ_ETHNIC,
    [C_PRACTICE] = DIDQ_PRACTICE,
};

/* What read_rec reads of a record: the date columns and where each is in
 * the record's date array, then the text columns and their items, made
 * once for the scan (a date column the store keeps no date of is left
 * as it was). */
typedef struct scan_plan {
    int ndates, ntexts;
    int date_col[C_N], date_slot[C_N];
    int text_col[C_N], text_item[C_N];
} scan_plan;

static void plan_for(const didq_recstore *rs, scan_plan *pl)
{
    static const int items[C_N] = {[C_DOB] = DIDQ_BIRTH_DATE + 1,
                                   [C_REQ] = DIDQ_REQUEST_DATE + 1,
                                   [C_RECV] = DIDQ_RECEIVED_DATE + 1,
                                   [C_TEST] = DIDQ_TEST_DATE + 1,
                                   [C_REPORT] = DIDQ_REPORT_DATE + 1};
    pl->ndates = pl->ntexts = 0;
    for (int c = 0; c < C_N; c++) {
        int slot = -1;
        for (int k = 0; items[c] && k < didq_recstore_ndates(rs); k++)
            if (didq_recstore_date_item(rs, k) == items[c] - 1) slot = k;
        if (slot >= 0) {
            pl->date_col[pl->ndates] = c;
            pl->date_slot[pl->ndates++] = slot;
        } else if (text_items[c] || c == C_NHS_NUMBER) {
            pl->text_col[pl->ntexts] = c;
            pl->text_item[pl->ntexts++] = text_items[c];
        }
    }
}

/* A value trimmed of spaces ("" when absent), as the rules see it. */
static an_text trimmed(const char *p, uint32_t n)
{
    if (!p) return (an_text){"", 0};
    while (n && *p == ' ')
        p++, n--;
    while (n && p[n - 1] == ' ')
        n--;
    return (an_text){p, n};
}

static void read_rec(const didq_recstore *rs, uint32_t id, const scan_plan *pl, an_row *w)
{
    const didq_recmeta *m = didq_recstore_meta(rs, id);
    const char *v[DIDQ_MAX_ITEMS];
    uint32_t len[DIDQ_MAX_ITEMS];
    didq_recstore_fields(rs, id, didq_recstore_nitems(rs), v, len);
    w->id = id;
    w->file = m->file;
    w->flags = m->flags;
    for (int k = 0; k < pl->ndates; k++)
        w->day[pl->date_col[k]] = m->date[pl->date_slot[k]];
    for (int k = 0; k < pl->ntexts; k++) {
        int i = pl->text_item[k];
        w->t[pl->text_col[k]] = trimmed(v[i], len[i]);
    }
    w->t[C_NHS] = (an_text){w->nhsbuf, 0};
    if (w->t[C_NHS_NUMBER].n)
        w->t[C_NHS].n = didq_nhs_compact(w->t[C_NHS_NUMBER].p, w->t[C_NHS_NUMBER].n, w->nhsbuf,
                                         sizeof w->nhsbuf);
}

/* The last n < 8 bytes at s as a little-endian number (what a memcpy
 * into a zeroed word gives on x86 and every little-endian machine; on
 * another the hashes differ from that, equal keys still hashing alike),
 * without a call: two loads that may overlap, where the bytes they share
 * agree. */
static uint64_t tail_bytes(const unsigned char *s, size_t n)
{
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        return a | (uint64_t)b << ((n - 4) * 8);
    }
    if (!n) return 0;
    return s[0] | (uint64_t)s[n / 2] << (n / 2 * 8) | (uint64_t)s[n - 1] << ((n - 1) * 8);
}

uint64_t an_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t k;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&k, s, 8);
        h = (h ^ k) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    k = tail_bytes(s, n);
    h = (h ^ k ^ ((uint64_t)n << 56)) * 0x9E3779B97F4A7C15ULL; /* length: "ab"+"c" != "a"+"bc" */
    return h ^ (h >> 32);
}

void an_list_push(an_list *l, uint32_t v)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = didq_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = v;
}

void an_list_add(an_list *to, const an_list *from)
{
    if (!from->n) return;
    if (to->n + from->n > to->cap) {
        to->cap = to->n + from->n;
        to->v = didq_xrealloc(to->v, to->cap * sizeof *to->v);
    }
    memcpy(to->v + to->n, from->v, from->n * sizeof *from->v);
    to->n += from->n;
}

/* ---- timeliness ---- */

static void dist_add(didq_interval_dist *d, int32_t from, int32_t to)
{
    if (from == DIDQ_NODATE || to == DIDQ_NODATE) {
        d->missing++;
    } else if (to < from) {
        d->negative++;
    } else {
        d->n++;
        d->hist[to - from < DIDQ_TL_DAYS - 1 ? to - from : DIDQ_TL_DAYS - 1]++;
    }
}

static void tl_add(didq_timeliness *t, int32_t req, int32_t test, int32_t rep)
{
    t->records++;
    dist_add(&t->request_to_test, req, test);
    dist_add(&t->test_to_report, test, rep);
}

/* ---- per record ---- */

static int setting_index(an_text t)
{
    if (t.n == 2 && t.p[0] == '0' && t.p[1] >= '1' && t.p[1] <= '7') return t.p[1] - '0';
    return 0;
}

static void count_blanks(an_site *s, const an_row *w)
{
    static const int cols[AN_BLANK_ITEMS] = {C_NHS_NUMBER, C_NHS_STATUS, C_BIRTH,   C_ETHNIC,
                                             C_GENDER,     C_POSTCODE,   C_PRACTICE};
    for (int i = 0; i < AN_BLANK_ITEMS; i++)
        if (w->t[cols[i]].n == 0) s->blank[i]++;
}

static void count_dates(an_site *s, int32_t req, int32_t recv, int32_t test, int32_t rep)
{
    int32_t r = req != DIDQ_NODATE ? req : recv;
    if (req == DIDQ_NODATE && recv == DIDQ_NODATE)
        s->rtt_missing++;
    else if (test != DIDQ_NODATE && ++s->rtt_dated && r == test)
        s->rtt_zero++;
    if (rep == DIDQ_NODATE)
        s->rep_missing++;
    else if (test != DIDQ_NODATE && ++s->rep_dated && rep == test)
        s->rep_zero++;
}

static void count_site(didq_analysis *a, an_site *s, const an_row *w, int m)
{
    int set = setting_index(w->t[C_SETTING]);
    int32_t test = w->day[C_TEST];
    s->n++;
    s->bad_code += (w->flags & DIDQ_REC_BAD_SITE) != 0;
    s->setting[set]++;
    if (didq_gp_referred(w->t[C_REFERRER].p, w->t[C_REFERRER].n, w->t[C_REFORG].p,
                         w->t[C_REFORG].n)) {
        s->gp_ref++;
        s->gp_ref_03 += set == 3;
    }
    count_dates(s, w->day[C_REQ], w->day[C_RECV], test, w->day[C_REPORT]);
    count_blanks(s, w);
    s->mod[m]++;
    int file = w->file;
    if (s->file_n && file >= 1 && file <= a->nfiles) {
        s->file_n[file]++;
        s->file_setting[file][set]++;
    }
    if (test == DIDQ_NODATE) {
        s->undated++;
    } else if (test < AN_DAY_MIN || test > AN_DAY_MAX) {
        s->outside++;
    } else {
        an_site_days(s, test, 1);
    }
}

/* The patient part of the duplicate and accession keys: the NHS number,
 * or else birth date and postcode (upper case, spaces removed). */
static uint64_t patient_key(an_text nhs, int32_t dob, an_text pc)
{
    if (nhs.n) return an_hash(an_hash(AN_HASH_INIT, "N", 1), nhs.p, nhs.n);
    if (dob == DIDQ_NODATE || !pc.n) return 0;
    char buf[16];
    size_t k = 0;
    for (size_t i = 0; i < pc.n && k < sizeof buf; i++)
        if (!isspace((unsigned char)pc.p[i])) buf[k++] = (char)toupper((unsigned char)pc.p[i]);
    uint64_t h = an_hash(AN_HASH_INIT, "P", 1);
    h = an_hash(h, &dob, sizeof dob);
    return an_hash(h, buf, k);
}

static uint64_t code_key(uint64_t h, an_text nicip, an_text snomed)
{
    char buf[16];
    size_t k = 0;
    for (size_t i = 0; i < nicip.n && k < sizeof buf; i++)
        buf[k++] = (char)toupper((unsigned char)nicip.p[i]);
    h = an_hash(h, buf, k);
    return an_hash(h, snomed.p, snomed.n);
}

static void record_keys(didq_analysis *a, const an_row *w, uint32_t site)
{
    if (a->nrecs == a->caprecs) {
        a->caprecs = a->caprecs ? 2 * a->caprecs : 4096;
        a->recs = didq_xrealloc(a->recs, a->caprecs * sizeof *a->recs);
        if (a->accs) a->accs = didq_xrealloc(a->accs, a->caprecs * sizeof *a->accs);
        if (a->ids) a->ids = didq_xrealloc(a->ids, a->caprecs * sizeof *a->ids);
    }
    an_rec *r = &a->recs[a->nrecs++];
    memset(r, 0, sizeof *r);
    an_text nhs = w->t[C_NHS], acc = w->t[C_ACC], site_t = w->t[C_SITE], nicip = w->t[C_NICIP],
            snomed = w->t[C_SNOMED], gender = w->t[C_GENDER], pc = w->t[C_POSTCODE];
    int32_t test = w->day[C_TEST];
    if (!a->ids && (uint64_t)w->id != a->id0 + a->nrecs) { /* ids not in step: kept from here on */
        a->ids = didq_xmalloc(a->caprecs * sizeof *a->ids);
        for (size_t k = 0; k + 1 < a->nrecs; k++)
            a->ids[k] = (uint32_t)k + 1;
    }
    if (a->ids) a->ids[a->nrecs - 1] = (uint32_t)w->id;
    r->site = site;
    r->file = (uint16_t)w->file;
    r->dob = w->day[C_DOB];
    uint64_t pk = patient_key(nhs, r->dob, pc);
    if (w->flags & DIDQ_REC_BAD_BIRTH) r->dob = DIDQ_NODATE; /* after the patient key */
    uint64_t sk = an_hash(AN_HASH_INIT, site_t.p, site_t.n);
    if (pk && test != DIDQ_NODATE && (nicip.n || snomed.n)) {
        r->dup_key =
            code_key(an_hash(an_hash(pk, &sk, sizeof sk), &test, sizeof test), nicip, snomed) | 1;
        if (a->nmon > 1) { /* a duplicate is one within a month */
            int part = an_part(a, w->file);
            r->dup_key = an_hash(r->dup_key, &part, sizeof part) | 1;
        }
        r->dup_val = (uint32_t)an_hash(AN_HASH_INIT, acc.p, acc.n);
    }
    if (a->accs) {
        an_acc *c = &a->accs[a->nrecs - 1];
        c->key = acc.n ? an_hash(sk, acc.p, acc.n) | 1 : 0;
        c->val = acc.n ? (uint32_t)an_hash(pk, &test, sizeof test) : 0;
    }
    if (nhs.n && didq_nhs_check(nhs.p, nhs.n) == DIDQ_NHS_OK) {
        /* identity-conflict compares only details that pass their rules */
        r->id_key = an_hash(AN_HASH_INIT, nhs.p, nhs.n) | 1;
        r->gender = gender.n == 1 && strchr("129", gender.p[0]) && !(w->flags & DIDQ_REC_BAD_GENDER)
                        ? gender.p[0]
                        : 0;
    }
    if (an_restricted_code(nicip.p, nicip.n, snomed.p, snomed.n) &&
        (nhs.n || w->t[C_BIRTH].n || pc.n))
        an_list_push(&a->restricted, a->id0 + (uint32_t)(a->nrecs - 1));
}

int an_site_order(const char *x, const char *y)
{
    bool ix = strcmp(x, DIDQ_INVALID_SITE) == 0, iy = strcmp(y, DIDQ_INVALID_SITE) == 0;
    return ix != iy ? (ix ? 1 : -1) : strcmp(x, y);
}

static int cmp_site(const void *x, const void *y)
{
    const an_site *p = x, *q = y;
    if (p->part != q->part) return p->part - q->part;
    return an_site_order(p->code, q->code);
}

/* Sorts the sites by month, then code, and renumbers the records' site
 * indexes. */
static void sort_sites(didq_analysis *a)
{
    uint32_t *old_of = didq_xcalloc(a->nsites + 1, sizeof *old_of);
    for (size_t i = 0; i < a->nsites; i++)
        a->sites[i].n |= (uint64_t)i << 40; /* carry the old index through the sort */
    if (a->nsites) qsort(a->sites, a->nsites, sizeof *a->sites, cmp_site);
    for (size_t i = 0; i < a->nsites; i++) {
        old_of[a->sites[i].n >> 40] = (uint32_t)i;
        a->sites[i].n &= ((uint64_t)1 << 40) - 1;
    }
    for (size_t i = 0; i < a->nrecs; i++)
        if (a->recs[i].site != UINT32_MAX) a->recs[i].site = old_of[a->recs[i].site];
    free(old_of);
}

/* Records, for sizing the key array once. */
static size_t count_records(sqlite3 *db)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT max(id) FROM records");
    sqlite3_int64 n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return n > 0 ? (size_t)n : 0;
}

int an_count_files(sqlite3 *db)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT max(id) FROM files");
    int n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    return n < AN_MAX_FILES ? n : AN_MAX_FILES;
}

/* One record into the scan's state (ix and last: a's site look-up). */
static void scan_record(didq_analysis *a, an_site_ix *ix, size_t *last, const an_row *w)
{
    an_text site = w->t[C_SITE], nicip = w->t[C_NICIP], snomed = w->t[C_SNOMED];
    int m = an_modality(a, nicip.p, nicip.n, snomed.p, snomed.n);
    int32_t req = w->day[C_REQ], test = w->day[C_TEST], rep = w->day[C_REPORT];
    if (req == DIDQ_NODATE) req = w->day[C_RECV];
    int part = an_part(a, w->file);
    a->mon[part].records++;
    tl_add(&a->mon[part].overall, req, test, rep);
    uint32_t si = UINT32_MAX;
    if (site.n && (w->flags & DIDQ_REC_BAD_SITE)) /* one site for every invalid code */
        site = (an_text){DIDQ_INVALID_SITE, sizeof DIDQ_INVALID_SITE - 1};
    if (site.n) {
        an_site *s = an_site_find(a, ix, site.p, site.n, part, last);
        si = (uint32_t)(s - a->sites);
        count_site(a, s, w, m);
        tl_add(an_site_tl(s, m), req, test, rep);
        tl_add(an_site_tl(s, DIDQ_MOD_N), req, test, rep);
    }
    record_keys(a, w, si);
}

/* The store's records of nr id ranges into a's state. */
static void scan_ranges(didq_analysis *a, const didq_recstore *rs, const didq_id_range *r,
                        size_t nr)
{
    an_site_ix ix = {0};
    size_t last = 0;
    an_row row = {0};
    scan_plan pl;
    plan_for(rs, &pl);
    for (size_t k = 0; k < nr; k++)
        for (uint32_t id = r[k].lo; id <= r[k].hi; id++) {
            read_rec(rs, id, &pl, &row);
            scan_record(a, &ix, &last, &row);
        }
    free(ix.slot);
}

/* The store's records lo .. hi - 1 into a's state. */
static void scan_store(didq_analysis *a, const didq_recstore *rs, uint32_t lo, uint32_t hi)
{
    if (hi > lo) scan_ranges(a, rs, &(didq_id_range){lo, hi - 1}, 1);
}

/* ---- the scan in parts, on threads ----
 *
 * With a record store and threads, the ids are cut into ranges (up to
 * SCAN_MAX_PARTS, scan_parts; big ones first, then smaller and smaller,
 * part_records, so that the threads run out of them within a small part
 * of each other), taken one at a time by one fewer threads
 * than the analysis has and by the end of the load once it is done
 * (didq_jobs_help: anomaly_thread.c), each scanned into a state of its own: a copy of the
 * analysis with no sites and its own month figures, writing its records'
 * keys in place in the shared arrays (each range its own slice).  Each
 * part, once scanned, is added into the analysis under a lock by the
 * thread that scanned it, while the other threads scan on (only the last
 * part's adding is left when the scan ends): each site found or added by
 * code and month (the sites are sorted after the scan, so the order they
 * are added in does not matter), its counts summed, and its records' site
 * indexes renumbered.  Every count is a sum, so the state is the serial
 * scan's whatever the number of parts and the order they end in
 * (cli.key_parts compares the outputs at 1, 2, 3 and 8 threads). */

/* Records a part scans at least (DIDQ_SCAN_PART_RECORDS for the tests:
 * fewer than twice as many are scanned in one part); parts at most (taken
 * by the threads as they come free). */
enum { SCAN_PART_RECORDS = 1 << 14, SCAN_MAX_PARTS = 64 };

typedef struct scan_job {
    didq_analysis *a, *part; /* the analysis; the part's state */
    const didq_recstore *rs;
    uint32_t lo, hi;
    pthread_mutex_t *mu; /* held while a part is added into a */
} scan_job;

static void part_merge(didq_analysis *a, didq_analysis *p);

static void *scan_main(void *p)
{
    scan_job *j = p;
    scan_store(j->part, j->rs, j->lo, j->hi);
    pthread_mutex_lock(j->mu);
    part_merge(j->a, j->part);
    pthread_mutex_unlock(j->mu);
    return NULL;
}

/* A part's state for the records from id lo on. */
static didq_analysis *part_new(const didq_analysis *a, uint32_t lo)
{
    didq_analysis *p = didq_xmalloc(sizeof *p);
    *p = *a;
    p->sites = NULL;
    p->nsites = p->capsites = 0;
    p->mon = didq_xmalloc((size_t)a->nmon * sizeof *p->mon);
    for (int k = 0; k < a->nmon; k++) {
        p->mon[k] = a->mon[k];
        p->mon[k].records = 0;
        p->mon[k].overall = (didq_timeliness){.modality = a->mon[k].overall.modality};
    }
    p->recs = a->recs + (lo - 1);
    p->accs = a->accs ? a->accs + (lo - 1) : NULL;
    p->restricted = (an_list){0};
    p->nrecs = 0;
    p->caprecs = a->caprecs - (lo - 1);
    p->id0 = lo - 1;
    return p;
}

/* Part p's state added into a's, and freed. */
static void part_merge(didq_analysis *a, didq_analysis *p)
{
    uint32_t *map = didq_xmalloc((p->nsites + 1) * sizeof *map);
    an_site_ix ix = {0};
    size_t last = 0;
    for (size_t j = 0; j < p->nsites; j++) {
        an_site *from = &p->sites[j];
        an_site *to = an_site_find(a, &ix, from->code, strlen(from->code), from->part, &last);
        map[j] = (uint32_t)(to - a->sites);
        an_site_add(a, to, from);
        an_site_free(from);
    }
    free(ix.slot);
    for (int k = 0; k < a->nmon; k++) {
        a->mon[k].records += p->mon[k].records;
        an_tl_add_all(&a->mon[k].overall, &p->mon[k].overall);
    }
    for (size_t i = 0; i < p->nrecs; i++)
        if (p->recs[i].site != UINT32_MAX) p->recs[i].site = map[p->recs[i].site];
    a->nrecs += p->nrecs;
    an_list_add(&a->restricted, &p->restricted);
    free(p->restricted.v);
    free(map);
    free(p->sites);
    free(p->mon);
    free(p);
}

/* The records of the next part, of `left` records still to cut into at
 * most `parts` parts for `threads` threads: a share of what is left (the
 * parts shrink as the scan goes, down to `least`, so the last ones end
 * close together), and no part left smaller than least. */
static size_t part_records(size_t left, size_t least, size_t parts, int threads)
{
    size_t n = left / (2 * (size_t)threads), even = (left + parts - 1) / parts;
    if (n < least) n = least;
    if (n < even) n = even; /* the parts left must hold the rest */
    return left - n < least ? left : n;
}

/* The store's records in parts, on a's threads but one: the end of the
 * load runs beside the scan (anomaly_thread.c) on the other, and takes
 * parts too once it is done (three threads on two cores from the start
 * took longer).  With one thread: one part, on this thread. */
static void scan_parts(didq_analysis *a, const didq_recstore *rs)
{
    uint32_t n = didq_recstore_count(rs);
    size_t least = didq_env_size("DIDQ_SCAN_PART_RECORDS", 1, SCAN_PART_RECORDS);
    if (a->o.threads < 2 || n < 2 * least) {
        scan_store(a, rs, 1, n + 1);
        return;
    }
    scan_job jobs[SCAN_MAX_PARTS];
    pthread_mutex_t mu;
    pthread_mutex_init(&mu, NULL);
    size_t parts = 0;
    for (uint32_t lo = 1; lo <= n; parts++) {
        size_t k = part_records(n + 1 - lo, least, SCAN_MAX_PARTS - parts, a->o.threads);
        jobs[parts] = (scan_job){a, part_new(a, lo), rs, lo, lo + (uint32_t)k, &mu};
        lo += (uint32_t)k;
    }
    int threads = a->o.threads > 2 ? a->o.threads - 1 : 1;
    didq_jobs_run(&a->scan_jobs, scan_main, jobs, sizeof *jobs, parts,
                  threads > AN_MAX_THREADS ? AN_MAX_THREADS : threads);
    pthread_mutex_destroy(&mu);
}

/* The records the scan reads (an upper bound: the keys' array is sized
 * from it). */
static size_t records_to_scan(const didq_analysis *a)
{
    if (!a->o.records) return count_records(a->db);
    if (!a->o.subset_where) return didq_recstore_count(a->o.records);
    size_t n = 0;
    for (size_t k = 0; k < a->o.nsubset_ids; k++)
        n += a->o.subset_ids[k].hi - a->o.subset_ids[k].lo + 1;
    return n;
}

/* The records table (a saved session), or its subset, in id order. */
static void scan_sql_rows(didq_analysis *a)
{
    const char *w = a->o.subset_where;
    char *sql = sqlite3_mprintf("%s%s%s ORDER BY id", scan_sql, w ? " WHERE " : "", w ? w : "");
    sqlite3_stmt *q = didq_prepare(a->db, sql);
    sqlite3_free(sql);
    an_site_ix ix = {0};
    size_t last = 0;
    an_row row = {0};
    while (sqlite3_step(q) == SQLITE_ROW) {
        read_row(q, &row);
        scan_record(a, &ix, &last, &row);
    }
    sqlite3_finalize(q);
    free(ix.slot);
}

void an_scan(didq_analysis *a)
{
    a->caprecs = records_to_scan(a) + 1;
    a->recs = didq_xmalloc(a->caprecs * sizeof *a->recs);
    if (a->nfiles > 1) a->accs = didq_xmalloc(a->caprecs * sizeof *a->accs);
    if (a->o.records && a->o.subset_where) /* a site's records: few, on this thread */
        scan_ranges(a, a->o.records, a->o.subset_ids, a->o.nsubset_ids);
    else if (a->o.records)
        scan_parts(a, a->o.records);
    else
        scan_sql_rows(a);
    sort_sites(a);
    an_month_codes(a);
}
