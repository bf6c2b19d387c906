/* tui_export.c: `e` writes the current list, or a summary pane's table,
 * as CSV: a path with a
 * default, no overwrite unless confirmed, never an input, a FIFO or a
 * device, atomic and 0600 (afile.h), and
 * masked identifiers when masking is on and the user agrees.  `R` writes
 * `didq report`'s page of the session (always masked) the same way; in a
 * site scope, the page of the site alone (`didq report --site CODE`). */
#include "didq/afile.h"
#include "didq/anomaly.h"
#include "didq/dqmi.h"
#include "didq/reader.h"
#include "didq/report_page.h"
#include "didq/util.h"
#include "tui_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* "didq-" and name made a file name (lower case, runs of other characters
 * one '-'), then ext; "records" when nothing is left. */
static void default_path(const char *name, const char *ext, char *buf, size_t len)
{
    char slug[48];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof slug; p++)
        if (isalnum((unsigned char)*p))
            slug[n++] = (char)tolower((unsigned char)*p);
        else if (n && slug[n - 1] != '-')
            slug[n++] = '-';
    while (n && slug[n - 1] == '-')
        n--;
    slug[n] = 0;
    snprintf(buf, len, "didq-%s%s", n ? slug : "records", ext);
}

/* Asks for the path (default from name), refuses an input, a FIFO, a
 * device or a folder, and asks before replacing a file.  Opens the atomic
 * output, or NULL (with the reason in the footer). */
static didq_afile *open_path(tui *t, const char *question, char *path, size_t cap);

static didq_afile *export_open(tui *t, const char *name, char *path, size_t cap)
{
    default_path(name, ".csv", path, cap);
    return open_path(t, "export to: ", path, cap);
}

/* Asks for the path (path holds the default), then as export_open. */
static didq_afile *open_path(tui *t, const char *question, char *path, size_t cap)
{
    char err[512];
    if (!tui_prompt(t, question, path, cap) || !path[0]) {
        tui_msg(t, "export cancelled");
        return NULL;
    }
    /* an input, a FIFO (open would wait for a reader), a device (a
     * terminal would get the raw bytes) or a folder: refused at once */
    if (didq_output_check(path, DIDQ_AFILE_REGULAR | DIDQ_AFILE_OVERWRITE, err, sizeof err) != 0) {
        tui_msg(t, "export refused: %s", err);
        return NULL;
    }
    bool overwrite = false;
    if (didq_path_exists(path)) {
        char q[600];
        snprintf(q, sizeof q, "%s exists; overwrite?", path);
        if (!(overwrite = tui_confirm(t, q, false))) {
            tui_msg(t, "export cancelled: %s left as it was", path);
            return NULL;
        }
    }
    didq_afile *af = didq_afile_open(
        path, DIDQ_AFILE_REGULAR | (overwrite ? DIDQ_AFILE_OVERWRITE : 0), err, sizeof err);
    if (!af) tui_msg(t, "export failed: %s", err);
    return af;
}

static bool export_commit(tui *t, didq_afile *af)
{
    char err[512];
    if (tui_inputs_refuse(t)) {
        didq_afile_abort(af);
        return false;
    }
    if (didq_afile_commit(af, err, sizeof err) == 0) return true;
    tui_msg(t, "export failed: %s", err);
    return false;
}

void tui_export(tui *t, didq_list *l, const char *name)
{
    char path[512];
    didq_afile *af = export_open(t, name, path, sizeof path);
    if (!af) return;
    bool mask =
        t->mask && tui_confirm(t, "mask NHS number, birth date and postcode in the file?", true);
    uint64_t n = didq_list_csv(l, didq_afile_fp(af), mask);
    if (export_commit(t, af))
        tui_msg(t, "wrote %llu records to %s%s", (unsigned long long)n, path,
                mask ? " (masked)" : "");
}

/* The table a summary pane shows: its own hook, or a table pane's grid. */
static const didq_qtable *view_table(tui *t, tui_view *v, const size_t **order, char *name,
                                     size_t cap)
{
    *order = NULL;
    snprintf(name, cap, "%s", v->ops->name);
    if (v->ops->export_table) return v->ops->export_table(t, v, order, name, cap);
    if (!v->ops->table || !v->st) return NULL;
    const tui_grid *g = v->st;
    *order = g->order;
    return g->tab;
}

bool tui_export_table(tui *t, tui_view *v)
{
    const size_t *order;
    char name[64], path[512], file[160];
    const didq_qtable *tab = view_table(t, v, &order, name, sizeof name);
    if (!tab) return false;
    snprintf(file, sizeof file, "%s%s%s", t->site, t->site[0] ? " " : "", name); /* site first */
    didq_afile *af = export_open(t, file, path, sizeof path);
    if (!af) return true;
    size_t n = didq_qtable_csv(tab, order, didq_afile_fp(af));
    if (export_commit(t, af)) tui_msg(t, "wrote the %s table (%zu rows) to %s", name, n, path);
    return true;
}

