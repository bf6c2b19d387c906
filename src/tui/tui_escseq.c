/* tui_escseq.c: the escape sequences a terminal sends for keys its terminfo
 * entry does not name, read after curses has given back a plain ESC.
 * vt100's entry has no kpp, knp, khome or kend, and xterm's no ESC[1~ and
 * ESC[4~ (tmux's Home and End), so PuTTY's PgDn (ESC[6~) came as Esc, '[',
 * '6' and '~': "back", then pane 6.  A CSI (ESC [) or SS3 (ESC O) sequence
 * whose bytes follow the ESC promptly is read whole (parameters and
 * intermediates to the final byte, at most TUI_ESC_MAX keys) and becomes the
 * curses key it stands for; any other complete sequence is dropped, never
 * run as keys.  An ESC with nothing after it within the escape delay is Esc
 * (back); an ESC followed by a key that starts no sequence (Alt+key) stays
 * Esc and then that key, as before. */
#include "tui_int.h"

#include <stddef.h>

/* A key named by its introducer ('[' CSI, 'O' SS3) and final byte alone. */
typedef struct esc_final {
    char intro, final;
    int key;
} esc_final;

static const esc_final finals[] = {
    {'[', 'A', KEY_UP},   {'[', 'B', KEY_DOWN},  {'[', 'C', KEY_RIGHT}, {'[', 'D', KEY_LEFT},
    {'[', 'H', KEY_HOME}, {'[', 'F', KEY_END},   {'[', 'Z', KEY_BTAB},  {'O', 'A', KEY_UP},
    {'O', 'B', KEY_DOWN}, {'O', 'C', KEY_RIGHT}, {'O', 'D', KEY_LEFT},  {'O', 'H', KEY_HOME},
    {'O', 'F', KEY_END},  {'O', 'M', KEY_ENTER}, {'O', 'P', KEY_F(1)},  {'O', 'Q', KEY_F(2)},
    {'O', 'R', KEY_F(3)}, {'O', 'S', KEY_F(4)},
};

/* ESC [ N ~ (VT220, PuTTY, rxvt, the Linux console, tmux). */
typedef struct esc_tilde {
    int n, key;
} esc_tilde;

static const esc_tilde tildes[] = {
    {1, KEY_HOME},  {2, KEY_IC},    {3, KEY_DC},     {4, KEY_END},    {5, KEY_PPAGE},
    {6, KEY_NPAGE}, {7, KEY_HOME},  {8, KEY_END},    {11, KEY_F(1)},  {12, KEY_F(2)},
    {13, KEY_F(3)}, {14, KEY_F(4)}, {15, KEY_F(5)},  {17, KEY_F(6)},  {18, KEY_F(7)},
    {19, KEY_F(8)}, {20, KEY_F(9)}, {21, KEY_F(10)}, {23, KEY_F(11)}, {24, KEY_F(12)},
};

static bool is_param(int c)
{
    return c >= 0x30 && c <= 0x3F;
}

static bool is_inter(int c)
{
    return c >= 0x20 && c <= 0x2F;
}

static bool is_final(int c)
{
    return c >= 0x40 && c <= 0x7E;
}

static int final_key(int intro, int final)
{
    for (size_t i = 0; i < sizeof finals / sizeof *finals; i++)
        if (finals[i].intro == intro && finals[i].final == final) return finals[i].key;
    return TUI_ESC_DROP;
}

/* ESC [ N ~ with N the np keys of p (digits only: a modifier, "5;5", is a
 * key the explorer has no use for). */
static int tilde_key(const int *p, size_t np)
{
    int n = 0;
    if (np == 0 || np > 2) return TUI_ESC_DROP;
    for (size_t i = 0; i < np; i++) {
        if (p[i] < '0' || p[i] > '9') return TUI_ESC_DROP;
        n = n * 10 + (p[i] - '0');
    }
    for (size_t i = 0; i < sizeof tildes / sizeof *tildes; i++)
        if (tildes[i].n == n) return tildes[i].key;
    return TUI_ESC_DROP;
}

/* The Linux console's F1 to F5: ESC [ [ A to ESC [ [ E. */
static int linux_fkey(const int *seq, size_t n)
{
    if (n < 3) return TUI_ESC_MORE;
    if (seq[2] >= 'A' && seq[2] <= 'E') return KEY_F(1) + (seq[2] - 'A');
    return is_final(seq[2]) ? TUI_ESC_DROP : TUI_ESC_BROKEN;
}

/* A complete sequence: seq[0] its introducer, seq[n - 1] its final byte. */
static int complete_key(const int *seq, size_t n)
{
    if (n == 2) return final_key(seq[0], seq[1]);
    if (seq[0] == '[' && seq[n - 1] == '~') return tilde_key(seq + 1, n - 2);
    return TUI_ESC_DROP; /* modified keys (ESC[1;5A), mouse reports, replies */
}

int tui_esc_decode(const int *seq, size_t n)
{
    if (n == 0) return TUI_ESC_MORE;
    if (seq[0] != '[' && seq[0] != 'O') return TUI_ESC_BROKEN;
    if (n >= 2 && seq[0] == '[' && seq[1] == '[') return linux_fkey(seq, n);
    bool inter = false; /* intermediates seen: no parameter after them */
    for (size_t i = 1; i < n; i++) {
        int c = seq[i];
        if (is_final(c)) return i == n - 1 ? complete_key(seq, n) : TUI_ESC_BROKEN;
        if (is_inter(c))
            inter = true;
        else if (!is_param(c) || inter)
            return TUI_ESC_BROKEN;
    }
    return n >= TUI_ESC_MAX ? TUI_ESC_DROP : TUI_ESC_MORE;
}

/* Keys read after the ESC that make no sequence: the first `inside` of
 * them began one, the rest did not.  With the introducer at most (ESC
 * alone, Alt+key, Alt+[) the ESC is Esc and the keys come again after it,
 * in their order; a longer start of a sequence, cut short, is dropped and
 * only the keys after it come again. */
static int no_sequence(const int *seq, size_t n, size_t inside)
{
    size_t from = inside <= 1 ? 0 : inside;
    for (size_t i = n; i > from; i--)
        ungetch(seq[i - 1]);
    return inside <= 1 ? 27 : TUI_ESC_DROP;
}

int tui_esc_key(void)
{
    int seq[TUI_ESC_MAX];
    size_t n = 0;
    timeout(get_escdelay()); /* the delay curses waited after the ESC */
    for (;;) {
        int c = getch();
        if (c == ERR) return no_sequence(seq, n, n);
        seq[n++] = c;
        int k = tui_esc_decode(seq, n);
        if (k == TUI_ESC_BROKEN) return no_sequence(seq, n, n - 1);
        if (k != TUI_ESC_MORE) return k;
    }
}
