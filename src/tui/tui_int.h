/* tui_int.h: the explorer's insides: the state, the view table (one row
 * per pane, tig-style), drawing helpers and the keymap. */
#ifndef DIDQ_TUI_INT_H
#define DIDQ_TUI_INT_H

#include "didq/query.h"
#include "didq/session.h"
#include "didq/util.h"
#include "tui.h"
#include "tui_curses.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

/* Actions, named in refdata/tui/keys.csv (not clang-formatted: it reflows
 * this list differently on each run). */
/* clang-format off */
#define TUI_ACTIONS(X) \
    X(none) X(down) X(up) X(left) X(right) X(pgdn) X(pgup) X(home) X(end) X(next_pane) \
    X(prev_pane) X(pane1) X(pane2) X(pane3) X(pane4) X(pane5) X(pane6) X(pane7) X(pane8) \
    X(pane9) X(enter) X(back) X(quit_back) X(quit) X(help) X(mask) X(export) X(redraw) X(sort) \
    X(search) X(search_next) X(search_prev) X(filter) X(columns) X(toggle) X(move_down) \
    X(move_up) X(invalid) X(blank) X(percent) X(raw) X(dist) X(volumes) X(click) \
    X(suspend) X(patient) X(changes) X(goto_line) X(next_record) X(prev_record) \
    X(pane10) X(month_prev) X(month_next) X(note) X(report) X(fix) X(sites) X(site)
/* clang-format on */
#define TUI_ENUM(a) A_##a,
typedef enum tui_action { TUI_ACTIONS(TUI_ENUM) A_COUNT } tui_action;
#undef TUI_ENUM

typedef struct tui tui;
typedef struct tui_view tui_view;

/* One kind of view (tig's view ops): what the framework (tui_views.c)
 * needs to open, draw, close and lay it out.  Panes 1..9 are rows of
 * tui_panes[] (tui_views.c); drill-down views (records, detail, group,
 * help) are pushed on the stack.  Hooks left NULL take the framework's
 * default. */
typedef struct tui_view_ops {
    const char *name; /* tab and breadcrumb name */
    const char *abbr; /* the tab cut to this length or less (when the name's start is another's) */
    const char *ctx;  /* keymap context beyond "global" */
    /* The view's private state v->st: private_size bytes, allocated zeroed
     * before open and freed after close (a table pane's is its tui_grid). */
    size_t private_size;
    /* A table pane: v->st is a tui_grid over the table this returns (built
     * on open, freed on close, drawn over the whole body by default). */
    didq_qtable *(*table)(tui *t);
    void (*open)(tui *t, tui_view *v, const void *arg); /* fills v->st */
    void (*draw)(tui *t, tui_view *v, int y, int h);    /* h lines from y: v->y, v->height */
    bool (*key)(tui *t, tui_view *v, tui_action a);
    void (*close)(tui_view *v);      /* frees what v->st holds, not v->st */
    didq_list *(*list)(tui_view *v); /* the list `e` exports, or NULL */
    /* The table `e` exports from a summary pane (in *order, or NULL for
     * table order), with a name for the file (name has cap bytes and holds
     * the pane's name); NULL: a table pane's grid, as shown. */
    const didq_qtable *(*export_table)(tui *t, tui_view *v, const size_t **order, char *name,
                                       size_t cap);
    const char *keys;                   /* footer: the keys that matter here */
    const char *(*footer)(tui_view *v); /* or these, when they change with the state */
    /* A pane shown only in some sessions (the Changes pane: didq diff);
     * NULL: always.  tabkey: its key in the tab bar, NULL: its number. */
    bool (*present)(const tui *t);
    const char *tabkey;
} tui_view_ops;

struct tui_view {
    const tui_view_ops *ops;
    void *st;            /* private state (private_size bytes) */
    int y, height;       /* the body: first line and lines, set by the layout (tui_layout) */
    char crumb[96];      /* the breadcrumb, values as they are */
    char crumb_mask[96]; /* the same with identifiers masked (shown while masking is on) */
    char crumb_file[96]; /* for a default file name: no identifier value at all */
    int pane;            /* 1..9 for a pane, 0 for a pushed view */
};

