/* tui.h: the explorer (ncurses).  The only part of didq that sees curses;
 * the command line (cmd_explore.c) fills tui_opts and calls tui_run(). */
#ifndef DIDQ_TUI_H
#define DIDQ_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct didq_notes;
struct didq_refdata;
struct didq_session;
struct didq_thresholds;
struct didq_month_override;
struct didq_dqmi_spec;

enum tui_color { TUI_COLOR_AUTO, TUI_COLOR_ALWAYS, TUI_COLOR_NEVER };

typedef struct tui_opts {
    char **files; /* paths to load */
    int nfiles;
    const char *mem_name; /* an in-memory file (the demo), or NULL */
    const char *mem_buf;
    size_t mem_len;
    int32_t submitted; /* submission date, day number */
    bool mask, no_mouse;
    bool no_prebuild; /* no sorted orders made in the background */
    enum tui_color color;
    const char *script;             /* key script: headless, no terminal */
    int cols, rows;                 /* screen size for the script mode */
    const char *timing;             /* per-key milliseconds, or NULL */
    const char *saved;              /* a session saved with `check --db`, opened instead of files */
    const struct didq_refdata *ref; /* reference data, or NULL */
    const char *ref_label;          /* where it came from, or NULL */
    /* anomaly thresholds (--thresholds), or NULL: the built-in ones, or
     * those a saved session was saved with */
    const struct didq_thresholds *thresholds;
    /* `didq diff OLD NEW` on a terminal: OLD's finished session (the
     * caller's), NEW the one file to load; the Changes pane compares them. */
    struct didq_session *diff_old;
    /* reporting months given (--month), n_months of them */
    const struct didq_month_override *months;
    size_t n_months;
    int threads; /* of a CSV load (--threads; 0 the default) */
    /* --notes FILE, read (a file not there yet: no notes), or NULL: `a`
     * then asks for a file; notes are added to it */
    struct didq_notes *notes;
    /* the DQMI-style items and defaults (--dqmi), or NULL: refdata/dqmi.csv */
    const struct didq_dqmi_spec *dqmi;
} tui_opts;

/* Loads the files, runs the explorer, restores the terminal.  Returns an
 * exit status (util.h). */
int tui_run(const tui_opts *o);

/* The keymap as help text lines "key<TAB>context<TAB>help" (for docs). */
void tui_print_keys(void);

#endif
