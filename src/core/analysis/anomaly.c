/* anomaly.c: the registry of anomaly kinds and their thresholds
 * (refdata/anomalies.csv, overridable with a file), the anomaly list, and
 * the run that ties the scan and the analyses together. */
#include "anomaly_int.h"
#include "didq/date.h"
#include "didq/record.h"
#include "didq/store.h"
#include "didq/table.h"
#include "didq/util.h"
#include "release.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const kind_names[DIDQ_AK_N] = {DIDQ_ANOMALY_KIND_NAMES};

static const char *const sev_names[] = {"", "low", "medium", "high"};

/* The embedded table, parsed once. */
static struct {
    int loaded;
    didq_thresholds t;
    char unit[DIDQ_AK_N][8];
    char *desc[DIDQ_AK_N];
} reg;

const char *didq_anomaly_kind_name(int kind)
{
    return kind >= 0 && kind < DIDQ_AK_N ? kind_names[kind] : "?";
}

int didq_anomaly_kind_find(const char *name)
{
    for (int k = 0; k < DIDQ_AK_N; k++)
        if (strcmp(kind_names[k], name) == 0) return k;
    return -1;
}

const char *didq_severity_name(int sev)
{
    return sev >= DIDQ_SEV_LOW && sev <= DIDQ_SEV_HIGH ? sev_names[sev] : "?";
}

int didq_severity_find(const char *name)
{
    for (int s = DIDQ_SEV_LOW; s <= DIDQ_SEV_HIGH; s++)
        if (strcasecmp(sev_names[s], name) == 0) return s;
    return 0;
}

static void load_registry(void)
{
    if (reg.loaded) return;
    size_t len;
    const char *text = didq_embedded("anomalies.csv", &len);
    char err[256];
    if (!text || didq_thresholds_parse(&reg.t, "anomalies.csv", text, len, err, sizeof err) != 0)
        didq_die("internal error: refdata/anomalies.csv: %s", text ? err : "missing");
    didq_table *tab = didq_table_embedded("anomalies.csv");
    int ck = didq_table_col(tab, "kind"), cu = didq_table_col(tab, "unit"),
        cd = didq_table_col(tab, "description");
    /* One row per kind, in the order of anomaly_kinds.h (its docs table is
     * in the order of the output). */
    for (int k = 0; k < DIDQ_AK_N; k++) {
        const char *name = (size_t)k < tab->nrows ? didq_table_get(tab, (size_t)k, ck) : "";
        if (strcmp(name, kind_names[k]) != 0)
            didq_die("internal error: refdata/anomalies.csv: data row %d is '%s', not %s (the"
                     " order of anomaly_kinds.h)",
                     k + 1, name, kind_names[k]);
        snprintf(reg.unit[k], sizeof reg.unit[k], "%s", didq_table_get(tab, (size_t)k, cu));
        reg.desc[k] = didq_strdup(didq_table_get(tab, (size_t)k, cd));
    }
    if (tab->nrows != DIDQ_AK_N)
        didq_die("internal error: refdata/anomalies.csv has %zu kinds, not %d", tab->nrows,
                 (int)DIDQ_AK_N);
    didq_table_free(tab);
    reg.loaded = 1;
}

const char *didq_anomaly_kind_description(int kind)
{
    load_registry();
    return kind >= 0 && kind < DIDQ_AK_N ? reg.desc[kind] : "";
}

const char *didq_anomaly_kind_unit(int kind)
{
    load_registry();
    return kind >= 0 && kind < DIDQ_AK_N ? reg.unit[kind] : "";
}

void didq_thresholds_default(didq_thresholds *t)
{
    load_registry();
    *t = reg.t;
}

didq_analysis_opts didq_analysis_defaults(void)
{
    didq_analysis_opts o = {0};
    didq_thresholds_default(&o.thresholds);
    return o;
}

/* ---- threshold files ---- */

enum { TC_KIND, TC_THRESHOLD, TC_LIMIT, TC_MIN, TC_SEVERITY, TC_N };
static const char *const tcol_names[TC_N] = {"kind", "threshold", "limit", "min_records",
                                             "severity"};

/* The largest value a column takes (a file's or a saved session's). */
static double col_max(int c)
{
    return c == TC_MIN ? 1e12 : 1e6;
}

