/* Reference data: loading the synthetic official files of
 * tests/data/refdata/, the look-ups, and each of the twelve reference-data
 * rules (and DIDQ001/002) at the boundaries dids-spec.md section 3 gives. */
#include "didq/date.h"
#include "didq/refdata.h"
#include "didq/session.h"
#include "didq/store.h"
#include "testlib.h"

#include <stdlib.h>

#define SET DIDQ_TESTS_DIR "/data/refdata/set"

static int32_t day(const char *s)
{
    int32_t d = DIDQ_NODATE;
    didq_date_parse(s, 10, &d);
    return d;
}

static didq_refdata *load_set(void)
{
    char err[512];
    didq_refdata *rd = didq_refdata_new();
    CHECK(didq_refdata_load_dir(rd, SET, NULL, NULL, err, sizeof err) == 0, "%s", err);
    return rd;
}

static void lookups(const didq_refdata *rd)
{
    CHECK(didq_refdata_has(rd, "postcode") &&
              didq_refdata_has(rd, "ods_gp ods_referring ods_site") &&
              didq_refdata_has(rd, "nicip snomed"),
          "all four kinds and the ODS files the rules need are loaded");
    CHECK(didq_refdata_postcode(rd, "LS1 4HR", 7) == DIDQ_PC_LIVE, "live postcode");
    CHECK(didq_refdata_postcode(rd, "ls14hr", 6) == DIDQ_PC_LIVE, "case and space ignored");
    CHECK(didq_refdata_postcode(rd, "TS26 0ZX", 8) == DIDQ_PC_TERMINATED, "terminated");
    CHECK(didq_refdata_postcode(rd, "AB1 2CD", 7) == DIDQ_PC_UNKNOWN, "unknown");
    CHECK(didq_refdata_org(rd, "g10001", 6, DIDQ_ROLES_GP, day("2018-07-01")), "open on close day");
    CHECK(!didq_refdata_org(rd, "G10001", 6, DIDQ_ROLES_GP, day("2018-07-02")), "closed after");
    CHECK(!didq_refdata_org(rd, "RR864", 5, DIDQ_ROLES_GP, DIDQ_NODATE), "a site is no GP");
    CHECK(didq_refdata_org(rd, "RR864", 5, DIDQ_ROLES_ANY, DIDQ_NODATE), "a site is known");
    CHECK(didq_refdata_org(rd, "5PW", 3, DIDQ_ROLES_REFERRING, DIDQ_NODATE), "column 14 role");
    CHECK(!didq_refdata_org(rd, "Q1X", 3, DIDQ_ROLES_REFERRING, DIDQ_NODATE), "no role");
    CHECK(didq_refdata_code(rd, DIDQ_REF_NICIP, "CABWC", 5, day("2012-03-01")) == DIDQ_CODE_WINDOW,
          "6 months before the start");
    CHECK(didq_refdata_code(rd, DIDQ_REF_NICIP, "CABWC", 5, day("2012-02-29")) == DIDQ_CODE_OUTSIDE,
          "6 months and a day before the start");
    CHECK(didq_refdata_code(rd, DIDQ_REF_SNOMED, "1065981000000102", 16, day("2018-09-30")) ==
              DIDQ_CODE_WINDOW,
          "6 months after the end");
    /* NHS England's table: a withdrawn code's end date only in BUSINESS_END_DATE */
    CHECK(didq_refdata_code(rd, DIDQ_REF_NICIP, "XWDRN", 5, day("2017-09-30")) == DIDQ_CODE_ACTIVE,
          "valid on its BUSINESS_END_DATE");
    CHECK(didq_refdata_code(rd, DIDQ_REF_NICIP, "XWDRN", 5, day("2018-04-01")) == DIDQ_CODE_OUTSIDE,
          "withdrawn: 6 months and a day after its BUSINESS_END_DATE");
    CHECK(didq_refdata_nicip_sct(rd, "UMAP", 4, day("2015-12-31")) == 432787004ULL, "first map");
    CHECK(didq_refdata_nicip_sct(rd, "umap", 4, day("2016-01-01")) == 252939009ULL, "second map");
    const char *m = didq_refdata_modality(rd, "417905003", 9, day("2018-07-01"));
    CHECK(m && strcmp(m, "Plain radiography") == 0, "modality %s", m ? m : "(null)");
    m = didq_refdata_modality(rd, "1065981000000102", 16, DIDQ_NODATE);
    CHECK(m && strcmp(m, "Magnetic resonance imaging") == 0, "modality of an ended code");
    CHECK(didq_refdata_modality(rd, "99999999", 8, DIDQ_NODATE) == NULL, "unknown modality");
}

