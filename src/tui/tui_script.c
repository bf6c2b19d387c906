/* tui_script.c: the headless key script: key names (<Enter> <Esc> <Down>
 * <C-c> ...), plain characters, and lines of commands (:save-screen PATH,
 * :resize COLSxROWS; <colon> is the key ':' where a line would start with
 * it).  '#' starts a comment line. */
#include "didq/afile.h"
#include "didq/util.h"
#include "tui_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* A screen the script could not save stops it (exit 73): its files are
 * what the tests compare, and an input is never replaced. */
static void save_failed(tui *t, const char *what)
{
    snprintf(t->script_err, sizeof t->script_err, "key script: :save-screen %.130s", what);
    t->script_status = DIDQ_EXIT_CANTCREAT;
}

void tui_save_screen(tui *t, const char *path)
{
    char why[300];
    if (didq_output_is_input(path, why, sizeof why)) {
        save_failed(t, why);
        return;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(why, sizeof why, "%.200s: %s", path, strerror(errno));
        save_failed(t, why);
        return;
    }
    for (int y = 0; y < LINES; y++) {
        char line[4096];
        size_t n = 0;
        for (int x = 0; x < COLS && n + 8 < sizeof line; x++) {
            cchar_t cc;
            wchar_t wc[CCHARW_MAX + 1];
            attr_t a;
            short pair;
            if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wc, &a, &pair, NULL) == ERR) continue;
            if (wc[0] == 0) continue; /* the right half of a wide character */
            mbstate_t ps;
            memset(&ps, 0, sizeof ps);
            size_t k = wcrtomb(line + n, wc[0], &ps);
            n += k == (size_t)-1 ? (line[n] = '?', 1) : k;
        }
        while (n > 0 && line[n - 1] == ' ')
            n--;
        fprintf(f, "%.*s\n", (int)n, line);
    }
    fclose(f);
}

/* A screen larger than any terminal is a mistake, not a size to allocate. */
enum { SCRIPT_MAX_COLS = 1000, SCRIPT_MAX_ROWS = 1000 };

/* Runs a command line; false (the script stops) if it is unknown. */
static bool command(tui *t, const char *cmd)
{
    int c, r;
    if (strncmp(cmd, ":save-screen ", 13) == 0) {
        tui_save_screen(t, cmd + 13);
    } else if (strcmp(cmd, ":release-analyses") == 0) { /* DIDQ_TEST_HOLD_ANALYSES */
        tui_background_release(t);
        tui_background_finish(t);
        tui_draw_all(t);
    } else if (sscanf(cmd, ":resize %dx%d", &c, &r) == 2 && c > 0 && r > 0 &&
               c <= SCRIPT_MAX_COLS && r <= SCRIPT_MAX_ROWS) {
        resizeterm(r, c); /* as SIGWINCH would, then the KEY_RESIZE redraw */
        tui_draw_all(t);
    } else {
        snprintf(t->script_err, sizeof t->script_err, "key script: unknown command '%.100s'", cmd);
        return false;
    }
    return true;
}

static bool next_line(tui *t)
{
    for (;;) {
        if (!fgets(t->line, sizeof t->line, t->script_fp)) return false;
        t->line[strcspn(t->line, "\r\n")] = 0;
        t->linepos = 0;
        if (t->line[0] == ':') {
            if (!command(t, t->line)) return false;
            continue;
        }
        if (t->line[0] == '#' || t->line[0] == 0) continue;
        return true;
    }
}

/* Returns the next key of the script, or -1 at its end (and from then on;
 * t->script_err says if it ended on an error). */
int tui_script_key(tui *t)
{
    if (t->script_err[0]) return -1;
    while (t->line[t->linepos] == 0)
        if (!next_line(t)) return -1;
    const char *p = t->line + t->linepos;
    const char *end = p[0] == '<' ? strchr(p, '>') : NULL;
    if (end && end > p + 1) {
        int code = tui_keyname_code(p + 1, (size_t)(end - p - 1));
        if (code < 0) {
            snprintf(t->script_err, sizeof t->script_err, "key script: unknown key %.*s",
                     (int)(end - p + 1 < 100 ? end - p + 1 : 100), p);
            return -1;
        }
        snprintf(t->keytok, sizeof t->keytok, "%.*s", (int)(end - p + 1), p);
        t->linepos += (size_t)(end - p + 1);
        if (code == KEY_RESIZE) tui_draw_all(t);
        return code;
    }
    snprintf(t->keytok, sizeof t->keytok, "%c", *p);
    t->linepos++;
    return (unsigned char)*p;
}
