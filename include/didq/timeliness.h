/* timeliness.h: days from request to test and from test to report, per
 * site and modality, as histograms with median and 90th percentile (seed
 * 003 4.3.2 d and e).  Read from a didq_analysis (anomaly.h). */
#ifndef DIDQ_TIMELINESS_H
#define DIDQ_TIMELINESS_H

#include "didq/anomaly.h"

#include <stdint.h>

/* Histogram buckets: days 0 .. DIDQ_TL_DAYS-2, the last bucket holds
 * DIDQ_TL_DAYS-1 days or more. */
enum { DIDQ_TL_DAYS = 1024 };

typedef struct didq_interval_dist {
    uint64_t n;        /* intervals counted (both dates valid, not negative) */
    uint64_t missing;  /* records without one of the dates */
    uint64_t negative; /* records whose dates are in the wrong order */
    uint32_t hist[DIDQ_TL_DAYS];
} didq_interval_dist;

typedef struct didq_timeliness {
    const char *site; /* NULL: every site */
    int modality;     /* didq_modality, or -1: every modality */
    uint64_t records;
    /* request (or, without one, request received) date to test date */
    didq_interval_dist request_to_test;
    /* test date to report issue date */
    didq_interval_dist test_to_report;
} didq_timeliness;

/* Rows: one per site and modality seen, one per site over every modality
 * (modality -1), and one over every site (site NULL, modality -1); sorted
 * by site (overall first), then modality. */
size_t didq_analysis_timeliness(const didq_analysis *a, const didq_timeliness **rows);
/* The same rows for one month's records (anomaly.h, "Months"): the month's
 * overall row, then its sites; DIDQ_ALLMONTHS: didq_analysis_timeliness.
 * 0 rows for a month not in the list.  Owned by the analysis. */
size_t didq_analysis_timeliness_in(const didq_analysis *a, int32_t month,
                                   const didq_timeliness **rows);

/* The p-th percentile (0..1, nearest rank) in days; -1 when n is 0. */
int didq_dist_percentile(const didq_interval_dist *d, double p);

/* Which records of a timeliness row a drill-down lists. */
enum didq_tl_part {
    DIDQ_TL_ALL,             /* every record of the row */
    DIDQ_TL_REQUEST_MISSING, /* request-to-test interval missing (a date absent) */
    DIDQ_TL_REQUEST_WRONG,   /* request (or received) date after the test date */
    DIDQ_TL_REPORT_MISSING,  /* test-to-report interval missing */
    DIDQ_TL_REPORT_WRONG     /* report date before the test date */
};

/* Condition over the records table selecting the records counted in a
 * row (site NULL: every site; modality -1: every modality), or in one of
 * its parts; the same test as the scan (NICIP first letter).  malloc'd. */
char *didq_timeliness_where(const char *site, int modality, enum didq_tl_part part);
/* The same within one month's records (didq_analysis_month_where). */
char *didq_timeliness_where_in(const didq_analysis *a, int32_t month, const char *site,
                               int modality, enum didq_tl_part part);

#endif