/* Pane 10 is Months (key 0, its tab "0"), 11 Changes (key C, didq diff
 * only), 12 Sites (key W). */
enum {
    TUI_STACK = 32,
    TUI_PANES = 12,
    TUI_MONTHS_PANE = 10,
    TUI_PANE_CHANGES = 11,
    TUI_PANE_SITES = 12
};

/* The per-site table of a month (or of every record) and the DQMI-style
 * score behind it, made once and shared by the Overview and the Sites pane
 * (tui_pane_sites.c). */
typedef struct tui_sites_cache {
    struct didq_dqmi *dqmi; /* a month's score (made with t->dqmi); NULL for t->sites */
    didq_qtable *table;
    /* in a site scope (t->site), that site's row of it, for site */
    didq_qtable *site_table;
    char site[64];
} tui_sites_cache;

struct tui {
    const tui_opts *o;
    didq_session *s;
    tui_view stack[TUI_STACK];
    tui_view cache[TUI_PANES]; /* panes not shown, kept with their aggregates */
    int depth;
    int lines, cols; /* the terminal size of the last layout (tui_layout) */
    bool mask, color, utf8, quit, script;
    char msg[256];  /* one-line message in the footer */
    char cell[400]; /* a table's cell under the cursor, cut on screen: whole in the footer */
    FILE *script_fp, *timing_fp;
    SCREEN *screen;
    int mouse_y, mouse_x;
    char search[128];
    char paste[256];      /* the first line of the last bracketed paste (TUI_KEY_PASTE) */
    char keytok[32];      /* the script token of the last key */
    char line[1024];      /* the script line being read */
    char script_err[160]; /* why the key script stopped early, or "" */
    int script_status;    /* its exit status (0: 64, a usage error) */
    size_t linepos;
    double busy_since; /* when the key being handled (or the opening) began, ms */
    double polled;     /* when a query last looked at the keys, ms */
    pthread_t main_thread;
    struct didq_diff *diff; /* didq diff: OLD (o->diff_old) against this session, or NULL */
    /* The reporting months loaded (ascending) and the one shown: with two
     * or more, every pane shows the records of one month (scope); with
     * one, scope is NULL (every record) and nothing says "month". */
    int32_t *months;
    int nmonths, month; /* month: index into months */
    didq_scope *scope;
    struct tui_month_scope {
        didq_scope *sc;
        tui_sites_cache sites;
    } * scopes;            /* per month, made when first shown and kept (their counts) */
    tui_sites_cache sites; /* the per-site table of every record (one month loaded) */
    /* The site scope (`S`, tui_site.c): every pane shows one site's
     * records within the month shown.  mscope is the month's scope (NULL
     * with one month), site_scope the site's within it, and scope the one
     * the panes ask: site_scope, else mscope.  site: its label, "" none. */
    didq_scope *mscope, *site_scope;
    char site[64];
    /* The site's analyses, as if its records were loaded alone
     * (didq_scope_analysis, every month: kept over month steps), made when
     * a pane first asks (tui_analysis); site_an_made says it was asked. */
    didq_analysis *site_an;
    bool site_an_made;
    didq_site_entry *site_list; /* the picker's list of the month shown, kept */
    size_t nsite_list;
    int sites_month;          /* the month index it was made for; -2: none */
    struct didq_dqmi *dqmi;   /* the session's DQMI-style score, made once */
    struct didq_notes *notes; /* --notes, or the file asked for at the first `a`; or NULL */
    bool own_notes;           /* notes made here (freed at the end), not the caller's */
    /* Notes added (`a`): the Validation and Anomalies panes' Explained
     * columns are counted again when the one they were made at is older. */
    unsigned notes_rev, valid_rev, anom_rev;
    struct didq_fixset *fixes; /* what didq fix would do (tui_fix.c), made when first asked */
    /* The analyses still running after the first screen (tui_background.c);
     * held for a test; the pane whose aggregates are made next, 0 none. */
    bool computing, hold;
    int prepare_next;
    double release_at; /* a terminal's test hold ends then (ms) */
    /* The values read back from the files: 0 until they are taken into
     * memory, 1 while they are (didq_session_take_values), 2 once taken
     * and the files compared a last time; a file changed since its load
     * (the header says so, and no output is written: tui_inputs_refuse). */
    int take;
    bool input_changed;
};

