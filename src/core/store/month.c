/* month.c: the reporting month of a file (month.h). */
#include "didq/month.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The test date's day column in the records table. */
#define TEST_DAY DIDQ_COL_D(DIDQ_TEST_DATE)

void didq_month_hist_add(didq_month_hist *h, int32_t mi, uint64_t n)
{
    if (mi < 0 || mi >= DIDQ_MONTHS) {
        h->undated += n;
        return;
    }
    if (!h->n) h->n = didq_xcalloc(DIDQ_MONTHS, sizeof *h->n);
    if (!h->used) h->lo = h->hi = mi, h->used = 1;
    h->lo = mi < h->lo ? mi : h->lo;
    h->hi = mi > h->hi ? mi : h->hi;
    h->n[mi] += (uint32_t)n;
}

didq_file_month didq_month_hist_take(didq_month_hist *h)
{
    return didq_month_hist_take_as(h, DIDQ_NOMONTH);
}

didq_file_month didq_month_hist_take_as(didq_month_hist *h, int32_t given)
{
    didq_file_month f = {DIDQ_NOMONTH, 0, 0, h->undated};
    uint64_t dated = 0;
    for (int32_t m = h->lo; h->used && m <= h->hi; m++) {
        dated += h->n[m];
        if (given == DIDQ_NOMONTH && h->n[m] && h->n[m] >= f.in_month)
            f.month = m, f.in_month = h->n[m]; /* tie: later */
        if (m == given) f.in_month = h->n[m];
        h->n[m] = 0;
    }
    if (given != DIDQ_NOMONTH) f.month = given;
    f.outside = dated - f.in_month;
    h->undated = 0;
    h->used = 0;
    return f;
}

void didq_month_hist_free(didq_month_hist *h)
{
    free(h->n);
    memset(h, 0, sizeof *h);
}

void didq_month_format(int32_t mi, char *buf)
{
    if (mi < 0 || mi >= DIDQ_MONTHS)
        snprintf(buf, 8, "-");
    else
        snprintf(buf, 8, "%04d-%02d", (int)(mi / 12), (int)(mi % 12 + 1));
}

int didq_month_parse(const char *s, int32_t *mi)
{
    for (int i = 0; i < 7; i++)
        if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return 0;
    int y = atoi(s), m = atoi(s + 5);
    if (s[7] || m < 1 || m > 12) return 0;
    *mi = y * 12 + m - 1;
    return 1;
}

static int has_column(sqlite3 *db, const char *table, const char *col)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
    sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, col, -1, SQLITE_STATIC);
    int has = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return has;
}

static int count_files(sqlite3 *db)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT coalesce(max(id), 0) FROM files");
    int n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    return n;
}

static void from_columns(sqlite3 *db, didq_file_month *f, int n)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT id, month, outside_month, no_test_date,"
                                       " records FROM files");
    while (sqlite3_step(q) == SQLITE_ROW) {
        int id = sqlite3_column_int(q, 0);
        if (id < 1 || id > n) continue;
        didq_file_month *m = &f[id - 1];
        const char *s = (const char *)sqlite3_column_text(q, 1);
        if (!s || !didq_month_parse(s, &m->month)) m->month = DIDQ_NOMONTH;
        m->outside = (uint64_t)sqlite3_column_int64(q, 2);
        m->undated = (uint64_t)sqlite3_column_int64(q, 3);
        uint64_t recs = (uint64_t)sqlite3_column_int64(q, 4);
        m->in_month = recs >= m->outside + m->undated ? recs - m->outside - m->undated : 0;
    }
    sqlite3_finalize(q);
}

/* A session saved before the columns: the months of each file's records
 * (TEST_DAY is the valid test date as days since 1970-01-01). */
static void from_records(sqlite3 *db, didq_file_month *f, int n)
{
    sqlite3_stmt *q = didq_prepare(
        db, "SELECT file, CAST(strftime('%Y', " TEST_DAY " * 86400, 'unixepoch') AS INTEGER) * 12"
            " + CAST(strftime('%m', " TEST_DAY " * 86400, 'unixepoch') AS INTEGER) - 1 AS m,"
            " count(*)"
            " FROM records GROUP BY file, m ORDER BY file");
    didq_month_hist h = {0};
    int cur = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        int file = sqlite3_column_int(q, 0);
        if (file != cur) {
            didq_file_month m = didq_month_hist_take(&h);
            if (cur >= 1 && cur <= n) f[cur - 1] = m;
            cur = file;
        }
        int32_t mi =
            sqlite3_column_type(q, 1) == SQLITE_NULL ? DIDQ_NOMONTH : sqlite3_column_int(q, 1);
        didq_month_hist_add(&h, mi, (uint64_t)sqlite3_column_int64(q, 2));
    }
    if (cur >= 1 && cur <= n) f[cur - 1] = didq_month_hist_take(&h);
    sqlite3_finalize(q);
    didq_month_hist_free(&h);
}

int didq_file_months(sqlite3 *db, didq_file_month **out)
{
    int n = count_files(db);
    *out = NULL;
    if (n <= 0) return 0;
    didq_file_month *f = didq_xcalloc((size_t)n, sizeof *f);
    for (int i = 0; i < n; i++)
        f[i].month = DIDQ_NOMONTH;
    if (has_column(db, "files", "month"))
        from_columns(db, f, n);
    else
        from_records(db, f, n);
    *out = f;
    return n;
}
