/* test_dqmi_mem.c: the DQMI-style counts made in one pass over the record
 * store (dqmi_mem.c) are those of the grouped SQL (didq_dqmi_compute_sql)
 * on the same session, and those of the session saved and opened, overall,
 * per site and per reporting month.  The session: two synthetic months
 * with defects, and hand rows with a blank site (empty, spaces, absent), a
 * site code breaking a site rule, a site padded with spaces, default
 * values with and without spaces around them, and values that are both a
 * default and invalid (a spec naming the invalid ethnic code Q as a
 * default), and a file without a reporting month.  The counts prepared
 * beside the analyses (didq_dqmi_prepare_beside) give the same, and are
 * not used for a spec of other items or defaults; so do those counted as
 * the records are stored (prepared before the load: dqmi_load_*), with
 * DIDS071's duplicate accession numbers, found after the load, counted as
 * invalid values of a scored accession number. */
#include "didq/date.h"
#include "didq/dqmi.h"
#include "didq/month.h"
#include "didq/session.h"
#include "didq/synth.h"
#include "didq/util.h"
#include "dqmi_mem.h"
#include "testdb.h"
#include "testlib.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char spec_csv[] = "item,defaults,threshold\n"
                               "ETHNIC_CATEGORY,99 Z Q,0.01\n"
                               "PERSON_GENDER_CODE,0 9 X,0\n"
                               "PATIENT_SOURCE_SETTING,07 99,0.05\n"
                               "PRACTICE_CODE,V81999,0\n"
                               "SITE_CODE_IMAGING,,0\n"
                               "NHS_NUMBER,,0\n"
                               "RADIOLOGICAL_ACCESSION_NUM,,0\n";

static void row(didq_buf *b, const char *eth, const char *gen, const char *setting,
                const char *practice, const char *site, int n)
{
    didq_buf_printf(b,
                    "9434765919,01,1945-06-21,%s,%s,LS1 4HR,%s,%s,G0717294,A81015,2026-09-01,"
                    "2026-09-02,2026-09-03,XABDO,417905003,2026-09-04,%s,HAND%04d\n",
                    eth, gen, practice, setting, site, n);
}

static char *hand(size_t *len)
{
    static const char *eth[] = {"99", " Z", "Z ", "Q", " Q ", "A", "", "  ", "99 "};
    static const char *gen[] = {"9", "0", " 9", "X", "1", "2", "", "9", "0"};
    static const char *set[] = {"07", " 07", "01", "99", "07", "", "04", "07 ", "07"};
    static const char *prac[] = {"V81999", " V81999", "A81015", "",      "V81999",
                                 "A81015", "V81999",  "A81015", "V81999"};
    static const char *site[] = {"",    "   ", " RR864 ", "BAD!", "RR864",
                                 "R@X", "",    "RAE01",   "rr864"};
    didq_buf b = {0};
    for (int i = 0; i < 36; i++)
        row(&b, eth[i % 9], gen[(i / 2) % 9], set[(i / 3) % 9], prac[(i / 4) % 9], site[i % 9], i);
    /* short rows: the site and accession absent */
    didq_buf_puts(&b, "9434765919,01,1945-06-21,99,9,LS1 4HR,V81999,07,G0717294,A81015,2026-09-01,"
                      "2026-09-02,2026-09-03,XABDO,417905003,2026-09-04\n");
    *len = b.n;
    return b.p;
}

/* A file without a reporting month: no test dates. */
static char *undated(size_t *len)
{
    didq_buf b = {0};
    didq_buf_puts(&b, "9434765919,01,1945-06-21,Q,X\n");
    didq_buf_puts(&b, "9434765919,01,1945-06-21,99,9,LS1 4HR,V81999,07,G0717294,A81015,,,,XABDO,"
                      "417905003,,RR864,ND1\n");
    *len = b.n;
    return b.p;
}

