/* diff_side.c: one side of `didq diff` read into memory (diff_int.h).  A
 * loaded session's records and findings are read from its record store in
 * one pass each; a saved session's through SQL (`records` and `findings`
 * tables), its raw values by id when a pair is compared.  Its big tables
 * are huge pages as every big block is (didq_xmalloc). */
#include "diff_int.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

uint64_t didq_dside_hash(const char *site, uint32_t ls, const char *acc, uint32_t la)
{
    uint64_t h = (1469598103934665603ull ^ ls) * 1099511628211ull;
    h = (h ^ la) * 1099511628211ull; /* the lengths: "AB","C" is not "A","BC" */
    for (uint32_t i = 0; i < ls; i++)
        h = (h ^ (unsigned char)site[i]) * 1099511628211ull;
    for (uint32_t i = 0; i < la; i++)
        h = (h ^ (unsigned char)acc[i]) * 1099511628211ull;
    return h ^ (h >> 29);
}

int didq_diff_rule_index(const didq_diff *d, const char *code)
{
    size_t lo = 0, hi = d->nrules;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(d->rules[mid].code, code);
        if (c == 0) return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Each rule id of the session's `rules` table as an index into d->rules. */
static int *rule_map(const didq_diff *d, sqlite3 *db, int *nmap)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT coalesce(max(id), 0) FROM rules");
    *nmap = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) + 1 : 1;
    sqlite3_finalize(q);
    if (*nmap < 1 || *nmap > 1 << 16) *nmap = 1 << 16; /* rule ids are 16-bit in the store */
    int *map = didq_xmalloc((size_t)*nmap * sizeof *map);
    for (int i = 0; i < *nmap; i++)
        map[i] = -1;
    q = didq_prepare(db, "SELECT id, code FROM rules");
    while (sqlite3_step(q) == SQLITE_ROW) {
        int id = sqlite3_column_int(q, 0);
        const unsigned char *t = sqlite3_column_text(q, 1);
        if (id >= 0 && id < *nmap) map[id] = didq_diff_rule_index(d, t ? (const char *)t : "");
    }
    sqlite3_finalize(q);
    return map;
}

/* Record i of a loaded session: its key, and its encoded items (raw, span). */
static void stored_key(const dside *side, uint32_t i, dkey *k, const unsigned char **raw,
                       uint32_t *span)
{
    static const int key[2] = {DIDQ_SITE, DIDQ_ACCESSION};
    const char *v[2];
    uint32_t len[2];
    didq_recstore_two_raw(side->rs, i + 1, side->nitems, key, v, len, raw, span);
    k->site = v[0], k->ls = len[0];
    k->acc = v[1], k->la = len[1];
    didq_trim_spaces(&k->site, &k->ls);
    didq_trim_spaces(&k->acc, &k->la);
}

/* Record i of a loaded session: its encoded items alone (raw, span), no
 * value decoded (a line's two values read from its end cost more than the
 * comparison of two whole lines). */
static void stored_items(const dside *side, uint32_t i, const unsigned char **raw, uint32_t *span)
{
    static const int none[2] = {-1, -1};
    const char *v[2];
    uint32_t len[2];
    didq_recstore_two_raw(side->rs, i + 1, side->nitems, none, v, len, raw, span);
}

/* The in-memory records: the hash of each record's key, from one pass over
 * the values (only the key's two decoded).  The keys and encoded items are
 * read again from the record store when a record is compared: arrays of
 * them would be 36 bytes a record more of fresh memory, and three more
 * cache misses a pair. */
static void hash_store(dside *side, int nitems)
{
    side->n = didq_recstore_count(side->rs);
    side->nitems = nitems;
    side->hash = didq_xmalloc(((size_t)side->n + 1) * sizeof *side->hash);
    for (uint32_t i = 0; i < side->n; i++) {
        didq_recstore_prefetch(side->rs, i + 1 + DIDQ_PREFETCH_AHEAD);
        dkey k;
        const unsigned char *raw;
        uint32_t span;
        stored_key(side, i, &k, &raw, &span);
        side->hash[i] = didq_dside_hash(k.site, k.ls, k.acc, k.la);
        side->unkeyed += k.ls == 0 || k.la == 0;
    }
}

void didq_dside_key(const dside *side, uint32_t i, dkey *k)
{
    if (side->rs) {
        const unsigned char *raw;
        uint32_t span;
        stored_key(side, i, k, &raw, &span);
    } else {
        *k = side->keys[i];
    }
}

void didq_dside_prefetch(const dside *side, uint32_t i, bool blob)
{
#if defined(__GNUC__) || defined(__clang__)
    if (!side->rs || i >= side->n) return;
    if (blob)
        didq_recstore_prefetch(side->rs, i + 1);
    else
        __builtin_prefetch(didq_recstore_meta(side->rs, i + 1));
#else
    (void)side, (void)i, (void)blob;
#endif
}

/* A saved session: ids, lines and cleansed keys from one scan of `records`
 * (its site and acc columns are the cleansed keys). */
