/* dqmi_score.c: the DQMI-style score (dqmi.h) of a finished session,
 * overall and per site: one grouped query over `records` counts each
 * item's blank, invalid and default values; the months come from the
 * analyses (coverage.h). */
#include "didq/coverage.h"
#include "didq/dqmi.h"
#include "didq/record.h"
#include "didq/rules.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rules about which items are given (didq_rule_presence): their
 * findings do not make a value invalid (as the Completeness pane). */
static void presence_rules(didq_session *s, didq_buf *b)
{
    const didq_ruleset *rs = didq_session_rules(s);
    int n = 0;
    for (int i = 0; i < rs->n; i++)
        if (didq_rule_presence(rs->rules[i].def)) didq_buf_printf(b, "%s%d", n++ ? ", " : "", i);
    if (!n) didq_buf_puts(b, "-1");
}

/* Per item: sum(blank), sum(invalid), sum(default); grouped by site. */
static char *counts_sql(didq_session *s, const didq_dqmi_spec *sp)
{
    bool mem = didq_session_recstore(s) != NULL;
    didq_buf pres = {0}, b = {0};
    presence_rules(s, &pres);
    /* site codes breaking a site rule are one group, as on the Overview */
    didq_buf_printf(&b,
                    "SELECT CASE WHEN (r.flags & %d) <> 0 THEN NULL ELSE coalesce(site, '')"
                    " END AS grp, count(*)",
                    DIDQ_REC_BAD_SITE);
    for (int i = 0; i < sp->n; i++) {
        const didq_dqmi_item *it = &sp->items[i];
        int col = DIDQ_COL_NUM(it->item);
        char blank[64], bad[160];
        if (mem)
            snprintf(blank, sizeof blank, "r.b%d = 1", col);
        else
            snprintf(blank, sizeof blank, "trim(coalesce(r.f%d, '')) = ''", col);
        snprintf(bad, sizeof bad, "r.id IN (SELECT rec FROM findings WHERE item = %d", it->item);
        didq_buf_printf(&b, ", sum(%s), sum(NOT (%s) AND %s AND rule NOT IN (%s)))", blank, blank,
                        bad, pres.p);
        if (!it->ndefaults) {
            didq_buf_puts(&b, ", 0");
            continue;
        }
        didq_buf_printf(&b, ", sum(trim(coalesce(r.f%d, '')) IN (", col);
        for (int k = 0; k < it->ndefaults; k++) {
            char *q = sqlite3_mprintf("%s%Q", k ? ", " : "", it->defaults[k]);
            didq_buf_puts(&b, q);
            sqlite3_free(q);
        }
        didq_buf_printf(&b, ") AND NOT %s AND rule NOT IN (%s)))", bad, pres.p);
    }
    didq_buf_puts(&b, " FROM records r GROUP BY grp ORDER BY grp IS NULL, grp");
    didq_buf_free(&pres);
    return b.p;
}

/* The items costing the most points, most first (ties: spec order). */
static void costly(didq_dqmi_part *p, int n)
{
    p->ncostly = 0;
    for (int i = 0; i < n; i++) {
        double lost = 100.0 - p->items[i].score;
        if (p->items[i].score < 0 || lost <= 0) continue;
        int k = p->ncostly < DIDQ_DQMI_COSTLY ? p->ncostly++ : DIDQ_DQMI_COSTLY;
        if (k == DIDQ_DQMI_COSTLY) {
            if (lost <= 100.0 - p->items[p->costly[k - 1]].score) continue;
            k--;
        }
        for (; k > 0 && 100.0 - p->items[p->costly[k - 1]].score < lost; k--)
            p->costly[k] = p->costly[k - 1];
        p->costly[k] = i;
    }
}

/* The item scores from the counts, the mean, coverage and score. */
static void part_finish(didq_dqmi_part *p, const didq_dqmi_spec *sp, const uint64_t *cnt)
{
    double sum = 0;
    for (int i = 0; i < sp->n; i++) {
        p->items[i] = didq_dqmi_item_score(p->records, cnt[3 * i], cnt[3 * i + 1], cnt[3 * i + 2],
                                           sp->items[i].threshold);
        p->items[i].item = sp->items[i].item;
        sum += p->items[i].score;
    }
    p->mean = p->records && sp->n ? sum / sp->n : -1;
    p->coverage =
        p->months_expected ? (double)p->months_submitted / (double)p->months_expected : -1;
    p->score = p->mean >= 0 && p->coverage >= 0 ? p->mean * p->coverage : -1;
    costly(p, sp->n);
}

