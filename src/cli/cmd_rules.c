/* cmd_rules.c: `didq rules`, the rule catalogue as text or Markdown (the
 * Markdown is the generated part of docs/rules.md); `didq rules CODE...`
 * explains rules one by one: condition, fields, a failing and a passing
 * example (refdata/v1/rule_examples.csv, run through the rule engine by
 * tests/unit/test_rule_examples.c) and the decision notes. */
#include "cli.h"
#include "didq/fix.h"
#include "didq/dataset.h"
#include "didq/refdata.h"
#include "didq/table.h"
#include "didq/text.h"
#include "didq/util.h"

#include <stdio.h>
#include <string.h>

static const char *note_of(const didq_table *notes, const char *code)
{
    for (size_t r = 0; r < notes->nrows; r++)
        if (strcmp(didq_table_get(notes, r, 0), code) == 0) return didq_table_get(notes, r, 1);
    return "";
}

static void fields_of(const didq_dataset *ds, const didq_rule_def *rd, char *out, size_t cap)
{
    out[0] = 0;
    for (int k = 0; k < rd->nfields; k++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", k ? ", " : "",
                 ds->items[rd->fields[k]].field);
}

static void markdown(const didq_dataset *ds, const didq_table *notes)
{
    puts("| Code | Severity | Fields | Check | Needs | Message | Decision |");
    puts("|---|---|---|---|---|---|---|");
    for (int i = 0; i < ds->nrules; i++) {
        const didq_rule_def *rd = &ds->rules[i];
        char fields[512];
        fields_of(ds, rd, fields, sizeof fields);
        printf("| %s | %s | %s | `%s%s%s` | %s | %s | %s |\n", rd->code,
               rd->severity == DIDQ_ERROR ? "error" : "warning", fields, rd->check,
               rd->args[0] ? " " : "", rd->args, rd->needs[0] ? rd->needs : "-", rd->message,
               note_of(notes, rd->code));
    }
    puts("\nFile-level findings:\n\n| Code | Severity | Format | Message | Decision |\n"
         "|---|---|---|---|---|");
    for (int i = 0; i < ds->nfile_rules; i++) {
        const didq_file_rule *fr = &ds->file_rules[i];
        printf("| %s | %s | %s | %s | %s |\n", fr->code, fr->reject ? "reject" : "warning",
               fr->format, fr->message, note_of(notes, fr->code));
    }
}

static void text(const didq_dataset *ds)
{
    for (int i = 0; i < ds->nrules; i++) {
        const didq_rule_def *rd = &ds->rules[i];
        printf("%-8s %-7s %s%s\n", rd->code, rd->severity == DIDQ_ERROR ? "error" : "warning",
               rd->message, rd->needs[0] ? " [needs reference data]" : "");
    }
    for (int i = 0; i < ds->nfile_rules; i++)
        printf("%-8s %-7s %s\n", ds->file_rules[i].code,
               ds->file_rules[i].reject ? "reject" : "warning", ds->file_rules[i].message);
}

/* The fix `didq fix` applies for a rule's findings, or NULL.  The hook for
 * the fix table of `didq fix` (issue 18): until it is there no rule has a
 * fix, and `didq rules CODE` says nothing about fixes. */
/* The rule's safe fix (refdata/v1/fixes.csv, what `didq fix` applies), or
 * NULL when it has none. */
static const char *rule_fix_text(const char *code)
{
    const didq_fix_def *f = didq_fix_for_rule(code);
    return f ? f->description : NULL;
}

/* Prints "FIELD=value, FIELD=value" from the examples' "FIELD=value|..."
 * form: a blank value as (blank), one with spaces in quotes, escaped. */
static void print_example(const char *set)
{
    const char *p = set;
    while (*p) {
        const char *bar = strchr(p, '|'), *end = bar ? bar : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        const char *v = eq ? eq + 1 : end;
        didq_buf b = {0};
        didq_buf_printf(&b, "%s%.*s=", p == set ? "" : ", ", (int)(v - p - (eq != NULL)), p);
        if (v == end)
            didq_buf_puts(&b, "(blank)");
        else if (memchr(v, ' ', (size_t)(end - v)))
            didq_buf_puts(&b, "\""), didq_text_escape(&b, v, (size_t)(end - v)),
                didq_buf_puts(&b, "\"");
        else
            didq_text_escape(&b, v, (size_t)(end - v));
        fputs(b.p, stdout);
        didq_buf_free(&b);
        p = bar ? bar + 1 : end;
    }
}

static int example_row(const didq_table *ex, const char *code)
{
    for (size_t r = 0; r < ex->nrows; r++)
        if (strcmp(didq_table_get(ex, r, 0), code) == 0) return (int)r;
    return -1;
}

