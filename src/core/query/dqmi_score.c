/* dqmi_score.c: the DQMI-style score (dqmi.h) of a finished session,
 * overall and per site: with a record store one pass over it in C
 * (dqmi_mem.c) counts what, for a saved session, one grouped query over
 * `records` counts (each item's blank and default values) and one over
 * `findings` (its invalid ones, and the defaults among them);
 * the months come from the analyses (coverage.h).  Both group by file
 * too, so that the same passes give each reporting month's score (its
 * files' records; each site with records in the month covers it, 1/1).
 * A session saved by check --db keeps the passes' rows (dqmi_counts), so
 * that, opened again, it scores without reading a record. */
#include "didq/coverage.h"
#include "didq/dqmi.h"
#include "didq/month.h"
#include "didq/record.h"
#include "didq/rules.h"
#include "didq/store.h"
#include "didq/util.h"
#include "dqmi_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rules about which items are given (didq_rule_presence): their
 * findings do not make a value invalid (as the Completeness pane). */
static void presence_rules(didq_session *s, didq_buf *b)
{
    const didq_ruleset *rs = didq_session_rules(s);
    int n = 0;
    for (int i = 0; i < rs->n; i++)
        if (didq_rule_presence(rs->rules[i].def)) didq_buf_printf(b, "%s%d", n++ ? ", " : "", i);
    if (!n) didq_buf_puts(b, "-1");
}

/* A record's group: its site, '' for a blank one, NULL for a code breaking
 * a site rule (one group, as on the Overview). */
#define GROUP_SQL "CASE WHEN (r.flags & %d) <> 0 THEN NULL ELSE coalesce(r.site, '') END"

/* "v IN ('99', 'Z')" for an item's default values. */
static void defaults_in(didq_buf *b, const char *v, const didq_dqmi_item *it)
{
    didq_buf_printf(b, "%s IN (", v);
    for (int k = 0; k < it->ndefaults; k++) {
        char *q = sqlite3_mprintf("%s%Q", k ? ", " : "", it->defaults[k]);
        didq_buf_puts(b, q);
        sqlite3_free(q);
    }
    didq_buf_puts(b, ")");
}

/* One pass over the records: per group, the records, and per item the
 * blank values and the values in its default list (valid or not). */
static char *records_sql(didq_session *s, const didq_dqmi_spec *sp)
{
    bool mem = didq_session_recstore(s) != NULL;
    didq_buf b = {0};
    didq_buf_printf(&b, "SELECT r.file, " GROUP_SQL " AS grp, count(*)", DIDQ_REC_BAD_SITE);
    for (int i = 0; i < sp->n; i++) {
        const didq_dqmi_item *it = &sp->items[i];
        int col = DIDQ_COL_NUM(it->item);
        if (mem) /* the records table's blank flag, as the Completeness pane */
            didq_buf_printf(&b, ", sum(r.b%d = 1)", col);
        else
            didq_buf_printf(&b, ", sum(trim(coalesce(r.f%d, '')) = '')", col);
        if (!it->ndefaults) {
            didq_buf_puts(&b, ", 0");
            continue;
        }
        char v[48];
        snprintf(v, sizeof v, "trim(coalesce(r.f%d, ''))", col);
        didq_buf_puts(&b, ", sum(");
        defaults_in(&b, v, it);
        didq_buf_puts(&b, ")");
    }
    didq_buf_puts(&b, " FROM records r GROUP BY grp, r.file ORDER BY grp IS NULL, grp, r.file");
    return b.p;
}

/* One pass over the findings: per group and item, the records whose value
 * is given but fails a rule on the item (not one about which items are
 * given), and of those the ones holding a default value. */