/* Reporting months with records of site (NULL: any site) in the analyses'
 * month-on-month volumes; -1 when the site has none there. */
static int site_months(const didq_analysis *a, const char *site)
{
    const didq_month_volume *rows;
    size_t n = didq_analysis_volumes(a, &rows);
    int months = -1;
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].site || strcmp(rows[i].site, site) != 0) continue;
        if (months < 0) months = 0;
        months += rows[i].records > 0;
    }
    return months;
}

static void add_site(didq_dqmi *d, sqlite3_stmt *q, const didq_analysis *a, uint64_t *cnt)
{
    int n = d->spec->n;
    didq_dqmi_part *p = &d->sites[d->nsites++];
    const char *site = (const char *)sqlite3_column_text(q, 0);
    p->site = didq_strdup(!site ? "(invalid site)" : *site ? site : "(blank)");
    p->records = (uint64_t)sqlite3_column_int64(q, 1);
    p->items = didq_xcalloc((size_t)n ? (size_t)n : 1, sizeof *p->items);
    p->months_expected = d->overall.months_expected;
    /* a blank or invalid site has no row of its own in the volumes: the
     * files' months */
    int m = site && *site ? site_months(a, site) : -1;
    p->months_submitted = m >= 0 ? m : d->overall.months_submitted;
    uint64_t *sc = cnt + 3 * (size_t)n;
    for (int c = 0; c < 3 * n; c++) {
        sc[c] = (uint64_t)sqlite3_column_int64(q, 2 + c);
        cnt[c] += sc[c];
    }
    part_finish(p, d->spec, sc);
}

didq_dqmi *didq_dqmi_compute(didq_session *s, const didq_dqmi_spec *sp)
{
    static didq_dqmi_spec builtin;
    if (!sp) {
        if (!builtin.n) didq_dqmi_spec_default(&builtin);
        sp = &builtin;
    }
    didq_dqmi *d = didq_xcalloc(1, sizeof *d);
    d->spec = sp;
    const didq_analysis *a = didq_session_analysis(s);
    const int32_t *months;
    int nm = didq_analysis_months(a, &months);
    d->overall.months_submitted = nm;
    d->overall.months_expected = nm ? months[nm - 1] - months[0] + 1 : 0;
    d->overall.items = didq_xcalloc((size_t)sp->n ? (size_t)sp->n : 1, sizeof *d->overall.items);
    /* the totals, then one site's counts */
    uint64_t *cnt = didq_xcalloc(6 * (size_t)sp->n + 1, sizeof *cnt);
    char *sql = counts_sql(s, sp);
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql);
    free(sql);
    size_t cap = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (d->nsites == cap) {
            cap = cap ? 2 * cap : 16;
            d->sites = didq_xrealloc(d->sites, cap * sizeof *d->sites);
        }
        memset(&d->sites[d->nsites], 0, sizeof *d->sites);
        d->overall.records += (uint64_t)sqlite3_column_int64(q, 1);
        add_site(d, q, a, cnt);
    }
    sqlite3_finalize(q);
    part_finish(&d->overall, sp, cnt);
    free(cnt);
    return d;
}

void didq_dqmi_free(didq_dqmi *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nsites; i++) {
        free(d->sites[i].site);
        free(d->sites[i].items);
    }
    free(d->sites);
    free(d->overall.items);
    free(d);
}

void didq_dqmi_line(const didq_dqmi *d, char *buf, size_t cap)
{
    const didq_dqmi_part *p = &d->overall;
    const didq_dataset *ds = didq_dataset_v1();
    if (p->score < 0) {
        snprintf(buf, cap, "DQMI-style (local): not computed: %s",
                 !p->records ? "no records" : "no file has a reporting month");
        return;
    }
    int n = snprintf(buf, cap, "DQMI-style (local) %.1f (items %.1f x coverage %d/%d months)",
                     p->score, p->mean, p->months_submitted, p->months_expected);
    for (int k = 0; k < p->ncostly && n > 0 && (size_t)n < cap; k++)
        n += snprintf(buf + n, cap - (size_t)n, "%s%s %.1f", k ? ", " : "; most points lost: ",
                      ds->items[p->items[p->costly[k]].item].shortname,
                      100.0 - p->items[p->costly[k]].score);
}