static void same_part(const didq_dqmi_part *a, const didq_dqmi_part *b, int n, const char *what)
{
    CHECK((!a->site && !b->site) || (a->site && b->site && strcmp(a->site, b->site) == 0),
          "%s: site %s / %s", what, a->site ? a->site : "-", b->site ? b->site : "-");
    CHECK(a->records == b->records && a->months_submitted == b->months_submitted &&
              a->months_expected == b->months_expected && a->ncostly == b->ncostly,
          "%s %s: records %llu / %llu, months %d/%d / %d/%d", what, a->site ? a->site : "all",
          (unsigned long long)a->records, (unsigned long long)b->records, a->months_submitted,
          a->months_expected, b->months_submitted, b->months_expected);
    CHECK(a->mean == b->mean && a->score == b->score, "%s %s: score %g / %g", what,
          a->site ? a->site : "all", a->score, b->score);
    for (int i = 0; i < n; i++) {
        const didq_dqmi_score *x = &a->items[i], *y = &b->items[i];
        CHECK(x->item == y->item && x->records == y->records && x->blank == y->blank &&
                  x->invalid == y->invalid && x->valid == y->valid && x->defaults == y->defaults &&
                  x->score == y->score,
              "%s %s item %d: blank %llu/%llu invalid %llu/%llu defaults %llu/%llu", what,
              a->site ? a->site : "all", x->item, (unsigned long long)x->blank,
              (unsigned long long)y->blank, (unsigned long long)x->invalid,
              (unsigned long long)y->invalid, (unsigned long long)x->defaults,
              (unsigned long long)y->defaults);
    }
}

static void same(const didq_dqmi *a, const didq_dqmi *b, const char *what)
{
    int n = a->spec->n;
    same_part(&a->overall, &b->overall, n, what);
    CHECK(a->nsites == b->nsites, "%s: %zu sites / %zu", what, a->nsites, b->nsites);
    for (size_t k = 0; k < a->nsites && k < b->nsites; k++)
        same_part(&a->sites[k], &b->sites[k], n, what);
}

/* The session's counts in C and with SQL, and the months' too. */
static void compare(didq_session *s, const didq_dqmi_spec *sp, didq_dqmi *ref[4], const char *what)
{
    int32_t months[3] = {2026 * 12 + 7, 2026 * 12 + 8, DIDQ_NOMONTH}; /* August, September */
    didq_dqmi *pm[3], *pm_sql[3];
    didq_dqmi *d = didq_dqmi_compute_months(s, sp, months, 3, pm);
    didq_dqmi *q = didq_dqmi_compute_sql(s, sp, months, 3, pm_sql);
    same(d, q, what);
    for (int k = 0; k < 3; k++)
        same(pm[k], pm_sql[k], what);
    if (ref[0]) { /* the session before it was saved */
        same(d, ref[0], what);
        for (int k = 0; k < 3; k++)
            same(pm[k], ref[k + 1], what);
    }
    didq_dqmi_free(q);
    for (int k = 0; k < 3; k++)
        didq_dqmi_free(pm_sql[k]);
    if (ref[0]) {
        didq_dqmi_free(d);
        for (int k = 0; k < 3; k++)
            didq_dqmi_free(pm[k]);
        return;
    }
    ref[0] = d;
    for (int k = 0; k < 3; k++)
        ref[k + 1] = pm[k];
}

/* The rows of the pass in `parts` parts are those of one part. */
static void same_rows(const didq_recstore *rs, const didq_dqmi_spec *sp, const bool *pres,
                      int nrules, int parts, const dqmi_mem_row *want, size_t nwant)
{
    size_t n;
    dqmi_mem_row *rows = dqmi_mem_count(rs, sp, pres, nrules, parts, &n);
    CHECK(n == nwant, "%d parts: %zu groups, want %zu", parts, n, nwant);
    for (size_t r = 0; r < n && r < nwant; r++) {
        bool same =
            rows[r].file == want[r].file && !rows[r].grp == !want[r].grp &&
            (!rows[r].grp || strcmp(rows[r].grp, want[r].grp) == 0) &&
            rows[r].records == want[r].records &&
            memcmp(rows[r].c, want[r].c, (size_t)sp->n * DQMI_MEM_PER * sizeof *rows[r].c) == 0;
        CHECK(same, "%d parts: group %zu differs", parts, r);
    }
    dqmi_mem_free(rows, n);
}

/* The hand rows reach every count: blank and invalid sites, defaults,
 * invalid defaults. */
