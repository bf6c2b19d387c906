/* test_completeness.c: the Completeness pane's Invalid counts a filled
 * value that breaks a rule about it, never a blank one (DIDS073, all six
 * demographic items blank, lands on the blank NHS number) nor a ZZ99
 * pseudo-postcode whose only fault is being the only demographic item
 * (DIDS074); the Overview's summary averages the mandatory items with
 * NICIP and SNOMED CT as one, and names the three least filled items.  The
 * same numbers in a loaded session and once it is saved and opened. */
#include "didq/date.h"
#include "didq/query.h"
#include "didq/session.h"
#include "didq/store.h"
#include "testdb.h"
#include "testlib.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The clean row of tests/cli/lib.sh, then: NHS number failing its check
 * (DIDS001); all six demographic items blank (DIDS073); a ZZ99 postcode
 * the only one (DIDS074); "ZZ99" alone, not a postcode (DIDS017 and
 * DIDS074) and no site; a SNOMED CT code without NICIP. */
static const char csv[] =
    "9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,2018-07-02,"
    "2018-07-03,XABDO,,2018-07-04,RR864,ACC1\n"
    "1234567890,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,2018-07-02,"
    "2018-07-03,XABDO,,2018-07-04,RR864,ACC2\n"
    ",01,,,,,,04,G0717294,A81015,2018-07-01,2018-07-02,"
    "2018-07-03,XABDO,,2018-07-04,RR864,ACC3\n"
    ",01,,,,ZZ99 3WZ,,04,G0717294,A81015,2018-07-01,2018-07-02,"
    "2018-07-03,XABDO,,2018-07-04,RR864,ACC4\n"
    ",01,,,,ZZ99,,04,G0717294,A81015,2018-07-01,2018-07-02,"
    "2018-07-03,XABDO,,2018-07-04,,ACC5\n"
    "9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,,A81015,2018-07-01,2018-07-02,"
    "2018-07-03,,417905003,2018-07-04,RR864,ACC6\n";

static void check(didq_session *s, const char *what)
{
    sqlite3 *db = didq_session_db(s);
    didq_qtable *c = didq_query_completeness(s);
    const char *want[][3] = {{"NHS_NUMBER", "3", "1"}, {"POSTCODE", "1", "1"}};
    for (int k = 0; k < 2; k++) {
        size_t r = 0;
        while (r < c->nrows && strcmp(didq_qtable_cell(c, r, 0), want[k][0]) != 0)
            r++;
        CHECK(r < c->nrows, "%s: row %s", what, want[k][0]);
        if (r == c->nrows) continue;
        CHECK(strcmp(didq_qtable_cell(c, r, 3), want[k][1]) == 0, "%s: %s blank %s, want %s", what,
              want[k][0], didq_qtable_cell(c, r, 3), want[k][1]);
        CHECK(strcmp(didq_qtable_cell(c, r, 4), want[k][2]) == 0, "%s: %s invalid %s, want %s",
              what, want[k][0], didq_qtable_cell(c, r, 4), want[k][2]);
        const char *w = c->where[r * (size_t)c->ncols + 4];
        CHECK(w && count_where(db, w) == atoi(want[k][2]), "%s: %s invalid drill-down %s", what,
              want[k][0], w ? w : "(none)");
    }
    didq_qtable_free(c);

    didq_overview o;
    didq_query_overview(s, &o);
    /* M items: setting, test date, NICIP or SNOMED CT (every record; the
     * SNOMED CT code alone is in one), site (5 of 6), accession:
     * (4 * 100 + 83.33) / 5.  The least filled: three items blank in half the
     * records, the first in item order (SNOMED CT is not one of them). */
    CHECK(o.mandatory_filled > 96.66 && o.mandatory_filled < 96.67, "%s: mandatory %.3f", what,
          o.mandatory_filled);
    CHECK(o.nworst == 3, "%s: %d worst", what, o.nworst);
    const char *names[3] = {"NHS number", "Birth date", "Ethnic"};
    for (int i = 0; i < o.nworst && i < 3; i++)
        CHECK(strcmp(o.worst[i].name, names[i]) == 0 && o.worst[i].filled > 49.99 &&
                  o.worst[i].filled < 50.01,
              "%s: worst %d %s %.1f", what, i, o.worst[i].name, o.worst[i].filled);
    didq_overview_free(&o);
}

int main(void)
{
    char err[256], dir[] = "/tmp/didq-compl-XXXXXX", path[64];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2018, 8, 1)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    didq_session_load_mem(s, "c.csv", csv, sizeof csv - 1, NULL, NULL);
    didq_session_finish(s);
    check(s, "loaded");
    s = save_reopen(s, dir, path, sizeof path, err, sizeof err);
    CHECK(s != NULL, "save and open saved: %s", err);
    if (s) {
        check(s, "saved");
        didq_session_free(s);
    }
    unlink(path);
    rmdir(dir);
    return test_done();
}