static void read_saved_keys(dside *side)
{
    sqlite3_stmt *q = didq_prepare(didq_session_db(side->s), "SELECT id, line, site, acc"
                                                             " FROM records ORDER BY id");
    size_t cap = 1024, kcap = 0, kn = 0;
    uint32_t n = 0;
    side->ids = didq_xmalloc(cap * sizeof *side->ids);
    side->line = didq_xmalloc(cap * sizeof *side->line);
    side->keys = didq_xmalloc(cap * sizeof *side->keys);
    uint64_t *kofs = didq_xmalloc(cap * sizeof *kofs);
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (n == cap) {
            cap *= 2;
            side->ids = didq_xrealloc(side->ids, cap * sizeof *side->ids);
            side->line = didq_xrealloc(side->line, cap * sizeof *side->line);
            side->keys = didq_xrealloc(side->keys, cap * sizeof *side->keys);
            kofs = didq_xrealloc(kofs, cap * sizeof *kofs);
        }
        uint32_t i = n++;
        const char *site = (const char *)sqlite3_column_blob(q, 2);
        uint32_t ls = (uint32_t)sqlite3_column_bytes(q, 2);
        const char *acc = (const char *)sqlite3_column_blob(q, 3);
        uint32_t la = (uint32_t)sqlite3_column_bytes(q, 3);
        while (kn + ls + la + 1 > kcap) {
            kcap = kcap ? kcap * 2 : 1 << 16;
            side->kbuf = didq_xrealloc(side->kbuf, kcap);
        }
        if (ls) memcpy(side->kbuf + kn, site, ls);
        if (la) memcpy(side->kbuf + kn + ls, acc, la);
        side->ids[i] = (uint32_t)sqlite3_column_int64(q, 0);
        side->line[i] = (uint64_t)sqlite3_column_int64(q, 1);
        kofs[i] = kn;
        side->keys[i].ls = ls;
        side->keys[i].la = la;
        kn += ls + la;
    }
    sqlite3_finalize(q);
    side->n = n;
    /* kbuf has stopped moving: the keys point into it now. */
    side->hash = didq_xmalloc(((size_t)side->n + 1) * sizeof *side->hash);
    for (uint32_t i = 0; i < side->n; i++) {
        dkey *k = &side->keys[i];
        k->site = side->kbuf + kofs[i];
        k->acc = k->site + k->ls;
        side->hash[i] = didq_dside_hash(k->site, k->ls, k->acc, k->la);
        side->unkeyed += k->ls == 0 || k->la == 0;
    }
    free(kofs);
}

/* The index of record id (ids ascending), or UINT32_MAX. */
static uint32_t index_of(const dside *side, uint32_t id)
{
    if (!side->ids) return id >= 1 && id <= side->n ? id - 1 : UINT32_MAX;
    uint32_t lo = 0, hi = side->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (side->ids[mid] == id) return mid;
        if (side->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return UINT32_MAX;
}

/* Adds (rec id, rule index) pairs; makes fofs/fr once all are in. */
typedef struct fcollect {
    uint32_t *idx;
    int *rule;
    size_t n, cap;
} fcollect;

static void fc_add(fcollect *c, uint32_t idx, int rule)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 4096;
        c->idx = didq_xrealloc(c->idx, c->cap * sizeof *c->idx);
        c->rule = didq_xrealloc(c->rule, c->cap * sizeof *c->rule);
    }
    c->idx[c->n] = idx;
    c->rule[c->n++] = rule;
}

/* Sorts a record's rule indices and drops repeats (a rule broken on two
 * items counts once); returns how many are left. */
static uint64_t sort_distinct(int *r, uint64_t n)
{
    for (uint64_t i = 1; i < n; i++) {
        int x = r[i];
        uint64_t j = i;
        for (; j > 0 && r[j - 1] > x; j--)
            r[j] = r[j - 1];
        r[j] = x;
    }
    uint64_t k = 0;
    for (uint64_t i = 0; i < n; i++)
        if (k == 0 || r[k - 1] != r[i]) r[k++] = r[i];
    return k;
}

/* Places the collected findings by record, each record's sorted and distinct. */
static void place_findings(dside *side, fcollect *c)
{
    side->fofs = didq_xcalloc((size_t)side->n + 2, sizeof *side->fofs);
    for (size_t i = 0; i < c->n; i++)
        side->fofs[c->idx[i] + 2]++;
    for (uint32_t i = 0; i < side->n; i++)
        side->fofs[i + 2] += side->fofs[i + 1];
    int *fr = didq_xmalloc((c->n ? c->n : 1) * sizeof *fr);
    for (size_t i = 0; i < c->n; i++) /* fofs[i + 1] is the next place of record i */
        fr[side->fofs[c->idx[i] + 1]++] = c->rule[i];
    /* fofs[i + 1] is now record i's end, so fofs[i] its start; squeeze out
     * the repeats record by record. */
    uint64_t out = 0, start = 0;
    for (uint32_t i = 0; i < side->n; i++) {
        uint64_t end = side->fofs[i + 1];
        uint64_t k = sort_distinct(fr + start, end - start);
        memmove(fr + out, fr + start, k * sizeof *fr);
        side->fofs[i] = out;
        out += k;
        start = end;
    }
    side->fofs[side->n] = out;
    side->fr = fr;
    free(c->idx);
    free(c->rule);
}

