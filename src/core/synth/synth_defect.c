/* synth_defect.c: --defect-rate gives a share of records one defect each,
 * round-robin across every rule of refdata/v1/rules.csv that needs no
 * reference data (DIDS071 duplicates and DIDS075 short rows only when
 * asked, so files stay loadable by default).  Each defect makes its rule
 * fire; a few rules cannot fire alone (a birth date after the report
 * date is also after the test date) and bring a companion code, listed
 * in docs/synth.md. */
#include "synth_int.h"
#include "didq/date.h"
#include "didq/ident.h"
#include "didq/table.h"

#include <stdio.h>
#include <string.h>

typedef void (*defect_fn)(sy_gen *g, sy_rec *r);

static int32_t month_start(int32_t d)
{
    int y, m, dd;
    didq_date_to_ymd(d, &y, &m, &dd);
    return didq_date_from_ymd(y, m, 1);
}

/* Keeps the birth date before every other date after dates moved. */
static void birth_guard(sy_rec *r, int32_t earliest)
{
    if (r->birth != DIDQ_NODATE && r->birth > earliest - 200) r->birth = earliest - 200 - 365 * 30;
}

static void shift_dates(sy_rec *r, int months)
{
    int32_t delta = r->test - didq_date_add_months(r->test, months);
    int32_t *d[] = {&r->req, &r->recv, &r->test, &r->report};
    for (int i = 0; i < 4; i++)
        if (*d[i] != DIDQ_NODATE) *d[i] -= delta;
    birth_guard(r, r->req != DIDQ_NODATE ? r->req : r->recv != DIDQ_NODATE ? r->recv : r->test);
}

