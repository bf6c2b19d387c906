/* synth_gen.c: the records of a synthetic month.  Every visit (a patient,
 * a referral, one to three imaging activities) draws from its own random
 * stream, so an injection that changes one visit at one site never moves
 * the records of any other site.  Patients are a pure function of their
 * index: the same patient always has the same identity. */
#include "synth_int.h"
#include "didq/date.h"
#include "didq/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SY_PATIENTS 800000u /* distinct 999 NHS numbers the scheme yields */
#define WEEKEND_WEIGHT 0.22 /* weekend day activity relative to a weekday */

typedef struct sy_patient {
    char nhs[11], status[3], ethnic[3], gender[2], postcode[10], gp[8];
    int32_t birth;
    int home; /* site index */
} sy_patient;

/* Patient source settings: share per 1000 on weekdays and at weekends
 * (national mix: outpatient and GP direct access dominate in the week,
 * inpatients and A&E at weekends; "07 Other" small). */
static const struct {
    uint16_t weekday, weekend;
} setting_mix[8] = {{0, 0},    {140, 350}, {30, 10}, {330, 40},
                    {310, 20}, {140, 500}, {30, 30}, {20, 50}};

/* Age bands (years) and their share per 1000 of imaging activity. */
static const struct {
    uint8_t lo, hi;
    uint16_t share;
} age_mix[] = {{0, 5, 30},    {5, 18, 60},   {18, 40, 180},
               {40, 60, 260}, {60, 80, 320}, {80, 101, 150}};

static const char *const ethnic_codes[] = {"A", "B", "C", "D", "E", "F", "G", "H",  "J", "K",
                                           "L", "M", "N", "P", "R", "S", "Z", "99", ""};
static const uint16_t ethnic_mix[] = {700, 10, 45, 6, 4, 6,  8,  30, 28, 8,
                                      15,  10, 16, 3, 5, 15, 45, 31, 15};

static const char *const other_trusts[] = {"RXF", "RCF", "RJL", "RAE", "RR8", "RWY"};
static const char inward_letters[] = "ABDEFGHJLNPQRSTUWXYZ";

static uint32_t pick_weighted(sy_rng *r, const uint16_t *w, int n)
{
    uint32_t total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    uint32_t x = sy_below(r, total);
    for (int i = 0; i < n; i++) {
        if (x < w[i]) return (uint32_t)i;
        x -= w[i];
    }
    return (uint32_t)(n - 1);
}

/* ---- tables ---- */

static void copy_cell(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

/* Splits a space-separated cell into up to SY_MAXLIST words. */
static int split_words(const char *s, char (*out)[8], size_t width)
{
    int n = 0;
    while (*s && n < SY_MAXLIST) {
        while (*s == ' ')
            s++;
        size_t k = strcspn(s, " ");
        if (k == 0) break;
        snprintf(out[n++], width < k + 1 ? width : k + 1, "%s", s);
        s += k;
    }
    return n;
}

static void load_sites(sy_gen *g)
{
    didq_table *t = didq_table_embedded("synth/sites.csv");
    for (size_t i = 0; i < t->nrows && g->nsites < SY_MAXSITES; i++) {
        sy_site *s = &g->site[g->nsites++];
        memset(s, 0, sizeof *s);
        copy_cell(s->code, sizeof s->code, didq_table_get(t, i, didq_table_col(t, "site")));
        copy_cell(s->trust, sizeof s->trust, didq_table_get(t, i, didq_table_col(t, "trust")));
        copy_cell(s->acc, sizeof s->acc, didq_table_get(t, i, didq_table_col(t, "acc")));
        s->weight = (uint32_t)atoi(didq_table_get(t, i, didq_table_col(t, "weight")));
        char tmp[SY_MAXLIST][8];
        s->nout = split_words(didq_table_get(t, i, didq_table_col(t, "outward")), tmp, 6);
        for (int k = 0; k < s->nout; k++)
            memcpy(s->outward[k], tmp[k], 6);
        s->nprac =
            split_words(didq_table_get(t, i, didq_table_col(t, "practices")), s->practice, 8);
    }
    didq_table_free(t);
}

static sy_code *load_codes(const char *name, int *n, uint32_t *total)
{
    didq_table *t = didq_table_embedded(name);
    sy_code *c = didq_xcalloc(t->nrows + 1, sizeof *c);
    int wcol = didq_table_col(t, "weight");
    *total = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        copy_cell(c[i].nicip, sizeof c[i].nicip, didq_table_get(t, i, didq_table_col(t, "nicip")));
        copy_cell(c[i].snomed, sizeof c[i].snomed,
                  didq_table_get(t, i, didq_table_col(t, "snomed")));
        c[i].weight = wcol < 0 ? 1 : (uint32_t)atoi(didq_table_get(t, i, wcol));
        *total += c[i].weight;
    }
    *n = (int)t->nrows;
    didq_table_free(t);
    return c;
}

