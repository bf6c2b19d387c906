/* anomaly_thread.c: the analyses with another job beside them.  The
 * session's end of a load (the cross-record rule DIDS071, the look-up
 * indexes and the tables: didq_session_finish_analysed) runs on a second
 * thread while the analyses scan the record store: the analyses read
 * values, files and dates; the end of the load writes findings, error
 * counts, indexes and SQL.  The analyses' own SQL runs before the thread
 * starts and after it ends. */
#include "anomaly_int.h"

#include <pthread.h>

typedef struct job {
    void (*fn)(void *ctx);
    void *ctx;
} job;

static void *job_main(void *j)
{
    ((job *)j)->fn(((job *)j)->ctx);
    return NULL;
}

didq_analysis *didq_analysis_run_beside(sqlite3 *db, const didq_analysis_opts *o,
                                        void (*fn)(void *ctx), void *ctx)
{
    didq_analysis *a = an_new(db, o);
    job j = {fn, ctx};
    pthread_t th;
    int two = a->o.records && pthread_create(&th, NULL, job_main, &j) == 0;
    if (!two) fn(ctx);
    an_compute(a);
    if (two) pthread_join(th, NULL);
    an_publish(a);
    return a;
}
