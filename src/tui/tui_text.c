/* tui_text.c: every cell is sanitised: control characters as ^X, invalid
 * UTF-8 as \xNN (didq_text_escape), widths by wcwidth.  Text wider than its
 * cell is never cut silently: it ends with a marker (U+2026, or '>'
 * without UTF-8).  Long text can be wrapped over several lines. */
#include "didq/text.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Text escaped and decoded into wide characters with their widths. */
typedef struct wide {
    wchar_t *wc;
    unsigned char *cw; /* columns of each character */
    int n, cols;
} wide;

static void widen(const tui *t, const char *s, wide *w)
{
    didq_buf b = {0};
    didq_text_escape(&b, s ? s : "", s ? strlen(s) : 0);
    const char *p = b.p ? b.p : "";
    size_t n = b.n;
    w->wc = didq_xmalloc((n + 1) * sizeof *w->wc);
    w->cw = didq_xmalloc(n + 1);
    w->n = w->cols = 0;
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    for (size_t i = 0; i < n;) {
        wchar_t wc = L'?';
        size_t len = 1;
        if ((unsigned char)p[i] >= 0x80 && t->utf8) {
            len = mbrtowc(&wc, p + i, n - i, &ps);
            if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
                memset(&ps, 0, sizeof ps);
                wc = L'?';
                len = 1;
            }
        } else if ((unsigned char)p[i] < 0x80) {
            wc = (wchar_t)p[i];
        }
        int c = wcwidth(wc);
        if (c < 0) wc = L'?', c = 1;
        w->wc[w->n] = wc;
        w->cw[w->n++] = (unsigned char)c;
        w->cols += c;
        i += len;
    }
    w->wc[w->n] = 0;
    didq_buf_free(&b);
}

static void wide_free(wide *w)
{
    free(w->wc);
    free(w->cw);
}

/* Characters from..n that fit in w columns; their columns in *cols. */
static int fit(const wide *s, int from, int w, int *cols)
{
    int k = from, used = 0;
    while (k < s->n && used + s->cw[k] <= w)
        used += s->cw[k++];
    *cols = used;
    return k - from;
}

/* Draws characters from.. of s in w columns at (y, x), padded with spaces;
 * when they do not all fit, the last column is the marker.  Returns the
 * columns of text drawn. */
static int put_wide(tui *t, int y, int x, int w, const wide *s, int from, attr_t a)
{
    if (w <= 0 || y < 0 || y >= LINES || x >= COLS) return 0;
    if (x + w > COLS) w = COLS - x;
    int cols, k = fit(s, from, w, &cols);
    bool cut = from + k < s->n;
    if (cut) k = fit(s, from, w - 1, &cols);
    attrset(a);
    mvaddnwstr(y, x, s->wc + from, k);
    if (cut) {
        if (t->utf8)
            addnwstr(L"\u2026", 1);
        else
            addch('>');
        cols++;
    }
    for (int i = cols; i < w; i++)
        addch(' ');
    attrset(A_NORMAL);
    return cols;
}

int tui_put(tui *t, int y, int x, int w, const char *s, attr_t a)
{
    if (w <= 0 || y < 0 || y >= LINES || x >= COLS) return 0;
    wide ws;
    widen(t, s, &ws);
    int cols = put_wide(t, y, x, w, &ws, 0, a);
    wide_free(&ws);
    return cols;
}

void tui_put_right(tui *t, int y, int x, int w, const char *s, attr_t a)
{
    if (w <= 0 || x >= COLS) return;
    /* a column cut by the screen's edge is right-aligned to the edge: its
     * value shown whole or marked, never a blank where a number is */
    if (x + w > COLS) w = COLS - x;
    wide ws;
    widen(t, s, &ws);
    if (ws.cols < w) {
        tui_put(t, y, x, w - ws.cols, "", a);
        put_wide(t, y, x + w - ws.cols, ws.cols, &ws, 0, a);
    } else {
        put_wide(t, y, x, w, &ws, 0, a); /* too wide: cut on the right, marked */
    }
    wide_free(&ws);
}

