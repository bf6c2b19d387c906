/* tui_text.c: every cell is sanitised: control characters as ^X, invalid
 * UTF-8 as \xNN (didq_text_escape), widths by wcwidth, cut to fit. */
#include "didq/text.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

enum { WMAX = 1024 };

/* Decodes escaped text into wide characters fitting w columns. */
static int to_wide(const tui *t, const char *s, size_t n, int w, wchar_t *out, int *cols)
{
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    int k = 0, used = 0;
    size_t i = 0;
    while (i < n && k < WMAX - 1) {
        wchar_t wc = L'?';
        size_t len = 1;
        if ((unsigned char)s[i] >= 0x80 && t->utf8) {
            len = mbrtowc(&wc, s + i, n - i, &ps);
            if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
                memset(&ps, 0, sizeof ps);
                wc = L'?';
                len = 1;
            }
        } else if ((unsigned char)s[i] < 0x80) {
            wc = (wchar_t)s[i];
        }
        int cw = wcwidth(wc);
        if (cw < 0) wc = L'?', cw = 1;
        if (used + cw > w) break;
        out[k++] = wc;
        used += cw;
        i += len;
    }
    out[k] = 0;
    *cols = used;
    return k;
}

int tui_put(tui *t, int y, int x, int w, const char *s, attr_t a)
{
    if (w <= 0 || y < 0 || y >= LINES || x >= COLS) return 0;
    if (x + w > COLS) w = COLS - x;
    didq_buf b = {0};
    didq_text_escape(&b, s ? s : "", s ? strlen(s) : 0);
    wchar_t wbuf[WMAX];
    int cols = 0;
    int k = to_wide(t, b.p ? b.p : "", b.n, w, wbuf, &cols);
    attrset(a);
    mvaddnwstr(y, x, wbuf, k);
    for (int i = cols; i < w; i++)
        addch(' ');
    attrset(A_NORMAL);
    didq_buf_free(&b);
    return cols;
}

void tui_put_right(tui *t, int y, int x, int w, const char *s, attr_t a)
{
    didq_buf b = {0};
    didq_text_escape(&b, s ? s : "", s ? strlen(s) : 0);
    wchar_t wbuf[WMAX];
    int cols = 0;
    to_wide(t, b.p ? b.p : "", b.n, w, wbuf, &cols);
    didq_buf_free(&b);
    if (cols < w) {
        tui_put(t, y, x, w - cols, "", a);
        tui_put(t, y, x + w - cols, cols, s, a);
    } else {
        tui_put(t, y, x, w, s, a);
    }
}

void tui_hline(tui *t, int y, int x, int w)
{
    if (t->utf8)
        mvhline(y, x, ACS_HLINE, w);
    else
        mvhline(y, x, '-', w);
}

void tui_value(const tui *t, int item, const char *raw, didq_buf *out)
{
    if (t->mask && didq_text_is_identifier(item))
        didq_text_mask(out, item, raw, strlen(raw));
    else
        didq_buf_puts(out, raw);
    if (!out->p) didq_buf_puts(out, "");
}
