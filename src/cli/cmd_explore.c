/* cmd_explore.c: `didq [OPTIONS] FILE...` and `didq --demo` open the
 * explorer (src/tui); --script runs it headless for tests and pictures. */
#include "cli.h"
#include "didq/afile.h"
#include "didq/anomaly.h"
#include "didq/dqmi.h"
#include "didq/date.h"
#include "didq/notes.h"
#include "didq/refdata.h"
#include "didq/store.h"
#include "didq/synth.h"
#include "didq/util.h"
#include "tui.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    OPT_DEMO = 256,
    OPT_MASK,
    OPT_NO_MOUSE,
    OPT_COLOR,
    OPT_SCRIPT,
    OPT_SIZE,
    OPT_TIMING,
    OPT_CORE,
    OPT_DEMO_ROWS,
    OPT_KEYS,
    OPT_NO_PREBUILD,
    OPT_NOTES
};

static const struct option long_opts[] = {
    CLI_ANALYSIS_OPTIONS,
    {"demo", no_argument, NULL, OPT_DEMO},
    {"demo-rows", required_argument, NULL, OPT_DEMO_ROWS},
    {"mask", no_argument, NULL, OPT_MASK},
    {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
    {"color", required_argument, NULL, OPT_COLOR},
    {"script", required_argument, NULL, OPT_SCRIPT},
    {"size", required_argument, NULL, OPT_SIZE},
    {"timing", required_argument, NULL, OPT_TIMING},
    {"allow-core", no_argument, NULL, OPT_CORE},
    {"keys", no_argument, NULL, OPT_KEYS},
    {"no-prebuild", no_argument, NULL, OPT_NO_PREBUILD},
    {"notes", required_argument, NULL, OPT_NOTES},
    {NULL, 0, NULL, 0},
};

typedef struct explore_opts {
    tui_opts t;
    cli_analysis an; /* --submitted, --refdata, --thresholds */
    bool demo, allow_core, keys;
    uint64_t demo_rows;
    const char *notes; /* --notes FILE */
} explore_opts;

static int parse_color(const char *s, enum tui_color *c)
{
    if (strcmp(s, "auto") == 0)
        *c = TUI_COLOR_AUTO;
    else if (strcmp(s, "always") == 0)
        *c = TUI_COLOR_ALWAYS;
    else if (strcmp(s, "never") == 0)
        *c = TUI_COLOR_NEVER;
    else
        return cli_usage_error(NULL, "--color is auto, always or never, not '%s'", s);
    return 0;
}

int cli_parse_size(const char *cmd, const char *s, int *cols, int *rows)
{
    char x;
    int end = 0;
    if (sscanf(s, "%d%c%d%n", cols, &x, rows, &end) != 3 || s[end] || (x != 'x' && x != 'X') ||
        *cols < 1 || *rows < 1 || *cols > 1000 || *rows > 1000)
        return cli_usage_error(cmd, "--size wants COLSxROWS, for example 132x43, not '%s'", s);
    return 0;
}

static int parse_opt(int c, explore_opts *o, char **argv)
{
    char *end;
    int st = cli_analysis_opt(NULL, c, optarg, &o->an);
    if (st >= 0) return st;
    switch (c) {
    case OPT_DEMO:
        o->demo = true;
        return 0;
    case OPT_DEMO_ROWS:
        errno = 0;
        o->demo_rows = strtoull(optarg, &end, 10);
        if (optarg[0] < '0' || optarg[0] > '9' || *end || errno || o->demo_rows == 0 ||
            o->demo_rows > 100000000ULL)
            return cli_usage_error(NULL, "--demo-rows wants a number from 1 to 100000000, not '%s'",
                                   optarg);
        o->demo = true;
        return 0;
    case OPT_MASK:
        o->t.mask = true;
        return 0;
    case OPT_NO_MOUSE:
        o->t.no_mouse = true;
        return 0;
    case OPT_COLOR:
        return parse_color(optarg, &o->t.color);
    case OPT_SCRIPT:
        o->t.script = optarg;
        return 0;
    case OPT_SIZE:
        return cli_parse_size(NULL, optarg, &o->t.cols, &o->t.rows);
    case OPT_TIMING:
        o->t.timing = optarg;
        return 0;
    case OPT_CORE:
        o->allow_core = true;
        return 0;
    case OPT_KEYS:
        o->keys = true;
        return 0;
    case OPT_NO_PREBUILD:
        o->t.no_prebuild = true;
        return 0;
    case OPT_NOTES:
        o->notes = optarg;
        return 0;
    case ':':
        return cli_usage_error(NULL, "%s needs a value", argv[optind - 1]);
    default:
        return cli_usage_error(NULL, "unknown option '%s'", argv[optind - 1]);
    }
}

static int parse(int argc, char **argv, explore_opts *o)
{
    int c, st;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":", long_opts, NULL)) != -1)
        if ((st = parse_opt(c, o, argv)) != 0) return st;
    o->t.files = argv + optind;
    o->t.nfiles = argc - optind;
    if (o->keys) return 0;
    if (!o->demo && o->t.nfiles == 0) return cli_usage_error(NULL, "no input files (or --demo)");
    if ((o->t.cols || o->t.timing) && !o->t.script)
        return cli_usage_error(NULL, "--size and --timing go with --script");
    char *demo[] = {"demo-month.csv"};
    int st2 = o->demo ? cli_analysis_months_check(NULL, &o->an, 1, demo)
                      : cli_analysis_months_check(NULL, &o->an, o->t.nfiles, o->t.files);
    if (st2) return st2;
    o->t.months = o->an.months;
    o->t.n_months = o->an.n_months;
    o->t.threads = o->an.threads;
    return 0;
}