static char *findings_sql(didq_session *s, const didq_dqmi_spec *sp)
{
    didq_buf pres = {0}, b = {0}, val = {0}, items = {0};
    presence_rules(s, &pres);
    didq_buf_puts(&val, "trim(coalesce(CASE f.item");
    for (int i = 0; i < sp->n; i++) {
        didq_buf_printf(&val, " WHEN %d THEN r.f%d", sp->items[i].item,
                        DIDQ_COL_NUM(sp->items[i].item));
        didq_buf_printf(&items, "%s%d", i ? ", " : "", sp->items[i].item);
    }
    didq_buf_puts(&val, " END, ''))");
    didq_buf_printf(&b,
                    "SELECT r.file, " GROUP_SQL " AS grp, f.item, count(DISTINCT f.rec),"
                    " count(DISTINCT CASE",
                    DIDQ_REC_BAD_SITE);
    for (int i = 0; i < sp->n; i++) {
        if (!sp->items[i].ndefaults) continue;
        didq_buf_printf(&b, " WHEN f.item = %d AND ", sp->items[i].item);
        defaults_in(&b, val.p, &sp->items[i]);
        didq_buf_puts(&b, " THEN f.rec");
    }
    didq_buf_printf(&b,
                    " END) FROM findings f JOIN records r ON r.id = f.rec WHERE f.item IN (%s)"
                    " AND f.rule NOT IN (%s) AND %s <> '' GROUP BY r.file, grp, f.item",
                    items.p ? items.p : "-1", pres.p, val.p);
    didq_buf_free(&pres);
    didq_buf_free(&val);
    didq_buf_free(&items);
    return b.p;
}

/* The items costing the most points, most first (ties: spec order). */
static void costly(didq_dqmi_part *p, int n)
{
    p->ncostly = 0;
    for (int i = 0; i < n; i++) {
        double lost = 100.0 - p->items[i].score;
        if (p->items[i].score < 0 || lost <= 0) continue;
        int k = p->ncostly < DIDQ_DQMI_COSTLY ? p->ncostly++ : DIDQ_DQMI_COSTLY;
        if (k == DIDQ_DQMI_COSTLY) {
            if (lost <= 100.0 - p->items[p->costly[k - 1]].score) continue;
            k--;
        }
        for (; k > 0 && 100.0 - p->items[p->costly[k - 1]].score < lost; k--)
            p->costly[k] = p->costly[k - 1];
        p->costly[k] = i;
    }
}

/* The item scores from the counts, the mean, coverage and score. */
static void part_finish(didq_dqmi_part *p, const didq_dqmi_spec *sp, const uint64_t *cnt)
{
    double sum = 0;
    for (int i = 0; i < sp->n; i++) {
        p->items[i] = didq_dqmi_item_score(p->records, cnt[3 * (size_t)i], cnt[3 * (size_t)i + 1],
                                           cnt[3 * (size_t)i + 2], sp->items[i].threshold);
        p->items[i].item = sp->items[i].item;
        sum += p->items[i].score;
    }
    p->mean = p->records && sp->n ? sum / sp->n : -1;
    p->coverage =
        p->months_expected ? (double)p->months_submitted / (double)p->months_expected : -1;
    p->score = p->mean >= 0 && p->coverage >= 0 ? p->mean * p->coverage : -1;
    costly(p, sp->n);
}

/* Whether rows (n of them) hold records of site, dated or not. */
static bool site_has_records(const didq_site_coverage *rows, size_t n, const char *site)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].site && strcmp(rows[i].site, site) == 0) return rows[i].records > 0;
    return false;
}

/* Reporting months in whose files the site has records, whatever their
 * test dates (a site whose records of a month all lack a valid test date
 * still submitted that month); -1 when it has none in any. */
static int site_months(const didq_analysis *a, const char *site)
{
    const int32_t *months;
    int nm = didq_analysis_months(a, &months), found = 0;
    const didq_site_coverage *rows;
    if (nm <= 1) {
        size_t n = didq_analysis_coverage(a, &rows);
        return site_has_records(rows, n, site) ? (nm > 0 ? 1 : 0) : -1;
    }
    for (int k = 0; k < nm; k++) {
        size_t n = didq_analysis_coverage_in(a, months[k], &rows);
        found += site_has_records(rows, n, site);
    }
    return found ? found : -1;
}

/* A score being counted (the session's, or a month's): per site, 3
 * counts per item: blank, invalid, defaults (valid ones once the findings
 * are counted). */
