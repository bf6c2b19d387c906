/* cli_extra.c: what --notes and --baseline add to a report, for check and
 * for `didq open --format` (a saved session's report): both read them and
 * report with them through these, so that the two answer alike. */
#include "cli.h"
#include "didq/baseline.h"
#include "didq/notes.h"
#include "didq/report.h"

#include <stdio.h>

int cli_extra_load(const char *notes_path, const char *base_path, didq_notes **notes,
                   didq_baseline **base)
{
    char err[1024];
    *notes = NULL;
    *base = NULL;
    int rc = notes_path ? didq_notes_load(notes_path, false, notes, err, sizeof err) : 0;
    if (rc == 0 && base_path) rc = didq_baseline_load(base_path, base, err, sizeof err);
    if (rc == 0) return 0;
    cli_error(err);
    didq_notes_free(*notes);
    *notes = NULL;
    return rc == -2 ? DIDQ_EXIT_NOINPUT : DIDQ_EXIT_USAGE;
}

void cli_extra_report(didq_session *s, FILE *out, bool json, const didq_notes *notes,
                      didq_baseline *base, const struct didq_dqmi_spec *dq)
{
    if (base) didq_baseline_compare(base, s);
    didq_report_extra x = {.notes = notes, .baseline = base, .dqmi = dq};
    if (json)
        didq_report_json_with(s, out, &x);
    else
        didq_report_text_with(s, out, &x);
}

int cli_extra_status(didq_session *s, const didq_baseline *base)
{
    if (!base) return didq_report_exit_status(s);
    return didq_baseline_nnew(base) ? DIDQ_EXIT_RECORDS : DIDQ_EXIT_OK;
}
