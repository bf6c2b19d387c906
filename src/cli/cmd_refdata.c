/* cmd_refdata.c: `didq refdata`, what reference data is found and which
 * rules it enables. */
#include "cli.h"
#include "didq/dataset.h"
#include "didq/date.h"
#include "didq/refdata.h"
#include "didq/text.h"
#include "didq/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rules grouped by the reason they are not checked (didq check's reasons,
 * didq_refdata_missing), in catalogue order. */
typedef struct why_group {
    char why[256];
    didq_buf codes;
} why_group;

typedef struct why_groups {
    why_group *g;
    int n;
} why_groups;

static void group_add(why_groups *gs, const char *why, const char *code)
{
    int i = 0;
    while (i < gs->n && strcmp(gs->g[i].why, why) != 0)
        i++;
    if (i == gs->n) {
        gs->g = didq_xrealloc(gs->g, (size_t)(gs->n + 1) * sizeof *gs->g);
        gs->g[i] = (why_group){.codes = {0}};
        snprintf(gs->g[i].why, sizeof gs->g[i].why, "%s", why);
        gs->n++;
    }
    didq_buf_printf(&gs->g[i].codes, "%s%s", gs->g[i].codes.p ? " " : "", code);
}

static void groups_free(why_groups *gs)
{
    for (int i = 0; i < gs->n; i++)
        didq_buf_free(&gs->g[i].codes);
    free(gs->g);
}

/* The rules that need file f (all of the rules when f is NULL): those
 * checked with rd into on, the others into off_codes (unless NULL) and,
 * grouped by why, into off. */
static void rules_needing(const didq_refdata *rd, const didq_reffile *f, didq_buf *on,
                          didq_buf *off_codes, why_groups *off)
{
    const didq_dataset *ds = didq_dataset_v1();
    for (int i = 0; i < ds->nrules; i++) {
        const didq_rule_def *r = &ds->rules[i];
        if (!r->needs[0] || (f && !didq_refdata_file_serves(f, r->needs))) continue;
        char buf[256];
        const char *why = didq_refdata_missing(rd, r->needs, buf, sizeof buf);
        didq_buf *to = why ? off_codes : on;
        if (to) didq_buf_printf(to, "%s%s", to->p ? " " : "", r->code);
        if (why) group_add(off, why, r->code);
    }
}

/* "enables ...": the rules this file makes checked, then those that need
 * it too but lack other files, as didq check reports them. */
static void print_enables(const didq_refdata *rd, const didq_reffile *f)
{
    if (!f->rows) {
        printf("    enables nothing (no rows loaded)\n");
        return;
    }
    didq_buf on = {0};
    why_groups off = {0};
    rules_needing(rd, f, &on, NULL, &off);
    if (on.p)
        printf("    enables %s\n", on.p);
    else if (off.n)
        printf("    enables no rule by itself\n");
    else
        printf("    enables no rule by itself (the ODS rules other files enable look up its"
               " codes too)\n");
    for (int i = 0; i < off.n; i++)
        printf("    also needed by %s, not checked: %s\n", off.g[i].codes.p, off.g[i].why);
    didq_buf_free(&on);
    groups_free(&off);
}

static void escaped(const char *s)
{
    didq_buf b = {0};
    didq_text_escape(&b, s, strlen(s));
    fputs(b.p ? b.p : "", stdout);
    didq_buf_free(&b);
}

static void print_file(const didq_refdata *rd, const didq_reffile *f)
{
    escaped(didq_path_base(f->path));
    if (f->kind == DIDQ_REF_NONE) {
        printf("\n    ignored: %s\n", f->layout);
        return;
    }
    char newest[16] = "-";
    if (f->newest != DIDQ_NODATE) didq_date_format(f->newest, newest);
    printf("\n    kind %s, %llu rows", didq_refkind_name(f->kind), (unsigned long long)f->rows);
    if (f->bad) printf(" (%llu malformed rows skipped)", (unsigned long long)f->bad);
    printf(", newest date %s\n    layout: ", newest);
    escaped(f->layout);
    putchar('\n');
    print_enables(rd, f);
}

/* The rules checked and not checked, with why, as didq check says. */
static void summary(const didq_refdata *rd)
{
    didq_buf on = {0}, off_codes = {0};
    why_groups off = {0};
    rules_needing(rd, NULL, &on, &off_codes, &off);
    printf("\nrules checked with this reference data: %s\n", on.p ? on.p : "none");
    printf("rules not checked (reference data missing): %s\n", off_codes.p ? off_codes.p : "none");
    for (int i = 0; i < off.n; i++)
        printf("  %s: %s\n", off.g[i].why, off.g[i].codes.p);
    didq_buf_free(&on);
    didq_buf_free(&off_codes);
    groups_free(&off);
}

int cmd_refdata(int argc, char **argv)
{
    static const struct option opts[] = {{"refdata", required_argument, NULL, 'r'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'r')
            dir = optarg;
        else if (c == 'h')
            return cmd_help(2, (char *[]){"help", "refdata", NULL});
        else if (c == ':')
            return cli_usage_error("refdata", "%s needs a value", argv[optind - 1]);
        else
            return cli_usage_error("refdata", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind < argc) return cli_usage_error("refdata", "unexpected argument '%s'", argv[optind]);
    int st;
    const char *used;
    didq_refdata *rd = cli_refdata_load(dir, stderr, &used, &st);
    if (st) return st;
    if (!rd) {
        char buf[4096];
        bool ex;
        const char *def = cli_refdata_dir(NULL, &ex, buf, sizeof buf);
        printf("no reference data directory (give --refdata DIR, set DIDQ_REFDATA, or create %s)\n",
               def ? def : "$XDG_DATA_HOME/didq/refdata");
    } else {
        printf("reference data directory: ");
        escaped(used);
        printf("\n\n");
        for (size_t i = 0; i < didq_refdata_nfiles(rd); i++)
            print_file(rd, didq_refdata_file(rd, i));
        if (!didq_refdata_nfiles(rd)) printf("(no files)\n");
    }
    summary(rd);
    didq_refdata_free(rd);
    return DIDQ_EXIT_OK;
}
