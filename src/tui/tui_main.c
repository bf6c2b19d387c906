/* tui_main.c: the explorer's life: terminal up, files loaded with a
 * progress bar (cancellable), the key loop, terminal restored. */
#include "didq/afile.h"
#include "didq/mapped.h"
#include "didq/diff.h"
#include "didq/reader.h"
#include "didq/text.h"
#include "didq/util.h"
#include "didq/dqmi.h"
#include "tui_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

typedef struct load_ctx {
    tui *t;
    const char *name;
    double start, last;
    bool cancelled;
} load_ctx;

static void draw_progress(load_ctx *lc, uint64_t bytes, uint64_t total, uint64_t records)
{
    tui *t = lc->t;
    double secs = (now_ms() - lc->start) / 1e3;
    char line[256];
    erase();
    snprintf(line, sizeof line, "Loading %s", lc->name);
    tui_put(t, 1, 2, COLS - 4, line, A_BOLD);
    double frac = total ? (double)bytes / (double)total : 0;
    int w = COLS - 4 > 0 ? COLS - 4 : 1, fill = (int)(frac * w);
    for (int x = 0; x < w; x++)
        mvaddch(3, 2 + x, x < fill ? (t->utf8 ? ACS_CKBOARD : '#') : '.');
    if (total) /* a pipe's size is not known: its bytes read so far */
        snprintf(line, sizeof line, "%llu records  %.0f%% of %llu bytes  %.0f records/s",
                 (unsigned long long)records, 100 * frac, (unsigned long long)total,
                 secs > 0 ? (double)records / secs : 0);
    else
        snprintf(line, sizeof line, "%llu records  %llu bytes read (size unknown)  %.0f records/s",
                 (unsigned long long)records, (unsigned long long)bytes,
                 secs > 0 ? (double)records / secs : 0);
    tui_put(t, 5, 2, COLS - 4, line, A_NORMAL);
    tui_put(t, 7, 2, COLS - 4, "q or Ctrl-C cancels", A_NORMAL);
    refresh();
}

static int on_progress(void *ctx, uint64_t bytes, uint64_t total, uint64_t records)
{
    load_ctx *lc = ctx;
    if (tui_signal_pending()) lc->cancelled = true;
    if (!lc->t->script) {
        timeout(0);
        int c = getch();
        if (c == 'q' || c == 'Q' || c == 3) lc->cancelled = true;
        if (c == TUI_KEY_SUSPEND) {
            tui_suspend(lc->t);
            lc->last = 0; /* drawn again now */
        }
    }
    double now = now_ms();
    if (now - lc->last >= 100) {
        lc->last = now;
        draw_progress(lc, bytes, total, records);
    }
    return lc->cancelled;
}

/* The screen between the load's progress bar and the first pane. */
static void show_preparing(tui *t)
{
    if (t->script) return;
    erase();
    tui_put(t, 1, 2, COLS - 4, "Preparing the panes...", A_BOLD);
    refresh();
}

/* A signal, or Ctrl-C typed while the panes are prepared (seconds for a
 * million records): quit.  Other keys wait for the key loop. */
static bool interrupted(tui *t)
{
    if (tui_signal_pending() || t->quit) return true;
    if (t->script) return false;
    timeout(0);
    int c = getch();
    if (c == 3) return t->quit = true;
    if (c == TUI_KEY_SUSPEND) {
        tui_suspend(t);
        show_preparing(t);
    } else if (c != ERR) {
        ungetch(c);
    }
    return false;
}

/* Computes every pane's aggregates once, after the load, so that a pane
 * switch costs only drawing. */
static void prepare_panes(tui *t)
{
    tui_months_init(t);
    for (int p = TUI_PANES; p >= 1 && !interrupted(t); p--)
        if (tui_pane_present(t, p) && p != TUI_MONTHS_PANE)
            tui_open_pane(t, p); /* Months: when asked */
}

/* A load stopped: by the user (exit 0), or by a signal (128 + its number,
 * as a shell reports it). */
