/* test_compare_only.c: the lighter load of `didq diff`'s report
 * (didq_session_opts.compare_only) ends without the record store's look-up
 * index by site code, and its session still answers every question as a
 * full one does: a query by site scans instead of finding no record; the
 * rules, files and findings are the same.  And didq_recstore_two_raw, which
 * the diff reads its keys with, gives what didq_recstore_fields_raw gives,
 * values of 127 bytes and more included.  Every load's record store asks
 * for huge pages where the host keeps them, and only there (its arena's
 * mapping is marked so in /proc/self/smaps: didq_xmalloc advises every
 * block of 4 MiB and more, hugepage.h says where). */
#include "didq/dataset.h"
#include "didq/date.h"
#include "didq/session.h"
#include "didq/store.h"
#include "didq/util.h"
#include "recstore.h"
#include "testdb.h"
#include "hugepage.h"
#include "testlib.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Synthetic records: three sites (one padded with spaces, one blank, one
 * absent in a short row), a duplicated key (DIDS071), an accession number
 * of 130 characters (a two-byte length in the store). */
static const char csv[] =
    "9990000026,01,1963-08-22,A,1,LS3 2NE,B86022,01,C5250868,RR8,2026-08-30,2026-08-30,"
    "2026-09-02,XWRIR,,2026-09-02,RR813,LG26090039958\n"
    "9990000026,01,1963-08-22,A,1,LS3 2NE,B86022,01,C5250868,RR8,2026-08-30,2026-08-30,"
    "2026-09-04,UCARB,,2026-09-04,RR813,LG26090039959\n"
    "9990000026,01,1963-08-22,A,1,LS3 2NE,B86022,01,C5250868,RR8,2026-08-30,2026-08-30,"
    "2026-09-04,UCARB,,2026-09-04, RR813 ,LG26090039959\n"
    "9997590813,01,1977-03-05,A,2,HD3 1PY,B85041,01,C5108128,RWY,2026-09-01,2026-09-02,"
    "2026-09-02,XCHES,,2026-09-03,RWY01,"
    "HR2609005405700000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000\n"
    "9993365963,02,1962-09-22,H,2,LS9 6PS,B86071,03,C6340420,RR8,2026-09-08,2026-09-08,"
    "2026-09-11,,,2026-09-12,,SJ26090046967\n"
    "9993365963,02,1962-09-22,H,2,LS9 6PS,B86071,03,C6340420,RR8,2026-09-08\n";

static didq_session *load(bool compare_only)
{
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 10, 1),
                            .compare_only = compare_only};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    CHECK(s != NULL, "session: %s", err);
    if (!s) return NULL;
    didq_session_load_mem(s, "pair.csv", csv, sizeof csv - 1, NULL, NULL);
    didq_session_finish(s);
    return s;
}

/* The rows of a query, one line each, tab between columns. */
static char *rows_of(didq_session *s, const char *sql)
{
    didq_buf b = {0};
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(q); i++) {
            const unsigned char *t = sqlite3_column_text(q, i);
            didq_buf_printf(&b, "%s%s", i ? "\t" : "", t ? (const char *)t : "NULL");
        }
        didq_buf_puts(&b, "\n");
    }
    sqlite3_finalize(q);
    return b.p ? b.p : didq_strdup("");
}

static void same_rows(didq_session *full, didq_session *lean, const char *sql)
{
    char *a = rows_of(full, sql), *b = rows_of(lean, sql);
    CHECK(strcmp(a, b) == 0, "%s: full\n%s\ncompare-only\n%s", sql, a, b);
    free(a);
    free(b);
}

