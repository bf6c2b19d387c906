/* tui_help.c: every key binding, generated from the keymap table
 * (refdata/tui/keys.csv); nothing here is written by hand per key. */
#include "tui_int.h"

#include <string.h>

typedef struct help {
    int top;   /* first line of the help shown */
    int shown; /* lines of it on the screen (each wrapped to as many rows as it takes) */
} help;

/* Where a key's text starts: under it, the text of a line too long wraps. */
enum { HELP_X = 1, TEXT_INDENT = 25 };

static const char *ctx_title(const char *ctx)
{
    static const struct {
        const char *ctx, *title;
    } titles[] = {
        {"global", "Everywhere"},
        {"table", "Tables (panes 1 to 5, 7 to 9, C)"},
        {"records", "Lists of records"},
        {"columns", "Choosing columns (c in a list)"},
        {"completeness", "Completeness pane"},
        {"settings", "Source settings pane"},
        {"timeliness", "Timeliness pane"},
        {"coverage", "Coverage pane"},
        {"detail", "Record detail"},
        {"anomalies", "Anomalies pane"},
        {"validation", "Validation pane"},
    };
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
        if (strcmp(titles[i].ctx, ctx) == 0) return titles[i].title;
    return ctx;
}

/* Line k of the help: a context title or "key  help" (keys of the same
 * action and help text share a line). */
static bool help_line(int k, char *buf, size_t len, bool *title)
{
    const tui_keyrow *rows;
    size_t n = tui_keymap(&rows);
    int line = 0;
    for (size_t r = 0; r < n; r++) {
        bool first = r == 0 || strcmp(rows[r].ctx, rows[r - 1].ctx) != 0;
        if (first && line++ == k) {
            snprintf(buf, len, "%s", ctx_title(rows[r].ctx));
            return *title = true;
        }
        if (r > 0 && !first && strcmp(rows[r].help, rows[r - 1].help) == 0) continue;
        if (line++ != k) continue;
        char keys[64];
        size_t kn = (size_t)snprintf(keys, sizeof keys, "%s", rows[r].key);
        for (size_t s = r + 1; s < n && strcmp(rows[s].ctx, rows[r].ctx) == 0 &&
                               strcmp(rows[s].help, rows[r].help) == 0 && kn < sizeof keys;
             s++)
            kn += (size_t)snprintf(keys + kn, sizeof keys - kn, " %s", rows[s].key);
        snprintf(buf, len, "  %-22s %s", keys, rows[r].help);
        *title = false;
        return true;
    }
    return false;
}

/* Each line wrapped under its text, never cut: a line that does not fit
 * below the others starts the next page (one taller than the screen is
 * marked where it is cut). */
static void he_draw(tui *t, tui_view *v, int y, int h)
{
    help *hp = v->st;
    hp->shown = 0;
    for (int row = 0; row < h; hp->shown++) {
        char line[256];
        bool title;
        if (!help_line(hp->top + hp->shown, line, sizeof line, &title)) break;
        int n = tui_wrap(t, -1, HELP_X, COLS - HELP_X, 0, TEXT_INDENT, line, A_NORMAL);
        if (row + n > h && hp->shown > 0) break; /* on the next page, whole */
        row += tui_wrap(t, y + row, HELP_X, COLS - HELP_X, h - row, TEXT_INDENT, line,
                        title ? tui_attr(t, S_TITLE) : A_NORMAL);
    }
}

static bool he_key(tui *t, tui_view *v, tui_action a)
{
    help *hp = v->st;
    char line[256];
    bool title;
    switch (a) {
    case A_down:
    case A_pgdn: {
        int step =
            a == A_down || hp->shown < 2 ? 1 : hp->shown - 1; /* a page: those shown less one */
        if (help_line(hp->top + step, line, sizeof line, &title)) hp->top += step;
        return true;
    }
    case A_up:
        hp->top -= hp->top > 0;
        return true;
    case A_pgup: { /* a page back: as many lines as were shown, less one */
        int step = hp->shown < 2 ? 1 : hp->shown - 1;
        hp->top = hp->top > step ? hp->top - step : 0;
        return true;
    }
    case A_home:
        hp->top = 0;
        return true;
    case A_end: { /* the last lines: as many as a page showed */
        int n = 0;
        while (help_line(n, line, sizeof line, &title))
            n++;
        int keep = hp->shown < 1 ? 1 : hp->shown;
        hp->top = n > keep ? n - keep : 0;
        return true;
    }
    case A_help:
        return true;
    default:
        return a == A_enter || a == A_left || a == A_right;
    }
}

const tui_view_ops tui_help_ops = {
    .name = "Help",
    .ctx = "help",
    .private_size = sizeof(help),
    .draw = he_draw,
    .key = he_key,
    .keys = "Up/Down:scroll  Esc:back",
};
