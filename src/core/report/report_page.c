/* report_page.c: `didq report`'s page (report_page.h): the submission's
 * files and verdicts, the rules that fail most, completeness against the
 * national figures, the source-setting mix and a few example rows; the
 * activity sections are in report_activity.c.  Every figure comes from
 * the queries the explorer's panes use (query.h). */
#include "didq/report_page.h"
#include "didq/dataset.h"
#include "didq/date.h"
#include "didq/query.h"
#include "didq/report.h"
#include "didq/text.h"
#include "didq/util.h"
#include "page_int.h"
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

/* The page's size is bounded whatever the number of records: tables are
 * cut at these many rows (said under the table). */
enum { MAX_RULES = 20, MAX_SITES = 200, EXAMPLES = 5 };

static void header(rdoc *d, didq_session *s, const didq_overview *o, const didq_page_opts *po)
{
    char date[11], ref[1024];
    didq_date_format(didq_session_submitted(s), date);
    rdoc_para(d, "Submission date %s; DIDS %s rules; reference data: %s.", date,
              didq_session_dataset(s)->name, didq_report_meta(s, "refdata", ref, sizeof ref));
    char sites[4096];
    if (*didq_report_meta(s, "site_scope", sites, sizeof sites)) { /* --site */
        char *left = didq_report_scope_files(s);
        rdoc_para(d, "Sites: %s only (--site: the records of other sites are left out%s%s).", sites,
                  left ? "; files left out, holding none of their records: " : "",
                  left ? left : "");
        free(left);
    }
    rdoc_para(d, "Reporting month%s: %s.", o->nmonths > 1 ? "s" : "",
              o->nmonths ? o->months : "none (no record has a valid test date)");
    if (po->unmasked)
        rdoc_warn(d, "UNMASKED: the example rows below show NHS numbers, birth dates and"
                     " postcodes as submitted. This file holds patient identifiers: handle it"
                     " as patient data.");
    else
        rdoc_para(d, "Masked: no NHS number, birth date or postcode appears in this report.");
}

static void summary(rdoc *d, const didq_overview *o)
{
    rdoc_section(d, "summary", "Summary");
    static const char *const head[] = {"Measure", "Value"};
    rdoc_thead(d, NULL, 2, head, "lr");
    char v[6][64];
    snprintf(v[0], sizeof v[0], "%llu", (unsigned long long)o->records);
    snprintf(v[1], sizeof v[1], "%llu", (unsigned long long)o->err_records);
    snprintf(v[2], sizeof v[2], "%llu", (unsigned long long)o->warn_records);
    snprintf(v[3], sizeof v[3], "%d of %d", o->files_rejected, o->files);
    snprintf(v[4], sizeof v[4], "%llu", (unsigned long long)o->outside_month);
    if (o->records)
        snprintf(v[5], sizeof v[5], "%.1f", o->mandatory_filled);
    else
        snprintf(v[5], sizeof v[5], "-"); /* no record: nothing filled or blank */
    const char *label[6] = {"Records",
                            "Records with errors",
                            "Records with warnings",
                            "Files rejected",
                            "Records dated outside their file's reporting month",
                            "Mandatory items filled (mean %)"};
    for (int i = 0; i < 6; i++) {
        const char *row[2] = {label[i], v[i]};
        rdoc_trow(d, 2, row, false);
    }
    rdoc_tend(d);
}

static void files(rdoc *d, const didq_overview *o)
{
    rdoc_section(d, "files", "Files and verdicts");
    rdoc_qtable(
        d, "Each file, its reporting month and verdict; a reject gives its reason (* rejected)",
        o->files_tab, NULL, 0, MAX_SITES);
}

static long long cell_ll(const didq_qtable *t, size_t r, int c)
{
    return strtoll(didq_qtable_cell(t, r, c), NULL, 10);
}

static const didq_qtable *sort_t; /* for cmp_rows: qsort has no context */

