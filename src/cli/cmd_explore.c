/* cmd_explore.c: `didq FILE...` and `didq --demo` open the explorer. */
#include "cli.h"
#include "didq/util.h"

#include <stdio.h>
#include <unistd.h>

int cmd_explore(int argc, char **argv)
{
    if (argc < 2)
        return cmd_help(1, argv);
    if (!isatty(STDOUT_FILENO)) {
        fputs("didq: standard output is not a terminal; use 'didq check' for reports\n", stderr);
        return DIDQ_EXIT_USAGE;
    }
    fputs("didq: the explorer is not built yet; use 'didq check'\n", stderr);
    return DIDQ_EXIT_USAGE;
}

int cli_explore_session(struct didq_session *s)
{
    fputs("didq: the explorer is not built yet; use --format text\n", stderr);
    return DIDQ_EXIT_USAGE;
}
