/* report_json.c: the JSON report and the findings CSV of `didq check`. */
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/month.h"
#include "didq/report.h"
#include "didq/store.h"
#include "didq/text.h"
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

static void json_file_findings(sqlite3 *db, FILE *out, int file)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT code, line, message, reject FROM file_findings"
                                       " WHERE file = ? ORDER BY reject DESC, line, code");
    sqlite3_bind_int(q, 1, file);
    fputs("\"file_findings\": [", out);
    for (int n = 0; sqlite3_step(q) == SQLITE_ROW; n++) {
        fprintf(out, "%s\n        {\"code\": ", n ? "," : "");
        didq_text_json(out, col_text(q, 0));
        if (sqlite3_column_type(q, 1) == SQLITE_NULL)
            fputs(", \"line\": null", out);
        else
            fprintf(out, ", \"line\": %lld", sqlite3_column_int64(q, 1));
        fprintf(out, ", \"severity\": \"%s\", \"message\": ",
                sqlite3_column_int(q, 3) ? "reject" : "warning");
        didq_text_json(out, col_text(q, 2));
        fputc('}', out);
    }
    fputs("]", out);
    sqlite3_finalize(q);
}

/* A file's reporting month (month.h): "month" (null without a valid
 * test date), "outside_month", "no_test_date". */
static void json_month(FILE *out, const didq_file_month *m)
{
    char ym[8];
    didq_month_format(m->month, ym);
    if (m->month == DIDQ_NOMONTH)
        fputs("\"month\": null", out);
    else
        fprintf(out, "\"month\": \"%s\"", ym);
    fprintf(out, ", \"outside_month\": %llu, \"no_test_date\": %llu,\n      ",
            (unsigned long long)m->outside, (unsigned long long)m->undated);
}

static void json_files(sqlite3 *db, FILE *out)
{
    didq_file_month *fm;
    int nfm = didq_file_months(db, &fm);
    sqlite3_stmt *q = didq_prepare(db, "SELECT id, path, format, records, err_records,"
                                       " warn_records, verdict FROM files ORDER BY id");
    fputs("  \"files\": [", out);
    for (int n = 0; sqlite3_step(q) == SQLITE_ROW; n++) {
        fprintf(out, "%s\n    {\"path\": ", n ? "," : "");
        didq_text_json(out, col_text(q, 1));
        fputs(", \"format\": ", out);
        didq_text_json(out, col_text(q, 2));
        fprintf(out,
                ", \"records\": %lld, \"records_with_errors\": %lld,"
                " \"records_with_warnings\": %lld, \"verdict\": ",
                sqlite3_column_int64(q, 3), sqlite3_column_int64(q, 4), sqlite3_column_int64(q, 5));
        didq_text_json(out, col_text(q, 6));
        fputs(",\n      ", out);
        int id = sqlite3_column_int(q, 0);
        didq_file_month none = {DIDQ_NOMONTH, 0, 0, 0};
        json_month(out, id >= 1 && id <= nfm ? &fm[id - 1] : &none);
        json_file_findings(db, out, id);
        fputc('}', out);
    }
    fputs("\n  ],\n", out);
    sqlite3_finalize(q);
    free(fm);
}

static void json_rules(sqlite3 *db, FILE *out, const didq_rexpl *ex)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT code, severity, records, checked, why, fields,"
                                       " message FROM rules ORDER BY code");
    fputs("  \"rules\": [", out);
    for (int n = 0; sqlite3_step(q) == SQLITE_ROW; n++) {
        int checked = sqlite3_column_int(q, 3);
        fprintf(out, "%s\n    {\"code\": ", n ? "," : "");
        didq_text_json(out, col_text(q, 0));
        fputs(", \"severity\": ", out);
        didq_text_json(out, col_text(q, 1));
        fputs(", ", out);
        if (checked) {
            fprintf(out, "\"count\": %lld, \"checked\": true", sqlite3_column_int64(q, 2));
            if (ex->on)
                fprintf(out, ", \"explained\": %llu",
                        (unsigned long long)didq_rexpl_rule(ex, col_text(q, 0)));
        } else {
            fputs("\"count\": null, \"checked\": false, \"not_checked_because\": ", out);
            didq_text_json(out, col_text(q, 4));
        }
        fputs(", \"fields\": ", out);
        didq_text_json(out, col_text(q, 5));
        fputs(", \"message\": ", out);
        didq_text_json(out, col_text(q, 6));
        fputc('}', out);
    }
    fputs("\n  ],\n", out);
    sqlite3_finalize(q);
}