static void read_findings(dside *side, const didq_diff *d)
{
    int nmap;
    int *map = rule_map(d, didq_session_db(side->s), &nmap);
    fcollect c = {0};
    if (side->rs) {
        uint64_t n;
        const didq_finding *f = didq_recstore_findings(side->rs, &n);
        for (uint64_t i = 0; i < n; i++)
            if (f[i].rec >= 1 && f[i].rec <= side->n && f[i].rule < nmap && map[f[i].rule] >= 0)
                fc_add(&c, f[i].rec - 1, map[f[i].rule]);
    } else {
        sqlite3_stmt *q = didq_prepare(didq_session_db(side->s), "SELECT rec, rule FROM findings");
        while (sqlite3_step(q) == SQLITE_ROW) {
            sqlite3_int64 id = sqlite3_column_int64(q, 0);
            int rule = sqlite3_column_int(q, 1);
            uint32_t idx = id >= 1 && id <= UINT32_MAX ? index_of(side, (uint32_t)id) : UINT32_MAX;
            if (idx != UINT32_MAX && rule >= 0 && rule < nmap && map[rule] >= 0)
                fc_add(&c, idx, map[rule]);
        }
        sqlite3_finalize(q);
    }
    place_findings(side, &c);
    free(map);
}

static void prepare_fields(dside *side, int nitems)
{
    didq_buf sql = {0};
    didq_buf_puts(&sql, "SELECT ");
    for (int i = 0; i < nitems; i++)
        didq_buf_printf(&sql, "%sf%d", i ? ", " : "", DIDQ_COL_NUM(i));
    didq_buf_puts(&sql, " FROM records WHERE id = ?");
    side->fields = didq_prepare(didq_session_db(side->s), sql.p);
    didq_buf_free(&sql);
}

/* DIDQ_DIFF_HASH_BITS=N keeps the low N bits of every key hash (0 to 63;
 * the tests make keys share hashes, which 64 bits almost never do, so that
 * the matching's collision paths run; its outputs must not move). */
static void test_hash_bits(dside *side)
{
    const char *e = getenv("DIDQ_DIFF_HASH_BITS");
    if (!e || !*e) return;
    long bits = strtol(e, NULL, 10);
    if (bits < 0 || bits > 63) return;
    for (uint32_t i = 0; i < side->n; i++)
        side->hash[i] &= ((uint64_t)1 << bits) - 1;
}

void didq_dside_open(dside *side, didq_session *s, const didq_diff *d)
{
    memset(side, 0, sizeof *side);
    side->s = s;
    side->rs = didq_session_recstore(s);
    if (side->rs) {
        hash_store(side, d->nitems);
    } else {
        read_saved_keys(side);
        prepare_fields(side, d->nitems);
    }
    test_hash_bits(side);
    read_findings(side, d);
}

void didq_dside_free(dside *side)
{
    free(side->hash);
    free(side->fofs);
    free(side->fr);
    free(side->keys);
    free(side->ids);
    free(side->line);
    free(side->kbuf);
    sqlite3_finalize(side->fields);
}

bool didq_dside_same_raw(const dside *side, uint32_t i, const dside *other, uint32_t j)
{
    if (!side->rs || !other->rs || side->nitems != other->nitems) return false;
    /* a line in its file and an encoded blob are bytes of two kinds */
    if (didq_recstore_in_file(side->rs, i + 1) != didq_recstore_in_file(other->rs, j + 1))
        return false;
    const unsigned char *a, *b;
    uint32_t sa, sb;
    stored_items(side, i, &a, &sa);
    stored_items(other, j, &b, &sb);
    return sa == sb && memcmp(a, b, sa) == 0;
}

uint64_t didq_dside_line(const dside *side, uint32_t i)
{
    return side->rs ? didq_recstore_meta(side->rs, i + 1)->line : side->line[i];
}

void didq_dside_values(dside *side, uint32_t i, int n, const char **v, uint32_t *len)
{
    if (side->rs) {
        didq_recstore_fields(side->rs, i + 1, n, v, len);
        return;
    }
    sqlite3_bind_int64(side->fields, 1, side->ids[i]);
    bool row = sqlite3_step(side->fields) == SQLITE_ROW;
    for (int k = 0; k < n; k++) {
        bool null = !row || sqlite3_column_type(side->fields, k) == SQLITE_NULL;
        const char *p = null ? NULL : (const char *)sqlite3_column_blob(side->fields, k);
        len[k] = null ? 0 : (uint32_t)sqlite3_column_bytes(side->fields, k);
        v[k] = null ? NULL : p ? p : "";
    }
}

void didq_dside_values_done(dside *side)
{
    if (side->fields) sqlite3_reset(side->fields);
}
