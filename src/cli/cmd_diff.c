/* cmd_diff.c: `didq diff OLD NEW`, a resubmitted file compared with the
 * one before it, record by record (diff.h). */
#include "cli.h"
#include "didq/mapped.h"
#include "didq/afile.h"
#include "didq/diff.h"
#include "didq/reader.h"
#include "didq/refdata.h"
#include "didq/session.h"
#include "didq/store.h"
#include "didq/util.h"
#include "tui.h"

#include <getopt.h>
#include <pthread.h>
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
    {"threads", required_argument, NULL, CLI_OPT_THREADS},
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
    case 'h': {
        const cli_command *cmd = diff_command();
        if (cmd) fputs(cmd->usage, stdout);
        return -1;
    }
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

/* One input in a session of its own: a saved session (`--db`, told by its
 * content: an SQLite file with didq's tables), or a submission file loaded
 * and finished as check does (no anomaly analysis: the diff has none). */
typedef struct side_job {
    const diff_opts *o;
    const didq_refdata *rd;
    const char *refdir, *path;
    didq_session *s;
    int st;       /* an exit status when s is NULL */
    bool stopped; /* its reading stopped part-way (DIDQ_READ_FATAL) */
    char err[512];
} side_job;

static void load_side(side_job *j)
{
    if (didq_is_saved_file(j->path)) {
        j->s = didq_session_open_saved(j->path, NULL, j->err, sizeof j->err);
        if (!j->s) j->st = DIDQ_EXIT_NOINPUT;
        return;
    }
    /* The report reads records, keys and findings only; the explorer's
     * session is queried in every way (the full load). */
    didq_session_opts so = {.submitted = j->o->an.submitted,
                            .ref = j->rd,
                            .ref_label = j->refdir,
                            .threads = j->o->an.threads,
                            /* both sides load at once, each on half the
                             * threads (on two cores 6.9 to 7.5 s at 4
                             * million against 7.6 to 9.9 s: performance.md) */
                            .load_beside = true,
                            .compare_only = !j->o->explore,
                            /* a run that ends; the explorer's OLD lives on */
                            .values_in_file = !j->o->explore,
                            .sites_on_demand = !j->o->explore};
    j->s = didq_session_new(&so, j->err, sizeof j->err);
    if (!j->s) {
        j->st = DIDQ_EXIT_SOFTWARE;
        return;
    }
    int rs = didq_session_load(j->s, j->path, NULL, NULL, j->err, sizeof j->err);
    if (rs == DIDQ_READ_IO) {
        didq_session_free(j->s);
        j->s = NULL;
        j->st = DIDQ_EXIT_NOINPUT;
        return;
    }
    j->stopped = rs == DIDQ_READ_FATAL;
    didq_session_finish(j->s);
}

static void *load_main(void *p)
{
    load_side(p);
    return NULL;
}

/* Loads OLD on a thread of its own while NEW loads here: two loads at once
 * (each session is its own; the reference data is only read).  Errors are
 * told after both, OLD's first. */
static int load_both(side_job *j)
{
    didq_session_init_shared();
    pthread_t t;
    bool threaded = pthread_create(&t, NULL, load_main, &j[0]) == 0;
    if (!threaded) load_side(&j[0]);
    load_side(&j[1]);
    if (threaded) pthread_join(t, NULL);
    for (int k = 0; k < 2; k++)
        if (!j[k].s) {
            cli_error(j[k].err);
            return j[k].st;
        }
    return 0;
}

static int write_changes(const didq_diff *d, const diff_opts *o, const side_job *sides)
{
    char err[8192];
    didq_afile *af =
        didq_afile_open(o->changes, o->force ? DIDQ_AFILE_OVERWRITE : 0, err, sizeof err);
    if (!af) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    didq_diff_changes_csv(d, didq_afile_fp(af), o->mask);
    if (cli_inputs_unchanged(sides[0].s) || cli_inputs_unchanged(sides[1].s)) {
        didq_afile_abort(af);
        return DIDQ_EXIT_NOINPUT;
    }
    if (didq_afile_commit(af, err, sizeof err) != 0) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    return 0;
}

static int compare(side_job *j, const diff_opts *o)
{
    didq_session *old = j[0].s, *new_ = j[1].s;
    didq_diff *d = didq_diff_run(old, new_);
    d->old_input = j[0].path;
    d->new_input = j[1].path;
    d->old_stopped = j[0].stopped;
    d->new_stopped = j[1].stopped;
    /* With --changes -, stdout carries the CSV alone: the report goes to stderr. */
    FILE *to = o->changes && strcmp(o->changes, "-") == 0 ? stderr : stdout;
    cli_held held; /* written whole once the files are known unchanged (cli_hold) */
    FILE *rep = cli_hold(&held);
    if (o->json)
        didq_diff_json(d, old, new_, rep);
    else
        didq_diff_text(d, old, new_, rep);
    int st = cli_inputs_unchanged(old);
    if (st == 0) st = cli_inputs_unchanged(new_);
    if (cli_release(&held, to, st) != 0) {
        didq_diff_free(d);
        return st;
    }
    /* A file whose reading stopped is not compared: no --changes, exit 2. */
    if (!didq_diff_compared(d)) {
        if (o->changes) {
            char m[8192];
            snprintf(m, sizeof m, "%s not written: the files are not compared", o->changes);
            cli_error(m);
        }
        didq_diff_free(d);
        return DIDQ_EXIT_FILE;
    }
    st = o->changes ? write_changes(d, o, j) : 0;
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
    didq_mapped_guard();
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
    side_job j[2] = {{.o = &o, .rd = rd, .refdir = refdir, .path = paths[0]},
                     {.o = &o, .rd = rd, .refdir = refdir, .path = paths[1]}};
    if (o.explore) {
        /* OLD here; the explorer loads NEW itself and compares them. */
        didq_session_init_shared();
        load_side(&j[0]);
        if (!j[0].s) {
            cli_error(j[0].err);
            st = j[0].st;
        } else {
            o.t.mask = o.mask, o.t.submitted = o.an.submitted, o.t.ref = rd;
            o.t.threads = o.an.threads;
            o.t.ref_label = refdir;
            st = cli_diff_explore(&o.t, j[0].s, paths[1]);
        }
    } else {
        st = load_both(j);
        if (st == 0) st = compare(j, &o);
    }
    for (int k = 0; k < 2; k++)
        if (j[k].s) didq_session_free(j[k].s);
    didq_refdata_free(rd);
    didq_inputs_forget();
    return st;
}
