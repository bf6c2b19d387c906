/* cmd_diff.c: `didq diff OLD NEW`, a resubmitted file compared with the
 * one before it, record by record (diff.h). */
#include "cli.h"
#include "didq/afile.h"
#include "didq/diff.h"
#include "didq/reader.h"
#include "didq/refdata.h"
#include "didq/session.h"
#include "didq/util.h"
#include "tui.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct diff_opts {
    cli_analysis an; /* --submitted, --refdata */
    bool json, force, mask, allow_core;
    const char *changes;
    bool format, explore; /* --format given; the explorer, not a report (cli_diff_explore) */
    tui_opts t;           /* the explorer's --script, --size, --no-mouse */
} diff_opts;

enum { OPT_FORMAT = 256, OPT_CHANGES, OPT_FORCE, OPT_MASK, OPT_CORE };
enum { OPT_SCRIPT = 300, OPT_SIZE, OPT_NO_MOUSE }; /* the explorer's */

/* No --thresholds: diff runs no anomaly analysis. */
static const struct option long_opts[] = {
    {"submitted", required_argument, NULL, CLI_OPT_SUBMITTED},
    {"refdata", required_argument, NULL, CLI_OPT_REFDATA},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"changes", required_argument, NULL, OPT_CHANGES},
    {"force", no_argument, NULL, OPT_FORCE},
    {"mask", no_argument, NULL, OPT_MASK},
    {"allow-core", no_argument, NULL, OPT_CORE},
    {"script", required_argument, NULL, OPT_SCRIPT},
    {"size", required_argument, NULL, OPT_SIZE},
    {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const cli_command *diff_command(void)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, "diff") == 0) return c;
    return NULL;
}

static int parse_opt(int c, char **argv, diff_opts *o)
{
    switch (c) {
    case OPT_FORMAT:
        if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
            return cli_usage_error("diff", "--format is text or json, not '%s'", optarg);
        o->json = strcmp(optarg, "json") == 0;
        o->format = true;
        return 0;
    case OPT_CHANGES:
        o->changes = optarg;
        return 0;
    case OPT_FORCE:
        o->force = true;
        return 0;
    case OPT_MASK:
        o->mask = true;
        return 0;
    case OPT_CORE:
        o->allow_core = true;
        return 0;
    case OPT_SCRIPT:
        o->t.script = optarg;
        return 0;
    case OPT_SIZE:
        return cli_parse_size("diff", optarg, &o->t.cols, &o->t.rows);
    case OPT_NO_MOUSE:
        o->t.no_mouse = true;
        return 0;
    case 'h':
        fputs(diff_command()->usage, stdout);
        return -1;
    case ':':
        return cli_usage_error("diff", "%s needs a value", argv[optind - 1]);
    default:
        return cli_usage_error("diff", "unknown option '%s'", argv[optind - 1]);
    }
}

/* Returns 0 when parsed, -1 after --help, or an exit status. */
static int parse(int argc, char **argv, diff_opts *o)
{
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
        int st = cli_analysis_opt("diff", c, optarg, &o->an);
        if (st < 0) st = parse_opt(c, argv, o);
        if (st) return st;
    }
    if (argc - optind != 2)
        return cli_usage_error("diff", "wants two files, OLD and NEW, not %d", argc - optind);
    if (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0)
        return cli_usage_error("diff", "OLD and NEW cannot both be standard input");
    /* On a terminal (keys read from it too), without --format or
     * --changes: the explorer on NEW with the Changes pane. */
    bool dash = strcmp(argv[optind], "-") == 0 || strcmp(argv[optind + 1], "-") == 0;
    o->explore = !o->format && !o->changes &&
                 (o->t.script || (isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) && !dash));
    if ((o->t.script || o->t.cols || o->t.no_mouse) && !o->explore)
        return cli_usage_error("diff", "--script, --size and --no-mouse go with the explorer, "
                                       "not with --format or --changes");
    if (o->t.cols && !o->t.script) return cli_usage_error("diff", "--size goes with --script");
    if (o->explore && dash)
        return cli_usage_error("diff", "the explorer reads keys, not a file, from standard input");
    if (o->mask && !o->changes && !o->explore)
        return cli_usage_error("diff", "--mask applies to --changes, which is not given, or to "
                                       "the explorer (on a terminal)");
    if (o->json && o->changes && strcmp(o->changes, "-") == 0)
        return cli_usage_error("diff", "--format json and --changes - would both write to stdout");
    return 0;
}

