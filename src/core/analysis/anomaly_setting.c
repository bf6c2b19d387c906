/* anomaly_setting.c: the source-setting analyses of seed 003 4.3.2 c:
 * "Other" (07) as a default, GP direct access recorded as outpatient, and
 * a setting carrying (almost) everything or vanishing between files. */
#include "anomaly_int.h"
#include "didq/ident.h"
#include "didq/month.h"

#include <stdlib.h>

static void other_default(didq_analysis *a, an_site *s)
{
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_SETTING_OTHER];
    double share = (double)s->setting[7] / (double)s->n;
    if (!an_judged(a, DIDQ_AK_SETTING_OTHER, s->n) || share < th->threshold) return;
    char p[16];
    didq_anomaly *an = an_add(a, DIDQ_AK_SETTING_OTHER, s, share, th->threshold, s->setting[7]);
    an_set_message(an, "%s of records have source setting 07 (Other), a likely default",
                   an_pct(share, p, sizeof p));
    an_set_where(an, "site = %Q AND " AN_SITE_OK " AND setting = '07'", s->code);
}

bool didq_gp_as_outpatient(const didq_threshold *th, uint64_t gp_ref, uint64_t gp_ref_03,
                           uint64_t s04, uint64_t n)
{
    if (!gp_ref || gp_ref < th->min_records || !n) return false;
    return (double)gp_ref_03 / (double)gp_ref >= th->threshold &&
           (double)s04 / (double)n < th->limit;
}

static void gp_as_outpatient(didq_analysis *a, an_site *s)
{
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_GP_AS_OUTPATIENT];
    if (!didq_gp_as_outpatient(th, s->gp_ref, s->gp_ref_03, s->setting[4], s->n)) return;
    double share = (double)s->gp_ref_03 / (double)s->gp_ref;
    double da = (double)s->setting[4] / (double)s->n;
    char p[16], q[16];
    didq_anomaly *an = an_add(a, DIDQ_AK_GP_AS_OUTPATIENT, s, share, th->threshold, s->gp_ref_03);
    an_set_message(an,
                   "%s of %llu GP-referred records are recorded as 03 (outpatient) while"
                   " only %s of the site's records are 04 (GP direct access)",
                   an_pct(share, p, sizeof p), (unsigned long long)s->gp_ref,
                   an_pct(da, q, sizeof q));
    an_set_where(an, "site = %Q AND " AN_SITE_OK " AND setting = '03' AND " DIDQ_GP_REFERRED_SQL,
                 s->code);
}

static void dominant_setting(didq_analysis *a, an_site *s)
{
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_SETTING_DEFAULT];
    int best = 1;
    for (int k = 1; k < AN_SETTINGS; k++)
        if (s->setting[k] > s->setting[best]) best = k;
    double share = (double)s->setting[best] / (double)s->n;
    if (share < th->threshold) return;
    char p[16];
    didq_anomaly *an =
        an_add(a, DIDQ_AK_SETTING_DEFAULT, s, share, th->threshold, s->setting[best]);
    an_set_message(an, "source setting 0%d carries %s of the site's records", best,
                   an_pct(share, p, sizeof p));
    an_set_where(an, "site = %Q AND " AN_SITE_OK " AND setting = '0%d'", s->code, best);
}

/* A setting with at least `limit` of the site's records in an earlier
 * file and none in a later file with enough records. */
static void vanished_setting(didq_analysis *a, an_site *s)
{
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_SETTING_DEFAULT];
    for (int f = 2; s->file_n && f <= a->nfiles; f++) {
        if (!an_judged(a, DIDQ_AK_SETTING_DEFAULT, s->file_n[f])) continue;
        for (int k = 1; k < AN_SETTINGS; k++) {
            double was = 0;
            for (int e = 1; e < f; e++)
                if (s->file_n[e] && (double)s->file_setting[e][k] / (double)s->file_n[e] > was)
                    was = (double)s->file_setting[e][k] / (double)s->file_n[e];
            if (s->file_setting[f][k] || was < th->limit || was == 0) continue;
            char p[16];
            didq_anomaly *an = an_add(a, DIDQ_AK_SETTING_DEFAULT, s, 0, th->limit, s->file_n[f]);
            an_set_message(an,
                           "source setting 0%d had %s of the site's records in an earlier"
                           " file and none in file %d",
                           k, an_pct(was, p, sizeof p), f);
            an_set_where(an, "site = %Q AND " AN_SITE_OK " AND file = %d", s->code, f);
        }
    }
}

static int cmp_code_site(const void *key, const void *site)
{
    return an_site_order(key, ((const an_site *)site)->code);
}

/* The site of code in month k, or NULL. */
static const an_site *site_in(const didq_analysis *a, int k, const char *code)
{
    const an_month *m = &a->mon[k];
    return bsearch(code, a->sites + m->site0, m->nsites, sizeof *a->sites, cmp_code_site);
}

/* setting-default-suspected across months: a setting with at least `limit`
 * of a site's records in an earlier month and none in a later month with
 * enough records.  It compares months: month DIDQ_NOMONTH; its records are
 * the site's in the later month. */
static void vanished_across(didq_analysis *a, const char *code)
{
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_SETTING_DEFAULT];
    for (int f = 1; f < a->nmon; f++) {
        const an_site *sf = site_in(a, f, code);
        if (!sf || !an_judged(a, DIDQ_AK_SETTING_DEFAULT, sf->n) || a->mon[f].month < 0) continue;
        for (int k = 1; k < AN_SETTINGS; k++) {
            double was = 0;
            for (int e = 0; e < f; e++) {
                const an_site *se = site_in(a, e, code);
                if (se && se->n && a->mon[e].month >= 0 &&
                    (double)se->setting[k] / (double)se->n > was)
                    was = (double)se->setting[k] / (double)se->n;
            }
            if (sf->setting[k] || was < th->limit || was == 0) continue;
            char p[16], ym[8];
            didq_month_format(a->mon[f].month, ym);
            an_site tmp = {.code = (char *)code};
            didq_anomaly *an = an_add(a, DIDQ_AK_SETTING_DEFAULT, &tmp, 0, th->limit, sf->n);
            an->month = DIDQ_NOMONTH;
            an_set_message(an,
                           "source setting 0%d had %s of the site's records in an earlier"
                           " month and none in %s",
                           k, an_pct(was, p, sizeof p), ym);
            an_set_where(an, "site = %Q AND " AN_SITE_OK " AND %s", code, a->mon[f].where);
        }
    }
}

void an_settings(didq_analysis *a)
{
    for (size_t u = 0; a->nmon > 1 && u < a->nucodes; u++)
        vanished_across(a, a->ucodes[u].code);
    for (size_t i = 0; i < a->nsites; i++) {
        an_site *s = &a->sites[i];
        other_default(a, s);
        gp_as_outpatient(a, s);
        if (an_judged(a, DIDQ_AK_SETTING_DEFAULT, s->n)) dominant_setting(a, s);
        vanished_setting(a, s);
    }
}
