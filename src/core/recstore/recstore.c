/* recstore.c: compact in-memory records.  A record's raw values are one
 * blob in a chunked arena: per value a varint (0 = absent, else length + 1)
 * and the bytes; the extra columns follow as one more value.  Or, for a
 * plain CSV line of a file whose bytes the store was given, no blob: the
 * values are split again from the line (recstore_line.c). */
#include "recstore.h"
#include "didq/date.h"
#include "didq/ident.h"
#include "prefault.h"
#include "release.h"
#include "recstore_int.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

enum { CHUNK_BITS = 25, CHUNK = 1 << CHUNK_BITS }; /* 32 MiB arena chunks */
/* Records of metadata made ready at a time, ahead of the records added. */
enum { AHEAD_RECORDS = 65536 };

_Static_assert(sizeof(didq_recmeta) == 48, "a record's metadata is 48 bytes");

didq_recstore *didq_recstore_new(int nitems, const int *date_items, int ndates)
{
    didq_recstore *rs = didq_xcalloc(1, sizeof *rs);
    rs->nitems = nitems;
    rs->ndates = ndates < DIDQ_MAX_DATES ? ndates : DIDQ_MAX_DATES;
    memcpy(rs->date_items, date_items, (size_t)rs->ndates * sizeof *date_items);
    rs->key_item = -1;
    rs->dup_a = rs->dup_b = -1;
    rs->spill_fd = rs->meta_fd = -1;
    rs->order_next = -1;
    pthread_mutex_init(&rs->keys_lock, NULL);
    return rs;
}

/* Before the first record (the key hashes are kept as records come). */
void didq_recstore_set_dup_items(didq_recstore *rs, int a, int b)
{
    rs->dup_a = a;
    rs->dup_b = b;
}

/* A block grown from n to more bytes: a new one (big ones are advised to
 * be huge pages before anything touches them: util.c), then the copy.  A
 * realloc would copy into fresh 4 KiB pages first, a page fault each:
 * half the faults of a load (docs/performance.md). */
static void *grow_block(void *p, size_t n, size_t more)
{
    void *q = didq_xmalloc(more);
    if (n) memcpy(q, p, n);
    free(p);
    return q;
}

/* Room for cap records' metadata: in memory, or in the spill file. */
static void resize_meta(didq_recstore *rs, size_t cap)
{
    didq_prefault_drain(rs->ahead); /* the blocks it readies are freed here */
    rs->asked = 0;
    if (rs->meta_fd >= 0) {
        didq_spill_meta(rs, cap);
    } else {
        rs->meta = grow_block(rs->meta, rs->cap * sizeof *rs->meta, cap * sizeof *rs->meta);
    }
    if (rs->dup_a >= 0 && !rs->sealed)
        rs->dupkey = grow_block(rs->dupkey, rs->cap * sizeof *rs->dupkey, cap * sizeof *rs->dupkey);
    rs->cap = cap;
}

/* The store's biggest blocks given back to the kernel on its threads
 * before they are freed (release.h): its file's mapping, the metadata and
 * the arena.  In memory only: the records of check --db are files. */
static void release(didq_recstore *rs)
{
    if (rs->threads < 2 || rs->spill_fd >= 0 || rs->meta_fd >= 0) return;
    didq_span *s = didq_xmalloc(((size_t)rs->nfbytes + rs->nchunks + 4) * sizeof *s);
    size_t n = 0;
    for (int i = 0; i < rs->nfbytes; i++)
        if (rs->fbytes[i].mapped) s[n++] = (didq_span){rs->fbytes[i].p, rs->fbytes[i].n};
    s[n++] = (didq_span){rs->meta, rs->cap * sizeof *rs->meta};
    if (rs->dupkey) s[n++] = (didq_span){rs->dupkey, rs->cap * sizeof *rs->dupkey};
    s[n++] = (didq_span){rs->findings, rs->capfind * sizeof *rs->findings};
    for (size_t i = 0; i < rs->nchunks; i++)
        s[n++] = (didq_span){rs->chunks[i], CHUNK};
    didq_release_spans(s, n, rs->threads);
    free(s);
}