static void d001(sy_gen *g, sy_rec *r)
{
    (void)g;
    char *n = r->f[DIDQ_NHS_NUMBER];
    if (strlen(n) != 10) strcpy(n, "9990001111");
    for (int k = 0; k < 10 && didq_nhs_check(n, 10) == DIDQ_NHS_OK; k++)
        n[9] = (char)('0' + (n[9] - '0' + 1) % 10);
}
static void d002(sy_gen *g, sy_rec *r)
{
    (void)g;
    sy_set(r, DIDQ_NHS_NUMBER, r->f[DIDQ_NHS_NUMBER][0] ? r->f[DIDQ_NHS_NUMBER] : "9990001111");
    r->f[DIDQ_NHS_NUMBER][9] = '\0';
}
static void d003(sy_gen *g, sy_rec *r)
{
    (void)g;
    sy_set(r, DIDQ_NHS_STATUS, "7");
}
static void d005(sy_gen *g, sy_rec *r)
{
    (void)g;
    int y, m, d;
    didq_date_to_ymd(r->birth, &y, &m, &d);
    snprintf(r->f[DIDQ_BIRTH_DATE], SY_FLEN, "%04d%02d%02d", y, m, d);
}
static void d006(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->birth = r->test + 3;
}
static void d008(sy_gen *g, sy_rec *r)
{
    (void)g;
    if (r->report == DIDQ_NODATE) r->report = r->test;
    r->birth = r->report + 1;
}
static void d009(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->birth = didq_date_from_ymd(1900, 1, 1);
}
static void d010(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->req = r->test - 300;
    r->recv = r->test - 5;
    r->birth = didq_date_add_months(month_start(r->req), 8);
}
static void d012(sy_gen *g, sy_rec *r)
{
    (void)g;
    sy_set(r, DIDQ_ETHNIC, "a");
}
static void d014(sy_gen *g, sy_rec *r)
{
    (void)g;
    sy_set(r, DIDQ_GENDER, "X");
}
static void d017(sy_gen *g, sy_rec *r)
{
    (void)g;
    char *p = r->f[DIDQ_POSTCODE], *sp = strchr(p, ' ');
    if (sp)
        memmove(sp, sp + 1, strlen(sp));
    else
        sy_set(r, DIDQ_POSTCODE, "LS14HR");
}
static void d020(sy_gen *g, sy_rec *r)
{
    (void)g;
    sy_set(r, DIDQ_SETTING, "");
}
static void d021(sy_gen *g, sy_rec *r)
{
    (void)g;
    memmove(r->f[DIDQ_SETTING], r->f[DIDQ_SETTING] + 1, 2);
}
static void d023(sy_gen *g, sy_rec *r)
{
    (void)g;
    sy_set(r, DIDQ_REFERRER, "H123456");
}
static void d026(sy_gen *g, sy_rec *r)
{
    (void)g;
    int y, m, d;
    didq_date_to_ymd(r->req != DIDQ_NODATE ? r->req : r->test, &y, &m, &d);
    snprintf(r->f[DIDQ_REQUEST_DATE], SY_FLEN, "%04d/%02d/%02d", y, m, d);
}
static void d027(sy_gen *g, sy_rec *r)
{
    (void)g;
    if (r->req == DIDQ_NODATE) r->req = r->test;
    r->recv = r->req - 1;
}
static void d028(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->req = r->test - 400;
    birth_guard(r, r->req);
}
static void d031(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->req = didq_date_from_ymd(1969, 12, 31);
    r->birth = didq_date_from_ymd(1950, 5, 5);
}
static void d034(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->req = r->test + 1;
    r->recv = DIDQ_NODATE;
    if (r->report != DIDQ_NODATE && r->report < r->req) r->report = r->req;
}
static void d035(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->req = r->test;
    r->recv = DIDQ_NODATE;
    r->report = r->test - 1;
}
static void d036(sy_gen *g, sy_rec *r)
{
    (void)g;
    int y, m, d;
    didq_date_to_ymd(r->recv != DIDQ_NODATE ? r->recv : r->test, &y, &m, &d);
    snprintf(r->f[DIDQ_RECEIVED_DATE], SY_FLEN, "%02d-%02d-%04d", d, m, y);
}
static void d038(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->req = DIDQ_NODATE;
    r->recv = r->test - 400;
    birth_guard(r, r->recv);
}
static void d040(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->req = DIDQ_NODATE;
    r->recv = r->test - 300;
    r->birth = didq_date_add_months(month_start(r->recv), 8);
}
static void d041(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->req = DIDQ_NODATE;
    r->recv = didq_date_from_ymd(1969, 7, 1);
    r->birth = didq_date_from_ymd(1950, 5, 5);
}
static void d043(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->recv = r->test + 1;
    if (r->report != DIDQ_NODATE && r->report < r->recv) r->report = r->recv;
}
static void d044(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->req = DIDQ_NODATE;
    r->recv = r->test;
    r->report = r->test - 1;
}
static void d045(sy_gen *g, sy_rec *r)
{
    (void)g;
    int y, m, d;
    didq_date_to_ymd(r->test, &y, &m, &d);
    snprintf(r->f[DIDQ_TEST_DATE], SY_FLEN, "%04d-%02d-32", y, m);
}
static void d048(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->report = r->test - 1;
    if (r->req != DIDQ_NODATE && r->req > r->report) r->req = r->report;
    if (r->recv != DIDQ_NODATE && r->recv > r->report) r->recv = r->report;
}
static void d049(sy_gen *g, sy_rec *r)
{
    (void)g;
    shift_dates(r, -3);
}
static void d050(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->test = DIDQ_NODATE;
}
static void d051(sy_gen *g, sy_rec *r)
{
    r->test = g->submitted + 1;
    r->report = DIDQ_NODATE;
}
static void d055(sy_gen *g, sy_rec *r)
{
    (void)g;
    shift_dates(r, -6);
}
static void d056(sy_gen *g, sy_rec *r)
{
    (void)g;
    sy_set(r, DIDQ_NICIP, "");
    sy_set(r, DIDQ_SNOMED, "");
}
static void d061(sy_gen *g, sy_rec *r)
{
    (void)g;
    int y, m, d;
    didq_date_to_ymd(r->report != DIDQ_NODATE ? r->report : r->test, &y, &m, &d);
    snprintf(r->f[DIDQ_REPORT_DATE], SY_FLEN, "%02d/%02d/%04d", d, m, y);
}
static void d062(sy_gen *g, sy_rec *r)
{
    shift_dates(r, -1);
    r->report = didq_date_add_months(r->test, 1) + 1;
    if (r->report > g->submitted) r->report = g->submitted;
}
static void d066(sy_gen *g, sy_rec *r)
{
    /* keep the report within a month of the test (no DIDS062) */
    int32_t earliest = didq_date_add_months(g->submitted + 1, -1);
    if (r->test < earliest) r->test = earliest;
    r->report = g->submitted + 1;
}
static void d067(sy_gen *g, sy_rec *r)
{
    (void)g;
    sy_set(r, DIDQ_SITE, "");
}
static void d069(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->f[DIDQ_SITE][3] = '\0';
}
static void d070(sy_gen *g, sy_rec *r)
{
    (void)g;
    sy_set(r, DIDQ_ACCESSION, "");
}
static void d071(sy_gen *g, sy_rec *r)
{
    /* the accession number of the next record of the same site */
    if (r->site >= 0) sy_accession(g, r->site, g->site_acc[r->site], r->f[DIDQ_ACCESSION]);
}
static void d072(sy_gen *g, sy_rec *r)
{
    (void)g;
    size_t n = strlen(r->f[DIDQ_ACCESSION]);
    while (n < 24)
        r->f[DIDQ_ACCESSION][n++] = 'X';
    r->f[DIDQ_ACCESSION][n] = '\0';
}
static void blank_demographics(sy_rec *r)
{
    static const int f[] = {DIDQ_NHS_NUMBER, DIDQ_BIRTH_DATE, DIDQ_ETHNIC,
                            DIDQ_GENDER,     DIDQ_POSTCODE,   DIDQ_PRACTICE};
    for (int i = 0; i < 6; i++)
        r->f[f[i]][0] = '\0';
    r->birth = DIDQ_NODATE;
}
static void d073(sy_gen *g, sy_rec *r)
{
    (void)g;
    blank_demographics(r);
}
static void d074(sy_gen *g, sy_rec *r)
{
    (void)g;
    blank_demographics(r);
    sy_set(r, DIDQ_POSTCODE, "ZZ99 3WZ");
}
static void d075(sy_gen *g, sy_rec *r)
{
    (void)g;
    r->nfields = DIDQ_V1_ITEMS - 1;
}