/* The clean row of tests/cli/lib.sh: fires no rule at 2018-08-01. */
static const char *const clean[18] = {
    "9434765919", "01",    "1945-06-21", "A",          "2",          "LS1 4HR",
    "A81015",     "04",    "G0717294",   "A81015",     "2018-07-01", "2018-07-02",
    "2018-07-03", "XABDO", "417905003",  "2018-07-04", "RR864",      "ACC0001"};

static unsigned last_flags; /* the record's flags of the last fired() */

/* Codes (reference-data and DIDQ0 only) fired by the clean row with the
 * changes "ITEM=value;ITEM=value" (ITEM an index), space-separated. */
static void fired(const didq_refdata *rd, const char *changes, char *out, size_t cap)
{
    const char *f[18];
    memcpy(f, clean, sizeof f);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", changes);
    for (char *tok = strtok(buf, ";"); tok; tok = strtok(NULL, ";")) {
        char *eq = strchr(tok, '=');
        *eq = 0;
        f[atoi(tok)] = eq + 1;
    }
    char line[1024] = "";
    for (int i = 0; i < 18; i++)
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s", i ? "," : "", f[i]);
    strcat(line, "\n");
    char err[256];
    didq_session_opts o = {.submitted = day("2018-08-01"), .ref = rd};
    didq_session *s = didq_session_new(&o, err, sizeof err);
    didq_session_load_mem(s, "row.csv", line, strlen(line), NULL, NULL);
    didq_session_finish(s);
    sqlite3_stmt *q = didq_prepare(
        didq_session_db(s),
        "SELECT group_concat(code, ' ') FROM (SELECT ru.code FROM findings f JOIN rules ru ON"
        " ru.id = f.rule WHERE ru.code IN ('DIDS016','DIDS018','DIDS024','DIDS057','DIDS059',"
        "'DIDS068','DIDS077','DIDS078','DIDS079','DIDS080','DIDS081','DIDS082') OR ru.code LIKE"
        " 'DIDQ0%' ORDER BY ru.code)");
    out[0] = 0;
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    q = didq_prepare(didq_session_db(s), "SELECT flags FROM records WHERE id = 1");
    last_flags = sqlite3_step(q) == SQLITE_ROW ? (unsigned)sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    didq_session_free(s);
}

/* A site code is invalid (one "(invalid site)" row) for a rule about the
 * code alone, not for DIDS081 (a real site not open on the test date). */
static void invalid_site_flag(const didq_refdata *rd)
{
    char got[256];
    fired(rd, "16=FALSE", got, sizeof got);
    CHECK(last_flags & DIDQ_REC_BAD_SITE, "DIDS068 marks the site invalid (%s)", got);
    fired(rd, "16=RR801;12=2001-03-31", got, sizeof got);
    CHECK(strcmp(got, "DIDS081") == 0 && !(last_flags & DIDQ_REC_BAD_SITE),
          "DIDS081 leaves the site valid (%s, flags %u)", got, last_flags);
}

