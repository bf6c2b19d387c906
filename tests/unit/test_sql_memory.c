/* test_sql_memory.c: an allocation that fails inside SQLite ends the
 * program as every other one does (didq_sql_memory_init): exit 70 and
 * "didq: out of memory (an allocation of N bytes failed)", not an "SQL
 * failed" internal error.  SQLite's allocator is replaced by one that
 * fails on demand, below didq's wrapper; the failing statement runs in a
 * child process. */
#include "didq/store.h"
#include "didq/util.h"
#include "testlib.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static sqlite3_mem_methods real;
static volatile int failing;

static void *flaky_malloc(int n)
{
    return failing ? NULL : real.xMalloc(n);
}
static void *flaky_realloc(void *p, int n)
{
    return failing ? NULL : real.xRealloc(p, n);
}

static void install_flaky(void)
{
    sqlite3_mem_methods m;
    CHECK(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real) == SQLITE_OK, "GETMALLOC");
    m = real;
    m.xMalloc = flaky_malloc;
    m.xRealloc = flaky_realloc;
    CHECK(sqlite3_config(SQLITE_CONFIG_MALLOC, &m) == SQLITE_OK, "CONFIG_MALLOC");
}

/* Runs SQL that must allocate with allocation failing, in a child whose
 * stderr goes to err; returns its exit status (-1 if it did not exit). */
static int run_failing(sqlite3 *db, char *err, size_t errlen)
{
    int fd[2];
    if (pipe(fd) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 2);
        failing = 1;
        didq_exec(db,
                  "CREATE TABLE t(a TEXT); INSERT INTO t VALUES (printf('%.*c', 100000, 'x'));");
        _exit(0);
    }
    close(fd[1]);
    ssize_t n = read(fd[0], err, errlen - 1);
    err[n > 0 ? n : 0] = 0;
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
    install_flaky();
    CHECK(didq_sql_memory_init() == 0, "the wrapper is installed");
    CHECK(didq_sql_memory_init() == 0, "a second call changes nothing");
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK, "open");
    char err[1024];
    int st = run_failing(db, err, sizeof err);
    CHECK(st == DIDQ_EXIT_SOFTWARE, "exit %d, want 70 (%s)", st, err);
    CHECK(strncmp(err, "didq: out of memory (an allocation of ", 38) == 0, "message: %s", err);
    /* with memory, the same SQL runs */
    didq_exec(db, "CREATE TABLE t(a TEXT); INSERT INTO t VALUES ('x');");
    sqlite3_close(db);
    return test_done();
}
