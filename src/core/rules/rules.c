/* rules.c: binds the rule catalogue to check primitives and runs it. */
#include "didq/rules.h"
#include "didq/refdata.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

static const didq_prim *find_prim(const didq_prim *table, const char *name)
{
    for (const didq_prim *p = table; p->name; p++)
        if (strcmp(p->name, name) == 0) return p;
    return NULL;
}

static void bind_rule(didq_crule *cr, const didq_rule_def *def, const struct didq_refdata *ref)
{
    cr->def = def;
    memcpy(cr->f, def->fields, sizeof cr->f);
    if (strcmp(def->check, "duplicate") == 0) {
        cr->cross = cr->checked = true;
        return;
    }
    char why[256];
    const char *missing = didq_refdata_missing(ref, def->needs, why, sizeof why);
    if (missing) {
        cr->why = didq_strdup(missing);
        return;
    }
    const didq_prim *p = find_prim(didq_prims_basic, def->check);
    if (!p) p = find_prim(didq_prims_ref, def->check);
    if (!p) didq_die("internal error: rule %s uses unknown check %s", def->code, def->check);
    if (p->bind && !p->bind(cr, def->args))
        didq_die("internal error: rule %s has bad arguments '%s'", def->code, def->args);
    cr->fn = p->fn;
    cr->checked = true;
}

didq_ruleset *didq_ruleset_new(const didq_dataset *ds, const struct didq_refdata *ref)
{
    didq_ruleset *rs = didq_xcalloc(1, sizeof *rs);
    rs->ds = ds;
    rs->n = ds->nrules;
    rs->rules = didq_xcalloc((size_t)rs->n, sizeof *rs->rules);
    rs->active = didq_xcalloc((size_t)rs->n + 1, sizeof *rs->active);
    for (int i = 0; i < rs->n; i++) {
        bind_rule(&rs->rules[i], &ds->rules[i], ref);
        if (rs->rules[i].fn) rs->active[rs->nactive++] = i;
    }
    return rs;
}

bool didq_rule_presence(const didq_rule_def *d)
{
    static const char *const presence[] = {"blank", "all_blank", "only_pseudo_postcode"};
    for (size_t i = 0; i < sizeof presence / sizeof presence[0]; i++)
        if (strcmp(d->check, presence[i]) == 0) return true;
    return false;
}

void didq_ruleset_free(didq_ruleset *rs)
{
    if (!rs) return;
    for (int i = 0; i < rs->n; i++)
        free(rs->rules[i].why);
    free(rs->rules);
    free(rs->active);
    free(rs);
}

int didq_ruleset_eval(const didq_ruleset *rs, const didq_record *r, const didq_ctx *ctx,
                      didq_hit *out, int max)
{
    /* the rules with a check only (those without reference data have
     * none), read into locals: the hits written below could alias rs */
    const didq_crule *rules = rs->rules;
    const int *active = rs->active;
    int n = 0, na = rs->nactive;
    for (int k = 0; k < na && n < max; k++) {
        const didq_crule *cr = &rules[active[k]];
        if (cr->fn(cr, r, ctx)) {
            out[n].rule = active[k];
            out[n].item = cr->f[0];
            n++;
        }
    }
    return n;
}
