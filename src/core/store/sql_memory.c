/* sql_memory.c: SQLite's process-wide settings, made by main before any
 * other SQLite call.  Its allocator, wrapped so that running out of memory
 * inside SQLite ends the program the way every other allocation does
 * (didq_out_of_memory: the terminal restored, "didq: out of memory", exit
 * 70), not as an "SQL failed" internal error whose message could not even
 * be allocated.  Its error log, through which corruption SQLite meets in a
 * saved session's file ends the program as a damaged input (exit 66, the
 * file named), wherever the read was: a loop that stops at its first
 * error would otherwise count a damaged table's rows as if they were all
 * (a diff of a session against its own file said 1,081 added), and a
 * query that fails would be an internal error. */
#include "didq/store.h"
#include "didq/text.h"
#include "didq/util.h"

#include <pthread.h>
#include <sqlite3.h>
#include <string.h>

enum { WATCHED_MAX = 4 };

static pthread_mutex_t watched_mu = PTHREAD_MUTEX_INITIALIZER;
static char watched[512]; /* the saved sessions open, escaped, ", " between */
static int nwatched;

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

void didq_sql_watch_saved(const char *path)
{
    didq_buf b = {0};
    didq_text_escape(&b, path, strlen(path));
    pthread_mutex_lock(&watched_mu);
    if (nwatched < WATCHED_MAX) {
        size_t n = strlen(watched);
        snprintf(watched + n, sizeof watched - n, "%s%.*s", nwatched ? " or " : "", (int)b.n,
                 b.p ? b.p : "");
        nwatched++;
    }
    pthread_mutex_unlock(&watched_mu);
    didq_buf_free(&b);
}

/* SQLite's error log: corruption met while a saved session is open. */
static void sql_log(void *arg, int code, const char *msg)
{
    (void)arg;
    int primary = code & 0xff;
    if (primary != SQLITE_CORRUPT && primary != SQLITE_NOTADB) return;
    pthread_mutex_lock(&watched_mu);
    char path[sizeof watched];
    snprintf(path, sizeof path, "%s", watched);
    pthread_mutex_unlock(&watched_mu);
    if (!path[0]) return; /* an in-memory session's: the caller's error, as before */
    didq_die_status(DIDQ_EXIT_NOINPUT,
                    "%s: a damaged saved didq session (SQLite: %s); make a new one from the "
                    "submission with 'didq check --db'",
                    path, msg ? msg : "database disk image is malformed");
}

int didq_sql_memory_init(void)
{
    if (sql_default.xMalloc) return 0;
    (void)sqlite3_config(SQLITE_CONFIG_LOG, sql_log, NULL);
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
