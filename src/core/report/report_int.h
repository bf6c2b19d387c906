/* report_int.h: what the report layer's files share. */
#ifndef DIDQ_REPORT_INT_H
#define DIDQ_REPORT_INT_H

#include <stddef.h>
#include <stdio.h>

/* A CSV cell of untrusted text, control characters escaped as the
 * terminal shows them (didq_text_escape), then quoted (didq_text_csv). */
void didq_report_csv_safe(FILE *out, const char *s, size_t n);

struct didq_dqmi_spec;
struct didq_session;
/* The JSON sections completeness, sites, timeliness, coverage and dqmi
 * (report_sections.c), each followed by ",\n". */
void didq_report_json_sections(struct didq_session *s, const struct didq_dqmi_spec *dq, FILE *out);
/* The text report's DQMI-style lines, overall and per site. */
void didq_report_text_dqmi(struct didq_session *s, const struct didq_dqmi_spec *dq, FILE *out);

#endif
