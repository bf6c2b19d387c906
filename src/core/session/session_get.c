/* session_get.c: what a session answers about itself (session.h): its
 * database, reference data, record store, dataset, rules and counts. */
#include "recstore.h"
#include "session_int.h"

void didq_session_on_query(didq_session *s, int (*fn)(void *ctx), void *ctx)
{
    sqlite3_progress_handler(didq_session_db(s), 100000, fn, ctx);
}

sqlite3 *didq_session_db(const didq_session *s)
{
    return s->saved ? s->saved : didq_store_db(s->store);
}

const struct didq_refdata *didq_session_refdata(const didq_session *s)
{
    return s->opts.ref;
}

const struct didq_recstore *didq_session_recstore(const didq_session *s)
{
    return s->store ? didq_store_recstore(s->store) : NULL;
}

int didq_session_widest(const didq_session *s, int item)
{
    if (item < 0 || item >= DIDQ_MAX_ITEMS) return -1;
    if (s->store) return (int)didq_recstore_widest(didq_store_recstore(s->store), item);
    return s->widest[item];
}

const didq_dataset *didq_session_dataset(const didq_session *s)
{
    return s->ds;
}

const didq_ruleset *didq_session_rules(const didq_session *s)
{
    return s->rs;
}

int32_t didq_session_submitted(const didq_session *s)
{
    return s->opts.submitted;
}

int didq_session_threads(const didq_session *s)
{
    return s->threads;
}

uint64_t didq_session_records(const didq_session *s)
{
    return s->records;
}

uint64_t didq_session_site_records(const didq_session *s, size_t i, const char **code)
{
    if (i >= s->nsites) {
        if (code) *code = "";
        return 0;
    }
    if (code) *code = s->sites[i];
    return s->site_records[i];
}
