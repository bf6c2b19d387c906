/* date.c: day-number arithmetic (civil-from-days after H. Hinnant). */
#include "didq/date.h"

#include <stdint.h>
#include <time.h>

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int didq_date_days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int32_t didq_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void didq_date_to_ymd(int32_t days, int *y, int *m, int *d)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Days before month m (1 to 12) of a year that is not a leap year. */
static const int16_t before_month[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

static int make(int y, int m, int d, int32_t *out, int32_t *mi)
{
    if (m < 1 || m > 12 || d < 1) return 0;
    if (y > 1900 && y < 2100) {
        /* every date a file holds: from 1901 to 2099 every fourth year is
         * a leap year, and the day number needs no division (the same as
         * didq_date_from_ymd: test_date compares every day) */
        int leap = (y & 3) == 0;
        if (d > didq_date_days_in_month(1, m) + (m == 2 && leap)) return 0;
        *out = (int32_t)(365 * (y - 1970) + (y - 1901) / 4 - 17 + before_month[m - 1] +
                         (leap && m > 2) + d - 1);
    } else {
        if (d > didq_date_days_in_month(y, m)) return 0;
        *out = didq_date_from_ymd(y, m, d);
    }
    if (mi) *mi = y * 12 + m - 1;
    return 1;
}

/* The digit at s[i] (0 to 9), or more than 9 for any other byte. */
static unsigned digit_at(const char *s, int i)
{
    return (unsigned)(unsigned char)s[i] - '0';
}

int didq_date_parse_mi(const char *s, size_t n, int32_t *out, int32_t *mi)
{
    /* every record has five of these: the eight digits read and tested
     * without a loop */
    if (n != 10 || s[4] != '-' || s[7] != '-') return 0;
    unsigned c0 = digit_at(s, 0), c1 = digit_at(s, 1), c2 = digit_at(s, 2), c3 = digit_at(s, 3),
             c5 = digit_at(s, 5), c6 = digit_at(s, 6), c8 = digit_at(s, 8), c9 = digit_at(s, 9);
    if ((c0 > 9) | (c1 > 9) | (c2 > 9) | (c3 > 9) | (c5 > 9) | (c6 > 9) | (c8 > 9) | (c9 > 9))
        return 0;
    return make((int)(c0 * 1000 + c1 * 100 + c2 * 10 + c3), (int)(c5 * 10 + c6),
                (int)(c8 * 10 + c9), out, mi);
}

int didq_date_parse(const char *s, size_t n, int32_t *out)
{
    return didq_date_parse_mi(s, n, out, NULL);
}

/* Reads 1 or 2 digits at s[*i]; advances *i. */
static int small_number(const char *s, size_t n, size_t *i, int *out)
{
    size_t start = *i;
    while (*i < n && *i - start < 2 && s[*i] >= '0' && s[*i] <= '9')
        (*i)++;
    return *i > start && digits(s + start, *i - start, out);
}

int didq_date_parse_lenient(const char *s, size_t n, int32_t *out)
{
    return didq_date_parse_lenient_mi(s, n, out, NULL);
}

int didq_date_parse_lenient_mi(const char *s, size_t n, int32_t *out, int32_t *mi)
{
    int y, m, d;
    size_t i = 5;
    if (n < 8 || s[4] != '-' || !digits(s, 4, &y)) return 0;
    if (!small_number(s, n, &i, &m) || i >= n || s[i++] != '-') return 0;
    if (!small_number(s, n, &i, &d)) return 0;
    if (i < n && s[i] != 'T' && s[i] != ' ') return 0;
    return make(y, m, d, out, mi);
}

void didq_date_format(int32_t days, char *buf)
{
    int y, m, d;
    didq_date_to_ymd(days, &y, &m, &d);
    buf[0] = (char)('0' + (y / 1000) % 10);
    buf[1] = (char)('0' + (y / 100) % 10);
    buf[2] = (char)('0' + (y / 10) % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = 0;
}

int didq_date_month_index(int32_t days)
{
    int y, m, d;
    didq_date_to_ymd(days, &y, &m, &d);
    return y * 12 + m - 1;
}

int32_t didq_date_add_months(int32_t days, int k)
{
    int y, m, d;
    didq_date_to_ymd(days, &y, &m, &d);
    int mi = y * 12 + (m - 1) + k;
    y = mi >= 0 ? mi / 12 : -((11 - mi) / 12); /* floor: mi < 0 before year 0 */
    m = mi - y * 12 + 1;
    int dim = didq_date_days_in_month(y, m);
    return didq_date_from_ymd(y, m, d > dim ? dim : d);
}

int32_t didq_date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return didq_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int didq_date_weekday(int32_t days)
{
    /* 1970-01-01 was a Thursday (3). */
    int w = (int)((days % 7 + 7) % 7);
    return (w + 3) % 7;
}