int sy_gen_init(sy_gen *g, char *err, size_t errlen)
{
    load_sites(g);
    uint32_t rt = 0;
    g->code = load_codes("synth/imaging.csv", &g->ncodes, &g->code_total);
    g->restricted = load_codes("synth/restricted.csv", &g->nrestricted, &rt);
    if (g->nsites < 2 || g->ncodes < 4 || g->nrestricted < 1) {
        snprintf(err, errlen, "synthetic data tables are incomplete");
        return -1;
    }
    g->ndays = didq_date_days_in_month(g->o.year, g->o.month);
    g->first = didq_date_from_ymd(g->o.year, g->o.month, 1);
    g->last = g->first + g->ndays - 1;
    g->submitted = g->last + 1;
    g->acc_offset = 1 + sy_mix(g->o.seed ^ 0xacc) % 40000;
    g->patients_max = SY_PATIENTS;
    return 0;
}

void sy_gen_free(sy_gen *g)
{
    free(g->code);
    free(g->restricted);
    g->code = g->restricted = NULL;
}

/* ---- identifiers ---- */

/* NHS number of patient q: 999, a scrambled 5-digit block, a ninth digit
 * chosen so the modulus 11 check digit exists (never 9, so the number can
 * never be a palindrome), and the check digit. */
void sy_nhs_number(const sy_gen *g, uint32_t q, char *out)
{
    /* a bijection of 0..SY_PATIENTS-1 (the multiplier is prime to it) */
    uint32_t idx = (uint32_t)(((q % g->patients_max) * 619607ULL + g->o.seed) % g->patients_max);
    uint32_t block = idx / 8;
    int k = (int)(idx % 8);
    memcpy(out, "999", 3);
    for (int i = 7; i >= 3; i--, block /= 10)
        out[i] = (char)('0' + block % 10);
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (out[i] - '0') * (10 - i);
    for (int d = 0; d <= 8; d++) {
        int check = 11 - (sum + 2 * d) % 11;
        if (check == 11) check = 0;
        if (check == 10 || k-- > 0) continue;
        out[8] = (char)('0' + d);
        out[9] = (char)('0' + check);
        out[10] = '\0';
        return;
    }
}

void sy_accession(sy_gen *g, int site, uint64_t n, char *out)
{
    int y, m, d;
    int32_t base = g->first;
    if (sy_has(g, site, DIDQ_AK_ACCESSION_REUSED)) base = didq_date_add_months(base, -1);
    didq_date_to_ymd(base, &y, &m, &d);
    size_t k = strlen(g->site[site].acc);
    memcpy(out, g->site[site].acc, k);
    int v[4] = {y % 100 / 10, y % 10, m / 10, m % 10};
    for (int i = 0; i < 4; i++)
        out[k++] = (char)('0' + v[i]);
    uint64_t c = (n + g->acc_offset) % 10000000;
    for (int i = 6; i >= 0; i--, c /= 10)
        out[k + (size_t)i] = (char)('0' + c % 10);
    out[k + 7] = '\0';
}

/* ---- patients ---- */

static int pick_site_weighted(const sy_gen *g, sy_rng *r, const char *trust, int exclude)
{
    uint32_t total = 0;
    for (int i = 0; i < g->nsites; i++)
        if (i != exclude && (!trust || strcmp(g->site[i].trust, trust) == 0))
            total += g->site[i].weight;
    uint32_t x = sy_below(r, total ? total : 1);
    for (int i = 0; i < g->nsites; i++) {
        if (i == exclude || (trust && strcmp(g->site[i].trust, trust) != 0)) continue;
        if (x < g->site[i].weight) return i;
        x -= g->site[i].weight;
    }
    return exclude == 0 ? 1 : 0;
}

