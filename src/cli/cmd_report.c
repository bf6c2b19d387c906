/* cmd_report.c: `didq report`, one self-contained HTML or Markdown page
 * about a month's files (or a saved session). */
#include "cli.h"
#include "didq/mapped.h"
#include "didq/dqmi.h"
#include "didq/afile.h"
#include "didq/anomaly.h"
#include "didq/reader.h"
#include "didq/refdata.h"
#include "didq/report_page.h"
#include "didq/notes.h"
#include "didq/session.h"
#include "didq/util.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct report_opts {
    cli_analysis an;
    didq_page_opts page;
    bool force, allow_core, format_set, submitted_set;
    const char *out, *db, *notes;
    cli_sites sites; /* --site CODE[,CODE...] */
} report_opts;

enum { OPT_FORMAT = 256, OPT_FORCE, OPT_MASK, OPT_UNMASKED, OPT_CORE, OPT_DB, OPT_NOTES, OPT_SITE };

static const struct option long_opts[] = {
    CLI_ANALYSIS_OPTIONS,
    {"format", required_argument, NULL, OPT_FORMAT},
    {"output", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, OPT_FORCE},
    {"mask", no_argument, NULL, OPT_MASK},
    {"unmasked", no_argument, NULL, OPT_UNMASKED},
    {"allow-core", no_argument, NULL, OPT_CORE},
    {"db", required_argument, NULL, OPT_DB},
    {"notes", required_argument, NULL, OPT_NOTES},
    {"site", required_argument, NULL, OPT_SITE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The format named by -o's extension when --format is not given. */
static void format_from_name(report_opts *o)
{
    const char *dot = strrchr(o->out, '.');
    if (!o->format_set && dot && (strcmp(dot, ".md") == 0 || strcmp(dot, ".markdown") == 0))
        o->page.html = false;
}

static int parse_opt(int c, const char *arg, report_opts *o, char **argv)
{
    switch (c) {
    case OPT_FORMAT:
        if (strcmp(arg, "html") != 0 && strcmp(arg, "md") != 0)
            return cli_usage_error("report", "--format is html or md, not '%s'", arg);
        o->page.html = strcmp(arg, "html") == 0;
        o->format_set = true;
        return 0;
    case 'o':
        o->out = arg;
        return 0;
    case OPT_FORCE:
        o->force = true;
        return 0;
    case OPT_MASK:
        o->page.unmasked = false;
        return 0;
    case OPT_UNMASKED:
        o->page.unmasked = true;
        return 0;
    case OPT_CORE:
        o->allow_core = true;
        return 0;
    case OPT_DB:
        o->db = arg;
        return 0;
    case OPT_NOTES:
        o->notes = arg;
        return 0;
    case OPT_SITE:
        return cli_sites_opt("report", arg, &o->sites);
    case 'h':
        for (const cli_command *k = cli_commands; k->name; k++)
            if (strcmp(k->name, "report") == 0) fputs(k->usage, stdout);
        return -1;
    case ':':
        return cli_usage_error("report", "%s needs a value", argv[optind - 1]);
    default:
        return cli_usage_error("report", "unknown option '%s'", argv[optind - 1]);
    }
}

/* Returns 0 when parsed, -1 after --help, or an exit status. */
static int parse(int argc, char **argv, report_opts *o)
{
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":ho:", long_opts, NULL)) != -1) {
        o->submitted_set |= c == CLI_OPT_SUBMITTED;
        int st = cli_analysis_opt("report", c, optarg, &o->an);
        if (st < 0) st = parse_opt(c, optarg, o, argv);
        if (st) return st;
    }
    if (!o->out) return cli_usage_error("report", "no output file: give -o FILE");
    if (o->db && optind < argc)
        return cli_usage_error("report", "--db reads a saved session: give no input files");
    if (!o->db && optind >= argc) return cli_usage_error("report", "no input files");
    int st = cli_analysis_months_check("report", &o->an, argc - optind, argv + optind);
    if (st) return st;
    if (o->db && (o->submitted_set || o->an.refdata || o->an.n_months))
        return cli_usage_error("report", "--db: the saved session keeps its own --submitted,"
                                         " --refdata and --month");
    if (o->db && o->sites.n)
        return cli_usage_error("report", "--site applies to input files, not to --db (a saved"
                                         " session keeps the records it was saved with)");
    format_from_name(o);
    return 0;
}

/* The session of the input files (analysed) or of --db; *rd, the
 * reference data, must outlive it.  NULL with an exit status in *st. */
