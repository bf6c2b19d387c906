/* tui_background.c: the first screen before the analyses end.  After a
 * load the explorer shows the Overview as soon as the load's own counts
 * exist (didq_session_finish_background): the anomaly analyses (and with
 * them timeliness, coverage, the months, the per-site figures and the
 * DQMI-style score, which count anomalies) run on a thread of their own.
 * Meanwhile a pane that needs them (7, 8, 9, 0 Months, W Sites) shows a
 * "computing" page, and the Overview its per-site table and score line as
 * "computing"; never a number counted from part of the records.  The key
 * loop looks every 100 ms while no key comes (tui_getkey) and after every
 * key: once they have ended, those fill in, and the other panes are made
 * one per idle moment (their aggregates, so that a pane switch costs
 * drawing only).  A key that needs the analyses (a report, a month step)
 * waits for them (didq_session_analysis).  In a key script every key
 * waits until all is done, so that scripts see what they saw before.
 * After the analyses the values read back from the files become the
 * session's own (didq_session_take_values); until that has ended, a file
 * found changed since its load (compared at each poll) is said in the
 * header and the footer, and outputs are refused (tui_inputs_refuse).
 * Tests only: DIDQ_TEST_HOLD_ANALYSES=1 holds the analyses until a key
 * script's :release-analyses, DIDQ_TEST_DELAY_ANALYSES=MS on a terminal
 * for MS milliseconds, to show the "computing" state. */
#include "tui_int.h"

#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool needs_analysis(int pane)
{
    return pane == 7 || pane == 8 || pane == 9 || pane == TUI_MONTHS_PANE || pane == TUI_PANE_SITES;
}

static void cp_draw(tui *t, tui_view *v, int y, int h)
{
    (void)v;
    int n = tui_wrap(t, y + 1, 2, COLS - 4, h > 2 ? h - 2 : 1, 0,
                     "Computing: the anomaly analyses (timeliness, coverage, anomalies, months, "
                     "per-site figures and the DQMI-style score) are still running.",
                     A_BOLD);
    if (y + 2 + n < y + h)
        tui_wrap(t, y + 2 + n, 2, COLS - 4, h - 2 - n, 0,
                 "This pane fills in when they end; the other panes work meanwhile.", A_NORMAL);
}

static bool cp_key(tui *t, tui_view *v, tui_action a)
{
    (void)t, (void)v;
    return a == A_click;
}

const tui_view_ops tui_computing_ops = {
    .name = "Computing",
    .ctx = "table",
    .draw = cp_draw,
    .key = cp_key,
    .keys = "computing: fills in when the analyses end",
};

bool tui_pane_computing(tui *t, int pane)
{
    if (!t->computing || !needs_analysis(pane)) return false;
    tui_push(t, &tui_computing_ops, NULL, tui_panes[pane - 1]->name);
    t->stack[0].pane = pane;
    return true;
}

/* The analyses have ended: the pane shown, a "computing" page, becomes
 * the pane (only at the top: a view over it, the help, waits); those
 * kept aside are dropped, made again when shown. */
static void fill_in(tui *t)
{
    for (int p = 0; p < TUI_PANES; p++)
        if (t->cache[p].ops == &tui_computing_ops) tui_view_close(&t->cache[p]);
    if (t->depth == 1 && t->stack[0].ops == &tui_computing_ops) {
        int pane = t->stack[0].pane;
        tui_view_close(&t->stack[0]);
        t->depth = 0;
        tui_push(t, tui_panes[pane - 1], NULL, NULL);
        t->stack[0].pane = pane;
    }
    tui_view *ov = t->stack[0].pane == 1 ? &t->stack[0] : &t->cache[0];
    if (ov->ops == &tui_overview_ops) tui_overview_fill(t, ov);
}

/* Makes the aggregates of one pane not made yet (not Months: when
 * asked); false when none is left. */
static bool prepare_one(tui *t)
{
    if (t->depth != 1) return false; /* later, on a pane alone */
    int cur = t->stack[0].pane;
    for (; t->prepare_next >= 1; t->prepare_next--) {
        int p = t->prepare_next;
        if (p == cur || p == TUI_MONTHS_PANE || !tui_pane_present(t, p) || t->cache[p - 1].ops)
            continue;
        t->prepare_next--;
        tui_open_pane(t, p);
        tui_open_pane(t, cur);
        return true;
    }
    return false;
}

/* A file changed under the explorer: said in the footer, and in the
 * header for as long as the explorer is open. */
static void input_changed(tui *t, const char *why)
{
    tui_msg(t, "Nothing is written: a file changed while it was read (quit, open it again). %s",
            why);
    t->input_changed = true;
}

/* The values read back from the files become the session's own once the
 * analyses have ended (not to slow them, nor the first screen), so that
 * the files may then change while the explorer is open; then the files'
 * last comparison (didq_session_values_taken).  Until then (and for good
 * if memory runs short for the copy) the files are compared at each poll,
 * an fstat each, so that a change is said at once.  True: something to
 * draw. */
static bool watch_values(tui *t, bool wait)
{
    bool draw = false;
    if (t->take == 0 && !t->computing && !t->hold) {
        didq_session_take_values(t->s);
        t->take = 1;
    }
    if (t->take == 1 && didq_session_values_taken(t->s, wait)) {
        t->take = 2;
        if (didq_session_reads_files(t->s)) {
            tui_msg(t, "Not enough memory to copy the files' values: they are still read from "
                       "the files, so leave them as they are while the explorer is open");
            draw = true;
        }
    }
    char err[512];
    if (!t->input_changed && didq_session_inputs_changed(t->s, err, sizeof err)) {
        input_changed(t, err);
        draw = true;
    }
    return draw;
}

bool tui_inputs_refuse(tui *t)
{
    char err[512];
    if (!didq_session_inputs_changed(t->s, err, sizeof err)) return false;
    input_changed(t, err); /* the message again, whatever was shown since */
    return true;
}

bool tui_background_poll(tui *t, bool idle)
{
    if (t->hold && !t->script && now_ms() >= t->release_at) tui_background_release(t);
    bool draw = false;
    if (t->computing && didq_session_analysis_ready(t->s)) {
        t->computing = false;
        draw = true; /* what waited for them fills in */
    }
    draw |= watch_values(t, false);
    if (t->computing) return draw;
    fill_in(t);
    return (idle && t->prepare_next >= 1 && prepare_one(t)) || draw;
}

void tui_background_finish(tui *t)
{
    if (t->hold) return;
    if (t->computing) {
        didq_session_analysis(t->s);
        t->computing = false;
    }
    watch_values(t, true);
    fill_in(t);
    while (t->prepare_next >= 1 && prepare_one(t) && t->depth == 1)
        ;
}

void tui_background_release(tui *t)
{
    t->hold = false;
    didq_session_analysis_release(t->s);
}

bool tui_background_hold(tui *t)
{
    const char *h = getenv(t->script ? "DIDQ_TEST_HOLD_ANALYSES" : "DIDQ_TEST_DELAY_ANALYSES");
    double ms = h ? strtod(h, NULL) : 0;
    t->release_at = now_ms() + ms;
    return ms > 0;
}
