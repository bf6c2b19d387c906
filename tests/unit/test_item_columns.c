/* test_item_columns.c: every item's columns in the records table, as the
 * code names them (DIDQ_COL_F, DIDQ_COL_D, DIDQ_COL_B of enum didq_item,
 * store.h), hold that item's value: the enum follows items.csv's order, the
 * raw and date columns carry the item's value in a loaded session and in
 * its saved copy, and the blank column marks the record where the item is
 * blank.  An item whose number, enum value or column drifted fails here. */
#include "didq/dataset.h"
#include "didq/date.h"
#include "didq/session.h"
#include "didq/store.h"
#include "didq/util.h"
#include "testdb.h"
#include "testlib.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Each item as this test knows it, independently of items.csv and the
 * enum's order: its field name, its column names and a synthetic value
 * (all different, dates valid). */
#define ITEM(item, field, value)                                                                   \
    {                                                                                              \
        item, #item, field, DIDQ_COL_F(item), DIDQ_COL_D(item), DIDQ_COL_B(item), value            \
    }
static const struct item_case {
    int item;
    const char *name, *field, *fcol, *dcol, *bcol, *value;
} cases[] = {
    ITEM(DIDQ_NHS_NUMBER, "NHS_NUMBER", "9990000261"),
    ITEM(DIDQ_NHS_STATUS, "NHS_NUMBER_STATUS_IND", "02"),
    ITEM(DIDQ_BIRTH_DATE, "PERSON_BIRTH_DATE", "2004-09-25"),
    ITEM(DIDQ_ETHNIC, "ETHNIC_CATEGORY", "A"),
    ITEM(DIDQ_GENDER, "PERSON_GENDER_CODE", "1"),
    ITEM(DIDQ_POSTCODE, "POSTCODE", "BD5 7XH"),
    ITEM(DIDQ_PRACTICE, "PRACTICE_CODE", "B83025"),
    ITEM(DIDQ_SETTING, "PATIENT_SOURCE_SETTING", "05"),
    ITEM(DIDQ_REFERRER, "REFERRER", "C7268212"),
    ITEM(DIDQ_REFERRING_ORG, "REFERRING_ORG_CODE", "RAE"),
    ITEM(DIDQ_REQUEST_DATE, "DIAGNOSTIC_TEST_REQUEST_DATE", "2026-10-01"),
    ITEM(DIDQ_RECEIVED_DATE, "DIAG_TEST_REQUEST_REC_DATE", "2026-10-02"),
    ITEM(DIDQ_TEST_DATE, "DIAGNOSTIC_TEST_DATE", "2026-10-07"),
    ITEM(DIDQ_NICIP, "IMAGING_CODE_NICIP", "XCHES"),
    ITEM(DIDQ_SNOMED, "IMAGING_CODE_SNOMED", "399208008"),
    ITEM(DIDQ_REPORT_DATE, "SERVICE_REPORT_DATE", "2026-10-09"),
    ITEM(DIDQ_SITE, "SITE_CODE_IMAGING", "RAE01"),
    ITEM(DIDQ_ACCESSION, "RADIOLOGICAL_ACCESSION_NUM", "BR26100007013"),
};
enum { NCASES = sizeof cases / sizeof *cases };

/* Line k (1 to 18) leaves the k-th item of the file blank; line 19 fills
 * every item. */
static char *make_csv(void)
{
    didq_buf b = {0};
    for (int line = 1; line <= NCASES + 1; line++)
        for (int k = 0; k < NCASES; k++)
            didq_buf_printf(&b, "%s%s", k + 1 == line ? "" : cases[k].value,
                            k + 1 < NCASES ? "," : "\n");
    return b.p;
}

/* The one value of sql (a text, or the integer as text), or NULL: no row,
 * an SQL error (a column that does not exist) or NULL. */
static char *one_value(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q = NULL;
    char *out = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
        return NULL;
    }
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
        out = strdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return out;
}

static void check_value(sqlite3 *db, const char *what, const char *sql, const char *want)
{
    char *got = one_value(db, sql);
    CHECK(got && strcmp(got, want) == 0, "%s: %s gives %s, want %s", what, sql,
          got ? got : "(none)", want);
    free(got);
}

static void check_columns(sqlite3 *db, const char *what, bool blank_cols)
{
    char sql[160], want[24];
    for (int k = 0; k < NCASES; k++) {
        const struct item_case *c = &cases[k];
        snprintf(sql, sizeof sql, "SELECT %s FROM records WHERE line = %d", c->fcol, NCASES + 1);
        check_value(db, what, sql, c->value);
        if (didq_dataset_v1()->items[c->item].is_date) {
            int y, m, d;
            CHECK(sscanf(c->value, "%d-%d-%d", &y, &m, &d) == 3, "%s: date", c->name);
            snprintf(sql, sizeof sql, "SELECT %s FROM records WHERE line = %d", c->dcol,
                     NCASES + 1);
            snprintf(want, sizeof want, "%d", (int)didq_date_from_ymd(y, m, d));
            check_value(db, what, sql, want);
        }
        if (!blank_cols) continue;
        snprintf(sql, sizeof sql, "SELECT group_concat(line) FROM records WHERE %s = 1", c->bcol);
        snprintf(want, sizeof want, "%d", k + 1);
        check_value(db, what, sql, want);
    }
}

int main(void)
{
    const didq_dataset *ds = didq_dataset_v1();
    CHECK(ds->nitems == NCASES && (int)DIDQ_V1_ITEMS == (int)NCASES, "items: %d, enum %d, test %d",
          ds->nitems, (int)DIDQ_V1_ITEMS, (int)NCASES);
    for (int k = 0; k < NCASES; k++) {
        const struct item_case *c = &cases[k];
        CHECK(c->item == k, "%s is item %d, want %d (the file's order)", c->name, c->item, k);
        CHECK(
            c->item >= 0 && c->item < ds->nitems && strcmp(ds->items[c->item].field, c->field) == 0,
            "%s: items.csv has %s", c->name, c->item < ds->nitems ? ds->items[c->item].field : "-");
    }
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    CHECK(s != NULL, "session: %s", err);
    if (!s) return test_done();
    char *csv = make_csv();
    didq_session_load_mem(s, "items.csv", csv, strlen(csv), NULL, NULL);
    free(csv);
    didq_session_finish(s);
    check_columns(didq_session_db(s), "loaded", true);
    char dir[] = "/tmp/didq-itemcols-XXXXXX", path[64];
    s = save_reopen(s, dir, path, sizeof path, err, sizeof err);
    CHECK(s != NULL, "save and open saved: %s", err);
    if (s) check_columns(didq_session_db(s), "saved", false);
    didq_session_free(s);
    unlink(path);
    rmdir(dir);
    return test_done();
}