static int stopped(char *err, size_t errlen)
{
    int sig = tui_signal_pending();
    if (!sig) return snprintf(err, errlen, "load cancelled"), DIDQ_EXIT_OK;
    snprintf(err, errlen, "load stopped by signal %d (%s)", sig, strsignal(sig));
    return 128 + sig;
}

/* Whether q, Q or Ctrl-C is among the keys typed so far.  Every key
 * waiting is read, up to a paste (whose text is no keys), and the others
 * are put back in their order: looking at the first key only, a key typed
 * before q (an arrow, or the next key of a script of keys) hid the q until
 * the query had ended, and q then only quit. */
static bool quit_typed(void)
{
    int kept[64], n = 0, c = ERR;
    bool quit = false;
    timeout(0);
    while (n < (int)(sizeof kept / sizeof *kept) && (c = getch()) != ERR) {
        if (c == 'q' || c == 'Q' || c == 3) {
            quit = true;
            break;
        }
        kept[n++] = c;
        if (c == TUI_KEY_PASTE_BEGIN) break;
    }
    while (n > 0)
        ungetch(kept[--n]);
    return quit;
}

/* Called by SQLite during every query (didq_session_on_query).  A query
 * that has run half a second (a huge or crafted saved session) looks at the
 * keys every 100 ms: q or Ctrl-C among them, or a signal, ends the explorer
 * at once, the terminal restored, as during a load; other keys are kept. */
static int query_progress(void *ctx)
{
    tui *t = ctx;
    double now = now_ms();
    if (!pthread_equal(pthread_self(), t->main_thread)) return 0; /* the keys are the main's */
    if (now - t->busy_since < 500 || now - t->polled < 100) return 0;
    t->polled = now;
    int sig = tui_signal_pending();
    if (!sig) {
        if (t->script || !quit_typed()) return 0;
    }
    tui_term_end();
    if (sig)
        fprintf(stderr, "didq: stopped by signal %d (%s)\n", sig, strsignal(sig));
    else
        fputs("didq: query cancelled\n", stderr);
    didq_temp_unlink_all();
    exit(sig ? 128 + sig : DIDQ_EXIT_OK);
}

/* didq diff: OLD against the session loaded, for the Changes pane. */
static void compare_old(tui *t)
{
    if (!t->o->diff_old) return;
    t->diff = didq_diff_run(t->o->diff_old, t->s);
    didq_diff_mark(t->diff, t->o->diff_old, t->s);
}

/* Loads every input; returns 0, or an exit status with a message. */
static int load_all(tui *t, char *err, size_t errlen)
{
    load_ctx lc = {.t = t, .start = now_ms()};
    t->busy_since = lc.start;
    t->main_thread = pthread_self();
    didq_session_on_query(t->s, query_progress, t);
    if (t->o->saved) {
        show_preparing(t);
        compare_old(t);
        prepare_panes(t);
        return -1;
    }
    if (t->o->mem_buf) {
        lc.name = t->o->mem_name;
        if (didq_session_load_mem(t->s, t->o->mem_name, t->o->mem_buf, t->o->mem_len, on_progress,
                                  &lc) == DIDQ_READ_CANCELLED)
            return stopped(err, errlen);
    }
    for (int i = 0; i < t->o->nfiles; i++) {
        lc.name = t->o->files[i];
        int st = didq_session_load(t->s, t->o->files[i], on_progress, &lc, err, errlen);
        if (st == DIDQ_READ_IO) return DIDQ_EXIT_NOINPUT;
        if (st == DIDQ_READ_CANCELLED || lc.cancelled) return stopped(err, errlen);
    }
    if (!t->o->no_prebuild) didq_session_prebuild_orders(t->s);
    show_preparing(t); /* the end of the load is part of it */
    /* the analyses run on while the first screen is shown (tui_background.c) */
    t->hold = tui_background_hold(t);
    didq_session_finish_background(t->s, t->hold);
    t->computing = !didq_session_analysis_ready(t->s);
    compare_old(t);
    tui_months_init(t);
    t->prepare_next = TUI_PANES; /* the other panes' aggregates: after the first screen */
    return -1;
}