/* "month": "2026-10", "undated" (the files without a reporting month), or
 * null (an anomaly that compares months). */
static void json_month_of(FILE *out, int32_t month)
{
    char ym[8];
    if (month == DIDQ_NOMONTH)
        fputs("\"month\": null", out);
    else
        fprintf(out, "\"month\": \"%s\"", didq_report_month_name(month, ym));
}

/* The months analysed apart: records, files, the share of records with an
 * error, anomalies. */
static void json_months(didq_session *s, FILE *out)
{
    report_month *m;
    size_t n = didq_report_months(s, &m);
    fputs("  \"months\": [", out);
    for (size_t k = 0; k < n; k++) {
        fprintf(out, "%s\n    {", k ? "," : "");
        json_month_of(out, m[k].month);
        fprintf(out,
                ", \"records\": %llu, \"files\": %d, \"records_with_errors\": %llu,"
                " \"error_share\": %.6g, \"anomalies\": %zu}",
                (unsigned long long)m[k].records, m[k].files, (unsigned long long)m[k].err_records,
                m[k].records ? (double)m[k].err_records / (double)m[k].records : 0.0,
                m[k].anomalies);
    }
    fputs("\n  ],\n", out);
    free(m);
}

/* The session's anomalies (anomaly.h), by month, highest severity first. */
static void json_anomalies(didq_session *s, FILE *out, const didq_notes *notes)
{
    const didq_analysis *a = didq_session_analysis(s);
    fputs("  \"anomalies\": [", out);
    for (size_t i = 0; i < didq_analysis_count(a); i++) {
        const didq_anomaly *an = didq_analysis_get(a, i);
        fprintf(out, "%s\n    {\"kind\": ", i ? "," : "");
        didq_text_json(out, didq_anomaly_kind_name(an->kind));
        fputs(", \"site\": ", out);
        didq_text_json(out, an->site);
        fputs(", \"severity\": ", out);
        didq_text_json(out, didq_severity_name(an->severity));
        fprintf(out, ", \"value\": %.6g, \"threshold\": %.6g, \"unit\": ", an->value,
                an->threshold);
        didq_text_json(out, didq_anomaly_kind_unit(an->kind));
        fprintf(out, ", \"records\": %llu, ", (unsigned long long)an->records);
        if (notes)
            fprintf(out, "\"explained\": %llu, ",
                    (unsigned long long)didq_rexpl_anomaly(notes, an));
        if (an->item >= 0) fprintf(out, "\"item\": %d, ", an->item + 1);
        fputs("\"message\": ", out);
        didq_text_json(out, an->message ? an->message : "");
        fputs(", ", out);
        json_month_of(out, an->month);
        fputc('}', out);
    }
    fputs("\n  ],\n", out);
}

void didq_report_json(didq_session *s, FILE *out)
{
    didq_report_json_with(s, out, NULL);
}

/* The layout's version (docs/check-report.schema.json): 1 was the layout
 * before it had one (with the anomalies' SQL `where`); 3 added each site's
 * `rules` and `completeness`, and `site_scope` (check --site). */
enum { REPORT_SCHEMA_VERSION = 3 };

void didq_report_json_with(didq_session *s, FILE *out, const didq_report_extra *x)
{
    static const didq_report_extra none = {0};
    if (!x) x = &none;
    char date[11];
    didq_summary sum = didq_report_summary(s);
    didq_date_format(didq_session_submitted(s), date);
    char ref[1024];
    fprintf(out, "{\n  \"schema_version\": %d,\n", REPORT_SCHEMA_VERSION);
    fprintf(out, "  \"dataset\": \"DIDS %s\",\n  \"submitted\": \"%s\",\n",
            didq_session_dataset(s)->name, date);
    fputs("  \"refdata\": ", out);
    didq_text_json(out, didq_report_meta(s, "refdata", ref, sizeof ref));
    fputs(",\n", out);
    didq_report_scope_json(s, out);
    if (x->baseline) didq_report_baseline_json(x->baseline, out); /* the new findings first */
    if (x->notes) {
        fputs("  \"notes\": {\"file\": ", out);
        didq_text_json(out, didq_notes_path(x->notes));
        fprintf(out, ", \"notes\": %zu},\n", didq_notes_count(x->notes));
    }
    didq_rexpl ex;
    didq_rexpl_count(&ex, s, x->notes);
    json_files(didq_session_db(s), out);
    json_rules(didq_session_db(s), out, &ex);
    didq_rexpl_free(&ex);
    json_months(s, out);
    json_anomalies(s, out, x->notes);
    didq_report_json_sections(s, x->dqmi, out);
    fprintf(out,
            "  \"records\": %llu,\n  \"records_with_errors\": %llu,\n"
            "  \"records_with_warnings\": %llu,\n  \"verdict\": \"%s\",\n"
            "  \"policy\": \"a file is rejected when it has a file-level finding or any record"
            " with an error\"\n}\n",
            (unsigned long long)sum.records, (unsigned long long)sum.err_records,
            (unsigned long long)sum.warn_records, sum.files_rejected ? "rejected" : "accepted");
}