/* changes -> expected codes ("" = none). */
static const char *const cases[][2] = {
    {"", ""},
    /* DIDS016: live now; ZZ99 skipped; spaces and case ignored */
    {"5=LS2 9JT", ""},
    {"5=ls29jt", ""},
    {"5=TS26 0ZX", "DIDS016"},
    {"5=LS9 9ZZ", "DIDS016"},
    {"5=AB1 2CD", "DIDS016"},
    {"5=zz99 3WZ", ""},
    {"5=", ""},
    /* DIDS018 / DIDS080: GP practice or cost centre; open on the test date */
    {"6=RR864", "DIDS018"},
    {"6=NOPE1", "DIDS018"},
    {"6=v81999", ""},
    {"6=C10003", ""},
    {"6=j81002", ""},
    {"6=G10001;12=2018-07-01", ""},
    {"6=G10001;12=2018-07-02", "DIDS080"},
    {"6=G10002;12=2018-07-01", "DIDS080"},
    {"6=G10002;12=2018-07-02", ""},
    {"6=G10001;12=2018-07-32", ""},
    {"6=A81015;12=2020-04-01", "DIDS080"},
    /* DIDS024 / DIDS079: referring role; request date if not null, else test date */
    {"9=RR864", "DIDS024"},
    {"9=Q1X", "DIDS024"},
    {"9=NOPE2", "DIDS024"},
    {"9=X99999", ""},
    {"9=8C898", ""},
    {"9=5PW", "DIDS079"},
    {"9=R1A;10=2018-06-30", ""},
    {"9=R1A;10=2018-07-01", "DIDS079"},
    {"9=R1A;10=;12=2018-06-30", ""},
    {"9=R1A;10=;12=2018-07-01", "DIDS079"},
    {"9=R1A;10=  ;12=2018-07-01", ""},
    {"9=R1A;10=2018-13-01", ""},
    /* DIDS068 / DIDS081: any ODS code; skipped when DIDS069 fails */
    {"16=FALSE", "DIDS068"},
    {"16=XXX", ""},
    {"16=R9998", ""},
    {"16=89999", ""},
    {"16=rr801", ""},
    {"16=RXX01;12=2018-06-30", ""},
    {"16=RXX01;12=2018-07-01", "DIDS081"},
    {"16=RR801;12=2001-03-31", "DIDS081"},
    {"16=RR801;12=2001-04-01", ""},
    /* DIDS057 / DIDS077: NICIP within 6 months of its validity */
    {"13=CABWC;14=;12=2012-02-29", "DIDS057"},
    {"13=CABWC;14=;12=2012-03-01", "DIDS077"},
    {"13=CABWC;14=;12=2012-08-31", "DIDS077"},
    {"13=CABWC;14=;12=2012-09-01", ""},
    {"13=XENDED;14=;12=2018-07-15", "DIDS077"},
    {"13=XENDED;14=;12=2018-07-16", "DIDS057"},
    {"13=AA;14=", "DIDQ002 DIDS057"},
    {"13=xabdo", ""},
    {"13=NOPE;14=;12=200", ""},
    /* DIDS059 / DIDS078 */
    {"13=;14=1065981000000102;12=2018-07-03", "DIDS078"},
    {"13=;14=1065981000000102;12=2018-09-30", "DIDS078"},
    {"13=;14=1065981000000102;12=2018-10-01", "DIDS059"},
    {"13=;14=1025291000000104", "DIDS059"},
    {"13=;14=417905004", "DIDQ001 DIDS059"},
    /* DIDS082: maps on the test date; blank test date fires (NHS quirk) */
    {"14=303686006", "DIDS082"},
    {"13=UMAP;14=432787004;12=2015-12-31", ""},
    {"13=UMAP;14=432787004;12=2016-01-01", "DIDS082"},
    {"13=UMAP;14=252939009;12=2016-01-01", ""},
    {"12=", "DIDS082"},
    {"12=200", ""},
    {"14=0417905003", "DIDQ001"},
    {"13=X", "DIDQ002 DIDS057"},
};

static void rules(const didq_refdata *rd)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[256];
        fired(rd, cases[i][0], got, sizeof got);
        CHECK(strcmp(got, cases[i][1]) == 0, "[%s]: want [%s] got [%s]", cases[i][0], cases[i][1],
              got);
    }
}

