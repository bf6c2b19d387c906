/* fuzz_session.c: a whole session from one memory buffer (CSV, or XML
 * when it starts with '<'): the readers, cleansing, every rule, the
 * store's finish (DIDS071, indexes), then the text and JSON reports and
 * the findings CSV. */
#include "didq/date.h"
#include "didq/report.h"
#include "didq/session.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sink = fopen("/dev/null", "w");
    if (!sink) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    didq_session_opts o = {.submitted = didq_date_from_ymd(2018, 8, 1)};
    didq_session *s = didq_session_new(&o, err, sizeof err);
    if (!s) abort();
    didq_session_load_mem(s, "fuzz.csv", data, size, NULL, NULL);
    didq_session_finish(s);
    didq_report_text(s, sink);
    didq_report_json(s, sink);
    didq_report_findings_csv(s, sink, size > 0 && data[0] & 1);
    (void)didq_report_exit_status(s);
    didq_session_free(s);
    return 0;
}
