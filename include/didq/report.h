/* report.h: the outputs of `didq check`: a text or JSON report and the
 * findings CSV, all read back from a finished session's store. */
#ifndef DIDQ_REPORT_H
#define DIDQ_REPORT_H

#include "didq/notes.h"
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

struct didq_baseline;
struct didq_dqmi_spec;

/* What a report may add to the session's: the notes (--notes: each rule
 * and anomaly says how many of its records are explained; the verdict is
 * the same) and a baseline compared with the session (--baseline: the new
 * findings listed first, the fixed ones counted).  Either may be NULL. */
typedef struct didq_report_extra {
    const didq_notes *notes;
    const struct didq_baseline *baseline;
    /* The DQMI-style score's items and defaults (dqmi.h), NULL: the
     * built-in refdata/dqmi.csv. */
    const struct didq_dqmi_spec *dqmi;
} didq_report_extra;

void didq_report_text_with(didq_session *s, FILE *out, const didq_report_extra *x);
void didq_report_json_with(didq_session *s, FILE *out, const didq_report_extra *x);

/* Records explained by --notes, per rule code (report_extra.c); on is
 * false without notes (no column is shown).  check's JSON `explained`,
 * the text report's and the explorer's Explained columns all count
 * these. */
typedef struct didq_rexpl {
    bool on;
    size_t n;
    char **code;
    uint64_t *count;
} didq_rexpl;

struct didq_anomaly;
void didq_rexpl_count(didq_rexpl *e, didq_session *s, const didq_notes *n);
/* The same over the records where cond holds (a condition on `records r`,
 * e.g. a scope's didq_scope_where; NULL: every record). */
void didq_rexpl_count_where(didq_rexpl *e, didq_session *s, const didq_notes *n, const char *cond);
uint64_t didq_rexpl_rule(const didq_rexpl *e, const char *code);
/* An anomaly's records when the site's note on its kind says explained, else 0. */
uint64_t didq_rexpl_anomaly(const didq_notes *n, const struct didq_anomaly *an);
void didq_rexpl_free(didq_rexpl *e);

/* A row of the session's meta table ("" if absent), written into buf. */
const char *didq_report_meta(didq_session *s, const char *key, char *buf, size_t cap);
void didq_report_json(didq_session *s, FILE *out);

/* One CSV row per finding, header
 * file,line,record,accession,site,code,severity,field,value,message.
 * With mask, identifiers in the value column are masked. */
void didq_report_findings_csv(didq_session *s, FILE *out, bool mask);

#endif
