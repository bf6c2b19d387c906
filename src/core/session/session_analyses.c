/* session_analyses.c: the end of a load and the anomaly analyses at once.
 * The cross-record rule (DIDS071), the look-up indexes and the tables
 * (didq_session_finish) run on a second thread while the analyses scan the
 * record store: the analyses read values, files and dates; the end of the
 * load writes findings, error counts, indexes and SQL.  The analyses' own
 * SQL runs before the thread starts and after it ends. */
#include "anomaly_int.h"
#include "didq/session.h"
#include "didq/store.h"

#include <pthread.h>

static void *finish_main(void *s)
{
    didq_session_finish(s);
    return NULL;
}

didq_analysis *didq_session_finish_analysed(didq_session *s, const didq_analysis_opts *o)
{
    didq_analysis *a = an_new(didq_session_db(s), o);
    pthread_t th;
    int two = a->o.records && pthread_create(&th, NULL, finish_main, s) == 0;
    if (!two) didq_session_finish(s);
    an_compute(a);
    if (two) pthread_join(th, NULL);
    an_publish(a);
    return a;
}

void didq_anomalies_ensure(didq_session *s)
{
    sqlite3 *db = didq_session_db(s);
    sqlite3_stmt *q = didq_prepare(db, "SELECT 1 FROM sqlite_temp_master WHERE name = 'anomalies'");
    int have = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    if (have) return;
    didq_analysis_opts o = didq_analysis_defaults();
    o.records = didq_session_recstore(s);
    o.refdata = didq_session_refdata(s);
    didq_analysis *a = didq_analysis_run(db, &o);
    didq_analysis_store(db, a);
    didq_analysis_free(a);
}
