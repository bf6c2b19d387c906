/* test_recpack.c: records packed and unpacked (recpack.c), with and
 * without the caller's bytes (didq_recpack_base, the parallel load's
 * block).  Every value, cleansed value, date, number and extra column
 * comes back the same either way; with the block, a value inside it comes
 * back as a pointer to the same byte of the block and takes no room in the
 * packed record, while a value outside it (a row libcsv copied, the NHS
 * number compacted, a value that runs past the block's end) is copied and
 * stays whole after its own buffer is overwritten; a value of no bytes at
 * the block's very end and an absent value come back as they went. */
#include "didq/dataset.h"
#include "didq/date.h"
#include "didq/record.h"
#include "recpack.h"
#include "testlib.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The block: 64 bytes of a bigger buffer, the rest past its end. */
static char buf[128];
static char row[32]; /* a value copied out of the input (libcsv's row) */
static const size_t BLOCK = 64;

static bool inside(const char *p, const void *base, size_t n)
{
    uintptr_t u = (uintptr_t)p, b = (uintptr_t)base;
    return p && u >= b && u - b < n;
}

static void field(didq_record *r, int item, const char *raw, uint32_t n, const char *val,
                  uint32_t len)
{
    r->f[item] = (didq_field){raw, n, val, len};
}

/* A record whose values lie in the block, in row, past the block's end,
 * in nhsbuf, and nowhere (absent: the accession number). */
static void make(didq_record *r, const didq_dataset *ds)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (char)('a' + i % 26);
    memcpy(row, "  R1 quoted,value ", 18);
    for (int i = 0; i < ds->nitems; i++) {
        field(r, i, NULL, 0, "", 0);
        r->date[i] = r->ldate[i] = r->month[i] = r->lmonth[i] = DIDQ_NODATE;
    }
    r->file = 3;
    r->recno = 77;
    r->line = 12;
    r->offset = 4096;
    r->nfields = 18;
    r->flags = DIDQ_REC_WIDTH;
    r->line_len = 40;
    field(r, 1, buf + 2, 6, buf + 3, 4);         /* in the block, trimmed inside */
    field(r, 2, row, 18, row + 2, 15);           /* in the row: copied */
    field(r, 3, buf + 60, 10, buf + 60, 10);     /* runs past the block: copied */
    field(r, 4, buf + BLOCK, 0, buf + BLOCK, 0); /* no bytes, at the block's end */
    field(r, 5, buf + 10, 12, buf + 10, 12);     /* in the block */
    memcpy(r->nhsbuf, "9434765919", 11);
    field(r, DIDQ_NHS_NUMBER, buf + 30, 12, r->nhsbuf, 10); /* compacted: copied */
    for (int i = 0; i < ds->nitems; i++)
        if (ds->items[i].is_date) {
            r->date[i] = 20000 + i;
            r->ldate[i] = 20001 + i;
            r->month[i] = 24000 + i;
            r->lmonth[i] = 24001 + i;
        }
    r->extra = row + 20;
    memcpy(row + 20, "x=1", 3);
    r->extra_len = 3;
}

static bool same_bytes(const char *a, uint32_t na, const char *b, uint32_t nb)
{
    return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

/* The unpacked record u against the original r (whose bytes are as made). */
static void compare(const didq_record *u, const didq_record *r, const didq_dataset *ds,
                    const char *how)
{
    CHECK(u->file == r->file && u->recno == r->recno && u->line == r->line &&
              u->offset == r->offset && u->nfields == r->nfields && u->flags == r->flags &&
              u->line_len == r->line_len,
          "%s: the record's numbers", how);
    for (int i = 0; i < ds->nitems; i++) {
        const didq_field *a = &u->f[i], *b = &r->f[i];
        CHECK((a->raw == NULL) == (b->raw == NULL), "%s: item %d absent or not", how, i);
        CHECK(same_bytes(a->raw, a->raw_len, b->raw, b->raw_len), "%s: item %d's raw value", how,
              i);
        CHECK(same_bytes(a->val, a->len, b->val, b->len), "%s: item %d's cleansed value", how, i);
        if (ds->items[i].is_date)
            CHECK(u->date[i] == r->date[i] && u->ldate[i] == r->ldate[i] &&
                      u->month[i] == r->month[i] && u->lmonth[i] == r->lmonth[i],
                  "%s: item %d's dates", how, i);
    }
    CHECK(same_bytes(u->extra, u->extra_len, r->extra, r->extra_len), "%s: the extra columns", how);
}

static void run(const didq_dataset *ds, bool with_block)
{
    didq_recpack pk;
    didq_recpack_init(&pk, ds);
    didq_record r, u;
    make(&r, ds);
    didq_recpack_base none = {NULL, 0}, block = {(const unsigned char *)buf, BLOCK},
                      in = with_block ? block : none;
    const char *how = with_block ? "with the block" : "without";
    size_t n = didq_recpack_size(&pk, &r, in), whole = didq_recpack_size(&pk, &r, none);
    CHECK(n % 8 == 0, "%s: a size of whole words (%zu)", how, n);
    /* the block's values (6 + 12 + 12 bytes) take no room with it */
    if (with_block)
        CHECK(n + 24 <= whole && n + 32 >= whole, "%s: %zu bytes against %zu", how, n, whole);
    unsigned char *p = malloc(n + 8);
    memset(p, 0x5A, n + 8);
    didq_recpack_put(&pk, &r, in, p, n);
    CHECK(p[n] == 0x5A, "%s: nothing written past the size", how);
    memset(&u, 0, sizeof u);
    CHECK(didq_recpack_get(&pk, p, in, &u) == n, "%s: the size read back", how);
    compare(&u, &r, ds, how);
    /* where the values are: the block's own bytes, or copies */
    CHECK(with_block ? u.f[1].raw == buf + 2 && u.f[1].val == buf + 3 && u.f[5].raw == buf + 10
                     : !inside(u.f[1].raw, buf, sizeof buf) && !inside(u.f[5].raw, buf, sizeof buf),
          "%s: the block's values", how);
    CHECK(inside(u.f[2].raw, p, n) && inside(u.f[3].raw, p, n) &&
              inside(u.f[DIDQ_NHS_NUMBER].val, p, n),
          "%s: values outside the block copied", how);
    /* the copies stand alone: the row and nhsbuf overwritten */
    memset(row, '#', sizeof row);
    memset(r.nhsbuf, '#', sizeof r.nhsbuf);
    memset(u.nhsbuf, '#', sizeof u.nhsbuf);
    CHECK(same_bytes(u.f[2].raw, u.f[2].raw_len, "  R1 quoted,value ", 18) &&
              same_bytes(u.f[2].val, u.f[2].len, "R1 quoted,value", 15) &&
              same_bytes(u.f[DIDQ_NHS_NUMBER].val, u.f[DIDQ_NHS_NUMBER].len, "9434765919", 10) &&
              same_bytes(u.extra, u.extra_len, "x=1", 3),
          "%s: copies whole after their buffers changed", how);
    CHECK(u.f[4].raw != NULL && u.f[4].raw_len == 0 && u.f[DIDQ_ACCESSION].raw == NULL &&
              u.f[DIDQ_ACCESSION].len == 0,
          "%s: a value of no bytes and an absent one", how);
    free(p);
}

int main(void)
{
    const didq_dataset *ds = didq_dataset_v1();
    run(ds, false);
    run(ds, true);
    return test_done();
}
