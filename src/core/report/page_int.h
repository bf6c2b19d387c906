/* page_int.h: the writer `didq report`'s page is made with (report_doc.c)
 * and its charts (report_svg.c): one call per element, written as HTML or
 * as Markdown; every piece of text escaped on the way out. */
#ifndef DIDQ_PAGE_INT_H
#define DIDQ_PAGE_INT_H

#include "didq/query.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct rdoc {
    FILE *out;
    bool html;
} rdoc;

/* Text, control characters escaped (didq_text_escape), then HTML entities
 * or Markdown's special characters. */
void rdoc_text(rdoc *d, const char *s);
void rdoc_textf(rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Markup, written as it is, in HTML only. */
void rdoc_html(rdoc *d, const char *s);

void rdoc_begin(rdoc *d, const char *title);
void rdoc_end(rdoc *d);
void rdoc_section(rdoc *d, const char *id, const char *title);
void rdoc_para(rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A paragraph that stands out (a warning). */
void rdoc_warn(rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Tables: a caption, headings and alignment ('l', 'r'), then rows. */
void rdoc_thead(rdoc *d, const char *caption, int ncols, const char *const *head,
                const char *align);
void rdoc_trow(rdoc *d, int ncols, const char *const *cells, bool mark);
void rdoc_tend(rdoc *d);
/* A query table's rows (of cols, all columns when cols is NULL), at most
 * max; the rows left out are said. */
void rdoc_qtable(rdoc *d, const char *caption, const didq_qtable *t, const int *cols, int ncols,
                 size_t max);

/* Charts (HTML only; the caller gives the same figures as a table). */
/* Horizontal bars of percentages, with a national mark where mark >= 0. */
void rsvg_bars(rdoc *d, const char *title, size_t n, const char *const *label, const double *pct,
               const double *mark);
/* One bar per row split into nseg parts (counts, row-major), 100 % wide. */
void rsvg_stacked(rdoc *d, const char *title, size_t n, const char *const *label, int nseg,
                  const char *const *seg, const uint64_t *count);
/* A grid of rows by days from day0: records per day; a day without records
 * on a weekday is marked as a gap. */
void rsvg_calendar(rdoc *d, const char *title, size_t n, const char *const *label, int32_t day0,
                   int ndays, const uint32_t *const *count);

/* The activity sections (report_activity.c): timeliness, coverage,
 * month-on-month volumes and anomalies. */
struct didq_session;
void didq_report_activity(rdoc *d, struct didq_session *s);
/* The explained findings of --notes (report_notes_page.c); nothing when
 * notes is NULL. */
struct didq_notes;
void didq_report_notes(rdoc *d, struct didq_session *s, const struct didq_notes *notes);
/* Completeness per site and item, shaded (report_heatmap.c). */
void didq_report_heatmap(rdoc *d, struct didq_session *s);
/* The DQMI-style (local) section (report_dqmi_page.c); sp NULL: the
 * built-in refdata/dqmi.csv. */
struct didq_dqmi_spec;
void didq_report_dqmi(rdoc *d, struct didq_session *s, const struct didq_dqmi_spec *sp);

#endif
