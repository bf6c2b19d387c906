/* diff_report.c: the text and JSON reports of `didq diff` and its
 * --changes CSV. */
#include "didq/date.h"
#include "didq/diff.h"
#include "didq/report.h"
#include "didq/store.h"
#include "didq/text.h"
#include "didq/util.h"
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

/* The paths of the session's files, ", " between them, malloc'd. */
static char *file_path(didq_session *s)
{
    didq_buf b = {0};
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), "SELECT path FROM files ORDER BY id");
    didq_buf_puts(&b, "");
    for (int n = 0; sqlite3_step(q) == SQLITE_ROW; n++) /* every file a session holds */
        if (sqlite3_column_text(q, 0))
            didq_buf_printf(&b, "%s%s", n ? ", " : "", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return b.p;
}

/* What the reports say of one input. */
typedef struct side_info {
    const char *label, *input; /* "old" or "new"; the input as named */
    char *file;                /* the submission file's path (malloc'd) */
    bool saved, stopped;
    didq_summary sum;
    const char *verdict;
    char date[11];
    /* A file-level reject: the finding that stopped the reading, or the
     * first (code, line, message), and how many there are. */
    char *code, *message;
    uint64_t line, rejects;
} side_info;

static char *column_dup(sqlite3_stmt *q, int col)
{
    const unsigned char *t = sqlite3_column_text(q, col);
    return didq_strdup(t ? (const char *)t : "");
}

static void read_reject(side_info *si, didq_session *s)
{
    sqlite3 *db = didq_session_db(s);
    sqlite3_stmt *q = didq_prepare(db, "SELECT count(*) FROM file_findings WHERE reject");
    si->rejects = sqlite3_step(q) == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    /* The finding that stopped a reading is the last one made. */
    q = didq_prepare(db, si->stopped ? "SELECT code, line, coalesce(message, (SELECT message FROM"
                                       " rules r WHERE r.code = f.code)) FROM file_findings f"
                                       " WHERE reject ORDER BY rowid DESC LIMIT 1"
                                     : "SELECT code, line, coalesce(message, (SELECT message FROM"
                                       " rules r WHERE r.code = f.code)) FROM file_findings f"
                                       " WHERE reject ORDER BY rowid LIMIT 1");
    if (sqlite3_step(q) == SQLITE_ROW) {
        si->code = column_dup(q, 0);
        si->line = (uint64_t)sqlite3_column_int64(q, 1);
        si->message = column_dup(q, 2);
    }
    sqlite3_finalize(q);
}

static side_info side_of(const didq_diff *d, didq_session *s, bool old)
{
    side_info si = {.label = old ? "old" : "new"};
    si.file = file_path(s);
    si.input = (old ? d->old_input : d->new_input) ? (old ? d->old_input : d->new_input) : si.file;
    si.saved = didq_session_recstore(s) == NULL;
    si.stopped = old ? d->old_stopped : d->new_stopped;
    si.sum = didq_report_summary(s);
    switch (didq_report_exit_status(s)) {
    case DIDQ_EXIT_OK:
        si.verdict = "accepted";
        break;
    case DIDQ_EXIT_RECORDS:
        si.verdict = "rejected (record errors)";
        break;
    default:
        si.verdict = "rejected (file level)";
        read_reject(&si, s);
    }
    didq_date_format(didq_session_submitted(s), si.date);
    return si;
}

static void side_free(side_info *si)
{
    free(si->file);
    free(si->code);
    free(si->message);
}

static void text_file(FILE *out, const side_info *si)
{
    fprintf(out, "%s ", si->label);
    didq_text_fputs(out, si->input);
    if (si->saved) {
        fputs(" (a saved session of ", out);
        didq_text_fputs(out, si->file);
        fputc(')', out);
    }
    fprintf(out, ": %llu records, %llu with errors; %s", (unsigned long long)si->sum.records,
            (unsigned long long)si->sum.err_records, si->verdict);
    if (si->code) {
        fprintf(out, ": %s", si->stopped ? "reading stopped, " : "");
        didq_text_fputs(out, si->code);
        fprintf(out, " on line %llu: ", (unsigned long long)si->line);
        didq_text_fputs(out, si->message);
        if (si->rejects > 1)
            fprintf(out, " (%llu file-level findings in all)", (unsigned long long)si->rejects);
    }
    fputc('\n', out);
}

static bool rule_used(const didq_diff_rule *r)
{
    return r->fixed || r->fresh || r->remaining || r->added || r->removed;
}

