/* NHS England's fixture 00004_dq_errors (tests/data/nhs-rcl, BSD-3) with
 * the synthetic reference set tests/data/refdata/set, which holds the codes
 * the fixture needs in the states its dq.xml implies (see docs/refdata.md):
 * every expected code, reference-data codes included, is reproduced. */
#include "didq/date.h"
#include "didq/refdata.h"
#include "didq/report.h"
#include "didq/session.h"
#include "didq/store.h"
#include "testlib.h"

#include <stdlib.h>

#define FIX DIDQ_TESTS_DIR "/data/nhs-rcl/csv/"

static didq_session *load(const char *path, const didq_refdata *rd)
{
    char err[256];
    didq_session_opts o = {.ref = rd};
    didq_date_parse("2018-08-01", 10, &o.submitted);
    didq_session *s = didq_session_new(&o, err, sizeof err);
    CHECK(didq_session_load(s, path, NULL, NULL, err, sizeof err) == 0, "%s: %s", path, err);
    didq_session_finish(s);
    return s;
}

/* Sorted codes of a record (recno 1-based); DIDQ0 codes when didq is set. */
static void record_codes(didq_session *s, int recno, int didq, char *out, size_t cap)
{
    sqlite3_stmt *q = didq_prepare(didq_session_db(s),
                                   "SELECT group_concat(code, ' ') FROM (SELECT ru.code FROM"
                                   " findings f JOIN records r ON r.id = f.rec JOIN rules ru ON"
                                   " ru.id = f.rule WHERE r.recno = ? AND (ru.code LIKE"
                                   " 'DIDQ0%') = ? ORDER BY ru.code)");
    sqlite3_bind_int(q, 1, recno);
    sqlite3_bind_int(q, 2, didq);
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

static int cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* All expected codes of a row of dq.xml, sorted. */
static void expected_codes(const char *xml, int row, char *out, size_t cap)
{
    char codes[64][8], tag[64];
    int n = 0;
    snprintf(tag, sizeof tag, "<ROW_INDEX>%d</ROW_INDEX>", row);
    for (const char *p = strstr(xml, tag); p && n < 64; p = strstr(p + 1, tag)) {
        const char *c = strstr(p, "<CODE>");
        memcpy(codes[n], c + 6, 7);
        codes[n++][7] = 0;
    }
    qsort(codes, (size_t)n, 8, cmp);
    out[0] = 0;
    for (int i = 0; i < n; i++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", i ? " " : "", codes[i]);
}

/* Findings of the twelve reference-data rules. */
static int count_ref(didq_session *s)
{
    sqlite3_stmt *q = didq_prepare(
        didq_session_db(s),
        "SELECT count(*) FROM findings f JOIN rules ru ON ru.id = f.rule WHERE ru.code IN"
        " ('DIDS016','DIDS018','DIDS024','DIDS057','DIDS059','DIDS068','DIDS077','DIDS078',"
        "'DIDS079','DIDS080','DIDS081','DIDS082')");
    int n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    return n;
}

int main(void)
{
    char err[512];
    didq_refdata *rd = didq_refdata_new();
    CHECK(didq_refdata_load_dir(rd, DIDQ_TESTS_DIR "/data/refdata/set", NULL, NULL, err,
                                sizeof err) == 0,
          "%s", err);
    didq_session *s = load(FIX "00004_dq_errors/input.csv", rd);
    const char *xml = slurp(FIX "00004_dq_errors/dq.xml");
    CHECK(xml != NULL, "dq.xml is readable");
    int refcodes;
    for (int row = 0; xml && row < 12; row++) {
        char want[512], got[512];
        expected_codes(xml, row, want, sizeof want);
        record_codes(s, row + 1, 0, got, sizeof got);
        CHECK(strcmp(want, got) == 0, "row %d: want [%s] got [%s]", row, want, got);
    }
    refcodes = count_ref(s);
    CHECK(refcodes == 17, "the 17 reference-data findings of dq.xml, got %d", refcodes);
    char got[128];
    record_codes(s, 2, 1, got, sizeof got);
    CHECK(strcmp(got, "DIDQ002") == 0, "row 1's NICIP 'AA' is malformed: [%s]", got);
    didq_session_free(s);

    s = load(FIX "00003_simple/input.csv", rd);
    CHECK(didq_report_exit_status(s) == 0, "00003 is accepted with reference data");
    record_codes(s, 3, 0, got, sizeof got);
    CHECK(strcmp(got, "DIDS023") == 0, "00003 record 3: [%s]", got);
    for (int r = 1; r <= 3; r++) {
        record_codes(s, r, 1, got, sizeof got);
        CHECK(got[0] == 0, "00003 record %d has no DIDQ warning: [%s]", r, got);
    }
    didq_session_free(s);
    didq_refdata_free(rd);
    return test_done();
}
