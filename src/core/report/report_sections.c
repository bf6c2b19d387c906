/* report_sections.c: the sections of `check --format json` a script reads
 * for its monthly pack (docs/check-report.schema.json): completeness,
 * sites, timeliness, coverage and the DQMI-style score, each from the
 * computation behind its pane (query.h, timeliness.h, coverage.h, dqmi.h),
 * never re-derived here. */
#include "didq/coverage.h"
#include "didq/date.h"
#include "didq/dqmi.h"
#include "didq/modality.h"
#include "didq/query.h"
#include "didq/rules.h"
#include "didq/util.h"
#include "didq/report.h"
#include "didq/text.h"
#include "didq/timeliness.h"
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

static unsigned long long cell_u(const didq_qtable *t, size_t r, int c)
{
    return strtoull(didq_qtable_cell(t, r, c), NULL, 10);
}

/* A number, or null when negative (unknown). */
static void num_or_null(FILE *out, double v)
{
    if (v < 0)
        fputs("null", out);
    else
        fprintf(out, "%.2f", v);
}

static void json_completeness(didq_session *s, FILE *out)
{
    didq_qtable *t = didq_query_completeness(s);
    uint64_t records = didq_report_summary(s).records;
    fputs("  \"completeness\": [", out);
    for (size_t r = 0; r < t->nrows; r++) {
        unsigned long long blank = cell_u(t, r, 3);
        fprintf(out, "%s\n    {\"item\": ", r ? "," : "");
        didq_text_json(out, didq_qtable_cell(t, r, 0));
        fprintf(out, ", \"number\": %zu, \"status\": ", r + 1);
        didq_text_json(out, didq_qtable_cell(t, r, 1));
        fprintf(out, ", \"records\": %llu, \"blank\": %llu, \"invalid\": %llu, \"filled_pct\": ",
                (unsigned long long)records, blank, cell_u(t, r, 4));
        num_or_null(out, records ? 100.0 - 100.0 * (double)blank / (double)records : -1);
        fputs(", \"national_pct\": ", out);
        num_or_null(out, didq_benchmark_filled((int)r));
        fprintf(out, ", \"below_national\": %s}", t->mark[r] ? "true" : "false");
    }
    fputs("\n  ],\n", out);
    didq_qtable_free(t);
}

/* The settings row of the site in row r of the Overview's sites: the same
 * row when the labels agree (both tables come from one per-site pass, in
 * one order), else the first with its label. */
static size_t settings_row(const didq_qtable *set, const didq_qtable *sites, size_t r)
{
    const char *site = didq_qtable_cell(sites, r, 0);
    if (r < set->nrows && strcmp(didq_qtable_cell(set, r, 0), site) == 0) return r;
    for (size_t k = 0; k < set->nrows; k++)
        if (strcmp(didq_qtable_cell(set, k, 0), site) == 0) return k;
    return SIZE_MAX;
}

/* The quality row of the site in row r of the Overview's sites: the same
 * row when the labels agree (one grouping, one order), else the first
 * with its label, or NULL. */
static const didq_site_quality *quality_row(const didq_site_quality *q, size_t nq,
                                            const didq_qtable *sites, size_t r)
{
    const char *site = didq_qtable_cell(sites, r, 0);
    if (r < nq && strcmp(q[r].site, site) == 0) return &q[r];
    for (size_t k = 0; k < nq; k++)
        if (strcmp(q[k].site, site) == 0) return &q[k];
    return NULL;
}

static const didq_ruleset *by_code_rules;
static int cmp_rule_code(const void *x, const void *y)
{
    return strcmp(by_code_rules->rules[*(const int *)x].def->code,
                  by_code_rules->rules[*(const int *)y].def->code);
}

/* The rule indexes in code order (the order of the report's rules). */
static int *rules_by_code(const didq_ruleset *rules)
{
    int *v = didq_xcalloc((size_t)rules->n + 1, sizeof *v);
    for (int i = 0; i < rules->n; i++)
        v[i] = i;
    by_code_rules = rules;
    qsort(v, (size_t)rules->n, sizeof *v, cmp_rule_code);
    return v;
}