static didq_session *load(const report_opts *o, int n, char **paths, didq_refdata **rd, int *st)
{
    char err[512];
    if (o->db) {
        didq_thresholds th;
        if ((*st = cli_analysis_thresholds(&o->an, &th)) != 0) return NULL;
        didq_session *s =
            didq_session_open_saved(o->db, o->an.thresholds ? &th : NULL, err, sizeof err);
        if (!s) {
            cli_error(err);
            *st = DIDQ_EXIT_NOINPUT;
        }
        return s;
    }
    const char *refdir = NULL;
    *rd = cli_refdata_load(o->an.refdata, stderr, &refdir, st);
    if (*st) return NULL;
    didq_thresholds th;
    if ((*st = cli_analysis_thresholds(&o->an, &th)) != 0) return NULL;
    didq_session_opts so = {.submitted = o->an.submitted,
                            .ref = *rd,
                            .ref_label = refdir,
                            .thresholds = &th,
                            .months = o->an.months,
                            .n_months = o->an.n_months,
                            .sites = (const char *const *)o->sites.v,
                            .n_sites = o->sites.n,
                            .threads = o->an.threads,
                            .values_in_file = true,
                            .sites_on_demand = true};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    if (!s) {
        cli_error(err);
        *st = DIDQ_EXIT_SOFTWARE;
    }
    if (s) didq_dqmi_prepare_beside(s, o->page.dqmi); /* counted as the records come */
    for (int i = 0; s && i < n; i++) {
        if (didq_session_load(s, paths[i], NULL, NULL, err, sizeof err) == DIDQ_READ_IO) {
            cli_error(err);
            *st = DIDQ_EXIT_NOINPUT;
            didq_session_free(s);
            s = NULL;
        }
    }
    if (s && (*st = cli_sites_check("report", &o->sites, s)) != 0) { /* no page for it */
        didq_session_free(s);
        s = NULL;
    }
    if (s) didq_session_finish_analysed(s); /* its inputs checked before the page is put in place */
    return s;
}

static int write_page(didq_session *s, const report_opts *o)
{
    char err[8192];
    didq_afile *af = didq_afile_open(o->out, o->force ? DIDQ_AFILE_OVERWRITE : 0, err, sizeof err);
    if (!af) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    didq_report_page(s, didq_afile_fp(af), &o->page);
    if (cli_inputs_unchanged(s)) { /* the page read values again */
        didq_afile_abort(af);
        return DIDQ_EXIT_NOINPUT;
    }
    if (didq_afile_commit(af, err, sizeof err) != 0) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    return 0;
}

static int run_report(report_opts *op, int argc, char **argv);

int cmd_report(int argc, char **argv)
{
    report_opts o = {.page = {.html = true}};
    cli_analysis_init(&o.an);
    int st = parse(argc, argv, &o);
    if (st == 0) st = run_report(&o, argc, argv);
    cli_sites_free(&o.sites);
    return st < 0 ? DIDQ_EXIT_OK : st;
}

static int run_report(report_opts *op, int argc, char **argv)
{
    report_opts o = *op;
    int st;
    if (!o.allow_core) cli_no_core_dumps();
    didq_temp_cleanup_on_signals();
    didq_mapped_guard();
    for (int i = optind; i < argc; i++)
        didq_input_note(argv[i]);
    if (o.db) didq_input_note(o.db);
    if (o.an.thresholds) didq_input_note(o.an.thresholds);
    char err0[1024];
    if (o.an.dqmi) didq_input_note(o.an.dqmi);
    if (o.notes) didq_input_note(o.notes);
    didq_notes *notes = NULL;
    if (o.notes && (st = didq_notes_load(o.notes, false, &notes, err0, sizeof err0)) != 0) {
        cli_error(err0);
        didq_inputs_forget();
        return st == -2 ? DIDQ_EXIT_NOINPUT : DIDQ_EXIT_USAGE;
    }
    o.page.notes = notes;
    didq_dqmi_spec dqs;
    if ((st = cli_analysis_dqmi(&o.an, &dqs, &o.page.dqmi)) != 0) {
        didq_inputs_forget();
        return st;
    }
    char err[8192];
    /* An output that cannot be made, or is an input, is refused before the load. */
    if (didq_output_check(o.out, o.force ? DIDQ_AFILE_OVERWRITE : 0, err, sizeof err) != 0) {
        cli_error(err);
        didq_inputs_forget();
        return DIDQ_EXIT_CANTCREAT;
    }
    didq_refdata *rd = NULL;
    didq_session *s = load(&o, argc - optind, argv + optind, &rd, &st);
    if (s) st = write_page(s, &o);
    didq_session_free(s);
    didq_refdata_free(rd);
    didq_notes_free(notes);
    didq_inputs_forget();
    return st;
}
