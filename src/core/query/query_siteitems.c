/* query_siteitems.c: completeness per site and item (the report's heat
 * map): per site as the Overview counts sites, its records and each item's
 * filled % (100 x (records - blank) / records, blank as the Completeness
 * pane counts it: absent or only spaces).  In memory one pass over the
 * record store (didq_site_counts_scan_blanks); a saved session groups its
 * records in SQL. */
#include "didq/query.h"
#include "didq/store.h"
#include "didq/util.h"
#include "recstore_sites.h"

#include <stdlib.h>
#include <string.h>

static const char *head[DIDQ_MAX_ITEMS + 2];

static didq_qtable *new_table(const didq_dataset *ds)
{
    static char align[DIDQ_MAX_ITEMS + 3];
    head[0] = "Site", head[1] = "Records";
    align[0] = 'l', align[1] = 'r';
    for (int i = 0; i < ds->nitems && i < DIDQ_MAX_ITEMS; i++)
        head[i + 2] = ds->items[i].shortname, align[i + 2] = 'r';
    return didq_qtable_new(ds->nitems + 2, head, align);
}

static void add_row(didq_qtable *t, const char *site, uint64_t records, const uint64_t *blank,
                    int nitems)
{
    size_t r = didq_qtable_row(t);
    didq_qtable_set(t, r, 0, "%s", site);
    didq_qtable_set(t, r, 1, "%llu", (unsigned long long)records);
    for (int i = 0; i < nitems; i++)
        didq_qtable_set(t, r, i + 2, "%.1f",
                        records ? 100.0 * (double)(records - blank[i]) / (double)records : 0.0);
}

static void from_store(didq_qtable *t, const didq_recstore *rs, int nitems)
{
    size_t n;
    didq_site_counts *sc = didq_site_counts_scan_blanks(rs, &n);
    for (size_t i = 0; i < n; i++) {
        char site[256];
        if (sc[i].invalid)
            snprintf(site, sizeof site, "%s", "(invalid site)");
        else if (sc[i].null || !sc[i].len)
            snprintf(site, sizeof site, "%s", "(blank)");
        else
            snprintf(site, sizeof site, "%.*s", (int)sc[i].len, sc[i].site);
        add_row(t, site, sc[i].records, sc[i].blank, nitems);
    }
    free(sc);
}

/* Grouped as the Overview groups sites (query_panes.c): the invalid codes
 * in one group, last; absent (NULL) and only spaces ('') apart. */
static void from_sql(didq_qtable *t, sqlite3 *db, int nitems)
{
    didq_buf sql = {0};
    didq_buf_puts(&sql, "SELECT CASE WHEN (flags & 64) <> 0 THEN NULL ELSE site END, count(*),"
                        " (flags & 64) <> 0");
    for (int i = 0; i < nitems; i++)
        didq_buf_printf(&sql, ", sum(coalesce(trim(f%d, ' '), '') = '')", DIDQ_COL_NUM(i));
    didq_buf_puts(&sql, " FROM records GROUP BY 3, 1 ORDER BY 3, 2 DESC, 1");
    sqlite3_stmt *q = didq_prepare(db, sql.p);
    didq_buf_free(&sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        uint64_t blank[DIDQ_MAX_ITEMS];
        for (int i = 0; i < nitems; i++)
            blank[i] = (uint64_t)sqlite3_column_int64(q, i + 3);
        const char *site = (const char *)sqlite3_column_text(q, 0);
        add_row(t,
                sqlite3_column_int(q, 2) ? "(invalid site)"
                : site && *site          ? site
                                         : "(blank)",
                (uint64_t)sqlite3_column_int64(q, 1), blank, nitems);
    }
    sqlite3_finalize(q);
}

didq_qtable *didq_query_site_items(didq_session *s)
{
    const didq_dataset *ds = didq_session_dataset(s);
    int nitems = ds->nitems < DIDQ_MAX_ITEMS ? ds->nitems : DIDQ_MAX_ITEMS;
    didq_qtable *t = new_table(ds);
    const didq_recstore *rs = didq_session_recstore(s);
    if (rs)
        from_store(t, rs, nitems);
    else
        from_sql(t, didq_session_db(s), nitems);
    return t;
}
