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

void cli_analysis_init(cli_analysis *a)
{
    a->submitted = didq_date_today();
    a->refdata = NULL;
    a->thresholds = NULL;
    a->dqmi = NULL;
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
    case CLI_OPT_DQMI:
        a->dqmi = arg;
        return 0;
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
