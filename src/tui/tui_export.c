/* tui_export.c: `e` writes the current list as CSV: a path with a
 * default, no overwrite unless confirmed, never an input, a FIFO or a
 * device, atomic and 0600 (afile.h), and
 * masked identifiers when masking is on and the user agrees. */
#include "didq/afile.h"
#include "didq/util.h"
#include "tui_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static void default_path(const char *name, char *buf, size_t len)
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
    snprintf(buf, len, "didq-%s.csv", n ? slug : "records");
}

void tui_export(tui *t, didq_list *l, const char *name)
{
    char path[512], err[512];
    default_path(name, path, sizeof path);
    if (!tui_prompt(t, "export to: ", path, sizeof path) || !path[0]) {
        tui_msg(t, "export cancelled");
        return;
    }
    /* an input, a FIFO (open would wait for a reader), a device (a
     * terminal would get the raw bytes) or a folder: refused at once */
    if (didq_output_check(path, DIDQ_AFILE_REGULAR | DIDQ_AFILE_OVERWRITE, err, sizeof err) != 0) {
        tui_msg(t, "export refused: %s", err);
        return;
    }
    bool overwrite = false;
    if (didq_path_exists(path)) {
        char q[600];
        snprintf(q, sizeof q, "%s exists; overwrite?", path);
        if (!(overwrite = tui_confirm(t, q, false))) {
            tui_msg(t, "export cancelled: %s left as it was", path);
            return;
        }
    }
    bool mask =
        t->mask && tui_confirm(t, "mask NHS number, birth date and postcode in the file?", true);
    didq_afile *af = didq_afile_open(
        path, DIDQ_AFILE_REGULAR | (overwrite ? DIDQ_AFILE_OVERWRITE : 0), err, sizeof err);
    if (!af) {
        tui_msg(t, "export failed: %s", err);
        return;
    }
    uint64_t n = didq_list_csv(l, didq_afile_fp(af), mask);
    if (didq_afile_commit(af, err, sizeof err) != 0) {
        tui_msg(t, "export failed: %s", err);
        return;
    }
    tui_msg(t, "wrote %llu records to %s%s", (unsigned long long)n, path, mask ? " (masked)" : "");
}
