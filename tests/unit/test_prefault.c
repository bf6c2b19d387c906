/* test_prefault.c: fresh memory made ready ahead (prefault.c) changes no
 * byte of it: a block written page by page while the helper readies the
 * same pages keeps every byte written; a full queue drops requests, a
 * drain and a free with work queued return.  And a record store told to
 * expect fewer, more or exactly the records it gets (didq_recstore_expect:
 * its metadata made at once, the next arena chunk readied by the helper)
 * holds every record's values, metadata and duplicate keys as a store told
 * nothing does, across several 32 MiB arena chunks. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "prefault.h"
#include "recstore_int.h"
#include "didq/util.h"
#include "testlib.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

enum { BLOCK = 64 << 20 };

static void test_helper(void)
{
    didq_prefault *pf = didq_prefault_new();
    if (!pf) {
        printf("no MADV_POPULATE_WRITE here: the helper is off, its tests skipped\n");
        return;
    }
    unsigned char *p =
        mmap(NULL, BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "a block to ready");
    if (p == MAP_FAILED) return;
    didq_prefault_ask(pf, p, BLOCK); /* the whole block, while it is written below */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (size_t at = 0; at < BLOCK; at += page / 4)
        p[at] = (unsigned char)(at / (page / 4) * 7 + 1);
    didq_prefault_drain(pf);
    size_t wrong = 0, zero = 0;
    for (size_t at = 0; at < BLOCK; at++) {
        unsigned char want = at % (page / 4) ? 0 : (unsigned char)(at / (page / 4) * 7 + 1);
        wrong += p[at] != want;
        zero += p[at] == 0;
    }
    CHECK(wrong == 0, "%zu bytes changed by the helper", wrong);
    CHECK(zero > 0, "the bytes not written are zero");
    for (int i = 0; i < 100; i++) /* more than the queue holds: some dropped */
        didq_prefault_ask(pf, p + (size_t)i * page, page);
    didq_prefault_ask(pf, NULL, page);
    didq_prefault_ask(pf, p, 0);
    didq_prefault_drain(pf);
    didq_prefault_drain(pf);
    didq_prefault_ask(pf, p, BLOCK);
    didq_prefault_free(pf); /* with a range queued or being readied */
    didq_prefault_free(NULL);
    munmap(p, BLOCK);
}

/* Record i: items 0 and 1 a key, item 2 a long value (the arena passes
 * 32 MiB chunks at ROWS records). */
enum { ITEMS = 3, ROWS = 150000, LONG = 500 };

static void make_record(didq_record *r, uint32_t i, char *key, char *acc, char *text)
{
    memset(r, 0, sizeof *r);
    r->file = 1;
    r->recno = r->line = i + 1;
    r->offset = (uint64_t)i * 600;
    int kn = snprintf(key, 16, "S%u", i % 97);
    int an = snprintf(acc, 16, "A%u", i % 50000);
    for (int k = 0; k < LONG; k++)
        text[k] = (char)('a' + (i + (uint32_t)k) % 26);
    r->f[0] = (didq_field){key, (uint32_t)kn, key, (uint32_t)kn};
    r->f[1] = (didq_field){acc, (uint32_t)an, acc, (uint32_t)an};
    uint32_t tn = i % 11 ? LONG - i % 7 : 0; /* now and then absent */
    r->f[2] = (didq_field){tn ? text : NULL, tn, tn ? text : "", tn};
}

static didq_recstore *filled(uint64_t expect)
{
    static const int no_dates[1] = {0};
    didq_recstore *rs = didq_recstore_new(ITEMS, no_dates, 0);
    didq_recstore_set_dup_items(rs, 1, 0);
    char key[16], acc[16], text[LONG];
    didq_record *r = didq_xmalloc(sizeof *r);
    for (uint32_t i = 0; i < ROWS; i++) {
        if (expect && i == 1000) didq_recstore_expect(rs, expect, true);
        make_record(r, i, key, acc, text);
        didq_recstore_add(rs, r, (int)(i % 3), 0);
    }
    free(r);
    return rs;
}

/* Whether a and b hold the same records, values, metadata and keys. */
static bool same_store(const didq_recstore *a, const didq_recstore *b)
{
    if (a->n != b->n || a->n != ROWS) return false;
    for (uint32_t id = 1; id <= a->n; id++) {
        const char *va[ITEMS], *vb[ITEMS];
        uint32_t la[ITEMS], lb[ITEMS];
        didq_recstore_fields(a, id, ITEMS, va, la);
        didq_recstore_fields(b, id, ITEMS, vb, lb);
        for (int k = 0; k < ITEMS; k++)
            if (!va[k] != !vb[k] || la[k] != lb[k] || (la[k] && memcmp(va[k], vb[k], la[k])))
                return false;
        const didq_recmeta *x = &a->meta[id - 1], *y = &b->meta[id - 1];
        if (x->blob != y->blob || didq_recstore_offset(a, id) != didq_recstore_offset(b, id) ||
            x->line != y->line || x->recno != y->recno || x->file != y->file ||
            x->flags != y->flags || x->nerr != y->nerr || x->nwarn != y->nwarn ||
            memcmp(x->blank, y->blank, 3) != 0 || a->dupkey[id - 1] != b->dupkey[id - 1])
            return false;
    }
    return true;
}

static void test_expect(void)
{
    didq_recstore *plain = filled(0);
    CHECK(plain->nchunks >= 3, "the records span %zu arena chunks", plain->nchunks);
    const uint64_t guesses[] = {ROWS / 3, ROWS, ROWS + 7, ROWS * 4};
    for (size_t g = 0; g < sizeof guesses / sizeof *guesses; g++) {
        didq_recstore *rs = filled(guesses[g]);
        CHECK(same_store(plain, rs), "expecting %llu records: the same store",
              (unsigned long long)guesses[g]);
        if (guesses[g] >= ROWS) CHECK(rs->cap == guesses[g], "the metadata made once");
        didq_recstore_seal(rs);
        CHECK(rs->ahead == NULL && rs->spare == NULL, "sealing ends the helper");
        didq_recstore_free(rs);
    }
    didq_recstore *rs = filled(ROWS * 2); /* freed unsealed: a load stopped part-way */
    didq_recstore_free(rs);
    didq_recstore_free(plain);
}

int main(void)
{
    test_helper();
    test_expect();
    return test_done();
}
