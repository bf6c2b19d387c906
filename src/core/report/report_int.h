/* report_int.h: what the report layer's files share. */
#ifndef DIDQ_REPORT_INT_H
#define DIDQ_REPORT_INT_H

#include "didq/anomaly.h"
#include "didq/baseline.h"
#include "didq/notes.h"
#include "didq/report.h"
#include "didq/session.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One month analysed apart (anomaly.h, "Months"), as the reports show it:
 * its files' records and records with an error (the files table), its
 * anomalies (the analysis). */
typedef struct report_month {
    int32_t month; /* month index, or DIDQ_UNDATED_MONTH */
    int files;
    uint64_t records, err_records;
    size_t anomalies;
} report_month;

/* The session's months, ascending (malloc'd); returns their number. */
size_t didq_report_months(didq_session *s, report_month **out);
/* "2026-10", or "undated" for DIDQ_UNDATED_MONTH, into buf (8 bytes). */
const char *didq_report_month_name(int32_t month, char *buf);

/* didq_rexpl (records explained per rule and anomaly): report.h, the explorer shows them too. */

/* The line about --notes in the text report. */
void didq_report_notes_text(const didq_notes *n, FILE *out);
/* The baseline's counts and new findings, text and JSON ("baseline": {...},). */
void didq_report_baseline_text(const didq_baseline *b, FILE *out);
void didq_report_baseline_json(const didq_baseline *b, FILE *out);

/* check --site (report_scope.c): the line "sites: ... only" of the text
 * report, and "site_scope": {...},\n of the JSON; nothing without it. */
void didq_report_scope_text(didq_session *s, FILE *out);
void didq_report_scope_json(didq_session *s, FILE *out);
/* The files left out by --site, ", "-joined (malloc'd), or NULL if none. */
char *didq_report_scope_files(didq_session *s);

struct didq_dqmi_spec;
struct didq_session;
/* The JSON sections completeness, sites, timeliness, coverage and dqmi
 * (report_sections.c), each followed by ",\n". */
void didq_report_json_sections(struct didq_session *s, const struct didq_dqmi_spec *dq, FILE *out);
/* The text report's DQMI-style lines, overall and per site. */
void didq_report_text_dqmi(struct didq_session *s, const struct didq_dqmi_spec *dq, FILE *out);

#endif
