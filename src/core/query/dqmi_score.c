/* dqmi_score.c: the DQMI-style score (dqmi.h) of a finished session,
 * overall and per site: one grouped query over `records` counts each
 * item's blank and default values, one over `findings` its invalid ones;
 * the months come from the analyses (coverage.h). */
#include "didq/coverage.h"
#include "didq/dqmi.h"
#include "didq/record.h"
#include "didq/rules.h"
#include "didq/store.h"
#include "didq/util.h"

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
    didq_buf_printf(&b, "SELECT " GROUP_SQL " AS grp, count(*)", DIDQ_REC_BAD_SITE);
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
    didq_buf_puts(&b, " FROM records r GROUP BY grp ORDER BY grp IS NULL, grp");
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
                    "SELECT " GROUP_SQL " AS grp, f.item, count(DISTINCT f.rec),"
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
                    " AND f.rule NOT IN (%s) AND %s <> '' GROUP BY grp, f.item",
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

/* Reporting months with records of site (NULL: any site) in the analyses'
 * month-on-month volumes; -1 when the site has none there. */
static int site_months(const didq_analysis *a, const char *site)
{
    const didq_month_volume *rows;
    size_t n = didq_analysis_volumes(a, &rows);
    int months = -1;
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].site || strcmp(rows[i].site, site) != 0) continue;
        if (months < 0) months = 0;
        months += rows[i].records > 0;
    }
    return months;
}

/* Per site, 3 counts per item: blank, invalid, defaults (valid ones once
 * the findings are counted). */
typedef struct counts {
    uint64_t *c;
    size_t nsites;
} counts;

/* A group's part: site NULL for the codes breaking a site rule, '' for
 * the blank ones. */
static void add_site(didq_dqmi *d, const char *site, uint64_t records, const didq_analysis *a)
{
    int n = d->spec->n;
    didq_dqmi_part *p = &d->sites[d->nsites++];
    p->site = didq_strdup(!site ? "(invalid site)" : *site ? site : "(blank)");
    p->records = records;
    p->items = didq_xcalloc((size_t)n ? (size_t)n : 1, sizeof *p->items);
    p->months_expected = d->overall.months_expected;
    /* a blank or invalid site has no row of its own in the volumes: the
     * files' months */
    int m = site && *site ? site_months(a, site) : -1;
    p->months_submitted = m >= 0 ? m : d->overall.months_submitted;
}

/* Room for one more group in d->sites and its counts. */
static uint64_t *next_group(didq_dqmi *d, counts *c, size_t *cap)
{
    size_t per = 3 * ((size_t)d->spec->n + 1);
    if (!d->sites || !c->c || d->nsites == *cap) {
        *cap = *cap > d->nsites ? *cap : d->nsites ? 2 * d->nsites : 16;
        d->sites = didq_xrealloc(d->sites, *cap * sizeof *d->sites);
        c->c = didq_xrealloc(c->c, *cap * per * sizeof *c->c);
    }
    memset(&d->sites[d->nsites], 0, sizeof *d->sites);
    memset(c->c + d->nsites * 3 * (size_t)d->spec->n, 0, per * sizeof *c->c);
    return c->c + d->nsites * 3 * (size_t)d->spec->n;
}

/* The site of a group (NULL: the invalid codes), or -1. */
static int site_index(const didq_dqmi *d, const char *grp)
{
    const char *label = !grp ? "(invalid site)" : *grp ? grp : "(blank)";
    for (size_t i = 0; i < d->nsites; i++)
        if (strcmp(d->sites[i].site, label) == 0) return (int)i;
    return -1;
}

static void count_records(didq_session *s, didq_dqmi *d, const didq_analysis *a, counts *c)
{
    int n = d->spec->n;
    char *sql = records_sql(s, d->spec);
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql);
    free(sql);
    size_t cap = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        uint64_t *sc = next_group(d, c, &cap), records = (uint64_t)sqlite3_column_int64(q, 1);
        d->overall.records += records;
        add_site(d, (const char *)sqlite3_column_text(q, 0), records, a);
        for (int i = 0; i < n; i++) {
            sc[3 * (size_t)i] = (uint64_t)sqlite3_column_int64(q, 2 + 2 * i);
            sc[3 * (size_t)i + 2] = (uint64_t)sqlite3_column_int64(q, 3 + 2 * i);
        }
    }
    sqlite3_finalize(q);
    if (!d->sites) next_group(d, c, &cap); /* allocated even without a group */
    c->nsites = d->nsites;
}

