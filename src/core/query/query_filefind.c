/* query_filefind.c: file-level findings (DIDS075, DIDS076, DIDQ1xx) in the
 * explorer: rows of the Validation pane, the reason beside a file's verdict
 * on the Overview, and the findings on a record's line in its detail.  A
 * file-level finding names a file and a physical line; the records "at"
 * it are those of that file that start on that line (none for a header). */
#include "didq/query.h"
#include "recstore.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *txt(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? (const char *)t : "";
}

static int64_t count_where(sqlite3 *db, const char *where)
{
    char *sql = sqlite3_mprintf("SELECT count(*) FROM records r WHERE %s", where);
    sqlite3_stmt *q = didq_prepare(db, sql);
    int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    sqlite3_free(sql);
    return n;
}

/* The records of the file (ids first..last, lines never decreasing) that
 * start on line: one for a CSV row, several for an XML element that holds
 * several records. */
static int64_t records_on_line(const didq_recstore *rs, uint32_t first, uint32_t last, int64_t line)
{
    uint32_t lo = first, hi = last + 1; /* the first id whose line >= line */
    if (!first) return 0;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (didq_recstore_meta(rs, mid)->line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    int64_t n = 0;
    for (uint32_t id = lo; id <= last && didq_recstore_meta(rs, id)->line == line; id++)
        n++;
    return n;
}

/* The records starting on the lines of a file's findings of code, which
 * is what `where` selects: in memory a binary search per line (a national
 * month's DIDS075 rows would otherwise be a scan of the file per code),
 * in a saved session the SQL. */
static int64_t records_at(didq_session *s, int file, const char *code, const char *where)
{
    const didq_recstore *rs = didq_session_recstore(s);
    sqlite3 *db = didq_session_db(s);
    if (!rs) return count_where(db, where);
    uint32_t first, last;
    didq_recstore_file_range(rs, file, &first, &last);
    sqlite3_stmt *q = didq_prepare(db, "SELECT DISTINCT line FROM file_findings"
                                       " WHERE file = ? AND code = ? AND line IS NOT NULL");
    sqlite3_bind_int(q, 1, file);
    sqlite3_bind_text(q, 2, code, -1, SQLITE_STATIC);
    int64_t n = 0;
    while (sqlite3_step(q) == SQLITE_ROW)
        n += records_on_line(rs, first, last, sqlite3_column_int64(q, 0));
    sqlite3_finalize(q);
    return n;
}

/* A file's findings of a code at the lines where the records of `where`
 * start: those records, their distinct lines, the first of those lines
 * and the message found on it (""; sqlite3_free).  The first line is
 * found before its message is looked up: an aggregate cannot stand in
 * the subquery that looks it up. */
typedef struct site_figs {
    long long recs, lines, line;
    char *message;
} site_figs;

static site_figs site_figures(sqlite3 *db, int file, const char *code, const char *where)
{
    char *sql = sqlite3_mprintf("WITH s AS (SELECT count(*) AS recs, count(DISTINCT r.line) AS"
                                " lines, min(r.line) AS first FROM records r WHERE %s)"
                                " SELECT recs, lines, first, (SELECT message FROM file_findings"
                                " WHERE file = %d AND code = %Q AND line = s.first LIMIT 1)"
                                " FROM s",
                                where, file, code);
    sqlite3_stmt *c = didq_prepare(db, sql);
    sqlite3_free(sql);
    site_figs f = {0, 0, 0, NULL};
    if (sqlite3_step(c) == SQLITE_ROW) {
        f.recs = sqlite3_column_int64(c, 0);
        f.lines = sqlite3_column_int64(c, 1);
        f.line = sqlite3_column_int64(c, 2);
        f.message = sqlite3_mprintf("%s", txt(c, 3));
    }
    sqlite3_finalize(c);
    return f;
}

/* A file's findings of a code in a site scope: only those at lines where
 * a record of the site starts, counted over those records and lines (a
 * finding on a header or on another site's line is not the site's). */
static void site_row(didq_session *s, didq_scope *sc, didq_qtable *t, sqlite3_stmt *q,
                     uint64_t records)
{
    int file = sqlite3_column_int(q, 0), reject = sqlite3_column_int(q, 2);
    const char *code = txt(q, 1);
    char *cond = sqlite3_mprintf("r.file = %d AND r.line IN (SELECT line FROM file_findings"
                                 " WHERE file = %d AND code = %Q)",
                                 file, file, code);
    char *where = didq_scope_and(sc, cond);
    sqlite3_free(cond);
    site_figs f = site_figures(didq_session_db(s), file, code, where);
    if (f.recs > 0) {
        size_t r = didq_qtable_row(t);
        didq_qtable_set(t, r, 0, "%s", code);
        didq_qtable_set(t, r, 1, "%s", reject ? "reject" : "warning");
        didq_qtable_set(t, r, 2, "%lld", f.recs);
        didq_qtable_share(t, r, 3, (uint64_t)f.recs, records);
        if (f.lines > 1)
            didq_qtable_set(t, r, 4, "%s line %lld (and %lld more lines): %s",
                            didq_path_base(txt(q, 6)), f.line, f.lines - 1, f.message);
        else
            didq_qtable_set(t, r, 4, "%s line %lld: %s", didq_path_base(txt(q, 6)), f.line,
                            f.message);
        t->mark[r] = (unsigned char)reject;
        didq_qtable_drill(t, r, 0, code, "%s", where);
        didq_qtable_count(t, r, 0, f.recs);
    }
    sqlite3_free(f.message);
    sqlite3_free(where);
}

/* One row per file and code, rejects first, then by file and first line:
 * code, severity, records at its lines, their share, and "FILE line L
 * (and N more lines): message" of its first line. */
void didq_query_file_rows(didq_session *s, didq_qtable *t, uint64_t records)
{
    didq_query_file_rows_in(s, NULL, t, records);
}

void didq_query_file_rows_in(didq_session *s, didq_scope *sc, didq_qtable *t, uint64_t records)
{
    sqlite3 *db = didq_session_db(s);
    sqlite3_stmt *q = didq_prepare(
        db, "SELECT ff.file, ff.code, max(ff.reject), count(*), min(coalesce(ff.line, 0)),"
            " (SELECT message FROM file_findings f2 WHERE f2.file = ff.file AND f2.code = ff.code"
            "  ORDER BY coalesce(f2.line, 0) LIMIT 1), f.path"
            " FROM file_findings ff JOIN files f ON f.id = ff.file"
            " GROUP BY ff.file, ff.code ORDER BY 3 DESC, 1, 5, 2");
    while (sqlite3_step(q) == SQLITE_ROW) {
        int file = sqlite3_column_int(q, 0), reject = sqlite3_column_int(q, 2);
        if (!didq_scope_has_file(sc, file)) continue;
        if (didq_scope_site_of(sc)) {
            site_row(s, sc, t, q, records);
            continue;
        }
        size_t r = didq_qtable_row(t);
        long long n = sqlite3_column_int64(q, 3), line = sqlite3_column_int64(q, 4);
        didq_qtable_set(t, r, 0, "%s", txt(q, 1));
        didq_qtable_set(t, r, 1, "%s", reject ? "reject" : "warning");
        char *where = sqlite3_mprintf("r.file = %d AND r.line IN (SELECT line FROM file_findings"
                                      " WHERE file = %d AND code = %Q)",
                                      file, file, txt(q, 1));
        int64_t recs = records_at(s, file, txt(q, 1), where);
        didq_qtable_set(t, r, 2, "%lld", (long long)recs);
        didq_qtable_share(t, r, 3, (uint64_t)recs, records);
        if (n > 1)
            didq_qtable_set(t, r, 4, "%s line %lld (and %lld more lines): %s",
                            didq_path_base(txt(q, 6)), line, n - 1, txt(q, 5));
        else
            didq_qtable_set(t, r, 4, "%s line %lld: %s", didq_path_base(txt(q, 6)), line,
                            txt(q, 5));
        t->mark[r] = (unsigned char)reject;
        if (recs > 0) {
            didq_qtable_drill(t, r, 0, txt(q, 1), "%s", where);
            didq_qtable_count(t, r, 0, recs);
        }
        sqlite3_free(where);
    }
    sqlite3_finalize(q);
}

/* Why a file is rejected, or "" when it is accepted. */
char *didq_query_file_reason(sqlite3 *db, int file)
{
    sqlite3_stmt *q =
        didq_prepare(db, "SELECT ff.code, ff.line, ff.message, (SELECT count(*) FROM file_findings"
                         " WHERE file = ff.file AND reject), f.err_records FROM files f"
                         " LEFT JOIN file_findings ff ON ff.file = f.id AND ff.reject"
                         " WHERE f.id = ? ORDER BY coalesce(ff.line, 0), ff.code LIMIT 1");
    sqlite3_bind_int(q, 1, file);
    char *reason = NULL;
    if (sqlite3_step(q) == SQLITE_ROW) {
        long long more = sqlite3_column_int64(q, 3) - 1, err = sqlite3_column_int64(q, 4);
        char also[48] = "";
        if (more > 0) snprintf(also, sizeof also, " (+%lld more)", more);
        if (sqlite3_column_type(q, 0) != SQLITE_NULL)
            reason = sqlite3_mprintf("%s line %lld%s: %s", txt(q, 0), sqlite3_column_int64(q, 1),
                                     also, txt(q, 2));
        else if (err > 0)
            reason = sqlite3_mprintf("%lld record%s with errors", err, err == 1 ? "" : "s");
    }
    sqlite3_finalize(q);
    char *out = didq_strdup(reason ? reason : "");
    sqlite3_free(reason);
    return out;
}

/* The file-level findings on a record's line: code, severity, item -1
 * (the file, no item), message; appended to its findings. */
void didq_query_line_findings(sqlite3 *db, didq_qtable *t, int64_t id)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT ff.code, ff.reject, ff.message FROM records r"
                                       " JOIN file_findings ff ON ff.file = r.file"
                                       " AND ff.line = r.line WHERE r.id = ?"
                                       " ORDER BY ff.reject DESC, ff.code");
    sqlite3_bind_int64(q, 1, id);
    while (sqlite3_step(q) == SQLITE_ROW) {
        size_t r = didq_qtable_row(t);
        didq_qtable_set(t, r, 0, "%s", txt(q, 0));
        didq_qtable_set(t, r, 1, "%s", sqlite3_column_int(q, 1) ? "reject" : "warning");
        didq_qtable_set(t, r, 2, "-1");
        didq_qtable_set(t, r, 3, "%s", txt(q, 2));
        t->mark[r] = (unsigned char)sqlite3_column_int(q, 1);
    }
    sqlite3_finalize(q);
}