typedef struct target {
    didq_dqmi *d;
    uint64_t *c;
    size_t cap;
    bool month; /* a month's: each site covers it (1/1) */
} target;

static const char *group_label(const char *grp)
{
    return !grp ? "(invalid site)" : *grp ? grp : "(blank)";
}

/* The site of a group (NULL: the invalid codes), or -1. */
static int site_index(const didq_dqmi *d, const char *grp)
{
    const char *label = group_label(grp);
    for (size_t i = d->nsites; i-- > 0;) /* the last added first: rows come by group */
        if (strcmp(d->sites[i].site, label) == 0) return (int)i;
    return -1;
}

/* The site of a group, added if new. */
static size_t target_site(target *t, const char *grp, const didq_analysis *a)
{
    int k = site_index(t->d, grp);
    if (k >= 0) return (size_t)k;
    didq_dqmi *d = t->d;
    size_t n = (size_t)d->spec->n, per = 3 * n + 1;
    if (d->nsites == t->cap) {
        t->cap *= 2;
        d->sites = didq_xrealloc(d->sites, t->cap * sizeof *d->sites);
        t->c = didq_xrealloc(t->c, t->cap * per * sizeof *t->c);
    }
    didq_dqmi_part *p = &d->sites[d->nsites];
    memset(p, 0, sizeof *p);
    memset(t->c + d->nsites * per, 0, per * sizeof *t->c);
    p->site = didq_strdup(group_label(grp));
    p->items = didq_xcalloc(n ? n : 1, sizeof *p->items);
    p->months_expected = d->overall.months_expected;
    /* a blank or invalid site has no row of its own in the volumes: the
     * files' months; in a month, the month */
    int m = grp && *grp && !t->month ? site_months(a, grp) : -1;
    p->months_submitted = m >= 0 ? m : d->overall.months_submitted;
    return d->nsites++;
}

/* The targets a file's rows count in: the session's, and its month's. */
typedef struct targets {
    target all;
    target *month; /* per month asked for */
    int nmonths;
    const didq_file_month *fm;
    int nfm;
    const int32_t *months;
} targets;

static int file_targets(targets *ts, int file, target *out[2])
{
    int n = 0;
    out[n++] = &ts->all;
    if (file < 1 || file > ts->nfm) return n;
    for (int k = 0; k < ts->nmonths; k++)
        if (ts->months[k] == ts->fm[file - 1].month) out[n++] = &ts->month[k];
    return n;
}

/* A group's records and per item its blank and default values (one row
 * of the records pass), into the session's target and its month's. */
static void add_records(targets *ts, const didq_analysis *a, int file, const char *grp,
                        uint64_t records, const uint64_t *blank, const uint64_t *def, size_t stride)
{
    size_t n = (size_t)ts->all.d->spec->n, per = 3 * n + 1;
    target *to[2];
    int nt = file_targets(ts, file, to);
    for (int t = 0; t < nt; t++) {
        size_t k = target_site(to[t], grp, a);
        uint64_t *sc = to[t]->c + k * per;
        to[t]->d->sites[k].records += records;
        to[t]->d->overall.records += records;
        for (size_t i = 0; i < n; i++) {
            sc[3 * i] += blank[i * stride];
            sc[3 * i + 2] += def[i * stride];
        }
    }
}

/* A group's invalid values of spec item `item` and the defaults among
 * them (one row of the findings pass). */
static void add_findings(targets *ts, int file, const char *grp, int item, uint64_t bad,
                         uint64_t bad_default)
{
    size_t per = 3 * (size_t)ts->all.d->spec->n + 1;
    target *to[2];
    int nt = item < 0 ? 0 : file_targets(ts, file, to);
    for (int t = 0; t < nt; t++) {
        int k = site_index(to[t]->d, grp);
        if (k < 0) continue;
        uint64_t *sc = to[t]->c + (size_t)k * per + 3 * (size_t)item;
        sc[1] += bad;
        sc[2] = sc[2] >= bad_default ? sc[2] - bad_default : 0;
    }
}