static int parse_number(const char *s, double lo, double hi, double *out)
{
    char *end;
    if (!*s) return -1;
    double v = strtod(s, &end);
    if (*end || v != v || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

/* Applies one data row; returns NULL or the reason it is bad. */
static const char *apply_row(didq_thresholds *t, char **cells, int n, const int *col, char *why,
                             size_t cap)
{
    const char *kn = col[TC_KIND] < n ? cells[col[TC_KIND]] : "";
    int k = didq_anomaly_kind_find(kn);
    if (k < 0) {
        snprintf(why, cap, "unknown anomaly kind '%.60s'", kn);
        return why;
    }
    didq_threshold *th = &t->k[k];
    for (int c = TC_THRESHOLD; c < TC_N; c++) {
        if (col[c] < 0 || col[c] >= n || !*cells[col[c]]) {
            if (c == TC_THRESHOLD) {
                snprintf(why, cap, "%s: no threshold", kn);
                return why;
            }
            continue;
        }
        const char *v = cells[col[c]];
        double d;
        if (c == TC_SEVERITY) {
            if (!(th->severity = didq_severity_find(v))) {
                snprintf(why, cap, "severity is high, medium or low, not '%.20s'", v);
                return why;
            }
        } else if (parse_number(v, 0, col_max(c), &d) != 0) {
            snprintf(why, cap, "%s '%.20s' is not a number >= 0", tcol_names[c], v);
            return why;
        } else if (c == TC_THRESHOLD) {
            th->threshold = d;
        } else if (c == TC_LIMIT) {
            th->limit = d;
        } else {
            th->min_records = (uint64_t)d;
        }
    }
    return NULL;
}

static const char *parse_header(char **cells, int n, int *col, char *why, size_t cap)
{
    for (int c = 0; c < TC_N; c++)
        col[c] = -1;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < TC_N; c++)
            if (strcasecmp(cells[i], tcol_names[c]) == 0) col[c] = i;
    if (col[TC_KIND] < 0 || col[TC_THRESHOLD] < 0) {
        snprintf(why, cap, "the header must name the columns kind and threshold");
        return why;
    }
    return NULL;
}

typedef struct thfile {
    didq_thresholds *t;
    int col[TC_N];
    bool have_header;
    const char *bad; /* the first problem, at line */
    uint64_t line;
    char why[160];
} thfile;

static int on_th_row(void *ctx, const didq_table_row *row)
{
    thfile *r = ctx;
    if (row->bad)
        snprintf(r->why, sizeof r->why, "%s", row->bad), r->bad = r->why;
    else if (r->have_header)
        r->bad = apply_row(r->t, row->f, row->n, r->col, r->why, sizeof r->why);
    else
        r->bad = parse_header(row->f, row->n, r->col, r->why, sizeof r->why);
    r->have_header = true;
    r->line = row->line;
    return r->bad != NULL;
}

static const didq_table_opts th_opts = {.comments = true, .text = true};

static int th_result(const thfile *r, const char *name, char *err, size_t errlen)
{
    if (!r->bad && r->have_header) return 0;
    snprintf(err, errlen, "%s:%llu: %s", name, r->bad ? (unsigned long long)r->line : 1ull,
             r->bad ? r->bad : "no header line");
    return -1;
}

int didq_thresholds_parse(didq_thresholds *t, const char *name, const char *text, size_t len,
                          char *err, size_t errlen)
{
    thfile r = {.t = t};
    didq_table_read(text, len, &th_opts, on_th_row, &r);
    return th_result(&r, name, err, errlen);
}

int didq_thresholds_load(didq_thresholds *t, const char *path, char *err, size_t errlen)
{
    thfile r = {.t = t};
    char why[256];
    if (didq_table_read_file(path, &th_opts, on_th_row, &r, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -2;
    }
    return th_result(&r, path, err, errlen);
}

/* ---- the thresholds saved with a session ---- */

void didq_thresholds_save(sqlite3 *db, const didq_thresholds *t)
{
    didq_exec(db, "DROP TABLE IF EXISTS main.thresholds;"
                  "CREATE TABLE main.thresholds(kind TEXT, threshold REAL, \"limit\" REAL,"
                  " min_records INTEGER, severity TEXT)");
    sqlite3_stmt *q = didq_prepare(db, "INSERT INTO main.thresholds VALUES(?,?,?,?,?)");
    for (int k = 0; k < DIDQ_AK_N; k++) {
        const didq_threshold *th = &t->k[k];
        sqlite3_bind_text(q, 1 + TC_KIND, didq_anomaly_kind_name(k), -1, SQLITE_STATIC);
        sqlite3_bind_double(q, 1 + TC_THRESHOLD, th->threshold);
        sqlite3_bind_double(q, 1 + TC_LIMIT, th->limit);
        sqlite3_bind_int64(q, 1 + TC_MIN, (sqlite3_int64)th->min_records);
        sqlite3_bind_text(q, 1 + TC_SEVERITY, didq_severity_name(th->severity), -1, SQLITE_STATIC);
        sqlite3_step(q);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
}

/* Applies a row of a saved thresholds table (columns in TC_ order); NULL,
 * or the reason it is bad.  A kind this didq does not know (saved by a
 * newer one) is not analysed here and is skipped. */
static const char *apply_saved(didq_thresholds *t, sqlite3_stmt *q, char *why, size_t cap)
{
    const char *kn = (const char *)sqlite3_column_text(q, TC_KIND);
    int k = kn ? didq_anomaly_kind_find(kn) : -1;
    if (k < 0) return NULL;
    double v[TC_SEVERITY];
    for (int c = TC_THRESHOLD; c < TC_SEVERITY; c++) {
        int type = sqlite3_column_type(q, c);
        v[c] = sqlite3_column_double(q, c);
        if ((type != SQLITE_INTEGER && type != SQLITE_FLOAT) ||
            !(v[c] >= 0 && v[c] <= col_max(c))) {
            snprintf(why, cap, "%s: %s is not a number from 0 to %.0f", kn, tcol_names[c],
                     col_max(c));
            return why;
        }
    }
    const char *sev = (const char *)sqlite3_column_text(q, TC_SEVERITY);
    int severity = sev ? didq_severity_find(sev) : 0;
    if (!severity) {
        snprintf(why, cap, "%s: severity is not high, medium or low", kn);
        return why;
    }
    t->k[k] = (didq_threshold){.threshold = v[TC_THRESHOLD],
                               .limit = v[TC_LIMIT],
                               .min_records = (uint64_t)v[TC_MIN],
                               .severity = severity};
    return NULL;
}

int didq_thresholds_read(sqlite3 *db, didq_thresholds *t, char *err, size_t errlen)
{
    didq_thresholds_default(t);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM main.sqlite_schema WHERE name = 'thresholds'"
                           " COLLATE NOCASE",
                           -1, &q, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return -1;
    }
    int have = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    if (!have) return 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT kind, threshold, \"limit\", min_records, severity"
                           " FROM main.thresholds",
                           -1, &q, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return -1;
    }
    char why[160];
    const char *bad = NULL;
    int rc = SQLITE_DONE;
    while (!bad && (rc = sqlite3_step(q)) == SQLITE_ROW)
        bad = apply_saved(t, q, why, sizeof why);
    if (!bad && rc != SQLITE_DONE) bad = sqlite3_errmsg(db);
    if (bad) snprintf(err, errlen, "%s", bad);
    sqlite3_finalize(q);
    return bad ? -1 : 0;
}

/* ---- the anomaly list ---- */

bool an_judged(const didq_analysis *a, int kind, uint64_t n)
{
    return n > 0 && n >= a->o.thresholds.k[kind].min_records;
}

const char *an_pct(double share, char *buf, size_t cap)
{
    snprintf(buf, cap, "%.1f%%", 100.0 * share);
    return buf;
}

didq_anomaly *an_add(didq_analysis *a, int kind, const an_site *s, double value, double threshold,
                     uint64_t records)
{
    if (a->nan == a->capan) {
        a->capan = a->capan ? 2 * a->capan : 16;
        a->an = didq_xrealloc(a->an, a->capan * sizeof *a->an);
        a->an_recs = didq_xrealloc(a->an_recs, a->capan * sizeof *a->an_recs);
    }
    memset(&a->an_recs[a->nan], 0, sizeof a->an_recs[a->nan]);
    didq_anomaly *an = &a->an[a->nan++];
    *an = (didq_anomaly){.kind = kind,
                         .severity = a->o.thresholds.k[kind].severity,
                         .site = s->code,
                         .value = value,
                         .threshold = threshold,
                         .records = records,
                         .item = -1,
                         .day0 = DIDQ_NODATE,
                         .day1 = DIDQ_NODATE,
                         .month = a->mon[s->part].month};
    an->id = (int)a->nan;
    return an;
}

static char *vfmt(const char *fmt, va_list ap)
{
    char *s = sqlite3_vmprintf(fmt, ap);
    if (!s) didq_die("out of memory");
    char *out = didq_strdup(s);
    sqlite3_free(s);
    return out;
}

/* Both use SQLite's printf, so %Q quotes a site code for SQL. */
void an_set_message(didq_anomaly *an, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(an->message);
    an->message = vfmt(fmt, ap);
    va_end(ap);
}

void an_set_where(didq_anomaly *an, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(an->where);
    an->where = vfmt(fmt, ap);
    va_end(ap);
}

/* The order of the months: those analysed apart ascending, then the
 * anomalies that compare months. */
static int32_t month_order(int32_t m)
{
    return m == DIDQ_NOMONTH ? INT32_MAX : m;
}

static int cmp_anomaly(const void *x, const void *y)
{
    const didq_anomaly *p = x, *q = y;
    if (p->month != q->month) return month_order(p->month) < month_order(q->month) ? -1 : 1;
    if (p->severity != q->severity) return q->severity - p->severity;
    int c = strcmp(p->site, q->site);
    if (c) return c;
    if (p->kind != q->kind) return (int)p->kind - (int)q->kind;
    return p->item != q->item ? p->item - q->item : (p->day0 > q->day0) - (p->day0 < q->day0);
}

/* The order of the tables (didq_analysis_by_severity): severity, site and
 * kind first, then the period as the list orders it; the analysis order
 * (id) last, so that no two anomalies tie. */
static int cmp_severity(const void *x, const void *y)
{
    const didq_anomaly *p = *(const didq_anomaly *const *)x, *q = *(const didq_anomaly *const *)y;
    if (p->severity != q->severity) return q->severity - p->severity;
    int c = strcmp(p->site, q->site);
    if (c) return c;
    if (p->kind != q->kind) return (int)p->kind - (int)q->kind;
    if (p->month != q->month) return month_order(p->month) < month_order(q->month) ? -1 : 1;
    return p->id - q->id;
}

size_t didq_analysis_by_severity(const didq_analysis *a, int32_t month, const didq_anomaly **out)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nan; i++)
        if (didq_anomaly_in_month(&a->an[i], month)) out[n++] = &a->an[i];
    if (n) qsort((void *)out, n, sizeof(const didq_anomaly *), cmp_severity);
    return n;
}

