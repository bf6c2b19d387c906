/* report.c: text and JSON reports and the findings CSV of `didq check`. */
#include "didq/report.h"
#include "report_int.h"
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/month.h"
#include "didq/store.h"
#include "didq/text.h"
#include "didq/util.h"
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

didq_summary didq_report_summary(didq_session *s)
{
    didq_summary sum = {0};
    sqlite3_stmt *q =
        didq_prepare(didq_session_db(s), "SELECT count(*), sum(records), sum(err_records),"
                                         " sum(warn_records), sum(verdict = 'rejected'),"
                                         " sum(file_reject) FROM files");
    if (sqlite3_step(q) == SQLITE_ROW) {
        sum.files = sqlite3_column_int(q, 0);
        sum.records = (uint64_t)sqlite3_column_int64(q, 1);
        sum.err_records = (uint64_t)sqlite3_column_int64(q, 2);
        sum.warn_records = (uint64_t)sqlite3_column_int64(q, 3);
        sum.files_rejected = sqlite3_column_int(q, 4);
        sum.files_file_level = sqlite3_column_int(q, 5);
    }
    sqlite3_finalize(q);
    return sum;
}

int didq_report_exit_status(didq_session *s)
{
    didq_summary sum = didq_report_summary(s);
    if (sum.files_file_level) return 2;
    return sum.err_records ? 1 : 0;
}

/* Prints untrusted text (file names, messages) with controls escaped. */
static void put_safe(FILE *out, const char *s)
{
    didq_buf b = {0};
    didq_text_escape(&b, s, strlen(s));
    if (b.p) fputs(b.p, out);
    didq_buf_free(&b);
}

/* Untrusted text escaped, then padded to width columns (%-Ns). */
static void put_pad(FILE *out, const char *s, int width)
{
    didq_buf b = {0};
    didq_text_escape(&b, s, strlen(s));
    fprintf(out, "%-*s", width, b.p ? b.p : "");
    didq_buf_free(&b);
}

/* Shown per code and file; a million short rows would otherwise be a
 * million report lines.  All of them are in --findings and the explorer. */
enum { SHOWN_PER_CODE = 20, MAX_CODES = 32 };

typedef struct code_count {
    char code[16];
    long long n, last_line;
} code_count;

static code_count *count_code(code_count *cc, int *ncc, const char *code)
{
    for (int i = 0; i < *ncc; i++)
        if (strcmp(cc[i].code, code) == 0) return &cc[i];
    if (*ncc == MAX_CODES) return NULL;
    code_count *c = &cc[(*ncc)++];
    snprintf(c->code, sizeof c->code, "%s", code);
    c->n = c->last_line = 0;
    return c;
}

static void text_file_findings(sqlite3_stmt *ff, FILE *out)
{
    code_count cc[MAX_CODES];
    int ncc = 0;
    while (sqlite3_step(ff) == SQLITE_ROW) {
        code_count *c = count_code(cc, &ncc, col_text(ff, 0));
        if (c && ++c->n > SHOWN_PER_CODE) {
            c->last_line = sqlite3_column_int64(ff, 1);
            continue;
        }
        long long line = sqlite3_column_int64(ff, 1);
        fputs("  ", out);
        put_safe(out, col_text(ff, 0));
        if (line > 0) /* 0: a finding about the whole file (DIDQ110) */
            fprintf(out, " line %lld: ", line);
        else
            fputs(": ", out);
        put_safe(out, col_text(ff, 2));
        fputc('\n', out);
    }
    for (int i = 0; i < ncc; i++) {
        if (cc[i].n <= SHOWN_PER_CODE) continue;
        fputs("  ", out);
        put_safe(out, cc[i].code);
        fprintf(out,
                ": %lld more, to line %lld (all of them are in --findings and --format json)\n",
                cc[i].n - SHOWN_PER_CODE, cc[i].last_line);
    }
}

/* "  reporting month 2026-10: ..." under a file's line. */
static void text_month(FILE *out, const didq_file_month *m)
{
    char ym[8];
    didq_month_format(m->month, ym);
    if (m->month == DIDQ_NOMONTH)
        fprintf(out, "  reporting month: none (no record has a valid test date)\n");
    else
        fprintf(out,
                "  reporting month %s: %llu records dated outside it, %llu without a valid"
                " test date\n",
                ym, (unsigned long long)m->outside, (unsigned long long)m->undated);
}

