/* report.h: the outputs of `didq check`: a text or JSON report and the
 * findings CSV, all read back from a finished session's store. */
#ifndef DIDQ_REPORT_H
#define DIDQ_REPORT_H

#include "didq/session.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct didq_summary {
    uint64_t records, err_records, warn_records;
    int files, files_rejected, files_file_level;
} didq_summary;

/* Totals over every file of a finished session. */
didq_summary didq_report_summary(didq_session *s);

/* Exit status for the session: 0 accepted, 1 record errors, 2 file level. */
int didq_report_exit_status(didq_session *s);

void didq_report_text(didq_session *s, FILE *out);

struct didq_dqmi_spec;
/* The reports with the DQMI-style score of spec dq (dqmi.h; NULL: the
 * built-in refdata/dqmi.csv); didq_report_text and didq_report_json use
 * the built-in one. */
void didq_report_text_with(didq_session *s, const struct didq_dqmi_spec *dq, FILE *out);
void didq_report_json_with(didq_session *s, const struct didq_dqmi_spec *dq, FILE *out);

/* A row of the session's meta table ("" if absent), written into buf. */
const char *didq_report_meta(didq_session *s, const char *key, char *buf, size_t cap);
void didq_report_json(didq_session *s, FILE *out);

/* One CSV row per finding, header
 * file,line,record,accession,site,code,severity,field,value,message.
 * With mask, identifiers in the value column are masked. */
void didq_report_findings_csv(didq_session *s, FILE *out, bool mask);

#endif