/* The TEMP table of the record lists: a subset's analysis has its own,
 * so that the session's keeps its lists (anomaly.h). */
static const char *list_table(const didq_analysis *a)
{
    return a->subset ? "anomaly_records_subset" : "anomaly_records";
}

/* The TEMP table of the record lists made anew (empty) and its insert. */
static sqlite3_stmt *new_lists(didq_analysis *a)
{
    char *sql = sqlite3_mprintf("DROP TABLE IF EXISTS temp.%s;"
                                "CREATE TEMP TABLE %s(anomaly INTEGER, rec INTEGER,"
                                " PRIMARY KEY(anomaly, rec)) WITHOUT ROWID",
                                list_table(a), list_table(a));
    didq_exec(a->db, sql);
    sqlite3_free(sql);
    sql = sqlite3_mprintf("INSERT OR IGNORE INTO temp.%s VALUES(?,?)", list_table(a));
    sqlite3_stmt *ins = didq_prepare(a->db, sql);
    sqlite3_free(sql);
    return ins;
}

/* Sorts, numbers, writes the record lists and points the conditions of
 * the record-level kinds at them. */
static void finish_list(didq_analysis *a)
{
    for (size_t i = 0; i < a->nan; i++)
        a->an[i].id = -(int)(i + 1); /* remember the list by original index */
    if (a->nan) qsort(a->an, a->nan, sizeof *a->an, cmp_anomaly);
    sqlite3_stmt *ins = new_lists(a);
    for (size_t i = 0; i < a->nan; i++) {
        didq_anomaly *an = &a->an[i];
        an_list *l = &a->an_recs[-an->id - 1];
        an->id = (int)i + 1;
        if (!l->n) continue;
        for (size_t k = 0; k < l->n; k++) {
            sqlite3_bind_int(ins, 1, an->id);
            sqlite3_bind_int64(ins, 2, l->v[k]);
            sqlite3_step(ins);
            sqlite3_reset(ins);
        }
        an_set_where(an, "id IN (SELECT rec FROM %s WHERE anomaly = %d)", list_table(a), an->id);
    }
    sqlite3_finalize(ins);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

didq_analysis *an_new(sqlite3 *db, const didq_analysis_opts *o)
{
    didq_analysis *a = didq_xcalloc(1, sizeof *a);
    a->o = o ? *o : didq_analysis_defaults();
    a->db = db;
    a->started = now_ms();
    didq_jobs_init(&a->scan_jobs);
    a->nfiles = an_count_files(db);
    a->subset = a->o.subset_where != NULL;
    an_read_months(a);
    return a;
}

_Static_assert(DIDQ_REC_BAD_SITE == 64, "AN_SITE_OK tests flags & 64");

char *didq_site_cond(const char *site)
{
    if (strcmp(site, DIDQ_INVALID_SITE) == 0)
        return sqlite3_mprintf("(flags & %d) != 0", DIDQ_REC_BAD_SITE);
    return sqlite3_mprintf("site = %Q AND (flags & %d) = 0", site, DIDQ_REC_BAD_SITE);
}

/* Drops the anomalies of the records whose site code breaks a site rule
 * (a code that is not a site: DIDS068, DIDS069), counted by the scan as
 * one site, DIDQ_INVALID_SITE, every record of it flagged: such a code gets
 * no site-level anomaly of its own; the rules report it. */
static void drop_invalid_sites(didq_analysis *a)
{
    size_t k = 0;
    for (size_t i = 0; i < a->nan; i++) {
        /* every record the scan counts under DIDQ_INVALID_SITE has a bad code */
        if (strcmp(a->an[i].site, DIDQ_INVALID_SITE) == 0) {
            free(a->an[i].message);
            free(a->an[i].where);
            free(a->an_recs[i].v);
            continue;
        }
        a->an_recs[k] = a->an_recs[i];
        a->an[k] = a->an[i];
        a->an[k].id = (int)k + 1;
        k++;
    }
    a->nan = k;
}

void an_compute(didq_analysis *a)
{
    an_scan(a);
    /* the subset has been read: its where and ids are the caller's */
    a->o.subset_where = NULL;
    a->o.subset_ids = NULL;
    a->o.nsubset_ids = 0;
    an_settings(a);
    an_timeliness(a);
    an_coverage(a);
    an_fields(a);
    an_records(a);
    /* the record keys serve only the record kinds: freed before the
     * explorer makes its sorted orders (160 MB at 4 million records),
     * their pages given back on two threads first (release.h) */
    didq_release_spans((didq_span[]){{a->recs, a->caprecs * sizeof *a->recs},
                                     {a->accs, a->accs ? a->caprecs * sizeof *a->accs : 0},
                                     {a->ids, a->ids ? a->caprecs * sizeof *a->ids : 0}},
                       3, a->o.threads);
    free(a->recs);
    free(a->accs);
    free(a->ids);
    a->recs = NULL;
    a->accs = NULL;
    a->ids = NULL;
    drop_invalid_sites(a);
    an_month_wheres(a);
}

void an_publish(didq_analysis *a)
{
    finish_list(a);
    a->millis = now_ms() - a->started;
}

didq_analysis *didq_analysis_run(sqlite3 *db, const didq_analysis_opts *o)
{
    didq_analysis *a = an_new(db, o);
    an_compute(a);
    an_publish(a);
    return a;
}

size_t didq_analysis_count(const didq_analysis *a)
{
    return a->nan;
}

const didq_anomaly *didq_analysis_get(const didq_analysis *a, size_t i)
{
    return i < a->nan ? &a->an[i] : NULL;
}

char *didq_anomaly_record_query(const didq_anomaly *an)
{
    didq_buf b = {0};
    didq_buf_printf(&b, "SELECT id FROM records WHERE %s ORDER BY id", an->where);
    return b.p;
}

void an_site_free(an_site *s)
{
    free(s->code);
    free(s->file_setting);
    free(s->file_n);
    free(s->day);
    for (int m = 0; m <= DIDQ_MOD_N; m++)
        free(s->tl[m]);
}

void didq_analysis_free(didq_analysis *a)
{
    if (!a) return;
    didq_jobs_destroy(&a->scan_jobs);
    free(a->restricted.v); /* when the record kinds did not run */
    for (size_t i = 0; i < a->nan; i++) {
        free(a->an[i].message);
        free(a->an[i].where);
    }
    for (size_t i = 0; i < a->nan; i++)
        free(a->an_recs[i].v);
    if (a->nmon > 1) {
        for (size_t i = 0; i < a->ncov; i++)
            free((void *)a->cov[i].count);
        free(a->total);
        free(a->tl_rows);
        free(a->cov);
    }
    an_months_free(a);
    for (size_t i = 0; i < a->nsites; i++)
        an_site_free(&a->sites[i]);
    free(a->sites);
    free(a->recs);
    free(a->accs);
    free(a->ids);
    free(a->months);
    free(a->vol);
    free(a->an);
    free(a->an_recs);
    free(a);
}
