/* synth_inject.c: --inject KIND@SITE plants one of issue 4's anomaly kinds
 * at one site.  Each injection is strong (far past its detection
 * threshold), touches only records of its site, draws only from the
 * visit's injection stream, and keeps every record valid: no rule fires
 * because of an injection.  docs/synth.md describes each kind. */
#include "synth_int.h"
#include "didq/date.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[DIDQ_AK_N] = {DIDQ_ANOMALY_KIND_NAMES};
_Static_assert(DIDQ_AK_N <= 32, "sy_site.kinds has a bit per kind");

/* Shares used by the injections (see docs/synth.md). */
#define OTHER_SHARE 0.30      /* setting 07 at the site */
#define DEFAULT_SHARE 0.97    /* one setting (03) at the site */
#define MISSING_SHARE 0.20    /* request+received or report blank */
#define FIELD_MISSING 0.40    /* ethnic category blank */
#define DUPLICATE_SHARE 0.05  /* records planted twice */
#define IDENTITY_SHARE 0.03   /* pairs planted with two birth dates */
#define RESTRICTED_SHARE 0.25 /* women 16-50 given a fertility code */
#define DROP_SHARE 0.50       /* records left out for volume-drop */

const char *didq_synth_kind(int i)
{
    return i >= 0 && i < DIDQ_AK_N ? kind_names[i] : NULL;
}

static int kind_parse(const char *name)
{
    for (int i = 0; i < DIDQ_AK_N; i++)
        if (strcmp(kind_names[i], name) == 0) return i;
    return -1;
}

static int site_index(const sy_gen *g, const char *code)
{
    for (int i = 0; i < g->nsites; i++)
        if (strcmp(g->site[i].code, code) == 0) return i;
    return -1;
}

/* Parses one KIND@SITE item of length n. */
static int parse_item(sy_gen *g, const char *s, size_t n, char *err, size_t errlen)
{
    char item[96];
    if (n == 0 || n >= sizeof item) {
        snprintf(err, errlen, "--inject wants KIND@SITE[,KIND@SITE...]");
        return -1;
    }
    memcpy(item, s, n);
    item[n] = '\0';
    char *at = strchr(item, '@');
    if (!at) {
        snprintf(err, errlen, "--inject item '%s' lacks @SITE", item);
        return -1;
    }
    *at = '\0';
    int k = kind_parse(item);
    if (k < 0) {
        snprintf(err, errlen, "--inject: unknown kind '%s'", item);
        return -1;
    }
    int site = site_index(g, at + 1);
    if (site < 0) {
        char list[SY_MAXSITES * 8] = "";
        for (int i = 0; i < g->nsites; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), " %s", g->site[i].code);
        snprintf(err, errlen, "--inject: unknown site '%s' (sites:%s)", at + 1, list);
        return -1;
    }
    g->site[site].kinds |= 1u << k;
    return 0;
}

int sy_inject_parse(sy_gen *g, const char *spec, char *err, size_t errlen)
{
    if (!spec) return 0;
    for (const char *s = spec;;) {
        size_t n = strcspn(s, ",");
        if (parse_item(g, s, n, err, errlen) < 0) return -1;
        if (!s[n]) return 0;
        s += n + 1;
    }
}

bool sy_has(const sy_gen *g, int site, int kind)
{
    return site >= 0 && site < g->nsites && (g->site[site].kinds >> kind & 1u);
}

int sy_inject_setting(const sy_gen *g, int site, int setting, sy_rng *r)
{
    if (sy_has(g, site, DIDQ_AK_SETTING_OTHER) && sy_chance(r, OTHER_SHARE)) return 7;
    if (sy_has(g, site, DIDQ_AK_GP_AS_OUTPATIENT) && setting == 4) return 3;
    if (sy_has(g, site, DIDQ_AK_SETTING_DEFAULT) && sy_chance(r, DEFAULT_SHARE)) return 3;
    return setting;
}

void sy_inject_dates(const sy_gen *g, sy_rec *rec, sy_rng *r)
{
    int s = rec->site;
    if (sy_has(g, s, DIDQ_AK_RTT_MISSING) && sy_chance(r, MISSING_SHARE))
        rec->req = rec->recv = DIDQ_NODATE;
    if (sy_has(g, s, DIDQ_AK_RTT_ZERO)) {
        if (rec->req != DIDQ_NODATE) rec->req = rec->test;
        if (rec->recv != DIDQ_NODATE) rec->recv = rec->test;
    }
    if (sy_has(g, s, DIDQ_AK_REPORT_MISSING) && sy_chance(r, MISSING_SHARE))
        rec->report = DIDQ_NODATE;
    if (sy_has(g, s, DIDQ_AK_REPORT_ZERO) && rec->report != DIDQ_NODATE) rec->report = rec->test;
    sy_render_dates(g, rec);
}

