/* test_tui_escseq.c: the escape sequences the explorer reads itself when
 * terminfo does not name them (tui_escseq.c): each well-known one, fed a
 * key at a time as tui_esc_key feeds them, is its curses key (PgUp, PgDn,
 * Home, End in their VT220, xterm and rxvt forms, arrows, Shift-Tab, Insert,
 * Delete, F1 to F4 as PuTTY, xterm and the Linux console send them); other
 * complete sequences are dropped, an ESC followed by anything else is not a
 * sequence, and no sequence is read past TUI_ESC_MAX keys. */
#include "testlib.h"
#include "tui_int.h"

/* The decoder's answer once the whole of s (the bytes after ESC) is read;
 * every shorter start of it must ask for more, as a terminal's bytes arrive
 * one getch at a time. */
static int decode(const char *s)
{
    int seq[TUI_ESC_MAX];
    size_t n = strlen(s);
    for (size_t i = 0; i < n && i < TUI_ESC_MAX; i++)
        seq[i] = (unsigned char)s[i];
    for (size_t i = 1; i < n; i++) {
        int k = tui_esc_decode(seq, i);
        if (k != TUI_ESC_MORE) return k == TUI_ESC_BROKEN ? TUI_ESC_BROKEN : -100 - (int)i;
    }
    return tui_esc_decode(seq, n);
}

static void check_key(const char *s, int want)
{
    int got = decode(s);
    CHECK(got == want, "ESC %s: %d, want %d", s, got, want);
}

static void known(void)
{
    static const struct {
        const char *seq;
        int key;
    } cases[] = {
        {"[5~", KEY_PPAGE}, {"[6~", KEY_NPAGE},  {"[1~", KEY_HOME},  {"[4~", KEY_END},
        {"[7~", KEY_HOME},  {"[8~", KEY_END},    {"[H", KEY_HOME},   {"[F", KEY_END},
        {"OH", KEY_HOME},   {"OF", KEY_END},     {"[A", KEY_UP},     {"[B", KEY_DOWN},
        {"[C", KEY_RIGHT},  {"[D", KEY_LEFT},    {"OA", KEY_UP},     {"OB", KEY_DOWN},
        {"OC", KEY_RIGHT},  {"OD", KEY_LEFT},    {"[Z", KEY_BTAB},   {"[2~", KEY_IC},
        {"[3~", KEY_DC},    {"OP", KEY_F(1)},    {"OQ", KEY_F(2)},   {"OR", KEY_F(3)},
        {"OS", KEY_F(4)},   {"[11~", KEY_F(1)},  {"[12~", KEY_F(2)}, {"[[A", KEY_F(1)},
        {"[[E", KEY_F(5)},  {"[24~", KEY_F(12)}, {"OM", KEY_ENTER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_key(cases[i].seq, cases[i].key);
}

/* Complete sequences of no key the explorer uses: read whole, dropped. */
static void dropped(void)
{
    static const char *const cases[] = {
        "[1;5A",  "[5;5~", "[6;2~", "[200~", "[99~", "[0~", "[E", "[<0;10;5M",
        "[?1;2c", "O5P",   "[1;2H", "Oq",    "[ q",  "[[Z", "[M", "[3$~",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_key(cases[i], TUI_ESC_DROP);
}

/* Keys that cannot continue a sequence: the ESC was not one (Alt+key), or
 * the sequence was broken off by the last key. */
static void broken(void)
{
    static const char *const cases[] = {"j",     "6",     "\x1b",   "[\x1b", "[6\x1b",
                                        "[1;\r", "O\x7f", "[1;5 3", "[[\x01"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_key(cases[i], TUI_ESC_BROKEN);
    int seq[2] = {'[', KEY_UP}; /* a key curses decoded is no byte of a sequence */
    CHECK(tui_esc_decode(seq, 2) == TUI_ESC_BROKEN, "ESC [ KEY_UP");
    CHECK(tui_esc_decode(seq, 0) == TUI_ESC_MORE, "nothing read yet");
    CHECK(tui_esc_decode(seq, 1) == TUI_ESC_MORE, "ESC [ alone");
}

/* Parameters without end: dropped at TUI_ESC_MAX keys, never read on. */
static void bounded(void)
{
    int seq[TUI_ESC_MAX];
    seq[0] = '[';
    for (size_t i = 1; i < TUI_ESC_MAX; i++)
        seq[i] = '1';
    for (size_t n = 1; n < TUI_ESC_MAX; n++)
        CHECK(tui_esc_decode(seq, n) == TUI_ESC_MORE, "ESC [ and %zu digits", n - 1);
    CHECK(tui_esc_decode(seq, TUI_ESC_MAX) == TUI_ESC_DROP, "the longest sequence read");
}

int main(void)
{
    known();
    dropped();
    broken();
    bounded();
    return test_done();
}
