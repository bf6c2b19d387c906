/* query_scope.h: what the query files share about a record scope
 * (query_scope.c): the records in it as id ranges, and its exact counts,
 * made once in one pass over those records. */
#ifndef DIDQ_QUERY_SCOPE_H
#define DIDQ_QUERY_SCOPE_H

#include "didq/dataset.h"
#include "didq/query.h"
#include "recstore_sites.h"

#include <stdbool.h>
#include <stdint.h>

/* The counts of the records in a scope, as the session counts them for
 * every record while loading (the rules and items tables). */
typedef struct didq_scope_counts {
    uint64_t records, err, warn;
    uint64_t *rule;                   /* records per rule index (the ruleset's n) */
    uint64_t blank[DIDQ_MAX_ITEMS];   /* records with the item blank */
    uint64_t invalid[DIDQ_MAX_ITEMS]; /* item filled, with a finding on it (not a presence rule) */
} didq_scope_counts;

/* The scope's counts (made on first use, then kept); NULL for a scope of
 * everything (NULL: the session's tables hold them). */
const didq_scope_counts *didq_scope_counts_of(didq_scope *sc);
/* The per-site counts of the scope's records (didq_site_counts_scan_ranges,
 * made once and kept): a copy, *n sites, free() it.  In memory only. */
didq_site_counts *didq_scope_sites(didq_scope *sc, size_t *n);
/* The scope's id ranges (*n of them), ascending. */
const didq_id_range *didq_scope_ranges(const didq_scope *sc, size_t *n);

#endif
