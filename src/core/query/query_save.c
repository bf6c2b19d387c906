/* query_save.c: a loaded session saved (`check --db`) with what the panes
 * of the session opened again would otherwise count from every record on
 * disk: the DQMI-style counts (dqmi_score.c), the Sites table's figures
 * per file (query_sites.c), the JSON report's per-site quality
 * (query_sitequal.c) and the Months pane's groups (query_months.c),
 * beside the analyses the session saves itself. */
#include "didq/dqmi.h"
#include "didq/query.h"
#include "didq/session.h"
#include "query_sites.h"

typedef struct save_ctx {
    didq_session *s;
    const didq_dqmi_spec *sp;
} save_ctx;

static int save_panes(sqlite3 *db, void *p, char *err, size_t errlen)
{
    save_ctx *c = p;
    if (didq_dqmi_save(c->s, c->sp, db, err, errlen) != 0 ||
        didq_query_sites_save(c->s, db, err, errlen) != 0 ||
        didq_query_site_quality_save(c->s, db, err, errlen) != 0)
        return -1;
    return didq_query_months_save(c->s, db, err, errlen);
}

int didq_query_save(didq_session *s, const char *path, bool overwrite, const didq_dqmi_spec *sp,
                    char *err, size_t errlen)
{
    static didq_dqmi_spec builtin;
    if (!sp) {
        if (!builtin.n) didq_dqmi_spec_default(&builtin);
        sp = &builtin;
    }
    save_ctx c = {s, sp};
    return didq_session_save_with(s, path, overwrite, save_panes, &c, err, errlen);
}