static void check_sessions(didq_session *full, didq_session *lean)
{
    CHECK(didq_recstore_has_lookup(didq_session_recstore(full)), "full: the site look-up");
    CHECK(!didq_recstore_has_lookup(didq_session_recstore(lean)), "compare-only: no look-up");
    sqlite3 *fdb = didq_session_db(full), *ldb = didq_session_db(lean);
    CHECK(count_where(fdb, "site = 'RR813'") == 3, "full: RR813 has 3 records, not %lld",
          (long long)count_where(fdb, "site = 'RR813'"));
    CHECK(count_where(ldb, "site = 'RR813'") == 3, "compare-only: RR813 has 3 records, not %lld",
          (long long)count_where(ldb, "site = 'RR813'"));
    CHECK(count_where(ldb, "site = 'RWY01'") == 1, "compare-only: RWY01");
    CHECK(count_where(ldb, "site = ''") == count_where(fdb, "site = ''"), "blank site");
    CHECK(count_where(ldb, "site = 'NONE'") == 0, "no such site");
    same_rows(full, lean, "SELECT id, site FROM records WHERE site = 'RR813' ORDER BY id");
    same_rows(full, lean, "SELECT site, count(*) FROM records GROUP BY site ORDER BY site");
    same_rows(full, lean, "SELECT * FROM rules ORDER BY id");
    same_rows(full, lean, "SELECT * FROM items ORDER BY id");
    same_rows(
        full, lean,
        "SELECT id, path, records, err_records, warn_records, verdict FROM files ORDER BY id");
    same_rows(full, lean, "SELECT rec, rule, item FROM findings ORDER BY rec, rule, item");
}

/* didq_recstore_two_raw against didq_recstore_fields_raw, record by record. */
static void check_two_raw(const didq_recstore *rs)
{
    int n = didq_recstore_nitems(rs), pairs[][2] = {{DIDQ_SITE, DIDQ_ACCESSION},
                                                    {DIDQ_ACCESSION, DIDQ_SITE},
                                                    {0, DIDQ_TEST_DATE},
                                                    {DIDQ_SNOMED, 1}};
    int long_seen = 0;
    for (uint32_t id = 1; id <= didq_recstore_count(rs); id++) {
        const char *v[DIDQ_MAX_ITEMS], *w[2];
        uint32_t len[DIDQ_MAX_ITEMS], wl[2], span, wspan;
        const unsigned char *raw, *wraw;
        didq_recstore_fields_raw(rs, id, n, v, len, &raw, &span);
        long_seen |= len[DIDQ_ACCESSION] >= 127;
        for (size_t p = 0; p < sizeof pairs / sizeof *pairs; p++) {
            didq_recstore_two_raw(rs, id, n, pairs[p], w, wl, &wraw, &wspan);
            CHECK(wraw == raw && wspan == span, "record %u pair %zu: span %u, want %u", id, p,
                  wspan, span);
            for (int k = 0; k < 2; k++)
                CHECK(w[k] == v[pairs[p][k]] && wl[k] == len[pairs[p][k]],
                      "record %u item %d: value differs", id, pairs[p][k]);
        }
    }
    CHECK(long_seen, "a value of 127 bytes or more was read");
}

/* Whether the mapping holding p is marked for huge pages ("hg" in its
 * VmFlags in /proc/self/smaps); -1 when that is not known. */
static int huge_mapped(const void *p)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f) return -1;
    char line[1024];
    int in = 0, res = -1;
    uintptr_t a = (uintptr_t)p;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) { /* a mapping's first line */
            in = a >= lo && a < hi;
        } else if (in && strncmp(line, "VmFlags:", 8) == 0) {
            res = strstr(line, " hg") != NULL;
            break;
        }
    }
    fclose(f);
    return res;
}

/* The arena chunk holding record 1 of s: marked for huge pages when want
 * and the host keeps them (hugepage.h). */
static void check_huge(didq_session *s, int want, const char *what)
{
    const didq_recstore *rs = didq_session_recstore(s);
    const char *v[DIDQ_MAX_ITEMS];
    uint32_t len[DIDQ_MAX_ITEMS], span;
    const unsigned char *raw;
    didq_recstore_fields_raw(rs, 1, didq_recstore_nitems(rs), v, len, &raw, &span);
    /* 3 MiB on: inside the arena's first chunk (32 MiB), past its first
     * 2 MiB boundary, before which the block is not advised (util.c) */
    int got = huge_mapped(raw + (3 << 20));
    if (got < 0) return; /* no /proc/self/smaps */
    want = want && didq_huge_pages();
    CHECK(got == want, "%s: the arena is %smarked for huge pages", what, got ? "" : "not ");
}

int main(void)
{
    didq_session *full = load(false), *lean = load(true);
    if (full && lean) {
        check_sessions(full, lean);
        check_two_raw(didq_session_recstore(lean));
        /* only where the kernel has transparent huge pages */
        if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0) {
            check_huge(lean, 1, "compare-only");
            check_huge(full, 1, "full");
        }
    }
    didq_session_free(full);
    didq_session_free(lean);
    return test_done();
}
