/* anomaly_fields.c: field-missing-share (seed 003 4.3.2 f and Table C):
 * a demographic item blank for a share of a site's records well above
 * the national share missing in refdata/benchmarks/completeness-2024-25.csv.
 * The mandatory items (rules report them blank) and the dates (the
 * timeliness kinds report them) are not judged here. */
#include "anomaly_int.h"
#include "didq/table.h"
#include "didq/util.h"

#include <stdlib.h>
#include <string.h>

/* National share missing of items 1..7, from the benchmark table; -1 when
 * the item is not benchmarked or is mandatory. */
static void national_missing(const didq_dataset *ds, double *out)
{
    didq_table *t = didq_table_embedded("benchmarks/completeness-2024-25.csv");
    int cf = didq_table_col(t, "field"), cs = didq_table_col(t, "status"),
        cp = didq_table_col(t, "percent");
    for (int i = 0; i < AN_BLANK_ITEMS; i++) {
        out[i] = -1;
        for (size_t r = 0; r < t->nrows; r++) {
            if (strcmp(didq_table_get(t, r, cf), ds->items[i].field) != 0 ||
                strcmp(didq_table_get(t, r, cs), "M") == 0)
                continue;
            out[i] = 1.0 - atof(didq_table_get(t, r, cp)) / 100.0;
        }
    }
    didq_table_free(t);
}

void an_fields(didq_analysis *a)
{
    const didq_dataset *ds = didq_dataset_v1();
    const didq_threshold *th = &a->o.thresholds.k[DIDQ_AK_FIELD_MISSING];
    double nat[AN_BLANK_ITEMS];
    national_missing(ds, nat);
    for (size_t i = 0; i < a->nsites; i++) {
        an_site *s = &a->sites[i];
        if (!an_judged(a, DIDQ_AK_FIELD_MISSING, s->n)) continue;
        for (int k = 0; k < AN_BLANK_ITEMS; k++) {
            double share = (double)s->blank[k] / (double)s->n;
            if (nat[k] < 0 || share < nat[k] + th->threshold) continue;
            char p[16], q[16];
            didq_anomaly *an =
                an_add(a, DIDQ_AK_FIELD_MISSING, s, share, nat[k] + th->threshold, s->blank[k]);
            an->item = k;
            an_set_message(an, "%s is blank in %s of records (national %s missing)",
                           ds->items[k].label, an_pct(share, p, sizeof p),
                           an_pct(nat[k], q, sizeof q));
            an_set_where(an, "site = %Q AND " AN_SITE_OK " AND (f%d IS NULL OR trim(f%d) = '')",
                         s->code, DIDQ_COL_NUM(k), DIDQ_COL_NUM(k));
        }
    }
}
