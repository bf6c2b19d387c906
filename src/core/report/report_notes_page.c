/* report_notes_page.c: the page's explained findings (`didq report
 * --notes`): per rule that fires, its records and those whose note (the
 * finding's, else the record's) says explained; per anomaly whose site has
 * an explained note on its kind, its records.  Counted as check counts
 * them (report_extra.c); notes never change a verdict. */
#include "didq/anomaly.h"
#include "didq/notes.h"
#include "didq/store.h"
#include "page_int.h"
#include "report_int.h"

#include <stdio.h>

static void rules_table(rdoc *d, didq_session *s, const didq_rexpl *ex)
{
    static const char *const head[] = {"Rule", "Records", "Explained"};
    rdoc_thead(d, "Records per rule, and those explained by a note", 3, head, "lrr");
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), "SELECT code, records FROM rules"
                                                       " WHERE checked AND records > 0"
                                                       " ORDER BY records DESC, code");
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(q, 0);
        char n[24], e[24];
        snprintf(n, sizeof n, "%lld", (long long)sqlite3_column_int64(q, 1));
        snprintf(e, sizeof e, "%llu", (unsigned long long)didq_rexpl_rule(ex, code));
        const char *cells[3] = {code, n, e};
        rdoc_trow(d, 3, cells, false);
    }
    sqlite3_finalize(q);
    rdoc_tend(d);
}

static void anomalies_table(rdoc *d, didq_session *s, const didq_notes *notes)
{
    static const char *const head[] = {"Site", "Kind", "Records", "Explained"};
    const didq_analysis *a = didq_session_analysis(s);
    rdoc_thead(d, "Anomalies, and their records explained by the site's note", 4, head, "llrr");
    for (size_t i = 0; i < didq_analysis_count(a); i++) {
        const didq_anomaly *an = didq_analysis_get(a, i);
        char n[24], e[24];
        snprintf(n, sizeof n, "%llu", (unsigned long long)an->records);
        snprintf(e, sizeof e, "%llu", (unsigned long long)didq_rexpl_anomaly(notes, an));
        const char *cells[4] = {an->site, didq_anomaly_kind_name(an->kind), n, e};
        rdoc_trow(d, 4, cells, false);
    }
    rdoc_tend(d);
}

void didq_report_notes(rdoc *d, struct didq_session *s, const struct didq_notes *notes)
{
    if (!notes) return;
    rdoc_section(d, "notes", "Explained findings");
    rdoc_para(d,
              "Notes file %s: %zu notes. A finding is explained when its note, or else its"
              " record's, says explained; an anomaly when the site's note on its kind does."
              " Notes never change a verdict: NHS England does not read them.",
              didq_notes_path(notes), didq_notes_count(notes));
    didq_rexpl ex;
    didq_rexpl_count(&ex, s, notes);
    rules_table(d, s, &ex);
    didq_rexpl_free(&ex);
    anomalies_table(d, s, notes);
}