/* One file in a session of its own, loaded and finished as check does. */
static didq_session *load_one(const diff_opts *o, const didq_refdata *rd, const char *refdir,
                              const char *path, int *st)
{
    char err[512];
    didq_session_opts so = {.submitted = o->an.submitted, .ref = rd, .ref_label = refdir};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    if (!s) {
        cli_error(err);
        *st = DIDQ_EXIT_SOFTWARE;
        return NULL;
    }
    if (didq_session_load(s, path, NULL, NULL, err, sizeof err) == DIDQ_READ_IO) {
        cli_error(err);
        didq_session_free(s);
        *st = DIDQ_EXIT_NOINPUT;
        return NULL;
    }
    didq_session_finish(s);
    return s;
}

static int write_changes(const didq_diff *d, const diff_opts *o)
{
    char err[8192];
    didq_afile *af =
        didq_afile_open(o->changes, o->force ? DIDQ_AFILE_OVERWRITE : 0, err, sizeof err);
    if (!af) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    didq_diff_changes_csv(d, didq_afile_fp(af), o->mask);
    if (didq_afile_commit(af, err, sizeof err) != 0) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    return 0;
}

static int compare(didq_session *old, didq_session *new_, const diff_opts *o)
{
    didq_diff *d = didq_diff_run(old, new_);
    /* With --changes -, stdout carries the CSV alone: the report goes to stderr. */
    FILE *rep = o->changes && strcmp(o->changes, "-") == 0 ? stderr : stdout;
    if (o->json)
        didq_diff_json(d, old, new_, rep);
    else
        didq_diff_text(d, old, new_, rep);
    int st = o->changes ? write_changes(d, o) : 0;
    if (st == 0) st = didq_diff_same(d) ? DIDQ_EXIT_OK : 1;
    didq_diff_free(d);
    return st;
}

int cmd_diff(int argc, char **argv)
{
    diff_opts o = {0};
    cli_analysis_init(&o.an);
    int st = parse(argc, argv, &o);
    if (st) return st < 0 ? DIDQ_EXIT_OK : st;
    if (!o.allow_core) cli_no_core_dumps();
    didq_temp_cleanup_on_signals();
    char **paths = argv + optind, err[8192];
    didq_input_note(paths[0]);
    didq_input_note(paths[1]);
    /* The reference data first: its files are inputs too (noted as read). */
    const char *refdir = NULL;
    didq_refdata *rd = cli_refdata_load(o.an.refdata, stderr, &refdir, &st);
    if (st) return st;
    if (didq_output_check(o.changes, o.force ? DIDQ_AFILE_OVERWRITE : 0, err, sizeof err) != 0) {
        cli_error(err);
        didq_refdata_free(rd);
        return DIDQ_EXIT_CANTCREAT;
    }
    didq_session *old = load_one(&o, rd, refdir, paths[0], &st);
    if (old && o.explore) {
        o.t.mask = o.mask, o.t.submitted = o.an.submitted, o.t.ref = rd, o.t.ref_label = refdir;
        st = cli_diff_explore(&o.t, old, paths[1]);
    }
    didq_session *new_ = old && !o.explore ? load_one(&o, rd, refdir, paths[1], &st) : NULL;
    if (old && new_) st = compare(old, new_, &o);
    if (new_) didq_session_free(new_);
    if (old) didq_session_free(old);
    didq_refdata_free(rd);
    didq_inputs_forget();
    return st;
}
