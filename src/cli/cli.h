/* cli.h: the commands of the didq program and their shared helpers. */
#ifndef DIDQ_CLI_H
#define DIDQ_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "didq/session.h"

struct didq_refdata;
struct didq_thresholds;

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage; /* full help text, printed by `didq help NAME` */
} cli_command;

/* The command table (cli_common.c). */
extern const cli_command cli_commands[];

int cmd_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_explore(int argc, char **argv);
/* The explorer on one saved session only (`didq open` on a terminal). */
int cmd_explore_saved(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_open(int argc, char **argv);
int cmd_refdata(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* Prints "didq: message" and a hint to stderr; returns DIDQ_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "didq: msg" to stderr, control characters escaped (a file name
 * in msg comes from the user or a directory and may hold any byte). */
void cli_error(const char *msg);

/* A session whose values are read back from its files (session.h,
 * values_in_file): 0, or DIDQ_EXIT_NOINPUT with the message when one of
 * them was changed by another program meanwhile (then no result is given
 * as if checked).  Such a command installs didq_mapped_guard first. */
int cli_inputs_unchanged(const didq_session *s);

/* A report made in memory (cli_hold) and written out whole by
 * cli_release when st is 0 (the inputs found unchanged once it is made):
 * a file cut short or rewritten meanwhile leaves no part of the report on
 * the terminal or in a pipe.  cli_release frees it and returns st (a
 * write error on standard output is told at exit: main.c). */
typedef struct cli_held {
    char *p;
    size_t n;
    FILE *f;
} cli_held;
FILE *cli_hold(cli_held *h);
int cli_release(cli_held *h, FILE *to, int st);

/* The analysis options, shared by check and the explorer (cli_analysis.c):
 * CLI_ANALYSIS_OPTIONS goes into a command's struct option table,
 * CLI_ANALYSIS_HELP into its help. */
enum { CLI_MAX_MONTHS = 64 };
typedef struct cli_analysis {
    int32_t submitted;                          /* --submitted (default today) */
    const char *refdata;                        /* --refdata DIR, or NULL */
    const char *thresholds;                     /* --thresholds FILE, or NULL */
    didq_month_override months[CLI_MAX_MONTHS]; /* --month CCYY-MM[:FILE], in order */
    size_t n_months;
    const char *dqmi; /* --dqmi FILE, or NULL */
    int threads;      /* --threads N, or 0 (didq_session_default_threads) */
} cli_analysis;

enum {
    CLI_OPT_SUBMITTED = 200,
    CLI_OPT_REFDATA,
    CLI_OPT_THRESHOLDS,
    CLI_OPT_MONTH,
    CLI_OPT_DQMI,
    CLI_OPT_THREADS
};
#define CLI_ANALYSIS_OPTIONS                                                                       \
    {"submitted", required_argument, NULL, CLI_OPT_SUBMITTED},                                     \
        {"refdata", required_argument, NULL, CLI_OPT_REFDATA},                                     \
        {"thresholds", required_argument, NULL, CLI_OPT_THRESHOLDS},                               \
        {"month", required_argument, NULL, CLI_OPT_MONTH},                                         \
        {"threads", required_argument, NULL, CLI_OPT_THREADS},                                     \
    {                                                                                              \
        "dqmi", required_argument, NULL, CLI_OPT_DQMI                                              \
    }
#define CLI_ANALYSIS_HELP                                                                          \
    "  --submitted DATE    submission date CCYY-MM-DD (default: today); used by\n"                 \
    "                      DIDS049, DIDS051, DIDS055 and DIDS066\n"                                \
    "  --refdata DIR       national reference data (ODS, ONSPD, NICIP, SNOMED files;\n"            \
    "                      default $DIDQ_REFDATA, else $XDG_DATA_HOME/didq/refdata);\n"            \
    "                      a rule without every file it needs is not checked (the\n"               \
    "                      report names the missing file; didq refdata lists them)\n"              \
    "  --thresholds FILE   anomaly thresholds overriding refdata/anomalies.csv (CSV with\n"        \
    "                      columns kind,threshold[,limit,min_records,severity]; see\n"             \
    "                      docs/anomalies.md; bad content exits 64, unreadable 66)\n"              \
    "  --month CCYY-MM[:FILE]  the reporting month of FILE (as named here, or its last\n"          \
    "                      part), or without :FILE of every file; each month's files\n"            \
    "                      are analysed apart (docs/usage.md, Reporting months)\n"                 \
    "  --dqmi FILE         items, defaults and thresholds of the DQMI-style (local)\n"             \
    "                      score, overriding refdata/dqmi.csv (CSV with columns\n"                 \
    "                      item,defaults,threshold; see docs/refdata.md; bad content\n"            \
    "                      exits 64, unreadable 66)\n"                                             \
    "  --threads N         threads reading a CSV file (1 to 64; default: the CPUs this\n"          \
    "                      process may use, at most 16); every output is the same at\n"            \
    "                      any N\n"

void cli_analysis_init(cli_analysis *a);
/* Applies option c (getopt_long's value) if it is an analysis option:
 * returns 0, or DIDQ_EXIT_USAGE with a message; -1 if c is not one. */
int cli_analysis_opt(const char *cmd, int c, const char *arg, cli_analysis *a);
/* Every --month ...:FILE names one of the n files (exact or last path
 * part); 0, or DIDQ_EXIT_USAGE with a message. */
int cli_analysis_months_check(const char *cmd, const cli_analysis *a, int n, char *const *files);
/* The anomaly thresholds: the defaults, overridden by --thresholds FILE.
 * Returns 0, or an exit status (64 bad content, 66 unreadable) with a
 * message. */
int cli_analysis_thresholds(const cli_analysis *a, struct didq_thresholds *out);
struct didq_dqmi_spec;
/* The DQMI-style spec: --dqmi FILE read into *out, *use pointed at it; or
 * *use NULL (the built-in one).  Returns 0, or an exit status (64 bad
 * content, 66 unreadable) with a message. */
int cli_analysis_dqmi(const cli_analysis *a, struct didq_dqmi_spec *out,
                      const struct didq_dqmi_spec **use);

/* --notes and --baseline of a report (cli_extra.c), check's and `didq
 * open --format`'s alike.  cli_extra_load reads them (either path may be
 * NULL): 0, or an exit status (64 bad content, 66 unreadable) with a
 * message.  cli_extra_report compares the baseline with the finished
 * session and writes the report (text or JSON) with them;
 * cli_extra_status is the exit status: with a baseline 1 when a finding is
 * new, else 0; without one the verdict's. */
struct didq_notes;
struct didq_baseline;
int cli_extra_load(const char *notes_path, const char *base_path, struct didq_notes **notes,
                   struct didq_baseline **base);
void cli_extra_report(didq_session *s, FILE *out, bool json, const struct didq_notes *notes,
                      struct didq_baseline *base, const struct didq_dqmi_spec *dq);
int cli_extra_status(didq_session *s, const struct didq_baseline *base);

/* Parses --submitted's CCYY-MM-DD; returns 0 and prints a usage error if bad. */
int cli_parse_date(const char *cmd, const char *opt, const char *s, int32_t *out);

/* --size COLSxROWS of the explorer's script mode (cmd_explore.c); returns
 * 0, or DIDQ_EXIT_USAGE with a message naming cmd (NULL: the explorer). */
int cli_parse_size(const char *cmd, const char *s, int *cols, int *rows);

/* `didq diff OLD NEW` on a terminal (cmd_diff_explore.c): the explorer on
 * NEW (new_path) with the Changes pane against OLD's finished session;
 * returns the explorer's exit status. */
struct tui_opts;
struct didq_session;
int cli_diff_explore(struct tui_opts *t, struct didq_session *old, const char *new_path);

/* --site CODE[,CODE...] of check and report (cli_sites.c): the codes,
 * trimmed of spaces, each once. */
typedef struct cli_sites {
    char **v;
    size_t n;
} cli_sites;
/* Adds the codes of one --site value: 0, or DIDQ_EXIT_USAGE with a message
 * (an empty code: '', ',', 'A,,B'). */
int cli_sites_opt(const char *cmd, const char *arg, cli_sites *s);
/* After the load: 0 when every code has a record in the session (made
 * with the codes as didq_session_opts.sites), else a message per code
 * without one and DIDQ_EXIT_USAGE. */
int cli_sites_check(const char *cmd, const cli_sites *sites, const didq_session *s);
void cli_sites_free(cli_sites *s);

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

#endif