static void dq001(sy_gen *g, sy_rec *r)
{
    (void)g;
    sy_set(r, DIDQ_SNOMED, "417905004"); /* a wrong Verhoeff check digit */
}
static void dq002(sy_gen *g, sy_rec *r)
{
    (void)g;
    sy_set(r, DIDQ_NICIP, "9XAB"); /* starts with a digit */
}

/* Defects whose date fields are written from the day numbers afterwards;
 * the others write text directly. */
static const struct {
    const char *code;
    defect_fn fn;
    bool dates;
} defects[] = {
    {"DIDS001", d001, 0},  {"DIDS002", d002, 0},  {"DIDS003", d003, 0}, {"DIDS005", d005, 0},
    {"DIDS006", d006, 1},  {"DIDS008", d008, 1},  {"DIDS009", d009, 1}, {"DIDS010", d010, 1},
    {"DIDS012", d012, 0},  {"DIDS014", d014, 0},  {"DIDS017", d017, 0}, {"DIDS020", d020, 0},
    {"DIDS021", d021, 0},  {"DIDS023", d023, 0},  {"DIDS026", d026, 0}, {"DIDS027", d027, 1},
    {"DIDS028", d028, 1},  {"DIDS031", d031, 1},  {"DIDS034", d034, 1}, {"DIDS035", d035, 1},
    {"DIDS036", d036, 0},  {"DIDS038", d038, 1},  {"DIDS040", d040, 1}, {"DIDS041", d041, 1},
    {"DIDS043", d043, 1},  {"DIDS044", d044, 1},  {"DIDS045", d045, 0}, {"DIDS048", d048, 1},
    {"DIDS049", d049, 1},  {"DIDS050", d050, 1},  {"DIDS051", d051, 1}, {"DIDS055", d055, 1},
    {"DIDS056", d056, 0},  {"DIDS061", d061, 0},  {"DIDS062", d062, 1}, {"DIDS066", d066, 1},
    {"DIDS067", d067, 0},  {"DIDS069", d069, 0},  {"DIDS070", d070, 0}, {"DIDS071", d071, 0},
    {"DIDS072", d072, 0},  {"DIDS073", d073, 0},  {"DIDS074", d074, 0}, {"DIDS075", d075, 0},
    {"DIDQ001", dq001, 0}, {"DIDQ002", dq002, 0},
};
#define NDEFECTS ((int)(sizeof defects / sizeof defects[0]))

static int defect_index(const char *code)
{
    for (int i = 0; i < NDEFECTS; i++)
        if (strcmp(defects[i].code, code) == 0) return i;
    return -1;
}

static int add_defect(sy_gen *g, const char *code, char *err, size_t errlen)
{
    int i = defect_index(code);
    if (i < 0) {
        snprintf(err, errlen, "no synthetic defect for rule %s", code);
        return -1;
    }
    if (g->ndefects < 64) g->defect[g->ndefects++] = i;
    return 0;
}

int sy_defect_init(sy_gen *g, char *err, size_t errlen)
{
    didq_table *t = didq_table_embedded("v1/rules.csv");
    int code = didq_table_col(t, "code"), needs = didq_table_col(t, "needs");
    int rc = 0;
    g->ndefects = 0;
    for (size_t i = 0; i < t->nrows && rc == 0; i++) {
        const char *c = didq_table_get(t, i, code);
        if (didq_table_get(t, i, needs)[0] || (strcmp(c, "DIDS071") == 0 && !g->o.defect_dups))
            continue;
        rc = add_defect(g, c, err, errlen);
    }
    didq_table_free(t);
    if (rc == 0 && g->o.defect_columns && !g->o.xml) rc = add_defect(g, "DIDS075", err, errlen);
    return rc;
}

int sy_defect_count(const sy_gen *g)
{
    return g->ndefects;
}

const char *sy_defect_code(const sy_gen *g, int i)
{
    return i >= 0 && i < g->ndefects ? defects[g->defect[i]].code : NULL;
}

void sy_defect_apply(sy_gen *g, sy_rec *rec, int i, sy_rng *r)
{
    (void)r;
    int k = g->defect[i];
    defects[k].fn(g, rec);
    if (defects[k].dates) sy_render_dates(g, rec);
}