static void mouse(tui *t)
{
    MEVENT ev;
    if (getmouse(&ev) != OK) return;
    tui_view *v = tui_top(t);
    if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        for (int i = 0; i < 3; i++)
            v->ops->key(t, v, ev.bstate & BUTTON4_PRESSED ? A_up : A_down);
        return;
    }
    if (ev.y == 1) { /* the tab bar: panes in order, widths from their names */
        int x = 0;
        for (int p = 1; p <= TUI_PANES; p++) {
            if (!tui_pane_shown(t, p, t->stack[0].pane)) continue;
            char tab[40];
            int w = tui_tab_label(t, p, t->stack[0].pane, tab, sizeof tab);
            if (ev.x >= x && ev.x < x + w) {
                tui_open_pane(t, p);
                return;
            }
            x += w;
        }
        return;
    }
    t->mouse_y = ev.y;
    t->mouse_x = ev.x;
    v->ops->key(t, v, A_click);
}

static void global_action(tui *t, tui_action a)
{
    switch (a) {
    case A_quit:
        t->quit = true;
        break;
    case A_quit_back:
    case A_back:
        if (t->depth > 1)
            tui_pop(t);
        else if (a == A_quit_back)
            t->quit = true;
        break;
    case A_next_pane:
    case A_prev_pane: {
        int p = t->stack[0].pane;
        for (int i = 0; i < TUI_PANES; i++) {
            p = (p - 1 + (a == A_next_pane ? 1 : TUI_PANES - 1)) % TUI_PANES + 1;
            if (tui_pane_shown(t, p, t->stack[0].pane)) break;
        }
        tui_open_pane(t, p);
        break;
    }
    case A_help:
        tui_push(t, &tui_help_ops, NULL, "Help");
        break;
    case A_mask:
        t->mask = !t->mask;
        tui_msg(t, "masking %s", t->mask ? "on" : "off");
        break;
    case A_report:
        tui_report(t);
        break;
    case A_fix:
        tui_fix_write(t);
        break;
    case A_export: {
        tui_view *v = tui_top(t);
        didq_list *l = v->ops->list ? v->ops->list(v) : NULL;
        char name[sizeof v->crumb_file + 96], ym[24]; /* Months lists other months too */
        if (t->mscope && t->stack[0].pane != TUI_MONTHS_PANE)
            snprintf(name, sizeof name, "%s%s%s %s", t->site, t->site[0] ? " " : "", v->crumb_file,
                     tui_month_name(t, ym));
        else
            snprintf(name, sizeof name, "%s%s%s", t->site, t->site[0] ? " " : "", v->crumb_file);
        if (l)
            tui_export(t, l, name);
        else if (!tui_export_table(t, v))
            tui_msg(t, "nothing to export here: only a list of records or a summary pane's table");
        break;
    }
    case A_redraw:
        clear();
        break;
    case A_suspend: /* reached from a key script only: a terminal's Ctrl-Z stops in tui_getkey */
        tui_msg(t, "Ctrl-Z suspends only on a terminal, not in a key script");
        break;
    case A_pane10:
        tui_open_pane(t, TUI_MONTHS_PANE);
        break;
    case A_sites:
        tui_open_pane(t, TUI_PANE_SITES);
        break;
    case A_month_prev:
    case A_month_next:
        tui_month_step(t, a == A_month_prev ? -1 : 1);
        break;
    case A_site:
        tui_site_pick(t);
        break;
    default:
        if (a >= A_pane1 && a <= A_pane9) tui_open_pane(t, (int)(a - A_pane1) + 1);
        if (a == A_changes) tui_open_pane(t, TUI_PANE_CHANGES);
        break;
    }
}

static void dispatch(tui *t, int c)
{
    if (c == KEY_RESIZE) return;
    if (c == KEY_MOUSE) {
        mouse(t);
        return;
    }
    if (tui_too_small()) {
        t->quit = c == 'q' || c == 'Q' || c == 3;
        return;
    }
    t->msg[0] = 0;
    if (c == TUI_KEY_PASTE) {
        tui_msg(t, "a paste is not taken as keys; paste into a prompt (/ search, e export)");
        return;
    }
    tui_view *v = tui_top(t);
    tui_action a = tui_lookup(v->ops->ctx, c);
    if (a == A_none) return;
    if (!v->ops->key(t, v, a)) global_action(t, a);
}

