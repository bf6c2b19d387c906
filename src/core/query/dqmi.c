/* dqmi.c: the DQMI-style items, their defaults and thresholds
 * (refdata/dqmi.csv, or --dqmi FILE), and the arithmetic of one item. */
#include "didq/dqmi.h"
#include "didq/table.h"
#include "didq/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { DC_ITEM, DC_DEFAULTS, DC_THRESHOLD, DC_N };
static const char *dcol_names[DC_N] = {"item", "defaults", "threshold"};

typedef struct dqfile {
    didq_dqmi_spec *sp;
    int col[DC_N];
    bool have_header;
    const char *bad;
    uint64_t line;
    char why[160];
} dqfile;

static const char *parse_header(dqfile *r, char **cells, int n)
{
    for (int c = 0; c < DC_N; c++)
        r->col[c] = -1;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < DC_N; c++)
            if (strcasecmp(cells[i], dcol_names[c]) == 0 && r->col[c] < 0) r->col[c] = i;
    for (int c = 0; c < DC_N; c++)
        if (r->col[c] < 0) {
            snprintf(r->why, sizeof r->why,
                     "the header must name the columns item, defaults and threshold");
            return r->why;
        }
    return NULL;
}

/* The space-separated default values into it; NULL or the reason. */
static const char *parse_defaults(dqfile *r, didq_dqmi_item *it, const char *v)
{
    while (*v) {
        while (*v == ' ')
            v++;
        size_t n = strcspn(v, " ");
        if (!n) break;
        if (it->ndefaults == DIDQ_DQMI_MAX_DEFAULTS) {
            snprintf(r->why, sizeof r->why, "more than %d default values", DIDQ_DQMI_MAX_DEFAULTS);
            return r->why;
        }
        if (n >= DIDQ_DQMI_DEFAULT_LEN) {
            snprintf(r->why, sizeof r->why, "a default value longer than %d characters",
                     DIDQ_DQMI_DEFAULT_LEN - 1);
            return r->why;
        }
        memcpy(it->defaults[it->ndefaults], v, n);
        it->defaults[it->ndefaults++][n] = 0;
        v += n;
    }
    return NULL;
}

static const char *apply_row(dqfile *r, char **cells, int n)
{
    const char *f[DC_N];
    for (int c = 0; c < DC_N; c++)
        f[c] = r->col[c] < n ? cells[r->col[c]] : "";
    int item = didq_dataset_item(didq_dataset_v1(), f[DC_ITEM]);
    if (item < 0) {
        snprintf(r->why, sizeof r->why, "unknown item '%.60s'", f[DC_ITEM]);
        return r->why;
    }
    for (int i = 0; i < r->sp->n; i++)
        if (r->sp->items[i].item == item) {
            snprintf(r->why, sizeof r->why, "item '%.60s' given twice", f[DC_ITEM]);
            return r->why;
        }
    char *end;
    double th = strtod(f[DC_THRESHOLD], &end);
    if (!*f[DC_THRESHOLD] || *end || !(th >= 0 && th <= 1)) {
        snprintf(r->why, sizeof r->why, "threshold '%.20s' is not a share from 0 to 1",
                 f[DC_THRESHOLD]);
        return r->why;
    }
    didq_dqmi_item *it = &r->sp->items[r->sp->n];
    memset(it, 0, sizeof *it);
    it->item = item;
    it->threshold = th;
    const char *bad = parse_defaults(r, it, f[DC_DEFAULTS]);
    if (!bad) r->sp->n++;
    return bad;
}

static int on_row(void *ctx, const didq_table_row *row)
{
    dqfile *r = ctx;
    if (row->bad)
        snprintf(r->why, sizeof r->why, "%s", row->bad), r->bad = r->why;
    else if (r->have_header)
        r->bad = apply_row(r, row->f, row->n);
    else
        r->bad = parse_header(r, row->f, row->n);
    r->have_header = true;
    r->line = row->line;
    return r->bad != NULL;
}

static const didq_table_opts dq_opts = {.comments = true, .text = true};

static int result(const dqfile *r, const char *name, char *err, size_t errlen)
{
    const char *why = r->bad ? r->bad : !r->have_header ? "no header line" : NULL;
    if (!why && r->sp->n == 0) why = "no item";
    if (!why) return 0;
    snprintf(err, errlen, "%s:%llu: %s", name,
             r->bad || r->have_header ? (unsigned long long)r->line : 1ull, why);
    return -1;
}

int didq_dqmi_spec_parse(didq_dqmi_spec *sp, const char *name, const char *text, size_t len,
                         char *err, size_t errlen)
{
    memset(sp, 0, sizeof *sp);
    snprintf(sp->name, sizeof sp->name, "%s", name);
    dqfile r = {.sp = sp};
    didq_table_read(text, len, &dq_opts, on_row, &r);
    return result(&r, name, err, errlen);
}

int didq_dqmi_spec_load(didq_dqmi_spec *sp, const char *path, char *err, size_t errlen)
{
    memset(sp, 0, sizeof *sp);
    snprintf(sp->name, sizeof sp->name, "%s", path);
    dqfile r = {.sp = sp};
    char why[256];
    if (didq_table_read_file(path, &dq_opts, on_row, &r, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -2;
    }
    return result(&r, path, err, errlen);
}

void didq_dqmi_spec_default(didq_dqmi_spec *sp)
{
    size_t len;
    const char *text = didq_embedded("dqmi.csv", &len);
    char err[256];
    if (!text || didq_dqmi_spec_parse(sp, "refdata/dqmi.csv", text, len, err, sizeof err) != 0)
        didq_die("embedded refdata/dqmi.csv: %s", text ? err : "missing");
}

didq_dqmi_score didq_dqmi_item_score(uint64_t records, uint64_t blank, uint64_t invalid,
                                     uint64_t defaults, double threshold)
{
    didq_dqmi_score sc = {.item = -1, .records = records, .blank = blank, .invalid = invalid};
    sc.valid = blank + invalid <= records ? records - blank - invalid : 0;
    sc.defaults = defaults;
    sc.allowed = threshold * (double)records;
    sc.excess = (double)defaults > sc.allowed ? (double)defaults - sc.allowed : 0;
    if (!records) {
        sc.score = -1;
        return sc;
    }
    double s = ((double)sc.valid - sc.excess) / (double)records * 100.0;
    sc.score = s < 0 ? 0 : s;
    return sc;
}
