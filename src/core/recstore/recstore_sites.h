/* recstore_sites.h: the per-site pass over the record store
 * (recstore_sites.c): the counts behind the Overview's site table and the
 * Source settings pane, used by query_panes.c when the session has a record
 * store, and by store_panes.c to keep them in a saved file, which a saved
 * session reads instead.  For the layers above recstore only. */
#ifndef DIDQ_RECSTORE_SITES_H
#define DIDQ_RECSTORE_SITES_H

#include "didq/dataset.h"
#include "recstore.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One site's records: site is the cleansed value (not NUL-terminated,
 * pointing into the store), null when the site is absent; invalid for the
 * one group of every record whose site code breaks a site rule
 * (DIDQ_REC_BAD_SITE), whatever the code, site "" then. */
typedef struct didq_site_counts {
    const char *site;
    uint32_t len;
    bool null;
    bool invalid;
    uint64_t records, err, warn;
    uint64_t setting[8];            /* source setting 01..07, then any other or blank */
    uint64_t gp_ref, gp_ref_03;     /* GP-referred (didq_gp_referred), of which 03 */
    uint64_t bad_code;              /* records whose site code breaks a site rule (all or none) */
    uint64_t blank[DIDQ_MAX_ITEMS]; /* per item, records with it blank (scan_blanks only) */
    /* per mandatory slot of didq_dataset_v1 (didq_mand_slots_of), records
     * with it blank: the Sites pane's mandatory completeness */
    uint64_t mand_blank[DIDQ_MAND_SLOTS];
    /* scan_quality only: per item, records with it filled and a finding
     * on it of a rule about its value (the Completeness pane's invalid),
     * and the site's row in the matrix of counts per rule. */
    uint64_t invalid_items[DIDQ_MAX_ITEMS];
    uint32_t row;
} didq_site_counts;

/* Every site of the store, most records first, then by site (absent
 * first), the invalid-site group last; *n sites.  Free with free(). */
didq_site_counts *didq_site_counts_scan(const didq_recstore *rs, size_t *n);

/* The same, with blank counted per item (didq_recstore_blank): the
 * report's site x item completeness. */
didq_site_counts *didq_site_counts_scan_blanks(const didq_recstore *rs, size_t *n);

/* The same with blank and invalid_items counted per item, and per rule
 * the records with its finding (once per record): row c->row of *rules,
 * nrules counts (free() both).  presence[i] is true for the rules about
 * which items are given (didq_rule_presence), whose findings do not make a
 * value invalid.  Needs the store sealed (its findings sorted). */
didq_site_counts *didq_site_counts_scan_quality(const didq_recstore *rs, int nrules,
                                                const unsigned char *presence, uint64_t **rules,
                                                size_t *n);

/* Record ids lo..hi (a record scope is a list of them, query.h). */
typedef struct didq_id_range {
    uint32_t lo, hi;
} didq_id_range;

/* The same over the records of nr id ranges only. */
didq_site_counts *didq_site_counts_scan_ranges(const didq_recstore *rs, const didq_id_range *r,
                                               size_t nr, size_t *n);

/* The same over records that all have one valid site code (a site
 * scope, query_scope_site.c): one group, its code read once, each
 * record's site field not read at all.  *n is 0 without records. */
didq_site_counts *didq_site_counts_scan_one(const didq_recstore *rs, const didq_id_range *r,
                                            size_t nr, size_t *n);

/* The first and last valid test date (DIDQ_NODATE if none). */
void didq_test_date_range(const didq_recstore *rs, int32_t *first, int32_t *last);
/* The same over the records of nr id ranges only. */
void didq_test_date_range_in(const didq_recstore *rs, const didq_id_range *r, size_t nr,
                             int32_t *first, int32_t *last);

#endif
