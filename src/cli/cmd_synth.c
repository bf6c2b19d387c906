/* cmd_synth.c: `didq synth`, a deterministic synthetic DIDS v1 month. */
#include "cli.h"
#include "didq/afile.h"
#include "didq/synth.h"
#include "didq/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_ROWS = 256,
    OPT_SEED,
    OPT_MONTH,
    OPT_DEFECT,
    OPT_FORCE,
    OPT_INJECT,
    OPT_FORMAT,
    OPT_DUPS,
    OPT_COLS
};

static const struct option long_opts[] = {
    {"rows", required_argument, NULL, OPT_ROWS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"month", required_argument, NULL, OPT_MONTH},
    {"defect-rate", required_argument, NULL, OPT_DEFECT},
    {"output", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, OPT_FORCE},
    {"inject", required_argument, NULL, OPT_INJECT},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"defect-duplicates", no_argument, NULL, OPT_DUPS},
    {"defect-columns", no_argument, NULL, OPT_COLS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

typedef struct synth_args {
    didq_synth_opts o;
    const char *out;
    int force;
} synth_args;

/* A whole unsigned decimal number, no sign, no trailing text. */
static int parse_u64(const char *s, unsigned long long *v)
{
    if (!*s || *s < '0' || *s > '9') return 0;
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return errno == 0 && *end == '\0';
}

static int parse_month(const char *s, didq_synth_opts *o)
{
    int y, m;
    char tail;
    if (strlen(s) != 7 || sscanf(s, "%4d-%2d%c", &y, &m, &tail) != 2 || s[4] != '-') return 0;
    o->year = y;
    o->month = m;
    return y >= 1971 && m >= 1 && m <= 12;
}

static int parse_rate(const char *s, double *r)
{
    char *end;
    errno = 0;
    *r = strtod(s, &end);
    return *s && errno == 0 && *end == '\0' && *r >= 0 && *r <= 1;
}

/* Applies one option; returns 0, or the exit status of a usage error. */
static int apply(synth_args *a, int c, const char *arg)
{
    unsigned long long v;
    switch (c) {
    case OPT_ROWS:
        if (!parse_u64(arg, &v) || v < 1 || v > 100000000ULL)
            return cli_usage_error("synth", "--rows wants a number from 1 to 100000000, not '%s'",
                                   arg);
        a->o.rows = v;
        return 0;
    case OPT_SEED:
        if (!parse_u64(arg, &v))
            return cli_usage_error("synth", "--seed wants a whole number, not '%s'", arg);
        a->o.seed = v;
        return 0;
    case OPT_MONTH:
        if (!parse_month(arg, &a->o))
            return cli_usage_error("synth", "--month wants CCYY-MM, not '%s'", arg);
        return 0;
    case OPT_DEFECT:
        if (!parse_rate(arg, &a->o.defect_rate))
            return cli_usage_error("synth", "--defect-rate wants a number from 0 to 1, not '%s'",
                                   arg);
        return 0;
    case OPT_FORMAT:
        if (strcmp(arg, "csv") != 0 && strcmp(arg, "xml") != 0)
            return cli_usage_error("synth", "--format is csv or xml, not '%s'", arg);
        a->o.xml = strcmp(arg, "xml") == 0;
        return 0;
    case 'o':
        a->out = arg;
        return 0;
    case OPT_FORCE:
        a->force = 1;
        return 0;
    case OPT_INJECT:
        a->o.inject = arg;
        return 0;
    case OPT_DUPS:
        a->o.defect_dups = 1;
        return 0;
    case OPT_COLS:
        a->o.defect_columns = 1;
        return 0;
    default:
        return cli_usage_error("synth", "unknown option");
    }
}

/* Returns 0 when parsed, -1 after --help, or an exit status. */
static int parse(int argc, char **argv, synth_args *a)
{
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":ho:", long_opts, NULL)) != -1) {
        if (c == 'h') {
            cmd_help(2, (char *[]){"help", "synth", NULL});
            return -1;
        }
        if (c == ':') return cli_usage_error("synth", "%s needs a value", argv[optind - 1]);
        if (c == '?') return cli_usage_error("synth", "unknown option '%s'", argv[optind - 1]);
        int st = apply(a, c, optarg);
        if (st) return st;
    }
    if (optind < argc) return cli_usage_error("synth", "unexpected argument '%s'", argv[optind]);
    if (a->o.defect_columns && a->o.xml)
        return cli_usage_error("synth", "--defect-columns applies to CSV, not --format xml");
    char err[256];
    if (didq_synth_validate(&a->o, err, sizeof err) != 0)
        return cli_usage_error("synth", "%s", err);
    return 0;
}

int cmd_synth(int argc, char **argv)
{
    synth_args a = {.o = didq_synth_defaults(), .out = "-"};
    int st = parse(argc, argv, &a);
    if (st) return st < 0 ? DIDQ_EXIT_OK : st;
    didq_temp_cleanup_on_signals();
    char err[512];
    didq_afile *af = didq_afile_open(a.out, a.force ? DIDQ_AFILE_OVERWRITE : 0, err, sizeof err);
    if (!af) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    if (didq_synth_write(didq_afile_fp(af), &a.o) != 0) {
        didq_afile_abort(af);
        fprintf(stderr, "didq: %s: write error\n", a.out);
        return DIDQ_EXIT_CANTCREAT;
    }
    if (didq_afile_commit(af, err, sizeof err) != 0) {
        cli_error(err);
        return DIDQ_EXIT_CANTCREAT;
    }
    return DIDQ_EXIT_OK;
}
