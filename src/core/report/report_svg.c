/* report_svg.c: the inline SVG charts of `didq report`'s HTML page
 * (page_int.h).  Each is drawn from figures the page also gives as a
 * table; text inside goes through rdoc_text. */
#include "page_int.h"
#include "didq/date.h"

enum { LABEL_W = 240, BAR_W = 420, ROW_H = 18 };

static void svg_open(rdoc *d, const char *title, int w, int h)
{
    fprintf(d->out,
            "<svg viewBox=\"0 0 %d %d\" width=\"%d\""
            " role=\"img\" aria-label=\"",
            w, h, w);
    rdoc_text(d, title);
    fputs("\"><title>", d->out);
    rdoc_text(d, title);
    fputs("</title>\n", d->out);
}

static void label_at(rdoc *d, int x, int y, const char *anchor, const char *s)
{
    fprintf(d->out, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">", x, y, anchor);
    rdoc_text(d, s);
    fputs("</text>", d->out);
}

void rsvg_bars(rdoc *d, const char *title, size_t n, const char *const *label, const double *pct,
               const double *mark)
{
    if (!d->html || !n) return;
    int w = LABEL_W + BAR_W + 60, h = (int)n * ROW_H + 24;
    svg_open(d, title, w, h);
    for (size_t i = 0; i < n; i++) {
        int y = (int)i * ROW_H + 4;
        double p = pct[i] < 0 ? 0 : pct[i] > 100 ? 100 : pct[i];
        label_at(d, LABEL_W - 6, y + 12, "end", label[i]);
        fprintf(d->out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#e8edee\"/>",
                LABEL_W, y, BAR_W, ROW_H - 4);
        const char *fill = mark[i] >= 0 && p + 5 < mark[i] ? "#d5281b" : "#005eb8";
        fprintf(d->out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">",
                LABEL_W, y, BAR_W * p / 100, ROW_H - 4, fill);
        fputs("<title>", d->out);
        rdoc_textf(d, "%s: %.1f%% filled", label[i], pct[i]);
        if (mark[i] >= 0) rdoc_textf(d, " (national %.1f%%)", mark[i]);
        fputs("</title></rect>", d->out);
        if (mark[i] >= 0)
            fprintf(d->out,
                    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#212b32\""
                    " stroke-width=\"2\"/>",
                    LABEL_W + BAR_W * mark[i] / 100, LABEL_W + BAR_W * mark[i] / 100, y - 1,
                    y + ROW_H - 3);
        fprintf(d->out, "<text x=\"%d\" y=\"%d\">%.1f%%</text>\n", LABEL_W + BAR_W + 4, y + 12,
                pct[i]);
    }
    fprintf(d->out,
            "<text x=\"%d\" y=\"%d\">bar: filled %%; black line: national 2024/25 figure;"
            " red: 5 points or more below it</text>\n</svg>\n",
            LABEL_W, h - 4);
}

static const char *const palette[] = {"#005eb8", "#41b6e6", "#009639", "#78be20",
                                      "#ffb81c", "#ed8b00", "#d5281b", "#768692"};
enum { NPAL = sizeof palette / sizeof palette[0] };

void rsvg_stacked(rdoc *d, const char *title, size_t n, const char *const *label, int nseg,
                  const char *const *seg, const uint64_t *count)
{
    if (!d->html || !n) return;
    int w = LABEL_W + BAR_W + 20, h = (int)n * ROW_H + 40;
    svg_open(d, title, w, h);
    for (size_t i = 0; i < n; i++) {
        int y = (int)i * ROW_H + 4;
        uint64_t tot = 0;
        for (int k = 0; k < nseg; k++)
            tot += count[i * (size_t)nseg + (size_t)k];
        label_at(d, LABEL_W - 6, y + 12, "end", label[i]);
        double x = LABEL_W;
        for (int k = 0; k < nseg && tot; k++) {
            uint64_t c = count[i * (size_t)nseg + (size_t)k];
            if (!c) continue;
            double wk = BAR_W * (double)c / (double)tot;
            fprintf(d->out,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                    "<title>",
                    x, y, wk, ROW_H - 4, palette[k % NPAL]);
            rdoc_textf(d, "%s %s: %llu (%.1f%%)", label[i], seg[k], (unsigned long long)c,
                       100.0 * (double)c / (double)tot);
            fputs("</title></rect>", d->out);
            x += wk;
        }
        fputc('\n', d->out);
    }
    int ly = (int)n * ROW_H + 20;
    for (int k = 0; k < nseg; k++) {
        int lx = LABEL_W + k * 52;
        fprintf(d->out, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", lx,
                ly - 9, palette[k % NPAL]);
        label_at(d, lx + 13, ly, "start", seg[k]);
    }
    fputs("\n</svg>\n", d->out);
}

enum { CELL = 9 };

void rsvg_calendar(rdoc *d, const char *title, size_t n, const char *const *label, int32_t day0,
                   int ndays, const uint32_t *const *count)
{
    if (!d->html || !n || ndays <= 0) return;
    int w = LABEL_W + ndays * CELL + 10, h = (int)n * (CELL + 3) + 40;
    svg_open(d, title, w, h);
    for (size_t i = 0; i < n; i++) {
        uint32_t max = 1;
        for (int k = 0; k < ndays; k++)
            if (count[i][k] > max) max = count[i][k];
        int y = (int)i * (CELL + 3) + 4;
        label_at(d, LABEL_W - 6, y + CELL - 1, "end", label[i]);
        for (int k = 0; k < ndays; k++) {
            int x = LABEL_W + k * CELL;
            int wd = didq_date_weekday(day0 + k);
            bool weekend = wd >= 5;
            char date[11];
            didq_date_format(day0 + k, date);
            if (!count[i][k]) {
                /* a gap: a weekday without records is marked red */
                fprintf(d->out,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"%s>"
                        "<title>%s: no records%s</title></rect>",
                        x, y, CELL - 1, CELL - 1, weekend ? "#f0f4f5" : "#d5281b",
                        weekend ? "" : " stroke=\"#8a1538\"", date,
                        weekend ? " (weekend)" : " (gap)");
                continue;
            }
            double a = 0.25 + 0.75 * (double)count[i][k] / (double)max;
            fprintf(d->out,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#005eb8\""
                    " fill-opacity=\"%.2f\"><title>%s: %u records</title></rect>",
                    x, y, CELL - 1, CELL - 1, a, date, count[i][k]);
        }
        fputc('\n', d->out);
    }
    int ly = (int)n * (CELL + 3) + 20;
    char first[11], last[11];
    didq_date_format(day0, first);
    didq_date_format(day0 + ndays - 1, last);
    fprintf(d->out,
            "<text x=\"%d\" y=\"%d\">%s to %s; blue: records per day (darker: more);"
            " red: a weekday without records; grey: a weekend day without records</text>\n"
            "</svg>\n",
            LABEL_W, ly, first, last);
}
