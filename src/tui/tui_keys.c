/* tui_keys.c: the keymap is data (refdata/tui/keys.csv): key names, the
 * context they apply in, the action and its help text.  Help and the man
 * page are generated from the same table. */
#include "didq/table.h"
#include "didq/util.h"
#include "tui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TUI_NAME(a) #a,
static const char *const action_names[] = {TUI_ACTIONS(TUI_NAME)};
#undef TUI_NAME

typedef struct tui_keyname {
    const char *name;
    int code;
} tui_keyname;

static const tui_keyname keynames[] = {
    {"Down", KEY_DOWN},
    {"Up", KEY_UP},
    {"Left", KEY_LEFT},
    {"Right", KEY_RIGHT},
    {"PgDn", KEY_NPAGE},
    {"PgUp", KEY_PPAGE},
    {"Home", KEY_HOME},
    {"End", KEY_END},
    {"Enter", '\r'},
    {"Esc", 27},
    {"Backspace", KEY_BACKSPACE},
    {"Tab", '\t'},
    {"S-Tab", KEY_BTAB},
    {"F1", KEY_F(1)},
    {"Space", ' '},
    {"C-c", 3},
    {"C-l", 12},
    {"C-f", 6},
    {"C-b", 2},
    {"C-u", 21},
    {"C-d", 4},
    {"C-z", TUI_KEY_SUSPEND},
    {"Resize", KEY_RESIZE},
    {"lt", '<'},
    {"colon", ':'}, /* a key script's line that starts with ':' is a command */
};

int tui_keyname_code(const char *name, size_t n)
{
    if (n == 1) return (unsigned char)name[0];
    for (size_t i = 0; i < sizeof keynames / sizeof *keynames; i++)
        if (strlen(keynames[i].name) == n && strncmp(keynames[i].name, name, n) == 0)
            return keynames[i].code;
    return -1;
}

typedef struct keybind {
    int code;
    tui_action action;
} keybind;

static tui_keyrow *rows;
static keybind *binds;
static size_t nrows;
static didq_table *table;

static tui_action action_of(const char *name)
{
    for (int a = 0; a < A_COUNT; a++)
        if (strcmp(action_names[a], name) == 0) return (tui_action)a;
    didq_die("internal error: keys.csv names unknown action '%s'", name);
}

static int parse_key(const char *k)
{
    size_t n = strlen(k);
    if (n > 2 && k[0] == '<' && k[n - 1] == '>') return tui_keyname_code(k + 1, n - 2);
    return n == 1 ? (unsigned char)k[0] : -1;
}

static void load_keymap(void)
{
    if (table) return;
    table = didq_table_embedded("tui/keys.csv");
    rows = didq_xcalloc(table->nrows, sizeof *rows);
    binds = didq_xcalloc(table->nrows, sizeof *binds);
    for (size_t r = 0; r < table->nrows; r++) {
        rows[r] =
            (tui_keyrow){table->cells[r * table->ncols], table->cells[r * table->ncols + 1],
                         table->cells[r * table->ncols + 2], table->cells[r * table->ncols + 3]};
        binds[r].code = parse_key(rows[r].key);
        if (binds[r].code < 0)
            didq_die("internal error: keys.csv has unknown key '%s'", rows[r].key);
        binds[r].action = action_of(rows[r].action);
    }
    nrows = table->nrows;
}

size_t tui_keymap(const tui_keyrow **out)
{
    load_keymap();
    *out = rows;
    return nrows;
}

static bool same_key(int a, int b)
{
    if (a == b) return true;
    bool ea = a == '\r' || a == '\n' || a == KEY_ENTER;
    bool eb = b == '\r' || b == '\n' || b == KEY_ENTER;
    bool ba = a == KEY_BACKSPACE || a == 127 || a == 8;
    bool bb = b == KEY_BACKSPACE || b == 127 || b == 8;
    return (ea && eb) || (ba && bb);
}

static tui_action find(const char *ctx, int key)
{
    for (size_t r = 0; r < nrows; r++)
        if (strcmp(rows[r].ctx, ctx) == 0 && same_key(binds[r].code, key)) return binds[r].action;
    return A_none;
}

tui_action tui_lookup(const char *ctx, int key)
{
    load_keymap();
    tui_action a = A_none;
    for (const char *p = ctx; p && *p && a == A_none;) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        char one[32];
        snprintf(one, sizeof one, "%.*s", (int)n, p);
        a = find(one, key);
        p = sp ? sp + 1 : NULL;
    }
    return a != A_none ? a : find("global", key);
}

