/* cmd_diff_explore.c: `didq diff OLD NEW` on a terminal: the explorer on
 * NEW, as `didq NEW` opens it, with the Changes pane comparing it with OLD
 * (loaded and finished by cmd_diff.c, as for the reports). */
#include "cli.h"
#include "didq/afile.h"
#include "didq/session.h"
#include "didq/store.h"
#include "didq/util.h"
#include "tui.h"

#include <stdio.h>

int cli_diff_explore(tui_opts *t, didq_session *old, const char *new_path)
{
    static char *files[1];
    files[0] = (char *)new_path;
    if (t->script) didq_input_note(t->script);
    if (didq_is_saved_file(new_path)) { /* a session saved with check --db */
        t->saved = new_path;
    } else {
        t->files = files;
        t->nfiles = 1;
    }
    t->diff_old = old;
    return tui_run(t);
}
