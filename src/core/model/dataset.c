/* dataset.c: builds the v1 data set from the embedded refdata tables. */
#include "didq/dataset.h"
#include "didq/table.h"
#include "didq/util.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Cells of the tables are kept for the life of the program. */
static const char *keep(const didq_table *t, size_t r, const char *col)
{
    int c = didq_table_col(t, col);
    if (c < 0) didq_die("internal error: refdata column %s is missing", col);
    return didq_strdup(didq_table_get(t, r, c));
}

/* Upper-case, spaces and underscores folded to '_', for name matching. */
static void fold_name(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    while (*s == ' ')
        s++;
    for (; *s && k + 1 < cap; s++)
        out[k++] = (*s == ' ' || *s == '_') ? '_' : (char)toupper((unsigned char)*s);
    while (k > 0 && out[k - 1] == '_')
        k--;
    out[k] = 0;
}

static void load_items(didq_dataset *ds)
{
    didq_table *t = didq_table_embedded("v1/items.csv");
    if (t->nrows != DIDQ_V1_ITEMS) didq_die("internal error: items.csv has %zu items", t->nrows);
    for (size_t r = 0; r < t->nrows; r++) {
        didq_item_def *it = &ds->items[r];
        it->field = keep(t, r, "field");
        it->dd_name = keep(t, r, "dd_name");
        it->label = keep(t, r, "label");
        it->shortname = keep(t, r, "short");
        it->status = keep(t, r, "status");
        it->kind = keep(t, r, "kind");
        it->width = atoi(didq_table_get(t, r, didq_table_col(t, "width")));
        it->is_date = strcmp(it->kind, "date") == 0;
    }
    ds->nitems = (int)t->nrows;
    didq_table_free(t);
}

static void parse_fields(didq_dataset *ds, didq_rule_def *rd, const char *list)
{
    char *copy = didq_strdup(list), *save = NULL;
    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        int ix = didq_dataset_item(ds, tok);
        if (ix < 0 || rd->nfields == DIDQ_MAX_RULE_FIELDS)
            didq_die("internal error: rule %s names field %s", rd->code, tok);
        rd->fields[rd->nfields++] = ix;
    }
    free(copy);
}

static void load_rules(didq_dataset *ds)
{
    didq_table *t = didq_table_embedded("v1/rules.csv");
    ds->rules = didq_xcalloc(t->nrows, sizeof *ds->rules);
    for (size_t r = 0; r < t->nrows; r++) {
        didq_rule_def *rd = &ds->rules[r];
        rd->code = keep(t, r, "code");
        rd->severity = strcmp(didq_table_get(t, r, didq_table_col(t, "severity")), "warning") == 0
                           ? DIDQ_WARNING
                           : DIDQ_ERROR;
        rd->check = keep(t, r, "check");
        rd->args = keep(t, r, "args");
        rd->needs = keep(t, r, "needs");
        rd->message = keep(t, r, "message");
        parse_fields(ds, rd, didq_table_get(t, r, didq_table_col(t, "fields")));
    }
    ds->nrules = (int)t->nrows;
    didq_table_free(t);
}

static void load_codes(didq_dataset *ds)
{
    didq_table *t = didq_table_embedded("v1/codes.csv");
    ds->codes = didq_xcalloc(t->nrows, sizeof *ds->codes);
    for (size_t r = 0; r < t->nrows; r++) {
        ds->codes[r].list = keep(t, r, "list");
        ds->codes[r].code = keep(t, r, "code");
        ds->codes[r].meaning = keep(t, r, "meaning");
        ds->codes[r].group = keep(t, r, "group");
    }
    ds->ncodes = t->nrows;
    didq_table_free(t);
    t = didq_table_embedded("v1/file_rules.csv");
    ds->file_rules = didq_xcalloc(t->nrows, sizeof *ds->file_rules);
    for (size_t r = 0; r < t->nrows; r++) {
        ds->file_rules[r].code = keep(t, r, "code");
        ds->file_rules[r].format = keep(t, r, "format");
        ds->file_rules[r].message = keep(t, r, "message");
        ds->file_rules[r].reject =
            strcmp(didq_table_get(t, r, didq_table_col(t, "severity")), "reject") == 0;
    }
    ds->nfile_rules = (int)t->nrows;
    didq_table_free(t);
}

