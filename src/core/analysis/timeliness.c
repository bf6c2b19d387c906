/* timeliness.c: referral-to-test and report turnaround (seed 003
 * 4.3.2 d and e): the four missing/zero kinds and the per-site, per-
 * modality distributions the explorer's Timeliness pane shows. */
#include "anomaly_int.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

/* The date columns of the records table the conditions below compare. */
#define REQUEST_DAY DIDQ_COL_D(DIDQ_REQUEST_DATE)
#define RECEIVED_DAY DIDQ_COL_D(DIDQ_RECEIVED_DATE)
#define TEST_DAY DIDQ_COL_D(DIDQ_TEST_DATE)
#define REPORT_DAY DIDQ_COL_D(DIDQ_REPORT_DATE)
#define ASKED_DAY "coalesce(" REQUEST_DAY ", " RECEIVED_DAY ")"

int didq_dist_percentile(const didq_interval_dist *d, double p)
{
    if (!d->n) return -1;
    uint64_t rank = (uint64_t)(p * (double)d->n + 0.999999);
    rank = rank ? rank : 1;
    uint64_t seen = 0;
    for (int i = 0; i < DIDQ_TL_DAYS; i++)
        if ((seen += d->hist[i]) >= rank) return i;
    return DIDQ_TL_DAYS - 1;
}

/* One share kind: `part` of `whole` records at or above the threshold. */
static didq_anomaly *share_kind(didq_analysis *a, an_site *s, int kind, uint64_t part,
                                uint64_t whole)
{
    const didq_threshold *th = &a->o.thresholds.k[kind];
    if (!an_judged(a, kind, whole)) return NULL;
    double share = (double)part / (double)whole;
    if (share < th->threshold) return NULL;
    return an_add(a, kind, s, share, th->threshold, part);
}

static void site_kinds(didq_analysis *a, an_site *s)
{
    char p[16];
    didq_anomaly *an = share_kind(a, s, DIDQ_AK_RTT_MISSING, s->rtt_missing, s->n);
    if (an) {
        an_set_message(an,
                       "%s of records have neither a valid request date nor a valid request"
                       " received date",
                       an_pct(an->value, p, sizeof p));
        an_set_where(an,
                     "site = %Q AND " AN_SITE_OK " AND " REQUEST_DAY " IS NULL AND " RECEIVED_DAY
                     " IS NULL",
                     s->code);
    }
    if ((an = share_kind(a, s, DIDQ_AK_RTT_ZERO, s->rtt_zero, s->rtt_dated))) {
        an_set_message(an, "%s of dated records have the request date equal to the test date",
                       an_pct(an->value, p, sizeof p));
        an_set_where(an, "site = %Q AND " AN_SITE_OK " AND " ASKED_DAY " = " TEST_DAY, s->code);
    }
    if ((an = share_kind(a, s, DIDQ_AK_REPORT_MISSING, s->rep_missing, s->n))) {
        an_set_message(an, "%s of records have no valid report issue date",
                       an_pct(an->value, p, sizeof p));
        an_set_where(an, "site = %Q AND " AN_SITE_OK " AND " REPORT_DAY " IS NULL", s->code);
    }
    if ((an = share_kind(a, s, DIDQ_AK_REPORT_ZERO, s->rep_zero, s->rep_dated))) {
        an_set_message(an, "%s of reported records were reported on the test date",
                       an_pct(an->value, p, sizeof p));
        an_set_where(an, "site = %Q AND " AN_SITE_OK " AND " REPORT_DAY " = " TEST_DAY, s->code);
    }
}

/* A month's rows for the explorer: overall, then each site's
 * all-modality row and its modalities. */
static void build_rows(didq_analysis *a, an_month *mo)
{
    size_t n = 1;
    for (size_t i = mo->site0; i < mo->site0 + mo->nsites; i++)
        for (int m = 0; m <= DIDQ_MOD_N; m++)
            n += a->sites[i].tl[m] != NULL;
    mo->tl_rows = didq_xcalloc(n, sizeof *mo->tl_rows);
    mo->tl_rows[mo->ntl++] = mo->overall;
    for (size_t i = mo->site0; i < mo->site0 + mo->nsites; i++) {
        an_site *s = &a->sites[i];
        if (s->tl[DIDQ_MOD_N]) mo->tl_rows[mo->ntl++] = *s->tl[DIDQ_MOD_N];
        for (int m = 0; m < DIDQ_MOD_N; m++)
            if (s->tl[m]) mo->tl_rows[mo->ntl++] = *s->tl[m];
    }
}

void an_timeliness(didq_analysis *a)
{
    for (size_t i = 0; i < a->nsites; i++)
        site_kinds(a, &a->sites[i]);
    for (int k = 0; k < a->nmon; k++)
        build_rows(a, &a->mon[k]);
    an_whole_timeliness(a);
}

size_t didq_analysis_timeliness(const didq_analysis *a, const didq_timeliness **rows)
{
    *rows = a->tl_rows;
    return a->ntl;
}

/* The modality test of modality.c in SQL: the function the
 * session registers (didq_modality_register), so the SNOMED CT lookup
 * counts in the drill-down as in the analysis. */
static void modality_cond(didq_buf *b, int m)
{
    didq_buf_printf(b,
                    "didq_modality(" DIDQ_COL_F(DIDQ_NICIP) ", " DIDQ_COL_F(DIDQ_SNOMED) ") = %d",
                    m > DIDQ_MOD_UNKNOWN && m < DIDQ_MOD_N ? m : DIDQ_MOD_UNKNOWN);
}

static const char *const part_cond[] = {
    [DIDQ_TL_ALL] = NULL,
    [DIDQ_TL_REQUEST_MISSING] = "(" ASKED_DAY " IS NULL OR " TEST_DAY " IS NULL)",
    [DIDQ_TL_REQUEST_WRONG] = TEST_DAY " < " ASKED_DAY,
    [DIDQ_TL_REPORT_MISSING] = "(" TEST_DAY " IS NULL OR " REPORT_DAY " IS NULL)",
    [DIDQ_TL_REPORT_WRONG] = REPORT_DAY " < " TEST_DAY,
};

char *didq_timeliness_where(const char *site, int modality, enum didq_tl_part part)
{
    didq_buf b = {0};
    if (site) {
        char *s = didq_site_cond(site);
        didq_buf_puts(&b, s);
        sqlite3_free(s);
    } else {
        didq_buf_puts(&b, "1");
    }
    if (modality >= 0) {
        didq_buf_puts(&b, " AND ");
        modality_cond(&b, modality);
    }
    if (part > DIDQ_TL_ALL && part <= DIDQ_TL_REPORT_WRONG)
        didq_buf_printf(&b, " AND %s", part_cond[part]);
    return b.p;
}
