/* test_widest.c: the longest raw value of each item, which the record
 * store keeps while loading and the explorer sizes its columns with
 * (didq_session_widest): values wider than the data set's usual width
 * count whole, in a loaded session and in the same session saved and
 * opened again; a saved session without them says it does not know. */
#include "didq/dataset.h"
#include "didq/date.h"
#include "didq/session.h"
#include "testdb.h"
#include "testlib.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Synthetic records (tests/tui/data/widths.csv): an 11-digit NHS number,
 * an 11-character test date, a 6-character site, a 64-character accession
 * number, and no SNOMED CT code anywhere. */
static const char csv[] =
    "99900000261,02,2004-09-25,A,1,BD5 7XH,B83025,05,C7268212,RAE,2026-10-07,2026-10-07,"
    "2026-10-07,XCHES,,2026-10-07,RAE01,BR26100007013\n"
    "9990000255,02,2004-09-25,A,1,BD5 7XH,B83025,05,C7268212,RAE,2026-10-07,2026-10-07,"
    "2026-10-021,MKNER,,2026-10-08,RAE01,BR26100007014\n"
    "9997745345,01,1963-04-29,A,1,LS14 9WX,B86071,01,C2553350,RR8,2026-09-28,2026-09-29,"
    "2026-10-01,FBASW,,2026-10-04,RR813X,SJ26100007013\n"
    "9997745345,01,1963-04-29,A,1,LS14 9WX,B86071,01,C2553350,RR8,2026-09-28,2026-09-29,"
    "2026-10-02,XFOOL,,2026-10-02,RR801,"
    "ACC-THIS-ACCESSION-NUMBER-IS-FAR-TOO-LONG-TO-FIT-ANY-COLUMN-0001\n";

static void check_widest(const didq_session *s, const char *what)
{
    static const struct {
        int item, want;
    } cases[] = {
        {DIDQ_NHS_NUMBER, 11}, {DIDQ_TEST_DATE, 11}, {DIDQ_SITE, 6},
        {DIDQ_ACCESSION, 64},  {DIDQ_POSTCODE, 8},   {DIDQ_SNOMED, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int got = didq_session_widest(s, cases[i].item);
        CHECK(got == cases[i].want, "%s: item %d: widest %d, want %d", what, cases[i].item, got,
              cases[i].want);
    }
    CHECK(didq_session_widest(s, -1) == -1, "%s: no item", what);
}

/* Deletes the saved widths, as in a file saved by an older didq. */
static void drop_widths(const char *path)
{
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK, "open %s", path);
    CHECK(sqlite3_exec(db, "DELETE FROM meta WHERE key = 'widths'", NULL, NULL, NULL) == SQLITE_OK,
          "delete widths");
    sqlite3_close(db);
}

int main(void)
{
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    CHECK(s != NULL, "session: %s", err);
    if (!s) return test_done();
    didq_session_load_mem(s, "widths.csv", csv, sizeof csv - 1, NULL, NULL);
    didq_session_finish(s);
    check_widest(s, "loaded");
    char dir[] = "/tmp/didq-widest-XXXXXX", path[64];
    s = save_reopen(s, dir, path, sizeof path, err, sizeof err);
    CHECK(s != NULL, "save and open saved: %s", err);
    if (s) check_widest(s, "saved");
    didq_session_free(s);
    drop_widths(path);
    s = didq_session_open_saved(path, NULL, err, sizeof err);
    CHECK(s != NULL, "open saved without widths: %s", err);
    if (s) CHECK(didq_session_widest(s, DIDQ_NHS_NUMBER) == -1, "not saved: unknown");
    didq_session_free(s);
    unlink(path);
    rmdir(dir);
    return test_done();
}
