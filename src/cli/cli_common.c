/* cli_common.c: helpers shared by the commands, and the command table. */
#include "cli.h"
#include "didq/date.h"
#include "didq/synth.h"
#include "didq/text.h"
#include "didq/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* In a usage text, the kinds `didq synth --inject` plants (didq_synth_kind),
 * written as a list wrapped like the text around it. */
#define KINDS_MARK "{kinds}"
enum { HELP_WIDTH = 80, HELP_INDENT = 22 };

const cli_command cli_commands[] = {
    {"check", cmd_check, "validate files and report (headless, for scripts and CI)",
     "usage: didq check [OPTIONS] FILE...\n"
     "\n"
     "Loads DIDS v1 submission files (CSV or XML; - for standard input), runs every rule\n"
     "and reports.  Exit status: 0 accepted (warnings allowed), 1 rejected because of\n"
     "record errors, 2 rejected at file level (DIDS075/076, a header row), 64 usage\n"
     "error (or a --site code that no file holds), 66 an input cannot be read, 73 an\n"
     "output cannot be created, 70 internal error.  With --site the status is that\n"
     "of the sites' records and of the files holding them.  With --baseline: 0 no\n"
     "finding is new, 1 at least one is new (the verdict is still in the report), and\n"
     "64, 66, 73, 70 as above.\n"
     "\n" CLI_ANALYSIS_HELP "  --format FMT        text (default) or json\n"
     "  --findings FILE     write one CSV row per finding to FILE (- for stdout, which\n"
     "                      then carries the CSV alone: the report goes to stderr)\n"
     "  --force             overwrite FILE if it exists\n"
     "  --mask              mask NHS numbers, birth dates and postcodes in --findings\n"
     "  --db FILE           also save the session to FILE (an SQLite database, 0600)\n"
     "                      for 'didq open FILE' later; while loading, the records\n"
     "                      wait in unlinked files beside FILE instead of memory\n"
     "  --allow-core        allow core dumps (they may hold patient data)\n"
     "  --notes FILE        notes on findings (site,accession,code,status,note): each\n"
     "                      rule and anomaly says how many records are explained; the\n"
     "                      verdict is the same\n"
     "  --baseline FILE     a findings CSV of an earlier --findings: the new findings\n"
     "                      listed first, the fixed ones counted; exit 1 if any is new\n"
     "  --site CODE[,CODE]  the report of these sites only (text, JSON, --findings): only\n"
     "                      their records are kept, and only the files holding one; a\n"
     "                      code without a record exits 64 (repeatable)\n"},
    {"diff", cmd_diff, "compare a resubmitted file with the one before it, record by record",
     "usage: didq diff [OPTIONS] OLD NEW\n"
     "\n"
     "Loads OLD and NEW (CSV or XML submission files, as check takes them, or sessions\n"
     "saved with --db) each on its own and compares them record by record.  Records\n"
     "are matched by site code and accession number, trimmed of spaces as DIDS071\n"
     "compares them; records sharing a key are paired in file order.  A record is\n"
     "added (only in NEW), removed (only in OLD), changed (a raw value differs) or\n"
     "unchanged.  A finding is a rule a record breaks; for records in both files it\n"
     "is fixed, new or remaining.  Exit status:\n"
     "0 the files hold the same records, 1 they differ, 2 the reading of one stopped\n"
     "part-way (not compared), 64 usage error, 66 an input cannot be read, 73 an\n"
     "output cannot be created, 70 internal error.\n"
     "\n"
     "On a terminal (standard input and output), without --format or --changes, it\n"
     "opens the explorer on NEW instead, with one more pane, C Changes: the counts,\n"
     "Enter listing the records behind each (removed records are OLD's), and in a\n"
     "changed record's detail each changed item's OLD value; it exits as the\n"
     "explorer does.\n"
     "\n"
     "  --submitted DATE    submission date CCYY-MM-DD (default: today); used by\n"
     "                      DIDS049, DIDS051, DIDS055 and DIDS066\n"
     "  --refdata DIR       national reference data, as for check\n"
     "  --format FMT        text (default) or json\n"
     "  --changes FILE      write one CSV row per added, removed or changed record to\n"
     "                      FILE (- for stdout; the report then goes to stderr)\n"
     "  --force             overwrite FILE if it exists\n"
     "  --mask              mask NHS numbers, birth dates and postcodes in --changes\n"
     "                      (its columns hold none today: site and accession are kept)\n"
     "                      and in the explorer, OLD's values too\n"
     "  --script FILE       the explorer without a terminal: keys from FILE, as for\n"
     "                      'didq --script' (tests and pictures)\n"
     "  --size COLSxROWS    screen size for --script (default 80x24)\n"
     "  --no-mouse          the explorer does not use the mouse\n"
     "  --allow-core        allow core dumps (they may hold patient data)\n"
     "  --threads N         threads reading each CSV file, as for check\n"},
    {"fix", cmd_fix, "write a corrected copy of a CSV file: only values with one safe fix",
     "usage: didq fix [OPTIONS] -o OUT IN\n"
     "\n"
     "Writes a copy of IN (a CSV submission file) in which each value that breaks a\n"
     "rule and has exactly one safe fix is corrected (the table of fixes,\n"
     "refdata/v1/fixes.csv, is in docs/rules.md); every other byte is as in IN: other\n"
     "lines, line ends, quoting, a header row, the order of records.  Nothing is\n"
     "invented: a value with no safe fix stays as it is.  The report gives the values\n"
     "fixed per rule, repair hints for rows of 17 or 19 fields (never applied) and the\n"
     "findings left in OUT, from a check of it.  Exit status: 0 OUT written, 64 usage\n"
     "error (also IN standard input or XML: fix rewrites CSV files only), 66 IN\n"
     "cannot be read or changed while fix ran, 73 an output cannot be created, 70\n"
     "internal error.\n"
     "\n"
     "  -o OUT              the corrected copy (0600, written atomically; never IN)\n"
     "  --submitted DATE    submission date CCYY-MM-DD (default: today), as for check\n"
     "  --refdata DIR       national reference data, as for check\n"
     "  --log FILE          one CSV row per changed value, header\n"
     "                      line,record,field,old,new,rule (it holds values of the\n"
     "                      file: keep it as you keep IN)\n"
     "  --only CODES        use only these rules' fixes (comma-separated rule codes,\n"
     "                      e.g. DIDS017,DIDS014)\n"
     "  --force             overwrite OUT and FILE if they exist\n"
     "  --allow-core        allow core dumps (they may hold patient data)\n"},
    {"synth", cmd_synth, "write a synthetic month of DIDS records (no real patients)",
     "usage: didq synth [OPTIONS]\n"
     "\n"
     "Writes a deterministic, realistic synthetic DIDS v1 month (no real patients).\n"
     "Same seed and options give the same bytes.  See docs/synth.md.\n"
     "\n"
     "  --rows N            records (default 1000; injections may add or drop some)\n"
     "  --seed S            random seed (default 1)\n"
     "  --month CCYY-MM     month of the test dates (default: last month); the file is\n"
     "                      clean when checked with --submitted the 1st of the next month\n"
     "  --defect-rate R     share of records given one rule defect, 0 to 1 (default 0)\n"
     "  --defect-duplicates defects may also be DIDS071 duplicate accession numbers\n"
     "  --defect-columns    defects may also be DIDS075 short rows (CSV only)\n"
     "  --inject KIND@SITE[,KIND@SITE...]\n"
     "                      plant an anomaly at a site: " KINDS_MARK "\n"
     "                      sites: RR801 RR813 RR807 RR864 RAE01 RAE05 RWY01 RWY02\n"
     "  --format FMT        csv (default) or xml (DIDS v1 XML, same records)\n"
     "  -o FILE             output file (default: standard output); written atomically\n"
     "  --force             overwrite FILE if it exists\n"},
    {"open", cmd_open, "reopen a session saved with --db",
     "usage: didq open [--format text|json [--thresholds FILE] [--notes FILE]\n"
     "                 [--baseline FILE] | EXPLORER OPTIONS] FILE.db\n"
     "\n"
     "Reopens a session saved by 'didq check --db FILE.db' without reading the\n"
     "submission files again.  On a terminal it opens the explorer (which takes its\n"
     "usual options; 'didq FILE.db' does the same); otherwise, or with --format, it\n"
     "prints the report of 'didq check'.  Exit status as check.  The anomalies are\n"
     "those of the thresholds the session was checked with; --thresholds FILE (in\n"
     "the explorer or with --format) replaces them.  With --format, --notes FILE and\n"
     "--baseline FILE are taken as check takes them: the same report and exit status.\n"},
    {"rules", cmd_rules, "list the rule catalogue",
     "usage: didq rules [--markdown]\n"
     "       didq rules CODE...\n"
     "\n"
     "Lists every rule of the DIDS v1 catalogue: code, severity and message.  With\n"
     "--markdown, prints the table that docs/rules.md embeds (fields, check, decisions).\n"
     "With CODEs (DIDS012, case ignored), explains each rule: its condition, check,\n"
     "fields, an example of a failing and of a passing value, and the decision notes.\n"
     "Exit status: 0, or 64 if a CODE names no rule (nothing is printed then).\n"},
    {"refdata", cmd_refdata, "show the national reference data found and the rules it enables",
     "usage: didq refdata [--refdata DIR]\n"
     "\n"
     "Lists each file of the reference data directory: its kind (ods, postcode, nicip,\n"
     "snomed), rows, newest date, layout and the rules it enables; files didq does not\n"
     "recognise are listed as ignored, malformed rows as FILE:LINE messages on stderr.\n"
     "Then the rules checked with these files and those not checked, with the files\n"
     "missing, as didq check reports them: a rule is checked only when every file it\n"
     "needs is there (docs/refdata.md, What each rule needs).\n"
     "The directory is --refdata DIR, else $DIDQ_REFDATA, else\n"
     "$XDG_DATA_HOME/didq/refdata (~/.local/share/didq/refdata).  See docs/refdata.md.\n"
     "Exit status: 0, or 66 if the named directory cannot be read.\n"},
    {"report", cmd_report, "write a self-contained HTML or Markdown data quality report",
     "usage: didq report [OPTIONS] -o FILE FILE...\n"
     "       didq report [OPTIONS] -o FILE --db SESSION.db\n"
     "\n"
     "Loads DIDS v1 submission files as check does (or a session saved with check\n"
     "--db) and writes one self-contained page: HTML with inline CSS and SVG charts,\n"
     "no script and no external reference (prints on A4, reads on a phone), or\n"
     "Markdown with the same content as tables.  It shows the reporting months, the\n"
     "files with their verdicts and reject reasons, records with errors and\n"
     "warnings, the rules that fail most, completeness per item against the national\n"
     "2024/25 figure, the source-setting mix per site, turnaround per site and\n"
     "modality, a coverage calendar per site with gaps marked, month-on-month\n"
     "volumes, the anomalies and a few example records with errors.  Identifiers are\n"
     "masked unless --unmasked.  Exit status: 0 written, 64 usage error, 66 an input\n"
     "cannot be read, 73 the output cannot be created, 70 internal error.\n"
     "\n" CLI_ANALYSIS_HELP "  --format FMT        html (default; md when FILE ends in .md) or md\n"
     "  -o, --output FILE   the page to write (atomic, 0600; never an input)\n"
     "  --force             overwrite FILE if it exists\n"
     "  --mask              mask NHS numbers, birth dates and postcodes (the default)\n"
     "  --unmasked          show them in the example rows, with a warning in the page\n"
     "  --db SESSION        read a session saved with check --db instead of files\n"
     "                      (it keeps its --submitted, --refdata and --month)\n"
     "  --notes FILE        notes on findings (as check --notes): a section on the\n"
     "                      explained findings (bad content exits 64, unreadable 66)\n"
     "  --site CODE[,CODE]  the page of these sites only, as check --site (input files\n"
     "                      only; a code without a record exits 64)\n"
     "  --allow-core        allow core dumps (they may hold patient data)\n"},
    {"help", cmd_help, "show help for a command", "usage: didq help [COMMAND]\n"},
    {NULL, NULL, NULL, NULL},
};

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fputs("didq: ", stderr);
    didq_text_fputs(stderr, msg); /* the values come from the command line */
    fprintf(stderr, " (see 'didq help%s%s')\n", cmd ? " " : "", cmd ? cmd : "");
    return DIDQ_EXIT_USAGE;
}

