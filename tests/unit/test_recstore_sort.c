/* test_recstore_sort.c: an item's order made in C (recstore_sort.c) equals
 * SQLite's ORDER BY coalesce(fN, ''), id over the same records, for values
 * chosen to stress the radix sort: absent and empty, equal, prefixes
 * shared past 16 and 32 bytes, lengths that differ only at the end, bytes
 * over 0x7F; and the table `walk` pages it from anchors both ways.  The
 * orders made by the background builder (didq_recstore_prebuild), while
 * this thread asks for them in the other order, are the same; a build
 * told to stop gives nothing; freeing a session stops the builder.  The
 * ids take 3 bytes each, and 4 (as past 2^24 records) give the same. */
#include "didq/date.h"
#include "didq/query.h"
#include "recstore_int.h"
#include "didq/store.h"
#include "didq/util.h"
#include "testlib.h"

#include <stdlib.h>

enum { ROWS = 3000, BIG_ROWS = 70000, ITEM = 15 }; /* 15: the accession number, free text */

static unsigned rnd_state = 12345;

static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) % n;
}

/* A value of the stress set (may be empty). */
static void value(didq_buf *b)
{
    static const char *const stems[] = {"",
                                        "A",
                                        "AB",
                                        "ABCDEFGHIJKLMNOP",
                                        "ABCDEFGHIJKLMNOPQ",
                                        "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
                                        "\xc3\xa9t\xc3\xa9",
                                        "RAD00000",
                                        "rad0",
                                        "Z"};
    didq_buf_puts(b, stems[rnd(10)]);
    for (unsigned k = rnd(4); k > 0; k--)
        didq_buf_printf(b, "%c", "0A a~\x7f"[rnd(6)]);
}

static char *make_csv(int rows, size_t *len)
{
    didq_buf b = {0};
    for (int r = 0; r < rows; r++) {
        for (int i = 0; i < DIDQ_V1_ITEMS; i++) {
            if (i) didq_buf_puts(&b, ",");
            if (i == ITEM && rnd(20)) value(&b);          /* 1 in 20 absent: ",," */
            if (i == 0) didq_buf_printf(&b, "%d", r % 7); /* many equal values */
        }
        didq_buf_puts(&b, "\n");
    }
    *len = b.n;
    return b.p;
}

/* The id at position i of an order (3 or 4 bytes an id: recstore_int.h). */
static uint32_t id_at(const didq_recstore *rs, const unsigned char *order, uint64_t i)
{
    return didq_order_id(order, rs->order_width, i);
}

static void test_order(didq_session *s, didq_recstore *rs, int item)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id FROM records ORDER BY coalesce(f%d, ''), id", item + 1);
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql);
    const unsigned char *order = didq_recstore_order(rs, item);
    uint32_t i = 0, bad = 0;
    while (sqlite3_step(q) == SQLITE_ROW && i < didq_recstore_count(rs))
        bad += id_at(rs, order, i++) != (uint32_t)sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    CHECK(i == didq_recstore_count(rs) && bad == 0, "item %d: %u of %u ids out of place", item, bad,
          i);
    for (i = 0; i < didq_recstore_count(rs); i += 37)
        CHECK(didq_recstore_order_pos(rs, item, id_at(rs, order, i)) == i,
              "item %d: position of %u", item, id_at(rs, order, i));
}

/* walk from the record at position p, up or down, k rows. */
static void test_walk(didq_session *s, const unsigned char *order, uint32_t n, uint32_t p, int up)
{
    const didq_recstore *rs = didq_session_recstore(s);
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT id FROM walk WHERE item = %d AND up = %d AND after = %u ORDER BY step LIMIT 5",
             ITEM, up, id_at(rs, order, p));
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql);
    int got = 0;
    for (int64_t at = (int64_t)p + (up ? -1 : 1); sqlite3_step(q) == SQLITE_ROW; got++) {
        CHECK(at >= 0 && at < n && sqlite3_column_int64(q, 0) == id_at(rs, order, (uint64_t)at),
              "walk from %u", p);
        at += up ? -1 : 1;
    }
    int64_t want = up ? (p < 5 ? p : 5) : (n - 1 - p < 5 ? n - 1 - p : 5);
    CHECK(got == want, "walk from %u up %d: %d rows, want %lld", p, up, got, (long long)want);
    sqlite3_finalize(q);
}

static didq_session *loaded(const char *csv, size_t len, bool prebuild)
{
    char err[256];
    didq_session_opts o = {.submitted = didq_date_from_ymd(2026, 10, 1)};
    didq_session *s = didq_session_new(&o, err, sizeof err);
    didq_session_load_mem(s, "sort.csv", csv, len, NULL, NULL);
    if (prebuild) CHECK(didq_session_prebuild_orders(s), "the builder starts");
    if (prebuild) CHECK(!didq_session_prebuild_orders(s), "and only once");
    didq_session_finish(s);
    return s;
}

/* The item asked for next (the cursor's column) is made first, the others
 * in column order. */
