/* tui_fix.c: didq fix in the explorer.  The fixes are didq fix's own
 * (fix.h, fix_session.c: each file planned when first asked about).  F
 * writes the fixed copy of each loaded CSV file, as `didq fix -o OUT IN`
 * would: OUT asked for (FILE.fixed.csv in the current folder proposed,
 * never an input), an existing OUT replaced only after a second
 * confirmation, atomic and 0600; one copy per file, each asked for in
 * turn.  A file that cannot be fixed (XML, gone since a saved session was
 * made, changed since it was loaded) is skipped with the reason. */
#include "didq/afile.h"
#include "didq/fix.h"
#include "didq/store.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PATH_MAX_OUT = 512 };

didq_fixset *tui_fixes(tui *t)
{
    if (t->fixes) return t->fixes;
    t->fixes = didq_fixset_new(t->s);
    if (t->o->mem_buf && t->o->mem_name)
        didq_fixset_skip(t->fixes, t->o->mem_name,
                         "made in memory (--demo), no file to fix; write one with didq synth");
    return t->fixes;
}

void tui_fixes_end(tui *t)
{
    didq_fixset_free(t->fixes);
    t->fixes = NULL;
}

/* TUI_FIX_EAGER, or DIDQ_FIX_EAGER_RECORDS (a test knob: a small file
 * then stands for a big one). */
uint64_t tui_fix_eager(void)
{
    const char *e = getenv("DIDQ_FIX_EAGER_RECORDS");
    return e && *e ? strtoull(e, NULL, 10) : TUI_FIX_EAGER;
}

/* Whether file's fixes may be shown: planned already, or planned now when
 * it is small (TUI_FIX_EAGER records: reading it again takes about as long
 * as its load, a fraction of a second).  A bigger file is planned by F
 * only, so that no pane or record costs a second read of a national month. */
bool tui_fix_ready(tui *t, int file)
{
    didq_fixset *fs = tui_fixes(t);
    if (didq_fixset_planned(fs, file)) return true;
    if (didq_fixset_records(fs, file) > tui_fix_eager()) return false;
    didq_fixset_file(fs, file, NULL, NULL);
    return true;
}

/* The same for every file of the month shown. */
bool tui_fix_ready_all(tui *t)
{
    bool ready = true;
    for (int f = 1; f <= didq_fixset_nfiles(tui_fixes(t)); f++)
        if (didq_scope_has_file(t->scope, f)) ready &= tui_fix_ready(t, f);
    return ready;
}

int tui_record_file(tui *t, int64_t id)
{
    sqlite3_stmt *q = didq_prepare(didq_session_db(t->s), "SELECT file FROM records WHERE id = ?");
    sqlite3_bind_int64(q, 1, id);
    int file = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    return file;
}

/* FILE.fixed.csv in the current folder: the input's name less its folder
 * and a .csv ending. */
static void default_out(const char *in, char *out, size_t cap)
{
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".csv") == 0) n -= 4;
    snprintf(out, cap, "%.*s.fixed.csv", (int)(n > 200 ? 200 : n), base);
}

/* The message after F: what was written, what was skipped (one line; one
 * too long for it ends with "..."). */
typedef struct fix_msg {
    char text[256];
    size_t n;
} fix_msg;

static void say(fix_msg *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(fix_msg *m, const char *fmt, ...)
{
    char part[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(part, sizeof part, fmt, ap);
    va_end(ap);
    size_t room = sizeof m->text - 1 - m->n, need = strlen(part) + (m->n ? 2 : 0);
    if (need > room) {
        snprintf(m->text + m->n, room + 1, "%s%s", m->n ? "; " : "", part);
        memcpy(m->text + sizeof m->text - 4, "...", 4);
        m->n = sizeof m->text - 1;
        return;
    }
    m->n += (size_t)snprintf(m->text + m->n, room + 1, "%s%s", m->n ? "; " : "", part);
}

/* OUT for in, asked for; false when cancelled or refused (said in m). */
static bool ask_out(tui *t, const char *in, uint64_t values, char *out, bool *overwrite, fix_msg *m)
{
    char q[PATH_MAX_OUT + 120], err[1024];
    default_out(in, out, PATH_MAX_OUT);
    snprintf(q, sizeof q, "fixed copy of %.300s (%llu values fixed, as didq fix) to: ", in,
             (unsigned long long)values);
    if (!tui_prompt(t, q, out, PATH_MAX_OUT) || !out[0]) {
        say(m, "fix cancelled: nothing written for %s", in);
        return false;
    }
    /* never an input (the loaded files, the notes, the key script), a
     * FIFO, a device or a folder */
    if (didq_output_check(out, DIDQ_AFILE_REGULAR | DIDQ_AFILE_OVERWRITE, err, sizeof err) != 0) {
        say(m, "fix refused: %s", err);
        return false;
    }
    *overwrite = false;
    if (didq_path_exists(out)) {
        snprintf(q, sizeof q, "%.300s exists; replace it with the fixed copy?", out);
        if (!(*overwrite = tui_confirm(t, q, false))) {
            say(m, "fix cancelled: %s left as it was", out);
            return false;
        }
    }
    return true;
}

/* One file: asked for, written; false when the rest is cancelled. */
static bool fix_file(tui *t, int file, fix_msg *m)
{
    const char *path, *why;
    if (didq_fixset_file(tui_fixes(t), file, &path, &why) != DIDQ_FIXSET_OK) {
        say(m, "%s", why);
        return true;
    }
    didq_fix_plan *p = didq_fixset_plan(tui_fixes(t), file);
    uint64_t planned = didq_fix_planned(p);
    if (!planned) {
        say(m, "%s: no value has a safe fix, no copy written", path);
        return true;
    }
    char out[PATH_MAX_OUT], err[1024];
    bool overwrite;
    didq_input_note(path); /* never an output (a saved session's source too) */
    if (!ask_out(t, path, planned, out, &overwrite, m)) return false;
    didq_afile *af = didq_afile_open(
        out, DIDQ_AFILE_REGULAR | (overwrite ? DIDQ_AFILE_OVERWRITE : 0), err, sizeof err);
    if (!af) {
        say(m, "fix failed: %s", err);
        return false;
    }
    if (didq_fix_write(p, didq_afile_fp(af), err, sizeof err) != 0) {
        didq_afile_abort(af);
        say(m, "fix failed: %s", err);
        return false;
    }
    if (tui_inputs_refuse(t)) {
        didq_afile_abort(af);
        say(m, "%s", t->msg);
        return false;
    }
    if (didq_afile_commit(af, err, sizeof err) != 0) {
        say(m, "fix failed: %s", err);
        return false;
    }
    say(m, "fixed %llu values of %s: wrote %s", (unsigned long long)didq_fix_applied(p), path, out);
    return true;
}

void tui_fix_write(tui *t)
{
    fix_msg m = {.n = 0};
    int n = didq_fixset_nfiles(tui_fixes(t));
    for (int f = 1; f <= n && fix_file(t, f, &m); f++) {
    }
    if (!n) say(&m, "no file loaded: nothing to fix");
    /* the plan is spent by the copy: planned again when next asked */
    tui_fixes_end(t);
    tui_msg(t, "%s", m.text);
}