static int cmp_rows(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    long long na = cell_ll(sort_t, a, 2), nb = cell_ll(sort_t, b, 2);
    if (na != nb) return na > nb ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* The file-level findings first (the first rows of the Validation table,
 * as many as didq_query_file_rows makes), then the rules that fired, most
 * records first. */
static void rules(rdoc *d, didq_session *s, uint64_t records)
{
    rdoc_section(d, "rules", "Rules that fail most");
    didq_qtable *t = didq_query_validation(s);
    didq_qtable *ft = didq_qtable_new(t->ncols, t->head, t->align);
    didq_query_file_rows(s, ft, records);
    size_t nfile = ft->nrows < t->nrows ? ft->nrows : t->nrows;
    didq_qtable_free(ft);
    size_t *idx = didq_xcalloc(t->nrows ? t->nrows : 1, sizeof *idx), n = 0;
    for (size_t r = nfile; r < t->nrows; r++)
        if (cell_ll(t, r, 2) > 0) idx[n++] = r;
    sort_t = t;
    qsort(idx, n, sizeof *idx, cmp_rows);
    if (!n && !nfile) rdoc_para(d, "No rule fired.");
    size_t shown = n < MAX_RULES ? n : MAX_RULES;
    if (n || nfile) {
        rdoc_thead(d,
                   "File-level findings, then the rules by the number of records they fire"
                   " on (* errors and rejects)",
                   5, t->head, t->align);
        for (size_t i = 0; i < nfile + shown; i++) {
            size_t r = i < nfile ? i : idx[i - nfile];
            const char *cell[5];
            for (int c = 0; c < 5; c++)
                cell[c] = didq_qtable_cell(t, r, c);
            rdoc_trow(d, 5, cell, t->mark[r]);
        }
        rdoc_tend(d);
    }
    if (n > shown) rdoc_para(d, "%zu more rules fired (didq check lists them all).", n - shown);
    free(idx);
    didq_qtable_free(t);
}

/* Completeness: bars of filled % with the national mark, and the table. */
static void completeness(rdoc *d, didq_session *s)
{
    rdoc_section(d, "completeness", "Completeness against the national 2024/25 figure");
    didq_qtable *t = didq_query_completeness(s);
    size_t n = t->nrows;
    const char **label = didq_xcalloc(n ? n : 1, sizeof *label);
    double *pct = didq_xcalloc(n ? n : 1, sizeof *pct),
           *mark = didq_xcalloc(n ? n : 1, sizeof *mark);
    for (size_t r = 0; r < n; r++) {
        label[r] = didq_qtable_cell(t, r, 0);
        pct[r] = strtod(didq_qtable_cell(t, r, 2), NULL);
        char *end;
        const char *nat = didq_qtable_cell(t, r, 5);
        mark[r] = strtod(nat, &end);
        if (end == nat) mark[r] = -1;
    }
    rsvg_bars(d, "Filled % per item, with the national 2024/25 figure", n, label, pct, mark);
    rdoc_qtable(d,
                "Completeness per item (filled = not blank; an invalid value is filled, and "
                "counted in Invalid)",
                t, NULL, 0, n);
    free(label);
    free(pct);
    free(mark);
    didq_qtable_free(t);
}

/* Source settings: a stacked bar per site over 01..07 and other. */
static void settings(rdoc *d, didq_session *s)
{
    rdoc_section(d, "settings", "Source-setting mix per site");
    didq_qtable *t = didq_query_settings(s, NULL);
    size_t n = t->nrows < MAX_SITES ? t->nrows : MAX_SITES;
    enum { NSEG = 8 };
    const char **label = didq_xcalloc(n ? n : 1, sizeof *label);
    uint64_t *count = didq_xcalloc(n ? n * NSEG : 1, sizeof *count);
    for (size_t r = 0; r < n; r++) {
        label[r] = didq_qtable_cell(t, r, 0);
        for (int k = 0; k < NSEG; k++)
            count[r * NSEG + (size_t)k] = (uint64_t)cell_ll(t, r, k + 1);
    }
    rsvg_stacked(d, "Share of records per source setting, per site", n, label, NSEG, t->head + 1,
                 count);
    rdoc_qtable(d,
                "Records per source setting (01 to 07, other), GP-referred records and of"
                " those the ones recorded as 03; * GP direct access as outpatient",
                t, NULL, 0, MAX_SITES);
    free(label);
    free(count);
    didq_qtable_free(t);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Whether two of the session's files have the same base name (a/oct.csv
 * and b/oct.csv): the example rows then name files by their paths. */
static bool base_names_clash(didq_session *s)
{
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), "SELECT path FROM files ORDER BY id");
    char **v = NULL;
    size_t n = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_text(q, 0);
        v = didq_xrealloc(v, (n + 1) * sizeof *v);
        v[n++] = didq_strdup(didq_path_base(p ? (const char *)p : ""));
    }
    sqlite3_finalize(q);
    if (n) qsort(v, n, sizeof *v, cmp_str);
    bool clash = false;
    for (size_t i = 1; i < n; i++)
        clash = clash || strcmp(v[i - 1], v[i]) == 0;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    return clash;
}

