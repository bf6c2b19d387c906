/* refdata_csv.c: the date forms of the official CSV files, and the
 * loaders' shared bookkeeping. */
#include "refdata_int.h"
#include "didq/date.h"

#include <stdarg.h>
#include <stdio.h>

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int ymd(int y, int m, int d, int32_t *out)
{
    if (m < 1 || m > 12 || d < 1 || d > didq_date_days_in_month(y, m)) return 0;
    *out = didq_date_from_ymd(y, m, d);
    return 1;
}

int refdate_parse(const char *s, size_t n, int32_t *out)
{
    *out = DIDQ_NODATE;
    if (n == 0) return 1;
    if (n == 8 && digits(s, 8)) return ymd(num(s, 4), num(s + 4, 2), num(s + 6, 2), out);
    if (n == 6 && digits(s, 6)) return ymd(num(s, 4), num(s + 4, 2), 1, out);
    if (n >= 10 && s[4] == '-' && s[7] == '-' && digits(s, 4) && digits(s + 5, 2) &&
        digits(s + 8, 2) && (n == 10 || s[10] == ' ' || s[10] == 'T'))
        return ymd(num(s, 4), num(s + 5, 2), num(s + 8, 2), out);
    if (n >= 10 && s[2] == '/' && s[5] == '/' && digits(s, 2) && digits(s + 3, 2) &&
        digits(s + 6, 4) && (n == 10 || s[10] == ' '))
        return ymd(num(s + 6, 4), num(s + 3, 2), num(s, 2), out);
    return 0;
}

enum { MAX_MSGS = 10 };

void refload_bad(refload *L, uint64_t line, const char *fmt, ...)
{
    if (L->file->bad++ >= MAX_MSGS || !L->fn) return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    L->fn(L->ctx, L->file->path, line, msg);
}

bool refload_malformed(refload *L, const didq_table_row *row)
{
    if (row->bad) refload_bad(L, row->line, "%s", row->bad);
    return row->bad != NULL;
}

void refload_newest(refload *L, int32_t day)
{
    if (day != DIDQ_NODATE && (L->file->newest == DIDQ_NODATE || day > L->file->newest))
        L->file->newest = day;
}
