/* Conformance with NHS England's own DIDS v1 pipeline fixtures (BSD-3, see
 * tests/data/nhs-rcl/LICENSE.md), all at submission date 2018-08-01. */
#include "didq/date.h"
#include "didq/report.h"
#include "didq/session.h"
#include "didq/store.h"
#include "testlib.h"

#include <stdbool.h>
#include <stdlib.h>

#define FIX DIDQ_TESTS_DIR "/data/nhs-rcl/csv/"

/* Codes that need NHS England's reference data: not checked without it. */
static const char refcodes[] = " DIDS016 DIDS018 DIDS024 DIDS057 DIDS059 DIDS068 DIDS077 DIDS078 "
                               "DIDS079 DIDS080 DIDS081 DIDS082 ";

/* Deliberate deviations from dq.xml: "row:code:reason", a code that dq.xml
 * gives that row of 00004 and didq does not, or the reverse.  None today. */
static const char *const deviations[] = {NULL};

static didq_session *load(const char *path)
{
    char err[256];
    didq_session_opts o = {0};
    didq_date_parse("2018-08-01", 10, &o.submitted);
    didq_session *s = didq_session_new(&o, err, sizeof err);
    int st = didq_session_load(s, path, NULL, NULL, err, sizeof err);
    CHECK(st >= -3 && st != -1, "%s: %s", path, err);
    didq_session_finish(s);
    return s;
}

/* Space-separated sorted NHS codes of one record (recno 1-based); didq's
 * own record checks (DIDQ0xx) are not NHS England's and are left out. */
static void record_codes(didq_session *s, int recno, char *out, size_t cap)
{
    sqlite3_stmt *q = didq_prepare(didq_session_db(s),
                                   "SELECT group_concat(code, ' ') FROM (SELECT ru.code FROM"
                                   " findings f JOIN records r ON r.id = f.rec JOIN rules ru ON"
                                   " ru.id = f.rule WHERE r.recno = ? AND ru.code NOT LIKE 'DIDQ0%'"
                                   " ORDER BY ru.code)");
    sqlite3_bind_int(q, 1, recno);
    out[0] = 0;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* Expected codes of a row from dq.xml, without the reference-data ones. */
static void expected_codes(const char *xml, int row, char *out, size_t cap)
{
    char codes[64][8];
    int n = 0;
    char tag[64];
    snprintf(tag, sizeof tag, "<ROW_INDEX>%d</ROW_INDEX>", row);
    for (const char *p = strstr(xml, tag); p; p = strstr(p + 1, tag)) {
        const char *c = strstr(p, "<CODE>");
        char code[8] = {0}, spaced[12];
        memcpy(code, c + 6, 7);
        snprintf(spaced, sizeof spaced, " %s ", code);
        if (!strstr(refcodes, spaced) && n < 64) memcpy(codes[n++], code, 8);
    }
    qsort(codes, (size_t)n, 8, (int (*)(const void *, const void *))strcmp);
    out[0] = 0;
    for (int i = 0; i < n; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? " " : "", codes[i]);
}

/* Whether the space-separated list holds code; drop_code removes it. */
static bool has_code(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = strstr(list, code); p; p = strstr(p + 1, code))
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n])) return true;
    return false;
}

static void drop_code(char *list, const char *code)
{
    char out[512] = "";
    for (char *tok = strtok(list, " "); tok; tok = strtok(NULL, " "))
        if (strcmp(tok, code) != 0)
            snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", *out ? " " : "", tok);
    strcpy(list, out); /* out is never longer than list */
}

/* A deviation's row and code (false unless it reads row:code:reason, the
 * reason not empty). */
static bool deviation(const char *d, int *row, char code[8])
{
    int end = 0;
    return sscanf(d, "%d:%7[A-Z0-9]:%n", row, code, &end) == 2 && end > 0 && d[end] != 0;
}

/* Each deviation is well formed and real: dq.xml and didq differ on it. */
static void check_deviations(didq_session *s, const char *xml)
{
    for (const char *const *d = deviations; *d; d++) {
        int row;
        char code[8], want[512], got[512];
        CHECK(deviation(*d, &row, code), "deviation '%s' is row:code:reason", *d);
        if (!deviation(*d, &row, code)) continue;
        expected_codes(xml, row, want, sizeof want);
        record_codes(s, row + 1, got, sizeof got);
        CHECK(has_code(want, code) != has_code(got, code),
              "deviation '%s': dq.xml and didq agree on it (want [%s] got [%s])", *d, want, got);
    }
}

