/* cmd_check.c: `didq check`, the headless engine for scripts and CI. */
#include "cli.h"
#include "didq/mapped.h"
#include "didq/afile.h"
#include "didq/anomaly.h"
#include "didq/baseline.h"
#include "didq/notes.h"
#include "didq/dqmi.h"
#include "didq/query.h"
#include "didq/reader.h"
#include "didq/refdata.h"
#include "didq/report.h"
#include "didq/session.h"
#include "didq/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct check_opts {
    cli_analysis an; /* --submitted, --refdata, --thresholds */
    bool json, force, mask, allow_core;
    const char *findings;
    const char *db;
    const char *notes;    /* --notes FILE */
    const char *baseline; /* --baseline FILE */
    cli_sites sites;      /* --site CODE[,CODE...] */
} check_opts;

enum {
    OPT_FORMAT = 256,
    OPT_FINDINGS,
    OPT_FORCE,
    OPT_MASK,
    OPT_CORE,
    OPT_DB,
    OPT_NOTES,
    OPT_BASE,
    OPT_SITE
};

static const struct option long_opts[] = {
    CLI_ANALYSIS_OPTIONS,
    {"format", required_argument, NULL, OPT_FORMAT},
    {"findings", required_argument, NULL, OPT_FINDINGS},
    {"force", no_argument, NULL, OPT_FORCE},
    {"mask", no_argument, NULL, OPT_MASK},
    {"allow-core", no_argument, NULL, OPT_CORE},
    {"db", required_argument, NULL, OPT_DB},
    {"notes", required_argument, NULL, OPT_NOTES},
    {"baseline", required_argument, NULL, OPT_BASE},
    {"site", required_argument, NULL, OPT_SITE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Returns 0 when parsed, or an exit status. */
static int parse(int argc, char **argv, check_opts *o)
{
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
        int st = cli_analysis_opt("check", c, optarg, &o->an);
        if (st >= 0) {
            if (st) return st;
            continue;
        }
        switch (c) {
        case OPT_FORMAT:
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
                return cli_usage_error("check", "--format is text or json, not '%s'", optarg);
            o->json = strcmp(optarg, "json") == 0;
            break;
        case OPT_FINDINGS:
            o->findings = optarg;
            break;
        case OPT_FORCE:
            o->force = true;
            break;
        case OPT_MASK:
            o->mask = true;
            break;
        case OPT_CORE:
            o->allow_core = true;
            break;
        case OPT_DB:
            o->db = optarg;
            break;
        case OPT_NOTES:
            o->notes = optarg;
            break;
        case OPT_BASE:
            o->baseline = optarg;
            break;
        case OPT_SITE:
            if (cli_sites_opt("check", optarg, &o->sites)) return DIDQ_EXIT_USAGE;
            break;
        case 'h':
            fputs(cli_commands[0].usage, stdout);
            return -1;
        case ':':
            return cli_usage_error("check", "%s needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("check", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc) return cli_usage_error("check", "no input files");
    int st = cli_analysis_months_check("check", &o->an, argc - optind, argv + optind);
    if (st) return st;
    if (o->mask && !o->findings)
        return cli_usage_error("check", "--mask applies to --findings, which is not given");
    if (o->db && strcmp(o->db, "-") == 0)
        return cli_usage_error("check", "--db wants a file name; a database cannot go to stdout");
    if (o->json && o->findings && strcmp(o->findings, "-") == 0)
        return cli_usage_error("check",
                               "--format json and --findings - would both write to stdout");
    if (o->sites.n && o->baseline)
        return cli_usage_error("check", "--site with --baseline is not supported: the baseline's"
                                        " findings at other sites would count as fixed");
    if (o->db && o->findings && strcmp(o->db, o->findings) == 0)
        return cli_usage_error("check", "--findings and --db name the same file '%s'", o->db);
    return 0;
}

/* Prints "didq: ..." (escaped) and returns the exit status 73. */
static int cant_create(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int cant_create(const char *fmt, ...)
{
    char msg[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cli_error(msg);
    return DIDQ_EXIT_CANTCREAT;
}

/* An output that cannot be created, or that is an input, is found before
 * the load, not after. */
static int check_output(const char *path, bool force, bool session)
{
    char err[8192];
    unsigned flags = (force ? DIDQ_AFILE_OVERWRITE : 0) |
                     (session ? DIDQ_AFILE_REGULAR | DIDQ_AFILE_SESSION : 0);
    if (didq_output_check(path, flags, err, sizeof err) == 0) return 0;
    return cant_create("%s", err);
}

/* Every file read (submissions, --thresholds; the reference data's files
 * as they are read) is noted: no output may replace one, with or without
 * --force. */
static void note_inputs(const check_opts *o, int n, char **paths)
{
    for (int i = 0; i < n; i++)
        didq_input_note(paths[i]);
    if (o->an.thresholds) didq_input_note(o->an.thresholds);
    if (o->an.dqmi) didq_input_note(o->an.dqmi);
    if (o->notes) didq_input_note(o->notes);
    if (o->baseline) didq_input_note(o->baseline);
}

static int load_all(didq_session *s, int n, char **paths)
{
    for (int i = 0; i < n; i++) {
        char err[512];
        if (didq_session_load(s, paths[i], NULL, NULL, err, sizeof err) == DIDQ_READ_IO) {
            cli_error(err);
            return DIDQ_EXIT_NOINPUT;
        }
    }
    return 0;
}

static int write_findings(didq_session *s, const check_opts *o)
{
    char err[512];
    didq_afile *af =
        didq_afile_open(o->findings, o->force ? DIDQ_AFILE_OVERWRITE : 0, err, sizeof err);
    if (!af) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    didq_report_findings_csv(s, didq_afile_fp(af), o->mask);
    if (cli_inputs_unchanged(s)) {
        didq_afile_abort(af);
        return DIDQ_EXIT_NOINPUT;
    }
    if (didq_afile_commit(af, err, sizeof err) != 0) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    return 0;
}

/* The report, --findings, --db and the status of a loaded, analysed
 * session.  The report is made whole before any of it is written, and
 * printed only once the inputs read back are found unchanged (cli_hold);
 * the findings are checked again before they are put in place; with --db
 * no input is mapped. */
static int write_outputs(didq_session *s, const check_opts *o, const didq_notes *notes,
                         didq_baseline *base, const didq_dqmi_spec *dq)
{
    /* With --findings -, stdout carries the CSV alone: the report goes to
     * stderr (JSON and the CSV together are refused). */
    FILE *to = o->findings && strcmp(o->findings, "-") == 0 ? stderr : stdout;
    cli_held held;
    cli_extra_report(s, cli_hold(&held), o->json, notes, base, dq);
    int st = cli_release(&held, to, cli_inputs_unchanged(s));
    if (st == 0 && o->findings) st = write_findings(s, o);
    char err[512];
    if (st == 0 && o->db && didq_query_save(s, o->db, o->force, dq, err, sizeof err) != 0) {
        cli_error(err);
        st = DIDQ_EXIT_CANTCREAT;
    }
    /* With --baseline the status answers its question (anything new?),
     * not the verdict's (which the report still gives). */
    return st == 0 ? cli_extra_status(s, base) : st;
}

static int run_check(const check_opts *o, int argc, char **argv)
{
    int st;
    if (!o->allow_core) cli_no_core_dumps();
    didq_temp_cleanup_on_signals();
    didq_mapped_guard();
    note_inputs(o, argc - optind, argv + optind);
    /* The reference data first: its files are inputs too (noted as read). */
    const char *refdir = NULL;
    didq_refdata *rd = cli_refdata_load(o->an.refdata, stderr, &refdir, &st);
    if (st) return st;
    didq_thresholds th;
    didq_notes *notes = NULL;
    didq_baseline *base = NULL;
    didq_dqmi_spec dqs;
    const didq_dqmi_spec *dq;
    if ((st = check_output(o->findings, o->force, false)) != 0 ||
        (st = check_output(o->db, o->force, true)) != 0 ||
        (st = cli_analysis_thresholds(&o->an, &th)) != 0 ||
        (st = cli_analysis_dqmi(&o->an, &dqs, &dq)) != 0 ||
        /* --notes and --baseline, read before the load: bad content exits
         * 64 (as a bad --thresholds file), an unreadable file 66. */
        (st = cli_extra_load(o->notes, o->baseline, &notes, &base)) != 0) {
        didq_notes_free(notes);
        didq_refdata_free(rd);
        return st;
    }
    char err[512];
    didq_session_opts so = {.submitted = o->an.submitted,
                            .ref = rd,
                            .ref_label = refdir,
                            .thresholds = &th,
                            .months = o->an.months,
                            .n_months = o->an.n_months,
                            .sites = (const char *const *)o->sites.v,
                            .n_sites = o->sites.n,
                            .threads = o->an.threads,
                            .values_in_file = true,
                            .sites_on_demand = true};
    char *dbdir =
        o->db ? didq_dir_of(o->db) : NULL; /* --db: the records wait there, not in memory */
    so.spill_dir = dbdir;
    didq_session *s = didq_session_new(&so, err, sizeof err);
    free(dbdir);
    if (!s) { /* with --db: the record files beside it could not be made */
        cli_error(err);
        didq_notes_free(notes);
        didq_baseline_free(base);
        didq_refdata_free(rd);
        return o->db ? DIDQ_EXIT_CANTCREAT : DIDQ_EXIT_SOFTWARE;
    }
    didq_dqmi_prepare_beside(s, dq); /* counted as the records come */
    st = load_all(s, argc - optind, argv + optind);
    if (st == 0) st = cli_sites_check("check", &o->sites, s); /* no report for a site not there */
    if (st == 0) {
        didq_session_finish_analysed(s);
        st = write_outputs(s, o, notes, base, dq);
    }
    didq_notes_free(notes);
    didq_baseline_free(base);
    didq_session_free(s);
    didq_refdata_free(rd);
    didq_inputs_forget();
    return st;
}

int cmd_check(int argc, char **argv)
{
    check_opts o = {0};
    cli_analysis_init(&o.an);
    int st = parse(argc, argv, &o);
    if (st == 0) st = run_check(&o, argc, argv);
    cli_sites_free(&o.sites);
    return st < 0 ? DIDQ_EXIT_OK : st;
}