void cli_error(const char *msg)
{
    fputs("didq: ", stderr);
    didq_text_fputs(stderr, msg);
    fputc('\n', stderr);
}

int cli_inputs_unchanged(const didq_session *s)
{
    char err[600];
    if (!s || !didq_session_inputs_changed(s, err, sizeof err)) return 0;
    cli_error(err);
    return DIDQ_EXIT_NOINPUT;
}

FILE *cli_hold(cli_held *h)
{
    *h = (cli_held){0};
    h->f = open_memstream(&h->p, &h->n);
    if (!h->f) didq_out_of_memory(0);
    return h->f;
}

int cli_release(cli_held *h, FILE *to, int st)
{
    if (fclose(h->f) != 0) didq_out_of_memory(h->n);
    if (st == 0) fwrite(h->p, 1, h->n, to); /* an error shows at exit (main.c) */
    free(h->p);
    *h = (cli_held){0};
    return st;
}

int cli_parse_date(const char *cmd, const char *opt, const char *s, int32_t *out)
{
    if (didq_date_parse(s, strlen(s), out)) return 1;
    cli_usage_error(cmd, "%s wants a date CCYY-MM-DD, not '%s'", opt, s);
    return 0;
}

void cli_no_core_dumps(void)
{
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
}

/* The kinds, comma-separated, from column col on. */
static void put_kinds(FILE *f, size_t col)
{
    for (int k = 0; didq_synth_kind(k); k++) {
        const char *sep = didq_synth_kind(k + 1) ? "," : "";
        size_t len = strlen(didq_synth_kind(k)) + strlen(sep);
        if (k > 0 && col + 1 + len > HELP_WIDTH) {
            fprintf(f, "\n%*s", HELP_INDENT, "");
            col = HELP_INDENT;
        } else if (k > 0) {
            fputc(' ', f);
            col++;
        }
        fprintf(f, "%s%s", didq_synth_kind(k), sep);
        col += len;
    }
}

