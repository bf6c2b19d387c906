/* session_finish.c: the end of a session: the load finished (the store's
 * tables and indexes, DIDS071, the meta rows), with its analyses beside or
 * in the background, the work of upper layers beside them, and the
 * session freed. */
#include "session_int.h"
#include "didq/anomaly.h"
#include "didq/date.h"
#include "didq/month.h"
#include "recstore.h"
#include "didq/store.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* check --site: "site_scope" the codes joined by commas, and one row
 * "site_scope_left_out/NNNNNN" per file dropped, in load order. */
static void write_site_meta(didq_session *s)
{
    if (!s->nsites) return;
    didq_buf b = {0};
    for (size_t i = 0; i < s->nsites; i++)
        didq_buf_printf(&b, "%s%s", i ? "," : "", s->sites[i]);
    didq_store_meta(s->store, "site_scope", b.p);
    didq_buf_free(&b);
    for (size_t i = 0; i < s->left_out.n; i++) {
        char key[48];
        snprintf(key, sizeof key, "site_scope_left_out/%06zu", i + 1);
        didq_store_meta(s->store, key, s->left_out.v[i]);
    }
}

static void write_meta(didq_session *s)
{
    char date[11], n[32];
    didq_date_format(s->opts.submitted, date);
    snprintf(n, sizeof n, "%llu", (unsigned long long)s->records);
    didq_store_meta(s->store, "format", "didq-session-2");
    didq_store_meta(s->store, "dataset", s->ds->name);
    didq_store_meta(s->store, "submitted", date);
    didq_store_meta(s->store, "records", n);
    didq_store_meta(s->store, "didq_version", DIDQ_VERSION);
    didq_store_meta(s->store, "refdata", s->opts.ref_label ? s->opts.ref_label : "none");
    char w[DIDQ_MAX_ITEMS * 11] = "";
    size_t k = 0;
    for (int i = 0; i < s->ds->nitems && k < sizeof w; i++)
        k += (size_t)snprintf(w + k, sizeof w - k, "%s%u", i ? "," : "",
                              didq_recstore_widest(didq_store_recstore(s->store), i));
    didq_store_meta(s->store, "widths", w);
    didq_thresholds_save(didq_store_db(s->store), &s->thresholds);
    write_site_meta(s);
}

void didq_session_finish(didq_session *s)
{
    if (s->finished) return;
    s->finished = 1;
    write_meta(s);
    didq_store_finish(s->store, s->rs, s->rule_counts, s->blank, s->invalid);
}

didq_analysis_opts didq_session_analysis_opts(const didq_session *s)
{
    didq_analysis_opts o = {.thresholds = s->thresholds,
                            .records = didq_session_recstore(s),
                            .refdata = s->opts.ref,
                            .threads = s->threads};
    return o;
}

static void finish_job(void *p)
{
    didq_session *s = p;
    didq_session_finish(s);
    void (*fn)(didq_session *, void *) = s->beside;
    s->beside = NULL;
    if (fn) fn(s, s->beside_ctx);
}

void didq_session_beside(didq_session *s, void (*fn)(didq_session *s, void *ctx), void *ctx)
{
    s->beside = fn;
    s->beside_ctx = ctx;
}

void didq_session_on_record(didq_session *s, didq_record_fn fn, void *ctx)
{
    s->on_record = fn;
    s->on_record_ctx = ctx;
}

void didq_session_keep(didq_session *s, void *p, void (*free_fn)(void *p))
{
    if (s->kept_free) s->kept_free(s->kept);
    s->kept = p;
    s->kept_free = free_fn;
}

void *didq_session_kept(const didq_session *s)
{
    return s->kept;
}

/* The analyses started by didq_session_finish_background, waited for. */
static void collect(didq_session *s)
{
    if (!s->bg) return;
    s->an = didq_analysis_wait(s->bg);
    s->bg = NULL;
}

void didq_session_finish_background(didq_session *s, bool hold)
{
    didq_analysis_opts o = didq_session_analysis_opts(s);
    if (s->an || s->bg || !o.records) {
        didq_session_finish_analysed(s);
        return;
    }
    /* One thread fewer than the session's for the analyses and the
     * store's per-site passes: the explorer keeps a core for its keys and
     * the background builder of sorted orders, which runs only on a core
     * nothing else wants (recstore_order.c); with the record kinds and the
     * passes on both of two cores, the first sort of the key script at 4
     * million took 100 to 360 ms instead of under 60. */
    if (o.threads > 1) o.threads--;
    didq_recstore_set_threads(didq_store_recstore(s->store), o.threads);
    s->bg = didq_analysis_start(didq_session_db(s), &o, hold);
    didq_session_finish(s);
}

bool didq_session_analysis_ready(didq_session *s)
{
    if (s->bg && didq_analysis_done(s->bg)) collect(s);
    return !s->bg;
}

void didq_session_analysis_release(didq_session *s)
{
    if (s->bg) didq_analysis_release(s->bg);
}

const didq_analysis *didq_session_finish_analysed(didq_session *s)
{
    collect(s);
    if (s->an) {
        didq_session_finish(s);
        return s->an;
    }
    didq_analysis_opts o = didq_session_analysis_opts(s);
    s->an = didq_analysis_run_beside(didq_session_db(s), &o, finish_job, s);
    return s->an;
}

const didq_analysis *didq_session_analysis(didq_session *s)
{
    collect(s);
    if (!s->an) {
        didq_analysis_opts o = didq_session_analysis_opts(s);
        s->an = didq_analysis_run(didq_session_db(s), &o);
    }
    return s->an;
}

struct didq_analysis *didq_session_analysis_subset(didq_session *s, const char *where,
                                                   const struct didq_id_range *ids, size_t nids)
{
    didq_session_analysis(s); /* its own first: the end of the load done, the SQL free */
    didq_analysis_opts o = didq_session_analysis_opts(s);
    o.subset_where = where;
    o.subset_ids = ids;
    o.nsubset_ids = nids;
    return didq_analysis_run(didq_session_db(s), &o);
}

bool didq_session_prebuild_orders(didq_session *s)
{
    return s->store && didq_recstore_prebuild(didq_store_recstore(s->store));
}

void didq_session_prebuild_next(didq_session *s, int item)
{
    if (s->store) didq_recstore_prebuild_next(didq_store_recstore(s->store), item);
}

void didq_session_free(didq_session *s)
{
    if (!s) return;
    /* a scan still running reads the store, and so does a copy of the values */
    collect(s);
    didq_session_values_taken(s, true);
    free(s->changed);
    if (s->kept_free) s->kept_free(s->kept);
    didq_analysis_free(s->an);
    didq_store_close(s->store);
    sqlite3_close(s->saved);
    didq_ruleset_free(s->rs);
    free(s->rule_counts);
    didq_month_hist_free(&s->months);
    for (size_t i = 0; s->opts.months && i < s->opts.n_months; i++)
        free((char *)s->opts.months[i].file);
    free((void *)s->opts.months);
    for (int i = 0; i < s->nloaded; i++)
        free(s->loaded[i].path);
    free(s->loaded);
    didq_session_unwatch(s);
    for (size_t i = 0; i < s->nsites; i++)
        free(s->sites[i]);
    free(s->sites);
    free(s->site_len);
    free(s->site_records);
    didq_strvec_free(&s->left_out);
    free(s);
}
