/* rules.h: the rule engine.  Each rule of the data set's catalogue names a
 * check primitive (rules_basic.c, rules_ref.c) and its fields and arguments;
 * the engine binds them once and evaluates every record against them. */
#ifndef DIDQ_RULES_H
#define DIDQ_RULES_H

#include "didq/dataset.h"
#include "didq/record.h"

#include <stdbool.h>
#include <stdint.h>

struct didq_refdata;

/* What the rules need beyond the record. */
typedef struct didq_ctx {
    int32_t submitted;              /* submission date, day number */
    int submitted_month;            /* its month index (year * 12 + month - 1) */
    const struct didq_refdata *ref; /* reference data, or NULL */
} didq_ctx;

/* A compiled rule: the definition plus its bound primitive and arguments. */
typedef struct didq_crule didq_crule;
typedef int (*didq_check_fn)(const didq_crule *cr, const didq_record *r, const didq_ctx *ctx);

struct didq_crule {
    const didq_rule_def *def;
    didq_check_fn fn;            /* NULL for cross-record rules and rules not checked */
    int f[DIDQ_MAX_RULE_FIELDS]; /* field item indexes (copy of def->fields) */
    int32_t date;                /* a date argument */
    long a, b;                   /* numeric arguments */
    const char *text;            /* a text argument (code list name, prefix) */
    const didq_codelist *list;   /* the code list named by text, if any */
    bool checked;                /* false: reported as "not checked" */
    bool cross;                  /* evaluated across records after the load (DIDS071) */
    char *why;                   /* reason when not checked (owned), else NULL */
};

/* A check primitive: its name in rules.csv, its function, and how it
 * reads its arguments (returns 0 if they are malformed). */
typedef struct didq_prim {
    const char *name;
    didq_check_fn fn;
    int (*bind)(didq_crule *cr, const char *args);
} didq_prim;

/* Primitive tables, each ended by a {NULL} entry. */
extern const didq_prim didq_prims_basic[];
extern const didq_prim didq_prims_ref[];

typedef struct didq_ruleset {
    const didq_dataset *ds;
    int n;
    didq_crule *rules; /* n rules, in catalogue order */
    int nactive;
    int *active; /* the indexes of the rules with a check to run, ascending */
} didq_ruleset;

/* A rule that fired on a record: rule index and the item it is about. */
typedef struct didq_hit {
    int rule;
    int item;
} didq_hit;

/* Binds the catalogue; rules whose reference data is not all in ref
 * (didq_refdata_missing) are marked not checked, with the reason.  Never fails on user input (a bad
 * catalogue dies). */
didq_ruleset *didq_ruleset_new(const didq_dataset *ds, const struct didq_refdata *ref);
void didq_ruleset_free(didq_ruleset *rs);

/* True for a rule about which items are given rather than about a value
 * (checks blank, all_blank, only_pseudo_postcode: a missing mandatory item,
 * none of the demographic items, a ZZ99 pseudo-postcode the only one).  Its
 * findings do not make an item's value invalid (Completeness pane). */
bool didq_rule_presence(const didq_rule_def *d);

/* Evaluates the per-record rules; writes up to max hits; returns the count. */
int didq_ruleset_eval(const didq_ruleset *rs, const didq_record *r, const didq_ctx *ctx,
                      didq_hit *out, int max);

#endif
