/* tui_term.c: terminal set-up and restore on every exit path, signals
 * (handlers only set a flag, but for an input file cut short under the
 * explorer: mapped.h's guard restores the terminal with what was made
 * ready for it here, then exits), colours and attributes. */
#include "didq/mapped.h"
#include "didq/util.h"
#include "tui_int.h"

#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t pending_signal;
static bool term_active;
static SCREEN *term_screen;
static FILE *term_out, *term_in;
static const char *paste_on, *paste_off; /* terminfo BE and BD, or NULL */
static struct termios fault_tio;         /* the terminal's modes before didq */
static bool fault_tio_ok;
static char fault_seq[512]; /* what ends the explorer's screen modes, for fault_restore */
static size_t fault_len;

static void on_signal(int sig)
{
    pending_signal = sig;
}

int tui_signal_pending(void)
{
    return pending_signal;
}

bool tui_terminal_gone(void)
{
    if (!term_active || term_in) return false; /* a script's screen has no terminal */
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    if (poll(&p, 1, 0) < 0 || !(p.revents & (POLLHUP | POLLERR | POLLNVAL))) return false;
    pending_signal = SIGHUP; /* ends the explorer as a hangup does (exit 129) */
    return true;
}

/* A terminfo string capability, or NULL if the terminal has none. */
static const char *cap(const char *name)
{
    char *s = tigetstr(name);
    return s && s != (char *)-1 && *s ? s : NULL;
}

void tui_bracketed_paste(bool on)
{
    const char *seq = on ? paste_on : paste_off;
    if (!term_active || !seq) return;
    putp(seq);
    fflush(stdout);
}

/* The terminal's paste markers (terminfo PS and PE, ESC[200~ and ESC[201~
 * on xterm and tmux) become keys; without them no paste is bracketed. */
static void set_up_paste(void)
{
    const char *ps = cap("PS"), *pe = cap("PE");
    paste_on = cap("BE");
    paste_off = cap("BD");
    if (!ps || !pe || !paste_on || !paste_off) {
        paste_on = paste_off = NULL;
        return;
    }
    define_key(ps, TUI_KEY_PASTE_BEGIN);
    define_key(pe, TUI_KEY_PASTE_END);
    tui_bracketed_paste(true);
}

void tui_term_end(void)
{
    didq_mapped_on_fault(NULL);
    if (!term_active) return;
    tui_bracketed_paste(false);
    term_active = false;
    endwin();
    delscreen(term_screen);
    term_screen = NULL;
    if (term_out) fclose(term_out);
    if (term_in) fclose(term_in);
    term_out = term_in = NULL;
}

/* A fatal error, often out of memory: restore the terminal modes and
 * screen (endwin) but free nothing.  delscreen() allocates while it frees
 * (ncurses' tparm cache), and with malloc failing it crashed before the
 * message came out. */
static void die_hook(void)
{
    if (!term_active) return;
    tui_bracketed_paste(false);
    term_active = false;
    endwin();
    if (term_out) fflush(term_out);
    fflush(stdout);
}

/* In mapped.h's SIGBUS handler (an input cut short while its values are
 * read): the terminal's modes and screen as they were, with
 * async-signal-safe calls only (write, tcsetattr, open, dup2).  Standard
 * output then goes to /dev/null, so that another thread drawing meanwhile
 * cannot write over the restored screen before the process ends. */
static void fault_restore(void)
{
    if (fault_len) {
        ssize_t w = write(STDOUT_FILENO, fault_seq, fault_len);
        (void)w;
    }
    if (fault_tio_ok) tcsetattr(STDIN_FILENO, TCSANOW, &fault_tio);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, STDOUT_FILENO);
}

/* A terminfo string without its padding ($<2>: a delay, which tputs
 * turns into time, not bytes). */
static void fault_add(const char *seq)
{
    for (; seq && *seq && fault_len + 1 < sizeof fault_seq; seq++) {
        const char *end = seq[0] == '$' && seq[1] == '<' ? strchr(seq, '>') : NULL;
        if (end) {
            seq = end;
            continue;
        }
        fault_seq[fault_len++] = *seq;
    }
}

/* The strings that end what tui_term_init starts (bracketed paste, the
 * mouse, keypad mode, attributes, the hidden cursor, the alternate
 * screen), made once: the handler cannot ask terminfo. */
static void ready_fault_restore(bool mouse)
{
    fault_len = 0;
    fault_add("\030"); /* CAN: ends an escape sequence ncurses had begun */
    fault_add(paste_off);
    const char *xm = cap("XM");
    if (mouse) fault_add(xm ? tiparm(xm, 0) : cap("kmous") ? "\033[?1000l" : NULL);
    fault_add(cap("rmkx"));
    fault_add(cap("sgr0"));
    fault_add(cap("cnorm"));
    /* without an alternate screen the message starts on a line of its own */
    fault_add(cap("rmcup") ? cap("rmcup") : "\r\n");
    didq_mapped_on_fault(fault_restore);
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
}

