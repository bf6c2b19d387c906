/* cli_refdata.c: finding and loading the reference data directory for the
 * commands (check, refdata) and the explorer. */
#include "cli.h"
#include "didq/refdata.h"
#include "didq/text.h"
#include "didq/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *cli_refdata_dir(const char *opt, bool *explicit_dir, char *buf, size_t cap)
{
    *explicit_dir = true;
    if (opt && opt[0]) return opt;
    const char *env = getenv("DIDQ_REFDATA");
    if (env && env[0]) return env;
    *explicit_dir = false;
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(buf, cap, "%s/didq/refdata", xdg);
    else if (home && home[0])
        snprintf(buf, cap, "%s/.local/share/didq/refdata", home);
    else
        return NULL;
    return buf;
}

static void print_escaped(FILE *out, const char *s)
{
    didq_buf b = {0};
    didq_text_escape(&b, s, strlen(s));
    fputs(b.p ? b.p : "", out);
    didq_buf_free(&b);
}

static void on_msg(void *ctx, const char *path, uint64_t line, const char *msg)
{
    FILE *out = ctx;
    fputs("didq: ", out);
    print_escaped(out, path);
    if (line) fprintf(out, ":%llu", (unsigned long long)line);
    fputs(": ", out);
    print_escaped(out, msg);
    fputc('\n', out);
}

didq_refdata *cli_refdata_load(const char *opt, FILE *msgs, const char **dir_out, int *status)
{
    char buf[4096], err[1024];
    bool explicit_dir;
    const char *dir = cli_refdata_dir(opt, &explicit_dir, buf, sizeof buf);
    struct stat st;
    *status = 0;
    if (dir_out) *dir_out = NULL;
    if (!dir || (!explicit_dir && stat(dir, &st) != 0))
        return NULL; /* no default directory: no reference data */
    didq_refdata *rd = didq_refdata_new();
    if (didq_refdata_load_dir(rd, dir, on_msg, msgs, err, sizeof err) != 0) {
        fputs("didq: reference data: ", stderr);
        print_escaped(stderr, err);
        fputc('\n', stderr);
        didq_refdata_free(rd);
        *status = DIDQ_EXIT_NOINPUT;
        return NULL;
    }
    if (dir_out) {
        static char keep[4096];
        snprintf(keep, sizeof keep, "%s", dir);
        *dir_out = keep;
    }
    return rd;
}
