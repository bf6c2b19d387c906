/* report_doc.c: the writer of `didq report`'s page (page_int.h): HTML with
 * inline CSS (screen, phone and A4 print) or Markdown. */
#include "page_int.h"
#include "didq/text.h"
#include "didq/util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void put_html(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

/* Markdown: the characters that would make a table cell, code, emphasis,
 * a link or HTML are escaped with a backslash (< and > as entities). */
static void put_md(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", out);
        else if (*s == '>')
            fputs("&gt;", out);
        else if (*s == '&')
            fputs("&amp;", out);
        else {
            if (strchr("\\|`*_[]#!~", *s)) fputc('\\', out);
            fputc(*s, out);
        }
    }
}

void rdoc_text(rdoc *d, const char *s)
{
    didq_buf b = {0};
    didq_text_escape(&b, s, strlen(s));
    const char *t = b.p ? b.p : "";
    if (d->html)
        put_html(d->out, t);
    else
        put_md(d->out, t);
    didq_buf_free(&b);
}

__attribute__((format(printf, 2, 0))) static void vtext(rdoc *d, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    char *s = didq_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    rdoc_text(d, s);
    free(s);
}

void rdoc_textf(rdoc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vtext(d, fmt, ap);
    va_end(ap);
}

void rdoc_html(rdoc *d, const char *s)
{
    if (d->html) fputs(s, d->out);
}

static const char css[] =
    "*{box-sizing:border-box}"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
    "margin:0 auto;max-width:1100px;padding:1rem;color:#212b32;line-height:1.4}"
    "h1{font-size:1.6rem;border-bottom:4px solid #005eb8;padding-bottom:.3rem}"
    "h2{font-size:1.25rem;margin-top:2rem;color:#005eb8;border-bottom:1px solid #d8dde0}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem;width:100%}"
    "caption{text-align:left;font-weight:600;padding:.25rem 0}"
    "th,td{border:1px solid #d8dde0;padding:.2rem .4rem;vertical-align:top}"
    "th{background:#f0f4f5}td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.mark td{background:#fdf0ef}"
    ".wrap{overflow-x:auto;max-width:100%}"
    ".warn{border-left:6px solid #d5281b;background:#fdf0ef;padding:.5rem .8rem;font-weight:600}"
    ".note{color:#4c6272;font-size:.9rem}"
    "svg{max-width:100%;height:auto;display:block;margin:.5rem 0}"
    "svg text{font-family:inherit;font-size:11px;fill:#212b32}"
    "@media (max-width:600px){body{padding:.5rem}table{font-size:.75rem}}"
    "@media print{@page{size:A4;margin:15mm}body{max-width:none;padding:0;font-size:10pt}"
    ".wrap{overflow:visible}h2{break-after:avoid}table,svg{break-inside:auto}"
    "tr,svg{break-inside:avoid}}";