/* A CSV cell of untrusted text with control characters escaped as the
 * terminal shows them (didq_text_escape): the findings file is often read
 * with cat or less, and no byte of the data may drive the terminal. */

static void csv_cell(FILE *out, const char *s)
{
    didq_text_csv_safe(out, s, strlen(s));
}

static void csv_value(FILE *out, sqlite3_stmt *q, int col, int item, bool mask)
{
    const char *v = col_text(q, col);
    if (!mask || !didq_text_is_identifier(item)) {
        didq_text_csv_safe(out, v, strlen(v));
        return;
    }
    didq_buf b = {0};
    didq_text_mask(&b, item, v, strlen(v));
    didq_text_csv_safe(out, b.p ? b.p : "", b.n);
    didq_buf_free(&b);
}

static void csv_file_rows(sqlite3 *db, FILE *out)
{
    sqlite3_stmt *q = didq_prepare(
        db, "SELECT f.path, ff.line, ff.code, CASE WHEN ff.reject THEN 'reject' ELSE 'warning'"
            " END, ff.message FROM file_findings ff JOIN files f ON f.id = ff.file"
            " ORDER BY ff.file, ff.line, ff.code");
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *path = col_text(q, 0), *msg = col_text(q, 4);
        didq_text_csv_safe(out, path, strlen(path));
        fprintf(out, ",%lld,,,,", sqlite3_column_int64(q, 1));
        csv_cell(out, col_text(q, 2));
        fputc(',', out);
        csv_cell(out, col_text(q, 3));
        fputs(",,,", out);
        didq_text_csv_safe(out, msg, strlen(msg));
        fputc('\n', out);
    }
    sqlite3_finalize(q);
}

/* The value column holds the raw value of the finding's item. */
static sqlite3_stmt *record_rows(didq_session *s)
{
    const didq_dataset *ds = didq_session_dataset(s);
    didq_buf sql = {0};
    didq_buf_puts(&sql, "SELECT f.path, r.line, r.recno, r." DIDQ_COL_F(DIDQ_ACCESSION));
    didq_buf_puts(&sql,
                  ", r." DIDQ_COL_F(DIDQ_SITE) ", ru.code, ru.severity, fi.item, CASE fi.item");
    for (int i = 0; i < ds->nitems; i++)
        didq_buf_printf(&sql, " WHEN %d THEN r.f%d", i, DIDQ_COL_NUM(i));
    didq_buf_puts(&sql, " END, ru.message FROM findings fi JOIN records r ON r.id = fi.rec"
                        " JOIN rules ru ON ru.id = fi.rule JOIN files f ON f.id = r.file"
                        " ORDER BY r.id, ru.code");
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql.p);
    didq_buf_free(&sql);
    return q;
}

void didq_report_findings_csv(didq_session *s, FILE *out, bool mask)
{
    const didq_dataset *ds = didq_session_dataset(s);
    fputs("file,line,record,accession,site,code,severity,field,value,message\n", out);
    csv_file_rows(didq_session_db(s), out);
    sqlite3_stmt *q = record_rows(s);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int item = sqlite3_column_int(q, 7); /* a saved file's: checked */
        const char *path = col_text(q, 0);
        didq_text_csv_safe(out, path, strlen(path));
        fprintf(out, ",%lld,%lld,", sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2));
        csv_value(out, q, 3, DIDQ_ACCESSION, false);
        fputc(',', out);
        csv_value(out, q, 4, DIDQ_SITE, false);
        fputc(',', out);
        csv_cell(out, col_text(q, 5));
        fputc(',', out);
        csv_cell(out, col_text(q, 6));
        fprintf(out, ",%s,", item >= 0 && item < ds->nitems ? ds->items[item].field : "?");
        csv_value(out, q, 8, item, mask);
        fputc(',', out);
        const char *msg = col_text(q, 9);
        didq_text_csv_safe(out, msg, strlen(msg));
        fputc('\n', out);
    }
    sqlite3_finalize(q);
}