static void make_postcode(const sy_site *s, sy_rng *r, char *out)
{
    char in[4] = {(char)('1' + sy_below(r, 9)), inward_letters[sy_below(r, 20)],
                  inward_letters[sy_below(r, 20)], 0};
    snprintf(out, 10, "%s %s", s->outward[sy_below(r, (uint32_t)s->nout)], in);
}

static void make_patient(const sy_gen *g, uint32_t q, sy_patient *p)
{
    sy_rng r = sy_stream(g->o.seed, 7, q % g->patients_max);
    p->home = pick_site_weighted(g, &r, NULL, -1);
    const sy_site *s = &g->site[p->home];
    bool has_nhs = !sy_chance(&r, 0.004);
    if (has_nhs) {
        sy_nhs_number(g, q, p->nhs);
        uint32_t x = sy_below(&r, 1000);
        strcpy(p->status, x < 760 ? "01" : x < 900 ? "02" : x < 910 ? "04" : "");
    } else {
        p->nhs[0] = '\0';
        strcpy(p->status, sy_chance(&r, 0.7) ? "07" : "03");
    }
    uint16_t w[6];
    for (int i = 0; i < 6; i++)
        w[i] = age_mix[i].share;
    int band = (int)pick_weighted(&r, w, 6);
    int32_t span = (age_mix[band].hi - age_mix[band].lo) * 365;
    int32_t age = age_mix[band].lo * 365 + 70 + (int32_t)sy_below(&r, (uint32_t)span - 70);
    /* Anchored at 1 January of the month's year, not the month, so that a
     * patient keeps one birth date in every month of a year (two files of
     * the same seed would otherwise carry identity conflicts). */
    int y, m, d;
    didq_date_to_ymd(g->first, &y, &m, &d);
    p->birth = didq_date_from_ymd(y, 1, 1) - age;
    strcpy(p->ethnic, ethnic_codes[pick_weighted(&r, ethnic_mix, 19)]);
    uint32_t gx = sy_below(&r, 1000);
    strcpy(p->gender, gx < 460 ? "1" : gx < 995 ? "2" : gx < 997 ? "9" : "0");
    if (sy_chance(&r, 0.998))
        make_postcode(s, &r, p->postcode);
    else
        p->postcode[0] = '\0';
    uint32_t px = sy_below(&r, 1000);
    if (px < 970)
        strcpy(p->gp, s->practice[sy_below(&r, (uint32_t)s->nprac)]);
    else
        strcpy(p->gp, px < 975 ? "V81999" : "");
}

/* ---- the record ---- */

void sy_set(sy_rec *r, int field, const char *s)
{
    size_t n = strlen(s);
    if (n >= SY_FLEN) n = SY_FLEN - 1;
    memcpy(r->f[field], s, n);
    r->f[field][n] = '\0';
}

void sy_setdate(const sy_gen *g, sy_rec *r, int field, int32_t day)
{
    if (day == DIDQ_NODATE)
        r->f[field][0] = '\0';
    else if (day >= g->dbase && day - g->dbase < SY_DCACHE)
        memcpy(r->f[field], g->dtext[day - g->dbase], 11);
    else
        didq_date_format(day, r->f[field]);
}

void sy_render_dates(const sy_gen *g, sy_rec *r)
{
    sy_setdate(g, r, DIDQ_BIRTH_DATE, r->birth);
    sy_setdate(g, r, DIDQ_REQUEST_DATE, r->req);
    sy_setdate(g, r, DIDQ_RECEIVED_DATE, r->recv);
    sy_setdate(g, r, DIDQ_TEST_DATE, r->test);
    sy_setdate(g, r, DIDQ_REPORT_DATE, r->report);
}

bool sy_is_weekend(int32_t day)
{
    return didq_date_weekday(day) >= 5;
}

int sy_pick_code(const sy_gen *g, sy_rng *r)
{
    uint32_t x = sy_below(r, g->code_total);
    for (int i = 0; i < g->ncodes; i++) {
        if (x < g->code[i].weight) return i;
        x -= g->code[i].weight;
    }
    return 0;
}

/* ---- visits ---- */