/* Only the postcode file: DIDS016 is checked, the others are not. */
static void partial(void)
{
    char err[512];
    didq_refdata *rd = didq_refdata_new();
    CHECK(didq_refdata_load_file(rd, SET "/ONSPD_NOV_2025_UK.csv", NULL, NULL, err, sizeof err) ==
              0,
          "%s", err);
    const didq_dataset *ds = didq_dataset_v1();
    didq_ruleset *rs = didq_ruleset_new(ds, rd);
    CHECK(rs->rules[didq_dataset_rule(ds, "DIDS016")].checked, "DIDS016 checked");
    const char *off[] = {"DIDS018", "DIDS057", "DIDS059", "DIDS082", "DIDS081"};
    for (int i = 0; i < 5; i++)
        CHECK(!rs->rules[didq_dataset_rule(ds, off[i])].checked, "%s not checked", off[i]);
    CHECK(rs->rules[didq_dataset_rule(ds, "DIDQ001")].checked, "DIDQ001 needs nothing");
    didq_ruleset_free(rs);
    CHECK(didq_refdata_load_file(rd, SET "/../bad/readme.txt", NULL, NULL, err, sizeof err) != 0,
          "an unknown file is refused");
    CHECK(didq_refdata_load_file(rd, SET "/missing.csv", NULL, NULL, err, sizeof err) != 0 &&
              strstr(err, "missing.csv"),
          "a missing file: %s", err);
    didq_refdata_free(rd);
}

static char msgs[4096];

static void on_msg(void *ctx, const char *path, uint64_t line, const char *msg)
{
    (void)ctx;
    const char *b = strrchr(path, '/');
    snprintf(msgs + strlen(msgs), sizeof msgs - strlen(msgs), "%s:%llu: %s\n", b ? b + 1 : path,
             (unsigned long long)line, msg);
}

static void malformed(void)
{
    char err[512];
    didq_refdata *rd = didq_refdata_new();
    CHECK(didq_refdata_load_dir(rd, DIDQ_TESTS_DIR "/data/refdata/bad", on_msg, NULL, err,
                                sizeof err) == 0,
          "%s", err);
    const char *want[] = {"epraccur.csv:2: 3 columns",
                          "epraccur.csv:3: open or close date",
                          "epraccur.csv:4: column 1",
                          "epraccur.csv:5: open or close date",
                          "ONSPD_BAD_UK.csv:3: dointr/doterm",
                          "ONSPD_BAD_UK.csv:4: postcode",
                          "ONSPD_BAD_UK.csv:5: 2 columns",
                          "nicip_table.csv:3: SHORT_CODE",
                          "nicip_table.csv:4: start or end date"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK(strstr(msgs, want[i]) != NULL, "message '%s' in:\n%s", want[i], msgs);
    CHECK(didq_refdata_nfiles(rd) == 5, "5 files listed, got %zu", didq_refdata_nfiles(rd));
    size_t ignored = 0, bad = 0;
    for (size_t i = 0; i < didq_refdata_nfiles(rd); i++) {
        ignored += didq_refdata_file(rd, i)->kind == DIDQ_REF_NONE;
        bad += didq_refdata_file(rd, i)->bad;
    }
    CHECK(ignored == 2 && bad == 10, "2 ignored (zip, readme), 10 bad rows: %zu %zu", ignored, bad);
    CHECK(didq_refdata_postcode(rd, "LS3 1AB", 7) == DIDQ_PC_LIVE,
          "the row after one parsed by libcsv (doubled quotes) is read");
    CHECK(didq_refdata_org(rd, "B10001", 6, DIDQ_ROLES_GP, DIDQ_NODATE), "good rows are kept");
    CHECK(didq_refdata_has(rd, "ods_gp") && !didq_refdata_has(rd, "ods_referring") &&
              !didq_refdata_has(rd, "ods_site") && !didq_refdata_has(rd, "snomed"),
          "epraccur alone among the ODS files (no etr, ets, ephpsite); no exam lookup");
    CHECK(didq_refdata_load_dir(rd, DIDQ_TESTS_DIR "/data/refdata/none", NULL, NULL, err,
                                sizeof err) != 0,
          "a missing directory fails");
    didq_refdata_free(rd);
}

int main(void)
{
    didq_refdata *rd = load_set();
    lookups(rd);
    rules(rd);
    invalid_site_flag(rd);
    didq_refdata_free(rd);
    partial();
    malformed();
    return test_done();
}