static void count_records(didq_session *s, targets *ts, const didq_analysis *a)
{
    const didq_dqmi_spec *sp = ts->all.d->spec;
    size_t n = (size_t)sp->n;
    uint64_t *blank = didq_xcalloc(n ? n : 1, sizeof *blank),
             *def = didq_xcalloc(n ? n : 1, sizeof *def);
    char *sql = records_sql(s, sp);
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql);
    free(sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        for (size_t i = 0; i < n; i++) {
            blank[i] = (uint64_t)sqlite3_column_int64(q, 3 + 2 * (int)i);
            def[i] = (uint64_t)sqlite3_column_int64(q, 4 + 2 * (int)i);
        }
        add_records(ts, a, sqlite3_column_int(q, 0), (const char *)sqlite3_column_text(q, 1),
                    (uint64_t)sqlite3_column_int64(q, 2), blank, def, 1);
    }
    sqlite3_finalize(q);
    free(blank);
    free(def);
}

static void count_findings(didq_session *s, targets *ts)
{
    const didq_dqmi_spec *sp = ts->all.d->spec;
    char *sql = findings_sql(s, sp);
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql);
    free(sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int item = -1;
        for (int i = 0; i < sp->n && item < 0; i++)
            if (sp->items[i].item == sqlite3_column_int(q, 2)) item = i;
        add_findings(ts, sqlite3_column_int(q, 0), (const char *)sqlite3_column_text(q, 1), item,
                     (uint64_t)sqlite3_column_int64(q, 3), (uint64_t)sqlite3_column_int64(q, 4));
    }
    sqlite3_finalize(q);
}

/* The rows' counts added into the targets, the records' first. */
static void add_rows(targets *ts, const didq_analysis *a, dqmi_mem_row *rows, size_t nrows)
{
    const didq_dqmi_spec *sp = ts->all.d->spec;
    for (size_t r = 0; r < nrows; r++)
        add_records(ts, a, rows[r].file, rows[r].grp, rows[r].records, rows[r].c + DQMI_MEM_BLANK,
                    rows[r].c + DQMI_MEM_DEFAULT, DQMI_MEM_PER);
    for (size_t r = 0; r < nrows; r++)
        for (int i = 0; i < sp->n; i++) {
            const uint64_t *c = rows[r].c + (size_t)i * DQMI_MEM_PER;
            if (c[DQMI_MEM_BAD])
                add_findings(ts, rows[r].file, rows[r].grp, i, c[DQMI_MEM_BAD],
                             c[DQMI_MEM_BAD_DEFAULT]);
        }
}

static void count_memory(didq_session *s, const didq_recstore *rs, targets *ts,
                         const didq_analysis *a)
{
    size_t nrows;
    bool owned;
    dqmi_mem_row *rows = dqmi_rows_memory(s, rs, ts->all.d->spec, &nrows, &owned);
    add_rows(ts, a, rows, nrows);
    if (owned) dqmi_mem_free(rows, nrows);
}

/* A target's score, with room for 16 sites made before the first row. */
static target new_target(const didq_dqmi_spec *sp, int submitted, int expected, bool month)
{
    didq_dqmi *d = didq_xcalloc(1, sizeof *d);
    target t = {.d = d, .cap = 16, .month = month};
    d->sites = didq_xcalloc(t.cap, sizeof *d->sites);
    t.c = didq_xcalloc(t.cap * (3 * (size_t)sp->n + 1), sizeof *t.c);
    d->spec = sp;
    d->overall.months_submitted = submitted;
    d->overall.months_expected = expected;
    d->overall.items = didq_xcalloc((size_t)sp->n ? (size_t)sp->n : 1, sizeof *d->overall.items);
    return t;
}

/* The item scores of every site and overall, from the counts. */
static void finish(target *t)
{
    const didq_dqmi_spec *sp = t->d->spec;
    size_t per = 3 * (size_t)sp->n + 1;
    uint64_t *total = didq_xcalloc(per, sizeof *total);
    for (size_t k = 0; k < t->d->nsites; k++) {
        const uint64_t *sc = t->c + k * per;
        for (size_t i = 0; i < 3 * (size_t)sp->n; i++)
            total[i] += sc[i];
        part_finish(&t->d->sites[k], sp, sc);
    }
    part_finish(&t->d->overall, sp, total);
    free(total);
    free(t->c);
}

