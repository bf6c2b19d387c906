/* test_list_nav.c: the record lists' navigation (issue 18): a search finds
 * finding codes (a record's own, and file-level ones on its line) as well
 * as field text, in the list's order whatever it is (file order, sorted by
 * an item up or down, ties by id), forward and backward, in a session in
 * memory (the walk) and in a saved one (SQL); didq_list_at_line finds the
 * record at a file's line, and none where the list has none. */
#include "didq/date.h"
#include "didq/query.h"
#include "didq/session.h"
#include "didq/util.h"
#include "testdb.h"
#include "testlib.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A clean row to the accession number (fires nothing at 2018-08-01). */
#define PRE                                                                                        \
    "9434765919,01,1945-06-21,%s,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,2018-07-02,"       \
    "2018-07-03,XABDO,417905003,2018-07-04,RR864,%s\n"

enum { MAXR = 64 };

/* a.csv: DIDS012 (ethnic I) on some records, an accession number holding
 * the text "dids012" on one without the finding, a short row (DIDS075) at
 * line 5; b.csv: more of the same.  Accession numbers out of file order,
 * ethnic categories with ties, so that sorted orders differ. */
static void add(didq_session *s, const char *name, const char *const rows[][2], int n)
{
    didq_buf b = {0};
    for (int i = 0; i < n; i++) {
        if (!rows[i][0])
            didq_buf_puts(&b, rows[i][1]); /* a raw line */
        else
            didq_buf_printf(&b, PRE, rows[i][0], rows[i][1]);
    }
    didq_session_load_mem(s, name, b.p, b.n, NULL, NULL);
    didq_buf_free(&b);
}

static didq_session *load(void)
{
    static const char *const a[][2] = {
        {"A", "K7"},
        {"I", "B2"},
        {"A", "X-dids012-1"},
        {"I", "A9"},
        {NULL, "9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,"
               "2018-07-02,2018-07-03,XABDO,417905003,2018-07-04,RR864\n"},
        {"B", "C1"},
        {"I", "K7B"},
    };
    static const char *const b[][2] = {{"I", "AA"}, {"A", "ZZ"}, {"I", "B2"}};
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2018, 8, 1)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    add(s, "a.csv", a, 7);
    add(s, "b.csv", b, 3);
    didq_session_finish(s);
    return s;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t m = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t k = 0;
        while (k < m && p[k] && tolower((unsigned char)p[k]) == tolower((unsigned char)needle[k]))
            k++;
        if (k == m) return true;
    }
    return false;
}

/* The ids of the list's rows (in its order) that the search should find:
 * a field or a finding code containing text. */
static int expected(didq_list *l, const char *text, int64_t *ids)
{
    didq_row rows[MAXR];
    int n = didq_list_fetch(l, NULL, false, false, rows, MAXR), k = 0;
    for (int i = 0; i < n; i++) {
        bool hit = contains_ci(rows[i].codes, text);
        for (int f = 0; f < DIDQ_V1_ITEMS; f++)
            hit = hit || contains_ci(rows[i].f[f], text);
        if (hit) ids[k++] = rows[i].id;
        didq_row_clear(&rows[i]);
    }
    return k;
}

/* The ids the search visits from one end to the other. */
static int visited(didq_list *l, const char *text, bool backward, int64_t *ids)
{
    didq_row at = {0}, hit;
    int k = 0;
    bool first = true;
    while (k < MAXR && didq_list_search(l, first ? NULL : &at, text, backward, false, &hit)) {
        ids[k++] = hit.id;
        didq_row_clear(&at);
        at = hit;
        first = false;
    }
    didq_row_clear(&at);
    return k;
}

static void searches(didq_list *l, const char *what)
{
    static const char *const texts[] = {"DIDS012", "dids012", "DIDS075", "dids01", "K7"};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        int64_t want[MAXR], got[MAXR], back[MAXR];
        int nw = expected(l, texts[t], want), ng = visited(l, texts[t], false, got),
            nb = visited(l, texts[t], true, back);
        bool same = nw == ng && nw == nb && nw > 0;
        for (int i = 0; same && i < nw; i++)
            same = want[i] == got[i] && want[i] == back[nw - 1 - i];
        CHECK(same, "%s: search '%s' visits %d forward, %d backward, want %d in list order", what,
              texts[t], ng, nb, nw);
    }
}

static void orders(didq_session *s, const char *kind)
{
    didq_list *l = didq_list_new(s, NULL);
    char what[80];
    /* file order; by accession number (item 17) up and down; by ethnic
     * category (item 3: ties, broken by id) up and down */
    static const int items[] = {-1, 17, 17, 3, 3};
    for (int i = 0; i < 5; i++) {
        didq_list_sort(l, items[i], i == 2 || i == 4);
        snprintf(what, sizeof what, "%s, sort %d%s", kind, items[i],
                 i == 2 || i == 4 ? " desc" : "");
        searches(l, what);
    }
    didq_list_free(l);
}

static void at_line(didq_session *s, const char *kind)
{
    didq_list *l = didq_list_new(s, NULL);
    didq_list_sort(l, 17, true);
    didq_row r;
    CHECK(didq_list_at_line(l, "b.csv", 2, &r) && r.line == 2 && strcmp(r.file, "b.csv") == 0 &&
              strcmp(r.f[17], "ZZ") == 0,
          "%s: line 2 of b.csv", kind);
    /* the row comes with its key: the list reads on from it */
    didq_row next;
    CHECK(didq_list_fetch(l, &r, false, false, &next, 1) == 1 &&
              strcmp(next.f[17], "X-dids012-1") == 0,
          "%s: the row after it in the list's order", kind);
    didq_row_clear(&next);
    didq_row_clear(&r);
    CHECK(didq_list_at_line(l, NULL, 3, &r) && strcmp(r.file, "a.csv") == 0, "%s: any file", kind);
    didq_row_clear(&r);
    CHECK(!didq_list_at_line(l, "b.csv", 4, &r), "%s: b.csv has no line 4", kind);
    CHECK(!didq_list_at_line(l, "a.csv", 99, &r), "%s: nor a.csv line 99", kind);
    didq_list_free(l);
    l = didq_list_new(s, "r.file = 2");
    CHECK(!didq_list_at_line(l, "a.csv", 2, &r), "%s: a.csv is not in the list", kind);
    CHECK(didq_list_at_line(l, NULL, 2, &r) && strcmp(r.file, "b.csv") == 0,
          "%s: line 2 of the list's file", kind);
    didq_row_clear(&r);
    didq_list_free(l);
}

int main(void)
{
    didq_session *s = load();
    orders(s, "in memory");
    at_line(s, "in memory");
    char dir[] = "/tmp/didq-nav-XXXXXX", path[256], err[256];
    s = save_reopen(s, dir, path, sizeof path, err, sizeof err);
    CHECK(s != NULL, "saved and reopened: %s", err);
    if (s) {
        orders(s, "saved");
        at_line(s, "saved");
        didq_session_free(s);
    }
    unlink(path);
    rmdir(dir);
    return test_done();
}