void didq_recstore_free(didq_recstore *rs)
{
    if (!rs) return;
    didq_recstore_free_orders(rs); /* first: stops the builder, which reads the arena */
    didq_recstore_end_load(rs);
    release(rs);
    if (rs->spill_fd >= 0) didq_spill_free(rs, CHUNK);
    for (size_t i = 0; i < rs->nchunks; i++)
        free(rs->chunks[i]);
    free(rs->chunks);
    free(rs->meta);
    free(rs->dupkey);
    free(rs->findings);
    free(rs->rule_pos);
    free(rs->rule_start);
    didq_recstore_free_index(rs);
    didq_sites_cache_free(rs);
    didq_recstore_free_file_bytes(rs);
    pthread_mutex_destroy(&rs->keys_lock);
    free(rs);
}

/* Whether the records expected will need more arena than the chunks made,
 * at the bytes a record so far. */
static bool more_chunks_expected(const didq_recstore *rs)
{
    if (!rs->nchunks || !rs->n || rs->n >= rs->expect) return false;
    double used = (double)(rs->nchunks - 1) * CHUNK + (double)rs->used;
    return used / (double)rs->n * (double)rs->expect > (double)rs->nchunks * CHUNK;
}

/* The next chunk made now and readied by the helper, when it will be needed. */
static void make_spare(didq_recstore *rs)
{
    if (!rs->ahead || rs->spare || !more_chunks_expected(rs)) return;
    rs->spare = didq_xmalloc(CHUNK);
    didq_prefault_ask(rs->ahead, rs->spare, CHUNK);
}

/* The metadata (and duplicate keys) of the next records readied by the
 * helper, AHEAD_RECORDS at a time, before the records reach them. */
static void meta_ahead(didq_recstore *rs)
{
    if (!rs->ahead || rs->asked > rs->n + AHEAD_RECORDS / 2) return;
    size_t from = rs->asked > rs->n ? rs->asked : rs->n, to = from + AHEAD_RECORDS;
    if (to > rs->cap) to = rs->cap;
    if (to <= from) return;
    didq_prefault_ask(rs->ahead, rs->meta + from, (to - from) * sizeof *rs->meta);
    if (rs->dupkey)
        didq_prefault_ask(rs->ahead, rs->dupkey + from, (to - from) * sizeof *rs->dupkey);
    rs->asked = to;
}

void didq_recstore_end_load(didq_recstore *rs)
{
    didq_prefault_free(rs->ahead);
    rs->ahead = NULL;
    free(rs->spare);
    rs->spare = NULL;
}

/* Room for n bytes in the arena; returns the write pointer and position. */
static unsigned char *arena_reserve(didq_recstore *rs, size_t n, uint64_t *pos)
{
    if (rs->nchunks == 0 || rs->used + n > CHUNK) {
        if (rs->nchunks == rs->capchunks) {
            rs->capchunks = rs->capchunks ? rs->capchunks * 2 : 16;
            rs->chunks = didq_xrealloc(rs->chunks, rs->capchunks * sizeof *rs->chunks);
        }
        if (rs->spill_fd >= 0) {
            rs->chunks[rs->nchunks] = didq_spill_chunk(rs, rs->nchunks, CHUNK);
        } else if (rs->spare) {
            rs->chunks[rs->nchunks] = rs->spare;
            rs->spare = NULL;
        } else {
            rs->chunks[rs->nchunks] = didq_xmalloc(CHUNK); /* huge pages: util.c */
        }
        rs->nchunks++;
        rs->used = 0;
        make_spare(rs);
    }
    *pos = ((uint64_t)(rs->nchunks - 1) << CHUNK_BITS) | rs->used;
    return rs->chunks[rs->nchunks - 1] + rs->used;
}

