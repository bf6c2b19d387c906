/* tui_notes.c: `a` adds a note (notes.h) on a record, one of its findings
 * or a site's anomaly: the status and the note are asked for in the footer
 * and the notes file is rewritten atomically (0600).  Without --notes the
 * first `a` asks for the file (didq-notes.csv suggested), which then
 * serves the rest of the session. */
#include "didq/afile.h"
#include "didq/notes.h"
#include "didq/store.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DEFAULT_NOTES_MAX = 512 };

void tui_notes_attach(tui *t, didq_notes *n, bool own)
{
    t->notes = n;
    t->own_notes = own;
    t->notes_rev++;
    didq_notes_sql(n, didq_session_db(t->s));
}

/* The notes file, asked for when --notes was not given. */
static bool notes_ready(tui *t)
{
    if (t->notes) return true;
    char path[DEFAULT_NOTES_MAX] = "didq-notes.csv", err[600];
    if (!tui_prompt(t, "notes file (kept for this session): ", path, sizeof path) || !path[0]) {
        tui_msg(t, "note cancelled");
        return false;
    }
    /* an input, a FIFO, a device or a folder: refused, as for exports */
    if (didq_output_check(path, DIDQ_AFILE_REGULAR | DIDQ_AFILE_OVERWRITE, err, sizeof err) != 0) {
        tui_msg(t, "notes refused: %s", err);
        return false;
    }
    didq_notes *n = NULL;
    if (didq_notes_load(path, true, &n, err, sizeof err) != 0) {
        tui_msg(t, "notes refused: %s", err);
        return false;
    }
    tui_notes_attach(t, n, true);
    return true;
}

/* Status and note from the footer; false if cancelled. */
static bool ask(tui *t, int *status, char *text, size_t len)
{
    char st[32] = "explained";
    for (;;) {
        if (!tui_prompt(t, "status (explained, todo, fixed; e/t/f): ", st, sizeof st)) return false;
        *status = didq_note_status_find(st);
        if (!*status && st[0] && !st[1])
            *status = st[0] == 'e'   ? DIDQ_NOTE_EXPLAINED
                      : st[0] == 't' ? DIDQ_NOTE_TODO
                      : st[0] == 'f' ? DIDQ_NOTE_FIXED
                                     : DIDQ_NOTE_NONE;
        if (*status) break;
        st[0] = 0;
    }
    text[0] = 0;
    return tui_prompt(t, "note: ", text, len);
}

static void add(tui *t, const char *site, const char *acc, const char *code, const char *what)
{
    int status;
    char text[400], err[600];
    if (!ask(t, &status, text, sizeof text)) {
        tui_msg(t, "note cancelled");
        return;
    }
    if (didq_notes_add(t->notes, site, acc, code, status, text, err, sizeof err) != 0) {
        tui_msg(t, "note not written: %s", err);
        return;
    }
    t->notes_rev++; /* the Explained columns are counted again */
    tui_msg(t, "%s on %s written to %s", didq_note_status_name(status), what,
            didq_notes_path(t->notes));
}

bool tui_note_record(tui *t, const didq_row *row, const char *code)
{
    const char *site = row->f[DIDQ_SITE], *acc = row->f[DIDQ_ACCESSION];
    if (!site[strspn(site, " ")] || !acc[strspn(acc, " ")]) {
        tui_msg(t, "no note: the record has no site code or accession number to key it");
        return false;
    }
    if (!notes_ready(t)) return false;
    char c[32], q[160];
    snprintf(c, sizeof c, "%s", code ? code : "");
    if (row->codes[0])
        snprintf(q, sizeof q, "note on (blank: the record; or one of %.100s): ", row->codes);
    else
        snprintf(q, sizeof q, "note on (blank: the record, which has no findings): ");
    if (!tui_prompt(t, q, c, sizeof c)) {
        tui_msg(t, "note cancelled");
        return false;
    }
    char what[64];
    snprintf(what, sizeof what, "%s%s", c[0] ? c : "the record", c[0] ? " of the record" : "");
    add(t, site, acc, c, what);
    return true;
}

void tui_note_anomaly(tui *t, const char *site, const char *kind)
{
    if (!site[0]) {
        tui_msg(t, "no note: the anomaly has no site");
        return;
    }
    if (!notes_ready(t)) return;
    char what[96];
    snprintf(what, sizeof what, "%.40s at %.40s", kind, site);
    add(t, site, "", kind, what);
}

void tui_notes_rule_code(tui *t, const char *where, char *code, size_t len)
{
    int rule, end = 0;
    code[0] = 0;
    if (!where ||
        sscanf(where, "r.id IN (SELECT rec FROM findings WHERE rule = %d)%n", &rule, &end) != 1 ||
        where[end])
        return;
    sqlite3_stmt *q = didq_prepare(didq_session_db(t->s), "SELECT code FROM rules WHERE id = ?");
    sqlite3_bind_int(q, 1, rule);
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        snprintf(code, len, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
}

void tui_notes_end(tui *t)
{
    if (t->own_notes) didq_notes_free(t->notes);
    t->notes = NULL;
}