static void test_next(const char *csv, size_t len)
{
    didq_session *s = loaded(csv, len, false);
    didq_recstore *rs = (didq_recstore *)didq_session_recstore(s);
    int seq[DIDQ_MAX_ITEMS], last = DIDQ_V1_ITEMS - 1;
    didq_session_prebuild_next(s, last);
    CHECK(didq_session_prebuild_orders(s), "the builder starts after the end of the load");
    int made = didq_recstore_prebuild_wait(rs, seq);
    CHECK(made == DIDQ_V1_ITEMS && seq[0] == last, "made %d orders, first %d", made, seq[0]);
    for (int i = 1; i < made; i++)
        CHECK(seq[i] == i - 1, "order %d made %dth", seq[i], i + 1);
    test_order(s, rs, last);
    didq_session_free(s);
}

/* Whether the builder made each of its made orders once, a valid item. */
static bool made_once(const int *seq, int made)
{
    bool seen[DIDQ_MAX_ITEMS] = {false};
    for (int i = 0; i < made; i++) {
        if (seq[i] < 0 || seq[i] >= DIDQ_V1_ITEMS || seen[seq[i]]) return false;
        seen[seq[i]] = true;
    }
    return true;
}

/* The builder races this thread, which asks for the orders last first. */
static void test_prebuild(const char *csv, size_t len)
{
    didq_session *s = loaded(csv, len, true);
    didq_recstore *rs = (didq_recstore *)didq_session_recstore(s);
    for (int item = DIDQ_V1_ITEMS - 1; item >= 0; item--)
        test_order(s, rs, item);
    int seq[DIDQ_MAX_ITEMS];
    int made = didq_recstore_prebuild_wait(rs, seq);
    CHECK(made <= DIDQ_V1_ITEMS && made_once(seq, made), "the builder made %d orders, each once",
          made);
    didq_session_free(s);
    s = loaded(csv, len, true);
    rs = (didq_recstore *)didq_session_recstore(s);
    made = didq_recstore_prebuild_wait(rs, NULL);
    CHECK(made == DIDQ_V1_ITEMS, "left alone, the builder made %d orders", made);
    for (int item = 0; item < DIDQ_V1_ITEMS; item++)
        test_order(s, rs, item);
    atomic_bool stop;
    atomic_init(&stop, true);
    CHECK(didq_order_build(rs, ITEM, false, &stop, NULL) == NULL, "a stopped build gives nothing");
    didq_session_free(s);
    didq_session_free(loaded(csv, len, true)); /* stops the builder at once */
    test_next(csv, len);
}

int main(void)
{
    size_t len;
    char *csv = make_csv(ROWS, &len);
    didq_session *s = loaded(csv, len, false);
    didq_recstore *rs = (didq_recstore *)didq_session_recstore(s);
    CHECK(didq_recstore_count(rs) == ROWS, "%u records", didq_recstore_count(rs));
    for (int item = 0; item < DIDQ_V1_ITEMS; item++)
        test_order(s, rs, item);
    const unsigned char *order = didq_recstore_order(rs, ITEM);
    for (uint32_t p = 0; p < ROWS; p += ROWS / 7)
        for (int up = 0; up < 2; up++)
            test_walk(s, order, ROWS, p, up);
    test_walk(s, order, ROWS, ROWS - 1, 0);
    test_walk(s, order, ROWS, 0, 1);
    CHECK(didq_recstore_order(rs, DIDQ_V1_ITEMS + 5) == NULL, "an item out of range");
    CHECK(rs->order_width == 3, "ids of 3 bytes under 2^24 records, not %u", rs->order_width);
    didq_session_free(s);
    /* ids of 4 bytes, as past 2^24 records: the same orders and walks */
    setenv("DIDQ_ORDER_WIDTH", "4", 1);
    s = loaded(csv, len, false);
    rs = (didq_recstore *)didq_session_recstore(s);
    for (int item = 0; item < DIDQ_V1_ITEMS; item += 5)
        test_order(s, rs, item);
    order = didq_recstore_order(rs, ITEM);
    for (uint32_t p = 0; p < ROWS; p += ROWS / 3)
        test_walk(s, order, ROWS, p, 0);
    CHECK(rs->order_width == 4, "DIDQ_ORDER_WIDTH=4: ids of %u bytes", rs->order_width);
    didq_session_free(s);
    unsetenv("DIDQ_ORDER_WIDTH");
    test_prebuild(csv, len);
    free(csv);
    csv = make_csv(BIG_ROWS, &len); /* values read on two threads */
    s = loaded(csv, len, true);
    rs = (didq_recstore *)didq_session_recstore(s);
    test_order(s, rs, ITEM);
    test_order(s, rs, 0);
    int seq[DIDQ_MAX_ITEMS];
    int made = didq_recstore_prebuild_wait(rs, seq);
    /* It made every order but the two this thread asked for (or one of
     * them, or both, if it got there first), each once and right. */
    CHECK(made >= DIDQ_V1_ITEMS - 2 && made <= DIDQ_V1_ITEMS && made_once(seq, made),
          "the builder made %d orders beside this thread's two", made);
    for (int i = 0; i < made; i++)
        test_order(s, rs, seq[i]);
    didq_session_free(s);
    free(csv);
    return test_done();
}
