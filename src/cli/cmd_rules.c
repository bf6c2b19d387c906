/* cmd_rules.c: `didq rules`, the rule catalogue as text or Markdown (the
 * Markdown is the generated part of docs/rules.md). */
#include "cli.h"
#include "didq/dataset.h"
#include "didq/table.h"
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

int cmd_rules(int argc, char **argv)
{
    int md = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--markdown") == 0)
            md = 1;
        else if (argv[i][0] == '-')
            return cli_usage_error("rules", "unknown option '%s'", argv[i]);
        else
            return cli_usage_error("rules", "unexpected argument '%s'", argv[i]);
    }
    const didq_dataset *ds = didq_dataset_v1();
    didq_table *notes = didq_table_embedded("v1/rule_notes.csv");
    if (md)
        markdown(ds, notes);
    else
        text(ds);
    didq_table_free(notes);
    return DIDQ_EXIT_OK;
}