/* The saved rows replayed as count_memory does; false when there are
 * none for the spec (the records are then counted). */
static bool count_saved(didq_session *s, targets *ts, const didq_analysis *a)
{
    size_t nrows;
    dqmi_mem_row *rows = dqmi_rows_saved(s, ts->all.d->spec, ts->nfm, &nrows);
    if (!rows) return false;
    add_rows(ts, a, rows, nrows);
    dqmi_mem_free(rows, nrows);
    return true;
}

didq_dqmi *didq_dqmi_compute(didq_session *s, const didq_dqmi_spec *sp)
{
    return didq_dqmi_compute_months(s, sp, NULL, 0, NULL);
}

/* sql: count with the queries even when the session has a record store. */
static didq_dqmi *compute(didq_session *s, const didq_dqmi_spec *sp, const int32_t *months,
                          int nmonths, didq_dqmi **per_month, bool sql)
{
    sp = dqmi_spec_or_builtin(sp);
    const didq_analysis *a = didq_session_analysis(s);
    const int32_t *am;
    int nm = didq_analysis_months(a, &am);
    didq_file_month *fm;
    targets ts = {.all = new_target(sp, nm, nm ? am[nm - 1] - am[0] + 1 : 0, false),
                  .nmonths = nmonths,
                  .months = months};
    ts.nfm = didq_file_months(didq_session_db(s), &fm);
    ts.fm = fm;
    ts.month = didq_xcalloc((size_t)nmonths + 1, sizeof *ts.month);
    for (int k = 0; k < nmonths; k++) { /* one month: submitted by each site with records */
        int dated = months[k] != DIDQ_NOMONTH;
        ts.month[k] = new_target(sp, dated, dated, true);
    }
    const didq_recstore *rs = didq_session_recstore(s);
    if (rs && !sql) {
        count_memory(s, rs, &ts, a);
    } else if (sql || !count_saved(s, &ts, a)) {
        count_records(s, &ts, a);
        count_findings(s, &ts);
    }
    finish(&ts.all);
    for (int k = 0; k < nmonths; k++) {
        finish(&ts.month[k]);
        per_month[k] = ts.month[k].d;
    }
    free(ts.month);
    free(fm);
    return ts.all.d;
}

didq_dqmi *didq_dqmi_compute_months(didq_session *s, const didq_dqmi_spec *sp,
                                    const int32_t *months, int nmonths, didq_dqmi **per_month)
{
    return compute(s, sp, months, nmonths, per_month, false);
}

didq_dqmi *didq_dqmi_compute_sql(didq_session *s, const didq_dqmi_spec *sp, const int32_t *months,
                                 int nmonths, didq_dqmi **per_month)
{
    return compute(s, sp, months, nmonths, per_month, true);
}

void didq_dqmi_free(didq_dqmi *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nsites; i++) {
        free(d->sites[i].site);
        free(d->sites[i].items);
    }
    free(d->sites);
    free(d->overall.items);
    free(d);
}

void didq_dqmi_line(const didq_dqmi *d, char *buf, size_t cap)
{
    const didq_dqmi_part *p = &d->overall;
    const didq_dataset *ds = didq_dataset_v1();
    if (p->score < 0) {
        snprintf(buf, cap, "DQMI-style (local): not computed: %s",
                 !p->records ? "no records" : "no file has a reporting month");
        return;
    }
    int n = snprintf(buf, cap, "DQMI-style (local) %.1f (items %.1f x coverage %d/%d months)",
                     p->score, p->mean, p->months_submitted, p->months_expected);
    for (int k = 0; k < p->ncostly && n > 0 && (size_t)n < cap; k++)
        n += snprintf(buf + n, cap - (size_t)n, "%s%s %.1f", k ? ", " : "; most points lost: ",
                      ds->items[p->items[p->costly[k]].item].shortname,
                      100.0 - p->items[p->costly[k]].score);
}
