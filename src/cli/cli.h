/* cli.h: the commands of the didq program and their shared helpers. */
#ifndef DIDQ_CLI_H
#define DIDQ_CLI_H

#include <stdint.h>

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage; /* full help text, printed by `didq help NAME` */
} cli_command;

/* The command table (cli_main.c). */
extern const cli_command cli_commands[];

int cmd_check(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_explore(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_open(int argc, char **argv);

/* Opens the explorer on a session (cmd_explore.c); returns an exit status. */
struct didq_session;
int cli_explore_session(struct didq_session *s);

/* Prints "didq: message" and a hint to stderr; returns DIDQ_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses --submitted's CCYY-MM-DD; returns 0 and prints a usage error if bad. */
int cli_parse_date(const char *cmd, const char *opt, const char *s, int32_t *out);

/* Disables core dumps unless allowed (patient data must not reach disk). */
void cli_no_core_dumps(void);

#endif
