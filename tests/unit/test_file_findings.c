/* test_file_findings.c: file-level findings (DIDS075 of a short row, a
 * header's DIDQ101) are seen in the explorer's queries: as the first rows
 * of the Validation table with their line, drilling into the records at
 * those lines; as the reason beside the verdict in the Overview's Files
 * table; in the findings of the record on that line; and in the codes of
 * a record list (the Records pane and its export). */
#include "didq/date.h"
#include "didq/query.h"
#include "didq/session.h"
#include "didq/util.h"
#include "testdb.h"
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#define ROW                                                                                        \
    "9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,G0717294,A81015,2018-07-01,2018-07-02,"        \
    "2018-07-03,XABDO,417905003,2018-07-04,RR864,ACC"
#define HDR                                                                                        \
    "NHS_NUMBER,NHS_NUMBER_STATUS_IND,PERSON_BIRTH_DATE,ETHNIC_CATEGORY,PERSON_GENDER_CODE,"       \
    "POSTCODE,PRACTICE_CODE,PATIENT_SOURCE_SETTING,REFERRER,REFERRING_ORG_CODE,"                   \
    "DIAGNOSTIC_TEST_REQUEST_DATE,DIAG_TEST_REQUEST_REC_DATE,DIAGNOSTIC_TEST_DATE,"                \
    "IMAGING_CODE_NICIP,IMAGING_CODE_SNOMED,SERVICE_REPORT_DATE,SITE_CODE_IMAGING,"                \
    "RADIOLOGICAL_ACCESSION_NUM"

static didq_session *load(void)
{
    /* short.csv: line 3 has 17 fields; header.csv: a header row, accepted
     * records otherwise. */
    static const char shortf[] = ROW "1\n" ROW "2\n9434765919,01,1945-06-21,A,2,LS1 4HR,A81015,04,"
                                     "G0717294,A81015,2018-07-01,2018-07-02,2018-07-03,XABDO,"
                                     "417905003,2018-07-04,RR864\n" ROW "4\n";
    static const char headerf[] = HDR "\n" ROW "5\n";
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2018, 8, 1)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    didq_session_load_mem(s, "short.csv", shortf, sizeof shortf - 1, NULL, NULL);
    didq_session_load_mem(s, "header.csv", headerf, sizeof headerf - 1, NULL, NULL);
    didq_session_finish(s);
    return s;
}

static void validation(didq_session *s)
{
    didq_qtable *t = didq_query_validation(s);
    CHECK(t->nrows > 3, "validation rows");
    /* Rejects first: short.csv's DIDS075, then header.csv's DIDQ101. */
    CHECK(strcmp(didq_qtable_cell(t, 0, 0), "DIDS075") == 0, "first row [%s]",
          didq_qtable_cell(t, 0, 0));
    CHECK(strcmp(didq_qtable_cell(t, 0, 1), "reject") == 0, "severity [%s]",
          didq_qtable_cell(t, 0, 1));
    CHECK(strcmp(didq_qtable_cell(t, 0, 2), "1") == 0, "one record at line 3 [%s]",
          didq_qtable_cell(t, 0, 2));
    CHECK(strstr(didq_qtable_cell(t, 0, 4), "short.csv line 3: Row has 17 fields") != NULL,
          "message with file and line [%s]", didq_qtable_cell(t, 0, 4));
    CHECK(t->mark[0], "a reject stands out");
    const char *w = t->where[0];
    CHECK(w && count_where(didq_session_db(s), w) == 1 && t->count[0] == 1,
          "drills into the record at line 3");
    char *sql = w ? sqlite3_mprintf("%s AND r.line = 3 AND r.file = 1", w) : NULL;
    CHECK(sql && count_where(didq_session_db(s), sql) == 1, "the record is line 3 of short.csv");
    sqlite3_free(sql);
    CHECK(strcmp(didq_qtable_cell(t, 1, 0), "DIDQ101") == 0, "second row [%s]",
          didq_qtable_cell(t, 1, 0));
    CHECK(strcmp(didq_qtable_cell(t, 1, 2), "0") == 0 && t->where[t->ncols] == NULL,
          "a header line is no record: 0, no drill-down");
    didq_qtable_free(t);
}

static void overview(didq_session *s)
{
    didq_overview o;
    didq_query_overview(s, &o);
    const didq_qtable *f = o.files_tab;
    int c = f->ncols - 1;
    CHECK(strcmp(f->head[c], "Reason") == 0, "a Reason column [%s]", f->head[c]);
    CHECK(f->nrows == 2, "two files");
    CHECK(strncmp(didq_qtable_cell(f, 0, c), "DIDS075 line 3: Row has 17 fields", 33) == 0,
          "short.csv's reason [%s]", didq_qtable_cell(f, 0, c));
    CHECK(strncmp(didq_qtable_cell(f, 1, c), "DIDQ101 line 1: File rejected", 29) == 0,
          "header.csv's reason [%s]", didq_qtable_cell(f, 1, c));
    didq_overview_free(&o);
}

static void record(didq_session *s)
{
    /* Record 3 is short.csv's line 3. */
    didq_qtable *t = didq_query_record_findings(s, 3);
    int found = 0;
    for (size_t r = 0; r < t->nrows; r++)
        found |= strcmp(didq_qtable_cell(t, r, 0), "DIDS075") == 0 &&
                 strcmp(didq_qtable_cell(t, r, 2), "-1") == 0 &&
                 strstr(didq_qtable_cell(t, r, 3), "Row has 17 fields") != NULL;
    CHECK(found, "record 3's findings hold DIDS075 of its line");
    didq_qtable_free(t);
    t = didq_query_record_findings(s, 2);
    CHECK(t->nrows == 0, "record 2 has none (%zu)", t->nrows);
    didq_qtable_free(t);

    didq_list *l = didq_list_new(s, "r.id = 3");
    didq_row row;
    CHECK(didq_list_fetch(l, NULL, false, false, &row, 1) == 1, "fetch record 3");
    CHECK(strstr(row.codes, "DIDS075") != NULL, "its codes [%s]", row.codes);
    didq_row_clear(&row);
    didq_list_free(l);
}

int main(void)
{
    didq_session *s = load();
    validation(s);
    overview(s);
    record(s);
    didq_session_free(s);
    return test_done();
}
