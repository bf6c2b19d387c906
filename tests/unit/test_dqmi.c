/* test_dqmi.c: the DQMI-style (local) score on a hand-checked example.
 *
 * Items: ethnic category (defaults 99 and Z, threshold 0.1), gender
 * (defaults 0 and 9, threshold 0), NHS number (no defaults).  The July
 * file, site RR864, 10 records: ethnic A x4, Z x3, 99, blank, Q (invalid);
 * gender 9 once; NHS number blank once.
 *   ethnic: valid 10 - 1 - 1 = 8, defaults 4, allowed 1, excess 3:
 *           (8 - 3) / 10 = 50.0
 *   gender: valid 10, defaults 1, allowed 0, excess 1: 90.0
 *   NHS number: valid 9: 90.0
 *   mean 76.667, one month of one: score 76.667; costs most: ethnic,
 *   gender, NHS number (ties in the file's order).
 * With a September file of two clean records at RAE01 as well (12
 * records, months July to September expected, two submitted):
 *   ethnic: valid 10, defaults 4, allowed 1.2, excess 2.8: 7.2 / 12 = 60.0
 *   gender: 11 / 12 = 91.667; NHS number 11 / 12 = 91.667
 *   mean 81.111 x 2/3 = 54.074; RR864: 76.667 x 1/3 = 25.556; RAE01:
 *   100 x 1/3 = 33.333.
 * The same in a loaded session and once saved and opened. */
#include "didq/date.h"
#include "didq/dqmi.h"
#include "didq/session.h"
#include "didq/util.h"
#include "testdb.h"
#include "testlib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char spec_csv[] = "# a comment\n"
                               "item,defaults,threshold\n"
                               "ETHNIC_CATEGORY,99 Z,0.1\n"
                               "PERSON_GENDER_CODE,0 9,0\n"
                               "NHS_NUMBER,,0\n";

/* A record of the clean row (tests/cli/lib.sh) with its NHS number,
 * ethnic category, gender, site, accession and month. */
static void row(didq_buf *b, const char *nhs, const char *eth, const char *gen, const char *site,
                int n, int month)
{
    didq_buf_printf(b,
                    "%s,01,1945-06-21,%s,%s,LS1 4HR,A81015,04,G0717294,A81015,2018-%02d-01,"
                    "2018-%02d-02,2018-%02d-03,XABDO,417905003,2018-%02d-04,%s,ACC%04d\n",
                    nhs, eth, gen, month, month, month, month, site, n);
}

static char *july(size_t *len)
{
    static const char *eth[10] = {"A", "A", "A", "A", "Z", "Z", "Z", "99", "", "Q"};
    didq_buf b = {0};
    for (int i = 0; i < 10; i++)
        row(&b, i == 3 ? "" : "9434765919", eth[i], i == 5 ? "9" : "2", "RR864", i, 7);
    *len = b.n;
    return b.p;
}

static char *september(size_t *len)
{
    didq_buf b = {0};
    for (int i = 0; i < 2; i++)
        row(&b, "9434765919", "A", "2", "RAE01", 100 + i, 9);
    *len = b.n;
    return b.p;
}

static bool near(double a, double b)
{
    return fabs(a - b) < 0.001;
}

static const didq_dqmi_part *site(const didq_dqmi *d, const char *code)
{
    for (size_t i = 0; i < d->nsites; i++)
        if (strcmp(d->sites[i].site, code) == 0) return &d->sites[i];
    return NULL;
}