/* A site's "rules" (code: records, the rules with a finding there, in code
 * order) and "completeness" (item: blank, invalid, every item). */
static void json_site_quality(didq_session *s, FILE *out, const didq_site_quality *q,
                              const int *order)
{
    const didq_ruleset *rules = didq_session_rules(s);
    const didq_dataset *ds = didq_session_dataset(s);
    fputs(",\n      \"rules\": {", out);
    for (int k = 0, n = 0; q && k < rules->n; k++) {
        uint64_t c = q->rule[order[k]];
        if (!c) continue;
        fprintf(out, "%s", n++ ? ", " : "");
        didq_text_json(out, rules->rules[order[k]].def->code);
        fprintf(out, ": %llu", (unsigned long long)c);
    }
    fputs("},\n      \"completeness\": {", out);
    for (int i = 0; i < ds->nitems && i < DIDQ_MAX_ITEMS; i++) {
        fputs(i ? ", " : "", out);
        didq_text_json(out, ds->items[i].field);
        fprintf(out, ": {\"blank\": %llu, \"invalid\": %llu}",
                (unsigned long long)(q ? q->blank[i] : 0),
                (unsigned long long)(q ? q->invalid[i] : 0));
    }
    fputc('}', out);
}

static void json_sites(didq_session *s, FILE *out)
{
    didq_overview o;
    didq_query_overview(s, &o);
    didq_qtable *set = didq_query_settings(s, NULL);
    size_t nq;
    didq_site_quality *q = didq_query_site_quality(s, &nq);
    int *order = rules_by_code(didq_session_rules(s));
    static const char *keys[] = {"01", "02", "03", "04", "05", "06", "07", "other"};
    fputs("  \"sites\": [", out);
    for (size_t r = 0; r < o.sites->nrows; r++) {
        fprintf(out, "%s\n    {\"site\": ", r ? "," : "");
        didq_text_json(out, didq_qtable_cell(o.sites, r, 0));
        fprintf(out,
                ", \"records\": %llu, \"records_with_errors\": %llu,"
                " \"records_with_warnings\": %llu,\n      \"settings\": {",
                cell_u(o.sites, r, 1), cell_u(o.sites, r, 2), cell_u(o.sites, r, 3));
        size_t k = settings_row(set, o.sites, r);
        for (int c = 0; c < 8; c++)
            fprintf(out, "%s\"%s\": %llu", c ? ", " : "", keys[c],
                    k == SIZE_MAX ? 0ull : cell_u(set, k, c + 1));
        fputc('}', out);
        json_site_quality(s, out, quality_row(q, nq, o.sites, r), order);
        fputc('}', out);
    }
    fputs("\n  ],\n", out);
    free(order);
    didq_site_quality_free(q, nq);
    didq_qtable_free(set);
    didq_overview_free(&o);
}

static void json_dist(FILE *out, const char *name, const didq_interval_dist *d)
{
    int med = didq_dist_percentile(d, 0.5), p90 = didq_dist_percentile(d, 0.9);
    fprintf(out, "\"%s\": {\"intervals\": %llu, \"missing\": %llu, \"negative\": %llu", name,
            (unsigned long long)d->n, (unsigned long long)d->missing,
            (unsigned long long)d->negative);
    fputs(", \"median_days\": ", out);
    if (med < 0)
        fputs("null", out);
    else
        fprintf(out, "%d", med);
    fputs(", \"p90_days\": ", out);
    if (p90 < 0)
        fputs("null", out);
    else
        fprintf(out, "%d", p90);
    /* the last histogram bucket holds DIDQ_TL_DAYS - 1 days or more */
    fprintf(out, ", \"at_least\": %s}", p90 >= DIDQ_TL_DAYS - 1 ? "true" : "false");
}