void rdoc_begin(rdoc *d, const char *title)
{
    if (!d->html) {
        fputs("# ", d->out);
        rdoc_text(d, title);
        fputs("\n\n", d->out);
        return;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"referrer\" content=\"no-referrer\">\n<title>",
          d->out);
    rdoc_text(d, title);
    fprintf(d->out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", css);
    rdoc_text(d, title);
    fputs("</h1>\n", d->out);
}

void rdoc_end(rdoc *d)
{
    if (d->html) fputs("</body>\n</html>\n", d->out);
}

void rdoc_section(rdoc *d, const char *id, const char *title)
{
    if (d->html) {
        fprintf(d->out, "<h2 id=\"%s\">", id); /* id: a fixed word of the caller's */
        rdoc_text(d, title);
        fputs("</h2>\n", d->out);
    } else {
        fputs("## ", d->out);
        rdoc_text(d, title);
        fputs("\n\n", d->out);
    }
}

__attribute__((format(printf, 3, 0))) static void vpara(rdoc *d, const char *cls, const char *fmt,
                                                        va_list ap)
{
    if (d->html && cls)
        fprintf(d->out, "<p class=\"%s\">", cls);
    else if (d->html)
        fputs("<p>", d->out);
    else if (cls)
        fputs("**", d->out);
    vtext(d, fmt, ap);
    if (d->html)
        fputs("</p>\n", d->out);
    else
        fputs(cls ? "**\n\n" : "\n\n", d->out);
}

void rdoc_para(rdoc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpara(d, NULL, fmt, ap);
    va_end(ap);
}

void rdoc_warn(rdoc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpara(d, "warn", fmt, ap);
    va_end(ap);
}

void rdoc_thead(rdoc *d, const char *caption, int ncols, const char *const *head, const char *align)
{
    if (!d->html) {
        if (caption) {
            fputs("Table: ", d->out);
            rdoc_text(d, caption);
            fputs("\n\n", d->out);
        }
        fputc('|', d->out);
        for (int c = 0; c < ncols; c++) {
            fputc(' ', d->out);
            rdoc_text(d, head[c]);
            fputs(" |", d->out);
        }
        fputs("\n|", d->out);
        for (int c = 0; c < ncols; c++)
            fputs(align[c] == 'r' ? " --: |" : " --- |", d->out);
        fputc('\n', d->out);
        return;
    }
    fputs("<div class=\"wrap\"><table>", d->out);
    if (caption) {
        fputs("<caption>", d->out);
        rdoc_text(d, caption);
        fputs("</caption>", d->out);
    }
    fputs("\n<thead><tr>", d->out);
    for (int c = 0; c < ncols; c++) {
        fprintf(d->out, "<th scope=\"col\"%s>", align[c] == 'r' ? " class=\"r\"" : "");
        rdoc_text(d, head[c]);
        fputs("</th>", d->out);
    }
    /* Cells are right-aligned when they hold a number (rdoc_trow). */
    fputs("</tr></thead>\n<tbody>\n", d->out);
}

/* A cell that is a number (digits, a sign, a point, a percent sign). */
static bool numeric(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!strchr("0123456789.-+% ,", *s)) return false;
    return true;
}

void rdoc_trow(rdoc *d, int ncols, const char *const *cells, bool mark)
{
    if (!d->html) {
        fputc('|', d->out);
        for (int c = 0; c < ncols; c++) {
            fputc(' ', d->out);
            if (mark && c == 0) fputs("\\* ", d->out);
            rdoc_text(d, cells[c]);
            fputs(" |", d->out);
        }
        fputc('\n', d->out);
        return;
    }
    fputs(mark ? "<tr class=\"mark\">" : "<tr>", d->out);
    for (int c = 0; c < ncols; c++) {
        fputs(numeric(cells[c]) ? "<td class=\"r\">" : "<td>", d->out);
        if (mark && c == 0) fputs("* ", d->out);
        rdoc_text(d, cells[c]);
        fputs("</td>", d->out);
    }
    fputs("</tr>\n", d->out);
}

void rdoc_tend(rdoc *d)
{
    fputs(d->html ? "</tbody></table></div>\n" : "\n", d->out);
}

void rdoc_qtable(rdoc *d, const char *caption, const didq_qtable *t, const int *cols, int ncols,
                 size_t max)
{
    enum { MAXC = 32 };
    int all[MAXC] = {0};
    if (!cols) {
        ncols = t->ncols < MAXC ? t->ncols : MAXC;
        for (int c = 0; c < ncols; c++)
            all[c] = c;
        cols = all;
    }
    const char *head[MAXC];
    char align[MAXC + 1];
    for (int c = 0; c < ncols; c++) {
        head[c] = t->head[cols[c]];
        align[c] = t->align[cols[c]];
    }
    rdoc_thead(d, caption, ncols, head, align);
    size_t n = t->nrows < max ? t->nrows : max;
    for (size_t r = 0; r < n; r++) {
        const char *cell[MAXC];
        for (int c = 0; c < ncols; c++)
            cell[c] = didq_qtable_cell(t, r, cols[c]);
        rdoc_trow(d, ncols, cell, t->mark[r]);
    }
    rdoc_tend(d);
    if (t->nrows > n)
        rdoc_para(d, "%zu more rows not shown here (the explorer and didq check show them all).",
                  t->nrows - n);
}