static void check_july(didq_session *s, const didq_dqmi_spec *sp, const char *what)
{
    didq_dqmi *d = didq_dqmi_compute(s, sp);
    const didq_dqmi_part *o = &d->overall;
    CHECK(o->records == 10, "%s: records %llu", what, (unsigned long long)o->records);
    const didq_dqmi_score *e = &o->items[0], *g = &o->items[1], *n = &o->items[2];
    CHECK(e->blank == 1 && e->invalid == 1 && e->valid == 8 && e->defaults == 4,
          "%s: ethnic blank %llu invalid %llu valid %llu defaults %llu", what,
          (unsigned long long)e->blank, (unsigned long long)e->invalid,
          (unsigned long long)e->valid, (unsigned long long)e->defaults);
    CHECK(near(e->allowed, 1) && near(e->excess, 3) && near(e->score, 50), "%s: ethnic %g %g %g",
          what, e->allowed, e->excess, e->score);
    CHECK(g->defaults == 1 && near(g->excess, 1) && near(g->score, 90), "%s: gender %llu %g", what,
          (unsigned long long)g->defaults, g->score);
    CHECK(n->blank == 1 && n->defaults == 0 && near(n->score, 90), "%s: NHS number %g", what,
          n->score);
    CHECK(near(o->mean, 230.0 / 3) && near(o->coverage, 1) && near(o->score, 230.0 / 3),
          "%s: mean %g coverage %g score %g", what, o->mean, o->coverage, o->score);
    CHECK(o->months_submitted == 1 && o->months_expected == 1, "%s: months %d/%d", what,
          o->months_submitted, o->months_expected);
    CHECK(o->ncostly == 3 && o->costly[0] == 0 && o->costly[1] == 1 && o->costly[2] == 2,
          "%s: costly %d: %d %d %d", what, o->ncostly, o->costly[0], o->costly[1], o->costly[2]);
    CHECK(d->nsites == 1 && strcmp(d->sites[0].site, "RR864") == 0 &&
              near(d->sites[0].score, o->score),
          "%s: sites %zu", what, d->nsites);
    char line[256];
    didq_dqmi_line(d, line, sizeof line);
    const char *want = "DQMI-style (local) 76.7 (items 76.7 x coverage 1/1 months)";
    CHECK(strncmp(line, want, strlen(want)) == 0 &&
              strstr(line, "most points lost: Ethnic 50.0, Gender 10.0, NHS number 10.0"),
          "%s: line '%s'", what, line);
    didq_dqmi_free(d);
}

static void check_two(didq_session *s, const didq_dqmi_spec *sp, const char *what)
{
    didq_dqmi *d = didq_dqmi_compute(s, sp);
    const didq_dqmi_part *o = &d->overall;
    CHECK(o->records == 12 && o->months_submitted == 2 && o->months_expected == 3,
          "%s: records %llu months %d/%d", what, (unsigned long long)o->records,
          o->months_submitted, o->months_expected);
    CHECK(near(o->items[0].excess, 2.8) && near(o->items[0].score, 60), "%s: ethnic %g %g", what,
          o->items[0].excess, o->items[0].score);
    CHECK(near(o->items[1].score, 1100.0 / 12) && near(o->items[2].score, 1100.0 / 12),
          "%s: gender %g NHS %g", what, o->items[1].score, o->items[2].score);
    double mean = (60 + 2 * 1100.0 / 12) / 3;
    CHECK(near(o->mean, mean) && near(o->score, mean * 2 / 3), "%s: mean %g score %g", what,
          o->mean, o->score);
    const didq_dqmi_part *r = site(d, "RR864"), *a = site(d, "RAE01");
    CHECK(r && r->months_submitted == 1 && r->months_expected == 3 && near(r->score, 230.0 / 3 / 3),
          "%s: RR864 %g", what, r ? r->score : -1);
    CHECK(a && a->records == 2 && near(a->mean, 100) && a->ncostly == 0 &&
              near(a->score, 100.0 / 3),
          "%s: RAE01 %g", what, a ? a->score : -1);
    didq_dqmi_free(d);
}