static void text_rules(const didq_diff *d, FILE *out)
{
    bool any = false;
    for (size_t i = 0; i < d->nrules; i++) {
        const didq_diff_rule *r = &d->rules[i];
        if (!rule_used(r)) continue;
        if (!any)
            fprintf(out, "\n%-10s %9s %9s %9s %9s %9s\n", "rule", "fixed", "new", "remaining",
                    "added", "removed");
        any = true;
        /* a saved session's rule code: untrusted text, escaped */
        didq_buf code = {0};
        didq_text_escape(&code, r->code, strlen(r->code));
        fprintf(out, "%-10s %9llu %9llu %9llu %9llu %9llu\n", code.p ? code.p : "",
                (unsigned long long)r->fixed, (unsigned long long)r->fresh,
                (unsigned long long)r->remaining, (unsigned long long)r->added,
                (unsigned long long)r->removed);
        didq_buf_free(&code);
    }
    if (any)
        fputs("(fixed, new, remaining: findings of records in both files; added, removed:\n"
              " findings of records in one file only)\n",
              out);
}

static void text_items(const didq_diff *d, FILE *out)
{
    bool any = false;
    for (int i = 0; i < d->nitems; i++) {
        if (!d->item_changed[i]) continue;
        if (!any) fputs("\nitems changed, in changed records:\n", out);
        any = true;
        fprintf(out, "  %-34s %llu\n", d->ds->items[i].field,
                (unsigned long long)d->item_changed[i]);
    }
}

/* The submission date(s): findings depend on it, and a saved session
 * keeps the one it was checked with. */
static void text_title(FILE *out, const didq_diff *d, const side_info *o, const side_info *n)
{
    if (strcmp(o->date, n->date) == 0)
        fprintf(out, "didq diff: DIDS %s rules, submission date %s\n", d->ds->name, n->date);
    else
        fprintf(out,
                "didq diff: DIDS %s rules; old checked with submission date %s, new with %s"
                " (findings depend on it)\n",
                d->ds->name, o->date, n->date);
}

static void text_counts(const didq_diff *d, FILE *out)
{
    fprintf(out,
            "\nrecords: %llu added, %llu removed, %llu changed, %llu unchanged\n"
            "findings of records in both: %llu fixed, %llu new, %llu remaining\n"
            "findings of added records: %llu; of removed records: %llu\n",
            (unsigned long long)d->added, (unsigned long long)d->removed,
            (unsigned long long)d->changed, (unsigned long long)d->unchanged,
            (unsigned long long)d->findings_fixed, (unsigned long long)d->findings_new,
            (unsigned long long)d->findings_remaining, (unsigned long long)d->findings_added,
            (unsigned long long)d->findings_removed);
    if (d->old_unkeyed || d->new_unkeyed)
        fprintf(out,
                "records without a site code or accession number (no key; paired in file"
                " order):\n  %llu in old, %llu in new\n",
                (unsigned long long)d->old_unkeyed, (unsigned long long)d->new_unkeyed);
}

static void text_verdict(const didq_diff *d, FILE *out)
{
    if (d->old_records == 0 && d->new_records == 0) {
        fputs("\nthe files hold the same records: none (neither holds a record)\n", out);
        return;
    }
    if (d->old_records == 0 || d->new_records == 0)
        fprintf(out, "\n%s holds no records", d->old_records == 0 ? "old" : "new");
    fprintf(out, "\n%s\n",
            didq_diff_same(d) ? "the files hold the same records" : "the files differ");
}

void didq_diff_text(const didq_diff *d, didq_session *old, didq_session *new_, FILE *out)
{
    side_info o = side_of(d, old, true), n = side_of(d, new_, false);
    text_title(out, d, &o, &n);
    text_file(out, &o);
    text_file(out, &n);
    if (!didq_diff_compared(d)) {
        fprintf(out,
                "\nnot compared: the reading of %s stopped part-way (above), so not all its"
                " records are known\n",
                d->old_stopped && d->new_stopped ? "both files"
                : d->old_stopped                 ? "old"
                                                 : "new");
    } else {
        text_counts(d, out);
        text_items(d, out);
        text_rules(d, out);
        text_verdict(d, out);
    }
    side_free(&o);
    side_free(&n);
}

static void json_file(FILE *out, const side_info *si)
{
    fprintf(out, "  \"%s\": {\"path\": ", si->label);
    didq_text_json(out, si->input);
    fputs(", \"file\": ", out);
    didq_text_json(out, si->file);
    fprintf(out,
            ", \"saved\": %s, \"submitted\": \"%s\", \"records\": %llu,"
            " \"records_with_errors\": %llu, \"verdict\": ",
            si->saved ? "true" : "false", si->date, (unsigned long long)si->sum.records,
            (unsigned long long)si->sum.err_records);
    didq_text_json(out, si->verdict);
    fputs(", \"reject\": ", out);
    if (si->code) {
        fputs("{\"code\": ", out);
        didq_text_json(out, si->code);
        fprintf(out, ", \"line\": %llu, \"message\": ", (unsigned long long)si->line);
        didq_text_json(out, si->message);
        fprintf(out, ", \"findings\": %llu}", (unsigned long long)si->rejects);
    } else {
        fputs("null", out);
    }
    fprintf(out, ", \"stopped\": %s},\n", si->stopped ? "true" : "false");
}

