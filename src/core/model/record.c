/* record.c: cleansing of a record (trim; NHS number loses spaces/hyphens). */
#include "didq/record.h"
#include "didq/date.h"
#include "didq/ident.h"

#include <string.h>

static void trim(didq_field *f)
{
    const char *s = f->raw;
    uint32_t n = f->raw_len;
    while (n && *s == ' ') {
        s++;
        n--;
    }
    while (n && s[n - 1] == ' ')
        n--;
    f->val = s;
    f->len = n;
}

static void parse_dates(didq_record *r, int i)
{
    const didq_field *f = &r->f[i];
    r->date[i] = r->ldate[i] = DIDQ_NODATE;
    r->month[i] = r->lmonth[i] = 0;
    if (!f->raw) return;
    if (didq_date_parse_mi(f->val, f->len, &r->date[i], &r->month[i])) {
        r->ldate[i] = r->date[i];
        r->lmonth[i] = r->month[i];
    } else if (!didq_date_parse_lenient_mi(f->val, f->len, &r->ldate[i], &r->lmonth[i])) {
        r->ldate[i] = DIDQ_NODATE;
    }
}

void didq_record_cleanse(didq_record *r, const didq_dataset *ds)
{
    for (int i = 0; i < ds->nitems; i++) {
        didq_field *f = &r->f[i];
        if (!f->raw) {
            f->val = "";
            f->len = 0;
        } else {
            trim(f);
        }
        if (ds->items[i].is_date) parse_dates(r, i);
    }
    didq_field *nhs = &r->f[DIDQ_NHS_NUMBER];
    if (nhs->raw) {
        nhs->len = (uint32_t)didq_nhs_compact(nhs->raw, nhs->raw_len, r->nhsbuf, sizeof r->nhsbuf);
        nhs->val = r->nhsbuf;
    }
}
