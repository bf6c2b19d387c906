/* report_extra.c: what --notes and --baseline add to check's reports: how
 * many records of each rule and anomaly are explained, and the baseline's
 * new findings (first) and counts. */
#include "didq/baseline.h"
#include "didq/report.h"
#include "didq/store.h"
#include "didq/text.h"
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

void didq_rexpl_count(didq_rexpl *e, didq_session *s, const didq_notes *n)
{
    didq_rexpl_count_where(e, s, n, NULL);
}

void didq_rexpl_count_where(didq_rexpl *e, didq_session *s, const didq_notes *n, const char *cond)
{
    memset(e, 0, sizeof *e);
    if (!n) return;
    e->on = true;
    if (!didq_notes_count(n)) return;
    sqlite3 *db = didq_session_db(s);
    didq_notes_sql(n, db);
    /* A record breaking a rule counts once, as the rules' record counts. */
    char *sql = sqlite3_mprintf(
        "SELECT ru.code, count(DISTINCT fi.rec) FROM findings fi"
        " JOIN records r ON r.id = fi.rec JOIN rules ru ON ru.id = fi.rule"
        " WHERE (%s) AND didq_note_status(r.site, r.acc, ru.code) = 'explained' GROUP BY ru.code",
        cond ? cond : "1");
    sqlite3_stmt *q = didq_prepare(db, sql);
    sqlite3_free(sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        e->code = didq_xrealloc(e->code, (e->n + 1) * sizeof *e->code);
        e->count = didq_xrealloc(e->count, (e->n + 1) * sizeof *e->count);
        const unsigned char *t = sqlite3_column_text(q, 0);
        e->code[e->n] = didq_strdup(t ? (const char *)t : "");
        e->count[e->n++] = (uint64_t)sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
}

uint64_t didq_rexpl_rule(const didq_rexpl *e, const char *code)
{
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->code[i], code) == 0) return e->count[i];
    return 0;
}

uint64_t didq_rexpl_anomaly(const didq_notes *n, const didq_anomaly *an)
{
    const didq_note *x = didq_notes_find(n, an->site, "", didq_anomaly_kind_name(an->kind));
    return x && x->status == DIDQ_NOTE_EXPLAINED ? an->records : 0;
}

void didq_rexpl_free(didq_rexpl *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->code[i]);
    free(e->code);
    free(e->count);
}

static void put_safe(FILE *out, const char *s)
{
    didq_text_fputs(out, s);
}

void didq_report_notes_text(const didq_notes *n, FILE *out)
{
    fputs("notes ", out);
    put_safe(out, didq_notes_path(n));
    fprintf(out,
            ": %zu notes; 'explained' counts the records whose note (on the finding, else on"
            " the record; on the site's anomaly) says explained; notes never change the"
            " verdict\n",
            didq_notes_count(n));
}

/* Shown in the text report; all of them are in --format json. */
enum { SHOWN_NEW = 50 };

void didq_report_baseline_text(const didq_baseline *b, FILE *out)
{
    size_t nn = didq_baseline_nnew(b);
    fputs("baseline ", out);
    put_safe(out, didq_baseline_path(b));
    fprintf(out,
            ": %zu new findings, %llu fixed, %llu unchanged (of %llu in the baseline; compared"
            " by site, accession and code)\n",
            nn, (unsigned long long)didq_baseline_fixed(b),
            (unsigned long long)didq_baseline_unchanged(b),
            (unsigned long long)didq_baseline_rows(b));
    for (size_t i = 0; i < nn && i < SHOWN_NEW; i++) {
        const didq_baseline_new *f = didq_baseline_get_new(b, i);
        fputs("  new ", out);
        put_safe(out, f->code);
        fputc(' ', out);
        put_safe(out, f->file);
        fprintf(out, " line %lld", (long long)f->line);
        if (*f->site || *f->acc) {
            fputs(" site ", out);
            put_safe(out, f->site);
            fputs(" accession ", out);
            put_safe(out, f->acc);
        }
        fputs(": ", out);
        put_safe(out, f->message);
        fputc('\n', out);
    }
    if (nn > SHOWN_NEW)
        fprintf(out, "  %zu more new findings (all of them are in --format json)\n",
                nn - SHOWN_NEW);
    fputc('\n', out);
}

void didq_report_baseline_json(const didq_baseline *b, FILE *out)
{
    size_t nn = didq_baseline_nnew(b);
    fputs("  \"baseline\": {\"file\": ", out);
    didq_text_json(out, didq_baseline_path(b));
    fprintf(out,
            ", \"baseline_findings\": %llu, \"new\": %zu, \"fixed\": %llu, \"unchanged\": %llu,"
            "\n    \"new_findings\": [",
            (unsigned long long)didq_baseline_rows(b), nn,
            (unsigned long long)didq_baseline_fixed(b),
            (unsigned long long)didq_baseline_unchanged(b));
    for (size_t i = 0; i < nn; i++) {
        const didq_baseline_new *f = didq_baseline_get_new(b, i);
        fprintf(out, "%s\n      {\"code\": ", i ? "," : "");
        didq_text_json(out, f->code);
        fputs(", \"file\": ", out);
        didq_text_json(out, f->file);
        fprintf(out, ", \"line\": %lld, \"site\": ", (long long)f->line);
        didq_text_json(out, f->site);
        fputs(", \"accession\": ", out);
        didq_text_json(out, f->acc);
        fputs(", \"message\": ", out);
        didq_text_json(out, f->message);
        fputc('}', out);
    }
    fputs("]},\n", out);
}