static void put_usage(FILE *f, const char *usage)
{
    const char *m = strstr(usage, KINDS_MARK), *line = m;
    if (!m) {
        fputs(usage, f);
        return;
    }
    while (line > usage && line[-1] != '\n')
        line--;
    fwrite(usage, 1, (size_t)(m - usage), f);
    put_kinds(f, (size_t)(m - line));
    fputs(m + strlen(KINDS_MARK), f);
}

int cmd_help(int argc, char **argv)
{
    if (argc >= 2) {
        for (const cli_command *c = cli_commands; c->name; c++)
            if (strcmp(c->name, argv[1]) == 0) {
                put_usage(stdout, c->usage);
                return DIDQ_EXIT_OK;
            }
        return cli_usage_error(NULL, "no command '%s'", argv[1]);
    }
    printf("didq %s: data-quality explorer for the Diagnostic Imaging Data Set (DIDS v1)\n\n"
           "usage: didq [OPTIONS] FILE...    open the explorer on submission files\n"
           "       didq --demo               open the explorer on a synthetic month\n"
           "       didq COMMAND [OPTIONS]\n\ncommands:\n",
           DIDQ_VERSION);
    for (const cli_command *c = cli_commands; c->name; c++)
        printf("  %-8s %s\n", c->name, c->summary);
    fputs("\nanalysis options, the same in the explorer and check:\n" CLI_ANALYSIS_HELP, stdout);
    puts("\n'didq help COMMAND' for a command's options; the explorer's own (--mask, --notes,\n"
         "--color, --no-mouse, --script, ...) in 'man didq'; 'didq --version'.");
    return DIDQ_EXIT_OK;
}