static size_t put_varint(unsigned char *p, uint32_t v)
{
    size_t k = 0;
    while (v >= 0x80) {
        p[k++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[k++] = (unsigned char)v;
    return k;
}

static const unsigned char *get_varint(const unsigned char *p, uint32_t *v)
{
    uint32_t x = 0;
    int shift = 0;
    while (*p & 0x80) {
        x |= (uint32_t)(*p++ & 0x7F) << shift;
        shift += 7;
    }
    *v = x | (uint32_t)*p++ << shift;
    return p;
}

static size_t put_value(unsigned char *p, const char *s, uint32_t n)
{
    if (!s) return put_varint(p, 0);
    size_t k = put_varint(p, n + 1);
    memcpy(p + k, s, n);
    return k + n;
}

static uint64_t encode(didq_recstore *rs, const didq_record *r)
{
    if (didq_recline_takes(rs, r)) { /* nothing copied: the values stay in the file */
        for (int i = 0; i < rs->nitems; i++)
            if (r->f[i].raw_len > rs->widest[i]) rs->widest[i] = r->f[i].raw_len;
        return didq_recline_blob(r);
    }
    size_t need = 8 + 5 + (r->extra ? r->extra_len : 0);
    for (int i = 0; i < rs->nitems; i++)
        need += 5 + r->f[i].raw_len;
    uint64_t pos;
    unsigned char *p = arena_reserve(rs, need, &pos), *start = p;
    memcpy(p, &r->offset, 8); /* the record's offset first (didq_recstore_offset) */
    p += 8;
    for (int i = 0; i < rs->nitems; i++) {
        p += put_value(p, r->f[i].raw, r->f[i].raw_len);
        if (r->f[i].raw_len > rs->widest[i]) rs->widest[i] = r->f[i].raw_len;
    }
    p += put_value(p, r->extra, r->extra_len);
    rs->used += (size_t)(p - start);
    return pos;
}

void didq_recstore_expect(didq_recstore *rs, uint64_t n, bool ahead)
{
    if (rs->meta_fd >= 0 || rs->sealed) return;
    rs->expect = n < UINT32_MAX ? (size_t)n : UINT32_MAX;
    if (ahead && !rs->ahead && rs->expect > rs->n + AHEAD_RECORDS) rs->ahead = didq_prefault_new();
    make_spare(rs);
}

static void grow_meta(didq_recstore *rs)
{
    if (rs->n < rs->cap) return;
    size_t cap = rs->cap ? rs->cap * 2 : 4096;
    resize_meta(rs, rs->expect > cap ? rs->expect : cap);
}

static uint8_t clamp8(int v)
{
    return v > 255 ? 255 : (uint8_t)v;
}

static bool raw_blank(const didq_field *f)
{
    for (uint32_t i = 0; f->raw && i < f->raw_len; i++)
        if (f->raw[i] != ' ') return false;
    return true;
}

/* A cleansed value that is not empty comes from a raw value with a byte
 * other than a space (trimmed of spaces, or the NHS number without its
 * spaces and hyphens), so only an empty one has its raw value read. */
static void blank_bits(const didq_recstore *rs, const didq_record *r, didq_recmeta *m)
{
    memset(m->blank, 0, sizeof m->blank);
    for (int i = 0; i < rs->nitems && i < DIDQ_BLANK_BITS; i++)
        if (r->f[i].len == 0 && raw_blank(&r->f[i])) m->blank[i / 8] |= (uint8_t)(1u << (i % 8));
}

bool didq_recstore_blank(const didq_recstore *rs, uint32_t id, int k)
{
    if (k < DIDQ_BLANK_BITS) return (didq_recmeta_blanks(&rs->meta[id - 1]) >> k) & 1;
    uint32_t n;
    didq_recstore_clean(rs, id, k, &n);
    return n == 0;
}

uint32_t didq_recstore_add(didq_recstore *rs, const didq_record *r, int nerr, int nwarn)
{
    grow_meta(rs);
    meta_ahead(rs);
    didq_recmeta *m = &rs->meta[rs->n];
    m->blob = encode(rs, r);
    if (rs->dupkey)
        rs->dupkey[rs->n] = didq_dup_hash(r->file, r->f[rs->dup_a].val, r->f[rs->dup_a].len,
                                          r->f[rs->dup_b].val, r->f[rs->dup_b].len);
    m->line = r->line > UINT32_MAX ? UINT32_MAX : (uint32_t)r->line;
    m->recno = r->recno > UINT32_MAX ? UINT32_MAX : (uint32_t)r->recno;
    for (int k = 0; k < rs->ndates; k++)
        m->date[k] = r->date[rs->date_items[k]];
    m->file = (uint16_t)r->file;
    m->flags = (uint8_t)r->flags;
    m->nerr = clamp8(nerr);
    m->nwarn = clamp8(nwarn);
    blank_bits(rs, r, m);
    return (uint32_t)++rs->n;
}

void didq_recstore_add_finding(didq_recstore *rs, uint32_t rec, int rule, int item)
{
    if (rs->nfind == rs->capfind) {
        rs->capfind = rs->capfind ? rs->capfind * 2 : 4096;
        rs->findings = didq_xrealloc(rs->findings, rs->capfind * sizeof *rs->findings);
    }
    rs->findings[rs->nfind++] = (didq_finding){rec, (uint16_t)rule, (uint8_t)item};
}

/* The arena bytes of record id: its offset, then its encoded values. */
static const unsigned char *arena_of(const didq_recstore *rs, uint32_t id)
{
    uint64_t pos = rs->meta[id - 1].blob;
    return rs->chunks[pos >> CHUNK_BITS] + (pos & (CHUNK - 1));
}

static const unsigned char *blob_of(const didq_recstore *rs, uint32_t id)
{
    return arena_of(rs, id) + 8;
}

static bool in_file(const didq_recstore *rs, uint32_t id)
{
    return (rs->meta[id - 1].blob & DIDQ_BLOB_IN_FILE) != 0;
}

bool didq_recstore_in_file(const didq_recstore *rs, uint32_t id)
{
    return in_file(rs, id);
}

uint64_t didq_recstore_offset(const didq_recstore *rs, uint32_t id)
{
    uint64_t off;
    if (in_file(rs, id)) return rs->meta[id - 1].blob & DIDQ_BLOB_OFFSET_MASK;
    memcpy(&off, arena_of(rs, id), 8);
    return off;
}

/* Values 0..n-1 of a record kept in its file; the line and where value
 * n - 1 ends (raw, span: didq_recstore_fields_raw). */
static void line_fields(const didq_recstore *rs, uint32_t id, int n, const char **v, uint32_t *len,
                        const unsigned char **raw, uint32_t *span)
{
    uint32_t ln;
    const unsigned char *p = didq_recline_of(rs, &rs->meta[id - 1], &ln);
    if (n > rs->nitems) n = rs->nitems;
    int k = didq_recline_split(p, ln, n, v, len, span);
    for (; k < n; k++) {
        v[k] = NULL;
        len[k] = 0;
    }
    *raw = p;
}

void didq_recstore_prefetch(const didq_recstore *rs, uint32_t id)
{
#if defined(__GNUC__) || defined(__clang__)
    if (id < 1 || id > rs->n) return;
    if (in_file(rs, id)) {
        uint32_t n;
        __builtin_prefetch(didq_recline_of(rs, &rs->meta[id - 1], &n));
    } else {
        __builtin_prefetch(blob_of(rs, id));
    }
#else
    (void)rs, (void)id;
#endif
}

const char *didq_recstore_field(const didq_recstore *rs, uint32_t id, int k, uint32_t *len)
{
    if (in_file(rs, id)) {
        if (k < 0 || k >= rs->nitems) { /* the extra columns: none in a plain line */
            *len = 0;
            return NULL;
        }
        uint32_t ln;
        const unsigned char *p = didq_recline_of(rs, &rs->meta[id - 1], &ln);
        return didq_recline_value(p, ln, rs->nitems, k, len);
    }
    const unsigned char *p = blob_of(rs, id);
    uint32_t v;
    for (int i = 0; i < k; i++) {
        p = get_varint(p, &v);
        p += v ? v - 1 : 0;
    }
    p = get_varint(p, &v);
    *len = v ? v - 1 : 0;
    return v ? (const char *)p : NULL;
}

void didq_recstore_fields(const didq_recstore *rs, uint32_t id, int n, const char **v,
                          uint32_t *len)
{
    if (in_file(rs, id)) {
        const unsigned char *raw;
        uint32_t span;
        line_fields(rs, id, n, v, len, &raw, &span);
        return;
    }
    const unsigned char *p = blob_of(rs, id);
    for (int k = 0; k < n && k < rs->nitems; k++) {
        uint32_t x;
        p = get_varint(p, &x);
        len[k] = x ? x - 1 : 0;
        v[k] = x ? (const char *)p : NULL;
        p += len[k];
    }
}

void didq_recstore_fields_raw(const didq_recstore *rs, uint32_t id, int n, const char **v,
                              uint32_t *len, const unsigned char **raw, uint32_t *span)
{
    if (in_file(rs, id)) {
        line_fields(rs, id, n, v, len, raw, span);
        return;
    }
    const unsigned char *p = *raw = blob_of(rs, id);
    for (int k = 0; k < n && k < rs->nitems; k++) {
        uint32_t x;
        p = get_varint(p, &x);
        len[k] = x ? x - 1 : 0;
        v[k] = x ? (const char *)p : NULL;
        p += len[k];
    }
    *span = (uint32_t)(p - *raw);
}

/* Past n values. */
static const unsigned char *skip_values(const unsigned char *p, int n)
{
    for (int k = 0; k < n; k++) {
        uint32_t x = *p;
        if (x < 0x80) { /* a one-byte varint: absent (0, one byte) or length + 1 */
            p += x ? x : 1;
            continue;
        }
        p = get_varint(p, &x);
        p += x ? x - 1 : 0;
    }
    return p;
}

static const unsigned char *read_value(const unsigned char *p, const char **v, uint32_t *len)
{
    uint32_t x;
    p = get_varint(p, &x);
    *len = x ? x - 1 : 0;
    *v = x ? (const char *)p : NULL;
    return p + *len;
}

void didq_recstore_two_raw(const didq_recstore *rs, uint32_t id, int n, const int item[2],
                           const char **v, uint32_t *len, const unsigned char **raw, uint32_t *span)
{
    if (in_file(rs, id)) {
        uint32_t ln;
        const unsigned char *p = *raw = didq_recline_of(rs, &rs->meta[id - 1], &ln);
        if (n > rs->nitems) n = rs->nitems;
        if (n == rs->nitems) {
            *span = ln; /* the whole line: exactly nitems values */
        } else {
            const char *all[DIDQ_MAX_ITEMS];
            uint32_t l[DIDQ_MAX_ITEMS];
            didq_recline_split(p, ln, n, all, l, span);
        }
        for (int j = 0; j < 2; j++) {
            bool in = item[j] >= 0 && item[j] < n;
            v[j] = in ? didq_recline_value(p, ln, rs->nitems, item[j], &len[j]) : NULL;
            if (!in) len[j] = 0;
        }
        return;
    }
    const unsigned char *p = *raw = blob_of(rs, id);
    if (n > rs->nitems) n = rs->nitems;
    int w = item[0] > item[1]; /* the first of the two in the record */
    int a = item[w], b = item[!w];
    v[0] = v[1] = NULL;
    len[0] = len[1] = 0;
    if (a >= 0 && a < n) {
        p = read_value(skip_values(p, a), &v[w], &len[w]);
        if (b > a && b < n) {
            p = read_value(skip_values(p, b - a - 1), &v[!w], &len[!w]);
            p = skip_values(p, n - b - 1);
        } else {
            p = skip_values(p, n - a - 1);
        }
    } else {
        p = skip_values(p, n);
    }
    *span = (uint32_t)(p - *raw);
}

const char *didq_recstore_clean(const didq_recstore *rs, uint32_t id, int k, uint32_t *len)
{
    const char *s = didq_recstore_field(rs, id, k, len);
    if (!s) {
        *len = 0;
        return "";
    }
    while (*len && *s == ' ') {
        s++;
        (*len)--;
    }
    while (*len && s[*len - 1] == ' ')
        (*len)--;
    return s;
}

uint32_t didq_recstore_count(const didq_recstore *rs)
{
    return (uint32_t)rs->n;
}

const didq_recmeta *didq_recstore_meta(const didq_recstore *rs, uint32_t id)
{
    return &rs->meta[id - 1];
}

uint32_t didq_recstore_widest(const didq_recstore *rs, int k)
{
    return k >= 0 && k < rs->nitems ? rs->widest[k] : 0;
}

int didq_recstore_nitems(const didq_recstore *rs)
{
    return rs->nitems;
}

int didq_recstore_ndates(const didq_recstore *rs)
{
    return rs->ndates;
}

int didq_recstore_date_item(const didq_recstore *rs, int k)
{
    return rs->date_items[k];
}

const didq_finding *didq_recstore_findings(const didq_recstore *rs, uint64_t *n)
{
    *n = rs->nfind;
    return rs->findings;
}

uint64_t didq_finding_first(const didq_finding *f, uint64_t nf, uint32_t id)
{
    uint64_t lo = 0, hi = nf;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (f[mid].rec < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
