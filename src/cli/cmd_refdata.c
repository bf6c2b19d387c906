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
#include <string.h>

/* True if a rule's `needs` names the kind. */
static bool needs_kind(const char *needs, const char *kind)
{
    size_t k = strlen(kind);
    for (const char *p = needs; *p;) {
        size_t n = strcspn(p, " +|");
        if (n == k && memcmp(p, kind, n) == 0) return true;
        p += n;
        p += strspn(p, " +|");
    }
    return false;
}

static void rules_of(didq_refkind k, char *out, size_t cap)
{
    const didq_dataset *ds = didq_dataset_v1();
    out[0] = 0;
    for (int i = 0; i < ds->nrules; i++)
        if (needs_kind(ds->rules[i].needs, didq_refkind_name(k)))
            snprintf(out + strlen(out), cap - strlen(out), "%s%s", out[0] ? " " : "",
                     ds->rules[i].code);
}

static void escaped(const char *s)
{
    didq_buf b = {0};
    didq_text_escape(&b, s, strlen(s));
    fputs(b.p ? b.p : "", stdout);
    didq_buf_free(&b);
}

static void print_file(const didq_reffile *f)
{
    const char *base = strrchr(f->path, '/');
    escaped(base ? base + 1 : f->path);
    if (f->kind == DIDQ_REF_NONE) {
        printf("\n    ignored: %s\n", f->layout);
        return;
    }
    char newest[16] = "-", rules[256];
    if (f->newest != DIDQ_NODATE) didq_date_format(f->newest, newest);
    rules_of(f->kind, rules, sizeof rules);
    printf("\n    kind %s, %llu rows", didq_refkind_name(f->kind), (unsigned long long)f->rows);
    if (f->bad) printf(" (%llu malformed rows skipped)", (unsigned long long)f->bad);
    printf(", newest date %s\n    layout: ", newest);
    escaped(f->layout);
    printf("\n    enables %s\n", f->rows ? rules : "nothing (no rows loaded)");
}

static void summary(const didq_refdata *rd)
{
    const didq_dataset *ds = didq_dataset_v1();
    didq_buf on = {0}, off = {0};
    for (int i = 0; i < ds->nrules; i++) {
        const didq_rule_def *r = &ds->rules[i];
        if (r->needs[0])
            didq_buf_printf(didq_refdata_has(rd, r->needs) ? &on : &off, " %s", r->code);
    }
    printf("\nrules checked with this reference data:%s\n", on.p ? on.p : " none");
    printf("rules not checked (reference data missing):%s\n", off.p ? off.p : " none");
    didq_buf_free(&on);
    didq_buf_free(&off);
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
            print_file(didq_refdata_file(rd, i));
        if (!didq_refdata_nfiles(rd)) printf("(no files)\n");
    }
    summary(rd);
    didq_refdata_free(rd);
    return DIDQ_EXIT_OK;
}
