/* query_scope.h: what the query files share about a record scope
 * (query_scope.c, and query_scope_site.c for a site): the records in it as
 * id ranges, and its exact counts, made once in one pass over those
 * records. */
#ifndef DIDQ_QUERY_SCOPE_H
#define DIDQ_QUERY_SCOPE_H

#include "didq/dataset.h"
#include "didq/query.h"
#include "recstore_sites.h"

#include <stdbool.h>
#include <stdint.h>

/* A file's records in a scope (a site scope only: a month's are the
 * files table's): records, with errors, with warnings, dated outside the
 * file's reporting month, without a valid test date. */
typedef struct didq_scope_file {
    uint64_t records, err, warn, outside, undated;
} didq_scope_file;

/* The counts of the records in a scope, as the session counts them for
 * every record while loading (the rules and items tables). */
typedef struct didq_scope_counts {
    uint64_t records, err, warn;
    uint64_t *rule;                   /* records per rule index (the ruleset's n) */
    uint64_t blank[DIDQ_MAX_ITEMS];   /* records with the item blank */
    uint64_t invalid[DIDQ_MAX_ITEMS]; /* item filled, with a finding on it (not a presence rule) */
    didq_scope_file *file;            /* a site scope: per file (id - 1), else NULL */
} didq_scope_counts;

/* What a site scope selects (query_scope_site.c). */
enum { DIDQ_SCOPE_NOSITE, DIDQ_SCOPE_CODE, DIDQ_SCOPE_BLANK, DIDQ_SCOPE_INVALID };

struct didq_scope {
    didq_session *s;
    int32_t month; /* DIDQ_ALLMONTHS: a site scope over every month */
    int nfiles;
    unsigned char *in;    /* by file id - 1: in the scope (with a site: holding a record of it) */
    didq_id_range *range; /* in memory; with a site, the runs of its records' ids */
    size_t nrange;
    char *where;
    didq_scope_counts *counts; /* made on first use */
    didq_site_counts *sites;   /* the same, per site */
    size_t nsites;
    bool sites_made;
    int site_kind; /* DIDQ_SCOPE_*: NOSITE for a month's scope */
    char *site;    /* the site's label (a code, "(blank)", "(invalid site)"), or NULL */
};

/* A site scope's counts of a file's records (NULL for another scope). */
const didq_scope_file *didq_scope_file_counts(didq_scope *sc, int file);
/* The site scope's per-file counts into c->file, and its files into
 * sc->in (query_scope_site.c). */
void didq_scope_site_files(didq_scope *sc, didq_scope_counts *c);

/* The scope's counts (made on first use, then kept); NULL for a scope of
 * everything (NULL: the session's tables hold them). */
const didq_scope_counts *didq_scope_counts_of(didq_scope *sc);
/* With several months loaded, each month's counts written into the file a
 * loaded session is being saved to (schema "disk", table month_counts),
 * which a month's scope of the session opened again reads instead of its
 * records.  0, or -1 with SQLite's message (a didq_save_fn's part). */
int didq_scope_counts_save(didq_session *s, sqlite3 *db, char *err, size_t errlen);
/* The per-site counts of the scope's records (didq_site_counts_scan_ranges,
 * made once and kept): a copy, *n sites, free() it.  In memory only. */
didq_site_counts *didq_scope_sites(didq_scope *sc, size_t *n);
/* The scope's id ranges (*n of them), ascending. */
const didq_id_range *didq_scope_ranges(const didq_scope *sc, size_t *n);

#endif