static void count_findings(didq_session *s, didq_dqmi *d, counts *c)
{
    const didq_dqmi_spec *sp = d->spec;
    if (!c->c) return; /* count_records allocates it */
    char *sql = findings_sql(s, sp);
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql);
    free(sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        int k = site_index(d, (const char *)sqlite3_column_text(q, 0)), item = -1;
        for (int i = 0; i < sp->n && item < 0; i++)
            if (sp->items[i].item == sqlite3_column_int(q, 1)) item = i;
        if (k < 0 || item < 0) continue;
        uint64_t *sc = c->c + (size_t)k * 3 * (size_t)sp->n + 3 * (size_t)item;
        uint64_t bad = (uint64_t)sqlite3_column_int64(q, 2),
                 bad_default = (uint64_t)sqlite3_column_int64(q, 3);
        sc[1] = bad;
        sc[2] = sc[2] >= bad_default ? sc[2] - bad_default : 0;
    }
    sqlite3_finalize(q);
}

/* ---- the counts kept in a saved session (check --db) ----
 *
 * The counts depend on the records and the spec's items and default
 * values (not its thresholds): a saved session keeps those of the spec it
 * was checked with, in dqmi_counts, and the spec's items and defaults in
 * meta (dqmi_spec); opened with the same items and defaults it reads them
 * instead of every record.  A table that does not add up is not used: the
 * counts are then made from the records, as for a file without it. */

/* The spec's items and default values as one text. */
static char *spec_key(const didq_dqmi_spec *sp)
{
    didq_buf b = {0};
    didq_buf_puts(&b, "v1");
    for (int i = 0; i < sp->n; i++) {
        didq_buf_printf(&b, ";%d:", sp->items[i].item);
        for (int k = 0; k < sp->items[i].ndefaults; k++)
            didq_buf_printf(&b, "%s%s", k ? "\x1f" : "", sp->items[i].defaults[k]);
    }
    return b.p;
}

static const char save_sql[] =
    "CREATE TABLE disk.dqmi_counts(row INTEGER, grp TEXT, records INTEGER, item INTEGER,"
    " blank INTEGER, invalid INTEGER, defaults INTEGER);";

static void bind_group(sqlite3_stmt *q, const didq_dqmi_part *p)
{
    if (strcmp(p->site, "(invalid site)") == 0)
        sqlite3_bind_null(q, 2);
    else
        sqlite3_bind_text(q, 2, strcmp(p->site, "(blank)") == 0 ? "" : p->site, -1, SQLITE_STATIC);
}