static void check_spec_errors(void)
{
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"item,defaults,threshold\nETHNIC_CATEGORY,99,0.1\nNO_SUCH_ITEM,,0\n",
         "x.csv:3: unknown item 'NO_SUCH_ITEM'"},
        {"item,defaults,threshold\nETHNIC_CATEGORY,99,1.5\n",
         "x.csv:2: threshold '1.5' is not a share from 0 to 1"},
        {"item,defaults,threshold\nETHNIC_CATEGORY,99,\n",
         "x.csv:2: threshold '' is not a share from 0 to 1"},
        {"item,defaults,threshold\nETHNIC_CATEGORY,,0\nETHNIC_CATEGORY,,0\n",
         "x.csv:3: item 'ETHNIC_CATEGORY' given twice"},
        {"item,defaults\nETHNIC_CATEGORY,99\n",
         "x.csv:1: the header must name the columns item, defaults and threshold"},
        {"item,defaults,threshold\nETHNIC_CATEGORY,1 2 3 4 5 6 7 8 9,0\n",
         "x.csv:2: more than 8 default values"},
        {"item,defaults,threshold\nETHNIC_CATEGORY,0123456789abcdef,0\n",
         "x.csv:2: a default value longer than 15 characters"},
        {"item,defaults,threshold\n", "x.csv:1: no item"},
        {"", "x.csv:1: no header line"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        didq_dqmi_spec sp;
        char err[256] = "";
        int rc =
            didq_dqmi_spec_parse(&sp, "x.csv", bad[i].text, strlen(bad[i].text), err, sizeof err);
        CHECK(rc == -1 && strcmp(err, bad[i].want) == 0, "case %zu: rc %d '%s', want '%s'", i, rc,
              err, bad[i].want);
    }
    didq_dqmi_spec sp;
    char err[256];
    CHECK(didq_dqmi_spec_load(&sp, "/nonexistent/dqmi.csv", err, sizeof err) == -2 &&
              strncmp(err, "/nonexistent/dqmi.csv: ", 23) == 0,
          "unreadable: '%s'", err);
    didq_dqmi_spec_default(&sp);
    CHECK(sp.n == 14 && strcmp(sp.name, "refdata/dqmi.csv") == 0, "built-in: %d items", sp.n);
}

static void check_arithmetic(void)
{
    /* defaults within the threshold cost nothing; the excess is not below 0 */
    didq_dqmi_score s = didq_dqmi_item_score(200, 10, 5, 8, 0.05);
    CHECK(s.valid == 185 && near(s.allowed, 10) && near(s.excess, 0) && near(s.score, 92.5),
          "within: %g %g", s.excess, s.score);
    s = didq_dqmi_item_score(200, 0, 0, 30, 0.05);
    CHECK(near(s.excess, 20) && near(s.score, 90), "excess: %g %g", s.excess, s.score);
    s = didq_dqmi_item_score(0, 0, 0, 0, 0.05);
    CHECK(s.score < 0, "no records: %g", s.score);
}

int main(void)
{
    char err[256], dir[] = "/tmp/didq-dqmi-XXXXXX", dir2[] = "/tmp/didq-dqmi-XXXXXX", path[64];
    didq_dqmi_spec sp;
    CHECK(didq_dqmi_spec_parse(&sp, "spec", spec_csv, sizeof spec_csv - 1, err, sizeof err) == 0,
          "spec: %s", err);
    check_spec_errors();
    check_arithmetic();

    size_t n1, n2;
    char *j = july(&n1), *sep = september(&n2);
    didq_session_opts so = {.submitted = didq_date_from_ymd(2018, 8, 1)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    didq_session_load_mem(s, "july.csv", j, n1, NULL, NULL);
    didq_session_finish(s);
    check_july(s, &sp, "july loaded");
    s = save_reopen(s, dir, path, sizeof path, err, sizeof err);
    CHECK(s != NULL, "save and open: %s", err);
    if (s) check_july(s, &sp, "july saved");
    didq_session_free(s);
    unlink(path);
    rmdir(dir);

    so.submitted = didq_date_from_ymd(2018, 10, 1);
    s = didq_session_new(&so, err, sizeof err);
    didq_session_load_mem(s, "july.csv", j, n1, NULL, NULL);
    didq_session_load_mem(s, "september.csv", sep, n2, NULL, NULL);
    didq_session_finish(s);
    check_two(s, &sp, "two loaded");
    s = save_reopen(s, dir2, path, sizeof path, err, sizeof err);
    CHECK(s != NULL, "save and open: %s", err);
    if (s) check_two(s, &sp, "two saved");
    didq_session_free(s);
    unlink(path);
    rmdir(dir2);
    free(j);
    free(sep);
    return test_done();
}
