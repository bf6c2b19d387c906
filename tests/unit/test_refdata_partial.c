/* Reference data in part: every subset of the ten files of
 * tests/data/refdata/set.  A reference-data rule is checked exactly when
 * the files it looks up are all loaded (docs/refdata.md, "What each rule
 * needs"); otherwise it is not checked, and the reason names what is
 * missing.  A rule is never decided on missing data: two records whose
 * codes are all in those files fire no reference-data rule with any
 * subset. */
#include "didq/date.h"
#include "didq/refdata.h"
#include "didq/rules.h"
#include "testlib.h"

#include <stdlib.h>

#define SET DIDQ_TESTS_DIR "/data/refdata/set/"

/* The files of the set; a subset is a bit mask of them. */
enum { EPRACCUR, ETR, ETS, EPHP, EPHPSITE, EGDPPRAC, EOTHER, ONSPD, NICIP, EXAM, NFILES };
static const char *const files[NFILES] = {"epraccur.csv",
                                          "etr.csv",
                                          "ets.csv",
                                          "ephp.csv",
                                          "ephpsite.csv",
                                          "egdpprac.csv",
                                          "eother.csv",
                                          "ONSPD_NOV_2025_UK.csv",
                                          "NICIP_release_2025.csv",
                                          "DID_exam_code_lookup.csv"};
/* What a missing file is called in the reason a rule is not checked. */
static const char *const named[NFILES] = {"epraccur",
                                          "etr",
                                          "ets",
                                          "ephp",
                                          "ephpsite",
                                          "egdpprac",
                                          "eother",
                                          "Postcode Directory",
                                          "NICIP release table",
                                          "SNOMED CT exam code lookup"};

#define BIT(f) (1u << (f))

/* Each reference-data rule and the files it needs, all of them. */
static const struct {
    const char *code;
    unsigned needs;
} needs[] = {
    {"DIDS016", BIT(ONSPD)},
    {"DIDS018", BIT(EPRACCUR)},
    {"DIDS080", BIT(EPRACCUR)},
    {"DIDS024", BIT(EPRACCUR) | BIT(ETR)},
    {"DIDS079", BIT(EPRACCUR) | BIT(ETR)},
    {"DIDS068", BIT(ETS) | BIT(EPHPSITE)},
    {"DIDS081", BIT(ETS) | BIT(EPHPSITE)},
    {"DIDS057", BIT(NICIP)},
    {"DIDS077", BIT(NICIP)},
    {"DIDS059", BIT(EXAM)},
    {"DIDS078", BIT(EXAM)},
    {"DIDS082", BIT(NICIP) | BIT(EXAM)},
};
enum { NNEEDS = sizeof needs / sizeof needs[0] };

/* Two clean records whose codes are in the needed files: a GP practice
 * (epraccur) as practice and referrer, a trust site (ets); and a trust
 * (etr) as referrer, an independent sector site (ephpsite). */
static const char *const rows[][DIDQ_V1_ITEMS] = {
    {"9434765919", "01", "1945-06-21", "A", "2", "LS1 4HR", "A81015", "04", "G0717294", "A81015",
     "2018-07-01", "2018-07-02", "2018-07-03", "XABDO", "417905003", "2018-07-04", "RR864",
     "ACC0001"},
    {"9434765919", "01", "1945-06-21", "A", "2", "LS1 4HR", "J81002", "04", "G0717294", "RR8",
     "2018-07-01", "2018-07-02", "2018-07-03", "XABDO", "417905003", "2018-07-04", "NEF10",
     "ACC0002"},
};

static didq_refdata *load(unsigned subset)
{
    didq_refdata *rd = didq_refdata_new();
    char path[512], err[512];
    for (int f = 0; f < NFILES; f++) {
        if (!(subset & BIT(f))) continue;
        snprintf(path, sizeof path, SET "%s", files[f]);
        CHECK(didq_refdata_load_file(rd, path, NULL, NULL, err, sizeof err) == 0, "%s", err);
    }
    return rd;
}

/* Reference-data rules that fire on row i. */
static void fired(const didq_ruleset *rs, const didq_refdata *rd, int i, char *out, size_t cap)
{
    didq_record r;
    memset(&r, 0, sizeof r);
    for (int k = 0; k < DIDQ_V1_ITEMS; k++) {
        r.f[k].raw = rows[i][k];
        r.f[k].raw_len = (uint32_t)strlen(rows[i][k]);
    }
    didq_record_cleanse(&r, rs->ds);
    didq_ctx ctx = {.ref = rd};
    didq_date_parse("2018-08-01", 10, &ctx.submitted);
    ctx.submitted_month = didq_date_month_index(ctx.submitted);
    didq_hit hits[64];
    int n = didq_ruleset_eval(rs, &r, &ctx, hits, 64);
    out[0] = 0;
    for (int h = 0; h < n; h++)
        if (rs->rules[hits[h].rule].def->needs[0])
            snprintf(out + strlen(out), cap - strlen(out), " %s",
                     rs->rules[hits[h].rule].def->code);
}