static void json_rules(const didq_diff *d, FILE *out)
{
    fputs("  \"rules\": {", out);
    for (size_t i = 0; i < d->nrules; i++) {
        const didq_diff_rule *r = &d->rules[i];
        fprintf(out, "%s\n    ", i ? "," : "");
        didq_text_json(out, r->code);
        fprintf(out,
                ": {\"fixed\": %llu, \"new\": %llu, \"remaining\": %llu, \"added\": %llu,"
                " \"removed\": %llu}",
                (unsigned long long)r->fixed, (unsigned long long)r->fresh,
                (unsigned long long)r->remaining, (unsigned long long)r->added,
                (unsigned long long)r->removed);
    }
    fputs(d->nrules ? "\n  },\n" : "},\n", out);
}

static void json_items(const didq_diff *d, FILE *out)
{
    fputs("  \"items\": {", out);
    for (int i = 0; i < d->nitems; i++) {
        fprintf(out, "%s\n    ", i ? "," : "");
        didq_text_json(out, d->ds->items[i].field);
        fprintf(out, ": {\"changed\": %llu}", (unsigned long long)d->item_changed[i]);
    }
    fputs(d->nitems ? "\n  },\n" : "},\n", out);
}

static void json_counts(const didq_diff *d, FILE *out)
{
    fprintf(out,
            "  \"added\": %llu,\n  \"removed\": %llu,\n  \"changed\": %llu,\n"
            "  \"unchanged\": %llu,\n  \"findings_fixed\": %llu,\n  \"findings_new\": %llu,\n"
            "  \"findings_remaining\": %llu,\n  \"findings_added\": %llu,\n"
            "  \"findings_removed\": %llu,\n  \"unkeyed_old\": %llu,\n  \"unkeyed_new\": %llu,\n",
            (unsigned long long)d->added, (unsigned long long)d->removed,
            (unsigned long long)d->changed, (unsigned long long)d->unchanged,
            (unsigned long long)d->findings_fixed, (unsigned long long)d->findings_new,
            (unsigned long long)d->findings_remaining, (unsigned long long)d->findings_added,
            (unsigned long long)d->findings_removed, (unsigned long long)d->old_unkeyed,
            (unsigned long long)d->new_unkeyed);
}

void didq_diff_json(const didq_diff *d, didq_session *old, didq_session *new_, FILE *out)
{
    side_info o = side_of(d, old, true), n = side_of(d, new_, false);
    fprintf(out, "{\n  \"dataset\": \"DIDS %s\",\n  \"submitted\": \"%s\",\n", d->ds->name, n.date);
    json_file(out, &o);
    json_file(out, &n);
    if (!didq_diff_compared(d)) {
        fputs("  \"compared\": false\n}\n", out);
    } else {
        fputs("  \"compared\": true,\n", out);
        json_counts(d, out);
        json_items(d, out);
        json_rules(d, out);
        fprintf(out, "  \"same\": %s\n}\n", didq_diff_same(d) ? "true" : "false");
    }
    side_free(&o);
    side_free(&n);
}

/* A cell of an item's value, masked as check --findings --mask masks. */
static void csv_item(FILE *out, int item, const char *s, size_t n, bool mask)
{
    if (!mask || !didq_text_is_identifier(item)) {
        didq_text_csv_safe(out, s, n);
        return;
    }
    didq_buf b = {0};
    didq_text_mask(&b, item, s, n);
    didq_text_csv_safe(out, b.p ? b.p : "", b.n);
    didq_buf_free(&b);
}

static void csv_line(FILE *out, uint64_t line)
{
    if (line) fprintf(out, "%llu", (unsigned long long)line);
    fputc(',', out);
}

void didq_diff_changes_csv(const didq_diff *d, FILE *out, bool mask)
{
    static const char *const kinds[] = {"added", "removed", "changed"};
    fputs("change,site,accession,old_line,new_line,items,fixed,new\n", out);
    for (size_t i = 0; i < d->nchanges; i++) {
        const didq_diff_change *c = &d->changes[i];
        fprintf(out, "%s,", kinds[c->kind]);
        csv_item(out, DIDQ_SITE, c->site, c->site_len, mask);
        fputc(',', out);
        csv_item(out, DIDQ_ACCESSION, c->acc, c->acc_len, mask);
        fputc(',', out);
        csv_line(out, c->old_line);
        csv_line(out, c->new_line);
        didq_text_csv_safe(out, c->items, strlen(c->items));
        fputc(',', out);
        didq_text_csv_safe(out, c->fixed, strlen(c->fixed));
        fputc(',', out);
        didq_text_csv_safe(out, c->fresh, strlen(c->fresh));
        fputc('\n', out);
    }
}
