/* The examples `didq rules CODE` prints (refdata/v1/rule_examples.csv) run
 * through the rule engine, so that they cannot go stale: each per-record
 * rule has one row; its failing example fires the rule and its passing
 * example does not; each example gives every field the rule reads.  The
 * rules that need reference data run with the synthetic test files
 * (tests/data/refdata/set), as the printed note says.  The cross-record rule
 * (DIDS071) has no value example and no row. */
#include "didq/date.h"
#include "didq/refdata.h"
#include "didq/rules.h"
#include "didq/table.h"
#include "testlib.h"

#include <stdlib.h>

/* A clean record: fires no rule at submission date 2018-08-01. */
static const char *const base[DIDQ_V1_ITEMS] = {
    "9434765919", "01",    "1945-06-21", "A",          "2",          "LS1 4HR",
    "A81015",     "04",    "G0717294",   "A81015",     "2018-07-01", "2018-07-02",
    "2018-07-03", "XABDO", "417905003",  "2018-07-04", "RR864",      "ACC0001",
};

/* Applies "FIELD=value|..." to vals (a copy of base); marks the fields
 * set; returns 0 on an unknown field or a part without '='. */
static int apply(const didq_dataset *ds, const char *set, char *buf, size_t cap, const char **vals,
                 int *given)
{
    snprintf(buf, cap, "%s", set);
    for (char *save = NULL, *tok = strtok_r(buf, "|", &save); tok;
         tok = strtok_r(NULL, "|", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) return 0;
        *eq = 0;
        int item = didq_dataset_item(ds, tok);
        if (item < 0) return 0;
        vals[item] = eq + 1;
        given[item] = 1;
    }
    return 1;
}

/* Whether rule index ri fires on base changed by set at submitted. */
static int fires(const didq_ruleset *rs, const didq_refdata *ref, int ri, const char *set,
                 const char *submitted, int *ok)
{
    const char *vals[DIDQ_V1_ITEMS];
    int given[DIDQ_V1_ITEMS] = {0};
    char buf[1024];
    memcpy(vals, base, sizeof vals);
    *ok = apply(rs->ds, set, buf, sizeof buf, vals, given);
    const didq_rule_def *d = rs->rules[ri].def;
    for (int k = 0; k < d->nfields; k++)
        *ok = *ok && given[d->fields[k]];
    didq_record r;
    memset(&r, 0, sizeof r);
    for (int i = 0; i < DIDQ_V1_ITEMS; i++) {
        r.f[i].raw = vals[i];
        r.f[i].raw_len = (uint32_t)strlen(vals[i]);
    }
    didq_record_cleanse(&r, rs->ds);
    didq_ctx ctx = {.ref = ref};
    didq_date_parse(submitted, strlen(submitted), &ctx.submitted);
    ctx.submitted_month = didq_date_month_index(ctx.submitted);
    didq_hit hits[64];
    int n = didq_ruleset_eval(rs, &r, &ctx, hits, 64), hit = 0;
    for (int i = 0; i < n; i++)
        hit |= hits[i].rule == ri;
    return hit;
}

static int row_of(const didq_table *t, const char *code)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (strcmp(didq_table_get(t, r, 0), code) == 0) return (int)r;
    return -1;
}

int main(void)
{
    const didq_dataset *ds = didq_dataset_v1();
    didq_refdata *ref = didq_refdata_new();
    char err[256];
    CHECK(didq_refdata_load_dir(ref, DIDQ_TESTS_DIR "/data/refdata/set", NULL, NULL, err,
                                sizeof err) == 0,
          "%s", err);
    didq_ruleset *rs = didq_ruleset_new(ds, ref);
    didq_table *ex = didq_table_embedded("v1/rule_examples.csv");
    CHECK(ex->ncols == 4, "rule_examples.csv has 4 columns, not %zu", ex->ncols);
    for (size_t r = 0; r < ex->nrows; r++)
        CHECK(didq_dataset_rule(ds, didq_table_get(ex, r, 0)) >= 0, "row %zu: %s is a rule", r + 1,
              didq_table_get(ex, r, 0));
    for (int i = 0; i < rs->n; i++) {
        const didq_crule *cr = &rs->rules[i];
        int row = row_of(ex, cr->def->code);
        if (cr->cross) {
            CHECK(row < 0, "%s is cross-record: no value example", cr->def->code);
            continue;
        }
        CHECK(cr->checked, "%s is checked with the test reference data", cr->def->code);
        CHECK(row >= 0, "%s has examples", cr->def->code);
        if (row < 0) continue;
        const char *sub = didq_table_get(ex, (size_t)row, 1);
        sub = sub[0] ? sub : "2018-08-01";
        const char *fail = didq_table_get(ex, (size_t)row, 2),
                   *pass = didq_table_get(ex, (size_t)row, 3);
        int ok;
        CHECK(fires(rs, ref, i, fail, sub, &ok), "%s: the failing example %s fires it",
              cr->def->code, fail);
        CHECK(ok, "%s: the failing example sets every field of the rule", cr->def->code);
        CHECK(!fires(rs, ref, i, pass, sub, &ok), "%s: the passing example %s does not fire it",
              cr->def->code, pass);
        CHECK(ok, "%s: the passing example sets every field of the rule", cr->def->code);
    }
    didq_table_free(ex);
    didq_ruleset_free(rs);
    didq_refdata_free(ref);
    return test_done();
}