/* tui_background.c: the panes that need the analyses while they run. */
extern const tui_view_ops tui_computing_ops;
/* Opens pane's "computing" page if it needs the analyses still running. */
bool tui_pane_computing(tui *t, int pane);
/* Takes the analyses if they have ended and fills in what waited for
 * them; idle: also makes one pane's aggregates.  True: draw again. */
bool tui_background_poll(tui *t, bool idle);
/* Waits for all of that (a key script, before each key), unless held. */
void tui_background_finish(tui *t);
void tui_background_release(tui *t);
/* The test knobs' hold (sets t->release_at); false: none. */
bool tui_background_hold(tui *t);
/* Before an output is put in place: false, or true with a message when a
 * file whose values were read back from it has changed since its load
 * (didq_session_inputs_changed): the output would mix two files. */
bool tui_inputs_refuse(tui *t);
/* The Overview (v) fills in its per-site table and score line. */
void tui_overview_fill(tui *t, tui_view *v);
/* Closes a view (its state freed, *v zeroed). */
void tui_view_close(tui_view *v);

extern const tui_view_ops *const tui_panes[TUI_PANES];
extern const tui_view_ops tui_overview_ops, tui_complete_ops, tui_valid_ops, tui_dups_ops,
    tui_settings_ops, tui_time_ops, tui_cover_ops, tui_anom_ops, tui_months_ops, tui_sites_ops;
extern const tui_view_ops tui_records_ops, tui_detail_ops, tui_help_ops, tui_group_ops,
    tui_patient_ops;
extern const tui_view_ops tui_changes_ops, tui_removed_ops, tui_oldrec_ops;

/* Colour pairs and attributes (meaning never by colour alone: each use
 * also has a marker or bold/reverse). */
enum tui_style { S_NORMAL, S_HEADER, S_SELECT, S_ERROR, S_WARN, S_OK, S_DIM, S_TAB, S_TITLE };
attr_t tui_attr(const tui *t, enum tui_style st);

/* Sanitised output: text escaped (^X, \xNN), padded to w columns; text
 * wider than w is cut and ends with a marker (U+2026, or '>' without
 * UTF-8), never cut silently.  Every table, list and line draws through it.
 * Returns the columns drawn. */
int tui_put(tui *t, int y, int x, int w, const char *s, attr_t a);
/* Right-aligned variant (text too wide: cut on the right, marked); a
 * column past the screen's right edge is aligned to the edge instead. */
void tui_put_right(tui *t, int y, int x, int w, const char *s, attr_t a);
/* Variant keeping the end: text too wide starts with the marker ('<'
 * without UTF-8) and shows its last w - 1 columns (breadcrumb, prompt). */
void tui_put_tail(tui *t, int y, int x, int w, const char *s, attr_t a);
/* Columns the text takes on screen (escaped). */
int tui_text_width(const tui *t, const char *s);
/* Draws s wrapped at spaces (a word longer than a line is split) in lines
 * of w columns from (y, x), the lines after the first indented; at most
 * maxl lines (0: no limit), the last one marked if text is left over.
 * Returns the lines; y < 0 only counts them. */
int tui_wrap(tui *t, int y, int x, int w, int maxl, int indent, const char *s, attr_t a);
/* The same, split where the columns run out, spaces kept (raw text). */
int tui_wrap_hard(tui *t, int y, int x, int w, int maxl, const char *s, attr_t a);
/* A pane's legend (one or two paragraphs, '\n' between) wrapped on the
 * last lines of the h lines from y (at most a third of them); returns the
 * lines it took. */
int tui_legend(tui *t, int y, int h, const char *s, attr_t a);
/* Text of an item value for the screen (masked when masking is on). */
void tui_value(const tui *t, int item, const char *raw, didq_buf *out);

/* Views (tui_views.c). */
/* The frame's lines above and below a view's body: header, tab bar and
 * breadcrumb; footer. */
enum { TUI_FRAME_TOP = 3, TUI_FRAME_BOTTOM = 1 };
/* Sets every open view's body (y, height) from the terminal size: on
 * open, and when the size has changed (tui_draw_all, on every resize). */