/* ---- R: the report ----
 *
 * Of every site and loaded month; in a site scope, of the site alone, as
 * `didq report --site CODE` makes it: the inputs read again (the demo from
 * its buffer) with the explorer's options, keeping the site's records, in
 * a session of their own.  A saved session (its files are not here) and
 * the groups (blank) and (invalid site) (no code to keep) have no such
 * page: the page is then every site's, and the prompt and message say so. */

/* Why the scope has no page of its own (NULL: it has one). */
static const char *no_site_page(const tui *t)
{
    if (t->o->saved) return "a saved session";
    if (strcmp(t->site, "(blank)") == 0 || strcmp(t->site, DIDQ_INVALID_SITE) == 0)
        return "no site code";
    for (int i = 0; i < t->o->nfiles; i++)
        if (strcmp(t->o->files[i], "-") == 0) return "standard input";
    return NULL;
}

/* Reads the inputs into s as the explorer loaded them; false with the
 * reason in err. */
static bool load_again(tui *t, didq_session *s, char *err, size_t cap)
{
    if (t->o->mem_buf && didq_session_load_mem(s, t->o->mem_name, t->o->mem_buf, t->o->mem_len,
                                               NULL, NULL) == DIDQ_READ_IO) {
        snprintf(err, cap, "%s: cannot be read again", t->o->mem_name);
        return false;
    }
    for (int i = 0; i < t->o->nfiles; i++)
        if (didq_session_load(s, t->o->files[i], NULL, NULL, err, cap) == DIDQ_READ_IO)
            return false;
    return true;
}

/* The session of the site's records alone, analysed; NULL with the reason
 * in err (a file that cannot be read, or that is no longer as the
 * explorer loaded it: the page would not be of the records shown). */
static didq_session *site_session(tui *t, char *err, size_t cap)
{
    const char *sites[1] = {t->site};
    didq_session_opts so = tui_session_opts(t);
    so.sites = sites;
    so.n_sites = 1;
    so.sites_on_demand = true;
    didq_session *s = didq_session_new(&so, err, cap);
    if (!s) return NULL;
    didq_dqmi_prepare_beside(s, t->o->dqmi);
    if (!load_again(t, s, err, cap)) {
        didq_session_free(s);
        return NULL;
    }
    if (didq_session_inputs_since(t->s, err, cap)) { /* read again after a change */
        didq_session_free(s);
        return NULL;
    }
    didq_session_finish_analysed(s);
    return s;
}

/* The default path and the prompt: the site's when it has a page (the
 * name starts with the site, as an export's), else every site's, saying
 * so in a scope. */
static void report_prompt(const tui *t, const char *why, char *path, size_t cap, char *q,
                          size_t qcap)
{
    snprintf(path, cap, "didq-report.html");
    if (t->site[0] && !why) {
        char name[80];
        snprintf(name, sizeof name, "%s report", t->site);
        default_path(name, ".html", path, cap); /* didq-rr864-report.html, as exports */
        snprintf(q, qcap, "report of site %s (HTML; .md: Markdown) to: ", t->site);
    } else if (t->site[0]) {
        snprintf(q, qcap, "report of EVERY site (not %s: %s) to: ", t->site, why);
    } else {
        snprintf(q, qcap, "report (HTML, or Markdown if .md) to: ");
    }
}

void tui_report(tui *t)
{
    char path[512], q[256], err[512];
    const char *why = t->site[0] ? no_site_page(t) : NULL;
    bool site = t->site[0] && !why;
    report_prompt(t, why, path, sizeof path, q, sizeof q);
    didq_afile *af = open_path(t, q, path, sizeof path);
    if (!af) return;
    didq_session *s = t->s;
    if (site) {
        tui_msg(t, "site %s: reading the files again for its records...", t->site);
        if (!t->script) tui_draw_all(t);
        if (!(s = site_session(t, err, sizeof err))) {
            didq_afile_abort(af);
            tui_msg(t, "report not written: %s", err);
            return;
        }
    }
    size_t n = strlen(path);
    didq_page_opts po = {.html = !(n > 3 && strcmp(path + n - 3, ".md") == 0), .dqmi = t->o->dqmi};
    didq_report_page(s, didq_afile_fp(af), &po);
    if (site) didq_session_free(s);
    if (!export_commit(t, af)) return;
    if (site)
        tui_msg(t, "wrote the report of site %s to %s (masked)", t->site, path);
    else if (t->site[0])
        tui_msg(t, "wrote EVERY site's report (not %s's) to %s (masked)", t->site, path);
    else
        tui_msg(t, "wrote the report of every loaded month to %s (masked)", path);
}