/* The reason names every missing file the rule needs, or says that there
 * is no reference data at all. */
static void reason(const didq_crule *cr, unsigned want, unsigned subset)
{
    const char *why = cr->why ? cr->why : "";
    if (!subset) {
        CHECK(strcmp(why, "no reference data") == 0, "%s with no files: '%s'", cr->def->code, why);
        return;
    }
    for (int f = 0; f < NFILES; f++)
        if ((want & BIT(f)) && !(subset & BIT(f)))
            CHECK(strstr(why, named[f]) != NULL, "%s, subset %#x: reason '%s' lacks '%s'",
                  cr->def->code, subset, why, named[f]);
}

static void subset(const didq_dataset *ds, unsigned subset)
{
    didq_refdata *rd = load(subset);
    didq_ruleset *rs = didq_ruleset_new(ds, rd);
    for (int k = 0; k < NNEEDS; k++) {
        const didq_crule *cr = &rs->rules[didq_dataset_rule(ds, needs[k].code)];
        bool want = (subset & needs[k].needs) == needs[k].needs;
        CHECK(cr->checked == want, "%s with files %#x: checked %d, want %d (%s)", needs[k].code,
              subset, cr->checked, want, cr->why ? cr->why : "");
        if (!cr->checked) reason(cr, needs[k].needs, subset);
    }
    for (int i = 0; i < 2; i++) {
        char got[256];
        fired(rs, rd, i, got, sizeof got);
        CHECK(!got[0], "row %d with files %#x: decided on missing data:%s", i + 1, subset, got);
    }
    didq_ruleset_free(rs);
    didq_refdata_free(rd);
}

/* The calls didq refdata makes: the reason, and the needs a file serves
 * (epraccur serves the GP and referring look-ups, not the sites'). */
static void api(void)
{
    didq_refdata *rd = load(BIT(EPRACCUR) | BIT(NICIP));
    char buf[256];
    const char *why = didq_refdata_missing(rd, "ods_referring", buf, sizeof buf);
    CHECK(why && strcmp(why, "no ODS file etr") == 0, "referring without etr: %s", why);
    why = didq_refdata_missing(rd, "nicip snomed", buf, sizeof buf);
    CHECK(why && strcmp(why, "no DID SNOMED CT exam code lookup") == 0, "map: %s", why);
    CHECK(didq_refdata_missing(rd, "ods_gp nicip", buf, sizeof buf) == NULL, "GP and NICIP met");
    CHECK(didq_refdata_missing(rd, "", buf, sizeof buf) == NULL, "no needs");
    CHECK(strcmp(didq_refdata_missing(NULL, "postcode", buf, sizeof buf), "no reference data") == 0,
          "nothing loaded");
    const didq_reffile *f = NULL;
    for (size_t i = 0; i < didq_refdata_nfiles(rd); i++)
        if (didq_refdata_file(rd, i)->kind == DIDQ_REF_ODS) f = didq_refdata_file(rd, i);
    CHECK(f && didq_refdata_file_serves(f, "ods_gp") &&
              didq_refdata_file_serves(f, "ods_referring") &&
              !didq_refdata_file_serves(f, "ods_site") && !didq_refdata_file_serves(f, "nicip"),
          "the needs epraccur serves");
    didq_refdata_needs_text("ods_referring", buf, sizeof buf);
    CHECK(strstr(buf, "epraccur, etr") != NULL, "needs text: %s", buf);
    didq_refdata_free(rd);
}

/* Every rule of the catalogue that needs reference data is in the table
 * above, so that a new one cannot be left out. */
static void all_listed(const didq_dataset *ds)
{
    for (int i = 0; i < ds->nrules; i++) {
        if (!ds->rules[i].needs[0]) continue;
        int found = 0;
        for (int k = 0; k < NNEEDS; k++)
            found |= strcmp(needs[k].code, ds->rules[i].code) == 0;
        CHECK(found, "%s needs reference data but is not in this test", ds->rules[i].code);
    }
}

int main(void)
{
    const didq_dataset *ds = didq_dataset_v1();
    all_listed(ds);
    api();
    for (unsigned s = 0; s < (1u << NFILES); s++)
        subset(ds, s);
    return test_done();
}