void tui_layout(tui *t);
/* Draws a view's body: its draw hook, or a table pane's grid. */
void tui_view_draw(tui *t, tui_view *v);
/* The footer's keys of a view. */
const char *tui_view_keys(tui_view *v);
void tui_push(tui *t, const tui_view_ops *ops, const void *arg, const char *crumb);
/* Appends suffix (short) to each of a view's breadcrumbs; one too long is
 * cut and ends with the marker, the suffix kept. */
void tui_crumb_suffix(const tui *t, tui_view *v, const char *suffix);
/* Pushes a view whose breadcrumb holds a value: as shown (crumb), masked,
 * and without identifiers for file names (struct tui_view). */
void tui_push_crumbs(tui *t, const tui_view_ops *ops, const void *arg, const char *crumb,
                     const char *crumb_mask, const char *crumb_file);
/* The breadcrumb as shown now: masked while masking is on. */
const char *tui_crumb(const tui *t, const tui_view *v);
void tui_pop(tui *t);
void tui_close_all(tui *t);
/* Closes the views that show one month (every one but the Months pane,
 * which shows them all, and is kept with its table). */
void tui_close_scoped(tui *t);
int tui_tab_label(const tui *t, int pane, int cur, char *buf, size_t len);
/* Whether pane p (1..TUI_PANES) is in this session's tab bar. */
bool tui_pane_present(const tui *t, int p);
void tui_open_pane(tui *t, int pane);
tui_view *tui_top(tui *t);
void tui_msg(tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Keys (tui_keys.c).  tui_getkey returns a key, or TUI_KEY_PASTE for a
 * bracketed paste (its text in t->paste: never run as keys); Ctrl-Z
 * suspends inside it. */
enum { TUI_KEY_PASTE = KEY_MAX + 1, TUI_KEY_PASTE_BEGIN, TUI_KEY_PASTE_END, TUI_KEY_SUSPEND = 26 };
int tui_getkey(tui *t);
/* The session options the explorer's own options make (tui_main.c). */
didq_session_opts tui_session_opts(const tui *t);
/* Escape sequences terminfo does not name (tui_escseq.c).  tui_esc_decode:
 * what the n keys read after an ESC are so far: a curses key (ESC[6~ is
 * KEY_NPAGE), TUI_ESC_DROP (a complete sequence of no key the explorer
 * knows, or one longer than TUI_ESC_MAX: ignored), TUI_ESC_MORE (a sequence
 * not yet ended) or TUI_ESC_BROKEN (the last key cannot be part of one).
 * tui_esc_key reads them after curses returned ESC, each within the escape
 * delay: the key, 27 (Esc: nothing after it, or Alt+key, whose key comes
 * next), or TUI_ESC_DROP. */
enum { TUI_ESC_MORE = -2, TUI_ESC_BROKEN = -3, TUI_ESC_DROP = -4, TUI_ESC_MAX = 32 };
int tui_esc_decode(const int *seq, size_t n);
int tui_esc_key(void);
tui_action tui_lookup(const char *ctx, int key);
int tui_keyname_code(const char *name, size_t n);
/* Reads a line in the footer; returns false if cancelled. */
bool tui_prompt(tui *t, const char *question, char *buf, size_t len);
/* Reads a line number in the footer (the `:` of less and vi): false if
 * cancelled or not a number from 1 (then the footer says so). */
bool tui_prompt_number(tui *t, const char *question, int64_t *n);
bool tui_confirm(tui *t, const char *question, bool dflt);
void tui_draw_all(tui *t);

/* The generic grid over an aggregate table (tui_grid.c). */
typedef struct tui_grid {
    didq_qtable *tab;
    size_t *order; /* display order of rows */
    size_t cur, top;
    int col, sortcol;
    int left; /* first column drawn after the key columns (horizontal scroll) */
    int keys; /* the key columns, from 0, kept in view (0: one, column 0) */
    bool desc;
    int widths[16];
} tui_grid;
void tui_grid_set(tui_grid *g, didq_qtable *tab);
/* Sorts the rows by column col (numbers as numbers; ties in table order),
 * descending if desc, as `s` does, without a message. */
void tui_grid_sort(tui_grid *g, int col, bool desc);
void tui_grid_draw(tui *t, tui_grid *g, int y, int h);
bool tui_grid_key(tui *t, tui_grid *g, tui_action a, int h);
void tui_grid_free(tui_grid *g);
/* Opens the records behind a cell (or the first drillable cell). */
bool tui_grid_drill(tui *t, tui_grid *g, int col);
int tui_grid_width(const tui_grid *g);

/* Records list argument for tui_records_ops. */
typedef struct tui_list_arg {
    const char *where;
    didq_list *list;  /* or a list to take over (a filtered copy) */
    int64_t count;    /* records where selects, when the pane knows; -1 unknown */
    const int *first; /* items shown first, after File and Line (a rule's fields), or NULL */
    int nfirst;
} tui_list_arg;

/* In record detail (n, p): moves the cursor of the records list v (the
 * view the detail was opened from) one record down or up and copies the
 * record now under it into *out; false when v is no records list or the
 * cursor is at that end of the list. */
bool tui_records_step(tui_view *v, bool down, didq_row *out);

/* The analyses (anomalies, timeliness, coverage) behind panes 7 to 9,
 * the Months pane and the Sites pane's anomalies (tui_analysis.c): the
 * session's (didq_session_analysis); in a site scope the site's, as if its
 * records were loaded alone (didq_scope_analysis, made once per site), but
 * for "(blank)", which the analyses leave out.  tui_analysis_all: the
 * session's whatever the scope; tui_analysis_drop frees the site's. */
const didq_analysis *tui_analysis(tui *t);
const didq_analysis *tui_analysis_all(tui *t);
void tui_analysis_drop(tui *t);
/* Pushes the patient view of record id: every record of its patient
 * (tui_group.c). */
void tui_patient(tui *t, int64_t id);
/* Pushes the records list of a condition with a breadcrumb label. */
void tui_drill(tui *t, const char *where, const char *label);

/* The Changes pane's removed records (tui_changes_old.c), only in OLD:
 * rule NULL lists every one, "" those with a finding, a code those
 * breaking that rule. */
typedef struct tui_removed_arg {
    const char *rule;
} tui_removed_arg;
struct didq_diff_change;
bool tui_removed_match(const struct didq_diff_change *c, const char *rule);
/* The month the analysis panes show (anomaly.h, "Months"): the month
 * shown, or DIDQ_ALLMONTHS with one month loaded. */
int32_t tui_analysis_month(const tui *t);

/* Sites (tui_pane_sites.c): the session's DQMI-style score (made once);
 * the per-site table of the month shown (didq_query_sites_in, made once
 * per month and kept: a grid over it must not free it); both freed by
 * tui_sites_free. */
const struct didq_dqmi *tui_dqmi(tui *t);
didq_qtable *tui_sites_table(tui *t);
void tui_sites_free(tui *t);

/* Months (tui_month.c): finds the months loaded and shows the latest;
 * steps to the previous (dir -1) or next month, every pane made again. */
void tui_months_init(tui *t);
void tui_month_step(tui *t, int dir);
void tui_months_free(tui *t);
/* "2026-10" of the month shown, or "" with one month. */
const char *tui_month_name(const tui *t, char *buf);
/* A pane's tab is shown: Months only with several months, or while shown. */
bool tui_pane_shown(const tui *t, int pane, int cur);
/* Site scope (tui_site.c).  `S`: with no site scope, a picker of the
 * month's sites with their records (type-ahead narrows, "all sites"
 * clears); with one, clears it.  tui_scope_site sets the site scope
 * (site: a label as the Overview's per-site table shows it; NULL or "":
 * none) and opens the current pane again in it (a Sites pane calls it on
 * Enter).  tui_site_rescope makes the site's scope again in the month now
 * shown (after [ or ]); tui_site_free frees what the site scope holds. */
void tui_site_pick(tui *t);
void tui_scope_site(tui *t, const char *site);
void tui_site_rescope(tui *t);
void tui_site_free(tui *t);
/* True when the site scope is "(blank)", which the analyses leave out
 * (they key the invalid codes as one site, "(invalid site)", as the
 * panes do): the analysis panes then show nothing and say so
 * (tui_site_note draws that line at y; returns the lines taken, 0 when
 * scoped normally). */
bool tui_site_group(const tui *t);
int tui_site_note(tui *t, int y);
/* Notes (tui_notes.c).  tui_notes_attach: n becomes the session's notes
 * (its SQL functions registered; own: freed by tui_notes_end). */
void tui_notes_attach(tui *t, struct didq_notes *n, bool own);
void tui_notes_end(tui *t);
/* `a` on a record: asks for a code (code, or blank: the record), a status
 * and a note, and adds it; false when nothing was written. */
bool tui_note_record(tui *t, const didq_row *row, const char *code);
/* `a` on an anomaly: the note on the site's anomaly of that kind. */
void tui_note_anomaly(tui *t, const char *site, const char *kind);
/* The rule code of a rule's record list (its condition, from the
 * Validation pane), or "". */
void tui_notes_rule_code(tui *t, const char *where, char *code, size_t len);

/* didq fix (tui_fix.c): the session's fixes, made at the first call;
 * dropped (made again when next asked); F: the fixed copy of each loaded
 * CSV file, its OUT asked for. */
struct didq_fixset *tui_fixes(tui *t);
void tui_fixes_end(tui *t);
void tui_fix_write(tui *t);
/* The file (its id) of record id, 0 if none. */
int tui_record_file(tui *t, int64_t id);
/* Whether a file's fixes are known without a long read (tui_fix.c): a file
 * of at most TUI_FIX_EAGER records is planned when first asked about, a
 * bigger one by F only; _all: every file of the month shown. */
enum { TUI_FIX_EAGER = 100000 };
uint64_t tui_fix_eager(void);
bool tui_fix_ready(tui *t, int file);
bool tui_fix_ready_all(tui *t);
/* Validation and Anomalies (tui_pane_valid.c): the table with columns
 * inserted at `at` (n of them, empty; head and align name every column of
 * the result, static), the rest copied; frees src. */
didq_qtable *tui_table_widen(didq_qtable *src, int at, int n, const char **head, const char *align);
/* The grid over a table of the same rows made again (a column counted
 * afresh): cursor, sort and scroll kept; frees the old table. */
void tui_grid_reload(tui_grid *g, didq_qtable *tab);

/* Export of a list (tui_export.c). */
/* `R`: didq report's page of the session, masked, to a path asked for. */
void tui_report(tui *t);
void tui_export(tui *t, didq_list *l, const char *name);
/* `e` on a summary pane: its table as CSV (tui_view_ops.export_table);
 * false if the view has no table. */
bool tui_export_table(tui *t, tui_view *v);
/* A record's source text into out (tui_source.c): the line of a CSV
 * record, the <ImagingActivity> element of an XML one; which, or NONE if
 * the file cannot be read. */
enum { TUI_SOURCE_NONE, TUI_SOURCE_CSV, TUI_SOURCE_XML };
int tui_record_source(tui *t, int64_t id, didq_buf *out);

/* Terminal (tui_term.c).  Ctrl-Z: the terminal restored, the process
 * stopped (SIGTSTP), the screen redrawn when it continues. */
void tui_suspend(tui *t);
/* Bracketed paste (ESC[?2004h) on or off. */
void tui_bracketed_paste(bool on);

/* Headless key script (tui_script.c). */
int tui_script_key(tui *t);
void tui_save_screen(tui *t, const char *path);

/* Terminal set-up and restore (tui_term.c). */
/* -1 when the terminal is ready, or an exit status with err. */
int tui_term_init(tui *t, char *err, size_t errlen);
void tui_term_end(void);
int tui_signal_pending(void);
/* The terminal hung up without a SIGHUP reaching us (ignored, as under
 * nohup): true, and SIGHUP counts as pending.  Without it a hung-up
 * terminal's getch returns at once, for ever, and the key loop spins. */
bool tui_terminal_gone(void);
bool tui_too_small(void);

/* Keymap rows for help and docs. */
typedef struct tui_keyrow {
    const char *key, *ctx, *action, *help;
} tui_keyrow;
size_t tui_keymap(const tui_keyrow **rows);

#endif
