/* report_heatmap.c: the page's completeness per site and item
 * (didq_query_site_items): a table whose cells are each item's filled %
 * at each site, shaded in HTML from white (100 %) to dark (0 %), the value
 * always written in the cell, so the table reads without the colours (and
 * in Markdown, which has none). */
#include "didq/query.h"
#include "didq/util.h"
#include "page_int.h"

#include <stdio.h>
#include <stdlib.h>

enum { MAX_SITES = 200 };

/* A cell's inline shade: lighter the fuller; white text on the dark end. */
static void shaded_cell(rdoc *d, const char *v)
{
    double f = strtod(v, NULL);
    int g = (int)(255.0 * (f < 0 ? 0 : f > 100 ? 100 : f) / 100.0);
    char td[96];
    snprintf(td, sizeof td, "<td class=\"r\" style=\"background:rgb(255,%d,%d);color:%s\">", g, g,
             g < 110 ? "#fff" : "#000");
    rdoc_html(d, td);
    rdoc_text(d, v);
    rdoc_html(d, "</td>");
}

static void html_rows(rdoc *d, const didq_qtable *t, size_t n)
{
    for (size_t r = 0; r < n; r++) {
        rdoc_html(d, "<tr><td>");
        rdoc_text(d, didq_qtable_cell(t, r, 0));
        rdoc_html(d, "</td><td class=\"r\">");
        rdoc_text(d, didq_qtable_cell(t, r, 1));
        rdoc_html(d, "</td>");
        for (int c = 2; c < t->ncols; c++)
            shaded_cell(d, didq_qtable_cell(t, r, c));
        rdoc_html(d, "</tr>\n");
    }
}

void didq_report_heatmap(rdoc *d, struct didq_session *s)
{
    rdoc_section(d, "site-items", "Completeness per site and item");
    rdoc_para(d, "Each item's filled %% at each site (100 x records with the item given /"
                 " records; blank as the Completeness pane counts it). In the HTML page a cell"
                 " is the darker the emptier.");
    didq_qtable *t = didq_query_site_items(s);
    size_t n = t->nrows < MAX_SITES ? t->nrows : MAX_SITES;
    if (!d->html) {
        rdoc_qtable(d, "Filled % per site and item", t, NULL, 0, MAX_SITES);
    } else {
        rdoc_thead(d, "Filled % per site and item", t->ncols, t->head, t->align);
        html_rows(d, t, n);
        rdoc_tend(d);
        if (t->nrows > n)
            rdoc_para(d, "%zu more sites not shown here (didq check shows them all).",
                      t->nrows - n);
    }
    didq_qtable_free(t);
}
