/* cli_analysis.c: the analysis options, one table for every command that
 * analyses (check, the explorer, and open, which hands its options to the
 * explorer): --submitted, --refdata and --thresholds mean the same
 * everywhere, with the same messages and exit statuses. */
#include "cli.h"
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/dqmi.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_analysis_init(cli_analysis *a)
{
    a->submitted = didq_date_today();
    a->refdata = NULL;
    a->thresholds = NULL;
    a->dqmi = NULL;
    a->n_months = 0;
    a->threads = 0;
}

/* --month CCYY-MM[:FILE]: a month from 0001-01 to 9999-12, and a file name
 * that is not empty after the colon. */
static int month_opt(const char *cmd, const char *arg, cli_analysis *a)
{
    char ym[8];
    size_t n = strcspn(arg, ":");
    int32_t mi;
    if (n != 7 || (memcpy(ym, arg, 7), ym[7] = 0, !didq_month_parse(ym, &mi)) || mi < 12 ||
        (arg[n] == ':' && !arg[n + 1]))
        return cli_usage_error(cmd,
                               "--month wants CCYY-MM or CCYY-MM:FILE (a month from 0001-01 to"
                               " 9999-12), not '%s'",
                               arg);
    if (a->n_months == CLI_MAX_MONTHS)
        return cli_usage_error(cmd, "--month is given more than %d times", CLI_MAX_MONTHS);
    a->months[a->n_months++] = (didq_month_override){arg[n] ? arg + n + 1 : NULL, mi};
    return 0;
}

/* --threads N: 1 (the serial pipeline) to DIDQ_CSVPAR_MAX_THREADS. */
static int threads_opt(const char *cmd, const char *arg, cli_analysis *a)
{
    char *end;
    long n = strtol(arg, &end, 10);
    if (end == arg || *end || n < 1 || n > 64)
        return cli_usage_error(cmd, "--threads wants a number from 1 to 64, not '%s'", arg);
    a->threads = (int)n;
    return 0;
}

static bool names_file(const char *given, const char *path)
{
    const char *slash = strrchr(path, '/');
    return strcmp(given, path) == 0 || (slash && strcmp(given, slash + 1) == 0);
}

int cli_analysis_months_check(const char *cmd, const cli_analysis *a, int n, char *const *files)
{
    for (size_t i = 0; i < a->n_months; i++) {
        const char *f = a->months[i].file;
        bool found = !f;
        for (int k = 0; !found && k < n; k++)
            found = names_file(f, files[k]);
        if (!found)
            return cli_usage_error(cmd, "--month names '%s', which is not one of the input files",
                                   f);
    }
    return 0;
}

int cli_analysis_opt(const char *cmd, int c, const char *arg, cli_analysis *a)
{
    switch (c) {
    case CLI_OPT_SUBMITTED:
        return cli_parse_date(cmd, "--submitted", arg, &a->submitted) ? 0 : DIDQ_EXIT_USAGE;
    case CLI_OPT_REFDATA:
        a->refdata = arg;
        return 0;
    case CLI_OPT_THRESHOLDS:
        a->thresholds = arg;
        return 0;
    case CLI_OPT_MONTH:
        return month_opt(cmd, arg, a);
    case CLI_OPT_DQMI:
        a->dqmi = arg;
        return 0;
    case CLI_OPT_THREADS:
        return threads_opt(cmd, arg, a);
    default:
        return -1;
    }
}

int cli_analysis_thresholds(const cli_analysis *a, didq_thresholds *out)
{
    char err[512];
    *out = didq_analysis_defaults().thresholds;
    int rc = a->thresholds ? didq_thresholds_load(out, a->thresholds, err, sizeof err) : 0;
    if (rc == 0) return 0;
    cli_error(err);
    return rc == -2 ? DIDQ_EXIT_NOINPUT : DIDQ_EXIT_USAGE;
}

int cli_analysis_dqmi(const cli_analysis *a, struct didq_dqmi_spec *out,
                      const struct didq_dqmi_spec **use)
{
    char err[512];
    *use = NULL;
    if (!a->dqmi) return 0;
    int rc = didq_dqmi_spec_load(out, a->dqmi, err, sizeof err);
    if (rc == 0) {
        *use = out;
        return 0;
    }
    cli_error(err);
    return rc == -2 ? DIDQ_EXIT_NOINPUT : DIDQ_EXIT_USAGE;
}
