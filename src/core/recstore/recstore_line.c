/* recstore_line.c: records read back from their file's bytes.  A record
 * whose raw values are exactly its CSV line split at the commas (a plain
 * line: no quote, no value cut, column i is item i; didq_record.line_len)
 * keeps no copy of its values in the arena: its metadata's blob says so
 * and holds the line's length, its offset says where the line starts, and
 * the values are split again from the file's bytes when read.  The bytes
 * are a read-only mapping of the file (or any buffer that outlives the
 * store): they are in the page cache already, where a copy would be fresh
 * memory, which on a virtual machine is the dearest part of a load
 * (docs/performance.md, "The values left in the file"). */
#include "recstore_int.h"
#include "didq/mapped.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void didq_recstore_file_bytes(didq_recstore *rs, int file, const void *p, uint64_t n, bool mapped)
{
    if (file < 1 || file > UINT16_MAX) return;
    if (file >= rs->nfbytes) {
        int cap = file + 8;
        rs->fbytes = didq_xrealloc(rs->fbytes, (size_t)cap * sizeof *rs->fbytes);
        memset(rs->fbytes + rs->nfbytes, 0, (size_t)(cap - rs->nfbytes) * sizeof *rs->fbytes);
        rs->nfbytes = cap;
    }
    didq_file_bytes *f = &rs->fbytes[file];
    if (f->mapped) { /* a number given again (a file dropped) */
        didq_mapped_forget(f->p);
        munmap((void *)f->p, f->n);
    }
    *f = (didq_file_bytes){.p = p, .n = n, .mapped = mapped};
}

bool didq_recstore_adopt_file_bytes(didq_recstore *rs)
{
    for (int i = 0; i < rs->nfbytes; i++) {
        didq_file_bytes *f = &rs->fbytes[i];
        if (!f->mapped || f->adopted) continue;
        if (!didq_mapped_adopt(f->p, f->n)) return false;
        didq_mapped_forget(f->p); /* no SIGBUS can come from them now */
        f->adopted = true;
    }
    return true;
}

const unsigned char *didq_recstore_file_view(const didq_recstore *rs, uint32_t file, uint64_t *n)
{
    if (file >= (uint32_t)rs->nfbytes || !rs->fbytes[file].p) return NULL;
    *n = rs->fbytes[file].n;
    return rs->fbytes[file].p;
}

void didq_recstore_free_file_bytes(didq_recstore *rs)
{
    for (int i = 0; i < rs->nfbytes; i++)
        if (rs->fbytes[i].mapped) {
            didq_mapped_forget(rs->fbytes[i].p);
            munmap((void *)rs->fbytes[i].p, rs->fbytes[i].n);
        }
    free(rs->fbytes);
    rs->fbytes = NULL;
    rs->nfbytes = 0;
}

bool didq_recline_takes(const didq_recstore *rs, const didq_record *r)
{
    if (!r->line_len || rs->spill_fd >= 0 || r->file >= (uint32_t)rs->nfbytes) return false;
    const didq_file_bytes *f = &rs->fbytes[r->file];
    return f->p && r->offset <= f->n && r->line_len <= f->n - r->offset &&
           r->offset <= DIDQ_BLOB_OFFSET_MASK && r->line_len < UINT32_C(1) << DIDQ_BLOB_LEN_BITS;
}

uint64_t didq_recline_blob(const didq_record *r)
{
    return DIDQ_BLOB_IN_FILE | (uint64_t)r->line_len << DIDQ_BLOB_OFFSET_BITS | r->offset;
}

const unsigned char *didq_recline_of(const didq_recstore *rs, const didq_recmeta *m, uint32_t *n)
{
    *n = (uint32_t)((m->blob & ~DIDQ_BLOB_IN_FILE) >> DIDQ_BLOB_OFFSET_BITS);
    return rs->fbytes[m->file].p + (m->blob & DIDQ_BLOB_OFFSET_MASK);
}

/* The first `want` values of the line p[0..n) split at its commas: v[k]
 * NULL for an empty one (as the CSV reader makes it); the values found
 * (fewer when the line has fewer); *end: where the last one found ends. */
int didq_recline_split(const unsigned char *p, uint32_t n, int want, const char **v, uint32_t *len,
                       uint32_t *end)
{
    int k = 0;
    uint32_t a = 0, i = 0;
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    for (; i + 16 <= n && k < want; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        for (unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, comma)); m && k < want;
             m &= m - 1) {
            uint32_t b = i + (uint32_t)__builtin_ctz(m);
            v[k] = b > a ? (const char *)p + a : NULL;
            len[k++] = b - a;
            a = b + 1;
        }
    }
#endif
    for (; i < n && k < want; i++)
        if (p[i] == ',') {
            v[k] = i > a ? (const char *)p + a : NULL;
            len[k++] = i - a;
            a = i + 1;
        }
    if (k < want && a <= n) { /* the last value, to the line's end */
        v[k] = n > a ? (const char *)p + a : NULL;
        len[k++] = n - a;
        a = n + 1;
    }
    *end = k ? a - 1 : 0;
    return k;
}

const char *didq_recline_value(const unsigned char *p, uint32_t n, int nfields, int k,
                               uint32_t *len)
{
    if (k < nfields / 2) { /* from the start */
        const char *v[DIDQ_MAX_ITEMS];
        uint32_t l[DIDQ_MAX_ITEMS], end;
        if (k < 0 || didq_recline_split(p, n, k + 1, v, l, &end) <= k) {
            *len = 0;
            return NULL;
        }
        *len = l[k];
        return v[k];
    }
    /* from the end: the line has nfields values, so value k ends before
     * the (nfields - 1 - k)th comma counted from the end */
    uint32_t e = n;
    for (int j = nfields - 1; j > k && e > 0; j--) {
        while (e > 0 && p[e - 1] != ',')
            e--;
        if (e > 0) e--; /* onto the comma */
    }
    uint32_t a = e;
    while (a > 0 && p[a - 1] != ',')
        a--;
    *len = e - a;
    return e > a ? (const char *)p + a : NULL;
}
