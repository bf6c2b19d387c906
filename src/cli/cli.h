/* cli.h: the commands of the didq program and their shared helpers. */
#ifndef DIDQ_CLI_H
#define DIDQ_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct didq_refdata;

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
/* The explorer on one saved session only (`didq open` on a terminal). */
int cmd_explore_saved(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_open(int argc, char **argv);
int cmd_refdata(int argc, char **argv);

/* Prints "didq: message" and a hint to stderr; returns DIDQ_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "didq: msg" to stderr, control characters escaped (a file name
 * in msg comes from the user or a directory and may hold any byte). */
void cli_error(const char *msg);

/* Parses --submitted's CCYY-MM-DD; returns 0 and prints a usage error if bad. */
int cli_parse_date(const char *cmd, const char *opt, const char *s, int32_t *out);

/* Disables core dumps unless allowed (patient data must not reach disk). */
void cli_no_core_dumps(void);

/* The reference data directory: opt if given, else $DIDQ_REFDATA, else
 * $XDG_DATA_HOME/didq/refdata or ~/.local/share/didq/refdata (buf holds
 * it).  *explicit_dir says whether the user named it.  NULL if none. */
const char *cli_refdata_dir(const char *opt, bool *explicit_dir, char *buf, size_t cap);

/* Loads the reference data directory (see cli_refdata_dir), printing
 * "didq: path:line: problem" lines to msgs.  Returns NULL when there is
 * none (an absent default directory is not an error) or, with *status =
 * DIDQ_EXIT_NOINPUT and a message, when a named directory cannot be read.
 * *dir_out (optional) is the directory used. */
struct didq_refdata *cli_refdata_load(const char *opt, FILE *msgs, const char **dir_out,
                                      int *status);

/* The directory part of path ("." when it has none), malloc'd. */
char *cli_dir_of(const char *path);

#endif
