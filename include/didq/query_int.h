/* query_int.h: the in-memory side of the pane queries (query_sites.c),
 * used by query_panes.c when the session has a record store, and by
 * store_save.c to keep their results in a saved file (store_panes.c), which
 * a saved session reads instead.  Not for other modules. */
#ifndef DIDQ_QUERY_INT_H
#define DIDQ_QUERY_INT_H

#include "didq/recstore.h"

#include <sqlite3.h>
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
    uint64_t setting[8];        /* source setting 01..07, then any other or blank */
    uint64_t gp_ref, gp_ref_03; /* GP-referred (didq_gp_referred), of which 03 */
    uint64_t bad_code;          /* records whose site code breaks a site rule (all or none) */
} didq_site_counts;

/* Every site of the store, most records first, then by site (absent
 * first), the invalid-site group last; *n sites.  Free with free(). */
didq_site_counts *didq_site_counts_scan(const didq_recstore *rs, size_t *n);

/* The first and last valid test date (DIDQ_NODATE if none). */
void didq_test_date_range(const didq_recstore *rs, int32_t *first, int32_t *last);

/* Creates the tables site_counts and period in the attached schema disk
 * and fills them from the store (docs/design.md).  Returns 0, or -1 with
 * SQLite's message. */
int didq_store_save_panes(sqlite3 *db, const didq_recstore *rs, char *err, size_t errlen);

#endif