static void text_files(sqlite3 *db, FILE *out)
{
    didq_file_month *fm;
    int nfm = didq_file_months(db, &fm);
    sqlite3_stmt *q = didq_prepare(db, "SELECT id, path, format, records, err_records,"
                                       " warn_records, verdict FROM files ORDER BY id");
    sqlite3_stmt *ff = didq_prepare(db, "SELECT code, line, message FROM file_findings"
                                        " WHERE file = ? ORDER BY reject DESC, line, code");
    while (sqlite3_step(q) == SQLITE_ROW) {
        fputs("file ", out);
        put_safe(out, col_text(q, 1));
        fputs(" (", out);
        put_safe(out, col_text(q, 2));
        long long n = sqlite3_column_int64(q, 3);
        fprintf(out, "): %lld record%s, %lld with errors, %lld with warnings: ", n,
                didq_plural((unsigned long long)n), sqlite3_column_int64(q, 4),
                sqlite3_column_int64(q, 5));
        put_safe(out, col_text(q, 6));
        fputc('\n', out);
        int id = sqlite3_column_int(q, 0);
        if (id >= 1 && id <= nfm) text_month(out, &fm[id - 1]);
        sqlite3_bind_int(ff, 1, id);
        text_file_findings(ff, out);
        sqlite3_reset(ff);
    }
    sqlite3_finalize(ff);
    sqlite3_finalize(q);
    free(fm);
}

static void text_rules(sqlite3 *db, FILE *out, uint64_t records, const didq_rexpl *ex)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT code, severity, records, message FROM rules"
                                       " WHERE checked AND records > 0 ORDER BY code");
    fputs(ex->on ? "\nrule     severity  records      %  explained  message\n"
                 : "\nrule     severity  records      %  message\n",
          out);
    int any = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        long long n = sqlite3_column_int64(q, 2);
        put_pad(out, col_text(q, 0), 8);
        fputc(' ', out);
        put_pad(out, col_text(q, 1), 8);
        fprintf(out, " %8lld %6.2f  ", n, records ? 100.0 * (double)n / (double)records : 0.0);
        if (ex->on)
            fprintf(out, "%9llu  ", (unsigned long long)didq_rexpl_rule(ex, col_text(q, 0)));
        put_safe(out, col_text(q, 3));
        fputc('\n', out);
        any = 1;
    }
    if (!any) fputs("(no rule fired)\n", out);
    sqlite3_finalize(q);
    /* a line per reason, in the order of their first rules, after one blank */
    q = didq_prepare(db, "SELECT why, group_concat(code, ' ') FROM (SELECT why, code FROM rules"
                         " WHERE NOT checked ORDER BY code) GROUP BY why ORDER BY min(code)");
    for (int n = 0; sqlite3_step(q) == SQLITE_ROW; n++) {
        fputs(n ? "not checked (" : "\nnot checked (", out);
        put_safe(out, col_text(q, 0));
        fputs("): ", out);
        put_safe(out, col_text(q, 1));
        fputc('\n', out);
    }
    sqlite3_finalize(q);
}

/* The order of the months in the text: ascending, those comparing months
 * last. */
static int32_t month_key(int32_t m)
{
    return m == DIDQ_NOMONTH ? INT32_MAX : m;
}

/* Anomalies by month, then site, then severity (highest first), kind name
 * and id. */
static int cmp_by_site(const void *x, const void *y)
{
    const didq_anomaly *a = x, *b = y;
    if (a->month != b->month) return month_key(a->month) < month_key(b->month) ? -1 : 1;
    int c = strcmp(a->site, b->site);
    if (!c) c = (int)b->severity - (int)a->severity;
    if (!c) c = strcmp(didq_anomaly_kind_name(a->kind), didq_anomaly_kind_name(b->kind));
    return c ? c : a->id - b->id;
}

/* With several months: a line per month (files, records, share with an
 * error, anomalies). */
static void text_months(didq_session *s, FILE *out)
{
    report_month *m;
    size_t n = didq_report_months(s, &m);
    if (n > 1) fputs("\nmonths analysed apart (docs/usage.md, Reporting months):\n", out);
    for (size_t k = 0; n > 1 && k < n; k++) {
        char ym[8];
        fprintf(out, "month %-7s %3d file%s %10llu records, %6.2f%% with errors, %zu anomalies\n",
                didq_report_month_name(m[k].month, ym), m[k].files, m[k].files == 1 ? " " : "s",
                (unsigned long long)m[k].records,
                m[k].records ? 100.0 * (double)m[k].err_records / (double)m[k].records : 0.0,
                m[k].anomalies);
    }
    free(m);
}

/* The heading of a month's anomalies, when the session has several. */
static void month_heading(FILE *out, int32_t month)
{
    char ym[8];
    if (month == DIDQ_NOMONTH)
        fputs("\nanomalies comparing months, by site:\n", out);
    else
        fprintf(out, "\nanomalies of month %s by site:\n", didq_report_month_name(month, ym));
}

/* The session's anomalies (anomaly.h), grouped by month (when there are
 * several) and site: a copy of the list (the strings stay the analysis's)
 * sorted by month and site. */