typedef struct sy_visit {
    sy_patient p;
    int site, setting, ncodes;
    bool gp_ref;
    int32_t day, req, recv;
    char referrer[12], org[8];
    int codes[3];
} sy_visit;

static bool day_open(const sy_gen *g, int site, int32_t day)
{
    return !(sy_has(g, site, DIDQ_AK_ACTIVITY_GAP) && day - g->first < 15);
}

/* Test date of a visit: the first visits of each site walk through all its
 * weekdays (so every site is active every weekday), later ones are drawn
 * with weekends at WEEKEND_WEIGHT of a weekday. */
static int32_t pick_day(sy_gen *g, int site, sy_rng *r)
{
    int nwd = g->nwd[site], nwe = g->nwe[site];
    const int32_t *wd = g->wd[site], *we = g->we[site];
    uint64_t c = g->site_visits[site]++;
    if (c < (uint64_t)nwd) {
        int stride = nwd % 7 ? 7 : 5;
        return wd[(c * (uint64_t)stride + (uint64_t)site) % (uint64_t)nwd];
    }
    double pwe = nwe * WEEKEND_WEIGHT / (nwd + nwe * WEEKEND_WEIGHT);
    if (nwe && sy_chance(r, pwe)) return we[sy_below(r, (uint32_t)nwe)];
    return wd[sy_below(r, (uint32_t)nwd)];
}

/* The days each site is open for tests (an activity gap closes some), and
 * the date texts around the month.  Called after --inject is parsed. */
void sy_gen_prepare(sy_gen *g)
{
    for (int s = 0; s < g->nsites; s++) {
        g->nwd[s] = g->nwe[s] = 0;
        for (int32_t d = g->first; d <= g->last; d++) {
            if (!day_open(g, s, d)) continue;
            if (sy_is_weekend(d))
                g->we[s][g->nwe[s]++] = d;
            else
                g->wd[s][g->nwd[s]++] = d;
        }
    }
    g->dbase = g->first - (SY_DCACHE - 64);
    for (int i = 0; i < SY_DCACHE; i++)
        didq_date_format(g->dbase + i, g->dtext[i]);
}

static int pick_setting(int32_t day, sy_rng *r)
{
    uint16_t w[7];
    bool weekend = sy_is_weekend(day);
    for (int i = 0; i < 7; i++)
        w[i] = weekend ? setting_mix[i + 1].weekend : setting_mix[i + 1].weekday;
    return 1 + (int)pick_weighted(r, w, 7);
}

/* A referrer code derived from an organisation and a person index, so the
 * same GP or consultant keeps the same code. */
static void person_code(const sy_gen *g, char letter, const char *org, uint32_t k, char *out)
{
    uint64_t h = g->o.seed * 31 + k;
    for (const char *s = org; *s; s++)
        h = h * 131 + (unsigned char)*s;
    h = sy_mix(h);
    snprintf(out, 12, "%c%c%06u", letter, (char)('1' + h % 8), (unsigned)((h >> 8) % 1000000));
}

static void gp_referral(const sy_gen *g, sy_visit *v, sy_rng *r)
{
    const sy_site *s = &g->site[v->site];
    const char *prac =
        v->p.gp[0] && v->p.gp[0] != 'V' ? v->p.gp : s->practice[sy_below(r, (uint32_t)s->nprac)];
    strcpy(v->org, sy_chance(r, 0.99) ? prac : "");
    uint32_t x = sy_below(r, 100);
    if (x < 93)
        person_code(g, 'G', prac, sy_below(r, 6), v->referrer);
    else
        strcpy(v->referrer, x < 98 ? "G9999998" : "");
}

static void hospital_referral(const sy_gen *g, sy_visit *v, sy_rng *r)
{
    const sy_site *s = &g->site[v->site];
    uint32_t x = sy_below(r, 100);
    if (v->setting == 7) {
        static const char *const other[] = {"R9999981", "X9999998", "H9999998", "M9999998"};
        strcpy(v->referrer, other[sy_below(r, 4)]);
        strcpy(v->org, x < 50 ? "X99999" : s->trust);
        return;
    }
    if (v->setting == 6) {
        const char *t = other_trusts[sy_below(r, 6)];
        if (strcmp(t, s->trust) == 0) t = "RXF";
        strcpy(v->org, t);
        person_code(g, 'C', t, sy_below(r, 30), v->referrer);
        return;
    }
    /* no default org code here: X99999 has a GP practice's shape */
    strcpy(v->org, x < 98 ? s->trust : "");
    uint32_t y = sy_below(r, 100);
    if (y < 88)
        person_code(g, 'C', s->code, sy_below(r, 40), v->referrer);
    else if (y < 94)
        strcpy(v->referrer, "C9999998");
    else if (y < 97 && v->setting == 5)
        snprintf(v->referrer, 12, "%02u%c%04u%c", sy_below(r, 90) + 10, 'A' + sy_below(r, 26),
                 sy_below(r, 10000), 'A' + sy_below(r, 26));
    else
        v->referrer[0] = '\0';
}

