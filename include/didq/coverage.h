/* coverage.h: records per site per test day over the period the files
 * cover, the weekdays without activity and month-on-month volumes (seed
 * 003 4.2 and 4.3.2 a).  Read from a didq_analysis (anomaly.h). */
#ifndef DIDQ_COVERAGE_H
#define DIDQ_COVERAGE_H

#include "didq/anomaly.h"

#include <stdint.h>

/* The period: test days day0 .. day0 + ndays - 1, from the first day of
 * the files' first reporting month (month.h) to the last day of their
 * last (at most the last 1,100 days); ndays is 0 without dated records.
 * Only days of reporting months are counted. */
typedef struct didq_period {
    int32_t day0;
    int ndays;
} didq_period;

typedef struct didq_site_coverage {
    const char *site;
    uint64_t records;      /* every record of the site */
    const uint32_t *count; /* ndays counts, by test day */
    uint64_t undated;      /* records without a valid test date */
    uint64_t outside;      /* valid test dates outside the reporting months */
} didq_site_coverage;

typedef struct didq_month_volume {
    const char *site; /* NULL: every site */
    int month;        /* year * 12 + month - 1 (didq_date_month_index) */
    uint64_t records;
    int days; /* days of the month inside the period */
} didq_month_volume;

didq_period didq_analysis_period(const didq_analysis *a);
/* One month's period: its first to its last day (ndays 0 for
 * DIDQ_UNDATED_MONTH and a month not in the list); DIDQ_ALLMONTHS:
 * didq_analysis_period. */
didq_period didq_analysis_period_in(const didq_analysis *a, int32_t month);

/* The files' reporting months (month indexes), ascending, no repeats. */
int didq_analysis_months(const didq_analysis *a, const int32_t **months);

/* Sites sorted by code. */
size_t didq_analysis_coverage(const didq_analysis *a, const didq_site_coverage **rows);
/* One month's sites, sorted by code, over didq_analysis_period_in: the
 * records of the month's files; outside counts those dated in another
 * month.  DIDQ_ALLMONTHS: didq_analysis_coverage.  Owned by the analysis. */
size_t didq_analysis_coverage_in(const didq_analysis *a, int32_t month,
                                 const didq_site_coverage **rows);

/* One row per site (overall first) and reporting month, in order. */
size_t didq_analysis_volumes(const didq_analysis *a, const didq_month_volume **rows);

/* Condition selecting a site's records on test days d0..d1 (for the
 * coverage drill-down); malloc'd. */
char *didq_coverage_where(const char *site, int32_t d0, int32_t d1);
/* The same within one month's records (didq_analysis_month_where). */
char *didq_coverage_where_in(const didq_analysis *a, int32_t month, const char *site, int32_t d0,
                             int32_t d1);

#endif
