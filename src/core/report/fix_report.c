/* fix_report.c: what `didq fix` says: the values fixed per rule, the
 * findings a fix revealed, the repair hints of shifted rows, the --log CSV,
 * and the findings left in the fixed copy (from its own check).  No value
 * of the file is printed here; only --log holds values. */
#include "fix_int.h"

#include "didq/store.h"
#include "didq/text.h"

#include <stdio.h>
#include <string.h>

enum { HINTS_SHOWN = 20 };

void didq_fix_log_csv(const didq_fix_plan *p, FILE *out)
{
    const didq_dataset *ds = didq_dataset_v1();
    int n;
    const didq_fix_def *t = didq_fix_table(&n);
    fputs("line,record,field,old,new,rule\n", out);
    for (size_t i = 0; i < p->n; i++) {
        const fix_edit *e = &p->e[i];
        if (!e->applied) continue;
        fprintf(out, "%llu,%llu,%s,", (unsigned long long)e->line, (unsigned long long)e->recno,
                ds->items[e->item].field);
        didq_text_csv(out, e->old_val, strlen(e->old_val));
        fputc(',', out);
        didq_text_csv(out, e->new_val, strlen(e->new_val));
        fprintf(out, ",%s\n", t[e->row].rule);
    }
}

static void fixed_rows(const didq_fix_plan *p, FILE *out)
{
    int n;
    const didq_fix_def *t = didq_fix_table(&n);
    uint64_t total = didq_fix_applied(p);
    if (!total) {
        fputs("values fixed: none (no value has a safe fix)\n", out);
        return;
    }
    fprintf(out, "values fixed: %llu\n\nrule     fixed  field, fix\n", (unsigned long long)total);
    for (int i = 0; i < n; i++)
        if (p->applied[i])
            fprintf(out, "%-8s %6llu  %s, %s\n", t[i].rule, (unsigned long long)p->applied[i],
                    t[i].items, t[i].kind);
    if (p->mismatched)
        fprintf(out,
                "\n%llu planned fixes were not made: the field did not hold the bytes first "
                "read\n",
                (unsigned long long)p->mismatched);
}

static void revealed(const didq_fix_plan *p, FILE *out)
{
    const didq_dataset *ds = didq_dataset_v1();
    int any = 0;
    for (int i = 0; i < ds->nrules && i < FIX_RULES_MAX; i++) {
        if (!p->revealed[i]) continue;
        fprintf(out, "%s%s %llu",
                any ? ", "
                    : "\nfindings a fix revealed (rules that could not "
                      "read the value before; they are among those left): ",
                ds->rules[i].code, (unsigned long long)p->revealed[i]);
        any = 1;
    }
    if (any) fputc('\n', out);
}

static void hints(const didq_fix_plan *p, FILE *out)
{
    if (!p->shifted) return;
    fprintf(out,
            "\nrows with one field too few or too many (DIDS075): %llu; repair hints, never "
            "applied:\n",
            (unsigned long long)p->shifted);
    for (size_t i = 0; i < p->nhints && i < HINTS_SHOWN; i++)
        fprintf(out, "  line %llu: %s\n", (unsigned long long)p->hints[i].line, p->hints[i].text);
    if (p->nhints > HINTS_SHOWN)
        fprintf(out, "  ... and %zu more hints\n", p->nhints - HINTS_SHOWN);
    if (p->shifted > p->nhints)
        fprintf(out, "  %llu rows: no hint (their values fit more than one place, or none)\n",
                (unsigned long long)(p->shifted - p->nhints));
}

void didq_fix_report_text(const didq_fix_plan *p, const char *in, const char *out_path, FILE *out)
{
    fputs("didq fix: ", out);
    didq_text_fputs(out, in);
    fprintf(out, " (%llu records) -> ", (unsigned long long)p->records);
    didq_text_fputs(out, out_path);
    fputs("\n\n", out);
    fixed_rows(p, out);
    revealed(p, out);
    hints(p, out);
}

static const char *col(sqlite3_stmt *q, int i)
{
    const char *s = (const char *)sqlite3_column_text(q, i);
    return s ? s : "";
}

void didq_fix_report_left(didq_session *s, const char *out_path, FILE *out)
{
    sqlite3 *db = didq_session_db(s);
    sqlite3_stmt *q = didq_prepare(db, "SELECT code, severity, records, message FROM rules"
                                       " WHERE checked AND records > 0 ORDER BY code");
    fputs("\nfindings left in ", out);
    didq_text_fputs(out, out_path);
    fputs(" (didq check of it):\n", out);
    int any = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (!any) fputs("rule     severity  records  message\n", out);
        fprintf(out, "%-8s %-8s %8lld  ", col(q, 0), col(q, 1), sqlite3_column_int64(q, 2));
        didq_text_fputs(out, col(q, 3));
        fputc('\n', out);
        any = 1;
    }
    sqlite3_finalize(q);
    q = didq_prepare(db, "SELECT code, count(*), min(line) FROM file_findings GROUP BY code"
                         " ORDER BY code");
    while (sqlite3_step(q) == SQLITE_ROW) {
        fprintf(out, "%-8s file     %8lld  file-level (first on line %lld)\n", col(q, 0),
                sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2));
        any = 1;
    }
    sqlite3_finalize(q);
    if (!any) fputs("none\n", out);
}
