/* month.h: the reporting month of a file: the calendar month that holds
 * the most of its valid test dates (DIAGNOSTIC_TEST_DATE, item 13); on a
 * tie, the later month.  Records dated in another month are counted as
 * outside it, records without a valid test date separately.  The session
 * counts months per file while it loads (one increment per record) and
 * writes the result to the files table (month, outside_month,
 * no_test_date); charts and month-on-month figures use reporting months
 * only (docs/usage.md, Overview and Coverage). */
#ifndef DIDQ_MONTH_H
#define DIDQ_MONTH_H

#include <sqlite3.h>
#include <stdint.h>

#define DIDQ_NOMONTH (-1)

/* Month indexes are year * 12 + month - 1 (didq_date_month_index), years
 * 0000 to 9999. */
enum { DIDQ_MONTHS = 10000 * 12 };

typedef struct didq_file_month {
    int32_t month;     /* the reporting month, or DIDQ_NOMONTH without a valid test date */
    uint64_t in_month; /* records with a test date in it */
    uint64_t outside;  /* records with a valid test date in another month */
    uint64_t undated;  /* records without a valid test date */
} didq_file_month;

/* Records per month of one file; zero-initialise. */
typedef struct didq_month_hist {
    uint32_t *n;    /* DIDQ_MONTHS counters, allocated at the first dated record */
    int32_t lo, hi; /* months counted: lo..hi, lo > hi when none */
    uint64_t undated;
    int used;
} didq_month_hist;

/* Counts a record with test-date month mi (DIDQ_NOMONTH: no valid date). */
void didq_month_hist_add(didq_month_hist *h, int32_t mi, uint64_t n);
/* The file's reporting month; clears the counts for the next file. */
didq_file_month didq_month_hist_take(didq_month_hist *h);
/* The same with the reporting month given (`--month`, not DIDQ_NOMONTH):
 * the records dated in it are in_month, the other dated ones outside. */
didq_file_month didq_month_hist_take_as(didq_month_hist *h, int32_t given);
void didq_month_hist_free(didq_month_hist *h);

/* "CCYY-MM" and a NUL into buf (8 bytes); "-" for DIDQ_NOMONTH. */
void didq_month_format(int32_t mi, char *buf);
/* Strict CCYY-MM; 1 and *mi, or 0. */
int didq_month_parse(const char *s, int32_t *mi);

/* The reporting month of every file of a store or saved session, indexed
 * by file id - 1 (malloc'd, *out NULL when none); returns the number of
 * files.  From the files table's columns (written as each file ends, so
 * month, outside and undated are there before the end of the load; in_month
 * needs its records count), or, for a session saved by an older didq
 * without them, counted from the records. */
int didq_file_months(sqlite3 *db, didq_file_month **out);

#endif
