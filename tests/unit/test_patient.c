/* test_patient.c: the patients of the explorer's patient view
 * (didq_query_patients, didq_patient_where), in memory and in a saved
 * session: the same patients in the same order, each selecting exactly the
 * records of its NHS number (spaces removed) across two files, or, without
 * one, of its birth date and postcode (case and spaces ignored). */
#include "didq/date.h"
#include "didq/query.h"
#include "didq/session.h"
#include "didq/util.h"
#include "testdb.h"
#include "testlib.h"

#include <stdlib.h>
#include <unistd.h>

static void row(didq_buf *b, const char *nhs, const char *dob, const char *pc, int acc)
{
    didq_buf_printf(b,
                    "%s,%s,%s,A,2,%s,A81015,04,G0717294,A81015,2026-10-02,2026-10-02,2026-10-03,"
                    "XABDO,,2026-10-04,RR864,ACC%04d\n",
                    nhs, *nhs ? "01" : "03", dob, pc, acc);
}

static didq_session *load(void)
{
    char err[256];
    didq_session_opts so = {.submitted = didq_date_from_ymd(2026, 11, 20)};
    didq_session *s = didq_session_new(&so, err, sizeof err);
    didq_buf a = {0}, b = {0};
    row(&a, "9434765919", "1945-06-21", "LS1 4HR", 1);   /* id 1: patient 1 */
    row(&a, "", "1950-01-01", "ls1 4hr", 2);             /* id 2: patient 2 */
    row(&a, "9434765870", "1960-01-01", "LS2 9JT", 3);   /* id 3: patient 3 */
    row(&a, "943 476 5919", "1946-06-21", "LS1 4HR", 4); /* id 4: patient 1 */
    row(&a, "", "", "", 5);                              /* id 5: no key */
    row(&b, "", "1950-01-01", "LS14HR", 6);              /* id 6: patient 2 */
    row(&b, "", "1950-01-02", "LS1 4HR", 7);             /* id 7: another */
    row(&b, "9434765919", "1945-06-21", "LS1 4HR", 8);   /* id 8: patient 1 */
    didq_session_load_mem(s, "a.csv", a.p, a.n, NULL, NULL);
    didq_session_load_mem(s, "b.csv", b.p, b.n, NULL, NULL);
    didq_buf_free(&a), didq_buf_free(&b);
    didq_session_finish_analysed(s);
    return s;
}

/* The ids a condition selects, "1 4 8". */
static void ids(sqlite3 *db, const char *where, char *out, size_t cap)
{
    char *sql = sqlite3_mprintf("SELECT id FROM records r WHERE %s ORDER BY id", where);
    sqlite3_stmt *q = didq_prepare(db, sql);
    size_t k = 0;
    out[0] = 0;
    while (sqlite3_step(q) == SQLITE_ROW && k < cap)
        k += (size_t)snprintf(out + k, cap - k, "%s%lld", k ? " " : "",
                              (long long)sqlite3_column_int64(q, 0));
    sqlite3_finalize(q);
    sqlite3_free(sql);
}

static void check(didq_session *s, const char *what)
{
    static const char *const want[] = {"1 4 8", "2 6", "3", "7"};
    didq_patients *p = didq_query_patients(s, NULL, 100);
    CHECK(p->n == 4 && p->unkeyed == 1 && p->more == 0,
          "%s: 4 patients, 1 record without a key (%zu %llu)", what, p->n,
          (unsigned long long)p->unkeyed);
    for (size_t i = 0; i < p->n && i < 4; i++) {
        char *w = didq_patient_where(s, p, i), got[64];
        ids(didq_session_db(s), w, got, sizeof got);
        CHECK(strcmp(got, want[i]) == 0, "%s: patient %zu: ids %s, want %s", what, i, got, want[i]);
        CHECK(p->p[i].by_nhs == (i == 0 || i == 2), "%s: patient %zu keyed by NHS number", what, i);
        free(w);
    }
    didq_patients_free(p);
    /* The patients of one record, and a cap. */
    p = didq_query_patients(s, "r.id = 6", 100);
    CHECK(p->n == 1, "%s: record 6 has one patient", what);
    didq_patients_free(p);
    p = didq_query_patients(s, NULL, 2);
    CHECK(p->n == 2 && p->more == 2, "%s: cap 2: 2 kept, 2 more", what);
    didq_patients_free(p);
    p = didq_query_patients(s, "r.id = 5", 100);
    CHECK(p->n == 0 && p->unkeyed == 1, "%s: record 5 has no patient", what);
    didq_patients_free(p);
}

int main(void)
{
    didq_session *s = load();
    check(s, "in memory");
    char dir[] = "/tmp/didq_test_patient_XXXXXX", path[256], err[256];
    s = save_reopen(s, dir, path, sizeof path, err, sizeof err);
    CHECK(s != NULL, "saved: %s", err);
    if (s) {
        check(s, "saved");
        didq_session_free(s);
    }
    unlink(path);
    rmdir(dir);
    return test_done();
}
