/* recpack.c: records packed into bytes and back (recpack.h). */
#include "recpack.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* A slot's offset: NONE (no value), IN_BASE | offset into the caller's
 * bytes (didq_recpack_base), or an offset into the packed record. */
enum { NONE = 0xFFFFFFFFu, IN_BASE = 0x80000000u };

/* A packed record: header, per-item slots, date slots, then bytes. */
typedef struct qhdr {
    uint64_t recno, line, offset, nfields;
    uint32_t file, size, flags, extra_off, extra_len, line_len;
} qhdr;

typedef struct qslot {
    uint32_t raw_off, raw_len, val_off, val_len;
} qslot;

typedef struct qdate {
    int32_t date, ldate, month, lmonth;
} qdate;

void didq_recpack_init(didq_recpack *pk, const didq_dataset *ds)
{
    memset(pk, 0, sizeof *pk);
    pk->nitems = ds->nitems;
    for (int i = 0; i < ds->nitems; i++)
        if (ds->items[i].is_date) pk->date_items[pk->ndates++] = i;
}

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* Whether n bytes at v lie inside the caller's bytes, whose offsets then
 * fit a slot's 31 bits and never make NONE. */
static bool in_base(didq_recpack_base in, const char *v, size_t n)
{
    uintptr_t u = (uintptr_t)v, b = (uintptr_t)in.p; /* v may lie in another object */
    return in.p && in.n < NONE - IN_BASE && u >= b && u - b <= in.n && n <= in.n - (u - b);
}

/* Whether a value's cleansed bytes lie inside its raw bytes. */
static bool val_in_raw(const didq_field *f)
{
    return f->val >= f->raw && f->val + f->len <= f->raw + f->raw_len;
}

size_t didq_recpack_size(const didq_recpack *pk, const didq_record *r, didq_recpack_base in)
{
    size_t n = sizeof(qhdr) + (size_t)pk->nitems * sizeof(qslot) +
               (size_t)pk->ndates * sizeof(qdate) + r->extra_len;
    for (int i = 0; i < pk->nitems; i++) {
        const didq_field *f = &r->f[i];
        if (!f->raw) continue;
        if (!in_base(in, f->raw, f->raw_len)) n += f->raw_len;
        if (!val_in_raw(f)) n += f->len;
    }
    return align8(n);
}

/* Copies a value's bytes unless they lie inside the caller's bytes (in)
 * or, for the cleansed value, inside the raw value. */
static void put_slot(qslot *s, const didq_field *f, didq_recpack_base in, unsigned char *base,
                     size_t *at)
{
    s->raw_off = s->val_off = NONE;
    s->raw_len = s->val_len = 0;
    if (!f->raw) return;
    s->raw_len = f->raw_len;
    if (in_base(in, f->raw, f->raw_len)) {
        s->raw_off = IN_BASE | (uint32_t)((const unsigned char *)f->raw - in.p);
    } else {
        s->raw_off = (uint32_t)*at;
        memcpy(base + *at, f->raw, f->raw_len);
        *at += f->raw_len;
    }
    s->val_len = f->len;
    if (val_in_raw(f)) {
        s->val_off = s->raw_off + (uint32_t)(f->val - f->raw);
    } else {
        s->val_off = (uint32_t)*at;
        memcpy(base + *at, f->val, f->len);
        *at += f->len;
    }
}

/* A slot's offset as a pointer (not NONE). */
static const char *slot_ptr(uint32_t off, const unsigned char *p, didq_recpack_base in)
{
    return (const char *)(off & IN_BASE ? in.p + (off & ~IN_BASE) : p + off);
}

void didq_recpack_put(const didq_recpack *pk, const didq_record *r, didq_recpack_base in,
                      unsigned char *p, size_t size)
{
    qhdr *h = (qhdr *)(void *)p; /* p is 8-aligned: a buffer is malloc'd, a record align8 */
    qslot *slots = (qslot *)(h + 1);
    qdate *dates = (qdate *)(slots + pk->nitems);
    size_t at = (size_t)((unsigned char *)(dates + pk->ndates) - p);
    *h = (qhdr){.recno = r->recno,
                .line = r->line,
                .offset = r->offset,
                .file = r->file,
                .size = (uint32_t)size,
                .flags = r->flags,
                .extra_off = NONE,
                .nfields = r->nfields,
                .line_len = r->line_len};
    for (int i = 0; i < pk->nitems; i++)
        put_slot(&slots[i], &r->f[i], in, p, &at);
    for (int k = 0; k < pk->ndates; k++) {
        int i = pk->date_items[k];
        dates[k] = (qdate){r->date[i], r->ldate[i], r->month[i], r->lmonth[i]};
    }
    if (r->extra) {
        h->extra_off = (uint32_t)at;
        h->extra_len = r->extra_len;
        memcpy(p + at, r->extra, r->extra_len);
    }
}

size_t didq_recpack_get(const didq_recpack *pk, const unsigned char *p, didq_recpack_base in,
                        didq_record *r)
{
    const qhdr *h = (const qhdr *)(const void *)p; /* 8-aligned, as in didq_recpack_put */
    const qslot *slots = (const qslot *)(h + 1);
    const qdate *dates = (const qdate *)(slots + pk->nitems);
    r->recno = h->recno;
    r->line = h->line;
    r->offset = h->offset;
    r->file = h->file;
    r->flags = h->flags;
    r->nfields = h->nfields;
    r->line_len = h->line_len;
    for (int i = 0; i < pk->nitems; i++) {
        const qslot *s = &slots[i];
        didq_field *f = &r->f[i];
        f->raw = s->raw_off == NONE ? NULL : slot_ptr(s->raw_off, p, in);
        f->raw_len = s->raw_len;
        f->val = s->val_off == NONE ? "" : slot_ptr(s->val_off, p, in);
        f->len = s->val_len;
    }
    for (int k = 0; k < pk->ndates; k++) {
        int i = pk->date_items[k];
        r->date[i] = dates[k].date;
        r->ldate[i] = dates[k].ldate;
        r->month[i] = dates[k].month;
        r->lmonth[i] = dates[k].lmonth;
    }
    r->extra = h->extra_off == NONE ? NULL : (const char *)p + h->extra_off;
    r->extra_len = h->extra_len;
    return h->size;
}
