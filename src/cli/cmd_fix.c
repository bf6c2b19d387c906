/* cmd_fix.c: `didq fix -o OUT IN`, a corrected copy of a CSV submission
 * (fix.h), then a check of the copy for the findings left. */
#include "cli.h"
#include "didq/afile.h"
#include "didq/fix.h"
#include "didq/reader.h"
#include "didq/refdata.h"
#include "didq/session.h"
#include "didq/util.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fix_opts {
    cli_analysis an; /* --submitted, --refdata */
    bool force, allow_core, has_only;
    const char *out, *log;
    bool only[DIDQ_FIX_MAX];
} fix_opts;

enum { OPT_LOG = 256, OPT_ONLY, OPT_FORCE, OPT_CORE };

/* No --thresholds: fix runs no anomaly analysis. */
static const struct option long_opts[] = {
    {"submitted", required_argument, NULL, CLI_OPT_SUBMITTED},
    {"refdata", required_argument, NULL, CLI_OPT_REFDATA},
    {"log", required_argument, NULL, OPT_LOG},
    {"only", required_argument, NULL, OPT_ONLY},
    {"force", no_argument, NULL, OPT_FORCE},
    {"allow-core", no_argument, NULL, OPT_CORE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const cli_command *fix_command(void)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, "fix") == 0) return c;
    return NULL;
}

static int parse_opt(int c, char **argv, fix_opts *o)
{
    char err[200];
    switch (c) {
    case 'o':
        o->out = optarg;
        return 0;
    case OPT_LOG:
        o->log = optarg;
        return 0;
    case OPT_ONLY:
        if (didq_fix_only_parse(optarg, o->only, err, sizeof err) != 0)
            return cli_usage_error("fix", "%s", err);
        o->has_only = true;
        return 0;
    case OPT_FORCE:
        o->force = true;
        return 0;
    case OPT_CORE:
        o->allow_core = true;
        return 0;
    case 'h': {
        const cli_command *cmd = fix_command();
        if (cmd) fputs(cmd->usage, stdout);
        return -1;
    }
    case ':':
        return cli_usage_error("fix", "%s needs a value", argv[optind - 1]);
    default:
        return cli_usage_error("fix", "unknown option '%s'", argv[optind - 1]);
    }
}

/* Returns 0 when parsed, -1 after --help, or an exit status. */
static int parse(int argc, char **argv, fix_opts *o)
{
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":ho:", long_opts, NULL)) != -1) {
        int st = cli_analysis_opt("fix", c, optarg, &o->an);
        if (st < 0) st = parse_opt(c, argv, o);
        if (st) return st;
    }
    if (argc - optind != 1)
        return cli_usage_error("fix", "wants one file, IN, not %d", argc - optind);
    if (!o->out) return cli_usage_error("fix", "-o OUT is required (the corrected copy)");
    if (strcmp(argv[optind], "-") == 0)
        return cli_usage_error("fix", "IN cannot be standard input: fix reads it twice");
    if (strcmp(o->out, "-") == 0)
        return cli_usage_error("fix", "-o - is not taken: OUT is a file written atomically");
    if (o->log && strcmp(o->log, o->out) == 0)
        return cli_usage_error("fix", "--log and -o name the same file");
    return 0;
}

static int outputs_ok(const fix_opts *o)
{
    char err[8192];
    unsigned flags = (o->force ? DIDQ_AFILE_OVERWRITE : 0) | DIDQ_AFILE_REGULAR;
    if (didq_output_check(o->out, flags, err, sizeof err) == 0 &&
        didq_output_check(o->log, o->force ? DIDQ_AFILE_OVERWRITE : 0, err, sizeof err) == 0)
        return 0;
    cli_error(err);
    return DIDQ_EXIT_CANTCREAT;
}

static int plan_status(int st)
{
    return st == DIDQ_FIX_XML ? DIDQ_EXIT_USAGE : DIDQ_EXIT_NOINPUT;
}

static int write_out(didq_fix_plan *p, const fix_opts *o)
{
    char err[8192];
    didq_afile *af = didq_afile_open(
        o->out, (o->force ? DIDQ_AFILE_OVERWRITE : 0) | DIDQ_AFILE_REGULAR, err, sizeof err);
    if (!af) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    if (didq_fix_write(p, didq_afile_fp(af), err, sizeof err) != 0) {
        didq_afile_abort(af);
        cli_error(err);
        return DIDQ_EXIT_NOINPUT;
    }
    if (didq_afile_commit(af, err, sizeof err) != 0) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    return 0;
}

static int write_log(const didq_fix_plan *p, const fix_opts *o)
{
    char err[8192];
    didq_afile *af = didq_afile_open(o->log, o->force ? DIDQ_AFILE_OVERWRITE : 0, err, sizeof err);
    if (!af) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    didq_fix_log_csv(p, didq_afile_fp(af));
    if (didq_afile_commit(af, err, sizeof err) != 0) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    return 0;
}

/* OUT checked as check would: the findings that had no safe fix. */
static int recheck(const fix_opts *o, const didq_refdata *rd, const char *refdir)
{
    char err[512];
    didq_session_opts so = {.submitted = o->an.submitted, .ref = rd, .ref_label = refdir};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    if (!s) {
        cli_error(err);
        return DIDQ_EXIT_SOFTWARE;
    }
    if (didq_session_load(s, o->out, NULL, NULL, err, sizeof err) == DIDQ_READ_IO) {
        cli_error(err);
        didq_session_free(s);
        return DIDQ_EXIT_NOINPUT;
    }
    didq_session_finish(s);
    didq_fix_report_left(s, o->out, stdout);
    didq_session_free(s);
    return 0;
}

static int run(const fix_opts *o, const char *in, const didq_refdata *rd, const char *refdir)
{
    char err[8192];
    int pst = 0;
    didq_fix_opts fo = {
        .submitted = o->an.submitted, .ref = rd, .only = o->has_only ? o->only : NULL};
    didq_fix_plan *p = didq_fix_plan_make(in, &fo, &pst, err, sizeof err);
    if (!p) {
        cli_error(err);
        return plan_status(pst);
    }
    int st = write_out(p, o);
    if (st == 0 && o->log) st = write_log(p, o);
    if (st == 0) {
        didq_fix_report_text(p, in, o->out, stdout);
        st = recheck(o, rd, refdir);
    }
    didq_fix_plan_free(p);
    return st;
}

int cmd_fix(int argc, char **argv)
{
    fix_opts o = {0};
    cli_analysis_init(&o.an);
    int st = parse(argc, argv, &o);
    if (st) return st < 0 ? DIDQ_EXIT_OK : st;
    if (!o.allow_core) cli_no_core_dumps();
    didq_temp_cleanup_on_signals();
    const char *in = argv[optind];
    didq_input_note(in);
    /* The reference data first: its files are inputs too (noted as read). */
    const char *refdir = NULL;
    didq_refdata *rd = cli_refdata_load(o.an.refdata, stderr, &refdir, &st);
    if (st) return st;
    st = outputs_ok(&o);
    if (st == 0) st = run(&o, in, rd, refdir);
    didq_refdata_free(rd);
    didq_inputs_forget();
    return st;
}
