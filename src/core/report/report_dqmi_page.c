/* report_dqmi_page.c: the DQMI-style (local) section of `didq report`'s
 * page (page_int.h): the score overall, per item (records, blank, invalid,
 * defaults and those in excess, the item's score) and per site, each as a
 * table and the item scores as bars.  Always labelled didq's local reading
 * of NHS England's method, never NHS England's score (docs/usage.md). */
#include "didq/dataset.h"
#include "didq/dqmi.h"
#include "didq/util.h"
#include "page_int.h"

#include <stdio.h>
#include <stdlib.h>

enum { MAX_SITES = 200 };

static void fmt_score(char *buf, size_t cap, double v)
{
    if (v < 0)
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.1f", v);
}

static void items_table(rdoc *d, const didq_dqmi *q)
{
    static const char *const head[] = {
        "Item", "Records", "Blank", "Invalid", "Defaults", "Defaults in excess", "Score"};
    const didq_dataset *ds = didq_dataset_v1();
    const didq_dqmi_part *p = &q->overall;
    size_t n = q->spec ? (size_t)q->spec->n : 0;
    const char *label[DIDQ_MAX_ITEMS];
    double pct[DIDQ_MAX_ITEMS], mark[DIDQ_MAX_ITEMS];
    for (size_t i = 0; i < n && i < DIDQ_MAX_ITEMS; i++) {
        label[i] = ds->items[p->items[i].item].shortname;
        pct[i] = p->items[i].score < 0 ? 0 : p->items[i].score;
        mark[i] = -1;
    }
    rsvg_bars(d, "Item scores (0 to 100)", n, label, pct, mark);
    rdoc_thead(d, "DQMI-style (local) score per item", 7, head, "lrrrrrr");
    for (size_t i = 0; i < n && i < DIDQ_MAX_ITEMS; i++) {
        const didq_dqmi_score *sc = &p->items[i];
        char c[6][32];
        snprintf(c[0], sizeof c[0], "%llu", (unsigned long long)sc->records);
        snprintf(c[1], sizeof c[1], "%llu", (unsigned long long)sc->blank);
        snprintf(c[2], sizeof c[2], "%llu", (unsigned long long)sc->invalid);
        snprintf(c[3], sizeof c[3], "%llu", (unsigned long long)sc->defaults);
        snprintf(c[4], sizeof c[4], "%.0f", sc->excess);
        fmt_score(c[5], sizeof c[5], sc->score);
        const char *cells[7] = {label[i], c[0], c[1], c[2], c[3], c[4], c[5]};
        rdoc_trow(d, 7, cells, sc->score >= 0 && sc->score < 90);
    }
    rdoc_tend(d);
}

static void sites_table(rdoc *d, const didq_dqmi *q)
{
    static const char *const head[] = {"Site", "Records", "Items mean", "Coverage", "Score"};
    rdoc_thead(d, "DQMI-style (local) score per site", 5, head, "lrrrr");
    for (size_t i = 0; i < q->nsites && i < MAX_SITES; i++) {
        const didq_dqmi_part *p = &q->sites[i];
        char c[4][32];
        snprintf(c[0], sizeof c[0], "%llu", (unsigned long long)p->records);
        fmt_score(c[1], sizeof c[1], p->mean);
        snprintf(c[2], sizeof c[2], "%d/%d", p->months_submitted, p->months_expected);
        fmt_score(c[3], sizeof c[3], p->score);
        const char *cells[5] = {p->site ? p->site : "(all)", c[0], c[1], c[2], c[3]};
        rdoc_trow(d, 5, cells, false);
    }
    rdoc_tend(d);
    if (q->nsites > MAX_SITES)
        rdoc_para(d, "%zu more sites (didq check --format json lists them all).",
                  q->nsites - MAX_SITES);
}

void didq_report_dqmi(rdoc *d, struct didq_session *s, const struct didq_dqmi_spec *sp)
{
    rdoc_section(d, "dqmi", "DQMI-style (local) score");
    rdoc_para(d, "didq's local reading of NHS England's published Data Quality Maturity Index"
                 " method, with didq's list of items, defaults and thresholds (refdata/dqmi.csv,"
                 " or --dqmi): not NHS England's score. Per item: (valid and complete - defaults"
                 " in excess) / records x 100; the score is the mean of the items times coverage"
                 " (months submitted / months expected). Rows marked * score under 90.");
    didq_dqmi *q = didq_dqmi_compute(s, sp);
    char line[512];
    didq_dqmi_line(q, line, sizeof line);
    rdoc_para(d, "%s.", line);
    if (q->overall.score >= 0) {
        items_table(d, q);
        sites_table(d, q);
    }
    didq_dqmi_free(q);
}
