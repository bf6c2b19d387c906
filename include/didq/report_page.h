/* report_page.h: `didq report`, one self-contained page about a finished
 * session: HTML (inline CSS and SVG, no script, no external reference) or
 * Markdown (the same content as tables).  Masked by default. */
#ifndef DIDQ_REPORT_PAGE_H
#define DIDQ_REPORT_PAGE_H

#include "didq/session.h"

#include <stdbool.h>
#include <stdio.h>

struct didq_dqmi_spec;
struct didq_notes;

typedef struct didq_page_opts {
    bool html;     /* HTML, else Markdown */
    bool unmasked; /* example rows with NHS number, birth date and postcode as given */
    /* The DQMI-style items and defaults (--dqmi), NULL: refdata/dqmi.csv. */
    const struct didq_dqmi_spec *dqmi;
    /* --notes: a section on the explained findings; NULL: none. */
    const struct didq_notes *notes;
} didq_page_opts;

/* Writes the report of s to out. */
void didq_report_page(didq_session *s, FILE *out, const didq_page_opts *o);

#endif