void tui_put_tail(tui *t, int y, int x, int w, const char *s, attr_t a)
{
    if (w <= 1 || x >= COLS) return;
    if (x + w > COLS) w = COLS - x;
    wide ws;
    widen(t, s, &ws);
    if (ws.cols <= w) {
        put_wide(t, y, x, w, &ws, 0, a);
    } else {
        int from = ws.n, cols = 0;
        while (from > 0 && cols + ws.cw[from - 1] <= w - 1)
            cols += ws.cw[--from];
        tui_put(t, y, x, 1, t->utf8 ? "\u2026" : "<", a);
        put_wide(t, y, x + 1, w - 1, &ws, from, a);
    }
    wide_free(&ws);
}

int tui_text_width(const tui *t, const char *s)
{
    wide ws;
    widen(t, s, &ws);
    int cols = ws.cols;
    wide_free(&ws);
    return cols;
}

/* Where the line starting at from ends when wrapped at w columns: at the
 * last space that fits in its second half, else (a long word) where the
 * columns run out. */
static int wrap_end(const wide *s, int from, int w)
{
    int cols, k = fit(s, from, w, &cols), end = from + k;
    if (end >= s->n) return s->n;
    if (k == 0) return from + 1; /* a character wider than the line */
    if (s->wc[end] == L' ') return end;
    for (int i = end - 1; i > from && cols > w / 2; i--) {
        cols -= s->cw[i];
        if (s->wc[i] == L' ') return i;
    }
    return end;
}

static int wrap(tui *t, int y, int x, int w, int maxl, int indent, bool hard, const char *s,
                attr_t a)
{
    if (w <= indent) indent = 0;
    if (w <= 0) return 0;
    wide ws;
    widen(t, s, &ws);
    int lines = 0, from = 0;
    while ((from < ws.n || lines == 0) && (maxl <= 0 || lines < maxl)) {
        int in = lines ? indent : 0, lw = w - in;
        bool last = maxl > 0 && lines == maxl - 1;
        int cols, end = last   ? ws.n
                        : hard ? from + fit(&ws, from, lw, &cols)
                               : wrap_end(&ws, from, lw);
        if (end == from && from < ws.n) end++; /* a character wider than the line */
        if (y >= 0) {
            if (in) tui_put(t, y + lines, x, in, "", a);
            wide seg = ws; /* the last line allowed: all the rest, marked if cut */
            seg.n = end;
            put_wide(t, y + lines, x + in, lw, &seg, from, a);
        }
        lines++;
        from = end;
        while (!hard && from < ws.n && ws.wc[from] == L' ')
            from++;
    }
    wide_free(&ws);
    return lines;
}

int tui_wrap(tui *t, int y, int x, int w, int maxl, int indent, const char *s, attr_t a)
{
    return wrap(t, y, x, w, maxl, indent, false, s, a);
}

int tui_wrap_hard(tui *t, int y, int x, int w, int maxl, const char *s, attr_t a)
{
    return wrap(t, y, x, w, maxl, 0, true, s, a);
}

int tui_legend(tui *t, int y, int h, const char *s, attr_t a)
{
    char para[2][512]; /* a legend is one or two paragraphs */
    const char *nl = strchr(s, '\n');
    snprintf(para[0], sizeof para[0], "%.*s", nl ? (int)(nl - s) : (int)strlen(s), s);
    snprintf(para[1], sizeof para[1], "%s", nl ? nl + 1 : "");
    int max = h > 3 ? h / 3 : 1, n[2] = {0, 0};
    for (int i = 0; i < 2 && para[i][0]; i++) {
        int room = max - (i ? n[0] : 0);
        if (room > 0) n[i] = tui_wrap(t, -1, 2, COLS - 2, room, 0, para[i], a);
    }
    for (int i = 0, y0 = y + h - n[0] - n[1]; i < 2 && n[i]; y0 += n[i++])
        tui_wrap(t, y0, 2, COLS - 2, n[i], 0, para[i], a);
    return n[0] + n[1];
}

void tui_value(const tui *t, int item, const char *raw, didq_buf *out)
{
    if (t->mask && didq_text_is_identifier(item))
        didq_text_mask(out, item, raw, strlen(raw));
    else
        didq_buf_puts(out, raw);
    if (!out->p) didq_buf_puts(out, "");
}