int didq_dqmi_save(didq_session *s, const didq_dqmi_spec *sp, sqlite3 *db, char *err, size_t errlen)
{
    didq_dqmi d = {.spec = sp};
    counts c = {0};
    count_records(s, &d, didq_session_analysis(s), &c);
    count_findings(s, &d, &c);
    char *key = spec_key(sp), *msg = NULL;
    sqlite3_stmt *q = NULL, *m = NULL;
    int rc = sqlite3_exec(db, save_sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO disk.dqmi_counts VALUES(?,?,?,?,?,?,?)", -1, &q,
                                NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO disk.meta VALUES('dqmi_spec', ?)", -1, &m, NULL);
    for (size_t g = 0; rc == SQLITE_OK && g < d.nsites; g++)
        for (int i = 0; rc == SQLITE_OK && i < sp->n; i++) {
            const uint64_t *sc = c.c + g * 3 * (size_t)sp->n + 3 * (size_t)i;
            sqlite3_bind_int64(q, 1, (sqlite3_int64)g);
            bind_group(q, &d.sites[g]);
            sqlite3_bind_int64(q, 3, (sqlite3_int64)d.sites[g].records);
            sqlite3_bind_int(q, 4, sp->items[i].item);
            for (int k = 0; k < 3; k++)
                sqlite3_bind_int64(q, 5 + k, (sqlite3_int64)sc[k]);
            rc = sqlite3_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            sqlite3_reset(q);
        }
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(m, 1, key, -1, SQLITE_STATIC);
        rc = sqlite3_step(m) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    if (rc != SQLITE_OK) snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    sqlite3_finalize(q);
    sqlite3_finalize(m);
    free(key);
    free(c.c);
    for (size_t g = 0; g < d.nsites; g++) {
        free(d.sites[g].site);
        free(d.sites[g].items);
    }
    free(d.sites);
    return rc == SQLITE_OK ? 0 : -1;
}

/* Whether the saved session keeps the counts of sp's items and defaults. */
static bool saved_for(sqlite3 *db, const didq_dqmi_spec *sp)
{
    sqlite3_stmt *q = NULL;
    bool same = false;
    char *key = spec_key(sp);
    if (sqlite3_prepare_v2(db,
                           "SELECT value FROM meta WHERE key = 'dqmi_spec' AND EXISTS (SELECT 1"
                           " FROM main.sqlite_schema WHERE name = 'dqmi_counts' AND type = 'table'"
                           " AND sql NOT LIKE 'CREATE VIRTUAL%')",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        same = strcmp((const char *)sqlite3_column_text(q, 0), key) == 0;
    sqlite3_finalize(q);
    free(key);
    return same;
}

static bool count_ok(sqlite3_stmt *q, int col, uint64_t max, uint64_t *out)
{
    if (sqlite3_column_type(q, col) != SQLITE_INTEGER) return false;
    sqlite3_int64 v = sqlite3_column_int64(q, col);
    *out = (uint64_t)v;
    return v >= 0 && (uint64_t)v <= max;
}

/* One row of dqmi_counts for group g, spec item i (rows in order); false
 * if it is not the one expected or its counts do not fit its records. */
static bool saved_row(didq_dqmi *d, sqlite3_stmt *q, const didq_analysis *a, counts *c, size_t *cap,
                      uint64_t total)
{
    const didq_dqmi_spec *sp = d->spec;
    sqlite3_int64 row = sqlite3_column_int64(q, 0);
    const char *grp = (const char *)sqlite3_column_text(q, 1);
    uint64_t records, v[3];
    if (sqlite3_column_type(q, 0) != SQLITE_INTEGER || !count_ok(q, 2, total, &records) ||
        (grp && sqlite3_column_bytes(q, 1) > 256))
        return false;
    if (d->nsites == 0 || row != (sqlite3_int64)d->nsites - 1) {
        if (row != (sqlite3_int64)d->nsites) return false;
        if (d->nsites && c->nsites != (size_t)sp->n) return false; /* the last group ended early */
        next_group(d, c, cap);
        add_site(d, grp, records, a);
        d->overall.records += records;
        c->nsites = 0; /* items of this group seen */
    }
    didq_dqmi_part *p = &d->sites[d->nsites - 1];
    size_t i = c->nsites;
    if (!c->c || i >= (size_t)sp->n || records != p->records ||
        sqlite3_column_int64(q, 3) != sp->items[i].item || !count_ok(q, 4, records, &v[0]) ||
        !count_ok(q, 5, records - v[0], &v[1]) || !count_ok(q, 6, records, &v[2]))
        return false;
    memcpy(c->c + (d->nsites - 1) * 3 * (size_t)sp->n + 3 * i, v, sizeof v);
    c->nsites++;
    return true;
}

static void drop_counts(didq_dqmi *d, counts *c)
{
    for (size_t g = 0; g < d->nsites; g++) {
        free(d->sites[g].site);
        free(d->sites[g].items);
    }
    free(d->sites);
    free(c->c);
    d->sites = NULL;
    d->nsites = 0;
    d->overall.records = 0;
    *c = (counts){0};
}

/* A saved session's counts for d->spec (true), or nothing (false). */
static bool counts_saved(didq_session *s, didq_dqmi *d, const didq_analysis *a, counts *c)
{
    sqlite3 *db = didq_session_db(s);
    if (didq_session_recstore(s) || d->spec->n == 0 || !saved_for(db, d->spec)) return false;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT row, grp, records, item, blank, invalid, defaults"
                           " FROM dqmi_counts ORDER BY row, rowid",
                           -1, &q, NULL) != SQLITE_OK)
        return false;
    size_t cap = 0;
    uint64_t total = didq_session_records(s);
    bool ok = true;
    int rc;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW)
        ok = saved_row(d, q, a, c, &cap, total);
    ok = ok && rc == SQLITE_DONE && (!d->nsites || c->nsites == (size_t)d->spec->n) &&
         d->overall.records == total;
    sqlite3_finalize(q);
    if (!ok) {
        drop_counts(d, c);
        return false;
    }
    if (!d->sites) next_group(d, c, &cap);
    c->nsites = d->nsites;
    return true;
}

didq_dqmi *didq_dqmi_compute(didq_session *s, const didq_dqmi_spec *sp)
{
    static didq_dqmi_spec builtin;
    if (!sp) {
        if (!builtin.n) didq_dqmi_spec_default(&builtin);
        sp = &builtin;
    }
    didq_dqmi *d = didq_xcalloc(1, sizeof *d);
    d->spec = sp;
    const didq_analysis *a = didq_session_analysis(s);
    const int32_t *months;
    int nm = didq_analysis_months(a, &months);
    d->overall.months_submitted = nm;
    d->overall.months_expected = nm ? months[nm - 1] - months[0] + 1 : 0;
    d->overall.items = didq_xcalloc((size_t)sp->n ? (size_t)sp->n : 1, sizeof *d->overall.items);
    counts c = {0};
    if (!counts_saved(s, d, a, &c)) {
        count_records(s, d, a, &c);
        count_findings(s, d, &c);
    }
    uint64_t *total = didq_xcalloc(3 * (size_t)sp->n + 1, sizeof *total);
    for (size_t k = 0; c.c && k < d->nsites; k++) {
        const uint64_t *sc = c.c + k * 3 * (size_t)sp->n;
        for (size_t i = 0; i < 3 * (size_t)sp->n; i++)
            total[i] += sc[i];
        part_finish(&d->sites[k], sp, sc);
    }
    part_finish(&d->overall, sp, total);
    free(total);
    free(c.c);
    return d;
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