/* The row's codes from dq.xml and from didq, less the row's deviations. */
static void row_codes(didq_session *s, const char *xml, int row, char *want, char *got, size_t cap)
{
    expected_codes(xml, row, want, cap);
    record_codes(s, row + 1, got, cap);
    for (const char *const *d = deviations; *d; d++) {
        int drow;
        char code[8];
        if (!deviation(*d, &drow, code) || drow != row) continue;
        drop_code(want, code);
        drop_code(got, code);
    }
}

static void dq_errors_fixture(void)
{
    didq_session *s = load(FIX "00004_dq_errors/input.csv");
    const char *xml = slurp(FIX "00004_dq_errors/dq.xml");
    CHECK(xml != NULL, "dq.xml is readable");
    if (xml) check_deviations(s, xml);
    for (int row = 0; xml && row < 12; row++) {
        char want[512], got[512];
        row_codes(s, xml, row, want, got, sizeof want);
        CHECK(strcmp(want, got) == 0, "row %d: want [%s] got [%s]", row, want, got);
    }
    CHECK(didq_report_exit_status(s) == 1, "00004 is rejected for record errors");
    didq_session_free(s);
}

static long scalar(didq_session *s, const char *sql)
{
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql);
    long v = sqlite3_step(q) == SQLITE_ROW ? (long)sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    return v;
}

static void other_fixtures(void)
{
    didq_session *s = load(FIX "00003_simple/input.csv");
    char got[256];
    CHECK(didq_report_exit_status(s) == 0, "00003 is accepted");
    record_codes(s, 3, got, sizeof got);
    CHECK(strcmp(got, "DIDS023") == 0, "00003 record 3 has only DIDS023, got [%s]", got);
    CHECK(scalar(s, "SELECT count(*) FROM findings") == 1, "00003 has exactly one finding");
    didq_session_free(s);

    const char *passes[] = {FIX "00014_various_dq_passes/valid_scenarios_with_warnings.csv",
                            FIX "00014_various_dq_passes/whitespace_in_input_fields.csv"};
    for (int i = 0; i < 2; i++) {
        s = load(passes[i]);
        CHECK(scalar(s, "SELECT sum(err_records) FROM files") == 0, "%s has no errors", passes[i]);
        didq_session_free(s);
    }

    s = load(FIX "00007_uniqueness_and_dq_failure/input.csv");
    record_codes(s, 1, got, sizeof got);
    CHECK(strcmp(got, "DIDS003 DIDS071") == 0, "00007 record 1: [%s]", got);
    record_codes(s, 2, got, sizeof got);
    CHECK(strcmp(got, "DIDS071") == 0, "00007 record 2: [%s]", got);
    didq_session_free(s);

    s = load(FIX "00016_invalid_file_format/input.csv");
    CHECK(didq_report_exit_status(s) == 2, "00016 is rejected at file level");
    CHECK(scalar(s, "SELECT count(*) FROM file_findings WHERE code = 'DIDS075'") == 3,
          "00016: DIDS075 on each of its 3 rows");
    CHECK(scalar(s, "SELECT count(*) FROM records") == 3, "00016's rows are kept for display");
    didq_session_free(s);

    s = load(FIX "00001_example_500/input.csv");
    /* Despite its name the fixture holds a header row and 495 records. */
    CHECK(scalar(s, "SELECT count(*) FROM records") == 495, "00001: header + 495 records");
    /* NHS England's loader reads no header (dids-spec.md 1.2): the header
     * would be a record with errors, so the file is rejected (DIDQ101), not
     * with DIDS075 (it has 18 columns). */
    CHECK(scalar(s, "SELECT count(*) FROM file_findings WHERE code = 'DIDS075'") == 0,
          "00001: no DIDS075");
    CHECK(scalar(s, "SELECT count(*) FROM file_findings WHERE code = 'DIDQ101' AND reject") == 1,
          "00001: the header row rejects the file");
    CHECK(didq_report_exit_status(s) == 2, "00001: rejected as a whole");
    didq_session_free(s);
}

int main(void)
{
    dq_errors_fixture();
    other_fixtures();
    return test_done();
}