void tui_print_keys(void)
{
    load_keymap();
    for (size_t r = 0; r < nrows; r++)
        printf("%s\t%s\t%s\n", rows[r].key, rows[r].ctx, rows[r].help);
}

/* The rest of a bracketed paste, to its end marker (or half a second of
 * silence): its first line kept in t->paste, the rest dropped (a line
 * break in a paste never acts as Enter). */
static void read_paste(tui *t)
{
    size_t n = 0;
    bool line_done = false;
    timeout(500);
    for (;;) {
        int c = getch();
        if (c == ERR || c == TUI_KEY_PASTE_END) break;
        if (c == '\r' || c == '\n') {
            line_done = true;
            continue;
        }
        if (!line_done && c >= 0x20 && c < 0x7F && n + 1 < sizeof t->paste) t->paste[n++] = (char)c;
    }
    t->paste[n] = 0;
}

int tui_getkey(tui *t)
{
    if (t->script) return tui_script_key(t);
    for (;;) {
        if (tui_signal_pending()) return 3;
        timeout(100);
        int c = getch();
        if (c == 27) c = tui_esc_key(); /* a key terminfo does not name, or Esc */
        if (c == TUI_ESC_DROP) continue;
        if (c == TUI_KEY_SUSPEND) {
            tui_suspend(t);
            return KEY_RESIZE; /* the screen is drawn again */
        }
        if (c == TUI_KEY_PASTE_BEGIN) {
            read_paste(t);
            return TUI_KEY_PASTE;
        }
        if (c != ERR && c != TUI_KEY_PASTE_END) return c;
        if (c == ERR && tui_terminal_gone()) return 3;
        if (c == ERR && tui_background_poll(t, true)) return KEY_RESIZE; /* drawn again */
    }
}

static void prompt_line(tui *t, const char *q, const char *buf)
{
    char line[512];
    snprintf(line, sizeof line, "%s%s", q, buf);
    tui_put_tail(t, LINES - 1, 0, COLS, line, tui_attr(t, S_HEADER)); /* the end being typed */
    doupdate();
    refresh();
}

/* Appends s to the prompt's buf (n bytes of len); returns the new length. */
static size_t add_text(char *buf, size_t n, size_t len, const char *s)
{
    snprintf(buf + n, len - n, "%s", s);
    return strlen(buf);
}

bool tui_prompt(tui *t, const char *question, char *buf, size_t len)
{
    size_t n = strlen(buf);
    for (;;) {
        prompt_line(t, question, buf);
        int c = tui_getkey(t);
        if (c == 27 || c == 3 || c == -1) return false;
        if (c == '\r' || c == '\n' || c == KEY_ENTER) return true;
        if ((c == KEY_BACKSPACE || c == 127 || c == 8) && n > 0)
            buf[--n] = 0;
        else if (c == 21) /* C-u */
            buf[n = 0] = 0;
        else if (c == KEY_RESIZE)
            tui_draw_all(t);
        else if (c == TUI_KEY_PASTE) /* text, never keys: Enter must be typed */
            n = add_text(buf, n, len, t->paste);
        else if (c >= 0x20 && c < 0x7F && n + 1 < len) {
            buf[n++] = (char)c;
            buf[n] = 0;
        }
    }
}

bool tui_prompt_number(tui *t, const char *question, int64_t *n)
{
    char buf[24] = "";
    if (!tui_prompt(t, question, buf, sizeof buf) || !buf[0]) return false;
    char *end;
    long long v = strtoll(buf, &end, 10);
    if (*end || v < 1 || buf[0] == '-' || buf[0] == '+') {
        tui_msg(t, "'%s' is not a line number (1 or more)", buf);
        return false;
    }
    *n = v;
    return true;
}

bool tui_confirm(tui *t, const char *question, bool dflt)
{
    for (;;) {
        prompt_line(t, question, dflt ? " [Y/n] " : " [y/N] ");
        int c = tui_getkey(t);
        if (c == 'y' || c == 'Y') return true;
        if (c == 'n' || c == 'N' || c == 27 || c == 3 || c == -1) return false;
        if (c == '\r' || c == '\n' || c == KEY_ENTER) return dflt;
        if (c == KEY_RESIZE) tui_draw_all(t);
    }
}