/* The example table's columns: File first when the session holds several
 * files (line 2 of two files reads alike), then Line, Findings and the
 * items. */
static const int ex_items[] = {DIDQ_NHS_NUMBER, DIDQ_BIRTH_DATE, DIDQ_POSTCODE,
                               DIDQ_SITE,       DIDQ_TEST_DATE,  DIDQ_SETTING};
enum { NI = sizeof ex_items / sizeof ex_items[0], EX_COLS = NI + 3 };

static void example_head(rdoc *d, didq_session *s, const didq_page_opts *po, bool files)
{
    const didq_dataset *ds = didq_session_dataset(s);
    const char *head[EX_COLS] = {"File", "Line", "Findings"};
    for (int i = 0; i < NI; i++)
        head[i + 3] = ds->items[ex_items[i]].shortname;
    static const char align[] = "lrlllllll";
    int skip = files ? 0 : 1;
    rdoc_thead(d, po->unmasked ? "Unmasked example rows" : "Masked example rows", EX_COLS - skip,
               head + skip, align + skip);
}

/* One example row: file (its base name, or its path when names clash),
 * line, findings and the items, masked unless asked. */
static void example_row(rdoc *d, const didq_row *row, const didq_page_opts *po, bool files,
                        bool paths)
{
    char line[24];
    snprintf(line, sizeof line, "%lld", (long long)row->line);
    didq_buf b[NI] = {{0}};
    const char *cell[EX_COLS] = {paths ? row->file : didq_path_base(row->file), line, row->codes};
    for (int i = 0; i < NI; i++) {
        const char *v = row->f[ex_items[i]];
        if (po->unmasked)
            didq_buf_puts(&b[i], v);
        else
            didq_text_mask(&b[i], ex_items[i], v, strlen(v));
        cell[i + 3] = b[i].p ? b[i].p : "";
    }
    int skip = files ? 0 : 1;
    rdoc_trow(d, EX_COLS - skip, cell + skip, false);
    for (int i = 0; i < NI; i++)
        didq_buf_free(&b[i]);
}

/* A few records with errors, identifiers masked unless asked. */
static void examples(rdoc *d, didq_session *s, const didq_overview *o, const didq_page_opts *po)
{
    rdoc_section(d, "examples", "Example records with errors");
    didq_list *l = didq_list_new(s, "r.id IN (SELECT rec FROM findings WHERE rule IN"
                                    " (SELECT id FROM rules WHERE severity = 'error'))");
    didq_row rows[EXAMPLES] = {0};
    int n = didq_list_fetch(l, NULL, false, false, rows, EXAMPLES);
    bool files = o->files > 1, paths = files && base_names_clash(s);
    if (!n) rdoc_para(d, "No record has an error.");
    if (n) example_head(d, s, po, files);
    for (int k = 0; k < n; k++) {
        example_row(d, &rows[k], po, files, paths);
        didq_row_clear(&rows[k]);
    }
    if (n) rdoc_tend(d);
    didq_list_free(l);
}

void didq_report_page(didq_session *s, FILE *out, const didq_page_opts *po)
{
    rdoc d = {out, po->html};
    didq_overview o;
    didq_query_overview(s, &o);
    rdoc_begin(&d, "DIDS data quality report");
    header(&d, s, &o, po);
    summary(&d, &o);
    files(&d, &o);
    rules(&d, s, o.records);
    completeness(&d, s);
    didq_report_heatmap(&d, s);
    settings(&d, s);
    didq_report_activity(&d, s);
    didq_report_dqmi(&d, s, po->dqmi);
    didq_report_notes(&d, s, po->notes);
    examples(&d, s, &o, po);
    rdoc_para(&d, "Made by didq. Figures as the explorer's panes and didq check show them;"
                  " docs/usage.md explains each section.");
    rdoc_end(&d);
    didq_overview_free(&o);
}
