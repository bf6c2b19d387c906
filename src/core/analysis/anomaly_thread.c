/* anomaly_thread.c: the analyses with another job beside them.  The
 * session's end of a load (the cross-record rule DIDS071, the look-up
 * indexes and the tables: didq_session_finish_analysed) runs on a second
 * thread while the analyses scan the record store: the analyses read
 * values, files and dates; the end of the load writes findings, error
 * counts, indexes and SQL.  The analyses' own SQL runs before the thread
 * starts and after it ends. */
#include "anomaly_int.h"

#include "didq/util.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct job {
    void (*fn)(void *ctx);
    void *ctx;
    didq_analysis *a;
} job;

/* The end of the load, then parts of the scan still untaken (with more
 * than one thread: at one, nothing runs beside this one's work). */
static void *job_main(void *p)
{
    job *j = p;
    j->fn(j->ctx);
    if (j->a->o.threads > 1) didq_jobs_help(&j->a->scan_jobs);
    return NULL;
}

didq_analysis *didq_analysis_run_beside(sqlite3 *db, const didq_analysis_opts *o,
                                        void (*fn)(void *ctx), void *ctx)
{
    didq_analysis *a = an_new(db, o);
    job j = {fn, ctx, a};
    pthread_t th;
    int two = a->o.records && pthread_create(&th, NULL, job_main, &j) == 0;
    if (!two) fn(ctx);
    an_compute(a);
    if (two) pthread_join(th, NULL);
    an_publish(a);
    return a;
}

/* The analyses in the background (didq_analysis_start): the scan on a
 * thread of its own, held until released when asked (a test's way of
 * seeing the explorer's "computing" state); an_new before it starts and
 * an_publish after it is joined run on the caller's thread, as their SQL
 * must. */
struct didq_analysis_bg {
    didq_analysis *a;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool held, done, joined;
};

static void *bg_main(void *p)
{
    didq_analysis_bg *b = p;
    pthread_mutex_lock(&b->mu);
    while (b->held)
        pthread_cond_wait(&b->cv, &b->mu);
    pthread_mutex_unlock(&b->mu);
    an_compute(b->a);
    pthread_mutex_lock(&b->mu);
    b->done = true;
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

didq_analysis_bg *didq_analysis_start(sqlite3 *db, const didq_analysis_opts *o, bool hold)
{
    didq_analysis_bg *b = didq_xcalloc(1, sizeof *b);
    b->a = an_new(db, o);
    b->held = hold;
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    if (pthread_create(&b->th, NULL, bg_main, b) != 0) { /* no thread: at once, here */
        b->joined = b->done = true;
        an_compute(b->a);
    }
    return b;
}

void didq_analysis_release(didq_analysis_bg *b)
{
    pthread_mutex_lock(&b->mu);
    b->held = false;
    pthread_cond_signal(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

bool didq_analysis_done(didq_analysis_bg *b)
{
    pthread_mutex_lock(&b->mu);
    bool done = b->done;
    pthread_mutex_unlock(&b->mu);
    return done;
}

didq_analysis *didq_analysis_wait(didq_analysis_bg *b)
{
    didq_analysis_release(b);
    if (!b->joined) pthread_join(b->th, NULL);
    didq_analysis *a = b->a;
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
    free(b);
    an_publish(a);
    return a;
}
