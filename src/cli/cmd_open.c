/* cmd_open.c: `didq open FILE.db`, a session saved with `check --db`:
 * the explorer on it, or with --format its report as check writes it,
 * --notes and --baseline taken as check takes them (cli_extra.c). */
#include "cli.h"
#include "didq/baseline.h"
#include "didq/dqmi.h"
#include "didq/notes.h"
#include "didq/report.h"
#include "didq/session.h"
#include "didq/util.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cmd_open(int argc, char **argv)
{
    const char *path = NULL, *format = NULL, *notes_path = NULL, *base_path = NULL;
    bool report = false, script = false;
    for (int i = 1; i < argc; i++) {
        report |= strcmp(argv[i], "--format") == 0;
        script |= strcmp(argv[i], "--script") == 0;
    }
    if (!report && (script || isatty(STDOUT_FILENO)))
        return cmd_explore_saved(argc, argv); /* explorer options and the .db file */
    cli_analysis an;
    cli_analysis_init(&an);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strcmp(argv[i], "--thresholds") == 0 && i + 1 < argc)
            an.thresholds = argv[++i];
        else if (strcmp(argv[i], "--dqmi") == 0 && i + 1 < argc)
            an.dqmi = argv[++i];
        else if (strcmp(argv[i], "--notes") == 0 && i + 1 < argc)
            notes_path = argv[++i];
        else if (strcmp(argv[i], "--baseline") == 0 && i + 1 < argc)
            base_path = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 || strcmp(argv[i], "--thresholds") == 0 ||
                 strcmp(argv[i], "--dqmi") == 0 || strcmp(argv[i], "--notes") == 0 ||
                 strcmp(argv[i], "--baseline") == 0)
            return cli_usage_error("open", "%s needs a value", argv[i]);
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("open", "unknown option '%s'", argv[i]);
        else if (path)
            return cli_usage_error("open", "one saved session at a time");
        else
            path = argv[i];
    }
    if (!path) return cli_usage_error("open", "no saved session given");
    if (format && strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error("open", "--format is text or json, not '%s'", format);
    cli_no_core_dumps();
    /* --thresholds FILE replaces those the session was saved with. */
    didq_thresholds th;
    int st = cli_analysis_thresholds(&an, &th);
    if (st) return st;
    didq_dqmi_spec dqs;
    const didq_dqmi_spec *dq;
    if ((st = cli_analysis_dqmi(&an, &dqs, &dq)) != 0) return st;
    didq_notes *notes;
    didq_baseline *base;
    if ((st = cli_extra_load(notes_path, base_path, &notes, &base)) != 0) return st;
    char err[512];
    didq_session *s = didq_session_open_saved(path, an.thresholds ? &th : NULL, err, sizeof err);
    if (!s) {
        cli_error(err);
        didq_notes_free(notes);
        didq_baseline_free(base);
        return DIDQ_EXIT_NOINPUT;
    }
    cli_extra_report(s, stdout, format && strcmp(format, "json") == 0, notes, base, dq);
    st = cli_extra_status(s, base);
    didq_notes_free(notes);
    didq_baseline_free(base);
    didq_session_free(s);
    return st;
}