static void counts_reached(didq_session *s, const didq_dqmi_spec *sp)
{
    const didq_ruleset *rules = didq_session_rules(s);
    bool *pres = didq_xcalloc((size_t)rules->n + 1, sizeof *pres);
    for (int i = 0; i < rules->n; i++)
        pres[i] = didq_rule_presence(rules->rules[i].def);
    size_t n;
    dqmi_mem_row *rows = dqmi_mem_count(didq_session_recstore(s), sp, pres, rules->n, 1, &n);
    for (int parts = 2; parts <= 7; parts += 5) /* split anywhere: the same rows */
        same_rows(didq_session_recstore(s), sp, pres, rules->n, parts, rows, n);
    uint64_t tot[DQMI_MEM_PER] = {0};
    bool blank_site = false, bad_site = false;
    for (size_t r = 0; r < n; r++) {
        blank_site |= rows[r].grp && !*rows[r].grp;
        bad_site |= !rows[r].grp;
        for (int i = 0; i < sp->n; i++)
            for (int c = 0; c < DQMI_MEM_PER; c++)
                tot[c] += rows[r].c[(size_t)i * DQMI_MEM_PER + (size_t)c];
    }
    CHECK(blank_site && bad_site, "groups: blank site %d, invalid site %d", blank_site, bad_site);
    for (int c = 0; c < DQMI_MEM_PER; c++)
        CHECK(tot[c] > 0, "count %d never reached", c);
    dqmi_mem_free(rows, n);
    free(pres);
}

/* prep: the counts prepared beside the analyses (didq_dqmi_prepare_beside)
 * for spec *prep (NULL inside: the built-in one), or none (prep NULL).
 * The scores asked for sp must be the SQL's whether prep is sp or not. */
static void run(const didq_dqmi_spec *sp, const didq_dqmi_spec *const *prep, bool at_load,
                const char *name, char **files, const size_t *lens)
{
    static const char *names[] = {"aug.csv", "sep.csv", "hand.csv", "undated.csv"};
    char err[256], dir[] = "/tmp/didq-dqmimem-XXXXXX", path[64];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 10, 1)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    if (prep && at_load) didq_dqmi_prepare_beside(s, *prep);
    void *counter = didq_session_kept(s);
    CHECK((counter != NULL) == (prep && at_load), "%s: counting as the records come", name);
    for (int f = 0; f < 4; f++)
        didq_session_load_mem(s, names[f], files[f], lens[f], NULL, NULL);
    if (prep && !at_load) didq_dqmi_prepare_beside(s, *prep);
    didq_session_finish_analysed(s);
    /* the counter finished (kept) rather than replaced by a pass */
    if (counter) CHECK(didq_session_kept(s) == counter, "%s: counted at the load", name);
    CHECK(didq_session_recstore(s) != NULL, "%s: a record store", name);
    CHECK((didq_session_kept(s) != NULL) == (prep != NULL), "%s: counts prepared: %d", name,
          didq_session_kept(s) != NULL);
    if (sp) counts_reached(s, sp);
    didq_dqmi *ref[4] = {0};
    compare(s, sp, ref, name);
    s = save_reopen(s, dir, path, sizeof path, err, sizeof err);
    CHECK(s != NULL, "save and open: %s", err);
    if (s) {
        didq_session_finish_analysed(s);
        compare(s, sp, ref, name);
    }
    didq_session_free(s);
    for (int k = 0; k < 4; k++)
        didq_dqmi_free(ref[k]);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    char err[256];
    didq_dqmi_spec sp;
    CHECK(didq_dqmi_spec_parse(&sp, "spec", spec_csv, sizeof spec_csv - 1, err, sizeof err) == 0,
          "spec: %s", err);
    char *files[4];
    size_t lens[4];
    for (int m = 0; m < 2; m++) {
        didq_synth_opts o = didq_synth_defaults();
        o.rows = 10000;
        o.seed = 7 + (uint64_t)m;
        o.year = 2026;
        o.month = 8 + m;
        o.defect_rate = 0.05;
        o.defect_columns = 1;
        o.defect_dups = m; /* DIDS071 in September's file */
        files[m] = didq_synth_mem(&o, &lens[m]);
    }
    files[2] = hand(&lens[2]);
    files[3] = undated(&lens[3]);
    const didq_dqmi_spec *given = &sp, *builtin = NULL;
    run(&sp, NULL, false, "spec with invalid defaults", files, lens);
    run(NULL, NULL, false, "built-in spec", files, lens);
    for (int at_load = 0; at_load <= 1; at_load++) {
        run(&sp, &given, at_load, "spec with invalid defaults, prepared", files, lens);
        run(NULL, &builtin, at_load, "built-in spec, prepared", files, lens);
        run(&sp, &builtin, at_load, "spec with invalid defaults, the built-in one prepared", files,
            lens);
        run(NULL, &given, at_load, "built-in spec, another prepared", files, lens);
    }
    for (int f = 0; f < 4; f++)
        free(files[f]);
    return test_done();
}