static void add_to_list(didq_dataset *ds, const didq_code *c)
{
    didq_codelist *l = NULL;
    for (int i = 0; i < ds->nlists && !l; i++)
        if (strcmp(ds->lists[i].name, c->list) == 0) l = &ds->lists[i];
    if (!l) {
        ds->lists = didq_xrealloc(ds->lists, (size_t)(ds->nlists + 1) * sizeof *ds->lists);
        l = &ds->lists[ds->nlists++];
        memset(l, 0, sizeof *l);
        l->name = c->list;
    }
    if (l->n == 64 || strlen(c->code) > 255)
        didq_die("internal error: code list %s is too long", c->list);
    l->code[l->n] = c->code;
    l->len[l->n++] = (unsigned char)strlen(c->code);
}

static void build_lists(didq_dataset *ds)
{
    for (size_t i = 0; i < ds->ncodes; i++)
        add_to_list(ds, &ds->codes[i]);
}

const didq_codelist *didq_dataset_list(const didq_dataset *ds, const char *name)
{
    for (int i = 0; i < ds->nlists; i++)
        if (strcmp(ds->lists[i].name, name) == 0) return &ds->lists[i];
    return NULL;
}

static void load_aliases(didq_dataset *ds)
{
    didq_table *t = didq_table_embedded("v1/aliases.csv");
    ds->alias_from = didq_xcalloc(t->nrows, sizeof *ds->alias_from);
    ds->alias_to = didq_xcalloc(t->nrows, sizeof *ds->alias_to);
    for (size_t r = 0; r < t->nrows; r++) {
        char folded[128];
        fold_name(didq_table_get(t, r, 1), folded, sizeof folded);
        ds->alias_from[r] = didq_strdup(folded);
        ds->alias_to[r] = didq_dataset_item(ds, didq_table_get(t, r, 0));
        if (ds->alias_to[r] < 0)
            didq_die("internal error: alias of unknown field %s", didq_table_get(t, r, 0));
    }
    ds->naliases = t->nrows;
    didq_table_free(t);
}

const didq_dataset *didq_dataset_v1(void)
{
    static didq_dataset ds;
    if (!ds.name) {
        load_items(&ds);
        load_codes(&ds);
        build_lists(&ds);
        load_aliases(&ds);
        load_rules(&ds);
        ds.name = "v1";
    }
    return &ds;
}

int didq_dataset_item(const didq_dataset *ds, const char *name)
{
    char want[128], have[128];
    fold_name(name, want, sizeof want);
    for (int i = 0; i < ds->nitems; i++) {
        fold_name(ds->items[i].field, have, sizeof have);
        if (strcmp(want, have) == 0) return i;
        fold_name(ds->items[i].dd_name, have, sizeof have);
        if (strcmp(want, have) == 0) return i;
    }
    for (size_t a = 0; a < ds->naliases; a++)
        if (strcmp(want, ds->alias_from[a]) == 0) return ds->alias_to[a];
    return -1;
}

int didq_dataset_rule(const didq_dataset *ds, const char *code)
{
    for (int i = 0; i < ds->nrules; i++)
        if (strcmp(ds->rules[i].code, code) == 0) return i;
    return -1;
}

static const didq_code *find_code(const didq_dataset *ds, const char *list, const char *s, size_t n)
{
    for (size_t i = 0; i < ds->ncodes; i++) {
        const didq_code *c = &ds->codes[i];
        if (strcmp(c->list, list) == 0 && strlen(c->code) == n && memcmp(c->code, s, n) == 0)
            return c;
    }
    return NULL;
}

const char *didq_dataset_meaning(const didq_dataset *ds, const char *list, const char *s, size_t n)
{
    const didq_code *c = find_code(ds, list, s, n);
    return c ? c->meaning : NULL;
}

const didq_file_rule *didq_dataset_file_rule(const didq_dataset *ds, const char *code)
{
    for (int i = 0; i < ds->nfile_rules; i++)
        if (strcmp(ds->file_rules[i].code, code) == 0) return &ds->file_rules[i];
    return NULL;
}

void didq_mand_slots_of(const didq_dataset *ds, didq_mand_slots *sl)
{
    sl->n = 0;
    for (int i = 0; i < ds->nitems && sl->n < DIDQ_MAND_SLOTS; i++) {
        if (strcmp(ds->items[i].status, "M") != 0 || i == DIDQ_SNOMED) continue;
        sl->item[sl->n] = i;
        sl->item2[sl->n++] = i == DIDQ_NICIP ? DIDQ_SNOMED : -1;
    }
}

double didq_mand_filled(const didq_mand_slots *sl, const uint64_t *blank, uint64_t records)
{
    if (!records || !sl->n) return NAN;
    double filled = 0;
    for (int k = 0; k < sl->n; k++)
        filled += 100.0 - 100.0 * (double)blank[k] / (double)records;
    return filled / sl->n;
}
