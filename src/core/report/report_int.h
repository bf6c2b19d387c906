/* report_int.h: what the report layer's files share. */
#ifndef DIDQ_REPORT_INT_H
#define DIDQ_REPORT_INT_H

#include <stddef.h>
#include <stdio.h>

/* A CSV cell of untrusted text, control characters escaped as the
 * terminal shows them (didq_text_escape), then quoted (didq_text_csv). */
void didq_report_csv_safe(FILE *out, const char *s, size_t n);

#endif