/* Anomalies planted in the demo month, one per site, so that panes 7 to 9
 * have something to show (docs/usage.md). */
static const char demo_inject[] =
    "activity-gap@RR801,setting-other-default@RAE05,gp-direct-access-as-outpatient@RWY02,"
    "report-turnaround-missing@RR813,referral-to-test-zero@RWY01,field-missing-share@RR864,"
    "restricted-code-identifiers@RAE01";

static didq_synth_opts demo_opts(const explore_opts *o)
{
    didq_synth_opts so = didq_synth_defaults();
    so.rows = o->demo_rows ? o->demo_rows : 5000;
    so.defect_rate = 0.04;
    so.defect_dups = 1;
    so.seed = 2024;
    so.inject = demo_inject;
    return so;
}

static char *make_demo(explore_opts *o, size_t *len)
{
    didq_synth_opts so = demo_opts(o);
    return didq_synth_mem(&so, len);
}

/* `didq FILE.db` opens a saved session when FILE is one; `didq open FILE`
 * only ever opens a saved session (anything else is refused there). */
static int choose_saved(explore_opts *o, bool saved_only)
{
    if (saved_only && (o->demo || o->t.nfiles != 1))
        return cli_usage_error("open", "one saved session at a time");
    if (o->t.nfiles == 1 && !o->demo && (saved_only || didq_is_saved_file(o->t.files[0]))) {
        o->t.saved = o->t.files[0];
        o->t.nfiles = 0;
    }
    return 0;
}

/* --notes FILE: read now (a file not there yet is created by the first
 * note); written to later, so it must be a place an output may go, never
 * an input (73).  Bad content 64, unreadable 66, as check. */
static int load_notes(explore_opts *o)
{
    char err[1024];
    if (!o->notes) return 0;
    if (didq_output_check(o->notes, DIDQ_AFILE_REGULAR | DIDQ_AFILE_OVERWRITE, err, sizeof err)) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    int rc = didq_notes_load(o->notes, true, &o->t.notes, err, sizeof err);
    if (rc == 0) return 0;
    cli_error(err);
    return rc == -2 ? DIDQ_EXIT_NOINPUT : DIDQ_EXIT_USAGE;
}

static int explore(int argc, char **argv, bool saved_only)
{
    if (argc < 2) return cmd_help(1, argv);
    explore_opts o = {0};
    cli_analysis_init(&o.an);
    int st = parse(argc, argv, &o);
    if (st) return st;
    o.t.submitted = o.an.submitted;
    if (o.keys) {
        tui_print_keys();
        return DIDQ_EXIT_OK;
    }
    if (!o.t.script && !isatty(STDOUT_FILENO)) {
        fputs("didq: standard output is not a terminal; use 'didq check' for reports\n", stderr);
        return DIDQ_EXIT_USAGE;
    }
    if (!o.t.script && !isatty(STDIN_FILENO)) {
        fputs("didq: standard input is not a terminal, and the explorer reads its keys there; name "
              "the file instead of piping it, or use 'didq check -'\n",
              stderr);
        return DIDQ_EXIT_USAGE;
    }
    for (int i = 0; !o.t.script && i < o.t.nfiles; i++)
        if (strcmp(o.t.files[i], "-") == 0)
            return cli_usage_error(NULL,
                                   "the explorer reads keys from the terminal, not a file "
                                   "from standard input; name the file, or use 'didq check -'");
    if (!o.allow_core) cli_no_core_dumps();
    for (int i = 0; i < o.t.nfiles; i++) /* no export may replace one */
        didq_input_note(o.t.files[i]);
    if (o.t.script) didq_input_note(o.t.script);
    if (o.an.thresholds) didq_input_note(o.an.thresholds);
    if (o.an.dqmi) didq_input_note(o.an.dqmi);
    if ((st = choose_saved(&o, saved_only)) != 0) return st;
    if (o.t.saved && o.an.n_months)
        return cli_usage_error(NULL, "--month does not apply to a saved session: its months were"
                                     " fixed when it was saved (check --month ... --db)");
    didq_thresholds th;
    if ((st = cli_analysis_thresholds(&o.an, &th)) != 0) return st;
    didq_dqmi_spec dqs;
    if ((st = cli_analysis_dqmi(&o.an, &dqs, &o.t.dqmi)) != 0) return st;
    o.t.thresholds = o.an.thresholds ? &th : NULL; /* NULL: a saved session keeps its own */
    const char *refdir = NULL;
    didq_refdata *rd = o.t.saved ? NULL : cli_refdata_load(o.an.refdata, stderr, &refdir, &st);
    if (st) return st;
    o.t.ref = rd;
    o.t.ref_label = refdir;
    if ((st = load_notes(&o)) != 0) {
        didq_refdata_free(rd);
        return st;
    }
    char *demo = NULL;
    if (o.demo) {
        demo = make_demo(&o, &o.t.mem_len);
        if (!demo) {
            char err[200] = "";
            didq_synth_opts so = demo_opts(&o);
            didq_synth_validate(&so, err, sizeof err);
            fprintf(stderr, "didq: cannot make the demo month: %s\n", err);
            return DIDQ_EXIT_SOFTWARE;
        }
        o.t.mem_name = "demo-month.csv";
        o.t.mem_buf = demo;
    }
    st = tui_run(&o.t);
    didq_notes_free(o.t.notes);
    free(demo);
    didq_refdata_free(rd);
    didq_inputs_forget();
    return st;
}

int cmd_explore(int argc, char **argv)
{
    return explore(argc, argv, false);
}

int cmd_explore_saved(int argc, char **argv)
{
    return explore(argc, argv, true);
}