static void json_timeliness(didq_session *s, FILE *out)
{
    const didq_timeliness *rows;
    size_t n = didq_analysis_timeliness(didq_session_analysis(s), &rows);
    fputs("  \"timeliness\": [", out);
    for (size_t i = 0; i < n; i++) {
        const didq_timeliness *w = &rows[i];
        fprintf(out, "%s\n    {\"site\": ", i ? "," : "");
        if (w->site)
            didq_text_json(out, w->site);
        else
            fputs("null", out);
        fputs(", \"modality\": ", out);
        if (w->modality >= 0)
            didq_text_json(out, didq_modality_name(w->modality));
        else
            fputs("null", out);
        fprintf(out, ", \"records\": %llu,\n      ", (unsigned long long)w->records);
        json_dist(out, "request_to_test", &w->request_to_test);
        fputs(",\n      ", out);
        json_dist(out, "test_to_report", &w->test_to_report);
        fputc('}', out);
    }
    fputs("\n  ],\n", out);
}

static void json_coverage(didq_session *s, FILE *out)
{
    const didq_analysis *a = didq_session_analysis(s);
    didq_period p = didq_analysis_period(a);
    const didq_site_coverage *rows;
    size_t n = didq_analysis_coverage(a, &rows);
    fputs("  \"coverage\": {\"first_day\": ", out);
    if (p.ndays > 0) {
        char d[11];
        didq_date_format(p.day0, d);
        fprintf(out, "\"%s\"", d);
    } else {
        fputs("null", out);
    }
    fprintf(out, ", \"days\": %d, \"sites\": [", p.ndays);
    for (size_t i = 0; i < n; i++) {
        const didq_site_coverage *c = &rows[i];
        fprintf(out, "%s\n    {\"site\": ", i ? "," : "");
        didq_text_json(out, c->site);
        fprintf(out,
                ", \"records\": %llu, \"undated\": %llu, \"outside\": %llu,\n      \"per_day\": [",
                (unsigned long long)c->records, (unsigned long long)c->undated,
                (unsigned long long)c->outside);
        for (int d = 0; d < p.ndays; d++)
            fprintf(out, "%s%u", d ? ", " : "", (unsigned)c->count[d]);
        fputs("]}", out);
    }
    fputs("\n  ]},\n", out);
}

static void json_names(FILE *out, const didq_dqmi_part *p)
{
    const didq_dataset *ds = didq_dataset_v1();
    fputs("\"costs_most\": [", out);
    for (int k = 0; k < p->ncostly; k++) {
        fputs(k ? ", " : "", out);
        didq_text_json(out, ds->items[p->items[p->costly[k]].item].field);
    }
    fputc(']', out);
}

static void json_part(FILE *out, const didq_dqmi_part *p)
{
    fputs("\"score\": ", out);
    num_or_null(out, p->score);
    fputs(", \"items_mean\": ", out);
    num_or_null(out, p->mean);
    fputs(", \"coverage\": ", out);
    num_or_null(out, p->coverage);
    fprintf(out, ", \"months_submitted\": %d, \"months_expected\": %d, \"records\": %llu, ",
            p->months_submitted, p->months_expected, (unsigned long long)p->records);
    json_names(out, p);
}

static void json_score(FILE *out, const didq_dqmi_score *sc)
{
    fputs("{\"item\": ", out);
    didq_text_json(out, didq_dataset_v1()->items[sc->item].field);
    fprintf(out,
            ", \"records\": %llu, \"blank\": %llu, \"invalid\": %llu, \"valid\": %llu,"
            " \"defaults\": %llu, \"defaults_allowed\": %.2f, \"defaults_in_excess\": %.2f,"
            " \"score\": ",
            (unsigned long long)sc->records, (unsigned long long)sc->blank,
            (unsigned long long)sc->invalid, (unsigned long long)sc->valid,
            (unsigned long long)sc->defaults, sc->allowed, sc->excess);
    num_or_null(out, sc->score);
    fputc('}', out);
}

static void json_items(FILE *out, const didq_dqmi_part *p, const didq_dqmi_spec *sp,
                       const char *indent)
{
    fputs("\"items\": [", out);
    for (int i = 0; i < sp->n; i++) {
        fprintf(out, "%s\n%s", i ? "," : "", indent);
        json_score(out, &p->items[i]);
    }
    fputs("]", out);
}

