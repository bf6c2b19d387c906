/* sql_memory.c: SQLite's allocator, wrapped so that running out of memory
 * inside SQLite ends the program the way every other allocation does
 * (didq_out_of_memory: the terminal restored, "didq: out of memory", exit
 * 70), not as an "SQL failed" internal error whose message could not even
 * be allocated. */
#include "didq/store.h"
#include "didq/util.h"

#include <sqlite3.h>

static sqlite3_mem_methods sql_default; /* SQLite's own allocator */

static void *sql_malloc(int n)
{
    void *p = sql_default.xMalloc(n);
    if (!p && n > 0) didq_out_of_memory((size_t)n);
    return p;
}

static void *sql_realloc(void *old, int n)
{
    void *p = sql_default.xRealloc(old, n);
    if (!p && n > 0) didq_out_of_memory((size_t)n);
    return p;
}

int didq_sql_memory_init(void)
{
    if (sql_default.xMalloc) return 0;
    sqlite3_mem_methods m;
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &m) != SQLITE_OK) return -1;
    sql_default = m;
    m.xMalloc = sql_malloc;
    m.xRealloc = sql_realloc;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK) {
        sql_default.xMalloc = NULL;
        return -1;
    }
    return 0;
}
