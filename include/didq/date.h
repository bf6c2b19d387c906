/* date.h: calendar dates as day numbers (days since 1970-01-01). */
#ifndef DIDQ_DATE_H
#define DIDQ_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DIDQ_NODATE INT32_MIN

/* Strict CCYY-MM-DD, a real Gregorian date (29 February only in leap
 * years, day 00 invalid).  Returns 1 and sets *out, or 0. */
int didq_date_parse(const char *s, size_t n, int32_t *out);

/* The same, also giving the month index (year * 12 + month - 1). */
int didq_date_parse_mi(const char *s, size_t n, int32_t *out, int32_t *mi);
int didq_date_parse_lenient_mi(const char *s, size_t n, int32_t *out, int32_t *mi);

/* The lenient form NHS England's casts accept for DIDS010/028/040:
 * CCYY-M[M]-D[D], optionally followed by 'T' or ' ' and a time. */
int didq_date_parse_lenient(const char *s, size_t n, int32_t *out);

/* Day number of a valid y-m-d (no checking). */
int32_t didq_date_from_ymd(int y, int m, int d);
void didq_date_to_ymd(int32_t days, int *y, int *m, int *d);

/* Writes CCYY-MM-DD and a NUL into buf (at least 11 bytes). */
void didq_date_format(int32_t days, char *buf);

/* Calendar month index: year * 12 + month - 1. */
int didq_date_month_index(int32_t days);

/* The date k months later; a day past the end of the month is clamped to
 * the last day (add_months semantics). */
int32_t didq_date_add_months(int32_t days, int k);

/* Days in a month of a year. */
int didq_date_days_in_month(int y, int m);

/* Today in local time. */
int32_t didq_date_today(void);

/* 0 = Monday ... 6 = Sunday. */
int didq_date_weekday(int32_t days);

#endif