static void json_spec(FILE *out, const didq_dqmi_spec *sp)
{
    const didq_dataset *ds = didq_dataset_v1();
    fputs("    \"source\": ", out);
    didq_text_json(out, sp->name);
    fputs(",\n    \"defaults\": [", out);
    for (int i = 0; i < sp->n; i++) {
        const didq_dqmi_item *it = &sp->items[i];
        fprintf(out, "%s\n      {\"item\": ", i ? "," : "");
        didq_text_json(out, ds->items[it->item].field);
        fputs(", \"values\": [", out);
        for (int k = 0; k < it->ndefaults; k++) {
            fputs(k ? ", " : "", out);
            didq_text_json(out, it->defaults[k]);
        }
        fprintf(out, "], \"threshold\": %.4g}", it->threshold);
    }
    fputs("],\n", out);
}

static void json_dqmi(didq_session *s, const didq_dqmi_spec *dq, FILE *out)
{
    didq_dqmi *d = didq_dqmi_compute(s, dq);
    fputs("  \"dqmi\": {\n    \"label\": \"DQMI-style (local)\",\n", out);
    fputs("    \"note\": \"didq's reading of NHS England's published DQMI method, with didq's"
          " items, defaults and thresholds: not NHS England's score\",\n",
          out);
    json_spec(out, d->spec);
    fputs("    \"overall\": {", out);
    json_part(out, &d->overall);
    fputs("},\n    ", out);
    json_items(out, &d->overall, d->spec, "      ");
    fputs(",\n    \"sites\": [", out);
    for (size_t i = 0; i < d->nsites; i++) {
        fprintf(out, "%s\n      {\"site\": ", i ? "," : "");
        didq_text_json(out, d->sites[i].site);
        fputs(", ", out);
        json_part(out, &d->sites[i]);
        fputs(",\n       ", out);
        json_items(out, &d->sites[i], d->spec, "        ");
        fputc('}', out);
    }
    fputs("]\n  },\n", out);
    didq_dqmi_free(d);
}

void didq_report_json_sections(didq_session *s, const didq_dqmi_spec *dq, FILE *out)
{
    json_completeness(s, out);
    json_sites(s, out);
    json_timeliness(s, out);
    json_coverage(s, out);
    json_dqmi(s, dq, out);
}

/* Untrusted text (a site code, a file name) escaped for the terminal. */
static void put_escaped(FILE *out, const char *s)
{
    didq_buf b = {0};
    didq_text_escape(&b, s, strlen(s));
    if (b.n) fwrite(b.p, 1, b.n, out);
    didq_buf_free(&b);
}

void didq_report_text_dqmi(didq_session *s, const didq_dqmi_spec *dq, FILE *out)
{
    didq_dqmi *d = didq_dqmi_compute(s, dq);
    char line[512];
    didq_dqmi_line(d, line, sizeof line);
    fprintf(out, "\n%s\n", line);
    for (size_t i = 0; i < d->nsites; i++) {
        const didq_dqmi_part *p = &d->sites[i];
        fputs("  site ", out);
        put_escaped(out, p->site);
        if (p->score < 0) {
            fputs(": not computed\n", out);
            continue;
        }
        fprintf(out, ": %.1f (items %.1f x coverage %d/%d months)", p->score, p->mean,
                p->months_submitted, p->months_expected);
        for (int k = 0; k < p->ncostly; k++)
            fprintf(out, "%s%s %.1f", k ? ", " : "; most points lost: ",
                    didq_dataset_v1()->items[p->items[p->costly[k]].item].shortname,
                    100.0 - p->items[p->costly[k]].score);
        fputc('\n', out);
    }
    fputs("  didq's reading of NHS England's DQMI method with didq's items and defaults (", out);
    put_escaped(out, d->spec->name);
    fputs("),\n  not NHS England's score (docs/refdata.md)\n", out);
    didq_dqmi_free(d);
}
