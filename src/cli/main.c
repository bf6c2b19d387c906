/* main.c: dispatch to the commands of the didq program. */
#include "cli.h"
#include "didq/session.h"
#include "didq/store.h"
#include "didq/util.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

static const cli_command *find_command(const char *name)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

static int run(int argc, char **argv)
{
    if (argc >= 2) {
        const cli_command *c = find_command(argv[1]);
        if (c) return c->run(argc - 1, argv + 1);
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) return cmd_help(1, argv);
        if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
            printf("didq %s (DIDS v1 rules)\n", DIDQ_VERSION);
            int n = didq_session_default_threads();
            printf("threads: %d by default (the CPUs this process may use, at most %d; "
                   "--threads N overrides)\n",
                   n, DIDQ_DEFAULT_THREADS_MAX);
            return DIDQ_EXIT_OK;
        }
    }
    return cmd_explore(argc, argv);
}

int main(int argc, char **argv)
{
    /* The user's locale for characters (ncursesw, wide text); numbers are
     * always read and written with a decimal point (reports, JSON, CSV and
     * the thresholds files are the same in every locale). */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    didq_memory_init();
    didq_sql_memory_init();
    int st = run(argc, argv);
    /* A report lost to a full disk (> /dev/full) must not exit 0. */
    errno = 0;
    if ((fflush(stdout) != 0 || ferror(stdout)) && st < DIDQ_EXIT_USAGE) {
        fprintf(stderr, "didq: standard output: %s\n", errno ? strerror(errno) : "write error");
        st = DIDQ_EXIT_CANTCREAT;
    }
    return st;
}
