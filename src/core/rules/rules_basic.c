/* rules_basic.c: the check primitives that need only the record and the
 * submission date.  Each returns 1 when its rule fires.  The conditions are
 * those of dids-spec.md section 3; deliberate differences are listed in
 * docs/rules.md. */
#include "didq/date.h"
#include "didq/ident.h"
#include "didq/rules.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define F0 (cr->f[0])
#define F1 (cr->f[1])
#define VAL(i) (r->f[i].val)
#define LEN(i) (r->f[i].len)
#define DATE_OK(i) (r->date[i] != DIDQ_NODATE)

/* Characters (UTF-8 code points) in a cleansed value. */
static long chars(const char *s, size_t n)
{
    long k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* ---- argument binders ---- */

static int bind_text(didq_crule *cr, const char *args)
{
    cr->text = args;
    return args[0] != 0;
}

static int bind_list(didq_crule *cr, const char *args)
{
    cr->text = args;
    cr->list = didq_dataset_list(didq_dataset_v1(), args);
    return cr->list != NULL;
}

static int bind_date(didq_crule *cr, const char *args)
{
    return didq_date_parse(args, strlen(args), &cr->date);
}

/* "a" or "a b" or "a -" (b unbounded). */
static int bind_range(didq_crule *cr, const char *args)
{
    char *end;
    cr->a = strtol(args, &end, 10);
    if (end == args) return 0;
    while (*end == ' ')
        end++;
    if (*end == 0 || *end == '-')
        cr->b = *end ? LONG_MAX : cr->a;
    else
        cr->b = strtol(end, NULL, 10);
    return 1;
}

/* ---- primitives ---- */

static int blank(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return didq_blank(r, F0);
}

static int not_in_list(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && !didq_codelist_has(cr->list, VAL(F0), LEN(F0));
}

/* DIDS014: NHS England fires on an empty string (a whitespace-only value)
 * but not on a null one. */
static int not_in_list_nonnull(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_null(r, F0) && !didq_codelist_has(cr->list, VAL(F0), LEN(F0));
}

static int not_date(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && !DATE_OK(F0);
}

static int nhs_invalid(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && didq_nhs_check(VAL(F0), LEN(F0)) != DIDQ_NHS_OK;
}

static int nhs_length(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && chars(VAL(F0), LEN(F0)) != cr->a;
}

static int date_before(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return DATE_OK(F0) && r->date[F0] < cr->date;
}

static int date_after(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return DATE_OK(F0) && DATE_OK(F1) && r->date[F0] > r->date[F1];
}

/* MI(first) - MI(second) > a, on leniently parsed dates (DIDS010/040). */
static int months_after(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    if (r->ldate[F0] == DIDQ_NODATE || r->ldate[F1] == DIDQ_NODATE) return 0;
    return r->lmonth[F0] - r->lmonth[F1] > cr->a;
}

/* second - first > a days, lenient dates (DIDS028). */
static int days_after_lenient(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    if (r->ldate[F0] == DIDQ_NODATE || r->ldate[F1] == DIDQ_NODATE) return 0;
    return (long)r->ldate[F1] - r->ldate[F0] > cr->a;
}

/* second - first > a days, strict dates (DIDS038). */
static int days_after(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return DATE_OK(F0) && DATE_OK(F1) && (long)r->date[F1] - r->date[F0] > cr->a;
}

static int after_submission(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return DATE_OK(F0) && r->date[F0] > c->submitted;
}

/* k = MI(submission) - MI(date) within [a, b] (DIDS049, DIDS055). */
static int submission_months(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    if (!DATE_OK(F0)) return 0;
    long k = c->submitted_month - r->month[F0];
    return k >= cr->a && k <= cr->b;
}

static int postcode_format(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && !didq_postcode_format_ok(VAL(F0), LEN(F0));
}

static int site_format(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && !didq_alnum_len_ok(VAL(F0), LEN(F0), (size_t)cr->a, (size_t)cr->b);
}

/* A value of at most a bytes has at most a characters: counted only when
 * longer (nearly never). */
static int too_long(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && (long)LEN(F0) > cr->a && chars(VAL(F0), LEN(F0)) > cr->a;
}

static int all_blank(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    for (int i = 0; i < cr->def->nfields; i++)
        if (!didq_blank(r, cr->f[i])) return 0;
    return 1;
}

/* The first field holds a pseudo-postcode and every other field is blank. */
static int only_pseudo_postcode(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    if (didq_blank(r, F0) || !didq_postcode_is_pseudo(VAL(F0), LEN(F0))) return 0;
    for (int i = 1; i < cr->def->nfields; i++)
        if (!didq_blank(r, cr->f[i])) return 0;
    return 1;
}

static int referrer_format(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    return !didq_blank(r, F0) && didq_referrer_type(VAL(F0), LEN(F0)) == NULL;
}

/* first > second + a calendar months (DIDS062).  Adding a >= 0 months
 * adds between 28a - 3 days (a's months at least 28 days each, less up to
 * 3 when the day is cut to a shorter month's end) and 31a days, so only a
 * gap between those needs the calendar: nearly every record's gap is days. */
static int month_after(const didq_crule *cr, const didq_record *r, const didq_ctx *c)
{
    if (!DATE_OK(F0) || !DATE_OK(F1)) return 0;
    int64_t gap = (int64_t)r->date[F0] - r->date[F1], a = (int64_t)cr->a;
    bool bounded = a >= 0 && a <= 12000; /* any real argument: no overflow below */
    if (bounded && gap <= 28 * a - 3) return 0;
    if (bounded && gap > 31 * a) return 1;
    return r->date[F0] > didq_date_add_months(r->date[F1], (int)cr->a);
}

const didq_prim didq_prims_basic[] = {
    {"blank", blank, NULL},
    {"not_in_list", not_in_list, bind_list},
    {"not_in_list_nonnull", not_in_list_nonnull, bind_list},
    {"not_date", not_date, NULL},
    {"nhs_invalid", nhs_invalid, NULL},
    {"nhs_length", nhs_length, bind_range},
    {"date_before", date_before, bind_date},
    {"date_after", date_after, NULL},
    {"months_after", months_after, bind_range},
    {"days_after_lenient", days_after_lenient, bind_range},
    {"days_after", days_after, bind_range},
    {"after_submission", after_submission, NULL},
    {"submission_months", submission_months, bind_range},
    {"postcode_format", postcode_format, NULL},
    {"site_format", site_format, bind_range},
    {"too_long", too_long, bind_range},
    {"all_blank", all_blank, NULL},
    {"only_pseudo_postcode", only_pseudo_postcode, bind_text},
    {"referrer_format", referrer_format, NULL},
    {"month_after", month_after, bind_range},
    {NULL, NULL, NULL},
};