static void text_anomalies(didq_session *s, FILE *out, const didq_notes *notes)
{
    const didq_analysis *a = didq_session_analysis(s);
    size_t n = didq_analysis_count(a);
    const int32_t *ml;
    bool months = didq_analysis_month_list(a, &ml) > 1;
    didq_anomaly *by = didq_xcalloc(n ? n : 1, sizeof *by);
    for (size_t i = 0; i < n; i++)
        by[i] = *didq_analysis_get(a, i);
    qsort(by, n, sizeof *by, cmp_by_site);
    if (!months || !n) fputs("\nanomalies by site (docs/anomalies.md):\n", out);
    for (size_t i = 0; i < n; i++) {
        const didq_anomaly *an = &by[i];
        bool new_month = !i || by[i - 1].month != an->month;
        if (months && new_month) month_heading(out, an->month);
        if (new_month || strcmp(by[i - 1].site, an->site) != 0) {
            fputs("site ", out);
            put_safe(out, an->site);
            fputs(":\n", out);
        }
        fputs("  ", out);
        put_pad(out, didq_anomaly_kind_name(an->kind), 30);
        fputc(' ', out);
        put_pad(out, didq_severity_name(an->severity), 6);
        fprintf(out, " %8llu records  ", (unsigned long long)an->records);
        if (notes)
            fprintf(out, "%8llu explained  ", (unsigned long long)didq_rexpl_anomaly(notes, an));
        put_safe(out, an->message ? an->message : "");
        fputc('\n', out);
    }
    if (!n) fputs("(none)\n", out);
    free(by);
}

/* A row of the meta table, or "" (the caller's buffer). */
const char *didq_report_meta(didq_session *s, const char *key, char *buf, size_t cap)
{
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), "SELECT value FROM meta WHERE key = ?");
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    buf[0] = 0;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return buf;
}

void didq_report_text(didq_session *s, FILE *out)
{
    didq_report_text_with(s, out, NULL);
}

void didq_report_text_with(didq_session *s, FILE *out, const didq_report_extra *x)
{
    static const didq_report_extra none = {0};
    if (!x) x = &none;
    char date[11], ref[1024];
    didq_summary sum = didq_report_summary(s);
    didq_date_format(didq_session_submitted(s), date);
    fprintf(out, "didq check: DIDS %s rules, submission date %s\n", didq_session_dataset(s)->name,
            date);
    fputs("reference data: ", out);
    put_safe(out, didq_report_meta(s, "refdata", ref, sizeof ref));
    fputc('\n', out);
    didq_report_scope_text(s, out);
    if (x->baseline) didq_report_baseline_text(x->baseline, out); /* the new findings first */
    if (x->notes) didq_report_notes_text(x->notes, out);
    didq_rexpl ex;
    didq_rexpl_count(&ex, s, x->notes);
    text_files(didq_session_db(s), out);
    text_rules(didq_session_db(s), out, sum.records, &ex);
    didq_rexpl_free(&ex);
    text_months(s, out);
    text_anomalies(s, out, x->notes);
    didq_report_text_dqmi(s, x->dqmi, out);
    fprintf(out, "\n%llu record%s, %llu with errors, %llu with warnings; %d of %d files rejected\n",
            (unsigned long long)sum.records, didq_plural(sum.records),
            (unsigned long long)sum.err_records, (unsigned long long)sum.warn_records,
            sum.files_rejected, sum.files);
}

const char *didq_report_month_name(int32_t month, char *buf)
{
    if (month == DIDQ_UNDATED_MONTH)
        snprintf(buf, 8, "undated");
    else
        didq_month_format(month, buf);
    return buf;
}

size_t didq_report_months(didq_session *s, report_month **out)
{
    const didq_analysis *a = didq_session_analysis(s);
    const int32_t *ml;
    size_t n = didq_analysis_month_list(a, &ml);
    report_month *m = didq_xcalloc(n + 1, sizeof *m);
    for (size_t k = 0; k < n; k++) {
        didq_month_info mi = didq_analysis_month_info(a, ml[k]);
        m[k] = (report_month){ml[k], mi.files, 0, 0, mi.anomalies};
    }
    didq_file_month *fm;
    int nfm = didq_file_months(didq_session_db(s), &fm);
    sqlite3_stmt *q =
        didq_prepare(didq_session_db(s), "SELECT id, records, err_records FROM files ORDER BY id");
    while (sqlite3_step(q) == SQLITE_ROW) {
        int id = sqlite3_column_int(q, 0);
        int32_t mo = id >= 1 && id <= nfm && fm[id - 1].month != DIDQ_NOMONTH ? fm[id - 1].month
                                                                              : DIDQ_UNDATED_MONTH;
        for (size_t k = 0; k < n; k++)
            if (m[k].month == mo) {
                m[k].records += (uint64_t)sqlite3_column_int64(q, 1);
                m[k].err_records += (uint64_t)sqlite3_column_int64(q, 2);
            }
    }
    sqlite3_finalize(q);
    free(fm);
    *out = m;
    return n;
}