/* Days from request to test by setting. */
static int32_t request_gap(int setting, sy_rng *r)
{
    switch (setting) {
    case 5:
        return sy_chance(r, 0.92) ? 0 : 1;
    case 1:
        return sy_chance(r, 0.65) ? 0 : 1 + (int32_t)sy_below(r, 3);
    case 2:
        return 7 + (int32_t)sy_below(r, 54);
    case 3: {
        int32_t a = 1 + (int32_t)sy_below(r, 60), b = 1 + (int32_t)sy_below(r, 60);
        return a < b ? a : b;
    }
    case 4:
        return sy_chance(r, 0.35) ? 0 : 1 + (int32_t)sy_below(r, 30);
    case 6:
        return 2 + (int32_t)sy_below(r, 44);
    default:
        return (int32_t)sy_below(r, 31);
    }
}

static void referral_dates(sy_visit *v, sy_rng *r)
{
    uint32_t x = sy_below(r, 1000);
    int32_t req = v->day - request_gap(v->setting, r);
    uint32_t y = sy_below(r, 100);
    int32_t recv = req + (y < 80 ? 0 : y < 95 ? 1 : 2);
    v->recv = recv > v->day ? v->day : recv;
    v->req = x < 25 ? DIDQ_NODATE : req;
    if (x < 20) v->recv = DIDQ_NODATE;
}

static int32_t report_date(const sy_gen *g, int32_t test, sy_rng *r)
{
    static const uint16_t gap_mix[] = {350, 250, 200, 120, 65, 15};
    static const uint8_t gap_lo[] = {0, 1, 2, 4, 8, 15}, gap_n[] = {1, 1, 2, 4, 7, 1};
    if (sy_chance(r, 0.012)) return DIDQ_NODATE;
    int b = (int)pick_weighted(r, gap_mix, 5);
    int32_t rep = test + gap_lo[b] + (int32_t)sy_below(r, gap_n[b]);
    return rep > g->submitted ? g->submitted : rep;
}

static void choose_patient(sy_gen *g, sy_visit *v, sy_rng *r)
{
    if (g->ring_n > 0 && sy_chance(r, 0.10)) {
        uint32_t i = sy_below(r, g->ring_n);
        sy_visit_ref ref = g->ring[i];
        g->ring[i] = g->ring[--g->ring_n];
        make_patient(g, ref.patient, &v->p);
        /* a second visit is always at another site of the same trust, so it
         * can never look like a duplicate of the first */
        v->site = pick_site_weighted(g, r, g->site[ref.site].trust, ref.site);
        return;
    }
    uint32_t q = g->next_patient++;
    make_patient(g, q, &v->p);
    v->site = v->p.home;
    sy_visit_ref ref = {q, v->site};
    if (g->ring_n < SY_RING)
        g->ring[g->ring_n++] = ref;
    else
        g->ring[sy_below(r, SY_RING)] = ref;
}

static void plan_visit(sy_gen *g, uint64_t visit_no, sy_visit *v, sy_rng *r, sy_rng *ri)
{
    choose_patient(g, v, r);
    v->day = pick_day(g, v->site, r);
    v->setting = pick_setting(v->day, r);
    v->gp_ref = v->setting == 4;
    int set = sy_inject_setting(g, v->site, v->setting, ri);
    if (set != v->setting) {
        v->gp_ref = set == 3 && v->gp_ref && sy_has(g, v->site, DIDQ_AK_GP_AS_OUTPATIENT);
        v->setting = set;
    }
    if (v->gp_ref)
        gp_referral(g, v, r);
    else
        hospital_referral(g, v, r);
    referral_dates(v, r);
    /* the number of activities has its own stream so that no injection
     * changes how many records a visit gives */
    sy_rng rn = sy_stream(g->o.seed, 4, visit_no);
    uint32_t n = sy_below(&rn, 100);
    v->ncodes = n < 85 ? 1 : n < 97 ? 2 : 3;
    for (int i = 0; i < v->ncodes; i++) {
        int c = sy_pick_code(g, r);
        for (int t = 0; t < 8 && ((i > 0 && c == v->codes[0]) || (i > 1 && c == v->codes[1])); t++)
            c = sy_pick_code(g, r);
        v->codes[i] = c;
    }
}