/* started: when tui_run began; the timing file's first line is the time
 * until the first screen was ready. */
static void loop(tui *t, double started)
{
    tui_draw_all(t);
    if (t->timing_fp) fprintf(t->timing_fp, "<first-screen>\t%.2f\n", now_ms() - started);
    while (!t->quit) {
        if (t->script && (t->computing || t->prepare_next > 0)) {
            tui_background_finish(t); /* a script sees every pane as before (not held) */
            tui_draw_all(t);
        }
        int c = tui_getkey(t);
        if (c == -1 || tui_signal_pending()) break;
        double t0 = now_ms();
        t->busy_since = t0;
        dispatch(t, c);
        if (t->quit) break;
        tui_background_poll(t, false);
        tui_draw_all(t);
        if (t->timing_fp)
            fprintf(t->timing_fp, "%s\t%.2f\n", t->script ? t->keytok : "key", now_ms() - t0);
    }
}

didq_session_opts tui_session_opts(const tui *t)
{
    return (didq_session_opts){.submitted = t->o->submitted,
                               .ref = t->o->ref,
                               .ref_label = t->o->ref_label,
                               .thresholds = t->o->thresholds,
                               .months = t->o->months,
                               .n_months = t->o->n_months,
                               .threads = t->o->threads};
}

static int setup(tui *t, char *err, size_t errlen)
{
    if (t->o->script && !(t->script_fp = fopen(t->o->script, "r")))
        return snprintf(err, errlen, "%s: cannot open key script", t->o->script), DIDQ_EXIT_NOINPUT;
    if (t->o->timing && didq_output_is_input(t->o->timing, err, errlen))
        return DIDQ_EXIT_CANTCREAT; /* --timing never replaces an input */
    if (t->o->timing && !(t->timing_fp = fopen(t->o->timing, "w")))
        return snprintf(err, errlen, "%s: cannot create", t->o->timing), DIDQ_EXIT_CANTCREAT;
    didq_session_opts so = tui_session_opts(t);
    so.values_in_file = true; /* read back from the files until taken (tui_background.c) */
    didq_mapped_guard();
    if (t->o->saved) {
        t->s = didq_session_open_saved(t->o->saved, t->o->thresholds, err, errlen);
        if (!t->s) return DIDQ_EXIT_NOINPUT;
    } else {
        t->s = didq_session_new(&so, err, errlen);
        if (!t->s) return DIDQ_EXIT_SOFTWARE;
    }
    if (t->o->notes) tui_notes_attach(t, t->o->notes, false);
    return tui_term_init(t, err, errlen);
}

int tui_run(const tui_opts *o)
{
    tui t = {.o = o, .mask = o->mask, .script = o->script != NULL};
    double started = now_ms();
    char err[512] = "";
    int st = setup(&t, err, sizeof err);
    if (st < 0) st = load_all(&t, err, sizeof err);
    if (st < 0) {
        if (!t.quit) { /* Ctrl-C while the panes were prepared */
            tui_open_pane(&t, 1);
            t.msg[0] = 0;
            loop(&t, started);
        }
        tui_close_all(&t);
        tui_months_free(&t);
        didq_dqmi_free(t.dqmi);
        st = tui_signal_pending() ? 128 + tui_signal_pending() : DIDQ_EXIT_OK;
        if (t.script_err[0]) {
            snprintf(err, sizeof err, "%s", t.script_err);
            st = t.script_status ? t.script_status : DIDQ_EXIT_USAGE;
        }
    }
    tui_term_end();
    if (err[0]) {
        fputs("didq: ", stderr);
        didq_text_fputs(stderr, err);
        fputc('\n', stderr);
    }
    didq_diff_free(t.diff);
    tui_fixes_end(&t);
    if (t.s) didq_session_free(t.s);
    tui_notes_end(&t);
    if (t.script_fp) fclose(t.script_fp);
    if (t.timing_fp) fclose(t.timing_fp);
    return st;
}
