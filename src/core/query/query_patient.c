/* query_patient.c: the records of one patient across the loaded files and
 * months, as the explorer's patient view shows them.  A patient is the
 * patient key of duplicate-suspected and identity-conflict
 * (docs/anomalies.md): the NHS number with its spaces removed; for a
 * record without one, the birth date with the postcode (upper case, spaces
 * removed).  A record with neither has no patient to match.
 *
 * In memory, a patient's records are found by one pass over the record
 * store in C, and the condition names them (`r.id IN (...)`, which the
 * records table answers by id); a saved session compares in SQL. */
#include "didq/ident.h"
#include "didq/query.h"
#include "didq/store.h"
#include "didq/util.h"
#include "recstore.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The postcode as the patient key compares it: spaces and tabs removed,
 * upper case (SQL over `records r`). */
#define PC_KEY                                                                                     \
    "upper(replace(replace(coalesce(r." DIDQ_COL_F(DIDQ_POSTCODE) ", ''), ' ', ''), char(9), ''))"
#define NHS_KEY "coalesce(r.nhs, '')"
#define DOB_KEY "r." DIDQ_COL_D(DIDQ_BIRTH_DATE)

/* One patient key. */
typedef struct pkey {
    const char *nhs; /* compacted; "" when the key is birth date and postcode */
    size_t nhs_len;
    int32_t dob;
    const char *pc; /* upper case, no spaces */
    size_t pc_len;
} pkey;

/* The postcode v (n bytes) as the key compares it, into out. */
static size_t pc_norm(const char *v, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; i++)
        if (v[i] != ' ' && v[i] != '\t') out[k++] = (char)toupper((unsigned char)v[i]);
    return k;
}

static bool mem_match(const didq_recstore *rs, uint32_t id, const pkey *p, int dk)
{
    char buf[DIDQ_NHS_BUF];
    uint32_t n;
    const char *v = didq_recstore_field(rs, id, DIDQ_NHS_NUMBER, &n);
    size_t k = v ? didq_nhs_compact(v, n, buf, sizeof buf) : 0;
    if (p->nhs_len) return k == p->nhs_len && memcmp(buf, p->nhs, k) == 0;
    if (k || dk < 0 || didq_recstore_meta(rs, id)->date[dk] != p->dob) return false;
    v = didq_recstore_field(rs, id, DIDQ_POSTCODE, &n);
    char pc[32];
    k = v ? pc_norm(v, n, pc, sizeof pc) : 0;
    return k == p->pc_len && memcmp(pc, p->pc, k) == 0;
}

/* `r.id IN (...)`: the records of the patient, one pass over the store. */
static char *mem_cond(const didq_recstore *rs, const pkey *p)
{
    int dk = -1;
    for (int k = 0; k < didq_recstore_ndates(rs); k++)
        if (didq_recstore_date_item(rs, k) == DIDQ_BIRTH_DATE) dk = k;
    didq_buf b = {0};
    didq_buf_puts(&b, "r.id IN (");
    const char *sep = "";
    uint32_t n = didq_recstore_count(rs);
    for (uint32_t id = 1; id <= n; id++) {
        if (!mem_match(rs, id, p, dk)) continue;
        didq_buf_printf(&b, "%s%u", sep, (unsigned)id);
        sep = ",";
    }
    didq_buf_puts(&b, ")");
    char *c = didq_strdup(b.p);
    didq_buf_free(&b);
    return c;
}

static char *sql_cond(const pkey *p)
{
    char *s = p->nhs_len ? sqlite3_mprintf(NHS_KEY " = %Q", p->nhs)
                         : sqlite3_mprintf(NHS_KEY " = '' AND " DOB_KEY " = %d AND " PC_KEY " = %Q",
                                           (int)p->dob, p->pc);
    char *c = didq_strdup(s);
    sqlite3_free(s);
    return c;
}

char *didq_patient_where(didq_session *s, const didq_patients *ps, size_t i)
{
    const didq_patient *d = &ps->p[i];
    pkey p = {d->nhs, strlen(d->nhs), d->dob, d->pc, strlen(d->pc)};
    const didq_recstore *rs = didq_session_recstore(s);
    return rs ? mem_cond(rs, &p) : sql_cond(&p);
}

static const char *col(sqlite3_stmt *q, int c)
{
    const char *v = (const char *)sqlite3_column_text(q, c);
    return v ? v : "";
}

/* The key of a result row (nhs, dob, pc); false when it has none. */
static bool key_of(sqlite3_stmt *q, didq_patient *d)
{
    bool by_nhs = *col(q, 0) != 0;
    if (!by_nhs && (sqlite3_column_type(q, 1) == SQLITE_NULL || !*col(q, 2))) return false;
    d->by_nhs = by_nhs;
    d->nhs = didq_strdup(col(q, 0));
    d->dob = by_nhs ? 0 : (int32_t)sqlite3_column_int(q, 1);
    d->pc = didq_strdup(by_nhs ? "" : col(q, 2));
    return true;
}

didq_patients *didq_query_patients(didq_session *s, const char *where, size_t cap)
{
    didq_patients *p = didq_xcalloc(1, sizeof *p);
    /* Birth date and postcode only for a record without an NHS number. */
    char *sql = sqlite3_mprintf("SELECT " NHS_KEY ", CASE WHEN " NHS_KEY " = '' THEN " DOB_KEY
                                " END, CASE WHEN " NHS_KEY " = '' THEN " PC_KEY " END,"
                                " min(r.id), count(*) FROM records r WHERE %s"
                                " GROUP BY 1, 2, 3 ORDER BY 4",
                                where && *where ? where : "1");
    sqlite3_stmt *q = didq_prepare(didq_session_db(s), sql);
    sqlite3_free(sql);
    while (sqlite3_step(q) == SQLITE_ROW) {
        didq_patient d;
        if (!key_of(q, &d)) {
            p->unkeyed += (uint64_t)sqlite3_column_int64(q, 4);
        } else if (p->n < cap) {
            p->p = didq_xrealloc(p->p, (p->n + 1) * sizeof *p->p);
            p->p[p->n++] = d;
        } else {
            free(d.nhs), free(d.pc);
            p->more++;
        }
    }
    sqlite3_finalize(q);
    return p;
}

void didq_patients_free(didq_patients *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++)
        free(p->p[i].nhs), free(p->p[i].pc);
    free(p->p);
    free(p);
}
