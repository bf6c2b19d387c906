/* query_sites.h: what the query files share about sites (query_sites.c,
 * query_months.c): a site's records as a condition and its label, and a
 * site's anomalies in a month. */
#ifndef DIDQ_QUERY_SITES_H
#define DIDQ_QUERY_SITES_H

#include "didq/anomaly.h"
#include "didq/session.h"
#include "recstore_sites.h"

#include <stdbool.h>
#include <stdint.h>

/* The records of a site (NULL: absent; "": only spaces, cleansed to ''):
 * `r.site = 'X'` seeks in the site look-up; only the absent site scans.
 * The two blank sites are two rows, and each selects only its own.  A
 * record whose site code breaks a site rule (DIDQ_REC_BAD_SITE, never set
 * on a blank code) is counted in the one "(invalid site)" row, not under
 * its code (invalid).  sqlite3_free() it. */
char *didq_site_where(const char *site, bool invalid);
/* "(invalid site)", "(blank)" or the site code. */
const char *didq_site_label(const char *site, bool invalid);
/* A site's cleansed value as a C string (NULL when absent); free() it. */
char *didq_site_str(const didq_site_counts *c);
/* The anomalies of site in month m (didq_anomaly_in_month: DIDQ_ALLMONTHS
 * for every one). */
int didq_site_anomalies(const didq_analysis *a, const char *site, int32_t m);

/* The Sites table's figures per file and site group written into the
 * file a loaded session is being saved to (schema "disk", table
 * site_figs), which the session opened again sums instead of grouping its
 * records.  0, or -1 with SQLite's message (a didq_save_fn's part). */
int didq_query_sites_save(didq_session *s, sqlite3 *db, char *err, size_t errlen);

/* n counts as a blob of 32-bit little-endian words bound to column col
 * (a saved table's counts fit: record ids are 32-bit; query_save.c), and
 * read back: false unless the blob holds exactly n, each at most max[k]
 * (each) or max[0]. */
void didq_blob_u32_bind(sqlite3_stmt *q, int col, const uint64_t *v, size_t n);
/* Creates a saved table (create, one statement) and prepares *q, its insert;
 * an SQLite result code (query_save.c). */
int didq_save_table(sqlite3 *db, const char *create, const char *insert, sqlite3_stmt **q);
bool didq_blob_u32_read(sqlite3_stmt *q, int col, uint64_t *v, size_t n, const uint64_t *max,
                        bool each);

#endif