static bool want_color(const tui *t)
{
    if (t->o->color == TUI_COLOR_NEVER) return false;
    if (t->o->color == TUI_COLOR_AUTO) {
        const char *nc = getenv("NO_COLOR");
        if (nc && *nc) return false;
    }
    return has_colors();
}

static void init_colors(tui *t)
{
    t->color = want_color(t);
    if (!t->color) return;
    start_color();
    use_default_colors();
    init_pair(S_HEADER, COLOR_WHITE, COLOR_BLUE);
    init_pair(S_SELECT, COLOR_BLACK, COLOR_CYAN);
    init_pair(S_ERROR, COLOR_RED, -1);
    init_pair(S_WARN, COLOR_YELLOW, -1);
    init_pair(S_OK, COLOR_GREEN, -1);
    init_pair(S_DIM, COLOR_BLUE, -1);
    init_pair(S_TAB, COLOR_BLACK, COLOR_WHITE);
    init_pair(S_TITLE, COLOR_CYAN, -1);
}

attr_t tui_attr(const tui *t, enum tui_style st)
{
    static const attr_t mono[] = {
        [S_NORMAL] = A_NORMAL, [S_HEADER] = A_REVERSE,       [S_SELECT] = A_REVERSE,
        [S_ERROR] = A_BOLD,    [S_WARN] = A_NORMAL,          [S_OK] = A_NORMAL,
        [S_DIM] = A_NORMAL,    [S_TAB] = A_REVERSE | A_BOLD, [S_TITLE] = A_BOLD,
    };
    if (!t->color || st == S_NORMAL) return mono[st];
    return COLOR_PAIR(st) | (st == S_ERROR || st == S_TITLE || st == S_TAB ? A_BOLD : 0);
}

static bool open_screen(tui *t, char *err, size_t errlen)
{
    const char *term = getenv("TERM");
    if (t->script) {
        term_out = fopen("/dev/null", "w");
        term_in = fopen("/dev/null", "r");
        if (!term_out || !term_in) {
            snprintf(err, errlen, "cannot open /dev/null");
            return false;
        }
        use_env(FALSE);
        term_screen = newterm(term && *term ? term : "xterm", term_out, term_in);
        if (!term_screen) term_screen = newterm("xterm", term_out, term_in);
    } else {
        fault_tio_ok = tcgetattr(STDIN_FILENO, &fault_tio) == 0;
        term_screen = newterm(NULL, stdout, stdin);
    }
    if (!term_screen) {
        snprintf(err, errlen, "cannot use terminal type '%s'", term ? term : "(unset)");
        return false;
    }
    set_term(term_screen);
    return true;
}

/* A terminal that cannot move the cursor (TERM=dumb, an emulator without
 * cup) would show a blank screen and wait: refused with a pointer to check. */
static bool can_address(const char *term, char *err, size_t errlen)
{
    if (cap("cup")) return true;
    snprintf(err, errlen,
             "terminal type '%s' cannot move the cursor, which the explorer needs; set TERM "
             "to your terminal's type, or use 'didq check FILE' for a report",
             term && *term ? term : "(unset)");
    endwin();
    delscreen(term_screen);
    term_screen = NULL;
    return false;
}

int tui_term_init(tui *t, char *err, size_t errlen)
{
    if (!open_screen(t, err, errlen)) return DIDQ_EXIT_USAGE;
    if (!t->script && !can_address(getenv("TERM"), err, errlen)) return DIDQ_EXIT_USAGE;
    term_active = true;
    t->screen = term_screen;
    didq_die_hook = die_hook;
    catch_signals();
    const char *cs = nl_langinfo(CODESET);
    t->utf8 = cs && strcmp(cs, "UTF-8") == 0;
    if (t->script) resizeterm(t->o->rows > 0 ? t->o->rows : 24, t->o->cols > 0 ? t->o->cols : 80);
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    init_colors(t);
    if (!t->o->no_mouse && !t->script)
        mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    if (!t->script) set_up_paste();
    if (!t->script) ready_fault_restore(!t->o->no_mouse);
    return -1;
}

void tui_suspend(tui *t)
{
    if (t->script || !term_active) return;
    tui_bracketed_paste(false);
    endwin(); /* the terminal as it was before didq */
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGTSTP, &dfl, &old);
    raise(SIGTSTP); /* stopped here until SIGCONT (fg) */
    sigaction(SIGTSTP, &old, NULL);
    refresh(); /* back to the explorer's modes */
    tui_bracketed_paste(true);
    clearok(curscr, TRUE); /* the next refresh repaints every cell */
}

bool tui_too_small(void)
{
    return COLS < 80 || LINES < 24;
}