static int age_years(const sy_rec *rec)
{
    return (rec->test - rec->birth) / 365;
}

void sy_inject_fields(const sy_gen *g, sy_rec *rec, sy_rng *r)
{
    int s = rec->site;
    if (sy_has(g, s, DIDQ_AK_FIELD_MISSING) && sy_chance(r, FIELD_MISSING))
        rec->f[DIDQ_ETHNIC][0] = '\0';
    if (sy_has(g, s, DIDQ_AK_RESTRICTED) && strcmp(rec->f[DIDQ_GENDER], "2") == 0 &&
        age_years(rec) >= 16 && age_years(rec) <= 50 && rec->f[DIDQ_NHS_NUMBER][0] &&
        sy_chance(r, RESTRICTED_SHARE)) {
        const sy_code *c = &g->restricted[sy_below(r, (uint32_t)g->nrestricted)];
        sy_set(rec, DIDQ_NICIP, c->nicip);
        sy_set(rec, DIDQ_SNOMED, c->snomed);
    }
}

bool sy_inject_drop(const sy_gen *g, const sy_rec *rec, sy_rng *r)
{
    return sy_has(g, rec->site, DIDQ_AK_VOLUME_DROP) && sy_chance(r, DROP_SHARE);
}

/* A record like src on another day with another imaging code. */
static void moved_copy(sy_gen *g, const sy_rec *src, sy_rng *r, sy_rec *x)
{
    *x = *src;
    x->test = src->test < g->last ? src->test + 1 : src->test - 1;
    if (x->req != DIDQ_NODATE && x->req > x->test) x->req = x->test;
    if (x->recv != DIDQ_NODATE && x->recv > x->test) x->recv = x->test;
    if (x->report != DIDQ_NODATE)
        x->report = x->test + 1 > g->submitted ? g->submitted : x->test + 1;
    int c = sy_pick_code(g, r);
    while (strcmp(g->code[c].nicip, src->f[DIDQ_NICIP]) == 0 || !g->code[c].nicip[0])
        c = (c + 1) % g->ncodes;
    sy_set(x, DIDQ_NICIP, g->code[c].nicip);
    sy_set(x, DIDQ_SNOMED, "");
    sy_render_dates(g, x);
    sy_accession(g, x->site, g->site_acc[x->site]++, x->f[DIDQ_ACCESSION]);
}

/* Two records at the site for a patient seen nowhere else (an NHS number
 * from the top of the range), carried with two birth dates. */
static void identity_pair(sy_gen *g, const sy_rec *rec, sy_rng *r, sy_rec *x)
{
    moved_copy(g, rec, r, &x[0]);
    sy_nhs_number(g, g->patients_max - 1 - g->conflicts++ % 1000, x[0].f[DIDQ_NHS_NUMBER]);
    moved_copy(g, &x[0], r, &x[1]);
    x[1].birth = x[0].birth - 366 - (int32_t)sy_below(r, 3000);
    sy_render_dates(g, &x[1]);
}

int sy_inject_extra(sy_gen *g, const sy_rec *rec, sy_rng *r, sy_rec *extra)
{
    int n = 0, s = rec->site;
    if (s < 0 || rec->nfields != DIDQ_V1_ITEMS) return 0;
    if (sy_has(g, s, DIDQ_AK_DUPLICATE) && sy_chance(r, DUPLICATE_SHARE) &&
        !sy_has(g, s, DIDQ_AK_IDENTITY_CONFLICT)) {
        extra[n] = *rec;
        sy_accession(g, s, g->site_acc[s]++, extra[n].f[DIDQ_ACCESSION]);
        n++;
    }
    if (sy_has(g, s, DIDQ_AK_IDENTITY_CONFLICT) && rec->f[DIDQ_NHS_NUMBER][0] &&
        rec->birth != DIDQ_NODATE && sy_chance(r, IDENTITY_SHARE))
        identity_pair(g, rec, r, &extra[n]), n += 2;
    return n;
}
