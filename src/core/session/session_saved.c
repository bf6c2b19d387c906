/* session_saved.c: a session saved to a file (check --db) and opened
 * again: the analyses' results and the caller's tables written beside the
 * records, the widths, thresholds and format read back on opening. */
#include "session_int.h"
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/modality.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct save_ctx {
    const didq_analysis *an;
    didq_save_fn fn;
    void *ctx;
} save_ctx;

/* The analyses' results, then the caller's tables, into the saved file. */
static int save_more(sqlite3 *db, void *p, char *err, size_t errlen)
{
    save_ctx *c = p;
    int rc = didq_analysis_save(c->an, db, "disk", err, errlen);
    return rc || !c->fn ? rc : c->fn(db, c->ctx, err, errlen);
}

int didq_session_save_with(didq_session *s, const char *path, bool overwrite, didq_save_fn fn,
                           void *ctx, char *err, size_t errlen)
{
    if (!s->store || !s->finished) {
        snprintf(err, errlen, "%s: only a finished, loaded session can be saved", path);
        return -1;
    }
    save_ctx c = {didq_session_analysis(s), fn, ctx};
    return didq_store_save(s->store, path, overwrite, save_more, &c, err, errlen);
}

int didq_session_save(didq_session *s, const char *path, bool overwrite, char *err, size_t errlen)
{
    return didq_session_save_with(s, path, overwrite, NULL, NULL, err, errlen);
}

static int meta_text(sqlite3 *db, const char *key, char *out, size_t cap)
{
    sqlite3_stmt *q = didq_prepare(db, "SELECT value FROM meta WHERE key = ?");
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int ok = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0);
    if (ok) snprintf(out, cap, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return ok;
}

/* The longest value of each item, as saved in meta (-1: not saved). */
static void read_widest(didq_session *s, sqlite3 *db)
{
    char w[DIDQ_MAX_ITEMS * 11] = "";
    for (int i = 0; i < DIDQ_MAX_ITEMS; i++)
        s->widest[i] = -1;
    if (!meta_text(db, "widths", w, sizeof w)) return;
    const char *p = w;
    for (int i = 0; i < DIDQ_MAX_ITEMS && *p; i++) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || v >= 1 << 30) return;
        s->widest[i] = (int)v;
        p = *end == ',' ? end + 1 : end;
    }
}

static bool same_thresholds(const didq_thresholds *x, const didq_thresholds *y)
{
    for (int k = 0; k < DIDQ_AK_N; k++) {
        const didq_threshold *p = &x->k[k], *q = &y->k[k];
        if (p->threshold != q->threshold || p->limit != q->limit ||
            p->min_records != q->min_records || p->severity != q->severity)
            return false;
    }
    return true;
}

didq_session *didq_session_open_saved(const char *path, const didq_thresholds *thresholds,
                                      char *err, size_t errlen)
{
    sqlite3 *db = didq_store_open_saved(path, err, errlen);
    if (!db) return NULL;
    char date[32] = "", n[32] = "0";
    didq_session *s = didq_xcalloc(1, sizeof *s);
    s->saved = db;
    didq_modality_register(db, NULL);
    s->ds = didq_dataset_v1();
    s->rs = didq_ruleset_new(s->ds, NULL);
    s->rule_counts = didq_xcalloc((size_t)s->rs->n, sizeof *s->rule_counts);
    s->finished = 1;
    meta_text(db, "submitted", date, sizeof date);
    meta_text(db, "records", n, sizeof n);
    if (!didq_date_parse(date, strlen(date), &s->opts.submitted)) {
        snprintf(err, errlen, "%s: the saved session has no submission date", path);
        didq_session_free(s);
        return NULL;
    }
    s->records = strtoull(n, NULL, 10);
    read_widest(s, db);
    char why[256];
    if (didq_thresholds_read(db, &s->thresholds, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: not a saved didq session (thresholds: %s)", path, why);
        didq_session_free(s);
        return NULL;
    }
    char format[32] = "";
    meta_text(db, "format", format, sizeof format);
    bool again = thresholds && !same_thresholds(thresholds, &s->thresholds);
    if (again) s->thresholds = *thresholds; /* the analyses run again, on the records */
    if (strcmp(format, "didq-session-1") == 0) return s; /* older: no saved analyses */
    /* the saved analyses (each row checked), then the checksums of every
     * table kept beside the records */
    didq_analysis_opts o = didq_session_analysis_opts(s);
    if ((!again && !(s->an = didq_analysis_load(db, &o, why, sizeof why))) ||
        didq_store_check_sums(db, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: a damaged saved didq session (%s)", path, why);
        didq_session_free(s);
        return NULL;
    }
    return s;
}
