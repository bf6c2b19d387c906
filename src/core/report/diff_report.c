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

/* The path of the session's (first) file, malloc'd. */
static char *file_path(didq_session *s)
{
    didq_buf b = {0};
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), "SELECT path FROM files ORDER BY id");
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        didq_buf_puts(&b, (const char *)sqlite3_column_text(q, 0));
    else
        didq_buf_puts(&b, "");
    sqlite3_finalize(q);
    return b.p;
}

/* The verdict of check and its reason. */
static const char *verdict(didq_session *s, didq_summary *sum)
{
    *sum = didq_report_summary(s);
    switch (didq_report_exit_status(s)) {
    case DIDQ_EXIT_OK:
        return "accepted";
    case DIDQ_EXIT_RECORDS:
        return "rejected (record errors)";
    default:
        return "rejected (file level)";
    }
}

static void text_file(FILE *out, const char *label, didq_session *s)
{
    didq_summary sum;
    const char *v = verdict(s, &sum);
    char *path = file_path(s);
    fprintf(out, "%s ", label);
    didq_text_fputs(out, path);
    fprintf(out, ": %llu records, %llu with errors; %s\n", (unsigned long long)sum.records,
            (unsigned long long)sum.err_records, v);
    free(path);
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
        fprintf(out, "%-10s %9llu %9llu %9llu %9llu %9llu\n", r->code, (unsigned long long)r->fixed,
                (unsigned long long)r->fresh, (unsigned long long)r->remaining,
                (unsigned long long)r->added, (unsigned long long)r->removed);
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

void didq_diff_text(const didq_diff *d, didq_session *old, didq_session *new_, FILE *out)
{
    char date[11];
    didq_date_format(didq_session_submitted(new_), date);
    fprintf(out, "didq diff: DIDS %s rules, submission date %s\n", d->ds->name, date);
    text_file(out, "old", old);
    text_file(out, "new", new_);
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
    text_items(d, out);
    text_rules(d, out);
    fprintf(out, "\n%s\n",
            didq_diff_same(d) ? "the files hold the same records" : "the files differ");
}

static void json_file(FILE *out, const char *label, didq_session *s)
{
    didq_summary sum;
    const char *v = verdict(s, &sum);
    char *path = file_path(s);
    fprintf(out, "  \"%s\": {\"path\": ", label);
    didq_text_json(out, path);
    fprintf(out, ", \"records\": %llu, \"records_with_errors\": %llu, \"verdict\": ",
            (unsigned long long)sum.records, (unsigned long long)sum.err_records);
    didq_text_json(out, v);
    fputs("},\n", out);
    free(path);
}

static void json_rules(const didq_diff *d, FILE *out)
{
    fputs("  \"rules\": {", out);
    int n = 0;
    for (size_t i = 0; i < d->nrules; i++) {
        const didq_diff_rule *r = &d->rules[i];
        if (!rule_used(r)) continue;
        fprintf(out, "%s\n    ", n++ ? "," : "");
        didq_text_json(out, r->code);
        fprintf(out,
                ": {\"fixed\": %llu, \"new\": %llu, \"remaining\": %llu, \"added\": %llu,"
                " \"removed\": %llu}",
                (unsigned long long)r->fixed, (unsigned long long)r->fresh,
                (unsigned long long)r->remaining, (unsigned long long)r->added,
                (unsigned long long)r->removed);
    }
    fputs(n ? "\n  },\n" : "},\n", out);
}

static void json_items(const didq_diff *d, FILE *out)
{
    fputs("  \"items\": {", out);
    int n = 0;
    for (int i = 0; i < d->nitems; i++) {
        if (!d->item_changed[i]) continue;
        fprintf(out, "%s\n    ", n++ ? "," : "");
        didq_text_json(out, d->ds->items[i].field);
        fprintf(out, ": {\"changed\": %llu}", (unsigned long long)d->item_changed[i]);
    }
    fputs(n ? "\n  },\n" : "},\n", out);
}

void didq_diff_json(const didq_diff *d, didq_session *old, didq_session *new_, FILE *out)
{
    char date[11];
    didq_date_format(didq_session_submitted(new_), date);
    fprintf(out, "{\n  \"dataset\": \"DIDS %s\",\n  \"submitted\": \"%s\",\n", d->ds->name, date);
    json_file(out, "old", old);
    json_file(out, "new", new_);
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
    json_items(d, out);
    json_rules(d, out);
    fprintf(out, "  \"same\": %s\n}\n", didq_diff_same(d) ? "true" : "false");
}

/* A cell of an item's value, masked as check --findings --mask masks. */
static void csv_item(FILE *out, int item, const char *s, size_t n, bool mask)
{
    if (!mask || !didq_text_is_identifier(item)) {
        didq_report_csv_safe(out, s, n);
        return;
    }
    didq_buf b = {0};
    didq_text_mask(&b, item, s, n);
    didq_report_csv_safe(out, b.p ? b.p : "", b.n);
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
        didq_report_csv_safe(out, c->items, strlen(c->items));
        fputc(',', out);
        didq_report_csv_safe(out, c->fixed, strlen(c->fixed));
        fputc(',', out);
        didq_report_csv_safe(out, c->fresh, strlen(c->fresh));
        fputc('\n', out);
    }
}