static void fill_record(sy_gen *g, const sy_visit *v, int a, sy_rng *r, sy_rec *rec)
{
    const sy_patient *p = &v->p;
    const sy_code *c = &g->code[v->codes[a]];
    rec->site = v->site;
    rec->nfields = DIDQ_V1_ITEMS;
    sy_set(rec, DIDQ_NHS_NUMBER, p->nhs);
    sy_set(rec, DIDQ_NHS_STATUS, p->status);
    sy_set(rec, DIDQ_ETHNIC, p->ethnic);
    sy_set(rec, DIDQ_GENDER, p->gender);
    sy_set(rec, DIDQ_POSTCODE, p->postcode);
    sy_set(rec, DIDQ_PRACTICE, p->gp);
    rec->f[DIDQ_SETTING][0] = '0';
    rec->f[DIDQ_SETTING][1] = (char)('0' + v->setting);
    rec->f[DIDQ_SETTING][2] = '\0';
    sy_set(rec, DIDQ_REFERRER, v->referrer);
    sy_set(rec, DIDQ_REFERRING_ORG, v->org);
    sy_set(rec, DIDQ_NICIP, c->nicip);
    sy_set(rec, DIDQ_SNOMED, c->nicip[0] && !sy_chance(r, 0.4) ? "" : c->snomed);
    sy_set(rec, DIDQ_SITE, g->site[v->site].code);
    sy_accession(g, v->site, g->site_acc[v->site]++, rec->f[DIDQ_ACCESSION]);
    rec->birth = p->birth;
    rec->req = v->req;
    rec->recv = v->recv;
    rec->test = v->day;
    if (a > 0 && sy_chance(r, 0.2)) {
        int32_t later = v->day + 1 + (int32_t)sy_below(r, 3);
        if (later <= g->last && day_open(g, v->site, later)) rec->test = later;
    }
    rec->report = report_date(g, rec->test, r);
    sy_render_dates(g, rec);
}

/* Writes one base record with its injections and defect; returns false
 * when --rows is reached.  Planted extra records are taken before the
 * defect so they stay valid. */
static bool emit(sy_gen *g, sy_rec *rec, sy_rng *ri)
{
    sy_inject_dates(g, rec, ri);
    sy_inject_fields(g, rec, ri);
    sy_rec extra[2];
    int n = sy_inject_extra(g, rec, ri, extra);
    bool drop = sy_inject_drop(g, rec, ri);
    uint64_t no = g->base_rows++;
    sy_rng rd = sy_stream(g->o.seed, 3, no);
    if (g->o.defect_rate > 0 && sy_chance(&rd, g->o.defect_rate))
        sy_defect_apply(g, rec, (int)(g->defect_no++ % (uint64_t)sy_defect_count(g)), &rd);
    if (!drop) sy_out_record(g, rec);
    for (int i = 0; i < n; i++)
        sy_out_record(g, &extra[i]);
    return g->base_rows < g->o.rows;
}

void sy_gen_run(sy_gen *g)
{
    sy_out_begin(g);
    uint64_t visit = 0;
    while (g->base_rows < g->o.rows && !g->sink.err) {
        sy_rng r = sy_stream(g->o.seed, 1, visit);
        sy_rng ri = sy_stream(g->o.seed, 2, visit);
        sy_visit v;
        memset(&v, 0, sizeof v);
        plan_visit(g, visit++, &v, &r, &ri);
        for (int a = 0; a < v.ncodes; a++) {
            sy_rec rec;
            fill_record(g, &v, a, &r, &rec);
            if (!emit(g, &rec, &ri)) break;
        }
    }
    sy_out_end(g);
}