static void explain_examples(const didq_rule_def *rd, const didq_table *ex)
{
    int row = example_row(ex, rd->code);
    if (row < 0) {
        puts(strcmp(rd->check, "duplicate") == 0
                 ? "examples:  none: a rule across records (two records of one file sharing these "
                   "fields), not about one value"
                 : "examples:  none recorded");
        return;
    }
    const char *sub = didq_table_get(ex, (size_t)row, 1);
    fputs("fails:     ", stdout);
    print_example(didq_table_get(ex, (size_t)row, 2));
    fputs("\npasses:    ", stdout);
    print_example(didq_table_get(ex, (size_t)row, 3));
    putchar('\n');
    if (sub[0]) printf("           (submission date %s)\n", sub);
    if (rd->needs[0])
        puts("           (reference data values from didq's synthetic test files, "
             "tests/data/refdata/set; with the real files a code passes or fails as they list it)");
}

static void explain_rule(const didq_dataset *ds, const didq_rule_def *rd, const didq_table *notes,
                         const didq_table *ex)
{
    char fields[512];
    fields_of(ds, rd, fields, sizeof fields);
    printf("%s  %s\n", rd->code, rd->severity == DIDQ_ERROR ? "error" : "warning");
    printf("condition: %s\n", rd->message);
    printf("check:     %s%s%s (docs/rules.md)\n", rd->check, rd->args[0] ? " " : "", rd->args);
    printf("fields:    %s\n", fields);
    if (rd->needs[0]) {
        char what[512];
        didq_refdata_needs_text(rd->needs, what, sizeof what);
        printf("needs:     reference data: %s; not checked without it (didq refdata)\n", what);
    } else if (strcmp(rd->check, "duplicate") == 0)
        puts("needs:     the other records of the file (checked when the load ends)");
    else
        puts("needs:     the record alone");
    explain_examples(rd, ex);
    const char *fix = rule_fix_text(rd->code), *note = note_of(notes, rd->code);
    if (fix) printf("fix:       %s\n", fix);
    if (note[0]) printf("decision:  %s\n", note);
}

static void explain_file_rule(const didq_file_rule *fr, const didq_table *notes)
{
    const char *fix = rule_fix_text(fr->code), *note = note_of(notes, fr->code);
    printf("%s  %s (a file-level finding)\n", fr->code, fr->reject ? "reject" : "warning");
    printf("condition: %s\n", fr->message);
    printf("format:    %s\n", fr->format);
    puts("examples:  none: about the file or a row's shape, not about one value");
    if (fix) printf("fix:       %s\n", fix);
    if (note[0]) printf("decision:  %s\n", note);
}

/* The code in upper case (dids012 names DIDS012), or "" when too long. */
static void upper_code(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s);
    if (n >= cap) n = 0;
    for (size_t i = 0; i < n; i++)
        out[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 32) : s[i];
    out[n] = 0;
}

/* Each code must name a rule (checked before anything is printed). */
static int explain(const didq_dataset *ds, char **codes, int n, const didq_table *notes)
{
    for (int i = 0; i < n; i++) {
        char code[16];
        upper_code(codes[i], code, sizeof code);
        if (didq_dataset_rule(ds, code) < 0 && !didq_dataset_file_rule(ds, code)) {
            return cli_usage_error("rules", "no rule '%s' (didq rules lists the codes)", codes[i]);
        }
    }
    didq_table *ex = didq_table_embedded("v1/rule_examples.csv");
    for (int i = 0; i < n; i++) {
        char code[16];
        upper_code(codes[i], code, sizeof code);
        int r = didq_dataset_rule(ds, code);
        if (i) putchar('\n');
        if (r >= 0)
            explain_rule(ds, &ds->rules[r], notes, ex);
        else
            explain_file_rule(didq_dataset_file_rule(ds, code), notes);
    }
    didq_table_free(ex);
    return DIDQ_EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
    int md = 0, ncodes = 0;
    char **codes = argv + 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--markdown") == 0)
            md = 1;
        else if (argv[i][0] == '-')
            return cli_usage_error("rules", "unknown option '%s'", argv[i]);
        else
            codes[ncodes++] = argv[i];
    }
    if (md && ncodes) return cli_usage_error("rules", "--markdown lists every rule: no CODE");
    const didq_dataset *ds = didq_dataset_v1();
    didq_table *notes = didq_table_embedded("v1/rule_notes.csv");
    int rc = DIDQ_EXIT_OK;
    if (ncodes)
        rc = explain(ds, codes, ncodes, notes);
    else if (md)
        markdown(ds, notes);
    else
        text(ds);
    didq_table_free(notes);
    return rc;
}
